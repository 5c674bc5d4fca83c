"""lj-facts: facts and figures of Liangjiang New Area (两江新区), each with the report's own words.

The Python API (docs/api.md)::

    import lj_facts

    kb = lj_facts.load()  # the shipped base; or a file, a folder, a list of them
    rows = kb.search("汽车")  # the rows `lj-facts search 汽车 --json` prints, as frozen records
    rows.to_records()  # a list of dicts: pandas.DataFrame(rows.to_records())

Its names are imported when first used, so `import lj_facts` (and the CLI's start-up) stays cheap.
"""

__version__ = "0.1.0"

import sys
from types import ModuleType

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (10 ms); type checkers read it as True


class _Package(ModuleType):
    """The package: `lj_facts.load` is the API's function, though a submodule has the same name.

    Importing a submodule binds its name in its package; the first import of the module `lj_facts.load`
    (by the index, say) would replace the function with it. That one binding is refused here, so the
    name stays the function's; the module is reached with `from lj_facts.load import ...` (or
    `importlib.import_module("lj_facts.load")`), as every module of lj-facts reaches it. Importing the
    module here instead, to bind it first, would add 20 ms to `import lj_facts`.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "load" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:
    from .api import (
        Base,
        CityFigure,
        ComparedFact,
        Fact,
        Indicator,
        Meta,
        Record,
        Records,
        SeriesPoint,
        Source,
        Topic,
        load,
    )
    from .errors import ExitCode, KnowledgeFileError, LjFactsError, NotFoundError, UsageError

__all__ = [
    "Base",
    "CityFigure",
    "ComparedFact",
    "ExitCode",
    "Fact",
    "Indicator",
    "KnowledgeFileError",
    "LjFactsError",
    "Meta",
    "NotFoundError",
    "Record",
    "Records",
    "SeriesPoint",
    "Source",
    "Topic",
    "UsageError",
    "__version__",
    "load",
]

_ERRORS = frozenset(("ExitCode", "KnowledgeFileError", "LjFactsError", "NotFoundError", "UsageError"))
"""The public names of `errors`; the others but `__version__` are `api`'s."""


def __getattr__(name: str) -> object:
    """A public name, imported on first use (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'lj_facts' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(".errors" if name in _ERRORS else ".api", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

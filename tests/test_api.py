"""The Python API: plain frozen records, the CLI's JSON rows, the CLI's errors, a cheap `import lj_facts`."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import importlib.util
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import lj_facts
from lj_facts import fields, schema
from lj_facts.api import CityFigure, ComparedFact, Fact, Indicator, Meta, Record, Records, SeriesPoint, Source, Topic
from lj_facts.cli import app

from .conftest import MINIMAL
from .conftest import rows as cli_rows
from .test_base import EARLIER, LATER

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(autouse=True, scope="module")
def _shipped_base(shipped_base_module):
    """The shipped base of every report, as `lj_facts.load()` reads it (conftest)."""


@pytest.fixture(scope="module")
def kb() -> lj_facts.Base:
    return lj_facts.load()


@pytest.fixture
def series_base(tmp_path) -> Path:
    """Two reports of one indicator, the later one's growth planted to disagree with the levels."""
    (tmp_path / "a.toml").write_text(EARLIER, encoding="utf-8")
    (tmp_path / "b.toml").write_text(LATER.format(growth="20.0"), encoding="utf-8")
    return tmp_path


# --- The records ---------------------------------------------------------------------------------

RECORDS = {
    Fact: fields.FACT,
    ComparedFact: fields.FACT + fields.CITY,
    CityFigure: fields.CITY_FIGURE,
    Topic: fields.TOPIC,
    Source: fields.SOURCE,
    Indicator: fields.INDICATOR,
    SeriesPoint: fields.SERIES,
}
"""Each record type and the registry of the fields of its JSON row."""

KIND_OF = {
    Fact: "fact",
    ComparedFact: "fact",
    CityFigure: "city-figure",
    Topic: "topic",
    Source: "source",
    Indicator: "indicator",
    SeriesPoint: "series",
}

_TYPES = {"text": "str", "number": "float", "integer": "int", "boolean": "bool", "list": "tuple[str, ...]"}


class TestRecords:
    @pytest.mark.parametrize("record, registry", RECORDS.items(), ids=lambda x: getattr(x, "__name__", ""))
    def test_fields_are_the_json_fields_in_order(self, record, registry):
        """A record's fields are the registry's, in order: the keys of the CLI's JSON row."""
        assert record.field_names() == fields.names(registry)

    @pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__name__)
    def test_types_are_plain_and_say_what_may_be_none(self, record):
        """Each field is typed as the registry says (text, number, integer, boolean, tuple of text), and
        `| None` exactly where the schema lets the JSON hold null."""
        never_null = schema.KINDS[KIND_OF[record]].never_null
        registry = {f.name: f for f in RECORDS[record]}
        for field in dataclasses.fields(record):
            kind = registry[field.name]
            plain = _TYPES[kind.type]
            nullable = kind.type != "list" and field.name not in never_null
            assert field.type == (f"{plain} | None" if nullable else plain), field.name

    def test_records_are_frozen_slotted_and_plain(self, kb):
        """No record can be changed or given new attributes; every value is text, a number, a bool, None
        or a tuple of text (no enum leaks)."""
        everything = [
            *kb.facts,
            *kb.list(city=True),
            *kb.city_figures,
            *kb.topics,
            *kb.sources,
            *kb.search("汽车"),
            kb.meta,
        ]
        for record in everything:
            assert not hasattr(record, "__dict__")
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(record, record.field_names()[0], "x")
            with pytest.raises((AttributeError, TypeError)):  # TypeError: CPython before 3.12 (gh-90055)
                record.anything_else = 1
            hash(record)
            for value in dataclasses.astuple(record):
                assert type(value) in (str, int, float, bool, type(None), tuple), value
                if type(value) is tuple:
                    assert all(type(v) is str for v in value)

    def test_to_dict_gives_lists_back(self, kb):
        """`to_dict()` is the JSON row: a tuple field is a list again, and from_row(to_dict()) is the record."""
        fact = kb.show("industry.gross-output")[0]
        row = fact.to_dict()
        assert row["topics"] == list(fact.topics) and row["city_context"] == []
        assert ComparedFact.from_row(row) == fact
        assert json.loads(json.dumps(row)) == row

    def test_meta_is_the_first_files(self, kb):
        """`meta` holds the first knowledge file's [meta]."""
        assert isinstance(kb.meta, Meta)
        assert kb.meta.region_zh == "两江新区" and kb.meta.city_zh == "重庆市"


# --- The same rows as the CLI --------------------------------------------------------------------

SAME_AS_CLI = [
    (("industry",), lambda kb: kb.topic("industry")),
    (("工业", "--city"), lambda kb: kb.topic("工业", city=True)),
    (("search", "汽车"), lambda kb: kb.search("汽车")),
    (("search", "GDP", "--city"), lambda kb: kb.search("GDP", city=True)),
    (("search", "新能源", "汽车"), lambda kb: kb.search(["新能源", "汽车"])),
    (("search", "automobile", "-n", "3"), lambda kb: kb.search("automobile", limit=3)),
    (("外资",), lambda kb: kb.lookup("外资")),
    (("industry",), lambda kb: kb.lookup("industry")),
    (("show", "city.gdp", "industry.gross-output"), lambda kb: kb.show("city.gdp", "industry.gross-output")),
    (
        ("show", "industry.gross-output", "trade.foreign-trade"),
        lambda kb: kb.show(["industry.gross-output", "trade.foreign-trade"]),
    ),
    (("city",), lambda kb: kb.city()),
    (("city", "auto"), lambda kb: kb.city("auto")),
    (("list",), lambda kb: kb.facts),
    (("list", "--city"), lambda kb: kb.list(city=True)),
    (("topics",), lambda kb: kb.topics),
    (("city-figures",), lambda kb: kb.city_figures),
]


@pytest.mark.parametrize("args, ask", SAME_AS_CLI, ids=[" ".join(a) for a, _ in SAME_AS_CLI])
def test_rows_are_the_clis_json(runner, kb, args, ask):
    """What a method returns, as records, is what `lj-facts ... --json` prints."""
    assert ask(kb).to_records() == cli_rows(runner, *args)


def test_series_and_indicators_are_the_clis_json(runner, series_base):
    """`series()` and `indicators` are `lj-facts series [INDICATOR] --json`; a disagreeing growth is a note."""
    kb = lj_facts.load(series_base)
    points = kb.series("output")
    assert points.to_records() == cli_rows(runner, "--file", str(series_base), "series", "output")
    assert kb.indicators.to_records() == cli_rows(runner, "--file", str(series_base), "series")
    result = runner.invoke(app, ["--file", str(series_base), "series", "output", "--json"])
    assert [f"lj-facts: {n}" for n in points.notes] == result.stderr.splitlines()
    assert points.notes[0].startswith("warning: 2022-h1.industry.gross-output (H1 2022): the report states growth 20%")


def test_notes_are_what_the_cli_says(runner, kb):
    """A corrected term is a note, word for word what the CLI writes on stderr."""
    found = kb.search("automobil")
    result = runner.invoke(app, ["search", "automobil", "--json"])
    assert found.notes and [f"lj-facts: {n}" for n in found.notes] == result.stderr.splitlines()
    assert found.title.startswith("Search:")


def test_to_records_makes_a_dataframe(kb):
    """`pandas.DataFrame(rows.to_records())` has a column a field and a row a record (a plain check of
    the same where pandas is not installed)."""
    rows = kb.search("汽车", city=True)
    records = rows.to_records()
    try:
        import pandas
    except ImportError:
        assert all(type(r) is dict and list(r) == list(rows.columns) for r in records)
        return
    frame = pandas.DataFrame(records)
    assert list(frame.columns) == list(rows.columns)
    assert len(frame) == len(rows)
    assert frame.loc[0, "id"] == rows[0].id
    none = rows[:0]  # no rows: the columns still
    assert list(pandas.DataFrame(none.to_records(), columns=none.columns).columns) == list(rows.columns)


class TestRecordsSequence:
    def test_a_sequence_with_title_and_columns(self, kb):
        """Records index, slice (keeping the title), compare with a list and name their ids."""
        rows = kb.topic("industry")
        assert rows[0] == next(iter(rows))
        assert isinstance(rows[:2], Records) and rows[:2].title == rows.title == "Industry · 工业"
        assert rows[:2] == list(rows)[:2]
        assert rows.ids[0] == "industry.gross-output"
        assert rows.columns == fields.names(fields.FACT)
        assert "Industry · 工业" in repr(rows)
        assert kb.topics.ids[0] == kb.topics[0].slug

    def test_records_are_records(self, kb):
        assert all(isinstance(r, Record) for r in (*kb.facts, *kb.topics))
        assert all(isinstance(r, Fact) for r in kb.show("industry.gross-output"))  # a ComparedFact is a Fact


# --- Loading -------------------------------------------------------------------------------------


class TestLoad:
    def test_none_is_the_shipped_base(self, kb, monkeypatch, write_file):
        """`load()` is the shipped base; LJ_FACTS_FILE is the CLI's setting, not read by the API."""
        monkeypatch.setenv("LJ_FACTS_FILE", str(write_file()))
        assert lj_facts.load().facts == kb.facts
        assert Path(kb.files[0]).name == "facts.toml"

    @pytest.mark.parametrize("how", ["str", "path", "list", "folder"])
    def test_a_file_a_list_or_a_folder(self, write_file, how):
        path = write_file()
        given = {"str": str(path), "path": path, "list": [path], "folder": path.parent}[how]
        base = lj_facts.load(given, cache=False)
        assert base.facts.ids == ["industry.gross-output"]
        assert base.files == (str(path),)

    def test_several_files_are_one_base(self, series_base):
        base = lj_facts.load([series_base / "a.toml", series_base / "b.toml"])
        assert base.facts.ids == ["industry.gross-output", "2022-h1.industry.gross-output"]
        assert [s.id for s in base.sources] == ["report", "later"]

    def test_an_empty_list_is_a_usage_error(self):
        with pytest.raises(lj_facts.UsageError, match="load needs a knowledge file"):
            lj_facts.load([])


# --- The CLI's errors ----------------------------------------------------------------------------

SAME_ERRORS = [
    (("show", "industry.gross-outptu"), lambda kb: kb.show("industry.gross-outptu"), lj_facts.NotFoundError),
    (("show", "nope", "city.gdpp"), lambda kb: kb.show("nope", "city.gdpp"), lj_facts.NotFoundError),
    (("search", "qqqzzz"), lambda kb: kb.search("qqqzzz"), lj_facts.NotFoundError),
    (("search", "国际 quantum"), lambda kb: kb.search("国际 quantum"), lj_facts.NotFoundError),
    (("search", " "), lambda kb: kb.search(" "), lj_facts.UsageError),
    (("city", "qqqzzz"), lambda kb: kb.city("qqqzzz"), lj_facts.NotFoundError),
    (("city", "talent"), lambda kb: kb.city("talent"), lj_facts.NotFoundError),
]


@pytest.mark.parametrize("args, ask, error", SAME_ERRORS, ids=[" ".join(a) for a, _, _ in SAME_ERRORS])
def test_errors_are_the_clis(runner, kb, args, ask, error):
    """The API raises the CLI's exception, with the CLI's message and exit code."""
    result = runner.invoke(app, [*args, "--json"])
    with pytest.raises(error) as caught:
        ask(kb)
    assert result.stderr.splitlines()[-1] == f"lj-facts: {caught.value}"
    assert result.exit_code == caught.value.exit_code


def test_an_unreadable_file_is_the_clis_error(runner, tmp_path, write_file):
    """A knowledge file that does not hold: the same KnowledgeFileError as `--file` gets."""
    broken = write_file(text=MINIMAL.replace('kind = "number"', 'kind = "numbr"'))
    result = runner.invoke(app, ["--file", str(broken), "list", "--json"])
    with pytest.raises(lj_facts.KnowledgeFileError) as caught:
        lj_facts.load(broken)
    assert result.stderr == f"lj-facts: {caught.value}\n"
    assert result.exit_code == caught.value.exit_code == lj_facts.ExitCode.ERROR
    with pytest.raises(lj_facts.KnowledgeFileError, match=r"missing\.toml"):
        lj_facts.load(tmp_path / "missing.toml")


def test_an_unknown_topic_names_the_topics(kb):
    with pytest.raises(lj_facts.NotFoundError, match=r"no topic 'industri'; valid topics: economy, "):
        kb.topic("industri")


def test_show_needs_an_id(kb):
    with pytest.raises(lj_facts.UsageError):
        kb.show()


def test_every_error_is_an_lj_facts_error():
    assert issubclass(lj_facts.NotFoundError, lj_facts.LjFactsError)
    assert issubclass(lj_facts.UsageError, lj_facts.LjFactsError)
    assert issubclass(lj_facts.KnowledgeFileError, lj_facts.LjFactsError)


# --- The package ---------------------------------------------------------------------------------


def test_import_is_cheap():
    """`import lj_facts` imports neither the API nor Typer, Rich or typing (a fresh interpreter)."""
    code = "import sys, lj_facts; print(sorted(m for m in ('lj_facts.api', 'typer', 'rich', 'typing') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_stays_the_function_when_the_module_is_imported():
    """The submodule `lj_facts.load` never replaces the function `lj_facts.load` (a fresh interpreter)."""
    code = (
        "import lj_facts, lj_facts.load, importlib; from lj_facts.load import knowledge_files; "
        "import lj_facts.index; lj_facts.load(cache=False); "
        "print(callable(lj_facts.load), type(importlib.import_module('lj_facts.load')).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "module"]
    assert isinstance(importlib.import_module("lj_facts.load"), types.ModuleType)
    assert lj_facts.load.__module__ == "lj_facts.api"


def test_no_module_imports_the_load_module_by_the_packages_name():
    """`from . import load` (or `from .. import load`) inside lj_facts would get the API's function, not the
    module: every module names what it takes from `load` (mypy flags it too)."""
    import ast

    package = Path(lj_facts.__file__).parent
    wrong = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            relative = isinstance(node, ast.ImportFrom) and node.level and not node.module
            if relative and any(alias.name == "load" for alias in node.names):  # type: ignore[union-attr]
                wrong.append(f"{path.relative_to(package)}:{node.lineno}")
    assert wrong == []


def test_public_names_and_typing_marker():
    """Every name of `__all__` is there; the package says it is typed (PEP 561)."""
    for name in lj_facts.__all__:
        assert getattr(lj_facts, name) is not None
    assert set(lj_facts.__all__) <= set(dir(lj_facts))
    assert (Path(lj_facts.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError):
        lj_facts.nothing_of_the_kind  # noqa: B018


# --- The docs' examples --------------------------------------------------------------------------

_BLOCK = re.compile(r"^```(?:pycon|python)\n(.*?)^```", re.M | re.S)


def doc_blocks(path: Path) -> list[tuple[int, str]]:
    """The examples (`>>>`) of a Markdown file's code blocks, with their line numbers."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _BLOCK.finditer(text) if ">>>" in m.group(1)]


@pytest.mark.parametrize("page, at_least", [("api.md", 8), ("schema.md", 1)])
def test_docs_examples_run(tmp_path, monkeypatch, page, at_least):
    """Every example of the page runs and prints what the page says, in order, as one session (a block
    that imports pandas is skipped where it is not installed)."""
    monkeypatch.chdir(tmp_path)
    blocks = doc_blocks(DOCS / page)
    assert len(blocks) >= at_least
    globs: dict = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    parser = doctest.DocTestParser()
    for line, block in blocks:
        if "import pandas" in block and importlib.util.find_spec("pandas") is None:
            continue
        test = parser.get_doctest(block, globs, f"docs/{page}:{line}", str(DOCS / page), line)
        runner.run(test, clear_globs=False)
        globs = test.globs  # the next block goes on from this one's names
    assert runner.failures == 0, f"{runner.failures} example(s) of docs/{page} failed (see the output above)"

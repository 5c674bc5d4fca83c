"""`--where`: keep the rows of a listing where a comparison on one of their fields holds.

    --where 'growth_pct>30'   --where unit=亿元   --where 'label~port'   --where 'topics=auto'

A condition is FIELD OPERATOR VALUE. Numbers are compared as numbers; text after the project's text
normalisation (`text.normalise`: full-width as half-width, any case, traditional as simplified),
with `~` for "contains"; a list (`topics`) holds when one of its items does (`!=` and `!~`: when
none does). A row without a value for the field (None, empty) never matches, whatever the operator:
`growth_pct!=30` keeps the rows that have a growth rate other than 30, not those without one.
Several conditions must all hold. Pure functions over the rows of the machine formats.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, NamedTuple

from . import fields
from .errors import UsageError, one_line

OPERATORS: tuple[tuple[str, str], ...] = (
    ("=", "equals (== too)"),
    ("!=", "differs from"),
    ("<", "below"),
    ("<=", "at most"),
    (">", "above"),
    (">=", "at least"),
    ("~", "contains (text)"),
    ("!~", "does not contain (text)"),
)
"""The operators of a condition, and what each means (the docs and the messages say them so)."""

_SPELLINGS = {"==": "=", "≠": "!=", "≤": "<=", "≥": ">=", "<>": "!="}
"""Other ways to write an operator (`≥` as the tables print it; NFKC has made `＞` of `>` already)."""
_ORDERING = frozenset({"<", "<=", ">", ">="})
_TEXT_ONLY = frozenset({"~", "!~"})

_CONDITION = r"\s*(?P<field>[^\s<>=!~≠≤≥]*)\s*(?P<op><>|!=|<=|>=|==|!~|=|<|>|~|≠|≤|≥)(?P<value>.*)"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_THOUSANDS = r"(?<=\d),(?=\d{3}(?!\d))"
"""The patterns of a condition, a number and a thousands separator: compiled when a --where is
given (`_compiled`), not at every start-up (about 1.5 ms)."""
_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})

EXAMPLES = "growth_pct>30, unit=亿元, label~port"
"""What a condition looks like, for the messages."""


class Condition(NamedTuple):
    """One `--where`: FIELD OPERATOR VALUE."""

    text: str
    """The condition as typed, for messages."""
    field: str
    """The field compared."""
    operator: str
    """One of `OPERATORS` (`==` is read as `=`, `≥` as `>=`)."""
    value: str
    """The value as typed, without the blanks and quotation marks around it."""
    number: float | None
    """The value read as a number (`2,008.3`, `−5`, `1e3`, `30%`), None where it reads as none."""
    normal: str
    """The value as text is compared: normalised (`text.normalise`)."""

    def __str__(self) -> str:
        return self.text


def _operators() -> str:
    return " ".join(op for op, _ in OPERATORS)


def _quoted(text: str) -> str:
    """A condition as a shell would take it back (`'growth_pct>30'`), made visible (control characters)."""
    from .writers import printable

    return "'" + printable(one_line(text)).replace("'", "'\\''") + "'"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.S | re.I)


def read_number(value: str) -> float | None:
    """`30`, `-5`, `−5` (the minus sign the tables print), `2,008.3`, `1e3`, `30%` as a number; else None."""
    import math

    text = value.strip().replace("\u2212", "-").removesuffix("%").strip()
    text = _compiled(_THOUSANDS).sub("", text)
    if not _compiled(_NUMBER).fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def parse(text: str) -> Condition:
    """A condition as typed; a UsageError (exit 2) where it is none, saying what one looks like."""
    import unicodedata

    from .text import QUOTES, normalise

    shown = _quoted(text)
    folded = unicodedata.normalize("NFKC", text)  # full-width ＞ and ＝ typed with a Chinese input method
    match = _compiled(_CONDITION).fullmatch(folded)
    if match is None:
        raise UsageError(
            f"--where {shown} is no comparison: write FIELD OPERATOR VALUE ({EXAMPLES}); operators: {_operators()}"
            + ("; --has FIELD keeps the rows where a field has a value" if folded.strip() else "")
        )
    name, op, value = match["field"], match["op"], match["value"].strip()
    op = _SPELLINGS.get(op, op)
    if not name:
        raise UsageError(f"--where {shown} names no field before {op!r} ({EXAMPLES})")
    if op == "=" and value[:1] in ("<", ">", "~"):  # `=>`, `=<`, `=~`: an operator typed the other way round
        meant = {">": ">=", "<": "<=", "~": "~"}[value[0]]
        raise UsageError(f"--where {shown}: {op + value[0]!r} is no operator; did you mean {meant!r}? ({_operators()})")
    value = value.strip(QUOTES).strip()
    if not value:
        raise UsageError(
            f"--where {shown}: no value after {op!r} for {name}; --has {name} keeps the rows where it has one"
        )
    return Condition(text, name, op, value, read_number(value), normalise(value))


def parse_all(texts: Iterable[str] | None) -> tuple[Condition, ...]:
    """Every `--where` of a command, in order (each must hold)."""
    return tuple(parse(text) for text in texts or ())


def check(conditions: Sequence[Condition], available: Sequence[str]) -> None:
    """A UsageError for a condition this listing cannot test: a field it has not (with the closest),
    an operator the field's type has not, a value that is no number for a number."""
    from .suggest import unknown_field

    for c in conditions:
        shown = _quoted(c.text)
        if c.field not in available:
            raise UsageError(unknown_field("--where", c.field, available).replace("--where:", f"--where {shown}:", 1))
        kind = fields.BY_NAME[c.field].type if c.field in fields.BY_NAME else "text"
        if kind in ("number", "integer"):
            if c.operator in _TEXT_ONLY:
                raise UsageError(
                    f"--where {shown}: {c.operator!r} compares text, and {c.field} is a number: "
                    "compare it with = != < <= > >="
                )
            if c.number is None:
                raise UsageError(
                    f"--where {shown}: {c.field} is a number, and {c.value!r} is none (30, -5, 2.5, 2,008.3, 1e3)"
                )
        elif kind == "boolean":
            if c.operator not in ("=", "!="):
                raise UsageError(f"--where {shown}: {c.field} is true or false: compare it with = or !=")
            if c.normal not in _TRUE | _FALSE:
                raise UsageError(f"--where {shown}: {c.field} is true or false, and {c.value!r} is neither")
        elif kind == "list" and c.operator in _ORDERING:
            raise UsageError(
                f"--where {shown}: {c.field} is a list: = (an item is), != (none is), ~ (an item contains), "
                "!~ (none contains)"
            )


@lru_cache(maxsize=8192)
def _normal(text: str) -> str:
    """A row's text as a condition's value is: normalised (cached: a listing repeats its units and periods)."""
    from .text import normalise

    return normalise(text)


_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
    "~": lambda a, b: b in a,
    "!~": lambda a, b: b not in a,
}


def _text_holds(text: str, c: Condition) -> bool:
    return _COMPARE[c.operator](_normal(text), c.normal)


def matches(row: Mapping[str, Any], c: Condition) -> bool:
    """Whether the row's field holds the condition; a field without a value (None, "", []) never does."""
    value = row.get(c.field)
    if value is None or value == "" or value == []:
        return False
    if isinstance(value, bool):
        wanted = c.normal in _TRUE
        return value == wanted if c.operator == "=" else value != wanted
    if isinstance(value, (int, float)):
        if c.number is None or c.operator in _TEXT_ONLY:  # a field the registry calls text, holding a number
            from .rows import number

            return _text_holds(number(value), c)
        return _COMPARE[c.operator](value, c.number)
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
        if c.operator in ("!=", "!~"):  # none of the items is (or contains) the value
            positive = c._replace(operator="=" if c.operator == "!=" else "~")
            return not any(_text_holds(item, positive) for item in items)
        return any(_text_holds(item, c) for item in items)
    return _text_holds(str(value), c)


def keep(row: Mapping[str, Any], conditions: Sequence[Condition]) -> bool:
    """Whether every condition holds for the row."""
    return all(matches(row, c) for c in conditions)

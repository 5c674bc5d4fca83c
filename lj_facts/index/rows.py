"""How the index stores a record: the schema, a record as a row of a column a field, and back, checked."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from .. import __version__
from ..model import (
    UNITS,
    CityFigure,
    Fact,
    Indicator,
    Kind,
    Meta,
    Qualifier,
    Source,
    Topic,
)
from ..ranges import CITY_RANGES, FACT_RANGES, Range

FORMAT = f"lj-facts index 11 ({__version__})"
"""Written into every index; an index of another format or version is rebuilt."""

LABEL_FIELD, ID_FIELD, TEXT_FIELD, UNIT_FIELD, TOPIC_FIELD, WHOLE_LABEL, CHINESE = range(7)
"""The fields of a fact's search text, in order; in `words`, also the words of topic names (TOPIC_FIELD)
and whole labels, folded and as stems (WHOLE_LABEL), which tell a search what rank it can hope for,
and the Chinese characters and pairs of characters of labels and quotes (CHINESE, `text.chinese_pieces`)."""


def field_names(record: Any) -> tuple[str, ...]:
    """The fields of a record type (a named tuple)."""
    return tuple(record._fields)


def column_list(record: Any) -> str:
    return ", ".join(field_names(record))


SCHEMA = f"""
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE meta (position INTEGER PRIMARY KEY, {column_list(Meta)});
CREATE TABLE indicators (position INTEGER PRIMARY KEY, {column_list(Indicator)});
CREATE TABLE city_figures ({column_list(CityFigure)});
CREATE TABLE sources (position INTEGER PRIMARY KEY, {column_list(Source)});
CREATE TABLE topics (position INTEGER PRIMARY KEY, {column_list(Topic)});
CREATE TABLE topic_names (name TEXT NOT NULL, slug TEXT NOT NULL, alias INTEGER NOT NULL, stems TEXT NOT NULL);
CREATE TABLE glossary (term TEXT NOT NULL, key TEXT NOT NULL, grp INTEGER NOT NULL);
CREATE TABLE facts (position INTEGER PRIMARY KEY, city INTEGER NOT NULL, {column_list(Fact)});
CREATE TABLE haystack (first INTEGER PRIMARY KEY, starts BLOB NOT NULL, text BLOB NOT NULL);
CREATE UNIQUE INDEX facts_id ON facts (id);
CREATE TABLE fact_topics (topic TEXT NOT NULL, secondary INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE words (word TEXT NOT NULL, field INTEGER NOT NULL, PRIMARY KEY (word, field)) WITHOUT ROWID;
"""
DROP = """
DROP TABLE IF EXISTS info; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS city_figures; DROP TABLE IF EXISTS sources;
DROP TABLE IF EXISTS topics; DROP TABLE IF EXISTS topic_names;
DROP TABLE IF EXISTS facts; DROP TABLE IF EXISTS haystack; DROP TABLE IF EXISTS fact_topics;
DROP TABLE IF EXISTS words; DROP TABLE IF EXISTS glossary; DROP TABLE IF EXISTS indicators;
"""
INDEXES = """
CREATE INDEX topic_names_name ON topic_names (name);
CREATE INDEX topic_names_stems ON topic_names (stems);
CREATE INDEX glossary_key ON glossary (key);
CREATE INDEX fact_topics_topic ON fact_topics (topic, secondary, position);
"""


# --- Records to rows and back ------------------------------------------------------------------
# A record is stored a field a column (no JSON to decode on the start-up path); a tuple field
# (topics, aliases, names, city_context) as its items joined by the unit separator, an enum as its value.

_SEP = "\x1f"
FACT_COLUMN_LIST = column_list(Fact)


def as_row(record: Any) -> tuple[Any, ...]:
    return tuple(_SEP.join(v) if isinstance(v, tuple) else v.value if isinstance(v, Enum) else v for v in record)


def items(text: str) -> tuple[str, ...]:
    if not isinstance(text, str):
        raise Damaged(f"a list stored as {type(text).__name__}")
    return tuple(text.split(_SEP)) if text else ()


class Damaged(ValueError):
    """A row of the index holds what lj-facts never writes there: the index is damaged."""


def _text_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise Damaged(f"{value!r} where text belongs")


def required_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise Damaged(f"{value!r} where text belongs")


def _unit_or_none(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in UNITS):
        return value
    raise Damaged(f"{value!r} is no unit")


def _number_of(bounds: Range) -> Callable[[Any], Any]:
    import functools

    # A file repeats its figures (shares, growth rates, 1 个): each distinct value is checked once
    # per run. `typed` keeps 1, 1.0 and True apart, so a boolean is never let through as a 1.
    @functools.lru_cache(maxsize=4096, typed=True)
    def checked(value: Any) -> Any:
        complaint = bounds.complaint(value)
        if complaint:
            raise Damaged(complaint)
        return value if bounds.whole else float(value)

    def check(value: Any) -> Any:
        return None if value is None else checked(value)

    return check


def _enum_of(enum: type[Qualifier] | type[Kind]) -> Callable[[Any], Any]:
    """A value of `enum` by a dictionary look-up (an Enum call costs several times more, a fact a row)."""
    members: dict[Any, Any] = {m.value: m for m in enum}

    def check(value: Any) -> Any:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise Damaged(f"{value!r} is not one of {', '.join(members)}")
        return member

    return check


def _finite_or_none(value: Any) -> Any:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300):
        return value
    raise Damaged(f"{value!r} where a number belongs")


def _check_for(name: str, annotation: str, ranges: dict[str, Range]) -> Callable[[Any], Any]:
    """How a column of a record's field is read back: from the field's type, so a new field is checked too."""
    annotation = re.sub(r"ForwardRef\('(.*)'\)", r"\1", annotation)  # a NamedTuple's string annotations
    if name in ranges:
        return _number_of(ranges[name])
    if name == "unit":
        return _unit_or_none
    for marker, check in (("tuple", items), ("Qualifier", _enum_of(Qualifier)), ("Kind", _enum_of(Kind))):
        if marker in annotation:
            return check
    if "float" in annotation or "int" in annotation:
        return _finite_or_none
    return required_text if annotation == "str" else _text_or_none


def _checks(record: Any, ranges: dict[str, Range]) -> tuple[Callable[[Any], Any], ...]:
    """A check for each column of a record type, in order: what the loader accepts, converted; else `Damaged`."""
    return tuple(_check_for(name, str(record.__annotations__[name]), ranges) for name in field_names(record))


_FACT_CHECKS = _checks(Fact, FACT_RANGES)
_FACT_NULLABLE = tuple("None" in str(Fact.__annotations__[name]) for name in Fact._fields)
"""Which columns of a fact may be empty (its field's type admits None)."""
_CITY_CHECKS = _checks(CityFigure, CITY_RANGES)
_META_CHECKS = _checks(Meta, {})
_INDICATOR_CHECKS = _checks(Indicator, {})
_SOURCE_CHECKS = _checks(Source, {})


def fact_from(row: Sequence[Any]) -> Fact:
    """The fact of a row, every field checked as the loader checks it (an enum outside its values raises `Damaged`)."""
    if len(row) != len(_FACT_CHECKS):
        raise Damaged("a fact row of the wrong length")
    # Most columns of a fact are empty: an empty one that may be is taken as it is, not checked.
    values: list[Any] = [
        None if v is None and nullable else check(v)
        for check, nullable, v in zip(_FACT_CHECKS, _FACT_NULLABLE, row, strict=True)
    ]
    return Fact._make(values)


def topic_from(row: Sequence[Any]) -> Topic:
    slug, name, name_zh, aliases, description = row
    required_text(description)
    return Topic(required_text(slug), required_text(name), required_text(name_zh), items(aliases), description)


def city_figure_from(row: Sequence[Any]) -> CityFigure:
    values: list[Any] = [check(v) for check, v in zip(_CITY_CHECKS, row, strict=True)]
    return CityFigure(*values)


def source_from(row: Sequence[Any]) -> Source:
    return Source._make([check(v) for check, v in zip(_SOURCE_CHECKS, row, strict=True)])


def meta_from(row: Sequence[Any]) -> Meta:
    return Meta._make([check(v) for check, v in zip(_META_CHECKS, row, strict=True)])


def indicator_from(row: Sequence[Any]) -> Indicator:
    return Indicator._make([check(v) for check, v in zip(_INDICATOR_CHECKS, row, strict=True)])


def qualified(record: Any, alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in field_names(record))

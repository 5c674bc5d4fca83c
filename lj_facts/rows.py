"""Rows: facts, city figures and topics as plain dicts with the columns of `FACT_COLUMNS` (and
`CITY_COLUMNS`, `CITY_FIGURE_COLUMNS`, `TOPIC_COLUMNS`), the public contract of the machine formats."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from . import fields
from .model import UNITS, CityFigure, Fact, Kind, Qualifier, Source, Topic

if TYPE_CHECKING:
    from .compare import Comparison

FACT_COLUMNS: tuple[str, ...] = fields.names(fields.FACT)
"""The fields of every fact row, in order: JSON keys and CSV/TSV columns (see `fields`)."""

CITY_COLUMNS: tuple[str, ...] = fields.names(fields.CITY)
"""The fields `--city` adds after FACT_COLUMNS."""

CITY_FIGURE_COLUMNS: tuple[str, ...] = fields.names(fields.CITY_FIGURE)
"""The fields of a row of `lj-facts city-figures`."""

CITY_FIGURE_KIND = "city_figure"
"""The `kind` of a row that is a published city figure among fact rows (`search`, `show`)."""

TOPIC_COLUMNS: tuple[str, ...] = fields.names(fields.TOPIC)
"""The fields of a row of `lj-facts topics`."""

Row = dict[str, Any]


class Format(str, Enum):
    """Output formats."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"


EXACT_WHOLE = 2**53
"""Below this, a whole float is an exact integer; above, int() would print the float's binary noise."""


def _whole(row: Row) -> Row:
    """Whole figures as whole numbers (15, not 15.0) in every format, where the integer is exact."""
    for k, v in row.items():
        if type(v) is float and v.is_integer() and abs(v) < EXACT_WHOLE:
            row[k] = int(v)
    return row


def positional(x: float, grouping: str = "") -> str:
    """A float's shortest digits without an exponent: 1e+23 → 100000000000000000000000."""
    from decimal import Decimal

    return format(Decimal(repr(float(x))), f"{grouping}f")


_VALUE: dict[Enum, str] = {member: member.value for enum in (Kind, Qualifier) for member in enum}
"""An enum member's value by a dict look-up: `.value` goes through a descriptor, a dozen times slower."""
_fact_values = attrgetter(*FACT_COLUMNS)
"""The values of FACT_COLUMNS of a fact, in one call (a listing of 100,000 facts makes 100,000 rows)."""
_NUMBERS = tuple(f.name for f in fields.FACT if f.numeric)
"""The columns of a fact row that hold numbers: a whole one is written as an integer."""


def fact_row(fact: Fact, comparison: Comparison | None = None, city: bool = False) -> Row:
    """The fact as a row of FACT_COLUMNS (and CITY_COLUMNS with `city`): None where a field does not apply."""
    out: Row = dict(zip(FACT_COLUMNS, _fact_values(fact), strict=True))
    for name in _NUMBERS:
        v = out[name]
        if type(v) is float and v.is_integer() and abs(v) < EXACT_WHOLE:
            out[name] = int(v)
    out["topics"] = list(fact.topics)
    out["kind"] = _VALUE[fact.kind]
    out["qualifier"] = None if fact.value is None else _VALUE[fact.qualifier]
    out["growth_qualifier"] = None if fact.growth_pct is None else _VALUE[fact.growth_qualifier]
    out["city_share_qualifier"] = None if fact.city_share_pct is None else _VALUE[fact.city_share_qualifier]
    if city:
        from .compare import Comparison, total_qualifier

        c = comparison or Comparison()
        published = c.published
        out |= _whole(
            {
                "city_total": c.total,
                "city_total_source": c.total_source,
                "city_total_low": c.implied_low,
                "city_total_high": c.implied_high,
                "city_growth_pct": c.city_growth_pct,
                "city_growth_source": c.city_growth_source,
                "city_total_implied": c.implied_total,
                "city_total_published": c.published_total,
                "city_total_difference": c.difference,
                "city_share_computed_pct": c.computed_share_pct,
                "city_growth_implied_pct": c.implied_growth_pct,
                "city_figure": published.id if published else None,
                "city_period": published.period if published else None,
                "periods_match": c.periods_match(fact),
                "city_source": published.source if published else None,
                "city_note": c.period_note(fact) or (published.note if published else None),
                "city_context": list(fact.city_context),
                "city_total_qualifier": total_qualifier(fact, comparison),
            }
        )
    return out


def city_figure_row(figure: CityFigure, linked: Sequence[str] = (), context: Sequence[str] = ()) -> Row:
    """A row of CITY_FIGURE_COLUMNS: the published figure and the facts that link to it or show it as context."""
    out: Row = {name: getattr(figure, name) for name in CITY_FIGURE_COLUMNS[:-2]}
    out["linked_facts"] = list(linked)
    out["context_facts"] = list(context)
    return _whole(out)


def city_figure_fact_row(figure: CityFigure, city: bool = False) -> Row:
    """A published city figure as a row of the fact columns, `kind` = `city_figure`, so that listings of
    facts (`search`, `show`) stay one table: the label_zh as `text`, the figure's own period, its publisher
    in `city_source`. `lj-facts city-figures` has the whole record (area, date, URL, linked facts)."""
    out: Row = dict.fromkeys(FACT_COLUMNS + CITY_COLUMNS if city else FACT_COLUMNS)
    unit = UNITS[figure.unit] if figure.unit else None
    out |= {
        "id": figure.id,
        "topics": [],
        "label": figure.label,
        "text": figure.label_zh,
        "kind": CITY_FIGURE_KIND,
        "value": figure.value,
        "unit": figure.unit,
        "qualifier": Qualifier.EXACT.value if figure.value is not None else None,
        "period": figure.period,
        "growth_pct": figure.growth_pct,
        "growth_qualifier": Qualifier.EXACT.value if figure.growth_pct is not None else None,
        "value_base": unit.to_base(figure.value) if unit and figure.value is not None else None,
        "base_unit": unit.base_unit if unit else None,
        "note": figure.note,
    }
    if city:
        out |= {
            "city_figure": figure.id,
            "city_period": figure.period,
            "city_source": figure.source,
            "city_context": [],
        }
    return _whole(out)


def topic_row(topic: Topic, count: int) -> Row:
    """A row of TOPIC_COLUMNS."""
    return {
        "slug": topic.slug,
        "name": topic.name,
        "name_zh": topic.name_zh,
        "aliases": list(topic.aliases),
        "description": topic.description,
        "facts": count,
    }


def source_row(source: Source) -> Row:
    """A row of `fields.SOURCE`: a document the facts quote (the Python API's `Source`, the export's `sources`)."""
    return {name: getattr(source, name) for name in fields.names(fields.SOURCE)}


def number(x: float | None) -> str:
    """A figure as the report prints it: 2008.3, 15, 0.7 (no exponent, no float noise)."""
    if x is None:
        return ""
    if abs(x) >= EXACT_WHOLE or "e" in repr(float(x)):
        return positional(x)
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))

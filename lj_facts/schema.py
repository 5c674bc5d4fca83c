"""The JSON Schema of each kind of row the machine formats write (`lj-facts schema`, docs/schema/).

Made from the field registry (`fields`): a field's type and meaning are written once, there. What
the registry does not say is here: which fields are never null, the closed vocabularies a field takes
its values from, and the patterns of ids and periods. docs/schema.md states what may change in which
release; the schema's `$id` carries the version that wrote it.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from . import __version__, fields
from .fields import Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect the schemas are written in."""


class Kind(NamedTuple):
    """A kind of row: its fields, those never null, and what writes it."""

    name: str
    fields: tuple[Field, ...]
    never_null: frozenset[str]
    """Fields present in every row with a value (a list may be empty); the others may be null."""
    title: str
    description: str
    optional: tuple[Field, ...] = ()
    """Fields that follow `fields` in some rows only: all of them, or none (the city comparison)."""


def _vocabularies() -> dict[str, tuple[str, ...]]:
    """The closed vocabularies, by field name: a value outside them is a new value, which only a major
    release brings (docs/schema.md)."""
    from .model import INDICATOR_KINDS, PER, STATUSES, Qualifier
    from .model import Kind as FactKind
    from .rows import CITY_FIGURE_KIND

    qualifiers = tuple(q.value for q in Qualifier)
    return {
        "kind": (*(k.value for k in FactKind), CITY_FIGURE_KIND),
        "qualifier": qualifiers,
        "growth_qualifier": qualifiers,
        "city_share_qualifier": qualifiers,
        "per": PER,
        "status": STATUSES,
        "city_total_source": ("published", "implied"),
        "city_growth_source": ("published", "implied"),
        "city_total_qualifier": ("exact", "about", "over", "at_least", "under", "at_most"),
        "growth_check": ("agrees", "differs"),
        "indicator_kind": INDICATOR_KINDS,
    }


def _patterns() -> dict[str, str]:
    """The patterns of ids, slugs, periods and dates, by field name: as the knowledge file's schema checks them."""
    from .load import DATE, FACT_ID, PERIOD, TOPIC_SLUG

    return {
        "id": FACT_ID.pattern,
        "period": PERIOD.pattern,
        "city_period": PERIOD.pattern,
        "date": DATE.pattern,
        "slug": TOPIC_SLUG.pattern,
        "topics": TOPIC_SLUG.pattern,
    }


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "fact",
            fields.FACT,
            frozenset(("id", "topics", "label", "text", "kind", "period")),
            "A fact row",
            "An element of the array `--json` writes (a line of `--nl`) for a topic, `search`, `list`, `show`, "
            "`city` and `growth`; a published city figure among facts has `kind` = `city_figure`. With `--city`, "
            "and always in `show`, `city` and `growth`, the city keys follow, all of them.",
            fields.CITY,
        ),
        Kind(
            "city-figure",
            fields.CITY_FIGURE,
            frozenset(("id", "label", "label_zh", "period", "area", "source", "linked_facts", "context_facts")),
            "A published city figure",
            "A row of `lj-facts city-figures`: a figure the city published for its whole territory.",
        ),
        Kind(
            "topic",
            fields.TOPIC,
            frozenset(f.name for f in fields.TOPIC),
            "A topic",
            "A row of `lj-facts topics`.",
        ),
        Kind(
            "series",
            fields.SERIES,
            frozenset(("indicator", "period", "span", "cumulative", "source", "id", "text")),
            "A period of an indicator",
            "A row of `lj-facts series INDICATOR`: a fact of the indicator, its growth checked against the levels.",
        ),
        Kind(
            "indicator",
            fields.INDICATOR,
            frozenset(("slug", "label", "label_zh", "kind", "facts", "periods")),
            "An indicator",
            "A row of `lj-facts series` (no indicator named): a measure that recurs across reports.",
        ),
        Kind(
            "source",
            fields.SOURCE,
            frozenset(("id", "title")),
            "A source",
            "A document the facts quote: the Python API's `Source` and the export's `sources` table.",
        ),
    )
}
"""The kinds of row, by the name `lj-facts schema KIND` takes."""

_JSON_TYPE = {"text": "string", "number": "number", "integer": "integer", "boolean": "boolean"}


def schema_id(kind: str | None = None) -> str:
    """The `$id` of a kind's schema (of them all: None): a URN that carries the version of lj-facts."""
    return f"urn:lj-facts:{__version__}:schema" + (f":{kind}" if kind else "")


def _property(field: Field, kind: Kind, vocabularies: dict[str, tuple[str, ...]], patterns: dict[str, str]) -> Any:
    nullable = field.name not in kind.never_null
    out: dict[str, Any] = {"description": field.meaning}
    if field.type == "list":
        out["type"] = "array"
        out["items"] = {"type": "string"}
        if field.name in patterns:
            out["items"]["pattern"] = patterns[field.name]
        return out
    out["type"] = [_JSON_TYPE[field.type], "null"] if nullable else _JSON_TYPE[field.type]
    vocabulary = vocabularies.get("indicator_kind" if kind.name == "indicator" and field.name == "kind" else field.name)
    if vocabulary is not None:
        out["enum"] = [*vocabulary, *([None] if nullable else [])]
    elif field.name in patterns and field.type == "text":
        out["pattern"] = patterns[field.name]
    return out


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a row of the kind `name` (a key of KINDS)."""
    kind = KINDS[name]
    vocabularies, patterns = _vocabularies(), _patterns()
    properties = {f.name: _property(f, kind, vocabularies, patterns) for f in (*kind.fields, *kind.optional)}
    out: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "title": f"lj-facts {__version__}: {kind.title}",
        "description": kind.description + " Every key is present; null where a field does not apply.",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in kind.fields],
    }
    if kind.optional:
        first, *rest = (f.name for f in kind.optional)
        out["dependentRequired"] = {first: rest}
    return out


def bundle() -> dict[str, Any]:
    """Every kind's schema in one document, under `$defs`."""
    return {
        "$schema": DIALECT,
        "$id": schema_id(),
        "title": f"lj-facts {__version__}: the rows of the machine formats",
        "description": "One schema a kind of row: `lj-facts schema KIND` prints one of them.",
        "$defs": {name: schema(name) for name in KINDS},
    }


def text(name: str | None = None, ascii_only: bool = False) -> str:
    """A kind's schema (every kind's: None) as indented JSON, with a final newline."""
    return json.dumps(schema(name) if name else bundle(), ensure_ascii=ascii_only, indent=2) + "\n"

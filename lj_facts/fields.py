"""The one registry of output fields: name, type and meaning of each key of the machine formats.

It drives the columns of every format (JSON keys, CSV/TSV columns, the `--fields` table), the
validation of `--fields`, `--sort` and `--has`, and the field table of the README
(`python docs/readme.py --update` writes it from here).
"""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    """One key of the machine formats."""

    name: str
    """The JSON key and CSV/TSV column name."""
    type: str
    """`text`, `number` (a JSON number), `integer`, `boolean` or `list` (of text; comma-joined in CSV/TSV)."""
    meaning: str
    """One line for the README and `--help`."""
    long: bool = False
    """Prose that wraps in a table (label, quote, note) rather than a short value."""

    @property
    def numeric(self) -> bool:
        return self.type in ("number", "integer")


FACT: tuple[Field, ...] = (
    Field("id", "text", "the fact's stable id"),
    Field("topics", "list", "topic slugs, primary first (comma-joined in CSV/TSV)"),
    Field("label", "text", "English label", long=True),
    Field("text", "text", "the report's words, verbatim", long=True),
    Field("kind", "text", "`number` or `claim`; `city_figure` for a published city figure among facts (below)"),
    Field("value", "number", "the figure, in `unit`"),
    Field("unit", "text", "the unit of `value` (亿元, 家, %, …)"),
    Field("qualifier", "text", "of `value`: `exact`, `over`, `at_least`, `about`, `nearly`"),
    Field("period", "text", "`2021-H1`, `2021-06-30`, `per-year`, `not-given`, …"),
    Field("growth_pct", "number", "growth in percent, year on year unless `growth_span_years` says otherwise"),
    Field("growth_qualifier", "text", "qualifier of `growth_pct`"),
    Field("city_share_pct", "number", "share of the city (重庆市) total, in percent"),
    Field("city_share_qualifier", "text", "qualifier of `city_share_pct`"),
    Field("value_base", "number", "the value in the base unit (2008.3 亿元 = 200830000000 CNY)"),
    Field("base_unit", "text", "the base unit of `value_base`"),
    Field("growth_span_years", "integer", "years the growth spans when not one"),
    Field("city_share_change_pp", "number", "change of the city share, percentage points"),
    Field("city_growth_gap_pp", "number", "percentage points by which the growth exceeds the city's"),
    Field("change_pp", "number", "change of a rate, percentage points"),
    Field("rank", "integer", "place in a ranking"),
    Field("rank_of", "integer", "how many are ranked"),
    Field("note", "text", "what a reader needs to read the figure right", long=True),
    Field(
        "source", "text", "id of the `[[sources]]` entry the fact quotes (`report` for a file without `[[sources]]`)"
    ),
    Field("indicator", "text", "slug of the indicator the fact measures, which lines it up across reports (`series`)"),
    Field("change", "number", "absolute change against a year before, in `unit` (增长2.9亿元)"),
    Field("mom_growth_pct", "number", "growth on the period just before (环比), percent: never year on year"),
    Field("per", "text", "what `value` is a rate per: `day`, `week`, `month`, `year`; empty for a total"),
    Field("status", "text", "`result` (what happened), `target` (力争, 目标) or `forecast` (预计)"),
)
"""The fields of every fact row, in order."""

CITY: tuple[Field, ...] = (
    Field("city_total", "number", "the published city total where there is one, else the implied one (fact's unit)"),
    Field("city_total_source", "text", "`published` or `implied`"),
    Field("city_total_low", "number", "lowest implied total the rounding of value and share allows"),
    Field("city_total_high", "number", "highest implied total the rounding allows"),
    Field("city_growth_pct", "number", "the city's growth, published or implied (growth − gap)"),
    Field("city_growth_source", "text", "`published` or `implied`"),
    Field("city_total_implied", "number", "value ÷ share"),
    Field("city_total_published", "number", "the published total, converted to the fact's unit"),
    Field("city_total_difference", "number", "published − implied"),
    Field("city_share_computed_pct", "number", "value ÷ published total, where the report prints no share"),
    Field("city_growth_implied_pct", "number", "growth − the report's gap, also where a published growth exists"),
    Field("city_figure", "text", "id of the published city figure"),
    Field("city_period", "text", "period of the published city figure"),
    Field("periods_match", "boolean", "whether the published city figure covers the fact's period"),
    Field("city_source", "text", "who published the city figure"),
    Field("city_note", "text", "a period mismatch, or the city figure's note", long=True),
    Field("city_context", "list", "ids of city figures shown as context only, never compared"),
    Field(
        "city_total_qualifier",
        "text",
        "of `city_total`: `exact` where published; where implied, where the true total lies against value ÷ share: "
        "`about` (also for exact value and share, within `city_total_low`–`city_total_high`), `over`, `at_least`, "
        "`under`, `at_most` (a qualified value or share makes it a bound)",
    ),
)
"""The fields `--city` adds after FACT (always there in `show`, `city` and `growth`)."""

TOPIC: tuple[Field, ...] = (
    Field("slug", "text", "the topic's key"),
    Field("name", "text", "English name"),
    Field("name_zh", "text", "Chinese name"),
    Field("aliases", "list", "other names it answers to (comma-joined in CSV/TSV)", long=True),
    Field("description", "text", "what facts belong here", long=True),
    Field("facts", "integer", "how many facts it holds"),
)
"""The fields of a row of `lj-facts topics`."""

CITY_FIGURE: tuple[Field, ...] = (
    Field("id", "text", "the city figure's id (`city.gdp`)"),
    Field("label", "text", "the indicator in English", long=True),
    Field("label_zh", "text", "the indicator as published in Chinese"),
    Field("value", "number", "the city total, in `unit`"),
    Field("unit", "text", "the unit of `value`"),
    Field("growth_pct", "number", "year-on-year growth in percent"),
    Field("period", "text", "the period it covers"),
    Field("area", "text", "the area it covers"),
    Field("publisher", "text", "who published it"),
    Field("date", "text", "when it was published"),
    Field("url", "text", "the page it was read from"),
    Field("source", "text", "who published it, when, and where it was reported", long=True),
    Field("note", "text", "what a reader needs to compare it right", long=True),
    Field("linked_facts", "list", "facts compared with it"),
    Field("context_facts", "list", "facts showing it as context only"),
)
"""The fields of a row of `lj-facts city-figures`."""

SERIES: tuple[Field, ...] = (
    Field("indicator", "text", "the indicator's slug"),
    Field("period", "text", "the fact's period (`2014-Q1`, `2021-H1`, `2021-01/2021-09`)"),
    Field("span", "text", "the period for a reader: `Q1 2014`, `H1 2021`, `Jan–Sep 2021`, `2021 (year)`"),
    Field("cumulative", "boolean", "whether the span is year to date (from January); compared with the same span only"),
    Field("value", "number", "the value in `unit`: the indicator's unit where the fact's converts to it"),
    Field("unit", "text", "the unit of `value`"),
    Field("value_as_written", "number", "the value as the report writes it, in `unit_as_written`"),
    Field("unit_as_written", "text", "the report's unit (`billion yuan`, `亿元`)"),
    Field("qualifier", "text", "of the value: `exact`, `over`, `at_least`, `about`, `nearly`"),
    Field("growth_pct", "number", "the growth the report states, percent"),
    Field("growth_implied_pct", "number", "the growth the levels imply: value ÷ the same span a year before − 1"),
    Field(
        "growth_implied_low",
        "number",
        "lowest implied growth the rounding and qualifiers of both values allow; empty where open (超: over)",
    ),
    Field(
        "growth_implied_high",
        "number",
        "highest implied growth the rounding and qualifiers of both values allow; empty where open",
    ),
    Field(
        "growth_check",
        "text",
        "`agrees` or `differs` (the stated growth outside the implied range); empty: none to check (约: about)",
    ),
    Field("growth_checked_against", "text", "id of the fact a year before the growth is checked against"),
    Field("city_share_pct", "number", "share of the city total, percent"),
    Field("source", "text", "id of the `[[sources]]` entry the fact quotes"),
    Field("id", "text", "the fact's id"),
    Field("text", "text", "the report's words, verbatim", long=True),
)
"""The fields of a row of `lj-facts series`: a period of an indicator."""

INDICATOR: tuple[Field, ...] = (
    Field("slug", "text", "the indicator's key (`industrial-gross-output`)"),
    Field("label", "text", "the indicator in English", long=True),
    Field("label_zh", "text", "the indicator in Chinese"),
    Field("kind", "text", "`level`, `count`, `share` or `growth`"),
    Field("unit", "text", "the unit `series` shows its values in"),
    Field("facts", "integer", "how many facts measure it"),
    Field("periods", "list", "the periods of those facts, sorted"),
    Field("note", "text", "what a reader needs to line it up right", long=True),
)
"""The fields of a row of `lj-facts series` alone: an indicator of the base."""

SOURCE: tuple[Field, ...] = (
    Field("id", "text", "the source's id, which facts name in `source`"),
    Field("title", "text", "the title as the document prints it", long=True),
    Field("publisher", "text", "who published it"),
    Field("date", "text", "when it was published: YYYY-MM-DD, YYYY-MM or YYYY"),
    Field("url", "text", "where it can be read"),
    Field("period_inference", "text", "how the period of its figures was worked out", long=True),
    Field("note", "text", "anything else a reader needs to know about it", long=True),
)
"""The fields of a source (a `[[sources]]` entry): the Python API's `Source` and the export's `sources`."""

BY_NAME: dict[str, Field] = {f.name: f for f in (*SERIES, *CITY_FIGURE, *TOPIC, *FACT, *CITY)}
"""Every field by name (a name shared by several listings means the same in each: the fact's wins)."""


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The names of the fields, in order."""
    return tuple(f.name for f in fields)


def markdown_table(fields: tuple[Field, ...]) -> str:
    """The README's table of the fields (key, type, meaning)."""
    lines = ["| key | type | meaning |", "|---|---|---|"]
    lines += [f"| `{f.name}` | {f.type} | {f.meaning} |" for f in fields]
    return "\n".join(lines)

"""Turning facts into output: one renderer per format, chosen in `render`.

Rows are plain dicts with the columns of `COLUMNS`, the public contract of the machine formats.
Only the table renderer imports Rich, and only when it runs.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import IO, Any

from .model import Fact, Qualifier

COLUMNS: tuple[str, ...] = (
    "id",
    "topics",
    "label",
    "text",
    "kind",
    "value",
    "unit",
    "qualifier",
    "period",
    "growth_pct",
    "growth_qualifier",
    "city_share_pct",
    "city_share_qualifier",
    "value_base",
    "base_unit",
    "growth_span_years",
    "city_share_change_pp",
    "city_growth_gap_pp",
    "change_pp",
    "rank",
    "rank_of",
    "note",
)
"""The fields of every row, in order: JSON keys and CSV/TSV columns."""

Row = dict[str, Any]


class Format(str, Enum):
    """Output formats."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"


def row(fact: Fact) -> Row:
    """The fact as a row of `COLUMNS`: None where a field does not apply."""
    out: Row = {name: getattr(fact, name) for name in COLUMNS}
    out["topics"] = list(fact.topics)
    for name in ("kind", "qualifier", "growth_qualifier", "city_share_qualifier"):
        out[name] = out[name].value
    if fact.value is None:
        out["qualifier"] = None
    if fact.growth_pct is None:
        out["growth_qualifier"] = None
    if fact.city_share_pct is None:
        out["city_share_qualifier"] = None
    # Whole figures print as whole numbers (15, not 15.0) in every format.
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in out.items()}


# --- Text for people ---------------------------------------------------------------------------

SYMBOLS = {
    Qualifier.EXACT: "",
    Qualifier.OVER: ">",
    Qualifier.AT_LEAST: "≥",
    Qualifier.ABOUT: "≈",
    Qualifier.NEARLY: "≲",
}
"""How the table and markdown show a qualifier before a figure."""


def number(x: float | None) -> str:
    """A figure as the report prints it: 2008.3, 15, 0.7 (no exponent, no float noise)."""
    if x is None:
        return ""
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))


def _signed(x: float) -> str:
    return f"+{number(x)}" if x >= 0 else f"−{number(-x)}"


def value_text(fact: Fact) -> str:
    """ ">260 亿元", "2008.3 亿元", "#7 of 127" for a rank, "" for a claim."""
    if fact.value is not None:
        unit = fact.unit or ""
        space = "" if unit == "%" else " "
        return f"{SYMBOLS[fact.qualifier]}{number(fact.value)}{space}{unit}"
    if fact.rank is not None:
        return f"#{fact.rank}" + (f" of {fact.rank_of}" if fact.rank_of else "")
    if fact.rank_of is not None:
        return f"of {fact.rank_of}"
    return ""


def growth_text(fact: Fact) -> str:
    """ "+41.1%", "≈+95%", "+100%/5y" (over 5 years), "+2.5 pp"."""
    if fact.growth_pct is not None:
        text = f"{SYMBOLS[fact.growth_qualifier]}{_signed(fact.growth_pct)}%"
        if fact.growth_span_years and fact.growth_span_years != 1:
            text += f"/{fact.growth_span_years}y"
        return text
    if fact.change_pp is not None:
        return f"{_signed(fact.change_pp)} pp"
    return ""


def share_text(fact: Fact) -> str:
    """ "16.3%", "≲50%"."""
    if fact.city_share_pct is None:
        return ""
    return f"{SYMBOLS[fact.city_share_qualifier]}{number(fact.city_share_pct)}%"


# --- Machine formats ---------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, float):
        return number(value)
    return str(value)


_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def write_tsv(rows: Sequence[Row], out: IO[str], header: bool = True) -> None:
    """Tab-separated, one line a row; tabs, newlines and backslashes inside a field escaped (\\t, \\n, \\\\)."""

    def escape(text: str) -> str:
        return re.sub(r"[\\\t\n\r]", lambda m: _TSV_ESCAPES[m.group()], text)

    if header:
        out.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        out.write("\t".join(escape(_cell(r[c])) for c in COLUMNS) + "\n")


def _spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay as they are."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def write_csv(rows: Sequence[Row], out: IO[str], header: bool = True) -> None:
    """RFC 4180 CSV (CRLF line ends), formula-looking text neutralised."""
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([_spreadsheet_safe(_cell(r[c])) for c in COLUMNS])


def write_json(rows: Sequence[Row], out: IO[str]) -> None:
    """A JSON array of row objects."""
    json.dump(list(rows), out, ensure_ascii=False, allow_nan=False, indent=2)
    out.write("\n")


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> None:
    """One JSON object a line."""
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n")


# --- Formats for people ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Control characters (ESC, BEL, C1, DEL) shown as visible escapes, never sent raw to a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _display(fact: Fact) -> list[str]:
    return [fact.label, value_text(fact), growth_text(fact), share_text(fact), fact.period or "", fact.text, fact.id]


DISPLAY_HEADERS = ("Fact", "Value", "Growth", "City share", "Period", "Report says", "Id")


def write_markdown(facts: Sequence[Fact], out: IO[str], header: bool = True) -> None:
    """A GitHub-flavoured Markdown table."""

    def cell(text: str) -> str:
        return printable(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    if header:
        out.write("| " + " | ".join(DISPLAY_HEADERS) + " |\n")
        out.write("|" + "|".join("---" for _ in DISPLAY_HEADERS) + "|\n")
    for fact in facts:
        out.write("| " + " | ".join(cell(t) for t in _display(fact)) + " |\n")

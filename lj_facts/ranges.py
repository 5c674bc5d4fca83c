"""The range of every number a knowledge file may hold, and the one check of a number against it.

The ranges hold every real statistic with room to spare, and keep everything computed from a
figure (base units, implied city totals, bounds, shares) finite, printable without an exponent
or float noise, and valid JSON. The loader checks a file against them, and the index checks what
it reads back, so a damaged cache cannot bring in a number the schema would refuse.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

SIGNIFICANT_DIGITS = 15
"""A figure has at most this many significant digits: every one survives a double exactly."""
RESOLUTION = 1e-4
"""The smallest magnitude of a non-zero decimal figure."""


class Range(NamedTuple):
    """What a numeric field may hold."""

    low: float
    high: float
    whole: bool = False
    """Only whole numbers (years, ranks)."""
    meaning: str = ""

    def complaint(self, value: Any) -> str | None:
        """Why `value` does not fit, or None when it does."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "a whole number" if self.whole else "a number"
            return f"must be {kind}, not {_type_name(value)}"
        if self.whole and not isinstance(value, int):
            return "must be a whole number, not a float"
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number, not {value}"
        if not self.low <= value <= self.high:  # int against float: exact in Python, even for 400 digits
            return f"{_short(value)} is outside {_g(self.low)}–{_g(self.high)}"
        if isinstance(value, float) and value != 0:
            if abs(value) < RESOLUTION:
                return f"{_short(value)} is smaller than {_g(RESOLUTION)} (write 0, or use a smaller unit)"
            if len(_digits(value)) > SIGNIFICANT_DIGITS:
                return f"{_short(value)} has more than {SIGNIFICANT_DIGITS} significant digits"
        return None


def _digits(x: float) -> str:
    """The significant digits of the shortest text that reads back as `x`."""
    mantissa = repr(abs(x)).split("e")[0].replace(".", "")
    return mantissa.strip("0")


def _g(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 or x != int(x) else f"{x:.0e}".replace("e+0", "e").replace("e+", "e")


def _short(value: int | float) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} characters)"


def _type_name(value: Any) -> str:
    names = {dict: "a table", list: "an array", str: "a string", bool: "a boolean", int: "an integer", float: "a float"}
    return names.get(type(value), type(value).__name__)


VALUE = Range(-1e15, 1e15, meaning="a figure in its unit")
GROWTH = Range(-100, 1e6, meaning="growth in percent (增长6.1倍 is 610)")
SHARE = Range(0, 100, meaning="a share of the city, percent")
SHARE_CHANGE = Range(-100, 100, meaning="a change of a share, percentage points")
POINTS = Range(-1e6, 1e6, meaning="a gap or change between rates, percentage points")
SPAN = Range(1, 1000, whole=True, meaning="years a growth spans")
RANK = Range(1, 1_000_000_000, whole=True, meaning="a place in a ranking, or how many are ranked")

FACT_RANGES: dict[str, Range] = {
    "value": VALUE,
    "growth_pct": GROWTH,
    "growth_span_years": SPAN,
    "city_share_pct": SHARE,
    "city_share_change_pp": SHARE_CHANGE,
    "city_growth_gap_pp": POINTS,
    "change_pp": POINTS,
    "rank": RANK,
    "rank_of": RANK,
    "change": VALUE,
    "mom_growth_pct": GROWTH,
}
"""The range of every numeric field of a [[facts]] table (README, The knowledge file)."""
CITY_RANGES: dict[str, Range] = {"value": VALUE, "growth_pct": GROWTH}
"""The range of every numeric field of a [[city_figures]] table."""
MAX_TOPICS = 64
"""The most topics one fact may list."""

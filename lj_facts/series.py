"""An indicator over time: the facts of several reports lined up by period, the growth they state
checked against the growth their levels imply.

Periods are spans of months (`Span`). Jan–Feb, Q1, H1, Jan–Sep and the year are cumulative
year-to-date spans; a value is compared only with the same span of another year, never with a
span of another length. A stated growth is checked against the level of the same span a year
before: the two agree when the growth the levels imply, with the rounding of both printed values,
can be the stated growth with its own rounding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .model import UNITS, Fact, Indicator, Qualifier, half_unit, shift

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Span(NamedTuple):
    """What a period covers: months `first` to `last` of `year`, or a stock at a date (`day`)."""

    year: int
    first: int
    last: int
    day: str | None = None
    """`MM-DD` of a stock (as at 2021-06-30); None for a flow over the months."""

    @property
    def shape(self) -> tuple[int, int, str | None]:
        """What two periods must share to be compared: the same months, or the same day of the year."""
        return (self.first, self.last, self.day)

    @property
    def cumulative(self) -> bool:
        """A year-to-date span (January to some month): Jan–Feb, Q1, H1, Jan–Sep, the year."""
        return self.day is None and self.first == 1

    @property
    def label(self) -> str:
        """The span for a reader: `Q1 2014`, `H1 2021`, `Jan–Sep 2021`, `2021 (year)`, `as at 2021-06-30`."""
        if self.day is not None:
            return f"as at {self.year}-{self.day}"
        named = {(1, 12): "{y} (year)", (1, 6): "H1 {y}", (7, 12): "H2 {y}"}
        named |= {(q * 3 - 2, q * 3): f"Q{q} {{y}}" for q in range(1, 5)}
        if (self.first, self.last) in named:
            return named[(self.first, self.last)].format(y=self.year)
        if self.first == self.last:
            return f"{MONTHS[self.first - 1]} {self.year}"
        return f"{MONTHS[self.first - 1]}–{MONTHS[self.last - 1]} {self.year}"

    @property
    def order(self) -> tuple[int, int, int, str]:
        """Oldest first: by the year, then the month the span ends, then the longer span first."""
        return (self.year, self.last if self.day is None else int(self.day[:2]), self.first, self.day or "")


_PART = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2})(?:-(\d{2}))?)?$")


def _months(part: str) -> tuple[int, int, int, str | None] | None:
    """(year, first month, last month, day) of one side of a period; None where it is no date or span."""
    m = _PART.match(part)
    if not m:
        return None
    year, piece, day = int(m[1]), m[2], m[3]
    if piece is None:
        return year, 1, 12, None
    if piece.startswith("H"):
        half = int(piece[1])
        return year, half * 6 - 5, half * 6, None
    if piece.startswith("Q"):
        quarter = int(piece[1])
        return year, quarter * 3 - 2, quarter * 3, None
    month = int(piece)
    return year, month, month, f"{piece}-{day}" if day else None


def span_of(period: str | None) -> Span | None:
    """The span of a period of the schema (`2021-H1`, `2021-01/2021-09`, `2021-06-30`); None for
    `per-year`, `not-given` and spans across years, which line up with nothing."""
    if not period:
        return None
    start, _, end = period.partition("/")
    a = _months(start)
    if a is None:
        return None
    if not end:
        return Span(a[0], a[1], a[2], a[3])
    b = _months(end)
    if b is None or b[0] != a[0] or a[3] is not None or b[3] is not None or b[2] < a[1]:
        return None
    return Span(a[0], a[1], b[2])


class Point(NamedTuple):
    """One period of a series: a fact, its value in the indicator's unit, and the check of its growth."""

    fact: Fact
    span: Span
    value: float | None
    """The value in the indicator's unit (None where the fact gives none, or its unit does not convert)."""
    unit: str | None
    """The unit of `value`: the indicator's, or the fact's own where it does not convert (US dollars)."""
    implied_growth_pct: float | None = None
    """The growth the level a year before implies: (value ÷ value a year before − 1) × 100."""
    implied_low: float | None = None
    implied_high: float | None = None
    """The range of the implied growth the rounding of both printed values allows."""
    check: str | None = None
    """`agrees`, `differs` (beyond rounding), or None where there is nothing to check against."""
    against: str | None = None
    """Id of the fact a year before that the growth is checked against."""


def converted(fact: Fact, indicator: Indicator) -> tuple[float | None, str | None]:
    """The fact's value in the indicator's unit, shifted by its digits (316.12 billion yuan is 3161.2 亿元);
    in the fact's own unit where the two units are of different families (US dollars beside yuan)."""
    if fact.value is None or fact.unit is None:
        return None, fact.unit
    target = UNITS.get(indicator.unit or "")
    unit = UNITS[fact.unit]
    if target is None or target.base_unit != unit.base_unit:
        return fact.value, fact.unit
    return shift(fact.value, unit.places - target.places), target.name


def _interval(printed: float, scaled: float, qualifier: Qualifier) -> tuple[float | None, float | None]:
    """Where the true value lies, given its printed figure (`scaled` in the series' unit): within half a
    unit of its last digit (exact), above it (over 超, at least 以上), below it (nearly 近); None for an
    open side. About (约) says nothing checkable: (None, None)."""
    half = half_unit(printed) * (scaled / printed if printed else 1)
    if qualifier is Qualifier.ABOUT:
        return None, None
    low: float | None = scaled - half
    high: float | None = scaled + half
    if qualifier in (Qualifier.OVER, Qualifier.AT_LEAST):
        low, high = scaled - half if qualifier is Qualifier.AT_LEAST else scaled, None
    elif qualifier is Qualifier.NEARLY:
        low, high = None, scaled + half
    return low, high


def _ratio(top: float | None, bottom: float | None) -> float | None:
    """top ÷ bottom − 1 as percent; None where either side is open (or the bottom is not above zero)."""
    if top is None or bottom is None or bottom <= 0:
        return None
    return (top / bottom - 1) * 100


def _checked(point: Point, before: Point) -> Point:
    """The point with its stated growth checked against the level of the same span a year before.

    Each value is an interval: its rounding, and its qualifier's side (超13 is above 13, 近50 below 50).
    The growth the two intervals allow runs from the lowest level now over the highest a year before
    to the highest now over the lowest then; where the stated growth (with its own rounding and
    qualifier) cannot lie in that range, the two differ. A side left open leaves that side unchecked;
    a value or growth said to be about (约) is not checked at all.
    """
    assert point.value is not None and before.value is not None
    if before.value <= 0 or point.value < 0:
        return point
    now, then = point.fact, before.fact
    now_low, now_high = _interval(now.value or 0, point.value, now.qualifier)
    then_low, then_high = _interval(then.value or 0, before.value, then.qualifier)
    low = _ratio(now_low, then_high)
    high = _ratio(now_high, then_low)
    implied = (point.value / before.value - 1) * 100
    check = None
    growth = now.growth_pct
    if growth is not None and now.growth_span_years in (None, 1) and (low is not None or high is not None):
        g_low, g_high = _interval(growth, growth, now.growth_qualifier)
        if g_low is not None or g_high is not None:
            below = high is not None and g_low is not None and g_low > high
            above = low is not None and g_high is not None and g_high < low
            check = "differs" if below or above else "agrees"
    return point._replace(
        implied_growth_pct=round(implied, 6),
        implied_low=None if low is None else round(low, 6),
        implied_high=None if high is None else round(high, 6),
        check=check,
        against=before.fact.id,
    )


def series(facts: Iterable[Fact], indicator: Indicator) -> list[Point]:
    """The facts of the indicator as points, oldest first, each growth checked where the same span of
    the year before is there (the same unit family, a value each, both exact to their rounding)."""
    points = []
    for fact in facts:
        span = span_of(fact.period)
        if fact.indicator != indicator.slug or span is None:
            continue
        value, unit = converted(fact, indicator)
        points.append(Point(fact, span, value, unit))
    points.sort(key=lambda p: p.span.order)
    by_period = {(p.span.year, p.span.shape, p.unit): p for p in points if p.value is not None}
    out = []
    for point in points:
        before = by_period.get((point.span.year - 1, point.span.shape, point.unit))
        out.append(_checked(point, before) if point.value is not None and before is not None else point)
    return out


def disagreements(facts: Sequence[Fact], indicators: dict[str, Indicator]) -> list[Point]:
    """Every point of every indicator whose stated growth differs from the growth its levels imply."""
    out = []
    for indicator in indicators.values():
        out += [p for p in series(facts, indicator) if p.check == "differs"]
    return out


def describe(point: Point) -> str:
    """One line on a disagreement, for `validate` and the series' notes."""
    low = "" if point.implied_low is None else f"{point.implied_low:.1f}%"
    high = "" if point.implied_high is None else f"{point.implied_high:.1f}%"
    allows = f"{low} to {high}" if low and high else f"at least {low}" if low else f"at most {high}"
    return (
        f"{point.fact.id} ({point.span.label}): the report states growth {point.fact.growth_pct:g}%, the levels "
        f"imply {point.implied_growth_pct:.1f}% (their rounding and qualifiers allow {allows}) against "
        f"{point.against}"
    )


def row(point: Point, indicator: Indicator) -> dict[str, object]:
    """A point as a row of `fields.SERIES` (the machine formats)."""
    f = point.fact
    out: dict[str, object] = {
        "indicator": indicator.slug,
        "period": f.period,
        "span": point.span.label,
        "cumulative": point.span.cumulative,
        "value": point.value,
        "unit": point.unit,
        "value_as_written": f.value,
        "unit_as_written": f.unit,
        "qualifier": f.qualifier.value if f.value is not None else None,
        "growth_pct": f.growth_pct,
        "growth_implied_pct": point.implied_growth_pct,
        "growth_implied_low": point.implied_low,
        "growth_implied_high": point.implied_high,
        "growth_check": point.check,
        "growth_checked_against": point.against,
        "city_share_pct": f.city_share_pct,
        "source": f.source,
        "id": f.id,
        "text": f.text,
    }
    return {k: int(v) if type(v) is float and v.is_integer() and abs(v) < 2**53 else v for k, v in out.items()}


def pick(indicators: dict[str, Indicator], words: Sequence[str]) -> list[Indicator]:
    """The indicators the words name: by slug, English or Chinese label (whole, or a phrase within one);
    best first. Empty where none does (the caller then searches the facts)."""
    from .text import normalise

    asked = normalise(" ".join(words))
    if not asked:
        return []
    whole = [i for i in indicators.values() if asked in {i.slug, normalise(i.label), normalise(i.label_zh)}]
    if whole:
        return whole
    return [
        i
        for i in indicators.values()
        if asked in normalise(i.label) or asked in normalise(i.label_zh) or asked.replace(" ", "-") in i.slug
    ]


def display(points: Sequence[Point], indicator: Indicator, title: str, caption: str, sources: Sequence[str]) -> object:
    """The series as a table for people: a bar of each level against the other years of the same span,
    the share of the city, and under each report's words the line `sources` gives it (its report)."""
    from .displays import Column, Display, bar, growth_text, share_text, sourced
    from .rows import number

    top: dict[tuple[int, int, str | None, str | None], float] = {}
    seen: dict[tuple[int, int, str | None, str | None], int] = {}
    for p in points:
        if p.value is not None and p.value > 0:
            key = (*p.span.shape, p.unit)
            top[key] = max(top.get(key, 0.0), p.value)
            seen[key] = seen.get(key, 0) + 1
    top = {key: value for key, value in top.items() if seen[key] > 1}  # a span alone has nothing to compare
    columns = (
        Column("Period"),
        Column("Value", figure=True),
        Column(""),
        Column("Growth", figure=True),
        Column("Implied", figure=True),
        Column("Check"),
        Column("City share", figure=True),
        Column("Id"),
        Column("Report says", wraps=True),
    )
    rows = []
    for p in points:
        key = (*p.span.shape, p.unit)
        value = "" if p.value is None else f"{_symbol(p.fact)}{number(p.value)} {p.unit}"
        drawn = bar(p.value / top[key] * 100, 12) if p.value is not None and key in top and p.value > 0 else ""
        implied = "" if p.implied_growth_pct is None else f"{p.implied_growth_pct:+.1f}%"
        rows.append(
            [
                p.span.label,
                value,
                drawn,
                growth_text(p.fact),
                implied,
                {"agrees": "agrees", "differs": "DIFFERS"}.get(p.check or "", ""),
                share_text(p.fact),
                p.fact.id,
                p.fact.text,
            ]
        )
    return sourced(Display(columns, rows, title, caption), sources, always=True)


def _symbol(fact: Fact) -> str:
    from .displays import SYMBOLS

    return SYMBOLS.get(fact.qualifier, "")

"""Liangjiang against the whole city: implied totals, their bounds, published totals, city growth."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .model import NOT_GIVEN, UNITS, CityFigure, Fact, Qualifier, half_unit, shift


class Comparison(NamedTuple):
    """How one fact weighs against the city (重庆市). Totals are in the fact's unit."""

    implied_total: float | None = None
    """value ÷ share: the city total the report's own figures imply."""
    implied_low: float | None = None
    """Lowest implied total the rounding of the printed value and share allows (None where qualified)."""
    implied_high: float | None = None
    """Highest implied total the rounding allows (None where qualified)."""
    published: CityFigure | None = None
    """The city's own figure for the same indicator, if there is one."""
    published_total: float | None = None
    """The published value converted to the fact's unit."""
    computed_share_pct: float | None = None
    """value ÷ published total, where the report prints no share."""
    city_growth_pct: float | None = None
    """The city's growth: published where there is one, else growth − the report's gap."""
    city_growth_source: str | None = None
    """`published` or `implied`."""
    implied_growth_pct: float | None = None
    """growth − the report's percentage-point gap ("增长31.7%，比全市高12.7个百分点": 19.0)."""
    context: tuple[CityFigure, ...] = ()
    """City figures shown beside the fact as context only (another indicator, area or period): never compared."""

    @property
    def total(self) -> float | None:
        """The published total where there is one, else the implied one."""
        return self.published_total if self.published_total is not None else self.implied_total

    @property
    def total_source(self) -> str | None:
        if self.published_total is not None:
            return "published"
        return "implied" if self.implied_total is not None else None

    @property
    def difference(self) -> float | None:
        """Published − implied total, where both exist."""
        if self.published_total is None or self.implied_total is None:
            return None
        return _clean(self.published_total - self.implied_total)

    def periods_match(self, fact: Fact) -> bool | None:
        """Whether the published figure covers the fact's period; None where there is no published figure."""
        if self.published is None:
            return None
        return self.published.period == fact.period

    def period_note(self, fact: Fact) -> str | None:
        """A warning where the published figure covers another period than the fact."""
        if self.published is None or self.periods_match(fact):
            return None
        if fact.period == NOT_GIVEN:
            return f"the city figure covers {self.published.period}; the report gives no period"
        return f"the city figure covers {self.published.period}, the report's {fact.period}"


def _clean(x: float) -> float:
    """Drop float noise (19.000000000000004 → 19.0) without losing a printed digit.

    Six decimals for figures of everyday size; twelve significant digits for the very large and
    very small ones the schema's ranges allow, where six decimals would be noise or nothing.
    """
    return round(x, 6) if 1 <= abs(x) < 1e6 else float(f"{x:.12g}")


def compares(fact: Fact) -> bool:
    """Whether the fact weighs against the city: a share, a gap to the city's growth or a published figure."""
    return fact.city_share_pct is not None or fact.city_growth_gap_pp is not None or fact.city_figure is not None


def compare(fact: Fact, city_figures: Mapping[str, CityFigure]) -> Comparison | None:
    """The fact against the city, or None when the report and the city figures give nothing to compare
    and no city figure is shown beside it as context."""
    context = tuple(city_figures[k] for k in fact.city_context if k in city_figures)
    if not compares(fact):
        return Comparison(context=context) if context else None
    published = city_figures.get(fact.city_figure) if fact.city_figure else None
    share, value = fact.city_share_pct, fact.value
    implied = low = high = None
    if value is not None and value > 0 and share:  # a zero or negative value implies no total
        implied = _clean(value / share * 100)
        if fact.qualifier is Qualifier.EXACT and fact.city_share_qualifier is Qualifier.EXACT:
            dv, ds = half_unit(value), half_unit(share)
            low = _clean((value - dv) / (share + ds) * 100)
            high = _clean((value + dv) / (share - ds) * 100) if share > ds else None
    published_total = computed_share = None
    if published is not None and published.value is not None and fact.unit and published.unit:
        mine, theirs = UNITS[fact.unit], UNITS[published.unit]
        if mine.base_unit == theirs.base_unit:
            published_total = shift(published.value, theirs.places - mine.places)
            if share is None and value is not None and published_total:
                computed_share = _clean(value / published_total * 100)
    implied_growth = None
    if fact.growth_pct is not None and fact.city_growth_gap_pp is not None:
        implied_growth = _clean(fact.growth_pct - fact.city_growth_gap_pp)
    growth, source = implied_growth, "implied" if implied_growth is not None else None
    if published is not None and published.growth_pct is not None:
        growth, source = published.growth_pct, "published"
    return Comparison(
        implied, low, high, published, published_total, computed_share, growth, source, implied_growth, context
    )


def share_of_city(fact: Fact, comparison: Comparison | None) -> float | None:
    """The report's share, else the one computed from the published total."""
    if fact.city_share_pct is not None:
        return fact.city_share_pct
    return comparison.computed_share_pct if comparison else None


_UP = {Qualifier.OVER: 2, Qualifier.AT_LEAST: 1, Qualifier.NEARLY: -2}
"""How a qualifier moves the true figure from the printed one: up (2 strictly, 1 or equal), down."""


def implied_direction(fact: Fact) -> str:
    """Where the true city total lies against value ÷ share, from the qualifiers of both.

    `exact` where both are exact (the total is then only as exact as their rounding), `over` or
    `at_least` where the true total is larger (a value of 余 or 以上, a share of 近), `under` or
    `at_most` where it is smaller (a value of 近, a share of 超 or 以上), `about` where a qualifier
    is 约 or the two pull in opposite directions.
    """
    return direction(fact.qualifier, fact.city_share_qualifier)


def direction(value_q: Qualifier, share_q: Qualifier) -> str:
    """`implied_direction` from the qualifiers of the value and the share (as a row holds them)."""
    if Qualifier.ABOUT in (value_q, share_q):
        return "about"
    moves = [m for m in (_UP.get(value_q, 0), -_UP.get(share_q, 0)) if m]
    if not moves:
        return "exact"
    if min(moves) < 0 < max(moves):
        return "about"
    strict = any(abs(m) == 2 for m in moves)
    if moves[0] > 0:
        return "over" if strict else "at_least"
    return "under" if strict else "at_most"


def total_qualifier(fact: Fact, comparison: Comparison | None) -> str | None:
    """The qualifier of the city total (`city_total_qualifier`): `exact` where it is published; where it
    is implied, on which side of value ÷ share the true total lies (`implied_direction`), an implied
    total of exact figures being `about` (their rounding allows `implied_low`–`implied_high`)."""
    if comparison is None or comparison.total_source is None:
        return None
    if comparison.total_source == "published":
        return Qualifier.EXACT.value
    side = implied_direction(fact)
    return "about" if side == "exact" else side


def _share_key(fact: Fact, comparison: Comparison | None) -> tuple[float, int]:
    """The share to order by, and at the same share, over before exact before nearly (>50% > 50% > ≲50%)."""
    share = share_of_city(fact, comparison)
    if share is None:
        return (-1.0, 0)
    q = fact.city_share_qualifier if fact.city_share_pct is not None else Qualifier.EXACT
    return (share, _UP.get(q, 0))


def city_view(facts: Iterable[Fact], city_figures: Mapping[str, CityFigure]) -> list[tuple[Fact, Comparison]]:
    """The facts that compare with the city, each with its comparison, largest share of the city first.

    Facts without a share (printed or computed) keep their order after those with one.
    """
    pairs = [(f, c) for f in facts if compares(f) and (c := compare(f, city_figures)) is not None]
    pairs.sort(key=lambda p: _share_key(*p), reverse=True)
    return pairs

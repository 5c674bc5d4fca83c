"""The records of a knowledge file: facts, topics, units and the vocabularies they use.

Nothing here reads files or prints: see `load` for building these from TOML. Every record (facts,
units, topics, city figures, the report's metadata) is an immutable named tuple: a frozen
dataclass costs 2 to 3 ms to create at import, which every look-up pays, and a fact costs several
times more to make, which a listing of 100,000 facts pays 100,000 times (README, Performance).
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    """What a fact states."""

    NUMBER = "number"
    """A statistic: a value, a growth rate, a share, a rank."""
    CLAIM = "claim"
    """A statement without a figure (an approval, a first, an opening)."""


class Qualifier(str, Enum):
    """How a printed figure relates to the true one."""

    EXACT = "exact"
    """As printed (to its rounding)."""
    OVER = "over"
    """余, 多, 超, 超过, 突破: more than the figure."""
    AT_LEAST = "at_least"
    """以上: the figure or more."""
    ABOUT = "about"
    """约: roughly the figure."""
    NEARLY = "nearly"
    """近: close to the figure, and below it."""

    @property
    def is_bounded(self) -> bool:
        """Whether the printed figure pins the true one down to its rounding."""
        return self is Qualifier.EXACT


def half_unit(x: float) -> float:
    """Half a unit of the last digit `x` is printed with: 2000.2 → 0.05, 918 → 0.5, 1e-05 → 5e-06."""
    mantissa, _, exponent = repr(abs(float(x))).partition("e")
    _, _, fraction = mantissa.partition(".")
    decimals = (0 if fraction in ("", "0") else len(fraction)) - int(exponent or 0)
    return 0.5 * 10.0**-decimals


def shift(x: float, places: int) -> float:
    """`x` × 10**places, exactly as its digits are written (2008.3 shifted by 8 is 200830000000.0, no float noise)."""
    mantissa, _, exponent = repr(float(x)).partition("e")
    return float(f"{mantissa}e{int(exponent or 0) + places}")


class Unit(NamedTuple):
    """A unit a value may be given in, and how to turn it into its base unit."""

    name: str
    """The unit as the report writes it (亿元)."""
    factor: float
    """How many base units one of this unit is (1e8 for 亿元)."""
    base_unit: str
    """The base unit (CNY)."""
    english: str
    """What the unit is called in English (100 million yuan)."""

    @property
    def places(self) -> int:
        """The factor as a power of ten (8 for 1e8)."""
        return len(str(int(self.factor))) - 1

    def to_base(self, value: float) -> float:
        """`value` of this unit expressed in the base unit: its digits shifted, so 2008.3 亿元 has no float noise."""
        return shift(value, self.places)


_UNIT_ROWS = [
    ("亿元", 1e8, "CNY", "100 million yuan"),
    ("万元", 1e4, "CNY", "10,000 yuan"),
    ("元", 1, "CNY", "yuan"),
    ("亿美元", 1e8, "USD", "100 million US dollars"),
    ("万美元", 1e4, "USD", "10,000 US dollars"),
    ("万吨", 1e4, "t", "10,000 tonnes"),
    ("吨", 1, "t", "tonnes"),
    ("万辆", 1e4, "vehicles", "10,000 vehicles"),
    ("辆", 1, "vehicles", "vehicles"),
    ("万户", 1e4, "entities", "10,000 (market) entities"),
    ("户", 1, "entities", "(market) entities"),
    ("万平方米", 1e4, "m²", "10,000 square metres"),
    ("平方米", 1, "m²", "square metres"),
    ("亿个", 1e8, "items", "100 million items"),
    ("亿次", 1e8, "times", "100 million times"),
    ("家", 1, "organisations", "organisations (enterprises, institutions)"),
    ("个", 1, "items", "items (projects, parks, nodes, …)"),
    ("所", 1, "schools", "schools"),
    ("项", 1, "items", "items (projects, results)"),
    ("名", 1, "people", "people"),
    ("班", 1, "train trips", "train trips"),
    ("班次", 1, "train trips", "train trips"),
    ("场", 1, "events", "events"),
    ("天", 1, "days", "days"),
    ("%", 1, "%", "percent"),
    # English releases: the same families, in the words they write (316.12 billion yuan).
    ("billion yuan", 1e9, "CNY", "billion yuan"),
    ("million yuan", 1e6, "CNY", "million yuan"),
    ("billion US dollars", 1e9, "USD", "billion US dollars"),
    ("million US dollars", 1e6, "USD", "million US dollars"),
    ("万台", 1e4, "units", "10,000 units (machines, devices)"),
    ("台", 1, "units", "units (machines, devices)"),
    ("万只", 1e4, "pieces", "10,000 pieces"),
    ("只", 1, "pieces", "pieces"),
    ("万件", 1e4, "pieces", "10,000 pieces"),
    ("件", 1, "pieces", "pieces"),
    ("万人", 1e4, "people", "10,000 people"),
    ("人", 1, "people", "people"),
    ("万标箱", 1e4, "TEU", "10,000 TEU (containers)"),
    ("标箱", 1, "TEU", "TEU (containers)"),
    ("万个", 1e4, "items", "10,000 items"),
    ("vehicles", 1, "vehicles", "vehicles"),
    ("units", 1, "units", "units (machines, devices)"),
    # Areas, lengths, counts of times and things, and the trillion: what releases about an area write beside.
    ("万亿元", 1e12, "CNY", "trillion yuan"),
    ("trillion yuan", 1e12, "CNY", "trillion yuan"),
    ("平方公里", 1, "km²", "square kilometres"),
    ("公顷", 1, "ha", "hectares"),
    ("亩", 1, "mu", "mu (1/15 hectare)"),
    ("公里", 1, "km", "kilometres"),
    ("万家", 1e4, "organisations", "10,000 organisations"),
    ("万名", 1e4, "people", "10,000 people"),
    ("万套", 1e4, "sets", "10,000 sets"),
    ("亿人次", 1e8, "person-times", "100 million person-times (visits, trips)"),
    ("万人次", 1e4, "person-times", "10,000 person-times (visits, trips)"),
    ("人次", 1, "person-times", "person-times (visits, trips)"),
    ("次", 1, "times", "times"),
    ("圈", 1, "laps", "laps (rounds)"),
    ("万棵", 1e4, "trees", "10,000 trees"),
    ("棵", 1, "trees", "trees"),
    ("座", 1, "structures", "structures (buildings, bridges, ports)"),
    ("条", 1, "lines", "lines (routes, roads, production lines)"),
    ("艘", 1, "ships", "ships"),
    ("套", 1, "sets", "sets"),
    ("GWh", 1, "GWh", "gigawatt-hours"),
]

UNITS: dict[str, Unit] = {row[0]: Unit(*row) for row in _UNIT_ROWS}
"""Every unit a knowledge file may use, by the name the report writes."""


class Topic(NamedTuple):
    """A subject facts are indexed by."""

    slug: str
    """The stable key (`industry`)."""
    name: str
    """English name (Industry)."""
    name_zh: str
    """Chinese name (工业)."""
    aliases: tuple[str, ...] = ()
    """Other names it is asked for by, Chinese and English."""
    description: str = ""
    """What facts belong here."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the topic answers to."""
        return (self.slug, self.name, self.name_zh, *self.aliases)


class Fact(NamedTuple):
    """One claim or figure of the report, with the words that state it."""

    id: str
    """Unique, stable, lowercase slug (`industry.gross-output`)."""
    topics: tuple[str, ...]
    """Topic slugs; the first is the primary one."""
    label: str
    """English label in the terms a reader of statistics searches for."""
    text: str
    """The report's words stating the fact, verbatim (white space may differ)."""
    kind: Kind
    """A number or a claim."""
    value: float | None = None
    """The figure, in `unit`."""
    unit: str | None = None
    """Key of `UNITS`."""
    qualifier: Qualifier = Qualifier.EXACT
    """How `value` relates to the true figure."""
    period: str | None = None
    """`2021-H1` for a flow of the half-year, `2021-06-30` for a stock, `per-year` for a yearly rate,
    `not-given` where the report names none.

    None only before loading: the loader fills in `Meta.default_period` where the file omits it."""
    growth_pct: float | None = None
    """Growth in percent against the same period a year before (or `growth_span_years` before)."""
    growth_qualifier: Qualifier = Qualifier.EXACT
    """How `growth_pct` relates to the true growth."""
    growth_span_years: int | None = None
    """Years the growth spans when it is not year on year (较5年前: 5)."""
    city_share_pct: float | None = None
    """Share of the city (重庆市) total, in percent."""
    city_share_qualifier: Qualifier = Qualifier.EXACT
    """How `city_share_pct` relates to the true share."""
    city_share_change_pp: float | None = None
    """Change of the city share, in percentage points."""
    city_growth_gap_pp: float | None = None
    """How many percentage points the growth exceeds the city's."""
    change_pp: float | None = None
    """Change of a rate, in percentage points (提升2.5个百分点)."""
    rank: int | None = None
    """Place in a ranking (第7位)."""
    rank_of: int | None = None
    """How many are ranked (127个…中)."""
    note: str | None = None
    """What a reader needs to read the figure right."""
    city_figure: str | None = None
    """Id of the city's published figure for the same indicator (`city.gdp`), if there is one."""
    city_context: tuple[str, ...] = ()
    """Ids of city figures shown as context only: another indicator, area or period, never used for a share."""
    source: str | None = None
    """Id of the `Source` the fact is quoted from; the loader fills in the file's first source."""
    indicator: str | None = None
    """Slug of the `Indicator` the fact measures (`industrial-gross-output`): lines facts up across reports."""
    change: float | None = None
    """Absolute change against the same period a year before, in `unit` (增长2.9亿元: 2.9)."""
    mom_growth_pct: float | None = None
    """Growth on the period just before (环比, month on month), in percent: never year on year."""
    per: str | None = None
    """What the value is a rate per (`day`, `week`, `month`, `year`: 平均每天3500辆); None for a total."""
    status: str = "result"
    """`result` (what happened), `target` (力争, 目标) or `forecast` (预计)."""

    @property
    def figures(self) -> dict[str, float]:
        """Every figure the fact states, by field name (None left out)."""
        return {n: v for n in FIGURE_FIELDS if (v := getattr(self, n)) is not None}

    @property
    def value_base(self) -> float | None:
        """The value in the unit's base unit (2008.3 亿元 is 200,830,000,000 CNY)."""
        if self.value is None or self.unit is None:
            return None
        return UNITS[self.unit].to_base(self.value)

    @property
    def base_unit(self) -> str | None:
        """The base unit of `value_base`."""
        return UNITS[self.unit].base_unit if self.unit is not None else None


FACT_FIELDS: tuple[str, ...] = Fact._fields
"""The fields of a Fact, in order."""

FIGURE_FIELDS = (
    "value",
    "growth_pct",
    "growth_span_years",
    "city_share_pct",
    "city_share_change_pp",
    "city_growth_gap_pp",
    "change_pp",
    "rank",
    "rank_of",
    "change",
    "mom_growth_pct",
)
"""The fields of a Fact that hold a figure of the report."""

PER = ("day", "week", "month", "year")
"""What a value may be a rate per (`Fact.per`)."""
STATUSES = ("result", "target", "forecast")
"""What a figure may be (`Fact.status`): what happened, what is aimed at, what is expected."""
INDICATOR_KINDS = ("level", "count", "share", "growth")
"""What an indicator measures: an amount (output, investment), a count (enterprises), a share, a rate of growth."""


class Indicator(NamedTuple):
    """A measure that recurs across reports, whatever words and language each report writes it in."""

    slug: str
    """The stable key (`industrial-gross-output`)."""
    label: str
    """English name (gross industrial output, above designated size)."""
    label_zh: str
    """Chinese name (规上工业总产值)."""
    kind: str
    """One of INDICATOR_KINDS."""
    unit: str | None = None
    """The unit (a key of `UNITS`) `series` shows its values in; the facts' units convert to it."""
    note: str | None = None
    """What a reader needs to line it up right (a change of definition, of coverage)."""


class CityFigure(NamedTuple):
    """A figure the city (重庆市) published for its whole territory: not from the report."""

    id: str
    """Unique slug (`city.gdp`)."""
    label: str
    """English name of the indicator."""
    label_zh: str
    """Chinese name of the indicator, as published."""
    period: str
    """The period it covers; may differ from the report's (profits: 2021-01/2021-05)."""
    source: str
    """Who published it, when, and where it was reported."""
    value: float | None = None
    """The city total, in `unit` (None where only a growth rate was published)."""
    unit: str | None = None
    """Key of `UNITS`."""
    growth_pct: float | None = None
    """Year-on-year growth in percent."""
    note: str | None = None
    """What a reader needs to compare it right."""
    publisher: str | None = None
    """Who published the figure (重庆市统计局)."""
    date: str | None = None
    """When it was published: YYYY-MM-DD, YYYY-MM or YYYY."""
    url: str | None = None
    """The page the figure was read from."""
    area: str | None = None
    """The area the figure covers; the loader fills in `Meta.city_zh`."""


class SetAside(NamedTuple):
    """A sentence of the report that no fact quotes, on purpose, and why."""

    text: str
    """The sentence, verbatim (white space may differ)."""
    reason: str
    """Why no fact quotes it: a photo credit, a headline stated in full later, exhortation, …"""


NOT_GIVEN = "not-given"
"""The period of a fact whose sentence names none: never replaced by the default period."""


class Source(NamedTuple):
    """A document facts are quoted from: the report itself, in the shipped file."""

    id: str
    """Unique slug (`liangjiang-report-2021-h1`)."""
    title: str
    """The title as the document prints it."""
    publisher: str | None = None
    """Who published it; None where the text does not name it."""
    date: str | None = None
    """When it was published (YYYY-MM-DD, YYYY-MM or YYYY); None where not printed."""
    url: str | None = None
    """Where it can be read."""
    period_inference: str | None = None
    """How the period of its figures was worked out."""
    note: str | None = None
    """Anything else a reader needs to know about it."""


DERIVED_SOURCE = "report"
"""The id of the source derived from `[meta]` in a file without `[[sources]]`."""


class Meta(NamedTuple):
    """What the knowledge file is about."""

    title: str
    """The report's title."""
    region: str
    """The area, in English (Liangjiang New Area)."""
    region_zh: str
    """The area, in Chinese (两江新区)."""
    city: str
    """The city the area belongs to, in English (Chongqing)."""
    city_zh: str
    """The city, in Chinese (重庆市)."""
    default_period: str
    """The period a fact without `period` refers to."""
    period_inference: str
    """How the year and period were worked out."""
    source: str = ""
    """Where the report comes from."""
    names: tuple[str, ...] = ()
    """Phrases of the report whose digits are part of a name, not a statistic (世界500强)."""


class KnowledgeBase(NamedTuple):
    """A loaded and checked knowledge file. Commands query its `index.Index`."""

    meta: Meta
    topics: dict[str, Topic]
    """Topics by slug, in file order."""
    facts: tuple[Fact, ...]
    """Facts in file order."""
    city_figures: dict[str, CityFigure]
    """The city's published figures by id."""
    sources: tuple[Source, ...] = ()
    """The documents the facts are quoted from, in file order; derived from `meta` where the file names none."""
    set_aside: tuple[SetAside, ...] = ()
    """Sentences of the report deliberately quoted by no fact (`validate --source` coverage)."""
    glossary: tuple[tuple[str, ...], ...] = ()
    """Groups of search terms that mean the same (研发, R&D, research and development)."""
    indicators: dict[str, Indicator] = {}  # noqa: RUF012 - a NamedTuple default, never mutated
    """The indicators facts may name, by slug."""
    metas: tuple[Meta, ...] = ()
    """The `[meta]` of each knowledge file of the base, in order (`meta` is the first's); empty: just `meta`."""
    files: tuple[str, ...] = ()
    """The knowledge files the base was read from, in order (as `metas`)."""

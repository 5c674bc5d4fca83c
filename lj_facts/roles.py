"""What a number written in a report is: its role, and the record the parser reads it into.

Shared by the readers of each language (`figures` for Chinese, `english`), so that both give the
same records and `figures` can put them together without an import circle.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from .model import Qualifier, half_unit


class Role(str, Enum):
    """What a number written in a text states."""

    AMOUNT = "amount"
    """A level in a unit: 2008.3亿元, 43所, 52% (a rate)."""
    GROWTH = "growth"
    """Growth in percent: 增长41.1%, 增长6.1倍 (610), 翻倍 (100), 下降5% (−5)."""
    SHARE = "share"
    """Share of the city's total in percent: 占全市的16.3%, 近1/2."""
    GAP = "gap"
    """Percentage points the growth exceeds the city's: 比全市高12.7个百分点."""
    CHANGE = "change"
    """Change of a rate or share in percentage points: 提高0.7个百分点."""
    ABSOLUTE = "absolute"
    """An absolute change against a year before, in a unit: 增长2.9亿元, 增加3家, up 2.9 billion yuan."""
    MOM = "mom"
    """Growth on the period just before, in percent: 环比增长20.2%, on a month-on-month basis."""
    RANK = "rank"
    """A place in a ranking: 第7位, 全国第四个, 居全市第一."""
    RANK_OF = "rank_of"
    """How many are ranked: 全国127个…中."""
    SPAN = "span"
    """Years a growth spans: 较5年前."""
    LEVEL = "level"
    """A size class, part of what is counted: 千亿级, 百亿级, 十亿元及以上."""
    DATE = "date"
    """A date, year or month: 6月26日, 2021年, 1—5月, 100周年."""
    NAME = "name"
    """Digits of a model or product name, next to Latin letters: SF5, L4."""
    UNREAD = "unread"
    """Digits the parser cannot place (世界500强): a person must decide."""
    WORD = "word"
    """Chinese numerals inside a word or name (十四五, 三一重工, 两江, 一个, 三大): written, no statistic."""


STATISTICS = frozenset(
    {Role.AMOUNT, Role.GROWTH, Role.SHARE, Role.GAP, Role.CHANGE, Role.ABSOLUTE, Role.MOM, Role.RANK, Role.RANK_OF}
)
"""Roles that state a figure of a fact."""


class Figure(NamedTuple):
    """A number written in a text, read in its context."""

    start: int
    """Where it starts in the text with white space removed (`text.without_spaces`)."""
    end: int
    """Where its written form ends (qualifiers and units not included)."""
    raw: str
    """As written: `2008.3`, `1/3`, `千`, `翻倍`."""
    role: Role
    value: float
    """What it states in its role: 610 for 增长6.1倍, 33.3 for 1/3 as a share, −5 for 下降5%."""
    unit: str | None = None
    """The unit of an amount (a key of `model.UNITS`)."""
    qualifier: Qualifier = Qualifier.EXACT
    line: int = 1
    """The line of the original text it stands on."""
    chinese: bool = False
    """Written in Chinese numerals (千亿元, 第四, 翻倍)."""
    abbreviation: bool = False
    """Counted in a numerical abbreviation (“两院三中心”): a count, or a slogan for `meta.names`."""

    @property
    def readings(self) -> tuple[float, ...]:
        """The values it can stand for: its value in its role, and the number as written."""
        written = self.written
        return (self.value,) if written is None or written == self.value else (self.value, written)

    @property
    def written(self) -> float | None:
        """The number as written (6.1 for 增长6.1倍), or None for a fraction or a word (first)."""
        if "/" in self.raw:
            return None
        if self.chinese:
            return chinese_number(self.raw)
        if not any(ch.isdigit() for ch in self.raw):  # an English rank word (ranking first): its value says it
            return None
        return float(self.raw.replace(",", ""))

    @property
    def is_fraction(self) -> bool:
        return "/" in self.raw


# --- numbers --------------------------------------------------------------------------------------

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_MAGNITUDES = {"十": 10, "百": 100, "千": 1000}


def chinese_number(run: str) -> float:
    """A number written in Chinese numerals: 五十 → 50, 千 → 1000, 两 → 2, 二〇二一 → 2021, 翻倍 → 100."""
    if run.startswith("翻"):  # 翻倍, 翻番, 翻一番: ×2; 翻两番: ×4 (+300 %)
        times = {"两": 2, "二": 2, "三": 3}.get(run[-2], 1) if run.endswith("番") and len(run) > 2 else 1
        return float(2**times - 1) * 100
    if len(run) > 1 and not any(ch in _ZH_MAGNITUDES for ch in run):  # 二〇二一: digit by digit
        return float("".join(str(_ZH_DIGITS[ch]) for ch in run))
    total, digit = 0, 0
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        else:
            total += (digit or 1) * _ZH_MAGNITUDES[ch]
            digit = 0
    return float(total + digit)


def matches(figure: Figure, value: float) -> bool:
    """Whether `figure` can be read as `value` (a fraction within the rounding of the value)."""
    if figure.is_fraction:  # a fraction is written rounded in a fact: 1/3 as 33.3
        return abs(figure.value - value) <= half_unit(value) + 0.05 + 1e-9
    return any(abs(r - value) <= 1e-9 * max(1.0, abs(value)) for r in figure.readings)

"""The one parser of Chinese statistical phrasing: text in, figures and statements out.

`figures(text)` finds every number written in a text (digits, fractions, Chinese numerals) and says
what it is: an amount with its unit (达2008.3亿元), a growth (增长41.1%, 增长6.1倍 = +610 %, 翻倍),
a share of the city (占全市的16.3%, 近1/2), a gap to the city's growth (比全市高12.7个百分点), a
change in points (提高0.7个百分点), a rank (全国第四, 127个…中第7位), a size class (千亿级,
十亿元及以上), or a date or name that is no statistic. `statements(text)` groups them as a
knowledge file's facts: one per amount, with the growth, share, gap and change that follow it in
the same clause, and one per figure of a 分别… list.

Pure and linear: compiled regular expressions over one sentence at a time, each figure classified
by anchored look-ups a few characters either side, so a 10 MB text takes seconds. Nothing here
imports Typer or Rich; `validate` and `draft` both read figures through this module.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from .model import UNITS, Qualifier, half_unit

_SPACE = re.compile(r"\s+")
# Full-width digits and signs read as ASCII; one character for one, so positions do not move.
_WIDTH = str.maketrans("０１２３４５６７８９．％／", "0123456789.%/")


def normalize(text: str) -> str:
    """The text with all white space removed, as quotes are compared."""
    return _SPACE.sub("", text)


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


STATISTICS = frozenset({Role.AMOUNT, Role.GROWTH, Role.SHARE, Role.GAP, Role.CHANGE, Role.RANK, Role.RANK_OF})
"""Roles that state a figure of a fact."""


class Figure(NamedTuple):
    """A number written in a text, read in its context."""

    start: int
    """Where it starts in the text with white space removed (`normalize`)."""
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
        """The number as written (6.1 for 增长6.1倍), or None for a fraction."""
        if "/" in self.raw:
            return None
        if self.chinese:
            return chinese_number(self.raw)
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


_NUMBER = re.compile(
    r"(?P<frac>\d+(?:\.\d+)?/\d+)|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)|(?P<zh>翻了?[一两二三]番|翻倍|翻番|[零〇一二两三四五六七八九十百千]+)"
)
_UNIT_NAMES = sorted((u for u in UNITS if u != "%"), key=len, reverse=True)
_UNIT = re.compile(r"(?P<mid>余|多)?(?P<unit>" + "|".join(map(re.escape, _UNIT_NAMES)) + r")")
_PERCENT = re.compile(r"%(?P<post>以上|左右|多)?")
_TIMES = re.compile(r"(?P<mid>余|多)?倍(?P<post>以上|左右|多)?")
_POINTS = re.compile(r"个?百分点")
_POST = re.compile(r"以上|左右")
_LEVEL = re.compile(r"(?:亿|万)元?级|(?:亿|万)?元?及以上|级(?=以上|企业|项目)")
_DATE = re.compile(r"年(?!前)|月|日|周年|号|个月|个季度|[—–\-~至到]\d{1,2}(?:月|日)")
_DURATION = re.compile(r"个月|个季度")
_RANK_OF = re.compile(r"(?:个|家|所|座)[^，。；、]{0,24}?中(?:综合)?(?:排名|排|位居|位列|居)")
_SPAN_AFTER = re.compile(r"年前")
_ORDINAL_SUFFIX = re.compile(r"位|名|个|大")
_NOT_A_PLACE = re.compile(r"产业|季度|批|届|次|期|代")
"""第一产业, 第二季度, 第一批: ordinals that name a sector, a period or a batch, not a place in a ranking."""

# Context read backwards: each pattern is matched against the few characters before a number.
_QUALIFIER_BEFORE = re.compile(r"(?:超过|突破|超|逾|接近|将近|近|大约|约)$")
_QUALIFIERS = {
    "超过": Qualifier.OVER,
    "突破": Qualifier.OVER,
    "超": Qualifier.OVER,
    "逾": Qualifier.OVER,
    "余": Qualifier.OVER,
    "多": Qualifier.OVER,
    "接近": Qualifier.NEARLY,
    "将近": Qualifier.NEARLY,
    "近": Qualifier.NEARLY,
    "大约": Qualifier.ABOUT,
    "约": Qualifier.ABOUT,
    "左右": Qualifier.ABOUT,
    "以上": Qualifier.AT_LEAST,
}
_GROWTH_BEFORE = re.compile(r"(?:增长|增速|增幅|上升|上涨|增加|提高|提升|扩大)了?(?:达到|达)?$")
_DECLINE_BEFORE = re.compile(r"(?:下降|减少|降低|回落|下滑|下跌)了?(?:达到|达)?$")
_SHARE_BEFORE = re.compile(
    r"(?P<pre>约|近|超过|超)?占(?P<whole>[^，。；、占]{0,12}?)(?:的|比重|比例)?(?:均)?(?:达到|达|为)?$"
)
_GAP_BEFORE = re.compile(r"(?:比全市(?:平均)?(?:水平)?(?P<a>高|低)出?|(?P<b>高|低)(?:于|出)全市(?:平均)?(?:水平)?)$")
_CITY = re.compile(r"全市|市(?!场)")
"""The whole a share is of names the city: 全市, 重庆市 (not 市场, the market)."""
_DOWN_POINTS_BEFORE = re.compile(r"(?:下降|减少|降低|回落|下滑|下跌)了?$")
_RANK_BEFORE = re.compile(r"(?:全国|全市|全省|全球|全区|西部|中|居|位居|位列|排名|排|名列|列|位次)第$")
_SPAN_BEFORE = re.compile(r"较$|比$")
_VAGUE_BEFORE = re.compile(r"[数几]$")
_WORD_ONE_BEFORE = re.compile(r"[另唯统同之单其逐专万]$")
# A numerical abbreviation in quotes, made only of numeral + word pairs: “两院三中心” (two hospitals,
# three centres), “两高两区”, “四梁八柱”. Each numeral counts; a slogan is set aside in meta.names.
_PAIR_TEXT = r"[两二三四五六七八九十百千]+[^\W\d_两二三四五六七八九十百千零〇一“”]{1,2}"
_ABBREVIATION = re.compile(rf"“((?:{_PAIR_TEXT}){{2,4}})”")
_PAIR = re.compile(rf"({_PAIR_TEXT[: _PAIR_TEXT.index('+') + 1]})")
_LIST_GAP = re.compile(r"[、和及与](?:超过|超|接近|近|约)?")
"""What stands between two figures of one list (4.4倍、89.3%): nothing but a separator."""
_SPLIT_LIST = re.compile(r"分别")
_SENTENCE = re.compile(r"(?:[^。！？；!?;\n]|\n(?![ \t\r\f\v]*\n))*(?:[。！？；!?;]|\n[ \t\r\f\v]*\n|$)")
_CLAUSE = re.compile(r"(?:[^，,：:…]|,(?=\d{3}))+[，,：:…]*")  # 1,355: a digit group, no clause end
_CONTINUES = re.compile(
    r"(?:同比|比上年同期|比上年|较上年)?(?:增长|下降|增速|增幅|减少)"
    r"|(?:总量|比重)?(?:约|近|超过|超)?占|比全市|[高低][于出]全市|较\S{1,3}年前|提高|提升"
    r"|[比较][^，,。；]{1,8}?(?:增长|下降|提高|提升|上升|上涨|回落|减少|高|低)"
    r"|(?:达到|达|共计)(?=[\d零〇一二两三四五六七八九十百千])"  # ，达到35家: the subject is in the clause before
)


def _qualifier(word: str | None) -> Qualifier:
    return _QUALIFIERS.get(word or "", Qualifier.EXACT)


def _scan_sentence(flat: str, offset: int, starts: array[int], base_line: int) -> Iterator[Figure]:
    """The figures of one sentence (white space removed), positioned `offset` into the whole text."""
    previous: Figure | None = None
    previous_end = 0
    counted = {p.start(1) + a.start(1) for a in _ABBREVIATION.finditer(flat) for p in _PAIR.finditer(a.group(1))}
    for m in _NUMBER.finditer(flat):
        zh = m.lastgroup == "zh"
        read = _read(flat, m.start(), m.end(), m.group(), zh, previous, previous_end, zh and m.start() in counted)
        if read is None:
            continue
        figure, suffix_end = read
        line = base_line + bisect_right(starts, figure.start) - 1
        yield figure._replace(start=figure.start + offset, end=figure.end + offset, line=line)
        previous, previous_end = figure, suffix_end


def _read(
    flat: str,
    s: int,
    e: int,
    raw: str,
    chinese: bool,
    previous: Figure | None,
    previous_end: int,
    abbreviated: bool = False,
) -> tuple[Figure, int] | None:
    """The figure at flat[s:e] and where what belongs to it (unit, qualifier) ends; None if no figure."""
    before = flat[max(0, s - 16) : s]
    if e - s > 24:  # no statistic is written in 25 digits or numerals: a run of them is no figure
        return None if chinese else (Figure(s, e, raw[:24] + "…", Role.UNREAD, 0.0), e)
    if chinese:
        if raw.startswith("翻"):
            return Figure(s, e, raw, Role.GROWTH, chinese_number(raw), chinese=True), e
        if raw.startswith("一") and _WORD_ONE_BEFORE.search(before):  # 另一千亿级: 另一 is "another"
            raw, s = raw[1:], s + 1
            if not raw:
                return None
    bare = Figure(s, e, raw, Role.UNREAD, 0.0, chinese=chinese)
    number = chinese_number(raw) if chinese else (0.0 if "/" in raw else float(raw.replace(",", "")))
    if chinese and _VAGUE_BEFORE.search(before):  # 数千万元: "several", no figure
        return bare._replace(role=Role.WORD, value=number), e
    if abbreviated:  # “两院三中心”: two hospitals, three centres
        return bare._replace(role=Role.AMOUNT, value=number, unit="个", abbreviation=True), e
    if not chinese:
        left = flat[s - 1] if s else ""
        right = flat[e] if e < len(flat) else ""
        if (left.isascii() and left.isalpha()) or (right.isascii() and right.isalpha()):
            return bare._replace(role=Role.NAME), e
        if _DATE.match(flat, e) and "/" not in raw:
            return bare._replace(role=Role.DATE, value=number), e
    pre = _QUALIFIER_BEFORE.search(before)
    pre_q = _qualifier(pre.group()) if pre else Qualifier.EXACT
    core = before[: pre.start()] if pre else before
    if _RANK_BEFORE.search(before) and not _NOT_A_PLACE.match(flat, e):
        suffix = _ORDINAL_SUFFIX.match(flat, e)
        return bare._replace(role=Role.RANK, value=number), suffix.end() if suffix else e
    if chinese and (raw == "一" or _DURATION.match(flat, e)):
        return bare._replace(role=Role.WORD, value=number), e  # 一个: the article "a"; 五个月: a duration
    if _SPAN_BEFORE.search(before) and _SPAN_AFTER.match(flat, e):
        return bare._replace(role=Role.SPAN, value=number), e + 2
    level = _LEVEL.match(flat, e)
    if level:  # 千亿级: a size in 亿元 (the money of the report's size classes), 十亿元及以上 likewise
        scale = next((u for u in ("亿元", "万元") if level.group().startswith(u[0])), None)
        return bare._replace(role=Role.LEVEL, value=number, unit=scale, qualifier=Qualifier.AT_LEAST), level.end()
    if m := _POINTS.match(flat, e):
        gap = _GAP_BEFORE.search(core)
        if gap:
            sign = -1.0 if "低" in (gap.group("a") or gap.group("b") or "") else 1.0
            return bare._replace(role=Role.GAP, value=sign * number, qualifier=pre_q), m.end()
        sign = -1.0 if _DOWN_POINTS_BEFORE.search(core) else 1.0
        return bare._replace(role=Role.CHANGE, value=sign * number, qualifier=pre_q), m.end()
    if "/" in raw:
        a, b = raw.split("/")
        if not float(b):
            return bare, e  # 1/0 is no fraction
        percent = round(100 * float(a) / float(b), 1)
        post = _POST.match(flat, e)
        return _percent(bare, flat, s, core, percent, pre_q, post, previous, previous_end)
    if m := _TIMES.match(flat, e):
        q = _qualifier(m.group("mid") or m.group("post")) if (m.group("mid") or m.group("post")) else pre_q
        sign = -1.0 if _DECLINE_BEFORE.search(core) else 1.0
        listed = previous is not None and previous.role is Role.GROWTH and _LIST_GAP.fullmatch(flat[previous_end:s])
        if _GROWTH_BEFORE.search(core) or _DECLINE_BEFORE.search(core) or listed:
            return bare._replace(role=Role.GROWTH, value=round(sign * number * 100, 6), qualifier=q), m.end()
        return bare._replace(value=number * 100), m.end()
    if m := _PERCENT.match(flat, e):
        post_word = m.group("post")
        q = _qualifier(post_word) if post_word else pre_q
        fig, end = _percent_role(bare, flat, s, core, number, q, previous, previous_end)
        return fig, max(end, m.end())
    if m := _UNIT.match(flat, e):
        if _RANK_OF.match(flat, e):
            return bare._replace(role=Role.RANK_OF, value=number), m.end()
        q = _qualifier(m.group("mid")) if m.group("mid") else pre_q
        end = m.end()
        if post := _POST.match(flat, end):
            q, end = _qualifier(post.group()), post.end()
        return bare._replace(role=Role.AMOUNT, value=number, unit=m.group("unit"), qualifier=q), end
    if chinese:
        return bare._replace(role=Role.WORD, value=number), e  # 十四五, 三一, 两江, 三大: words and names
    return bare._replace(value=number), e


def _percent(
    bare: Figure,
    flat: str,
    s: int,
    core: str,
    percent: float,
    q: Qualifier,
    post: re.Match[str] | None,
    previous: Figure | None,
    previous_end: int,
) -> tuple[Figure, int]:
    if post:
        q = _qualifier(post.group())
    fig, end = _percent_role(bare, flat, s, core, percent, q, previous, previous_end)
    return fig, max(end, post.end() if post else bare.end)


def _percent_role(
    bare: Figure,
    flat: str,
    s: int,
    core: str,
    number: float,
    q: Qualifier,
    previous: Figure | None,
    previous_end: int,
) -> tuple[Figure, int]:
    """A percentage (or fraction read as one): growth, decline, share of the city, or a rate."""
    if _GROWTH_BEFORE.search(core):  # 提高5% grew by five percent; 提高到5% is a rate (below)
        return bare._replace(role=Role.GROWTH, value=number, qualifier=q), bare.end
    if _DECLINE_BEFORE.search(core):
        return bare._replace(role=Role.GROWTH, value=-number, qualifier=q), bare.end
    share = _SHARE_BEFORE.search(core)
    if share:
        if q is Qualifier.EXACT and share.group("pre"):  # 约占全市50%
            q = _qualifier(share.group("pre"))
        if _CITY.search(share.group("whole")):
            return bare._replace(role=Role.SHARE, value=number, qualifier=q), bare.end
        return bare._replace(role=Role.AMOUNT, value=number, unit="%", qualifier=q), bare.end
    listed = previous is not None and _LIST_GAP.fullmatch(flat[previous_end:s])
    if listed and previous is not None and previous.role in (Role.GROWTH, Role.SHARE):
        value = -number if previous.role is Role.GROWTH and previous.value < 0 else number
        return bare._replace(role=previous.role, value=value, qualifier=q), bare.end
    return bare._replace(role=Role.AMOUNT, value=number, unit="%", qualifier=q), bare.end


# --- sentences ------------------------------------------------------------------------------------


class Sentence(NamedTuple):
    """One sentence of a text, white space removed, with its figures."""

    flat: str
    start: int
    """Where it starts in the whole text with white space removed."""
    line: int
    """The line of the original text it starts on."""
    figures: tuple[Figure, ...]


_RUNNING = re.compile(r"[，。、；：！？,;:!?]")
"""Punctuation of running text: a blank line after a line holding some is a column break."""


def _pieces(text: str) -> Iterator[str]:
    """`text` cut into sentences: after 。！？；, or at a blank line after a caption or headline.

    The text comes from a printed page: a blank line after a line of running text (one with ，、…)
    is a column or page break inside a sentence, so the sentence goes on after it.
    """
    held: list[str] = []
    for m in _SENTENCE.finditer(text):
        piece = m.group()
        if not piece:
            continue
        held.append(piece)
        if piece[-1] == "\n" and m.end() < len(text):  # ended by a blank line, not by 。
            last = piece.rstrip().rsplit("\n", 1)[-1]
            if _RUNNING.search(last):
                continue
        yield "".join(held)
        held = []
    if held:
        yield "".join(held)


def sentences(text: str) -> Iterator[Sentence]:
    """The sentences of `text` (see `_pieces`), each with its figures, in order."""
    offset, line = 0, 1
    for piece in _pieces(text.translate(_WIDTH)):
        parts = piece.split("\n")
        flats = [_SPACE.sub("", part) for part in parts]
        flat = "".join(flats)
        if flat:
            starts = array("l", [0])  # where each line of the sentence starts in `flat`
            for part in flats[:-1]:
                starts.append(starts[-1] + len(part))
            found = tuple(_scan_sentence(flat, offset, starts, line))
            yield Sentence(flat, offset, line + bisect_right(starts, 0) - 1, found)
        offset += len(flat)
        line += len(parts) - 1


def figures(text: str) -> list[Figure]:
    """Every number written in `text`, in digits or Chinese numerals, read in its context.

    Chinese numerals count only where they state a figure (千亿元, 第四, 翻倍, 百亿级); those of words
    and names (十四五, 三一重工, 两江, 一个) are not figures. Positions are in `normalize(text)`.
    """
    return [f for sentence in sentences(text) for f in sentence.figures]


# --- statements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """The figures of one fact: an amount and what the report says about it in the same clause."""

    text: str
    """The clause(s) stating it, white space removed (verbatim otherwise)."""
    start: int
    """Where `text` starts in the whole text, white space removed."""
    line: int
    """The line of the original text the figure stands on."""
    sentence: str
    """The whole sentence (for the period and for a reader)."""
    value: float | None = None
    unit: str | None = None
    qualifier: Qualifier = Qualifier.EXACT
    growth_pct: float | None = None
    growth_qualifier: Qualifier = Qualifier.EXACT
    growth_span_years: int | None = None
    city_share_pct: float | None = None
    city_share_qualifier: Qualifier = Qualifier.EXACT
    city_share_change_pp: float | None = None
    city_growth_gap_pp: float | None = None
    change_pp: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    period: str = "not-given"
    """A period as the knowledge file writes it, or `not-given`."""
    figures: tuple[Figure, ...] = field(default=())
    """The figures it is made of."""

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_claim(self) -> bool:
        """Whether it states no figure of its own (a size class without a unit: 千级企业)."""
        return self.value is None and all(f.role is Role.LEVEL for f in self.figures)


class _Open:
    """A statement being built from the figures of a clause group."""

    def __init__(self, first: Figure) -> None:
        self.fields: dict[str, object] = {}
        self.figures: list[Figure] = []
        self.add(first)

    def add(self, f: Figure) -> None:
        self.figures.append(f)
        r = f.role
        if r is Role.AMOUNT:
            self.fields.update(value=f.value, unit=f.unit, qualifier=f.qualifier)
        elif r is Role.GROWTH:
            self.fields.update(growth_pct=f.value, growth_qualifier=f.qualifier)
        elif r is Role.SHARE:
            self.fields.update(city_share_pct=f.value, city_share_qualifier=f.qualifier)
        elif r is Role.GAP:
            self.fields["city_growth_gap_pp"] = f.value
        elif r is Role.CHANGE:
            key = "city_share_change_pp" if "city_share_pct" in self.fields else "change_pp"
            self.fields[key] = f.value
        elif r is Role.RANK:
            self.fields["rank"] = int(f.value)
        elif r is Role.RANK_OF:
            self.fields["rank_of"] = int(f.value)

    def takes(self, f: Figure) -> bool:
        """Whether `f` says more about this statement rather than starting another."""
        r, have = f.role, self.fields
        if r is Role.GROWTH:
            return "growth_pct" not in have
        if r is Role.SHARE:
            return "city_share_pct" not in have
        if r is Role.GAP:
            return "growth_pct" in have and "city_growth_gap_pp" not in have
        if r is Role.CHANGE:
            if "city_share_pct" in have:
                return "city_share_change_pp" not in have
            return have.get("unit") == "%" and "change_pp" not in have
        if r is Role.RANK:
            return "rank" not in have
        return False


def statements(text: str, year: int | None = None) -> Iterator[Statement]:
    """The facts `text` states, in order: one per amount, growth, share, change or rank standing alone.

    A clause whose only figure is a size class states that size: 两大千亿级产业集群 is at least
    1000 亿元 (value 1000, unit 亿元, qualifier at_least). Beside a count (百亿级项目2个) a size class
    only says what is counted, and makes no statement of its own.

    A growth, share, gap or change joins the amount before it in the same clause, or in a clause that
    continues it (，占全市的16.3% / ，同比增长56%). In a 分别… list each figure is its own statement,
    and a trailing 以上 qualifies every figure of the list. `year` fills in the periods
    (上半年 → YEAR-H1); without it a period that needs the year is `not-given`.
    """
    for sentence in sentences(text):
        yield from sentence_statements(sentence, year)


def sentence_statements(sentence: Sentence, year: int | None = None) -> Iterator[Statement]:
    """The statements of one sentence of `sentences` (see `statements`)."""
    if any(f.role in STATISTICS or f.role is Role.LEVEL for f in sentence.figures):
        yield from _sentence_statements(sentence, year)


def _groups(sentence: Sentence) -> Iterator[tuple[int, int]]:
    """Spans (in the sentence) of clauses, a clause joined with the ones that continue it."""
    start = end = None
    for m in _CLAUSE.finditer(sentence.flat):
        body_end = m.start() + len(m.group().rstrip("，,：:…。！？；!?;"))
        if start is not None and end is not None and _CONTINUES.match(sentence.flat, m.start()):
            end = body_end
            continue
        if start is not None and end is not None:
            yield start, end
        start, end = m.start(), body_end
    if start is not None and end is not None:
        yield start, end


def _sentence_statements(sentence: Sentence, year: int | None) -> Iterator[Statement]:
    periods = list(_periods(sentence.flat, year))
    figs = [f for f in sentence.figures if f.role in STATISTICS or f.role is Role.SPAN]
    for g_start, g_end in _groups(sentence):
        group = [f for f in figs if g_start <= f.start - sentence.start < g_end]
        if not any(f.role in STATISTICS for f in group):
            levels = tuple(
                f for f in sentence.figures if f.role is Role.LEVEL and g_start <= f.start - sentence.start < g_end
            )
            if levels:  # 另一千亿级支柱产业: a size (at least 1000 亿元) and nothing else
                size = levels[0]
                yield Statement(
                    text=sentence.flat[g_start:g_end],
                    start=sentence.start + g_start,
                    line=size.line,
                    sentence=sentence.flat,
                    period=_period_at(periods, size.start - sentence.start),
                    figures=levels,
                    value=size.value if size.unit else None,
                    unit=size.unit,
                    qualifier=size.qualifier if size.unit else Qualifier.EXACT,
                )
            continue
        split_at = _SPLIT_LIST.search(sentence.flat, g_start, g_end)
        built: list[_Open] = []
        span: int | None = None
        listed: list[_Open] = []
        for f in group:
            if f.role is Role.SPAN:
                span = int(f.value)
                continue
            in_list = split_at is not None and f.start - sentence.start > split_at.start()
            current = built[-1] if built else None
            if current is not None and not in_list and f.role is not Role.AMOUNT and current.takes(f):
                current.add(f)
            else:
                current = _Open(f)
                built.append(current)
                if in_list:
                    listed.append(current)
            if span is not None and f.role is Role.GROWTH:
                current.fields["growth_span_years"] = span
                span = None
        _spread_list_qualifier(listed)
        text = sentence.flat[g_start:g_end]
        for b in built:
            first = b.figures[0]
            yield Statement(
                text=text,
                start=sentence.start + g_start,
                line=first.line,
                sentence=sentence.flat,
                period=_period_at(periods, first.start - sentence.start),
                figures=tuple(b.figures),
                **b.fields,  # type: ignore[arg-type]
            )


def _spread_list_qualifier(listed: list[_Open]) -> None:
    """分别占全市55%、60%以上: the trailing 以上 is said of the whole list."""
    if len(listed) < 2:
        return
    last = listed[-1].figures[-1]
    if last.qualifier is not Qualifier.AT_LEAST:  # only 以上 trails a figure; 约 (about) stands before its own
        return
    key = {Role.GROWTH: "growth_qualifier", Role.SHARE: "city_share_qualifier", Role.AMOUNT: "qualifier"}.get(last.role)
    if key is None:
        return
    for item in listed[:-1]:
        if item.figures[-1].role is last.role and item.fields.get(key) == Qualifier.EXACT:
            item.fields[key] = last.qualifier


# --- periods --------------------------------------------------------------------------------------

_PERIOD_MARK = re.compile(
    r"(?<![比较与同])(?:(?P<y>\d{4})年)?(?:(?P<h1>上半年|(?<![仅近多一])半年)|(?P<h2>下半年)"
    r"|(?:第)?(?P<q>[一二三四1-4])季度"
    r"|(?P<m1>\d{1,2})[—–\-~至到](?P<m2>\d{1,2})月|前(?P<first>\d{1,2})个月)"
    r"|截至(?:今年|本年|(?P<y2>\d{4})年)?(?P<mon>\d{1,2})月(?:(?P<day>\d{1,2})日|底|末)?"
    r"|(?P<yearly>全年|每年)"
)
_MONTH_END = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _periods(flat: str, year: int | None) -> Iterator[tuple[int, str]]:
    """The periods a sentence names, with where each is named."""
    for m in _PERIOD_MARK.finditer(flat):
        period = _period_of(m, year)
        if period:
            yield m.start(), period


def _period_of(m: re.Match[str], year: int | None) -> str | None:
    if m.group("yearly"):
        return "per-year"
    written = m.group("y") or m.group("y2")
    year = int(written) if written else year  # 2021年上半年, 截至2021年6月底: the year is written
    if year is None:
        return None
    if m.group("h1"):
        return f"{year}-H1"
    if m.group("h2"):
        return f"{year}-H2"
    if m.group("q"):
        return f"{year}-Q{'一二三四'.find(m.group('q')) + 1 if not m.group('q').isdigit() else m.group('q')}"
    if m.group("m1") or m.group("first"):
        a, b = (int(m.group("m1")), int(m.group("m2"))) if m.group("m1") else (1, int(m.group("first")))
        return f"{year}-{a:02d}/{year}-{b:02d}" if 1 <= a < b <= 12 else None
    if not m.group("mon"):
        return None  # 2021年 alone: a year, not a period of a figure
    month = int(m.group("mon"))
    if not 1 <= month <= 12:
        return None
    last = _MONTH_END[month - 1] + (1 if month == 2 and year % 4 == 0 and (year % 100 or year % 400 == 0) else 0)
    day = int(m.group("day")) if m.group("day") else last
    return f"{year}-{month:02d}-{day:02d}" if 1 <= day <= last else None


def _period_at(periods: list[tuple[int, str]], position: int) -> str:
    """The period named last before `position` in the sentence (上半年…, 截至6月…), else `not-given`."""
    chosen = "not-given"
    for at, period in periods:
        if at > position:
            break
        chosen = period
    return chosen


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def years_written(text: str) -> list[tuple[int, int]]:
    """The years written `YYYY年` in `text`, with the line each stands on."""
    found = []
    line, last = 1, 0
    for m in _YEAR.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        found.append((int(m.group(1)), line))
    return found


def matches(figure: Figure, value: float) -> bool:
    """Whether `figure` can be read as `value` (a fraction within the rounding of the value)."""
    if figure.is_fraction:  # a fraction is written rounded in a fact: 1/3 as 33.3
        return abs(figure.value - value) <= half_unit(value) + 0.05 + 1e-9
    return any(abs(r - value) <= 1e-9 * max(1.0, abs(value)) for r in figure.readings)


__all__ = [
    "STATISTICS",
    "Figure",
    "Role",
    "Sentence",
    "Statement",
    "chinese_number",
    "figures",
    "matches",
    "normalize",
    "sentence_statements",
    "sentences",
    "statements",
    "years_written",
]

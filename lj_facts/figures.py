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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from . import english
from .model import UNITS, Qualifier
from .roles import STATISTICS, Figure, Role, chinese_number, matches
from .sentences import Sentence, split
from .text import is_cjk, simplified_characters, without_spaces

# Full-width digits and signs read as ASCII; one character for one, so positions do not move.
_WIDTH = str.maketrans("０１２３４５６７８９．％／（）", "0123456789.%/()")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_ASIDE = re.compile(rf"\((?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}\)|\(下同\)")
"""What a reader skips: the pinyin a poor converter leaves after a character (區(qū), 長(zhǎng)), and 下同."""


_NUMBER = re.compile(
    r"(?P<frac>\d+(?:\.\d+)?/\d+)|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)"
    r"|(?P<zfrac>(?:[一二两三四五六七八九十]+|百)分之[一二两三四五六七八九十]+(?:点[零〇一二两三四五六七八九]+)?|(?<![一二两三四五六七八九十])[一二两三四五六七八九]成(?!不变|员)"
    r"|(?:过|近|超|一)半(?![年月天日])|半数)"
    r"|(?P<zh>翻了?[一两二三]番|翻倍|翻番|[零〇一二两三四五六七八九十百千]+|(?<![\d零〇一二两三四五六七八九十百千])万(?=亿元?级))"
)
_HALF = {"过半": Qualifier.OVER, "超半": Qualifier.OVER, "近半": Qualifier.NEARLY, "一半": Qualifier.EXACT}
_UNIT_KEYS = {u.replace(" ", ""): u for u in UNITS if u != "%"} | {"兆元": "万亿元"}
"""Units by the name read in text without white space (billionyuan is `billion yuan`); 兆元, Taiwan's trillion yuan."""
_UNIT_NAMES = sorted(_UNIT_KEYS, key=len, reverse=True)
_UNIT = re.compile(r"(?P<mid>余|多|来)?(?P<unit>" + "|".join(map(re.escape, _UNIT_NAMES)) + r")")
_PERCENT = re.compile(r"%(?P<post>以上|左右|多)?")
_TIMES = re.compile(r"(?P<mid>余|多)?倍(?P<post>以上|左右|多)?")
_POINTS = re.compile(r"个?百分点")
_POST = re.compile(r"以上|左右")
_LEVEL = re.compile(
    r"(?:亿|万)元?级|(?:亿|万)?元?及以上|级(?=以上|企业|项目)|万?(?:吨|千瓦|平方米)级"
    r"|(?:亿|万)?元以上(?=(?:的)?(?:重大|产业|工业|制造业)?(?:项目|企业))"
)
_DATE = re.compile(
    r"年(?!前(?![一二三四1-4两]季度|\d{1,2}个?月|[一二三四五六七八九十]{1,2}个?月))|月|日|周年|号|个月|个季度"
    r"|[—–\-~至到]{1,2}\d{1,2}(?:月|日)"
)
_DURATION = re.compile(r"个月|个季度")
_RANK_OF = re.compile(r"(?:个|家|所|座)[^，。；、]{0,24}?中[^，。；、\d]{0,6}?(?:综合)?(?:排名|排|位居|位列|居)")
_SPAN_AFTER = re.compile(r"年前")
_ORDINAL_SUFFIX = re.compile(r"位|名|个|大")
_NOT_A_PLACE = re.compile(r"产业|季度|批|届|次|期|代|时间|章|条|款|轮|号|页|版|步|阶段|天|年|月|日")
"""第一产业, 第二季度, 第一批, 第一时间: ordinals that name a sector, a period or a batch, not a place in a ranking."""
_PLACE_AFTER = re.compile(r"(?:个|位|名|大|家)(?!“)|[^\u3400-\u9fff“]|[是的]|$")
"""第三个, 第4位, 第四大, 第一、, 第三是: an ordinal standing as a place, with no ranking word before it."""
_SERIES_AFTER = re.compile(r"[、和至到\-—~][一二三四五六七八九十\d]")
"""第一、二季度, 第二至四批: ordinals of a series, not a place."""
_COUNT_BIG = re.compile(r"大[\u3400-\u9fff]")
"""9大产业, 3大系统: digits before 大 count (三大, in Chinese numerals, is a word: 三大件)."""
_UPWARDS_LEVEL = re.compile(r"(?:亿|万)元?的?[\u3400-\u9fff]{0,2}?(?:项目|企业)")
"""上百亿元的大项目: projects of upwards of ten billion yuan, a size class (beside a count, what is counted)."""
_NAMED_SIZE = re.compile(r"亿[\u3400-\u9fff]{0,4}?(?:城|基地|园|港)")
"""千亿汽车城, 百亿产业园: a size in a place's name (the base, not a statement of its output)."""
_JOBS = re.compile(r"(?P<mid>余|多)?(?=(?:就业|工作)?岗位)")
_CLASSIFIER = frozenset("人个件台只吨辆户头亩棵次部套株粒枚张项名家所座条艘架列批位方米斤度瓦升倍")
"""Measure words: 亿 or 万 before one of these is not money (4亿人, 3万台)."""
_POPULATION = re.compile(r"人口|常住|户籍|居民")

# Context read backwards: each pattern is matched against the few characters before a number.
_QUALIFIER_BEFORE = re.compile(
    r"(?:超过|突破|超|逾|接近|将近|近|大约|(?<![签节合契相制预条公特誓邀违履缔])约|不到|不足)$"
)
"""约 (about), not the 约 of 签约 (signed), 合约, 节约: 签约230个项目 is 230."""
_QUALIFIERS = {
    "超过": Qualifier.OVER,
    "突破": Qualifier.OVER,
    "超": Qualifier.OVER,
    "逾": Qualifier.OVER,
    "余": Qualifier.OVER,
    "来": Qualifier.ABOUT,
    "多": Qualifier.OVER,
    "接近": Qualifier.NEARLY,
    "将近": Qualifier.NEARLY,
    "近": Qualifier.NEARLY,
    "大约": Qualifier.ABOUT,
    "约": Qualifier.ABOUT,
    "不到": Qualifier.NEARLY,
    "不足": Qualifier.NEARLY,
    "左右": Qualifier.ABOUT,
    "以上": Qualifier.AT_LEAST,
}
_GROWTH_BEFORE = re.compile(
    r"(?:增长|增速|增幅|上升|上涨|增加|提高|提升|扩大|成长|涨幅|升幅|(?:按年|按月|按季|年)(?:增|升))了?(?:达到|达)?$"
)
"""增长, 上升…; and as Hong Kong and Taiwan write it: 按年增长 (year on year), 按年升, 年增, 成长."""
_DECLINE_BEFORE = re.compile(
    r"(?:下降|减少|降低|回落|下滑|下跌|跌幅|降幅|(?:按年|按月|按季|年)(?:跌|减|降))了?(?:达到|达)?$"
)
_MOM_BEFORE = re.compile(r"(?:环比|按月|按季|月比)[^，,；。]{0,3}$")
"""环比增长, 环比下降, 按月上升 (Hong Kong): growth on the month (or quarter) before, never year on year."""
_CHANGE_BEFORE = re.compile(r"(?:同比)?(?:增长|增加|减少|下降)了?$")
"""增长2.9亿元, 增加3家: an absolute change (a level follows 达, 实现, 为, 到)."""
_SHARE_BEFORE = re.compile(
    r"(?P<pre>约|近|超过|超)?占(?P<whole>[^，。；、占]{0,12}?)(?:的|比重|比例)?(?:均)?(?:达到|达|为)?$"
)
_GAP_BEFORE = re.compile(
    r"(?:比全市(?:平均)?(?:水平)?(?P<a>高|低|快|慢)出?"
    r"|(?P<b>高|低|快|慢)(?:于|出)全市(?:[^，,。；、\d]{0,10}?(?:平均)?(?:水平)?)?)$"
)
_CITY = re.compile(r"全市|(?<!都)市(?!场|区|内)")
"""The whole a share is of names the city: 全市, 重庆市 (not 市场, the market, nor 主城都市区 or 市区, a part of it)."""
_CITY_BEFORE = re.compile(r"(?:全市|重庆市|重慶市)的?$")
_CITY_EVERY = re.compile(r"(?:全市|重庆市?)(?:的|范围内)?$")
"""全市约15%的经济总量, 重庆市1.5%面积: a share of the city written before the percent, with no 占."""
_BRACKETED = re.compile(r"\)[^，,。；;占]*?(?P<growth>增速|增长|增幅|下降)|\)[^，,。；;]*?(?P<share>占全市)")
"""制造业(22.0%)、…等3个行业增加值增速均超两位数: what a bracketed percent is, read from the rest of its clause."""
_EVERY = re.compile(
    r"每(?P<n>\d+|[两二三四五六七八九十]{1,3})(?P<u>[\u3400-\u9fff])[^。；;\d]{0,12}?(?:就|便)?有"
    r"(?P<m>\d+|[一两二三四五六七八九]{1,2})(?P=u)"
)
"""每5台就有1台, 每两个包裹，就有一个: one in five, one in two, a share (20 %, 50 %); of the city where the city
is named before it (重庆每两个…)."""
_DOWN_POINTS_BEFORE = re.compile(r"(?:下降|减少|降低|回落|下滑|下跌)了?$")
_RANK_BEFORE = re.compile(r"(?:全国|全市|全省|全球|全区|西部|中|居|位居|位列|排名|排|名列|列|位次)第$")
_SPAN_BEFORE = re.compile(r"较$|比$")
_TOP_BEFORE = re.compile(r"(?:位居|居|排名|排|位列|进入|跻身|排在)(?:全国|全市|全省|全球|世界|西部|中西部)?前$")
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
_CLAUSE = re.compile(r"(?:[^，,：:…]|,(?=\d{3}))+[，,：:…]*")  # 1,355: a digit group, no clause end
_CONTINUES = re.compile(
    r"(?:同比|按年|比上年同期|比上年|较上年)?(?:增长|下降|增速|增幅|减少|成长|上升|年[增减降]|升|跌)"
    r"|(?:总量|比重)?(?:约|近|超过|超)?占|比全市|[高低][于出]全市|较\S{1,3}年前|提高|提升"
    r"|[比较][^，,。；]{1,8}?(?:增长|下降|提高|提升|上升|上涨|回落|减少|高|低)"
    r"|(?:达到|达|共计)(?=[\d零〇一二两三四五六七八九十百千])"  # ，达到35家: the subject is in the clause before
    r"|(?:就|便)有"  # 每两个包裹，就有一个
)


def _qualifier(word: str | None) -> Qualifier:
    return _QUALIFIERS.get(word or "", Qualifier.EXACT)


_STAMP = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?")
"""A date or time as a web page stamps it (2021-01-29, 17:59:03): no statistic."""


def _scan_chinese(flat: str) -> Iterator[Figure]:
    """The figures of one sentence as read (white space removed), positioned in it."""
    previous: Figure | None = None
    previous_end = 0
    counted = {p.start(1) + a.start(1) for a in _ABBREVIATION.finditer(flat) for p in _PAIR.finditer(a.group(1))}
    stamps = [(m.start(), m.end()) for m in _STAMP.finditer(flat)] if ":" in flat or "-" in flat else []
    every = {m.start("n"): m for m in _EVERY.finditer(flat)} if "每" in flat else {}
    titles = [(t.start(), t.end()) for t in _TITLE.finditer(flat)] if "《" in flat else []
    skip_to = 0
    shares = False  # a share of the city read in this sentence: 全市约15%的经济总量，20%的规上工业总产值
    for m in _NUMBER.finditer(flat):
        if m.start() < skip_to:
            continue
        if stamps and any(a <= m.start() < b for a, b in stamps):
            yield Figure(m.start(), m.end(), m.group(), Role.DATE, 0.0)
            continue
        if titles and any(a <= m.start() < b for a, b in titles):  # 《实施100个重大项目…》: an article's name
            yield Figure(m.start(), m.end(), m.group(), Role.NAME, 0.0)
            continue
        if m.start() in every:  # 每5台就有1台: one share, 1/5
            pair = every[m.start()]
            n, k = _count(pair.group("n")), _count(pair.group("m"))
            if n and k <= n:
                skip_to = pair.end()
                share = round(100 * k / n, 1)
                if _CITY_EVERY.search(flat, 0, m.start() - 1):  # 重庆每两个跨境电商包裹，就有一个…
                    yield Figure(m.start(), pair.end("m"), pair.group(), Role.SHARE, share)
                else:
                    yield Figure(m.start(), pair.end("m"), pair.group(), Role.AMOUNT, share, unit="%")
                continue
        zh = m.lastgroup in ("zh", "zfrac")
        abbreviated = m.lastgroup == "zh" and m.start() in counted
        read = _read(flat, m.start(), m.end(), m.group(), zh, previous, previous_end, abbreviated)
        if read is None:
            continue
        figure, suffix_end = read
        if figure.role is Role.AMOUNT and figure.unit == "%" and shares and flat.startswith("的", suffix_end):
            figure = figure._replace(role=Role.SHARE, unit=None)
        shares = shares or figure.role is Role.SHARE
        yield figure
        previous, previous_end = figure, suffix_end


def _count(written: str) -> float:
    """A small count in digits or Chinese numerals (5, 两)."""
    return float(written) if written.isdigit() else chinese_number(written)


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
    fraction = fraction_percent(raw)
    if chinese and fraction is None:
        if raw.startswith("翻"):
            return Figure(s, e, raw, Role.GROWTH, chinese_number(raw), chinese=True), e
        if raw.startswith("一") and _WORD_ONE_BEFORE.search(before):  # 另一千亿级: 另一 is "another"
            raw, s = raw[1:], s + 1
            if not raw:
                return None
    bare = Figure(s, e, raw, Role.UNREAD, 0.0, chinese=chinese)
    if fraction is not None and "/" not in raw:  # 三分之一, 四成, 过半: a fraction in words
        pre = _QUALIFIER_BEFORE.search(before)
        q = _HALF.get(raw[:2], _qualifier(pre.group()) if pre else Qualifier.EXACT)
        if raw in ("过半", "超半", "近半") and pre:
            q = _qualifier(pre.group())
        core = before[: pre.start()] if pre else before
        return _percent(bare, flat, s, core, fraction, q, _POST.match(flat, e), previous, previous_end)
    number = chinese_number(raw) if chinese else (0.0 if "/" in raw else float(raw.replace(",", "")))
    if before.endswith("第"):  # an ordinal: a place in a ranking (第三个, 第4位), or a sector, batch, period
        if (
            _NOT_A_PLACE.match(flat, e)
            or _SERIES_AFTER.match(flat, e)
            or not (_RANK_BEFORE.search(before) or _PLACE_AFTER.match(flat, e))
        ):
            return bare._replace(role=Role.WORD, value=number), e
        suffix = _ORDINAL_SUFFIX.match(flat, e)
        return bare._replace(role=Role.RANK, value=number), suffix.end() if suffix else e
    if not chinese and _COUNT_BIG.match(flat, e):  # 9大产业: nine industries
        return bare._replace(role=Role.AMOUNT, value=number, unit="个"), e + 1
    if chinese and _VAGUE_BEFORE.search(before):  # 数千万元: "several", no figure
        return bare._replace(role=Role.WORD, value=number), e
    if abbreviated:  # “两院三中心”: two hospitals, three centres
        return bare._replace(role=Role.AMOUNT, value=number, unit="个", abbreviation=True), e
    if not chinese:
        left = flat[s - 1] if s else ""
        right = flat[e] if e < len(flat) else ""
        lettered = (left.isascii() and left.isalpha()) or (right.isascii() and right.isalpha())
        if lettered and not (_UNIT.match(flat, e) or _PERCENT.match(flat, e)):
            return bare._replace(role=Role.NAME), e  # SF5, L4, 5G; SUV5.24万辆 is an amount
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
    if _TOP_BEFORE.search(before) and not _UNIT.match(flat, e):  # 位居全国前10: in the top ten
        return bare._replace(role=Role.RANK, value=number), e
    if _SPAN_BEFORE.search(before) and _SPAN_AFTER.match(flat, e):
        return bare._replace(role=Role.SPAN, value=number), e + 2
    level = _LEVEL.match(flat, e) or (_UPWARDS_LEVEL.match(flat, e) if chinese and before.endswith("上") else None)
    if level:  # 千亿级: a size in 亿元 (the money of the report's size classes), 十亿元及以上 likewise
        scale = next((u for u in ("亿元", "万元") if level.group().startswith(u[0])), None)
        return bare._replace(role=Role.LEVEL, value=number, unit=scale, qualifier=Qualifier.AT_LEAST), level.end()
    if m := _POINTS.match(flat, e):
        gap = _GAP_BEFORE.search(core)
        if gap:
            sign = -1.0 if (gap.group("a") or gap.group("b") or "") in ("低", "慢") else 1.0
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
        if flat[s - 1 : s] == "(" and (inside := _BRACKETED.match(flat, m.end())):  # 制造业(22.0%)…增速
            if inside.group("share"):
                return bare._replace(role=Role.SHARE, value=number, qualifier=q), m.end()
            sign = -1.0 if inside.group("growth") == "下降" else 1.0
            return bare._replace(role=Role.GROWTH, value=sign * number, qualifier=q), m.end()
        fig, end = _percent_role(bare, flat, s, core, number, q, previous, previous_end)
        return fig, max(end, m.end())
    if m := _UNIT.match(flat, e):
        if _RANK_OF.match(flat, e):
            return bare._replace(role=Role.RANK_OF, value=number), m.end()
        if m.group("unit") == "次" and flat.startswith("产业", m.end()):  # 三次产业: the three sectors
            return bare._replace(role=Role.WORD, value=number), e
        q = _qualifier(m.group("mid")) if m.group("mid") else pre_q
        end = m.end()
        if post := _POST.match(flat, end):
            q, end = _qualifier(post.group()), post.end()
        unit = _UNIT_KEYS[m.group("unit")]
        if change := _CHANGE_BEFORE.search(core):  # 增长2.9亿元: by how much, not how much
            sign = -1.0 if _DECLINE_BEFORE.search(change.group()) else 1.0
            return bare._replace(role=Role.ABSOLUTE, value=sign * number, unit=unit, qualifier=q), end
        return bare._replace(role=Role.AMOUNT, value=number, unit=unit, qualifier=q), end
    if not chinese and (jobs := _JOBS.match(flat, e)):  # 新增3000多就业岗位: jobs counted with no measure word
        return bare._replace(role=Role.AMOUNT, value=number, unit="个", qualifier=_qualifier(jobs.group("mid"))), e
    if chinese and _NAMED_SIZE.match(flat, e):  # 鱼嘴千亿汽车城: a name, said again and again
        return bare._replace(role=Role.WORD, value=number), e
    if flat[e : e + 1] in ("亿", "万") and flat[e + 1 : e + 2] not in _CLASSIFIER:
        end = e + 1
        post = _POST.match(flat, end)
        q = _qualifier(post.group()) if post else pre_q
        if _POPULATION.search(re.split(r"[，,；;：:]", core)[-1]):  # 人口约352万: people
            if flat[e] == "万":
                return bare._replace(role=Role.AMOUNT, value=number, unit="万人", qualifier=q), end
        elif flat[e] == "亿":  # 约301亿, 2060亿: money (亿元) where no measure word follows
            return bare._replace(role=Role.AMOUNT, value=number, unit="亿元", qualifier=q), post.end() if post else end
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
    growth = _GROWTH_BEFORE.search(core) or _DECLINE_BEFORE.search(core)
    if growth:  # 提高5% grew by five percent; 提高到5% is a rate (below)
        month = _MOM_BEFORE.search(core, 0, growth.start()) or growth.group().startswith(("按月", "按季"))
        role = Role.MOM if month else Role.GROWTH
        sign = -1.0 if _DECLINE_BEFORE.search(core) else 1.0
        return bare._replace(role=role, value=sign * number, qualifier=q), bare.end
    share = _SHARE_BEFORE.search(core)
    if share:
        if q is Qualifier.EXACT and share.group("pre"):  # 约占全市50%
            q = _qualifier(share.group("pre"))
        if _CITY.search(share.group("whole")):
            return bare._replace(role=Role.SHARE, value=number, qualifier=q), bare.end
        return bare._replace(role=Role.AMOUNT, value=number, unit="%", qualifier=q), bare.end
    listed = previous is not None and _LIST_GAP.fullmatch(flat[previous_end:s])
    if listed and previous is not None and previous.role in (Role.GROWTH, Role.MOM, Role.SHARE):
        value = -number if previous.role in (Role.GROWTH, Role.MOM) and previous.value < 0 else number
        return bare._replace(role=previous.role, value=value, qualifier=q), bare.end
    if _CITY_BEFORE.search(core):  # 全市约15%的经济总量, 以不到重庆市1.5%面积
        return bare._replace(role=Role.SHARE, value=number, qualifier=q), bare.end
    return bare._replace(role=Role.AMOUNT, value=number, unit="%", qualifier=q), bare.end


_FRACTION_WORDS = re.compile(
    r"(?P<a>[一二两三四五六七八九十]+|百)分之(?P<b>[一二两三四五六七八九十]+)(?:点(?P<d>[零〇一二两三四五六七八九]+))?"
    r"|(?P<c>[一二两三四五六七八九])成"
)


def fraction_percent(raw: str) -> float | None:
    """A fraction as a percent, to one decimal: 1/3 and 三分之一 are 33.3, 四成 is 40, 过半 and 半数 are 50."""
    if "/" in raw:
        a, _, b = raw.partition("/")
        return round(100 * float(a) / float(b), 1) if float(b) else None
    if raw.endswith("半") or raw == "半数":
        return 50.0
    m = _FRACTION_WORDS.fullmatch(raw)
    if not m:
        return None
    if m.group("c"):
        return 10 * chinese_number(m.group("c"))
    whole = chinese_number(m.group("a"))  # 三分之一: the whole is written first, one third
    part = chinese_number(m.group("b"))
    if m.group("d"):  # 百分之十二点五: 12.5
        part += float("0." + "".join(str(int(chinese_number(ch))) for ch in m.group("d")))
    return round(100 * part / whole, 1) if whole else None


# --- reading a sentence ---------------------------------------------------------------------------


class Reading(NamedTuple):
    """A sentence as the parser reads it: simplified, full-width digits as ASCII, asides (區(qū), 下同) left out.

    Only for reading: quotes are cut from the sentence as the report writes it (`Sentence.raw`).
    """

    text: str
    cuts: tuple[int, ...] = ()
    """Where (in `text`) an aside was left out, in order."""
    removed: tuple[int, ...] = ()
    """How many characters were left out up to and including each cut."""
    english: bool = False
    """Whether the sentence is English (no Chinese character): read by `english`."""

    def flat(self, i: int) -> int:
        """The position in the sentence (white space removed) of position `i` of `text`."""
        k = bisect_right(self.cuts, i)
        return i + (self.removed[k - 1] if k else 0)


def reading(sentence: Sentence) -> Reading:
    """How the parser reads `sentence` (see `Reading`)."""
    if not any(is_cjk(ch) for ch in sentence.text) and any(ch.isascii() and ch.isalpha() for ch in sentence.text):
        return Reading(english.spaced(sentence.raw), english=True)
    text = simplified_characters(sentence.text.translate(_WIDTH))
    if "(" not in text:
        return Reading(text)
    cuts, removed, parts, at, total = [], [], [], 0, 0
    for m in _ASIDE.finditer(text):
        parts.append(text[at : m.start()])
        cuts.append(m.start() - total)
        total += m.end() - m.start()
        removed.append(total)
        at = m.end()
    if not cuts:
        return Reading(text)
    parts.append(text[at:])
    return Reading("".join(parts), tuple(cuts), tuple(removed))


def _local_figures(read: Reading) -> list[Figure]:
    """The figures of a sentence, positioned in `read.text`."""
    if read.english:
        return sorted(english.scan(read.text), key=lambda f: f.start)
    return list(_scan_chinese(read.text))


def _flat_span(read: Reading, start: int, end: int) -> tuple[int, int]:
    """Positions in the reading as positions in the sentence without white space."""
    if read.english:
        return english.flat_span(read.text, start, end)
    return read.flat(start), read.flat(end - 1) + 1


def _placed(figure: Figure, sentence: Sentence, read: Reading) -> Figure:
    """A figure read in `read.text`, positioned in the whole report (white space removed), with its line."""
    start, end = _flat_span(read, figure.start, figure.end)
    return figure._replace(start=sentence.start + start, end=sentence.start + end, line=sentence.line_of(start))


def sentences(text: str) -> Iterator[Sentence]:
    """The sentences of `text` (the one rule, `sentences.split`), each with its figures, in order."""
    for sentence in split(text):
        read = reading(sentence)
        found = tuple(_placed(f, sentence, read) for f in _local_figures(read))
        yield sentence._replace(figures=found)


def figures(text: str) -> list[Figure]:
    """Every number written in `text`, in digits or Chinese numerals, read in its context.

    Chinese numerals count only where they state a figure (千亿元, 第四, 翻倍, 百亿级); those of words
    and names (十四五, 三一重工, 两江, 一个) are not figures. Positions are in `without_spaces(text)`.
    """
    return [f for sentence in sentences(text) for f in sentence.figures]


_NOT_SPACE = re.compile(r"\S")
_SPACES = re.compile(r"\s+")


def quote(sentence: Sentence, start: int, end: int) -> str:
    """The words of `sentence` from `start` to `end` (white space removed) as the report writes them.

    Runs of white space become one space between Latin letters or digits (`316.12 billion yuan`) and
    none beside a Chinese character (a printed line break inside a sentence: `较5年` / `前`).
    """
    raw = sentence.raw
    if len(raw) == len(sentence.text):
        return raw[start:end]
    positions = [m.start() for m in _NOT_SPACE.finditer(raw)]
    piece = raw[positions[start] : positions[end - 1] + 1]
    return _SPACES.sub(lambda m: _join(piece, m), piece)


def _join(piece: str, m: re.Match[str]) -> str:
    left, right = piece[m.start() - 1], piece[m.end()]
    return "" if _wide(left) or _wide(right) else " "


def _wide(ch: str) -> bool:
    return is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—"


# --- statements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """The figures of one fact: an amount and what the report says about it in the same clause."""

    text: str
    """The clause(s) stating it, as the report writes them (white space of the printed page removed)."""
    start: int
    """Where `text` starts in the whole text, white space removed."""
    line: int
    """The line of the original text the figure stands on."""
    sentence: str
    """The whole sentence, white space removed (for the period and for a reader)."""
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
    change: float | None = None
    """Absolute change against a year before, in `unit` (增长2.9亿元)."""
    mom_growth_pct: float | None = None
    """Growth on the period before (环比, month on month)."""
    per: str | None = None
    """What the value is a rate per: day, week, month, year (平均每天3500辆)."""
    status: str = "result"
    """result, target (力争, 目标) or forecast (预计)."""
    period: str = "not-given"
    """A period as the knowledge file writes it, or `not-given`."""
    figures: tuple[Figure, ...] = field(default=())
    """The figures it is made of."""

    @property
    def end(self) -> int:
        return self.start + len(without_spaces(self.text))

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
        elif r is Role.MOM:
            self.fields["mom_growth_pct"] = f.value
        elif r is Role.ABSOLUTE:
            self.fields["change"] = f.value
            self.fields.setdefault("unit", f.unit)
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
        if r is Role.MOM:
            return "mom_growth_pct" not in have
        if r is Role.ABSOLUTE:
            return "change" not in have and have.get("unit") == f.unit
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
        if r is Role.RANK_OF:  # ranked third among 19 new areas
            return "rank" in have and "rank_of" not in have
        return False


_PER = re.compile(
    r"(?:平均)?(?P<w>每天|每日|日均|每周|周均|每月|月均|每年|年均"
    r"|(?<![\d今去明上本当全每前近后半多同一二两三四五六七八九十])年(?=产|销|营收|吞吐|外贸|进出口|接待|发电|总产值))"
    r"[^，,；。]{0,12}$"
)
"""平均每天3500辆, 年均, and 年产30万辆, 年外贸进出口总额近2000亿元: the amount is a rate per day, per year."""
_PER_WORD = {"天": "day", "日": "day", "周": "week", "月": "month", "年": "year"}
_STATUS = re.compile(
    r"(?P<target>力争|力促|争取|目标|计划|确保|按照规划|根据规划|按规划)"
    r"|(?P<forecast>预计|预期|有望|预测|还会|将会|将达|将突破|将破|将超过|将有|(?:投产|达产|建成|运营)后|可实现|可带动)"
)
"""Before a figure in its sentence: 力争, 目标 (a target); 预计, 将达到, 将有, 达产后可实现 (what is expected)
a forecast, as `will reach` is."""
_PLANNED = re.compile(
    r"(?<![重主需只])要(?:重点|全力|加快|着力)?(?:实施|完成|实现|建成|打造|推进|引进|新增)"
    r"|将(?:要)?(?:投入|投资|打造|建设|建成|新建|实施|引进|形成|布局)"
)
"""Before a figure in its clause: 将 + what an actor does (将投入巨资打造, 要重点实施) is a plan, a target, as
`will invest` is; it holds for the clauses after it that go on with a verb (要重点实施100个项目，完成投资4000亿元)
and not past a new subject (将建设…基地，总投资达14.1亿元)."""
_CLAUSE_END = re.compile(r"[，,；;：:。]")
_GOES_ON = re.compile(r"并|再|完成|实现|建成|新增|引进|打造|推进|形成|带动|力争|确保|累计完成")
_WILL_HAPPEN = re.compile(r"将(?:在|于|会)?[^，,。；;]{0,12}?(?:竣工|投产|建成|落地|落户|开工|启用|开业|完工|上线)")
"""…等一批重点项目将在新区竣工投产: what the figure's subject will do, said after it: a forecast."""


def _per(before: str) -> str | None:
    m = _PER.search(before)
    if not m:
        return None
    w = m.group("w")
    return _PER_WORD[w[1] if w[0] == "每" else w[0]]


def _status(text: str, end: int) -> str:
    """result, or target / forecast where 力争, 目标, 预计… stands before `end` in the sentence (将投入, 要实施
    in the clause of the figure)."""
    found = "result"
    for m in _STATUS.finditer(text, 0, end):  # a plan that says what will be (按照规划，…将达到) is a target
        found = "target" if m.group("target") or found == "target" else "forecast"
    if found == "result":
        bounds = [0] + [c.end() for c in _CLAUSE_END.finditer(text, 0, end)]
        k = len(bounds) - 1
        stop = end
        while k >= 0:
            if _PLANNED.search(text, bounds[k], stop):
                return "target"
            if k == 0 or not _GOES_ON.match(text, bounds[k]):
                break
            stop, k = bounds[k], k - 1
    return found


def statements(
    text: str, year: int | None = None, *, release_year: int | None = None, carry: bool = True
) -> Iterator[Statement]:
    """The facts `text` states, in order: one per amount, growth, share, change or rank standing alone.

    A clause whose only figure is a size class states that size: 两大千亿级产业集群 is at least
    1000 亿元 (value 1000, unit 亿元, qualifier at_least). Beside a count (百亿级项目2个) a size class
    only says what is counted, and makes no statement of its own.

    A growth, share, gap or change joins the amount before it in the same clause, or in a clause that
    continues it (，占全市的16.3% / ，同比增长56%). In a 分别… list each figure is its own statement,
    and a trailing 以上 qualifies every figure of the list. `year` fills in the periods
    (上半年 → YEAR-H1), as does the year of the release (`release_year`, for 今年 and 去年); without
    either, a period that needs a year is `not-given`. With `carry`, a period stated in a heading or a
    sentence holds for the figures after it until another is stated.
    """
    reader = Reader(year, release_year, carry=carry)
    for sentence in split(text):
        yield from reader.statements(sentence)


_YEAR_ONLY = re.compile(r"\d{4}")
_YEARS = re.compile(r"(\d{4})/(\d{4})")
_FOUNDING = re.compile(
    r"(?<![比较与同于到至从\d])(?P<y>(?:19|20)\d{2})年[^。；;，,\d]{0,3}[，,]?[^。；;，,\d]{0,12}?(?:正式)?(?:成立|设立|挂牌)"
    r"|成立于(?P<y2>(?:19|20)\d{2})年"
)
"""2010年，重庆两江新区成立; 成立于2010年6月: the year a later 从成立 starts from."""
_FROM_FOUNDING = re.compile(r"[从自]成立(?:之初)?(?:[至到]|以来)")
_YEAR_AFTER = re.compile(r"[^，,。；;(\d]{0,6}\((?P<y>(?:19|20)\d{2})年?\)")
"""常住人口221万人(2015年): the year of the figure, written after it in brackets."""
_GOALS = re.compile(r"(?:\b(?:goals?|targets?|objectives?)\b|目标|任务)[^.。:：]{0,60}[:：]\s*", re.IGNORECASE)
"""…development goals for the period until the end of 2020: what follows in the paragraph is aimed at."""


class Reader:
    """Reads a report's sentences in order, keeping what they said about time so far."""

    def __init__(
        self,
        year: int | None = None,
        release_year: int | None = None,
        fallback: int | None = None,
        *,
        carry: bool = True,
    ) -> None:
        self.periods = Periods(year, release_year, fallback)
        self.carry = carry
        self.unread: list[Figure] = []
        """The digits read so far that the parser could not place."""
        self.goal_line: int | None = None
        """The line of a sentence that announced goals (`…goals: …`): the figures after it on that line are targets."""

    def statements(self, sentence: Sentence) -> list[Statement]:
        """The statements of `sentence`, the next sentence of the report."""
        read = reading(sentence)
        local = _local_figures(read)
        self.unread += (_placed(f, sentence, read) for f in local if f.role is Role.UNREAD)
        if sentence.opens:
            self.periods.carried = self.periods.opening
        marks = self.periods.marks(read.text, english=read.english)
        carried = self.periods.carried if self.carry else None
        found: list[Statement] = []
        goal = self.goal_line == sentence.line
        if any(f.role in STATISTICS or f.role is Role.LEVEL for f in local):
            found = list(_sentence_statements(sentence, read, local, marks, carried, goal, self.periods.founded))
        self.periods.after(marks)
        if sentence.opens:
            self.periods.opening = self.periods.carried
        if _GOALS.search(sentence.text if not read.english else read.text):
            self.goal_line = sentence.line + sentence.text.count("\n")
        elif not goal:
            self.goal_line = None
        return found


def _groups(read: Reading) -> Iterator[tuple[int, int]]:
    """Spans (in the reading) of clauses, a clause joined with the ones that continue it; an English sentence is one."""
    if read.english:
        yield 0, len(read.text)
        return
    start = end = None
    for m in _CLAUSE.finditer(read.text):
        body_end = m.start() + len(m.group().rstrip("，,：:…。！？；!?;"))
        if start is not None and end is not None and _CONTINUES.match(read.text, m.start()):
            end = body_end
            continue
        if start is not None and end is not None:
            yield start, end
        start, end = m.start(), body_end
    if start is not None and end is not None:
        yield start, end


def _sentence_statements(
    sentence: Sentence,
    read: Reading,
    local: list[Figure],
    marks: list[tuple[int, str, bool]],
    carried: str | None,
    goal: bool = False,
    founded: int | None = None,
) -> Iterator[Statement]:
    figs = [f for f in local if f.role in STATISTICS or f.role is Role.SPAN]

    def made(g_start: int, g_end: int, figures: tuple[Figure, ...], end: str = "", **fields: object) -> Statement:
        first = figures[0]
        a, b = _flat_span(read, g_start, g_end)
        placed = tuple(_placed(f, sentence, read) for f in figures)
        amount = first.role is Role.AMOUNT
        period = _period_at(
            marks, first.start, carried, english=read.english, amounts=amount and read.english, text=read.text
        )
        if not read.english and (year := _YEAR_AFTER.match(read.text, first.end)):  # 常住人口221万人(2015年)
            period = year.group("y")
        span = _YEARS.fullmatch(period)
        if end == "from":  # 从1626亿元增长到4570亿元: the level before the span, else of a year not named
            since = founded is not None and _FROM_FOUNDING.search(read.text) is not None  # 从成立至2019年
            period = str(int(span.group(1)) - 1) if span else str(founded) if since else "not-given"
        elif span and (end == "to" or first.role is Role.GROWTH):  # the level, or the growth, at the span's end
            period = span.group(2)
            if first.role is Role.GROWTH and fields.get("growth_span_years") is None:
                fields["growth_span_years"] = int(span.group(2)) - int(span.group(1)) + 1
        if read.english:
            per, status = english.per(read.text, first), english.status(read.text, first.start)
            if per == "year" and _YEAR_ONLY.fullmatch(period):  # annual investment of 2012: the year's total
                per = None
        else:
            per, status = _per(read.text[max(0, first.start - 16) : first.start]), _status(read.text, first.start)
            if status == "result" and _WILL_HAPPEN.search(read.text, first.end, g_end):
                status = "forecast"
            if per == "year" and _YEAR_ONLY.fullmatch(period):  # 2012年，年产汽车200万辆: the year's total
                per = None
        if status == "result" and goal:
            status = "target"
        return Statement(
            text=quote(sentence, a, b),
            start=sentence.start + a,
            line=placed[0].line,
            sentence=sentence.text,
            period=period,
            figures=placed,
            per=per if first.role is Role.AMOUNT else None,
            status=status,
            **fields,  # type: ignore[arg-type]
        )

    for g_start, g_end in _groups(read):
        group = [f for f in figs if g_start <= f.start < g_end]
        if not any(f.role in STATISTICS for f in group):
            levels = tuple(f for f in local if f.role is Role.LEVEL and g_start <= f.start < g_end)
            if levels:  # 另一千亿级支柱产业: a size (at least 1000 亿元) and nothing else
                size = levels[0]
                yield made(
                    g_start,
                    g_end,
                    levels,
                    value=size.value if size.unit else None,
                    unit=size.unit,
                    qualifier=size.qualifier if size.unit else Qualifier.EXACT,
                )
            continue
        split_at = None if read.english else _SPLIT_LIST.search(read.text, g_start, g_end)
        built: list[_Open] = []
        span: int | None = None
        listed: list[_Open] = []
        current: _Open | None = None
        for f in group:
            if f.role is Role.SPAN:
                span = int(f.value)
                continue
            in_list = split_at is not None and f.start > split_at.start()
            if read.english and f.role is Role.AMOUNT and english.equivalent(read.text, f):
                built.append(_Open(f))  # ($47.42 billion): its own figure, the one before goes on
                continue
            if read.english and f.role is Role.GROWTH and english.shared(read.text, f):
                for item in reversed(built):  # 37.87 billion and 26.48 billion yuan, both increasing fourfold
                    if "growth_pct" in item.fields or "value" not in item.fields:
                        break
                    if item is not current:
                        item.add(f)
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
        ends = _from_to(read, built)
        for b in built:
            yield made(g_start, g_end, tuple(b.figures), ends.get(id(b), ""), **b.fields)


_FROM_TO_GAP = re.compile(
    r"(?:亿元|万元|亿美元|万美元|万辆|万人|个|家)?(?:增长|提高|增加|扩大|上升|跃升|攀升|发展)(?:到|至)"
    r"|(?: ?(?:billion|million|trillion)?(?: yuan| US dollars| dollars)?)? to (?:US\$|\$|RMB ?)?",
    re.IGNORECASE,
)
_FROM_BEFORE = re.compile(r"(?:\bfrom (?:about |around |nearly )?(?:US\$|\$|RMB ?)?|从)$", re.IGNORECASE)


def _from_to(read: Reading, built: list[_Open]) -> dict[int, str]:
    """The two levels of a change from one to another (从1626亿元增长到4570亿元, from $3.37 billion to $51 billion):
    `from` for the first, `to` for the second, by the id of each."""
    out: dict[int, str] = {}
    for x, y in pairwise(built):
        fx, fy = x.figures[0], y.figures[0]
        if fx.role is not Role.AMOUNT or fy.role is not Role.AMOUNT or fx.unit != fy.unit:
            continue
        gap = read.text[fx.end : fy.start]
        before = read.text[max(0, fx.start - 8) : fx.start]
        chinese = _FROM_TO_GAP.fullmatch(gap) and not read.english
        if chinese or (read.english and _FROM_TO_GAP.fullmatch(gap) and _FROM_BEFORE.search(before)):
            out[id(x)], out[id(y)] = "from", "to"
    return out


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


class Mark(NamedTuple):
    """A period a sentence names, before the year is known: 上半年, 前三季度, the first half of 2021."""

    at: int
    """Where it is named, in the sentence as read."""
    kind: str
    """span (months first–last), quarter, h1, h2, year, month, date (a stock's day), per-year, years (first–last:
    a plan's five years), by (the year a plan is for), future (未来: no period)."""
    year: int | None = None
    """The year written with it (2021年上半年), if any."""
    relative: int = 0
    """1 for 今年 / this year, −1 for 去年 / last year: the release's year, or the one before."""
    first: int = 0
    """The first month (span, month, date) or the quarter."""
    last: int = 0
    """The last month of a span; the day of a date (0: the month's last)."""


_EVENT = (
    r"(?:\d{1,2}日)?(?:正式)?(?:开工|动工|开建|投产|成立|挂牌|获批|启动|上线|开通|签约|开业|开幕|竣工|落户|批复|设立)"
)
"""2010年2月开工: the date of an event, not the period of the figures after it."""
_NUMERAL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PERIOD_MARK = re.compile(
    r"(?<![比较与同于到至从续])(?<!\d年)(?:"
    r"(?:(?P<y>\d{4})年|(?P<rel>今年|本年|去年|上年)(?!同期))?(?:"
    r"(?P<h1>上半年|(?<![仅近多一上下])半年)|(?P<h2>下半年)"
    r"|前(?P<nq>[三3两2二])个?季度|(?P<q1>[一1])(?:季度)?[至到—–\-]{1,2}(?P<q2>[二两三四2-4])季度"
    r"|(?:第)?(?P<q>[一二三四1-4])季度"
    r"|(?P<m1>\d{1,2})月?份?[—–\-~至到]{1,2}(?P<m2>\d{1,2})月份?"
    r"|前(?P<first>\d{1,2}|十[一二]?|[一二三四五六七八九])个?月"
    r"|(?P<full>全年)"
    r"|(?P<mon>\d{1,2})月份?(?![\d日号底末初中上下旬]|[—–\-~至到、]|" + _EVENT + r")"
    r"))"
    r"|(?P<lasty>去年)(?!同期|以来|[同上下前一二三四1-4全底末年]|\d)"
    r"|截至(?:今年|本年|(?P<y2>\d{4})年)?(?P<smon>\d{1,2})月(?:(?P<day>\d{1,2})日|底|末)?"
    r"|(?P<yearly>每年|年均)"
    r"|(?<![比较与同于到从])(?P<yend>(?:19|20)\d{2})年(?:底|末)"
    r"|(?<=至)(?P<until>(?:19|20)\d{2})年(?!\d{1,2}(?:月|日|号)|[月底末前以后起内间度初中])"
    r"|(?<![比较与同于到至从(])(?P<bare>(?:19|20)\d{2})年(?!\d{1,2}(?:月|日|号)|[月底末前以后起内间度初中])"
    r"|(?:(?<=^)|(?<=[，,。；;：:“\"]))(?:预计|力争|计划|争取|目标是)?(?:到|在)(?P<by>(?:19|20)\d{2})年(?:以?前|底|末)?"
    r"|(?<![比较与同于到至从\d])(?P<before>(?:19|20)\d{2})年以?前"
    r"|[“\"]?十(?P<plan>[一二三四五])五[”\"]?(?P<planpart>期间|时期|末|期末)"
    r"|(?P<future>未来|今后|将来|用\d{1,2}年(?:时间)?)"
)
_YEAR_BEFORE = re.compile(r"\d{4}年[^，,。；]{0,6}$")
"""2014年至2016年: a span of years, no one period."""
_MONTH_END = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_HALVES_AND_QUARTERS = {(1, 6): "H1", (7, 12): "H2", (1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4"}
_STOCKS = frozenset({"date", "per-year", "month", "future", "by"})
"""Marks that do not carry to the sentences after them: a stock's day, a yearly rate, a single month
(`4月，…获批`: the date of an event more often than the period of the figures after it), what will be
(未来), and the year a plan is for (到2020年)."""


_TITLE = re.compile(r"《[^》]*》")
"""A document's name: the years in it (《2021年重点任务》) are no period of the figures."""


def chinese_marks(text: str) -> Iterator[Mark]:
    """The periods a Chinese sentence (as read) names, in order; none inside a document's name (《…》)."""
    titles = [(t.start(), t.end()) for t in _TITLE.finditer(text)] if "《" in text else []
    for m in _PERIOD_MARK.finditer(text):
        if titles and any(a <= m.start() < b for a, b in titles):
            continue
        if m.group("yearly"):
            yield Mark(m.start(), "per-year")
            continue
        if m.group("future"):  # 未来, 用10年时间: what will be, no period of its own
            yield Mark(m.start(), "future")
            continue
        if m.group("plan"):  # “十二五”期间: the five years of a plan, 2011/2015; “十二五”末: its last year
            first = 2006 + 5 * (_NUMERAL[m.group("plan")] - 1)
            if m.group("planpart") in ("期间", "时期"):
                yield Mark(m.start(), "years", first=first, last=first + 4)
            else:
                yield Mark(m.start(), "year", first + 4)
            continue
        if m.group("by") or m.group("before"):  # 到2020年, 在2020年前: the year a plan is for
            yield Mark(m.start(), "by", int(m.group("by") or m.group("before")))
            continue
        if m.group("lasty"):  # 去年: the year before the release
            yield Mark(m.start(), "year", None, -1)
            continue
        if m.group("bare"):
            yield Mark(m.start(), "year", int(m.group("bare")))
            continue
        if m.group("yend"):  # 2019年底, 截至2019年末: a stock's day
            yield Mark(m.start(), "date", int(m.group("yend")), 0, 12, 31)
            continue
        if m.group("until"):  # 从成立至2019年: the figures of 2019, unless a span of years (2014年至2016年)
            if not _YEAR_BEFORE.search(text, max(0, m.start() - 12), m.start() - 1):
                yield Mark(m.start(), "year", int(m.group("until")))
            continue
        rel_word = m.group("rel") or ""
        relative = -1 if rel_word in ("去年", "上年") else 1 if rel_word else 0
        written = m.group("y") or m.group("y2")
        year = int(written) if written else None
        at = m.start()
        if m.group("smon"):
            day = int(m.group("day")) if m.group("day") else 0
            yield Mark(at, "date", year, relative, int(m.group("smon")), day)
        elif m.group("h1"):
            yield Mark(at, "h1", year, relative)
        elif m.group("h2"):
            yield Mark(at, "h2", year, relative)
        elif m.group("nq"):
            yield Mark(at, "span", year, relative, 1, 3 * _small(m.group("nq")))
        elif m.group("q2"):
            yield Mark(at, "span", year, relative, 1, 3 * _small(m.group("q2")))
        elif m.group("q"):
            yield Mark(at, "quarter", year, relative, _small(m.group("q")))
        elif m.group("m1"):
            yield Mark(at, "span", year, relative, int(m.group("m1")), int(m.group("m2")))
        elif m.group("first"):
            yield Mark(at, "span", year, relative, 1, _small(m.group("first")))
        elif m.group("full"):
            yield Mark(at, "year", year, relative)
        elif m.group("mon"):
            yield Mark(at, "month", year, relative, int(m.group("mon")))


def _small(word: str) -> int:
    """A small number in digits or Chinese numerals (三, 3, 十二)."""
    if word.isdigit():
        return int(word)
    if word.startswith("十"):
        return 10 + (_NUMERAL[word[1]] if len(word) > 1 else 0)
    return _NUMERAL[word]


class Periods:
    """What a report has said about time so far, and the periods its marks stand for."""

    def __init__(self, year: int | None = None, release_year: int | None = None, fallback: int | None = None) -> None:
        self.given = year
        """The year given (--year): the year of marks that write none."""
        self.release = release_year
        """The year the report was released (--published, a dateline): for 今年, 去年."""
        self.fallback = fallback
        """The year to take where nothing else says one (the year the report writes most often)."""
        self.written: int | None = None
        """The last year written with a period (2020年, 2021年上半年): it holds for the marks after it."""
        self.carried: str | None = None
        """The last period stated, which holds for the figures after it until another is stated."""
        self.opening: str | None = None
        """The period carried by the sentences that open paragraphs: one stated inside a paragraph (…. From
        January to July, profits…) holds to the paragraph's end, and the next paragraph goes back to this."""
        self.missing = 0
        """How many marks needed a year that nothing gave."""
        self.founded: int | None = None
        """The year the text says the area was founded (2010年，两江新区成立): where 从成立 starts."""

    def year_of(self, mark: Mark) -> int | None:
        """The year of a mark: its own; for 今年, 去年 the release's; else given, last written, release, fallback."""
        if mark.year is not None:
            return mark.year
        if mark.relative < 0:  # 去年, last year: the year before the release's
            base = self.release or self.given
            return base - 1 if base is not None else self.fallback  # no release known: the report's own year
        if mark.relative:  # 今年, this year: the release's, else the year the report is about
            for year in (self.release, self.given, self.written, self.fallback):
                if year is not None:
                    return year
            return None
        for year in (self.given, self.written, self.release, self.fallback):
            if year is not None:
                return year
        return None

    def period(self, mark: Mark) -> str:
        """The period a mark stands for in the knowledge file's notation, or not-given."""
        if mark.kind == "per-year":
            return "per-year"
        if mark.kind == "future":
            return "not-given"
        if mark.kind == "years":  # 2011/2015
            return f"{mark.first}/{mark.last}"
        year = self.year_of(mark)
        if year is None:
            self.missing += 1
            return "not-given"
        kind, a, b = mark.kind, mark.first, mark.last
        if kind in ("h1", "h2"):
            return f"{year}-{kind.upper()}"
        if kind == "quarter":
            return f"{year}-Q{a}" if 1 <= a <= 4 else "not-given"
        if kind in ("year", "by"):
            return f"{year}"
        if kind == "month" or (kind == "span" and a == b):
            return f"{year}-{a:02d}" if 1 <= a <= 12 else "not-given"
        if kind == "span":
            if a == 1 and b == 12:
                return f"{year}"
            if (a, b) in _HALVES_AND_QUARTERS:  # 1—6月, the first six months: the first half
                return f"{year}-{_HALVES_AND_QUARTERS[a, b]}"
            return f"{year}-{a:02d}/{year}-{b:02d}" if 1 <= a < b <= 12 else "not-given"
        if not 1 <= a <= 12:  # a date: 截至6月底
            return "not-given"
        end = _MONTH_END[a - 1] + (1 if a == 2 and year % 4 == 0 and (year % 100 or year % 400 == 0) else 0)
        day = b or end
        return f"{year}-{a:02d}-{day:02d}" if 1 <= day <= end else "not-given"

    def marks(self, text: str, *, english: bool = False) -> list[tuple[int, str, bool]]:
        """The periods a sentence names: where, which, and whether each carries to the sentences after it."""
        if not english and (founding := _FOUNDING.search(text)):
            self.founded = int(founding.group("y") or founding.group("y2"))
        found = english_marks(text) if english else chinese_marks(text)
        out = []
        for mark in found:
            out.append((mark.at, self.period(mark), mark.kind not in _STOCKS))
            if mark.year is not None and mark.kind not in _STOCKS and mark.kind != "years":
                self.written = mark.year
        return out

    def after(self, marks: list[tuple[int, str, bool]]) -> None:
        """A sentence has been read: the last period it stated holds for what follows."""
        for _, period, carries in marks:
            if carries:
                self.carried = period


def english_marks(text: str) -> Iterator[Mark]:
    """The periods an English sentence names (see `english.marks`)."""
    for at, kind, year, relative, first, last in english.marks(text):
        yield Mark(at, kind, year, relative, first, last)


def _period_at(
    marks: list[tuple[int, str, bool]],
    position: int,
    carried: str | None,
    *,
    english: bool,
    amounts: bool = False,
    text: str = "",
) -> str:
    """The period named last before `position` in the sentence, else (English) the one named after it,
    else the period carried from the sentences before, else `not-given`. A yearly rate is the period of its
    own clause's figure only (年均增长11%，引进项目500个), and an annual growth no period of an amount
    (`amounts`, in English): …at a compound annual growth rate of 72.5%, from $3.37 billion."""
    chosen = None
    for at, period, _ in marks:
        if period == "per-year" and at <= position and (amounts or _CLAUSE_END.search(text, at, position)):
            continue
        if at > position:
            if chosen is None and english:
                chosen = period
            break
        chosen = period
    return chosen or carried or "not-given"


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


_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DATELINE = re.compile(
    r"(?P<iso>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"
    r"|(?P<zy>(?:19|20)\d{2})年(?P<zm>\d{1,2})月(?P<zd>\d{1,2})日(?=\s|$|来源|來源|星期|\|)"
    r"|\b(?P<en>" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?,?\s+(?P<ed>\d{1,2}),?\s+(?P<ey>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)


_EVENT_BEFORE = re.compile(
    r"\b(?:established|founded|set up|launched|approved|opened|inaugurated|since)(?: on| in)?\s*$", re.IGNORECASE
)
_EVENT_AFTER = re.compile(r"[，,]?[^，,。；;\n]{0,30}?(?:以来|成立|设立|挂牌|启动|获批|批准|批复|开工|开通|签约)")
"""Established on June 18, 2010; 2015年11月7日…启动以来; 2010年5月5日，国务院正式批准设立: the date of an event the
text tells of, not the release's."""


def dateline(text: str, within: int = 800) -> str | None:
    """The release date printed near the top (2021-01-29 17:59, 2014年4月27日, March 5, 2013), as YYYY-MM-DD;
    not the date of an event the text tells of (established on June 18, 2010; 2015年11月7日…启动以来)."""
    head = text[:within]
    for m in _DATELINE.finditer(head):
        after = simplified_characters(head[m.end() : m.end() + 40])
        if _EVENT_BEFORE.search(head, max(0, m.start() - 40), m.start()) or _EVENT_AFTER.match(after):
            continue
        break
    else:
        return None
    if m.group("iso"):
        y, mo, d = int(m.group("iso")), int(m.group("m")), int(m.group("d"))
    elif m.group("zy"):
        y, mo, d = int(m.group("zy")), int(m.group("zm")), int(m.group("zd"))
    else:
        y, mo, d = int(m.group("ey")), _MONTHS.index(_month_named(m.group("en"))) + 1, int(m.group("ed"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y}-{mo:02d}-{d:02d}"


def _month_named(word: str) -> str:
    return next(x for x in _MONTHS if x.startswith(word.lower()))


__all__ = [
    "STATISTICS",
    "Figure",
    "Mark",
    "Periods",
    "Reader",
    "Reading",
    "Role",
    "Sentence",
    "Statement",
    "chinese_number",
    "dateline",
    "figures",
    "matches",
    "quote",
    "reading",
    "sentences",
    "statements",
    "years_written",
]

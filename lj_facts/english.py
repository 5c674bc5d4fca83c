"""The reader of English statistical phrasing: the English releases' figures, as `figures` reads Chinese.

`scan(text)` reads one English sentence (white space collapsed to single spaces, `spaced`) into the
same `Figure` records the Chinese reader gives: an amount with its unit (316.12 billion yuan,
$47.42 billion, 7,000 vehicles, 1.1 million units), a growth (a year-on-year increase of 29.4
percent, up 43.1 percent, 1.7 times, fourfold), growth on the month before (on a month-on-month
basis), a share of the city (accounting for 55.3 percent of the city's total), a gap to the city
(10 percentage points ahead of the municipal average), a change in points, an absolute change, a
rank; dates, years and names (COVID-19, Fortune 500) are no statistic. A US-dollar figure written
beside yuan (`316.12 billion yuan ($47.42 billion)`) is its own figure, in US dollars: never
converted. `marks(text)` gives the periods it names (the first half of 2021, the first three
quarters, January to September, in June).

Positions are in the spaced sentence; `flat_span` turns them into positions without white space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Qualifier, shift
from .roles import Figure, Role

_NUMBER = re.compile(
    r"(?:(?P<cur>US\$|\$|RMB ?|¥|CNY ?)|(?<![\w.,]))(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]*\d)"
    r"(?P<scale> ?(?:trillion|billion|million|thousand|bln|bn|b|mln|m)\b)?",
    re.IGNORECASE,
)
_WORD_TIMES = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "sixfold": 6, "tenfold": 10}
_TIMES_WORDS = re.compile(r"\b(?P<w>" + "|".join(_WORD_TIMES) + r")\b", re.IGNORECASE)
_SCALES = {"trillion": 12, "billion": 9, "bln": 9, "bn": 9, "b": 9, "million": 6, "mln": 6, "m": 6, "thousand": 3}
_MULTIPLIED = {"doubled": 100, "doubling": 100, "tripled": 200, "tripling": 200, "trebled": 200, "quadrupled": 300}
"""Doubled is +100 % (as 翻倍), tripled +200 %."""
_MULTIPLIED_WORDS = re.compile(r"\b(?P<w>" + "|".join(_MULTIPLIED) + r")\b", re.IGNORECASE)
_DOUBLE = re.compile(r"\bdouble(?= (?:that|those|the (?:level|figure|amount)) of\b)", re.IGNORECASE)
"""186 billion yuan, more than double that of five years earlier: +100 %, as doubled."""
_POINTS = re.compile(r" ?(?:percentage|percent|per cent) points?\b", re.IGNORECASE)
_PERCENT = re.compile(r" ?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_TIMES = re.compile(r" ?(?:times\b|-fold\b|fold\b)", re.IGNORECASE)
_MORE_THAN = re.compile(r" (?:more|higher|greater|larger|bigger) than\b", re.IGNORECASE)
"""2.6 times more than the same period of last year: an increase of 2.6 times (260 %), as 增长2.6倍."""
_YUAN = re.compile(r" ?(?:yuan|RMB|CNY)\b", re.IGNORECASE)
_DOLLARS = re.compile(r" ?(?:US dollars|U\.S\. dollars|dollars|USD)", re.IGNORECASE)
_NOUNS = {
    "vehicles": "vehicles",
    "vehicle": "vehicles",
    "cars": "vehicles",
    "autos": "vehicles",
    "automobiles": "vehicles",
    "suvs": "vehicles",
    "trucks": "vehicles",
    "units": "units",
    "sets": "units",
    "laptops": "units",
    "computers": "units",
    "phones": "units",
    "companies": "家",
    "enterprises": "家",
    "firms": "家",
    "institutions": "家",
    "organizations": "家",
    "organisations": "家",
    "projects": "个",
    "parks": "个",
    "teu": "标箱",
    "teus": "标箱",
    "containers": "个",
    "tons": "吨",
    "tonnes": "吨",
    "people": "人",
    "persons": "人",
    "workers": "人",
    "jobs": "人",
    "residents": "人",
    "talents": "人",
    "schools": "所",
    "square meters": "平方米",
    "square metres": "平方米",
    "square kilometers": "平方公里",
    "square kilometres": "平方公里",
    "sq km": "平方公里",
    "km2": "平方公里",
    "kilometers": "公里",
    "kilometres": "公里",
    "km": "公里",
    "gwh": "GWh",
    "contracts": "个",
    "programs": "个",
    "programmes": "个",
    "agreements": "个",
    "days": "天",
    "countries": "个",
    "regions": "个",
    "cities": "个",
    "trips": "班次",
    "trains": "班次",
    "events": "场",
    "items": "项",
    "patents": "项",
}
"""English count nouns and the unit (a key of `model.UNITS`) a count of them is in."""
_NOUN = re.compile(
    r" (?:(?:[a-z][a-z-]*|R&D|(?-i:[A-Z]{2,5}) ?\d{3}|Fortune \d{3}|Top \d{3}) ){0,3}?(?P<noun>"
    + "|".join(sorted(map(re.escape, _NOUNS), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_MONTH_NAMES = [
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
_MONTH = r"(?:" + "|".join(_MONTH_NAMES) + r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_DATE_BEFORE = re.compile(r"\b" + _MONTH + r" $", re.IGNORECASE)
_DATE_AFTER = re.compile(
    r" ?(?:st|nd|rd|th)?,? (?:19|20)\d{2}\b|(?:st|nd|rd|th)\b(?! (?:place|largest))", re.IGNORECASE
)
_DURATION = re.compile(r" ?(?:years?|months?|weeks?|hours?|minutes?|decades?|consecutive)\b", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"(?:[A-Za-z]-?|Fortune |Global |top |Top |\b[A-Z]{2,5} )$")
_RANGE_BEFORE = re.compile(r"(?P<unit>[A-Za-z]+)-$")
"""6 GWh-7 GWh: the second end of a range, not a name such as COVID-19."""
_FROM_TO = re.compile(r"\b(?:from|to)\s$|\bfrom \d[\d,.]* to\s$", re.IGNORECASE)
_OF_WHICH = re.compile(r"^ (?:of which|of them)\b", re.IGNORECASE)
_TOTALLED = re.compile(
    r"\b(?:has |have |had )?(?:reached|totaled|totalled|numbered|stood at|amounted to|hit)\s$", re.IGNORECASE
)
"""Contracted projects has reached 1,395: a count of the noun named before the verb."""
_QUALIFIER_BEFORE = re.compile(
    r"(?P<about>about|around|approximately|roughly|some)\s$|(?P<nearly>nearly|almost|close to)\s$"
    r"|(?P<over>over|more than|exceeding|exceeded|exceed|exceeds|above|topped|surpassed|in excess of)\s$"
    r"|(?P<least>at least)\s$",
    re.IGNORECASE,
)
_GROWTH_BEFORE = re.compile(
    r"(?:increase|increased|increasing|increases|rise|rose|rising|risen|rises|grew|grow|grows|growth|growing"
    r"|(?<!takes )(?<!took )(?<!taking )(?<!take )up|surged"
    r"|surge|surging|jumped|jump|climbed|expanded|expansion|gain|gained|soared|higher)"
    r"(?: rate| speed| pace)?(?: of| by| at)?"
    r"(?: about| around| nearly| over| more than| some| approximately| almost)? $",
    re.IGNORECASE,
)
_RATE_SUBJECT = re.compile(
    r"\b(?:growth(?: rate)?|increase|rise|expansion)\b[^,;]{0,50}?"
    r"\b(?:was|were|is|stood at|hit|reached|hovered at|registered|up to|at"
    r"|(?:both |all |each )?(?:exceeding|exceeded|exceeds|topping|topped|surpassing|surpassed|above|over))\s$",
    re.IGNORECASE,
)
"""The growth rate of the area's GDP hit 20.4%, the year-on-year increase of GDP was 13.6%: a growth by its subject."""
_PARALLEL = re.compile(
    r"^[^,;]{0,40}?\b(?:while|whereas|but|and)\b[^,;]{0,30}?"
    r"\b(?:(?:was|were|is|are|stood|hovered|came in)(?: at)?|hit|reached)\s$",
    re.IGNORECASE,
)
"""…stood at 30% in the 4th year while Binhai's hovered at 20%: the same kind of figure as the one before."""
_DECLINE_BEFORE = re.compile(
    r"(?:decrease|decreased|decreasing|decline|declined|declining|fell|fall|falling|drop|dropped|down|lower"
    r"|shrank|contracted|slid|dip|dipped)(?: of| by)?(?: about| around| nearly| over| more than| some)? $",
    re.IGNORECASE,
)
_GROWTH_AFTER = re.compile(
    r"^(?: ?(?:,|and) ?[\d.]+ ?(?:%|percent))* (?:year-on-year|year on year|yoy|increase|growth|rise|higher|up|gain)\b",
    re.IGNORECASE,
)
_MOM = re.compile(r"month-on-month|month on month|previous month|preceding month|quarter-on-quarter", re.IGNORECASE)
_SHARE_BEFORE = re.compile(
    r"(?:accounting for|accounted for|accounts for|account for|making up|made up|makes up|constituting|constitutes"
    r"|constituted|contributing|contributed|contributes|representing|represented|took up|takes up|taking up|share of"
    r"|home to|occupying|occupies|covering|covers|gathered|gathering|gathers)"
    r"(?: about| around| nearly| over| more than| almost| roughly)? $",
    re.IGNORECASE,
)
_OF_WHOLE = re.compile(r"^ ?(?:%|percent|per cent) (?:of|in|within) (?P<whole>[^,;.()\d]{0,60})", re.IGNORECASE)
_CITY = re.compile(
    r"\b(?:city|city's|municipal|municipality|municipality's|chongqing|chongqing's|megacity)\b", re.IGNORECASE
)
_ITS = re.compile(r"^(?:its|their)\b", re.IGNORECASE)
"""…takes up 1.5% of Chongqing's land and contributes about 15% of its GDP: `its` is the city named before."""
_THE_TOTAL = re.compile(r"^the total\b", re.IGNORECASE)
"""…contributed about 15% of the city's output, and gathered 30% of the total amount of foreign investment: once a
share of the city is read, `the total` is the city's."""
_CITY_PART = re.compile(r"\b(?:(?:central|main|core) )?urban area\b|\bdowntown\b|\bdistricts?\b", re.IGNORECASE)
"""A part of the city (the central urban area in Chongqing), as 主城都市区 or 市区 is: a share of it is no
city share."""
_SHARE_LIST_GAP = re.compile(
    r"^(?: ?(?:%|percent|per cent))?(?: of [^,;()]{0,120})?(?:,(?: and| as well as)?| and| as well as) $", re.IGNORECASE
)
"""15% of its GDP, 20% of its output, and 70% cross-border volume: the list goes on after each share's whole."""
_FRACTION_WORDS = {"half": 50.0, "a third": 33.3, "one third": 33.3, "one-third": 33.3, "a quarter": 25.0}
_FRACTION_WORDS.update({"one quarter": 25.0, "two thirds": 66.7, "two-thirds": 66.7})
_FRACTION = re.compile(
    r"(?<!first )(?<!second )(?<!latter )(?<!former )\b(?P<w>"
    + "|".join(sorted(_FRACTION_WORDS, key=len, reverse=True))
    + r") of (?!(?:the |this |last |next )?(?:year|month|century|decade)\b)(?P<whole>[^,;.()]{1,60})",
    re.IGNORECASE,
)
"""Almost half of the city's total, half of the companies that operate in Chongqing: a share written in words."""
_GAP_AFTER = re.compile(
    r"^ ?(?:percentage|percent|per cent) points? (?P<dir>higher than|more than|above|ahead of|faster than|over"
    r"|lower than|below|behind|slower than|less than)(?P<whole>[^,;.]{0,50})",
    re.IGNORECASE,
)
_LOWER = ("lower than", "below", "behind", "slower than", "less than")
_DOWN_POINTS_BEFORE = re.compile(
    r"(?:down|decrease|decreased|fell|dropped|lower|narrowed|declined)(?: by)? $", re.IGNORECASE
)
_RANK_BEFORE = re.compile(r"(?:rank(?:ed|ing|s)?|placed?|position) (?:no\. ?|number |the )?$", re.IGNORECASE)
_RANK_OF_BEFORE = re.compile(r"among (?:the )?$", re.IGNORECASE)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_RANK_WORDS = re.compile(
    r"\b(?:rank(?:ed|ing|s)?|placed?) (?:the )?(?P<w>" + "|".join(_ORDINALS) + r")\b"
    r"|\b(?P<s>" + "|".join(_ORDINALS) + r")-(?:fastest|largest|biggest|highest|strongest|best)\b"
    r"|\b(?:the|its) (?P<t>" + "|".join(_ORDINALS) + r")\b"
    r"(?! (?:half|quarter|three|two|four|five|six|seven|eight|nine|ten|months?|time|batch|phase|step|stage|plan)\b)"
    r"(?=(?: [\w-]+){0,7}? (?:in (?:China|the country|the world|inland China|the nation)|nationwide|of its kind"
    r"|national[ -]level|state[ -]level)\b|(?: [\w-]+){0,2}? (?:national|state-level) (?:new area|new district)s?\b)"
    r"|\b(?:the )?(?:nation|country|China|world)['’]s (?P<n>" + "|".join(_ORDINALS) + r")\b"
    r"(?! (?:half|quarter|batch|phase|step|stage|plan|time)\b)",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(r"^ ?(?:,|and|, and|to|&)(?: (?-i:[A-Z][\w&.'-]*)){0,3} ?$")
"""4.4 times and 89.3 percent; the trade with EU increased 21%, ASEAN 17%: one list."""
_TIMES_GROWTH = re.compile(
    r"(?:increas\w*|grow\w*|grew|rose|ris\w*|up|expand\w*|jump\w*|surg\w*|climb\w*|soar\w*)(?: by)? $", re.IGNORECASE
)
_CHANGE_UP = re.compile(r"(?:increase|increased|rose|grew|up|added|gain|more)(?: of| by)? $", re.IGNORECASE)
_CHANGE_DOWN = re.compile(r"(?:decrease|decreased|fell|dropped|down|less)(?: of| by)? $", re.IGNORECASE)
_PEOPLE_BEFORE = re.compile(
    r"\b(?:population|residents|inhabitants)\b[^,;]{0,20}? (?:of|was|is|reaches|reached|stood at|totaled|totalled)"
    r"(?: about| around| nearly| over| more than| some)?\s$",
    re.IGNORECASE,
)
"""A count of people written without the noun: a permanent resident population of 3.33 million."""
_VEHICLES_BEFORE = re.compile(
    r"\b(?:auto|vehicle|car|automobile)s?\b(?: \w+)? (?:production|output|sales|produced|sold)"
    r" (?:was|were|reached|of|hit|totaled|totalled)\s$",
    re.IGNORECASE,
)
"""A count of vehicles written without the noun: Total auto production was 1.1 million."""
_OR_MORE = re.compile(r"^ ?(?:or more|and above|or above)\b", re.IGNORECASE)
_EQUIVALENT = re.compile(r"\((?:about |around |approximately |roughly )?(?:US\$|\$|RMB ?)?$")


def spaced(raw: str) -> str:
    """An English sentence with each run of white space as one space: what `scan` reads."""
    return " ".join(raw.split())


def flat_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Positions `start`, `end` of the spaced sentence as positions of the sentence without white space."""
    a = start - text.count(" ", 0, start)
    b = end - text.count(" ", 0, end)
    return a, max(b, a + 1)


def _qualifier(before: str, after: str) -> Qualifier:
    if _OR_MORE.match(after):
        return Qualifier.AT_LEAST
    m = _QUALIFIER_BEFORE.search(before)
    if not m:
        return Qualifier.EXACT
    if m.group("about"):
        return Qualifier.ABOUT
    if m.group("nearly"):
        return Qualifier.NEARLY
    if m.group("over"):
        return Qualifier.OVER
    return Qualifier.AT_LEAST


def _strip_qualifier(before: str) -> str:
    m = _QUALIFIER_BEFORE.search(before)
    return before[: m.start()] if m else before


def scan(text: str) -> Iterator[Figure]:
    """The figures of one spaced English sentence, in order."""
    previous: Figure | None = None
    previous_end = 0
    pending: list[Figure] = []  # 115.3 billion and 165 billion yuan: the unit comes after the list
    city = False  # a share of the city read in this sentence: `its` is the city's after it
    stat: tuple[Figure, int] | None = None  # the last statistic, past dates and ordinals between (in the 4th year)
    for m in _NUMBER.finditer(text):
        figure, suffix_end = _read(text, m, previous, previous_end, city=city, stat=stat)
        city = city or figure.role is Role.SHARE
        if figure.role in (Role.GROWTH, Role.SHARE, Role.AMOUNT, Role.MOM):
            stat = figure, suffix_end
        if figure.role is Role.UNREAD and m.group("scale") and not m.group("cur"):
            pending.append(figure)
            previous, previous_end = figure, suffix_end
            continue
        if pending and figure.role is Role.AMOUNT and figure.unit and figure.unit.startswith(("billion", "million")):
            pending = [p._replace(role=Role.AMOUNT, unit=figure.unit) for p in pending]
        yield from pending
        pending = []
        yield figure
        previous, previous_end = figure, suffix_end
    yield from pending
    for w in _TIMES_WORDS.finditer(text):
        if _TIMES_GROWTH.search(text, max(0, w.start() - 40), w.start()):
            yield Figure(w.start(), w.end(), w.group(), Role.GROWTH, _WORD_TIMES[w.group("w").lower()] * 100.0)
    for w in _MULTIPLIED_WORDS.finditer(text):
        yield Figure(w.start(), w.end(), w.group(), Role.GROWTH, float(_MULTIPLIED[w.group("w").lower()]))
    for w in _DOUBLE.finditer(text):
        before = text[max(0, w.start() - 20) : w.start()]
        yield Figure(w.start(), w.end(), w.group(), Role.GROWTH, 100.0, qualifier=_qualifier(before, ""))
    for r in _RANK_WORDS.finditer(text):
        group = next(g for g in ("w", "s", "t", "n") if r.group(g))
        place = float(_ORDINALS.index(r.group(group).lower()) + 1)
        yield Figure(r.start(group), r.end(group), r.group(group), Role.RANK, place)
    for f in _FRACTION.finditer(text):
        before = text[max(0, f.start() - 60) : f.start()]
        q = _qualifier(before, "")
        core = _strip_qualifier(before)
        value = _FRACTION_WORDS[f.group("w").lower()]
        city = _CITY.search(f.group("whole")) is not None and not _CITY_PART.search(f.group("whole"))
        if city and (_SHARE_BEFORE.search(core) or re.search(r"\b(?:is|was|are|were)\s$", core)):
            yield Figure(f.start("w"), f.end("w"), f.group("w"), Role.SHARE, value, qualifier=q)
        elif _SHARE_BEFORE.search(core):
            yield Figure(f.start("w"), f.end("w"), f.group("w"), Role.AMOUNT, value, unit="%", qualifier=q)


def _read(
    text: str,
    m: re.Match[str],
    previous: Figure | None,
    previous_end: int,
    *,
    city: bool = False,
    stat: tuple[Figure, int] | None = None,
) -> tuple[Figure, int]:
    raw = m.group("num")
    number = float(raw.replace(",", ""))
    cur = (m.group("cur") or "").strip().upper()
    scale = (m.group("scale") or "").strip().lower()
    start, end, e = m.start(), m.end(), m.end("num")
    before = text[max(0, start - 60) : start]
    after = text[end : end + 80]
    bare = Figure(start, end, raw, Role.UNREAD, number)
    q = _qualifier(before, after)
    core = _strip_qualifier(before)
    if not cur and not scale:
        ranged = _RANGE_BEFORE.search(before)
        if ranged and after.lower().startswith(f" {ranged.group('unit').lower()}"):
            before = before[: ranged.start()]  # 6 GWh-7 GWh
        named = _NAME_BEFORE.search(before) or (
            e < len(text) and text[e].isalpha() and text[e : e + 2].lower() not in ("st", "nd", "rd", "th")
        )
        if named and not (_PERCENT.match(after) or _POINTS.match(after)):
            return bare._replace(role=Role.NAME), end  # COVID-19, Fortune 500, SF5
        if _DATE_BEFORE.search(before) or (len(raw) == 4 and 1900 <= number <= 2099 and "." not in raw):
            return bare._replace(role=Role.DATE), end
        if _DATE_AFTER.match(after) and not _RANK_BEFORE.search(core):
            return bare._replace(role=Role.DATE), end
        if _DURATION.match(after):
            return bare._replace(role=Role.WORD), end
    if p := _GAP_AFTER.match(after):
        sign = -1.0 if p.group("dir").lower() in _LOWER else 1.0
        if _CITY.search(p.group("whole")) or "average" in p.group("whole").lower():
            return bare._replace(role=Role.GAP, value=sign * number, qualifier=q), end + p.end()
        return bare._replace(role=Role.CHANGE, value=sign * number, qualifier=q), end + p.end()
    if p := _POINTS.match(after):
        sign = -1.0 if _DOWN_POINTS_BEFORE.search(core) else 1.0
        return bare._replace(role=Role.CHANGE, value=sign * number, qualifier=q), end + p.end()
    if p := _PERCENT.match(after):
        return _percent(text, bare, core, after, q, previous, previous_end, end + p.end(), city=city, stat=stat)
    if p := _TIMES.match(after):
        listed = previous is not None and previous.role is Role.GROWTH and _LIST_GAP.match(text[previous_end:start])
        if _GROWTH_BEFORE.search(core) or listed or _MORE_THAN.match(after, p.end()):
            return bare._replace(role=Role.GROWTH, value=round(number * 100, 6), qualifier=q), end + p.end()
        if _DECLINE_BEFORE.search(core):
            return bare._replace(role=Role.GROWTH, value=round(-number * 100, 6), qualifier=q), end + p.end()
        return bare, end
    if _RANK_OF_BEFORE.search(core):
        return bare._replace(role=Role.RANK_OF), end
    if _RANK_BEFORE.search(core) and not scale:
        return bare._replace(role=Role.RANK), end
    unit, unit_end, value = _unit(cur, scale, number, after)
    if unit is None and scale in ("million", "thousand", "m") and _VEHICLES_BEFORE.search(before):
        unit, unit_end, value = "vehicles", 0, shift(number, _SCALES[scale])  # auto production was 1.1 million
    if unit is None and scale in ("million", "thousand", "m", "mln") and _PEOPLE_BEFORE.search(before):
        unit, unit_end, value = "人", 0, shift(number, _SCALES[scale])  # a population of 3.33 million
    if unit is None and not scale and (_FROM_TO.search(before) or _OF_WHICH.match(after) or _TOTALLED.search(core)):
        unit = _counted(text[max(0, start - 160) : start])  # increased from 54 to 95 (enterprises); 19 of which
    if unit is None:
        return bare, end
    role = Role.AMOUNT
    if _CHANGE_UP.search(core):
        role = Role.ABSOLUTE
    elif _CHANGE_DOWN.search(core):
        role, value = Role.ABSOLUTE, -value
    return bare._replace(role=role, value=value, unit=unit, qualifier=q), end + unit_end


_NOUN_NAMES = "|".join(sorted(map(re.escape, _NOUNS), key=len, reverse=True))
_COUNT_NOUN = re.compile(r"\b(?P<noun>" + _NOUN_NAMES + r")\b", re.IGNORECASE)


def _counted(before: str) -> str | None:
    """The unit of the count noun named last before a bare number (The Fortune 500 enterprises … increased
    from 54 to 95), if any in its clause."""
    clause = re.split(r"[;:]", before)[-1]
    nouns = list(_COUNT_NOUN.finditer(clause))
    return _NOUNS[nouns[-1].group("noun").lower()] if nouns else None


def _unit(cur: str, scale: str, number: float, after: str) -> tuple[str | None, int, float]:
    """The unit (a key of `model.UNITS`) of an amount, where it ends in `after`, and the value in it."""
    big = {"billion": "billion", "bn": "billion", "bln": "billion", "b": "billion", "million": "million"}.get(scale)
    big = big or {"m": "million", "mln": "million", "trillion": "trillion"}.get(scale)
    tail = _DOLLARS.match(after) or _YUAN.match(after)
    tail_end = tail.end() if tail else 0
    if cur in ("$", "US$") or _DOLLARS.match(after):
        return (f"{big} US dollars" if big and big != "trillion" else None), tail_end, number
    if cur in ("RMB", "¥", "CNY") or _YUAN.match(after):
        if big:
            return f"{big} yuan", tail_end, number
        return ("元" if not scale else None), tail_end, number
    noun = _NOUN.match(after)
    if noun and scale not in ("billion", "bn", "b", "trillion"):
        value = shift(number, _SCALES[scale]) if scale in ("million", "thousand", "m") else number
        return _NOUNS[noun.group("noun").lower()], noun.end(), value
    return None, 0, number


def _percent(
    text: str,
    bare: Figure,
    core: str,
    after: str,
    q: Qualifier,
    previous: Figure | None,
    previous_end: int,
    end: int,
    *,
    city: bool = False,
    stat: tuple[Figure, int] | None = None,
) -> tuple[Figure, int]:
    """A percentage: growth (year on year or on the month before), decline, share of the city, or a rate."""
    number = bare.value
    clause = re.split(r"[,;\d]", text[end:], maxsplit=1)[0]  # up to the next figure
    growth_role = Role.MOM if _MOM.search(clause) or _MOM.search(core[-30:]) else Role.GROWTH
    if _GROWTH_BEFORE.search(core) and not core.rstrip().lower().endswith(" to"):
        return bare._replace(role=growth_role, value=number, qualifier=q), end
    if _DECLINE_BEFORE.search(core):
        return bare._replace(role=growth_role, value=-number, qualifier=q), end
    pct = _PERCENT.match(after)
    subject = _RATE_SUBJECT.search(core[-80:]) or _RATE_SUBJECT.search(text, max(0, bare.start - 80), bare.start)
    if _GROWTH_AFTER.match(after[pct.end() :] if pct else after) or subject:
        return bare._replace(role=growth_role, value=number, qualifier=q), end
    gap = text[previous_end : bare.start]
    if stat is not None and stat[0].role is Role.GROWTH and _PARALLEL.match(text[stat[1] : bare.start]):
        return bare._replace(role=Role.GROWTH, value=number, qualifier=q), end  # …while Binhai's hovered at 20%
    whole = _OF_WHOLE.match(after)
    of = whole.group("whole") if whole else ""
    implied = city and (_ITS.match(of) is not None or _THE_TOTAL.match(of) is not None)  # its GDP, the total
    of_city = whole is not None and not _CITY_PART.search(of) and (_CITY.search(of) is not None or implied)
    if _SHARE_BEFORE.search(core) or of_city:
        if of_city:
            return bare._replace(role=Role.SHARE, value=number, qualifier=q), end
        return bare._replace(role=Role.AMOUNT, value=number, unit="%", qualifier=q), end
    if stat is not None and stat[0].role is Role.SHARE and _SHARE_LIST_GAP.match(text[stat[1] : bare.start]):
        return bare._replace(role=Role.SHARE, value=number, qualifier=q), end  # 20% of its output, and 70% …
    listed = previous is not None and _LIST_GAP.match(gap)
    if listed and previous is not None and previous.role in (Role.GROWTH, Role.MOM, Role.SHARE):
        value = -number if previous.role in (Role.GROWTH, Role.MOM) and previous.value < 0 else number
        return bare._replace(role=previous.role, value=value, qualifier=q), end
    return bare._replace(role=Role.AMOUNT, value=number, unit="%", qualifier=q), end


def equivalent(text: str, figure: Figure) -> bool:
    """Whether an amount is written in brackets after another, as its equivalent: ($47.42 billion)."""
    return bool(_EQUIVALENT.search(text, max(0, figure.start - 12), figure.start))


_PER = re.compile(
    r"^[^,;]{0,25}?\b(?P<w>per day|a day|each day|every day|daily|per week|a week|weekly|per month|a month|monthly"
    r"|per year|a year|each year|every year|annually)\b",
    re.IGNORECASE,
)
_PER_BEFORE = re.compile(r"\b(?P<w>daily|annual|monthly|weekly)\b[^,;]{0,25}$", re.IGNORECASE)
_PER_WORDS = (
    ("day", "day"),
    ("daily", "day"),
    ("week", "week"),
    ("month", "month"),
    ("year", "year"),
    ("annual", "year"),
)


def per(text: str, figure: Figure) -> str | None:
    """day, week, month or year where the amount is a rate (3,500 vehicles a day), else None."""
    m = _PER.match(text, figure.end) or _PER_BEFORE.search(text, max(0, figure.start - 30), figure.start)
    word = m.group("w").lower() if m else ""
    return next((unit for key, unit in _PER_WORDS if key in word), None) if word else None


_STATUS = re.compile(
    r"\b(?P<forecast>expected|expects|expect|forecast|projected|estimated to|is likely|will)\b"
    r"|\b(?P<target>target|targets|targeting|aims? to|aiming|plans? to|planned(?= to\b)"
    r"|(?:is|are|was|were|been) planned|goals?|strive|striving)\b",
    re.IGNORECASE,
)


_OWNED = re.compile(r"\b(?:its|their|his|her|our|these|those)\s$", re.IGNORECASE)
"""…will promote the construction of its 32 major projects: what is owned already is no forecast."""


def status(text: str, position: int) -> str:
    """result, or target / forecast where a sentence says so before `position`."""
    found, word = "result", ""
    for m in _STATUS.finditer(text, 0, position):
        found, word = ("forecast" if m.group("forecast") else "target"), m.group().lower()
    if word == "will" and _OWNED.search(text, max(0, position - 8), position):
        return "result"
    if word == "will" and _PLAN.match(text, text.lower().rfind("will", 0, position) + 4):
        return "target"  # the city will invest 3 billion yuan: what an actor plans to do
    return found


_PLAN = re.compile(
    r" (?:also )?(?:invest|spend|allocate|build|construct|offer|provide|implement|launch|introduce|set up|add"
    r"|create|open|start|upgrade|plant|issue|grant|subsidi[sz]e)\b",
    re.IGNORECASE,
)
"""Will + what an actor does (invest, build, offer): a plan, a target; will + reach, exceed, be: a forecast."""


_SHARED = re.compile(r"\b(?:both|all|each)\b[^,;]{0,20}$", re.IGNORECASE)


def shared(text: str, figure: Figure) -> bool:
    """Whether a growth is said of every amount of the list before it: …37.87 billion and 26.48 billion yuan
    respectively, both increasing fourfold."""
    return bool(_SHARED.search(text, max(0, figure.start - 24), figure.start))


_WORD_NUMBERS = {
    w: n
    for n, w in enumerate(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"], 1)
}
_ORD_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _year_tail(name: str) -> str:
    return rf"(?:,? (?:of )?(?P<{name}y>(?:19|20)\d{{2}})\b| (?:of )?(?P<{name}this>this|last) year)?"


_MARK = re.compile(
    r"\b(?:"
    r"(?P<h>first|second) half(?: of the year)?"
    + _year_tail("h")
    + r"|(?:first|1st) (?P<nq>two|three|2|3) quarters"
    + _year_tail("nq")
    + r"|(?P<q>first|second|third|fourth|1st|2nd|3rd|4th) quarter"
    + _year_tail("q")
    + r"|first (?P<nm>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2}) months"
    + _year_tail("nm")
    + r"|(?P<m1>"
    + _MONTH
    + r") ?(?:-|–|—|to|through|and|till|until) ?(?P<m2>"
    + _MONTH
    + r")"
    + _year_tail("s")
    + r"|(?:in|during|for) (?P<mon>"
    + _MONTH
    + r")(?![a-z])(?! ?\d| ?(?:-|–|—|to|through|and|till|until)\b)(?: (?P<mony>(?:19|20)\d{2}))?"
    + r"|(?:in|of|for|during|throughout) (?P<year>(?:19|20)\d{2})\b(?! percent)"
    + r"|(?<!same period )(?<!same time )(?<!than )(?<!of )(?<!from )(?P<last>last year)(?!-)"
    + r"|(?P<full>full year|whole year)"
    + _year_tail("f")
    + r"|(?:by|until|till) (?:the end of )?(?P<by>(?:19|20)\d{2})\b(?! percent)"
    + r"|from (?:its|their|the) [a-z-]+ (?:to|until|till) (?:the end of )?(?P<to>(?:19|20)\d{2})\b(?! percent)"
    + r"|(?:in )?(?P<hq>(?-i:H[12]|Q[1-4]))(?: (?P<hqy>(?:19|20)\d{2}))?(?![\w-])"
    + r"|(?P<annual>annual(?:ly)?(?: average)?)(?= (?:[a-z-]+ ){0,2}(?:growth|increase|rise)\b)"
    + r")",
    re.IGNORECASE,
)


def _month(word: str) -> int:
    w = word.lower().rstrip(".")[:3]
    return next(i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(w))


_BASE = re.compile(
    r"(?:(?:than|compared (?:with|to)|against|versus|vs\.?)(?: that of| those of)?(?: the)?"
    r"|(?:equivalent|equal|comparable|similar) to(?: that| those)?|since(?: (?:its|their|the) [a-z-]+)?) $",
    re.IGNORECASE,
)
"""What stands before a period that is the base of a comparison (more than that of the first half of 2012)."""


_SINCE = re.compile(r"\bsince\b[^,;]{0,50}$", re.IGNORECASE)
"""Since its establishment in 2010, since the upgrading started in May last year: the start of a span."""


def marks(text: str) -> Iterator[tuple[int, str, int | None, int, int, int]]:
    """The periods an English sentence names: (where, kind, year, relative, first, last), as `figures.Mark`."""
    for m in _MARK.finditer(text):
        at = m.start()
        if _BASE.search(text, max(0, at - 30), at) or _SINCE.search(text, max(0, at - 60), at):
            continue
        g = m.groupdict()

        def year_of(name: str, g: dict[str, str | None] = g) -> tuple[int | None, int]:
            written = g.get(f"{name}y")
            if written:
                return int(written), 0
            word = (g.get(f"{name}this") or "").lower()
            return None, (1 if word == "this" else -1 if word == "last" else 0)

        at = m.start()
        if g["h"]:
            year, rel = year_of("h")
            yield at, "h1" if g["h"].lower() == "first" else "h2", year, rel, 0, 0
        elif g["nq"]:
            year, rel = year_of("nq")
            yield at, "span", year, rel, 1, 3 * (_WORD_NUMBERS.get(g["nq"].lower()) or int(g["nq"]))
        elif g["q"]:
            year, rel = year_of("q")
            yield at, "quarter", year, rel, _ORD_QUARTER[g["q"].lower()], 0
        elif g["nm"]:
            year, rel = year_of("nm")
            yield at, "span", year, rel, 1, _WORD_NUMBERS.get(g["nm"].lower()) or int(g["nm"])
        elif g["m1"]:
            year, rel = year_of("s")
            yield at, "span", year, rel, _month(g["m1"]), _month(g["m2"])
        elif g["mon"]:
            yield at, "month", int(g["mony"]) if g["mony"] else None, 0, _month(g["mon"]), 0
        elif g["year"]:
            yield at, "year", int(g["year"]), 0, 0, 0
        elif g["last"]:
            yield at, "year", None, -1, 0, 0
        elif g["full"]:
            year, rel = year_of("f")
            yield at, "year", year, rel, 0, 0
        elif g["by"]:  # by 2025: the year a target is for
            yield at, "year", int(g["by"]), 0, 0, 0
        elif g["to"]:  # from its establishment to 2019: the figures of 2019
            yield at, "year", int(g["to"]), 0, 0, 0
        elif g["hq"]:  # H1, Q3
            kind, n = ("h1" if g["hq"] == "H1" else "h2", 0) if g["hq"][0] == "H" else ("quarter", int(g["hq"][1]))
            yield at, kind, int(g["hqy"]) if g["hqy"] else None, 0, n, 0
        elif g["annual"]:  # an annual growth of 20%: a yearly rate
            yield at, "per-year", None, 0, 0, 0

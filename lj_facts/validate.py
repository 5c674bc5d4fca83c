"""Proving a knowledge file against the report it quotes.

Four checks: every quote stands verbatim in the source (white space ignored), every figure of a
fact is written in its own quote, every figure of the source is captured by a fact whose quote
covers it, and every sentence of the source is quoted by facts or set aside in `[[set_aside]]`.
Dates, document names (《…》), model names next to Latin letters (SF5, L4) and the phrases listed
in `meta.names` are not statistics and are set aside from the figure check.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate
from typing import NamedTuple

from .errors import Problem
from .model import Fact, KnowledgeBase, half_unit

_SPACE = re.compile(r"\s+")
_ARABIC = re.compile(r"\d+(?:\.\d+)?(?:/\d+)?")
_CHINESE = re.compile(r"[零一二两三四五六七八九十百千万]+|翻倍|翻番")
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_DATE_AFTER = re.compile(r"年(?!前)|月|日|周年")


def normalize(text: str) -> str:
    """The text with all white space removed, as quotes are compared."""
    return _SPACE.sub("", text)


class Figure(NamedTuple):
    """A figure written in a text, with the values it can stand for."""

    start: int
    end: int
    raw: str
    readings: tuple[float, ...]
    """1/3 reads as 33.33 (percent); 6.1 before 倍 reads as 6.1 and as 610 (percent growth)."""


def _chinese_number(run: str) -> float:
    if run in ("翻倍", "翻番"):
        return 100.0
    total, digit = 0, 0
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        else:  # 万
            total, digit = (total + digit) * 10_000, 0
    return float(total + digit)


def arabic_figures(text: str) -> Iterator[Figure]:
    """The figures written in digits in (normalized) `text`."""
    for m in _ARABIC.finditer(text):
        raw = m.group()
        if "/" in raw:
            a, b = raw.split("/")
            readings: tuple[float, ...] = (100 * float(a) / float(b),) if float(b) else ()
        else:
            x = float(raw)
            readings = (x, 100 * x) if text.startswith("倍", m.end()) else (x,)
        yield Figure(m.start(), m.end(), raw, readings)


def figures(text: str) -> list[Figure]:
    """Every figure written in `text`, in digits or in Chinese numerals (千亿元, 第四, 翻倍)."""
    found = list(arabic_figures(text))
    found += [Figure(m.start(), m.end(), m.group(), (_chinese_number(m.group()),)) for m in _CHINESE.finditer(text)]
    return found


def _matches(figure: Figure, value: float) -> bool:
    if "/" in figure.raw:  # a fraction is written rounded in the fact: 1/3 as 33.3
        return any(abs(r - value) <= half_unit(value) + 1e-9 for r in figure.readings)
    return any(abs(r - value) <= 1e-9 * max(1.0, abs(value)) for r in figure.readings)


def check_quotes(facts: tuple[Fact, ...], source: str) -> list[Problem]:
    """Quotes not verbatim in the source, and figures not written in their own quote."""
    flat = normalize(source)
    problems = []
    for fact in facts:
        quote = normalize(fact.text)
        if quote not in flat:
            problems.append(Problem(fact.id, "text", "not found verbatim in the source"))
        written = figures(quote)
        for field, value in fact.figures.items():
            if not any(_matches(f, value) for f in written):
                problems.append(Problem(fact.id, field, f"{value:g} is not written in the fact's own text"))
    return problems


def _set_aside(flat: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the source that hold names and dates, not statistics."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", flat)]
    for name in names:
        needle = normalize(name)
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(needle), flat)]
    return spans


class _Spans:
    """Spans of a text, asked whether one of them holds a stretch: in log time, however many spans there are."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))  # the furthest end of any span so far

    def hold(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, start) - 1
        return k >= 0 and self.reach[k] >= end


def _is_name_or_date(flat: str, figure: Figure, spans: _Spans) -> bool:
    if spans.hold(figure.start, figure.end):
        return True
    if _DATE_AFTER.match(flat, figure.end):
        return True
    before = flat[figure.start - 1] if figure.start else ""
    after = flat[figure.end] if figure.end < len(flat) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def uncaptured(kb: KnowledgeBase, source: str) -> tuple[list[Problem], int, int]:
    """The source's figures that no fact captures, with how many figures were checked and set aside.

    A figure is captured when a fact whose quote covers it in the source states that figure.

    Linear in the source: each figure looks only at the quotes that start within the longest
    quote's length before it, and the set-aside spans and line numbers are looked up by bisection.
    """
    flat = normalize(source)
    covering: list[tuple[int, int, Fact]] = []
    longest = 0
    for fact in kb.facts:
        quote = normalize(fact.text)
        longest = max(longest, len(quote))
        covering += [(m.start(), m.start() + len(quote), fact) for m in re.finditer(re.escape(quote), flat)]
    covering.sort(key=lambda c: c[0])
    starts = [a for a, _, _ in covering]
    spans = _Spans(_set_aside(flat, kb.meta.names))
    problems, checked, aside = [], 0, 0
    where: _Places | None = None
    for figure in arabic_figures(flat):
        if _is_name_or_date(flat, figure, spans):
            aside += 1
            continue
        checked += 1
        near = covering[bisect_left(starts, figure.start - longest) : bisect_right(starts, figure.start)]
        if any(
            a <= figure.start and figure.end <= b and any(_matches(figure, v) for v in fact.figures.values())
            for a, b, fact in near
        ):
            continue
        where = where or _Places(source)
        context = flat[max(0, figure.start - 12) : figure.end + 8]
        problems.append(
            Problem(
                f"source line {where.line(figure.start)}",
                "-",
                f"figure {figure.raw} is captured by no fact: …{context}…",
            )
        )
    return problems, checked, aside


class _Places:
    """Line numbers in the source of positions in its normalized (white-space-free) text, made once."""

    def __init__(self, source: str) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.originals = [i for i, ch in enumerate(source) if not ch.isspace()]
        self.length = len(source)

    def line(self, flat_index: int) -> int:
        original = self.originals[flat_index] if flat_index < len(self.originals) else self.length
        return bisect_right(self.line_starts, original)


# --- Sentence coverage -------------------------------------------------------------------------
# The report is text extracted from a printed page: a line break falls anywhere, a blank line may
# fall mid-sentence (a column or page break), and photo captions and headlines stand between the
# paragraphs without punctuation. So lines are joined (white space dropped, as quotes are compared)
# and a sentence ends:
#   - after 。！？ or ； (with the closing quotes or brackets that follow it), or
#   - at a blank line (or the end) after a line with no punctuation of running text (，。、；：！？):
#     a caption ("果园港 陈力行 摄") or a headline. A blank line after a line with such punctuation
#     is a column break inside a sentence ("作为新区" / "“两高两区”十大工程…"): the sentence goes on.

_ENDS = "。！？；!?;"
_CLOSERS = "”’」』）》)\"'"
_RUNNING = set("，。、；：！？,;:!?")
MAX_GAP = 8
"""The most letters of a sentence (punctuation not counted) that may stand outside every quote in a
row: connectives such as 比如， 其中， 同时， 今年上半年， need no fact of their own, a claim does."""


class Sentence(NamedTuple):
    """A sentence of the source, as a span of its normalized text."""

    start: int
    end: int
    text: str


def sentences(source: str) -> list[Sentence]:
    """The sentences of `source` (see the rule above), spans of `normalize(source)`."""
    flat, breaks, last = [], set(), ""
    length = 0
    for line in source.split("\n"):
        part = normalize(line)
        if part:
            flat.append(part)
            length += len(part)
            last = part
        elif last and not _RUNNING.intersection(last):
            breaks.add(length)
    breaks.add(length)
    text = "".join(flat)
    found: list[Sentence] = []
    start, i = 0, 0
    while i < len(text):
        i += 1
        if text[i - 1] in _ENDS:
            while i < len(text) and text[i] in _CLOSERS:
                i += 1
        elif i not in breaks:
            continue
        if any(ch.isalnum() for ch in text[start:i]):
            found.append(Sentence(start, i, text[start:i]))
        start = i
    return found


class SentenceCoverage(NamedTuple):
    """How the sentences of a source are covered by a knowledge file."""

    total: int
    """Sentences in the source."""
    covered: int
    """Sentences covered, by quotes, set-aside texts or both."""
    set_aside: int
    """Of the covered, those that needed a [[set_aside]] text."""
    problems: list[Problem]
    """Uncovered sentences, and set-aside texts not verbatim in the source."""


def _marks(needles: set[str], flat: str) -> bytearray:
    """A byte a character of `flat`: 1 where some needle stands there, else 0.

    Each distinct quote is looked for once, and its places marked by slice: a file of a hundred
    thousand facts (most sharing their sentence's quote) is marked in well under a second.
    """
    marks = bytearray(len(flat))
    for needle in needles:
        if needle:
            for m in re.finditer(re.escape(needle), flat):
                marks[m.start() : m.end()] = b"\x01" * len(needle)
    return marks


def _covers(sentence: Sentence, marks: bytearray, max_gap: int) -> bool:
    """Whether the marked characters cover the substance of `sentence` (see `sentence_coverage`)."""
    letters = covered = longest = run = 0
    for ch, quoted in zip(sentence.text, marks[sentence.start : sentence.end], strict=True):
        if not ch.isalnum():
            continue
        letters += 1
        if quoted:
            covered += 1
            run = 0
        else:
            run += 1
            longest = max(longest, run)
    return 2 * covered >= letters and longest <= max_gap


def sentence_coverage(kb: KnowledgeBase, source: str, max_gap: int = MAX_GAP) -> SentenceCoverage:
    """Which sentences of `source` the facts' quotes and the [[set_aside]] texts cover.

    A sentence is covered when the quotes (and set-aside texts) found in it hold at least half of
    its letters and leave no more than `max_gap` letters in a row outside them: several facts may
    quote one sentence piece by piece, and a short sentence is not covered by being short.
    Letters are what `str.isalnum` accepts (Chinese characters, Latin letters, digits).
    """
    flat = normalize(source)
    problems = [
        Problem(f"set_aside[{n}]", "text", "not found verbatim in the source")
        for n, entry in enumerate(kb.set_aside, 1)
        if normalize(entry.text) not in flat
    ]
    quoted = _marks({normalize(f.text) for f in kb.facts}, flat)
    both = _marks({normalize(e.text) for e in kb.set_aside}, flat)
    both = bytearray(q | a for q, a in zip(quoted, both, strict=True))
    found = sentences(source)
    where: _Places | None = None  # made once, at the first uncovered sentence: lines in linear time
    covered = needed_aside = 0
    for sentence in found:
        if _covers(sentence, quoted, max_gap):
            covered += 1
        elif _covers(sentence, both, max_gap):
            covered += 1
            needed_aside += 1
        else:
            where = where or _Places(source)
            line = where.line(sentence.start)
            problems.append(
                Problem(f"source line {line}", "-", f"sentence quoted by no fact and not set aside: {sentence.text}")
            )
    return SentenceCoverage(len(found), covered, needed_aside, problems)


def coverage_line(coverage: SentenceCoverage) -> str:
    """`N of M sentences covered (K set aside)`, with the percentage below 100 %."""
    line = f"{coverage.covered} of {coverage.total} sentences covered ({coverage.set_aside} set aside)"
    if coverage.covered < coverage.total:
        line += f": {100 * coverage.covered / coverage.total:.1f}%"
    return line

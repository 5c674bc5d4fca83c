"""Proving a knowledge file against the report it quotes, and listing what a draft leaves to do.

Four checks: every quote stands verbatim in the source (white space ignored), every figure of a
fact is written in its own quote, every figure of the source is captured by a fact whose quote
covers it, and every sentence of the source is quoted by facts or set aside in `[[set_aside]]`.
Figures are read by `figures`, the one parser of the report's phrasing, Chinese numerals included.
Dates, document names (《…》), model names next to Latin letters (SF5, L4) and the phrases listed
in `meta.names` are not statistics and are set aside from the figure check.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import NamedTuple

from .draft import TODO, TODO_TOPIC
from .errors import Problem, count
from .figures import Role, figures, matches
from .model import Fact, KnowledgeBase
from .sentences import MAX_GAP, covers, marks, split
from .text import without_spaces

_DOCUMENT = re.compile(r"《[^》]*》")
_IGNORED = frozenset({Role.DATE, Role.NAME})


def check_quotes(facts: tuple[Fact, ...], source: str) -> list[Problem]:
    """Quotes not verbatim in the source, and figures not written in their own quote."""
    flat = without_spaces(source)
    problems = []
    for fact in facts:
        quote = without_spaces(fact.text)
        if quote not in flat:
            problems.append(Problem(fact.id, "text", "not found verbatim in the source"))
        written = figures(fact.text)  # as written: an English quote needs its spaces to be read
        for field, value in fact.figures.items():
            if not any(matches(f, value) for f in written):
                problems.append(Problem(fact.id, field, f"{value:g} is not written in the fact's own text"))
    return problems


def _set_aside(flat: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the source that hold names, not statistics: document names and `meta.names`."""
    spans = [(m.start(), m.end()) for m in _DOCUMENT.finditer(flat)]
    for name in names:
        needle = without_spaces(name)
        if needle:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(needle), flat)]
    return sorted(spans)


class _Spans:
    """Spans of a text, asked whether one of them holds a stretch: in log time, however many spans there are."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))  # the furthest end of any span so far

    def hold(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, start) - 1
        return k >= 0 and self.reach[k] >= end


class Coverage(NamedTuple):
    """How the figures of a source are captured by a knowledge file's facts."""

    problems: list[Problem]
    """One per figure no fact captures."""
    checked: int
    """Figures of the source that must be captured."""
    aside: int
    """Dates and names set aside."""
    chinese: int
    """Of `checked`, those written in Chinese numerals (千亿元, 第四, 翻倍, 百亿级)."""


def coverage(kb: KnowledgeBase, source: str) -> Coverage:
    """The source's figures that no fact captures, read by the one parser (`figures`).

    A figure is captured when a fact whose quote covers it in the source states that figure. A size
    class (千亿级, 十亿元及以上) states no figure of its own: a quote covering it captures it.
    """
    found = figures(source)
    flat = without_spaces(source)
    covering: list[tuple[int, int, Fact]] = []
    longest = 0
    for fact in kb.facts:
        quote = without_spaces(fact.text)
        if quote:
            covering += [(m.start(), m.start() + len(quote), fact) for m in re.finditer(re.escape(quote), flat)]
    covering.sort(key=lambda c: c[0])
    starts = [c[0] for c in covering]
    longest = max((b - a for a, b, _ in covering), default=0)
    spans = _Spans(_set_aside(flat, kb.meta.names))
    problems, checked, aside, chinese = [], 0, 0, 0
    for figure in found:
        if figure.role is Role.WORD:  # 十四五, 两江: numerals in words, written but no statistic
            continue
        if figure.role in _IGNORED or spans.hold(figure.start, figure.end):
            aside += 1
            continue
        checked += 1
        chinese += figure.chinese
        # Only quotes starting at most `longest` before the figure can cover it: a slice, not every quote.
        near = covering[bisect_left(starts, figure.end - longest) : bisect_right(starts, figure.start)]
        if any(
            a <= figure.start
            and figure.end <= b
            and (figure.role is Role.LEVEL or any(matches(figure, v) for v in fact.figures.values()))
            for a, b, fact in near
        ):
            continue
        context = flat[max(0, figure.start - 12) : figure.end + 8]
        problems.append(
            Problem(f"source line {figure.line}", "-", f"figure {figure.raw} is captured by no fact: …{context}…")
        )
    return Coverage(problems, checked, aside, chinese)


def uncaptured(kb: KnowledgeBase, source: str) -> tuple[list[Problem], int, int]:
    """The source's figures that no fact captures, with how many figures were checked and set aside."""
    result = coverage(kb, source)
    return result.problems, result.checked, result.aside


def still_to_do(kb: KnowledgeBase) -> list[Problem]:
    """What a draft (`lj-facts draft`) still leaves to a person: fields marked TODO, the `todo` topic."""
    problems = [
        Problem("meta", name, "still to do")
        for name, value in kb.meta._asdict().items()
        if isinstance(value, str) and value.startswith(TODO)
    ]
    for fact in kb.facts:
        fields = [
            name
            for name, todo in (("label", fact.label.startswith(TODO)), ("topics", TODO_TOPIC in fact.topics))
            if todo
        ]
        if fields:
            problems.append(Problem(fact.id, ", ".join(fields), "still to do"))
    problems += [
        Problem(f"set_aside[{n}]", "reason", f"still to do: {entry.text}")
        for n, entry in enumerate(kb.set_aside, 1)
        if entry.reason.startswith(TODO)
    ]
    if TODO_TOPIC in kb.topics:
        problems.append(Problem(f"topics.{TODO_TOPIC}", "-", "still to do: declare the file's own topics"))
    return problems


def to_do_summary(problems: list[Problem]) -> str:
    """`12 facts still to do: label, topics` (and the rest of the file's to-do), in one line."""
    facts = [p for p in problems if not p.where.startswith(("meta", "topics.", "set_aside["))]
    fields = sorted({f for p in facts for f in p.field.split(", ")})
    parts = [f"{count(len(facts), 'fact')} still to do: {', '.join(fields)}"] if facts else []
    meta = [p.field for p in problems if p.where == "meta"]
    if meta:
        parts.append(f"meta still to do: {', '.join(meta)}")
    aside = sum(p.where.startswith("set_aside[") for p in problems)
    if aside:
        parts.append(f"{count(aside, 'sentence')} no fact quotes: quote or set aside")
    return "; ".join(parts) or "the topics still to do"


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


def sentence_coverage(kb: KnowledgeBase, source: str, max_gap: int = MAX_GAP) -> SentenceCoverage:
    """Which sentences of `source` the facts' quotes and the [[set_aside]] texts cover.

    A sentence is covered when the quotes (and set-aside texts) found in it hold at least half of
    its letters and leave no more than `max_gap` letters in a row outside them: several facts may
    quote one sentence piece by piece, and a short sentence is not covered by being short.
    Letters are what `str.isalnum` accepts (Chinese characters, Latin letters, digits).
    """
    flat = without_spaces(source)
    problems = [
        Problem(f"set_aside[{n}]", "text", "not found verbatim in the source")
        for n, entry in enumerate(kb.set_aside, 1)
        if without_spaces(entry.text) not in flat
    ]
    quoted = marks({without_spaces(f.text) for f in kb.facts}, flat)
    both = marks({without_spaces(e.text) for e in kb.set_aside}, flat)
    both = bytearray(q | a for q, a in zip(quoted, both, strict=True))
    found = list(split(source))
    covered = needed_aside = 0
    for sentence in found:
        if covers(sentence, quoted, max_gap):
            covered += 1
        elif covers(sentence, both, max_gap):
            covered += 1
            needed_aside += 1
        else:
            line = sentence.line
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

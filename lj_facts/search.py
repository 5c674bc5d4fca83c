"""Finding facts by keyword, in Chinese or English, and suggesting what was probably meant.

The index narrows the facts to candidates whose search text holds every needle (a superset of the
matches, found by SQLite without loading the facts); `rank` then decides and orders exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .model import UNITS, CityFigure, Fact, Topic

if TYPE_CHECKING:
    from .index import Index

_SUBSTRING = re.compile(r"[\d\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Terms with digits or CJK characters match as substrings: Chinese has no spaces between words."""
_WORD = re.compile(r"[^\W_]+")

LABEL, TOPIC, SECONDARY_TOPIC, ID, OTHER = 4, 3, 2, 2, 1
"""How much a hit in each field counts. A fact's score adds up the fields each term hits, so label
and topic hits rank before quote-only hits, a label hit before a topic hit, and a hit on a fact's
primary topic before one on its other topics."""


def stem(word: str) -> str:
    """The word without a plural ending: vehicles → vehicle, industries → industry, boxes → box."""
    w = word.casefold()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    """The casefolded words of a text."""
    return _WORD.findall(text.casefold())


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text))


def _is_substring_term(term: str) -> bool:
    return bool(_SUBSTRING.search(term)) or not _WORD.search(term)


def _units(fact: Fact) -> str:
    unit = UNITS[fact.unit] if fact.unit else None
    return f"{unit.name} {unit.base_unit} {unit.english}" if unit else ""


def search_text(fact: Fact) -> str:
    """Everything of the fact itself a term can match, casefolded (its topics' names are matched apart)."""
    return " ".join((fact.label, fact.id, fact.text, _units(fact))).casefold()


def _root(stem: str) -> str:
    """What every inflection of a stem starts with: industr for industry (industries), box for box (boxes)."""
    return stem[:-1] if stem.endswith("y") and len(stem) > 1 else stem


def needles(terms: Sequence[str]) -> list[str]:
    """Strings every match holds in its `search_text` or a topic name: the term, or its words' stem roots."""
    found: list[str] = []
    for term in terms:
        term = term.casefold()
        found += [term] if _is_substring_term(term) else sorted({_root(s) for s in _stems(term)})
    return found


class _Fields:
    """A fact's searchable text, field by field, with the weight of a hit in each."""

    def __init__(self, fact: Fact, topics: Mapping[str, Topic]) -> None:
        self.fields = [
            (LABEL, fact.label.casefold()),
            (ID, fact.id.casefold()),
            (OTHER, fact.text.casefold()),
            (OTHER, _units(fact).casefold()),
        ]
        self.stems = [(weight, _stems(text)) for weight, text in self.fields]
        self.topics = [
            (TOPIC if i == 0 else SECONDARY_TOPIC, [n.casefold() for n in topics[t].names])
            for i, t in enumerate(fact.topics)
            if t in topics
        ]

    def score(self, term: str) -> int:
        """The weights of the fields `term` matches, added up; 0 when it matches none.

        A Chinese term (or one with digits) matches a substring of the label, id, quote or unit, and a
        topic only by one of its whole names; an English term matches words and their plurals.
        """
        term = term.casefold()
        if _is_substring_term(term):
            hits = sum(w for w, text in self.fields if term in text)
            return hits + max((w for w, names in self.topics if term in names), default=0)
        wanted = _stems(term)
        hits = sum(w for w, stems in self.stems if wanted <= stems)
        return hits + max((w for w, names in self.topics if any(wanted <= _stems(n) for n in names)), default=0)


def rank(terms: Sequence[str], candidates: Iterable[tuple[int, Fact]], topics: Mapping[str, Topic]) -> list[Fact]:
    """The candidates that match every term, best first; ties keep their position."""
    scored = []
    for position, fact in candidates:
        fields = _Fields(fact, topics)
        scores = [fields.score(t) for t in terms]
        if all(scores):
            scored.append((-sum(scores), position, fact))
    return [fact for *_, fact in sorted(scored, key=lambda s: (s[0], s[1]))]


def search(index: Index, terms: Sequence[str]) -> list[Fact]:
    """Facts that match every term, best first (label and topic hits before quote-only hits)."""
    terms = [t for t in terms if t.strip()]
    if not terms:
        return []
    candidates = index.candidates(needles(terms))
    topics = index.topics_named(t for _, f in candidates for t in f.topics)
    return rank(terms, candidates, topics)


def search_city_figures(figures: Iterable[CityFigure], terms: Sequence[str]) -> list[CityFigure]:
    """The published city figures whose label, Chinese label or id matches every term, in file order.

    Terms match as they do for facts: Chinese terms and terms with digits as substrings, English
    terms as words and their plurals.
    """
    terms = [t.casefold() for t in terms if t.strip()]
    found = []
    for figure in figures:
        text = " ".join((figure.label, figure.label_zh, figure.id)).casefold()
        stems = _stems(text)
        if terms and all(t in text if _is_substring_term(t) else _stems(t) <= stems for t in terms):
            found.append(figure)
    return found


def suggest(vocabulary: Iterable[str], terms: Sequence[str], limit: int = 3) -> list[str]:
    """Topic names and label words close to `terms`: "industy" → "industry"."""
    import difflib

    choices = sorted(set(vocabulary))
    found: list[str] = []
    for term in terms:
        for match in difflib.get_close_matches(term.casefold(), choices, n=limit, cutoff=0.75):
            if match not in found:
                found.append(match)
    return found[:limit]


def closest_ids(ids: Sequence[str], fact_id: str, limit: int = 3) -> list[str]:
    """Fact ids close to a mistyped one."""
    import difflib

    close = difflib.get_close_matches(fact_id.casefold(), ids, n=limit, cutoff=0.6)
    return close or [i for i in ids if fact_id.casefold() in i][:limit]

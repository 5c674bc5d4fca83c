"""Finding facts by keyword, in Chinese or English, and suggesting what was probably meant."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from .model import UNITS, Fact, KnowledgeBase

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


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text))


class _Fields:
    """A fact's searchable text, field by field, with the weight of a hit in each."""

    def __init__(self, fact: Fact, kb: KnowledgeBase) -> None:
        unit = UNITS[fact.unit] if fact.unit else None
        units = f"{unit.name} {unit.base_unit} {unit.english}" if unit else ""
        self.fields = [
            (LABEL, fact.label.casefold()),
            (ID, fact.id.casefold()),
            (OTHER, fact.text.casefold()),
            (OTHER, units.casefold()),
        ]
        self.stems = [(weight, _stems(text)) for weight, text in self.fields]
        self.topics = [
            (TOPIC if i == 0 else SECONDARY_TOPIC, [n.casefold() for n in kb.topics[t].names])
            for i, t in enumerate(fact.topics)
            if t in kb.topics
        ]

    def score(self, term: str) -> int:
        """The weights of the fields `term` matches, added up; 0 when it matches none.

        A Chinese term (or one with digits) matches a substring of the label, id, quote or unit, and a
        topic only by one of its whole names; an English term matches words and their plurals.
        """
        term = term.casefold()
        if _SUBSTRING.search(term) or not _WORD.search(term):
            hits = sum(w for w, text in self.fields if term in text)
            return hits + max((w for w, names in self.topics if term in names), default=0)
        wanted = _stems(term)
        hits = sum(w for w, stems in self.stems if wanted <= stems)
        return hits + max((w for w, names in self.topics if any(wanted <= _stems(n) for n in names)), default=0)


def search(kb: KnowledgeBase, terms: Sequence[str]) -> list[Fact]:
    """Facts that match every term, best first (label and topic hits before quote-only hits)."""
    terms = [t for t in terms if t.strip()]
    if not terms:
        return []
    scored = []
    for index, fact in enumerate(kb.facts):
        fields = _Fields(fact, kb)
        scores = [fields.score(t) for t in terms]
        if all(scores):
            scored.append((-sum(scores), index, fact))
    return [fact for *_, fact in sorted(scored, key=lambda s: (s[0], s[1]))]


def suggest(kb: KnowledgeBase, terms: Sequence[str], limit: int = 3) -> list[str]:
    """Topics and words of the knowledge file close to `terms`: "industy" → "industry"."""
    topic_names = [n for t in kb.topics.values() for n in t.names]
    words = {w for f in kb.facts for w in _WORD.findall(f.label.casefold())}
    vocabulary = {n.casefold(): n for n in topic_names} | {w: w for w in words if len(w) > 3}
    found: list[str] = []
    for term in terms:
        for match in difflib.get_close_matches(term.casefold(), list(vocabulary), n=limit, cutoff=0.75):
            if vocabulary[match] not in found:
                found.append(vocabulary[match])
    return found[:limit]


def closest_ids(kb: KnowledgeBase, fact_id: str, limit: int = 3) -> list[str]:
    """Fact ids close to a mistyped one."""
    ids = [f.id for f in kb.facts]
    close = difflib.get_close_matches(fact_id.casefold(), ids, n=limit, cutoff=0.6)
    return close or [i for i in ids if fact_id.casefold() in i][:limit]

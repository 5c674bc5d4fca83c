"""How far a draft (`lj-facts draft`) agrees with a knowledge file made by hand from the same report.

For each number fact of the hand-made file, the draft fact that quotes the same figure (its quote
overlaps the hand-made quote in the report and states the same leading figure), compared field by
field. A field counts where either side has it; a qualifier where either side has its figure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .model import Fact, KnowledgeBase, Qualifier
from .text import without_spaces
from .validate import coverage

COMPARED = (
    "value",
    "unit",
    "qualifier",
    "growth_pct",
    "growth_qualifier",
    "city_share_pct",
    "city_share_qualifier",
    "city_growth_gap_pp",
    "change_pp",
    "city_share_change_pp",
    "rank",
    "rank_of",
)
"""The numeric fields compared, in the issue's order."""
_FIGURE_OF = {
    "unit": "value",
    "qualifier": "value",
    "growth_qualifier": "growth_pct",
    "city_share_qualifier": "city_share_pct",
}
_LEADING = ("value", "growth_pct", "city_share_pct", "change_pp", "city_growth_gap_pp", "rank", "rank_of")
GOAL = 95.0
"""Percent of the numeric fields that must agree."""


class Difference(NamedTuple):
    """One field where the hand-made file and the draft disagree."""

    fact: str
    draft: str | None
    """The draft fact compared (None: no draft fact quotes the figure)."""
    field: str
    hand: object
    drafted: object


class Agreement(NamedTuple):
    """The comparison of a draft with a hand-made file."""

    facts: int
    """Number facts of the hand-made file."""
    matched: int
    """Of those, how many a draft fact quotes."""
    fields: dict[str, tuple[int, int]]
    """By field: (compared, equal)."""
    differences: list[Difference]
    figures: int
    """Figures of the report (as the hand-made file's `validate --source` counts them)."""
    figures_in_draft: int
    """Of those, how many the draft captures."""

    @property
    def compared(self) -> int:
        return sum(c for c, _ in self.fields.values())

    @property
    def equal(self) -> int:
        return sum(e for _, e in self.fields.values())

    @property
    def percent(self) -> float:
        return 100.0 * self.equal / self.compared if self.compared else 100.0

    @property
    def goal_met(self) -> bool:
        return self.figures_in_draft == self.figures and self.percent >= GOAL


def _present(fact: Fact, field: str) -> bool:
    value = getattr(fact, _FIGURE_OF.get(field, field))
    return value is not None


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-6
    return a == b


def _value(fact: Fact, field: str) -> object:
    value = getattr(fact, field)
    if isinstance(value, Qualifier):
        return value.value if _present(fact, field) else None
    return float(value) if isinstance(value, int) else value


def _spans(facts: tuple[Fact, ...], flat: str) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for fact in facts:
        quote = without_spaces(fact.text)
        found[fact.id] = (
            [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), flat)] if quote else []
        )
    return found


def agree(hand: KnowledgeBase, drafted: KnowledgeBase, source: str) -> Agreement:
    """Compare the draft `drafted` of `source` with the hand-made `hand`, fact by fact, field by field."""
    flat = without_spaces(source)
    hand_spans, draft_spans = _spans(hand.facts, flat), _spans(drafted.facts, flat)
    fields = {f: [0, 0] for f in COMPARED}
    differences: list[Difference] = []
    numbers = [f for f in hand.facts if f.kind.value == "number"]
    matched = 0
    for fact in numbers:
        leading = next(f for f in _LEADING if getattr(fact, f) is not None)
        candidates = [
            d
            for d in drafted.facts
            if any(a < y and x < b for a, b in hand_spans[fact.id] for x, y in draft_spans[d.id])
            and _same(_value(d, leading), _value(fact, leading))
        ]
        best = max(candidates, key=lambda d: sum(_same(_value(d, f), _value(fact, f)) for f in COMPARED), default=None)
        matched += best is not None
        for field in COMPARED:
            if not (_present(fact, field) or (best is not None and _present(best, field))):
                continue
            fields[field][0] += 1
            mine, theirs = _value(fact, field), _value(best, field) if best is not None else None
            if _same(mine, theirs):
                fields[field][1] += 1
            else:
                differences.append(Difference(fact.id, best.id if best else None, field, mine, theirs))
    with_names = drafted._replace(meta=drafted.meta._replace(names=hand.meta.names))
    of_hand, of_draft = coverage(hand, source), coverage(with_names, source)
    return Agreement(
        facts=len(numbers),
        matched=matched,
        fields={f: (c, e) for f, (c, e) in fields.items()},
        differences=differences,
        figures=of_hand.checked,
        figures_in_draft=of_draft.checked - len(of_draft.problems),
    )


def report(a: Agreement) -> str:
    """The agreement as a plain-text table, then every difference."""
    lines = [
        f"figures of the report in the draft: {a.figures_in_draft} of {a.figures}",
        f"number facts of the hand-made file quoted by a draft fact: {a.matched} of {a.facts}",
        "",
        f"{'field':<22}{'compared':>9}{'equal':>7}{'agree':>8}",
    ]
    for field, (compared, equal) in a.fields.items():
        share = f"{100 * equal / compared:.1f}%" if compared else "-"
        lines.append(f"{field:<22}{compared:>9}{equal:>7}{share:>8}")
    lines.append(f"{'all numeric fields':<22}{a.compared:>9}{a.equal:>7}{a.percent:>7.1f}%")
    lines.append("")
    verdict = "met" if a.goal_met else "NOT met"
    lines.append(f"goal (every figure in the draft, >= {GOAL:g}% of the fields equal): {verdict}")
    if a.differences:
        lines.append("")
        lines.append("differences (hand-made file / draft):")
        for d in a.differences:
            lines.append(f"  {d.fact} / {d.draft or '(none)'}: {d.field}: {d.hand} / {d.drafted}")
    return "\n".join(lines)

"""`lj-facts draft` measured on real releases (tests/releases): figures in the right field, periods, strays.

The goals are those of the issue, on releases in English, simplified and traditional characters,
drafted with no options: figures in the right field >= 90 % overall and >= 85 % in each script,
periods right >= 85 %, drafted figures not in the text or in the wrong field <= 10 %.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from lj_facts.draft import draft, to_toml
from lj_facts.load import parse
from lj_facts.model import FIGURE_FIELDS, Fact

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RELEASES = Path(__file__).parent / "releases"
TUNED = tomllib.loads((RELEASES / "expected.toml").read_text(encoding="utf-8"))["release"]
"""The eleven releases the parser was built on."""
HELD_OUT = tomllib.loads((RELEASES / "heldout.toml").read_text(encoding="utf-8"))["release"]
"""Releases collected and labelled after it was built, before any draft of them was read."""
FINAL = tomllib.loads((RELEASES / "final.toml").read_text(encoding="utf-8"))["release"]
"""Releases collected and labelled before the fixes made on the held-out ones, drafted only after them."""
CHECK2 = tomllib.loads((RELEASES / "check2.toml").read_text(encoding="utf-8"))["release"]
"""A second fresh check, traditional-heavy: collected and labelled after the final set's fixes, before any draft of them."""
EXPECTED = TUNED + HELD_OUT + FINAL + CHECK2
_WITH_UNIT = ("value", "change")

Figure = tuple[str, float, str, str, str]
"""field, value, unit (for value and change), period, and what it is beside a plain result
(`target`, `forecast`, `per-day`, …: space-separated, empty for a result)."""


def drafted(name: str) -> list[Figure]:
    """The figures of the draft of a release, drafted with no options, read back as a knowledge file."""
    text = (RELEASES / name).read_text(encoding="utf-8")
    kb = parse(tomllib.loads(to_toml(draft(text, name))), "draft")
    return [figure for fact in kb.facts for figure in _figures(fact)]


def _figures(fact: Fact) -> list[Figure]:
    kind = " ".join(
        k for k in (fact.status if fact.status != "result" else "", f"per-{fact.per}" if fact.per else "") if k
    )
    return [
        (field, float(value), fact.unit or "" if field in _WITH_UNIT else "", fact.period or "not-given", kind)
        for field in FIGURE_FIELDS
        if (value := getattr(fact, field)) is not None and field != "growth_span_years"
    ]


def _expected(row: list[object]) -> Figure:
    field, value, unit, period, *kind = row
    return str(field), float(value), str(unit), str(period), " ".join(sorted(str(k) for k in kind))  # type: ignore[arg-type]


class Score:
    """How a release's draft measures against its hand-written figures."""

    def __init__(self, expected: list[Figure], found: list[Figure]) -> None:
        left = list(found)
        self.expected, self.drafted = len(expected), len(found)
        self.right = self.periods = 0
        self.missed: list[Figure] = []
        for field, value, unit, period, kind in expected:
            match = next(
                (f for f in left if f[0] == field and abs(f[1] - value) < 1e-6 and f[2] == unit and _same(f[4], kind)),
                None,
            )
            if match is None:
                self.missed.append((field, value, unit, period, kind))
                continue
            left.remove(match)
            self.right += 1
            self.periods += match[3] == period
        self.strays = left
        """Drafted figures that are not in the text, or not in that field."""


def _same(drafted_kind: str, kind: str) -> bool:
    return sorted(drafted_kind.split()) == kind.split()


def _scores() -> dict[str, Score]:
    return {r["file"]: Score([_expected(f) for f in r["figures"]], drafted(r["file"])) for r in EXPECTED}


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return _scores()


def _share(numerator: int, denominator: int) -> float:
    return 100.0 * numerator / denominator if denominator else 100.0


def test_every_script_is_represented():
    """The set holds English, simplified and traditional releases, each file with its expected figures."""
    assert Counter(r["script"] for r in EXPECTED).keys() == {"english", "simplified", "traditional"}
    assert {r["file"] for r in EXPECTED} == {p.name for p in RELEASES.glob("*.txt")}


SETS = {"tuned": TUNED, "held-out": HELD_OUT, "final": FINAL, "check2": CHECK2, "all": EXPECTED}
"""The goals hold on each set alone: the releases the parser was built on, the held-out ones, the two checks."""


def _of(scores: dict[str, Score], group: list[dict[str, object]], script: str | None = None) -> list[Score]:
    return [scores[str(r["file"])] for r in group if script is None or r["script"] == script]


@pytest.mark.parametrize("name", SETS)
def test_figures_in_the_right_field(scores, name):
    """>= 90 % of the releases' figures are drafted in the right field (value and unit, growth, share, …)."""
    mine = _of(scores, SETS[name])
    right, total = sum(s.right for s in mine), sum(s.expected for s in mine)
    assert _share(right, total) >= 90, [s.missed for s in mine if s.missed]


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("script", ["english", "simplified", "traditional"])
def test_figures_in_the_right_field_in_each_script(scores, name, script):
    """>= 85 % in each of English, simplified and traditional characters."""
    mine = _of(scores, SETS[name], script)
    right, total = sum(s.right for s in mine), sum(s.expected for s in mine)
    assert total and _share(right, total) >= 85, [s.missed for s in mine if s.missed]


@pytest.mark.parametrize("name", SETS)
def test_periods(scores, name):
    """>= 85 % of the figures found have the period the text gives them (not-given where it gives no year)."""
    mine = _of(scores, SETS[name])
    right, found = sum(s.periods for s in mine), sum(s.right for s in mine)
    assert _share(right, found) >= 85


@pytest.mark.parametrize("name", SETS)
def test_few_strays(scores, name):
    """<= 10 % of the drafted figures are not in the text or sit in the wrong field."""
    mine = _of(scores, SETS[name])
    strays, drafted_ = sum(len(s.strays) for s in mine), sum(s.drafted for s in mine)
    assert _share(strays, drafted_) <= 10, [s.strays for s in mine if s.strays]


def test_quotes_are_verbatim():
    """Every drafted quote stands in its release as written, traditional characters and all (white space aside)."""
    for r in EXPECTED:
        text = (RELEASES / r["file"]).read_text(encoding="utf-8")
        flat = "".join(text.split())
        kb = parse(tomllib.loads(to_toml(draft(text, r["file"]))), "draft")
        assert all("".join(f.text.split()) in flat for f in kb.facts), r["file"]


def summary(scores: dict[str, Score]) -> list[str]:
    """Figures right, periods right and strays, for the tuned and the held-out releases, by script and overall."""
    lines = []
    for label, group in SETS.items():
        for script in ("simplified", "traditional", "english", None):
            mine = [scores[r["file"]] for r in group if script is None or r["script"] == script]
            right, total = sum(s.right for s in mine), sum(s.expected for s in mine)
            periods = sum(s.periods for s in mine)
            strays, drafted_ = sum(len(s.strays) for s in mine), sum(s.drafted for s in mine)
            lines.append(
                f"{label:9} {script or 'overall':12} right {right:3}/{total:3} {_share(right, total):5.1f}%  "
                f"periods {periods:3}/{right:3} {_share(periods, right):5.1f}%  "
                f"strays {strays:3}/{drafted_:3} {_share(strays, drafted_):5.1f}%"
            )
    return lines


if __name__ == "__main__":  # python -m tests.test_releases: the scores, release by release, then the totals
    for name, s in _scores().items():
        print(
            f"{name:40} right {s.right}/{s.expected}  periods {s.periods}/{s.right}  strays {len(s.strays)}/{s.drafted}"
        )
        for m in s.missed:
            print("   missed", m)
        for m in s.strays:
            print("   stray ", m)
    print("\n".join(summary(_scores())))

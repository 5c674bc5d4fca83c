"""The city view's marks say what each figure is, and the figures of a column share one style.

A published city total that is compared (the GDP, 12,903.41 亿元*) carries no mark saying "context
only": ‡ follows the label of a fact beside which other city figures (the GDP's sectors) are shown as
context. Published and implied totals in one column are written alike (thousands separated).
"""

from __future__ import annotations

import re

import pytest

from lj_facts import displays as render
from lj_facts.cli import app
from lj_facts.compare import city_view, compare
from lj_facts.displays import CONTEXT, CONTEXT_NOTE, OTHER_PERIOD

UNGROUPED = re.compile(r"\d{4,}")
"""Four digits in a row: a number of thousands written without its separator (12903.41)."""


def _column(display, header):
    at = [c.header for c in display.columns].index(header)
    return [row[at] for row in display.rows]


@pytest.fixture(scope="module")
def views(shipped_index):
    """The shipped base's city view, its facts listed with --city, and its growth chart, as displays."""
    index = shipped_index
    pairs = city_view(index.city_facts(), index.city_figures)
    facts = [f for f, _ in pairs]
    comparisons = [c for _, c in pairs]
    every = index.all_facts()
    every_c = [compare(f, index.city_figures) for f in every]
    grown = [(f, c) for f, c in zip(every, every_c, strict=True) if f.growth_pct is not None]
    return {
        "city": (render.city_display(facts, comparisons), facts, comparisons),
        "facts --city": (render.facts_display(every, every_c), every, every_c),
        "growth": (
            render.growth_display([f for f, _ in grown], [c for _, c in grown]),
            *map(list, zip(*grown, strict=True)),
        ),
    }


@pytest.fixture(scope="module")
def shipped_index():
    from tests.conftest import index_of

    return index_of()


VIEWS = ("city", "facts --city", "growth")


class TestContextMark:
    def test_the_compared_gdp_total_carries_no_context_mark(self, runner):
        """The issue's row: 12,903.41 亿元* (published, compared), ‡ after the label (its sectors are context)."""
        out = runner.invoke(app, ["city", "-f", "table", "--color", "never"], env={"COLUMNS": "200"}).stdout
        (gdp,) = [line for line in out.splitlines() if line.startswith("gross domestic product")]
        assert "12,903.41 亿元*" in gdp
        assert "12,903.41 亿元*‡" not in gdp and "12903.41" not in gdp
        assert gdp.startswith("gross domestic product (GDP) of the whole area (全域) ‡ ")
        assert "‡ economy.gdp: city context, not compared: 第一产业增加值" in " ".join(out.split())

    @pytest.mark.parametrize("view", VIEWS)
    def test_no_figure_carries_the_context_mark(self, views, view):
        """‡ would say the figure beside it is not compared: it never stands in a figure column."""
        display = views[view][0]
        for i, column in enumerate(display.columns):
            if column.figure:
                assert not any(CONTEXT in row[i] for row in display.rows), column.header

    @pytest.mark.parametrize("view", VIEWS)
    def test_exactly_the_facts_with_context_figures_are_marked(self, views, view):
        display, facts, comparisons = views[view]
        labels = _column(display, "Fact")
        marked = [f.id for f, label in zip(facts, labels, strict=True) if label.endswith(f" {CONTEXT}")]
        with_context = [f.id for f, c in zip(facts, comparisons, strict=True) if c is not None and c.context]
        assert marked == with_context and marked
        noted = {note.split(":")[0].removeprefix(f"{CONTEXT} ") for note in display.notes if note.startswith(CONTEXT)}
        assert noted == set(with_context), "every marked fact has its context figures in the notes, no other"

    @pytest.mark.parametrize("view", VIEWS)
    def test_the_legend_says_what_the_mark_is(self, views, view):
        """The caption's line for ‡ is there where a label carries it, and says it marks the fact."""
        display = views[view][0]
        caption = render._captioned(display).caption
        assert CONTEXT_NOTE in caption
        assert CONTEXT_NOTE.startswith("‡ city figures shown as context only, not compared with the fact it follows")

    def test_no_legend_line_without_the_mark(self, views):
        _, facts, comparisons = views["city"]
        plain = [(f, c) for f, c in zip(facts, comparisons, strict=True) if not c.context]
        shown = render.city_display([f for f, _ in plain], [c for _, c in plain])
        assert CONTEXT not in render._captioned(shown).caption
        assert not any(CONTEXT in cell for row in shown.rows for cell in row[:9])

    def test_the_other_period_mark_stays_on_its_figure(self, views):
        """† says something of the figure itself (its period): it stays beside it."""
        display, facts, comparisons = views["facts --city"]
        totals = _column(display, "City total")
        for fact, c, cell in zip(facts, comparisons, totals, strict=True):
            if c is not None and c.published is not None and c.published.value is not None:
                assert cell.endswith(OTHER_PERIOD) is (c.periods_match(fact) is False), fact.id

    def test_markdown_marks_the_label(self, runner):
        out = runner.invoke(app, ["city", "-f", "markdown"]).stdout
        (gdp,) = [line for line in out.splitlines() if line.startswith("| gross domestic product")]
        cells = [cell.strip() for cell in gdp.split(" | ")]
        assert cells[0] == "| gross domestic product (GDP) of the whole area (全域) ‡"
        assert "12,903.41 亿元\\*" in cells and not any("‡" in cell for cell in cells[1:9])
        assert CONTEXT_NOTE in out


class TestOneStyleAColumn:
    @pytest.mark.parametrize("view", ["city", "facts --city"])
    @pytest.mark.parametrize("header", ["City total", "Bounds"])
    def test_thousands_are_separated_in_every_city_total(self, views, view, header):
        """Published (12,903.41) and implied (≈12,321) alike: no column mixes 12903.41 and ≈12,321."""
        cells = [cell for cell in _column(views[view][0], header) if cell]
        assert cells and not [cell for cell in cells if UNGROUPED.search(cell)]
        assert any("," in cell for cell in cells)

    def test_the_shipped_city_column_holds_published_and_implied(self, views):
        """The column the issue saw: both kinds, one style."""
        totals = _column(views["city"][0], "City total")
        assert "12,903.41 亿元*" in totals and "≈12,321 亿元" in totals and "3,766 亿元*" in totals

    def test_a_picked_city_total_column_is_one_style(self, runner):
        out = runner.invoke(
            app, ["city", "--fields", "id,city_total,city_total_published", "-f", "table"], env={"COLUMNS": "120"}
        ).stdout
        rows = {
            line.split()[0]: line.split()[1:] for line in out.splitlines() if re.match(r"[a-z-]+\.[a-z0-9.-]+ ", line)
        }
        assert rows["economy.gdp"] == ["12,903.41", "12,903.41"]
        assert rows["industry.gross-output"] == ["≈12,321"]
        assert not UNGROUPED.search(out.split("\n\n")[1])

    def test_the_machine_formats_keep_the_numbers(self, runner):
        """Separators are for people: the JSON total is the number as published."""
        import json

        rows = json.loads(runner.invoke(app, ["city", "--json"]).stdout)
        (gdp,) = [r for r in rows if r["id"] == "economy.gdp"]
        assert gdp["city_total"] == 12903.41 and gdp["city_context"]

    def test_help_shows_the_style_and_the_mark(self, runner):
        out = runner.invoke(app, ["--help"], env={"COLUMNS": "120"}).stdout
        assert "3,766*" in out and "after a fact: city figures shown as context only" in out

"""The city comparison in every view and format: periods said, computed shares, narrowing `city`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lj_facts.cli import app
from lj_facts.compare import compare
from lj_facts.model import CityFigure, Fact, Kind, Meta
from lj_facts.render import (
    CITY_COLUMNS,
    FACT_COLUMNS,
    card_display,
    city_display,
    fact_row,
    facts_display,
    write_markdown,
)

META = Meta("t", "r", "r", "c", "c", "2021-H1", "stated")

WIDTHS = ("80", "100", "120", "160")
MACHINE = ("json", "jsonl", "csv", "tsv")

CITY_VIEWS = (
    ("industry", "--city"),
    ("search", "利润", "--city"),
    ("show", "industry.profits"),
    ("city",),
    ("city", "industry"),
)
"""Every view that puts industrial profits (2021-H1) beside the city's profits (January–May)."""


def machine_rows(runner, args: tuple[str, ...], fmt: str) -> list[dict]:
    """The rows of a command in a machine format, parsed back (CSV and TSV cells as strings)."""
    result = runner.invoke(app, [*args, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def table(runner, args: tuple[str, ...], width: str) -> str:
    result = runner.invoke(app, [*args, "--format", "table", "--color", "never"], env={"COLUMNS": width})
    assert result.exit_code == 0, result.stderr
    return result.stdout


class TestPeriodMismatch:
    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize("args", CITY_VIEWS, ids=" ".join)
    def test_table_marks_and_explains_at_every_width(self, runner, args, width):
        """At 80 to 160 columns, with the Note column dropped or not, the mismatch is marked and explained."""
        out = table(runner, args, width)
        flat = " ".join(out.split())
        if args[0] == "show":
            assert "† the city figure covers 2021-01/2021-05, the report's 2021-H1" in flat
        else:
            assert "642.47 亿元*†" in out, "the city figure of another period is marked in its row"
            assert "† industry.profits: the city figure covers 2021-01/2021-05, the report's 2021-H1" in flat

    @pytest.mark.parametrize("args", CITY_VIEWS, ids=" ".join)
    def test_markdown_marks_and_explains(self, runner, args):
        out = runner.invoke(app, [*args, "--format", "markdown"]).stdout
        assert "†" in out
        if args[0] != "show":
            assert "† industry.profits: the city figure covers 2021-01/2021-05, the report's 2021-H1" in out

    def test_no_mark_where_the_periods_match(self, runner):
        out = table(runner, ("economy", "--city"), "160")
        assert "12903.41 亿元*" in out and "12903.41 亿元*†" not in out
        assert "† economy.gdp" not in out

    @pytest.mark.parametrize("fmt", MACHINE)
    @pytest.mark.parametrize("args", CITY_VIEWS, ids=" ".join)
    def test_machine_rows_carry_city_period_and_periods_match(self, runner, args, fmt):
        """Every --city row has both keys; a row with a city figure has them filled, true or false."""
        rows = machine_rows(runner, args, fmt)
        for row in rows:
            assert "city_period" in row and "periods_match" in row
        by_id = {r["id"]: r for r in rows}
        profits = by_id["industry.profits"]
        assert profits["city_period"] == "2021-01/2021-05"
        assert profits["periods_match"] in (False, "false")
        for row in rows:
            if row["city_figure"] in (None, ""):
                assert row["periods_match"] in (None, "")

    def test_periods_match_true_where_they_match(self, runner):
        rows = {r["id"]: r for r in machine_rows(runner, ("economy", "--city"), "json")}
        assert rows["economy.gdp"]["periods_match"] is True
        assert rows["economy.gdp"]["city_period"] == "2021-H1"
        tsv = {r["id"]: r for r in machine_rows(runner, ("economy", "--city"), "tsv")}
        assert tsv["economy.gdp"]["periods_match"] == "true"

    def test_city_keys_in_order(self, runner):
        rows = machine_rows(runner, ("industry", "--city"), "json")
        assert list(rows[0]) == list(FACT_COLUMNS + CITY_COLUMNS)
        assert CITY_COLUMNS.index("periods_match") == CITY_COLUMNS.index("city_period") + 1


SHARES = {
    "trade.foreign-trade": (1355 / 3766 * 100, "(36.0%)"),
    "trade.foreign-capital": (13.5 / 48.2 * 100, "(28.0%)"),
}


def share_views(fact_id: str) -> list[tuple[str, ...]]:
    search_term = {"trade.foreign-trade": "进出口", "trade.foreign-capital": "外资"}[fact_id]
    return [
        ("trade", "--city"),
        ("search", search_term, "--city"),
        (search_term, "--city"),
        ("show", fact_id),
        ("city",),
        ("city", "trade"),
    ]


class TestOneShareEveryView:
    @pytest.mark.parametrize("fact_id", SHARES)
    def test_the_same_computed_share_in_every_view_and_format(self, runner, fact_id):
        """value ÷ published city total: the same figure in TOPIC --city, search --city, show and city, in
        JSON, JSONL, CSV and TSV; and in brackets, marked as computed, in the table and markdown."""
        share, shown = SHARES[fact_id]
        for args in share_views(fact_id):
            for fmt in MACHINE:
                rows = machine_rows(runner, args, fmt)
                assert all("city_share_computed_pct" in r for r in rows), (args, fmt)
                row = next(r for r in rows if r["id"] == fact_id)
                assert float(row["city_share_computed_pct"]) == pytest.approx(share, abs=1e-5), (args, fmt)
            for width in WIDTHS:
                assert shown in table(runner, args, width), (args, width)
            assert shown in runner.invoke(app, [*args, "--format", "markdown"]).stdout, args

    def test_computed_share_is_explained_in_the_caption(self, runner):
        flat = " ".join(table(runner, ("trade", "--city"), "80").split())
        assert "(36.0%) a share computed: value ÷ the published city total" in flat

    def test_no_computed_share_without_city(self, runner):
        """Without --city the listing shows the report's shares only."""
        assert "(36.0%)" not in table(runner, ("trade",), "160")


class TestCityNarrowed:
    def test_city_of_a_topic(self, runner):
        rows = machine_rows(runner, ("city", "trade"), "json")
        topic = {r["id"] for r in machine_rows(runner, ("trade",), "json")}
        assert {r["id"] for r in rows} <= topic
        assert {"trade.foreign-trade", "trade.foreign-capital"} <= {r["id"] for r in rows}
        assert "economy.gdp" not in {r["id"] for r in rows}

    def test_city_of_a_search(self, runner):
        rows = machine_rows(runner, ("city", "利用外资"), "json")
        assert [r["id"] for r in rows] == ["trade.foreign-capital"]

    def test_city_of_words_matching_nothing_exits_1(self, runner):
        result = runner.invoke(app, ["city", "zzzqqq"])
        assert result.exit_code == 1 and result.stdout == ""
        assert "nothing matches 'zzzqqq'" in result.stderr

    def test_city_of_facts_without_comparison_exits_1(self, runner):
        result = runner.invoke(app, ["city", "health"])
        assert result.exit_code == 1
        assert "no fact of 'health' compares with the city" in result.stderr

    def test_city_shows_liangjiang_growth_beside_the_city_growth(self, runner):
        out = table(runner, ("city", "trade"), "160")
        assert "Growth  City growth" in out
        line = next(line for line in out.splitlines() if "foreign trade" in line)
        assert line.index("+55%") < line.index("+37.6%*")


PERIODS = st.sampled_from(["2021-H1", "2021-01/2021-05", "2021-06-30", "2021", "per-year", "not-given"])


class TestPeriodProperty:
    @settings(max_examples=60, deadline=None)
    @given(fact_period=PERIODS, city_period=PERIODS, value=st.one_of(st.none(), st.floats(1, 1e4)))
    def test_marked_and_explained_exactly_when_periods_differ(self, fact_period, city_period, value):
        """For any pair of periods: `periods_match` says whether they are equal; every view for people marks
        the city figure and footnotes it exactly when they differ, and the markdown carries the footnote."""
        fact = Fact(
            "a.b", ("a",), "x", "y", Kind.NUMBER, value=value, unit="亿元" if value else None,
            growth_pct=10.0, period=fact_period, city_figure="city.x",
        )  # fmt: skip
        figure = CityFigure("city.x", "x", "x", city_period, "s", value=100.0, unit="亿元", growth_pct=5.0)
        c = compare(fact, {"city.x": figure})
        differ = fact_period != city_period
        assert c.periods_match(fact) is (not differ)
        assert fact_row(fact, c, True)["periods_match"] is (not differ)
        for display in (facts_display([fact], [c]), city_display([fact], [c])):
            cells = " ".join(" ".join(row) for row in display.rows)
            assert ("†" in cells) is differ
            assert bool(display.notes) is differ
            out = io.StringIO()
            write_markdown(display, out)
            assert (f"† a.b: {c.period_note(fact)}" in out.getvalue()) is differ
        assert ("Beware" in str(card_display(fact, c, {}, META).rows)) is differ

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
from lj_facts.displays import card_display, city_display, facts_display, write_markdown
from lj_facts.model import CityFigure, Fact, Kind, Meta
from lj_facts.rows import CITY_COLUMNS, FACT_COLUMNS, fact_row

from .conftest import MINIMAL

META = Meta("t", "r", "r", "c", "c", "2021-H1", "stated")

CITY_FILE = (
    MINIMAL
    + """
[topics.trade]
name = "Trade"
name_zh = "外贸"

[[facts]]
id = "industry.profits"
topics = ["industry"]
label = "industrial profits (above designated size)"
text = "规上工业利润增长6.1倍"
kind = "number"
growth_pct = 610
city_figure = "city.industrial-profits"

[[facts]]
id = "trade.foreign-trade"
topics = ["trade"]
label = "foreign trade (imports and exports)"
text = "完成外贸进出口额1355亿元、增长55%"
kind = "number"
value = 1355
unit = "亿元"
growth_pct = 55
city_figure = "city.foreign-trade"
city_context = ["city.exports"]

[[city_figures]]
id = "city.industrial-profits"
label = "profits of industrial enterprises above designated size"
label_zh = "规模以上工业企业利润总额"
value = 642.47
unit = "亿元"
growth_pct = 110
period = "2021-01/2021-05"
source = "重庆市统计局"

[[city_figures]]
id = "city.foreign-trade"
label = "foreign trade"
label_zh = "外贸进出口总值"
value = 3766
unit = "亿元"
growth_pct = 37.6
period = "2021-H1"
source = "重庆海关"

[[city_figures]]
id = "city.exports"
label = "exports"
label_zh = "出口总值"
value = 2321
unit = "亿元"
growth_pct = 37.7
period = "2021-H1"
source = "重庆海关"
note = "Exports alone, not foreign trade."
"""
)
"""A knowledge file with a city figure of another period (profits, January–May) and one shown as context."""

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


@pytest.fixture
def city_file(write_file):
    return str(write_file(text=CITY_FILE))


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
    def test_table_marks_and_explains_at_every_width(self, runner, args, width, city_file):
        """At 80 to 160 columns, with the Note column dropped or not, the mismatch is marked and explained."""
        out = table(runner, (*args, "--file", city_file), width)
        flat = " ".join(out.split())
        if args[0] == "show":
            assert "† the city figure covers 2021-01/2021-05, the report's 2021-H1" in flat
        else:
            assert "642.47 亿元*†" in out, "the city figure of another period is marked in its row"
            assert "† industry.profits: the city figure covers 2021-01/2021-05, the report's 2021-H1" in flat

    @pytest.mark.parametrize("args", CITY_VIEWS, ids=" ".join)
    def test_markdown_marks_and_explains(self, runner, args, city_file):
        out = runner.invoke(app, [*args, "--format", "markdown", "--file", city_file]).stdout
        assert "†" in out
        if args[0] != "show":
            assert "† industry.profits: the city figure covers 2021-01/2021-05, the report's 2021-H1" in out

    def test_no_mark_where_the_periods_match(self, runner):
        out = table(runner, ("economy", "--city"), "160")
        assert "12903.41 亿元*" in out and "12903.41 亿元*†" not in out
        assert "† economy.gdp" not in out

    @pytest.mark.parametrize("fmt", MACHINE)
    @pytest.mark.parametrize("args", CITY_VIEWS, ids=" ".join)
    def test_machine_rows_carry_city_period_and_periods_match(self, runner, args, fmt, city_file):
        """Every --city row has both keys; a row with a city figure has them filled, true or false."""
        rows = machine_rows(runner, (*args, "--file", city_file), fmt)
        for row in rows:
            assert "city_period" in row and "periods_match" in row
        by_id = {r["id"]: r for r in rows}
        profits = by_id["industry.profits"]
        assert profits["city_period"] == "2021-01/2021-05"
        assert profits["periods_match"] in (False, "false")
        for row in rows:
            if row["city_figure"] in (None, ""):
                assert row["periods_match"] in (None, "")

    @pytest.mark.parametrize("width", WIDTHS)
    def test_every_shipped_mismatch_is_footnoted(self, runner, width):
        """Whatever the shipped data links: each row whose periods differ is footnoted in the table."""
        rows = machine_rows(runner, ("city",), "json")
        flat = " ".join(table(runner, ("city",), width).split())
        for row in rows:
            if row["periods_match"] is False:
                assert f"† {row['id']}: {row['city_note']}" in flat

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


class TestCityContext:
    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize("args", [("trade", "--city"), ("city",), ("search", "进出口", "--city")], ids=" ".join)
    def test_context_figures_are_marked_and_listed_under_the_table(self, runner, args, width, city_file):
        """A figure shown as context is never compared, but it is shown, with its period and its note."""
        out = table(runner, (*args, "--file", city_file), width)
        assert "3766 亿元*‡" in out
        flat = "".join(out.split())  # the table wraps Chinese text between characters, without a space
        expected = (
            "‡ trade.foreign-trade: city context, not compared: 出口总值: 2321 亿元, growth +37.7%, 2021-H1, 重庆市 "
            "(city.exports) — Exports alone, not foreign trade."
        )
        assert "".join(expected.split()) in flat

    def test_context_in_markdown_and_rows(self, runner, city_file):
        out = runner.invoke(app, ["trade", "--city", "-f", "markdown", "--file", city_file]).stdout
        assert "‡ trade.foreign-trade: city context, not compared: 出口总值" in out
        (row,) = machine_rows(runner, ("trade", "--city", "--file", city_file), "json")
        assert row["city_context"] == ["city.exports"]
        assert row["city_share_computed_pct"] == pytest.approx(1355 / 3766 * 100, abs=1e-5), "the linked one"


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


class TestGrowthCaption:
    @pytest.mark.parametrize("fmt", ["table", "markdown"])
    def test_growth_names_the_report_and_explains_its_marks(self, runner, city_file, fmt):
        """`growth`'s caption names the report as `industry`'s and `city`'s do, and the † it shows beside a
        city figure of another period (and ‡ beside context figures) is explained in notes below it."""
        result = runner.invoke(
            app, ["growth", "--file", city_file, "-f", fmt, "--color", "never"], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0, result.stderr
        flat = " ".join(result.stdout.split())
        assert "year-on-year growth rates · Liangjiang New Area (两江新区) · A report" in flat
        assert "+110%*†" in flat.replace("\\*", "*"), "the city figure of another period is marked"
        assert "† industry.profits: the city figure covers 2021-01/2021-05, the report's 2021-H1" in flat
        assert "‡ trade.foreign-trade: city context, not compared" in flat
        assert "*‡" in flat.replace("\\*", "*"), "the row whose context figure is noted carries the mark"

    def test_shipped_growth_caption_names_the_report(self, runner):
        """The shipped file's title, as in the `industry` caption."""
        out = runner.invoke(app, ["growth", "-f", "markdown"]).stdout
        assert "25 year-on-year growth rates · Liangjiang New Area (两江新区) · 两江新区2021年上半年发展专题报道" in out

    def test_picked_growth_fields_keep_the_caption(self, runner):
        """With --fields, the caption still names the region and the report."""
        out = runner.invoke(app, ["growth", "-f", "markdown", "--fields", "id,growth_pct"]).stdout
        assert "Liangjiang New Area (两江新区) · 两江新区2021年上半年发展专题报道" in out

    @pytest.mark.parametrize("args", [["search", "利润", "--city"], ["growth", "industry"]])
    def test_a_lone_context_mark_explains_no_city_figure(self, runner, args):
        """A cell holding only ‡ (context figures, nothing compared) is explained as context only: not as
        a city total implied from a share, nor as a city growth implied from a gap."""
        out = runner.invoke(app, [*args, "-f", "markdown"]).stdout
        assert "‡ city figures shown as context only" in out
        assert "city total implied" not in out and "city growth without" not in out


class TestCaptionsExplainOnlyWhatIsShown:
    """A caption says what a column or a mark means only where the table shows it."""

    @pytest.mark.parametrize(
        ("args", "growth", "city_growth"),
        [
            (("city", "-n", "3"), True, False),  # Liangjiang's growth shown, no city growth among the three
            (("city", "trade"), True, True),
            (("city", "-n", "2", "--sort", "city_share_pct", "-r", "--topic", "auto"), False, False),
            (("city", "--fields", "id,growth_pct,city_growth_pct"), False, False),  # no Growth column at all
        ],
    )
    def test_city_caption_says_whose_growth_only_for_the_columns_shown(self, runner, args, growth, city_growth):
        out = table(runner, args, "200")
        heads = out.split("─")[0]
        assert ("Growth" in heads.replace("City growth", "")) == growth
        assert ("City growth" in heads) == city_growth
        flat = " ".join(out.split())
        assert ("Growth: Liangjiang's" in flat) == growth
        assert ("City growth: the city's" in flat) == city_growth

    def test_span_mark_is_explained_as_it_is_shown(self, runner):
        """A growth over 5 years in a table that is not sorted by growth: `%/5y` explained, no word of a sort."""
        out = " ".join(table(runner, ("health",), "200").split())
        assert "+100%/5y" in out
        assert "%/5y: growth over 5 years (growth_span_years), not year on year" in out
        assert "sorted" not in out

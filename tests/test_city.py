"""The city: comparisons, the city views and the city's own published figures."""

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
from lj_facts.index import shipped_path
from lj_facts.load import load
from lj_facts.model import CityFigure, Fact, Kind, Meta
from lj_facts.rows import CITY_COLUMNS, CITY_FIGURE_COLUMNS, FACT_COLUMNS, fact_row

from .conftest import MINIMAL, index_of, rows, run


def city_rows(runner, *args: str) -> dict[str, dict]:
    return {row["id"]: row for row in rows(runner, *args, "--city")}


class TestImpliedTotals:
    def test_implied_total_and_bounds_from_rounding(self, shipped):
        """2008.3 亿元 at 16.3 %: the city total lies between 2008.25/16.35 and 2008.35/16.25 (×100)."""
        c = compare(shipped.fact("industry.gross-output"), shipped.city_figures)
        assert c.implied_total == pytest.approx(2008.3 / 16.3 * 100)
        assert c.implied_low == pytest.approx(2008.25 / 16.35 * 100)
        assert c.implied_high == pytest.approx(2008.35 / 16.25 * 100)
        assert c.total_source == "implied"

    @pytest.mark.parametrize(
        "fact_id", ["auto.vehicle-production", "digital.value-added", "opening.singapore-contract-value"]
    )
    def test_no_bounds_where_value_or_share_is_qualified(self, shipped, fact_id):
        c = compare(shipped.fact(fact_id), shipped.city_figures)
        assert c.implied_total is not None
        assert c.implied_low is None and c.implied_high is None

    def test_fraction_share(self, shipped):
        """总量占全市的1/10: 918 亿元 implies about 9,180 亿元 for the city."""
        c = compare(shipped.fact("economy.investment-attracted"), shipped.city_figures)
        assert c.implied_total == pytest.approx(9180)


class TestCityGrowth:
    def test_growth_minus_gap(self, shipped):
        """增长31.7%，比全市高12.7个百分点: the city grew 19.0 %, as the city itself published."""
        c = compare(shipped.fact("industry.value-added"), shipped.city_figures)
        assert c.implied_growth_pct == pytest.approx(19.0)
        assert (c.city_growth_pct, c.city_growth_source) == (19.0, "published")

    def test_gap_alone_gives_implied_growth(self, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.va"\ntopics = ["industry"]\nlabel = "x"\ntext = "增长31.7%，比全市高12.7个百分点"\n'
            'kind = "number"\ngrowth_pct = 31.7\ncity_growth_gap_pp = 12.7\n'
        )
        index = index_of(path)
        c = compare(index.fact("a.va"), index.city_figures)
        assert (c.city_growth_pct, c.city_growth_source) == (pytest.approx(19.0), "implied")


class TestPublishedFigures:
    def test_published_gdp_beside_the_implied_total(self, shipped):
        c = compare(shipped.fact("economy.gdp"), shipped.city_figures)
        assert (c.total, c.total_source) == (12903.41, "published")
        assert c.implied_low <= 12903.41 <= c.implied_high, "the report's share agrees with the city's GDP"
        assert c.difference == pytest.approx(12903.41 - 2000.2 / 15.5 * 100)

    @pytest.mark.parametrize(
        ("fact_id", "share"), [("trade.foreign-trade", 1355 / 3766 * 100), ("trade.foreign-capital", 13.5 / 48.2 * 100)]
    )
    def test_share_computed_where_the_report_gives_none(self, shipped, fact_id, share):
        c = compare(shipped.fact(fact_id), shipped.city_figures)
        assert c.computed_share_pct == pytest.approx(share, abs=1e-5)

    def test_different_period_is_said(self, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.profits"\ntopics = ["industry"]\nlabel = "x"\ntext = "利润增长6.1倍"\n'
            'kind = "number"\ngrowth_pct = 610\ncity_figure = "city.profits"\n'
            '\n[[city_figures]]\nid = "city.profits"\nlabel = "p"\nlabel_zh = "利润"\ngrowth_pct = 110\n'
            'period = "2021-01/2021-05"\nsource = "s"\n'
        )
        index = index_of(path)
        fact = index.fact("a.profits")
        c = compare(fact, index.city_figures)
        assert c.period_note(fact) == "the city figure covers 2021-01/2021-05, the report's 2021-H1"

    def test_shipped_links_only_figures_of_the_same_period(self, shipped):
        """A city figure of another period (profits: January–May) is context, never the fact's link."""
        profits = shipped.fact("industry.profits")
        assert profits.city_figure is None
        assert profits.city_context == ("city.industrial-profits",)
        kb = load(shipped_path())
        for fact in kb.facts:
            if fact.city_figure:
                assert kb.city_figures[fact.city_figure].period == fact.period, fact.id

    def test_shipped_context_figures_say_the_difference(self):
        """A figure shown only as context (another indicator, area or period) has a note saying why."""
        kb = load(shipped_path())
        context = {c for f in kb.facts for c in f.city_context}
        assert context, "the shipped file lists context figures"
        for figure_id in context:
            assert kb.city_figures[figure_id].note, figure_id
        assert not context & {f.city_figure for f in kb.facts}, "a figure is either linked or context, never both"

    def test_shipped_city_figures_carry_their_page(self, shipped):
        """Every published figure names the page it was read from, its publisher and date."""
        for figure in shipped.city_figures.values():
            assert figure.url and figure.url.startswith("http"), figure.id
            assert figure.publisher and figure.date, figure.id

    def test_fixed_asset_investment_is_not_compared_with_industrial_investment(self, shipped):
        assert shipped.fact("industry.investment").city_figure is None

    def test_published_total_converted_to_the_fact_unit(self, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.trade"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\n'
            'value = 10\nunit = "亿元"\ncity_figure = "city.trade"\n'
            '\n[[city_figures]]\nid = "city.trade"\nlabel = "t"\nlabel_zh = "外贸"\nvalue = 400000\nunit = "万元"\n'
            'period = "2021-H1"\nsource = "s"\n'
        )
        index = index_of(path)
        c = compare(index.fact("a.trade"), index.city_figures)
        assert c.published_total == 40 and c.computed_share_pct == 25

    def test_undeclared_city_figure_is_a_schema_error(self, runner, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\ncity_figure = "city.nope"\n'
        )
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert "a.b: city_figure: 'city.nope' is not a declared [[city_figures]] id" in result.stderr


class TestCityOption:
    def test_city_adds_its_keys_and_only_then(self, runner):
        with_city = runner.invoke(app, ["industry", "--city", "--json"])
        without = runner.invoke(app, ["industry", "--json"])
        assert list(json.loads(with_city.stdout)[0]) == list(FACT_COLUMNS + CITY_COLUMNS)
        assert list(json.loads(without.stdout)[0]) == list(FACT_COLUMNS)

    def test_city_values_in_json(self, runner):
        rows = city_rows(runner, "industry")
        gross = rows["industry.gross-output"]
        assert gross["city_total_source"] == "implied"
        assert gross["city_total_low"] < gross["city_total"] < gross["city_total_high"]
        assert rows["industry.value-added"]["city_growth_pct"] == 19
        assert rows["industry.tax-revenue"]["city_total"] is None

    def test_city_command_orders_by_share_with_bars(self, runner):
        result = runner.invoke(app, ["city", "--json"])
        rows = json.loads(result.stdout)
        shares = [
            r["city_share_pct"] if r["city_share_pct"] is not None else r["city_share_computed_pct"] for r in rows
        ]
        known = [s for s in shares if s is not None]
        assert known == sorted(known, reverse=True)
        assert shares[: len(known)] == known, "facts without a share come last"
        assert {"trade.foreign-trade", "economy.gdp", "industry.value-added"} <= {r["id"] for r in rows}
        table = runner.invoke(app, ["city", "-f", "table"], env={"COLUMNS": "150"}).stdout
        assert "███████" in table, "a 70 % share is drawn as seven full blocks"
        assert "(36.0%)" in table, "a computed share is shown in parentheses"


@pytest.mark.parametrize(
    ("value_q", "share_q", "expected"),
    [
        ("exact", "exact", "exact"),
        ("over", "exact", "over"),  # 超260亿元 at 1/3: the city total is over 780
        ("exact", "nearly", "over"),  # 43.5万辆 at 近1/2: a smaller share, a larger total
        ("at_least", "exact", "at_least"),
        ("nearly", "exact", "under"),
        ("exact", "over", "under"),
        ("exact", "at_least", "at_most"),
        ("over", "over", "about"),  # pulled both ways: no direction
        ("about", "exact", "about"),
    ],
)
def test_implied_total_says_where_the_true_total_lies(value_q, share_q, expected):
    """A qualified value or share makes the implied city total a bound, in the direction the qualifiers give."""
    from lj_facts.compare import implied_direction
    from lj_facts.model import Fact, Kind, Qualifier

    fact = Fact(
        "a.b",
        ("x",),
        "x",
        "x",
        Kind.NUMBER,
        value=1.0,
        unit="亿元",
        qualifier=Qualifier(value_q),
        city_share_pct=10.0,
        city_share_qualifier=Qualifier(share_q),
    )
    assert implied_direction(fact) == expected


def test_city_view_shows_a_qualified_implied_total_as_a_bound_and_explains_it(runner):
    """`>260 亿元` at 1/3 implies a city total over 780 亿元: shown `>780` (rounded toward the bound's safe side), the caption says what `>` means there."""
    result = runner.invoke(app, ["city", "-f", "table", "--no-pager"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert ">780 亿元" in result.stdout and ">781" not in result.stdout
    assert "> city total implied: over value ÷ share" in " ".join(result.stdout.split())


def test_city_view_puts_over_a_share_before_nearly_the_same_share(runner):
    """`>50%` (over half) ranks above `≲50%` (nearly half), whatever the file order."""
    result = runner.invoke(app, ["city", "--fields", "id,city_share_pct,city_share_qualifier", "--tsv"])
    rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
    at_50 = [(r[0], r[2]) for r in rows if r[1] == "50"]
    qualifiers = [q for _, q in at_50]
    assert qualifiers == sorted(qualifiers, key=["over", "at_least", "exact", "about", "nearly"].index)
    assert "over" in qualifiers and "nearly" in qualifiers


IMPLIED_SHOWN = {
    "digital.value-added": ">780 亿元",  # >260 亿元 at 1/3
    "auto.vehicle-production": ">87.0 万辆",  # 43.5 万辆 at 近1/2
    "opening.singapore-contract-value": "≈215 亿美元",  # 约占全市50%
    "industry.gross-output": "≈12,321 亿元",  # exact figures: about, within their rounding
}
"""Implied city totals of the shipped file as `lj-facts city` shows them."""


class TestImpliedTotalEveryView:
    """An implied city total that is a bound shows as one in every view: the `show` card, markdown, a
    table of picked fields, and the machine formats' `city_total_qualifier`, as in `lj-facts city`."""

    @pytest.mark.parametrize("fact_id", list(IMPLIED_SHOWN))
    def test_show_card_shows_the_implied_total_as_the_city_view_does(self, runner, fact_id):
        """The card's `City total implied` carries the city view's symbol and its explanation."""
        shown = IMPLIED_SHOWN[fact_id]
        city = " ".join(runner.invoke(app, ["city", "-f", "table"], env={"COLUMNS": "200"}).stdout.split())
        assert shown in city
        card = runner.invoke(app, ["show", fact_id, "-f", "table"], env={"COLUMNS": "200"}).stdout
        line = next(line for line in card.splitlines() if line.startswith("City total implied"))
        assert line.split(None, 3)[3].startswith(shown + " (")
        if shown[0] == ">":
            assert "over value ÷ share; the value or the share is qualified" in line
        else:
            assert "value ÷ share, about" in line

    def test_show_markdown_shows_the_bound(self, runner):
        out = runner.invoke(app, ["show", "digital.value-added", "-f", "markdown"]).stdout
        assert "| City total implied | &gt;780 亿元 (over value ÷ share" in out

    def test_machine_rows_say_which_side_of_value_over_share_the_total_lies(self, runner):
        """`city_total_qualifier`: the bound a script cannot read off `city_total` alone."""
        rows = city_rows(runner, "list")
        assert rows["digital.value-added"]["city_total_qualifier"] == "over"
        assert rows["auto.vehicle-production"]["city_total_qualifier"] == "over"
        assert rows["opening.singapore-contract-value"]["city_total_qualifier"] == "about"
        assert rows["industry.gross-output"]["city_total_qualifier"] == "about"
        assert rows["trade.foreign-trade"]["city_total_qualifier"] == "exact"  # published
        assert rows["industry.profits"]["city_total_qualifier"] is None  # no city total
        for row in rows.values():
            assert (row["city_total_qualifier"] is None) == (row["city_total"] is None)

    @pytest.mark.parametrize(
        ("value_q", "share_q", "qualifier", "symbol"),
        [
            ("nearly", "exact", "under", "<"),
            ("exact", "at_least", "at_most", "≤"),
            ("at_least", "exact", "at_least", "≥"),
        ],
    )
    def test_every_side_in_every_format(self, runner, write_file, value_q, share_q, qualifier, symbol):
        """A total below value ÷ share too: `<` and `≤` in the card, the city view and a picked table, and
        the qualifier in the rows."""
        path = write_file(
            f"""
            [[facts]]
            id = "industry.q"
            topics = ["industry"]
            label = "a qualified figure"
            text = "规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%"
            kind = "number"
            value = 100
            unit = "亿元"
            qualifier = "{value_q}"
            city_share_pct = 10
            city_share_qualifier = "{share_q}"
            """
        )
        file = ["--file", str(path)]
        rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["city", *file, "--json"]).stdout)}
        assert rows["industry.q"]["city_total_qualifier"] == qualifier
        city = runner.invoke(app, ["city", *file, "-f", "table"], env={"COLUMNS": "200"}).stdout
        card = runner.invoke(app, ["show", "industry.q", *file, "-f", "table"], env={"COLUMNS": "200"}).stdout
        picked = runner.invoke(
            app, ["city", *file, "--fields", "id,city_total", "-f", "table"], env={"COLUMNS": "200"}
        ).stdout
        assert f"{symbol}1,000 亿元" in city and f"City total implied  {symbol}1,000 亿元 (" in card
        assert f"industry.q {symbol}1,000" in " ".join(picked.split())  # as the city view writes it
        assert f"{symbol} city total implied" in " ".join(picked.split())

    def test_a_picked_table_marks_qualified_figures(self, runner):
        """`--fields` in a table: `>260`, `≥70`, `>780` (rounded toward the bound's safe side, marked), explained."""
        out = runner.invoke(
            app,
            ["city", "--fields", "id,value,city_share_pct,growth_pct,city_total", "-f", "table"],
            env={"COLUMNS": "200"},
        ).stdout
        flat = " ".join(out.split())
        assert "digital.value-added >260 33.3 >780" in flat
        assert "trade.cross-border-ecommerce ≥70 ≈95" in flat
        assert "trade.foreign-trade 1355 55 3,766" in flat  # published: exact, unmarked, separated as the implied
        for said in ("> over (余, 超, 突破)", "> city total implied: over value ÷ share", "≥ at least (以上)"):
            assert said in flat


# --- The city comparison in every view and format: periods said, computed shares, narrowing `city`.

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
        assert "12,903.41 亿元*" in out and "12,903.41 亿元*†" not in out
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
        assert "3,766 亿元*" in out and "3,766 亿元*‡" not in out, "the total is compared: ‡ marks the fact, not it"
        flat = "".join(out.split())  # the table wraps Chinese text between characters, without a space
        assert "exports)‡" in flat, "the fact compared with 3766 and shown beside exports is marked after its label"
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
        assert "(imports and exports) ‡" in flat, "the fact whose context figure is noted carries the mark"
        assert "*‡" not in flat.replace("\\*", "*"), "never the city growth, which is compared"

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


# --- Published city figures as first-class records: `show`, `city-figures`, search, and context figures.

CITY_IDS = list(index_of().city_figures)

CONTEXT = """
[[facts]]
id = "industry.output-value"
topics = ["industry"]
label = "automotive output value"
text = "汽车产业产值740亿元"
kind = "number"
value = 740
unit = "亿元"
city_context = ["city.auto-value-added"]

[[city_figures]]
id = "city.auto-value-added"
label = "automotive value added"
label_zh = "汽车产业增加值"
growth_pct = 25.3
period = "2021-H1"
source = "重庆市统计局"
publisher = "重庆市统计局"
date = "2021-07-19"
url = "https://example.org/news/2021/0720.html"
note = "Value added, not output value: not comparable with the report's 产值."
"""


class TestShowCityFigure:
    @pytest.mark.parametrize("figure_id", CITY_IDS)
    def test_show_works_for_every_city_figure(self, runner, figure_id, shipped):
        """`lj-facts show city.gdp` and every other city figure id: the card and a row marked city_figure."""
        figure = shipped.city_figures[figure_id]
        card = run(runner, "show", figure_id, "-f", "markdown")
        assert figure.label_zh in card and figure.period in card
        assert "city figure: published by the city, not from the report" in card
        assert figure.url and figure.url in card, "every shipped city figure names its page"
        (row,) = json.loads(run(runner, "show", figure_id, "--json"))
        assert list(row) == list(FACT_COLUMNS + CITY_COLUMNS)
        assert (row["id"], row["kind"], row["text"]) == (figure_id, "city_figure", figure.label_zh)

    def test_show_city_gdp_names_its_linked_fact(self, runner):
        card = run(runner, "show", "city.gdp", "-f", "markdown")
        assert "| Linked facts | economy.gdp |" in card
        assert "| Publisher | 重庆市统计局 |" in card and "| Date | 2021-07-19 |" in card

    def test_mistyped_city_figure_id_suggests_it(self, runner):
        result = runner.invoke(app, ["show", "city.gpd"])
        assert result.exit_code == 1 and "city.gdp" in result.stderr


class TestCityFiguresCommand:
    def test_lists_every_figure_with_its_links(self, runner, shipped):
        rows = json.loads(run(runner, "city-figures", "--json"))
        assert [r["id"] for r in rows] == CITY_IDS
        assert all(list(r) == list(CITY_FIGURE_COLUMNS) for r in rows)
        by_id = {r["id"]: r for r in rows}
        assert by_id["city.gdp"]["linked_facts"] == ["economy.gdp"]
        assert by_id["city.foreign-trade"]["linked_facts"] == ["trade.foreign-trade"]
        assert by_id["city.fixed-asset-investment"]["linked_facts"] == []
        assert by_id["city.industrial-profits"]["period"] == "2021-01/2021-05"
        assert all(r["area"] == "重庆市" for r in rows), "the area defaults to the city"
        assert all(r["url"].startswith("http") for r in rows)
        linked = {f.id for f in shipped.city_facts() if f.city_figure}
        assert linked == {i for r in rows for i in r["linked_facts"]}

    @pytest.mark.parametrize("fmt", ["csv", "tsv"])
    def test_csv_and_tsv_carry_the_same_rows(self, runner, fmt):
        text = run(runner, "city-figures", "--format", fmt)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t")
        header, *rows = list(reader)
        assert header == list(CITY_FIGURE_COLUMNS)
        assert [r[0] for r in rows] == CITY_IDS
        gdp = dict(zip(header, rows[0], strict=True))
        assert (gdp["value"], gdp["unit"], gdp["linked_facts"]) == ("12903.41", "亿元", "economy.gdp")

    def test_jsonl_markdown_and_table(self, runner):
        assert len(run(runner, "city-figures", "-f", "jsonl").splitlines()) == len(CITY_IDS)
        markdown = run(runner, "city-figures", "-f", "markdown")
        rows = [line for line in markdown.splitlines() if line.startswith("| ")]
        assert len(rows) == len(CITY_IDS) + 1, "header and a row a figure"
        assert markdown.startswith("### Published figures of Chongqing") and "not from the report" in markdown
        for width in ("80", "160"):
            out = runner.invoke(app, ["city-figures", "-f", "table"], env={"COLUMNS": width}).stdout
            assert "第二产业增加值" in out and "city.gdp" in out
            assert "not from the report" in " ".join(out.split())


class TestSearchFindsCityFigures:
    def test_chinese_label(self, runner):
        """`search 第二产业` found nothing before: it finds the city's secondary-industry value added."""
        rows = json.loads(run(runner, "search", "第二产业", "--json"))
        assert [(r["id"], r["kind"]) for r in rows] == [("city.secondary-industry-value-added", "city_figure")]
        out = runner.invoke(app, ["search", "第二产业", "-f", "table"], env={"COLUMNS": "100"}).stdout
        assert "City figures" in out and "not from the report" in " ".join(out.split())

    @pytest.mark.parametrize("term", ["secondary industry", "city.secondary-industry-value-added", "第二产业增加值"])
    def test_by_english_label_or_id(self, runner, term):
        rows = json.loads(run(runner, "search", *term.split(), "--json"))
        assert "city.secondary-industry-value-added" in {r["id"] for r in rows}

    def test_fact_rows_unchanged_and_city_figures_after_them(self, runner):
        rows = json.loads(run(runner, "search", "GDP", "--json"))
        kinds = [r["kind"] for r in rows]
        assert kinds[-1] == "city_figure" and "city_figure" not in kinds[:-1]
        assert all(list(r) == list(FACT_COLUMNS) for r in rows)
        with_city = json.loads(run(runner, "search", "GDP", "--city", "--json"))
        assert all(list(r) == list(FACT_COLUMNS + CITY_COLUMNS) for r in with_city)
        tsv = run(runner, "search", "GDP", "-f", "tsv").splitlines()
        assert all(line.count("\t") == len(FACT_COLUMNS) - 1 for line in tsv)
        assert tsv[-1].startswith("city.gdp\t")

    def test_markdown_has_the_facts_then_the_city_figures(self, runner):
        out = run(runner, "search", "GDP", "-f", "markdown")
        facts, figures = out.split("### City figures")
        assert "| Fact |" in facts and "| economy.gdp |" in facts
        assert "| Indicator |" in figures and "| city.gdp |" in figures
        assert "published by the city" in figures.lower() and "not from the report" in figures

    def test_a_search_matching_nothing_still_exits_1(self, runner):
        result = runner.invoke(app, ["search", "第四产业"])
        assert result.exit_code == 1 and result.stdout == ""


class TestCityContextOfFigures:
    def test_show_prints_context_figures_with_their_note(self, runner, write_file):
        path = write_file(CONTEXT)
        card = run(runner, "show", "industry.output-value", "--file", str(path), "-f", "markdown")
        assert "| City context | 汽车产业增加值: growth +25.3%, 2021-H1, 重庆市 (city.auto-value-added)" in card
        assert "Value added, not output value" in card

    def test_context_figures_are_never_compared(self, runner, write_file):
        path = write_file(CONTEXT)
        rows = json.loads(run(runner, "industry", "--city", "--json", "--file", str(path)))
        row = next(r for r in rows if r["id"] == "industry.output-value")
        assert row["city_figure"] is None and row["city_share_computed_pct"] is None
        assert row["city_context"] == ["city.auto-value-added"]

    def test_city_figures_lists_context_facts(self, runner, write_file, both_ways):
        path = write_file(CONTEXT)
        (row,) = [
            r
            for r in json.loads(run(runner, "city-figures", "--json", "--file", str(path)))
            if r["id"] == "city.auto-value-added"
        ]
        assert row["linked_facts"] == [] and row["context_facts"] == ["industry.output-value"]
        assert (row["publisher"], row["date"]) == ("重庆市统计局", "2021-07-19")

    def test_undeclared_context_figure_is_a_schema_error(self, runner, write_file):
        path = write_file(CONTEXT.replace('city_context = ["city.auto-value-added"]', 'city_context = ["city.nope"]'))
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert "industry.output-value: city_context: 'city.nope' is not a declared [[city_figures]] id" in result.stderr

    @pytest.mark.parametrize(
        ("field", "value", "complaint"),
        [
            ("date", '"2021-13"', "'2021-13' is not a month"),
            ("date", '"20 July"', "is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
            ("url", '"www.example.org"', "is not a web address"),
            ("area", "3", "must be a string"),
        ],
    )
    def test_city_figure_fields_are_checked(self, runner, write_file, field, value, complaint):
        extra = CONTEXT.replace(f"\n{field} = ", f"\n{field}_old = ") + f"{field} = {value}\n"
        extra = extra.replace(f"{field}_old = ", "# ")
        result = runner.invoke(app, ["industry", "--file", str(write_file(extra))])
        assert result.exit_code == 2
        assert f"city.auto-value-added: {field}: " in result.stderr and complaint in result.stderr


def test_shipped_city_figures_each_carry_their_page():
    """Issue 8: never a city figure without its page."""
    for figure in index_of(shipped_path()).city_figures.values():
        assert figure.url and figure.url.startswith("http"), figure.id
        assert figure.publisher and figure.date, figure.id


def test_lookup_words_find_city_figures_too(runner):
    """`lj-facts 第二产业` is a search like `lj-facts search 第二产业`."""
    assert run(runner, "第二产业", "--json") == run(runner, "search", "第二产业", "--json")


def test_completion_offers_city_figure_ids():
    """`lj-facts show city.<TAB>` completes city figure ids as well as fact ids."""
    from lj_facts.completion import complete_ids

    assert "city.gdp" in complete_ids(None, "city.")
    assert "economy.gdp" in complete_ids(None, "economy.")


@pytest.mark.parametrize("parallel", [False, True])
def test_a_fact_and_a_city_figure_may_not_share_an_id(runner, write_file, monkeypatch, parallel):
    """`show ID` resolves an id to a fact or a city figure: the same id for both is a schema error."""

    monkeypatch.setattr("lj_facts.index.building.PARALLEL_BYTES", 100 if parallel else 10**12)
    fact = CONTEXT[: CONTEXT.index("[[city_figures]]")]
    copies = "".join(fact.replace("industry.output-value", f"industry.copy-{i}") for i in range(30))
    clash = CONTEXT.replace('id = "industry.output-value"', 'id = "city.auto-value-added"')
    path = write_file(copies + clash)
    result = runner.invoke(app, ["industry", "--file", str(path), "--no-cache"])
    assert result.exit_code == 2
    assert "city.auto-value-added: id: is also a [[city_figures]] id" in result.stderr

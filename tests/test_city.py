"""City comparisons: implied totals and their bounds, published totals, the city's growth, `lj-facts city`."""

from __future__ import annotations

import json

import pytest

from lj_facts.cli import app
from lj_facts.compare import compare
from lj_facts.index import shipped_path
from lj_facts.load import load
from lj_facts.rows import CITY_COLUMNS, FACT_COLUMNS

from .conftest import index_of


def city_rows(runner, *args: str) -> dict[str, dict]:
    result = runner.invoke(app, [*args, "--city", "--json"])
    assert result.exit_code == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


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
        assert "trade.foreign-trade 1355 55 3766" in flat  # published: exact, unmarked
        for said in ("> over (余, 超, 突破)", "> city total implied: over value ÷ share", "≥ at least (以上)"):
            assert said in flat

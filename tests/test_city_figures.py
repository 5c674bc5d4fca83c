"""Published city figures as first-class records: `show`, `city-figures`, search, and context figures."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lj_facts.cli import app
from lj_facts.index import shipped_path
from lj_facts.rows import CITY_COLUMNS, CITY_FIGURE_COLUMNS, FACT_COLUMNS

from .conftest import index_of

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


def run(runner, *args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


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


class TestCityContext:
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

"""`lj-facts show ID` and `lj-facts topics`."""

from __future__ import annotations

import json

import pytest

from lj_facts.cli import app


class TestShow:
    def test_card_has_every_part_of_the_fact(self, runner):
        result = runner.invoke(app, ["show", "industry.gross-output", "-f", "table"], env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.stderr
        for text in (
            "gross industrial output (above designated size)",
            "2008.3 亿元 (100 million yuan)",
            "2008.3 亿元 = 200,830,000,000 CNY",
            "+41.1% year on year",
            "16.3% (exact)",
            "2021-H1",
            "Industry (工业), Economy (经济)",
            "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%",
            "≈12,321 亿元 (value ÷ share, about: between 12,283 and 12,359)",
        ):
            assert text in result.stdout, text

    def test_card_shows_gap_and_published_city_figure(self, runner):
        result = runner.invoke(app, ["show", "industry.value-added", "-f", "table"], env={"COLUMNS": "120"})
        assert "+12.7 percentage points" in result.stdout
        assert "+19% (published)" in result.stdout

    def test_card_warns_of_another_period(self, runner, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.profits"\ntopics = ["industry"]\nlabel = "x"\ntext = "利润增长6.1倍"\n'
            'kind = "number"\ngrowth_pct = 610\ncity_figure = "city.profits"\n'
            '\n[[city_figures]]\nid = "city.profits"\nlabel = "p"\nlabel_zh = "利润"\ngrowth_pct = 110\n'
            'period = "2021-01/2021-05"\nsource = "s"\n'
        )
        args = ["show", "a.profits", "-f", "table", "--file", str(path)]
        result = runner.invoke(app, args, env={"COLUMNS": "120"})
        assert "the city figure covers 2021-01/2021-05, the report's 2021-H1" in result.stdout

    def test_show_as_json_is_one_object_with_city_fields(self, runner):
        result = runner.invoke(app, ["show", "economy.gdp", "--json"])
        (row,) = json.loads(result.stdout)
        assert row["value_base"] == 200_020_000_000
        assert row["city_total"] == 12903.41 and row["city_total_source"] == "published"

    @pytest.mark.parametrize(
        ("typo", "hint"), [("economy.gpd", "economy.gdp"), ("gross-output", "industry.gross-output")]
    )
    def test_unknown_id_exits_1_with_closest_ids(self, runner, typo, hint):
        result = runner.invoke(app, ["show", typo])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert f"no fact {typo!r}" in result.stderr and hint in result.stderr


class TestTopics:
    def test_topics_lists_names_aliases_and_counts(self, runner, shipped):
        result = runner.invoke(app, ["topics", "--json"])
        rows = {r["slug"]: r for r in json.loads(result.stdout)}
        assert list(rows) == [t.slug for t, _ in shipped.topics()]
        assert rows["industry"]["name_zh"] == "工业"
        assert "manufacturing" in rows["industry"]["aliases"]
        assert rows["industry"]["facts"] == len(shipped.topic_facts("industry"))

    def test_topics_table(self, runner):
        result = runner.invoke(app, ["topics", "-f", "table"], env={"COLUMNS": "120"})
        assert result.exit_code == 0
        assert "电子信息" in result.stdout and "consumption" in result.stdout

    def test_topics_tsv_columns(self, runner):
        result = runner.invoke(app, ["topics"])
        lines = result.stdout.splitlines()
        assert lines[0].split("\t") == ["slug", "name", "name_zh", "aliases", "description", "facts"]
        assert len(lines) == 15


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_standing_without_a_place_reads_as_one(runner, fmt):
    """A fact with `rank_of` alone (位居前列 among 19) reads "among 19" in the listing, explained in the
    caption, and "among 19, no place given" in `show`: never the cryptic "of 19" under Value."""
    out = runner.invoke(app, ["economy", "-f", fmt, "--color", "never"], env={"COLUMNS": "200"}).stdout
    flat = " ".join(out.split())
    assert "among 19" in flat and "among 19: a standing among 19, no place given" in flat
    assert " of 19 " not in flat.replace("China's 19", "")
    card = runner.invoke(app, ["show", "economy.gdp-standing-national-new-areas", "-f", fmt]).stdout
    assert "among 19, no place given" in card


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_change_of_a_rate_is_not_shown_as_growth(runner, fmt):
    """`change_pp` (工业增加值率提升2.5个百分点) sits under Growth marked Δ, and the caption says it is the
    change of a rate, not a growth; `show` says so beside the figure."""
    out = runner.invoke(app, ["industry", "-f", fmt, "--color", "never"], env={"COLUMNS": "200"}).stdout
    flat = " ".join(out.split())
    assert "Δ+2.5 pp" in flat and "the change of a rate in percentage points (change_pp), not a growth" in flat
    card = runner.invoke(app, ["show", "industry.value-added-rate", "-f", fmt]).stdout
    assert "+2.5 percentage points (the change of a rate, not a growth)" in card

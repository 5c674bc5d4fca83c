"""Where a fact comes from: [[sources]], the fact's `source`, the period inference, and `period = "not-given"`."""

from __future__ import annotations

import json
import re

import pytest

from lj_facts import index as index_module
from lj_facts.cli import app
from lj_facts.index import shipped_path
from lj_facts.load import load

from .conftest import MINIMAL, run

SOURCES = """
[[sources]]
id = "paper-2021"
title = "A newspaper special"
publisher = "Some Daily"
date = "2021-07-21"
url = "https://example.org/special.html"
period_inference = "The special prints 2021."

[[sources]]
id = "press-release"
title = "A press release"

[[facts]]
id = "industry.from-release"
topics = ["industry"]
label = "a fact from the release"
text = "外贸增长55%"
kind = "number"
growth_pct = 55
source = "press-release"
"""


def old_format_copy(tmp_path):
    """The shipped file without its [[sources]] table: a file of the schema before sources."""
    text = shipped_path().read_text(encoding="utf-8")
    old = re.sub(r"\n\[\[sources\]\]\n.*?(?=\n# ---)", "\n", text, flags=re.S)
    assert "[[sources]]" not in old and old != text
    path = tmp_path / "old.toml"
    path.write_text(old, encoding="utf-8")
    return path


class TestSources:
    def test_shipped_facts_name_the_report(self, runner):
        rows = json.loads(run(runner, "industry", "--json"))
        assert {r["source"] for r in rows} == {"liangjiang-report-2021-h1"}

    def test_show_prints_the_source_and_says_what_the_text_does_not_name(self, runner):
        card = run(runner, "show", "economy.gdp", "-f", "markdown")
        assert "| Source | 两江新区2021年上半年发展专题报道" in card
        assert "| Publisher | not named in the text |" in card
        assert "| Date | not printed |" in card
        assert "| Period inference | The report never prints its year." in card

    @pytest.mark.parametrize("fmt", ["csv", "tsv"])
    def test_source_column_in_csv_and_tsv(self, runner, fmt):
        header = run(runner, "industry", "-f", fmt).splitlines()[0]
        assert "source" in header.split("," if fmt == "csv" else "\t")

    def test_first_source_is_the_default_and_a_fact_may_name_another(self, runner, write_file, both_ways):
        path = write_file(SOURCES)
        rows = {r["id"]: r for r in json.loads(run(runner, "industry", "--json", "--file", str(path)))}
        assert rows["industry.gross-output"]["source"] == "paper-2021"
        assert rows["industry.from-release"]["source"] == "press-release"
        card = run(runner, "show", "industry.gross-output", "--file", str(path), "-f", "markdown")
        assert "| Publisher | Some Daily |" in card and "| Date | 2021-07-21 |" in card
        assert "| URL | https://example.org/special.html |" in card
        assert "| Period inference | The special prints 2021. |" in card
        release = run(runner, "show", "industry.from-release", "--file", str(path), "-f", "markdown")
        assert "| Period inference | Stated. |" in release, "a source without its own inference falls back to meta's"

    def test_old_format_file_keeps_loading(self, runner, tmp_path, both_ways):
        """A file of the schema before [[sources]] loads; its facts' source is derived from [meta]."""
        path = old_format_copy(tmp_path)
        kb = load(path)
        assert len(kb.facts) == len(load(shipped_path()).facts)
        assert [s.id for s in kb.sources] == ["report"] and kb.sources[0].title == kb.meta.title
        rows = json.loads(run(runner, "industry", "--json", "--file", str(path)))
        assert {r["source"] for r in rows} == {"report"}
        card = run(runner, "show", "economy.gdp", "--file", str(path), "-f", "markdown")
        assert "| Publisher | not named in the text |" in card
        assert "| Period inference | The report never prints its year." in card

    def test_unknown_source_is_a_schema_error(self, runner, write_file):
        path = write_file(SOURCES.replace('source = "press-release"', 'source = "nope"'))
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert "industry.from-release: source: 'nope' is not a declared [[sources]] id" in result.stderr

    def test_a_source_in_a_file_without_sources_must_be_report(self, runner, write_file):
        path = write_file(SOURCES[SOURCES.index("[[facts]]") :].replace("press-release", "elsewhere"))
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2 and "'elsewhere' is not a declared [[sources]] id" in result.stderr

    @pytest.mark.parametrize(
        ("replace", "by", "problem"),
        [
            ('title = "A press release"\n', "", "press-release: title: missing"),
            ('date = "2021-07-21"', 'date = "2021-02-30"', "paper-2021: date: '2021-02-30' is not a date"),
            ('url = "https://example.org/special.html"', 'url = "special.html"', "paper-2021: url: "),
            ('id = "press-release"', 'id = "paper-2021"', "paper-2021: id: duplicate id"),
            ('id = "press-release"', 'id = "Press Release"', "id: must be a lowercase slug"),
            ('title = "A press release"', 'title = "x"\npublishr = "y"', "press-release: publishr: unknown field"),
        ],
    )
    def test_sources_are_checked(self, runner, write_file, replace, by, problem):
        path = write_file(SOURCES.replace(replace, by, 1))
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert problem in result.stderr

    def test_sources_survive_the_parallel_build(self, write_file, monkeypatch):
        """A large file is indexed by workers: its sources and the facts' source are those of one piece."""
        fact = MINIMAL[MINIMAL.index("[[facts]]") :]
        copies = "".join(fact.replace("industry.gross-output", f"industry.copy-{i}") for i in range(40))
        text = MINIMAL.replace("[[facts]]", SOURCES.split("[[facts]]")[0] + "\n[[facts]]", 1) + copies
        text += fact.replace("industry.gross-output", "industry.released").replace(
            'kind = "number"', 'kind = "number"\nsource = "press-release"'
        )
        path = write_file(text=text)

        def content(parallel: bool):
            monkeypatch.setattr("lj_facts.index.building.PARALLEL_BYTES", 100 if parallel else 10**12)
            index = index_module.open_index(path, None)
            facts = index.conn.execute("SELECT id, source, city_context FROM facts ORDER BY id").fetchall()
            return index.sources, facts

        assert content(True) == content(False)
        sources, facts = content(True)
        assert list(sources) == ["paper-2021", "press-release"]
        assert dict((i, s) for i, s, _ in facts)["industry.released"] == "press-release"


NOT_GIVEN = """
[[facts]]
id = "industry.incubated"
topics = ["industry"]
label = "enterprises incubated"
text = "新增孵化企业19家"
kind = "number"
value = 19
unit = "家"
period = "not-given"
"""


class TestNotGivenPeriod:
    def test_machine_formats_keep_not_given(self, runner, write_file, both_ways):
        path = write_file(NOT_GIVEN)
        rows = {r["id"]: r for r in json.loads(run(runner, "industry", "--json", "--file", str(path)))}
        assert rows["industry.incubated"]["period"] == "not-given"
        assert rows["industry.gross-output"]["period"] == "2021-H1", "a fact without period keeps the default"
        tsv = run(runner, "industry", "-f", "tsv", "--file", str(path))
        assert "\tnot-given\t" in tsv

    def test_table_markdown_and_show_say_not_given(self, runner, write_file):
        path = write_file(NOT_GIVEN)
        table = runner.invoke(app, ["industry", "-f", "table", "--file", str(path)], env={"COLUMNS": "160"}).stdout
        assert "not given" in table and "not-given" not in table
        assert "| not given |" in run(runner, "industry", "-f", "markdown", "--file", str(path))
        card = run(runner, "show", "industry.incubated", "-f", "markdown", "--file", str(path))
        assert "| Period | not given |" in card

    def test_not_given_beside_a_city_figure_is_a_mismatch(self, runner, write_file):
        path = write_file(
            NOT_GIVEN.replace('period = "not-given"', 'period = "not-given"\ncity_figure = "city.x"')
            + '\n[[city_figures]]\nid = "city.x"\nlabel = "x"\nlabel_zh = "x"\nvalue = 100\nunit = "家"\n'
            'period = "2021-H1"\nsource = "s"\n'
        )
        (row,) = json.loads(run(runner, "show", "industry.incubated", "--json", "--file", str(path)))
        assert row["periods_match"] is False
        assert row["city_note"] == "the city figure covers 2021-H1; the report gives no period"

    @pytest.mark.parametrize("bad", ["not given", "none", "not-given/2021-H1"])
    def test_other_spellings_are_refused(self, runner, write_file, bad):
        path = write_file(NOT_GIVEN.replace('"not-given"', f'"{bad}"'))
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2 and "is not a period" in result.stderr

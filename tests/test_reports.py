"""The shipped base of several reports: each report holds against its text, ids are one namespace,
indicators line up over time, and a base of several files is read as documented (LJ_FACTS_FILE with
several paths, a missing file, a folder with other files in it, schema versions)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lj_facts.cli import app
from lj_facts.index import shipped_base, shipped_path
from lj_facts.load import SCHEMA_VERSION, load, load_base
from lj_facts.series import span_of

from .conftest import MINIMAL, ROOT, SOURCES
from .conftest import rows as _json

REPORTS = sorted((ROOT / "reports").glob("*.toml"))
KNOWLEDGE = [ROOT / "facts.toml", *REPORTS]
REPORTS_BY_NAME = {p.name: p for p in REPORTS}

RECURRING = ("industrial-gross-output", "auto-output-value", "vehicle-production", "foreign-trade")
"""The indicators the shipped base must line up over at least three periods."""


@pytest.fixture
def shipped_base_env(monkeypatch):
    """LJ_FACTS_FILE unset: `lj-facts` reads what it ships (facts.toml and reports/*.toml)."""
    monkeypatch.delenv("LJ_FACTS_FILE", raising=False)


def _source_of(path: Path) -> Path:
    """The text a knowledge file quotes: sources/<its first [[sources]] id>.txt."""
    return SOURCES / f"{load(path).sources[0].id}.txt"


class TestShippedReports:
    """Each knowledge file of the shipped base is a hand-checked report that holds against its text."""

    def test_the_shipped_base_is_facts_toml_and_the_reports(self):
        """facts.toml first, then reports/*.toml in name order: at least three more reports."""
        assert [p.resolve() for p in shipped_base()] == [p.resolve() for p in KNOWLEDGE]
        assert len(REPORTS) >= 3
        assert {"2014-q1.toml", "2021-q1-q3.toml"} <= {p.name for p in REPORTS}
        years = {span_of(load(p).meta.default_period).year for p in REPORTS}
        assert years - {2014, 2021}, "a report of another year than 2014 and 2021"

    @pytest.mark.parametrize("path", KNOWLEDGE, ids=lambda p: p.name)
    def test_each_file_holds_against_its_text(self, runner, path):
        """validate --source is clean: every quote verbatim, every figure captured, every sentence covered."""
        source = _source_of(path)
        result = runner.invoke(app, ["validate", str(path), "--source", str(source)])
        assert result.exit_code == 0, result.stderr
        assert "quotes verbatim" in result.stdout and "figures of the source captured" in result.stdout
        covered = re.search(r"(\d+) of (\d+) sentences covered", result.stdout)
        assert covered and covered[1] == covered[2]

    @pytest.mark.parametrize("path", KNOWLEDGE, ids=lambda p: p.name)
    def test_each_file_stands_alone(self, path):
        """Each file has its own [meta] of the current schema, its source with a page, and its topics."""
        kb = load(path)
        assert kb.meta.title and kb.meta.region_zh == "两江新区"
        assert len(kb.sources) == 1 and kb.topics
        if path.name != "facts.toml":  # the 2021 H1 special is a printed page: it has no address
            assert kb.sources[0].url and kb.sources[0].url.startswith(("http://", "https://"))

    def test_every_text_in_sources_is_quoted_and_listed(self):
        """No text without its knowledge file, and sources/README.md gives each text's page as its file does."""
        quoted = {_source_of(p).name for p in KNOWLEDGE}
        assert {p.name for p in SOURCES.glob("*.txt")} == quoted
        readme = (SOURCES / "README.md").read_text(encoding="utf-8")
        for path in REPORTS:
            source = load(path).sources[0]
            row = next(line for line in readme.splitlines() if f"`{source.id}.txt`" in line)
            assert f"`reports/{path.name}`" in row and str(source.url) in row


class TestIds:
    """Every fact has one id across the base; a report's ids carry its period key, facts.toml's stay."""

    def test_the_base_loads_with_one_id_each(self):
        kb = load_base(shipped_base())
        ids = [f.id for f in kb.facts]
        assert len(ids) == len(set(ids)) == sum(len(load(p).facts) for p in KNOWLEDGE)

    @pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
    def test_a_reports_ids_carry_its_period_key(self, path):
        assert all(f.id.startswith(f"{path.stem}.") for f in load(path).facts)

    def test_facts_toml_ids_keep_answering(self, runner, shipped_base_env):
        """Scripts use today's ids: they answer from the shipped base as before."""
        rows = _json(runner, "show", "industry.gross-output", "economy.gdp", "trade.foreign-trade")
        assert [r["source"] for r in rows] == ["liangjiang-report-2021-h1"] * 3


class TestIndicators:
    """The measures that recur across reports line up by their indicator, oldest first."""

    @pytest.mark.parametrize("slug", RECURRING)
    def test_series_lines_up_three_periods_or_more(self, runner, shipped_base_env, slug):
        rows = _json(runner, "series", slug)
        spans = [span_of(r["period"]) for r in rows]
        assert len({r["period"] for r in rows}) >= 3
        assert spans == sorted(spans, key=lambda s: s.order), "oldest first"
        assert len({r["source"] for r in rows}) >= 3
        for row in rows:
            assert row["text"] and row["id"] and row["span"]

    def test_a_series_converts_billion_yuan_and_keeps_dollars(self, runner, shipped_base_env):
        """316.12 billion yuan is 3161.2 亿元; a figure in US dollars stays in US dollars."""
        output = {r["id"]: r for r in _json(runner, "series", "industrial-gross-output")}
        assert output["2021-q1-q3.industry.gross-output"]["value"] == 3161.2
        assert output["2021-q1-q3.industry.gross-output"]["unit"] == "亿元"
        trade = {r["id"]: r for r in _json(runner, "series", "foreign-trade")}
        assert trade["2013-q1-q3.trade.foreign-trade"]["unit"] == "billion US dollars"
        assert trade["2013-q1-q3.trade.foreign-trade"]["value"] == 20.223

    def test_every_indicator_recurs_and_is_declared_alike(self):
        """Each indicator of the base is given by two reports or more; every file that uses one declares it."""
        kb = load_base(shipped_base())
        for slug in kb.indicators:
            assert len({f.source for f in kb.facts if f.indicator == slug}) >= 2, slug
        for path in KNOWLEDGE:
            part = load(path)
            assert {f.indicator for f in part.facts if f.indicator} <= set(part.indicators), path.name
            for slug, indicator in part.indicators.items():
                assert (indicator.kind, indicator.unit) == (kb.indicators[slug].kind, kb.indicators[slug].unit)

    def test_the_shipped_base_validates_with_its_growth_checked(self, runner, shipped_base_env):
        result = runner.invoke(app, ["validate"])
        assert result.exit_code == 0, result.stderr
        assert f"the base: {len(KNOWLEDGE)} files" in result.stdout
        # The one the texts hold: +87.6% in H1 2014 implies a 2013 base of 12.86 billion dollars, and the
        # 2013 release says "slightly over 13 billion", which allows at most +85.7%.
        assert "growth against levels: 1 disagreement beyond rounding" in result.stdout
        assert "warning: 2014-h1.trade.foreign-trade-usd (H1 2014): the report states growth 87.6%" in result.stderr


class TestOutOfTheBox:
    """With nothing set, every view reads the shipped base and says each row's source."""

    def test_a_topic_lists_facts_of_every_report(self, runner, shipped_base_env):
        sources = {r["source"] for r in _json(runner, "industry")}
        assert {"liangjiang-report-2021-h1", "liangjiang-report-2014-q1", "liangjiang-release-2021-q1q3-en"} <= sources

    def test_search_finds_a_report_in_english_and_in_chinese(self, runner, shipped_base_env):
        ids = {r["id"] for r in _json(runner, "search", "汽车", "产量")}
        assert {"auto.vehicle-production", "2014-q1.auto.vehicle-production"} <= ids

    def test_the_after_school_label_says_it_was_promoted_nationwide(self):
        """中小学课后服务全市率先全国推广: first in the city and promoted nationwide, as the label says."""
        fact = next(f for f in load(shipped_path()).facts if f.id == "education.firsts")
        assert "全国推广" in fact.text and "nationwide" in fact.label and "first in the city" in fact.label


class TestSeveralFiles:
    """LJ_FACTS_FILE and --file name several knowledge files or folders."""

    def _two(self, tmp_path) -> tuple[Path, Path]:
        later = REPORTS[0].read_text(encoding="utf-8")
        a = tmp_path / "a.toml"
        a.write_text(MINIMAL, encoding="utf-8")
        b = tmp_path / "b.toml"
        b.write_text(later, encoding="utf-8")
        return a, b

    def test_lj_facts_file_takes_several_paths(self, runner, tmp_path, monkeypatch):
        a, b = self._two(tmp_path)
        monkeypatch.setenv("LJ_FACTS_FILE", f"{a}{os.pathsep}{b}")
        sources = {r["source"] for r in _json(runner, "industry")}
        assert sources == {"report", load(b).sources[0].id}

    @pytest.mark.parametrize("how", ["env", "options"])
    def test_a_missing_file_among_several_is_named(self, runner, tmp_path, monkeypatch, how):
        """One missing file of several: exit 2 and its name, never an answer from the others."""
        a, b = self._two(tmp_path)
        missing = tmp_path / "missing.toml"
        if how == "env":
            monkeypatch.setenv("LJ_FACTS_FILE", os.pathsep.join(map(str, (a, missing, b))))
            result = runner.invoke(app, ["industry"])
        else:
            result = runner.invoke(app, ["industry", "--file", str(a), "--file", str(missing), "--file", str(b)])
        assert result.exit_code == 2
        assert f"{missing}: no such file" in result.stderr
        assert result.stdout == ""

    def test_a_folder_reads_its_toml_files_only(self, runner, tmp_path):
        """Beside the knowledge files: a README, a report's text, JSON, a hidden file, a folder: passed over."""
        _, b = self._two(tmp_path)
        (tmp_path / "README.md").write_text("# not a knowledge file", encoding="utf-8")
        (tmp_path / "report.txt").write_text("两江新区规上工业总产值达2008.3亿元。", encoding="utf-8")
        (tmp_path / "data.json").write_text("{}", encoding="utf-8")
        (tmp_path / ".hidden.toml").write_text("not = [toml", encoding="utf-8")
        (tmp_path / "nested").mkdir()
        (tmp_path / "nested" / "c.toml").write_text("not = [toml", encoding="utf-8")
        result = runner.invoke(app, ["--file", str(tmp_path), "validate"])
        assert result.exit_code == 0, result.stderr
        assert "the base: 2 files" in result.stdout
        assert {r["source"] for r in _json(runner, "--file", str(tmp_path), "list")} == {
            "report",
            load(b).sources[0].id,
        }

    def test_a_folder_without_knowledge_files_is_an_error(self, runner, tmp_path):
        (tmp_path / "README.md").write_text("# nothing here", encoding="utf-8")
        result = runner.invoke(app, ["--file", str(tmp_path), "industry"])
        assert result.exit_code == 2
        assert "is a folder without a knowledge file (*.toml) in it" in result.stderr


class TestSchemaVersions:
    """`[meta] schema`: files of this schema or an older one load together; a newer one is refused by name."""

    def _with_schema(self, tmp_path, name: str, schema: int | None) -> Path:
        text = MINIMAL if schema is None else MINIMAL.replace("[meta]\n", f"[meta]\nschema = {schema}\n", 1)
        path = tmp_path / name
        path.write_text(text.replace("industry.gross-output", f"{path.stem}.industry.gross-output"), encoding="utf-8")
        return path

    def test_a_newer_schema_is_a_clear_error(self, runner, tmp_path):
        newer = self._with_schema(tmp_path, "newer.toml", SCHEMA_VERSION + 1)
        result = runner.invoke(app, ["--file", str(newer), "industry"])
        assert result.exit_code == 2
        assert str(newer) in result.stderr
        assert f"written for schema {SCHEMA_VERSION + 1}" in result.stderr and "upgrade lj-facts" in result.stderr

    def test_a_newer_schema_among_several_names_its_file(self, runner, tmp_path):
        ok = self._with_schema(tmp_path, "a.toml", SCHEMA_VERSION)
        newer = self._with_schema(tmp_path, "b.toml", SCHEMA_VERSION + 1)
        result = runner.invoke(app, ["--file", str(ok), "--file", str(newer), "industry"])
        assert result.exit_code == 2
        assert str(newer) in result.stderr and "upgrade lj-facts" in result.stderr

    def test_files_of_the_current_and_older_schemas_load_together(self, runner, tmp_path):
        files = [
            self._with_schema(tmp_path, "a.toml", None),
            self._with_schema(tmp_path, "b.toml", 1),
            self._with_schema(tmp_path, "c.toml", SCHEMA_VERSION),
        ]
        args = [a for f in files for a in ("--file", str(f))]
        ids = {r["id"] for r in _json(runner, *args, "industry")}
        assert ids == {f"{f.stem}.industry.gross-output" for f in files}


class TestValidateEnglish:
    """An English report's quotes are read as written (the fixes these reports needed)."""

    REPORT = (
        "Industrial output reached 316.12 billion yuan, a year-on-year increase of 29.4 percent. "
        "GDP rose 4.8 percent, ranking first in the city."
    )

    def test_figures_of_an_english_quote_are_found_in_it(self, runner, write_file, tmp_path):
        facts = """
[[facts]]
id = "en.output"
topics = ["industry"]
label = "industrial output"
text = "Industrial output reached 316.12 billion yuan, a year-on-year increase of 29.4 percent."
kind = "number"
value = 316.12
unit = "billion yuan"
growth_pct = 29.4

[[facts]]
id = "en.gdp"
topics = ["industry"]
label = "GDP, first in the city"
text = "GDP rose 4.8 percent, ranking first in the city."
kind = "number"
growth_pct = 4.8
rank = 1
"""
        path = write_file(text=MINIMAL.split("[[facts]]")[0] + facts)
        source = tmp_path / "report.txt"
        source.write_text(self.REPORT, encoding="utf-8")
        result = runner.invoke(app, ["validate", str(path), "--source", str(source)])
        assert result.exit_code == 0, result.stderr
        assert "all 2 quotes verbatim, all 4 figures written in their quotes" in result.stdout


class TestCrossChecks:
    """A later report's stated growth is checked against the level a shipped report gives a year before."""

    LATER = """\
[meta]
schema = 2
title = "A planted report"
region = "Liangjiang New Area"
region_zh = "两江新区"
city = "Chongqing"
city_zh = "重庆市"
default_period = "2015-Q1"
period_inference = "Planted."

[topics.industry]
name = "Industry"
name_zh = "工业"

[indicators.industrial-gross-output]
label = "gross industrial output"
label_zh = "规上工业总产值"
kind = "level"
unit = "亿元"

[[facts]]
id = "2015-q1.industry.gross-output"
topics = ["industry"]
label = "gross industrial output (above designated size)"
text = "规上工业总产值{value}亿元,增长{growth}%"
kind = "number"
value = {value}
unit = "亿元"
growth_pct = {growth}
indicator = "industrial-gross-output"
"""

    @pytest.mark.parametrize(("value", "growth", "check"), [("1097.5", "20.0", "agrees"), ("1000", "20.0", "differs")])
    def test_a_planted_growth_is_checked_against_2014_q1(self, runner, tmp_path, value, growth, check):
        """914.59亿元 in Q1 2014: 1097.5 a year later is +20.0%, 1000 is +9.3% and a stated 20.0% differs."""
        later = tmp_path / "2015-q1.toml"
        later.write_text(self.LATER.format(value=value, growth=growth), encoding="utf-8")
        base = ["--file", str(REPORTS_BY_NAME["2014-q1.toml"]), "--file", str(later)]
        rows = {r["id"]: r for r in _json(runner, *base, "series", "industrial-gross-output")}
        point = rows["2015-q1.industry.gross-output"]
        assert point["growth_checked_against"] == "2014-q1.industry.gross-output"
        assert point["growth_check"] == check
        result = runner.invoke(app, [*base, "validate"])
        assert result.exit_code == 0, result.stderr
        assert ("warning: 2015-q1.industry.gross-output" in result.stderr) is (check == "differs")

"""`validate`: the knowledge file against its schema and against the report it quotes."""

from __future__ import annotations

import dataclasses

import pytest

from lj_facts.cli import app
from lj_facts.load import load
from lj_facts.validate import check_quotes, coverage, figures, normalize, uncaptured

from .conftest import MINIMAL, SOURCE

REPORT = "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全\n市的16.3%。6月26日开工。\n新引进项目 23 个。"


@pytest.fixture
def kb(write_file):
    return load(write_file())


class TestQuotes:
    def test_quote_found_across_line_breaks(self, kb):
        """White space of the printed page does not matter."""
        assert check_quotes(kb.facts, REPORT) == []

    def test_altered_quote_is_reported(self, kb):
        fact = dataclasses.replace(kb.facts[0], text="规上工业总产值达2008.4亿元")
        problems = [str(p) for p in check_quotes((fact,), REPORT)]
        assert "industry.gross-output: text: not found verbatim in the source" in problems

    @pytest.mark.parametrize("field", ["value", "growth_pct", "city_share_pct"])
    def test_figure_not_in_its_quote_is_reported(self, kb, field):
        fact = dataclasses.replace(kb.facts[0], **{field: 99.9})
        problems = [str(p) for p in check_quotes((fact,), REPORT)]
        assert f"industry.gross-output: {field}: 99.9 is not written in the fact's own text" in problems

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("占全市的1/10", 10),
            ("占工业产值比重超1/3", 33.3),
            ("占全市近1/2", 50),
            ("利润增长6.1倍", 610),
            ("首次突破千亿元", 1000),
            ("五十亿级项目", 50),
            ("全国第四个", 4),
            ("较5年前实现了翻倍", 100),
        ],
    )
    def test_figures_written_as_fractions_multiples_and_chinese_numerals(self, text, value):
        readings = [r for f in figures(normalize(text)) for r in f.readings]
        assert any(abs(r - value) < 0.05 for r in readings), readings


class TestCoverage:
    def test_uncaptured_figure_is_listed_with_line(self, kb):
        problems, checked, aside = uncaptured(kb, REPORT)
        assert [str(p) for p in problems] == [
            "source line 3: -: figure 23 is captured by no fact: …月26日开工。新引进项目23个。…"
        ]
        assert (checked, aside) == (4, 2), "2008.3, 41.1, 16.3, 23 checked; 6月 and 26日 set aside"

    def test_names_are_set_aside(self, kb):
        kb = kb._replace(meta=kb.meta._replace(names=("新引进项目 23 个",)))
        problems, _, aside = uncaptured(kb, REPORT + "《2021年规划》赛力斯SF5上市")
        assert problems == []
        assert aside == 5


class TestChineseNumeralCoverage:
    def test_chinese_numeral_figures_must_be_captured(self, kb):
        """千亿级, 第四, 翻倍, 千亿元 count in the coverage: listed when no quote captures them."""
        source = REPORT + "另一千亿级支柱产业发展迅速。获批成为全国第四个先导区。机构实现了翻倍增长。产值突破千亿元。"
        result = coverage(kb, source)
        assert [p.message.split(" is ")[0] for p in result.problems] == [
            "figure 23",
            "figure 千",
            "figure 四",
            "figure 翻倍",
            "figure 千",
        ]
        assert result.chinese == 4

    def test_size_class_is_captured_by_a_covering_quote(self, kb):
        """A size class (百亿级) names what is counted: a quote covering it captures it."""
        fact = dataclasses.replace(
            kb.facts[0], text="百亿级项目2个", value=2.0, unit="个", growth_pct=None, city_share_pct=None
        )
        result = coverage(kb._replace(facts=(fact,)), "其中，百亿级项目2个。")
        assert (result.problems, result.checked, result.chinese) == ([], 2, 1)

    def test_words_with_numerals_are_no_figures(self, kb):
        result = coverage(kb, "奋力推动“十四五”开好局，三一重工投产，两江新区一个产业集群。")
        assert (result.problems, result.checked) == ([], 0)


class TestCommand:
    def test_draft_with_to_do_exits_2_without_source(self, runner, write_file):
        """A label or topic still TODO is listed even without --source."""
        path = write_file(text=MINIMAL.replace('label = "gross industrial output"', 'label = "TODO"'))
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2
        assert "is a draft: 1 fact still to do: label:" in result.stderr
        assert "industry.gross-output: label: still to do" in result.stderr

    def test_clean_file_exits_0(self, runner, write_file):
        result = runner.invoke(app, ["validate", str(write_file())])
        assert result.exit_code == 0, result.output
        assert "schema ok: 1 facts (1 numbers, 0 claims), 1 topics" in result.stdout

    def test_source_problems_exit_2_with_every_problem(self, runner, write_file, tmp_path):
        source = tmp_path / "report.txt"
        source.write_text("规上工业总产值达2008.3亿元、增长41.1%。另有项目23个、企业5家。", encoding="utf-8")
        result = runner.invoke(app, ["validate", str(write_file()), "--source", str(source)])
        assert result.exit_code == 2
        assert "industry.gross-output: text: not found verbatim in the source" in result.stderr
        assert "figure 23 is captured by no fact" in result.stderr
        assert "figure 5 is captured by no fact" in result.stderr

    def test_schema_problem_exits_2(self, runner, write_file):
        path = write_file('\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "maybe"\n')
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2
        assert "a.b: kind: 'maybe' is not one of number, claim" in result.stderr

    def test_unreadable_source_exits_2(self, runner, write_file, tmp_path):
        result = runner.invoke(app, ["validate", str(write_file()), "--source", str(tmp_path / "missing.txt")])
        assert result.exit_code == 2
        assert "cannot read the source" in result.stderr


@pytest.mark.skipif(not SOURCE.is_file(), reason="the report is in ../shared/source beside a checkout")
def test_shipped_file_holds_against_the_report(runner):
    """Every quote verbatim, every figure in its quote, every figure of the report captured."""
    result = runner.invoke(app, ["validate", "--source", str(SOURCE)])
    assert result.exit_code == 0, result.stderr
    assert "all 122 figures of the source captured (12 of them written in Chinese numerals;" in result.stdout

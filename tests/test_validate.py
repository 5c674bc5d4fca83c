"""`validate`: the knowledge file against its schema and against the report it quotes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lj_facts.cli import app
from lj_facts.figures import figures
from lj_facts.index import shipped_path
from lj_facts.load import load, read_toml
from lj_facts.model import SetAside
from lj_facts.sentences import Sentence, split
from lj_facts.text import without_spaces
from lj_facts.validate import check_quotes, coverage, coverage_line, sentence_coverage, uncaptured

from .conftest import MINIMAL, SOURCE


def sentences(text: str) -> list[Sentence]:
    """The sentences of `text` by the one rule, `draft` and `validate` alike."""
    return list(split(text))


REPORT = "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全\n市的16.3%。6月26日开工。\n新引进项目 23 个。"


@pytest.fixture
def kb(write_file):
    return load(write_file())


class TestQuotes:
    def test_quote_found_across_line_breaks(self, kb):
        """White space of the printed page does not matter."""
        assert check_quotes(kb.facts, REPORT) == []

    def test_altered_quote_is_reported(self, kb):
        fact = kb.facts[0]._replace(text="规上工业总产值达2008.4亿元")
        problems = [str(p) for p in check_quotes((fact,), REPORT)]
        assert "industry.gross-output: text: not found verbatim in the source" in problems

    @pytest.mark.parametrize("field", ["value", "growth_pct", "city_share_pct"])
    def test_figure_not_in_its_quote_is_reported(self, kb, field):
        fact = kb.facts[0]._replace(**{field: 99.9})
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
        readings = [r for f in figures(without_spaces(text)) for r in f.readings]
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
        fact = kb.facts[0]._replace(text="百亿级项目2个", value=2.0, unit="个", growth_pct=None, city_share_pct=None)
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
        assert "schema ok: 1 fact (1 number, 0 claims), 1 topic" in result.stdout

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


def test_shipped_file_holds_against_the_report(runner):
    """Every quote verbatim, every figure in its quote, every figure of the report captured."""
    result = runner.invoke(app, ["validate", "--source", str(SOURCE)])
    assert result.exit_code == 0, result.stderr
    assert "all 122 figures of the source captured (12 of them written in Chinese numerals;" in result.stdout


class TestSentences:
    """The report is a printed page: lines break mid-sentence, captions stand between paragraphs."""

    def test_lines_are_joined_and_split_on_sentence_ends(self):
        """。！？ and ； end a sentence; line breaks and white space do not."""
        text = "两江新区规上工业总产值达2008.3亿\n元、增长41.1%；工业投资\n186.7亿元。好！"
        assert [s.text for s in sentences(text)] == [
            "两江新区规上工业总产值达2008.3亿元、增长41.1%；",
            "工业投资186.7亿元。",
            "好！",
        ]

    def test_closing_quote_stays_with_its_sentence(self):
        assert [s.text for s in sentences("他说“很好。”然后走了。")] == ["他说“很好。”", "然后走了。"]

    def test_blank_line_inside_a_sentence_is_a_column_break(self):
        """A blank line after a line of running text (with ，) does not end the sentence."""
        text = "6月26日，作为新区\n\n“两高两区”十大工程之一，项目开工。"
        assert [s.text for s in sentences(text)] == ["6月26日，作为新区“两高两区”十大工程之一，项目开工。"]

    def test_caption_and_headline_are_sentences_of_their_own(self):
        """A line without punctuation of running text, then a blank line: a caption or headline."""
        text = "果园港 陈力行 摄\n\n产值增长。\n 三一（重庆）投产\n\n加快制造业高质量发展\n着力打造引领区\n"
        assert [s.text for s in sentences(text)] == [
            "果园港陈力行摄",
            "产值增长。",
            "三一（重庆）投产",
            "加快制造业高质量发展着力打造引领区",
        ]

    def test_spans_index_the_normalized_text(self):
        text = "甲乙。\n丙 丁。"
        flat = without_spaces(text)
        assert all(flat[s.start : s.end] == s.text for s in sentences(text))

    @given(st.lists(st.sampled_from(["两江", "新区", "，", "。", "；", "\n", "\n\n", " ", "摄", "”"]), max_size=40))
    def test_sentences_tile_the_text(self, pieces):
        """Property: the sentences, in order, cover every letter of the text exactly once."""
        text = "".join(pieces)
        flat = without_spaces(text)
        found = sentences(text)
        assert [s.start for s in found] == sorted(s.start for s in found)
        assert all(a.end <= b.start for a, b in itertools.pairwise(found))
        covered = "".join(s.text for s in found)
        assert [c for c in covered if c.isalnum()] == [c for c in flat if c.isalnum()]


class TestSentenceCoverage:
    SOURCE = "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%。\n果园港 陈力行 摄\n\n比如，引入康宁项目，打造完整产业链。"

    def kb_with(self, kb, *quotes: str, aside: tuple[str, ...] = ()):
        facts = tuple(kb.facts[0]._replace(id=f"a.f{n}", text=q) for n, q in enumerate(quotes))
        return kb._replace(facts=kb.facts + facts, set_aside=tuple(SetAside(t, "r") for t in aside))

    def test_uncovered_sentences_are_listed_with_their_line(self, kb):
        coverage = sentence_coverage(kb, self.SOURCE)
        assert (coverage.total, coverage.covered, coverage.set_aside) == (3, 1, 0)
        assert [str(p) for p in coverage.problems] == [
            "source line 2: -: sentence quoted by no fact and not set aside: 果园港陈力行摄",
            "source line 4: -: sentence quoted by no fact and not set aside: 比如，引入康宁项目，打造完整产业链。",
        ]
        assert coverage_line(coverage) == "1 of 3 sentences covered (0 set aside): 33.3%"

    def test_quotes_together_cover_a_sentence_leaving_connectives(self, kb):
        """Two quotes cover one sentence piece by piece; 比如 (2 letters) needs no fact."""
        kb = self.kb_with(kb, "引入康宁项目", "打造完整产业链", aside=("果园港 陈力行 摄",))
        coverage = sentence_coverage(kb, self.SOURCE)
        assert coverage.problems == []
        assert coverage_line(coverage) == "3 of 3 sentences covered (1 set aside)"

    def test_a_claim_left_out_leaves_the_sentence_uncovered(self, kb):
        """More than MAX_GAP letters in a row outside every quote: the sentence is not covered."""
        text = "引入康宁玻璃基板前段熔炉项目，打造石英砂显示面板显示终端完整产业链。"
        kb = self.kb_with(kb, "引入康宁玻璃基板前段熔炉项目", "完整产业链")
        assert [s.text for s in sentences(text)] == [text]
        assert sentence_coverage(kb, text).covered == 0, "打造石英砂显示面板显示终端: 13 letters unquoted"
        assert sentence_coverage(kb, text, max_gap=20).covered == 1

    def test_a_short_sentence_is_not_covered_by_being_short(self, kb):
        """At least half of a sentence's letters must be quoted: a 7-letter caption is not covered by nothing."""
        assert sentence_coverage(kb, "果园港 陈力行 摄\n\n").covered == 0

    def test_set_aside_text_must_be_verbatim(self, kb):
        kb = self.kb_with(kb, aside=("果园港 某某 摄",))
        problems = [str(p) for p in sentence_coverage(kb, self.SOURCE).problems]
        assert "set_aside[1]: text: not found verbatim in the source" in problems


class TestSentenceCoverageCommand:
    def test_uncovered_sentence_fails_validate(self, runner, write_file, tmp_path):
        """Below 100 %: the coverage line on stdout, exit 2, the uncovered sentence on stderr."""
        source = tmp_path / "report.txt"
        source.write_text(
            "规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%。\n两江新区集聚了众多企业。\n", encoding="utf-8"
        )
        result = runner.invoke(app, ["validate", str(write_file()), "--source", str(source)])
        assert result.exit_code == 2
        assert f"{source}: 1 of 2 sentences covered (0 set aside): 50.0%" in result.stdout
        assert (
            "source line 2: -: sentence quoted by no fact and not set aside: 两江新区集聚了众多企业。" in result.stderr
        )

    def test_set_aside_sentence_passes(self, runner, write_file, tmp_path):
        source = tmp_path / "report.txt"
        source.write_text(
            "规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%。\n果园港 陈力行 摄\n", encoding="utf-8"
        )
        path = write_file('\n[[set_aside]]\ntext = "果园港 陈力行 摄"\nreason = "photo credit"\n')
        result = runner.invoke(app, ["validate", str(path), "--source", str(source)])
        assert result.exit_code == 0, result.stderr
        assert f"{source}: 2 of 2 sentences covered (1 set aside)" in result.stdout

    @pytest.mark.parametrize(
        ("entry", "problem"),
        [
            ('text = "x"', "set_aside[1]: reason: missing"),
            ('text = "x"\nreason = "r"\nwhy = "y"', "set_aside[1]: why: unknown field"),
            ('text = ""\nreason = "r"', "set_aside[1]: text: must not be empty"),
        ],
    )
    def test_set_aside_schema(self, runner, write_file, entry, problem):
        result = runner.invoke(app, ["validate", str(write_file(f"\n[[set_aside]]\n{entry}\n"))])
        assert result.exit_code == 2
        assert problem in result.stderr


def test_shipped_file_covers_every_sentence(runner):
    """The shipped file quotes or sets aside every sentence of the report: 100 %."""
    result = runner.invoke(app, ["validate", "--source", str(SOURCE)])
    assert result.exit_code == 0, result.stderr
    kb = load(shipped_path())
    coverage = sentence_coverage(kb, SOURCE.read_text(encoding="utf-8"))
    assert coverage.covered == coverage.total > 100
    assert f"{coverage.total} of {coverage.total} sentences covered ({coverage.set_aside} set aside)" in result.stdout
    for entry in kb.set_aside:
        assert entry.reason.strip(), entry.text


def test_shipped_facts_name_their_period():
    """Every shipped fact writes its period, `not-given` where the report names none: none takes the default."""
    raw = read_toml(shipped_path())
    assert [f["id"] for f in raw["facts"] if "period" not in f] == []
    incubated = next(f for f in load(shipped_path()).facts if f.id == "innovation.incubated-enterprises")
    assert incubated.period == "not-given", "新增孵化企业19家 names no period"


def test_counts_take_the_right_number(runner, write_file, tmp_path):
    """One fact, one topic, one problem: never "1 facts", "1 topics" or "(1 problems)"."""
    path = write_file()
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "schema ok: 1 fact (1 number, 0 claims), 1 topic" in result.stdout
    source = tmp_path / "report.txt"
    source.write_text("规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%。两江新区风景很美。\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--source", str(source)])
    assert result.exit_code != 0
    assert "(1 problem)" in result.stderr, result.stderr
    assert "1 problems" not in result.stderr + result.stdout and "all 1 quote verbatim" in result.stdout

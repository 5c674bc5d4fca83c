"""`lj-facts draft`: a knowledge-file draft of a report, and how it agrees with the hand-made file."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lj_facts.agreement import GOAL, agree
from lj_facts.cli import app
from lj_facts.draft import SET_ASIDE_TODO, draft, to_toml, toml_string
from lj_facts.errors import ReportError
from lj_facts.index import shipped_path
from lj_facts.load import load, parse, parse_toml

from .conftest import SOURCE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_REPORTISH = list(
    "0123456789.%/，、。；：增长下降占全市的比高个百分点第位名中排名居约近超过余多以上左右倍翻番亿万元家个所项辆吨户"
    '平方米班次天千百十五两一二三四截至今年上半月底全年每年—-分别和及级 \n"\\'
)
REPORT = """\
两江新区半年报

上半年两江新区全域 GDP 达2000.2亿元、同比增长15%，占全市的15.5%、提高0.7个百分点。
规上工业利润增长6.1倍，工业增加值率提升2.5个百分点。
两江新区另一千亿级支柱产业也发展迅速。
"""


def _fill_in(toml: str) -> str:
    """What a person does to a draft: labels, topics and the area and city."""
    toml = toml.replace("[topics.todo]", "[topics.economy]").replace('topics = ["todo"]', 'topics = ["economy"]')
    toml = toml.replace('label = "TODO"', 'label = "a figure"')
    toml = toml.replace(f'reason = "{SET_ASIDE_TODO}"', 'reason = "headline: the sentences under it state it"')
    toml = re.sub(r'"TODO: the area, in English"', '"Liangjiang New Area"', toml)
    toml = re.sub(r'"TODO: [^"]*"', '"两江新区"', toml)
    return toml.replace('name = "TODO"', 'name = "Economy"')


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


class TestDraft:
    def test_one_fact_per_figure_in_report_order(self, runner, report):
        """Each figure becomes a fact with its quote, fields and period; ids in report order."""
        result = runner.invoke(app, ["draft", str(report)])
        assert result.exit_code == 0, result.stderr
        doc = tomllib.loads(result.stdout)
        facts = doc["facts"]
        assert [f["id"] for f in facts] == ["draft.001", "draft.002", "draft.003", "draft.004"]
        gdp = facts[0]
        assert gdp["text"] == "上半年两江新区全域GDP达2000.2亿元、同比增长15%，占全市的15.5%、提高0.7个百分点"
        assert (gdp["value"], gdp["unit"], gdp["growth_pct"], gdp["city_share_pct"]) == (2000.2, "亿元", 15, 15.5)
        assert gdp["city_share_change_pp"] == 0.7
        assert gdp["period"] == "not-given", "the report writes no year: 上半年 of which year is not said"
        assert facts[1]["growth_pct"] == 610 and facts[1]["period"] == "not-given"
        assert facts[2]["change_pp"] == 2.5
        size = facts[3]
        assert (size["kind"], size["value"], size["unit"], size["qualifier"]) == ("number", 1000, "亿元", "at_least")
        assert size["text"] == "两江新区另一千亿级支柱产业也发展迅速"
        assert all(f["label"] == "TODO" and f["topics"] == ["todo"] for f in facts), "it never invents a label"
        assert doc["sources"][0] == {
            "id": "report",
            "title": "两江新区半年报",
            "period_inference": doc["meta"]["period_inference"],
            "note": "TODO: check the title (taken from line 1 of the report); add publisher, date and URL.",
        }

    def test_year_fills_in_the_periods(self, runner, report):
        result = runner.invoke(app, ["draft", str(report), "--year", "2021"])
        facts = tomllib.loads(result.stdout)["facts"]
        assert facts[0]["period"] == "2021-H1"
        assert "The year 2021 was given (--year)." in tomllib.loads(result.stdout)["meta"]["period_inference"]

    def test_year_is_the_one_written_most(self):
        """Without --year, a release date or a year written before it, the year the report writes most often."""
        made = draft("比2020年增长5%。2021年上半年产值100亿元。2021年重点任务。到2035年建成。", "r.txt")
        assert [s.period for s in made.statements] == ["not-given", "2021-H1"]
        assert "else 2021, the year the report writes most often (“2021年”, 2 times" in made.period_inference

    def test_draft_loads_and_answers_look_ups(self, runner, report, tmp_path):
        """A draft is a knowledge file: topics and search work on it."""
        out = tmp_path / "draft.toml"
        assert runner.invoke(app, ["draft", str(report), "-o", str(out)]).exit_code == 0
        topics = runner.invoke(app, ["topics", "--file", str(out), "--format", "json"])
        assert topics.exit_code == 0, topics.stderr
        assert '"slug": "todo"' in topics.stdout
        found = runner.invoke(app, ["search", "全域", "--file", str(out), "--format", "json"])
        assert found.exit_code == 0 and '"id": "draft.001"' in found.stdout

    def test_validate_lists_what_is_still_to_do(self, runner, report, tmp_path):
        """Exit 2 with the to-do until a person has written labels and topics; then clean."""
        out = tmp_path / "draft.toml"
        runner.invoke(app, ["draft", str(report), "-o", str(out)])
        result = runner.invoke(app, ["validate", str(out), "--source", str(report)])
        assert result.exit_code == 2
        assert "is a draft: 4 facts still to do: label, topics; meta still to do: region" in result.stderr
        assert "draft.001: label, topics: still to do" in result.stderr
        assert "1 sentence no fact quotes: quote or set aside" in result.stderr
        assert "set_aside[1]: reason: still to do: 两江新区半年报" in result.stderr
        out.write_text(_fill_in(out.read_text(encoding="utf-8")), encoding="utf-8")
        done = runner.invoke(app, ["validate", str(out), "--source", str(report)])
        assert done.exit_code == 0, done.stderr
        assert "all 7 figures of the source captured (1 of them written in Chinese numerals" in done.stdout

    def test_refuses_to_overwrite_without_force(self, runner, report, tmp_path):
        out = tmp_path / "draft.toml"
        out.write_text("mine", encoding="utf-8")
        result = runner.invoke(app, ["draft", str(report), "-o", str(out)])
        assert result.exit_code == 2
        assert "exists; --force overwrites it" in result.stderr
        assert out.read_text(encoding="utf-8") == "mine"
        assert runner.invoke(app, ["draft", str(report), "-o", str(out), "--force"]).exit_code == 0
        assert out.read_text(encoding="utf-8").startswith("# Knowledge-file draft")


class TestBadInput:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "is empty"),
            (b"  \n\n ", "is empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "holds binary data (a NUL byte at byte 8), not plain text"),
            (
                "两江新区".encode("gbk"),
                "not UTF-8 text (byte 0); it reads as GB18030 (or Big5): `iconv -f GB18030 -t UTF-8` (`-f BIG5`) converts it",
            ),
            (
                "两江新区。".encode("utf-16"),
                "not UTF-8 text (byte 0); it reads as UTF-16: `iconv -f UTF-16 -t UTF-8` converts it",
            ),
            (b"\xe9t\xe9", "not UTF-8 text (byte 0)"),  # Latin-1, no Chinese: no guess
            ("两江新区坚持以人民为中心的发展思想。".encode(), "states no figure the parser can read: nothing to draft"),
        ],
    )
    def test_clear_message_exit_2(self, runner, tmp_path, content, message):
        """Empty, binary, non-UTF-8, no figure: one line on stderr, exit 2, never a traceback."""
        path = tmp_path / "r.txt"
        path.write_bytes(content)
        result = runner.invoke(app, ["draft", str(path)])
        assert result.exit_code == 2
        assert result.stderr == f"lj-facts: {path}: {message}\n"

    def test_missing_and_directory(self, runner, tmp_path):
        assert "no such file" in runner.invoke(app, ["draft", str(tmp_path / "nope.txt")]).stderr
        result = runner.invoke(app, ["draft", str(tmp_path)])
        assert result.exit_code == 2 and "is a directory, not a report" in result.stderr

    @pytest.mark.slow
    def test_ten_megabyte_report_is_drafted_whole(self, tmp_path):
        """A 10 MB report: a draft of every figure (its time, linear in the text, is benchmarks/wide.py's)."""
        sentence = "规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%。\n"
        text = sentence * (10_000_000 // len(sentence.encode()))
        made = draft(text, "big.txt")
        toml = to_toml(made)
        assert len(made.statements) == text.count("\n")
        assert toml.count("[[facts]]") == len(made.statements)


@given(st.text())
def test_toml_strings_round_trip(text):
    """Any text, control characters and quotes included, is written as a TOML string that reads back."""
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


class TestAgainstTheHandMadeFile:
    def test_agreement_meets_the_goal(self):
        """Every figure of the report in the draft, and >= 95 % of the numeric fields equal to facts.toml."""
        text = SOURCE.read_text(encoding="utf-8")
        drafted = parse(parse_toml(to_toml(draft(text, SOURCE.name)).encode(), "draft"), "draft")
        result = agree(load(shipped_path()), drafted, text)
        assert result.figures_in_draft == result.figures == 122
        assert result.matched == result.facts
        assert result.percent >= GOAL, result.differences
        assert result.goal_met

    def test_compare_command(self, runner):
        result = runner.invoke(app, ["draft", str(SOURCE), "--compare", str(shipped_path())])
        assert result.exit_code == 0, result.stderr
        assert "figures of the report in the draft: 122 of 122" in result.stdout
        assert "goal (every figure in the draft, >= 95% of the fields equal): met" in result.stdout

    def test_draft_of_the_report_loads(self):
        """The shipped report's draft is a knowledge file of the current schema."""
        text = SOURCE.read_text(encoding="utf-8")
        kb = parse(tomllib.loads(to_toml(draft(text, SOURCE.name))), "draft")
        assert len(kb.facts) >= 88
        assert {f.period for f in kb.facts} >= {"2021-H1", "2021-06-30", "per-year", "not-given"}


class TestDraftAlwaysLoads:
    @pytest.mark.parametrize(
        ("text", "comment"),
        [
            ("全国第0位。", "rank = 0, which the schema refuses: 0 is outside 1–1e9"),
            ("增加值占全市150%。", "city_share_pct = 150, which the schema refuses: 150.0 is outside 0–100"),
            ("产值下降150%。", "growth_pct = -150, which the schema refuses: -150.0 is outside -100–1e6"),
            ("在全国3个城市中排名第7。", "rank_of = 3, which the schema refuses: rank 7 is beyond it"),
        ],
    )
    def test_figures_the_schema_refuses_become_comments(self, text, comment):
        """A figure outside the schema is kept for a person to read, and the draft still loads."""
        toml = to_toml(draft(text, "r.txt"))
        assert f"# TODO: the parser read {comment}" in toml
        parse(tomllib.loads(toml), "draft")

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(alphabet=st.sampled_from(_REPORTISH), max_size=60))
    def test_any_text_drafts_or_says_why_not(self, text):
        """Any text of the report's characters: a draft that loads, or a ReportError; nothing else."""
        try:
            made = draft(text, "r.txt")
        except ReportError:
            return
        parse(tomllib.loads(to_toml(made)), "draft")


def test_growth_below_minus_100_is_a_schema_problem(runner, write_file):
    """The loader says a one-sided bound plainly (it used to fail formatting the missing bound)."""
    path = write_file(
        '\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ngrowth_pct = -150\n'
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "a.b: growth_pct: -150 is outside -100–1e6" in result.stderr


class TestMetadata:
    """draft --url --title --publisher --published --period fill [[sources]] and [meta]."""

    def test_options_fill_the_source_and_meta(self, runner, report):
        args = ["draft", str(report), "--url", "https://example.org/r", "--title", "半年报", "--publisher", "两江新区"]
        result = runner.invoke(app, [*args, "--published", "2021-07-20", "--period", "2021-H1"])
        assert result.exit_code == 0, result.stderr
        doc = tomllib.loads(result.stdout)
        source = doc["sources"][0]
        assert (source["url"], source["title"], source["publisher"], source["date"]) == (
            "https://example.org/r",
            "半年报",
            "两江新区",
            "2021-07-20",
        )
        assert "note" not in source, "nothing is left to do about the source"
        assert doc["meta"]["default_period"] == "2021-H1"
        assert doc["facts"][1]["period"] == "2021-H1", (
            "the released year fills 上半年, which carries to the next sentence"
        )

    def test_dateline_gives_the_release_date(self):
        """Without --published, a date the text prints near its top is the release date (and marked to check)."""
        made = draft("两江新区经济\n2021-01-29 17:59:03来源:某网\n今年一季度产值100亿元。", "r.txt")
        assert made.date == "2021-01-29" and made.date_from_text
        assert [s.period for s in made.statements] == ["2021-Q1"]
        assert made.unread == (), "the time stamp is no figure"

    def test_no_year_known_says_so(self):
        """Where nothing gives a year, the period is not-given with a to-do, never a guess."""
        toml = to_toml(draft("一季度产值100亿元。", "r.txt"))
        assert 'period = "not-given"' in toml
        assert "# TODO: 1 period of the report named no year and none was known" in toml

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--published", "July 2021", "--published: 'July 2021' is not a date"),
            ("--period", "H1", "--period: 'H1' is not a period"),
            ("--url", " ", "--url: is empty"),
        ],
    )
    def test_bad_options_are_usage_errors(self, runner, report, option, value, message):
        """A wrong option value: exit 2, one clear message, no traceback."""
        result = runner.invoke(app, ["draft", str(report), option, value])
        assert result.exit_code == 2
        assert message in result.stderr and "Traceback" not in result.stderr


class TestScripts:
    def test_traditional_release_drafts_and_loads(self, runner, tmp_path):
        """A traditional-character release (synthetic sentences) drafts verbatim and loads."""
        path = tmp_path / "r.txt"
        path.write_text(
            "2021年前三季度，兩江新區(qū)規上工業產值增長(zhǎng)12.1%，汽車產量36萬輛。\n", encoding="utf-8"
        )
        out = tmp_path / "d.toml"
        assert runner.invoke(app, ["draft", str(path), "-o", str(out)]).exit_code == 0
        facts = tomllib.loads(out.read_text(encoding="utf-8"))["facts"]
        assert [(f.get("growth_pct"), f.get("value"), f.get("unit"), f["period"]) for f in facts] == [
            (12.1, None, None, "2021-01/2021-09"),
            (None, 36, "万辆", "2021-01/2021-09"),
        ]
        assert facts[0]["text"] == "兩江新區(qū)規上工業產值增長(zhǎng)12.1%"
        assert ": 2021\n" not in out.read_text(encoding="utf-8"), "2021 of 2021年前三季度 is no digit left unread"
        assert runner.invoke(app, ["topics", "--file", str(out)]).exit_code == 0

    def test_english_quote_keeps_its_spaces(self):
        """An English quote is the sentence as written, one space between words."""
        made = draft(
            "Output rose to 316.12 billion yuan ($47.42 billion),\na year-on-year increase of 29.4 percent.", "r.txt"
        )
        assert made.statements[0].text == (
            "Output rose to 316.12 billion yuan ($47.42 billion), a year-on-year increase of 29.4 percent."
        )

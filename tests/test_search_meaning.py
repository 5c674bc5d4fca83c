"""Search by meaning: ids, the glossary, NFKC and traditional characters, alias floods, and how many terms."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lj_facts.cli import app
from lj_facts.errors import KnowledgeFileError
from lj_facts.search import search, segment
from lj_facts.text import fold, joined_phrases, needs_simplifying, normalise

from .conftest import MINIMAL, ids, index_of
from .eval_search import QUERIES, evaluate


class TestEvaluation:
    def test_the_evaluation_set_is_large_and_varied(self):
        """At least 60 queries, of every kind the issue names."""
        assert len(QUERIES) >= 60
        assert {q.kind for q in QUERIES} >= {
            "chinese",
            "english",
            "mixed",
            "typo",
            "traditional",
            "full-width",
            "synonym",
        }

    def test_precision_and_recall_stay_above_the_floor(self, shipped):
        """Precision@5 and recall@5 over the whole set, and recall for each kind of query."""
        scores = evaluate(shipped)
        assert scores["all"].recall >= 0.95
        assert scores["all"].precision >= 0.85
        for kind, s in scores.items():
            assert s.recall >= 0.85, kind


class TestIds:
    @pytest.mark.parametrize("fact_id", ["industry.gross-output", "auto.nev-production", "trade.foreign-capital"])
    def test_an_exact_id_finds_that_fact_first(self, runner, fact_id):
        assert ids(runner, "search", fact_id)[0] == fact_id

    def test_an_id_in_capitals_or_with_spaces_around_finds_it_too(self, shipped):
        assert search(shipped, ["  Industry.Gross-Output "])[0].id == "industry.gross-output"


class TestGlossary:
    @pytest.mark.parametrize(
        ("terms", "wanted"),
        [
            (["研发"], "innovation.research-contracts"),
            (["R&D"], "innovation.research-contracts"),
            (["chips"], "electronics.gpu-project"),
            (["semiconductors"], "electronics.gpu-project"),
            (["integrated", "circuits"], "electronics.gpu-project"),
            (["集成电路"], "electronics.gpu-project"),
            (["electric", "vehicles"], "auto.nev-production"),
            (["EV"], "auto.nev-production"),
            (["phone"], "electronics.smartphones"),
            (["smartphones"], "electronics.smartphones"),
            (["foreign", "investment"], "trade.foreign-capital"),
            (["FDI"], "trade.foreign-capital"),
        ],
    )
    def test_a_word_finds_the_facts_of_its_synonyms(self, shipped, terms, wanted):
        assert wanted in [f.id for f in search(shipped, terms, limit=5)]

    def test_a_glossary_in_a_file_of_ones_own_joins_its_words(self, write_file):
        """The glossary is the knowledge file's: a term of a group finds the facts of any other."""
        path = write_file('\n[glossary]\ngroups = [["规上工业", "big factories"]]\n')
        assert [f.id for f in search(index_of(path), ["big", "factories"])] == ["industry.gross-output"]

    def test_a_file_without_a_glossary_still_loads(self, write_file):
        path = write_file()
        assert [f.id for f in search(index_of(path), ["工业"])] == ["industry.gross-output"]

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            ('groups = "研发"', "glossary: groups: must be an array of arrays of terms"),
            ('groups = [["研发"]]', "glossary: groups: group 1 must be an array of two or more non-empty strings"),
            ('groups = [["研发", ""]]', "glossary: groups: group 1 must be an array of two or more non-empty strings"),
            (
                'groups = [["phone", "手机"], ["phones", "电话"]]',
                "glossary: groups: 'phones' is in group 1 and group 2: a term may mean one thing",
            ),
            ('groups = [["a", "b"]]\nwords = []', "glossary: words: unknown field"),
            ("", "glossary: groups: missing"),
        ],
    )
    def test_the_glossary_is_checked(self, write_file, table, message):
        """Every problem of the table is named, with the schema's other problems."""
        path = write_file("\n[glossary]\n" + table + "\n")
        with pytest.raises(KnowledgeFileError) as caught:
            index_of(path)
        assert message in str(caught.value)


class TestNormalisation:
    @pytest.mark.parametrize(
        ("term", "normalised"),
        [
            ("ｉｎｄｕｓｔｒｙ", "industry"),
            ("ＧＤＰ", "gdp"),
            ("２００８．３", "2008.3"),
            ("汽車", "汽车"),
            ("醫院", "医院"),
            ("積體電路", "集成电路"),
            ("  Electric   Vehicles ", "electric vehicles"),
            ("汽车", "汽车"),
        ],
    )
    def test_terms_are_folded_and_simplified(self, term, normalised):
        assert normalise(term) == normalised

    @pytest.mark.parametrize(
        ("terms", "wanted"),
        [(["ｉｎｄｕｓｔｒｙ"], "industry.gross-output"), (["汽車"], "auto.output-value"), (["醫院"], None)],
    )
    def test_full_width_and_traditional_terms_find_what_the_plain_ones_do(self, shipped, terms, wanted):
        plain = [normalise(t) for t in terms]
        assert [f.id for f in search(shipped, terms)] == [f.id for f in search(shipped, plain)]
        if wanted:
            assert wanted in [f.id for f in search(shipped, terms, limit=5)]

    @pytest.mark.parametrize(
        ("word", "slug"), [("汽車", "auto"), ("ＩＮＤＵＳＴＲＹ", "industry"), (" 教育 ", "education")]
    )
    def test_a_topic_is_named_in_traditional_or_full_width_characters_too(self, runner, shipped, word, slug):
        assert ids(runner, word) == [f.id for f in shipped.topic_facts(slug)]

    def test_only_traditional_characters_need_the_converter(self):
        assert needs_simplifying("汽車") and needs_simplifying("醫院")
        assert not needs_simplifying("汽车") and not needs_simplifying("industry 2008.3")

    @pytest.mark.parametrize(
        ("args", "imported"),
        [
            (["search", "汽车"], False),
            (["industry"], False),
            (["search", "vehicle"], False),
            (["search", "汽車"], True),
        ],
    )
    def test_the_converter_is_imported_only_for_a_traditional_term(self, args, imported):
        """A look-up in simplified Chinese or English starts no faster or slower than before: no opencc. A
        fresh interpreter: whether a module was imported is a question of the process's sys.modules."""
        code = textwrap.dedent(
            f"""
            import sys
            from typer.testing import CliRunner
            from lj_facts.cli import app
            result = CliRunner().invoke(app, {args!r})
            assert result.exit_code == 0, result.output
            print("opencc" in sys.modules)
            """
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == str(imported)

    def test_without_a_converter_a_traditional_term_is_searched_as_typed(self, monkeypatch, shipped):
        """An install without opencc still answers: 汽車 then finds what the text says in 汽車 (nothing here)."""
        import builtins

        from lj_facts import text

        real_import = builtins.__import__

        def no_opencc(name, *args, **kwargs):
            if name == "opencc":
                raise ImportError("no opencc")
            return real_import(name, *args, **kwargs)

        text._converter.cache_clear()
        monkeypatch.setattr(builtins, "__import__", no_opencc)
        try:
            assert normalise("汽車") == "汽車"
            assert search(shipped, ["汽車"]) == []
        finally:
            monkeypatch.undo()
            text._converter.cache_clear()
        assert normalise("汽車") == "汽车"

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=30))
    def test_normalising_twice_changes_nothing(self, text):
        """The index and the search meet on the same text however often it is normalised."""
        once = normalise(text)
        assert normalise(once) == once
        assert fold(once) == once


class TestPeriods:
    @pytest.mark.parametrize(
        ("terms", "wanted"),
        [
            (["GDP", "2021"], "economy.gdp"),
            (["2021-H1", "GDP"], "economy.gdp"),
            (["air", "per-year"], "environment.good-air-days"),
        ],
    )
    def test_a_fact_is_found_by_its_period_too(self, shipped, terms, wanted):
        assert search(shipped, terms)[0].id == wanted


class TestAliases:
    def test_an_alias_does_not_flood_the_answer(self, shipped):
        """外资 is an alias of the trade topic: port throughput and train trips are not about it."""
        found = [f.id for f in search(shipped, ["外资"])]
        assert found[0] == "trade.foreign-capital"
        assert "opening.guoyuan-port-throughput" not in found
        assert "opening.china-europe-trains" not in found

    def test_an_alias_no_fact_says_lists_the_topics_own_facts(self, runner):
        """`welfare` is only an alias of livelihood: the facts livelihood is primary for, with a note."""
        result = runner.invoke(app, ["search", "welfare", "--json"])
        assert result.exit_code == 0
        found = [r["id"] for r in json.loads(result.stdout)]
        assert found and all(i.startswith("livelihood.") for i in found)
        assert "alias" in result.stderr

    def test_a_topics_name_lists_its_facts_that_do_not_say_it_after_those_that_do(self, write_file):
        """工业 names the topic: its fact whose words do not say 工业 comes after the one that does."""
        quiet = textwrap.dedent(
            """\
            [[facts]]
            id = "industry.quiet"
            topics = ["industry"]
            label = "output of the area"
            text = "产值增长41.1%"
            kind = "number"
            growth_pct = 41.1

            """
        )
        path = write_file(text=MINIMAL.replace("[[facts]]", quiet + "[[facts]]", 1))
        assert [f.id for f in search(index_of(path), ["工业"])] == ["industry.gross-output", "industry.quiet"]


class TestNothingFound:
    def test_terms_that_find_facts_apart_but_not_together_are_named(self, runner):
        result = runner.invoke(app, ["search", "kindergarten", "汽车"])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert "each term alone finds facts" in result.stderr
        assert "`lj-facts search kindergarten`" in result.stderr and "`lj-facts search 汽车`" in result.stderr

    def test_a_chinese_term_found_nowhere_whole_is_searched_by_its_words(self, runner):
        result = runner.invoke(app, ["search", "汽车产量", "--json"])
        assert result.exit_code == 0
        assert "auto.vehicle-production" in [r["id"] for r in json.loads(result.stdout)]
        assert "searched for its words together: 汽车 产量" in result.stderr

    @pytest.mark.parametrize(
        ("args", "wanted"),
        [(["number", "of", "schools"], "education.schools"), (["幼儿园数量"], "education.kindergartens")],
    )
    def test_the_words_of_a_question_are_left_out_when_nothing_matches_with_them(self, runner, args, wanted):
        result = runner.invoke(app, ["search", *args, "--json"])
        assert result.exit_code == 0
        assert wanted in [r["id"] for r in json.loads(result.stdout)][:3]
        assert "searched without" in result.stderr

    @pytest.mark.parametrize(
        ("text", "parts"),
        [("汽车产量", ["汽车", "产量"]), ("电子信息产业产值", ["电子信息", "产业", "产值"]), ("汽车型", ["汽车"])],
    )
    def test_segment_cuts_at_the_longest_known_words(self, text, parts):
        assert segment(text, {"汽车", "产量", "电子信息", "产值", "电子"}, 4) == parts


class TestManyTerms:
    def test_ten_thousand_repeated_terms_answer_at_once(self, shipped):
        start = time.perf_counter()
        found = search(shipped, ["汽车", "ＡＵＴＯ", "auto"] * 3334)
        assert time.perf_counter() - start < 10  # a hang guard: a quadratic join takes minutes
        assert found == search(shipped, ["汽车", "auto"])

    def test_ten_thousand_repeated_terms_on_the_command_line(self, runner):
        start = time.perf_counter()
        result = runner.invoke(app, ["search", *(["vehicle"] * 10_000), "--json"])
        assert result.exit_code == 0
        assert time.perf_counter() - start < 10  # a hang guard: a quadratic join takes minutes

    def test_too_many_different_terms_is_a_usage_error(self, runner):
        result = runner.invoke(app, ["search", *(f"word{i}" for i in range(200))])
        assert result.exit_code == 2
        assert "too many different search terms (200); at most 32" in result.stderr

    def test_phrases_are_joined_in_linear_time(self):
        terms = ["electric", "vehicles"] * 5000
        start = time.perf_counter()
        joined = joined_phrases(terms, ["electric vehicles"], 6)
        assert time.perf_counter() - start < 10  # a hang guard: a quadratic join takes minutes
        assert joined == ["electric vehicles"] * 5000


class TestLimit:
    @pytest.mark.parametrize("args", [["search", "汽车"], ["search", "industry"], ["汽车"], ["vehicle"]])
    def test_limit_prints_the_first_facts_of_the_whole_answer(self, runner, args):
        whole = ids(runner, *args)
        assert ids(runner, *args, "--limit", "3") == whole[:3]
        assert ids(runner, *args, "-n", "1") == whole[:1]

    def test_a_limit_below_one_is_a_usage_error(self, runner):
        result = runner.invoke(app, ["search", "汽车", "-n", "0"])
        assert result.exit_code == 2


class TestNothingWrittenAnywhere:
    @pytest.mark.parametrize("term", ["稀土", "区块链", "quantum"])
    def test_a_term_written_nowhere_is_known_without_reading_a_fact(self, monkeypatch, term):
        """The index lists the file's words and Chinese characters and pairs: no haystack is read."""
        index = index_of()

        def unread():
            raise AssertionError("the haystacks were read")

        monkeypatch.setattr(index, "haystacks", unread)
        assert search(index, [term]) == []

    def test_a_term_written_somewhere_is_still_found(self):
        """The check never refuses a term the facts hold (every two-character run of a quote)."""
        index = index_of()
        for fact in index.facts_at(range(126)):
            run = "".join(ch for ch in fact.text if "\u4e00" <= ch <= "\u9fff")[:2]
            if len(run) == 2 and run in fact.text:
                assert fact.id in [f.id for f in search(index, [run])], run

"""`lj-facts search` and `lj-facts WORD...`: bilingual keyword search, ranked, with suggestions."""

from __future__ import annotations

import json

import pytest

from lj_facts.cli import app
from lj_facts.search import search, stem, suggest


@pytest.fixture(autouse=True)
def _both_ways(both_ways):
    """Every search test runs with the cached index and without it."""


def ids(runner, *args: str) -> list[str]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("vehicles", "vehicle"),
        ("vehicle", "vehicle"),
        ("industries", "industry"),
        ("boxes", "box"),
        ("kindergartens", "kindergarten"),
        ("services", "service"),
        ("business", "business"),
        ("gas", "gas"),
    ],
)
def test_stem_drops_plural_endings(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("terms", "must_include"),
    [
        (["汽车"], "auto.output-value"),
        (["新能源汽车"], "auto.nev-production"),
        (["进出口"], "trade.foreign-trade"),
        (["外资"], "trade.foreign-capital"),
        (["vehicle"], "auto.vehicle-production"),
        (["vehicles"], "auto.vehicle-makers"),
        (["kindergarten"], "education.kindergartens"),
        (["Kindergartens"], "education.kindergartens"),
        (["port", "cargo"], "opening.guoyuan-port-throughput"),
        (["foreign", "capital"], "trade.foreign-capital"),
        (["2008.3"], "industry.gross-output"),
        (["industry.gross-output"], "industry.gross-output"),
        (["亿美元"], "trade.foreign-capital"),
    ],
)
def test_search_finds_chinese_and_english_terms(runner, terms, must_include):
    assert must_include in ids(runner, "search", *terms)


def test_every_term_must_match(shipped):
    """Terms are ANDed: 汽车 alone finds more than 汽车 with 新能源."""
    both = search(shipped, ["汽车", "新能源"])
    assert both and len(both) < len(search(shipped, ["汽车"]))
    assert all("新能源" in f.text or "新能源" in f.label for f in both)


def test_chinese_term_matches_topic_only_by_whole_name(shipped):
    """新能源 is part of the auto alias 新能源汽车, but does not pull in every auto fact."""
    found = {f.id for f in search(shipped, ["新能源"])}
    assert "auto.vehicle-makers" not in found
    assert "auto.nev-production" in found


def test_label_hits_rank_before_quote_only_hits(shipped):
    found = [f.id for f in search(shipped, ["kindergarten"])]
    assert found[0] == "education.kindergartens"
    label_hits = [i for i, f in enumerate(search(shipped, ["investment"])) if "investment" in f.label]
    assert label_hits == list(range(len(label_hits))), "every label hit comes before any other hit"


def test_word_that_is_no_topic_runs_a_search(runner):
    assert ids(runner, "vehicle") == ids(runner, "search", "vehicle")
    assert ids(runner, "port", "cargo") == ids(runner, "search", "port", "cargo")


def test_topic_word_lists_the_topic_not_a_search(runner, shipped):
    assert ids(runner, "auto") == [f.id for f in shipped.topic_facts("auto")]


@pytest.mark.parametrize(
    ("args", "hint"),
    [(["industy"], "did you mean: industry?"), (["search", "vehicel"], "vehicle"), (["educaton"], "education")],
)
def test_nothing_found_exits_1_with_suggestion(runner, args, hint):
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nothing matches" in result.stderr and hint in result.stderr


def test_nothing_found_without_a_close_word_points_to_topics(runner):
    result = runner.invoke(app, ["search", "zzzzqqq"])
    assert result.exit_code == 1
    assert "lj-facts topics" in result.stderr


def test_suggest_offers_topics_and_label_words(shipped):
    assert suggest(shipped.vocabulary(), ["industy"])[0] == "industry"
    assert "kindergartens" in suggest(shipped.vocabulary(), ["kindergarden"])


TERMS = [
    ["汽车"],
    ["外资"],
    ["vehicle"],
    ["industries"],
    ["kindergarten"],
    ["port", "cargo"],
    ["2008.3"],
    ["亿元"],
    ["manufacturing"],
    ["FDI"],
    ["社保"],
    ["R&D"],
    ["industry.gross-output"],
    ["exports", "外贸"],
    ["cny"],
    ["a"],
]


@pytest.mark.parametrize("haystack", [3, 4096])
def test_index_candidates_never_miss_a_match(monkeypatch, haystack):
    """The index narrows the facts before ranking; ranking every fact must give the same answer."""
    from lj_facts import index as index_module
    from lj_facts.search import rank

    from .conftest import index_of

    monkeypatch.setattr(index_module, "HAYSTACK_FACTS", haystack)
    index = index_of()
    everything = index.candidates([])
    topics = index.topics_named(t for _, f in everything for t in f.topics)
    for terms in TERMS:
        assert [f.id for f in search(index, terms)] == [f.id for f in rank(terms, everything, topics)], terms

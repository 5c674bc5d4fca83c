"""`lj-facts search` and `lj-facts WORD...`: bilingual keyword search, ranked, with suggestions."""

from __future__ import annotations

import json

import pytest

from lj_facts.cli import app
from lj_facts.search import search, stem, suggest

from .conftest import ids


@pytest.fixture(autouse=True)
def _both_ways(both_ways):
    """Every search test runs with the cached index and without it."""


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
    ("args", "word", "first"),
    [
        (["industy"], "industry", "industry.gross-output"),
        (["search", "vehicel"], "vehicle", "auto.output-value"),
        (["search", "kindergarden"], "kindergarten", "education.kindergartens"),
    ],
)
def test_a_word_no_fact_holds_is_read_as_the_closest_word(runner, args, word, first):
    """A typo finds what was meant, and stderr says which word was searched for instead."""
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["id"] == first
    assert result.stderr.startswith(f"lj-facts: no fact says '{args[-1]}'; searched for '{word}")


@pytest.mark.parametrize(
    ("phrase", "first"),
    [
        ("car production", "auto.vehicle-production"),  # not read as the word 'production' alone
        ("pension insurence", "livelihood.pension-insurance-coverage"),  # each word corrected on its own
        ("fortune 500 companies", "opening.fortune-500-investors"),
    ],
)
def test_a_phrase_no_fact_says_is_searched_by_its_words_never_read_as_one_word(runner, phrase, first):
    result = runner.invoke(app, ["search", phrase, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == first
    assert f"no fact says '{phrase}'; searched for its words together" in result.stderr
    assert f"searched for '{phrase.split()[-1]}'" not in result.stderr


@pytest.mark.parametrize("words", [["spending"], ["R&D", "spending"], ["R&D spending"]])
def test_a_typo_keeps_its_first_letter(runner, words):
    """`spending` is as close to `ending` as `industy` to `industry`, but no one types one for the other."""
    result = runner.invoke(app, ["search", *words, "--json"])
    assert result.exit_code == 1
    assert "ending" not in result.stderr.replace("spending", "")
    assert result.stdout == ""


@pytest.mark.parametrize("words", [["smartphone output"], ["smartphone", "output"]])
def test_nothing_together_says_how_to_ask_whether_the_words_came_as_a_phrase_or_apart(runner, words):
    result = runner.invoke(app, ["search", *words])
    assert result.exit_code == 1
    assert "each term alone finds facts: ask `lj-facts search smartphone` or `lj-facts search output`" in result.stderr


def test_nothing_found_names_the_words_once(runner):
    result = runner.invoke(app, ["search", "quantum physics"])
    assert result.exit_code == 1
    assert result.stderr.startswith("lj-facts: nothing matches 'quantum physics'; ")
    assert "searched for" not in result.stderr


@pytest.mark.parametrize(
    ("typed", "word", "typo"),
    [
        ("industy", "industry", True),  # a letter left out
        ("vehicel", "vehicle", True),  # two swapped
        ("smartphnes", "smartphones", True),
        ("insurence", "insurance", True),  # one wrong, in a long word
        ("kindergarden", "kindergarten", True),
        ("manufactoring", "manufacturing", True),
        ("patents", "parents", False),  # one wrong in a short word: as often another word
        ("sales", "scale", False),  # two slips in a short word
        ("spending", "ending", False),  # not the same first letter
        ("rate", "date", False),
    ],
)
def test_a_typo_is_one_slip_of_the_keys(typed, word, typo):
    from lj_facts.search import is_typo

    assert is_typo(typed, word) is typo


@pytest.mark.parametrize("words", [["patents"], ["retail", "sales"], ["patent"]])
def test_a_real_word_the_file_does_not_hold_is_not_read_as_another(runner, words):
    """`patents` is no typo of `parents`: nothing found (exit 1), the close words only offered as a hint."""
    result = runner.invoke(app, ["search", *words, "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "no fact says" not in result.stderr  # how a correction is announced


@pytest.mark.parametrize("quoted", ['"Fortune 500"', "'Fortune 500'", '"汽车"', "“两高两区”", '"新能源汽车"'])
def test_quotation_marks_around_a_term_are_not_part_of_it(runner, quoted):
    assert ids(runner, "search", quoted) == ids(runner, "search", quoted[1:-1])


def test_the_messages_name_the_words_searched_for_not_the_typos(runner):
    result = runner.invoke(app, ["search", "industrial ouptut", "--json"])
    assert "searched for its words together: industrial output" in result.stderr
    result = runner.invoke(app, ["search", "kindergarden", "汽车"])
    assert "ask `lj-facts search kindergarten` or `lj-facts search 汽车`" in result.stderr


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
def test_a_limit_gives_the_first_of_the_whole_answer(monkeypatch, haystack):
    """The search stops early with a limit; what it returns is still the head of the unlimited answer."""

    from .conftest import index_of

    monkeypatch.setattr("lj_facts.index.building.HAYSTACK_FACTS", haystack)
    index = index_of()
    for terms in TERMS:
        whole = [f.id for f in search(index, terms)]
        for limit in (1, 2, 5, 10):
            assert [f.id for f in search(index, terms, limit=limit)] == whole[:limit], (terms, limit)


def test_the_answer_does_not_depend_on_how_the_facts_are_read(monkeypatch):
    """Haystacks of 3 facts and of 4096 give the same facts in the same order."""

    from .conftest import index_of

    answers = []
    for haystack in (3, 4096):
        monkeypatch.setattr("lj_facts.index.building.HAYSTACK_FACTS", haystack)
        index = index_of()
        answers.append([[f.id for f in search(index, terms)] for terms in TERMS])
    assert answers[0] == answers[1]


@pytest.mark.parametrize("typed", ["2,008.3", "2，008.3", "２,００８.３"])
def test_a_figure_with_thousands_separators_finds_the_figure(runner, typed):
    assert ids(runner, "search", typed) == ["industry.gross-output"]


@pytest.mark.parametrize(
    ("word", "note"),
    [
        ("Growth", "note: searched for 'Growth' as a word; did you mean the command `lj-facts growth`?"),
        ("all", "note: searched for 'all' as a word; `lj-facts list` lists every fact"),
    ],
)
def test_a_lone_word_that_means_a_command_says_which(runner, word, note):
    """`lj-facts all` searches (a label may say "all"), and stderr names the command meant; stdout unchanged.
    One that finds nothing is a usage error (tests/test_suggest.py)."""
    result = runner.invoke(app, [word, "--json"])
    assert note in result.stderr
    assert result.stdout == runner.invoke(app, ["search", word, "--json"]).stdout


@pytest.mark.parametrize("word", ["exports", "出口", "imports", "foreign trade"])
def test_a_phrase_is_not_found_across_an_ids_topic_and_name(runner, word):
    """`foreign trade` (a glossary word for exports) is not `trade.foreign-capital`: a topic, then a name."""
    found = ids(runner, "search", word)
    assert found[0] == "trade.foreign-trade"
    assert "trade.foreign-capital" not in found


@pytest.mark.parametrize(
    ("word", "note"),
    [
        ("topic", "did you mean 'topics'?"),
        ("city-figure", "did you mean 'city-figures'?"),
        ("LIST", "did you mean 'list'?"),
    ],
)
def test_a_word_close_to_a_command_names_it(runner, word, note):
    """Close to a command and finding no fact: a usage error naming the command."""
    result = runner.invoke(app, [word, "--json"])
    assert result.exit_code == 2 and note in result.stderr


def test_a_topic_gets_no_command_hint(runner):
    assert runner.invoke(app, ["industry", "--json"]).stderr == ""


@pytest.mark.parametrize(
    "words", [["share", "of", "city", "GDP"], ["numbr", "of", "schools"], ["growth", "on", "trade", "quantum"]]
)
def test_nothing_together_never_asks_for_a_word_of_a_question(runner, words):
    """`of`, `on`, `number` are never offered as a search of their own."""
    stderr = runner.invoke(app, ["search", *words]).stderr
    for filler in ("of", "on", "number"):
        assert f"`lj-facts search {filler}`" not in stderr


def test_a_term_with_an_apostrophe_is_offered_in_double_quotes(runner):
    stderr = runner.invoke(app, ["search", "Liangjiang's", "quantum"]).stderr
    assert "'\"'\"'" not in stderr


def test_a_phrase_that_repeats_a_word_is_joined(runner):
    """`year on year` typed as three words is the glossary's phrase (a word for growth), repeats and all."""
    result = runner.invoke(app, ["search", "GDP", "year", "on", "year", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "economy.gdp"


@pytest.mark.parametrize(
    ("word", "figure"), [("exports", "city.exports"), ("出口", "city.exports"), ("imports", "city.imports")]
)
def test_a_city_figure_whose_label_is_the_word_comes_first_among_figures(runner, word, figure):
    rows = json.loads(runner.invoke(app, ["search", word, "--json"]).stdout)
    figures = [r["id"] for r in rows if r["kind"] == "city_figure"]
    assert figures[0] == figure


@pytest.mark.parametrize(
    ("words", "phrase", "first"),
    [
        (["foreign", "investmnet"], "foreign investment", "trade.foreign-capital"),
        (["electric", "vehicels"], "electric vehicles", "auto.nev-production"),
        (["reserch", "and", "development"], "research and development", None),
    ],
)
def test_a_typo_inside_a_glossary_phrase_keeps_the_phrase(runner, words, phrase, first):
    """Corrected words that make a phrase of the glossary are searched as the phrase, as if typed right."""
    result = runner.invoke(app, ["search", *words, "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"no fact says '{' '.join(words).lower()}'; searched for '{phrase}'" in result.stderr
    right = runner.invoke(app, ["search", *phrase.split(), "--json"])
    assert result.stdout == right.stdout
    if first:
        assert json.loads(result.stdout)[0]["id"] == first


@pytest.mark.parametrize(
    ("typed", "parts", "first"),
    [
        ("GDP2000.2", "gdp 2000.2", "economy.gdp"),
        ("NEV新能源", "nev 新能源", "auto.nev-production"),
        ("新能源汽车NEV", "新能源汽车 nev", "auto.nev-production"),
    ],
)
def test_letters_run_into_chinese_or_a_figure_are_split(runner, typed, parts, first):
    """A term that runs Latin letters and Chinese, or a word and a figure, together is searched by its parts."""
    result = runner.invoke(app, ["search", typed, "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"searched for its words together: {parts}" in result.stderr
    assert json.loads(result.stdout)[0]["id"] == first


def test_a_model_name_stays_whole(runner):
    """`SF5` is a name, not the word `sf` and the figure 5."""
    result = runner.invoke(app, ["search", "SF5", "--json"])
    assert result.exit_code == 0 and result.stderr == ""

"""`lj-facts TOPIC`: the facts of a topic, found by slug, English or Chinese name; an alias searches."""

from __future__ import annotations

import json
import re

import pytest

from lj_facts.cli import app

REQUIRED_TOPICS = [
    "economy",
    "industry",
    "auto",
    "electronics",
    "digital",
    "innovation",
    "talent",
    "opening",
    "trade",
    "livelihood",
    "health",
    "education",
    "environment",
    "consumption",
]


@pytest.mark.parametrize("slug", REQUIRED_TOPICS)
def test_shipped_file_has_every_topic_with_facts(shipped, slug):
    assert shipped.topic(slug).slug == slug
    assert shipped.topic_facts(slug), f"topic {slug} has no facts"


@pytest.mark.parametrize("alias", ["外资", "FDI", "NEV", "制造业", "manufacturing", "welfare"])
def test_an_alias_searches_as_search_does(runner, alias, both_ways):
    """`lj-facts 外资` is `lj-facts search 外资`: foreign capital, not every fact of trade, the topic 外资 is an
    alias of (issue 10: an alias alone no longer floods the answer, whichever way it is asked)."""
    expected = runner.invoke(app, ["search", alias, "--format", "json"])
    result = runner.invoke(app, [alias, "--format", "json"])
    assert result.exit_code == expected.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == (expected.stdout, expected.stderr)


def test_an_alias_no_longer_floods_city_and_growth(runner):
    """`lj-facts city 外资` weighs the facts that say 外资, not every trade fact."""
    ids = [row["id"] for row in json.loads(runner.invoke(app, ["city", "外资", "--json"]).stdout)]
    assert ids == ["trade.foreign-capital"]


@pytest.mark.parametrize("name", ["industry", "Industry", "INDUSTRY", "工业"])
def test_topic_names_agree(runner, name, both_ways):
    """`lj-facts industry`, `lj-facts Industry` and `lj-facts 工业` print the same facts."""
    expected = runner.invoke(app, ["industry", "--format", "json"])
    result = runner.invoke(app, [name, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert ids[0] == "industry.gross-output", "a topic lists its primary facts first"


def test_multiword_topic_name(runner):
    result = runner.invoke(app, ["Digital", "economy", "--json"])
    assert result.exit_code == 0, result.stderr
    assert all("digital" in row["topics"] for row in json.loads(result.stdout))


def test_table_shows_value_growth_share_and_period(runner):
    """Figures on the label's line, the report's words on a line beneath."""
    result = runner.invoke(app, ["industry", "--format", "table"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "gross industrial output" in line)
    for cell in ("2008.3 亿元", "+41.1%", "16.3%", "2021-H1"):
        assert cell in lines[at]
    assert lines[at + 1] == "industry.gross-output"
    assert lines[at + 2].strip() == "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%"
    assert "≥50%" in result.stdout, "a qualified value shows its qualifier"


def test_table_for_a_narrow_terminal_keeps_the_quote(runner, shipped):
    """At 80 columns every quote is still there (wrapped beneath its fact), and no line is wider."""
    result = runner.invoke(app, ["industry", "--format", "table"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "left out" not in result.stdout
    flat = "".join(line.strip() for line in result.stdout.splitlines())
    for fact in shipped.topic_facts("industry"):
        assert fact.text.replace(" ", "") in flat.replace(" ", "")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize("columns", ["100", "130", "160"])
def test_ids_are_never_folded_where_the_terminal_has_room(runner, shipped, columns):
    """An id broken over two lines cannot be copied into `lj-facts show`."""
    result = runner.invoke(app, ["industry", "--format", "table"], env={"COLUMNS": columns})
    for fact in shipped.topic_facts("industry"):
        assert re.search(rf"(^|\s){re.escape(fact.id)}(\s|$)", result.stdout, re.M), fact.id


def test_unknown_topic_exits_1_with_message_on_stderr(runner):
    result = runner.invoke(app, ["quantum"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "lj-facts: nothing matches 'quantum'; see the topics with `lj-facts topics`\n"


def test_file_option_and_environment_variable(runner, write_file):
    path = write_file()
    by_option = runner.invoke(app, ["industry", "--file", str(path), "--json"])
    by_env = runner.invoke(app, ["industry", "--json"], env={"LJ_FACTS_FILE": str(path)})
    assert by_option.exit_code == by_env.exit_code == 0
    assert [r["id"] for r in json.loads(by_option.stdout)] == ["industry.gross-output"]
    assert by_env.stdout == by_option.stdout


def test_broken_file_exits_2_without_traceback(runner, write_file):
    result = runner.invoke(app, ["industry", "--file", str(write_file(text="[meta\n"))])
    assert result.exit_code == 2
    assert "invalid TOML" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(runner, flag):
    from lj_facts import __version__

    result = runner.invoke(app, [flag])
    assert (result.exit_code, result.stdout) == (0, f"lj-facts {__version__}\n")

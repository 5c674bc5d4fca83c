"""`lj-facts TOPIC`: the facts of a topic, found by slug, English name or alias."""

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


@pytest.mark.parametrize("name", ["industry", "Industry", "INDUSTRY", "工业", "制造业", "manufacturing"])
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
    result = runner.invoke(app, ["industry", "--format", "table"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "gross industrial output" in line)
    for cell in ("2008.3 亿元", "+41.1%", "16.3%", "2021-H1", "两江新区规上工业总产值达2008.3亿元"):
        assert cell in line
    assert "≥50%" in result.stdout, "a qualified value shows its qualifier"


def test_table_for_a_narrow_terminal_leaves_out_the_quote(runner):
    result = runner.invoke(app, ["industry", "--format", "table"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if line.strip().startswith("Fact"))
    assert "Report says" not in header
    assert "left out at this width: Report says" in result.stdout
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

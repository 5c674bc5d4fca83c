"""Shell completion (bash's protocol, in-process): topics, ids and fields, from the file typed with --file."""

from __future__ import annotations

import pytest

from lj_facts.cli import app


def complete(runner, words: str) -> tuple[set[str], str]:
    """What `lj-facts` offers for the last of `words` (as bash asks: COMP_WORDS, COMP_CWORD), reading the
    shipped base of several files (LJ_FACTS_FILE unset), and its stderr."""
    env = {
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "LJ_FACTS_FILE": None,
    }
    result = runner.invoke(app, [], env=env)
    return set(result.stdout.split()), result.stderr


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("lj-facts e", {"economy", "electronics", "education", "environment"}),
        ("lj-facts show economy.g", {"economy.gdp"}),
        ("lj-facts list --sort growth_p", {"growth_pct"}),
        ("lj-facts list --fields id,val", {"id,value", "id,value_base"}),
        ("lj-facts list --topic au", {"auto"}),
    ],
)
def test_shell_completion_offers_topics_and_ids(runner, words, expected):
    assert expected <= complete(runner, words)[0]


@pytest.mark.parametrize(
    ("words", "offered", "not_offered"),
    [
        ("lj-facts --file {f} show i", {"industry.gross-output"}, {"industry.value-added"}),
        ("lj-facts show --file {f} i", {"industry.gross-output"}, {"industry.value-added"}),
        ("lj-facts --file {f} i", {"industry"}, {"innovation"}),
        ("lj-facts --file={f} i", {"industry"}, {"innovation"}),
        ("lj-facts --json --file {f} list --topic i", {"industry"}, {"innovation"}),
        ("lj-facts i", {"industry", "innovation"}, set()),
    ],
)
def test_completion_offers_from_the_file_typed(runner, write_file, words, offered, not_offered):
    """`--file F` before or after the command: completion offers F's topics and ids, not the shipped file's."""
    got, stderr = complete(runner, words.format(f=write_file()))
    assert offered <= got, stderr
    assert not not_offered & got


def test_completion_is_installed_from_the_group_only(runner):
    assert "--install-completion" in runner.invoke(app, ["-h"]).stdout
    for command in ("show", "search", "topics", "city", "validate"):
        assert "--install-completion" not in runner.invoke(app, [command, "-h"]).stdout, command

"""A real pipe and a real terminal (a pseudo-terminal), through a subprocess of the command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMAND = [sys.executable, "-m", "lj_facts"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "LJ_FACTS_FILE", "COLUMNS")}
    return {**env, **extra}


def test_pipe_gets_tsv_without_escape_codes():
    result = subprocess.run([*COMMAND, "industry"], capture_output=True, text=True, env=_env(), check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id\ttopics\tlabel\t")
    assert "\x1b" not in result.stdout and "─" not in result.stdout
    assert result.stderr == ""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_terminal_gets_the_table():
    import pty

    chunks: list[bytes] = []

    def read(fd: int) -> bytes:
        data = os.read(fd, 65536)
        chunks.append(data)
        return data

    env = _env(COLUMNS="120", LINES="50", TERM="xterm-256color", LJ_FACTS_PAGER="")
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        status = pty.spawn([*COMMAND, "industry"], read)
    finally:
        os.environ.clear()
        os.environ.update(old)
    out = b"".join(chunks).decode("utf-8")
    assert os.waitstatus_to_exitcode(status) == 0
    assert "─" in out, "a terminal gets the Rich table"
    assert "gross industrial output" in out and "2008.3 亿元" in out


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
def test_shell_completion_offers_topics_and_ids(words, expected):
    env = _env(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1), _LJ_FACTS_COMPLETE="complete_bash")
    result = subprocess.run([*COMMAND], capture_output=True, text=True, env=env, check=False)
    assert expected <= set(result.stdout.split())


def test_completion_is_installed_from_the_group_only(runner):
    from lj_facts.cli import app

    assert "--install-completion" in runner.invoke(app, ["-h"]).stdout
    for command in ("show", "search", "topics", "city", "validate"):
        assert "--install-completion" not in runner.invoke(app, [command, "-h"]).stdout, command


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_show_dash_on_a_terminal_says_it_waits_for_ids():
    """`show -` typed at a terminal waits for ids as `cat` would, and says so on stderr, with how to end."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [*COMMAND, "show", "-", "--json"], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
        )
        os.write(master, b"economy.gdp\n\x04")  # a line, then Ctrl-D
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0, err
    assert b"reading ids from the terminal, one a line; end with Ctrl-D" in err
    assert b'"id": "economy.gdp"' in out


def test_show_dash_with_stdin_closed_is_a_usage_error():
    """Standard input closed (`<&-`): exit 2 and a line that says so, not an internal error."""
    result = subprocess.run(
        [*COMMAND, "show", "-"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=_env(), check=False
    )
    assert result.returncode == 2  # /dev/null: no ids
    closed = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", *COMMAND, "show", "-"], capture_output=True, text=True, env=_env()
    )
    assert closed.returncode == 2, closed.stderr
    assert "no standard input to read ids from" in closed.stderr


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
def test_completion_offers_from_the_file_typed(write_file, words, offered, not_offered):
    """`--file F` before or after the command: completion offers F's topics and ids, not the shipped file's."""
    words = words.format(f=write_file())
    env = _env(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1), _LJ_FACTS_COMPLETE="complete_bash")
    result = subprocess.run([*COMMAND], capture_output=True, text=True, env=env, check=False)
    assert offered <= set(result.stdout.split()), result.stderr
    assert not not_offered & set(result.stdout.split())


def test_help_after_file_lists_that_files_topics(runner, write_file):
    from lj_facts.cli import app

    result = runner.invoke(app, ["--file", str(write_file()), "--help"])
    assert result.exit_code == 0
    topics = result.stdout.split("Topics (lj-facts TOPIC):")[1].split("Examples")[0]
    assert topics.split() == ["industry", "工业"]


@pytest.mark.parametrize("words", [["--json"], ["--file", "x.toml"], ["-n", "3", "--csv"]])
def test_listing_options_without_a_command_say_what_they_go_with(runner, words):
    from lj_facts.cli import app

    result = runner.invoke(app, words)
    assert result.exit_code == 2
    assert f"{words[0]} goes with a command or a topic, as in `lj-facts {' '.join(words)} industry`" in result.stderr

"""The streams are injected (`Environment`): a terminal, a closed stdin or stdout, tested in-process."""

from __future__ import annotations

import io

from lj_facts.cli import app


def env(**given) -> dict:
    """The run's environment: the runner's streams, but for what is `given`."""
    return given


def test_a_terminal_gets_the_table_and_a_pipe_tsv(runner):
    """With no --format, stdout a terminal gets the table; one that is not gets TSV."""
    table = runner.invoke(app, ["industry", "--no-pager", "--color", "never"], obj=env(stdout_isatty=True))
    assert table.exit_code == 0 and "industry.gross-output" in table.stdout and "\t" not in table.stdout
    tsv = runner.invoke(app, ["industry"], obj=env(stdout_isatty=False))
    assert tsv.exit_code == 0 and tsv.stdout.startswith("id\t")


def test_show_dash_with_stdin_closed_is_a_usage_error(runner):
    """`show -` started with stdin closed (`<&-`): exit 2 and a line that says so."""
    result = runner.invoke(app, ["show", "-"], obj=env(stdin=None))
    assert result.exit_code == 2
    assert "no standard input" in result.stderr


def test_show_dash_at_a_terminal_says_it_waits(runner):
    """`show -` at a terminal says it reads ids until Ctrl-D, then reads them."""
    ids = io.StringIO("industry.gross-output\n\n")
    result = runner.invoke(app, ["show", "-", "--json"], obj=env(stdin=ids, stdin_isatty=True))
    assert result.exit_code == 0, result.stderr
    assert "end with Ctrl-D" in result.stderr and '"industry.gross-output"' in result.stdout


def test_stdout_closed_is_an_error_not_a_bug(runner):
    """Started with stdout closed (`>&-`): exit 2, one line on stderr, never an internal error."""
    result = runner.invoke(app, ["industry"], obj=env(stdout=None))
    assert result.exit_code == 2
    assert "stdout is closed" in result.stderr and "internal error" not in result.stderr

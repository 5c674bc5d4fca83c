"""The streams are injected (`Environment`): a terminal, a closed stdin or stdout, tested in-process."""

from __future__ import annotations

import io
import json

from lj_facts.cli import app

from .conftest import MINIMAL


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


class TestDashReadsTheRunsStdin:
    """`--file -`, `validate -`, `--source -` and `draft -` read the run's stdin (`Environment.stdin`),
    never the process's: a test injects it."""

    def test_file_dash_reads_the_injected_stdin(self, runner):
        result = runner.invoke(
            app, ["industry", "--file", "-", "--json"], input="", obj=env(stdin=io.StringIO(MINIMAL))
        )
        assert result.exit_code == 0, result.stderr
        assert [row["id"] for row in json.loads(result.stdout)] == ["industry.gross-output"]

    def test_validate_and_draft_read_it_too(self, runner):
        checked = runner.invoke(app, ["validate", "-"], obj=env(stdin=io.StringIO(MINIMAL)))
        assert checked.exit_code == 0, checked.stderr
        drafted = runner.invoke(app, ["draft", "-"], obj=env(stdin=io.StringIO("两江新区规上工业总产值达2008.3亿元。")))
        assert drafted.exit_code == 0, drafted.stderr
        assert "2008.3" in drafted.stdout

    def test_its_bytes_are_read_not_its_text(self, runner):
        """A stdin of bytes in another encoding is refused as a file of them is, with how to convert it."""
        gbk = io.TextIOWrapper(io.BytesIO(MINIMAL.encode("gb18030")), encoding="utf-8")
        result = runner.invoke(app, ["industry", "--file", "-"], obj=env(stdin=gbk))
        assert result.exit_code == 2
        assert "-: not UTF-8 text" in result.stderr and "iconv -f GB18030" in result.stderr

    def test_a_closed_stdin_is_said_to_be_closed(self, runner):
        result = runner.invoke(app, ["industry", "--file", "-"], input=MINIMAL, obj=env(stdin=None))
        assert result.exit_code == 2
        assert "-: there is no standard input to read (it is closed)" in result.stderr

    def test_the_size_limit_holds(self, runner, monkeypatch):
        monkeypatch.setenv("LJ_FACTS_MAX_BYTES", "1K")
        result = runner.invoke(app, ["industry", "--file", "-"], obj=env(stdin=io.StringIO(MINIMAL * 3)))
        assert result.exit_code == 2
        assert "larger than 1 KiB" in result.stderr

    def test_the_api_reads_the_process_stdin(self, monkeypatch):
        """Outside a run of the CLI, `-` is sys.stdin."""
        from lj_facts import stdin

        fake = io.StringIO("x")
        monkeypatch.setattr("sys.stdin", fake)
        assert stdin.current() is fake
        with stdin.given(None):
            assert stdin.current() is None
        assert stdin.current() is fake

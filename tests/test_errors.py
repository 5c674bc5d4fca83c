"""The one error ladder (cli.exit_status): usage errors, output that cannot be written and bugs each give
one message on stderr and their exit code; --debug lets a bug's traceback through."""

from __future__ import annotations

import os

import pytest

from lj_facts import writers
from lj_facts.cli import app
from lj_facts.errors import ExitCode


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(28, "No space left on device"), "cannot write the output: No space left on device"),
        (OSError(9, "Bad file descriptor"), "cannot write the output: Bad file descriptor"),
        (MemoryError(), "out of memory"),
    ],
)
def test_a_failing_output_is_one_line_and_exit_2(runner, monkeypatch, error, said):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(writers, "write_tsv", fail)
    result = runner.invoke(app, ["industry"])
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == f"lj-facts: {said}\n"


class TestBugsAreReported:
    @pytest.fixture
    def broken(self, monkeypatch):
        def explode(*args, **kwargs):
            raise RuntimeError("the secret contents of a file")

        monkeypatch.setattr("lj_facts.search.find", explode)

    def test_internal_error_is_one_line_and_exit_70(self, runner, broken):
        result = runner.invoke(app, ["vehicle"], env={"LJ_FACTS_DEBUG": None})
        assert result.exit_code == 70
        assert len(result.stderr.splitlines()) == 1
        assert "This is a bug in lj-facts" in result.stderr and "--debug" in result.stderr
        assert "Traceback" not in result.output

    @pytest.mark.parametrize(
        ("args", "env"),
        [
            (["--debug", "vehicle"], {}),
            (["vehicle", "--debug"], {}),
            (["search", "vehicle", "--debug"], {}),
            (["vehicle"], {"LJ_FACTS_DEBUG": "1"}),
        ],
    )
    def test_debug_lets_the_traceback_through(self, runner, broken, args, env):
        """--debug anywhere (or LJ_FACTS_DEBUG=1): the traceback on stderr, then the one line, exit 70."""
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 70
        assert "Traceback" in result.stderr and "RuntimeError: the secret contents of a file" in result.stderr
        assert result.stderr.rstrip().splitlines()[-1].startswith("lj-facts: internal error")

    def test_pretty_exceptions_never_show_locals(self):
        assert app.pretty_exceptions_show_locals is False


@pytest.mark.parametrize(
    "args",
    [["industry", "--nope"], ["search"], ["industry", "--format"], ["validate", "a", "b"], []],
    ids=["unknown option", "missing term", "option without value", "extra argument", "no arguments"],
)
def test_click_usage_errors_exit_2(runner, args):
    assert runner.invoke(app, args).exit_code == 2


class _Exited(Exception):
    """What `os._exit(code)` raises in-process."""


@pytest.fixture
def console_script(monkeypatch, capsys):
    """`lj-facts ARGS` through the console script `cli.main`, in-process: its os._exit caught and the
    signal handlers it installs put back. Returns (exit status, stderr)."""
    import signal
    import sys

    from lj_facts import cli

    def exit_now(code):
        raise _Exited(code)

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["lj-facts", *args])
        monkeypatch.setattr(os, "_exit", exit_now)
        handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
        try:
            with pytest.raises(_Exited) as exited:
                cli.main()
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
        return exited.value.args[0], capsys.readouterr().err

    return run


@pytest.fixture
def planted(monkeypatch):
    """An internal error: writing TSV raises a RuntimeError."""

    def boom(*args, **kwargs):
        raise RuntimeError("planted")

    monkeypatch.setattr(writers, "write_tsv", boom)
    monkeypatch.delenv("LJ_FACTS_DEBUG", raising=False)


@pytest.mark.parametrize("how", [["--debug"], []])
def test_debug_shows_the_traceback_of_an_internal_error(console_script, planted, monkeypatch, how):
    """--debug (or LJ_FACTS_DEBUG=1) lets the traceback of an internal error through to stderr: a command
    re-raises it, and the console script's last resort must print it rather than only the one-line message."""
    if not how:
        monkeypatch.setenv("LJ_FACTS_DEBUG", "1")
    code, stderr = console_script(*how, "industry")
    assert code == 70
    assert "Traceback" in stderr and "RuntimeError: planted" in stderr
    assert "internal error" in stderr


def test_without_debug_an_internal_error_is_one_line(console_script, planted):
    """Without --debug, the same internal error is one line on stderr and exit 70, never a traceback."""
    code, stderr = console_script("industry")
    assert code == 70 and "Traceback" not in stderr
    assert stderr.count("\n") == 1


def test_named_exit_codes_for_sigterm_and_sighup():
    assert (ExitCode.TERMINATED, ExitCode.HANGUP) == (143, 129)

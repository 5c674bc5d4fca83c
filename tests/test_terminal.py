"""A real pipe and a real terminal (a pseudo-terminal), through a subprocess of the command.

Each test here needs the process: whether stdout or stdin is a terminal is asked of the descriptor the
process was started with, and `<&-` closes one before Python starts. The same decisions with the streams
injected are in tests/test_environment.py."""

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
    """A real pipe: stdout's descriptor is no terminal."""
    result = subprocess.run([*COMMAND, "industry"], capture_output=True, text=True, env=_env(), check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id\ttopics\tlabel\t")
    assert "\x1b" not in result.stdout and "─" not in result.stdout
    assert result.stderr == ""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_terminal_gets_the_table():
    """A real pseudo-terminal: stdout's descriptor is a terminal."""
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


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_show_dash_on_a_terminal_says_it_waits_for_ids():
    """`show -` typed at a terminal waits for ids as `cat` would, and says so on stderr, with how to end
    (a real pseudo-terminal on stdin, and Ctrl-D read by its line discipline)."""
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
    """Standard input closed (`<&-`): exit 2 and a line that says so, not an internal error. A process: the
    descriptor is closed before Python starts (sys.stdin is then None)."""
    result = subprocess.run(
        [*COMMAND, "show", "-"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=_env(), check=False
    )
    assert result.returncode == 2  # /dev/null: no ids
    closed = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", *COMMAND, "show", "-"], capture_output=True, text=True, env=_env()
    )
    assert closed.returncode == 2, closed.stderr
    assert "no standard input to read ids from" in closed.stderr

"""Pipes, locales and odd terminals: none makes lj-facts crash or write escape codes to a pipe.

A reader going away, the locale and the stream encodings the interpreter picks at start-up, and the
console script's os._exit need real processes of the installed command; the terminal settings read
while running (TERM, NO_COLOR, FORCE_COLOR, COLUMNS) are tried in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lj_facts.cli import app
from lj_facts.index import shipped_base
from lj_facts.load import load_base

from .conftest import MINIMAL

_SCRIPT = Path(sys.executable).with_name("lj-facts")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lj_facts"]
"""The installed console script beside this interpreter (the module where it is not installed)."""

FORMATS = ["table", "json", "jsonl", "csv", "tsv", "markdown"]


def _env(**extra: str) -> dict[str, str]:
    keep = {
        k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "LJ_FACTS_FILE", "COLUMNS", "TERM")
    }
    return {**keep, **extra}


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """A knowledge file whose every listing is far larger than a pipe's buffer (64 KiB)."""
    fact = MINIMAL[MINIMAL.index("[[facts]]") :]
    copies = "".join(fact.replace("industry.gross-output", f"industry.copy-{i}") for i in range(3000))
    path = tmp_path_factory.mktemp("big") / "big.toml"
    path.write_text(MINIMAL + copies, encoding="utf-8")
    return path


@pytest.mark.skipif(not shutil.which("bash") or not shutil.which("head"), reason="needs bash and head")
@pytest.mark.parametrize("fmt", FORMATS)
def test_reader_going_away_ends_quietly_with_141(big_file, fmt, tmp_path):
    """`lj-facts … | head -n 1`: no traceback, no "Exception ignored", exit 141 (128 + SIGPIPE). A real pipe
    whose reader exits, and the exit status the shell sees."""
    command = " ".join(f"'{c}'" for c in COMMAND)
    script = (
        f"{command} industry --file '{big_file}' -f {fmt} --color always 2>'{tmp_path}/err' | head -n 1 >/dev/null; "
        "echo ${PIPESTATUS[0]}"
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=_env(COLUMNS="120"), check=True)
    assert result.stdout.strip() == "141"
    assert (tmp_path / "err").read_text() == ""


LOCALES = [
    {"LC_ALL": "C"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
]
"""Settings the interpreter reads as it starts (the streams' encoding): a process each."""

TERMINALS = [
    {"TERM": "dumb"},
    {"NO_COLOR": "1"},
    {"FORCE_COLOR": "1"},
    {"COLUMNS": "12"},
    {"COLUMNS": "400"},
]
"""Settings lj-facts reads as it runs: in-process."""

ARGS = [["industry"], ["industry", "-f", "table"], ["city", "-f", "table"], ["show", "economy.gdp", "--json"]]


def _named(env: dict[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in env.items())


@pytest.mark.parametrize("env", LOCALES, ids=_named)
@pytest.mark.parametrize("args", ARGS)
def test_locales_never_crash(env, args):
    result = subprocess.run([*COMMAND, *args], capture_output=True, env=_env(**env), check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    assert result.stdout.strip()
    if args == ["industry"]:
        assert b"\x1b" not in result.stdout, "no escape codes without a terminal, whatever the environment"


@pytest.mark.parametrize("env", TERMINALS, ids=_named)
@pytest.mark.parametrize("args", ARGS)
def test_terminals_never_crash(runner, env, args):
    """As a subprocess of `_env(**env)` would run: LJ_FACTS_FILE and the terminal settings unset, but `env`."""
    unset = dict.fromkeys(("NO_COLOR", "FORCE_COLOR", "LJ_FACTS_FILE", "COLUMNS", "TERM"))
    result = runner.invoke(app, args, env={**unset, **env})
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()
    if args == ["industry"]:
        assert "\x1b" not in result.stdout, "no escape codes without a terminal, whatever the environment"


def test_ascii_output_keeps_json_exact():
    """Where stdout cannot encode Chinese, JSON escapes it and stays the same data (the encoding the
    interpreter gives stdout at start-up: a process)."""
    import json

    ascii_out = subprocess.run(
        [*COMMAND, "economy", "--json"], capture_output=True, env=_env(PYTHONIOENCODING="ascii"), check=True
    )
    utf8_out = subprocess.run(
        [*COMMAND, "economy", "--json"], capture_output=True, env=_env(PYTHONIOENCODING="utf-8"), check=True
    )
    ascii_out.stdout.decode("ascii")
    assert json.loads(ascii_out.stdout) == json.loads(utf8_out.stdout)


def test_ascii_table_degrades_to_escapes():
    """A table on a stdout that cannot encode Chinese shows escapes (a process, as above)."""
    result = subprocess.run(
        [*COMMAND, "economy", "-f", "table"],
        capture_output=True,
        env=_env(PYTHONIOENCODING="ascii", COLUMNS="100"),
        check=True,
    )
    text = result.stdout.decode("ascii")
    assert "2000.2 \\u4ebf\\u5143" in text


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["industry"], 0, ""),
        (["quantum"], 1, "lj-facts: nothing matches 'quantum'; see the topics with `lj-facts topics`\n"),
        (["industry", "--format", "xml"], 2, "Invalid value for '--format'"),
        (["industry", "--file", "/nonexistent/facts.toml"], 2, "lj-facts: /nonexistent/facts.toml: no such file\n"),
    ],
)
def test_exit_status_and_messages_survive_the_fast_exit(args, code, stderr):
    """The console script ends with os._exit: the status and every byte of stdout and stderr still arrive."""
    result = subprocess.run([*COMMAND, *args], capture_output=True, text=True, env=_env(), check=False)
    assert result.returncode == code
    assert stderr in result.stderr
    if code == 0:
        industry = sum("industry" in f.topics for f in load_base(shipped_base()).facts)  # LJ_FACTS_FILE unset
        assert result.stdout.endswith("\n") and len(result.stdout.splitlines()) == 1 + industry

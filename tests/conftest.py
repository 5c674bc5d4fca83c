"""Shared fixtures: a CLI runner, the shipped knowledge file and small knowledge files made per test."""

from __future__ import annotations

import importlib.util
import json
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from lj_facts.index import Index, open_index, shipped_path

ROOT = Path(__file__).resolve().parent.parent
"""The checkout."""
SOURCES = ROOT / "sources"
"""The reports' texts, kept in the repository (sources/): every test that reads one runs on a fresh clone."""
SOURCE = SOURCES / "liangjiang-report-2021-h1.txt"
"""The 2021 H1 report, which facts.toml quotes."""

MINIMAL = """\
[meta]
title = "A report"
region = "Liangjiang New Area"
region_zh = "两江新区"
city = "Chongqing"
city_zh = "重庆市"
default_period = "2021-H1"
period_inference = "Stated."

[topics.industry]
name = "Industry"
name_zh = "工业"
aliases = ["manufacturing", "制造业"]

[[facts]]
id = "industry.gross-output"
topics = ["industry"]
label = "gross industrial output"
text = "规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%"
kind = "number"
value = 2008.3
unit = "亿元"
growth_pct = 41.1
city_share_pct = 16.3
"""
"""A valid knowledge file of one topic and one fact."""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests never write to the user's cache folder, and read facts.toml alone unless they say otherwise.

    The suite's expectations are those of the 2021 H1 report's file (facts.toml): LJ_FACTS_FILE names it,
    so that a report added to reports/ changes none of them. The shipped base of several files (facts.toml
    and reports/*.toml) is what `lj-facts` reads with LJ_FACTS_FILE unset: tests/test_reports.py unsets it.
    """
    mp = pytest.MonkeyPatch()
    mp.setenv("LJ_FACTS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("LJ_FACTS_FILE", str(shipped_path()))
    mp.delenv("LJ_FACTS_NO_CACHE", raising=False)
    yield
    mp.undo()


@pytest.fixture(params=["cached", "uncached"])
def both_ways(request, monkeypatch):
    """Run the test with the cached index and again without it: the answers must be the same."""
    if request.param == "uncached":
        monkeypatch.setenv("LJ_FACTS_NO_CACHE", "1")
    return request.param


def index_of(path: Path | None = None) -> Index:
    """An uncached index of a knowledge file (the shipped one by default)."""
    return open_index(path or shipped_path(), None)


@pytest.fixture(scope="session")
def shipped() -> Index:
    return index_of()


@pytest.fixture
def write_file(tmp_path: Path):
    """Write a knowledge file made of MINIMAL plus `extra` TOML (or `text` alone) and return its path."""

    def write(extra: str = "", *, text: str | None = None, name: str = "facts.toml") -> Path:
        path = tmp_path / name
        body = text if text is not None else MINIMAL + textwrap.dedent(extra)
        path.write_text(body, encoding="utf-8")
        return path

    return write


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    """`lj-facts ARGS` in-process: its stdout, after checking it exited `code` (stderr shown if not)."""
    result = runner.invoke(app_of(), list(args))
    assert result.exit_code == code, result.stderr
    return result.stdout


def run_json(runner: CliRunner, args: list[str], code: int = 0) -> Any:
    """`lj-facts ARGS --json` in-process: the parsed JSON where it exits 0, else the result itself."""
    result = runner.invoke(app_of(), [*args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else result


def rows(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    """`lj-facts ARGS --json` in-process, which must exit 0: its rows."""
    return run_json(runner, list(args))


def ids(runner: CliRunner, *args: str) -> list[str]:
    """The ids of the rows `lj-facts ARGS --json` answers (exit 0), in order."""
    return [row["id"] for row in rows(runner, *args)]


def app_of() -> Any:
    from lj_facts.cli import app

    return app


def docs_script(name: str) -> ModuleType:
    """docs/NAME.py (a script that keeps a page of docs/ true), imported as a module."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped_base_module():
    """LJ_FACTS_FILE unset for a module (the suite pins it to facts.toml): the CLI reads what
    `lj_facts.load()` reads, the shipped base of every report."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("LJ_FACTS_FILE", raising=False)
        yield

"""The built wheel carries the knowledge base (facts.toml and reports/) and runs from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

REPORTS = sorted((ROOT / "reports").glob("*.toml"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built as a wheel and installed (without dependencies) into a folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(ROOT)],
        check=True,
    )
    wheel = next((work / "dist").glob("lj_facts-*.whl"))
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
    )
    return target


@pytest.mark.slow
def test_installed_wheel_answers_from_another_folder(installed, tmp_path):
    """`lj-facts industry` works with the package alone, far from the checkout's facts.toml."""
    assert (installed / "lj_facts" / "facts.toml").is_file(), "the wheel must carry facts.toml"
    env = {**os.environ, "PYTHONPATH": str(installed), "COLUMNS": "120"}
    env.pop("LJ_FACTS_FILE", None)
    result = subprocess.run(
        [str(installed / "bin" / "lj-facts"), "industry", "--format", "tsv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "industry.gross-output\t" in result.stdout
    imported = subprocess.run(
        [sys.executable, "-c", "import lj_facts.index as i; print(i.shipped_path())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == str(installed / "lj_facts" / "facts.toml")


@pytest.mark.slow
def test_the_installed_wheel_ships_the_reports(installed, tmp_path):
    """The wheel carries facts.toml and every report; `series` from another folder lines them up."""
    assert sorted(p.name for p in (installed / "lj_facts" / "reports").glob("*.toml")) == [p.name for p in REPORTS]
    env = {**os.environ, "PYTHONPATH": str(installed), "LJ_FACTS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LJ_FACTS_FILE", None)
    result = subprocess.run(
        [str(installed / "bin" / "lj-facts"), "series", "vehicle-production", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 3 and {"auto.vehicle-production", "2014-q1.auto.vehicle-production"} <= {r["id"] for r in rows}

"""Hostile inputs as classes: an empty path, a huge unbroken label, a cache path another user controls,
no home folder. Each is refused or answered; none hangs, none is silently taken for something else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from lj_facts.cli import app
from lj_facts.table import wrap

from .conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
FACTS = str(ROOT / "facts.toml")

EMPTY_PATHS = [
    (["industry", "--file", ""], "'--file'"),
    (["--file", "", "industry"], "'--file'"),
    (["list", "--file", FACTS, "--file", ""], "'--file'"),
    (["search", "GDP", "--file", ""], "'--file'"),
    (["series", "--file", ""], "'--file'"),
    (["validate", ""], "'[PATH...]'"),
    (["validate", FACTS, "--source", ""], "'--source'"),
    (["draft", ""], "'REPORT'"),
    (["draft", FACTS, "--output", ""], "'--output'"),
    (["draft", FACTS, "--compare", ""], "'--compare'"),
]


@pytest.mark.parametrize(("args", "option"), EMPTY_PATHS, ids=[" ".join(a) for a, _ in EMPTY_PATHS])
def test_an_empty_path_is_a_usage_error_naming_its_option(runner, args, option):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert option in result.stderr
    assert "empty path" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("setting", ["", os.pathsep, f"{FACTS}{os.pathsep}", f"{os.pathsep}{FACTS}"])
def test_an_empty_element_of_lj_facts_file_is_a_usage_error(runner, monkeypatch, setting):
    monkeypatch.setenv("LJ_FACTS_FILE", setting)
    result = runner.invoke(app, ["industry"])
    assert result.exit_code == 2
    assert "LJ_FACTS_FILE" in result.stderr and "empty path" in result.stderr


@given(st.text(alphabet="a1中,.", min_size=1, max_size=400), st.integers(min_value=1, max_value=60))
def test_a_word_wider_than_the_line_is_folded_with_nothing_lost(word, width):
    lines = wrap(word.replace(" ", ""), width)
    assert "".join(lines) == word.replace(" ", "")
    assert all(cell_len(line) <= max(width, 2) for line in lines)


def huge_label_file(tmp_path: Path, size: int) -> Path:
    text = MINIMAL.replace('label = "gross industrial output"', f'label = "{"q" * size}"')
    path = tmp_path / "huge.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_of_an_unbroken_megabyte_label_is_written_whole(runner, tmp_path):
    """Folding a word wider than the line took time in the square of its length (a 1 MB label: minutes)."""
    path = huge_label_file(tmp_path, 1_000_000)
    result = runner.invoke(app, ["industry", "--file", str(path), "-f", "table", "--no-cache"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(line.count("q") for line in lines) == 1_000_000
    assert max(cell_len(line) for line in lines) <= 80


needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
OTHER = 65534  # nobody


def lookup_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LJ_FACTS_CACHE_DIR", "XDG_CACHE_HOME", "HOME")}
    return {**env, "LJ_FACTS_FILE": FACTS, **settings}


def lookup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lj_facts", "industry", "--json"], env=env, capture_output=True, text=True, timeout=60
    )


@needs_root
@pytest.mark.parametrize("owned", ["link", "folder"])
def test_a_cache_path_through_another_users_symlink_or_folder_is_refused(tmp_path, owned):
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "cache"
    if owned == "link":
        link.symlink_to(target)
        os.lchown(link, OTHER, OTHER)
        chosen = link
    else:
        os.chown(target, OTHER, OTHER)
        chosen = target / "lj-facts"
    result = lookup(lookup_env(tmp_path, LJ_FACTS_CACHE_DIR=str(chosen)))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    assert result.stderr.count("cache not used") == 1
    assert list(target.iterdir()) == []


def test_a_cache_folder_writable_by_others_without_the_sticky_bit_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    result = lookup(lookup_env(tmp_path, LJ_FACTS_CACHE_DIR=str(shared / "lj-facts")))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("cache not used") == 1
    assert list(shared.iterdir()) == []


@pytest.mark.parametrize("home", ["", "relative/home", "/nonexistent-home-of-lj-facts"])
def test_no_usable_home_answers_from_the_file_with_one_note(tmp_path, home):
    result = lookup(lookup_env(tmp_path, HOME=home))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "industry.gross-output"
    assert result.stderr.count("cache not used") == 1
    assert not Path("/nonexistent-home-of-lj-facts").exists()


def test_no_cache_setting_answers_without_a_word(tmp_path):
    result = lookup(lookup_env(tmp_path, HOME="", LJ_FACTS_NO_CACHE="1"))
    assert result.returncode == 0
    assert result.stderr == ""

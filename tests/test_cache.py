"""The index cache: fresh after every edit, safe with concurrent builders, never trusted when broken."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lj_facts.cli import app
from lj_facts.index import cache_dir

loader = importlib.import_module("lj_facts.load")  # the module: `lj_facts.load` is the API's function


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(folder))
    return folder


def value_of(runner, path: Path, *extra: str) -> float:
    result = runner.invoke(app, ["industry", "--file", str(path), "--json", *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]["value"]


def age(path: Path, seconds: float = 60) -> None:
    """Set the file's modification time in the past, out of the racy window."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.sqlite3")) if folder.exists() else []


def test_first_lookup_builds_the_cache_and_later_ones_do_not_parse(runner, write_file, cache, monkeypatch):
    path = write_file()
    age(path)
    assert value_of(runner, path) == 2008.3
    assert len(cache_files(cache)) == 1

    def no_parse(*args, **kwargs):
        raise AssertionError("the TOML was parsed again")

    monkeypatch.setattr(loader, "parse_toml", no_parse)
    assert value_of(runner, path) == 2008.3


@pytest.mark.parametrize("aged", [False, True], ids=["just written", "written a minute ago"])
def test_an_edit_that_keeps_the_size_is_seen(runner, write_file, cache, aged):
    path = write_file()
    if aged:
        age(path)
    assert value_of(runner, path) == 2008.3
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("2008.3", "2008.4"), encoding="utf-8")
    assert path.stat().st_size == before.st_size
    assert value_of(runner, path) == 2008.4


def test_an_edit_that_restores_the_modification_time_is_seen(runner, write_file, cache):
    path = write_file()
    age(path)
    assert value_of(runner, path) == 2008.3
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("2008.3", "2008.4"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
    assert value_of(runner, path) == 2008.4


def test_a_file_moved_in_place_of_another_is_seen(runner, write_file, cache, tmp_path):
    path = write_file()
    age(path)
    assert value_of(runner, path) == 2008.3
    other = tmp_path / "other.toml"
    other.write_text(path.read_text(encoding="utf-8").replace("2008.3", "2008.5"), encoding="utf-8")
    age(other)
    os.replace(other, path)
    assert value_of(runner, path) == 2008.5


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a database at all"),
        lambda p: p.write_bytes(p.read_bytes()[:1000]),
        lambda p: p.write_bytes(b""),
    ],
    ids=["garbage", "truncated", "empty"],
)
def test_a_corrupt_cache_is_rebuilt(runner, write_file, cache, damage):
    path = write_file()
    age(path)
    value_of(runner, path)
    (cached,) = cache_files(cache)
    damage(cached)
    assert value_of(runner, path) == 2008.3
    assert value_of(runner, path) == 2008.3, "and the rebuilt cache serves the next look-up"


def test_a_foreign_cache_is_not_trusted(runner, write_file, cache, tmp_path):
    """A sound index of another file under this file's cache name is rebuilt."""
    import sqlite3

    path = write_file()
    age(path)
    value_of(runner, path)
    (cached,) = cache_files(cache)
    with sqlite3.connect(cached) as conn:
        conn.execute("UPDATE info SET value = '/elsewhere/facts.toml' WHERE key = 'path'")
        conn.execute("UPDATE facts SET value = 9999.9")
    assert value_of(runner, path) == 2008.3


def test_an_index_of_another_version_is_rebuilt(runner, write_file, cache):
    import sqlite3

    path = write_file()
    age(path)
    value_of(runner, path)
    (cached,) = cache_files(cache)
    with sqlite3.connect(cached) as conn:
        conn.execute("UPDATE info SET value = 'lj-facts index 0' WHERE key = 'format'")
        conn.execute("UPDATE facts SET value = 9999.9")
    assert value_of(runner, path) == 2008.3


def test_an_unwritable_cache_folder_degrades_to_no_cache(runner, write_file, tmp_path, monkeypatch):
    """Root ignores permission bits, so the folder is made impossible: its parent is a file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(blocker / "cache"))
    path = write_file()
    assert value_of(runner, path) == 2008.3


def test_a_failing_cache_write_degrades_to_no_cache(runner, write_file, cache, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert value_of(runner, write_file()) == 2008.3
    assert cache_files(cache) == []


def test_no_cache_option_writes_nothing(runner, write_file, cache):
    assert value_of(runner, write_file(), "--no-cache") == 2008.3
    assert not cache.exists()


def test_cache_folder_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.delenv("LJ_FACTS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "lj-facts"
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


@pytest.mark.slow
def test_concurrent_builders_agree_and_leave_one_index(write_file, tmp_path):
    """Eight processes build the same missing cache at once: every one answers, one index remains."""
    extra = "".join(
        f'\n[[facts]]\nid = "industry.copy-{i}"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\n'
        for i in range(3000)
    )
    path = write_file(extra)
    folder = tmp_path / "shared-cache"
    env = {**os.environ, "LJ_FACTS_CACHE_DIR": str(folder)}
    command = [sys.executable, "-m", "lj_facts", "industry", "--file", str(path), "-f", "jsonl"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(8)]
    outputs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert len(outputs[0][0].splitlines()) == 3001
    assert len(cache_files(folder)) == 1
    assert not list(folder.glob(".building-*")), "no half-built file is left behind"

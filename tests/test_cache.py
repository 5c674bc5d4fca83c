"""The index cache: fresh after every edit, the user's own (an index or folder others could change is never
served), rebuilt when damaged, no cache where none can be written, none for a stream, safe with concurrent
builders."""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lj_facts import index as index_module
from lj_facts.cli import app
from lj_facts.errors import ExitCode
from lj_facts.index import cache_dir

from .conftest import MINIMAL, rows

loader = importlib.import_module("lj_facts.load")  # the module: `lj_facts.load` is the API's function


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(folder))
    return folder


def value_of(runner, path: Path, *extra: str) -> float:
    """The value `lj-facts industry --file PATH` answers first (industry.gross-output's, 2008.3)."""
    return rows(runner, "industry", "--file", str(path), *extra)[0]["value"]


def show_json(runner, path: Path, *extra: str) -> dict:
    """The row `lj-facts show industry.gross-output --file PATH` answers."""
    return rows(runner, "show", "industry.gross-output", "--file", str(path), *extra)[0]


def plant(runner, path: Path, cache: Path, sql: str = "UPDATE facts SET value = 9999.9") -> Path:
    """Build the cache of `path`, then change it as someone else (or damage) would."""
    show_json(runner, path)
    (index,) = cache.glob("*.sqlite3")
    conn = sqlite3.connect(index)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return index


def age(path: Path, seconds: float = 60) -> None:
    """Set the file's modification time in the past, out of the racy window."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.sqlite3")) if folder.exists() else []


class TestFreshness:
    def test_first_lookup_builds_the_cache_and_later_ones_do_not_parse(self, runner, write_file, cache, monkeypatch):
        path = write_file()
        age(path)
        assert value_of(runner, path) == 2008.3
        assert len(cache_files(cache)) == 1

        def no_parse(*args, **kwargs):
            raise AssertionError("the TOML was parsed again")

        monkeypatch.setattr(loader, "parse_toml", no_parse)
        assert value_of(runner, path) == 2008.3

    @pytest.mark.parametrize("aged", [False, True], ids=["just written", "written a minute ago"])
    def test_an_edit_that_keeps_the_size_is_seen(self, runner, write_file, cache, aged):
        path = write_file()
        if aged:
            age(path)
        assert value_of(runner, path) == 2008.3
        before = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace("2008.3", "2008.4"), encoding="utf-8")
        assert path.stat().st_size == before.st_size
        assert value_of(runner, path) == 2008.4

    def test_an_edit_that_restores_the_modification_time_is_seen(self, runner, write_file, cache):
        path = write_file()
        age(path)
        assert value_of(runner, path) == 2008.3
        before = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace("2008.3", "2008.4"), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
        assert value_of(runner, path) == 2008.4

    def test_a_file_moved_in_place_of_another_is_seen(self, runner, write_file, cache, tmp_path):
        path = write_file()
        age(path)
        assert value_of(runner, path) == 2008.3
        other = tmp_path / "other.toml"
        other.write_text(path.read_text(encoding="utf-8").replace("2008.3", "2008.5"), encoding="utf-8")
        age(other)
        os.replace(other, path)
        assert value_of(runner, path) == 2008.5


class TestDamage:
    """A damaged, foreign or planted index is rebuilt from the file, never served."""

    @pytest.mark.parametrize(
        "damage",
        [
            lambda p: p.write_bytes(b"not a database at all"),
            lambda p: p.write_bytes(p.read_bytes()[:1000]),
            lambda p: p.write_bytes(b""),
        ],
        ids=["garbage", "truncated", "empty"],
    )
    def test_a_corrupt_cache_is_rebuilt(self, runner, write_file, cache, damage):
        path = write_file()
        age(path)
        value_of(runner, path)
        (cached,) = cache_files(cache)
        damage(cached)
        assert value_of(runner, path) == 2008.3
        assert value_of(runner, path) == 2008.3, "and the rebuilt cache serves the next look-up"

    def test_a_foreign_cache_is_not_trusted(self, runner, write_file, cache, tmp_path):
        """A sound index of another file under this file's cache name is rebuilt."""
        path = write_file()
        age(path)
        value_of(runner, path)
        (cached,) = cache_files(cache)
        with sqlite3.connect(cached) as conn:
            conn.execute("UPDATE info SET value = '/elsewhere/facts.toml' WHERE key = 'path'")
            conn.execute("UPDATE facts SET value = 9999.9")
        assert value_of(runner, path) == 2008.3

    def test_an_index_of_another_version_is_rebuilt(self, runner, write_file, cache):
        path = write_file()
        age(path)
        value_of(runner, path)
        (cached,) = cache_files(cache)
        with sqlite3.connect(cached) as conn:
            conn.execute("UPDATE info SET value = 'lj-facts index 0' WHERE key = 'format'")
            conn.execute("UPDATE facts SET value = 9999.9")
        assert value_of(runner, path) == 2008.3

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE facts SET kind = 'bogus'",
            "UPDATE facts SET value = 'abc'",
            "UPDATE facts SET unit = 'parsecs'",
            "UPDATE facts SET rank = 9223372036854775807",
            "UPDATE facts SET value = 1e300",
            "UPDATE facts SET growth_span_years = 5.0",
            "UPDATE facts SET label = x'00'",
            "UPDATE facts SET note = 7",
            "UPDATE facts SET topics = NULL",
            "DROP TABLE words",
            "DELETE FROM meta",
            "UPDATE haystack SET starts = x'0102'",
            "DROP TABLE words; CREATE VIEW words AS WITH RECURSIVE r(word) AS (SELECT 1 UNION ALL SELECT word + 1 FROM r) SELECT word FROM r",
            "CREATE TRIGGER t AFTER UPDATE ON info BEGIN DELETE FROM facts; END",
            "CREATE TABLE extra (x)",
        ],
    )
    def test_damage_found_while_answering_rebuilds_and_answers_right(self, runner, write_file, cache, sql):
        """A wrong type, an unknown enum, a missing table or a recursive view: never exit 70, never a hang."""
        path = write_file()
        plant(runner, path, cache, sql)
        for args in (["industry"], ["工业 2008.3"], ["show", "industry.gross-output"], ["city"], ["nothing"]):
            result = runner.invoke(app, [*args, "--file", str(path), "--json"])
            assert result.exit_code in (0, 1), result.stderr
        assert show_json(runner, path)["value"] == 2008.3

    def test_a_malformed_page_rebuilds_and_answers_right(self, runner, write_file, cache):
        path = write_file()
        index = plant(runner, path, cache, "")
        raw = index.read_bytes()
        index.write_bytes(raw[:4096] + bytes(255 - b for b in raw[4096:]))
        assert show_json(runner, path)["value"] == 2008.3
        assert show_json(runner, path)["value"] == 2008.3

    def test_a_symlinked_index_is_not_followed(self, runner, write_file, cache, tmp_path):
        path = write_file()
        index = plant(runner, path, cache)
        elsewhere = tmp_path / "elsewhere.sqlite3"
        index.rename(elsewhere)
        index.symlink_to(elsewhere)
        assert show_json(runner, path)["value"] == 2008.3

    def test_a_number_checked_once_is_told_apart_from_its_look_alikes(self):
        """Each distinct number is checked once a run: 1.0, True or "1" after a good 1 is still no whole number."""
        from lj_facts.index.rows import Damaged, as_row, fact_from
        from lj_facts.model import Fact, Kind

        good = Fact("a.b", ("t",), "label", "quote", Kind.NUMBER, rank=1, source="report")
        row = as_row(good)  # as the index stores it
        assert fact_from(row) == good
        rank = good._fields.index("rank")
        for bad in (1.0, True, "1", b"1", 0, -1):
            with pytest.raises(Damaged):
                fact_from((*row[:rank], bad, *row[rank + 1 :]))


class TestTheFolderIsTheUsers:
    """A cache folder others could change is not used, and the folder lj-facts makes is private."""

    @pytest.mark.parametrize("mode", [0o777, 0o775, 0o757, 0o770])
    def test_a_folder_others_can_write_is_not_used(self, runner, write_file, cache, mode):
        """An index planted in a folder others can write is never served; --debug says why."""
        path = write_file()
        plant(runner, path, cache)
        cache.chmod(mode)
        result = runner.invoke(app, ["--debug", "show", "industry.gross-output", "--file", str(path), "--json"])
        assert json.loads(result.stdout)[0]["value"] == 2008.3
        assert "can be written by others" in result.stderr

    def test_a_folder_of_another_user_is_not_used(self, runner, write_file, cache, monkeypatch):
        """A folder owned by someone else (simulated: lj-facts runs as another uid) is not used."""
        path = write_file()
        plant(runner, path, cache)
        monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
        result = runner.invoke(app, ["--debug", "show", "industry.gross-output", "--file", str(path), "--json"])
        assert json.loads(result.stdout)[0]["value"] == 2008.3
        assert "belongs to another user" in result.stderr

    def test_a_folder_under_a_folder_others_can_write_is_not_used(self, runner, write_file, tmp_path, monkeypatch):
        """Someone who can write a folder above the cache could swap the cache for their own."""
        path = write_file()
        above = tmp_path / "open"
        folder = above / "cache"
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(folder))
        plant(runner, path, folder)
        above.chmod(0o777)
        assert show_json(runner, path)["value"] == 2008.3

    def test_nothing_is_made_under_a_folder_others_can_write(self, runner, write_file, tmp_path, monkeypatch):
        """A cache folder to be made under a folder others can write is refused before it is made: nothing
        is left behind there."""
        open_folder = tmp_path / "open"
        open_folder.mkdir()
        open_folder.chmod(0o777)
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(open_folder / "a" / "cache"))
        result = runner.invoke(app, ["--debug", "show", "industry.gross-output", "--file", str(write_file()), "--json"])
        assert json.loads(result.stdout)[0]["value"] == 2008.3
        assert f"{open_folder}, above it, can be changed by another user" in result.stderr
        assert list(open_folder.iterdir()) == []

    def test_the_folder_it_creates_is_private(self, runner, write_file, tmp_path, monkeypatch):
        folder = tmp_path / "a" / "b"
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(folder))
        show_json(runner, write_file())
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


class TestWhereItIs:
    def test_cache_folder_follows_xdg_cache_home(self, monkeypatch, tmp_path):
        monkeypatch.delenv("LJ_FACTS_CACHE_DIR")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "lj-facts"
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(tmp_path / "mine"))
        assert cache_dir() == tmp_path / "mine"

    @pytest.mark.parametrize(
        "settings",
        [
            {"LJ_FACTS_CACHE_DIR": "relative"},
            {"LJ_FACTS_CACHE_DIR": "~/cache"},
            {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "rel", "HOME": ""},
            {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "", "HOME": "home"},
            {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "~/.cache", "HOME": "~"},
        ],
    )
    def test_relative_settings_are_ignored_as_xdg_says(self, runner, write_file, tmp_path, monkeypatch, settings):
        """A relative cache path names another folder in every directory: ignored, the answer uncached."""
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)
        assert index_module.cache_dir() is None
        show_json(runner, write_file(name="f.toml"))
        assert sorted(p.name for p in tmp_path.iterdir()) == ["f.toml"]

    def test_a_relative_xdg_cache_home_falls_back_to_home(self, monkeypatch, tmp_path):
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", "")
        monkeypatch.setenv("XDG_CACHE_HOME", "relative")
        monkeypatch.setenv("HOME", str(tmp_path))
        assert index_module.cache_dir() == tmp_path / ".cache" / "lj-facts"


class TestNoCache:
    """Where the cache cannot be written, or is turned off, the answer comes from the file."""

    def test_an_unwritable_cache_folder_degrades_to_no_cache(self, runner, write_file, tmp_path, monkeypatch):
        """Root ignores permission bits, so the folder is made impossible: its parent is a file."""
        blocker = tmp_path / "a-file"
        blocker.write_text("x")
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(blocker / "cache"))
        path = write_file()
        assert value_of(runner, path) == 2008.3

    def test_a_failing_cache_write_degrades_to_no_cache(self, runner, write_file, cache, monkeypatch):
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        assert value_of(runner, write_file()) == 2008.3
        assert cache_files(cache) == []

    @pytest.mark.parametrize(("extra", "setting"), [(["--no-cache"], {}), ([], {"LJ_FACTS_NO_CACHE": "1"})])
    def test_no_cache_writes_nothing(self, runner, write_file, cache, monkeypatch, extra, setting):
        """--no-cache, or LJ_FACTS_NO_CACHE=1: the answer, and no index written."""
        for name, value in setting.items():
            monkeypatch.setenv(name, value)
        assert value_of(runner, write_file(), *extra) == 2008.3
        assert not cache.exists()


class TestLeftovers:
    """What a deleted file, an interrupted or a killed build leaves is removed."""

    def test_the_index_of_a_file_since_deleted_goes_at_the_next_build(self, runner, write_file, cache, tmp_path):
        """One index per --file path: those whose file no longer exists are removed when another is built;
        the others stay."""
        kept, gone = write_file(name="kept.toml"), write_file(name="gone.toml")
        for path in (kept, gone):
            show_json(runner, path)
        assert len(list(cache.glob("*.sqlite3"))) == 2
        gone.unlink()
        show_json(runner, write_file(name="new.toml"))
        names = sorted(p.name.split(".toml")[0] for p in cache.glob("*.sqlite3"))
        assert [n.rsplit("_", 1)[-1] for n in names] == ["kept", "new"]
        assert show_json(runner, kept)["value"] == 2008.3

    def test_an_interrupted_build_leaves_nothing(self, runner, write_file, cache, monkeypatch):
        def interrupted(*args):
            raise KeyboardInterrupt

        monkeypatch.setattr("lj_facts.index.building.build", interrupted)
        result = runner.invoke(app, ["industry", "--file", str(write_file())])
        assert result.exit_code == ExitCode.INTERRUPTED
        assert not list(cache.glob(".building-*"))

    def test_leftovers_of_a_killed_process_are_removed_by_the_next_build(self, runner, write_file, cache):
        cache.mkdir(mode=0o700)
        dead = cache / ".building-999999999-abc.sqlite3"
        dead.write_bytes(b"half an index")
        living = cache / f".building-{os.getpid()}-abc.sqlite3"
        living.write_bytes(b"being written")
        show_json(runner, write_file())
        assert not dead.exists()
        assert living.exists(), "a build still running is left alone"

    def test_temporary_folders_a_killed_parallel_build_left_are_removed(
        self, runner, write_file, tmp_path, monkeypatch
    ):
        import tempfile

        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        dead = tmp_path / "lj-facts-999999999-abc"
        dead.mkdir()
        (dead / "0.sqlite3").write_bytes(b"a share")
        living = tmp_path / f"lj-facts-{os.getpid()}-abc"
        living.mkdir()
        assert runner.invoke(app, ["industry", "--file", str(write_file()), "--no-cache"]).exit_code == 0
        assert not dead.exists()
        assert living.exists()


class TestStreams:
    def test_stdin_is_read_once_and_never_cached(self, runner, cache):
        """`--file -` twice with other content: each answered from its own content."""
        first = runner.invoke(app, ["industry", "--file", "-"], input=MINIMAL)
        second = runner.invoke(app, ["industry", "--file", "-"], input=MINIMAL.replace("gross industrial", "other"))
        assert first.exit_code == second.exit_code == 0
        assert "gross industrial" in first.stdout and "other" in second.stdout
        assert not cache.exists() or not list(cache.glob("*.sqlite3"))

    def test_a_fifo_is_a_stream(self, tmp_path):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        assert loader.is_stream(fifo, fifo.stat())
        assert loader.is_stream(Path("/dev/stdin"), os.stat(__file__))
        assert not loader.is_stream(Path(__file__), os.stat(__file__))


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

"""A knowledge file (or report) that is broken, in another encoding, out of reach or too large: one message
naming the file and why, exit 2, never a traceback. Through the command line; tests/test_load.py has the
loader's own errors."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from lj_facts.cli import app
from lj_facts.errors import ExitCode, KnowledgeFileError, SettingError

from .conftest import MINIMAL

loader = importlib.import_module("lj_facts.load")  # the module: `lj_facts.load` is the API's function

BROKEN_FILES = [
    ("malformed TOML", '[meta]\ntitle = "x\nregion = 3\n', "2:11: invalid TOML: Illegal character"),
    ("empty", "", "is empty"),
    ("only blanks", "\n  \n", "is empty"),
    ("deep nesting", "x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    (
        "schema errors",
        "[meta]\ntitle = 1\n[topics.a]\nname = 2\n[[facts]]\nid = 3\n",
        "does not follow the knowledge-file schema",
    ),
    ("array of tables for meta", "[[meta]]\ntitle = 'x'\n", "meta: -: must be a table"),
    ("unit of the wrong type", None, "unit: ['亿元'] is not a known unit"),
]


class TestBrokenFiles:
    @pytest.mark.parametrize(("case", "text", "expected"), BROKEN_FILES, ids=[c[0] for c in BROKEN_FILES])
    def test_broken_file_is_one_message_and_exit_2(self, runner, write_file, case, text, expected):
        if text is None:
            path = write_file(
                '\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nvalue = 1\nunit = ["亿元"]\n'
            )
        else:
            path = write_file(text=text)
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert expected in result.stderr
        assert result.stderr.startswith(f"lj-facts: {path}: ")
        assert "Traceback" not in result.output and result.stdout == ""

    def test_malformed_toml_shows_the_line_and_a_caret(self, runner, write_file):
        path = write_file(text='[meta]\ntitle = "x"\nregion = = 3\n')
        lines = runner.invoke(app, ["industry", "--file", str(path)]).stderr.splitlines()
        assert lines[0] == f"lj-facts: {path}: 3:10: invalid TOML: Invalid value"
        assert lines[1:] == ["  region = = 3", "           ^"]

    def test_unfinished_toml_points_just_after_the_last_character(self, runner, write_file):
        """tomllib gives no line for an error at the end of the document: the caret still shows where it stops."""
        path = write_file(text='[meta]\ntitle = "x"\nregion = [1,\n\n')
        lines = runner.invoke(app, ["industry", "--file", str(path)]).stderr.splitlines()
        assert lines[0].startswith(f"lj-facts: {path}: 3:13: invalid TOML: Invalid value")
        assert lines[1:] == ["  region = [1,", "  " + " " * 12 + "^"]

    def test_every_schema_problem_at_once_with_id_and_field(self, runner, write_file):
        extra = """
    [[facts]]
    id = "a.dup"
    topics = ["nope"]
    label = "x"
    text = "y"
    kind = "number"
    value = nan
    unit = "斤"
    qualifier = "roughly"
    city_share_pct = 101

    [[facts]]
    id = "a.dup"
    topics = ["industry"]
    label = "x"
    text = "y"
    kind = "claim"

    [[facts]]
    topics = ["industry"]
    label = 5
    kind = "number"
    growth_pct = inf
    """
        result = runner.invoke(app, ["industry", "--file", str(write_file(extra))])
        assert result.exit_code == 2
        for problem in (
            "a.dup: topics: 'nope' is not a declared topic",
            "a.dup: value: must be a finite number, not nan",
            "a.dup: unit: '斤' is not a known unit",
            "a.dup: qualifier: 'roughly' is not one of",
            "a.dup: city_share_pct: 101 is outside 0–100",
            "a.dup: id: duplicate id",
            "facts[4]: id: missing",
            "facts[4]: label: must be a string, not an integer",
            "facts[4]: text: missing",
            "facts[4]: growth_pct: must be a finite number, not inf",
        ):
            assert problem in result.stderr, problem


class TestEncodings:
    @pytest.mark.parametrize(
        ("content", "expected"),
        [(b"\xff\xfe\x00[", "not UTF-8 text (byte 0)"), (b"x = 1\n\xc3\x28", "not UTF-8 text (byte 6)")],
    )
    def test_invalid_utf8(self, runner, tmp_path, content, expected):
        path = tmp_path / "bad.toml"
        path.write_bytes(content)
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2 and expected in result.stderr

    def test_chinese_in_another_encoding_says_how_to_convert_it(self, runner, tmp_path):
        """A knowledge file or a source saved as GB18030 (GBK) by a Chinese editor: the message names the
        encoding and the conversion, for the file (any command) and for the source of `validate`."""
        from lj_facts.index import shipped_path

        toml = tmp_path / "gbk.toml"
        toml.write_bytes(shipped_path().read_text(encoding="utf-8").encode("gb18030"))
        source = tmp_path / "gbk.txt"
        source.write_bytes("两江新区上半年GDP达2000.2亿元。".encode("gb18030"))
        hint = "it reads as GB18030 (or Big5): `iconv -f GB18030 -t UTF-8` (`-f BIG5`) converts it"
        for args in (["industry", "--file", str(toml)], ["validate", str(toml)], ["validate", "--source", str(source)]):
            result = runner.invoke(app, args)
            assert result.exit_code == 2, args
            assert hint in result.stderr, (args, result.stderr)

    def test_a_byte_order_mark_is_accepted(self, runner, tmp_path):
        path = tmp_path / "bom.toml"
        path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
        assert runner.invoke(app, ["industry", "--file", str(path)]).exit_code == 0
        assert runner.invoke(app, ["validate", str(path)]).exit_code == 0


class TestPaths:
    @pytest.mark.parametrize(
        ("make", "expected"),
        [
            (lambda tmp: tmp / "missing.toml", "no such file"),
            (lambda tmp: tmp, "is a folder without a knowledge file"),
        ],
        ids=["missing", "directory"],
    )
    def test_unusable_paths(self, runner, tmp_path, make, expected):
        result = runner.invoke(app, ["industry", "--file", str(make(tmp_path))])
        assert result.exit_code == 2 and expected in result.stderr

    def test_unreadable_file(self, runner, write_file, monkeypatch):
        """Permission bits do not stop root, so the refusal is simulated where the file is opened."""
        path = write_file()

        real_open = os.open

        def refuse(target, *args, **kwargs):
            if os.fspath(target) == str(path):
                raise PermissionError(13, "Permission denied")
            return real_open(target, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert "cannot read: Permission denied" in result.stderr

    def test_a_path_of_bytes_that_are_not_utf8_opens(self, runner, tmp_path, monkeypatch):
        name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"f\xff.toml"))
        Path(name).write_text(MINIMAL, encoding="utf-8")
        for extra in ([], ["--no-cache"], []):
            result = runner.invoke(app, ["industry", "--file", name, *extra])
            assert result.exit_code == 0, result.stderr

    def test_a_relative_file_in_a_deleted_directory_is_no_such_file(self, runner, monkeypatch, tmp_path):
        gone = tmp_path / "gone"
        gone.mkdir()
        monkeypatch.chdir(gone)
        gone.rmdir()
        result = runner.invoke(app, ["industry", "--file", "facts.toml"])
        assert result.exit_code == ExitCode.ERROR
        assert "facts.toml: no such file" in result.stderr


class TestSizes:
    @pytest.mark.parametrize(
        ("setting", "size"), [("", 256 << 20), ("1000", 1000), ("10K", 10 << 10), ("64M", 64 << 20), ("2g", 2 << 30)]
    )
    def test_max_bytes_setting(self, monkeypatch, setting, size):
        monkeypatch.setenv("LJ_FACTS_MAX_BYTES", setting)
        assert loader.max_bytes() == size

    @pytest.mark.parametrize("setting", ["lots", "-1", "0", "1.5M", "1T", "9" * 30])
    def test_a_bad_max_bytes_is_a_clear_error(self, runner, monkeypatch, setting):
        monkeypatch.setenv("LJ_FACTS_MAX_BYTES", setting)
        with pytest.raises(SettingError):
            loader.max_bytes()
        result = runner.invoke(app, ["industry"])
        assert result.exit_code == ExitCode.ERROR
        assert "LJ_FACTS_MAX_BYTES" in result.stderr

    def test_a_regular_file_over_the_limit_is_refused_before_a_byte_is_read(self, tmp_path, monkeypatch):
        path = tmp_path / "sparse.toml"
        with path.open("wb") as f:
            f.truncate(300 << 20)

        def no_reading(*args):
            raise AssertionError("read")

        monkeypatch.setattr(os, "read", no_reading)
        with pytest.raises(KnowledgeFileError, match="larger than 256 MiB"):
            loader.read_bytes(path)

    def test_file_far_too_large_is_refused_by_size(self, runner, write_file, monkeypatch):
        monkeypatch.setattr(loader, "MAX_BYTES", 100)
        result = runner.invoke(app, ["industry", "--file", str(write_file())])
        assert result.exit_code == 2
        assert "larger than 0 MiB, the most lj-facts reads" in result.stderr or "larger than" in result.stderr

    def test_a_source_over_the_limit_is_refused(self, runner, write_file, tmp_path, monkeypatch):
        source = tmp_path / "source.txt"
        source.write_text("x" * 5000, encoding="utf-8")
        monkeypatch.setenv("LJ_FACTS_MAX_BYTES", "1K")
        result = runner.invoke(app, ["validate", str(write_file()), "--source", str(source)])
        assert result.exit_code == ExitCode.ERROR
        assert "larger than 1 KiB" in result.stderr

    def test_draft_reads_its_report_within_the_limit_too(self, runner, tmp_path, monkeypatch):
        """`draft` refuses a report over LJ_FACTS_MAX_BYTES by its size, as validate does."""
        report = tmp_path / "report.txt"
        report.write_text("产值达2008.3亿元。" * 200, encoding="utf-8")
        monkeypatch.setenv("LJ_FACTS_MAX_BYTES", "1K")
        result = runner.invoke(app, ["draft", str(report)])
        assert result.exit_code == ExitCode.ERROR
        assert "larger than 1 KiB" in result.stderr

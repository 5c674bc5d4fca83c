"""Trust and robustness: the cache is the user's own, hostile input and a failing environment give a clean message and exit code."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import re
import sqlite3
import stat
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lj_facts import index as index_module
from lj_facts import writers
from lj_facts.cli import app
from lj_facts.errors import ExitCode, KnowledgeFileError, SettingError
from lj_facts.ranges import CITY_RANGES, FACT_RANGES

from .conftest import MINIMAL

loader = importlib.import_module("lj_facts.load")  # the module: `lj_facts.load` is the API's function


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(folder))
    return folder


def show_json(runner, path: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["show", "industry.gross-output", "--file", str(path), "--json", *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]


def plant(runner, path: Path, cache: Path, sql: str = "UPDATE facts SET value = 9999.9") -> Path:
    """Build the cache of `path`, then change it as someone else (or damage) would."""
    show_json(runner, path)
    (index,) = cache.glob("*.sqlite3")
    conn = sqlite3.connect(index)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return index


class TestTheCacheIsItsOwn:
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

    def test_the_folder_it_creates_is_private(self, runner, write_file, tmp_path, monkeypatch):
        folder = tmp_path / "a" / "b"
        monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(folder))
        show_json(runner, write_file())
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    def test_a_symlinked_index_is_not_followed(self, runner, write_file, cache, tmp_path):
        path = write_file()
        index = plant(runner, path, cache)
        elsewhere = tmp_path / "elsewhere.sqlite3"
        index.rename(elsewhere)
        index.symlink_to(elsewhere)
        assert show_json(runner, path)["value"] == 2008.3

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

    def test_no_cache_setting_writes_no_index(self, runner, write_file, cache, monkeypatch):
        monkeypatch.setenv("LJ_FACTS_NO_CACHE", "1")
        show_json(runner, write_file())
        assert not cache.exists()

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

    def test_named_exit_codes_for_sigterm_and_sighup(self):
        assert (ExitCode.TERMINATED, ExitCode.HANGUP) == (143, 129)


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


class TestBytesAndOutput:
    @pytest.mark.parametrize("args", [["\udcff"], ["search", "ok\udcfe"], ["industry\udcff"], ["show", "\udcff"]])
    def test_a_term_that_is_not_text_finds_nothing_shown_escaped(self, runner, args):
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.NO_MATCH
        assert "\\xff" in result.stderr or "\\xfe" in result.stderr or "\\udcff" in result.stderr

    def test_a_path_of_bytes_that_are_not_utf8_opens(self, runner, tmp_path, monkeypatch):
        name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"f\xff.toml"))
        Path(name).write_text(MINIMAL, encoding="utf-8")
        for extra in ([], ["--no-cache"], []):
            result = runner.invoke(app, ["industry", "--file", name, *extra])
            assert result.exit_code == 0, result.stderr

    @pytest.mark.parametrize(
        ("error", "said"),
        [
            (OSError(28, "No space left on device"), "cannot write the output: No space left on device"),
            (OSError(9, "Bad file descriptor"), "cannot write the output: Bad file descriptor"),
            (MemoryError(), "out of memory"),
        ],
    )
    def test_a_failing_output_is_one_line_and_exit_2(self, runner, monkeypatch, error, said):
        def fail(*args, **kwargs):
            raise error

        monkeypatch.setattr(writers, "write_tsv", fail)
        result = runner.invoke(app, ["industry"])
        assert result.exit_code == ExitCode.ERROR
        assert result.stderr == f"lj-facts: {said}\n"


REFUSED = [
    ("value = 1e16\nunit = '元'\ncity_share_pct = 10", "value"),
    ("value = 1e-5\nunit = '元'\ncity_share_pct = 10", "value"),
    ("value = 1e308\nunit = '亿元'", "value"),
    ("value = " + "9" * 400 + "\nunit = '元'", "value"),
    (f"rank = {2**63}", "rank"),
    ("growth_pct = -100.5", "growth_pct"),
    ("growth_pct = 5\ngrowth_span_years = 100000", "growth_span_years"),
    ("value = 0.30000000000000004\nunit = '元'", "value"),
    ("topics = ['industry', 'industry']\nvalue = 1\nunit = '元'", "topics"),
    ("topics = [" + ", ".join(f"'t{i}'" for i in range(65)) + "]\nvalue = 1\nunit = '元'", "topics"),
]


def a_fact(fields: str) -> str:
    fields = fields if "topics =" in fields else "topics = ['industry']\n" + fields
    return MINIMAL + f'\n[[facts]]\nid = "a.b"\nlabel = "x"\ntext = "y"\nkind = "number"\n{fields}\n'


class TestNumbers:
    @pytest.mark.parametrize(("fields", "field"), REFUSED, ids=[r[1] + str(i) for i, r in enumerate(REFUSED)])
    def test_a_number_outside_its_range_is_a_schema_error_naming_fact_and_field(
        self, runner, write_file, fields, field
    ):
        result = runner.invoke(app, ["industry", "--city", "--json", "--file", str(write_file(text=a_fact(fields)))])
        assert result.exit_code == ExitCode.ERROR, result.stderr
        assert f"a.b: {field}:" in result.stderr

    def test_a_city_figure_outside_its_range_is_a_schema_error(self, runner, write_file):
        city = '\n[[city_figures]]\nid = "city.x"\nlabel = "x"\nlabel_zh = "x"\nperiod = "2021"\nsource = "s"\nvalue = 1e300\nunit = "元"\n'
        result = runner.invoke(app, ["city", "--file", str(write_file(text=MINIMAL + city))])
        assert result.exit_code == ExitCode.ERROR
        assert "city.x: value:" in result.stderr

    def test_a_value_of_0_with_a_share_implies_no_city_total(self, runner, write_file):
        path = write_file(text=a_fact("value = 0\nunit = '亿元'\ncity_share_pct = 16.3"))
        row = json.loads(runner.invoke(app, ["show", "a.b", "--file", str(path), "--json"]).stdout)[0]
        assert row["city_total_implied"] is None and row["city_total_low"] is None

    def test_the_base_value_has_no_float_noise(self, runner, write_file):
        path = write_file(text=a_fact("value = 123456789.012345\nunit = '亿元'"))
        row = json.loads(runner.invoke(app, ["show", "a.b", "--file", str(path), "--json"]).stdout)[0]
        assert repr(row["value_base"]) == "1.23456789012345e+16"


def _edge_numbers(bounds):
    """Numbers at, inside and just outside a field's range, and absurd ones."""
    absurd = st.sampled_from([0, -0.0, 1e-300, 1e308, -1e308, 2**63, -(2**63), 10**400, 0.1 + 0.2, 5e-324])
    near = st.sampled_from([bounds.low, bounds.high, bounds.low - 1, bounds.high + 1, 1e-4, -1e-4, 9.99e-5])
    if bounds.whole:
        inside = st.integers(int(bounds.low), int(bounds.high))
    else:
        inside = st.floats(bounds.low, bounds.high, allow_nan=False).map(lambda x: float(f"{x:.6g}"))
    wild = st.one_of(absurd, st.integers(-(10**20), 10**20), st.floats(allow_nan=False))
    return st.one_of(inside, inside, inside, near, wild)  # mostly inside: the answers are what is tested


@st.composite
def number_facts(draw):
    chosen = draw(st.lists(st.sampled_from(sorted(FACT_RANGES)), min_size=1, max_size=3, unique=True))
    fields = {name: draw(_edge_numbers(FACT_RANGES[name])) for name in chosen}
    lines = [f"{k} = {v!r}".replace("inf", "inf") for k, v in fields.items()]
    if "value" in fields:
        lines.append(f"unit = {draw(st.sampled_from(['亿元', '元', '%', '万辆']))!r}")
    if draw(st.booleans()):
        lines.append('city_figure = "city.x"')
    return "\n".join(lines)


@st.composite
def city_figures(draw):
    """A city figure whose value and growth are drawn over (and past) their ranges."""
    value = draw(_edge_numbers(CITY_RANGES["value"]))
    growth = draw(_edge_numbers(CITY_RANGES["growth_pct"]))
    unit = draw(st.sampled_from(["亿元", "元", "万辆"]))
    return textwrap.dedent(f"""
        [[city_figures]]
        id = "city.x"
        label = "x"
        label_zh = "x"
        period = "2021-H1"
        source = "s"
        value = {value!r}
        unit = "{unit}"
        growth_pct = {growth!r}
    """)


VALID_CITY = textwrap.dedent("""
    [[city_figures]]
    id = "city.x"
    label = "x"
    label_zh = "x"
    period = "2021-H1"
    source = "s"
    value = 27894.02
    unit = "亿元"
    growth_pct = 12.8
""")

NOISE = re.compile(r"[1-9]0{9,}[1-9]|[0-8]9{9,}[0-8]|\bnan\b|\binf(?:inity)?\b|\de[+-]?\d")
"""Float noise, exponents and non-numbers: never in the formats for people, CSV or TSV."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=number_facts(),
    city=st.one_of(st.just(VALID_CITY), city_figures()),
    fmt=st.sampled_from(["json", "jsonl", "csv", "tsv", "markdown", "table"]),
)
def test_any_numbers_give_a_schema_error_or_an_answer_in_every_format(runner, tmp_path, fields, city, fmt):
    """Over the whole range of every numeric field: a schema error at load, or every command answers, strict JSON."""
    path = tmp_path / "n.toml"
    path.write_text(a_fact(fields) + city, encoding="utf-8")
    first = runner.invoke(app, ["show", "a.b", "--file", str(path), "--json", "--no-cache"])
    if first.exit_code == ExitCode.ERROR:
        assert "a.b: " in first.stderr or "city.x" in first.stderr, first.stderr
        event("refused at load")
        return
    event("answered")
    assert first.exit_code == 0, first.stderr

    def refuse(name):
        raise AssertionError(f"non-standard JSON {name}")

    json.loads(first.stdout, parse_constant=refuse)
    for args in (["industry", "--city"], ["city"], ["show", "a.b"], ["search", "x"]):
        result = runner.invoke(app, [*args, "--file", str(path), "--format", fmt, "--no-cache"])
        assert result.exit_code in (0, 1), (args, result.stderr)
        if fmt in ("json", "jsonl"):
            lines = [result.stdout] if fmt == "json" else result.stdout.splitlines()
            rows = [json.loads(line, parse_constant=refuse) for line in lines]
            numbers = [v for r in rows for row in (r if isinstance(r, list) else [r]) for v in row.values()]
            noisy = [v for v in numbers if isinstance(v, float) and len(repr(v).split("e")[0].strip("-0.")) > 16]
            assert not noisy, (args, noisy)
        else:
            assert not NOISE.search(result.stdout.lower()), (args, NOISE.search(result.stdout.lower()))


class TestText:
    @pytest.mark.parametrize(
        "ch",
        [
            "\u202a",
            "\u202b",
            "\u202c",
            "\u202d",
            "\u202e",
            "\u2066",
            "\u2067",
            "\u2068",
            "\u2069",
            "\u200e",
            "\u200f",
            "\u061c",
        ],
    )
    def test_bidi_controls_are_made_visible(self, ch):
        assert ch not in writers.printable(f"a{ch}b")
        assert f"\\u{ord(ch):04x}" in writers.printable(f"a{ch}b")

    @pytest.mark.parametrize("fmt", ["table", "markdown", "tsv", "csv"])
    def test_bidi_and_controls_never_reach_the_terminal(self, runner, write_file, fmt):
        path = write_file(text=MINIMAL.replace('"gross industrial output"', '"evil\\u202e\\u2066\\u001b[2J\\u0007x"'))
        out = runner.invoke(app, ["industry", "--file", str(path), "-f", fmt]).stdout
        assert not any(c in out for c in "\u202e\u2066\x1b\x07")

    def test_tsv_shows_control_characters_as_escapes(self):
        import io

        out = io.StringIO()
        writers.write_tsv([{"a": "x\x1b[31my\u202ez\\"}], ["a"], out)
        assert out.getvalue().splitlines()[1] == "x\\x1b[31my\\u202ez\\\\"

    def test_json_stays_lossless(self, runner, write_file):
        path = write_file(text=MINIMAL.replace('"gross industrial output"', '"e\\u202evil\\u001b"'))
        out = runner.invoke(app, ["industry", "--file", str(path), "--json"]).stdout
        assert json.loads(out)[0]["label"] == "e\u202evil\x1b"
        assert "\u202e" not in out

    @pytest.mark.parametrize("text", [" =1+1", "\n=cmd", "\t@SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\r\n-x", "  +x"])
    def test_csv_neutralises_hidden_and_full_width_formulas(self, text):
        assert writers._spreadsheet_safe(text).startswith("'")

    @pytest.mark.parametrize("text", ["-5.5", "+3", "plain", "a=b"])
    def test_csv_leaves_numbers_and_plain_text(self, text):
        assert writers._spreadsheet_safe(text) == text


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

    def test_a_byte_order_mark_is_accepted(self, runner, tmp_path):
        path = tmp_path / "bom.toml"
        path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
        assert runner.invoke(app, ["industry", "--file", str(path)]).exit_code == 0
        assert runner.invoke(app, ["validate", str(path)]).exit_code == 0

    def test_a_relative_file_in_a_deleted_directory_is_no_such_file(self, runner, monkeypatch, tmp_path):
        gone = tmp_path / "gone"
        gone.mkdir()
        monkeypatch.chdir(gone)
        gone.rmdir()
        result = runner.invoke(app, ["industry", "--file", "facts.toml"])
        assert result.exit_code == ExitCode.ERROR
        assert "facts.toml: no such file" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["\udcff"],
        ["search", "\udcff"],
        ["city", "\udcff"],
        ["show", "\udcff"],
        ["show", "industry.gross-output", "\udcff"],
    ],
)
def test_a_term_or_id_that_is_not_utf8_finds_nothing_and_is_shown_escaped(runner, args):
    """Bytes that are not UTF-8 (lj-facts $'\\xff') name nothing: exit 1, shown as \\xff, never as a surrogate."""
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.stderr
    assert "'\\xff' (not UTF-8 text)" in result.stderr
    assert "udcff" not in result.stderr


def test_a_number_checked_once_is_told_apart_from_its_look_alikes():
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


# --- Hostile input: broken files, text that tries to drive the terminal, odd formats, exit codes, bugs.

HOSTILE = "[b]bold[/b] [link=https://example.invalid]x[/link] :warning: \x1b]52;c;SGVsbG8=\x07 \x1b[31mred\x1b[0m \x9b2J \x7f end"
"""Rich markup, an emoji code, an OSC 52 clipboard write, an SGR colour, a C1 CSI, DEL."""


def hostile_file(write_file, field: str = "label", text: str = HOSTILE):
    value = json.dumps(text)  # a TOML basic string takes JSON's escapes
    fields = {"label": '"x"', "text": '"y"', "note": '"n"'}
    fields[field] = value
    body = "".join(f"{k} = {v}\n" for k, v in fields.items())
    return write_file(
        f'\n[[facts]]\nid = "industry.hostile"\ntopics = ["industry"]\n{body}kind = "number"\nvalue = 1\nunit = "个"\n'
    )


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


@pytest.mark.parametrize(("case", "text", "expected"), BROKEN_FILES, ids=[c[0] for c in BROKEN_FILES])
def test_broken_file_is_one_message_and_exit_2(runner, write_file, case, text, expected):
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


def test_malformed_toml_shows_the_line_and_a_caret(runner, write_file):
    path = write_file(text='[meta]\ntitle = "x"\nregion = = 3\n')
    lines = runner.invoke(app, ["industry", "--file", str(path)]).stderr.splitlines()
    assert lines[0] == f"lj-facts: {path}: 3:10: invalid TOML: Invalid value"
    assert lines[1:] == ["  region = = 3", "           ^"]


def test_unfinished_toml_points_just_after_the_last_character(runner, write_file):
    """tomllib gives no line for an error at the end of the document: the caret still shows where it stops."""
    path = write_file(text='[meta]\ntitle = "x"\nregion = [1,\n\n')
    lines = runner.invoke(app, ["industry", "--file", str(path)]).stderr.splitlines()
    assert lines[0].startswith(f"lj-facts: {path}: 3:13: invalid TOML: Invalid value")
    assert lines[1:] == ["  region = [1,", "  " + " " * 12 + "^"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"\xff\xfe\x00[", "not UTF-8 text (byte 0)"), (b"x = 1\n\xc3\x28", "not UTF-8 text (byte 6)")],
)
def test_invalid_utf8(runner, tmp_path, content, expected):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    result = runner.invoke(app, ["industry", "--file", str(path)])
    assert result.exit_code == 2 and expected in result.stderr


def test_chinese_in_another_encoding_says_how_to_convert_it(runner, tmp_path):
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


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.toml", "no such file"),
        (lambda tmp: tmp, "is a folder without a knowledge file"),
    ],
    ids=["missing", "directory"],
)
def test_unusable_paths(runner, tmp_path, make, expected):
    result = runner.invoke(app, ["industry", "--file", str(make(tmp_path))])
    assert result.exit_code == 2 and expected in result.stderr


def test_unreadable_file(runner, write_file, monkeypatch):
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


def test_file_far_too_large_is_refused_by_size(runner, write_file, monkeypatch):
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    result = runner.invoke(app, ["industry", "--file", str(write_file())])
    assert result.exit_code == 2
    assert "larger than 0 MiB, the most lj-facts reads" in result.stderr or "larger than" in result.stderr


def test_every_schema_problem_at_once_with_id_and_field(runner, write_file):
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


class TestDataNeverDrivesTheTerminal:
    @pytest.mark.parametrize("fmt", ["table", "markdown"])
    @pytest.mark.parametrize("field", ["label", "text", "note"])
    def test_markup_emoji_and_control_characters_shown_literally(self, runner, write_file, fmt, field):
        path = hostile_file(write_file, field)
        args = ["show", "industry.hostile"] if field == "note" else ["industry"]
        result = runner.invoke(app, [*args, "--file", str(path), "-f", fmt, "--color", "never"], env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert not any(ch in out for ch in "\x1b\x07\x9b\x7f"), "no raw control character reaches the output"
        if fmt == "markdown":  # brackets escaped, so that no Markdown link can be made of them
            assert "\\[b\\]bold\\[/b\\]" in out and ":warning:" in out and "\\[link=https://example.invalid\\]" in out
        else:
            assert "[b]bold[/b]" in out and ":warning:" in out and "[link=https://example.invalid]" in out
        visible = "\\x1b]52;c;SGVsbG8=\\x07"
        md_visible = visible.replace("\\", "\\\\").replace("]", "\\]")  # backslash and bracket escaped
        assert (md_visible if fmt == "markdown" else visible) in out, "control characters made visible"

    def test_json_keeps_the_text_exactly(self, runner, write_file):
        result = runner.invoke(app, ["industry", "--file", str(hostile_file(write_file)), "--json"])
        rows = json.loads(result.stdout)
        assert rows[-1]["label"] == HOSTILE
        assert "\x1b" not in result.stdout, "the JSON encoder escapes control characters"

    def test_control_characters_in_error_messages_are_made_visible(self, runner, write_file):
        path = write_file(
            '\n[[facts]]\nid = "\\u001b]52;c;eA==\\u0007"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\n'
        )
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert "\\x1b]52;c;eA==\\x07" in result.stderr


class TestFormatsStayWellFormed:
    def test_tsv_escapes_tabs_and_newlines(self, runner, write_file):
        path = hostile_file(write_file, "label", "a\tb\nc\\d\re")
        lines = runner.invoke(app, ["industry", "--file", str(path), "-f", "tsv"]).stdout.split("\n")[:-1]
        assert {len(line.split("\t")) for line in lines} == {len(lines[0].split("\t"))}
        assert "a\\tb\\nc\\\\d\\re" in lines[-1]

    def test_csv_is_rfc4180_and_neutralises_formulas(self, runner, write_file):
        path = hostile_file(write_file, "label", '=HYPERLINK("http://x.invalid","click"), "quoted"\nnext')
        text = runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"]).stdout_bytes.decode()
        assert text.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert {len(r) for r in rows} == {len(rows[0])}
        label = rows[-1][rows[0].index("label")]
        assert label == "'" + '=HYPERLINK("http://x.invalid","click"), "quoted"\nnext'

    @pytest.mark.parametrize("text", ["a,b", 'say "hi"', "line\r\nbreak", "[b]bold[/b] :warning: 汽车"])
    def test_csv_carries_visible_text_back_intact(self, runner, write_file, text):
        """Text without control characters comes back from CSV exactly, separators, quotes and line breaks included."""
        path = hostile_file(write_file, "label", text)
        result = runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"])
        assert result.exit_code == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode(), newline="")))
        assert {len(r) for r in rows} == {len(rows[0])}
        assert rows[-1][rows[0].index("label")] == text

    def test_csv_writes_control_characters_as_visible_escapes(self, runner, write_file):
        """ESC, BEL, C1, DEL and a lone CR never reach a terminal raw from CSV (`lj-facts x -f csv | cat`)."""
        path = hostile_file(write_file, "label", HOSTILE + " cr\rhere")
        text = runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"]).stdout
        rows = list(csv.reader(io.StringIO(text, newline="")))
        label = rows[-1][rows[0].index("label")]
        assert (
            label
            == HOSTILE.replace("\x1b", "\\x1b")
            .replace("\x07", "\\x07")
            .replace("\x9b", "\\x9b")
            .replace("\x7f", "\\x7f")
            + " cr\\x0dhere"
        )

    def test_csv_writes_nul_as_a_visible_escape(self, runner, write_file):
        """A NUL, which many CSV readers refuse (Python's own before 3.11), is written as \\x00."""
        path = hostile_file(write_file, "label", "nul\x00inside")
        text = runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"]).stdout
        assert "\x00" not in text, "csv.reader before Python 3.11 refuses NUL"
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[-1][rows[0].index("label")] == "nul\\x00inside"

    @pytest.mark.parametrize("text", ["+1 more", "-minus", "@sum(A1)", "=1+1"])
    def test_csv_formula_prefixes(self, runner, write_file, text):
        path = hostile_file(write_file, "label", text)
        rows = list(csv.reader(io.StringIO(runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"]).stdout)))
        assert rows[-1][rows[0].index("label")] == "'" + text

    def test_csv_negative_numbers_stay_numbers(self, runner, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.fall"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ngrowth_pct = -5.5\n'
        )
        rows = list(csv.reader(io.StringIO(runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"]).stdout)))
        assert rows[-1][rows[0].index("growth_pct")] == "-5.5"


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
    [["industry", "--nope"], ["show"], ["search"], ["industry", "--format"], ["validate", "a", "b"], []],
    ids=["unknown option", "missing id", "missing term", "option without value", "extra argument", "no arguments"],
)
def test_click_usage_errors_exit_2(runner, args):
    assert runner.invoke(app, args).exit_code == 2


@pytest.mark.parametrize("how", [["--debug"], []])
def test_debug_shows_the_traceback_of_an_internal_error(how):
    """--debug (or LJ_FACTS_DEBUG=1) lets the traceback of an internal error through to stderr: a command
    re-raises it, and the console script's last resort must print it rather than only the one-line message."""
    import subprocess
    import sys

    code = (
        "import sys; from lj_facts import writers, cli\n"
        "def boom(*a, **k): raise RuntimeError('planted')\n"
        "writers.write_tsv = boom\n"
        "sys.argv = ['lj-facts', *sys.argv[1:]]\n"
        "cli.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LJ_FACTS_DEBUG"}
    if not how:
        env["LJ_FACTS_DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", code, *how, "industry"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 70
    assert "Traceback" in result.stderr and "RuntimeError: planted" in result.stderr
    assert "internal error" in result.stderr


def test_without_debug_an_internal_error_is_one_line():
    """Without --debug, the same internal error is one line on stderr and exit 70, never a traceback."""
    import subprocess
    import sys

    code = (
        "import sys; from lj_facts import writers, cli\n"
        "def boom(*a, **k): raise RuntimeError('planted')\n"
        "writers.write_tsv = boom\n"
        "sys.argv = ['lj-facts', *sys.argv[1:]]\n"
        "cli.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LJ_FACTS_DEBUG"}
    result = subprocess.run([sys.executable, "-c", code, "industry"], capture_output=True, text=True, env=env)
    assert result.returncode == 70 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1

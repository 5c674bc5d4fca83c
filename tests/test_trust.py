"""Trust nothing lj-facts did not make: the cache, streams, raw bytes, numbers, text and a failing output.

Each test is one of issue 9's examples (or its class); tests/redteam.py runs the same classes as
real processes, signals and full disks included.
"""

from __future__ import annotations

import importlib
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
from lj_facts import render
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

        monkeypatch.setattr(index_module, "build", interrupted)
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

        monkeypatch.setattr(render, "write_tsv", fail)
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
        assert ch not in render.printable(f"a{ch}b")
        assert f"\\u{ord(ch):04x}" in render.printable(f"a{ch}b")

    @pytest.mark.parametrize("fmt", ["table", "markdown", "tsv", "csv"])
    def test_bidi_and_controls_never_reach_the_terminal(self, runner, write_file, fmt):
        path = write_file(text=MINIMAL.replace('"gross industrial output"', '"evil\\u202e\\u2066\\u001b[2J\\u0007x"'))
        out = runner.invoke(app, ["industry", "--file", str(path), "-f", fmt]).stdout
        assert not any(c in out for c in "\u202e\u2066\x1b\x07")

    def test_tsv_shows_control_characters_as_escapes(self):
        import io

        out = io.StringIO()
        render.write_tsv([{"a": "x\x1b[31my\u202ez\\"}], ["a"], out)
        assert out.getvalue().splitlines()[1] == "x\\x1b[31my\\u202ez\\\\"

    def test_json_stays_lossless(self, runner, write_file):
        path = write_file(text=MINIMAL.replace('"gross industrial output"', '"e\\u202evil\\u001b"'))
        out = runner.invoke(app, ["industry", "--file", str(path), "--json"]).stdout
        assert json.loads(out)[0]["label"] == "e\u202evil\x1b"
        assert "\u202e" not in out

    @pytest.mark.parametrize("text", [" =1+1", "\n=cmd", "\t@SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\r\n-x", "  +x"])
    def test_csv_neutralises_hidden_and_full_width_formulas(self, text):
        assert render._spreadsheet_safe(text).startswith("'")

    @pytest.mark.parametrize("text", ["-5.5", "+3", "plain", "a=b"])
    def test_csv_leaves_numbers_and_plain_text(self, text):
        assert render._spreadsheet_safe(text) == text


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
    from lj_facts.index import Damaged, _fact, _row
    from lj_facts.model import Fact, Kind

    good = Fact("a.b", ("t",), "label", "quote", Kind.NUMBER, rank=1, source="report")
    row = _row(good)  # as the index stores it
    assert _fact(row) == good
    rank = good._fields.index("rank")
    for bad in (1.0, True, "1", b"1", 0, -1):
        with pytest.raises(Damaged):
            _fact((*row[:rank], bad, *row[rank + 1 :]))

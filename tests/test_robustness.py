"""Hostile input: broken files, text that tries to drive the terminal, odd formats, exit codes, bugs."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os

import pytest

from lj_facts.cli import app

loader = importlib.import_module("lj_facts.load")  # the module: `lj_facts.load` is the API's function

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
        result = runner.invoke(app, args, env=env)
        assert isinstance(result.exception, RuntimeError)

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
        "import sys; from lj_facts import render, cli\n"
        "def boom(*a, **k): raise RuntimeError('planted')\n"
        "render.write_tsv = boom\n"
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
        "import sys; from lj_facts import render, cli\n"
        "def boom(*a, **k): raise RuntimeError('planted')\n"
        "render.write_tsv = boom\n"
        "sys.argv = ['lj-facts', *sys.argv[1:]]\n"
        "cli.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LJ_FACTS_DEBUG"}
    result = subprocess.run([sys.executable, "-c", code, "industry"], capture_output=True, text=True, env=env)
    assert result.returncode == 70 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1

"""Hostile inputs, second round: the classes a red team found after issue 20's four were fixed.

Characters of no width in a table, names with line breaks in messages, a NUL byte in a path, `-o -`
and a dangling `-o`, folders named `*.toml`, messages quoting a megabyte, output that cannot be
written or encoded before any command runs, an unbounded `show -`, and the help's topics and
metavariables. Each test fails on the code before its fix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from lj_facts.cli import app
from lj_facts.table import wrap

from .conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
FACTS = str(ROOT / "facts.toml")
REPORT = str(ROOT / "sources" / "liangjiang-report-2021-h1.txt")
LJ = [sys.executable, "-m", "lj_facts"]


def process(*args: str, shell: str = "", timeout: float = 60, **env: str) -> subprocess.CompletedProcess[bytes]:
    """`lj-facts ARGS` as a process (a shell redirection after it where `shell` says), with `env` set."""
    settings = {**os.environ, "LJ_FACTS_FILE": FACTS, **env}
    if shell:
        command = " ".join(f"'{a}'" for a in [*LJ, *args]) + " " + shell
        return subprocess.run(["sh", "-c", command], env=settings, capture_output=True, timeout=timeout)
    return subprocess.run([*LJ, *args], env=settings, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


# --- Characters of no width: a line of them never ends, and was built in quadratic time ----------


@pytest.mark.parametrize("char", ["\u200b", "\u0301", "\u200d"])
def test_a_line_of_characters_of_no_width_wraps_in_linear_time(char):
    """Zero-width characters never fill a line, so the line grew a unit at a time: 500,000 took 9 s."""
    text = "e" + char * 600_000
    start = time.monotonic()
    lines = wrap(text, 80)
    assert time.monotonic() - start < 5
    assert "".join(lines) == text


def test_a_table_of_a_label_of_combining_marks_is_written_whole(runner, tmp_path):
    path = tmp_path / "marks.toml"
    path.write_text(MINIMAL.replace('"gross industrial output"', '"e' + "\u0301" * 300_000 + '"'), encoding="utf-8")
    result = runner.invoke(app, ["industry", "--file", str(path), "-f", "table", "--no-cache"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\u0301") == 300_000


# --- A path with a line break is named on one line, in every message ---------------------------

NEWLINE_PATHS = [
    ["industry", "--file", "{p}"],
    ["series", "--file", "{p}"],
    ["validate", "{p}"],
    ["validate", FACTS, "--source", "{p}"],
    ["draft", "{p}"],
    ["draft", REPORT, "--compare", "{p}"],
]


@pytest.mark.parametrize("args", NEWLINE_PATHS, ids=[" ".join(a[:1] + a[2:3]) for a in NEWLINE_PATHS])
@pytest.mark.parametrize("state", ["missing", "broken"])
def test_a_path_with_a_line_break_is_shown_escaped_on_its_line(runner, tmp_path, args, state):
    path = tmp_path / "two\nlines\r.toml"
    if state == "broken":
        path.write_text("[meta\n", encoding="utf-8")
    result = runner.invoke(app, [a.replace("{p}", str(path)) for a in args])
    assert result.exit_code == 2, result.stderr
    first = result.stderr.split("\n")[0]
    assert "two\\nlines\\r.toml" in first, result.stderr
    assert "\r" not in result.stderr


def test_lj_facts_file_with_a_line_break_is_named_on_one_line(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("LJ_FACTS_FILE", str(tmp_path / "a\nb.toml"))
    result = runner.invoke(app, ["industry"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "a\\nb.toml: no such file" in result.stderr


def test_validate_and_draft_report_a_line_broken_path_on_one_line(runner, tmp_path):
    good = tmp_path / "good\n.toml"
    good.write_text(MINIMAL, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(good)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "good\\n.toml: schema ok" in result.stdout
    out = tmp_path / "draft\n.toml"
    result = runner.invoke(app, ["draft", REPORT, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "draft\\n.toml: draft of" in result.stderr
    assert out.exists()


def test_a_cache_note_naming_a_path_with_a_line_break_stays_one_line(tmp_path):
    blocker = tmp_path / "a\nfile"
    blocker.write_text("x")
    result = process("industry", "--json", LJ_FACTS_CACHE_DIR=str(blocker / "cache"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(b"\n") == 1 and b"a\\nfile" in result.stderr


# --- A NUL byte in a path: a usage error naming the option, never exit 70 -----------------------

NUL_PATHS = [
    (["industry", "--file", "a\0b"], "'--file'"),
    (["validate", "a\0b"], "'[PATH...]'"),
    (["validate", FACTS, "--source", "a\0b"], "'--source'"),
    (["draft", "a\0b"], "'REPORT'"),
    (["draft", REPORT, "-o", "a\0b"], "'--output'"),
    (["draft", REPORT, "--compare", "a\0b"], "'--compare'"),
    (["series", "--file", "a\0b"], "'--file'"),
]


@pytest.mark.parametrize(("args", "option"), NUL_PATHS, ids=[" ".join(a[:1] + a[-2:-1]) for a, _ in NUL_PATHS])
def test_a_nul_byte_in_a_path_is_a_usage_error_naming_its_option(runner, args, option):
    """Only a program can pass one (no shell can); `draft -o` with one was an internal error, exit 70."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.stderr
    assert option in result.stderr and "NUL byte" in result.stderr
    assert "\0" not in result.stderr


# --- draft -o: `-` is stdout, a dangling symlink is a file that exists ---------------------------


def test_draft_output_dash_is_stdout_not_a_file_named_dash(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["draft", REPORT, "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# lj-facts knowledge file") or "[[facts]]" in result.stdout
    assert not (tmp_path / "-").exists()


def test_draft_output_to_a_dangling_symlink_needs_force(runner, tmp_path):
    """Writing through it would create the file it points at, wherever that is, without --force."""
    target = tmp_path / "elsewhere.toml"
    link = tmp_path / "draft.toml"
    link.symlink_to(target)
    result = runner.invoke(app, ["draft", REPORT, "-o", str(link)])
    assert result.exit_code == 2
    assert "exists; --force overwrites it" in result.stderr
    assert not target.exists()
    assert runner.invoke(app, ["draft", REPORT, "-o", str(link), "--force"]).exit_code == 0
    assert target.exists()


# --- A folder's knowledge files are files: a folder named x.toml is passed over ------------------


def test_a_folder_named_like_a_knowledge_file_is_passed_over(runner, tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    (base / "one.toml").write_text(MINIMAL, encoding="utf-8")
    (base / "folder.toml").mkdir()
    (base / "folder.toml" / "inner.toml").write_text("not TOML [", encoding="utf-8")
    (base / "me.toml").symlink_to(base)  # the folder itself, under a knowledge file's name
    (base / "loop.toml").symlink_to(base / "loop.toml")  # a symlink loop
    result = runner.invoke(app, ["validate", str(base)])
    assert result.exit_code == 2  # the loop is a file name that cannot be read: said, not passed over in silence
    assert "loop.toml" in result.stderr and "inner.toml" not in result.stderr and "me.toml" not in result.stderr
    (base / "loop.toml").unlink()
    result = runner.invoke(app, ["validate", str(base)])
    assert result.exit_code == 0, result.stderr
    assert "one.toml: schema ok" in result.stdout and result.stdout.count("schema ok") == 1


# --- A message quotes at most a line's worth of the data -----------------------------------------


def test_a_toml_error_on_a_megabyte_line_shows_the_part_around_it(runner, tmp_path):
    path = tmp_path / "long.toml"
    path.write_text('[meta]\ntitle = "' + "q" * 1_000_000 + '" x = 1\n', encoding="utf-8")
    result = runner.invoke(app, ["industry", "--file", str(path)])
    assert result.exit_code == 2
    assert len(result.stderr) < 1000, len(result.stderr)
    quoted, caret = result.stderr.split("\n")[1:3]
    assert quoted[len(caret) - 1] == "x"  # the caret under the character at fault


def test_the_caret_of_a_toml_error_counts_chinese_characters_as_two_cells(runner, tmp_path):
    path = tmp_path / "zh.toml"
    path.write_text('[meta]\ntitle = "两江新区" x = 1\n', encoding="utf-8")
    result = runner.invoke(app, ["industry", "--file", str(path)])
    quoted, caret = result.stderr.split("\n")[1:3]
    before = quoted[: quoted.index(" x ") + 1]
    assert cell_len(before) == len(caret) - 1, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["show", "x" * 100_000],
        ["list", "--period", "2" * 100_000],
        ["industry", "--format", "f" * 100_000],
    ],
    ids=["an unknown id", "a period (a usage error)", "a format (Click's own error)"],
)
def test_a_message_line_quoting_a_huge_value_is_shortened(runner, args):
    result = runner.invoke(app, args)
    assert result.exit_code in (1, 2)
    assert len(result.stderr) < 5000, len(result.stderr)
    assert "characters cut" in result.stderr


def test_a_schema_problem_quoting_a_megabyte_value_is_one_short_line(runner, tmp_path):
    path = tmp_path / "schema.toml"
    path.write_text(MINIMAL.replace("[meta]", '[meta]\nschema = "' + "9" * 1_000_000 + '"'), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "meta: schema:" in result.stderr and len(result.stderr) < 5000


def test_many_unknown_ids_are_named_in_one_bounded_message(runner):
    result = runner.invoke(app, ["show", "-"], input="\n".join(f"x{i}" for i in range(200_000)))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 5000


# --- Output that cannot be written or encoded, before any command runs ---------------------------


@pytest.mark.parametrize("args", [["--help"], ["--version"], [], ["show", "--help"]])
def test_help_and_version_to_a_closed_stdout_are_exit_2(args):
    """They are written while the arguments are parsed, before the check a command makes: exit 0, lost."""
    result = process(*args, shell=">&-")
    assert result.returncode == 2, result.stderr
    assert result.stderr == b"lj-facts: cannot write the output: stdout is closed\n"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "gb2312"])  # ascii: Click writes its help as UTF-8
def test_help_on_a_stream_that_cannot_encode_it_is_escaped(encoding):
    """`≲` and `两江新区` in the help: exit 70 where stdout was latin-1, cp1252 or GB 2312."""
    result = process("--help", PYTHONIOENCODING=encoding)
    assert result.returncode == 0, result.stderr
    shown = result.stdout.decode(encoding)
    assert "Liangjiang" in shown and result.stderr == b""
    assert "两江新区" in shown if encoding == "gb2312" else "\\u4e24\\u6c5f" in shown  # else as escapes


# --- show - reads at most LJ_FACTS_MAX_BYTES of stdin --------------------------------------------


def test_show_dash_reads_no_more_than_the_size_limit(runner, monkeypatch, tmp_path):
    small = tmp_path / "small.toml"
    small.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setenv("LJ_FACTS_FILE", str(small))
    monkeypatch.setenv("LJ_FACTS_MAX_BYTES", "1K")
    result = runner.invoke(app, ["show", "-"], input="industry.gross-output\n" * 100)
    assert result.exit_code == 2
    assert "show -: stdin holds more than 1 KiB" in result.stderr and "LJ_FACTS_MAX_BYTES" in result.stderr
    result = runner.invoke(app, ["show", "-", "--json"], input="industry.gross-output\n" * 10)
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["id"] == "industry.gross-output"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_show_dash_from_dev_zero_ends_at_the_limit():
    """Without the bound it read one endless line until memory ran out."""
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [*LJ, "show", "-"],
            env={**os.environ, "LJ_FACTS_FILE": FACTS, "LJ_FACTS_MAX_BYTES": "4M"},
            stdin=zero,
            capture_output=True,
            timeout=30,
        )
    assert result.returncode == 2, result.stderr
    assert b"more than 4 MiB" in result.stderr


def test_an_unknown_id_of_megabytes_is_answered_at_once(runner):
    """Suggesting an id close to it indexed every character of it: 40 MB took 15 s and 1.7 GB."""
    from lj_facts.search import closest_ids

    start = time.monotonic()
    assert closest_ids(["industry.gross-output", "economy.gdp"], "a" * 30_000_000) == []
    assert time.monotonic() - start < 1
    result = runner.invoke(app, ["show", "-"], input="a" * 5_000_000)
    assert result.exit_code == 1 and "did you mean" not in result.stderr


# --- The help: topics from the file shown safely, metavariables named ----------------------------


def test_the_help_shows_topic_names_from_the_file_escaped(runner, monkeypatch, tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(MINIMAL.replace('name_zh = "工业"', 'name_zh = "工\\u001b]52;c;eA==\\u0007业\\u202e\\n"'))
    monkeypatch.setenv("LJ_FACTS_FILE", str(path))
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.stderr
    assert not [c for c in "\x1b\x07\u202e" if c in result.stdout]
    assert "industry 工\\x1b]52;c;eA==\\x07业\\u202e\\n" in result.stdout


@pytest.mark.parametrize("command", ["lookup", "search", "list", "series", "validate", "draft"])
def test_no_help_names_a_parser_for_a_metavariable(runner, command):
    """`--file <path_given>`: Typer names an option's metavariable after its parser unless told."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "<path_given>" not in result.stdout and "<int range>" not in result.stdout


# --- stdin can be read once: two inputs naming it, and a closed one --------------------------------

ONE_STDIN = [
    (["validate", "-", "--source", "-"], "PATH and --source"),
    (["validate", "--file", "/dev/stdin", "--source", "-"], "--file and --source"),
    (["draft", "-", "--compare", "-"], "REPORT and --compare"),
    (["draft", "/dev/stdin", "--compare", "/dev/fd/0"], "REPORT and --compare"),
    (["show", "-", "--file", "-"], "ID - and --file"),
]


@pytest.mark.parametrize(("args", "named"), ONE_STDIN, ids=[" ".join(a) for a, _ in ONE_STDIN])
def test_two_inputs_that_both_read_stdin_are_a_usage_error(runner, args, named):
    """The first to read it left the other nothing: `validate - --source -` said `-: is empty`."""
    result = runner.invoke(app, args, input=MINIMAL)
    assert result.exit_code == 2
    assert f"{named} both read stdin (-), which can be read once" in result.stderr


def test_show_dash_with_lj_facts_file_dash_names_the_variable(runner, monkeypatch):
    monkeypatch.setenv("LJ_FACTS_FILE", "-")
    result = runner.invoke(app, ["show", "-"], input="industry.gross-output\n")
    assert result.exit_code == 2 and "LJ_FACTS_FILE both read stdin" in result.stderr


def test_stdin_named_twice_under_two_names_is_named_twice(runner):
    result = runner.invoke(app, ["industry", "--file", "/dev/stdin", "--file", "-"], input=MINIMAL)
    assert result.exit_code == 2 and "is named twice" in result.stderr


@pytest.mark.parametrize("args", [["industry", "--file", "-"], ["validate", "-"], ["draft", "-"]])
def test_a_closed_stdin_is_said_so_not_empty(args):
    result = process(*args, shell="<&-")
    assert result.returncode == 2
    assert b"there is no standard input to read (it is closed)" in result.stderr, result.stderr


# --- A folder holds files: a FIFO in it is refused at once; the help reads a folder's topics -------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("args", [["industry"], ["validate"], ["series"]])
def test_a_fifo_named_like_a_knowledge_file_in_a_folder_is_refused_at_once(tmp_path, args):
    """Opening it waited for a writer for ever (a hang); `--file FIFO` itself is still read, as a stream."""
    (tmp_path / "a.toml").write_text(MINIMAL, encoding="utf-8")
    os.mkfifo(tmp_path / "b.toml")
    result = process(*args, "--file", str(tmp_path), timeout=20)
    assert result.returncode == 2
    assert b"b.toml: is a FIFO, not a file" in result.stderr


def test_the_help_and_completion_offer_the_topics_of_a_folder_base(runner, monkeypatch, tmp_path):
    """A folder was taken for a stream (not a regular file), so neither read it."""
    (tmp_path / "a.toml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setenv("LJ_FACTS_FILE", str(tmp_path))
    result = runner.invoke(app, ["--help"])
    assert "Topics (lj-facts TOPIC):" in result.stdout and "industry 工业" in result.stdout
    result = process(
        LJ_FACTS_FILE=str(tmp_path), _LJ_FACTS_COMPLETE="complete_bash", COMP_WORDS="lj-facts ind", COMP_CWORD="1"
    )
    assert b"industry" in result.stdout


# --- What was typed, quoted back, stays on its line ------------------------------------------------

TYPED = [
    ["list", "--topic", "a\nb"],
    ["list", "--where", "a\nb"],
    ["list", "--period", "a\nb"],
    ["list", "--sort", "a\nb"],
    ["show", "a\nb"],
    ["zq\nxj"],
    ["series", "a\nb"],
]


@pytest.mark.parametrize("args", TYPED, ids=[" ".join(a[:-1]) or "lookup" for a in TYPED])
def test_a_value_typed_with_a_line_break_is_quoted_on_one_line(runner, args):
    """--topic, --where and --period quoted it with its line break as it was: a message of two lines."""
    result = runner.invoke(app, args)
    assert result.exit_code in (1, 2)
    assert result.stderr.count("\n") == 1, result.stderr

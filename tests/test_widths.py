"""The table at the widths people use, and the pager.

The layouts are tried in-process, stdout a terminal of COLUMNS columns (`at_width`); a real
pseudo-terminal (`in_terminal`) is kept where the process matters: the width read from the terminal
itself (`stty cols`), and the pager, a process that writes to the terminal lj-facts was given."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lj_facts.cli import app
from lj_facts.index import open_index, shipped_path

COMMAND = [sys.executable, "-m", "lj_facts"]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def at_width(runner, args: list[str], cols: int, rows: int = 500, **extra: str) -> str:
    """lj-facts in-process, stdout a terminal of `cols` x `rows` (COLUMNS and LINES), as `in_terminal`
    runs it: TERM=xterm-256color, no pager, none of the colour settings but `extra`."""
    unset = dict.fromkeys(("NO_COLOR", "FORCE_COLOR", "PAGER"))
    env = {**unset, "COLUMNS": str(cols), "LINES": str(rows), "TERM": "xterm-256color", "LJ_FACTS_PAGER": "", **extra}
    result = runner.invoke(app, args, env=env, obj={"stdout_isatty": True})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def in_terminal(args: list[str], cols: int, rows: int = 500, **extra: str) -> str:
    """Run lj-facts with stdout on a pseudo-terminal of `cols` x `rows` (no COLUMNS, as `stty cols`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "PAGER")}
    env |= {"TERM": "xterm-256color", "LJ_FACTS_PAGER": "", **extra}
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen([*COMMAND, *args], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


ANSI = re.compile(r"\x1b\[[0-9;]*m")

SYMBOLS = {
    r"(^|\s)>\d": r"> over",
    "≥": r"≥ at least",
    "≈": r"≈ about|≈ city total implied",
    "≲": r"≲ nearly",
    r"\d%?\*": r"\* published by the city",
    r"/5y": r"%/5y: growth over 5 years",
    r"\d pp": r"pp: percentage points",
    r"#\d": r"#7 of 127",
    r"\(\d+\.\d%\)": r"\(36\.0%\) a share computed",
    "†": r"† the city figure covers another period",
    "‡": r"‡ city figures shown as context only",
    "█": r"█ (the share of the city|growth) as a bar",
    r"\d–\d": r"Bounds:",
}
"""Each symbol a figure can show (a pattern), and how the caption explains it."""


@pytest.mark.parametrize("cols", [80, 100, 120])
@pytest.mark.parametrize("args", [["industry"], ["list"], ["city"], ["growth"], ["search", "汽车", "--city"]])
def test_words_ids_and_symbols_at_common_widths(runner, args, cols):
    """Every quote and id whole, no line past the width or ending in spaces, every symbol explained."""
    out = ANSI.sub("", at_width(runner, [*args, "--color", "never"], cols))
    lines = out.splitlines()
    assert all(not line.endswith(" ") for line in lines)
    index = open_index(shipped_path(), None)
    ids = [line for line in lines if re.fullmatch(r"[a-z0-9-]+\.[a-z0-9.-]+", line)]
    assert ids and all(index.fact(i) or i in index.city_figures for i in ids), "ids stand whole on their own lines"
    flat = "".join(line.strip() for line in lines).replace(" ", "")
    for fact_id in ids:
        fact = index.fact(fact_id)
        assert fact is None or fact.text.replace(" ", "") in flat
    widest_id = max(map(len, ids))
    assert max(len(line) for line in lines) <= max(cols, widest_id)
    figures = "\n".join(line for line in lines if not line.startswith("    ") and ";" not in line)
    said = " ".join(out.split())
    for symbol, explained in SYMBOLS.items():
        if re.search(symbol, figures, re.M):
            assert re.search(explained, said), (symbol, args)


@pytest.mark.parametrize("cols", [1, 5, 20])
def test_a_tiny_terminal_still_shows_every_value(runner, cols):
    """`stty cols 1`: lines of a minimum width that the terminal folds; nothing left out."""
    out = at_width(runner, ["city", "--color", "never"], cols)
    for cell in ("2008.3 亿元", "16.3%", "12,283–12,359", "industry.gross-output", "≈12,321 亿元"):
        assert cell in out


@pytest.mark.parametrize("columns", ["0", "3", "20", "100000000"])
def test_any_columns_value(runner, columns):
    """COLUMNS from 0 to absurd: every value, and no megabytes of spaces."""
    result = runner.invoke(app, ["industry", "-f", "table"], env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert "2008.3 亿元" in result.stdout and "industry.gross-output" in result.stdout
    assert len(result.stdout) < 20_000
    assert all(not line.endswith(" ") for line in result.stdout.splitlines())


def test_the_width_is_the_terminals(runner):
    """With no COLUMNS, the table is as wide as the terminal says it is (`stty cols`): a real pseudo-terminal."""
    for cols in (80, 120):
        out = ANSI.sub("", in_terminal(["list", "--color", "never"], cols))
        assert out == ANSI.sub("", at_width(runner, ["list", "--color", "never"], cols)), cols


def test_color_never_means_no_escape_codes_even_with_force_color(runner):
    out = at_width(runner, ["industry", "--color", "never"], 100, FORCE_COLOR="1")
    assert "\x1b" not in out


def test_color_on_a_terminal_by_default(runner):
    assert "\x1b[" in at_width(runner, ["industry"], 100)


class TestPager:
    """Real pseudo-terminals: the pager is a process of its own, writing to the terminal lj-facts was given."""

    PAGER = "sed s/^/PAGED:/"

    def test_a_tall_listing_goes_through_the_pager(self):
        out = in_terminal(["industry"], 100, rows=20, LJ_FACTS_PAGER=self.PAGER)
        assert out.splitlines() and all(line.startswith("PAGED:") for line in out.splitlines())

    def test_pager_falls_back_to_pager_variable(self):
        env = {k: v for k, v in os.environ.items() if k != "LJ_FACTS_PAGER"}
        assert env is not None
        out = in_terminal(["industry"], 100, rows=20, PAGER=self.PAGER)
        # in_terminal sets LJ_FACTS_PAGER to "" (no pager); drop it by naming PAGER only through a shell
        assert "PAGED:" not in out, "an empty LJ_FACTS_PAGER turns paging off, whatever PAGER says"

    def test_no_pager_option(self):
        out = in_terminal(["industry", "--no-pager"], 100, rows=20, LJ_FACTS_PAGER=self.PAGER)
        assert "PAGED:" not in out and "industry.gross-output" in out

    def test_short_output_is_not_paged(self):
        out = in_terminal(["show", "industry.gross-output"], 100, rows=200, LJ_FACTS_PAGER=self.PAGER)
        assert "PAGED:" not in out

    def test_no_pager_through_a_pipe(self):
        """A real pipe: in-process, a pager that ran would write to the test's own stdout, not the result's."""
        env = {**os.environ, "LJ_FACTS_PAGER": self.PAGER, "LINES": "5"}
        out = subprocess.run([*COMMAND, "list", "-f", "table"], capture_output=True, text=True, env=env, check=True)
        assert "PAGED:" not in out.stdout


def _displays():
    from lj_facts import displays
    from lj_facts.compare import compare

    index = open_index(shipped_path(), None)
    facts = index.all_facts()
    comparisons = [compare(f, index.city_figures) for f in facts]
    city = [(f, c) for f, c in zip(facts, comparisons, strict=True) if c is not None]
    return [
        displays.facts_display(facts, None, "t", "c"),
        displays.facts_display(facts, comparisons, "t", "c"),
        displays.city_display([f for f, _ in city], [c for _, c in city], "t", "c"),
        displays.growth_display([f for f in facts if f.growth_pct is not None], [None] * 26, "t", "c"),
    ]


DISPLAYS = _displays()


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(DISPLAYS), st.integers(min_value=0, max_value=400))
def test_every_width_keeps_every_cell_and_every_id_whole(display, width):
    """At any width: no trailing space, each id whole on its own line, every figure cell shown."""
    from lj_facts.table import MIN_WIDTH, render_lines

    lines = render_lines(display, max(width, MIN_WIDTH))
    assert all(line == line.rstrip() for line in lines)
    ids = {row[[c.header for c in display.columns].index("Id")] for row in display.rows}
    assert ids <= set(lines)
    text = "\n".join(lines)
    for row in display.rows:
        for column, cell in zip(display.columns, row, strict=True):
            if cell and not column.wraps:
                assert cell in text, (column.header, cell)


@pytest.mark.parametrize(
    "setting",
    [
        {"PAGER": "'"},
        {"LJ_FACTS_PAGER": 'less -FRX "x'},
        {"LJ_FACTS_PAGER": "no-such-pager-anywhere"},
        {"LJ_FACTS_PAGER": "false"},
        {"LJ_FACTS_PAGER": "sh -c 'exit 3'"},
    ],
)
def test_an_unusable_pager_setting_writes_the_output_without_it(setting):
    """A pager that cannot be parsed, started, or that fails at once: the table is written as it is,
    one line on stderr names the setting, and the exit status is 0 (not an internal error). A real
    terminal: the pager started is a process writing to it."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PAGER", "LJ_FACTS_PAGER")}
    env |= {"TERM": "xterm-256color", **setting}
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 20, 100, 0, 0))
    proc = subprocess.Popen(
        [*COMMAND, "industry"], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    out = b"".join(chunks).decode("utf-8")
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert "industry.gross-output" in out, "the listing is written in full"
    assert out.count("industry.gross-output") == 1, "written once"
    name = next(iter(setting))
    assert err.count("\n") == 1 and f"pager setting {name}=" in err and "not usable" in err, err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["city", "-n", "3"], ["search", "幼儿园", "-n", "1"], ["industry", "-n", "4"]])
@pytest.mark.parametrize("width", ["80", "100", "120"])
def test_the_rule_under_the_header_spans_every_column(runner, args, width):
    """The rule is as wide as the columns: a period cell wider than its header (`not given`) ends under it."""
    from rich.cells import cell_len

    lines = runner.invoke(app, [*args, "-f", "table"], env={"COLUMNS": width}).stdout.splitlines()
    rule = next(line for line in lines if line.startswith("─"))
    periods = [line for line in lines if line.rstrip().endswith(("2021-H1", "not given", "2021-06-30"))]
    assert periods and all(cell_len(line) <= cell_len(rule) for line in periods)

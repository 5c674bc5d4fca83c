"""Text from the data (or typed) never drives the terminal: markup, control and bidirectional characters are
shown, not obeyed; JSON keeps the text exactly; TSV and CSV stay well formed and formulas stay text."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lj_facts import writers
from lj_facts.cli import app
from lj_facts.errors import ExitCode

from .conftest import MINIMAL

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


class TestControlsAreShown:
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

    def test_control_characters_in_error_messages_are_made_visible(self, runner, write_file):
        path = write_file(
            '\n[[facts]]\nid = "\\u001b]52;c;eA==\\u0007"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\n'
        )
        result = runner.invoke(app, ["industry", "--file", str(path)])
        assert result.exit_code == 2
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert "\\x1b]52;c;eA==\\x07" in result.stderr


class TestJsonIsExact:
    @pytest.mark.parametrize("text", [HOSTILE, "e\u202evil\x1b"], ids=["markup and controls", "bidi"])
    def test_json_keeps_the_text_exactly(self, runner, write_file, text):
        """The label comes back from JSON exactly; no raw control or bidirectional character is written."""
        result = runner.invoke(app, ["industry", "--file", str(hostile_file(write_file, "label", text)), "--json"])
        assert json.loads(result.stdout)[-1]["label"] == text
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout, "the JSON encoder escapes them"


class TestTsvAndCsv:
    def test_tsv_shows_control_characters_as_escapes(self):
        import io

        out = io.StringIO()
        writers.write_tsv([{"a": "x\x1b[31my\u202ez\\"}], ["a"], out)
        assert out.getvalue().splitlines()[1] == "x\\x1b[31my\\u202ez\\\\"

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

    @pytest.mark.parametrize("text", [" =1+1", "\n=cmd", "\t@SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\r\n-x", "  +x"])
    def test_csv_neutralises_hidden_and_full_width_formulas(self, text):
        assert writers._spreadsheet_safe(text).startswith("'")

    @pytest.mark.parametrize("text", ["-5.5", "+3", "plain", "a=b"])
    def test_csv_leaves_numbers_and_plain_text(self, text):
        assert writers._spreadsheet_safe(text) == text

    def test_csv_negative_numbers_stay_numbers(self, runner, write_file):
        path = write_file(
            '\n[[facts]]\nid = "a.fall"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ngrowth_pct = -5.5\n'
        )
        rows = list(csv.reader(io.StringIO(runner.invoke(app, ["industry", "--file", str(path), "-f", "csv"]).stdout)))
        assert rows[-1][rows[0].index("growth_pct")] == "-5.5"


class TestTermsThatAreNotText:
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
    def test_a_term_or_id_that_is_not_utf8_finds_nothing_and_is_shown_escaped(self, runner, args):
        """Bytes that are not UTF-8 (lj-facts $'\\xff') name nothing: exit 1, shown as \\xff, never as a surrogate."""
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.stderr
        assert "'\\xff' (not UTF-8 text)" in result.stderr
        assert "udcff" not in result.stderr

    @pytest.mark.parametrize("args", [["search", "ok\udcfe"], ["industry\udcff"]])
    def test_a_term_with_bytes_that_are_not_text_finds_nothing_shown_escaped(self, runner, args):
        """Part of a word not UTF-8: nothing found, the bytes shown as escapes."""
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.NO_MATCH
        assert "\\xff" in result.stderr or "\\xfe" in result.stderr or "\\udcff" in result.stderr

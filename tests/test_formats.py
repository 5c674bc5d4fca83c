"""Output formats: each one parsed back, the same rows in each, the piped default, colour."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from lj_facts.cli import app
from lj_facts.rows import FACT_COLUMNS


def strict_json(text: str):
    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def reference(runner):
    result = runner.invoke(app, ["industry", "--format", "json"])
    return strict_json(result.stdout)


def test_json_is_an_array_of_objects_with_every_key(reference):
    assert isinstance(reference, list) and reference
    for row in reference:
        assert list(row) == list(FACT_COLUMNS)
    gross = reference[0]
    assert gross["value"] == 2008.3 and isinstance(gross["growth_pct"], float)
    assert gross["topics"] == ["industry", "economy"]
    assert reference[1]["value"] is None and reference[1]["qualifier"] is None


def test_json_flag_is_format_json(runner):
    assert runner.invoke(app, ["industry", "--json"]).stdout == runner.invoke(app, ["industry", "-f", "json"]).stdout


def test_jsonl_is_one_object_a_line(runner, reference):
    lines = runner.invoke(app, ["industry", "-f", "jsonl"]).stdout.splitlines()
    assert [strict_json(line) for line in lines] == reference


def _as_strings(row: dict) -> list[str]:
    def cell(v):
        if v is None:
            return ""
        if isinstance(v, list):
            return ",".join(v)
        return str(v)

    return [cell(row[c]) for c in FACT_COLUMNS]


def test_csv_reads_back_with_csv_reader(runner, reference):
    text = runner.invoke(app, ["industry", "-f", "csv"]).stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(FACT_COLUMNS)
    assert rows[1:] == [_as_strings(r) for r in reference]


def test_tsv_has_a_header_and_equal_columns(runner, reference):
    lines = runner.invoke(app, ["industry", "-f", "tsv"]).stdout.splitlines()
    assert lines[0].split("\t") == list(FACT_COLUMNS)
    assert [line.split("\t") for line in lines[1:]] == [_as_strings(r) for r in reference]


@pytest.mark.parametrize("fmt", ["tsv", "csv", "markdown"])
def test_no_header_drops_the_header(runner, fmt):
    with_header = runner.invoke(app, ["industry", "-f", fmt]).stdout.splitlines()
    without = runner.invoke(app, ["industry", "-f", fmt, "--no-header"]).stdout.splitlines()
    if fmt == "markdown":  # the rows alone: no title, header row, caption or notes
        assert without == [line for line in with_header if line.startswith("| ")][1:]
    else:
        assert without == with_header[1:]


def test_markdown_table(runner):
    """The title as a heading, the table, then the caption: the report's title and the key to the symbols."""
    lines = runner.invoke(app, ["industry", "-f", "markdown"]).stdout.splitlines()
    assert lines[0] == "### Industry · 工业" and lines[1] == ""
    assert lines[2].startswith("| Fact | Value |") and lines[3].startswith("|---|---:|")
    table = [line for line in lines[2:] if line.startswith("| ")]
    assert len(table) == len(lines[2 : 2 + len(table)]), "the table's rows in one block"
    rest = "\n".join(lines[2 + len(table) :])
    assert "Liangjiang New Area (两江新区) · 两江新区2021年上半年发展专题报道" in rest
    assert "≥ at least (以上)" in rest and "&gt; over" in rest, "the symbols explained, `>` kept literal"


def test_default_without_a_terminal_is_tsv(runner):
    """CliRunner's stdout is no terminal: the default is TSV, with no escape codes or box drawing."""
    out = runner.invoke(app, ["industry"]).stdout
    assert out == runner.invoke(app, ["industry", "-f", "tsv"]).stdout
    assert "\x1b" not in out and "─" not in out


@pytest.mark.parametrize("args", [["industry", "-f", "xml"], ["industry", "--color", "sometimes"], ["show"]])
def test_bad_usage_exits_2(runner, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_color_always_and_never(runner):
    always = runner.invoke(app, ["industry", "-f", "table", "--color", "always"]).stdout
    never = runner.invoke(app, ["industry", "-f", "table", "--color", "never"]).stdout
    assert "\x1b[" in always
    assert "\x1b[" not in never


def test_no_color_environment_is_honoured(runner):
    out = runner.invoke(app, ["industry", "-f", "table"], env={"NO_COLOR": "1", "FORCE_COLOR": None}).stdout
    assert "\x1b[" not in out


@pytest.mark.parametrize(
    "command", [["industry"], ["search", "vehicle"], ["city"], ["topics"], ["show", "economy.gdp"]]
)
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "markdown"])
def test_every_listing_takes_every_format(runner, command, fmt):
    result = runner.invoke(app, [*command, "-f", fmt], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    assert result.stderr == ""


HOSTILE_MD = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold** `code` a|b _em_ ~~del~~ # h &lt;"


@pytest.mark.parametrize("field", ["label", "text"])
@pytest.mark.parametrize("args", [["industry"], ["list"], ["search", "hostile"], ["show", "industry.hostile"]])
def test_markdown_shows_hostile_data_literally(runner, write_file, field, args):
    """Text from a knowledge file cannot inject HTML, a link, emphasis or code into markdown output:
    every character Markdown would read as markup is escaped, so the text renders as written."""
    import json

    other = {"label": '"hostile label"', "text": '"hostile text"'}
    other[field] = json.dumps(HOSTILE_MD)
    body = "".join(f"{k} = {v}\n" for k, v in other.items())
    path = write_file(
        f'\n[[facts]]\nid = "industry.hostile"\ntopics = ["industry"]\n{body}kind = "number"\nvalue = 1\nunit = "个"\n'
    )
    result = runner.invoke(app, [*args, "--file", str(path), "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert not re.search(r"(?<!\\)\]\(", out) and "\\[x\\](javascript:alert(1))" in out
    assert "\\*\\*bold\\*\\*" in out and "\\`code\\`" in out and "a\\|b" in out
    assert "\\_em\\_" in out and "\\~\\~del\\~\\~" in out and "\\# h" in out
    assert "&amp;lt;" in out, "an entity in the data is shown as written, not decoded"
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1, "no cell broken by a `|` of the data"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["industry"], ["### Industry · 工业", "两江新区2021年上半年发展专题报道", "≥ at least (以上)"]),
        (
            ["list"],
            ["### Liangjiang New Area (两江新区): every fact", " facts · Liangjiang New Area", "\\#7 of 127: a rank"],
        ),
        (["search", "GDP"], ["### Search: gdp", "### City figures: Search: gdp", "not from the report"]),
        (
            ["city"],
            ["### Liangjiang New Area (两江新区) in Chongqing", "█ the share of the city as a bar", "\\* published"],
        ),
        (["city-figures"], ["### Published figures of Chongqing (重庆市)", "not from the report"]),
        (
            ["growth"],
            [
                "### Growth year on year",
                "### Growth over other spans",
                "%/5y: growth over 5 years",
                "█ growth as a bar",
            ],
        ),
        (["search", "利润", "--city"], ["‡ industry.profits: city context, not compared", "### City figures"]),
    ],
)
def test_markdown_carries_the_title_caption_and_notes(runner, args, expected):
    """Markdown carries what the table prints around the rows: the title as a heading, the caption (the
    source's title and the key to the symbols shown) and the footnotes of the marks."""
    result = runner.invoke(app, [*args, "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    for text in expected:
        assert text in result.stdout, text

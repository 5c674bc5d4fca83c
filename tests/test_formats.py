"""Output formats: each one parsed back, the same rows in each, the piped default, colour."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lj_facts.cli import app
from lj_facts.render import FACT_COLUMNS


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
    assert without == with_header[2 if fmt == "markdown" else 1 :]


def test_markdown_table(runner):
    lines = runner.invoke(app, ["industry", "-f", "markdown"]).stdout.splitlines()
    assert lines[0].startswith("| Fact | Value |") and lines[1].startswith("|---|---:|")
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])


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

"""Listing options on every listing: list, sort, limit, filters, fields, formats before the command, many ids."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lj_facts import fields
from lj_facts.cli import app
from lj_facts.listing import Query, arrange
from lj_facts.rows import FACT_COLUMNS


def _json(runner, args, code=0):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


class TestList:
    def test_list_gives_every_fact_in_file_order(self, runner, shipped):
        """`lj-facts list` is every fact, not a search for the word "list"."""
        assert [r["id"] for r in _json(runner, ["list"])] == shipped.ids()

    def test_which_grew_fastest(self, runner):
        """The issue's own question: year-on-year growth, fastest first, the 5-year doubling not among them."""
        rows = _json(runner, ["list", "--has", "growth_pct", "--sort", "growth_pct", "-r", "-n", "10"])
        assert len(rows) == 10
        growth = [r["growth_pct"] for r in rows]
        assert growth == sorted(growth, reverse=True) and growth[0] == 610
        assert "health.medical-institutions" not in [r["id"] for r in rows]

    def test_growth_over_other_spans_sorts_apart_in_both_directions(self, runner):
        """Multi-year growth comes after every year-on-year rate, largest first or last."""
        for reverse in ([], ["-r"]):
            rows = _json(runner, ["list", "--has", "growth_pct", "--sort", "growth_pct", *reverse])
            spans = [r["growth_span_years"] not in (None, 1) for r in rows]
            assert spans == sorted(spans) and spans[-1]

    @pytest.mark.parametrize("command", [["industry"], ["search", "汽车"], ["list"], ["city"], ["growth"]])
    def test_every_listing_takes_every_option(self, runner, command):
        """Sort, limit, filters and fields work on every listing alike."""
        rows = _json(
            runner,
            [
                *command,
                "--kind",
                "number",
                "--period",
                "2021-H1",
                "--sort",
                "id",
                "-n",
                "3",
                "--fields",
                "id,kind,period",
            ],
        )
        assert 0 < len(rows) <= 3
        assert all(list(r) == ["id", "kind", "period"] and r["kind"] == "number" for r in rows)
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)

    def test_topic_filter_repeats_and_combines_with_a_search(self, runner):
        """--topic narrows a search; two --topic keep facts under either."""
        one = _json(runner, ["search", "汽车", "--topic", "auto"])
        assert one and all("auto" in r["topics"] for r in one)
        two = _json(runner, ["list", "--topic", "auto", "--topic", "health"])
        assert {t for r in two for t in r["topics"]} >= {"auto", "health"}
        assert all({"auto", "health"} & set(r["topics"]) for r in two)

    def test_missing_values_last_whatever_the_direction(self, runner):
        """Facts without the sort field come last, sorted up or down."""
        for reverse in ([], ["-r"]):
            rows = _json(runner, ["industry", "--sort", "value", *reverse])
            present = [r["value"] is not None for r in rows]
            assert present == sorted(present, reverse=True)

    def test_a_city_field_turns_on_the_comparison(self, runner):
        """--has city_share_computed_pct needs no --city."""
        rows = _json(runner, ["list", "--has", "city_share_computed_pct", "--fields", "id,city_share_computed_pct"])
        assert rows and all(isinstance(r["city_share_computed_pct"], float) for r in rows)


class TestFields:
    @pytest.mark.parametrize("fmt", ["csv", "tsv"])
    def test_fields_are_the_columns_in_order(self, runner, fmt):
        """CSV and TSV carry exactly the fields asked for, in that order."""
        result = runner.invoke(app, ["industry", "-f", fmt, "--fields", "growth_pct,id,value"])
        rows = list(csv.reader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0] == ["growth_pct", "id", "value"]
        assert rows[1][1] == "industry.gross-output"

    def test_jsonl_objects_have_just_those_keys(self, runner):
        result = runner.invoke(app, ["industry", "--nl", "--fields", "id,value"])
        assert all(list(json.loads(line)) == ["id", "value"] for line in result.stdout.splitlines())

    @pytest.mark.parametrize("fmt", ["markdown", "table"])
    def test_fields_are_the_columns_of_markdown_and_the_table(self, runner, fmt):
        """The table and markdown show the fields asked for as their columns."""
        result = runner.invoke(app, ["industry", "-f", fmt, "--fields", "id,value,growth_pct", "-n", "2"])
        header = result.stdout.splitlines()[2]  # under the title and a blank line
        assert header.replace("|", " ").split() == ["id", "value", "growth_pct"]

    @pytest.mark.parametrize("option", ["--fields", "--sort", "--has"])
    def test_unknown_field_is_a_usage_error_listing_the_valid_ones(self, runner, option):
        """Exit 2, one line naming the field and every valid one."""
        result = runner.invoke(app, ["industry", option, "growth"])
        assert result.exit_code == 2
        assert "'growth'" in result.stderr and "growth_pct" in result.stderr and "city_note" in result.stderr

    def test_topics_take_the_options_too(self, runner):
        rows = _json(runner, ["topics", "--sort", "facts", "-r", "-n", "2", "--fields", "slug,facts"])
        assert [list(r) for r in rows] == [["slug", "facts"]] * 2 and rows[0]["facts"] >= rows[1]["facts"]

    def test_registry_drives_the_columns(self):
        """The machine formats' columns are the registry's names."""
        assert fields.names(fields.FACT) == FACT_COLUMNS


class TestOptionsAnywhere:
    @pytest.mark.parametrize(
        "args",
        [
            ["--json", "industry"],
            ["-f", "json", "industry"],
            ["--json", "search", "汽车"],
            ["--format=json", "list", "-n", "1"],
            ["-n", "2", "--json", "-r", "--sort", "value", "list"],
            ["--json", "--topic", "auto", "growth"],
            ["--json", "--", "2008.3"],
        ],
    )
    def test_options_before_the_command(self, runner, args):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)

    def test_file_before_the_command(self, runner, write_file):
        path = write_file()
        result = runner.invoke(app, ["--file", str(path), "search", "2008.3", "--json"])
        assert result.exit_code == 0 and json.loads(result.stdout)[0]["id"] == "industry.gross-output"

    @pytest.mark.parametrize(("flag", "header"), [("--csv", "id,topics"), ("--tsv", "id\ttopics"), ("--nl", '{"id"')])
    def test_sqlite_utils_names(self, runner, flag, header):
        assert runner.invoke(app, ["industry", flag]).stdout.startswith(header)

    def test_no_headers_is_no_header(self, runner):
        assert not runner.invoke(app, ["industry", "--csv", "--no-headers"]).stdout.startswith("id,")

    @pytest.mark.parametrize(
        "args", [["--json", "-f", "csv"], ["--csv", "--tsv"], ["--json", "--nl"], ["--tsv", "-f", "markdown"]]
    )
    def test_contradicting_formats_are_a_usage_error(self, runner, args):
        result = runner.invoke(app, ["industry", *args])
        assert result.exit_code == 2 and "choose one" in result.output

    def test_same_format_twice_is_fine(self, runner):
        assert runner.invoke(app, ["--json", "industry", "-f", "json"]).exit_code == 0

    def test_a_term_starting_with_a_dash_after_double_dash(self, runner):
        """`lj-facts -- -0.7` searches for −0.7 rather than failing as an unknown option."""
        result = runner.invoke(app, ["--", "-0.7"])
        assert result.exit_code == 1 and "nothing matches '-0.7'" in result.stderr

    @pytest.mark.parametrize(
        "args", [["industry", "--bogus"], ["industry", "-n", "x"], [], ["--json"], ["industry", "--color", "pink"]]
    )
    def test_usage_errors_never_name_lookup(self, runner, args):
        result = runner.invoke(app, args)
        assert "lookup" not in result.output

    def test_help_of_a_lookup_does_not_name_lookup(self, runner):
        result = runner.invoke(app, ["industry", "--help"])
        assert result.exit_code == 0 and "lookup" not in result.output and "Usage: lj-facts [OPTIONS]" in result.output


class TestManyIds:
    def test_rows_in_the_order_given(self, runner):
        ids = ["trade.foreign-trade", "industry.gross-output", "trade.foreign-trade"]
        assert [r["id"] for r in _json(runner, ["show", *ids])] == ids

    def test_every_unknown_id_in_one_error_and_nothing_printed(self, runner):
        """All or nothing: exit 1, both unknown ids named, no rows."""
        result = runner.invoke(app, ["show", "industry.gross-output", "nope.one", "nope.two", "--json"])
        assert result.exit_code == 1 and result.stdout == ""
        assert "'nope.one'" in result.stderr and "'nope.two'" in result.stderr
        assert "industry.gross-output" not in result.stderr

    def test_ids_from_stdin(self, runner, shipped):
        ids = shipped.ids()[:200]
        result = runner.invoke(app, ["show", "-", "--json"], input="\n".join(ids) + "\n\n")
        assert result.exit_code == 0 and [r["id"] for r in json.loads(result.stdout)] == ids

    def test_many_ids_query_in_batches(self, shipped, monkeypatch):
        """200 ids are one query (ids ≤ 500 a query), not 200."""
        from lj_facts.listing import resolve_ids

        statements: list[str] = []
        shipped.conn.set_trace_callback(statements.append)
        try:
            resolve_ids(shipped, shipped.ids()[:120])
        finally:
            shipped.conn.set_trace_callback(None)
        assert len([s for s in statements if "WHERE id IN" in s]) == 1

    def test_several_cards_in_the_table(self, runner):
        result = runner.invoke(app, ["show", "industry.gross-output", "trade.foreign-trade", "-f", "table"])
        assert result.stdout.count("Report says") == 2


class TestGrowth:
    def test_growth_rows_year_on_year_fastest_first_then_other_spans(self, runner):
        rows = _json(runner, ["growth"])
        spans = [r["growth_span_years"] not in (None, 1) for r in rows]
        assert spans == sorted(spans) and rows[-1]["id"] == "health.medical-institutions"
        yearly = [r["growth_pct"] for r, s in zip(rows, spans, strict=True) if not s]
        assert yearly == sorted(yearly, reverse=True)

    def test_city_growth_beside_each_where_known(self, runner):
        rows = {r["id"]: r for r in _json(runner, ["growth", "industry"])}
        assert rows["industry.value-added"]["city_growth_pct"] == 19

    def test_chart_in_the_table(self, runner):
        out = runner.invoke(app, ["growth", "auto", "-f", "table"]).stdout
        assert "█" in out and "█ growth as a bar" in out

    def test_no_growth_is_exit_1(self, runner):
        assert runner.invoke(app, ["growth", "--kind", "claim"]).exit_code == 1


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.text(max_size=3),
            "growth_pct": st.one_of(st.none(), st.floats(-100, 1000)),
            "growth_span_years": st.sampled_from([None, 1, 5]),
        }
    ),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.sampled_from(["id", "growth_pct"]), st.booleans(), st.one_of(st.none(), st.integers(0, 25)))
def test_arrange_is_a_permutation_with_missing_last(rows, key, reverse, limit):
    """Sorting keeps every row once, missing values last, and the limit cuts the end."""
    order = arrange(rows, Query(sort=key, reverse=reverse))
    assert sorted(order) == list(range(len(rows)))
    present = [rows[i][key] not in (None, "") for i in order]
    assert present == sorted(present, reverse=True)
    assert arrange(rows, Query(sort=key, reverse=reverse, limit=limit)) == order[:limit] if limit is not None else True


class TestHelp:
    def test_help_lists_topics_examples_and_symbols(self, runner, shipped):
        out = runner.invoke(app, ["--help"], env={"COLUMNS": "120"}).stdout
        for topic, _ in shipped.topics():
            assert topic.slug in out and topic.name_zh in out
        for section in ("Examples:", "Symbols:", "≲", "percentage points"):
            assert section in out

    MARKS = (
        ("> ≥ ≈ ≲", "as the report qualifies a figure"),
        ("<", "under (<)"),  # an implied city total below value ÷ share
        ("≤", "at most (≤)"),
        ("≈215 >780", "a city total implied"),
        ("3766*", "published by the city"),
        ("12,283–12,359", "Bounds"),
        ("(36.0%)", "a share of the city computed"),
        ("†", "another period"),
        ("‡", "context only"),
        ("+100%/5y", "growth over 5 years"),
        ("Δ+2.5 pp", "the change of a rate"),
        ("pp", "percentage points"),
        ("#7 of 127", "a rank"),
        ("among 19", "a standing among 19, no place given"),
        ("█", "the share of the city (10 cells = 100%)"),
        ("░", "a fall"),
        ("not given", "a period the report does not give"),
    )
    """Every mark a table's figures or caption can show, and words of its meaning in `--help`."""

    @pytest.mark.parametrize("columns", [80, 100, 120])
    def test_help_explains_every_mark_a_table_shows_and_fits_the_width(self, columns):
        """`lj-facts --help` explains each mark of the tables, readable at 80 columns and whole at 120:
        no line wider than the terminal, Chinese characters counted as the two cells they take. A real
        process: CliRunner lays help out at 80 columns whatever COLUMNS says."""
        import os
        import subprocess
        import sys

        from rich.cells import cell_len

        env = {**os.environ, "COLUMNS": str(columns)}
        out = subprocess.run(
            [sys.executable, "-m", "lj_facts", "--help"], capture_output=True, text=True, env=env, check=True
        ).stdout
        symbols = out.split("Symbols:")[1].split("\n\n")[0]
        flat = " ".join(symbols.split())
        for mark, meaning in self.MARKS:
            assert mark in symbols and meaning in flat, mark
        assert max(cell_len(line) for line in out.splitlines()) <= columns
        assert "..." not in symbols
        if columns >= 100:  # room for every explanation on a line of its own
            assert len(symbols.strip().splitlines()) < 2 * len(self.MARKS)

    def test_every_mark_the_captions_explain_is_in_the_help(self, runner):
        """The marks the captions of every view explain (tests/test_widths.py) are explained in --help too."""
        from .test_widths import SYMBOLS

        out = runner.invoke(app, ["--help"], env={"COLUMNS": "120"}).stdout.split("Symbols:")[1]
        marks = " ".join(mark for mark, _ in self.MARKS)
        for pattern in SYMBOLS:
            assert re.search(pattern, marks, re.M) and re.search(pattern, out, re.M), pattern

    @pytest.mark.parametrize("example", [e for e, _ in __import__("lj_facts.help").help.EXAMPLES])
    def test_every_example_of_the_help_runs(self, runner, example):
        """The examples are real: each one answers (exit 0)."""
        result = runner.invoke(app, [*example.split()[1:], "--json"] if "--csv" not in example else example.split()[1:])
        assert result.exit_code == 0, result.output

    @pytest.mark.parametrize(
        "command", [[], ["list"], ["show"], ["growth"], ["search"], ["city"], ["topics"], ["industry"]]
    )
    def test_no_help_names_lookup_and_no_description_is_cut(self, runner, command):
        out = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"}).stdout
        assert "lookup" not in out and "..." not in out.replace("[ARGS]...", "").replace("WORD...", "").replace(
            "ID...", ""
        )


class TestNothingLeft:
    def test_filters_that_leave_nothing_exit_1(self, runner):
        result = runner.invoke(app, ["list", "--kind", "claim", "--has", "growth_pct", "--json"])
        assert result.exit_code == 1 and result.stdout == "" and "no fact left" in result.stderr

    def test_show_with_empty_stdin_is_a_usage_error(self, runner):
        result = runner.invoke(app, ["show", "-"], input="\n")
        assert result.exit_code == 2 and "no ids" in result.stderr


def test_picked_growth_over_other_spans_is_marked_in_the_table(runner):
    """`--fields id,growth_pct` in a table still marks the 5-year growth, and the caption says what the mark means."""
    out = runner.invoke(
        app, ["list", "--has", "growth_pct", "--sort", "growth_pct", "-r", "--fields", "id,growth_pct", "-f", "table"]
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("health.medical-institutions"))
    assert line.endswith("100%/5y") and "growth over 5 years" in out


def test_reverse_alone_reverses_the_listing(runner, shipped):
    """`-r` without `--sort` turns the listing's own order around (`city`: smallest share first)."""
    assert [r["id"] for r in _json(runner, ["list", "-r"])] == shipped.ids()[::-1]
    city = [r["id"] for r in _json(runner, ["city"])]
    assert [r["id"] for r in _json(runner, ["city", "-r"])] == city[::-1]

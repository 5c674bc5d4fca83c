"""Listings: filters, sort, limit and fields over any listing's rows, and the fixes of their edge cases."""

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

from .conftest import run_json as _json


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
    def test_unknown_field_is_a_usage_error_naming_the_closest(self, runner, option):
        """Exit 2, one line naming the field and the one it probably is (tests/test_suggest.py has more)."""
        result = runner.invoke(app, ["industry", option, "growth"])
        assert result.exit_code == 2
        assert result.stderr == f"lj-facts: {option}: unknown field 'growth'; did you mean 'growth_pct'?\n"

    @pytest.mark.parametrize("option", ["--fields", "--sort", "--has"])
    def test_unknown_field_close_to_none_lists_the_valid_ones(self, runner, option):
        """Exit 2, one line naming the field and every valid one, where none is close."""
        result = runner.invoke(app, ["industry", option, "xyzzy"])
        assert result.exit_code == 2
        assert "'xyzzy'" in result.stderr and "growth_pct" in result.stderr and "city_note" in result.stderr

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
        ("3,766*", "published by the city"),
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

    def test_help_after_file_lists_that_files_topics(self, runner, write_file):
        result = runner.invoke(app, ["--file", str(write_file()), "--help"])
        assert result.exit_code == 0
        topics = result.stdout.split("Topics (lj-facts TOPIC):")[1].split("Examples")[0]
        assert topics.split() == ["industry", "工业"]

    @pytest.mark.parametrize("words", [["--json"], ["--file", "x.toml"], ["-n", "3", "--csv"]])
    def test_listing_options_without_a_command_say_what_they_go_with(self, runner, words):
        result = runner.invoke(app, words)
        assert result.exit_code == 2
        assert (
            f"{words[0]} goes with a command or a topic, as in `lj-facts {' '.join(words)} industry`" in result.stderr
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


# --- The listing options on every listing: filters before --fields, -n over every table, checked values.


FILTERS = [
    ["--topic", "economy"],
    ["--has", "growth_pct"],
    ["--period", "2021-H1"],
    ["--kind", "number"],
    ["--sort", "growth_pct"],
    ["--has", "city_total"],
]


class TestFiltersBeforeFields:
    @pytest.mark.parametrize("words", [["search", "GDP"], ["search", "汽车"], ["GDP"], ["list"]])
    @pytest.mark.parametrize("option", FILTERS)
    def test_a_filter_on_a_field_fields_leaves_out(self, runner, words, option):
        """Filters and --sort read the whole rows, also where city figures are among the results:
        `--fields id` gives the same ids as the whole rows do."""
        whole = runner.invoke(app, [*words, *option, "--json"])
        picked = runner.invoke(app, [*words, *option, "--fields", "id", "--json"])
        assert whole.exit_code in (0, 1) and picked.exit_code == whole.exit_code, picked.output
        if whole.exit_code == 0:
            assert json.loads(picked.stdout) == [{"id": r["id"]} for r in json.loads(whole.stdout)]

    def test_search_gdp_in_a_topic(self, runner):
        """The trial's own example: city.gdp (no topics) is left out, not an error."""
        ids = [r["id"] for r in _json(runner, ["search", "GDP", "--topic", "economy", "--fields", "id"])]
        assert "economy.gdp" in ids and "city.gdp" not in ids

    def test_limit_counts_the_city_figures_too(self, runner):
        """-n N is at most N rows, facts and city figures together, also behind a filter."""
        for n in (1, 2, 3, 4):
            rows = _json(runner, ["search", "GDP", "--has", "value", "-n", str(n), "--fields", "id"])
            assert len(rows) == min(n, len(_json(runner, ["search", "GDP", "--has", "value"])))


class TestGrowthLimit:
    @pytest.mark.parametrize("reverse", [[], ["-r"]])
    def test_limit_is_at_most_n_rows_over_both_tables(self, runner, reverse):
        """`growth -n N` is at most N rows in all, growth over other spans included (after the year-on-year)."""
        every = _json(runner, ["growth", *reverse])
        for n in (1, 3, len(every) - 1, len(every), len(every) + 1):
            rows = _json(runner, ["growth", *reverse, "-n", str(n), "--fields", "id,growth_pct"])
            assert [r["id"] for r in rows] == [r["id"] for r in every][:n]

    def test_limit_leaves_out_the_other_spans_table(self, runner):
        """Where -n stops within the year-on-year rates, the table of other spans is not shown."""
        every = _json(runner, ["growth"])
        yearly = sum(1 for r in every if r["growth_span_years"] in (None, 1))
        out = runner.invoke(app, ["growth", "-n", str(yearly), "-f", "table", "--no-pager"]).stdout
        assert "other spans" not in out
        out = runner.invoke(app, ["growth", "-n", str(yearly + 1), "-f", "table", "--no-pager"]).stdout
        assert "other spans" in out

    def test_one_rate_is_singular(self, runner):
        """The caption counts in the singular for one rate."""
        out = runner.invoke(app, ["growth", "-n", "1", "-f", "table", "--no-pager"], env={"COLUMNS": "200"}).stdout
        assert "1 year-on-year growth rate " in out and "growth rates" not in out


class TestFilterValues:
    @pytest.mark.parametrize("name", ["trade", "Trade", "TRADE", "外贸", "ｔｒａｄｅ"])
    def test_topic_takes_what_the_topic_command_takes(self, runner, name):
        """`--topic` names a topic as `lj-facts TOPIC` does: the same facts as the topic itself."""
        topic = {r["id"] for r in _json(runner, ["trade"])}
        assert {r["id"] for r in _json(runner, ["list", "--topic", name])} == topic

    @pytest.mark.parametrize("command", [["list"], ["search", "GDP"], ["growth"], ["city"], ["show", "economy.gdp"]])
    def test_unknown_topic_is_a_usage_error_listing_the_slugs(self, runner, command):
        """An unknown topic is exit 2 naming the valid slugs, not 'no fact left' (exit 1)."""
        result = runner.invoke(app, [*command, "--topic", "bogus"])
        assert result.exit_code == 2 and "bogus" in result.stderr and "economy" in result.stderr
        assert result.stdout == ""

    def test_topic_on_a_listing_without_topics_still_does_not_apply(self, runner):
        """`topics --topic x` says --topic does not apply, whatever x is."""
        for name in ("trade", "bogus"):
            result = runner.invoke(app, ["topics", "--topic", name])
            assert result.exit_code == 2 and "does not apply" in result.stderr

    @pytest.mark.parametrize("period", ["garbage", "2021-H3", "21-H1", "", "2021-H1x"])
    def test_malformed_period_is_a_usage_error(self, runner, period):
        """What is no period at all is exit 2, not 'no fact left'."""
        result = runner.invoke(app, ["list", "--period", period])
        assert result.exit_code == 2 and "not a period" in result.stderr

    def test_period_and_kind_in_any_case(self, runner):
        """`2021-h1` is `2021-H1`, `NUMBER` is `number`."""
        assert _json(runner, ["list", "--period", "2021-h1", "--kind", "NUMBER"]) == _json(
            runner, ["list", "--period", "2021-H1", "--kind", "number"]
        )


class TestSortAcrossUnits:
    @pytest.mark.parametrize(
        ("args", "unit"),
        [
            (["list", "--sort", "value"], "unit"),
            (["list", "--sort", "value_base", "-r"], "base_unit"),
            (["growth", "--sort", "value"], "unit"),
            (["city-figures", "--sort", "value"], "unit"),
            (["city", "--sort", "value", "-n", "1"], "unit"),
        ],
    )
    def test_sorting_different_units_is_noted_on_stderr(self, runner, args, unit):
        """One line on stderr names the units ranked together; stdout is what it was."""
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 0
        notes = [line for line in result.stderr.splitlines() if "note:" in line]
        assert len(notes) == 1 and f"different {unit.replace('_', ' ')}s" in notes[0]
        rows = json.loads(result.stdout)
        assert rows and "note:" not in result.stdout

    @pytest.mark.parametrize(
        "args",
        [
            ["list", "--sort", "growth_pct"],
            ["show", "economy.gdp", "city.gdp", "--sort", "value"],
            ["list", "--has", "value", "--sort", "id"],
        ],
    )
    def test_one_unit_or_another_field_says_nothing(self, runner, args):
        """No note where the sort compares like with like."""
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 0 and "note:" not in result.stderr

    @pytest.mark.parametrize(
        ("args", "fields", "unit", "asks"),
        [
            (["list", "--sort", "value", "-r"], "id,value,unit", "unit", False),
            (["list", "--sort", "value", "-r"], None, "unit", False),  # every column, unit among them
            (["list", "--sort", "value", "-r"], "id,value", "unit", True),
            (["list", "--sort", "value_base"], "id,value_base,base_unit", "base_unit", False),
            (["list", "--sort", "value_base"], "id,value_base,unit", "base_unit", True),
            (["city-figures", "--sort", "value"], "id,unit,value", "unit", False),
            (["city-figures", "--sort", "value"], None, "unit", False),
            (["show", "economy.gdp", "trade.foreign-capital", "--sort", "value"], "id,value", "unit", True),
            (["show", "economy.gdp", "trade.foreign-capital", "--sort", "value"], "unit,value", "unit", False),
        ],
    )
    @pytest.mark.parametrize("fmt", ["tsv", "json", "table"])
    def test_the_note_asks_for_the_unit_only_where_it_is_not_shown(self, runner, args, fields, unit, asks, fmt):
        """`--fields id,value,unit` shows the unit: the note does not ask for it; without it, the note says
        how to add it to the columns printed."""
        picked = ["--fields", fields] if fields else []
        result = runner.invoke(app, [*args, *picked, "--format", fmt])
        assert result.exit_code == 0, result.output
        notes = [line for line in result.stderr.splitlines() if "note:" in line]
        assert len(notes) == 1
        assert (f"show {unit} with --fields" in notes[0]) == asks
        if asks:
            assert notes[0].endswith(f"--fields {fields},{unit}")

    def test_one_unit_after_the_filters_says_nothing(self, runner):
        """The note weighs the rows the filters keep: within one unit there is none."""
        rows = _json(runner, ["list", "--has", "value"])
        unit = rows[0]["unit"]
        ids = [r["id"] for r in rows if r["unit"] == unit][:3]
        result = runner.invoke(app, ["show", *ids, "--sort", "value", "--json"])
        assert result.exit_code == 0 and "note:" not in result.stderr


class TestFieldNames:
    @pytest.mark.parametrize("names", ["id,id", "id,value,id", "id, id", "value,unit,value"])
    @pytest.mark.parametrize("command", [["list"], ["topics"], ["city-figures"], ["show", "economy.gdp"]])
    def test_a_field_named_twice_is_a_usage_error(self, runner, command, names):
        """`--fields id,id` is exit 2 naming the repeated field, on every listing, not a repeated column."""
        if command == ["topics"]:
            names = names.replace("id", "slug").replace("value", "name").replace("unit", "facts")
        result = runner.invoke(app, [*command, "--fields", names])
        assert result.exit_code == 2 and "named twice" in result.stderr and result.stdout == ""

    @pytest.mark.parametrize("option", ["--fields", "--sort", "--has"])
    def test_a_name_that_is_not_utf8_is_shown_escaped(self, runner, option):
        """A field name of bytes that are not UTF-8 is shown as \\xff, never as a lone surrogate."""
        result = runner.invoke(app, ["list", option, "a\udcffb"])
        assert result.exit_code == 2
        assert "a\\xffb" in result.stderr and "udc" not in result.stderr and "\udcff" not in result.stderr


@pytest.mark.parametrize("words", [[""], ["   "], ["\u3000"], ["", " "]])
@pytest.mark.parametrize("command", [["search"], [], ["city"], ["growth"]])
def test_a_search_with_no_word_is_a_usage_error(runner, command, words):
    """An empty or blank term is exit 2 ("search needs a word"), not "nothing matches" (exit 1)."""
    result = runner.invoke(app, [*command, *words])
    assert result.exit_code == 2 and "search needs a word" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", [["topics"], ["city-figures"]])
def test_city_on_a_listing_of_no_facts_is_a_usage_error(runner, command):
    """`topics --city` and `city-figures --city` are exit 2, as `--topic` there is, not silently ignored."""
    result = runner.invoke(app, [*command, "--city", "--json"])
    assert result.exit_code == 2 and "--city does not apply" in result.stderr and result.stdout == ""
    assert runner.invoke(app, [*command, "--json"]).exit_code == 0


class TestOptionValues:
    @pytest.mark.parametrize(
        ("option", "value"),
        [
            ("--has", ""),
            ("--has", " , "),
            ("--sort", ""),
            ("--sort", " "),
            ("--topic", ""),
            ("--fields", ""),
            ("--fields", ","),
            ("--kind", ""),
        ],
    )
    def test_a_value_that_names_nothing_is_a_usage_error(self, runner, option, value):
        """`--has ''` once listed everything, as if the option were left out: now exit 2, naming the option."""
        result = runner.invoke(app, ["list", option, value, "--json"])
        assert result.exit_code == 2
        assert option in result.stderr and "names no" in result.stderr

    def test_fields_given_twice_add_up(self, runner):
        """`--fields id --fields value` is `--fields id,value`, as `--has` and `--topic` repeat."""
        twice = runner.invoke(app, ["list", "-n", "2", "--fields", "id", "--fields", "value,unit", "--csv"])
        once = runner.invoke(app, ["list", "-n", "2", "--fields", "id,value,unit", "--csv"])
        assert twice.exit_code == 0 and twice.stdout == once.stdout
        assert twice.stdout.splitlines()[0] == "id,value,unit"

    def test_show_dash_takes_a_byte_order_mark_and_crlf(self, runner):
        """Ids saved by Notepad or Excel (a BOM, CRLF line ends) read as typed."""
        result = runner.invoke(
            app, ["show", "-", "--fields", "id", "--csv"], input="\ufeffindustry.profits\r\neconomy.gdp\r\n"
        )
        assert result.exit_code == 0, result.stderr
        assert result.stdout.split() == ["id", "industry.profits", "economy.gdp"]


def test_an_exact_city_figure_id_comes_first(runner):
    """`search city.exports` lists city.exports before city.foreign-trade, as an exact fact id comes first."""
    rows = json.loads(runner.invoke(app, ["search", "city.exports", "--json"]).stdout)
    assert [r["id"] for r in rows][:2] == ["city.exports", "city.foreign-trade"]


class TestGrowthOverOtherSpans:
    """Growth over several years printed where nothing printed marks it: one note on stderr names the rows
    and the --fields that show the span; stdout is the same."""

    ASKED = ("list", "--has", "growth_pct", "--sort", "growth_pct", "-r", "--fields", "id,growth_pct")

    @pytest.mark.parametrize("fmt", ["tsv", "csv", "json", "jsonl"])
    def test_machine_formats_say_which_rows_span_several_years(self, runner, fmt):
        result = runner.invoke(app, [*self.ASKED, "--format", fmt])
        assert result.exit_code == 0, result.output
        notes = [line for line in result.stderr.splitlines() if "note:" in line]
        assert notes == [
            "lj-facts: note: growth_pct spans other than one year in 1 row (health.medical-institutions: 5 years), "
            "listed after the year-on-year rates: show the span with --fields id,growth_pct,growth_span_years"
        ]
        assert "note" not in result.stdout and "health.medical-institutions" in result.stdout

    def test_stdout_is_the_same_with_and_without_the_note(self, runner):
        """The note changes nothing of the data: the TSV ends with the 5-year growth, as asked."""
        out = runner.invoke(app, [*self.ASKED, "--tsv"]).stdout
        assert out.splitlines()[-1] == "health.medical-institutions\t100"

    @pytest.mark.parametrize(
        "args",
        [
            ["list", "--has", "growth_pct", "--fields", "id,growth_pct"],  # filtered on growth
            ["health", "--fields", "id,growth_pct"],  # printed
            ["list", "--sort", "growth_pct", "--fields", "id"],  # sorted: the order puts it apart unsaid
            ["growth", "--fields", "id,growth_pct"],  # the growth listing's table of other spans
            ["show", "health.medical-institutions", "--fields", "id,growth_pct"],
            ["show", "health.medical-institutions", "city.gdp", "--fields", "id,growth_pct"],
        ],
    )
    def test_every_listing_notes_it(self, runner, args):
        result = runner.invoke(app, [*args, "--tsv"])
        assert result.exit_code == 0, result.output
        assert "health.medical-institutions: 5 years" in result.stderr
        assert "growth_span_years" in result.stderr.splitlines()[-1]

    @pytest.mark.parametrize(
        "args",
        [
            [*ASKED[:-1], "id,growth_pct,growth_span_years", "--tsv"],  # the span is printed
            [*ASKED, "-f", "table"],  # the table marks it: 100%/5y
            [*ASKED, "-f", "markdown"],
            ["list", "--has", "growth_pct", "--sort", "growth_pct", "-r", "--tsv"],  # every column
            [*ASKED, "-n", "5", "--tsv"],  # none of the rows printed spans several years
            ["industry", "--fields", "id,growth_pct", "--tsv"],
            ["health", "--fields", "id,value", "--tsv"],  # no growth printed, sorted or filtered on
        ],
    )
    def test_no_note_where_the_span_is_shown_or_absent(self, runner, args):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "note:" not in result.stderr


def test_show_with_filters_that_leave_nothing_exits_1(runner):
    result = runner.invoke(app, ["show", "economy.gdp", "--kind", "claim", "-f", "table"])
    assert result.exit_code == 1
    assert "no fact left after the filters" in result.stderr


def test_show_finds_ids_whatever_their_case(runner):
    result = runner.invoke(app, ["show", "CITY.GDP", "Economy.GDP", "--fields", "id", "--csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["id", "city.gdp", "economy.gdp"]


def test_show_of_facts_and_city_figures_follows_the_listing_options_in_every_format(runner):
    """Ids mixing facts and city figures: the cards, like the rows, are filtered, sorted and limited."""
    ids = ["economy.gdp", "city.gdp", "industry.profits"]
    args = ["show", *ids, "--has", "growth_pct", "--sort", "growth_pct", "-r"]
    rows = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert [r["id"] for r in rows] == ["industry.profits", "economy.gdp", "city.gdp"]
    table = runner.invoke(app, [*args, "-n", "2", "-f", "table"], env={"COLUMNS": "100"}).stdout
    shown = [line.split()[-1] for line in table.splitlines() if line.startswith("Id ")]
    assert shown == ["industry.profits", "economy.gdp"]
    assert runner.invoke(app, ["show", "economy.gdp", "city.gdp", "--kind", "claim", "-f", "table"]).exit_code == 1

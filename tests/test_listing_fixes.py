"""The listing options on every listing: filters before --fields, -n over every table, checked values."""

from __future__ import annotations

import json

import pytest

from lj_facts.cli import app


def _json(runner, args, code=0):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else result


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

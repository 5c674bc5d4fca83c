"""`--where FIELD OP VALUE` on every listing: numbers as numbers, text normalised, AND-combined, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lj_facts.cli import app
from lj_facts.errors import UsageError
from lj_facts.where import Condition, check, matches, parse, read_number
from tests.test_base import _base

from .conftest import docs_script
from .conftest import run_json as _rows


def _ids(rows):
    return [r.get("id") or r.get("slug") for r in rows]


@pytest.fixture(scope="module")
def every_fact():
    """Every fact row of the shipped base with its city fields, in file order (read once)."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["list", "--city", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class TestParse:
    @pytest.mark.parametrize(
        ("typed", "field", "op", "value"),
        [
            ("growth_pct>30", "growth_pct", ">", "30"),
            ("growth_pct >= 30", "growth_pct", ">=", "30"),
            ("growth_pct<=30", "growth_pct", "<=", "30"),
            ("growth_pct<30", "growth_pct", "<", "30"),
            ("unit=亿元", "unit", "=", "亿元"),
            ("unit==亿元", "unit", "=", "亿元"),
            ("unit!=亿元", "unit", "!=", "亿元"),
            ("label~port", "label", "~", "port"),
            ("label!~port", "label", "!~", "port"),
            ("growth_pct≥30", "growth_pct", ">=", "30"),  # as the tables print it
            ("growth_pct≤30", "growth_pct", "<=", "30"),
            ("unit≠亿元", "unit", "!=", "亿元"),
            ("growth_pct＞３０", "growth_pct", ">", "30"),  # full-width, as a Chinese input method types it
            ("unit='亿元'", "unit", "=", "亿元"),  # quotation marks around the value
            ("note~a = b", "note", "~", "a = b"),  # the first operator splits; the value keeps the rest
        ],
    )
    def test_field_operator_value(self, typed, field, op, value):
        c = parse(typed)
        assert (c.field, c.operator, c.value, c.text) == (field, op, value, typed)

    @pytest.mark.parametrize(
        ("typed", "number"),
        [("30", 30), ("-5", -5), ("−5", -5), ("2,008.3", 2008.3), ("1e3", 1000), ("30%", 30), (".5", 0.5)],
    )
    def test_numbers(self, typed, number):
        """The minus sign the tables print, thousands separators, an exponent and a percent sign are numbers."""
        assert read_number(typed) == number

    @pytest.mark.parametrize("typed", ["abc", "nan", "inf", "1e999", "30 亿元", "", "1,2"])
    def test_not_numbers(self, typed):
        assert read_number(typed) is None

    @pytest.mark.parametrize(
        ("typed", "said"),
        [
            ("growth_pct", "is no comparison: write FIELD OPERATOR VALUE"),
            ("growth pct>30", "is no comparison"),
            (">30", "names no field before '>'"),
            ("unit=", "no value after '=' for unit; --has unit keeps the rows where it has one"),
            ("growth_pct=>30", "'=>' is no operator; did you mean '>='?"),
            ("growth_pct=<30", "'=<' is no operator; did you mean '<='?"),
        ],
    )
    def test_what_is_no_condition_says_why(self, typed, said):
        with pytest.raises(UsageError, match=r"^--where '") as e:
            parse(typed)
        assert said in str(e.value)


class TestCheck:
    AVAILABLE = ("id", "topics", "label", "value", "unit", "growth_pct", "periods_match")

    @pytest.mark.parametrize(
        ("typed", "said"),
        [
            ("growht_pct>30", "--where 'growht_pct>30': unknown field 'growht_pct'; did you mean 'growth_pct'?"),
            ("growth_pct~3", "'~' compares text, and growth_pct is a number: compare it with = != < <= > >="),
            ("growth_pct>abc", "growth_pct is a number, and 'abc' is none"),
            ("topics>auto", "topics is a list: = (an item is), != (none is), ~ (an item contains)"),
            ("periods_match>true", "periods_match is true or false: compare it with = or !="),
            ("periods_match=maybe", "periods_match is true or false, and 'maybe' is neither"),
        ],
    )
    def test_a_condition_the_listing_cannot_test_names_field_and_operator(self, typed, said):
        with pytest.raises(UsageError) as e:
            check([parse(typed)], self.AVAILABLE)
        assert said in str(e.value)

    def test_a_field_of_another_listing_is_unknown_here(self):
        """`facts` is a topic's field, not a fact's: refused, not silently matching nothing."""
        with pytest.raises(UsageError, match="unknown field 'facts'"):
            check([parse("facts>3")], self.AVAILABLE)


class TestMatches:
    @pytest.mark.parametrize(
        ("typed", "row", "expected"),
        [
            ("growth_pct>30", {"growth_pct": 41.1}, True),
            ("growth_pct>30", {"growth_pct": 30}, False),
            ("growth_pct>=30", {"growth_pct": 30}, True),
            ("growth_pct=41.1", {"growth_pct": 41.1}, True),
            ("growth_pct>9", {"growth_pct": 10}, True),  # as numbers, not as text ("10" < "9")
            ("growth_pct!=30", {"growth_pct": None}, False),  # None never matches, even !=
            ("growth_pct<30", {"growth_pct": None}, False),
            ("unit=亿元", {"unit": "亿元"}, True),
            ("unit!=亿元", {"unit": "亿元"}, False),
            ("unit!=亿元", {"unit": None}, False),
            ("unit!=亿元", {"unit": ""}, False),
            ("id=INDUSTRY.Gross-Output", {"id": "industry.gross-output"}, True),  # any case
            ("id=ｉｎｄｕｓｔｒｙ.gross-output", {"id": "industry.gross-output"}, True),  # full-width
            ("text~两江新區", {"text": "两江新区规上工业"}, True),  # traditional as simplified
            ("label~PORT", {"label": "Guoyuan Port"}, True),
            ("label!~port", {"label": "Guoyuan Port"}, False),
            ("topics=auto", {"topics": ["industry", "auto"]}, True),
            ("topics!=auto", {"topics": ["industry", "auto"]}, False),
            ("topics!=auto", {"topics": ["industry"]}, True),
            ("topics~indus", {"topics": ["industry"]}, True),
            ("topics=auto", {"topics": []}, False),
            ("periods_match=true", {"periods_match": True}, True),
            ("periods_match=false", {"periods_match": True}, False),
            ("periods_match!=false", {"periods_match": True}, True),
            ("period>=2021", {"period": "2021-H1"}, True),  # text in order, after normalisation
        ],
    )
    def test_table(self, typed, row, expected):
        assert matches(row, parse(typed)) is expected

    @settings(max_examples=200)
    @given(
        x=st.floats(allow_nan=False, allow_infinity=False),
        value=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**6), 10**6)),
        op=st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
    )
    def test_numbers_compare_as_python_numbers(self, x, value, op):
        """For any X written as Python writes it (1e-05, -0.0), the condition holds exactly where the
        comparison of the numbers does, and never where the row has no value."""
        import operator

        ops = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt}
        ops[">="] = operator.ge
        c = parse(f"growth_pct{op}{x!r}")
        assert c.number == x
        expected = value is not None and ops[op](value, x)
        assert matches({"growth_pct": value}, c) is expected

    def test_a_condition_is_a_plain_value(self):
        assert parse("growth_pct>30") == Condition("growth_pct>30", "growth_pct", ">", "30", 30.0, "30")


class TestOnTheCommandLine:
    def test_growth_above_30(self, runner, every_fact):
        """The issue's question: every fact whose growth is above 30 percent, in the listing's order."""
        rows = _rows(runner, ["list", "--where", "growth_pct>30"])
        wanted = [r["id"] for r in every_fact if r["growth_pct"] is not None and r["growth_pct"] > 30]
        assert _ids(rows) == wanted and len(wanted) > 5

    def test_repeated_conditions_all_hold(self, runner, every_fact):
        rows = _rows(runner, ["list", "--where", "unit=亿元", "--where", "growth_pct>=50"])
        wanted = [r["id"] for r in every_fact if r["unit"] == "亿元" and (r["growth_pct"] or 0) >= 50]
        assert _ids(rows) == wanted == ["industry.investment", "trade.foreign-trade"]

    def test_with_sort_limit_and_fields(self, runner):
        """--where filters before the sort and -n, on a field --fields leaves out."""
        rows = _rows(
            runner, ["list", "--where", "unit=亿元", "--sort", "growth_pct", "-r", "-n", "2", "--fields", "id"]
        )
        assert rows == [{"id": "industry.investment"}, {"id": "trade.foreign-trade"}]

    def test_a_search_with_a_limit_filters_before_it(self, runner):
        """A search stops early at -n only where nothing filters: --where must see every fact found."""
        every = _rows(runner, ["search", "汽车"])
        wanted = [r["id"] for r in every if r["growth_pct"] is not None and r["growth_pct"] > 50][:2]
        rows = _rows(runner, ["search", "汽车", "--where", "growth_pct>50", "-n", "2"])
        assert _ids(rows) == wanted and wanted

    def test_a_city_field_compares_with_the_city(self, runner):
        """A condition on a city field computes the comparison, as --fields and --sort do."""
        rows = _rows(runner, ["list", "--where", "city_total_source=published", "--fields", "id"])
        assert _ids(rows) == ["economy.gdp", "trade.foreign-trade", "trade.foreign-capital"]

    def test_text_in_any_case_and_width(self, runner):
        rows = _rows(runner, ["list", "--where", "id=ＩＮＤＵＳＴＲＹ.Gross-Output", "--fields", "id"])
        assert rows == [{"id": "industry.gross-output"}]

    def test_contains(self, runner, every_fact):
        rows = _rows(runner, ["list", "--where", "label~PORT", "--fields", "id,label"])
        assert rows and all("port" in r["label"].lower() for r in rows)
        assert len(rows) == sum("port" in r["label"].lower() for r in every_fact)

    @pytest.mark.parametrize(
        ("args", "typed", "key"),
        [
            (["list"], "growth_pct>100", "growth_pct"),
            (["search", "汽车"], "growth_pct>100", "growth_pct"),
            (["auto"], "growth_pct>100", "growth_pct"),
            (["show", "industry.profits", "auto.nev-production", "economy.gdp"], "growth_pct>100", "growth_pct"),
            (["city"], "growth_pct>40", "growth_pct"),
            (["growth"], "growth_pct>100", "growth_pct"),
            (["topics"], "facts>=20", "facts"),
            (["city-figures"], "growth_pct>30", "growth_pct"),
        ],
        ids=lambda v: " ".join(v) if isinstance(v, list) else v,
    )
    def test_every_listing_takes_it(self, runner, args, typed, key):
        """Each listing command keeps exactly the rows of its own output where the condition holds."""
        _, _, bound = typed.partition(">")
        strict = not bound.startswith("=")
        bound_value = float(bound.lstrip("="))
        every = _rows(runner, args)
        wanted = [
            r for r in every if r[key] is not None and (r[key] > bound_value if strict else r[key] >= bound_value)
        ]
        rows = _rows(runner, [*args, "--where", typed])
        assert rows == wanted and 0 < len(rows) < len(every)

    def test_a_series_takes_it(self, runner, tmp_path):
        rows = _rows(runner, ["series", "output", "--file", str(_base(tmp_path)), "--where", "value>2100"])
        assert [(r["period"], r["value"]) for r in rows] == [("2022-H1", 2200)]

    def test_nothing_left_exits_1(self, runner):
        result = runner.invoke(app, ["list", "--where", "growth_pct>100000"])
        assert result.exit_code == 1
        assert "no fact left after the filters (--topic, --period, --kind, --has, --where)" in result.stderr

    @pytest.mark.parametrize(
        ("typed", "said"),
        [
            (
                "growht_pct>30",
                "lj-facts: --where 'growht_pct>30': unknown field 'growht_pct'; did you mean 'growth_pct'?",
            ),
            ("growth_pct~3", "lj-facts: --where 'growth_pct~3': '~' compares text, and growth_pct is a number"),
            ("growth_pct>abc", "lj-facts: --where 'growth_pct>abc': growth_pct is a number, and 'abc' is none"),
            ("growth_pct", "lj-facts: --where 'growth_pct' is no comparison: write FIELD OPERATOR VALUE"),
        ],
    )
    def test_a_wrong_condition_is_a_usage_error(self, runner, typed, said):
        """Exit 2 and one line naming the field and the operator; nothing on stdout."""
        result = runner.invoke(app, ["list", "--where", typed])
        assert result.exit_code == 2
        assert result.stderr.startswith(said) and result.stderr.count("\n") == 1
        assert result.stdout == ""

    def test_a_field_of_another_listing_is_refused(self, runner):
        """`facts` is a topic's count: on a listing of facts it is an unknown field, with the valid ones."""
        result = runner.invoke(app, ["list", "--where", "facts>3"])
        assert result.exit_code == 2 and "unknown field 'facts'" in result.stderr

    def test_before_the_command(self, runner):
        """As every listing option, --where may come before the command."""
        assert _rows(runner, ["--where", "growth_pct>300", "list", "--fields", "id"]) == _rows(
            runner, ["list", "--where", "growth_pct>300", "--fields", "id"]
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(x=st.one_of(st.floats(-50, 700, allow_nan=False), st.sampled_from([0, 15, 30, 41.1, 110, 610, -1e-9])))
def test_where_keeps_exactly_the_rows_above_any_bound(runner, every_fact, x):
    """For any X: `list --where 'growth_pct>X'` is exactly the facts whose growth_pct > X, in the list's order."""
    result = runner.invoke(app, ["list", "--city", "--json", "--where", f"growth_pct>{x!r}"])
    wanted = [r for r in every_fact if r["growth_pct"] is not None and r["growth_pct"] > x]
    assert result.exit_code == (0 if wanted else 1), result.stderr
    assert (json.loads(result.stdout) if wanted else []) == wanted


DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.skipif(not (DOCS / "readme.py").exists(), reason="an installed package without the checkout's docs")
def test_the_filters_doc_shows_what_the_commands_print():
    """docs/filters.md's examples are blocks that `python docs/readme.py` keeps true (written as the README's
    are: each `$ ` line of a `readme: run` block is run), so tests/test_readme.py checks each is its
    command's output now."""
    text = (DOCS / "filters.md").read_text(encoding="utf-8")
    assert text.count("<!-- readme: run -->") >= 8
    assert DOCS / "filters.md" in docs_script("readme").pages()

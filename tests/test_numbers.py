"""Numbers at, inside and beyond their fields' ranges: a schema error naming fact and field when loaded, or
an answer in every format with no float noise, exponent or non-standard JSON."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lj_facts.cli import app
from lj_facts.errors import ExitCode
from lj_facts.ranges import CITY_RANGES, FACT_RANGES

from .conftest import MINIMAL

REFUSED = [
    ("value = 1e16\nunit = '元'\ncity_share_pct = 10", "value"),
    ("value = 1e-5\nunit = '元'\ncity_share_pct = 10", "value"),
    ("value = 1e308\nunit = '亿元'", "value"),
    ("value = " + "9" * 400 + "\nunit = '元'", "value"),
    (f"rank = {2**63}", "rank"),
    ("growth_pct = -100.5", "growth_pct"),
    ("growth_pct = 5\ngrowth_span_years = 100000", "growth_span_years"),
    ("value = 0.30000000000000004\nunit = '元'", "value"),
    ("topics = ['industry', 'industry']\nvalue = 1\nunit = '元'", "topics"),
    ("topics = [" + ", ".join(f"'t{i}'" for i in range(65)) + "]\nvalue = 1\nunit = '元'", "topics"),
]


def a_fact(fields: str) -> str:
    fields = fields if "topics =" in fields else "topics = ['industry']\n" + fields
    return MINIMAL + f'\n[[facts]]\nid = "a.b"\nlabel = "x"\ntext = "y"\nkind = "number"\n{fields}\n'


class TestNumbers:
    @pytest.mark.parametrize(("fields", "field"), REFUSED, ids=[r[1] + str(i) for i, r in enumerate(REFUSED)])
    def test_a_number_outside_its_range_is_a_schema_error_naming_fact_and_field(
        self, runner, write_file, fields, field
    ):
        result = runner.invoke(app, ["industry", "--city", "--json", "--file", str(write_file(text=a_fact(fields)))])
        assert result.exit_code == ExitCode.ERROR, result.stderr
        assert f"a.b: {field}:" in result.stderr

    def test_a_city_figure_outside_its_range_is_a_schema_error(self, runner, write_file):
        city = '\n[[city_figures]]\nid = "city.x"\nlabel = "x"\nlabel_zh = "x"\nperiod = "2021"\nsource = "s"\nvalue = 1e300\nunit = "元"\n'
        result = runner.invoke(app, ["city", "--file", str(write_file(text=MINIMAL + city))])
        assert result.exit_code == ExitCode.ERROR
        assert "city.x: value:" in result.stderr

    def test_a_value_of_0_with_a_share_implies_no_city_total(self, runner, write_file):
        path = write_file(text=a_fact("value = 0\nunit = '亿元'\ncity_share_pct = 16.3"))
        row = json.loads(runner.invoke(app, ["show", "a.b", "--file", str(path), "--json"]).stdout)[0]
        assert row["city_total_implied"] is None and row["city_total_low"] is None

    def test_the_base_value_has_no_float_noise(self, runner, write_file):
        path = write_file(text=a_fact("value = 123456789.012345\nunit = '亿元'"))
        row = json.loads(runner.invoke(app, ["show", "a.b", "--file", str(path), "--json"]).stdout)[0]
        assert repr(row["value_base"]) == "1.23456789012345e+16"


def _edge_numbers(bounds):
    """Numbers at, inside and just outside a field's range, and absurd ones."""
    absurd = st.sampled_from([0, -0.0, 1e-300, 1e308, -1e308, 2**63, -(2**63), 10**400, 0.1 + 0.2, 5e-324])
    near = st.sampled_from([bounds.low, bounds.high, bounds.low - 1, bounds.high + 1, 1e-4, -1e-4, 9.99e-5])
    if bounds.whole:
        inside = st.integers(int(bounds.low), int(bounds.high))
    else:
        inside = st.floats(bounds.low, bounds.high, allow_nan=False).map(lambda x: float(f"{x:.6g}"))
    wild = st.one_of(absurd, st.integers(-(10**20), 10**20), st.floats(allow_nan=False))
    return st.one_of(inside, inside, inside, near, wild)  # mostly inside: the answers are what is tested


@st.composite
def number_facts(draw):
    chosen = draw(st.lists(st.sampled_from(sorted(FACT_RANGES)), min_size=1, max_size=3, unique=True))
    fields = {name: draw(_edge_numbers(FACT_RANGES[name])) for name in chosen}
    lines = [f"{k} = {v!r}".replace("inf", "inf") for k, v in fields.items()]
    if "value" in fields:
        lines.append(f"unit = {draw(st.sampled_from(['亿元', '元', '%', '万辆']))!r}")
    if draw(st.booleans()):
        lines.append('city_figure = "city.x"')
    return "\n".join(lines)


@st.composite
def city_figures(draw):
    """A city figure whose value and growth are drawn over (and past) their ranges."""
    value = draw(_edge_numbers(CITY_RANGES["value"]))
    growth = draw(_edge_numbers(CITY_RANGES["growth_pct"]))
    unit = draw(st.sampled_from(["亿元", "元", "万辆"]))
    return textwrap.dedent(f"""
        [[city_figures]]
        id = "city.x"
        label = "x"
        label_zh = "x"
        period = "2021-H1"
        source = "s"
        value = {value!r}
        unit = "{unit}"
        growth_pct = {growth!r}
    """)


VALID_CITY = textwrap.dedent("""
    [[city_figures]]
    id = "city.x"
    label = "x"
    label_zh = "x"
    period = "2021-H1"
    source = "s"
    value = 27894.02
    unit = "亿元"
    growth_pct = 12.8
""")

NOISE = re.compile(r"[1-9]0{9,}[1-9]|[0-8]9{9,}[0-8]|\bnan\b|\binf(?:inity)?\b|\de[+-]?\d")
"""Float noise, exponents and non-numbers: never in the formats for people, CSV or TSV."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=number_facts(),
    city=st.one_of(st.just(VALID_CITY), city_figures()),
    fmt=st.sampled_from(["json", "jsonl", "csv", "tsv", "markdown", "table"]),
)
def test_any_numbers_give_a_schema_error_or_an_answer_in_every_format(runner, tmp_path, fields, city, fmt):
    """Over the whole range of every numeric field: a schema error at load, or every command answers, strict JSON."""
    path = tmp_path / "n.toml"
    path.write_text(a_fact(fields) + city, encoding="utf-8")
    first = runner.invoke(app, ["show", "a.b", "--file", str(path), "--json", "--no-cache"])
    if first.exit_code == ExitCode.ERROR:
        assert "a.b: " in first.stderr or "city.x" in first.stderr, first.stderr
        event("refused at load")
        return
    event("answered")
    assert first.exit_code == 0, first.stderr

    def refuse(name):
        raise AssertionError(f"non-standard JSON {name}")

    json.loads(first.stdout, parse_constant=refuse)
    for args in (["industry", "--city"], ["city"], ["show", "a.b"], ["search", "x"]):
        result = runner.invoke(app, [*args, "--file", str(path), "--format", fmt, "--no-cache"])
        assert result.exit_code in (0, 1), (args, result.stderr)
        if fmt in ("json", "jsonl"):
            lines = [result.stdout] if fmt == "json" else result.stdout.splitlines()
            rows = [json.loads(line, parse_constant=refuse) for line in lines]
            numbers = [v for r in rows for row in (r if isinstance(r, list) else [r]) for v in row.values()]
            noisy = [v for v in numbers if isinstance(v, float) and len(repr(v).split("e")[0].strip("-0.")) > 16]
            assert not noisy, (args, noisy)
        else:
            assert not NOISE.search(result.stdout.lower()), (args, NOISE.search(result.stdout.lower()))

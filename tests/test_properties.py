"""Property tests: any text in any field never breaks a renderer; any bytes give facts or a clean error."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lj_facts.displays import facts_display, write_markdown
from lj_facts.errors import KnowledgeFileError
from lj_facts.load import load
from lj_facts.model import Fact, Kind, Qualifier
from lj_facts.rows import FACT_COLUMNS, fact_row
from lj_facts.table import _UNBREAKABLE, print_display, wrap
from lj_facts.writers import write_csv, write_json, write_jsonl, write_tsv

from .conftest import MINIMAL

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Control characters other than the newline (tabs are widened to spaces by Rich)."""

figures = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
facts = st.builds(
    Fact,
    id=st.text(min_size=1),
    topics=st.tuples(st.text(min_size=1)),
    label=st.text(),
    text=st.text(),
    kind=st.sampled_from(Kind),
    value=figures,
    unit=st.sampled_from(["亿元", "%", "个"]),
    qualifier=st.sampled_from(Qualifier),
    period=st.text(),
    growth_pct=figures,
    city_share_pct=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
    city_share_change_pp=figures,
    city_growth_gap_pp=figures,
    change_pp=figures,
    growth_span_years=st.one_of(st.none(), st.integers(1, 50)),
    rank=st.one_of(st.none(), st.integers(1, 1000)),
    rank_of=st.one_of(st.none(), st.integers(1, 1000)),
    note=st.one_of(st.none(), st.text()),
    city_figure=st.one_of(st.none(), st.text()),
    indicator=st.one_of(st.none(), st.text()),
    change=figures,
    mom_growth_pct=figures,
    per=st.one_of(st.none(), st.sampled_from(["day", "week", "month", "year"])),
    status=st.sampled_from(["result", "target", "forecast"]),
)
"""Facts as the loader lets them through (finite numbers), with any text in any text field."""


@settings(max_examples=150, deadline=None)
@given(st.lists(facts, min_size=1, max_size=4))
def test_any_text_never_breaks_a_renderer(batch):
    rows = [fact_row(f) for f in batch]

    out = io.StringIO()
    write_json(rows, out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(rows))

    out = io.StringIO()
    write_jsonl(rows, out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == json.loads(json.dumps(rows))

    out = io.StringIO()
    write_tsv(rows, FACT_COLUMNS, out)
    lines = out.getvalue().split("\n")[:-1]
    assert len(lines) == len(rows) + 1
    assert {len(line.split("\t")) for line in lines} == {len(FACT_COLUMNS)}

    out = io.StringIO(newline="")
    write_csv(rows, FACT_COLUMNS, out)
    read = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(read) == len(rows) + 1 and {len(r) for r in read} == {len(FACT_COLUMNS)}

    out = io.StringIO()
    write_markdown(facts_display(batch), out)
    assert not CONTROL.search(out.getvalue())

    out = io.StringIO()
    print_display(facts_display(batch), out, color=False)
    assert not CONTROL.search(out.getvalue())


chinese_with_figures = st.lists(
    st.one_of(
        st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{1,2})?%?\Z"),
        st.sampled_from(list("两江新区增长占全市的亿元，、。（）")),
        st.just(" "),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(chinese_with_figures, st.integers(min_value=8, max_value=60))
@example(" ，，，，", 8)  # a space before punctuation that fills a line: the space gives way, not the punctuation
@example("增长 ，，，", 8)
def test_wrapped_text_never_splits_a_figure_and_loses_nothing(text, width):
    """Wrapped text keeps every character, fits the width, and never breaks a figure that fits a line."""
    from rich.cells import cell_len

    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line.rstrip()) <= width for line in lines)
    for unit in (u.strip() for u in _UNBREAKABLE.findall(text)):
        if unit and cell_len(unit) <= width:
            assert any(unit in line for line in lines), (unit, lines)


english_with_addresses = st.lists(
    st.sampled_from(
        [
            "the",
            "city's",
            "area’s",
            "Zürich",
            "GDP;",
            "(2021-H1)",
            "https://www.sxcntv.com/news/2021/0720/4.html",
            "占全市",
        ]
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(english_with_addresses, st.integers(min_value=8, max_value=60))
@example("of the city's GDP", 12)  # was "of the city" / "'s GDP"
def test_wrapped_english_never_splits_a_word_or_an_address_that_fits(text, width):
    from rich.cells import cell_len

    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for word in text.split():
        if cell_len(word) <= width and word.isascii():
            assert any(word in line for line in lines), (word, lines)


def _load_bytes(data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.toml"
        path.write_bytes(data)
        try:
            return load(path)
        except KnowledgeFileError as e:
            assert str(e)
            return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_facts_or_a_clean_error(data):
    _load_bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(MINIMAL)), st.text(max_size=30))
def test_any_edit_of_a_valid_file_gives_facts_or_a_clean_error(at, inserted):
    """Text spliced anywhere into a valid file: still facts, or a KnowledgeFileError, nothing else."""
    _load_bytes((MINIMAL[:at] + inserted + MINIMAL[at:]).encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("width", range(8, 61))
def test_no_wrapped_line_starts_with_a_comma_or_colon(width):
    """Punctuation after a bracketed symbol stays with it: `(≥),` is never split into `(≥)` / `, under`."""
    text = "over (>), at least (≥), under (<): at most (≤); 经济 (近)，nearly (近): as the report"
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line[:1] not in ",:;!)" for line in lines), lines

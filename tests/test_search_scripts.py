"""Search reads traditional-character quotes as it reads simplified ones, and finds Latin words inside Chinese."""

from __future__ import annotations

import pytest

from lj_facts.cli import app

FILE = """\
[meta]
title = "t"
region = "Liangjiang New Area"
region_zh = "两江新区"
city = "Chongqing"
city_zh = "重庆市"
default_period = "2020"
period_inference = "written"

[topics.industry]
name = "Industry"
name_zh = "工业"

[[facts]]
id = "industry.auto-output"
topics = ["industry"]
label = "auto industry output value growth"
text = "以汽車産業為例,産值增長22.8%"
kind = "number"
growth_pct = 22.8

[[facts]]
id = "industry.gdp"
topics = ["industry"]
label = "GDP growth"
text = "今年一季度新区GDP同比增长15%"
kind = "number"
growth_pct = 15
"""


@pytest.fixture
def kb(tmp_path, monkeypatch):
    monkeypatch.setenv("LJ_FACTS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "facts.toml"
    path.write_text(FILE, encoding="utf-8")
    return path


@pytest.mark.parametrize("term", ["增长", "增長", "汽车产业", "汽車産業"])
def test_either_script_finds_a_traditional_quote(runner, kb, term):
    """A term in simplified or traditional characters finds the quote written in traditional ones."""
    result = runner.invoke(app, ["--file", str(kb), "search", term, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "industry.auto-output" in result.stdout


def test_a_traditional_term_finds_a_simplified_quote(runner, kb):
    result = runner.invoke(app, ["--file", str(kb), "search", "一季度新區", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "industry.gdp" in result.stdout


def test_latin_word_inside_chinese_is_a_word(runner, kb):
    """新区GDP同比: GDP is a word of its own, found by `gdp` (the label aside: the quote alone is searched)."""
    result = runner.invoke(app, ["--file", str(kb), "search", "GDP", "--format", "json"])
    assert result.exit_code == 0 and "industry.gdp" in result.stdout

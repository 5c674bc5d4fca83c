"""Phrasings found on real releases beyond the ones the parser was first built on, each as its class.

Written with sentences of my own, not copied from tests/releases, so that each rule is held to the
language (a fraction in words, an ordinal standing as a place, a share of the city with no verb) rather
than to the release it was found in.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lj_facts.figures import Statement, statements
from lj_facts.model import Qualifier

_CN = "零一二三四五六七八九十"


def only(text: str, year: int | None = 2022) -> Statement:
    found = list(statements(text, year=year))
    assert len(found) == 1, [(s.value, s.unit, s.growth_pct, s.city_share_pct, s.rank) for s in found]
    return found[0]


def every(text: str, year: int | None = 2022) -> list[Statement]:
    return list(statements(text, year=year))


# --- Chinese ---------------------------------------------------------------------------------------


@given(whole=st.integers(2, 10), part=st.integers(1, 9))
def test_a_fraction_in_words_is_its_percent(whole, part):
    """三分之一 is one third, 33.3 %; the whole is written first."""
    if part >= whole:
        return
    s = only(f"新区人口占全市的{_CN[whole]}分之{_CN[part]}。")
    assert s.city_share_pct == round(100 * part / whole, 1)


@given(tenths=st.integers(1, 9))
def test_tenths_in_words(tenths):
    """四成 is 40 %, a share of something other than the city a value in %."""
    s = only(f"民营企业占比达{_CN[tenths]}成。")
    assert (s.value, s.unit) == (10.0 * tenths, "%")


def test_percent_in_words():
    """百分之三十 is 30 %."""
    assert only("新区外贸占全市的百分之三十。").city_share_pct == 30


def test_half_and_its_qualifier():
    assert only("新区企业数量占全市过半。").city_share_qualifier is Qualifier.OVER
    assert only("新区企业数量占全市近半。").city_share_pct == 50
    assert every("近半年来，新区运行平稳。") == []  # 近半年: a time, no fraction


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("该园区是全省第二个获批的综合保税区。", 2),
        ("汽车制造业是第一大产业。", 1),
        ("在综合榜中位列第三、招商榜第一。", 3),
        ("新区位居全国前5。", 5),
    ],
)
def test_an_ordinal_standing_as_a_place(text, rank):
    assert every(text)[0].rank == rank


@pytest.mark.parametrize(
    "text",
    ["第一时间处置到位。", "第二批项目开工。", "第一、二季度运行平稳。", "第五届博览会开幕。", "三次产业协调发展。"],
)
def test_ordinals_that_are_no_place(text):
    """A sector, a batch, a series, an edition, the three sectors (三次产业): no rank, no count."""
    assert all(s.rank is None and s.value is None for s in every(text))


def test_shares_of_the_city_with_no_verb():
    """全市约20%的…，35%的…: a list of shares of the city, each its own fact."""
    found = every("新区贡献了全市约20%的税收、35%的外贸，以及40%的专利。")
    assert [s.city_share_pct for s in found] == [20, 35, 40]
    assert found[0].city_share_qualifier is Qualifier.ABOUT


def test_a_part_of_the_city_is_no_city():
    """主城都市区 and 市区 are parts of the city: a share of them is a value in %."""
    s = only("新区面积占主城都市区面积的3.2%。")
    assert (s.value, s.unit, s.city_share_pct) == (3.2, "%", None)


def test_a_growth_in_brackets():
    found = every("其中，化工(12.4%)、机械(9.8%)两个行业增加值增速较快。")
    assert [s.growth_pct for s in found if s.growth_pct] == [12.4, 9.8]


def test_one_in_n():
    assert only("全国每8辆汽车就有1辆产自本市。").value == 12.5


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("全区生产总值为1860亿，居全市前列。", 1860, "亿元"),
        ("常住人口约210万。", 210, "万人"),
        ("规划面积达650平方公里。", 650, "平方公里"),
        ("全年接待游客2.1亿人次。", 2.1, "亿人次"),
        ("新区有12大产业集群。", 12, "个"),
    ],
)
def test_amounts_in_the_words_releases_use(text, value, unit):
    s = only(text)
    assert (s.value, s.unit) == (value, unit)


def test_a_size_class_beside_a_count_is_no_amount():
    """10万吨级码头3个, 亿元以上项目40个: the size says what is counted."""
    assert [(s.value, s.unit) for s in every("建成10万吨级码头3个。")] == [(3, "个")]
    assert [(s.value, s.unit) for s in every("引进5000万元以上项目40个。")] == [(40, "个")]


def test_until_a_year_and_a_year_end():
    assert only("自成立至2020年，累计投资达5000亿元。", year=None).period == "2020"
    assert only("截至2022年底，累计引进项目300个。", year=None).period == "2022-12-31"
    assert only("1—6月，实现产值800亿元。").period == "2022-H1"


def test_a_base_of_comparison_names_no_period():
    assert only("产值比2021年上半年增长12%。", year=None).period == "not-given"


def test_a_plan_says_what_will_be():
    assert only("按照规划，产能将达到20万辆。").status == "target"


# --- English ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "growth"),
    [
        ("The growth rate of retail sales reached 8.2 percent in 2022.", 8.2),
        ("Its exports doubled in 2022.", 100),
        ("Output tripled over five years.", 200),
        ("The annual growth rate of the district stood at 9 percent.", 9),
    ],
)
def test_growth_named_by_its_subject(text, growth):
    assert only(text).growth_pct == growth


def test_a_parallel_growth():
    found = every("Exports grew 12 percent in the first quarter while imports were at 6 percent.")
    assert [s.growth_pct for s in found] == [12, 6]


def test_a_growth_shared_by_a_list():
    found = every("Exports and imports reached 20 billion and 10 billion yuan respectively, both rising threefold.")
    assert [s.growth_pct for s in found] == [300, 300]


def test_shares_of_the_city_in_english():
    found = every(
        "The zone takes up 2 percent of the city's land and contributes 10 percent of its GDP, 12 percent of its exports, and 30 percent car output."
    )
    assert [s.city_share_pct for s in found] == [2, 10, 12, 30]
    assert only("The district is home to half of the banks that operate in Chongqing.").city_share_pct == 50


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("It is the second national-level new area in west China, with 40 parks.", 2),
        ("The port is the third-largest in China.", 3),
    ],
)
def test_ranks_in_words(text, rank):
    assert any(s.rank == rank for s in every(text))


def test_no_rank_in_a_first_half_or_a_first_plan():
    assert all(s.rank is None for s in every("The first plan is to build 20 parks in China."))
    assert all(s.rank is None for s in every("In the first half of 2022, GDP in China grew 5 percent."))


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The park covers 12 square kilometers.", 12, "平方公里"),
        ("It has a permanent population of 1.2 million.", 1200000, "人"),
        ("The zone signed 25 contracts at the fair.", 25, "个"),
        ("The total output value reached 1.2 trillion yuan.", 1.2, "trillion yuan"),
    ],
)
def test_english_units(text, value, unit):
    s = only(text)
    assert (s.value, s.unit) == (value, unit)


def test_from_to_takes_the_noun_before():
    found = every("The number of foreign companies increased from 40 to 65.")
    assert [(s.value, s.unit) for s in found] == [(40, "家"), (65, "家")]


def test_periods_in_english():
    assert only("The GDP aims to exceed 600 billion yuan by 2027.", year=None).period == "2027"
    assert only("Exports hit 5 billion yuan in H1.").period == "2022-H1"
    assert only("Exports reached 9 billion yuan in the first six months.").period == "2022-H1"
    assert only("Since its founding in 2010, it has attracted 300 companies.", year=None).period == "not-given"


def test_what_will_be_done_and_what_will_be():
    assert only("The city will invest 5 billion yuan in the park.").status == "target"
    assert only("Output will reach 5 billion yuan next year.").status == "forecast"
    assert only("It will upgrade its 30 projects.").status == "result"


def test_annual_of_a_year_is_the_year_total():
    assert only("Annual investment reached 100 billion yuan in 2021.", year=None).per is None
    assert only("Firms with annual revenue of 20 million yuan qualify.").per == "year"


def test_goals_announced_before_a_paragraph():
    found = every("The goals for 2025 are set: a GDP of 500 billion yuan. The population reaches 4 million.")
    assert [s.status for s in found] == ["target", "target"]


def test_a_figure_written_in_words_reads_as_its_value():
    """doubled, second-fastest, half: no digits to read, the value says it (validate matches by it)."""
    from lj_facts.figures import figures

    found = figures("Its exports doubled, the second-fastest in China, making up half of the city's total.")
    assert sorted(r for f in found for r in f.readings) == [2.0, 50.0, 100.0]

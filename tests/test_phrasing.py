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


# --- Found on the second check (tests/releases/check2.toml): Chinese ---------------------------------


def test_about_n_with_lai():
    """20来家: about twenty."""
    s = only("新区新增20来家企业。")
    assert (s.value, s.unit, s.qualifier) == (20, "家", Qualifier.ABOUT)


def test_upwards_of_a_size_beside_a_count_says_what_is_counted():
    """上百亿元的大项目: projects of upwards of ten billion yuan; the statement is the count."""
    s = only("今年共有30余个上百亿元的大项目落地。")
    assert (s.value, s.unit, s.qualifier) == (30, "个", Qualifier.OVER)


def test_a_size_in_a_place_name_is_no_figure():
    """千亿汽车城: the name of a base, said again and again, states no output."""
    assert every("长安千亿汽车城首期工程建成，千亿汽车城迎来新车下线。") == []


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("新区将投入50亿元建设园区。", "target"),  # will invest: a plan
        ("要重点实施20个项目。", "target"),
        ("该项目将建设研发中心，总投资达9亿元。", "result"),  # the plan is of the clause before, a new subject
        ("力促全年完成工业投资300亿元。", "target"),
        ("产值将达800亿元。", "forecast"),  # will reach
        ("未来将有10个项目落地。", "forecast"),
        ("5个重点项目将在新区竣工投产。", "forecast"),  # what the subject will do, said after the figure
    ],
)
def test_plans_and_forecasts_in_chinese(text, status):
    assert only(text).status == status


def test_a_plan_holds_for_the_clauses_that_go_on_with_a_verb():
    found = every("新区要重点实施100个项目，完成投资4000亿元。")
    assert [(s.value, s.status) for s in found] == [(100, "target"), (4000, "target")]


def test_a_yearly_capacity():
    """年产20万台: a rate per year; of a year's figure, its total."""
    assert only("形成年产20万台发动机的能力。").per == "year"
    assert only("2021年，年产汽车50万辆。", year=None).per is None


def test_the_date_of_an_event_is_no_period():
    """2019年3月开工: when building began, not the period of the figures after it."""
    assert only("2019年3月开工，完成厂房建设8万平方米。", year=None).period == "not-given"


def test_the_year_a_plan_is_for():
    """到2025年, 在2030年前: the year of a target; it does not carry to the next sentence."""
    assert only("到2025年，产值突破1000亿元。", year=None).period == "2025"
    found = every("在2030年前建成20个园区。园区面积达5平方公里。", year=None)
    assert [s.period for s in found] == ["2030", "not-given"]


def test_what_will_be_has_no_period_of_the_past():
    found = every("2019年产值达300亿元。未来将形成5个产业集群。目标是用5年时间达到1000亿元。", year=None)
    assert [s.period for s in found] == ["2019", "not-given", "not-given"]


def test_last_year_with_no_release_date_is_the_reports_own_year():
    """去年 in a text with no date: the year the report writes most often."""
    from lj_facts.draft import draft

    d = draft("新区去年引进外资30亿美元\n\n2014年，新区引进外资30亿美元，增长10%。", "x.txt")
    assert [s.period for s in d.statements] == ["2014", "2014"]


def test_a_five_year_plans_period():
    """“十三五”期间 is 2016/2020: a level from … to …, a yearly growth, a count of the span."""
    found = every("“十三五”期间，新区GDP从2000亿元增长到3400亿元，年均增长11%，引进项目500个。", year=None)
    assert [(s.value, s.growth_pct, s.period) for s in found] == [
        (2000, None, "2015"),
        (3400, None, "2020"),
        (None, 11, "per-year"),
        (500, None, "2016/2020"),
    ]
    doubled = only("“十三五”期间，主要指标实现翻番。", year=None)
    assert (doubled.growth_pct, doubled.period, doubled.growth_span_years) == (100, "2020", 5)
    assert every("新区发展已纳入国家“十二五”规划，新增企业50家。", year=None)[0].period == "not-given"


def test_from_the_founding():
    """从成立至2019年: the first level is of the founding's year where the text writes it, else unknown."""
    found = every("2010年，新区成立。从成立至2019年，产值从100亿元增长到900亿元。", year=None)
    assert [s.period for s in found] == ["2010", "2019"]
    found = every("至2019年，产值从100亿元增长到900亿元。", year=None)
    assert [s.period for s in found] == ["not-given", "2019"]


def test_a_year_in_brackets_after_a_figure():
    found = every("常住人口300万人(2020年)，面积500平方公里。", year=None)
    assert [(s.value, s.period) for s in found] == [(300, "2020"), (500, "not-given")]


def test_figures_in_an_articles_name_are_no_figures():
    found = every("他在《新区实施100个重大项目》一文中说，新区引进企业20家。")
    assert [(s.value, s.unit) for s in found] == [(20, "家")]


def test_one_in_n_in_chinese_numerals():
    """重庆每三辆汽车，就有一辆…: a share of the city; of the world, a value in %."""
    assert only("重庆每三辆汽车，就有一辆产自新区。").city_share_pct == 33.3
    s = only("全球每四台电脑就有一台产自这里。")
    assert (s.value, s.unit) == (25, "%")


def test_jobs_counted_with_no_measure_word():
    s = only("项目新增5000多就业岗位。")
    assert (s.value, s.unit, s.qualifier) == (5000, "个", Qualifier.OVER)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("出口按年增长8.2%。", "growth_pct", 8.2),  # Hong Kong: year on year
        ("进口按年跌4.1%。", "growth_pct", -4.1),
        ("出口按月上升3.5%。", "mom_growth_pct", 3.5),  # on the month before, never year on year
        ("出口按月升3.5%。", "mom_growth_pct", 3.5),
        ("产值较去年同期成长6.1%。", "growth_pct", 6.1),  # Taiwan: 成长, 年增, 年减
        ("出口年增12.5%。", "growth_pct", 12.5),
        ("产量年减3%。", "growth_pct", -3.0),
        ("工业产值增长百分之十二点五。", "growth_pct", 12.5),  # a decimal in Chinese numerals
    ],
)
def test_growth_as_hong_kong_and_taiwan_write_it(text, field, value):
    assert getattr(only(text), field) == value


def test_taiwans_trillion():
    s = only("贸易总额达1.2兆元。")
    assert (s.value, s.unit) == (1.2, "万亿元")


def test_a_growth_said_after_its_level_in_the_next_clause():
    s = only("汽车产量达50万辆，按年升20%。")
    assert (s.value, s.growth_pct) == (50, 20)


# --- Found on the second check: English ---------------------------------------------------------------


def test_sentences_glued_without_a_space():
    """…the past five years.It is understood that…: two sentences, each with its own status."""
    found = every("GDP is expected to exceed 400 billion yuan.It is understood that output reached 50 billion yuan.")
    assert [s.status for s in found] == ["forecast", "result"]


def test_a_currency_glued_to_its_number():
    s = only("The area's GDP hit RMB72.513 billion.")
    assert (s.value, s.unit) == (72.513, "billion yuan")


@pytest.mark.parametrize(
    ("text", "growth"),
    [
        ("Trade was US$9.1 billion, 2.6 times more than the same period of last year.", 260),
        ("GDP reached 186 billion yuan, more than double that of five years earlier.", 100),
    ],
)
def test_growth_written_as_a_multiple(text, growth):
    assert only(text).growth_pct == growth


def test_a_rate_named_by_its_subject_with_a_qualifier_verb():
    found = every("Exports grew 9.2%, with the growth rate in May and June both exceeding 10%.")
    assert [s.growth_pct for s in found] == [9.2, 10]


@pytest.mark.parametrize(
    "text",
    [
        "Liangjiang, the nation's first inland development zone, grows.",
        "The council approved it, making it the first national new area in the west.",
    ],
)
def test_ranks_said_of_the_nation(text):
    assert only(text).rank == 1


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Contracted projects in the area has reached 1,395.", 1395, "个"),  # the noun before the verb
        ("It hosts firms from about 20 countries and regions.", 20, "个"),
        ("The area is home to 50 R&D institutions.", 50, "家"),
    ],
)
def test_counts_in_english(text, value, unit):
    s = only(text)
    assert (s.value, s.unit) == (value, unit)


def test_from_one_level_to_another():
    """…at an annual growth rate of 72.5%, from $3.37 billion to $51 billion: the rate is per year, the first
    level of a year not named, the second of the sentence's."""
    found = every(
        "In 2014, trade expanded at a compound annual growth rate of 72.5%, from $3.37 billion to $51 billion."
    )
    assert [(s.value, s.growth_pct, s.period) for s in found] == [
        (None, 72.5, "per-year"),
        (3.37, None, "not-given"),
        (51, None, "2014"),
    ]
    assert every("From its establishment to 2019, GDP rose to 339 billion yuan.", year=None)[0].period == "2019"


def test_a_list_of_city_shares_goes_on():
    """…about 15% of the city's output, and gathered 30% of the total … as well as 60% of …: shares of the city;
    a part of the city (the central urban area) is no city."""
    found = every(
        "It contributed about 15% of the city's output, and gathered 30% of the total foreign investment, "
        "50% of the Fortune Global 500 firms, as well as 60% of the auto production."
    )
    assert [s.city_share_pct for s in found] == [15, 30, 50, 60]
    s = only("Its planned land accounted for about one-third of that in the central urban area in Chongqing.")
    assert (s.value, s.unit, s.status) == (33.3, "%", "result")  # planned land: no plan to do


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("新区上半年成绩单\n2024年07月26日 15:31 来源: 新华网\n新区GDP达2000亿元。", "2024-07-26"),
        ("Updated: 2015-08-06 05:03\n\nGDP reached 186 billion yuan.", "2015-08-06"),
        ("记者获悉，2015年11月7日项目启动以来，新区累计签约项目45个。", None),  # an event the text tells of
        ("2010年5月5日,国务院正式批准设立新区，面积1200平方公里。", None),
        ("Formally established on June 18, 2010, the area covers 1,200 square kilometers.", None),
    ],
)
def test_a_dateline_is_no_date_of_an_event(text, date):
    from lj_facts.figures import dateline

    assert dateline(text) == date


def test_the_yue_of_qianyue_is_no_about():
    """签约230个项目: signed, not about (约)."""
    assert only("中新双方共签约230个合作项目。").qualifier is Qualifier.EXACT
    assert only("总投资约50亿元。").qualifier is Qualifier.ABOUT


@pytest.mark.parametrize(
    "text",
    ["未来三年产值将破千亿。", "项目全部投产后可实现产值429亿元。", "项目达产后可实现年产值80亿元。"],
)
def test_what_a_project_is_expected_to_give(text):
    """将破千亿, 投产后可实现: forecasts; 三年产值 is no yearly rate (年产 after a count of years)."""
    s = only(text)
    assert s.status == "forecast"
    assert s.per == ("year" if "年产值" in text and "三年" not in text else None)

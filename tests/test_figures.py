"""`figures`: the one parser of Chinese statistical phrasing, on the report's own sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lj_facts.figures import Role, chinese_number, figures, sentences, statements
from lj_facts.model import UNITS, Qualifier

EXACT = Qualifier.EXACT
OVER, AT_LEAST, ABOUT, NEARLY = Qualifier.OVER, Qualifier.AT_LEAST, Qualifier.ABOUT, Qualifier.NEARLY
NUMERIC = (
    "value",
    "unit",
    "qualifier",
    "growth_pct",
    "growth_qualifier",
    "growth_span_years",
    "city_share_pct",
    "city_share_qualifier",
    "city_share_change_pp",
    "city_growth_gap_pp",
    "change_pp",
    "rank",
    "rank_of",
    "change",
    "mom_growth_pct",
)


def read(text: str, year: int | None = 2021) -> list[dict[str, object]]:
    """The statements of `text`, each as its fields that are set (exact qualifiers left out)."""
    out = []
    for s in statements(text, year):
        fields = {k: getattr(s, k) for k in NUMERIC if getattr(s, k) not in (None, EXACT)}
        out.append(fields)
    return out


class TestAmounts:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("两江新区规上工业总产值达2008.3亿元", {"value": 2008.3, "unit": "亿元"}),
            ("汽车实现产值740亿元", {"value": 740, "unit": "亿元"}),
            ("累计完成坡坎崖绿化美化项目67个", {"value": 67, "unit": "个"}),
            ("面积达360万平方米", {"value": 360, "unit": "万平方米"}),
            ("当前，两江新区集聚了10家整车企业", {"value": 10, "unit": "家"}),
            ("累计标识注册量5.4亿个", {"value": 5.4, "unit": "亿个"}),
            ("标识解析量2.7亿次", {"value": 2.7, "unit": "亿次"}),
            ("实际利用外资13.5亿美元", {"value": 13.5, "unit": "亿美元"}),
            ("产量43.5万辆", {"value": 43.5, "unit": "万辆"}),
            ("果园港国家物流枢纽完成货物吞吐量1054万吨", {"value": 1054, "unit": "万吨"}),
            ("新增市场主体1.2万户", {"value": 1.2, "unit": "万户"}),
            ("已建成43所中小学", {"value": 43, "unit": "所"}),
            ("完成科技成果转移转化36项", {"value": 36, "unit": "项"}),
            ("中欧班列到发151班次", {"value": 151, "unit": "班次"}),
            ("陆海新通道班列发送120班", {"value": 120, "unit": "班"}),
            ("前不久完成融资3000万元", {"value": 3000, "unit": "万元"}),
            ("社区文化室建成率达到100%", {"value": 100, "unit": "%"}),
            ("学前教育公办率提升到 52%", {"value": 52, "unit": "%"}),
            ("新引进投资十亿元及以上项目 23 个", {"value": 23, "unit": "个"}),
        ],
    )
    def test_amount_and_unit(self, text, expected):
        """达/实现/完成/集聚/累计 + amount and unit; a rate in % is an amount too."""
        assert read(text) == [expected]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("80余个科研团队", {"value": 80, "unit": "个", "qualifier": OVER}),
            ("上半年数字经济增加值达260余亿元", {"value": 260, "unit": "亿元", "qualifier": OVER}),
            ("悦来国际会展城每年举办国际性重大会展活动100 多场", {"value": 100, "unit": "场", "qualifier": OVER}),
            ("企业节点超1000家", {"value": 1000, "unit": "家", "qualifier": OVER}),
            ("全年空气质量优良超330天", {"value": 330, "unit": "天", "qualifier": OVER}),
            ("世界 500 强企业有超过200家", {"value": 200, "unit": "家", "qualifier": OVER}),
            ("半年产值首次突破千亿元", {"value": 1000, "unit": "亿元", "qualifier": OVER}),
            ("基本养老、医疗保险参保率稳定在95%以上", {"value": 95, "unit": "%", "qualifier": AT_LEAST}),
            ("新增就业近2万户", {"value": 2, "unit": "万户", "qualifier": NEARLY}),
            ("投资约18.5亿元", {"value": 18.5, "unit": "亿元", "qualifier": ABOUT}),
            ("投资18.5亿元左右", {"value": 18.5, "unit": "亿元", "qualifier": ABOUT}),
            ("占工业产值比重超1/3", {"value": 33.3, "unit": "%", "qualifier": OVER}),
        ],
    )
    def test_qualifiers(self, text, expected):
        """余, 多, 超, 超过, 突破 (over), 以上 (at least), 近 (nearly), 约 and 左右 (about)."""
        assert read(text) == [expected]


class TestGrowthSharesAndPoints:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("工业企业税收增长27.4%", {"growth_pct": 27.4}),
            ("同比增长56%", {"growth_pct": 56}),
            ("规上工业利润增长6.1倍", {"growth_pct": 610}),
            ("新能源汽车产量增长1.1倍", {"growth_pct": 110}),
            ("出口下降5.5%", {"growth_pct": -5.5}),
            ("上半年跨境电商交易额增长约 95%", {"growth_pct": 95, "growth_qualifier": ABOUT}),
            ("医疗卫生机构较5年前实现了翻倍", {"growth_pct": 100, "growth_span_years": 5}),
        ],
    )
    def test_growth(self, text, expected):
        """增长 X%, X倍 (the schema's rule: 增长6.1倍 is +610 %), 翻倍 (+100 %), 下降 X%."""
        assert read(text) == [expected]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("占全市的16.3%", {"city_share_pct": 16.3}),
            ("总量占全市的1/10", {"city_share_pct": 10}),
            ("产量占全市近1/2", {"city_share_pct": 50, "city_share_qualifier": NEARLY}),
            ("世界 500 强企业占全市超过1/2", {"city_share_pct": 50, "city_share_qualifier": OVER}),
            ("增加值占全市1/3", {"city_share_pct": 33.3}),
            ("增加值占全市超1/3", {"city_share_pct": 33.3, "city_share_qualifier": OVER}),
            ("交易额占全市比重70%以上", {"city_share_pct": 70, "city_share_qualifier": AT_LEAST}),
        ],
    )
    def test_city_share(self, text, expected):
        """占全市(的) X%, fractions 1/10, 近1/2, 超过1/2, 超1/3 as percent of the city."""
        assert read(text) == [expected]

    def test_gap_and_change_points(self):
        """比全市高 X 个百分点 is the gap to the city's growth; 提高 X 个百分点 a change."""
        assert read("规上工业增加值增长31.7%，比全市高12.7个百分点") == [
            {"growth_pct": 31.7, "city_growth_gap_pp": 12.7}
        ]
        assert read("工业增加值率提升2.5个百分点") == [{"change_pp": 2.5}]
        assert read("出口增长3%，比全市低1.5个百分点") == [{"growth_pct": 3, "city_growth_gap_pp": -1.5}]
        assert read("普惠率达84.6%、提高2个百分点") == [{"value": 84.6, "unit": "%", "change_pp": 2}]

    def test_share_change_follows_the_share(self):
        """提高 after a share of the city is the change of that share."""
        assert read("上半年两江新区全域 GDP 达2000.2亿元、同比增长15%，占全市的15.5%、提高0.7个百分点") == [
            {"value": 2000.2, "unit": "亿元", "growth_pct": 15, "city_share_pct": 15.5, "city_share_change_pp": 0.7}
        ]


class TestRanks:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("两路寸滩综保区在全国127个海关特殊监管区中综合排名第7位", {"rank": 7, "rank_of": 127}),
            ("全域GDP在全国19个国家级新区中位居前列", {"rank_of": 19}),
            ("获批成为全国第四个、西部地区首个国家级车联网先导区", {"rank": 4}),
            ("总数居全市第一", {"rank": 1}),
            ("位列全国第3名", {"rank": 3}),
        ],
    )
    def test_rank(self, text, expected):
        """第N, 全国第N (in Chinese numerals too), N个…中第M."""
        assert read(text) == [expected]

    @pytest.mark.parametrize("text", ["两江新区第一人民医院", "信息第一时间报警", "创新是引领发展的第一动力"])
    def test_first_in_a_name_is_no_rank(self, text):
        """第一 without a ranking (全国, 全市, 居, 排名…) names something; it is no figure."""
        assert {f.role for f in figures(text)} == {Role.WORD}


class TestChineseNumerals:
    @pytest.mark.parametrize(
        ("run", "value"),
        [("十", 10), ("五十", 50), ("百", 100), ("千", 1000), ("两", 2), ("四", 4), ("二〇二一", 2021)],
    )
    def test_chinese_number(self, run, value):
        assert chinese_number(run) == value

    @pytest.mark.parametrize(
        ("text", "role", "value"),
        [
            ("两江新区另一千亿级支柱产业", Role.LEVEL, 1000),
            ("加快做大做强汽车、电子两大千亿级产业集群", Role.LEVEL, 1000),
            ("百亿级龙头企业达 10 家", Role.LEVEL, 100),
            ("五十亿级项目3个", Role.LEVEL, 50),
            ("新引进投资十亿元及以上项目", Role.LEVEL, 10),
            ("半年产值首次突破千亿元", Role.AMOUNT, 1000),
            ("获批成为全国第四个", Role.RANK, 4),
            ("较5年前实现了翻倍跨越式增长", Role.GROWTH, 100),
            ("新建成公园两个", Role.AMOUNT, 2),
        ],
    )
    def test_chinese_numerals_that_state_figures(self, text, role, value):
        """千亿级, 十亿元及以上, 第四, 翻倍, 两个: figures, each in its role."""
        found = [f for f in figures(text) if f.chinese and f.role is not Role.WORD]
        assert [(f.role, f.value) for f in found] == [(role, value)]

    @pytest.mark.parametrize(
        "text",
        [
            "奋力推动“十四五”开好局",
            "三一重工建设的灯塔工厂",
            "两江新区还着力建设“百园之城”",
            "一个具有全国影响力的产业集群已经形成",
            "摩方精密又完成数千万元B轮融资",
            "今年上半年新增二级节点",
        ],
    )
    def test_chinese_numerals_in_words_are_no_figures(self, text):
        """Numerals inside words and names (十四五, 三一, 两江, 一个, 数千万) are written, but no statistic."""
        assert {f.role for f in figures(text) if f.chinese} == {Role.WORD}
        assert list(statements(text)) == []

    @pytest.mark.parametrize(
        ("text", "counts"),
        [
            ("该项目投资18.5亿元，将打造“两院三中心”，为群众提供高品质的医疗健康服务", [2, 3]),
            ("作为新区“两高两区”十大工程", [2, 2]),
            ("“四梁八柱”不断夯实", [4, 8]),
            ("积极融入“一带一路”建设", []),
            ("奋力推动“十四五”开好局", []),
            ("“三点半课堂”为家长减负", []),
            ("着力解决科技和产业“两张皮”现象", []),
        ],
    )
    def test_numerical_abbreviations_count(self, text, counts):
        """“两院三中心”: a quoted term made only of numeral + word pairs counts each numeral (个)."""
        found = [f for f in figures(text) if f.chinese and f.role is Role.AMOUNT]
        assert [f.value for f in found] == counts
        assert all(f.unit == "个" for f in found)


class TestDatesNamesAndUnread:
    @pytest.mark.parametrize(
        ("text", "role"),
        [
            ("6月26日", Role.DATE),
            ("庆祝建党100周年", Role.DATE),
            ("1—5月", Role.DATE),
            ("赛力斯华为智选SF5上市", Role.NAME),
        ],
    )
    def test_dates_and_model_names(self, text, role):
        assert {f.role for f in figures(text)} == {role}

    def test_unread_digits_are_said(self):
        """Digits in no phrasing the parser knows are returned as unread, never guessed."""
        assert [(f.raw, f.role) for f in figures("160多家世界500强企业")] == [
            ("160", Role.AMOUNT),
            ("500", Role.UNREAD),
        ]


class TestSentences:
    def test_figure_with_growth_and_share_is_one_statement(self):
        """The amount takes the growth and the share of its clause and of the clause that continues it."""
        [s] = statements("体量大、增速快，两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的\n16.3%；", 2021)
        assert (s.value, s.unit, s.growth_pct, s.city_share_pct) == (2008.3, "亿元", 41.1, 16.3)
        assert s.text == "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%"
        assert s.line == 1

    def test_clause_of_a_bare_verb_keeps_its_subject(self):
        """，达到35家 has its subject in the clause before: the quote holds both."""
        [s] = statements("两江协同创新区从无到有，集聚大学大院大所逐年攀升，达到35家；")
        assert (s.text, s.value, s.unit) == ("集聚大学大院大所逐年攀升，达到35家", 35, "家")

    def test_column_break_inside_a_sentence(self):
        """A blank line after running text (，) is a column break: the clause goes on after it."""
        [_, s] = statements("截至今年6月底，累计签约项目37个，签约金额107.5亿美元，约占全\n\n市50%。", 2021)
        assert (s.value, s.city_share_pct, s.city_share_qualifier, s.period) == (107.5, 50, ABOUT, "2021-06-30")
        assert s.text == "签约金额107.5亿美元，约占全市50%"

    def test_caption_ends_at_its_blank_line(self):
        """A caption (no running punctuation) then a blank line is a sentence of its own."""
        [caption, sentence] = sentences("果园港 陈力行 摄\n\n产值100亿元。")
        assert (caption.text, sentence.text, sentence.line) == ("果园港陈力行摄", "产值100亿元。", 3)

    def test_respectively_lists_are_one_statement_each(self):
        """分别…、… gives each figure its own statement."""
        text = "光电子器件、平板电脑、智能手机、液晶显示屏产量分别增长 4.4 倍、89.3%、3.1倍、40.5%。"
        assert read(text) == [{"growth_pct": 440}, {"growth_pct": 89.3}, {"growth_pct": 310}, {"growth_pct": 40.5}]
        assert read("科技服务业和高技术服务业营业收入分别增长26.9%和27.7%") == [
            {"growth_pct": 26.9},
            {"growth_pct": 27.7},
        ]

    def test_leading_qualifier_stays_with_its_figure(self):
        """分别增长4.4倍、约89.3%: 约 stands before 89.3 only."""
        assert read("产量分别增长4.4倍、约89.3%") == [
            {"growth_pct": 440},
            {"growth_pct": 89.3, "growth_qualifier": ABOUT},
        ]

    def test_trailing_qualifier_of_a_list_covers_the_list(self):
        """分别占全市 55%、60%以上: 以上 is said of both."""
        assert read("新能源汽车、智能网联汽车分别占全市 55%、60%以上") == [
            {"city_share_pct": 55, "city_share_qualifier": AT_LEAST},
            {"city_share_pct": 60, "city_share_qualifier": AT_LEAST},
        ]

    def test_several_amounts_in_one_clause(self):
        assert read("集聚科技型企业2752家、高新技术企业506家、市级及以上科研平台达到 342 个") == [
            {"value": 2752, "unit": "家"},
            {"value": 506, "unit": "家"},
            {"value": 342, "unit": "个"},
        ]

    def test_share_with_qualifier_before_zhan(self):
        """约占全市50%: the 约 before 占 qualifies the share."""
        assert read("截至今年6月底，累计签约项目37个，签约金额107.5亿美元，约占全市50%。") == [
            {"value": 37, "unit": "个"},
            {"value": 107.5, "unit": "亿美元", "city_share_pct": 50, "city_share_qualifier": ABOUT},
        ]


class TestPeriods:
    @pytest.mark.parametrize(
        ("text", "period"),
        [
            ("今年上半年招商引资总额918亿元", "2021-H1"),
            ("上半年两江新区全域 GDP 达2000.2亿元", "2021-H1"),
            ("1—5月，利润642.47亿元", "2021-01/2021-05"),
            ("截至今年6月，累计完成项目67个", "2021-06-30"),
            ("截至6月底，累计签约项目37个", "2021-06-30"),
            ("全年空气质量优良超330天", "2021"),
            ("悦来国际会展城每年举办活动100 多场", "per-year"),
            ("新增孵化企业19家", "not-given"),
        ],
    )
    def test_period_named_in_the_sentence(self, text, period):
        """上半年, 1—5月, 截至6月, 全年 (the year), 每年 (per year); none named: not-given (never a default)."""
        [s] = statements(text, 2021)
        assert s.period == period

    def test_without_a_year_only_yearly_periods_are_given(self):
        assert [s.period for s in statements("上半年产值100亿元。每年举办会展活动100多场。")] == [
            "not-given",
            "per-year",
        ]

    def test_a_period_named_later_does_not_reach_back(self):
        [a, b] = statements("社区文化室建成率达到100%，每年举办会展活动100多场", 2021)
        assert (a.period, b.period) == ("not-given", "per-year")


class TestOtherPhrasings:
    """Phrasings of other reports, so the parser is not fitted to one text."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("出口翻了两番", [{"growth_pct": 300}]),
            ("营业收入比上年翻一番", [{"growth_pct": 100}]),
            ("外贸额1,355亿元、增长55%", [{"value": 1355, "unit": "亿元", "growth_pct": 55}]),
            ("占重庆市的16.3%", [{"city_share_pct": 16.3}]),
            ("占市场份额的30%", [{"value": 30, "unit": "%"}]),
            ("增长5%，高出全市3个百分点", [{"growth_pct": 5, "city_growth_gap_pp": 3}]),
            ("列全国第5", [{"rank": 5}]),
            ("前5个月工业产值500亿元", [{"value": 500, "unit": "亿元"}]),
            ("三十五家企业落户", [{"value": 35, "unit": "家"}]),
            ("新增十余个项目", [{"value": 10, "unit": "个", "qualifier": OVER}]),
            ("近百家企业落户", [{"value": 100, "unit": "家", "qualifier": NEARLY}]),
            ("比上年增长８．１％", [{"growth_pct": 8.1}]),
            ("居民消费价格同比上涨0.3%", [{"growth_pct": 0.3}]),
            ("猪肉价格下跌20%", [{"growth_pct": -20}]),
            ("全市城镇调查失业率为5.3%，比一季度下降0.2个百分点", [{"value": 5.3, "unit": "%", "change_pp": -0.2}]),
            ("全市第一产业增加值684.53亿元", [{"value": 684.53, "unit": "亿元"}]),
            ("入选全国第一批试点", []),
        ],
    )
    def test_phrasing(self, text, expected):
        assert read(text) == expected

    @pytest.mark.parametrize(
        ("text", "period"),
        [
            ("2020年上半年产值100亿元", "2020-H1"),
            ("截至2020年12月底，企业100家", "2020-12-31"),
            ("前5个月工业产值500亿元", "2021-01/2021-05"),
            ("第二季度产值100亿元", "2021-Q2"),
            ("1至5月，利润642.47亿元", "2021-01/2021-05"),
            ("失业率为5.3%，比一季度下降0.2个百分点", "not-given"),
        ],
    )
    def test_periods_with_their_own_year(self, text, period):
        """A year written with the period wins over the year given; 比一季度 is a base of comparison."""
        [s] = statements(text, 2021)
        assert s.period == period


# --- properties: generated sentences with known figures -------------------------------------------

_SUBJECTS = st.sampled_from(["规上工业总产值", "汽车实现产值", "外贸进出口额", "招商引资总额", "数字经济增加值"])
_DECIMALS = st.decimals(min_value="0.1", max_value="99999.9", places=1).map(lambda d: float(d))
_UNITS = st.sampled_from([u for u in UNITS if u != "%" and not u.isascii()])  # English units: the English reader
_QUALIFIED = st.sampled_from([("", EXACT), ("超", OVER), ("近", NEARLY), ("约", ABOUT), ("超过", OVER)])


def _num(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e5 else repr(x)


@settings(max_examples=150, deadline=None)
@given(_SUBJECTS, _QUALIFIED, _DECIMALS, _UNITS)
def test_property_amounts(subject, qualified, value, unit):
    """Any amount in any unit of the schema, with any qualifier before it, is read back."""
    word, qualifier = qualified
    [s] = statements(f"{subject}达{word}{_num(value)}{unit}。")
    assert (s.value, s.unit, s.qualifier) == (value, unit, qualifier)


@settings(max_examples=150, deadline=None)
@given(_SUBJECTS, _DECIMALS, _DECIMALS, st.decimals(min_value="0.1", max_value="100", places=1).map(float))
def test_property_amount_growth_share(subject, value, growth, share):
    """达 X亿元、增长 Y%，占全市的 Z%: one statement with all three."""
    [s] = statements(f"{subject}达{_num(value)}亿元、增长{_num(growth)}%，占全市的{_num(share)}%。")
    assert (s.value, s.growth_pct, s.city_share_pct) == (value, growth, share)


_PERCENT_PHRASES = st.sampled_from(
    [
        ("增长{}%", "growth_pct", 1),
        ("同比增长{}%", "growth_pct", 1),
        ("下降{}%", "growth_pct", -1),
        ("占全市的{}%", "city_share_pct", 1),
        ("占全市比重{}%", "city_share_pct", 1),
        ("普及率达{}%", "value", 1),
        ("提高{}个百分点", "change_pp", 1),
        ("比全市高{}个百分点", "city_growth_gap_pp", 1),
    ]
)


@settings(max_examples=200, deadline=None)
@given(_PERCENT_PHRASES, st.decimals(min_value="0.1", max_value="99.9", places=1).map(float))
def test_property_percentages(phrase, number):
    """A percentage or points in each phrasing lands in its field, with its sign."""
    template, field, sign = phrase
    [s] = statements(template.format(_num(number)) + "。")
    assert getattr(s, field) == sign * number


@settings(max_examples=150, deadline=None)
@given(_SUBJECTS, st.decimals(min_value="0.1", max_value="99.9", places=1).map(float))
def test_property_times_is_percent_growth(subject, times):
    """增长 X倍 is growth of 100·X percent, to the digit written."""
    [s] = statements(f"{subject}增长{_num(times)}倍。")
    assert s.growth_pct == pytest.approx(times * 100)
    assert f"{s.growth_pct:g}" == f"{round(times * 100, 6):g}"


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 9), st.integers(2, 20), _QUALIFIED)
def test_property_fractions_are_shares(num, den, qualified):
    """占全市 a/b is a share of 100·a/b percent, rounded to one decimal, qualifier kept."""
    word, qualifier = qualified
    [s] = statements(f"增加值占全市{word}{num}/{den}。")
    assert s.city_share_pct == round(100 * num / den, 1)
    assert s.city_share_qualifier == qualifier


@settings(max_examples=100, deadline=None)
@given(st.lists(st.decimals(min_value="0.1", max_value="999.9", places=1).map(float), min_size=2, max_size=6))
def test_property_respectively_list(growths):
    """分别增长 a%、b%、…: one statement per figure, in order."""
    text = "各产品产量分别增长" + "、".join(f"{_num(g)}%" for g in growths) + "。"
    assert [s.growth_pct for s in statements(text)] == growths


@pytest.mark.slow
def test_ten_megabytes_are_read_whole():
    """A 10 MB report is read to its end: every figure of 20,000 sentences, and nothing of 10 MB with no
    figure in it (its time, linear in the text, is measured by benchmarks/wide.py, not here)."""
    unit = "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%；新增市场主体1.2万户、增长42%。\n"
    assert sum(1 for _ in statements(unit * 10_000)) == 20_000
    assert list(statements("两" * 10_000_000)) == []  # no punctuation, no figure: one long sentence


# --- issue 17: traditional characters, English, periods, meaning ----------------------------------
# Single-rule tests on short synthetic sentences (made for the rule, not quoted from a report);
# the real releases are measured in test_releases.py.


class TestTraditionalCharacters:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("規上工業產值同比增長12.1%", {"growth_pct": 12.1}),
            ("產值17707.10億元", {"value": 17707.1, "unit": "亿元"}),
            ("汽車產量36萬輛", {"value": 36, "unit": "万辆"}),
            ("銷售汽車3500輛", {"value": 3500, "unit": "辆"}),
            ("佔全市的16.3%", {"city_share_pct": 16.3}),
            ("兩江新區(qū)產值增長(zhǎng)8.5%", {"growth_pct": 8.5}),
            ("拉動(dòng)規上工業增長(zhǎng)20.3個(gè)百分點(diǎn)", {"change_pp": 20.3}),
        ],
    )
    def test_read_as_simplified(self, text, expected):
        """Traditional characters and a poor converter's pinyin (區(qū)) are read as simplified is."""
        assert read(text) == [expected]

    def test_quote_keeps_the_characters_written(self):
        """Conversion is for reading: the quote is the report's own text, pinyin and all."""
        [s] = statements("兩江新區(qū)產值增長(zhǎng)8.5%。")
        assert s.text == "兩江新區(qū)產值增長(zhǎng)8.5%"

    def test_photo_credit_ends_its_line(self):
        """A caption ending 攝 (or 摄) is a sentence of its own, blank line or not."""
        assert [s.text for s in sentences("兩江新區夜景 蓝天 攝\n產值100億元。")] == [
            "兩江新區夜景蓝天攝",
            "產值100億元。",
        ]


class TestMeaning:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("工业销售产值586.89亿元，增长2.9亿元", [{"value": 586.89, "unit": "亿元", "change": 2.9}]),
            ("企业数量同比增加3家", [{"change": 3, "unit": "家"}]),
            ("进出口值环比增长20.2%", [{"mom_growth_pct": 20.2}]),
            ("出口环比下降5%", [{"mom_growth_pct": -5}]),
            ("GDP同比增长(下同)15%", [{"growth_pct": 15}]),
            ("SUV5.24万辆", [{"value": 5.24, "unit": "万辆"}]),
            ("笔记本电脑524.32万台", [{"value": 524.32, "unit": "万台"}]),
            ("生产手机12万只", [{"value": 12, "unit": "万只"}]),
            ("比全市平均水平快9.5个百分点", [{"city_growth_gap_pp": 9.5}]),
        ],
    )
    def test_fields(self, text, expected):
        """An absolute change, growth on the month before, 下同, units after Latin letters, 万台, 万只."""
        assert [{k: v for k, v in f.items() if k != "qualifier"} for f in read(text)] == expected

    def test_rates_targets_and_forecasts(self):
        """平均每天 is a rate per day; 力争 a target; 预计 a forecast; the rest results."""
        [daily] = statements("平均每天就有3500辆车出厂。")
        [target] = statements("力争全年产值达到5000亿元。")
        [forecast, result] = statements("预计总产值1732亿元。产值100亿元。")
        assert (daily.per, daily.status) == ("day", "result")
        assert (target.status, forecast.status, result.status) == ("target", "forecast", "result")


class TestCumulativePeriods:
    @pytest.mark.parametrize(
        ("text", "period"),
        [
            ("前三季度产值100亿元", "2021-01/2021-09"),
            ("1—9月产值100亿元", "2021-01/2021-09"),
            ("1——2月产值100亿元", "2021-01/2021-02"),
            ("1-2月产值100亿元", "2021-01/2021-02"),
            ("一季度产值100亿元", "2021-Q1"),
            ("全年产值100亿元", "2021"),
            ("6月当月产值100亿元", "2021-06"),
            ("2020年，产值增长22.8%", "2020"),
            ("连续三季度居全市第一", "not-given"),
        ],
    )
    def test_span(self, text, period):
        """Cumulative spans in the schema's notation; 连续三季度 (three quarters running) is no period."""
        [s] = statements(text, 2021)
        assert s.period == period

    def test_a_year_with_a_span_is_no_figure(self):
        """2021年前三季度: 2021 is the span's year, never a figure to capture."""
        assert [f.role for f in figures("2021年前三季度产值100亿元") if f.raw == "2021"] == [Role.DATE]
        [s] = statements("2021年前三季度产值100亿元")
        assert s.period == "2021-01/2021-09"

    def test_heading_carries_until_another_is_stated(self):
        """一季度 in a heading holds for the sentences under it, until 上半年 is stated."""
        text = "一季度\n\n产值100亿元。投资50亿元。上半年，产值210亿元。税收20亿元。"
        assert [s.period for s in statements(text, 2021)] == ["2021-Q1", "2021-Q1", "2021-H1", "2021-H1"]

    def test_this_year_is_the_release_year(self):
        """今年 is the year of the release; with none known, the period says so."""
        assert [s.period for s in statements("今年一季度产值100亿元。", release_year=2014)] == ["2014-Q1"]
        assert [s.period for s in statements("今年一季度产值100亿元。")] == ["not-given"]


class TestEnglish:
    def test_usd_beside_yuan_is_its_own_figure(self):
        """316.12 billion yuan ($47.42 billion), a year-on-year increase of 29.4 percent: three figures."""
        text = "Output in the first three quarters of 2021 rose to 316.12 billion yuan ($47.42 billion), a year-on-year increase of 29.4 percent."
        assert read(text, None) == [
            {"value": 316.12, "unit": "billion yuan", "growth_pct": 29.4},
            {"value": 47.42, "unit": "billion US dollars"},
        ]
        assert {s.period for s in statements(text)} == {"2021-01/2021-09"}

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "Exports reached 79.35 billion yuan, up 43.1 percent.",
                [{"value": 79.35, "unit": "billion yuan", "growth_pct": 43.1}],
            ),
            ("Imports rose by 1.7 times.", [{"growth_pct": 170}]),
            ("It accounted for 55.3 percent of the city's total.", [{"city_share_pct": 55.3}]),
            (
                "Value added grew 24.2 percent, 10 percentage points ahead of the municipal average.",
                [{"growth_pct": 24.2, "city_growth_gap_pp": 10}],
            ),
            ("Exports grew 42.2 percent on a month-on-month basis.", [{"mom_growth_pct": 42.2}]),
            ("Changan Ford exported over 7,000 vehicles.", [{"value": 7000, "unit": "vehicles", "qualifier": OVER}]),
            ("Output fell 5.5 percent.", [{"growth_pct": -5.5}]),
        ],
    )
    def test_phrasing(self, text, expected):
        """English phrasing lands in the same fields as Chinese."""
        assert read(text, None) == expected

    @pytest.mark.parametrize(
        ("text", "period"),
        [
            ("In the first half of 2020, GDP grew 4.8 percent.", "2020-H1"),
            ("From January to September 2021, output grew 4.8 percent.", "2021-01/2021-09"),
            ("In January-September 2012, GDP grew 20.6%.", "2012-01/2012-09"),
            ("GDP grew 4.8 percent in the first quarter of 2021.", "2021-Q1"),
            ("Sales grew 34%, 4 points more than that of the first half of 2012.", "not-given"),
        ],
    )
    def test_periods(self, text, period):
        """English periods, named before or after the figure; a comparison's base is no period."""
        assert next(iter(statements(text))).period == period

    def test_dates_and_names_are_no_figures(self):
        """COVID-19, Fortune 500, a date and a year are no statistics."""
        roles = {f.raw: f.role for f in figures("Despite COVID-19, on July 21, 2014, Fortune 500 firms came.")}
        assert roles == {"19": Role.NAME, "21": Role.DATE, "2014": Role.DATE, "500": Role.NAME}

"""The loader: a valid file becomes frozen records; every kind of broken file is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lj_facts.errors import KnowledgeFileError
from lj_facts.index import shipped_path
from lj_facts.load import load, read_toml
from lj_facts.model import FIGURE_FIELDS, Fact, Kind, Qualifier

from .conftest import MINIMAL, index_of


def test_a_topic_with_a_problem_is_still_declared(write_file):
    """Its facts are not told their topic is undeclared: the one problem is the topic's own."""
    path = write_file(text=MINIMAL.replace('name_zh = "工业"\n', ""))
    with pytest.raises(KnowledgeFileError) as e:
        load(path)
    assert [(p.where, p.field) for p in e.value.problems] == [("topics.industry", "name_zh")]


class TestValidFile:
    def test_minimal_file_loads_into_records(self, write_file):
        """Each field of the TOML reaches the frozen Fact, with defaults filled in."""
        (fact,) = load(write_file()).facts
        assert (fact.value, fact.unit, fact.growth_pct, fact.city_share_pct) == (2008.3, "亿元", 41.1, 16.3)
        assert fact.kind is Kind.NUMBER and fact.qualifier is Qualifier.EXACT
        assert fact.period == "2021-H1", "a fact without period takes meta.default_period"
        assert fact.value_base == 200_830_000_000 and fact.base_unit == "CNY"
        with pytest.raises(AttributeError):
            fact.value = 1  # type: ignore[misc]

    def test_topic_index_puts_primary_facts_first(self, write_file):
        """A topic lists the facts it is primary for before those it shares."""
        path = write_file(
            """
            [topics.economy]
            name = "Economy"
            name_zh = "经济"

            [[facts]]
            id = "economy.gdp"
            topics = ["economy", "industry"]
            label = "GDP"
            text = "GDP达2000.2亿元"
            kind = "number"
            value = 2000.2
            unit = "亿元"
            """
        )
        index = index_of(path)
        assert [f.id for f in index.topic_facts("industry")] == ["industry.gross-output", "economy.gdp"]
        assert [f.id for f in index.topic_facts("economy")] == ["economy.gdp"]

    @pytest.mark.parametrize(
        "name", ["industry", "Industry", "INDUSTRY", "工业", "manufacturing", "制造业", " industry "]
    )
    def test_topic_found_by_slug_name_or_alias(self, write_file, name):
        assert index_of(write_file()).topic(name).slug == "industry"

    def test_shipped_file_is_found_without_a_path(self):
        assert shipped_path().is_file()
        assert len(load(shipped_path()).facts) >= 100


def _schema_problems(write_file, extra: str) -> list[str]:
    with pytest.raises(KnowledgeFileError) as info:
        load(write_file(extra))
    return [str(p) for p in info.value.problems]


SCHEMA_ERRORS = [
    (
        "duplicate id",
        'id = "industry.gross-output"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"',
        "industry.gross-output: id: duplicate id",
    ),
    (
        "undeclared topic",
        'id = "a.b"\ntopics = ["nope"]\nlabel = "x"\ntext = "y"\nkind = "claim"',
        "a.b: topics: 'nope' is not a declared topic",
    ),
    (
        "wrong type",
        'id = "a.b"\ntopics = ["industry"]\nlabel = 3\ntext = "y"\nkind = "claim"',
        "a.b: label: must be a string, not an integer",
    ),
    (
        "value as string",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nvalue = "12"\nunit = "个"',
        "a.b: value: must be a number, not a string",
    ),
    (
        "unknown unit",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nvalue = 1\nunit = "斤"',
        "a.b: unit: '斤' is not a known unit",
    ),
    (
        "unknown qualifier",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nvalue = 1\nunit = "个"\nqualifier = "roughly"',
        "a.b: qualifier: 'roughly' is not one of exact, over, at_least, about, nearly",
    ),
    (
        "share over 100",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ncity_share_pct = 120',
        "a.b: city_share_pct: 120 is outside 0–100",
    ),
    (
        "negative share",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ncity_share_pct = -1',
        "a.b: city_share_pct: -1 is outside 0–100",
    ),
    (
        "nan",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nvalue = nan\nunit = "个"',
        "a.b: value: must be a finite number, not nan",
    ),
    (
        "inf",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ngrowth_pct = inf',
        "a.b: growth_pct: must be a finite number, not inf",
    ),
    ("missing text", 'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\nkind = "claim"', "a.b: text: missing"),
    ("missing kind", 'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"', "a.b: kind: missing"),
    (
        "bad id",
        'id = "Not A Slug"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"',
        "Not A Slug: id: must be a lowercase slug",
    ),
    (
        "bad period",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\nperiod = "last year"',
        "a.b: period: 'last year' is not a period",
    ),
    (
        "impossible date",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\nperiod = "2021-02-30"',
        "a.b: period: '2021-02-30' is not a date",
    ),
    (
        "unknown field",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\nvalu = 3',
        "a.b: valu: unknown field",
    ),
    (
        "number without figure",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"',
        "a.b: value: a number fact needs a value or another figure",
    ),
    (
        "claim with figure",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\nvalue = 3\nunit = "个"',
        "a.b: value: a claim states no figure",
    ),
    (
        "value without unit",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nvalue = 3',
        "a.b: unit: missing (a value needs a unit)",
    ),
    (
        "rank beyond rank_of",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nrank = 9\nrank_of = 3',
        "a.b: rank: 9 is beyond rank_of 3",
    ),
    (
        "rank not whole",
        'id = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\nrank = 1.5',
        "a.b: rank: must be a whole number, not a float",
    ),
]


@pytest.mark.parametrize(("case", "fact", "expected"), SCHEMA_ERRORS, ids=[c[0] for c in SCHEMA_ERRORS])
def test_each_schema_error_names_fact_and_field(write_file, case, fact, expected):
    """Each schema error is reported with the fact id, the field and what is wrong."""
    problems = _schema_problems(write_file, "\n[[facts]]\n" + fact + "\n")
    assert any(p.startswith(expected) for p in problems), problems


def test_all_schema_errors_are_reported_at_once(write_file):
    """Three broken facts give three problems in one error, not one at a time."""
    extra = "".join(
        f"\n[[facts]]\n{fact.replace('a.b', f'a.b{i}')}\n" for i, (_, fact, _) in enumerate(SCHEMA_ERRORS[1:4])
    )
    problems = _schema_problems(write_file, extra)
    assert len(problems) == 3, problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL[MINIMAL.index("[topics.industry]") :], "meta: -: missing"),
        (
            MINIMAL[: MINIMAL.index("[topics.industry]")] + MINIMAL[MINIMAL.index("[[facts]]") :],
            "topics: -: must be a table",
        ),
        (MINIMAL[: MINIMAL.index("[[facts]]")], "facts: -: must be an array of at least one [[facts]] table"),
    ],
    ids=["no meta", "no topics", "no facts"],
)
def test_missing_tables_are_reported(write_file, text, expected):
    with pytest.raises(KnowledgeFileError) as info:
        load(write_file(text=text))
    assert any(str(p).startswith(expected) for p in info.value.problems), info.value.problems


class TestUnreadableFiles:
    def test_toml_syntax_error_shows_line_column_and_caret(self, write_file):
        path = write_file(text='[meta]\ntitle = "unterminated\n')
        with pytest.raises(KnowledgeFileError) as info:
            read_toml(path)
        message = str(info.value)
        assert f"{path}: 2:" in message
        assert 'title = "unterminated' in message
        assert message.rstrip().endswith("^")

    @pytest.mark.parametrize(
        ("content", "expected"),
        [(b"", "is empty"), (b"  \n\n", "is empty"), (b"\xff\xfe[meta]", "not UTF-8 text")],
    )
    def test_empty_and_undecodable_files(self, tmp_path: Path, content: bytes, expected: str):
        path = tmp_path / "bad.toml"
        path.write_bytes(content)
        with pytest.raises(KnowledgeFileError, match=expected):
            load(path)

    def test_missing_file(self, tmp_path: Path):
        with pytest.raises(KnowledgeFileError, match="no such file"):
            load(tmp_path / "nope.toml")

    def test_directory(self, tmp_path: Path):
        with pytest.raises(KnowledgeFileError, match="is a directory"):
            load(tmp_path)


def test_figure_fields_are_fields():
    """Every name in FIGURE_FIELDS is a real field of Fact, so `figures` misses none."""
    assert set(FIGURE_FIELDS) <= set(Fact._fields)


class TestProvenanceFields:
    """The fields issue 8 adds: a period not given, city figures' pages, context figures, set-asides."""

    CITY = (
        '\n[[city_figures]]\nid = "city.x"\nlabel = "x"\nlabel_zh = "x"\ngrowth_pct = 1.0\nperiod = "2021-01/2021-05"\n'
        'source = "s"\npublisher = "重庆市统计局"\ndate = "2021-07-19"\nurl = "https://example.org/p"\narea = "重庆市"\n'
    )

    def test_not_given_period_is_kept_not_defaulted(self, write_file):
        """`period = "not-given"` is a period of its own; the file's default period is not put in its place."""
        text = MINIMAL.replace("city_share_pct = 16.3\n", 'city_share_pct = 16.3\nperiod = "not-given"\n')
        (fact,) = load(write_file(text=text)).facts
        assert fact.period == "not-given"

    def test_city_figure_page_fields_and_context(self, write_file):
        kb = load(write_file(self.CITY + ""))
        figure = kb.city_figures["city.x"]
        assert (figure.publisher, figure.date, figure.url, figure.area) == (
            "重庆市统计局",
            "2021-07-19",
            "https://example.org/p",
            "重庆市",
        )
        text = MINIMAL.replace("city_share_pct = 16.3\n", 'city_share_pct = 16.3\ncity_context = ["city.x"]\n')
        (fact,) = load(write_file(text=text + self.CITY)).facts
        assert fact.city_context == ("city.x",)

    @pytest.mark.parametrize(
        ("edit", "expected"),
        [
            (('date = "2021-07-19"', 'date = "19 July"'), "city.x: date: '19 July' is not a date"),
            (('date = "2021-07-19"', 'date = "2021-13"'), "city.x: date: '2021-13' is not a month"),
            (('url = "https://example.org/p"', "url = 3"), "city.x: url: must be a string"),
        ],
    )
    def test_city_figure_field_problems(self, write_file, edit, expected):
        with pytest.raises(KnowledgeFileError) as e:
            load(write_file(self.CITY.replace(*edit)))
        assert any(str(p).startswith(expected) for p in e.value.problems), e.value.problems

    def test_undeclared_context_figure_is_a_problem(self, write_file):
        text = MINIMAL.replace("city_share_pct = 16.3\n", 'city_share_pct = 16.3\ncity_context = ["city.nope"]\n')
        with pytest.raises(KnowledgeFileError) as e:
            load(write_file(text=text))
        assert "industry.gross-output: city_context: 'city.nope' is not a declared [[city_figures]] id" in [
            str(p) for p in e.value.problems
        ]

    def test_context_survives_the_index(self, write_file):
        """The cached index gives back the same tuple of context ids as the file."""
        text = MINIMAL.replace("city_share_pct = 16.3\n", 'city_share_pct = 16.3\ncity_context = ["city.x"]\n')
        index = index_of(write_file(text=text + self.CITY))
        assert index.fact("industry.gross-output").city_context == ("city.x",)
        assert index.city_figures["city.x"].url == "https://example.org/p"

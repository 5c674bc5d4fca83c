"""`lj-facts schema`: a JSON Schema of every kind of row, which every row the CLI writes validates against."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

import lj_facts
from lj_facts import __version__, fields, schema
from lj_facts.cli import app

from .conftest import docs_script
from .conftest import rows as cli_json
from .test_base import EARLIER, LATER


@pytest.fixture(autouse=True, scope="module")
def _shipped_base(shipped_base_module):
    """The shipped base of every report, as `lj_facts.load()` reads it (conftest)."""


def validator(runner, kind: str) -> Draft202012Validator:
    """The validator of `lj-facts schema KIND`'s output (the CLI's, not the module's)."""
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    Draft202012Validator.check_schema(printed)
    return Draft202012Validator(printed)


def assert_valid(check: Draft202012Validator, rows: list[dict]) -> None:
    assert rows
    for row in rows:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in check.iter_errors(row)]
        assert not errors, (row.get("id") or row.get("slug"), errors)


ROWS = {
    "fact": [
        ("list",),
        ("list", "--city"),
        ("search", "汽车", "--city"),
        ("search", "GDP"),  # a city figure among facts
        ("show", "city.gdp", "industry.gross-output"),
        ("city",),
        ("growth",),
        ("industry", "--city"),
    ],
    "city-figure": [("city-figures",)],
    "topic": [("topics",)],
}


@pytest.mark.parametrize(
    "kind, args", [(k, a) for k, listed in ROWS.items() for a in listed], ids=lambda x: " ".join(x) if x else ""
)
def test_the_clis_rows_validate(runner, kind, args):
    """Every row of these commands' JSON is valid against its kind's schema."""
    assert_valid(validator(runner, kind), cli_json(runner, *args))


def test_series_and_indicator_rows_validate(runner, tmp_path):
    (tmp_path / "a.toml").write_text(EARLIER, encoding="utf-8")
    (tmp_path / "b.toml").write_text(LATER.format(growth="20.0"), encoding="utf-8")
    assert_valid(validator(runner, "series"), cli_json(runner, "--file", str(tmp_path), "series", "output"))
    assert_valid(validator(runner, "indicator"), cli_json(runner, "--file", str(tmp_path), "series"))
    assert_valid(validator(runner, "source"), lj_facts.load(tmp_path).sources.to_records())


def test_the_jsonl_lines_validate(runner):
    result = runner.invoke(app, ["list", "--nl", "--city"])
    check = validator(runner, "fact")
    assert_valid(check, [json.loads(line) for line in result.stdout.splitlines()])


class TestTheSchemas:
    @pytest.mark.parametrize("kind", schema.KINDS)
    def test_every_field_is_described_and_required(self, kind):
        """The properties are the registry's fields, in order, each described; every field of the row is required."""
        made = schema.schema(kind)
        entry = schema.KINDS[kind]
        assert list(made["properties"]) == [f.name for f in (*entry.fields, *entry.optional)]
        assert made["required"] == [f.name for f in entry.fields]
        assert all(p["description"] for p in made["properties"].values())

    def test_the_city_fields_come_all_or_none(self):
        """A fact row with one city field has all of them (`dependentRequired`)."""
        check = Draft202012Validator(schema.schema("fact"))
        row = lj_facts.load().facts[0].to_dict()
        assert check.is_valid(row)
        assert not check.is_valid({**row, "city_total": 1.0})
        assert check.is_valid(lj_facts.load().show(row["id"])[0].to_dict())

    @pytest.mark.parametrize(
        "change",
        [
            {"value": "2008.3"},  # a number as text
            {"kind": "statistic"},  # outside the vocabulary
            {"period": "H1 2021"},  # not a period
            {"topics": "industry"},  # not a list
            {"id": None},  # never null
        ],
    )
    def test_a_wrong_row_is_invalid(self, change):
        row = lj_facts.load().facts[0].to_dict()
        assert not Draft202012Validator(schema.schema("fact")).is_valid({**row, **change})

    def test_a_missing_key_is_invalid(self):
        row = lj_facts.load().facts[0].to_dict()
        del row["note"]
        assert not Draft202012Validator(schema.schema("fact")).is_valid(row)

    def test_a_new_key_is_valid(self):
        """A row with a key this version does not know validates: a minor release may add fields (docs/schema.md)."""
        row = lj_facts.load().facts[0].to_dict()
        assert Draft202012Validator(schema.schema("fact")).is_valid({**row, "added_later": 1})

    def test_the_id_carries_the_version(self, runner):
        """`$id` names the version `lj-facts --version` prints."""
        version = runner.invoke(app, ["--version"]).stdout.split()[-1]
        assert version == __version__
        assert schema.schema("fact")["$id"] == f"urn:lj-facts:{version}:schema:fact"
        assert json.loads(runner.invoke(app, ["schema"]).stdout)["$id"] == f"urn:lj-facts:{version}:schema"

    def test_every_kind_together(self, runner):
        every = json.loads(runner.invoke(app, ["schema"]).stdout)
        assert set(every["$defs"]) == set(schema.KINDS)
        Draft202012Validator.check_schema(every)

    def test_vocabularies_are_the_codes(self):
        """The enums are the code's closed vocabularies (and null where the field may be null)."""
        fact = schema.schema("fact")["properties"]
        assert fact["kind"]["enum"] == ["number", "claim", "city_figure"]
        assert fact["qualifier"]["enum"] == ["exact", "over", "at_least", "about", "nearly", None]
        assert fact["status"]["enum"] == ["result", "target", "forecast", None]
        assert schema.schema("indicator")["properties"]["kind"]["enum"] == ["level", "count", "share", "growth"]
        assert fields.BY_NAME["periods_match"].type == "boolean"
        assert fact["periods_match"]["type"] == ["boolean", "null"]


class TestTheCommand:
    @pytest.mark.parametrize("asked", ["Fact", "city_figure", " topic "])
    def test_a_kind_as_typed(self, runner, asked):
        result = runner.invoke(app, ["schema", asked])
        assert result.exit_code == 0
        assert json.loads(result.stdout)["$id"].endswith(asked.strip().lower().replace("_", "-"))

    def test_an_unknown_kind_names_the_kinds(self, runner):
        result = runner.invoke(app, ["schema", "facts"])
        assert result.exit_code == 2
        assert result.stderr == (
            "lj-facts: schema: no row kind 'facts'; kinds: fact, city-figure, topic, series, indicator, source\n"
        )

    def test_an_ascii_terminal_gets_valid_json(self):
        """Where stdout cannot take Chinese, the schema is escaped JSON, not a broken one (a process: the
        interpreter gives stdout its encoding as it starts)."""
        out = subprocess.run(
            [sys.executable, "-m", "lj_facts", "schema", "fact"],
            capture_output=True,
            env={"PYTHONIOENCODING": "ascii", "PATH": "", "LJ_FACTS_NO_CACHE": "1"},
            check=True,
        )
        assert out.stdout.isascii()
        assert "重庆市" in json.loads(out.stdout)["properties"]["city_share_pct"]["description"]


def test_the_committed_schemas_are_the_codes(monkeypatch, capsys):
    """docs/schema/*.json are what `lj-facts schema` prints (python docs/schemas.py --update rewrites them):
    `python docs/schemas.py --check`, its main() run in-process."""
    monkeypatch.setattr(sys, "argv", ["schemas.py", "--check"])
    assert docs_script("schemas").main() == 0, capsys.readouterr().out

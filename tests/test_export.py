"""`lj-facts export`: SQLite tables with keys and full-text search, Datasette's metadata, served for real."""

from __future__ import annotations

import doctest
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import lj_facts
from lj_facts import export, fields
from lj_facts.cli import app


@pytest.fixture(autouse=True, scope="module")
def _shipped_base(shipped_base_module):
    """The shipped base of every report, as `lj_facts.load()` reads it (conftest)."""


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The shipped base exported once, through the CLI, into a folder of its own."""
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(app, ["export", str(folder / "lj.db")])
    assert result.exit_code == 0, result.stderr
    return folder / "lj.db"


@pytest.fixture
def db(exported):
    conn = sqlite3.connect(exported)
    yield conn
    conn.close()


def columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str, bool, int]]:
    """(name, type, not null, place in the primary key) of each column."""
    return [(r[1], r[2], bool(r[3]), r[5]) for r in conn.execute(f"PRAGMA table_info([{table}])")]


class TestTables:
    def test_the_tables(self, db):
        """The tables of the export, and a full-text index for facts and city figures."""
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {t.name for t in export.TABLES} | {"facts_fts", "city_figures_fts"} <= names
        assert {"facts", "sources", "city_figures", "topics", "fact_topics", "indicators", "series"} <= names

    @pytest.mark.parametrize("table", export.TABLES, ids=lambda t: t.name)
    def test_columns_are_the_registrys_fields_typed(self, db, table):
        """A column a field of the registry, in order, typed from the field's type."""
        want = {"text": "TEXT", "number": "REAL", "integer": "INTEGER", "boolean": "INTEGER", "list": "TEXT"}
        got = columns(db, table.name)
        assert [c[0] for c in got] == [f.name for f in table.columns]
        assert [c[1] for c in got] == [want[f.type] for f in table.columns]

    def test_facts_columns_are_a_shown_facts_keys(self, db):
        assert [c[0] for c in columns(db, "facts")] == list(fields.names(fields.FACT + fields.CITY))

    @pytest.mark.parametrize(
        "table, key",
        [
            ("facts", ["id"]),
            ("sources", ["id"]),
            ("city_figures", ["id"]),
            ("topics", ["slug"]),
            ("indicators", ["slug"]),
            ("series", ["id"]),
            ("fact_topics", ["fact_id", "topic"]),
        ],
    )
    def test_primary_keys(self, db, table, key):
        got = sorted((c[3], c[0]) for c in columns(db, table) if c[3])
        assert [name for _, name in got] == key

    def test_foreign_keys(self, db):
        """A fact refers to its source, indicator and city figure; a link to its fact and topic; and they hold."""

        def keys(table: str) -> set[tuple[str, str, str]]:
            return {(r[3], r[2], r[4]) for r in db.execute(f"PRAGMA foreign_key_list([{table}])")}

        assert keys("facts") == {
            ("source", "sources", "id"),
            ("indicator", "indicators", "slug"),
            ("city_figure", "city_figures", "id"),
        }
        assert keys("fact_topics") == {("fact_id", "facts", "id"), ("topic", "topics", "slug")}
        assert ("growth_checked_against", "facts", "id") in keys("series")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []

    def test_required_fields_are_not_null(self, db):
        not_null = {c[0] for c in columns(db, "facts") if c[2]}
        assert {"id", "topics", "label", "text", "kind", "period", "city_context"} <= not_null
        assert "value" not in not_null


class TestRows:
    def test_facts_are_the_apis_records(self, db):
        """Each fact row is `show --json`'s row: lists as JSON arrays, booleans as 0/1, in the base's order."""
        names = fields.names(fields.FACT + fields.CITY)
        lists = {f.name for f in fields.FACT + fields.CITY if f.type == "list"}
        stored = []
        for row in db.execute("SELECT * FROM facts ORDER BY rowid"):
            record = dict(zip(names, row, strict=True))
            stored.append({k: json.loads(v) if k in lists else v for k, v in record.items()})
        expected = lj_facts.load().list(city=True).to_records()
        for row in expected:
            if row["periods_match"] is not None:
                row["periods_match"] = int(row["periods_match"])
        assert stored == expected

    def test_series_are_the_apis(self, db):
        """The series table holds every indicator's points, as `series()` answers them."""
        kb = lj_facts.load()
        expected = [p for i in kb.indicators for p in kb.series(i.slug).to_records()]
        assert expected, "the shipped base declares indicators"
        names = fields.names(fields.SERIES)
        stored = [dict(zip(names, row, strict=True)) for row in db.execute("SELECT * FROM series ORDER BY rowid")]
        for row in expected:
            row["cumulative"] = int(row["cumulative"])
        assert stored == expected

    def test_links_and_counts(self, db):
        kb = lj_facts.load()
        links = db.execute("SELECT fact_id, topic, is_primary FROM fact_topics ORDER BY rowid").fetchall()
        assert links == [(f.id, t, int(n == 0)) for f in kb.facts for n, t in enumerate(f.topics)]
        counts = dict(db.execute("SELECT slug, facts FROM topics"))
        assert counts == {t.slug: t.facts for t in kb.topics}
        assert db.execute("SELECT count(*) FROM city_figures").fetchone()[0] == len(kb.city_figures)
        assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == len(kb.sources)


class TestFullText:
    @pytest.mark.parametrize(
        "term, expected",
        [
            ("汽车", "auto.output-value"),  # two characters: what the trigram tokenizer cannot find
            ("新能源汽车", "auto.nev-production"),
            ("规上工业总产值", "industry.gross-output"),
            ("vehicle", "auto.nev-production"),  # stemmed: the label says "vehicles"
            ("gross industrial output", "industry.gross-output"),
        ],
    )
    def test_finds_chinese_and_english(self, db, term, expected):
        """A term, quoted as Datasette quotes it, finds the facts whose label or quote holds it."""
        from datasette.utils import escape_fts

        found = [
            r[0]
            for r in db.execute(
                "SELECT id FROM facts WHERE rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)",
                (escape_fts(term),),
            )
        ]
        assert expected in found

    def test_finds_only_what_holds_the_term(self, db):
        found = db.execute(
            "SELECT f.text, f.label FROM facts f JOIN facts_fts s ON f.rowid = s.rowid WHERE facts_fts MATCH '汽车'"
        ).fetchall()
        assert found and all("汽车" in text + label for text, label in found)

    def test_sqlite_utils_finds_it(self, exported):
        """sqlite-utils detects the index and searches it (`sqlite-utils search lj.db facts 汽车`)."""
        sqlite_utils = pytest.importorskip("sqlite_utils")
        table = sqlite_utils.Database(exported)["facts"]
        assert table.detect_fts() == "facts_fts"
        assert "auto.output-value" in [r["id"] for r in table.search("汽车")]

    def test_city_figures_are_searchable(self, db):
        found = db.execute(
            "SELECT id FROM city_figures WHERE rowid IN "
            "(SELECT rowid FROM city_figures_fts WHERE city_figures_fts MATCH '生产总值')"
        ).fetchall()
        assert ("city.gdp",) in found

    def test_searchable_text_examples(self):
        """The docstring examples of `export` hold."""
        assert doctest.testmod(export).failed == 0
        assert export.searchable_text(None) == ""
        assert export.searchable_text("a" * 3) == "aaa"
        assert len(export.searchable_text("汽" * 40).split()) == sum(40 - n + 1 for n in range(1, 17))


class TestMetadata:
    def test_datasette_metadata(self, exported):
        """metadata.json beside the database: title, licence, source, and every column described from the registry."""
        meta = json.loads((exported.parent / "metadata.json").read_text(encoding="utf-8"))
        assert meta["title"].startswith("Liangjiang New Area (两江新区)")
        assert meta["license"] and meta["source"]
        tables = meta["databases"]["lj"]["tables"]
        assert tables["facts"]["columns"]["growth_pct"] == fields.BY_NAME["growth_pct"].meaning
        assert tables["city_figures"]["columns"]["url"] == "the page it was read from"
        assert set(tables["facts"]["columns"]) == set(fields.names(fields.FACT + fields.CITY))
        for table in export.TABLES:
            assert tables[table.name]["description"]
            assert set(tables[table.name]["columns"]) == {c.name for c in table.columns}
        assert tables["facts"]["fts_table"] == "facts_fts" and tables["facts"]["label_column"] == "label"


class TestWriting:
    def test_refuses_to_overwrite(self, runner, tmp_path):
        """A second export to the same file is refused (exit 2), the file untouched; --replace overwrites it."""
        target = tmp_path / "x.db"
        assert runner.invoke(app, ["export", str(target)]).exit_code == 0
        before = target.read_bytes()
        again = runner.invoke(app, ["export", str(target)])
        assert again.exit_code == 2
        assert again.stderr == f"lj-facts: {target}: exists; --replace overwrites it\n"
        assert target.read_bytes() == before
        replaced = runner.invoke(app, ["export", str(target), "--replace"])
        assert replaced.exit_code == 0, replaced.stderr
        assert "wrote" in replaced.stderr and "datasette" in replaced.stderr

    def test_an_existing_metadata_file_is_refused_too(self, runner, tmp_path):
        (tmp_path / "metadata.json").write_text("{}", encoding="utf-8")
        result = runner.invoke(app, ["export", str(tmp_path / "x.db")])
        assert result.exit_code == 2
        assert "metadata.json: exists; --replace overwrites it, --metadata PATH writes it elsewhere" in result.stderr
        assert not (tmp_path / "x.db").exists()
        elsewhere = runner.invoke(app, ["export", str(tmp_path / "x.db"), "--metadata", str(tmp_path / "x.json")])
        assert elsewhere.exit_code == 0, elsewhere.stderr
        assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["databases"]["x"]

    @pytest.mark.parametrize(
        "where, message",
        [
            ("missing/x.db", "cannot be written: its folder does not exist"),
            (".", "is a folder: name the database file to write"),
        ],
    )
    def test_clear_errors(self, runner, tmp_path, where, message):
        result = runner.invoke(app, ["export", str(tmp_path / where)])
        assert result.exit_code == 2
        assert message in result.stderr
        assert "internal error" not in result.stderr

    def test_nothing_half_written_on_failure(self, tmp_path, monkeypatch):
        """A failure while writing leaves neither the files nor anything aside."""

        def fail(conn, tables):
            conn.execute("CREATE TABLE t (x)")
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(export, "write_database", fail)
        with pytest.raises(lj_facts.LjFactsError, match="cannot be written: disk I/O error"):
            export.export(lj_facts.load(), tmp_path / "x.db")
        assert list(tmp_path.iterdir()) == []

    def test_interrupted_leaves_nothing(self, tmp_path, monkeypatch):
        def interrupt(conn, tables):
            raise KeyboardInterrupt

        monkeypatch.setattr(export, "write_database", interrupt)
        with pytest.raises(KeyboardInterrupt):
            export.export(lj_facts.load(), tmp_path / "x.db")
        assert list(tmp_path.iterdir()) == []

    def test_file_option(self, runner, tmp_path, write_file):
        """--file exports that base, as every command reads it."""
        path = write_file()
        result = runner.invoke(app, ["export", str(tmp_path / "mine.db"), "--file", str(path)])
        assert result.exit_code == 0, result.stderr
        conn = sqlite3.connect(tmp_path / "mine.db")
        assert conn.execute("SELECT id, source FROM facts").fetchall() == [("industry.gross-output", "report")]
        conn.close()

    def test_permissions_follow_the_umask(self, runner, tmp_path):
        old = os.umask(0o022)
        try:
            assert runner.invoke(app, ["export", str(tmp_path / "x.db")]).exit_code == 0
        finally:
            os.umask(old)
        assert (tmp_path / "x.db").stat().st_mode & 0o777 == 0o644


# --- Datasette, served for real ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def datasette(exported):
    """Datasette serving the export on the loopback address, a process of its own; its base URL."""
    pytest.importorskip("datasette")
    port = _free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(exported), "-m", str(exported.parent / "metadata.json")]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"datasette did not start: {process.communicate()[1][-2000:]}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class TestDatasette:  # about 1.5 s in all, the server's start included: not marked slow
    def test_search_page_in_chinese(self, datasette):
        """The facts table's page searches 汽车 and shows the rows, the metadata's description above them."""
        status, page = _get(datasette + "/lj/facts?_search=" + urllib.parse.quote("汽车"))
        assert status == 200
        assert "rows where search matches" in page
        assert "automotive industry output value" in page
        assert "the report&#39;s words" in page or "the report's words" in page  # a column's description

    def test_json_api(self, datasette):
        """`/lj/facts.json?_search=…` answers rows of the facts that hold the term."""
        query = urllib.parse.urlencode({"_search": "汽车", "_shape": "array", "_col": ["label", "text"]}, doseq=True)
        status, body = _get(f"{datasette}/lj/facts.json?{query}")
        rows = json.loads(body)
        assert status == 200 and rows
        assert all("汽车" in r["text"] + r["label"] for r in rows)
        assert "auto.output-value" in [r["id"] for r in rows]

    def test_a_row_and_its_source(self, datasette):
        """The foreign keys are links: a fact's source (by its title), the topics linking to a fact; the
        row's JSON has its values."""
        from datasette.utils import tilde_encode  # Datasette's escape of the dot in a key (industry~2Egross-output)

        _, listed = _get(datasette + "/lj/facts?id=industry.gross-output")
        assert '<a href="/lj/sources/liangjiang-report-2021-h1">两江新区2021年上半年' in listed
        row = f"{datasette}/lj/facts/{tilde_encode('industry.gross-output')}"
        status, page = _get(row)
        assert status == 200 and "两江新区规上工业总产值达2008.3亿元" in page
        assert "/lj/fact_topics?fact_id=industry.gross-output" in page
        _, body = _get(row + ".json?_shape=array")
        assert json.loads(body)[0]["value"] == 2008.3

    def test_metadata_is_read(self, datasette):
        _, body = _get(datasette + "/-/metadata.json")
        assert json.loads(body)["databases"]["lj"]["tables"]["facts"]["fts_table"] == "facts_fts"
        _, page = _get(datasette + "/")
        assert "Liangjiang New Area (两江新区)" in page

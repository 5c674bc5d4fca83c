"""`lj-facts export FILE.db`: a knowledge base as SQLite tables, for Datasette and sqlite-utils.

The rows are the API's records (`api.Base`), so a table's columns are the JSON fields of its kind
of row, typed (`text` TEXT, `number` REAL, `integer` and `boolean` INTEGER, a list TEXT holding a
JSON array), with primary keys, foreign keys (a fact to its source, indicator and city figure; a
link to its fact and topic) and descriptions taken from the field registry (`fields`) into the
`metadata.json` that Datasette reads.

Full-text search (FTS5) over the facts' labels and quotes, Chinese included: SQLite's trigram
tokenizer matches no term shorter than three characters, and most Chinese words are two (汽车,
工业), so the index holds each run of Chinese characters as its substrings of up to
`LONGEST_TERM` characters, under the `unicode61` tokenizer (with Porter stemming for English).
A Chinese term of up to that length then matches wherever it stands inside a label or quote,
on any SQLite with FTS5. The index is external-content (`content=[facts]`), so Datasette and
sqlite-utils find it; rebuilding it from the table (`sqlite-utils rebuild-fts`) would index the
plain text, and Chinese terms would then match whole runs only.

Nothing half-written is left: both files are written aside and renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sqlite3
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__, fields, schema
from .errors import ExportError, count, one_line
from .fields import Field

if TYPE_CHECKING:
    from .api import Base

LONGEST_TERM = 16
"""The longest run of Chinese characters a full-text term matches inside a label or quote."""

TOKENIZER = "porter unicode61 remove_diacritics 2"
"""The FTS5 tokenizer: words (stemmed) for English, every substring written out for Chinese."""

_SQL_TYPE = {"text": "TEXT", "number": "REAL", "integer": "INTEGER", "boolean": "INTEGER", "list": "TEXT"}


class Table(NamedTuple):
    """A table of the export: its columns (fields of the registry), keys and description."""

    name: str
    description: str
    columns: tuple[Field, ...]
    primary_key: tuple[str, ...]
    never_null: frozenset[str] = frozenset()
    foreign_keys: Mapping[str, tuple[str, str]] = {}
    """Column → (table, column) it refers to."""
    label: str | None = None
    """The column Datasette shows for a row that another table's key refers to."""
    search: tuple[str, ...] = ()
    """The columns of its full-text index, `<name>_fts`; none: no index."""

    def sql(self) -> str:
        """The CREATE TABLE statement."""
        lines = [
            f"[{c.name}] {_SQL_TYPE[c.type]}" + (" NOT NULL" if c.name in self.never_null or c.type == "list" else "")
            for c in self.columns
        ]
        lines.append(f"PRIMARY KEY ({', '.join(f'[{k}]' for k in self.primary_key)})")
        lines += [f"FOREIGN KEY ([{c}]) REFERENCES [{t}] ([{k}])" for c, (t, k) in self.foreign_keys.items()]
        return f"CREATE TABLE [{self.name}] (\n    " + ",\n    ".join(lines) + "\n)"


FACT_TOPICS = (
    Field("fact_id", "text", "the fact's id"),
    Field("topic", "text", "a topic's slug"),
    Field("is_primary", "boolean", "1 for the fact's primary topic (the first of its `topics`), else 0"),
)
"""The columns of `fact_topics`, the link of each fact to each of its topics."""


def _never_null(kind: str) -> frozenset[str]:
    return schema.KINDS[kind].never_null


TABLES: tuple[Table, ...] = (
    Table(
        "sources",
        "The documents the facts quote: each fact's `source` names one.",
        fields.SOURCE,
        ("id",),
        _never_null("source"),
        label="title",
    ),
    Table(
        "topics",
        "The subjects the facts are filed under; `fact_topics` links them to their facts.",
        fields.TOPIC,
        ("slug",),
        _never_null("topic"),
        label="name",
    ),
    Table(
        "indicators",
        "Measures that recur across reports; `series` lines their facts up over time.",
        fields.INDICATOR,
        ("slug",),
        _never_null("indicator"),
        label="label",
    ),
    Table(
        "city_figures",
        "Figures the city (重庆市) published for its whole territory: not from the reports. The facts compare "
        "with them.",
        fields.CITY_FIGURE,
        ("id",),
        _never_null("city-figure"),
        label="label",
        search=("label", "label_zh"),
    ),
    Table(
        "facts",
        "Every fact, as `lj-facts show ID --json` writes it: the report's words (`text`) and its figures, then "
        "the comparison with the city (the `city_` columns).",
        fields.FACT + fields.CITY,
        ("id",),
        _never_null("fact"),
        {"source": ("sources", "id"), "indicator": ("indicators", "slug"), "city_figure": ("city_figures", "id")},
        label="label",
        search=("label", "text"),
    ),
    Table(
        "fact_topics",
        "Which topics each fact is filed under: a row a fact and topic.",
        FACT_TOPICS,
        ("fact_id", "topic"),
        frozenset(f.name for f in FACT_TOPICS),
        {"fact_id": ("facts", "id"), "topic": ("topics", "slug")},
    ),
    Table(
        "series",
        "The facts of each indicator over time, as `lj-facts series INDICATOR --json` writes them: the stated "
        "growth checked against the levels of the same span a year before.",
        fields.SERIES,
        ("id",),
        _never_null("series"),
        {
            "id": ("facts", "id"),
            "indicator": ("indicators", "slug"),
            "source": ("sources", "id"),
            "growth_checked_against": ("facts", "id"),
        },
        label="span",
    ),
)
"""The tables, in the order they are filled (a table before those that refer to it)."""


class Exported(NamedTuple):
    """What an export wrote."""

    database: Path
    metadata: Path
    rows: dict[str, int]
    """How many rows each table holds."""
    searchable: bool
    """Whether the SQLite at hand has FTS5: without it, the tables are written without a full-text index."""


_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")


def searchable_text(text: str | None, longest: int = LONGEST_TERM) -> str:
    """The text as the full-text index holds it: each run of Chinese characters written out as its
    substrings of up to `longest` characters (a word each), everything else as it is.

    >>> searchable_text("GDP 汽车产值")
    'GDP 汽 车 产 值 汽车 车产 产值 汽车产 车产值 汽车产值'
    """
    if not text:
        return ""

    def grams(match: re.Match[str]) -> str:
        run = match.group()
        pieces = [run[i : i + n] for n in range(1, min(len(run), longest) + 1) for i in range(len(run) - n + 1)]
        return " " + " ".join(pieces) + " "

    return " ".join(_CHINESE.sub(grams, text).split())


def _value(value: Any) -> Any:
    """A row's value as SQLite stores it: a list as a JSON array."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, tuple)) else value


def rows(kb: Base) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows, from the API's records: the JSON rows of the CLI."""
    facts = kb.list(city=True)
    series = []
    for indicator in kb.indicators:
        series += kb.series(indicator.slug).to_records()
    links = [{"fact_id": f.id, "topic": topic, "is_primary": n == 0} for f in facts for n, topic in enumerate(f.topics)]
    return {
        "sources": kb.sources.to_records(),
        "topics": kb.topics.to_records(),
        "indicators": kb.indicators.to_records(),
        "city_figures": kb.city_figures.to_records(),
        "facts": facts.to_records(),
        "fact_topics": links,
        "series": series,
    }


def has_fts5() -> bool:
    """Whether this Python's SQLite has FTS5."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def write_database(conn: sqlite3.Connection, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> bool:
    """Create and fill the tables (keys checked as they are filled), and their full-text indexes where
    SQLite has FTS5; whether it has."""
    conn.execute("PRAGMA foreign_keys = ON")
    searchable = has_fts5()
    with conn:
        for table in TABLES:
            conn.execute(table.sql())
            names = [c.name for c in table.columns]
            insert = f"INSERT INTO [{table.name}] VALUES ({', '.join('?' * len(names))})"
            conn.executemany(insert, ([_value(row[n]) for n in names] for row in tables[table.name]))
            if table.search and searchable:
                _index(conn, table)
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:  # the loader checks every reference: this would be a bug
        raise AssertionError(f"the export's foreign keys do not hold: {problems[:3]}")
    return searchable


def _index(conn: sqlite3.Connection, table: Table) -> None:
    columns = ", ".join(f"[{c}]" for c in table.search)
    conn.execute(
        f"CREATE VIRTUAL TABLE [{table.name}_fts] USING fts5({columns}, content=[{table.name}], tokenize='{TOKENIZER}')"
    )
    found = conn.execute(f"SELECT rowid, {columns} FROM [{table.name}]").fetchall()
    conn.executemany(
        f"INSERT INTO [{table.name}_fts] (rowid, {columns}) VALUES (?{', ?' * len(table.search)})",
        ((row[0], *map(searchable_text, row[1:])) for row in found),
    )


def metadata(kb: Base, database: str, searchable: bool = True) -> dict[str, Any]:
    """Datasette's metadata for the export: title, source, licence, and each table's and column's description."""
    first = kb.sources[0] if kb.sources else None
    meta = kb.meta
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {c.name: c.meaning for c in table.columns},
        }
        if table.label:
            entry["label_column"] = table.label
        if table.search and searchable:
            entry["fts_table"] = f"{table.name}_fts"
            entry["description"] += (
                f" Full-text search over {' and '.join(table.search)}, Chinese terms of up to {LONGEST_TERM} "
                "characters inside any word included."
            )
        if table.name == "facts":
            entry["facets"] = ["kind", "period", {"array": "topics"}]
        tables[table.name] = entry
        if table.search and searchable:
            tables[f"{table.name}_fts"] = {"hidden": True}
    out: dict[str, Any] = {
        "title": f"{meta.region} ({meta.region_zh}): facts and figures",
        "description": (
            f"Facts and figures of {meta.region} ({meta.region_zh}), {meta.city} ({meta.city_zh}), each with the "
            f"report's own words: {len(kb.files)} knowledge file(s), exported by lj-facts {__version__}."
        ),
        "license": "lj-facts: MIT; the quotes are the reports' own words, each fact names its source",
        "source": first.title
        if len(kb.sources) == 1 and first
        else f"{count(len(kb.sources), 'report')}: the sources table",
        "about": f"lj-facts {__version__}",
        "databases": {
            database: {
                "title": f"{meta.region} ({meta.region_zh})",
                "description": (
                    "Source: " + kb.sources[0].title
                    if len(kb.sources) == 1
                    else f"{count(len(kb.sources), 'source')}: the sources table lists them"
                ),
                "tables": tables,
            }
        },
    }
    if len(kb.sources) == 1 and first is not None and first.url:
        out["source_url"] = first.url
    return out


def _refuse(path: Path, replace: bool, what: str, base: Sequence[str] = ()) -> None:
    """ExportError where `path` cannot be written: a folder, a missing folder, or a file that exists
    (unless `replace`). Never, even with `replace`: `-` (a database is no stream), a device, FIFO or
    socket (the rename would put a file in its place: `/dev/null` as root), or a knowledge file of the
    `base` being exported."""
    if str(path) == "-":
        raise ExportError(str(path), f"names stdout: the {what} is written to a file, name it")
    with contextlib.suppress(OSError, ValueError):
        mode = os.lstat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode)):
            raise ExportError(str(path), f"is not a file (a device, a FIFO or a socket): name the {what} file to write")
        for known in base:
            with contextlib.suppress(OSError, ValueError):
                if os.path.samefile(path, known):
                    raise ExportError(str(path), "is a knowledge file of the base being exported: name another file")
    if path.is_dir():
        raise ExportError(str(path), f"is a folder: name the {what} file to write")
    if not path.parent.is_dir():
        raise ExportError(str(path), "cannot be written: its folder does not exist")
    if (path.exists() or path.is_symlink()) and not replace:
        elsewhere = ", --metadata PATH writes it elsewhere" if what == "metadata" else ""
        raise ExportError(str(path), f"exists; --replace overwrites it{elsewhere}")


@contextlib.contextmanager
def _aside(path: Path) -> Iterator[Path]:
    """A new file beside `path` to write it into, removed (with SQLite's journal) unless renamed onto `path`."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # the umask's permissions, not 0600
    try:
        yield temp
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def export(
    kb: Base,
    database: str | os.PathLike[str],
    metadata_path: str | os.PathLike[str] | None = None,
    replace: bool = False,
) -> Exported:
    """Write the knowledge base as an SQLite database, and Datasette's metadata (default: `metadata.json`
    beside it). An existing file is refused unless `replace`; nothing half-written is ever left."""
    target = Path(database)
    _refuse(target, replace, "database", kb.files)
    described = Path(metadata_path) if metadata_path is not None else target.with_name("metadata.json")
    _refuse(described, replace, "metadata", kb.files)
    if os.path.abspath(described) == os.path.abspath(target):
        raise ExportError(str(described), "is the database itself: give the metadata another name")
    tables = rows(kb)
    try:
        with _aside(target) as db_temp, _aside(described) as meta_temp:
            conn = sqlite3.connect(db_temp)
            try:
                searchable = write_database(conn, tables)
            finally:
                conn.close()
            text = json.dumps(metadata(kb, target.stem, searchable), ensure_ascii=False, indent=2) + "\n"
            meta_temp.write_text(text, encoding="utf-8")
            if not replace:  # written by someone else meanwhile
                _refuse(target, replace, "database")
                _refuse(described, replace, "metadata")
            os.replace(meta_temp, described)
            os.replace(db_temp, target)
    except (OSError, sqlite3.Error) as e:
        where = getattr(e, "filename", None) or target
        reason = getattr(e, "strerror", None) or str(e)
        raise ExportError(str(where), f"cannot be written: {reason}") from None
    return Exported(target, described, {name: len(found) for name, found in tables.items()}, searchable)


def summary(done: Exported) -> str:
    """One line on what an export wrote, and how to serve it."""
    n = done.rows
    counts = ", ".join(
        count(n[table], word)
        for table, word in (
            ("facts", "fact"),
            ("city_figures", "city figure"),
            ("topics", "topic"),
            ("sources", "source"),
        )
    )
    fts = "" if done.searchable else "; this SQLite has no FTS5: no full-text index"
    database, described = (one_line(str(p)) for p in (done.database, done.metadata))  # a line break as \\n
    return f"wrote {database} ({counts}) and {described}{fts}; browse it with `datasette {database} -m {described}`"

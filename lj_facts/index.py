"""The queries every command asks, answered from an SQLite index of a knowledge file.

The index is built from a checked `KnowledgeBase` and kept in the user's cache folder, so a later
look-up neither parses the TOML nor loads every fact. With no usable cache folder (or
`--no-cache`) the same index is built in memory: one implementation answers both ways.

Freshness: the cache records the file's path, size, times, inode and a BLAKE2 digest of its bytes.
A file whose stat matches, and was not modified within `RACY_NS` of the cache's build, is trusted
on its stat; any other file is hashed, and a different digest rebuilds the index. The cache is
written aside and renamed into place, so concurrent builders never see half an index.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from itertools import accumulate
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import __version__
from .model import FACT_FIELDS, CityFigure, Fact, Kind, KnowledgeBase, Meta, Qualifier, Source, Topic

FORMAT = f"lj-facts index 7 ({__version__})"
"""Written into every index; an index of another format or version is rebuilt."""
RACY_NS = 2_000_000_000
"""A file modified this close to (or after) the index build is checked by its digest, not its stat."""


def _names(record: Any) -> tuple[str, ...]:
    """The fields of a record type: the Fact dataclass, or a named tuple."""
    return FACT_FIELDS if record is Fact else tuple(record._fields)


def _columns(record: Any) -> str:
    return ", ".join(_names(record))


_SCHEMA = f"""
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE meta ({_columns(Meta)});
CREATE TABLE city_figures ({_columns(CityFigure)});
CREATE TABLE sources (position INTEGER PRIMARY KEY, {_columns(Source)});
CREATE TABLE topics (position INTEGER PRIMARY KEY, {_columns(Topic)});
CREATE TABLE topic_names (name TEXT NOT NULL, slug TEXT NOT NULL);
CREATE TABLE facts (position INTEGER PRIMARY KEY, city INTEGER NOT NULL, {_columns(Fact)});
CREATE TABLE haystack (first INTEGER PRIMARY KEY, starts BLOB NOT NULL, text BLOB NOT NULL);
CREATE UNIQUE INDEX facts_id ON facts (id);
CREATE TABLE fact_topics (topic TEXT NOT NULL, secondary INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_DROP = """
DROP TABLE IF EXISTS info; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS city_figures; DROP TABLE IF EXISTS sources;
DROP TABLE IF EXISTS topics; DROP TABLE IF EXISTS topic_names;
DROP TABLE IF EXISTS facts; DROP TABLE IF EXISTS haystack; DROP TABLE IF EXISTS fact_topics;
DROP TABLE IF EXISTS words;
"""
_INDEXES = """
CREATE INDEX topic_names_name ON topic_names (name);
CREATE INDEX fact_topics_topic ON fact_topics (topic, secondary, position);
"""


def shipped_path() -> Path:
    """The knowledge file that comes with the package.

    The wheel carries it inside the package, beside this module; a source checkout keeps it at the
    top level. A package loaded from a zip reaches it through importlib.resources.
    """
    here = Path(__file__).with_name("facts.toml")
    if here.is_file():
        return here
    checkout = Path(__file__).resolve().parent.parent / "facts.toml"
    if checkout.is_file():
        return checkout
    from importlib import resources

    with resources.as_file(resources.files(__package__ or "lj_facts") / "facts.toml") as extracted:
        return Path(extracted)


def _digest_bytes(raw: bytes) -> str:
    import hashlib

    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _digest(path: Path) -> str:
    """BLAKE2b of the file's bytes, read a piece at a time (memory stays flat for any size)."""
    import hashlib

    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as f:
        for piece in iter(lambda: f.read(1 << 20), b""):
            h.update(piece)
    return h.hexdigest()


def _signature(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


# --- Records to rows and back ------------------------------------------------------------------
# A record is stored a field a column (no JSON to decode on the start-up path); a tuple field
# (topics, aliases, names, city_context) as its items joined by the unit separator, an enum as its value.

_SEP = "\x1f"
_FACT_COLUMNS = _columns(Fact)


_fact_values = attrgetter(*FACT_FIELDS)


def _row(record: Any) -> tuple[Any, ...]:
    values = _fact_values(record) if isinstance(record, Fact) else record
    return tuple(_SEP.join(v) if isinstance(v, tuple) else v.value if isinstance(v, Enum) else v for v in values)


def _items(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEP)) if text else ()


_TUPLE_AT = tuple(FACT_FIELDS.index(name) for name in ("topics", "city_context"))
_QUALIFIER_AT = tuple(FACT_FIELDS.index(name) for name in ("qualifier", "growth_qualifier", "city_share_qualifier"))
_KIND_AT = FACT_FIELDS.index("kind")


def _fact(row: Sequence[Any]) -> Fact:
    """A fact from its row: positions found by field name, so a new field goes anywhere in `Fact`."""
    values = list(row)
    for i in _TUPLE_AT:
        values[i] = _items(values[i])
    for i in _QUALIFIER_AT:
        values[i] = Qualifier(values[i])
    values[_KIND_AT] = Kind(values[_KIND_AT])
    return Fact(*values)


def _topic(row: Sequence[Any]) -> Topic:
    slug, name, name_zh, aliases, description = row
    return Topic(slug, name, name_zh, _items(aliases), description)


# --- Building ----------------------------------------------------------------------------------

PARALLEL_BYTES = 4 << 20
"""Knowledge files larger than this are parsed and indexed in parallel, a share of the facts a core."""


def build(kb: KnowledgeBase, conn: sqlite3.Connection, info: dict[str, str]) -> None:
    """Write the index of `kb` into an empty database."""
    conn.executescript(_SCHEMA)
    _insert_header(conn, kb.meta, kb.topics, kb.city_figures, kb.sources, info)
    _insert_facts(conn, kb.facts, 0)
    conn.executescript(_INDEXES)
    conn.commit()


def _insert_header(
    conn: sqlite3.Connection,
    meta: Meta,
    topics: dict[str, Topic],
    city: dict[str, CityFigure],
    sources: Sequence[Source],
    info: dict[str, str],
) -> None:
    conn.executemany("INSERT INTO info VALUES (?, ?)", {**info, "format": FORMAT}.items())
    conn.execute(f"INSERT INTO meta VALUES ({', '.join('?' * len(_names(Meta)))})", _row(meta))
    conn.executemany(
        f"INSERT INTO city_figures VALUES ({', '.join('?' * len(_names(CityFigure)))})", map(_row, city.values())
    )
    conn.executemany(
        f"INSERT INTO sources VALUES (?, {', '.join('?' * len(_names(Source)))})",
        ((i, *_row(s)) for i, s in enumerate(sources)),
    )
    conn.executemany(
        f"INSERT INTO topics VALUES (?, {', '.join('?' * len(_names(Topic)))})",
        ((i, *_row(t)) for i, t in enumerate(topics.values())),
    )
    conn.executemany(
        "INSERT INTO topic_names VALUES (?, ?)",
        {(n.strip().casefold(), t.slug) for t in topics.values() for n in t.names},
    )


HAYSTACK_FACTS = 4096
"""Facts a haystack row holds: what a search reads at a time (about a megabyte)."""


def _haystacks(facts: Sequence[Fact], first: int) -> Iterator[tuple[int, bytes, bytes]]:
    """The facts' search texts, concatenated a few thousand at a time, with where each one starts.

    The facts of a haystack have the positions `first`, `first + 1`, … in file order.

    A search finds its needles with `bytes.find`, an order of magnitude faster than SQLite's
    `instr()` row by row, and reads one haystack at a time, so its memory stays flat.
    """
    from .search import search_text

    for at in range(0, len(facts), HAYSTACK_FACTS):
        texts = [b"\n" + search_text(f).encode("utf-8") for f in facts[at : at + HAYSTACK_FACTS]]
        starts = array("q", accumulate((len(t) for t in texts[:-1]), initial=0))
        yield first + at, starts.tobytes(), b"".join(texts)


def _insert_facts(conn: sqlite3.Connection, facts: Sequence[Fact], first: int) -> None:
    """Rows for the facts, numbered from `first` in file order."""
    from .search import words as label_words

    words: set[str] = set()

    def fact_rows() -> Iterable[tuple[Any, ...]]:
        for i, f in enumerate(facts, first):
            city = f.city_share_pct is not None or f.city_growth_gap_pp is not None or f.city_figure is not None
            words.update(label_words(f.label))
            yield i, city, *_row(f)

    conn.executemany(f"INSERT INTO facts VALUES (?, ?, {', '.join('?' * len(FACT_FIELDS))})", fact_rows())
    conn.executemany("INSERT INTO haystack VALUES (?, ?, ?)", _haystacks(facts, first))
    conn.executemany(
        "INSERT INTO fact_topics VALUES (?, ?, ?)",
        ((t, n > 0, i) for i, f in enumerate(facts, first) for n, t in enumerate(f.topics)),
    )
    conn.executemany("INSERT OR IGNORE INTO words VALUES (?)", ((w,) for w in words if len(w) > 3))


_FACTS_HEADER = "\n[[facts]]\n"
"""Where a share of a large file may begin: a plain [[facts]] header line."""
_CHUNK: dict[str, Any] = {}
"""What the forked workers of `_build_parallel` read: inherited, never pickled."""


def _build_parallel(text: str, name: str, conn: sqlite3.Connection, info: dict[str, str]) -> bool:
    """Index a large file with a worker a core, each parsing and indexing a share of its [[facts]].

    Only a file every part of which checks out is indexed this way; for anything else (a TOML or
    schema error, a duplicate id across shares, a layout it does not expect) it returns False, and
    the caller parses the whole file in one piece, which reports every problem exactly.
    """
    import multiprocessing
    import tempfile

    from .load import _city_figures, _meta, _set_aside, _sources, _topics, parse_toml, references

    workers = min(os.cpu_count() or 1, 8)
    shares = 4 * workers  # more shares than workers: a faster core takes more of them
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    bounds: list[int] = []
    for k in range(shares):  # the first [[facts]] header at or after each k/shares of the text
        at = text.find(_FACTS_HEADER, len(text) * k // shares if k else 0)
        if at < 0 or (bounds and at <= bounds[-1]):
            return False
        bounds.append(at + 1)
    bounds.append(len(text))
    try:
        head = parse_toml(text[: bounds[0]].encode("utf-8"), name)
    except Exception:
        return False
    problems: list[Any] = []
    meta, topics = _meta(head.get("meta"), problems), _topics(head.get("topics"), problems)
    if problems or meta is None or set(head) - {"meta", "topics", "sources", "city_figures", "set_aside"}:
        return False
    sources = _sources(head.get("sources", []), problems, meta)
    if problems:
        return False
    with tempfile.TemporaryDirectory(prefix="lj-facts-") as tmp:
        source = sources[0].id if sources else None
        _CHUNK.update(
            text=text, bounds=bounds, topics=topics, period=meta.default_period, source=source, tmp=tmp, name=name
        )
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_build_chunk, range(shares), chunksize=1)
        finally:
            _CHUNK.clear()
        if any(r is None for r in results):
            return False
        city_tables = [head.get("city_figures")] + [r[0].get("city_figures") for r in results if r]
        present = [t for t in city_tables if t is not None]
        if len(present) > 1 or any(set(r[0]) - {"city_figures", "set_aside"} for r in results if r):
            return False
        city = _city_figures(present[0] if present else [], problems, meta.city_zh)
        # The index holds no set-aside sentences (only `validate` reads them), but they must hold.
        aside = [head.get("set_aside", [])] + [r[0].get("set_aside", []) for r in results if r]
        _set_aside([e for part in aside if isinstance(part, list) for e in part], problems)
        if any(not isinstance(part, list) for part in aside):
            return False
        if problems or any(references(r[1], city, {s.id for s in sources}) for r in results if r):
            return False
        conn.executescript(_SCHEMA)
        _insert_header(conn, meta, topics, city, sources, info)
        try:
            for k in range(shares):
                conn.execute("ATTACH DATABASE ? AS part", (os.path.join(tmp, f"{k}.sqlite3"),))
                conn.execute("INSERT INTO main.facts SELECT * FROM part.facts")
                conn.execute("INSERT INTO main.haystack SELECT * FROM part.haystack")
                conn.execute("INSERT INTO fact_topics SELECT * FROM part.fact_topics")
                conn.execute("INSERT OR IGNORE INTO words SELECT * FROM part.words")
                conn.commit()
                conn.execute("DETACH DATABASE part")
        except sqlite3.IntegrityError:  # the same id in two shares
            return False
        if conn.execute("SELECT 1 FROM facts JOIN city_figures USING (id) LIMIT 1").fetchone():
            return False  # a fact and a city figure of the same id: the one-piece load says so
    conn.executescript(_INDEXES)
    conn.commit()
    return True


def _build_chunk(k: int) -> tuple[dict[str, Any], list[Fact]] | None:
    """In a worker: parse, check and index share `k` of the facts; None if it does not check out."""
    from .load import _fact, parse_toml

    text, bounds, topics = _CHUNK["text"], _CHUNK["bounds"], _CHUNK["topics"]
    try:
        doc = parse_toml(text[bounds[k] : bounds[k + 1]].encode("utf-8"), _CHUNK["name"])
    except Exception:
        return None
    problems: list[Any] = []
    period = _CHUNK["period"]
    source = _CHUNK["source"]
    facts = [_fact(entry, str(i), topics, problems, period, source) for i, entry in enumerate(doc.pop("facts", []))]
    checked = [f for f in facts if f is not None]
    if problems or len({f.id for f in checked}) != len(facts):
        return None
    conn = sqlite3.connect(os.path.join(_CHUNK["tmp"], f"{k}.sqlite3"))
    conn.executescript(_SCHEMA.replace("UNIQUE INDEX", "INDEX"))  # the parent's table checks ids across shares
    _insert_facts(conn, checked, k << 40)
    conn.commit()
    conn.close()
    # What the parent checks against the file's city figures and sources: the facts that name any.
    return doc, [f for f in checked if f.city_figure or f.city_context or f.source != source]


# --- Opening -----------------------------------------------------------------------------------


def cache_dir() -> Path:
    """LJ_FACTS_CACHE_DIR, else $XDG_CACHE_HOME/lj-facts, else ~/.cache/lj-facts."""
    if os.environ.get("LJ_FACTS_CACHE_DIR"):
        return Path(os.environ["LJ_FACTS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lj-facts"


def open_index(path: Path, cache: Path | None) -> Index:
    """The index of the knowledge file at `path`: from `cache` when fresh, else built (and cached if it can be)."""
    source = Path(os.path.abspath(path))
    cached = None
    if cache is not None:
        cached = cache / _cache_name(source)
        with contextlib.suppress(OSError):
            index = _open_cached(cached, source, source.stat())
            if index is not None:
                return index
    from .load import parse, parse_toml, read_bytes

    try:
        st = source.stat()  # before the read: an edit during it then shows as a changed file
    except OSError:
        st = None  # read_bytes says what is wrong with the path
    raw = read_bytes(source)
    info = {
        "path": str(source),
        "signature": _signature(st) if st else "",
        "digest": _digest_bytes(raw),
        "built": str(time.time_ns()),
    }

    def fill(conn: sqlite3.Connection) -> None:
        """Index the file into `conn`: in parallel where it is large and sound, else in one piece."""
        if len(raw) > PARALLEL_BYTES:
            with contextlib.suppress(UnicodeDecodeError):
                if _build_parallel(raw.decode("utf-8"), str(path), conn, info):
                    return
            conn.executescript(_DROP)
        build(parse(parse_toml(raw, str(path)), str(path)), conn, info)

    if cached is not None:
        index = _write_cache(fill, cached)
        if index is not None:
            return index
    conn = sqlite3.connect(":memory:")
    fill(conn)
    return Index(conn)


def _cache_name(source: Path) -> str:
    """A readable, unique file name for the index of `source` (the path is checked again inside)."""
    raw = os.fsencode(source)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", str(source))[-80:].strip("_")
    return f"{readable}-{zlib.crc32(raw):08x}.sqlite3"


def _open_cached(cached: Path, source: Path, st: os.stat_result) -> Index | None:
    """The cached index if it exists, is sound, belongs to `source` and is fresh; else None."""
    if not cached.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{cached.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        info = dict(conn.execute("SELECT key, value FROM info").fetchall())
        if info.get("format") != FORMAT or info.get("path") != str(source):
            conn.close()
            return None
        racy = st.st_mtime_ns + RACY_NS >= int(info.get("built", "0"))
        trusted = info.get("signature") == _signature(st) and not racy
        if not trusted:
            if _digest(source) != info.get("digest"):
                conn.close()
                return None
            _vouch(cached, st)
        return Index(conn)
    except (sqlite3.Error, ValueError, KeyError, TypeError, OSError):
        conn.close()
        return None


def _vouch(cached: Path, st: os.stat_result) -> None:
    """Record that the file with this stat matches the index, so the next look-up need not hash it again.

    Only once the file is out of the racy window: an edit in the same clock tick could keep its stat.
    """
    now = time.time_ns()
    if now < st.st_mtime_ns + RACY_NS:
        return
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(cached, timeout=0.1)) as conn:
        conn.executemany(
            "UPDATE info SET value = ? WHERE key = ?", ((_signature(st), "signature"), (str(now), "built"))
        )
        conn.commit()


def _write_cache(fill: Callable[[sqlite3.Connection], None], cached: Path) -> Index | None:
    """Build the index aside and rename it into place; None where the cache folder is not writable."""
    import tempfile

    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".building-", suffix=".sqlite3")
    except OSError:
        return None
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        conn.execute("PRAGMA page_size = 16384")  # haystacks span fewer overflow pages: a search reads them faster
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        fill(conn)
        conn.close()
        os.replace(tmp, cached)
    except (OSError, sqlite3.Error):
        Path(tmp).unlink(missing_ok=True)
        return None
    try:
        return Index(sqlite3.connect(f"{cached.as_uri()}?mode=ro", uri=True))
    except sqlite3.Error:  # pragma: no cover - replaced between the rename and the open
        return None


# --- Querying ----------------------------------------------------------------------------------


class Index:
    """Read-only queries over one knowledge file's index."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        row = conn.execute(f"SELECT {_columns(Meta)} FROM meta").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("the index has no meta row")
        *fields, names = row
        self.meta = Meta._make([*fields, _items(names)])
        self.city_figures = {
            r[0]: CityFigure(*r) for r in conn.execute(f"SELECT {_columns(CityFigure)} FROM city_figures")
        }
        self.sources = {
            r[0]: Source(*r) for r in conn.execute(f"SELECT {_columns(Source)} FROM sources ORDER BY position")
        }

    def record(self, record_id: str) -> Fact | CityFigure | None:
        """The fact or the city figure with this id: the one place an id given by a user is resolved."""
        return self.fact(record_id) or self.city_figures.get(record_id)

    def city_links(self) -> dict[str, tuple[list[str], list[str]]]:
        """For each city figure id, the facts linked to it (`city_figure`) and those showing it as context."""
        links: dict[str, tuple[list[str], list[str]]] = {k: ([], []) for k in self.city_figures}
        rows = self.conn.execute(
            "SELECT id, city_figure, city_context FROM facts "
            "WHERE city_figure IS NOT NULL OR city_context != '' ORDER BY position"
        )
        for fact_id, figure, context in rows:
            if figure in links:
                links[figure][0].append(fact_id)
            for other in _items(context):
                if other in links:
                    links[other][1].append(fact_id)
        return links

    def topic(self, name: str) -> Topic | None:
        """The topic a slug, English name or alias names, case-insensitively."""
        row = self.conn.execute(
            f"SELECT {_qualified(Topic, 't')} FROM topic_names n JOIN topics t USING (slug) "
            "WHERE n.name = ? ORDER BY t.position LIMIT 1",
            (name.strip().casefold(),),
        ).fetchone()
        return _topic(row) if row else None

    def topics(self) -> list[tuple[Topic, int]]:
        """Every topic, in file order, with how many facts it holds."""
        counts = dict(self.conn.execute("SELECT topic, count(*) FROM fact_topics GROUP BY topic"))
        rows = self.conn.execute(f"SELECT {_columns(Topic)} FROM topics ORDER BY position")
        return [(t, counts.get(t.slug, 0)) for t in map(_topic, rows)]

    def topics_named(self, slugs: Iterable[str]) -> dict[str, Topic]:
        wanted = sorted(set(slugs))
        marks = ",".join("?" * len(wanted))
        rows = self.conn.execute(f"SELECT {_columns(Topic)} FROM topics WHERE slug IN ({marks})", wanted)
        return {t.slug: t for t in map(_topic, rows)}

    def topic_facts(self, slug: str) -> list[Fact]:
        """The facts under a topic: those it is primary for first, each group in file order."""
        rows = self.conn.execute(
            f"SELECT {_qualified(Fact, 'f')} FROM fact_topics t JOIN facts f ON f.position = t.position "
            "WHERE t.topic = ? ORDER BY t.secondary, t.position",
            (slug,),
        )
        return [_fact(r) for r in rows]

    def fact(self, fact_id: str) -> Fact | None:
        row = self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return _fact(row) if row else None

    def ids(self, prefix: str = "") -> list[str]:
        """Fact ids in file order, those starting with `prefix` where one is given."""
        if not prefix:
            return [r[0] for r in self.conn.execute("SELECT id FROM facts ORDER BY position")]
        rows = self.conn.execute(
            "SELECT id FROM facts WHERE substr(id, 1, ?) = ? ORDER BY position", (len(prefix), prefix)
        )
        return [r[0] for r in rows]

    def candidates(self, needles: Sequence[str]) -> list[tuple[int, Fact]]:
        """Facts that hold every needle in their search text or their topics' names, with their position.

        A superset of the matches, found without loading a fact: the needles are looked for in the
        haystacks (and in the few topic names); only the candidates are read.
        """
        if not needles:
            return [(r[0], _fact(r[1:])) for r in self.conn.execute(f"SELECT position, {_FACT_COLUMNS} FROM facts")]
        by_topic = [{r[0] for r in self.conn.execute(_IN_TOPICS_NAMED, (needle,))} for needle in needles]
        wanted = [needle.encode("utf-8") for needle in needles]
        found: list[int] = []
        for first, starts_blob, text in self.conn.execute("SELECT first, starts, text FROM haystack ORDER BY first"):
            starts = array("q")
            starts.frombytes(starts_blob)
            held: set[int] | None = None
            for needle, topical in zip(wanted, by_topic, strict=True):
                if held is None:
                    hits = _holders(text, starts, needle)
                else:
                    hits = {k for k in held if _holds(text, starts, k, needle)}
                hits |= {p - first for p in topical if first <= p < first + len(starts)}
                held = hits if held is None else held & hits
                if not held:
                    break
            found += (first + k for k in sorted(held or ()))
        return list(self._facts_at(found))

    def _facts_at(self, positions: list[int]) -> Iterator[tuple[int, Fact]]:
        for at in range(0, len(positions), 500):
            part = positions[at : at + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT position, {_FACT_COLUMNS} FROM facts WHERE position IN ({marks}) ORDER BY position", part
            )
            yield from ((r[0], _fact(r[1:])) for r in rows)

    def city_facts(self) -> list[Fact]:
        """Facts with a share of the city, a gap to its growth or a published city figure, in file order."""
        return [_fact(r) for r in self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE city ORDER BY position")]

    def vocabulary(self) -> list[str]:
        """Topic names and the longer words of fact labels, for did-you-mean hints."""
        names = [r[0] for r in self.conn.execute("SELECT name FROM topic_names")]
        return names + [r[0] for r in self.conn.execute("SELECT word FROM words")]


_IN_TOPICS_NAMED = (
    "SELECT t.position FROM fact_topics t JOIN topic_names n ON n.slug = t.topic WHERE instr(n.name, ?) > 0"
)


def _holders(text: bytes, starts: array[int], needle: bytes) -> set[int]:
    """Which facts of a haystack hold the needle: after a hit, the search goes on at the next fact."""
    held: set[int] = set()
    at = text.find(needle)
    while at >= 0:
        k = bisect_right(starts, at) - 1
        held.add(k)
        if k + 1 >= len(starts):
            break
        at = text.find(needle, starts[k + 1])
    return held


def _holds(text: bytes, starts: array[int], k: int, needle: bytes) -> bool:
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    return text.find(needle, starts[k], end) >= 0


def _qualified(record: Any, alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in _names(record))

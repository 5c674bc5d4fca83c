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
import stat
import time
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from itertools import accumulate
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from . import __version__
from .model import (
    FACT_FIELDS,
    UNITS,
    CityFigure,
    Fact,
    Indicator,
    Kind,
    KnowledgeBase,
    Meta,
    Qualifier,
    Source,
    Topic,
)
from .ranges import CITY_RANGES, FACT_RANGES, Range

_P = ParamSpec("_P")
_R = TypeVar("_R")

FORMAT = f"lj-facts index 11 ({__version__})"
"""Written into every index; an index of another format or version is rebuilt."""
RACY_NS = 2_000_000_000
"""A file modified this close to (or after) the index build is checked by its digest, not its stat."""


def _names(record: Any) -> tuple[str, ...]:
    """The fields of a record type (a named tuple)."""
    return tuple(record._fields)


def _columns(record: Any) -> str:
    return ", ".join(_names(record))


_SCHEMA = f"""
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE meta (position INTEGER PRIMARY KEY, {_columns(Meta)});
CREATE TABLE indicators (position INTEGER PRIMARY KEY, {_columns(Indicator)});
CREATE TABLE city_figures ({_columns(CityFigure)});
CREATE TABLE sources (position INTEGER PRIMARY KEY, {_columns(Source)});
CREATE TABLE topics (position INTEGER PRIMARY KEY, {_columns(Topic)});
CREATE TABLE topic_names (name TEXT NOT NULL, slug TEXT NOT NULL, alias INTEGER NOT NULL, stems TEXT NOT NULL);
CREATE TABLE glossary (term TEXT NOT NULL, key TEXT NOT NULL, grp INTEGER NOT NULL);
CREATE TABLE facts (position INTEGER PRIMARY KEY, city INTEGER NOT NULL, {_columns(Fact)});
CREATE TABLE haystack (first INTEGER PRIMARY KEY, starts BLOB NOT NULL, text BLOB NOT NULL);
CREATE UNIQUE INDEX facts_id ON facts (id);
CREATE TABLE fact_topics (topic TEXT NOT NULL, secondary INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE words (word TEXT NOT NULL, field INTEGER NOT NULL, PRIMARY KEY (word, field)) WITHOUT ROWID;
"""
_DROP = """
DROP TABLE IF EXISTS info; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS city_figures; DROP TABLE IF EXISTS sources;
DROP TABLE IF EXISTS topics; DROP TABLE IF EXISTS topic_names;
DROP TABLE IF EXISTS facts; DROP TABLE IF EXISTS haystack; DROP TABLE IF EXISTS fact_topics;
DROP TABLE IF EXISTS words; DROP TABLE IF EXISTS glossary; DROP TABLE IF EXISTS indicators;
"""
_INDEXES = """
CREATE INDEX topic_names_name ON topic_names (name);
CREATE INDEX topic_names_stems ON topic_names (stems);
CREATE INDEX glossary_key ON glossary (key);
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


def shipped_base() -> list[Path]:
    """The knowledge base that comes with the package: `facts.toml` (the 2021 H1 report), then every
    `reports/*.toml` beside it, in name order."""
    first = shipped_path()
    reports = first.parent / "reports"
    return [first, *sorted(reports.glob("*.toml"))] if reports.is_dir() else [first]


def _digest_bytes(raw: bytes) -> str:
    import hashlib

    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _digest(path: Path) -> str:
    """BLAKE2b of the file's bytes, read a piece at a time (memory stays flat for any size).

    Only of a regular file: one that became a FIFO since its stat digests as "" (never a match).
    """
    import hashlib

    h = hashlib.blake2b(digest_size=20)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        with os.fdopen(fd, "rb", closefd=False) as f:
            for piece in iter(lambda: f.read(1 << 20), b""):
                h.update(piece)
    finally:
        os.close(fd)
    return h.hexdigest()


def _signature(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


# --- Records to rows and back ------------------------------------------------------------------
# A record is stored a field a column (no JSON to decode on the start-up path); a tuple field
# (topics, aliases, names, city_context) as its items joined by the unit separator, an enum as its value.

_SEP = "\x1f"
_FACT_COLUMNS = _columns(Fact)


def _row(record: Any) -> tuple[Any, ...]:
    return tuple(_SEP.join(v) if isinstance(v, tuple) else v.value if isinstance(v, Enum) else v for v in record)


def _items(text: str) -> tuple[str, ...]:
    if not isinstance(text, str):
        raise Damaged(f"a list stored as {type(text).__name__}")
    return tuple(text.split(_SEP)) if text else ()


class Damaged(ValueError):
    """A row of the index holds what lj-facts never writes there: the index is damaged."""


def _text_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise Damaged(f"{value!r} where text belongs")


def _required_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise Damaged(f"{value!r} where text belongs")


def _unit_or_none(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in UNITS):
        return value
    raise Damaged(f"{value!r} is no unit")


def _number_of(bounds: Range) -> Callable[[Any], Any]:
    import functools

    # A file repeats its figures (shares, growth rates, 1 个): each distinct value is checked once
    # per run. `typed` keeps 1, 1.0 and True apart, so a boolean is never let through as a 1.
    @functools.lru_cache(maxsize=4096, typed=True)
    def checked(value: Any) -> Any:
        complaint = bounds.complaint(value)
        if complaint:
            raise Damaged(complaint)
        return value if bounds.whole else float(value)

    def check(value: Any) -> Any:
        return None if value is None else checked(value)

    return check


def _enum_of(enum: type[Qualifier] | type[Kind]) -> Callable[[Any], Any]:
    """A value of `enum` by a dictionary look-up (an Enum call costs several times more, a fact a row)."""
    members: dict[Any, Any] = {m.value: m for m in enum}

    def check(value: Any) -> Any:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise Damaged(f"{value!r} is not one of {', '.join(members)}")
        return member

    return check


def _finite_or_none(value: Any) -> Any:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300):
        return value
    raise Damaged(f"{value!r} where a number belongs")


def _check_for(name: str, annotation: str, ranges: dict[str, Range]) -> Callable[[Any], Any]:
    """How a column of a record's field is read back: from the field's type, so a new field is checked too."""
    annotation = re.sub(r"ForwardRef\('(.*)'\)", r"\1", annotation)  # a NamedTuple's string annotations
    if name in ranges:
        return _number_of(ranges[name])
    if name == "unit":
        return _unit_or_none
    for marker, check in (("tuple", _items), ("Qualifier", _enum_of(Qualifier)), ("Kind", _enum_of(Kind))):
        if marker in annotation:
            return check
    if "float" in annotation or "int" in annotation:
        return _finite_or_none
    return _required_text if annotation == "str" else _text_or_none


def _checks(record: Any, ranges: dict[str, Range]) -> tuple[Callable[[Any], Any], ...]:
    """A check for each column of a record type, in order: what the loader accepts, converted; else `Damaged`."""
    return tuple(_check_for(name, str(record.__annotations__[name]), ranges) for name in _names(record))


_FACT_CHECKS = _checks(Fact, FACT_RANGES)
_FACT_NULLABLE = tuple("None" in str(Fact.__annotations__[name]) for name in Fact._fields)
"""Which columns of a fact may be empty (its field's type admits None)."""
_CITY_CHECKS = _checks(CityFigure, CITY_RANGES)
_META_CHECKS = _checks(Meta, {})
_INDICATOR_CHECKS = _checks(Indicator, {})
_SOURCE_CHECKS = _checks(Source, {})


def _fact(row: Sequence[Any]) -> Fact:
    """The fact of a row, every field checked as the loader checks it (an enum outside its values raises `Damaged`)."""
    if len(row) != len(_FACT_CHECKS):
        raise Damaged("a fact row of the wrong length")
    # Most columns of a fact are empty: an empty one that may be is taken as it is, not checked.
    values: list[Any] = [
        None if v is None and nullable else check(v)
        for check, nullable, v in zip(_FACT_CHECKS, _FACT_NULLABLE, row, strict=True)
    ]
    return Fact._make(values)


def _topic(row: Sequence[Any]) -> Topic:
    slug, name, name_zh, aliases, description = row
    _required_text(description)
    return Topic(_required_text(slug), _required_text(name), _required_text(name_zh), _items(aliases), description)


def _city_figure(row: Sequence[Any]) -> CityFigure:
    values: list[Any] = [check(v) for check, v in zip(_CITY_CHECKS, row, strict=True)]
    return CityFigure(*values)


def _source(row: Sequence[Any]) -> Source:
    return Source._make([check(v) for check, v in zip(_SOURCE_CHECKS, row, strict=True)])


def _meta(row: Sequence[Any]) -> Meta:
    return Meta._make([check(v) for check, v in zip(_META_CHECKS, row, strict=True)])


def _indicator(row: Sequence[Any]) -> Indicator:
    return Indicator._make([check(v) for check, v in zip(_INDICATOR_CHECKS, row, strict=True)])


# --- Building ----------------------------------------------------------------------------------

PARALLEL_BYTES = 4 << 20
"""Knowledge files larger than this are parsed and indexed in parallel, a share of the facts a core."""


def build(kb: KnowledgeBase, conn: sqlite3.Connection, info: dict[str, str]) -> None:
    """Write the index of `kb` into an empty database."""
    conn.executescript(_SCHEMA)
    _insert_header(conn, kb.metas or (kb.meta,), kb.topics, kb.city_figures, kb.sources, info, kb.glossary)
    _insert_indicators(conn, kb.indicators)
    _insert_facts(conn, kb.facts, 0)
    conn.executescript(_INDEXES)
    conn.commit()


LABEL_FIELD, ID_FIELD, TEXT_FIELD, UNIT_FIELD, TOPIC_FIELD, WHOLE_LABEL, CHINESE = range(7)
"""The fields of a fact's search text, in order; in `words`, also the words of topic names (TOPIC_FIELD)
and whole labels, folded and as stems (WHOLE_LABEL), which tell a search what rank it can hope for,
and the Chinese characters and pairs of characters of labels and quotes (CHINESE, `text.chinese_pieces`)."""


def _insert_header(
    conn: sqlite3.Connection,
    metas: Sequence[Meta],
    topics: dict[str, Topic],
    city: dict[str, CityFigure],
    sources: Sequence[Source],
    info: dict[str, str],
    glossary: Sequence[Sequence[str]] = (),
) -> None:
    from .text import fold, normalise, words
    from .text import key as text_key

    conn.executemany("INSERT INTO info VALUES (?, ?)", {**info, "format": FORMAT}.items())
    conn.executemany(
        f"INSERT INTO meta VALUES (?, {', '.join('?' * len(_names(Meta)))})",
        ((i, *_row(m)) for i, m in enumerate(metas)),
    )
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
    names = {
        (name, t.slug, alias)
        for t in topics.values()
        for alias, names in ((0, (t.slug, t.name, t.name_zh)), (1, t.aliases))
        for name in (" ".join(fold(n).split()) for n in names)
    }
    conn.executemany("INSERT INTO topic_names VALUES (?, ?, ?, ?)", ((*n, text_key(n[0])) for n in names))
    conn.executemany(
        "INSERT OR IGNORE INTO words VALUES (?, ?)",
        {(w, TOPIC_FIELD) for n, _, _ in names for w in words(n) if w.isalpha()},
    )
    conn.executemany(
        "INSERT INTO glossary VALUES (?, ?, ?)",
        {(normalise(term), text_key(normalise(term)), n) for n, group in enumerate(glossary) for term in group},
    )


def _insert_indicators(conn: sqlite3.Connection, indicators: dict[str, Indicator]) -> None:
    conn.executemany(
        f"INSERT INTO indicators VALUES (?, {', '.join('?' * len(_names(Indicator)))})",
        ((i, *_row(x)) for i, x in enumerate(indicators.values())),
    )


HAYSTACK_FACTS = 4096
"""Facts a haystack row holds: what a search reads at a time (about a megabyte)."""


def _haystacks(facts: Sequence[Fact], first: int) -> Iterator[tuple[int, bytes, bytes]]:
    """The facts' search texts, concatenated a few thousand at a time, with where each one starts.

    The facts of a haystack have the positions `first`, `first + 1`, … in file order.

    A search finds its needles with `bytes.find`, an order of magnitude faster than SQLite's
    `instr()` row by row, and reads one haystack at a time, so its memory stays flat.
    """
    from .text import SEPARATOR, fold

    units = {u: fold(f"{u} {unit.base_unit} {unit.english}") for u, unit in UNITS.items()}

    def search_text(fact: Fact) -> str:
        """Everything of the fact itself a term can match, folded, a field each (label, id, quote, unit
        and period: `GDP 2021` finds the GDP of 2021-H1).

        Its topics' names are matched apart, through `topic_names`.
        """
        unit = units[fact.unit] if fact.unit else ""
        return SEPARATOR.join((fold(fact.label), fact.id, fold(fact.text), f"{unit} {fold(fact.period or '')}"))

    for at in range(0, len(facts), HAYSTACK_FACTS):
        texts = [b"\n" + search_text(f).encode("utf-8") for f in facts[at : at + HAYSTACK_FACTS]]
        starts = array("q", accumulate((len(t) for t in texts[:-1]), initial=0))
        yield first + at, starts.tobytes(), b"".join(texts)


def _insert_facts(conn: sqlite3.Connection, facts: Sequence[Fact], first: int) -> None:
    """Rows for the facts, numbered from `first` in file order."""
    from .text import chinese_pieces, fold, words
    from .text import key as text_key

    vocabulary: set[tuple[str, int]] = set()
    chinese: set[str] = set()
    seen: set[str] = set()  # the labels and quotes already listed: a big file repeats them
    # Words with digits (2008, c7) are left out but for labels' Chinese ones, which a Chinese term is
    # looked for in: a search term with a digit matches as a substring, never by these lists.

    def fact_rows() -> Iterable[tuple[Any, ...]]:
        for i, f in enumerate(facts, first):
            city = f.city_share_pct is not None or f.city_growth_gap_pp is not None or f.city_figure is not None
            if f.label not in seen:
                seen.add(f.label)
                label = fold(f.label)
                vocabulary.update((w, LABEL_FIELD) for w in words(label) if w.isalpha() or not w.isascii())
                vocabulary.update(((label, WHOLE_LABEL), (text_key(label), WHOLE_LABEL)))
                chinese.update(chinese_pieces(label))
            if f.text not in seen:
                seen.add(f.text)
                text = fold(f.text)
                vocabulary.update((w, TEXT_FIELD) for w in words(text) if w.isascii() and w.isalpha())
                chinese.update(chinese_pieces(text))
            vocabulary.update((w, ID_FIELD) for w in f.id.replace(".", "-").split("-") if w.isalpha())  # a slug
            if f.period and f.period not in seen:  # per-year, not-given: searched with the unit
                seen.add(f.period)
                vocabulary.update((w, UNIT_FIELD) for w in words(fold(f.period)) if w.isalpha())
            yield i, city, *_row(f)

    conn.executemany(f"INSERT INTO facts VALUES (?, ?, {', '.join('?' * len(FACT_FIELDS))})", fact_rows())
    conn.executemany("INSERT INTO haystack VALUES (?, ?, ?)", _haystacks(facts, first))
    conn.executemany(
        "INSERT INTO fact_topics VALUES (?, ?, ?)",
        ((t, n > 0, i) for i, f in enumerate(facts, first) for n, t in enumerate(f.topics)),
    )
    conn.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", vocabulary)
    conn.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", ((c, CHINESE) for c in chinese))


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

    from .load import (
        _city_figures,
        _glossary,
        _indicators,
        _meta,
        _set_aside,
        _sources,
        _topics,
        parse_toml,
        references,
    )

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
    glossary = _glossary(head.get("glossary"), problems)
    head_tables = {"meta", "topics", "indicators", "sources", "city_figures", "set_aside", "glossary"}
    if problems or meta is None or set(head) - head_tables:
        return False
    indicators = _indicators(head.get("indicators", {}), problems)
    sources = _sources(head.get("sources", []), problems, meta)
    if problems:
        return False
    try:
        parts = tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-")
    except OSError:  # no room or no right to write in TMPDIR: the caller builds in one piece
        return False
    with parts as tmp:
        source = sources[0].id if sources else None
        _CHUNK.update(
            text=text, bounds=bounds, topics=topics, period=meta.default_period, source=source, tmp=tmp, name=name
        )
        try:
            results = _map_in_workers(multiprocessing.get_context("fork"), workers, shares)
        finally:
            _CHUNK.clear()
        if results is None:
            return False
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
        if problems or any(references(r[1], city, {s.id for s in sources}, indicators) for r in results if r):
            return False
        conn.executescript(_SCHEMA)
        _insert_header(conn, (meta,), topics, city, sources, info, glossary)
        _insert_indicators(conn, indicators)
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
        except sqlite3.Error:  # a part that cannot be read back (TMPDIR full): build in one piece
            return False
        if conn.execute("SELECT 1 FROM facts JOIN city_figures USING (id) LIMIT 1").fetchone():
            return False  # a fact and a city figure of the same id: the one-piece load says so
    conn.executescript(_INDEXES)
    conn.commit()
    return True


TEMP_PREFIX = "lj-facts-"
"""The temporary folder of a parallel build, in TMPDIR: `lj-facts-<pid>-<random>`."""
_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _map_in_workers(context: Any, workers: int, shares: int) -> list[Any] | None:
    """`_build_chunk` over the shares in a pool of forked workers, which end with the build whatever ends it.

    Signals stay blocked across the fork, so a worker never runs the parent's handlers; a worker
    ignores Ctrl-C and SIGHUP (the parent, told too, ends the pool) and dies with its parent. A
    worker that dies (killed, out of memory) makes it return None: the caller builds in one piece.
    """
    import signal

    caught = {getattr(signal, name) for name in _SIGNALS}
    signal.pthread_sigmask(signal.SIG_BLOCK, caught)
    try:
        pool = context.Pool(workers, initializer=_worker_start, initargs=(os.getpid(),))
    except (OSError, RuntimeError):  # no process or thread to be had (memory, limits): build in one piece
        return None
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, caught)
    try:  # leaving, by return or by any exception, ends the workers
        started = {p.pid for p in context.active_children()}
        pending = pool.map_async(_build_chunk, range(shares), chunksize=1)
        while not pending.ready():
            pending.wait(0.1)
            if not started <= {p.pid for p in context.active_children()}:
                return None  # a worker was killed (out of memory, kill -9): its share would never come back
        results: list[Any] = pending.get()
    finally:
        _end_pool(pool, context)
    return results


POOL_END_SECONDS = 2.0
"""How long ending a pool may take before its workers are killed and it is left to itself."""


def _end_pool(pool: Any, context: Any) -> None:
    """Terminate the pool, then kill any worker still there.

    `Pool.terminate` first takes the lock of the workers' task queue; a worker killed while holding
    it (kill -9 at the wrong moment) makes it wait forever, a limit of multiprocessing. So it runs in
    a thread given POOL_END_SECONDS (a few milliseconds as a rule): the workers are killed either
    way, and the lookup goes on building in one piece rather than hanging.
    """
    import threading

    ender = threading.Thread(target=pool.terminate, daemon=True)
    ender.start()
    ender.join(POOL_END_SECONDS)
    for worker in context.active_children():
        with contextlib.suppress(OSError):
            worker.kill()
            worker.join(1.0)


def _worker_start(parent: int) -> None:
    """In a new worker: quiet on Ctrl-C and SIGHUP, killed by SIGTERM, and gone when the parent is."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    with contextlib.suppress(Exception):  # Linux: the kernel kills the worker when the parent dies (SIGKILL too)
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _build_chunk(k: int) -> tuple[dict[str, Any], list[Fact]] | None:
    """In a worker: index share `k` of the facts; None if it does not check out or cannot be written."""
    try:
        return _index_chunk(k)
    except Exception:
        return None


def _index_chunk(k: int) -> tuple[dict[str, Any], list[Fact]] | None:
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
    return doc, [f for f in checked if f.city_figure or f.city_context or f.indicator or f.source != source]


# --- Opening -----------------------------------------------------------------------------------
# The cache is lj-facts' own or it is not used: a folder someone else owns or can write, an index
# that is not a plain file of the user's, or one whose schema differs in any way from the one
# lj-facts writes, is never read. Damage found later, while answering, rebuilds the index.

Note = Callable[[str], None]
"""Where the index says why it did not use the cache (`--debug` prints it); None to stay quiet."""


def _quiet(message: str) -> None:
    """The default `Note`: say nothing."""


class Unusable(str):
    """A note that says why no cache folder can be used: the user is told it (`telling`), not only `--debug`.

    The cache is an optimisation: without it the answer is the same, built from the knowledge file.
    """


def telling(debug: Note, say: Callable[[str], None]) -> Note:
    """The `Note` of one run: every note goes to `debug`, except the first `Unusable` one, which `say`
    gets as one line, `note: …`; later ones go to `debug` too. `LJ_FACTS_NO_CACHE` is not `Unusable`."""
    told: list[str] = []

    def note(message: str) -> None:
        if isinstance(message, Unusable) and not told:
            told.append(message)
            say(f"note: {message} (the answer is read from the knowledge file; LJ_FACTS_NO_CACHE=1 silences this)")
        else:
            debug(message)

    return note


def cache_dir(note: Note = _quiet) -> Path | None:
    """LJ_FACTS_CACHE_DIR, else $XDG_CACHE_HOME/lj-facts, else ~/.cache/lj-facts; None where none is usable.

    As the XDG base directory spec says, an empty variable is an unset one, and a relative path (an
    unexpanded `~/…` among them) is ignored: it would name a different folder in every working
    directory. The home folder is never made: a HOME that does not exist (`/nonexistent`, as system
    users have) means no cache. `LJ_FACTS_NO_CACHE=1` means no cache at all, and no note.
    """
    if os.environ.get("LJ_FACTS_NO_CACHE", "") not in ("", "0"):
        note("cache not used: LJ_FACTS_NO_CACHE is set")
        return None
    chosen = os.environ.get("LJ_FACTS_CACHE_DIR", "")
    if chosen:
        if os.path.isabs(chosen):
            return Path(chosen)
        note(Unusable(f"cache not used: LJ_FACTS_CACHE_DIR={chosen!r} is not an absolute path"))
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "lj-facts"
    if xdg:
        note(f"XDG_CACHE_HOME={xdg!r} is not an absolute path: ignored")
    home = os.environ["HOME"] if "HOME" in os.environ else os.path.expanduser("~")
    xdg_said = f"XDG_CACHE_HOME={xdg!r} is not an absolute path" if xdg else "XDG_CACHE_HOME is not set"
    if not home:
        note(Unusable(f"cache not used: HOME is empty and {xdg_said}"))
        return None
    if not os.path.isabs(home):
        note(Unusable(f"cache not used: HOME={home!r} is not an absolute path and {xdg_said}"))
        return None
    try:
        is_folder = os.path.isdir(home)
    except ValueError:  # a NUL byte
        is_folder = False
    if not is_folder:
        note(Unusable(f"cache not used: HOME={home!r} is not a folder and {xdg_said}"))
        return None
    return Path(home) / ".cache" / "lj-facts"


def cache_for(paths: Sequence[Path], note: Note = _quiet) -> Path | None:
    """The cache folder for the index of the base `paths` name: `cache_dir`, made if missing, checked
    safe (`_safe_folder`) and resolved; None where there is none, `note` told why (an `Unusable` note).

    A base read from a stream (`-`, a pipe, /dev/stdin) is never cached: None, and nothing said.
    """
    from .load import is_stream

    for path in paths:
        if str(path) == "-":
            return None
        with contextlib.suppress(OSError, ValueError):  # a missing file: reading it says so, not the cache
            st = os.stat(path)
            if not stat.S_ISDIR(st.st_mode) and is_stream(Path(path), st):  # a folder's files are cached
                return None
    folder = cache_dir(note)
    return None if folder is None else _safe_folder(folder, note)


def _uid() -> int:
    """The user's id; where the system has none (Windows), files report 0 and so does this."""
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else 0


class _Refused(Exception):
    """A component of the cache path that another user could change: the message says which and how."""


MAX_LINKS = 40
"""Symlinks followed in a cache path before it is refused (the kernel's own limit, ELOOP)."""


def _safe_folder(folder: Path, note: Note) -> Path | None:
    """The real path of the cache folder, made 0700 where missing, if only its user (or root) can change
    any component of it; else None, and `note` is told why (an `Unusable` note).

    The path is walked one component at a time from the root, as OpenSSH checks its files, each
    symlink followed by hand: a symlink must belong to the user or to root (whoever owns it can
    point it elsewhere later); every folder on the way must belong to the user or to root and be
    writable by nobody else unless sticky (/tmp); the folder itself must belong to the user, be
    writable by nobody else, and writable by the user. Nothing is made before everything above it
    has been checked, so a refused path leaves nothing behind.
    """
    try:
        return _walk(folder, _uid())
    except _Refused as e:
        note(Unusable(f"cache not used: {e}"))
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the setting
        where = getattr(e, "filename", None) or folder
        note(Unusable(f"cache not used: {where}: {getattr(e, 'strerror', None) or e}"))
    return None


def _walk(folder: Path, me: int) -> Path:
    """The real path of `folder`, each component checked (and made where missing) on the way; _Refused
    names the first component another user could change."""
    if not folder.is_absolute():
        raise _Refused(f"{folder} is not an absolute path")
    current = Path(folder.anchor)
    _check_above(current, os.stat(current), me)
    pending = list(reversed(folder.parts[1:]))  # the components still to walk, the next one last
    links = 0
    while pending:  # each step: `current` is a real folder that it and every folder above it guards
        name = pending.pop()
        if name == "..":
            current = current.parent
            continue
        path = current / name
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            with contextlib.suppress(FileExistsError):
                os.mkdir(path, 0o700)
            st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            if st.st_uid not in (0, me):
                raise _Refused(f"{path} is a symlink that belongs to another user (uid {st.st_uid})")
            links += 1
            if links > MAX_LINKS:
                raise _Refused(f"{folder}: too many symlinks")
            target = Path(os.readlink(path))
            if target.is_absolute():
                current = Path(target.anchor)
            pending.extend(reversed(target.parts[1:] if target.is_absolute() else target.parts))
            continue
        if not stat.S_ISDIR(st.st_mode):
            raise _Refused(f"{path} is not a folder")
        if pending:
            _check_above(path, st, me)
        current = path
    st = os.stat(current)
    if st.st_uid != me:
        raise _Refused(f"{current} belongs to another user (uid {st.st_uid})")
    if st.st_mode & 0o022:
        raise _Refused(f"{current} can be written by others (mode {stat.S_IMODE(st.st_mode):o})")
    if not os.access(current, os.W_OK | os.X_OK):
        raise _Refused(f"{current} cannot be written (a read-only folder or file system)")
    return current


def _check_above(folder: Path, st: os.stat_result, me: int) -> None:
    """_Refused, saying why, where `folder` (above the cache folder) does not guard its contents."""
    if not _guards_its_contents(st, me):
        why = f"it belongs to uid {st.st_uid}" if st.st_uid not in (0, me) else "others can write it, it is not sticky"
        raise _Refused(f"{folder}, above it, can be changed by another user ({why})")


def _guards_its_contents(st: os.stat_result, me: int) -> bool:
    """Whether no other user can swap what the folder of stat `st` holds: it belongs to the user or to
    root, and others cannot write it unless it is sticky (/tmp)."""
    return st.st_uid in (0, me) and not (st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX)


def _path_key(source: Path) -> str:
    """The source path as stored in the index: its text, or its bytes in hex where they are not UTF-8."""
    raw = os.fsencode(source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "bytes:" + raw.hex()


def open_index(paths: Path | Sequence[Path], cache: Path | None, note: Note = _quiet) -> Index:
    """The index of the knowledge base `paths` name (a file, several, folders of them: `load.knowledge_files`):
    from `cache` when fresh and sound, else built (cached if it can be).

    A stream (`-` for stdin, a pipe, a FIFO, /dev/stdin) is read once and indexed in memory, never cached.
    """
    from .load import is_stream, knowledge_files, max_bytes, refuse_oversized

    max_bytes()  # a bad LJ_FACTS_MAX_BYTES is an error whether or not the file is read
    files = knowledge_files([paths] if isinstance(paths, (str, os.PathLike)) else list(paths))
    sources: list[Path] = []
    stats: list[os.stat_result] = []
    for path in files:
        if str(path) == "-":
            return _build_index(files, None, None, note)
        try:
            source = Path(os.path.abspath(path))
            st = source.stat()  # before the read: an edit during it then shows as a changed file
        except (OSError, ValueError):  # a deleted working directory, a missing file: read_bytes says what
            return _build_index(files, None, None, note)
        if is_stream(source, st):
            return _build_index(files, None, None, note)
        refuse_oversized(source, st)
        sources.append(source)
        stats.append(st)
    cached = None
    if cache is not None:
        folder = _safe_folder(cache, note)
        if folder is not None:
            cached = folder / _cache_name(sources)
            index = _open_cached(cached, sources, stats, note)
            if index is not None:
                return index
    return _build_index(sources, stats, cached, note)


_FILES_SEP = "\x1e"
"""Between the paths (and the stats) of the files of a base, as the index's `info` records them."""


def _combined_digest(digests: Sequence[str]) -> str:
    """The digest of a base: its one file's, or the digest of its files' digests in order."""
    return digests[0] if len(digests) == 1 else _digest_bytes(_FILES_SEP.join(digests).encode())


def _build_index(
    files: Sequence[Path], stats: Sequence[os.stat_result] | None, cached: Path | None, note: Note = _quiet
) -> Index:
    """Read the files once, index them into `cached` when given (else, or when that fails, in memory).

    `stats` None: the files cannot be stat'ed or one is a stream; they are read as given, never cached.
    """
    import tempfile

    from .load import merge, parse, parse_toml, read_bytes

    raws = [read_bytes(path) for path in files]
    _sweep(Path(tempfile.gettempdir()), TEMP_PREFIX)  # what a killed parallel build left, whatever is built now
    info = {
        "path": _FILES_SEP.join(map(_path_key, files)),  # absolute where it is cached (open_index made them so)
        "signature": _FILES_SEP.join(map(_signature, stats)) if stats else "",
        "digest": _combined_digest([_digest_bytes(raw) for raw in raws]),
        "built": str(time.time_ns()),
    }
    names = [str(p) for p in files]

    def fill(conn: sqlite3.Connection) -> None:
        """Index the base into `conn`: a large file alone in parallel where it is sound, else in one piece."""
        conn.execute("PRAGMA temp_store = MEMORY")  # a full TMPDIR cannot fail the build
        if len(raws) == 1 and len(raws[0]) > PARALLEL_BYTES:
            with contextlib.suppress(UnicodeDecodeError):
                if _build_parallel(raws[0].decode("utf-8").removeprefix("\ufeff"), names[0], conn, info):
                    return
            conn.executescript(_DROP)
        bases = [parse(parse_toml(raw, name), name) for raw, name in zip(raws, names, strict=True)]
        kb = bases[0] if len(bases) == 1 else merge(list(zip(names, bases, raws, strict=True)))
        build(kb, conn, info)

    def rebuild() -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:")
        fill(conn)
        return conn

    if cached is not None:
        index = _write_cache(fill, cached, rebuild, note)
        if index is not None:
            return index
    return Index(rebuild())


def _cache_name(sources: Sequence[Path]) -> str:
    """A readable, unique file name for the index of a base (its paths are checked again inside): the
    first file's name, and with several, how many."""
    raw = os.fsencode(sources[0]) if len(sources) == 1 else _FILES_SEP.encode().join(map(os.fsencode, sources))
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", os.fsencode(sources[0]).decode("utf-8", "replace"))[-80:].strip("_")
    more = f"-and-{len(sources) - 1}" if len(sources) > 1 else ""
    return f"{readable}{more}-{zlib.crc32(raw):08x}.sqlite3"


_EXPECTED: set[tuple[Any, ...]] = set()
"""The schema rows (type, name, table, SQL) of a sound index, made once from `_SCHEMA`."""


def _expected_schema() -> set[tuple[Any, ...]]:
    if not _EXPECTED:
        conn = sqlite3.connect(":memory:")
        conn.executescript(_SCHEMA + _INDEXES)
        _EXPECTED.update(conn.execute(_SCHEMA_ROWS))
        conn.close()
    return _EXPECTED


_SCHEMA_ROWS = "SELECT type, name, tbl_name, sql FROM sqlite_master"
GUARD_SECONDS = 20.0
"""A query of a cached index running longer than this is taken for damage: the index is rebuilt."""


def _guard(conn: sqlite3.Connection) -> None:
    """Open a connection to an index safely: read-only, no schema code trusted, no query running forever."""
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    deadline = time.monotonic() + GUARD_SECONDS
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)


def _open_cached(
    cached: Path, sources: Sequence[Path], stats: Sequence[os.stat_result], note: Note = _quiet
) -> Index | None:
    """The cached index if it is the user's own plain file, of the exact schema, for the files, fresh; else None."""
    try:
        own = os.lstat(cached)
    except FileNotFoundError:
        return None
    except OSError as e:
        note(f"cache not used: {cached}: {e.strerror}")
        return None
    if not stat.S_ISREG(own.st_mode) or own.st_uid != _uid() or own.st_mode & 0o022:
        note(f"cached index {cached} is not a plain file of the user's: rebuilt")
        return None
    try:
        conn = sqlite3.connect(f"{cached.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        _guard(conn)
        if set(conn.execute(_SCHEMA_ROWS)) != _expected_schema():
            note(f"cached index {cached} does not have the schema lj-facts writes: rebuilt")
            conn.close()
            return None
        info = dict(conn.execute("SELECT key, value FROM info").fetchall())
        if info.get("format") != FORMAT or info.get("path") != _FILES_SEP.join(map(_path_key, sources)):
            conn.close()
            return None
        built = int(info.get("built", "0"))
        racy = any(st.st_mtime_ns + RACY_NS >= built for st in stats)
        trusted = info.get("signature") == _FILES_SEP.join(map(_signature, stats)) and not racy
        if not trusted:
            if _combined_digest([_digest(source) for source in sources]) != info.get("digest"):
                conn.close()
                return None
            _vouch(cached, stats)
        return Index(conn, lambda: _rebuilt(cached, sources), note)
    except (sqlite3.Error, ValueError, KeyError, TypeError, OSError):
        note(f"cached index {cached} is damaged: rebuilt")
        conn.close()
        return None


def _rebuilt(cached: Path, sources: Sequence[Path]) -> sqlite3.Connection:
    """A new index of the files after damage was found in `cached`: the damaged file goes, a new one is written."""
    with contextlib.suppress(OSError):
        cached.unlink()
    return _build_index(sources, [source.stat() for source in sources], cached).conn


def _vouch(cached: Path, stats: Sequence[os.stat_result]) -> None:
    """Record that the files with these stats match the index, so the next look-up need not hash them again.

    Only once every file is out of the racy window: an edit in the same clock tick could keep its stat.
    """
    now = time.time_ns()
    if any(now < st.st_mtime_ns + RACY_NS for st in stats):
        return
    signature = _FILES_SEP.join(map(_signature, stats))
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(cached, timeout=0.1)) as conn:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.executemany("UPDATE info SET value = ? WHERE key = ?", ((signature, "signature"), (str(now), "built")))
        conn.commit()


BUILDING = ".building-"
"""How an index being written is named in the cache folder: `.building-<pid>-<random>.sqlite3`."""


def _owner_gone(name: str, prefix: str) -> bool:
    """Whether the process whose id follows `prefix` in `name` has ended (its leftovers can go)."""
    pid = name[len(prefix) :].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False
    return False


def _sweep(folder: Path, prefix: str) -> None:
    """Remove what killed builds left in `folder`: the user's entries named `prefix<pid>-…` of ended processes."""
    import shutil

    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(prefix) or not _owner_gone(entry.name, prefix):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_uid != _uid():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)


ORPHANS_LOOKED_AT = 100
"""Indexes a build looks at for one whose knowledge file is gone: the work of a build stays bounded."""


def _forget_orphans(folder: Path, keep: Path) -> None:
    """Remove the indexes of knowledge files that no longer exist (a `--file` in a temporary folder since
    deleted): the user's plain index files in the cache folder whose recorded path names nothing.

    Each index of a file that exists stays, however old: it is rebuilt when its file changes.
    """
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        candidates = {
            Path(e.path): e.stat(follow_symlinks=False).st_mtime
            for e in entries
            if e.name.endswith(".sqlite3") and not e.name.startswith(BUILDING) and e.name != keep.name
        }
        for index in sorted(candidates, key=candidates.__getitem__)[:ORPHANS_LOOKED_AT]:  # the oldest first
            with contextlib.suppress(OSError, sqlite3.Error, ValueError):
                own = os.lstat(index)
                if not stat.S_ISREG(own.st_mode) or own.st_uid != _uid():
                    continue
                with contextlib.closing(sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True)) as conn:
                    _guard(conn)
                    row = conn.execute("SELECT value FROM info WHERE key = 'path'").fetchone()
                key = row[0] if row else None
                if not isinstance(key, str):
                    continue
                for part in key.split(_FILES_SEP):  # an index of a base is an orphan when any of its files is gone
                    named = bytes.fromhex(part.removeprefix("bytes:")) if part.startswith("bytes:") else part
                    if os.path.isabs(named) and not os.path.lexists(named):
                        index.unlink()
                        break


def _write_cache(
    fill: Callable[[sqlite3.Connection], None],
    cached: Path,
    rebuild: Callable[[], sqlite3.Connection],
    note: Note = _quiet,
) -> Index | None:
    """Build the index aside and rename it into place; None where the cache folder is not writable (or full).

    Nothing is left behind: the file being written goes whatever ends the build (an error, Ctrl-C,
    SIGTERM); what a killed process left is removed by the next build.
    """
    import tempfile

    _sweep(cached.parent, BUILDING)
    _forget_orphans(cached.parent, cached)
    try:
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=f"{BUILDING}{os.getpid()}-", suffix=".sqlite3")
    except OSError as e:
        note(f"cache not written: {cached.parent}: {e.strerror}")
        return None
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA page_size = 16384")  # haystacks span fewer overflow pages: a search reads them faster
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            fill(conn)
        finally:
            conn.close()
        os.replace(tmp, cached)
    except (OSError, sqlite3.Error) as e:
        Path(tmp).unlink(missing_ok=True)
        note(f"cache not written ({e}): the index is built in memory")
        return None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        conn = sqlite3.connect(f"{cached.as_uri()}?mode=ro", uri=True)
        conn.execute("PRAGMA trusted_schema = OFF")
        return Index(conn, rebuild)
    except sqlite3.Error:  # pragma: no cover - replaced between the rename and the open
        return None


# --- Querying ----------------------------------------------------------------------------------


_DAMAGE = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
"""What reading a damaged index raises (a malformed page, a wrong type, an unknown enum, a missing row)."""


def _guarded(method: Callable[Concatenate[Index, _P], _R]) -> Callable[Concatenate[Index, _P], _R]:
    """Answer from the index; where it turns out damaged, rebuild it from the knowledge file and answer again."""

    def guarded(self: Index, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except _DAMAGE as e:
            if self.rebuild is None:
                raise
            self.note(f"the cached index is damaged ({type(e).__name__}: {e}): rebuilt")
            self._load(self.rebuild())
            return method(self, *args, **kwargs)

    guarded.__doc__ = method.__doc__
    return guarded


class Index:
    """Read-only queries over one knowledge file's index.

    `rebuild`, given for a cached index, makes a new one from the knowledge file when damage is
    found: every query is answered from it then, so a damaged cache never fails a command.
    """

    def __init__(
        self, conn: sqlite3.Connection, rebuild: Callable[[], sqlite3.Connection] | None = None, note: Note = _quiet
    ) -> None:
        self.rebuild = rebuild
        self.note = note
        try:
            self._load(conn)
        except _DAMAGE as e:
            if rebuild is None:
                raise
            note(f"the cached index is damaged ({type(e).__name__}: {e}): rebuilt")
            self._load(rebuild())

    def _load(self, conn: sqlite3.Connection) -> None:
        old: sqlite3.Connection = getattr(self, "conn", conn)
        if self.rebuild is not None and old is not conn:
            self.rebuild = None  # the new index was built from the file: nothing more to fall back on
            with contextlib.suppress(sqlite3.Error):
                old.close()
        self.conn = conn
        self._vocabulary: list[str] | None = None
        self.metas = tuple(_meta(r) for r in conn.execute(f"SELECT {_columns(Meta)} FROM meta ORDER BY position"))
        if not self.metas:
            raise Damaged("the index has no meta row")
        self.meta = self.metas[0]
        self.indicators = {
            r[0]: _indicator(r) for r in conn.execute(f"SELECT {_columns(Indicator)} FROM indicators ORDER BY position")
        }
        self.city_figures = {
            r[0]: _city_figure(r) for r in conn.execute(f"SELECT {_columns(CityFigure)} FROM city_figures")
        }
        self.sources = {
            r[0]: _source(r) for r in conn.execute(f"SELECT {_columns(Source)} FROM sources ORDER BY position")
        }

    def record(self, record_id: str) -> Fact | CityFigure | None:
        """The fact or the city figure with this id: the one place an id given by a user is resolved."""
        return self.fact(record_id) or self.city_figures.get(record_id)

    @_guarded
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

    @_guarded
    def topic(self, name: str, aliases: bool = True) -> Topic | None:
        """The topic a slug, English or Chinese name or (with `aliases`) alias names, case-insensitively."""
        from .text import is_text

        if not is_text(name):
            return None
        row = self.conn.execute(
            f"SELECT {_qualified(Topic, 't')} FROM topic_names n JOIN topics t USING (slug) "
            "WHERE n.name = ? AND (? OR NOT n.alias) ORDER BY t.position LIMIT 1",
            (_lookup_name(name), aliases),
        ).fetchone()
        return _topic(row) if row else None

    @_guarded
    def topics(self) -> list[tuple[Topic, int]]:
        """Every topic, in file order, with how many facts it holds."""
        counts = dict(self.conn.execute("SELECT topic, count(*) FROM fact_topics GROUP BY topic"))
        rows = self.conn.execute(f"SELECT {_columns(Topic)} FROM topics ORDER BY position")
        return [(t, counts.get(t.slug, 0)) for t in map(_topic, rows)]

    @_guarded
    def topics_named(self, slugs: Iterable[str]) -> dict[str, Topic]:
        """The topics of these slugs, asked 500 at a time (SQLite takes a bounded number of parameters)."""
        wanted = sorted(set(slugs))
        found: dict[str, Topic] = {}
        for at in range(0, len(wanted), 500):
            part = wanted[at : at + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(f"SELECT {_columns(Topic)} FROM topics WHERE slug IN ({marks})", part)
            found.update((t.slug, t) for t in map(_topic, rows))
        return found

    @_guarded
    def topic_facts(self, slug: str) -> list[Fact]:
        """The facts under a topic: those it is primary for first, each group in file order."""
        rows = self.conn.execute(
            f"SELECT {_qualified(Fact, 'f')} FROM fact_topics t JOIN facts f ON f.position = t.position "
            "WHERE t.topic = ? ORDER BY t.secondary, t.position",
            (slug,),
        )
        return [_fact(r) for r in rows]

    @_guarded
    def fact(self, fact_id: str) -> Fact | None:
        from .text import is_text

        if not is_text(fact_id):
            return None
        row = self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return _fact(row) if row else None

    @_guarded
    def facts(self, fact_ids: Sequence[str]) -> dict[str, Fact]:
        """The facts of these ids that exist, by id: one query per 500 ids, however many are asked for."""
        found: dict[str, Fact] = {}
        from .text import is_text

        wanted = sorted({i for i in fact_ids if is_text(i)})  # an id that is no text names no fact
        for at in range(0, len(wanted), 500):
            part = wanted[at : at + 500]
            marks = ",".join("?" * len(part))
            for row in self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE id IN ({marks})", part):
                fact = _fact(row)
                found[fact.id] = fact
        return found

    @_guarded
    def all_facts(self) -> list[Fact]:
        """Every fact, in file order."""
        return [_fact(r) for r in self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts ORDER BY position")]

    @_guarded
    def ids(self, prefix: str = "") -> list[str]:
        """Fact ids in file order, those starting with `prefix` where one is given."""
        from .text import is_text

        if not is_text(prefix):
            return []
        if not prefix:
            return [_required_text(r[0]) for r in self.conn.execute("SELECT id FROM facts ORDER BY position")]
        rows = self.conn.execute(
            "SELECT id FROM facts WHERE substr(id, 1, ?) = ? ORDER BY position", (len(prefix), prefix)
        )
        return [_required_text(r[0]) for r in rows]

    def retrying(self, answer: Callable[[], _R]) -> _R:
        """`answer()`, which reads this index; where the index turns out damaged, rebuilt and answered again.

        What `_guarded` does for one method, for a search that reads the haystacks as it goes.
        """
        try:
            return answer()
        except _DAMAGE as e:
            if self.rebuild is None:
                raise
            self.note(f"the cached index is damaged ({type(e).__name__}: {e}): rebuilt")
            self._load(self.rebuild())
            return answer()

    def haystacks(self) -> Iterator[tuple[int, array[int], bytes]]:
        """The facts' search texts, a few thousand facts at a time in file order: (first position, starts, text).

        Each fact's text starts with a newline at `starts[k]` and holds its fields (`_haystacks`)
        separated by `text.SEPARATOR`.
        """
        for first, starts_blob, text in self.conn.execute("SELECT first, starts, text FROM haystack ORDER BY first"):
            if not isinstance(first, int) or not isinstance(starts_blob, bytes) or not isinstance(text, bytes):
                raise Damaged("a haystack row of the wrong types")
            starts = array("q")
            starts.frombytes(starts_blob)  # ValueError where the blob is no whole number of positions
            if starts and not 0 <= starts[-1] < len(text):  # other bad positions fail to decode: damage too
                raise Damaged("haystack positions beyond its text")
            yield first, starts, text

    @_guarded
    def facts_at(self, positions: Sequence[int]) -> list[Fact]:
        """The facts at these positions, in the order given."""
        found: dict[int, Fact] = {}
        for at in range(0, len(positions), 500):
            part = list(positions[at : at + 500])
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(f"SELECT position, {_FACT_COLUMNS} FROM facts WHERE position IN ({marks})", part)
            found.update((r[0], _fact(r[1:])) for r in rows)
        return [found[p] for p in positions if p in found]

    @_guarded
    def topics_called(self, name: str, stems_key: str | None) -> list[tuple[str, bool]]:
        """(slug, by alias) of the topics one of whose names is `name` (or, for words, has these stems)."""
        if stems_key is None:
            rows = self.conn.execute("SELECT slug, alias FROM topic_names WHERE name = ?", (name,))
        else:
            rows = self.conn.execute("SELECT slug, alias FROM topic_names WHERE stems = ?", (stems_key,))
        best: dict[str, bool] = {}
        for slug, alias in rows:
            best[slug] = best.get(slug, True) and bool(alias)
        return sorted(best.items())

    @_guarded
    def topic_positions(self, slugs: Iterable[str], primary_only: bool) -> dict[int, bool]:
        """Positions of the facts under these topics, each with whether one of them is its primary topic."""
        wanted = sorted(set(slugs))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.conn.execute(
            f"SELECT position, min(secondary) FROM fact_topics WHERE topic IN ({marks})"
            + (" AND NOT secondary" if primary_only else "")
            + " GROUP BY position",
            wanted,
        )
        return {p: not secondary for p, secondary in rows}

    @_guarded
    def glossary_group(self, term: str) -> list[str]:
        """The terms of the glossary group `term` belongs to (itself included), or [] when in none."""
        rows = self.conn.execute(
            "SELECT DISTINCT g.term FROM glossary t JOIN glossary g USING (grp) WHERE t.key = ? ORDER BY g.rowid",
            (_text_key(term),),
        )
        return [r[0] for r in rows]

    @_guarded
    def chinese_words(self) -> set[str]:
        """The glossary's Chinese terms and the topics' Chinese names: the words a Chinese term is split into."""
        rows = self.conn.execute(
            "SELECT term FROM glossary UNION SELECT name FROM topic_names WHERE name NOT GLOB '*[0-9(]*'"
        )
        return {r[0] for r in rows if not r[0].isascii()}

    @_guarded
    def glossary_phrases(self) -> list[str]:
        """The glossary's terms of more than one word."""
        return [r[0] for r in self.conn.execute("SELECT term FROM glossary WHERE instr(term, ' ') > 0")]

    @_guarded
    def has_word(self, word: str, field: int) -> bool:
        """Whether `word` is listed for `field` of some fact."""
        row = self.conn.execute("SELECT 1 FROM words WHERE word = ? AND field = ?", (word, field)).fetchone()
        return row is not None

    @_guarded
    def words_starting(self, prefix: str, field: int) -> list[str]:
        """The words listed for `field` of some fact that start with `prefix`."""
        rows = self.conn.execute(
            "SELECT word FROM words WHERE word >= ? AND word < ? AND field = ?", (prefix, prefix + "\U0010ffff", field)
        )
        return [r[0] for r in rows]

    @_guarded
    def written_anywhere(self, pieces: set[str]) -> bool:
        """Whether every one of these Chinese characters and pairs stands in some label or quote."""
        wanted = sorted(pieces)
        for at in range(0, len(wanted), 500):  # a long term: SQLite takes a bounded number of parameters
            part = wanted[at : at + 500]
            marks = ",".join("?" * len(part))
            row = self.conn.execute(
                f"SELECT count(*) FROM words WHERE field = ? AND word IN ({marks})", (CHINESE, *part)
            ).fetchone()
            if row[0] != len(part):
                return False
        return True

    @_guarded
    def word_holds(self, part: str, field: int) -> bool:
        """Whether a word of `field` holds `part`: for Chinese, which runs on without spaces."""
        row = self.conn.execute("SELECT 1 FROM words WHERE field = ? AND instr(word, ?) LIMIT 1", (field, part))
        return row.fetchone() is not None

    @_guarded
    def indicator_facts(self, slug: str) -> list[Fact]:
        """The facts that measure an indicator, in the base's order."""
        rows = self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE indicator = ? ORDER BY position", (slug,))
        return [_fact(r) for r in rows]

    @_guarded
    def city_facts(self) -> list[Fact]:
        """Facts with a share of the city, a gap to its growth or a published city figure, in file order."""
        return [_fact(r) for r in self.conn.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE city ORDER BY position")]

    @_guarded
    def vocabulary(self) -> list[str]:
        """The words of topic names, fact labels, ids and quotes (the English ones), for did-you-mean hints."""
        if self._vocabulary is None:
            rows = self.conn.execute(
                "SELECT DISTINCT word FROM words WHERE length(word) > 2 AND field < ? ORDER BY word", (WHOLE_LABEL,)
            )
            self._vocabulary = [_required_text(r[0]) for r in rows]
        return self._vocabulary


def _lookup_name(name: str) -> str:
    """A topic name as `topic_names` holds it. Plain ASCII needs only case and spaces, so the usual
    look-up (`lj-facts industry`) does not import the text module; anything else is normalised."""
    if name.isascii():
        return " ".join(name.casefold().split())
    from .text import normalise

    return normalise(name)


def _text_key(term: str) -> str:
    from .text import key

    return key(term)


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


def holders(text: bytes, starts: array[int], needle: bytes) -> set[int]:
    """Which facts of a haystack hold the needle (their places in it, from 0)."""
    return _holders(text, starts, needle)


def holds(text: bytes, starts: array[int], k: int, needle: bytes) -> bool:
    """Whether fact `k` of a haystack holds the needle."""
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    return text.find(needle, starts[k], end) >= 0


def _qualified(record: Any, alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in _names(record))

"""Indexing a large knowledge file in parallel: a share of its [[facts]] parsed and indexed by each of a
pool of forked workers, which end with the build whatever ends it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from typing import Any

from ..model import (
    Fact,
)
from .building import insert_facts, insert_header, insert_indicators
from .rows import INDEXES, SCHEMA

_FACTS_HEADER = "\n[[facts]]\n"
"""Where a share of a large file may begin: a plain [[facts]] header line."""
_CHUNK: dict[str, Any] = {}
"""What the forked workers of `build_parallel` read: inherited, never pickled."""


def build_parallel(text: str, name: str, conn: sqlite3.Connection, info: dict[str, str]) -> bool:
    """Index a large file with a worker a core, each parsing and indexing a share of its [[facts]].

    Only a file every part of which checks out is indexed this way; for anything else (a TOML or
    schema error, a duplicate id across shares, a layout it does not expect) it returns False, and
    the caller parses the whole file in one piece, which reports every problem exactly.
    """
    import multiprocessing
    import tempfile

    from ..load import (  # the names, not `from .. import load`: `lj_facts.load` is the API's function
        city_figures_table,
        glossary_table,
        indicators_table,
        meta_table,
        parse_toml,
        references,
        set_aside_table,
        sources_table,
        topics_table,
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
    meta, topics = meta_table(head.get("meta"), problems), topics_table(head.get("topics"), problems)
    glossary = glossary_table(head.get("glossary"), problems)
    head_tables = {"meta", "topics", "indicators", "sources", "city_figures", "set_aside", "glossary"}
    if problems or meta is None or set(head) - head_tables:
        return False
    indicators = indicators_table(head.get("indicators", {}), problems)
    sources = sources_table(head.get("sources", []), problems, meta)
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
        city = city_figures_table(present[0] if present else [], problems, meta.city_zh)
        # The index holds no set-aside sentences (only `validate` reads them), but they must hold.
        aside = [head.get("set_aside", [])] + [r[0].get("set_aside", []) for r in results if r]
        set_aside_table([e for part in aside if isinstance(part, list) for e in part], problems)
        if any(not isinstance(part, list) for part in aside):
            return False
        if problems or any(references(r[1], city, {s.id for s in sources}, indicators) for r in results if r):
            return False
        conn.executescript(SCHEMA)
        insert_header(conn, (meta,), topics, city, sources, info, glossary)
        insert_indicators(conn, indicators)
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
    conn.executescript(INDEXES)
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
    from ..load import fact_entry, parse_toml

    text, bounds, topics = _CHUNK["text"], _CHUNK["bounds"], _CHUNK["topics"]
    try:
        doc = parse_toml(text[bounds[k] : bounds[k + 1]].encode("utf-8"), _CHUNK["name"])
    except Exception:
        return None
    problems: list[Any] = []
    period = _CHUNK["period"]
    source = _CHUNK["source"]
    facts = [
        fact_entry(entry, str(i), topics, problems, period, source) for i, entry in enumerate(doc.pop("facts", []))
    ]
    checked = [f for f in facts if f is not None]
    if problems or len({f.id for f in checked}) != len(facts):
        return None
    conn = sqlite3.connect(os.path.join(_CHUNK["tmp"], f"{k}.sqlite3"))
    conn.executescript(SCHEMA.replace("UNIQUE INDEX", "INDEX"))  # the parent's table checks ids across shares
    insert_facts(conn, checked, k << 40)
    conn.commit()
    conn.close()
    # What the parent checks against the file's city figures and sources: the facts that name any.
    return doc, [f for f in checked if f.city_figure or f.city_context or f.indicator or f.source != source]

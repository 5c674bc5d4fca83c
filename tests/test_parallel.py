"""Large files are indexed in parallel; the index and every error must be exactly those of one piece."""

from __future__ import annotations

import json
import sqlite3

import pytest

from lj_facts import index as index_module
from lj_facts.cli import app
from lj_facts.index import parallel as pool_module

from .conftest import MINIMAL


def big_text(copies: int = 60, broken: str = "") -> str:
    fact = MINIMAL[MINIMAL.index("[[facts]]") :]
    body = "".join(
        fact.replace("industry.gross-output", f"industry.copy-{i}").replace("2008.3", f"{i}.5") for i in range(copies)
    )
    city = '\n[[city_figures]]\nid = "city.x"\nlabel = "x"\nlabel_zh = "x"\nperiod = "2021-H1"\nsource = "s"\ngrowth_pct = 1\n'
    return MINIMAL + body + broken + city


def rows(path, monkeypatch, parallel: bool) -> dict[str, list]:
    """The index's content with positions replaced by the ids they number (a share numbers from its own base)."""
    monkeypatch.setattr("lj_facts.index.building.PARALLEL_BYTES", 100 if parallel else 10**12)
    conn = index_module.open_index(path, None).conn
    return {
        "facts": [r[1:] for r in conn.execute("SELECT * FROM facts ORDER BY position")],
        "fact_topics": conn.execute(
            "SELECT t.topic, t.secondary, f.id FROM fact_topics t JOIN facts f USING (position) ORDER BY t.topic, t.secondary, t.position"
        ).fetchall(),
        "words": conn.execute("SELECT word FROM words ORDER BY word").fetchall(),
        "topics": conn.execute("SELECT * FROM topics ORDER BY position").fetchall(),
        "meta": conn.execute("SELECT * FROM meta").fetchall(),
        "city_figures": conn.execute("SELECT * FROM city_figures").fetchall(),
        "topic_names": conn.execute("SELECT * FROM topic_names ORDER BY name, slug").fetchall(),
    }


def test_parallel_index_equals_the_one_piece_index(write_file, monkeypatch):
    path = write_file(text=big_text())
    parallel, serial = rows(path, monkeypatch, True), rows(path, monkeypatch, False)
    assert len(parallel["facts"]) == 61
    assert parallel == serial


def test_parallel_was_used(write_file, monkeypatch):
    calls = []
    real = pool_module.build_parallel

    def spy(*args, **kwargs):
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr("lj_facts.index.parallel.build_parallel", spy)
    rows(write_file(text=big_text()), monkeypatch, True)
    assert calls == [True]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            '\n[[facts]]\nid = "industry.copy-3"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "claim"\n',
            "industry.copy-3: id: duplicate id",
        ),
        (
            '\n[[facts]]\nid = "a.b"\ntopics = ["nope"]\nlabel = "x"\ntext = "y"\nkind = "claim"\n',
            "a.b: topics: 'nope' is not a declared topic",
        ),
        ('\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y\nkind = "claim"\n', "invalid TOML"),
        (
            '\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\ncity_figure = "city.nope"\ngrowth_pct = 1\n',
            "'city.nope' is not a declared",
        ),
    ],
    ids=["duplicate across shares", "undeclared topic", "TOML error", "unknown city figure"],
)
def test_a_broken_large_file_reports_what_one_piece_reports(runner, write_file, monkeypatch, broken, expected):
    path = write_file(text=big_text(broken=broken))
    monkeypatch.setattr("lj_facts.index.building.PARALLEL_BYTES", 10**12)
    serial = runner.invoke(app, ["industry", "--file", str(path), "--no-cache"])
    monkeypatch.setattr("lj_facts.index.building.PARALLEL_BYTES", 100)
    parallel = runner.invoke(app, ["industry", "--file", str(path), "--no-cache"])
    assert parallel.exit_code == serial.exit_code == 2
    assert parallel.stderr == serial.stderr
    assert expected in parallel.stderr


def test_answers_from_a_parallel_index(runner, write_file, monkeypatch):
    monkeypatch.setattr("lj_facts.index.building.PARALLEL_BYTES", 100)
    path = write_file(text=big_text())
    result = runner.invoke(app, ["search", "industry.copy-42", "--file", str(path), "--json"])
    assert [r["value"] for r in json.loads(result.stdout)] == [42.5]
    assert isinstance(sqlite3.sqlite_version, str)


def test_a_pool_that_cannot_end_is_left_and_its_workers_killed(monkeypatch):
    """`Pool.terminate` waits forever for a worker killed while holding the task queue's lock: the build
    does not wait with it. The ending is given its time, then every worker still there is killed."""
    import threading
    import time

    monkeypatch.setattr("lj_facts.index.parallel.POOL_END_SECONDS", 0.2)
    stuck = threading.Event()

    class Pool:
        def terminate(self) -> None:
            stuck.wait()  # as on a lock a dead worker holds

    class Worker:
        killed = False

        def kill(self) -> None:
            self.killed = True

        def join(self, timeout: float) -> None:
            pass

    workers = [Worker(), Worker()]

    class Context:
        def active_children(self) -> list[Worker]:
            return workers

    started = time.monotonic()
    pool_module._end_pool(Pool(), Context())
    assert time.monotonic() - started < 2
    assert all(w.killed for w in workers)
    stuck.set()

"""Red team: hostile caches, streams, bytes, numbers, text, sizes and signals, each as a real `lj-facts` process.

Run it from a checkout with lj-facts installed (`pip install -e .`):

    python tests/redteam.py            # every case; prints cases, passed, failed, skipped
    python tests/redteam.py -k cache   # the cases whose name holds "cache"

It exits 1 if any case fails. `tests/test_redteam.py` runs it in the test suite (and so in CI).
Cases that need root (a folder of another user, a full tmpfs) are skipped elsewhere, and counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "facts.toml"
LJ = [sys.executable, "-m", "lj_facts"]
ROOT = os.getuid() == 0
QUICK = False
"""--quick (the test suite's run): fewer command × format combinations a case, the same classes."""

MINIMAL = """\
[meta]
title = "A report"
region = "Liangjiang New Area"
region_zh = "两江新区"
city = "Chongqing"
city_zh = "重庆市"
default_period = "2021-H1"
period_inference = "Stated."

[topics.industry]
name = "Industry"
name_zh = "工业"

[[facts]]
id = "industry.gross-output"
topics = ["industry"]
label = "gross industrial output"
text = "规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%"
kind = "number"
value = 2008.3
unit = "亿元"
growth_pct = 41.1
city_share_pct = 16.3
"""


class Skip(Exception):
    """The case cannot run here (needs root, or a system feature)."""


class Case:
    """A hostile case: a name and a check that raises AssertionError (fails) or Skip."""

    def __init__(self, name: str, check: Callable[[Path], None]) -> None:
        self.name = name
        self.check = check


CASES: list[Case] = []


def case(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(check: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(name, check))
        return check

    return register


def env_for(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LJ_FACTS_") and not k.endswith("_COMPLETE")}
    env.update(LJ_FACTS_CACHE_DIR=str(tmp / "cache"), TERM="dumb", COLUMNS="160", PYTHONUTF8="1")
    env.pop("FORCE_COLOR", None)
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run(
    tmp: Path, *args: str | bytes, env: dict[str, str] | None = None, timeout: float = 60, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    kw.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*LJ, *args], env=env or env_for(tmp), capture_output=True, timeout=timeout, **kw
    )


def clean(p: subprocess.CompletedProcess[bytes]) -> None:
    """No traceback, no 'bug' message, no worker's death notice, at most a few lines of stderr."""
    for bad in (b"Traceback", b"bug in lj-facts", b"ForkPoolWorker", b"Exception ignored"):
        assert bad not in p.stderr, f"stderr holds {bad!r}: {p.stderr[-600:]!r}"


def expect(
    p: subprocess.CompletedProcess[bytes], code: int, *, out: bytes | None = None, err: bytes | None = None
) -> None:
    clean(p)
    assert p.returncode == code, f"exit {p.returncode}, wanted {code}; stderr {p.stderr[-400:]!r}"
    if out is not None:
        assert out in p.stdout, f"{out!r} not in stdout {p.stdout[:300]!r}"
    if err is not None:
        assert err in p.stderr, f"{err!r} not in stderr {p.stderr[-400:]!r}"


def write(tmp: Path, text: str, name: str = "facts.toml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def json_rows(p: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    def refuse(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name}")

    rows: list[dict[str, object]] = json.loads(p.stdout, parse_constant=refuse)
    return rows


# --- 1-2. The cache is lj-facts' own, or it is not used --------------------------------------------


def planted(tmp: Path, folder: Path) -> None:
    """An index of the shipped file built by lj-facts, moved into `folder` with one figure changed."""
    own = tmp / "own-cache"
    p = run(tmp, "industry", "--file", str(SHIPPED), env=env_for(tmp, LJ_FACTS_CACHE_DIR=str(own)))
    assert p.returncode == 0
    (index,) = own.glob("*.sqlite3")
    conn = sqlite3.connect(index)
    conn.execute("UPDATE facts SET value = 9999.9 WHERE id = 'industry.gross-output'")
    conn.commit()
    conn.close()
    folder.mkdir(exist_ok=True)
    shutil.copy(index, folder / index.name)


def served_true(tmp: Path, folder: Path, *, debug_says: bytes = b"") -> None:
    p = run(tmp, "show", "industry.gross-output", "--json", "--debug", env=env_for(tmp, LJ_FACTS_CACHE_DIR=str(folder)))
    expect(p, 0, err=debug_says or None)
    assert json_rows(p)[0]["value"] == 2008.3, "a planted figure was served"


for mode in (0o777, 0o770, 0o707, 0o775, 0o757):

    @case(f"cache: a folder of mode {mode:o} is not used, its planted index not served")
    def _writable(tmp: Path, mode: int = mode) -> None:
        folder = tmp / "shared"
        planted(tmp, folder)
        folder.chmod(mode)
        served_true(tmp, folder, debug_says=b"can be written by others")


@case("cache: a folder of another user is not used")
def _foreign(tmp: Path) -> None:
    if not ROOT:
        raise Skip("needs root to give a folder away")
    folder = tmp / "theirs"
    planted(tmp, folder)
    os.chown(folder, 65534, 65534)
    for f in folder.iterdir():
        os.chown(f, 65534, 65534)
    served_true(tmp, folder, debug_says=b"belongs to another user")


@case("cache: a symlink to a folder of another user is not followed")
def _symlink_folder(tmp: Path) -> None:
    if not ROOT:
        raise Skip("needs root to give a folder away")
    folder = tmp / "theirs"
    planted(tmp, folder)
    os.chown(folder, 65534, 65534)
    (tmp / "link").symlink_to(folder)
    served_true(tmp, tmp / "link")


@case("cache: a symlinked index is not followed")
def _symlink_index(tmp: Path) -> None:
    elsewhere = tmp / "elsewhere"
    planted(tmp, elsewhere)
    (index,) = elsewhere.glob("*.sqlite3")
    folder = tmp / "mine"
    folder.mkdir(mode=0o700)
    (folder / index.name).symlink_to(index)
    served_true(tmp, folder)


@case("cache: a folder under a world-writable, non-sticky folder is not used")
def _writable_parent(tmp: Path) -> None:
    parent = tmp / "open"
    parent.mkdir()
    folder = parent / "cache"
    planted(tmp, folder)
    folder.chmod(0o700)
    parent.chmod(0o777)
    served_true(tmp, folder)


@case("cache: the folder lj-facts creates is 0700, its index not readable by others")
def _created_private(tmp: Path) -> None:
    folder = tmp / "new" / "deeper"
    p = run(tmp, "industry", env=env_for(tmp, LJ_FACTS_CACHE_DIR=str(folder)))
    expect(p, 0)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (index,) = folder.glob("*.sqlite3")
    assert not stat.S_IMODE(index.stat().st_mode) & 0o077


DAMAGE = {
    "an unknown enum": "UPDATE facts SET kind = 'bogus'",
    "text for a number": "UPDATE facts SET value = 'abc' WHERE value IS NOT NULL",
    "a number for text": "UPDATE facts SET label = 42",
    "a NULL id": "UPDATE facts SET id = NULL",
    "an unknown unit": "UPDATE facts SET unit = 'parsecs' WHERE unit IS NOT NULL",
    "an unknown qualifier": "UPDATE facts SET qualifier = 'roughly'",
    "a huge rank": "UPDATE facts SET rank = 9223372036854775807",
    "a value out of range": "UPDATE facts SET value = 1e300 WHERE value IS NOT NULL",
    "a NaN-like share": "UPDATE facts SET city_share_pct = -5 WHERE city_share_pct IS NOT NULL",
    "a blob for a topic list": "UPDATE facts SET topics = x'00ff'",
    "a missing table": "DROP TABLE words",
    "a missing facts table": "DROP TABLE facts",
    "a missing meta row": "DELETE FROM meta",
    "a bad meta row": "UPDATE meta SET names = 7",
    "a city figure of text": "UPDATE city_figures SET value = 'x'",
    "an odd haystack": "UPDATE haystack SET starts = x'010203'",
    "a text haystack": "UPDATE haystack SET text = 'plain text'",
    "a recursive view": "DROP TABLE words; CREATE VIEW words AS WITH RECURSIVE r(word) AS "
    "(SELECT 1 UNION ALL SELECT word + 1 FROM r) SELECT word FROM r",
    "a view over facts": "ALTER TABLE facts RENAME TO f2; CREATE VIEW facts AS SELECT * FROM f2",
    "a trigger": "CREATE TRIGGER t AFTER UPDATE ON info BEGIN DELETE FROM facts; END",
    "an extra table": "CREATE TABLE extra (x)",
    "an extra index": "CREATE INDEX extra ON facts (label)",
    "an extra column": "ALTER TABLE facts ADD COLUMN extra",
    "another format": "UPDATE info SET value = 'lj-facts index 0' WHERE key = 'format'",
    "an info of numbers": "UPDATE info SET value = 5 WHERE key = 'built'",
}

for what, sql in DAMAGE.items():

    @case(f"cache: an index with {what} is rebuilt, the answer right")
    def _damaged(tmp: Path, sql: str = sql) -> None:
        env = env_for(tmp)
        expect(run(tmp, "industry", env=env), 0)
        (index,) = (tmp / "cache").glob("*.sqlite3")
        conn = sqlite3.connect(index)
        conn.executescript(sql)
        conn.commit()
        conn.close()
        asked = [["industry"], ["show", "industry.gross-output"], ["汽车"], ["city"], ["topics"], ["nothing-at-all"]]
        for args in asked[::3] if QUICK else asked:
            truth = run(tmp, *args, "--no-cache", "--json", env=env)
            p = run(tmp, *args, "--json", env=env, timeout=30)
            expect(p, truth.returncode)
            assert p.stdout == truth.stdout, f"{args}: the answer differs from the uncached one"


for what, damage in {
    "malformed pages": lambda b: b[:8192] + bytes(255 - x for x in b[8192:40000]) + b[40000:],
    "a truncated file": lambda b: b[: len(b) // 3],
    "an empty file": lambda b: b"",
    "random bytes": lambda b: os.urandom(len(b)),
    "a header only": lambda b: b[:100],
}.items():

    @case(f"cache: an index file of {what} is rebuilt, the answer right")
    def _broken_bytes(tmp: Path, damage: Callable[[bytes], bytes] = damage) -> None:
        env = env_for(tmp)
        expect(run(tmp, "industry", env=env), 0)
        (index,) = (tmp / "cache").glob("*.sqlite3")
        index.write_bytes(damage(index.read_bytes()))
        truth = run(tmp, "汽车", "--json", "--no-cache", env=env)
        for _ in range(2):
            p = run(tmp, "汽车", "--json", env=env, timeout=30)
            expect(p, 0)
            assert p.stdout == truth.stdout


for kind in ("fifo", "folder", "file of mode 666"):

    @case(f"cache: an index that is a {kind} is not read, the answer right")
    def _odd_index(tmp: Path, kind: str = kind) -> None:
        env = env_for(tmp)
        expect(run(tmp, "industry", env=env), 0)
        (index,) = (tmp / "cache").glob("*.sqlite3")
        if kind == "fifo":
            index.unlink()
            os.mkfifo(index)
        elif kind == "folder":
            index.unlink()
            index.mkdir()
        else:
            conn = sqlite3.connect(index)
            conn.execute("UPDATE facts SET value = 9999.9")
            conn.commit()
            conn.close()
            index.chmod(0o666)
        p = run(tmp, "show", "industry.gross-output", "--json", env=env, timeout=20)
        expect(p, 0)
        assert json_rows(p)[0]["value"] == 2008.3


@case("cache: a cache folder that is a file is not used")
def _folder_is_file(tmp: Path) -> None:
    f = tmp / "a-file"
    f.write_text("x")
    expect(run(tmp, "industry", env=env_for(tmp, LJ_FACTS_CACHE_DIR=str(f))), 0)
    assert f.read_text() == "x"


# --- 3. No cache, and settings the XDG spec ignores ------------------------------------------------


@case("cache: LJ_FACTS_NO_CACHE=1 writes no index")
def _no_cache(tmp: Path) -> None:
    expect(run(tmp, "industry", env=env_for(tmp, LJ_FACTS_NO_CACHE="1")), 0)
    assert not (tmp / "cache").exists()


for label, settings in {
    "a relative LJ_FACTS_CACHE_DIR": {"LJ_FACTS_CACHE_DIR": "rel/cache"},
    "an unexpanded ~/ in LJ_FACTS_CACHE_DIR": {"LJ_FACTS_CACHE_DIR": "~/cache"},
    "a relative XDG_CACHE_HOME and HOME": {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "xdg", "HOME": "home"},
    "an empty HOME": {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "", "HOME": ""},
    "an unexpanded ~ in HOME": {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "", "HOME": "~"},
    "a NUL-free odd XDG_CACHE_HOME": {"LJ_FACTS_CACHE_DIR": "", "XDG_CACHE_HOME": "~/.cache", "HOME": "rel"},
    "a cache path through a file": {"LJ_FACTS_CACHE_DIR": "/dev/null/cache"},
}.items():

    @case(f"cache: {label} is ignored, the answer uncached")
    def _ignored(tmp: Path, settings: dict[str, str] = settings) -> None:
        work = tmp / "work"
        work.mkdir()
        p = run(tmp, "industry", env=env_for(tmp, **settings), cwd=work)
        expect(p, 0, out=b"industry.gross-output")
        assert not any(work.iterdir()), "a cache was written relative to the working directory"


# --- 4-5. Interrupted builds, signals, a full disk -------------------------------------------------


def big_file(tmp: Path, size: int = 4_700_000) -> Path:
    """A knowledge file over the parallel-build threshold (4 MiB): just over it, unless told."""
    head, _, rest = SHIPPED.read_text(encoding="utf-8").partition("\n[[facts]]\n")
    facts, _, city = ("[[facts]]\n" + rest).partition("\n# --- The city's published totals")
    copies = []
    k = 0
    while sum(map(len, copies)) < size:
        k += 1
        copies.append(facts.replace('id = "', f'id = "c{k}-'))
    return write(tmp, head + "\n" + "\n".join(copies) + "\n# --- The city's published totals" + city, "big.toml")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def leftovers(tmp: Path, pid: int) -> list[str]:
    found = [p.name for p in (tmp / "cache").glob(".building-*")] if (tmp / "cache").exists() else []
    found += [p.name for p in Path(tempfile.gettempdir()).glob(f"lj-facts-{pid}-*")]
    return found


def interrupted(tmp: Path, sig: int, whole_group: bool) -> tuple[subprocess.Popen[bytes], list[int]]:
    path = big_file(tmp, 12_000_000)  # a build that lasts, on a fast machine too
    proc = subprocess.Popen(
        [*LJ, "industry", "--file", str(path)],
        env=env_for(tmp),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not workers:  # wait for the parallel build's workers
        time.sleep(0.05)
        workers = children(proc.pid)
        if proc.poll() is not None:
            raise AssertionError("the build ended before it could be interrupted")
    time.sleep(0.2)
    if whole_group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    return proc, workers


for sig, code, group in (
    (signal.SIGINT, 130, True),
    (signal.SIGTERM, 143, False),
    (signal.SIGTERM, 143, True),
    (signal.SIGHUP, 129, False),
    (signal.SIGHUP, 129, True),
):

    @case(f"signals: {sig.name} to the {'process group' if group else 'main process'} of a parallel build")
    def _signal(tmp: Path, sig: signal.Signals = sig, code: int = code, group: bool = group) -> None:
        if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
            raise Skip("a parallel build needs Linux and two cores")
        proc, workers = interrupted(tmp, sig, group)
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        p = subprocess.CompletedProcess(proc.args, proc.returncode, b"", err)
        expect(p, code)
        assert err.count(b"\n") <= 1, f"more than one line: {err!r}"
        time.sleep(0.5)
        assert not [w for w in workers if alive(w)], "a worker is left running"
        assert not leftovers(tmp, proc.pid), leftovers(tmp, proc.pid)


@case("signals: SIGTERM, SIGHUP and Ctrl-C while waiting on stdin end with 143, 129 and 130")
def _waiting(tmp: Path) -> None:
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)):
        read, write_end = os.pipe()
        proc = subprocess.Popen(
            [*LJ, "industry", "--file", "-"],
            env=env_for(tmp),
            stdin=read,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            time.sleep(1.0)  # started, and reading
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=20)
        finally:
            proc.kill()
            os.close(read)
            os.close(write_end)
        expect(subprocess.CompletedProcess(proc.args, proc.returncode, out, err), code)


@case("signals: SIGKILL of the main process ends its workers within a second; the next run is right and tidies up")
def _sigkill(tmp: Path) -> None:
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        raise Skip("a parallel build needs Linux and two cores")
    proc, workers = interrupted(tmp, signal.SIGKILL, False)
    proc.wait(timeout=10)
    time.sleep(1.0)
    assert not [w for w in workers if alive(w)], "a worker outlived its parent by a second"
    path = tmp / "big.toml"
    p = run(tmp, "show", "c1-industry.gross-output", "--file", str(path), "--json")
    expect(p, 0)
    assert json_rows(p)[0]["value"] == 2008.3
    assert not leftovers(tmp, proc.pid), leftovers(tmp, proc.pid)


@case("signals: a worker killed during a parallel build: the answer comes anyway, no hang")
def _worker_killed(tmp: Path) -> None:
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        raise Skip("a parallel build needs Linux and two cores")
    path = big_file(tmp)
    proc = subprocess.Popen(
        [*LJ, "show", "c1-industry.gross-output", "--file", str(path), "--json"],
        env=env_for(tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while not children(proc.pid) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError, IndexError):
        os.kill(children(proc.pid)[0], signal.SIGKILL)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    expect(subprocess.CompletedProcess(proc.args, proc.returncode, out, err), 0)
    assert json.loads(out)[0]["value"] == 2008.3


@contextlib.contextmanager
def tiny_disk(tmp: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, full (needs root and a system that allows mounting)."""
    if not ROOT or shutil.which("mount") is None:
        raise Skip("needs root to mount a small tmpfs")
    disk = tmp / "disk"
    disk.mkdir(mode=0o700)
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=700", "tmpfs", str(disk)], capture_output=True
    ).returncode:
        raise Skip("mount is not allowed here")
    try:
        (disk / "cache").mkdir(mode=0o700)
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as f:
            f.write(b"\0" * (1 << 20))
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@case("disk: a full cache folder means an answer without cache")
def _full_cache(tmp: Path) -> None:
    with tiny_disk(tmp) as disk:
        p = run(tmp, "汽车", env=env_for(tmp, LJ_FACTS_CACHE_DIR=str(disk / "cache")))
        expect(p, 0, out=b"auto.")
        assert not list((disk / "cache").iterdir())


@case("disk: a full TMPDIR means an answer, also for a parallel build")
def _full_tmp(tmp: Path) -> None:
    with tiny_disk(tmp) as disk:
        path = big_file(tmp)
        p = run(tmp, "show", "c1-industry.gross-output", "--file", str(path), env=env_for(tmp, TMPDIR=str(disk)))
        expect(p, 0, out=b"2008.3")


# --- 6. Streams ------------------------------------------------------------------------------------


def two_versions(tmp: Path) -> tuple[bytes, bytes]:
    first = MINIMAL.encode()
    second = MINIMAL.replace("gross industrial output", "second version").encode()
    return first, second


@case("streams: --file - reads stdin once, never caches: a second, different stdin is answered right")
def _stdin(tmp: Path) -> None:
    first, second = two_versions(tmp)
    expect(run(tmp, "industry", "--file", "-", input=first, stdin=None), 0, out=b"gross industrial output")
    expect(run(tmp, "industry", "--file", "-", input=second, stdin=None), 0, out=b"second version")
    assert not (tmp / "cache").exists() or not list((tmp / "cache").glob("*.sqlite3"))


@case("streams: /dev/stdin, a pipe, twice with other content")
def _dev_stdin(tmp: Path) -> None:
    first, second = two_versions(tmp)
    expect(run(tmp, "industry", "--file", "/dev/stdin", input=first, stdin=None), 0, out=b"gross industrial output")
    expect(run(tmp, "industry", "--file", "/dev/stdin", input=second, stdin=None), 0, out=b"second version")


@case("streams: /dev/stdin redirected from files, twice with other content")
def _dev_stdin_file(tmp: Path) -> None:
    first, second = two_versions(tmp)
    for content, wanted in ((first, b"gross industrial output"), (second, b"second version")):
        path = tmp / "in.toml"
        path.write_bytes(content)
        with path.open("rb") as f:
            expect(run(tmp, "industry", "--file", "/dev/stdin", stdin=f), 0, out=wanted)


@case("streams: a FIFO, twice with other content")
def _fifo(tmp: Path) -> None:
    first, second = two_versions(tmp)
    fifo = tmp / "fifo"
    os.mkfifo(fifo)
    for content, wanted in ((first, b"gross industrial output"), (second, b"second version")):
        writer = subprocess.Popen(["sh", "-c", f'cat > "{fifo}"'], stdin=subprocess.PIPE)
        proc = subprocess.Popen(
            [*LJ, "industry", "--file", str(fifo)], env=env_for(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert writer.stdin is not None
        writer.stdin.write(content)
        writer.stdin.close()
        try:
            out, err = proc.communicate(timeout=30)
            writer.wait(timeout=5)
        finally:
            proc.kill()
            writer.kill()
        expect(subprocess.CompletedProcess([], proc.returncode, out, err), 0, out=wanted)


@case("streams: /dev/fd/N and <(…), twice with other content")
def _dev_fd(tmp: Path) -> None:
    first, second = two_versions(tmp)
    for content, wanted in ((first, b"gross industrial output"), (second, b"second version")):
        read, write_end = os.pipe()
        os.write(write_end, content)
        os.close(write_end)
        p = run(tmp, "industry", "--file", f"/dev/fd/{read}", pass_fds=(read,))
        os.close(read)
        expect(p, 0, out=wanted)
    if shutil.which("bash"):
        source = tmp / "src.toml"
        source.write_bytes(second)
        cmd = " ".join(f"'{a}'" for a in LJ) + f' industry --file <(cat "{source}")'
        p = subprocess.run(["bash", "-c", cmd], env=env_for(tmp), capture_output=True, timeout=60)
        expect(p, 0, out=b"second version")


# --- 7. Bytes that are not UTF-8 -------------------------------------------------------------------


@case("bytes: a term of bytes that are not UTF-8 finds nothing, shown escaped")
def _bad_term(tmp: Path) -> None:
    for args in ([b"\xff"], [b"search", b"ok\xfe"], [b"show", b"\xff"], [b"industry\xff"]):
        p = run(tmp, *args)
        expect(p, 1)
        assert b"\\x" in p.stderr or b"\\udc" in p.stderr, p.stderr


@case("bytes: a file name of bytes that are not UTF-8 opens as its bytes say, cached and not")
def _bad_name(tmp: Path) -> None:
    path = os.path.join(os.fsencode(tmp), b"f\xff\xfe.toml")
    with open(path, "wb") as f:
        f.write(MINIMAL.encode())
    for extra in ([], ["--no-cache"], []):
        expect(run(tmp, b"industry", b"--file", path, *extra), 0, out=b"gross industrial output")
    missing = os.path.join(os.fsencode(tmp), b"gone\xff.toml")
    expect(run(tmp, b"industry", b"--file", missing), 2, err=b"no such file")


@case("bytes: LC_ALL=C PYTHONUTF8=0: Chinese terms and paths work, bad bytes find nothing")
def _c_locale(tmp: Path) -> None:
    env = env_for(tmp, LC_ALL="C", PYTHONUTF8="0", LANG="C")
    expect(run(tmp, "汽车", env=env), 0, out=b"auto.")
    expect(run(tmp, b"\xff", env=env), 1)
    path = write(tmp, MINIMAL, "知识.toml")
    expect(run(tmp, "industry", "--file", str(path), env=env), 0, out=b"industry.gross-output")
    expect(run(tmp, "industry", "--file", str(path), "--format", "table", env=env), 0)


# --- 8. Output that fails --------------------------------------------------------------------------


def shell(tmp: Path, redirect: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = " ".join(f"'{a}'" for a in [*LJ, *args]) + " " + redirect
    return subprocess.run(["sh", "-c", cmd], env=env_for(tmp), capture_output=True, timeout=60)


for label, redirect in {
    "stdout closed": ">&-",
    "stdout on /dev/full": ">/dev/full",
    "stdout read-only": "1</dev/null",
}.items():

    @case(f"output: {label} is one line and exit 2")
    def _output(tmp: Path, redirect: str = redirect) -> None:
        if redirect == ">/dev/full" and not Path("/dev/full").exists():
            raise Skip("no /dev/full")
        for args in (
            ["industry"],
            ["show", "industry.gross-output", "--json"],
            ["topics", "-f", "csv"],
            ["city", "-f", "table"],
        ):
            p = shell(tmp, redirect, *args)
            expect(p, 2)
            assert p.stderr.count(b"\n") == 1, p.stderr


@case("output: --version and --help to a full disk are one line and exit 2")
def _version_full(tmp: Path) -> None:
    if not Path("/dev/full").exists():
        raise Skip("no /dev/full")
    for args in (["--version"], ["--help"], ["validate"], ["show", "--help"]):
        p = shell(tmp, ">/dev/full", *args)
        expect(p, 2)
        assert p.stderr.count(b"\n") == 1, p.stderr


@case("output: memory running out is one line and exit 2, never a traceback")
def _memory(tmp: Path) -> None:
    if sys.version_info < (3, 11):
        raise Skip("Python 3.10 itself can crash (SIGSEGV) when memory runs out under a limit")
    path = big_file(tmp)
    levels = (90,) if QUICK else (30, 40, 50, 60, 70, 80, 90, 100, 110, 120)
    # The limit is set by a small launcher that then becomes lj-facts (preexec_fn is unsafe beside threads).
    launcher = (
        "import os, resource, sys; n = int(sys.argv[1]) << 20; resource.setrlimit(resource.RLIMIT_AS, (n, n)); "
        "os.execv(sys.executable, [sys.executable, '-m', 'lj_facts', *sys.argv[2:]])"
    )
    for megabytes in levels:
        p = subprocess.run(
            [sys.executable, "-c", launcher, str(megabytes), "industry", "--file", str(path)],
            env=env_for(tmp, LJ_FACTS_NO_CACHE="1"),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        clean(p)
        assert p.returncode in (0, 2), (megabytes, p.returncode, p.stderr[-300:])
        assert p.stderr.count(b"\n") <= 1, (megabytes, p.stderr[-300:])


@case("output: a reader that goes away is still 141")
def _broken_pipe(tmp: Path) -> None:
    cmd = " ".join(f"'{a}'" for a in LJ) + " industry --file " + str(big_file(tmp)) + " | head -c 10 >/dev/null"
    p = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + cmd],
        env=env_for(tmp, LJ_FACTS_NO_CACHE="1"),
        capture_output=True,
        timeout=120,
    )
    clean(p)
    assert p.returncode == 141, (p.returncode, p.stderr[-300:])


# --- 9-10. Numbers and topics ----------------------------------------------------------------------


def fact_file(tmp: Path, fields: str, city: str = "") -> Path:
    body = MINIMAL.split("\n[[facts]]\n")[0]
    fact = f'\n[[facts]]\nid = "a.b"\ntopics = ["industry"]\nlabel = "x"\ntext = "y"\nkind = "number"\n{fields}\n'
    return write(tmp, body + fact + city)


REFUSED = {
    "a value of 1e16": ('value = 1e16\nunit = "元"\ncity_share_pct = 10', b"a.b: value:"),
    "a value of 1e-5 with a share": ('value = 1e-5\nunit = "元"\ncity_share_pct = 10', b"a.b: value:"),
    "1e308 in 亿元": ('value = 1e308\nunit = "亿元"', b"a.b: value:"),
    "a 400-digit integer": ("value = " + "9" * 400 + '\nunit = "元"', b"a.b: value:"),
    "a negative 400-digit integer": ("growth_pct = -" + "9" * 400, b"a.b: growth_pct:"),
    "a rank of 2**63": (f"rank = {2**63}", b"a.b: rank:"),
    "a rank of 2**63-1": (f"rank = {2**63 - 1}", b"a.b: rank:"),
    "rank_of of 2**70": (f"rank_of = {2**70}", b"a.b: rank_of:"),
    "growth of -100.5": ("growth_pct = -100.5", b"a.b: growth_pct:"),
    "growth of 1e9": ("growth_pct = 1e9", b"a.b: growth_pct:"),
    "a span of 10**6": ("growth_pct = 5\ngrowth_span_years = 1000000", b"a.b: growth_span_years:"),
    "a span of 0": ("growth_pct = 5\ngrowth_span_years = 0", b"a.b: growth_span_years:"),
    "a share of 1e-9": ('value = 5\nunit = "元"\ncity_share_pct = 1e-9', b"a.b: city_share_pct:"),
    "a share of 100.01": ("city_share_pct = 100.01", b"a.b: city_share_pct:"),
    "a gap of 1e300": ("city_growth_gap_pp = 1e300", b"a.b: city_growth_gap_pp:"),
    "a change of -1e7": ("change_pp = -1e7", b"a.b: change_pp:"),
    "a share change of 101": ("city_share_change_pp = 101", b"a.b: city_share_change_pp:"),
    "17 significant digits": ('value = 0.30000000000000004\nunit = "元"', b"a.b: value:"),
    "nan": ("value = nan\nunit = '元'", b"a.b: value:"),
    "-inf": ("growth_pct = -inf", b"a.b: growth_pct:"),
    "a city figure of 1e300": (
        'value = 5\nunit = "元"\ncity_figure = "city.x"',
        b"city.x: value:",
    ),
    "a topic listed twice": ('topics = ["industry", "industry"]\nvalue = 1\nunit = "元"', b"a.b: topics:"),
}
CITY_HUGE = '\n[[city_figures]]\nid = "city.x"\nlabel = "x"\nlabel_zh = "x"\nperiod = "2021-H1"\nsource = "s"\nvalue = 1e300\nunit = "元"\n'

for label, (fields, where) in REFUSED.items():

    @case(f"numbers: {label} is a schema error naming fact and field")
    def _refused(tmp: Path, fields: str = fields, where: bytes = where, label: str = label) -> None:
        if "topics =" in fields:
            path = write(
                tmp,
                MINIMAL.split("\n[[facts]]\n")[0]
                + f'\n[[facts]]\nid = "a.b"\nlabel = "x"\ntext = "y"\nkind = "number"\n{fields}\n',
            )
        else:
            path = fact_file(tmp, fields, CITY_HUGE if "city figure" in label else "")
        for args in (["industry"], ["city", "--json"], ["validate"]):
            p = run(tmp, *args, "--file", str(path))
            expect(p, 2, err=where)


ANSWERED = {
    "the largest value with the smallest share": 'value = 1e15\nunit = "亿元"\ncity_share_pct = 0.0001\nqualifier = "exact"',
    "the smallest value with the largest share": 'value = 0.0001\nunit = "亿元"\ncity_share_pct = 100',
    "a value of 0 with a share": 'value = 0\nunit = "亿元"\ncity_share_pct = 16.3',
    "a negative value with a share": 'value = -12.5\nunit = "亿元"\ncity_share_pct = 16.3\ngrowth_pct = -100',
    "15 significant digits in 亿元": 'value = 123456789.012345\nunit = "亿元"\ncity_share_pct = 12.3456789012345',
    "growth and gap at their ends": "growth_pct = 1e6\ncity_growth_gap_pp = -1e6\ngrowth_span_years = 1000",
    "ranks at their ends": "rank = 1000000000\nrank_of = 1000000000",
    "a published city total far from the fact": 'value = 1e15\nunit = "元"\ncity_figure = "city.y"',
    "a tiny published city total": 'value = 1e15\nunit = "亿元"\ncity_figure = "city.z"',
}
CITY_ENDS = (
    '\n[[city_figures]]\nid = "city.y"\nlabel = "y"\nlabel_zh = "y"\nperiod = "2021-H1"\nsource = "s"\nvalue = 1e15\nunit = "亿元"\ngrowth_pct = -100\n'
    '\n[[city_figures]]\nid = "city.z"\nlabel = "z"\nlabel_zh = "z"\nperiod = "2021-H1"\nsource = "s"\nvalue = 0.0001\nunit = "元"\n'
)

for label, fields in ANSWERED.items():

    @case(f"numbers: {label}: every command answers in every format, standard JSON, no float noise")
    def _answered(tmp: Path, fields: str = fields) -> None:
        path = fact_file(tmp, fields, CITY_ENDS)
        formats = ("json", "jsonl", "csv", "tsv", "markdown", "table")
        commands = (["industry", "--city"], ["show", "a.b"], ["city"], ["search", "x"], ["topics"])
        pairs = [(a, f) for a in commands for f in formats]
        if QUICK:  # every command and every format once, JSON of `show` always
            pairs = [(a, formats[i % len(formats)]) for i, a in enumerate(commands)] + [(commands[1], "json")]
        for args, fmt in pairs:
            p = run(tmp, *args, "--file", str(path), "--format", fmt)
            if args == ["city"] and p.returncode == 1:  # no fact of this file compares with the city: no match
                assert b"compares with the city" in p.stderr, p.stderr
                continue
            expect(p, 0)
            text = p.stdout.decode()
            if fmt in ("json", "jsonl"):
                rows = json_rows(p) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
                numbers = [v for r in rows for v in r.values() if isinstance(v, float)]
                noisy = [v for v in numbers if len(repr(v).split("e")[0].replace(".", "").strip("-0")) > 15]
                assert not noisy, f"{args} {fmt}: float noise {noisy}"
            else:
                for noise in (r"[1-9]0{9,}[1-9]", r"[0-8]9{9,}[0-8]", r"\bnan\b", r"\binf(?:inity)?\b", r"\de[+-]?\d"):
                    found = re.search(noise, text.lower())
                    assert not found, f"{args} {fmt}: {found and found.group()!r} in {text[:400]!r}"
            if fmt == "json":
                rows = json_rows(p)
                if args[0] == "show" and "value = 0\n" in fields:
                    assert rows[0]["city_total_implied"] is None, "a value of 0 implies no city total"
                    assert rows[0]["city_total_low"] is None


@case("topics: an absurd number of topics on a fact is refused within seconds")
def _many_topics(tmp: Path) -> None:
    topics = ", ".join(f'"t{i}"' for i in range(200_000))
    path = write(
        tmp,
        MINIMAL.split("\n[[facts]]\n")[0]
        + f'\n[[facts]]\nid = "a.b"\ntopics = [{topics}]\nlabel = "x"\ntext = "y"\nkind = "claim"\n',
    )
    start = time.monotonic()
    p = run(tmp, "industry", "--file", str(path), timeout=30)
    expect(p, 2, err=b"a.b: topics:")
    assert time.monotonic() - start < 10
    assert len(p.stderr) < 2000, "one complaint, not one a topic"


@case("topics: thousands of distinct topics in one answer")
def _many_distinct(tmp: Path) -> None:
    head = MINIMAL.split("\n[[facts]]\n")[0]
    topics = "".join(f'\n[topics.t{i}]\nname = "T{i}"\nname_zh = "主题{i}"\n' for i in range(3000))
    facts = "".join(
        f'\n[[facts]]\nid = "f.n{i}"\ntopics = ["t{i}", "industry"]\nlabel = "x {i}"\ntext = "y"\nkind = "claim"\n'
        for i in range(3000)
    )
    path = write(tmp, head + topics + facts)
    for args in (["search", "x"], ["industry"], ["topics"]):
        p = run(tmp, *args, "--file", str(path), "--json")
        expect(p, 0)
        assert len(json_rows(p)) >= 3000


# --- 11. Text that fools a reader ------------------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = "\x1b[31m\x07\x9b\x7f\x00\x08\r"


@case("text: bidi and control characters never reach the terminal raw, in any format for people or pipes")
def _invisible(tmp: Path) -> None:
    path = fact_file(tmp, f'value = 1\nunit = "元"\nnote = "{json.dumps(BIDI + CONTROLS)[1:-1]}"').read_text()
    path = write(tmp, path.replace('label = "x"', f'label = "evil{json.dumps(BIDI + CONTROLS)[1:-1]}end"'))
    pairs = [
        (a, f) for f in ("table", "markdown", "tsv", "csv") for a in (["industry"], ["show", "a.b"], ["search", "evil"])
    ]
    for args, fmt in pairs[::4] + pairs[9::2] if QUICK else pairs:  # quick: each command and format once
        p = run(tmp, *args, "--file", str(path), "-f", fmt)
        expect(p, 0)
        shown = p.stdout.decode()
        bad = [hex(ord(c)) for c in BIDI + "\x1b\x07\x9b\x7f\x00\x08" if c in shown]
        assert not bad, f"{args} {fmt}: raw {bad}"
        assert "\\u202e" in shown or "\\x" in shown
    p = run(tmp, "industry", "--file", str(path), "--json")
    assert json_rows(p)[0]["label"] == f"evil{BIDI}{CONTROLS}end", "JSON is lossless"
    assert not [c for c in BIDI if c in p.stdout.decode()], "JSON escapes them (the same JSON)"
    p = run(tmp, "search", f"x{BIDI}\x1b[2J", "--file", str(path))
    expect(p, 1)
    assert not [c for c in BIDI + "\x1b" if c in p.stderr.decode()], "the message shows them escaped"


CSV_FORMULAS = [
    " =1+1",
    "\n=cmd|' /C calc'!A0",
    "\t@SUM(A1)",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "  -2+3",
    "\r\n+x",
    "=",
    "+",
    "@",
]


@case("text: CSV neutralises formulas behind white space, line breaks and in full-width forms")
def _csv_formulas(tmp: Path) -> None:
    import csv
    import io

    head = MINIMAL.split("\n[[facts]]\n")[0]
    facts = "".join(
        f'\n[[facts]]\nid = "a.f{i}"\ntopics = ["industry"]\nlabel = {json.dumps(formula)}\ntext = "y"\nkind = "claim"\n'
        for i, formula in enumerate(CSV_FORMULAS)
    )
    p = run(tmp, "industry", "--file", str(write(tmp, head + facts)), "-f", "csv")  # one fact a formula
    expect(p, 0)
    rows = list(csv.reader(io.StringIO(p.stdout.decode(), newline="")))
    cells = {r[0]: r[rows[0].index("label")] for r in rows[1:]}
    for i, formula in enumerate(CSV_FORMULAS):
        assert cells[f"a.f{i}"].startswith("'"), f"{formula!r} written as {cells[f'a.f{i}']!r}"


@case("text: a file name with control characters is shown escaped, in messages and validate's report")
def _hostile_name(tmp: Path) -> None:
    good = write(tmp, MINIMAL, "ok\x1b[2J\u202e.toml")
    p = run(tmp, "validate", str(good))
    expect(p, 0)
    assert "\x1b" not in p.stdout.decode() and "\u202e" not in p.stdout.decode()
    bad = write(tmp, "[meta\n", "bad\x1b[2J\u202e.toml")
    for args in (
        ["validate", str(bad)],
        ["industry", "--file", str(bad)],
        ["industry", "--file", str(tmp / "no\x1b]52;c;x\x07")],
    ):
        p = run(tmp, *args)
        expect(p, 2)
        assert not [c for c in "\x1b\x07\u202e" if c in p.stderr.decode()], p.stderr


@case("text: usage errors show what was typed with control characters escaped")
def _usage_escapes(tmp: Path) -> None:
    for args in (["-\x1b[2J"], ["industry", "--format", "\x1b]52;c;x\x07\u202e"], ["show", "a", "--bogus\x1b"]):
        p = run(tmp, *args)
        expect(p, 2)
        assert not [c for c in "\x1b\x07\u202e" if c in p.stderr.decode()], p.stderr


# --- 13-14. Sizes, sources, small ones -------------------------------------------------------------


@case("sizes: a regular file over the limit is refused by its size, at once")
def _sparse(tmp: Path) -> None:
    path = tmp / "huge.toml"
    with path.open("wb") as f:
        f.truncate(300 * 2**20)
    start = time.monotonic()
    expect(run(tmp, "industry", "--file", str(path)), 2, err=b"larger than 256 MiB")
    expect(run(tmp, "validate", str(path)), 2, err=b"larger than")
    assert time.monotonic() - start < 10


@case("sizes: LJ_FACTS_MAX_BYTES lowers the limit, K/M/G suffixes, bad values are an error")
def _max_bytes(tmp: Path) -> None:
    expect(run(tmp, "industry", env=env_for(tmp, LJ_FACTS_MAX_BYTES="1K")), 2, err=b"larger than 1 KiB")
    expect(run(tmp, "industry", env=env_for(tmp, LJ_FACTS_MAX_BYTES="64M")), 0)
    expect(run(tmp, "industry", env=env_for(tmp, LJ_FACTS_MAX_BYTES="1000000")), 0)
    for bad in ("lots", "-5", "1T", "0", "1.5M", "9" * 30):
        expect(run(tmp, "industry", env=env_for(tmp, LJ_FACTS_MAX_BYTES=bad)), 2, err=b"LJ_FACTS_MAX_BYTES")


for device in ("/dev/zero", "/dev/urandom"):

    @case(f"sizes: {device} as knowledge file and as source is refused, bounded")
    def _device(tmp: Path, device: str = device) -> None:
        if not Path(device).exists():
            raise Skip(f"no {device}")
        env = env_for(tmp, LJ_FACTS_MAX_BYTES="1M")
        expect(run(tmp, "industry", "--file", device, env=env, timeout=20), 2, err=b"larger than")
        expect(run(tmp, "validate", "--source", device, env=env, timeout=20), 2, err=b"larger than")


@case("sizes: validate --source refuses a source over the limit before reading it")
def _big_source(tmp: Path) -> None:
    path = tmp / "source.txt"
    with path.open("wb") as f:
        f.truncate(300 * 2**20)
    expect(run(tmp, "validate", "--source", str(path), timeout=20), 2, err=b"larger than")


@case("sizes: validate --source of 1 MB runs in seconds")
def _linear(tmp: Path) -> None:
    import random

    rng = random.Random(7)
    lines = [
        f"产值{rng.randint(1, 99999)}.{rng.randint(1, 9)}亿元，《文件{rng.randint(1, 9)}》增长 {rng.randint(1, 99)}%。"
        for _ in range(22000)
    ]
    source = tmp / "source.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    assert source.stat().st_size > 1_000_000
    knowledge = tmp / "facts.toml"  # one file named: the shipped base of several would ask which file
    knowledge.write_text(MINIMAL, encoding="utf-8")
    start = time.monotonic()
    p = run(tmp, "validate", str(knowledge), "--source", str(source), timeout=60)
    expect(p, 2, err=b"captured by no fact")
    assert time.monotonic() - start < 15, f"{time.monotonic() - start:.1f} s"


@case("small: a UTF-8 BOM at the start of a knowledge file is accepted")
def _bom(tmp: Path) -> None:
    path = tmp / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    expect(run(tmp, "industry", "--file", str(path)), 0, out=b"industry.gross-output")
    expect(run(tmp, "validate", str(path)), 0)
    expect(run(tmp, "industry", "--file", "-", input=path.read_bytes(), stdin=None), 0)


@case("small: a relative --file in a deleted working directory is 'no such file', exit 2")
def _deleted_cwd(tmp: Path) -> None:
    gone = tmp / "gone"
    gone.mkdir()
    cmd = " ".join(f"'{a}'" for a in LJ)
    script = f'cd "{gone}" && rmdir "{gone}" && {cmd} industry --file facts.toml; echo "rc=$?" >&2'
    p = subprocess.run(["sh", "-c", script], env=env_for(tmp), capture_output=True, timeout=60)
    clean(p)
    assert b"no such file" in p.stderr and b"rc=2" in p.stderr, p.stderr
    script = f'mkdir "{gone}" && cd "{gone}" && rmdir "{gone}" && {cmd} industry; echo "rc=$?" >&2'
    p = subprocess.run(["sh", "-c", script], env=env_for(tmp), capture_output=True, timeout=60)
    clean(p)
    assert b"rc=0" in p.stderr, p.stderr


COMPLETION_ENVS = [
    {"_LJ_FACTS_COMPLETE": "complete_bash", "COMP_WORDS": "lj-facts in", "COMP_CWORD": "x"},
    {"_LJ_FACTS_COMPLETE": "complete_bash", "COMP_WORDS": 'lj-facts "', "COMP_CWORD": "1"},
    {"_LJ_FACTS_COMPLETE": "complete_bash", "COMP_WORDS": "lj-facts show ", "COMP_CWORD": "99"},
    {"_LJ_FACTS_COMPLETE": "complete_bash", "COMP_CWORD": "1"},
    {"_LJ_FACTS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "lj-facts 'in"},
    {
        "_LJ_FACTS_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": "lj-facts in",
        "_TYPER_COMPLETE_FISH_ACTION": "bogus",
    },
    {
        "_LJ_FACTS_COMPLETE": "complete_powershell",
        "_TYPER_COMPLETE_ARGS": "lj-facts in",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": "in",
    },
    {"_LJ_FACTS_COMPLETE": "source_bash"},
    {"_LJ_FACTS_COMPLETE": "nonsense"},
    {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts show in",
        "COMP_CWORD": "2",
        "LJ_FACTS_FILE": "/dev/zero",
    },
    {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts in",
        "COMP_CWORD": "1",
        "LJ_FACTS_MAX_BYTES": "bad",
    },
    {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts in",
        "COMP_CWORD": "1",
        "LJ_FACTS_CACHE_DIR": "/proc/1/x",
    },
    {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts in",
        "COMP_CWORD": "1",
        "HOME": "",
        "LJ_FACTS_CACHE_DIR": "",
    },
    {"_LJ_FACTS_COMPLETE": "complete_bash", "COMP_WORDS": "lj-facts in", "COMP_CWORD": "1", "LJ_FACTS_FILE": "-"},
    {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts in",
        "COMP_CWORD": "1",
        "LJ_FACTS_FILE": "/dev/stdin",
    },
    {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts in",
        "COMP_CWORD": "1",
        "LJ_FACTS_FILE": "/nonexistent",
    },
]


@case("small: shell completion never prints a traceback, whatever the environment")
def _completion(tmp: Path) -> None:
    fifo = tmp / "fifo"
    os.mkfifo(fifo)  # no writer: opening it would wait for ever
    waiting = {
        "_LJ_FACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "lj-facts in",
        "COMP_CWORD": "1",
        "LJ_FACTS_FILE": str(fifo),
    }
    for extra in [*COMPLETION_ENVS, waiting]:
        p = run(tmp, env=env_for(tmp, **extra), timeout=20)
        clean(p)
        assert p.returncode in (0, 1), (extra, p.returncode, p.stderr[-300:])


# --- Running -------------------------------------------------------------------------------------


def run_case(c: Case) -> tuple[str, str, str]:
    tmp = Path(tempfile.mkdtemp(prefix="lj-facts-redteam-"))
    start = time.monotonic()
    try:
        c.check(tmp)
        return c.name, "passed", f"{time.monotonic() - start:.1f} s"
    except Skip as e:
        return c.name, "skipped", str(e)
    except subprocess.TimeoutExpired as e:
        return c.name, "failed", f"timed out after {e.timeout} s (a hang)"
    except Exception as e:
        return c.name, "failed", f"{type(e).__name__}: {e}"[:600]
    finally:
        for p in tmp.rglob("*"):
            with contextlib.suppress(OSError):
                if p.is_dir() and not p.is_symlink():
                    p.chmod(0o700)
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-k", default="", help="only the cases whose name holds this")
    parser.add_argument("-j", type=int, default=4, help="cases run at once")
    parser.add_argument("--quick", action="store_true", help="fewer command and format combinations a case")
    parser.add_argument("-v", "--verbose", action="store_true", help="every case with its time")
    args = parser.parse_args(argv)
    global QUICK
    QUICK = args.quick
    chosen = [c for c in CASES if args.k in c.name]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.j) as pool:
        results = list(pool.map(run_case, chosen))
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for name, outcome, detail in results:
        counts[outcome] += 1
        if outcome != "passed" or args.verbose:
            print(f"{outcome.upper()}: {name}\n    {textwrap.shorten(detail, 500)}")
    print(
        f"red team: {len(results)} cases, {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped, in {time.monotonic() - start:.0f} s"
    )
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

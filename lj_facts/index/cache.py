"""Where an index is kept and when it is trusted: the cache folder, its checks, freshness, the build aside.

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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .queries import Index, Note, quiet
from .rows import DROP, FORMAT, INDEXES, SCHEMA

RACY_NS = 2_000_000_000
"""A file modified this close to (or after) the index build is checked by its digest, not its stat."""


def shipped_path() -> Path:
    """The knowledge file that comes with the package.

    The wheel carries it inside the package, beside this module; a source checkout keeps it at the
    top level. A package loaded from a zip reaches it through importlib.resources.
    """
    package = Path(__file__).resolve().parent.parent
    here = package / "facts.toml"
    if here.is_file():
        return here
    checkout = package.parent / "facts.toml"
    if checkout.is_file():
        return checkout
    from importlib import resources

    with resources.as_file(resources.files("lj_facts") / "facts.toml") as extracted:
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


# --- Opening -----------------------------------------------------------------------------------
# The cache is lj-facts' own or it is not used: a folder someone else owns or can write, an index
# that is not a plain file of the user's, or one whose schema differs in any way from the one
# lj-facts writes, is never read. Damage found later, while answering, rebuilds the index.


class Unusable(str):
    """A note that says why no cache folder can be used: the user is told it (`telling`), not only `--debug`.

    The cache is an optimisation: without it the answer is the same, built from the knowledge file.
    """


def telling(debug: Note, say: Callable[[str], None]) -> Note:
    """The `Note` of one run: every note goes to `debug`, except the first `Unusable` one, which `say`
    gets as one line, `note: …`; later ones go to `debug` too. `LJ_FACTS_NO_CACHE` is not `Unusable`."""
    from ..errors import one_line

    told: list[str] = []

    def note(message: str) -> None:
        if isinstance(message, Unusable) and not told:
            told.append(message)
            said = one_line(message)  # a cache path with a line break in it stays on the note's line
            say(f"note: {said} (the answer is read from the knowledge file; LJ_FACTS_NO_CACHE=1 silences this)")
        else:
            debug(one_line(message))

    return note


def cache_dir(note: Note = quiet) -> Path | None:
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


def cache_for(paths: Sequence[Path], note: Note = quiet) -> Path | None:
    """The cache folder for the index of the base `paths` name: `cache_dir`, made if missing, checked
    safe (`_safe_folder`) and resolved; None where there is none, `note` told why (an `Unusable` note).

    A base read from a stream (`-`, a pipe, /dev/stdin) is never cached: None, and nothing said.
    """
    from ..load import is_stream

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


def open_index(paths: Path | Sequence[Path], cache: Path | None, note: Note = quiet) -> Index:
    """The index of the knowledge base `paths` name (a file, several, folders of them: `load.knowledge_files`):
    from `cache` when fresh and sound, else built (cached if it can be).

    A stream (`-` for stdin, a pipe, a FIFO, /dev/stdin) is read once and indexed in memory, never cached.
    """
    from ..load import is_stream, knowledge_files, max_bytes, refuse_oversized

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
    files: Sequence[Path], stats: Sequence[os.stat_result] | None, cached: Path | None, note: Note = quiet
) -> Index:
    """Read the files once, index them into `cached` when given (else, or when that fails, in memory).

    `stats` None: the files cannot be stat'ed or one is a stream; they are read as given, never cached.
    """
    import tempfile

    from ..load import merge, parse, parse_toml, read_bytes
    from . import building, parallel  # only where an index is built: a look-up of a cached one needs neither

    raws = [read_bytes(path) for path in files]
    _sweep(Path(tempfile.gettempdir()), parallel.TEMP_PREFIX)  # what a killed parallel build left
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
        if len(raws) == 1 and len(raws[0]) > building.PARALLEL_BYTES:
            with contextlib.suppress(UnicodeDecodeError):
                if parallel.build_parallel(raws[0].decode("utf-8").removeprefix("\ufeff"), names[0], conn, info):
                    return
            conn.executescript(DROP)
        bases = [parse(parse_toml(raw, name), name) for raw, name in zip(raws, names, strict=True)]
        kb = bases[0] if len(bases) == 1 else merge(list(zip(names, bases, raws, strict=True)))
        building.build(kb, conn, info)

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
"""The schema rows (type, name, table, SQL) of a sound index, made once from `SCHEMA`."""


def _expected_schema() -> set[tuple[Any, ...]]:
    if not _EXPECTED:
        conn = sqlite3.connect(":memory:")
        conn.executescript(SCHEMA + INDEXES)
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
    cached: Path, sources: Sequence[Path], stats: Sequence[os.stat_result], note: Note = quiet
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
    note: Note = quiet,
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

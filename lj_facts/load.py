"""Reading a knowledge file: TOML in, a checked `KnowledgeBase` out, or every problem at once.

`load`, `load_base`, `parse` and `merge` read whole files. Each table also has its own public check
(`meta_table`, `topics_table`, `glossary_table`, `indicators_table`, `sources_table`,
`city_figures_table`, `set_aside_table`, `fact_entry`, `references`): the parallel build
(`index.parallel`) checks a file a share at a time with them.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import re
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import KnowledgeFileError, Problem
from .errors import count as plural
from .model import (
    DERIVED_SOURCE,
    FIGURE_FIELDS,
    INDICATOR_KINDS,
    NOT_GIVEN,
    PER,
    STATUSES,
    UNITS,
    CityFigure,
    Fact,
    Indicator,
    Kind,
    KnowledgeBase,
    Meta,
    Qualifier,
    SetAside,
    Source,
    Topic,
)
from .ranges import CITY_RANGES, FACT_RANGES, MAX_TOPICS, Range

MAX_BYTES = 256 * 1024 * 1024
"""Knowledge files (and sources) larger than this are refused rather than read: `LJ_FACTS_MAX_BYTES` sets another."""

FACT_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
TOPIC_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PERIOD = r"\d{4}(?:-H[12]|-Q[1-4]|-\d{2}(?:-\d{2})?)?"
PERIOD = re.compile(rf"^(?:per-year|{NOT_GIVEN}|{_PERIOD}(?:/{_PERIOD})?)$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
TABLES = ("meta", "topics", "indicators", "sources", "facts", "city_figures", "set_aside", "glossary")
"""The tables a knowledge file may hold."""


SCHEMA_VERSION = 2
"""The knowledge-file schema this lj-facts reads: `[meta] schema = N` up to this; a file without it is read as 1."""


def load(path: Path) -> KnowledgeBase:
    """Read and check the knowledge file at `path`."""
    return parse(read_toml(path), str(path))


def knowledge_files(paths: Sequence[Path]) -> list[Path]:
    """The knowledge files `paths` name: a file as it is, a folder as every `*.toml` in it, in name order.

    A folder with no knowledge file, an empty path or a file named twice is a `KnowledgeFileError`; other
    files in a folder (a README, the reports' texts) are not knowledge files and are passed over.
    """
    found: list[Path] = []
    for path in paths:
        if not str(path):
            raise KnowledgeFileError("''", "an empty path names no knowledge file")
        if str(path) != "-" and os.path.isdir(path):
            inside = sorted(Path(path) / name for name in _knowledge_names(path))
            if not inside:
                raise KnowledgeFileError(printable_path(path), "is a folder without a knowledge file (*.toml) in it")
            found += inside
        else:
            found.append(Path(path))
    seen: set[str] = set()
    for path in found:
        key = "-" if reads_stdin(path) else str(path)  # `--file - --file /dev/stdin`: one stream, named twice
        with contextlib.suppress(OSError, ValueError):  # a deleted working directory: the path as written
            key = os.path.abspath(path) if key != "-" else key
        if key in seen:
            raise KnowledgeFileError(printable_path(path), "is named twice: each knowledge file once")
        seen.add(key)
    return found


STDIN_NAMES = ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")
"""The paths that read standard input."""


def reads_stdin(path: Path | str) -> bool:
    """Whether `path` reads standard input, which can be read once: `-` or one of its names under /dev."""
    return str(path) in STDIN_NAMES


def stdin_once(named: dict[str, Sequence[Path]]) -> None:
    """A `UsageError` where more than one option (or argument) of a command names stdin: the first to be
    read would leave the other nothing (`validate - --source -` said `-: is empty`)."""
    from .errors import UsageError

    using = [option for option, paths in named.items() if any(map(reads_stdin, paths))]
    if len(using) > 1:
        raise UsageError(f"{using[0]} and {using[1]} both read stdin (-), which can be read once: give one a file")


def _knowledge_names(folder: Path) -> list[str]:
    """The names of the knowledge files in a folder: `*.toml`, not hidden, not a folder (a folder named
    `x.toml`, or a symlink to one, such as the folder itself, is passed over: folders are not read into).

    A FIFO, socket or device of that name is a `KnowledgeFileError`: a folder's knowledge files are
    files, and opening a FIFO no one writes to would wait for ever (name a stream with --file itself).
    """
    with os.scandir(folder) as entries:
        named = [e for e in entries if e.name.endswith(".toml") and not e.name.startswith(".")]
    names = []
    for entry in named:
        try:
            mode = entry.stat().st_mode
        except OSError:  # dangling, a symlink loop: reading it says why
            names.append(entry.name)
            continue
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            what = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            raise KnowledgeFileError(
                printable_path(entry.path), f"is {what}, not a file: a folder's knowledge files are files"
            )
        names.append(entry.name)
    return names


def load_base(paths: Sequence[Path]) -> KnowledgeBase:
    """Read, check and merge the knowledge files `paths` name (`knowledge_files`) into one base."""
    files = knowledge_files(paths)
    if len(files) == 1:
        return load(files[0])
    parts = []
    for path in files:
        raw = read_bytes(path)
        parts.append((str(path), parse_toml(raw, str(path)), raw))
    return merge([(name, parse(doc, name), raw) for name, doc, raw in parts])


def line_of(raw: bytes, key: str, value: str) -> int | None:
    """The line of a knowledge file where `key = "value"` is written (the id of a fact, say), or None."""
    pattern = re.compile(
        rb"^[ \t]*" + re.escape(key.encode()) + rb"[ \t]*=[ \t]*[\"']" + re.escape(value.encode()) + rb"[\"']", re.M
    )
    m = pattern.search(raw)
    return raw.count(b"\n", 0, m.start()) + 1 if m else None


def merge(parts: Sequence[tuple[str, KnowledgeBase, bytes]]) -> KnowledgeBase:
    """One base of several checked knowledge files (name, base, bytes), in order.

    Ids of facts, city figures and sources are one namespace across the base: the same id in two
    files is an error naming both files and lines. A topic of one slug in several files is one topic
    (the first file's names, every file's aliases); an indicator of one slug must have the same kind
    and unit wherever it is declared; glossary groups that share a term become one group.
    """
    problems: list[Problem] = []
    owner: dict[tuple[str, str], tuple[str, bytes]] = {}

    def claim(kind: str, key: str, record_id: str, name: str, raw: bytes) -> bool:
        before = owner.get((kind, record_id))
        if before is None:
            owner[(kind, record_id)] = (name, raw)
            return True
        first, first_raw = before
        here = f"{first}:{line_of(first_raw, key, record_id) or '?'} and {name}:{line_of(raw, key, record_id) or '?'}"
        problems.append(Problem(record_id, "id", f"defined twice in the base: {here}"))
        return False

    topics: dict[str, Topic] = {}
    indicators: dict[str, Indicator] = {}
    facts: list[Fact] = []
    city: dict[str, CityFigure] = {}
    sources: list[Source] = []
    set_aside: list[SetAside] = []
    groups: list[tuple[str, ...]] = []
    for n, (name, kb, raw) in enumerate(parts):
        renamed = {}
        for source in kb.sources:
            if source.id == DERIVED_SOURCE and n:  # a file without [[sources]]: its derived one, named by its place
                renamed[source.id] = f"{DERIVED_SOURCE}-{n + 1}"
                source = source._replace(id=renamed[source.id])
            if claim("source", "id", source.id, name, raw):
                sources.append(source)
        for slug, topic in kb.topics.items():
            if slug in topics:
                known = topics[slug]
                topics[slug] = known._replace(aliases=tuple(dict.fromkeys((*known.aliases, *topic.aliases))))
            else:
                topics[slug] = topic
        for slug, indicator in kb.indicators.items():
            known_indicator = indicators.setdefault(slug, indicator)
            if (known_indicator.kind, known_indicator.unit) != (indicator.kind, indicator.unit):
                problems.append(
                    Problem(
                        f"indicators.{slug}",
                        "kind",
                        f"{name} declares it {indicator.kind} in {indicator.unit}, another file "
                        f"{known_indicator.kind} in {known_indicator.unit}: one slug, one measure",
                    )
                )
        for figure in kb.city_figures.values():
            if claim("record", "id", figure.id, name, raw):
                city[figure.id] = figure
        for fact in kb.facts:
            if claim("record", "id", fact.id, name, raw):
                facts.append(fact._replace(source=renamed.get(fact.source or "", fact.source)))
        set_aside += kb.set_aside
        groups += kb.glossary
    if problems:
        count = plural(len(problems), "problem")
        raise KnowledgeFileError(
            parts[-1][0], f"does not agree with the other knowledge files ({count}):", tuple(problems)
        )
    return KnowledgeBase(
        meta=parts[0][1].meta,
        topics=topics,
        facts=tuple(facts),
        city_figures=city,
        sources=tuple(sources),
        set_aside=tuple(set_aside),
        glossary=merged_groups(groups),
        indicators=indicators,
        metas=tuple(kb.meta for _, kb, _ in parts),
        files=tuple(name for name, _, _ in parts),
    )


def merged_groups(groups: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Glossary groups of several files: groups that share a term (as search compares terms) become one."""
    from .text import key as text_key
    from .text import normalise

    merged: list[list[str]] = []
    where: dict[str, int] = {}
    for group in groups:
        keys = {text_key(normalise(term)) for term in group}
        hits = sorted({where[k] for k in keys if k in where})
        if not hits:
            merged.append(list(group))
            target = len(merged) - 1
        else:
            target = hits[0]
            for other in hits[1:]:  # a group joining two earlier ones: the later folds into the first
                merged[target] += merged[other]
                merged[other] = []
            merged[target] += group
        for term in merged[target]:
            where[text_key(normalise(term))] = target
    return tuple(tuple(dict.fromkeys(g)) for g in merged if g)


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at `path`, or a `KnowledgeFileError` saying why not."""
    return parse_toml(read_bytes(path), str(path))


def max_bytes() -> int:
    """The most bytes lj-facts reads of a file: `LJ_FACTS_MAX_BYTES` (bytes, or with K, M or G), else MAX_BYTES."""
    from .errors import SettingError

    setting = os.environ.get("LJ_FACTS_MAX_BYTES", "").strip()
    if not setting:
        return MAX_BYTES
    match = re.fullmatch(r"(\d{1,15})\s*([KMG]?)(?:i?B)?", setting, re.IGNORECASE)
    if not match or int(match[1]) == 0:
        raise SettingError(
            f"LJ_FACTS_MAX_BYTES={setting[:40]!r} is not a size: write bytes, or a number with K, M or G (256M)"
        )
    return int(match[1]) << {"": 0, "K": 10, "M": 20, "G": 30}[match[2].upper()]


def size_text(n: int) -> str:
    """A byte count as people write it: 256 MiB, 10 KiB, 1000 bytes."""
    for shift, unit in ((30, "GiB"), (20, "MiB"), (10, "KiB")):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} bytes"


def is_stream(path: Path, st: os.stat_result) -> bool:
    """Whether the file can be read only once: a pipe, a FIFO, a terminal, stdin or another /dev or /proc file."""
    if str(path) == "-" or not stat.S_ISREG(st.st_mode):
        return True
    return str(path).startswith(("/dev/", "/proc/"))


def refuse_oversized(path: Path, st: os.stat_result) -> None:
    """A `KnowledgeFileError` for a regular file over the limit, by its size: cached or not, it is not used."""
    limit = max_bytes()
    if st.st_size > limit:
        raise KnowledgeFileError(
            printable_path(path), f"larger than {size_text(limit)}, the most lj-facts reads (LJ_FACTS_MAX_BYTES)"
        )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a `KnowledgeFileError` for a missing, unreadable, empty or oversized file.

    `-` is stdin. A regular file is refused by its size before it is read; a stream (a pipe, a FIFO,
    /dev/zero) is read once, at most the limit and one byte more, so nothing unbounded is read.
    """
    return read_limited(path, "knowledge file")


def read_limited(path: Path, what: str) -> bytes:
    """The bytes of `path` (stdin for `-`), at most `max_bytes()`; a `KnowledgeFileError` saying why not."""
    limit = max_bytes()
    name = printable_path(path)
    try:
        if str(path) == "-":
            raw = _read_stdin(limit, name)
        else:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                raw = _read_fd(fd, limit, name)
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise KnowledgeFileError(name, "no such file") from None
    except IsADirectoryError:
        raise KnowledgeFileError(name, f"is a directory, not a {what}") from None
    except (OSError, ValueError) as e:  # ValueError: a path with a NUL byte
        raise KnowledgeFileError(name, f"cannot read: {getattr(e, 'strerror', None) or e}") from None
    if not raw.strip():
        raise KnowledgeFileError(name, "is empty")
    return raw


def not_utf8(raw: bytes, error: UnicodeDecodeError) -> str:
    """Why bytes are not text lj-facts reads; for Chinese in another encoding, also how to convert it."""
    said = f"not UTF-8 text (byte {error.start})"
    encoding = other_encoding(raw)
    if encoding == "GB18030":  # Big5 reads as GB18030 too (a guess of bytes alone cannot tell them apart)
        return f"{said}; it reads as GB18030 (or Big5): `iconv -f GB18030 -t UTF-8` (`-f BIG5`) converts it"
    return f"{said}; it reads as {encoding}: `iconv -f {encoding} -t UTF-8` converts it" if encoding else said


def other_encoding(raw: bytes) -> str | None:
    """The encoding other than UTF-8 that bytes are Chinese text in, as `iconv -f` names it: UTF-16
    with its byte-order mark, or GB18030 (with its subsets GBK and GB 2312, what Chinese editions of
    Windows write); None for anything else. Its first 64 KiB must decode, hold Chinese characters and
    no control characters but white space: binary data does not."""
    import codecs

    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "UTF-16"
    sample = raw[: 1 << 16]
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=len(sample) == len(raw))
    except UnicodeDecodeError:
        return None
    chinese = any("\u4e00" <= c <= "\u9fff" for c in text)
    controls = any(c < " " and c not in "\t\n\r" for c in text)
    return "GB18030" if chinese and not controls else None


def read_source(path: Path) -> str:
    """The report a knowledge file quotes, as text: over the size limit, refused before it is read."""
    try:
        raw = read_limited(path, "source")
    except KnowledgeFileError as e:
        reason = str(e).removeprefix(f"{e.path}: ")
        raise KnowledgeFileError(e.path, f"cannot read the source: {reason}") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        message = f"cannot read the source: {not_utf8(raw, e)}"
        raise KnowledgeFileError(printable_path(path), message) from None


def _read_stdin(limit: int, name: str) -> bytes:
    """The run's stdin (`stdin.current()`: the CLI's environment, else sys.stdin) as bytes, at most the
    limit: from its descriptor, or from a stream without one (a test's), its bytes or its text in UTF-8.
    A closed stdin (`<&-`) is said to be closed, not taken as empty."""
    from .stdin import current

    stream = current()
    if stream is None:
        raise KnowledgeFileError(name, "there is no standard input to read (it is closed)")
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # closed (None), or a stream without a descriptor
        raw = _read_stream(stream, limit)
        if len(raw) > limit:
            raise KnowledgeFileError(name, f"larger than {size_text(limit)}, the most lj-facts reads") from None
        return raw
    return _read_fd(fd, limit, name)


def _read_stream(stream: Any, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a stream without a descriptor: its buffer's bytes, else its text in
    UTF-8 (an io.StringIO); nothing where stdin is closed."""
    if stream is None:
        return b""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return bytes(buffer.read(limit + 1))
    data = stream.read(limit + 1)
    return data.encode("utf-8", "surrogateescape")[: limit + 1] if isinstance(data, str) else bytes(data)


def _read_fd(fd: int, limit: int, name: str) -> bytes:
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(name)
    too_large = KnowledgeFileError(
        name, f"larger than {size_text(limit)}, the most lj-facts reads (LJ_FACTS_MAX_BYTES)"
    )
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        raise too_large  # by its size, before a byte is read
    pieces, total = [], 0
    while total <= limit:
        piece = os.read(fd, min(1 << 20, limit + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    if total > limit:
        raise too_large
    return b"".join(pieces)


def printable_path(path: Path | str) -> str:
    """The path as text for a message, on one line (a newline in it as `\\n`); bytes that are not UTF-8
    and other control characters are shown as \\xNN where the message is said."""
    from .errors import one_line

    return one_line(str(path))


def parse_toml(raw: bytes, name: str) -> dict[str, Any]:
    """The TOML document in `raw` (UTF-8), or a `KnowledgeFileError` with line, column and caret."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise KnowledgeFileError(name, not_utf8(raw, e)) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors write
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise KnowledgeFileError(name, _toml_message(e, text)) from None
    except RecursionError:
        raise KnowledgeFileError(name, "nested too deeply to read") from None


def _toml_message(error: Exception, text: str) -> str:
    """`line:col: message`, then the offending line and a caret under the column.

    An error at the end of the document (an unfinished value) points just after the last character
    written, not into the blank lines after it: tomllib gives no position there, tomli the very end.
    """
    msg = getattr(error, "msg", None) or re.sub(r" \(at line \d+, column \d+\)$", "", str(error))
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    lines = text.split("\n")
    written = text.rstrip()
    if match:
        lineno, colno = int(match[1]), int(match[2])
        past_end = sum(len(line) + 1 for line in lines[: lineno - 1]) + colno - 1 >= len(written)
    elif "at end of document" in str(error):
        lineno, colno, past_end = 0, 0, True
    else:
        return f"invalid TOML: {msg}"
    if past_end:
        lineno, colno = written.count("\n") + 1, len(written) - written.rfind("\n")
    line = lines[lineno - 1].rstrip("\r") if 0 < lineno <= len(lines) else ""
    shown, under = _around(line, colno - 1)
    return f"{lineno}:{colno}: invalid TOML: {msg}\n  {shown}\n  {' ' * under}^"


CONTEXT = 60
"""Characters of an offending line shown before the column of a TOML error (and half as many after it)."""


def _around(line: str, at: int) -> tuple[str, int]:
    """The part of `line` around index `at` as a message shows it (control characters made visible, a cut
    end marked `…`), and the terminal cells before `at` in it, where the caret goes (a Chinese character
    is two cells): a line of a megabyte is not quoted whole, nor its caret a megabyte of spaces."""
    from rich.cells import cell_len

    from .writers import printable

    start, end = max(0, at - CONTEXT), at + CONTEXT // 2
    before = ("…" if start else "") + printable(line[start:at])
    after = printable(line[at:end]) + ("…" if end < len(line) else "")
    return before + after, cell_len(before)


class _Checker:
    """Collects the problems of one table while reading its fields."""

    def __init__(self, where: str, table: Any, problems: list[Problem]) -> None:
        self.where = where
        self.problems = problems
        if not isinstance(table, dict):
            self.fail("-", f"must be a table, not {_type_name(table)}")
            table = {}
        self.table: dict[str, Any] = table
        self.seen: set[str] = set()

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.where, field, message))

    def get(self, field: str, check: Callable[[Any], str | None], required: bool = False) -> Any:
        """The field's value if it passes `check` (which returns a complaint or None), else None."""
        self.seen.add(field)
        if field not in self.table:
            if required:
                self.fail(field, "missing")
            return None
        value = self.table[field]
        complaint = check(value)
        if complaint:
            self.fail(field, complaint)
            return None
        return value

    def text(self, field: str, required: bool = False) -> str | None:
        value: str | None = self.get(field, _text, required)
        return value

    def number(self, field: str, bounds: Range) -> float | None:
        value = self.get(field, bounds.complaint)
        return float(value) if value is not None else None

    def choice(self, field: str, enum: type[Qualifier] | type[Kind], required: bool = False) -> Any:
        allowed = [e.value for e in enum]
        value = self.get(
            field, lambda v: None if v in allowed else f"{v!r} is not one of {', '.join(allowed)}", required
        )
        return enum(value) if value is not None else None

    def texts(self, field: str) -> tuple[str, ...]:
        value = self.get(field, lambda v: _list_of_text(v, allow_empty=True))
        return tuple(value) if value else ()

    def done(self) -> None:
        """Report the fields nobody asked for: typos, most often."""
        for extra in sorted(set(self.table) - self.seen):
            self.fail(extra, "unknown field")


def _type_name(value: Any) -> str:
    names = {dict: "a table", list: "an array", str: "a string", bool: "a boolean", int: "an integer", float: "a float"}
    return names.get(type(value), type(value).__name__)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, not {_type_name(value)}"
    if not value.strip():
        return "must not be empty"
    return None


def _list_of_text(value: Any, allow_empty: bool = False) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be an array of non-empty strings"
    if not value and not allow_empty:
        return "must not be empty"
    return None


@functools.lru_cache(maxsize=256)  # a large file repeats a few periods many times
def _valid_period(value: str) -> str | None:
    if not PERIOD.match(value):
        return f"{value!r} is not a period (2021-H1, 2021-06-30, 2021-01/2021-05, per-year, not-given, …)"
    for part in value.split("/"):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
            try:
                datetime.date.fromisoformat(part)
            except ValueError:
                return f"{part!r} is not a date"
        elif re.fullmatch(r"\d{4}-\d{2}", part) and not 1 <= int(part[5:]) <= 12:
            return f"{part!r} is not a month"
    return None


def _period(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{value!r} is not a period (2021-H1, 2021-06-30, 2021-01/2021-05, per-year, not-given, …)"
    return _valid_period(value)


def _date(value: Any) -> str | None:
    """A publication date: YYYY-MM-DD, YYYY-MM or YYYY, and a real one."""
    complaint = _text(value)
    if complaint:
        return complaint
    if not DATE.match(value):
        return f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not a date"
    elif len(value) == 7 and not 1 <= int(value[5:]) <= 12:
        return f"{value!r} is not a month"
    return None


def _url(value: Any) -> str | None:
    """The address of a page: http or https, no spaces."""
    complaint = _text(value)
    if complaint:
        return complaint
    if not re.match(r"^https?://[^\s/]+\S*$", value):
        return f"{value!r} is not a web address (http:// or https://)"
    return None


def parse(doc: dict[str, Any], path: str) -> KnowledgeBase:
    """Check a parsed TOML document against the schema and build its `KnowledgeBase`."""
    problems: list[Problem] = []
    for extra in sorted(set(doc) - set(TABLES)):
        problems.append(Problem(extra, "-", "unknown table"))
    meta = meta_table(doc.get("meta"), problems)
    table = doc.get("topics")
    topics = topics_table(table, problems)
    sources = sources_table(doc.get("sources", []), problems, meta)
    city = city_figures_table(doc.get("city_figures", []), problems, meta.city_zh if meta else None)
    glossary = glossary_table(doc.get("glossary"), problems)
    declared = table.keys() if isinstance(table, dict) else ()  # sound or not
    default_source = sources[0].id if sources else None
    facts = _facts(doc.get("facts"), declared, problems, meta.default_period if meta else None, default_source)
    set_aside = set_aside_table(doc.get("set_aside", []), problems)
    indicators = indicators_table(doc.get("indicators", {}), problems)
    problems += references(facts, city, {s.id for s in sources}, indicators)
    if problems:
        count = plural(len(problems), "problem")
        raise KnowledgeFileError(path, f"does not follow the knowledge-file schema ({count}):", tuple(problems))
    assert meta is not None
    return KnowledgeBase(
        meta=meta,
        topics=topics,
        facts=tuple(facts),
        city_figures=city,
        sources=tuple(sources),
        set_aside=set_aside,
        glossary=glossary,
        indicators=indicators,
    )


def glossary_table(table: Any, problems: list[Problem]) -> tuple[tuple[str, ...], ...]:
    """`[glossary] groups = [[...], ...]`: each group two or more terms that mean the same, each term in one group."""
    if table is None:
        return ()
    c = _Checker("glossary", table, problems)
    groups = c.get("groups", _groups, required=True) or []
    c.done()
    from .text import key as text_key
    from .text import normalise

    seen: dict[str, int] = {}
    for n, group in enumerate(groups, 1):
        for term in group:
            key = text_key(normalise(term))
            if key in seen and seen[key] != n:
                c.fail("groups", f"{term!r} is in group {seen[key]} and group {n}: a term may mean one thing")
            seen.setdefault(key, n)
    return tuple(tuple(group) for group in groups)


def _groups(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(g, list) for g in value):
        return "must be an array of arrays of terms"
    for n, group in enumerate(value, 1):
        if _list_of_text(group) or len(group) < 2:
            return f"group {n} must be an array of two or more non-empty strings"
    return None


def references(
    facts: Iterable[Fact], city: Collection[str], sources: Collection[str], indicators: Collection[str] | None = None
) -> list[Problem]:
    """The facts' references to city figures, sources and indicators that the file does not declare
    (`indicators` None: not checked, as for a share of a parallel build, checked in the whole)."""
    problems = []
    for fact in facts:
        if indicators is not None and fact.indicator is not None and fact.indicator not in indicators:
            problems.append(Problem(fact.id, "indicator", f"{fact.indicator!r} is not a declared [indicators] slug"))
        if fact.id in city:
            problems.append(Problem(fact.id, "id", "is also a [[city_figures]] id; `show` could not tell them apart"))
        if fact.city_figure is not None and fact.city_figure not in city:
            problems.append(
                Problem(fact.id, "city_figure", f"{fact.city_figure!r} is not a declared [[city_figures]] id")
            )
        for figure in fact.city_context:
            if figure not in city:
                problems.append(Problem(fact.id, "city_context", f"{figure!r} is not a declared [[city_figures]] id"))
        if fact.source is not None and fact.source not in sources:
            problems.append(Problem(fact.id, "source", f"{fact.source!r} is not a declared [[sources]] id"))
    return problems


def sources_table(table: Any, problems: list[Problem], meta: Meta | None) -> list[Source]:
    """The [[sources]] entries; a file without any gets one derived from its [meta], so old files keep loading."""
    if not isinstance(table, list):
        problems.append(Problem("sources", "-", "must be an array of [[sources]] tables"))
        return []
    if not table:
        if meta is None:
            return []
        return [Source(DERIVED_SOURCE, meta.title, period_inference=meta.period_inference, note=meta.source or None)]
    sources: list[Source] = []
    for index, entry in enumerate(table, 1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        c = _Checker(raw_id if isinstance(raw_id, str) and raw_id.strip() else f"sources[{index}]", entry, problems)
        before = len(problems)
        source = Source(
            id=c.get("id", _slug, required=True),
            title=c.text("title", required=True),  # type: ignore[arg-type]
            publisher=c.text("publisher"),
            date=c.get("date", _date),
            url=c.get("url", _url),
            period_inference=c.text("period_inference"),
            note=c.text("note"),
        )
        c.done()
        if any(s.id == source.id for s in sources):
            c.fail("id", "duplicate id")
        elif len(problems) == before:
            sources.append(source)
    return sources


def set_aside_table(table: Any, problems: list[Problem]) -> tuple[SetAside, ...]:
    """The [[set_aside]] sentences: each a verbatim `text` and the `reason` no fact quotes it."""
    if not isinstance(table, list):
        problems.append(Problem("set_aside", "-", "must be an array of [[set_aside]] tables"))
        return ()
    entries = []
    for index, entry in enumerate(table, 1):
        c = _Checker(f"set_aside[{index}]", entry, problems)
        text, reason = c.text("text", required=True), c.text("reason", required=True)
        c.done()
        if text and reason:
            entries.append(SetAside(text, reason))
    return tuple(entries)


def meta_table(table: Any, problems: list[Problem]) -> Meta | None:
    if table is None:
        problems.append(Problem("meta", "-", "missing"))
        return None
    c = _Checker("meta", table, problems)
    fields = {
        "title": c.text("title", required=True),
        "region": c.text("region", required=True),
        "region_zh": c.text("region_zh", required=True),
        "city": c.text("city", required=True),
        "city_zh": c.text("city_zh", required=True),
        "default_period": c.get("default_period", _period, required=True),
        "period_inference": c.text("period_inference", required=True),
        "source": c.text("source") or "",
        "names": c.texts("names"),
    }
    c.get("schema", _schema_version)
    c.done()
    if any(v is None for v in fields.values()):
        return None
    return Meta(**fields)


def _schema_version(value: Any) -> str | None:
    """`[meta] schema`: the version of the schema the file is written for, one this lj-facts reads."""
    if type(value) is not int or value < 1:
        return f"{value!r} is not a schema version (a whole number from 1)"
    if value > SCHEMA_VERSION:
        return f"the file is written for schema {value}; this lj-facts reads up to {SCHEMA_VERSION}: upgrade lj-facts"
    return None


def topics_table(table: Any, problems: list[Problem]) -> dict[str, Topic]:
    if not isinstance(table, dict) or not table:
        problems.append(Problem("topics", "-", "must be a table of at least one topic"))
        return {}
    topics = {}
    for slug, entry in table.items():
        c = _Checker(f"topics.{slug}", entry, problems)
        if not TOPIC_SLUG.match(slug):
            c.fail("-", "topic slug must be lowercase letters, digits and hyphens")
        name, name_zh = c.text("name", required=True), c.text("name_zh", required=True)
        aliases, description = c.texts("aliases"), c.text("description") or ""
        c.done()
        if name and name_zh:
            topics[slug] = Topic(slug, name, name_zh, aliases, description)
    return topics


def indicators_table(table: Any, problems: list[Problem]) -> dict[str, Indicator]:
    """The `[indicators.<slug>]` tables: the measures facts may name to line up across reports."""
    if not isinstance(table, dict):
        problems.append(Problem("indicators", "-", "must be a table of [indicators.<slug>] tables"))
        return {}
    found: dict[str, Indicator] = {}
    for slug, entry in table.items():
        c = _Checker(f"indicators.{slug}", entry, problems)
        before = len(problems)
        if not TOPIC_SLUG.match(slug):
            c.fail("-", "indicator slug must be lowercase letters, digits and hyphens")
        indicator = Indicator(
            slug=slug,
            label=c.text("label", required=True),  # type: ignore[arg-type]
            label_zh=c.text("label_zh", required=True),  # type: ignore[arg-type]
            kind=c.get("kind", _one_of(INDICATOR_KINDS), required=True),
            unit=c.get("unit", _unit),
            note=c.text("note"),
        )
        c.done()
        if len(problems) == before:
            found[slug] = indicator
    return found


def _one_of(allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    """A check that a value is one of a closed vocabulary of strings."""

    def check(value: Any) -> str | None:
        return None if isinstance(value, str) and value in allowed else f"{value!r} is not one of {', '.join(allowed)}"

    return check


def city_figures_table(table: Any, problems: list[Problem], area: str | None = None) -> dict[str, CityFigure]:
    """The [[city_figures]] entries by id; `area` (the city) where an entry names none."""
    if not isinstance(table, list):
        problems.append(Problem("city_figures", "-", "must be an array of [[city_figures]] tables"))
        return {}
    figures: dict[str, CityFigure] = {}
    for index, entry in enumerate(table, 1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        c = _Checker(
            raw_id if isinstance(raw_id, str) and raw_id.strip() else f"city_figures[{index}]", entry, problems
        )
        before = len(problems)
        figure_id = c.get("id", _slug, required=True)
        unit = c.get("unit", _unit)
        args = {
            "label": c.text("label", required=True),
            "label_zh": c.text("label_zh", required=True),
            "period": c.get("period", _period, required=True),
            "source": c.text("source", required=True),
            "value": c.number("value", CITY_RANGES["value"]),
            "growth_pct": c.number("growth_pct", CITY_RANGES["growth_pct"]),
            "note": c.text("note"),
            "publisher": c.text("publisher"),
            "date": c.get("date", _date),
            "url": c.get("url", _url),
            "area": c.text("area") or area,
        }
        if args["value"] is None and args["growth_pct"] is None and "value" not in c.table:
            c.fail("value", "a city figure needs a value or a growth_pct")
        if args["value"] is not None and unit is None and "unit" not in c.table:
            c.fail("unit", "missing (a value needs a unit)")
        c.done()
        if figure_id in figures:
            c.fail("id", "duplicate id")
        elif len(problems) == before:
            figures[figure_id] = CityFigure(id=figure_id, unit=unit, **args)
    return figures


def _slug(value: Any) -> str | None:
    return _text(value) or (None if FACT_ID.match(value) else "must be a lowercase slug such as industry.gross-output")


def _unit(value: Any) -> str | None:
    if isinstance(value, str) and value in UNITS:
        return None
    return f"{value!r} is not a known unit (see docs/knowledge-file.md, Units)"


def _facts(
    table: Any,
    topics: Collection[str],
    problems: list[Problem],
    default_period: str | None,
    default_source: str | None = None,
) -> list[Fact]:
    if not isinstance(table, list) or not table:
        problems.append(Problem("facts", "-", "must be an array of at least one [[facts]] table"))
        return []
    facts: list[Fact] = []
    seen: set[str] = set()
    for index, entry in enumerate(table, 1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        where = raw_id if isinstance(raw_id, str) and raw_id.strip() else f"facts[{index}]"
        if isinstance(raw_id, str):
            if raw_id in seen:
                problems.append(Problem(where, "id", "duplicate id"))
            seen.add(raw_id)
        fact = fact_entry(entry, where, topics, problems, default_period, default_source)
        if fact is not None:
            facts.append(fact)
    return facts


def _topic_list(value: Any) -> str | None:
    complaint = _list_of_text(value)
    if complaint:
        return complaint
    if len(value) > MAX_TOPICS:
        return f"lists {len(value)} topics; a fact may list at most {MAX_TOPICS}"
    seen: set[str] = set()
    for slug in value:
        if slug in seen:
            return f"{slug!r} is listed twice"
        seen.add(slug)
    return None


def _choice_of(enum: type[Qualifier] | type[Kind]) -> Callable[[Any], str | None]:
    allowed = {e.value for e in enum}
    message = ", ".join(e.value for e in enum)

    def check(value: Any) -> str | None:
        return None if isinstance(value, str) and value in allowed else f"{value!r} is not one of {message}"

    return check


FACT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "id": _slug,
    "topics": _topic_list,
    "label": _text,
    "text": _text,
    "kind": _choice_of(Kind),
    "value": FACT_RANGES["value"].complaint,
    "unit": _unit,
    "qualifier": _choice_of(Qualifier),
    "period": _period,
    "growth_pct": FACT_RANGES["growth_pct"].complaint,
    "growth_qualifier": _choice_of(Qualifier),
    "growth_span_years": FACT_RANGES["growth_span_years"].complaint,
    "city_share_pct": FACT_RANGES["city_share_pct"].complaint,
    "city_share_qualifier": _choice_of(Qualifier),
    "city_share_change_pp": FACT_RANGES["city_share_change_pp"].complaint,
    "city_growth_gap_pp": FACT_RANGES["city_growth_gap_pp"].complaint,
    "change_pp": FACT_RANGES["change_pp"].complaint,
    "rank": FACT_RANGES["rank"].complaint,
    "rank_of": FACT_RANGES["rank_of"].complaint,
    "note": _text,
    "city_figure": _text,
    "source": _slug,
    "city_context": _list_of_text,
    "indicator": _slug,
    "change": FACT_RANGES["change"].complaint,
    "mom_growth_pct": FACT_RANGES["mom_growth_pct"].complaint,
    "per": _one_of(PER),
    "status": _one_of(STATUSES),
}
"""Every field a [[facts]] table may have, with its check (a complaint, or None when right)."""
REQUIRED = ("id", "topics", "label", "text", "kind")
_FLOATS = (
    "value",
    "growth_pct",
    "city_share_pct",
    "city_share_change_pp",
    "city_growth_gap_pp",
    "change_pp",
    "change",
    "mom_growth_pct",
)
_QUALIFIERS = ("qualifier", "growth_qualifier", "city_share_qualifier")


def fact_entry(
    entry: Any,
    where: str,
    topics: Collection[str],
    problems: list[Problem],
    default_period: str | None = None,
    default_source: str | None = None,
) -> Fact | None:
    """One fact from its table, or None when it has problems (all of them reported).

    `topics` are the declared topic slugs. A fact without `period` gets `default_period` (one with
    `period = "not-given"` keeps it); one without `source`, `default_source`.

    One pass over the table's fields: a knowledge file may hold a hundred thousand facts.
    """
    if not isinstance(entry, dict):
        problems.append(Problem(where, "-", f"must be a table, not {_type_name(entry)}"))
        return None
    before = len(problems)
    for key, value in entry.items():
        check = FACT_CHECKS.get(key)
        complaint = check(value) if check else "unknown field"
        if complaint:
            problems.append(Problem(where, key, complaint))
    for key in REQUIRED:
        if key not in entry:
            problems.append(Problem(where, key, "missing"))
    topic_list = entry.get("topics")
    if isinstance(topic_list, list) and len(topic_list) <= MAX_TOPICS:
        for slug in topic_list:
            if isinstance(slug, str) and slug not in topics:
                problems.append(Problem(where, "topics", f"{slug!r} is not a declared topic"))
    figures = [k for k in FIGURE_FIELDS if k in entry]
    kind = entry.get("kind")
    if kind == "number" and not figures:
        problems.append(
            Problem(
                where, "value", "a number fact needs a value or another figure (growth_pct, city_share_pct, rank, …)"
            )
        )
    if kind == "claim" and figures:
        problems.append(Problem(where, figures[0], 'a claim states no figure; make it kind = "number"'))
    if "value" in entry and "unit" not in entry:
        problems.append(Problem(where, "unit", "missing (a value needs a unit)"))
    rank, rank_of = entry.get("rank"), entry.get("rank_of")
    if type(rank) is int and type(rank_of) is int and rank > rank_of:
        problems.append(Problem(where, "rank", f"{rank} is beyond rank_of {rank_of}"))
    if len(problems) > before:
        return None
    args = dict(entry)
    args["topics"] = tuple(topic_list)  # type: ignore[arg-type]
    args.setdefault("period", default_period)
    args.setdefault("source", default_source)
    if "city_context" in args:
        args["city_context"] = tuple(args["city_context"])
    args["kind"] = Kind(kind)
    for key in _FLOATS:
        if key in args:
            args[key] = float(args[key])
    for key in _QUALIFIERS:
        args[key] = Qualifier(args[key]) if key in args else Qualifier.EXACT
    return Fact(**args)

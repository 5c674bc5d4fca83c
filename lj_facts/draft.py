"""A knowledge-file draft of a plain-text report: one fact per figure the parser reads.

The draft loads as it is (`lj-facts --file draft.toml topics` works) and `validate` lists what is
still to do. It fills in what the report's words say (quote, value, unit, qualifiers, growth, share,
gap, change, rank, period) and never what only a person can write: each fact's label and topics,
the area and city of `[meta]`, and the source's publisher, date and URL are marked `TODO`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import KnowledgeFileError, ReportError, count
from .figures import Figure, Reader, Statement, dateline, years_written
from .load import DATE, FACT_CHECKS, PERIOD, not_utf8, other_encoding, read_limited
from .model import FIGURE_FIELDS, Qualifier
from .sentences import covers, split
from .text import without_spaces

TODO = "TODO"
"""What marks a field still to be written by a person."""
SET_ASIDE_TODO = (
    f"{TODO}: a claim to quote in a fact of its own, "
    "or the reason no fact quotes it (photo credit, headline, exhortation)"
)
"""The reason of a sentence the draft sets aside only until a person decides."""
TODO_TOPIC = "todo"
"""The topic every draft fact sits under until a person gives it its own."""


@dataclass(frozen=True)
class Metadata:
    """What the person drafting says about the report (`draft --url --title --publisher --published --period`)."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    """YYYY-MM-DD, YYYY-MM or YYYY: the release date; its year is the year of 今年, this year."""
    period: str | None = None
    """The report's period: `[meta].default_period`, and the period of figures before the text names one."""

    def problems(self) -> list[str]:
        """What is wrong with the values given, as `--option: why`."""
        out = []
        if self.published is not None and not DATE.match(self.published):
            out.append(f"--published: {self.published!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        if self.period is not None and not PERIOD.match(self.period):
            out.append(f"--period: {self.period!r} is not a period (2021-H1, 2021-Q1, 2021-01/2021-09, 2021, …)")
        for name in ("url", "title", "publisher"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                out.append(f"--{name}: is empty")
        return out


@dataclass(frozen=True)
class Draft:
    """What a report states, read by the parser, ready to be written as a knowledge file."""

    name: str
    """The report's file name."""
    source_id: str
    """Slug for the `[[sources]]` entry, from the file name."""
    title: str
    """The report's title: --title, its first line that reads as a heading, or its file name."""
    title_line: int | None
    """The line the title was taken from (None: the file name or --title)."""
    period_inference: str
    """How the periods were read, as the parser saw them."""
    statements: tuple[Statement, ...]
    unread: tuple[Figure, ...]
    """Digits the parser could not place: a person decides (a fact, or a phrase in `meta.names`)."""
    uncovered: tuple[str, ...] = ()
    """Sentences no drafted fact quotes: a claim to quote, or a `[[set_aside]]` with its reason (a person decides)."""
    metadata: Metadata = Metadata()
    """What was given on the command line."""
    date: str | None = None
    """The release date: --published, else the dateline the text prints (None: neither)."""
    date_from_text: bool = False
    """Whether `date` was read from the text (a person checks it)."""
    years_missing: int = 0
    """Periods the text names whose year nothing gave: written not-given."""


def read_report(path: Path) -> str:
    """The report at `path` (stdin for `-`) as text: read as a knowledge file is, then UTF-8, not binary."""
    try:
        raw = read_limited(path, "report")  # the size limit (LJ_FACTS_MAX_BYTES) and errors of a knowledge file
    except KnowledgeFileError as e:
        raise ReportError(e.path, str(e).removeprefix(f"{e.path}: ")) from None
    name = str(path)
    nul = raw.find(b"\0")
    if nul >= 0 and other_encoding(raw) is None:  # UTF-16 holds NULs too: said below
        raise ReportError(name, f"holds binary data (a NUL byte at byte {nul}), not plain text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReportError(name, not_utf8(raw, e)) from None
    if not text.strip():
        raise ReportError(name, "is empty")
    return text


def draft(text: str, name: str, year: int | None = None, metadata: Metadata | None = None) -> Draft:
    """Read the report `text` (at path `name`); `year` is the year its periods are in, if known.

    The year of a period that writes none (上半年, the first half) is, in turn: `year` (--year); the
    year last written with a period before it (2020年, 2021年前三季度); the year of the release
    (--published, else a dateline the text prints near its top), which is also the year of 今年 and
    this year; else the year the report writes most often. Where none is known the period is
    not-given, and the draft says so.
    """
    meta = metadata or Metadata()
    date = meta.published or dateline(text)
    release = int(date[:4]) if date else None
    years = years_written(text)
    fallback = None
    if year is not None:
        year_said = f"The year {year} was given (--year)."
    elif years:
        counts = Counter(y for y, _ in years)
        fallback = max(counts, key=lambda y: (counts[y], y))
        line = next(n for y, n in years if y == fallback)
        times = "once" if counts[fallback] == 1 else f"{counts[fallback]} times"
        year_said = (
            "A period that writes no year takes the year written last with a period before it, else the "
            f"release's ({release or 'not known'}), else {fallback}, the year the report writes most often "
            f"(“{fallback}年”, {times}, first on line {line}): check it."
        )
    elif release:
        year_said = (
            "A period that writes no year takes the year written last with a period before it, "
            f"else the release's ({release})."
        )
    else:
        year_said = (
            "The report writes no year (YYYY年) and no release date is known: "
            "periods that need one are written not-given."
        )
    reader = Reader(year, release, fallback)
    if meta.period:
        reader.periods.carried = reader.periods.opening = meta.period
    found: list[Statement] = []
    for sentence in split(text):  # one pass: the statements and the digits left unread
        found += reader.statements(sentence)
    if not found:
        raise ReportError(name, "states no figure the parser can read: nothing to draft")
    seen = Counter(s.period for s in found)
    periods = ", ".join(f"{period} ({count})" for period, count in seen.most_common())
    inference = (
        f"{year_said} Periods are read from each sentence (上半年, 一季度, 前三季度, 1—9月, 截至6月, 全年, 每年; "
        "the first half, the first three quarters, January to September); one stated in a heading or a sentence "
        f"holds for the figures after it until another is stated. Facts by period: {periods}."
    )
    base = Path(name).name
    title, title_line = (meta.title, None) if meta.title else _title(text, base)
    return Draft(
        name=base,
        source_id=_slug(base),
        title=title,
        title_line=title_line,
        period_inference=inference,
        statements=tuple(found),
        unread=tuple(reader.unread),
        uncovered=_uncovered(text, found),
        metadata=meta,
        date=date,
        date_from_text=date is not None and meta.published is None,
        years_missing=reader.periods.missing,
    )


def _uncovered(text: str, statements: list[Statement]) -> tuple[str, ...]:
    """The sentences of the report (the one rule, `sentences.split`) that the drafted quotes do not cover.

    The quotes come in report order, so each is looked for from where the one before it stood:
    linear in the report, where a search of the whole text for every quote would not be.
    """
    flat = without_spaces(text)
    marked = bytearray(len(flat))
    at = 0
    for statement in statements:
        quote = without_spaces(statement.text)
        found = flat.find(quote, max(0, at - 4096))
        if found >= 0:
            marked[found : found + len(quote)] = b"\x01" * len(quote)
            at = found
    return tuple(s.text for s in split(text) if not covers(s, marked))


def _title(text: str, name: str) -> tuple[str, int | None]:
    """The first line that reads as a heading (short, no sentence end), else the file name.

    Photo credits (… 摄) before it are skipped."""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.endswith(("摄", "攝", "摄影", "攝影")) or "[Photo" in line:
            continue  # a photo credit (光环购物公园 蓝天 摄, [Photo/…]), not the title
        if line:
            if len(line) <= 80 and not line.endswith(("。", "；", "，", ".", ";", ",")):
                return line, number
            break
    return name, None


def _slug(name: str) -> str:
    stem = Path(name).stem.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    return slug or "report"


# --- writing TOML ---------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_number(x: float) -> str:
    """A number as the report writes it: 23, 2008.3, 610 (never 610.0000000001)."""
    x = round(x, 6)
    if abs(x) >= 1e15:  # past the digits a float holds exactly: TOML's float form (1e+25)
        return repr(x)
    return str(int(x)) if x == int(x) else repr(x)


_FIGURE_FIELDS = (
    "value",
    "unit",
    "qualifier",
    "growth_pct",
    "growth_qualifier",
    "growth_span_years",
    "city_share_pct",
    "city_share_qualifier",
    "city_share_change_pp",
    "city_growth_gap_pp",
    "change_pp",
    "rank",
    "rank_of",
    "change",
    "mom_growth_pct",
    "per",
)


def fact_id(number: int, total: int) -> str:
    """`draft.001`: ids in report order, zero-padded to the same width."""
    return f"draft.{number:0{max(3, len(str(total)))}d}"


def _fields(s: Statement) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The statement's fields as TOML values, and those the schema would refuse (with why).

    The schema's own checks decide (`load.FACT_CHECKS`), so a draft always loads: 全国第0位 or
    占全市150% is kept as a comment for a person to read, never as a field that breaks the file.
    """
    written: dict[str, str] = {}
    refused: list[tuple[str, str, str]] = []
    for field in _FIGURE_FIELDS:
        value = getattr(s, field)
        if value is None or value is Qualifier.EXACT:
            continue
        if isinstance(value, Qualifier):
            text = f'"{value.value}"'
        elif field in ("unit", "per"):
            text = toml_string(value)
        else:
            text = toml_number(value)
        complaint = FACT_CHECKS[field](value.value if isinstance(value, Qualifier) else value)
        if complaint is None and field == "rank_of" and s.rank is not None and s.rank > value:
            complaint = f"rank {s.rank} is beyond it"
        if complaint:
            refused.append((field, text, complaint))
        else:
            written[field] = text
    if "value" not in written:
        for field in ("unit", "qualifier"):
            if field in written:
                refused.append((field, written.pop(field), "no value to go with"))
    return written, refused


def to_toml(d: Draft) -> str:
    """The draft as a knowledge file that loads, with what is still to do marked TODO."""
    n = len(d.statements)
    title_from = f"line {d.title_line} of the report" if d.title_line else "the file name"
    m = d.metadata
    todo = [name for name, value in (("publisher", m.publisher), ("date", d.date), ("URL", m.url)) if value is None]
    listed = ", ".join(todo[:-1]) + (" and " if len(todo) > 1 else "") + (todo[-1] if todo else "")
    checks = [] if m.title else [f"check the title (taken from {title_from})"]
    if d.date_from_text:
        checks.append(f"check the date (read from the text: {d.date})")
    if todo:
        checks.append(f"add {listed}")
    out = [
        f"# Knowledge-file draft written by `lj-facts draft` from {d.name}: {count(n, 'fact')}, one per figure read.",
        "# Still to do (`lj-facts validate` lists it): each fact's label and topics, [meta]'s area and city"
        + (f", the source's {listed}." if todo else "."),
        "# Check every figure against the report; white space of the printed page is removed from the quotes.",
        "",
        "[[sources]]",
        f"id = {toml_string(d.source_id)}",
        f"title = {toml_string(d.title)}",
        f"publisher = {toml_string(m.publisher)}"
        if m.publisher
        else '# publisher = ""  # TODO: who published the report',
        f"date = {toml_string(d.date)}" if d.date else '# date = ""       # TODO: YYYY-MM-DD, YYYY-MM or YYYY',
        f"url = {toml_string(m.url)}" if m.url else '# url = ""        # TODO: where it can be read',
        f"period_inference = {toml_string(d.period_inference)}",
    ]
    if checks:
        out.append(f"note = {toml_string(f'{TODO}: ' + '; '.join(checks) + '.')}")
    out += [
        "",
        "[meta]",
        f"title = {toml_string(d.title)}",
        f'region = "{TODO}: the area, in English"',
        f'region_zh = "{TODO}: the area, in Chinese"',
        f'city = "{TODO}: the city, in English"',
        f'city_zh = "{TODO}: the city, in Chinese"',
        f"default_period = {toml_string(m.period or 'not-given')}",
        f"period_inference = {toml_string(d.period_inference)}",
        f"source = {toml_string(m.url or d.name)}",
    ]
    if d.years_missing:
        out.append(
            f"# {TODO}: {count(d.years_missing, 'period')} of the report named no year and none was known "
            "(--year or --published gives it): written not-given."
        )
    if d.unread:
        out.append(
            "# Digits the parser could not read: a fact for each, or its phrase in `names` (a name, no statistic):"
        )
        out += [f"#   line {f.line}: {f.raw}" for f in d.unread]
    out += [
        "names = []",
        "",
        f"[topics.{TODO_TOPIC}]",
        f'name = "{TODO}"',
        'name_zh = "待定"',
        f'description = "{TODO}: declare the file\'s topics, give each fact its own, then remove this one."',
    ]
    for number, s in enumerate(d.statements, 1):
        out += ["", "[[facts]]", f'id = "{fact_id(number, n)}"', f'topics = ["{TODO_TOPIC}"]', f'label = "{TODO}"']
        out.append(f"text = {toml_string(s.text)}")
        written, refused = _fields(s)
        out.append(f'kind = "{"number" if any(f in FIGURE_FIELDS for f in written) else "claim"}"')
        out += [f"{field} = {value}" for field, value in written.items()]
        if s.status != "result":
            out.append(f'status = "{s.status}"')
        out.append(f'period = "{s.period}"')
        if s.period == "not-given" and d.years_missing:
            out.append(f"# {TODO}: the period (the report does not say which year, or none)")
        if any(f.abbreviation for f in s.figures):
            out.append(f"# {TODO}: counted in a numerical abbreviation: a count, or a slogan for meta.names")
        for field, value, why in refused:
            out.append(f"# {TODO}: the parser read {field} = {value}, which the schema refuses: {why}")
        out.append(f"# report line {s.line}")
    for sentence in d.uncovered:
        out += ["", "[[set_aside]]", f"text = {toml_string(sentence)}", f"reason = {toml_string(SET_ASIDE_TODO)}"]
    return "\n".join(out) + "\n"

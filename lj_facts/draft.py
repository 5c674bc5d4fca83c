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
from .figures import Figure, Role, Statement, normalize, sentence_statements, sentences, years_written
from .load import FACT_CHECKS, not_utf8, other_encoding, read_limited
from .model import FIGURE_FIELDS, Qualifier

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
class Draft:
    """What a report states, read by the parser, ready to be written as a knowledge file."""

    name: str
    """The report's file name."""
    source_id: str
    """Slug for the `[[sources]]` entry, from the file name."""
    title: str
    """The report's first line, or its file name."""
    title_line: int | None
    """The line the title was taken from (None: the file name)."""
    period_inference: str
    """How the periods were read, as the parser saw them."""
    statements: tuple[Statement, ...]
    unread: tuple[Figure, ...]
    """Digits the parser could not place: a person decides (a fact, or a phrase in `meta.names`)."""
    uncovered: tuple[str, ...] = ()
    """Sentences no drafted fact quotes: a claim to quote, or a `[[set_aside]]` with its reason (a person decides)."""


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


def draft(text: str, name: str, year: int | None = None) -> Draft:
    """Read the report `text` (at path `name`); `year` is the year its periods are in, if known.

    Without `year`, the year the report writes most often (`2021年`; the latest of a tie) is taken,
    and the period inference says so; a report that writes none gets `not-given` for periods that
    need a year.
    """
    years = years_written(text)
    if year is not None:
        year_said = f"The year {year} was given (--year)."
    elif years:
        counts = Counter(y for y, _ in years)
        year = max(counts, key=lambda y: (counts[y], y))
        line = next(n for y, n in years if y == year)
        times = "once" if counts[year] == 1 else f"{counts[year]} times"
        year_said = (
            f"The year {year} is the one the report writes most often (“{year}年”, {times}, first on line {line}); "
            "the parser took it as the year of the report's periods: check it."
        )
    else:
        year_said = "The report writes no year (YYYY年): periods that need one are written not-given."
    found: list[Statement] = []
    unread: list[Figure] = []
    for sentence in sentences(text):  # one pass: the statements and the digits left unread
        found += sentence_statements(sentence, year)
        unread += (f for f in sentence.figures if f.role is Role.UNREAD)
    if not found:
        raise ReportError(name, "states no figure the parser can read: nothing to draft")
    seen = Counter(s.period for s in found)
    periods = ", ".join(f"{period} ({count})" for period, count in seen.most_common())
    inference = (
        f"{year_said} Periods are read from each sentence (上半年, 1—5月, 截至6月, 全年, 每年); a figure "
        f"whose sentence names none has period not-given. Facts by period: {periods}."
    )
    base = Path(name).name
    title, title_line = _title(text, base)
    return Draft(base, _slug(base), title, title_line, inference, tuple(found), tuple(unread), _uncovered(text, found))


def _uncovered(text: str, statements: list[Statement]) -> tuple[str, ...]:
    """The sentences of the report (as `validate` splits them) that the drafted quotes do not cover.

    The quotes come in report order, so each is looked for from where the one before it stood:
    linear in the report, where a search of the whole text for every quote would not be.
    """
    from .validate import MAX_GAP, covers
    from .validate import sentences as report_sentences

    flat = normalize(text)
    marks = bytearray(len(flat))
    at = 0
    for statement in statements:
        quote = normalize(statement.text)
        found = flat.find(quote, max(0, at - 4096))
        if found >= 0:
            marks[found : found + len(quote)] = b"\x01" * len(quote)
            at = found
    return tuple(s.text for s in report_sentences(text) if not covers(s, marks, MAX_GAP))


def _title(text: str, name: str) -> tuple[str, int | None]:
    """The first line that reads as a heading (short, no sentence end), else the file name.

    Photo credits (… 摄) before it are skipped."""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.endswith("摄"):  # a photo credit (光环购物公园 蓝天 摄), not the title
            continue
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
        elif field == "unit":
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
    out = [
        f"# Knowledge-file draft written by `lj-facts draft` from {d.name}: {count(n, 'fact')}, one per figure read.",
        "# Still to do (`lj-facts validate` lists it): each fact's label and topics, [meta]'s area and city,",
        "# the source's publisher, date and URL. Check every figure against the report; white space of the",
        "# printed page is removed from the quotes.",
        "",
        "[[sources]]",
        f"id = {toml_string(d.source_id)}",
        f"title = {toml_string(d.title)}",
        '# publisher = ""  # TODO: who published the report',
        '# date = ""       # TODO: YYYY-MM-DD, YYYY-MM or YYYY',
        '# url = ""        # TODO: where it can be read',
        f"period_inference = {toml_string(d.period_inference)}",
        f"note = {toml_string(f'{TODO}: check the title (taken from {title_from}); add publisher, date and URL.')}",
        "",
        "[meta]",
        f"title = {toml_string(d.title)}",
        f'region = "{TODO}: the area, in English"',
        f'region_zh = "{TODO}: the area, in Chinese"',
        f'city = "{TODO}: the city, in English"',
        f'city_zh = "{TODO}: the city, in Chinese"',
        'default_period = "not-given"',
        f"period_inference = {toml_string(d.period_inference)}",
        f"source = {toml_string(d.name)}",
    ]
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
        out.append(f'period = "{s.period}"')
        if any(f.abbreviation for f in s.figures):
            out.append(f"# {TODO}: counted in a numerical abbreviation: a count, or a slogan for meta.names")
        for field, value, why in refused:
            out.append(f"# {TODO}: the parser read {field} = {value}, which the schema refuses: {why}")
        out.append(f"# report line {s.line}")
    for sentence in d.uncovered:
        out += ["", "[[set_aside]]", f"text = {toml_string(sentence)}", f"reason = {toml_string(SET_ASIDE_TODO)}"]
    return "\n".join(out) + "\n"

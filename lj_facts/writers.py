"""The machine formats, one writer each (tsv, csv, json, jsonl), and `printable`, which makes control
characters from the data visible wherever text reaches a terminal."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from .rows import Row, number


def cell(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:  # the most common cell first
        return value
    if isinstance(value, bool):  # as JSON writes it, not Python's True/False
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, float):
        return number(value)
    return str(value)


_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
INVISIBLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
"""Characters that act on a terminal or reorder text instead of showing: C0 and C1 controls, DEL, the
bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–E, U+2066–9), the
line and paragraph separators, and lone surrogates (an argument's bytes that are not UTF-8)."""
_TSV_UNSAFE = f"[\\\\\t\n\r{INVISIBLE}]"
"""What a TSV cell writes as an escape. Patterns are compiled where first used (`re` keeps them):
seven of them compiled at import cost a look-up 1 to 2 ms, most for formats it does not write."""


def escape_char(ch: str) -> str:
    """A character that must not reach a terminal raw, as a visible escape: \\x1b, \\u202e, \\xff for a byte."""
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # the stand-in of a byte that is not UTF-8: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_TSV_NEEDS = f"[\\\\\n\r{INVISIBLE}]"
"""What a TSV line must not carry raw, but the tab that separates its cells."""


def _tsv_escape(text: str) -> str:
    return re.compile(_TSV_UNSAFE).sub(lambda m: _TSV_ESCAPES.get(m.group()) or escape_char(m.group()), text)


def _getter(columns: Sequence[str]) -> Callable[[Row], tuple[Any, ...]]:
    """A row's values of these columns as a tuple, in one call (itemgetter of one name returns the value alone)."""
    if len(columns) == 1:
        name = columns[0]
        return lambda row: (row[name],)
    return itemgetter(*columns) if columns else lambda row: ()


def write_tsv(rows: Iterable[Row], columns: Sequence[str], out: IO[str], header: bool = True) -> None:
    """Tab-separated, one line a row; tabs, newlines, backslashes and invisible characters escaped (\\t, \\x1b).

    TSV is what a pipe gets by default and often ends on a terminal (`lj-facts x | cat`): nothing in
    it may move the cursor, colour the screen or reorder the line. JSON keeps the text exactly.
    Written a few hundred lines at a time; a line is escaped cell by cell only when it holds a
    character to escape (a tab more than the separators, say): escaping every cell cost as much as
    the rest of a listing of 100,000 facts.
    """
    if header:
        out.write("\t".join(columns) + "\n")
    lines: list[str] = []
    values, needs = _getter(columns), re.compile(_TSV_NEEDS).search
    for r in rows:
        cells = ["" if v is None else v if type(v) is str else cell(v) for v in values(r)]
        line = "\t".join(cells)
        if needs(line) or line.count("\t") >= len(columns):
            line = "\t".join([_tsv_escape(c) for c in cells])  # the rare cell that needs escapes
        lines.append(line)
        if len(lines) >= 512:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")


_FORMULA_STARTS = "=+-@＝＋－＠"
"""What makes a spreadsheet read a cell as a formula: ASCII and full-width (Excel folds ＝ to =)."""
_CSV_UNSAFE = (
    "\r(?!\n)|"  # a CR alone
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""What CSV escapes: the invisible characters but tab, line feed and CR LF (RFC 4180 quotes those)."""


def _spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay as they are.

    A formula may hide behind white space or a line break (` =1+1`, `\\n@SUM`), which spreadsheets skip.
    """
    stripped = text.lstrip()
    if (stripped[:1] and stripped[0] in _FORMULA_STARTS) or text[:1] in ("\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def write_csv(rows: Sequence[Row], columns: Sequence[str], out: IO[str], header: bool = True) -> None:
    """RFC 4180 CSV (CRLF line ends), formula-looking text neutralised, invisible characters escaped.

    Line breaks inside a field stay (quoted, as RFC 4180 has them); every other control character,
    a bidirectional control or a NUL is written as a visible escape (\\x1b, \\u202e, \\x00), as in TSV.
    """
    import csv

    unsafe = re.compile(_CSV_UNSAFE)

    def escape(text: str) -> str:
        return unsafe.sub(lambda m: escape_char(m.group()), text)

    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    for r in rows:
        writer.writerow([escape(_spreadsheet_safe(cell(r[c]))) for c in columns])


def is_utf(stream: IO[str]) -> bool:
    """Whether the stream's encoding can write any text (UTF-8, UTF-16, …)."""
    return (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").startswith("utf")


_UNSAFE_IN_JSON = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def _json(value: Any, ascii_only: bool) -> str:
    """Strict JSON; DEL, C1, bidi controls and line separators escaped too (the same JSON): no terminal acts on them."""
    import json

    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=False)
    return re.compile(_UNSAFE_IN_JSON).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_in_pieces(text: str, out: IO[str], size: int = 16384) -> None:
    """Write and flush `text` a piece at a time.

    One large write that a closing pipe (`| head`) cuts short can end without an error; pieces make
    the next write raise BrokenPipeError, which the CLI turns into its documented exit status.
    """
    for start in range(0, len(text), size):
        out.write(text[start : start + size])
        out.flush()


def write_json(rows: Sequence[Row], out: IO[str], ascii_only: bool = False) -> None:
    """A JSON array of row objects, one a line; `ascii_only` escapes all non-ASCII text as \\uXXXX (the same JSON)."""
    body = ",\n".join(_json(r, ascii_only) for r in rows)
    write_in_pieces(f"[\n{body}\n]\n" if rows else "[]\n", out)


def write_jsonl(rows: Iterable[Row], out: IO[str], ascii_only: bool = False) -> None:
    """One JSON object a line."""
    for r in rows:
        out.write(_json(r, ascii_only) + "\n")


_CONTROL = f"[{INVISIBLE}]"


def printable(text: str) -> str:
    """Control characters (ESC, BEL, C1, DEL), bidi controls and stray bytes as visible escapes; tabs as spaces.

    Nothing from the data is sent raw to a terminal: no escape sequence, and no override that shows
    a line in another order than it is stored.
    """
    return re.compile(_CONTROL).sub(lambda m: escape_char(m.group()), text).replace("\t", " ")

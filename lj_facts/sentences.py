"""The one sentence rule: how a report is cut into sentences, and when quotes cover one.

`draft` and `validate` both read a report through `split`, so the sentence a draft quotes and the
sentence `validate --source` asks to be covered are the same. Positions are those of the report with
white space removed (`text.without_spaces`), as quotes are compared.

The report is text extracted from a printed page or a web page: a line break falls anywhere in a
Chinese sentence, a blank line may fall mid-sentence (a column or page break), and photo captions
and headlines stand between the paragraphs without punctuation. So lines are joined and a sentence
ends:

- after 。！？；!?; (with the closing quotes or brackets that follow it), or after an English full
  stop followed by a space and a capital (`… percent. Meanwhile`; `U.S. dollars` and `Oct. 28` go on),
  or by a capitalised word with no space, as a careless page glues sentences (`… years.It is`);
- at a blank line (or the end) after a line with no punctuation of running text (，。、；：！？): a
  caption ("果园港 陈力行 摄") or a headline. A blank line after a line with such punctuation is a
  column break inside a sentence ("作为新区" / "“两高两区”十大工程…"): the sentence goes on;
- at the end of a photo credit's line (`… 摄`, `… 攝`, `[Photo/…]`), blank line or not;
- at a line break between a line that ends in Latin script and one that starts with a capital:
  an English web page writes a paragraph a line (`…the municipal average` / `Liangjiang's two…`);
- at every line break of a text whose lines are paragraphs (a web page: the median line is longer
  than `PARAGRAPH_LINE` characters), so a headline line stands alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .roles import Figure

_RUNNING = frozenset("，。、；：！？,;:!?")
_SPACE = re.compile(r"\s+")
_NOT_SPACE = re.compile(r"\S")
_END = re.compile(r"[。！？；!?;][”’」』）》)\"']*")
_FULL_STOP = re.compile(r"\.(?=[”’\"')\]]*(?:\s+[A-Z“\"‘'(\[\d]|\s*$))|(?<=[a-z)]{2})\.(?=[A-Z][a-z]+\s)")
"""A full stop that ends an English sentence: before a space and a capital, at a line's end, or glued to the
next sentence as a careless page prints it (`…past five years.It is understood`)."""
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "no",
        "co",
        "ltd",
        "st",
        "vs",
        "etc",
        "inc",
        "corp",
        "dept",
        "approx",
    ]
)
_CREDIT = re.compile(r"(?:\s(?:摄|攝)影?|\[Photo[^\]]*\]\s*\|?)\s*$")
"""A photo credit ends its line: 光环购物公园 蓝天 摄, 攝, [Photo/WeChat account …] |."""
MAX_GAP = 8
"""The most letters of a sentence (punctuation not counted) that may stand outside every quote in a
row: connectives such as 比如， 其中， 同时， 今年上半年， need no fact of their own, a claim does."""


class Sentence(NamedTuple):
    """A sentence of a report: its text without white space, where it stands, and its figures."""

    text: str
    """The sentence with white space removed (verbatim otherwise)."""
    start: int
    """Where it starts in the whole report with white space removed."""
    line: int
    """The line of the report it starts on."""
    raw: str
    """The sentence as the report writes it, white space and line breaks included."""
    lines: tuple[int, ...] = (0,)
    """Where each of its lines starts in `text` (the first at 0): the line of a figure inside it."""
    figures: tuple[Figure, ...] = ()
    """Its figures, where `figures.sentences` has read them (empty from `split`)."""
    opens: bool = False
    """Whether it starts a line after a sentence ended the one before: the first sentence of a paragraph
    (or a heading)."""

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def line_of(self, offset: int) -> int:
        """The report line of the character at `offset` in `text`."""
        return self.line + bisect_right(self.lines, offset) - 1


class _Line(NamedTuple):
    raw: str
    flat: str
    number: int


def without_white(text: str) -> str:
    return _SPACE.sub("", text)


def _stops(line: str) -> list[int]:
    """Offsets (in the line without white space) just after each English full stop that ends a sentence."""
    out = []
    for m in _FULL_STOP.finditer(line):
        word = _WORD_BEFORE.search(line, 0, m.start())
        if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue  # Oct. 28, No. 1, U.S. dollars
        out.append(len(without_white(line[: m.end()])))
    return out


def _latin_end(flat: str) -> bool:
    ch = flat[-1:]
    return bool(ch) and ch.isascii() and (ch.isalnum() or ch in ".,)%\"'|]")


def _latin_start(flat: str) -> bool:
    ch = flat[:1]
    return bool(ch) and ch.isascii() and (ch.isupper() or ch in '"(')


PARAGRAPH_LINE = 50
"""A text whose lines are this long (the median, in characters) writes a paragraph a line: a web page,
not a printed one, so every line ends a sentence (a headline line, `每天生产汽车3500辆`, included)."""


def _paragraph_lines(lines: list[_Line]) -> bool:
    lengths = sorted(len(line.flat) for line in lines if line.flat)
    return bool(lengths) and lengths[len(lengths) // 2] > PARAGRAPH_LINE


def split(report: str) -> Iterator[Sentence]:
    """The sentences of `report` by the rule above, in order; pieces without a letter or digit are left out."""
    lines = [_Line(raw, without_white(raw), n) for n, raw in enumerate(report.split("\n"), 1)]
    paragraphs = _paragraph_lines(lines)
    breaks: set[int] = set()
    starts: list[int] = []  # where each line starts in the whole text without white space
    length = 0
    last = ""
    for line in lines:
        starts.append(length)
        if line.flat:
            if "." in line.flat:
                breaks.update(length + k for k in _stops(line.raw))
            if _CREDIT.search(line.raw):
                breaks.add(length + len(line.flat))
            if _latin_end(last) and _latin_start(line.flat):
                breaks.add(length)
            length += len(line.flat)
            last = line.flat
            if paragraphs:
                breaks.add(length)
        elif last and not _RUNNING.intersection(last):
            breaks.add(length)
    breaks.add(length)
    flat = "".join(line.flat for line in lines)
    ends = sorted(breaks.union(m.end() for m in _END.finditer(flat)))
    start = 0
    for end in ends:
        if end <= start:
            continue
        text = flat[start:end]
        if any(ch.isalnum() for ch in text):
            yield _sentence(text, start, end, lines, starts)
        start = end


def _sentence(text: str, start: int, end: int, lines: list[_Line], starts: list[int]) -> Sentence:
    first = bisect_right(starts, start) - 1
    last = bisect_right(starts, end - 1) - 1
    raw_parts = []
    offsets = []
    for k in range(first, last + 1):
        line = lines[k]
        if not line.flat:
            continue
        a = max(start, starts[k]) - starts[k]
        b = min(end, starts[k] + len(line.flat)) - starts[k]
        raw_parts.append(_raw_slice(line.raw, a, b))
        offsets.append(max(start, starts[k]) - start)
    opens = start == starts[first] and bool(lines[first].flat)
    return Sentence(text, start, lines[first].number, "\n".join(raw_parts), tuple(offsets) or (0,), opens=opens)


@lru_cache(maxsize=4)  # the sentences of one line are cut from it in turn
def _plain(raw: str) -> int:
    """The white space before a line with none inside it, else -1."""
    stripped = raw.strip()
    return len(raw) - len(raw.lstrip()) if _SPACE.search(stripped) is None else -1


@lru_cache(maxsize=4)
def _positions(raw: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _NOT_SPACE.finditer(raw))


def _raw_slice(raw: str, a: int, b: int) -> str:
    """The part of `raw` whose non-white characters are the a-th to the (b-1)-th."""
    lead = _plain(raw)
    if lead >= 0:  # no white space inside: Chinese print, the common case
        return raw[lead + a : lead + b]
    positions = _positions(raw)
    return raw[positions[a] : positions[b - 1] + 1]


def marks(needles: set[str], flat: str) -> bytearray:
    """A byte a character of `flat`: 1 where some needle stands there, else 0.

    Each distinct quote is looked for once, and its places marked by slice: a file of a hundred
    thousand facts (most sharing their sentence's quote) is marked in well under a second.
    """
    marked = bytearray(len(flat))
    for needle in needles:
        if needle:
            for m in re.finditer(re.escape(needle), flat):
                marked[m.start() : m.end()] = b"\x01" * len(needle)
    return marked


def covers(sentence: Sentence, marked: bytearray, max_gap: int = MAX_GAP) -> bool:
    """Whether the marked characters cover the substance of `sentence`.

    Covered: the marks hold at least half of its letters and leave no more than `max_gap` letters in
    a row outside them. Letters are what `str.isalnum` accepts (Chinese characters, Latin letters, digits).
    """
    letters = covered = longest = run = 0
    for ch, quoted in zip(sentence.text, marked[sentence.start : sentence.end], strict=True):
        if not ch.isalnum():
            continue
        letters += 1
        if quoted:
            covered += 1
            run = 0
        else:
            run += 1
            longest = max(longest, run)
    return 2 * covered >= letters and longest <= max_gap

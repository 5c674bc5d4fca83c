"""The table for people at a terminal: each fact as a short block, laid out here, line by line.

A block is the label with the figures beside it (or beneath it where the terminal is narrow, each
after its column's name, as many a line as fit, where even that does not fit), the id on a line
of its own (never folded: it is what people copy), and the report's words beneath, wrapped
between Chinese characters but never inside a figure. Nothing is left out at any width, no line
ends in spaces, and lines are only as long as their content, so a huge `COLUMNS` costs nothing.
Only `rich.cells` is used (for the width of Chinese characters); the layout is plain text, which
a look-up can afford at start-up.
"""

from __future__ import annotations

import os
import re
import shutil
from typing import IO

from rich.cells import cell_len

from .displays import Column, Display
from .writers import printable, write_in_pieces

MIN_WIDTH = 40
"""Narrower terminals (COLUMNS=1, `stty cols 1`) get lines of this width; the terminal folds them."""
MAX_WIDTH = 160
"""Text wraps at this width at most: long lines of prose are hard to read."""
MIN_LABEL = 24
"""Where the label would get narrower than this beside the figures, the figures go beneath it."""
GAP = "  "
"""Space between two figures."""
INDENT = "    "
"""The indent of the report's words and other prose beneath a fact."""


def terminal_width() -> int:
    """The terminal's width (COLUMNS first), within MIN_WIDTH and MAX_WIDTH."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def use_color(color: bool | None, out: IO[str], terminal: bool | None = None) -> bool:
    """`color` None: colour on a terminal unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it. False is never.

    `terminal`: whether `out` is one (None: ask it)."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return (out.isatty() if terminal is None else terminal) and os.environ.get("TERM") != "dumb"


_UNBREAKABLE = re.compile(
    r"[（《「『“‘(\[]*(?:[0-9A-Za-zÀ-ɏ.,%‰+\-/~'’:_=?&#@]+|\s+|.)[，、。；：！？）》」』”’)\];!,:]*", re.S
)
"""What a line never breaks inside: a figure, a Latin word (`city's`, `Zürich`) or a web address, or
one Chinese character or symbol, with the punctuation that may not begin or end a line held to it
(`(≥),` stays whole: no line starts with the comma)."""


def wrap(text: str, width: int) -> list[str]:
    """Text wrapped at spaces and between Chinese characters, never inside a figure.

    A unit wider than the line (a long figure or word) is folded; nothing is ever lost. A line is
    gathered as a list of its units and joined once: characters of no width (combining marks, U+200B)
    never end a line, and adding to a string a unit at a time took time in the square of its length.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0
        for unit in _UNBREAKABLE.findall(paragraph):
            size = cell_len(unit)
            if line and used + size > width:
                lines.append("".join(line).rstrip())
                line, used = [], 0
                unit = unit.lstrip()  # a line starts with no spaces: those that broke it end the line before
            if size > width and not line:
                unit = unit.lstrip()  # nor does a unit too wide for a line keep its spaces, to fold its figure
            size = cell_len(unit)
            if not unit:
                continue
            if size > width:  # one unit wider than a line: folded, as a terminal would
                *full, unit = _fold(unit, width)
                lines += full
                size = cell_len(unit)
            line.append(unit)
            used += size
        lines.append("".join(line).rstrip())
    return lines


def _fold(text: str, width: int) -> list[str]:
    """`text` cut into lines of at most `width` cells (a character wider than the line gets one of its
    own), in one pass: the time it takes grows with the text, not with its square."""
    pieces: list[str] = []
    start, used = 0, 0
    for n, char in enumerate(text):
        size = cell_len(char)
        if used + size > width and n > start:
            pieces.append(text[start:n])
            start, used = n, 0
        used += size
    pieces.append(text[start:])
    return pieces


class _Style:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and text else text


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - cell_len(text))
    return space + text if right else text + space


def render_lines(display: Display, width: int, color: bool = False) -> list[str]:
    """The display as lines of at most `width` cells (beyond it only a unit that cannot be broken)."""
    style = _Style(color)
    rows = [[printable(cell) for cell in row] for row in display.rows]
    out = [style(line, "1") for line in wrap(printable(display.title), width)] if display.title else []
    if out:
        out.append("")
    if display.pairs:
        out += _pairs(display.columns, rows, width, style)
    else:
        out += _blocks(display.columns, rows, width, style)
    if display.caption:
        out.append("")
        out += [style(line, "2") for line in wrap(printable(display.caption), width)]
    if display.notes:  # the marks of the rows (†, ‡) explained one by one
        out.append("")
        out += [style(line, "2") for note in display.notes for line in wrap(printable(note), width)]
    return [line.rstrip() for line in out]


def _pairs(columns: tuple[Column, ...], rows: list[list[str]], width: int, style: _Style) -> list[str]:
    """A card: each field's name, and its value beside it (beneath, indented, where there is no room)."""
    key_width = max((cell_len(row[0]) for row in rows), default=0)
    room = width - key_width - len(GAP)
    out = []
    for key, value in (row[:2] for row in rows):
        if room >= MIN_LABEL:
            lines = wrap(value, room)
            out.append(style(_pad(key, key_width, False), "1") + GAP + lines[0])
            out += [" " * (key_width + len(GAP)) + line for line in lines[1:]]
        else:
            out.append(style(key, "1"))
            out += [INDENT + line for line in wrap(value, width - len(INDENT))]
    return out


def _blocks(columns: tuple[Column, ...], rows: list[list[str]], width: int, style: _Style) -> list[str]:
    """A listing: a block a row, the heading with its figures, the id, then the prose beneath."""
    heading = 0 if columns and columns[0].wraps else None
    id_at = next((i for i, c in enumerate(columns) if c.header == "Id"), None)
    beneath = [i for i, c in enumerate(columns) if c.wraps and i != heading]
    short = [i for i, c in enumerate(columns) if not c.wraps and i != id_at]
    short = [i for i in short if any(row[i] for row in rows)] or short  # a column empty in every row says nothing
    widths = {i: max([cell_len(columns[i].header), *(cell_len(row[i]) for row in rows)]) for i in short}
    figures_width = sum(widths.values()) + len(GAP) * max(len(short) - 1, 0)

    def packed(cells: list[str], head: bool = False) -> str:
        parts = []
        for i in short:
            text = _pad(cells[i], widths[i], columns[i].figure)
            parts.append(text if head or not cells[i] or columns[i].header != "Value" else style(text, "1"))
        return GAP.join(parts)

    headed = heading is not None
    natural = (
        max([cell_len(columns[0].header)] + [cell_len(row[j]) for row in rows for j in (0, id_at) if j is not None])
        if headed
        else 0
    )
    label_width = min(natural, width - figures_width - len(GAP)) if headed else 0
    if headed and label_width < min(MIN_LABEL, natural):  # a short label needs no more than its own width
        label_width = width  # the figures go beneath the label
    beside = headed and label_width + len(GAP) + figures_width <= width
    named = figures_width > width - (0 if beside or not headed else len(INDENT))

    out: list[str] = []
    if not named:
        if beside:
            head = _pad(columns[0].header, label_width, False) + GAP + packed([c.header for c in columns], True)
        elif headed:
            head = columns[0].header + "\n" + INDENT + packed([c.header for c in columns], True)
        else:
            head = packed([c.header for c in columns], True)
        for line in head.split("\n"):
            out.append(style(line.rstrip(), "1"))
        out.append("─" * min(width, max(cell_len(line) for line in head.split("\n"))))  # as wide as the cells
    separate = headed or bool(beneath) or named
    for n, row in enumerate(rows):
        if n and separate:
            out.append("")
        lines = wrap(row[0], label_width) if headed else []
        if named:
            out += lines
            out += _named([(columns[i].header, row[i]) for i in short if row[i]], width, style)
        elif beside:
            figures = packed(row)
            out.append(_pad(lines[0], label_width, False) + GAP + figures if figures.strip() else lines[0])
            out += lines[1:]
        else:
            out += lines
            figures = packed(row)
            if figures.strip():
                out.append((INDENT if headed else "") + figures)
        if id_at is not None:
            out.append(style(row[id_at], "2"))
        for i in beneath:
            if row[i]:
                out += [INDENT + line for line in wrap(row[i], width - len(INDENT))]
    return out


def _named(pairs: list[tuple[str, str]], width: int, style: _Style) -> list[str]:
    """Figures too many for one line, each after its column's name, as many a line as fit."""
    lines: list[str] = []
    line, used = "", 0
    for header, cell in pairs:
        text = f"{style(header, '2')} {cell}" if header else cell
        size = cell_len(f"{header} {cell}" if header else cell)
        if line and used + len(GAP) * 2 + size > width - 2:
            lines.append("  " + line)
            line, used = "", 0
        line, used = (line + GAP * 2 + text, used + len(GAP) * 2 + size) if line else (text, size)
    if line:
        lines.append("  " + line)
    return lines


def print_display(display: Display, out: IO[str], color: bool | None, width: int | None = None) -> None:
    """Draw the display on `out` at the terminal's width (or `width`)."""
    lines = render_lines(display, width or terminal_width(), use_color(color, out))
    write_in_pieces("".join(line + "\n" for line in lines), out)

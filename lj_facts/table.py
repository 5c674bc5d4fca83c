"""Rich output for people at a terminal. Imported only when a table or a fact card is drawn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .render import WIDE, Display, printable, write_in_pieces


def make_console(out: IO[str], color: bool | None) -> Console:
    """A console on `out`; `color` None lets Rich decide (terminal, NO_COLOR, FORCE_COLOR)."""
    if color is None:
        return Console(file=out, highlight=False, emoji=False, markup=False)
    return Console(
        file=out, highlight=False, emoji=False, markup=False, no_color=not color, force_terminal=True if color else None
    )


FIRST_COLUMN_MIN = 24
"""Columns marked `drop` are left out, in their order, until the first column has this many cells."""


def _natural(display: Display, rows: list[list[str]], i: int) -> int:
    return max([cell_len(display.columns[i].header), *(cell_len(row[i]) for row in rows)])


def _shown(display: Display, rows: list[list[str]], width: int) -> list[int]:
    """Indexes of the columns the table draws at `width`, the Id column (drawn in the first) aside."""
    shown = [i for i, c in enumerate(display.columns) if c.header != "Id" and (width >= WIDE or not c.wide)]
    droppable = sorted((c.drop, i) for i, c in enumerate(display.columns) if c.drop and i in shown)
    while droppable:
        fixed = sum(_natural(display, rows, i) + 2 for i in shown if not display.columns[i].wraps)
        wrapping = [i for i in shown if display.columns[i].wraps]
        if not wrapping or width - fixed - 2 * len(wrapping) >= FIRST_COLUMN_MIN * len(wrapping):
            break
        order = droppable[0][0]  # columns of the same order go together (Growth and City growth)
        for _, i in [d for d in droppable if d[0] == order]:
            shown.remove(i)
        droppable = [d for d in droppable if d[0] != order]
    return shown


GAP = "  "
"""Space between two figures packed into one column, as Rich leaves between two columns."""


def _groups(display: Display, shown: list[int]) -> list[list[int]]:
    """Shown columns in runs: each wrapping column alone, each run of non-wrapping ones together."""
    groups: list[list[int]] = []
    for i in shown:
        if groups and not display.columns[i].wraps and not display.columns[groups[-1][-1]].wraps:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _packed(cells: list[str], group: list[int], widths: dict[int, int], display: Display) -> Text:
    """A run of short cells as one line, each padded to its column's width and aligned like it."""
    text = Text()
    for n, i in enumerate(group):
        cell, column = cells[n], display.columns[i]
        pad = " " * (widths[i] - cell_len(cell))
        if n:
            text.append(GAP)
        style = "bold" if column.header == "Value" else None
        if column.figure:
            text.append(pad)
            text.append(cell, style)
        else:
            text.append(cell, style)
            if n < len(group) - 1:
                text.append(pad)
    return text


_UNBREAKABLE = re.compile(r"[（《「『“‘(\[]*(?:[0-9A-Za-z.,%‰+\-/~]+|\s+|.)[，、。；：！？）》」』”’)\]]*", re.S)
"""What a line never breaks inside: a figure or a Latin word, or one Chinese character, with the
punctuation that may not begin or end a line held to it."""


class Wrapped:
    """Text wrapped at spaces and between Chinese characters, never inside a figure.

    Rich wraps only at spaces, so it folds Chinese text anywhere, "增长41.1%" into "增长4" and
    "1.1%" on the next line: a figure misread. Here a line breaks only between the units of
    `_UNBREAKABLE`; a unit wider than the column is folded as Rich would.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def lines(self, width: int) -> list[str]:
        lines: list[str] = []
        for paragraph in self.text.split("\n"):
            line, used = "", 0
            for unit in _UNBREAKABLE.findall(paragraph):
                size = cell_len(unit)
                if line and used + size > width:
                    lines.append(line.rstrip())
                    line, used = "", 0
                    if unit.isspace():
                        continue
                line, used = line + unit, used + size
            lines.append(line.rstrip())
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest_unit = max(map(cell_len, _UNBREAKABLE.findall(self.text)), default=0)
        longest_line = max(map(cell_len, self.text.split("\n")))
        return Measurement(longest_unit, longest_line).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield Text("\n".join(self.lines(options.max_width)), overflow="fold")


def build_table(display: Display, width: int) -> Table:
    """The display as a Rich table for a terminal `width` columns wide.

    An `Id` column is drawn as a dim second line under the first column. Columns marked `wide` are
    left out below `WIDE` columns, those marked `drop` where the first column would get too narrow;
    the caption says so. Short columns side by side are packed into one Rich column, aligned here:
    Rich lays out a table cell by cell, and a look-up's start-up budget cannot pay for a cell per
    figure. Every cell is drawn as a `Text`, so markup and emoji codes in the data are shown as they
    are, never interpreted.
    """
    rows = [[printable(cell) for cell in row] for row in display.rows]
    shown = _shown(display, rows, width)
    left_out = [c.header for i, c in enumerate(display.columns) if i not in shown and c.header not in ("Id", "")]
    caption = "\n".join(filter(None, (display.caption, *display.notes)))
    if left_out:
        caption += f"\n(left out at this width: {', '.join(left_out)}; widen the terminal or use --format markdown)"
    table = Table(
        title=Text(printable(display.title)) if display.title else None,
        caption=Text(printable(caption)) if caption else None,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        expand=any(display.columns[i].wraps for i in shown),
    )
    widths = {i: _natural(display, rows, i) for i in shown}
    groups = _groups(display, shown)
    id_index = next((i for i, c in enumerate(display.columns) if c.header == "Id"), None)
    # Where the terminal has room, the first column is as wide as the ids: a folded id cannot be copied.
    first_width = None
    if id_index is not None and groups and display.columns[groups[0][0]].wraps:
        others = sum(  # the least each other column takes, with its padding of 2
            12 + 2 if display.columns[g[0]].wraps else sum(widths[i] for i in g) + len(GAP) * (len(g) - 1) + 2
            for g in groups[1:]
        )
        wanted = _natural(display, rows, id_index)
        first_width = wanted if wanted + 2 + others <= width else None
    for n, group in enumerate(groups):
        column = display.columns[group[0]]
        if column.wraps:
            table.add_column(
                column.header,
                ratio=4 if n else 3,
                width=None if n else first_width,  # with a ratio, a width is the least the column gets
                min_width=12 if n else FIRST_COLUMN_MIN,
                overflow="fold",
            )
        else:
            header = _packed([display.columns[i].header for i in group], group, widths, display)
            table.add_column(header, no_wrap=True)
    for row in rows:
        cells: list[Text | Wrapped] = [
            (Wrapped(row[g[0]]) if n else Text(row[g[0]]))
            if display.columns[g[0]].wraps
            else _packed([row[i] for i in g], g, widths, display)
            for n, g in enumerate(groups)
        ]
        if id_index is not None and isinstance(cells[0], Text):
            cells[0].append("\n" + row[id_index], style="dim")
        table.add_row(*cells)
    return table


def print_display(display: Display, out: IO[str], color: bool | None) -> None:
    """Draw the display as a table on `out`."""
    console = make_console(out, color)
    with console.capture() as captured:
        console.print(build_table(display, console.width))
    write_in_pieces(captured.get(), out)

"""Rich output for people at a terminal. Imported only when a table or a fact card is drawn."""

from __future__ import annotations

from typing import IO

from rich import box
from rich.cells import cell_len
from rich.console import Console
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


def _natural(display: Display, i: int) -> int:
    return max([cell_len(display.columns[i].header), *(cell_len(row[i]) for row in display.rows)])


def _shown(display: Display, width: int) -> list[int]:
    """Indexes of the columns the table draws at `width`, the Id column (drawn in the first) aside."""
    shown = [i for i, c in enumerate(display.columns) if c.header != "Id" and (width >= WIDE or not c.wide)]
    droppable = sorted((c.drop, i) for i, c in enumerate(display.columns) if c.drop and i in shown)
    while droppable:
        fixed = sum(_natural(display, i) + 2 for i in shown if not display.columns[i].wraps)
        wrapping = [i for i in shown if display.columns[i].wraps]
        if not wrapping or width - fixed - 2 * len(wrapping) >= FIRST_COLUMN_MIN * len(wrapping):
            break
        shown.remove(droppable.pop(0)[1])
    return shown


def build_table(display: Display, width: int) -> Table:
    """The display as a Rich table for a terminal `width` columns wide.

    An `Id` column is drawn as a dim second line under the first column. Columns marked `wide` are
    left out below `WIDE` columns, those marked `drop` where the first column would get too narrow;
    the caption says so. Every cell is a `Text`, so markup and emoji codes in the data are shown as
    they are, never interpreted.
    """
    shown = _shown(display, width)
    left_out = [c.header for i, c in enumerate(display.columns) if i not in shown and c.header not in ("Id", "")]
    caption = display.caption
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
    id_index = next((i for i, c in enumerate(display.columns) if c.header == "Id"), None)
    for n, i in enumerate(shown):
        column = display.columns[i]
        if column.wraps:
            table.add_column(
                column.header, ratio=4 if n else 3, min_width=12 if n else FIRST_COLUMN_MIN, overflow="fold"
            )
        else:
            table.add_column(column.header, justify="right" if column.figure else "left", no_wrap=True)
    for row in display.rows:
        cells = [Text(printable(row[i]), style="bold" if display.columns[i].header == "Value" else "") for i in shown]
        if id_index is not None:
            cells[0].append("\n" + printable(row[id_index]), style="dim")
        table.add_row(*cells)
    return table


def print_display(display: Display, out: IO[str], color: bool | None) -> None:
    """Draw the display as a table on `out`."""
    console = make_console(out, color)
    with console.capture() as captured:
        console.print(build_table(display, console.width))
    write_in_pieces(captured.get(), out)

"""The Rich table for people at a terminal. Imported only when a table is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .model import Fact
from .render import growth_text, printable, share_text, value_text


def make_console(out: IO[str], color: bool | None) -> Console:
    """A console on `out`; `color` None lets Rich decide (terminal, NO_COLOR, FORCE_COLOR)."""
    if color is None:
        return Console(file=out, highlight=False, emoji=False, markup=False)
    return Console(
        file=out, highlight=False, emoji=False, markup=False, no_color=not color, force_terminal=color or None
    )


QUOTE_MIN_WIDTH = 130
"""Narrower terminals leave out the report's words (`lj-facts show ID` prints them)."""


def facts_table(facts: Sequence[Fact], title: str, caption: str = "", width: int = 80) -> Table:
    """Label, value, growth, city share, period and, where `width` allows, the report's words.

    Every cell is a `Text`, so markup and emoji codes in the data are shown, never interpreted.
    """
    quote = width >= QUOTE_MIN_WIDTH
    table = Table(
        title=title, caption=caption or None, box=box.SIMPLE_HEAD, title_justify="left", caption_justify="left"
    )
    table.add_column("Fact", ratio=3, min_width=20, overflow="fold")
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("Growth", justify="right", no_wrap=True)
    table.add_column("City share", justify="right", no_wrap=True)
    table.add_column("Period", no_wrap=True)
    if quote:
        table.add_column("Report says", ratio=4, overflow="fold")
    for fact in facts:
        label = Text(printable(fact.label))
        label.append("\n" + fact.id, style="dim")
        growth = fact.growth_pct if fact.growth_pct is not None else fact.change_pp
        cells = [
            label,
            Text(value_text(fact), style="bold"),
            Text(growth_text(fact), style="red" if growth is not None and growth < 0 else "green"),
            Text(share_text(fact)),
            Text(fact.period or ""),
        ]
        if quote:
            cells.append(Text(printable(fact.text), style="dim"))
        table.add_row(*cells)
    return table


def print_table(facts: Sequence[Fact], out: IO[str], color: bool | None, title: str, caption: str = "") -> None:
    """Draw the facts table on `out`."""
    console = make_console(out, color)
    console.print(facts_table(facts, printable(title), printable(caption), console.width))

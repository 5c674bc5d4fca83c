"""`lj-facts city-figures`"""

from __future__ import annotations

import typer

from .. import displays
from ..listing import rows_listing, sort_note
from ..rows import CITY_FIGURE_COLUMNS, city_figure_row
from . import command
from .common import FIGURES_CAPTION, open_listing, say_note


@command("city-figures", listing=True)
def run(ctx: typer.Context) -> None:
    """The city's own published figures, each with its page and the facts linked to it."""
    index, opts = open_listing(ctx, facts=False)
    links = index.city_links()
    every = [city_figure_row(p, *links[p.id]) for p in index.city_figures.values()]
    rows, columns = rows_listing(every, CITY_FIGURE_COLUMNS, opts.query)
    say_note(opts.out.env, sort_note(every, opts.query, columns))
    title = f"Published figures of {index.meta.city} ({index.meta.city_zh})"
    opts.out.listing(
        rows,
        columns,
        lambda: [displays.city_figures_display(rows, title, FIGURES_CAPTION)],
        picked=bool(opts.query.fields),
        title=title,
        caption=FIGURES_CAPTION,
    )

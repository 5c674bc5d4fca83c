"""`lj-facts topics`"""

from __future__ import annotations

import typer

from .. import displays
from ..listing import rows_listing
from ..rows import TOPIC_COLUMNS, topic_row
from . import command
from .common import open_listing


@command("topics", listing=True)
def run(ctx: typer.Context) -> None:
    """The topics, with Chinese names, aliases and how many facts each holds."""
    index, opts = open_listing(ctx, facts=False)
    every = [topic_row(t, count) for t, count in index.topics()]
    rows, columns = rows_listing(every, TOPIC_COLUMNS, opts.query)
    title = f"Topics of {index.meta.region}"
    opts.out.listing(
        rows, columns, lambda: [displays.topics_display(rows, title)], picked=bool(opts.query.fields), title=title
    )

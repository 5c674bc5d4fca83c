"""`lj-facts city [TOPIC|WORD...]`: Liangjiang's weight in the city."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .. import displays
from ..completion import complete_topics
from ..listing import facts_listing
from . import command
from .common import caption, open_listing, require_some, say_all, say_note, say_span_note, source_lines

if TYPE_CHECKING:
    pass


@command("city", listing=True)
def run(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="A topic, or words to search for: only those facts.",
            metavar="[TOPIC|WORD...]",
            autocompletion=complete_topics,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Every fact with a city comparison (or those of a topic or search), largest share of the city first."""
    from ..answers import city

    index, opts = open_listing(ctx)
    answer = city(index, words or [])  # the facts that compare, largest share first; the title
    say_all(opts.out.env, answer.notes)
    shown = facts_listing(answer.facts, index.city_figures, opts.query, True)
    require_some(shown.facts, len(answer.facts) if opts.query.limit != 0 else 0)
    say_note(opts.out.env, shown.note)
    say_span_note(opts, shown.whole, shown.columns)
    title = answer.title
    captioned = caption(index, len(shown.facts), shown.facts)  # the table says whose growth each column is
    opts.out.listing(
        shown.rows,
        shown.columns,
        lambda: [
            displays.sourced(
                displays.city_display(shown.facts, shown.comparisons or [], title, captioned),
                source_lines(index, shown.facts),
            )
        ],
        picked=shown.picked,
        title=title,
        caption=captioned,
        whole=shown.whole,
    )

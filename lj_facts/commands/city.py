"""`lj-facts city [TOPIC|WORD...]`: Liangjiang's weight in the city."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from .. import displays
from ..completion import complete_topics
from ..environment import Environment
from ..errors import NotFoundError
from ..listing import facts_listing
from ..model import Fact
from . import command
from .common import caption, found_by, open_listing, require_some, say_note, say_span_note, source_lines

if TYPE_CHECKING:
    from ..index import Index


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
    from ..compare import city_view

    index, opts = open_listing(ctx)
    pairs = city_view(_candidates(index, words or [], opts.out.env), index.city_figures)
    if not pairs:
        asked = f" of {' '.join(words)!r}" if words else ""
        raise NotFoundError(f"no fact{asked} compares with the city")
    shown = facts_listing([f for f, _ in pairs], index.city_figures, opts.query, True)
    require_some(shown.facts, len(pairs) if opts.query.limit != 0 else 0)
    say_note(opts.out.env, shown.note)
    say_span_note(opts, shown.whole, shown.columns)
    meta = index.meta
    title = f"{meta.region} ({meta.region_zh}) in {meta.city} ({meta.city_zh})"
    if words:
        title += f": {' '.join(words)}"
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


def _candidates(index: Index, words: Sequence[str], env: Environment) -> list[Fact]:
    """The facts the city view weighs: all those with a city comparison, else a topic's or a search's."""
    if not words:
        return index.city_facts()
    topic = index.topic(" ".join(words), aliases=False)  # an alias searches, as `lj-facts WORD` does
    if topic is not None:
        return index.topic_facts(topic.slug)
    return found_by(index, words, env)

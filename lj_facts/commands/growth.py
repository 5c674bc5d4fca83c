"""`lj-facts growth [TOPIC|WORD...]`: growth rates as a bar chart."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import displays
from ..displays import Display
from ..errors import NotFoundError
from ..listing import growth_listing
from . import command
from .common import caption, matching, open_listing, say_note, say_span_note, source_lines


@command("growth", listing=True)
def run(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(help="A topic or words to search for; all facts when none.", metavar="[TOPIC|WORD...]"),
    ] = None,
) -> None:
    """Growth rates as a bar chart, fastest first, the city's growth beside each; other spans apart."""
    index, opts = open_listing(ctx)
    facts, _, title = matching(index, words, opts.out.env) if words else (index.all_facts(), [], "Every fact")
    yearly, spans = growth_listing(facts, index.city_figures, opts.query)
    if not yearly.facts and not spans.facts:
        raise NotFoundError(f"no growth rate among the facts of {title!r}")
    say_note(opts.out.env, yearly.note, spans.note)
    say_span_note(opts, [*yearly.whole, *spans.whole], yearly.columns, growth=True)

    def charts() -> list[Display]:
        shown = []
        if yearly.facts:
            captioned = caption(index, len(yearly.facts), yearly.facts, "year-on-year growth rate")
            chart = displays.growth_display(
                yearly.facts, yearly.comparisons or [], f"Growth year on year · {title}", captioned
            )
            shown.append(displays.sourced(chart, source_lines(index, yearly.facts)))
        if spans.facts:
            captioned = "growth over several years (growth_span_years): not comparable with year-on-year growth"
            chart = displays.growth_display(spans.facts, spans.comparisons or [], "Growth over other spans", captioned)
            shown.append(displays.sourced(chart, source_lines(index, spans.facts)))
        return shown

    opts.out.listing(
        yearly.rows + spans.rows,
        yearly.columns,
        charts,
        picked=yearly.picked,
        title=f"Growth · {title}",
        caption=caption(index, len(yearly.facts) + len(spans.facts)),
        whole=[*yearly.whole, *spans.whole],
    )

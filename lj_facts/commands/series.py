"""`lj-facts series [INDICATOR|WORD...]`: an indicator over time, or the indicators of the base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import fields
from .. import series as lining
from ..displays import Column, Display
from ..errors import NotFoundError, UsageError, count
from ..listing import arrange, rows_listing
from ..options import Options
from . import command
from .common import as_text, open_listing, require_some, say_all, source_lines

if TYPE_CHECKING:
    from ..index import Index


@command("series", listing=True)
def run(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="An indicator (slug, English or Chinese name), or words to search for; none lists the indicators.",
            metavar="[INDICATOR|WORD...]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """An indicator over time, one row a period, oldest first: the stated growth checked against the levels."""
    index, opts = open_listing(ctx, facts=False)
    if not words:
        _list_indicators(index, opts)
        return
    from ..answers import series

    indicator, points, notes = series(index, as_text(words))
    say_all(opts.out.env, notes)
    every = [lining.row(p, indicator) for p in points]
    rows, columns = rows_listing(every, fields.names(fields.SERIES), opts.query)
    require_some(rows, len(every) if opts.query.limit != 0 else 0)
    kept = [points[i] for i in arrange(every, opts.query)]  # the points of the rows, in their order
    for point in kept:
        if point.check == "differs":
            opts.out.env.say(f"warning: {lining.describe(point)}")
    title = f"{indicator.label} · {indicator.label_zh}"
    caption = (
        f"{_periods(kept)} · {indicator.kind} in {indicator.unit or 'its own units'} · "
        "bars compare a level with the same span of other years only (none where a span stands alone); "
        "Implied: the growth the level of the same span a year before implies; "
        "DIFFERS: outside what the rounding and qualifiers of both allow "
        "(statistics get revised)"
    )
    opts.out.listing(
        rows,
        columns,
        lambda: [lining.display(kept, indicator, title, caption, source_lines(index, [p.fact for p in kept]))],  # type: ignore[list-item]
        picked=bool(opts.query.fields),
        title=title,
        caption=caption,
    )


def _periods(points: Sequence[Any]) -> str:
    """`5 periods`, or `7 figures over 6 periods` where a period is given twice (in yuan and in dollars)."""
    spans = len({p.span for p in points})
    return (
        count(spans, "period")
        if spans == len(points)
        else f"{count(len(points), 'figure')} over {count(spans, 'period')}"
    )


def _list_indicators(index: Index, opts: Options) -> None:
    """`lj-facts series` alone: the indicators of the base, with how many facts and periods each has."""
    from ..answers import INDICATOR_COLUMNS, indicator_rows

    rows = indicator_rows(index)
    if opts.query.fields or opts.query.sort or opts.query.has or opts.query.where:
        raise UsageError("`lj-facts series` alone lists the indicators: name one to filter or sort its periods")
    if not rows:
        raise NotFoundError("this knowledge base declares no indicators ([indicators.<slug>])")

    def table() -> list[Display]:
        table_columns = (Column("Indicator"), Column("Label", wraps=True), Column("中文"), Column("Facts", figure=True))
        body = [[r["slug"], r["label"], r["label_zh"], str(r["facts"])] for r in rows]
        return [Display(table_columns, body, "Indicators (lj-facts series INDICATOR)")]

    opts.out.listing(rows, INDICATOR_COLUMNS, table, picked=False)

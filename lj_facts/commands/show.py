"""`lj-facts show ID...`: facts and published city figures, each a card."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import displays
from ..completion import complete_ids
from ..displays import Display
from ..environment import Environment
from ..errors import UsageError
from ..listing import arrange, facts_listing, resolve_ids, rows_listing, sort_note
from ..model import CityFigure, Fact
from ..options import Options
from ..rows import CITY_COLUMNS, FACT_COLUMNS
from . import command
from .common import as_text, open_listing, require_some, say_note, say_span_note

if TYPE_CHECKING:
    from ..index import Index


@command("show", listing=True)
def run(
    ctx: typer.Context,
    record_ids: Annotated[
        list[str],
        typer.Argument(
            help="Fact ids (or city figure ids); - reads ids from stdin, one a line.",
            metavar="ID...",
            autocompletion=complete_ids,
        ),
    ],
) -> None:
    """Everything about one fact or several (value in base units, growth, city comparison, topics, the quote,
    its source), or a published city figure (its page, publisher and the facts linked to it)."""
    if "-" in record_ids:  # the ids and the knowledge file cannot both come from stdin
        from ..base import base_files
        from ..load import stdin_once
        from ..options import listing_options

        file = listing_options(ctx).file
        stdin_once({"ID -": [Path("-")], "--file" if file else "LJ_FACTS_FILE": base_files(file)})
    index, opts = open_listing(ctx)
    ids = as_text(read_ids(record_ids, opts.out.env))
    if not ids:
        raise UsageError("no ids given: stdin held none")
    records = resolve_ids(index, ids)
    facts = [r for r in records if isinstance(r, Fact)]
    if len(facts) < len(records):  # city figures among them: each record as it is, in the order given
        _show_records(index, records, opts)
        return
    shown = facts_listing(facts, index.city_figures, opts.query, True)
    require_some(shown.facts, len(facts))
    say_note(opts.out.env, shown.note)
    say_span_note(opts, shown.whole, shown.columns)

    def cards() -> list[Display]:
        named = index.topics_named(t for f in shown.facts for t in f.topics)
        return [
            displays.card_display(f, c, named, index.meta, index.sources.get(f.source or ""))
            for f, c in zip(shown.facts, shown.comparisons or [], strict=True)
        ]

    opts.out.listing(shown.rows, shown.columns, cards, picked=shown.picked, whole=shown.whole)


def read_ids(asked: Sequence[str], env: Environment) -> list[str]:
    """The ids asked for, `-` replaced by the ids on stdin, one a line (blank lines skipped)."""
    ids: list[str] = []
    for a in asked:
        if a != "-":
            ids.append(a)
            continue
        if env.stdin is None:  # started with standard input closed (`<&-`)
            raise UsageError("show -: there is no standard input to read ids from")
        if env.stdin_isatty:  # as `cat` would wait, but a user may not know it does
            env.say("reading ids from the terminal, one a line; end with Ctrl-D")
        ids += [i for line in _read_bounded(env) if (i := line.strip().lstrip("\ufeff").strip())]
    return ids


def _read_bounded(env: Environment) -> list[str]:
    """The lines of stdin, read to its end but no further than LJ_FACTS_MAX_BYTES (`show - </dev/zero`
    would otherwise read until memory runs out)."""
    from ..load import max_bytes, size_text

    limit = max_bytes()
    assert env.stdin is not None
    text = env.stdin.read(limit + 1)
    if len(text) > limit:
        most = size_text(limit)
        raise UsageError(f"show -: stdin holds more than {most}, the most lj-facts reads (LJ_FACTS_MAX_BYTES)")
    return text.splitlines()


def _show_records(index: Index, records: Sequence[Fact | CityFigure], opts: Options) -> None:
    """Facts and city figures together, each a card (rows of the fact columns in the machine formats)."""
    from ..answers import record_rows
    from ..compare import compare

    links = index.city_links()
    named = index.topics_named(t for r in records if isinstance(r, Fact) for t in r.topics)
    columns = opts.query.fields or FACT_COLUMNS + CITY_COLUMNS
    rows = record_rows(index, records)  # the rows the Python API's show() answers
    figures = index.city_figures
    cards = [
        displays.city_figure_card(r, *links[r.id])
        if isinstance(r, CityFigure)
        else displays.card_display(r, compare(r, figures), named, index.meta, index.sources.get(r.source or ""))
        for r in records
    ]
    picked = rows_listing(rows, FACT_COLUMNS + CITY_COLUMNS, opts.query)[0]
    order = arrange(rows, opts.query)  # the order of `picked`: the cards follow the filters and the sort too
    require_some(picked, len(rows))
    whole = [rows[i] for i in order]  # every field
    say_note(opts.out.env, sort_note(rows, opts.query, columns))
    say_span_note(opts, whole, columns)
    shown = [cards[i] for i in order]
    opts.out.listing(picked, columns, lambda: shown, picked=bool(opts.query.fields), whole=whole)

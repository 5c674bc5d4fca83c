"""`lj-facts TOPIC` and `lj-facts WORD...`: the hidden command the group runs for a first word that is no command."""

from __future__ import annotations

from typing import Annotated

import typer

from ..completion import complete_topics
from . import LOOKUP, command
from .common import as_text, early_limit, looked_up, open_listing, refuse_command_words, without_gc, write_facts


@command(LOOKUP, listing=True, hidden=True)
def run(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            help="A topic, or words to search for.", metavar="TOPIC|WORD...", autocompletion=complete_topics
        ),
    ],
) -> None:
    """The facts of a topic (`lj-facts industry`, `lj-facts 工业`), or a search when WORDS name no topic."""
    words = as_text(words)
    refuse_command_words(words)
    index, opts = open_listing(ctx)
    with without_gc():
        facts, figures, title = looked_up(index, words, opts.out.env, early_limit(opts.query))
        write_facts(index, facts, opts, title, figures)

"""`lj-facts search WORD...`"""

from __future__ import annotations

from typing import Annotated

import typer

from . import command
from .common import as_text, early_limit, open_listing, searched, without_gc, write_facts


@command("search", listing=True)
def run(
    ctx: typer.Context,
    terms: Annotated[
        list[str], typer.Argument(help="Words that must all match: Chinese or English.", metavar="WORD...")
    ],
) -> None:
    """Facts matching every term, by meaning, in Chinese (either script) or English; the best first."""
    index, opts = open_listing(ctx)
    with without_gc():
        facts, figures, title = searched(index, as_text(terms), opts.out.env, early_limit(opts.query))
        write_facts(index, facts, opts, title, figures)

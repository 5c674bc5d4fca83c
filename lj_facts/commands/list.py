"""`lj-facts list`"""

from __future__ import annotations

import typer

from . import command
from .common import open_listing, write_facts


@command("list", listing=True)
def run(ctx: typer.Context) -> None:
    """Every fact of the knowledge base, in its files' order (or as --sort asks)."""
    index, opts = open_listing(ctx)
    write_facts(index, index.all_facts(), opts, f"{index.meta.region} ({index.meta.region_zh}): every fact")

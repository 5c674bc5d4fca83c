"""`lj-facts schema [KIND]`: the JSON Schema of a kind of row of the machine formats (docs/schema.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..environment import environment
from ..errors import UsageError
from . import command


@command("schema")
def run(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            help="fact, city-figure, topic, series, indicator or source; none: every kind, under $defs.",
            metavar="[KIND]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a kind of row of the machine formats (docs/schema.md)."""
    from .. import schema
    from ..writers import is_utf

    env = environment(ctx)
    name = kind.strip().lower().replace("_", "-") if kind is not None else None
    if name is not None and name not in schema.KINDS:
        raise UsageError(f"schema: no row kind {kind!r}; kinds: {', '.join(schema.KINDS)}")
    out = env.stdout
    typer.echo(schema.text(name, ascii_only=out is not None and not is_utf(out)), nl=False, file=out)

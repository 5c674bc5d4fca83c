"""`lj-facts export FILE.db`: the knowledge base as SQLite tables, with Datasette's metadata (docs/export.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..environment import environment
from ..options import FileOption, path_given
from . import command


@command("export")
def run(
    ctx: typer.Context,
    database: Annotated[
        Path,
        typer.Argument(parser=path_given, help="The SQLite database to write.", metavar="FILE.db", show_default=False),
    ],
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            parser=path_given,
            help="Write Datasette's metadata here (default: metadata.json beside FILE.db).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite FILE.db and the metadata file if they exist.")
    ] = False,
    file: FileOption = None,
) -> None:
    """Write the knowledge base as SQLite tables (facts, sources, topics, city figures, their links; full-text
    search, Chinese included) with a metadata.json for Datasette: `datasette FILE.db -m metadata.json`."""
    from ..api import Base
    from ..base import base_files, open_base
    from ..export import export, summary
    from ..load import knowledge_files

    env = environment(ctx)
    files = base_files(file)
    done = export(Base(open_base(file, env), knowledge_files(files)), database, metadata, replace)
    env.say(summary(done))

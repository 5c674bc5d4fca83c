"""`lj-facts draft REPORT`: a knowledge-file draft of a report."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Annotated

import typer

from ..environment import environment
from ..errors import ReportError, count, one_line
from ..options import path_given
from . import command
from .common import without_gc


@command("draft")
def run(
    ctx: typer.Context,
    report: Annotated[
        Path,
        typer.Argument(parser=path_given, help="The report, plain UTF-8 text.", metavar="REPORT", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            parser=path_given,
            help="Write the draft here (default, and -: stdout).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")] = False,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="The year of the report's periods (default: the one it writes most).",
            min=1900,
            max=9999,
            metavar="YEAR",
        ),
    ] = None,
    compare_with: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            parser=path_given,
            help="Instead of the draft, print how it agrees with this hand-made knowledge file.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the report can be read.", show_default=False)] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="The report's title (default: its first heading line).", show_default=False),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Who published the report.", show_default=False)
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The release date, YYYY-MM-DD (default: a dateline the text prints); its year is 今年, this year.",
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="The report's period (2021-H1, 2021-01/2021-09): [meta]'s default, and figures before one is named.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a knowledge-file draft of a report: one fact per figure, label and topics left to do."""
    from .. import draft as drafting
    from ..load import stdin_once

    env = environment(ctx)
    stdin_once({"REPORT": [report], "--compare": [compare_with] if compare_with else []})
    metadata = drafting.Metadata(url, title, publisher, published, period)
    if wrong := metadata.problems():
        raise typer.BadParameter("; ".join(wrong))
    text = drafting.read_report(report)
    with without_gc():  # its statements hold no cycles: the collector took a third of a 10 MB draft
        made = drafting.draft(text, str(report), year, metadata)
    toml = drafting.to_toml(made)
    if compare_with is not None:
        from ..agreement import agree
        from ..agreement import report as agreement_report
        from ..load import load, parse, parse_toml

        result = agree(load(compare_with), parse(parse_toml(toml.encode(), "draft"), "draft"), text)
        typer.echo(agreement_report(result), file=env.stdout)
        return
    if output is None or str(output) == "-":  # `-o -` is stdout, as everywhere: not a file named -
        typer.echo(toml, nl=False, file=env.stdout)
        return
    if os.path.lexists(output) and not force:  # a dangling symlink too: writing would follow it
        raise ReportError(str(output), "exists; --force overwrites it")
    if _same_file(output, report):  # --force or not: the draft would destroy what it was drafted from
        raise ReportError(str(output), "is the report being drafted: write the draft to another file")
    try:
        output.write_text(toml, encoding="utf-8")
    except OSError as e:
        raise ReportError(str(output), f"cannot write: {e.strerror or e}") from None
    check = f"lj-facts validate {shlex.quote(str(output))} --source {shlex.quote(str(report))}"  # to copy and run
    facts = count(len(made.statements), "fact")
    env.say(f"{one_line(str(output))}: draft of {facts}; `{one_line(check)}` lists what is still to do")


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):  # one of them does not exist (yet), or is stdin
        return False

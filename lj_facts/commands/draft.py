"""`lj-facts draft REPORT`: a knowledge-file draft of a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..environment import environment
from ..errors import ReportError, count
from ..options import path_given
from . import command


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
            metavar="FILE",
            help="Write the draft here (default: stdout).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")] = False,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="The year of the report's periods (default: the one it writes most).", min=1900, max=9999
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

    env = environment(ctx)
    metadata = drafting.Metadata(url, title, publisher, published, period)
    if wrong := metadata.problems():
        raise typer.BadParameter("; ".join(wrong))
    text = drafting.read_report(report)
    made = drafting.draft(text, str(report), year, metadata)
    toml = drafting.to_toml(made)
    if compare_with is not None:
        from ..agreement import agree
        from ..agreement import report as agreement_report
        from ..load import load, parse, parse_toml

        result = agree(load(compare_with), parse(parse_toml(toml.encode(), "draft"), "draft"), text)
        typer.echo(agreement_report(result), file=env.stdout)
        return
    if output is None:
        typer.echo(toml, nl=False, file=env.stdout)
        return
    if output.exists() and not force:
        raise ReportError(str(output), "exists; --force overwrites it")
    try:
        output.write_text(toml, encoding="utf-8")
    except OSError as e:
        raise ReportError(str(output), f"cannot write: {e.strerror or e}") from None
    env.say(
        f"{output}: draft of {count(len(made.statements), 'fact')}; "
        f"`lj-facts validate {output} --source {report}` lists what is still to do"
    )

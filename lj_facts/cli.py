"""The `lj-facts` command: parse arguments, make one call into the core, one into a renderer.

Errors of the `LjFactsError` family become a message on stderr and their exit code here, in
`LjFactsGroup.invoke`, and nowhere else.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import load as loader
from . import render
from .errors import KnowledgeFileError, LjFactsError, NotFoundError
from .model import Fact
from .render import Format

LOOKUP = "lookup"
"""The hidden command that `lj-facts WORD...` runs when WORD is no command."""


class LjFactsGroup(TyperGroup):
    """Runs `lookup` for a first word that is no command, and turns errors into exit codes."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [LOOKUP, *args]
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LjFactsError as e:
            typer.echo(f"lj-facts: {e}", err=True)
            raise typer.Exit(e.exit_code) from None


app = typer.Typer(
    cls=LjFactsGroup,
    name="lj-facts",
    help="Facts and figures of Liangjiang New Area (两江新区), Chongqing, 2021-H1, each with the report's words.",
    epilog="Run `lj-facts TOPIC` for a topic's facts: lj-facts industry, lj-facts 汽车.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)

FileOption = Annotated[
    Optional[Path],
    typer.Option(
        "--file",
        envvar="LJ_FACTS_FILE",
        help="Knowledge file to read instead of the shipped one.",
        show_default=False,
        dir_okay=True,
    ),
]
FormatOption = Annotated[
    Optional[Format],
    typer.Option(
        "--format", "-f", help="Output format. Default: table on a terminal, tsv otherwise.", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
NoHeaderOption = Annotated[bool, typer.Option("--no-header", help="Leave out the header row of tsv, csv and markdown.")]
ColorOption = Annotated[
    str,
    typer.Option(
        "--color", help="Colour the table: auto, always or never (NO_COLOR is honoured).", metavar="auto|always|never"
    ),
]


def _color(choice: str) -> bool | None:
    choices = {"auto": None, "always": True, "never": False}
    if choice not in choices:
        raise typer.BadParameter(f"{choice!r} is not one of auto, always, never", param_hint="--color")
    return choices[choice]


def _output(
    facts: list[Fact], fmt: Format | None, as_json: bool, header: bool, color: str, title: str, caption: str
) -> None:
    """Write `facts` to stdout in the chosen format: the one branch on the format."""
    if as_json:
        fmt = Format.JSON
    if fmt is None:
        fmt = Format.TABLE if sys.stdout.isatty() else Format.TSV
    out = sys.stdout
    if fmt is Format.TABLE:
        from .table import print_table

        print_table(facts, out, _color(color), title, caption)
    elif fmt is Format.MARKDOWN:
        render.write_markdown(facts, out, header)
    else:
        rows = [render.row(f) for f in facts]
        if fmt is Format.JSON:
            render.write_json(rows, out)
        elif fmt is Format.JSONL:
            render.write_jsonl(rows, out)
        elif fmt is Format.CSV:
            render.write_csv(rows, out, header)
        else:
            render.write_tsv(rows, out, header)


@app.command(LOOKUP, hidden=True)
def lookup(
    words: Annotated[list[str], typer.Argument(help="A topic (slug, English name or alias).")],
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
) -> None:
    """The facts of a topic: `lj-facts industry`, `lj-facts 工业`."""
    kb = loader.load(file)
    name = " ".join(words)
    topic = kb.topic(name)
    if topic is None:
        raise NotFoundError(f"no topic {name!r}; see the topics with `lj-facts topics`")
    facts = list(kb.by_topic[topic.slug])
    title = f"{topic.name} · {topic.name_zh} — {kb.meta.region} ({kb.meta.region_zh})"
    caption = f"{len(facts)} facts · source: {kb.meta.title}"
    _output(facts, fmt, as_json, not no_header, color, title, caption)


@app.command()
def validate(
    path: Annotated[
        Optional[Path],
        typer.Argument(
            help="Knowledge file to check (default: --file, LJ_FACTS_FILE or the shipped one).", show_default=False
        ),
    ] = None,
    source: Annotated[
        Optional[Path],
        typer.Option(
            "--source",
            help="The report (plain text) the file quotes: check quotes, figures and coverage.",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
) -> None:
    """Check a knowledge file against the schema and, with --source, against its report."""
    from . import validate as checks

    target = path or file or loader.shipped_path()
    kb = loader.load(target)
    numbers = sum(f.kind.value == "number" for f in kb.facts)
    claims = len(kb.facts) - numbers
    lines = [
        f"{target}: schema ok: {len(kb.facts)} facts ({numbers} numbers, {claims} claims), {len(kb.topics)} topics"
    ]
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise KnowledgeFileError(str(source), f"cannot read the source: {e}") from None
        problems = checks.check_quotes(kb.facts, text)
        missing, checked, aside = checks.uncaptured(kb, text)
        problems += missing
        if problems:
            raise KnowledgeFileError(
                str(target), f"does not hold against {source} ({len(problems)} problems):", tuple(problems)
            )
        figures = sum(len(f.figures) for f in kb.facts)
        lines.append(f"{source}: all {len(kb.facts)} quotes verbatim, all {figures} figures written in their quotes")
        lines.append(f"{source}: all {checked} figures of the source captured ({aside} dates and names set aside)")
    typer.echo("\n".join(lines))

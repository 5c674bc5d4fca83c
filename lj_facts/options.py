"""The options every listing shares, declared once and added to each listing command when it is built.

Typer builds a command's options from its function's signature; repeating eighteen options on
nine commands would bury what each command does. A listing command reads them, parsed, as
`Options` with `listing_options(ctx)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from .completion import complete_fields, complete_topics
from .environment import environment
from .listing import Query, normal_period
from .output import Output
from .rows import Format
from .where import parse_all as parse_where


def path_given(value: str | Path) -> Path:
    """A path given on the command line: an empty one is a usage error naming its option, never "." or the
    default (pathlib reads "" as the working folder). The parser of every path option and argument."""
    if isinstance(value, Path):
        return value
    if not value:
        raise typer.BadParameter("an empty path names no file")
    if "\0" in value:  # no system call takes it: a usage error, whichever option (only a program can pass one)
        raise typer.BadParameter("a path cannot hold a NUL byte")
    return Path(value)


FileOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--file",
        parser=path_given,
        metavar="PATH",
        help="A knowledge file, or a folder of them (*.toml), to read instead of the shipped base; repeat it for "
        "several. Default: LJ_FACTS_FILE (paths separated by ':'), else the shipped reports.",
        show_default=False,
    ),
]


def _declared(
    file: FileOption = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read the knowledge file itself, not its cached index.")
    ] = False,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Output format. Default: table on a terminal, tsv otherwise.", show_default=False
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Short for --format json.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Short for --format csv.")] = False,
    as_tsv: Annotated[bool, typer.Option("--tsv", help="Short for --format tsv.")] = False,
    as_nl: Annotated[bool, typer.Option("--nl", help="Short for --format jsonl (newline-delimited JSON).")] = False,
    no_header: Annotated[
        bool, typer.Option("--no-header", "--no-headers", help="Leave out the header row of tsv, csv and markdown.")
    ] = False,
    color: Annotated[
        str,
        typer.Option(
            "--color", help="Colour: auto, always or never (NO_COLOR is honoured).", metavar="auto|always|never"
        ),
    ] = "auto",
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page a long table.")] = False,
    city: Annotated[bool, typer.Option("--city", help="Add the comparison with the city (重庆市) totals.")] = False,
    fields_: Annotated[
        list[str] | None,
        typer.Option(
            "--fields",
            help="The columns, in order: --fields id,value,growth_pct (repeatable: --fields id --fields value).",
            show_default=False,
            autocompletion=complete_fields,
        ),
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="Sort by a field (numbers as numbers, missing values last).",
            show_default=False,
            autocompletion=complete_fields,
        ),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order: largest first.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="At most N rows.", metavar="N", min=1, show_default=False)
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            help="Only facts under this topic: slug, name or alias (repeatable).",
            metavar="TOPIC",
            autocompletion=complete_topics,
        ),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Only facts of this period (2021-H1, …).", show_default=False)
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only facts of this kind.", metavar="number|claim", show_default=False)
    ] = None,
    has: Annotated[
        list[str] | None,
        typer.Option(
            "--has",
            help="Only rows where this field has a value (repeatable).",
            metavar="FIELD",
            autocompletion=complete_fields,
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="Only rows where FIELD OP VALUE holds: 'growth_pct>30', unit=亿元, 'label~port'. OP: = != < <= > >= "
            "~ (contains) !~; numbers as numbers, text in any case or width; repeatable, all must hold "
            "(docs/filters.md).",
            metavar="FIELD<OP>VALUE",
            autocompletion=complete_fields,
        ),
    ] = None,
) -> None:
    """The options every listing shares (the signature only: Typer makes them into parameters)."""


_PARAMS: list[Any] = []


def listing_params() -> list[Any]:
    """The Click parameters of the listing options, made by Typer once."""
    if not _PARAMS:
        proto = typer.Typer(add_completion=False)
        proto.command()(_declared)
        _PARAMS.extend(typer.main.get_command(proto).params)
    return _PARAMS


class Options(NamedTuple):
    """What the listing options asked for."""

    file: list[Path] | None
    """`--file`, as given (None: LJ_FACTS_FILE or the shipped base)."""
    no_cache: bool
    """`--no-cache`."""
    out: Output
    """Where and how the listing is written."""
    query: Query
    """The filters, the sort, the limit and the fields."""
    city: bool
    """`--city`."""


_KEY = "lj-facts listing options"


def add_listing_options(built: Any) -> None:
    """Give a built command the listing options, and hand them to it parsed (`listing_options`)."""
    built.params = [*built.params, *listing_params()]
    inner = built.invoke

    def invoke(ctx: Any) -> Any:
        ctx.meta[_KEY] = _parsed(ctx.params, ctx)
        return inner(ctx)

    built.invoke = invoke


def listing_options(ctx: typer.Context) -> Options:
    """The listing options of the command running in `ctx`."""
    return ctx.meta[_KEY]  # type: ignore[no-any-return]


def _split(values: Sequence[str] | None, option: str) -> tuple[str, ...]:
    """`--has a,b --has c` is (a, b, c); a value that names nothing (`--has ''`, `--fields ,`) is a usage error."""
    out: list[str] = []
    for value in values or ():
        names = [part.strip() for part in value.split(",") if part.strip()]
        if not names:
            what = "topic" if option == "--topic" else "field"
            raise typer.BadParameter(f"{value!r} names no {what}", param_hint=option)
        out += names
    return tuple(out)


def _one(value: str | None, option: str) -> str | None:
    """An option that names one thing (a field, a kind): blank is a usage error, not the option left out."""
    if value is not None and not value.strip():
        raise typer.BadParameter(f"{value!r} names no {'kind' if option == '--kind' else 'field'}", param_hint=option)
    return value.strip() if value is not None else None


_SHORT_FORMATS = (("as_json", Format.JSON), ("as_csv", Format.CSV), ("as_tsv", Format.TSV), ("as_nl", Format.JSONL))


def _parsed(kwargs: dict[str, Any], ctx: Any) -> Options:
    """The listing options out of a command's parsed parameters (removed from them)."""
    k = {p.name: kwargs.pop(p.name) for p in listing_params()}
    chosen = {Format(k["fmt"])} if k["fmt"] else set()
    chosen |= {f for flag, f in _SHORT_FORMATS if k[flag]}
    if len(chosen) > 1:
        names = ", ".join(sorted(f.value for f in chosen))
        raise typer.BadParameter(f"options ask for different formats ({names}): choose one", param_hint="--format")
    query = Query(
        topics=_split(k["topic"], "--topic"),
        period=normal_period(k["period"]) if k["period"] is not None else None,
        kind=(_one(k["kind"], "--kind") or "").lower() or None,
        has=_split(k["has"], "--has"),
        sort=_one(k["sort"], "--sort"),
        reverse=k["reverse"],
        limit=k["limit"],
        fields=_split(k["fields_"], "--fields"),
        where=parse_where(k["where"]),
    )
    out = Output(environment(ctx), next(iter(chosen), None), k["no_header"], k["color"], k["no_pager"])
    return Options(k["file"], k["no_cache"], out, query, k["city"])

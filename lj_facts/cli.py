"""The `lj-facts` command: parse arguments, make one call into the core, one into a renderer.

Errors of the `LjFactsError` family become a message on stderr and their exit code here, in
`LjFactsGroup.invoke`, and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup
from typer.models import Context as TyperContext

from . import __version__, render
from .errors import EnvironmentFailure, ExitCode, LjFactsError, NotFoundError, Stopped, UsageError, count
from .listing import (
    Query,
    arrange,
    facts_and_figures,
    facts_listing,
    growth_listing,
    normal_period,
    resolve_ids,
    resolve_topics,
    rows_listing,
    sort_note,
    span_note,
)
from .model import CityFigure, Fact
from .render import CITY_FIGURE_COLUMNS, TOPIC_COLUMNS, Display, Format, Row

if TYPE_CHECKING:
    from .index import Index

LOOKUP = "lookup"
"""The hidden command that `lj-facts WORD...` runs when WORD is no command."""


class _Commands(MutableMapping[str, Any]):
    """The group's commands, each built by Typer only when it is asked for.

    Typer would otherwise inspect every command's parameters on every run: start-up time that a
    look-up, which runs one command, does not need.
    """

    def __init__(self) -> None:
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            built = typer.main.get_command(COMMANDS[name])
            if name in LISTINGS:
                _add_listing_options(built)
            if name == LOOKUP:
                built.context_class = _LookupContext
            self.built[name] = built
        return self.built[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]


LISTINGS = ("lookup", "search", "list", "show", "topics", "city", "city-figures", "growth", "series")
"""The commands that take the listing options (`_listing_options`)."""


def _add_listing_options(built: Any) -> None:
    """Give a built command the listing options, once for all, and hand them to it parsed, as `Options`.

    Typer builds a command's options from its function's signature; repeating eighteen options on
    seven commands would bury what each command does. The command reads them with `_current(ctx)`.
    """
    built.params = [*built.params, *_listing_params()]
    inner = built.invoke

    def invoke(ctx: Any) -> Any:
        ctx.meta[_OPTIONS] = _parsed_options(ctx.params)
        return inner(ctx)

    built.invoke = invoke


class _LookupContext(TyperContext):
    """`lj-facts WORD...` runs the hidden `lookup`: its usage and help say `lj-facts`, never `lookup`."""

    @property
    def command_path(self) -> str:
        return self.parent.command_path if self.parent else "lj-facts"


def _leading_options(args: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split `args` into the group's own leading options, the listing options written before the
    command (`lj-facts --json industry`), and the rest (the command and what follows it)."""
    own: list[str] = []
    moved: list[str] = []
    if not args or not args[0].startswith("-") or args[0] == "--":
        return own, moved, args  # the usual case, decided without building the listing options
    takes_value = {name: not p.is_flag for p in _listing_params() for name in (*p.opts, *p.secondary_opts)}
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        name = args[i].split("=", 1)[0]
        if name in takes_value:
            with_value = takes_value[name] and "=" not in args[i] and i + 1 < len(args)
            moved += args[i : i + 2] if with_value else [args[i]]
            i += 2 if with_value else 1
        else:
            own.append(args[i])
            i += 1
    return own, moved, args[i:]


class LjFactsGroup(TyperGroup):
    """Runs `lookup` for a first word that is no command, and turns errors into exit codes."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Options anywhere: listing options before the command go after it (`lj-facts --json industry`),
        `--debug` anywhere before `--` is the group's, and `lj-facts -- -0.7` searches for −0.7."""
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for i, a in enumerate(args) if i >= end or a != "--debug")]
        own, moved, rest = _leading_options(args)
        if rest[:1] == ["--"]:
            rest = [LOOKUP, "--", *rest[1:]] if rest[1:] else []
        elif rest and rest[0] not in self.commands:
            rest = [LOOKUP, *rest]
        if moved and rest:
            rest = [rest[0], *moved, *rest[1:]]
        elif moved:  # no command: help or completion (which read the --file), else a usage error
            ctx.meta[_LEADING] = moved
            if not own and not ctx.resilient_parsing:
                ctx.fail(f"{moved[0]} goes with a command or a topic, as in `lj-facts {' '.join(moved)} industry`")
        return super().parse_args(ctx, [*own, *rest])

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """Topics, examples and symbols after the commands: the help teaches the tool."""
        index = _completion_index(ctx)
        from .table import wrap  # by the cells a line takes: Click counts a Chinese character as one column

        if index is not None:
            with formatter.section("Topics (lj-facts TOPIC)"):
                from rich.cells import cell_len

                lines, room = [""], formatter.width - formatter.current_indent
                for t, _ in index.topics():  # as many a line as fit, a topic never split
                    name = f"{t.slug} {t.name_zh}"
                    if lines[-1] and cell_len(f"{lines[-1]}, {name},") > room:
                        lines[-1] += ","
                        lines.append("")
                    lines[-1] += f", {name}" if lines[-1] else name
                formatter.write("".join(" " * formatter.current_indent + line + "\n" for line in lines))
        with formatter.section("Examples"):
            indent = " " * formatter.current_indent
            for example, meaning in EXAMPLES:  # a line each: Click would misalign the Chinese ones in two columns
                formatter.write(f"{indent}{example}\n{indent}    {meaning}\n")
        with formatter.section("Symbols"):
            term = max(len(symbol) for symbol, _ in SYMBOLS) + 2
            room = max(formatter.width - formatter.current_indent - term, 30)
            for symbol, meaning in SYMBOLS:
                lines = wrap(meaning, room)
                formatter.write(" " * formatter.current_indent + symbol.ljust(term) + lines[0] + "\n")
                formatter.write("".join(" " * (formatter.current_indent + term) + line + "\n" for line in lines[1:]))
        formatter.write_paragraph()
        formatter.write_text(
            "Every listing (TOPIC, search, list, show, topics, city, city-figures, growth) takes "
            "--format/--json/--csv/--tsv/--nl, --fields, --sort, -r, -n and --has, before or after the command; "
            "the listings of facts also --topic, --period, --kind and --city. `lj-facts list -h` tells them all. "
            "`lj-facts WORD...` searches when WORD is no topic."
        )

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """The group's own usage errors (`lj-facts --bogus`) show what was typed escaped, as every message does."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except Exception as e:
            _visible_message(e)
            raise

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Commands, and topic slugs for `lj-facts TOPIC`."""
        from typer.core import CompletionItem  # type: ignore[attr-defined]

        topics = _complete_topics(ctx, incomplete)
        return [*super().shell_complete(ctx, incomplete), *(CompletionItem(t) for t in topics)]

    def invoke(self, ctx: Any) -> Any:
        """Run the command; every way it can fail ends here as one message and a documented exit code."""
        _tolerate_encoding()
        try:
            if sys.stdout is None:  # started with stdout closed (`>&-`)
                raise EnvironmentFailure("cannot write the output: stdout is closed")
            result = super().invoke(ctx)
            _flush()  # a reader that went away shows here, not at interpreter exit
            return result
        except LjFactsError as e:
            _say(str(e))
            raise typer.Exit(e.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(ExitCode.BROKEN_PIPE) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Stopped as e:
            raise typer.Exit(e.exit_code) from None
        except Exception as e:
            if isinstance(e, (typer.Exit, typer.Abort)) or hasattr(e, "show"):
                _visible_message(e)
                raise  # Click's own exits and usage errors (exit 2)
            failure = _environment_failure(e)
            if failure is not None:
                _silence_stdout()  # the output that failed cannot fail again at exit
                _say(failure)
                raise typer.Exit(ExitCode.ERROR) from None
            if ctx.params.get("debug") or _debugging():
                raise
            _say(
                f"internal error ({type(e).__name__}: {e}). This is a bug in lj-facts: please report it with "
                "the command you ran. Run again with --debug (or LJ_FACTS_DEBUG=1) for the traceback."
            )
            raise typer.Exit(ExitCode.BUG) from None


def _visible_message(e: BaseException) -> None:
    """A usage error quotes what was typed: control and bidirectional characters in it made visible."""
    message = getattr(e, "message", None)
    if isinstance(message, str):
        with contextlib.suppress(AttributeError):
            e.message = render.printable(message)  # type: ignore[attr-defined]


def _environment_failure(e: BaseException) -> str | None:
    """What went wrong, where the environment failed the command (output, memory), not lj-facts; else None."""
    if isinstance(e, MemoryError):
        return "out of memory"
    if isinstance(e, RuntimeError) and "can't start new thread" in str(e):
        return "out of memory: cannot start a thread"
    if isinstance(e, SystemError):  # the interpreter itself failed: under lj-facts' pure Python, memory running out
        return f"the Python interpreter failed ({e}); memory may have run out"
    if isinstance(e, OSError):
        if not e.filename:  # a write to stdout (a file operation names its file)
            return f"cannot write the output: {e.strerror or type(e).__name__}"
        return f"the system refused: {e.strerror or type(e).__name__} ({e.filename})"
    if isinstance(e, ValueError) and "closed file" in str(e):
        return "cannot write the output: stdout is closed"
    return None


def _flush() -> None:
    """Flush stdout; output that cannot be written (a full disk, a read-only descriptor) is an EnvironmentFailure."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:
        raise EnvironmentFailure(f"cannot write the output: {getattr(e, 'strerror', None) or e}") from None


def _debugging() -> bool:
    """Whether --debug or LJ_FACTS_DEBUG asks for tracebacks and for why the cache was not used."""
    return _DEBUG[0] or os.environ.get("LJ_FACTS_DEBUG", "") not in ("", "0")


_DEBUG = [False]
"""Whether this run was given --debug (set by the group's callback, before any command runs)."""


def _say(message: str) -> None:
    """One message on stderr, with any control characters from the data made visible."""
    typer.echo(f"lj-facts: {render.printable(message)}", err=True)


def _tolerate_encoding() -> None:
    """On a stream that cannot encode Chinese (PYTHONIOENCODING=ascii), write escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        if not render.is_utf(stream) and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot be reconfigured stays as it is
                stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stdout without a file descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 120}
"""Help as wide as the terminal, up to 120 columns."""

EXAMPLES = (
    ("lj-facts industry", "the facts of a topic (slug or name: 工业, Industry)"),
    ("lj-facts search 新能源汽车 --city", "a search, with the comparison with the city"),
    ("lj-facts list --has growth_pct --sort growth_pct -r -n 10", "which grew fastest"),
    ("lj-facts growth auto", "growth rates as a bar chart, the city's beside them"),
    ("lj-facts city", "Liangjiang's weight in Chongqing, topic by topic"),
    ("lj-facts show industry.gross-output trade.foreign-trade", "everything about some facts"),
    ("lj-facts --csv --fields id,value,growth_pct industry", "just these columns, for a spreadsheet"),
)
"""The examples of `lj-facts --help`: real commands, tested."""

SYMBOLS = (
    ("> ≥ ≈ ≲", "over (余, 超), at least (以上), about (约), nearly (近): as the report qualifies a figure"),
    (
        "≈215 >780",
        "a city total implied: value ÷ share, about (≈), or a bound where the value or share is qualified: "
        "over (>), at least (≥), under (<), at most (≤)",
    ),
    ("3766*", "published by the city (重庆市), not the report; a city growth without *: the report's growth − its gap"),
    ("12,283–12,359", "Bounds: the implied city total the rounding of the printed value and share allows"),
    ("(36.0%)", "a share of the city computed: value ÷ the published city total"),
    ("†", "the city figure covers another period than the fact (a note under the table says which)"),
    ("‡", "city figures shown as context only, not compared (notes under the table)"),
    ("+100%/5y", "growth over 5 years, not year on year: listed and sorted apart"),
    ("Δ+2.5 pp", "the change of a rate, not a growth"),
    ("pp", "percentage points"),
    ("#7 of 127", "a rank: 7th of 127"),
    ("among 19", "a standing among 19, no place given"),
    ("█▌ ░", "bars: the share of the city (10 cells = 100%), or growth (the longest the fastest; ░ a fall)"),
    ("not given", "a period the report does not give"),
)
"""The symbols of the table, explained in `lj-facts --help` (and in each table's caption)."""


app = typer.Typer(
    cls=LjFactsGroup,
    name="lj-facts",
    help="Facts and figures of Liangjiang New Area (两江新区), Chongqing, 2021-H1, each with the report's words.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings=CONTEXT,
    rich_markup_mode=None,
)


COMMANDS: dict[str, typer.Typer] = {}
"""Each command on a Typer of its own, so that only the one that runs is built."""


def command(name: str, hidden: bool = False) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command of `lj-facts`."""
    sub = typer.Typer(
        add_completion=False,  # completion is the group's: `lj-facts --install-completion`
        pretty_exceptions_show_locals=False,
        context_settings=CONTEXT,
        rich_markup_mode=None,
    )
    COMMANDS[name] = sub

    def register(function: Callable[..., None]) -> Callable[..., None]:
        # The whole first sentence in the group's list of commands: Click would cut it at about 45 characters.
        short = (function.__doc__ or "").strip().split("\n\n")[0]
        return sub.command(name, hidden=hidden, short_help=" ".join(short.split()))(function)

    return register


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"lj-facts {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an internal error (also LJ_FACTS_DEBUG=1).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Facts and figures of Liangjiang New Area (两江新区), Chongqing, 2021-H1, each with the report's words."""
    _DEBUG[0] = debug


def _open(files: Sequence[Path] | None, no_cache: bool = False, quiet: bool = False) -> Index:
    """The index of the knowledge base asked for (`--file`, else LJ_FACTS_FILE, else the shipped base),
    cached unless told not to.

    Where no cache folder is usable, why is said once on stderr (unless `quiet`: completion, help);
    with --debug (or LJ_FACTS_DEBUG=1), every reason the cache was not used.
    """
    from .index import _quiet, cache_for, open_index, telling

    note = _note if _debugging() else _quiet
    base = _base_files(files)
    cache = None if no_cache else cache_for(base, note if quiet else telling(note, _say))
    return open_index(base, cache, note)


def _base_files(files: Sequence[Path] | None) -> list[Path]:
    """The knowledge files (or folders) of the base: `--file` as given, else LJ_FACTS_FILE's paths
    (separated by os.pathsep), else the shipped base (`facts.toml` and `reports/*.toml`)."""
    from .index import shipped_base

    if files:
        return list(files)
    setting = os.environ.get("LJ_FACTS_FILE")
    if setting is None:
        return shipped_base()
    parts = setting.split(os.pathsep)
    if not all(parts):
        raise UsageError(
            f"LJ_FACTS_FILE={setting!r} names an empty path: give knowledge files or folders, "
            f"separated by {os.pathsep!r} (unset it for the shipped base)"
        )
    return [Path(part) for part in parts]


def _open_listing(ctx: typer.Context, facts: bool = True) -> tuple[Index, Options]:
    """The index, and the listing options with their `--topic` names resolved to slugs in it (where the
    listing is one of facts: elsewhere --topic is refused as not applying)."""
    opts = _current(ctx)
    if opts.city and not facts:  # refused, not ignored, as --topic is: a listing of no facts compares none
        raise UsageError("--city does not apply to this listing: it holds no facts to compare with the city")
    index = _open(opts.file, opts.no_cache)
    if opts.query.topics and facts:
        opts = opts._replace(query=opts.query._replace(topics=resolve_topics(index, opts.query.topics)))
    return index, opts


def _note(message: str) -> None:
    _say(f"debug: {message}")


_LEADING = "lj_facts.leading"
"""Where the group keeps the listing options written before any command (`lj-facts --file F <TAB>`)."""


def _file_named(ctx: Any) -> str | None:
    """The first knowledge file the words typed so far name with `--file`, before or after the command, if any."""
    context = ctx
    while context is not None:
        if context.params.get("file"):
            return str(context.params["file"][0])
        context = context.parent
    typed = ctx.meta.get(_LEADING, []) if ctx is not None else []
    for n, word in enumerate(typed):
        if word == "--file" and n + 1 < len(typed):
            return str(typed[n + 1])
        if word.startswith("--file="):
            return str(word.removeprefix("--file="))
    return None


def _completion_index(ctx: Any) -> Index | None:
    """The index completion offers from: the `--file` typed, else LJ_FACTS_FILE, else the shipped file;
    None whatever goes wrong (completion never prints an error)."""
    from .load import is_stream

    value = _file_named(ctx)
    try:
        files = [Path(value)] if value else _base_files(None)
        if any(str(f) == "-" or is_stream(f, os.stat(f)) for f in files):
            return None  # completion never reads a stream: it would take the input, or wait for it
        return _open(files, quiet=True)
    except Exception:
        return None


def _complete_topics(ctx: typer.Context | None, incomplete: str) -> list[str]:
    index = _completion_index(ctx)
    try:
        return [t.slug for t, _ in index.topics() if t.slug.startswith(incomplete)] if index else []
    except Exception:
        return []


def _complete_ids(ctx: typer.Context | None, incomplete: str) -> list[str]:
    """Fact ids, then city figure ids: `show` takes either."""
    index = _completion_index(ctx)
    if index is None:
        return []
    try:
        return [*index.ids(incomplete), *(k for k in index.city_figures if k.startswith(incomplete))]
    except Exception:  # completion never prints a traceback, whatever the cache or the environment
        return []


def _as_text(words: Sequence[str]) -> list[str]:
    """Arguments as text: bytes the locale could not decode (LC_ALL=C) read as UTF-8 where they are.

    An argument of bytes that are not UTF-8 keeps its lone surrogates: it matches nothing.
    """
    from .text import is_text

    out = []
    for word in words:
        if not is_text(word):
            with contextlib.suppress(UnicodeError):
                word = os.fsencode(word).decode("utf-8")
        out.append(word)
    return out


def _complete_fields(incomplete: str) -> list[str]:
    """Field names for --fields, --sort and --has; after a comma, the next field of a list."""
    from . import fields

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    return [prefix + name for name in fields.BY_NAME if name.startswith(last)]


def _path(value: str | Path) -> Path:
    """A path given on the command line: an empty one is a usage error naming its option, never "." or the
    default (pathlib reads "" as the working folder)."""
    if isinstance(value, Path):
        return value
    if not value:
        raise typer.BadParameter("an empty path names no file")
    return Path(value)


FileOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--file",
        parser=_path,
        help="A knowledge file, or a folder of them (*.toml), to read instead of the shipped base; repeat it for "
        "several. Default: LJ_FACTS_FILE (paths separated by ':'), else the shipped reports.",
        show_default=False,
    ),
]


def _listing_options(
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
            autocompletion=_complete_fields,
        ),
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="Sort by a field (numbers as numbers, missing values last).",
            show_default=False,
            autocompletion=_complete_fields,
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
            autocompletion=_complete_topics,
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
            autocompletion=_complete_fields,
        ),
    ] = None,
) -> None:
    """The options every listing shares: built into each listing command by `_Commands`."""


def _listing_params() -> list[Any]:
    """The Click parameters of `_listing_options`, made by Typer once."""
    if not _LISTING_PARAMS:
        proto = typer.Typer(add_completion=False)
        proto.command()(_listing_options)
        _LISTING_PARAMS.extend(typer.main.get_command(proto).params)
    return _LISTING_PARAMS


_LISTING_PARAMS: list[Any] = []


class Options(NamedTuple):
    """What the listing options asked for."""

    file: list[Path] | None
    no_cache: bool
    out: Output
    query: Query
    city: bool


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


def _parsed_options(kwargs: dict[str, Any]) -> Options:
    """The listing options out of a command's parsed parameters (removed from them)."""
    k = {p.name: kwargs.pop(p.name) for p in _listing_params()}
    chosen = {Format(k["fmt"]) if k["fmt"] else None}
    chosen |= {
        f
        for flag, f in (
            ("as_json", Format.JSON),
            ("as_csv", Format.CSV),
            ("as_tsv", Format.TSV),
            ("as_nl", Format.JSONL),
        )
        if k[flag]
    }
    chosen.discard(None)
    if len(chosen) > 1:
        names = ", ".join(sorted(f.value for f in chosen if f))
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
    )
    out = Output(next(iter(chosen), None), k["no_header"], k["color"], k["no_pager"])
    return Options(k["file"], k["no_cache"], out, query, k["city"])


_OPTIONS = "lj-facts listing options"


def _current(ctx: typer.Context) -> Options:
    """The listing options of the command running in `ctx`."""
    return ctx.meta[_OPTIONS]  # type: ignore[no-any-return]


class Output:
    """The output options every listing shares, and the one branch on the format."""

    def __init__(self, fmt: Format | None, no_header: bool, color: str, no_pager: bool = False) -> None:
        choices = {"auto": None, "always": True, "never": False}
        if color not in choices:
            raise typer.BadParameter(f"{color!r} is not one of auto, always, never", param_hint="--color")
        self.color = choices[color]
        self.format = fmt or (Format.TABLE if sys.stdout.isatty() else Format.TSV)
        self.header = not no_header
        self.pager = not no_pager

    def write(self, rows: Sequence[Row], columns: Sequence[str], display: Callable[[], Sequence[Display]]) -> None:
        """Write the rows, or the displays made of them for the table and markdown formats.

        On a terminal, output taller than the terminal goes through the pager (see `pager`).
        """
        from .pager import paged

        try:
            with paged(sys.stdout, self.pager, _say) as out:
                self._write(rows, columns, display, out)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:  # ValueError: stdout closed on the way
            if isinstance(e, ValueError) and "closed file" not in str(e):
                raise
            raise EnvironmentFailure(f"cannot write the output: {getattr(e, 'strerror', None) or e}") from None

    def _write(
        self, rows: Sequence[Row], columns: Sequence[str], display: Callable[[], Sequence[Display]], out: Any
    ) -> None:
        if self.format is Format.TABLE:
            from .table import print_display, use_color

            color = use_color(self.color, sys.stdout)  # the terminal's, not the pager's buffer
            for n, shown in enumerate(display()):
                if n:
                    out.write("\n")
                print_display(shown, out, color)
        elif self.format is Format.MARKDOWN:
            for n, shown in enumerate(display()):
                if n:
                    out.write("\n")
                render.write_markdown(shown, out, self.header)
        elif self.format is Format.JSON:
            render.write_json(rows, out, ascii_only=not render.is_utf(out))
        elif self.format is Format.JSONL:
            render.write_jsonl(rows, out, ascii_only=not render.is_utf(out))
        elif self.format is Format.CSV:
            render.write_csv(rows, columns, out, self.header)
        else:
            render.write_tsv(rows, columns, out, self.header)


def _caption(index: Index, facts: int) -> str:
    meta = index.meta
    return f"{count(facts, 'fact')} · {meta.region} ({meta.region_zh}) · {meta.title}"


def _say_note(*notes: str | None) -> None:
    """The first note on the order of a listing (a --sort across units), on stderr; stdout is untouched."""
    note = next((n for n in notes if n), None)
    if note:
        _say(note)


def _say_span_note(opts: Options, rows: Sequence[Row], columns: Sequence[str], growth: bool = False) -> None:
    """Growth over other spans than a year among the rows printed, where nothing printed says so
    (`span_note`): the table and markdown mark it in their growth_pct column, the machine formats cannot."""
    marked = opts.out.format in (Format.TABLE, Format.MARKDOWN)
    _say_note(span_note(rows, opts.query, columns, growth, marked))


def _found(shown: Sequence[Any], before: int) -> None:
    """Filters that leave nothing of a listing that had facts: nothing matched (exit 1), said on stderr."""
    if before and not shown:
        raise NotFoundError("no fact left after the filters (--topic, --period, --kind, --has)")


def _write_facts(
    index: Index, facts: Sequence[Fact], opts: Options, title: str, figures: Sequence[CityFigure] = ()
) -> None:
    """The facts (and any published city figures found with them, after the facts) in the output format."""
    # Whole rows (every fact and city field) for the filters and the sort, then the listing's columns:
    # a filter or --sort may name a field --fields leaves out. The figures come after the facts, and
    # -n counts both.
    listed = facts_and_figures(facts, figures, index.city_figures, opts.query, opts.city)
    shown, kept = listed.facts, listed.figures
    _found([*shown.facts, *kept], len(facts) + len(figures) if opts.query.limit != 0 else 0)
    _say_note(shown.note, sort_note(listed.figure_rows, listed.query, shown.columns))
    _say_span_note(opts, shown.whole, shown.columns)
    caption = _caption(index, len(shown.facts))

    def display() -> list[Display]:
        if shown.picked:
            whole = [*shown.whole, *[None] * len(kept)]  # a city figure's figures are exact, over one year
            return [render.picked_display(shown.rows + kept, shown.columns, title, caption, whole)]
        out = [render.facts_display(shown.facts, shown.comparisons, title, caption)] if shown.facts else []
        if kept:
            links = index.city_links()
            rows = [render.city_figure_row(p, *links[p.id]) for p in figures if p.id in {r["id"] for r in kept}]
            out.append(render.city_figures_display(rows, f"City figures: {title}", _FIGURES_CAPTION))
        return out

    opts.out.write(listed.rows, shown.columns, display)


_FIGURES_CAPTION = "Published by the city (重庆市), not from the report; `lj-facts show ID` tells everything of one"


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """No cyclic garbage collection while a listing is made: its facts and rows hold no cycles.

    A search that prints 89,000 facts allocates a few hundred thousand objects, and the collector,
    walking them again and again, took 14 % of its time (0.38 of 2.7 s).
    """
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _early_limit(query: Query) -> int | None:
    """The limit a search may stop at: `-n` where no sort or filter can reorder or drop what it finds."""
    if query.sort or query.reverse or query.topics or query.period or query.kind or query.has:
        return None
    return query.limit or None


def _require_text(words: Sequence[str]) -> None:
    from .answers import require_text

    require_text(words)


def _search(index: Index, words: Sequence[str], limit: int | None = None) -> tuple[list[Fact], list[CityFigure], str]:
    """`answers.search`: the facts the words find, the published city figures, and a title; what the search
    noticed (a term joined by the glossary, …) is said on stderr."""
    from .answers import search

    answer = search(index, words, limit)
    for note in answer.notes:
        _say(note)
    return answer.facts, answer.figures, answer.title


def _matching(index: Index, words: Sequence[str], limit: int | None = None) -> tuple[list[Fact], list[CityFigure], str]:
    """The facts of the topic the words name, else those (and the city figures) the words find; and a title.

    A topic's alias (外资, FDI of trade) searches, as `search` does: the facts that say it, not the topic.
    """
    from .answers import topic_answer

    answer = topic_answer(index, words)
    if answer is not None:
        return answer.facts, answer.figures, answer.title
    _hint_command(words)
    return _search(index, words, limit)


@command(LOOKUP, hidden=True)
def lookup(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            help="A topic, or words to search for.", metavar="TOPIC|WORD...", autocompletion=_complete_topics
        ),
    ],
) -> None:
    """The facts of a topic (`lj-facts industry`, `lj-facts 工业`), or a search when WORDS name no topic."""
    words = _as_text(words)
    index, opts = _open_listing(ctx)
    with _without_gc():
        facts, figures, title = _matching(index, words, _early_limit(opts.query))
        _write_facts(index, facts, opts, title, figures)


EVERY = frozenset({"all", "every", "everything", "全部", "所有", "全部事实"})
"""Words that ask for every fact: `lj-facts all` searches for "all", and says `lj-facts list` is the listing."""


def _hint_command(words: Sequence[str]) -> None:
    """Say on stderr which command a lone word probably meant: a command in capitals (`LIST`), or `all`."""
    if len(words) != 1:
        return
    word = words[0].strip().casefold()
    near = [c for c in COMMANDS if c != LOOKUP and c[:1] == word[:1] and abs(len(c) - len(word)) <= 2]
    close = []
    if near:  # difflib imported only for a word that could be a command mistyped: topic → topics
        import difflib

        close = difflib.get_close_matches(word, near, n=1, cutoff=0.8)
    if word in EVERY:
        _say(f"note: searching for {words[0]!r}; `lj-facts list` lists every fact")
    elif word == "help":
        _say(f"note: searching for {words[0]!r}; `lj-facts --help` tells the commands")
    elif close:
        _say(f"note: searching for {words[0]!r}; the command is `lj-facts {close[0]}`")


@command("search")
def search_command(
    ctx: typer.Context,
    terms: Annotated[
        list[str], typer.Argument(help="Words that must all match: Chinese or English.", metavar="WORD...")
    ],
) -> None:
    """Facts matching every term, by meaning (README, Search); the best first."""
    index, opts = _open_listing(ctx)
    with _without_gc():
        facts, figures, title = _search(index, _as_text(terms), _early_limit(opts.query))
        _write_facts(index, facts, opts, title, figures)


@command("list")
def list_command(ctx: typer.Context) -> None:
    """Every fact of the knowledge file, in the file's order (or as --sort asks)."""
    index, opts = _open_listing(ctx)
    _write_facts(index, index.all_facts(), opts, f"{index.meta.region} ({index.meta.region_zh}): every fact")


def _read_ids(asked: Sequence[str]) -> list[str]:
    """The ids asked for, `-` replaced by the ids on stdin, one a line (blank lines skipped)."""
    ids: list[str] = []
    for a in asked:
        if a == "-" and sys.stdin is None:  # started with standard input closed (`<&-`)
            raise UsageError("show -: there is no standard input to read ids from")
        if a == "-" and sys.stdin.isatty():  # as `cat` would wait, but a user may not know it does
            _say("reading ids from the terminal, one a line; end with Ctrl-D")
        ids += [i for line in sys.stdin if (i := line.strip().lstrip("\ufeff").strip())] if a == "-" else [a]
    return ids


@command("show")
def show(
    ctx: typer.Context,
    record_ids: Annotated[
        list[str],
        typer.Argument(
            help="Fact ids (or city figure ids); - reads ids from stdin, one a line.",
            metavar="ID...",
            autocompletion=_complete_ids,
        ),
    ],
) -> None:
    """Everything about one fact or several (value in base units, growth, city comparison, topics, the quote,
    its source), or a published city figure (its page, publisher and the facts linked to it)."""
    index, opts = _open_listing(ctx)
    ids = _as_text(_read_ids(record_ids))
    if not ids:
        raise UsageError("no ids given: stdin held none")
    records = resolve_ids(index, ids)
    facts = [r for r in records if isinstance(r, Fact)]
    if len(facts) < len(records):  # city figures among them: each record as it is, in the order given
        _show_records(index, records, opts)
        return
    shown = facts_listing(facts, index.city_figures, opts.query, True)
    _found(shown.facts, len(facts))
    _say_note(shown.note)
    _say_span_note(opts, shown.whole, shown.columns)

    def display() -> list[Display]:
        if shown.picked:
            return [render.picked_display(shown.rows, shown.columns, whole=shown.whole)]
        named = index.topics_named(t for f in shown.facts for t in f.topics)
        return [
            render.card_display(f, c, named, index.meta, index.sources.get(f.source or ""))
            for f, c in zip(shown.facts, shown.comparisons or [], strict=True)
        ]

    opts.out.write(shown.rows, shown.columns, display)


def _show_records(index: Index, records: Sequence[Fact | CityFigure], opts: Options) -> None:
    """Facts and city figures together, each a card (rows of the fact columns in the machine formats)."""
    from .answers import record_rows
    from .compare import compare

    links = index.city_links()
    named = index.topics_named(t for r in records if isinstance(r, Fact) for t in r.topics)
    columns = opts.query.fields or render.FACT_COLUMNS + render.CITY_COLUMNS
    rows = record_rows(index, records)
    figures = index.city_figures
    cards = [
        render.city_figure_card(r, *links[r.id])
        if isinstance(r, CityFigure)
        else render.card_display(r, compare(r, figures), named, index.meta, index.sources.get(r.source or ""))
        for r in records
    ]
    picked = rows_listing(rows, render.FACT_COLUMNS + render.CITY_COLUMNS, opts.query)[0]
    order = arrange(rows, opts.query)  # the order of `picked`: the cards follow the filters and the sort too
    _found(picked, len(rows))
    whole = [rows[i] for i in order]  # every field
    _say_note(sort_note(rows, opts.query, columns))
    _say_span_note(opts, whole, columns)
    shown = [cards[i] for i in order]
    opts.out.write(
        picked, columns, lambda: [render.picked_display(picked, columns, whole=whole)] if opts.query.fields else shown
    )


@command("topics")
def topics(ctx: typer.Context) -> None:
    """The topics, with Chinese names, aliases and how many facts each holds."""
    index, opts = _open_listing(ctx, facts=False)
    rows, columns = rows_listing([render.topic_row(t, count) for t, count in index.topics()], TOPIC_COLUMNS, opts.query)
    title = f"Topics of {index.meta.region}"

    def display() -> list[Display]:
        if opts.query.fields:
            return [render.picked_display(rows, columns, title)]
        return [render.topics_display(rows, title)]

    opts.out.write(rows, columns, display)


@command("city")
def city_command(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="A topic, or words to search for: only those facts.",
            metavar="[TOPIC|WORD...]",
            autocompletion=_complete_topics,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Every fact with a city comparison (or those of a topic or search), largest share of the city first."""
    from .answers import city

    index, opts = _open_listing(ctx)
    answer = city(index, words or [])
    for note in answer.notes:
        _say(note)
    shown = facts_listing(answer.facts, index.city_figures, opts.query, True)
    _found(shown.facts, len(answer.facts) if opts.query.limit != 0 else 0)
    _say_note(shown.note)
    _say_span_note(opts, shown.whole, shown.columns)
    title = answer.title
    caption = _caption(index, len(shown.facts))  # the table says whose growth each column is, where shown

    def display() -> list[Display]:
        if shown.picked:
            return [render.picked_display(shown.rows, shown.columns, title, caption, shown.whole)]
        return [render.city_display(shown.facts, shown.comparisons or [], title, caption)]

    opts.out.write(shown.rows, shown.columns, display)


@command("city-figures")
def city_figures_command(ctx: typer.Context) -> None:
    """The city's own published figures, each with its page and the facts linked to it."""
    index, opts = _open_listing(ctx, facts=False)
    links = index.city_links()
    every = [render.city_figure_row(p, *links[p.id]) for p in index.city_figures.values()]
    rows, columns = rows_listing(every, CITY_FIGURE_COLUMNS, opts.query)
    _say_note(sort_note(every, opts.query, columns))
    title = f"Published figures of {index.meta.city} ({index.meta.city_zh})"

    def display() -> list[Display]:
        if opts.query.fields:
            return [render.picked_display(rows, columns, title, _FIGURES_CAPTION)]
        return [render.city_figures_display(rows, title, _FIGURES_CAPTION)]

    opts.out.write(rows, columns, display)


@command("growth")
def growth(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(help="A topic or words to search for; all facts when none.", metavar="[TOPIC|WORD...]"),
    ] = None,
) -> None:
    """Growth rates as a bar chart, fastest first, the city's growth beside each; other spans apart."""
    index, opts = _open_listing(ctx)
    facts, _, title = _matching(index, words) if words else (index.all_facts(), [], "Every fact")
    yearly, spans = growth_listing(facts, index.city_figures, opts.query)
    if not yearly.facts and not spans.facts:
        raise NotFoundError(f"no growth rate among the facts of {title!r}")
    _say_note(yearly.note, spans.note)
    _say_span_note(opts, [*yearly.whole, *spans.whole], yearly.columns, growth=True)

    def display() -> list[Display]:
        if yearly.picked:
            caption = _caption(index, len(yearly.facts) + len(spans.facts))
            rows, whole = yearly.rows + spans.rows, [*yearly.whole, *spans.whole]
            return [render.picked_display(rows, yearly.columns, f"Growth · {title}", caption, whole)]
        shown = []
        if yearly.facts:
            meta = index.meta
            rates = count(len(yearly.facts), "year-on-year growth rate")
            caption = f"{rates} · {meta.region} ({meta.region_zh}) · {meta.title}"
            shown.append(
                render.growth_display(yearly.facts, yearly.comparisons or [], f"Growth year on year · {title}", caption)
            )
        if spans.facts:
            caption = "growth over several years (growth_span_years): not comparable with year-on-year growth"
            shown.append(
                render.growth_display(spans.facts, spans.comparisons or [], "Growth over other spans", caption)
            )
        return shown

    opts.out.write(yearly.rows + spans.rows, yearly.columns, display)


@command("series")
def series_command(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="An indicator (slug, English or Chinese name), or words to search for; none lists the indicators.",
            metavar="[INDICATOR|WORD...]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """An indicator over time, one row a period, oldest first: the stated growth checked against the levels."""
    from . import fields
    from . import series as lining

    index, opts = _open_listing(ctx, facts=False)
    if not words:
        _list_indicators(index, opts)
        return
    from .answers import series

    words = _as_text(words)
    indicator, points, notes = series(index, words)
    for note in notes:
        _say(note)
    every = [lining.row(p, indicator) for p in points]
    rows, columns = rows_listing(every, fields.names(fields.SERIES), opts.query)
    _found(rows, len(every) if opts.query.limit != 0 else 0)
    kept = [points[i] for i in arrange(every, opts.query)]  # the points of the rows, in their order
    for point in kept:
        if point.check == "differs":
            _say(f"warning: {lining.describe(point)}")
    title = f"{indicator.label} · {indicator.label_zh}"
    caption = (
        f"{count(len(kept), 'period')} · {indicator.kind} in {indicator.unit or 'its own units'} · "
        "bars compare a level only with the same span of other years; Implied: the growth the level of the "
        "same span a year before implies; DIFFERS: beyond the rounding of both (statistics get revised)"
    )

    def display() -> list[Display]:
        if opts.query.fields:
            return [render.picked_display(rows, columns, title, caption)]
        return [lining.display(kept, indicator, title, caption)]  # type: ignore[list-item]

    opts.out.write(rows, columns, display)


def _list_indicators(index: Index, opts: Options) -> None:
    """`lj-facts series` alone: the indicators of the base, with how many facts and periods each has."""
    from .answers import INDICATOR_COLUMNS, indicator_rows

    rows, columns = indicator_rows(index), INDICATOR_COLUMNS
    if opts.query.fields or opts.query.sort or opts.query.has:
        raise UsageError("`lj-facts series` alone lists the indicators: name one to filter or sort its periods")
    if not rows:
        raise NotFoundError("this knowledge base declares no indicators ([indicators.<slug>])")
    from .render import Column

    def display() -> list[Display]:
        table_columns = (Column("Indicator"), Column("Label", wraps=True), Column("中文"), Column("Facts", figure=True))
        body = [[r["slug"], r["label"], r["label_zh"], str(r["facts"])] for r in rows]
        return [Display(table_columns, body, "Indicators (lj-facts series INDICATOR)")]

    opts.out.write(rows, columns, display)


@command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            parser=_path,
            help="Knowledge files or folders to check (default: --file, LJ_FACTS_FILE or the shipped base).",
            metavar="[PATH...]",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            parser=_path,
            help="The report (plain text) a file quotes: check quotes, figures and coverage. With several files, "
            "the one whose quotes it holds is checked.",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
) -> None:
    """Check a knowledge base against the schema and its growth rates against its levels (warnings); with
    --source, a knowledge file against its report."""
    from .load import knowledge_files, load, load_base, read_source

    files = knowledge_files(_base_files(paths or file))
    if source is not None:
        text = read_source(source)
        target = files[0] if len(files) == 1 else _quoted_by(files, text)
        _validate_against(target, load(target), source, text)
        return
    kb = load_base(files)
    lines = [_schema_line(Path(name), part) for name, part in zip(files, _parts(files, kb), strict=True)]
    if len(files) > 1:
        lines.append(
            f"the base: {count(len(files), 'file')}, {count(len(kb.facts), 'fact')}, "
            f"{count(len(kb.sources), 'source')}, {count(len(kb.indicators), 'indicator')}: one id each"
        )
    from . import validate as checks
    from .errors import KnowledgeFileError
    from .series import describe, disagreements

    todo = checks.still_to_do(kb)
    if todo:
        raise KnowledgeFileError(str(files[-1]), f"is a draft: {checks.to_do_summary(todo)}:", tuple(todo))
    differ = disagreements(kb.facts, kb.indicators)
    if kb.indicators:
        lines.append(
            f"growth against levels: {count(len(differ), 'disagreement')} beyond rounding"
            + (" (a warning: statistics get revised, and a report's growth is on a comparable basis)" if differ else "")
        )
    typer.echo(render.printable("\n".join(lines)))  # a path may hold control characters
    for point in differ:
        _say(f"warning: {describe(point)}")


def _parts(files: Sequence[Path], kb: Any) -> list[Any]:
    """Each file's own base, for its line (the merged base's when there is one file)."""
    from .load import load

    return [kb] if len(files) == 1 else [load(f) for f in files]


def _schema_line(target: Path, kb: Any) -> str:
    numbers = sum(f.kind.value == "number" for f in kb.facts)
    claims = len(kb.facts) - numbers
    return (
        f"{target}: schema ok: {count(len(kb.facts), 'fact')} ({count(numbers, 'number')}, "
        f"{count(claims, 'claim')}), {count(len(kb.topics), 'topic')}"
    )


def _quoted_by(files: Sequence[Path], text: str) -> Path:
    """Of several knowledge files, the one most of whose quotes stand in the report `text`."""
    from .load import load
    from .text import without_spaces

    flat = without_spaces(text)
    held = [(sum(without_spaces(f.text) in flat for f in load(path).facts), -n, path) for n, path in enumerate(files)]
    best = max(held)
    if best[0] == 0:
        raise UsageError("--source: no knowledge file of the base quotes this report; name the file to check")
    return best[2]


def _validate_against(target: Path, kb: Any, source: Path, text: str) -> None:
    """`validate FILE --source REPORT`: quotes, figures and sentence coverage of one file against its report."""
    from . import validate as checks
    from .errors import KnowledgeFileError

    lines = [_schema_line(target, kb)]
    todo = checks.still_to_do(kb)
    problems = checks.check_quotes(kb.facts, text)
    covered = checks.coverage(kb, text)
    coverage = checks.sentence_coverage(kb, text)
    problems += covered.problems
    if todo:
        raise KnowledgeFileError(
            str(target),
            f"is a draft: {checks.to_do_summary(todo)}; {count(len(problems), 'problem')} against {source}:",
            tuple(problems + todo),
        )
    if not problems:
        figures = sum(len(f.figures) for f in kb.facts)
        lines.append(
            f"{source}: all {count(len(kb.facts), 'quote')} verbatim, "
            f"all {count(figures, 'figure')} written in their quotes"
        )
        lines.append(
            f"{source}: all {covered.checked} figures of the source captured ({covered.chinese} of them written"
            f" in Chinese numerals; {covered.aside} dates and names set aside)"
        )
    lines.append(f"{source}: {checks.coverage_line(coverage)}")
    problems += coverage.problems
    typer.echo(render.printable("\n".join(lines)))
    if problems:
        raise KnowledgeFileError(
            str(target), f"does not hold against {source} ({count(len(problems), 'problem')}):", tuple(problems)
        )


@command("draft")
def draft_command(
    report: Annotated[
        Path,
        typer.Argument(parser=_path, help="The report, plain UTF-8 text.", metavar="REPORT", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", parser=_path, help="Write the draft here (default: stdout).", show_default=False
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
            parser=_path,
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
    from . import draft as drafting
    from .errors import ReportError

    metadata = drafting.Metadata(url, title, publisher, published, period)
    if wrong := metadata.problems():
        raise typer.BadParameter("; ".join(wrong))
    text = drafting.read_report(report)
    made = drafting.draft(text, str(report), year, metadata)
    toml = drafting.to_toml(made)
    if compare_with is not None:
        from .agreement import agree
        from .agreement import report as agreement_report
        from .load import load, parse, parse_toml

        result = agree(load(compare_with), parse(parse_toml(toml.encode(), "draft"), "draft"), text)
        typer.echo(agreement_report(result))
        return
    if output is None:
        typer.echo(toml, nl=False)
        return
    if output.exists() and not force:
        raise ReportError(str(output), "exists; --force overwrites it")
    try:
        output.write_text(toml, encoding="utf-8")
    except OSError as e:
        raise ReportError(str(output), f"cannot write: {e.strerror or e}") from None
    _say(
        f"{output}: draft of {count(len(made.statements), 'fact')}; "
        f"`lj-facts validate {output} --source {report}` lists what is still to do"
    )


@command("export")
def export_command(
    database: Annotated[
        Path, typer.Argument(parser=_path, help="The SQLite database to write.", metavar="FILE.db", show_default=False)
    ],
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            parser=_path,
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
    search) with a metadata.json for Datasette: `datasette FILE.db -m metadata.json`."""
    from .api import Base
    from .export import export, summary
    from .load import knowledge_files

    base = _base_files(file)
    _say(summary(export(Base(_open(base), knowledge_files(base)), database, metadata, replace)))


@command("schema")
def schema_command(
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
    from . import schema

    name = kind.strip().lower().replace("_", "-") if kind is not None else None
    if name is not None and name not in schema.KINDS:
        raise UsageError(f"schema: no row kind {kind!r}; kinds: {', '.join(schema.KINDS)}")
    typer.echo(schema.text(name, ascii_only=not render.is_utf(sys.stdout)), nl=False)


def main() -> None:
    """The `lj-facts` console script: run the app, then leave without tearing the interpreter down.

    A look-up's output is written and flushed, and its cache committed, when the app returns;
    finalizing every imported module then costs more than the whole look-up (about 25 ms here),
    so the process ends at once with the app's exit status.
    """
    _catch_signals()
    try:
        app(prog_name="lj-facts")
        code: Any = 0
    except SystemExit as e:
        code = e.code
    except Stopped as e:  # a signal outside a command (while parsing arguments)
        code = e.exit_code
    except KeyboardInterrupt:
        code = ExitCode.INTERRUPTED
    except BaseException as e:  # outside any command: completion, argument parsing; never a traceback
        failure = _environment_failure(e)
        if any(k.endswith("_COMPLETE") for k in os.environ):
            code = 1  # a completion request that cannot be answered offers nothing
        elif failure is not None:
            with contextlib.suppress(Exception):
                _say(failure)
            code = ExitCode.ERROR
        else:
            with contextlib.suppress(Exception):
                if _debugging():  # --debug: the traceback, wherever the error came from (a command re-raises it here)
                    import traceback

                    traceback.print_exception(e)
                _say(f"internal error ({type(e).__name__}: {e}). This is a bug in lj-facts: please report it.")
            code = ExitCode.BUG
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)  # SystemExit("message"): say it, exit 1
        code = 1
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
        if sys.stderr is not None:
            sys.stderr.flush()
    except BrokenPipeError:
        code = ExitCode.BROKEN_PIPE
    except (OSError, ValueError):  # output that cannot be written: say so, unless already said
        if code == 0:
            with contextlib.suppress(Exception):
                _say("cannot write the output")
            code = ExitCode.ERROR
    os._exit(int(code))


def _catch_signals() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C (a build removes its files and ends its workers), then exit 143 / 129."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):
        with contextlib.suppress(AttributeError, ValueError, OSError):  # no such signal here, or not the main thread
            signal.signal(getattr(signal, name), stop)

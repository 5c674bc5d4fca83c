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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, render
from .errors import EnvironmentFailure, ExitCode, LjFactsError, NotFoundError, Stopped
from .model import CityFigure, Fact
from .render import (
    CITY_COLUMNS,
    CITY_FIGURE_COLUMNS,
    CITY_LEGEND,
    FACT_COLUMNS,
    TOPIC_COLUMNS,
    Display,
    Format,
    Row,
)

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
            self.built[name] = typer.main.get_command(COMMANDS[name])
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


class LjFactsGroup(TyperGroup):
    """Runs `lookup` for a first word that is no command, and turns errors into exit codes."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [LOOKUP, *args]
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """`--debug` anywhere before `--` (`lj-facts industry --debug`) is the group's, as if written first."""
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for i, a in enumerate(args) if i >= end or a != "--debug")]
        return super().parse_args(ctx, args)

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

        return [*super().shell_complete(ctx, incomplete), *(CompletionItem(t) for t in _complete_topics(incomplete))]

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


app = typer.Typer(
    cls=LjFactsGroup,
    name="lj-facts",
    help="Facts and figures of Liangjiang New Area (两江新区), Chongqing, 2021-H1, each with the report's words.",
    epilog="`lj-facts TOPIC` lists a topic's facts (lj-facts industry, lj-facts 汽车); "
    "`lj-facts WORD...` searches when WORD is no topic.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


COMMANDS: dict[str, typer.Typer] = {}
"""Each command on a Typer of its own, so that only the one that runs is built."""


def command(name: str, hidden: bool = False) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command of `lj-facts`."""
    sub = typer.Typer(
        add_completion=False,  # completion is the group's: `lj-facts --install-completion`
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        rich_markup_mode=None,
    )
    COMMANDS[name] = sub
    return sub.command(name, hidden=hidden)


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


def _open(file: Path | None, no_cache: bool = False) -> Index:
    """The index of the knowledge file asked for (the shipped one by default), cached unless told not to.

    With --debug (or LJ_FACTS_DEBUG=1), why the cache was not used is said on stderr.
    """
    from .index import _quiet, cache_dir, open_index, shipped_path

    note = _note if _debugging() else _quiet
    return open_index(file or shipped_path(), None if no_cache else cache_dir(note), note)


def _note(message: str) -> None:
    _say(f"debug: {message}")


def _completion_index() -> Index | None:
    """The index completion offers from; None whatever goes wrong (completion never prints an error)."""
    from .load import is_stream

    value = os.environ.get("LJ_FACTS_FILE")
    try:
        if value and (value == "-" or is_stream(Path(value), os.stat(value))):
            return None  # completion never reads a stream: it would take the input, or wait for it
        return _open(Path(value) if value else None)
    except Exception:
        return None


def _complete_topics(incomplete: str) -> list[str]:
    index = _completion_index()
    try:
        return [t.slug for t, _ in index.topics() if t.slug.startswith(incomplete)] if index else []
    except Exception:
        return []


def _complete_ids(incomplete: str) -> list[str]:
    """Fact ids, then city figure ids: `show` takes either."""
    index = _completion_index()
    if index is None:
        return []
    try:
        return [*index.ids(incomplete), *(k for k in index.city_figures if k.startswith(incomplete))]
    except Exception:  # completion never prints a traceback, whatever the cache or the environment
        return []


def _is_text(word: str) -> bool:
    """Whether an argument is text (bytes that are not UTF-8 arrive as lone surrogates)."""
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _as_text(words: Sequence[str]) -> list[str]:
    """Arguments as text: bytes the locale could not decode (LC_ALL=C) read as UTF-8 where they are.

    An argument of bytes that are not UTF-8 keeps its lone surrogates: it matches nothing.
    """
    out = []
    for word in words:
        if not _is_text(word):
            with contextlib.suppress(UnicodeError):
                word = os.fsencode(word).decode("utf-8")
        out.append(word)
    return out


FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file", envvar="LJ_FACTS_FILE", help="Knowledge file to read instead of the shipped one.", show_default=False
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help="Output format. Default: table on a terminal, tsv otherwise.", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
NoHeaderOption = Annotated[bool, typer.Option("--no-header", help="Leave out the header row of tsv, csv and markdown.")]
ColorOption = Annotated[
    str,
    typer.Option("--color", help="Colour: auto, always or never (NO_COLOR is honoured).", metavar="auto|always|never"),
]
CityOption = Annotated[bool, typer.Option("--city", help="Add the comparison with the city (重庆市) totals.")]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=1, help="At most this many facts, the best first.", show_default=False),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read the knowledge file itself, not its cached index.")
]


class Output:
    """The output options every listing shares, and the one branch on the format."""

    def __init__(self, fmt: Format | None, as_json: bool, no_header: bool, color: str) -> None:
        choices = {"auto": None, "always": True, "never": False}
        if color not in choices:
            raise typer.BadParameter(f"{color!r} is not one of auto, always, never", param_hint="--color")
        self.color = choices[color]
        self.format = Format.JSON if as_json else fmt or (Format.TABLE if sys.stdout.isatty() else Format.TSV)
        self.header = not no_header

    def write(
        self, rows: Sequence[Row], columns: Sequence[str], display: Callable[[], Display | Sequence[Display]]
    ) -> None:
        """Write the rows, or the `display` made of them (one table, or several one after the other)
        for the table and markdown formats."""
        try:
            self._write(rows, columns, display)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:  # ValueError: stdout closed on the way
            if isinstance(e, ValueError) and "closed file" not in str(e):
                raise
            raise EnvironmentFailure(f"cannot write the output: {getattr(e, 'strerror', None) or e}") from None

    def _write(
        self, rows: Sequence[Row], columns: Sequence[str], display: Callable[[], Display | Sequence[Display]]
    ) -> None:
        out = sys.stdout
        if self.format in (Format.TABLE, Format.MARKDOWN):
            shown = display()
            for n, one in enumerate([shown] if isinstance(shown, Display) else shown):
                if n:
                    out.write("\n")
                if self.format is Format.TABLE:
                    from .table import print_display

                    print_display(one, out, self.color)
                else:
                    render.write_markdown(one, out, self.header)
        elif self.format is Format.JSON:
            render.write_json(rows, out, ascii_only=not render.is_utf(out))
        elif self.format is Format.JSONL:
            render.write_jsonl(rows, out, ascii_only=not render.is_utf(out))
        elif self.format is Format.CSV:
            render.write_csv(rows, columns, out, self.header)
        else:
            render.write_tsv(rows, columns, out, self.header)


def _write_facts(
    index: Index, facts: Sequence[Fact], out: Output, city: bool, title: str, figures: Sequence[CityFigure] = ()
) -> None:
    """The facts (and any published city figures found with them, after the facts) in the output format."""
    comparisons = None
    if city:
        from .compare import compare

        comparisons = [compare(f, index.city_figures) for f in facts]
    rows = [render.fact_row(f, comparisons[i] if comparisons else None, city) for i, f in enumerate(facts)]
    rows += [render.city_figure_fact_row(p, city) for p in figures]
    meta = index.meta
    caption = f"{len(facts)} fact{'s' if len(facts) != 1 else ''} · {meta.region} ({meta.region_zh}) · {meta.title}"
    if city:
        caption += "\n" + CITY_LEGEND
    columns = FACT_COLUMNS + CITY_COLUMNS if city else FACT_COLUMNS

    def displays() -> list[Display]:
        shown = [render.facts_display(facts, comparisons, title, caption)] if facts else []
        if figures:
            links = index.city_links()
            figure_rows = [render.city_figure_row(p, *links[p.id]) for p in figures]
            shown.append(render.city_figures_display(figure_rows, f"City figures: {title}", _FIGURES_CAPTION))
        return shown

    out.write(rows, columns, displays)


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


def _search(index: Index, terms: Sequence[str], out: Output, city: bool, limit: int | None = None) -> None:
    with _without_gc():
        _search_and_write(index, terms, out, city, limit)


def _search_and_write(index: Index, terms: Sequence[str], out: Output, city: bool, limit: int | None) -> None:
    from .search import find, notes, nothing_found, search_city_figures

    if not all(map(_is_text, terms)):  # bytes that are not UTF-8 (lj-facts $'\xff'): no fact holds them
        raise NotFoundError(f"nothing matches '{render.printable(' '.join(terms))}' (not UTF-8 text)")
    found = find(index, terms, limit)
    figures = search_city_figures(index.city_figures.values(), terms)
    if limit is not None:
        figures = figures[: max(0, limit - len(found.facts))]
    if not found.facts and not figures:
        raise NotFoundError(nothing_found(index, terms))
    for note in notes(found):
        _say(note)
    title = f"Search: {' '.join(t.asked for t in found.terms) or ' '.join(terms)}"
    _write_facts(index, found.facts, out, city, title, figures)


@command(LOOKUP, hidden=True)
def lookup(
    words: Annotated[
        list[str],
        typer.Argument(
            help="A topic, or words to search for.", metavar="TOPIC|WORD...", autocompletion=_complete_topics
        ),
    ],
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
    city: CityOption = False,
    no_cache: NoCacheOption = False,
    limit: LimitOption = None,
) -> None:
    """The facts of a topic (`lj-facts industry`, `lj-facts 工业`), or a search when WORDS name no topic."""
    out = Output(fmt, as_json, no_header, color)
    words = _as_text(words)
    index = _open(file, no_cache)
    topic = index.topic(" ".join(words))
    if topic is None:
        _search(index, words, out, city, limit)
        return
    facts = index.topic_facts(topic.slug)
    _write_facts(index, facts[:limit] if limit else facts, out, city, f"{topic.name} · {topic.name_zh}")


@command("search")
def search_command(
    terms: Annotated[
        list[str], typer.Argument(help="Words that must all match: Chinese or English.", metavar="WORD...")
    ],
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
    city: CityOption = False,
    no_cache: NoCacheOption = False,
    limit: LimitOption = None,
) -> None:
    """Facts matching every term, by meaning (README, Search); the best first."""
    out = Output(fmt, as_json, no_header, color)
    _search(_open(file, no_cache), _as_text(terms), out, city, limit)


@command("show")
def show(
    record_id: Annotated[
        str, typer.Argument(help="A fact's id, or a city figure's.", metavar="ID", autocompletion=_complete_ids)
    ],
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
    no_cache: NoCacheOption = False,
) -> None:
    """Everything about one fact (value in base units, growth, city comparison, topics, the quote, its
    source), or one published city figure (its page, publisher and the facts linked to it)."""
    from .compare import compare

    out = Output(fmt, as_json, no_header, color)
    record_id = _as_text([record_id])[0]
    index = _open(file, no_cache)
    record = _record(index, record_id)
    if isinstance(record, CityFigure):
        linked, context = index.city_links()[record.id]
        out.write(
            [render.city_figure_fact_row(record, True)],
            FACT_COLUMNS + CITY_COLUMNS,
            lambda: render.city_figure_card(record, linked, context),
        )
        return
    fact = record
    comparison = compare(fact, index.city_figures)
    out.write(
        [render.fact_row(fact, comparison, True)],
        FACT_COLUMNS + CITY_COLUMNS,
        lambda: render.card_display(
            fact,
            comparison,
            index.topics_named(fact.topics),
            index.meta,
            index.sources.get(fact.source or ""),
        ),
    )


def _record(index: Index, record_id: str) -> Fact | CityFigure:
    """The fact or city figure an id names, or a NotFoundError with the closest ids."""
    from .search import closest_ids

    record = index.record(record_id.strip())
    if record is None:
        close = closest_ids([*index.ids(), *index.city_figures], record_id)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        shown = repr(record_id) if _is_text(record_id) else f"'{render.printable(record_id)}' (not UTF-8 text)"
        raise NotFoundError(f"no fact {shown}{hint}")
    return record


@command("topics")
def topics(
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
    no_cache: NoCacheOption = False,
) -> None:
    """The topics, with Chinese names, aliases and how many facts each holds."""
    out = Output(fmt, as_json, no_header, color)
    index = _open(file, no_cache)
    rows = [render.topic_row(t, count) for t, count in index.topics()]
    out.write(rows, TOPIC_COLUMNS, lambda: render.topics_display(rows, f"Topics of {index.meta.region}"))


@command("city")
def city_command(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="A topic, or words to search for: only those facts.",
            metavar="[TOPIC|WORD...]",
            autocompletion=_complete_topics,
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
    no_cache: NoCacheOption = False,
) -> None:
    """Every fact with a city comparison (or those of a topic or search), largest share of the city first."""
    from .compare import city_view

    out = Output(fmt, as_json, no_header, color)
    index = _open(file, no_cache)
    pairs = city_view(_city_candidates(index, words or []), index.city_figures)
    if not pairs:
        asked = f" of {' '.join(words)!r}" if words else ""
        raise NotFoundError(f"no fact{asked} compares with the city")
    facts, comparisons = [f for f, _ in pairs], [c for _, c in pairs]
    rows = [render.fact_row(f, c, True) for f, c in pairs]
    meta = index.meta
    title = f"{meta.region} ({meta.region_zh}) in {meta.city} ({meta.city_zh})"
    if words:
        title += f": {' '.join(words)}"
    caption = (
        "Shares as printed (> over, ≥ at least, ≈ about, ≲ nearly) or computed from published totals. "
        "Growth: Liangjiang's; City growth: the city's. " + CITY_LEGEND
    )
    out.write(rows, FACT_COLUMNS + CITY_COLUMNS, lambda: render.city_display(facts, comparisons, title, caption))


def _city_candidates(index: Index, words: Sequence[str]) -> list[Fact]:
    """The facts the city view weighs: all those with a city comparison, else a topic's or a search's."""
    if not words:
        return index.city_facts()
    topic = index.topic(" ".join(words))
    if topic is not None:
        return index.topic_facts(topic.slug)
    from .search import find, notes, nothing_found

    if not all(map(_is_text, words)):  # bytes that are not UTF-8: no fact holds them
        raise NotFoundError(f"nothing matches '{render.printable(' '.join(words))}' (not UTF-8 text)")
    found = find(index, words)
    if not found.facts:
        raise NotFoundError(nothing_found(index, words))
    for note in notes(found):
        _say(note)
    return found.facts


@command("city-figures")
def city_figures_command(
    file: FileOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_header: NoHeaderOption = False,
    color: ColorOption = "auto",
    no_cache: NoCacheOption = False,
) -> None:
    """The city's own published figures, each with its page and the facts linked to it."""
    out = Output(fmt, as_json, no_header, color)
    index = _open(file, no_cache)
    links = index.city_links()
    rows = [render.city_figure_row(p, *links[p.id]) for p in index.city_figures.values()]
    title = f"Published figures of {index.meta.city} ({index.meta.city_zh})"
    out.write(rows, CITY_FIGURE_COLUMNS, lambda: render.city_figures_display(rows, title, _FIGURES_CAPTION))


@command("validate")
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Knowledge file to check (default: --file, LJ_FACTS_FILE or the shipped one).",
            metavar="[PATH]",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        Path | None,
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
    from .errors import KnowledgeFileError
    from .index import shipped_path
    from .load import load, read_source

    target = path or file or shipped_path()
    kb = load(target)
    numbers = sum(f.kind.value == "number" for f in kb.facts)
    claims = len(kb.facts) - numbers
    lines = [
        f"{target}: schema ok: {len(kb.facts)} facts ({numbers} numbers, {claims} claims), {len(kb.topics)} topics"
    ]
    todo = checks.still_to_do(kb)
    if todo and source is None:
        raise KnowledgeFileError(str(target), f"is a draft: {checks.to_do_summary(todo)}:", tuple(todo))
    if source is not None:
        text = read_source(source)
        problems = checks.check_quotes(kb.facts, text)
        covered = checks.coverage(kb, text)
        coverage = checks.sentence_coverage(kb, text)
        problems += covered.problems
        if todo:
            raise KnowledgeFileError(
                str(target),
                f"is a draft: {checks.to_do_summary(todo)}; {len(problems)} problems against {source}:",
                tuple(problems + todo),
            )
        if not problems:
            figures = sum(len(f.figures) for f in kb.facts)
            lines.append(
                f"{source}: all {len(kb.facts)} quotes verbatim, all {figures} figures written in their quotes"
            )
            lines.append(
                f"{source}: all {covered.checked} figures of the source captured ({covered.chinese} of them written"
                f" in Chinese numerals; {covered.aside} dates and names set aside)"
            )
        lines.append(f"{source}: {checks.coverage_line(coverage)}")
        problems += coverage.problems
        if problems:
            typer.echo(render.printable("\n".join(lines)))
            raise KnowledgeFileError(
                str(target), f"does not hold against {source} ({len(problems)} problems):", tuple(problems)
            )
    typer.echo(render.printable("\n".join(lines)))  # a path may hold control characters


@command("draft")
def draft_command(
    report: Annotated[Path, typer.Argument(help="The report, plain UTF-8 text.", metavar="REPORT", show_default=False)],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the draft here (default: stdout).", show_default=False),
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
            help="Instead of the draft, print how it agrees with this hand-made knowledge file.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a knowledge-file draft of a report: one fact per figure, label and topics left to do."""
    from . import draft as drafting
    from .errors import ReportError

    text = drafting.read_report(report)
    made = drafting.draft(text, str(report), year)
    toml = drafting.to_toml(made)
    if compare_with is not None:
        from .agreement import compare
        from .agreement import report as agreement_report
        from .load import load, parse, parse_toml

        result = compare(load(compare_with), parse(parse_toml(toml.encode(), "draft"), "draft"), text)
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
        f"{output}: draft of {len(made.statements)} fact{'s' if len(made.statements) != 1 else ''}; "
        f"`lj-facts validate {output} --source {report}` lists what is still to do"
    )


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

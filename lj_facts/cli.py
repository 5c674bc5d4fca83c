"""The `lj-facts` app: the group that finds the command, and the one place errors become exit codes.

Each command lives in its own module under `commands/` (registered once, in `commands.NAMES`); the
listing options are declared once (`options`); a listing ends in `output.Output.listing`. Every
exception of a run, in a command, while parsing or while completing, ends in `exit_status`, once.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.models import Context as TyperContext

from . import __version__, stdin, writers
from .commands import CONTEXT, LOOKUP, NAMES, registered
from .environment import Environment, environment
from .errors import EnvironmentFailure, ExitCode, LjFactsError, Stopped


class _Commands(MutableMapping[str, Any]):
    """The group's commands, each imported and built by Typer only when it is asked for.

    Typer would otherwise inspect every command's parameters on every run: a look-up runs one
    command, and building all eleven cost 6 ms of its 78 (benchmarks/startup.py).
    """

    def __init__(self) -> None:
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            if name not in NAMES:
                raise KeyError(name)
            entry = registered(name)
            built = typer.main.get_command(entry.typer)
            if entry.listing:
                from .options import add_listing_options

                add_listing_options(built)
            if name == LOOKUP:
                built.context_class = _LookupContext
            self.built[name] = built
        return self.built[name]

    def __contains__(self, name: object) -> bool:
        return name in NAMES

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]


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
    from .options import listing_params

    takes_value = {name: not p.is_flag for p in listing_params() for name in (*p.opts, *p.secondary_opts)}
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
    """Runs `lookup` for a first word that is no command, and turns every error into an exit code."""

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
        elif rest and rest[0].casefold() in ("help", "version"):  # as git and pip: `lj-facts help search`
            helped = rest[1:2] if rest[1:2] and rest[1] in self.commands and rest[0].casefold() == "help" else []
            rest = [*helped, f"--{rest[0].casefold()}"]
        elif rest and rest[0] not in self.commands:
            rest = [LOOKUP, *rest]
        if moved and rest:
            rest = [rest[0], *moved, *rest[1:]]
        elif moved:  # no command: help or completion (which read the --file), else a usage error
            from .completion import LEADING

            ctx.meta[LEADING] = moved
            if not own and not ctx.resilient_parsing:
                ctx.fail(f"{moved[0]} goes with a command or a topic, as in `lj-facts {' '.join(moved)} industry`")
        return super().parse_args(ctx, [*own, *rest])

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """Topics, examples and symbols after the commands: the help teaches the tool."""
        from .completion import completion_index
        from .help import write_epilog

        write_epilog(formatter, completion_index(ctx))

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Commands, and topic slugs for `lj-facts TOPIC`."""
        from typer.core import CompletionItem  # type: ignore[attr-defined]

        from .completion import complete_topics

        topics = complete_topics(ctx, incomplete)
        return [*super().shell_complete(ctx, incomplete), *(CompletionItem(t) for t in topics)]

    def invoke(self, ctx: Any) -> Any:
        """Run the command; output that cannot be written shows here, not at interpreter exit."""
        env = environment(ctx)
        _tolerate_encoding(env)
        if env.stdout is None:  # started with stdout closed (`>&-`)
            raise EnvironmentFailure("cannot write the output: stdout is closed")
        result = super().invoke(ctx)
        _flush(env)  # a reader that went away shows here, not at interpreter exit
        return result

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Complete, or parse and run the command, in `extra["obj"]`'s environment (an `Environment`, or
        a dict of what differs from the process's); whatever happens ends in `exit_status`, which
        `standalone_mode` exits with."""
        env = extra.get("obj")
        if not isinstance(env, Environment):  # a dict: what differs from the process's streams (tests)
            env = extra["obj"] = Environment.of_process(**(env if isinstance(env, dict) else {}))
        ctx = None
        try:
            with stdin.given(env.stdin):  # what `--file -` (a source, a report) reads
                self._main_shell_completion(extra, prog_name or "lj-facts", complete_var)
                _tolerate_encoding(env)  # --help and --version are written while parsing, before `invoke`
                if env.stdout is None:  # started with stdout closed (`>&-`): not even the help can be written
                    raise EnvironmentFailure("cannot write the output: stdout is closed")
                with self.make_context(
                    prog_name or "lj-facts", list(sys.argv[1:] if args is None else args), **extra
                ) as ctx:
                    self.invoke(ctx)
            code = 0
        except BaseException as e:
            code = exit_status(e, env)
        if standalone_mode:
            sys.exit(code)
        return code


def exit_status(e: BaseException, env: Environment) -> int:
    """The one error ladder: what went wrong said on stderr (once), and the exit code it means."""
    if isinstance(e, SystemExit):  # sys.exit, Click's completion: its code as it is
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        print(e.code, file=env.stderr)  # SystemExit("message"): say it, exit 1
        return 1
    if isinstance(e, typer.Exit):  # --help, --version
        return e.exit_code
    if hasattr(e, "show") and hasattr(e, "exit_code"):  # Click's usage errors, exit 2
        _visible_message(e)
        e.show(file=env.stderr)
        return int(e.exit_code)
    if isinstance(e, (typer.Abort, EOFError)):
        typer.echo("Aborted!", file=env.stderr)
        return 1
    if isinstance(e, LjFactsError):
        env.say(str(e))
        return e.exit_code
    if isinstance(e, BrokenPipeError):
        _silence_stdout(env)
        return ExitCode.BROKEN_PIPE
    if isinstance(e, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(e, Stopped):  # SIGTERM, SIGHUP
        return e.exit_code
    if any(k.endswith("_COMPLETE") for k in os.environ):
        return 1  # a completion request that cannot be answered offers nothing
    failure = _environment_failure(e)
    if failure is not None:
        _silence_stdout(env)  # the output that failed cannot fail again at exit
        with contextlib.suppress(Exception):
            env.say(failure)
        return ExitCode.ERROR
    with contextlib.suppress(Exception):
        if env.debugging():
            import traceback

            traceback.print_exception(e, file=env.stderr)
        env.say(
            f"internal error ({type(e).__name__}: {e}). This is a bug in lj-facts: please report it with "
            "the command you ran. Run again with --debug (or LJ_FACTS_DEBUG=1) for the traceback."
        )
    return ExitCode.BUG


def _visible_message(e: BaseException) -> None:
    """A usage error quotes what was typed: control and bidirectional characters in it made visible."""
    from .errors import shortened

    message = getattr(e, "message", None)
    if isinstance(message, str):
        with contextlib.suppress(AttributeError):
            e.message = "\n".join(map(shortened, writers.printable(message).split("\n")))  # type: ignore[attr-defined]


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


def _flush(env: Environment) -> None:
    """Flush stdout; output that cannot be written (a full disk, a read-only descriptor) is an EnvironmentFailure."""
    try:
        if env.stdout is not None:
            env.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:
        raise EnvironmentFailure(f"cannot write the output: {getattr(e, 'strerror', None) or e}") from None


def _tolerate_encoding(env: Environment) -> None:
    """On a stream that cannot encode Chinese (PYTHONIOENCODING=ascii), write escapes instead of failing."""
    for stream in (env.stdout, env.stderr):
        if stream is not None and not writers.is_utf(stream) and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot be reconfigured stays as it is
                stream.reconfigure(errors="backslashreplace")


def _silence_stdout(env: Environment) -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stdout without a file descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), env.stdout.fileno())  # type: ignore[union-attr]


app = typer.Typer(
    cls=LjFactsGroup,
    name="lj-facts",
    help="Facts and figures of Liangjiang New Area (两江新区), Chongqing, 2021-H1, each with the report's words.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings=CONTEXT,
    rich_markup_mode=None,
)


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"lj-facts {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an internal error (also LJ_FACTS_DEBUG=1).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Facts and figures of Liangjiang New Area (两江新区), Chongqing, 2021-H1, each with the report's words."""
    environment(ctx).debug = debug


def main() -> None:
    """The `lj-facts` console script: run the app, then leave without tearing the interpreter down.

    A look-up's output is written and flushed, and its cache committed, when the app returns;
    finalizing every imported module then costs more than the look-up's own work (14 ms of 91,
    benchmarks/startup.py), so the process ends at once with the app's exit status.
    """
    _catch_signals()
    env = Environment.of_process()
    try:
        code = typer.main.get_command(app).main(prog_name="lj-facts", standalone_mode=False, obj=env)
    except BaseException as e:
        code = exit_status(e, env)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BrokenPipeError:
        code = ExitCode.BROKEN_PIPE
    except (OSError, ValueError):  # output that cannot be written: say so, unless already said
        if code == 0:
            with contextlib.suppress(Exception):
                env.say("cannot write the output")
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

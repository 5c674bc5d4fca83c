"""The streams of one run and what they are, passed to the commands instead of read from `sys`.

As httpie's `Environment`: the CLI makes one per run from the process (`Environment.of_process`);
a test passes what differs as the run's `obj`, `CliRunner().invoke(app, args, obj={"stdout_isatty": True})`
(the rest is the runner's streams), or a whole `Environment`, to run a terminal, a closed stdin or a
pipe in-process.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import IO, Any


@dataclass
class Environment:
    """What a run reads from and writes to, and whether each stream is a terminal."""

    stdin: IO[str] | None
    """Standard input (what `show -` and `--file -` read), None where the process was started with it closed (`<&-`)."""
    stdout: IO[str] | None
    """Standard output: the data. None where it was closed (`>&-`)."""
    stderr: IO[str] | None
    """Standard error: messages, notes and hints."""
    stdin_isatty: bool = False
    """Whether stdin is a terminal (`show -` then says it waits for ids)."""
    stdout_isatty: bool = False
    """Whether stdout is a terminal: the table and the pager where it is, TSV where it is not."""
    debug: bool = field(default=False)
    """Whether --debug was given (set by the group's callback, before any command runs)."""

    @classmethod
    def of_process(cls, **given: Any) -> Environment:
        """The process's own streams as they are now (a `CliRunner` has swapped them), each flag asked
        of its stream unless `given`."""
        found: dict[str, Any] = {"stdin": sys.stdin, "stdout": sys.stdout, "stderr": sys.stderr}
        found.update(given)
        found.setdefault("stdin_isatty", _isatty(found["stdin"]))
        found.setdefault("stdout_isatty", _isatty(found["stdout"]))
        return cls(**found)

    def debugging(self) -> bool:
        """Whether --debug or LJ_FACTS_DEBUG asks for tracebacks and for why the cache was not used."""
        return self.debug or os.environ.get("LJ_FACTS_DEBUG", "") not in ("", "0")

    def say(self, message: str) -> None:
        """One message on stderr, `lj-facts: …`, with any control characters from the data made visible."""

        import typer

        from .errors import shortened
        from .writers import printable

        lines = "\n".join(map(shortened, printable(message).split("\n")))  # no line of a megabyte quoted back
        typer.echo(f"lj-facts: {lines}", file=self.stderr, err=True)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def environment(ctx: Any) -> Environment:
    """The environment of the run `ctx` belongs to (made from the process where the run has none:
    a completion request, a context made by hand)."""
    root = ctx.find_root() if ctx is not None else None
    obj = getattr(root, "obj", None)
    if isinstance(obj, Environment):
        return obj
    return Environment.of_process()

"""Long output on a terminal goes through a pager, as git and gh do."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import IO

# io, shlex, shutil and subprocess are imported only on a terminal: a look-up through a pipe
# cannot spare the milliseconds they cost (subprocess alone about 3 ms here).


class UnusablePager(Exception):
    """The pager setting cannot be parsed or run; the output is then written without a pager."""


def pager_setting() -> tuple[str, str]:
    """The variable that chooses the pager and its value: `LJ_FACTS_PAGER`, then `PAGER`, else `less -FRX`."""
    for name in ("LJ_FACTS_PAGER", "PAGER"):
        if name in os.environ:
            value = os.environ[name].strip()
            if name == "LJ_FACTS_PAGER" or value:
                return name, value
    return "", "less -FRX"


def pager_command() -> list[str]:
    """The pager to run; an empty or `cat` pager means none. UnusablePager where the setting cannot be parsed."""
    import shlex

    name, value = pager_setting()
    if value in ("", "cat"):
        return []
    try:
        command = shlex.split(value)
    except ValueError as e:  # an unbalanced quote: a setting, not a bug of lj-facts
        raise UnusablePager(_unusable(name, value, str(e))) from None
    return command


def _unusable(name: str, value: str, why: str) -> str:
    setting = f"{name}={value!r}" if name else repr(value)
    return f"the pager setting {setting} is not usable ({why}); output written without a pager"


@contextlib.contextmanager
def paged(
    out: IO[str], enabled: bool = True, warn: Callable[[str], None] | None = None, terminal: bool | None = None
) -> Iterator[IO[str]]:
    """A stream to write to: `out` itself, or, on a terminal, a buffer that goes through the pager
    when it holds more lines than the terminal shows. A pager that cannot be parsed, started, or that
    fails at once leaves the output written as it is, and `warn` is told why (one line). `terminal`:
    whether `out` is one (None: ask it)."""
    if not enabled or not (out.isatty() if terminal is None else terminal):
        yield out
        return
    import io
    import shutil

    buffer = io.StringIO()
    yield buffer
    text = buffer.getvalue()
    height = shutil.get_terminal_size((80, 24)).lines
    try:
        if text.count("\n") >= height and _page(pager_command(), text):
            return
    except UnusablePager as e:
        if warn is not None:
            warn(str(e))
    out.write(text)


def _page(command: list[str], text: str) -> bool:
    """Run the pager on `text`; False where there is none. UnusablePager where it cannot start or fails
    (exits non-zero): the text is then written as it is. A pager quit early by its reader is no failure."""
    import subprocess

    if not command:
        return False
    name, value = pager_setting()
    env = {"LESS": "FRX", **os.environ}  # as git does: quit if one screen, colours, no screen clearing
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, encoding="utf-8", errors="backslashreplace")
    except OSError as e:
        raise UnusablePager(_unusable(name, value, e.strerror or type(e).__name__)) from None
    assert proc.stdin is not None
    try:
        with contextlib.suppress(BrokenPipeError):  # the reader quit the pager early: not an error
            proc.stdin.write(text)
            proc.stdin.close()
    finally:
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
                continue
    if proc.returncode > 0:  # a pager that fails (127: a shell's "command not found"); killed by a signal is no failure
        raise UnusablePager(_unusable(name, value, f"it exited with status {proc.returncode}"))
    return True

"""Long output on a terminal goes through a pager, as git and gh do."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import IO

# io, shlex, shutil and subprocess are imported only on a terminal: a look-up through a pipe
# cannot spare the milliseconds they cost (subprocess alone about 3 ms here).


def pager_command() -> list[str]:
    """`LJ_FACTS_PAGER`, then `PAGER`, else `less -FRX`; an empty or `cat` pager means none."""
    import shlex

    for name in ("LJ_FACTS_PAGER", "PAGER"):
        if name in os.environ:
            value = os.environ[name].strip()
            if name == "LJ_FACTS_PAGER" or value:
                return [] if value in ("", "cat") else shlex.split(value)
    return ["less", "-FRX"]


@contextlib.contextmanager
def paged(out: IO[str], enabled: bool = True) -> Iterator[IO[str]]:
    """A stream to write to: `out` itself, or, on a terminal, a buffer that goes through the pager
    when it holds more lines than the terminal shows."""
    if not enabled or not out.isatty():
        yield out
        return
    import io
    import shutil

    buffer = io.StringIO()
    yield buffer
    text = buffer.getvalue()
    height = shutil.get_terminal_size((80, 24)).lines
    command = pager_command() if text.count("\n") >= height else []
    if command and _page(command, text):
        return
    out.write(text)


def _page(command: list[str], text: str) -> bool:
    """Run the pager on `text`; False where it cannot start (then the text is written as it is)."""
    import subprocess

    env = {"LESS": "FRX", **os.environ}  # as git does: quit if one screen, colours, no screen clearing
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, encoding="utf-8", errors="backslashreplace")
    except OSError:
        return False
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
    return True

"""The standard input that a knowledge file, source or report named `-` is read from.

The CLI gives each run its own (`Environment.stdin`, which a test injects) with `given`; elsewhere
(the Python API) it is the process's `sys.stdin`. The loader asks `current()`, never `sys.stdin`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO, Any

_GIVEN: list[IO[Any] | None] = []
"""The stdins given, the innermost run's last; None for one that is closed (`<&-`). A run is one thread's
(a parallel build forks processes), so a list is enough and costs no import at start-up."""


def current() -> IO[Any] | None:
    """The stdin of this run: the one given, else `sys.stdin`; None where it is closed."""
    return _GIVEN[-1] if _GIVEN else sys.stdin


@contextmanager
def given(stream: IO[Any] | None) -> Iterator[None]:
    """Within the block, `-` reads `stream` (None: a closed stdin), not `sys.stdin`."""
    _GIVEN.append(stream)
    try:
        yield
    finally:
        _GIVEN.pop()

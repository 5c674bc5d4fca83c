"""The knowledge base a run reads: `--file`, else LJ_FACTS_FILE, else the shipped base, opened
through its cached index."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .environment import Environment
from .errors import UsageError

if TYPE_CHECKING:
    from .index import Index


def base_files(files: Sequence[Path] | None) -> list[Path]:
    """The knowledge files (or folders) of the base: `--file` as given, else LJ_FACTS_FILE's paths
    (separated by os.pathsep), else the shipped base (`facts.toml` and `reports/*.toml`)."""
    if files:
        return list(files)
    setting = os.environ.get("LJ_FACTS_FILE")
    if setting is None:
        from .index import shipped_base

        return shipped_base()
    parts = setting.split(os.pathsep)
    if not all(parts):
        raise UsageError(
            f"LJ_FACTS_FILE={setting!r} names an empty path: give knowledge files or folders, "
            f"separated by {os.pathsep!r} (unset it for the shipped base)"
        )
    return [Path(part) for part in parts]


def open_base(files: Sequence[Path] | None, env: Environment, no_cache: bool = False, quiet: bool = False) -> Index:
    """The index of the knowledge base asked for (`base_files`), cached unless told not to.

    Where no cache folder is usable, why is said once on stderr (unless `quiet`: completion, help);
    with --debug (or LJ_FACTS_DEBUG=1), every reason the cache was not used.
    """
    from .index import cache_for, open_index, telling
    from .index import quiet as say_nothing

    def debug_note(message: str) -> None:
        from .errors import one_line

        env.say(f"debug: {one_line(message)}")

    note = debug_note if env.debugging() else say_nothing
    base = base_files(files)
    cache = None if no_cache else cache_for(base, note if quiet else telling(note, env.say))
    return open_index(base, cache, note)

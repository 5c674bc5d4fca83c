"""Shell completion (Typer's): topic slugs, ids and field names, from the base the words typed name.

Completion never prints an error and never reads a stream: whatever goes wrong, it offers nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .environment import environment

if TYPE_CHECKING:
    from .index import Index

LEADING = "lj_facts.leading"
"""Where the group keeps the listing options written before any command (`lj-facts --file F <TAB>`)."""


def _file_named(ctx: Any) -> str | None:
    """The first knowledge file the words typed so far name with `--file`, before or after the command, if any."""
    context = ctx
    while context is not None:
        if context.params.get("file"):
            return str(context.params["file"][0])
        context = context.parent
    typed = ctx.meta.get(LEADING, []) if ctx is not None else []
    for n, word in enumerate(typed):
        if word == "--file" and n + 1 < len(typed):
            return str(typed[n + 1])
        if word.startswith("--file="):
            return str(word.removeprefix("--file="))
    return None


def completion_index(ctx: Any) -> Index | None:
    """The index completion (and the help's list of topics) offers from: the `--file` typed, else
    LJ_FACTS_FILE, else the shipped base; None whatever goes wrong."""
    from .base import base_files, open_base
    from .load import is_stream

    value = _file_named(ctx)
    try:
        files = [Path(value)] if value else base_files(None)
        if any(str(f) == "-" or (not os.path.isdir(f) and is_stream(f, os.stat(f))) for f in files):
            return None  # completion never reads a stream: it would take the input, or wait for it (a folder is read)
        return open_base(files, environment(ctx), quiet=True)
    except Exception:
        return None


def complete_topics(ctx: Any, incomplete: str) -> list[str]:
    """Topic slugs."""
    index = completion_index(ctx)
    try:
        return [t.slug for t, _ in index.topics() if t.slug.startswith(incomplete)] if index else []
    except Exception:
        return []


def complete_ids(ctx: Any, incomplete: str) -> list[str]:
    """Fact ids, then city figure ids: `show` takes either."""
    index = completion_index(ctx)
    if index is None:
        return []
    try:
        return [*index.ids(incomplete), *(k for k in index.city_figures if k.startswith(incomplete))]
    except Exception:  # completion never prints a traceback, whatever the cache or the environment
        return []


def complete_fields(incomplete: str) -> list[str]:
    """Field names for --fields, --sort and --has; after a comma, the next field of a list."""
    from . import fields

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    return [prefix + name for name in fields.BY_NAME if name.startswith(last)]

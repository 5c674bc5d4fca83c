"""The commands of `lj-facts`, a module each, registered once.

To add a command: write `commands/<name>.py` with one function decorated `@command("<name>")`
(`listing=True` gives it the listing options), add its name to `NAMES`, and run
`python docs/commands.py --update`. The group's list of commands, its help, the docs' command
reference and the README's table all come from here (docs/internals.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

import typer

NAMES = (
    "lookup",
    "search",
    "list",
    "show",
    "topics",
    "city",
    "city-figures",
    "growth",
    "series",
    "validate",
    "draft",
    "export",
    "schema",
)
"""Every command, in the order of `lj-facts --help`; `commands/<name>.py` (`-` as `_`) holds each."""

LOOKUP = "lookup"
"""The hidden command that `lj-facts WORD...` runs when WORD is no command."""

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 120}
"""Help as wide as the terminal, up to 120 columns."""


class Command(NamedTuple):
    """A command as its module registered it."""

    typer: typer.Typer
    """A Typer of its own, so that only the command that runs is built."""
    listing: bool
    """Whether it takes the listing options (`options`)."""
    hidden: bool
    """Whether `lj-facts --help` leaves it out (`lookup`)."""


_REGISTERED: dict[str, Command] = {}


def command(
    name: str, *, listing: bool = False, hidden: bool = False
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register the decorated function as the command `name` of `lj-facts`."""
    sub = typer.Typer(
        add_completion=False,  # completion is the group's: `lj-facts --install-completion`
        pretty_exceptions_show_locals=False,
        context_settings=CONTEXT,
        rich_markup_mode=None,
    )
    _REGISTERED[name] = Command(sub, listing, hidden)

    def register(function: Callable[..., None]) -> Callable[..., None]:
        # The whole first sentence in the group's list of commands: Click would cut it at about 45 characters.
        short = (function.__doc__ or "").strip().split("\n\n")[0]
        return sub.command(name, hidden=hidden, short_help=" ".join(short.split()))(function)

    return register


def registered(name: str) -> Command:
    """The command `name`, its module imported the first time it is asked for."""
    if name not in _REGISTERED:
        importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
    return _REGISTERED[name]


def listings() -> list[str]:
    """The commands that take the listing options, as the help names them (`TOPIC` for `lookup`)."""
    return ["TOPIC" if n == LOOKUP else n for n in NAMES if registered(n).listing]

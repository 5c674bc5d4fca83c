"""Did you mean: the one way lj-facts finds the name a user probably meant.

`closest` serves every name a user types: a field (`--fields`, `--has`, `--where`), a sort key
(`--sort growth` is `growth_pct`) and a command (`serach` is `search`). The rest of the module says
what to do with a first word that is no command: which command it may mean (`command_meant`), and
the words people type as commands that lj-facts may not have (`export`, `serve`), which are never
searched in silence (`not_a_command`).

Pure functions of strings: no Typer, no Rich, no knowledge file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

FIELD_CUTOFF = 0.6
"""How alike a field name must be to be suggested (difflib's ratio; its own default): `growth` is
0.75 of `growth_pct`, `valeu` 0.8 of `value`."""
COMMAND_CUTOFF = 0.82
"""How alike a first word must be to a command's name to be read as it: stricter than for fields,
since a first word that is no command is searched for. `serach` (0.83), `tpoics` (0.83), `cty`
(0.86) are commands mistyped; `listed` (0.8 of `list`) and `shop` (0.75 of `show`) are words."""
_SWAPPED = 0.9
"""The score of a name with the same letters in another order (`lsit`, `shwo`): difflib gives two
letters swapped in a short word only 0.75, less than a real word one letter away (`shop`)."""
_SPREAD = 0.1
"""Names this much less alike than the closest are not suggested beside it."""


def _folded(name: str) -> str:
    """A name as compared: full-width as half-width, any case, `_` as `-` (`Growth-PCT` is `growth_pct`)."""
    from .text import fold

    return fold(name).strip().replace("_", "-")


def closest(word: str, names: Iterable[str], n: int = 3, cutoff: float = FIELD_CUTOFF) -> list[str]:
    """The names closest to a mistyped `word`, best first, at most `n`; none below `cutoff`.

    The same name in another case or width is the one answer (`Value` is `value`); else the names by
    difflib's ratio, where the same letters in another order count as one slip (`lsit`, `list`), and
    only those nearly as close as the closest.
    """
    import difflib

    typed = _folded(word)
    if not typed:
        return []
    matcher = difflib.SequenceMatcher(b=typed)
    scored: list[tuple[float, int, str]] = []
    for order, name in enumerate(dict.fromkeys(names)):
        folded = _folded(name)
        if folded == typed:
            score = 2.0  # the name itself, typed in another case or width
        else:
            matcher.set_seq1(folded)  # b (the word typed) stays: difflib caches what it learns of it
            score = matcher.ratio()
            if score >= cutoff * 0.8 and sorted(folded) == sorted(typed):
                score = max(score, _SWAPPED)
        if score >= cutoff:
            scored.append((-score, order, name))
    scored.sort()
    if not scored:
        return []
    best = -scored[0][0]
    near_best = [name for score, _, name in scored if -score >= best - _SPREAD]  # `growht_pct`: not every *_growth_pct
    return near_best[:1] if best == 2.0 else near_best[:n]


def did_you_mean(word: str, names: Iterable[str], n: int = 3, cutoff: float = FIELD_CUTOFF) -> str:
    """ "; did you mean 'growth_pct'?" (or "'a' or 'b'"), or "" where nothing is close."""
    close = closest(word, names, n, cutoff)
    if not close:
        return ""
    quoted = [repr(name) for name in close]
    return (
        f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"
        if len(quoted) > 1
        else f"; did you mean {quoted[0]}?"
    )


def quoted(name: str) -> str:
    """A name the user gave, quoted for a message; bytes that are not UTF-8 shown escaped (`\\xff`)."""
    from .errors import one_line
    from .text import is_text
    from .writers import printable

    return repr(name) if is_text(name) else f"'{printable(one_line(name))}' (not UTF-8 text)"


_CONDITION_MARKS = ("<", ">", "=", "~", "≥", "≤", "≠", "＜", "＞", "＝")
"""Characters of a comparison (`growth_pct>30`): a field name never holds them."""


def unknown_field(option: str, name: str, available: Sequence[str]) -> str:
    """Why `option` refuses `name`: no such field, with the closest ones; a comparison given to
    `--has` or `--fields` is pointed to `--where`. The valid fields are listed only where none is close."""
    if option != "--where" and any(mark in name for mark in _CONDITION_MARKS):
        return (
            f"{option}: {quoted(name)} is a comparison, not a field: --where {_shell_quoted(name)} keeps the rows "
            f"where it holds (see `lj-facts list --help`)"
        )
    hint = did_you_mean(name, available)
    if hint:
        return f"{option}: unknown field {quoted(name)}{hint}"
    return f"{option}: unknown field {quoted(name)}; valid fields: {', '.join(available)}"


def _shell_quoted(text: str) -> str:
    """`'growth_pct>30'`: as typed in a shell, where `>` would redirect."""
    return "'" + text.replace("'", "'\\''") + "'"


# --- A first word that is no command -----------------------------------------------------------

SYNONYMS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("all", "every", "everything", "全部", "所有", "全部事实"), ("list", "lists every fact")),
    **dict.fromkeys(("ls",), ("list", "lists every fact")),
    **dict.fromkeys(("find", "grep", "query"), ("search", "searches")),
    **dict.fromkeys(("get", "info", "cat", "describe", "details"), ("show", "shows a fact by its id")),
}
"""Words people type for a command (`lj-facts all`, `ls`, `find`): the command, and what it does."""

EXPECTED: dict[str, str] = {
    **dict.fromkeys(
        ("export", "dump", "sql", "sqlite", "db", "datasette", "serve", "server"),
        "the machine formats write every row: `lj-facts list --csv > facts.csv`, "
        "`lj-facts list --nl | sqlite-utils insert facts.db facts - --nl`",
    ),
    **dict.fromkeys(
        ("schema", "fields", "columns"), "`lj-facts list --json` writes every field of a row; --fields picks some"
    ),
    **dict.fromkeys(
        ("where", "filter"), "--where is an option of every listing: `lj-facts list --where 'growth_pct>30'`"
    ),
    **dict.fromkeys(("install", "config", "init"), ""),
}
"""Words people type as a command that lj-facts may not have. Where one is a command (another
version's `export`, `schema`), it runs; else it is a usage error, never a search in silence."""

HELP_WORDS = ("help",)
"""`lj-facts help [COMMAND]` is `lj-facts [COMMAND] --help`."""
VERSION_WORDS = ("version",)
"""`lj-facts version` is `lj-facts --version`."""

_HELPED_BY = {
    **dict.fromkeys(("serve", "server", "datasette", "sql", "sqlite", "dump", "db"), "export"),
    **dict.fromkeys(("fields", "columns"), "schema"),
}
"""A word lj-facts does not have as a command, and the command that does its job where there is one."""


def not_a_command(word: str, commands: Sequence[str], version: str) -> str | None:
    """The usage error for a first word people type as a command that is none here (`export` where
    lj-facts has no export), or None for any other word (searched for as usual)."""
    key = _folded(word)
    if key not in EXPECTED or word in commands:
        return None
    helper = _HELPED_BY.get(key)
    if helper in commands:
        hint = f"`lj-facts {helper} --help` tells how to write what it needs"
    elif key in commands:  # `EXPORT`: the command in other capitals
        hint = f"the command is `lj-facts {key}`"
    else:
        hint = EXPECTED[key]
    shown = ", ".join(commands)
    return (
        f"no command {quoted(word)} in lj-facts {version}"
        + (f"; {hint}" if hint else "")
        + f". Commands: {shown}. To search for the word: lj-facts search {word}"
    )


def command_meant(word: str, commands: Sequence[str]) -> tuple[str, str] | None:
    """The command a first word that is none probably means, and what that command does; or None.

    A word for a command (`all`, `ls`, `find`), a command in other capitals (`LIST`) or mistyped
    (`serach`, `lsit`, `tpoics`). Cheap for every other word: difflib is asked only about commands of
    about its length and first letters, so a look-up's start-up does not pay for it.
    """
    key = _folded(word)
    if key in SYNONYMS and SYNONYMS[key][0] in commands:
        return SYNONYMS[key]
    near = [c for c in commands if abs(len(c) - len(key)) <= 1 and (key[:1] in c[:2] or c[:1] in key[:2])]
    close = closest(word, near, 1, COMMAND_CUTOFF) if near else []
    return (close[0], "") if close else None


def no_command(word: str, command: str, words: Sequence[str]) -> str:
    """The usage error for a first word close to a command whose words, searched for, find no fact."""
    return f"no command {quoted(word)}; did you mean {command!r}? (no fact matches {quoted(' '.join(words))} either)"


def searched_as_word(word: str, command: str, does: str) -> str:
    """The note for a first word close to a command that found facts: answered, and the command named."""
    what = f"`lj-facts {command}` {does}" if does else f"did you mean the command `lj-facts {command}`?"
    return f"note: searched for {quoted(word)} as a word; {what}"

"""What several commands share: opening the base for a listing, the words of a search, the facts' listing."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import typer

from ..base import open_base
from ..environment import Environment
from ..errors import NotFoundError, UsageError, count
from ..listing import Query, facts_and_figures, resolve_topics, sort_note, span_note
from ..model import CityFigure, Fact
from ..options import Options, listing_options
from ..rows import Format, Row, city_figure_row
from . import LOOKUP, NAMES

if TYPE_CHECKING:
    from ..displays import Display
    from ..index import Index

FIGURES_CAPTION = "Published by the city (重庆市), not from the report; `lj-facts show ID` tells everything of one"


def open_listing(ctx: typer.Context, facts: bool = True) -> tuple[Index, Options]:
    """The index, and the listing options with their `--topic` names resolved to slugs in it (where the
    listing is one of facts: elsewhere --topic is refused as not applying)."""
    opts = listing_options(ctx)
    if opts.city and not facts:  # refused, not ignored, as --topic is: a listing of no facts compares none
        raise UsageError("--city does not apply to this listing: it holds no facts to compare with the city")
    index = open_base(opts.file, opts.out.env, opts.no_cache)
    if opts.query.topics and facts:
        opts = opts._replace(query=opts.query._replace(topics=resolve_topics(index, opts.query.topics)))
    return index, opts


def as_text(words: Sequence[str]) -> list[str]:
    """Arguments as text: bytes the locale could not decode (LC_ALL=C) read as UTF-8 where they are.

    An argument of bytes that are not UTF-8 keeps its lone surrogates: it matches nothing.
    """
    from ..text import is_text

    out = []
    for word in words:
        if not is_text(word):
            with contextlib.suppress(UnicodeError):
                word = os.fsencode(word).decode("utf-8")
        out.append(word)
    return out


def require_text(words: Sequence[str]) -> None:
    """`answers.require_text`: UsageError for no word at all, NotFoundError for words that are not UTF-8."""
    from ..answers import require_text as required

    required(words)


def say_all(env: Environment, notes: Sequence[str]) -> None:
    """What an answer noticed (a term joined by the glossary, a corrected word), a line each on stderr."""
    for note in notes:
        env.say(note)


def searched(
    index: Index, words: Sequence[str], env: Environment, limit: int | None = None
) -> tuple[list[Fact], list[CityFigure], str]:
    """`answers.search`: the facts the words find (by meaning), the published city figures, and a title;
    NotFoundError where there is neither. Its notes are said on stderr."""
    from ..answers import search

    answer = search(index, words, limit)
    say_all(env, answer.notes)
    return answer.facts, answer.figures, answer.title


def matching(
    index: Index, words: Sequence[str], env: Environment, limit: int | None = None
) -> tuple[list[Fact], list[CityFigure], str]:
    """`answers.matching`: the facts of the topic the words name, else those (and the city figures) the
    words find; and a title."""
    from ..answers import topic_answer

    answer = topic_answer(index, words, limit)
    if answer is not None:
        return answer.facts, answer.figures, answer.title
    return searched(index, words, env, limit)


def command_names() -> list[str]:
    """The commands a user can type: the hidden `lookup` is none."""
    return [name for name in NAMES if name != LOOKUP]


def refuse_command_words(words: Sequence[str]) -> None:
    """A UsageError for a first word people type as a command that lj-facts has not (`serve`): never
    searched for in silence. Said before the knowledge file is read."""
    from .. import __version__
    from ..suggest import not_a_command

    refused = not_a_command(words[0], command_names(), __version__) if words else None
    if refused:
        raise UsageError(refused)


def looked_up(
    index: Index, words: Sequence[str], env: Environment, limit: int | None
) -> tuple[list[Fact], list[CityFigure], str]:
    """`lj-facts WORD...`: a topic, else a search. Where the first word is close to a command
    (`serach`, `LIST`, `all`), a search that finds nothing is a usage error naming the command, and
    one that finds facts is answered with a note naming it."""
    from ..suggest import command_meant, no_command, searched_as_word

    meant = command_meant(words[0], command_names()) if words else None
    if meant is None or index.topic(" ".join(words), aliases=False) is not None:
        return matching(index, words, env, limit)
    try:
        found = matching(index, words, env, limit)
    except NotFoundError:
        raise UsageError(no_command(words[0], meant[0], words)) from None
    env.say(searched_as_word(words[0], *meant))
    return found


def early_limit(query: Query) -> int | None:
    """The limit a search may stop at: `-n` where no sort or filter can reorder or drop what it finds."""
    if query.sort or query.reverse or query.topics or query.period or query.kind or query.has or query.where:
        return None
    return query.limit or None


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
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


def caption(index: Index, facts: int, shown: Sequence[Fact | CityFigure] = (), what: str = "fact") -> str:
    """A listing's caption: how many facts, of which region, from which report (how many reports, where
    the `shown` come from several: each row then names its own)."""
    meta = index.meta
    reports = {f.source for f in shown if isinstance(f, Fact)}
    origin = count(len(reports), "report") if len(reports) > 1 else meta.title
    if len(reports) == 1 and (only := index.sources.get(next(iter(reports)))) is not None:
        origin = only.title
    return f"{count(facts, what)} · {meta.region} ({meta.region_zh}) · {origin}"


def source_lines(index: Index, facts: Sequence[Fact]) -> list[str]:
    """For each fact, the line that names its source under its words in a table: `source: TITLE (id)`."""
    lines = []
    for fact in facts:
        found = index.sources.get(fact.source or "")
        lines.append(f"source: {found.title} ({found.id})" if found is not None else f"source: {fact.source}")
    return lines


def say_note(env: Environment, *notes: str | None) -> None:
    """The first note on the order of a listing (a --sort across units), on stderr; stdout is untouched."""
    note = next((n for n in notes if n), None)
    if note:
        env.say(note)


def say_span_note(opts: Options, rows: Sequence[Row], columns: Sequence[str], growth: bool = False) -> None:
    """Growth over other spans than a year among the rows printed, where nothing printed says so
    (`span_note`): the table and markdown mark it in their growth_pct column, the machine formats cannot."""
    marked = opts.out.format in (Format.TABLE, Format.MARKDOWN)
    say_note(opts.out.env, span_note(rows, opts.query, columns, growth, marked))


def require_some(shown: Sequence[Any], before: int) -> None:
    """Filters that leave nothing of a listing that had facts: nothing matched (exit 1), said on stderr."""
    if before and not shown:
        raise NotFoundError("no fact left after the filters (--topic, --period, --kind, --has, --where)")


def write_facts(
    index: Index, facts: Sequence[Fact], opts: Options, title: str, figures: Sequence[CityFigure] = ()
) -> None:
    """The facts (and any published city figures found with them, after the facts) in the output format."""
    # Whole rows (every fact and city field) for the filters and the sort, then the listing's columns:
    # a filter or --sort may name a field --fields leaves out. The figures come after the facts, and
    # -n counts both (`listing.facts_and_figures`, the rows the Python API answers too).
    listed = facts_and_figures(facts, figures, index.city_figures, opts.query, opts.city)
    shown, kept = listed.facts, listed.figures
    require_some([*shown.facts, *kept], len(facts) + len(figures) if opts.query.limit != 0 else 0)
    say_note(opts.out.env, shown.note, sort_note(listed.figure_rows, listed.query, shown.columns))
    say_span_note(opts, shown.whole, shown.columns)
    captioned = caption(index, len(shown.facts), shown.facts)

    def people() -> list[Display]:
        from .. import displays

        table = displays.facts_display(shown.facts, shown.comparisons, title, captioned)
        out = [displays.sourced(table, source_lines(index, shown.facts))] if shown.facts else []
        if kept:
            links = index.city_links()
            rows = [city_figure_row(p, *links[p.id]) for p in figures if p.id in {r["id"] for r in kept}]
            out.append(displays.city_figures_display(rows, f"City figures: {title}", FIGURES_CAPTION))
        return out

    whole = [*shown.whole, *[None] * len(kept)]  # a city figure's figures are exact, over one year
    opts.out.listing(
        listed.rows, shown.columns, people, picked=shown.picked, title=title, caption=captioned, whole=whole
    )

"""The questions the commands ask of an index, answered: facts and rows, with what to tell the user.

The CLI and the Python API (`api`) both stand on these: a look-up, a search, the city view, an
indicator. Nothing here prints; what a user should be told (a term corrected, a stated growth that
disagrees with its levels) comes back as `notes`, which the CLI writes on stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from . import fields
from .errors import NotFoundError, UsageError, one_line
from .model import CityFigure, Fact, Indicator

if TYPE_CHECKING:
    from .index import Index
    from .series import Point


class Answer(NamedTuple):
    """The facts a question finds, the published city figures found with them, and a title."""

    facts: list[Fact]
    figures: list[CityFigure]
    """The city's published figures the words found (a search only), listed after the facts."""
    title: str
    notes: tuple[str, ...] = ()
    """What the user should know of how the words were read (a correction, an alias), for stderr."""


def require_text(words: Sequence[str]) -> None:
    """UsageError for no word at all (`lj-facts ''`, blanks only); NotFoundError for words of bytes that
    are not UTF-8 (lj-facts $'\\xff'): no fact holds them."""
    from .text import QUOTES, is_text
    from .writers import printable

    if not any(w.strip().strip(QUOTES).strip() for w in words):
        raise UsageError("search needs a word: an empty or blank term (or quotation marks alone) matches nothing")
    if not all(map(is_text, words)):
        raise NotFoundError(f"nothing matches '{printable(one_line(' '.join(words)))}' (not UTF-8 text)")


def search(index: Index, words: Sequence[str], limit: int | None = None) -> Answer:
    """The facts the words find (by meaning), best first, and the published city figures; NotFoundError
    where there is neither. `limit` lets the search stop early (it counts the figures too)."""
    from .search import find, notes, nothing_found, search_city_figures

    require_text(words)
    found = find(index, words, limit)
    figures = search_city_figures(index.city_figures.values(), words)
    if limit is not None:
        figures = figures[: max(0, limit - len(found.facts))]
    if not found.facts and not figures:
        raise NotFoundError(nothing_found(index, words))
    title = f"Search: {' '.join(t.asked for t in found.terms) or ' '.join(words)}"
    return Answer(list(found.facts), figures, title, tuple(notes(found)))


def topic_answer(index: Index, words: Sequence[str], limit: int | None = None) -> Answer | None:
    """The facts of the topic the words name (slug, English or Chinese name, not an alias), or None; the
    first `limit` only where one is given.

    A topic's alias (外资, FDI of trade) searches instead: the facts that say it, not the topic.
    """
    topic = index.topic(" ".join(words), aliases=False)
    if topic is None:
        return None
    return Answer(index.topic_facts(topic.slug, limit), [], f"{topic.name} · {topic.name_zh}")


def matching(index: Index, words: Sequence[str], limit: int | None = None) -> Answer:
    """`lj-facts WORD...`: the facts of the topic the words name (`topic_answer`), else those (and the city
    figures) the words find."""
    return topic_answer(index, words, limit) or search(index, words, limit)


def city_candidates(index: Index, words: Sequence[str]) -> tuple[list[Fact], tuple[str, ...]]:
    """The facts the city view weighs: all those with a city comparison, else a topic's or a search's;
    and the search's notes."""
    if not words:
        return index.city_facts(), ()
    named = topic_answer(index, words)
    if named is not None:
        return named.facts, ()
    from .search import find, notes, nothing_found

    require_text(words)
    found = find(index, words)
    if not found.facts:
        raise NotFoundError(nothing_found(index, words))
    return found.facts, tuple(notes(found))


def city(index: Index, words: Sequence[str]) -> Answer:
    """`lj-facts city [WORD...]`: the facts of `city_candidates` that compare with the city, largest share of
    the city first; NotFoundError where none compares."""
    from .compare import city_view

    candidates, said = city_candidates(index, words)
    pairs = city_view(candidates, index.city_figures)
    if not pairs:
        asked = f" of {' '.join(words)!r}" if words else ""
        raise NotFoundError(f"no fact{asked} compares with the city")
    meta = index.meta
    title = f"{meta.region} ({meta.region_zh}) in {meta.city} ({meta.city_zh})"
    if words:
        title += f": {' '.join(words)}"
    return Answer([f for f, _ in pairs], [], title, said)


def indicator_named(index: Index, words: Sequence[str]) -> tuple[Indicator, tuple[str, ...]]:
    """The indicator the words name, else that of the best fact they find; NotFoundError where none.
    A note says which others the words name too."""
    from .search import find
    from .series import pick

    named = pick(index.indicators, words)
    if not named:
        found = [f.indicator for f in find(index, words).facts if f.indicator in index.indicators]
        named = [index.indicators[slug] for slug in dict.fromkeys(found) if slug]
    if not named:
        known = ", ".join(index.indicators) or "none in this base"
        raise NotFoundError(f"no indicator is named or found by {' '.join(words)!r}; indicators: {known}")
    if len(named) > 1:
        others = ", ".join(i.slug for i in named[1:4])
        return named[0], (f"note: {' '.join(words)!r} is {named[0].slug}; it also names {others}",)
    return named[0], ()


def series(index: Index, words: Sequence[str]) -> tuple[Indicator, list[Point], tuple[str, ...]]:
    """`lj-facts series WORD...`: the indicator the words name, its points oldest first (each growth checked
    against the levels), and the notes of the naming (`indicator_named`)."""
    from .series import series as points_of

    require_text(words)
    indicator, said = indicator_named(index, words)
    return indicator, points_of(index.indicator_facts(indicator.slug), indicator), said


INDICATOR_COLUMNS: tuple[str, ...] = fields.names(fields.INDICATOR)
"""The fields of a row of `lj-facts series` alone: an indicator of the base (`fields.INDICATOR`)."""


def indicator_rows(index: Index) -> list[dict[str, Any]]:
    """`lj-facts series` alone: the indicators of the base, with how many facts and periods each has."""
    rows = []
    for slug, indicator in index.indicators.items():
        facts = index.indicator_facts(slug)
        periods = sorted({f.period for f in facts if f.period})
        rows.append(
            {
                "slug": slug,
                "label": indicator.label,
                "label_zh": indicator.label_zh,
                "kind": indicator.kind,
                "unit": indicator.unit,
                "facts": len(facts),
                "periods": periods,
                "note": indicator.note,
            }
        )
    return rows


def record_rows(index: Index, records: Sequence[Fact | CityFigure]) -> list[dict[str, Any]]:
    """Facts and published city figures as `show` writes them: rows of the fact and city columns, a city
    figure's with `kind` = `city_figure`."""
    from .compare import compare
    from .rows import city_figure_fact_row, fact_row

    figures = index.city_figures
    return [
        city_figure_fact_row(r, True) if isinstance(r, CityFigure) else fact_row(r, compare(r, figures), True)
        for r in records
    ]

"""Writing the index of a checked knowledge base: its tables, the facts' search texts and word lists."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any

from ..model import (
    FACT_FIELDS,
    UNITS,
    CityFigure,
    Fact,
    Indicator,
    KnowledgeBase,
    Meta,
    Source,
    Topic,
)
from .rows import (
    CHINESE,
    FORMAT,
    ID_FIELD,
    INDEXES,
    LABEL_FIELD,
    SCHEMA,
    TEXT_FIELD,
    TOPIC_FIELD,
    UNIT_FIELD,
    WHOLE_LABEL,
    as_row,
    field_names,
)

# --- Building ----------------------------------------------------------------------------------

PARALLEL_BYTES = 4 << 20
"""Knowledge files larger than this are parsed and indexed in parallel, a share of the facts a core."""


def build(kb: KnowledgeBase, conn: sqlite3.Connection, info: dict[str, str]) -> None:
    """Write the index of `kb` into an empty database."""
    conn.executescript(SCHEMA)
    insert_header(conn, kb.metas or (kb.meta,), kb.topics, kb.city_figures, kb.sources, info, kb.glossary)
    insert_indicators(conn, kb.indicators)
    insert_facts(conn, kb.facts, 0)
    conn.executescript(INDEXES)
    conn.commit()


def insert_header(
    conn: sqlite3.Connection,
    metas: Sequence[Meta],
    topics: dict[str, Topic],
    city: dict[str, CityFigure],
    sources: Sequence[Source],
    info: dict[str, str],
    glossary: Sequence[Sequence[str]] = (),
) -> None:
    from ..text import fold, normalise, words
    from ..text import key as text_key

    conn.executemany("INSERT INTO info VALUES (?, ?)", {**info, "format": FORMAT}.items())
    conn.executemany(
        f"INSERT INTO meta VALUES (?, {', '.join('?' * len(field_names(Meta)))})",
        ((i, *as_row(m)) for i, m in enumerate(metas)),
    )
    conn.executemany(
        f"INSERT INTO city_figures VALUES ({', '.join('?' * len(field_names(CityFigure)))})", map(as_row, city.values())
    )
    conn.executemany(
        f"INSERT INTO sources VALUES (?, {', '.join('?' * len(field_names(Source)))})",
        ((i, *as_row(s)) for i, s in enumerate(sources)),
    )
    conn.executemany(
        f"INSERT INTO topics VALUES (?, {', '.join('?' * len(field_names(Topic)))})",
        ((i, *as_row(t)) for i, t in enumerate(topics.values())),
    )
    names = {
        (name, t.slug, alias)
        for t in topics.values()
        for alias, names in ((0, (t.slug, t.name, t.name_zh)), (1, t.aliases))
        for name in (" ".join(fold(n).split()) for n in names)
    }
    conn.executemany("INSERT INTO topic_names VALUES (?, ?, ?, ?)", ((*n, text_key(n[0])) for n in names))
    conn.executemany(
        "INSERT OR IGNORE INTO words VALUES (?, ?)",
        {(w, TOPIC_FIELD) for n, _, _ in names for w in words(n) if w.isalpha()},
    )
    conn.executemany(
        "INSERT INTO glossary VALUES (?, ?, ?)",
        {(normalise(term), text_key(normalise(term)), n) for n, group in enumerate(glossary) for term in group},
    )


def insert_indicators(conn: sqlite3.Connection, indicators: dict[str, Indicator]) -> None:
    conn.executemany(
        f"INSERT INTO indicators VALUES (?, {', '.join('?' * len(field_names(Indicator)))})",
        ((i, *as_row(x)) for i, x in enumerate(indicators.values())),
    )


HAYSTACK_FACTS = 4096
"""Facts a haystack row holds: what a search reads at a time (about a megabyte)."""


def _haystacks(facts: Sequence[Fact], first: int) -> Iterator[tuple[int, bytes, bytes]]:
    """The facts' search texts, concatenated a few thousand at a time, with where each one starts.

    The facts of a haystack have the positions `first`, `first + 1`, … in file order.

    A search finds its needles with `bytes.find`, an order of magnitude faster than SQLite's
    `instr()` row by row, and reads one haystack at a time, so its memory stays flat.
    """
    from ..text import SEPARATOR, fold

    units = {u: fold(f"{u} {unit.base_unit} {unit.english}") for u, unit in UNITS.items()}

    def search_text(fact: Fact) -> str:
        """Everything of the fact itself a term can match, folded, a field each (label, id, quote, unit
        and period: `GDP 2021` finds the GDP of 2021-H1).

        Its topics' names are matched apart, through `topic_names`.
        """
        unit = units[fact.unit] if fact.unit else ""
        return SEPARATOR.join((fold(fact.label), fact.id, fold(fact.text), f"{unit} {fold(fact.period or '')}"))

    for at in range(0, len(facts), HAYSTACK_FACTS):
        texts = [b"\n" + search_text(f).encode("utf-8") for f in facts[at : at + HAYSTACK_FACTS]]
        starts = array("q", accumulate((len(t) for t in texts[:-1]), initial=0))
        yield first + at, starts.tobytes(), b"".join(texts)


def insert_facts(conn: sqlite3.Connection, facts: Sequence[Fact], first: int) -> None:
    """Rows for the facts, numbered from `first` in file order."""
    from ..text import chinese_pieces, fold, words
    from ..text import key as text_key

    vocabulary: set[tuple[str, int]] = set()
    chinese: set[str] = set()
    seen: set[str] = set()  # the labels and quotes already listed: a big file repeats them
    # Words with digits (2008, c7) are left out but for labels' Chinese ones, which a Chinese term is
    # looked for in: a search term with a digit matches as a substring, never by these lists.

    def fact_rows() -> Iterable[tuple[Any, ...]]:
        for i, f in enumerate(facts, first):
            city = f.city_share_pct is not None or f.city_growth_gap_pp is not None or f.city_figure is not None
            if f.label not in seen:
                seen.add(f.label)
                label = fold(f.label)
                vocabulary.update((w, LABEL_FIELD) for w in words(label) if w.isalpha() or not w.isascii())
                vocabulary.update(((label, WHOLE_LABEL), (text_key(label), WHOLE_LABEL)))
                chinese.update(chinese_pieces(label))
            if f.text not in seen:
                seen.add(f.text)
                text = fold(f.text)
                vocabulary.update((w, TEXT_FIELD) for w in words(text) if w.isascii() and w.isalpha())
                chinese.update(chinese_pieces(text))
            vocabulary.update((w, ID_FIELD) for w in f.id.replace(".", "-").split("-") if w.isalpha())  # a slug
            if f.period and f.period not in seen:  # per-year, not-given: searched with the unit
                seen.add(f.period)
                vocabulary.update((w, UNIT_FIELD) for w in words(fold(f.period)) if w.isalpha())
            yield i, city, *as_row(f)

    conn.executemany(f"INSERT INTO facts VALUES (?, ?, {', '.join('?' * len(FACT_FIELDS))})", fact_rows())
    conn.executemany("INSERT INTO haystack VALUES (?, ?, ?)", _haystacks(facts, first))
    conn.executemany(
        "INSERT INTO fact_topics VALUES (?, ?, ?)",
        ((t, n > 0, i) for i, f in enumerate(facts, first) for n, t in enumerate(f.topics)),
    )
    conn.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", vocabulary)
    conn.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", ((c, CHINESE) for c in chinese))

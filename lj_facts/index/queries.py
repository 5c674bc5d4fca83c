"""The queries every command asks of an index, each answered again from a rebuilt index where the
cached one turns out damaged."""

from __future__ import annotations

import contextlib
import sqlite3
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Concatenate, ParamSpec, TypeVar

from ..model import (
    CityFigure,
    Fact,
    Indicator,
    Meta,
    Source,
    Topic,
)
from .rows import (
    CHINESE,
    FACT_COLUMN_LIST,
    WHOLE_LABEL,
    Damaged,
    city_figure_from,
    column_list,
    fact_from,
    indicator_from,
    items,
    meta_from,
    qualified,
    required_text,
    source_from,
    topic_from,
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


Note = Callable[[str], None]
"""Where the index says why it did not use the cache (`--debug` prints it)."""


def quiet(message: str) -> None:
    """The default `Note`: say nothing."""


BATCH = 500
"""Values a query takes at a time (`Index._in_batches`)."""

_DAMAGE = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
"""What reading a damaged index raises (a malformed page, a wrong type, an unknown enum, a missing row)."""


def _guarded(method: Callable[Concatenate[Index, _P], _R]) -> Callable[Concatenate[Index, _P], _R]:
    """Answer from the index; where it turns out damaged, rebuild it from the knowledge file and answer again."""

    def guarded(self: Index, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        return self.retrying(lambda: method(self, *args, **kwargs))

    guarded.__doc__ = method.__doc__
    return guarded


class Index:
    """Read-only queries over one knowledge file's index.

    `rebuild`, given for a cached index, makes a new one from the knowledge file when damage is
    found: every query is answered from it then, so a damaged cache never fails a command.
    """

    def __init__(
        self, conn: sqlite3.Connection, rebuild: Callable[[], sqlite3.Connection] | None = None, note: Note = quiet
    ) -> None:
        self.rebuild = rebuild
        self.note = note
        try:
            self._load(conn)
        except _DAMAGE as e:
            self._rebuild_after(e)

    def _load(self, conn: sqlite3.Connection) -> None:
        old: sqlite3.Connection = getattr(self, "conn", conn)
        if self.rebuild is not None and old is not conn:
            self.rebuild = None  # the new index was built from the file: nothing more to fall back on
            with contextlib.suppress(sqlite3.Error):
                old.close()
        self.conn = conn
        self._vocabulary: list[str] | None = None
        self.metas = tuple(
            meta_from(r) for r in conn.execute(f"SELECT {column_list(Meta)} FROM meta ORDER BY position")
        )
        if not self.metas:
            raise Damaged("the index has no meta row")
        self.meta = self.metas[0]
        self.indicators = {
            r[0]: indicator_from(r)
            for r in conn.execute(f"SELECT {column_list(Indicator)} FROM indicators ORDER BY position")
        }
        self.city_figures = {
            r[0]: city_figure_from(r) for r in conn.execute(f"SELECT {column_list(CityFigure)} FROM city_figures")
        }
        self.sources = {
            r[0]: source_from(r) for r in conn.execute(f"SELECT {column_list(Source)} FROM sources ORDER BY position")
        }

    def record(self, record_id: str) -> Fact | CityFigure | None:
        """The fact or the city figure with this id: the one place an id given by a user is resolved."""
        return self.fact(record_id) or self.city_figures.get(record_id)

    @_guarded
    def city_links(self) -> dict[str, tuple[list[str], list[str]]]:
        """For each city figure id, the facts linked to it (`city_figure`) and those showing it as context."""
        links: dict[str, tuple[list[str], list[str]]] = {k: ([], []) for k in self.city_figures}
        rows = self.conn.execute(
            "SELECT id, city_figure, city_context FROM facts "
            "WHERE city_figure IS NOT NULL OR city_context != '' ORDER BY position"
        )
        for fact_id, figure, context in rows:
            if figure in links:
                links[figure][0].append(fact_id)
            for other in items(context):
                if other in links:
                    links[other][1].append(fact_id)
        return links

    @_guarded
    def topic(self, name: str, aliases: bool = True) -> Topic | None:
        """The topic a slug, English or Chinese name or (with `aliases`) alias names, case-insensitively."""
        from ..text import is_text

        if not is_text(name):
            return None
        row = self.conn.execute(
            f"SELECT {qualified(Topic, 't')} FROM topic_names n JOIN topics t USING (slug) "
            "WHERE n.name = ? AND (? OR NOT n.alias) ORDER BY t.position LIMIT 1",
            (_lookup_name(name), aliases),
        ).fetchone()
        return topic_from(row) if row else None

    @_guarded
    def topics(self) -> list[tuple[Topic, int]]:
        """Every topic, in file order, with how many facts it holds."""
        counts = dict(self.conn.execute("SELECT topic, count(*) FROM fact_topics GROUP BY topic"))
        rows = self.conn.execute(f"SELECT {column_list(Topic)} FROM topics ORDER BY position")
        return [(t, counts.get(t.slug, 0)) for t in map(topic_from, rows)]

    @_guarded
    def topics_named(self, slugs: Iterable[str]) -> dict[str, Topic]:
        """The topics of these slugs, asked 500 at a time (SQLite takes a bounded number of parameters)."""
        rows = self._in_batches(f"SELECT {column_list(Topic)} FROM topics WHERE slug IN ({{}})", sorted(set(slugs)))
        return {t.slug: t for t in map(topic_from, rows)}

    @_guarded
    def topic_facts(self, slug: str, limit: int | None = None) -> list[Fact]:
        """The facts under a topic: those it is primary for first, each group in file order; the first
        `limit` of them only, where given (`-n` with nothing to reorder them: a base of many reports
        holds many facts a topic)."""
        rows = self.conn.execute(
            f"SELECT {qualified(Fact, 'f')} FROM fact_topics t JOIN facts f ON f.position = t.position "
            "WHERE t.topic = ? ORDER BY t.secondary, t.position LIMIT ?",
            (slug, -1 if limit is None else limit),
        )
        return [fact_from(r) for r in rows]

    @_guarded
    def fact(self, fact_id: str) -> Fact | None:
        from ..text import is_text

        if not is_text(fact_id):
            return None
        row = self.conn.execute(f"SELECT {FACT_COLUMN_LIST} FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return fact_from(row) if row else None

    @_guarded
    def facts(self, fact_ids: Sequence[str]) -> dict[str, Fact]:
        """The facts of these ids that exist, by id: one query per 500 ids, however many are asked for."""
        from ..text import is_text

        wanted = sorted({i for i in fact_ids if is_text(i)})  # an id that is no text names no fact
        rows = self._in_batches(f"SELECT {FACT_COLUMN_LIST} FROM facts WHERE id IN ({{}})", wanted)
        return {fact.id: fact for fact in map(fact_from, rows)}

    def _in_batches(self, query: str, values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """The rows of `query` (its `{}` the list of marks) over `values`, BATCH of them a query: SQLite
        takes a bounded number of parameters, and a list of ids may be as long as the file."""
        for at in range(0, len(values), BATCH):
            part = list(values[at : at + BATCH])
            yield from self.conn.execute(query.format(",".join("?" * len(part))), part)

    @_guarded
    def all_facts(self) -> list[Fact]:
        """Every fact, in file order."""
        return [fact_from(r) for r in self.conn.execute(f"SELECT {FACT_COLUMN_LIST} FROM facts ORDER BY position")]

    @_guarded
    def ids(self, prefix: str = "") -> list[str]:
        """Fact ids in file order, those starting with `prefix` where one is given."""
        from ..text import is_text

        if not is_text(prefix):
            return []
        if not prefix:
            return [required_text(r[0]) for r in self.conn.execute("SELECT id FROM facts ORDER BY position")]
        rows = self.conn.execute(
            "SELECT id FROM facts WHERE substr(id, 1, ?) = ? ORDER BY position", (len(prefix), prefix)
        )
        return [required_text(r[0]) for r in rows]

    def retrying(self, answer: Callable[[], _R]) -> _R:
        """`answer()`, which reads this index; where the index turns out damaged, rebuilt and answered again.

        What every query does (`_guarded`), and a search that reads the haystacks as it goes.
        """
        try:
            return answer()
        except _DAMAGE as e:
            self._rebuild_after(e)
            return answer()

    def _rebuild_after(self, damage: Exception) -> None:
        """The one recovery from a damaged cache: the index rebuilt from the knowledge file, and said
        (`--debug`); where there is nothing to rebuild from (an index in memory), the damage is raised."""
        if self.rebuild is None:
            raise damage
        self.note(f"the cached index is damaged ({type(damage).__name__}: {damage}): rebuilt")
        self._load(self.rebuild())

    def haystacks(self) -> Iterator[tuple[int, array[int], bytes]]:
        """The facts' search texts, a few thousand facts at a time in file order: (first position, starts, text).

        Each fact's text starts with a newline at `starts[k]` and holds its fields (`_haystacks`)
        separated by `text.SEPARATOR`.
        """
        for first, starts_blob, text in self.conn.execute("SELECT first, starts, text FROM haystack ORDER BY first"):
            if not isinstance(first, int) or not isinstance(starts_blob, bytes) or not isinstance(text, bytes):
                raise Damaged("a haystack row of the wrong types")
            starts = array("q")
            starts.frombytes(starts_blob)  # ValueError where the blob is no whole number of positions
            if starts and not 0 <= starts[-1] < len(text):  # other bad positions fail to decode: damage too
                raise Damaged("haystack positions beyond its text")
            yield first, starts, text

    @_guarded
    def facts_at(self, positions: Sequence[int]) -> list[Fact]:
        """The facts at these positions, in the order given."""
        rows = self._in_batches(f"SELECT position, {FACT_COLUMN_LIST} FROM facts WHERE position IN ({{}})", positions)
        found = {r[0]: fact_from(r[1:]) for r in rows}
        return [found[p] for p in positions if p in found]

    @_guarded
    def topics_called(self, name: str, stems_key: str | None) -> list[tuple[str, bool]]:
        """(slug, by alias) of the topics one of whose names is `name` (or, for words, has these stems)."""
        if stems_key is None:
            rows = self.conn.execute("SELECT slug, alias FROM topic_names WHERE name = ?", (name,))
        else:
            rows = self.conn.execute("SELECT slug, alias FROM topic_names WHERE stems = ?", (stems_key,))
        best: dict[str, bool] = {}
        for slug, alias in rows:
            best[slug] = best.get(slug, True) and bool(alias)
        return sorted(best.items())

    @_guarded
    def topic_positions(self, slugs: Iterable[str], primary_only: bool) -> dict[int, bool]:
        """Positions of the facts under these topics, each with whether one of them is its primary topic."""
        wanted = sorted(set(slugs))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.conn.execute(
            f"SELECT position, min(secondary) FROM fact_topics WHERE topic IN ({marks})"
            + (" AND NOT secondary" if primary_only else "")
            + " GROUP BY position",
            wanted,
        )
        return {p: not secondary for p, secondary in rows}

    @_guarded
    def glossary_group(self, term: str) -> list[str]:
        """The terms of the glossary group `term` belongs to (itself included), or [] when in none."""
        rows = self.conn.execute(
            "SELECT DISTINCT g.term FROM glossary t JOIN glossary g USING (grp) WHERE t.key = ? ORDER BY g.rowid",
            (_text_key(term),),
        )
        return [r[0] for r in rows]

    @_guarded
    def chinese_words(self) -> set[str]:
        """The glossary's Chinese terms and the topics' Chinese names: the words a Chinese term is split into."""
        rows = self.conn.execute(
            "SELECT term FROM glossary UNION SELECT name FROM topic_names WHERE name NOT GLOB '*[0-9(]*'"
        )
        return {r[0] for r in rows if not r[0].isascii()}

    @_guarded
    def glossary_phrases(self) -> list[str]:
        """The glossary's terms of more than one word."""
        return [r[0] for r in self.conn.execute("SELECT term FROM glossary WHERE instr(term, ' ') > 0")]

    @_guarded
    def has_word(self, word: str, field: int) -> bool:
        """Whether `word` is listed for `field` of some fact."""
        row = self.conn.execute("SELECT 1 FROM words WHERE word = ? AND field = ?", (word, field)).fetchone()
        return row is not None

    @_guarded
    def words_starting(self, prefix: str, field: int) -> list[str]:
        """The words listed for `field` of some fact that start with `prefix`."""
        rows = self.conn.execute(
            "SELECT word FROM words WHERE word >= ? AND word < ? AND field = ?", (prefix, prefix + "\U0010ffff", field)
        )
        return [r[0] for r in rows]

    @_guarded
    def written_anywhere(self, pieces: set[str]) -> bool:
        """Whether every one of these Chinese characters and pairs stands in some label or quote."""
        wanted = sorted(pieces)
        query = f"SELECT count(*) FROM words WHERE field = {CHINESE} AND word IN ({{}})"
        return sum(int(n) for (n,) in self._in_batches(query, wanted)) == len(wanted)

    @_guarded
    def word_holds(self, part: str, field: int) -> bool:
        """Whether a word of `field` holds `part`: for Chinese, which runs on without spaces."""
        row = self.conn.execute("SELECT 1 FROM words WHERE field = ? AND instr(word, ?) LIMIT 1", (field, part))
        return row.fetchone() is not None

    @_guarded
    def indicator_facts(self, slug: str) -> list[Fact]:
        """The facts that measure an indicator, in the base's order."""
        rows = self.conn.execute(f"SELECT {FACT_COLUMN_LIST} FROM facts WHERE indicator = ? ORDER BY position", (slug,))
        return [fact_from(r) for r in rows]

    @_guarded
    def city_facts(self) -> list[Fact]:
        """Facts with a share of the city, a gap to its growth or a published city figure, in file order."""
        return [
            fact_from(r)
            for r in self.conn.execute(f"SELECT {FACT_COLUMN_LIST} FROM facts WHERE city ORDER BY position")
        ]

    @_guarded
    def vocabulary(self) -> list[str]:
        """The words of topic names, fact labels, ids and quotes (the English ones), for did-you-mean hints."""
        if self._vocabulary is None:
            rows = self.conn.execute(
                "SELECT DISTINCT word FROM words WHERE length(word) > 2 AND field < ? ORDER BY word", (WHOLE_LABEL,)
            )
            self._vocabulary = [required_text(r[0]) for r in rows]
        return self._vocabulary


def _lookup_name(name: str) -> str:
    """A topic name as `topic_names` holds it. Plain ASCII needs only case and spaces, so the usual
    look-up (`lj-facts industry`) does not import the text module; anything else is normalised."""
    if name.isascii():
        return " ".join(name.casefold().split())
    from ..text import normalise

    return normalise(name)


def _text_key(term: str) -> str:
    from ..text import key

    return key(term)


def _holders(text: bytes, starts: array[int], needle: bytes) -> set[int]:
    """Which facts of a haystack hold the needle: after a hit, the search goes on at the next fact."""
    held: set[int] = set()
    at = text.find(needle)
    while at >= 0:
        k = bisect_right(starts, at) - 1
        held.add(k)
        if k + 1 >= len(starts):
            break
        at = text.find(needle, starts[k + 1])
    return held


def holders(text: bytes, starts: array[int], needle: bytes) -> set[int]:
    """Which facts of a haystack hold the needle (their places in it, from 0)."""
    return _holders(text, starts, needle)


def holds(text: bytes, starts: array[int], k: int, needle: bytes) -> bool:
    """Whether fact `k` of a haystack holds the needle."""
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    return text.find(needle, starts[k], end) >= 0

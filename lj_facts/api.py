"""The Python API: `lj_facts.load()` opens a knowledge base; its answers are plain, frozen records.

Each record's fields are the keys of a JSON row of the CLI, in the same order, with the same values:
text, numbers and None, tuples of text where the JSON has a list (`to_dict()` gives the list back).
No enum leaks out. Every method answers through the functions the CLI answers through (`answers`,
`listing`, the row builders of `rows`), so `kb.search("汽车").to_records()` is what
`lj-facts search 汽车 --json` prints, and an error is the same `LjFactsError`, with the same message.

This module is imported only when the API is used (`lj_facts.__getattr__`): the CLI never pays for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from . import answers, fields
from .errors import NotFoundError, UsageError
from .listing import Query, facts_and_figures, facts_listing, resolve_ids

if TYPE_CHECKING:
    from .index import Index

PathLike = str | os.PathLike[str]
"""A path as `open()` takes it."""

_R = TypeVar("_R", bound="Record")
_R_co = TypeVar("_R_co", bound="Record", covariant=True)

_NAMES: dict[type, tuple[str, ...]] = {}
"""The field names of each record type, in order (dataclasses.fields() is slow for a row a fact)."""


class Record:
    """The base of every record: `to_dict()` is its JSON row."""

    __slots__ = ()

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The record's fields, in the order of the JSON row's keys."""
        if cls not in _NAMES:
            _NAMES[cls] = tuple(f.name for f in dataclass_fields(cls))  # type: ignore[arg-type]
        return _NAMES[cls]

    @classmethod
    def from_row(cls: type[_R], row: Mapping[str, Any]) -> _R:
        """The record of a row of the machine formats (a list becomes a tuple)."""
        return cls(**{k: tuple(v) if type(v) is list else v for k, v in row.items()})

    def to_dict(self) -> dict[str, Any]:
        """The record as the CLI's JSON row: the same keys, in order, a tuple as a list."""
        return {n: list(v) if type(v := getattr(self, n)) is tuple else v for n in self.field_names()}


@dataclass(frozen=True, slots=True)
class Fact(Record):
    """A row of `lj-facts list --json` (and of a topic, a search): a fact, or a published city figure among
    facts where `kind` is `city_figure`. The fields are `fields.FACT`, explained in docs/schema.md."""

    id: str
    topics: tuple[str, ...]
    label: str
    text: str
    kind: str
    value: float | None
    unit: str | None
    qualifier: str | None
    period: str
    growth_pct: float | None
    growth_qualifier: str | None
    city_share_pct: float | None
    city_share_qualifier: str | None
    value_base: float | None
    base_unit: str | None
    growth_span_years: int | None
    city_share_change_pp: float | None
    city_growth_gap_pp: float | None
    change_pp: float | None
    rank: int | None
    rank_of: int | None
    note: str | None
    source: str | None
    indicator: str | None
    change: float | None
    mom_growth_pct: float | None
    per: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class ComparedFact(Fact):
    """A fact with its comparison with the city: a row of `--city` (and of `show`, `city`), `fields.FACT`
    then `fields.CITY`."""

    city_total: float | None
    city_total_source: str | None
    city_total_low: float | None
    city_total_high: float | None
    city_growth_pct: float | None
    city_growth_source: str | None
    city_total_implied: float | None
    city_total_published: float | None
    city_total_difference: float | None
    city_share_computed_pct: float | None
    city_growth_implied_pct: float | None
    city_figure: str | None
    city_period: str | None
    periods_match: bool | None
    city_source: str | None
    city_note: str | None
    city_context: tuple[str, ...]
    city_total_qualifier: str | None


@dataclass(frozen=True, slots=True)
class CityFigure(Record):
    """A figure the city published for its whole territory: a row of `lj-facts city-figures --json`."""

    id: str
    label: str
    label_zh: str
    value: float | None
    unit: str | None
    growth_pct: float | None
    period: str
    area: str
    publisher: str | None
    date: str | None
    url: str | None
    source: str
    note: str | None
    linked_facts: tuple[str, ...]
    context_facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic(Record):
    """A topic: a row of `lj-facts topics --json`."""

    slug: str
    name: str
    name_zh: str
    aliases: tuple[str, ...]
    description: str
    facts: int


@dataclass(frozen=True, slots=True)
class Source(Record):
    """A document the facts quote (a `[[sources]]` entry): what a fact's `source` names."""

    id: str
    title: str
    publisher: str | None
    date: str | None
    url: str | None
    period_inference: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Indicator(Record):
    """A measure that recurs across reports: a row of `lj-facts series --json` (no indicator named)."""

    slug: str
    label: str
    label_zh: str
    kind: str
    unit: str | None
    facts: int
    periods: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class SeriesPoint(Record):
    """A period of an indicator: a row of `lj-facts series INDICATOR --json`."""

    indicator: str
    period: str
    span: str
    cumulative: bool
    value: float | None
    unit: str | None
    value_as_written: float | None
    unit_as_written: str | None
    qualifier: str | None
    growth_pct: float | None
    growth_implied_pct: float | None
    growth_implied_low: float | None
    growth_implied_high: float | None
    growth_check: str | None
    growth_checked_against: str | None
    city_share_pct: float | None
    source: str
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Meta(Record):
    """What the (first) knowledge file of a base is about: its `[meta]` table."""

    title: str
    region: str
    region_zh: str
    city: str
    city_zh: str
    default_period: str
    period_inference: str
    source: str
    names: tuple[str, ...]


class Records(Sequence[_R_co]):
    """The records of an answer, in the CLI's order, with the CLI's title and notes.

    A sequence (index it, slice it, loop over it); `to_records()` gives the JSON rows as dicts, which
    `pandas.DataFrame` takes as they are.
    """

    __slots__ = ("_items", "columns", "notes", "title")

    def __init__(
        self, items: Iterable[_R_co], columns: Sequence[str], title: str = "", notes: Sequence[str] = ()
    ) -> None:
        self._items: tuple[_R_co, ...] = tuple(items)
        self.columns: tuple[str, ...] = tuple(columns)
        """The fields of every record, in order: the JSON keys (DataFrame columns, also of no rows)."""
        self.title = title
        """The title of the CLI's table (`Industry · 工业`, `Search: 汽车`)."""
        self.notes: tuple[str, ...] = tuple(notes)
        """What the CLI says on stderr about the answer: a term corrected, a growth that disagrees."""

    @overload
    def __getitem__(self, i: int) -> _R_co: ...
    @overload
    def __getitem__(self, i: slice) -> Records[_R_co]: ...
    def __getitem__(self, i: int | slice) -> _R_co | Records[_R_co]:
        if isinstance(i, slice):
            return Records(self._items[i], self.columns, self.title, self.notes)
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[_R_co]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            return self._items == other._items
        if isinstance(other, (tuple, list)):
            return list(self._items) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, so unhashable like one

    def __repr__(self) -> str:
        what = f": {self.title}" if self.title else ""
        return f"<Records of {len(self)}{what}>"

    def to_records(self) -> list[dict[str, Any]]:
        """The JSON rows: a dict a record, the same keys in the same order as `lj-facts --json` prints."""
        return [r.to_dict() for r in self._items]

    @property
    def ids(self) -> list[str]:
        """The `id` (or a topic's or an indicator's `slug`) of each record, in order: `show()` takes fact ids."""
        return [str(getattr(r, "id", None) or getattr(r, "slug", "")) for r in self._items]


def _words(words: Iterable[str | Iterable[str]]) -> list[str]:
    """Words given one an argument, or as a list (`search("a", "b")`, `search(["a", "b"])`): one list."""
    out: list[str] = []
    for w in words:
        out += [w] if isinstance(w, str) else list(w)
    return out


class Base:
    """A knowledge base: the facts of one knowledge file or several (`load()`), and the questions the CLI
    asks of them. Every answer is `Records` of plain, frozen records."""

    def __init__(self, index: Index, files: Sequence[Path]) -> None:
        self._index = index
        self.files: tuple[str, ...] = tuple(map(str, files))
        """The knowledge files read, in order."""

    def __repr__(self) -> str:
        return f"<lj_facts.Base: {self.meta.region}, {len(self.files)} file(s)>"

    # --- The records -----------------------------------------------------------------------------

    @cached_property
    def meta(self) -> Meta:
        """The `[meta]` of the first knowledge file: title, region, city, default period."""
        return Meta.from_row(self._index.meta._asdict())

    @property
    def facts(self) -> Records[Fact]:
        """Every fact, in the base's order: `lj-facts list --json`."""
        return self.list()

    @cached_property
    def city_figures(self) -> Records[CityFigure]:
        """The city's published figures, each with the facts linked to it: `lj-facts city-figures --json`."""
        from .rows import CITY_FIGURE_COLUMNS, city_figure_row

        links = self._index.city_links()
        rows = [city_figure_row(p, *links[p.id]) for p in self._index.city_figures.values()]
        return Records(map(CityFigure.from_row, rows), CITY_FIGURE_COLUMNS)

    @cached_property
    def topics(self) -> Records[Topic]:
        """The topics, with how many facts each holds: `lj-facts topics --json`."""
        from .rows import TOPIC_COLUMNS, topic_row

        rows = [topic_row(t, n) for t, n in self._index.topics()]
        return Records(map(Topic.from_row, rows), TOPIC_COLUMNS)

    @cached_property
    def sources(self) -> Records[Source]:
        """The documents the facts quote, in the base's order."""
        from .rows import source_row

        rows = [source_row(s) for s in self._index.sources.values()]
        return Records(map(Source.from_row, rows), fields.names(fields.SOURCE))

    @cached_property
    def indicators(self) -> Records[Indicator]:
        """The indicators of the base, with their facts and periods: `lj-facts series --json`."""
        return Records(map(Indicator.from_row, answers.indicator_rows(self._index)), answers.INDICATOR_COLUMNS)

    # --- The questions ---------------------------------------------------------------------------

    @overload
    def list(self, *, city: Literal[False] = False) -> Records[Fact]: ...
    @overload
    def list(self, *, city: Literal[True]) -> Records[ComparedFact]: ...
    def list(self, *, city: bool = False) -> Records[Fact]:
        """Every fact, in the base's order: `lj-facts list --json` (`--city` with `city=True`)."""
        return self._facts(answers.Answer(self._index.all_facts(), [], ""), city)

    @overload
    def topic(self, name: str, *, city: Literal[False] = False) -> Records[Fact]: ...
    @overload
    def topic(self, name: str, *, city: Literal[True]) -> Records[ComparedFact]: ...
    def topic(self, name: str, *, city: bool = False) -> Records[Fact]:
        """The facts of a topic, named by slug, English or Chinese name or alias (`industry`, `工业`), those it is
        primary for first: `lj-facts industry --json`. NotFoundError names the topics where none is called so."""
        topic = self._index.topic(name)
        if topic is None:
            valid = ", ".join(t.slug for t, _ in self._index.topics())
            raise NotFoundError(f"no topic {name!r}; valid topics: {valid}")
        answer = answers.topic_answer(self._index, [topic.slug])
        assert answer is not None  # a slug names its topic
        return self._facts(answer, city)

    @overload
    def search(
        self, *words: str | Iterable[str], city: Literal[False] = False, limit: int | None = None
    ) -> Records[Fact]: ...
    @overload
    def search(
        self, *words: str | Iterable[str], city: Literal[True], limit: int | None = None
    ) -> Records[ComparedFact]: ...
    def search(self, *words: str | Iterable[str], city: bool = False, limit: int | None = None) -> Records[Fact]:
        """The facts matching every word, by meaning, best first, then the published city figures the words
        find (`kind` = `city_figure`): `lj-facts search WORD... --json` (`-n` is `limit`). Each argument is
        a term, as the shell passes one: `search("新能源", "汽车")`, `search(["NEV", "growth"])`."""
        terms = _words(words)
        return self._facts(answers.search(self._index, terms, limit), city, limit)

    @overload
    def lookup(
        self, *words: str | Iterable[str], city: Literal[False] = False, limit: int | None = None
    ) -> Records[Fact]: ...
    @overload
    def lookup(
        self, *words: str | Iterable[str], city: Literal[True], limit: int | None = None
    ) -> Records[ComparedFact]: ...
    def lookup(self, *words: str | Iterable[str], city: bool = False, limit: int | None = None) -> Records[Fact]:
        """What `lj-facts WORD... --json` prints: the facts of the topic the words name (not an alias), else a
        search. (The CLI also refuses a first word that looks like a command it has not; this searches it.)"""
        terms = _words(words)
        return self._facts(answers.matching(self._index, terms, limit), city, limit)

    def show(self, *ids: str | Iterable[str]) -> Records[ComparedFact]:
        """Facts (or published city figures) by id, in the order asked, with the city comparison:
        `lj-facts show ID... --json`. Every unknown id is named in one NotFoundError, and nothing returned."""
        asked = _words(ids)
        if not asked:
            raise UsageError("show needs an id: a fact's or a city figure's")
        rows = answers.record_rows(self._index, resolve_ids(self._index, asked))
        return Records(map(ComparedFact.from_row, rows), ComparedFact.field_names())

    def city(self, *words: str | Iterable[str]) -> Records[ComparedFact]:
        """Every fact with a city comparison (or those of a topic or a search), largest share of the city
        first: `lj-facts city [WORD...] --json`."""
        answer = answers.city(self._index, _words(words))
        rows = facts_listing(answer.facts, self._index.city_figures, Query(), True).rows
        return Records(map(ComparedFact.from_row, rows), ComparedFact.field_names(), answer.title, answer.notes)

    def series(self, *words: str | Iterable[str]) -> Records[SeriesPoint]:
        """An indicator over time (named by slug, English or Chinese name, or found by words), oldest first,
        each stated growth checked against the levels: `lj-facts series INDICATOR --json`. A growth that
        differs is a warning in `notes`, as the CLI says it on stderr."""
        from . import series as lining

        indicator, points, said = answers.series(self._index, _words(words))
        warnings = tuple(f"warning: {lining.describe(p)}" for p in points if p.check == "differs")
        rows = [lining.row(p, indicator) for p in points]
        title = f"{indicator.label} · {indicator.label_zh}"
        return Records(map(SeriesPoint.from_row, rows), SeriesPoint.field_names(), title, said + warnings)

    def _facts(self, answer: answers.Answer, city: bool, limit: int | None = None) -> Records[Fact]:
        """The rows of an answer as the CLI lists them (the figures after the facts), as records."""
        listed = facts_and_figures(answer.facts, answer.figures, self._index.city_figures, Query(limit=limit), city)
        kind = ComparedFact if city else Fact
        return Records(map(kind.from_row, listed.rows), kind.field_names(), answer.title, answer.notes)


def load(paths: PathLike | Iterable[PathLike] | None = None, *, cache: bool = True) -> Base:
    """Open a knowledge base: a knowledge file, a folder of them (`*.toml`), or several (a list), as
    `--file` takes them; None: the base that comes with lj-facts (`LJ_FACTS_FILE` is the CLI's, not read here).

    The index is cached in the CLI's cache folder unless `cache=False`. A file that cannot be read or does
    not hold is a `KnowledgeFileError` with the message `lj-facts` prints.
    """
    from .index import cache_for, open_index, shipped_base
    from .load import knowledge_files

    if paths is None:
        files = shipped_base()
    elif isinstance(paths, (str, os.PathLike)):
        files = [Path(paths)]
    else:
        files = [Path(p) for p in paths]
        if not files:
            raise UsageError("load needs a knowledge file, a folder of them, or None for the shipped base")
    index = open_index(files, cache_for(files) if cache else None)
    return Base(index, knowledge_files(files))

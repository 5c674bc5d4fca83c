"""Filter, sort, limit and pick the fields of a listing: pure functions over rows.

Every listing (a topic, a search, `list`, `city`, `growth`, `show`, `topics`) goes through
`arrange`, so the options mean the same everywhere. Rows are the dicts of the machine formats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from . import fields
from .errors import UsageError, count, one_line
from .model import CityFigure, Fact
from .suggest import unknown_field
from .where import Condition, keep
from .where import check as check_where

if TYPE_CHECKING:
    from .compare import Comparison
    from .index import Index

Row = dict[str, Any]


class Query(NamedTuple):
    """What a listing's options ask for."""

    topics: tuple[str, ...] = ()
    """Keep facts under any of these topic slugs."""
    period: str | None = None
    """Keep facts of this period."""
    kind: str | None = None
    """Keep `number` or `claim` facts."""
    has: tuple[str, ...] = ()
    """Keep rows where each of these fields has a value."""
    sort: str | None = None
    """Sort by this field (missing values last)."""
    reverse: bool = False
    """Largest first; without `sort`, the listing's own order backwards."""
    limit: int | None = None
    """At most this many rows."""
    fields: tuple[str, ...] = ()
    """The columns, in this order; empty: the listing's own."""
    where: tuple[Condition, ...] = ()
    """Keep rows where each of these comparisons holds (`where`)."""

    def named(self) -> list[tuple[str, str]]:
        """Every field the query names, with the option that names it."""
        return [
            *(("--fields", f) for f in self.fields),
            *(("--has", f) for f in self.has),
            *([("--sort", self.sort)] if self.sort else []),
            *(("--where", c.field) for c in self.where),
        ]


FILTERS = {"--topic": "topics", "--period": "period", "--kind": "kind"}
"""The filter options and the field each reads."""


def _shown(name: str) -> str:
    """A name the user gave, quoted for a message; bytes that are not UTF-8 shown escaped (`\\xff`)."""
    from .text import is_text
    from .writers import printable

    return repr(name) if is_text(name) else f"'{printable(one_line(name))}' (not UTF-8 text)"


def check(query: Query, available: Sequence[str]) -> None:
    """Raise a UsageError for a field the listing does not have, naming the valid ones, and for a field
    `--fields` names twice (a repeated column is a typo more often than a wish)."""
    check_where(query.where, available)  # first: its message quotes the whole comparison
    for option, name in query.named():
        if name not in available:
            raise UsageError(unknown_field(option, name, available))
    twice = [name for n, name in enumerate(query.fields) if name in query.fields[:n]]
    if twice:
        raise UsageError(f"--fields: {_shown(twice[0])} is named twice; name each field once")
    asked = {"--topic": query.topics, "--period": query.period, "--kind": query.kind}
    for option, value in asked.items():
        if value and FILTERS[option] not in available:
            raise UsageError(f"{option} does not apply to this listing: its rows have no {FILTERS[option]!r}")
    if query.kind and query.kind not in ("number", "claim"):
        raise UsageError(f"--kind: {query.kind!r} is not one of number, claim")
    if query.limit is not None and query.limit < 0:
        raise UsageError(f"--limit: {query.limit} is below 0")


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _keep(row: Row, query: Query) -> bool:
    if query.topics and not set(query.topics) & set(row["topics"]):
        return False
    if query.period and row["period"] != query.period:
        return False
    if query.kind and row["kind"] != query.kind:
        return False
    return all(_present(row.get(name)) for name in query.has) and keep(row, query.where)


def _key(value: Any, numeric: bool) -> Any:
    if numeric:
        return float(value)
    if isinstance(value, list):
        return ",".join(value).casefold()
    return str(value).casefold()


def other_span(row: Row) -> bool:
    """Whether the row's growth spans several years, not one: never ranked among year-on-year growth."""
    return row.get("growth_span_years") not in (None, 1)


def arrange(rows: Sequence[Row], query: Query) -> list[int]:
    """The positions of the rows to show, in the order to show them.

    Filters first, then the sort: numbers as numbers, text case-insensitively, rows without the
    field last whatever the direction, ties in the listing's order. Sorting by `growth_pct` ranks
    year-on-year growth first and growth over other spans (`growth_span_years`) after it, apart.
    """
    filtered = query.topics or query.period or query.kind or query.has or query.where
    kept = [i for i, row in enumerate(rows) if _keep(row, query)] if filtered else list(range(len(rows)))
    if query.sort:
        name = query.sort
        field = fields.BY_NAME.get(name)
        numeric = bool(field and field.numeric)
        with_value = [i for i in kept if _present(rows[i].get(name))]
        missing = [i for i in kept if not _present(rows[i].get(name))]
        groups = [with_value]
        if name == "growth_pct":
            groups = [
                [i for i in with_value if not other_span(rows[i])],
                [i for i in with_value if other_span(rows[i])],
            ]
        kept = []
        for group in groups:
            kept += sorted(group, key=lambda i: _key(rows[i][name], numeric), reverse=query.reverse)
        kept += missing
    elif query.reverse:
        kept.reverse()  # `-r` alone: the listing's own order, backwards
    return kept[: query.limit] if query.limit is not None else kept


UNIT_OF = {"value": "unit", "value_base": "base_unit"}
"""The fields whose numbers mean nothing side by side unless a second field (their unit) is the same."""


def sort_note(rows: Sequence[Row], query: Query, columns: Sequence[str] = ()) -> str | None:
    """What to tell a user whose `--sort` ranks figures of different units together (the order is kept:
    it is what was asked for), or None. It asks to show the unit only where `columns`, those printed,
    leave it out."""
    name = query.sort or ""
    unit = UNIT_OF.get(name)
    if unit is None:
        return None
    units = list(
        dict.fromkeys(
            str(row.get(unit))
            for row in rows
            if _keep(row, query) and _present(row.get(name)) and _present(row.get(unit))
        )
    )
    if len(units) < 2:
        return None
    shown = ", ".join(units[:4]) + (", …" if len(units) > 4 else "")
    what = "units" if unit == "unit" else "base units"
    show = "" if unit in columns else f", or show {unit} with --fields {','.join([*columns, unit])}"
    return (
        f"note: --sort {name} ranks figures of different {what} together ({shown}): "
        f"keep to one with --topic or --has{show}"
    )


def span_note(
    rows: Sequence[Row], query: Query, columns: Sequence[str], growth: bool = False, marked: bool = False
) -> str | None:
    """What to tell a user whose listing prints, sorts or filters on `growth_pct` and holds growth over
    other spans than one year, where the columns printed leave out `growth_span_years` (a script would
    read 100 over 5 years as 100 a year), or None. `rows` are those printed, with every field; `growth`
    says the listing is one of growth rates (`lj-facts growth`); `marked`, that the format marks such a
    growth in its `growth_pct` column (`100%/5y` in a table)."""
    if "growth_span_years" in columns or (marked and "growth_pct" in columns):
        return None
    sorted_apart = growth or query.sort == "growth_pct"
    filtered = "growth_pct" in query.has or any(c.field == "growth_pct" for c in query.where)
    if not (sorted_apart or "growth_pct" in columns or filtered):
        return None
    spans = [r for r in rows if _present(r.get("growth_pct")) and other_span(r)]
    if not spans:
        return None
    which = ", ".join(f"{r['id']}: {r['growth_span_years']} years" for r in spans[:3])
    which += ", …" if len(spans) > 3 else ""
    apart = ", listed after the year-on-year rates" if sorted_apart else ""
    return (
        f"note: growth_pct spans other than one year in {count(len(spans), 'row')} ({which}){apart}: "
        f"show the span with --fields {','.join([*columns, 'growth_span_years'])}"
    )


def _has_exactly(rows: Sequence[Row], columns: Sequence[str]) -> bool:
    """Whether the rows (all made alike) already hold these keys in this order: then nothing is picked,
    a copy a row saved (a search printing 80,000 facts makes 80,000 rows)."""
    return not rows or list(rows[0]) == list(columns)


def project(row: Row, columns: Sequence[str]) -> Row:
    """The row with just these keys, in this order."""
    return {name: row.get(name) for name in columns}


class FactListing(NamedTuple):
    """Facts to show, with their city comparisons and rows, after the options did their work."""

    facts: list[Fact]
    comparisons: list[Comparison | None] | None
    """None where the listing has no city comparison."""
    rows: list[Row]
    """Rows of exactly `columns`."""
    columns: tuple[str, ...]
    picked: bool
    """Whether `--fields` chose the columns."""
    note: str | None = None
    """What the user should know of the order (see `sort_note`), for stderr."""
    whole: Sequence[Row] = ()
    """The rows with every field, in the order of `rows` (`rows` themselves where nothing was picked):
    the figures of a picked table are marked from them."""


def facts_listing(
    facts: Sequence[Fact], city_figures: Mapping[str, CityFigure], query: Query, city: bool = False
) -> FactListing:
    """Compare (where asked or where a city field is named), filter, sort, limit and pick the fields."""
    from .rows import fact_row

    available = fields.names(fields.FACT) + fields.names(fields.CITY)
    check(query, available)
    city_names = set(fields.names(fields.CITY))
    city = city or any(name in city_names for _, name in query.named())
    comparisons: list[Comparison | None] | None = None
    if city:
        from .compare import compare

        comparisons = [compare(f, city_figures) for f in facts]
    rows = [fact_row(f, comparisons[i] if comparisons else None, city) for i, f in enumerate(facts)]
    order = arrange(rows, query)
    columns = query.fields or (available if city else fields.names(fields.FACT))
    whole = [rows[i] for i in order]
    exactly = _has_exactly(rows, columns)
    return FactListing(
        [facts[i] for i in order],
        [comparisons[i] for i in order] if comparisons is not None else None,
        whole if exactly else [project(row, columns) for row in whole],
        columns,
        bool(query.fields),
        sort_note(rows, query, columns),
        whole,
    )


class FactsAndFigures(NamedTuple):
    """A listing of facts with the published city figures found with them, after the facts (`search`)."""

    facts: FactListing
    figure_rows: list[Row]
    """Every figure as a row of the fact and city columns: what the filters and the sort read."""
    figures: list[Row]
    """The figures' rows kept, of the listing's columns, to write after the facts."""
    query: Query
    """The query the figures were listed by: `-n` counts the facts before them."""

    @property
    def rows(self) -> list[Row]:
        """The rows to write: the facts', then the figures'."""
        return self.facts.rows + self.figures


def facts_and_figures(
    facts: Sequence[Fact],
    figures: Sequence[CityFigure],
    city_figures: Mapping[str, CityFigure],
    query: Query,
    city: bool = False,
) -> FactsAndFigures:
    """`facts_listing` of the facts, then the figures as rows of the same columns, filtered and sorted
    apart; `-n` counts both."""
    from .rows import CITY_COLUMNS, FACT_COLUMNS, city_figure_fact_row

    shown = facts_listing(facts, city_figures, query, city)
    figure_rows = [city_figure_fact_row(p, True) for p in figures]
    room = None if query.limit is None else max(0, query.limit - len(shown.facts))
    rest = query._replace(limit=room)
    kept = rows_listing(figure_rows, FACT_COLUMNS + CITY_COLUMNS, rest, shown.columns)[0]
    return FactsAndFigures(shown, figure_rows, kept, rest)


def rows_listing(
    rows: Sequence[Row], available: Sequence[str], query: Query, columns: Sequence[str] = ()
) -> tuple[list[Row], tuple[str, ...]]:
    """Any other listing's rows (`topics`) filtered, sorted, limited and picked.

    `available` are the fields of the whole rows: the filters and the sort read them before the
    columns (`--fields`, else `columns`, else all of them) are picked, so that a filter works on a
    field the output leaves out.
    """
    check(query, available)
    picked = tuple(query.fields or columns or available)
    return [project(rows[i], picked) for i in arrange(rows, query)], picked


def resolve_topics(index: Index, asked: Sequence[str]) -> tuple[str, ...]:
    """The slugs of the topics `--topic` names, each as the TOPIC command takes it (slug, English or
    Chinese name, alias, any case, full-width); an unknown one is a UsageError naming the valid slugs."""
    from .writers import printable

    slugs = []
    for name in asked:
        topic = index.topic(name)
        if topic is None:
            valid = ", ".join(t.slug for t, _ in index.topics())
            raise UsageError(f"--topic: no topic '{printable(one_line(name))}'; valid topics: {valid}")
        slugs.append(topic.slug)
    return tuple(dict.fromkeys(slugs))


def normal_period(value: str) -> str:
    """A `--period` as the knowledge file writes it (`2021-h1` is `2021-H1`); a UsageError where it is
    no period at all."""
    from .load import PERIOD
    from .model import NOT_GIVEN
    from .writers import printable

    period = value.strip()
    period = period.lower() if period.lower() in ("per-year", NOT_GIVEN) else period.upper()
    if not PERIOD.match(period):
        raise UsageError(
            f"--period: '{printable(one_line(value))}' is not a period (2021-H1, 2021-Q2, 2021-06, 2021-06-30, "
            f"2021, 2020/2021, per-year, {NOT_GIVEN})"
        )
    return period


def resolve_ids(index: Index, asked: Sequence[str]) -> list[Fact | CityFigure]:
    """The facts (or published city figures) of these ids, in the order asked (repeats kept); every
    unknown id named in one error. The one place an id given by a user is resolved.

    All or nothing: where an id is unknown nothing is returned, so a script never gets some rows
    and a partial answer it might take for the whole one.
    """
    from .errors import NotFoundError
    from .search import closest_ids
    from .text import is_text
    from .writers import printable

    wanted = [a.strip().lower() for a in asked]  # ids are lowercase (the schema's rule): CITY.GDP is city.gdp
    found: dict[str, Fact | CityFigure] = {**index.facts(wanted)}
    found |= {a: index.city_figures[a] for a in wanted if a not in found and a in index.city_figures}
    unknown = list(dict.fromkeys(a for a in wanted if a not in found))
    if unknown:
        every = [*index.ids(), *index.city_figures] if len(unknown) <= 5 else []
        hints = []
        for a in unknown:
            close = closest_ids(every, a) if every else []
            shown = repr(a) if is_text(a) else f"'{printable(one_line(a))}' (not UTF-8 text)"
            hints.append(shown + (f" (did you mean: {', '.join(close)}?)" if close else ""))
        raise NotFoundError(f"no fact {', '.join(hints)}" if len(hints) == 1 else f"no facts {', '.join(hints)}")
    return [found[a] for a in wanted]


def growth_listing(
    facts: Sequence[Fact], city_figures: Mapping[str, CityFigure], query: Query
) -> tuple[FactListing, FactListing]:
    """Facts with a growth rate: year-on-year ones fastest first (or as `query` sorts), and apart from
    them, growth over other spans. Both compared with the city (its growth beside each)."""
    with_growth = [f for f in facts if f.growth_pct is not None]
    yearly = [f for f in with_growth if f.growth_span_years in (None, 1)]
    spans = [f for f in with_growth if f.growth_span_years not in (None, 1)]
    if not query.sort:
        query = query._replace(sort="growth_pct", reverse=not query.reverse)
    first = facts_listing(yearly, city_figures, query, True)
    room = None if query.limit is None else max(0, query.limit - len(first.facts))  # -n counts both tables
    return first, facts_listing(spans, city_figures, query._replace(limit=room), True)

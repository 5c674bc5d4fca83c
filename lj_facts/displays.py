"""Displays for people: the table and markdown views of a listing (`Display`), the text of a figure as
people read it, and the markdown writer. Only `table` draws them with Rich, and only when it runs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, NamedTuple

from . import fields
from .model import NOT_GIVEN, UNITS, CityFigure, Fact, Meta, Qualifier, Source, Topic

if TYPE_CHECKING:
    from .compare import Comparison
from .rows import EXACT_WHOLE, Row, number, positional
from .writers import cell, printable

SYMBOLS = {
    Qualifier.EXACT: "",
    Qualifier.OVER: ">",
    Qualifier.AT_LEAST: "≥",
    Qualifier.ABOUT: "≈",
    Qualifier.NEARLY: "≲",
}
"""How the table and markdown show a qualifier before a figure."""


def period_text(period: str | None) -> str:
    """A period as people read it: `not-given` is "not given"."""
    if period == NOT_GIVEN:
        return "not given"
    return period or ""


def _signed(x: float) -> str:
    return f"+{number(x)}" if x >= 0 else f"−{number(-x)}"


def value_text(fact: Fact) -> str:
    """ ">260 亿元", "2008.3 亿元", "#7 of 127" for a rank, "among 19" for a standing with no place, "" for a claim."""
    if fact.value is not None:
        unit = fact.unit or ""
        space = "" if unit == "%" else " "
        return f"{SYMBOLS[fact.qualifier]}{number(fact.value)}{space}{unit}"
    if fact.rank is not None:
        return f"#{fact.rank}" + (f" of {fact.rank_of}" if fact.rank_of else "")
    if fact.rank_of is not None:  # 位居前列 among 19: a standing, the report gives no place
        return f"among {fact.rank_of}"
    return ""


def growth_text(fact: Fact) -> str:
    """ "+41.1%", "≈+95%", "+100%/5y" (over 5 years), "Δ+2.5 pp" (a rate's change, not growth)."""
    if fact.growth_pct is not None:
        text = f"{SYMBOLS[fact.growth_qualifier]}{_signed(fact.growth_pct)}%"
        if fact.growth_span_years and fact.growth_span_years != 1:
            text += f"/{fact.growth_span_years}y"
        return text
    if fact.change_pp is not None:
        return f"{CHANGE}{_signed(fact.change_pp)} pp"  # under "Growth", marked so it is not read as growth
    return ""


def share_text(fact: Fact) -> str:
    """ "16.3%", "≲50%"."""
    if fact.city_share_pct is None:
        return ""
    return f"{SYMBOLS[fact.city_share_qualifier]}{number(fact.city_share_pct)}%"


class Column(NamedTuple):
    """A column of a listing for people (table and markdown)."""

    header: str
    figure: bool = False
    """Right-aligned, never wrapped."""
    wraps: bool = False
    """Prose: the first such column is the row's heading; the others are printed beneath it in a table."""


class Display(NamedTuple):
    """What a table or markdown renderer draws: titled rows of strings under columns."""

    columns: tuple[Column, ...]
    rows: list[list[str]]
    title: str = ""
    caption: str = ""
    pairs: bool = False
    """A card: a field and its value a line (`show`), not a listing."""
    notes: tuple[str, ...] = ()
    """Footnotes explaining marks in the rows (†, ‡): under the table, after it in markdown."""


def approx(x: float | None, signed: bool = False, toward: str = "") -> str:
    """A computed figure to a sensible precision: 12320.86 → 12,321, 87.0 → 87.0, −1.106 → −1.1.

    A bound is rounded toward its safe side (`toward` is its symbol): over 780.78 shows as >780,
    which holds, not >781, which the figures do not say; under 12.34 as <12.4.
    """
    if x is None:
        return ""
    if abs(x) >= 1e15:  # beyond what a double holds to the unit: its 15 significant digits, then zeros
        text = positional(float(f"{abs(x):.15g}"), ",").split(".")[0]
    else:
        step = 1 if abs(x) >= 100 else 0.1
        if toward in _LOWER_BOUNDS or toward in _UPPER_BOUNDS:
            import math

            rounded = math.floor(x / step + 1e-9) if toward in _LOWER_BOUNDS else math.ceil(x / step - 1e-9)
            x = rounded * step
        text = f"{abs(x):,.0f}" if step == 1 else f"{abs(x):.1f}"
    return ("−" if x < 0 else "+" if signed else "") + text


_LOWER_BOUNDS = (">", "≥")
_UPPER_BOUNDS = ("<", "≤")


def grouped(x: float | None) -> str:
    """A base-unit figure with thousands separators: 200,830,000,000."""
    if x is None:
        return ""
    if abs(x) >= EXACT_WHOLE or "e" in repr(float(x)):
        return positional(x, ",")
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


CHANGE = "Δ"
"""Marks a change of a rate in percentage points (change_pp), shown under Growth but not a growth."""
OTHER_PERIOD = "†"
"""Marks a city figure that covers another period than the fact beside it."""
CONTEXT = "‡"
"""Marks a fact (after its label) with city figures shown as context only, listed below the table: never a
figure, which the mark would say is not compared (the GDP compared with the city's, beside its sectors)."""
CONTEXT_NOTE = f"{CONTEXT} city figures shown as context only, not compared with the fact it follows (notes below)"
"""The caption's words for `CONTEXT`."""


def _mark(fact: Fact, c: Comparison | None) -> str:
    return OTHER_PERIOD if c is not None and c.periods_match(fact) is False else ""


def labelled(fact: Fact, c: Comparison | None) -> str:
    """The fact's label, with ‡ after it where city figures are shown beside it as context (notes below)."""
    return f"{fact.label} {CONTEXT}" if c is not None and c.context else fact.label


def city_total_text(fact: Fact, c: Comparison | None) -> str:
    """ "12,903.41 亿元*" published, "≈12,321 亿元" implied, "642.47 亿元*†" published for another period:
    thousands separated alike, published or implied, as in the Bounds beside them.

    A published figure that cannot be put in the fact's unit (the fact states a growth alone) is
    shown in its own unit.
    """
    if c is None:
        return ""
    if c.total is None:
        p = c.published
        if p is None or p.value is None:
            return _mark(fact, c)
        unit = f" {p.unit}" if p.unit and p.unit != "%" else ""
        return f"{grouped(p.value)}{unit}*{_mark(fact, c)}"
    unit = f" {fact.unit}" if fact.unit and fact.unit != "%" else ""
    if c.total_source == "published":
        return f"{grouped(c.total)}{unit}*{_mark(fact, c)}"
    from .compare import implied_direction

    symbol = _IMPLIED_SYMBOL[implied_direction(fact)]
    return f"{symbol}{approx(c.total, toward=symbol)}{unit}{_mark(fact, c)}"


_IMPLIED_SYMBOL = {"exact": "≈", "about": "≈", "over": ">", "at_least": "≥", "under": "<", "at_most": "≤"}
"""How an implied city total shows where the true total lies (`compare.implied_direction`, or the
`city_total_qualifier` of a row)."""
_IMPLIED_MEANING = {
    "≈": "value ÷ share, about",
    ">": "over value ÷ share",
    "≥": "at least value ÷ share",
    "<": "under value ÷ share",
    "≤": "at most value ÷ share",
}
"""What an implied city total is, by its symbol: the caption's and the `show` card's words alike."""
_BOUND = "the value or the share is qualified"
"""Why an implied city total is a bound, not about value ÷ share."""
_IMPLIED_NOTE = {
    symbol: f"{symbol} city total implied: {meaning}" + ("" if symbol == "≈" else f" ({_BOUND})")
    for symbol, meaning in _IMPLIED_MEANING.items()
}


def implied_total_text(fact: Fact, c: Comparison) -> str:
    """The implied city total as the city view shows it (">780 亿元", "≈12,321 亿元"), and what it is
    ("over value ÷ share; the value or the share is qualified"), for the `show` card."""
    from .compare import implied_direction

    symbol = _IMPLIED_SYMBOL[implied_direction(fact)]
    unit = f" {fact.unit}" if fact.unit and fact.unit != "%" else ""
    meaning = _IMPLIED_MEANING[symbol] + ("" if symbol == "≈" else f"; {_BOUND}")
    if c.implied_low is not None:
        meaning += f": between {approx(c.implied_low)} and {approx(c.implied_high)}"
    return f"{symbol}{approx(c.implied_total, toward=symbol)}{unit} ({meaning})"


def city_share_text(fact: Fact, c: Comparison | None) -> str:
    """The report's share ("16.3%"), else the one computed from the published city total, in brackets ("(36.0%)")."""
    if fact.city_share_pct is not None:
        return share_text(fact)
    if c is not None and c.computed_share_pct is not None:
        return f"({approx(c.computed_share_pct)}%){_mark(fact, c)}"
    return ""


def city_notes(facts: Sequence[Fact], comparisons: Sequence[Comparison | None]) -> tuple[str, ...]:
    """The footnotes of a city view: each fact beside a city figure of another period (†), then each
    city figure shown as context only, with the note that says how it differs (‡)."""
    periods, context = [], []
    for fact, c in zip(facts, comparisons, strict=True):
        if c is None:
            continue
        if c.published is not None and c.periods_match(fact) is False:
            periods.append(f"{OTHER_PERIOD} {fact.id}: {c.period_note(fact)} ({c.published.id})")
        for p in c.context:
            note = f" — {p.note}" if p.note else ""
            context.append(f"{CONTEXT} {fact.id}: city context, not compared: {figure_text(p)}{note}")
    return (*periods, *context)


def bounds_text(c: Comparison | None) -> str:
    """ "12,283–12,359": the implied total's bounds from the rounding of the printed figures."""
    if c is None or c.implied_low is None:
        return ""
    return f"{approx(c.implied_low)}–{approx(c.implied_high)}"


def city_growth_text(c: Comparison | None, fact: Fact | None = None) -> str:
    """ "+12.8%*" published, "+19%" implied by the report's gap, "+110%*†" published for another period."""
    if c is None or c.city_growth_pct is None:
        return ""
    if c.city_growth_source != "published":
        return f"{_signed(c.city_growth_pct)}%"
    return f"{_signed(c.city_growth_pct)}%*" + (_mark(fact, c) if fact is not None else "")


_QUALIFIED = {
    ">": "> over (余, 超, 突破)",
    "≥": "≥ at least (以上)",
    "≈": "≈ about (约)",
    "≲": "≲ nearly (近)",
}


def _notes(header: str, cell: str) -> list[str]:
    """What the symbols of one cell mean, for the caption."""
    notes = []
    figure = cell.rstrip(OTHER_PERIOD + CONTEXT)  # the marks come after the star
    published = figure.endswith("*")
    if not figure:  # a mark alone (‡ beside no city figure): nothing published nor implied to explain
        pass
    elif header in ("city_total", "city_total_implied"):  # a picked table's: a symbol only where implied
        if figure[:1] in _IMPLIED_NOTE:
            notes.append(_IMPLIED_NOTE[figure[:1]])
    elif header == "City total":
        notes.append("* published by the city" if published else _IMPLIED_NOTE.get(figure[:1], _IMPLIED_NOTE["≈"]))
    elif header == "City growth":
        notes.append(
            "* published by the city"
            if published
            else "city growth without *: the report's growth − its gap to the city"
        )
    elif header == "Bounds":
        notes.append("Bounds: the implied city total allowed by the rounding of the printed value and share")
    elif cell[:1] in _QUALIFIED:
        notes.append(_QUALIFIED[cell[:1]])
    span = re.search(r"%/(\d+)y$", cell) if header != "City total" else None
    if span:
        notes.append(f"%/{span[1]}y: growth over {span[1]} years (growth_span_years), not year on year")
    if cell.endswith(" pp"):
        notes.append("pp: percentage points")
    if cell.startswith("#"):
        notes.append("#7 of 127: a rank")
    if cell.startswith("among "):
        notes.append("among 19: a standing among 19, no place given")
    if cell.startswith(CHANGE):
        notes.append(f"{CHANGE}+2.5 pp: the change of a rate in percentage points (change_pp), not a growth")
    if OTHER_PERIOD in cell:
        notes.append(f"{OTHER_PERIOD} the city figure covers another period than the fact (notes below)")
    if cell.startswith("(") and "%)" in cell:
        notes.append("(36.0%) a share computed: value ÷ the published city total")
    return notes


def legend(display: Display) -> str:
    """Every symbol the display's figures show, explained: the table's and markdown's caption."""
    notes: dict[str, None] = {}
    for i, column in enumerate(display.columns):
        if column.figure:
            for row in display.rows:
                if row[i]:
                    notes.update(dict.fromkeys(_notes(column.header, row[i])))
    if any(note.startswith(CONTEXT) for note in display.notes):  # the ‡ after a fact's label
        notes[CONTEXT_NOTE] = None
    return "; ".join(notes)


def _captioned(display: Display) -> Display:
    symbols = legend(display)
    return display._replace(caption="\n".join(filter(None, [display.caption, symbols])))


def bar(share: float | None, width: int = 10) -> str:
    """A share of 0–100 % drawn in `width` cells of eighth blocks."""
    if share is None:
        return ""
    eighths = round(max(0.0, min(share, 100.0)) / 100 * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("" if rest == 0 else "▏▎▍▌▋▊▉"[rest - 1])


def sourced(display: Display, sources: Sequence[str], always: bool = False) -> Display:
    """`display` with a line naming each row's source beneath its words, where its rows come from more than
    one report (`always`: in any case, as `series`, whose rows are of several reports by nature)."""
    if not always and len(set(sources)) <= 1:
        return display
    columns = (*display.columns, Column("Source", wraps=True))
    return display._replace(columns=columns, rows=[[*r, s] for r, s in zip(display.rows, sources, strict=True)])


def facts_display(
    facts: Sequence[Fact], comparisons: Sequence[Comparison | None] | None = None, title: str = "", caption: str = ""
) -> Display:
    """Label, value, growth, city share, period (and the city comparison), id, the report's words."""
    columns = [Column("Fact", wraps=True), Column("Value", figure=True), Column("Growth", figure=True)]
    columns += [Column("City share", figure=True), Column("Period")]
    if comparisons is not None:
        columns += [Column("City total", figure=True), Column("Bounds", figure=True)]
        columns += [Column("City growth", figure=True)]
    columns += [Column("Id"), Column("Report says", wraps=True)]
    rows = []
    for i, fact in enumerate(facts):
        c = comparisons[i] if comparisons is not None else None
        share = city_share_text(fact, c) if comparisons is not None else share_text(fact)
        row = [labelled(fact, c), value_text(fact), growth_text(fact), share, period_text(fact.period)]
        if comparisons is not None:
            row += [city_total_text(fact, c), bounds_text(c), city_growth_text(c, fact)]
        rows.append([*row, fact.id, fact.text])
    notes = city_notes(facts, comparisons) if comparisons is not None else ()
    return _captioned(Display(tuple(columns), rows, title, caption, notes=notes))


def city_figures_display(rows: Sequence[Row], title: str = "", caption: str = "") -> Display:
    """The city's published figures (rows of CITY_FIGURE_COLUMNS): indicator, value, growth, period, publisher."""
    columns = (
        Column("Indicator", wraps=True),
        Column("Value", figure=True),
        Column("Growth", figure=True),
        Column("Period"),
        Column("Area"),
        Column("Id"),
        Column("Published", wraps=True),
        Column("Linked facts", wraps=True),
        Column("Context for", wraps=True),
        Column("Page", wraps=True),
    )
    lines = []
    for r in rows:
        unit = r["unit"] or ""
        value = f"{number(r['value'])}{'' if unit == '%' else ' '}{unit}" if r["value"] is not None else ""
        growth = f"{_signed(r['growth_pct'])}%" if r["growth_pct"] is not None else ""
        published = " ".join(x for x in (r["publisher"], r["date"]) if x) or "(see source)"
        linked = "linked: " + ", ".join(r["linked_facts"]) if r["linked_facts"] else ""
        context = "context for: " + ", ".join(r["context_facts"]) if r["context_facts"] else ""
        indicator = f"{r['label_zh']} {r['label']}"
        area, url = r["area"] or "", r["url"] or ""
        lines.append(
            [indicator, value, growth, period_text(r["period"]), area, r["id"], published, linked, context, url]
        )
    return _captioned(Display(columns, lines, title, caption))


def city_display(
    facts: Sequence[Fact], comparisons: Sequence[Comparison | None], title: str = "", caption: str = ""
) -> Display:
    """Each fact's weight in the city: the share as a bar, the city total and growth, the report's words."""
    from .compare import share_of_city

    columns = (
        Column("Fact", wraps=True),
        Column("Value", figure=True),
        Column("Share", figure=True),
        Column(""),
        Column("City total", figure=True),
        Column("Bounds", figure=True),
        Column("Growth", figure=True),
        Column("City growth", figure=True),
        Column("Period"),
        Column("Id"),
        Column("Note", wraps=True),
        Column("Report says", wraps=True),
    )
    rows = []
    for fact, c in zip(facts, comparisons, strict=True):
        note = (c.period_note(fact) if c else None) or fact.note or ""
        rows.append(
            [
                labelled(fact, c),
                value_text(fact),
                city_share_text(fact, c),
                bar(share_of_city(fact, c)),
                city_total_text(fact, c),
                bounds_text(c),
                growth_text(fact),
                city_growth_text(c, fact),
                period_text(fact.period),
                fact.id,
                note,
                fact.text,
            ]
        )
    whose = [("Growth: Liangjiang's", 6), ("City growth: the city's", 7)]  # only the columns shown
    said = "; ".join(words for words, at in whose if any(row[at] for row in rows))
    caption = " · ".join(filter(None, [caption, said]))
    bars = "█ the share of the city as a bar, 10 cells = 100%" if any(row[3] for row in rows) else ""
    notes = city_notes(facts, comparisons)
    return _captioned(Display(columns, rows, title, "\n".join(filter(None, [caption, bars])), notes=notes))


def growth_display(
    facts: Sequence[Fact], comparisons: Sequence[Comparison | None], title: str = "", caption: str = ""
) -> Display:
    """Growth as a bar chart, the city's growth beside each, the report's words beneath."""
    top = max((abs(f.growth_pct or 0) for f in facts), default=0) or 1
    columns = (
        Column("Fact", wraps=True),
        Column("Growth", figure=True),
        Column(""),
        Column("City growth", figure=True),
        Column("Period"),
        Column("Id"),
        Column("Report says", wraps=True),
    )
    rows = []
    for fact, c in zip(facts, comparisons, strict=True):
        growth = fact.growth_pct or 0
        drawn = bar(abs(growth) / top * 100, 20)
        rows.append(
            [
                labelled(fact, c),
                growth_text(fact),
                drawn if growth >= 0 else "░" * len(drawn),
                city_growth_text(c, fact),
                period_text(fact.period),
                fact.id,
                fact.text,
            ]
        )
    falls = any(f.growth_pct is not None and f.growth_pct < 0 for f in facts)
    bars = "█ growth as a bar, the longest the fastest" + ("; ░ a fall" if falls else "") if rows else ""
    notes = city_notes(facts, comparisons)  # the † its City growth column shows and the ‡ after a label, explained
    return _captioned(Display(columns, rows, title, "\n".join(filter(None, [caption, bars])), notes=notes))


def topics_display(rows: Sequence[Row], title: str = "") -> Display:
    columns = (
        Column("Topic"),
        Column("Name"),
        Column("中文"),
        Column("Facts", figure=True),
        Column("Aliases", wraps=True),
    )
    return Display(
        columns, [[r["slug"], r["name"], r["name_zh"], str(r["facts"]), ", ".join(r["aliases"])] for r in rows], title
    )


_QUALIFIED_BY = {
    "value": "qualifier",
    "value_base": "qualifier",
    "growth_pct": "growth_qualifier",
    "city_share_pct": "city_share_qualifier",
}
"""The figures of a row and the field that qualifies each: a picked table shows the qualifier's symbol."""
_SYMBOL_OF = {q.value: symbol for q, symbol in SYMBOLS.items()}


_COMPUTED = (
    "city_total_implied",
    "city_total_low",
    "city_total_high",
    "city_total_difference",
    "city_share_computed_pct",
    "city_growth_implied_pct",
)
"""Figures lj-facts computes (value ÷ share, a gap): the tables show them rounded, the machine formats whole."""


def _picked_cell(name: str, cell: str, whole: Row | None) -> str:
    """A figure of a picked table as the other tables show it: its qualifier's symbol before it (`>260`,
    `≥70`), an implied city total's side of value ÷ share (`>87`, `≈215`), a growth over several years
    marked (`100%/5y`), so that no bound and no growth over 5 years is read as an exact yearly figure."""
    if whole is None or not cell:
        return cell
    if name in _QUALIFIED_BY:
        cell = _SYMBOL_OF.get(whole.get(_QUALIFIED_BY[name]) or "", "") + cell
    elif name in ("city_total", "city_total_published") and whole.get("city_total_source") == "published":
        cell = grouped(whole[name])  # as the implied totals of the column: thousands separated
    elif name == "city_total" and whole.get("city_total_source") == "implied":
        symbol = _IMPLIED_SYMBOL.get(whole.get("city_total_qualifier") or "", "")
        cell = symbol + approx(whole[name], toward=symbol)
    elif name == "city_total_implied" and whole.get("qualifier") and whole.get("city_share_qualifier"):
        from .compare import direction

        symbol = _IMPLIED_SYMBOL[direction(Qualifier(whole["qualifier"]), Qualifier(whole["city_share_qualifier"]))]
        cell = symbol + approx(whole[name], toward=symbol)
    elif name in _COMPUTED and isinstance(whole.get(name), (int, float)) and not isinstance(whole[name], bool):
        cell = approx(whole[name])  # computed, not printed by anyone: to the precision the other tables show
    span = whole.get("growth_span_years")
    if name == "growth_pct" and span not in (None, 1):
        cell += f"%/{span}y"
    return cell


def picked_display(
    rows: Sequence[Row],
    columns: Sequence[str],
    title: str = "",
    caption: str = "",
    whole: Sequence[Row | None] | None = None,
) -> Display:
    """The rows under exactly the columns `--fields` named, in that order; prose wraps, figures align right.

    `whole` (each row with every field, None for a row to show as it is) marks the figures as the
    other tables do: a qualified figure or implied city total with its symbol (`>260`, `≈215`), growth
    over several years (`100%/5y`), so it is never read as exact or year-on-year; the caption says
    what each mark means.
    """
    heads = []
    for name in columns:
        field = fields.BY_NAME[name]
        heads.append(Column(name, figure=field.numeric, wraps=field.long))
    shown = []
    for n, r in enumerate(rows):
        full = whole[n] if whole else None
        shown.append(
            [
                _picked_cell(name, cell(r[name]), full)
                if fields.BY_NAME[name].type != "list"
                else ", ".join(r[name] or ())
                for name in columns
            ]
        )
    return _captioned(Display(tuple(heads), shown, title, caption))


def figure_text(p: CityFigure) -> str:
    """ "地区生产总值: 12903.41 亿元, growth +12.8%, 2021-H1, 重庆市 (city.gdp)"."""
    space = "" if p.unit == "%" else " "
    parts = [f"{number(p.value)}{space}{p.unit}"] if p.value is not None else []
    parts += [f"growth {_signed(p.growth_pct)}%"] if p.growth_pct is not None else []
    parts += [p.period] + ([p.area] if p.area else [])
    return f"{p.label_zh}: {', '.join(parts)} ({p.id})"


def source_lines(source: Source | None, meta: Meta) -> list[tuple[str, str]]:
    """Where the fact is quoted from, saying plainly what the document does not name."""
    if source is None:
        return [("Source", meta.title), ("Period inference", meta.period_inference)]
    lines = [
        ("Source", f"{source.title} ({source.id})"),
        ("Publisher", source.publisher or "not named in the text"),
        ("Date", source.date or "not printed"),
    ]
    if source.url:
        lines.append(("URL", source.url))
    if source.note:
        lines.append(("Source note", source.note))
    lines.append(("Period inference", source.period_inference or meta.period_inference))
    return lines


def card_display(
    fact: Fact,
    c: Comparison | None,
    topics: Mapping[str, Topic],
    meta: Meta,
    source: Source | None = None,
) -> Display:
    """Everything about one fact, a field a row: its figures, the city comparison, the city figures
    shown as context, its topics, the quote and its source."""
    unit = UNITS[fact.unit] if fact.unit else None
    lines: list[tuple[str, str]] = [("Label", fact.label), ("Id", fact.id), ("Kind", fact.kind.value)]
    if fact.value is not None and unit is not None:
        lines.append(("Value", f"{value_text(fact)} ({unit.english})"))
        lines.append(
            ("In base units", f"{number(fact.value)} {unit.name} = {grouped(fact.value_base)} {unit.base_unit}")
        )
        lines.append(("Qualifier", fact.qualifier.value))
    lines.append(("Period", period_text(fact.period)))
    if fact.growth_pct is not None:
        span = f"over {fact.growth_span_years} years" if fact.growth_span_years else "year on year"
        lines.append(("Growth", f"{growth_text(fact)} {span} ({fact.growth_qualifier.value})"))
    if fact.change_pp is not None:
        lines.append(("Change", f"{_signed(fact.change_pp)} percentage points (the change of a rate, not a growth)"))
    if fact.rank is not None:
        lines.append(("Rank", value_text(fact._replace(value=None))))
    elif fact.rank_of is not None:
        lines.append(("Rank", f"among {fact.rank_of}, no place given"))
    if fact.city_share_pct is not None:
        lines.append(("Share of city", f"{share_text(fact)} ({fact.city_share_qualifier.value})"))
    if fact.city_share_change_pp is not None:
        lines.append(("Share change", f"{_signed(fact.city_share_change_pp)} percentage points"))
    if fact.city_growth_gap_pp is not None:
        lines.append(("Growth above city", f"{_signed(fact.city_growth_gap_pp)} percentage points"))
    if c is not None:
        if c.implied_total is not None:
            lines.append(("City total implied", implied_total_text(fact, c)))
        if c.published is not None:
            p = c.published
            lines.append(("City figure", figure_text(p) + _mark(fact, c)))
            lines.append(("City figure source", p.source))
            if p.url:
                lines.append(("City figure page", p.url))
        if c.difference is not None:
            lines.append(("Published − implied", f"{approx(c.difference, signed=True)} {fact.unit}"))
        if c.computed_share_pct is not None:
            lines.append(
                ("Share of city computed", f"({approx(c.computed_share_pct)}%) (value ÷ published city total)")
            )
        if c.city_growth_pct is not None:
            lines.append(("City growth", f"{_signed(c.city_growth_pct)}% ({c.city_growth_source})"))
        if c.implied_growth_pct is not None and c.city_growth_source == "published":
            lines.append(("City growth implied", f"{_signed(c.implied_growth_pct)}% (growth − gap)"))
        if c.period_note(fact):
            lines.append(("Beware", f"{OTHER_PERIOD} {c.period_note(fact)}"))
        for p in c.context:
            lines.append(("City context", figure_text(p) + (f" — {p.note}" if p.note else "")))
    names = ", ".join(f"{topics[t].name} ({topics[t].name_zh})" for t in fact.topics if t in topics)
    lines += [("Topics", names)]
    if fact.note:
        lines.append(("Note", fact.note))
    lines.append(("Report says", fact.text))
    lines += source_lines(source, meta)
    return Display((Column("Field"), Column("Value", wraps=True)), [list(line) for line in lines], pairs=True)


def city_figure_card(figure: CityFigure, linked: Sequence[str], context: Sequence[str]) -> Display:
    """Everything about one published city figure, a field a row."""
    unit = UNITS[figure.unit] if figure.unit else None
    lines: list[tuple[str, str]] = [
        ("Indicator", f"{figure.label_zh} ({figure.label})"),
        ("Id", figure.id),
        ("Kind", "city figure: published by the city, not from the report"),
    ]
    if figure.value is not None and unit is not None:
        lines.append(("Value", f"{number(figure.value)} {unit.name} ({unit.english})"))
        base = grouped(unit.to_base(figure.value))
        lines.append(("In base units", f"{number(figure.value)} {unit.name} = {base} {unit.base_unit}"))
    if figure.growth_pct is not None:
        lines.append(("Growth", f"{_signed(figure.growth_pct)}% year on year"))
    lines += [("Period", period_text(figure.period)), ("Area", figure.area or "")]
    lines.append(("Publisher", figure.publisher or "not recorded"))
    lines.append(("Date", figure.date or "not recorded"))
    lines.append(("Page", figure.url or "not recorded"))
    lines.append(("Source", figure.source))
    if figure.note:
        lines.append(("Note", figure.note))
    lines.append(("Linked facts", ", ".join(linked) or "none"))
    if context:
        lines.append(("Context for", ", ".join(context)))
    return Display((Column("Field"), Column("Value", wraps=True)), [list(line) for line in lines], pairs=True)


_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL = r"[\\`*\[\]|~#&<>]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])"
"""What Markdown would read as markup; `_` inside a word (growth_span_years, a URL) is none in GFM."""
_MD_BLOCK_START = r"^(\s*)(?:([-+])(?=\s|$)|([-=])(?=[-=\s]*$)|(\d{1,9})([.)])(?=\s|$))"


def markdown_text(text: str, line: bool = False) -> str:
    """Text from a knowledge file made literal in Markdown: no HTML (`<img …>`), no link (`[x](…)`), no
    emphasis, code, table cell break or heading; a `line` of its own starts no list and no rule either."""
    text = re.compile(_MD_SPECIAL).sub(lambda m: _MD_ESCAPES.get(m[0], "\\" + m[0]), printable(text))
    if line:
        text = re.compile(_MD_BLOCK_START).sub(
            lambda m: m[1] + (f"\\{m[2] or m[3]}" if m[4] is None else f"{m[4]}\\{m[5]}"), text, count=1
        )
    return text


def write_markdown(display: Display, out: IO[str], header: bool = True) -> None:
    """A GitHub-flavoured Markdown table of every column, under the display's title, with its caption
    (the source and the key to the symbols) and its footnotes after it, as the table format prints them.
    Without the header, the rows alone (to add to a table)."""

    def cell(text: str) -> str:
        return markdown_text(text.replace("\n", " "))

    def lines(text: str) -> str:
        return "".join(f"{markdown_text(line, True)}  \n" for line in text.splitlines() if line.strip())

    if header and display.title:
        out.write(f"### {cell(display.title)}\n\n")
    if header:
        out.write("| " + " | ".join(cell(c.header) for c in display.columns) + " |\n")
        out.write("|" + "|".join("---:" if c.figure else "---" for c in display.columns) + "|\n")
    for row in display.rows:
        out.write("| " + " | ".join(cell(t) for t in row) + " |\n")
    if header and display.caption:
        out.write("\n" + lines(display.caption))
    if header and display.notes:  # the marks in the rows explained, as the table's caption does
        out.write("\n" + "".join(lines(note) for note in display.notes))

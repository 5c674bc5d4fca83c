"""What `lj-facts --help` says after the commands: topics, examples, symbols and the listing options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .index import Index

EXAMPLES = (
    ("lj-facts industry", "the facts of a topic (slug or name: 工业, Industry)"),
    ("lj-facts search 新能源汽车 --city", "a search, with the comparison with the city"),
    ("lj-facts list --has growth_pct --sort growth_pct -r -n 10", "which grew fastest"),
    ("lj-facts growth auto", "growth rates as a bar chart, the city's beside them"),
    ("lj-facts city", "Liangjiang's weight in Chongqing, topic by topic"),
    ("lj-facts show industry.gross-output trade.foreign-trade", "everything about some facts"),
    ("lj-facts --csv --fields id,value,growth_pct industry", "just these columns, for a spreadsheet"),
)
"""The examples of `lj-facts --help`: real commands, tested."""

SYMBOLS = (
    ("> ≥ ≈ ≲", "over (余, 超), at least (以上), about (约), nearly (近): as the report qualifies a figure"),
    (
        "≈215 >780",
        "a city total implied: value ÷ share, about (≈), or a bound where the value or share is qualified: "
        "over (>), at least (≥), under (<), at most (≤)",
    ),
    (
        "3,766*",
        "published by the city (重庆市), not the report; a city growth without *: the report's growth − its gap",
    ),
    ("12,283–12,359", "Bounds: the implied city total the rounding of the printed value and share allows"),
    ("(36.0%)", "a share of the city computed: value ÷ the published city total"),
    ("†", "the city figure covers another period than the fact (a note under the table says which)"),
    ("‡", "after a fact: city figures shown as context only, not compared with it (notes under the table)"),
    ("+100%/5y", "growth over 5 years, not year on year: listed and sorted apart"),
    ("Δ+2.5 pp", "the change of a rate, not a growth"),
    ("pp", "percentage points"),
    ("#7 of 127", "a rank: 7th of 127"),
    ("among 19", "a standing among 19, no place given"),
    ("█▌ ░", "bars: the share of the city (10 cells = 100%), or growth (the longest the fastest; ░ a fall)"),
    ("not given", "a period the report does not give"),
)
"""The symbols of the table, explained in `lj-facts --help` (and in each table's caption)."""


def write_epilog(formatter: Any, index: Index | None) -> None:
    """Topics (of `index`, where there is one), examples and symbols: the help teaches the tool."""
    from .commands import listings
    from .table import wrap  # by the cells a line takes: Click counts a Chinese character as one column

    if index is not None:
        with formatter.section("Topics (lj-facts TOPIC)"):
            from rich.cells import cell_len

            from .errors import one_line
            from .writers import printable

            lines, room = [""], formatter.width - formatter.current_indent
            for t, _ in index.topics():  # as many a line as fit, a topic never split
                name = printable(one_line(f"{t.slug} {t.name_zh}"))  # a name from the file never drives the terminal
                if lines[-1] and cell_len(f"{lines[-1]}, {name},") > room:
                    lines[-1] += ","
                    lines.append("")
                lines[-1] += f", {name}" if lines[-1] else name
            formatter.write("".join(" " * formatter.current_indent + line + "\n" for line in lines))
    with formatter.section("Examples"):
        indent = " " * formatter.current_indent
        for example, meaning in EXAMPLES:  # a line each: Click would misalign the Chinese ones in two columns
            formatter.write(f"{indent}{example}\n{indent}    {meaning}\n")
    with formatter.section("Symbols"):
        term = max(len(symbol) for symbol, _ in SYMBOLS) + 2
        room = max(formatter.width - formatter.current_indent - term, 30)
        for symbol, meaning in SYMBOLS:
            lines = wrap(meaning, room)
            formatter.write(" " * formatter.current_indent + symbol.ljust(term) + lines[0] + "\n")
            formatter.write("".join(" " * (formatter.current_indent + term) + line + "\n" for line in lines[1:]))
    formatter.write_paragraph()
    formatter.write_text(
        f"Every listing ({', '.join(listings())}) takes "
        "--format/--json/--csv/--tsv/--nl, --fields, --sort, -r, -n, --has and --where, before or after the "
        "command; the listings of facts also --topic, --period, --kind and --city. `lj-facts list -h` tells "
        "them all. `lj-facts WORD...` searches when WORD is no topic."
    )

"""Regenerate docs/industry.svg, the picture of `lj-facts industry` in the README.

Run from the checkout with lj-facts installed: python docs/screenshot.py
"""

import io
from pathlib import Path

from rich.console import Console
from rich.text import Text

from lj_facts.displays import facts_display
from lj_facts.index import open_index, shipped_path
from lj_facts.table import render_lines

WIDTH = 100
ROWS = 6

index = open_index(shipped_path(), None)
topic = index.topic("industry")
assert topic is not None
facts = index.topic_facts(topic.slug)
caption = f"first {ROWS} of {len(facts)} facts · {index.meta.region} ({index.meta.region_zh})"
display = facts_display(facts[:ROWS], None, f"{topic.name} · {topic.name_zh}", caption)
console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True)
console.print("$ lj-facts industry", style="bold")
console.print(Text.from_ansi("\n".join(render_lines(display, WIDTH, color=True))))
target = Path(__file__).with_name("industry.svg")
target.write_text(console.export_svg(title="lj-facts industry"), encoding="utf-8")
print(f"wrote {target}")

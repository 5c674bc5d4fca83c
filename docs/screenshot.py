"""Regenerate docs/industry.svg, the picture of `lj-facts industry` in the README.

Run from the checkout with lj-facts installed: python docs/screenshot.py
"""

from pathlib import Path

from rich.console import Console

from lj_facts.load import load
from lj_facts.table import facts_table

WIDTH = 140

kb = load()
topic = kb.topics["industry"]
facts = kb.by_topic["industry"][:12]
console = Console(record=True, width=WIDTH, file=open("/dev/null", "w"))  # noqa: SIM115 - recorded, not shown
title = f"{topic.name} · {topic.name_zh} — {kb.meta.region} ({kb.meta.region_zh})"
console.print("$ lj-facts industry")
console.print(facts_table(facts, title, f"first 12 of {len(kb.by_topic['industry'])} facts", WIDTH))
target = Path(__file__).with_name("industry.svg")
target.write_text(console.export_svg(title="lj-facts industry"), encoding="utf-8")
print(f"wrote {target}")

"""Regenerate the pictures of the docs.

Run from the checkout with lj-facts installed:

    python docs/screenshot.py             # docs/industry.svg, `lj-facts industry` in a terminal (the README's)
    python docs/screenshot.py datasette   # docs/datasette.png, the export served by Datasette (docs/export.md)

The second exports the shipped base, serves it with Datasette on the loopback address and takes the
page with headless Chromium (Debian's package `chromium`; CJK fonts such as `fonts-noto-cjk` for the
Chinese); it needs `pip install datasette` (the test extra has it).
"""

import io
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from lj_facts.displays import facts_display
from lj_facts.index import open_index, shipped_path
from lj_facts.table import render_lines

WIDTH = 100
ROWS = 6


def industry() -> Path:
    """docs/industry.svg: the first facts of `lj-facts industry`, as a terminal shows them."""
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
    return target


SQL = """select id, label, text, value, unit, growth_pct, period
from facts
where rowid in (select rowid from facts_fts where facts_fts match '汽车 产值') and value is not null
order by period = 'not-given', period"""
"""What the picture shows: a full-text search in Chinese across the reports, as SQL (a table's page lists every column's
description above its rows, which would fill the picture)."""


def datasette(size: tuple[int, int] = (1400, 760)) -> Path:
    """docs/datasette.png: the export, served by Datasette, searched for 汽车 产值, taken by headless Chromium."""
    import shutil
    import socket
    import subprocess
    import tempfile
    import time
    import urllib.parse
    import urllib.request

    import lj_facts
    from lj_facts.export import export

    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        raise SystemExit("no Chromium: apt-get install chromium (Debian's package), then run this again")
    target = Path(__file__).with_name("datasette.png")
    with tempfile.TemporaryDirectory() as work:
        done = export(lj_facts.load(cache=False), Path(work) / "lj.db")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        serve = [sys.executable, "-m", "datasette", "serve", str(done.database), "-m", str(done.metadata)]
        server = subprocess.Popen(
            [*serve, "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/-/versions.json", timeout=5).close()
                    break
                except OSError:
                    time.sleep(0.1)
            url = f"{base}/lj?{urllib.parse.urlencode({'sql': SQL})}"
            shot = [
                browser,
                "--headless",
                "--no-sandbox",  # as root (a container) Chromium refuses to start sandboxed
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={work}/profile",
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={target}",
                url,
            ]
            subprocess.run(shot, check=True, capture_output=True, timeout=120)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return target


if __name__ == "__main__":
    made = datasette() if sys.argv[1:] == ["datasette"] else industry()
    print(f"wrote {made}")

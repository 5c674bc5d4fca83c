"""Benchmark a table of one huge cell: time grows with the text, not with its square (issue 20).

Run from a checkout with lj-facts installed (standard library only):

    python benchmarks/wide.py [--rounds N]

A copy of the shipped file gets one label of N characters with no place to break (`qqqq…`), for N of
250,000, 500,000 and 1,000,000. Each size is looked up as a table (80 columns) and as TSV (which does
no wrapping: the baseline, measured in the same run). Printed: the median seconds, the table's time
over the TSV's, and each table's time over the one of half its size (≈2 when wrapping is linear;
≈4 when it is quadratic, as it was).

Then the reader of reports (`figures.statements`, what `draft` and `validate` read a text with), in
this process: 10,000 and 20,000 sentences of figures, and 2 and 4 million characters with none,
each pair's time ratio (≈2: linear).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LJ = [sys.executable, "-m", "lj_facts"]
SIZES = (250_000, 500_000, 1_000_000)


def wide_file(folder: Path, size: int) -> Path:
    text = (ROOT / "facts.toml").read_text(encoding="utf-8")
    start = text.index('label = "')
    end = text.index("\n", start)
    path = folder / f"wide-{size}.toml"
    path.write_text(text[:start] + f'label = "{"q" * size}"' + text[end:], encoding="utf-8")
    return path


def timed(args: list[str]) -> float:
    env = {**os.environ, "COLUMNS": "80", "LJ_FACTS_NO_CACHE": "1"}
    start = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        files = {size: wide_file(Path(folder), size) for size in SIZES}
        times: dict[tuple[int, str], list[float]] = {}
        for _ in range(rounds):  # interleaved: the machine's drift hits every command alike
            for size, path in files.items():
                for fmt in ("table", "tsv"):
                    args = [*LJ, "list", "--file", str(path), "-f", fmt]
                    times.setdefault((size, fmt), []).append(timed(args))
    median = {key: statistics.median(values) for key, values in times.items()}
    print(f"{'label':>12}  {'table s':>8}  {'tsv s':>8}  {'table/tsv':>9}  {'table/half':>10}")
    for size in SIZES:
        table, tsv = median[size, "table"], median[size, "tsv"]
        half = median.get((size // 2, "table"))
        growth = f"{table / half:10.2f}" if half else f"{'':>10}"
        print(f"{size:>12,}  {table:8.3f}  {tsv:8.3f}  {table / tsv:9.2f}  {growth}")


def reader() -> None:
    from lj_facts.figures import statements

    unit = "两江新区规上工业总产值达2008.3亿元、增长41.1%，占全市的16.3%；新增市场主体1.2万户、增长42%。\n"
    print(f"\n{'report text':>24}  {'seconds':>8}  {'x2 / x1':>8}")
    for name, small, big in (
        ("sentences of figures", unit * 10_000, unit * 20_000),
        ("characters, no figure", "两" * 2_000_000, "两" * 4_000_000),
    ):
        times = []
        for text in (small, big):
            start = time.perf_counter()
            sum(1 for _ in statements(text))
            times.append(time.perf_counter() - start)
        print(f"{name:>24}  {times[0]:8.2f}  {times[1] / times[0]:8.2f}")
    import gc

    from lj_facts.draft import draft

    times = []
    for text in (unit * 10_000, unit * 20_000):  # as `lj-facts draft` runs it: no cyclic collection
        gc.disable()
        start = time.perf_counter()
        draft(text, "big.txt")
        times.append(time.perf_counter() - start)
        gc.enable()
    print(f"{'a draft of them':>24}  {times[0]:8.2f}  {times[1] / times[0]:8.2f}")


if __name__ == "__main__":
    main()
    reader()

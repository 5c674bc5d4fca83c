"""Benchmark a knowledge base of many files against one file (issue 16), interleaved in one run.

Run from a checkout with lj-facts installed (standard library only):

    python benchmarks/base.py [--rounds N] [--files N] [--per-file N]

Two goals:
- A look-up over a base of 10 reports (10 copies of `facts.toml`, each with its ids, city figures
  and sources prefixed `rK.`: 1,530 facts) against the same look-up of the shipped file alone:
  at most 1.1x. Both answer from a cache built beforehand.
- A base of `--files` files (100) of about `--per-file` facts (1,000) each: its first look-up
  builds one index (timed, and shown beside the build of one file of the same total size); the
  second does not build again (the cache holds one index); later look-ups answer as fast as a
  look-up of that one file, goal 1.1x.
Each measurement is a fresh process; the rounds interleave the commands compared; medians.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import LJ, compare, make_big_file, run

ROOT = Path(__file__).resolve().parent.parent
_ID = re.compile(r'^(id|city_figure) = "', re.M)
_CONTEXT = re.compile(r"^city_context = \[(.*)\]$", re.M)


def report_copy(text: str, k: int) -> str:
    """The knowledge file `text` with every id it defines or names prefixed `rK.`: one report of a base."""
    text = _ID.sub(lambda m: f'{m[1]} = "r{k}.', text)
    return _CONTEXT.sub(lambda m: "city_context = [" + re.sub(r'"([^"]+)"', rf'"r{k}.\1"', m[1]) + "]", text)


def write_base(folder: Path, files: int, source: Path) -> int:
    """`files` copies of the knowledge file `source` in `folder`; the number of facts in all."""
    folder.mkdir()
    text = source.read_text(encoding="utf-8")
    for k in range(files):
        path = folder / f"report-{k:03}.toml"
        path.write_text(report_copy(text, k), encoding="utf-8")
        aged(path)
    return files * text.count("[[facts]]")


def aged(path: Path) -> None:
    """The file's modification time an hour back, as a report's is: a file changed within two seconds
    of its index's build is hashed at every look-up (an edit in the same clock tick keeps its stat)."""
    past = time.time() - 3600
    os.utime(path, (past, past))


_SOURCES = re.compile(r"^\[\[sources\]\]\n.*?(?=^\[)", re.M | re.S)


def write_single(target: Path, base: Path) -> None:
    """One knowledge file holding what the files of the folder `base` hold: the first file's meta,
    topics and glossary, every file's sources, facts, city figures and set-asides."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(base.glob("*.toml"))]
    heads, rests = zip(*(t.partition("\n[[facts]]\n")[::2] for t in texts), strict=True)
    sources = "".join(m[0] for head in heads[1:] for m in _SOURCES.finditer(head))
    body = "".join("\n[[facts]]\n" + rest for rest in rests)
    target.write_text(heads[0] + "\n" + sources + body, encoding="utf-8")
    aged(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--per-file", type=int, default=1000)
    args = parser.parse_args()
    shipped = ROOT / "facts.toml"
    print(f"lj-facts base benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores; median of the rounds\n")
    met = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LJ_FACTS_")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env |= {"LJ_FACTS_CACHE_DIR": str(work / "cache"), "LJ_FACTS_PAGER": ""}

        ten = work / "ten"
        facts = write_base(ten, 10, shipped)
        print(f"a base of 10 reports: {facts:,} facts")
        for args_ in (
            ["industry", "-n", "10", "--json"],
            ["search", "汽车", "-n", "10", "--json"],
            ["show", "r3.trade.foreign-trade"],
        ):
            base_cmd = [LJ, *args_, "--file", str(ten)]
            one = [LJ, *[a.removeprefix("r3.") for a in args_], "--file", str(shipped)]
            run(base_cmd, env)  # the caches, built before the rounds
            run(one, env)
            met.append(
                compare(
                    f"look-up over 10 reports vs the shipped file: {args_[0]}", 1.1, base_cmd, one, env, args.rounds
                )
            )

        big = work / "big"
        big.mkdir()
        per_file_source = big / "one-report.toml"
        per = make_big_file(shipped, per_file_source, args.per_file)
        many = work / "many"
        total = write_base(many, args.files, per_file_source)
        single = work / "single.toml"
        write_single(single, many)
        print(f"\n{args.files} files of {per:,} facts ({total:,} in all) vs one file holding the same")
        first_many, _ = run([LJ, "industry", "--json", "--file", str(many)], env)
        first_one, _ = run([LJ, "industry", "--json", "--file", str(single)], env)
        print(
            f"{'first look-up (builds the index): many files, one file':<58} {first_many:8.2f} s  / {first_one:8.2f} s"
        )
        before = sorted(p.name for p in (work / "cache").glob("*.sqlite3"))
        second, _ = run([LJ, "industry", "--json", "--file", str(many)], env)
        after = sorted(p.name for p in (work / "cache").glob("*.sqlite3"))
        built_once = before == after
        print(
            f"{'second look-up of the many files':<58} {second * 1000:8.1f} ms  (index built again: {not built_once})"
        )
        met.append(built_once)
        for args_ in (["industry", "-n", "10", "--json"], ["search", "汽车", "-n", "10"]):
            met.append(
                compare(
                    f"later look-up, {args.files} files vs one file: {args_[0]}",
                    1.1,
                    [LJ, *args_, "--file", str(many)],
                    [LJ, *args_, "--file", str(single)],
                    env,
                    args.rounds,
                )
            )
    print(f"\n{sum(met)} of {len(met)} goals met")


if __name__ == "__main__":
    main()

"""Benchmark lj-facts against the imports it cannot avoid and against tomllib, interleaved in one run.

Run from a checkout with lj-facts installed (standard library only):

    python benchmarks/bench.py [--rounds N] [--facts N]

It builds a knowledge file of about 100,000 facts by copying the shipped facts with new ids and
new topic slugs (copy k of `industry.gross-output` is `industry-c7.gross-output` under the topic
`industry-c7`), so a look-up of the shipped topics or ids answers the same facts from both files
and the two are "the same kind of look-up". The searches use topic aliases the copies' topics do
not have (`FDI`, `社保`), so both files answer the same facts while the big one's whole search text
is scanned. Each measurement runs as a fresh process; the rounds interleave the commands
compared, and the median is reported.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
LJ = str(Path(PYTHON).with_name("lj-facts"))


def shipped_file() -> Path:
    out = subprocess.run(
        [PYTHON, "-c", "import lj_facts.index as i; print(i.shipped_path())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


_TOPICS_LINE = re.compile(r"^topics = \[(.*)\]$", re.M)


def make_big_file(shipped: Path, target: Path, wanted: int) -> int:
    """Copy the shipped facts (and topics) with new ids until about `wanted` facts; return the count."""
    text = shipped.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n[[facts]]\n")
    facts_part, _, city_part = ("[[facts]]\n" + rest).partition("\n# --- The city's published totals")
    topics = re.findall(r"^\[topics\.([a-z0-9-]+)\]\n(.*?)(?=^\[|\Z)", head, flags=re.M | re.S)
    per_copy = facts_part.count("[[facts]]")
    copies = max(0, wanted // per_copy - 1)
    slugs = re.compile('"(' + "|".join(re.escape(s) for s, _ in topics) + ')"')
    with target.open("w", encoding="utf-8") as out:
        out.write(head)
        for k in range(1, copies + 1):
            for name, body in topics:
                body = re.sub(r'^name = "(.*)"$', rf'name = "\1 (copy {k})"', body, flags=re.M)
                body = re.sub(r"^aliases = .*$", "aliases = []", body, flags=re.M)
                body = re.sub(r'^name_zh = "(.*)"$', rf'name_zh = "\1（副本{k}）"', body, flags=re.M)
                out.write(f"[topics.{name}-c{k}]\n{body}")
        out.write("\n" + facts_part)
        for k in range(1, copies + 1):
            copy = re.sub(r'^id = "([a-z0-9-]+)\.', rf'id = "\1-c{k}.', facts_part, flags=re.M)
            copy = _TOPICS_LINE.sub(lambda m, k=k: "topics = [" + slugs.sub(rf'"\1-c{k}"', m[1]) + "]", copy)
            out.write("\n" + copy)
        out.write("\n# --- The city's published totals" + city_part)
    return per_copy * (copies + 1)


def run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in KiB of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss


def compare(
    name: str,
    goal: float,
    subject: list[str],
    baseline: list[str],
    env: dict[str, str],
    rounds: int,
    memory: bool = False,
    before_subject=None,
) -> bool:
    times: dict[str, list[float]] = {"s": [], "b": []}
    peaks: dict[str, list[int]] = {"s": [], "b": []}
    for _ in range(rounds):
        for key, command in (("b", baseline), ("s", subject)):
            if key == "s" and before_subject:
                before_subject()
            elapsed, peak = run(command, env)
            times[key].append(elapsed)
            peaks[key].append(peak)
    s, b = statistics.median(times["s"]), statistics.median(times["b"])
    ok = s / b <= goal
    verdict = "ok" if ok else "MISSED"
    print(f"{name:<58} {s * 1000:8.1f} ms / {b * 1000:8.1f} ms = {s / b:5.2f}x  goal <= {goal:.1f}x  {verdict}")
    if memory:
        ms, mb = statistics.median(peaks["s"]), statistics.median(peaks["b"])
        mem_ok = ms / mb <= goal
        verdict = "ok" if mem_ok else "MISSED"
        line = f"{ms / 1024:8.1f} MB / {mb / 1024:8.1f} MB = {ms / mb:5.2f}x  goal <= {goal:.1f}x  {verdict}"
        print(f"{'  peak memory':<58} {line}")
        ok = ok and mem_ok
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the quick comparisons (default 15)")
    parser.add_argument(
        "--first-rounds", type=int, default=5, help="rounds of the first look-up on the big file (default 5)"
    )
    parser.add_argument("--facts", type=int, default=100_000, help="facts in the big file (default 100,000)")
    args = parser.parse_args()
    if not Path(LJ).exists():
        raise SystemExit(f"lj-facts is not installed beside {PYTHON}")

    work = Path(tempfile.mkdtemp(prefix="lj-facts-bench-"))
    try:
        cache = work / "cache"
        env = {**os.environ, "LJ_FACTS_CACHE_DIR": str(cache), "COLUMNS": "120"}
        # PYTHONDONTWRITEBYTECODE would make every run compile lj-facts from source, which an installed
        # package never does: 5 to 10 ms that measure the environment, not lj-facts.
        for var in ("LJ_FACTS_FILE", "LJ_FACTS_NO_CACHE", "NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE"):
            env.pop(var, None)
        shipped = shipped_file()
        big = work / "big.toml"
        count = make_big_file(shipped, big, args.facts)
        old = time.time() - 60
        os.utime(big, (old, old))  # as a file the user wrote a while ago
        print(
            f"lj-facts benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
            f"big file: {count:,} facts, {big.stat().st_size / 2**20:.1f} MiB; median of the rounds\n"
        )

        results = []
        run([LJ, "industry", "--format", "json"], env)  # warm the cache of the shipped file
        results.append(
            compare(
                "start-up: industry --format json  vs  import typer",
                1.3,
                [LJ, "industry", "--format", "json"],
                [PYTHON, "-c", "import typer"],
                env,
                args.rounds,
            )
        )
        results.append(
            compare(
                "start-up: industry --format table vs  import typer, rich",
                1.3,
                [LJ, "industry", "--format", "table"],
                [PYTHON, "-c", "import typer, rich.console, rich.table"],
                env,
                args.rounds,
            )
        )

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        results.append(
            compare(
                "first look-up on the big file  vs  tomllib.load alone",
                1.3,
                [LJ, "industry", "--file", str(big), "--format", "json"],
                [PYTHON, "-c", f"import tomllib; tomllib.load(open({str(big)!r}, 'rb'))"],
                env,
                args.first_rounds,
                before_subject=drop_cache,
            )
        )
        run([LJ, "industry", "--file", str(big), "--format", "json"], env)  # the cache is built
        for kind, words in (
            ("topic", ["industry", "--format", "json"]),
            ("show", ["show", "industry.gross-output", "--format", "json"]),
            ("search", ["search", "FDI", "--format", "json"]),
            ("search, two Chinese characters", ["search", "社保", "--format", "json"]),
        ):
            results.append(
                compare(
                    f"later look-up, big vs shipped file: {kind}",
                    1.5,
                    [LJ, *words, "--file", str(big)],
                    [LJ, *words],
                    env,
                    args.rounds,
                    memory=True,
                )
            )
        # Many ids at once: 200 ids spread over the big file cost about as much as one (one batched query).
        every = re.findall(r'^id = "([^"]+)"', big.read_text(encoding="utf-8"), flags=re.M)
        ids = every[:: max(1, len(every) // 200)][:200]
        results.append(
            compare(
                "many ids: show 200 ids  vs  show 1 id (big file)",
                1.3,
                [LJ, "show", *ids, "--file", str(big), "--format", "json"],
                [LJ, "show", ids[0], "--file", str(big), "--format", "json"],
                env,
                args.rounds,
            )
        )
        print(f"\n{sum(results)} of {len(results)} goals met")
        return 0 if all(results) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

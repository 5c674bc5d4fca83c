"""Start-up of a look-up: this checkout against another commit, and the gain of each start-up trick.

    python benchmarks/startup.py [--rounds N] [--against REV]

Each run is a fresh process (`python -c`, the package imported from the tree given), the commands
compared interleave, and the median and quartiles are reported. Besides the code at REV (default:
the commit before the shape of issue 19), it runs this checkout with each trick undone:

- `eager commands`: every command imported and built by Typer, as a plain group would, instead of
  the lazy command map (`cli._Commands`) building only the one that runs;
- `no os._exit`: the interpreter torn down at exit (`sys.exit`), instead of `os._exit` once the
  output is flushed (`cli.main`).

A trick stays while its line here shows it pays.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
BEFORE = "ab64cdc"
"""The last commit before issue 19's new shape (cli.py of 1,500 lines)."""

EAGER = (
    "import lj_facts.cli as c\n"
    "g = c.LjFactsGroup.__init__\n"
    "def init(self, **a):\n"
    "    g(self, **a)\n"
    "    [self.commands[n] for n in list(self.commands)]\n"
    "c.LjFactsGroup.__init__ = init\n"
)
NO_EXIT = "import os, sys; os._exit = sys.exit\n"


def script(tree: Path, patch: str = "") -> str:
    """A `python -c` program that runs lj-facts from `tree`, `patch` applied first."""
    start = f"import sys; sys.path.insert(0, {str(tree)!r}); sys.argv[0] = 'lj-facts'\n"
    return f"{start}{patch}from lj_facts.cli import main; main()"


def checkout(rev: str, work: Path) -> Path:
    target = work / rev
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(HERE), "archive", rev, "lj_facts", "facts.toml"], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"{rev} is not in this checkout's history")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--against", default=BEFORE, help=f"the commit to compare with (default {BEFORE})")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lj-facts-startup-"))
    try:
        env = {**os.environ, "LJ_FACTS_CACHE_DIR": str(work / "cache"), "COLUMNS": "120"}
        for var in ("LJ_FACTS_FILE", "LJ_FACTS_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
            env.pop(var, None)
        variants = {
            f"at {args.against}": script(checkout(args.against, work)),
            "this checkout": script(HERE),
            "  eager commands": script(HERE, EAGER),
            "  no os._exit": script(HERE, NO_EXIT),
            "python -c 'import typer'": "import typer",
        }
        print(f"start-up, Python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.rounds} rounds")
        for words in (["industry", "--format", "json"], ["show", "industry.gross-output", "--json"]):
            times: dict[str, list[float]] = {k: [] for k in variants}
            for code in variants.values():  # caches built, bytecode compiled: untimed
                subprocess.run([sys.executable, "-c", code, *words], env=env, capture_output=True, check=True)
            for _ in range(args.rounds):
                for name, code in variants.items():
                    start = time.perf_counter()
                    subprocess.run([sys.executable, "-c", code, *words], env=env, capture_output=True, check=True)
                    times[name].append(time.perf_counter() - start)
            print(f"\nlj-facts {' '.join(words)}")
            for name, runs in times.items():
                q1, q2, q3 = statistics.quantiles(runs, n=4)
                print(f"  {name:<28} median {q2 * 1000:6.1f} ms   quartiles {q1 * 1000:6.1f} – {q3 * 1000:6.1f} ms")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

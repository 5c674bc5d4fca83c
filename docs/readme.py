"""Keep the examples of the README and of docs/*.md true: each is produced by the command written above it.

    python docs/readme.py --check    # exit 1, with a diff, where a page differs from the commands' output
    python docs/readme.py --update   # rewrite the pages' generated blocks

A generated block sits between `<!-- readme: run -->` (or `<!-- readme: fields NAME -->`) and
`<!-- readme: end -->`. In a `run` block every line starting with `$ ` is a command: the lines
after it, up to the next command, are its output (stdout and stderr), rewritten by `--update`.
The commands of one block run in one shell, in order (so `echo $?` reports the one before), from
the checkout, with the `lj-facts` installed beside this Python, 100 columns, no pager, no colour
and a cache of their own. A `fields` block is the table of `lj_facts.fields.NAME`; a `units`
block the table of the units (`lj_facts.model.UNITS`), an `exit-codes` block that of the exit
statuses (`lj_facts.errors.ExitCode`). The pages are made at once, as many as there are cores,
each with a cache of its own."""

from __future__ import annotations

import argparse
import difflib
import itertools
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def pages() -> list[Path]:
    """The README and every page of docs/, the pages whose examples are kept true."""
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


BLOCK = re.compile(r"(<!-- readme: (run|units|exit-codes|fields \w+) -->\n)(.*?)(<!-- readme: end -->)", re.S)
END = "\x00"


def _environment(cache: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("LJ_FACTS_") and k not in ("NO_COLOR", "FORCE_COLOR")
    }
    bin_dir = str(Path(sys.executable).parent)
    return env | {
        "PATH": bin_dir + os.pathsep + env.get("PATH", ""),
        "COLUMNS": "100",
        "LINES": "50",
        "LJ_FACTS_CACHE_DIR": cache,
        "LJ_FACTS_PAGER": "",
        "LC_ALL": "C.UTF-8",
    }


def run_block(body: str, cache: str) -> str:
    """The block with each command's output as the commands give it now."""
    fence_open, *lines, fence_close = body.rstrip("\n").split("\n")
    commands = [line[2:] for line in lines if line.startswith("$ ")]
    script = "exec 2>&1\n" + "".join(f"{c}\n__s=$?; printf '\\0'; (exit $__s)\n" for c in commands)
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, env=_environment(cache), check=False
    )
    outputs = result.stdout.split(END)
    out = [fence_open]
    for command, output in zip(commands, outputs, strict=False):
        out.append(f"$ {command}")
        out += (
            [line.rstrip(" ") for line in output.rstrip("\n").split("\n")] if output.strip("\n") else []
        )  # a TSV line keeps its trailing tabs
    return "\n".join([*out, fence_close]) + "\n"


def units_table() -> str:
    """The table of the units a knowledge file may use, from the registry (`lj_facts.model.UNITS`)."""
    from lj_facts.model import UNITS

    rows = ["| unit | base unit | factor | meaning |", "|---|---|---|---|"]
    for u in UNITS.values():
        factor = "1" if u.factor == 1 else f"1e{u.places}"
        rows.append(f"| {u.name} | {u.base_unit} | {factor} | {u.english} |")
    return "\n".join(rows) + "\n"


def exit_codes_table() -> str:
    """The table of the exit statuses, from `lj_facts.errors.ExitCode` and the docstring of each."""
    import ast

    from lj_facts.errors import ExitCode

    tree = ast.parse((ROOT / "lj_facts" / "errors.py").read_text(encoding="utf-8"))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ExitCode").body
    said = {
        a.targets[0].id: d.value.value
        for a, d in itertools.pairwise(body)
        if isinstance(a, ast.Assign) and isinstance(a.targets[0], ast.Name)
        if isinstance(d, ast.Expr) and isinstance(d.value, ast.Constant)
    }
    rows = ["| code | name | meaning |", "|---|---|---|"]
    rows += [f"| {c.value} | `{c.name}` | {said[c.name].replace('|', chr(92) + '|')} |" for c in ExitCode]
    return "\n".join(rows) + "\n"


def generated(text: str) -> str:
    """The README with every generated block as the code makes it now."""
    from lj_facts import fields

    with tempfile.TemporaryDirectory() as cache:

        def replace(m: re.Match[str]) -> str:
            kind, body = m.group(2), m.group(3)
            if kind == "units":
                new = units_table()
            elif kind == "exit-codes":
                new = exit_codes_table()
            elif kind.startswith("fields "):
                new = fields.markdown_table(getattr(fields, kind.split()[1])) + "\n"
            else:
                new = run_block(body, cache)
            return m.group(1) + new + m.group(4)

        return BLOCK.sub(replace, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 where the README differs from the output")
    mode.add_argument("--update", action="store_true", help="rewrite the README's generated blocks")
    args = parser.parse_args()
    status = 0
    texts = {page: page.read_text(encoding="utf-8") for page in pages()}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the pages at once, each with its own cache
        news = dict(zip(texts, pool.map(generated, texts.values()), strict=True))
    for page, text in texts.items():
        new = news[page]
        name = str(page.relative_to(ROOT))
        if args.update:
            if new != text:
                page.write_text(new, encoding="utf-8")
        elif new != text:
            diff = difflib.unified_diff(text.splitlines(), new.splitlines(), name, "as the code says", lineterm="")
            print("\n".join(diff))
            print(f"{name}: the examples differ from the commands' output: run python docs/readme.py --update")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

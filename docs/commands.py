"""Keep the command reference true: docs/commands.md, and the README's table of commands, made from the code.

    python docs/commands.py --check    # exit 1, with a diff, where either differs from what the code says
    python docs/commands.py --update   # rewrite them

Both come from the one registry of commands (`lj_facts.commands.NAMES`): the table from each command's
usage and first sentence, the reference from `lj-facts --help` and each `lj-facts COMMAND --help`
(at 100 columns, from the shipped base). The README's table sits between `<!-- commands: table -->`
and `<!-- commands: end -->`.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "commands.md"
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- commands: table -->\n)(.*?)(<!-- commands: end -->)", re.S)


def _help(args: list[str]) -> str:
    from typer.testing import CliRunner

    from lj_facts.cli import app

    env = {"COLUMNS": "100", "LJ_FACTS_FILE": None, "LJ_FACTS_NO_CACHE": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, args, env=env, prog_name="lj-facts")
    if result.exit_code != 0:
        raise SystemExit(f"lj-facts {' '.join(args)} failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.rstrip("\n").split("\n"))


def _usage(name: str) -> str:
    """`lj-facts NAME ARGS` as the command's own usage line writes it (`lj-facts TOPIC|WORD...` for lookup)."""
    import typer

    from lj_facts.cli import app
    from lj_facts.commands import LOOKUP

    group = typer.main.get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    ctx = command.context_class(command, info_name=name)
    pieces = [p.strip("{}") for p in command.collect_usage_pieces(ctx) if p != "[OPTIONS]"]  # Typer: {REQUIRED}
    words = ["lj-facts"] if name == LOOKUP else ["lj-facts", name]
    return " ".join(words + pieces)


def table() -> str:
    """The markdown table of the commands: usage, and the first sentence of each one's help."""
    import typer

    from lj_facts.cli import app
    from lj_facts.commands import NAMES

    group = typer.main.get_command(app)
    lines = ["| command | what it does |", "|---|---|"]
    for name in NAMES:
        command = group.commands[name]  # type: ignore[attr-defined]
        usage = _usage(name).replace("|", "\\|")
        lines.append(f"| `{usage}` | {command.short_help} |")
    return "\n".join(lines) + "\n"


def reference() -> str:
    """docs/commands.md as the code makes it now."""
    from lj_facts.commands import LOOKUP, NAMES

    parts = [
        "# Command reference",
        "",
        "Generated from the code by `python docs/commands.py --update` (checked by the tests): do not edit.",
        "",
        table().rstrip("\n"),
        "",
        "## `lj-facts`",
        "",
        "```text",
        _help(["--help"]),
        "```",
    ]
    for name in NAMES:
        heading = "lj-facts TOPIC|WORD..." if name == LOOKUP else f"lj-facts {name}"
        args = ["industry", "--help"] if name == LOOKUP else [name, "--help"]
        parts += ["", f"## `{heading}`", "", "```text", _help(args), "```"]
    return "\n".join(parts) + "\n"


def readme(text: str) -> str:
    """The README with its table of commands as the code makes it now."""
    return BLOCK.sub(lambda m: m.group(1) + table() + m.group(3), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true")
    group.add_argument("--update", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as cache:
        os.environ["LJ_FACTS_CACHE_DIR"] = cache
        wanted = {REFERENCE: reference(), README: readme(README.read_text(encoding="utf-8"))}
    differ = 0
    for path, text in wanted.items():
        now = path.read_text(encoding="utf-8") if path.exists() else ""
        if now == text:
            continue
        if args.update:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
        else:
            differ += 1
            name = str(path.relative_to(ROOT))
            sys.stdout.writelines(difflib.unified_diff(now.splitlines(True), text.splitlines(True), name, name))
    if differ:
        print("\nrun `python docs/commands.py --update`", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

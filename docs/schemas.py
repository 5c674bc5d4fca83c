"""Keep docs/schema/*.json true: the JSON Schema of each kind of row, as `lj-facts schema KIND` prints it.

    python docs/schemas.py --check    # exit 1 where a file differs from what the code says (or is missing)
    python docs/schemas.py --update   # rewrite them

`tests/test_schema.py` runs the check, so a change of the fields (or of the version, which the
schemas' `$id` carries) fails the tests until the files are rewritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lj_facts import schema

FOLDER = Path(__file__).resolve().parent / "schema"


def wanted() -> dict[Path, str]:
    """Each file of docs/schema/ and what it should hold: a kind's schema, and all of them together."""
    files = {FOLDER / f"{kind}.json": schema.text(kind) for kind in schema.KINDS}
    files[FOLDER / "all.json"] = schema.text()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 where a file differs from the code")
    mode.add_argument("--update", action="store_true", help="rewrite the files")
    args = parser.parse_args()
    stale = [p for p, text in wanted().items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    extra = sorted(set(FOLDER.glob("*.json")) - set(wanted()))
    if args.update:
        FOLDER.mkdir(exist_ok=True)
        for path, text in wanted().items():
            path.write_text(text, encoding="utf-8")
        for path in extra:
            path.unlink()
        return 0
    for path in [*stale, *extra]:
        print(f"{path.relative_to(FOLDER.parent.parent)}: differs from `lj-facts schema`")
    if stale or extra:
        print("run: python docs/schemas.py --update")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

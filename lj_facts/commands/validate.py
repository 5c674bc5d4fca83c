"""`lj-facts validate [PATH...] [--source REPORT]`: a base against the schema, a file against its report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import writers
from ..base import base_files
from ..environment import Environment, environment
from ..errors import KnowledgeFileError, UsageError, count, one_line
from ..options import FileOption, path_given
from . import command


@command("validate")
def run(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            parser=path_given,
            help="Knowledge files or folders to check (default: --file, LJ_FACTS_FILE or the shipped base).",
            metavar="[PATH...]",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            parser=path_given,
            metavar="REPORT",
            help="The report (plain text) a file quotes: check quotes, figures and coverage. With several files, "
            "the one whose quotes it holds is checked.",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
) -> None:
    """Check a knowledge base against the schema and its growth rates against its levels (warnings); with
    --source, a knowledge file against its report."""
    from .. import validate as checks
    from ..load import knowledge_files, load, load_base, read_source, stdin_once
    from ..series import describe, disagreements

    env = environment(ctx)
    named = base_files(paths or file)
    given = "PATH" if paths else "--file" if file else "LJ_FACTS_FILE"
    stdin_once({given: named, "--source": [source] if source else []})
    files = knowledge_files(named)
    if source is not None:
        text = read_source(source)
        target = files[0] if len(files) == 1 else _quoted_by(files, text)
        _against_report(target, load(target), source, text, env)
        return
    kb = load_base(files)
    parts = [kb] if len(files) == 1 else [load(f) for f in files]  # each file's own line
    lines = [_schema_line(Path(name), part) for name, part in zip(files, parts, strict=True)]
    if len(files) > 1:
        lines.append(
            f"the base: {count(len(files), 'file')}, {count(len(kb.facts), 'fact')}, "
            f"{count(len(kb.sources), 'source')}, {count(len(kb.indicators), 'indicator')}: one id each"
        )
    todo = checks.still_to_do(kb)
    if todo:
        raise KnowledgeFileError(str(files[-1]), f"is a draft: {checks.to_do_summary(todo)}:", tuple(todo))
    differ = disagreements(kb.facts, kb.indicators)
    if kb.indicators:
        lines.append(
            f"growth against levels: {count(len(differ), 'disagreement')} beyond rounding"
            + (" (a warning: statistics get revised, and a report's growth is on a comparable basis)" if differ else "")
        )
    typer.echo(writers.printable("\n".join(lines)), file=env.stdout)  # a path may hold control characters
    for point in differ:
        env.say(f"warning: {describe(point)}")


def _schema_line(target: Path, kb: Any) -> str:
    numbers = sum(f.kind.value == "number" for f in kb.facts)
    claims = len(kb.facts) - numbers
    return (
        f"{one_line(str(target))}: schema ok: {count(len(kb.facts), 'fact')} ({count(numbers, 'number')}, "
        f"{count(claims, 'claim')}), {count(len(kb.topics), 'topic')}"
    )


def _quoted_by(files: Sequence[Path], text: str) -> Path:
    """Of several knowledge files, the one most of whose quotes stand in the report `text`."""
    from ..load import load
    from ..text import without_spaces

    flat = without_spaces(text)
    held = [(sum(without_spaces(f.text) in flat for f in load(path).facts), -n, path) for n, path in enumerate(files)]
    best = max(held)
    if best[0] == 0:
        raise UsageError("--source: no knowledge file of the base quotes this report; name the file to check")
    return best[2]


def _against_report(target: Path, kb: Any, source: Path, text: str, env: Environment) -> None:
    """`validate FILE --source REPORT`: quotes, figures and sentence coverage of one file against its report."""
    from .. import validate as checks

    shown = one_line(str(source))  # a path with a line break in it stays on its line
    lines = [_schema_line(target, kb)]
    todo = checks.still_to_do(kb)
    problems = checks.check_quotes(kb.facts, text)
    covered = checks.coverage(kb, text)
    coverage = checks.sentence_coverage(kb, text)
    problems += covered.problems
    if todo:
        raise KnowledgeFileError(
            str(target),
            f"is a draft: {checks.to_do_summary(todo)}; {count(len(problems), 'problem')} against {shown}:",
            tuple(problems + todo),
        )
    if not problems:
        figures = sum(len(f.figures) for f in kb.facts)
        lines.append(
            f"{shown}: all {count(len(kb.facts), 'quote')} verbatim, "
            f"all {count(figures, 'figure')} written in their quotes"
        )
        lines.append(
            f"{shown}: all {covered.checked} figures of the source captured ({covered.chinese} of them written"
            f" in Chinese numerals; {covered.aside} dates and names set aside)"
        )
    lines.append(f"{shown}: {checks.coverage_line(coverage)}")
    problems += coverage.problems
    typer.echo(writers.printable("\n".join(lines)), file=env.stdout)
    if problems:
        raise KnowledgeFileError(
            str(target), f"does not hold against {shown} ({count(len(problems), 'problem')}):", tuple(problems)
        )

"""Where a listing goes: the one branch on the output format, and the one ending every listing shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

import typer

from . import writers
from .environment import Environment
from .errors import EnvironmentFailure
from .rows import Format, Row

if TYPE_CHECKING:
    from .displays import Display

People = Callable[[], Sequence["Display"]]
"""What a listing shows people (table, markdown): its displays, made only for those formats."""


class Output:
    """The output options every listing shares, and the one branch on the format."""

    def __init__(
        self, env: Environment, fmt: Format | None, no_header: bool, color: str, no_pager: bool = False
    ) -> None:
        choices = {"auto": None, "always": True, "never": False}
        if color not in choices:
            raise typer.BadParameter(f"{color!r} is not one of auto, always, never", param_hint="--color")
        self.env = env
        self.color = choices[color]
        self.format = fmt or (Format.TABLE if env.stdout_isatty else Format.TSV)
        self.header = not no_header
        self.pager = not no_pager

    def listing(
        self,
        rows: Sequence[Row],
        columns: Sequence[str],
        people: People,
        *,
        picked: bool,
        title: str = "",
        caption: str = "",
        whole: Sequence[Row | None] | None = None,
    ) -> None:
        """Every listing's end: the rows in a machine format; for people, the fields `--fields` picked as one
        table (`picked`, its figures marked from the `whole` rows), else the listing's own displays (`people`)."""

        def shown() -> Sequence[Display]:
            if picked:
                from . import displays

                return [displays.picked_display(rows, columns, title, caption, whole)]
            return people()

        self.write(rows, columns, shown)

    def write(self, rows: Sequence[Row], columns: Sequence[str], display: People) -> None:
        """Write the rows, or the displays made of them for the table and markdown formats.

        On a terminal, output taller than the terminal goes through the pager (see `pager`).
        """
        from .pager import paged

        stdout = self.env.stdout
        if stdout is None:
            raise EnvironmentFailure("cannot write the output: stdout is closed")
        try:
            with paged(stdout, self.pager, self.env.say, self.env.stdout_isatty) as out:
                self._write(rows, columns, display, out)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:  # ValueError: stdout closed on the way
            if isinstance(e, ValueError) and "closed file" not in str(e):
                raise
            raise EnvironmentFailure(f"cannot write the output: {getattr(e, 'strerror', None) or e}") from None

    def _write(self, rows: Sequence[Row], columns: Sequence[str], display: People, out: IO[str] | Any) -> None:
        if self.format is Format.TABLE:
            from .table import print_display, use_color

            color = use_color(self.color, out, self.env.stdout_isatty)  # the terminal's, not the pager's buffer
            for n, shown in enumerate(display()):
                if n:
                    out.write("\n")
                print_display(shown, out, color)
        elif self.format is Format.MARKDOWN:
            for n, shown in enumerate(display()):
                if n:
                    out.write("\n")
                from .displays import write_markdown

                write_markdown(shown, out, self.header)
        elif self.format is Format.JSON:
            writers.write_json(rows, out, ascii_only=not writers.is_utf(out))
        elif self.format is Format.JSONL:
            writers.write_jsonl(rows, out, ascii_only=not writers.is_utf(out))
        elif self.format is Format.CSV:
            writers.write_csv(rows, columns, out, self.header)
        else:
            writers.write_tsv(rows, columns, out, self.header)

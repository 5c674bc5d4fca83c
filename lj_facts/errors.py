"""The one exception family of lj-facts and the exit codes it turns into."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """The exit statuses of `lj-facts`, a public interface."""

    FOUND = 0
    """Something was found; the command did its job."""
    NO_MATCH = 1
    """Nothing matched the topic, terms or id asked for."""
    ERROR = 2
    """Bad usage, or a knowledge file that cannot be read or does not hold."""
    BUG = 70
    """An internal error: a bug to report (sysexits' EX_SOFTWARE)."""
    HANGUP = 129
    """Stopped by SIGHUP (128 + 1): the terminal went away."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C (128 + SIGINT), as shells report it."""
    BROKEN_PIPE = 141
    """The reader of stdout went away (`| head`): 128 + SIGPIPE, as shells report grep or git there."""
    TERMINATED = 143
    """Stopped by SIGTERM (128 + 15), as shells report it."""


_ONE_LINE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

MESSAGE_LINE = 2000
"""The most characters a line of a message keeps: a longer one (a value of a megabyte quoted back, a
path over PATH_MAX) keeps its start and end, and says how much was cut."""


def one_line(text: str) -> str:
    """A name (a path, an id) for a message: its line breaks and tabs as `\\n`, `\\r`, `\\t`, so it stays
    on the line that names it (other control characters are made visible where the message is said)."""
    return text if text.isprintable() else "".join(_ONE_LINE.get(c, c) for c in text)


def shortened(line: str, most: int = MESSAGE_LINE) -> str:
    """A line of a message of at most about `most` characters: its start and end, what was cut counted."""
    if len(line) <= most:
        return line
    cut = len(line) - most
    return f"{line[: most * 3 // 4]}…[{cut} characters cut]…{line[-(most // 4) :]}"


def count(n: int, word: str) -> str:
    """ "1 problem", "2 problems", "0 problems": a count with its noun in the right number (messages, captions)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


class Problem(NamedTuple):
    """One thing wrong with a knowledge file."""

    where: str
    """The fact id (or table) at fault: `industry.gross-output`, `meta`, `topics.auto`."""
    field: str
    """The field at fault, or `-` for the whole table."""
    message: str
    """What is wrong."""

    def __str__(self) -> str:  # one line, whatever the data it quotes
        return shortened(one_line(f"{self.where}: {self.field}: {self.message}"))


class LjFactsError(Exception):
    """Base of every error lj-facts reports to its user."""

    exit_code = ExitCode.ERROR


class KnowledgeFileError(LjFactsError):
    """A knowledge file cannot be read, parsed or does not follow the schema."""

    def __init__(self, path: str, message: str, problems: tuple[Problem, ...] = ()) -> None:
        path = one_line(path)
        self.path = path
        self.problems = problems
        lines = [f"{path}: {message}", *(f"  {p}" for p in problems)]
        super().__init__("\n".join(lines))


class SettingError(LjFactsError):
    """An environment setting (LJ_FACTS_MAX_BYTES, …) holds a value lj-facts cannot use."""


class EnvironmentFailure(LjFactsError):
    """The environment failed the command: its output cannot be written, memory ran out."""


class Stopped(BaseException):  # a signal, like KeyboardInterrupt: not an error of the program
    """SIGTERM or SIGHUP arrived: unwind (ending any build's workers) and exit with 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = ExitCode.TERMINATED if signum == 15 else ExitCode.HANGUP


class NotFoundError(LjFactsError):
    """Nothing in the knowledge file matches what was asked for."""

    exit_code = ExitCode.NO_MATCH


class ReportError(LjFactsError):
    """A report to draft a knowledge file from cannot be read or states no figure."""

    def __init__(self, path: str, message: str) -> None:
        path = one_line(path)
        self.path = path
        super().__init__(f"{path}: {message}")


class ExportError(LjFactsError):
    """An export cannot be written where asked: the file exists (without --replace), or the folder refuses it."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class UsageError(LjFactsError):
    """A request the core refuses as asked (an unknown field, a filter, too many search terms): exit 2."""

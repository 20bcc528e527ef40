"""One exception family for everything a user can cause.

Every message names where the problem is (file and line, or the part of a
template), the field, what is wrong and, where the fix is obvious, a hint.
The command line prints these without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 part``, ``2 parts``, ``1,000 errors``: a count with its noun, for messages."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file: the file and the 1-based line, or the cell of a workbook."""

    file: Path
    line: int | None = None
    cell: str | None = None  # "Maßnahmen!C7"
    column: str | None = None  # the name of a workbook's column: "Status"

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}" + (f" ({self.column})" if self.column else "")
        return f"{self.file}:{self.line}" if self.line else str(self.file)


@dataclass(frozen=True)
class Problem:
    """One finding about the inputs or the template."""

    location: Location | None
    field: str
    message: str
    hint: str | None = None
    severity: Severity = "error"
    # where the value sits in the merged inputs, by position: ("themes", 1, "measures", 0, "status");
    # ``field`` names the same place for people, by ids where items have them
    path: tuple[str | int, ...] | None = dataclass_field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}{prefix}{field}{self.message}{hint}"


class ConceptBuilderError(Exception):
    """Base of every error concept_builder raises for a user's mistake."""

    exit_code = 1


class UsageError(ConceptBuilderError):
    """Options that cannot work together, or a variant that does not exist."""

    exit_code = 2


class InputError(ConceptBuilderError):
    """The inputs are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # builds of several folders run in worker processes; errors travel back pickled
        return (InputError, (self.problems,))


class TemplateError(ConceptBuilderError):
    """A Word template is missing, unreadable or fails to render."""

    def __init__(self, template: Path | str, message: str, hint: str | None = None) -> None:
        self.template = template
        self.message = message
        self.hint = hint
        text = f"{template}: {message}"
        super().__init__(f"{text} ({hint})" if hint else text)

    def __reduce__(self) -> tuple[type[TemplateError], tuple[Path | str, str, str | None]]:
        # rendering a user's template runs in a child process; the error travels back pickled
        return (TemplateError, (self.template, self.message, self.hint))


class OutputError(ConceptBuilderError):
    """The output could not be written."""


class InternalError(ConceptBuilderError):
    """A bug met while building one folder: reported with that folder, while the others go on.

    ``original`` is the exception itself where it happened in this process (for ``--debug``).
    """

    def __init__(self, folder: Path | str, error: BaseException | str) -> None:
        self.folder = folder
        self.original = error if isinstance(error, BaseException) else None
        self.error = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        super().__init__(f"internal error: {self.error}")

    def __reduce__(self) -> tuple[type[InternalError], tuple[Path | str, str]]:
        return (InternalError, (self.folder, self.error))


class LibreOfficeError(ConceptBuilderError):
    """LibreOffice is missing, timed out or could not convert a document."""


class CheckError(ConceptBuilderError):
    """The file to check is not a readable document."""


class Interrupted(ConceptBuilderError):
    """Ctrl-C or SIGTERM came while the outputs were being put in place; ``written`` says which were."""

    exit_code = 130

    def __init__(self, written: list[Path]) -> None:
        self.written = written
        files = ", ".join(str(path) for path in written) or "none"
        super().__init__(f"interrupted after the outputs were put in place; written: {files}")

    def __reduce__(self) -> tuple[type[Interrupted], tuple[list[Path]]]:
        return (Interrupted, (self.written,))

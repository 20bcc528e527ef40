"""The pipeline in one place: load → validate → context → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .context import make_context
from .errors import Problem
from .libreoffice import LibreOfficeError, heading_pages
from .model import Concept
from .render import render
from .validate import validate_folder
from .write import normalize_zip, output_name, write_atomic


@dataclass
class BuildResult:
    """What a build produced."""

    path: Path
    warnings: list[Problem] = field(default_factory=list)
    page_numbers: bool = False  # whether the table of contents shows page numbers
    notes: list[str] = field(default_factory=list)  # what the build could not do, and why


def render_concept(
    concept: Concept, *, template: str | Path | None = None, page_numbers: bool = False
) -> bytes:
    """The finished .docx of ``concept`` as bytes, without writing anything.

    With ``page_numbers``, LibreOffice lays the document out once so that the
    table of contents can show the page of each heading; raises
    ``LibreOfficeError`` where it cannot.
    """
    context = make_context(concept)
    template_path = Path(template) if template else None
    data = render(context, template_path)
    if page_numbers:
        data = render(context, template_path, toc_pages=heading_pages(data))
    return normalize_zip(data)


def build(
    concept: Concept,
    *,
    out_dir: str | Path = "build",
    template: str | Path | None = None,
    page_numbers: bool = False,
) -> BuildResult:
    """Render ``concept`` and write it into ``out_dir``; return where it went.

    ``page_numbers`` asks for page numbers in the table of contents; where
    LibreOffice cannot provide them the document is built without, and
    ``BuildResult.notes`` says why.
    """
    notes = []
    try:
        data = render_concept(concept, template=template, page_numbers=page_numbers)
    except LibreOfficeError as error:
        notes.append(f"table of contents without page numbers: {error}")
        data = render_concept(concept, template=template)
        page_numbers = False
    path = write_atomic(Path(out_dir) / output_name(concept), data)
    return BuildResult(path=path, page_numbers=page_numbers, notes=notes)


def build_folder(
    input_dir: str | Path,
    *,
    out_dir: str | Path = "build",
    template: str | Path | None = None,
    page_numbers: bool = False,
) -> BuildResult:
    """Validate the input folder and build it; raise ``InputError`` listing every problem."""
    report = validate_folder(input_dir)
    concept = report.concept_or_raise()
    result = build(concept, out_dir=out_dir, template=template, page_numbers=page_numbers)
    result.warnings = report.warnings
    return result

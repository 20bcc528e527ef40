"""The pipeline in one place: load → validate → context → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .context import make_context
from .errors import Problem
from .model import Concept
from .render import render
from .validate import validate_folder
from .write import normalize_zip, output_name, write_atomic


@dataclass
class BuildResult:
    """What a build produced."""

    path: Path
    warnings: list[Problem] = field(default_factory=list)


def render_concept(concept: Concept, *, template: str | Path | None = None) -> bytes:
    """The finished .docx of ``concept`` as bytes, without writing anything."""
    context = make_context(concept)
    return normalize_zip(render(context, Path(template) if template else None))


def build(
    concept: Concept, *, out_dir: str | Path = "build", template: str | Path | None = None
) -> BuildResult:
    """Render ``concept`` and write it into ``out_dir``; return where it went."""
    data = render_concept(concept, template=template)
    path = write_atomic(Path(out_dir) / output_name(concept), data)
    return BuildResult(path=path)


def build_folder(
    input_dir: str | Path, *, out_dir: str | Path = "build", template: str | Path | None = None
) -> BuildResult:
    """Validate the input folder and build it; raise ``InputError`` listing every problem."""
    report = validate_folder(input_dir)
    concept = report.concept_or_raise()
    result = build(concept, out_dir=out_dir, template=template)
    result.warnings = report.warnings
    return result

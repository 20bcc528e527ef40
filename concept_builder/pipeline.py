"""The pipeline in one place: load → validate → structure → context → render → write.

Every entry point takes one ``BuildOptions``; the command line builds it
from its flags and calls these functions, nothing else.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing.context import BaseContext
from pathlib import Path

from .context import make_context
from .diff import diff_concepts
from .errors import ConceptBuilderError, LibreOfficeError, Problem
from .libreoffice import export_pdf, heading_pages
from .model import Concept
from .options import BuildOptions
from .render import render
from .structure import arrange
from .template import template_for
from .validate import load_concept, validate_folder
from .write import output_name, source_date, write_atomic

Progress = Callable[[Path, str], None]
"""Called with the input folder and the variant before each document of a sequential build."""


@dataclass
class BuildResult:
    """What a build wrote."""

    path: Path
    variant: str = "konzept"
    warnings: list[Problem] = field(default_factory=list)
    page_numbers: bool = False  # whether the table of contents shows page numbers
    notes: list[str] = field(default_factory=list)  # what the build could not do, and why
    pdf: Path | None = None  # the PDF, when one was asked for and could be made


@dataclass
class _Rendered:
    data: bytes
    page_numbers: bool
    notes: list[str]


def render_concept(concept: Concept, options: BuildOptions | None = None) -> bytes:
    """The .docx of ``concept`` as bytes, without writing anything.

    With ``options.page_numbers``, LibreOffice lays the document out once so
    that the table of contents can show the page of each heading; raises
    ``LibreOfficeError`` where it cannot. ``options.pdf`` and ``out_dir`` do
    not apply.
    """
    return _render(concept, options or BuildOptions(), strict=True).data


def _render(concept: Concept, options: BuildOptions, *, strict: bool) -> _Rendered:
    template = template_for(options)
    structure = arrange(concept, options.for_name)
    earlier = load_concept(options.changes_since) if options.changes_since is not None else None
    changes = diff_concepts(earlier, concept) if earlier is not None else None
    context = make_context(structure, variant=options.kind, styles=template.styles, changes=changes)
    data = render(context, template)
    notes = []
    page_numbers = False
    if options.page_numbers:
        try:
            data = render(context, template, toc_pages=heading_pages(data))
            page_numbers = True
        except LibreOfficeError as error:
            if strict:
                raise
            notes.append(f"table of contents without page numbers: {error}")
    return _Rendered(data, page_numbers, notes)


def build(concept: Concept, options: BuildOptions | None = None) -> BuildResult:
    """Render one document of ``concept`` and write it into ``options.out_dir``; return where it went.

    Where LibreOffice cannot help with page numbers or the PDF, the .docx is
    written all the same and ``BuildResult.notes`` says why (``pdf`` stays None).
    """
    options = options or BuildOptions()
    rendered = _render(concept, options, strict=False)
    name = output_name(concept, variant=options.variant, for_name=options.for_name)
    path = write_atomic(options.out_dir / name, rendered.data)
    result = BuildResult(path, options.variant, page_numbers=rendered.page_numbers, notes=rendered.notes)
    if options.pdf:
        try:
            moment = source_date() or dt.datetime.combine(concept.meta.date, dt.time(12))
            result.pdf = export_pdf(path, path.with_suffix(".pdf"), moment=moment)
        except LibreOfficeError as error:
            result.notes.append(f"no PDF: {error}")
    return result


def build_folder(input_dir: str | Path, options: BuildOptions | None = None) -> BuildResult:
    """Validate the input folder and build one document of it; ``InputError`` lists every problem."""
    report = validate_folder(input_dir)
    result = build(report.concept_or_raise(), options)
    result.warnings = report.warnings
    return result


def build_many(
    input_dirs: Sequence[str | Path],
    options: BuildOptions | None = None,
    *,
    variants: Sequence[str] | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[list[BuildResult] | ConceptBuilderError]:
    """Build ``variants`` (default: ``options.variant``) of each input folder, ``jobs`` folders at a time.

    Returns, per folder in the order given, its results (one per variant) or
    the error that stopped it; one failing folder does not stop the others.
    ``jobs`` 0 is one process per core. Every document is the same, byte for
    byte, as a build of its folder alone.
    """
    options = options or BuildOptions()
    chosen = tuple(variants or (options.variant,))
    for variant in chosen:  # every variant's options must hold before anything is built
        replace(options, variant=variant)
    tasks = [(Path(folder), options, chosen) for folder in input_dirs]
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return [_build_folder_variants(task, progress) for task in tasks]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_process_context()) as pool:
        return list(pool.map(_build_folder_variants, tasks))


def _build_folder_variants(
    task: tuple[Path, BuildOptions, tuple[str, ...]], progress: Progress | None = None
) -> list[BuildResult] | ConceptBuilderError:
    folder, options, variants = task
    try:
        report = validate_folder(folder)
        concept = report.concept_or_raise()
        results = []
        for variant in variants:
            if progress is not None:
                progress(folder, variant)
            result = build(concept, replace(options, variant=variant))
            result.warnings = report.warnings
            results.append(result)
        return results
    except ConceptBuilderError as error:
        return error


def _process_context() -> BaseContext:
    # fork starts workers without importing everything again; spawn where fork does not exist
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")

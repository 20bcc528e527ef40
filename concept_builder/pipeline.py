"""The pipeline in one place: load → validate → context → render → write."""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path

from .context import VARIANTS, make_context
from .diff import diff_concepts
from .errors import ConceptBuilderError, Problem
from .libreoffice import LibreOfficeError, export_pdf, heading_pages
from .model import Concept
from .render import default_template, render
from .validate import load_concept, validate_folder
from .write import output_name, source_date, write_atomic

# The template of each variant; the full concept's is the default one
VARIANT_TEMPLATES = {variant: f"{variant}.docx" for variant in VARIANTS} | {"konzept": "default.docx"}


@dataclass
class BuildResult:
    """What a build produced."""

    path: Path
    warnings: list[Problem] = field(default_factory=list)
    page_numbers: bool = False  # whether the table of contents shows page numbers
    notes: list[str] = field(default_factory=list)  # what the build could not do, and why
    pdf: Path | None = None  # the PDF, when one was asked for and could be made


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
    return data


def build(
    concept: Concept,
    *,
    out_dir: str | Path = "build",
    template: str | Path | None = None,
    page_numbers: bool = False,
    pdf: bool = False,
    changes_since: Concept | None = None,
    variant: str = "konzept",
    for_name: str | None = None,
) -> BuildResult:
    """Render ``concept`` and write it into ``out_dir``; return where it went.

    ``changes_since`` – an earlier version – adds the change log as an appendix.
    ``variant`` picks the document (one of ``VARIANTS``: the full concept, a
    Kurzfassung, the Maßnahmenkatalog, an extract, the Umsetzungsbericht), each
    with a template of its own unless ``template`` is given; ``for_name`` keeps
    the measures of one lead organisation or municipality (the extract needs it).

    ``page_numbers`` asks for page numbers in the table of contents, ``pdf``
    for an accessible PDF beside the .docx. Both need LibreOffice; where it
    cannot help, the .docx is written all the same and ``BuildResult.notes``
    says why (``BuildResult.pdf`` stays None).
    """
    if variant not in VARIANT_TEMPLATES:
        raise ConceptBuilderError(
            f"unknown variant {variant!r}: choose one of {', '.join(VARIANT_TEMPLATES)}"
        )
    if variant == "auszug" and not for_name:
        raise ConceptBuilderError("the extract (auszug) needs --for: the lead organisation or municipality")
    if for_name:
        _check_for_name(concept, for_name)
    notes = []
    changes = diff_concepts(changes_since, concept) if changes_since is not None else None
    context = make_context(concept, changes, variant=variant, for_name=for_name)
    template_path = Path(template) if template else default_template(VARIANT_TEMPLATES[variant])
    data = render(context, template_path)
    if page_numbers:
        try:
            data = render(context, template_path, toc_pages=heading_pages(data))
        except LibreOfficeError as error:
            notes.append(f"table of contents without page numbers: {error}")
            page_numbers = False
    path = write_atomic(Path(out_dir) / output_name(concept, variant=variant, for_name=for_name), data)
    result = BuildResult(path=path, page_numbers=page_numbers, notes=notes)
    if pdf:
        try:
            moment = source_date() or dt.datetime.combine(concept.meta.date, dt.time(12))
            result.pdf = export_pdf(path, path.with_suffix(".pdf"), moment=moment)
        except LibreOfficeError as error:
            notes.append(f"no PDF: {error}")
    return result


def _check_for_name(concept: Concept, name: str) -> None:
    """An extract needs an organisation or municipality that leads a measure or is its area."""
    known = sorted(
        {m.lead for t in concept.themes for m in t.measures}
        | {m.area for t in concept.themes for m in t.measures if m.area}
    )
    if name.casefold() in {k.casefold() for k in known}:
        return
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"known: {', '.join(known)}"
    raise ConceptBuilderError(f"no measure is led by or located in {name!r} ({hint})")


def build_folder(
    input_dir: str | Path,
    *,
    out_dir: str | Path = "build",
    template: str | Path | None = None,
    page_numbers: bool = False,
    pdf: bool = False,
    changes_since: str | Path | None = None,
    variant: str = "konzept",
    for_name: str | None = None,
) -> BuildResult:
    """Validate the input folder and build it; raise ``InputError`` listing every problem.

    ``changes_since`` is the input folder of an earlier version, for the change-log appendix.
    """
    report = validate_folder(input_dir)
    concept = report.concept_or_raise()
    earlier = load_concept(changes_since) if changes_since is not None else None
    result = build(
        concept,
        out_dir=out_dir,
        template=template,
        page_numbers=page_numbers,
        pdf=pdf,
        changes_since=earlier,
        variant=variant,
        for_name=for_name,
    )
    result.warnings = report.warnings
    return result


def build_variants(
    input_dir: str | Path,
    variants: Sequence[str],
    *,
    out_dir: str | Path = "build",
    page_numbers: bool = False,
    pdf: bool = False,
    for_name: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[BuildResult]:
    """Validate the input folder once and build several variants of it, in the order given.

    ``progress(done, total, variant)`` is called before each variant is built.
    """
    report = validate_folder(input_dir)
    concept = report.concept_or_raise()
    results = []
    for index, variant in enumerate(variants):
        if progress:
            progress(index, len(variants), variant)
        result = build(
            concept, out_dir=out_dir, page_numbers=page_numbers, pdf=pdf, variant=variant, for_name=for_name
        )
        result.warnings = report.warnings
        results.append(result)
    return results


def build_many(
    input_dirs: Sequence[str | Path],
    *,
    out_dir: str | Path = "build",
    template: str | Path | None = None,
    page_numbers: bool = False,
    pdf: bool = False,
    jobs: int = 1,
) -> list[BuildResult | ConceptBuilderError]:
    """Build several input folders, ``jobs`` at a time (0: one per core).

    Returns, in the order given, each folder's result or the error that
    stopped it; one failing folder does not stop the others. Every document
    is the same, byte for byte, as a build of its folder alone.
    """
    workers = jobs or os.cpu_count() or 1
    tasks = [(Path(folder), Path(out_dir), template, page_numbers, pdf) for folder in input_dirs]
    if workers == 1 or len(tasks) == 1:
        return [_build_task(task) for task in tasks]
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=_process_context()) as pool:
        return list(pool.map(_build_task, tasks))


def _build_task(task: tuple[Path, Path, str | Path | None, bool, bool]) -> BuildResult | ConceptBuilderError:
    folder, out_dir, template, page_numbers, pdf = task
    try:
        return build_folder(folder, out_dir=out_dir, template=template, page_numbers=page_numbers, pdf=pdf)
    except ConceptBuilderError as error:
        return error


def _process_context() -> BaseContext:
    # fork starts workers without importing everything again; spawn where fork does not exist
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")

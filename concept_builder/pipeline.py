"""The pipeline in one place: load → validate → structure → context → render → write.

Every entry point takes one ``BuildOptions``; the command line builds it
from its flags and calls these functions, nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build_notes import PdfCheck, accessibility_notes, not_pdf_ua
from .collector import without_cycle_collection
from .context import make_context
from .diff import ChangeLog, diff_structures
from .drawing import drawn_in_background
from .errors import (
    ConceptBuilderError,
    InternalError,
    LibreOfficeError,
    OutputError,
    Problem,
    UsageError,
)
from .libreoffice import LibreOffice
from .model import Concept
from .options import DEFAULT_VARIANT, BuildOptions, chosen_variants
from .render import render
from .structure import Structure, arrange
from .template import Reference, template_for
from .validate import load_concept, validate_folder
from .workers import in_parallel, worker_office
from .write import Staging, output_name, reporting_written, source_date

Progress = Callable[[Path, str, int, int], None]
"""Called before each document of a sequential build: the input folder, the variant, and which of
how many documents of that folder it is (counted from 1)."""


@dataclass
class BuildResult:
    """What a build wrote."""

    path: Path
    variant: str = DEFAULT_VARIANT
    warnings: list[Problem] = field(default_factory=list)
    page_numbers: bool = False  # whether the table of contents shows page numbers
    contents: bool = True  # whether the document has a table of contents (its template may have none)
    notes: list[str] = field(default_factory=list)  # what the build could not do, and why
    pdf: Path | None = None  # the PDF, when one was asked for and could be made
    not_pdf_ua: str | None = None  # why the PDF is no PDF/UA document, where the check finds it is none


@dataclass
class _Rendered:
    data: bytes
    page_numbers: bool
    notes: list[str]
    pdf: bytes | None = None
    for_name: str | None = None  # the organisation of an extract, as the concept writes its name
    contents: bool = True


@without_cycle_collection
def render_concept(concept: Concept, options: BuildOptions | None = None) -> bytes:
    """The .docx of ``concept`` as bytes, without writing anything.

    With ``options.page_numbers``, LibreOffice lays the document out once so
    that the table of contents can show the page of each heading; raises
    ``LibreOfficeError`` where it cannot. ``options.pdf`` and ``out_dir`` do
    not apply.
    """
    options = replace(options or BuildOptions(), pdf=False)
    with LibreOffice() as office:
        return _render(concept, options, office, strict=True).data


@dataclass(frozen=True)
class _Arranged:
    """A concept arranged for the documents of one build: its structure and the change log, shared by
    every variant of the build."""

    structure: Structure
    changes: ChangeLog | None

    @classmethod
    def of(cls, concept: Concept, options: BuildOptions) -> _Arranged:
        structure = arrange(concept, options.for_name)
        if options.changes_since is None:
            return cls(structure, None)
        earlier = arrange(load_concept(options.changes_since), options.for_name)
        return cls(structure, diff_structures(earlier, structure))


def _render(
    concept: Concept,
    options: BuildOptions,
    office: LibreOffice,
    *,
    strict: bool,
    arranged: _Arranged | None = None,
) -> _Rendered:
    reference = Reference(Path(concept.reference_doc or ""), concept.reference) if concept.reference else None
    template = template_for(options, reference)
    arranged = arranged or _Arranged.of(concept, options)
    structure, changes = arranged.structure, arranged.changes
    for_name = structure.selection.name if structure.selection else None
    with drawn_in_background():  # charts not in the cache are drawn while the document renders
        context = make_context(structure, variant=options.kind, styles=template.styles, changes=changes)
        rendered = render(context, template)
    data = rendered.data
    notes = [*template.notes, *context.notes, *rendered.notes]
    if not template.trusted:  # ours are tested to pass; a user's template may bring what does not
        from .check.docx import check_docx_data  # only here: a build with our templates needs no check

        notes += accessibility_notes(template.path.name, check_docx_data(data))
    if not _needs_layout(options):
        return _Rendered(data, False, notes, for_name=for_name, contents=template.contents)
    # Publication: LibreOffice lays the document out once, for the contents' page numbers and the PDF
    try:
        published = office.publish(
            data,
            lambda pages: render(context, template, toc_pages=pages).data,
            pdf=options.pdf,
            moment=source_date() or dt.datetime.combine(concept.meta.date, dt.time(12)),
        )
    except LibreOfficeError as error:
        if strict:
            raise
        notes.append(
            f"no PDF: {error}" if options.pdf else f"table of contents without page numbers: {error}"
        )
        return _Rendered(data, False, notes, for_name=for_name, contents=template.contents)
    return _Rendered(
        published.docx,
        True,
        [*notes, *published.notes],
        published.pdf,
        for_name,
        contents=template.contents,
    )


def _needs_layout(options: BuildOptions) -> bool:
    """Whether LibreOffice lays the document out: for page numbers, and for every PDF (which has them)."""
    return options.page_numbers or options.pdf


@without_cycle_collection
def build(concept: Concept, options: BuildOptions | None = None) -> BuildResult:
    """Render one document of ``concept`` and write it into ``options.out_dir``; return where it went.

    The .docx and its PDF are put in place together, or – on a failure or an
    interrupt – neither. Where LibreOffice cannot help with page numbers or
    the PDF, the .docx is written all the same and ``BuildResult.notes`` says
    why (``pdf`` stays None); a PDF of an earlier build at its place is removed
    with it. ``OutputError`` before anything is written where an output would
    replace a file the build reads.
    """
    options = options or BuildOptions()
    stagings: list[Staging] = []
    with reporting_written(stagings), LibreOffice() as office, Staging(options.out_dir) as staging:
        stagings.append(staging)
        if _needs_layout(options):
            office.start()  # LibreOffice starts while the document is rendered
        prepared = _prepare(concept, options, staging, "1", office).checked()
        _commit(staging, [prepared])
    return prepared.result


@without_cycle_collection
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

    ``variants`` are names of ``VARIANTS``, or "all": every variant (the
    extract only with ``options.for_name``). Returns, per folder in the order
    given, its results (one per variant) or
    the error that stopped it; one failing folder neither stops nor hides the
    others. The documents of all folders that succeed are put in place
    together at the end; two that would get the same file name are an error
    before anything is written. ``jobs`` 0 is one process per core. Every
    document is the same, byte for byte, as a build of its folder alone.
    Each process lays its documents out in one LibreOffice, started at once
    when a document needs it.
    """
    options = options or BuildOptions()
    chosen = tuple(chosen_variants(variants, options.for_name) if variants else (options.variant,))
    for variant in chosen:  # every variant's options must hold before anything is built
        replace(options, variant=variant)
    if options.changes_since is not None and len(input_dirs) > 1:
        raise UsageError(
            "--changes-since compares one concept with an earlier version: give one input folder"
        )
    stagings: list[Staging] = []
    with reporting_written(stagings), Staging(options.out_dir) as staging:
        stagings.append(staging)
        tasks = [
            (Path(folder), options, chosen, staging, str(index)) for index, folder in enumerate(input_dirs)
        ]
        workers = min(jobs or os.cpu_count() or 1, len(tasks))
        if workers <= 1:
            with LibreOffice() as office:
                if any(_needs_layout(replace(options, variant=variant)) for variant in chosen):
                    office.start()  # LibreOffice starts while the first document is validated and rendered
                outcomes = [_prepare_folder(task, progress, office) for task in tasks]
        else:
            outcomes = in_parallel(_prepare_folder, tasks, workers, _needs_layout(options))
        prepared = [p for outcome in outcomes if isinstance(outcome, list) for p in outcome]
        _commit(staging, prepared)
    return [
        outcome if isinstance(outcome, ConceptBuilderError) else [p.result for p in outcome]
        for outcome in outcomes
    ]


@dataclass
class _Prepared:
    """A document (and its PDF) rendered into the staging folder, with where each goes."""

    result: BuildResult  # its paths are the targets
    staged: list[tuple[Path | None, Path]]  # staged file → target; None: the target is removed
    inputs: tuple[Path, ...] = ()  # the files it was built from, which no output may replace
    check: PdfCheck | None = None  # the check of its PDF, while it runs

    def checked(self) -> _Prepared:
        """The document with what the check of its PDF found in its notes, once the check is done."""
        if self.check is not None and self.result.pdf is not None:
            findings = self.check.findings()
            self.result.notes += accessibility_notes(self.result.pdf.name, findings)
            self.result.not_pdf_ua = not_pdf_ua(self.result.pdf.name, findings, self.check.design)
            self.check = None
        return self


_Task = tuple[Path, BuildOptions, tuple[str, ...], Staging, str]


def _prepare(
    concept: Concept,
    options: BuildOptions,
    staging: Staging,
    key: str,
    office: LibreOffice,
    arranged: _Arranged | None = None,
) -> _Prepared:
    rendered = _render(concept, options, office, strict=False, arranged=arranged)
    check: PdfCheck | None = None
    # named as the concept writes the organisation: "Zellersdorf" and "Gemeinde Zellersdorf" give one file
    target = options.out_dir / output_name(concept, variant=options.variant, for_name=rendered.for_name)
    docx = staging.write(f"{key}-{options.variant}.docx", rendered.data)
    result = BuildResult(
        target,
        options.variant,
        page_numbers=rendered.page_numbers,
        contents=rendered.contents,
        notes=rendered.notes,
    )
    staged: list[tuple[Path | None, Path]] = [(docx, target)]
    if rendered.pdf is not None:
        pdf = staging.write(f"{key}-{options.variant}.pdf", rendered.pdf)
        result.pdf = target.with_suffix(".pdf")
        staged.append((pdf, result.pdf))
        design = [Path(p) for p in (options.template, options.reference_doc or concept.reference_doc) if p]
        check = PdfCheck(pdf, design)
    elif options.pdf and target.with_suffix(".pdf").is_file():
        # the .docx and its PDF are replaced together: never a new .docx beside the PDF of an older one
        staged.append((None, target.with_suffix(".pdf")))
        result.notes.append(f"{target.with_suffix('.pdf')}, the PDF of an earlier build, was removed")
    read = (*concept.input_files, options.template, options.reference_doc)
    return _Prepared(result, staged, tuple(path for path in read if path is not None), check)


@without_cycle_collection
def _prepare_folder(
    task: _Task, progress: Progress | None = None, office: LibreOffice | None = None
) -> list[_Prepared] | ConceptBuilderError:
    """Every variant of one folder, staged; the error that stopped it otherwise (a bug included).

    ``office`` lays the documents out; in a worker process, the worker's own.
    """
    folder, options, variants, staging, key = task
    office = office or worker_office()
    try:
        report = validate_folder(folder)
        concept = report.concept_or_raise()
        arranged = _Arranged.of(concept, options)  # the same for every variant
        prepared = []
        for number, variant in enumerate(variants, 1):
            if progress is not None:
                progress(folder, variant, number, len(variants))
            assert office is not None, "a LibreOffice for the build or the worker"
            document = _prepare(concept, replace(options, variant=variant), staging, key, office, arranged)
            document.result.warnings = report.warnings
            prepared.append(document)
        return [document.checked() for document in prepared]
    except ConceptBuilderError as error:
        return error
    except Exception as error:  # a bug must not stop or hide the other folders
        return InternalError(folder, error)


def _commit(staging: Staging, prepared: list[_Prepared]) -> None:
    """Put every staged file in place, unless two documents would get the same name."""
    targets = Counter(target for document in prepared for _, target in document.staged)
    clashes = sorted(str(target) for target, count in targets.items() if count > 1)
    if clashes:
        raise OutputError(
            f"several documents would be written to {', '.join(clashes)}; nothing was written"
            " (give the concepts different titles, districts or versions, or build them into different"
            " folders with -o)"
        )
    # an input named through a link is changed by replacing the link or the file it leads to
    inputs = {
        place: path
        for document in prepared
        for path in document.inputs
        for place in (_entry(path), path.resolve())
    }
    for document in prepared:
        for _, target in document.staged:
            if _entry(target) in inputs:
                raise OutputError(
                    f"{target}: would replace {inputs[_entry(target)]}, a file the build reads; nothing was"
                    " written (write the documents into another folder with -o, or rename the file)"
                )
    staging.commit([move for document in prepared for move in document.staged])


def _entry(path: Path) -> Path:
    """The folder entry ``path`` names, its folders' links resolved: what replacing a file there replaces."""
    return path.parent.resolve() / path.name

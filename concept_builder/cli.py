"""The command line: each command parses its options and calls the Python API."""

from __future__ import annotations

import difflib
import gc
import json
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import click

from . import (
    VARIANTS,
    BuildOptions,
    ConceptBuilderError,
    InputError,
    InternalError,
    OutputError,
    Problem,
    __version__,
)
from .collector import collection_paused
from .options import chosen_variants

EXIT_INVALID = 1
ALL = "all"  # every variant, as build_many takes it
BUG_HINT = "this is a bug in concept-builder: run again with --debug and report the traceback"
EXIT_INTERRUPTED = 130


def counted(count: int, word: str) -> str:
    """``1 error``, ``2 errors``: the count with its word, singular or plural."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _fail(error: ConceptBuilderError) -> None:
    _report_error(error)
    sys.exit(error.exit_code)


class _Commands(click.Group):
    """Suggests the command meant, and turns every failure into one line and an exit code."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            match = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f" Did you mean '{match[0]}'?" if match else ""
            ctx.fail(f"No such command '{name}'.{hint}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            with collection_paused():  # a command runs once and ends: see collector
                return super().invoke(ctx)
        except ConceptBuilderError as error:
            if debug:
                raise
            _fail(error)
        except KeyboardInterrupt:
            if debug:
                raise
            click.echo("interrupted: no output was changed", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as error:
            if debug:
                raise
            click.echo(f"internal error: {type(error).__name__}: {error}", err=True)
            click.echo(BUG_HINT, err=True)
            sys.exit(EXIT_INVALID)


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends a build as Ctrl-C does: temporary files are removed on the way out."""
    raise KeyboardInterrupt


def run() -> None:
    """The program: ``main`` for the command line, then the process ends."""
    try:
        main(prog_name="concept-builder")
    finally:
        # What the command made is frozen, so that the collection Python runs while it shuts down
        # does not walk it all once more (a tenth of a small build)
        gc.freeze()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="concept-builder")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an error (for bug reports).")
def main(debug: bool) -> None:
    """Build an Integrations- und Teilhabekonzept (.docx) from an input folder."""
    signal.signal(signal.SIGTERM, _terminate)


@main.command()
@click.argument("input_dirs", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder for the documents.",
)
@click.option(
    "-t",
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own Word template (.docx) instead of the default.",
)
@click.option(
    "--reference-doc",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An ordinary Word file whose styles, page set-up, headers and footers every document takes"
    " (the district's house style).",
)
@click.option(
    "--page-numbers/--no-page-numbers",
    default=True,
    help="Contents with page numbers, laid out by LibreOffice where it is installed (the default)."
    " --no-page-numbers skips LibreOffice for a quick draft; a PDF and its .docx always have them.",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also write an accessible PDF, contents with page numbers (needs LibreOffice).",
)
@click.option(
    "--variant",
    "variants",
    multiple=True,
    type=click.Choice([*VARIANTS, ALL]),
    help="Which document: "
    + ", ".join(f"{name} ({v.description})" for name, v in VARIANTS.items())
    + ", or all. Repeatable; the full concept by default.",
)
@click.option("--for", "for_name", help="Only the measures of this lead organisation or municipality.")
@click.option(
    "--changes-since",
    type=click.Path(file_okay=False, path_type=Path),
    help="Input folder of an earlier version: adds what changed since then as an appendix.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Build several input folders at once with this many processes (0: one per core).",
)
def build(
    input_dirs: tuple[Path, ...],
    out_dir: Path,
    template: Path | None,
    reference_doc: Path | None,
    page_numbers: bool,
    pdf: bool,
    changes_since: Path | None,
    variants: tuple[str, ...],
    for_name: str | None,
    jobs: int,
) -> None:
    """Build the concept in each INPUT_DIR (which holds concept.yaml) into Word documents."""
    from . import build_many

    options = BuildOptions(
        for_name=for_name,
        template=template,
        reference_doc=reference_doc,
        changes_since=changes_since,
        page_numbers=page_numbers,
        pdf=pdf,
        out_dir=out_dir,
    )
    several = len(input_dirs) > 1

    def progress(folder: Path, variant: str, number: int, total: int) -> None:
        if total > 1:
            click.echo(f"[{number}/{total}] {variant} …", err=True)

    if template is not None and len(chosen_variants(variants, for_name)) > 1:
        click.echo(
            f"note: one template, {template.name}, is used for every variant: each document shows what it"
            " holds, under its variant's title (a template for each variant: concept-builder template init"
            " FOLDER --variant NAME, then one build per variant)",
            err=True,
        )
    outcomes = build_many(input_dirs, options, variants=variants, jobs=jobs, progress=progress)
    failed: list[ConceptBuilderError] = []
    for input_dir, outcome in zip(input_dirs, outcomes, strict=True):
        if several:
            click.echo(f"{input_dir}:", err=True)
        if isinstance(outcome, ConceptBuilderError):
            failed.append(outcome)
            _report_error(outcome)
        else:
            if outcome:  # one folder's warnings, once, however many documents it gave
                _print_problems(outcome[0].warnings)
            noted: set[str] = set()  # a note on the folder (its design, its timeline) once for all documents
            if not all([_report_build(result, pdf, page_numbers, noted) for result in outcome]):
                failed.append(ConceptBuilderError("the PDF could not be made"))
    if failed:
        if several:
            total = counted(len(input_dirs), "concept")
            click.echo(f"{len(failed)} of {total} could not be built.", err=True)
        sys.exit(max(error.exit_code for error in failed))


def _report_error(error: ConceptBuilderError) -> None:
    if isinstance(error, InternalError):
        if error.original is not None and click.get_current_context().find_root().params.get("debug"):
            raise error.original
        click.echo(str(error), err=True)
        click.echo(BUG_HINT, err=True)
    elif isinstance(error, InputError):
        _print_problems(error.problems)
        count = len([p for p in error.problems if p.severity == "error"])
        click.echo(f"{counted(count, 'error')}: nothing was written.", err=True)
    else:
        click.echo(f"error: {error}", err=True)


def _contents_line(laid_out: bool, asked: bool) -> str:
    """What the table of contents shows: page numbers, or why not (the notes said why, where asked)."""
    if laid_out:
        return "table of contents: entries with page numbers (laid out by LibreOffice)"
    if asked:
        return "table of contents: entries without page numbers (Word adds them when fields are updated)"
    return (
        "table of contents: entries without page numbers, a draft (--no-page-numbers; Word adds them"
        " when fields are updated)"
    )


def _report_build(result: Any, pdf: bool, page_numbers: bool, noted: set[str]) -> bool:
    """Print what a build wrote, each note not ``noted`` before; False when a PDF was asked for and
    could not be made."""
    for note in result.notes:
        if note not in noted:
            noted.add(note)
            click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {result.path}")
    if result.pdf:
        click.echo(f"wrote {result.pdf}")
    if result.not_pdf_ua:
        click.echo(f"warning: {result.not_pdf_ua}", err=True)
    if result.contents:  # a template may have no table of contents: then there is nothing to say
        click.echo(_contents_line(result.page_numbers, page_numbers or pdf))
    if pdf and result.pdf is None:
        click.echo("error: the PDF could not be made; the .docx is written", err=True)
        return False
    return True


@main.command()
@click.argument("input_dir", type=click.Path(file_okay=False, path_type=Path))
def validate(input_dir: Path) -> None:
    """Check the inputs in INPUT_DIR and list every problem."""
    from . import validate_folder

    report = validate_folder(input_dir)
    _print_problems(report.problems)
    if report.errors or report.concept is None:
        click.echo(
            f"{counted(len(report.errors), 'error')}, {counted(len(report.warnings), 'warning')}", err=True
        )
        sys.exit(EXIT_INVALID)
    concept = report.concept
    goals = sum(len(t.goals) for t in concept.themes)
    measures = sum(len(t.measures) for t in concept.themes)
    counts = [
        counted(len(concept.themes), "theme"),
        counted(goals, "goal"),
        counted(measures, "measure"),
        counted(len(concept.quotes), "quote"),
        counted(len(report.warnings), "warning"),
    ]
    click.echo(f"{input_dir}: valid – {', '.join(counts)}")


@main.command()
@click.argument("input_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("document", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the remarks (and changes) as JSON.")
@click.option(
    "--apply", "apply_changes", is_flag=True, help="Write the tracked changes back into the inputs."
)
@click.option(
    "--untracked",
    is_flag=True,
    help="With --apply: also edits made without tracking changes, found by comparing with a fresh build.",
)
@click.option("--yes", "-y", is_flag=True, help="With --apply: write without asking.")
def review(
    input_dir: Path, document: Path, as_json: bool, apply_changes: bool, untracked: bool, yes: bool
) -> None:
    """List the comments and tracked changes of DOCUMENT by the file and line of INPUT_DIR they concern.

    DOCUMENT is a .docx built from INPUT_DIR and reviewed in Word or
    LibreOffice. With --apply, the tracked changes are written back into the
    inputs after a diff is shown; comments are only listed.
    """
    from . import UsageError, apply_review, review_document, validate_folder

    if not apply_changes and (untracked or yes):
        raise UsageError(f"{'--untracked' if untracked else '--yes'} works with --apply only (add --apply)")
    result = review_document(input_dir, document)
    if not apply_changes:
        click.echo(result.to_json() if as_json else result.to_text())
        return
    try:
        plan = apply_review(result, untracked=untracked)
    except ConceptBuilderError as error:
        click.echo(result.to_json() if as_json else result.to_text())
        raise error from None
    if as_json:
        click.echo(plan.to_json())
    else:
        click.echo(result.to_text())
        for refusal in plan.refusals:
            click.echo(str(refusal))
        click.echo(plan.diff(), nl=False)
    if not plan.contents:
        click.echo("nothing to apply: no tracked change maps onto the inputs", err=True)
        return
    if not yes:
        if not sys.stdin.isatty():
            click.echo("nothing was written: give --yes to write the changes", err=True)
            sys.exit(EXIT_INVALID)
        if not click.confirm("Write these changes into the inputs?", default=False, err=True):
            click.echo("nothing was written", err=True)
            return
    written = plan.write()
    click.echo(f"wrote {', '.join(str(f) for f in written)}", err=True)
    report = validate_folder(input_dir)
    if report.errors:
        _print_problems(report.problems)
        sys.exit(EXIT_INVALID)


@main.command()
@click.argument("old_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def diff(old_dir: Path, new_dir: Path, as_json: bool) -> None:
    """Show what changed from the concept in OLD_DIR to the one in NEW_DIR."""
    from . import diff_concepts, load_concept

    changes = diff_concepts(load_concept(old_dir), load_concept(new_dir))
    click.echo(changes.to_json() if as_json else changes.to_text(), nl=False)


@main.command()
@click.argument("input_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
def export(input_dir: Path, workbook: Path) -> None:
    """Write the measures of INPUT_DIR as a workbook (.xlsx) to edit in Excel or LibreOffice."""
    from . import export_measures, load_concept

    click.echo(f"wrote {export_measures(load_concept(input_dir), workbook)}")
    click.echo(
        f"to build from it, write in concept.yaml: measures_from: {workbook.name}"
        " (and remove the measures from the theme files)"
    )


@main.group()
def template() -> None:
    """Work with Word templates."""


@template.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--reference",
    is_flag=True,
    help="Write a reference document (hausdesign.docx) for --reference-doc: every style on a sample.",
)
@click.option(
    "--variant",
    type=click.Choice(list(VARIANTS)),
    help="Which document's template to copy (without --reference); the full concept's by default.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def template_init(folder: Path, reference: bool, variant: str | None, force: bool) -> None:
    """Write a file to customise in Word into FOLDER: a reference document or a template."""
    from . import init_template

    path = init_template(folder, variant, reference=reference, force=force)
    click.echo(f"wrote {path}")
    if reference:
        click.echo(
            "restyle it in Word (styles, page set-up, header and footer), then:"
            f" concept-builder build INPUT_DIR --reference-doc {path}"
        )
    else:
        option = f" --variant {variant}" if variant else ""
        if variant and VARIANTS[variant].needs_organisation:
            option += ' --for "ORGANISATION"'
        click.echo(f"edit it in Word, then: concept-builder build INPUT_DIR{option} --template {path}")


@main.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
def check(document: Path) -> None:
    """Check DOCUMENT (.docx or PDF): accessibility rules and the layout of a page that is ready to publish.

    A .docx is checked against BITV 2.0 / EN 301 549 as far as the file shows
    them, a PDF against the machine-checkable checkpoints of PDF/UA-1 and for
    its layout (broken words, split tables, lonely headings, contents without
    page numbers). One line per finding; exit code 1 when there is any.
    """
    from . import check_document

    findings = check_document(document)
    for finding in findings:
        click.echo(str(finding))
    if findings:
        click.echo(f"{counted(len(findings), 'finding')} in {document}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{document}: no accessibility findings")


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the input files, concept.yaml and its parts (for editors and checks)."""
    from . import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with click.open_file(str(output), "w", encoding="utf-8", atomic=True) as stream:
            stream.write(text)
    except OSError as error:
        raise OutputError(f"{output}: could not be written ({error.strerror or error})") from error
    click.echo(f"wrote {output}")


if __name__ == "__main__":  # pragma: no cover
    main()

"""What a build says of the documents it has just written: the findings of the check as notes, and a
PDF checked in a thread of its own while the next document of the build is made."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import ClassVar

from .check import PAGE_BREAK_RULES, Finding, check_written_pdf
from .errors import CheckError

MAX_NOTED = 10  # findings of a written document shown as notes; check lists them all


def accessibility_notes(name: str, findings: list[Finding]) -> list[str]:
    """The findings of the check of a document just written, as notes: a build never claims an
    accessible document, or pages ready to publish, silently. The template's pictures without alt
    text are noted by their place in the template already."""
    findings = [finding for finding in findings if finding.rule != "alt-text"]
    notes = [
        f"{name} is not ready to publish: {finding}"
        if finding.rule in PAGE_BREAK_RULES
        else f"{name} does not pass the accessibility check: {finding}"
        for finding in findings[:MAX_NOTED]
    ]
    if len(findings) > MAX_NOTED:
        notes.append(f"{name}: {len(findings) - MAX_NOTED} more findings (concept-builder check {name})")
    return notes


def not_pdf_ua(name: str, findings: list[Finding], design: list[Path]) -> str | None:
    """What a PDF the check finds PDF/UA problems in is, said plainly: not an accessible document.

    ``design`` are the template and the reference document of the build, where
    they are not ours: the likely cause, since ours give PDF/UA.
    """
    rules = sorted({finding.rule for finding in findings if finding.rule.startswith("pdf-")})
    if not rules:
        return None
    names = " and ".join(path.name for path in design)
    cause = (
        f"; the likely cause is {names}: a template or reference document that passes concept-builder"
        " check gives PDF/UA"
        if design
        else ""
    )
    return (
        f"{name} is not PDF/UA: the accessibility check finds {', '.join(rules)}"
        f" (concept-builder check {name} lists all){cause}"
    )


class PdfCheck:
    """The check of a PDF just written, in a thread of its own: while it runs, the next document of
    the build renders and LibreOffice lays it out (waiting for LibreOffice leaves the interpreter free).

    No process is forked while a check runs (``_no_check_running``): a child
    forked while the check imports a module would find that module's lock
    held forever, and the charts are drawn in a forked process.
    """

    running: ClassVar[set[threading.Thread]] = set()

    def __init__(self, path: Path, design: list[Path]) -> None:
        self.design = design  # the template and reference document, where they are not ours
        self._findings: list[Finding] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="pdf-check", daemon=True)
        PdfCheck.running.add(self._thread)
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            self._findings = check_pdf(path)
        except BaseException as error:  # raised where the findings are asked for
            self._error = error
        finally:
            PdfCheck.running.discard(self._thread)

    def findings(self) -> list[Finding]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._findings


def _no_check_running() -> None:
    for thread in list(PdfCheck.running):
        thread.join()


os.register_at_fork(before=_no_check_running)


def check_pdf(path: Path) -> list[Finding]:
    """The PDF/UA check of a PDF just written; a PDF the check cannot read is a finding too."""
    try:
        return check_written_pdf(path)
    except CheckError as error:
        return [Finding("pdf-tagged", "document", f"the check cannot read it: {error}", "build it again")]

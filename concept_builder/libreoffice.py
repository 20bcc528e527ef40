"""LibreOffice as a helper: the page on which each heading lands, and the accessible PDF.

LibreOffice is optional. Where it is missing, ``LibreOfficeError`` names the
package to install; the caller decides whether that is fatal.

A build's documents go through ``LibreOffice``: each is laid out once, and
that one layout gives both the page of every heading (for the contents) and
the tagged PDF, with one LibreOffice process for all documents of a build
(driven through its UNO API by ``uno_worker.py``, in a Python that has
LibreOffice's uno module). Where no such Python is found, each document is
converted with ``soffice --convert-to`` instead: once for the pages and once
more for the PDF.

Either way LibreOffice runs with a private profile that blocks links to
anything outside the document, macros and link updates, sends any network
request to a closed local port, and, where the system allows it, has no
network at all (an empty network namespace). Every run has a time limit, and
its PDF is checked to be one.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LibreOfficeError
from .libreoffice_input import PAGE_COUNT_PLACEHOLDER, for_pdf
from .pdf_finish import NOT_A_PDF, finished_pdf, has_pdf_markers
from .uno_client import StartFailed, UnoMissing, UnoSession, soffice_binary, uno_python

INSTALL_HINT = "install LibreOffice, e.g. apt-get install libreoffice-writer-nogui"
UNO_HINT = "install python3-uno (or set CONCEPT_BUILDER_UNO_PYTHON to a Python that can import uno)"
DEFAULT_TIMEOUT = 300
# Accessible PDF: tagged, PDF/UA, the title shown instead of the file name, bookmarks from the headings
_PDF_OPTIONS = {
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "DisplayPDFDocumentTitle": True,
    "ExportBookmarks": True,
}
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": "boolean", "value": "true" if value else "false"} for name, value in _PDF_OPTIONS.items()}
)


SOFFICE_ENVIRONMENT = {
    # the PDF's dates in UTC, whatever the machine's time zone, so that they can be replaced in place
    "TZ": "UTC",
    # LibreOffice 7.x paints a picture through a cached drawing-layer object that its tagged-PDF
    # export marks as an artifact, leaving the Figure with its alt text empty; without that cache
    # the picture is painted inside its Figure
    "SAL_DISABLE_MM02_GOODIES": "1",
}
# The private profile's settings: (node, property, type, value)
PROFILE_SETTINGS: list[tuple[str, str, str, str]] = [
    # nothing linked from outside the document: no image, text or template by URL or path
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "boolean", "true"),
    ("org.openoffice.Office.Writer/Content/Update", "Link", "int", "2"),  # never update links
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "boolean", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"),
    # any request that still goes out is sent to a proxy on a closed local port (9, discard)
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "int", "1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyName", "string", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "int", "9"),
    ("org.openoffice.Inet/Settings", "ooInetNoProxy", "string", ""),  # local addresses too
    ("org.openoffice.Office.Update/Update", "Enabled", "boolean", "false"),
    # no background work: autosave, recovery, spelling
    ("org.openoffice.Office.Common/Save/Document", "AutoSave", "boolean", "false"),
    ("org.openoffice.Office.Recovery/AutoSave", "Enabled", "boolean", "false"),
    ("org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "boolean", "false"),
    ("org.openoffice.Office.Linguistic/SpellChecking", "IsSpellAuto", "boolean", "false"),
]


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def profile_registry() -> str:
    """The settings of a private profile (its user/registrymodifications.xcu): ``PROFILE_SETTINGS``."""
    items = "".join(
        f'<item oor:path="/{node}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for node, name, _, value in PROFILE_SETTINGS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n"
    )


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command that runs a program without network – in a new, empty network namespace – or ().

    Tried once: containers (Docker's default seccomp profile) and some
    systems (AppArmor's rule against unprivileged user namespaces) forbid it.
    Anyone but root needs a user namespace for it, which keeps their uid (the
    names of LibreOffice's sockets hold it).
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    command = (unshare, "--net") if os.geteuid() == 0 else (unshare, "--map-current-user", "--net")
    try:
        probe = subprocess.run([*command, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return command if probe.returncode == 0 else ()


def convert_to_pdf(document: Path, out_dir: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert ``document`` to PDF in ``out_dir`` with ``soffice --convert-to``; return the PDF's path."""
    program = soffice()
    if program is None:
        raise LibreOfficeError(f"LibreOffice (soffice) was not found: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="concept-builder-lo-") as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(
            profile_registry(), encoding="utf-8"
        )
        command = [
            *network_isolation(),
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(out_dir),
            str(document),
        ]
        # its own process group: soffice starts helpers that must end with it
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **SOFFICE_ENVIRONMENT},
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"LibreOffice did not finish within {timeout:g} s") from exc
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    pdf = out_dir / (document.stem + ".pdf")
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise LibreOfficeError("LibreOffice could not convert the document to PDF")
    return pdf


def export_pdf(
    document: Path, *, moment: dt.datetime | None = None, timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """An accessible PDF of ``document`` by ``soffice --convert-to``, checked to be a PDF.

    With ``moment``, the PDF's dates are that moment and its id is derived from
    its content, so that the same document gives the same PDF.
    """
    with tempfile.TemporaryDirectory(prefix="concept-builder-pdf-") as folder:
        data = convert_to_pdf(document, Path(folder), timeout=timeout).read_bytes()
    return finished_pdf(data, moment)


def heading_pages(docx: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> list[tuple[str, int]]:
    """(heading text, page number) for every heading, in document order, as LibreOffice lays it out."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="concept-builder-pages-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        pdf = convert_to_pdf(source, Path(folder), timeout=timeout)
        if not has_pdf_markers(pdf.read_bytes()):
            raise LibreOfficeError(NOT_A_PDF)
        try:  # markers at its ends are not enough: a reader must find its pages
            reader = PdfReader(str(pdf))
            pages = len(reader.pages)
        except Exception as error:  # pypdf raises many kinds for a damaged file
            raise LibreOfficeError(NOT_A_PDF) from error
        if pages == 0:
            raise LibreOfficeError(NOT_A_PDF)
        try:
            return [(title, page + 1) for title, page in _walk_outline(reader, reader.outline)]
        except Exception as error:  # pypdf raises many kinds for a damaged file
            raise LibreOfficeError(
                f"LibreOffice wrote a PDF whose bookmarks cannot be read ({error})"
            ) from error


def _walk_outline(reader: Any, outline: list[Any]) -> list[tuple[str, int]]:
    entries: list[tuple[str, int]] = []
    for item in outline:
        if isinstance(item, list):
            entries.extend(_walk_outline(reader, item))
        else:
            entries.append((str(item.title), reader.get_destination_page_number(item)))
    return entries


Pages = Sequence[tuple[str, int]]  # as toc.Pages: each heading's text and page, in document order


@dataclass
class Published:
    """A document laid out by LibreOffice: the .docx whose contents show the pages, and its PDF."""

    docx: bytes
    pdf: bytes | None = None  # when asked for and made
    notes: list[str] = field(default_factory=list)  # what could not be done, or was done the slow way


class LibreOffice:
    """LibreOffice for the documents of one build: each laid out once, one process for all of them.

    ``start()`` starts LibreOffice in the background, so that it is ready by
    the time the first document is rendered; ``close()`` ends it and removes
    what it left behind (``with LibreOffice() as office:`` does both).
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._session: UnoSession | None = None
        self._without_uno: str | None = None  # why documents are converted instead
        self._failed: StartFailed | None = None  # LibreOffice would not start: not again in this build

    def start(self) -> None:
        """Start LibreOffice where it can be driven through UNO (otherwise each document starts its own)."""
        if self._session is None or not self._session.alive:
            self._session = self._new_session()
            if self._session is not None:
                try:
                    self._session.start()
                except UnoMissing as error:
                    self._without_uno = str(error)
                    self._session = None
                except StartFailed as error:
                    self._failed = error
                    self._session = None

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def publish(
        self,
        first: bytes,
        final: Callable[[Pages], bytes],
        *,
        pdf: bool = False,
        moment: dt.datetime | None = None,
    ) -> Published:
        """Lay out the .docx ``first`` (rendered without page numbers) and return the document to publish.

        ``final(pages)`` renders the .docx again with the page of each heading in
        its contents; with ``pdf``, the PDF shows the same contents. ``moment``
        makes the PDF reproducible (``reproducible_pdf``). Raises
        ``LibreOfficeError`` where LibreOffice could not lay the document out;
        a PDF that could not be made is a note.
        """
        if soffice() is None:
            raise LibreOfficeError(f"LibreOffice (soffice) was not found: {INSTALL_HINT}")
        self.start()
        if self._failed is not None:
            raise self._failed
        if self._session is not None:
            try:
                return self._publish_once(self._session, first, final, pdf=pdf, moment=moment)
            except UnoMissing as error:
                self._without_uno = str(error)
                self.close()
            except StartFailed as error:
                self._failed = error
                raise
        return self._publish_converted(first, final, pdf=pdf, moment=moment)

    def _new_session(self) -> UnoSession | None:
        program = soffice()
        if program is None or self._without_uno is not None or self._failed is not None:
            return None
        python = uno_python()
        if os.name != "posix":
            self._without_uno = "it is driven through UNO on Linux and macOS only"
        elif python is None:
            self._without_uno = "no Python with LibreOffice's uno module was found"
        else:
            return UnoSession(
                python,
                soffice_binary(program),
                registry=profile_registry(),
                wrapper=list(network_isolation()),
                environment=SOFFICE_ENVIRONMENT,
            )
        return None

    def _publish_once(
        self,
        session: UnoSession,
        first: bytes,
        final: Callable[[Pages], bytes],
        *,
        pdf: bool,
        moment: dt.datetime | None,
    ) -> Published:
        """One layout, driven through UNO; the final .docx is rendered while LibreOffice exports."""
        source = session.documents / "document.docx"
        target = session.documents / "document.pdf"
        source.write_bytes(for_pdf(first))
        try:
            layout = session.layout(
                source,
                timeout=self.timeout,
                pdf=target if pdf else None,
                pdf_options=_PDF_OPTIONS,
                page_count=PAGE_COUNT_PLACEHOLDER,
                on_pages=lambda pages: final(pages) if pages else first,
            )
            published = Published(layout.on_pages)
            if not layout.stable:
                published.notes.append(
                    "some page numbers in the contents may be off by one: writing them in moved headings"
                )
            if pdf:
                try:
                    published.pdf = finished_pdf(target.read_bytes(), moment)
                except (LibreOfficeError, OSError) as error:
                    published.notes.append(f"no PDF: {error}")
            return published
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)

    def _publish_converted(
        self, first: bytes, final: Callable[[Pages], bytes], *, pdf: bool, moment: dt.datetime | None
    ) -> Published:
        """``soffice --convert-to`` once for the pages and, for a PDF, once more for the final .docx."""
        published = Published(
            final(heading_pages(first, timeout=self.timeout)),
            notes=[f"LibreOffice ran the slow way, without its UNO bridge: {self._without_uno} – {UNO_HINT}"],
        )
        if pdf:
            with tempfile.TemporaryDirectory(prefix="concept-builder-pdf-") as folder:
                document = Path(folder) / "document.docx"
                document.write_bytes(for_pdf(published.docx, page_count=False))  # no layout to fill it in
                try:
                    published.pdf = export_pdf(document, moment=moment, timeout=self.timeout)
                except LibreOfficeError as error:
                    published.notes.append(f"no PDF: {error}")
        return published

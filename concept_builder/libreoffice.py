"""LibreOffice as a helper: PDF conversion and the page on which each heading lands.

LibreOffice is optional. Where it is missing, the functions here raise
``LibreOfficeError`` with the package to install; the caller decides whether
that is fatal. Each run gets a profile of its own (parallel runs would
otherwise collide), a time limit, and a check that the PDF really exists:
soffice exits 0 even when it could not load a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .errors import LibreOfficeError
from .pdf_artifacts import decorations_as_artifacts

INSTALL_HINT = "install LibreOffice, e.g. apt-get install libreoffice-writer-nogui"
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
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(<)")
_INFO_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\(D:)(\d{14})(Z)")
# PDF/UA: a page with annotations needs the tab order /Tabs /S, a name; LibreOffice writes a string
_TABS = re.compile(rb"/Tabs\(S\)")
# LibreOffice's link annotations lack the print flag; the optional /Type /Annot makes room for it
_LINK = re.compile(rb"/Type/Annot/Subtype/Link/")
# The structure elements and table attributes as LibreOffice writes them
_STRUCT_ELEMENT = re.compile(rb"\n(\d+) 0 obj\n<</Type/StructElem\n(.*?)>>\nendobj", re.DOTALL)
_KIND = re.compile(rb"/S/(\w+)")
_KIDS = re.compile(rb"/K\[([^\]]*)\]")
_ATTRIBUTES = re.compile(rb"/A \[([^\]]*)\]")
_REFERENCE = re.compile(rb"(\d+) 0 R")
_PARENT = re.compile(rb"/P (\d+) 0 R")
_COLUMN_SCOPE = re.compile(rb"\n(\d+) 0 obj\n<</O/Table\n/Scope/Column\n>>")
_ID = re.compile(rb"(/ID \[ <|\n<|/DocChecksum /)([0-9A-F]{32})")


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(document: Path, out_dir: Path, *, timeout: int = DEFAULT_TIMEOUT) -> Path:
    """Convert ``document`` to PDF in ``out_dir`` and return the PDF's path."""
    program = soffice()
    if program is None:
        raise LibreOfficeError(f"LibreOffice (soffice) was not found: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="concept-builder-lo-") as profile:
        command = [
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
            raise LibreOfficeError(f"LibreOffice did not finish within {timeout} s") from exc
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    pdf = out_dir / (document.stem + ".pdf")
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise LibreOfficeError("LibreOffice could not convert the document to PDF")
    return pdf


def export_pdf(document: Path, *, moment: dt.datetime | None = None, timeout: int = DEFAULT_TIMEOUT) -> bytes:
    """An accessible PDF of ``document``, checked to be a PDF.

    With ``moment``, the PDF's dates are that moment and its id is derived from
    its content, so that the same document gives the same PDF.
    """
    with tempfile.TemporaryDirectory(prefix="concept-builder-pdf-") as folder:
        data = convert_to_pdf(document, Path(folder), timeout=timeout).read_bytes()
    if not is_pdf(data):
        raise LibreOfficeError("LibreOffice wrote a file that is not a complete PDF")
    data = accessible_pdf(data)
    data = reproducible_pdf(data, moment) if moment else data
    return decorations_as_artifacts(data)  # last: it rewrites the file where it changes anything


def accessible_pdf(data: bytes) -> bytes:
    """Mend what LibreOffice writes wrong or cannot say for PDF/UA, in place: every byte offset stays.

    These are byte patterns of LibreOffice's own output (one object per
    structure element, attributes in objects of their own); a test fails if
    its output changes.
    """
    data = _TABS.sub(b"/Tabs /S", data)
    data = _LINK.sub(b"/Subtype/Link/F 4       /", data)
    return without_empty_elements(row_headers(data))


def row_headers(data: bytes) -> bytes:
    """Make the header cell that starts a row of data cells the header of its row (``/Scope /Row``).

    LibreOffice tags every header cell as the header of its column, also the
    labels of a profile (label | value); a screen reader should announce the
    label with its value.
    """
    kinds: dict[bytes, bytes] = {}
    children: dict[bytes, list[bytes]] = {}
    attributes: dict[bytes, list[bytes]] = {}
    for match in _STRUCT_ELEMENT.finditer(data):
        number, body = match.groups()
        kind = _KIND.search(body)
        kinds[number] = kind.group(1) if kind else b""
        kids = _KIDS.search(body)
        children[number] = _REFERENCE.findall(kids.group(1)) if kids else []
        attribute = _ATTRIBUTES.search(body)
        attributes[number] = _REFERENCE.findall(attribute.group(1)) if attribute else []
    scopes = set()
    for number, element in kinds.items():
        cells = [kinds.get(child) for child in children[number]]
        if element == b"TR" and len(cells) > 1 and cells[0] == b"TH" and all(c == b"TD" for c in cells[1:]):
            scopes.update(attributes[children[number][0]])
    if not scopes:
        return data

    def to_row(match: re.Match[bytes]) -> bytes:
        if match.group(1) not in scopes:
            return match.group(0)
        return match.group(0).replace(b"/Scope/Column", b"/Scope/Row   ")

    return _COLUMN_SCOPE.sub(to_row, data)


def without_empty_elements(data: bytes) -> bytes:
    """Take the structure elements that hold nothing out of the tree (their parents' /K), in place.

    LibreOffice tags an empty paragraph – such as the hairline between a
    table and a heading – as an empty P; a screen reader announces it.
    """
    empty: dict[bytes, bytes] = {}  # element → its parent
    for match in _STRUCT_ELEMENT.finditer(data):
        number, body = match.groups()
        if b"/K" in body or b"/Alt" in body or b"/ActualText" in body:
            continue
        parent = _PARENT.search(body)
        if parent:
            empty[number] = parent.group(1)
    if not empty:
        return data
    parents = set(empty.values())

    def pruned(match: re.Match[bytes]) -> bytes:
        number, body = match.groups()
        if number not in parents:
            return match.group(0)

        def blank(kids: re.Match[bytes]) -> bytes:
            return _REFERENCE.sub(
                lambda r: b" " * len(r.group(0)) if empty.get(r.group(1)) == number else r.group(0),
                kids.group(0),
            )

        return match.group(0).replace(body, _KIDS.sub(blank, body, count=1), 1)

    return _STRUCT_ELEMENT.sub(pruned, data)


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` begins as a PDF and ends with its end-of-file marker."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def reproducible_pdf(data: bytes, moment: dt.datetime) -> bytes:
    """Replace the time of conversion and the random id in LibreOffice's PDF, keeping every byte offset."""
    data = _XMP_DATE.sub(
        lambda m: m.group(1) + moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + m.group(3), data
    )
    data = _INFO_DATE.sub(lambda m: m.group(1) + moment.strftime("%Y%m%d%H%M%S").encode() + m.group(3), data)
    blank = _ID.sub(lambda m: m.group(1) + b"0" * len(m.group(2)), data)
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return _ID.sub(lambda m: m.group(1) + digest[: len(m.group(2))], data)


def heading_pages(docx: bytes, *, timeout: int = DEFAULT_TIMEOUT) -> list[tuple[str, int]]:
    """(heading text, page number) for every heading, in document order, as LibreOffice lays it out."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="concept-builder-pages-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        pdf = convert_to_pdf(source, Path(folder), timeout=timeout)
        if not is_pdf(pdf.read_bytes()):
            raise LibreOfficeError("LibreOffice wrote a file that is not a complete PDF")
        reader = PdfReader(str(pdf))
        return [(title, page + 1) for title, page in _walk_outline(reader, reader.outline)]


def _walk_outline(reader: Any, outline: list[Any]) -> list[tuple[str, int]]:
    entries: list[tuple[str, int]] = []
    for item in outline:
        if isinstance(item, list):
            entries.extend(_walk_outline(reader, item))
        else:
            entries.append((str(item.title), reader.get_destination_page_number(item)))
    return entries

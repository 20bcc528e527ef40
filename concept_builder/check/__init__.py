"""The check of a finished document: accessibility and a page that is ready to publish.

``check_document`` reads a Word document (``docx.py``: BITV 2.0 / EN 301 549
rules as far as the file shows them) or a PDF (``pdf.py``: the
machine-checkable PDF/UA-1 checkpoints, and ``layout.py``: what a
communications office would send back). Each finding names the rule, where
it is and how to fix it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..colours import contrast_ratio
from ..errors import CheckError
from .findings import PAGE_BREAK_RULES, Finding

__all__ = ["PAGE_BREAK_RULES", "Finding", "check_document", "check_written_pdf", "contrast_ratio"]


def check_document(path: str | Path) -> list[Finding]:
    """Every finding in the .docx or PDF at ``path``; empty when it passes."""
    path = Path(path)
    if not path.is_file():
        raise CheckError(f"{path}: not found")
    with path.open("rb") as file:
        start = file.read(5)
    if start == b"%PDF-":
        return _check_pdf(path)
    if zipfile.is_zipfile(path):
        from .docx import check_docx  # imported here, as the PDF's modules are: a build needs neither

        return check_docx(path)
    raise CheckError(f"{path}: is neither a Word document (.docx) nor a PDF")


def _check_pdf(path: Path) -> list[Finding]:
    # imported here: pikepdf and pdfplumber are needed only for PDFs
    from .layout import check_layout
    from .pdf import check_pdf
    from .pdf_file import open_pdf

    with open_pdf(path) as document:
        return check_pdf(document) + check_layout(document)


def check_written_pdf(path: str | Path) -> list[Finding]:
    """The PDF/UA findings in a PDF just written, its empty pages and its headings alone at a page's foot
    or on a page, quickly: the text is read only to quote such a heading.

    Private-use characters are judged by the fonts' Unicode maps instead of
    the text, and the layout rules that read every line are left out;
    ``check_document`` reads everything.
    """
    from .layout import check_page_breaks
    from .pdf import check_pdf
    from .pdf_file import open_pdf

    with open_pdf(Path(path)) as document:
        return check_pdf(document, text=False) + (check_page_breaks(document) if document.tagged else [])

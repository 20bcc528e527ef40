"""Decoration that LibreOffice paints outside the PDF's tags, marked as what it is: an artifact.

PDF/UA wants every mark on a page either in the structure tree or declared an
artifact. LibreOffice 7.4 paints a paragraph's border (a rule under a title,
a line beside a quote – common in a district's own Word styles) as a path
outside any marked content, and checkers reject the page. Each such path –
its construction operators and the operator that paints it – is wrapped in
``/Artifact BMC … EMC``; tagged content, text and images are left alone.
A PDF without such paths is returned unchanged, byte for byte.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pikepdf

CONSTRUCTION = {"m", "l", "c", "v", "y", "h", "re"}
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
ENDING = PAINTING | {"n"}  # "n" ends a path without painting it (a clipping path)
OPENING = {"BMC", "BDC"}
_SEEN = " ".join(sorted(CONSTRUCTION | ENDING | OPENING | {"EMC", "BT", "ET"}))  # what _wrapped looks at


def decorations_as_artifacts(data: bytes) -> bytes:
    """``data`` with every path painted outside marked content wrapped as an artifact.

    Raises ``ValueError`` where ``data`` cannot be read as a PDF with pages.
    """
    # read from a file: qpdf reads a Python stream through a call for every piece, three times slower
    with tempfile.TemporaryDirectory(prefix="concept-builder-pdf-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        try:
            with pikepdf.open(path) as pdf:
                if len(pdf.pages) == 0:
                    raise ValueError("a PDF without pages")
                return _with_artifacts(data, pdf)
        except pikepdf.PdfError as error:
            raise ValueError(f"not a PDF: {error}") from error


def _with_artifacts(data: bytes, pdf: pikepdf.Pdf) -> bytes:
    changed = False
    for page in pdf.pages:
        # found among the operators that matter first: most pages have no such path, and the
        # text operators are most of a page
        if _wrapped(pikepdf.parse_content_stream(page, _SEEN)) is None:
            continue
        wrapped = _wrapped(pikepdf.parse_content_stream(page))
        if wrapped is not None:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(wrapped))
            changed = True
    if not changed:
        return data
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)  # the same input gives the same bytes
    return out.getvalue()


Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


def _wrapped(instructions: list[Instruction]) -> list[Instruction] | None:
    """The page's instructions with untagged painted paths as artifacts; None where there are none."""
    result: list[Instruction] = []
    depth = 0  # marked-content nesting
    in_text = False
    path: list[Instruction] = []
    changed = False
    for instruction in instructions:
        operator = str(getattr(instruction, "operator", ""))
        if depth == 0 and not in_text and (path or operator in CONSTRUCTION):
            path.append(instruction)
            if operator in ENDING:
                if operator in PAINTING:
                    result += [_operator([pikepdf.Name.Artifact], "BMC"), *path, _operator([], "EMC")]
                    changed = True
                else:
                    result += path
                path = []
            continue
        if operator in OPENING:
            depth += 1
        elif operator == "EMC":
            depth = max(depth - 1, 0)
        elif operator == "BT":
            in_text = True
        elif operator == "ET":
            in_text = False
        result.append(instruction)
    result += path
    return result if changed else None


def _operator(operands: list[pikepdf.Name], operator: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))

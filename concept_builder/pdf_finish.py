"""What LibreOffice's PDF gets before it is published: checked to be a PDF, mended for PDF/UA where
LibreOffice 7.4 writes something wrong or cannot say it, and made reproducible.

The repairs work on LibreOffice's own bytes (one object per structure
element, attributes in objects of their own) and keep every byte offset, so
the file's cross-reference table stays right; a test fails if LibreOffice's
output changes. Decoration painted outside the tags is marked as artifacts
last (``pdf_artifacts``), which rewrites the file where it changes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from .errors import LibreOfficeError

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


def finished_pdf(data: bytes, moment: dt.datetime | None) -> bytes:
    """LibreOffice's PDF, checked to be one, mended for PDF/UA and, with ``moment``, reproducible."""
    if not has_pdf_markers(data):
        raise LibreOfficeError(NOT_A_PDF)
    data = accessible_pdf(data)
    data = reproducible_pdf(data, moment) if moment else data
    from .pdf_artifacts import decorations_as_artifacts  # pikepdf: only where a PDF is written

    try:  # last: it rewrites the file where it changes anything, and it reads the file as a whole
        return decorations_as_artifacts(data)
    except ValueError as error:
        raise LibreOfficeError(NOT_A_PDF) from error


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


NOT_A_PDF = "LibreOffice wrote a file that is not a complete PDF"


def has_pdf_markers(data: bytes) -> bool:
    """Whether ``data`` begins and ends as a PDF does. A LibreOffice that failed may leave anything
    behind; a file that merely begins and ends like a PDF is refused when it is read as a whole."""
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

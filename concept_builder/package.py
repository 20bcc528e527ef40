"""What a .docx package may contain: nothing that reaches outside it.

A template may come from a third party. Word and LibreOffice load what a
document links to – a picture at a URL, a file on the disk, another
document, an embedded object that updates itself – so a template with such
a link could make the machine that builds or opens our document fetch or
embed anything. Templates are checked before they are rendered, and every
document after rendering (a template can assemble a field code from text).
Hyperlinks are the one kind of outside reference allowed: nothing follows
them unless a reader clicks.

The scan works on the bytes of each part with regular expressions rather
than parsing them: the document part of a large concept is tens of
megabytes, and the few constructs looked for have a fixed form.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HYPERLINK = RELATIONSHIPS + "hyperlink"
# Parts that bring content from elsewhere or run it: refused even inside the package
REFUSED_TYPES = {
    "aFChunk": "an imported file (altChunk)",
    "oleObject": "an embedded or linked object (OLE)",
    "package": "an embedded document",
    "subDocument": "a subdocument",
    "control": "an ActiveX control",
    "vbaProject": "macros",
    "attachedTemplate": "an attached template",
    "frame": "a frame with another document",
}
# Field codes that load something when the field is updated
REFUSED_FIELDS = ("INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDEAUTO", "DDE")

_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(Id|Type|Target|TargetMode)="([^"]*)"')
_FIELD_TOKEN = re.compile(
    rb'<w:fldChar\b[^>]*w:fldCharType="(begin|separate|end)"'
    rb"|<w:instrText\b[^>]*>([^<]*)</w:instrText>"
    rb'|<w:fldSimple\b[^>]*\bw:instr="([^"]*)"'
)
_VML_LINK = re.compile(rb'\bo:href="([^"]*)"')


@dataclass(frozen=True)
class OutsideReference:
    """Something in a part that reaches outside the package."""

    part: str
    what: str
    target: str

    def __str__(self) -> str:
        return f"{self.part}: {self.what} {self.target!r}"


def outside_references(
    package: zipfile.ZipFile, parts: dict[str, bytes] | None = None
) -> list[OutsideReference]:
    """Every reference in ``package`` to something outside it; ``parts`` replaces some parts' content."""
    parts = parts or {}
    found: list[OutsideReference] = []
    for name in package.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        data = parts.get(name)
        if data is None:
            data = package.read(name)
        if name.endswith(".rels"):
            found.extend(_relationship_problems(name, data))
        else:
            found.extend(_field_problems(name, data))
            found.extend(
                OutsideReference(name, "a picture linked from", link.decode("utf-8", "replace"))
                for link in _VML_LINK.findall(data)
                if link
            )
    return found


def _relationship_problems(part: str, data: bytes) -> Iterator[OutsideReference]:
    for element in _RELATIONSHIP.findall(data):
        attributes = {
            key.decode(): value.decode("utf-8", "replace") for key, value in _ATTRIBUTE.findall(element)
        }
        kind = attributes.get("Type", "")
        target = attributes.get("Target", "")
        short = kind.rsplit("/", 1)[-1]
        if short in REFUSED_TYPES:
            yield OutsideReference(part, REFUSED_TYPES[short], target)
        elif attributes.get("TargetMode") == "External" and kind != HYPERLINK:
            yield OutsideReference(part, f"a {short or 'part'} linked from", target)


def field_instructions(data: bytes) -> Iterator[str]:
    """The instruction of every field in a part, as Word reads it: the pieces of one field joined.

    A field runs begin → instruction → separate → result → end; fields may nest
    in the instruction or the result.
    """
    open_fields: list[list[bytes] | None] = []  # per open field: its pieces, None once past the instruction
    for match in _FIELD_TOKEN.finditer(data):
        kind, piece, simple = match.groups()
        if simple is not None:
            yield _unescape(simple)
        elif piece is not None:
            pieces = open_fields[-1] if open_fields else None
            if pieces is not None:
                pieces.append(piece)
        elif kind == b"begin":
            open_fields.append([])
        elif open_fields:
            pieces = open_fields.pop() if kind == b"end" else open_fields[-1]
            if pieces is not None:
                yield _unescape(b"".join(pieces))
            if kind == b"separate":
                open_fields[-1] = None


def _field_problems(part: str, data: bytes) -> Iterator[OutsideReference]:
    if b"instr" not in data:
        return
    for instruction in field_instructions(data):
        words = instruction.split()
        if words and words[0].upper() in REFUSED_FIELDS:
            yield OutsideReference(part, f"a field {words[0].upper()} loading", instruction)


def _unescape(text: bytes) -> str:
    return html.unescape(text.decode("utf-8", "replace"))

"""What a .docx package may contain: nothing that reaches outside it.

A template or reference document may come from a third party. Word and
LibreOffice load what a document links to – a picture at a URL, a file on
the disk, another document, an embedded object that updates itself – so a
package with such a link could make the machine that builds or opens our
document fetch or embed anything. Packages are checked before they are used,
and every document a foreign template renders is checked again (a template
can assemble a field code from text). Hyperlinks are the one kind of outside
reference allowed: nothing follows them unless a reader clicks.

Parts are read with a namespace-aware XML parser (expat, streaming), as Word
reads them: an element is what its namespace says, whatever its prefix, and
quoting, character references and CDATA change nothing. A part that
declares a document type (and with it entities) is refused. A part holding none of the names looked
for, in a package without outside relationships, is passed over unparsed: the
document part of a large concept is tens of megabytes.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol
from xml.parsers import expat

RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HYPERLINK = RELATIONSHIPS + "hyperlink"
# The namespaces of relationship ids in attributes (transitional and strict), and VML's own
RELATIONSHIP_NAMESPACES = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
OFFICE_NS = "urn:schemas-microsoft-com:office:office"
VML_NS = "urn:schemas-microsoft-com:vml"
# Elements that may point at an outside (hyperlink) relationship: only a click follows them
HYPERLINK_ELEMENTS = {"hyperlink", "hlinkClick", "hlinkHover"}
# VML elements whose href or src loads a picture (a shape's own href is a hyperlink)
VML_PICTURES = {"imagedata", "image", "fill", "stroke"}
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
REFUSED_FIELDS = (
    "INCLUDEPICTURE",
    "INCLUDETEXT",
    "INCLUDE",
    "IMPORT",
    "LINK",
    "DDEAUTO",
    "DDE",
    "DATABASE",
    "RD",
    "EMBED",
)
# Names without which a part holds nothing this scan looks for (element and attribute names
# are never written with character references, so a byte search finds them)
_MARKERS = (b"instr", b"src", b"href", b"relid", b"<!DOCTYPE", b"<!ENTITY")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//|^\\\\")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")
XML_NAMES = (".xml", ".vml", ".svg")  # parts that must be well-formed XML
_BYTE_ORDER_MARKS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True)
class OutsideReference:
    """Something in a part that reaches outside the package."""

    part: str
    what: str
    target: str

    def __str__(self) -> str:
        return f"{self.part}: {self.what} {self.target!r}"


class DamagedPackage(ValueError):
    """A part cannot be read as Word reads it, or refers to a part the package lacks."""


@dataclass
class _Relationships:
    """The relationships of one part that point outside (hyperlinks: the only ones allowed)."""

    outside: dict[str, str] = field(default_factory=dict)  # id → target


def outside_references(
    package: zipfile.ZipFile, parts: dict[str, bytes] | None = None
) -> list[OutsideReference]:
    """Every reference in ``package`` to something outside it; ``parts`` replaces some parts' content.

    ``DamagedPackage`` for a part that is not well-formed XML, declares a
    document type, or a relationship to a part the package does not contain.
    """
    parts = parts or {}
    entries = [entry for entry in package.infolist() if not entry.is_dir()]
    names = {entry.filename for entry in entries}

    def read(entry: zipfile.ZipInfo) -> bytes:
        replaced = parts.get(entry.filename)
        return replaced if replaced is not None else package.read(entry)

    found: list[OutsideReference] = []
    relationships: dict[str, _Relationships] = {}
    for entry in entries:
        if entry.filename.endswith(".rels"):
            source = _source_of(entry.filename)
            found.extend(
                _relationship_problems(
                    entry.filename, read(entry), names, relationships.setdefault(source, _Relationships())
                )
            )
    for entry in entries:
        if entry.filename.endswith(".rels"):
            continue
        data = read(entry)
        named = entry.filename.lower().endswith(XML_NAMES)
        if not named and not _looks_like_xml(data):
            continue  # a picture, a font
        own = relationships.get(entry.filename, _Relationships())
        if own.outside or not _plain_utf8(data) or any(marker in data for marker in _MARKERS):
            scan = _PartScan(entry.filename, own)
            try:
                scan.run(data)
            except DamagedPackage:
                if named:
                    raise
                # HTML or text beginning with "<": neither Word nor LibreOffice reads it as XML
            found.extend(scan.found)
    return found


def _source_of(relationships_part: str) -> str:
    """The part a relationships part belongs to: ``word/_rels/document.xml.rels`` → ``word/document.xml``."""
    folder, name = posixpath.split(relationships_part)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


def _relationship_problems(
    part: str, data: bytes, names: set[str], into: _Relationships
) -> Iterator[OutsideReference]:
    source = _source_of(part)
    live = source in names or source == ""  # the package's own relationships have no source part
    scan = _RelationshipsScan()
    _parse(part, data, scan)
    for element in scan.found:
        kind = element.get("Type", "")
        target = element.get("Target", "")
        short = kind.rsplit("/", 1)[-1]
        identifier = element.get("Id", "")
        external = element.get("TargetMode", "Internal") != "Internal"
        if short in REFUSED_TYPES:
            yield OutsideReference(part, REFUSED_TYPES[short], target)
        elif external and kind != HYPERLINK:
            yield OutsideReference(part, _linked(short), target)
        elif external:
            into.outside[identifier] = target
        elif _SCHEME.search(target):  # called internal, but a URL or a path on some machine
            yield OutsideReference(part, _linked(short), target)
        elif live and _member(source, target) not in names:
            raise DamagedPackage(f"{part} refers to {target!r}, a part the file does not contain")


def _linked(kind: str) -> str:
    """What links outside, for a message: a relationship's type or the element that uses it."""
    if kind in ("image", "blip", *VML_PICTURES):
        return "a picture linked from"
    kind = kind or "part"
    return f"{'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind} linked from"


def _member(source: str, target: str) -> str:
    """The zip member a relationship's target names, resolved as python-docx and Word resolve it."""
    base = posixpath.dirname("/" + source)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def _looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or data.startswith(_BYTE_ORDER_MARKS)


def _plain_utf8(data: bytes) -> bool:
    """Whether names in ``data`` can be found as bytes: UTF-8 (or ASCII), not UTF-16 or another encoding."""
    if data.startswith(_BYTE_ORDER_MARKS) or b"\x00" in data[:4]:
        return False
    declared = _DECLARED_ENCODING.match(data[:200])
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _parse(part: str, data: bytes, handlers: _Handlers) -> None:
    """Read ``data`` with expat, namespaces resolved (names come as "namespace local").

    No tree is built, so memory stays small for the largest parts; no
    document type, entity or network access: a part that declares a
    document type is refused, as Word refuses it.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def doctype(*_: object) -> None:
        raise DamagedPackage(f"{part} declares a document type, which Word documents never do")

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = handlers.start
    parser.EndElementHandler = handlers.end
    parser.CharacterDataHandler = handlers.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        message = expat.errors.messages[error.code]
        raise DamagedPackage(f"{part} is not well-formed XML ({message}, line {error.lineno})") from None


class _Handlers(Protocol):
    def start(self, name: str, attributes: dict[str, str]) -> None: ...
    def end(self, name: str) -> None: ...
    def text(self, data: str) -> None: ...


def _split(name: str) -> tuple[str | None, str]:
    """The namespace and local name of a name as expat gives it: "namespace local", or "local"."""
    namespace, _, local = name.rpartition(" ")
    return namespace or None, local


@dataclass
class _Field:
    """A complex field being read: its instruction so far; None once past it."""

    pieces: list[str] | None = field(default_factory=list)
    named: bool = False  # whether text of its own came before any nested field


@dataclass
class _PartScan:
    """One pass over an XML part: the instruction of every field, and what links outside."""

    part: str
    relationships: _Relationships
    found: list[OutsideReference] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)  # of every field, as Word reads it
    open_fields: list[_Field] = field(default_factory=list)
    in_instruction: bool = False  # inside an instrText element

    def run(self, data: bytes) -> None:
        """Read the part into ``found``: fields that load something, pictures and objects linked outside."""
        _parse(self.part, data, self)
        for instruction in self.instructions:
            words = instruction.split()
            name = words[0].strip("\"'").upper() if words else ""
            if name in REFUSED_FIELDS:
                self.found.append(OutsideReference(self.part, f"a field {name} loading", instruction))

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, local = _split(name)
        for attribute_name, value in attributes.items():
            attribute_namespace, attribute = _split(attribute_name)
            if attribute == "instr":  # a simple field
                self.instructions.append(value)
            elif attribute_namespace in RELATIONSHIP_NAMESPACES or attribute == "relid":
                target = self.relationships.outside.get(value)
                if target is not None and local not in HYPERLINK_ELEMENTS:
                    self.found.append(OutsideReference(self.part, _linked(local), target))
            elif attribute in ("src", "href") and value.strip() and not value.startswith(("#", "data:")):
                shape = namespace == VML_NS and local not in VML_PICTURES
                if not (attribute == "href" and attribute_namespace is None and shape):  # a shape's hyperlink
                    self.found.append(OutsideReference(self.part, _linked(local), value))
        if local in ("instrText", "delInstrText"):
            self.in_instruction = True
        elif local == "fldChar":
            kind = next((v for k, v in attributes.items() if _split(k)[1] == "fldCharType"), "")
            self._field_char(kind)

    def end(self, name: str) -> None:
        self.in_instruction = False

    def text(self, data: str) -> None:
        current = self.open_fields[-1] if self.open_fields else None
        if self.in_instruction and current is not None and current.pieces is not None:
            current.pieces.append(data)
            current.named = current.named or bool(data.strip())

    def _field_char(self, kind: str) -> None:
        """A field runs begin → instruction → separate → result → end; fields nest in both."""
        if kind == "begin":
            outer = self.open_fields[-1] if self.open_fields else None
            if outer is not None and outer.pieces is not None and not outer.named:
                # Word would take the field's name from the nested field's result
                made = "".join(outer.pieces)
                self.found.append(
                    OutsideReference(self.part, "a field whose name is made by another field", made)
                )
            self.open_fields.append(_Field())
        elif kind in ("separate", "end") and self.open_fields:
            current = self.open_fields.pop() if kind == "end" else self.open_fields[-1]
            if current.pieces is not None:
                self.instructions.append("".join(current.pieces))
                current.pieces = None


@dataclass
class _RelationshipsScan:
    """One pass over a relationships part: each relationship's attributes."""

    found: list[dict[str, str]] = field(default_factory=list)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if _split(name)[1] == "Relationship":
            self.found.append(attributes)

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


def field_instructions(data: bytes) -> list[str]:
    """The instruction of every field in a part (XML with its namespaces), as Word reads it."""
    scan = _PartScan("part", _Relationships())
    _parse("part", data, scan)
    return scan.instructions

"""A reviewed Word document read as a sequence of text pieces, each knowing its marker, change and comments.

Word and LibreOffice write comments as ranges (``w:commentRangeStart`` …
``w:commentRangeEnd``) with the text in ``word/comments.xml``, and tracked
changes as ``w:ins`` and ``w:del`` around runs (``w:delText`` holds deleted
text; a paragraph mark inserted or deleted sits in ``w:pPr/w:rPr``), and a
change of formatting as the properties before it (``w:rPrChange`` in a run's
``w:rPr``, ``w:pPrChange`` in a paragraph's ``w:pPr``). The source markers
are our bookmarks (``markers``). The body is read in document order, then
the headers, footers, footnotes and endnotes, where reviewers write too.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from ..errors import CheckError
from ..markers import read_custom_properties
from ..sources import MARKER_PREFIX
from ..word import W

Kind = Literal["normal", "inserted", "deleted"]
# a line break (Shift+Enter) inserted while tracking: set apart from a paragraph break ("\n"), which
# the inputs know as a blank line, since a value has no way to hold it
LINE_BREAK = "\u2028"
MAX_PART_BYTES = 150_000_000  # as check reads them: far beyond any concept
_MARKER_NAME = re.compile(rf"^({re.escape(MARKER_PREFIX)}[a-z2-7]{{10}})(?:_\d+)?$")
_CUSTOM_PROPERTIES = "docProps/custom.xml"
_HINT = " (give the .docx as Word or LibreOffice saved it; if Word still opens it, save it there anew)"


@dataclass(frozen=True)
class Change:
    """One tracked change as Word or LibreOffice wrote it."""

    id: str
    kind: Kind
    author: str
    date: str


@dataclass
class Piece:
    """A stretch of text with one state: its marker (occurrence name), tracked change and comments."""

    text: str
    kind: Kind
    marker: str | None  # the innermost source marker around it, as named in the document
    change: Change | None
    comments: frozenset[str]
    paragraph: int  # which paragraph of the document it is in (the body's first, then the other parts')
    formatting: Change | None = None  # a tracked change of its formatting
    part: str = ""  # "" in the body, else the part it is in: "header", "footer", "footnote", "endnote"


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchor: int  # the index of the piece where its reference mark sits


@dataclass
class Reading:
    """What a reviewed document holds."""

    pieces: list[Piece] = field(default_factory=list)
    comments: dict[str, Comment] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)


def source_name(marker: str) -> str | None:
    """The source name of a marker (``_cbxxxxxxxxxx`` of ``_cbxxxxxxxxxx_2``), or None for other bookmarks."""
    match = _MARKER_NAME.match(marker)
    return match.group(1) if match else None


def read_document(document: Path | bytes) -> Reading:
    """Read the body, the comments and the custom properties of a .docx (a file, or its bytes)."""
    path = document if isinstance(document, Path) else Path("document.docx")
    try:
        package = zipfile.ZipFile(document if isinstance(document, Path) else io.BytesIO(document))
        names = set(package.namelist())
        if "word/document.xml" not in names:
            raise CheckError(f"{path}: not a Word document (no word/document.xml){_HINT}")
        reading = Reading()
        body = _parse(package, "word/document.xml", path)
        others = [(_part_kind(name), _parse(package, name, path)) for name in _other_parts(names)]
        texts = (
            _comment_texts(_parse(package, "word/comments.xml", path)) if "word/comments.xml" in names else {}
        )
        if _CUSTOM_PROPERTIES in names:
            reading.properties = read_custom_properties(package.read(_CUSTOM_PROPERTIES))
    except (zipfile.BadZipFile, OSError) as exc:
        raise CheckError(f"{path}: cannot be read as a Word document ({exc}){_HINT}") from exc
    walker = _Walker(reading, texts)
    walker.walk(body.find(f"{W}body"), "")
    for kind, root in others:
        walker.walk(root, kind)
    return reading


_OTHER_PART = re.compile(r"^word/(header|footer)(\d*)\.xml$|^word/(footnotes|endnotes)\.xml$")


def _other_parts(names: set[str]) -> list[str]:
    """The headers, footers, footnotes and endnotes of a package, in a stable order."""
    found = [name for name in names if _OTHER_PART.match(name)]
    order = ["header", "footer", "footnote", "endnote"]
    return sorted(found, key=lambda name: (order.index(_part_kind(name)), len(name), name))


def _part_kind(name: str) -> str:
    """``header`` of ``word/header2.xml``, ``footnote`` of ``word/footnotes.xml``."""
    match = _OTHER_PART.match(name)
    assert match is not None
    return match.group(1) or match.group(3)[:-1]


def _parse(package: zipfile.ZipFile, name: str, path: Path) -> Any:
    info = package.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise CheckError(f"{path}: {name} is far larger than a document's ({info.file_size:,} bytes){_HINT}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(package.read(name), parser)
    except etree.XMLSyntaxError as exc:
        raise CheckError(f"{path}: {name} is damaged ({exc}){_HINT}") from exc


def _comment_texts(root: etree._Element) -> dict[str, tuple[str, str, str]]:
    """Each comment's author, date and text (its paragraphs on lines of their own)."""
    found = {}
    for comment in root.iter(f"{W}comment"):
        paragraphs = ["".join(_plain_text(p)) for p in comment.iter(f"{W}p")]
        found[comment.get(f"{W}id", "")] = (
            comment.get(f"{W}author", ""),
            comment.get(f"{W}date", ""),
            "\n".join(paragraphs).strip(),
        )
    return found


def _plain_text(element: etree._Element) -> list[str]:
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br"):
        parts.append(node.text or "" if node.tag == f"{W}t" else ("\t" if node.tag == f"{W}tab" else "\n"))
    return parts


_CHANGE_TAGS = {
    f"{W}ins": "inserted",
    f"{W}del": "deleted",
    f"{W}moveTo": "inserted",
    f"{W}moveFrom": "deleted",
}
_SKIPPED = {f"{W}pPr", f"{W}rPr", f"{W}instrText", f"{W}delInstrText", f"{W}sectPr", f"{W}tblPr", f"{W}trPr"}


class _Walker:
    def __init__(self, reading: Reading, comment_texts: dict[str, tuple[str, str, str]]) -> None:
        self.reading = reading
        self.comment_texts = comment_texts
        self.markers: dict[str, str] = {}  # open bookmark id → marker name, in opening order
        self.open_comments: set[str] = set()
        self.paragraph = 0
        self.open_ids: set[str | None] = set()  # the ids of marker starts to follow
        self.formatting: Change | None = None  # the formatting change of the paragraph or run walked
        self.part = ""

    def walk(self, body: etree._Element | None, part: str) -> None:
        """Read one part: the body, a header (``w:hdr``), a footer, the footnotes or the endnotes."""
        self.markers, self.open_comments, self.open_ids, self.part = {}, set(), set(), part
        if body is not None:
            ends = {end.get(f"{W}id") for end in body.iter(f"{W}bookmarkEnd")}
            # LibreOffice writes a bookmark across paragraphs as two starts of one name, the first
            # without an end: that one is open until the second, which continues it
            later_ended: set[str] = set()
            for start in reversed(list(body.iter(f"{W}bookmarkStart"))):
                name, identifier = start.get(f"{W}name", ""), start.get(f"{W}id")
                if not source_name(name):
                    continue
                if identifier in ends:
                    later_ended.add(name)
                    self.open_ids.add(identifier)
                elif name in later_ended:
                    self.open_ids.add(identifier)
            self.element(body, None)

    def add(self, text: str, change: Change | None) -> None:
        marker = next(reversed(self.markers.values()), None) if self.markers else None
        self.reading.pieces.append(
            Piece(
                text,
                change.kind if change else "normal",
                marker,
                change,
                frozenset(self.open_comments),
                self.paragraph,
                self.formatting,
                self.part,
            )
        )

    def element(self, element: etree._Element, change: Change | None) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag in _CHANGE_TAGS:
                self.element(child, _change(child, _CHANGE_TAGS[tag]))
            elif tag == f"{W}p":
                outer = self.formatting
                self.formatting = _formatting_change(child, f"{W}pPr/{W}pPrChange") or outer
                self.element(child, change)
                self.formatting = outer
                self.add("\n", _paragraph_mark_change(child) or None)
                self.paragraph += 1
            elif tag == f"{W}r":
                outer = self.formatting
                self.formatting = _formatting_change(child, f"{W}rPr/{W}rPrChange") or outer
                self.element(child, change)
                self.formatting = outer
            elif tag == f"{W}t" or tag == f"{W}delText":
                if child.text:
                    self.add(child.text, change)
            elif tag == f"{W}tab":
                self.add("\t", change)
            elif tag in (f"{W}br", f"{W}cr"):
                self.add(LINE_BREAK if change and change.kind == "inserted" else "\n", change)
            elif tag == f"{W}noBreakHyphen":
                self.add("-", change)
            elif tag == f"{W}bookmarkStart":
                name = child.get(f"{W}name", "")
                identifier = child.get(f"{W}id", "")
                if identifier in self.open_ids:
                    for other in [i for i, n in self.markers.items() if n == name]:
                        del self.markers[other]  # the second start of LibreOffice's two
                    self.markers[identifier] = name
            elif tag == f"{W}bookmarkEnd":
                self.markers.pop(child.get(f"{W}id", ""), None)
            elif tag == f"{W}commentRangeStart":
                self.open_comments.add(child.get(f"{W}id", ""))
            elif tag == f"{W}commentRangeEnd":
                self.open_comments.discard(child.get(f"{W}id", ""))
            elif tag == f"{W}commentReference":
                self.comment(child.get(f"{W}id", ""))
            else:
                self.element(child, change)

    def comment(self, identifier: str) -> None:
        author, date, text = self.comment_texts.get(identifier, ("", "", ""))
        if identifier not in self.reading.comments:
            anchor = max(len(self.reading.pieces) - 1, 0)
            self.reading.comments[identifier] = Comment(identifier, author, date, text, anchor)


def _change(element: etree._Element, kind: str) -> Change:
    return Change(
        element.get(f"{W}id", ""),
        "inserted" if kind == "inserted" else "deleted",
        element.get(f"{W}author", ""),
        element.get(f"{W}date", ""),
    )


def _formatting_change(element: etree._Element, path: str) -> Change | None:
    """A tracked change of formatting (``w:rPrChange``, ``w:pPrChange``): its kind stays "normal", since
    the text itself is neither inserted nor deleted."""
    found = element.find(path)
    if found is None:
        return None
    return Change(found.get(f"{W}id", ""), "normal", found.get(f"{W}author", ""), found.get(f"{W}date", ""))


def _paragraph_mark_change(paragraph: etree._Element) -> Change | None:
    """An inserted or deleted paragraph mark (a paragraph split or joined while tracking)."""
    properties = paragraph.find(f"{W}pPr/{W}rPr")
    if properties is None:
        return None
    for tag, kind in ((f"{W}ins", "inserted"), (f"{W}del", "deleted")):
        found = properties.find(tag)
        if found is not None:
            return _change(found, kind)
    return None

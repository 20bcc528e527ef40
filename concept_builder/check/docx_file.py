"""A Word document read once for the check: its styles, its body, its headers and footers.

The .docx rules (``docx.py``, ``docx_structure.py``, ``docx_content.py``,
``docx_contrast.py``) read the same ``WordFile``. A package far larger than
a document is refused before it is read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from docx import Document
from docx.document import Document as WordDocument
from lxml import etree

from ..errors import CheckError, counted
from ..word import W_NS, Styles, W, text_of
from .findings import in_quotes

MAX_PART_BYTES = 150_000_000
MAX_UNPACKED = 400_000_000
MAX_PARTS = 10_000
# What the check holds in memory grows with the elements and paragraphs, not the bytes: 140 MB of
# empty paragraphs are 23 million of them. A 4,000-measure concept has about 2 million elements and
# 170,000 paragraphs; these limits keep the check of any document within about 2 GB.
MAX_ELEMENTS = 5_000_000
MAX_PARAGRAPHS = 500_000
MAX_DEPTH = 200  # elements inside elements; Word's own documents nest a few dozen deep
_PARAGRAPH = W_NS + " p"  # as expat names it
_HEADER_OR_FOOTER = re.compile(r"^/word/(header|footer)(\d*)\.xml$")


def read_docx(path: Path) -> WordFile:
    """The .docx at ``path``, read for the check."""
    if not zipfile.is_zipfile(path):
        raise CheckError(f"{path}: is not a Word document (.docx)")
    _refuse_oversized(path)
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise CheckError(f"{path}: cannot be opened as a Word document: {exc}") from exc
    return WordFile.of(document)


def _refuse_oversized(path: Path) -> None:
    """Refuse, before reading, a package far larger than a document: the check keeps it in memory.

    Parts of at most 150 MB of XML, 5 million elements and half a million
    paragraphs (each about three times a 4,000-measure concept) are read within
    about 2 GB; the elements are counted in a stream first, which holds
    nothing.
    """
    with zipfile.ZipFile(path) as package:
        entries = package.infolist()
        largest = max((entry.file_size for entry in entries), default=0)
        total = sum(entry.file_size for entry in entries)
        if len(entries) > MAX_PARTS or largest > MAX_PART_BYTES or total > MAX_UNPACKED:
            raise CheckError(
                f"{path}: unpacks to {total // 1_000_000} MB in {counted(len(entries), 'part')}, the largest"
                f" {largest // 1_000_000} MB; the check reads documents of up to"
                f" {MAX_PART_BYTES // 1_000_000} MB per part"
            )
        count = _ElementCount()
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")):
                with package.open(entry) as stream:
                    count.read(stream)
    if count.elements > MAX_ELEMENTS:
        passed = f"more than {MAX_ELEMENTS:,} XML elements"
    elif count.paragraphs > MAX_PARAGRAPHS:
        passed = f"more than {MAX_PARAGRAPHS:,} paragraphs"
    elif count.deepest > MAX_DEPTH:
        passed = f"elements nested more than {MAX_DEPTH} deep"
    else:
        return
    raise CheckError(
        f"{path}: holds {passed}; the check reads documents of up to {MAX_ELEMENTS:,} elements,"
        f" {MAX_PARAGRAPHS:,} paragraphs and {MAX_DEPTH} levels (a 4,000-measure concept has about"
        " 2,000,000 elements and 170,000 paragraphs)"
    )


class _ElementCount:
    """Elements, paragraphs and depth of XML parts, counted in a stream without building a tree.

    Counting stops early once a limit is passed: the number only has to say "too many".
    """

    def __init__(self) -> None:
        self.elements = 0
        self.paragraphs = 0
        self.deepest = 0
        self.depth = 0

    def read(self, stream: IO[bytes]) -> None:
        if self.elements > MAX_ELEMENTS or self.paragraphs > MAX_PARAGRAPHS or self.deepest > MAX_DEPTH:
            return
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        self.depth = 0
        try:
            parser.ParseFile(stream)
        except expat.ExpatError:
            pass  # python-docx says what is broken, when it opens the document
        except _Enough:
            pass

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        if name == _PARAGRAPH:
            self.paragraphs += 1
        if self.elements > MAX_ELEMENTS or self.paragraphs > MAX_PARAGRAPHS or self.deepest > MAX_DEPTH:
            raise _Enough

    def end(self, name: str) -> None:
        self.depth -= 1


class _Enough(Exception):
    """A limit is passed: counting further tells nothing new."""


@dataclass
class Part:
    """The body, a header or a footer, with its paragraphs numbered for findings."""

    name: str  # "" for the body, "header 1", "footer 2"
    root: etree._Element
    # holding the paragraphs keeps their lxml proxies, and so their ids, alive while the check runs
    paragraphs: list[Any] = field(init=False)
    numbers: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.paragraphs = list(self.root.iter(f"{W}p"))
        self.numbers = {id(p): n for n, p in enumerate(self.paragraphs, 1)}

    def where(self, paragraph: etree._Element) -> str:
        text = text_of(paragraph).strip()
        shown = f" {in_quotes(text, 50)}" if text else ""
        place = f"{self.name}, " if self.name else ""
        return f"{place}paragraph {self.numbers.get(id(paragraph), '?')}{shown}"


@dataclass
class WordFile:
    """A Word document as the rules read it: its styles, its body, its headers and footers."""

    document: WordDocument
    styles: Styles
    body: Part
    parts: list[Part]  # the body first, then headers and footers

    @classmethod
    def of(cls, document: WordDocument) -> WordFile:
        body = Part("", document.element.body)
        margins = []
        for part in document.part.package.iter_parts():
            found = _HEADER_OR_FOOTER.match(str(part.partname))
            if found and hasattr(part, "element"):
                margins.append(Part(f"{found.group(1)} {found.group(2) or 1}", part.element))
        margins.sort(key=lambda part: (not part.name.startswith("header"), part.name))
        return cls(document, Styles(document.styles.element), body, [body, *margins])


def blocks(root: etree._Element) -> Iterator[Any]:
    """The paragraphs and tables of a body, header, footer or cell in order – also those in content
    controls (``w:sdt``) and custom XML, which Word shows as ordinary text."""
    for child in root.iterchildren():
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from blocks(content)
        elif child.tag == f"{W}customXml":
            yield from blocks(child)

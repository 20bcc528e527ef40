"""A PDF read once for the check: its structure tree, what each page paints, and its lines of text.

The PDF/UA rules (``pdf.py``) and the layout rules (``layout.py``) read the
same ``PdfFile``. pikepdf reads the objects and the content streams;
pdfplumber reads the text with the position and the marked-content id of
every character, which ties each line to its structure element.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from ..errors import CheckError, counted
from .pdf_painting import MAX_FORM_DEPTH, Content, ContentScan, Painting, is_integer
from .structure_types import INLINE_TYPES, STANDARD_TYPES

MAX_BYTES = 200_000_000
MAX_PAGES = 5_000
# The content of a page is parsed into an object per operator: 60 MB of "q Q" took 8 GB. A page of
# ours draws tens of kilobytes; these keep the check of any PDF within about 1 GB and minutes.
MAX_CONTENT_BYTES = 4_000_000  # decoded, of one page's content or one form
MAX_DOCUMENT_CONTENT = 100_000_000  # decoded, of every page and form together
MAX_OTHER_FILTER_BYTES = 65_536  # compressed content in a filter other than Flate, decoded whole


@dataclass(eq=False)
class Element:
    """A structure element, with the marked content it holds itself."""

    name: str  # the type as written: "H2", "Table Text"
    standard_type: str  # what PDF/UA sees: a standard name itself, else where the role map leads
    mapped_type: str  # what the producer meant: where the role map leads, even from a standard name
    obj: pikepdf.Dictionary
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    content: list[Content] = field(default_factory=list)
    annotations: list[tuple[int, int]] = field(default_factory=list)  # object ids of OBJR kids
    page: int | None = None  # the page it names (/Pg), its own or inherited

    @property
    def alternative(self) -> str:
        """The /Alt or /ActualText a reader speaks for it."""
        for key in ("/Alt", "/ActualText"):
            value = self.obj.get(key)
            if isinstance(value, pikepdf.String) and str(value).strip():
                return str(value)
        return ""

    def descendants(self) -> Iterator[Element]:
        """The element and everything below it, in document order."""
        pending = [self]
        while pending:
            element = pending.pop()
            yield element
            pending.extend(reversed(element.children))

    def ancestors(self) -> Iterator[Element]:
        element = self.parent
        while element is not None:
            yield element
            element = element.parent

    def block(self) -> Element:
        """The paragraph-like element whose text this is: itself, or the nearest one that is not inline."""
        element: Element = self
        while element.mapped_type in INLINE_TYPES and element.parent is not None:
            element = element.parent
        return element

    def within(self, mapped_type: str) -> Element | None:
        return next((e for e in (self, *self.ancestors()) if e.mapped_type == mapped_type), None)


@dataclass(eq=False)
class Line:
    """A line of tagged text on a page, as far as it belongs to one paragraph-like element."""

    page: int
    element: Element
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


@dataclass
class PdfFile:
    path: Path
    pdf: pikepdf.Pdf
    role_map: dict[str, str]
    elements: list[Element]  # every structure element, in document order
    owner: dict[Content, Element]  # which element holds each marked-content sequence
    painting: Painting  # what the pages paint, where, and in which fonts

    @property
    def painted(self) -> dict[Content, set[str]]:
        """What each marked-content sequence paints: text, image, path."""
        return self.painting.painted

    @property
    def untagged(self) -> dict[int, set[str]]:
        """Per page, what it paints outside tags and artifacts."""
        return self.painting.untagged

    @functools.cached_property
    def lines(self) -> list[Line]:
        """Tagged text, line by line, in the order of each page's content; read when a rule asks.

        Reading the text is most of the time a check takes (pdfminer lays out
        every character), and the PDF/UA rules need it only for private-use
        characters and to quote a heading.
        """
        return _lines(self.path, self.owner)

    def lines_on(self, pages: set[int]) -> list[Line]:
        """The tagged text of ``pages`` only, line by line."""
        return [
            line
            for number, chars in _characters(self.path, pages)
            for line in _page_lines(number, chars, self.owner)
        ]

    @property
    def tagged(self) -> bool:
        return "/StructTreeRoot" in self.pdf.Root

    @functools.cached_property
    def by_object(self) -> dict[tuple[int, int], Element]:
        """The structure elements by their object ids."""
        return {element.obj.objgen: element for element in self.elements if element.obj.is_indirect}

    @functools.cached_property
    def parent_tree(self) -> pikepdf.NumberTree | None:
        """The structure tree's map from /StructParent(s) keys to elements."""
        tree = self.pdf.Root.get("/StructTreeRoot")
        parents = tree.get("/ParentTree") if isinstance(tree, pikepdf.Dictionary) else None
        return pikepdf.NumberTree(parents) if isinstance(parents, pikepdf.Dictionary) else None

    def holder(self, annotation: pikepdf.Dictionary) -> Element | None:
        """The structure element holding an annotation: its /StructParent in the parent tree, whose
        element refers to it (OBJR) – both, as readers follow either."""
        key = annotation.get("/StructParent")
        if not isinstance(key, int) or isinstance(key, bool) or self.parent_tree is None:
            return None
        if not annotation.is_indirect:
            return None
        try:
            target = self.parent_tree[key]
        except (pikepdf.PdfError, LookupError, ValueError, TypeError):  # no such entry, or a damaged tree
            return None
        element = self.by_object.get(target.objgen) if isinstance(target, pikepdf.Dictionary) else None
        return element if element is not None and annotation.objgen in element.annotations else None

    def where(self, element: Element) -> str:
        """``page N`` of an element's first content (or the page it names), else ``document``."""
        for descendant in element.descendants():
            if descendant.content:
                return f"page {descendant.content[0][0]}"
        return f"page {element.page}" if element.page else "document"


@contextmanager
def open_pdf(path: Path) -> Iterator[PdfFile]:
    """The PDF at ``path``, read for the check; refused quickly when broken or far larger than a document."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CheckError(
            f"{path}: {size // 1_000_000} MB; the check reads PDFs of up to {MAX_BYTES // 1_000_000} MB"
        )
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise CheckError(f"{path}: the PDF is protected by a password") from exc
    except pikepdf.PikepdfError as exc:
        raise CheckError(f"{path}: cannot be read as a PDF: {exc}") from exc
    with pdf:
        try:
            pages = len(pdf.pages)
        except pikepdf.PikepdfError as exc:
            raise CheckError(f"{path}: cannot be read as a PDF: {exc}") from exc
        if pages > MAX_PAGES:
            raise CheckError(
                f"{path}: {counted(pages, 'page')}; the check reads PDFs of up to {MAX_PAGES:,} pages"
            )
        try:
            _refuse_heavy_content(path, pdf)
            yield _read(path, pdf)
        except pikepdf.PikepdfError as exc:
            raise CheckError(f"{path}: cannot be read as a PDF: {exc}") from exc


def _refuse_heavy_content(path: Path, pdf: pikepdf.Pdf) -> None:
    """``CheckError`` before reading where a page or form draws far more than a document's pages do.

    What each page and each form it draws holds is measured first, decoded in
    steps and no further than the limit, so that a small file cannot make the
    check hold gigabytes.
    """
    total = 0
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, 1):
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        pending = [(page.obj.get("/Resources"), 0)]
        size = sum(
            _decoded_size(path, number, stream) for stream in streams if isinstance(stream, pikepdf.Stream)
        )
        while pending:  # the forms the page draws, and the forms they draw; each counted once
            resources, depth = pending.pop()
            xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
            if not isinstance(xobjects, pikepdf.Dictionary) or depth >= MAX_FORM_DEPTH:
                continue
            for form in xobjects.values():
                if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != pikepdf.Name.Form:
                    continue
                if form.is_indirect and form.objgen in seen:
                    continue
                seen.add(form.objgen)
                size += _decoded_size(path, number, form)
                pending.append((form.get("/Resources"), depth + 1))
        total += size
        if size > MAX_CONTENT_BYTES:
            heavy = f"page {number} draws more than {MAX_CONTENT_BYTES // 1_000_000} MB of content"
        elif total > MAX_DOCUMENT_CONTENT:
            heavy = f"pages 1 to {number} draw more than {MAX_DOCUMENT_CONTENT // 1_000_000} MB of content"
        else:
            continue
        raise CheckError(
            f"{path}: {heavy}; the check reads up to {MAX_CONTENT_BYTES // 1_000_000} MB a page and"
            f" {MAX_DOCUMENT_CONTENT // 1_000_000} MB in all (a page of a concept draws tens of kilobytes)"
        )


def _decoded_size(path: Path, page: int, stream: pikepdf.Stream) -> int:
    """The size of a content stream decoded, or a size past the limit as soon as it is passed."""
    limit = MAX_CONTENT_BYTES + 1
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters or "")]
    data = stream.read_raw_bytes()
    if names in ([""], []):
        return len(data)
    if any(name != "/FlateDecode" for name in names):
        if len(data) > MAX_OTHER_FILTER_BYTES:
            raise CheckError(
                f"{path}: page {page} draws {len(data) // 1024:,} KB of content compressed with"
                f" {' '.join(names)}; the check reads up to {MAX_OTHER_FILTER_BYTES // 1024} KB in filters"
                " other than FlateDecode"
            )
        return len(stream.read_bytes())
    for _ in names:  # each stage unpacked no further than the limit (a predictor only shrinks it)
        unpacker = zlib.decompressobj()
        try:
            data = unpacker.decompress(data, limit)
        except zlib.error:
            return len(data)  # damaged: the check says so when it reads the page
    return len(data)


def _read(path: Path, pdf: pikepdf.Pdf) -> PdfFile:
    page_numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    root = pdf.Root.get("/StructTreeRoot")
    role_map = _role_map(root)
    elements = _structure(root, role_map, page_numbers) if isinstance(root, pikepdf.Dictionary) else []
    owner = {content: element for element in elements for content in element.content}
    painting = Painting()
    for number, page in enumerate(pdf.pages, 1):
        ContentScan(number, painting).scan(page.obj, page.obj.get("/Resources"), [], 0)
    return PdfFile(path, pdf, role_map, elements, owner, painting)


# --- the structure tree ---------------------------------------------------------------------------


def _role_map(root: object) -> dict[str, str]:
    roles = root.get("/RoleMap") if isinstance(root, pikepdf.Dictionary) else None
    if not isinstance(roles, pikepdf.Dictionary):
        return {}
    return {str(key)[1:]: str(value)[1:] for key, value in roles.items() if isinstance(value, pikepdf.Name)}


def _resolve(name: str, role_map: dict[str, str]) -> str:
    seen = {name}
    while name in role_map and role_map[name] not in seen:  # a cycle stops where it closes
        name = role_map[name]
        seen.add(name)
        if name in STANDARD_TYPES:
            break
    return name


def _kids(obj: pikepdf.Object) -> list[pikepdf.Object]:
    kids = obj.get("/K") if isinstance(obj, pikepdf.Dictionary) else None
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _structure(root: pikepdf.Dictionary, role_map: dict[str, str], pages: dict[Any, int]) -> list[Element]:
    """Every structure element in document order, read without recursion and without loops."""
    elements: list[Element] = []
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[Any, Element | None]] = [(kid, None) for kid in reversed(_kids(root))]
    while pending:
        obj, parent = pending.pop()
        if is_integer(obj):  # a marked-content id on the element's page
            if parent is not None and parent.page is not None:
                parent.content.append((parent.page, obj))
            continue
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        kind = obj.get("/Type")
        if kind == pikepdf.Name.MCR and parent is not None:
            page = pages.get(obj.Pg.objgen) if isinstance(obj.get("/Pg"), pikepdf.Dictionary) else parent.page
            if page is not None and is_integer(obj.get("/MCID")) and "/Stm" not in obj:
                parent.content.append((page, int(obj.MCID)))
            continue
        if kind == pikepdf.Name.OBJR and parent is not None:
            target = obj.get("/Obj")
            if isinstance(target, pikepdf.Object) and target.is_indirect:
                parent.annotations.append(target.objgen)
            continue
        if not isinstance(obj.get("/S"), pikepdf.Name):
            continue
        name = str(obj.S)[1:]
        mapped = _resolve(name, role_map)
        standard = name if name in STANDARD_TYPES else mapped
        page_object = obj.get("/Pg")
        page = pages.get(page_object.objgen) if isinstance(page_object, pikepdf.Dictionary) else None
        element = Element(name, standard, mapped, obj, parent, page=page or (parent.page if parent else None))
        if parent is not None:
            parent.children.append(element)
        elements.append(element)
        pending.extend((kid, element) for kid in reversed(_kids(obj)))
    return elements


# --- what the pages paint -------------------------------------------------------------------------


# --- the text ------------------------------------------------------------------------------------


def _lines(path: Path, owner: dict[Content, Element]) -> list[Line]:
    """Tagged text, line by line; artifacts (running heads, page numbers) and untagged text are left out."""
    return [line for number, chars in _characters(path) for line in _page_lines(number, chars, owner)]


def _characters(path: Path, pages: set[int] | None = None) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The characters of each page (of ``pages``, else all) with its number, as pdfplumber reads them
    (imported here: a build's check of the PDF it wrote reads the text of few pages, if any)."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as document:
            for number, page in enumerate(document.pages, 1):
                if pages is not None and number not in pages:
                    continue
                characters = page.chars
                page.close()  # empties pdfplumber's cache of the page; the list stays ours
                yield number, characters
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise CheckError(f"{path}: cannot be read as a PDF: {exc}") from exc


def _page_lines(number: int, chars: list[dict[str, Any]], owner: dict[Content, Element]) -> list[Line]:
    lines: list[Line] = []
    line: Line | None = None
    for char in chars:
        mcid = char.get("mcid")
        element = owner.get((number, mcid)) if mcid is not None else None
        if element is None:
            continue
        block = element.block()
        size = float(char["size"])
        # the same paragraph and no step down or back to the left: the line goes on
        if line is not None and line.element is block and not _new_line(line, char):
            if char["x0"] - line.x1 > 0.25 * size and not line.text.endswith(" ") and char["text"] != " ":
                line.text += " "  # a tab or a gap without a space character: words stay apart
            line.text += char["text"]
            line.top, line.bottom = min(line.top, char["top"]), max(line.bottom, char["bottom"])
            line.x1 = max(line.x1, char["x1"])
            line.size = max(line.size, size)
            continue
        line = Line(number, block, char["text"], char["top"], char["bottom"], char["x0"], char["x1"], size)
        lines.append(line)
    return lines


def _new_line(line: Line, char: dict[str, Any]) -> bool:
    # a superscript rises a third of the size; the next line starts well below and to the left
    below: bool = char["top"] > line.top + 0.7 * line.size
    above: bool = char["bottom"] < line.top
    back: bool = char["x0"] < line.x1 - 2 * line.size
    return below or above or back

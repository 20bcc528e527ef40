"""The .docx as LibreOffice gets it to lay out and export: what it would print badly, or slowly,
set right in a copy for LibreOffice alone – the document written stays as built."""

from __future__ import annotations

import io
import re
import zipfile

from .sources import MARKER_PREFIX
from .word import title_repeats

# The page count in headers and footers ("Seite 3 von 58"), as Word writes the field: a complex field of
# runs (begin, instruction, result, end) or a simple one. Scanned as bytes: a few small parts.
DOCUMENT_PART = "word/document.xml"
_HEADER_OR_FOOTER = re.compile(r"word/(?:header|footer)\d*\.xml")
_COMPLEX_FIELD = re.compile(
    rb'<w:r(?: [^>]*)?>((?:(?!</w:r>).)*?)<w:fldChar w:fldCharType="begin"[^>]*/></w:r>'
    rb'((?:(?!w:fldCharType="begin").)*?)'
    rb'<w:r(?: [^>]*)?>(?:(?!</w:r>).)*?<w:fldChar w:fldCharType="end"[^>]*/></w:r>',
    re.DOTALL,
)
# The parts that hold pictures, and a picture's properties with its title and description (alt text)
_STORY = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_PICTURE_PROPERTIES = re.compile(rb"<wp:docPr\b[^>]*>")
_TITLE = re.compile(rb'\stitle="([^"]*)"')
_DESCRIPTION = re.compile(rb'\sdescr="([^"]*)"')
_SIMPLE_FIELD = re.compile(
    rb'<w:fldSimple w:instr="\s*NUMPAGES\b[^"]*"[^>]*?(?:/>|>(.*?)</w:fldSimple>)', re.DOTALL
)
_PAGE_COUNT_INSTRUCTION = re.compile(rb"<w:instrText[^>]*>\s*NUMPAGES\b")
_RUN_PROPERTIES = re.compile(rb"<w:rPr>.*?</w:rPr>", re.DOTALL)
# A value's source bookmark (``markers``): the prefix, ten letters of base32, and "_2", "_3" … where
# the value is printed again
_SOURCE_BOOKMARK = re.compile(
    rb'<w:bookmarkStart w:id="(\d+)" w:name="' + MARKER_PREFIX.encode() + rb'[a-z2-7]{10}(?:_\d+)?"/>'
)
_BOOKMARK_END = re.compile(rb'<w:bookmarkEnd w:id="(\d+)"/>')
PAGE_COUNT_PLACEHOLDER = "\u2060\u2060999\u2060\u2060"  # word joiners: no text of a document looks like it


def for_pdf(docx: bytes, *, page_count: bool = True) -> bytes:
    """``docx`` as LibreOffice gets it to lay out and export: what it would print badly set right.

    - With ``page_count``, a placeholder where a header or footer shows the page
      count (NUMPAGES). LibreOffice driven through UNO updates that field again
      and again while it lays a document out: about a third of the time for a
      document of 800 pages. The placeholder is replaced by the page count once
      the layout is done (``UnoSession.layout``); the PDF shows the same text.
      A field inside another is left alone.
    - No source bookmarks in the body. They are for a review of the .docx
      (``markers``), and LibreOffice imports bookmarks slowly: tens of
      thousands of them doubled the time it took to load a concept of 1,000
      measures. The bookmarks that links lead to (contents, cross-references)
      are named otherwise and stay.
    - No title on a picture whose alt text begins with it. LibreOffice reads
      the title as the alt text (its HTML export needs it, so the .docx keeps
      it) and writes “title - alt text” into the PDF: a logo would be read
      twice there.
    """
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    changed = False
    for name, data in parts.items():
        mended = data
        if page_count and _HEADER_OR_FOOTER.fullmatch(name) and b"NUMPAGES" in mended:
            mended = _without_page_count(mended)
        if name == DOCUMENT_PART:
            mended = _without_source_bookmarks(mended)
        if _STORY.fullmatch(name) and b"<wp:docPr" in mended:
            mended = _PICTURE_PROPERTIES.sub(_without_repeated_title, mended)
        if mended != data:
            parts[name] = mended
            changed = True
    if not changed:
        return docx
    out = io.BytesIO()
    with zipfile.ZipFile(
        out, "w", zipfile.ZIP_STORED
    ) as package:  # for LibreOffice only: no need to compress
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _without_source_bookmarks(part: bytes) -> bytes:
    """The document part without the bookmarks that mark where its values came from.

    Scanned as bytes, for speed: the body of a large concept is tens of
    megabytes, and the bookmarks have the one form ``markers`` writes.
    """
    sources = {match.group(1) for match in _SOURCE_BOOKMARK.finditer(part)}
    if not sources:
        return part
    part = _SOURCE_BOOKMARK.sub(b"", part)
    return _BOOKMARK_END.sub(lambda match: b"" if match.group(1) in sources else match.group(0), part)


def _without_page_count(part: bytes) -> bytes:
    placeholder = PAGE_COUNT_PLACEHOLDER.encode("utf-8")

    def text_run(properties: bytes) -> bytes:
        found = _RUN_PROPERTIES.search(properties)
        return b"<w:r>" + (found.group(0) if found else b"") + b"<w:t>" + placeholder + b"</w:t></w:r>"

    def complex_field(match: re.Match[bytes]) -> bytes:
        before = match.string[: match.start()]
        nested = before.count(b'w:fldCharType="begin"') != before.count(b'w:fldCharType="end"')
        if nested or not _PAGE_COUNT_INSTRUCTION.search(match.group(2)):
            return match.group(0)
        return text_run(match.group(1))

    part = _COMPLEX_FIELD.sub(complex_field, part)
    return _SIMPLE_FIELD.sub(lambda match: text_run(match.group(1) or b""), part)


def _without_repeated_title(match: re.Match[bytes]) -> bytes:
    """A picture's properties (``wp:docPr``) without the title its description begins with."""
    properties = match.group(0)
    title, description = _TITLE.search(properties), _DESCRIPTION.search(properties)
    if title is None or description is None:
        return properties
    if title_repeats(title.group(1).decode("utf-8"), description.group(1).decode("utf-8")):
        return properties[: title.start()] + properties[title.end() :]
    return properties

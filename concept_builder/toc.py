"""The table of contents, filled in from the document's headings so that it shows before any update.

A contents field in a new document is empty until Word updates it (F9) or
LibreOffice lays the document out; ours lists every heading at once, each a
link, with page numbers where a layout gave them. This works on the rendered
body's bytes with regular expressions rather than a parsed tree: the body of a
large concept is tens of megabytes, and the few constructs looked for – the
contents field, heading paragraphs by their style id, runs and their text –
have the fixed form that our templates and fragments write.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .word import OutlineCounter, StyleMap, edited, escape_text, page_reference

CONTENTS_BOOKMARK = "_Toc{:08d}"  # Word's own naming for the targets of contents entries

_TOC_INSTRUCTION = re.compile(rb"<w:instrText\b[^>]*>\s*TOC\b([^<]*)</w:instrText>")
_OUTLINE_SWITCH = re.compile(rb'\\o\s+"(\d)-(\d)"')
_RUN = re.compile(rb"<w:r\b[^>]*>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(rb"<w:t\b[^>]*>([^<]*)</w:t>")
_BOOKMARK_ID = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:id="(\d+)"')
_NUMBERING_OFF = re.compile(rb'<w:numId w:val="0"/>')  # a paragraph that switches its style's list off

_SECTION = re.compile(rb"<w:sectPr\b.*?</w:sectPr>", re.DOTALL)
_PAGE_WIDTH = re.compile(rb'<w:pgSz\b[^>]*\bw:w="(\d+)"')
_MARGIN = {
    side: re.compile(rb'<w:pgMar\b[^>]*\bw:%s="(\d+)"' % side.encode())
    for side in ("left", "right", "gutter")
}
_OUTLINE_NUMBER = re.compile(r"^(?:\d+[.)]?)+(?:\d+)?\s+(?=\S)")  # "2.1 ", "3. ", "4) " before a title
Pages = Sequence[tuple[str, int]]
"""Each heading's text and page, in document order, as a layout engine placed them."""


def contents_levels(instruction: bytes) -> range:
    """The heading levels a TOC field lists: ``\\o "1-2"`` → 1, 2; Word's default is 1–3."""
    match = _OUTLINE_SWITCH.search(instruction)
    if match is None:
        return range(1, 4)
    return range(int(match.group(1)), int(match.group(2)) + 1)


def fill_contents(body: bytes, styles: StyleMap, pages: Pages | None = None) -> bytes:
    """Write an entry per heading into the contents field of ``body``.

    Headings get bookmarks; the field's paragraph is replaced by one linked
    entry per heading, in the contents styles (toc 1, toc 2 …). ``pages`` adds
    page numbers; without them the entries have none until Word updates the
    field. A contents field that spans several paragraphs, as Word writes one,
    is left to Word.
    """
    instruction = _TOC_INSTRUCTION.search(body)
    if instruction is None:
        return body
    field_start = _paragraph_start(body, instruction.start())
    field_end = body.find(b"</w:p>", instruction.end()) + len(b"</w:p>")
    field = body[field_start:field_end]
    runs = [run.group(0).decode("utf-8") for run in _RUN.finditer(field)]
    opening = [run for run in runs if 'w:fldCharType="begin"' in run or "<w:instrText" in run]
    separate = [run for run in runs if 'w:fldCharType="separate"' in run]
    if len(opening) != 2 or not separate or b'w:fldCharType="end"' not in field:
        return body
    levels = contents_levels(instruction.group(1))
    heading_ids = {style_id: level for style_id, level in styles.headings.items() if level in levels}
    if not heading_ids:
        return body
    skipped = styles["example_tag"].encode()
    edits: list[tuple[int, int, bytes]] = []
    entries: list[tuple[int, str, str]] = []
    bookmark = max((int(i) for i in _BOOKMARK_ID.findall(body)), default=0)
    for heading in _headings(body, styles):
        if heading.style_id not in heading_ids:
            continue
        bookmark += 1
        name = CONTENTS_BOOKMARK.format(len(entries) + 1)
        start = heading.properties_end
        edits.append((start, start, f'<w:bookmarkStart w:id="{bookmark}" w:name="{name}"/>'.encode()))
        edits.append((heading.end, heading.end, f'<w:bookmarkEnd w:id="{bookmark}"/>'.encode()))
        text = heading_text(body[heading.start : heading.end], skipped)
        label = heading.label
        entries.append((heading_ids[heading.style_id], name, f"{label} {text}" if label else text))
    if not entries:
        return body
    numbers = match_pages([text for _, _, text in entries], pages or [])
    tabs = _page_number_tab(body, field_end)
    paragraphs = []
    for index, ((level, name, text), page) in enumerate(zip(entries, numbers, strict=True)):
        field_code = "".join(opening) + separate[0] if index == 0 else ""
        reference = page_reference(name, page) if page is not None else ""
        closing = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if index == len(entries) - 1 else ""
        style = styles[f"toc_{min(level, 3)}"]
        paragraphs.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{tabs}</w:pPr>{field_code}'
            f'<w:hyperlink w:anchor="{name}" w:history="1">'
            f'<w:r><w:t xml:space="preserve">{escape_text(text)}</w:t></w:r>{reference}</w:hyperlink>'
            f"{closing}</w:p>"
        )
    edits.append((field_start, field_end, "".join(paragraphs).encode("utf-8")))
    edits.sort(key=lambda edit: edit[0])
    return edited(body, edits)


@dataclass(frozen=True)
class _Heading:
    """A heading paragraph of a rendered body: where it is, its style, and the number Word gives it."""

    start: int
    end: int  # where its ``</w:p>`` begins
    properties_end: int  # just after its ``</w:pPr>``
    style_id: str
    label: str  # "6.2" or "6.2." where a design numbers headings; "" where it does not


def _headings(body: bytes, styles: StyleMap) -> Iterator[_Heading]:
    """Every heading of ``body`` in document order, with the label a design's numbering gives it.

    Word counts numbered headings of every level, listed in the contents or not;
    a heading that switches its style's numbering off (``numId`` 0) gets no label
    and moves no counter.
    """
    if not styles.headings:
        return
    counter = OutlineCounter()
    pattern = re.compile(
        rb'<w:pStyle w:val="(' + b"|".join(re.escape(i.encode()) for i in styles.headings) + rb')"/>'
    )
    for match in pattern.finditer(body):
        start = _paragraph_start(body, match.start())
        end = body.find(b"</w:p>", match.end())
        properties_end = body.find(b"</w:pPr>", match.end(), end) + len(b"</w:pPr>")
        style_id = match.group(1).decode()
        outline = styles.outline_numbers.get(style_id)
        unnumbered = _NUMBERING_OFF.search(body, match.end(), properties_end) is not None
        label = counter.label(outline) if outline is not None and not unnumbered else ""
        yield _Heading(start, end, properties_end, style_id, label)


def numbered_headings(body: bytes, styles: StyleMap) -> list[tuple[int, str, str]]:
    """Each heading of ``body``: its level, the number Word shows before it ("6.2", or ""), its text.

    What a reader sees, and what the contents list (``fill_contents``).
    """
    skipped = styles["example_tag"].encode()
    return [
        (styles.headings[h.style_id], h.label, heading_text(body[h.start : h.end], skipped))
        for h in _headings(body, styles)
    ]


def _page_number_tab(body: bytes, position: int) -> str:
    """A right tab with dot leaders at the right margin, for the page numbers, as Word writes entries.

    On every entry rather than left to the contents styles: a design's "toc 1"
    (a German Word's "Verzeichnis 1") may have no tab stops at all, and the page
    numbers would then follow the titles; and a style's stop made for a wider
    page (ours: A4) lies beyond the margin of a narrower one (US Letter), where
    LibreOffice wraps the number onto a line of its own and its tagged PDF
    leaves that part of the link out of the structure (PDF/UA forbids it). The
    margin is that of the section holding the contents (its properties follow
    it in the body).
    """
    found = _SECTION.search(body, position)
    if found is None:
        return ""
    section = found.group(0)
    width = _PAGE_WIDTH.search(section)
    margins = [_MARGIN[side].search(section) for side in ("left", "right", "gutter")]
    if width is None or margins[0] is None or margins[1] is None:
        return ""
    text_width = int(width.group(1)) - sum(int(margin.group(1)) for margin in margins if margin is not None)
    if text_width <= 0:
        return ""
    return f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{text_width}"/></w:tabs>'


def heading_text(paragraph: bytes, skipped_style: bytes = b"") -> str:
    """A heading's text for the contents: without runs of ``skipped_style`` (the Beispielinhalt tag)."""
    parts: list[str] = []
    marker = b'<w:rStyle w:val="%s"/>' % skipped_style if skipped_style else None
    for run in _RUN.finditer(paragraph):
        if marker is not None and marker in run.group(0):
            continue
        parts.extend(html.unescape(text.decode("utf-8")) for text in _TEXT.findall(run.group(0)))
    return " ".join("".join(parts).split())


def match_pages(texts: list[str], pages: Pages) -> list[int | None]:
    """The page of each contents entry: the next heading of the same text in the layout's outline.

    The outline names a heading with all its text – with the number a
    design's heading numbering gives it ("2.1 Ziele"), and any tag.
    """
    titles = [" ".join(title.split()) for title, _ in pages]
    bare = [_OUTLINE_NUMBER.sub("", title) for title in titles]
    numbers: list[int | None] = []
    position = 0
    for text in texts:
        wanted = " ".join(text.split())
        found = next(
            (
                i
                for i in range(position, len(titles))
                if titles[i].startswith(wanted) or bare[i].startswith(wanted)
            ),
            None,
        )
        if found is None:
            numbers.append(None)
        else:
            numbers.append(pages[found][1])
            position = found + 1
    return numbers


def _paragraph_start(body: bytes, position: int) -> int:
    # it starts after the paragraph before it ends: searching further back would cross the whole body
    earliest = max(body.rfind(b"</w:p>", 0, position), 0)
    return max(body.rfind(b"<w:p>", earliest, position), body.rfind(b"<w:p ", earliest, position))

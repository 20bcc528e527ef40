"""Tables and their pages: kept on one page where they fit, rows that do not break, and a section
turned to landscape for a table too wide for an upright page."""

from __future__ import annotations

import re

from ..word import TABLE_SEPARATOR, StyleMap, edited
from .elements import PARAGRAPH_STYLE, ROW_START, TEXT, element_spans, paragraph_start

LANDSCAPE = b"<!--landscape-->"  # marks a table for a turned section between the two passes


_PARAGRAPH_START = re.compile(rb"(<w:p(?: [^>]*)?>)(<w:pPr>)?(<w:pStyle [^>]*/>)?(<w:keepNext/>)?")


_AFTER_CANT_SPLIT = (
    b"<w:trHeight",
    b"<w:tblHeader",
    b"<w:tblCellSpacing",
    b"<w:jc",
    b"<w:hidden",
    b"<w:ins",
    b"<w:del",
)


_ROW_PROPERTIES = re.compile(rb"<w:tr\b[^>]*>(<w:trPr>)?")


_AFTER_TABLE = re.compile(rb"(</w:tbl>)<w:p(?: [^>]*)?>(<w:pPr>(?:<w:pStyle [^>]*/>)?(?:<w:keepNext/>)?)?")


PAGE_SIZE = re.compile(rb'<w:pgSz w:w="(\d+)" w:h="(\d+)"')


_TITLE_PAGE = re.compile(rb"<w:titlePg(?: [^>]*)?/>")


def kept_together(table: bytes) -> bytes:
    """Rows that do not break, each kept with the next: the table moves to the next page whole."""
    spans = element_spans(table, ROW_START, b"</w:tr>")
    edits = []
    for number, (first, last) in enumerate(spans):
        row = table[first:last]
        kept = row if b"<w:cantSplit/>" in row else _cant_split(row)
        if number < len(spans) - 1 and not _all_kept_with_next(kept):
            kept = _PARAGRAPH_START.sub(_keep_next, kept)
        if kept != row:
            edits.append((first, last, kept))
    return edited(table, edits) if edits else table


def rows_whole(table: bytes, whole: list[bool]) -> bytes:
    """Rows that must not break across pages, where ``whole`` says so; the heading rows kept with the
    first row below them, never alone at the foot of a page."""
    spans = element_spans(table, ROW_START, b"</w:tr>")
    edits = []
    for number, ((first, last), keep) in enumerate(zip(spans, whole, strict=True)):
        row = table[first:last]
        changed = _cant_split(row) if keep and b"<w:cantSplit/>" not in row else row
        if b"<w:tblHeader/>" in row and number < len(spans) - 1 and not _all_kept_with_next(changed):
            changed = _PARAGRAPH_START.sub(_keep_next, changed)
        if changed != row:
            edits.append((first, last, changed))
    return edited(table, edits) if edits else table


def _all_kept_with_next(row: bytes) -> bool:
    """Whether every paragraph of ``row`` is kept with the next already (as in a profile's rows)."""
    return row.count(b"<w:keepNext/>") == row.count(b"<w:p>") + row.count(b"<w:p ")


def _cant_split(row: bytes) -> bytes:
    start = _ROW_PROPERTIES.match(row)
    if start is None:
        return row
    if start.group(1) is None:
        return row[: start.end()] + b"<w:trPr><w:cantSplit/></w:trPr>" + row[start.end() :]
    end = row.find(b"</w:trPr>", start.end())
    later = [row.find(name, start.end(), end) for name in _AFTER_CANT_SPLIT]  # the schema's order
    position = min((found for found in later if found >= 0), default=end)
    return row[:position] + b"<w:cantSplit/>" + row[position:]


def _keep_next(match: re.Match[bytes]) -> bytes:
    paragraph, properties, style, kept = match.groups()
    if kept:
        return match.group(0)
    if properties is None:
        return paragraph + b"<w:pPr><w:keepNext/></w:pPr>"
    return paragraph + properties + (style or b"") + b"<w:keepNext/>"


def landscape_sections(body: bytes, styles: StyleMap) -> bytes:
    """Each marked table in a section of its own, turned to landscape; the rest stays upright.

    Word ends a section with the ``w:sectPr`` in the last paragraph of it: a
    hairline paragraph before the table ends the upright section, one after
    it the turned one. The first section keeps the cover's different first
    page; the following ones number on and use the same headers and footers.
    Where nothing shows between two turned tables, before the first or after
    the last, no upright section is made there: it would be a blank page.
    """
    start = body.rfind(b"<w:sectPr")
    final = body[start : body.index(b"</w:sectPr>", start) + len(b"</w:sectPr>")]
    upright_first = final
    upright = _TITLE_PAGE.sub(b"", final)
    turned = _turned(upright)
    pieces: list[bytes] = []
    position = 0
    first = True
    while (found := body.find(LANDSCAPE, position)) >= 0:
        end = body.index(b"</w:tbl>", found) + len(b"</w:tbl>")
        # a heading kept with the table turns too, and a heading with a few lines leading in to it
        start = _lead_in(body, _kept_before(body, found, position, styles), position, styles)
        if _blank(body[position:start]):
            # nothing upright before the table: between two turned tables (a template's loop) one
            # turned section for both, at the start of the body no upright section – never a blank page
            if not first:
                pieces.pop()
            pieces.append(body[position:found])
        else:
            before = upright_first if first else upright
            pieces += [body[position:start], _section_end(before), body[start:found]]
        pieces.append(body[found + len(LANDSCAPE) : end])
        pieces.append(_section_end(turned))
        position = end
        first = False
    tail = body[position:]
    if not first and _blank(tail[: tail.rfind(b"<w:sectPr")]):  # nothing upright after the last table
        pieces.pop()
        pieces.append(tail.replace(final, turned, 1))
    else:  # the cover's first page belongs to the first section
        pieces.append(tail.replace(final, upright, 1))
    return b"".join(pieces)


LEAD_IN_PARAGRAPHS = 3  # paragraphs between a heading and its turned table that turn with both


LEAD_IN_CHARACTERS = 600  # … if they are short: about six lines on an upright page


# what a paragraph of a lead-in holds not: a section's end, a picture, a text box (its paragraphs)
_NOT_A_LEAD_IN = (b"<w:sectPr", b"w:drawing", b"w:pict", b"txbxContent")


_VISIBLE = (b"<w:t>", b"<w:t ", b"<w:drawing", b"<w:pict", b"<w:tbl", b"<w:sectPr")


def _blank(part: bytes) -> bool:
    """Whether ``part`` of a body shows nothing: no text, picture, table or section of its own."""
    return not any(tag in part for tag in _VISIBLE)


def _kept_before(body: bytes, table: int, limit: int, styles: StyleMap) -> int:
    """Where the paragraphs kept with the table at ``table`` (headings, a caption above) begin."""
    start = table
    while start > limit and body.endswith(b"</w:p>", limit, start):
        paragraph = paragraph_start(body, start, limit)
        if paragraph < 0 or not _kept_with_next(body[paragraph:start], styles):
            break
        start = paragraph
    return start


def _lead_in(body: bytes, start: int, limit: int, styles: StyleMap) -> int:
    """Where the heading before ``start`` begins, if only a few short paragraphs lie between: turned
    with the table, they do not leave a page nearly empty before it ("6 Übersicht", two lines, and
    the turned table on the next page). ``start`` where there is no such heading."""
    position = start
    characters = 0
    for _ in range(LEAD_IN_PARAGRAPHS + 1):
        if not body.endswith(b"</w:p>", limit, position):
            return start
        paragraph = paragraph_start(body, position, limit)
        if paragraph < 0:
            return start
        text = body[paragraph:position]
        if any(tag in text for tag in _NOT_A_LEAD_IN):
            return start
        if _style_of(text) in styles.headings:
            return _kept_before(body, paragraph, limit, styles)
        characters += sum(len(piece) for _, piece, _ in TEXT.findall(text))
        if characters > LEAD_IN_CHARACTERS:
            return start
        position = paragraph
    return start


def _properties(paragraph: bytes) -> bytes:
    return paragraph[: paragraph.find(b"</w:pPr>")] if b"</w:pPr>" in paragraph else b""


def _style_of(paragraph: bytes) -> str | None:
    style = PARAGRAPH_STYLE.search(_properties(paragraph))
    return style.group(1).decode() if style is not None else None


def _kept_with_next(paragraph: bytes, styles: StyleMap) -> bool:
    if b"<w:keepNext/>" in _properties(paragraph):
        return True
    style = _style_of(paragraph)
    return style is not None and styles.format_of(style).keep_next


def _turned(section: bytes) -> bytes:
    size = PAGE_SIZE.search(section)
    if size is None:
        return section
    width, height = sorted((int(size.group(1)), int(size.group(2))))
    landscape = b'<w:pgSz w:w="%d" w:h="%d" w:orient="landscape"' % (height, width)
    section = section[: size.start()] + landscape + section[size.end() :]
    return re.sub(rb'(<w:pgSz [^>]*?) w:orient="portrait"', rb"\1", section)


def _section_end(section: bytes) -> bytes:
    return (
        b'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
        + section
        + b"</w:pPr></w:p>"
    )


_TABLE_END = re.compile(rb"</w:tbl>(<w:p(?: [^>]*)?>.*?</w:p>)", re.DOTALL)


def notes_kept_with_tables(body: bytes, styles: StyleMap) -> bytes:
    """The last row of a table kept with the text right below it: a note on the table (its sums,
    the groups at an event, the measures serving a goal) never starts the next page alone.

    Word and LibreOffice keep a row with the next paragraph when every paragraph
    of the row is kept with the next. A heading below a table starts something
    new and is left alone, as is an empty paragraph.
    """
    edits: list[tuple[int, int, bytes]] = []
    for match in _TABLE_END.finditer(body):
        following = match.group(1)
        if b"<w:t>" not in following and b"<w:t " not in following:
            continue
        style = PARAGRAPH_STYLE.search(following[: following.find(b"</w:pPr>")])
        if style is not None and style.group(1).decode() in styles.headings:
            continue
        row = body.rfind(b"<w:tr", 0, match.start())  # the last row's own tag, not its properties'
        while row >= 0 and body[row + 5 : row + 6] not in (b">", b" "):
            row = body.rfind(b"<w:tr", 0, row)
        if row < 0 or b"<w:tbl>" in body[row : match.start()]:
            continue  # a table in the last row's cell: its rows are not the outer table's
        last = body[row : match.start()]
        kept = _PARAGRAPH_START.sub(_keep_next, last)
        if kept != last:
            edits.append((row, match.start(), kept))
    return edited(body, edits) if edits else body


def separate_kept_paragraphs(body: bytes, styles: StyleMap) -> bytes:
    """A hairline paragraph between a table and a paragraph kept with the next.

    LibreOffice ignores "keep with next" on a paragraph that directly follows
    a table when the paragraph after it is kept with its next as well (a
    heading, then a quote and its source): the heading stays at the foot of
    the page. An empty paragraph of 1 pt between them, invisible in print,
    makes it honour the chain.
    """

    def separated(match: re.Match[bytes]) -> bytes:
        style = PARAGRAPH_STYLE.search(match.group(2)) if match.group(2) else None
        properties = match.group(2) or b""
        kept = b"<w:keepNext/>" in properties or (
            style is not None and styles.format_of(style.group(1).decode()).keep_next
        )
        return match.group(1) + (TABLE_SEPARATOR if kept else b"") + match.group(0)[len(match.group(1)) :]

    return _AFTER_TABLE.sub(separated, body)

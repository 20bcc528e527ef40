"""Tables that fit their content: columns as wide as their longest word, long compounds hyphenated.

Word and LibreOffice lay a table out on the column widths the document
gives (LibreOffice ignores Word's "autofit" entirely), and a word wider than
its column is broken at an arbitrary letter, without a hyphen. So before the
document is written, each table's columns are shared out again: every column
gets at least the width of its widest word, the rest goes where the template
put it. A word that cannot fit (a long German compound in a narrow column)
gets soft hyphens at its syllables, which both programs honour – German
hyphenation patterns are not installed everywhere LibreOffice is. A table
whose estimated height fits on a page is kept on one page: its rows do not
break and each keeps with the next.

This works on the rendered body's bytes with regular expressions, as the
contents filler does: the tables have the fixed form Word writes (``w:tbl``,
``w:tblGrid``, ``w:tr``, ``w:tc``, ``w:t``), and a large concept has thousands
of them. Tables with merged cells or tables inside tables are left as they are.
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import hyphenation
from .fonts import text_width
from .word import TABLE_SEPARATOR, StyleMap, TextFormat, edited, escape_text

SAFETY = 40  # twips beyond the measured width: LibreOffice needs 2, Word rounds differently
FITS_ON_A_PAGE = 0.85  # a table estimated at most this share of the text height is kept on one page
ROW_STAYS_WHOLE = 0.5  # a row up to this share of the text height never breaks across pages
FAR_TOO_WIDE = 1.25  # whole words needing a quarter more than the page's width: the table turns
MANY_COLUMNS = 7  # from this many columns, a table that needs hyphens upright turns
UNIFORM = 0.02  # columns this close to equal width were not given widths by the template
_LANDSCAPE = b"<!--landscape-->"  # marks a table for a turned section between the two passes
WRAP_LOSS = 1.12  # text width → lines: a line breaks at the last word that fits
TWIPS_PER_POINT = 20
ROW_BORDERS = 30  # twips: the borders and rounding of a row
HYPHEN = "-"
MIN_EDGE = 3  # letters the first and the last piece of a hyphenated word keep at least

_BOOKMARK = re.compile(rb"<w:bookmark(?:Start|End) [^>]*/>")
_PARTING = re.compile(rb"<w:(?:br|cr|tab|softHyphen)\b|</w:p>")  # where words part without a space
# a run followed by a run of the same formatting, as a marker leaves the run it cuts (markers._split_run)
_CUT_RUN = re.compile(
    rb"(<w:r(?: [^>]*)?>(?:<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?)(<w:t(?: [^>]*)?>)([^<]*)</w:t></w:r>"
    rb'\1<w:t xml:space="preserve">',
    re.DOTALL,
)
_GRID_COLUMN = re.compile(rb'<w:gridCol w:w="(\d+)"/>')
_ROW_START = re.compile(rb"<w:tr\b")
_PARAGRAPH_TAG = re.compile(rb"<w:p\b")
# either order of the attributes: python-docx, and so our templates, write the type first
_CELL_WIDTH = re.compile(rb'<w:tcW (?:w:w="\d+" w:type="dxa"|w:type="dxa" w:w="\d+")/>')
_TABLE_WIDTH = re.compile(rb'<w:tblW (?:w:w="\d+" w:type="dxa"|w:type="dxa" w:w="\d+")/>')
_TABLE_STYLE = re.compile(rb'<w:tblStyle w:val="([^"]+)"/>')
_PARAGRAPH_STYLE = re.compile(rb'<w:pStyle w:val="([^"]+)"/>')
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
_TEXT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_PAGE_SIZE = re.compile(rb'<w:pgSz w:w="(\d+)" w:h="(\d+)"')
_PAGE_MARGINS = re.compile(rb"<w:pgMar [^>]*>")
_SIDE = re.compile(rb'w:(left|right|top|bottom)="(\d+)"')
_TITLE_PAGE = re.compile(rb"<w:titlePg(?: [^>]*)?/>")
# A line may break after a space, a slash or a dash – but not inside a number ("04/2019", "2019-2021")
_WORD = re.compile(r"\d[\d.,]*(?:[/\-–]\d[\d.,]*)+|[^\s/\-–]+[/\-–]?")


@dataclass(frozen=True)
class Geometry:
    """The space the text of a page may take, in twips: its width upright and turned, its height."""

    portrait: int
    landscape: int
    height: int


def fit_tables(body: bytes, styles: StyleMap) -> bytes:
    """Every table of ``body`` with columns wide enough for its words, kept on one page where it fits.

    A table too wide for the page upright, even with its long words
    hyphenated, is set on pages of its own turned to landscape.
    """
    if b"<w:tbl>" not in body:
        return body
    page = geometry(body)
    cache = _Measured(styles)
    turned = False
    edits: list[tuple[int, int, bytes]] = []  # made in one pass: a large body is held twice at most
    for start, end in _tables(body):
        table = body[start:end]
        fitted = _fit(table, styles, page, may_turn=not _in_a_cell(body, start), cache=cache)
        turned = turned or fitted.startswith(_LANDSCAPE)
        if fitted != table:
            edits.append((start, end, fitted))
    body = edited(body, edits)
    if turned:
        body = _landscape_sections(body, styles)
    return _separate_kept_paragraphs(body, styles)


def _tables(body: bytes) -> Iterator[tuple[int, int]]:
    """Where each table without a table inside it starts and ends.

    A search for the tags rather than one regular expression over the whole
    body: a large concept's body is tens of megabytes, and a pattern that
    checks at every character that no inner table starts is slow there.
    """
    start = body.find(b"<w:tbl>")
    while start >= 0:
        end = body.find(b"</w:tbl>", start)
        if end < 0:
            return
        inner = body.find(b"<w:tbl>", start + 1, end)
        if inner >= 0:  # a table inside: only the innermost ones are fitted
            start = inner
            continue
        end += len(b"</w:tbl>")
        yield start, end
        start = body.find(b"<w:tbl>", end)


class _Measured:
    """What was measured of each cell, for the tables of one body: most cells repeat (the labels of
    every profile, "–", a lead organisation), so each is measured once. Cells are given without
    their bookmarks (``_unmarked``), which would make every cell that prints a value unique."""

    def __init__(self, styles: StyleMap) -> None:
        self.styles = styles
        self.widest: dict[bytes, tuple[float, float]] = {}  # cell → widest word, whole and hyphenated
        self.heights: dict[tuple[bytes, int, int], float] = {}  # (cell, width, margins) → height

    def widest_words(self, cell: bytes) -> tuple[float, float]:
        found = self.widest.get(cell)
        if found is None:
            measured = sorted(
                ((_width(word, run), word, run) for word, run in _words(cell, self.styles)),
                key=lambda measure: measure[0],
                reverse=True,
            )
            whole = measured[0][0] if measured else 0.0
            broken = 0.0
            # widest first: a word hyphenated is never wider than whole, so the rest need no hyphenation
            for width, word, run in measured:
                if width <= broken:
                    break
                broken = max(broken, _hyphenated_width(word, run, width))
            found = self.widest[cell] = (whole, broken)
        return found

    def height(self, cell: bytes, width: int, margins: int) -> float:
        key = (cell, width, margins)
        found = self.heights.get(key)
        if found is None:
            found = self.heights[key] = _cell_height(cell, width, self.styles, margins)
        return found


def _unmarked(cell: bytes) -> bytes:
    """A cell without its bookmarks: every printed value has one of its own, and they take no room.

    A value's marker cuts the run it is printed in (``markers``); the pieces of
    one run are joined again, so that a word is measured whole – ``(Förderer)``,
    not ``(``, ``Förderer`` and ``)``.
    """
    if b"<w:bookmark" not in cell:
        return cell
    cell = _BOOKMARK.sub(b"", cell)
    while b"</w:t></w:r><w:r" in cell:
        joined = _CUT_RUN.sub(rb"\1\2\3", cell)
        if joined == cell:
            break
        cell = joined
    return cell


def geometry(body: bytes) -> Geometry:
    """The text area of the body's (last) section, upright and turned to landscape."""
    section = body[body.rfind(b"<w:sectPr") :]
    size = _PAGE_SIZE.search(section)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (11906, 16838)  # A4
    margins = _PAGE_MARGINS.search(section)
    sides = {side: int(value) for side, value in _SIDE.findall(margins.group(0))} if margins else {}
    horizontal = sides.get(b"left", 1418) + sides.get(b"right", 1418)
    vertical = sides.get(b"top", 1418) + sides.get(b"bottom", 1134)
    portrait, turned = sorted((width, height))
    return Geometry(portrait=portrait - horizontal, landscape=turned - horizontal, height=height - vertical)


def _fit(
    table: bytes, styles: StyleMap, page: Geometry, *, may_turn: bool = False, cache: _Measured | None = None
) -> bytes:
    cache = cache or _Measured(styles)
    grid = [int(width) for width in _GRID_COLUMN.findall(table)]
    if not grid or b"<w:gridSpan" in table or b"<w:vMerge" in table:
        return table  # merged cells: the columns cannot be shared out cell by cell
    style = _TABLE_STYLE.search(table)
    margins = sum(styles.cell_margins(style.group(1).decode() if style else None)) + SAFETY
    rows = [_cells(row) for row in _rows(table)]
    if any(len(cells) != len(grid) for cells in rows):
        return table
    measured = [[_unmarked(cell) for cell in cells] for cells in rows]  # what is measured of each cell
    whole, broken = _least_widths(measured, len(grid), cache)
    total = sum(grid)
    landscape = may_turn and page.landscape > total and _too_wide(whole, broken, margins, total)
    if landscape:  # the table gets the width of a turned page
        total = page.landscape
    minimums = _minimums(whole, broken, margins, total)
    if _uniform(grid):  # columns of equal width are Word's default for a new table, not a choice
        if sum(minimums) > total - margins * len(grid):  # cramped: hyphens give the room to the text
            minimums = [math.ceil(width) + margins for width in broken]
        planned = _by_content(measured, total, minimums, styles, margins)
    else:
        planned = [round(width * total / sum(grid)) for width in grid]
    widths = share_out(planned, minimums, total)
    text_widths = [width - margins for width in widths]
    for cells in rows:
        for column, cell in enumerate(cells):
            if whole[column] > text_widths[column]:
                table = table.replace(cell, _with_soft_hyphens(cell, styles, text_widths[column]), 1)
    if widths != grid:
        table = _with_widths(table, widths)
    heights = [_row_height(cells, widths, cache, margins) for cells in measured]
    height = page.portrait if landscape else page.height  # turned, the page's width is its height
    if len(rows) > 1 and sum(heights) <= height * FITS_ON_A_PAGE:
        table = _kept_together(table)
    else:  # a long table breaks between rows, never inside one – unless a row is too tall for a page
        table = _rows_whole(table, [row <= height * ROW_STAYS_WHOLE for row in heights])
    return _LANDSCAPE + table if landscape else table


def _too_wide(whole: list[float], broken: list[float], margins: int, total: int) -> bool:
    """Whether a table belongs on a turned page: it cannot fit upright even hyphenated, or only
    with most of its words broken – far wider than the page, or many columns that need hyphens."""
    spacing = margins * len(whole)
    needed = sum(whole) + spacing
    return (
        sum(broken) + spacing > total
        or needed > total * FAR_TOO_WIDE
        or (len(whole) >= MANY_COLUMNS and needed > total)
    )


def _uniform(grid: list[int]) -> bool:
    return len(grid) > 1 and max(grid) - min(grid) <= UNIFORM * sum(grid) / len(grid)


def _by_content(
    rows: list[list[bytes]], total: int, needed: list[int], styles: StyleMap, margins: int
) -> list[int]:
    """Widths in proportion to what each column holds, as browsers lay out tables.

    Each column wants the width of its longest paragraph and ``needed`` the
    width of its longest word (hyphenated where the table needs it); what the
    table has beyond the needs goes to the columns in proportion to how much
    more they want.
    """
    wanted = [0.0] * len(needed)
    for cells in rows:
        for column, cell in enumerate(cells):
            for paragraph in _elements(cell, _PARAGRAPH_TAG, b"</w:p>"):
                style = _PARAGRAPH_STYLE.search(paragraph)
                text_format = styles.format_of(style.group(1).decode() if style else None)
                for piece in paragraph.split(b"<w:br/>"):
                    text = "".join(html.unescape(t.decode("utf-8")) for _, t, _ in _TEXT.findall(piece))
                    wanted[column] = max(wanted[column], _width(text, text_format))
    wanted = [max(want + margins, need) for want, need in zip(wanted, needed, strict=True)]
    if sum(wanted) <= total:
        return [round(width * total / sum(wanted)) for width in wanted]
    room = total - sum(needed)
    more = sum(want - need for want, need in zip(wanted, needed, strict=True))
    if room <= 0 or more <= 0:  # not even the words fit: the minimums decide
        return needed
    return [round(need + room * (want - need) / more) for want, need in zip(wanted, needed, strict=True)]


def _least_widths(rows: list[list[bytes]], columns: int, cache: _Measured) -> tuple[list[float], list[float]]:
    """The width of each column's widest word, whole and with long words hyphenated (twips)."""
    whole = [0.0] * columns
    broken = [0.0] * columns
    for cells in rows:
        for column, cell in enumerate(cells):
            cell_whole, cell_broken = cache.widest_words(cell)
            whole[column] = max(whole[column], cell_whole)
            broken[column] = max(broken[column], cell_broken)
    return whole, broken


def _minimums(whole: list[float], broken: list[float], margins: int, total: int) -> list[int]:
    """Each column's least width: its widest word, hyphenated where that helps most, until all fit."""
    least = [math.ceil(width) + margins for width in whole]
    if sum(least) > total:
        for column in sorted(range(len(whole)), key=lambda c: broken[c] - whole[c]):
            least[column] = math.ceil(broken[column]) + margins
            if sum(least) <= total:
                break
    return least


def _row_height(cells: list[bytes], widths: list[int], cache: _Measured, margins: int) -> float:
    """An estimate of a row's height in twips: its tallest cell, line by line."""
    tallest = max(cache.height(cell, width, margins) for cell, width in zip(cells, widths, strict=True))
    return tallest + ROW_BORDERS


def _cell_height(cell: bytes, width: int, styles: StyleMap, margins: int) -> float:
    height = 0.0
    for paragraph in _elements(cell, _PARAGRAPH_TAG, b"</w:p>"):
        style = _PARAGRAPH_STYLE.search(paragraph)
        text_format = styles.format_of(style.group(1).decode() if style else None)
        lines = 0
        for piece in paragraph.split(b"<w:br/>"):
            text = "".join(html.unescape(t.decode("utf-8")) for _, t, _ in _TEXT.findall(piece))
            # lines break between words, so a line holds a little less than the column
            lines += max(1, math.ceil(_width(text, text_format) * WRAP_LOSS / max(width - margins, 1)))
        points = lines * text_format.line_height_pt() + text_format.before_pt + text_format.after_pt
        height += points * TWIPS_PER_POINT
    return height


def _spans(data: bytes, start: re.Pattern[bytes], end: bytes) -> list[tuple[int, int]]:
    """Where each element starts and ends, from a match of ``start`` to the next ``end`` tag.

    What ``start.*?end`` would find, found by searching for the tags: a lazy
    pattern tries to end the match at every character, which over the tens
    of thousands of rows of a large concept costs a second.
    """
    found = []
    match = start.search(data)
    while match is not None:
        close = data.find(end, match.end())
        if close < 0:
            break
        close += len(end)
        found.append((match.start(), close))
        match = start.search(data, close)
    return found


def _elements(data: bytes, start: re.Pattern[bytes], end: bytes) -> list[bytes]:
    return [data[first:last] for first, last in _spans(data, start, end)]


def _rows(table: bytes) -> list[bytes]:
    return _elements(table, _ROW_START, b"</w:tr>")


def _cells(row: bytes) -> list[bytes]:
    found = []
    start = row.find(b"<w:tc>")
    while start >= 0:
        end = row.find(b"</w:tc>", start + len(b"<w:tc>"))
        if end < 0:
            break
        end += len(b"</w:tc>")
        found.append(row[start:end])
        start = row.find(b"<w:tc>", end)
    return found


def _kept_together(table: bytes) -> bytes:
    """Rows that do not break, each kept with the next: the table moves to the next page whole."""
    spans = _spans(table, _ROW_START, b"</w:tr>")
    edits = []
    for number, (first, last) in enumerate(spans):
        row = table[first:last]
        kept = row if b"<w:cantSplit/>" in row else _cant_split(row)
        if number < len(spans) - 1 and not _all_kept_with_next(kept):
            kept = _PARAGRAPH_START.sub(_keep_next, kept)
        if kept != row:
            edits.append((first, last, kept))
    return edited(table, edits) if edits else table


def _rows_whole(table: bytes, whole: list[bool]) -> bytes:
    """Rows that must not break across pages, where ``whole`` says so."""
    spans = _spans(table, _ROW_START, b"</w:tr>")
    edits = [
        (first, last, _cant_split(table[first:last]))
        for (first, last), keep in zip(spans, whole, strict=True)
        if keep and b"<w:cantSplit/>" not in table[first:last]
    ]
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


def _in_a_cell(body: bytes, position: int) -> bool:
    """Whether the table at ``position`` sits in a cell of another table (only the outer one may turn)."""
    return body.rfind(b"<w:tc>", 0, position) > body.rfind(b"</w:tc>", 0, position)


def _landscape_sections(body: bytes, styles: StyleMap) -> bytes:
    """Each marked table in a section of its own, turned to landscape; the rest stays upright.

    Word ends a section with the ``w:sectPr`` in the last paragraph of it: a
    hairline paragraph before the table ends the upright section, one after
    it the turned one. The first section keeps the cover's different first
    page; the following ones number on and use the same headers and footers.
    """
    start = body.rfind(b"<w:sectPr")
    final = body[start : body.index(b"</w:sectPr>", start) + len(b"</w:sectPr>")]
    upright_first = final
    upright = _TITLE_PAGE.sub(b"", final)
    turned = _turned(upright)
    pieces: list[bytes] = []
    position = 0
    first = True
    while (found := body.find(_LANDSCAPE, position)) >= 0:
        end = body.index(b"</w:tbl>", found) + len(b"</w:tbl>")
        start = _kept_before(body, found, position, styles)  # a heading kept with the table turns too
        before = upright_first if first else upright
        pieces += [body[position:start], _section_end(before), body[start:found]]
        pieces.append(body[found + len(_LANDSCAPE) : end])
        pieces.append(_section_end(turned))
        position = end
        first = False
    tail = body[position:]
    pieces.append(tail.replace(final, upright, 1))  # the cover's first page belongs to the first section
    return b"".join(pieces)


def _kept_before(body: bytes, table: int, limit: int, styles: StyleMap) -> int:
    """Where the paragraphs kept with the table at ``table`` (headings, a caption above) begin."""
    start = table
    while start > limit and body.endswith(b"</w:p>", limit, start):
        paragraph = max(body.rfind(b"<w:p>", limit, start), body.rfind(b"<w:p ", limit, start))
        if paragraph < 0 or not _kept_with_next(body[paragraph:start], styles):
            break
        start = paragraph
    return start


def _kept_with_next(paragraph: bytes, styles: StyleMap) -> bool:
    properties = paragraph[: paragraph.find(b"</w:pPr>")] if b"</w:pPr>" in paragraph else b""
    if b"<w:keepNext/>" in properties:
        return True
    style = _PARAGRAPH_STYLE.search(properties)
    return style is not None and styles.format_of(style.group(1).decode()).keep_next


def _turned(section: bytes) -> bytes:
    size = _PAGE_SIZE.search(section)
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


def _separate_kept_paragraphs(body: bytes, styles: StyleMap) -> bytes:
    """A hairline paragraph between a table and a paragraph kept with the next.

    LibreOffice ignores "keep with next" on a paragraph that directly follows
    a table when the paragraph after it is kept with its next as well (a
    heading, then a quote and its source): the heading stays at the foot of
    the page. An empty paragraph of 1 pt between them, invisible in print,
    makes it honour the chain.
    """

    def separated(match: re.Match[bytes]) -> bytes:
        style = _PARAGRAPH_STYLE.search(match.group(2)) if match.group(2) else None
        properties = match.group(2) or b""
        kept = b"<w:keepNext/>" in properties or (
            style is not None and styles.format_of(style.group(1).decode()).keep_next
        )
        return match.group(1) + (TABLE_SEPARATOR if kept else b"") + match.group(0)[len(match.group(1)) :]

    return _AFTER_TABLE.sub(separated, body)


def share_out(planned: list[int], minimum: list[int], total: int) -> list[int]:
    """Column widths summing to ``total``: each at least its minimum, the rest as ``planned``.

    What the columns below their minimum need is taken from the others in
    proportion to what they have to spare. Where even that is not enough, the
    minimums are scaled down to the total (the words will break).
    """
    if sum(minimum) >= total:
        scale = total / sum(minimum)
        widths = [int(width * scale) for width in minimum]
    else:
        widths = [max(width, least) for width, least in zip(planned, minimum, strict=True)]
        excess = sum(widths) - total
        spare = [width - least for width, least in zip(widths, minimum, strict=True)]
        if excess > 0:
            pool = sum(spare)
            widths = [width - int(excess * room / pool) for width, room in zip(widths, spare, strict=True)]
    widths[-1] += total - sum(widths)  # rounding: the table keeps its width
    return widths


def _words(cell: bytes, styles: StyleMap) -> list[tuple[str, TextFormat]]:
    """The words of a cell (where a line may break) with how they are set."""
    style = _PARAGRAPH_STYLE.search(cell)
    run = styles.format_of(style.group(1).decode() if style else None)
    words = []
    for match in _TEXT.finditer(cell):
        text = match.group(2)
        if text.strip():
            words += [(word, run) for word in _WORD.findall(html.unescape(text.decode("utf-8")))]
    return words


def _hyphenated_width(word: str, run: TextFormat, whole: float) -> float:
    pieces = hyphenate(word) if "&" not in word else [word]
    if len(pieces) < 2:
        return whole
    return max(_width(piece + HYPHEN, run) for piece in pieces)


def _with_soft_hyphens(cell: bytes, styles: StyleMap, available: float) -> bytes:
    """``cell`` with soft hyphens in each word wider than ``available`` (twips of text).

    A word is measured with what touches it in the runs around it: a value's
    marker cuts the run at the value (``markers``), and ``Kirchengemeinden,``
    is as wide as it is with its comma, whichever run holds the comma.
    """
    style = _PARAGRAPH_STYLE.search(cell)
    run = styles.format_of(style.group(1).decode() if style else None)
    matches = list(_TEXT.finditer(cell))
    texts = [html.unescape(match.group(2).decode("utf-8")) for match in matches]
    edits = []
    for index, match in enumerate(matches):
        text = texts[index]
        before = _touching(cell, matches, texts, index, -1)
        after = _touching(cell, matches, texts, index, 1)
        words = _WORD.findall(text)
        long_words = [
            (word, hyphenate(word))
            for word in dict.fromkeys(words)
            if "&" not in word and _width(_glued(word, text, before, after), run) > available
        ]
        long_words = [(word, pieces) for word, pieces in long_words if len(pieces) > 1]
        if long_words:
            edits.append(
                (
                    match.start(),
                    match.end(),
                    match.group(1) + _soft_hyphens(text, long_words) + match.group(3),
                )
            )
    return edited(cell, edits) if edits else cell


def _touching(cell: bytes, matches: list[re.Match[bytes]], texts: list[str], index: int, step: int) -> str:
    """The characters of the neighbouring text (``step`` -1: before, 1: after) that touch this one
    with no space or break between: a run boundary alone does not part words."""
    other = index + step
    if not 0 <= other < len(matches):
        return ""
    start, end = (
        (matches[other].end(), matches[index].start())
        if step < 0
        else (matches[index].end(), matches[other].start())
    )
    if _PARTING.search(cell, start, end):
        return ""
    text = texts[other]
    if not text or text[-1 if step < 0 else 0].isspace():
        return ""
    return text.split()[-1 if step < 0 else 0]


def _glued(word: str, text: str, before: str, after: str) -> str:
    """``word`` with what touches it from the neighbouring texts, where it starts or ends ``text``."""
    if before and not text[:1].isspace() and text.startswith(word):
        word = before + word
    if after and not text[-1:].isspace() and text.endswith(word):
        word = word + after
    return word


def _soft_hyphens(text: str, words: list[tuple[str, list[str]]]) -> bytes:
    """The content of a ``w:t`` with Word's soft hyphens (``w:softHyphen``) between the pieces of words.

    Every occurrence of a long word gets them, the same word twice in a cell included.
    """
    between = '</w:t><w:softHyphen/><w:t xml:space="preserve">'
    pieces_of = dict(words)

    def hyphenated(match: re.Match[str]) -> str:
        pieces = pieces_of.get(match.group(0))
        return between.join(escape_text(piece) for piece in pieces) if pieces else escape_text(match.group(0))

    parts = []
    position = 0
    for match in _WORD.finditer(text):
        parts += [escape_text(text[position : match.start()]), hyphenated(match)]
        position = match.end()
    parts.append(escape_text(text[position:]))
    return "".join(parts).encode("utf-8")


def _width(text: str, run: TextFormat) -> float:
    return _measured(text, run.size_pt, run.family, run.bold)


@functools.lru_cache(maxsize=65536)
def _measured(text: str, size_pt: float, family: str, bold: bool) -> float:
    return text_width(text, size_pt, family, bold)


@functools.lru_cache(maxsize=16384)
def hyphenate(word: str) -> list[str]:
    """The pieces of a German ``word`` where it may be broken with a hyphen (LibreOffice's patterns).

    A word's first and last piece keep at least ``MIN_EDGE`` letters, and a
    single letter stays with the piece before it ("Leit-li-nien", not "Lei-t-li").
    """
    letters = word.rstrip("-–/")
    trail = word[len(letters) :]
    pieces: list[str] = []
    for piece in hyphenation.pieces(letters):
        if pieces and (len(piece) < 2 or (len(pieces[-1]) < MIN_EDGE and len(pieces) == 1)):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    while len(pieces) > 1 and len(pieces[-1]) < MIN_EDGE:
        last = pieces.pop()
        pieces[-1] += last
    pieces[-1] += trail
    return pieces


def _with_widths(table: bytes, widths: list[int]) -> bytes:
    columns = iter(widths)
    table = _GRID_COLUMN.sub(lambda m: b'<w:gridCol w:w="%d"/>' % next(columns), table)
    table = _TABLE_WIDTH.sub(b'<w:tblW w:w="%d" w:type="dxa"/>' % sum(widths), table, count=1)
    cell_widths = [b'<w:tcW w:w="%d" w:type="dxa"/>' % width for width in widths]

    def row_widths(row: bytes) -> bytes:
        cells = iter(cell_widths)
        return _CELL_WIDTH.sub(lambda m: next(cells), row)

    spans = _spans(table, _ROW_START, b"</w:tr>")
    return edited(table, [(first, last, row_widths(table[first:last])) for first, last in spans])

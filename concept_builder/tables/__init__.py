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

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..word import StyleMap, edited
from .elements import (
    PARAGRAPH_STYLE,
    PARAGRAPH_TAG,
    ROW_START,
    TEXT,
    element_spans,
    elements,
    in_a_cell,
    innermost_tables,
    row_cells,
    table_rows,
)
from .measure import Measured, hyphenate, printed_width, row_height, unmarked, with_soft_hyphens
from .pages import (
    LANDSCAPE,
    PAGE_SIZE,
    kept_together,
    landscape_sections,
    notes_kept_with_tables,
    rows_whole,
    separate_kept_paragraphs,
)

__all__ = ["Geometry", "fit_tables", "geometry", "hyphenate", "share_out"]

SAFETY = 40  # twips beyond the measured width: LibreOffice needs 2, Word rounds differently


FITS_ON_A_PAGE = 0.85  # a table estimated at most this share of the text height is kept on one page


ROW_STAYS_WHOLE = 0.5  # a row up to this share of the text height never breaks across pages


FAR_TOO_WIDE = 1.25  # whole words needing a quarter more than the page's width: the table turns


MANY_COLUMNS = 7  # from this many columns, a table that needs hyphens upright turns


UNIFORM = 0.02  # columns this close to equal width were not given widths by the template


_GRID_COLUMN = re.compile(rb'<w:gridCol w:w="(\d+)"/>')


# either order of the attributes: python-docx, and so our templates, write the type first
_CELL_WIDTH = re.compile(rb'<w:tcW (?:w:w="\d+" w:type="dxa"|w:type="dxa" w:w="\d+")/>')


_TABLE_WIDTH = re.compile(rb'<w:tblW (?:w:w="\d+" w:type="dxa"|w:type="dxa" w:w="\d+")/>')


_TABLE_STYLE = re.compile(rb'<w:tblStyle w:val="([^"]+)"/>')


_PAGE_MARGINS = re.compile(rb"<w:pgMar [^>]*>")


_SIDE = re.compile(rb'w:(left|right|top|bottom)="(\d+)"')


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
    cache = Measured(styles)
    turned = False
    edits: list[tuple[int, int, bytes]] = []  # made in one pass: a large body is held twice at most
    for start, end in innermost_tables(body):
        table = body[start:end]
        fitted = _fit(table, styles, page, may_turn=not in_a_cell(body, start), cache=cache)
        turned = turned or fitted.startswith(LANDSCAPE)
        if fitted != table:
            edits.append((start, end, fitted))
    body = edited(body, edits)
    if turned:
        body = landscape_sections(body, styles)
    return separate_kept_paragraphs(notes_kept_with_tables(body, styles), styles)


def geometry(body: bytes) -> Geometry:
    """The text area of the body's (last) section, upright and turned to landscape."""
    section = body[body.rfind(b"<w:sectPr") :]
    size = PAGE_SIZE.search(section)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (11906, 16838)  # A4
    margins = _PAGE_MARGINS.search(section)
    sides = {side: int(value) for side, value in _SIDE.findall(margins.group(0))} if margins else {}
    horizontal = sides.get(b"left", 1418) + sides.get(b"right", 1418)
    vertical = sides.get(b"top", 1418) + sides.get(b"bottom", 1134)
    portrait, turned = sorted((width, height))
    return Geometry(portrait=portrait - horizontal, landscape=turned - horizontal, height=height - vertical)


def _fit(
    table: bytes, styles: StyleMap, page: Geometry, *, may_turn: bool = False, cache: Measured | None = None
) -> bytes:
    cache = cache or Measured(styles)
    grid = [int(width) for width in _GRID_COLUMN.findall(table)]
    if not grid or b"<w:gridSpan" in table or b"<w:vMerge" in table:
        return table  # merged cells: the columns cannot be shared out cell by cell
    style = _TABLE_STYLE.search(table)
    margins = sum(styles.cell_margins(style.group(1).decode() if style else None)) + SAFETY
    rows = [row_cells(row) for row in table_rows(table)]
    if any(len(cells) != len(grid) for cells in rows):
        return table
    measured = [[unmarked(cell) for cell in cells] for cells in rows]  # what is measured of each cell
    whole = _widest(measured, len(grid), cache.widest_word)
    broken = _Hyphenated(measured, len(grid), cache)
    total = sum(grid)
    landscape = may_turn and page.landscape > total and _too_wide(whole, broken, margins, total)
    if landscape:  # the table gets the width of a turned page
        total = page.landscape
    minimums = _minimums(whole, broken, margins, total)
    if _uniform(grid):  # columns of equal width are Word's default for a new table, not a choice
        if sum(minimums) > total - margins * len(grid):  # cramped: hyphens give the room to the text
            minimums = [math.ceil(width) + margins for width in broken()]
        planned = _by_content(measured, total, minimums, styles, margins)
    else:
        planned = [round(width * total / sum(grid)) for width in grid]
    widths = share_out(planned, minimums, total)
    text_widths = [width - margins for width in widths]
    for cells in rows:
        for column, cell in enumerate(cells):
            if whole[column] > text_widths[column]:
                table = table.replace(cell, with_soft_hyphens(cell, styles, text_widths[column]), 1)
    if widths != grid:
        table = _with_widths(table, widths)
    heights = [row_height(cells, widths, cache, margins) for cells in measured]
    height = page.portrait if landscape else page.height  # turned, the page's width is its height
    if len(rows) > 1 and sum(heights) <= height * FITS_ON_A_PAGE:
        table = kept_together(table)
    else:  # a long table breaks between rows, never inside one – unless a row is too tall for a page
        table = rows_whole(table, [row <= height * ROW_STAYS_WHOLE for row in heights])
    return LANDSCAPE + table if landscape else table


def _too_wide(whole: list[float], broken: Callable[[], list[float]], margins: int, total: int) -> bool:
    """Whether a table belongs on a turned page: it cannot fit upright even hyphenated, or only
    with most of its words broken – far wider than the page, or many columns that need hyphens."""
    spacing = margins * len(whole)
    needed = sum(whole) + spacing
    if needed <= total:  # the whole words fit: hyphenated they fit too
        return False
    return needed > total * FAR_TOO_WIDE or len(whole) >= MANY_COLUMNS or sum(broken()) + spacing > total


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
            for paragraph in elements(cell, PARAGRAPH_TAG, b"</w:p>"):
                style = PARAGRAPH_STYLE.search(paragraph)
                text_format = styles.format_of(style.group(1).decode() if style else None)
                for piece in paragraph.split(b"<w:br/>"):
                    text = "".join(html.unescape(t.decode("utf-8")) for _, t, _ in TEXT.findall(piece))
                    wanted[column] = max(wanted[column], printed_width(text, text_format))
    wanted = [max(want + margins, need) for want, need in zip(wanted, needed, strict=True)]
    if sum(wanted) <= total:
        return [round(width * total / sum(wanted)) for width in wanted]
    room = total - sum(needed)
    more = sum(want - need for want, need in zip(wanted, needed, strict=True))
    if room <= 0 or more <= 0:  # not even the words fit: the minimums decide
        return needed
    return [round(need + room * (want - need) / more) for want, need in zip(wanted, needed, strict=True)]


def _widest(rows: list[list[bytes]], columns: int, width: Callable[[bytes], float]) -> list[float]:
    """The greatest ``width`` of a cell in each column (twips)."""
    widest = [0.0] * columns
    for cells in rows:
        for column, cell in enumerate(cells):
            widest[column] = max(widest[column], width(cell))
    return widest


class _Hyphenated:
    """The width of each column's widest piece with long words hyphenated, measured when first asked:
    a table whose whole words fit never needs it."""

    def __init__(self, rows: list[list[bytes]], columns: int, cache: Measured) -> None:
        self.rows, self.columns, self.cache = rows, columns, cache
        self.widths: list[float] | None = None

    def __call__(self) -> list[float]:
        if self.widths is None:
            self.widths = _widest(self.rows, self.columns, self.cache.widest_piece)
        return self.widths


def _minimums(whole: list[float], broken: Callable[[], list[float]], margins: int, total: int) -> list[int]:
    """Each column's least width: its widest word, hyphenated where that helps most, until all fit."""
    least = [math.ceil(width) + margins for width in whole]
    if sum(least) > total:
        pieces = broken()
        for column in sorted(range(len(whole)), key=lambda c: pieces[c] - whole[c]):
            least[column] = math.ceil(pieces[column]) + margins
            if sum(least) <= total:
                break
    return least


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


def _with_widths(table: bytes, widths: list[int]) -> bytes:
    columns = iter(widths)
    table = _GRID_COLUMN.sub(lambda m: b'<w:gridCol w:w="%d"/>' % next(columns), table)
    table = _TABLE_WIDTH.sub(b'<w:tblW w:w="%d" w:type="dxa"/>' % sum(widths), table, count=1)
    cell_widths = [b'<w:tcW w:w="%d" w:type="dxa"/>' % width for width in widths]

    def row_widths(row: bytes) -> bytes:
        cells = iter(cell_widths)
        return _CELL_WIDTH.sub(lambda m: next(cells), row)

    spans = element_spans(table, ROW_START, b"</w:tr>")
    return edited(table, [(first, last, row_widths(table[first:last])) for first, last in spans])

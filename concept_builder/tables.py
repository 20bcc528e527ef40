"""Tables that fit their content: columns as wide as their longest word, long compounds hyphenated.

Word and LibreOffice lay a table out on the column widths the document
gives (LibreOffice ignores Word's "autofit" entirely), and a word wider than
its column is broken at an arbitrary letter, without a hyphen. So before the
document is written, each table's columns are shared out again: every column
gets at least the width of its widest word, the rest goes where the template
put it. A word that cannot fit (a long German compound in a narrow column)
gets soft hyphens at its syllables, which both programs honour – German
hyphenation patterns are not installed everywhere LibreOffice is. A table
that cannot fit the page even so is set on a page of its own in landscape.

This works on the rendered body's bytes with regular expressions, as the
contents filler does: the tables have the fixed form Word writes (``w:tbl``,
``w:tblGrid``, ``w:tr``, ``w:tc``, ``w:t``), and a large concept has thousands
of them. Tables with merged cells or tables inside tables are left as they are.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Any

from .fonts import text_width
from .word import RunFormat, StyleMap, escape_text

SAFETY = 40  # twips beyond the measured width: LibreOffice needs 2, Word rounds differently
HYPHEN = "-"
MIN_PIECE = 4  # letters a hyphenated piece keeps at least

_TABLE = re.compile(rb"<w:tbl>(?:(?!<w:tbl>).)*?</w:tbl>", re.DOTALL)
_GRID_COLUMN = re.compile(rb'<w:gridCol w:w="(\d+)"/>')
_ROW = re.compile(rb"<w:tr\b.*?</w:tr>", re.DOTALL)
_CELL = re.compile(rb"<w:tc>.*?</w:tc>", re.DOTALL)
_CELL_WIDTH = re.compile(rb'<w:tcW w:w="\d+" w:type="dxa"/>')
_TABLE_WIDTH = re.compile(rb'<w:tblW w:w="\d+" w:type="dxa"/>')
_TABLE_STYLE = re.compile(rb'<w:tblStyle w:val="([^"]+)"/>')
_PARAGRAPH_STYLE = re.compile(rb'<w:pStyle w:val="([^"]+)"/>')
_TEXT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_PAGE_SIZE = re.compile(rb'<w:pgSz w:w="(\d+)" w:h="(\d+)"')
_PAGE_MARGINS = re.compile(rb"<w:pgMar [^>]*>")
_SIDE = re.compile(rb'w:(left|right)="(\d+)"')
_WORD = re.compile(r"[^\s/\-–]+[/\-–]?")  # a line may break after a space, a slash or a dash


@dataclass(frozen=True)
class Geometry:
    """The width the text of a page may take, in twips, upright and turned."""

    portrait: int
    landscape: int


def fit_tables(body: bytes, styles: StyleMap) -> bytes:
    """Every table of ``body`` with columns wide enough for its words."""
    if b"<w:tbl>" not in body:
        return body
    page = geometry(body)
    return _TABLE.sub(lambda match: _fit(match.group(0), styles, page), body)


def geometry(body: bytes) -> Geometry:
    """The text width of the body's (last) section, upright and turned to landscape."""
    section = body[body.rfind(b"<w:sectPr") :]
    size = _PAGE_SIZE.search(section)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (11906, 16838)  # A4
    margins = _PAGE_MARGINS.search(section)
    sides = {side: int(value) for side, value in _SIDE.findall(margins.group(0))} if margins else {}
    horizontal = sides.get(b"left", 1418) + sides.get(b"right", 1418)
    portrait, turned = sorted((width, height))
    return Geometry(portrait=portrait - horizontal, landscape=turned - horizontal)


def _fit(table: bytes, styles: StyleMap, page: Geometry) -> bytes:
    grid = [int(width) for width in _GRID_COLUMN.findall(table)]
    if not grid or b"<w:gridSpan" in table or b"<w:vMerge" in table:
        return table  # merged cells: the columns cannot be shared out cell by cell
    style = _TABLE_STYLE.search(table)
    margins = sum(styles.cell_margins(style.group(1).decode() if style else None)) + SAFETY
    rows = [_CELL.findall(row) for row in _ROW.findall(table)]
    if any(len(cells) != len(grid) for cells in rows):
        return table
    whole = [0.0] * len(grid)  # the widest word of each column
    broken = [0.0] * len(grid)  # the same with long words hyphenated
    for cells in rows:
        for column, cell in enumerate(cells):
            for word, run in _words(cell, styles):
                width = _width(word, run)
                whole[column] = max(whole[column], width)
                broken[column] = max(broken[column], _hyphenated_width(word, run, width))
    total = sum(grid)
    least = [round(width) + margins for width in whole]
    if sum(least) > total:  # hyphenate where it helps most, until the table fits
        for column in sorted(range(len(grid)), key=lambda c: broken[c] - whole[c]):
            least[column] = round(broken[column]) + margins
            if sum(least) <= total:
                break
    widths = share_out(grid, least, total)
    if widths == grid:
        return table
    text_widths = [width - margins for width in widths]
    for cells in rows:
        for column, cell in enumerate(cells):
            if whole[column] > text_widths[column]:
                table = table.replace(cell, _with_soft_hyphens(cell, styles, text_widths[column]), 1)
    return _with_widths(table, widths)


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


def _words(cell: bytes, styles: StyleMap) -> list[tuple[str, RunFormat]]:
    """The words of a cell (where a line may break) with how they are set."""
    style = _PARAGRAPH_STYLE.search(cell)
    run = styles.format_of(style.group(1).decode() if style else None)
    words = []
    for match in _TEXT.finditer(cell):
        text = match.group(2)
        if text.strip():
            words += [(word, run) for word in _WORD.findall(html.unescape(text.decode("utf-8")))]
    return words


def _hyphenated_width(word: str, run: RunFormat, whole: float) -> float:
    pieces = hyphenate(word) if "&" not in word else [word]
    if len(pieces) < 2:
        return whole
    return max(_width(piece + HYPHEN, run) for piece in pieces)


def _with_soft_hyphens(cell: bytes, styles: StyleMap, available: float) -> bytes:
    """``cell`` with soft hyphens in each word wider than ``available`` (twips of text)."""
    style = _PARAGRAPH_STYLE.search(cell)
    run = styles.format_of(style.group(1).decode() if style else None)

    def mended(match: re.Match[bytes]) -> bytes:
        text = html.unescape(match.group(2).decode("utf-8"))
        long_words = [
            (word, hyphenate(word))
            for word in dict.fromkeys(_WORD.findall(text))
            if "&" not in word and _width(word, run) > available
        ]
        long_words = [(word, pieces) for word, pieces in long_words if len(pieces) > 1]
        if not long_words:
            return match.group(0)
        return match.group(1) + _soft_hyphens(text, long_words) + match.group(3)

    return _TEXT.sub(mended, cell)


def _soft_hyphens(text: str, words: list[tuple[str, list[str]]]) -> bytes:
    """The content of a ``w:t`` with Word's soft hyphens (``w:softHyphen``) between the pieces of words."""
    between = '</w:t><w:softHyphen/><w:t xml:space="preserve">'
    escaped = escape_text(text)
    for word, pieces in words:
        escaped = escaped.replace(escape_text(word), between.join(escape_text(piece) for piece in pieces), 1)
    return escaped.encode("utf-8")


def _width(text: str, run: RunFormat) -> float:
    return _measured(text, run.size_pt, run.family, run.bold)


@functools.lru_cache(maxsize=65536)
def _measured(text: str, size_pt: float, family: str, bold: bool) -> float:
    return text_width(text, size_pt, family, bold)


@functools.lru_cache(maxsize=16384)
def hyphenate(word: str) -> list[str]:
    """The pieces of a German ``word`` where it may be broken with a hyphen (pyphen's patterns)."""
    letters = word.rstrip("-–/")
    trail = word[len(letters) :]
    pieces = _dictionary().inserted(letters, hyphen="\x00").split("\x00")
    merged: list[str] = []
    for piece in pieces:  # very short pieces ("le") read badly at the start of a line
        if merged and (len(piece) < MIN_PIECE or len(merged[-1]) < MIN_PIECE):
            merged[-1] += piece
        else:
            merged.append(piece)
    merged[-1] += trail
    return merged


@functools.lru_cache(maxsize=1)
def _dictionary() -> Any:
    import pyphen  # its German patterns are LibreOffice's

    return pyphen.Pyphen(lang="de_DE")


def _with_widths(table: bytes, widths: list[int]) -> bytes:
    columns = iter(widths)
    table = _GRID_COLUMN.sub(lambda m: b'<w:gridCol w:w="%d"/>' % next(columns), table)
    table = _TABLE_WIDTH.sub(b'<w:tblW w:w="%d" w:type="dxa"/>' % sum(widths), table, count=1)

    def row_widths(match: re.Match[bytes]) -> bytes:
        cells = iter(widths)
        return _CELL_WIDTH.sub(lambda m: b'<w:tcW w:w="%d" w:type="dxa"/>' % next(cells), match.group(0))

    return _ROW.sub(row_widths, table)

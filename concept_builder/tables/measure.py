"""How much room the text of a cell takes: the widths of its words, hyphenated where needed, and its
height in lines; each distinct cell measured once."""

from __future__ import annotations

import functools
import html
import math
import re

from .. import hyphenation
from ..fonts import text_width
from ..word import StyleMap, TextFormat, edited, escape_text
from .elements import PARAGRAPH_STYLE, PARAGRAPH_TAG, TEXT, elements

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
    rb'\1<w:t(?: xml:space="preserve")?>',
    re.DOTALL,
)


# A line may break after a space, a slash or a dash – but not inside a number ("04/2019", "2019-2021")
_WORD = re.compile(r"\d[\d.,]*(?:[/\-–]\d[\d.,]*)+|[^\s/\-–]+[/\-–]?")


class Measured:
    """What was measured of each cell, for the tables of one body: most cells repeat (the labels of
    every profile, "–", a lead organisation), so each is measured once. Cells are given without
    their bookmarks (``unmarked``), which would make every cell that prints a value unique."""

    def __init__(self, styles: StyleMap) -> None:
        self.styles = styles
        # cell → its words measured, widest first: (width, word, how it is set)
        self.words: dict[bytes, list[tuple[float, str, TextFormat]]] = {}
        self.pieces: dict[bytes, float] = {}  # cell → its widest piece, long words hyphenated
        self.heights: dict[tuple[bytes, int, int], float] = {}  # (cell, width, margins) → height

    def widest_word(self, cell: bytes) -> float:
        """The width of the cell's widest word (twips)."""
        measured = self._measured_words(cell)
        return measured[0][0] if measured else 0.0

    def widest_piece(self, cell: bytes) -> float:
        """The width of the cell's widest piece with long words hyphenated: only asked where the
        whole words do not fit, since hyphenating is most of the cost of measuring a table."""
        found = self.pieces.get(cell)
        if found is None:
            broken = 0.0
            # widest first: a word hyphenated is never wider than whole, so the rest need no hyphenation
            for width, word, run in self._measured_words(cell):
                if width <= broken:
                    break
                broken = max(broken, _hyphenated_width(word, run, width))
            found = self.pieces[cell] = broken
        return found

    def _measured_words(self, cell: bytes) -> list[tuple[float, str, TextFormat]]:
        found = self.words.get(cell)
        if found is None:
            found = self.words[cell] = sorted(
                ((printed_width(word, run), word, run) for word, run in _words(cell, self.styles)),
                key=lambda measure: measure[0],
                reverse=True,
            )
        return found

    def height(self, cell: bytes, width: int, margins: int) -> float:
        key = (cell, width, margins)
        found = self.heights.get(key)
        if found is None:
            found = self.heights[key] = _cell_height(cell, width, self.styles, margins)
        return found


def unmarked(cell: bytes) -> bytes:
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


def row_height(cells: list[bytes], widths: list[int], cache: Measured, margins: int) -> float:
    """An estimate of a row's height in twips: its tallest cell, line by line."""
    tallest = max(cache.height(cell, width, margins) for cell, width in zip(cells, widths, strict=True))
    return tallest + ROW_BORDERS


def _cell_height(cell: bytes, width: int, styles: StyleMap, margins: int) -> float:
    height = 0.0
    for paragraph in elements(cell, PARAGRAPH_TAG, b"</w:p>"):
        style = PARAGRAPH_STYLE.search(paragraph)
        text_format = styles.format_of(style.group(1).decode() if style else None)
        lines = 0
        for piece in paragraph.split(b"<w:br/>"):
            text = "".join(html.unescape(t.decode("utf-8")) for _, t, _ in TEXT.findall(piece))
            # lines break between words, so a line holds a little less than the column
            lines += max(1, math.ceil(printed_width(text, text_format) * WRAP_LOSS / max(width - margins, 1)))
        points = lines * text_format.line_height_pt() + text_format.before_pt + text_format.after_pt
        height += points * TWIPS_PER_POINT
    return height


def _words(cell: bytes, styles: StyleMap) -> list[tuple[str, TextFormat]]:
    """The words of a cell (where a line may break) with how they are set."""
    style = PARAGRAPH_STYLE.search(cell)
    run = styles.format_of(style.group(1).decode() if style else None)
    words = []
    for match in TEXT.finditer(cell):
        text = match.group(2)
        if text.strip():
            words += [(word, run) for word in _WORD.findall(html.unescape(text.decode("utf-8")))]
    return words


def _hyphenated_width(word: str, run: TextFormat, whole: float) -> float:
    pieces = hyphenate(word) if "&" not in word else [word]
    if len(pieces) < 2:
        return whole
    return max(printed_width(piece + HYPHEN, run) for piece in pieces)


def with_soft_hyphens(cell: bytes, styles: StyleMap, available: float) -> bytes:
    """``cell`` with soft hyphens in each word wider than ``available`` (twips of text).

    A word is measured with what touches it in the runs around it: a value's
    marker cuts the run at the value (``markers``), and ``Kirchengemeinden,``
    is as wide as it is with its comma, whichever run holds the comma.
    """
    style = PARAGRAPH_STYLE.search(cell)
    run = styles.format_of(style.group(1).decode() if style else None)
    matches = list(TEXT.finditer(cell))
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
            if "&" not in word and printed_width(_glued(word, text, before, after), run) > available
        ]
        long_words = [(word, pieces) for word, pieces in long_words if len(pieces) > 1]
        if long_words:
            replacement = match.group(1) + _soft_hyphens(text, long_words) + match.group(3)
            edits.append((match.start(), match.end(), replacement))
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


def printed_width(text: str, run: TextFormat) -> float:
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

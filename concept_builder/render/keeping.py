"""Short lists kept with the text that introduces them: never a lead-in at the foot of a page, its
list of four names alone on the next.

Found on the rendered body's bytes, as the tables are (``tables/``): a list is
a run of paragraphs in the template's list styles, one right after the other.
"""

from __future__ import annotations

import bisect
import re

from ..tables import fit_tables
from ..tables.elements import paragraph_start
from ..word import StyleMap, edited

SHORT_LIST = 8  # items; a longer list may break between its items, as text breaks between lines

_CELL_BOUND = re.compile(rb"<w:tc>|</w:tc>")
_STYLED_PARAGRAPH = re.compile(rb'<w:p(?: [^>]*)?><w:pPr><w:pStyle w:val="([^"]+)"/>')


_PROPERTIES_START = re.compile(rb"<w:p(?: [^>]*)?><w:pPr>(?:<w:pStyle [^>]*/>)?")  # keepNext comes next


def laid_out(body: bytes, styles: StyleMap) -> bytes:
    """The rendered body with its short lists kept together and its tables fitted to the page.

    Lists first: fitting the tables puts a hairline paragraph between a table
    and a paragraph kept with the next, which LibreOffice needs to honour the
    keeping – the lead-in of a list right below a table included.
    """
    return fit_tables(short_lists_kept(body, styles), styles)


def short_lists_kept(body: bytes, styles: StyleMap) -> bytes:
    """Each list of at most ``SHORT_LIST`` items kept together, and with the paragraph before it.

    Every item but the last keeps with the next, and so does the paragraph
    that leads into the list (a heading keeps with it already): where they do
    not fit at the foot of a page, they move to the next together. Lists in
    table cells are left alone: a row keeps with the next when its paragraphs
    do, which is the table's concern.
    """
    list_styles = {
        styles[role].encode()
        for role in styles.ids
        if role.startswith("list_") and role not in styles.missing and styles[role]
    }
    if not list_styles:
        return body
    edits: list[tuple[int, int, bytes]] = []
    cells = _CellBounds(body)
    for items in _lists(body, list_styles):
        if len(items) > SHORT_LIST or cells.inside(items[0][0]):
            continue
        lead_in = _paragraph_before(body, items[0][0])
        kept = ([lead_in] if lead_in is not None else []) + items[:-1]
        edits += [(start, end, _kept_with_next(body[start:end])) for start, end in kept]
    return edited(body, [edit for edit in edits if edit[2] != body[edit[0] : edit[1]]])


def _lists(body: bytes, list_styles: set[bytes]) -> list[list[tuple[int, int]]]:
    """Runs of list paragraphs, each paragraph as (start, end), the next starting where one ends."""
    runs: list[list[tuple[int, int]]] = []
    for match in _STYLED_PARAGRAPH.finditer(body):
        if match.group(1) not in list_styles:
            continue
        end = body.find(b"</w:p>", match.end()) + len(b"</w:p>")
        if runs and runs[-1][-1][1] == match.start():
            runs[-1].append((match.start(), end))
        else:
            runs.append([(match.start(), end)])
    return runs


def _paragraph_before(body: bytes, position: int) -> tuple[int, int] | None:
    """The paragraph ending right at ``position``, if it holds text: a lead-in, not a section's end."""
    if not body.endswith(b"</w:p>", 0, position):
        return None
    start = paragraph_start(body, position)
    paragraph = body[start:position]
    if start < 0 or b"<w:sectPr" in paragraph or (b"<w:t>" not in paragraph and b"<w:t " not in paragraph):
        return None
    return start, position


class _CellBounds:
    """Where the table cells of a body open and close, found once: whether a position is in one is
    then a search in a sorted list, not a scan back through the body for every list."""

    def __init__(self, body: bytes) -> None:
        found = [(m.start(), m.group(0) == b"<w:tc>") for m in _CELL_BOUND.finditer(body)]
        self.positions = [position for position, _ in found]
        self.opening = [opening for _, opening in found]

    def inside(self, position: int) -> bool:
        index = bisect.bisect_left(self.positions, position) - 1
        return index >= 0 and self.opening[index]


def _kept_with_next(paragraph: bytes) -> bytes:
    """``paragraph`` kept with the next, unless it says anything about it already."""
    properties_end = paragraph.find(b"</w:pPr>")
    if b"<w:keepNext" in paragraph[: max(properties_end, 0)]:
        return paragraph
    if properties_end < 0:  # no properties: the paragraph's tag ends where they would begin
        tag_end = paragraph.index(b">") + 1
        return paragraph[:tag_end] + b"<w:pPr><w:keepNext/></w:pPr>" + paragraph[tag_end:]
    style = _PROPERTIES_START.match(paragraph)
    if style is None:  # properties not first, as the schema has them: left as they are
        return paragraph
    return paragraph[: style.end()] + b"<w:keepNext/>" + paragraph[style.end() :]

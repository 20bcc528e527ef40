"""The parts of a rendered body's tables, found on its bytes: tables, rows, cells, paragraphs, text.

The tables have the fixed form Word writes (``w:tbl``, ``w:tr``, ``w:tc``,
``w:p``, ``w:t``) and a large concept has thousands of them, so they are found
by searching for their tags, not in a tree of the whole body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ROW_START = re.compile(rb"<w:tr\b")


PARAGRAPH_TAG = re.compile(rb"<w:p\b")


TEXT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")


PARAGRAPH_STYLE = re.compile(rb'<w:pStyle w:val="([^"]+)"/>')


def innermost_tables(body: bytes) -> Iterator[tuple[int, int]]:
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


def paragraph_start(body: bytes, end: int, limit: int = 0) -> int:
    """Where the paragraph ending at ``end`` begins – its own ``<w:p>`` or ``<w:p …>`` tag, not that of
    its properties (``<w:pPr>``, ``<w:pStyle …>``) – searching back no further than ``limit``; -1 where
    there is none. The search stops at the nearest such tag: a scan for ``<w:p `` alone would cross the
    whole body where no paragraph has attributes."""
    start = body.rfind(b"<w:p", limit, end)
    while start >= 0 and body[start + 4 : start + 5] not in (b">", b" "):
        start = body.rfind(b"<w:p", limit, start)
    return start


def element_spans(data: bytes, start: re.Pattern[bytes], end: bytes) -> list[tuple[int, int]]:
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


def elements(data: bytes, start: re.Pattern[bytes], end: bytes) -> list[bytes]:
    return [data[first:last] for first, last in element_spans(data, start, end)]


def table_rows(table: bytes) -> list[bytes]:
    return elements(table, ROW_START, b"</w:tr>")


def row_cells(row: bytes) -> list[bytes]:
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


def in_a_cell(body: bytes, position: int) -> bool:
    """Whether the table at ``position`` sits in a cell of another table (only the outer one may turn)."""
    return body.rfind(b"<w:tc>", 0, position) > body.rfind(b"</w:tc>", 0, position)

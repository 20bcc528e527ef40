"""The layout of a page that is ready to publish: what a communications office would send back.

Words broken inside without a hyphen, tables that would fit on one page
split across two, a heading alone at the foot of a page or alone on a page,
a table of contents without page numbers, a numbered list that does not
begin at 1. The rules read the tagged text line by line (``pdf_file.py``),
so running headers and page numbers, which are artifacts, never count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from ..errors import counted
from .findings import Finding, in_quotes, places
from .pdf_file import Element, Line, PdfFile
from .structure_types import HEADINGS

CONTENTS_HEADINGS = {"inhalt", "inhaltsverzeichnis", "contents", "table of contents"}
PAGE_NUMBER = re.compile(r"(\d+|\b[ivxlcdm]+)\s*$", re.IGNORECASE)
LIST_NUMBER = re.compile(r"^\s*(?:\d+\.)*(\d+)[.)]")
FITS = 0.9  # a table is said to fit on a page when it needs at most this share of the text area


def check_layout(document: PdfFile) -> list[Finding]:
    """Every layout finding in ``document``; empty when every page is ready to publish."""
    blocks = _blocks(document)
    texts = {id(element): _text(lines) for element, lines in blocks}
    return [
        *_broken_words(document, blocks),
        *_split_tables(document),
        *_empty_pages(document),
        *_lonely_findings(_lonely_headings(document), lambda element: texts.get(id(element), "")),
        *_contents_without_numbers(blocks),
        *_lists(blocks),
    ]


def check_page_breaks(document: PdfFile) -> list[Finding]:
    """The empty pages, and the headings alone at the foot of a page or on a page, with the text of only
    those headings' pages read.

    They are found from what each page paints, without the text (reading it is
    most of the time a check takes): a build checks every PDF it writes so.
    """
    empty = list(_empty_pages(document))
    lonely = _lonely_headings(document)
    pages = set(lonely.alone) | {page for _, page, _ in lonely.at_foot}
    if not pages:
        return empty
    texts = {id(element): _text(lines) for element, lines in _blocks(document, document.lines_on(pages))}
    return empty + _lonely_findings(lonely, lambda element: texts.get(id(element), ""))


def _blocks(document: PdfFile, read: list[Line] | None = None) -> list[tuple[Element, list[Line]]]:
    """Paragraph-like elements with their lines (those ``read``, else all), in the order of the tree."""
    lines: dict[int, list[Line]] = {}
    for line in document.lines if read is None else read:
        lines.setdefault(id(line.element), []).append(line)
    return [(element, lines[id(element)]) for element in document.elements if id(element) in lines]


def _quote(text: str, limit: int = 60) -> str:
    return in_quotes(" ".join(text.split()), limit)


# --- words ---------------------------------------------------------------------------------------


def _broken_words(document: PdfFile, blocks: list[tuple[Element, list[Line]]]) -> Iterator[Finding]:
    """A line that is one piece of a word, going on in the next line: the word did not fit the column.

    LibreOffice ends a line that breaks at a space with that space, and breaks
    inside a word only when the word alone is wider than the line. A PDF that
    never ends a line with a space does not tell the two apart, and is not judged.
    """
    if not any(line.text.endswith(" ") for line in document.lines):
        return
    for _, lines in blocks:
        widest = max(line.x1 for line in lines)
        pieces: list[Line] = []
        for line, following in zip(lines, [*lines[1:], None], strict=True):
            if following is not None and _breaks_inside_a_word(line, following, widest):
                pieces.append(line)
            elif pieces:
                yield _broken_word([*pieces, line])
                pieces = []


def _breaks_inside_a_word(line: Line, following: Line, widest: float) -> bool:
    text = line.text.strip()
    return (
        bool(text)
        and " " not in text
        and not line.text.endswith(" ")
        and text[-1].isalnum()
        and following.text[:1].isalnum()
        and line.x1 >= widest - line.size  # the line is full: the word was cut where the column ends
    )


def _broken_word(pieces: list[Line]) -> Finding:
    first_word = pieces[-1].text.split(" ")[0] if pieces[-1].text.strip() else pieces[-1].text
    shown = "|".join([*(piece.text.strip() for piece in pieces[:-1]), first_word.strip()])
    return Finding(
        "broken-word",
        f"page {pieces[0].page}",
        f"“{shown}” is broken inside the word",
        "widen the column or shorten the text; a soft hyphen lets the word break with a hyphen",
    )


# --- tables --------------------------------------------------------------------------------------


def _split_tables(document: PdfFile) -> Iterator[Finding]:
    """A table split across pages that would fit on one: its parts together need less than a page."""
    text_area = _text_area(document.lines)
    tables: dict[int, list[Line]] = {}
    for line in document.lines:
        table = line.element.within("Table")
        if table is not None:
            tables.setdefault(id(table), []).append(line)
    for lines in tables.values():
        parts: dict[int, list[Line]] = {}
        for line in lines:
            parts.setdefault(line.page, []).append(line)
        if len(parts) < 2:
            continue
        height = sum(
            max(line.bottom for line in part) - min(line.top for line in part) for part in parts.values()
        )
        if height <= FITS * text_area:
            pages = sorted(parts)
            yield Finding(
                "split-table",
                f"page {pages[0]}",
                f"the table beginning {_quote(lines[0].text, 40)} is split over pages {pages[0]}–{pages[-1]},"
                " though it fits on one page",
                "keep the table together: Table Properties › Text Flow › do not allow the table to split;"
                " in Word, keep its rows with the next",
            )


def _text_area(lines: list[Line]) -> float:
    """The height of the text area: the tallest stretch of tagged text on any page."""
    extents: dict[int, tuple[float, float]] = {}
    for line in lines:
        top, bottom = extents.get(line.page, (line.top, line.bottom))
        extents[line.page] = (min(top, line.top), max(bottom, line.bottom))
    return max((bottom - top for top, bottom in extents.values()), default=0.0)


# --- pages ---------------------------------------------------------------------------------------


def _empty_pages(document: PdfFile) -> Iterator[Finding]:
    """Pages of a tagged PDF that show no content, at most their running header and footer (artifacts):
    a page break or a section break in the wrong place, a page a reader would take for a misprint."""
    if not document.tagged:
        return
    shown = {page for page, _ in document.painted} | set(document.untagged)
    empty = [number for number in range(1, len(document.pdf.pages) + 1) if number not in shown]
    if empty:
        yield Finding(
            "empty-page",
            places("page", empty),
            "the page shows nothing but its header and footer",
            "remove the page or section break that leaves it empty",
        )


# --- headings ------------------------------------------------------------------------------------


@dataclass
class _Lonely:
    """Headings a page leaves alone."""

    alone: dict[int, list[Element]]  # a page that holds only headings → its headings
    at_foot: list[tuple[Element, int, int]]  # a heading at the foot of a page: its page, its section's


def _lonely_headings(document: PdfFile) -> _Lonely:
    placed = _placed(document)
    on_page: dict[int, list[Element]] = {}
    for element, pages in placed:
        for page in pages:
            on_page.setdefault(page, []).append(element)
    alone = {page: elements for page, elements in on_page.items() if all(_is_heading(e) for e in elements)}
    at_foot = [
        (element, pages[-1], following[0])
        for (element, pages), (_, following) in pairwise(placed)
        if _is_heading(element) and following[0] > pages[-1] and pages[-1] not in alone
    ]
    return _Lonely(alone, at_foot)


def _lonely_findings(lonely: _Lonely, text: Callable[[Element], str]) -> list[Finding]:
    findings = [
        Finding(
            "heading-only-page",
            f"page {page}",
            f"the page holds only the heading {', '.join(_quote(text(e)) for e in headings)}",
            "remove the page break after the heading, or keep the heading with the next paragraph",
        )
        for page, headings in sorted(lonely.alone.items())
    ]
    return findings + [
        Finding(
            "heading-at-foot",
            f"page {page}",
            f"the heading {_quote(text(element))} stands at the foot of the page;"
            f" its section begins on page {section}",
            "keep the heading with the next paragraph: Text Flow › Keep with next paragraph",
        )
        for element, page, section in lonely.at_foot
    ]


def _placed(document: PdfFile) -> list[tuple[Element, list[int]]]:
    """Paragraph-like elements that paint something – text, an image, a line – with their pages, in order."""
    pages: dict[int, set[int]] = {}
    for content in document.painted:
        element = document.owner.get(content)
        if element is not None:
            pages.setdefault(id(element.block()), set()).add(content[0])
    return [(element, sorted(pages[id(element)])) for element in document.elements if id(element) in pages]


def _is_heading(element: Element) -> bool:
    return element.mapped_type in HEADINGS or element.mapped_type == "H"


def _text(lines: list[Line]) -> str:
    return " ".join(line.text.strip() for line in lines)


# --- contents and lists ------------------------------------------------------------------------------


def _contents_without_numbers(blocks: list[tuple[Element, list[Line]]]) -> Iterator[Finding]:
    missing = [lines for lines in _contents_entries(blocks) if not PAGE_NUMBER.search(_text(lines))]
    if missing:
        examples = ", ".join(_quote(_text(lines), 40) for lines in missing[:3]) + (
            ", …" if len(missing) > 3 else ""
        )
        verb = "has" if len(missing) == 1 else "have"
        yield Finding(
            "toc-page-numbers",
            f"page {missing[0][0].page}",
            f"{counted(len(missing), 'entry', 'entries')} of the table of contents {verb} no page number"
            f" ({examples})",
            "update the table of contents before exporting: concept-builder build --page-numbers, in Word F9",
        )


def _contents_entries(blocks: list[tuple[Element, list[Line]]]) -> list[list[Line]]:
    """The entries of a tagged table of contents (TOC), or else the paragraphs under “Inhalt”/“Contents”.

    Under a contents heading, entries run until the next heading or a
    paragraph of more than two lines, at most onto the next page.
    """
    tagged = [lines for element, lines in blocks if element.within("TOC") is not None]
    if tagged:
        return tagged
    entries: list[list[Line]] = []
    heading_page: int | None = None
    for element, lines in blocks:
        if heading_page is None:
            if _text(lines).strip().rstrip(":").lower() in CONTENTS_HEADINGS:
                heading_page = lines[0].page
            continue
        if _is_heading(element) or len(lines) > 2 or lines[0].page > heading_page + 1:
            break
        entries.append(lines)
    return entries


def _lists(blocks: list[tuple[Element, list[Line]]]) -> Iterator[Finding]:
    """Numbered lists that do not start at 1.

    A list that goes on after a list nested in it ("1., 2., a nested 1. and 2.,
    then 3.") is tagged as a list of its own by LibreOffice; it continues the
    list before it, whose last number it follows with only list items between.
    """
    first_lines = {id(element): lines[0] for element, lines in blocks}
    seen: set[int] = set()
    open_lists: dict[int, int] = {}  # list → its last number, while only list items have followed
    for element, lines in blocks:
        numbered_list = element.within("L")
        if numbered_list is None:
            open_lists.clear()
            continue
        number = LIST_NUMBER.match(lines[0].text) if lines else None
        if id(numbered_list) not in seen:
            seen.add(id(numbered_list))
            first = next(
                (first_lines[id(e)] for e in numbered_list.descendants() if id(e) in first_lines), None
            )
            match = LIST_NUMBER.match(first.text) if first else None
            goes_on = match is not None and int(match.group(1)) - 1 in open_lists.values()
            if first is not None and match and int(match.group(1)) != 1 and not goes_on:
                yield Finding(
                    "list-start",
                    f"page {first.page}",
                    f"the numbered list begins at {match.group(1)} ({_quote(first.text, 40)})",
                    "restart the numbering at 1, or keep the list in one piece",
                )
        if number is not None:
            open_lists[id(numbered_list)] = int(number.group(1))

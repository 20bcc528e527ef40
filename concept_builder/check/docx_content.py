"""The .docx rules on content: images, tables and their cells, empty paragraphs, link texts.

Images, empty paragraphs and links are read in headers and footers too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import counted
from ..word import SEPARATOR_MAX_HEIGHT, WP, W, is_file_name, number, pictures, text_of
from .docx_file import WordFile, blocks
from .findings import Finding

VAGUE_LINK_TEXTS = {
    "hier",
    "here",
    "klicken sie hier",
    "click here",
    "mehr",
    "more",
    "link",
    "weiter",
    "weiterlesen",
}
TABLE_HEADINGS = {"table heading", "tabellenüberschrift"}  # the style names LibreOffice tags as TH


def images(word: WordFile) -> Iterator[Finding]:
    for part in word.parts:
        for picture in pictures(part.root):
            where = part.where(picture.paragraph)
            missing, fix = picture.unread
            if missing:
                yield Finding("alt-text", where, f"{picture.kind} has {missing}", fix)
            elif is_file_name(picture.description):
                yield Finding(
                    "alt-text",
                    where,
                    f"an image's alternative text is a file name, “{picture.description.strip()}”",
                    "describe the image in its alt text, or mark it as decorative",
                )
            if picture.element.find(f"{WP}anchor") is not None and part is word.body:
                yield Finding(
                    "inline-image",
                    where,
                    f"{picture.kind} floats beside the text",
                    "put its text into an ordinary paragraph"
                    if picture.text_box
                    else "place the image in line with the text",
                )


# --- tables ------------------------------------------------------------------------------------------


def _headed_rows(word: WordFile, rows: list[Any]) -> bool:
    """Whether every row starts with a header cell: a label column in a table heading style.

    LibreOffice tags such cells as table headers (TH) in a PDF; a profile of
    label–value rows needs no header row.
    """
    for row in rows:
        first = row.find(f"{W}tc/{W}p/{W}pPr/{W}pStyle")
        if first is None or word.styles.name(str(first.get(f"{W}val"))).casefold() not in TABLE_HEADINGS:
            return False
    return True


def tables(word: WordFile) -> Iterator[Finding]:
    for index, table in enumerate(word.body.root.iter(f"{W}tbl"), 1):
        where = f"table {index}"
        rows = table.findall(f"{W}tr")
        if rows and rows[0].find(f"{W}trPr/{W}tblHeader") is None and not _headed_rows(word, rows):
            yield Finding(
                "table-header",
                where,
                "the first row is not marked as header row, nor the first column as row headers",
                "mark it: Table Properties › Row › Repeat as header row",
            )
        if table.find(f".//{W}tbl") is not None:
            yield Finding("nested-table", where, "a table contains another table", "use one flat table")
        if table.find(f".//{W}vMerge") is not None or any(
            number(span.get(f"{W}val"), 1) > 1 for span in table.iter(f"{W}gridSpan")
        ):
            yield Finding(
                "merged-cells",
                where,
                "the table has merged cells",
                "split merged cells; screen readers lose the column headers",
            )


def _cells(table: etree._Element) -> Iterator[tuple[int, int, Any]]:
    """(row, column, cell) of a table's own cells, counted from 1."""
    for row_number, row in enumerate(table.iterchildren(f"{W}tr"), 1):
        for column, cell in enumerate(row.iterchildren(f"{W}tc"), 1):
            yield row_number, column, cell


def empty_cells(word: WordFile) -> Iterator[Finding]:
    """Empty cells – a PDF tags each as an empty element, a screen reader says “blank” – and empty
    paragraphs spacing a cell's text; in the tables of headers and footers too."""
    for part in word.parts:
        place = f"{part.name}, " if part.name else ""
        for index, table in enumerate(part.root.iter(f"{W}tbl"), 1):
            empty = []
            for row, column, cell in _cells(table):
                paragraphs = [block for block in blocks(cell) if block.tag == f"{W}p"]
                filled = [p for p in paragraphs if has_content(p)]
                continued = cell.find(f"{W}tcPr/{W}vMerge") is not None
                if not filled and cell.find(f"{W}tbl") is None and not continued:
                    empty.append(f"row {row}, cell {column}")
                elif filled and len(filled) < len(paragraphs):
                    yield Finding(
                        "empty-paragraph",
                        f"{place}table {index}, row {row}, cell {column}",
                        "an empty paragraph makes space in a table cell",
                        "use paragraph spacing instead",
                    )
            if empty:
                shown = "; ".join(empty[:3]) + ("; …" if len(empty) > 3 else "")
                reads = (
                    "a PDF tags each as an empty element" if part is word.body else "a reader says “blank”"
                )
                cells = f"{counted(len(empty), 'cell')} {'is' if len(empty) == 1 else 'are'} empty"
                yield Finding(
                    "empty-cell",
                    f"{place}table {index}",
                    f"{cells} ({shown}); {reads}",
                    "write a dash (–) or “keine Angabe” into the cell",
                )


# --- paragraphs and links -----------------------------------------------------------------------------


def has_content(paragraph: etree._Element) -> bool:
    return bool(text_of(paragraph).strip()) or any(
        paragraph.find(f".//{W}{tag}") is not None
        for tag in ("drawing", "pict", "fldChar", "instrText", "object")
    )


def empty_paragraphs(word: WordFile) -> Iterator[Finding]:
    """Empty paragraphs between the body's paragraphs, and beside the text of a header or footer.

    A header or footer that is a single empty paragraph is Word's way of having none; one whose text
    is in a table is a header still.
    """
    for part in word.parts:
        own = list(blocks(part.root))
        paragraphs = [block for block in own if block.tag == f"{W}p"]
        if (
            part is not word.body
            and not any(has_content(p) for p in paragraphs)
            and len(own) == len(paragraphs)
        ):
            continue
        # Word ends a header or footer with a paragraph, also one whose text is a table: that one is needed
        last = next((block for block in reversed(own) if block.tag == f"{W}tbl" or has_content(block)), None)
        needed = own[-1] if part is not word.body and last is not None and last.tag == f"{W}tbl" else None
        for paragraph in paragraphs:
            if (
                has_content(paragraph)
                or paragraph.find(f"{W}pPr/{W}sectPr") is not None
                or paragraph is needed
            ):
                continue
            if not _separator(paragraph):
                yield Finding(
                    "empty-paragraph",
                    part.where(paragraph),
                    "an empty paragraph makes space",
                    "use paragraph spacing or a page break before instead",
                )


def _separator(paragraph: etree._Element) -> bool:
    """An empty paragraph of a hairline's height: it separates (two tables), it makes no space."""
    spacing = paragraph.find(f"{W}pPr/{W}spacing")
    return (
        spacing is not None
        and spacing.get(f"{W}lineRule") == "exact"
        and number(spacing.get(f"{W}line"), SEPARATOR_MAX_HEIGHT + 1) <= SEPARATOR_MAX_HEIGHT
        and number(spacing.get(f"{W}before"), 0) == 0
        and number(spacing.get(f"{W}after"), 0) == 0
    )


def links(word: WordFile) -> Iterator[Finding]:
    for part in word.parts:
        for link in part.root.iter(f"{W}hyperlink"):
            text = text_of(link).strip().lower()
            if text in VAGUE_LINK_TEXTS:
                paragraph = next(link.iterancestors(f"{W}p"), link)
                yield Finding(
                    "link-text",
                    part.where(paragraph),
                    f"the link text “{text}” says nothing on its own",
                    "name the target, e.g. “Programm Land.Zuhause.Zukunft”",
                )

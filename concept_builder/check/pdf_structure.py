"""The PDF/UA rules on the structure tree: types, nesting, headings, figures, notes and tables.

A screen reader follows the structure tree, not the page: list items belong
in lists, rows in tables, contents entries in contents; headings go down one
level at a time; a figure or formula says what it shows; a table's header
cells say what they head, and its rows have as many cells as its columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pikepdf

from ..errors import counted
from ..word import is_file_name
from .findings import Finding, in_quotes, repeats_itself
from .pdf_file import Element, PdfFile
from .structure_types import HEADINGS, STANDARD_TYPES

# Where PDF 1.7 (14.8.4) lets structure elements stand, as PDF/UA checkers read it
PARENTS = {
    "LI": {"L"},
    "LBody": {"LI"},
    "TOCI": {"TOC"},
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
}
CHILDREN = {
    "L": {"L", "LI", "Caption"},
    "LI": {"Lbl", "LBody"},
    "TOC": {"TOC", "TOCI", "Caption"},
    "TR": {"TH", "TD"},
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
}
NESTING_FIX = "export the document again with tags; in the source, use real lists, tables and contents"
SCOPES = {"/Row", "/Column", "/Both"}


def check_structure(document: PdfFile) -> Iterator[Finding]:
    yield from _role_map(document)
    yield from _parents(document)
    yield from _nesting(document)
    yield from _headings(document)
    yield from _figures(document)
    yield from _notes(document)
    yield from _tables(document)
    yield from _empty_elements(document)


def quoted(document: PdfFile, element: Element) -> str:
    """`` (“its text”)`` for a message, from the lines of text it holds."""
    text = " ".join(line.text.strip() for line in document.lines if line.element is element).strip()
    return f" ({in_quotes(text, 60)})" if text else ""


def attribute(element: Element, owner: str, key: str) -> Any:
    """An attribute of ``element`` from its /A (a dictionary or an array of them) with owner ``owner``."""
    attributes = element.obj.get("/A")
    for entry in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if (
            isinstance(entry, pikepdf.Dictionary)
            and entry.get("/O") == pikepdf.Name("/" + owner)
            and key in entry
        ):
            return entry.get(key)
    return None


# --- types --------------------------------------------------------------------------------------


def _role_map(document: PdfFile) -> Iterator[Finding]:
    for name, target in sorted(document.role_map.items()):
        if name in STANDARD_TYPES:
            yield Finding(
                "pdf-role-map",
                "document",
                f"the standard structure type {name} is remapped to {target}:"
                f" a style is named “{name}”, like the PDF structure type",
                f"rename the style “{name}”, e.g. “{name} Text”; PDF/UA forbids remapping standard types",
            )
        elif _cycle(name, document.role_map):
            yield Finding(
                "pdf-role-map",
                "document",
                f"the role map leads from “{name}” round in a circle, never to a standard type",
                "map every type in the /RoleMap of the structure tree to a standard type such as P or Span",
            )
    unknown = sorted({e.name for e in document.elements if e.standard_type not in STANDARD_TYPES})
    for name in unknown:
        yield Finding(
            "pdf-role-map",
            "document",
            f"the structure type “{name}” is not mapped to a standard type",
            "map it in the /RoleMap of the structure tree to a standard type such as P or Span",
        )


def _cycle(name: str, role_map: dict[str, str]) -> bool:
    seen = {name}
    while name in role_map and name not in STANDARD_TYPES:
        name = role_map[name]
        if name in seen:
            return True
        seen.add(name)
    return False


# --- nesting ------------------------------------------------------------------------------------


def _parents(document: PdfFile) -> Iterator[Finding]:
    """Each element's /P names the element that holds it (the root for the top ones)."""
    root = document.pdf.Root.get("/StructTreeRoot")
    wrong = [
        element
        for element in document.elements
        if (parent := element.obj.get("/P")) is not None
        and not _same(parent, element.parent.obj if element.parent is not None else root)
    ]
    if wrong:
        yield Finding(
            "pdf-nesting",
            document.where(wrong[0]),
            f"{counted(len(wrong), 'structure element')} {'names' if len(wrong) == 1 else 'name'} another"
            " parent (/P) than the element holding it",
            NESTING_FIX,
        )


def _same(first: Any, second: Any) -> bool:
    """Whether two references lead to the same object (a direct object cannot be told apart: it is)."""
    if isinstance(first, pikepdf.Object) and isinstance(second, pikepdf.Object):
        return not (first.is_indirect and second.is_indirect) or bool(first.objgen == second.objgen)
    return False


def _nesting(document: PdfFile) -> Iterator[Finding]:
    for element in document.elements:
        kind = element.standard_type
        parent = element.parent.standard_type if element.parent is not None else "the document"
        if kind in PARENTS and parent not in PARENTS[kind]:
            yield _misplaced(
                document, element, f"{kind} stands in {parent}, not in {' or '.join(sorted(PARENTS[kind]))}"
            )
        if kind in CHILDREN:
            stray = sorted({child.standard_type for child in element.children} - CHILDREN[kind])
            if stray:
                yield _misplaced(document, element, f"{kind} holds {', '.join(stray)}, which it may not")
            captions = [i for i, child in enumerate(element.children) if child.standard_type == "Caption"]
            if captions and (len(captions) > 1 or captions[0] not in (0, len(element.children) - 1)):
                yield _misplaced(document, element, f"{kind} has its caption elsewhere than first or last")
        if kind == "Table":
            parts = Counter(child.standard_type for child in element.children)
            if parts["THead"] > 1 or parts["TFoot"] > 1:
                yield _misplaced(document, element, "Table has more than one THead or TFoot")
            if (parts["THead"] or parts["TFoot"]) and not parts["TBody"]:
                yield _misplaced(document, element, "Table has a THead or TFoot but no TBody")


def _misplaced(document: PdfFile, element: Element, message: str) -> Finding:
    return Finding(
        "pdf-nesting", document.where(element), f"{message}{quoted(document, element)}", NESTING_FIX
    )


# --- headings -----------------------------------------------------------------------------------


def _headings(document: PdfFile) -> Iterator[Finding]:
    """Numbered headings in order: the first is H1 (as PDF/UA-1, 7.4.2, asks), none skips a level;
    and either numbered headings or H, one to a section (7.4.4), never both."""
    previous = 0
    for element in document.elements:
        if element.standard_type not in HEADINGS:
            continue
        level = int(element.standard_type[1])
        if level > previous + 1:
            after = f"H{previous}" if previous else "no heading"
            yield Finding(
                "pdf-heading-order",
                document.where(element),
                f"{element.standard_type} follows {after}{quoted(document, element)}",
                f"use Heading {previous + 1} here, or add the missing level above",
            )
        previous = level
    plain = [element for element in document.elements if element.standard_type == "H"]
    if plain and previous:
        yield Finding(
            "pdf-heading-order",
            document.where(plain[0]),
            f"the document mixes H with numbered headings (H1–H6){quoted(document, plain[0])}",
            "use the numbered headings H1–H6 only",
        )
    crowded = [e for e in document.elements if sum(child.standard_type == "H" for child in e.children) > 1]
    if crowded:
        yield Finding(
            "pdf-heading-order",
            document.where(crowded[0]),
            f"a {crowded[0].standard_type} holds more than one H: each section has one heading",
            "use the numbered headings H1–H6, or one section (Sect) per H",
        )


# --- figures, formulas, notes -------------------------------------------------------------------


def _figures(document: PdfFile) -> Iterator[Finding]:
    for element in document.elements:
        if element.standard_type == "Formula" and not element.alternative:
            yield Finding(
                "pdf-figure-alt",
                document.where(element),
                f"a Formula has no alternative text (/Alt){quoted(document, element)}",
                "say the formula in words in its alt text",
            )
        if element.standard_type != "Figure":
            continue
        where = document.where(element)
        if not element.alternative:
            yield Finding(
                "pdf-figure-alt",
                where,
                "a Figure has no alternative text (/Alt)",
                "describe the image in its alt text, or mark it as decorative",
            )
        elif is_file_name(element.alternative):
            yield Finding(
                "pdf-figure-alt",
                where,
                f"a Figure's alternative text (/Alt) is a file name, “{element.alternative.strip()}”",
                "describe the image in its alt text, or mark it as decorative",
            )
        elif repeats_itself(element.alternative):
            yield Finding(
                "pdf-figure-alt",
                where,
                f"a Figure's alternative text (/Alt) says the same twice:{_quoted_alt(element.alternative)}",
                "give the image a title its description does not begin with, or none: LibreOffice writes"
                " “title - description” into the PDF",
            )
        painted = {
            kind
            for e in element.descendants()
            for content in e.content
            for kind in document.painted.get(content, ())
        }
        if not painted:
            yield Finding(
                "pdf-figure-content",
                where,
                "a Figure holds nothing: its image is painted elsewhere, as an artifact or untagged",
                "tag the image itself as the Figure, not as an artifact",
            )


def _quoted_alt(alt: str) -> str:
    return " " + in_quotes(" ".join(alt.split()), 80)


def _notes(document: PdfFile) -> Iterator[Finding]:
    """A footnote or endnote (Note) has an /ID, its own, that references to it can name."""
    ids: Counter[bytes] = Counter()
    for element in document.elements:
        if element.standard_type != "Note":
            continue
        identifier = element.obj.get("/ID")
        if not isinstance(identifier, pikepdf.String) or not bytes(identifier):
            yield Finding(
                "pdf-note-id",
                document.where(element),
                f"a Note has no /ID{quoted(document, element)}",
                "export footnotes as a tagged PDF/UA; each Note needs an ID of its own",
            )
        else:
            ids[bytes(identifier)] += 1
    for shared, count in ids.items():
        if count > 1:
            yield Finding(
                "pdf-note-id",
                "document",
                f"{count} Notes share the /ID “{shared.decode('latin-1')}”",
                "give each Note an ID of its own",
            )


# --- tables -------------------------------------------------------------------------------------


def _tables(document: PdfFile) -> Iterator[Finding]:
    for element in document.elements:
        if element.standard_type != "Table":
            continue
        cells = [e for e in _own_part(element) if e.standard_type in ("TH", "TD")]
        rows = _rows(element)
        where = document.where(element)
        if len(rows) > 1 and not any(cell.standard_type == "TH" for cell in cells):
            yield Finding(
                "pdf-table-header",
                where,
                f"a table of {counted(len(rows), 'row')} has no header cells (TH)",
                "mark its first row as header row: Table Properties › Row › Repeat as header row",
            )
        yield from _header_links(document, element, cells)
        yield from _grid(document, element, rows)


def _own_part(table: Element) -> Iterator[Element]:
    """The elements of a table without the tables nested in it."""
    pending = list(table.children)
    while pending:
        element = pending.pop()
        yield element
        if element.standard_type != "Table":
            pending.extend(element.children)


def _rows(table: Element) -> list[Element]:
    """The table's rows in order: its own, and those of its THead, TBody and TFoot."""
    rows = []
    for child in table.children:
        if child.standard_type == "TR":
            rows.append(child)
        elif child.standard_type in ("THead", "TBody", "TFoot"):
            rows += [row for row in child.children if row.standard_type == "TR"]
    return rows


def _header_links(document: PdfFile, table: Element, cells: list[Element]) -> Iterator[Finding]:
    """Which header a cell belongs to: by the header's /Scope, or by the cell's /Headers."""
    headers = [attribute(cell, "Table", "/Headers") for cell in cells]
    named = [h for h in headers if isinstance(h, pikepdf.Array)]
    if not named:
        unscoped = [
            cell
            for cell in cells
            if cell.standard_type == "TH" and str(attribute(cell, "Table", "/Scope")) not in SCOPES
        ]
        if unscoped:
            yield Finding(
                "pdf-table-header",
                document.where(table),
                f"{counted(len(unscoped), 'header cell')} (TH) say neither whether they head a row or"
                f" a column (/Scope) nor are named by the cells (/Headers){quoted(document, unscoped[0])}",
                "export the table as a tagged PDF/UA, which gives every header cell its scope",
            )
        return
    known = {
        bytes(identifier)
        for cell in cells
        if cell.standard_type == "TH" and isinstance(identifier := cell.obj.get("/ID"), pikepdf.String)
    }
    unknown = {bytes(i) for h in named for i in h if isinstance(i, pikepdf.String)} - known
    if unknown:
        yield Finding(
            "pdf-table-header",
            document.where(table),
            f"cells name header cells that the table does not have (/Headers: "
            f"{', '.join(sorted(i.decode('latin-1') for i in unknown)[:3])})",
            "give each header cell the /ID its data cells name",
        )


def _span(cell: Element, key: str) -> int:
    value = attribute(cell, "Table", key)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


def _grid(document: PdfFile, table: Element, rows: list[Element]) -> Iterator[Finding]:
    """Every row as wide as the others, counting spans; no cell reaching below the table or into another."""
    occupied: set[tuple[int, int]] = set()
    widths: list[int] = []
    overlap = beyond = False
    for number, row in enumerate(rows):
        column = 0
        for cell in (c for c in row.children if c.standard_type in ("TH", "TD")):
            while (number, column) in occupied:
                column += 1
            height, width = _span(cell, "/RowSpan"), _span(cell, "/ColSpan")
            beyond = beyond or number + height > len(rows)
            for r in range(number, number + height):
                for c in range(column, column + width):
                    overlap = overlap or (r, c) in occupied
                    occupied.add((r, c))
            column += width
        widths.append(max((c + 1 for r, c in occupied if r == number), default=0))
    if len(set(widths)) > 1:
        narrow = min(range(len(widths)), key=lambda i: widths[i])
        yield Finding(
            "pdf-table-grid",
            document.where(table),
            f"row {narrow + 1} of a table has {counted(widths[narrow], 'column')} where others have"
            f" {max(widths)}, spans counted{quoted(document, rows[narrow])}",
            "give every row a cell for each column; for merged cells, export the spans (ColSpan, RowSpan)",
        )
    if beyond or overlap:
        what = "reach below its last row" if beyond else "overlap"
        yield Finding(
            "pdf-table-grid",
            document.where(table),
            f"cells of a table {what} (RowSpan, ColSpan)",
            "give every row a cell for each column; for merged cells, export the spans (ColSpan, RowSpan)",
        )


# --- empty elements -------------------------------------------------------------------------------


def _empty_elements(document: PdfFile) -> Iterator[Finding]:
    """Elements holding nothing – no content, no children, no alt text – as empty paragraphs give."""
    for element in document.elements:
        if element.parent is None or element.children or element.content or element.annotations:
            continue
        if not element.alternative:
            yield Finding(
                "pdf-empty-element",
                document.where(element),
                f"an empty {element.name} element: no content, no children, no alternative text",
                "remove the empty paragraph; make space with paragraph spacing",
            )

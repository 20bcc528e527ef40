"""The machine-checkable checkpoints of PDF/UA-1 (ISO 14289-1, the Matterhorn Protocol).

What a checker can read from the file: tagged, language and title set,
declared as PDF/UA, headings in order, figures with alternative text and
content, tables with header cells, nothing painted outside tags and
artifacts, fonts embedded and mapped to Unicode, links tagged, the tab
order of annotations, no standard type remapped, no text that comes out
as private-use characters. Whether alt texts are meaningful and the reading
order of a complex page is right still needs a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pikepdf

from ..errors import counted
from .findings import Finding, merge_pages, places
from .pdf_file import Element, PdfFile
from .structure_types import HEADINGS, STANDARD_TYPES

EXPORT_FIX = "export with “Tagged PDF” and “PDF/UA” switched on, as concept-builder build --pdf does"
# Characters a font maps to the Private Use Areas: Symbol-font bullets come out as U+F0B7
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
UNICODE_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/PDFDocEncoding"}
SYMBOLIC_FLAG = 4


def check_pdf(document: PdfFile) -> list[Finding]:
    """Every PDF/UA finding in ``document``; empty when it passes."""
    findings = [*_tagged(document), *_language(document), *_title(document), *_identifier(document)]
    if document.tagged:  # without a structure tree, the finding above says everything
        findings += [
            *_role_map(document),
            *_headings(document),
            *_figures(document),
            *_tables(document),
            *_empty_elements(document),
            *_untagged_content(document),
            *_links(document),
            *_private_use(document),
        ]
    findings += [*_fonts(document), *_tabs(document)]
    return merge_pages(findings)


# --- the document ---------------------------------------------------------------------------------


def _tagged(document: PdfFile) -> Iterator[Finding]:
    mark_info = document.pdf.Root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and _is_true(mark_info.get("/Marked"))
    if not document.tagged:
        yield Finding("pdf-tagged", "document", "the PDF has no tags (no structure tree)", EXPORT_FIX)
    elif not marked:
        yield Finding(
            "pdf-tagged", "document", "the PDF is not marked as tagged (/MarkInfo /Marked)", EXPORT_FIX
        )


def _is_true(value: object) -> bool:
    return value is True  # pikepdf gives PDF booleans as bool; anything else is not true


def _language(document: PdfFile) -> Iterator[Finding]:
    language = document.pdf.Root.get("/Lang")
    if not isinstance(language, pikepdf.String) or not str(language).strip():
        yield Finding(
            "pdf-language",
            "document",
            "the document language (/Lang) is not set",
            "set the language of the document's default paragraph style, e.g. German (Germany)",
        )


def _metadata(document: PdfFile, key: str) -> str:
    try:
        with document.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            value = metadata.get(key)
    except Exception:  # a damaged XMP packet reads as none
        return ""
    return str(value or "").strip()


def _title(document: PdfFile) -> Iterator[Finding]:
    if not _metadata(document, "dc:title"):
        yield Finding(
            "pdf-title",
            "document",
            "the document has no title in its metadata (dc:title)",
            "set a title in the document properties before exporting",
        )
    preferences = document.pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, pikepdf.Dictionary) or not _is_true(preferences.get("/DisplayDocTitle")):
        yield Finding(
            "pdf-title",
            "document",
            "viewers show the file name instead of the title (/DisplayDocTitle is not true)",
            "export with “Use document title” switched on",
        )


def _identifier(document: PdfFile) -> Iterator[Finding]:
    if _metadata(document, "pdfuaid:part") != "1":
        yield Finding(
            "pdf-ua-identifier",
            "document",
            "the metadata do not declare PDF/UA-1 (pdfuaid:part 1)",
            EXPORT_FIX,
        )


# --- structure -------------------------------------------------------------------------------------


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
    unknown = sorted({e.name for e in document.elements if e.standard_type not in STANDARD_TYPES})
    for name in unknown:
        yield Finding(
            "pdf-role-map",
            "document",
            f"the structure type “{name}” is not mapped to a standard type",
            "map it in the /RoleMap of the structure tree to a standard type such as P or Span",
        )


def _headings(document: PdfFile) -> Iterator[Finding]:
    """Numbered headings in order: the first is H1 (as PDF/UA-1, 7.4.2, asks), none skips a level."""
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
                f"{element.standard_type} follows {after}{_quoted(document, element)}",
                f"use Heading {previous + 1} here, or add the missing level above",
            )
        previous = level


def _quoted(document: PdfFile, element: Element) -> str:
    text = " ".join(line.text.strip() for line in document.lines if line.element is element).strip()
    return f" (“{text[:60]}{'…' if len(text) > 60 else ''}”)" if text else ""


def _figures(document: PdfFile) -> Iterator[Finding]:
    for element in document.elements:
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


def _tables(document: PdfFile) -> Iterator[Finding]:
    for element in document.elements:
        if element.standard_type != "Table":
            continue
        cells = [e for e in _own_part(element) if e.standard_type in ("TH", "TD")]
        rows = [e for e in _own_part(element) if e.standard_type == "TR"]
        if len(rows) > 1 and not any(cell.standard_type == "TH" for cell in cells):
            yield Finding(
                "pdf-table-header",
                document.where(element),
                f"a table of {counted(len(rows), 'row')} has no header cells (TH)",
                "mark its first row as header row: Table Properties › Row › Repeat as header row",
            )


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


def _own_part(table: Element) -> Iterator[Element]:
    """The elements of a table without the tables nested in it."""
    pending = list(table.children)
    while pending:
        element = pending.pop()
        yield element
        if element.standard_type != "Table":
            pending.extend(element.children)


# --- content -----------------------------------------------------------------------------------


def _untagged_content(document: PdfFile) -> Iterator[Finding]:
    for page, kinds in document.untagged.items():
        if kinds:
            what = " and ".join(
                sorted({"text": "text", "image": "images", "path": "lines or shapes"}[k] for k in kinds)
            )
            yield Finding(
                "pdf-untagged-content",
                f"page {page}",
                f"{what} painted outside tagged content and artifacts",
                "tag the content, or mark decoration as an artifact",
            )


def _private_use(document: PdfFile) -> Iterator[Finding]:
    pages: set[int] = set()
    characters: list[str] = []
    for line in document.lines:
        found = PRIVATE_USE.findall(line.text)
        if found:
            pages.add(line.page)
            characters += found
    if characters:
        codes = ", ".join(sorted({f"U+{ord(character):04X}" for character in characters}))
        yield Finding(
            "pdf-private-use",
            places("page", pages),
            f"{counted(len(characters), 'character')} come out as private-use code points ({codes}),"
            " which screen readers cannot speak",
            "use a Unicode character in a font that maps it, e.g. the bullet • U+2022, not the Symbol font",
        )


def _fonts(document: PdfFile) -> Iterator[Finding]:
    reported: set[tuple[int, int] | str] = set()
    for number, page in enumerate(document.pdf.pages, 1):
        for font in _page_fonts(page.obj.get("/Resources")):
            key = font.objgen if font.is_indirect else str(font.get("/BaseFont", "?"))
            if key in reported:
                continue
            reported.add(key)
            name = str(font.get("/BaseFont", "a font"))[1:].split("+")[-1]
            if not _embedded(font):
                yield Finding(
                    "pdf-font-embedded",
                    f"page {number}",
                    f"the font {name} is not embedded",
                    "embed all fonts when exporting; LibreOffice and Word embed them for PDF/UA",
                )
            if not _maps_to_unicode(font):
                yield Finding(
                    "pdf-font-unicode",
                    f"page {number}",
                    f"the text in {name} cannot be mapped to Unicode (no /ToUnicode map)",
                    "use a font whose characters map to Unicode; symbol fonts often do not",
                )


def _page_fonts(resources: Any, depth: int = 0) -> Iterator[pikepdf.Dictionary]:
    """The fonts of a page, and of the forms it draws."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > 12:
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        yield from (font for _, font in fonts.items() if isinstance(font, pikepdf.Dictionary))
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, xobject in xobjects.items():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == pikepdf.Name.Form:
                yield from _page_fonts(xobject.get("/Resources"), depth + 1)


def _descriptor(font: pikepdf.Dictionary) -> Any:
    if font.get("/Subtype") == pikepdf.Name.Type0:
        descendants = font.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants):
            return descendants[0].get("/FontDescriptor")
        return None
    return font.get("/FontDescriptor")


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # its glyphs are drawn by the PDF itself
    descriptor = _descriptor(font)
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _maps_to_unicode(font: pikepdf.Dictionary) -> bool:
    if "/ToUnicode" in font:
        return True
    if font.get("/Subtype") == pikepdf.Name.Type0:
        return False
    descriptor = _descriptor(font)
    flags = descriptor.get("/Flags", 0) if isinstance(descriptor, pikepdf.Dictionary) else 0
    if isinstance(flags, int) and flags & SYMBOLIC_FLAG:
        return False
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary):
        encoding = encoding.get("/BaseEncoding", pikepdf.Name.StandardEncoding)
    return encoding is None or str(encoding) in UNICODE_ENCODINGS


# --- annotations ----------------------------------------------------------------------------------


def _links(document: PdfFile) -> Iterator[Finding]:
    in_links = {objgen for e in document.elements if e.standard_type == "Link" for objgen in e.annotations}
    for number, page in enumerate(document.pdf.pages, 1):
        untagged = [
            annotation
            for annotation in _annotations(page)
            if annotation.get("/Subtype") == pikepdf.Name.Link
            and not (_is_int(annotation.get("/StructParent")) and annotation.objgen in in_links)
        ]
        if untagged:
            yield Finding(
                "pdf-link-tagged",
                f"page {number}",
                f"{counted(len(untagged), 'link')} not tagged: no Link structure element refers to"
                f" {'it' if len(untagged) == 1 else 'them'}",
                "export as Tagged PDF; each link needs /StructParent and an OBJR in a Link element",
            )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _annotations(page: pikepdf.Page) -> list[pikepdf.Dictionary]:
    annotations = page.obj.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return []
    return [a for a in annotations if isinstance(a, pikepdf.Dictionary)]


def _tabs(document: PdfFile) -> Iterator[Finding]:
    for number, page in enumerate(document.pdf.pages, 1):
        if not _annotations(page):
            continue
        tabs = page.obj.get("/Tabs")
        if tabs == pikepdf.Name.S:
            continue
        if isinstance(tabs, pikepdf.String):
            message = (
                f"the tab order /Tabs is the string ({tabs}), not the name /S (LibreOffice 7.4 writes it so)"
            )
        else:
            message = "a page with annotations has no tab order by structure (/Tabs /S)"
        yield Finding(
            "pdf-tabs",
            f"page {number}",
            message,
            "set /Tabs /S on every page with links or other annotations",
        )

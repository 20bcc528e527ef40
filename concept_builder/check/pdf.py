"""The machine-checkable checkpoints of PDF/UA-1 (ISO 14289-1, the Matterhorn Protocol).

What a checker can read from the file: tagged, language and title set,
declared as PDF/UA, the file a PDF 1.x that assistive technology may read;
the structure tree (``pdf_structure.py``): no standard type remapped,
elements where they belong, headings in order, figures and formulas with
alternative text and content, notes with ids, tables with header cells and
a sound grid; nothing painted outside tags and artifacts, and neither inside
the other; fonts embedded, whole and mapped to Unicode (``pdf_fonts.py``);
annotations tagged and described, form fields named, the tab order of
annotations; no text that comes out as private-use characters. Whether alt
texts are meaningful and the reading order of a complex page is right still
needs a person.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pikepdf

from ..errors import counted
from .findings import Finding, merge_pages, places
from .pdf_file import ARTIFACT_IN_TAGGED, TAGGED_IN_ARTIFACT, PdfFile
from .pdf_fonts import PRIVATE_USE, check_fonts
from .pdf_structure import attribute, check_structure

EXPORT_FIX = "export with “Tagged PDF” and “PDF/UA” switched on, as concept-builder build --pdf does"
# A language tag (BCP 47, as PDF's /Lang takes it): a language, then subtags such as a region
LANGUAGE_TAG = re.compile(r"^(?:[A-Za-z]{2,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*$")
PDF_UA_NAMESPACE = b"http://www.aiim.org/pdfua/ns/id/"
HEADER = re.compile(rb"^%PDF-1\.[0-7]\b")
ACCESSIBILITY = 1 << 9  # bit 10 of /P: content may be extracted for accessibility
HIDDEN = 2  # annotation flag: not shown and not printed
MEDIA_CLIP_SAYS = {"/CT": "its content type (/CT)", "/Alt": "what it shows (/Alt)"}
UNTAGGED_ANNOTATIONS = {"/Link", "/Widget", "/Popup", "/PrinterMark"}  # tagged otherwise, or never


def check_pdf(document: PdfFile, *, text: bool = True) -> list[Finding]:
    """Every PDF/UA finding in ``document``; empty when it passes.

    ``text`` False leaves the text unread (most of the time a check takes):
    private-use characters are then judged by the fonts' Unicode maps.
    """
    findings = [
        *_header(document),
        *_protection(document),
        *_tagged(document),
        *_language(document),
        *_title(document),
        *_identifier(document),
    ]
    if document.tagged:  # without a structure tree, the finding above says everything about it
        findings += check_structure(document)
    findings += [*_untagged_content(document), *_misnested(document), *_forms_drawn(document)]
    findings += _annotations(document)
    if document.tagged and text:
        findings += _private_use(document)
    findings += [
        *check_fonts(document, text=text),
        *_tabs(document),
        *_forms(document),
        *_optional_content(document),
        *_embedded_files(document),
    ]
    return merge_pages(findings)


# --- the document ---------------------------------------------------------------------------------


def _header(document: PdfFile) -> Iterator[Finding]:
    with document.path.open("rb") as file:
        start = file.read(16)
    if not HEADER.match(start):
        version = start[5:8].decode("latin-1", "replace").strip()
        yield Finding(
            "pdf-version",
            "document",
            f"the file begins as PDF {version}, where PDF/UA-1 asks for PDF 1.0 to 1.7",
            "export as PDF 1.7 (or older); PDF 2.0 belongs to PDF/UA-2",
        )


def _protection(document: PdfFile) -> Iterator[Finding]:
    encryption = document.pdf.trailer.get("/Encrypt")
    permissions = encryption.get("/P") if isinstance(encryption, pikepdf.Dictionary) else None
    if isinstance(permissions, int) and not permissions & ACCESSIBILITY:
        yield Finding(
            "pdf-protection",
            "document",
            "the PDF is protected so that assistive technology may not read its text",
            "allow content access for accessibility in the PDF's security settings, or remove the protection",
        )


def _tagged(document: PdfFile) -> Iterator[Finding]:
    mark_info = document.pdf.Root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and _is_true(mark_info.get("/Marked"))
    if not document.tagged:
        yield Finding("pdf-tagged", "document", "the PDF has no tags (no structure tree)", EXPORT_FIX)
    elif not marked:
        yield Finding(
            "pdf-tagged", "document", "the PDF is not marked as tagged (/MarkInfo /Marked)", EXPORT_FIX
        )
    if isinstance(mark_info, pikepdf.Dictionary) and _is_true(mark_info.get("/Suspects")):
        yield Finding(
            "pdf-tagged",
            "document",
            "the PDF says its own tags may be wrong (/MarkInfo /Suspects true)",
            "export the document again as a tagged PDF; tags added by guessing need a person's review",
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
    given = [str(language)] if isinstance(language, pikepdf.String) and str(language).strip() else []
    given += [str(e.obj.Lang) for e in document.elements if isinstance(e.obj.get("/Lang"), pikepdf.String)]
    given += sorted(document.painting.languages)
    invalid = sorted({tag for tag in given if not LANGUAGE_TAG.match(tag)})
    if invalid:
        yield Finding(
            "pdf-language",
            "document",
            f"{counted(len(invalid), 'language')} given as no valid language tag:"
            f" {', '.join(repr(tag) for tag in invalid[:3])}",
            "give languages as tags such as de-DE or en-GB (BCP 47)",
        )


def _metadata(document: PdfFile, key: str) -> str:
    if not isinstance(document.pdf.Root.get("/Metadata"), pikepdf.Stream):
        return ""  # pikepdf would make an empty packet, and put it into the file
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
    stream = document.pdf.Root.get("/Metadata")
    if not (
        isinstance(stream, pikepdf.Stream)
        and stream.get("/Type") == pikepdf.Name.Metadata
        and stream.get("/Subtype") == pikepdf.Name.XML
    ):
        yield Finding(
            "pdf-ua-identifier",
            "document",
            "the document has no XMP metadata stream (/Metadata of /Type /Metadata, /Subtype /XML)",
            EXPORT_FIX,
        )
    if _metadata(document, "pdfuaid:part") != "1":
        yield Finding(
            "pdf-ua-identifier",
            "document",
            "the metadata do not declare PDF/UA-1 (pdfuaid:part 1)",
            EXPORT_FIX,
        )
    packet = _read(stream) if isinstance(stream, pikepdf.Stream) else b""
    prefixes = set(re.findall(rb'xmlns:([\w.-]+)\s*=\s*["\']' + re.escape(PDF_UA_NAMESPACE), packet))
    if prefixes - {b"pdfuaid"}:
        yield Finding(
            "pdf-ua-identifier",
            "document",
            f"the PDF/UA identification has the prefix “{sorted(prefixes - {b'pdfuaid'})[0].decode()}”,"
            " not “pdfuaid”",
            "write the identification as pdfuaid:part (and pdfuaid:amd, pdfuaid:corr)",
        )


def _read(stream: pikepdf.Stream) -> bytes:
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return b""


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


def _forms_drawn(document: PdfFile) -> Iterator[Finding]:
    shared = [drawn for drawn, tagged in document.painting.forms.values() if tagged and drawn > 1]
    if shared:
        yield Finding(
            "pdf-marked-content",
            "document",
            f"a form (XObject) holding tagged content is drawn {shared[0]} times: its content can belong"
            " to one place of the structure only",
            "draw tagged content once, or mark the repeated drawing as an artifact",
        )
    if document.painting.references:
        yield Finding(
            "pdf-external-content",
            places("page", document.painting.references),
            "a page shows a page of another file (a reference XObject), which readers may not load",
            "embed the content instead of referring to another file",
        )


def _misnested(document: PdfFile) -> Iterator[Finding]:
    for page, kinds in sorted(document.painting.misnested.items()):
        for kind in sorted(kinds):
            fix = {
                TAGGED_IN_ARTIFACT: "take the tagged content out of the artifact: a reader skips artifacts",
                ARTIFACT_IN_TAGGED: "end the tagged content before the artifact begins",
            }[kind]
            yield Finding("pdf-marked-content", f"page {page}", f"{kind} (marked content)", fix)


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


# --- annotations ----------------------------------------------------------------------------------


def _annotations(document: PdfFile) -> Iterator[Finding]:
    """Links in Link elements with a description; other annotations in Annot elements, described."""
    for number, page in enumerate(document.pdf.pages, 1):
        where = f"page {number}"
        untagged_links, undescribed_links, untagged, undescribed, printer_marks, trap_nets = (
            [] for _ in range(6)
        )
        for annotation in _page_annotations(page):
            kind = str(annotation.get("/Subtype", ""))
            holder = document.holder(annotation)
            described = _text(annotation.get("/Contents")) or (
                holder is not None and bool(holder.alternative)
            )
            if kind == "/Link":
                if holder is None or holder.standard_type != "Link":
                    untagged_links.append(annotation)
                if not _text(annotation.get("/Contents")):
                    undescribed_links.append(annotation)
                continue
            if kind == "/Widget" or _hidden(annotation):
                continue  # form fields: _forms
            if kind == "/PrinterMark" and holder is not None:
                printer_marks.append(annotation)
            if kind == "/TrapNet":
                trap_nets.append(annotation)
            if kind not in UNTAGGED_ANNOTATIONS and (holder is None or holder.standard_type != "Annot"):
                untagged.append(kind[1:])
            if not described and kind != "/PrinterMark":
                undescribed.append(kind[1:])
        if untagged_links:
            yield Finding(
                "pdf-link-tagged",
                where,
                f"{counted(len(untagged_links), 'link')} not tagged: no Link structure element refers to"
                f" {'it' if len(untagged_links) == 1 else 'them'}",
                "export as Tagged PDF; each link needs /StructParent and an OBJR in a Link element",
            )
        if undescribed_links:
            yield Finding(
                "pdf-link-description",
                where,
                f"{counted(len(undescribed_links), 'link')} without a description (/Contents) of where"
                f" {'it leads' if len(undescribed_links) == 1 else 'they lead'}",
                "export as PDF/UA, which describes every link by its target",
            )
        if untagged:
            yield Finding(
                "pdf-annotation",
                where,
                f"{counted(len(untagged), 'annotation')} ({', '.join(sorted(set(untagged)))}) not tagged:"
                " no Annot structure element holds it",
                "remove comments and notes before exporting, or tag each annotation in an Annot element",
            )
        if undescribed:
            yield Finding(
                "pdf-annotation",
                where,
                f"{counted(len(undescribed), 'annotation')} ({', '.join(sorted(set(undescribed)))}) without a"
                " description: neither /Contents nor an /Alt of its structure element",
                "remove comments and notes before exporting, or give each a text",
            )
        if printer_marks:
            yield Finding(
                "pdf-annotation",
                where,
                "a printer's mark is tagged as content",
                "leave printer's marks out of the structure tree",
            )
        if trap_nets:
            yield Finding(
                "pdf-annotation", where, "a trap network annotation is visible", "hide or remove it"
            )


def _page_annotations(page: pikepdf.Page) -> list[pikepdf.Dictionary]:
    annotations = page.obj.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return []
    return [a for a in annotations if isinstance(a, pikepdf.Dictionary)]


def _hidden(annotation: pikepdf.Dictionary) -> bool:
    flags = annotation.get("/F", 0)
    return isinstance(flags, int) and bool(flags & HIDDEN)


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, pikepdf.String) else ""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tabs(document: PdfFile) -> Iterator[Finding]:
    for number, page in enumerate(document.pdf.pages, 1):
        if not _page_annotations(page):
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


# --- forms, optional content, embedded files, media ----------------------------------------------


def _forms(document: PdfFile) -> Iterator[Finding]:
    """Form fields tagged in Form elements and named for a reader (/TU); no dynamic XFA form."""
    form = document.pdf.Root.get("/AcroForm")
    if _is_true(document.pdf.Root.get("/NeedsRendering")) or (
        isinstance(form, pikepdf.Dictionary) and "/XFA" in form and b"dynamicRender" in _xfa(form.XFA)
    ):
        yield Finding(
            "pdf-form",
            "document",
            "the form is a dynamic XFA form, which readers build only while showing it",
            "make the form a static PDF form (AcroForm)",
        )
    for number, page in enumerate(document.pdf.pages, 1):
        widgets = [
            a for a in _page_annotations(page) if a.get("/Subtype") == pikepdf.Name.Widget and not _hidden(a)
        ]
        untagged = [w for w in widgets if (h := document.holder(w)) is None or h.standard_type != "Form"]
        unnamed = [
            w
            for w in widgets
            if not _field_name(w) and not ((h := document.holder(w)) is not None and h.alternative)
        ]
        if untagged:
            yield Finding(
                "pdf-form",
                f"page {number}",
                f"{counted(len(untagged), 'form field')} not tagged in a Form structure element",
                "export the form as a tagged PDF/UA",
            )
        if unnamed:
            yield Finding(
                "pdf-form",
                f"page {number}",
                f"{counted(len(unnamed), 'form field')} without a name for readers (/TU)",
                "give each field a tooltip (its accessible name)",
            )
    # a Form element is one field, unless it is a printed field with a /Role of its own
    crowded = [
        e
        for e in document.elements
        if e.standard_type == "Form"
        and attribute(e, "PrintField", "/Role") is None
        and len(e.annotations) != 1
    ]
    if crowded:
        yield Finding(
            "pdf-form",
            document.where(crowded[0]),
            f"a Form structure element holds {counted(len(crowded[0].annotations), 'form field')}, not one",
            "tag each form field in a Form element of its own",
        )


def _xfa(xfa: Any) -> bytes:
    parts = list(xfa) if isinstance(xfa, pikepdf.Array) else [xfa]
    return b"".join(_read(part) for part in parts if isinstance(part, pikepdf.Stream))


def _field_name(widget: pikepdf.Dictionary) -> str:
    field: Any = widget
    for _ in range(32):  # a field's name may sit on a parent field
        if not isinstance(field, pikepdf.Dictionary):
            return ""
        if _text(field.get("/TU")):
            return _text(field.get("/TU"))
        field = field.get("/Parent")
    return ""


def _optional_content(document: PdfFile) -> Iterator[Finding]:
    properties = document.pdf.Root.get("/OCProperties")
    if not isinstance(properties, pikepdf.Dictionary):
        return
    configurations = [properties.get("/D")]
    extra = properties.get("/Configs")
    configurations += list(extra) if isinstance(extra, pikepdf.Array) else []
    for configuration in configurations:
        if not isinstance(configuration, pikepdf.Dictionary):
            continue
        if not _text(configuration.get("/Name")):
            yield Finding(
                "pdf-optional-content",
                "document",
                "a configuration of layers (optional content) has no name",
                "name every layer configuration",
            )
        if "/AS" in configuration:
            yield Finding(
                "pdf-optional-content",
                "document",
                "a configuration of layers switches layers by itself (/AS)",
                "remove the automatic switching of layers",
            )


def _embedded_files(document: PdfFile) -> Iterator[Finding]:
    """An embedded file is named for every system (/F) and in Unicode (/UF)."""
    names = document.pdf.Root.get("/Names")
    files = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    specifications: list[Any] = []
    if isinstance(files, pikepdf.Dictionary):
        with contextlib.suppress(pikepdf.PdfError, ValueError):
            specifications += [spec for _, spec in pikepdf.NameTree(files).items()]
    for page in document.pdf.pages:
        specifications += [a.get("/FS") for a in _page_annotations(page) if "/FS" in a]
    unnamed = [
        spec
        for spec in specifications
        if isinstance(spec, pikepdf.Dictionary) and not ("/F" in spec and "/UF" in spec)
    ]
    if unnamed:
        yield Finding(
            "pdf-embedded-file",
            "document",
            f"{counted(len(unnamed), 'embedded file')} without both file names (/F and /UF)",
            "attach files with a program that writes both names",
        )
    yield from _media(document)


def _media(document: PdfFile) -> Iterator[Finding]:
    """Media clips of screen annotations say their type (/CT) and what they show (/Alt)."""
    for number, page in enumerate(document.pdf.pages, 1):
        for annotation in _page_annotations(page):
            action = annotation.get("/A")
            rendition = action.get("/R") if isinstance(action, pikepdf.Dictionary) else None
            clip = rendition.get("/C") if isinstance(rendition, pikepdf.Dictionary) else None
            if not isinstance(clip, pikepdf.Dictionary) or clip.get("/S") != pikepdf.Name.MCD:
                continue
            missing = [what for key, what in MEDIA_CLIP_SAYS.items() if key not in clip]
            if missing:
                yield Finding(
                    "pdf-media",
                    f"page {number}",
                    f"a media clip does not say {' nor '.join(missing)}",
                    "give the media clip a content type and an alternative description",
                )

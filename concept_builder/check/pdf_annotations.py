"""A PDF's annotations and forms, as PDF/UA-1 asks for them (7.18): each tagged, described, in the
tab order of the structure; form fields named and drawn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from ..errors import counted
from .findings import Finding, places
from .pdf_file import PdfFile
from .pdf_structure import attribute
from .pdf_values import is_true, stream_bytes, string

UNTAGGED_ANNOTATIONS = {"/Link", "/Widget", "/Popup", "/PrinterMark"}  # tagged otherwise, or never


HIDDEN = 2  # annotation flag: not shown and not printed


def annotation_findings(document: PdfFile) -> Iterator[Finding]:
    """Links in Link elements with a description; other annotations in Annot elements, described."""
    for number, page in enumerate(document.pdf.pages, 1):
        where = f"page {number}"
        untagged_links, undescribed_links, untagged, undescribed, printer_marks, trap_nets = (
            [] for _ in range(6)
        )
        for annotation in page_annotations(page):
            kind = str(annotation.get("/Subtype", ""))
            holder = document.holder(annotation)
            described = string(annotation.get("/Contents")) or (
                holder is not None and bool(holder.alternative)
            )
            if kind == "/Link":
                if holder is None or holder.standard_type != "Link":
                    untagged_links.append(annotation)
                if not string(annotation.get("/Contents")):
                    undescribed_links.append(annotation)
                continue
            if kind == "/Widget" or _hidden(annotation):
                continue  # form fields: forms
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


def page_annotations(page: pikepdf.Page) -> list[pikepdf.Dictionary]:
    annotations = page.obj.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return []
    return [a for a in annotations if isinstance(a, pikepdf.Dictionary)]


def _hidden(annotation: pikepdf.Dictionary) -> bool:
    flags = annotation.get("/F", 0)
    return isinstance(flags, int) and bool(flags & HIDDEN)


def tabs(document: PdfFile) -> Iterator[Finding]:
    for number, page in enumerate(document.pdf.pages, 1):
        if not page_annotations(page):
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


def forms(document: PdfFile) -> Iterator[Finding]:
    """Form fields tagged in Form elements and named for a reader (/TU); no dynamic XFA form."""
    form = document.pdf.Root.get("/AcroForm")
    if is_true(document.pdf.Root.get("/NeedsRendering")) or (
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
            a for a in page_annotations(page) if a.get("/Subtype") == pikepdf.Name.Widget and not _hidden(a)
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
    return b"".join(stream_bytes(part) for part in parts if isinstance(part, pikepdf.Stream))


def _field_name(widget: pikepdf.Dictionary) -> str:
    field: Any = widget
    for _ in range(32):  # a field's name may sit on a parent field
        if not isinstance(field, pikepdf.Dictionary):
            return ""
        if string(field.get("/TU")):
            return string(field.get("/TU"))
        field = field.get("/Parent")
    return ""


def forms_drawn(document: PdfFile) -> Iterator[Finding]:
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

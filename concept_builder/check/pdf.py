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
from .pdf_annotations import annotation_findings, forms, forms_drawn, page_annotations, tabs
from .pdf_file import PdfFile
from .pdf_fonts import PRIVATE_USE, check_fonts
from .pdf_painting import ARTIFACT_IN_TAGGED, TAGGED_IN_ARTIFACT
from .pdf_structure import check_structure
from .pdf_values import is_true, stream_bytes, string

EXPORT_FIX = "export with “Tagged PDF” and “PDF/UA” switched on, as concept-builder build --pdf does"
# A well-formed language tag (BCP 47, as PDF's /Lang takes it): a language of two or three letters
# (ISO 639; “deutsch” is none), then an optional script, region, variants, extensions, private use
LANGUAGE_TAG = re.compile(
    r"""(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}       # language, extended language subtags
    (?:-[a-z]{4})?                            # script: Latn
    (?:-(?:[a-z]{2}|\d{3}))?                  # region: DE, 419
    (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*         # variants: 1996
    (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*         # extensions: u-co-phonebk
    (?:-x(?:-[a-z\d]{1,8})+)?                 # private use
    |x(?:-[a-z\d]{1,8})+                      # private use alone
    |i-[a-z]{3,8})                            # the grandfathered i- tags
    """,
    re.IGNORECASE | re.VERBOSE,
)
PDF_UA_NAMESPACE = b"http://www.aiim.org/pdfua/ns/id/"
HEADER = re.compile(rb"^%PDF-1\.[0-7]\b")
ACCESSIBILITY = 1 << 9  # bit 10 of /P: content may be extracted for accessibility
MEDIA_CLIP_SAYS = {"/CT": "its content type (/CT)", "/Alt": "what it shows (/Alt)"}


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
    findings += [*_untagged_content(document), *_misnested(document), *forms_drawn(document)]
    findings += annotation_findings(document)
    if document.tagged and text:
        findings += _private_use(document)
    findings += [
        *check_fonts(document, text=text),
        *tabs(document),
        *forms(document),
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
    marked = isinstance(mark_info, pikepdf.Dictionary) and is_true(mark_info.get("/Marked"))
    if not document.tagged:
        yield Finding("pdf-tagged", "document", "the PDF has no tags (no structure tree)", EXPORT_FIX)
    elif not marked:
        yield Finding(
            "pdf-tagged", "document", "the PDF is not marked as tagged (/MarkInfo /Marked)", EXPORT_FIX
        )
    if isinstance(mark_info, pikepdf.Dictionary) and is_true(mark_info.get("/Suspects")):
        yield Finding(
            "pdf-tagged",
            "document",
            "the PDF says its own tags may be wrong (/MarkInfo /Suspects true)",
            "export the document again as a tagged PDF; tags added by guessing need a person's review",
        )


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
    invalid = sorted({tag for tag in given if not LANGUAGE_TAG.fullmatch(tag)})
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
    if not isinstance(preferences, pikepdf.Dictionary) or not is_true(preferences.get("/DisplayDocTitle")):
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
    packet = stream_bytes(stream) if isinstance(stream, pikepdf.Stream) else b""
    prefixes = set(re.findall(rb'xmlns:([\w.-]+)\s*=\s*["\']' + re.escape(PDF_UA_NAMESPACE), packet))
    if prefixes - {b"pdfuaid"}:
        yield Finding(
            "pdf-ua-identifier",
            "document",
            f"the PDF/UA identification has the prefix “{sorted(prefixes - {b'pdfuaid'})[0].decode()}”,"
            " not “pdfuaid”",
            "write the identification as pdfuaid:part (and pdfuaid:amd, pdfuaid:corr)",
        )


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


# --- forms, optional content, embedded files, media ----------------------------------------------


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
        if not string(configuration.get("/Name")):
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
        specifications += [a.get("/FS") for a in page_annotations(page) if "/FS" in a]
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
        for annotation in page_annotations(page):
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

"""The PDF/UA rules of the check: each found in a PDF made to break it, none in a clean one,
and at least everything the independent checker page-validation (profile ua1) finds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import page
import pikepdf
import pytest

from concept_builder.check import Finding, check_document
from concept_builder.check.pdf_file import open_pdf
from concept_builder.errors import CheckError
from tests.conftest import Publication
from tests.test_cli import run

# Every rule page-validation (profile ua1) has, and the rule of ours that finds the same problem
PAGE_VALIDATION_RULES = {
    # the document
    "PDFUA1-HEADER-001": "pdf-version",
    "PDFUA1-ENCRYPTION-P-001": "pdf-protection",
    "PDFUA1-TAGGED-DOCUMENT-001": "pdf-tagged",
    "PDFUA1-STRUCT-TREE-ROOT-001": "pdf-tagged",
    "PDFUA1-SUSPECTS-001": "pdf-tagged",
    "PDFUA1-METADATA-TITLE-001": "pdf-title",
    "PDFUA1-VIEWER-PREFERENCES-001": "pdf-title",
    "PDFUA1-METADATA-STRUCTURE-001": "pdf-ua-identifier",
    "PDFUA1-ID-SCHEMA-001": "pdf-ua-identifier",
    "PDFUA1-ID-PART-001": "pdf-ua-identifier",
    "PDFUA1-ID-PART-PREFIX-001": "pdf-ua-identifier",
    "PDFUA1-ID-AMD-PREFIX-001": "pdf-ua-identifier",
    "PDFUA1-ID-CORR-PREFIX-001": "pdf-ua-identifier",
    # languages: all of them known once the document has a valid /Lang
    "PDFUA1-LANGUAGE-TAG-001": "pdf-language",
    "PDFUA1-METADATA-LANGUAGE-001": "pdf-language",
    "PDFUA1-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-ALT-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-ACTUAL-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-E-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-SPAN-ALT-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-SPAN-ACTUAL-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-SPAN-E-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-ANNOTATION-CONTENTS-LANGUAGE-001": "pdf-language",
    "PDFUA1-FORM-FIELD-TU-LANGUAGE-001": "pdf-language",
    "PDFUA1-OUTLINE-LANGUAGE-001": "pdf-language",
    # the structure tree
    "PDFUA1-STRUCT-TREE-ROLE-MAP-001": "pdf-role-map",
    "PDFUA1-STRUCT-TREE-ROLE-MAP-CYCLE-001": "pdf-role-map",
    "PDFUA1-STRUCT-TREE-ROLE-MAP-STANDARD-001": "pdf-role-map",
    "PDFUA1-STRUCT-ELEMENT-PARENT-001": "pdf-nesting",
    "PDFUA1-L-KIDS-001": "pdf-nesting",
    "PDFUA1-L-CAPTION-001": "pdf-nesting",
    "PDFUA1-LI-PARENT-001": "pdf-nesting",
    "PDFUA1-LI-KIDS-001": "pdf-nesting",
    "PDFUA1-LBODY-PARENT-001": "pdf-nesting",
    "PDFUA1-TOC-KIDS-001": "pdf-nesting",
    "PDFUA1-TOC-CAPTION-001": "pdf-nesting",
    "PDFUA1-TOCI-PARENT-001": "pdf-nesting",
    "PDFUA1-TABLE-KIDS-001": "pdf-nesting",
    "PDFUA1-TABLE-CAPTION-COUNT-001": "pdf-nesting",
    "PDFUA1-TABLE-CAPTION-POSITION-001": "pdf-nesting",
    "PDFUA1-TABLE-THEAD-COUNT-001": "pdf-nesting",
    "PDFUA1-TABLE-TFOOT-COUNT-001": "pdf-nesting",
    "PDFUA1-TABLE-THEAD-TBODY-001": "pdf-nesting",
    "PDFUA1-TABLE-TFOOT-TBODY-001": "pdf-nesting",
    "PDFUA1-THEAD-PARENT-001": "pdf-nesting",
    "PDFUA1-THEAD-KIDS-001": "pdf-nesting",
    "PDFUA1-TBODY-PARENT-001": "pdf-nesting",
    "PDFUA1-TBODY-KIDS-001": "pdf-nesting",
    "PDFUA1-TFOOT-PARENT-001": "pdf-nesting",
    "PDFUA1-TFOOT-KIDS-001": "pdf-nesting",
    "PDFUA1-TR-PARENT-001": "pdf-nesting",
    "PDFUA1-TR-KIDS-001": "pdf-nesting",
    "PDFUA1-TH-PARENT-001": "pdf-nesting",
    "PDFUA1-TD-PARENT-001": "pdf-nesting",
    "PDFUA1-TABLE-ROW-COLUMNSPAN-001": "pdf-table-grid",
    "PDFUA1-TABLE-COLUMN-ROWSPAN-001": "pdf-table-grid",
    "PDFUA1-TABLE-CELL-INTERSECTION-001": "pdf-table-grid",
    "PDFUA1-TABLE-HEADERS-SCOPE-001": "pdf-table-header",
    "PDFUA1-TABLE-HEADERS-UNDEFINED-001": "pdf-table-header",
    "PDFUA1-HEADING-NESTING-001": "pdf-heading-order",
    "PDFUA1-HEADING-STRUCTURE-001": "pdf-heading-order",
    "PDFUA1-HEADING-CHILD-COUNT-001": "pdf-heading-order",
    "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001": "pdf-figure-alt",
    "PDFUA1-FORMULA-ALTERNATIVE-TEXT-001": "pdf-figure-alt",
    "PDFUA1-NOTE-ID-001": "pdf-note-id",
    "PDFUA1-NOTE-ID-UNIQUE-001": "pdf-note-id",
    # what the pages paint
    "PDFUA1-CONTENT-TAGGING-001": "pdf-untagged-content",
    "PDFUA1-ARTIFACT-NESTED-001": "pdf-marked-content",
    "PDFUA1-TAGGED-CONTENT-INSIDE-ARTIFACT-001": "pdf-marked-content",
    "PDFUA1-FORM-STRUCTURE-001": "pdf-marked-content",
    "PDFUA1-FORM-REFERENCE-001": "pdf-external-content",
    # annotations, forms, layers, files, media
    "PDFUA1-LINK-LINK-TAG-001": "pdf-link-tagged",
    "PDFUA1-LINK-CONTENTS-001": "pdf-link-description",
    "PDFUA1-ANNOTATION-ANNOT-TAG-001": "pdf-annotation",
    "PDFUA1-ANNOTATION-CONTENTS-ALT-001": "pdf-annotation",
    "PDFUA1-PRINTER-MARK-ARTIFACT-001": "pdf-annotation",
    "PDFUA1-TRAPNET-ANNOTATION-001": "pdf-annotation",
    "PDFUA1-PAGE-TABS-001": "pdf-tabs",
    "PDFUA1-WIDGET-FORM-TAG-001": "pdf-form",
    "PDFUA1-FORM-FIELD-TU-ALT-001": "pdf-form",
    "PDFUA1-FORM-CHILDREN-001": "pdf-form",
    "PDFUA1-DYNAMIC-XFA-001": "pdf-form",
    "PDFUA1-OPTIONAL-CONTENT-NAME-001": "pdf-optional-content",
    "PDFUA1-OPTIONAL-CONTENT-AS-001": "pdf-optional-content",
    "PDFUA1-FILE-SPEC-F-AND-UF-001": "pdf-embedded-file",
    "PDFUA1-MEDIA-CLIP-CT-001": "pdf-media",
    "PDFUA1-MEDIA-CLIP-ALT-001": "pdf-media",
    # fonts
    "PDFUA1-FONT-EMBEDDING-001": "pdf-font-embedded",
    "PDFUA1-FONT-UNICODE-MAPPING-001": "pdf-font-unicode",
    "PDFUA1-FONT-UNICODE-VALUE-001": "pdf-font-unicode",
    "PDFUA1-FONT-GLYPH-PRESENCE-001": "pdf-font-program",
    "PDFUA1-FONT-GLYPH-WIDTH-001": "pdf-font-program",
    "PDFUA1-NOTDEF-GLYPH-001": "pdf-font-program",
    "PDFUA1-FONT-TYPE1-CHARSET-001": "pdf-font-program",
    "PDFUA1-CID-SUBSET-CIDSET-001": "pdf-font-program",
    "PDFUA1-CIDTOGIDMAP-001": "pdf-font-program",
    "PDFUA1-TYPE0-CID-SYSTEM-INFO-001": "pdf-font-program",
    "PDFUA1-CMAP-EMBEDDING-001": "pdf-font-program",
    "PDFUA1-CMAP-WMODE-001": "pdf-font-program",
    "PDFUA1-CMAP-REFERENCE-001": "pdf-font-program",
    "PDFUA1-TRUETYPE-NONSYMBOLIC-CMAP-001": "pdf-font-program",
    "PDFUA1-TRUETYPE-NONSYMBOLIC-ENCODING-001": "pdf-font-program",
    "PDFUA1-TRUETYPE-SYMBOLIC-CMAP-001": "pdf-font-program",
    "PDFUA1-TRUETYPE-SYMBOLIC-ENCODING-001": "pdf-font-program",
}

# Which rule each trigger breaks, where, and what the finding says
EXPECTED = {
    "untagged": ("pdf-tagged", "document", "the PDF is not marked as tagged (/MarkInfo /Marked)"),
    "no-language": ("pdf-language", "document", "the document language (/Lang) is not set"),
    "no-ua-identifier": (
        "pdf-ua-identifier",
        "document",
        "the metadata do not declare PDF/UA-1 (pdfuaid:part 1)",
    ),
    "skipped-heading": ("pdf-heading-order", "page 1", "H3 follows H1 (“Bildung und Sprache”)"),
    "first-heading-h2": ("pdf-heading-order", "page 1", "H2 follows no heading (“Integrationskonzept”)"),
    "figure-without-alt": ("pdf-figure-alt", "page 1", "a Figure has no alternative text (/Alt)"),
    "figure-alt-file-name": (
        "pdf-figure-alt",
        "page 1",
        "a Figure's alternative text (/Alt) is a file name, “logo.png”",
    ),
    "figure-alt-twice": (
        "pdf-figure-alt",
        "page 1",
        "a Figure's alternative text (/Alt) says the same twice: “Wappen des Landkreises - Wappen des"
        " Landkreises: ein Löwe”",
    ),
    "figure-as-artifact": (
        "pdf-figure-content",
        "page 1",
        "a Figure holds nothing: its image is painted elsewhere, as an artifact or untagged",
    ),
    "table-without-header": ("pdf-table-header", "page 1", "a table of 3 rows has no header cells (TH)"),
    "untagged-content": (
        "pdf-untagged-content",
        "page 1",
        "lines or shapes painted outside tagged content and artifacts",
    ),
    "font-not-embedded": ("pdf-font-embedded", "page 1", "the font DejaVuSans-Bold is not embedded"),
    "font-without-unicode": (
        "pdf-font-unicode",
        "page 1",
        "the text in DejaVuSans-Bold cannot be mapped to Unicode (no /ToUnicode map)",
    ),
    "link-untagged": (
        "pdf-link-tagged",
        "page 1",
        "1 link not tagged: no Link structure element refers to it",
    ),
    "tabs-as-string": (
        "pdf-tabs",
        "page 1",
        "the tab order /Tabs is the string (S), not the name /S (LibreOffice 7.4 writes it so)",
    ),
    "empty-paragraph": (
        "pdf-empty-element",
        "page 1",
        "an empty P element: no content, no children, no alternative text",
    ),
    "symbol-bullets": (
        "pdf-private-use",
        "page 1",
        "2 characters come out as private-use code points (U+F0B7), which screen readers cannot speak",
    ),
    "pdf-2-header": (
        "pdf-version",
        "document",
        "the file begins as PDF 2.0, where PDF/UA-1 asks for PDF 1.0 to 1.7",
    ),
    "no-accessibility": (
        "pdf-protection",
        "document",
        "the PDF is protected so that assistive technology may not read its text",
    ),
    "suspects": (
        "pdf-tagged",
        "document",
        "the PDF says its own tags may be wrong (/MarkInfo /Suspects true)",
    ),
    "invalid-language": (
        "pdf-language",
        "document",
        "1 language given as no valid language tag: 'deutsch_DE'",
    ),
    "language-not-a-tag": (
        "pdf-language",
        "document",
        "1 language given as no valid language tag: 'deutsch'",
    ),
    "list-item-outside-list": ("pdf-nesting", "page 1", "LI stands in Document, not in L"),
    "paragraph-in-list": ("pdf-nesting", "page 1", "L holds P, which it may not"),
    "row-outside-table": (
        "pdf-nesting",
        "page 1",
        "TR stands in Document, not in TBody or TFoot or THead or Table",
    ),
    "contents-entry-outside-contents": ("pdf-nesting", "page 1", "TOCI stands in Document, not in TOC"),
    "wrong-parent": (
        "pdf-nesting",
        "page 1",
        "1 structure element names another parent (/P) than the element holding it",
    ),
    "two-table-heads": ("pdf-nesting", "page 1", "Table has more than one THead or TFoot"),
    "short-row": (
        "pdf-table-grid",
        "page 1",
        "row 3 of a table has 1 column where others have 2, spans counted",
    ),
    "header-without-scope": (
        "pdf-table-header",
        "page 1",
        "2 header cells (TH) say neither whether they head a row or a column (/Scope) nor are named by"
        " the cells (/Headers)",
    ),
    "tagged-in-artifact": (
        "pdf-marked-content",
        "page 1",
        "tagged content inside an artifact (marked content)",
    ),
    "artifact-in-tagged": (
        "pdf-marked-content",
        "page 1",
        "an artifact inside tagged content (marked content)",
    ),
    "form-drawn-twice": (
        "pdf-marked-content",
        "document",
        "a form (XObject) holding tagged content is drawn 2 times: its content can belong to one place of"
        " the structure only",
    ),
    "reference-xobject": (
        "pdf-external-content",
        "page 1",
        "a page shows a page of another file (a reference XObject), which readers may not load",
    ),
    "h-and-h1": (
        "pdf-heading-order",
        "page 1",
        "the document mixes H with numbered headings (H1–H6) (“Der Landkreis Goslar hat in den vergangenen"
        " Jahren viele Men…”)",
    ),
    "formula-without-alt": (
        "pdf-figure-alt",
        "page 1",
        "a Formula has no alternative text (/Alt) (“Der Landkreis Goslar hat in den vergangenen Jahren viele"
        " Men…”)",
    ),
    "note-without-id": ("pdf-note-id", "page 1", "a Note has no /ID"),
    "note-annotation": (
        "pdf-annotation",
        "page 1",
        "1 annotation (Text) not tagged: no Annot structure element holds it",
    ),
    "link-without-description": (
        "pdf-link-description",
        "page 1",
        "1 link without a description (/Contents) of where it leads",
    ),
    "dynamic-form": (
        "pdf-form",
        "document",
        "the form is a dynamic XFA form, which readers build only while showing it",
    ),
    "unnamed-layers": (
        "pdf-optional-content",
        "document",
        "a configuration of layers (optional content) has no name",
    ),
    "embedded-file": (
        "pdf-embedded-file",
        "document",
        "1 embedded file without both file names (/F and /UF)",
    ),
    "unicode-nothing": (
        "pdf-font-unicode",
        "page 1",
        "the Unicode map of DejaVuSans-Bold gives some characters no character (U+0000, U+FEFF or U+FFFE)",
    ),
    "glyph-widths": (
        "pdf-font-program",
        "page 1",
        "the text in DejaVuSans-Bold gives 15 glyphs other widths than its font program (code 1: 472"
        " instead of 372.1)",
    ),
    "damaged-font-program": (
        "pdf-font-program",
        "page 1",
        "the font DejaVuSans-Bold: its font program cannot be read",
    ),
    "symbolic-with-encoding": (
        "pdf-font-program",
        "page 1",
        "the font DejaVuSans-Bold: it is marked symbolic and still has an /Encoding",
    ),
}

# Triggers that break a rule in more than one place, or PDFs made by other programs (untagged
# charts of matplotlib with its fonts): what the check finds among the rest
AMONG = {
    "comment": [
        ("pdf-annotation", "page 1", "1 annotation (Text) not tagged: no Annot structure element holds it"),
        (
            "pdf-annotation",
            "page 1",
            "1 annotation (Popup) without a description: neither /Contents nor an /Alt of its structure"
            " element",
        ),
    ],
    "no-metadata": [
        (
            "pdf-ua-identifier",
            "document",
            "the document has no XMP metadata stream (/Metadata of /Type /Metadata, /Subtype /XML)",
        )
    ],
    "form-field": [
        ("pdf-form", "page 1", "1 form field not tagged in a Form structure element"),
        ("pdf-form", "page 1", "1 form field without a name for readers (/TU)"),
    ],
    "media-clip": [
        ("pdf-annotation", "page 1", "1 annotation (Screen) not tagged: no Annot structure element holds it"),
        ("pdf-media", "page 1", "a media clip does not say its content type (/CT) nor what it shows (/Alt)"),
    ],
    "text-beside-its-font": [
        (
            "pdf-font-unicode",
            "page 1",
            "the Unicode map of DejaVuSans-Bold leaves out 4 characters the pages show (code 72)",
        ),
        (
            "pdf-font-program",
            "page 1",
            "the text in DejaVuSans-Bold shows 4 characters as the empty glyph .notdef (code 72)",
        ),
    ],
    "type3-font": [
        (
            "pdf-font-unicode",
            "page 1",
            "the Unicode map of DejaVuSans is malformed: its codes are not as long as its code space says",
        )
    ],
    "type3-without-unicode": [
        (
            "pdf-font-unicode",
            "page 1",
            "the text in DejaVuSans cannot be mapped to Unicode (no /ToUnicode map)",
        )
    ],
    "cid-without-gid-map": [
        ("pdf-font-program", "page 1", "the font DejaVuSans: its CIDFont has no /CIDToGIDMap")
    ],
    "cid-widths": [
        (
            "pdf-font-program",
            "page 1",
            "the text in DejaVuSans gives 9 glyphs other widths than its font program (code 32: 5000 instead"
            " of 317.9)",
        )
    ],
    "cmap-not-embedded": [
        (
            "pdf-font-program",
            "page 1",
            "the font DejaVuSans: its CMap /Eigene-H is neither embedded nor one every reader has",
        )
    ],
    "cid-set-short": [
        (
            "pdf-font-program",
            "page 1",
            "the font DejaVuSans: its /CIDSet leaves out 9 glyphs of the font program (CID 32)",
        )
    ],
    "cmap-of-another-collection": [
        ("pdf-font-program", "page 1", "the font DejaVuSans: its CMap says writing mode 1, its dictionary 0"),
        (
            "pdf-font-program",
            "page 1",
            "the font DejaVuSans: its CMap and its CIDFont name different character collections"
            " (/CIDSystemInfo)",
        ),
    ],
}


@pytest.mark.libreoffice
def test_a_clean_pdf_passes_both_checkers(trigger_pdfs: dict[str, Path]) -> None:
    assert page.validate_pdf(trigger_pdfs["clean"], profile="ua1").is_compliant
    assert check_document(trigger_pdfs["clean"]) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("trigger", sorted(EXPECTED))
def test_each_rule_is_found_where_it_is_broken(trigger_pdfs: dict[str, Path], trigger: str) -> None:
    findings = check_document(trigger_pdfs[trigger])
    assert [(f.rule, f.where, f.message) for f in findings] == [EXPECTED[trigger]]


@pytest.mark.libreoffice
@pytest.mark.parametrize("trigger", sorted(AMONG))
def test_rules_broken_in_several_places_are_each_found(trigger_pdfs: dict[str, Path], trigger: str) -> None:
    found = [(f.rule, f.where, f.message) for f in check_document(trigger_pdfs[trigger])]
    assert [expected for expected in AMONG[trigger] if expected not in found] == []


@pytest.mark.libreoffice
def test_a_missing_title_is_found_in_the_metadata_and_the_viewer_setting(
    trigger_pdfs: dict[str, Path],
) -> None:
    findings = check_document(trigger_pdfs["no-title"])
    assert [(f.rule, f.message) for f in findings] == [
        ("pdf-title", "the document has no title in its metadata (dc:title)"),
        ("pdf-title", "viewers show the file name instead of the title (/DisplayDocTitle is not true)"),
    ]


@pytest.mark.libreoffice
def test_styles_named_like_standard_types_are_found_in_the_role_map(trigger_pdfs: dict[str, Path]) -> None:
    findings = check_document(trigger_pdfs["standard-style-names"])
    assert [f.message for f in findings if f.rule == "pdf-role-map"] == [
        f"the standard structure type {name} is remapped to P: a style is named “{name}”,"
        " like the PDF structure type"
        for name in ("Figure", "Quote")
    ]
    # the paragraph styled “Figure” is a Figure without alt text to every reader that keeps standard types
    assert {f.rule for f in findings} == {"pdf-role-map", "pdf-figure-alt"}


@pytest.fixture(scope="module")
def our_findings(publication: Publication) -> list[Finding]:
    return check_document(publication.pdf)


def our_rules_for(failures: list[page.ValidationFailure]) -> set[str]:
    unknown = sorted({f.rule_id for f in failures} - set(PAGE_VALIDATION_RULES))
    assert not unknown, f"page-validation found {unknown}: map them to the rule of ours that finds them"
    return {PAGE_VALIDATION_RULES[f.rule_id] for f in failures}


def page_validation_rules() -> set[str]:
    """Every PDF/UA-1 rule id of the installed page-validation, read from its compiled module."""
    import page._page

    return {
        rule.decode()
        for rule in re.findall(
            rb"PDFUA1-[A-Z0-9]+(?:-[A-Z0-9]+)*?-00\d", Path(page._page.__file__).read_bytes()
        )
    }


def test_every_rule_of_page_validation_has_one_of_ours() -> None:
    rules = page_validation_rules()
    assert len(rules) >= 100, "page-validation's rules were not found in its module"
    assert sorted(rules - set(PAGE_VALIDATION_RULES)) == []
    import concept_builder.check

    check_package = Path(concept_builder.check.__file__ or "").parent
    sources = "".join(module.read_text("utf-8") for module in check_package.glob("pdf*.py"))
    assert sorted(rule for rule in set(PAGE_VALIDATION_RULES.values()) if f'"{rule}"' not in sources) == []


@pytest.mark.libreoffice
def test_we_find_at_least_what_page_validation_finds(
    trigger_pdfs: dict[str, Path], publication: Publication, our_findings: list[Finding]
) -> None:
    checked = {name: (path, check_document(path)) for name, path in trigger_pdfs.items()}
    checked["our Goslar build"] = (publication.pdf, our_findings)
    rejected = 0
    for name, (path, findings) in checked.items():
        report = page.validate_pdf(path, profile="ua1")
        ours = {finding.rule for finding in findings}
        if not report.is_compliant:
            rejected += 1
            assert ours, f"{name}: page-validation rejects it, we find nothing"
        missing = our_rules_for(report.failures) - ours
        assert not missing, f"{name}: page-validation finds what our {sorted(missing)} should find"
    assert rejected >= 50  # the comparison has teeth: most triggers break page-validation's rules too
    found = {rule for _, findings in checked.values() for rule in {f.rule for f in findings}}
    assert len(set(PAGE_VALIDATION_RULES.values()) & found) >= 24  # and most of our rules are met


@pytest.mark.libreoffice
def test_our_pdf_has_no_findings(our_findings: list[Finding]) -> None:
    """PDF/UA and layout: no split table, no heading at the foot of a page, no word broken mid-letter."""
    assert our_findings == []


# --- reading any PDF: content decides, limits hold ----------------------------------------------------------


def blank_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF with blank pages and nothing an accessible PDF needs."""
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page()
        pdf.save(path)
    return path


def test_an_untagged_pdf_is_told_what_it_lacks(tmp_path: Path) -> None:
    findings = check_document(blank_pdf(tmp_path / "leer.pdf"))
    assert [f.rule for f in findings] == [
        "pdf-tagged",
        "pdf-language",
        "pdf-title",
        "pdf-title",
        "pdf-ua-identifier",  # no XMP metadata at all
        "pdf-ua-identifier",  # and so no PDF/UA identification
    ]
    assert str(findings[0]) == (
        "pdf-tagged: document: the PDF has no tags (no structure tree) "
        "(export with “Tagged PDF” and “PDF/UA” switched on, as concept-builder build --pdf does)"
    )


def test_the_content_decides_not_the_name(tmp_path: Path) -> None:
    pdf = blank_pdf(tmp_path / "eigentlich-ein-pdf.docx")
    assert check_document(pdf)[0].rule == "pdf-tagged"
    result = run("check", str(pdf))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("pdf-tagged: document: the PDF has no tags")
    assert result.stderr.strip() == f"6 findings in {pdf}"


def test_a_pdf_far_larger_than_a_document_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "riesig.pdf"
    with huge.open("wb") as file:
        file.write(b"%PDF-1.7\n")
        file.truncate(201_000_000)  # sparse: no disk is filled
    result = run("check", str(huge))
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"error: {huge}: 201 MB; the check reads PDFs of up to 200 MB",
    )


def test_a_pdf_with_more_pages_than_a_document_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concept_builder.check import pdf_file

    monkeypatch.setattr(pdf_file, "MAX_PAGES", 2)  # 5,000 pages would take a while to write
    pdf = blank_pdf(tmp_path / "lang.pdf", pages=3)
    with pytest.raises(CheckError, match=r"lang\.pdf: 3 pages; the check reads PDFs of up to 2 pages$"):
        check_document(pdf)


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "no-objects": lambda data: b"%PDF-1.7\nnichts\n",
    "cut-off": lambda data: data[: len(data) // 2],
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_broken_pdf_is_refused_with_a_message(tmp_path: Path, damage: str) -> None:
    pdf = blank_pdf(tmp_path / "ganz.pdf")
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(DAMAGES[damage](pdf.read_bytes()))
    with pytest.raises(CheckError, match=r"kaputt\.pdf: cannot be read as a PDF: "):
        check_document(broken)


def test_the_structure_tree_is_read_without_recursion_and_without_loops(tmp_path: Path) -> None:
    path = blank_pdf(tmp_path / "schleife.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page_object = pdf.pages[0].obj
        deepest = outer = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Div, Pg=page_object))
        for _ in range(5_000):  # far deeper than Python's recursion limit
            inner = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Div, P=deepest))
            deepest.K = inner
            deepest = inner
        deepest.K = outer  # and back to the top
        pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(K=outer))
        pdf.save(path)
    with open_pdf(path) as document:
        assert len(document.elements) == 5_001


def test_a_structure_type_without_a_standard_meaning_is_found(tmp_path: Path) -> None:
    path = blank_pdf(tmp_path / "eigene-typen.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page_object = pdf.pages[0].obj
        kinds = [pikepdf.Name("/Zitat"), pikepdf.Name("/Kasten")]  # Zitat is mapped, Kasten is not
        elements = [pdf.make_indirect(pikepdf.Dictionary(S=kind, Pg=page_object)) for kind in kinds]
        pdf.Root.StructTreeRoot = pdf.make_indirect(
            pikepdf.Dictionary(K=pikepdf.Array(elements), RoleMap=pikepdf.Dictionary(Zitat=pikepdf.Name.P))
        )
        pdf.save(path)
    [finding] = [f for f in check_document(path) if f.rule == "pdf-role-map"]
    assert (finding.where, finding.message) == (
        "document",
        "the structure type “Kasten” is not mapped to a standard type",
    )

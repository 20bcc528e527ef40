"""The PDF/UA rules of the check: each found in a PDF made to break it, none in a clean one,
and at least everything the independent checker page-validation (profile ua1) finds."""

from __future__ import annotations

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

# page-validation's rules and the rule of ours that finds the same problem
PAGE_VALIDATION_RULES = {
    "PDFUA1-TAGGED-DOCUMENT-001": "pdf-tagged",
    "PDFUA1-STRUCT-TREE-ROOT-001": "pdf-tagged",
    "PDFUA1-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-ALT-TEXT-LANGUAGE-001": "pdf-language",
    "PDFUA1-ANNOTATION-CONTENTS-LANGUAGE-001": "pdf-language",
    "PDFUA1-OUTLINE-LANGUAGE-001": "pdf-language",
    "PDFUA1-METADATA-TITLE-001": "pdf-title",
    "PDFUA1-VIEWER-PREFERENCES-001": "pdf-title",
    "PDFUA1-ID-PART-001": "pdf-ua-identifier",
    "PDFUA1-ID-SCHEMA-001": "pdf-ua-identifier",
    "PDFUA1-HEADING-NESTING-001": "pdf-heading-order",
    "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001": "pdf-figure-alt",
    "PDFUA1-CONTENT-TAGGING-001": "pdf-untagged-content",
    "PDFUA1-FONT-EMBEDDING-001": "pdf-font-embedded",
    "PDFUA1-FONT-UNICODE-MAPPING-001": "pdf-font-unicode",
    "PDFUA1-LINK-LINK-TAG-001": "pdf-link-tagged",
    "PDFUA1-PAGE-TABS-001": "pdf-tabs",
    "PDFUA1-STRUCT-TREE-ROLE-MAP-STANDARD-001": "pdf-role-map",
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
    assert rejected >= 12  # the comparison has teeth: most triggers break page-validation's rules too


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
        "pdf-ua-identifier",
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
    assert result.stderr.strip() == f"5 findings in {pdf}"


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

"""The layout rules of the check: each found on the page of a PDF made to break it, none on a clean one."""

from __future__ import annotations

from pathlib import Path

import pytest

from concept_builder import build_notes
from concept_builder.check import check_document, check_written_pdf

pytestmark = pytest.mark.libreoffice

EXPECTED = {
    "split-table": [
        (
            "split-table",
            "page 1",
            "the table beginning “Merkmal” is split over pages 1–2, though it fits on one page",
        )
    ],
    "heading-at-foot": [
        (
            "heading-at-foot",
            "page 1",
            "the heading “Ziele” stands at the foot of the page; its section begins on page 2",
        )
    ],
    "heading-only-page": [("heading-only-page", "page 2", "the page holds only the heading “Anhang”")],
    "empty-page": [
        # the empty paragraph alone on the page: LibreOffice tags it, a build's PDF drops such elements
        (
            "pdf-empty-element",
            "page 2",
            "an empty Standard element: no content, no children, no alternative text",
        ),
        ("empty-page", "page 2", "the page shows nothing but its header and footer"),
    ],
    "toc-without-numbers": [
        (
            "toc-page-numbers",
            "page 1",
            "2 entries of the table of contents have no page number (“1 Einleitung”, “2 Ziele”)",
        )
    ],
    "list-start": [("list-start", "page 1", "the numbered list begins at 3 (“3. Anmelden”)")],
}


@pytest.mark.parametrize("trigger", sorted(EXPECTED))
def test_each_rule_is_found_on_its_page(trigger_pdfs: dict[str, Path], trigger: str) -> None:
    findings = check_document(trigger_pdfs[trigger])
    assert [(f.rule, f.where, f.message) for f in findings] == EXPECTED[trigger]


@pytest.mark.parametrize("trigger", ["heading-at-foot", "heading-only-page", "empty-page"])
def test_the_check_of_every_pdf_a_build_writes_finds_a_heading_alone_or_an_empty_page(
    trigger_pdfs: dict[str, Path], trigger: str
) -> None:
    """What a build tells of the PDF it wrote: the same finding as ``check``, the heading quoted."""
    findings = check_written_pdf(trigger_pdfs[trigger])
    expected = [finding for finding in EXPECTED[trigger] if finding[0] == trigger]
    assert [(f.rule, f.where, f.message) for f in findings if f.rule == trigger] == expected
    [note] = [note for note in build_notes.accessibility_notes("bericht.pdf", findings) if trigger in note]
    assert note.startswith(f"bericht.pdf is not ready to publish: {trigger}: page ")


def test_words_broken_in_narrow_columns_are_found_and_breaks_at_spaces_are_not(
    trigger_pdfs: dict[str, Path],
) -> None:
    findings = check_document(trigger_pdfs["broken-words"])
    assert {f.rule for f in findings} == {"broken-word"}
    # “Sprach- und” breaks after a hyphen and at a space, “Die Kurse finden …” at spaces only
    assert [f.message for f in findings] == [
        "“Federfüh|rung” is broken inside the word",
        "“Beschrei|bung” is broken inside the word",
        "“Kreisvol|kshochsc|hule” is broken inside the word",
        "“Integrati|onskurse” is broken inside the word",
    ]
    assert (
        findings[0].fix
        == "widen the column or shorten the text; a soft hyphen lets the word break with a hyphen"
    )


def test_a_page_of_ordinary_text_has_no_layout_findings(trigger_pdfs: dict[str, Path]) -> None:
    assert check_document(trigger_pdfs["clean"]) == []

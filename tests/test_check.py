"""The accessibility check finds what BITV asks for, in any .docx, and none in ours."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import RGBColor

from concept_builder.check import check_document, contrast_ratio
from tests.conftest import png
from tests.test_cli import run


def test_our_documents_have_no_findings(goslar_docx: Path) -> None:
    assert check_document(goslar_docx) == []
    result = run("check", str(goslar_docx))
    assert result.returncode == 0
    assert result.stdout.strip() == f"{goslar_docx}: no accessibility findings"


def careless_document(path: Path) -> Path:
    """A document as people make them in a hurry."""
    document = Document()
    document.core_properties.title = ""
    lang = document.styles.element.find(".//{*}docDefaults/{*}rPrDefault/{*}rPr/{*}lang")
    if lang is not None:
        lang.getparent().remove(lang)
    document.add_heading("Einleitung", level=1)
    document.add_heading("Details", level=3)
    document.add_paragraph("")
    document.add_paragraph("- erster Punkt")
    document.add_paragraph("- zweiter Punkt")
    grey = document.add_paragraph().add_run("Hellgraue Schrift")
    grey.font.color.rgb = RGBColor(0xBB, 0xBB, 0xBB)
    image = path.parent / "bild.png"
    image.write_bytes(png(20, 20))
    document.add_picture(str(image))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "A"
    link = document.add_paragraph("Mehr dazu ")
    link._p.append(
        parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="x"><w:r><w:t>hier</w:t></w:r></w:hyperlink>')
    )
    document.save(str(path))
    return path


def test_finds_each_kind_of_problem(tmp_path: Path) -> None:
    findings = check_document(careless_document(tmp_path / "eilig.docx"))
    rules = [f.rule for f in findings]
    assert sorted(set(rules)) == sorted(
        [
            "title",
            "language",
            "heading-order",
            "alt-text",
            "table-header",
            "empty-paragraph",
            "typed-list",
            "contrast",
            "link-text",
        ]
    )
    by_rule = {f.rule: f for f in findings}
    assert by_rule["heading-order"].message == "Heading 3 follows Heading 1"
    assert by_rule["heading-order"].where == "paragraph 2 “Details”"
    assert by_rule["typed-list"].where == "paragraph 5 “- zweiter Punkt”"
    assert by_rule["contrast"].message == "text #BBBBBB on #FFFFFF has a contrast of 1.9:1"
    assert by_rule["table-header"].where == "table 1"


def test_cli_lists_findings_and_exits_1(tmp_path: Path) -> None:
    document = careless_document(tmp_path / "eilig.docx")
    result = run("check", str(document))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == (
        "title: document properties: the document has no title "
        "(set a title in File › Properties; readers show it instead of the file name)"
    )
    assert result.stderr.strip() == f"{len(lines)} findings in {document}"


def test_check_refuses_what_is_not_a_document(tmp_path: Path) -> None:
    fake = tmp_path / "notiz.docx"
    fake.write_text("Text")
    result = run("check", str(fake))
    assert (result.returncode, result.stderr.strip()) == (1, f"error: {fake}: is not a Word document (.docx)")


def test_contrast_ratio_matches_wcag() -> None:
    assert round(contrast_ratio("000000", "FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("767676", "FFFFFF"), 2) == 4.54
    assert contrast_ratio("FFFFFF", "1F4E79") > 4.5

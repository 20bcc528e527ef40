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
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"error: {fake}: is neither a Word document (.docx) nor a PDF",
    )


def test_contrast_ratio_matches_wcag() -> None:
    assert round(contrast_ratio("000000", "FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("767676", "FFFFFF"), 2) == 4.54
    assert contrast_ratio("FFFFFF", "1F4E79") > 4.5


def document_with(tmp_path: Path, styles: str, body: str) -> Path:
    """A .docx whose styles and body are the given compact XML (python-docx supplies the rest)."""
    from lxml import etree

    from tests.cxml import element, xml

    document = Document()
    document.core_properties.title = "Prüfung"
    defaults = document.styles.element.find("{*}docDefaults")
    styles_element = element(styles)
    if defaults is not None:
        styles_element.insert(0, defaults)
    for child in list(document.styles.element):
        document.styles.element.remove(child)
    for child in list(styles_element):
        document.styles.element.append(child)
    body_element = document.element.body
    section = body_element[-1]
    for child in list(body_element):
        body_element.remove(child)
    for child in etree.fromstring(xml(f"w:body/({body})")):
        body_element.append(child)
    body_element.append(section)
    path = tmp_path / "probe.docx"
    document.save(str(path))
    return path


def test_headings_of_a_german_word_are_found_by_their_outline_level(tmp_path: Path) -> None:
    from tests.test_word import outline, style

    styles = "w:styles/({})".format(
        ",".join(
            [style("berschrift1", "heading 1", outline(1)), style("berschrift3", "heading 3", outline(3))]
        )
    )
    body = (
        'w:p/(w:pPr/w:pStyle{w:val=berschrift1},w:r/w:t"Einleitung"),'
        'w:p/(w:pPr/w:pStyle{w:val=berschrift3},w:r/w:t"Tief")'
    )
    [finding] = [
        f for f in check_document(document_with(tmp_path, styles, body)) if f.rule == "heading-order"
    ]
    assert (finding.where, finding.message) == ("paragraph 2 “Tief”", "Heading 3 follows Heading 1")


def test_a_direct_outline_level_makes_a_heading_too(tmp_path: Path) -> None:
    body = 'w:p/(w:pPr/w:outlineLvl{w:val=1},w:r/w:t"Ohne Stil")'
    [finding] = [
        f for f in check_document(document_with(tmp_path, "w:styles", body)) if f.rule == "heading-order"
    ]
    assert finding.message == "Heading 2 follows no heading"


def test_contrast_through_a_character_style_and_a_cell_shading(tmp_path: Path) -> None:
    from tests.test_word import style

    styles = "w:styles/({})".format(style("Blass", "Blass", "w:rPr/w:color{w:val=5B9BD5}", kind="character"))
    body = (
        "w:tbl/(w:tblPr,w:tr/(w:trPr/w:tblHeader,w:tc/(w:tcPr/w:shd{w:val=clear,w:fill=1F4E79},"
        'w:p/w:r/(w:rPr/w:rStyle{w:val=Blass},w:t"Kopf"))))'
    )
    [finding] = [f for f in check_document(document_with(tmp_path, styles, body)) if f.rule == "contrast"]
    assert finding.message == "text #5B9BD5 on #1F4E79 has a contrast of 2.9:1"


def test_damaged_values_are_not_a_crash(tmp_path: Path) -> None:
    body = (
        'w:p/(w:pPr/w:outlineLvl{w:val=eins},w:r/(w:rPr/w:color{w:val=accent1},w:t"Text")),'
        "w:tbl/(w:tblPr,w:tr/(w:trPr/w:tblHeader,w:tc/(w:tcPr/w:gridSpan{w:val=zwei},w:p)))"
    )
    rules = [f.rule for f in check_document(document_with(tmp_path, "w:styles", body))]
    assert "heading-order" not in rules and "contrast" not in rules


def test_a_package_far_larger_than_a_document_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<w:document>" + b" " * 200_000_000 + b"</w:document>")
    assert bomb.stat().st_size < 1_000_000
    result = run("check", str(bomb))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {bomb}: unpacks to 200 MB in 1 part, the largest 200 MB;"
        " the check reads documents of up to 150 MB per part"
    )

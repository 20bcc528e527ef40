"""The accessibility check finds what BITV asks for, in any .docx, and none in ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import RGBColor

from concept_builder.check import check_document, contrast_ratio
from concept_builder.word import is_file_name
from tests.conftest import png
from tests.test_cli import run


def test_our_documents_have_no_findings(goslar_docx: Path) -> None:
    assert check_document(goslar_docx) == []


def test_a_document_done_right_has_no_findings(tmp_path: Path) -> None:
    from tests.pdf_triggers import clean

    document = tmp_path / "sorgfältig.docx"
    clean(tmp_path).save(str(document))
    assert check_document(document) == []
    result = run("check", str(document))
    assert result.returncode == 0
    assert result.stdout.strip() == f"{document}: no accessibility findings"


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
            "empty-cell",
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


# --- headers and footers, older pictures, cells, style names, bold labels ----------------------------------


def test_headers_and_footers_are_checked_with_the_body(tmp_path: Path) -> None:
    document = Document()
    document.core_properties.title = "Kopf und Fuß"
    section = document.sections[0]
    image = tmp_path / "logo.png"
    image.write_bytes(png(20, 20))
    section.header.paragraphs[0].add_run().add_picture(str(image))
    grey = section.header.add_paragraph().add_run("Entwurf")
    grey.font.color.rgb = RGBColor(0xBB, 0xBB, 0xBB)
    section.footer.paragraphs[0].text = "Seite 1"
    section.footer.add_paragraph("")
    document.add_paragraph("Text")
    path = tmp_path / "kopf.docx"
    document.save(str(path))
    findings = check_document(path)
    assert [(f.rule, f.where) for f in findings] == [
        ("alt-text", "header 1, paragraph 1"),
        ("empty-paragraph", "footer 1, paragraph 2"),
        ("contrast", "header 1, paragraph 2 “Entwurf”"),
    ]


def test_tables_in_headers_and_footers_are_checked_too(tmp_path: Path) -> None:
    """A header laid out as a table: its empty cells, and the empty paragraphs beside it; Word's own
    paragraph after the table is needed and no finding."""
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = "Kopf als Tabelle"
    header = document.sections[0].header
    header.paragraphs[0].text = ""
    table = header.add_table(rows=1, cols=2, width=Pt(400))
    table.rows[0].cells[0].text = "Landkreis Muster"
    header.add_paragraph("")
    header.add_paragraph("")
    document.add_paragraph("Text")
    path = tmp_path / "kopf-tabelle.docx"
    document.save(str(path))
    assert [(f.rule, f.where, f.message) for f in check_document(path)] == [
        ("empty-cell", "header 1, table 1", "1 cell is empty (row 1, cell 2); a reader says “blank”"),
        ("empty-paragraph", "header 1, paragraph 1", "an empty paragraph makes space"),
        ("empty-paragraph", "header 1, paragraph 4", "an empty paragraph makes space"),
    ]


def test_a_header_that_is_one_empty_paragraph_is_no_header_at_all(tmp_path: Path) -> None:
    document = Document()
    document.core_properties.title = "Ohne Kopf"
    document.sections[0].header.paragraphs[0].text = ""
    document.add_paragraph("Text")
    path = tmp_path / "ohne-kopf.docx"
    document.save(str(path))
    assert check_document(path) == []


def test_older_vml_pictures_need_alt_text_too(tmp_path: Path) -> None:
    body = (
        "w:p/w:r/w:pict/v:shape{id=ohne}/v:imagedata{r:id=rId90},"
        "w:p/w:r/w:pict/v:shape{id=wappen,alt=Wappen des Landkreises}/v:imagedata{r:id=rId91},"
        "w:p/w:r/w:pict/v:shape{id=logo}/v:imagedata{r:id=rId92,o:title=Logo der Stabsstelle}"
    )
    findings = check_document(document_with(tmp_path, "w:styles", body))
    assert [(f.rule, f.where, f.message) for f in findings] == [
        ("alt-text", "paragraph 1", "an image (VML picture) has no alternative text")
    ]


def test_an_empty_cell_and_an_empty_paragraph_spacing_a_cell(tmp_path: Path) -> None:
    body = (
        "w:tbl/(w:tblPr,"
        'w:tr/(w:trPr/w:tblHeader,w:tc/w:p/w:r/w:t"Ort",w:tc/w:p/w:r/w:t"Datum"),'
        'w:tr/(w:tc/(w:p/w:r/w:t"Goslar",w:p,w:p/w:r/w:t"Kreishaus"),w:tc/w:p),'
        'w:tr/(w:tc/w:p/w:r/w:t"Seesen",w:tc/w:p/w:r/w:t"1. Dezember"))'
    )
    findings = check_document(document_with(tmp_path, "w:styles", body))
    assert [(f.rule, f.where, f.message, f.fix) for f in findings] == [
        (
            "empty-paragraph",
            "table 1, row 2, cell 1",
            "an empty paragraph makes space in a table cell",
            "use paragraph spacing instead",
        ),
        (
            "empty-cell",
            "table 1",
            "1 cell is empty (row 2, cell 2); a PDF tags each as an empty element",
            "write a dash (–) or “keine Angabe” into the cell",
        ),
    ]


def test_styles_named_like_pdf_structure_types_are_found_where_used(tmp_path: Path) -> None:
    """LibreOffice 7.4 remaps such a style's tag to P or Span: tried with every standard type."""
    from tests.test_word import style

    styles = "w:styles/({})".format(
        ",".join(
            [
                style("Quote", "Quote"),
                style("P", "P"),
                style("caption", "caption"),  # Word's own name for captions: not the type Caption
                style("Formula", "Formula"),  # not used
                style("Link", "Link", kind="character"),
                style("Span", "Span", kind="character"),
            ]
        )
    )
    body = (
        'w:p/(w:pPr/w:pStyle{w:val=Quote},w:r/w:t"Hier bin ich angekommen."),'
        'w:p/(w:pPr/w:pStyle{w:val=P},w:r/w:t"Absatz"),'
        'w:p/(w:pPr/w:pStyle{w:val=caption},w:r/w:t"Abbildung 1"),'
        'w:p/(w:r/(w:rPr/w:rStyle{w:val=Link},w:t"Portal"),w:r/(w:rPr/w:rStyle{w:val=Span},w:t"Text"))'
    )
    findings = check_document(document_with(tmp_path, styles, body))
    assert [(f.rule, f.where, f.message) for f in findings] == [
        (
            "style-name",
            "style “Quote”",
            "the paragraph style has the name of a PDF structure type: an exported PDF remaps Quote to P,"
            " which PDF/UA forbids",
        ),
        (
            "style-name",
            "style “Link”",
            "the character style has the name of a PDF structure type: an exported PDF remaps Link to Span,"
            " which PDF/UA forbids",
        ),
    ]


def test_bold_by_direct_formatting_as_a_heading_or_a_label(tmp_path: Path) -> None:
    from tests.test_word import style

    styles = "w:styles/({})".format(style("Label", "Label", "w:rPr/w:b"))
    bold = "w:rPr/w:b"
    body = ",".join(
        [
            f'w:p/w:r/({bold},w:t"Ziele")',  # a heading in all but name
            'w:p/w:r/w:t"Alle Kinder sprechen Deutsch."',
            f'w:p/w:r/({bold},w:t"Ein fetter Absatz von mehr als sechzig Zeichen ist eine Hervorhebung.")',
            'w:p/w:r/w:t"Text."',
            f'w:p/(w:pPr/w:pStyle{{w:val=Label}},w:r/({bold},w:t"Etikett"))',  # its style is bold: fine
            'w:p/w:r/w:t"Text."',
            'w:p/w:r/(w:rPr/w:b{w:val=0},w:t"Nicht fett")',
            'w:p/w:r/w:t"Text."',
            "w:tbl/(w:tblPr,"
            f'w:tr/(w:trPr/w:tblHeader,w:tc/w:p/w:r/({bold},w:t"Maßnahme"),w:tc/w:p/w:r/({bold},w:t"1.1.1")),'
            f'w:tr/(w:tc/w:p/w:r/({bold},w:t"Federführung"),w:tc/w:p/w:r/w:t"Kreisvolkshochschule"),'
            f'w:tr/(w:tc/w:p/w:r/({bold},w:t"Partner"),w:tc/w:p/w:r/w:t"Jobcenter"))',
        ]
    )
    findings = check_document(document_with(tmp_path, styles, body))
    assert [(f.rule, f.where, f.message) for f in findings] == [
        (
            "bold-label",
            "paragraph 1 “Ziele”",
            "a short paragraph is made bold by direct formatting and stands as a heading or label",
        ),
        (
            "bold-label",
            "table 1",
            "2 cells hold a label made bold by direct formatting (“Federführung”, “Partner”)",
        ),
    ]


def test_a_hairline_separator_between_tables_is_no_empty_paragraph(tmp_path: Path) -> None:
    """Word needs a paragraph between two tables; 1 pt high it makes no space. A 12 pt one does."""
    cells = 'w:tr/(w:trPr/w:tblHeader,w:tc/w:p/w:r/w:t"Ort")'
    hairline = "w:p/w:pPr/w:spacing{w:before=0,w:after=0,w:line=20,w:lineRule=exact}"
    spacer = "w:p/w:pPr/w:spacing{w:before=0,w:after=0,w:line=240,w:lineRule=exact}"
    body = f'w:tbl/(w:tblPr,{cells}),{hairline},w:tbl/(w:tblPr,{cells}),{spacer},w:p/w:r/w:t"Text"'
    findings = check_document(document_with(tmp_path, "w:styles", body))
    assert [(f.rule, f.where) for f in findings] == [("empty-paragraph", "paragraph 4")]  # the spacer


def test_content_controls_are_read_as_the_text_they_hold(tmp_path: Path) -> None:
    """Word shows what a content control (w:sdt) holds as ordinary text: a bold line in it is a heading
    in all but name, an empty paragraph in it makes space."""
    body = (
        'w:p/w:r/w:t"Vorher.",'
        "w:sdt/(w:sdtPr,w:sdtContent/("
        'w:p/w:r/(w:rPr/w:b,w:t"Kapitel im Steuerelement"),w:p/w:r/w:t"Text darunter.",'
        'w:p,w:p/w:r/w:t"Weiter."))'
    )
    findings = check_document(document_with(tmp_path, "w:styles", body))
    assert [(f.rule, f.where) for f in findings] == [
        ("empty-paragraph", "paragraph 4"),
        ("bold-label", "paragraph 2 “Kapitel im Steuerelement”"),
    ]


def test_an_empty_paragraph_below_a_bold_or_large_line_does_not_hide_it(tmp_path: Path) -> None:
    body = (
        'w:p/w:r/(w:rPr/(w:b,w:sz{w:val=32}),w:t"Große Zwischenüberschrift"),w:p,w:p,'
        'w:p/w:r/w:t"Text darunter.",'
        'w:p/w:r/(w:rPr/w:sz{w:val=40},w:t"Großer Titel"),w:p,w:p/w:r/w:t"Text."'
    )
    findings = check_document(document_with(tmp_path, "w:styles", body))
    assert [(f.rule, f.where) for f in findings if f.rule != "empty-paragraph"] == [
        ("bold-label", "paragraph 1 “Große Zwischenüberschrift”"),
        ("size-heading", "paragraph 5 “Großer Titel”"),
    ]


def test_a_bold_label_with_a_colon_that_is_not_bold_is_a_label_still(tmp_path: Path) -> None:
    body = 'w:p/(w:r/(w:rPr/w:b,w:t"Zeitraum"),w:r/w:t":"),w:p/w:r/w:t"2025 bis 2027"'
    [finding] = check_document(document_with(tmp_path, "w:styles", body))
    assert (finding.rule, finding.where) == ("bold-label", "paragraph 1 “Zeitraum:”")


def test_a_heading_made_by_a_larger_font_alone_is_found(tmp_path: Path) -> None:
    from tests.test_word import style

    styles = "w:styles/({})".format(style("Normal", "Normal", "w:rPr/w:sz{w:val=22}"))
    body = (
        'w:p/w:r/(w:rPr/w:sz{w:val=40},w:t"Großer Titel"),w:p/w:r/w:t"Text darunter.",'
        'w:p/w:r/(w:rPr/w:sz{w:val=24},w:t"Kaum größer"),w:p/w:r/w:t"Text."'
    )
    findings = check_document(document_with(tmp_path, styles, body))
    assert [(f.rule, f.where, f.message, f.fix) for f in findings] == [
        (
            "size-heading",
            "paragraph 1 “Großer Titel”",
            "a short paragraph is set in larger type by direct formatting and stands as a heading",
            "give it a heading style (Heading 1, 2 …) instead of a larger font size",
        )
    ]


def picture_document(path: Path, *, description: str, title: str, decorative: str | None) -> Path:
    document = Document()
    document.core_properties.title = "Bilder"
    image = path.parent / "bild.png"
    image.write_bytes(png(20, 20))
    document.add_picture(str(image))
    properties = document.element.body.findall(".//{*}docPr")[-1]
    for name, value in (("descr", description), ("title", title)):
        if value:
            properties.set(name, value)
    if decorative is not None:
        properties.append(
            parse_xml(
                '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
                '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
                f' val="{decorative}"/></a:ext></a:extLst>'
            )
        )
    document.save(str(path))
    return path


def test_alt_text_where_word_and_libreoffice_read_it(tmp_path: Path) -> None:
    """Word reads descr, LibreOffice (its checker, its HTML export, its PDF) the title; Word's mark
    “decorative” needs neither, and val="0" says the picture is not decorative."""
    cases = {
        "beides": ("Balken in Blau", "Diagramm", None),
        "schmuck": ("", "", "1"),
        "nicht-schmuck": ("", "", "0"),
        "nur-beschreibung": ("Balken in Blau", "", None),
        "nur-titel": ("", "Diagramm", None),
        "dateiname": ("IMG_0042.JPG", "Foto", None),
    }
    found = {}
    for name, (description, title, decorative) in cases.items():
        path = picture_document(
            tmp_path / f"{name}.docx", description=description, title=title, decorative=decorative
        )
        found[name] = [(f.rule, f.message) for f in check_document(path)]
    assert found == {
        "beides": [],
        "schmuck": [],
        "nicht-schmuck": [("alt-text", "an image has no alternative text")],
        "nur-beschreibung": [
            (
                "alt-text",
                "an image has its alternative text only as a description, without a title: LibreOffice – its"
                " checker, its HTML export – reads the title and finds none",
            )
        ],
        "nur-titel": [
            (
                "alt-text",
                "an image has its alternative text only as a title, without a description: Word, and screen"
                " readers reading with it, read the description and find none",
            )
        ],
        "dateiname": [("alt-text", "an image's alternative text is a file name, “IMG_0042.JPG”")],
    }


TEXT_BOX = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:r><w:drawing>'
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0"'
    ' locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="2000000" cy="600000"/><wp:wrapSquare wrapText="bothSides"/>'
    '<wp:docPr id="77" name="Textfeld 1"/><a:graphic>'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    '<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent><w:p><w:r><w:t>Stand: Entwurf</w:t>'
    "</w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
    "</wp:anchor></w:drawing></w:r></w:p>"
)


def test_a_text_box_is_called_a_text_box(tmp_path: Path) -> None:
    """LibreOffice tags a text box as a Figure, which PDF/UA asks alt text of: its text belongs in a
    paragraph."""
    document = Document()
    document.core_properties.title = "Textfeld"
    document.add_paragraph("Text")
    document.element.body.insert(0, parse_xml(TEXT_BOX))
    path = tmp_path / "textfeld.docx"
    document.save(str(path))
    assert [(f.rule, f.message, f.fix) for f in check_document(path)] == [
        (
            "alt-text",
            "a text box has no alternative text",
            "put its text into an ordinary paragraph; a PDF tags a text box as a figure, which needs alt"
            " text",
        ),
        ("inline-image", "a text box floats beside the text", "put its text into an ordinary paragraph"),
    ]


def test_floating_images_nested_tables_merged_cells_and_protection_are_found(tmp_path: Path) -> None:
    body = ",".join(
        [
            "w:p/w:r/w:drawing/wp:anchor/wp:docPr{id=1,name=Bild,descr=Balken in Blau,title=Diagramm}",
            "w:tbl/(w:tblPr,"
            'w:tr/(w:trPr/w:tblHeader,w:tc/w:p/w:r/w:t"Ort",w:tc/w:p/w:r/w:t"Datum"),'
            'w:tr/(w:tc/w:p/w:r/w:t"Goslar",w:tc/(w:tbl/(w:tblPr,w:tr/(w:trPr/w:tblHeader,w:tc/w:p/w:r/w:t"innen")),w:p/w:r/w:t"30.11.")))',
            'w:p/w:r/w:t"Zwischen den Tabellen.",'
            "w:tbl/(w:tblPr,"
            'w:tr/(w:trPr/w:tblHeader,w:tc/w:p/w:r/w:t"Ort",w:tc/w:p/w:r/w:t"Datum"),'
            'w:tr/(w:tc/(w:tcPr/w:gridSpan{w:val=2},w:p/w:r/w:t"Goslar, 30. November")))',
        ]
    )
    path = document_with(tmp_path, "w:styles", body)
    protected = Document(str(path))
    protected.settings.element.append(
        parse_xml(f'<w:documentProtection {nsdecls("w")} w:edit="readOnly" w:enforcement="1"/>')
    )
    protected.save(str(path))
    findings = check_document(path)
    assert [(f.rule, f.where, f.message) for f in findings] == [
        ("inline-image", "paragraph 1", "an image floats beside the text"),
        ("nested-table", "table 1", "a table contains another table"),
        ("merged-cells", "table 3", "the table has merged cells"),
        ("protection", "settings", "the document is protected"),
    ]


@pytest.mark.parametrize(
    ("alt", "named"),
    [
        ("logo.png", True),
        ("C:\\Users\\Max Muster\\Bilder\\Wappen Goslar.JPG", True),
        ("bilder/logo-kreis.svg", True),
        ("Wappen des Landkreises Goslar", False),
        ("Das Logo zeigt die Datei logo.png nicht", False),
    ],
)
def test_an_alt_text_that_is_a_file_name_or_path_is_known(alt: str, named: bool) -> None:
    assert is_file_name(alt) is named

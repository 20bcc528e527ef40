"""The reference document ``template init --reference`` writes: every style, each on a sample.

A designer opens it in Word, changes the styles in the style dialog (fonts,
colours, spacing, the two table styles), the page set-up, header and footer –
and every document the tool writes takes that design. The text names each
style so that it can be found; no paragraph holds a template tag.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from .word import TABLE_ROLES

CONCEPT_TABLE = TABLE_ROLES["table"][0]
PROFILE_TABLE = TABLE_ROLES["profile"][0]

# (style, sample text): in the order the documents use them
SAMPLES = [
    ("Cover Logos", "[Logos der Partner und Förderer] (Cover Logos)"),
    (
        "Cover District",
        "Landkreis Muster (Cover District: der Name der Gebietskörperschaft auf dem Titelblatt)",
    ),
    ("Title", "Integrations- und Teilhabekonzept (Title)"),
    ("Subtitle", "für den Landkreis Muster (Subtitle)"),
    ("Cover Variant", "Kurzfassung (Cover Variant: der Name einer Fassung)"),
    ("Cover Meta", "Version 1.0 · Entwurf · 31. Januar 2025 (Cover Meta)"),
    ("Cover Draft", "ENTWURF (Cover Draft)"),
    ("Cover Small", "Prozessbegleitung, Partner und Programm (Cover Small)"),
    ("TOC Heading", "Inhalt (TOC Heading)"),
    ("toc 1", "1 Ein Kapitel im Inhaltsverzeichnis (toc 1)\t3"),
    ("toc 2", "Ein Abschnitt im Inhaltsverzeichnis (toc 2)\t4"),
    ("toc 3", "Ein Unterabschnitt im Inhaltsverzeichnis (toc 3)\t4"),
    ("Heading 1", "Überschrift 1 (heading 1): ein Kapitel"),
    (
        "Body Text",
        "Textkörper (Body Text): der Fließtext des Konzepts. Er steht in Kapiteln, Beschreibungen "
        "und Erläuterungen, meist mehrere Sätze lang, damit Zeilen- und Absatzabstände zu sehen sind.",
    ),
    ("Heading 2", "Überschrift 2 (heading 2): ein Handlungsfeld"),
    ("Meta Line", "Querschnittsthemen: Interkulturelle Öffnung (Meta Line)"),
    ("Heading 3", "Überschrift 3 (heading 3): Ziele"),
    ("Heading 4", "Überschrift 4 (heading 4): Ziel 1.1 Alle Kinder sprechen Deutsch"),
    ("Example Note", "Beispielinhalt (Example Note: kennzeichnet illustrative Inhalte)"),
    ("Label", "Zwischenüberschrift ohne Gliederung (Label)"),
    ("List Bullet", "Aufzählung (List Bullet)"),
    ("List Bullet 2", "Aufzählung, zweite Ebene (List Bullet 2)"),
    ("List Bullet 3", "Aufzählung, dritte Ebene (List Bullet 3)"),
    ("List Number", "Nummerierte Liste (List Number)"),
    ("List Number 2", "Nummerierte Liste, zweite Ebene (List Number 2)"),
    ("List Number 3", "Nummerierte Liste, dritte Ebene (List Number 3)"),
    ("Citation", "„Eine Stimme aus dem Beteiligungsprozess.“ (Citation)"),
    ("Quote Attribution", "– Vorname Name, Funktion (Quote Attribution)"),
    ("Caption", "Abbildung 1: Beschriftung einer Abbildung oder Tabelle (Caption)"),
    ("Chart", "[Hier steht ein Diagramm] (Chart)"),
    ("Sheet Heading", "Maßnahme 1.1.1 Überschrift eines Steckbriefs im Maßnahmenkatalog (Sheet Heading)"),
    ("Small Text", "Kleine Schrift für Kontaktangaben im Impressum (Small Text)"),
    ("Signature", "Vorname Name (Signature)"),
    ("Signature Role", "Landrat (Signature Role)"),
]


def sample_reference(template: bytes) -> bytes:
    """A reference document with the styles, page and numbering of ``template`` and sample text."""
    document = Document(io.BytesIO(template))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _header_and_footer(document)
    document.add_paragraph(
        "Hausdesign für concept_builder: Ändern Sie die Formatvorlagen dieser Datei in Word (Start › "
        "Formatvorlagen), dazu Seitenränder, Kopf- und Fußzeile. Der Text ist nur ein Muster; "
        "jede Fassung des Konzepts übernimmt das Design.",
        style="Body Text",
    )
    for style, text in SAMPLES:
        paragraph = document.add_paragraph(style=style)
        _runs(paragraph, text)
        if style == "Body Text":
            _inline_styles(document)
        if style == "Caption":
            _concept_table(document)
            document.add_paragraph(
                "Text direkt unter einer Tabelle (Body Text After Table).", style="Body Text After Table"
            )
            _profile_table(document)
    buffer = io.BytesIO()
    document.core_properties.title = "Hausdesign"
    document.save(buffer)
    return buffer.getvalue()


def _runs(paragraph: Paragraph, text: str) -> None:
    for index, part in enumerate(text.split("\t")):
        if index:
            paragraph.add_run().add_tab()
        paragraph.add_run(part)


def _inline_styles(document: WordDocument) -> None:
    paragraph = document.add_paragraph(style="Body Text")
    paragraph.add_run("Zeichenformate im Text: ")
    paragraph.add_run("hervorgehoben (Strong)", style="Strong")
    paragraph.add_run(", ")
    paragraph.add_run("ein Link (Hyperlink)", style="Hyperlink")
    paragraph.add_run(" und ")
    paragraph.add_run("Beispielinhalt (Example Note Char)", style="Example Note Char")
    paragraph.add_run(".")


def _concept_table(document: WordDocument) -> None:
    table = document.add_table(rows=3, cols=3)
    table.style = document.styles[CONCEPT_TABLE]
    _look(table, first_row=True)
    for row_index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Table Heading" if row_index == 0 else "Table Text"]
            paragraph.add_run(
                f"Kopfzeile ({CONCEPT_TABLE})"
                if row_index == 0 and column == 0
                else "Spalte"
                if row_index == 0
                else "Tabellentext (Table Text)"
            )
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def _profile_table(document: WordDocument) -> None:
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles[PROFILE_TABLE]
    _look(table, first_column=True)
    for label, value, row in (
        (
            f"Bezeichnung ({PROFILE_TABLE}, Table Heading)",
            "Angabe eines Steckbriefs (Table Text)",
            table.rows[0],
        ),
        ("Status", "geplant", table.rows[1]),
    ):
        label_paragraph, value_paragraph = (cell.paragraphs[0] for cell in row.cells)
        label_paragraph.style = document.styles["Table Heading"]
        label_paragraph.add_run(label)
        value_paragraph.style = document.styles["Table Text"]
        value_paragraph.add_run(value)


def _look(table: object, *, first_row: bool = False, first_column: bool = False) -> None:
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    for look in properties.findall(qn("w:tblLook")):
        properties.remove(look)
    properties.append(
        parse_xml(
            f'<w:tblLook {nsdecls("w")} w:firstRow="{int(first_row)}" w:lastRow="0"'
            f' w:firstColumn="{int(first_column)}" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        )
    )


def _header_and_footer(document: WordDocument) -> None:
    """Sample header and footer: the template's own hold tags, which a reference must not."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    for run in list(header.runs):
        run._r.getparent().remove(run._r)
    header.add_run("Landkreis Muster")
    footer = section.footer.paragraphs[0]
    for child in list(footer._p):
        if child.tag != qn("w:pPr"):
            footer._p.remove(child)
    footer.add_run("Integrations- und Teilhabekonzept")
    footer.add_run().add_tab()
    footer.add_run("Seite ")
    _field(footer, "PAGE")
    footer.add_run(" von ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {{ns}}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {ns}><w:t>1</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))

"""Small PDFs that each break one rule of the PDF check, and one that breaks none.

Word documents are written with python-docx and converted by LibreOffice in
one run, with the export options of our build (tagged, PDF/UA); the others
are the clean PDF changed with pikepdf in exactly one place. ``make_triggers``
writes them all into a folder and returns their paths by name.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from concept_builder.libreoffice import PDF_FILTER, SOFFICE_ENVIRONMENT
from tests.conftest import png

BODY = (
    "Der Landkreis Goslar hat in den vergangenen Jahren viele Menschen aufgenommen, "
    "die hier eine neue Heimat suchen und finden."
)


def document(title: str) -> WordDocument:
    word = Document()
    word.core_properties.title = title
    for level in (1, 2, 3):  # python-docx's headings are a lighter blue than 4.5:1 allows
        word.styles[f"Heading {level}"].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    word.core_properties.language = "de-DE"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if run_defaults is not None:
            run_defaults.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="de-DE"/>'))
    return word


def add_link(word: WordDocument, text: str, url: str) -> None:
    """A link as Word writes it; LibreOffice makes a link annotation only where its style exists."""
    word.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER).font.underline = True
    relation = word.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph = word.add_paragraph("Mehr im ")
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{relation}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
            f"</w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>"
        )
    )


def add_header_table(word: WordDocument, rows: list[list[str]], *, header: bool = True) -> None:
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for cells, row in zip(rows, table.rows, strict=True):
        for text, cell in zip(cells, row.cells, strict=True):
            cell.text = text
    if header:
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def add_picture(word: WordDocument, folder: Path, description: str) -> None:
    image = folder / "bild.png"
    image.write_bytes(png(40, 20))
    word.add_picture(str(image), width=Cm(4))
    properties = word.element.body.findall(".//{*}docPr")[-1]
    properties.set("descr", description)


def clean(folder: Path) -> WordDocument:
    """Everything the rules look at, done right: the base of the changed PDFs."""
    word = document("Integrationskonzept")
    word.add_heading("Integrationskonzept", level=1)
    word.add_paragraph(BODY)
    add_link(word, "Integrationsportal des Landkreises", "https://www.landkreis-goslar.de/")
    add_picture(word, folder, "Balken in Blau")
    word.add_heading("Ziele", level=2)
    for text in ("Sprache lernen", "Arbeit finden"):
        word.add_paragraph(text, style="List Number")
    add_header_table(word, [["Ziel", "Indikator"], ["Sprache", "Kurse"], ["Arbeit", "Stellen"]])
    return word


def broken_words(folder: Path) -> WordDocument:
    word = document("Schmale Spalten")
    word.add_heading("Maßnahmen", level=1)
    rows = [
        ["Federführung", "Partner", "Beschreibung"],
        [
            "Kreisvolkshochschule",
            "Sprach- und Integrationskurse",
            "Die Kurse finden im Haus der Vereine statt",
        ],
    ]
    add_header_table(word, rows)
    table = word.tables[0]
    table.autofit = False
    for column in table.columns:
        column.width = Cm(2.2)
        for cell in column.cells:
            cell.width = Cm(2.2)
    return word


def split_table(folder: Path) -> WordDocument:
    word = document("Geteilte Tabelle")
    word.add_heading("Maßnahme 1.1.1", level=1)
    word.add_paragraph(BODY).paragraph_format.space_after = Pt(520)
    rows = [["Merkmal", "Angabe"]] + [[f"Zeile {n}", "Kreisvolkshochschule Goslar"] for n in range(1, 9)]
    add_header_table(word, rows)
    return word


def heading_at_foot(folder: Path) -> WordDocument:
    word = document("Überschrift unten")
    word.add_heading("Ausgangslage", level=1)
    word.add_paragraph(BODY)
    heading = word.add_heading("Ziele", level=2)
    heading.paragraph_format.keep_with_next = False
    word.add_paragraph(BODY).paragraph_format.page_break_before = True
    return word


def heading_only_page(folder: Path) -> WordDocument:
    word = document("Nur eine Überschrift")
    word.add_heading("Vorwort", level=1)
    word.add_paragraph(BODY)
    word.add_heading("Anhang", level=1).paragraph_format.page_break_before = True
    word.add_paragraph("Die Tabellen des Anhangs.").paragraph_format.page_break_before = True
    return word


def toc_without_numbers(folder: Path) -> WordDocument:
    word = document("Inhalt ohne Seiten")
    word.add_paragraph("Inhalt", style="TOC Heading")
    for entry in ("1 Einleitung", "2 Ziele"):
        word.add_paragraph(entry)
    for title in ("1 Einleitung", "2 Ziele"):
        word.add_heading(title, level=1)
        word.add_paragraph(BODY)
    return word


def list_start(folder: Path) -> WordDocument:
    """A numbered list that begins at 3: a new numbering instance that starts there."""
    word = document("Liste ab drei")
    word.add_heading("Schritte", level=1)
    numbering = word.part.numbering_part.element
    style_numbering = word.styles["List Number"].element.find(
        f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}"
    )
    assert style_numbering is not None
    [instance] = numbering.xpath(f'w:num[@w:numId="{style_numbering.get(qn("w:val"))}"]')
    abstract = instance.find(qn("w:abstractNumId")).get(qn("w:val"))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="99"><w:abstractNumId w:val="{abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>'
        )
    )
    for text in ("Anmelden", "Teilnehmen"):
        paragraph = word.add_paragraph(text, style="List Number")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="99"/></w:numPr>')
        )
    return word


def skipped_heading(folder: Path) -> WordDocument:
    word = document("Sprung")
    word.add_heading("Handlungsfelder", level=1)
    word.add_heading("Bildung und Sprache", level=3)
    word.add_paragraph(BODY)
    return word


def standard_style_names(folder: Path) -> WordDocument:
    """Paragraph styles named like PDF structure types: LibreOffice remaps those types to P."""
    word = document("Stilnamen")
    word.add_heading("Stimmen", level=1)
    word.add_paragraph("„Hier bin ich angekommen.“", style="Quote")  # Word's built-in Quote style
    word.styles.add_style("Figure", WD_STYLE_TYPE.PARAGRAPH)
    word.add_paragraph("Abbildung folgt", style="Figure")
    return word


def symbol_bullets(folder: Path) -> WordDocument:
    """python-docx's List Bullet draws U+F0B7 of the Symbol font, as Word's default bullet does."""
    word = document("Symbol-Aufzählung")
    word.add_heading("Angebote", level=1)
    for text in ("Sprachkurse", "Beratung"):
        word.add_paragraph(text, style="List Bullet")
    return word


def table_without_header(folder: Path) -> WordDocument:
    word = document("Tabelle ohne Kopf")
    word.add_heading("Termine", level=1)
    add_header_table(
        word, [["Datum", "Ort"], ["30. November", "Goslar"], ["1. Dezember", "Seesen"]], header=False
    )
    return word


WORD_TRIGGERS: dict[str, Callable[[Path], WordDocument]] = {
    "clean": clean,
    "broken-words": broken_words,
    "split-table": split_table,
    "heading-at-foot": heading_at_foot,
    "heading-only-page": heading_only_page,
    "toc-without-numbers": toc_without_numbers,
    "list-start": list_start,
    "skipped-heading": skipped_heading,
    "standard-style-names": standard_style_names,
    "symbol-bullets": symbol_bullets,
    "table-without-header": table_without_header,
}


def convert_with_libreoffice(program: str, documents: list[Path], out_dir: Path) -> None:
    """Every document to PDF in one LibreOffice run, with our build's export options."""
    profile = out_dir / "profile"  # its own profile: parallel runs must not share one
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        PDF_FILTER,
        "--outdir",
        str(out_dir),
        *map(str, documents),
    ]
    environment = {**os.environ, **SOFFICE_ENVIRONMENT}
    subprocess.run(
        ["timeout", "-k", "10", "300", *command], capture_output=True, timeout=330, env=environment
    )


# --- the clean PDF, changed in one place ---------------------------------------------------------


def tabs_as_name(pdf: pikepdf.Pdf) -> None:
    """/Tabs as the name /S, as PDF/UA asks; LibreOffice 7.4 writes the string (S) (``tabs-as-string``)."""
    for page in pdf.pages:
        if "/Annots" in page.obj:
            page.obj.Tabs = pikepdf.Name.S


def tag_pictures(pdf: pikepdf.Pdf) -> None:
    """Pictures painted inside their Figure, as in the PDFs we publish.

    LibreOffice 7.4, converting these documents here, paints a picture as an
    artifact beside an empty Figure; ``figure-as-artifact`` keeps that.
    """
    figures = structure_elements(pdf, "Figure")
    parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    for page in pdf.pages:
        marked = parents[int(page.obj.StructParents)]
        instructions = list(pikepdf.parse_content_stream(page))
        xobjects = page.obj.Resources.get("/XObject")
        images = {
            str(name)
            for name, xobject in (xobjects.items() if isinstance(xobjects, pikepdf.Dictionary) else [])
            if xobject.get("/Subtype") == pikepdf.Name.Image
        }
        for index, instruction in enumerate(instructions):
            painted = str(instruction.operator) == "Do" and str(instruction.operands[0]) in images
            if not painted or not figures:
                continue
            opening = max(i for i in range(index) if str(instructions[i].operator) in ("BMC", "BDC"))
            figure = figures.pop(0)
            mcid = len(marked)
            instructions[opening] = pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Figure, pikepdf.Dictionary(MCID=mcid)], pikepdf.Operator("BDC")
            )
            figure.K = mcid
            figure.Pg = page.obj
            marked.append(figure)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def structure_elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Object]:
    found = []
    pending = [pdf.Root.StructTreeRoot]
    while pending:
        element = pending.pop()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                pending.append(kid)
        if element.get("/S") == pikepdf.Name("/" + kind):
            found.append(element)
    return found


def untagged(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.MarkInfo


def no_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Lang


def no_title(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        del metadata["dc:title"]
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def no_ua_identifier(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        del metadata["pdfuaid:part"]


def first_heading_h2(pdf: pikepdf.Pdf) -> None:
    """Every heading one level down: the document begins with H2."""
    for level in (2, 1):
        for heading in structure_elements(pdf, f"H{level}"):
            heading.S = pikepdf.Name(f"/H{level + 1}")


def figure_without_alt(pdf: pikepdf.Pdf) -> None:
    for figure in structure_elements(pdf, "Figure"):
        del figure.Alt


def figure_as_artifact(pdf: pikepdf.Pdf) -> None:
    """The image painted as an artifact and its Figure left empty, as LibreOffice does for some charts."""
    page = pdf.pages[0]
    instructions: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) == "BDC" and instruction.operands[0] == pikepdf.Name.Figure:
            instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
        instructions.append(instruction)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    for figure in structure_elements(pdf, "Figure"):
        del figure.K


def untagged_content(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"q 0 0 1 rg 100 100 50 50 re f Q"), prepend=False)


def fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [font for _, font in pdf.pages[0].Resources.Font.items()]


def font_not_embedded(pdf: pikepdf.Pdf) -> None:
    del fonts(pdf)[0].FontDescriptor.FontFile2


def font_without_unicode(pdf: pikepdf.Pdf) -> None:
    del fonts(pdf)[0].ToUnicode


def link_untagged(pdf: pikepdf.Pdf) -> None:
    for annotation in pdf.pages[0].Annots:
        del annotation.StructParent


def empty_paragraph(pdf: pikepdf.Pdf) -> None:
    """An empty P, as LibreOffice tags an empty paragraph."""
    [document] = structure_elements(pdf, "Document")
    empty = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document, Pg=pdf.pages[0].obj)
    )
    document.K.append(empty)


def tabs_as_string(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Tabs = pikepdf.String("S")


PDF_TRIGGERS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "untagged": untagged,
    "no-language": no_language,
    "no-title": no_title,
    "no-ua-identifier": no_ua_identifier,
    "first-heading-h2": first_heading_h2,
    "figure-without-alt": figure_without_alt,
    "figure-as-artifact": figure_as_artifact,
    "untagged-content": untagged_content,
    "font-not-embedded": font_not_embedded,
    "font-without-unicode": font_without_unicode,
    "link-untagged": link_untagged,
    "tabs-as-string": tabs_as_string,
    "empty-paragraph": empty_paragraph,
}


def make_triggers(program: str, folder: Path) -> dict[str, Path]:
    """Every trigger PDF in ``folder``, by name; LibreOffice runs once."""
    documents = []
    for name, make in WORD_TRIGGERS.items():
        path = folder / f"{name}.docx"
        make(folder).save(str(path))
        documents.append(path)
    convert_with_libreoffice(program, documents, folder)
    pdfs = {name: folder / f"{name}.pdf" for name in WORD_TRIGGERS}
    missing = [name for name, path in pdfs.items() if not path.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}"
    for path in pdfs.values():
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            tabs_as_name(pdf)
            tag_pictures(pdf)
            pdf.save(path)
    for name, change in PDF_TRIGGERS.items():
        with pikepdf.open(pdfs["clean"]) as pdf:
            change(pdf)
            pdfs[name] = folder / f"{name}.pdf"
            pdf.save(pdfs[name])
    return pdfs

"""Small PDFs that each break one rule of the PDF check, and one that breaks none.

Word documents are written with python-docx and converted by LibreOffice in
one run, with the export options of our build (tagged, PDF/UA); the others
are the clean PDF changed with pikepdf in exactly one place, and charts as
matplotlib writes them, for fonts LibreOffice does not write (Type 3, CID
fonts). ``make_triggers`` writes them all into a folder and returns their
paths by name.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def add_picture(word: WordDocument, folder: Path, description: str, title: str = "Diagramm") -> None:
    """A picture with its alt text where Word reads it (descr) and where LibreOffice does (title)."""
    image = folder / "bild.png"
    image.write_bytes(png(40, 20))
    word.add_picture(str(image), width=Cm(4))
    properties = word.element.body.findall(".//{*}docPr")[-1]
    properties.set("descr", description)
    properties.set("title", title)


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


def empty_page(folder: Path) -> WordDocument:
    """A page break, then an empty paragraph alone on its page before the next page break."""
    word = document("Leere Seite")
    word.add_heading("Vorwort", level=1)
    word.add_paragraph(BODY)
    word.add_paragraph().paragraph_format.page_break_before = True
    word.add_heading("Anhang", level=1).paragraph_format.page_break_before = True
    word.add_paragraph("Die Tabellen des Anhangs.")
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


def comment(folder: Path) -> WordDocument:
    """A comment left in the document: LibreOffice exports it as an annotation outside the tags."""
    word = document("Mit Kommentar")
    word.add_heading("Ziele", level=1)
    paragraph = word.add_paragraph(BODY)
    word.add_comment(paragraph.runs, text="Bitte prüfen", author="Prüfer")
    return word


WORD_TRIGGERS: dict[str, Callable[[Path], WordDocument]] = {
    "clean": clean,
    "broken-words": broken_words,
    "split-table": split_table,
    "heading-at-foot": heading_at_foot,
    "heading-only-page": heading_only_page,
    "empty-page": empty_page,
    "toc-without-numbers": toc_without_numbers,
    "list-start": list_start,
    "skipped-heading": skipped_heading,
    "standard-style-names": standard_style_names,
    "symbol-bullets": symbol_bullets,
    "table-without-header": table_without_header,
    "comment": comment,
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
        if "/StructParents" not in page.obj:  # a page without tagged content (``empty-page``)
            continue
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


SaveOptions = dict[str, Any]


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


def figure_alt_file_name(pdf: pikepdf.Pdf) -> None:
    """As some programs fill it in when a picture is inserted."""
    for figure in structure_elements(pdf, "Figure"):
        figure.Alt = pikepdf.String("logo.png")


def figure_alt_twice(pdf: pikepdf.Pdf) -> None:
    """LibreOffice's “title - description” of a picture whose description begins with its title."""
    for figure in structure_elements(pdf, "Figure"):
        figure.Alt = pikepdf.String("Wappen des Landkreises - Wappen des Landkreises: ein Löwe")


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
    """The fonts of page 1 by their resource names (/F1, /F2 …)."""
    return [font for _, font in sorted(pdf.pages[0].Resources.Font.items())]


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


def kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    found = element.get("/K")
    return list(found) if isinstance(found, pikepdf.Array) else [] if found is None else [found]


def new_element(pdf: pikepdf.Pdf, kind: str, parent: pikepdf.Object, **entries: Any) -> pikepdf.Object:
    element = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + kind), P=parent, **entries)
    )
    parent.K = pikepdf.Array([*kids(parent), element])
    return element


def document_element(pdf: pikepdf.Pdf) -> pikepdf.Object:
    [document] = structure_elements(pdf, "Document")
    return document


def move(element: pikepdf.Object, old_parent: pikepdf.Object, new_parent: pikepdf.Object) -> None:
    old_parent.K = pikepdf.Array([kid for kid in kids(old_parent) if kid.objgen != element.objgen])
    new_parent.K = pikepdf.Array([*kids(new_parent), element])
    element.P = new_parent


def add_annotation(pdf: pikepdf.Pdf, **entries: Any) -> pikepdf.Object:
    annotation = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Rect=[100, 100, 140, 120], F=4, **entries)
    )
    pdf.pages[0].obj.Annots.append(annotation)
    return annotation


def restyled(pdf: pikepdf.Pdf, kind: str) -> None:
    """The first paragraph (LibreOffice's “Standard”) made an element of another type."""
    structure_elements(pdf, "Standard")[-1].S = pikepdf.Name("/" + kind)


def pdf_2_header(pdf: pikepdf.Pdf) -> SaveOptions:
    return {"force_version": "2.0"}


def no_accessibility(pdf: pikepdf.Pdf) -> SaveOptions:
    """Encrypted so that assistive technology may not extract the text (bit 10 of /P clear)."""
    permissions = pikepdf.Permissions(accessibility=False, extract=False)
    return {
        "encryption": pikepdf.Encryption(
            owner="geheim", user="", R=3, aes=False, metadata=False, allow=permissions
        )
    }


def suspects(pdf: pikepdf.Pdf) -> None:
    pdf.Root.MarkInfo.Suspects = True


def invalid_language(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Lang = pikepdf.String("deutsch_DE")


def language_not_a_tag(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Lang = pikepdf.String("deutsch")


def no_metadata(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Metadata


def list_item_outside_list(pdf: pikepdf.Pdf) -> None:
    [items] = structure_elements(pdf, "L")
    move(kids(items)[-1], items, document_element(pdf))


def paragraph_in_list(pdf: pikepdf.Pdf) -> None:
    [items] = structure_elements(pdf, "L")
    new_element(pdf, "P", items, Alt=pikepdf.String("Noch ein Ziel"))


def row_outside_table(pdf: pikepdf.Pdf) -> None:
    [table] = structure_elements(pdf, "Table")
    move(kids(table)[-1], table, document_element(pdf))


def contents_entry_outside_contents(pdf: pikepdf.Pdf) -> None:
    new_element(pdf, "TOCI", document_element(pdf), Alt=pikepdf.String("1 Ziele"))


def wrong_parent(pdf: pikepdf.Pdf) -> None:
    [table] = structure_elements(pdf, "Table")
    structure_elements(pdf, "H2")[0].P = table


def two_table_heads(pdf: pikepdf.Pdf) -> None:
    [table] = structure_elements(pdf, "Table")
    rows = kids(table)
    parts = [
        new_element(pdf, "THead", table, K=pikepdf.Array([rows[0]])),
        new_element(pdf, "THead", table, K=pikepdf.Array([rows[1]])),
        new_element(pdf, "TBody", table, K=pikepdf.Array(rows[2:])),
    ]
    for row, part in zip(rows, [parts[0], parts[1], parts[2]], strict=True):
        row.P = part
    table.K = pikepdf.Array(parts)


def short_row(pdf: pikepdf.Pdf) -> None:
    """The last row with a cell too few: as a merged cell without its span looks."""
    [table] = structure_elements(pdf, "Table")
    row = kids(table)[-1]
    row.K = pikepdf.Array(kids(row)[:-1])


def header_without_scope(pdf: pikepdf.Pdf) -> None:
    for header in structure_elements(pdf, "TH"):
        del header.A


def marked_content(pdf: pikepdf.Pdf, *, artifact_inside: bool) -> None:
    """The first tagged sequence of page 1 wrapped in an artifact, or holding an empty one."""
    instructions = list(pikepdf.parse_content_stream(pdf.pages[0]))
    tagged = next(
        i
        for i, instruction in enumerate(instructions)
        if str(instruction.operator) == "BDC"
        and isinstance(instruction.operands[1], pikepdf.Dictionary)
        and "/MCID" in instruction.operands[1]
    )
    artifact = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    end = pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))
    if artifact_inside:
        instructions[tagged + 1 : tagged + 1] = [artifact, end]
    else:
        depth, close = 0, tagged
        for close in range(tagged, len(instructions)):
            operator = str(instructions[close].operator)
            depth += operator in ("BDC", "BMC")
            depth -= operator == "EMC"
            if depth == 0:
                break
        instructions[close + 1 : close + 1] = [end]
        instructions[tagged:tagged] = [artifact]
    pdf.pages[0].obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def tagged_in_artifact(pdf: pikepdf.Pdf) -> None:
    marked_content(pdf, artifact_inside=False)


def artifact_in_tagged(pdf: pikepdf.Pdf) -> None:
    marked_content(pdf, artifact_inside=True)


def add_form(pdf: pikepdf.Pdf, content: bytes, drawing: bytes, **entries: Any) -> None:
    page = pdf.pages[0]
    form = pdf.make_stream(
        content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10], **entries
    )
    if "/XObject" not in page.Resources:
        page.Resources.XObject = pikepdf.Dictionary()
    page.Resources.XObject["/Zusatz"] = form
    page.contents_add(pdf.make_stream(drawing), prepend=False)


def form_drawn_twice(pdf: pikepdf.Pdf) -> None:
    """A form holding tagged content, drawn twice: which of the two places does its tag mean?"""
    add_form(
        pdf,
        b"/P <</MCID 0>> BDC 0 0 1 rg 0 0 5 5 re f EMC",
        b"q /Zusatz Do Q q 1 0 0 1 20 20 cm /Zusatz Do Q",
        StructParents=50,
    )


def reference_xobject(pdf: pikepdf.Pdf) -> None:
    other = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, F=pikepdf.String("anhang.pdf"), UF=pikepdf.String("anhang.pdf")
    )
    add_form(pdf, b"", b"/Artifact BMC q /Zusatz Do Q EMC", Ref=pikepdf.Dictionary(F=other, Page=0))


def h_and_h1(pdf: pikepdf.Pdf) -> None:
    """An unnumbered heading H beside the numbered ones."""
    restyled(pdf, "H")


def formula_without_alt(pdf: pikepdf.Pdf) -> None:
    restyled(pdf, "Formula")


def note_without_id(pdf: pikepdf.Pdf) -> None:
    restyled(pdf, "Note")


def note_annotation(pdf: pikepdf.Pdf) -> None:
    """A sticky note, as a reviewer leaves one: an annotation no Annot element holds."""
    add_annotation(pdf, Subtype=pikepdf.Name.Text, Contents=pikepdf.String("Bitte prüfen"))


def link_without_description(pdf: pikepdf.Pdf) -> None:
    for annotation in pdf.pages[0].Annots:
        del annotation.Contents


def form_field(pdf: pikepdf.Pdf) -> None:
    """A text field, neither tagged in a Form element nor named for readers (/TU)."""
    field = add_annotation(pdf, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx, T=pikepdf.String("name"))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))


def dynamic_form(pdf: pikepdf.Pdf) -> None:
    template = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><config><present><pdf>'
        b"<dynamicRender>required</dynamicRender></pdf></present></config></xdp:xdp>"
    )
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(template))
    pdf.Root.NeedsRendering = True


def unnamed_layers(pdf: pikepdf.Pdf) -> None:
    layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Ebene")))
    configuration = pikepdf.Dictionary(Order=pikepdf.Array([layer]))
    pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=pikepdf.Array([layer]), D=configuration)


def embedded_file(pdf: pikepdf.Pdf) -> None:
    """A file attached with its old-style name only (/F, no /UF)."""
    data = pdf.make_stream(b"Anhang", Type=pikepdf.Name.EmbeddedFile)
    specification = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F=pikepdf.String("anhang.txt"), EF=pikepdf.Dictionary(F=data)
        )
    )
    files = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("anhang.txt"), specification]))
    pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=files)


def media_clip(pdf: pikepdf.Pdf) -> None:
    video = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, F=pikepdf.String("film.mp4"), UF=pikepdf.String("film.mp4")
    )
    clip = pikepdf.Dictionary(Type=pikepdf.Name.MediaClip, S=pikepdf.Name.MCD, D=video)
    rendition = pikepdf.Dictionary(S=pikepdf.Name.MR, C=clip)
    action = pikepdf.Dictionary(S=pikepdf.Name.Rendition, R=rendition)
    add_annotation(pdf, Subtype=pikepdf.Name.Screen, Contents=pikepdf.String("Film"), A=action)


def first_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return fonts(pdf)[0]


def unicode_nothing(pdf: pikepdf.Pdf) -> None:
    """The Unicode map gives its first character U+0000."""
    font = first_font(pdf)
    data = re.sub(
        rb"(beginbfchar\s*<[0-9A-Fa-f]+>\s*)<[0-9A-Fa-f]+>",
        rb"\1<0000>",
        font.ToUnicode.read_bytes(),
        count=1,
    )
    font.ToUnicode = pdf.make_stream(data)


def glyph_widths(pdf: pikepdf.Pdf) -> None:
    font = first_font(pdf)
    font.Widths = pikepdf.Array([int(width) + 100 for width in font.Widths])


def damaged_font_program(pdf: pikepdf.Pdf) -> None:
    """The embedded font cut off after 200 bytes."""
    descriptor = first_font(pdf).FontDescriptor
    descriptor.FontFile2 = pdf.make_stream(descriptor.FontFile2.read_bytes()[:200])


def symbolic_with_encoding(pdf: pikepdf.Pdf) -> None:
    """LibreOffice's fonts are symbolic, without /Encoding, as PDF/A asks; here one has one."""
    first_font(pdf).Encoding = pikepdf.Name.WinAnsiEncoding


def text_beside_its_font(pdf: pikepdf.Pdf) -> None:
    """Text in a subset font with characters the subset does not have (and outside the tags)."""
    name = sorted(pdf.pages[0].Resources.Font.keys())[0]
    pdf.pages[0].contents_add(
        pdf.make_stream(f"BT {name} 12 Tf 100 100 Td (Hallo) Tj ET".encode()), prepend=False
    )


PDF_TRIGGERS: dict[str, Callable[[pikepdf.Pdf], SaveOptions | None]] = {
    "untagged": untagged,
    "no-language": no_language,
    "no-title": no_title,
    "no-ua-identifier": no_ua_identifier,
    "first-heading-h2": first_heading_h2,
    "figure-without-alt": figure_without_alt,
    "figure-alt-file-name": figure_alt_file_name,
    "figure-alt-twice": figure_alt_twice,
    "figure-as-artifact": figure_as_artifact,
    "untagged-content": untagged_content,
    "font-not-embedded": font_not_embedded,
    "font-without-unicode": font_without_unicode,
    "link-untagged": link_untagged,
    "tabs-as-string": tabs_as_string,
    "empty-paragraph": empty_paragraph,
    "pdf-2-header": pdf_2_header,
    "no-accessibility": no_accessibility,
    "suspects": suspects,
    "invalid-language": invalid_language,
    "language-not-a-tag": language_not_a_tag,
    "no-metadata": no_metadata,
    "list-item-outside-list": list_item_outside_list,
    "paragraph-in-list": paragraph_in_list,
    "row-outside-table": row_outside_table,
    "contents-entry-outside-contents": contents_entry_outside_contents,
    "wrong-parent": wrong_parent,
    "two-table-heads": two_table_heads,
    "short-row": short_row,
    "header-without-scope": header_without_scope,
    "tagged-in-artifact": tagged_in_artifact,
    "artifact-in-tagged": artifact_in_tagged,
    "form-drawn-twice": form_drawn_twice,
    "reference-xobject": reference_xobject,
    "h-and-h1": h_and_h1,
    "formula-without-alt": formula_without_alt,
    "note-without-id": note_without_id,
    "note-annotation": note_annotation,
    "link-without-description": link_without_description,
    "form-field": form_field,
    "dynamic-form": dynamic_form,
    "unnamed-layers": unnamed_layers,
    "embedded-file": embedded_file,
    "media-clip": media_clip,
    "unicode-nothing": unicode_nothing,
    "glyph-widths": glyph_widths,
    "symbolic-with-encoding": symbolic_with_encoding,
    "damaged-font-program": damaged_font_program,
    "text-beside-its-font": text_beside_its_font,
}


# --- fonts as other programs write them -----------------------------------------------------------


def chart_pdf(path: Path, fonttype: int) -> None:
    """A chart as matplotlib writes it: Type 3 fonts (``fonttype`` 3) or TrueType as CID fonts (42)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"pdf.fonttype": fonttype}):
        figure = plt.figure(figsize=(2, 1))
        figure.text(0.1, 0.5, "Grüße 2024")
        figure.savefig(path, metadata={"Creator": None, "Producer": None, "CreationDate": None})
        plt.close(figure)


def cid_font(pdf: pikepdf.Pdf) -> tuple[pikepdf.Object, pikepdf.Object]:
    font = next(iter(pdf.pages[0].Resources.Font.values()))
    return font, font.DescendantFonts[0]


def cid_without_gid_map(pdf: pikepdf.Pdf) -> None:
    del cid_font(pdf)[1].CIDToGIDMap


def cid_widths(pdf: pikepdf.Pdf) -> None:
    cid_font(pdf)[1].W = pikepdf.Array([0, pikepdf.Array([5000] * 300)])


def cmap_not_embedded(pdf: pikepdf.Pdf) -> None:
    cid_font(pdf)[0].Encoding = pikepdf.Name("/Eigene-H")


def cid_set_short(pdf: pikepdf.Pdf) -> None:
    cid_font(pdf)[1].FontDescriptor.CIDSet = pdf.make_stream(b"\x80")


def cmap_of_another_collection(pdf: pikepdf.Pdf) -> None:
    """An embedded CMap for Japanese (Adobe-Japan1), vertical, on a font of another collection."""
    japanese = pikepdf.Dictionary(
        Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Japan1"), Supplement=0
    )
    program = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Japan1) /Supplement 0 >> def /CMapName /Eigen def /CMapType 1 def /WMode 1 def"
        b" 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 begincidrange <0000> <FFFF> 0 endcidrange"
        b" endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    cid_font(pdf)[0].Encoding = pdf.make_stream(
        program, Type=pikepdf.Name.CMap, CMapName=pikepdf.Name("/Eigen"), CIDSystemInfo=japanese, WMode=0
    )


CID_FONT_TRIGGERS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "cid-without-gid-map": cid_without_gid_map,
    "cid-widths": cid_widths,
    "cmap-not-embedded": cmap_not_embedded,
    "cid-set-short": cid_set_short,
    "cmap-of-another-collection": cmap_of_another_collection,
}


def make_font_triggers(folder: Path) -> dict[str, Path]:
    """matplotlib's PDFs (untagged) with its fonts as it writes them, and the CID font changed.

    Its Unicode maps give ranges as arrays (``<20> <20> [<0020>]``), valid PDF
    that page-validation 0.11 reads as malformed; they are rewritten one code
    to a line, so that the triggers break nothing but their own rule.
    """
    pdfs = {"type3-font": folder / "type3-font.pdf", "cid-font": folder / "cid-font.pdf"}
    chart_pdf(pdfs["type3-font"], 3)
    chart_pdf(pdfs["cid-font"], 42)
    with pikepdf.open(pdfs["cid-font"], allow_overwriting_input=True) as pdf:
        font = cid_font(pdf)[0]
        unicode = font.ToUnicode.read_bytes()
        font.ToUnicode = pdf.make_stream(re.sub(rb"\[<(\w+)>\]", rb"<\1>", unicode))
        pdf.save(pdfs["cid-font"])
    with pikepdf.open(pdfs["type3-font"]) as pdf:
        del next(iter(pdf.pages[0].Resources.Font.values())).ToUnicode
        pdfs["type3-without-unicode"] = folder / "type3-without-unicode.pdf"
        pdf.save(pdfs["type3-without-unicode"])
    for name, change in CID_FONT_TRIGGERS.items():
        with pikepdf.open(pdfs["cid-font"]) as pdf:
            change(pdf)
            pdfs[name] = folder / f"{name}.pdf"
            pdf.save(pdfs[name])
    return pdfs


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
            options = change(pdf) or {}
            pdfs[name] = folder / f"{name}.pdf"
            pdf.save(pdfs[name], **options)
    return {**pdfs, **make_font_triggers(folder)}

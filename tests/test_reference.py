"""A district's house style from one ordinary Word file: every variant takes it, and nothing breaks.

The reference document here is made as a designer would from a blank Word
document: another font and colour, narrower margins, headings numbered by
Word itself, a logo in the header – and style ids as a German Word writes
them ("berschrift1" for the style named "heading 1").
"""

from __future__ import annotations

import copy
import html
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips
from lxml import etree

import concept_builder
from concept_builder import VARIANTS, BuildOptions
from concept_builder.check import check_document
from concept_builder.colours import Palette, contrast_ratio
from concept_builder.reference import with_reference
from concept_builder.template import default_template
from concept_builder.toc import numbered_headings
from concept_builder.word import CHARACTER_ROLES, PARAGRAPH_ROLES, R_NS, W_NS, StyleMap, Styles
from tests.conftest import GOSLAR, MINIMAL, ROOT, WriteInputs, png, require_soffice, validate_with_word

GREEN = "2E7D32"
FONT = "DejaVu Sans"
LOGO_ALT = "Wappen des Landkreises Oberwald"


def german_ids(document: object) -> None:
    """Style ids as a German Word writes them; the names stay Word's English ones."""
    styles = document.styles.element  # type: ignore[attr-defined]
    renamed = {
        "Heading1": "berschrift1",
        "Heading2": "berschrift2",
        "Heading3": "berschrift3",
        "Heading4": "berschrift4",
        "Normal": "Standard",
    }
    for style in styles.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id in renamed:
            style.set(qn("w:styleId"), renamed[style_id])
        for link in ("w:basedOn", "w:next", "w:link"):
            element = style.find(qn(link))
            if element is not None and element.get(qn("w:val")) in renamed:
                element.set(qn("w:val"), renamed[element.get(qn("w:val"))])


def district_reference(path: Path) -> Path:
    document = Document()
    styles = document.styles.element
    fonts = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    fonts.clear()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[name]
        style.font.italic = False
        style.font.color.rgb = None
        style.font.color.theme_color = None
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_color().set(qn("w:val"), GREEN)
    numbering = document.part.numbering_part.element
    levels = "".join(  # Word's "1.", "1.1", "1.1.1" … on every heading level
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="Heading{index + 1}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for index, text in enumerate(("%1.", "%1.%2", "%1.%2.%3", "%1.%2.%3.%4"))
    )
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
            f"{levels}</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level in (1, 2, 3, 4):
        numbered = document.styles[f"Heading {level}"].element.get_or_add_pPr().get_or_add_numPr()
        numbered.get_or_add_ilvl().val = level - 1
        numbered.get_or_add_numId().val = 90
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as a German Word's blank document
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Cm(2)
    logo = path.parent / "wappen.png"
    logo.write_bytes(png(120, 60))
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(logo), height=Cm(1))
    header.add_run(" Landkreis Oberwald")
    docpr = section.header._element.find(".//{*}docPr")
    docpr.set("descr", LOGO_ALT)
    footer = section.footer.paragraphs[0]
    footer.add_run("Landkreis Oberwald – Hausdesign")
    german_ids(document)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def styled(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every variant of both samples in the district's design."""
    out = tmp_path_factory.mktemp("styled")
    reference = district_reference(out / "hausdesign.docx")
    documents = []
    for folder in (GOSLAR, ROOT / "inputs" / "goslar-2021"):
        options = BuildOptions(out_dir=out / folder.name, reference_doc=reference, for_name="Stadt Seesen")
        [outcome] = concept_builder.build_many([folder], options, variants=list(VARIANTS))
        assert isinstance(outcome, list), outcome
        documents += [result.path for result in outcome]
    return documents


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


def test_every_variant_takes_the_design(styled: list[Path]) -> None:
    for path in styled:
        styles = part(path, "word/styles.xml")
        document = part(path, "word/document.xml")
        defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
        assert defaults and f'w:ascii="{FONT}"' in defaults.group(0), path.name
        assert re.search(rf'w:styleId="berschrift1".*?<w:color w:val="{GREEN}"', styles, re.S), path.name
        assert '<w:pStyle w:val="berschrift1"/>' in document, path.name  # our headings in their style
        assert '<w:pStyle w:val="Heading1"/>' not in document, path.name
        assert re.search(r'<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"', document), (
            path.name
        )
        headers = [part(path, n) for n in zipfile.ZipFile(path).namelist() if n.startswith("word/header")]
        assert any(f'descr="{LOGO_ALT}"' in header for header in headers), path.name
        # the styles the reference lacks (our tables) take its colour, darkened for white text on it
        table_fill = Palette.from_accent(GREEN).primary
        assert re.search(rf'w:styleId="ConceptTable".*?w:fill="{table_fill}"', styles, re.S), path.name
        assert contrast_ratio(table_fill, "FFFFFF") >= 4.5
        # the contents show the design's numbers ("2. Anlass und Auftrag"): entries, not a typed list
        assert not [f for f in check_document(path) if f.rule == "typed-list"], path.name
        validate_with_word(path)


def test_the_contents_links_and_numbering_still_work(styled: list[Path]) -> None:
    for path in styled:
        document = part(path, "word/document.xml")
        anchors = set(re.findall(r'w:anchor="([^"]+)"', document))
        bookmarks = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', document))
        assert anchors and anchors <= bookmarks, (path.name, anchors - bookmarks)
        styles = Styles(parse_xml(part(path, "word/styles.xml").encode()))
        used = re.findall(r'<w:pStyle w:val="([^"]+)"/>', document)
        levels = [styles.outline_level(style) for style in used]
        deepest = int(re.findall(r'TOC \\o "1-(\d)"', document)[0])
        headings = sum(1 for level in levels if level is not None and level <= deepest)
        entries = len(re.findall(r'<w:hyperlink w:anchor="_Toc\d+"', document))
        assert entries == headings, path.name  # one entry per heading, found by outline level


def story_lines(path: Path, kind: str) -> list[str]:
    """The paragraphs' text of a document's default header or footer (``kind``)."""
    document = Document(str(path))
    story = getattr(document.sections[-1], kind)
    return [paragraph.text for paragraph in story.paragraphs]


def test_the_designs_header_and_footer_keep_the_draft_mark_name_and_page_numbers(styled: list[Path]) -> None:
    """The design's footer line says nothing of the document: ours follows it, page numbers included."""
    for path in styled:
        footer = story_lines(path, "footer")
        assert footer[0] == "Landkreis Oberwald – Hausdesign", path.name
        ours = [line for line in footer[1:] if " · Version " in line and "Seite" in line]
        assert ours, (path.name, footer)
        if path.stem.endswith("kurzfassung"):
            assert "Kurzfassung" in ours[0], ours
        header = story_lines(path, "header")
        assert header[0].endswith("Landkreis Oberwald"), path.name
        assert ("ENTWURF" in header) == ("v0-9" in path.name), (path.name, header)  # Goslar's draft


def test_even_pages_of_a_design_keep_what_ours_says_and_links_that_work() -> None:
    """A design with left and right pages: each side's own lines, then ours – drawn from our header
    and footer, not from the odd side already merged – and every link of a footer resolvable."""
    document = Document()
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    odd = section.footer.paragraphs[0]
    link = odd.part.relate_to("https://www.oberwald.de", RT.HYPERLINK, is_external=True)
    odd._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{link}">'
            "<w:r><w:t>www.oberwald.de</w:t></w:r></w:hyperlink>"
        )
    )
    section.even_page_footer.paragraphs[0].add_run("Landkreis Oberwald – linke Seite")
    section.even_page_header.paragraphs[0].add_run("Gerade Seite")
    buffer = io.BytesIO()
    document.save(buffer)

    merged = Document(io.BytesIO(with_reference(default_template().read_bytes(), buffer.getvalue()).data))

    built = merged.sections[-1]
    even_footer = [p.text for p in built.even_page_footer.paragraphs]
    assert even_footer[0] == "Landkreis Oberwald – linke Seite" and "www.oberwald.de" not in even_footer
    assert "{{ meta.title }}" in even_footer[1]
    assert [p.text for p in built.even_page_header.paragraphs][1:] == [
        "{%p if draft %}",
        "{{ labels.draft }}",
        "{%p endif %}",
    ]
    for story in (built.footer, built.even_page_footer, built.header, built.even_page_header):
        for node in story._element.iter():
            for key, value in node.attrib.items():
                if key.startswith(f"{{{R_NS}}}"):
                    assert value in story.part.rels, (story.part.partname, value)


def test_a_design_that_numbers_its_pages_keeps_ours_from_numbering_them_twice(tmp_path: Path) -> None:
    document = Document()
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run("Seite ")
    for code in ("begin", " PAGE ", "end"):
        run = footer.add_run()
        if code.strip() == "PAGE":
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve">{code}</w:instrText>'))
        else:
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{code}"/>'))
    buffer = io.BytesIO()
    document.save(buffer)
    merged = with_reference(default_template("kurzfassung").read_bytes(), buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(merged.data)) as package:
        xml = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/footer"))
    assert xml.count("PAGE ") == 1 and "NUMPAGES" not in xml  # the design's number alone
    lines = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p\b.*?</w:p>", xml)]
    assert lines[0] == "Seite "
    assert (
        lines[1] == "{{ meta.title }}{% if variant.title %} · {{ variant.title }}{% endif %} · "
        "{{ labels.version }} {{ meta.version }}"
    )


OWN_NUMBER = re.compile(r"(Handlungsfeld|Ziel|Maßnahme) \d")


def test_the_design_numbers_the_chapters_and_our_own_numbers_stand_alone(styled: list[Path]) -> None:
    """Word numbers "1. Anlass und Auftrag"; never "6.2 Handlungsfeld 1" or "6.2.3.1 Maßnahme 1.2.1"."""
    for path in styled:
        document = part(path, "word/document.xml")
        with zipfile.ZipFile(path) as package:
            styles = StyleMap.parse(package.read("word/styles.xml"), package.read("word/numbering.xml"))
        headings = numbered_headings(document.encode(), styles)  # the numbers Word shows, as the contents do
        own = [(label, text) for _, label, text in headings if OWN_NUMBER.match(text)]
        assert own, path.name
        assert all(label == "" for label, _ in own), (path.name, [o for o in own if o[0]][:3])
        # within a theme nothing is numbered by the design either ("6.2.2 Ziele")
        assert not any(label.count(".") > 2 for _, label, _ in headings), path.name
        entries = re.findall(r'<w:hyperlink w:anchor="_Toc\d+"[^>]*><w:r><w:t[^>]*>([^<]*)</w:t>', document)
        listed = [f"{label} {text}" if label else text for level, label, text in headings if level <= 2]
        assert [html.unescape(entry) for entry in entries] == listed, path.name
    full = numbered_headings(
        part(styled[0], "word/document.xml").encode(),
        StyleMap.parse(*(zipfile.ZipFile(styled[0]).read(f"word/{n}.xml") for n in ("styles", "numbering"))),
    )
    chapters = [(label, text) for level, label, text in full if level == 1]
    assert chapters[:3] == [("", "Vorwort"), ("1.", "Anlass und Auftrag"), ("2.", "Ausgangslage")]
    assert ("", "Impressum") in chapters  # unnumbered in the default design, unnumbered here
    titles = [text for _, label, text in full]
    assert not any(re.match(r"\d+ ", title) for title in titles)  # our chapter numbers step aside


TAGS_IN_A_FOOTER = {
    "text": "<w:r><w:t>{{ cycler.__init__ }}</w:t></w:r>",
    "text over runs": "<w:r><w:t>{</w:t></w:r><w:r><w:t>{ 7 * 7 }}</w:t></w:r>",
    "field code": (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText>{{ 'INCLUDE' ~ 'PICTURE' }} \"http://127.0.0.1:9/a.png\"</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    ),
    "attribute": '<w:r><w:rPr><w:rFonts w:ascii="{% for a in range(9) %}{% endfor %}"/></w:rPr></w:r>',
}


@pytest.mark.parametrize("where", TAGS_IN_A_FOOTER)
def test_a_reference_with_template_tags_anywhere_is_refused(
    tmp_path: Path, write_inputs: WriteInputs, where: str
) -> None:
    """docxtpl would render a footer's whole XML: a reference brings no tag in text, field or attribute."""
    document = Document()
    footer = document.sections[0].footer.paragraphs[0]._p
    for run in parse_xml(f"<w:p {nsdecls('w')}>{TAGS_IN_A_FOOTER[where]}</w:p>"):
        footer.append(run)
    document.save(str(tmp_path / "boese.docx"))
    with pytest.raises(
        concept_builder.TemplateError, match=r"its footer \(word/footer1.xml\) holds template tags"
    ):
        concept_builder.build_folder(
            GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=tmp_path / "boese.docx")
        )
    assert not (tmp_path / "out").exists()
    folder = write_inputs(MINIMAL + "reference_doc: boese.docx\n")
    (folder / "boese.docx").write_bytes((tmp_path / "boese.docx").read_bytes())
    [problem] = concept_builder.validate_folder(folder).errors
    assert "reference_doc: its footer (word/footer1.xml) holds template tags" in str(problem)


def test_the_reference_document_written_for_designers_restyles_everything(
    tmp_path: Path, goslar_docx: Path
) -> None:
    """template init --reference: no tags; restyling its table style colours every table."""
    path = concept_builder.init_template(tmp_path, reference=True)
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "{{" not in text and "{%" not in text
    used = {p.style.name for p in document.paragraphs if p.style is not None}
    for style in ("Title", "Heading 1", "Body Text", "Citation", "Example Note", "List Bullet", "Caption"):
        assert style in used
    table_style = document.styles["Concept Table"].element
    fill = table_style.find(f"{qn('w:tblStylePr')}/{qn('w:tcPr')}/{qn('w:shd')}")
    fill.set(qn("w:fill"), "8B1E3F")  # a designer's bordeaux
    document.save(str(path))
    result = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=path))
    styles = part(result.path, "word/styles.xml")
    assert re.search(r'w:styleId="ConceptTable".*?w:fill="8B1E3F"', styles, re.S)
    with zipfile.ZipFile(result.path) as package:
        charts = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert charts  # the charts take the design's colour: drawn anew, not the default blue
    with zipfile.ZipFile(goslar_docx) as package:
        assert {package.read(n) for n in package.namelist() if n.startswith("word/media/")}.isdisjoint(charts)


@pytest.mark.libreoffice
def test_page_numbers_are_found_for_headings_the_design_numbers(tmp_path: Path) -> None:
    """LibreOffice's outline shows "3.1 Ziele"; each contents entry still gets its page."""
    require_soffice()
    reference = district_reference(tmp_path / "hausdesign.docx")
    result = concept_builder.build_folder(
        GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=reference, page_numbers=True, pdf=True)
    )
    assert result.page_numbers and result.pdf is not None
    import pdfplumber

    with pdfplumber.open(result.pdf) as pdf:  # the numbers as LibreOffice lays them out, in the contents too
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    assert any(re.match(r"1\. ?Anlass und Auftrag", line) for line in lines)
    doubled = [line for line in lines if re.match(r"\d+(\.\d+)*\.? ?(Handlungsfeld|Ziel|Maßnahme) \d", line)]
    assert not doubled, doubled[:3]
    document = part(result.path, "word/document.xml")
    entries = re.findall(r'<w:hyperlink w:anchor="(_Toc\d+)"[^>]*>(.*?)</w:hyperlink>', document, re.S)
    pages = [
        re.search(r"PAGEREF " + name + r" \\h </w:instrText>.*?<w:t>(\d+)</w:t>", body, re.S)
        for name, body in entries
    ]
    assert entries and all(pages), [name for (name, _), page in zip(entries, pages, strict=True) if not page]
    numbers = [int(page.group(1)) for page in pages if page]
    assert numbers == sorted(numbers) and numbers[0] >= 2  # in document order, after the cover


# --- fonts: the design's, on every style ------------------------------------------------------------


def families_in_use(path: Path) -> dict[str, str]:
    """Each style the document's text uses, by name, and the font family it resolves to."""
    with zipfile.ZipFile(path) as package:
        styles = Styles(parse_xml(package.read("word/styles.xml")))
        parts = [
            package.read(n).decode()
            for n in package.namelist()
            if re.match(r"word/(document|header|footer)", n)
        ]
    used = {style_id for xml in parts for style_id in re.findall(r'<w:pStyle w:val="([^"]+)"/>', xml)}
    families = {styles.name(style_id): styles.text_format(style_id).family for style_id in used}
    for xml in parts:  # character styles and runs name no font of their own: their paragraph's applies
        for style_id in set(re.findall(r'<w:rStyle w:val="([^"]+)"/>', xml)):
            fonts = [s.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") for s in styles.chain(style_id)]
            families[styles.name(style_id)] = (
                "(its paragraph's)" if not any(f is not None for f in fonts) else "?"
            )
        assert "<w:rFonts" not in xml
    return families


def test_every_style_takes_the_font_of_the_designs_normal_style(tmp_path: Path) -> None:
    """A design that sets its font once, on Normal, gets it on every style the documents use."""
    document = Document()
    for style in document.styles.element.iter(qn("w:style")):
        for fonts in list(style.iter(qn("w:rFonts"))):
            fonts.getparent().remove(fonts)
    document.styles["Normal"].font.name = "DejaVu Serif"
    document.save(str(tmp_path / "serif.docx"))
    options = BuildOptions(out_dir=tmp_path / "out", reference_doc=tmp_path / "serif.docx")
    [outcome] = concept_builder.build_many([GOSLAR], options, variants=["all"])
    assert isinstance(outcome, list)
    for result in outcome:
        families = families_in_use(result.path)
        assert {"Heading 1", "Table Text", "toc 1", "Citation", "Cover District"} & set(families)
        wrong = {
            name: family
            for name, family in families.items()
            if family not in ("DejaVu Serif", "(its paragraph's)")
        }
        assert not wrong, (result.path.name, wrong)
    # an own template that names its font in every style still takes the design's
    template = Document(str(ROOT / "templates" / "default.docx"))
    for style in template.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.name != "Normal":
            style.font.name = "Arial"
    template.save(str(tmp_path / "arial.docx"))
    options = replace(options, template=tmp_path / "arial.docx", out_dir=tmp_path / "own")
    result = concept_builder.build_folder(GOSLAR, options)
    assert set(families_in_use(result.path).values()) <= {"DejaVu Serif", "(its paragraph's)"}


def test_the_worked_example_changes_the_font_in_one_place(tmp_path: Path) -> None:
    """docs/templates.md: set Normal's font in the file `template init --reference` writes; that is all."""
    path = concept_builder.init_template(tmp_path, reference=True)
    document = Document(str(path))
    normal = document.styles["Normal"]
    normal.font.name = FONT  # what Word's style dialog writes: the font in Normal's run properties
    normal.font.size = Pt(11)
    document.save(str(path))
    result = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=path))
    families = families_in_use(result.path)
    wrong = {name: family for name, family in families.items() if family not in (FONT, "(its paragraph's)")}
    assert not wrong


# --- headers as Word 365 writes them -----------------------------------------------------------------

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word 365's SVG picture, beside its PNG


def word_365_reference(path: Path) -> Path:
    """A logo as SVG (with Word's PNG fallback), a second as EMF, and headers for even pages."""
    document = Document()
    section = document.sections[0]
    logo = path.parent / "wappen.png"
    logo.write_bytes(png(120, 60))
    header = section.header
    run = header.paragraphs[0].add_run()
    run.add_picture(str(logo), height=Cm(1))
    header_part = header.part
    svg = Part(
        PackURI("/word/media/wappen.svg"),
        "image/svg+xml",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="12" height="6"/>',
        header_part.package,
    )
    blip = header_part.element.find(".//{*}blip")
    blip.append(
        parse_xml(
            '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<a:ext uri="{SVG_EXTENSION}">'
            '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
            f' xmlns:r="{R_NS}" r:embed="{header_part.relate_to(svg, RT.IMAGE)}"/></a:ext></a:extLst>'
        )
    )
    emf = Part(
        PackURI("/word/media/siegel.emf"),
        "image/x-emf",
        b"\x01\x00\x00\x00" + b"\x00" * 84,
        header_part.package,
    )
    second = copy.deepcopy(run._r)
    second.find(".//{*}blip").set(f"{{{R_NS}}}embed", header_part.relate_to(emf, RT.IMAGE))
    second.find(".//{*}docPr").set("id", "7")
    run._r.addnext(second)
    for docpr in header_part.element.iter(qn("wp:docPr")):
        docpr.set("descr", LOGO_ALT)
    header.paragraphs[0].add_run(" Landkreis Oberwald")
    document.settings.odd_and_even_pages_header_footer = True
    section.even_page_header.paragraphs[0].add_run("Gerade Seite – Landkreis Oberwald")
    document.save(str(path))
    return path


def test_a_word_365_header_with_svg_and_emf_logos_and_even_pages_arrives(tmp_path: Path) -> None:
    reference = word_365_reference(tmp_path / "hausdesign.docx")
    result = concept_builder.build_folder(
        GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=reference)
    )
    with zipfile.ZipFile(result.path) as package:
        media = {n.rsplit(".", 1)[-1] for n in package.namelist() if n.startswith("word/media/reference")}
    assert media == {"png", "svg", "emf"}  # carried over as they are, the SVG beside its PNG
    built = Document(str(result.path))
    assert built.settings.odd_and_even_pages_header_footer
    section = built.sections[-1]
    even_header = [p.text for p in section.even_page_header.paragraphs]
    assert even_header == ["Gerade Seite – Landkreis Oberwald", "ENTWURF"]  # Goslar's is a draft
    even_footer = section.even_page_footer
    assert not even_footer.is_linked_to_previous
    # the even pages keep the page number that the odd pages' footer has
    assert any(" PAGE " in (t.text or "") for t in even_footer._element.iter(qn("w:instrText")))
    validate_with_word(result.path)


@pytest.mark.libreoffice
def test_contents_entries_that_wrap_on_a_letter_page_keep_their_links_tagged(tmp_path: Path) -> None:
    """A narrower page than the contents styles were made for: long measure titles wrap, the page
    numbers stay at the margin, and every link of the PDF stays in its Link element (PDF/UA).
    """
    require_soffice()
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Twips(12240), Twips(15840)  # US Letter
    section.left_margin = section.right_margin = Twips(1800)  # a text 15.2 cm wide: the styles' tab is at 16
    document.save(str(tmp_path / "letter.docx"))
    options = BuildOptions(
        out_dir=tmp_path / "out",
        reference_doc=tmp_path / "letter.docx",
        variant="massnahmenkatalog",
        pdf=True,
    )
    result = concept_builder.build_folder(GOSLAR, options)
    assert result.pdf is not None
    findings = check_document(result.pdf)
    assert not [f for f in findings if f.rule.startswith("pdf-link")], findings


def test_what_readers_would_stumble_over_in_a_reference_is_named_at_build(tmp_path: Path) -> None:
    """A logo without alternative text, a style too pale to read: taken, with a note saying what to do."""
    document = Document()  # python-docx's blank document: its "Caption" is #4F81BD, 4.0:1 on white
    logo = tmp_path / "wappen.png"
    logo.write_bytes(png(120, 60))
    document.sections[0].header.paragraphs[0].add_run().add_picture(str(logo), height=Cm(1))
    document.save(str(tmp_path / "blass.docx"))
    result = concept_builder.build_folder(
        GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=tmp_path / "blass.docx")
    )
    assert result.path.exists()
    pictures = [n for n in result.notes if "has no alternative text" in n]
    assert len(pictures) == 1 and pictures[0].startswith("blass.docx: the picture “Picture 1” in its header")
    assert "Alternativtext bearbeiten" in pictures[0]
    assert any(
        n.startswith(
            "blass.docx: its styles “heading 2”, “heading 3”, “heading 4”, “Subtitle”, “caption” set"
        )
        and "text #4F81BD on #FFFFFF, a contrast of 4.0:1" in n
        for n in result.notes
    ), result.notes


@pytest.mark.parametrize(
    ("properties", "note"),
    [
        ("descr=Wappen der Stadt Hellerbrück,title=Wappen", None),
        (
            "descr=Wappen der Stadt Hellerbrück",  # as Word's "Edit Alt Text" writes it
            "has its alternative text only as a description, without a title: the documents give it its"
            " description as its title too, which LibreOffice's checker and HTML export read",
        ),
        (
            "title=Wappen der Stadt Hellerbrück",
            "has its alternative text only as a title, without a description: the documents give it its"
            " title as its description too, which Word and the PDF read",
        ),
        ("descr=,title=", "has no alternative text, so `check` reports it: describe the image"),
    ],
)
def test_a_header_picture_is_named_at_build_as_check_would_find_it(properties: str, note: str | None) -> None:
    """The build and ``check``'s alt-text rule agree: Word and the PDF read the description,
    LibreOffice's checker and HTML export the title; a picture with one gets the other, one with
    neither is named with what to do."""
    from types import SimpleNamespace

    from concept_builder.check.docx_content import images
    from concept_builder.reference.page import _pictures_without_text
    from tests.cxml import element

    header = element(f"w:hdr/w:p/w:r/w:drawing/wp:inline/wp:docPr{{id=1,name=Logo,{properties}}}")
    notes = _pictures_without_text(header, "hausdesign.docx")
    part = SimpleNamespace(root=header, where=lambda paragraph: "header 1")  # what the check reads of it
    findings = [f.message for f in images(SimpleNamespace(parts=[part], body=None))]  # type: ignore[arg-type]
    if note is None:
        assert notes == [] and findings == []
    elif "`check`" in note:
        [text] = notes
        assert text.startswith(f"hausdesign.docx: the picture “Logo” in its header {note}")
        assert findings == ["an image has no alternative text"]
    else:
        assert notes == [f"hausdesign.docx: the picture “Logo” in its header {note}"]
        assert findings == []  # what the document gets passes the check
        [properties_element] = header.iter("{*}docPr")
        assert properties_element.get("descr") == "Wappen der Stadt Hellerbrück"
        assert properties_element.get("title") == "Wappen der Stadt Hellerbrück"


def test_a_nested_list_under_a_design_whose_list_styles_do_not_nest_keeps_its_levels(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """Word's own "List Bullet 2" is a list of its own with the same bullet as "List Bullet": under such
    a design a nested list is still one list, its deeper levels marked "–" as in our own look, with no
    space between the levels (one style for all its items)."""
    description = (
        "description: |\n          Kurse:\n\n          - Erstens\n            - Zwei a\n"
        "            - Zwei b\n          - Drittens\n"
    )
    folder = write_inputs(MINIMAL.replace("description: Kurse für alle.", description))
    Document().save(str(tmp_path / "word.docx"))  # python-docx's blank document: Word's own list styles
    result = concept_builder.build_folder(
        folder, BuildOptions(out_dir=tmp_path / "out", reference_doc=tmp_path / "word.docx")
    )
    document = Document(str(result.path))
    items = {
        p.text: (p.style.name if p.style else "", p._p.xpath("string(w:pPr/w:numPr/w:ilvl/@w:val)"))
        for p in document.paragraphs
        if p.text in ("Erstens", "Zwei a", "Zwei b", "Drittens")
    }
    assert items == {
        "Erstens": ("List Bullet", "0"),
        "Zwei a": ("List Bullet", "1"),
        "Zwei b": ("List Bullet", "1"),
        "Drittens": ("List Bullet", "0"),
    }
    [number] = {  # one list
        p._p.xpath("string(w:pPr/w:numPr/w:numId/@w:val)") for p in document.paragraphs if p.text in items
    }
    numbering = document.part.numbering_part.element
    [abstract_id] = numbering.xpath(f'w:num[@w:numId="{number}"]/w:abstractNumId/@w:val')
    texts = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl/w:lvlText/@w:val')
    assert texts == ["•", "–"]
    validate_with_word(result.path)


def style_names_in_use(data: bytes) -> set[str]:
    """The names of the styles a package's text uses (body, headers and footers)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = Styles(parse_xml(package.read("word/styles.xml")))
        parts = [package.read(n) for n in package.namelist() if re.match(r"word/(document|header|footer)", n)]
    used = {
        i.decode()
        for xml in parts
        for i in re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml)
    }
    return {styles.name(style_id) for style_id in used if style_id in styles.by_id}


def test_the_reference_document_shows_every_style_the_documents_use() -> None:
    """A designer restyles what the sample shows: every style of every template and of prepared content."""
    sample = style_names_in_use(concept_builder.template.reference_document())
    templates = set().union(*(style_names_in_use(default_template(v).read_bytes()) for v in VARIANTS))
    content = {names[0] for roles in (PARAGRAPH_ROLES, CHARACTER_ROLES) for names in roles.values()}
    assert not (templates | content) - sample


def test_a_caption_of_the_design_still_keeps_with_its_table(tmp_path: Path) -> None:
    """Word's own "caption" keeps with nothing; the design's look wins, our keeping stays."""
    reference = tmp_path / "blank.docx"
    document = Document()
    caption = document.styles["Caption"]
    caption.font.color.rgb = None
    caption.paragraph_format.keep_with_next = None  # says nothing: ours holds
    heading = document.styles["Heading 2"]
    heading.paragraph_format.keep_with_next = False  # says so: the design's holds
    document.save(str(reference))
    result = concept_builder.build_folder(
        GOSLAR, BuildOptions(out_dir=tmp_path / "out", reference_doc=reference)
    )
    styles = StyleMap.parse(zipfile.ZipFile(result.path).read("word/styles.xml"))
    assert styles.format_of("Caption").keep_next
    assert not styles.format_of(styles.heading(2)).keep_next
    validate_with_word(result.path)


def test_headings_named_as_a_german_writer_names_them_take_the_design(tmp_path: Path) -> None:
    """A design whose headings are called "Überschrift 1" – or named freely, with only their outline
    level – and whose title is "Titel" restyles our headings and title, not Word's defaults."""
    document = Document()
    for level, size in ((1, 18), (2, 14), (3, 12)):
        style = document.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_color().set(qn("w:val"), GREEN)
        style.element.set(qn("w:styleId"), f"berschrift{level}")
        style.element.find(qn("w:name")).set(qn("w:val"), f"Überschrift {level}")
    word_heading = document.styles["Heading 4"].element
    word_heading.getparent().remove(word_heading)
    chapter = document.styles.add_style("Kapitel Ebene 4", WD_STYLE_TYPE.PARAGRAPH)  # only an outline level
    chapter.font.size = Pt(11.5)
    chapter.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="3"/>'))
    title = document.styles["Title"]
    title.font.size = Pt(30)
    title.element.find(qn("w:name")).set(qn("w:val"), "Titel")
    buffer = io.BytesIO()
    document.save(buffer)

    merged = with_reference(default_template().read_bytes(), buffer.getvalue(), "hausdesign.docx")

    styles = StyleMap.parse(zipfile.ZipFile(io.BytesIO(merged.data)).read("word/styles.xml"))
    assert [styles.heading(level) for level in (1, 2, 3)] == ["berschrift1", "berschrift2", "berschrift3"]
    assert [styles.format_of(styles.heading(level)).size_pt for level in (1, 2, 3, 4)] == [18, 14, 12, 11.5]
    body = zipfile.ZipFile(io.BytesIO(merged.data)).read("word/document.xml").decode()
    assert '<w:pStyle w:val="Heading1"/>' not in body and '<w:pStyle w:val="berschrift1"/>' in body
    titles = Styles(etree.fromstring(zipfile.ZipFile(io.BytesIO(merged.data)).read("word/styles.xml")))
    assert titles.find(["Titel"], "paragraph") == "Title" and titles.find(["Title"], "paragraph") is None


def test_a_figure_caption_keeps_with_nothing_whatever_the_design_says(tmp_path: Path) -> None:
    """A caption below a chart ends the figure. Kept with the next, as a design's "caption" may say, it
    chains the chart to the heading and the table below: taller than a page, and LibreOffice then
    leaves the heading alone at the foot of the page."""
    reference = tmp_path / "beschriftung.docx"
    document = Document()
    document.styles["Caption"].paragraph_format.keep_with_next = True
    document.save(str(reference))
    options = BuildOptions(out_dir=tmp_path / "out", reference_doc=reference, variant="umsetzungsbericht")
    result = concept_builder.build_folder(GOSLAR, options)
    document_xml = etree.fromstring(part(result.path, "word/document.xml").encode())
    styles = StyleMap.parse(zipfile.ZipFile(result.path).read("word/styles.xml"))
    w = {"w": W_NS}
    found = document_xml.xpath("//w:p[.//w:drawing]/following-sibling::w:p[1]", namespaces=w)
    captions = [c for c in found if isinstance(c, etree._Element)] if isinstance(found, list) else []
    assert captions and all(str(c.xpath("string(.)")).startswith("Abbildung") for c in captions)
    for caption in captions:
        style = str(caption.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=w))
        assert styles.format_of(style).keep_next  # the design's style, as it is …
        assert caption.xpath("string(w:pPr/w:keepNext/@w:val)", namespaces=w) == "0"  # … but not here

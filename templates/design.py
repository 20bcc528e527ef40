"""The look of the default templates: page, fonts, colours, paragraph, character and table styles.

Everything that shapes the page is a style – no colour, border or shading is
set on a single paragraph or cell – so that a district's reference document
(``--reference-doc``), or a designer in Word's style dialog, restyles every
document by restyling the styles. The colours meet WCAG contrast (4.5:1 for
text) on their backgrounds; values are noted beside them.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from concept_builder.colours import DEFAULT_PALETTE

FONT = "Arial"
PRIMARY = DEFAULT_PALETTE.primary  # dark blue: 8.6:1 on white
ACCENT = DEFAULT_PALETTE.line  # lighter blue, for lines and the cover band's edge
TEXT = "1A1A1A"  # 17:1 on white
MUTED = "595959"  # 7:1 on white
WHITE = "FFFFFF"
LABEL_FILL = DEFAULT_PALETTE.label_fill  # behind the labels of a profile; PRIMARY on it 7.4:1
BORDER = DEFAULT_PALETTE.border
QUOTE_FILL = DEFAULT_PALETTE.quote_fill  # TEXT on it 15:1
EXAMPLE_FILL = "FFF2CC"
EXAMPLE_TEXT = "7F6000"  # 5.6:1 on the example fill
DRAFT = "A51D1D"  # 7:1 on white

PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
TWIPS_PER_CM = 567

CONCEPT_TABLE = "Concept Table"  # every table with a header row
PROFILE_TABLE = "Profile Table"  # label | value, the labels as row headers


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)


def setup_styles(doc: WordDocument) -> None:
    """Every style the templates and the prepared content use."""
    document_defaults(doc)
    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.widow_control = True

    paragraph_style(doc, "Body Text", size=10.5, after=8)
    headings(doc)
    cover_styles(doc)
    paragraph_style(doc, "Small Text", size=9, after=4)
    paragraph_style(doc, "Meta Line", size=9.5, color=MUTED, italic=True, after=6, keep_next=True)
    paragraph_style(doc, "Signature", size=10.5, bold=True, before=18, after=0, keep_next=True)
    paragraph_style(doc, "Signature Role", size=10.5, color=MUTED, after=6)
    paragraph_style(doc, "Label", size=10.5, bold=True, after=2, keep_next=True)
    # Not "Quote" or "Figure": LibreOffice turns a style's name into the PDF tag and remaps it to P,
    # which PDF/UA forbids for the standard structure types. Shading, not a border: a paragraph
    # border is painted as untagged content, shading as an artifact.
    citation = paragraph_style(
        doc, "Citation", size=11.5, italic=True, before=10, after=2, indent=0.8, keep_next=True
    )
    shade(citation, QUOTE_FILL)
    paragraph_style(doc, "Quote Attribution", size=9.5, color=MUTED, after=12, indent=0.8)
    example_styles(doc)
    paragraph_style(doc, "Caption", size=9.5, bold=True, color=PRIMARY, before=10, after=4, keep_next=True)
    paragraph_style(doc, "Chart", size=10.5, before=8, after=2, keep_next=True)
    paragraph_style(doc, "Table Text", size=9.5, after=2, line_spacing=1.0)
    # The name LibreOffice tags as a table header cell (TH); its colour comes from the table style.
    paragraph_style(doc, "Table Heading", size=9.5, bold=True, color=None, after=2, line_spacing=1.0)
    after_table = paragraph_style(doc, "Body Text After Table", size=10.5, before=10, after=8)
    after_table.base_style = doc.styles["Body Text"]  # text right below a table, with room to breathe
    contents_styles(doc)
    for name in (
        "List Bullet",
        "List Number",
        "List Bullet 2",
        "List Number 2",
        "List Bullet 3",
        "List Number 3",
    ):
        style = doc.styles[name]
        assert isinstance(style, ParagraphStyle)
        style.paragraph_format.space_after = Pt(3)
    character_style(doc, "Hyperlink", color="0563C1", underline=True)  # 5.9:1 on white
    character_style(doc, "Strong", color=None, bold=True)
    paragraph_style(doc, "Header", size=8.5, color=MUTED, after=0)
    footer = paragraph_style(doc, "Footer", size=8.5, color=MUTED, after=0)
    footer.paragraph_format.tab_stops.clear_all()  # Word's centre and right stops fall short of the margin
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    table_styles(doc)
    real_bullets(doc)
    nested_lists(doc)


def document_defaults(doc: WordDocument) -> None:
    """Font, size, colour and language for everything: the lowest level, so that table styles win over it."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    run = defaults.find(qn("w:rPrDefault"))
    assert run is not None
    run.clear()
    run.append(
        parse_xml(
            f"<w:rPr {nsdecls('w')}>"
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
            f'<w:color w:val="{TEXT}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
            '<w:lang w:val="de-DE" w:eastAsia="de-DE" w:bidi="ar-SA"/></w:rPr>'
        )
    )
    # The font is named here once: every style takes it from the defaults (through Normal), so that a
    # designer who changes Normal's font in a reference document changes it everywhere. Python-docx's
    # styles name the theme's fonts, which would win over it.
    for style in doc.styles.element.iter(qn("w:style")):
        for fonts in style.iter(qn("w:rFonts")):
            fonts.getparent().remove(fonts)


def headings(doc: WordDocument) -> None:
    """Each level visibly below the one above: size, then colour, then weight."""
    for level, size, color, before, after in (
        (1, 20, PRIMARY, 0, 18),
        (2, 15, PRIMARY, 20, 8),
        (3, 12.5, PRIMARY, 14, 6),
        (4, 11, TEXT, 12, 4),
    ):
        style = paragraph_style(
            doc,
            f"Heading {level}",
            size=size,
            bold=True,
            italic=False,
            color=color,
            before=before,
            after=after,
            keep_next=True,
        )
        style.paragraph_format.page_break_before = level == 1
        style.paragraph_format.keep_together = True
        style.font.all_caps = False
    sheet = paragraph_style(
        doc, "Sheet Heading", size=13, bold=True, color=PRIMARY, before=18, after=6, keep_next=True
    )
    sheet.base_style = doc.styles["Heading 2"]  # a measure's sheet in the catalogue: in the contents, level 2


def cover_styles(doc: WordDocument) -> None:
    paragraph_style(doc, "Cover Logos", size=10.5, before=0, after=36)
    band = paragraph_style(doc, "Cover District", size=14, bold=True, color=WHITE, before=48, after=24)
    shade(band, PRIMARY)  # the colour accent of the cover: the district on the design's colour, 8.6:1
    band.paragraph_format.left_indent = Cm(0)
    title = paragraph_style(doc, "Title", size=30, bold=True, color=PRIMARY, after=12, before=0)
    remove_borders(title)
    paragraph_style(doc, "Subtitle", size=16, color=MUTED, after=30, italic=False)
    variant = paragraph_style(doc, "Cover Variant", size=18, bold=True, color=PRIMARY, before=6, after=24)
    variant.paragraph_format.keep_with_next = True
    paragraph_style(doc, "Cover Meta", size=11, color=MUTED, after=6)
    paragraph_style(doc, "Cover Draft", size=20, bold=True, color=DRAFT, before=24, after=24)
    paragraph_style(doc, "Cover Small", size=9.5, color=MUTED, after=3)


def example_styles(doc: WordDocument) -> None:
    """One style marks illustrative content: a paragraph style and its linked character style, same look."""
    # kept with what follows: below a heading, the marker belongs to the text it marks
    note = paragraph_style(
        doc, "Example Note", size=9, italic=True, color=EXAMPLE_TEXT, before=4, after=10, keep_next=True
    )
    shade(note, EXAMPLE_FILL)
    tag = character_style(doc, "Example Note Char", color=EXAMPLE_TEXT, size=9, italic=True)
    assert tag.element.rPr is not None
    tag.element.rPr.append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{EXAMPLE_FILL}"/>')
    )
    link(note, tag)


def contents_styles(doc: WordDocument) -> None:
    heading = paragraph_style(doc, "TOC Heading", size=20, bold=True, color=PRIMARY, after=18)
    heading.paragraph_format.page_break_before = True  # the contents start after the cover
    for level, size, bold, before, indent in (
        (1, 11, True, 8, 0.0),
        (2, 10.5, False, 0, 0.6),
        (3, 10, False, 0, 1.2),
    ):
        style = paragraph_style(
            doc, f"toc {level}", size=size, bold=bold, before=before, after=2, indent=indent
        )
        style.paragraph_format.tab_stops.add_tab_stop(
            Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )


def table_styles(doc: WordDocument) -> None:
    """Two table styles: the header row of every table, and the label column of a profile.

    Borders, cell margins and fills live here, not in the cells, so that a
    document stays light and a design restyles every table at once.
    """
    margins = (
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
    )
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{BORDER}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    for name, conditional in (
        (
            CONCEPT_TABLE,
            f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="{WHITE}"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PRIMARY}"/></w:tcPr></w:tblStylePr>',
        ),
        (
            PROFILE_TABLE,
            f'<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:color w:val="{PRIMARY}"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LABEL_FILL}"/></w:tcPr></w:tblStylePr>',
        ),
    ):
        style_id = name.replace(" ", "")
        doc.styles.element.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{style_id}">'
                f'<w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
                '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>{margins}</w:tblPr>{conditional}</w:style>"
            )
        )


# A nested list's level (ilvl) of one list, with the label each level shows
LIST_LEVELS = {
    "List Bullet": (("bullet", "•"), ("bullet", "–"), ("bullet", "•")),
    "List Number": (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3)")),
}


def nested_lists(doc: WordDocument) -> None:
    """“List Bullet”, “List Bullet 2” and “List Bullet 3” as levels 0–2 of one list (and the numbered
    ones of another): LibreOffice then tags a nested list as a list inside its item (L > LI > LBody > L),
    not as a row of lists of one item each.

    Each level keeps the indent its style's own list had; the styles' other lists stay, unused.
    """
    numbering = doc.part.numbering_part.element
    for first, levels in LIST_LEVELS.items():
        names = [first, f"{first} 2", f"{first} 3"]
        own = [_style_list(doc, name) for name in names]
        abstract = _abstract(numbering, own[0])
        multilevel = abstract.find(qn("w:multiLevelType"))
        assert multilevel is not None
        multilevel.set(qn("w:val"), "multilevel")
        for level, (name, number_id) in enumerate(zip(names, own, strict=True)):
            source = _abstract(numbering, number_id).find(qn("w:lvl"))
            assert source is not None
            indent = source.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            assert indent is not None
            number_format, text = levels[level]
            style_id = doc.styles[name].style_id
            left, hanging = indent.get(qn("w:left")), indent.get(qn("w:hanging"))
            level_xml = (
                f'<w:lvl {nsdecls("w")} w:ilvl="{level}"><w:start w:val="1"/>'
                f'<w:numFmt w:val="{number_format}"/><w:pStyle w:val="{style_id}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
            )
            for old in abstract.findall(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']"):
                abstract.remove(old)
            abstract.append(parse_xml(level_xml))
            numbered = doc.styles[name].element.get_or_add_pPr().get_or_add_numPr()
            numbered.get_or_add_ilvl().val = level
            numbered.get_or_add_numId().val = int(own[0])


def _style_list(doc: WordDocument, name: str) -> str:
    number = doc.styles[name].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    assert number is not None, name
    return str(number.get(qn("w:val")))


def _abstract(numbering: Any, number_id: str) -> Any:
    [abstract_id] = numbering.xpath(f'w:num[@w:numId="{number_id}"]/w:abstractNumId/@w:val')
    [abstract] = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')
    return abstract


def real_bullets(doc: WordDocument) -> None:
    """Bullets as "•" in the list's font: Symbol's private-use U+F0B7 would reach a PDF as that code."""
    for level in doc.part.numbering_part.element.iter(qn("w:lvl")):
        number_format = level.find(qn("w:numFmt"))
        if number_format is None or number_format.get(qn("w:val")) != "bullet":
            continue
        text = level.find(qn("w:lvlText"))
        assert text is not None
        text.set(qn("w:val"), "•")
        properties = level.find(qn("w:rPr"))
        fonts = properties.find(qn("w:rFonts")) if properties is not None else None
        if fonts is not None:
            properties.remove(fonts)  # the bullet in the list's own font, whatever a design makes it


# --- style builders ----------------------------------------------------------------------------

# Successors of the elements we add to a paragraph's properties, in the order the schema demands
PPR_AFTER_SHD = ("w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr")


def paragraph_style(
    doc: WordDocument,
    name: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool | None = None,
    color: str | None = TEXT,
    before: float | None = None,
    after: float | None = None,
    indent: float | None = None,
    keep_next: bool = False,
    line_spacing: float | None = None,
) -> ParagraphStyle:
    """A paragraph style based on Normal; ``color`` None leaves the colour to the context (table styles)."""
    styles = doc.styles
    existing = styles[name] if name in [s.name for s in styles] else None
    style = (
        existing if isinstance(existing, ParagraphStyle) else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    assert isinstance(style, ParagraphStyle)
    if style.base_style is None and name != "Normal":
        style.base_style = styles["Normal"]
    style.quick_style = True
    font = style.font  # the family comes from the document's defaults through Normal
    font.size = Pt(size)
    font.bold = bold
    if italic is not None:
        font.italic = italic
    font.color.rgb = rgb(color) if color else None
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if indent is not None:
        fmt.left_indent = Cm(indent)
    if keep_next:
        fmt.keep_with_next = True
    if line_spacing is not None:
        fmt.line_spacing = line_spacing
    return style


def character_style(
    doc: WordDocument,
    name: str,
    *,
    color: str | None,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> CharacterStyle:
    styles = doc.styles
    existing = styles[name] if name in [s.name for s in styles] else None
    style = (
        existing if isinstance(existing, CharacterStyle) else styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    )
    assert isinstance(style, CharacterStyle)
    style.font.color.rgb = rgb(color) if color else None
    style.font.bold = bold or None
    style.font.italic = italic or None
    style.font.underline = underline or None
    if size:
        style.font.size = Pt(size)
    return style


def link(paragraph: ParagraphStyle, character: CharacterStyle) -> None:
    """Make the two one linked style, as Word shows "Heading 1" and "Heading 1 Char"."""
    paragraph.element.append(parse_xml(f'<w:link {nsdecls("w")} w:val="{character.style_id}"/>'))
    character.element.append(parse_xml(f'<w:link {nsdecls("w")} w:val="{paragraph.style_id}"/>'))
    for element in (paragraph.element, character.element):  # the schema orders link after basedOn/next
        name = element.find(qn("w:name"))
        link_element = element.find(qn("w:link"))
        assert name is not None and link_element is not None
        anchor = element.find(qn("w:next"))
        if anchor is None:
            anchor = element.find(qn("w:basedOn"))
        (anchor if anchor is not None else name).addnext(link_element)


def remove_borders(style: BaseStyle) -> None:
    properties = style.element.get_or_add_pPr()
    for child in properties.findall(qn("w:pBdr")):
        properties.remove(child)


def shade(style: BaseStyle, fill: str) -> None:
    style.element.get_or_add_pPr().insert_element_before(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'), *PPR_AFTER_SHD
    )

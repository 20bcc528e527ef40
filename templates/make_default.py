"""Generate templates/default.docx, the default Word template.

The template is made by this script rather than by hand in Word so that every
style and every template tag is reviewable in one place and the file can be
rebuilt identically. Run ``make template`` after changing it. Users who want
their own layout start from the generated file (``concept-builder template
init``) and edit it in Word.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from concept_builder.options import VARIANTS
from concept_builder.write import normalize_zip

FONT = "Arial"
PRIMARY = RGBColor(0x1F, 0x4E, 0x79)  # dark blue, 8.6:1 on white
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x59, 0x59, 0x59)  # 7:1 on white
HEADER_FILL = "1F4E79"
ROW_FILL = "F2F6FA"
BORDER = "A6B8CC"
EXAMPLE_FILL = "FFF2CC"
EXAMPLE_TEXT = RGBColor(0x7F, 0x60, 0x00)  # 5.6:1 on the example fill


# --- styles ----------------------------------------------------------------------------


def setup_styles(doc: WordDocument) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    set_document_language(doc, "de-DE")

    paragraph_style(doc, "Body Text", size=10.5, after=8)
    paragraph_style(doc, "Title", size=30, bold=True, color=PRIMARY, after=12, before=0)
    remove_borders(styles["Title"])
    paragraph_style(doc, "Subtitle", size=16, color=MUTED, after=36, italic=False)
    heading(doc, 1, 20, PRIMARY, before=0, after=18, page_break=True)
    heading(doc, 2, 15, PRIMARY, before=20, after=8)
    heading(doc, 3, 12.5, TEXT, before=14, after=6)
    heading(doc, 4, 11, PRIMARY, before=12, after=4)
    sheet = paragraph_style(
        doc, "Sheet Heading", size=15, bold=True, color=PRIMARY, before=0, after=8, keep_next=True
    )
    sheet.base_style = doc.styles["Heading 2"]  # a level-2 heading that starts a page: one sheet per measure
    sheet.paragraph_format.page_break_before = True
    paragraph_style(doc, "Cover Logos", size=10.5, before=0, after=48)
    paragraph_style(doc, "Cover District", size=14, bold=True, color=PRIMARY, before=72, after=24)
    paragraph_style(doc, "Cover Meta", size=11, color=MUTED, after=6)
    paragraph_style(doc, "Cover Variant", size=14, bold=True, color=TEXT, before=6, after=18)
    paragraph_style(
        doc, "Cover Draft", size=20, bold=True, color=RGBColor(0xA5, 0x1D, 0x1D), before=24, after=24
    )
    paragraph_style(doc, "Cover Small", size=9.5, color=MUTED, after=3)
    paragraph_style(doc, "Small Text", size=9, after=4)
    paragraph_style(doc, "Meta Line", size=9.5, color=MUTED, italic=True, after=6)
    paragraph_style(doc, "Signature", size=10.5, bold=True, before=18, after=0)
    paragraph_style(doc, "Signature Role", size=10.5, color=MUTED, after=6)
    paragraph_style(doc, "Label", size=10.5, bold=True, after=2, keep_next=True)
    quote = paragraph_style(doc, "Quote", size=11.5, italic=True, color=TEXT, before=10, after=2, indent=0.8)
    border(quote, "left", HEADER_FILL, size=24, space=8)
    quote.paragraph_format.keep_with_next = True
    paragraph_style(doc, "Quote Attribution", size=9.5, color=MUTED, after=12, indent=0.8)
    note = paragraph_style(doc, "Example Note", size=9, italic=True, color=EXAMPLE_TEXT, before=4, after=10)
    shade(note, EXAMPLE_FILL)
    paragraph_style(doc, "Caption", size=9.5, bold=True, color=PRIMARY, before=10, after=4, keep_next=True)
    paragraph_style(doc, "Figure", size=10.5, before=8, after=2, keep_next=True)
    paragraph_style(doc, "Table Text", size=9.5, after=2, line_spacing=1.0)
    paragraph_style(
        doc, "Table Heading", size=9.5, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), after=2, line_spacing=1.0
    )
    toc_heading = paragraph_style(doc, "TOC Heading", size=20, bold=True, color=PRIMARY, after=18)
    toc_heading.paragraph_format.page_break_before = True  # the contents start after the cover
    toc1 = paragraph_style(doc, "toc 1", size=11, bold=True, before=8, after=2)
    toc2 = paragraph_style(doc, "toc 2", size=10.5, after=2, indent=0.6)
    for toc in (toc1, toc2):
        toc.element.get_or_add_pPr().insert_element_before(
            parse_xml(f'<w:tabs {nsdecls("w")}><w:tab w:val="right" w:leader="dot" w:pos="9070"/></w:tabs>'),
            *PPR_AFTER_TABS,
        )
    for name in ("List Bullet", "List Number", "List Bullet 2", "List Number 2"):
        styles[name].paragraph_format.space_after = Pt(3)
    character_style(doc, "Hyperlink", color=RGBColor(0x05, 0x63, 0xC1), underline=True)
    tag = character_style(doc, "Example Tag", color=EXAMPLE_TEXT, size=8, bold=True)
    tag.element.get_or_add_rPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{EXAMPLE_FILL}"/>')
    )
    paragraph_style(doc, "Header", size=8.5, color=MUTED, after=0)
    paragraph_style(doc, "Footer", size=8.5, color=MUTED, after=0)
    use_one_font(doc)


def use_one_font(doc: WordDocument) -> None:
    """Theme fonts (Calibri, Cambria) would win over the style's font: name Arial everywhere."""
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            if fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), FONT)


def paragraph_style(
    doc: WordDocument,
    name: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool | None = None,
    color: RGBColor | None = None,
    before: float | None = None,
    after: float | None = None,
    indent: float | None = None,
    keep_next: bool = False,
    line_spacing: float | None = None,
) -> ParagraphStyle:
    styles = doc.styles
    existing = styles[name] if name in [s.name for s in styles] else None
    style = (
        existing if isinstance(existing, ParagraphStyle) else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    assert isinstance(style, ParagraphStyle)
    if style.base_style is None and name != "Normal":
        style.base_style = styles["Normal"]
    style.quick_style = True
    font = style.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    if italic is not None:
        font.italic = italic
    font.color.rgb = color or TEXT
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


def heading(
    doc: WordDocument,
    level: int,
    size: float,
    color: RGBColor,
    *,
    before: float,
    after: float,
    page_break: bool = False,
) -> None:
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
    style.paragraph_format.page_break_before = page_break
    style.font.all_caps = False


def character_style(
    doc: WordDocument,
    name: str,
    *,
    color: RGBColor,
    size: float | None = None,
    bold: bool = False,
    underline: bool = False,
) -> CharacterStyle:
    styles = doc.styles
    existing = styles[name] if name in [s.name for s in styles] else None
    style = (
        existing if isinstance(existing, CharacterStyle) else styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    )
    assert isinstance(style, CharacterStyle)
    style.font.color.rgb = color
    style.font.bold = bold or None
    style.font.underline = underline or None
    if size:
        style.font.size = Pt(size)
    return style


# Successors of each element we add, in the order the schema demands.
PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:outlineLvl",
    "w:rPr",
)
PPR_AFTER_SHD = PPR_AFTER_PBDR[1:]
PPR_AFTER_TABS = PPR_AFTER_PBDR[2:]
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
TBLPR_AFTER_MARGINS = ("w:tblLook",)


def remove_borders(style: BaseStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    for child in ppr.findall(qn("w:pBdr")):
        ppr.remove(child)


def border(style: BaseStyle, side: str, color: str, *, size: int, space: int) -> None:
    ppr = style.element.get_or_add_pPr()
    ppr.insert_element_before(
        parse_xml(
            f"<w:pBdr {nsdecls('w')}>"
            f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/></w:pBdr>'
        ),
        *PPR_AFTER_PBDR,
    )


def shade(style: BaseStyle, fill: str) -> None:
    style.element.get_or_add_pPr().insert_element_before(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{fill}"/>'), *PPR_AFTER_SHD
    )


def set_document_language(doc: WordDocument, language: str) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language if attr != "w:bidi" else "ar-SA")


# --- body helpers ------------------------------------------------------------------------


class Body:
    def __init__(self, doc: WordDocument) -> None:
        self.doc = doc

    def p(self, *runs: str, style: str = "Body Text") -> Paragraph:
        """A paragraph; each argument one run. ``{{r x}}`` and ``{%r %}`` need runs of their own."""
        paragraph = self.doc.add_paragraph(style=style)
        for text in runs:
            self.run(paragraph, text)
        return paragraph

    def run(self, paragraph: Paragraph, text: str) -> None:
        """A run; ``@Style:text`` gives it the character style named before the colon."""
        if text.startswith("@"):
            style_name, _, text = text[1:].partition(":")
            paragraph.add_run(text, style=style_name)
        else:
            paragraph.add_run(text)

    def when(self, condition: str, *runs: str, style: str = "Body Text") -> None:
        """A paragraph that appears only when ``condition`` (a template expression) holds."""
        self.tag("{%p if " + condition + " %}")
        self.p(*runs, style=style)
        self.tag("{%p endif %}")

    def tag(self, text: str) -> None:
        """A paragraph holding one paragraph-level template tag (removed when rendered)."""
        self.doc.add_paragraph(text, style="Body Text")

    def h(self, level: int, *runs: str) -> None:
        self.p(*runs, style=f"Heading {level}")

    def example_tag(self, condition: str) -> tuple[str, ...]:
        return ("{%r if " + condition + " %}", " ", "@Example Tag: {{ labels.example }} ", "{%r endif %}")

    def example_note(self, condition: str) -> None:
        self.tag("{%p if " + condition + " %}")
        self.p("{{ labels.example }}: {{ labels.example_note }}", style="Example Note")
        self.tag("{%p endif %}")

    def table(self, headers: list[str], loop: str | None, cells: list[str], widths: list[float]) -> Table:
        """A table with a repeating header row; ``loop`` makes one row per item."""
        rows = 2 + (2 if loop else 0)
        table: Table = self.doc.add_table(rows=rows, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        self.style_table(table, widths)
        header = table.rows[0]
        mark_header(header)
        for cell, text in zip(header.cells, headers, strict=False):
            cell.paragraphs[0].style = self.doc.styles["Table Heading"]
            cell.paragraphs[0].add_run(text)
            fill(cell, HEADER_FILL)
        if loop:
            table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
            data = table.rows[2]
            table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        else:
            data = table.rows[1]
        for cell, text in zip(data.cells, cells, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles["Table Text"]
            for run_text in text.split("|"):
                self.run(paragraph, run_text)
        for row in table.rows[1:]:
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        return table

    def field_table(self, title: list[str], rows: list[tuple[str, str]]) -> Table:
        """A two-column profile (label | value) whose first row names the item."""
        table: Table = self.doc.add_table(rows=1 + len(rows), cols=2)
        self.style_table(table, [4.2, 11.8])
        mark_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, title, strict=False):
            cell.paragraphs[0].style = self.doc.styles["Table Heading"]
            for run_text in text.split("|"):
                cell.paragraphs[0].add_run(run_text)
            fill(cell, HEADER_FILL)
        for row, (label, value) in zip(table.rows[1:], rows, strict=False):
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            label_cell, value_cell = row.cells
            fill(label_cell, ROW_FILL)
            label_paragraph = label_cell.paragraphs[0]
            label_paragraph.style = self.doc.styles["Table Text"]
            label_paragraph.add_run(label).bold = True
            value_paragraph = value_cell.paragraphs[0]
            value_paragraph.style = self.doc.styles["Table Text"]
            for run_text in value.split("|"):
                self.run(value_paragraph, run_text)
        return table

    def style_table(self, table: Table, widths: list[float]) -> None:
        tbl_pr = table._tbl.tblPr
        tbl_pr.insert_element_before(
            parse_xml(
                f"<w:tblBorders {nsdecls('w')}>"
                + "".join(
                    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{BORDER}"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
                )
                + "</w:tblBorders>"
            ),
            *TBLPR_AFTER_BORDERS,
        )
        tbl_pr.insert_element_before(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                f'<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            ),
            *TBLPR_AFTER_MARGINS,
        )
        table_width = tbl_pr.find(qn("w:tblW"))
        assert table_width is not None
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(int(sum(widths) * 567)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Cm(width)


def mark_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def fill(cell: _Cell, color: str) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{color}"/>')
    )


def toc_field(doc: WordDocument) -> None:
    """A table-of-contents field; the build fills in its entries from the headings."""
    doc.add_paragraph(style="TOC Heading").add_run("{{ labels.contents }}")
    paragraph = doc.add_paragraph(style="toc 1")
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve">'
            ' TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        )
    )
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    paragraph.add_run("{{ labels.toc_hint }}")
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def page_field(paragraph: Paragraph, instruction: str) -> None:
    p = paragraph._p
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        )
    )
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(parse_xml(f"<w:r {nsdecls('w')}><w:t>1</w:t></w:r>"))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def header_and_footer(doc: WordDocument) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True  # the cover stays clean
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run("{% if draft %}{{ labels.draft }} – {% endif %}{{ meta.district }}")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer_style = doc.styles["Footer"].paragraph_format
    footer_style.tab_stops.clear_all()
    footer_style.tab_stops.add_tab_stop(Cm(16.0), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("{{ meta.title }} · {{ labels.version }} {{ meta.version }}\t{{ labels.page }} ")
    page_field(footer, "PAGE")
    footer.add_run(" {{ labels.of }} ")
    page_field(footer, "NUMPAGES")


# --- the document ------------------------------------------------------------------------


def cover(b: Body) -> None:
    b.when("logos", "{%r for logo in logos %}", "{{r logo }}", "  ", "{%r endfor %}", style="Cover Logos")
    b.p("{{ meta.district }}", style="Cover District")
    b.p("{{ meta.title }}", style="Title")
    b.when("meta.subtitle", "{{ meta.subtitle }}", style="Subtitle")
    b.when("variant.title", "{{ variant.title }}", style="Cover Variant")
    b.p("{{ meta.version_line }}", style="Cover Meta")
    b.when("meta.adoption", "{{ labels.adopted }}: {{ meta.adoption }}", style="Cover Meta")
    b.when("draft", "{{ labels.draft }}", style="Cover Draft")
    b.when(
        "meta.consultancy",
        "{{ meta.consultancy_role or labels.consultancy }}: {{ meta.consultancy }}",
        style="Cover Small",
    )
    b.when("meta.partners", "{{ labels.partners_funders }}: {{ meta.partners_text }}", style="Cover Small")
    b.when("meta.programme", "{{ labels.programme }}: {{ meta.programme }}", style="Cover Small")
    b.when("has_illustrative", "{{ labels.example }}: {{ labels.example_note }}", style="Example Note")


def foreword(b: Body) -> None:
    b.tag("{%p if foreword %}")
    b.h(1, "{{ labels.foreword }}")
    b.example_note("foreword.illustrative")
    b.tag("{{p foreword.text }}")
    b.p("{{ foreword.name }}", style="Signature")
    b.p("{{ foreword.role }}", style="Signature Role")
    b.tag("{%p endif %}")
    b.tag("{%p if introduction %}")
    b.h(1, "{{ chapters.introduction }}{{ labels.introduction }}")
    b.tag("{{p introduction }}")
    b.tag("{%p endif %}")


def starting_point(b: Body) -> None:
    b.tag("{%p if starting_point %}")
    b.h(1, "{{ chapters.starting_point }}{{ labels.starting_point }}")
    b.example_note("starting_point.illustrative")
    b.tag("{{p starting_point.text }}")
    b.tag("{%p if starting_point.key_figures %}")
    b.p("{{ labels.key_figures }}", style="Caption")
    b.table(
        ["{{ labels.indicator }}", "{{ labels.value }}", "{{ labels.year }}", "{{ labels.source }}"],
        "f in starting_point.key_figures",
        [
            "{{ f.indicator }}",
            "{{ f.value }} {{ f.unit }}",
            "{{ f.year }}",
            "{{ f.source }}|{%r if f.illustrative %}| |@Example Tag: {{ labels.example }} |{%r endif %}",
        ],
        [6.0, 2.8, 1.4, 5.8],
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def principles(b: Body) -> None:
    b.tag("{%p if principles %}")
    b.h(1, "{{ chapters.principles }}{{ labels.principles }}")
    b.tag("{{p principles_intro }}")
    b.tag("{%p for principle in principles %}")
    b.h(2, "{{ principle.title }}", *b.example_tag("principle.illustrative"))
    b.tag("{{p principle.text }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def process(b: Body) -> None:
    b.tag("{%p if process %}")
    b.h(1, "{{ chapters.process }}{{ labels.process }}")
    b.tag("{{p process.text }}")
    b.tag("{%p for event in process.events %}")
    b.h(2, "{{ event.title }}")
    b.table(
        ["{{ labels.date }}", "{{ labels.place }}", "{{ labels.format }}", "{{ labels.participants }}"],
        None,
        ["{{ event.date }}", "{{ event.place }}", "{{ event.format }}", "{{ event.participants }}"],
        [3.6, 4.0, 5.0, 3.4],
    )
    b.when("event.groups", "@Strong:{{ labels.groups }}: ", "{{ event.groups }}", style="Body Text")
    b.tag("{{p event.text }}")
    b.tag("{%p if event.results %}")
    b.h(3, "{{ labels.results }}")
    b.tag("{%p for result in event.results %}")
    b.p("{{ result.theme }}", style="Label")
    b.tag("{{p result.text }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    quotes(b, "event.quotes")
    b.tag("{%p endfor %}")
    b.tag("{%p if process.steering_group %}")
    b.h(2, "{{ process.steering_group.name }}")
    b.example_note("process.steering_group.illustrative")
    b.tag("{{p process.steering_group.text }}")
    b.tag("{%p for member in process.steering_group.members %}")
    b.p("{{ member }}", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def quotes(b: Body, items: str) -> None:
    b.tag("{%p for quote in " + items + " %}")
    b.p("„{{ quote.text }}“", style="Quote")
    b.p("– {{ quote.attribution }}", style="Quote Attribution")
    b.tag("{%p endfor %}")


def themes(b: Body) -> None:
    b.h(1, "{{ chapters.themes }}{{ labels.themes }}")
    b.tag("{%p if cross_cutting_themes %}")
    b.h(2, "{{ labels.cross_cutting_themes }}")
    b.tag("{%p for cross in cross_cutting_themes %}")
    b.p("{{ cross.title }}", *b.example_tag("cross.illustrative"), style="Label")
    b.tag("{{p cross.description }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p for theme in themes %}")
    b.h(2, "{{r theme.anchor }}", "{{ theme.label }}: {{ theme.title }}")
    b.tag("{{p theme.description }}")
    b.when(
        "theme.cross_cutting",
        "@Strong:{{ labels.cross_cutting_themes }}: ",
        "{{ theme.cross_cutting }}",
        style="Meta Line",
    )
    b.tag("{%p if theme.challenges %}")
    b.h(3, "{{ labels.challenges }}")
    b.tag("{{p theme.challenges }}")
    b.tag("{%p endif %}")
    b.tag("{%p if theme.goals %}")
    b.h(3, "{{ labels.goals }}")
    b.tag("{%p for goal in theme.goals %}")
    b.h(4, "{{r goal.anchor }}", "{{ goal.label }} {{ goal.title }}", *b.example_tag("goal.illustrative"))
    b.p("{{ goal.level }}", style="Meta Line")
    b.tag("{{p goal.description }}")
    b.tag("{%p if goal.indicators %}")
    b.table(
        [
            "{{ labels.goal_indicator }}",
            "{{ labels.baseline }}",
            "{{ labels.target }}",
            "{{ labels.source }}",
        ],
        "i in goal.indicators",
        ["{{ i.name }}", "{{ i.baseline }}", "{{ i.target }}", "{{ i.source }}"],
        [6.0, 2.9, 2.9, 4.2],
    )
    b.tag("{%p endif %}")
    b.when(
        "goal.measure_links",
        "@Strong:{{ labels.served_by }}: ",
        "{{r goal.measure_links }}",
        style="Body Text",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if theme.measures %}")
    b.h(3, "{{ labels.measures }}")
    b.tag("{%p for m in theme.measures %}")
    b.h(4, "{{r m.anchor }}", "{{ m.label }} {{ m.title }}", *b.example_tag("m.illustrative"))
    b.tag("{{p m.description }}")
    measure_profile(b)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if theme.quotes %}")
    b.h(3, "{{ labels.quotes }}")
    quotes(b, "theme.quotes")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def measure_profile(b: Body) -> None:
    """The profile of measure ``m``: every field in a two-column table."""
    b.field_table(
        ["{{ m.label }}", "{{ labels.status }}: {{ m.status }}"],
        [
            ("{{ labels.serves_goals }}", "{{r m.goal_links }}"),
            ("{{ labels.lead }}", "{{ m.lead }}"),
            ("{{ labels.partners }}", "{{ m.partners or '–' }}"),
            ("{{ labels.target_groups }}", "{{ m.target_groups or '–' }}"),
            ("{{ labels.timeframe }}", "{{ m.timeframe or '–' }}"),
            ("{{ labels.priority }}", "{{ m.priority }}"),
            ("{{ labels.resources }}", "{{ m.resources or '–' }}"),
            ("{{ labels.budget }}", "{{ m.budget or '–' }}"),
            ("{{ labels.funding }}", "{{ m.funding or '–' }}"),
            ("{{ labels.indicators }}", "{{ m.indicators or '–' }}"),
            ("{{ labels.area }}", "{{ m.area }}"),
            ("{{ labels.cross_cutting_themes }}", "{{ m.cross_cutting or '–' }}"),
            ("{{ labels.contact }}", "{{ m.contact or '–' }}"),
        ],
    )


def overview(b: Body) -> None:
    b.h(1, "{{ chapters.overview }}{{ labels.overview }}")
    figure(b, "charts.status")
    b.tag("{%p for theme in themes %}")
    b.tag("{%p if theme.measures %}")
    b.h(2, "{{ theme.label }}: {{ theme.title }}")
    overview_table(b)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p if charts.timeline %}")
    b.h(2, "{{ labels.timeline }}")
    figure(b, "charts.timeline")
    b.tag("{%p endif %}")


def overview_table(b: Body) -> None:
    """The measures of ``theme`` in one table: number (linked), title, lead, timeframe, priority, status."""
    b.table(
        [
            "{{ labels.number }}",
            "{{ labels.measure }}",
            "{{ labels.lead }}",
            "{{ labels.timeframe }}",
            "{{ labels.priority }}",
            "{{ labels.status }}",
        ],
        "m in theme.measures",
        [
            "{{r m.link }}",
            "{{ m.title }}",
            "{{ m.lead }}",
            "{{ m.timeframe }}",
            "{{ m.priority }}",
            "{{ m.status }}",
        ],
        [1.3, 4.5, 3.2, 2.2, 2.2, 2.6],
    )


def figure(b: Body, chart: str) -> None:
    """A chart with its numbered caption below; left out when there is no chart."""
    b.tag("{%p if " + chart + " %}")
    b.p("{{r " + chart + ".image }}", style="Figure")
    b.p("{{ labels.figure }} {{ " + chart + ".number }}: {{ " + chart + ".caption }}", style="Caption")
    b.tag("{%p endif %}")


def closing(b: Body) -> None:
    b.tag("{%p if monitoring %}")
    b.h(1, "{{ chapters.monitoring }}{{ labels.monitoring }}")
    b.example_note("monitoring.illustrative")
    b.tag("{{p monitoring.text }}")
    b.tag("{{p monitoring.steps }}")
    b.when(
        "monitoring.review_cycle",
        "@Strong:{{ labels.review_cycle }}: ",
        "{{ monitoring.review_cycle }}",
        style="Body Text",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if sources %}")
    b.h(1, "{{ labels.sources }}")
    b.tag("{%p for source in sources %}")
    b.p(
        "{{ source.text }}",
        "{%r if source.url %}",
        " ",
        "{{r source.link }}",
        "{%r endif %}",
        style="List Number",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if glossary %}")
    b.h(1, "{{ labels.glossary }}")
    b.table(
        ["{{ labels.term }}", "{{ labels.definition }}"],
        "entry in glossary",
        ["{{ entry.term }}", "{{ entry.definition }}"],
        [4.5, 11.5],
    )
    b.tag("{%p endif %}")
    b.tag("{%p if changes %}")
    b.h(1, "{{ labels.changes_since }} {{ changes.old_version }}")
    b.tag("{%p if changes.rows %}")
    b.table(
        [
            "{{ labels.change }}",
            "{{ labels.item }}",
            "{{ labels.field }}",
            "{{ labels.before }}",
            "{{ labels.after }}",
        ],
        "row in changes.rows",
        ["{{ row.kind }}", "{{ row.item }}", "{{ row.field }}", "{{ row.old }}", "{{ row.new }}"],
        [2.2, 4.6, 2.6, 3.3, 3.3],
    )
    b.tag("{%p else %}")
    b.p("{{ labels.no_changes }}", style="Body Text")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    imprint(b)


def imprint(b: Body) -> None:
    b.h(1, "{{ labels.imprint }}")
    b.p("@Strong:{{ labels.publisher }}", style="Label")
    b.p("{{ meta.issuer }}", style="Body Text")
    b.tag("{%p for line in meta.contact %}")
    b.p("{{ line }}", style="Small Text")
    b.tag("{%p endfor %}")
    b.tag("{%p if meta.authors %}")
    b.p("{{ labels.authors }}", style="Label")
    b.tag("{%p for author in meta.authors %}")
    b.p("{{ author }}", style="Small Text")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if meta.consultancy %}")
    b.p("{{ labels.consultancy }}", style="Label")
    b.p("{{ meta.consultancy }}", style="Small Text")
    b.tag("{%p endif %}")
    b.p("{{ labels.version }}", style="Label")
    b.p("{{ meta.version_line }}", style="Small Text")
    b.tag("{{p meta.note }}")


def short_themes(b: Body) -> None:
    """Kurzfassung: each theme with its goals and its priority measures."""
    b.h(1, "{{ labels.themes }}")
    b.tag("{%p for theme in themes %}")
    b.h(2, "{{ theme.label }}: {{ theme.title }}")
    b.tag("{%p for goal in theme.goals %}")
    b.p(
        "@Strong:{{ goal.label }}",
        " {{ goal.title }}",
        *b.example_tag("goal.illustrative"),
        style="Body Text",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if theme.priority_measures %}")
    b.p("{{ labels.priority_measures }}", style="Label")
    b.tag("{%p for m in theme.priority_measures %}")
    b.p("{{ m.label }} {{ m.title }} ({{ m.lead }}, {{ m.status }})", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def catalogue(b: Body) -> None:
    """Maßnahmenkatalog: a profile sheet per measure, each on a page of its own."""
    b.tag("{%p for theme in themes %}")
    b.h(1, "{{ theme.label }}: {{ theme.title }}")
    b.tag("{%p for m in theme.measures %}")
    b.p(
        "{{r m.anchor }}",
        "{{ m.label }} {{ m.title }}",
        *b.example_tag("m.illustrative"),
        style="Sheet Heading",
    )
    b.tag("{{p m.description }}")
    measure_profile(b)
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")


def report(b: Body) -> None:
    """Umsetzungsbericht: the state of implementation by theme and status, and what is overdue."""
    b.h(1, "{{ labels.report_status }}")
    b.p("{{ labels.report_as_of }} {{ meta.date }}", style="Meta Line")
    b.table(
        ["{{ labels.theme }}", "{{ labels.measures }}", "{{ labels.status_counts }}"],
        "row in status_overview",
        ["{{ row.theme }}", "{{ row.total }}", "{{ row.counts }}"],
        [6.5, 2.5, 7.0],
    )
    figure(b, "charts.status")
    b.h(1, "{{ labels.overdue }}")
    b.tag("{%p if overdue %}")
    b.table(
        [
            "{{ labels.number }}",
            "{{ labels.measure }}",
            "{{ labels.lead }}",
            "{{ labels.end }}",
            "{{ labels.status }}",
        ],
        "m in overdue",
        ["{{r m.link }}", "{{ m.title }}", "{{ m.lead }}", "{{ m.end }}", "{{ m.status }}"],
        [1.4, 6.0, 3.6, 2.6, 2.4],
    )
    b.tag("{%p else %}")
    b.p("{{ labels.nothing_overdue }}", style="Body Text")
    b.tag("{%p endif %}")


def measure_overview(b: Body) -> None:
    b.h(1, "{{ labels.overview }}")
    b.tag("{%p for theme in themes %}")
    b.tag("{%p if theme.measures %}")
    b.h(2, "{{ theme.label }}: {{ theme.title }}")
    overview_table(b)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def full(b: Body) -> None:
    cover(b)
    toc_field(b.doc)
    foreword(b)
    starting_point(b)
    principles(b)
    process(b)
    themes(b)
    overview(b)
    closing(b)


def short(b: Body) -> None:
    cover(b)
    toc_field(b.doc)
    principles(b)
    short_themes(b)
    imprint(b)


def measures_catalogue(b: Body) -> None:
    cover(b)
    toc_field(b.doc)
    catalogue(b)
    imprint(b)


def extract(b: Body) -> None:
    cover(b)
    toc_field(b.doc)
    measure_overview(b)
    catalogue(b)
    imprint(b)


def implementation_report(b: Body) -> None:
    cover(b)
    toc_field(b.doc)
    report(b)
    measure_overview(b)
    imprint(b)


# What each variant's template holds
CONTENTS: dict[str, Callable[[Body], None]] = {
    "konzept": full,
    "kurzfassung": short,
    "massnahmenkatalog": measures_catalogue,
    "auszug": extract,
    "umsetzungsbericht": implementation_report,
}


def make(path: Path, content: Callable[[Body], None] = full) -> None:
    doc = Document()
    setup_styles(doc)
    header_and_footer(doc)
    content(Body(doc))
    package_rels = doc.part.package.rels
    for relationship_id, relationship in list(package_rels.items()):
        if relationship.reltype.endswith("/thumbnail"):  # python-docx's picture of an empty page
            package_rels.pop(relationship_id)
    core = doc.core_properties
    core.title = "{{ meta.title }}"
    core.author = ""
    core.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(normalize_zip(buffer.getvalue()))  # fixed zip times: regenerating changes nothing


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for variant in VARIANTS.values():
        make(folder / variant.template, CONTENTS[variant.name])

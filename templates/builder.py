"""Writing a template: paragraphs with tags, tables in the table styles, fields, header and footer.

A template is an ordinary Word document whose text holds docxtpl tags. The
helpers here write them the way docxtpl needs them – paragraph tags alone in
their paragraph, run tags alone in their run – and every table in a table
style, so that the generated files stay reviewable as code.
"""

from __future__ import annotations

from design import CONCEPT_TABLE, MARGIN_CM, PAGE_HEIGHT_CM, PAGE_WIDTH_CM, PROFILE_TABLE, TWIPS_PER_CM
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

# space above a chapter heading in a short document, where chapters do not start new pages
COMPACT_CHAPTER_SPACE_PT = 28


class Body:
    """Appends the content of a template to ``doc``."""

    def __init__(self, doc: WordDocument, *, compact: bool = False) -> None:
        self.doc = doc
        # a short document runs on: its chapters do not start new pages, so no page stays near empty
        self.compact = compact

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

    def h(self, level: int, *runs: str, numbered: bool = True) -> None:
        """A heading; ``numbered`` False switches off the numbering a design may give the headings.

        Headings that carry the documents' own numbers (Handlungsfeld 2, Ziel 2.1),
        those within a theme and the unnumbered chapters (Vorwort, Impressum) take
        no number from a reference document that numbers its headings ("6.2
        Handlungsfeld 1" would count twice) – as in Word, numbering "None".
        """
        heading = self.p(*runs, style=f"Heading {level}")
        if not numbered:
            numbering = heading._p.get_or_add_pPr().get_or_add_numPr()  # type: ignore[attr-defined]
            numbering.get_or_add_numId().val = 0
        if self.compact and level == 1:
            # on the paragraph, over any design's style; a chapter that runs on needs the space
            # a new page gave it, or it sits glued to the table or the contents above
            heading.paragraph_format.page_break_before = False
            heading.paragraph_format.space_before = Pt(COMPACT_CHAPTER_SPACE_PT)

    def restart_numbering(self, paragraph: Paragraph) -> None:
        """Number ``paragraph`` with a list instance of its own style's numbering that starts at 1."""
        properties = paragraph._p.get_or_add_pPr()
        style = properties.find(qn("w:pStyle"))
        assert style is not None
        style_number = self.doc.styles.element.find(
            f"{qn('w:style')}[@{qn('w:styleId')}='{style.get(qn('w:val'))}']/{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}"
        )
        assert style_number is not None
        numbering = self.doc.part.numbering_part.element
        abstract = numbering.find(
            f"{qn('w:num')}[@{qn('w:numId')}='{style_number.get(qn('w:val'))}']/{qn('w:abstractNumId')}"
        )
        assert abstract is not None
        instance = 1 + max(int(n.get(qn("w:numId"), "0")) for n in numbering.iter(qn("w:num")))
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{instance}">'
                f'<w:abstractNumId w:val="{abstract.get(qn("w:val"))}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )
        style.addnext(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{instance}"/></w:numPr>')
        )

    # --- illustrative content: one style, never inside a heading (it would reach bookmarks and contents)

    def example(self, condition: str) -> None:
        """The short marker below a heading whose content is illustrative."""
        self.when(condition, "{{ labels.example }}", style="Example Note")

    def example_inline(self, condition: str) -> tuple[str, ...]:
        """The marker at the end of a paragraph, as runs."""
        return ("{%r if " + condition + " %}", " ", "@Example Note Char:{{ labels.example }}", "{%r endif %}")

    def example_note(self, condition: str) -> None:
        """The marker with its explanation, where a whole chapter is illustrative."""
        self.when(condition, "{{ labels.example }}: {{ labels.example_note }}", style="Example Note")

    # --- tables

    def table(self, headers: list[str], loop: str | None, cells: list[str], widths: list[float]) -> Table:
        """A table with a header row that repeats on every page; ``loop`` makes one row per item."""
        rows = 2 + (2 if loop else 0)
        table = self.new_table(rows, widths, CONCEPT_TABLE, first_row=True)
        header = table.rows[0]
        row_properties(header, "w:cantSplit", "w:tblHeader")
        for cell, text in zip(header.cells, headers, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles["Table Heading"]
            for run_text in text.split("|"):
                self.run(paragraph, run_text)
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
            row_properties(row, "w:cantSplit")
        return table

    def profile(self, rows: list[tuple[str, str]], widths: list[float]) -> Table:
        """A profile: one row per field, the label a row header; kept together on one page."""
        table = self.new_table(len(rows), widths, PROFILE_TABLE, first_column=True)
        for index, (row, (label, value)) in enumerate(zip(table.rows, rows, strict=False)):
            row_properties(row, "w:cantSplit")
            label_paragraph, value_paragraph = (cell.paragraphs[0] for cell in row.cells)
            label_paragraph.style = self.doc.styles["Table Heading"]
            label_paragraph.add_run(label)
            value_paragraph.style = self.doc.styles["Table Text"]
            for run_text in value.split("|"):
                self.run(value_paragraph, run_text)
            if index < len(rows) - 1:  # Word keeps a table on one page when each row keeps with the next
                for paragraph in (label_paragraph, value_paragraph):
                    paragraph.paragraph_format.keep_with_next = True
        return table

    def new_table(
        self,
        rows: int,
        widths: list[float],
        style: str,
        *,
        first_row: bool = False,
        first_column: bool = False,
    ) -> Table:
        table: Table = self.doc.add_table(rows=rows, cols=len(widths))
        table.style = self.doc.styles[style]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        properties = table._tbl.tblPr
        for look in properties.findall(qn("w:tblLook")):
            properties.remove(look)
        properties.append(
            parse_xml(
                f'<w:tblLook {nsdecls("w")} w:firstRow="{int(first_row)}" w:lastRow="0"'
                f' w:firstColumn="{int(first_column)}" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            )
        )
        width = properties.find(qn("w:tblW"))
        assert width is not None
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(round(sum(widths) * TWIPS_PER_CM)))
        for row in table.rows:
            for cell, column_width in zip(row.cells, widths, strict=False):
                cell.width = Cm(column_width)
        for column, column_width in zip(table.columns, widths, strict=False):
            column.width = Cm(column_width)
        return table


def row_properties(row: _Row, *names: str) -> None:
    """Add empty row properties such as ``w:cantSplit`` and ``w:tblHeader``, in the schema's order."""
    properties = row._tr.get_or_add_trPr()
    for name in names:
        properties.append(parse_xml(f"<{name} {nsdecls('w')}/>"))


# --- fields, header and footer ------------------------------------------------------------------


def field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES …) showing ``shown`` until it is updated."""
    element = paragraph._p
    element.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    element.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        )
    )
    element.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    element.append(parse_xml(f"<w:r {nsdecls('w')}><w:t>{shown}</w:t></w:r>"))
    element.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def contents_field(doc: WordDocument) -> None:
    """A table-of-contents field; the build fills in its entries from the headings."""
    heading = doc.add_paragraph(style="TOC Heading")
    heading.add_run("{{ labels.contents }}")
    # set on the paragraph too: the cover stays a page of its own in a reference document's design
    heading.paragraph_format.page_break_before = True
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


def page_setup_with_header_and_footer(doc: WordDocument) -> None:
    """A4 portrait; the cover without header and footer; the document and its variant named in the footer."""
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(PAGE_HEIGHT_CM), Cm(PAGE_WIDTH_CM)
    section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True  # the cover stays clean
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run("{% if draft %}{{ labels.draft }} – {% endif %}{{ meta.district }}")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run(
        "{{ meta.title }}{% if variant.title %} · {{ variant.title }}{% endif %}"
        " · {{ labels.version }} {{ meta.version }}\t{{ labels.page }} "
    )
    field(footer, "PAGE", "1")
    footer.add_run(" {{ labels.of }} ")
    field(footer, "NUMPAGES", "1")

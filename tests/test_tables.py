"""Tables laid out before LibreOffice or Word see them: columns for their words, kept on one page."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from lxml import etree

import concept_builder
from concept_builder import BuildOptions, check_document
from concept_builder.tables import fit_tables, hyphenate, share_out
from concept_builder.word import TABLE_SEPARATOR, W_NS, StyleMap, Styles
from tests.conftest import GOSLAR, require_soffice, validate_with_word
from tests.cxml import element
from tests.test_word import style

STYLES = StyleMap.of(
    Styles(
        element(
            "w:styles/({})".format(
                ",".join(
                    [
                        style(
                            "Standard",
                            "Normal",
                            "w:rPr/(w:rFonts{w:ascii=Liberation Sans},w:sz{w:val=20})",
                            default=True,
                        ),
                        style("Ueberschrift2", "heading 2", "w:pPr/(w:keepNext,w:outlineLvl{w:val=1})"),
                        style("Textkoerper", "Body Text", "w:basedOn{w:val=Standard}"),
                    ]
                )
            )
        )
    )
)
SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1418" w:right="1418" w:bottom="1134" w:left="1418"/></w:sectPr>'
)


def table(rows: list[list[str]], widths: list[int]) -> str:
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    body = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
            for text, width in zip(row, widths, strict=True)
        )
        + "</w:tr>"
        for row in rows
    )
    properties = f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/></w:tblPr>'
    return f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"


def body(*parts: str) -> bytes:
    return ("<w:body>" + "".join(parts) + SECTION + "</w:body>").encode()


def paragraph(text: str, style_id: str = "Textkoerper") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def parsed(result: bytes) -> etree._Element:
    return etree.fromstring(result.replace(b"<w:body>", f'<w:body xmlns:w="{W_NS}">'.encode()))


def grid_of(result: bytes) -> list[int]:
    return [int(width) for width in re.findall(rb'<w:gridCol w:w="(\d+)"/>', result)]


def test_shared_out_widths_keep_the_total_and_every_minimum() -> None:
    widths = share_out([1000, 1000, 7000], [2500, 800, 1000], 9000)
    assert sum(widths) == 9000 and widths[0] >= 2500 and widths[1] >= 800 and widths[2] >= 1000
    squeezed = share_out([3000, 3000], [5000, 5000], 9000)  # cannot fit: the words will break
    assert sum(squeezed) == 9000


def test_a_column_gets_the_width_of_its_longest_word() -> None:
    rows = [["Nr.", "Federführung", "Zeitraum"], ["1.1.1", "Kreisvolkshochschule", "2021"]]
    result = fit_tables(body(table(rows, [600, 600, 7800])), STYLES)
    widths = grid_of(result)
    assert sum(widths) == 9000 and widths[1] > 600
    assert b"<w:softHyphen/>" not in result  # it fits whole: no hyphens
    parsed(result)


def in_a_cell(inner: str) -> str:
    """``inner`` inside the cell of an outer table: a table there cannot turn to landscape."""
    cell = f"<w:tr><w:tc>{inner}<w:p/></w:tc></w:tr>"
    return f'<w:tbl><w:tblGrid><w:gridCol w:w="9070"/></w:tblGrid>{cell}</w:tbl>'


def test_a_word_too_long_for_any_column_gets_soft_hyphens_at_its_syllables() -> None:
    word = "Schuleingangsuntersuchungsergebnisbesprechung"
    rows = [[word, word, f"{word} und {word}"]]
    result = fit_tables(body(in_a_cell(table(rows, [1500, 1500, 1500]))), STYLES)
    pieces = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", result.decode())
    assert "".join(pieces[: len(hyphenate(word))]) == word  # the letters stay, only breaks are added
    assert result.count(b"<w:softHyphen/>") == 4 * (len(hyphenate(word)) - 1)  # each time it occurs
    assert hyphenate("Integrationsleitlinien") == ["Inte", "gra", "ti", "ons", "leit", "li", "nien"]
    assert b'w:orient="landscape"' not in result
    parsed(result)


def test_a_table_too_wide_for_the_page_turns_to_landscape_in_a_section_of_its_own() -> None:
    heading = paragraph("Maßnahmenübersicht", "Ueberschrift2")
    columns = ["Federführung", "Kreisvolkshochschule", "Gleichstellungsbeauftragte", "Zielgruppen"] * 2
    wide = table([columns, columns], [1130] * 8)
    result = fit_tables(body(paragraph("Davor"), heading, wide, paragraph("Danach")), STYLES)
    sections = re.findall(rb"<w:sectPr>.*?</w:sectPr>", result)
    assert len(sections) == 3  # upright before, turned for the table, upright after
    assert b'w:w="16838" w:h="11906" w:orient="landscape"' in sections[1]
    assert result.index(sections[0]) < result.index(
        "Maßnahmenübersicht".encode()
    )  # the heading turns with it
    assert result.index("Maßnahmenübersicht".encode()) < result.index(sections[1]) < result.index(b"Danach")
    assert sum(grid_of(result)[:8]) == 16838 - 2 * 1418  # the table takes the turned page's width
    parsed(result)


def test_turned_tables_with_nothing_between_them_share_their_landscape_pages() -> None:
    """A template's loop gives a wide table per Handlungsfeld: no blank upright page between them."""
    columns = ["Federführung", "Kreisvolkshochschule", "Gleichstellungsbeauftragte", "Zielgruppen"] * 2
    wide = table([columns, columns], [1130] * 8)
    empty = '<w:p><w:pPr><w:pStyle w:val="Textkoerper"/></w:pPr></w:p>'
    result = fit_tables(body(paragraph("Davor"), wide, empty, wide, paragraph("Danach"), wide), STYLES)
    sections = re.findall(rb"<w:sectPr>.*?</w:sectPr>", result)
    orientations = [b'w:orient="landscape"' in section for section in sections]
    # upright before, the first two turned together, upright for "Danach", and the last table turned
    # as the document's last section: nothing upright after it to make a blank page of
    assert orientations == [False, True, False, True]
    first_turned = result.index(sections[1])
    assert result.count(b"<w:tbl>", 0, first_turned) == 2  # both tables end the one turned section
    assert result.index(b"Danach") > first_turned
    parsed(result)
    starting = fit_tables(body(empty, wide, paragraph("Danach")), STYLES)  # nothing upright before it
    sections = re.findall(rb"<w:sectPr>.*?</w:sectPr>", starting)
    assert [b'w:orient="landscape"' in section for section in sections] == [True, False]


def test_a_heading_and_its_short_lead_in_turn_with_their_table() -> None:
    """Turned alone, the table would leave its chapter's heading and two lines on a page nearly empty."""
    columns = ["Federführung", "Kreisvolkshochschule", "Gleichstellungsbeauftragte", "Zielgruppen"] * 2
    wide = table([columns, columns], [1130] * 8)
    heading = paragraph("Maßnahmenübersicht", "Ueberschrift2")
    short = paragraph("Die Tabelle zeigt alle Maßnahmen.")
    result = fit_tables(body(paragraph("Davor"), heading, short, wide, paragraph("Danach")), STYLES)
    upright_end = result.index(re.findall(rb"<w:sectPr>.*?</w:sectPr>", result)[0])
    assert result.index(b"Davor") < upright_end < result.index("Maßnahmenübersicht".encode())
    long = paragraph("Ein langer Absatz vor der Tabelle. " * 20)  # more than a few lines: stays upright
    result = fit_tables(body(paragraph("Davor"), heading, long, wide), STYLES)
    upright_end = result.index(re.findall(rb"<w:sectPr>.*?</w:sectPr>", result)[0])
    assert result.index("Maßnahmenübersicht".encode()) < result.index(b"Ein langer") < upright_end


def test_the_heading_row_of_a_long_table_keeps_with_the_row_below() -> None:
    """A table that breaks across pages never leaves its heading row alone at the foot of a page."""
    rows = [["Maßnahme", "Stand"]] + [[f"Maßnahme {n} mit einem Titel", "geplant"] for n in range(90)]
    heading_row = table(rows, [4500, 4500]).replace("<w:tr>", "<w:tr><w:trPr><w:tblHeader/></w:trPr>", 1)
    result = fit_tables(body(heading_row), STYLES)
    found = re.findall(rb"<w:tr>.*?</w:tr>", result, re.DOTALL)
    assert found[0].count(b"<w:keepNext/>") == 2  # both cells of the heading row
    assert b"<w:keepNext/>" not in b"".join(found[1:])  # the table still breaks between its rows
    assert b"<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" in found[0]  # the schema's order
    parsed(result)


def test_a_table_that_fits_on_a_page_is_kept_together() -> None:
    rows = [["Indikator", "Wert"]] + [[f"Kennzahl {n}", str(n)] for n in range(8)]
    result = fit_tables(body(table(rows, [4500, 4500])), STYLES)
    found = re.findall(rb"<w:tr>.*?</w:tr>", result, re.DOTALL)
    assert all(b"<w:trPr><w:cantSplit/></w:trPr>" in row for row in found)
    assert all(b"<w:keepNext/>" in row for row in found[:-1]) and b"<w:keepNext/>" not in found[-1]
    parsed(result)


def test_a_table_longer_than_a_page_may_break_between_rows() -> None:
    rows = [["Maßnahme", "Stand"]] + [[f"Maßnahme {n} mit einem Titel", "geplant"] for n in range(90)]
    result = fit_tables(body(table(rows, [4500, 4500])), STYLES)
    assert b"<w:keepNext/>" not in result  # kept together it would start on a new page and break anyway
    assert result.count(b"<w:cantSplit/>") == len(rows)  # but it breaks between rows, never inside one


def test_a_note_below_a_table_stays_with_its_last_row() -> None:
    rows = [["Handlungsfeld", "Summe"]] + [[f"Handlungsfeld {n}", "1.000 €"] for n in range(90)]
    note = paragraph("Summen der bezifferten Budgets von 11 von 63 Maßnahmen.")
    result = fit_tables(body(table(rows, [4500, 4500]), note), STYLES)
    found = re.findall(rb"<w:tr>.*?</w:tr>", result, re.DOTALL)
    assert found[-1].count(b"<w:keepNext/>") == 2  # both cells of the last row keep with the note
    assert b"<w:keepNext/>" not in b"".join(found[:-1])  # a long table still breaks between its rows
    parsed(result)


def test_a_heading_below_a_table_is_not_kept_with_it() -> None:
    rows = [["Handlungsfeld", "Summe"]] + [[f"Handlungsfeld {n}", "1.000 €"] for n in range(90)]
    heading = paragraph("Maßnahmenübersicht", "Ueberschrift2")
    result = fit_tables(body(table(rows, [4500, 4500]), heading, paragraph("Text")), STYLES)
    assert re.findall(rb"<w:tr>.*?</w:tr>", result, re.DOTALL)[-1].count(b"<w:keepNext/>") == 0


def test_a_hairline_paragraph_separates_a_table_from_a_heading_kept_with_the_next() -> None:
    rows = [["a", "b"], ["c", "d"]]
    heading = paragraph("Stimmen aus dem Beteiligungsprozess", "Ueberschrift2")
    result = fit_tables(body(table(rows, [4500, 4500]), heading, paragraph("Text")), STYLES)
    assert TABLE_SEPARATOR + heading.encode() in result
    plain = fit_tables(body(table(rows, [4500, 4500]), paragraph("Text")), STYLES)
    assert TABLE_SEPARATOR not in plain  # body text after a table needs none
    parsed(result)


@pytest.mark.libreoffice
def test_a_template_with_a_wide_table_gets_landscape_pages_that_pass_the_check(tmp_path: Path) -> None:
    """Nine columns from a template made in Word: turned pages, no broken word, heading with its table."""
    require_soffice()
    document = Document()
    document.sections[0].page_width, document.sections[0].page_height = Cm(21), Cm(29.7)
    document.core_properties.title = "Breite Übersicht"
    document.add_paragraph("{%p for theme in themes %}")
    document.add_paragraph("{{ theme.label }}: {{ theme.title }}", style="Heading 1")
    fields = {
        "Nr.": "m.number",
        "Maßnahme": "m.title",
        "Federführung": "m.lead",
        "Partner": "m.partners",
        "Zielgruppen": "m.target_groups",
        "Zeitraum": "m.timeframe",
        "Priorität": "m.priority",
        "Status": "m.status",
        "Finanzierung": "m.funding",
    }
    grid = document.add_table(rows=4, cols=len(fields))
    grid.style = "Table Grid"
    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for column, (label, field) in enumerate(fields.items()):
        header.cells[column].text = label
        grid.cell(2, column).text = "{{ " + field + " }}"
    grid.cell(1, 0).text = "{%tr for m in theme.measures %}"
    grid.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p endfor %}")
    document.save(str(tmp_path / "breit.docx"))
    result = concept_builder.build_folder(
        GOSLAR, BuildOptions(out_dir=tmp_path / "out", template=tmp_path / "breit.docx", pdf=True)
    )
    assert result.pdf is not None
    validate_with_word(result.path)
    with pikepdf.open(result.pdf) as pdf:
        turned = [page for page in pdf.pages if float(page.mediabox[2]) > float(page.mediabox[3])]
        blank = [
            number
            for number, page in enumerate(pdf.pages, 1)
            if not pikepdf.parse_content_stream(page, "Tj TJ")
        ]
    assert turned  # the overviews are on landscape pages
    assert blank == []  # one table per Handlungsfeld, and no empty upright page between them
    assert check_document(result.pdf) == []


def test_cell_widths_follow_the_columns_whatever_the_order_of_their_attributes() -> None:
    rows = [["Nr.", "Federführung", "Zeitraum"], ["1.1.1", "Kreisvolkshochschule", "2021"]]
    source = re.sub(r'w:w="(\d+)" w:type="dxa"', r'w:type="dxa" w:w="\1"', table(rows, [600, 600, 7800]))
    result = fit_tables(body(source), STYLES)
    grid = grid_of(result)
    assert grid != [600, 600, 7800]
    for row in re.findall(rb"<w:tr>.*?</w:tr>", result, re.DOTALL):  # Word lays a table out by its cells
        assert [int(w) for w in re.findall(rb'<w:tcW w:w="(\d+)" w:type="dxa"/>', row)] == grid


def test_a_value_marked_for_review_is_measured_and_hyphenated_with_the_words_around_it() -> None:
    """A value's marker cuts its run (markers.py); the table is laid out as if it did not."""
    from concept_builder.markers import around_text, place_markers
    from concept_builder.tables.measure import printed_width, with_soft_hyphens

    word = "Schuleingangsuntersuchungsergebnisbesprechung"
    plain = [[f"({word}), Kreis", "Nr.", "Kreisvolkshochschule"]]
    cut = [[f"({around_text(word, '_cbaaaaaaaaaa')}), {around_text('Kreis', '_cbbbbbbbbbbb')}", "Nr.", "x"]]
    cut[0][2] = around_text("Kreisvolkshochschule", "_cbcccccccccc")
    whole = fit_tables(body(in_a_cell(table(plain, [1500, 1500, 1500]))), STYLES)
    marked = fit_tables(place_markers(body(in_a_cell(table(cut, [1500, 1500, 1500])))), STYLES)
    assert b"<w:bookmarkStart" in marked
    assert grid_of(marked) == grid_of(whole)
    assert marked.count(b"<w:softHyphen/>") == whole.count(b"<w:softHyphen/>") > 0
    # a word whose comma is in the next run is as wide as with it
    compound = "Kirchengemeinden"
    cell = place_markers(
        f"<w:p><w:r><w:t>{around_text(compound, '_cbaaaaaaaaaa')}, Vereine</w:t></w:r></w:p>".encode()
    )
    just = printed_width(compound, STYLES.format_of(None)) + 1  # the word fits, with its comma it does not
    assert b"<w:softHyphen/>" in with_soft_hyphens(cell, STYLES, just)

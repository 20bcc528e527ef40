"""The contents filler: an entry per heading, in the template's styles, with pages where known."""

from __future__ import annotations

import re

from lxml import etree

from concept_builder.render import unique_ids
from concept_builder.toc import contents_levels, fill_contents, heading_text, match_pages
from concept_builder.word import W_NS, StyleMap, Styles, bookmark, format_number
from tests.cxml import element, xml
from tests.test_word import outline, style

STYLES = StyleMap.of(
    Styles(
        element(
            "w:styles/({})".format(
                ",".join(
                    [
                        style("berschrift1", "heading 1", outline(1)),
                        style("berschrift2", "heading 2", outline(2)),
                        style("Verzeichnis1", "toc 1"),
                        style("Verzeichnis2", "toc 2"),
                        style("Beispiel", "Example Tag", kind="character"),
                    ]
                )
            )
        )
    )
)


def contents_field(instruction: str = ' TOC \\o "1-2" \\h ') -> str:
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f"<w:r><w:instrText>{instruction}</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Hinweis</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def heading(style: str, *runs: str) -> str:
    return xml(f"w:p/(w:pPr/w:pStyle{{w:val={style}}},{','.join(runs)})", declare=False)


BODY = (
    "<w:body>"
    + contents_field()
    + heading("berschrift1", 'w:r/w:t"1 Ausgangslage"')
    + heading("berschrift2", 'w:r/w:t"Ziele"', 'w:r/(w:rPr/w:rStyle{w:val=Beispiel},w:t" Beispielinhalt")')
    + "<w:p><w:r><w:t>Text</w:t></w:r></w:p>"
    + "</w:body>"
).encode()


def entries(body: bytes) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<w:pStyle w:val="(Verzeichnis\d)"/>.*?<w:hyperlink w:anchor="(_Toc\d+)"[^>]*>(.*?)</w:hyperlink>',
        body.decode(),
    )


def test_an_entry_per_heading_in_the_templates_contents_styles() -> None:
    filled = fill_contents(BODY, STYLES)
    found = [(style, anchor, re.sub(r"<[^>]+>", "", runs)) for style, anchor, runs in entries(filled)]
    assert found == [
        ("Verzeichnis1", "_Toc00000001", "1 Ausgangslage"),
        ("Verzeichnis2", "_Toc00000002", "Ziele"),
    ]
    assert filled.count(b'w:name="_Toc00000001"') == 1  # the heading carries the bookmark
    assert b"Hinweis" not in filled and filled.count(b'w:fldCharType="end"') == 1
    etree.fromstring(filled.replace(b"<w:body>", f'<w:body xmlns:w="{W_NS}">'.encode()))  # well formed


def test_page_numbers_where_a_layout_gave_them() -> None:
    filled = fill_contents(BODY, STYLES, [("1 Ausgangslage", 3), ("Ziele Beispielinhalt", 4)])
    assert re.findall(r"PAGEREF (_Toc\d+) \\h </w:instrText>.*?<w:t>(\d+)</w:t>", filled.decode()) == [
        ("_Toc00000001", "3"),
        ("_Toc00000002", "4"),
    ]


def test_the_field_decides_the_levels() -> None:
    assert list(contents_levels(b' TOC \\o "1-1" \\h')) == [1]
    assert list(contents_levels(b" TOC \\h")) == [1, 2, 3]
    body = BODY.replace(b'\\o "1-2"', b'\\o "1-1"')
    assert [style for style, _, _ in entries(fill_contents(body, STYLES))] == ["Verzeichnis1"]


def test_a_field_word_wrote_over_several_paragraphs_is_left_to_word() -> None:
    split = BODY.replace(
        b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        b'</w:p><w:p><w:r><w:fldChar w:fldCharType="separate"/></w:r>',
    )
    assert fill_contents(split, STYLES) == split


def test_the_example_tag_is_no_part_of_an_entry() -> None:
    paragraph = heading(
        "berschrift2", 'w:r/w:t"Ziel 1.1 Sprache"', 'w:r/(w:rPr/w:rStyle{w:val=Beispiel},w:t"Beispielinhalt")'
    )
    assert heading_text(paragraph.encode(), b"Beispiel") == "Ziel 1.1 Sprache"


def test_pages_are_matched_in_order_even_for_repeated_titles() -> None:
    outline = [("Ziele", 5), ("Maßnahmen", 6), ("Ziele", 9), ("Maßnahmen", 10)]
    assert match_pages(["Ziele", "Maßnahmen", "Ziele", "Fehlt", "Maßnahmen"], outline) == [5, 6, 9, None, 10]


def test_prepared_bookmarks_and_drawings_get_unique_ids() -> None:
    body = (
        '<w:p><w:bookmarkStart w:id="7" w:name="_GoBack"/><w:r><w:t>x</w:t></w:r><w:bookmarkEnd w:id="7"/>'
        + bookmark("cb_a")
        + bookmark("cb_a")  # a template may print an item's anchor twice
        + '<w:r><w:drawing><wp:docPr id="1" name="a"/></w:drawing></w:r>'
        + '<w:r><w:drawing><wp:docPr id="1" name="b"/></w:drawing></w:r></w:p>'
    ).encode()
    numbered = unique_ids(body).decode()
    assert re.findall(r'w:bookmarkStart w:id="(\d+)"', numbered) == ["7", "8", "9"]
    assert re.findall(r'w:bookmarkEnd w:id="(\d+)"', numbered) == ["7", "8", "9"]
    assert re.findall(r'<wp:docPr id="(\d+)"', numbered) == ["1", "2"]


def test_entries_carry_the_numbers_a_designs_heading_numbering_gives() -> None:
    """A reference numbering its headings (I., I.1 …): the entries show what Word will show."""
    numbered = StyleMap.of(
        Styles(
            element(
                "w:styles/({})".format(
                    ",".join(
                        [
                            style(
                                "H1", "heading 1", "w:pPr/(w:numPr/w:numId{w:val=7},w:outlineLvl{w:val=0})"
                            ),
                            style(
                                "H2",
                                "heading 2",
                                "w:pPr/(w:numPr/(w:ilvl{w:val=1},w:numId{w:val=7}),w:outlineLvl{w:val=1})",
                            ),
                            style("Verzeichnis1", "toc 1"),
                            style("Verzeichnis2", "toc 2"),
                        ]
                    )
                )
            )
        ),
        element(
            "w:numbering/(w:abstractNum{w:abstractNumId=3}/("
            "w:lvl{w:ilvl=0}/(w:start{w:val=1},w:numFmt{w:val=upperRoman},w:lvlText{w:val=%1.}),"
            "w:lvl{w:ilvl=1}/(w:start{w:val=1},w:numFmt{w:val=lowerLetter},w:lvlText{w:val=%1.%2)})),"
            "w:num{w:numId=7}/w:abstractNumId{w:val=3})"
        ),
    )
    body = (
        "<w:body>"
        + contents_field()
        + heading("H1", 'w:r/w:t"Ausgangslage"')
        + heading("H2", 'w:r/w:t"Ziele"')
        + heading("H2", 'w:r/w:t"Wege"')
        + heading("H1", 'w:r/w:t"Leitlinien"')
        + xml('w:p/(w:pPr/(w:pStyle{w:val=H1},w:numPr/w:numId{w:val=0}),w:r/w:t"Anhang")', declare=False)
        + heading("H2", 'w:r/w:t"Quellen"')
        + "</w:body>"
    ).encode()
    texts = [re.sub(r"<[^>]+>", "", runs) for _, _, runs in entries(fill_contents(body, numbered))]
    expected = ["I. Ausgangslage", "I.a) Ziele", "I.b) Wege", "II. Leitlinien", "Anhang", "II.a) Quellen"]
    assert texts == expected  # a paragraph switching the list off is not counted


def test_list_numbers_in_words_formats() -> None:
    romans = [format_number(n, "upperRoman") for n in (1, 4, 9, 14, 1999)]
    assert romans == ["I", "IV", "IX", "XIV", "MCMXCIX"]
    assert [format_number(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert format_number(3, "decimalZero") == "03" and format_number(3, "none") == ""


def test_each_entry_has_its_page_number_tab_at_the_right_margin() -> None:
    """A design's "Verzeichnis 1" may have no tab stops: the entries bring their own, as Word's do."""
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1418" w:header="709"/></w:sectPr>'
    )
    body = BODY.replace(b"</w:body>", section.encode() + b"</w:body>")
    filled = fill_contents(body, STYLES, [("1 Ausgangslage", 3), ("Ziele Beispielinhalt", 4)]).decode()
    paragraphs = re.findall(r'<w:p><w:pPr><w:pStyle w:val="Verzeichnis\d"/>(.*?)</w:pPr>', filled)
    assert paragraphs == ['<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9354"/></w:tabs>'] * 2

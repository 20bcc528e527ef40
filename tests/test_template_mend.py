"""What a template's output is mended in, read on the bytes of a rendered body (``template_check.mend``)."""

from __future__ import annotations

from concept_builder.template_check import mend

TEXT = b'<w:r><w:t xml:space="preserve">Ma\xc3\x9fnahme 1.2.1</w:t></w:r>'


def test_an_empty_cell_gets_the_paragraph_word_requires() -> None:
    properties = b'<w:tcPr><w:tcW w:w="1"/></w:tcPr>'
    body = b"<w:tbl><w:tr><w:tc>" + properties + b"</w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    mended = mend(body, [])
    assert mended.count(b"<w:p/>") == 2  # the empty cell now, and the cell that had its paragraph
    assert b'<w:tcPr><w:tcW w:w="1"/></w:tcPr><w:p/></w:tc>' in mended


def test_a_link_to_a_bookmark_the_document_has_is_kept() -> None:
    body = b'<w:p><w:bookmarkStart w:id="1" w:name="cb_m1"/><w:bookmarkEnd w:id="1"/></w:p>'
    body += b'<w:p><w:hyperlink w:anchor="cb_m1" w:history="1">' + TEXT + b"</w:hyperlink></w:p>"
    warnings: list[str] = []
    assert mend(body, warnings) == body
    assert warnings == []


def test_a_link_to_a_bookmark_nowhere_keeps_its_text_without_the_link() -> None:
    body = b'<w:p><w:hyperlink w:anchor="cb_m1" w:history="1">' + TEXT + b"</w:hyperlink></w:p>"
    body += b'<w:p><w:hyperlink w:anchor="cb_m2">' + TEXT + b"</w:hyperlink></w:p>"
    warnings: list[str] = []
    mended = mend(body, warnings)
    assert mended == b"<w:p>" + TEXT + b"</w:p><w:p>" + TEXT + b"</w:p>"
    [warning] = warnings
    assert warning.startswith("2 links to items whose anchors the template does not print")
    assert "Maßnahme 1.2.1" in warning

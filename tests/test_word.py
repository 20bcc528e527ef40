"""Word's vocabulary: styles found by role in any template, fragments escaped and well formed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

from concept_builder.word import (
    W_NS,
    StyleMap,
    Styles,
    escape_text,
    paragraph,
    text_element,
    text_runs,
)
from tests.cxml import element, xml


def style(style_id: str, name: str, *children: str, kind: str = "paragraph", default: bool = False) -> str:
    """A style definition in compact XML."""
    flag = ",w:default=1" if default else ""
    inner = ",".join([f"w:name{{w:val={name}}}", *children])
    return f"w:style{{w:type={kind}{flag},w:styleId={style_id}}}/({inner})"


def outline(level: int) -> str:
    return f"w:pPr/w:outlineLvl{{w:val={level - 1}}}"


GERMAN_STYLES = "w:styles/({})".format(
    ",".join(
        [
            style("Standard", "Normal", default=True),
            style("berschrift1", "heading 1", outline(1)),
            style("berschrift2", "Überschrift 2", outline(2)),
            style("Kapitel", "Kapitel", "w:basedOn{w:val=berschrift1}"),
            style("Textkrper", "Body Text"),
            style("Aufzhlungszeichen", "List Bullet", "w:pPr/w:numPr/w:numId{w:val=3}"),
            style("Hyperlink", "Hyperlink", kind="character"),
        ]
    )
)


def test_styles_of_a_german_word_are_found_by_name_and_outline_level() -> None:
    styles = StyleMap.of(Styles(element(GERMAN_STYLES)))
    assert styles["body"] == "Textkrper"
    assert styles["list_bullet"] == "Aufzhlungszeichen"
    assert styles["hyperlink"] == "Hyperlink"
    assert styles.headings == {"berschrift1": 1, "berschrift2": 2, "Kapitel": 1}
    assert styles.heading(1) == "berschrift1"  # "heading N" before styles based on it


def test_missing_roles_fall_back_to_body_text_and_are_named() -> None:
    styles = StyleMap.of(Styles(element(GERMAN_STYLES)))
    assert styles["list_number"] == "Textkrper"
    assert "list_number" in styles.missing and "body" not in styles.missing
    assert styles["example_tag"] == "" and "example_tag" in styles.missing


def test_numbering_and_outline_come_through_the_chain() -> None:
    styles = Styles(element(GERMAN_STYLES))
    assert styles.outline_level("Kapitel") == 1
    assert styles.outline_level("Textkrper") is None
    assert styles.numbered("Aufzhlungszeichen") and styles.numbering_id("Aufzhlungszeichen") == "3"
    assert styles.default_paragraph == "Standard"


def test_text_is_escaped_and_braces_cannot_become_tags() -> None:
    assert escape_text('a & b < "c" {{ x }}') == "a &amp; b &lt; &#34;c&#34; &#123;&#123; x &#125;&#125;"


def test_line_breaks_and_tabs_become_word_elements() -> None:
    run = text_runs("eins\tzwei\ndrei", bold=True, style="Hyperlink")
    root = etree.fromstring(xml("w:body/w:p").replace("<w:p/>", paragraph(run, style="BodyText")))
    [p] = root
    assert [child.tag.split("}")[1] for child in p[1]] == ["rPr", "t", "tab", "t", "br", "t"]
    assert p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces={"w": W_NS}) == "BodyText"


def test_words_validator_rejects_what_word_would(tmp_path: Path) -> None:
    """The judge the suite relies on: a document with a misplaced element does not pass."""
    from tests.conftest import VALIDATOR, _WordValidator, validate_with_word

    good = tmp_path / "gut.docx"
    Document().save(str(good))
    validate_with_word(good)  # skips where the validator is not installed
    broken = tmp_path / "kaputt.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:r><w:t>lose</w:t></w:r>", 1)
            target.writestr(item, data)
    assert VALIDATOR.exists()
    assert "has invalid child element 'http://schemas.openxmlformats.org/wordprocessingml/2006/main:r'" in (
        _WordValidator.problems(broken) or ""
    )


def test_a_text_keeps_its_spaces_only_where_it_has_some_to_keep() -> None:
    assert text_element("Maßnahme 1.2 & mehr") == "<w:t>Maßnahme 1.2 &amp; mehr</w:t>"
    for text in (" Vorwort", "Ende ", "Ziel:  zwei", " "):
        assert text_element(text).startswith('<w:t xml:space="preserve">'), text


def test_lists_that_restart_take_numbering_ids_the_template_does_not_use() -> None:
    numbering = element(
        "w:numbering/(w:num{w:numId=1}/w:abstractNumId{w:val=0},w:num{w:numId=1000}/w:abstractNumId{w:val=0},"
        "w:num{w:numId=1041}/w:abstractNumId{w:val=0})"
    )
    assert StyleMap.of(Styles(element(GERMAN_STYLES)), numbering).first_list_instance == 1042
    assert StyleMap.of(Styles(element(GERMAN_STYLES))).first_list_instance == 1000

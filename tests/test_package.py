"""What a package may reference: the byte-level scan of relationships and field codes."""

from __future__ import annotations

import io
import zipfile

from concept_builder.package import field_instructions, outside_references

BEGIN = b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
SEPARATE = b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
END = b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def instr(text: bytes) -> bytes:
    return b'<w:r><w:instrText xml:space="preserve">' + text + b"</w:instrText></w:r>"


def test_a_field_split_over_runs_is_read_whole() -> None:
    xml = (
        BEGIN + instr(b" INCLUDE") + instr(b'PICTURE "a.png" ') + SEPARATE + b"<w:r><w:t>x</w:t></w:r>" + END
    )
    assert list(field_instructions(xml)) == [' INCLUDEPICTURE "a.png" ']


def test_nested_fields_and_simple_fields() -> None:
    xml = (
        BEGIN
        + instr(b" IF ")
        + BEGIN
        + instr(b" PAGE ")
        + END
        + instr(b' = 1 "a" "b" ')
        + SEPARATE
        + END
        + b'<w:fldSimple w:instr=" LINK Excel &quot;x.xlsx&quot; "/>'
    )
    assert list(field_instructions(xml)) == [" PAGE ", ' IF  = 1 "a" "b" ', ' LINK Excel "x.xlsx" ']


def test_a_result_is_not_an_instruction() -> None:
    xml = BEGIN + instr(b" PAGEREF _Toc1 \\h ") + SEPARATE + b"<w:r><w:t>INCLUDETEXT</w:t></w:r>" + END
    assert list(field_instructions(xml)) == [" PAGEREF _Toc1 \\h "]


def package(parts: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(buffer)


RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
)
TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def relationship(kind: str, target: str, external: bool) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="rId1" Type="{TYPES}{kind}" Target="{target}"{mode}/>'.encode()


def test_hyperlinks_may_point_outside_nothing_else_may() -> None:
    found = outside_references(
        package(
            {
                "word/_rels/document.xml.rels": RELS
                % (
                    relationship("hyperlink", "https://www.landkreis-goslar.de", True)
                    + relationship("image", "media/image1.png", False)
                    + relationship("image", "https://example.org/x.png", True)
                ),
                "word/settings.xml": b"<w:settings/>",
                "word/_rels/settings.xml.rels": RELS
                % relationship("attachedTemplate", "file:///t.dotm", True),
                "word/footer1.xml": b'<w:ftr><v:imagedata o:href="file:///c:/logo.png"/></w:ftr>',
                "word/media/image1.png": b"\x89PNG",
            }
        )
    )
    assert [str(reference) for reference in found] == [
        "word/_rels/document.xml.rels: a image linked from 'https://example.org/x.png'",
        "word/_rels/settings.xml.rels: an attached template 'file:///t.dotm'",
        "word/footer1.xml: a picture linked from 'file:///c:/logo.png'",
    ]


def test_replaced_parts_are_scanned_instead_of_the_stored_ones() -> None:
    archive = package({"word/document.xml": b"<w:document/>"})
    rendered = BEGIN + instr(b' DDEAUTO cmd "/c calc" ') + END
    [found] = outside_references(archive, {"word/document.xml": rendered})
    assert str(found) == "word/document.xml: a field DDEAUTO loading ' DDEAUTO cmd \"/c calc\" '"

"""What a package may reference: relationships, field codes and linked pictures, read as Word reads them."""

from __future__ import annotations

import io
import zipfile

import pytest

from concept_builder.package import DamagedPackage, field_instructions, outside_references

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BEGIN = b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
SEPARATE = b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
END = b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def instr(text: bytes) -> bytes:
    return b'<w:r><w:instrText xml:space="preserve">' + text + b"</w:instrText></w:r>"


def body(xml: bytes) -> bytes:
    """``xml`` in a document part with the namespaces Word declares."""
    return (
        (
            f'<w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
            ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
            ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body><w:p>'
        ).encode()
        + xml
        + b"</w:p></w:body></w:document>"
    )


def test_a_field_split_over_runs_is_read_whole() -> None:
    xml = (
        BEGIN + instr(b" INCLUDE") + instr(b'PICTURE "a.png" ') + SEPARATE + b"<w:r><w:t>x</w:t></w:r>" + END
    )
    assert list(field_instructions(body(xml))) == [' INCLUDEPICTURE "a.png" ']


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
    assert list(field_instructions(body(xml))) == [" PAGE ", ' IF  = 1 "a" "b" ', ' LINK Excel "x.xlsx" ']


def test_a_result_is_not_an_instruction() -> None:
    xml = BEGIN + instr(b" PAGEREF _Toc1 \\h ") + SEPARATE + b"<w:r><w:t>INCLUDETEXT</w:t></w:r>" + END
    assert list(field_instructions(body(xml))) == [" PAGEREF _Toc1 \\h "]


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
                "word/settings.xml": body(b""),
                "word/_rels/settings.xml.rels": RELS
                % relationship("attachedTemplate", "file:///t.dotm", True),
                "word/footer1.xml": body(
                    b'<w:r><w:pict><v:imagedata o:href="file:///c:/logo.png"/></w:pict></w:r>'
                ),
                "word/media/image1.png": b"\x89PNG",
            }
        )
    )
    assert [str(reference) for reference in found] == [
        "word/_rels/document.xml.rels: a picture linked from 'https://example.org/x.png'",
        "word/_rels/settings.xml.rels: an attached template 'file:///t.dotm'",
        "word/footer1.xml: a picture linked from 'file:///c:/logo.png'",
    ]


def test_replaced_parts_are_scanned_instead_of_the_stored_ones() -> None:
    archive = package({"word/document.xml": body(b"")})
    rendered = body(BEGIN + instr(b' DDEAUTO cmd "/c calc" ') + END)
    [found] = outside_references(archive, {"word/document.xml": rendered})
    assert str(found) == "word/document.xml: a field DDEAUTO loading ' DDEAUTO cmd \"/c calc\" '"


def scan(document: bytes, *relationships: bytes) -> list[str]:
    """What the scan finds in a package of one document part and its relationships."""
    parts = {"word/document.xml": document, "word/media/image1.png": b"\x89PNG"}
    if relationships:
        parts["word/_rels/document.xml.rels"] = RELS % b"".join(relationships)
    return [str(found) for found in outside_references(package(parts))]


def test_a_prefix_of_its_own_does_not_hide_a_field() -> None:
    """Any prefix bound to WordprocessingML is WordprocessingML, for elements and attributes alike."""
    fields = (
        f'<x:r xmlns:x="{W}"><x:fldChar x:fldCharType="begin"/></x:r>'
        f'<x:r xmlns:x="{W}"><x:instrText> INCLUDETEXT "/etc/hostname" </x:instrText></x:r>'
        f'<x:r xmlns:x="{W}"><x:fldChar x:fldCharType="end"/></x:r>'
        f'<w:fldSimple xmlns:x="{W}" x:instr=" INCLUDEPICTURE &quot;/a.png&quot; "/>'
        """<w:fldSimple w:instr=' LINK Excel "x.xlsx" '/>"""
    ).encode()
    cdata = BEGIN + b"<w:r><w:instrText><![CDATA[ DDE cmd ]]></w:instrText></w:r>" + END
    assert scan(body(fields + cdata)) == [
        """word/document.xml: a field INCLUDETEXT loading ' INCLUDETEXT "/etc/hostname" '""",
        """word/document.xml: a field INCLUDEPICTURE loading ' INCLUDEPICTURE "/a.png" '""",
        """word/document.xml: a field LINK loading ' LINK Excel "x.xlsx" '""",
        "word/document.xml: a field DDE loading ' DDE cmd '",
    ]


def test_a_field_named_by_a_nested_field_is_refused() -> None:
    nested = BEGIN + instr(b' QUOTE "INCLUDEPICTURE" ') + END
    assert scan(body(BEGIN + instr(b" ") + nested + instr(b' "http://x/a.png" ') + END)) == [
        "word/document.xml: a field whose name is made by another field ' '"
    ]
    assert scan(body(BEGIN + instr(b" IF ") + nested + instr(b' = 1 "a" "b" ') + END)) == []


def test_a_picture_may_not_use_a_hyperlink_relationship() -> None:
    """Word and LibreOffice load a picture from whatever its relationship names, whatever its type."""
    link = relationship("hyperlink", "file:///etc/leak.png", True)
    blip = body(b'<w:r><a:blip r:link="rId1"/></w:r>')
    vml = body(b'<w:r><w:pict><v:imagedata r:id="rId1"/></w:pict></w:r>')
    clicked = body(b'<w:hyperlink r:id="rId1"><w:r><w:t>x</w:t></w:r></w:hyperlink>')
    assert scan(blip, link) == ["word/document.xml: a picture linked from 'file:///etc/leak.png'"]
    assert scan(vml, link) == ["word/document.xml: a picture linked from 'file:///etc/leak.png'"]
    assert scan(clicked, link) == []


def test_a_picture_linked_by_its_address_is_refused() -> None:
    picture = b'<v:shape href="https://example.org"><v:imagedata src="file:///etc/a.png"/></v:shape>'
    assert scan(body(b"<w:r><w:pict>" + picture + b"</w:pict></w:r>")) == [
        "word/document.xml: a picture linked from 'file:///etc/a.png'"
    ]


@pytest.mark.parametrize(
    "written",
    [
        b"<Relationship Id='rId1' Type='%s' Target='http://x/a.png' TargetMode='External'/>",
        b'<Relationship Id="rId1" Type = "%s" Target = "http://x/a.png" TargetMode = "External"/>',
        b'<Relationship Id="rId1" Type="%s" Target="http://x/a.png" TargetMode="Ext&#101;rnal"/>',
        b'<p:Relationship xmlns:p="http://schemas.openxmlformats.org/package/2006/relationships"'
        b' Id="rId1" Type="%s" Target="http://x/a.png" TargetMode="External"/>',
        b'<Relationship Id="rId1" Type="%s" Target="http://x/a.png"/>',  # called internal
    ],
)
def test_a_relationship_is_read_however_it_is_written(written: bytes) -> None:
    image = (TYPES + "image").encode()
    assert scan(body(b""), written % image) == [
        "word/_rels/document.xml.rels: a picture linked from 'http://x/a.png'"
    ]


def test_a_relationship_to_a_missing_part_or_a_document_type_is_damage() -> None:
    with pytest.raises(
        DamagedPackage, match=r"refers to 'media/missing\.png', a part the file does not contain"
    ):
        scan(body(b""), relationship("image", "media/missing.png", False))
    with pytest.raises(DamagedPackage, match="declares a document type"):
        scan(b'<!DOCTYPE d [<!ENTITY e "INCLUDETEXT">]><d/>')
    with pytest.raises(DamagedPackage, match="is not well-formed XML"):
        scan(b"<w:document><w:instrText>")

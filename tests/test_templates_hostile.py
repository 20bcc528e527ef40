"""Hostile or broken templates: refused with a clear message, nothing runs, nothing is written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import concept_builder
from concept_builder import BuildOptions, TemplateError, render
from tests.conftest import WriteInputs, make_template


def build_with(write_inputs: WriteInputs, tmp_path: Path, template: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=template)
        )
    assert not (tmp_path / "out").exists()
    return str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ meta.__class__ }}",
        "{{ labels.__init__.__globals__ }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    ],
)
def test_reaching_for_python_internals_is_refused(
    write_inputs: WriteInputs, tmp_path: Path, payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    message = build_with(write_inputs, tmp_path, make_template(tmp_path / "boese.docx", payload))
    assert re.search(r": body(, paragraph 1 “[^”]+”)?: unsafe template code refused", message)
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    "payload", ["{{ 'a' * 100000000 }}", "{{ [1] * 100000000 }}", "{{ 10 ** 100000000 }}"]
)
def test_huge_values_are_refused(write_inputs: WriteInputs, tmp_path: Path, payload: str) -> None:
    message = build_with(write_inputs, tmp_path, make_template(tmp_path / "gross.docx", payload))
    assert re.search(r": body(, paragraph 1 “[^”]+”)?: unsafe template code refused", message)


def test_endless_template_is_stopped(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "RENDER_SECONDS", 2)
    loop = "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"
    message = build_with(write_inputs, tmp_path, make_template(tmp_path / "endlos.docx", loop))
    assert "rendering took longer than 2 s and was stopped" in message


def test_password_protected_template(write_inputs: WriteInputs, tmp_path: Path) -> None:
    encrypted = tmp_path / "geschuetzt.docx"
    encrypted.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)  # how encrypted Office files begin
    message = build_with(write_inputs, tmp_path, encrypted)
    assert message == (
        f"{encrypted}: is password-protected or an old Word file (.doc)"
        " (save it in Word as .docx without a password)"
    )


def test_zip_bomb_template(write_inputs: WriteInputs, tmp_path: Path) -> None:
    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", "<w:document/>")
        package.writestr("word/padding.xml", b"\0" * 300_000_000)
    assert bomb.stat().st_size < 1_000_000
    message = build_with(write_inputs, tmp_path, bomb)
    assert "would unpack to 300 MB in 2 parts; a template needs far less" in message


def test_zip_that_is_not_a_word_document(write_inputs: WriteInputs, tmp_path: Path) -> None:
    archive = tmp_path / "archiv.docx"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("readme.txt", "hallo")
    message = build_with(write_inputs, tmp_path, archive)
    assert message == f"{archive}: is not a Word document (.docx): it has no word/document.xml"


def test_template_with_column_loops_renders(write_inputs: WriteInputs, tmp_path: Path) -> None:
    from docx import Document

    from tests.conftest import validate_with_word

    document = Document()
    table = document.add_table(rows=1, cols=3)
    table.rows[0].cells[0].text = "{%tc for theme in themes %}"
    table.rows[0].cells[1].text = "{{ theme.title }}"
    table.rows[0].cells[2].text = "{%tc endfor %}"
    template = tmp_path / "spalten.docx"
    document.save(str(template))
    result = concept_builder.build_folder(
        write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=template)
    )
    rendered = Document(str(result.path)).tables[0]
    assert [cell.text for cell in rendered.rows[0].cells] == ["Bildung und Sprache"]
    validate_with_word(result.path)


def _logo_inputs(write_inputs: WriteInputs, tmp_path: Path) -> Path:
    from tests.conftest import MINIMAL, png

    concept = MINIMAL.replace(
        "  date: 2019-01-31", "  date: 2019-01-31\n  logos:\n    - {file: logo.png, alt: Wappen}"
    )
    folder = write_inputs(concept)
    (folder / "logo.png").write_bytes(png(40, 20))
    return folder


@pytest.mark.parametrize(
    "payload",
    [
        "{{ logos[0].path.resolve().read_text() }}",  # the context once held paths
        "{{ logos[0].data }}",  # images are opaque
        "{{ logos[0].alt }}",
        "{{ themes.append(1) }}",
        "{{ meta.update({'title': 'x'}) }}",
        "{{ lipsum(10000) }}",
        "{{ cycler(1).reset() }}",
    ],
)
def test_a_template_gets_data_not_powers(
    write_inputs: WriteInputs, tmp_path: Path, payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _logo_inputs(write_inputs, tmp_path)
    with pytest.raises(TemplateError) as caught:
        concept_builder.build_folder(
            folder,
            BuildOptions(out_dir=tmp_path / "out", template=make_template(tmp_path / "t.docx", payload)),
        )
    assert re.search(r": body(, paragraph 1 “[^”]+”)?: ", str(caught.value))  # where, as far as known
    assert not (tmp_path / "out").exists()


def test_what_a_template_may_call_still_works(write_inputs: WriteInputs, tmp_path: Path) -> None:
    from tests.conftest import document_text

    template = make_template(
        tmp_path / "t.docx",
        "{{ meta.title.upper() }}",
        "{{ '{} · {}'.format(meta.district, meta.version) }}",
        "{% for key, value in meta.items() %}{% if key == 'district' %}{{ value }}{% endif %}{% endfor %}",
        "{% for t in themes %}{{ loop.cycle('a', 'b') }}{{ t.title }}{% endfor %}",
        "{% macro name(x) %}<{{ x }}>{% endmacro %}{{ name(meta.version) }}",
        "{% set ns = namespace(n=0) %}{% for t in themes %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}",
        "{{ range(3) | list | length }} {{ labels.get('measure') }} {{ date }}",
    )
    result = concept_builder.build_folder(
        _logo_inputs(write_inputs, tmp_path), BuildOptions(out_dir=tmp_path / "out", template=template)
    )
    assert document_text(result.path) == [
        "INTEGRATIONSKONZEPT",
        "Landkreis Muster · 1.0",
        "Landkreis Muster",
        "aBildung und Sprache",
        "<1.0>",
        "1",
        "3 Maßnahme 2019-01-31",
    ]


def _template_linking(tmp_path: Path, kind: str) -> Path:
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = Document()
    document.add_paragraph("{{ meta.title }}")
    if kind == "image":
        document.part.relate_to("http://127.0.0.1:9/spy.png", RELATIONSHIP_TYPE.IMAGE, is_external=True)
    elif kind == "file":
        document.sections[0].header.part.relate_to(
            "file:///etc/hostname", RELATIONSHIP_TYPE.IMAGE, is_external=True
        )
    elif kind == "altchunk":
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        chunk = Part(PackURI("/word/chunk.html"), "text/html", b"<img src='http://127.0.0.1:9/x'>")
        document.part.relate_to(chunk, RELATIONSHIP_TYPE.A_F_CHUNK)
    elif kind == "field":
        paragraph = document.add_paragraph()
        paragraph.add_run().text = "x"
        run = paragraph.runs[0]._r
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        for xml in (
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
            f"<w:r {nsdecls('w')}><w:instrText> INCLUDE</w:instrText></w:r>",
            f'<w:r {nsdecls("w")}><w:instrText>PICTURE "http://127.0.0.1:9/x.png" </w:instrText></w:r>',
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            run.addprevious(parse_xml(xml))
    path = tmp_path / f"{kind}.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("image", "word/_rels/document.xml.rels: a picture linked from 'http://127.0.0.1:9/spy.png'"),
        ("file", "word/_rels/header1.xml.rels: a picture linked from 'file:///etc/hostname'"),
        ("altchunk", "word/_rels/document.xml.rels: an imported file (altChunk) 'chunk.html'"),
        ("field", "word/document.xml: a field INCLUDEPICTURE loading"),
    ],
)
def test_a_template_that_links_outside_is_refused(
    write_inputs: WriteInputs, tmp_path: Path, kind: str, message: str
) -> None:
    text = build_with(write_inputs, tmp_path, _template_linking(tmp_path, kind))
    assert "links to content outside the document, which is not allowed" in text
    assert message in text


def test_a_field_assembled_by_the_template_is_refused(write_inputs: WriteInputs, tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    paragraph = document.add_paragraph()._p
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f"<w:r {nsdecls('w')}><w:instrText>{{{{ 'INCLUDE' ~ 'TEXT' }}}} \"/etc/hostname\""
        "</w:instrText></w:r>",
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph.append(parse_xml(xml))
    template = tmp_path / "assembled.docx"
    document.save(str(template))
    text = build_with(write_inputs, tmp_path, template)
    assert "a field INCLUDETEXT loading 'INCLUDETEXT \"/etc/hostname\"'" in text


@pytest.mark.parametrize(
    "payload",
    [
        "{{ '%0200000000d' % 1 }}",
        "{{ '%*d' % (200000000, 1) }}",
        "{% set a = 'x' * 1000000 %}{{ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a }}",
        "{% set a = 'x' * 1000000 %}{{ a + a + a + a + a + a + a + a + a + a + a }}",
        "{% set ns = namespace(l=[1]) %}{% for i in range(30) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
    ],
)
def test_texts_made_by_formatting_or_joining_are_bounded(
    write_inputs: WriteInputs, tmp_path: Path, payload: str
) -> None:
    message = build_with(write_inputs, tmp_path, make_template(tmp_path / "lang.docx", payload))
    refused = r": body, paragraph 1 “[^”]+”: unsafe template code refused: .*( would make a text of|too much)"
    assert re.search(refused, message)


@pytest.mark.parametrize(
    "payload",
    [
        "{% for i in range(11) %}{{ 'x' * 1000000 }}{% endfor %}",
        "{% set a = 'ää' * 500000 %}{{ a ~ a ~ a ~ a ~ a ~ a }}",  # 6 million characters, 12 MB
    ],
)
@pytest.mark.parametrize("part", ["body", "header 1"])
def test_a_paragraph_printing_more_text_than_a_document_holds_is_named(
    write_inputs: WriteInputs, tmp_path: Path, payload: str, part: str
) -> None:
    from docx import Document

    template = tmp_path / "lang.docx"
    document = Document()
    document.add_paragraph(payload if part == "body" else "{{ meta.title }}")
    if part != "body":
        document.sections[0].header.paragraphs[0].text = payload
    document.save(str(template))
    message = build_with(write_inputs, tmp_path, template)
    assert f"lang.docx: {part}, paragraph 1 “" in message
    assert f"the rendered {part} would hold more than 10 MB of text in one piece" in message
    assert message.endswith("(look for loops or repetitions printing into this paragraph)")

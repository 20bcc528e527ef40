"""Hostile or broken templates: refused with a clear message, nothing runs, nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import concept_builder
from concept_builder import TemplateError, render
from tests.conftest import WriteInputs, make_template


def build_with(write_inputs: WriteInputs, tmp_path: Path, template: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        concept_builder.build_folder(write_inputs(), out_dir=tmp_path / "out", template=template)
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
    assert "body: unsafe template code refused" in message
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    "payload", ["{{ 'a' * 100000000 }}", "{{ [1] * 100000000 }}", "{{ 10 ** 100000000 }}"]
)
def test_huge_values_are_refused(write_inputs: WriteInputs, tmp_path: Path, payload: str) -> None:
    message = build_with(write_inputs, tmp_path, make_template(tmp_path / "gross.docx", payload))
    assert "body: unsafe template code refused" in message


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
    result = concept_builder.build_folder(write_inputs(), out_dir=tmp_path / "out", template=template)
    rendered = Document(str(result.path)).tables[0]
    assert [cell.text for cell in rendered.rows[0].cells] == ["Bildung und Sprache"]
    validate_with_word(result.path)

"""Any text a user can type appears in the document exactly – or the build stops with FILE:LINE.

Property-based: Hypothesis writes real YAML files with generated text in
several fields (plain, in headings, in tables, in the header, in quotes) and
runs the real build. The quick profile runs in `make test`, the thorough one
in `make fuzz` (HYPOTHESIS_PROFILE=thorough).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from docx import Document
from hypothesis import example, given
from hypothesis import strategies as st

import concept_builder
from concept_builder import BuildOptions, InputError
from tests.conftest import MINIMAL

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NASTY = [
    "& < > \" ' ]]>",
    "{{ 7*7 }} {% if x %} {_{ y }_} {# z #}",
    "Zeile\vmit vertikalem Tab",
    "Form\ffeed, NUL\x00, ESC\x1b",
    "\ud800 einsames Surrogat",
    "Nichtzeichen \ufffe \uffff",
    "👩🏽‍🏫 👨‍👩‍👧 🇩🇪",
    "مرحبا بكم في غوسلار",
    "e\u0301 a\u0308 Zero\u200bwidth\u200d joiner",
    "Zeile\u2028Absatz\u2029Ende",
    "**fett** _kursiv_ [link](javascript:x) <b>html</b>",
    "x" * 5000,
    "\t eingerückt \t",
    "Ende mit Backslash \\",
]


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every unusual character as an escape."""
    out = []
    for character in text:
        code = ord(character)
        if character == '"':
            out.append('\\"')
        elif character == "\\":
            out.append("\\\\")
        elif 0x20 <= code < 0x7F:
            out.append(character)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def concept_with(text: str) -> str:
    value = yaml_string(text)
    return (
        MINIMAL.replace("title: Bildung und Sprache", f"title: {value}")
        .replace("lead: Kreisvolkshochschule", f"lead: {value}")
        .replace("district: Landkreis Muster", f"district: {value}")
        + f"quotes:\n  - id: q1\n    text: {value}\n    person: {value}\n"
        "    consent: true\n    themes: [bildung]\n"
    )


def paragraph_texts(element: object) -> list[str]:
    """The text of each paragraph, with Word's tabs and line breaks as \\t and \\n."""
    texts = []
    for paragraph in element.iter(f"{W}p"):  # type: ignore[attr-defined]
        parts = []
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br"):
            parts.append(node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n")
        texts.append("".join(parts))
    return texts


def check_text(text: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="any-text-"))
    try:
        (folder / "in").mkdir()
        (folder / "in" / "concept.yaml").write_text(concept_with(text), encoding="utf-8")
        try:
            result = concept_builder.build_folder(folder / "in", BuildOptions(out_dir=folder / "out"))
        except InputError as error:
            errors = [p for p in error.problems if p.severity == "error"]
            assert errors
            for problem in errors:
                assert problem.location is not None and problem.location.line, str(problem)
                assert problem.location.file.name == "concept.yaml"
            assert not (folder / "out").exists()
            return
        # the one cleaning rule: a carriage return becomes a line break (with a warning)
        expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if "\r" in text:
            assert any("carriage return" in str(w) for w in result.warnings)
        document = Document(str(result.path))
        body = paragraph_texts(document.element.body)
        header = paragraph_texts(document.sections[0].header._element)
        assert f"Handlungsfeld 1: {expected}" in body
        assert expected in body  # the lead in the profile table
        assert f"„{expected}“" in body
        assert f"ENTWURF – {expected}" in header
    finally:
        shutil.rmtree(folder)


# every code point, surrogates and noncharacters included, plus structure that means something to us
ANY_CHARACTER = st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)
TEXT = st.one_of(
    st.text(ANY_CHARACTER, min_size=1, max_size=60),
    st.lists(st.sampled_from(NASTY) | st.text(ANY_CHARACTER, max_size=8), min_size=1, max_size=4).map(
        "".join
    ),
)


@given(TEXT)
@example("Bildung & Sprache <für> alle")
@example("{{ meta.title }}")
@example("a\vb")
@example("\ud800")
@example("   ")
@example("0\r0")
def test_any_text_appears_exactly_or_is_refused_with_its_line(text: str) -> None:
    check_text(text)


def test_every_nasty_string() -> None:
    for text in NASTY:
        check_text(text)

"""A reviewed document comes back to its inputs: remarks at their FILE:LINE, tracked changes applied exactly.

The reviewed documents are made by real clients: LibreOffice itself, through
its UNO API (comments and tracked changes, saved as .docx), and python-docx's
comments API. Each test builds the Goslar sample from a copy of its folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document

import concept_builder
from concept_builder import sources
from concept_builder.cli import main
from concept_builder.load import load_raw
from concept_builder.markers import place_markers
from concept_builder.options import BuildOptions
from concept_builder.review import apply_review, review_document
from concept_builder.review.apply import _scalar
from concept_builder.word import escape_text
from tests.conftest import GOSLAR, document_text, require_soffice, validate_with_word

BILDUNG = "handlungsfelder/01-bildung-und-sprache.yaml"
REVIEWER = Path(__file__).with_name("libreoffice_reviewer.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-uno gives LibreOffice's uno module to this Python


def line_of(folder: Path, relative: str, text: str, after: str | None = None) -> str:
    """``FILE:LINE`` of the first line holding ``text`` (after the first holding ``after``)."""
    lines = (folder / relative).read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    number = next(i for i in range(start, len(lines)) if text in lines[i]) + 1
    return f"{folder / relative}:{number}"


def build(folder: Path, out: Path, **options: Any) -> Path:
    return concept_builder.build_folder(folder, BuildOptions(out_dir=out, **options)).path


def values(folder: Path) -> dict[Any, Any]:
    """Every value of the inputs by its path."""
    raw = load_raw(folder)
    flat: dict[Any, Any] = {}

    def walk(data: Any, path: tuple[Any, ...]) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                walk(value, (*path, key))
        elif isinstance(data, list):
            for index, value in enumerate(data):
                walk(value, (*path, index))
        else:
            flat[path] = data

    walk(raw.data, ())
    return flat


# --- the markers ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["themes.@wohnen.measures.@wohnen-m1.title", "meta.title", "ä" * 300, ""])
def test_a_marker_name_is_the_base32_of_its_keys_hash(key: str) -> None:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    expected = "_cb" + base64.b32encode(digest).decode("ascii")[:10].lower()
    assert sources.marker_name(key) == expected


def test_a_value_inside_other_text_gets_a_bookmark_and_keeps_its_formatting() -> None:
    body = (
        b"<w:body><w:p><w:r><w:rPr><w:i/></w:rPr><w:t>\xe2\x80\x9e\xef\xb7\x90_cbabcdefghij\xef\xb7\x91Text"
        b"\xef\xb7\x92\xe2\x80\x9c</w:t></w:r></w:p></w:body>"
    )
    marked = place_markers(body).decode()
    assert marked == (
        '<w:body><w:p><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">„</w:t></w:r>'
        '<w:bookmarkStart w:id="1" w:name="_cbabcdefghij"/>'
        '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Text</w:t></w:r>'
        '<w:bookmarkEnd w:id="1"/>'
        '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">“</w:t></w:r></w:p></w:body>'
    )


def test_a_marker_outside_text_is_dropped_and_typed_noncharacters_stay_text() -> None:
    body = (
        '<w:body><w:p w:x="\ufdd0_cbabcdefghij\ufdd1a\ufdd2"><w:r><w:t>b</w:t></w:r></w:p></w:body>'.encode()
    )
    assert place_markers(body) == b'<w:body><w:p w:x="a"><w:r><w:t>b</w:t></w:r></w:p></w:body>'
    assert escape_text("a\ufdd0b") == "a&#64976;b"  # never taken for a marker


def test_every_value_printed_as_typed_is_marked_once_per_place(goslar_docx: Path) -> None:
    xml = zipfile.ZipFile(goslar_docx).read("word/document.xml").decode()
    names = [name for name in xml.split('w:name="')[1:] if name.startswith("_cb")]
    assert len(names) > 500 and len({n.split('"')[0] for n in names}) == len(names)
    properties = zipfile.ZipFile(goslar_docx).read("docProps/custom.xml").decode()
    assert "concept-builder inputs" in properties and "sha256:" in properties


def test_markers_change_no_text_of_the_document(goslar_docx: Path, tmp_path: Path) -> None:
    xml = zipfile.ZipFile(goslar_docx).read("word/document.xml").decode()
    assert "\ufdd0" not in xml and "\ufdd2" not in xml
    # the measure's row in the overview: its title, marked illustrative
    assert "Koordinierte Sprachkursplanung für den Landkreis Beispielinhalt" in document_text(goslar_docx)


# --- YAML written in place ---------------------------------------------------------------------


def test_a_value_is_written_in_its_own_style() -> None:
    import yaml

    from concept_builder.load.yaml_files import NodeLoader

    text = "a: 'x'\nb: \"y\"\nc: plain\nd: |\n  eins\n\n  zwei\n\ne: >\n  lang\n"
    root = yaml.compose(text, Loader=NodeLoader)
    assert root is not None
    nodes = {key.value: value for key, value in root.value}
    assert _scalar(text, nodes["a"], "it's") == "'it''s'"
    assert _scalar(text, nodes["b"], 'say "hi"') == '"say \\"hi\\""'
    assert _scalar(text, nodes["c"], "new text") == "new text"
    assert _scalar(text, nodes["c"], "a: b") == '"a: b"'
    assert _scalar(text, nodes["d"], "eins\n\ndrei") == "|\n  eins\n\n  drei\n\n"
    assert _scalar(text, nodes["e"], "lang\nzwei") == ">\n  lang\n\n  zwei\n"


# --- LibreOffice as the reviewer --------------------------------------------------------------

LIBREOFFICE_ACTIONS = [
    {
        "author": "Anna Jobcenter",
        "comment": "Bitte mit dem BAMF abstimmen.",
        "on": "Koordinierte Sprachkursplanung für den Landkreis",
        "occurrence": 3,  # the measure's heading: after two links to it from its goals
    },
    {
        "author": "Anna Jobcenter",
        "replace": "Kreisvolkshochschule Goslar",
        "with": "Kreisvolkshochschule Goslar gGmbH",
        "after_text": "Federführung",
    },
    {
        "author": "Bernd Landrat",
        "replace": "halbjährliche Bedarfsabfrage",
        "with": "vierteljährliche Bedarfsabfrage",
    },
    {"author": "Bernd Landrat", "after": "damit Kurse dort stattfinden", "insert": " und dann"},
    {"author": "Carla Sozialamt", "comment": "Label geändert?", "on": "Federführung"},
    {
        "author": "Carla Sozialamt",
        "replace": "geplant",
        "with": "umgesetzt",
        "after_text": "in Anschlusskurse.",
    },
]


@pytest.fixture(scope="module")
def libreoffice_review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the Goslar inputs and its document as reviewed in LibreOffice."""
    require_soffice()
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run([SYSTEM_PYTHON, "-c", "import uno"]).returncode:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice's Python bridge is missing: .ci/run installs python3-uno")
        pytest.skip("python3-uno is not installed")
    base = tmp_path_factory.mktemp("libreoffice-review")
    folder = base / "goslar"
    shutil.copytree(GOSLAR, folder)
    built = build(folder, base / "out")
    actions = base / "actions.json"
    actions.write_text(json.dumps(LIBREOFFICE_ACTIONS), "utf-8")
    reviewed = base / "reviewed.docx"
    subprocess.run(
        [SYSTEM_PYTHON, str(REVIEWER), str(built), str(reviewed), str(actions), str(base / "profile")],
        check=True,
        timeout=300,
    )
    return folder, reviewed


def test_libreoffice_remarks_land_at_their_file_and_line(libreoffice_review: tuple[Path, Path]) -> None:
    folder, reviewed = libreoffice_review
    review = review_document(folder, reviewed)
    assert not review.inputs_changed
    found = [
        (str(r.place.location) if r.place.location else None, r.kind, r.place.item) for r in review.remarks
    ]
    description = line_of(folder, BILDUNG, "description: |", after="id: bildung-m1")
    assert found == [
        (line_of(folder, BILDUNG, 'title: "Koordinierte Sprachkursplanung'), "comment", "bildung-m1"),
        (description, "insertion", "bildung-m1"),
        (description, "replacement", "bildung-m1"),
        (line_of(folder, BILDUNG, "status:", after="id: bildung-m1"), "replacement", "bildung-m1"),
        (None, "comment", None),  # on the label "Federführung": not from the inputs
        (line_of(folder, BILDUNG, "lead:", after="id: bildung-m1"), "replacement", "bildung-m1"),
    ]
    text = review.to_text()
    lead = line_of(folder, BILDUNG, "lead:", after="id: bildung-m1")
    assert f"{lead}: themes[0].measures[0].lead (bildung-m1): " in text
    assert "“Kreisvolkshochschule Goslar” → “Kreisvolkshochschule Goslar gGmbH”" in text
    assert "not from the inputs, in “Federführung”: comment by Carla Sozialamt" in text


def test_libreoffice_changes_are_applied_exactly(
    libreoffice_review: tuple[Path, Path], tmp_path: Path
) -> None:
    original, reviewed = libreoffice_review
    folder = tmp_path / "goslar"
    shutil.copytree(original, folder)  # the same inputs, so the recorded digest still holds
    before = values(folder)
    result = CliRunner().invoke(main, ["review", str(folder), str(reviewed), "--apply", "--yes"])
    assert result.exit_code == 0, result.output
    assert "--- " in result.output and '+    lead: "Kreisvolkshochschule Goslar gGmbH"' in result.output
    after = values(folder)
    measure = ("themes", 0, "measures", 0)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed == {(*measure, "lead"), (*measure, "status"), (*measure, "description")}
    assert after[(*measure, "lead")] == "Kreisvolkshochschule Goslar gGmbH"
    assert after[(*measure, "status")] == "umgesetzt"
    description = after[(*measure, "description")]
    assert description == before[(*measure, "description")].replace(
        "stattfinden, wo", "stattfinden und dann, wo"
    ).replace("- halbjährliche", "- vierteljährliche")
    # the rest of the file, comments and layout included, is as it was
    old_lines = (original / BILDUNG).read_text("utf-8").splitlines()
    new_lines = (folder / BILDUNG).read_text("utf-8").splitlines()
    assert len(old_lines) == len(new_lines)
    assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 4
    # validate passes and a rebuild shows the changes
    assert concept_builder.validate_folder(folder).errors == []
    rebuilt = build(folder, tmp_path / "out")
    validate_with_word(rebuilt)
    assert any("Kreisvolkshochschule Goslar gGmbH" in t for t in document_text(rebuilt))


def test_nothing_is_applied_when_the_inputs_changed_since_the_build(
    libreoffice_review: tuple[Path, Path], tmp_path: Path
) -> None:
    original, reviewed = libreoffice_review
    folder = tmp_path / "goslar"
    shutil.copytree(original, folder)
    concept = folder / "concept.yaml"
    concept.write_text(concept.read_text("utf-8") + "\n# eine Anmerkung\n", "utf-8")
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    result = CliRunner().invoke(main, ["review", str(folder), str(reviewed), "--apply", "--yes"])
    assert result.exit_code == 1
    assert "changed since" in result.output and "nothing is applied" in result.output
    assert "themes[0].measures[0].lead (bildung-m1): replacement" in result.output  # the remarks are listed
    assert before == {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    with pytest.raises(concept_builder.ConceptBuilderError):
        apply_review(review_document(folder, reviewed))


def test_without_yes_nothing_is_written(libreoffice_review: tuple[Path, Path], tmp_path: Path) -> None:
    original, reviewed = libreoffice_review
    folder = tmp_path / "goslar"
    shutil.copytree(original, folder)
    before = (folder / BILDUNG).read_bytes()
    result = CliRunner().invoke(main, ["review", str(folder), str(reviewed), "--apply"], input="n\n")
    assert "nothing was written" in result.output
    assert (folder / BILDUNG).read_bytes() == before


def test_the_review_as_json(libreoffice_review: tuple[Path, Path]) -> None:
    folder, reviewed = libreoffice_review
    result = CliRunner().invoke(main, ["review", str(folder), str(reviewed), "--json"])
    data = json.loads(result.output)
    lead = next(r for r in data["remarks"] if r["field"] == "themes[0].measures[0].lead")
    assert lead["kind"] == "replacement" and lead["new"] == "Kreisvolkshochschule Goslar gGmbH"
    assert lead["author"] == "Anna Jobcenter" and lead["item"] == "bildung-m1" and lead["from_inputs"]
    assert lead["file"].endswith(BILDUNG) and isinstance(lead["line"], int)


def test_what_applying_would_change_as_json(libreoffice_review: tuple[Path, Path], tmp_path: Path) -> None:
    original, reviewed = libreoffice_review
    folder = tmp_path / "goslar"
    shutil.copytree(original, folder)
    before = (folder / BILDUNG).read_bytes()
    result = CliRunner().invoke(main, ["review", str(folder), str(reviewed), "--apply", "--json"])
    assert result.exit_code == 1  # not a terminal and no --yes: shown, not written
    data = json.loads(result.stdout)
    lead = next(c for c in data["changes"] if c["field"] == "themes[0].measures[0].lead")
    assert lead["item"] == "bildung-m1" and lead["new"] == "Kreisvolkshochschule Goslar gGmbH"
    assert {r["item"] for r in data["remarks"]} >= {"bildung-m1"}
    assert (folder / BILDUNG).read_bytes() == before


# --- python-docx as the reviewer --------------------------------------------------------------


def test_python_docx_comments_and_untracked_edits(tmp_path: Path) -> None:
    folder = tmp_path / "goslar"
    shutil.copytree(GOSLAR, folder)
    built = build(folder, tmp_path / "out", variant="massnahmenkatalog")
    document = Document(str(built))
    paragraphs = {p.text: p for p in document.paragraphs}
    heading = next(
        p for text, p in paragraphs.items() if text.endswith("Elternbegleitung in Kita und Schule")
    )
    title_run = next(r for r in heading.runs if r.text == "Elternbegleitung in Kita und Schule")
    document.add_comment([title_run], text="Titel kürzen?", author="Dora Kreistag", initials="DK")
    lead = "Landkreis Goslar – Fachbereich Jugend, Schule und Kultur"
    profile = next(t for t in document.tables if any(c.text == lead for row in t.rows for c in row.cells))
    cells = [cell for row in profile.rows for cell in row.cells]
    lead_cell = next(c for c in cells if c.text == lead)
    document.add_comment(
        lead_cell.paragraphs[0].runs, text="Stimmt die Federführung?", author="Dora Kreistag"
    )
    label_run = next(r for c in cells if c.text == "Partner" for r in c.paragraphs[0].runs)
    document.add_comment([label_run], text="Partner oder Kooperationen?", author="Dora Kreistag")
    title_run.text = "Elternbegleitung in Kitas und Schulen"  # edited without tracking changes
    reviewed = tmp_path / "reviewed.docx"
    document.save(str(reviewed))

    review = review_document(folder, reviewed)
    found = [(str(r.place.location) if r.place.location else None, r.text) for r in review.remarks]
    measure = "id: bildung-m3"
    assert found == [
        (line_of(folder, BILDUNG, "title:", after=measure), "Titel kürzen?"),
        (line_of(folder, BILDUNG, "lead:", after=measure), "Stimmt die Federführung?"),
        (None, "Partner oder Kooperationen?"),
    ]
    assert all(r.author == "Dora Kreistag" and r.kind == "comment" for r in review.remarks)

    # comments are never applied; the untracked edit only with --untracked
    assert apply_review(review).contents == {}
    plan = apply_review(review, untracked=True, write=True)
    assert [(e.place.field, e.new) for e in plan.edits] == [
        ("themes[0].measures[2].title", "Elternbegleitung in Kitas und Schulen")
    ]
    assert values(folder)[("themes", 0, "measures", 2, "title")] == "Elternbegleitung in Kitas und Schulen"

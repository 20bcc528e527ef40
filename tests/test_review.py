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
from lxml import etree

import concept_builder
from concept_builder import sources
from concept_builder.cli import main
from concept_builder.load import dotted, load_raw
from concept_builder.markers import place_markers
from concept_builder.options import BuildOptions
from concept_builder.review import apply_review, review_document
from concept_builder.review.reading import read_document, source_name
from concept_builder.review.yaml_text import scalar as _scalar
from concept_builder.word import escape_text
from tests.conftest import GOSLAR, ROOT, document_text, require_soffice, validate_with_word

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
        "<w:body><w:p><w:r><w:rPr><w:i/></w:rPr><w:t>„</w:t></w:r>"
        '<w:bookmarkStart w:id="1" w:name="_cbabcdefghij"/>'
        "<w:r><w:rPr><w:i/></w:rPr><w:t>Text</w:t></w:r>"
        '<w:bookmarkEnd w:id="1"/>'
        "<w:r><w:rPr><w:i/></w:rPr><w:t>“</w:t></w:r></w:p></w:body>"
    )


def test_the_pieces_of_a_cut_run_keep_their_spaces_where_they_have_some() -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Ziel 1.3 \ufdd0_cbabcdefghij\ufdd1Wohnen  und Leben\ufdd2'
        " \ufdd0_cbbbbbbbbbbb\ufdd1x\ufdd2</w:t></w:r></w:p>"
    ).encode()
    marked = place_markers(body).decode()
    assert marked == (
        '<w:p><w:r><w:t xml:space="preserve">Ziel 1.3 </w:t></w:r>'
        '<w:bookmarkStart w:id="1" w:name="_cbabcdefghij"/>'
        '<w:r><w:t xml:space="preserve">Wohnen  und Leben</w:t></w:r>'
        '<w:bookmarkEnd w:id="1"/><w:r><w:t xml:space="preserve"> </w:t></w:r>'
        '<w:bookmarkStart w:id="2" w:name="_cbbbbbbbbbbb"/>'
        '<w:r><w:t>x</w:t></w:r><w:bookmarkEnd w:id="2"/></w:p>'
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
    # a change in free text of several lines is placed at the line of its paragraph
    assert found == [
        (line_of(folder, BILDUNG, 'title: "Koordinierte Sprachkursplanung'), "comment", "bildung-m1"),
        (line_of(folder, BILDUNG, "damit Kurse dort stattfinden"), "insertion", "bildung-m1"),
        (line_of(folder, BILDUNG, "- halbjährliche Bedarfsabfrage"), "replacement", "bildung-m1"),
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


# --- reviewed documents made by editing the document's XML, as Word writes a review -------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVIEWER_NAME = 'w:author="Rita Review" w:date="2024-07-01T10:00:00Z"'
STIMMEN = "stimmen.yaml"


def _with_review(folder: Path) -> None:
    """Goslar with what the review must handle: a joint lead, a flow mapping with a budget in words,
    a folded description, and a file with a byte-order mark and Windows line ends."""
    bildung = folder / BILDUNG
    text = bildung.read_text("utf-8")
    text = text.replace(
        '    lead: "Stadt Bad Harzburg"\n', "    lead: [Stadt Bad Harzburg, Landkreis Goslar]\n"
    )
    text = text.replace(
        "    funding:\n"
        '      resources: "Räume der Kindertagesstätten; zwei Kursleitungen; Betreuungskräfte"\n'
        '      budget: "ca. 12.000 € pro Kursjahr"\n      source: "Stadt Bad Harzburg; Landkreis Goslar"\n',
        "    funding: {resources: Räume der Kindertagesstätten, budget: ca. 12.000 € pro Kursjahr,"
        " source: Stadt Bad Harzburg}\n",
    )
    folded = (
        "    description: >\n"
        "      Geschulte Elternbegleiterinnen und Elternbegleiter – viele von ihnen selbst mit\n"
        "      Zuwanderungsgeschichte – unterstützen Familien beim Start in Kita und Schule.\n"
        "      Sie erklären das Bildungssystem, begleiten zu Elterngesprächen und vermitteln\n"
        "      bei Bedarf an Beratungsstellen.\n"
    )
    start = text.index("    description: |\n      Geschulte Elternbegleiterinnen")
    end = text.index("    goals:", start)
    bildung.write_text(text[:start] + folded + text[end:], "utf-8")
    stimmen = folder / STIMMEN
    stimmen.write_bytes(b"\xef\xbb\xbf" + stimmen.read_bytes().replace(b"\n", b"\r\n"))


def reviewable_in(base: Path) -> tuple[Path, Path]:
    """The modified Goslar inputs, copied into ``base``, and the full concept built from them."""
    folder = base / "goslar"
    shutil.copytree(GOSLAR, folder)
    _with_review(folder)
    return folder, build(folder, base / "out")


@pytest.fixture(scope="module")
def reviewable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The modified Goslar inputs and the full concept built from them."""
    return reviewable_in(tmp_path_factory.mktemp("reviewable"))


def copied(reviewable: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of the inputs of ``reviewable``: the same content, so the document's digest holds."""
    folder = tmp_path / "goslar"
    shutil.copytree(reviewable[0], folder)
    return folder


class Tracked:
    """Edits a built document's XML the way Word writes tracked changes and comments."""

    def __init__(self, document: Path) -> None:
        with zipfile.ZipFile(document) as package:
            self.parts = {name: package.read(name) for name in package.namelist()}
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.ids = iter(range(9000, 9999))

    def text(self, contains: str, after: str | None = None) -> Any:
        """The first ``w:t`` holding ``contains`` (after the first that holds ``after``)."""
        texts = [t for t in self.root.iter(f"{W}t") if t.text]
        start = next(i for i, t in enumerate(texts) if after in (t.text or "")) + 1 if after else 0
        return next(t for t in texts[start:] if contains in (t.text or ""))

    def change(self, kind: str, text: str) -> Any:
        wrapper = etree.fromstring(
            f'<w:{kind} xmlns:w="{W[1:-1]}" w:id="{next(self.ids)}" {REVIEWER_NAME}><w:r/></w:{kind}>'
        )
        node = etree.SubElement(wrapper[0], f"{W}delText" if kind == "del" else f"{W}t")
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return wrapper

    def replace(self, old: str, new: str, after: str | None = None, within: str | None = None) -> Tracked:
        """``old`` deleted and ``new`` inserted in its place (either may be empty), in the first text
        that holds ``within`` (or ``old``)."""
        node = self.text(within or old, after)
        run = node.getparent()
        head, _, tail = node.text.partition(old)
        pieces = []
        if head:
            pieces.append(self._run_like(run, head))
        if old:
            pieces.append(self.change("del", old))
        if new:
            pieces.append(self.change("ins", new))
        if tail:
            pieces.append(self._run_like(run, tail))
        parent = run.getparent()
        index = parent.index(run)
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
        return self

    def insert(self, at_end_of: str, new: str, after: str | None = None) -> Tracked:
        node = self.text(at_end_of, after)
        head, _, tail = node.text.partition(at_end_of)
        node.text = head + at_end_of
        run = node.getparent()
        parent = run.getparent()
        pieces = [self.change("ins", new)] + ([self._run_like(run, tail)] if tail else [])
        for offset, piece in enumerate(pieces, 1):
            parent.insert(parent.index(run) + offset, piece)
        return self

    def new_paragraph(self, after_text: str, new: str) -> Tracked:
        """Enter pressed at the end of the paragraph ending with ``after_text``, then ``new`` typed."""
        paragraph = next(p for p in self.root.iter(f"{W}p") if _text(p).endswith(after_text))
        self._mark_inserted(paragraph)
        added = etree.Element(f"{W}p")
        properties = paragraph.find(f"{W}pPr")
        if properties is not None:
            copy = etree.fromstring(etree.tostring(properties))
            for mark in copy.findall(f"{W}rPr"):
                copy.remove(mark)
            added.append(copy)
        if new:
            added.append(self.change("ins", new))
        paragraph.addnext(added)
        return self

    def split(self, after_text: str) -> Tracked:
        """Enter pressed right after ``after_text``, inside its paragraph, with no text typed."""
        node = self.text(after_text)
        run = node.getparent()
        paragraph = run.getparent()
        head, _, tail = node.text.partition(after_text)
        node.text = head + after_text
        second = etree.Element(f"{W}p")
        properties = paragraph.find(f"{W}pPr")
        if properties is not None:
            second.append(etree.fromstring(etree.tostring(properties)))
        second.append(self._run_like(run, tail))
        for sibling in list(run.itersiblings()):
            second.append(sibling)
        self._mark_inserted(paragraph)
        paragraph.addnext(second)
        return self

    def _mark_inserted(self, paragraph: Any) -> None:
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            properties = etree.SubElement(paragraph, f"{W}pPr")
            paragraph.insert(0, properties)
        marks = etree.SubElement(properties, f"{W}rPr")
        marks.append(
            etree.fromstring(f'<w:ins xmlns:w="{W[1:-1]}" w:id="{next(self.ids)}" {REVIEWER_NAME}/>')
        )

    @staticmethod
    def _run_like(run: Any, text: str) -> Any:
        copy = etree.fromstring(etree.tostring(run))
        for node in copy.findall(f"{W}t"):
            copy.remove(node)
        t = etree.SubElement(copy, f"{W}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return copy

    def save(self, path: Path) -> Path:
        self.parts["word/document.xml"] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in self.parts.items():
                package.writestr(name, data)
        return path


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def marked(document: Path, folder: Path) -> list[tuple[str, str | None]]:
    """Each piece of the document's text with the field its marker names (None: not from the inputs)."""
    reading = read_document(document)
    names = sources.raw_sources(load_raw(folder).data)
    found = []
    for piece in reading.pieces:
        source = source_name(piece.marker) if piece.marker else None
        path = names.get(source) if source else None
        found.append((piece.text, dotted(path) if path else None))
    return found


def applied(folder: Path, reviewed: Path) -> tuple[Any, Any]:
    """The plan of applying ``reviewed`` to ``folder`` (written), and the values before."""
    before = values(folder)
    plan = apply_review(review_document(folder, reviewed), write=True)
    return plan, before


def changed_values(before: dict[Any, Any], after: dict[Any, Any]) -> dict[Any, Any]:
    return {
        path: after.get(path) for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    }


# --- every value in assembled text has its own marker -------------------------------------------


def test_each_entry_and_each_value_in_assembled_text_has_its_own_marker(
    reviewable: tuple[Path, Path],
) -> None:
    folder, built = reviewable
    pieces = marked(built, folder)

    def field(text: str, *after: str) -> str | None:
        """The field of the first piece ``text`` after the first piece that holds each of ``after``."""
        start = 0
        for anchor in after:
            start = next(i for i in range(start, len(pieces)) if anchor in pieces[i][0])
        return next(name for piece, name in pieces[start:] if piece == text)

    m1, m2 = "themes[0].measures[0]", "themes[0].measures[1]"
    profile = "Die Träger von Sprachkursen stimmen"  # the description just before the profile
    assert field("Jobcenter Landkreis Goslar", profile) == f"{m1}.partners[1]"
    assert field("Neuzugewanderte Erwachsene", profile) == f"{m1}.target_groups[0]"
    profile = "In Zusammenarbeit mit Kindertagesstätten"
    assert field("Stadt Bad Harzburg", profile) == f"{m2}.lead[0]"
    assert field("Landkreis Goslar", profile) == f"{m2}.lead[1]"
    assert field("ca. 12.000 € pro Kursjahr", profile) == f"{m2}.funding.budget"
    assert field("Teilnehmende Eltern pro Kursjahr", profile) == f"{m2}.indicators[0].name"
    assert field("30", "Teilnehmende Eltern pro Kursjahr") == f"{m2}.indicators[0].target"
    assert field("Personen", "Teilnehmende Eltern pro Kursjahr") == f"{m2}.indicators[0].unit"
    quote = "Erfolgreich ist ein Integrationskonzept"
    assert field("Erste Kreisrätin", quote) == "quotes[1].role"
    assert field("Landkreis Goslar", quote, "Erste Kreisrätin") == "quotes[1].organisation"
    assert field("Landrat", "Goslar, im Januar 2019") == "foreword.author.role"
    assert field("Robert Bosch Stiftung", "Partner und Förderer") == "meta.partners[0].name"
    assert field("Förderung im Programm Land.Zuhause.Zukunft", "Partner") == "meta.partners[0].role"
    assert field("Neuzugewanderte", "Vertreten waren") == "process.events[0].groups[3]"
    # the words between the values are the document's: "A und B", "Name (Rolle, Organisation)"
    texts = [text for text, _ in pieces]
    lead = texts.index("Stadt Bad Harzburg", next(i for i, t in enumerate(texts) if profile in t))
    assert pieces[lead : lead + 3] == [
        ("Stadt Bad Harzburg", f"{m2}.lead[0]"),
        (" und ", None),
        ("Landkreis Goslar", f"{m2}.lead[1]"),
    ]


def test_a_change_to_one_entry_of_a_list_is_applied_to_that_entry(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace(
        "Landkreis Goslar",
        "Landkreis Goslar (Fachdienst Bildung)",
        after="In Zusammenarbeit mit Kindertagesst",
    )
    reviewed.replace(
        "Neuzugewanderte", "Neu Zugewanderte", after="Vertreterinnen und Vertreter der Arbeitsverwaltung"
    )
    review = review_document(folder, reviewed.save(tmp_path / "reviewed.docx"))
    places = [(r.place.field, str(r.place.location)) for r in review.remarks]
    assert places == [
        ("process.events[0].groups[3]", line_of(folder, "beteiligung.yaml", '- "Neuzugewanderte"')),
        ("themes[0].measures[1].lead[1]", line_of(folder, BILDUNG, "lead: [Stadt Bad Harzburg")),
    ]
    plan, before = applied(folder, tmp_path / "reviewed.docx")
    assert plan.refusals == []
    measure = ("themes", 0, "measures", 1)
    assert changed_values(before, values(folder)) == {
        (*measure, "lead", 1): "Landkreis Goslar (Fachdienst Bildung)",
        ("process", "events", 0, "groups", 3): "Neu Zugewanderte",
    }
    # a value in a flow sequence is quoted where it needs it
    assert (
        "lead: [Stadt Bad Harzburg, Landkreis Goslar (Fachdienst Bildung)]" in (folder / BILDUNG).read_text()
    )


def test_markers_keep_the_pages_and_the_bytes(reviewable: tuple[Path, Path], tmp_path: Path) -> None:
    folder, built = reviewable
    again = build(folder, tmp_path / "again")
    assert again.read_bytes() == built.read_bytes()
    validate_with_word(built)
    xml = zipfile.ZipFile(built).read("word/document.xml").decode()
    # no word is cut by a marker where a table measures it: the joint lead reads whole
    assert "Stadt Bad Harzburg und Landkreis Goslar" in document_text(built)
    assert "\ufdd0" not in xml


# --- a change across values, inputs changed meanwhile ---------------------------------------------


def test_a_change_across_two_values_is_refused_as_a_whole(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1])
    value = reviewed.text("137.000")
    space = value.getparent().getnext()
    while space.tag != f"{W}r":  # past the value's bookmark end
        space = space.getnext()
    unit = reviewed.text("Personen", after="137.000")
    reviewed.replace("000", "", after="Einwohnerinnen und Einwohner")  # "137." stays, "000" deleted
    for run in (space, unit.getparent()):
        deletion = reviewed.change("del", run.find(f"{W}t").text)
        run.addprevious(deletion)
        run.getparent().remove(run)
    deletion.addnext(reviewed.change("ins", "500 Menschen"))  # after "Personen", deleted
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert changed_values(before, values(folder)) == {}
    assert len(plan.refusals) == 1
    assert "covers several values" in plan.refusals[0].reason
    assert (
        "starting_point.key_figures[0].value, starting_point.key_figures[0].unit" in plan.refusals[0].reason
    )


def test_nothing_is_written_when_an_input_changes_while_the_prompt_waits(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("Quick Win", "Schwerpunkt").save(tmp_path / "reviewed.docx")
    plan = apply_review(review_document(folder, reviewed))
    assert plan.contents  # planned, not written
    (folder / BILDUNG).write_text((folder / BILDUNG).read_text("utf-8") + "# meanwhile\n", "utf-8")
    edited = (folder / BILDUNG).read_bytes()
    with pytest.raises(concept_builder.ConceptBuilderError, match="changed since the changes were planned"):
        plan.write()
    assert (folder / BILDUNG).read_bytes() == edited
    assert not list(folder.rglob(".*.yaml.*"))  # no file left half-way


# --- YAML as people write it ---------------------------------------------------------------------


def test_a_file_with_a_byte_order_mark_and_windows_line_ends_is_changed_in_place(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    original = (folder / STIMMEN).read_bytes()
    reviewed = Tracked(reviewable[1]).replace("immer", "vor allem", within="Der Schlüssel ist dabei immer")
    reviewed.replace(
        "Erste Kreisrätin", "Erste Kreisrätin a. D.", after="Erfolgreich ist ein Integrationskonzept"
    )
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert plan.refusals == []
    changed = (folder / STIMMEN).read_bytes()
    assert changed.startswith(b"\xef\xbb\xbf") and changed.count(b"\r\n") == original.count(b"\r\n")
    assert b"\n" not in changed.replace(b"\r\n", b"")
    assert changed_values(before, values(folder)) == {
        ("quotes", 1, "text"): before[("quotes", 1, "text")].replace("immer", "vor allem"),
        ("quotes", 1, "role"): "Erste Kreisrätin a. D.",
    }
    old_lines, new_lines = original.split(b"\r\n"), changed.split(b"\r\n")
    assert (
        len(old_lines) == len(new_lines)
        and sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 2
    )


def test_a_block_in_a_file_with_windows_line_ends_keeps_them_and_its_blank_lines() -> None:
    from concept_builder.review.yaml_text import YamlText, compose

    data = b"\xef\xbb\xbfa: |\r\n  eins\r\n\r\n  zwei\r\n\r\nb: x\r\n"
    source = YamlText.decode(data)
    root = compose(source.text)
    node = root.value[0][1]
    text = source.text
    new = text[: node.start_mark.index] + _scalar(text, node, "eins\n\ndrei\n") + text[node.end_mark.index :]
    assert source.encode(new) == b"\xef\xbb\xbfa: |\r\n  eins\r\n\r\n  drei\r\n\r\nb: x\r\n"


def test_a_value_in_a_flow_mapping_is_quoted_where_a_comma_would_end_it(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace(
        "Stadt Bad Harzburg", "Stadt Bad Harzburg, Landkreis Goslar", after="ca. 12.000 € pro Kursjahr"
    )
    reviewed.replace("Quick Win", "Schwerpunkt")
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert plan.refusals == []
    assert 'source: "Stadt Bad Harzburg, Landkreis Goslar"}' in (folder / BILDUNG).read_text("utf-8")
    measure = ("themes", 0, "measures", 1)
    assert changed_values(before, values(folder)) == {
        (*measure, "funding", "source"): "Stadt Bad Harzburg, Landkreis Goslar",
        (*measure, "priority"): "Schwerpunkt",
    }


def test_an_edit_that_makes_the_inputs_invalid_is_left_out_alone(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("Quick Win", "Schwerpunkt")
    reviewed.replace("2017", "1817", after="Einwohnerinnen und Einwohner")  # a key figure's year
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert [r.place.field for r in plan.refusals] == ["starting_point.key_figures[0].year"]
    assert "would not validate" in plan.refusals[0].reason and "1900" in plan.refusals[0].reason
    assert changed_values(before, values(folder)) == {("themes", 0, "measures", 1, "priority"): "Schwerpunkt"}


def test_a_folded_block_keeps_its_line_breaks() -> None:
    from concept_builder.review.yaml_text import compose

    text = "d: >\n  Eins zwei drei\n  vier fünf sechs\n  sieben.\n\n  Acht neun\n  zehn.\n"
    node = compose(text).value[0][1]
    assert _scalar(text, node, "Eins zwei drei vier fünf sechs sieben.\nAcht neun zehn.\n") == text[3:]
    changed = _scalar(text, node, "Eins zwei drei vier 5 sechs sieben und acht.\nAcht neun zehn.\n")
    assert changed == ">\n  Eins zwei drei\n  vier 5 sechs\n  sieben und acht.\n\n  Acht neun\n  zehn.\n"


def test_a_folded_description_is_changed_without_reflowing_it(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("Elterngesprächen", "Elternabenden")
    plan, _ = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert plan.refusals == []
    lines = (folder / BILDUNG).read_text("utf-8").splitlines()
    assert "      Sie erklären das Bildungssystem, begleiten zu Elternabenden und vermitteln" in lines
    assert "      bei Bedarf an Beratungsstellen." in lines


# --- quotes, numbers, lists, Markdown --------------------------------------------------------------


def test_a_quote_is_marked_without_its_quotation_marks_and_its_change_applied(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, built = reviewable
    pieces = marked(built, folder)
    quote = next(text for text, field in pieces if field == "quotes[1].text")
    assert quote.startswith("Erfolgreich") and quote.endswith("ein!")
    copy = copied(reviewable, tmp_path)
    reviewed = Tracked(built).replace("dann, wenn es gelebt wird", "dann, wenn es wirklich gelebt wird")
    plan, _ = applied(copy, reviewed.save(tmp_path / "reviewed.docx"))
    assert plan.refusals == []
    assert "wenn es wirklich gelebt wird" in values(copy)[("quotes", 1, "text")]


def test_a_number_printed_the_german_way_is_read_back(reviewable: tuple[Path, Path], tmp_path: Path) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("137", "138", after="Einwohnerinnen und Einwohner")
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert plan.refusals == []
    assert changed_values(before, values(folder)) == {("starting_point", "key_figures", 0, "value"): "138000"}
    assert "      value: 138000\n" in (folder / "concept.yaml").read_text("utf-8")


def test_a_number_that_reads_two_ways_is_not_applied(reviewable: tuple[Path, Path], tmp_path: Path) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("137.000", "137.00", after="Einwohnerinnen und Einwohner")
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert changed_values(before, values(folder)) == {}
    assert "does not read as one number" in plan.refusals[0].reason


def test_a_new_list_item_and_a_split_paragraph_become_markdown(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).new_paragraph(
        "Vermittlung in Anschlusskurse.", "jährlicher Bericht an den Kreisausschuss."
    )
    reviewed.split("Wartezeiten sinken.")
    review = review_document(folder, reviewed.save(tmp_path / "reviewed.docx"))
    listed = [(r.kind, r.new, r.place.field) for r in review.remarks]
    description = "themes[0].measures[0].description"
    assert listed == [
        ("insertion", "\n", description),  # the split: listed, as it is applied
        ("insertion", "\njährlicher Bericht an den Kreisausschuss.", description),
    ]
    assert "insertion by Rita Review, 2024-07-01: “¶ jährlicher Bericht" in review.to_text()
    before = values(folder)
    plan = apply_review(review, write=True)
    assert plan.refusals == []
    new = values(folder)[("themes", 0, "measures", 0, "description")]
    old = before[("themes", 0, "measures", 0, "description")]
    assert new == old.replace("Wartezeiten sinken. ", "Wartezeiten sinken.\n\n").replace(
        "Anschlusskurse.\n", "Anschlusskurse.\n- jährlicher Bericht an den Kreisausschuss.\n"
    )


def test_changes_in_markdown_are_applied_but_one_across_emphasis(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("Januar", "Februar", after="verbindlich.")
    reviewed.replace("Prozess.", "Prozess", after="schriftlich nieder")  # the bold ends after the dot
    reviewed.replace(" Sie", "", after="schriftlich nieder")
    plan, _ = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert [r.place.field for r in plan.refusals] == ["foreword.text"]
    assert "cuts through the Markdown" in plan.refusals[0].reason
    foreword = values(folder)[("foreword", "text")]
    assert "Goslar, im Februar 2019" in foreword and "beidseitiger Prozess.** Sie gelingt" in foreword


# --- places ---------------------------------------------------------------------------------------


def test_an_entry_without_an_id_keeps_its_place_when_one_is_added_before_it(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("Personen", "Menschen", after="137.000")
    concept = folder / "concept.yaml"
    concept.write_text(
        concept.read_text("utf-8").replace(
            "  key_figures:\n",
            "  key_figures:\n    - indicator: Fläche\n      value: 965\n      unit: km²\n      year: 2017\n"
            "      source: Landesamt\n",
        ),
        "utf-8",
    )
    review = review_document(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert [(r.place.field, str(r.place.location)) for r in review.remarks] == [
        ("starting_point.key_figures[1].unit", line_of(folder, "concept.yaml", 'unit: "Personen"'))
    ]
    assert "places may have moved" in review.to_text()


def test_a_document_of_another_concept_is_not_placed_in_these_inputs(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    reviewed = Tracked(reviewable[1]).replace("Quick Win", "Schwerpunkt")
    reviewed.replace("Liebe", "Sehr geehrte", within="Liebe Bürgerinnen")  # Oberauen has a foreword too
    other = ROOT / "inputs" / "oberauen"
    review = review_document(other, reviewed.save(tmp_path / "reviewed.docx"))
    assert review.other_concept and all(r.place.location is None for r in review.remarks)
    assert (
        "built from another concept (“Integrations- und Teilhabekonzept – Landkreis Goslar”)"
        in review.to_text()
    )
    with pytest.raises(concept_builder.ConceptBuilderError, match="another concept"):
        apply_review(review)


def test_a_comment_of_two_paragraphs_stays_under_its_remark_and_free_text_points_at_its_paragraph(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, built = reviewable
    document = Document(str(built))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Bad Harzburg erprobt"))
    comment = document.add_comment(paragraph.runs, text="Welche Ansprechperson?", author="Dora Kreistag")
    comment.add_paragraph("Bitte mit Namen.")
    document.save(str(tmp_path / "reviewed.docx"))
    review = review_document(folder, tmp_path / "reviewed.docx")
    assert [str(r.place.location) for r in review.remarks] == [
        line_of(folder, BILDUNG, "Bad Harzburg erprobt")
    ]
    lines = review.to_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "Welche Ansprechperson?" in line)
    assert lines[at].startswith("  ") and lines[at + 1].startswith("      Bitte mit Namen.")


def test_untracked_without_apply_is_a_usage_error(reviewable: tuple[Path, Path]) -> None:
    folder, built = reviewable
    result = CliRunner().invoke(main, ["review", str(folder), str(built), "--untracked"])
    assert result.exit_code == 2 and "--apply" in result.output


def test_an_entry_in_a_workbook_cell_of_several_changes_that_entry_alone(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.test_spreadsheet import folder_from_workbook

    workbook = concept_builder.export_measures(
        concept_builder.load_concept(GOSLAR), tmp_path / "massnahmen.xlsx"
    )
    folder = folder_from_workbook(tmp_path, workbook)
    built = build(folder, tmp_path / "out")
    reviewed = Tracked(built).replace(
        "Jobcenter Landkreis Goslar", "Jobcenter Goslar", after="Die Träger von Sprachkursen stimmen"
    )
    review = review_document(folder, reviewed.save(tmp_path / "reviewed.docx"))
    [remark] = review.remarks
    assert remark.place.field == "themes[0].measures[0].partners[1]" and remark.place.location is not None
    cell = remark.place.location.cell
    assert cell and cell.startswith("Maßnahmen!")  # the cell that holds all the partners
    sheet = load_workbook(folder / "massnahmen.xlsx")["Maßnahmen"]
    before = str(sheet[cell.split("!")[1]].value)
    plan = apply_review(review, write=True)
    assert plan.refusals == []
    after = str(load_workbook(folder / "massnahmen.xlsx")["Maßnahmen"][cell.split("!")[1]].value)
    assert after == before.replace("Jobcenter Landkreis Goslar", "Jobcenter Goslar") and after != before

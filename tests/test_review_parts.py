"""A review in every part of the document: headers and footers, formatting changes, edits made without
tracking that no value takes, budget amounts, and a reviewed file that is damaged.

The reviewed documents are made by editing a built document's XML the way
Word writes a review (``Tracked`` of ``test_review``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from concept_builder.cli import main
from concept_builder.review import apply_review, review_document
from tests.test_review import (
    BILDUNG,
    REVIEWER_NAME,
    Tracked,
    W,
    applied,
    changed_values,
    copied,
    line_of,
    reviewable_in,
    values,
)

INSERTED = f'<w:ins w:id="8991" {REVIEWER_NAME}><w:r><w:t xml:space="preserve">{{}}</w:t></w:r></w:ins>'


def _insert_after_text(tracked: Tracked, part: str, text: str, new: str) -> None:
    """A tracked insertion of ``new`` after the run whose text ends with ``text``, in ``part``."""
    root = etree.fromstring(tracked.parts[part])
    node = next(t for t in root.iter(f"{W}t") if (t.text or "").endswith(text))
    run: Any = node.getparent()
    inserted = etree.fromstring(INSERTED.format(new).replace("<w:ins ", f'<w:ins xmlns:w="{W[1:-1]}" '))
    run.addnext(inserted)
    tracked.parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@pytest.fixture(scope="module")
def reviewable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Goslar inputs as ``test_review`` modifies them, and the full concept built from them."""
    return reviewable_in(tmp_path_factory.mktemp("reviewable"))


def test_changes_in_the_header_and_the_footer_are_listed_with_their_part(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    tracked = Tracked(reviewable[1])
    _insert_after_text(tracked, "word/header1.xml", "Landkreis Goslar", " (vertraulich)")
    _insert_after_text(tracked, "word/footer1.xml", "Version 0.9", " – nur intern")
    review = review_document(folder, tracked.save(tmp_path / "reviewed.docx"))
    found = [(r.kind, r.new, r.place.part, r.from_inputs) for r in review.remarks]
    assert found == [
        ("insertion", " (vertraulich)", "header", False),
        ("insertion", " – nur intern", "footer", False),
    ]
    text = review.to_text()
    assert "in the header (Kopfzeile), “ENTWURF – Landkreis Goslar (vertraulich)”: insertion" in text
    assert "in the footer (Fußzeile)" in text
    assert [r["part"] for r in review.to_dict()["remarks"]] == ["header", "footer"]


def test_a_tracked_formatting_change_is_listed_at_its_value_and_never_applied(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    tracked = Tracked(reviewable[1])
    title = "Koordinierte Sprachkursplanung für den Landkreis"
    run: Any = next(t for t in tracked.root.iter(f"{W}t") if t.text == title).getparent()  # the heading's
    properties = run.find(f"{W}rPr")
    if properties is None:
        properties = etree.SubElement(run, f"{W}rPr")
        run.insert(0, properties)
    before = copy.deepcopy(properties)
    etree.SubElement(properties, f"{W}i")
    change = etree.SubElement(properties, f"{W}rPrChange")
    change.set(f"{W}id", "8993")
    change.set(f"{W}author", "Fritz Format")
    change.append(before)
    review = review_document(folder, tracked.save(tmp_path / "reviewed.docx"))
    [remark] = review.remarks
    assert remark.kind == "formatting" and remark.passage == title and remark.author == "Fritz Format"
    assert str(remark.place.location) == line_of(folder, BILDUNG, "title:", after="id: bildung-m1")
    assert "formatting change by Fritz Format on “Koordinierte" in str(remark)
    assert "never applied" in str(remark)
    plan = apply_review(review)
    assert plan.contents == {} and "formatting" in plan.refusals[0].reason


def test_a_budget_amount_written_the_german_way_is_read_back(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("30.000", "35.000", within="30.000\xa0€")
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert plan.refusals == []
    path = ("themes", 0, "measures", 0, "funding", "budget", "amount")
    assert changed_values(before, values(folder)) == {path: "35000"}
    assert "budget: {amount: 35000, period: jährlich, approximate: ja}" in (folder / BILDUNG).read_text(
        "utf-8"
    )


def test_a_budget_amount_that_reads_two_ways_is_not_applied(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    reviewed = Tracked(reviewable[1]).replace("30.000", "30.00", within="30.000\xa0€")
    plan, before = applied(folder, reviewed.save(tmp_path / "reviewed.docx"))
    assert changed_values(before, values(folder)) == {}
    assert "does not read as one number" in plan.refusals[0].reason


def test_a_plain_review_says_that_untracked_edits_are_not_listed(reviewable: tuple[Path, Path]) -> None:
    folder, built = reviewable
    result = CliRunner().invoke(main, ["review", str(folder), str(built)])
    assert result.exit_code == 0
    note = "edits made without tracking changes are not listed; --apply --untracked finds them"
    assert note in result.output
    looked = CliRunner().invoke(main, ["review", str(folder), str(built), "--apply", "--untracked"])
    assert looked.exit_code == 0 and "nothing to apply" in looked.output and note not in looked.output


def test_an_untracked_edit_of_a_label_is_listed_as_not_applied(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    tracked = Tracked(reviewable[1])
    tracked.text("Federführung", after="Koordinierte Sprachkursplanung für den Landkreis").text = "Leitung"
    plan = apply_review(review_document(folder, tracked.save(tmp_path / "reviewed.docx")), untracked=True)
    assert plan.contents == {}
    [refusal] = plan.refusals
    assert refusal.place.location is None and refusal.place.context == "Leitung"
    assert "changed without tracking (“Federführung” → “Leitung”) in text not from the inputs" in str(refusal)


def test_a_value_typed_over_whole_without_its_marker_is_listed_at_its_place(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    tracked = Tracked(reviewable[1])
    node = tracked.text("Kreisvolkshochschule Goslar", after="Federführung")
    paragraph = node.getparent().getparent()
    for mark in [m for m in paragraph if m.tag in (f"{W}bookmarkStart", f"{W}bookmarkEnd")]:
        paragraph.remove(mark)  # as Word does when the whole text of a bookmark is typed over
    node.text = "KVHS Goslar"
    plan = apply_review(review_document(folder, tracked.save(tmp_path / "reviewed.docx")), untracked=True)
    assert plan.contents == {}
    [refusal] = plan.refusals
    assert refusal.place.field == "themes[0].measures[0].lead"
    assert str(refusal.place.location) == line_of(folder, BILDUNG, "lead:", after="id: bildung-m1")
    assert "“Kreisvolkshochschule Goslar” → “KVHS Goslar”" in refusal.reason


def test_a_reviewed_file_that_is_not_a_word_document_is_an_error_naming_it(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    damaged = tmp_path / "kaputt.docx"
    damaged.write_bytes(b"not a zip at all")
    result = CliRunner().invoke(main, ["review", str(reviewable[0]), str(damaged)])
    assert result.exit_code == 1
    assert f"{damaged}: cannot be read as a Word document" in result.output
    assert "save it there anew" in result.output


def test_a_tracked_line_break_is_listed_and_not_applied_as_a_new_paragraph(
    reviewable: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = copied(reviewable, tmp_path)
    tracked = Tracked(reviewable[1])
    inserted = tracked.change("ins", "")
    run = inserted[0]
    run.remove(run[0])
    etree.SubElement(run, f"{W}br")  # Shift+Enter while tracking
    node: Any = tracked.text("halbjährliche Bedarfsabfrage")
    head, _, tail = node.text.partition("halbjährliche ")
    node.text = head + "halbjährliche "
    node.getparent().addnext(inserted)
    inserted.addnext(tracked._run_like(node.getparent(), tail))
    review = review_document(folder, tracked.save(tmp_path / "reviewed.docx"))
    [remark] = review.remarks
    assert remark.kind == "insertion" and remark.place.field == "themes[0].measures[0].description"
    assert "insertion by Rita Review, 2024-07-01: “↵”" in str(remark)
    before = (folder / BILDUNG).read_bytes()
    plan = apply_review(review, write=True)
    assert (folder / BILDUNG).read_bytes() == before
    assert "a line break (Shift+Enter)" in plan.refusals[0].reason

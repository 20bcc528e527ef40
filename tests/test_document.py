"""The Goslar concept reads as a reader expects: chapters, numbers, quotes, figures, links."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from docx import Document

import concept_builder
from concept_builder import BuildOptions, Concept
from tests.conftest import GOSLAR, WriteInputs, document_text, document_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def headings(path: Path, level: int) -> list[str]:
    document = Document(str(path))
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == f"Heading {level}"]


def expected_measure_numbers(concept: Concept) -> dict[str, str]:
    """'Maßnahme t.g.n': theme t, its first goal g, the n-th measure of that goal (docs/input-format.md)."""
    numbers = {}
    for t, theme in enumerate(concept.themes, 1):
        goal_index = {goal.id: g for g, goal in enumerate(theme.goals, 1)}
        count: dict[str, int] = defaultdict(int)
        for measure in theme.measures:
            count[measure.goals[0]] += 1
            numbers[measure.id] = f"{t}.{goal_index[measure.goals[0]]}.{count[measure.goals[0]]}"
    return numbers


def test_chapters_come_in_the_usual_order(goslar_docx: Path) -> None:
    assert headings(goslar_docx, 1) == [
        "Vorwort",
        "1 Anlass und Auftrag",
        "2 Ausgangslage",
        "3 Leitlinien",
        "4 Beteiligungsprozess",
        "5 Handlungsfelder",
        "6 Maßnahmenübersicht",
        "7 Umsetzung und Monitoring",
        "Quellen",
        "Glossar und Abkürzungen",
        "Impressum",
    ]


def test_every_theme_has_its_chapter_and_overview(goslar_docx: Path, goslar_concept: Concept) -> None:
    expected = [f"Handlungsfeld {i}: {t.title}" for i, t in enumerate(goslar_concept.themes, 1)]
    level2 = headings(goslar_docx, 2)
    in_order = [h for h in level2 if h.startswith("Handlungsfeld ")]
    assert in_order == expected + expected  # theme chapters, then the overview per theme
    assert expected[0] == "Handlungsfeld 1: Bildung und Sprache"
    assert expected[5] == "Handlungsfeld 6: Wohnen und Leben vor Ort"


def test_every_goal_and_measure_is_numbered_with_its_title(
    goslar_docx: Path, goslar_concept: Concept
) -> None:
    level4 = [h.removesuffix(" Beispielinhalt ").strip() for h in headings(goslar_docx, 4)]
    measure_numbers = expected_measure_numbers(goslar_concept)
    expected = []
    for t, theme in enumerate(goslar_concept.themes, 1):
        expected += [f"Ziel {t}.{g} {goal.title}" for g, goal in enumerate(theme.goals, 1)]
        measures = sorted(theme.measures, key=lambda m: [int(x) for x in measure_numbers[m.id].split(".")])
        expected += [f"Maßnahme {measure_numbers[m.id]} {m.title}" for m in measures]
    assert level4 == expected
    assert "Maßnahme 2.2.1 Modellprojekt zum interkulturellen Coaching in Arbeit und Ausbildung" in level4


def test_overview_lists_each_measure_with_lead_and_status(goslar_docx: Path, goslar_concept: Concept) -> None:
    document = Document(str(goslar_docx))
    overview_rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        if table.rows[0].cells[0].text == "Nr." and table.rows[0].cells[1].text == "Maßnahme"
        for row in table.rows[1:]
    ]
    numbers = expected_measure_numbers(goslar_concept)
    measures = [m for t in goslar_concept.themes for m in t.measures]
    assert len(overview_rows) == len(measures) == 28
    rows_by_number = {row[0]: row for row in overview_rows}
    for measure in measures:
        row = rows_by_number[numbers[measure.id]]
        marker = " Beispielinhalt" if measure.illustrative else ""  # marked in the table too
        assert row[1:3] == [measure.title + marker, " und ".join(measure.lead)]
        assert row[5] == measure.status


def test_overview_tables_repeat_their_header_and_keep_rows_whole(goslar_docx: Path) -> None:
    document = Document(str(goslar_docx))
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Nr."]
    assert len(tables) == 6  # one per theme, not one giant table
    for table in tables:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in table.rows)


def test_every_quote_appears_with_speaker_and_role(goslar_docx: Path, goslar_concept: Concept) -> None:
    text = document_text(goslar_docx)
    assert len(goslar_concept.quotes) == 6
    for quote in goslar_concept.quotes:
        assert text.count(f"„{quote.text}“") == 1  # once, under its first theme
    source = "Quelle: Gemeinsame Presseinfo Landkreis Goslar / Robert Bosch Stiftung / Ramboll Management"
    for attribution in (
        "– Thomas Brych (Landrat, Landkreis Goslar)",
        "– Nathalie Stamerjohanns und Christina Becker (Ausländerbehörde LK GS)",
        "– Michaela Grube (Oberschule Seesen)",
    ):  # the speaker, and where the quote was published
        assert any(
            line.startswith(attribution) and line.endswith(source + " Consulting, 07.12.2018")
            for line in text
        )


def test_press_release_facts_are_in_the_document(goslar_docx: Path) -> None:
    text = "\n".join(document_text(goslar_docx))
    for fact in (
        "30. November 2018",
        "rund 70",
        "Robert Bosch Stiftung",
        "Ramboll Management Consulting",
        "Land.Zuhause.Zukunft",
        "Integration ist ein beidseitiger Prozess",
        "Modellprojekt zum interkulturellen Coaching in Arbeit und Ausbildung",
        "Kreishaus",
    ):
        assert fact in text, fact


def test_key_figures_table_has_value_year_and_source(goslar_docx: Path, goslar_concept: Concept) -> None:
    document = Document(str(goslar_docx))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Kennzahl"]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert goslar_concept.starting_point is not None
    figures = goslar_concept.starting_point.key_figures
    assert [row[0] for row in rows] == [f.indicator for f in figures]
    assert [row[2] for row in rows] == [str(f.year) for f in figures]
    for row, figure in zip(rows, figures, strict=True):
        assert row[3].startswith(figure.source)
        assert re.fullmatch(r"[\d.]+(,\d+)? .+", row[1]), row[1]  # German number format with unit


def test_illustrative_content_is_marked(goslar_docx: Path, goslar_concept: Concept) -> None:
    text = document_text(goslar_docx)
    assert any(t.startswith("Beispielinhalt: Mit „Beispielinhalt“ gekennzeichnete Abschnitte") for t in text)
    illustrative = [i for t in goslar_concept.themes for i in [*t.goals, *t.measures] if i.illustrative]
    assert illustrative
    document = Document(str(goslar_docx))
    paragraphs = document.paragraphs
    marked = [
        paragraphs[index - 1].text
        for index, p in enumerate(paragraphs)
        if p.text == "Beispielinhalt" and p.style is not None and p.style.name == "Example Note"
    ]
    assert sum(h.startswith(("Ziel ", "Maßnahme ")) for h in marked) == len(illustrative)
    # the marker is never part of a heading: it would reach the PDF's bookmarks and the contents
    assert not any("Beispielinhalt" in h for level in (1, 2, 3, 4) for h in headings(goslar_docx, level))


def test_table_of_contents_shows_its_entries(goslar_docx: Path) -> None:
    xml = document_xml(goslar_docx)
    entries = re.findall(
        r'<w:pStyle w:val="toc(\d)"/>.*?<w:hyperlink w:anchor="(_Toc\d+)"[^>]*>(.*?)</w:hyperlink>', xml
    )
    texts = [re.sub(r"<[^>]+>", "", body) for _, _, body in entries]
    assert texts == headings(goslar_docx, 1)[:1] + texts[1:]  # starts with the foreword
    assert "5 Handlungsfelder" in texts and "Handlungsfeld 3: Ehrenamt und Zivilgesellschaft" in texts
    assert len(texts) == len(headings(goslar_docx, 1)) + len(headings(goslar_docx, 2))


def test_every_internal_link_has_its_bookmark(goslar_docx: Path) -> None:
    xml = document_xml(goslar_docx)
    anchors = set(re.findall(r'w:anchor="([^"]+)"', xml))
    bookmarks = re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"', xml)
    names = {name for _, name in bookmarks}
    ids = [identifier for identifier, _ in bookmarks]
    assert anchors and anchors <= names
    assert len(ids) == len(set(ids))
    assert any(a.startswith("cb_") for a in anchors)  # goals ↔ measures, not only the contents


def test_document_properties_title_and_language(goslar_docx: Path) -> None:
    document = Document(str(goslar_docx))
    assert document.core_properties.title == "Integrations- und Teilhabekonzept – Landkreis Goslar"
    assert document.core_properties.language == "de-DE"
    lang = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}val") == "de-DE"


def test_output_name_comes_from_the_concept(goslar_docx: Path) -> None:
    assert goslar_docx.name == "integrations-und-teilhabekonzept-landkreis-goslar-v0-9.docx"


def test_rebuilding_gives_the_same_bytes(tmp_path: Path, goslar_docx: Path) -> None:
    again = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path))
    assert again.path.read_bytes() == goslar_docx.read_bytes()


def test_the_invented_foreword_is_marked(goslar_docx: Path) -> None:
    paragraphs = Document(str(goslar_docx)).paragraphs
    heading = next(
        i for i, p in enumerate(paragraphs) if p.text == "Vorwort" and p.style and p.style.name == "Heading 1"
    )
    note = paragraphs[heading + 1]
    assert note.text.startswith("Beispielinhalt: ")
    assert note.style is not None and note.style.name == "Example Note"


def test_contents_entries_leave_out_the_beispielinhalt_tag(goslar_docx: Path) -> None:
    xml = document_xml(goslar_docx)
    entries = [
        re.sub(r"<[^>]+>", "", body)
        for body in re.findall(r'<w:hyperlink w:anchor="_Toc\d+"[^>]*>(.*?)</w:hyperlink>', xml)
    ]
    assert "Teilhabe für alle Bürgerinnen und Bürger" in entries
    assert not any("Beispielinhalt" in entry for entry in entries)


def test_source_date_epoch_sets_the_dates_and_keeps_bytes_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1609459200")  # 2021-01-01 00:00 UTC
    first = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "a")).path
    second = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "b")).path
    assert first.read_bytes() == second.read_bytes()
    assert str(Document(str(first)).core_properties.modified) == "2021-01-01 00:00:00+00:00"
    assert {info.date_time for info in zipfile.ZipFile(first).infolist()} == {(2021, 1, 1, 0, 0, 0)}


SMALL = """\
meta:
  title: Integrationskonzept
  district: Landkreis Muster
  issuer: Landkreis Muster
  version: "1.0"
  date: 2025-03-15
starting_point:
  text: Lage.
  key_figures:
    - {indicator: Einwohner, value: 1200, year: 2024, source: Melderegister}
cross_cutting_themes:
  - {id: q1, title: Mobilität}
  - {id: q2, title: Alter}
themes:
  - id: t
    title: Bildung
    description: Text.
    cross_cutting: [q1]
    goals:
      - {id: t-z1, title: Ziel}
    measures:
      - id: t-m1
        title: Lernpaten
        description: Paten helfen.
        goals: [t-z1]
        lead: VHS
        cross_cutting: [q1]
        illustrative: true
        indicators:
          - {name: Paten, target: "20", unit: Personen, illustrative: true}
          - {name: Kosten, unit: Euro}
          - {name: Zufriedenheit, source: Befragung}
"""


def test_what_is_illustrative_is_marked_in_profiles_and_measure_tables(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    folder = write_inputs(SMALL)
    outcome = concept_builder.build_many(
        [folder], BuildOptions(out_dir=tmp_path / "out"), variants=["konzept", "umsetzungsbericht"]
    )
    [concept, report] = [result.path for result in outcome[0]]  # type: ignore[union-attr]
    # the indicator's line in the measure's profile ends with the marker, in the marker's style
    [cell] = [
        cell
        for table in Document(str(concept)).tables
        for row in table.rows
        for cell in row.cells
        if "Paten: Zielwert 20 Personen" in cell.text
    ]
    [line] = [p for p in cell.paragraphs if "Paten: Zielwert 20 Personen" in p.text]
    assert "Paten: Zielwert 20 Personen Beispielinhalt" in line.text.split("\n")  # a line each
    assert [r.style.name for r in line.runs if r.text == "Beispielinhalt"] == ["Example Note Char"]
    # the measure's row in the Umsetzungsbericht's table of measures
    report_tables = Document(str(report)).tables
    titles = [row.cells[1].text for table in report_tables for row in table.rows[1:] if len(row.cells) > 1]
    assert "Lernpaten Beispielinhalt" in titles


def test_cross_cutting_themes_key_figures_and_indicators_read_as_sentences(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    result = concept_builder.build_folder(write_inputs(SMALL), BuildOptions(out_dir=tmp_path / "out"))
    text = document_text(result.path)
    assert "Handlungsfeld: 1" in text and "Maßnahme (1): 1.1.1" in text  # one of each: singular
    assert "Noch keinem Handlungsfeld und keiner Maßnahme zugeordnet." in text  # q2 covers nothing
    document = Document(str(result.path))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Kennzahl"]
    assert table.rows[1].cells[1].text == "1.200"  # no unit, no space after the value
    assert "Kosten (Einheit: Euro)" in " ".join(text)
    assert "Zufriedenheit (Quelle: Befragung)" in " ".join(text)

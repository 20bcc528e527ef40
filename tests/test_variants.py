"""Variants from the same inputs: Kurzfassung, Maßnahmenkatalog, extract, Umsetzungsbericht."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

import concept_builder
from concept_builder.check import check_document
from tests.conftest import ROOT, document_text, document_xml, validate_with_word
from tests.test_cli import run

SAMPLE = ROOT / "inputs" / "goslar-2021"


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("variants")
    result = run("build", str(SAMPLE), "-o", str(out), "--variant", "all", "--no-page-numbers")
    assert result.returncode == 0, result.stderr
    assert "[1/4] konzept …" in result.stderr and "[4/4] umsetzungsbericht …" in result.stderr
    paths = {path.stem.rsplit("-v1-1", 1)[1].lstrip("-") or "konzept": path for path in out.iterdir()}
    assert sorted(paths) == ["konzept", "kurzfassung", "massnahmenkatalog", "umsetzungsbericht"]
    return paths


def headings(path: Path, style: str) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style is not None and p.style.name == style]


def test_every_variant_is_valid_accessible_and_its_links_resolve(variants: dict[str, Path]) -> None:
    for path in variants.values():
        validate_with_word(path)
        assert check_document(path) == [], path.name
        xml = document_xml(path)
        anchors = set(re.findall(r'w:anchor="([^"]+)"', xml))
        assert anchors <= set(re.findall(r'w:name="([^"]+)"', xml)), path.name


def test_kurzfassung_has_principles_goals_and_priority_measures(variants: dict[str, Path]) -> None:
    concept = concept_builder.load_concept(SAMPLE)
    path = variants["kurzfassung"]
    assert headings(path, "Heading 1") == ["Leitlinien", "Handlungsfelder", "Impressum"]
    text = document_text(path)
    assert "Kurzfassung" in text
    priority = [m for t in concept.themes for m in t.measures if m.priority == "Schwerpunkt"]
    for measure in priority:
        assert any(measure.title in line for line in text), measure.title
    assert len(Document(str(path)).paragraphs) < 200  # a few pages, not the whole concept


def test_catalogue_has_a_profile_sheet_per_measure(variants: dict[str, Path]) -> None:
    concept = concept_builder.load_concept(SAMPLE)
    measures = [m for t in concept.themes for m in t.measures]
    sheets = headings(variants["massnahmenkatalog"], "Sheet Heading")
    assert len(sheets) == len(measures) == 29
    assert all(re.match(r"Maßnahme \d+\.\d+\.\d+ ", sheet) for sheet in sheets)
    profiles = [
        t
        for t in Document(str(variants["massnahmenkatalog"])).tables
        if t.rows[1].cells[0].text == "Trägt bei zu"
    ]
    assert len(profiles) == 29


def test_implementation_report_counts_and_overdue_measures(variants: dict[str, Path]) -> None:
    concept = concept_builder.load_concept(SAMPLE)
    document = Document(str(variants["umsetzungsbericht"]))
    status = next(t for t in document.tables if t.rows[0].cells[0].text == "Handlungsfeld")
    rows = [[c.text for c in row.cells] for row in status.rows[1:]]
    assert rows[-1][0] == "Gesamt" and rows[-1][1] == "29"
    assert [int(r[1]) for r in rows[:-1]] == [len(t.measures) for t in concept.themes]
    overdue = [
        m.title + (" Beispielinhalt" if m.illustrative else "")  # an illustrative measure is marked
        for t in concept.themes
        for m in t.measures
        if m.timeframe.end
        and m.timeframe.end.last < concept.meta.date
        and m.status not in ("umgesetzt", "zurückgestellt")
    ]
    late = next(t for t in document.tables if len(t.columns) == 5 and t.rows[0].cells[3].text == "Ende")
    assert sorted(row.cells[1].text for row in late.rows[1:]) == sorted(overdue)
    assert overdue  # the 2021 sample has measures past their end date


def test_extract_for_one_municipality(tmp_path: Path) -> None:
    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--for", "Stadt Seesen", "--no-page-numbers")
    assert result.returncode == 0, result.stderr
    [path] = tmp_path.iterdir()
    assert path.name == "integrations-und-teilhabekonzept-landkreis-goslar-v1-1-auszug-stadt-seesen.docx"
    concept = concept_builder.load_concept(SAMPLE)
    expected = [  # as lead, partner or one of its areas
        m.title
        for t in concept.themes
        for m in t.measures
        if "Stadt Seesen" in (*m.lead, *m.partners, *m.area)
    ]
    sheets = [s.split(" ", 2)[2] for s in headings(path, "Sheet Heading")]
    assert sorted(s.removesuffix(" Beispielinhalt ").strip() for s in sheets) == sorted(expected)
    assert "Auszug für Stadt Seesen" in document_text(path)
    validate_with_word(path)


def test_an_extract_is_named_as_the_concept_writes_the_name(tmp_path: Path) -> None:
    from concept_builder import BuildOptions

    result = concept_builder.build(
        concept_builder.load_concept(SAMPLE), BuildOptions(out_dir=tmp_path, for_name="seesen")
    )
    assert (
        result.path.name == "integrations-und-teilhabekonzept-landkreis-goslar-v1-1-auszug-stadt-seesen.docx"
    )
    assert "Auszug für Stadt Seesen" in document_text(result.path)


def test_unknown_name_for_an_extract_suggests_close_ones(tmp_path: Path) -> None:
    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--for", "Stadt Sesen")
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        "error: no measure is led by, carried out with or located in 'Stadt Sesen'"
        " (did you mean 'Stadt Seesen'"
    )
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_extract_needs_a_name(tmp_path: Path) -> None:
    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--variant", "auszug")
    assert result.returncode == 2
    assert "the variant 'auszug' needs --for" in result.stderr


# --- a sample of another shape: eight Handlungsfelder, goals in three levels, several municipalities

THIRD = ROOT / "inputs" / "oberauen"


@pytest.fixture(scope="module")
def third_sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("oberauen")
    result = run("build", str(THIRD), "-o", str(out), "--variant", "all", "--no-page-numbers")
    assert result.returncode == 0, result.stderr
    extract = run("build", str(THIRD), "-o", str(out), "--for", "LANDRATSAMT OBERAUEN", "--no-page-numbers")
    assert extract.returncode == 0, extract.stderr
    paths = {path.stem.rsplit("-v2-0", 1)[1].lstrip("-") or "konzept": path for path in out.iterdir()}
    assert sorted(paths) == [
        "auszug-landratsamt-oberauen",
        "konzept",
        "kurzfassung",
        "massnahmenkatalog",
        "umsetzungsbericht",
    ]
    return paths


def test_the_third_sample_builds_valid_and_accessible_in_every_variant(third_sample: dict[str, Path]) -> None:
    for path in third_sample.values():
        validate_with_word(path)
        assert check_document(path) == [], path.name
        xml = document_xml(path)
        anchors = set(re.findall(r'w:anchor="([^"]+)"', xml))
        assert anchors <= set(re.findall(r'w:name="([^"]+)"', xml)), path.name


def test_the_third_sample_says_what_its_format_can_say(third_sample: dict[str, Path]) -> None:
    text = "\n".join(document_text(third_sample["konzept"]))
    for expected in (
        "Beschluss vorgesehen: Kreistag Oberauen, 19. Mai 2025",  # not yet adopted: not "Beschlossen"
        "Dr. Markus Bauer",  # a foreword signed by two
        "Lena Hartmann",
        "1. März 2024 bis 30. April 2024",  # a survey period
        "11. Juni 2024, 18. Juni 2024, 2. Juli 2024 und 9. Juli 2024",  # a series of dates
        "Teilziel (Ziel 1.2)",  # a goal hierarchy of three levels
        "14 Wochen (2024)",  # an indicator's baseline with its year
        "Jobcenter Oberauen und Agentur für Arbeit Oberauen",  # a joint lead
        "Markt Tannfeld, Gemeinde Kirchbrunn, Gemeinde Moosach und Markt Eichenried",  # several places
        "Q3/2025 bis Q2/2027",  # a timeframe by quarters
        "zurückgestellt – Das Jobcenter kann die Kursplätze erst aus dem Eingliederungsbudget 2026",
        "ca. 45.000\xa0€ jährlich",  # an amount with its currency and period
        "Finanzübersicht",
        "Quelle: Zukunftswerkstatt Integration, 12.10.2024, auf Englisch gesagt",
    ):
        assert expected in text, expected
    xml = document_xml(third_sample["konzept"])
    assert '<w:lang w:val="en-US"/></w:rPr><w:t>When I came to Tannfeld' in xml
    assert xml.count("Today I do the same") == 1


def test_an_extract_for_an_organisation_has_every_department(third_sample: dict[str, Path]) -> None:
    concept = concept_builder.load_concept(THIRD)
    expected = sorted(
        m.title
        for t in concept.themes
        for m in t.measures
        if any(name.startswith("Landratsamt Oberauen – ") for name in (*m.lead, *m.partners, *m.area))
    )
    path = third_sample["auszug-landratsamt-oberauen"]
    sheets = [s.split(" ", 2)[2] for s in headings(path, "Sheet Heading")]
    assert sorted(s.removesuffix(" Beispielinhalt ").strip() for s in sheets) == expected
    assert len(expected) > 10
    assert "Auszug für Landratsamt Oberauen" in document_text(path)  # as the concept writes it


def test_everything_in_the_third_sample_is_marked_illustrative() -> None:
    from pydantic import BaseModel

    unmarked: list[str] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, BaseModel):
            if "illustrative" in type(value).model_fields and not getattr(value, "illustrative", True):
                unmarked.append(path)
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}")
        elif isinstance(value, list):
            for index, entry in enumerate(value):
                walk(entry, f"{path}[{index}]")

    walk(concept_builder.load_concept(THIRD), "concept")
    assert unmarked == []

"""What validate accepts, build builds: any value in any kind of field – or a message with its place.

Property-based, like tests/test_any_text.py, but over the kinds of fields
rather than the characters of text: dates, numbers, flags, ids, references,
vocabulary, lists and images' alt text in YAML, written as typed (unquoted,
so that YAML's own reading is tried too) or quoted, and every column of a
measures workbook. No input may end in anything but a document or an
``InputError`` whose problems name file and line (or cell).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

import concept_builder
from concept_builder import BuildOptions, InputError
from concept_builder.spreadsheet import COLUMNS
from tests.conftest import png
from tests.test_any_text import ANY_CHARACTER, yaml_string

CONCEPT = """\
meta:
  title: @title@
  district: Landkreis Muster
  issuer: Landkreis Muster
  version: @version@
  date: @date@
  status: @status@
  logos:
    - {file: logo.png, alt: @alt@}
starting_point:
  text: Ausgangslage
  key_figures:
    - {indicator: Anteil, value: @value@, year: @year@, source: Zensus}
process:
  events:
    - id: dialog
      title: Dialogveranstaltung
      date: @event_date@
      place: Kreishaus
      format: Workshop
      participants: @participants@
      participants_approximate: @approximate@
themes:
  - id: @theme_id@
    title: Bildung
    description: @markdown@
    goals:
      - {id: z1, title: Ziel}
    measures:
      - id: m1
        title: Maßnahme
        description: Text
        goals: [@goal_ref@]
        lead: Kreisvolkshochschule
        partners: [@partner@]
        timeframe: {start: @start@, end: @end@, term: @term@}
        priority: @priority@
        status: @measure_status@
quotes:
  - {id: q1, text: Zitat, person: Frau A, consent: @consent@, themes: [@quote_theme@]}
"""

DEFAULTS = {
    "title": "Konzept",
    "version": '"1.0"',
    "date": "2024-01-31",
    "status": "Entwurf",
    "alt": "Wappen",
    "value": "8,1",
    "year": "2022",
    "event_date": "30.11.2018",
    "participants": "70",
    "approximate": "ja",
    "theme_id": "bildung",
    "markdown": "Text",
    "goal_ref": "z1",
    "partner": "Jobcenter",
    "start": "2024-01-01",
    "end": "2025-12-31",
    "term": "mittelfristig",
    "priority": "Schwerpunkt",
    "measure_status": "geplant",
    "consent": "true",
    "quote_theme": "bildung",
}

# What people type into such fields, right and wrong
TYPED = st.sampled_from(
    [
        "",
        "~",
        "null",
        "no",
        "ja",
        "NEIN",
        "0",
        "012",
        "-1",
        "1e26",
        "1e999",
        "-0",
        "nan",
        ".inf",
        "3.10",
        "1.234,5",
        "137.000",
        "12,4 %",
        "2024-02-30",
        "31.02.2024",
        "2024-13-01",
        "1.1.1900",
        "99999-01-01",
        "Q3/2025",
        "07/2025",
        "2025",
        "[a, b]",
        "{a: b}",
        "[]",
        "{}",
        "'",
        '"',
        "|",
        ">",
        "- x",
        "*anker",
        "&anker x",
        "!!python/object:os.system x",
        "%YAML 1.1",
        "<<: x",
        "\t",
        "bildung",
        "z1",
        "m1",
        "Schwerpunkt",
        "geplant",
        "2019-01-31T12:00:00",
        "true",
        "True",
        "x" * 300,
    ]
)
QUOTED = st.text(ANY_CHARACTER, max_size=40).map(yaml_string)


def check_concept(values: dict[str, str]) -> None:
    text = CONCEPT
    for key, default in DEFAULTS.items():
        text = text.replace(f"@{key}@", values.get(key, default))
    folder = Path(tempfile.mkdtemp(prefix="any-input-"))
    try:
        (folder / "in").mkdir()
        (folder / "in" / "concept.yaml").write_text(text, encoding="utf-8")
        (folder / "in" / "logo.png").write_bytes(png(30, 10))
        build_or_explain(folder / "in", folder / "out")
    finally:
        shutil.rmtree(folder)


def build_or_explain(folder: Path, out: Path) -> None:
    try:
        result = concept_builder.build_folder(folder, BuildOptions(out_dir=out))
    except InputError as error:
        errors = [p for p in error.problems if p.severity == "error"]
        assert errors
        for problem in errors:
            location = problem.location
            assert location is not None and (location.line or location.cell), str(problem)
        assert not out.exists()
        return
    assert result.path.is_file()


@given(st.sampled_from(sorted(DEFAULTS)), TYPED | QUOTED)
@example("value", "1e26")
@example("date", "31.02.2024")
@example("participants", "1e999")
@example("title", '"' + "T" * 400 + '"')
def test_any_value_in_any_field_builds_or_is_explained(field: str, value: str) -> None:
    check_concept({field: value})


WORKBOOK_CONCEPT = """\
meta: {title: Konzept, district: Landkreis Muster, issuer: Landkreis Muster, version: "1", date: 2024-01-31}
themes:
  - id: bildung
    title: Bildung
    description: Text
    goals:
      - {id: z1, title: Ziel}
measures_from: massnahmen.xlsx
"""
ROW = {
    "theme": "bildung",
    "id": "m1",
    "title": "Maßnahme",
    "description": "Text",
    "goals": "z1",
    "lead": "Kreisvolkshochschule",
}
CELL = st.one_of(
    TYPED,
    st.text(ANY_CHARACTER, max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.booleans(),
)


@given(st.sampled_from([column.field for column in COLUMNS]), CELL)
@example("timeframe.start", "31.02.2024")
@example("indicators", "Kurse; 0; 12")
@example("title", '=HYPERLINK("http://127.0.0.1")')
@example("goals", "z1, z2")
def test_any_cell_of_a_workbook_builds_or_is_explained(field: str, value: Any) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    folder = Path(tempfile.mkdtemp(prefix="any-cell-"))
    try:
        (folder / "in").mkdir()
        (folder / "in" / "concept.yaml").write_text(WORKBOOK_CONCEPT, encoding="utf-8")
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Maßnahmen"
        sheet.append([column.header for column in COLUMNS])
        row = {**ROW, field: value}
        try:
            sheet.append([row.get(column.field) for column in COLUMNS])
        except IllegalCharacterError:
            return  # a spreadsheet cannot hold it either
        workbook.save(folder / "in" / "massnahmen.xlsx")
        build_or_explain(folder / "in", folder / "out")
    finally:
        shutil.rmtree(folder)

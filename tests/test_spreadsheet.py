"""Measures in a workbook: export for district staff, build from it, errors by cell."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import concept_builder
from concept_builder import BuildOptions
from tests.conftest import GOSLAR, WriteInputs
from tests.test_cli import run


def export(tmp_path: Path) -> Path:
    result = run("export", str(GOSLAR), str(tmp_path / "massnahmen.xlsx"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "massnahmen.xlsx"


def folder_from_workbook(tmp_path: Path, workbook: Path) -> Path:
    """The Goslar folder with its measures taken out of the theme files and read from ``workbook``."""
    folder = tmp_path / "in"
    shutil.copytree(GOSLAR, folder)
    for theme_file in (folder / "handlungsfelder").glob("*.yaml"):
        text = theme_file.read_text(encoding="utf-8")
        theme_file.write_text(text[: text.index("\nmeasures:") + 1], encoding="utf-8")
    entry = folder / "concept.yaml"
    entry.write_text(
        entry.read_text(encoding="utf-8") + f"\nmeasures_from: {workbook.name}\n", encoding="utf-8"
    )
    shutil.copy(workbook, folder / workbook.name)
    return folder


def test_export_is_a_workbook_staff_can_edit(tmp_path: Path) -> None:
    path = export(tmp_path)
    workbook = load_workbook(path)
    sheet = workbook["Maßnahmen"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Handlungsfeld", "Id", "Titel", "Beschreibung"] and "Status" in header
    assert sheet.max_row == 1 + 28  # one row per measure
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 40
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    status_column = "ABCDEFGHIJKLMNOPQRSTU"[header.index("Status")]
    assert lists[f"{status_column}2"].startswith("Listen!")
    assert workbook["Listen"].sheet_state == "hidden"
    assert [c.value for c in workbook["Listen"]["A"]][1:6] == [
        "bestehend",
        "geplant",
        "in Umsetzung",
        "umgesetzt",
        "zurückgestellt",
    ]
    (tmp_path / "zweimal").mkdir()
    assert export(tmp_path / "zweimal").read_bytes() == path.read_bytes()  # same concept, same bytes


def test_yaml_to_workbook_to_build_gives_the_same_document(tmp_path: Path, goslar_docx: Path) -> None:
    folder = folder_from_workbook(tmp_path, export(tmp_path))
    from_workbook = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "a")).path
    from_yaml = goslar_docx
    # the same document; only the digest of the inputs it records differs, as the input files do
    workbook_parts, yaml_parts = zipfile.ZipFile(from_workbook), zipfile.ZipFile(from_yaml)
    assert workbook_parts.namelist() == yaml_parts.namelist()
    for name in workbook_parts.namelist():
        if name != "docProps/custom.xml":
            assert workbook_parts.read(name) == yaml_parts.read(name), name


def test_a_bad_cell_is_named_with_sheet_and_cell(tmp_path: Path) -> None:
    workbook_path = export(tmp_path)
    workbook = load_workbook(workbook_path)
    sheet = workbook["Maßnahmen"]
    status_column = [c.value for c in sheet[1]].index("Status") + 1
    sheet.cell(row=7, column=status_column, value="umgestzt")
    sheet.cell(row=9, column=1, value="bildng")
    workbook.save(workbook_path)
    folder = folder_from_workbook(tmp_path, workbook_path)
    result = run("validate", str(folder))
    assert result.returncode == 1
    status_cell = f"{get_column_letter(status_column)}7"
    assert (
        f"{folder}/massnahmen.xlsx:Maßnahmen!{status_cell} (Status):"
        " themes[arbeit].measures[arbeit-m1].status: 'umgestzt' is not one of" in result.stderr
    )
    assert "(did you mean 'umgesetzt'?)" in result.stderr
    assert (
        f"{folder}/massnahmen.xlsx:Maßnahmen!A9 (Handlungsfeld): 'bildng' is not the id of a theme"
        in result.stderr
    )


def test_measures_from_a_csv_file(tmp_path: Path) -> None:
    workbook = load_workbook(export(tmp_path))
    csv_path = tmp_path / "massnahmen.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        for row in workbook["Maßnahmen"].iter_rows(values_only=True):
            writer.writerow(
                ["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row]
            )
    folder = folder_from_workbook(tmp_path, csv_path)
    concept = concept_builder.load_concept(folder)
    assert sum(len(t.measures) for t in concept.themes) == 28
    assert concept.themes[1].measures[0] == concept_builder.load_concept(GOSLAR).themes[1].measures[0]


def test_measures_in_both_places_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(GOSLAR, folder)
    (folder / "concept.yaml").write_text(
        (folder / "concept.yaml").read_text(encoding="utf-8") + "\nmeasures_from: massnahmen.xlsx\n",
        encoding="utf-8",
    )
    shutil.copy(export(tmp_path), folder / "massnahmen.xlsx")
    with pytest.raises(concept_builder.InputError) as caught:
        concept_builder.load_concept(folder)
    assert "the measures come from the workbook, but a theme lists its own" in str(caught.value)


TRICKY_MEASURE = """\
      - id: bildung-m1
        title: "=HYPERLINK(\\"http://127.0.0.1/x\\", \\"Klick\\")"
        description: "+49 5321 76-0 und _x000D_ als Text, @Team, -Stufe"
        goals: [bildung-z1]
        lead: ["-Kreisvolkshochschule", "Jobcenter"]
        partners: ["Stadt Goslar; Stadt Seesen (gemeinsam)"]
        target_groups: ["Eltern", "Kinder; Jugendliche", "@alle"]
        area: [Stadt Goslar, Gemeinde Liebenburg]
        timeframe: {start: Q3/2025, end: "2026"}
        funding:
          budget: {amount: "1250,5", currency: CHF, period: jährlich, approximate: ja, text: "=Eigenanteil"}
        status: zurückgestellt
        status_reason: "Haushaltssperre 2025"
        indicators:
          - {name: "Kurse", baseline: "0", target: "12", unit: "Kurse", source: "=Statistik"}
          - {name: "Quote", baseline: "52", baseline_year: 2019, target_year: 2027, unit: "%"}
"""


def tricky_folder(write_inputs: WriteInputs) -> Path:
    from tests.conftest import MINIMAL

    start = MINIMAL.index("      - id: bildung-m1")
    return write_inputs(MINIMAL[:start] + TRICKY_MEASURE)


def measures_only_from(folder: Path, workbook: Path) -> Path:
    text = (folder / "concept.yaml").read_text(encoding="utf-8")
    (folder / "concept.yaml").write_text(
        text[: text.index("    measures:")] + f"measures_from: {workbook.name}\n", encoding="utf-8"
    )
    return folder


def test_every_value_survives_export_and_import_exactly(write_inputs: WriteInputs, tmp_path: Path) -> None:
    folder = tricky_folder(write_inputs)
    before = concept_builder.load_concept(folder)
    workbook = concept_builder.export_measures(before, folder / "massnahmen.xlsx")
    sheet = load_workbook(workbook)["Maßnahmen"]
    cells = {c.value: c for c in sheet[2] if isinstance(c.value, str)}
    formula_like = [text for text in cells if text.startswith(("=", "+", "-", "@"))]
    assert formula_like and all(cells[t].data_type == "s" and cells[t].quotePrefix for t in formula_like)
    after = concept_builder.load_concept(measures_only_from(folder, workbook))
    assert after.themes[0].measures == before.themes[0].measures


def test_a_formula_in_the_workbook_is_read_as_its_text_and_said(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    folder = tricky_folder(write_inputs)
    workbook = concept_builder.export_measures(
        concept_builder.load_concept(folder), folder / "massnahmen.xlsx"
    )
    book = load_workbook(workbook)
    book["Maßnahmen"]["F2"] = '=CONCATENATE("Job","center")'  # Federführung, typed as a formula
    book["Maßnahmen"]["D2"] = "Erste Zeile_x000D_\nzweite Zeile"  # as Excel stores a line break
    book.save(workbook)
    report = concept_builder.validate_folder(measures_only_from(folder, workbook))
    measure = report.concept_or_raise().themes[0].measures[0]
    assert measure.lead == ['=CONCATENATE("Job","center")']
    assert measure.description == "Erste Zeile\nzweite Zeile"
    assert [str(w) for w in report.warnings] == [
        f"{folder / 'massnahmen.xlsx'}:Maßnahmen!F2 (Federführung): warning: holds a formula; its text"
        ' \'=CONCATENATE("Job","center")\' was read, not its result (write the value itself)'
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "description",
            "x" * 40_000,
            "Beschreibung: has 40,000 characters; a spreadsheet cell holds at most 32,767",
        ),
        ("partners", ["Zeile 1\nZeile 2"], "Partner: the entry 'Zeile 1\\nZeile 2' has a line break"),
    ],
)
def test_what_a_workbook_cannot_carry_is_refused_with_its_cell(
    write_inputs: WriteInputs, tmp_path: Path, field: str, value: object, message: str
) -> None:
    concept = concept_builder.load_concept(write_inputs())
    measure = concept.themes[0].measures[0].model_copy(update={field: value})
    theme = concept.themes[0].model_copy(update={"measures": [measure]})
    changed = concept.model_copy(update={"themes": [theme]})
    target = tmp_path / "m.xlsx"
    with pytest.raises(concept_builder.InputError) as caught:
        concept_builder.export_measures(changed, target)
    assert message in str(caught.value) and f"{target}:Maßnahmen!" in str(caught.value)
    assert not target.exists()


def test_the_sheet_is_found_by_name_never_by_position(write_inputs: WriteInputs) -> None:
    from openpyxl import Workbook

    folder = tricky_folder(write_inputs)
    book = Workbook()
    book.worksheets[0].title = "Tabelle1"
    book.create_sheet("Leer").sheet_state = "hidden"
    book.save(folder / "massnahmen.xlsx")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.xlsx"))
    assert (
        f"{folder / 'massnahmen.xlsx'}: has no sheet named 'Maßnahmen' (its sheets: 'Tabelle1', 'Leer')"
        in [str(p).split(" (name the")[0] for p in report.errors]
    )


def test_german_excels_csv_is_read_with_a_warning(write_inputs: WriteInputs) -> None:
    folder = tricky_folder(write_inputs)
    lines = [
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung;Partner",
        "bildung;bildung-m1;Sprachförderung für Väter;Kurse am Abend;bildung-z1;Kreisvolkshochschule;"
        "Jobcenter; Stadt Goslar",
    ]
    (folder / "massnahmen.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    [measure] = report.concept_or_raise().themes[0].measures
    assert (measure.title, measure.partners) == ("Sprachförderung für Väter", ["Jobcenter"])
    assert [str(w) for w in report.warnings] == [
        f"{folder / 'massnahmen.csv'}:1: warning: is not UTF-8; it was read as Windows-1252 (Latin-1)"
        " (check the umlauts, then save the file as UTF-8)"
    ]


def test_separators_other_than_the_formats_get_a_hint(write_inputs: WriteInputs) -> None:
    folder = tricky_folder(write_inputs)
    lines = [
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung;Indikatoren",
        'bildung;m1;Kurs;Text;"bildung-z1, bildung-z1";VHS;"Kurse; 0; 12; Kurse"',
    ]
    (folder / "massnahmen.csv").write_text("\n".join(lines), encoding="utf-8")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    assert [str(p).split("massnahmen.csv:")[1] for p in report.errors] == [
        "Maßnahmen!E2 (Ziele): 'bildung-z1, bildung-z1' separates its entries with ','"
        " (write 'bildung-z1; bildung-z1': entries are separated by ';' or one per line)",
        "Maßnahmen!G2 (Indikatoren): the indicator 'Kurse; 0; 12; Kurse' separates its parts with ';'"
        " (write Name | Ausgangswert | Zielwert | Einheit | Quelle, the parts separated by '|',"
        " one indicator per line)",
    ]  # and nothing follows from them: the entries were read as meant


def test_names_joined_by_a_comma_get_a_warning_where_each_is_a_name(write_inputs: WriteInputs) -> None:
    folder = tricky_folder(write_inputs)
    lines = [
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung;Gebiet",
        "bildung;m1;Kurs;Text;bildung-z1;VHS, Jobcenter;Gemeinde Au, Stadt Bach",
        "bildung;m2;Kurs;Text;bildung-z1;Jobcenter;",
        "bildung;m3;Kurs;Text;bildung-z1;VHS;",
        "bildung;m4;Kurs;Text;bildung-z1;Landratsamt, Ausländerbehörde;",  # one name with a comma
    ]
    (folder / "massnahmen.csv").write_text("\n".join(lines), encoding="utf-8")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    assert report.errors == []
    assert [str(p).split("massnahmen.csv:")[1] for p in report.warnings] == [
        "Maßnahmen!F2 (Federführung): warning: 'VHS, Jobcenter' is read as one name"
        " (if these are 2, write 'VHS; Jobcenter': entries are separated by ';' or one per line)",
        "Maßnahmen!G2 (Gebiet): warning: 'Gemeinde Au, Stadt Bach' is read as one name"
        " (if these are 2, write 'Gemeinde Au; Stadt Bach': entries are separated by ';' or one per line)",
    ]


def test_an_empty_required_cell_is_named_by_its_cell_and_column_in_row_order(
    write_inputs: WriteInputs,
) -> None:
    folder = tricky_folder(write_inputs)
    lines = ["Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung"]
    lines += [f"bildung;m{row};Kurs;Text;bildung-z1;VHS" for row in range(2, 14)]
    lines[4] = "bildung;m5;;Text;bildung-z1;VHS"  # row 5: no title
    lines[12] = "bildung;m13;Kurs;Text;bildung-z1;"  # row 13: no lead
    (folder / "massnahmen.csv").write_text("\n".join(lines), encoding="utf-8")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    assert [str(p).split("massnahmen.csv:")[1] for p in report.errors] == [
        "Maßnahmen!C5 (Titel): themes[bildung].measures[m5].title: is required but missing",
        "Maßnahmen!F13 (Federführung): themes[bildung].measures[m13].lead: is required but missing",
    ]


def test_cells_are_reported_by_row_then_column(write_inputs: WriteInputs) -> None:
    folder = tricky_folder(write_inputs)
    lines = ["Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung"]
    lines += [f"bildung;m{row};Kurs;Text;bildung-z1;VHS" for row in range(2, 14)]
    lines[4] = "bildung;m5;Kurs;Text;bildung-z1, bildung-z1;VHS"
    lines[12] = "bildung;m13;Kurs;Text;bildung-z1, bildung-z1;VHS"
    lines[9] = "bildung;m10;Kurs\x0b;Text;bildung-z1;VHS"
    (folder / "massnahmen.csv").write_text("\n".join(lines), encoding="utf-8")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    assert [str(p).split("massnahmen.csv:")[1].split(" (")[0] for p in report.errors] == [
        "Maßnahmen!E5",
        "Maßnahmen!C10",
        "Maßnahmen!E13",
    ]


def test_an_amount_with_its_currency_in_the_cell_says_which_columns_to_use(write_inputs: WriteInputs) -> None:
    folder = tricky_folder(write_inputs)
    lines = [
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung;Betrag;Betrag je",
        "bildung;m1;Kurs;Text;bildung-z1;VHS;ca. 120.000 €;jährlich",
    ]
    (folder / "massnahmen.csv").write_text("\n".join(lines), encoding="utf-8")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    assert [str(p).split("massnahmen.csv:")[1] for p in report.errors] == [
        "Maßnahmen!G2 (Betrag): themes[bildung].measures[m1].funding.budget.amount:"
        " '120.000 €' is not a number (write ca. 120000 in column 'Betrag' and EUR in column 'Währung')"
    ]


def test_an_invisible_character_in_a_cell_is_named_by_cell_and_column(write_inputs: WriteInputs) -> None:
    folder = tricky_folder(write_inputs)
    lines = [
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung",
        "bildung;m1;Kurs\x0b;Text;bildung-z1;VHS",
    ]
    (folder / "massnahmen.csv").write_text("\n".join(lines), encoding="utf-8")
    report = concept_builder.validate_folder(measures_only_from(folder, folder / "massnahmen.csv"))
    assert (
        f"{folder / 'massnahmen.csv'}:Maßnahmen!C2 (Titel): contains the invisible character U+000B"
        in " ".join(str(p) for p in report.errors)
    )

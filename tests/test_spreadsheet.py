"""Measures in a workbook: export for district staff, build from it, errors by cell."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

import concept_builder
from concept_builder import BuildOptions
from tests.conftest import GOSLAR
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


def test_yaml_to_workbook_to_build_gives_the_same_document(tmp_path: Path) -> None:
    folder = folder_from_workbook(tmp_path, export(tmp_path))
    from_workbook = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "a")).path
    from_yaml = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "b")).path
    assert from_workbook.read_bytes() == from_yaml.read_bytes()


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
    assert (
        f"{folder}/massnahmen.xlsx:Maßnahmen!Q7: themes[1].measures[0].status: 'umgestzt' is not one of"
        in result.stderr
    )
    assert "(did you mean 'umgesetzt'?)" in result.stderr
    assert f"{folder}/massnahmen.xlsx:Maßnahmen!A9: theme: 'bildng' is not the id of a theme" in result.stderr


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

"""Measures as a workbook that district staff can edit, and back.

``export_measures`` writes one row per measure and one column per field,
with drop-down lists for status, priority, term, theme and goals, a frozen
header row and sensible widths. ``read_measures`` reads such a workbook (or
a CSV file with the same columns) back into the data the loader produces
from YAML, with every value's cell (``Maßnahmen!C7``) for error messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import MEASURE_STATUSES, PRIORITIES, Concept, Indicator, Measure

SHEET = "Maßnahmen"
LISTS_SHEET = "Listen"
LIST_SEPARATOR = "; "
INDICATOR_SEPARATOR = " | "
CORE_PART = "docProps/core.xml"
TERMS = ("kurzfristig", "mittelfristig", "langfristig", "fortlaufend")


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # dotted path in a measure; "theme" is the theme's id
    width: int
    kind: str = "text"  # text, list, date, flag, indicators


COLUMNS = [
    Column("Handlungsfeld", "theme", 16),
    Column("Id", "id", 16),
    Column("Titel", "title", 40),
    Column("Beschreibung", "description", 60),
    Column("Ziele", "goals", 24, "list"),
    Column("Federführung", "lead", 30),
    Column("Partner", "partners", 40, "list"),
    Column("Zielgruppen", "target_groups", 30, "list"),
    Column("Beginn", "timeframe.start", 12, "date"),
    Column("Ende", "timeframe.end", 12, "date"),
    Column("Frist", "timeframe.term", 14),
    Column("Priorität", "priority", 14),
    Column("Ressourcen", "funding.resources", 30),
    Column("Budget", "funding.budget", 18),
    Column("Finanzierung", "funding.source", 30),
    Column("Indikatoren", "indicators", 50, "indicators"),
    Column("Status", "status", 16),
    Column("Gebiet", "area", 20),
    Column("Querschnittsthemen", "cross_cutting", 24, "list"),
    Column("Ansprechpartner", "contact", 30),
    Column("Beispielinhalt", "illustrative", 14, "flag"),
]


def export_measures(concept: Concept, path: Path) -> Path:
    """Write the measures of ``concept`` as a workbook to ``path`` (the same bytes for the same concept)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .write import normalize_zip, write_atomic

    workbook = Workbook()
    sheet = workbook.create_sheet(SHEET, 0)
    workbook.remove(workbook.worksheets[1])  # the empty sheet a new workbook starts with
    sheet.append([column.header for column in COLUMNS])
    for theme in concept.themes:
        for measure in theme.measures:
            sheet.append([_cell_value(theme.id, measure, column) for column in COLUMNS])
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
            if column.kind == "date":
                row[0].number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(LISTS_SHEET)
    choices = {
        "status": list(MEASURE_STATUSES),
        "priority": list(PRIORITIES),
        "timeframe.term": list(TERMS),
        "theme": [t.id for t in concept.themes],
        "goals": [g.id for t in concept.themes for g in t.goals],
        "illustrative": ["ja", "nein"],
    }
    last_row = max(sheet.max_row, 2) + 500  # room for new measures
    for list_index, (field, values) in enumerate(choices.items(), 1):
        list_letter = get_column_letter(list_index)
        lists.cell(row=1, column=list_index, value=field)
        for row_index, value in enumerate(values, 2):
            lists.cell(row=row_index, column=list_index, value=value)
        column_index = next(i for i, c in enumerate(COLUMNS, 1) if c.field == field)
        letter = get_column_letter(column_index)
        source = f"{LISTS_SHEET}!${list_letter}$2:${list_letter}${len(values) + 1}"
        # several goals go in one cell, so that column's list suggests rather than insists
        strict = field != "goals"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=strict)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"
    stamp = dt.datetime.combine(concept.meta.date, dt.time(12))
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = concept.meta.issuer
    workbook.properties.title = f"{concept.meta.title} – {SHEET}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl stamps the time of saving; the concept's date keeps equal workbooks equal
    core = zipfile.ZipFile(buffer).read(CORE_PART).decode("utf-8")
    core = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp.isoformat()}Z\g<2>", core
    )
    return write_atomic(path, normalize_zip(buffer.getvalue(), {CORE_PART: core.encode("utf-8")}))


def _cell_value(theme_id: str, measure: Measure, column: Column) -> Any:
    if column.field == "theme":
        return theme_id
    value: Any = measure
    for part in column.field.split("."):
        value = getattr(value, part)
    if column.kind == "list":
        return LIST_SEPARATOR.join(value)
    if column.kind == "flag":
        return "ja" if value else "nein"
    if column.kind == "indicators":
        return "\n".join(_indicator_line(indicator) for indicator in value)
    return value


def _indicator_line(indicator: Indicator) -> str:
    parts = [indicator.name, indicator.baseline, indicator.target, indicator.unit, indicator.source]
    text = INDICATOR_SEPARATOR.join(part or "" for part in parts)
    return text + (INDICATOR_SEPARATOR + "Beispielinhalt" if indicator.illustrative else "")


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    """One measure as read: its theme, its fields, and the cell of each field."""

    theme: str
    data: dict[str, Any]
    cells: dict[str, str]  # field (dotted) → "Maßnahmen!C7"
    row_cell: str  # the row's first cell, for problems of the measure as a whole


def read_measures(path: Path) -> Iterator[MeasureRow]:
    """The measures in a workbook (.xlsx) or CSV file with the columns ``export_measures`` writes."""
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _xlsx_rows(path)
    header = next(rows, None)
    if header is None:
        return
    by_header = {column.header.casefold(): column for column in COLUMNS}
    columns = [by_header.get(str(value or "").strip().casefold()) for value in header]
    for row_number, values in enumerate(rows, 2):
        if all(value in (None, "") for value in values):
            continue
        data: dict[str, Any] = {}
        cells: dict[str, str] = {}
        theme = ""
        for column_index, (column, value) in enumerate(zip(columns, values, strict=False)):
            if column is None or value in (None, ""):
                continue
            cell = f"{SHEET}!{_letter(column_index)}{row_number}"
            if column.field == "theme":
                theme = str(value).strip()
                continue
            _put(data, column.field, _parsed(column, value))
            cells[column.field] = cell
        yield MeasureRow(theme=theme, data=data, cells=cells, row_cell=f"{SHEET}!A{row_number}")


def _xlsx_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    yield from sheet.iter_rows(values_only=True)
    workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    for row in csv.reader(io.StringIO(text), dialect):
        yield tuple(row)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _parsed(column: Column, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if column.kind == "list":
        return [part.strip() for part in text.split(";") if part.strip()]
    if column.kind == "indicators":
        return [_indicator(line) for line in text.split("\n") if line.strip()]
    return text


def _indicator(line: str) -> dict[str, Any]:
    parts = [part.strip() for part in line.split("|")]
    names = ["name", "baseline", "target", "unit", "source"]
    indicator: dict[str, Any] = {name: part for name, part in zip(names, parts, strict=False) if part}
    if len(parts) > len(names) and parts[len(names)].casefold() == "beispielinhalt":
        indicator["illustrative"] = True
    return indicator


def _put(data: dict[str, Any], field: str, value: Any) -> None:
    *parents, name = field.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    data[name] = value

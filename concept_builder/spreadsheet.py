"""Measures as a workbook that district staff can edit: the format and the export.

``export_measures`` writes one row per measure and one column per field,
with drop-down lists for status, priority, term, theme and goals, a frozen
header row and sensible widths. Every value is written as text or a date,
never as something a spreadsheet would calculate, and so that reading the
workbook back (``load.workbook.read_measures``) gives every value exactly;
a value the format cannot carry is refused with its cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, Location, Problem, UsageError
from .model import BUDGET_PERIODS, MEASURE_STATUSES, PRIORITIES, Concept, Indicator, Measure, When

SHEET = "Maßnahmen"
LISTS_SHEET = "Listen"
LIST_LINES = "\n"  # the entries of a list, one per line of the cell
LIST_SEPARATOR = ";"  # what people type between entries instead; read where a cell has no line break
INDICATOR_SEPARATOR = " | "
EXAMPLE_MARK = "Beispielinhalt"
APPROXIMATE = "ca."  # before an amount: "ca. 90000"
CORE_PART = "docProps/core.xml"
TERMS = ("kurzfristig", "mittelfristig", "langfristig", "fortlaufend")
MAX_CELL = 32_767  # characters Excel keeps in a cell
VALUE_WITH_YEAR = re.compile(r"^(?P<value>.*?)\s*\((?P<year>\d{4})\)$")  # an indicator's "52 (2019)"
FORMULA_START = ("=", "+", "-", "@")  # how a spreadsheet recognises a formula as it is typed
_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")  # Excel's escapes in stored text: _x000D_ is "\r"


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # dotted path in a measure; "theme" is the theme's id
    width: int
    kind: str = "text"  # text, list, date, flag, indicators, amount


COLUMNS = [
    Column("Handlungsfeld", "theme", 16),
    Column("Id", "id", 16),
    Column("Titel", "title", 40),
    Column("Beschreibung", "description", 60),
    Column("Ziele", "goals", 24, "list"),
    Column("Federführung", "lead", 30, "list"),
    Column("Partner", "partners", 40, "list"),
    Column("Zielgruppen", "target_groups", 30, "list"),
    Column("Beginn", "timeframe.start", 12, "date"),
    Column("Ende", "timeframe.end", 12, "date"),
    Column("Frist", "timeframe.term", 14),
    Column("Priorität", "priority", 14),
    Column("Ressourcen", "funding.resources", 30),
    Column("Betrag", "funding.budget.amount", 14, "amount"),
    Column("Währung", "funding.budget.currency", 10),
    Column("Betrag je", "funding.budget.period", 12),
    Column("Budget", "funding.budget.text", 18),
    Column("Finanzierung", "funding.source", 30),
    Column("Indikatoren", "indicators", 50, "indicators"),
    Column("Status", "status", 16),
    Column("Begründung", "status_reason", 30),
    Column("Gebiet", "area", 20, "list"),
    Column("Querschnittsthemen", "cross_cutting", 24, "list"),
    Column("Ansprechpartner", "contact", 30),
    Column("Beispielinhalt", "illustrative", 14, "flag"),
]


def export_measures(concept: Concept, path: str | Path) -> Path:
    """Write the measures of ``concept`` as a workbook to ``path`` (the same bytes for the same concept).

    ``UsageError`` unless the name ends in .xlsx (the workbook is read back from .xlsx or CSV, but
    written only as .xlsx); ``InputError`` for a value a cell cannot hold.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: the workbook's name must end in .xlsx")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .write import normalize_zip, write_atomic

    workbook = Workbook()
    sheet = workbook.create_sheet(SHEET, 0)
    workbook.remove(workbook.worksheets[1])  # the empty sheet a new workbook starts with
    sheet.append([column.header for column in COLUMNS])
    problems: list[Problem] = []
    for theme in concept.themes:
        for measure in theme.measures:
            row = sheet.max_row + 1
            for index, column in enumerate(COLUMNS, 1):
                cell = sheet.cell(row=row, column=index)
                try:
                    _write(cell, _cell_value(theme.id, measure, column))
                except ValueError as exc:
                    where = Location(path, cell=f"{SHEET}!{cell.coordinate}")
                    problems.append(Problem(where, column.header, *exc.args))
    if problems:
        raise InputError(problems)
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
        "funding.budget.period": list(BUDGET_PERIODS),
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
        value = getattr(value, part, None)
    if isinstance(value, When):  # a day is a date; a month, quarter or year stays as written
        return value.first if value.precision == "day" else str(value)
    if column.kind == "amount":
        return _amount_text(measure) if value is not None else None
    if (
        column.field == "funding.budget.currency"
        and measure.funding.budget
        and measure.funding.budget.amount is None
    ):
        return None  # the default currency of a budget that gives no amount
    if column.kind == "list":
        return _list_text(value)
    if column.kind == "flag":
        return "ja" if value else "nein"
    if column.kind == "indicators":
        return "\n".join(_indicator_line(indicator) for indicator in value)
    return value


def _list_text(entries: list[str]) -> str:
    """Entries one per line; a single entry with a ";" ends with a line break, so it is read as one."""
    for entry in entries:
        if "\n" in entry:
            raise ValueError(f"the entry {entry!r} has a line break", "write it on one line")
    text = LIST_LINES.join(entries)
    return text + LIST_LINES if len(entries) == 1 and LIST_SEPARATOR in text else text


def _amount_text(measure: Measure) -> str:
    """``90000``, ``ca. 90000``, ``1250.5``: digits a spreadsheet in any language keeps as text."""
    budget = measure.funding.budget
    assert budget is not None and budget.amount is not None
    amount = int(budget.amount) if budget.amount.is_integer() else budget.amount
    return f"{APPROXIMATE} {amount}" if budget.approximate else str(amount)


def with_year(value: str | None, year: int | None) -> str | None:
    """An indicator's value with its year, as one cell part: ``52 (2019)``."""
    if year is None:
        return value
    return f"{value or ''} ({year})".strip()


def _indicator_line(indicator: Indicator) -> str:
    for name, value, year in (
        ("baseline", indicator.baseline, indicator.baseline_year),
        ("target", indicator.target, indicator.target_year),
    ):
        found = VALUE_WITH_YEAR.match(value or "")
        if found and year is None:  # read back, the year would move into the field of its own
            value_itself = f"{name}: {found['value']!r} and " if found["value"] else ""
            raise ValueError(
                f"the indicator {indicator.name!r} has the {name} {value!r}, which the workbook would read"
                f" back as the year {found['year']}",
                f"write {value_itself}{name}_year: {found['year']} in the YAML",
            )
    parts = [
        indicator.name,
        with_year(indicator.baseline, indicator.baseline_year),
        with_year(indicator.target, indicator.target_year),
        indicator.unit,
        indicator.source,
    ]
    for part in parts:
        if part and ("|" in part or "\n" in part):
            raise ValueError(
                f"the indicator part {part!r} holds a '|' or a line break, which separate indicators",
                "write it without them",
            )
    text = INDICATOR_SEPARATOR.join(part or "" for part in parts)
    return text + (INDICATOR_SEPARATOR + EXAMPLE_MARK if indicator.illustrative else "")


def _write(cell: Any, value: Any) -> None:
    """A value into a cell as text (never a formula) or a date, exactly as it will be read back."""
    if value is None or value == "" or value == []:
        return
    if isinstance(value, dt.date):
        cell.value = value
        return
    text = str(value)
    if len(text) > MAX_CELL:
        raise ValueError(
            f"has {len(text):,} characters; a spreadsheet cell holds at most {MAX_CELL:,}",
            "shorten it, or keep this concept's measures in YAML",
        )
    cell.value = _EXCEL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)  # literal text, not an escape
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # stays text when the cell is edited


def unescape(text: str) -> str:
    """Text as stored by a spreadsheet with its escapes resolved: ``_x000D_`` and friends."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), text)

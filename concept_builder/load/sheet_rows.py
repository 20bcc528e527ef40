"""The rows of a measures workbook (.xlsx) or CSV file as cells – read to the last row whatever size
the sheet claims, formulas as their text, German Excel's CSV as it saves it – within the limits of a
file a district ever keeps."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Location, Problem
from ..spreadsheet import (
    SHEET,
)
from .raw import (
    NOT_UTF8,
    NOT_UTF8_HINT,
    decode,
)

MAX_COLUMNS = 200


MAX_UNPACKED = 200_000_000  # bytes a workbook may unpack to


@dataclass(frozen=True)
class Cell:
    value: Any
    formula: bool = False


def xlsx_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[Cell, ...]]:
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as package:
        unpacked = sum(entry.file_size for entry in package.infolist())
    if unpacked > MAX_UNPACKED:
        problems.append(
            Problem(
                Location(path),
                "",
                f"would unpack to {unpacked // 1_000_000} MB; a workbook of measures needs far less",
                "save the sheet of measures on its own",
            )
        )
        return
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        if SHEET not in workbook.sheetnames:
            problems.append(
                Problem(
                    Location(path),
                    "",
                    f"has no sheet named {SHEET!r} (its sheets: {', '.join(map(repr, workbook.sheetnames))})",
                    f"name the sheet of measures {SHEET!r}",
                )
            )
            return
        worksheet = workbook[SHEET]
        if worksheet.sheet_state != "visible":
            problems.append(
                Problem(
                    Location(path),
                    "",
                    f"the sheet {SHEET!r} is hidden: its measures would be read without anyone seeing them",
                    "show it (right-click a sheet tab › Einblenden), or delete it if another sheet holds the"
                    f" measures and name that one {SHEET!r}",
                )
            )
            return
        # the size a sheet declares may be stale or false: rows are read as they are, however many
        worksheet.reset_dimensions()
        for row_number, row in enumerate(worksheet.iter_rows(), 1):
            if len(row) > MAX_COLUMNS:
                problems.append(
                    Problem(
                        Location(path, cell=f"{SHEET}!{letter(MAX_COLUMNS)}{row_number}"),
                        "",
                        f"the sheet {SHEET!r} has more than {MAX_COLUMNS} columns",
                    )
                )
                return
            yield tuple(_read_cell(cell) for cell in row)
    finally:
        workbook.close()


def _read_cell(cell: Any) -> Cell:
    """A cell's value as written; a formula as its text (an array formula is an object in openpyxl)."""
    value = cell.value
    if value is None or isinstance(value, (str, int, float, dt.date, dt.time, dt.timedelta)):
        return Cell(value, getattr(cell, "data_type", "") == "f")
    return Cell(str(getattr(value, "text", None) or ""), True)


def csv_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[Cell, ...]]:
    text, not_utf8 = decode(path.read_bytes())
    if not_utf8 is not None:  # German Excel saves "CSV (Trennzeichen-getrennt)" in Windows-1252
        problems.append(Problem(Location(path, not_utf8), "", NOT_UTF8, NOT_UTF8_HINT, "warning"))
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    for row in csv.reader(io.StringIO(text), dialect):
        yield tuple(Cell(value) for value in row[:MAX_COLUMNS])


def letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))

"""Measures from a workbook (.xlsx) or CSV file, each row put into the measures of its theme.

A workbook written by ``export_measures`` reads back to exactly the values it
was written from. Whatever else a spreadsheet holds is read as text: a
formula is its text (with a warning, never a calculated value), Excel's
escapes (``_x000D_``) are resolved, and every cell gets the checks a YAML
value gets, reported by its cell and column. The sheet is found by its name;
workbooks far larger than any concept are refused before they are read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Severity
from ..model import is_municipality
from ..spreadsheet import (
    COLUMNS,
    EXAMPLE_MARK,
    INDICATOR_SEPARATOR,
    LIST_LINES,
    LIST_SEPARATOR,
    SHEET,
    VALUE_WITH_YEAR,
    Column,
    unescape,
)
from .raw import (
    INVISIBLE_HINT,
    NOT_FOUND,
    Path_,
    inside,
    invisible_character,
    not_a_file,
    resolved,
)
from .sheet_rows import Cell, csv_rows, letter, xlsx_rows
from .yaml_files import LINK_LOOP_HINT, MAX_FILE_BYTES, Reader

MEASURES_FROM = "measures_from"  # the field of concept.yaml that names the workbook
MAX_ROWS = 20_000
# characters of text in all cells: a cell may repeat one long shared string in every row, so a small
# file can stand for gigabytes of text; a concept's YAML may hold as much (its 20 MB file limit)
MAX_CHARACTERS = 20_000_000
INDICATOR_PARTS = ("name", "baseline", "target", "unit", "source")
ID_LISTS = {"goals", "cross_cutting"}  # lists of ids, which hold no commas or spaces
NAME_LISTS = {"lead", "area"}  # names where a comma more often separates two than belongs to one
_APPROXIMATE = re.compile(r"^(?:ca\.|rund|etwa|circa)\s*", re.IGNORECASE)
_BY_HEADER = {column.header.casefold(): column for column in COLUMNS}
_HEADER_OF = {column.field: column.header for column in COLUMNS}


@dataclass(frozen=True)
class MeasureRow:
    """One measure as read: its theme, its fields, and the cell of each field."""

    theme: str
    data: dict[str, Any]
    cells: dict[str, str]  # field (dotted) → "Maßnahmen!C7"
    row_cell: str  # the row's first cell, for problems of the measure as a whole
    blanks: dict[str, str] = field(default_factory=dict)  # the empty cells of its columns, by field


@dataclass
class MeasureSheet:
    """What a workbook holds: a row per measure, and what was wrong or changed on the way."""

    rows: list[MeasureRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_measures(path: str | Path) -> MeasureSheet:
    """The measures in a workbook (.xlsx) or CSV file with the columns ``export_measures`` writes.

    Never raises for a problem of the file: ``MeasureSheet.problems`` names it, by cell where it has one.
    """
    path = Path(path)
    sheet = MeasureSheet()
    if not path.is_file():
        sheet.problems.append(Problem(Location(path), "", "does not exist or is not a file", None))
        return sheet
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        sheet.problems.append(
            Problem(Location(path), "", f"is too large ({size // 1_000_000} MB; at most 20 MB)", None)
        )
        return sheet
    is_csv = path.suffix.lower() == ".csv"
    source = csv_rows(path, sheet.problems) if is_csv else xlsx_rows(path, sheet.problems)
    header = next(source, None)
    if header is None:
        if not sheet.problems:
            sheet.problems.append(
                Problem(
                    Location(path, cell=f"{SHEET}!A1"),
                    "",
                    f"the sheet {SHEET!r} is empty",
                    "its first row names the columns and each further row is a measure; concept-builder"
                    " export writes such a workbook",
                )
            )
        return sheet
    columns = [_BY_HEADER.get(str(cell.value or "").strip().casefold()) for cell in header]
    sheet.problems.extend(_header_problems(path, header, columns))
    if _BY_HEADER[_HEADER_OF["theme"].casefold()] not in columns:
        return sheet  # no row could be put into its theme: said once, not for every row
    characters = 0
    for row_number, cells in enumerate(source, 2):
        if row_number > MAX_ROWS + 1:
            sheet.problems.append(
                Problem(Location(path, cell=f"{SHEET}!A{row_number}"), "", f"more than {MAX_ROWS:,} rows")
            )
            break
        characters += sum(len(cell.value) for cell in cells if isinstance(cell.value, str))
        if characters > MAX_CHARACTERS:
            sheet.problems.append(
                Problem(
                    Location(path, cell=f"{SHEET}!A{row_number}"),
                    "",
                    f"the sheet holds more than {MAX_CHARACTERS:,} characters of text by this row",
                    "a concept's measures need far less: look for a long text repeated in every row",
                )
            )
            break
        row = _measure(path, row_number, columns, cells, sheet.problems)
        if row is not None:
            sheet.rows.append(row)
    sheet.problems.extend(_joined_names(path, sheet.rows))
    return sheet


def _header_problems(path: Path, header: tuple[Cell, ...], columns: list[Column | None]) -> Iterator[Problem]:
    """Headers that are none of the workbook's columns, by cell; the column of themes missing is an error."""
    expected = ", ".join(column.header for column in COLUMNS)
    for index, (cell, column) in enumerate(zip(header, columns, strict=True)):
        written = str(cell.value or "").strip()
        if column is None and written:
            close = difflib.get_close_matches(written, [c.header for c in COLUMNS], n=1)
            yield Problem(
                Location(path, cell=f"{SHEET}!{letter(index)}1"),
                "",
                f"the column {written!r} is not one the workbook has; it is not read",
                f"did you mean {close[0]!r}?" if close else f"the columns are: {expected}",
                "warning",
            )
    theme = _HEADER_OF["theme"]
    if _BY_HEADER[theme.casefold()] not in columns:
        yield Problem(
            Location(path, cell=f"{SHEET}!A1"),
            "",
            f"has no column {theme!r}, which says the theme of each measure",
            f"the first row names the columns: {expected}",
        )


def _joined_names(path: Path, rows: list[MeasureRow]) -> Iterator[Problem]:
    """A lead or area written "A, B" where A and B are names of their own: warned, as it is read as one.

    A name may hold a comma ("Landratsamt Hainbuchen, Ausländerbehörde"), so
    the comma alone proves nothing; a part counts as a name where it is one
    elsewhere in the sheet, or names a municipality ("Gemeinde Zellersdorf").
    """
    known = {
        " ".join(name.split()).casefold()
        for row in rows
        for name_field in (*NAME_LISTS, "partners")
        for name in row.data.get(name_field) or []
        if isinstance(name, str)
    }
    for row in rows:
        for name_field in NAME_LISTS:
            entries = row.data.get(name_field)
            if not (isinstance(entries, list) and len(entries) == 1 and "," in entries[0]):
                continue
            parts = [part.strip() for part in entries[0].split(",") if part.strip()]
            names = [p for p in parts if " ".join(p.split()).casefold() in known or is_municipality(p)]
            if len(names) >= 2:
                separated = f"{LIST_SEPARATOR} ".join(parts)
                yield Problem(
                    Location(path, cell=row.cells[name_field], column=_HEADER_OF[name_field]),
                    "",
                    f"{entries[0]!r} is read as one name",
                    f"if these are {len(parts)}, write {separated!r}: entries are separated by ';' or one"
                    " per line",
                    "warning",
                )


def _measure(
    path: Path,
    row_number: int,
    columns: list[Column | None],
    cells: tuple[Cell, ...],
    problems: list[Problem],
) -> MeasureRow | None:
    if all(cell.value in (None, "") for cell in cells):
        return None
    data: dict[str, Any] = {}
    places: dict[str, str] = {}
    blanks: dict[str, str] = {}
    theme = ""
    for index, column in enumerate(columns):
        if column is None:
            continue
        place = f"{SHEET}!{letter(index)}{row_number}"
        cell = cells[index] if index < len(cells) else Cell(None)
        if cell.value in (None, ""):
            blanks[column.field] = place  # where a required value would be written
            continue
        where = Location(path, cell=place, column=column.header)
        value = cell.value
        if isinstance(value, str):
            value = unescape(value).replace("\r\n", "\n").replace("\r", "\n")
            invisible = invisible_character(value)
            if invisible:  # reported; the value stays, so that nothing else is reported missing
                problems.append(Problem(where, "", invisible, INVISIBLE_HINT))
        if cell.formula:
            problems.append(
                Problem(
                    where,
                    "",
                    f"holds a formula; its text {value!r} was read, not its result",
                    "write the value itself",
                    "warning",
                )
            )
        if column.field == "theme":
            theme = str(value).strip()
            continue
        parsed = _parsed(column, value)
        for message, hint, severity in _separator_problems(column, value, parsed):
            problems.append(Problem(where, "", message, hint, severity))
        if column.field in ID_LISTS and isinstance(parsed, list):
            # read as meant, so that the ids are checked and nothing else is reported for them
            parsed = [part.strip() for entry in parsed for part in entry.split(",") if part.strip()]
        if column.kind == "indicators" and isinstance(parsed, list):
            parsed = [_indicator(line) for line in parsed]
        if column.kind == "amount" and isinstance(parsed, str) and _APPROXIMATE.match(parsed):
            parsed = _APPROXIMATE.sub("", parsed)  # "ca. 90000": an approximate amount
            _put(data, column.field.rsplit(".", 1)[0] + ".approximate", "ja")
        _put(data, column.field, parsed)
        places[column.field] = place
    return MeasureRow(theme=theme, data=data, cells=places, row_cell=f"{SHEET}!A{row_number}", blanks=blanks)


def _parsed(column: Column, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column: 12, not 12.0
    text = str(value)
    if column.kind == "list":
        separator = LIST_LINES if LIST_LINES in text else LIST_SEPARATOR
        return [part.strip() for part in text.split(separator) if part.strip()]
    text = text.strip()
    if column.kind == "indicators":
        return [line for line in text.split("\n") if line.strip()]
    return text


def _separator_problems(column: Column, value: Any, parsed: Any) -> Iterator[tuple[str, str, Severity]]:
    """A list or indicators written with another separator than the format's, quoted with the fix.

    Ids hold no commas, so a comma in a list of ids is an error (names: ``_joined_names``).
    """
    if isinstance(parsed, list) and any("," in entry for entry in parsed):
        entries = [part.strip() for entry in parsed for part in entry.split(",") if part.strip()]
        separated = f"{LIST_SEPARATOR} ".join(entries)
        if column.field in ID_LISTS:
            yield (
                f"{str(value).strip()!r} separates its entries with ','",
                f"write {separated!r}: entries are separated by ';' or one per line",
                "error",
            )

    if column.kind == "indicators" and isinstance(parsed, list):
        for line in parsed:
            if "|" not in line and ";" in line:
                yield (
                    f"the indicator {line.strip()!r} separates its parts with ';'",
                    "write Name | Ausgangswert | Zielwert | Einheit | Quelle, the parts separated by"
                    f" {INDICATOR_SEPARATOR.strip()!r}, one indicator per line",
                    "error",
                )


def _indicator(line: str) -> dict[str, Any]:
    separator = "|" if "|" in line or ";" not in line else ";"
    parts = [part.strip() for part in line.split(separator)]
    indicator: dict[str, Any] = {
        name: part for name, part in zip(INDICATOR_PARTS, parts, strict=False) if part
    }
    for name in ("baseline", "target"):  # "52 (2019)": the value and its year
        match = VALUE_WITH_YEAR.match(indicator.get(name, ""))
        if match:
            if match["value"]:
                indicator[name] = match["value"]
            else:
                del indicator[name]
            indicator[f"{name}_year"] = match["year"]
    if (
        len(parts) > len(INDICATOR_PARTS)
        and parts[len(INDICATOR_PARTS)].casefold() == EXAMPLE_MARK.casefold()
    ):
        indicator["illustrative"] = True
    return indicator


def _put(data: dict[str, Any], dotted_field: str, value: Any) -> None:
    *parents, name = dotted_field.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    data[name] = value


def add_workbook_measures(reader: Reader, name: str, entry: Path) -> None:
    """Put the measures of the workbook ``name`` (named in ``entry``) into their themes."""
    path: Path_ = (MEASURES_FROM,)
    where = reader.raw.locations.get(path, (entry, None))
    file = reader.raw.folder / name
    if resolved(file) is None:
        reader.problem(where[0], where[1], path, f"{name!r} is a loop of symbolic links", LINK_LOOP_HINT)
        return
    if Path(name).is_absolute() or not inside(file, reader.root):
        reader.problem(where[0], where[1], path, f"{name!r} lies outside the input folder")
        return
    what = not_a_file(file)
    if what is not None:
        hint = "paths are relative to concept.yaml" if what == NOT_FOUND else "give a .xlsx or .csv file"
        reader.problem(where[0], where[1], path, f"workbook {name!r} {what}", hint)
        return
    themes = reader.raw.data.get("themes")
    if not isinstance(themes, list):
        return
    index = {theme.get("id"): t for t, theme in enumerate(themes) if isinstance(theme, dict)}
    for t in index.values():
        if themes[t].get("measures"):
            reader.problem(
                where[0],
                where[1],
                path,
                "the measures come from the workbook, but a theme lists its own",
                f"remove 'measures' from theme {themes[t].get('id')!r}",
            )
            return
    shown = reader.display(file)
    try:
        sheet = read_measures(file)
    except Exception as exc:  # openpyxl and csv raise many kinds for a damaged file
        reader.problem(shown, None, path, f"cannot be read as a workbook: {exc}", "save it again as .xlsx")
        return
    reader.raw.files.append(shown)
    for problem in sheet.problems:
        location = replace(problem.location, file=shown) if problem.location else Location(shown)
        reader.raw.problems.append(replace(problem, location=location))
    for row in sheet.rows:
        if row.theme not in index:
            known = [str(k) for k in index]
            close = difflib.get_close_matches(row.theme, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(known)}"
            reader.raw.problems.append(
                Problem(
                    Location(shown, None, row.row_cell, _HEADER_OF["theme"]),
                    "",
                    f"{row.theme!r} is not the id of a theme",
                    hint,
                )
            )
            continue
        theme = themes[index[row.theme]]
        measures = theme.setdefault("measures", [])
        measure_path: Path_ = ("themes", index[row.theme], "measures", len(measures))
        measures.append(row.data)
        reader.raw.locations[measure_path] = (shown, None, row.row_cell)
        for dotted_field, cell in row.cells.items():
            header = _HEADER_OF.get(dotted_field)
            reader.raw.locations[measure_path + tuple(dotted_field.split("."))] = (shown, None, cell, header)
        for dotted_field, cell in row.blanks.items():
            header = _HEADER_OF.get(dotted_field)
            reader.raw.blanks[measure_path + tuple(dotted_field.split("."))] = (shown, None, cell, header)

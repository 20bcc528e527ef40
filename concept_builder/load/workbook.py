"""Measures from a workbook or CSV file, each row put into the measures of its theme."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import Location, Problem
from ..spreadsheet import read_measures
from .raw import Path_, inside
from .yaml_files import Reader

MEASURES_FROM = "measures_from"  # the field of concept.yaml that names the workbook


def add_workbook_measures(reader: Reader, name: str, entry: Path) -> None:
    """Put the measures of the workbook ``name`` (named in ``entry``) into their themes."""
    path: Path_ = (MEASURES_FROM,)
    where = reader.raw.locations.get(path, (entry, None))
    file = reader.raw.folder / name
    if Path(name).is_absolute() or not inside(file, reader.root):
        reader.problem(where[0], where[1], path, f"{name!r} lies outside the input folder")
        return
    if not file.is_file():
        reader.problem(
            where[0], where[1], path, f"workbook {name!r} not found", "paths are relative to concept.yaml"
        )
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
        rows = list(read_measures(file))
    except Exception as exc:  # openpyxl and csv raise many kinds for a damaged file
        reader.problem(shown, None, path, f"cannot be read as a workbook: {exc}", "save it again as .xlsx")
        return
    reader.raw.files.append(shown)
    for row in rows:
        if row.theme not in index:
            known = [str(k) for k in index]
            close = difflib.get_close_matches(row.theme, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(known)}"
            reader.raw.problems.append(
                Problem(
                    Location(shown, None, row.row_cell),
                    "theme",
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
            reader.raw.locations[measure_path + tuple(dotted_field.split("."))] = (shown, None, cell)

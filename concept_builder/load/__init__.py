"""Stage 1: read an input folder into plain data with the file and line of every value.

``concept.yaml`` is the entry point; it includes other YAML files
(``yaml_files``) and may take its measures from a workbook (``workbook``).
Only this stage reads input files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, Problem
from .raw import NOT_FOUND, Path_, RawConcept, dotted, inside, not_a_file
from .workbook import MEASURES_FROM, add_workbook_measures
from .yaml_files import Reader

__all__ = ["ENTRY_FILE", "Path_", "RawConcept", "dotted", "load_raw"]

ENTRY_FILE = "concept.yaml"


def load_raw(folder: str | Path) -> RawConcept:
    """Read ``folder/concept.yaml`` and everything it includes.

    Never raises for a problem in the inputs: problems are collected in
    ``RawConcept.problems`` so that one run reports all of them.
    """
    root = Path(folder)
    raw = RawConcept(folder=root)
    entry = root / ENTRY_FILE
    if not root.is_dir():
        raw.problems.append(
            Problem(Location(root), "", "is not a folder", "give the folder that holds concept.yaml")
        )
        return raw
    what = not_a_file(entry)
    if what is not None:
        hint = "an input folder needs concept.yaml as its entry point"
        raw.problems.append(
            Problem(Location(entry), "", what, hint if what == NOT_FOUND else f"make it a file: {hint}")
        )
        return raw
    if not inside(entry, root.resolve()):
        raw.problems.append(
            Problem(
                Location(entry),
                "",
                "is a link to a file outside the input folder",
                "copy the file into the folder instead of linking to it",
            )
        )
        return raw
    reader = Reader(raw, root.resolve())
    raw.data = reader.read_file(entry, (), [])
    if isinstance(raw.data, dict) and isinstance(raw.data.get(MEASURES_FROM), str):
        add_workbook_measures(reader, raw.data[MEASURES_FROM], entry)
    return raw

"""The changed inputs built once more before anything is written: every changed value must show exactly
the reviewed text, and the inputs must still validate."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ..errors import InputError, Problem
from ..load import Path_, load_raw
from ..options import BuildOptions
from ..sources import raw_sources
from .edits import Edit, occurrences
from .reading import Reading, read_document
from .remarks import Review, short


def fresh_reading(input_dir: Path, variant: str, for_name: str | None) -> Reading:
    """A fresh build of the inputs, read as a reviewed document is."""
    from ..pipeline import render_concept
    from ..validate import load_concept

    return read_document(
        render_concept(load_concept(input_dir), BuildOptions(variant=variant, for_name=for_name))
    )


def fresh_texts(input_dir: Path, variant: str, for_name: str | None) -> dict[str, str]:
    """What a fresh build of the inputs prints for each value (its first occurrence)."""
    return texts_of(fresh_reading(input_dir, variant, for_name))


def texts_of(reading: Reading) -> dict[str, str]:
    """What a document prints for each value (its first occurrence)."""
    texts: dict[str, str] = {}
    for occurrence in occurrences(reading):
        texts.setdefault(occurrence.source, occurrence.original)
    return texts


def verified(contents: dict[Path, bytes], edits: list[Edit], review: Review) -> list[tuple[Edit, str]]:
    """The edits whose value does not show the reviewed text when the changed inputs are built."""
    folder = review.input_dir
    with tempfile.TemporaryDirectory(prefix="concept-builder-review-") as scratch:
        copy = Path(scratch) / folder.resolve().name
        shutil.copytree(folder, copy, symlinks=True)
        for file, content in contents.items():
            (copy / file.relative_to(folder)).write_bytes(content)
        try:
            texts = fresh_texts(copy, review.variant, review.for_name)
        except InputError as error:
            return _blamed(edits, error.problems, copy, folder)
        names: dict[Path_, list[str]] = {}
        for name, path in raw_sources(load_raw(copy).data).items():
            names.setdefault(path, []).append(name)
    failed = []
    for edit in edits:
        # the value's marker after the change: an entry named by its content is named anew
        shown = next((texts[n] for n in names.get(edit.place.path or (), []) if n in texts), None)
        if shown is None or _normal(shown) != _normal(edit.document_text):
            what = f"would show “{short(shown)}”" if shown is not None else "would not show it"
            failed.append(
                (edit, f"written back, the document {what}, not the reviewed text; change it by hand")
            )
    return failed


def _normal(text: str) -> str:
    """Text as compared after a build: spaces at the edges of paragraphs do not count."""
    return re.sub(r"[ \t]*\n[ \t]*", "\n", text).strip()


def _blamed(edits: list[Edit], problems: list[Problem], copy: Path, folder: Path) -> list[tuple[Edit, str]]:
    """The edits that make the changed inputs invalid, each with the problem; all where none is named."""
    errors = [p for p in problems if p.severity == "error"]
    blamed = []
    for edit in edits:
        path = edit.place.path or ()
        for problem in errors:
            at = problem.path
            if at is not None and (at[: len(path)] == path or path[: len(at)] == at):
                blamed.append(
                    (edit, f"written back, the inputs would not validate: {_moved(problem, copy, folder)}")
                )
                break
    if blamed:
        return blamed
    reasons = "; ".join(_moved(p, copy, folder) for p in errors) or "the changed inputs do not build"
    return [(edit, f"written back, the inputs would not validate: {reasons}") for edit in edits]


def _moved(problem: Problem, copy: Path, folder: Path) -> str:
    """A problem found in the scratch copy, told as if of the input folder."""
    return str(problem).replace(str(copy), str(folder))

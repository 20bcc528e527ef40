"""The input files a plan changes: a YAML file changed where the parser found each value, in the
value's own style, every other byte kept; a workbook's cells; all put in place together, or none."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from ..errors import ConceptBuilderError, OutputError
from ..load import Path_, RawConcept
from .carry import replaced
from .edits import Edit
from .yaml_text import YamlText, compose, node_at, path_in_file, scalar


def changed_yaml(original: bytes, edits: list[Edit], raw: RawConcept) -> tuple[bytes, list[tuple[Edit, str]]]:
    """The file with every edit that reads back as its new value; the others with the reason."""
    try:
        source = YamlText.decode(original)
        root = compose(source.text)
    except (UnicodeDecodeError, yaml.YAMLError):
        return original, [(edit, "the file cannot be read back; change it by hand") for edit in edits]
    text = source.text
    replacements: list[tuple[int, int, str]] = []
    bad: list[tuple[Edit, str]] = []
    for edit in edits:
        path = _path_in_file(raw, edit)
        node, flow = node_at(root, path)
        if not isinstance(node, yaml.ScalarNode):
            bad.append((edit, "the value is not a single value in its file; change it by hand"))
            continue
        replacement = (node.start_mark.index, node.end_mark.index, scalar(text, node, edit.new, flow=flow))
        if not _reads_back(replaced(text, [replacement]), {path: edit.new}):
            bad.append(
                (edit, "written into the file it would not read back as the reviewed text; change it by hand")
            )
            continue
        replacements.append(replacement)
    changed = replaced(text, replacements)
    if bad:
        return source.encode(changed), bad
    expected = {_path_in_file(raw, edit): edit.new for edit in edits}
    if not _reads_back(changed, expected):
        return original, [
            (edit, "the changes together do not read back; change them by hand") for edit in edits
        ]
    return source.encode(changed), []


def _reads_back(text: str, values: dict[Path_, str]) -> bool:
    """Whether ``text`` parses, each path holding its value."""
    try:
        root = compose(text)
    except yaml.YAMLError:
        return False
    for path, value in values.items():
        node, _ = node_at(root, path)
        if not isinstance(node, yaml.ScalarNode) or node.value.strip() != value.strip():
            return False
    return True


def _path_in_file(raw: RawConcept, edit: Edit) -> Path_:
    return path_in_file(raw.locations, edit.place.path or (), edit.file)


def changed_workbook(file: Path, edits: list[Edit], raw: RawConcept) -> tuple[bytes, list[tuple[Edit, str]]]:
    """The workbook with each edit's cell changed; an entry of a list in a cell changes that entry alone."""

    from openpyxl import load_workbook

    workbook = load_workbook(file)
    bad = []
    for edit in edits:
        cell = edit.place.location.cell if edit.place.location else None
        if not cell or "!" not in cell:
            bad.append((edit, "the value has no cell of its own; change it by hand"))
            continue
        sheet, coordinate = cell.rsplit("!", 1)
        target = workbook[sheet][coordinate]
        if edit.place.path not in raw.locations:  # one of several values in the cell (a list, indicators)
            text = str(target.value or "")
            if not isinstance(edit.old, str) or text.count(edit.old) != 1:
                bad.append((edit, f"the value is one of several in the cell {cell}; change the cell by hand"))
                continue
            target.value = text.replace(edit.old, edit.new)
            continue
        is_number = isinstance(target.value, (int, float)) and not isinstance(target.value, bool)
        target.value = (
            float(edit.new) if is_number and "." in edit.new else int(edit.new) if is_number else edit.new
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), bad


def write_files(contents: dict[Path, bytes], originals: dict[Path, bytes]) -> list[Path]:
    """Put the changed files in place: each written beside itself first, then all renamed.

    Nothing is written where a file is no longer as it was read (``originals``;
    edited while the prompt waited): the change would overwrite that edit.
    """
    _still_as_read(contents, originals)
    staged: list[tuple[Path, Path]] = []
    try:
        for file, content in contents.items():
            handle, name = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            shutil.copymode(file, name)
            staged.append((Path(name), file))
        _still_as_read(contents, originals)
        for temporary, file in staged:
            os.replace(temporary, file)
    except (OSError, ConceptBuilderError) as exc:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if isinstance(exc, ConceptBuilderError):
            raise
        raise OutputError(f"the inputs could not be written: {exc}") from exc
    return [file for _, file in staged]


def _still_as_read(contents: dict[Path, bytes], originals: dict[Path, bytes]) -> None:
    for file in contents:
        try:
            now = file.read_bytes()
        except OSError:
            now = None
        if now != originals.get(file):
            raise ConceptBuilderError(
                f"{file}: changed since the changes were planned, so nothing was written"
                " (run review --apply again to see the changes against the file as it is now)"
            )

"""Tracked changes of a reviewed document written back into the inputs they came from.

Which value a change belongs to comes from the source markers; what the new
value is comes from comparing the value's text in the document before and
after the change. A change is written only where that text maps back onto
the input exactly:

- a value the document prints as typed (titles, names, plain text) takes the
  new text as it is;
- free text in Markdown takes the change at the same place in its source, so
  that emphasis, lists and links around it stay as they were;
- a value printed in other words (a status, a priority) takes the value
  whose wording is the new text.

Everything else – a date or a number printed formatted, a figure with its
unit, text assembled from several values, a value changed differently in two
places – is listed with the reason and left for a person. Before anything is
written, the changed inputs are built once more in a scratch copy and every
changed value must show exactly the reviewed text.

YAML files are changed where the parser found the value, in the value's own
style (plain, quoted, block): every other byte of the file – comments, order,
quoting, layout – stays as it was, which a library that loads and dumps the
whole file cannot promise. Workbook cells are changed with openpyxl.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConceptBuilderError, InputError, Location, OutputError
from ..load import Path_, RawConcept
from ..load.yaml_files import NodeLoader
from ..options import BuildOptions
from .reading import Reading, read_document, source_name
from .remarks import Place, Review, owners

_BLANK = re.compile(r"^\s*$")


@dataclass(frozen=True)
class Occurrence:
    """One place where the document prints a value: its text before and after the tracked changes."""

    source: str
    original: str
    current: str
    changed: bool
    first_piece: int


@dataclass
class Edit:
    """A value of the inputs to change."""

    place: Place
    file: Path
    old: str
    new: str
    document_text: str  # what the document should print once the value is changed


@dataclass
class Refusal:
    """A change that is not written, and why."""

    place: Place
    reason: str

    def __str__(self) -> str:
        return f"{self.place}: not applied: {self.reason}"


@dataclass
class Plan:
    """What applying a review changes: the edits, the changes not applied and why, the new files."""

    review: Review
    edits: list[Edit] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    contents: dict[Path, bytes] = field(default_factory=dict)  # file → its new content
    originals: dict[Path, bytes] = field(default_factory=dict)

    def diff(self) -> str:
        """A unified diff of every input file the plan changes (cells of a workbook as lines)."""
        out = []
        for file, new in self.contents.items():
            old = self.originals[file]
            if file.suffix.lower() == ".xlsx":
                out.append(f"--- {file}\n+++ {file}\n")
                for edit in self.edits:
                    if edit.file == file and edit.place.location is not None:
                        out.append(f"@@ {edit.place.location.cell} @@\n-{edit.old}\n+{edit.new}\n")
                continue
            out.extend(
                difflib.unified_diff(
                    old.decode("utf-8").splitlines(keepends=True),
                    new.decode("utf-8").splitlines(keepends=True),
                    f"{file}",
                    f"{file}",
                )
            )
        return "".join(out)

    def to_json(self) -> str:
        """The review's remarks and what applying them changes, as JSON."""
        data = self.review.to_dict()
        data["changes"] = [
            {"file": str(e.file), "field": e.place.field, "item": e.place.item, "old": e.old, "new": e.new}
            for e in self.edits
        ]
        data["not_applied"] = [
            {
                "field": r.place.field,
                "item": r.place.item,
                "reason": r.reason,
                "file": str(r.place.location.file) if r.place.location else None,
            }
            for r in self.refusals
        ]
        return json.dumps(data, ensure_ascii=False, indent=2)

    def write(self) -> list[Path]:
        """Put the changed input files in place, all or none; return them (empty when nothing changes)."""
        return write_plan(self)


def occurrences(reading: Reading) -> list[Occurrence]:
    """Each printed value, in document order; a value of several paragraphs is one occurrence."""
    pieces = reading.pieces
    owner = owners(pieces)
    sources = [source_name(o) if o else None for o in owner]
    found: list[Occurrence] = []
    index = 0
    while index < len(pieces):
        source = sources[index]
        if source is None:
            index += 1
            continue
        group = [index]
        index += 1
        while index < len(pieces):
            if sources[index] == source:
                group.append(index)
                index += 1
            elif (
                pieces[index].text == "\n"
                and sources[index] is None
                and index + 1 < len(pieces)
                and sources[index + 1] == source
            ):
                group.append(index)  # the paragraph break inside free text of several paragraphs
                index += 1
            else:
                break
        chosen = [pieces[i] for i in group]
        found.append(
            Occurrence(
                source,
                "".join(p.text for p in chosen if p.kind != "inserted"),
                "".join(p.text for p in chosen if p.kind != "deleted"),
                any(p.kind != "normal" for p in chosen),
                group[0],
            )
        )
    return found


def fresh_texts(input_dir: Path, variant: str, for_name: str | None) -> dict[str, str]:
    """What a fresh build of the inputs prints for each value (its first occurrence)."""
    from ..pipeline import render_concept
    from ..validate import load_concept

    data = render_concept(load_concept(input_dir), BuildOptions(variant=variant, for_name=for_name))
    texts: dict[str, str] = {}
    for occurrence in occurrences(read_document(data)):
        texts.setdefault(occurrence.source, occurrence.original)
    return texts


def plan_changes(review: Review, *, untracked: bool = False) -> Plan:
    """The edits the tracked changes (and with ``untracked``, all differences) of a review make."""
    plan = Plan(review)
    try:
        fresh = fresh_texts(review.input_dir, review.variant, review.for_name)
    except InputError as error:
        raise ConceptBuilderError(
            f"{review.input_dir}: the inputs do not validate, so nothing can be applied:\n"
            + "\n".join(str(p) for p in error.problems)
        ) from error
    wanted: dict[str, tuple[str, int]] = {}  # source → new document text, first piece
    conflicts: set[str] = set()
    for occurrence in occurrences(review.reading):
        base = fresh.get(occurrence.source)
        if base is None:
            continue
        if untracked:
            if occurrence.current == base:
                continue
            new_text: str | None = occurrence.current
        else:
            if not occurrence.changed or occurrence.original == occurrence.current:
                continue
            new_text = (
                occurrence.current
                if occurrence.original == base
                else _carry(occurrence.original, occurrence.current, base)
            )
            if new_text is None:
                place = review.locator.place(occurrence.source, occurrence.first_piece)
                plan.refusals.append(
                    Refusal(place, "the text around the change differs from the inputs; change it by hand")
                )
                conflicts.add(occurrence.source)
                continue
        earlier = wanted.get(occurrence.source)
        if earlier is not None and earlier[0] != new_text:
            conflicts.add(occurrence.source)
            continue
        if new_text is not None:
            wanted[occurrence.source] = (new_text, occurrence.first_piece)
    for source in conflicts & set(wanted):
        place = review.locator.place(source, wanted[source][1])
        plan.refusals.append(
            Refusal(place, "the value was changed differently in two places of the document")
        )
        del wanted[source]
    raw = review.locator.raw
    for source, (new_text, first) in wanted.items():
        place = review.locator.place(source, first)
        edit_or_refusal = _edit(raw, place, fresh[source], new_text, review.variant)
        if isinstance(edit_or_refusal, Refusal):
            plan.refusals.append(edit_or_refusal)
        else:
            plan.edits.append(edit_or_refusal)
    _write_plan(plan, review)
    return plan


def _carry(original: str, current: str, base: str) -> str | None:
    """The changes from ``original`` to ``current`` made to ``base`` instead; None where they do not fit."""
    return _apply_opcodes(original, current, base)


def _apply_opcodes(old: str, new: str, target: str) -> str | None:
    """``target`` with the edits that turn ``old`` into ``new``, placed by aligning ``old`` and ``target``."""
    if old == target:
        return new
    blocks = difflib.SequenceMatcher(None, old, target, autojunk=False).get_matching_blocks()
    replacements = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = _map(blocks, i1, at_end=i1 == i2)
        end = start if i1 == i2 else _map(blocks, i2 - 1, at_end=False)
        if start is None or end is None:
            return None
        replacements.append((start, end + (0 if i1 == i2 else 1), new[j1:j2]))
    result = target
    for start, end, text in sorted(replacements, reverse=True):
        result = result[:start] + text + result[end:]
    return result


def _map(blocks: list[Any], position: int, *, at_end: bool) -> int | None:
    """Where ``position`` of the old text lies in the aligned text, if it lies in a matching stretch.

    An insertion (``at_end``) may also go at the very end of a stretch, where
    no stretch starts: text added after the last character of a value.
    """
    for a, b, size in blocks:
        if a <= position < a + size:
            return int(b + (position - a))
    if at_end:
        for a, b, size in blocks:
            if size and position == a + size:
                return int(b + size)
    return None


def _edit(raw: RawConcept, place: Place, base: str, new_text: str, variant: str) -> Edit | Refusal:
    from ..schema import literal_values

    if place.path is None or place.location is None:
        return Refusal(place, "not from the inputs")
    value = raw.value(place.path)
    file = place.location.file
    if not isinstance(value, str):
        return Refusal(place, "the value is not text in the inputs; change it by hand")
    if place.location.cell and file.suffix.lower() != ".xlsx":
        return Refusal(place, "values in a CSV file are not changed; change it by hand")
    new_text = new_text.strip()
    if base == value.strip():
        return Edit(place, file, value, new_text, new_text)
    if _is_markdown(place.path):
        carried = _apply_opcodes(base, new_text, value.strip())
        if carried is not None:
            return Edit(place, file, value, _keep_ends(value, carried), new_text)
        return Refusal(place, "the change cannot be placed in the Markdown source; change it by hand")
    choices = literal_values(place.path)
    if choices:
        from ..labels import value_label

        language = raw.value(("meta", "language")) or "de"
        matching = [
            c for c in choices if value_label(c, language if language in ("de", "en") else "de") == new_text
        ]
        if matching:
            return Edit(place, file, value, matching[0], new_text)
        return Refusal(place, f"“{new_text}” is not one of {', '.join(choices)}")
    return Refusal(place, f"the document shows this value as “{base}”, not as typed; change it by hand")


def _keep_ends(old: str, new: str) -> str:
    """``new`` with the line break a YAML block gave ``old`` at its end."""
    stripped = old.rstrip()
    return new + old[len(stripped) :] if old != stripped and not old.startswith(new) else new


def _is_markdown(path: Path_) -> bool:
    from ..schema import is_markdown

    return is_markdown(path)


# --- writing ----------------------------------------------------------------------------------


def _write_plan(plan: Plan, review: Review) -> None:
    """The new content of every file the edits touch, checked by building the changed inputs."""
    for _ in range(2):
        plan.contents, plan.originals = {}, {}
        by_file: dict[Path, list[Edit]] = {}
        for edit in plan.edits:
            by_file.setdefault(edit.file, []).append(edit)
        failed: list[Edit] = []
        for file, edits in by_file.items():
            original = file.read_bytes()
            plan.originals[file] = original
            try:
                if file.suffix.lower() == ".xlsx":
                    plan.contents[file] = _changed_workbook(file, edits)
                else:
                    plan.contents[file] = _changed_yaml(original, edits, review.locator.raw)
            except _CannotWrite as problem:
                failed.extend(problem.edits)
        failed += _verify(plan, review)
        if not failed:
            return
        for edit in failed:
            plan.edits.remove(edit)
            plan.refusals.append(
                Refusal(edit.place, "written back it would not give the reviewed text; change it by hand")
            )
    plan.contents, plan.edits = {}, []


class _CannotWrite(Exception):
    def __init__(self, edits: list[Edit]) -> None:
        super().__init__("cannot write")
        self.edits = edits


def _verify(plan: Plan, review: Review) -> list[Edit]:
    """The edits whose value does not show the reviewed text when the changed inputs are built."""
    if not plan.contents:
        return []
    folder = review.input_dir
    with tempfile.TemporaryDirectory(prefix="concept-builder-review-") as scratch:
        copy = Path(scratch) / folder.resolve().name
        shutil.copytree(folder, copy, symlinks=True)
        for file, content in plan.contents.items():
            (copy / file.relative_to(folder)).write_bytes(content)
        try:
            texts = fresh_texts(copy, review.variant, review.for_name)
        except InputError:
            return list(plan.edits)
    return [
        e for e in plan.edits if e.place.marker and texts.get(e.place.marker, "").strip() != e.document_text
    ]


def _changed_yaml(original: bytes, edits: list[Edit], raw: RawConcept) -> bytes:
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError:
        raise _CannotWrite(edits) from None
    root = yaml.compose(text, Loader=NodeLoader)
    replacements = []
    bad = []
    for edit in edits:
        node = _node_at(root, _path_in_file(raw, edit))
        if not isinstance(node, yaml.ScalarNode):
            bad.append(edit)
            continue
        replacements.append((node.start_mark.index, node.end_mark.index, _scalar(text, node, edit.new)))
    if bad:
        raise _CannotWrite(bad)
    for start, end, replacement in sorted(replacements, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text.encode("utf-8")


def _path_in_file(raw: RawConcept, edit: Edit) -> Path_:
    """The part of the value's path inside its own file (below the include that brought the file in)."""
    path = edit.place.path or ()
    for length in range(len(path) + 1):
        location = raw.locations.get(path[:length])
        if location is not None and location[0] == edit.file:
            return path[length:]
    return path


def _node_at(node: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def _scalar(text: str, node: Any, value: str) -> str:
    """``value`` written in the style of ``node`` (plain, quoted or a block), for its place in ``text``."""
    style = node.style or ""
    if style in ("|", ">"):
        region = text[node.start_mark.index : node.end_mark.index]
        header, _, body = region.partition("\n")
        trailing = len(region) - len(region.rstrip("\n"))
        indent = next(
            (line[: len(line) - len(line.lstrip(" "))] for line in body.split("\n") if line.strip()),
            " " * (node.start_mark.column + 2),
        )
        lines = value.strip("\n").split("\n")
        if style == ">":
            if any(line.startswith((" ", "\t")) for line in lines):
                header = "|" + header[1:]
            else:  # folded: a line break in the value is an empty line in the file
                lines = "\n\n".join(lines).split("\n")
        content = "\n".join(indent + line if line else "" for line in lines)
        return f"{header}\n{content}" + "\n" * max(trailing, 1)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style == "" and _plain_ok(value):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _plain_ok(value: str) -> bool:
    """Whether ``value`` reads back as the same text when written without quotes."""
    if not value or "\n" in value or value != value.strip():
        return False
    try:
        node = yaml.compose(f"k: {value}\n", Loader=NodeLoader)
    except yaml.YAMLError:
        return False
    scalar = node.value[0][1] if isinstance(node, yaml.MappingNode) and node.value else None
    return isinstance(scalar, yaml.ScalarNode) and scalar.value == value and not scalar.style


def _changed_workbook(file: Path, edits: list[Edit]) -> bytes:
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(file)
    for edit in edits:
        cell = edit.place.location.cell if edit.place.location else None
        if not cell or "!" not in cell:
            raise _CannotWrite([edit])
        sheet, coordinate = cell.rsplit("!", 1)
        workbook[sheet][coordinate].value = edit.new
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_plan(plan: Plan) -> list[Path]:
    """Put the changed files in place: each written beside itself first, then all renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for file, content in plan.contents.items():
            handle, name = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            shutil.copymode(file, name)
            staged.append((Path(name), file))
        for temporary, file in staged:
            os.replace(temporary, file)
    except OSError as exc:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(f"the inputs could not be written: {exc}") from exc
    return [file for _, file in staged]


def changed_locations(plan: Plan) -> Iterator[Location]:
    for edit in plan.edits:
        if edit.place.location is not None:
            yield edit.place.location

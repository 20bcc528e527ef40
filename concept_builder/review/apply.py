"""Tracked changes of a reviewed document written back into the inputs they came from.

Which value a change belongs to comes from the source markers; what the new
value is comes from comparing the value's text in the document before and
after the change. A change is written only where that text maps back onto
the input exactly:

- a value the document prints as typed (titles, names, an entry of a list)
  takes the new text as it is;
- free text in Markdown takes each change at the same place in its source,
  so that emphasis, lists and links around it stay as they were; a change
  that would cut through the Markdown (across the end of a bold passage) is
  left out, the others are made; a new paragraph becomes one in the source,
  a new line in a list a new item;
- a value printed in other words (a status, a priority) takes the value
  whose wording is the new text;
- a number printed as the document's language writes it (``137.000``) takes
  the number the new text reads as, where that reading is the only one.

Everything else – a date printed formatted, a change that covers pieces of
two values (a figure and its unit), a value changed differently in two
places – is listed with the reason and left for a person. Before anything is
written, the changed inputs are built once more in a scratch copy and every
changed value must show exactly the reviewed text; a change that fails is
left out with the reason, the others are made.

YAML files are changed in place (``yaml_text``); workbook cells with
openpyxl. Files are written only if they are still as they were read.
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

from ..errors import ConceptBuilderError, InputError, Location, OutputError, Problem
from ..load import Path_, RawConcept, load_raw
from ..options import BuildOptions
from ..sources import raw_sources
from .reading import Reading, read_document, source_name
from .remarks import Place, Review, owners, short
from .yaml_text import YamlText, compose, node_at, path_in_file, scalar


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
    old: Any  # the value in the inputs
    new: str  # as written into the file
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
    originals: dict[Path, bytes] = field(default_factory=dict)  # file → its content when planned

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
                    old.decode("utf-8", "replace").splitlines(keepends=True),
                    new.decode("utf-8", "replace").splitlines(keepends=True),
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
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)

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
    spanning: set[str] = set()
    if not untracked:
        for sources, refusal in _spanning_changes(review):
            spanning |= sources
            plan.refusals.append(refusal)
    wanted: dict[str, tuple[str, int]] = {}  # source → new document text, first piece
    conflicts: set[str] = set()
    for occurrence in occurrences(review.reading):
        base = fresh.get(occurrence.source)
        if base is None or occurrence.source in spanning:
            continue
        if untracked:
            if occurrence.current == base:
                continue
            new_text: str | None = occurrence.current
        else:
            if not occurrence.changed or occurrence.original == occurrence.current:
                continue
            if not occurrence.current.strip():
                place = review.locator.place(occurrence.source, occurrence.first_piece)
                plan.refusals.append(Refusal(place, "the whole value was deleted; remove it by hand"))
                conflicts.add(occurrence.source)
                continue
            new_text = (
                occurrence.current
                if occurrence.original == base
                else _apply_opcodes(occurrence.original, occurrence.current, base)
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
    language = raw.value(("meta", "language"))
    for source, (new_text, first) in wanted.items():
        place = review.locator.place(source, first)
        for outcome in _edit(raw, place, fresh[source], new_text, language if language == "en" else "de"):
            if isinstance(outcome, Refusal):
                plan.refusals.append(outcome)
            else:
                plan.edits.append(outcome)
    _write_plan(plan, review)
    return plan


def _spanning_changes(review: Review) -> Iterator[tuple[set[str], Refusal]]:
    """Each change that covers pieces of several values (or of a value and text around it).

    Text changed without a break – Word and LibreOffice write a replacement as
    a deletion and an insertion side by side – is one change. Where it covers
    more than one value (``000 Personen`` → ``500 Menschen`` across a figure
    and its unit) there is no telling which new words belong to which value.
    """
    pieces = review.reading.pieces
    owner = owners(pieces)
    index = 0
    while index < len(pieces):
        if pieces[index].kind == "normal":
            index += 1
            continue
        end = index
        while end + 1 < len(pieces) and pieces[end + 1].kind != "normal":
            end += 1
        stretch = range(index, end + 1)
        markers = list(dict.fromkeys(owner[i] for i in stretch if pieces[i].text.strip()))
        if len(markers) > 1 and any(markers):
            old = "".join(pieces[i].text for i in stretch if pieces[i].kind == "deleted")
            new = "".join(pieces[i].text for i in stretch if pieces[i].kind == "inserted")
            places = [review.locator.place(marker, index) for marker in markers]
            fields = ", ".join(p.field if p.location else "text not from the inputs" for p in places)
            change = f"“{short(old)}” → “{short(new)}”" if old and new else f"“{short(old or new)}”"
            sources = {source for marker in markers if marker and (source := source_name(marker))}
            first = next(p for p in places if p.location) if any(p.location for p in places) else places[0]
            yield (
                sources,
                Refusal(first, f"the change {change} covers several values ({fields}); change them by hand"),
            )
        index = end + 1


# --- from the document's text to the input's ------------------------------------------------


@dataclass(frozen=True)
class _Change:
    """One change between two texts: ``old[start:end]`` becomes ``text``."""

    start: int
    end: int
    text: str
    old: str

    def __str__(self) -> str:
        if self.old and self.text:
            return f"the change “{short(self.old)}” → “{short(self.text)}”"
        return (
            f"the deletion of “{short(self.old)}”" if self.old else f"the insertion of “{short(self.text)}”"
        )


def _changes(old: str, new: str) -> list[_Change]:
    """The changes that turn ``old`` into ``new``; changes within one word count as one."""
    found: list[tuple[int, int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if found and not any(character.isspace() for character in old[found[-1][1] : i1]):
            first = found.pop()
            i1, j1 = first[0], first[2]
        found.append((i1, i2, j1, j2))
    return [_Change(i1, i2, new[j1:j2], old[i1:i2]) for i1, i2, j1, j2 in found]


def _apply_opcodes(old: str, new: str, target: str) -> str | None:
    """``target`` with the changes that turn ``old`` into ``new``, placed by aligning ``old`` and
    ``target``; None where one of them does not fit."""
    if old == target:
        return new
    carried, _, failed = _carry(old, new, target)
    return None if failed else carried


def _carry(old: str, new: str, target: str, *, markdown: bool = False) -> tuple[str, str, list[_Change]]:
    """The changes from ``old`` to ``new`` made to ``target`` where each fits exactly.

    Returns the changed target, ``old`` with only the changes made (what the
    document will show), and the changes left out: a change fits where the
    text it replaces is in ``target`` as it is in ``old`` (not cut by
    Markdown), an insertion where its place is. In Markdown (``markdown``) a
    new paragraph becomes a blank line, a new line in a list a new item.
    """
    blocks = difflib.SequenceMatcher(None, old, target, autojunk=False).get_matching_blocks()
    placed: list[tuple[int, int, str]] = []
    shown: list[tuple[int, int, str]] = []
    failed: list[_Change] = []
    for found in _changes(old, new):
        for change in _alike(old, found):
            where = _placed(blocks, target, change)
            if where is not None:
                break
        else:
            failed.append(found)
            continue
        start, end = where
        text = change.text
        if markdown and "\n" in text:
            start, end, text = _new_blocks(target, start, end, text)
        placed.append((start, end, text))
        shown.append((change.start, change.end, change.text))
    return _replaced(target, placed), _replaced(old, shown), failed


def _placed(blocks: list[Any], target: str, change: _Change) -> tuple[int, int] | None:
    """Where ``change`` goes in ``target``: an insertion where its place is, other changes where
    ``target`` has the very text they replace (not cut by Markdown)."""
    if change.start == change.end:
        start = _map(blocks, change.start, at_end=True)
        return None if start is None else (start, start)
    start = _map(blocks, change.start, at_end=False)
    last = _map(blocks, change.end - 1, at_end=False)
    if start is None or last is None or target[start : last + 1] != change.old:
        return None
    return start, last + 1


def _alike(old: str, change: _Change) -> Iterator[_Change]:
    """``change``, then the changes with the same outcome: a deletion or insertion moved along
    text that repeats (deleting `` Management Consulting`` or ``Management Consulting `` after
    ``Ramboll``), so that one of them can fit where the first is cut by Markdown."""
    yield change
    if change.old and change.text:
        return
    piece = change.old or change.text
    for step in (-1, 1):
        start, end, text = change.start, change.end, piece
        for _ in range(len(piece)):
            if step < 0:
                if start == 0 or old[start - 1] != text[-1]:
                    break
                start, end, text = start - 1, end - 1, text[-1] + text[:-1]
            else:
                if end >= len(old) or old[end] != text[0]:
                    break
                start, end, text = start + 1, end + 1, text[1:] + text[0]
            yield _Change(start, end, "" if change.old else text, old[start:end] if change.old else "")


def _replaced(text: str, replacements: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    return text


_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def _new_blocks(source: str, start: int, end: int, text: str) -> tuple[int, int, str]:
    """A change that adds paragraph breaks, as Markdown writes them at ``start`` of ``source``.

    In a list item a new line starts a new item with the same marker (``- ``,
    ``1.``); elsewhere a blank line starts a new paragraph. The spaces at the
    break go: a paragraph starts with its first word.
    """
    line_start = source.rfind("\n", 0, start) + 1
    item = _LIST_ITEM.match(source, line_start)
    separator = "\n" + item.group(0) if item else "\n\n"
    while start > line_start and source[start - 1] in " \t" and text.startswith("\n"):
        start -= 1
    while end < len(source) and source[end] in " \t" and text.endswith("\n"):
        end += 1
    lines = [
        line.strip(" \t") if index else line.rstrip(" \t") for index, line in enumerate(text.split("\n"))
    ]
    return start, end, separator.join(lines)


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


def _edit(raw: RawConcept, place: Place, base: str, new_text: str, language: str) -> list[Edit | Refusal]:
    """The edit a value's new document text makes, and the changes in it that cannot be made."""
    from ..schema import is_markdown, literal_values

    if place.path is None or place.location is None:
        return [Refusal(place, "not from the inputs")]
    value = raw.value(place.path)
    file = place.location.file
    if place.location.cell and file.suffix.lower() != ".xlsx":
        return [Refusal(place, "values in a CSV file are not changed; change it by hand")]
    new_text = new_text.strip()
    number = _typed_number(value)
    if number is not None and base != str(value).strip():
        return [_number_edit(place, file, value, number, base, new_text, language)]
    if not isinstance(value, str):
        return [Refusal(place, "the value is not text in the inputs; change it by hand")]
    if is_markdown(place.path):
        carried, shown, failed = _carry(base.strip(), new_text, value.strip(), markdown=True)
        outcomes: list[Edit | Refusal] = [
            Refusal(
                place, f"{change} cuts through the Markdown around it (emphasis, a link); make it by hand"
            )
            for change in failed
        ]
        if carried != value.strip():
            outcomes.insert(0, Edit(place, file, value, _keep_ends(value, carried), shown.strip()))
        return outcomes
    if "\n" in new_text and "\n" not in value:
        return [Refusal(place, "a paragraph break cannot go into a value of one line; change it by hand")]
    if base == value.strip():
        return [Edit(place, file, value, new_text, new_text)]
    choices = literal_values(place.path)
    if choices:
        from ..labels import value_label

        matching = [c for c in choices if value_label(c, language) == new_text]
        if matching:
            return [Edit(place, file, value, matching[0], new_text)]
        return [Refusal(place, f"“{new_text}” is not one of {', '.join(choices)}")]
    if base.split() == value.split():  # text of several paragraphs: the document has a break per blank line
        carried_text = _apply_opcodes(base, new_text, value.strip())
        if carried_text is not None:
            return [Edit(place, file, value, _keep_ends(value, carried_text), new_text)]
    return [Refusal(place, f"the document shows this value as “{base}”, not as typed; change it by hand")]


def _typed_number(value: object) -> float | None:
    """The number a value of the inputs is: a number, or text that is a plain number (``137000``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()):
        return float(value)
    return None


def _number_edit(
    place: Place, file: Path, value: object, number: float, base: str, new_text: str, language: str
) -> Edit | Refusal:
    """A number's new value, where the document printed it as its language writes numbers.

    ``138.000`` reads as 138000 in German only if the number written so reads
    the same again: a text that could be read otherwise is left for a person.
    """
    from ..wording import Wording

    wording = Wording(language)
    if base != wording.number(number):
        return Refusal(place, f"the document shows this value as “{base}”, not as typed; change it by hand")
    new = _read_number(new_text, language)
    if new is None or wording.number(new) != new_text:
        return Refusal(
            place, f"“{new_text}” does not read as one number as the document writes them; change it by hand"
        )
    written = str(int(new)) if float(new).is_integer() else repr(float(new))
    return Edit(place, file, value, written, new_text)


def _read_number(text: str, language: str) -> float | None:
    """A number written as ``language`` writes them (``1.234,5`` in German), or None."""
    group, decimal = (".", ",") if language == "de" else (",", ".")
    grouped = rf"-?\d{{1,3}}(?:{re.escape(group)}\d{{3}})*(?:{re.escape(decimal)}\d+)?"
    ungrouped = rf"-?\d+(?:{re.escape(decimal)}\d+)?"
    if not (re.fullmatch(grouped, text) or re.fullmatch(ungrouped, text)):
        return None
    return float(text.replace(group, "").replace(decimal, "."))


def _keep_ends(old: str, new: str) -> str:
    """``new`` with the line break a YAML block gave ``old`` at its end."""
    stripped = old.rstrip()
    return new + old[len(stripped) :] if old != stripped and not old.startswith(new) else new


# --- writing ----------------------------------------------------------------------------------


def _write_plan(plan: Plan, review: Review) -> None:
    """The new content of every file the edits touch, checked by building the changed inputs.

    An edit that cannot be written, or that the check finds wrong, is left
    out with the reason, and the rest planned again.
    """
    while plan.edits:
        plan.contents, plan.originals = {}, {}
        by_file: dict[Path, list[Edit]] = {}
        for edit in plan.edits:
            by_file.setdefault(edit.file, []).append(edit)
        failed: list[tuple[Edit, str]] = []
        for file, edits in by_file.items():
            original = file.read_bytes()
            plan.originals[file] = original
            if file.suffix.lower() == ".xlsx":
                content, bad = _changed_workbook(file, edits, review.locator.raw)
            else:
                content, bad = _changed_yaml(original, edits, review.locator.raw)
            failed += bad
            plan.contents[file] = content
        if not failed:
            failed = _verify(plan, review)
        if not failed:
            return
        for edit, reason in failed:
            plan.edits.remove(edit)
            plan.refusals.append(Refusal(edit.place, reason))
    plan.contents, plan.originals = {}, {}


def _verify(plan: Plan, review: Review) -> list[tuple[Edit, str]]:
    """The edits whose value does not show the reviewed text when the changed inputs are built."""
    folder = review.input_dir
    with tempfile.TemporaryDirectory(prefix="concept-builder-review-") as scratch:
        copy = Path(scratch) / folder.resolve().name
        shutil.copytree(folder, copy, symlinks=True)
        for file, content in plan.contents.items():
            (copy / file.relative_to(folder)).write_bytes(content)
        try:
            texts = fresh_texts(copy, review.variant, review.for_name)
        except InputError as error:
            return _blamed(plan.edits, error.problems, copy, folder)
        names: dict[Path_, list[str]] = {}
        for name, path in raw_sources(load_raw(copy).data).items():
            names.setdefault(path, []).append(name)
    failed = []
    for edit in plan.edits:
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


def _changed_yaml(
    original: bytes, edits: list[Edit], raw: RawConcept
) -> tuple[bytes, list[tuple[Edit, str]]]:
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
        if not _reads_back(_replaced(text, [replacement]), {path: edit.new}):
            bad.append(
                (edit, "written into the file it would not read back as the reviewed text; change it by hand")
            )
            continue
        replacements.append(replacement)
    changed = _replaced(text, replacements)
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


def _changed_workbook(file: Path, edits: list[Edit], raw: RawConcept) -> tuple[bytes, list[tuple[Edit, str]]]:
    """The workbook with each edit's cell changed; an entry of a list in a cell changes that entry alone."""
    import io

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


def write_plan(plan: Plan) -> list[Path]:
    """Put the changed files in place: each written beside itself first, then all renamed.

    Nothing is written where a file changed since the plan was made (edited
    while the prompt waited): the plan would overwrite that edit.
    """
    _still_as_planned(plan)
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
        _still_as_planned(plan)
        for temporary, file in staged:
            os.replace(temporary, file)
    except (OSError, ConceptBuilderError) as exc:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if isinstance(exc, ConceptBuilderError):
            raise
        raise OutputError(f"the inputs could not be written: {exc}") from exc
    return [file for _, file in staged]


def _still_as_planned(plan: Plan) -> None:
    for file in plan.contents:
        try:
            now = file.read_bytes()
        except OSError:
            now = None
        if now != plan.originals.get(file):
            raise ConceptBuilderError(
                f"{file}: changed since the changes were planned, so nothing was written"
                " (run review --apply again to see the changes against the file as it is now)"
            )


def changed_locations(plan: Plan) -> Iterator[Location]:
    for edit in plan.edits:
        if edit.place.location is not None:
            yield edit.place.location

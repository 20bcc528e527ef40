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
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConceptBuilderError, InputError, Location
from ..load import RawConcept
from .carry import (
    apply_opcodes,
    carry,
)
from .edits import Edit, Refusal, occurrences
from .files import changed_workbook, changed_yaml, write_files
from .reading import LINE_BREAK, source_name
from .remarks import Place, Review, owners, short
from .untracked import untracked_refusals
from .verify import fresh_reading, texts_of, verified


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
                "line": r.place.location.line if r.place.location else None,
                "context": None if r.place.location else r.place.context,
            }
            for r in self.refusals
        ]
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)

    def write(self) -> list[Path]:
        """Put the changed input files in place, all or none; return them (empty when nothing changes)."""
        return write_files(self.contents, self.originals)


def plan_changes(review: Review, *, untracked: bool = False) -> Plan:
    """The edits the tracked changes (and with ``untracked``, all differences) of a review make."""
    plan = Plan(review)
    try:
        built = fresh_reading(review.input_dir, review.variant, review.for_name)
    except InputError as error:
        raise ConceptBuilderError(
            f"{review.input_dir}: the inputs do not validate, so nothing can be applied:\n"
            + "\n".join(str(p) for p in error.problems)
        ) from error
    fresh = texts_of(built)
    if untracked:
        plan.refusals.extend(untracked_refusals(review, built))
    for remark in review.remarks:
        if remark.kind == "formatting" and remark.from_inputs:
            reason = "a change of formatting: the template sets the formatting; make it there or by hand"
            plan.refusals.append(Refusal(remark.place, reason))
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
                else apply_opcodes(occurrence.original, occurrence.current, base)
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
    if LINE_BREAK in new_text:
        return [
            Refusal(
                place,
                "a line break (Shift+Enter) has no place in the inputs; press Enter for a new paragraph,"
                " or change it by hand",
            )
        ]
    number = _typed_number(value)
    if number is not None and base != str(value).strip():
        return [_number_edit(raw, place, file, value, number, base, new_text, language)]
    if not isinstance(value, str):
        return [Refusal(place, "the value is not text in the inputs; change it by hand")]
    if is_markdown(place.path):
        carried, shown, failed = carry(base.strip(), new_text, value.strip(), markdown=True)
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
        carried_text = apply_opcodes(base, new_text, value.strip())
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
    raw: RawConcept,
    place: Place,
    file: Path,
    value: object,
    number: float,
    base: str,
    new_text: str,
    language: str,
) -> Edit | Refusal:
    """A number's new value, where the document printed it as its language writes numbers, or as an
    amount of money (a budget's ``30.000 €``).

    ``138.000`` reads as 138000 in German only if the number written so reads
    the same again: a text that could be read otherwise is left for a person.
    """
    from ..wording import Wording

    wording = Wording(language)
    currency = _currency(raw, place) if base != wording.number(number) else None

    def written(amount: float) -> str:
        return wording.money(amount, currency) if currency else wording.number(amount)

    if base != written(number):
        return Refusal(place, f"the document shows this value as “{base}”, not as typed; change it by hand")
    digits = re.search(r"-?\d(?:.*\d)?", base)
    head, tail = (base[: digits.start()], base[digits.end() :]) if digits else ("", "")
    core = new_text[len(head) : len(new_text) - len(tail)] if new_text.startswith(head) else None
    new = _read_number(core.strip(), language) if core is not None and new_text.endswith(tail) else None
    if new is None or written(new) != new_text:
        return Refusal(
            place, f"“{new_text}” does not read as one number as the document writes them; change it by hand"
        )
    typed = str(int(new)) if float(new).is_integer() else repr(float(new))
    return Edit(place, file, value, typed, new_text)


def _currency(raw: RawConcept, place: Place) -> str | None:
    """The currency of an amount of money (a budget's ``amount``), or None for other numbers."""
    path = place.path
    if not path or path[-1] != "amount":
        return None
    budget = raw.value(path[:-1])
    if not isinstance(budget, dict):
        return None
    currency = budget.get("currency", "EUR")
    return currency if isinstance(currency, str) else None


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
                content, bad = changed_workbook(file, edits, review.locator.raw)
            else:
                content, bad = changed_yaml(original, edits, review.locator.raw)
            failed += bad
            plan.contents[file] = content
        if not failed:
            failed = verified(plan.contents, plan.edits, review)
        if not failed:
            return
        for edit, reason in failed:
            plan.edits.remove(edit)
            plan.refusals.append(Refusal(edit.place, reason))
    plan.contents, plan.originals = {}, {}


def changed_locations(plan: Plan) -> Iterator[Location]:
    for edit in plan.edits:
        if edit.place.location is not None:
            yield edit.place.location

"""What changed between two versions of a concept, item by item, in document order.

The whole concept is compared by walking its model: the metadata, every
chapter, the themes with their goals and measures, the quotes, sources,
glossary and cross-cutting themes. An *item* is a part the document shows as
a unit (a measure, a key figure, the foreword …); items are matched by id, or
by what names them where they have none (a key figure by its indicator, a
principle by its title), so that a renamed title is a change of that item,
not a removal and an addition. Everything else inside an item is one of its
fields, nested ones named with dots (``timeframe.end``) and entries of a list
by what names them (``indicators[Teilnehmende].target``). Values are never
cut; a long text changed in a few words carries the changed words.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from .labels import LABELS, with_unit
from .model import (
    Concept,
    CrossCuttingTheme,
    Event,
    Foreword,
    GlossaryEntry,
    Goal,
    KeyFigure,
    Measure,
    Meta,
    Monitoring,
    Principle,
    Process,
    Quote,
    Source,
    StartingPoint,
    SteeringGroup,
    Theme,
)
from .structure import arrange

ChangeKind = Literal["added", "removed", "changed"]
WordKind = Literal["same", "removed", "added"]

# The kinds of item the document shows as a unit: the entity's name and the field that names an item
ITEMS: dict[type[BaseModel], tuple[str, str | None]] = {
    Meta: ("meta", None),
    Foreword: ("foreword", None),
    StartingPoint: ("starting_point", None),
    KeyFigure: ("key_figure", "indicator"),
    Principle: ("principle", "title"),
    Process: ("process", None),
    Event: ("event", "id"),
    SteeringGroup: ("steering_group", None),
    CrossCuttingTheme: ("cross_cutting_theme", "id"),
    Theme: ("theme", "id"),
    Goal: ("goal", "id"),
    Measure: ("measure", "id"),
    Quote: ("quote", "id"),
    Monitoring: ("monitoring", None),
    Source: ("source", "id"),
    GlossaryEntry: ("glossary_entry", "term"),
}
# What shows an item's title, where it is not ``title``
TITLES = {
    "meta": "",
    "quote": "person",
    "key_figure": "indicator",
    "source": "text",
    "glossary_entry": "term",
}
# Inside an item, the entries of a list are named by the first of these they have
ENTRY_KEYS = ("id", "name", "indicator", "term", "title", "file", "theme")
# Values that go with a unit, and the field that holds it
UNITS = {"value": "unit", "baseline": "unit", "target": "unit", "amount": "currency"}
LONG_TEXT = 80  # characters from which a change is also shown word by word


@dataclass(frozen=True)
class WordChange:
    """A stretch of a long text: kept, removed or added."""

    kind: WordKind
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str  # "status", "timeframe.end", "indicators[Teilnehmende].target"
    old: str  # as the inputs give it; "" where there was none
    new: str
    unit: str = ""  # what the values count: "Prozent", "EUR"
    words: tuple[WordChange, ...] = ()  # a long text, word by word


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    entity: str  # measure, goal, theme, quote, event, principle, key_figure, meta, foreword …
    id: str  # the id, or what names the item (its indicator, title, term)
    label: str  # as the document names it: "Maßnahme 2.1.3" (the old number where it was removed)
    title: str
    fields: tuple[FieldChange, ...] = ()
    old_label: str = ""  # "Maßnahme 2.1.2" where the number changed


@dataclass
class ChangeLog:
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)  # in document order

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        """Each item once, in document order; its changed fields below it, long texts word by word."""
        lines = [f"changes from version {self.old_version} to version {self.new_version}:"]
        for change in self.changes:
            name = f"{change.label} {change.title}".strip()
            if change.old_label:
                name += f" (was {change.old_label})"
            if change.kind != "changed":
                lines.append(f"  {name}: {change.kind}")
                continue
            lines.append(f"  {name}:")
            for f in change.fields:
                if f.words:
                    text = f"{f.field}: {marked_words(f.words)}"
                else:
                    old, new = (with_unit(value, f.unit) or "–" for value in (f.old, f.new))
                    text = f"{f.field}: {old} → {new}"
                lines.append("    " + text.replace("\n", "\n      "))
        if not self.changes:
            lines.append("  none")
        return "\n".join(lines) + "\n"


def marked_words(words: tuple[WordChange, ...]) -> str:
    """``… Kurse [-halbjährlich-]{+vierteljährlich+} …``, as word-diff tools write it."""
    marks = {"same": ("", ""), "removed": ("[-", "-]"), "added": ("{+", "+}")}
    return "".join(f"{marks[w.kind][0]}{w.text}{marks[w.kind][1]}" for w in words)


def diff_concepts(old: Concept, new: Concept) -> ChangeLog:
    """Every added, removed and changed item between ``old`` and ``new``, in document order."""
    log = ChangeLog(old_version=old.meta.version, new_version=new.meta.version)
    labels = LABELS[new.meta.language]
    numbers = (_Numbers(old), _Numbers(new))
    before, after = _items(old, numbers[0]), _items(new, numbers[1])
    for key in _document_order(list(before), list(after)):
        old_item, new_item = before.get(key), after.get(key)
        item = new_item or old_item
        assert item is not None
        entity, identifier = key
        word = labels.get(entity, entity)
        if new_item is None:
            number = numbers[0].of(identifier) if old_item and old_item.numbered else None
            label = f"{word} {number}" if number else word
            log.changes.append(Change("removed", entity, identifier, label, item.title))
            continue
        number = numbers[1].of(identifier) if new_item.numbered else None
        label = f"{word} {number}" if number else word
        if old_item is None:
            log.changes.append(Change("added", entity, identifier, label, item.title))
            continue
        old_number = numbers[0].of(identifier) if old_item.numbered else None
        fields = tuple(_field_changes(old_item.fields, new_item.fields))
        moved = f"{word} {old_number}" if old_number and old_number != number else ""
        if fields or moved:
            log.changes.append(Change("changed", entity, identifier, label, item.title, fields, moved))
    return log


# --- the items of a concept, in document order --------------------------------------------


@dataclass
class _Item:
    title: str
    fields: dict[str, tuple[str, str]]  # dotted field → (value, unit)
    numbered: bool = False


class _Numbers:
    """The number of each numbered item, as the document gives it, and its place in document order."""

    def __init__(self, concept: Concept) -> None:
        self.nodes = arrange(concept).nodes

    def of(self, identifier: str) -> str | None:
        node = self.nodes.get(identifier)
        return node.number if node else None

    def order(self, identifier: str) -> tuple[int, ...]:
        node = self.nodes.get(identifier)
        return node.key if node else ()


def _items(concept: Concept, numbers: _Numbers) -> dict[tuple[str, str], _Item]:
    """Every item of ``concept`` in document order, keyed by (entity, what names it)."""
    items: dict[tuple[str, str], _Item] = {}
    for name, entity, value in _chapters(concept):
        if isinstance(value, BaseModel):
            _collect(value, items, numbers)
        elif isinstance(value, list):
            for entry in value:
                _collect(entry, items, numbers)
        elif value is not None:  # a chapter given as text alone: Anlass und Auftrag …
            items[(entity, name)] = _Item("", {"text": (_show(value), "")})
    return items


def _chapters(concept: Concept) -> Iterator[tuple[str, str, Any]]:
    """The concept's fields in the order the document shows them; measures in number order."""
    for name in type(concept).model_fields:
        value = getattr(concept, name)
        yield name, name if not isinstance(value, str) else _TEXT_CHAPTERS.get(name, "concept"), value


_TEXT_CHAPTERS = {"introduction": "introduction", "principles_intro": "principles"}


def _collect(model: BaseModel, items: dict[tuple[str, str], _Item], numbers: _Numbers) -> None:
    """``model`` as an item, then the items inside it."""
    kind = ITEMS.get(type(model))
    if kind is None:
        return
    entity, key_field = kind
    key = str(getattr(model, key_field, "") or "") if key_field else ""
    if entity == "source" and not key:
        key = model.text  # type: ignore[attr-defined]
    while (entity, key) in items:  # two principles of the same title: the second is its own item
        key += "*"
    title_field = TITLES.get(entity, "title")
    title = str(getattr(model, title_field, "") or "") if title_field else ""
    own: dict[str, Any] = {}
    children: list[BaseModel] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        entries = value if isinstance(value, list) else [value]
        if entries and all(type(entry) in ITEMS for entry in entries):
            if name == "measures":
                entries = sorted(entries, key=lambda m: numbers.order(m.id))
            children.extend(entries)
        else:
            own[name] = _plain(value)
    items[(entity, key)] = _Item(title, _flat("", own), numbered=entity in ("theme", "goal", "measure"))
    for child in children:
        _collect(child, items, numbers)


def _plain(value: Any) -> Any:
    """A field's value as JSON-like data: dates as written in the inputs, flags as flags."""
    if isinstance(value, BaseModel):  # defaults left out: a budget given is not a new currency
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, list):
        return [_plain(entry) for entry in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # dates, points of a timeframe


def _flat(name: str, value: Any, unit: str = "") -> dict[str, tuple[str, str]]:
    """Dotted fields of a value: ``timeframe.end``, ``indicators[Teilnehmende].target``."""
    flat: dict[str, tuple[str, str]] = {}
    if isinstance(value, dict):
        for key, entry in value.items():
            entry_unit = str(value.get(UNITS[key]) or "") if key in UNITS else ""
            flat.update(_flat(f"{name}.{key}" if name else key, entry, entry_unit))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        seen: set[str] = set()
        for index, entry in enumerate(value):
            label = next(
                (str(entry[k]) for k in ENTRY_KEYS if entry.get(k) not in (None, "")), str(index + 1)
            )
            while label in seen:
                label += "*"
            seen.add(label)
            flat.update(_flat(f"{name}[{label}]", entry))
    elif isinstance(value, list):
        flat[name] = ("; ".join(_show(v) for v in value), unit)
    else:
        flat[name] = (_show(value), unit)
    return flat


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _document_order(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The items of the new version in its order, each removed one after what preceded it before."""
    order = list(new)
    present = set(new)
    for index, key in enumerate(old):
        if key in present:
            continue
        before = next((old[i] for i in range(index - 1, -1, -1) if old[i] in present), None)
        order.insert(order.index(before) + 1 if before is not None else 0, key)
        present.add(key)
    return order


# --- fields ------------------------------------------------------------------------------------


def _field_changes(old: dict[str, tuple[str, str]], new: dict[str, tuple[str, str]]) -> Iterator[FieldChange]:
    for name in dict.fromkeys([*old, *new]):
        (before, old_unit), (after, new_unit) = old.get(name, ("", "")), new.get(name, ("", ""))
        if before == after and old_unit == new_unit:
            continue
        if before in ("", "nein") and after in ("", "nein") and name.endswith("illustrative"):
            continue  # a flag left out is false: not a change
        unit = new_unit or old_unit
        yield FieldChange(name, before, after, unit if old_unit == new_unit else "", _words(before, after))


_WORD = re.compile(r"(\S+)(\s*)")


def _words(old: str, new: str) -> tuple[WordChange, ...]:
    """A long text changed in places: the words kept, removed and added, in order."""
    if not old or not new or (max(len(old), len(new)) < LONG_TEXT and "\n" not in old + new):
        return ()
    # words are compared without the spaces after them, so that spaces never anchor a match
    before, after = _WORD.findall(old), _WORD.findall(new)
    words: list[WordChange] = []

    def add(kind: WordKind, tokens: list[tuple[str, str]]) -> None:
        text = "".join(word + space for word, space in tokens)
        if not text:
            return
        if words and words[-1].kind == kind:
            words[-1] = WordChange(kind, words[-1].text + text)
        else:
            words.append(WordChange(kind, text))

    matcher = difflib.SequenceMatcher(None, [w for w, _ in before], [w for w, _ in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", after[j1:j2])
        else:
            add("removed", before[i1:i2])
            add("added", after[j1:j2])
    return tuple(words)

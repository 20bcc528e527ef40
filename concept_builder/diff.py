"""What changed between two versions of a concept, item by item, in document order.

The whole concept is compared by walking its model: the metadata, every
chapter, the themes with their goals and measures, the quotes, sources,
glossary and cross-cutting themes. An *item* is a part the document shows as
a unit (a measure, a key figure, the foreword …); items are matched by id, or
by what names them where they have none (a key figure by its indicator, a
principle by its title), so that a renamed title is a change of that item,
not a removal and an addition. Everything else inside an item is one of its
fields, nested ones named with dots (``timeframe.end``) and entries of a list
by what names them (``indicators[Teilnehmende].target``); an entry of such a
list that comes or goes is added or removed as a whole.

Values are compared as the document prints them, in its language: free text
as its words (bold as plain words, a link as its text, ``[[id]]`` as
"Maßnahme 2.1.3", a line wrapped in the inputs as a space), dates as dates,
numbers and amounts with their unit, currency and period. Values are never
cut; a long text changed in a few words carries the changed words.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from .labels import LABELS, with_unit
from .markdown import plain_text
from .model import (
    MARKDOWN,
    Budget,
    Concept,
    CrossCuttingTheme,
    Event,
    Foreword,
    GlossaryEntry,
    Goal,
    Indicator,
    KeyFigure,
    Logo,
    Measure,
    Meta,
    Monitoring,
    Organisation,
    Person,
    Principle,
    Process,
    Quote,
    Source,
    StartingPoint,
    SteeringGroup,
    Theme,
    ThemeResult,
    When,
)
from .schema import mentions_markdown
from .structure import Structure, arrange
from .wording import Wording

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
UNITS = {"value": "unit", "baseline": "unit", "target": "unit"}
LONG_TEXT = 80  # characters from which a change is also shown word by word


@dataclass(frozen=True)
class WordChange:
    """A stretch of a long text: kept, removed or added."""

    kind: WordKind
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str  # "status", "timeframe.end", "indicators[Teilnehmende].target"
    old: str  # as the document prints it ("31. Juli 2025", "60 Personen"); "" where there was none
    new: str
    words: tuple[WordChange, ...] = ()  # a long text, word by word
    kind: ChangeKind = "changed"  # an entry of a list (a signatory, an indicator) may come or go whole

    def marked(self) -> list[tuple[WordKind, str, str]]:
        """The words as a change log prints them: each stretch, and the space after it.

        A removed stretch followed by an added one is set apart by one space
        (``[−900] [+850]``), not by the line break it had before the new one.
        """
        pieces = [(w.kind, w.text.rstrip(), w.text[len(w.text.rstrip()) :]) for w in self.words]
        return [
            (
                kind,
                text,
                " "
                if kind == "removed" and index + 1 < len(pieces) and pieces[index + 1][0] == "added"
                else space,
            )
            for index, (kind, text, space) in enumerate(pieces)
        ]


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
                if f.kind != "changed":
                    text = f"{f.field}: {f.kind} ({f.new or f.old})"
                elif f.words:
                    text = f"{f.field}: {marked_words(f)}"
                else:
                    text = f"{f.field}: {f.old or '–'} → {f.new or '–'}"
                lines.append("    " + text.replace("\n", "\n      "))
        if not self.changes:
            lines.append("  none")
        return "\n".join(lines) + "\n"


def marked_words(change: FieldChange) -> str:
    """``… Kurse [-halbjährlich-] {+vierteljährlich+} …``, as word-diff tools write it."""
    marks = {"same": ("", ""), "removed": ("[-", "-]"), "added": ("{+", "+}")}
    return "".join(f"{marks[kind][0]}{text}{marks[kind][1]}{space}" for kind, text, space in change.marked())


def diff_concepts(old: Concept, new: Concept) -> ChangeLog:
    """Every added, removed and changed item between ``old`` and ``new``, in document order.

    Both are shown in the language of ``new``, each with its own numbers.
    """
    return diff_structures(arrange(old), arrange(new))


def diff_structures(old: Structure, new: Structure) -> ChangeLog:
    """``diff_concepts`` of two arranged concepts; where they select the measures of one organisation,
    only the themes, goals and measures a document of that selection shows."""
    log = ChangeLog(old_version=old.concept.meta.version, new_version=new.concept.meta.version)
    wording = Wording(new.concept.meta.language)
    numbers = (_Numbers(old), _Numbers(new))
    before = _Shown(old.concept, numbers[0], wording).items()
    after = _Shown(new.concept, numbers[1], wording).items()
    for key in _document_order(list(before), list(after)):
        old_item, new_item = before.get(key), after.get(key)
        item = new_item or old_item
        assert item is not None
        entity, identifier = key
        if not (numbers[1] if new_item else numbers[0]).shown(identifier):
            continue
        if new_item is None:
            label = numbers[0].label(entity, identifier, wording) if item.numbered else _word(entity, wording)
            log.changes.append(Change("removed", entity, identifier, label, item.title))
            continue
        label = numbers[1].label(entity, identifier, wording) if new_item.numbered else _word(entity, wording)
        if old_item is None:
            log.changes.append(Change("added", entity, identifier, label, item.title))
            continue
        old_label = numbers[0].label(entity, identifier, wording) if old_item.numbered else label
        fields = tuple(_field_changes(old_item.fields, new_item.fields))
        moved = old_label if old_label != label else ""
        if fields or moved:
            log.changes.append(Change("changed", entity, identifier, label, item.title, fields, moved))
    return log


def _word(entity: str, wording: Wording) -> str:
    """What the document calls a kind of item ("Maßnahme", "Titelseite und Impressum")."""
    return str(wording.labels.get(entity, entity))


# --- the items of a concept, in document order --------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """An entry of a list inside an item (a signatory, an indicator): as a line, and its fields."""

    text: str
    fields: dict[str, str]


@dataclass
class _Item:
    title: str
    fields: dict[str, str | _Entry]  # dotted field → its value as printed, or an entry of a list
    numbered: bool = False


class _Numbers:
    """The number of each numbered item, as the document gives it, its place in document order, and
    whether a document of the structure's selection shows it."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self.nodes = structure.nodes
        self.keys = {identifier: node.key for identifier, node in self.nodes.items()}

    def of(self, identifier: str) -> str | None:
        node = self.nodes.get(identifier)
        return node.number if node else None

    def label(self, entity: str, identifier: str, wording: Wording) -> str:
        """``Maßnahme 2.1.3``: the item's kind and number, as the document writes them."""
        number = self.of(identifier)
        return wording.numbered(entity, number) if number else _word(entity, wording)

    def order(self, identifier: str) -> tuple[int, ...]:
        return self.keys.get(identifier, ())

    def shown(self, identifier: str) -> bool:
        """Whether the document shows the item: every item that is not a theme, goal or measure."""
        return identifier not in self.nodes or self.structure.shown(identifier)


class _Shown:
    """The items of one concept with every value as its document prints it."""

    def __init__(self, concept: Concept, numbers: _Numbers, wording: Wording) -> None:
        self.concept = concept
        self.numbers = numbers
        self.wording = wording
        self.themes = {t.id: t.title for t in concept.themes}
        self.cross_cutting = {c.id: c.title for c in concept.cross_cutting_themes}
        self.events = {e.id: e.title for e in concept.process.events} if concept.process else {}

    def items(self) -> dict[tuple[str, str], _Item]:
        """Every item in document order, keyed by (entity, what names it)."""
        items: dict[tuple[str, str], _Item] = {}
        for name in type(self.concept).model_fields:
            value = getattr(self.concept, name)
            if isinstance(value, BaseModel):
                self.collect(value, items)
            elif isinstance(value, list):
                for entry in value:
                    self.collect(entry, items)
            elif value is not None:  # a chapter given as text alone: Anlass und Auftrag …
                entity = _TEXT_CHAPTERS.get(name, "concept")
                items[(entity, name)] = _Item("", {"text": self.value(Concept, name, value)})
        return items

    def collect(self, model: BaseModel, items: dict[tuple[str, str], _Item]) -> None:
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
        fields: dict[str, str | _Entry] = {}
        children: list[BaseModel] = []
        for name in type(model).model_fields:
            value = getattr(model, name)
            entries = value if isinstance(value, list) else [value]
            if entries and all(type(entry) in ITEMS for entry in entries):
                if name == "measures":
                    entries = sorted(entries, key=lambda m: self.numbers.order(m.id))
                children.extend(entries)
            else:
                fields.update(self.fields(model, name))
        items[(entity, key)] = _Item(title, fields, numbered=entity in ("theme", "goal", "measure"))
        for child in children:
            self.collect(child, items)

    def fields(self, owner: BaseModel, name: str) -> dict[str, str | _Entry]:
        """The field ``name`` of ``owner`` as printed: nested fields dotted, list entries by name."""
        value = getattr(owner, name)
        if isinstance(value, str) and name not in UNITS:  # most values: first, as they are many
            return {name: self.text(type(owner), name, value)}
        if isinstance(value, Budget):  # amount, currency, period and text read as one
            return {name: self.wording.budget(value)}
        if isinstance(value, BaseModel):
            nested: dict[str, str | _Entry] = {}
            for inner in type(value).model_fields:
                for dotted, shown in self.fields(value, inner).items():
                    nested[f"{name}.{dotted}"] = shown
            return nested
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            entries: dict[str, str | _Entry] = {}
            for index, entry in enumerate(value):
                label = self.entry_label(entry, index)
                while f"{name}[{label}]" in entries:
                    label += "*"
                inner_fields: dict[str, str] = {}
                for inner in type(entry).model_fields:
                    for dotted, shown in self.fields(entry, inner).items():
                        if isinstance(shown, str):
                            inner_fields[dotted] = shown
                entries[f"{name}[{label}]"] = _Entry(self.entry_text(entry), inner_fields)
            return entries
        unit = str(getattr(owner, UNITS[name], "") or "") if name in UNITS else ""
        return {name: self.value(type(owner), name, value, unit)}

    def entry_label(self, entry: BaseModel, index: int) -> str:
        """What names an entry of a list: its id, name … (a result by its theme's title)."""
        for key in ENTRY_KEYS:
            value = getattr(entry, key, None)
            if value not in (None, ""):
                return self.themes.get(str(value), str(value)) if key == "theme" else str(value)
        return str(index + 1)

    def entry_text(self, entry: BaseModel) -> str:
        """An entry of a list in one line, as the document prints it."""
        wording = self.wording
        if isinstance(entry, Person):
            return wording.person(entry)
        if isinstance(entry, Organisation):
            return entry.name + (f" ({entry.role})" if entry.role else "")
        if isinstance(entry, Indicator):
            return wording.indicator_text(entry)
        if isinstance(entry, Logo):
            return entry.file
        if isinstance(entry, ThemeResult):
            return f"{self.themes.get(entry.theme, entry.theme)}: {self.markdown(entry.text)}"
        return "; ".join(str(v) for v in entry.model_dump().values() if v not in (None, "", [], False))

    def value(self, owner: type[BaseModel], name: str, value: Any, unit: str = "") -> str:
        """One value as the document prints it."""
        wording = self.wording
        if value is None or value == []:
            return wording["whole_district"] if owner is Measure and name == "area" else ""
        if isinstance(value, bool):
            return LABELS[wording.language]["yes" if value else "no"]
        if isinstance(value, When):
            return wording.when_long(value)
        if isinstance(value, dt.date):
            return wording.date(value)
        if isinstance(value, float):
            return with_unit(wording.number(value), unit)
        if isinstance(value, int):
            return str(value) if name.endswith("year") else wording.number(value)
        if isinstance(value, list):
            return self.listed(owner, name, value)
        return self.text(owner, name, str(value), unit)

    def text(self, owner: type[BaseModel], name: str, text: str, unit: str = "") -> str:
        """A value given as text, as the document prints it."""
        wording = self.wording
        if _is_markdown(owner, name):
            return self.markdown(text)
        if name in ("parent",):
            return self.reference(text)
        if name == "event":
            return self.events.get(text, text)
        if name in _VOCABULARY:
            return wording.value(text)
        return with_unit(text, unit)

    def listed(self, owner: type[BaseModel], name: str, values: list[Any]) -> str:
        """A list of values as the document prints it: names joined, ids as what they name."""
        wording = self.wording
        if isinstance(values[0], dt.date):
            return wording.dates(values)
        texts = [str(v) for v in values]
        if name == "goals":
            return ", ".join(self.reference(t) for t in texts)
        if name == "cross_cutting":
            return ", ".join(self.cross_cutting.get(t, t) for t in texts)
        if name == "themes":
            return ", ".join(self.themes.get(t, t) for t in texts)
        if _is_markdown(owner, name):  # challenges, steps: a bullet each
            return "\n".join("• " + self.markdown(t).replace("\n", "\n  ") for t in texts)
        if name in ("lead", "area"):
            return wording.join(texts)
        return ("; " if name == "groups" else ", ").join(texts)

    def markdown(self, text: str) -> str:
        return plain_text(text, self.reference, self.wording["example"])

    def reference(self, identifier: str) -> str:
        """What ``[[id]]`` prints: "Maßnahme 2.1.3"."""
        number = self.numbers.of(identifier)
        if number is None:
            return identifier
        return self.wording.numbered(self.numbers.structure.kind(identifier), number)


_TEXT_CHAPTERS = {"introduction": "introduction", "principles_intro": "principles"}
# Fields whose values are words of the format's vocabulary, printed in the document's language
_VOCABULARY = {"status", "priority", "term", "period"}


@functools.cache
def _is_markdown(owner: type[BaseModel], name: str) -> bool:
    """Whether the field ``name`` of ``owner`` holds Markdown free text."""
    info = owner.model_fields.get(name)
    return info is not None and (MARKDOWN in info.metadata or mentions_markdown(info.annotation))


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


def _field_changes(old: dict[str, str | _Entry], new: dict[str, str | _Entry]) -> Iterator[FieldChange]:
    for name in dict.fromkeys([*old, *new]):
        before, after = old.get(name), new.get(name)
        if isinstance(before, _Entry) and isinstance(after, _Entry):
            inner_old, inner_new = before.fields, after.fields
            for inner in dict.fromkeys([*inner_old, *inner_new]):
                yield from _changed(f"{name}.{inner}", inner_old.get(inner, ""), inner_new.get(inner, ""))
        elif isinstance(after, _Entry):  # an entry of a list is named only by entries: it is new
            yield FieldChange(name, "", after.text, kind="added")
        elif isinstance(before, _Entry):
            yield FieldChange(name, before.text, "", kind="removed")
        else:
            yield from _changed(name, before or "", after or "")


def _changed(name: str, before: str, after: str) -> Iterator[FieldChange]:
    if before == after:
        return
    if name.endswith("illustrative") and {before, after} <= {"", *_NO}:
        return  # a flag left out is false: not a change
    yield FieldChange(name, before, after, _words(before, after))


_NO = {LABELS[language]["no"] for language in LABELS}


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

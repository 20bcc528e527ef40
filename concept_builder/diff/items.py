"""The items of a concept as its document shows them: what counts as an item, what names it, and
every value of it as the document prints it – the material ``diff`` compares."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..labels import LABELS, with_unit
from ..markdown import plain_text
from ..model import (
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
from ..schema import mentions_markdown
from ..structure import Structure
from ..wording import Wording

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


def kind_word(entity: str, wording: Wording) -> str:
    """What the document calls a kind of item ("Maßnahme", "Titelseite und Impressum")."""
    return str(wording.labels.get(entity, entity))


@dataclass(frozen=True)
class Entry:
    """An entry of a list inside an item (a signatory, an indicator): as a line, and its fields."""

    text: str
    fields: dict[str, str]


@dataclass
class Item:
    title: str
    fields: dict[str, str | Entry]  # dotted field → its value as printed, or an entry of a list
    numbered: bool = False
    named_by_text: bool = False  # matched by what it says (a source without id, a term), not by an id


class Numbers:
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
        return wording.numbered(entity, number) if number else kind_word(entity, wording)

    def order(self, identifier: str) -> tuple[int, ...]:
        return self.keys.get(identifier, ())

    def shown(self, identifier: str) -> bool:
        """Whether the document shows the item: every item that is not a theme, goal or measure."""
        return identifier not in self.nodes or self.structure.shown(identifier)


class Shown:
    """The items of one concept with every value as its document prints it."""

    def __init__(self, concept: Concept, numbers: Numbers, wording: Wording) -> None:
        self.concept = concept
        self.numbers = numbers
        self.wording = wording
        self.themes = {t.id: t.title for t in concept.themes}
        self.cross_cutting = {c.id: c.title for c in concept.cross_cutting_themes}
        self.events = {e.id: e.title for e in concept.process.events} if concept.process else {}

    def items(self) -> dict[tuple[str, str], Item]:
        """Every item in document order, keyed by (entity, what names it)."""
        items: dict[tuple[str, str], Item] = {}
        for name in type(self.concept).model_fields:
            value = getattr(self.concept, name)
            if isinstance(value, BaseModel):
                self.collect(value, items)
            elif isinstance(value, list):
                for entry in value:
                    self.collect(entry, items)
            elif value is not None:  # a chapter given as text alone: Anlass und Auftrag …
                entity = _TEXT_CHAPTERS.get(name, "concept")
                items[(entity, name)] = Item("", {"text": self.value(Concept, name, value)})
        return items

    def collect(self, model: BaseModel, items: dict[tuple[str, str], Item]) -> None:
        """``model`` as an item, then the items inside it."""
        kind = ITEMS.get(type(model))
        if kind is None:
            return
        entity, key_field = kind
        key = str(getattr(model, key_field, "") or "") if key_field else ""
        named_by_text = key_field not in (None, "id")
        if entity == "source" and not key:
            key = model.text  # type: ignore[attr-defined]
            named_by_text = True
        while (entity, key) in items:  # two principles of the same title: the second is its own item
            key += "*"
        title_field = TITLES.get(entity, "title")
        title = str(getattr(model, title_field, "") or "") if title_field else ""
        fields: dict[str, str | Entry] = {}
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
        items[(entity, key)] = Item(
            title, fields, numbered=entity in ("theme", "goal", "measure"), named_by_text=named_by_text
        )
        for child in children:
            self.collect(child, items)

    def fields(self, owner: BaseModel, name: str) -> dict[str, str | Entry]:
        """The field ``name`` of ``owner`` as printed: nested fields dotted, list entries by name."""
        value = getattr(owner, name)
        if isinstance(value, str) and name not in UNITS:  # most values: first, as they are many
            return {name: self.text(type(owner), name, value)}
        if isinstance(value, Budget):  # amount, currency, period and text read as one
            return {name: self.wording.budget(value)}
        if isinstance(value, BaseModel):
            nested: dict[str, str | Entry] = {}
            for inner in type(value).model_fields:
                for dotted, shown in self.fields(value, inner).items():
                    nested[f"{name}.{dotted}"] = shown
            return nested
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            entries: dict[str, str | Entry] = {}
            for index, entry in enumerate(value):
                label = self.entry_label(entry, index)
                while f"{name}[{label}]" in entries:
                    label += "*"
                inner_fields: dict[str, str] = {}
                for inner in type(entry).model_fields:
                    for dotted, shown in self.fields(entry, inner).items():
                        if isinstance(shown, str):
                            inner_fields[dotted] = shown
                entries[f"{name}[{label}]"] = Entry(self.entry_text(entry), inner_fields)
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


NO_WORDS = {LABELS[language]["no"] for language in LABELS}

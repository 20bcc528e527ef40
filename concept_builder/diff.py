"""What changed between two versions of a concept, at the level of the domain.

Themes, goals, measures, quotes, events, principles and key figures are
matched by id (principles by title, key figures by indicator): a renamed
title is a change of that item, not a removal and an addition. Each change
names its item as the document does ("Maßnahme 2.1.3") and lists the fields
that changed, old → new.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from .labels import LABELS
from .model import Concept
from .structure import arrange

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    entity: str  # theme, goal, measure, quote, event, principle, key_figure
    id: str
    label: str  # as the document names it: "Maßnahme 2.1.3" (the new number; the old one when removed)
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass
class ChangeLog:
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        """One line per added or removed item and per changed field."""
        lines = [f"changes from version {self.old_version} to version {self.new_version}:"]
        for change in self.changes:
            name = f"{change.label} {change.title}".strip()
            if change.kind == "changed":
                lines.extend(f"  {name}: {f.field}: {f.old or '–'} → {f.new or '–'}" for f in change.fields)
            else:
                lines.append(f"  {name}: {change.kind}")
        if not self.changes:
            lines.append("  none")
        return "\n".join(lines) + "\n"


def diff_concepts(old: Concept, new: Concept) -> ChangeLog:
    """Every added, removed and changed item between ``old`` and ``new``."""
    log = ChangeLog(old_version=old.meta.version, new_version=new.meta.version)
    labels = LABELS[new.meta.language]
    old_numbers = {identifier: node.number for identifier, node in arrange(old).nodes.items()}
    new_numbers = {identifier: node.number for identifier, node in arrange(new).nodes.items()}

    def label(entity: str, identifier: str, numbers: dict[str, str]) -> str:
        """ "Maßnahme 2.1.3" for numbered items, the kind of item ("Kennzahl") for the others."""
        word = labels[entity]
        return f"{word} {numbers[identifier]}" if identifier in numbers else word

    def compare(entity: str, before: dict[str, Any], after: dict[str, Any], title: str = "title") -> None:
        """Changed items first, then added ones, then removed ones, each in document order."""
        for key, item in after.items():
            fields = tuple(_field_changes(before[key], item)) if key in before else ()
            if fields:
                log.changes.append(
                    Change(
                        "changed", entity, key, label(entity, key, new_numbers), _title(item, title), fields
                    )
                )
        for key, item in after.items():
            if key not in before:
                log.changes.append(
                    Change("added", entity, key, label(entity, key, new_numbers), _title(item, title))
                )
        for key, item in before.items():
            if key not in after:
                log.changes.append(
                    Change("removed", entity, key, label(entity, key, old_numbers), _title(item, title))
                )

    compare("theme", _by_id(old.themes), _by_id(new.themes))
    compare(
        "goal", _by_id(g for t in old.themes for g in t.goals), _by_id(g for t in new.themes for g in t.goals)
    )
    compare(
        "measure",
        _by_id(m for t in old.themes for m in t.measures),
        _by_id(m for t in new.themes for m in t.measures),
    )
    compare("quote", _by_id(old.quotes), _by_id(new.quotes), title="person")
    compare("event", _by_id(_events(old)), _by_id(_events(new)))
    compare("principle", {p.title: p for p in old.principles}, {p.title: p for p in new.principles})
    compare(
        "key_figure",
        {f.indicator: f for f in _key_figures(old)},
        {f.indicator: f for f in _key_figures(new)},
        title="indicator",
    )
    return log


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def _events(concept: Concept) -> list[Any]:
    return list(concept.process.events) if concept.process else []


def _key_figures(concept: Concept) -> list[Any]:
    return list(concept.starting_point.key_figures) if concept.starting_point else []


def _title(item: BaseModel, attribute: str) -> str:
    return str(getattr(item, attribute, ""))


def _field_changes(old: BaseModel, new: BaseModel) -> Iterator[FieldChange]:
    """Changed fields, nested ones named with dots (``timeframe.end``).

    Goals, measures, events and key figures inside an item are compared as items of their own.
    """
    before, after = _flat(old.model_dump(mode="json")), _flat(new.model_dump(mode="json"))
    for key in dict.fromkeys([*before, *after]):
        if before.get(key) != after.get(key):
            yield FieldChange(key, before.get(key, ""), after.get(key, ""))


# Lists of items that are themselves compared one by one
_NESTED = {"goals", "measures", "events", "key_figures"}


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in _NESTED and isinstance(value, list) and value and isinstance(value[0], dict):
            continue
        if isinstance(value, dict):
            flat.update(_flat(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(_show(v) for v in value)
        else:
            flat[name] = _show(value)
    return flat


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items() if v not in (None, "", [], False))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

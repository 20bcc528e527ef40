"""What changed between two versions of a concept, item by item, in document order.

The whole concept is compared by walking its model: the metadata, every
chapter, the themes with their goals and measures, the quotes, sources,
glossary and cross-cutting themes. An *item* is a part the document shows as
a unit (a measure, a key figure, the foreword …); items are matched by id, or
by what names them where they have none (a key figure by its indicator, a
principle by its title, a source by its text), so that a renamed title is a
change of that item, not a removal and an addition; an item named by its text
whose text was edited is matched with the most alike one of its kind.
Everything else inside an item is one of its fields, nested ones named with
dots (``timeframe.end``) and entries of a list by what names them
(``indicators[Teilnehmende].target``); an entry of such a list that comes or
goes is added or removed as a whole.

Values are compared as the document prints them, in its language: free text
as its words (bold as plain words, a link as its text, ``[[id]]`` as
"Maßnahme 2.1.3", a line wrapped in the inputs as a space), dates as dates,
numbers and amounts with their unit, currency and period. Values are never
cut; a long text changed in a few words carries the changed words, each mark
of punctuation a word of its own.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal

from ..model import Concept
from ..structure import Structure, arrange
from ..wording import Wording
from .items import NO_WORDS, Entry, Item, Numbers, Shown, kind_word

ChangeKind = Literal["added", "removed", "changed"]


WordKind = Literal["same", "removed", "added"]


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
    wording = Wording(new.concept.meta.language, new.concept.meta.district)
    numbers = (Numbers(old), Numbers(new))
    after = Shown(new.concept, numbers[1], wording).items()
    before = _renamed(Shown(old.concept, numbers[0], wording).items(), after)
    for key in _document_order(list(before), list(after)):
        old_item, new_item = before.get(key), after.get(key)
        item = new_item or old_item
        assert item is not None
        entity, identifier = key
        if not (numbers[1] if new_item else numbers[0]).shown(identifier):
            continue
        if new_item is None:
            label = (
                numbers[0].label(entity, identifier, wording) if item.numbered else kind_word(entity, wording)
            )
            log.changes.append(Change("removed", entity, identifier, label, item.title))
            continue
        label = (
            numbers[1].label(entity, identifier, wording) if new_item.numbered else kind_word(entity, wording)
        )
        if old_item is None:
            log.changes.append(Change("added", entity, identifier, label, item.title))
            continue
        old_label = numbers[0].label(entity, identifier, wording) if old_item.numbered else label
        fields = tuple(_field_changes(old_item.fields, new_item.fields))
        moved = old_label if old_label != label else ""
        if fields or moved:
            log.changes.append(Change("changed", entity, identifier, label, item.title, fields, moved))
    return log


SIMILAR = 0.6  # how alike two names must be for an item named by its text to count as edited


Items = dict[tuple[str, str], Item]


def _renamed(old: Items, new: Items) -> Items:
    """``old`` with each item named by its text (a source without id, a principle by its title) that
    is gone from ``new`` keyed as the most alike such new item of its kind, so that an edited source
    is a change of that source, not a removal and an addition."""
    gone = [key for key, item in old.items() if key not in new and item.named_by_text]
    came = [key for key, item in new.items() if key not in old and item.named_by_text]
    pairs = sorted(
        (
            (_likeness(before[1], after[1]), before, after)
            for before in gone
            for after in came
            if before[0] == after[0]
        ),
        reverse=True,
    )
    renamed: dict[tuple[str, str], tuple[str, str]] = {}
    for ratio, before, after in pairs:
        if ratio >= SIMILAR and before not in renamed and after not in renamed.values():
            renamed[before] = after
    return {renamed.get(key, key): item for key, item in old.items()}


def _likeness(old: str, new: str) -> float:
    """How alike two names are (0–1); 0 where the cheap upper bounds already fall short, so that a
    list rewritten as a whole is not compared letter by letter, pair by pair."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


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


def _field_changes(old: dict[str, str | Entry], new: dict[str, str | Entry]) -> Iterator[FieldChange]:
    for name in dict.fromkeys([*old, *new]):
        before, after = old.get(name), new.get(name)
        if isinstance(before, Entry) and isinstance(after, Entry):
            inner_old, inner_new = before.fields, after.fields
            for inner in dict.fromkeys([*inner_old, *inner_new]):
                yield from _changed(f"{name}.{inner}", inner_old.get(inner, ""), inner_new.get(inner, ""))
        elif isinstance(after, Entry):  # an entry of a list is named only by entries: it is new
            yield FieldChange(name, "", after.text, kind="added")
        elif isinstance(before, Entry):
            yield FieldChange(name, before.text, "", kind="removed")
        else:
            yield from _changed(name, before or "", after or "")


def _changed(name: str, before: str, after: str) -> Iterator[FieldChange]:
    if before == after:
        return
    if name.endswith("illustrative") and {before, after} <= {"", *NO_WORDS}:
        return  # a flag left out is false: not a change
    yield FieldChange(name, before, after, _words(before, after))


# A word (with the dots, commas, slashes and hyphens inside it: "30.000", "Q3/2025", "Kita-Plätze"), a
# web address, or a single mark of punctuation; each with the spaces after it. Punctuation is a token of
# its own, so that "Zuwanderung." → "Zuwanderung aus dem Ausland." adds three words, not a new word.
_TOKEN = re.compile(r"(https?://[^\s<>\[\]()\"']+[^\s<>\[\]()\"'.,;:!?]|\w+(?:[-.,:/'’]\w+)*|[^\w\s])(\s*)")


def _words(old: str, new: str) -> tuple[WordChange, ...]:
    """A long text changed in places: the words kept, removed and added, in order."""
    if not old or not new or (max(len(old), len(new)) < LONG_TEXT and "\n" not in old + new):
        return ()
    # tokens are compared without the spaces after them, so that spaces never anchor a match
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    words: list[WordChange] = []

    def add(kind: WordKind, tokens: list[tuple[str, str]]) -> None:
        text = "".join(token + space for token, space in tokens)
        if not text:
            return
        if words and words[-1].kind == kind:
            words[-1] = WordChange(kind, words[-1].text + text)
        else:
            words.append(WordChange(kind, text))

    matcher = difflib.SequenceMatcher(None, [t for t, _ in before], [t for t, _ in after], autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            kept = after[j1:j2]
            following = opcodes[index + 1][0] if index + 1 < len(opcodes) else ""
            if following == "delete":  # kept text before removed text: spaced as the old text was
                kept = [*kept[:-1], before[i2 - 1]]
            add("same", kept)
        else:
            add("removed", before[i1:i2])
            add("added", after[j1:j2])
    return tuple(words)

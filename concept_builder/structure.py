"""Stage 3: the shape of the document, decided once from a validated concept.

Numbers ("Handlungsfeld 2", "Ziel 2.1", "Maßnahme 2.1.3"), the bookmark each
numbered item gets, which measures serve which goal, and which measures a
document for one organisation keeps. The context, the charts, the change log
and ``diff`` all read this; none of them numbers anything again or parses a
number back out of text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from .errors import UsageError
from .model import Concept, Goal, Measure, Theme, municipality_name

ItemKind = Literal["theme", "goal", "measure"]
BOOKMARK_PREFIX = "cb_"
MAX_BOOKMARK = 40  # characters Word allows in a bookmark name


@dataclass(eq=False)
class Placed:
    """A numbered item of the document."""

    id: str
    number: str  # "2", "2.1", "2.1.3"
    anchor: str  # the bookmark that links to the item lead to

    @property
    def key(self) -> tuple[int, ...]:
        """For sorting in document order: (2, 1, 3)."""
        return tuple(int(part) for part in self.number.split("."))


@dataclass(eq=False)
class ThemeNode(Placed):
    theme: Theme
    goals: list[GoalNode] = field(default_factory=list)
    measures: list[MeasureNode] = field(default_factory=list)  # in number order


@dataclass(eq=False)
class GoalNode(Placed):
    goal: Goal
    theme: ThemeNode
    parent: GoalNode | None = None
    measures: list[MeasureNode] = field(default_factory=list)  # those serving it, in number order


@dataclass(eq=False)
class MeasureNode(Placed):
    measure: Measure
    theme: ThemeNode
    goals: list[GoalNode] = field(default_factory=list)  # as listed; the first gives the number


Node = ThemeNode | GoalNode | MeasureNode


@dataclass(frozen=True)
class Selection:
    """The measures a document for one organisation or municipality keeps."""

    name: str  # as the concept writes it
    measures: frozenset[str]  # ids


@dataclass(eq=False)
class Structure:
    """The numbered themes, goals and measures of a concept, and the selection of a document."""

    concept: Concept
    themes: list[ThemeNode]
    nodes: dict[str, Node]
    selection: Selection | None = None

    def kind(self, identifier: str) -> ItemKind:
        node = self.nodes[identifier]
        return "theme" if isinstance(node, ThemeNode) else "goal" if isinstance(node, GoalNode) else "measure"

    def measures(self) -> Iterator[MeasureNode]:
        """Every measure in document order."""
        for theme in self.themes:
            yield from theme.measures

    def goals(self) -> Iterator[GoalNode]:
        for theme in self.themes:
            yield from theme.goals

    def selected(self, measure: MeasureNode) -> bool:
        """Whether this document shows the measure: every one, or those of the selected organisation."""
        return self.selection is None or measure.id in self.selection.measures

    def selected_measures(self, theme: ThemeNode) -> list[MeasureNode]:
        return [m for m in theme.measures if self.selected(m)]

    def shown(self, identifier: str) -> bool:
        """Whether a document for the selection shows the item: a link to one it leaves out would be dead."""
        node = self.nodes[identifier]
        if isinstance(node, MeasureNode):
            return self.selected(node)
        theme = node if isinstance(node, ThemeNode) else node.theme
        return self.selection is None or bool(self.selected_measures(theme))


def arrange(concept: Concept, for_name: str | None = None) -> Structure:
    """Number every theme, goal and measure of ``concept`` and give each its bookmark.

    A goal is numbered by its theme and its place there; a measure by its
    theme, its first goal, and its place among the measures with that first
    goal. ``for_name`` selects the measures of one organisation or
    municipality (``UsageError`` with the closest names if none matches).
    """
    anchors = _Anchors()
    themes: list[ThemeNode] = []
    goals: dict[str, GoalNode] = {}
    nodes: dict[str, Node] = {}
    for t_index, theme in enumerate(concept.themes, 1):
        theme_node = ThemeNode(theme.id, str(t_index), anchors.name(theme.id), theme)
        themes.append(theme_node)
        for g_index, goal in enumerate(theme.goals, 1):
            goal_node = GoalNode(goal.id, f"{t_index}.{g_index}", anchors.name(goal.id), goal, theme_node)
            theme_node.goals.append(goal_node)
            goals[goal.id] = goal_node
        per_goal: dict[str, int] = {}
        for measure in theme.measures:
            primary = goals[measure.goals[0]]  # validation makes sure it is a goal of this theme
            per_goal[primary.id] = per_goal.get(primary.id, 0) + 1
            number = f"{primary.number}.{per_goal[primary.id]}"
            theme_node.measures.append(
                MeasureNode(measure.id, number, anchors.name(measure.id), measure, theme_node)
            )
        theme_node.measures.sort(key=lambda m: m.key)
    for theme_node in themes:
        nodes[theme_node.id] = theme_node
        for goal_node in theme_node.goals:
            nodes[goal_node.id] = goal_node
            parent = goal_node.goal.parent
            goal_node.parent = goals[parent] if parent else None
        for measure_node in theme_node.measures:
            nodes[measure_node.id] = measure_node
            measure_node.goals = [goals[g] for g in dict.fromkeys(measure_node.measure.goals)]
            for goal_node in measure_node.goals:
                goal_node.measures.append(measure_node)
    for goal_node in goals.values():
        goal_node.measures.sort(key=lambda m: m.key)
    structure = Structure(concept, themes, nodes)
    if for_name is not None:
        structure.selection = select(structure, for_name)
    return structure


# What stands between an organisation's name and one of its departments:
# "Landratsamt Oberwald – Amt für Migration", "Stadt Seesen, Fachbereich Soziales"
_DEPARTMENT = r"\s*(?:[–—,:/(]|\s-\s)"


_DASHES = re.compile(r"\s+[-‐‑‒–—−]\s+")  # "A - B", "A – B", "A — B": one dash between words
_DOT_SPACE = re.compile(r"\.\s+(?=\w\.)")  # "e. V." → "e.V.", "z. B." → "z.B."


def _folded(text: str) -> str:
    """For comparing names: case, runs of spaces, the kind of dash and spaces in abbreviations do not
    matter ("Brücke e. V." is "Brücke e.V.", "Amt - Ausländerbehörde" is "Amt – Ausländerbehörde").
    """
    text = " ".join(text.split())
    text = _DASHES.sub(" – ", text)
    return _DOT_SPACE.sub(".", text).casefold()


def select(structure: Structure, name: str) -> Selection:
    """The measures ``name`` takes part in: as lead, joint lead, partner, or as an area.

    Case, spacing, dashes and the spaces in "e. V." do not matter; an
    organisation's name also finds its departments ("Landratsamt Oberwald"
    finds "Landratsamt Oberwald – Amt für Migration"), and a municipality is
    found by its name alone where only one is so named ("Zellersdorf" finds
    "Gemeinde Zellersdorf"). The selection is named as the concept writes the
    name.
    """
    written: dict[str, str] = {}  # folded → as the concept writes it
    taking_part: dict[str, set[str]] = {}  # folded name → ids of the measures it takes part in
    for node in structure.measures():
        measure = node.measure
        for candidate in (*measure.lead, *measure.partners, *measure.area):
            folded = _folded(candidate)
            written.setdefault(folded, " ".join(candidate.split()))
            taking_part.setdefault(folded, set()).add(node.id)
    chosen, canonical = _taking_part(name, written, taking_part)
    if not chosen:
        # a municipality by its name alone: "Zellersdorf" for "Gemeinde Zellersdorf"
        organisations = {_organisation(text) for text in written.values()}
        kinds = sorted(o for o in organisations if _folded(municipality_name(o) or "") == _folded(name))
        if len(kinds) > 1:
            raise UsageError(
                f"{name!r} names several municipalities: {' and '.join(map(repr, kinds))}"
                " (give the whole name)"
            )
        if kinds:
            chosen, canonical = _taking_part(kinds[0], written, taking_part)
    if not chosen or canonical is None:
        organisations = {_organisation(text) for text in written.values()}
        known = sorted(set(written.values()) | organisations, key=str.casefold)
        folded_known = {_folded(k): k for k in known}
        wanted = _folded(name)
        close = [repr(folded_known[c]) for c in difflib.get_close_matches(wanted, list(folded_known), 3, 0.0)]
        suggestion = ", ".join(close[:-1]) + " or " + close[-1] if len(close) > 1 else "".join(close)
        raise UsageError(
            f"no measure is led by, carried out with or located in {name!r}"
            + (f" (did you mean {suggestion}?)" if suggestion else "")
        )
    return Selection(canonical, frozenset(chosen))


def _organisation(text: str) -> str:
    """The organisation of a name that may name a department ("Landratsamt Oberwald – Amt …")."""
    return re.split(_DEPARTMENT, text, maxsplit=1)[0].strip()


def _taking_part(
    name: str, written: dict[str, str], taking_part: dict[str, set[str]]
) -> tuple[set[str], str | None]:
    """The measures ``name`` or its departments take part in, and ``name`` as the concept writes it."""
    wanted = _folded(name)
    department = re.compile(re.escape(wanted) + _DEPARTMENT)
    as_written = re.compile("(" + re.escape(" ".join(name.split())) + ")" + _DEPARTMENT, re.IGNORECASE)
    chosen: set[str] = set(taking_part.get(wanted, ()))
    canonical = written.get(wanted)
    for folded, ids in taking_part.items():
        if department.match(folded):
            chosen |= ids
            if canonical is None:  # the organisation's name as the concept writes it before a department
                match = as_written.match(written[folded])
                organisation = _organisation(written[folded])
                if match:
                    canonical = match.group(1)
                elif _folded(organisation) == wanted:
                    canonical = organisation
                else:
                    canonical = " ".join(name.split())
    return chosen, canonical


class _Anchors:
    """Bookmark names for ids: Word allows letters, digits and _, at most 40 characters, each once."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def name(self, identifier: str) -> str:
        cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in identifier)
        name = f"{BOOKMARK_PREFIX}{cleaned}"[:MAX_BOOKMARK]
        counter = 1
        while name in self.taken:
            counter += 1
            name = f"{BOOKMARK_PREFIX}{cleaned}"[: MAX_BOOKMARK - 6] + f"_{counter}"
        self.taken.add(name)
        return name

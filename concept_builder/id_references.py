"""What a schema cannot say: ids are unique, references resolve, free text refers to what exists.

These checks read the loaded data rather than the typed concept, so that they
run – and report – even where other parts of the inputs failed the schema.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from .check.docx_content import VAGUE_LINK_TEXTS
from .errors import Problem
from .load import Path_, RawConcept, dotted
from .markdown import EXAMPLE_MARK, REFERENCE, SAFE_SCHEMES, links
from .schema import is_markdown


def _entries(data: Any, *keys: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in the list at ``data[key1][key2]…``, with their positions."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        return []
    return [(index, item) for index, item in enumerate(data) if isinstance(item, dict)]


def _id(item: dict[str, Any]) -> str | None:
    """An item's id where it is text; the schema reports any other value."""
    value = item.get("id")
    return value if isinstance(value, str) else None


def _refs(item: dict[str, Any], key: str) -> list[tuple[int, str]]:
    values = item.get(key)
    if isinstance(values, str):  # the schema says it should be a list; the reference is checked all the same
        values = [values]
    if not isinstance(values, list):
        return []
    return [(index, value) for index, value in enumerate(values) if isinstance(value, str)]


def reference_problems(raw: RawConcept) -> Iterator[Problem]:
    data = raw.data

    def problem(path: Path_, message: str, hint: str | None = None, severity: str = "error") -> Problem:
        return Problem(raw.location(path), dotted(path), message, hint, severity, path)  # type: ignore[arg-type]

    def unknown(path: Path_, ref: str, kind: str, known: Iterable[Any]) -> Iterator[Problem]:
        if raw.lost(ref):  # written in a file that could not be read: that file is the problem
            return
        candidates = [k for k in known if isinstance(k, str)]
        match = difflib.get_close_matches(ref, candidates, n=1, cutoff=0.6)
        hint = f"did you mean '{match[0]}'?" if match else f"no {kind} has this id"
        yield problem(path, f"refers to {kind} {ref!r}, which does not exist", hint)

    owners: dict[str, Path_] = {}
    for path, identifier in _ids(data):
        if identifier in owners:
            first = raw.location(owners[identifier])
            yield problem(
                path, f"id {identifier!r} is used twice (first at {first})", "every id must be unique"
            )
        else:
            owners[identifier] = path

    themes = _entries(data, "themes")
    theme_ids = {_id(t) for _, t in themes}
    event_ids = {_id(e) for _, e in _entries(data, "process", "events")}
    cross = {_id(c) for _, c in _entries(data, "cross_cutting_themes")}
    goal_theme = {_id(g): _id(t) for _, t in themes for _, g in _entries(t, "goals")}

    served: set[str] = set()
    for t_index, theme in themes:
        base: Path_ = ("themes", t_index)
        goals = _entries(theme, "goals")
        for index, ref in _refs(theme, "cross_cutting"):
            if ref not in cross:
                yield from unknown(base + ("cross_cutting", index), ref, "cross-cutting theme", cross)
        for g_index, goal in goals:
            parent = goal.get("parent")
            parent_path = base + ("goals", g_index, "parent")
            ids = [g.get("id") for _, g in goals if isinstance(g.get("id"), str)]
            if isinstance(parent, str) and parent in goal_theme and goal_theme[parent] != _id(theme):
                yield problem(
                    parent_path,
                    f"refers to goal {parent!r} of theme {goal_theme[parent]!r};"
                    " a parent must be a goal of the same theme",
                    f"name one of {', '.join(map(repr, ids))}, or move the goal to theme"
                    f" {goal_theme[parent]!r}"
                    if ids
                    else f"move the goal to theme {goal_theme[parent]!r}",
                )
            elif isinstance(parent, str) and parent not in goal_theme:
                yield from unknown(parent_path, parent, "goal of this theme", ids)
        for m_index, measure in _entries(theme, "measures"):
            m_path = base + ("measures", m_index)
            for index, ref in _refs(measure, "goals"):
                if ref not in goal_theme:
                    yield from unknown(m_path + ("goals", index), ref, "goal", goal_theme)
                elif index == 0 and goal_theme[ref] != _id(theme):
                    yield problem(
                        m_path + ("goals", 0),
                        f"the first goal {ref!r} belongs to another theme",
                        "list a goal of this theme first: it gives the measure its number",
                    )
                served.add(ref)
            for index, ref in _refs(measure, "cross_cutting"):
                if ref not in cross:
                    yield from unknown(m_path + ("cross_cutting", index), ref, "cross-cutting theme", cross)
        if not goals:
            yield problem(base, f"theme {theme.get('id')!r} has no goals yet", severity="warning")
    for t_index, theme in themes:
        goals = _entries(theme, "goals")
        parents = {g.get("parent") for _, g in goals if isinstance(g.get("parent"), str)}
        for g_index, goal in goals:
            if _id(goal) not in served and _id(goal) not in parents:
                yield problem(
                    ("themes", t_index, "goals", g_index),
                    f"goal {goal.get('id')!r} has no measures yet",
                    "add a measure whose goals list this id",
                    "warning",
                )
    for q_index, quote in _entries(data, "quotes"):
        for index, ref in _refs(quote, "themes"):
            if ref not in theme_ids:
                yield from unknown(("quotes", q_index, "themes", index), ref, "theme", theme_ids)
        event = quote.get("event")
        if isinstance(event, str) and event not in event_ids:
            yield from unknown(("quotes", q_index, "event"), event, "event", event_ids)
    for e_index, event in _entries(data, "process", "events"):
        for r_index, result in _entries(event, "results"):
            theme_ref = result.get("theme")
            if isinstance(theme_ref, str) and theme_ref not in theme_ids:
                path = ("process", "events", e_index, "results", r_index, "theme")
                yield from unknown(path, theme_ref, "theme", theme_ids)


def free_text_problems(raw: RawConcept) -> Iterator[Problem]:
    """``[[id]]`` references must name a theme, goal or measure; links must be web or mail links."""
    referable: list[str] = []
    for _, theme in _entries(raw.data, "themes"):
        for item in (
            [theme] + [g for _, g in _entries(theme, "goals")] + [m for _, m in _entries(theme, "measures")]
        ):
            if isinstance(item.get("id"), str):
                referable.append(item["id"])
    known = set(referable)
    for path, text in _strings(raw.data, ()):
        if "[" not in text or not is_markdown(path):
            continue
        for ref in REFERENCE.findall(text):
            if ref not in known and ref != EXAMPLE_MARK and not raw.lost(ref):
                match = difflib.get_close_matches(ref, referable, n=1, cutoff=0.6)
                hint = f"did you mean '{match[0]}'?" if match else "[[id]] refers to a theme, goal or measure"
                yield Problem(
                    raw.location(path),
                    dotted(path),
                    f"[[{ref}]] refers to an id that does not exist",
                    hint,
                    path=path,
                )
        for words, target in links(text):
            if not target.startswith(SAFE_SCHEMES):
                yield Problem(
                    raw.location(path),
                    dotted(path),
                    f"the link target {target!r} is not allowed",
                    "links must start with https://, http:// or mailto:",
                    path=path,
                )
            elif " ".join(words.split()).casefold() in VAGUE_LINK_TEXTS:
                yield Problem(
                    raw.location(path),
                    dotted(path),
                    f"the link text {words.strip()!r} says nothing on its own: a screen reader's list of"
                    " links reads it without the sentence around it",
                    f"name the target in the link, e.g. [Integrationsportal des Landkreises]({target})",
                    "warning",
                    path=path,
                )


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, path + (index,))


def _ids(data: Any) -> Iterator[tuple[Path_, str]]:
    lists: list[tuple[Path_, list[tuple[int, dict[str, Any]]]]] = [
        (("cross_cutting_themes",), _entries(data, "cross_cutting_themes")),
        (("process", "events"), _entries(data, "process", "events")),
    ]
    for t_index, theme in _entries(data, "themes"):
        lists.append((("themes",), [(t_index, theme)]))
        lists.append((("themes", t_index, "goals"), _entries(theme, "goals")))
        lists.append((("themes", t_index, "measures"), _entries(theme, "measures")))
    lists.append((("quotes",), _entries(data, "quotes")))
    lists.append((("sources",), _entries(data, "sources")))
    for base, entries in lists:
        for index, item in entries:
            if isinstance(item.get("id"), str):
                yield base + (index, "id"), item["id"]

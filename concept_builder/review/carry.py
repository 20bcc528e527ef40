"""From the document's text to the input's: a tracked change carried to the same place in the value's
source, so that Markdown's emphasis, lists and links around it stay as they were."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .remarks import short


@dataclass(frozen=True)
class TextChange:
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


def changes_of(old: str, new: str) -> list[TextChange]:
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
    return [TextChange(i1, i2, new[j1:j2], old[i1:i2]) for i1, i2, j1, j2 in found]


def apply_opcodes(old: str, new: str, target: str) -> str | None:
    """``target`` with the changes that turn ``old`` into ``new``, placed by aligning ``old`` and
    ``target``; None where one of them does not fit."""
    if old == target:
        return new
    carried, _, failed = carry(old, new, target)
    return None if failed else carried


def carry(old: str, new: str, target: str, *, markdown: bool = False) -> tuple[str, str, list[TextChange]]:
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
    failed: list[TextChange] = []
    for found in changes_of(old, new):
        for change in alike(old, found):
            where = place_of(blocks, target, change)
            if where is not None:
                break
        else:
            failed.append(found)
            continue
        start, end = where
        text = change.text
        if markdown and "\n" in text:
            start, end, text = new_blocks(target, start, end, text)
        placed.append((start, end, text))
        shown.append((change.start, change.end, change.text))
    return replaced(target, placed), replaced(old, shown), failed


def place_of(blocks: list[Any], target: str, change: TextChange) -> tuple[int, int] | None:
    """Where ``change`` goes in ``target``: an insertion where its place is, other changes where
    ``target`` has the very text they replace (not cut by Markdown)."""
    if change.start == change.end:
        start = mapped_position(blocks, change.start, at_end=True)
        return None if start is None else (start, start)
    start = mapped_position(blocks, change.start, at_end=False)
    last = mapped_position(blocks, change.end - 1, at_end=False)
    if start is None or last is None or target[start : last + 1] != change.old:
        return None
    return start, last + 1


def alike(old: str, change: TextChange) -> Iterator[TextChange]:
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
            yield TextChange(start, end, "" if change.old else text, old[start:end] if change.old else "")


def replaced(text: str, replacements: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    return text


_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def new_blocks(source: str, start: int, end: int, text: str) -> tuple[int, int, str]:
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


def mapped_position(blocks: list[Any], position: int, *, at_end: bool) -> int | None:
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

"""Heading numbering: which headings a design numbers itself, and the numbers Word shows for them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .styles import Styles
from .vocabulary import W, number

#
# A design may number its headings through a list bound to the heading styles
# ("1.2 Ziele"). Word writes such numbers only when it lays out the page, so
# the contents we fill in count them the way Word does: one counter per list
# level, a level restarting when a level above it moves on.


@dataclass(frozen=True)
class ListLevel:
    format: str  # Word's numFmt: decimal, upperRoman, lowerLetter …
    text: str  # the label pattern, "%1.%2"
    start: int
    legal: bool  # isLgl: every level's number in decimal


@dataclass(frozen=True)
class OutlineLevel:
    """The list that numbers a heading style, the style's level in it, and the list's levels."""

    list_id: str
    level: int
    levels: tuple[ListLevel | None, ...]


def outline_numbering(
    styles: Styles, numbering: etree._Element | None, headings: dict[str, int]
) -> dict[str, OutlineLevel]:
    if numbering is None:
        return {}
    abstracts = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
    instances = {}
    for instance in numbering.iter(f"{W}num"):
        abstract = instance.find(f"{W}abstractNumId")
        if abstract is not None and abstract.get(f"{W}val") in abstracts:
            instances[instance.get(f"{W}numId")] = abstracts[abstract.get(f"{W}val")]
    found: dict[str, OutlineLevel] = {}
    for style_id in headings:
        list_id = styles.numbering_id(style_id)
        if list_id is None or list_id not in instances:
            continue
        abstract = instances[list_id]
        levels: list[ListLevel | None] = [None] * 9
        own_level = None
        for element in abstract.findall(f"{W}lvl"):
            index = number(element.get(f"{W}ilvl"), 0)
            if not 0 <= index < 9:
                continue
            levels[index] = ListLevel(
                _value(element, "numFmt", "decimal"),
                _value(element, "lvlText", ""),
                number(_value(element, "start", "1"), 1),
                element.find(f"{W}isLgl") is not None,
            )
            bound = element.find(f"{W}pStyle")
            if bound is not None and bound.get(f"{W}val") == style_id:
                own_level = index
        numbered_by = next(s for s in styles.chain(style_id) if s.find(f"{W}pPr/{W}numPr") is not None)
        level_element = numbered_by.find(f"{W}pPr/{W}numPr/{W}ilvl")
        if level_element is not None:
            own_level = number(level_element.get(f"{W}val"), 0)
        found[style_id] = OutlineLevel(list_id, min(max(own_level or 0, 0), 8), tuple(levels))
    return found


class OutlineCounter:
    """The labels Word gives numbered headings, in document order."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int | None]] = {}

    def label(self, outline: OutlineLevel) -> str:
        """The next label of a heading numbered by ``outline``; empty where Word would show none."""
        counts = self.counts.setdefault(outline.list_id, [None] * 9)
        own = outline.levels[outline.level]
        if own is None:
            return ""
        current = counts[outline.level]
        counts[outline.level] = own.start if current is None else current + 1
        for deeper in range(outline.level + 1, 9):
            counts[deeper] = None
        if own.format == "bullet":
            return ""

        def replace(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            level = outline.levels[index]
            value = counts[index]
            if value is None:
                value = level.start if level else 1
            kind = "decimal" if own.legal or level is None else level.format
            return format_number(value, kind)

        return _LEVEL_REFERENCE.sub(replace, own.text)


_LEVEL_REFERENCE = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def format_number(value: int, kind: str) -> str:
    """``value`` as a list level of format ``kind`` shows it (Word's numFmt names)."""
    if kind in ("upperRoman", "lowerRoman") and value > 0:
        roman = ""
        for amount, letters in _ROMAN:
            while value >= amount:
                roman += letters
                value -= amount
        return roman if kind == "upperRoman" else roman.lower()
    if kind in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)  # Word: A … Z, AA … ZZ
        return letter if kind == "upperLetter" else letter.lower()
    if kind == "decimalZero":
        return f"{value:02d}"
    if kind == "none":
        return ""
    return str(value)


def _value(element: etree._Element, name: str, default: str) -> str:
    child = element.find(f"{W}{name}")
    value = child.get(f"{W}val") if child is not None else None
    return str(value) if value is not None else default

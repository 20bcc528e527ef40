"""The .docx rules on structure: headings in order, real lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..word import W, number
from .docx_file import WordFile, text_of
from .findings import Finding

TYPED_LIST = re.compile(r"^\s*(?:[•·▪◦‣\-–*]|\d{1,2}[.)])\s+\S")


def outline_level(word: WordFile, paragraph: Any) -> int | None:
    direct = paragraph.find(f"{W}pPr/{W}outlineLvl")
    if direct is not None:
        value = number(direct.get(f"{W}val"), 9)
        return value + 1 if value < 9 else None
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return word.styles.outline_level(style.get(f"{W}val") if style is not None else None)


def is_list(word: WordFile, paragraph: Any) -> bool:
    if paragraph.find(f"{W}pPr/{W}numPr") is not None:
        return True
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return word.styles.numbered(style.get(f"{W}val") if style is not None else None)


def headings(word: WordFile) -> Iterator[Finding]:
    previous = 0
    for paragraph in word.body.paragraphs:
        level = outline_level(word, paragraph)
        if level is None:
            continue
        if level > previous + 1:
            yield Finding(
                "heading-order",
                word.body.where(paragraph),
                f"Heading {level} follows " + (f"Heading {previous}" if previous else "no heading"),
                f"use Heading {previous + 1} here, or add the missing level above",
            )
        previous = level


def typed_lists(word: WordFile) -> Iterator[Finding]:
    typed_before = False
    for paragraph in word.body.root.iterchildren(f"{W}p"):
        typed = bool(TYPED_LIST.match(text_of(paragraph))) and not is_list(word, paragraph)
        if typed and typed_before:  # two in a row make a list; one may be a dash before a name
            yield Finding(
                "typed-list",
                word.body.where(paragraph),
                "list items are typed, not a real list",
                "use a bullet or numbered list style",
            )
        typed_before = typed

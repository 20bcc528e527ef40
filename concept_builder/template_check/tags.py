"""Before rendering: a template read tag by tag, with the place of each, and what would go wrong
found there – unclosed tags and blocks, text beside a paragraph tag, prepared content in the wrong
kind of tag, an expression Jinja cannot read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docx.document import Document as WordDocument
from jinja2 import Environment, TemplateSyntaxError
from lxml import etree

from ..word import W, pictures
from .kinds import FOR, Kinds, field_path, fragment_in_wrong_tag, value_part
from .places import (
    PART_NAME,
    SHOWN,
    Diagnosis,
    Place,
    Tag,
    straighten_quotes,
)

PARAGRAPH_LEVELS = ("p", "tr", "tc")  # tags that stand for their whole paragraph, row or cell
OPENERS = {"for", "if", "macro", "call", "filter", "with", "autoescape", "raw", "block"}
MIDDLES = {"elif": ("if",), "else": ("if", "for")}

_OPENING = re.compile(r"\{[{%#]")
_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
_STRAY_CLOSING = re.compile(r"\}\}|%\}|#\}")
_LEVEL = re.compile(r"^(tr|tc|p|r)\s")


# --- before rendering --------------------------------------------------------------------------


def diagnose(docx: WordDocument, environment: Environment, kinds: Kinds) -> Diagnosis:
    """Read every tag of the template ``docx`` (a python-docx document) and find what would go wrong.

    ``kinds`` says what the fields of the context hold – prepared paragraphs,
    prepared runs, an image or plain text –, as ``prepared_kinds`` finds them.
    """
    diagnosis = Diagnosis()
    for name, root in _parts(docx):
        part_tags: list[Tag] = []
        paragraphs = list(_paragraphs(name, root))
        for place, _ in paragraphs:
            diagnosis.places[(name, place.paragraph)] = place
            tags, problems = _tags(place.text, place)
            diagnosis.errors += problems
            diagnosis.errors += _lost_text(place.text, tags)
            part_tags += tags
        diagnosis.errors += _blocks(part_tags)
        diagnosis.tags += part_tags
        diagnosis.warnings += _pictures_without_alt(root, {id(p): place for place, p in paragraphs})
    aliases: dict[str, str | None] = {}  # loop variables → the field they go through ("themes[]")
    for tag in diagnosis.tags:
        diagnosis.errors += _syntax(tag, environment)
        diagnosis.errors += fragment_in_wrong_tag(tag, kinds, aliases)
        loop = FOR.match(tag.content) if tag.opening == "{%" else None
        if loop is not None:
            through = field_path(value_part(loop.group(2)).strip(), aliases)
            aliases[loop.group(1)] = through + "[]" if through else None
    return diagnosis


def _parts(docx: WordDocument) -> Iterator[tuple[str, etree._Element]]:
    """The body, then each header, footer and the footnotes, with the name a message gives it."""
    yield "body", docx.element.body
    for part in docx.part.package.iter_parts():
        match = PART_NAME.match(str(part.partname))
        if match and hasattr(part, "element"):
            yield label(match), part.element


def label(match: re.Match[str]) -> str:
    return f"{match.group(1)} {match.group(2) or 1}"


def _paragraphs(part: str, root: etree._Element) -> Iterator[tuple[Place, Any]]:
    """Every paragraph of a part with its place, table cells included."""
    every_table = list(root.iter(f"{W}tbl"))  # held, so that the proxies keep their ids
    tables = {id(table): number for number, table in enumerate(every_table, 1)}
    for number, paragraph in enumerate(root.iter(f"{W}p"), 1):
        text = "".join(node.text or "" for node in paragraph.iter(f"{W}t"))
        cell = None
        tc = next(paragraph.iterancestors(f"{W}tc"), None)
        if tc is not None:
            row = tc.getparent()
            table = row.getparent() if row is not None else None
            if row is not None and table is not None and table.tag == f"{W}tbl":
                cell = (
                    tables.get(id(table), 0),
                    table.index(row) - _non_rows_before(table, row) + 1,
                    row.index(tc) - _non_cells_before(row, tc) + 1,
                )
        yield Place(part, number, cell, text), paragraph


def _pictures_without_alt(root: etree._Element, places: dict[int, Place]) -> list[str]:
    """A picture of the template itself (a logo, a letterhead) that tells readers nothing.

    Word reads a picture's alt text, LibreOffice – and so the tagged PDF – its
    title; without either the PDF has a figure without alternative text, and
    with only one ``check`` reports it as well.
    """
    found = []
    for picture in pictures(root):
        missing, fix = picture.unread
        if not missing:
            continue
        place = places.get(id(picture.paragraph))
        where = str(place) if place is not None else "a picture outside any paragraph"
        if picture.description or picture.title:
            found.append(
                f"{where}: {'a text box' if picture.text_box else 'a picture'} has {missing} ({fix})"
            )
            continue
        if picture.text_box:
            found.append(
                f"{where}: a text box has no alternative text: its PDF tags it as a figure without any,"
                " and is no PDF/UA (put its text into an ordinary paragraph of the template)"
            )
            continue
        found.append(
            f"{where}: a picture has no alternative text: readers of the document and its PDF learn"
            " nothing from it (right-click it in Word › Edit Alt Text, and describe it or mark it as"
            " decorative)"
        )
    return found


def _non_rows_before(table: etree._Element, row: etree._Element) -> int:
    return sum(1 for child in list(table)[: table.index(row)] if child.tag != f"{W}tr")


def _non_cells_before(row: etree._Element, cell: etree._Element) -> int:
    return sum(1 for child in list(row)[: row.index(cell)] if child.tag != f"{W}tc")


def _tags(text: str, place: Place) -> tuple[list[Tag], list[str]]:
    """The tags of a paragraph's text, and the tags that are not closed or not opened."""
    tags: list[Tag] = []
    problems: list[str] = []
    outside: list[str] = []
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        outside.append(text[position : opening.start()])
        delimiter = opening.group(0)
        closing = _CLOSING[delimiter]
        end = text.find(closing, opening.end())
        following = _OPENING.search(text, opening.end())
        if end < 0 or (following is not None and following.start() < end):
            stop = following.start() if following is not None else len(text)
            written = text[opening.start() : stop].strip()
            problems.append(
                f"{place}: the tag “{written}” is not closed: “{closing}” is missing"
                + (" (one brace of it?)" if delimiter == "{{" and written.endswith("}") else "")
            )
            position = stop
            continue
        written = text[opening.start() : end + len(closing)]
        inner = text[opening.end() : end]
        level = _LEVEL.match(inner)
        content = inner[level.end() :] if level else inner
        tags.append(Tag(delimiter, level.group(1) if level else "", content.strip(), written, place))
        position = end + len(closing)
    outside.append(text[position:])
    for piece in outside:
        stray = _STRAY_CLOSING.search(piece)
        if stray is not None:
            problems.append(
                f"{place}: “{stray.group(0)}” closes a tag that was never opened (an opening brace missing?)"
            )
    return tags, problems


def _lost_text(text: str, tags: list[Tag]) -> list[str]:
    """A paragraph tag stands for its whole paragraph: any text or other tag beside it is dropped."""
    whole = [tag for tag in tags if tag.level in PARAGRAPH_LEVELS]
    if not whole:
        return []
    tag = whole[0]
    rest = text.replace(tag.written, "", 1).strip()
    if not rest:
        return []
    element = {"p": "paragraph", "tr": "table row", "tc": "table cell"}[tag.level]
    return [
        f"{tag.place}: “{rest[:SHOWN]}” beside {tag.written} is lost: a {{%{tag.level} …%}} tag replaces"
        f" its whole {element}; put it in a paragraph of its own, or write {tag.opening} … without"
        f" “{tag.level}” to keep the text"
    ]


def _blocks(tags: list[Tag]) -> list[str]:
    """Blocks that are never closed, closed by the wrong tag, or end tags without a block."""
    problems: list[str] = []
    open_blocks: list[Tag] = []
    for tag in tags:
        if tag.opening != "{%":
            continue
        keyword = tag.keyword
        if keyword in OPENERS or (keyword == "set" and "=" not in tag.content):
            open_blocks.append(tag)
        elif keyword in MIDDLES:
            if not open_blocks or open_blocks[-1].keyword not in MIDDLES[keyword]:
                problems.append(
                    f"{tag.place}: {tag.written} stands outside any {' or '.join(MIDDLES[keyword])}"
                )
            else:
                problems += _other_level(tag, open_blocks[-1])
        elif keyword.startswith("end"):
            wanted = keyword[3:]
            if open_blocks and open_blocks[-1].keyword == wanted:
                problems += _other_level(tag, open_blocks.pop())
            elif open_blocks:
                block = open_blocks[-1]
                problems.append(
                    f"{tag.place}: {tag.written} closes {block.written}, which needs end{block.keyword}"
                    f" (opened at {block.place})"
                )
                open_blocks.pop()
            else:
                problems.append(f"{tag.place}: {tag.written} ends a block that was never opened")
    for block in open_blocks:
        problems.append(
            f"{block.place}: {block.written} is never closed: {{% end{block.keyword} %}} is missing"
        )
    return problems


def _other_level(tag: Tag, block: Tag) -> list[str]:
    """A block opened by a tag of one kind (``{%p``, ``{%tr``, ``{%r``, ``{%``) and closed by another.

    Each kind stands for its paragraph, row, run or a place inside the text; a
    block whose ends are of different kinds cuts the document's structure
    apart, and Word would not open what it renders.
    """
    if tag.level == block.level:
        return []
    wanted = "{%" + (block.level + " " if block.level else " ") + tag.content + " %}"
    return [
        f"{tag.place}: {tag.written} belongs to {block.written} (opened at {block.place}), which is"
        f" {_LEVEL_NAMES[block.level]}: write {wanted} – both ends of a block are tags of the same kind"
    ]


_LEVEL_NAMES = {
    "": "a tag inside the text",
    "p": "a paragraph tag ({%p)",
    "r": "a run tag ({%r)",
    "tr": "a table row tag ({%tr)",
    "tc": "a table cell tag ({%tc)",
}


def _syntax(tag: Tag, environment: Environment) -> list[str]:
    """An expression Jinja cannot read, found at its own tag rather than at the template's end."""
    if tag.opening == "{#":
        return []
    keyword = tag.keyword
    if tag.opening == "{{":
        source = "{{ " + tag.content + " }}"
    elif keyword in OPENERS or (keyword == "set" and "=" not in tag.content):
        source = "{% " + tag.content + " %}{% end" + keyword + " %}"
    elif keyword == "elif":
        source = "{% if true %}{% " + tag.content + " %}{% endif %}"
    elif keyword == "set":
        source = "{% " + tag.content + " %}"
    else:
        return []  # else, end tags and the like: the block check has read them
    try:
        environment.parse(straighten_quotes(source))
    except TemplateSyntaxError as exc:
        return [f"{tag.place}: {tag.written}: template syntax error: {exc.message}"]
    return []


# --- failures of rendering -------------------------------------------------------------------


# --- paragraph markers -------------------------------------------------------------------------


# --- after rendering ---------------------------------------------------------------------------
# The rendered body is scanned as bytes (a large concept's body is tens of megabytes; a tree of it would
# cost seconds): these patterns rely on the compact XML the render stage writes, as its unit tests show.

"""The .docx rules on structure: headings in order, real lists, real headings and labels, style names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import counted
from ..word import PARAGRAPH_ROLES, W, number, text_of
from .docx_file import WordFile, blocks
from .findings import Finding, places
from .structure_types import REMAPPED_TO, remapped_style

TYPED_LIST = re.compile(r"^\s*(?:[•·▪◦‣\-–*]|\d{1,2}[.)])\s+\S")
MAX_LABEL = 60  # characters: a bold paragraph this short, followed by text, reads as a heading or label
LARGER = 1.2  # a short paragraph in type this much larger than its style's, followed by text, is a heading
WORDS = re.compile(r"\w")  # a run with letters or digits; a colon or a space alone labels nothing
FALSE = ("0", "false", "off")
# The contents' styles by any of their names ("toc 1", "Verzeichnis 1"), and Word's own for levels 4–9
CONTENTS_STYLES = {
    name.casefold() for role, names in PARAGRAPH_ROLES.items() if role.startswith("toc_") for name in names
} | {f"toc {level}" for level in range(1, 10)}


def outline_level(word: WordFile, paragraph: etree._Element) -> int | None:
    direct = paragraph.find(f"{W}pPr/{W}outlineLvl")
    if direct is not None:
        value = number(direct.get(f"{W}val"), 9)
        return value + 1 if value < 9 else None
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return word.styles.outline_level(style.get(f"{W}val") if style is not None else None)


def is_list(word: WordFile, paragraph: etree._Element) -> bool:
    number = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
    if number is not None:
        return str(number.get(f"{W}val")) != "0"  # 0: the paragraph switches its style's list off
    if paragraph.find(f"{W}pPr/{W}numPr") is not None:
        return True
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return word.styles.numbered(style.get(f"{W}val") if style is not None else None)


def is_contents(word: WordFile, paragraph: etree._Element) -> bool:
    """A contents entry ("2. Anlass und Auftrag 3"): numbered by the heading it lists, not a list."""
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    if style is None or style.get(f"{W}val") not in word.styles.by_id:
        return False
    return any(
        word.styles.name(str(definition.get(f"{W}styleId"))).casefold() in CONTENTS_STYLES
        for definition in word.styles.chain(style.get(f"{W}val"))
    )


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
    for paragraph in (block for block in blocks(word.body.root) if block.tag == f"{W}p"):
        typed = (
            bool(TYPED_LIST.match(text_of(paragraph)))
            and not is_list(word, paragraph)
            and not is_contents(word, paragraph)
        )
        if typed and typed_before:  # two in a row make a list; one may be a dash before a name
            yield Finding(
                "typed-list",
                word.body.where(paragraph),
                "list items are typed, not a real list",
                "use a bullet or numbered list style",
            )
        typed_before = typed


# --- bold by direct formatting ----------------------------------------------------------------------


def bold_labels(word: WordFile) -> Iterator[Finding]:
    """Short paragraphs made bold run by run: headings and labels that readers cannot find as such.

    So too a short paragraph set in larger type by direct formatting: it looks like a heading and is
    none for a reader.
    """
    for paragraph in _followed_paragraphs(word.body.root):
        if _bold_label(word, paragraph):
            yield Finding(
                "bold-label",
                word.body.where(paragraph),
                "a short paragraph is made bold by direct formatting and stands as a heading or label",
                "give it a heading or a paragraph style such as “Label” instead of bold",
            )
        elif _larger(word, paragraph):
            yield Finding(
                "size-heading",
                word.body.where(paragraph),
                "a short paragraph is set in larger type by direct formatting and stands as a heading",
                "give it a heading style (Heading 1, 2 …) instead of a larger font size",
            )
    tables: list[int] = []
    labels: list[str] = []
    for index, table in enumerate(word.body.root.iter(f"{W}tbl"), 1):
        found = [text_of(cell).strip() for cell in _label_cells(word, table)]
        if found:
            tables.append(index)
            labels += found
    if labels:
        distinct = list(dict.fromkeys(labels))
        shown = ", ".join(f"“{label}”" for label in distinct[:3]) + (", …" if len(distinct) > 3 else "")
        yield Finding(
            "bold-label",
            places("table", tables),
            f"{counted(len(labels), 'cell')} hold a label made bold by direct formatting ({shown})",
            "use a paragraph style for labels, e.g. “Label”, or a character style such as “Strong”, not bold",
        )


def _followed_paragraphs(root: etree._Element) -> list[etree._Element]:
    """The paragraphs that text or a table follows: a heading or label stands before something.

    Empty paragraphs between are passed over: they make space below a heading,
    they do not end it.
    """
    followed: list[etree._Element] = []
    content_below = False
    for block in reversed(list(blocks(root))):
        if block.tag == f"{W}tbl":
            content_below = True
        elif text_of(block).strip():
            if content_below:
                followed.append(block)
            content_below = True
    return followed[::-1]


def _label_cells(word: WordFile, table: etree._Element) -> Iterator[Any]:
    """Cells beside others in a row that is not a header row, holding one bold paragraph."""
    for row in table.iterchildren(f"{W}tr"):
        cells = row.findall(f"{W}tc")
        if row.find(f"{W}trPr/{W}tblHeader") is not None or len(cells) < 2:
            continue
        for cell in cells:
            paragraphs = [block for block in blocks(cell) if block.tag == f"{W}p"]
            if len(paragraphs) == 1 and _bold_label(word, paragraphs[0]):
                yield cell


def _short_text(word: WordFile, paragraph: etree._Element) -> list[Any]:
    """The runs with words of a short paragraph that is no heading and no list item; else none."""
    text = text_of(paragraph).strip()
    if not text or len(text) > MAX_LABEL or outline_level(word, paragraph) or is_list(word, paragraph):
        return []
    return [run for run in paragraph.iter(f"{W}r") if WORDS.search(text_of(run))]


def _bold_label(word: WordFile, paragraph: etree._Element) -> bool:
    runs = _short_text(word, paragraph)
    if not runs or _style_bold(word, paragraph):
        return False  # bold through its style: the style says what it is
    return all(_directly_bold(run) for run in runs)


def _larger(word: WordFile, paragraph: etree._Element) -> bool:
    """Whether every run with words is set larger than the paragraph's style by direct formatting."""
    runs = _short_text(word, paragraph)
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    style_size = word.styles.text_format(style.get(f"{W}val") if style is not None else None).size_pt
    sizes = [run.find(f"{W}rPr/{W}sz") for run in runs]
    return bool(runs) and all(
        size is not None and number(size.get(f"{W}val"), 0) / 2 >= LARGER * style_size for size in sizes
    )


def _directly_bold(run: etree._Element) -> bool:
    bold = run.find(f"{W}rPr/{W}b")
    return bold is not None and bold.get(f"{W}val") not in FALSE


def _style_bold(word: WordFile, paragraph: etree._Element) -> bool:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    style_id = style.get(f"{W}val") if style is not None else word.styles.default_paragraph
    for definition in word.styles.chain(style_id):
        bold = definition.find(f"{W}rPr/{W}b")
        if bold is not None:
            return bold.get(f"{W}val") not in FALSE
    return False


# --- style names -------------------------------------------------------------------------------------


def style_names(word: WordFile) -> Iterator[Finding]:
    """Styles in use named like a PDF standard structure type: LibreOffice remaps the type itself.

    A paragraph style “Quote” becomes the tag Quote, remapped to P – which
    PDF/UA forbids. Word's own lower-case names (“caption”, “header”) differ
    from the types, and a paragraph style “P” or a character style “Span”
    stays what it is.
    """
    used = {
        style.get(f"{W}val") for part in word.parts for style in part.root.iter(f"{W}pStyle", f"{W}rStyle")
    }
    for style_id in word.styles.by_id:
        kind = word.styles.kind(style_id)
        name = word.styles.name(style_id)
        if remapped_style(kind, name) and style_id in used:
            yield Finding(
                "style-name",
                f"style “{name}”",
                f"the {kind} style has the name of a PDF structure type: an exported PDF remaps {name} to"
                f" {REMAPPED_TO[kind]}, which PDF/UA forbids",
                f"rename the style, e.g. “{name} Text”",
            )

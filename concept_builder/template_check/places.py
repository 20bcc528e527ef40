"""Where a template's text is: the part, the paragraph (counted as Word counts them, table cells
included, and marked before rendering so that rendered text names the paragraph it came from), the
cell and the nearby text that every message names; and the tags found there."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

SHOWN = 60  # characters of nearby text in a message


_KEYWORD = re.compile(r"^-?\s*(\w+)")


# The markers of the template's paragraphs in rendered XML: "<!--cb:12-->" before paragraph 12
MARKER = re.compile(rb"<!--cb:(\d+)-->")


_MARKER_TEXT = re.compile(r"<!--cb:(\d+)-->")


_PARAGRAPH_START = re.compile(r"<w:p(?=[\s>/])")


PART_NAME = re.compile(r"^/word/(header|footer|footnotes)(\d*)\.xml$")


MARKUP = re.compile(r"<[^>]*>")
DOUBLE_QUOTES = '"„“”»«'
SINGLE_QUOTES = "'‚‘’›‹"


@dataclass(frozen=True)
class Place:
    """Where a paragraph of a template is: part, table cell, number, and its text."""

    part: str  # "body", "header 1", "footer 2", "footnotes 1"
    paragraph: int  # counted in the part, table cells included
    cell: tuple[int, int, int] | None  # table, row, cell – where the paragraph is in a table
    text: str

    def __str__(self) -> str:
        inside = f", table {self.cell[0]}, row {self.cell[1]}, cell {self.cell[2]}" if self.cell else ""
        return f"{self.part}{inside}, paragraph {self.paragraph}{quoted(self.text)}"


@dataclass(frozen=True)
class Tag:
    """A template tag as written, with its kind, its level (``p``, ``r`` …) and what it holds."""

    opening: str  # "{{", "{%" or "{#"
    level: str  # "" for a tag inside a line; "p", "r", "tr", "tc" for docxtpl's whole-element tags
    content: str  # inside the delimiters, without the level
    written: str
    place: Place

    @property
    def keyword(self) -> str:
        """The statement of a block tag: ``for``, ``endif`` …"""
        match = _KEYWORD.match(self.content)
        return match.group(1) if match else ""


@dataclass
class Diagnosis:
    """What reading a template found: errors stop the build, warnings go with the document."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    places: dict[tuple[str, int], Place] = field(default_factory=dict)  # (part, paragraph) → the place

    def where(self, part: str, paragraph: int | None) -> str:
        """The place of the template's ``paragraph`` in ``part``, for a message; the part alone if unknown."""
        if paragraph is None:
            return part
        place = self.places.get((part, paragraph))
        return str(place) if place is not None else f"{part}, paragraph {paragraph}"

    def tags_at(self, part: str, paragraph: int | None) -> list[Tag]:
        place = self.places.get((part, paragraph)) if paragraph is not None else None
        return [tag for tag in self.tags if tag.place == place] if place is not None else []


def quoted(text: str) -> str:
    text = " ".join(text.split())
    return f" “{text[:SHOWN]}{'…' if len(text) > SHOWN else ''}”" if text else ""


def mark_paragraphs(xml: str) -> str:
    """``xml`` (a part of the template) with a marker before each paragraph: ``<!--cb:N-->`` for the N-th.

    Paragraphs are counted as ``diagnose`` counts them, so a marker in the
    rendered part names the template's paragraph its content came from.
    Markers survive docxtpl's rewriting of paragraph tags (they stand outside
    the paragraph it replaces) and rendering (Jinja passes comments through).
    """
    numbers = itertools.count(1)
    return _PARAGRAPH_START.sub(lambda match: f"<!--cb:{next(numbers)}-->{match.group(0)}", xml)


def without_markers(xml: bytes) -> bytes:
    return MARKER.sub(b"", xml) if b"<!--cb:" in xml else xml


def paragraph_of(exc: BaseException, source: str) -> int | None:
    """The template paragraph a Jinja error happened in: the marker before its line in ``source``."""
    line = getattr(exc, "lineno", None)
    if not line:  # an error while rendering: Jinja's traceback runs through the template's lines
        trace = exc.__traceback__
        while trace is not None:
            if trace.tb_frame.f_code.co_filename == "<template>":
                line = trace.tb_lineno
            trace = trace.tb_next
    if not line:
        return None
    end = -1
    for _ in range(line):
        end = source.find("\n", end + 1)
        if end < 0:
            end = len(source)
            break
    markers = _MARKER_TEXT.findall(source, 0, end)
    return int(markers[-1]) if markers else None


def straighten_quotes(tag_text: str) -> str:
    """The quotes of a tag's string literals, as AutoCorrect writes them („…“, »…«, ‚…‘), made straight.

    Only the quotes that open and close a literal: a quotation mark or an
    apostrophe inside one ("„Stand’s: “") stays as typed, written as an escape
    that Jinja reads back as that character. XML markup between the runs of a
    tag passes unchanged.
    """
    out: list[str] = []
    family = ""  # the quotes of the literal being read: DOUBLE_QUOTES, SINGLE_QUOTES, or none
    position = 0
    while position < len(tag_text):
        character = tag_text[position]
        markup = MARKUP.match(tag_text, position) if character == "<" else None
        if markup is not None:
            out.append(markup.group(0))
            position = markup.end()
            continue
        if not family and character in DOUBLE_QUOTES + SINGLE_QUOTES:
            family = DOUBLE_QUOTES if character in DOUBLE_QUOTES else SINGLE_QUOTES
            out.append(family[0])
        elif family and character == "\\" and position + 1 < len(tag_text):
            out.append(tag_text[position : position + 2])  # an escape of the user's own
            position += 1
        elif family and character in family:
            out.append(family[0])
            family = ""
        elif family and character in DOUBLE_QUOTES + SINGLE_QUOTES and not character.isascii():
            out.append(f"\\u{ord(character):04x}")  # the other kind of quote, kept inside the literal
        else:
            out.append(character)
        position += 1
    return "".join(out)

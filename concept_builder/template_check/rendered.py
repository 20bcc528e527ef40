"""After rendering: what a template left that Word would reject is refused at the template's paragraph
it came from, and what readers would stumble over is mended with a note. The rendered body is scanned
as bytes (a large concept's body is tens of megabytes; a tree of it would cost seconds): the patterns
rely on the compact XML the render stage writes, as their unit tests show."""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

from ..errors import TemplateError, counted
from ..word import ALLOWED_CHILDREN, TEXT_ELEMENTS, W_NS
from .places import (
    MARKER,
    SHOWN,
    Diagnosis,
    Tag,
    quoted,
    without_markers,
)

# atomic: a cell's properties end at their first </w:tcPr>; trying later ones made the pass quadratic
_EMPTY_CELL = re.compile(rb"(<w:tc>(?:(?><w:tcPr>.*?</w:tcPr>)|<w:tcPr/>)?)(</w:tc>)", re.DOTALL)


_INTERNAL_LINK = re.compile(rb'<w:hyperlink w:anchor="([^"]*)"[^>]*>(.*?)</w:hyperlink>', re.DOTALL)


_BOOKMARK_NAME = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:name="([^"]*)"')


_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


# Bytes of text one element may hold: python-docx's XML parser (libxml2) refuses a longer one
MAX_TEXT_NODE = 10_000_000


# Which items' anchors a link field leads to, as the default templates print them
_ANCHOR_OF = {
    "goal_links": "goal.anchor",
    "measure_links": "m.anchor",
    "theme_links": "theme.anchor",
}


def mend(body: bytes, warnings: list[str], diagnosis: Diagnosis | None = None) -> bytes:
    """What a template may leave that Word rejects or readers stumble over, set right.

    A table cell whose loop printed nothing gets the empty paragraph Word
    requires; a link to a bookmark nowhere in the document (an item whose
    anchor the template does not print) keeps its text without the link. The
    template's paragraph markers, if any, name the place and are taken out.
    """
    targets = set(_BOOKMARK_NAME.findall(body))
    dead: list[re.Match[bytes]] = []

    def unlinked(match: re.Match[bytes]) -> bytes:
        if match.group(1) in targets:
            return match.group(0)
        dead.append(match)
        return match.group(2)

    mended = _INTERNAL_LINK.sub(unlinked, body)
    if dead:
        first = dead[0]
        example = b"".join(_TEXT.findall(first.group(2))).decode("utf-8", "replace")
        markers = MARKER.findall(body, 0, first.start())
        paragraph = int(markers[-1]) if markers else None
        where, anchor = "", "….anchor"
        if diagnosis is not None and paragraph is not None:
            where = f"{diagnosis.where('body', paragraph)}: "
            anchor = _missing_anchor(diagnosis.tags_at("body", paragraph)) or anchor
        warnings.append(
            f"{where}{counted(len(dead), 'link')} to items whose anchors the template does not print became"
            f" plain text (the first:{quoted(example)}); print {{{{r {anchor} }}}} where each item is shown"
        )
    mended = without_markers(mended)
    return _EMPTY_CELL.sub(rb"\1<w:p/>\2", mended)


def _missing_anchor(tags: list[Tag]) -> str | None:
    """``m.anchor`` for a link printed by ``{{r m.link }}``; the linked items' for their link lists."""
    for tag in tags:
        name = re.fullmatch(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.(link|\w+_links)", tag.content.strip())
        if tag.opening == "{{" and name is not None:
            return _ANCHOR_OF.get(name.group(2), f"{name.group(1)}.anchor")
    return None


class _Containment:
    """An expat pass over a rendered part: every element where WordprocessingML allows it.

    It follows the template's paragraph markers, so that a problem names the
    paragraph it came from: an element where none may stand, the paragraph
    that opened its parent; text where none may stand, the paragraph printing it.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[str, int | None]] = []  # open elements, each with its paragraph
        self.paragraph: int | None = None  # the template paragraph being read
        # what is wrong: "element" or "text", the child, its parent, where, and the template paragraph
        self.problem: tuple[str, str, str, int, int | None] | None = None
        self.text_length = 0  # bytes of the text being read, in UTF-8 as a parser reading the part counts
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.CommentHandler = self.comment

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.text_length = 0
        namespace, _, local = name.rpartition(" ")
        parent, opened_in = self.stack[-1] if self.stack else ("", None)
        self.stack.append((local if namespace == W_NS else f"{{{namespace}}}{local}", self.paragraph))
        if self.problem is not None or namespace != W_NS:
            return
        allowed = ALLOWED_CHILDREN.get(parent)
        if parent in TEXT_ELEMENTS or (allowed is not None and local not in allowed):
            where = opened_in if opened_in is not None else self.paragraph
            self.problem = ("element", local, parent, self.parser.CurrentByteIndex, where)

    def end(self, name: str) -> None:
        self.text_length = 0
        self.stack.pop()

    def text(self, data: str) -> None:
        # expat hands a long text over in pieces
        self.text_length += len(data) if data.isascii() else len(data.encode("utf-8"))
        if self.problem is None and self.text_length > MAX_TEXT_NODE:
            parent = self.stack[-1][0] if self.stack else ""
            self.problem = ("long text", "", parent, self.parser.CurrentByteIndex, self.paragraph)
        if self.problem is None and data.strip() and self.stack and self.stack[-1][0] in ALLOWED_CHILDREN:
            parent = self.stack[-1][0]
            self.problem = ("text", "", parent, self.parser.CurrentByteIndex, self.paragraph)

    def comment(self, data: str) -> None:
        if data.startswith("cb:") and data[3:].isdigit():
            self.paragraph = int(data[3:])


def refuse_invalid(
    template: Path, xml: bytes | bytearray, part: str = "body", diagnosis: Diagnosis | None = None
) -> None:
    """An error at the template's paragraph where a rendered part is not well-formed XML or puts an
    element where Word allows none.
    """
    checker = _Containment()
    diagnosis = diagnosis or Diagnosis()
    try:
        checker.parser.Parse(xml, True)
    except expat.ExpatError as exc:
        if checker.problem is None:
            paragraph = checker.stack[-1][1] if checker.stack else checker.paragraph
            reason = expat.errors.messages[exc.code]
            raise TemplateError(
                template,
                f"{diagnosis.where(part, paragraph)}: the rendered {part} would not be well-formed XML"
                f" ({reason}){_nearby(xml, checker.parser.CurrentByteIndex)}",
                "a tag may sit in the wrong place, e.g. {{r …}} outside a run, or a block closed inside"
                " another paragraph than the one it was opened in",
            ) from exc
    if checker.problem is None:
        return
    kind, child, parent, position, paragraph = checker.problem
    if kind == "long text":
        raise TemplateError(
            template,
            f"{diagnosis.where(part, paragraph)}: the rendered {part} would hold more than"
            f" {MAX_TEXT_NODE // 1_000_000} MB of text in one piece, more than a document can be read"
            f" back with{_nearby(xml, position)}",
            "look for loops or repetitions printing into this paragraph",
        )
    what, hint = _explained(kind, child, parent)
    raise TemplateError(
        template,
        f"{diagnosis.where(part, paragraph)}: the rendered document would be rejected by Word: {what}"
        f"{_nearby(xml, position)}",
        hint,
    )


def _nearby(xml: bytes | bytearray, position: int) -> str:
    """``, after “…”``: the rendered text just before ``position``."""
    before = xml[max(position - 3000, 0) : max(position, 0)]
    nearby = " ".join(text.decode("utf-8", "replace") for text in _TEXT.findall(before)[-8:])
    return f", after{quoted(nearby[-SHOWN:])}" if nearby.strip() else ""


def _explained(kind: str, child: str, parent: str) -> tuple[str, str]:
    """What is wrong, in Word's terms and in the template's, and how to write it instead."""
    if kind == "text" and parent in ("p", "hyperlink"):
        return (
            f"text directly inside w:{parent} (where a run of text belongs)",
            "{{r …}} printed plain text: {{r …}} takes links, anchors and images; write {{ … }} for text",
        )
    if kind == "text":
        return (
            f"text directly inside w:{parent} (where a paragraph belongs)",
            "{{p …}} printed plain text: {{p …}} takes prepared paragraphs; write {{ … }} inside a paragraph",
        )
    if parent in TEXT_ELEMENTS:
        return (
            f"w:{child} inside w:{parent} (Word content inside a line of text)",
            "a plain {{ … }} tag printed an image, links or paragraphs: write {{r …}} alone in its run for"
            " images and links, {{p …}} alone in its paragraph for paragraphs",
        )
    if child in ("p", "tbl"):
        return (
            f"w:{child} inside w:{parent} (a paragraph inside a paragraph or line)",
            "a {{r …}} or plain tag printed paragraphs: write {{p …}} alone in its paragraph",
        )
    return (
        f"w:{child} inside w:{parent}",
        "a tag of the wrong kind printed prepared content: paragraphs need {{p …}} in a paragraph of"
        " their own, links and anchors {{r …}}, plain text {{ … }} inside a line",
    )

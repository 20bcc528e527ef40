"""Word XML written by hand: runs, paragraphs, lists, pictures, bookmarks, fields – and what may
contain what, so that nothing Word would reject is written."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from markupsafe import Markup
from markupsafe import escape as markup_escape

from .vocabulary import W

# --- bullets -----------------------------------------------------------------------------------
#
# Word's own bullet lists draw their bullets from the Symbol and Wingdings fonts at
# private-use code points (U+F0B7 for "•"); in a PDF the text then says U+F0B7,
# which a screen reader cannot speak. Lists take the Unicode character instead, in
# the list's own font.

SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf06e": "■"}


def unicode_bullets(numbering: etree._Element) -> None:
    """Every bullet at a private-use code point (Symbol, Wingdings) as its Unicode character."""
    for level in numbering.iter(f"{W}lvl"):
        text = level.find(f"{W}lvlText")
        value = text.get(f"{W}val") if text is not None else None
        if text is None or not value or not all("\ue000" <= character <= "\uf8ff" for character in value):
            continue
        text.set(f"{W}val", "".join(SYMBOL_BULLETS.get(character, "•") for character in value))
        for properties in level.findall(
            f"{W}rPr"
        ):  # the symbol font has no such character: the list's own does
            for fonts in properties.findall(f"{W}rFonts"):
                properties.remove(fonts)


# --- what may contain what ---------------------------------------------------------------------
#
# The containment rules of WordprocessingML (ECMA-376 Part 1, §17) for the elements
# a template arranges: body, paragraph, run, link, table, row and cell. Checked on a
# rendered body so that a tag of the wrong kind is an error, never a document Word
# refuses to open. Elements of other namespaces (drawings, math, markup
# compatibility) are not judged.

_MARKS = {
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart", "permEnd",
    "proofErr", "ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveFromRangeEnd",
    "moveToRangeStart", "moveToRangeEnd", "customXml", "sdt", "customXmlInsRangeStart",
    "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
}  # fmt: skip
_INLINE = _MARKS | {"r", "hyperlink", "fldSimple", "smartTag", "dir", "bdo", "subDoc"}
_BLOCKS = _MARKS | {"p", "tbl", "altChunk"}
ALLOWED_CHILDREN: dict[str, set[str]] = {
    "body": _BLOCKS | {"sectPr"},
    "p": _INLINE | {"pPr"},
    "hyperlink": _INLINE,
    "r": {
        "rPr", "t", "br", "tab", "cr", "drawing", "pict", "object", "fldChar", "instrText", "delText",
        "delInstrText", "softHyphen", "noBreakHyphen", "sym", "footnoteReference", "endnoteReference",
        "commentReference", "lastRenderedPageBreak", "separator", "continuationSeparator", "pgNum",
        "annotationRef", "footnoteRef", "endnoteRef", "dayShort", "monthShort", "yearShort", "dayLong",
        "monthLong", "yearLong", "ptab", "ruby", "contentPart",
    },
    "tbl": _MARKS | {"tblPr", "tblGrid", "tr"},
    "tr": _MARKS | {"trPr", "tblPrEx", "tc"},
    "tc": _BLOCKS | {"tcPr"},
}  # fmt: skip
TEXT_ELEMENTS = {"t", "instrText", "delText", "delInstrText"}  # text only, no elements


# --- fragments ------------------------------------------------------------------------------
#
# Rich content (Markdown, links, bookmarks) is prepared as ready XML, wrapped in
# ``Markup`` so that the autoescaping template engine inserts it as it is while
# every plain string is escaped. Building strings is far faster than building
# python-docx objects in loops.

EMPTY = Markup("")
# An empty paragraph 1 pt high: Word needs a paragraph between two tables, and LibreOffice one between a
# table and a chain of paragraphs kept together. It makes no space, and ``check`` knows it by its height.
TABLE_SEPARATOR = (
    b'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    b'<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
)
SEPARATOR_MAX_HEIGHT = 40  # twips: an exact line this low or lower is a separator, not space
BOOKMARK_ID = "0"  # every prepared bookmark gets a unique id when the document is rendered


def edited(body: bytes | bytearray, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``body`` with each span (start, end) replaced, in one pass: the spans sorted, none overlapping.

    The text between the edits is joined in without a copy of its own, so a
    body of tens of megabytes is held twice at most, never once per edit.
    """
    view = memoryview(body)
    parts: list[bytes | memoryview] = []
    done = 0
    for start, end, replacement in edits:
        parts += [view[done:start], replacement]
        done = end
    parts.append(view[done:])
    result = b"".join(parts)
    del parts, view
    return result


def keeps_spaces(text: str) -> bool:
    """Whether a text element holding ``text`` must say that it keeps its spaces (xml:space).

    Without it, Word drops spaces at the ends of the text; two in a row are
    kept as well, to be safe. Most texts have none to keep.
    """
    return text[:1] == " " or text[-1:] == " " or "  " in text or "\r" in text


def text_of(element: etree._Element) -> str:
    """The text of ``element``'s runs, as a reader sees it (deleted text and field codes left out)."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def text_element(text: str) -> str:
    """``<w:t>`` holding ``text`` (escaped), keeping its spaces where it has any to keep."""
    if keeps_spaces(text):
        return f'<w:t xml:space="preserve">{escape_text(text)}</w:t>'
    return f"<w:t>{escape_text(text)}</w:t>"


def escape_text(text: str) -> str:
    """``text`` escaped for an XML text node or attribute.

    Braces become character references: docxtpl rewrites "{_{" in rendered XML
    to "{{", which would change a user's text; references pass unchanged. So do
    the three noncharacters that delimit source markers in a rendered body.
    """
    escaped = str(markup_escape(text))
    if "{" in escaped or "}" in escaped:
        escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")
    if "\ufdd0" in escaped or "\ufdd1" in escaped or "\ufdd2" in escaped:
        escaped = escaped.translate(_MARKER_CHARACTERS)
    return escaped


# Typed text keeps these noncharacters as references: raw, they delimit the source markers (markers.py).
_MARKER_CHARACTERS = {code: f"&#{code};" for code in (0xFDD0, 0xFDD1, 0xFDD2)}


def text_content(text: str) -> str:
    """Text for inside a ``<w:t>``: escaped, with tabs and line breaks as Word elements.

    docxtpl would make the same elements in a regex pass over the whole
    document; doing it per value is what lets the render skip that pass.
    """
    escaped = escape_text(text)
    if "\n" in escaped:
        escaped = escaped.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    if "\t" in escaped:
        escaped = escaped.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return escaped


# Languages written right to left, by their ISO 639 codes
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "ckb", "dv", "sd", "ug"})


def text_runs(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    strike: bool = False,
    underline: bool = False,
    lang: str | None = None,
) -> str:
    """One run for ``text``; tabs and line breaks become Word's own elements.

    ``lang`` marks a passage in another language than the document's ("en-US"),
    so that screen readers and the PDF's /Lang follow it. A language written
    right to left ("ar-EG") marks its run so, as Word does: ``w:rtl``, and the
    language also as the one of complex script (``w:bidi``), whose bold and
    italic are their own (``w:bCs``, ``w:iCs``).
    """
    right_to_left = lang is not None and lang.split("-")[0].lower() in RIGHT_TO_LEFT
    properties = ""
    if style:
        properties += f'<w:rStyle w:val="{style}"/>'
    if bold:
        properties += "<w:b/><w:bCs/>" if right_to_left else "<w:b/>"
    if italic:
        properties += "<w:i/><w:iCs/>" if right_to_left else "<w:i/>"
    if strike:
        properties += "<w:strike/>"
    if underline:
        properties += '<w:u w:val="single"/>'
    if lang:  # the schema's order: rStyle, b, bCs, i, iCs, strike … u … rtl, lang
        language = escape_text(lang)
        if right_to_left:
            properties += "<w:rtl/>"
        bidi = f' w:bidi="{language}"' if right_to_left else ""
        properties += f'<w:lang w:val="{language}"{bidi}/>'
    content = []
    for index, line in enumerate(text.split("\n")):
        if index:
            content.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                content.append("<w:tab/>")
            if part:
                content.append(text_element(part))
    properties_xml = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{properties_xml}{''.join(content)}</w:r>"


def paragraph(
    runs: str, *, style: str | None = None, numbering: tuple[int, int] | None = None, keep_next: bool = False
) -> str:
    """A paragraph of ready runs; ``numbering`` is (numId, level) for list items."""
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep_next:
        properties += "<w:keepNext/>"
    if numbering:
        num_id, level = numbering
        properties += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    properties_xml = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    return f"<w:p>{properties_xml}{runs}</w:p>"


def external_link(relationship_id: str, runs: str) -> str:
    return f'<w:hyperlink r:id="{relationship_id}" w:history="1">{runs}</w:hyperlink>'


def internal_link(anchor: str, runs: str) -> str:
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{runs}</w:hyperlink>'


def bookmark(name: str) -> str:
    """An empty bookmark: a target for internal links and references."""
    return f'<w:bookmarkStart w:id="{BOOKMARK_ID}" w:name="{name}"/><w:bookmarkEnd w:id="{BOOKMARK_ID}"/>'


def join(parts: Iterable[str]) -> Markup:
    return Markup("".join(parts))


# --- numbering ------------------------------------------------------------------------------

FIRST_LIST_INSTANCE = 1000
"""Numbering ids from here on are ours (each numbered list restarts at 1), unless a template uses them."""


def free_list_instance(numbering: etree._Element | None) -> int:
    """The first numbering id above every one ``numbering`` (a template's numbering part) uses."""
    found = [] if numbering is None else numbering.iterfind(f"{W}num")
    used = [str(instance.get(f"{W}numId", "")) for instance in found]
    return max([FIRST_LIST_INSTANCE, *(int(n) + 1 for n in used if n.isdigit())])


@dataclass(frozen=True)
class ListInstance:
    """A list of its own: numbered lists restart at 1; a list nesting the other kind (a bullet under a
    number) takes those levels from the other kind's list, so that it stays one list."""

    number: int  # its numId
    kind: str  # "bullet" or "number": whose list it is an instance of
    others: tuple[int, ...] = ()  # levels (ilvl) of the other kind
    levels: tuple[str, ...] = ()  # where the styles keep each level in a list of its own: every level's
    # kind, for a list of its own whose first level is the style's and whose deeper ones are ours


# The deeper levels of a list the template's styles do not nest, as the default template has them:
# (format, text) at levels 2 and 3, a level further in each
NESTED_LEVELS = {
    "bullet": (("bullet", "–"), ("bullet", "•")),
    "number": (("lowerLetter", "%2)"), ("lowerRoman", "%3)")),
}
LEVEL_INDENT = 360  # twips further in per level


def nested_list(abstract_id: str, first_level: etree._Element, kinds: tuple[str, ...]) -> str:
    """A list definition whose first level is ``first_level`` (a template's list style's) and whose
    deeper levels are ours, a step further in each, of the kind ``kinds`` gives each level."""
    level = copy.deepcopy(first_level)
    for style in level.findall(f"{W}pStyle"):  # the definition of a list of its own, not of a style's
        level.remove(style)
    indent = level.find(f"{W}pPr/{W}ind")
    left = int(indent.get(f"{W}left") or indent.get(f"{W}start") or 0) if indent is not None else 0
    levels = [etree.tostring(level, encoding="unicode")]
    for depth, kind in enumerate(kinds[1:3], 1):
        number_format, text = NESTED_LEVELS[kind][depth - 1]
        levels.append(
            f'<w:lvl w:ilvl="{depth}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>'
            f'<w:ind w:left="{left + depth * LEVEL_INDENT}" w:hanging="{LEVEL_INDENT}"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>'
        f"{''.join(levels)}</w:abstractNum>"
    )


def list_instance(numbering_id: int, abstract_id: str, others: dict[int, str] | None = None) -> str:
    """A numbering instance of ``abstract_id`` that starts again at 1; ``others`` gives levels
    (ilvl → a ``w:lvl`` element's XML) taken from another list."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/>{xml}</w:lvlOverride>'
        for level, xml in sorted((others or {}).items())
    )
    return (
        f'<w:num w:numId="{numbering_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>{overrides}</w:num>'
    )


# --- fields ---------------------------------------------------------------------------------


def page_reference(bookmark_name: str, page: int) -> str:
    """A tab and a PAGEREF field showing ``page``, as Word writes contents entries."""
    return (
        '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark_name} \\h </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )

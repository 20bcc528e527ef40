"""Template diagnostics: no template fails silently.

A template is an ordinary Word document with tags, and Word is not a code
editor: it splits a tag's text into runs, AutoCorrect makes quotes
typographic, and a missing brace or text beside a paragraph tag is easy to
overlook. docxtpl and Jinja would turn many such slips into a document with
text missing, or into one Word refuses to open. So a template is read before
it is rendered, tag by tag and with the place of each (part, table cell,
paragraph, nearby text), and what would go wrong is an error that names
the place:

- a tag that is never closed, or a closing brace without its opening;
- text beside a paragraph, row or cell tag (``{%p``, ``{%tr``, ``{%tc``),
  which docxtpl replaces with the tag, text and all;
- a block (``{% for %}``, ``{% if %}``) that is never closed, closed by the
  wrong end tag, or an end tag without its block – named at the opening tag;
- an expression Jinja cannot read;
- prepared Word content – paragraphs, links, bookmarks – printed by a tag of
  the wrong kind (``{{ theme.description }}`` instead of ``{{p … }}``).

After rendering, what still is not right is refused or mended before
anything is written: elements where Word allows none are an error with the
nearby text (the rendered body is checked against the containment rules of
WordprocessingML), a table cell left without a paragraph gets an empty one,
and a link to an item whose anchor the template never prints becomes plain
text, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from jinja2 import Environment, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from .errors import TemplateError, counted
from .word import ALLOWED_CHILDREN, TEXT_ELEMENTS, W_NS, W, pictures

PARAGRAPH_LEVELS = ("p", "tr", "tc")  # tags that stand for their whole paragraph, row or cell
OPENERS = {"for", "if", "macro", "call", "filter", "with", "autoescape", "raw", "block"}
MIDDLES = {"elif": ("if",), "else": ("if", "for")}
SHOWN = 60  # characters of nearby text in a message

_OPENING = re.compile(r"\{[{%#]")
_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
_STRAY_CLOSING = re.compile(r"\}\}|%\}|#\}")
_LEVEL = re.compile(r"^(tr|tc|p|r)\s")
_KEYWORD = re.compile(r"^-?\s*(\w+)")
_LAST_NAME = re.compile(r"([A-Za-z_]\w*)\s*$")
_PART_NAME = re.compile(r"^/word/(header|footer)(\d*)\.xml$")
# typographic quotes Word's AutoCorrect writes as one types a tag (docxtpl straightens only “ ” ‘ ’)
TYPOGRAPHIC_QUOTES = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "»": '"', "«": '"', "‚": "'", "‘": "'", "’": "'", "›": "'", "‹": "'"}
)


@dataclass(frozen=True)
class Place:
    """Where a paragraph of a template is: part, table cell, number, and its text."""

    part: str  # "body", "header 1", "footer 2"
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


def quoted(text: str) -> str:
    text = " ".join(text.split())
    return f" “{text[:SHOWN]}{'…' if len(text) > SHOWN else ''}”" if text else ""


# --- before rendering --------------------------------------------------------------------------


def diagnose(docx: Any, environment: Environment, prepared: dict[str, str]) -> Diagnosis:
    """Read every tag of the template ``docx`` (a python-docx document) and find what would go wrong.

    ``prepared`` names the fields whose values are prepared Word content, and
    of which kind ("paragraphs" or "runs"), as ``prepared_kinds`` finds them.
    """
    diagnosis = Diagnosis()
    for name, root in _parts(docx):
        part_tags: list[Tag] = []
        paragraphs = list(_paragraphs(name, root))
        for place, _ in paragraphs:
            tags, problems = _tags(place.text, place)
            diagnosis.errors += problems
            diagnosis.errors += _lost_text(place.text, tags)
            part_tags += tags
        diagnosis.errors += _blocks(part_tags)
        diagnosis.tags += part_tags
        diagnosis.warnings += _pictures_without_alt(root, {id(p): place for place, p in paragraphs})
    for tag in diagnosis.tags:
        diagnosis.errors += _syntax(tag, environment)
        diagnosis.errors += _fragment_in_wrong_tag(tag, prepared)
    return diagnosis


def straighten_quotes(tag_text: str) -> str:
    """Typographic quotes in a tag, as AutoCorrect writes them, made straight."""
    return tag_text.translate(TYPOGRAPHIC_QUOTES)


def _parts(docx: Any) -> Iterator[tuple[str, Any]]:
    """The body, then each header and footer, with the name a message gives it."""
    yield "body", docx.element.body
    for part in docx.part.package.iter_parts():
        match = _PART_NAME.match(str(part.partname))
        if match and hasattr(part, "element"):
            yield f"{match.group(1)} {match.group(2) or 1}", part.element


def _paragraphs(part: str, root: Any) -> Iterator[tuple[Place, Any]]:
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
            if table is not None and table.tag == f"{W}tbl":
                cell = (
                    tables.get(id(table), 0),
                    table.index(row) - _non_rows_before(table, row) + 1,
                    row.index(tc) - _non_cells_before(row, tc) + 1,
                )
        yield Place(part, number, cell, text), paragraph


def _pictures_without_alt(root: Any, places: dict[int, Place]) -> list[str]:
    """A picture of the template itself (a logo, a letterhead) that tells readers nothing.

    Word reads a picture's alt text, LibreOffice – and so the tagged PDF – its
    title; without either the PDF has a figure without alternative text.
    """
    found = []
    for picture in pictures(root):
        if picture.decorative or picture.description or picture.title:
            continue
        place = places.get(id(picture.paragraph))
        where = str(place) if place is not None else "a picture outside any paragraph"
        found.append(
            f"{where}: a picture has no alternative text: readers of the document and its PDF learn"
            " nothing from it (right-click it in Word › Edit Alt Text, and describe it or mark it as"
            " decorative)"
        )
    return found


def _non_rows_before(table: Any, row: Any) -> int:
    return sum(1 for child in table[: table.index(row)] if child.tag != f"{W}tr")


def _non_cells_before(row: Any, cell: Any) -> int:
    return sum(1 for child in row[: row.index(cell)] if child.tag != f"{W}tc")


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
        elif keyword.startswith("end"):
            wanted = keyword[3:]
            if open_blocks and open_blocks[-1].keyword == wanted:
                open_blocks.pop()
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


def _fragment_in_wrong_tag(tag: Tag, prepared: dict[str, str]) -> list[str]:
    """Prepared paragraphs need ``{{p}}``, prepared links and bookmarks ``{{r}}``."""
    if tag.opening != "{{":
        return []
    expression = tag.content.split("|", 1)[0]
    name = _LAST_NAME.search(expression)
    kind = prepared.get(name.group(1)) if name else None
    if kind is None:
        return []
    wanted = {"paragraphs": "p", "runs": "r"}[kind]
    if tag.level == wanted:
        return []
    what = "paragraphs" if kind == "paragraphs" else "prepared Word content (links or bookmarks)"
    return [
        f"{tag.place}: {tag.written} prints {what}; write {{{{{wanted} {tag.content} }}}}"
        + (" in a paragraph of its own" if wanted == "p" else "")
    ]


def prepared_kinds(values: Any, limit: int = 50_000) -> dict[str, str]:
    """The fields of a context whose values are prepared Word content: paragraphs or runs.

    A field name that holds content of both kinds, or plain text too, is left
    out: the check then cannot tell, and the check of the rendered body will.
    """
    kinds: dict[str, set[str]] = {}
    pending: list[tuple[str, Any]] = [("", values)]
    seen = 0
    while pending and seen < limit:
        name, value = pending.pop()
        seen += 1
        if isinstance(value, Markup):
            kind = _kind_of(value)
            if kind:
                kinds.setdefault(name, set()).add(kind)
        elif isinstance(value, str):
            kinds.setdefault(name, set()).add("text")
        elif isinstance(value, dict):
            pending.extend(value.items())
        elif isinstance(value, list | tuple):
            pending.extend((name, item) for item in value[:20])
    return {
        name: next(iter(found)) for name, found in kinds.items() if len(found) == 1 and "text" not in found
    }


def _kind_of(value: Markup) -> str:
    start = value.lstrip()[:16]
    if start.startswith(("<w:p>", "<w:p ", "<w:tbl")):
        return "paragraphs"
    if start.startswith(("<w:r>", "<w:r ", "<w:hyperlink", "<w:bookmark", "<w:fldSimple")):
        return "runs"
    return ""


# --- failures of rendering -------------------------------------------------------------------


def located_error(template: Path, diagnosis: Diagnosis, part: str, exc: JinjaTemplateError) -> TemplateError:
    """A Jinja error as a message at the tag that caused it, where it can be found."""
    if isinstance(exc, UndefinedError):
        name = _undefined_name(str(exc.message))
        tag = _tag_naming(diagnosis.tags, name)
        where = str(tag.place) if tag else part
        return TemplateError(
            template,
            f"{where}: unknown template variable {name!r}",
            _near(exc) if tag is None else "docs/templates.md lists every variable",
        )
    if isinstance(exc, SecurityError):
        attribute = re.search(r"attribute '([^']+)'", str(exc))
        tag = _tag_naming(diagnosis.tags, attribute.group(1)) if attribute else None
        where = str(tag.place) if tag else part
        return TemplateError(
            template, f"{where}: unsafe template code refused: {exc}", None if tag else _near(exc)
        )
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(template, f"{part}: template syntax error: {exc.message}", _near(exc))
    return TemplateError(template, f"{part}: template error: {exc}", _near(exc))


def part_label(document: Any) -> str:
    """``/word/header1.xml`` → ``header 1``: the part being rendered when a tag failed."""
    part = getattr(document, "current_rendering_part", None)
    match = _PART_NAME.match(str(getattr(part, "partname", ""))) if part is not None else None
    return f"{match.group(1)} {match.group(2) or 1}" if match else "body"


def refuse(template: Path, diagnosis: Diagnosis) -> None:
    """The errors a diagnosis found, one per line, as one ``TemplateError``."""
    if diagnosis.errors:
        raise TemplateError(template, f"\n{template}: ".join(diagnosis.errors))


def _undefined_name(message: str) -> str:
    """``'X object' has no attribute 'leed'`` → ``leed``; ``'titel' is undefined`` → ``titel``."""
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return match.group(1) if match else message


def _tag_naming(tags: Iterable[Tag], name: str) -> Tag | None:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return next((tag for tag in tags if tag.opening != "{#" and pattern.search(tag.content)), None)


def _near(exc: Exception) -> str | None:
    """The template text around an error, which the renderer attaches to the exception."""
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    if not lines:
        return None
    text = " … ".join(lines)
    return "near: " + (text if len(text) < 160 else text[:157] + "…")


# --- after rendering ---------------------------------------------------------------------------
# The rendered body is scanned as bytes (a large concept's body is tens of megabytes; a tree of it would
# cost seconds): these patterns rely on the compact XML the render stage writes, as its unit tests show.

_EMPTY_CELL = re.compile(rb"(<w:tc>(?:<w:tcPr>.*?</w:tcPr>|<w:tcPr/>)?)(</w:tc>)", re.DOTALL)
_INTERNAL_LINK = re.compile(rb'<w:hyperlink w:anchor="([^"]*)"[^>]*>(.*?)</w:hyperlink>', re.DOTALL)
_BOOKMARK_NAME = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:name="([^"]*)"')
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def mend(body: bytes, warnings: list[str]) -> bytes:
    """What a template may leave that Word rejects or readers stumble over, set right.

    A table cell whose loop printed nothing gets the empty paragraph Word
    requires; a link to a bookmark nowhere in the document (an item whose
    anchor the template does not print) keeps its text without the link.
    """
    body = _EMPTY_CELL.sub(rb"\1<w:p/>\2", body)
    targets = set(_BOOKMARK_NAME.findall(body))
    dead: list[bytes] = []

    def unlinked(match: re.Match[bytes]) -> bytes:
        if match.group(1) in targets:
            return match.group(0)
        dead.append(match.group(2))
        return match.group(2)

    body = _INTERNAL_LINK.sub(unlinked, body)
    if dead:
        example = b"".join(_TEXT.findall(dead[0])).decode("utf-8", "replace")
        warnings.append(
            f"{counted(len(dead), 'link')} to items whose anchors the template does not print became plain"
            f" text (the first:{quoted(example)}); print {{{{r ….anchor }}}} where each item is shown"
        )
    return body


class _Containment:
    """An expat pass over the rendered body: every element where WordprocessingML allows it."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.stack: list[str] = []
        self.problem: tuple[str, int] | None = None
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local if namespace == W_NS else f"{{{namespace}}}{local}")
        if self.problem is not None or namespace != W_NS:
            return
        allowed = ALLOWED_CHILDREN.get(parent)
        if parent in TEXT_ELEMENTS or (allowed is not None and local not in allowed):
            self.problem = (f"w:{local} inside w:{parent}", self.parser.CurrentByteIndex)

    def end(self, name: str) -> None:
        self.stack.pop()

    def text(self, data: str) -> None:
        if self.problem is None and data.strip() and self.stack and self.stack[-1] in ALLOWED_CHILDREN:
            self.problem = (f"text directly inside w:{self.stack[-1]}", self.parser.CurrentByteIndex)


def refuse_invalid(template: Path, document_xml: bytes) -> None:
    """An error, with the nearby text, where the rendered document puts an element where Word allows none."""
    checker = _Containment(document_xml)
    checker.parser.Parse(document_xml, True)
    if checker.problem is None:
        return
    what, position = checker.problem
    before = document_xml[max(position - 3000, 0) : max(position, 0)]
    nearby = " ".join(text.decode("utf-8", "replace") for text in _TEXT.findall(before)[-8:])
    raise TemplateError(
        template,
        f"the rendered document would be rejected by Word: {what}, after{quoted(nearby[-SHOWN:])}",
        "a tag of the wrong kind printed prepared content: paragraphs need {{p …}} in a paragraph of"
        " their own, links and anchors {{r …}}, plain text {{ … }} inside a line",
    )

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
anything is written: elements where Word allows none are an error (every
rendered part – body, headers, footers, footnotes – is checked against the
containment rules of WordprocessingML), a table cell left without a
paragraph gets an empty one, and a link to an item whose anchor the
template never prints becomes plain text, with a warning. Each names the
template's paragraph it came from: before rendering, every paragraph of the
template gets a marker (an XML comment with its number), which rendering
carries along and which is taken out before anything is written.
"""

from __future__ import annotations

import itertools
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

from .context import Image
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
_PART_NAME = re.compile(r"^/word/(header|footer|footnotes)(\d*)\.xml$")
# quotes Word's AutoCorrect writes as one types a tag (docxtpl straightens only “ ” ‘ ’), by family
DOUBLE_QUOTES = '"„“”»«'
SINGLE_QUOTES = "'‚‘’›‹"
_MARKUP = re.compile(r"<[^>]*>")
# The markers of the template's paragraphs in rendered XML: "<!--cb:12-->" before paragraph 12
_MARKER = re.compile(rb"<!--cb:(\d+)-->")
_MARKER_TEXT = re.compile(r"<!--cb:(\d+)-->")
_PARAGRAPH_START = re.compile(r"<w:p(?=[\s>/])")
# Jinja's words and globals: no fields of the context
_NOT_FIELDS = {
    "and", "or", "not", "if", "else", "in", "is", "true", "false", "none", "True", "False", "None",
    "loop", "range", "namespace", "caller", "varargs", "kwargs", "super",
}  # fmt: skip
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_CHAIN = re.compile(r"(?<![\w.|'\"])[A-Za-z_]\w*(?:\s*(?:\.\s*[A-Za-z_]\w*|\[[^\]]*\]))*")
_FOR = re.compile(r"^for\s+([A-Za-z_]\w*)\s+in\s+(.+?)(?:\s+if\s.*)?(?:\s+recursive)?$", re.DOTALL)


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


# --- before rendering --------------------------------------------------------------------------


def diagnose(docx: Any, environment: Environment, kinds: Kinds) -> Diagnosis:
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
        diagnosis.errors += _fragment_in_wrong_tag(tag, kinds, aliases)
        loop = _FOR.match(tag.content) if tag.opening == "{%" else None
        if loop is not None:
            through = _field_path(_value_part(loop.group(2)).strip(), aliases)
            aliases[loop.group(1)] = through + "[]" if through else None
    return diagnosis


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
        markup = _MARKUP.match(tag_text, position) if character == "<" else None
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


def _parts(docx: Any) -> Iterator[tuple[str, Any]]:
    """The body, then each header, footer and the footnotes, with the name a message gives it."""
    yield "body", docx.element.body
    for part in docx.part.package.iter_parts():
        match = _PART_NAME.match(str(part.partname))
        if match and hasattr(part, "element"):
            yield _label(match), part.element


def _label(match: re.Match[str]) -> str:
    return f"{match.group(1)} {match.group(2) or 1}"


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


def _fragment_in_wrong_tag(tag: Tag, kinds: Kinds, aliases: dict[str, str | None]) -> list[str]:
    """Prepared paragraphs need ``{{p}}``, links, bookmarks and images ``{{r}}``, plain text ``{{ }}``."""
    if tag.opening != "{{":
        return []
    expression = straighten_quotes(tag.content)
    found = {kinds.of(path) for path in _printed_fields(expression, aliases)} - {None}
    prepared = [kind for kind in ("paragraphs", "runs", "image") if kind in found]
    if (tag.level == "p" and "paragraphs" in found) or (tag.level == "r" and {"runs", "image"} & found):
        return []
    if prepared:
        kind = prepared[0]
        wanted = "p" if kind == "paragraphs" else "r"
        if tag.level == wanted:
            return []
        what = {
            "paragraphs": "paragraphs",
            "runs": "prepared Word content (links or bookmarks)",
            "image": "an image",
        }[kind]
        # a filter cannot make prepared content into text a reader could use: the field as it is
        content = tag.content.split("|")[0].strip() if "|" in _STRING.sub('""', expression) else tag.content
        return [
            f"{tag.place}: {tag.written} prints {what}; write {{{{{wanted} {content} }}}}"
            + (" in a paragraph of its own" if wanted == "p" else "")
        ]
    if tag.level in ("p", "r") and found == {"text"} and "|" not in _STRING.sub('""', expression):
        inside = "a paragraph" if tag.level == "p" else "the paragraph's text"
        return [
            f"{tag.place}: {tag.written} prints plain text, where {{{{{tag.level} …}}}} takes prepared"
            f" content only; write {{{{ {tag.content} }}}} inside {inside}"
        ]
    return []


def _printed_fields(expression: str, aliases: dict[str, str | None]) -> list[str]:
    """The fields an expression prints (``m.partners or '–'`` → ``themes[].measures[].partners``).

    Conditions (``x if cond``) are left out: what they test is not printed.
    Fields under a loop variable that cannot be followed are named by their
    last name alone (``.partners``).
    """
    value = _value_part(_STRING.sub('""', expression))
    fields = []
    for chain in _CHAIN.finditer(value):
        following = value[chain.end() :].lstrip()[:1]
        if following == "(" or chain.group(0).split(".")[0].strip() in _NOT_FIELDS:
            continue  # a call, or one of Jinja's words
        path = _field_path(chain.group(0), aliases)
        fields.append(path if path is not None else "." + re.split(r"[.\[]", chain.group(0))[-1].strip())
    return fields


def _value_part(expression: str) -> str:
    """``a if cond else b`` → ``a  b``; the first filter's argument only (``x|join(', ')`` → ``x``)."""
    value = re.sub(r"\sif\s.*?(?=\selse\s|$)", " ", expression, flags=re.DOTALL)
    value = re.sub(r"\selse\s", " ", value)
    return value.split("|", 1)[0]


def _field_path(chain: str, aliases: dict[str, str | None]) -> str | None:
    """``theme.goals[0].title`` → ``themes[].goals[].title``: a field's path in the context.

    None where the chain starts at a loop variable whose list cannot be followed.
    """
    parts: list[str] = re.findall(r"[A-Za-z_]\w*|\[[^\]]*\]", chain)
    if not parts:
        return None
    root = parts[0]
    path = aliases.get(root, root)
    if path is None:
        return None
    for part in parts[1:]:
        path += "[]" if part.startswith("[") else "." + part
    return path


@dataclass(frozen=True)
class Kinds:
    """What each field of a context holds: "paragraphs" or "runs" (prepared), "image" or "text".

    Fields are named by their path (``meta.note``, ``labels.introduction``,
    ``themes[].description``): two fields of one name may hold different kinds.
    A field whose values differ in kind is left out, and so is a last name that
    several fields share with different kinds.
    """

    paths: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def of(self, path: str) -> str | None:
        if path.startswith("."):  # a field under a loop variable that could not be followed
            return self.names.get(path[1:])
        return self.paths.get(path)


def prepared_kinds(values: Any, limit: int = 50_000) -> Kinds:
    """What the fields of a context hold, by their paths: prepared paragraphs, runs, images or text."""
    found: dict[str, set[str]] = {}
    pending: list[tuple[str, Any]] = [("", values)]
    seen = 0
    while pending and seen < limit:
        path, value = pending.pop()
        seen += 1
        kind = _kind_of(value)
        if kind:
            found.setdefault(path, set()).add(kind)
        elif isinstance(value, dict):
            pending.extend((f"{path}.{key}" if path else str(key), item) for key, item in value.items())
        elif isinstance(value, list | tuple):
            pending.extend((path + "[]", item) for item in value[:20])
    by_name: dict[str, set[str]] = {}
    for path, kinds in found.items():
        by_name.setdefault(re.split(r"[.\[]", path.removesuffix("[]"))[-1], set()).update(kinds)
    return Kinds(
        {path: next(iter(kinds)) for path, kinds in found.items() if len(kinds) == 1},
        {name: next(iter(kinds)) for name, kinds in by_name.items() if len(kinds) == 1},
    )


def _kind_of(value: Any) -> str:
    if isinstance(value, Markup):
        start = value.lstrip()[:16]
        if start.startswith(("<w:p>", "<w:p ", "<w:tbl")):
            return "paragraphs"
        if start.startswith(("<w:r>", "<w:r ", "<w:hyperlink", "<w:bookmark", "<w:fldSimple")):
            return "runs"
        return ""  # empty: nothing to tell
    if isinstance(value, Image):
        return "image"
    if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        return "text"
    return ""


# --- failures of rendering -------------------------------------------------------------------


def located_error(template: Path, diagnosis: Diagnosis, part: str, exc: JinjaTemplateError) -> TemplateError:
    """A Jinja error as a message at the paragraph (and tag) that caused it.

    The paragraph is the one the renderer found the error in (``paragraph_of``,
    attached to the exception as ``template_paragraph``); where it cannot tell,
    the first tag naming the culprit.
    """
    paragraph = getattr(exc, "template_paragraph", None)
    culprit = None
    if isinstance(exc, UndefinedError):
        culprit = _undefined_name(str(exc.message))
    elif isinstance(exc, SecurityError):
        attribute = re.search(r"attribute '([^']+)'", str(exc))
        culprit = attribute.group(1) if attribute else None
    elif isinstance(exc, TemplateSyntaxError):
        unknown = re.search(r"No (?:filter|test) named '([^']+)'", str(exc.message))
        culprit = unknown.group(1) if unknown else None
    tag = None
    if culprit is not None:
        tags = diagnosis.tags_at(part, paragraph) or diagnosis.tags
        tag = _tag_naming(tags, culprit)
    where = str(tag.place) if tag is not None else diagnosis.where(part, paragraph)
    located = tag is not None or (paragraph is not None and (part, paragraph) in diagnosis.places)
    near = None if located else _near(exc)
    if isinstance(exc, UndefinedError) and culprit is None:  # "list object has no element 0"
        return TemplateError(
            template,
            f"{where}: {exc.message}",
            near or "a list may be empty in a concept: test it first ({% if … %})",
        )
    if isinstance(exc, UndefinedError):
        return TemplateError(
            template,
            f"{where}: unknown template variable {culprit!r}",
            near or "docs/templates.md lists every variable",
        )
    if isinstance(exc, SecurityError):
        return TemplateError(template, f"{where}: unsafe template code refused: {exc}", near)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(template, f"{where}: template syntax error: {exc.message}", near)
    return TemplateError(template, f"{where}: template error: {exc}", near)


def part_label(document: Any) -> str:
    """``/word/header1.xml`` → ``header 1``: the part being rendered when a tag failed."""
    part = getattr(document, "current_rendering_part", None)
    return label_of(part) if part is not None else "body"


def label_of(part: Any) -> str:
    """The name a message gives a part of the package: ``body``, ``header 1``, ``footnotes 1``."""
    match = _PART_NAME.match(str(getattr(part, "partname", "")))
    return _label(match) if match else "body"


def refuse(template: Path, diagnosis: Diagnosis) -> None:
    """The errors a diagnosis found, one per line, as one ``TemplateError``."""
    if diagnosis.errors:
        raise TemplateError(template, f"\n{template}: ".join(diagnosis.errors))


def _undefined_name(message: str) -> str | None:
    """``'X object' has no attribute 'leed'`` → ``leed``; ``'titel' is undefined`` → ``titel``."""
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return match.group(1) if match else None


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


# --- paragraph markers -------------------------------------------------------------------------


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
    return _MARKER.sub(b"", xml) if b"<!--cb:" in xml else xml


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


# --- after rendering ---------------------------------------------------------------------------
# The rendered body is scanned as bytes (a large concept's body is tens of megabytes; a tree of it would
# cost seconds): these patterns rely on the compact XML the render stage writes, as its unit tests show.

# atomic: a cell's properties end at their first </w:tcPr>; trying later ones made the pass quadratic
_EMPTY_CELL = re.compile(rb"(<w:tc>(?:(?><w:tcPr>.*?</w:tcPr>)|<w:tcPr/>)?)(</w:tc>)", re.DOTALL)
_INTERNAL_LINK = re.compile(rb'<w:hyperlink w:anchor="([^"]*)"[^>]*>(.*?)</w:hyperlink>', re.DOTALL)
_BOOKMARK_NAME = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:name="([^"]*)"')
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")
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
        markers = _MARKER.findall(body, 0, first.start())
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
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.CommentHandler = self.comment

    def start(self, name: str, attributes: dict[str, str]) -> None:
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
        self.stack.pop()

    def text(self, data: str) -> None:
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

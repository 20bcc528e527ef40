"""Word's vocabulary in one place: namespaces, styles by name and role, numbering, fields.

A template names its styles in Word's style dialog; Word stores a built-in
style under its English name ("heading 1") but gives it an id in the language
of the Word that saved it ("berschrift1" in a German Word), and a custom
style keeps the name it was given. So styles are found by what they are –
headings by their outline level, the others by name – and the ids are looked
up in the template's own ``styles.xml``. The render stage, the contents, the
prepared fragments and ``check`` all resolve styles here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from markupsafe import escape as markup_escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
WP = f"{{{WP_NS}}}"

DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
NUMBERING_PART = "word/numbering.xml"
THEME_PART = "word/theme/theme1.xml"
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}
SINGLE_LINE = 1.15  # single line spacing of the usual sans-serif fonts, as a multiple of their size

# The styles prepared content uses, by role: Word's English name first, then
# names other Words or users give them. Headings are found by outline level.
PARAGRAPH_ROLES: dict[str, tuple[str, ...]] = {
    "body": ("Body Text", "Textkörper", "Text Body"),
    "small": ("Small Text", "Kleiner Text"),
    "list_bullet": ("List Bullet", "Aufzählungszeichen"),
    "list_bullet_2": ("List Bullet 2", "Aufzählungszeichen 2"),
    "list_bullet_3": ("List Bullet 3", "Aufzählungszeichen 3"),
    "list_number": ("List Number", "Listennummer"),
    "list_number_2": ("List Number 2", "Listennummer 2"),
    "list_number_3": ("List Number 3", "Listennummer 3"),
    "toc_1": ("toc 1", "Verzeichnis 1", "Contents 1"),
    "toc_2": ("toc 2", "Verzeichnis 2", "Contents 2"),
    "toc_3": ("toc 3", "Verzeichnis 3", "Contents 3"),
    "quote": ("Citation", "Zitat"),  # not "Quote": LibreOffice would tag it so and remap the tag
}
CHARACTER_ROLES: dict[str, tuple[str, ...]] = {
    "hyperlink": ("Hyperlink", "Link", "Internet Link"),
    "example_tag": ("Example Note Char", "Example Tag", "Beispielinhalt"),
    "strong": ("Strong", "Fett"),
}

LINK_STYLE = "Hyperlink"  # added to a template without a style for links
LINK_COLOUR = "0563C1"  # Word's own link blue: 5.9:1 on white

TABLE_ROLES: dict[str, tuple[str, ...]] = {
    "table": ("Concept Table", "Konzepttabelle"),  # a table with a header row
    "profile": ("Profile Table", "Steckbrieftabelle"),  # label | value
}


# --- styles ---------------------------------------------------------------------------------


class Styles:
    """The style definitions of a document (its ``w:styles`` element), read through their chains."""

    def __init__(self, element: Any, theme_fonts: dict[str, str] | None = None) -> None:
        self.element = element
        self.theme_fonts = theme_fonts or {}  # "minor" (body) and "major" (headings): the theme's families
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        for style in element.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            self.by_id[style_id] = style
            if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on"):
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[Any]:
        """The style and the ones it is based on, nearest first."""
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None

    def name(self, style_id: str) -> str:
        element = self.by_id[style_id].find(f"{W}name")
        return str(element.get(f"{W}val")) if element is not None else style_id

    def kind(self, style_id: str) -> str:
        return str(self.by_id[style_id].get(f"{W}type", "paragraph"))

    def outline_level(self, style_id: str | None) -> int | None:
        """The heading level (1–9) a paragraph style gives, through its chain; None for body text."""
        for style in self.chain(style_id):
            level = style.find(f"{W}pPr/{W}outlineLvl")
            if level is not None:
                value = number(level.get(f"{W}val"), 9)
                return value + 1 if value < 9 else None
        return None

    def numbered(self, style_id: str | None) -> bool:
        """Whether paragraphs of this style are list items (the style or its chain sets a numbering)."""
        return any(style.find(f"{W}pPr/{W}numPr") is not None for style in self.chain(style_id))

    def list_level(self, style_id: str) -> tuple[str, int] | None:
        """The list (numId) a paragraph style's numbering belongs to, and its level in it (ilvl)."""
        for style in self.chain(style_id):
            properties = style.find(f"{W}pPr/{W}numPr")
            if properties is None:
                continue
            numbering, level = properties.find(f"{W}numId"), properties.find(f"{W}ilvl")
            if numbering is None:
                return None
            return str(numbering.get(f"{W}val")), number(
                level.get(f"{W}val") if level is not None else None, 0
            )
        return None

    def numbering_id(self, style_id: str) -> str | None:
        for style in self.chain(style_id):
            num = style.find(f"{W}pPr/{W}numPr/{W}numId")
            if num is not None:
                return str(num.get(f"{W}val"))
        return None

    def find(self, names: Iterable[str], kind: str) -> str | None:
        """The id of the first style of ``kind`` called one of ``names`` (case does not matter)."""
        wanted = [name.casefold() for name in names]
        found: dict[str, str] = {}
        for style_id in self.by_id:
            if self.kind(style_id) == kind:
                found.setdefault(self.name(style_id).casefold(), style_id)
        return next((found[name] for name in wanted if name in found), None)

    def property_value(self, style_id: str | None, path: str, attribute: str) -> str | None:
        """A formatting value (``path`` below the style, e.g. ``w:rPr/w:color``) through the chain."""
        for style in self.chain(style_id):
            found = style.find(path)
            if found is not None and found.get(attribute):
                return str(found.get(attribute))
        return None

    # --- formatting in effect: set on the element itself, else inherited from its style

    def run_value(self, run: Any, name: str, attribute: str) -> str | None:
        """A run property (``color``/``val``) of ``run``, set directly or through its character style."""
        return self._effective(run, f"{W}rPr/{W}{name}", f"{W}{attribute}", f"{W}rPr/{W}rStyle", None)

    def paragraph_run_value(self, paragraph: Any, name: str, attribute: str) -> str | None:
        """A run property the paragraph's style gives its text (``pPr/rPr`` only formats the mark)."""
        style = _style_of(paragraph, f"{W}pPr/{W}pStyle", self.default_paragraph)
        return self.property_value(style, f"{W}rPr/{W}{name}", f"{W}{attribute}")

    def paragraph_fill(self, paragraph: Any) -> str:
        """The background behind a paragraph: its shading, its style's, its table cell's, or white."""
        fill = self._effective(
            paragraph, f"{W}pPr/{W}shd", f"{W}fill", f"{W}pPr/{W}pStyle", self.default_paragraph
        )
        if fill:
            return fill
        cell = next(paragraph.iterancestors(f"{W}tc"), None)
        if cell is not None:
            shading = cell.find(f"{W}tcPr/{W}shd")
            if shading is not None and shading.get(f"{W}fill") not in (None, "auto"):
                return str(shading.get(f"{W}fill"))
        return "FFFFFF"

    def text_format(self, style_id: str | None) -> TextFormat:
        """How a paragraph (or character) style sets its text: font, size, weight, lines and spacing."""
        chain = list(self.chain(style_id))
        run_defaults = self.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        paragraph_defaults = self.element.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
        runs = [style.find(f"{W}rPr") for style in chain] + [run_defaults]
        paragraphs = [style.find(f"{W}pPr") for style in chain] + [paragraph_defaults]

        def nearest(sources: list[Any], path: str, attribute: str | None = None) -> Any:
            """The element at ``path`` (having ``attribute``) of the nearest style, else the defaults'."""
            for source in sources:
                element = source.find(path) if source is not None else None
                if element is not None and (attribute is None or element.get(f"{W}{attribute}") is not None):
                    return element
            return None

        def spacing(attribute: str, default: int) -> int:
            found = nearest(paragraphs, f"{W}spacing", attribute)
            return number(found.get(f"{W}{attribute}"), default) if found is not None else default

        fonts = next(
            (
                f
                for r in runs
                if r is not None
                for f in r.findall(f"{W}rFonts")
                if f.get(f"{W}ascii") or f.get(f"{W}asciiTheme")
            ),
            None,
        )
        size = nearest(runs, f"{W}sz")
        bold = nearest(runs, f"{W}b")
        keep = nearest(paragraphs, f"{W}keepNext")
        rule = nearest(paragraphs, f"{W}spacing", "lineRule")
        exact = rule is not None and rule.get(f"{W}lineRule") in ("exact", "atLeast")
        return TextFormat(
            family=self._family(fonts),
            size_pt=number(size.get(f"{W}val") if size is not None else None, 20) / 2,
            bold=_on(bold),
            line=spacing("line", 240) / (20 if exact else 240),
            line_exact=exact,
            before_pt=spacing("before", 0) / 20,
            after_pt=spacing("after", 0) / 20,
            keep_next=_on(keep),
        )

    def _family(self, fonts: Any) -> str:
        """The family an ``rFonts`` names, directly or as the theme's body or heading font."""
        if fonts is not None and fonts.get(f"{W}ascii"):
            return str(fonts.get(f"{W}ascii"))
        theme = str(fonts.get(f"{W}asciiTheme", "")) if fonts is not None else ""
        for kind in ("minor", "major"):
            if theme.startswith(kind) and self.theme_fonts.get(kind):
                return self.theme_fonts[kind]
        return "Times New Roman"  # Word's default

    def accent(self) -> str | None:
        """The design's colour: the fill of the header row of our tables, or the first heading's colour."""
        table = self.find(TABLE_ROLES["table"], "table")
        if table is not None:
            fill = self.by_id[table].find(f"{W}tblStylePr[@{W}type='firstRow']/{W}tcPr/{W}shd")
            if fill is not None and _is_colour(fill.get(f"{W}fill")):
                return str(fill.get(f"{W}fill"))
        heading = next((i for i in self.by_id if self.outline_level(i) == 1), None)
        colour = self.property_value(heading, f"{W}rPr/{W}color", f"{W}val") if heading else None
        return colour if _is_colour(colour) else None

    def text_colour(self) -> str:
        colour = self.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}color")
        value = colour.get(f"{W}val") if colour is not None else None
        return str(value) if _is_colour(value) else "000000"

    def cell_margins(self, style_id: str | None) -> tuple[int, int]:
        """Left and right cell margins (twips) a table style gives; Word's defaults otherwise."""
        for style in self.chain(style_id):
            margins = style.find(f"{W}tblPr/{W}tblCellMar")
            if margins is not None:
                left = margins.find(f"{W}left")
                right = margins.find(f"{W}right")
                return (
                    number(left.get(f"{W}w"), 108) if left is not None else 108,
                    number(right.get(f"{W}w"), 108) if right is not None else 108,
                )
        return (108, 108)

    def _effective(
        self, element: Any, path: str, attribute: str, style_path: str, default_style: str | None
    ) -> str | None:
        found = element.find(path)
        if found is not None and found.get(attribute):
            return str(found.get(attribute))
        return self.property_value(_style_of(element, style_path, default_style), path, attribute)


def _numbers(styles: Styles, style_id: str) -> bool:
    """Whether paragraphs of the style are numbered (a list that is not switched off with id 0)."""
    numbering = styles.numbering_id(style_id)
    return numbering is not None and numbering != "0"


def _on(element: Any) -> bool:
    """Whether an on/off property (``w:b``, ``w:keepNext`` …) is on."""
    return element is not None and element.get(f"{W}val", "1") not in ("0", "false", "off")


def _is_colour(value: str | None) -> bool:
    return value is not None and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value)


def _style_of(element: Any, style_path: str, default: str | None) -> str | None:
    style = element.find(style_path)
    return str(style.get(f"{W}val")) if style is not None else default


@dataclass(frozen=True)
class TextFormat:
    """What shapes the width and height of text: font, size, weight, line spacing, space around."""

    family: str
    size_pt: float
    bold: bool
    line: float = 1.0  # a multiple of single spacing, or points where ``line_exact``
    line_exact: bool = False
    before_pt: float = 0.0
    after_pt: float = 0.0
    keep_next: bool = False

    def line_height_pt(self) -> float:
        """The height of one line: the font's own line spacing (about 1.15 of its size) times ``line``."""
        return self.line if self.line_exact else self.size_pt * SINGLE_LINE * self.line


WORD_DEFAULT_FORMAT = TextFormat("Times New Roman", 10, False)


@dataclass(frozen=True)
class StyleMap:
    """The style id of each role in one document, and the heading level of each heading style."""

    ids: dict[str, str]
    headings: dict[str, int] = field(default_factory=dict)  # paragraph style id → outline level
    missing: tuple[str, ...] = ()  # roles the document has no style for (they fall back to body text)
    formats: dict[str | None, TextFormat] = field(default_factory=dict)  # paragraph style → its text
    margins: dict[str | None, tuple[int, int]] = field(default_factory=dict)  # table style → cell margins
    accent: str = "1F4E79"  # the design's colour: a table's header row, else headings (RRGGBB)
    text_colour: str = "000000"
    numbered_headings: bool = False  # the design numbers its chapters itself (a list in "heading 1")
    outline_numbers: dict[str, OutlineLevel] = field(default_factory=dict)  # heading style → its numbering
    first_list_instance: int = 1000  # numbering ids from here on are free for lists that restart at 1
    list_levels: dict[str, tuple[str, int]] = field(default_factory=dict)  # list role → (numId, ilvl)

    def __getitem__(self, role: str) -> str:
        return self.ids[role]

    def nests(self, kind: str) -> bool:
        """Whether the styles of ``kind`` ("bullet" or "number") are levels 0–2 of one list, so that a
        nested list is a list inside its item – in Word and in a tagged PDF – not a list beside it."""
        levels = [self.list_levels.get(f"list_{kind}{suffix}") for suffix in ("", "_2", "_3")]
        return levels == [(levels[0][0], level) for level in range(3)] if levels[0] else False

    def format_of(self, style_id: str | None) -> TextFormat:
        """How text of a paragraph style is set; the default paragraph style's for an unknown one."""
        return self.formats.get(style_id) or self.formats.get(None) or WORD_DEFAULT_FORMAT

    def cell_margins(self, table_style: str | None) -> tuple[int, int]:
        return self.margins.get(table_style) or self.margins.get(None) or (108, 108)

    def heading(self, level: int) -> str | None:
        """A style for headings of ``level``: "heading N" by preference."""
        candidates = [style_id for style_id, found in self.headings.items() if found == level]
        return candidates[0] if candidates else None

    @classmethod
    def of(cls, styles: Styles, numbering: Any = None) -> StyleMap:
        ids: dict[str, str] = {}
        missing = []
        body = styles.find(PARAGRAPH_ROLES["body"], "paragraph") or styles.default_paragraph or "Normal"
        for roles, kind in ((PARAGRAPH_ROLES, "paragraph"), (CHARACTER_ROLES, "character")):
            for role, names in roles.items():
                found = styles.find(names, kind)
                if found is None:
                    missing.append(role)
                ids[role] = found or (body if kind == "paragraph" else "")
        headings: dict[str, int] = {}
        # "heading N" first, so that it is the style chosen for level N
        order = sorted(styles.by_id, key=lambda i: not styles.name(i).casefold().startswith("heading "))
        for style_id in order:
            if styles.kind(style_id) == "paragraph":
                level = styles.outline_level(style_id)
                if level is not None:
                    headings[style_id] = level
        formats: dict[str | None, TextFormat] = {
            style_id: styles.text_format(style_id)
            for style_id in styles.by_id
            if styles.kind(style_id) == "paragraph"
        }
        formats[None] = styles.text_format(styles.default_paragraph)
        margins: dict[str | None, tuple[int, int]] = {
            style_id: styles.cell_margins(style_id)
            for style_id in styles.by_id
            if styles.kind(style_id) == "table"
        }
        margins[None] = styles.cell_margins(None)
        first_level = next((i for i, level in headings.items() if level == 1), None)
        return cls(
            ids,
            headings,
            tuple(missing),
            formats,
            margins,
            styles.accent() or "1F4E79",
            styles.text_colour(),
            numbered_headings=first_level is not None and _numbers(styles, first_level),
            outline_numbers=outline_numbering(styles, numbering, headings),
            first_list_instance=free_list_instance(numbering),
            list_levels={
                role: in_list
                for role in PARAGRAPH_ROLES
                if role.startswith("list_")
                and role not in missing
                and (in_list := styles.list_level(ids[role]))
            },
        )

    @classmethod
    def parse(
        cls, styles_xml: bytes, numbering_xml: bytes | None = None, theme_xml: bytes | None = None
    ) -> StyleMap:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        numbering = etree.fromstring(numbering_xml, parser) if numbering_xml else None
        return cls.of(Styles(etree.fromstring(styles_xml, parser), theme_fonts(theme_xml)), numbering)


def theme_fonts(theme_xml: bytes | None) -> dict[str, str]:
    """The theme's body ("minor") and heading ("major") font families, which styles may name."""
    found = re.findall(rb'<a:(minor|major)Font>\s*<a:latin typeface="([^"]+)"', theme_xml or b"")
    return {kind.decode(): family.decode("utf-8") for kind, family in found}


# --- heading numbering ------------------------------------------------------------------------
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


def outline_numbering(styles: Styles, numbering: Any, headings: dict[str, int]) -> dict[str, OutlineLevel]:
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


def _value(element: Any, name: str, default: str) -> str:
    child = element.find(f"{W}{name}")
    value = child.get(f"{W}val") if child is not None else None
    return str(value) if value is not None else default


def number(value: str | None, default: int) -> int:
    """An integer attribute as Word writes it, or ``default`` where a file holds something else."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- bullets -----------------------------------------------------------------------------------
#
# Word's own bullet lists draw their bullets from the Symbol and Wingdings fonts at
# private-use code points (U+F0B7 for "•"); in a PDF the text then says U+F0B7,
# which a screen reader cannot speak. Lists take the Unicode character instead, in
# the list's own font.

SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf06e": "■"}


def unicode_bullets(numbering: Any) -> None:
    """Every bullet at a private-use code point (Symbol, Wingdings) as its Unicode character."""
    for level in numbering.iter(f"{W}lvl"):
        text = level.find(f"{W}lvlText")
        value = text.get(f"{W}val") if text is not None else None
        if not value or not all("\ue000" <= character <= "\uf8ff" for character in value):
            continue
        text.set(f"{W}val", "".join(SYMBOL_BULLETS.get(character, "•") for character in value))
        for fonts in level.findall(f"{W}rPr/{W}rFonts"):
            fonts.getparent().remove(fonts)  # the symbol font has no such character: the list's own does


# --- pictures ---------------------------------------------------------------------------------

VML = "{urn:schemas-microsoft-com:vml}"
OFFICE = "{urn:schemas-microsoft-com:office:office}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_TRUE = ("1", "true", "on")


@dataclass(frozen=True)
class Picture:
    """A picture of a part and what readers learn of it.

    Word reads the alt text from ``descr``, LibreOffice (its checker, its HTML
    export, its PDF) from ``title``; Word marks a picture decorative in an
    extension (``adec:decorative val="1"``; ``val="0"`` says it is not).
    """

    element: Any  # the w:drawing, or the VML picture's v:imagedata
    description: str
    title: str
    decorative: bool
    vml: bool  # a picture in Word's older format: one alt text, no title apart

    @property
    def paragraph(self) -> Any:
        """The paragraph the picture stands in (the element itself outside any)."""
        return next(self.element.iterancestors(f"{W}p"), self.element)


def pictures(root: Any) -> Iterator[Picture]:
    """Every picture below ``root``: DrawingML drawings, then VML pictures (also OLE objects' previews)."""
    for drawing in root.iter(f"{W}drawing"):
        properties = drawing.find(f".//{WP}docPr")
        if properties is None:
            yield Picture(drawing, "", "", False, False)
            continue
        decorative = any(flag.get("val", "") in _TRUE for flag in properties.iter(DECORATIVE))
        description = (properties.get("descr") or "").strip()
        yield Picture(drawing, description, (properties.get("title") or "").strip(), decorative, False)
    for image in root.iter(f"{VML}imagedata"):
        shape = image.getparent()
        alternative = (shape.get("alt") if shape is not None else None) or image.get(f"{OFFICE}title") or ""
        yield Picture(image, alternative.strip(), alternative.strip(), False, True)


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
    so that screen readers and the PDF's /Lang follow it.
    """
    properties = ""
    if style:
        properties += f'<w:rStyle w:val="{style}"/>'
    if bold:
        properties += "<w:b/>"
    if italic:
        properties += "<w:i/>"
    if strike:
        properties += "<w:strike/>"
    if underline:
        properties += '<w:u w:val="single"/>'
    if lang:  # the schema's order: rStyle, b, i, strike … u … lang
        properties += f'<w:lang w:val="{escape_text(lang)}"/>'
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


def free_list_instance(numbering: Any) -> int:
    """The first numbering id above every one ``numbering`` (a template's numbering part) uses."""
    used = [] if numbering is None else numbering.xpath("./w:num/@w:numId", namespaces={"w": W_NS})
    return max([FIRST_LIST_INSTANCE, *(int(n) + 1 for n in used if str(n).isdigit())])


@dataclass(frozen=True)
class ListInstance:
    """A list of its own: numbered lists restart at 1; a list nesting the other kind (a bullet under a
    number) takes those levels from the other kind's list, so that it stays one list."""

    number: int  # its numId
    kind: str  # "bullet" or "number": whose list it is an instance of
    others: tuple[int, ...] = ()  # levels (ilvl) of the other kind


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

"""Styles found by what they are – headings by outline level, the others by name – and how their text
is set, so that any template works, one saved by a German Word included."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .vocabulary import SINGLE_LINE, TABLE_ROLES, W, number


class Styles:
    """The style definitions of a document (its ``w:styles`` element), read through their chains."""

    def __init__(self, element: etree._Element, theme_fonts: dict[str, str] | None = None) -> None:
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

    def run_value(self, run: etree._Element, name: str, attribute: str) -> str | None:
        """A run property (``color``/``val``) of ``run``, set directly or through its character style."""
        return self._effective(run, f"{W}rPr/{W}{name}", f"{W}{attribute}", f"{W}rPr/{W}rStyle", None)

    def paragraph_run_value(self, paragraph: etree._Element, name: str, attribute: str) -> str | None:
        """A run property the paragraph's style gives its text (``pPr/rPr`` only formats the mark)."""
        style = _style_of(paragraph, f"{W}pPr/{W}pStyle", self.default_paragraph)
        return self.property_value(style, f"{W}rPr/{W}{name}", f"{W}{attribute}")

    def paragraph_fill(self, paragraph: etree._Element) -> str:
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
        self, element: etree._Element, path: str, attribute: str, style_path: str, default_style: str | None
    ) -> str | None:
        found = element.find(path)
        if found is not None and found.get(attribute):
            return str(found.get(attribute))
        return self.property_value(_style_of(element, style_path, default_style), path, attribute)


def style_numbers(styles: Styles, style_id: str) -> bool:
    """Whether paragraphs of the style are numbered (a list that is not switched off with id 0)."""
    numbering = styles.numbering_id(style_id)
    return numbering is not None and numbering != "0"


def _on(element: etree._Element) -> bool:
    """Whether an on/off property (``w:b``, ``w:keepNext`` …) is on."""
    return element is not None and element.get(f"{W}val", "1") not in ("0", "false", "off")


def _is_colour(value: str | None) -> bool:
    return value is not None and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value)


def _style_of(element: etree._Element, style_path: str, default: str | None) -> str | None:
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


def theme_fonts(theme_xml: bytes | None) -> dict[str, str]:
    """The theme's body ("minor") and heading ("major") font families, which styles may name."""
    found = re.findall(rb'<a:(minor|major)Font>\s*<a:latin typeface="([^"]+)"', theme_xml or b"")
    return {kind.decode(): family.decode("utf-8") for kind, family in found}

"""The style of each role in one document, found once: the ids of its styles by what they are, its
headings' levels and numbering, how its text is set, its colours – what every stage reads of a template."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .fragments import free_list_instance
from .headings import OutlineLevel, outline_numbering
from .styles import WORD_DEFAULT_FORMAT, Styles, TextFormat, style_numbers, theme_fonts
from .vocabulary import CHARACTER_ROLES, PARAGRAPH_ROLES


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
    def of(cls, styles: Styles, numbering: etree._Element | None = None) -> StyleMap:
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
            numbered_headings=first_level is not None and style_numbers(styles, first_level),
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

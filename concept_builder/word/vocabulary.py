"""The names of Word's vocabulary: namespaces, parts of a package, and the styles by role – Word's
English name first, then the names other Words or users give them."""

from __future__ import annotations

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

# Word's English names of its built-in styles → the names other Words and LibreOffice save them under,
# so that a reference document's "Überschrift 1" restyles our "heading 1"
LOCAL_STYLE_NAMES: dict[str, tuple[str, ...]] = {
    **{f"heading {level}": (f"Überschrift {level}", f"Heading {level}") for level in range(1, 10)},
    "normal": ("Standard", "Default Paragraph Style"),
    "title": ("Titel",),
    "subtitle": ("Untertitel",),
    "caption": ("Beschriftung",),
    "toc heading": ("Inhaltsverzeichnisüberschrift",),
    "list paragraph": ("Listenabsatz",),
    "footnote text": ("Fußnotentext",),
    "header": ("Kopfzeile",),
    "footer": ("Fußzeile",),
    "table grid": ("Tabellenraster",),
}

LINK_STYLE = "Hyperlink"  # added to a template without a style for links
LINK_COLOUR = "0563C1"  # Word's own link blue: 5.9:1 on white

TABLE_ROLES: dict[str, tuple[str, ...]] = {
    "table": ("Concept Table", "Konzepttabelle"),  # a table with a header row
    "profile": ("Profile Table", "Steckbrieftabelle"),  # label | value
}


def number(value: str | None, default: int) -> int:
    """An integer attribute as Word writes it, or ``default`` where a file holds something else."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default

"""The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4), which PDF/UA forbids remapping.

Shared by the PDF rules, the .docx rule on style names and the templates:
LibreOffice tags a paragraph or character style by its name and remaps that
name to P or Span, so a style named like a standard type remaps the type itself.
"""

from __future__ import annotations

# Inline types: their text belongs to the paragraph around them
INLINE_TYPES = frozenset(
    {"Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP"}
    | {"Warichu", "WT", "WP"}
)
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
STANDARD_TYPES = INLINE_TYPES | {
    *("Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index"),
    *("NonStruct", "Private", "P", "H", *HEADINGS, "L", "LI", "Lbl", "LBody"),
    *("Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Figure", "Formula", "Form"),
}

# What LibreOffice's PDF export remaps a style's tag to; a style named like its target stays itself
REMAPPED_TO = {"paragraph": "P", "character": "Span"}


def remapped_style(kind: str, name: str) -> bool:
    """Whether LibreOffice would tag a ``kind`` style called ``name`` as a standard type and remap it.

    Word's own lower-case names ("caption", "header") differ from the types.
    """
    target = REMAPPED_TO.get(kind)
    return target is not None and name in STANDARD_TYPES and name != target

"""The check of a .docx – ours or one made in Word.

The rules follow BITV 2.0 / EN 301 549 as far as they can be read from the
file: title and language set, no protection (here); headings in order, real
lists, no bold paragraphs standing in for headings, no style named like a
PDF structure type (``docx_structure.py``); alt text on images, header rows
on tables, no empty cells or empty paragraphs for spacing, meaningful link
texts (``docx_content.py``); readable contrast (``docx_contrast.py``).
Headers and footers are read with the body. Each finding names the rule,
where it is and how to fix it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from docx import Document

from ..word import W
from .docx_content import empty_cells, empty_paragraphs, images, links, tables
from .docx_contrast import contrast
from .docx_file import WordFile, read_docx
from .docx_structure import bold_labels, headings, style_names, typed_lists
from .findings import Finding


def check_docx(path: Path) -> list[Finding]:
    """Every accessibility finding in the .docx at ``path``; empty when it passes."""
    word = read_docx(path)
    return [finding for rule in RULES for finding in rule(word)]


def check_docx_data(data: bytes) -> list[Finding]:
    """Every accessibility finding in a .docx just rendered, given as its bytes."""
    word = WordFile.of(Document(io.BytesIO(data)))
    return [finding for rule in RULES for finding in rule(word)]


# --- the document ---------------------------------------------------------------------------------


def title(word: WordFile) -> Iterator[Finding]:
    if not (word.document.core_properties.title or "").strip():
        yield Finding(
            "title",
            "document properties",
            "the document has no title",
            "set a title in File › Properties; readers show it instead of the file name",
        )


def language(word: WordFile) -> Iterator[Finding]:
    lang = word.document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    if lang is None or not lang.get(f"{W}val"):
        yield Finding(
            "language",
            "styles",
            "the document language is not set",
            "set the language of the Normal style, e.g. German (Germany)",
        )


def protection(word: WordFile) -> Iterator[Finding]:
    protected = word.document.settings.element.find(f"{W}documentProtection")
    if protected is not None and protected.get(f"{W}enforcement") in ("1", "true", "on"):
        yield Finding(
            "protection",
            "settings",
            "the document is protected",
            "remove the protection; it can block assistive technology",
        )


RULES: tuple[Callable[[WordFile], Iterable[Finding]], ...] = (
    title,
    language,
    headings,
    images,
    tables,
    empty_cells,
    empty_paragraphs,
    typed_lists,
    bold_labels,
    style_names,
    contrast,
    links,
    protection,
)

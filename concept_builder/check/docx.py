"""The check of a .docx – ours or one made in Word.

The rules follow BITV 2.0 / EN 301 549 as far as they can be read from the
file: title and language set, headings in order, alt text on images, header
rows on tables, no empty paragraphs for spacing, real lists, readable
contrast, meaningful link texts, no protection. Each finding names the rule,
where it is and how to fix it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as WordDocument

from ..errors import CheckError, counted
from ..word import WP, Styles, W, number
from .findings import Finding

MIN_CONTRAST = 4.5
MAX_PART_BYTES = 150_000_000
MAX_UNPACKED = 400_000_000
MAX_PARTS = 10_000
VAGUE_LINK_TEXTS = {
    "hier",
    "here",
    "klicken sie hier",
    "click here",
    "mehr",
    "more",
    "link",
    "weiter",
    "weiterlesen",
}
TABLE_HEADINGS = {"table heading", "tabellenüberschrift"}  # the style names LibreOffice tags as TH
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
TYPED_LIST = re.compile(r"^\s*(?:[•·▪◦‣\-–*]|\d{1,2}[.)])\s+\S")


def check_docx(path: Path) -> list[Finding]:
    """Every accessibility finding in the .docx at ``path``; empty when it passes."""
    if not zipfile.is_zipfile(path):
        raise CheckError(f"{path}: is not a Word document (.docx)")
    _refuse_oversized(path)
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise CheckError(f"{path}: cannot be opened as a Word document: {exc}") from exc
    return list(_Checker(document).findings())


def _refuse_oversized(path: Path) -> None:
    """Refuse, before reading, a package far larger than a document: the check keeps it in memory.

    A part of at most 150 MB of XML (several times a 4,000-measure concept) is
    read within about 3 GB.
    """
    with zipfile.ZipFile(path) as package:
        entries = package.infolist()
    largest = max((entry.file_size for entry in entries), default=0)
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_PARTS or largest > MAX_PART_BYTES or total > MAX_UNPACKED:
        raise CheckError(
            f"{path}: unpacks to {total // 1_000_000} MB in {counted(len(entries), 'part')}, the largest"
            f" {largest // 1_000_000} MB; the check reads documents of up to {MAX_PART_BYTES // 1_000_000} MB"
            " per part"
        )


class _Checker:
    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.body = document.element.body
        self.styles = Styles(document.styles.element)
        # holding the proxies keeps their ids stable while the check runs
        self.all_paragraphs = list(self.body.iter(f"{W}p"))
        self.paragraph_numbers = {id(p): n for n, p in enumerate(self.all_paragraphs, 1)}

    def findings(self) -> Iterator[Finding]:
        yield from self.title()
        yield from self.language()
        yield from self.headings()
        yield from self.images()
        yield from self.tables()
        yield from self.paragraphs()
        yield from self.contrast()
        yield from self.links()
        yield from self.protection()

    def where(self, paragraph: Any) -> str:
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).strip()
        shown = f" “{text[:50]}{'…' if len(text) > 50 else ''}”" if text else ""
        return f"paragraph {self.paragraph_numbers.get(id(paragraph), '?')}{shown}"

    # --- document ---------------------------------------------------------------------------

    def title(self) -> Iterator[Finding]:
        if not (self.document.core_properties.title or "").strip():
            yield Finding(
                "title",
                "document properties",
                "the document has no title",
                "set a title in File › Properties; readers show it instead of the file name",
            )

    def language(self) -> Iterator[Finding]:
        lang = self.document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        if lang is None or not lang.get(f"{W}val"):
            yield Finding(
                "language",
                "styles",
                "the document language is not set",
                "set the language of the Normal style, e.g. German (Germany)",
            )

    def protection(self) -> Iterator[Finding]:
        settings = self.document.settings.element
        protection = settings.find(f"{W}documentProtection")
        if protection is not None and protection.get(f"{W}enforcement") in ("1", "true", "on"):
            yield Finding(
                "protection",
                "settings",
                "the document is protected",
                "remove the protection; it can block assistive technology",
            )

    # --- structure --------------------------------------------------------------------------

    def outline_level(self, paragraph: Any) -> int | None:
        direct = paragraph.find(f"{W}pPr/{W}outlineLvl")
        if direct is not None:
            value = number(direct.get(f"{W}val"), 9)
            return value + 1 if value < 9 else None
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        return self.styles.outline_level(style.get(f"{W}val") if style is not None else None)

    def headings(self) -> Iterator[Finding]:
        previous = 0
        for paragraph in self.body.iter(f"{W}p"):
            level = self.outline_level(paragraph)
            if level is None:
                continue
            if level > previous + 1:
                yield Finding(
                    "heading-order",
                    self.where(paragraph),
                    f"Heading {level} follows " + (f"Heading {previous}" if previous else "no heading"),
                    f"use Heading {previous + 1} here, or add the missing level above",
                )
            previous = level

    def images(self) -> Iterator[Finding]:
        for drawing in self.body.iter(f"{W}drawing"):
            paragraph = next(drawing.iterancestors(f"{W}p"), drawing)
            properties = drawing.find(f".//{WP}docPr")
            description = (properties.get("descr") or "").strip() if properties is not None else ""
            decorative = properties is not None and any("decorative" in el.tag for el in properties.iter())
            if not description and not decorative:
                yield Finding(
                    "alt-text",
                    self.where(paragraph),
                    "an image has no alternative text",
                    "describe the image in its alt text, or mark it as decorative",
                )
            if drawing.find(f"{WP}anchor") is not None:
                yield Finding(
                    "inline-image",
                    self.where(paragraph),
                    "an image floats beside the text",
                    "place the image in line with the text",
                )

    def tables(self) -> Iterator[Finding]:
        for index, table in enumerate(self.body.iter(f"{W}tbl"), 1):
            where = f"table {index}"
            rows = table.findall(f"{W}tr")
            if rows and rows[0].find(f"{W}trPr/{W}tblHeader") is None and not self.headed_rows(rows):
                yield Finding(
                    "table-header",
                    where,
                    "the first row is not marked as header row, nor the first column as row headers",
                    "mark it: Table Properties › Row › Repeat as header row",
                )
            if table.find(f".//{W}tbl") is not None:
                yield Finding("nested-table", where, "a table contains another table", "use one flat table")
            if table.find(f".//{W}vMerge") is not None or any(
                number(span.get(f"{W}val"), 1) > 1 for span in table.iter(f"{W}gridSpan")
            ):
                yield Finding(
                    "merged-cells",
                    where,
                    "the table has merged cells",
                    "split merged cells; screen readers lose the column headers",
                )

    def headed_rows(self, rows: list[Any]) -> bool:
        """Whether every row starts with a header cell: a label column in a table heading style.

        LibreOffice tags such cells as table headers (TH) in a PDF; a profile of
        label–value rows needs no header row.
        """
        for row in rows:
            first = row.find(f"{W}tc/{W}p/{W}pPr/{W}pStyle")
            if first is None or self.styles.name(str(first.get(f"{W}val"))).casefold() not in TABLE_HEADINGS:
                return False
        return True

    def paragraphs(self) -> Iterator[Finding]:
        typed_before = False
        for paragraph in self.body.iterchildren(f"{W}p"):
            has_text = any((t.text or "").strip() for t in paragraph.iter(f"{W}t"))
            has_content = has_text or any(
                paragraph.find(f".//{W}{tag}") is not None
                for tag in ("drawing", "fldChar", "instrText", "object")
            )
            if not has_content and paragraph.find(f"{W}pPr/{W}sectPr") is None:
                yield Finding(
                    "empty-paragraph",
                    self.where(paragraph),
                    "an empty paragraph makes space",
                    "use paragraph spacing or a page break before instead",
                )
            text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
            typed = bool(TYPED_LIST.match(text)) and not self.is_list(paragraph)
            if typed and typed_before:  # two in a row make a list; one may be a dash before a name
                yield Finding(
                    "typed-list",
                    self.where(paragraph),
                    "list items are typed, not a real list",
                    "use a bullet or numbered list style",
                )
            typed_before = typed

    def is_list(self, paragraph: Any) -> bool:
        if paragraph.find(f"{W}pPr/{W}numPr") is not None:
            return True
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        return self.styles.numbered(style.get(f"{W}val") if style is not None else None)

    def links(self) -> Iterator[Finding]:
        for link in self.body.iter(f"{W}hyperlink"):
            text = "".join(t.text or "" for t in link.iter(f"{W}t")).strip().lower()
            if text in VAGUE_LINK_TEXTS:
                paragraph = next(link.iterancestors(f"{W}p"), link)
                yield Finding(
                    "link-text",
                    self.where(paragraph),
                    f"the link text “{text}” says nothing on its own",
                    "name the target, e.g. “Programm Land.Zuhause.Zukunft”",
                )

    # --- contrast ---------------------------------------------------------------------------

    def contrast(self) -> Iterator[Finding]:
        default = self.default_color()
        reported: set[tuple[str, str]] = set()
        for paragraph in self.body.iter(f"{W}p"):
            paragraph_color = self.styles.paragraph_run_value(paragraph, "color", "val")
            paragraph_fill = self.styles.paragraph_fill(paragraph)
            for run in paragraph.iter(f"{W}r"):
                if not any((t.text or "").strip() for t in run.iter(f"{W}t")):
                    continue
                color = self.styles.run_value(run, "color", "val") or paragraph_color or default
                fill = self.styles.run_value(run, "shd", "fill") or paragraph_fill
                if color in (None, "auto") or fill in (None, "auto"):
                    continue  # automatic colour adapts to the background
                if not (_HEX.match(color) and _HEX.match(fill)):
                    continue  # a theme colour or a damaged value: nothing to compare
                ratio = contrast_ratio(color, fill)
                if ratio < MIN_CONTRAST and (color, fill) not in reported:
                    reported.add((color, fill))
                    yield Finding(
                        "contrast",
                        self.where(paragraph),
                        f"text #{color} on #{fill} has a contrast of {ratio:.1f}:1",
                        f"use colours with at least {MIN_CONTRAST}:1",
                    )

    def default_color(self) -> str | None:
        color = self.document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}color")
        return color.get(f"{W}val") if color is not None else None


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two RRGGBB colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)

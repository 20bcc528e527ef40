"""The .docx rules on content: images, tables, empty paragraphs, link texts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..word import WP, W, number
from .docx_file import WordFile, text_of
from .findings import Finding

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
ALT_TEXT_FIX = "describe the image in its alt text, or mark it as decorative"


def images(word: WordFile) -> Iterator[Finding]:
    for part in word.parts:
        for drawing in part.root.iter(f"{W}drawing"):
            paragraph = next(drawing.iterancestors(f"{W}p"), drawing)
            properties = drawing.find(f".//{WP}docPr")
            description = (properties.get("descr") or "").strip() if properties is not None else ""
            decorative = properties is not None and any("decorative" in el.tag for el in properties.iter())
            if not description and not decorative:
                yield Finding(
                    "alt-text", part.where(paragraph), "an image has no alternative text", ALT_TEXT_FIX
                )
            if drawing.find(f"{WP}anchor") is not None:
                yield Finding(
                    "inline-image",
                    part.where(paragraph),
                    "an image floats beside the text",
                    "place the image in line with the text",
                )


# --- tables ------------------------------------------------------------------------------------------


def tables(word: WordFile) -> Iterator[Finding]:
    for index, table in enumerate(word.body.root.iter(f"{W}tbl"), 1):
        where = f"table {index}"
        rows = table.findall(f"{W}tr")
        if rows and rows[0].find(f"{W}trPr/{W}tblHeader") is None:
            yield Finding(
                "table-header",
                where,
                "the first row is not marked as header row",
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


# --- paragraphs and links -----------------------------------------------------------------------------


def has_content(paragraph: Any) -> bool:
    return bool(text_of(paragraph).strip()) or any(
        paragraph.find(f".//{W}{tag}") is not None for tag in ("drawing", "fldChar", "instrText", "object")
    )


def empty_paragraphs(word: WordFile) -> Iterator[Finding]:
    for paragraph in word.body.root.iterchildren(f"{W}p"):
        if not has_content(paragraph) and paragraph.find(f"{W}pPr/{W}sectPr") is None:
            yield Finding(
                "empty-paragraph",
                word.body.where(paragraph),
                "an empty paragraph makes space",
                "use paragraph spacing or a page break before instead",
            )


def links(word: WordFile) -> Iterator[Finding]:
    for part in word.parts:
        for link in part.root.iter(f"{W}hyperlink"):
            text = text_of(link).strip().lower()
            if text in VAGUE_LINK_TEXTS:
                paragraph = next(link.iterancestors(f"{W}p"), link)
                yield Finding(
                    "link-text",
                    part.where(paragraph),
                    f"the link text “{text}” says nothing on its own",
                    "name the target, e.g. “Programm Land.Zuhause.Zukunft”",
                )

"""The .docx rule on contrast: text colour against its background, in the body, headers and footers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..colours import contrast_ratio
from ..word import W, text_of
from .docx_file import WordFile
from .findings import Finding

MIN_CONTRAST = 4.5
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def contrast(word: WordFile) -> Iterator[Finding]:
    styles = word.styles
    default = _default_color(word)
    reported: set[tuple[str, str]] = set()
    for part in word.parts:
        for paragraph in part.paragraphs:
            paragraph_color = styles.paragraph_run_value(paragraph, "color", "val")
            paragraph_fill = styles.paragraph_fill(paragraph)
            for run in paragraph.iter(f"{W}r"):
                if not text_of(run).strip():
                    continue
                color = styles.run_value(run, "color", "val") or paragraph_color or default
                fill = styles.run_value(run, "shd", "fill") or paragraph_fill
                if color in (None, "auto") or fill in (None, "auto"):
                    continue  # automatic colour adapts to the background
                if not (_HEX.match(color) and _HEX.match(fill)):
                    continue  # a theme colour or a damaged value: nothing to compare
                ratio = contrast_ratio(color, fill)
                if ratio < MIN_CONTRAST and (color, fill) not in reported:
                    reported.add((color, fill))
                    yield Finding(
                        "contrast",
                        part.where(paragraph),
                        f"text #{color} on #{fill} has a contrast of {ratio:.1f}:1",
                        f"use colours with at least {MIN_CONTRAST}:1",
                    )


def _default_color(word: WordFile) -> str | None:
    color = word.document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}color")
    return color.get(f"{W}val") if color is not None else None

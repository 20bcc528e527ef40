"""The printed width of text, so that table columns can be made wide enough for their words.

Widths are the sum of the glyph advances of the font the layout engine will
use – LibreOffice (and Word) set table text without kerning – read with
fontTools. The font file for a family is the one fontconfig chooses, as
LibreOffice does on Linux (Liberation Sans for Arial, metric-compatible); where
fontconfig is missing, matplotlib's font list with the usual metric aliases.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from typing import Any

TWIPS_PER_POINT = 20
# Metric-compatible substitutes, used only where fontconfig cannot be asked
ALIASES = {
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "arial narrow": "Liberation Sans Narrow",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "courier new": "Liberation Mono",
    "calibri": "Carlito",
    "cambria": "Caladea",
}
FALLBACK = "DejaVu Sans"  # what fontconfig falls back to for an unknown family on Debian


def text_width(text: str, size_pt: float, family: str, bold: bool = False) -> float:
    """The width of ``text`` set in ``family`` at ``size_pt``, in twips (1/20 point)."""
    widths, units_per_em = _advances(font_file(family, bold))
    default = widths.get(None, units_per_em // 2)
    units = sum(widths.get(ord(character), default) for character in text)
    return units * size_pt * TWIPS_PER_POINT / units_per_em


@functools.lru_cache(maxsize=64)
def font_file(family: str, bold: bool) -> str:
    """The font file a layout engine on this machine uses for ``family``."""
    command = shutil.which("fc-match")
    if command:
        pattern = family + (":weight=bold" if bold else "")
        try:
            found = subprocess.run(
                [command, "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found:
            return found
    from matplotlib import font_manager

    for candidate in (family, ALIASES.get(family.casefold()), FALLBACK):
        if candidate:
            properties = font_manager.FontProperties(family=candidate, weight="bold" if bold else "normal")
            try:
                return str(font_manager.findfont(properties, fallback_to_default=False))
            except ValueError:
                continue
    return str(font_manager.findfont(font_manager.FontProperties(family=FALLBACK)))


@functools.lru_cache(maxsize=64)
def _advances(path: str) -> tuple[dict[Any, int], int]:
    """The advance width of every character the font has, in font units, and its units per em."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        metrics = font["hmtx"].metrics
        widths: dict[Any, int] = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        units_per_em = int(font["head"].unitsPerEm)
        widths[None] = metrics[".notdef"][0] if ".notdef" in metrics else units_per_em // 2
    return widths, units_per_em

"""Colours: WCAG contrast, the default palette, and palettes derived from a design's accent colour."""

from __future__ import annotations

import itertools
from dataclasses import astuple, dataclass

DARK_ON_WHITE = 4.5  # text contrast (WCAG 1.4.3)
NEIGHBOURS = 3.0  # contrast between adjacent areas of a chart (WCAG 1.4.11)
WHITE = "FFFFFF"
BLACK = "000000"


def luminance(hex_colour: str) -> float:
    """The relative luminance of an RRGGBB colour, as WCAG defines it."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two RRGGBB colours."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0–1) of ``other`` mixed in."""
    parts = [
        round(int(colour[i : i + 2], 16) * (1 - share) + int(other[i : i + 2], 16) * share) for i in (0, 2, 4)
    ]
    return "".join(f"{part:02X}" for part in parts)


def series_palette(accent: str, count: int) -> list[str]:
    """``count`` colours for adjacent series of a chart: dark and light in turn, each pair at least 3:1.

    The darks are the accent (darkened until it reads as dark on white), a
    deeper shade of it and a neutral grey; the lights are tints. Neighbours
    differ by lightness, so a chart reads in grey too; series further apart
    differ by hue and depth, and the chart hatches every second pair.
    """
    dark = accent.upper()
    while contrast_ratio(dark, WHITE) < DARK_ON_WHITE:
        dark = mix(dark, BLACK, 0.15)
    darks = [dark, mix(dark, BLACK, 0.35), "595959"]
    lights = [mix(dark, WHITE, 0.7), mix(dark, WHITE, 0.88)]
    colours = [darks[i // 2 % 3] if i % 2 == 0 else lights[i // 2 % 2] for i in range(count)]
    for first, second in itertools.pairwise(colours):
        assert contrast_ratio(first, second) >= NEIGHBOURS, (first, second)
    return colours


@dataclass(frozen=True)
class Palette:
    """The colours of the default design's styles, by role."""

    primary: str  # fills under white text, headings, the cover band: at least 4.5:1 both ways
    line: str  # rules and the cover band's edge
    label_fill: str  # behind the labels of a profile; primary on it at least 4.5:1
    border: str  # table borders
    quote_fill: str  # behind quotations

    @classmethod
    def from_accent(cls, accent: str) -> Palette:
        """The palette in a design's colour, with the contrasts of the default one."""
        primary = accent.upper()
        while (
            contrast_ratio(primary, WHITE) < DARK_ON_WHITE
            or contrast_ratio(primary, mix(primary, WHITE, 0.9)) < DARK_ON_WHITE
        ):
            primary = mix(primary, BLACK, 0.1)
        line = accent.upper() if contrast_ratio(accent, WHITE) >= NEIGHBOURS else primary
        return cls(
            primary, line, mix(primary, WHITE, 0.9), mix(primary, WHITE, 0.6), mix(primary, WHITE, 0.93)
        )

    def translation(self, other: Palette) -> dict[str, str]:
        """Each colour of this palette → the colour of the same role in ``other``."""
        return dict(zip(astuple(self), astuple(other), strict=True))


DEFAULT_PALETTE = Palette(
    primary="1F4E79",  # dark blue: 8.6:1 on white
    line="2E75B6",
    label_fill="E8EEF5",  # primary on it 7.4:1
    border="A6B8CC",
    quote_fill="EEF3F8",
)

"""Charts where a picture says more than a table: measures by theme and status, and a timeline.

matplotlib is imported only when a chart is drawn. Each chart comes with alt
text generated from the same numbers it shows, and is left out when there is
nothing to show.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .labels import value_label
from .model import MEASURE_STATUSES, Concept

# The template's palette: dark blue for what is done, lighter shades for what is to come.
STATUS_COLOURS = {
    "umgesetzt": "#1F4E79",
    "in Umsetzung": "#2E75B6",
    "bestehend": "#5B9BD5",
    "geplant": "#9DC3E6",
    "zurückgestellt": "#BFBFBF",
}
TEXT_COLOUR = "#1A1A1A"
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
MAX_TIMELINE_BARS = 60
DPI = 200


@dataclass(frozen=True)
class Chart:
    """A drawn chart: PNG bytes and the alt text that says what it shows."""

    png: bytes
    alt: str


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": FONTS,
            "font.size": 8,
            "text.color": TEXT_COLOUR,
            "axes.labelcolor": TEXT_COLOUR,
            "xtick.color": TEXT_COLOUR,
            "ytick.color": TEXT_COLOUR,
            "axes.edgecolor": "#A6B8CC",
            "svg.hashsalt": "concept-builder",
        }
    )
    return plt


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # a title in a script the chart font lacks shows as boxes; the alt text carries it exactly
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        # no software or date stamp: the same data gives the same bytes
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def status_by_theme(concept: Concept, labels: dict[str, str]) -> Chart | None:
    """A stacked bar per theme: how many measures are in each status."""
    themes = [t for t in concept.themes if t.measures]
    if not themes:
        return None
    language = concept.meta.language
    counts: list[Counter[str]] = [Counter(str(m.status) for m in t.measures) for t in themes]
    statuses = [s for s in MEASURE_STATUSES if any(c[s] for c in counts)]
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.3, 0.9 + 0.32 * len(themes)))
    names = [f"{labels['theme']} {concept.themes.index(t) + 1}: {t.title}" for t in themes]
    left = [0] * len(themes)
    for status in statuses:
        values = [c[status] for c in counts]
        axes.barh(
            names,
            values,
            left=left,
            color=STATUS_COLOURS[status],
            label=value_label(status, language),
            height=0.6,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel(labels["measures"])
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(statuses), frameon=False)
    png = _png(figure)
    plt.close(figure)
    parts = []
    for name, count in zip(names, counts, strict=True):
        detail = ", ".join(f"{count[s]} {value_label(s, language)}" for s in statuses if count[s])
        parts.append(f"{name}: {sum(count.values())} ({detail})")
    alt = f"{labels['chart_status']}. " + "; ".join(parts) + "."
    return Chart(png=png, alt=alt)


def timeline(concept: Concept, labels: dict[str, str], numbers: dict[str, str]) -> Chart | None:
    """A bar per measure from its start to its end; measures without both dates are left out."""
    dated = [
        (m, m.timeframe.start, m.timeframe.end)
        for t in concept.themes
        for m in t.measures
        if m.timeframe.start and m.timeframe.end
    ]
    if not dated:
        return None
    dated.sort(key=lambda item: [int(p) for p in numbers[item[0].id].split(".")])
    if len(dated) > MAX_TIMELINE_BARS:
        return None  # a bar per measure would be unreadable; the overview tables carry the dates
    plt = _pyplot()
    from matplotlib import dates as mdates

    figure, axes = plt.subplots(figsize=(6.3, 0.6 + 0.22 * len(dated)))
    names = [f"{numbers[m.id]} {m.title[:45]}{'…' if len(m.title) > 45 else ''}" for m, _, _ in dated]
    starts = [mdates.date2num(start) for _, start, _ in dated]  # type: ignore[no-untyped-call]
    widths = [mdates.date2num(end) - mdates.date2num(start) for _, start, end in dated]  # type: ignore[no-untyped-call]
    colours = [STATUS_COLOURS[m.status] for m, _, _ in dated]
    axes.barh(names, widths, left=starts, color=colours, height=0.6)
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="x", color="#D9D9D9", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    png = _png(figure)
    plt.close(figure)
    first = min(start for _, start, _ in dated)
    last = max(end for _, _, end in dated)
    parts = [f"{numbers[m.id]} {m.title}: {_month(start)}–{_month(end)}" for m, start, end in dated]
    alt = f"{labels['chart_timeline']} ({_month(first)}–{_month(last)}). " + "; ".join(parts) + "."
    return Chart(png=png, alt=alt)


def _month(value: dt.date) -> str:
    return f"{value.month:02d}/{value.year}"

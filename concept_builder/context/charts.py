"""What the charts show: measures by theme and status, and the timeline.

Each chart is described as plain data – bars, labels, colours, its caption
and the alt text that says in a sentence or two what it shows – and handed to
``drawing`` to be drawn. Colours come from the design's accent colour with
3:1 between neighbouring areas, hatching where colours alone would not tell
series apart, and a legend. The timeline is split over several figures, by
theme and at most ``BARS_PER_FIGURE`` bars each; where that would make too
many figures, it shows one bar per theme instead, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..colours import series_palette
from ..drawing import Look, Png, drawn, look_data
from ..errors import counted
from ..model import MEASURE_STATUSES
from ..structure import MeasureNode, Structure, ThemeNode
from ..wording import Wording

BARS_PER_FIGURE = 25
MAX_TIMELINE_FIGURES = 8
HATCHES = ("", "", "///", "///", "")  # every second pair of series hatched, by their place in the palette


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its PNG, its caption and the alt text that says what it shows."""

    png: Png
    caption: str
    alt: str


@dataclass
class Timeline:
    """The figures of the timeline, and why it is shown in less detail, if it is."""

    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left_out: str = ""  # the sentence below the figures naming the measures they leave out


def status_colours(statuses: list[str], look: Look) -> dict[str, str]:
    """A colour per status present, in the order of the model's statuses."""
    present = [s for s in MEASURE_STATUSES if s in statuses]
    return dict(zip(present, series_palette(look.accent, len(present)), strict=True))


def status_by_theme(structure: Structure, wording: Wording, look: Look) -> Chart | None:
    """A stacked bar per theme: how many measures are in each status."""
    themes = [t for t in structure.themes if structure.selected_measures(t)]
    if not themes:
        return None
    counts = [Counter(str(m.measure.status) for m in structure.selected_measures(t)) for t in themes]
    totals: Counter[str] = sum(counts, Counter())
    colours = status_colours(list(totals), look)
    data: dict[str, Any] = {
        "names": [f"{wording.numbered('theme', t.number)}: {t.theme.title}" for t in themes],
        "series": [
            {
                "label": wording.value(s),
                "colour": c,
                "hatch": _hatch(s, colours),
                "values": [n[s] for n in counts],
            }
            for s, c in colours.items()
        ],
        "axis": wording["measures"],
        "look": look_data(look),
    }
    alt = wording["chart_status_alt"].format(
        measures=wording.count(sum(totals.values()), "measure", "measures"),
        themes=wording.count(len(themes), "theme", "themes_dative"),
        totals=", ".join(f"{totals[s]} {wording.value(s)}" for s in colours),
    )
    return Chart(drawn("status", data), wording["chart_status"], alt)


def timeline(structure: Structure, wording: Wording, look: Look) -> Timeline:
    """Bars from start to end for the measures with both dates: one figure, or figures by theme.

    The measures without both dates are named below the figures and in a note, never left out
    without a word; where no measure has both, there is no figure and only the note says why.
    """
    by_theme = [
        (theme, [m for m in structure.selected_measures(theme) if _dated(m)]) for theme in structure.themes
    ]
    by_theme = [(theme, measures) for theme, measures in by_theme if measures]
    undated = [m for theme in structure.themes for m in structure.selected_measures(theme) if not _dated(m)]
    result = Timeline()
    if not by_theme:
        partly_dated = [m for m in undated if m.measure.timeframe.start or m.measure.timeframe.end]
        if partly_dated:  # dates given, and yet no timeline: say why (without any date, none is expected)
            result.notes.append(
                "no timeline: no measure has both a start and an end"
                f" ({counted(len(partly_dated), 'measure')} with one of them:"
                f" {', '.join(m.number for m in partly_dated)})"
            )
        return result
    if undated:
        numbers = ", ".join(m.number for m in undated)
        result.left_out = wording["timeline_left_out"].format(
            measures=wording.count(len(undated), "measure", "measures"), numbers=numbers
        )
        result.notes.append(
            f"the timeline leaves out {counted(len(undated), 'measure')} without both a start and an end:"
            f" {numbers}"
        )
    everything = [m for _, measures in by_theme for m in measures]
    colours = status_colours([str(m.measure.status) for m in everything], look)
    legend = [_series(s, colours, wording) for s in colours]
    if len(everything) <= BARS_PER_FIGURE:
        result.charts.append(
            _timeline_chart(everything, wording["chart_timeline"], legend, colours, wording, look)
        )
        return result
    chunks = [
        (theme, measures[start : start + BARS_PER_FIGURE], start // BARS_PER_FIGURE, _parts(len(measures)))
        for theme, measures in by_theme
        for start in range(0, len(measures), BARS_PER_FIGURE)
    ]
    if len(chunks) > MAX_TIMELINE_FIGURES:
        result.notes.append(
            f"the timeline shows one bar per theme: {len(everything)} dated measures would need"
            f" {len(chunks)} figures (at most {MAX_TIMELINE_FIGURES});"
            " their periods are in the overview tables"
        )
        result.charts.append(_themes_chart(by_theme, colours, wording, look))
        return result
    for theme, measures, part, parts in chunks:
        name = f"{wording.numbered('theme', theme.number)}: {theme.theme.title}"
        caption = f"{wording['chart_timeline']} – {name}"
        if parts > 1:
            caption += f" ({wording['part']} {part + 1} {wording['of']} {parts})"
        result.charts.append(_timeline_chart(measures, caption, legend, colours, wording, look))
    return result


def _timeline_chart(
    measures: list[MeasureNode],
    caption: str,
    legend: list[dict[str, Any]],
    colours: dict[str, str],
    wording: Wording,
    look: Look,
) -> Chart:
    data = {"bars": _bars(measures, colours), "legend": legend, "look": look_data(look)}
    alt = wording["chart_timeline_alt"].format(
        measures=wording.count(len(measures), "measure", "measures"),
        first=_month(min(_start(m) for m in measures)),
        last=_month(max(_end(m) for m in measures)),
    )
    return Chart(drawn("timeline", data), caption, alt)


def _themes_chart(
    by_theme: list[tuple[ThemeNode, list[MeasureNode]]], colours: dict[str, str], wording: Wording, look: Look
) -> Chart:
    """One bar per theme, from the earliest start to the latest end of its measures."""
    bars = [
        {
            "label": f"{wording.numbered('theme', theme.number)}: {theme.theme.title}"
            f" ({wording.count(len(measures), 'measure', 'measures')})",
            "start": min(_start(m) for m in measures).isoformat(),
            "end": max(_end(m) for m in measures).isoformat(),
            "colour": next(iter(colours.values())),
            "hatch": "",
        }
        for theme, measures in by_theme
    ]
    alt = wording["chart_timeline_themes_alt"].format(
        themes=wording.count(len(bars), "theme", "themes_dative"),
        first=_month(dt.date.fromisoformat(min(b["start"] for b in bars))),
        last=_month(dt.date.fromisoformat(max(b["end"] for b in bars))),
    )
    data = {"bars": bars, "legend": [], "look": look_data(look)}
    return Chart(drawn("timeline", data), wording["chart_timeline"], alt)


def _bars(measures: list[MeasureNode], colours: dict[str, str]) -> list[dict[str, str]]:
    return [
        {
            "label": f"{m.number} {m.measure.title}",
            "start": _start(m).isoformat(),
            "end": _end(m).isoformat(),
            "colour": colours[str(m.measure.status)],
            "hatch": _hatch(str(m.measure.status), colours),
        }
        for m in measures
    ]


def _series(status: str, colours: dict[str, str], wording: Wording) -> dict[str, Any]:
    return {"label": wording.value(status), "colour": colours[status], "hatch": _hatch(status, colours)}


def _parts(count: int) -> int:
    """How many figures of at most ``BARS_PER_FIGURE`` bars ``count`` bars need."""
    return -(-count // BARS_PER_FIGURE)


def _dated(node: MeasureNode) -> bool:
    return node.measure.timeframe.start is not None and node.measure.timeframe.end is not None


def _start(node: MeasureNode) -> dt.date:
    assert node.measure.timeframe.start is not None
    return node.measure.timeframe.start.first


def _end(node: MeasureNode) -> dt.date:
    assert node.measure.timeframe.end is not None
    return node.measure.timeframe.end.last


def _hatch(status: str, colours: dict[str, str]) -> str:
    return HATCHES[list(colours).index(status) % len(HATCHES)]


def _month(value: dt.date) -> str:
    return f"{value.month:02d}/{value.year}"

"""Charts where a picture says more than a table: measures by theme and status, and the timeline.

Each chart is described first as plain data, from which its alt text is
written; matplotlib is imported only to draw that data, and a drawing is kept
in a cache keyed by everything that shapes it, so rebuilding an unchanged
concept does not draw (or import matplotlib) again. A chart that must be
drawn is drawn in a separate process while the document renders
(``drawn_in_background``); the render stage waits for it only where the
chart is placed.

Charts are drawn for print: at the width they are placed in the document
(16 cm), so that text is at least 8.5 pt on paper; labels are wrapped, never
cut; colours come from the design's accent colour with 3:1 between
neighbouring areas, hatching where colours alone would not tell series
apart, and a legend. The timeline is split over several figures, by theme and
at most ``BARS_PER_FIGURE`` bars each; where that would make too many
figures, it shows one bar per theme instead, and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import multiprocessing
import textwrap
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .colours import WHITE, contrast_ratio, series_palette
from .model import MEASURE_STATUSES

if TYPE_CHECKING:
    from .context.wording import Wording
    from .structure import MeasureNode, Structure, ThemeNode

DPI = 200
WIDTH_INCHES = 6.3  # the 16 cm the document gives a chart: drawn at print size
TEXT_POINTS = 9
SMALL_POINTS = 8.5
LABEL_CHARACTERS = 36  # a bar's label wraps at this width
BARS_PER_FIGURE = 25
MAX_TIMELINE_FIGURES = 8
HATCHES = ("", "", "///", "///", "")  # every second pair of series hatched, by their place in the palette


@dataclass(frozen=True)
class Look:
    """What a chart takes from the document's design."""

    accent: str = "1F4E79"  # RRGGBB
    text: str = "1A1A1A"
    font: str = "Arial"


class Drawing:
    """A chart's PNG, being drawn in the background; ``result()`` waits for it."""

    def __init__(self, kind: str, data: dict[str, Any], path: Path, future: Future[bytes]) -> None:
        self.kind = kind
        self.data = data
        self.path = path
        self.future: Future[bytes] | None = future
        self.png = b""

    def result(self) -> bytes:
        if self.future is not None:
            try:
                self.png = self.future.result()
            except Exception:  # the drawing process failed (killed, out of memory): draw here instead
                self.png = _DRAWERS[self.kind](self.data)
            self.future = None
            cache.write(self.path, self.png)
        return self.png


Png = bytes | Drawing


def png_bytes(png: Png) -> bytes:
    """The bytes of a chart's PNG, waiting for it where it is still being drawn."""
    return png if isinstance(png, bytes) else png.result()


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
        "look": _look(look),
    }
    alt = wording["chart_status_alt"].format(
        measures=wording.count(sum(totals.values()), "measure", "measures"),
        themes=wording.count(len(themes), "theme", "themes_dative"),
        totals=", ".join(f"{totals[s]} {wording.value(s)}" for s in colours),
    )
    return Chart(_cached_png("status", data, _draw_status), wording["chart_status"], alt)


def timeline(structure: Structure, wording: Wording, look: Look) -> Timeline:
    """Bars from start to end for the measures with both dates: one figure, or figures by theme."""
    by_theme = [
        (theme, [m for m in structure.selected_measures(theme) if _dated(m)]) for theme in structure.themes
    ]
    by_theme = [(theme, measures) for theme, measures in by_theme if measures]
    result = Timeline()
    if not by_theme:
        return result
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
    data = {"bars": _bars(measures, colours), "legend": legend, "look": _look(look)}
    alt = wording["chart_timeline_alt"].format(
        measures=wording.count(len(measures), "measure", "measures"),
        first=_month(min(_start(m) for m in measures)),
        last=_month(max(_end(m) for m in measures)),
    )
    return Chart(_cached_png("timeline", data, _draw_timeline), caption, alt)


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
    data = {"bars": bars, "legend": [], "look": _look(look)}
    return Chart(_cached_png("timeline", data, _draw_timeline), wording["chart_timeline"], alt)


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


def _look(look: Look) -> dict[str, str]:
    from .fonts import font_file

    return {"text": look.text, "font": font_file(look.font, False), "accent": look.accent}


# --- drawing -----------------------------------------------------------------------------------


def _pyplot(look: dict[str, str]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font_manager.fontManager.addfont(look["font"])  # the document's font, as the layout uses it
    family = font_manager.FontProperties(fname=look["font"]).get_name()
    text = f"#{look['text']}"
    plt.rcParams.update(
        {
            "font.family": family,
            "font.size": TEXT_POINTS,
            "text.color": text,
            "axes.labelcolor": text,
            "xtick.color": text,
            "ytick.color": text,
            "xtick.labelsize": SMALL_POINTS,
            "ytick.labelsize": SMALL_POINTS,
            "legend.fontsize": SMALL_POINTS,
            "axes.edgecolor": "#8A9BAE",
            "hatch.linewidth": 0.8,
        }
    )
    return plt


def _png(plt: Any, figure: Any) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # a title in a script the chart font lacks shows as boxes; the alt text carries it exactly
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        # no software or date stamp: the same data gives the same bytes
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _wrapped(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LABEL_CHARACTERS, break_long_words=False)) or text


def _on(colour: str) -> str:
    """Text colour for a label on ``colour``: whichever of white and black reads better."""
    return f"#{WHITE}" if contrast_ratio(WHITE, colour) >= contrast_ratio("000000", colour) else "#000000"


def _legend(axes: Any, handles: list[Any], columns: int) -> None:
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncol=columns,
        frameon=False,
        handlelength=2.2,
    )


def _draw_status(data: dict[str, Any]) -> bytes:
    plt = _pyplot(data["look"])
    names = [_wrapped(name) for name in data["names"]]
    rows = [name.count("\n") + 1 for name in names]
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, 1.0 + 0.2 * sum(rows) + 0.18 * len(names)))
    left = [0] * len(names)
    for series in data["series"]:
        bars = axes.barh(
            names,
            series["values"],
            left=left,
            color=f"#{series['colour']}",
            edgecolor="white",  # a white line between neighbouring areas
            linewidth=1.2,
            hatch=series["hatch"],
            hatchcolor=_on(series["colour"]),
            label=series["label"],
            height=0.62,
        )
        labels = [str(value) if value else "" for value in series["values"]]
        # on a hatched bar the count sits on a patch of the bar's colour, so no hatch line crosses it
        patch = {"boxstyle": "round,pad=0.45", "facecolor": f"#{series['colour']}", "edgecolor": "none"}
        axes.bar_label(
            bars,
            labels=labels,
            label_type="center",
            color=_on(series["colour"]),
            fontsize=SMALL_POINTS,
            bbox=patch if series["hatch"] else None,
        )
        left = [a + b for a, b in zip(left, series["values"], strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel(data["axis"])
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    handles, _ = axes.get_legend_handles_labels()
    _legend(axes, handles, min(len(handles), 5))
    return _png(plt, figure)


def _draw_timeline(data: dict[str, Any]) -> bytes:
    plt = _pyplot(data["look"])
    from matplotlib import dates as mdates
    from matplotlib.patches import Patch

    bars = data["bars"]
    labels = [_wrapped(bar["label"]) for bar in bars]
    lines = [label.count("\n") + 1 for label in labels]
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, 0.9 + 0.17 * sum(lines) + 0.12 * len(bars)))
    positions = []
    position = 0.0
    for count in lines:  # a bar's row as tall as its label
        position += 0.25 + 0.17 * count
        positions.append(position)
        position += 0.17 * count
    starts = [mdates.date2num(dt.date.fromisoformat(bar["start"])) for bar in bars]  # type: ignore[no-untyped-call]
    ends = [mdates.date2num(dt.date.fromisoformat(bar["end"])) for bar in bars]  # type: ignore[no-untyped-call]
    for y, start, end, bar in zip(positions, starts, ends, bars, strict=True):
        axes.barh(
            y,
            max(end - start, 15),  # a period of days stays visible
            left=start,
            height=0.3,
            color=f"#{bar['colour']}",
            edgecolor="white",
            linewidth=0.8,
            hatch=bar["hatch"],
            hatchcolor=_on(bar["colour"]),
        )
    axes.set_yticks(positions, labels)
    axes.set_ylim(position + 0.25, 0)
    axes.xaxis_date()
    axes.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    axes.grid(axis="x", color="#D0D7DE", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    if data["legend"]:
        handles = [
            Patch(
                facecolor=f"#{item['colour']}",
                edgecolor="white",
                hatch=item["hatch"],
                hatchcolor=_on(item["colour"]),
                label=item["label"],
            )
            for item in data["legend"]
        ]
        _legend(axes, handles, min(len(handles), 5))
    return _png(plt, figure)


# --- cache -------------------------------------------------------------------------------------


def cache_folder() -> Path:
    """Where drawn charts are kept (see ``cache.py``)."""
    return cache.cache_root() / "charts"


def _cached_png(kind: str, data: dict[str, Any], draw: Callable[[dict[str, Any]], bytes]) -> Png:
    """The drawing of ``data``, from the cache when this code and matplotlib drew it before."""
    source = Path(__file__).read_bytes()
    key = json.dumps([kind, data, _matplotlib_version(), hashlib.sha256(source).hexdigest()], sort_keys=True)
    path = cache_folder() / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()}.png"
    cached = cache.read(path)
    if cached is not None and _complete_png(cached):
        return cached
    # not drawn yet, or unreadable: draw it (again), in the background where a build allows it
    if _drawers and _DRAWERS.get(kind) is draw:
        return _drawers[-1].submit(kind, data, path)
    png = draw(data)
    cache.write(path, png)
    return png


# --- drawing in the background -------------------------------------------------------------------


class _Drawer:
    """One process that imports matplotlib and draws, started at the first chart not in the cache."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.drawings: list[Drawing] = []

    def submit(self, kind: str, data: dict[str, Any], path: Path) -> Drawing:
        if self.pool is None:
            # fork: the drawing process starts without importing this package again
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        drawing = Drawing(kind, data, path, self.pool.submit(_draw, kind, data))
        self.drawings.append(drawing)
        return drawing

    def finish(self) -> None:
        for drawing in self.drawings:
            drawing.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


_drawers: list[_Drawer] = []


@contextmanager
def drawn_in_background() -> Iterator[None]:
    """Charts not in the cache are drawn in another process meanwhile (where processes can be forked).

    Drawing imports matplotlib and draws, a second for a small concept: on
    its own core it costs the build only what the render stage does not
    already take. In a worker of ``--jobs`` (the cores are busy) and where
    there is no ``fork``, charts are drawn in place.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.parent_process() is not None:
        yield
        return
    drawer = _Drawer()
    _drawers.append(drawer)
    try:
        yield
        drawer.finish()
    finally:
        _drawers.remove(drawer)
        drawer.close()


def finish_drawing() -> None:
    """Wait for every chart being drawn (before a process is forked that needs them)."""
    for drawer in _drawers:
        drawer.finish()


def _draw(kind: str, data: dict[str, Any]) -> bytes:
    return _DRAWERS[kind](data)


def _complete_png(data: bytes) -> bool:
    """Whether ``data`` is a whole PNG file: its signature first, its end chunk last (a cut file is not)."""
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


_DRAWERS: dict[str, Callable[[dict[str, Any]], bytes]] = {"status": _draw_status, "timeline": _draw_timeline}


def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return "unknown"

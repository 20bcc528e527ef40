"""Charts where a picture says more than a table: measures by theme and status, and a timeline.

Each chart is described first as plain data, from which its alt text is
written; matplotlib is imported only to draw that data, and a drawing is kept
in a cache keyed by everything that shapes it, so rebuilding an unchanged
concept does not draw (or import matplotlib) again. A chart without data is
left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import MEASURE_STATUSES

if TYPE_CHECKING:
    from .context.wording import Wording
    from .structure import Structure

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


def status_by_theme(structure: Structure, wording: Wording) -> Chart | None:
    """A stacked bar per theme: how many measures are in each status."""
    themes = [t for t in structure.themes if structure.selected_measures(t)]
    if not themes:
        return None
    counts: list[Counter[str]] = [
        Counter(str(m.measure.status) for m in structure.selected_measures(t)) for t in themes
    ]
    statuses = [s for s in MEASURE_STATUSES if any(c[s] for c in counts)]
    data: dict[str, Any] = {
        "names": [f"{wording.numbered('theme', t.number)}: {t.theme.title}" for t in themes],
        "series": [
            {"label": wording.value(s), "colour": STATUS_COLOURS[s], "values": [c[s] for c in counts]}
            for s in statuses
        ],
        "axis": wording["measures"],
    }
    totals: Counter[str] = sum(counts, Counter())
    alt = wording["chart_status_alt"].format(
        measures=wording.count(sum(totals.values()), "measure", "measures"),
        themes=wording.count(len(themes), "theme", "themes_dative"),
        totals=", ".join(f"{totals[s]} {wording.value(s)}" for s in statuses),
    )
    return Chart(png=_cached_png("status", data, _draw_status), alt=alt)


def timeline(structure: Structure, wording: Wording) -> Chart | None:
    """A bar per measure from its start to its end; measures without both dates are left out."""
    dated = [
        (node, node.measure.timeframe.start, node.measure.timeframe.end)
        for node in structure.measures()
        if structure.selected(node) and node.measure.timeframe.start and node.measure.timeframe.end
    ]
    if not dated or len(dated) > MAX_TIMELINE_BARS:
        return None  # beyond that a bar per measure is unreadable; the overview tables carry the dates
    data: dict[str, Any] = {
        "names": [f"{m.number} {_shortened(m.measure.title, 45)}" for m, _, _ in dated],
        "starts": [start.isoformat() for _, start, _ in dated],
        "ends": [end.isoformat() for _, _, end in dated],
        "colours": [STATUS_COLOURS[m.measure.status] for m, _, _ in dated],
    }
    first = min(start for _, start, _ in dated)
    last = max(end for _, _, end in dated)
    alt = wording["chart_timeline_alt"].format(
        measures=wording.count(len(dated), "measure", "measures"), first=_month(first), last=_month(last)
    )
    return Chart(png=_cached_png("timeline", data, _draw_timeline), alt=alt)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _month(value: dt.date) -> str:
    return f"{value.month:02d}/{value.year}"


# --- drawing -----------------------------------------------------------------------------------


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


def _draw_status(data: dict[str, Any]) -> bytes:
    plt = _pyplot()
    names = data["names"]
    figure, axes = plt.subplots(figsize=(6.3, 0.9 + 0.32 * len(names)))
    left = [0] * len(names)
    for series in data["series"]:
        axes.barh(
            names, series["values"], left=left, color=series["colour"], label=series["label"], height=0.6
        )
        left = [a + b for a, b in zip(left, series["values"], strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel(data["axis"])
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(data["series"]), frameon=False)
    return _png(plt, figure)


def _draw_timeline(data: dict[str, Any]) -> bytes:
    plt = _pyplot()
    from matplotlib import dates as mdates

    starts = [mdates.date2num(dt.date.fromisoformat(d)) for d in data["starts"]]  # type: ignore[no-untyped-call]
    ends = [mdates.date2num(dt.date.fromisoformat(d)) for d in data["ends"]]  # type: ignore[no-untyped-call]
    figure, axes = plt.subplots(figsize=(6.3, 0.6 + 0.22 * len(starts)))
    widths = [end - start for start, end in zip(starts, ends, strict=True)]
    axes.barh(data["names"], widths, left=starts, color=data["colours"], height=0.6)
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="x", color="#D9D9D9", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(plt, figure)


# --- cache -------------------------------------------------------------------------------------


def cache_folder() -> Path:
    """Where drawn charts are kept: $CONCEPT_BUILDER_CACHE, else the user's cache folder."""
    configured = os.environ.get("CONCEPT_BUILDER_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "concept-builder" / "charts"


def _cached_png(kind: str, data: dict[str, Any], draw: Callable[[dict[str, Any]], bytes]) -> bytes:
    """The drawing of ``data``, from the cache when this code and matplotlib drew it before."""
    source = Path(__file__).read_bytes()
    key = json.dumps([kind, data, _matplotlib_version(), hashlib.sha256(source).hexdigest()], sort_keys=True)
    path = cache_folder() / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()}.png"
    try:
        cached = path.read_bytes()
        if _complete_png(cached):
            return cached
    except OSError:
        pass  # not drawn yet, or unreadable: draw it (again)
    png = draw(data)
    try:  # a cache that cannot be written only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return png
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(png)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
    return png


def _complete_png(data: bytes) -> bool:
    """Whether ``data`` is a whole PNG file: its signature first, its end chunk last (a cut file is not)."""
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return "unknown"

"""Charts drawn with matplotlib: at print size, cached, and in the background while the document renders.

A chart arrives as plain data (``context.charts``); matplotlib is imported
only to draw it, and a drawing is kept in a cache keyed by everything that
shapes it, so rebuilding an unchanged concept does not draw (or import
matplotlib) again. A chart that must be drawn is drawn in a separate process
while the document renders (``drawn_in_background``); the render stage waits
for it only where the chart is placed.

Charts are drawn for print: at the width they are placed in the document
(16 cm), so that text is at least 8.5 pt on paper; labels are wrapped, never
cut, and a count on a hatched bar sits on a patch of its colour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import multiprocessing
import struct
import textwrap
import warnings
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from . import cache
from .colours import WHITE, contrast_ratio

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHART_PIXELS = 20_000  # a side of a chart in the cache; ours are a few thousand at print size
DPI = 200
WIDTH_INCHES = 6.3  # the 16 cm the document gives a chart: drawn at print size
TEXT_POINTS = 9
SMALL_POINTS = 8.5
LABEL_CHARACTERS = 36  # a bar's label wraps at this width


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


def look_data(look: Look) -> dict[str, str]:
    """What a drawing takes from ``look``, as data: colours and the font's file."""
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


def drawn(kind: str, data: dict[str, Any]) -> Png:
    """The ``kind`` of chart ("status", "timeline") drawn from ``data``: from the cache when this code
    and matplotlib drew it before, else drawn (in the background where a build allows it)."""
    draw = _DRAWERS[kind]
    source = Path(__file__).read_bytes()
    key = json.dumps([kind, data, _matplotlib_version(), hashlib.sha256(source).hexdigest()], sort_keys=True)
    path = cache_folder() / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()}.png"
    cached = cache.read(path)
    if cached is not None and _complete_png(cached):
        return cached
    # not drawn yet, or unreadable: draw it (again), in the background where a build allows it
    if _drawers:
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
    """Whether ``data`` is a whole, undamaged PNG as we draw them: every chunk's checksum right, a sane
    size, and image data that unpacks to exactly the rows that size needs.

    A cache entry may be cut, overwritten or damaged on the disk; one that is
    not a chart is drawn again rather than put into a document.
    """
    if not data.startswith(PNG_SIGNATURE):
        return False
    chunks: list[tuple[bytes, bytes]] = []
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if position + 12 + length > len(data):
            return False
        body = data[position + 8 : position + 8 + length]
        (checksum,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        if zlib.crc32(kind + body) != checksum:
            return False
        chunks.append((kind, body))
        position += 12 + length
    if position != len(data) or not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        return False
    header = chunks[0][1]
    if len(header) != 13:
        return False
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    samples = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if (
        samples is None
        or interlace != 0
        or not (0 < width <= MAX_CHART_PIXELS and 0 < height <= MAX_CHART_PIXELS)
    ):
        return False
    expected = height * (1 + (width * samples * depth + 7) // 8)  # a filter byte before each row
    unpacker = zlib.decompressobj()
    try:
        pixels = unpacker.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"), expected + 1)
    except zlib.error:
        return False
    return len(pixels) == expected and unpacker.eof


_DRAWERS: dict[str, Callable[[dict[str, Any]], bytes]] = {"status": _draw_status, "timeline": _draw_timeline}


def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return "unknown"

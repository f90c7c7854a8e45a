"""The figures of notebook 02: images, kernels and what convolution makes of them.

One function, :func:`draw`, lays out rows of panels in exact pixels (at 100 dpi), so that a photo
is drawn at full resolution (``zoom`` screen pixels per image pixel, at least 1: never
subsampled) and a small kernel large enough to carry its numbers. The panels of a row are the
ones compared: they share one colour scale, shown by one colorbar at the row's end: gray for
images (0 black, 1 white, values outside clipped, as the photo is shown) or a diverging map
centred on zero for signed values (its limit the largest magnitude in the row, nothing
clipped). Every axis is labelled, rows first: ``row i`` down, ``column j`` across (``row a``,
``column b`` for a kernel's taps); the ticks of a crop give its rows and columns in the photo.
:func:`worked_example` draws the hand computation of one output pixel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from helpers.plotting import DPI, IMAGE_CMAP, SIGNED_CMAP, symmetric_limit

_LEFT, _GAP, _BOTTOM, _LINE = 62, 70, 44, 15  # pixels: margins, gap, one line of title
_COLORBAR_GAP, _COLORBAR_WIDTH, _COLORBAR_ROOM = 12, 12, 72
_LEGEND_LINE = 20


@dataclass
class Frame:
    """A rectangle drawn over a panel: its top row, left column (in the coordinates of the
    panel's ticks, see ``Panel.origin``), rows, columns, colour and label."""

    top: float
    left: float
    rows: float
    columns: float
    colour: str
    label: str


@dataclass
class Panel:
    """One image or kernel of a figure.

    ``origin`` is the (row, column) in the photo of ``values[0, 0]``, so the ticks of a crop
    read as the photo's coordinates; ``marks`` are (row, column) points marked with a cross, in
    the same coordinates, and ``rings`` points marked with a circle (where a feature went).
    ``scale`` overrides the row's: ``"kernel"`` is a signed map with the panel's own limit, for
    a kernel drawn with its numbers beside the images it makes.
    """

    values: np.ndarray
    title: str = ""
    zoom: float = 1.0
    scale: str | None = None
    origin: tuple[int, int] = (0, 0)
    annotate: bool = False
    labels: tuple[str, str] = ("row i", "column j")
    frames: Sequence[Frame] = ()
    marks: Sequence[tuple[float, float]] = ()
    rings: Sequence[tuple[float, float]] = ()


@dataclass
class Row:
    """Panels compared on one scale: ``"gray"`` (0 black to ``white``, 1 by default) or
    ``"signed"`` (centred on zero, limit ``limit``, or that ``percentile`` of the magnitudes of
    the row, or their largest); ``colorbar`` labels the colorbar ("auto": "gray level" or
    "signed value"; None: no colorbar, for rows whose numbers are written on them). Values
    beyond the limit get the end colours, and the colorbar then has pointed ends that say so."""

    panels: Sequence[Panel]
    scale: str = "gray"
    colorbar: str | None = "auto"
    limit: float | None = None
    percentile: float | None = None
    white: float = 1.0  # the value drawn white on the gray scale


def _size(panel: Panel) -> tuple[float, float]:
    rows, cols = np.atleast_2d(panel.values).shape
    if panel.zoom < 1:
        raise ValueError(f"zoom must be at least 1 (never subsample an image), got {panel.zoom}")
    return cols * panel.zoom, rows * panel.zoom


def _title_room(row: Row) -> float:
    return 8 + _LINE * max(panel.title.count("\n") + 1 for panel in row.panels)


def _ticks(ax, values: np.ndarray, origin: tuple[int, int]) -> None:
    rows, cols = values.shape
    for axis, count, start in ((ax.yaxis, rows, origin[0]), (ax.xaxis, cols, origin[1])):
        if count <= 9:
            axis.set_ticks(range(start, start + count))
        else:
            axis.set_major_locator(MaxNLocator(4, integer=True))


def _annotate(ax, values: np.ndarray, origin: tuple[int, int], dark) -> None:
    for (row, col), value in np.ndenumerate(values):
        colour = "white" if dark(value) else "black"
        text = f"{round(value, 2 if abs(value) >= 0.1 else 3) + 0.0:g}"  # + 0.0: no "-0"
        ax.text(
            origin[1] + col,
            origin[0] + row,
            text,
            ha="center",
            va="center",
            color=colour,
            fontsize=7 if values.shape[1] > 3 else 8,
        )


def _style(scale: str, limit: float, white: float) -> tuple[dict, Callable[[float], bool]]:
    """``imshow`` keywords for a scale, and which values are dark (to write numbers in white)."""
    if scale in ("signed", "kernel"):
        return {"cmap": SIGNED_CMAP, "vmin": -limit, "vmax": limit}, lambda v: abs(v) > 0.6 * limit
    if scale == "gray":
        return {"cmap": IMAGE_CMAP, "vmin": 0.0, "vmax": white}, lambda v: v < 0.5 * white
    raise ValueError(f"scale must be 'gray', 'signed' or 'kernel', got {scale!r}")


def draw(rows: Sequence[Row]) -> Figure:
    """Lay out ``rows`` of panels, each panel at its zoom, and return the figure."""
    heights, widths = [], []
    for row in rows:
        sizes = [_size(panel) for panel in row.panels]
        width = _LEFT + sum(w for w, _ in sizes) + _GAP * (len(sizes) - 1)
        if row.colorbar is not None:
            width += _COLORBAR_GAP + _COLORBAR_WIDTH + _COLORBAR_ROOM
        widths.append(width + (16 if row.colorbar is not None else 48))
        legend = max(len(panel.frames) for panel in row.panels) * _LEGEND_LINE
        heights.append(_title_room(row) + max(h for _, h in sizes) + _BOTTOM + legend)
    fig_w, fig_h = max(widths), sum(heights)
    fig = plt.figure(figsize=(fig_w / DPI, fig_h / DPI), dpi=DPI, layout="none")

    def axes(left: float, top: float, width: float, height: float):
        bottom = 1 - (top + height) / fig_h
        return fig.add_axes((left / fig_w, bottom, width / fig_w, height / fig_h))

    top = 0.0
    for row, row_height in zip(rows, heights, strict=True):
        values = [np.atleast_2d(np.asarray(panel.values, dtype=float)) for panel in row.panels]
        scales = [panel.scale or row.scale for panel in row.panels]
        signed = [v for v, scale in zip(values, scales, strict=True) if scale == "signed"]
        largest = max((symmetric_limit(v) for v in signed), default=1.0)
        row_limit = row.limit or largest
        if row.percentile is not None and signed and row.limit is None:
            magnitudes = np.abs(np.concatenate([v.ravel() for v in signed]))
            row_limit = float(np.percentile(magnitudes, row.percentile)) or largest
        left, panel_top = _LEFT, top + _title_room(row)
        tallest = max(_size(panel)[1] for panel in row.panels)
        for panel, array, scale in zip(row.panels, values, scales, strict=True):
            limit = symmetric_limit(array) if scale == "kernel" else row_limit
            style, dark = _style(scale, limit, row.white)
            width, height = _size(panel)
            ax = axes(left, panel_top + (tallest - height) / 2, width, height)
            r0, c0 = panel.origin
            extent = (c0 - 0.5, c0 + array.shape[1] - 0.5, r0 + array.shape[0] - 0.5, r0 - 0.5)
            ax.imshow(array, extent=extent, interpolation="nearest", **style)
            ax.set_title(panel.title, fontsize=9)
            ax.set_ylabel(panel.labels[0])
            ax.set_xlabel(panel.labels[1])
            _ticks(ax, array, panel.origin)
            ax.tick_params(labelsize=8)
            if panel.annotate:
                _annotate(ax, array, panel.origin, dark)
            for frame in panel.frames:
                corner = (frame.left - 0.5, frame.top - 0.5)
                ax.add_patch(Rectangle(corner, frame.columns, frame.rows, fill=False, lw=2,
                                       ec=frame.colour, label=frame.label))  # fmt: skip
            if panel.frames:  # under the axes, clear of the picture
                ax.legend(loc="upper center", bbox_to_anchor=(0.5, -_BOTTOM / height), fontsize=8)
            for mark_row, mark_col in panel.marks:
                ax.plot([mark_col], [mark_row], "+", color="tab:orange", ms=14, mew=2)
            for ring_row, ring_col in panel.rings:
                ax.plot([ring_col], [ring_row], "o", mfc="none", mec="#3f90da", ms=14, mew=2)
            left += width + _GAP
        if row.colorbar is not None:
            style, _ = _style(row.scale, row_limit, row.white)
            norm = Normalize(style["vmin"], style["vmax"])
            bar = axes(left - _GAP + _COLORBAR_GAP, panel_top, _COLORBAR_WIDTH, tallest)
            beyond = row.scale == "signed" and largest > row_limit
            extend = "both" if beyond else "neither"
            colorbar = fig.colorbar(ScalarMappable(norm, style["cmap"]), cax=bar, extend=extend)
            label = {"gray": "gray level", "signed": "signed value"}.get(row.scale, "")
            colorbar.set_label(label if row.colorbar == "auto" else row.colorbar, fontsize=8)
            colorbar.ax.tick_params(labelsize=8)
        top += row_height
    return fig


def worked_example(f: np.ndarray, g: np.ndarray, pixel: tuple[int, int]) -> Figure:
    """One output pixel of ``f * g`` by hand: the window of f under the flipped kernel, the
    kernel and its flip, and the products whose sum is ``(f * g)[i, j]`` (window inside f)."""
    kh, kw = g.shape
    i, j = pixel
    top, left = i - kh + 1, j - kw + 1
    window = f[top : i + 1, left : j + 1]
    flipped = g[::-1, ::-1]
    products = window * flipped
    cell, taps = 44, ("row a", "column b")
    frame = Frame(top, left, kh, kw, "tab:orange", f"rows {top}-{i}, columns {left}-{j}")
    image = Panel(f, f"f, {f.shape[0]} x {f.shape[1]}", zoom=cell, annotate=True, frames=[frame])
    kernels = [
        Panel(g, "g", zoom=cell, annotate=True, labels=taps),
        Panel(
            flipped, "g flipped:\ng[kh - 1 - a, kw - 1 - b]", zoom=cell, annotate=True, labels=taps
        ),
        Panel(
            products,
            f"products, their sum:\n(f * g)[{i}, {j}] = {products.sum():g}",
            zoom=cell,
            annotate=True,
            origin=(top, left),
        ),
    ]
    limit = max(symmetric_limit(flipped), symmetric_limit(products))
    return draw(
        [
            Row([image], colorbar=None, white=float(f.max())),
            Row(kernels, scale="signed", colorbar=None, limit=limit),
        ]
    )

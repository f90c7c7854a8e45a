"""One plotting style for the whole course: images in gray, signed kernels in a diverging map.

Every figure reaches the notebook through :func:`show_figure`, which needs a text
alternative: a sentence that says what the figure shows and the number that matters. It is
written into the notebook as the image's ``alt`` text, so a screen reader reads it, and as the
output's plain text, so a reader of the raw notebook sees it too.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from helpers.validation import as_numeric_array

DPI = 100

# Palettes safe for the common colour-vision deficiencies (protanopia, deuteranopia,
# tritanopia; measured in tests/test_plotting.py by simulating them, Machado et al. 2009):
# - signed values: ColorBrewer's red-blue diverging map, white at zero; its two sides stay
#   apart under each simulation, and its lightness falls with |value| on both sides, so the
#   size of a value reads even in gray (and small kernels carry their numbers);
# - lines: Petroff's ten-colour sequence (M. A. Petroff, "Accessible color sequences for data
#   visualization", 2021; matplotlib's "petroff10" style), chosen so that its colours stay
#   apart under each simulated deficiency, where matplotlib's default makes its 2nd and 3rd
#   colours (orange, green) almost identical for a protanope;
# - and a dash pattern for each of them (LINE_STYLES), so that lines drawn without a style of
#   their own differ by style too, in gray and on paper: colour is never the only key (a line
#   may still set its own style, or carry a label at its end: label_line_ends).
SIGNED_CMAP = "RdBu_r"
IMAGE_CMAP = "gray"
LINE_COLOURS = (
    "#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6",
    "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd",
)  # fmt: skip
LINE_STYLES = (
    "-", (0, (5, 2)), (0, (1, 1.5)), (0, (5, 2, 1, 2)), (0, (9, 3)),
    (0, (2, 2)), (0, (5, 2, 1, 2, 1, 2)), (0, (9, 2, 2, 2)), (0, (1, 3)), (0, (3, 1)),
)  # fmt: skip


def use_style() -> None:
    """Set the course's matplotlib style: small figures, readable fonts, no smoothing of pixels."""
    mpl.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "figure.figsize": (7.0, 3.2),
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.titlesize": 10,
            "axes.grid": False,
            "image.interpolation": "nearest",
            "image.cmap": IMAGE_CMAP,
            "axes.prop_cycle": cycler(color=LINE_COLOURS) + cycler(linestyle=LINE_STYLES),
            "figure.constrained_layout.use": True,
        }
    )


def kernel_title(g: np.ndarray, name: str = "") -> str:
    """The title that carries what matters about a kernel: its sum and its L2 norm."""
    g = as_numeric_array(g, "g").astype(float)
    prefix = f"{name}\n" if name else ""
    return f"{prefix}sum = {g.sum():.3f}, norm = {np.linalg.norm(g):.3f}"


def symmetric_limit(values: np.ndarray) -> float:
    """The colour limit that centres a diverging map on zero (never 0, so imshow is valid)."""
    finite = np.abs(as_numeric_array(values, "values").astype(float))
    finite = finite[np.isfinite(finite)]  # a NaN or an inf would make every colour invalid
    limit = float(np.max(finite)) if finite.size else 0.0
    return limit if limit > 0 else 1.0


def annotate_values(ax: Axes, values: np.ndarray, fmt: str = "{:.2g}", fontsize: float = 8) -> None:
    """Write each entry of a small 2-D array on its cell, dark on light cells, light on dark."""
    limit = symmetric_limit(values)
    for (row, col), value in np.ndenumerate(values):
        colour = "white" if abs(value) > 0.6 * limit else "black"
        ax.text(
            col, row, fmt.format(value), ha="center", va="center", color=colour, fontsize=fontsize
        )


def show_signed(
    ax: Axes,
    values: np.ndarray,
    title: str | None = None,
    colorbar: bool = True,
    annotate: bool = False,
    limit: float | None = None,
) -> AxesImage:
    """Draw a signed array (a kernel, a filter, a difference) centred on zero, with a colorbar.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    values : ndarray
        A 2-D array; a 1-D array is drawn as one row.
    title : str, optional
        Defaults to the sum and the norm of ``values``.
    colorbar : bool
        Add a colorbar beside the axes.
    annotate : bool
        Write each entry on its cell (for small kernels; a widget that updates the artist
        with :func:`update_signed` must update the numbers too).
    limit : float, optional
        Colour limit, the same on both sides of zero; by default the largest magnitude. Pass
        one limit to panels that are compared, so they share one scale.

    Returns
    -------
    AxesImage
        The artist, so a widget can update it with ``set_data`` and ``set_clim``.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    limit = symmetric_limit(values) if limit is None else limit
    im = ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    ax.set_title(kernel_title(values) if title is None else title)
    ax.set_xticks([])
    ax.set_yticks([])
    if annotate:
        annotate_values(ax, values)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return im


def update_signed(im: AxesImage, values: np.ndarray) -> None:
    """Put new values into an artist made by :func:`show_signed`, keeping the map centred."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    limit = symmetric_limit(values)
    im.set_data(values)
    im.set_extent((-0.5, values.shape[1] - 0.5, values.shape[0] - 0.5, -0.5))
    im.set_clim(-limit, limit)


def readable_on_white(colour, contrast: float = 4.5) -> tuple[float, float, float]:
    """``colour`` darkened just enough for text on white to reach ``contrast`` (WCAG's ratio of
    relative luminances; 4.5 for small text), keeping its hue."""
    rgb = np.array(mpl.colors.to_rgb(colour))
    for scale in np.linspace(1.0, 0.0, 101):
        linear = np.where(
            rgb * scale <= 0.04045, rgb * scale / 12.92, ((rgb * scale + 0.055) / 1.055) ** 2.4
        )
        luminance = float(linear @ [0.2126, 0.7152, 0.0722])
        if 1.05 / (luminance + 0.05) >= contrast:
            return tuple(float(c) for c in rgb * scale)
    return (0.0, 0.0, 0.0)


def label_line_ends(
    ax: Axes, lines: list[Line2D], labels: list[str], fontsize: float = 7, gap: float | None = None
) -> list[Annotation]:
    """Write each line's label just right of its last point, in its colour (darkened to be
    readable): a key that does not rely on colour alone. Labels that would overlap are spread
    apart vertically, in the order of the lines' ends, by at least ``gap`` (a fraction of the
    axes' height; by default one line of text at the axes' current size: pass a number where
    the labels must not depend on the layout, as in a widget that redraws them).

    Returns the annotations, so a widget can update them (``set_text``) or redraw them.
    """
    if len(lines) != len(labels):
        raise ValueError(f"one label per line: {len(lines)} lines, {len(labels)} labels")
    ends = []
    for line in lines:
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        ends.append((x[finite[-1]], y[finite[-1]]) if finite.size else (np.nan, np.nan))
    bottom, top = ax.get_ylim()
    heights = [(y - bottom) / (top - bottom) for _, y in ends]
    if gap is None:
        gap = 1.15 * fontsize / 72 * ax.figure.dpi / max(ax.get_window_extent().height, 1.0)
    order = sorted(range(len(lines)), key=lambda k: heights[k])
    for previous, current in zip(order, order[1:], strict=False):
        heights[current] = max(heights[current], heights[previous] + gap)
    return [
        ax.annotate(
            label,
            xy=(end[0], height),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=fontsize,
            color=readable_on_white(line.get_color()),
        )
        for line, label, end, height in zip(lines, labels, ends, heights, strict=True)
    ]


def show_image(ax: Axes, image: np.ndarray, title: str | None = None, **kwargs) -> AxesImage:
    """Draw a grayscale image without ticks; extra keyword arguments go to ``imshow``."""
    kwargs.setdefault("cmap", IMAGE_CMAP)
    im = ax.imshow(image, **kwargs)
    if title is not None:
        ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return im


class DescribedImage:
    """A PNG image with its text alternative, shown in a notebook as ``<img alt=...>``.

    JupyterLab draws a plain ``image/png`` output without any ``alt`` attribute, so the image
    is given as HTML (``text/html``), which JupyterLab, nbconvert and Sphinx all render with its
    ``alt``; the plain-text form of the output is the description itself.
    """

    def __init__(self, png: bytes, alt: str):
        alt = " ".join(str(alt).split())
        if not alt:
            raise ValueError(
                "alt must describe the figure: what it shows and the number that matters"
            )
        self.png = png
        self.alt = alt

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt, quote=True)}"/>'
        )

    def __repr__(self) -> str:
        return f"[figure] {self.alt}"


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """A figure as PNG bytes, cropped to what it draws, at ``dpi`` (the figure's own by default)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi if dpi is None else dpi, bbox_inches="tight")
    return buffer.getvalue()


def show_figure(fig: Figure, alt: str) -> None:
    """Show ``fig`` in the notebook with the text alternative ``alt``, then close it.

    Parameters
    ----------
    fig : Figure
        The figure, drawn at the course's resolution (at least 100 dpi).
    alt : str
        What the figure shows and the number that matters, in one or two sentences ("the
        kernel gallery: box and Gaussian sum to 1 and keep the mean at 0.302; Sobel and
        Laplacian sum to 0"). Required: a figure without a description is refused.
    """
    image = DescribedImage(figure_png(fig, max(fig.dpi, DPI)), alt)
    plt.close(fig)
    display(image)

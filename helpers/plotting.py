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
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from helpers.validation import as_numeric_array

DPI = 100

SIGNED_CMAP = "RdBu_r"
IMAGE_CMAP = "gray"


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

"""One plotting style for the whole course: images in gray, signed kernels in a diverging map."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

SIGNED_CMAP = "RdBu_r"
IMAGE_CMAP = "gray"


def use_style() -> None:
    """Set the course's matplotlib style: small figures, readable fonts, no smoothing of pixels."""
    mpl.rcParams.update(
        {
            "figure.dpi": 72,
            "savefig.dpi": 72,
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
    g = np.asarray(g, dtype=float)
    prefix = f"{name}\n" if name else ""
    return f"{prefix}sum = {g.sum():.3f}, norm = {np.linalg.norm(g):.3f}"


def symmetric_limit(values: np.ndarray) -> float:
    """The colour limit that centres a diverging map on zero (never 0, so imshow is valid)."""
    limit = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return limit if limit > 0 else 1.0


def show_signed(
    ax: Axes, values: np.ndarray, title: str | None = None, colorbar: bool = True
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

    Returns
    -------
    AxesImage
        The artist, so a widget can update it with ``set_data`` and ``set_clim``.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    limit = symmetric_limit(values)
    im = ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    ax.set_title(kernel_title(values) if title is None else title)
    ax.set_xticks([])
    ax.set_yticks([])
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

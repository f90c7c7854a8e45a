"""Pictures of a layer's filters: signed maps centred on zero, numbers written on them.

One call draws a set of small filters (a CNN's first layer, the kernel gallery) in panels
titled with each filter's sum and L2 norm, on the course's diverging map. Filters that are
compared share one colour scale and one colorbar; designed kernels of different sizes and
scales can each keep their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.plotting import SIGNED_CMAP, annotate_values, symmetric_limit


def filter_title(name: str, g: np.ndarray) -> str:
    """A panel title: the filter's name, its sum and its L2 norm."""
    g = np.asarray(g, dtype=float)
    return f"{name}\nsum {g.sum():.2f}, norm {np.linalg.norm(g):.2f}"


def draw_filters(
    filters: Mapping[str, np.ndarray],
    columns: int | None = None,
    shared: bool = True,
    fmt: str = "{:.1f}",
    panel: float = 1.55,
) -> Figure:
    """Draw 2-D filters side by side, each titled with its sum and norm, values written on it.

    Parameters
    ----------
    filters : mapping of name to 2-D array
        The filters, in drawing order.
    columns : int, optional
        Panels per row (all in one row by default).
    shared : bool
        One colour scale (the largest magnitude of all filters) and one colorbar for every
        panel, for filters that are compared; otherwise each panel gets its own scale and
        colorbar.
    fmt : str
        Format of the numbers written on the cells.
    panel : float
        Width of one panel in inches.

    Returns
    -------
    Figure
        Show it with :func:`helpers.plotting.show_figure`.
    """
    if not filters:
        raise ValueError("filters must hold at least one filter")
    arrays = {name: np.atleast_2d(np.asarray(g, dtype=float)) for name, g in filters.items()}
    if any(g.ndim != 2 for g in arrays.values()):
        raise ValueError("each filter must be a 2-D array (rows, columns)")
    count = len(arrays)
    columns = count if columns is None else max(1, min(int(columns), count))
    rows = math.ceil(count / columns)
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(panel * columns + (0.6 if shared else 0), 1.75 * rows),
        squeeze=False,
    )
    limit = symmetric_limit(np.concatenate([g.ravel() for g in arrays.values()]))
    image = None
    for ax, (name, g) in zip(axes.flat, arrays.items(), strict=False):
        own = limit if shared else symmetric_limit(g)
        image = ax.imshow(g, cmap=SIGNED_CMAP, vmin=-own, vmax=own)
        annotate_values(ax, g, fmt=fmt, fontsize=7 if max(g.shape) > 3 else 8)
        for text in ax.texts:  # a small negative value rounds to "-0.0": write it as zero
            if text.get_text().lstrip("-").strip("0.") == "":
                text.set_text(text.get_text().lstrip("-"))
        ax.set_title(filter_title(name, g), fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        if not shared:
            fig.colorbar(image, ax=ax, shrink=0.7)
    for ax in axes.flat[count:]:
        ax.set_visible(False)
    if shared:
        fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    return fig

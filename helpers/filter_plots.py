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
from matplotlib.ticker import NullLocator

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


def draw_traces(steps: np.ndarray, sums: np.ndarray, norms: np.ndarray) -> Figure:
    """Each filter's sum (left) and L2 norm (right) over training, with a dashed line at one.

    The sums are drawn on a symmetric-log axis (linear between -1 and 1, logarithmic beyond),
    so that one filter whose sum grows large does not squash the others into a flat band; the
    legend sits beside the panels, off the curves.

    Parameters
    ----------
    steps : array (T,)
        The optimizer steps recorded (for example ``FilterRecorder.steps``).
    sums, norms : arrays (T, filters)
        Each filter's sum and norm at those steps.
    """
    steps, sums, norms = np.asarray(steps), np.asarray(sums), np.asarray(norms)
    if sums.ndim != 2 or sums.shape != norms.shape or len(steps) != len(sums):
        raise ValueError(
            f"sums and norms must be arrays (T, filters) for the T steps, got "
            f"{sums.shape}, {norms.shape} and {len(steps)} steps"
        )
    fig, axes = plt.subplots(1, 2, figsize=(8.2, 2.9))
    for ax, values, name in ((axes[0], sums, "sum"), (axes[1], norms, "L2 norm")):
        lines = ax.plot(steps, values, lw=1)
        one = ax.axhline(1, color="k", ls="--", lw=0.8)
        ax.set(xlabel="step", ylabel=name, title=f"each filter's {name}")
    axes[0].set_yscale("symlog", linthresh=1, linscale=1.0)
    low, high = axes[0].get_ylim()
    ticks = [t for t in (-10, -5, -2, -1, -0.5, 0, 0.5, 1, 2, 5, 10) if low <= t <= high]
    axes[0].set_yticks(ticks, [f"{t:g}" for t in ticks])
    axes[0].yaxis.set_minor_locator(NullLocator())
    axes[0].set_title("each filter's sum (linear in -1..1, log beyond)")
    fig.legend(
        [*lines, one],
        [f"g{k}" for k in range(sums.shape[1])] + ["one"],
        loc="outside right center",
        fontsize=8,
    )
    return fig


def draw_learned_sums(
    sums: list[np.ndarray], moved: list[np.ndarray], threshold: float = 0.5
) -> Figure:
    """Every learned filter's sum, one row per training run, split by how far the filter moved.

    Filled dots: filters that moved more than ``threshold`` of their initial norm (they
    learned); open circles: those that moved less (their sum is mostly still the random one they
    started with). A dashed line marks a sum of one.

    Parameters
    ----------
    sums, moved : lists of arrays (filters,)
        For each run (seed), each filter's learned sum and ``|g - g_init| / |g_init|``.
    threshold : float
        The distance moved that separates the two groups.
    """
    if not sums or len(sums) != len(moved):
        raise ValueError("sums and moved must be lists of one array per run, of equal length")
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(sums) + 1.3))
    for row, (s, m) in enumerate(zip(sums, moved, strict=True)):
        s, learned = np.asarray(s, float), np.asarray(m, float) > threshold
        ax.scatter(s[learned], np.full(learned.sum(), row), s=30, c="C0")
        ax.scatter(
            s[~learned],
            np.full((~learned).sum(), row),
            s=30,
            facecolors="none",
            edgecolors="C1",
            linewidths=1.2,
        )
    ax.scatter([], [], s=30, c="C0", label=f"moved more than {threshold:g} of its initial norm")
    ax.scatter(
        [],
        [],
        s=30,
        facecolors="none",
        edgecolors="C1",
        linewidths=1.2,
        label="moved less (still near its random start)",
    )
    ax.axvline(1, color="k", ls="--", lw=0.8, label="sum one")
    ax.axvline(0, color="0.6", lw=0.6)
    ax.set(
        xlabel="learned sum of the filter",
        ylabel="seed",
        yticks=range(len(sums)),
        ylim=(len(sums) - 0.5, -0.5),
    )
    fig.legend(loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return fig

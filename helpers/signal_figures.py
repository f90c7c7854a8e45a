"""The figures of notebook 01: continuous signals, their convolutions, and how sums converge.

Each function draws one figure and returns it, for :func:`helpers.plotting.show_figure`, so a
notebook shows a figure in one call. Every axis is labelled; panels that are compared share
one scale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.plotting import IMAGE_CMAP

Curve = np.ndarray | tuple[np.ndarray, np.ndarray]


def curves(
    x: np.ndarray,
    lines: Mapping[str, Curve],
    title: str,
    points: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    xlabel: str = "x",
    ylabel: str = "value",
    figsize: tuple[float, float] = (7.0, 3.0),
) -> Figure:
    """Lines (label -> values on ``x``, or label -> (x, values)) and dots (label -> (x, y)).

    The dots are for sampled or numeric values drawn over an exact curve; a horizontal line
    marks zero when the values change sign.
    """
    fig, ax = plt.subplots(figsize=figsize)
    lowest = np.inf
    for label, values in lines.items():
        xs, ys = values if isinstance(values, tuple) else (x, values)
        ax.plot(xs, ys, label=label, lw=2)
        lowest = min(lowest, float(np.min(ys)))
    for label, (xs, ys) in (points or {}).items():
        ax.plot(xs, ys, ".", color="k", ms=4, label=label)
    if lowest < 0:
        ax.axhline(0.0, color="0.7", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="best")
    return fig


def flip_steps(g: Callable[[np.ndarray], np.ndarray], shift: float, tau: np.ndarray) -> Figure:
    """g(tau), its mirror g(-tau), and the mirror slid to x: g(x - tau), in three panels."""
    steps = {
        "g(τ)": g(tau),
        "g(−τ): flipped": g(-tau),
        f"g(x − τ): flipped, slid to x = {shift}": g(shift - tau),
    }
    fig, axes = plt.subplots(1, 3, figsize=(8.4, 2.5), sharey=True)
    for ax, (title, values) in zip(axes, steps.items(), strict=True):
        ax.plot(tau, values, color="C1", lw=2)
        ax.axvline(0.0, color="0.7", lw=0.8)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("τ")
    axes[0].set_ylabel("value")
    return fig


def convergence(
    steps: np.ndarray,
    errors: Mapping[str, np.ndarray],
    smooth_steps: np.ndarray,
    smooth_errors: np.ndarray,
    predicted: np.ndarray,
) -> Figure:
    """Error against step: power laws on log-log axes, each with the line of its nearest whole
    slope (left); the Gaussian pair's faster fall against the Poisson-summation prediction
    (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.2))
    for (label, values), marker in zip(errors.items(), "os^", strict=False):
        line = left.loglog(steps, values, marker + "-", label=label)[0]
        order = round(np.polyfit(np.log(steps), np.log(values), 1)[0])
        reference = values[0] * (steps / steps[0]) ** order
        colour = line.get_color()
        left.loglog(steps, reference, ":", color=colour, alpha=0.6, label=f"slope {order}")
    left.set_xlabel("step Δτ")
    left.set_ylabel("largest error over x")
    left.set_title("midpoint rule: error against step")
    left.legend(fontsize=8)
    right.semilogy(smooth_steps, np.maximum(smooth_errors, 1e-17), "o-", color="C2",
                   label="Gaussian * Gaussian, measured")  # fmt: skip
    shown = predicted > 1e-18
    right.semilogy(smooth_steps[shown], predicted[shown], ":", color="0.3",
                   label="2 I exp(−2π²s²/Δτ²), predicted")  # fmt: skip
    right.axhline(1e-16, color="0.7", lw=0.8)
    right.text(smooth_steps[-1], 3e-16, "rounding", fontsize=8, color="0.5")
    right.set_ylim(1e-18, 1)
    right.set_xlabel("step Δτ")
    right.set_ylabel("largest error over x")
    right.set_title("smooth and fast-decaying: faster than any power")
    right.legend(fontsize=8)
    return fig


def plane_panels(
    axis: np.ndarray, panels: Sequence[tuple[str, np.ndarray]], shared: Sequence[int]
) -> Figure:
    """Functions of (x1, x2) sampled on ``axis`` x ``axis``, each with its colorbar.

    Drawn as images are, rows first: x1 runs down the rows, x2 along the columns. The panels
    listed in ``shared`` (their indices) are the ones compared: they share one colour scale;
    the others get their own.
    """
    limit = max(float(panels[k][1].max()) for k in shared)
    fig, axes = plt.subplots(1, len(panels), figsize=(3.0 * len(panels), 2.9))
    extent = (axis[0], axis[-1], axis[-1], axis[0])
    for index, (ax, (title, values)) in enumerate(zip(axes, panels, strict=True)):
        top = limit if index in shared else float(values.max())
        im = ax.imshow(values, extent=extent, cmap=IMAGE_CMAP, vmin=0, vmax=top)
        fig.colorbar(im, ax=ax, shrink=0.85)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("x₂ (along the columns)")
        ax.set_ylabel("x₁ (down the rows)")
    return fig

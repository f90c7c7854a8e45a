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


def superposition(
    x: np.ndarray,
    f: Callable[[np.ndarray], np.ndarray],
    g: Callable[[np.ndarray], np.ndarray],
    strips: np.ndarray,
    exact: np.ndarray,
) -> Figure:
    """f * g as a sum of copies of g: for each strip of f (midpoint tau_m, width d), the copy
    f(tau_m) g(x - tau_m) d of g, started at tau_m and scaled by f's area in the strip; their
    sum, drawn over the exact f * g."""
    width = strips[1] - strips[0]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.0, 4.4), sharex=True)
    top.plot(x, f(x), lw=2, label="f")
    top.bar(strips, f(strips), width=width, alpha=0.3, color="C0", edgecolor="C0",
            label=f"f cut into {len(strips)} strips")  # fmt: skip
    top.set_ylabel("f(τ)")
    top.set_xlabel("τ")
    top.legend(fontsize=8, loc="upper right")
    total = np.zeros_like(x)
    for number, tau in enumerate(strips):
        copy = f(np.array(tau)) * g(x - tau) * width
        total += copy
        label = "one copy of g per strip:\nf(τₘ) g(x − τₘ) Δτ" if number == 0 else None
        bottom.plot(x, copy, color="0.55", lw=1, ls="-", label=label)
    bottom.plot(x, total, lw=2.5, color="C1", ls="-", label="the sum of the copies")
    bottom.plot(x, exact, color="k", lw=1, ls="--", label="f * g, exact")
    bottom.set_xlabel("x")
    bottom.set_ylabel("value")
    bottom.legend(fontsize=8, loc="upper right")
    top.set_title("each strip of f adds a copy of g, started at the strip and scaled by its area")
    return fig


def identity_limit(
    x: np.ndarray,
    f: np.ndarray,
    blurred: Mapping[float, np.ndarray],
    widths: np.ndarray,
    errors: np.ndarray,
) -> Figure:
    """Left: f blurred by unit-area boxes of a few widths, with f on top (black, dotted with
    markers). Right: the
    largest error against the width on log-log axes, beside a line of slope 2."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.0), width_ratios=(1.6, 1))
    for width, values in blurred.items():
        left.plot(x, values, lw=2, label=f"f * box, width {width:g}")
    left.plot(x, f, color="k", lw=1, ls="-", marker="o", ms=3, markevery=8, label="f")
    left.set_xlabel("x")
    left.set_ylabel("value")
    left.legend(fontsize=8)
    left.set_title("narrowing unit-area boxes tend to the identity")
    right.loglog(widths, errors, "o-", color="C3", label="largest error, measured")
    right.loglog(widths, 0.5 * errors[0] * (widths / widths[0]) ** 2, ":", color="0.3",
                 label="slope 2 (below, to compare)")  # fmt: skip
    right.set_xlabel("box width w")
    right.set_ylabel("max |f * box − f|")
    right.set_title("error against width")
    right.legend(fontsize=8)
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
        reference = 0.3 * values[0] * (steps / steps[0]) ** order  # below the data, not on it
        colour = line.get_color()
        left.loglog(steps, reference, ":", color=colour, alpha=0.8, label=f"slope {order}")
    left.set_xlabel("step Δτ (log axis)")
    left.set_ylabel("largest error over x")
    left.set_title("midpoint rule: error against step")
    left.legend(fontsize=8, loc="upper left")
    right.semilogy(smooth_steps, np.maximum(smooth_errors, 1e-17), "o-", color="C2",
                   label="Gaussian * Gaussian, measured")  # fmt: skip
    shown = predicted > 1e-18
    right.semilogy(smooth_steps[shown], predicted[shown], ":", color="0.3",
                   label="2 I exp(−2π²s²/Δτ²), predicted")  # fmt: skip
    right.axhline(1e-16, color="0.7", lw=0.8)
    right.text(smooth_steps[-1], 3e-16, "rounding", fontsize=8, color="0.4")
    right.set_ylim(1e-18, 1)
    right.set_xlabel("step Δτ (linear axis: no power law is straight here)")
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


def learning_curves(iterations: np.ndarray, curves: Mapping[str, np.ndarray], title: str) -> Figure:
    """Error curves of an iterative method against the iteration, on log-log axes (the
    iterations counted from 1, so the start is drawn at 1)."""
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    for (label, values), marker in zip(curves.items(), "os^", strict=False):
        ax.loglog(iterations, values, marker + "-", ms=4, label=label)
    ax.set_xlabel("iteration of gradient descent (log axis)")
    ax.set_ylabel("error (log axis)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig

"""The figures of notebook 04, one function per figure: spectra, wrap-around, frequency responses.

Frequencies are in cycles per pixel, ``u`` along the rows (vertical, increasing downwards as the
rows do) and ``v`` along the columns (horizontal), zero frequency in the centre
(``np.fft.fftshift``). Magnitudes are shown as logarithms where they span decades, and panels
that are compared share one colour scale.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers import kernels
from helpers.plotting import SIGNED_CMAP, show_image
from helpers.validation import as_shape

DB_LIMIT = 30.0  # the responses' colour scale: -30 dB to +30 dB around "unchanged"


def frequency_extent(shape: tuple[int, int]) -> tuple[float, float, float, float]:
    """``imshow`` extent of a centred spectrum of ``shape``: pixel centres on the frequencies
    of ``np.fft.fftshift(np.fft.fftfreq(n))``, u increasing downwards.

    Those frequencies run from ``-(n // 2) / n`` to ``((n - 1) // 2) / n`` in steps of
    ``1 / n``; the extent adds half a step at each end (computed from ``n``, no array built).

    Raises
    ------
    TypeError, ValueError
        If ``shape`` is not two positive integers (rows, columns).
    """
    rows, cols = as_shape(shape, "shape", ndim=2)
    v_low, v_high = _frequency_edges(cols)
    u_low, u_high = _frequency_edges(rows)
    return (v_low, v_high, u_high, u_low)


def _frequency_edges(n: int) -> tuple[float, float]:
    """The outer edges of the first and last of ``n`` centred frequency bins."""
    return (-(n // 2) - 0.5) / n, ((n - 1) // 2 + 0.5) / n


def _frequency_axes(ax, shape: tuple[int, int], ylabel: bool = True) -> None:
    ax.set_xticks([-0.5, 0, 0.5])
    ax.set_yticks([-0.5, 0, 0.5])
    ax.set_xlabel("v (cycles/pixel)")
    if ylabel:
        ax.set_ylabel("u (cycles/pixel)")


def draw_theorem(photo: np.ndarray, g: np.ndarray, decades: float = 10) -> Figure:
    """The convolution theorem on a photo: ``f``, ``log10 |F|``, ``log10 |H|``,
    ``log10 |F H|`` (on ``|F|``'s scale) and the inverse transform of ``F H``.

    The three logarithms span the same number of ``decades`` (``|F|`` and ``|F H|`` from the
    largest coefficient down, ``|H|`` from 1 down), so a colour step means the same factor in
    every panel; anything smaller is drawn black (the figure's title says so).
    """
    spectrum = np.fft.fft2(photo)
    response = kernels.frequency_response(g, photo.shape)
    product = spectrum * response
    filtered = np.fft.ifft2(product).real
    floor = 1e-300  # log of an exact zero
    logs = [np.log10(np.maximum(np.abs(np.fft.fftshift(x)), floor)) for x in (spectrum, product)]
    log_h = np.log10(np.maximum(np.abs(np.fft.fftshift(response)), floor))
    top = float(logs[0].max())
    bottom = top - decades  # below the largest coefficient (the photo's sum, at (0, 0))
    fig, axes = plt.subplots(1, 5, figsize=(15, 3.9))
    show_image(axes[0], photo, "f: the photo", vmin=0, vmax=1)
    extent = frequency_extent(photo.shape)
    panels = [
        (axes[1], logs[0], "spectrum |F(u, v)|", (bottom, top), "log10 |F|"),
        (axes[2], log_h, "response |H(u, v)|", (-decades, 0), "log10 |H|"),
        (axes[3], logs[1], "product |F H|", (bottom, top), "log10 |F H| = log10 |F| + log10 |H|"),
    ]
    for ax, values, title, (low, high), label in panels:
        image = ax.imshow(values, cmap="magma", extent=extent, vmin=low, vmax=high)
        ax.set_title(title)
        _frequency_axes(ax, photo.shape, ylabel=ax is axes[1])
        fig.colorbar(image, ax=ax, shrink=0.8, label=label)
    show_image(axes[4], np.roll(filtered, [-((k - 1) // 2) for k in g.shape], axis=(0, 1)),
               "inverse DFT of F H", vmin=0, vmax=1)  # fmt: skip
    fig.suptitle(
        f"Logarithms on {decades:g}-decade scales: black is {decades:g} decades or more below "
        "the top (the photo's sum for |F| and |F H|, 1 for |H|); zero frequency in the centre",
        fontsize=10,
    )
    return fig


def draw_wraparound(linear: np.ndarray, circular: np.ndarray, strip: int) -> Figure:
    """Linear against circular 'same' convolution of a photo, and their difference on a
    logarithmic scale, with dashed lines ``strip`` pixels from each border."""
    difference = np.abs(circular - linear)
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2))
    show_image(axes[0], linear, "linear (zeros outside), 'same'", vmin=0, vmax=1)
    show_image(axes[1], circular, "circular (no padding), aligned", vmin=0, vmax=1)
    floor = 1e-6
    image = show_image(
        axes[2],
        np.log10(np.maximum(difference, floor)),
        f"|circular - linear|: largest {difference.max():.2f}",
        cmap="magma",
        vmin=np.log10(floor),
        vmax=0,
    )
    rows, cols = difference.shape
    for ax in axes:
        ax.add_patch(Rectangle((strip - 0.5, strip - 0.5), cols - 2 * strip, rows - 2 * strip,
                               fill=False, ec="C0", ls="--", lw=1.2))  # fmt: skip
    fig.colorbar(image, ax=axes[2], shrink=0.8,
                 label=f"log10 |difference| (black: below {floor:g})")  # fmt: skip
    return fig


def draw_responses(gallery: dict[str, np.ndarray], grid: int) -> Figure:
    """Every kernel's gain ``20 log10 |H|`` in decibels, on one scale centred on 0 dB (the gain
    that leaves a frequency unchanged): red boosts, blue attenuates, white passes."""
    fig, axes = plt.subplots(2, (len(gallery) + 1) // 2, figsize=(11, 5.8))
    extent = frequency_extent((grid, grid))
    for ax, (name, g) in zip(axes.ravel(), gallery.items(), strict=True):
        magnitude = np.abs(np.fft.fftshift(kernels.frequency_response(g, (grid, grid))))
        gain = 20 * np.log10(np.maximum(magnitude, 10 ** (-DB_LIMIT / 20)))
        image = ax.imshow(gain, cmap=SIGNED_CMAP, extent=extent, vmin=-DB_LIMIT, vmax=DB_LIMIT)
        ax.set_title(f"{name}: H(0,0) = {g.sum():.2f}\nmax |H| = {magnitude.max():.2f}",
                     fontsize=9)  # fmt: skip
        _frequency_axes(ax, (grid, grid), ylabel=ax in axes[:, 0])
    fig.colorbar(image, ax=axes, shrink=0.7, label="gain 20 log10 |H| (dB); 0 dB: unchanged")
    return fig


def draw_side_lobes(v: np.ndarray, cuts: dict[str, np.ndarray], floor: float = 1e-10) -> Figure:
    """Cuts ``|H(0, v)|`` on a logarithmic axis, where side lobes show, down to ``floor``."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for (label, cut), style in zip(cuts.items(), ["-", "-", "--", ":"], strict=False):
        ax.semilogy(v, np.maximum(cut, floor / 10), style, label=label)
    ax.set_ylim(floor, 1.5)
    ax.set_xlim(0, 0.5)
    ax.set_xlabel("horizontal frequency v (cycles/pixel)")
    ax.set_ylabel("|H(0, v)| (log scale)")
    ax.legend(fontsize=9, loc="lower left")
    return fig

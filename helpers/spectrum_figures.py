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

from helpers import kernels
from helpers.plotting import SIGNED_CMAP, show_image, symmetric_limit

DB_LIMIT = 30.0  # the responses' colour scale: -30 dB to +30 dB around "unchanged"


def frequency_extent(shape: tuple[int, int]) -> tuple[float, float, float, float]:
    """``imshow`` extent of a centred spectrum of ``shape``: pixel centres on the frequencies
    of ``np.fft.fftshift(np.fft.fftfreq(n))``, u increasing downwards."""
    (rows, cols) = shape
    u = np.fft.fftshift(np.fft.fftfreq(rows))
    v = np.fft.fftshift(np.fft.fftfreq(cols))
    return (v[0] - 0.5 / cols, v[-1] + 0.5 / cols, u[-1] + 0.5 / rows, u[0] - 0.5 / rows)


def _frequency_axes(ax, shape: tuple[int, int], ylabel: bool = True) -> None:
    ax.set_xticks([-0.5, 0, 0.5])
    ax.set_yticks([-0.5, 0, 0.5])
    ax.set_xlabel("v (cycles/pixel)")
    if ylabel:
        ax.set_ylabel("u (cycles/pixel)")


def draw_theorem(photo: np.ndarray, g: np.ndarray) -> Figure:
    """The convolution theorem on a photo: ``f``, ``log10 |F|``, ``log10 |H|``,
    ``log10 |F H|`` (on ``|F|``'s scale) and the inverse transform of ``F H``."""
    spectrum = np.fft.fft2(photo)
    response = kernels.frequency_response(g, photo.shape)
    product = spectrum * response
    filtered = np.fft.ifft2(product).real
    floor = 1e-12  # log of an exact zero
    logs = [np.log10(np.maximum(np.abs(np.fft.fftshift(x)), floor)) for x in (spectrum, product)]
    log_h = np.log10(np.maximum(np.abs(np.fft.fftshift(response)), floor))
    top = float(logs[0].max())
    bottom = top - 6  # six decades below the largest coefficient (the mean, at (0, 0))
    fig, axes = plt.subplots(1, 5, figsize=(14, 3.4))
    show_image(axes[0], photo, "f: the photo", vmin=0, vmax=1)
    extent = frequency_extent(photo.shape)
    panels = [
        (axes[1], logs[0], "log10 |F(u, v)|", (bottom, top)),
        (axes[2], log_h, "x  log10 |H(u, v)|", (-6, 0)),
        (axes[3], logs[1], "=  log10 |F H|", (bottom, top)),
    ]
    for ax, values, title, (low, high) in panels:
        image = ax.imshow(values, cmap="magma", extent=extent, vmin=low, vmax=high)
        ax.set_title(title)
        _frequency_axes(ax, photo.shape, ylabel=ax is axes[1])
        fig.colorbar(image, ax=ax, shrink=0.7, label="decades" if ax is axes[2] else None)
    show_image(axes[4], np.roll(filtered, [-((k - 1) // 2) for k in g.shape], axis=(0, 1)),
               "inverse DFT of F H: circular f * g", vmin=0, vmax=1)  # fmt: skip
    return fig


def draw_wraparound(linear: np.ndarray, circular: np.ndarray) -> Figure:
    """Linear against circular 'same' convolution of a photo, and their signed difference."""
    difference = circular - linear
    fig, axes = plt.subplots(1, 3, figsize=(11, 4))
    show_image(axes[0], linear, "linear (zeros outside), 'same'", vmin=0, vmax=1)
    show_image(axes[1], circular, "circular (no padding), aligned", vmin=0, vmax=1)
    limit = symmetric_limit(difference)
    image = show_image(axes[2], difference, f"circular - linear: max |.| {limit:.2f}",
                       cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)  # fmt: skip
    fig.colorbar(image, ax=axes[2], shrink=0.8, label="difference (grey levels)")
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


def draw_side_lobes(v: np.ndarray, cuts: dict[str, np.ndarray]) -> Figure:
    """Cuts ``|H(0, v)|`` on a logarithmic axis, where side lobes show."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for label, cut in cuts.items():
        ax.semilogy(v, np.maximum(cut, 1e-6), label=label)
    ax.set_ylim(1e-4, 1.5)
    ax.set_xlim(0, 0.5)
    ax.set_xlabel("horizontal frequency v (cycles/pixel)")
    ax.set_ylabel("|H(0, v)| (log scale)")
    ax.legend(fontsize=9)
    return fig

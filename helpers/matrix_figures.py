"""The figures of notebook 03, one function per figure: convolution's matrices drawn.

Each function takes the arrays the notebook computed and returns a matplotlib figure, for
``helpers.plotting.show_figure(fig, alt=...)``. Signed entries are drawn on the course's
diverging map centred on zero (zeros white), with their numbers written on small matrices.
"""

from __future__ import annotations

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers.plotting import SIGNED_CMAP, show_signed, symmetric_limit

HIGHLIGHT = "#ffb74d"  # a light orange: black text on it stays readable


def _outline_blocks(ax, shape: tuple[int, int], rows_per_block: int, cols_per_block: int) -> None:
    for r in range(0, shape[0] + 1, rows_per_block):
        ax.axhline(r - 0.5, color="0.4", lw=0.6)
    for c in range(0, shape[1] + 1, cols_per_block):
        ax.axvline(c - 0.5, color="0.4", lw=0.6)


POSITIVE_CMAP = "Blues"  # entries that are all >= 0: white at zero, darker as they grow


def _show_entries(ax, values: np.ndarray):
    """A matrix on a scale that fits its signs: the signed map centred on zero if it has negative
    entries, else a sequential map from zero (white) to its largest entry (no half unused)."""
    if np.min(values) < 0:
        return show_signed(ax, values, title="", colorbar=False)
    image = ax.imshow(values, cmap=POSITIVE_CMAP, vmin=0, vmax=symmetric_limit(values))
    ax.set_xticks([])
    ax.set_yticks([])
    return image


def _integers(
    ax, values: np.ndarray, fontsize: float = 6, limit: float | None = None, zeros: bool = False
) -> None:
    """Write the entries of a matrix of small integers on their cells (the zeros too, if asked),
    light on the dark cells of a colour scale that ends at ``limit``."""
    limit = symmetric_limit(values) if limit is None else limit
    for (row, col), value in np.ndenumerate(values):
        if value or zeros:
            colour = "white" if abs(value) > 0.6 * limit else "black"
            ax.text(
                col, row, f"{value:g}", ha="center", va="center", fontsize=fontsize, color=colour
            )


def draw_toeplitz(
    T: np.ndarray,
    f_shape: tuple[int, int],
    g: np.ndarray,
    T_big: np.ndarray,
    big_shape: tuple[int, int],
) -> Figure:
    """The doubly block Toeplitz matrix of a small image with its taps written in, blocks
    outlined, and the nonzeros of the matrix of a larger image."""
    fig, (ax_small, ax_big) = plt.subplots(1, 2, figsize=(12, 7.6), width_ratios=[1.2, 1])
    rows_per_block = f_shape[1] + g.shape[1] - 1
    image = _show_entries(ax_small, T)
    fig.colorbar(image, ax=ax_small, shrink=0.6, label="entry of T (a tap of g)")
    _integers(ax_small, T, fontsize=9)
    _outline_blocks(ax_small, T.shape, rows_per_block, f_shape[1])
    ax_small.set_title(
        f"T for a {f_shape[0]}x{f_shape[1]} image: {T.shape[0]}x{T.shape[1]},\n"
        f"a {T.shape[0] // rows_per_block}x{f_shape[0]} grid of blocks, "
        f"each {rows_per_block}x{f_shape[1]}"
    )
    ax_big.spy(T_big, markersize=0.8, aspect="auto", color="C0")
    ax_big.xaxis.tick_bottom()
    _outline_blocks(ax_big, T_big.shape, big_shape[1] + g.shape[1] - 1, big_shape[1])
    fraction = np.count_nonzero(T_big) / T_big.size
    ax_big.set_title(
        f"nonzeros of T for a {big_shape[0]}x{big_shape[1]} image: "
        f"{T_big.shape[0]}x{T_big.shape[1]}, {100 * fraction:.1f} % nonzero"
    )
    for ax in (ax_small, ax_big):
        ax.set_xlabel("input pixel p (column of T)")
        ax.set_ylabel("output pixel (row of T)")
    ax_small.set_xticks(range(0, T.shape[1], f_shape[1]))
    ax_small.set_yticks(range(0, T.shape[0], rows_per_block))
    return fig


def draw_transposed(
    M: np.ndarray, y: np.ndarray, spread: np.ndarray, up: np.ndarray, f_shape: tuple[int, int]
) -> Figure:
    """A stride-2 layer's matrix, and its transpose upsampling ``y``: zeros inserted, then a
    full convolution with the kernel."""
    fig = plt.figure(figsize=(10, 5.2))
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 1.6])
    ax_m = fig.add_subplot(grid[0, :])
    limit = symmetric_limit(M)
    show_signed(ax_m, M, title="", colorbar=False, limit=limit)
    _integers(ax_m, M, fontsize=7)
    _outline_blocks(ax_m, M.shape, M.shape[0], f_shape[1])
    ax_m.set_title(
        f"M of the stride-2 layer: {M.shape[0]} outputs x {M.shape[1]} inputs "
        f"({f_shape[0]}x{f_shape[1]} image; lines: image rows)"
    )
    ax_m.set_xlabel("input pixel")
    ax_m.set_ylabel("output pixel")
    panels = [
        (y, f"y: {y.shape[0]}x{y.shape[1]}", symmetric_limit(y)),
        (spread, f"zeros inserted: {spread.shape[0]}x{spread.shape[1]}", symmetric_limit(y)),
        (up, f"M^T y = its full convolution with g: {up.shape[0]}x{up.shape[1]}", None),
    ]
    for column, (values, title, limit) in enumerate(panels):
        ax = fig.add_subplot(grid[1, column])
        show_signed(ax, values, title=title, colorbar=column > 0, limit=limit)
        _integers(ax, values, fontsize=10, limit=limit, zeros=True)
    return fig


def draw_im2col(f: np.ndarray, P: np.ndarray, pixel: int, g_shape: tuple[int, int]) -> Figure:
    """The image with its pixel numbers, and the patch matrix with the copies of one pixel
    highlighted: the duplication im2col pays for one matrix product."""
    fig, (ax_f, ax_p) = plt.subplots(1, 2, figsize=(9.5, 4.6), width_ratios=[1, 1.5])
    row, col = divmod(pixel, f.shape[1])
    light = ListedColormap(["#f2f2f2", HIGHLIGHT])
    ax_f.imshow(f == pixel, cmap=light, vmin=0, vmax=1)
    for (r, c), value in np.ndenumerate(f):
        ax_f.text(c, r, f"{value:g}", ha="center", va="center", fontsize=10)
    kh, kw = g_shape
    for top, left, colour in [(0, 0, "C0"), (row - kh // 2, col - kw // 2, "C3")]:
        box = Rectangle((left - 0.5, top - 0.5), kw, kh, fill=False, ec=colour, lw=2.5)
        ax_f.add_patch(box)
    ax_f.set_title(f"f: {f.shape[0]}x{f.shape[1]}, pixel numbers")
    copies = int(np.count_nonzero(P == pixel))
    ax_p.imshow(P == pixel, cmap=light, vmin=0, vmax=1, aspect="auto")
    for (r, c), value in np.ndenumerate(P):
        ax_p.text(c, r, f"{value:g}", ha="center", va="center", fontsize=9)
    centre_row = (row - kh // 2) * (f.shape[1] - kw + 1) + (col - kw // 2)
    for r, colour in [(0, "C0"), (centre_row, "C3")]:
        ax_p.add_patch(Rectangle((-0.5, r - 0.5), P.shape[1], 1, fill=False, ec=colour, lw=2.5))
    ax_p.set_title(
        f"P = im2col(f): {P.shape[0]}x{P.shape[1]}, one patch per row; "
        f"pixel {pixel} copied {copies} times"
    )
    ax_p.set_xlabel("filter tap (a, b), row-major")
    ax_p.set_ylabel("output position, row-major")
    for ax in (ax_f, ax_p):
        ax.set_xticks(range(ax.images[0].get_array().shape[1]))
        ax.set_yticks(range(ax.images[0].get_array().shape[0]))
    ax_f.set_xlabel("column j")
    ax_f.set_ylabel("row i")
    return fig


def draw_memory(
    sides: np.ndarray, table: dict[str, np.ndarray], built: np.ndarray, predicted: np.ndarray
) -> Figure:
    """Bytes of each representation against the image's side; the dense matrix measured where
    it was built and predicted (dashed) beyond."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    colours = dict(zip(table, ["C3", "C0", "C1", "C2"], strict=False))
    for name, values in table.items():
        ok = np.isfinite(values)
        ax.loglog(sides[ok], values[ok], "o-", color=colours[name], label=f"{name} (measured)")
    beyond = ~built
    beyond[max(int(np.flatnonzero(built)[-1]), 0)] = True  # join the line to the last one built
    ax.loglog(
        sides[beyond], predicted[beyond], "--", color=colours["dense Toeplitz"],
        label="dense Toeplitz (predicted, not built)",
    )  # fmt: skip
    ax.loglog(sides[~built], predicted[~built], "o", color=colours["dense Toeplitz"], mfc="none")
    ax.set_xticks(sides, [str(n) for n in sides])
    ax.minorticks_off()
    ax.set_xlabel("image side N (an N x N image, 3x3 kernel, 'full', float64)")
    ax.set_ylabel("bytes stored")
    ax.set_title("memory of each representation as the image grows")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def draw_bridge(C: np.ndarray, D: np.ndarray, H: np.ndarray, f_shape: tuple[int, int]) -> Figure:
    """The block circulant matrix of wrap-around (the taps that wrap around the border marked),
    the same matrix in the Fourier basis (diagonal), and its diagonal as H(u, v)."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.6), width_ratios=[1, 1, 0.9])
    image = _show_entries(axes[0], C)
    fig.colorbar(image, ax=axes[0], shrink=0.75, label="entry (a tap of g)")
    _outline_blocks(axes[0], C.shape, f_shape[1], f_shape[1])
    rows, cols = f_shape
    i, j = np.divmod(np.arange(rows * cols), cols)
    wraps = (i[:, None] < i[None, :]) | (j[:, None] < j[None, :])  # i - p < 0 or j - q < 0
    out, inp = np.nonzero(wraps & (C != 0))
    axes[0].scatter(inp, out, s=9, marker="s", facecolors="none", edgecolors="black", lw=0.6)
    axes[0].set_title(f"C ({C.shape[0]}x{C.shape[1]}): {rows}x{rows} blocks of {cols}x{cols}\n"
                      f"squares: the {out.size} taps that wrap around the border")  # fmt: skip
    axes[0].set_xlabel("input pixel (p, q), row-major")
    axes[0].set_ylabel("output pixel (i, j), row-major")
    magnitude = np.abs(D)
    shown = axes[1].imshow(magnitude, cmap="magma", vmin=0)
    fig.colorbar(shown, ax=axes[1], shrink=0.75, label="|entry|")
    off = magnitude - np.diag(np.diag(magnitude))
    axes[1].set_title(f"|W C W^-1|: diagonal\n(off the diagonal at most {off.max():.0e})")
    axes[1].set_xlabel(r"DFT bin ($\kappa$, $\lambda$), row-major")
    axes[1].set_ylabel(r"DFT bin ($\kappa$, $\lambda$), row-major")
    for ax in axes[:2]:
        ax.set_xticks([])
        ax.set_yticks([])
    gains = np.abs(H)
    axes[2].imshow(gains, cmap="magma", vmin=0)
    for (row, col), value in np.ndenumerate(gains):  # dark map: light text on dark cells
        colour = "black" if value > 0.6 * gains.max() else "white"
        axes[2].text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=8, color=colour)
    axes[2].add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="C0", lw=2.5))
    axes[2].set_title(f"the diagonal as |H(u, v)|, in the DFT's order\n"
                      f"H(0, 0) = {H[0, 0].real:.2f} = sum(g)")  # fmt: skip
    axes[2].set_xticks(range(cols), [f"{b}: {_cycles(b, cols)}" for b in range(cols)], fontsize=8)
    axes[2].set_yticks(range(rows), [f"{b}: {_cycles(b, rows)}" for b in range(rows)], fontsize=8)
    axes[2].set_xlabel(r"bin $\lambda$: frequency $v$ (cycles/pixel)")
    axes[2].set_ylabel(r"bin $\kappa$: frequency $u$ (cycles/pixel)")
    return fig


def _cycles(bin_: int, n: int) -> str:
    """The frequency of DFT bin ``bin_`` of ``n`` as a fraction of a cycle per pixel: bins past
    ``n / 2`` are the negative frequencies ``bin_ / n - 1``."""
    frequency = Fraction(bin_, n) - (1 if 2 * bin_ > n else 0)
    return str(frequency)


def draw_boundary_sums(deviations: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """For each boundary (and kernel): row sums of T minus sum(g) (what a constant image
    becomes, per output pixel) and column sums minus sum(g) (per input pixel), on one signed
    scale, every panel at the same scale per pixel; a dot marks each pixel where the fact fails,
    however small the deviation."""
    names = list(deviations)
    fig, axes = plt.subplots(2, len(names), figsize=(2.5 * len(names) + 1.2, 5.8))
    limit = max(symmetric_limit(np.concatenate([a.ravel(), b.ravel()]))
                for a, b in deviations.values())  # fmt: skip
    side = max(max(a.shape + b.shape) for a, b in deviations.values())
    for column, name in enumerate(names):
        for row, values in enumerate(deviations[name]):
            ax = axes[row, column]
            image = ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            fails = np.argwhere(np.abs(values) > 1e-12)
            ax.scatter(fails[:, 1], fails[:, 0], s=6, color="black")
            margin = (side - np.array(values.shape)) / 2  # the same size per pixel everywhere
            ax.set_xlim(-0.5 - margin[1], values.shape[1] - 0.5 + margin[1])
            ax.set_ylim(values.shape[0] - 0.5 + margin[0], -0.5 - margin[0])
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            frame = Rectangle((-0.5, -0.5), values.shape[1], values.shape[0], fill=False, ec="0.3")
            ax.add_patch(frame)
            holds = int(np.sum(np.abs(values) < 1e-12))
            size = f"{values.shape[0]}x{values.shape[1]}"
            ax.set_title(f"{name}\n{size}: {holds} of {values.size} hold", fontsize=9)
    axes[0, 0].set_ylabel("T 1 - sum(g) 1\n(per output pixel)")
    axes[1, 0].set_ylabel("1^T T - sum(g) 1^T\n(per input pixel)")
    fig.colorbar(image, ax=axes, shrink=0.7, label="deviation from sum(g); dot: fails")
    return fig

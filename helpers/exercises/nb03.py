"""Exercises of notebook 03: convolution as matrix multiplication.

- :data:`toeplitz_1d`: build the 1-D 'full' convolution matrix of a kernel.
- :data:`toeplitz_nonzeros`: how many entries of the 2-D matrix the kernel fills.
- :data:`im2col_channels`: the patch matrix of an image with channels, one patch per row.
- :data:`input_gradient`: the gradient of a CNN layer with respect to its input.
"""

from __future__ import annotations

import numpy as np
import scipy.signal
from numpy.lib.stride_tricks import sliding_window_view

from helpers.exercises import Case, Exercise, Mistake

# --- build the 1-D Toeplitz matrix --------------------------------------------------------


def toeplitz_1d_reference(g: np.ndarray, n: int) -> np.ndarray:
    """The (n + k - 1) x n matrix T with ``T @ f == np.convolve(f, g)`` for every f of length n."""
    g = np.asarray(g, dtype=float)
    k = g.size
    T = np.zeros((n + k - 1, n))
    for j in range(n):  # column j: the kernel, shifted down by j
        T[j : j + k, j] = g
    return T


def _toeplitz_1d_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    cases = [
        Case("a 3-tap kernel, signal of length 5", (np.array([1.0, 2.0, 3.0]), 5)),
        Case("a 1-tap kernel (the matrix is diagonal)", (np.array([2.5]), 4)),
        Case("a signal of length 1", (np.array([1.0, -1.0, 0.5]), 1)),
        Case("a kernel longer than the signal", (rng.normal(size=6), 3)),
    ]
    for _ in range(3):
        k, n = int(rng.integers(2, 6)), int(rng.integers(2, 9))
        cases.append(
            Case(f"a random {k}-tap kernel, signal of length {n}", (rng.normal(size=k), n))
        )
    return cases


SQUARE = (
    "your matrix is square, n x n: it keeps only n of the outputs. The full convolution has "
    "n + k - 1 outputs, so T needs n + k - 1 rows"
)


def _circulant_1d(g: np.ndarray, n: int) -> np.ndarray:
    """The n x n wrap-around matrix: tap a lands on row (j + a) mod n of column j."""
    T = np.zeros((n, n))
    for j in range(n):
        for a, tap in enumerate(np.asarray(g, dtype=float)):
            T[(j + a) % n, j] += tap
    return T


def _one_row_low(g: np.ndarray, n: int) -> np.ndarray:
    """Column j holds g from row j + 1: an (n + k) x n matrix with a zero first row."""
    g = np.asarray(g, dtype=float)
    T = np.zeros((n + g.size, n))
    for j in range(n):
        T[j + 1 : j + 1 + g.size, j] = g
    return T


toeplitz_1d = Exercise(
    "Build the 1-D Toeplitz matrix",
    toeplitz_1d_reference,
    _toeplitz_1d_cases,
    hint=(
        "column j of T is the kernel g placed starting at row j: T @ e_j is the "
        "response to an impulse at position j."
    ),
    mistakes=[
        Mistake(
            "you built the transpose: its rows compute the *correlation* with g. Rows of T "
            "index the n + k - 1 outputs, columns the n inputs; column j holds g shifted down "
            "by j.",
            lambda g, n: toeplitz_1d_reference(g, n).T,
        ),
        Mistake(
            "your kernel is reversed: that matrix computes the cross-correlation. In a "
            "convolution, output x takes g[x - j] times f[j], so g appears in its natural "
            "order down each column.",
            lambda g, n: toeplitz_1d_reference(np.asarray(g)[::-1], n),
        ),
        Mistake(
            f"{SQUARE}; yours holds the first n (the top of the full matrix).",
            lambda g, n: toeplitz_1d_reference(g, n)[:n],
        ),
        Mistake(
            f"{SQUARE}; yours holds the last n (the bottom of the full matrix).",
            lambda g, n: toeplitz_1d_reference(g, n)[len(g) - 1 :],
        ),
        Mistake(
            f"{SQUARE}; yours is the 'same' matrix, rows (k - 1) // 2 to (k - 1) // 2 + n - 1 "
            "of the full one.",
            lambda g, n: toeplitz_1d_reference(g, n)[(len(g) - 1) // 2 : (len(g) - 1) // 2 + n],
        ),
        Mistake(
            f"{SQUARE}; yours wraps the taps that fall past the end back to the top: that is "
            "the circulant matrix of circular convolution, not the zero-padded one.",
            _circulant_1d,
        ),
        Mistake(
            "your kernel starts one row too low (and T has n + k rows): output x = j + a "
            "receives g[a] f[j] from a = 0, so column j holds g starting at row j.",
            _one_row_low,
        ),
    ],
)


# --- how many entries the kernel fills ----------------------------------------------------


def toeplitz_nonzeros_reference(
    f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str
) -> int:
    """Entries of the 2-D 'full' or 'valid' Toeplitz matrix that hold a kernel tap.

    In 'full' mode every input pixel meets every tap once: ``H W kh kw``. In 'valid' mode every
    output pixel sees all the taps: ``(H - kh + 1)(W - kw + 1) kh kw``.
    """
    (h, w), (kh, kw) = f_shape, g_shape
    if mode == "full":
        return h * w * kh * kw
    return (h - kh + 1) * (w - kw + 1) * kh * kw


def _toeplitz_nonzeros_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    cases = [
        Case("a 3x3 kernel on a 4x4 image, 'full'", ((4, 4), (3, 3), "full")),
        Case("a 3x2 kernel on a 6x5 image, 'valid'", ((6, 5), (3, 2), "valid")),
        Case("a kernel as large as the image, 'valid'", ((3, 5), (3, 5), "valid")),
    ]
    for mode in ("full", "valid", "full", "valid"):
        h, w = (int(v) for v in rng.integers(5, 30, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
        cases.append(
            Case(f"a {kh}x{kw} kernel on a {h}x{w} image, {mode!r}", ((h, w), (kh, kw), mode))
        )
    too_large = "its dense matrix would need gigabytes: count with a formula"
    cases += [
        Case(
            f"a 3x3 kernel on a 120x150 image, 'full' ({too_large})", ((120, 150), (3, 3), "full")
        ),
        Case(
            f"a 5x4 kernel on a 200x300 image, 'valid' ({too_large})", ((200, 300), (5, 4), "valid")
        ),
    ]
    return cases


def _output_pixels(f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str) -> int:
    (h, w), (kh, kw) = f_shape, g_shape
    return (h + kh - 1) * (w + kw - 1) if mode == "full" else (h - kh + 1) * (w - kw + 1)


def _dense_entries(f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str) -> int:
    return _output_pixels(f_shape, g_shape, mode) * f_shape[0] * f_shape[1]


toeplitz_nonzeros = Exercise(
    "Count the nonzeros of the 2-D Toeplitz matrix",
    toeplitz_nonzeros_reference,
    _toeplitz_nonzeros_cases,
    hint=(
        "count per output pixel how many kernel taps land on an input pixel; in "
        "'full' mode it is easier to count per input pixel instead."
    ),
    mistakes=[
        Mistake(
            "that counts every entry of the dense matrix. Count only the entries that hold a "
            "kernel tap: each row has at most kh * kw of them.",
            _dense_entries,
        ),
        Mistake(
            "in 'valid' mode each *output* pixel sees every tap; it is the outputs you count, "
            "not the inputs (some input pixels near the border meet fewer taps).",
            lambda f, g, mode: toeplitz_nonzeros_reference(f, g, "full"),
        ),
        Mistake(
            "in 'full' mode some outputs near the border see fewer than kh * kw taps; count per "
            "input pixel instead: every input pixel meets every tap exactly once.",
            lambda f, g, mode: _output_pixels(f, g, mode) * g[0] * g[1],
        ),
        Mistake(
            "one position short in each direction: in 'valid' mode a kernel of kh rows fits at "
            "H - kh + 1 positions down the image (and W - kw + 1 across), not H - kh.",
            lambda f, g, mode: (
                (f[0] - g[0]) * (f[1] - g[1]) * g[0] * g[1]
                if mode == "valid"
                else toeplitz_nonzeros_reference(f, g, mode)
            ),
        ),
    ],
)


# --- im2col with channels -----------------------------------------------------------------


def _patches(f: np.ndarray, kh: int, kw: int, order=(1, 2, 0, 3, 4), flip=False, short=0):
    """Patch rows of a (C, H, W) image: ``order`` permutes (C, positions, positions, kh, kw)
    before flattening; ``flip`` reverses each patch; ``short`` drops the last positions."""
    f = np.asarray(f, dtype=float)
    windows = sliding_window_view(f, (kh, kw), axis=(1, 2))  # (C, H-kh+1, W-kw+1, kh, kw)
    if flip:
        windows = windows[..., ::-1, ::-1]
    if short:
        windows = windows[:, :-short, :-short]
    return windows.transpose(order).reshape(-1, f.shape[0] * kh * kw)


def im2col_channels_reference(f: np.ndarray, kh: int, kw: int) -> np.ndarray:
    """The patch matrix of a ``(C, H, W)`` image for ``kh x kw`` filters ('valid' positions).

    One row per output position, in row-major order; one column per filter entry, ordered
    like ``weights.reshape(C_out, -1)``: channel first, then the tap's row, then its column.
    So ``patches @ weights.reshape(C_out, -1).T`` is the layer's output, one column per filter.
    """
    f = np.asarray(f, dtype=float)
    windows = sliding_window_view(f, (kh, kw), axis=(1, 2))  # (C, H-kh+1, W-kw+1, kh, kw)
    return windows.transpose(1, 2, 0, 3, 4).reshape(-1, f.shape[0] * kh * kw)


def _im2col_cases() -> list[Case]:
    rng = np.random.default_rng(31)
    cases = [
        Case("3 channels of 5x6, a 2x3 filter", (rng.normal(size=(3, 5, 6)), 2, 3)),
        Case("one channel, 4x4, a 3x3 filter", (np.arange(16.0).reshape(1, 4, 4), 3, 3)),
        Case("2 channels of 4x4, a 4x4 filter (one position)", (rng.normal(size=(2, 4, 4)), 4, 4)),
        Case("3 channels of 6x5, a 1x1 filter", (rng.normal(size=(3, 6, 5)), 1, 1)),
    ]
    for _ in range(2):
        c, h, w = (int(v) for v in rng.integers((2, 5, 5), (5, 9, 9)))
        kh, kw = (int(v) for v in rng.integers(2, 4, size=2))
        image = rng.normal(size=(c, h, w))
        cases.append(Case(f"{c} channels of {h}x{w}, a {kh}x{kw} filter", (image, kh, kw)))
    return cases


im2col_channels = Exercise(
    "im2col with channels",
    im2col_channels_reference,
    _im2col_cases,
    hint=(
        "one row per output position (H - kh + 1 rows by W - kw + 1 columns of them, in "
        "row-major order); each row holds the patch of every channel, channel 0 first, each "
        "patch flattened row by row: f[:, i:i + kh, j:j + kw].ravel()."
    ),
    mistakes=[
        Mistake(
            "you put each patch in a column, as CS231n, Caffe and torch's unfold do: that is "
            "the transpose of this exercise's layout, one patch per row (positions x C kh kw).",
            lambda f, kh, kw: _patches(f, kh, kw).T,
        ),
        Mistake(
            "the entries of a row are in the wrong order: channels must come first (all of "
            "channel 0's patch, then channel 1's), the order of weights.reshape(C_out, -1); you "
            "put the channels last (row, column, channel).",
            lambda f, kh, kw: _patches(f, kh, kw, order=(1, 2, 3, 4, 0)),
        ),
        Mistake(
            "one position short in each direction: a filter of kh rows fits at H - kh + 1 "
            "positions, not H - kh.",
            lambda f, kh, kw: _patches(f, kh, kw, short=1),
        ),
        Mistake(
            "each patch is flipped: im2col copies the pixels as they are; the flip belongs to "
            "the filter, and a CNN layer (a cross-correlation) does not flip at all.",
            lambda f, kh, kw: _patches(f, kh, kw, flip=True),
        ),
        Mistake(
            "your rows follow the positions column by column (down the first column of "
            "positions first); the layer's output is read row by row, so position (i, j) is "
            "row i * (W - kw + 1) + j.",
            lambda f, kh, kw: _patches(f, kh, kw, order=(2, 1, 0, 3, 4)),
        ),
        Mistake(
            "each channel's patch is flattened column by column (transposed): flatten it row "
            "by row, f[c, i:i + kh, j:j + kw].ravel(), the order of the weights' taps.",
            lambda f, kh, kw: _patches(f, kh, kw, order=(1, 2, 0, 4, 3)),
        ),
        Mistake(
            "kh and kw are swapped: kh is the filter's number of rows (along H), kw its number "
            "of columns (along W).",
            lambda f, kh, kw: _patches(f, kw, kh),
        ),
        Mistake(
            "sliding_window_view gives an array of shape (C, positions down, positions across, "
            "kh, kw); reshaped as it is, a row mixes patches of one channel. Move the channel "
            "axis after the positions first: .transpose(1, 2, 0, 3, 4), then reshape.",
            lambda f, kh, kw: _patches(f, kh, kw, order=(0, 1, 2, 3, 4)),
        ),
    ],
)


# --- the gradient with respect to the input -------------------------------------------------


def input_gradient_reference(dy: np.ndarray, g: np.ndarray) -> np.ndarray:
    """dL/df for a layer ``out = correlate(f, g, 'valid')`` (torch's conv2d, one channel),
    given ``dy = dL/dout``: the 'full' *convolution* of ``dy`` with ``g``.

    ``out[i, j] = sum_{a, b} g[a, b] f[i + a, j + b]``, so ``dL/df[p, q]`` collects
    ``dy[i, j] g[p - i, q - j]`` over every output that saw pixel (p, q): a convolution.
    """
    return scipy.signal.convolve2d(np.asarray(dy, dtype=float), np.asarray(g, dtype=float), "full")


def _gradient_cases() -> list[Case]:
    rng = np.random.default_rng(32)
    cases = [
        Case(
            "a 4x5 upstream gradient, a 3x2 kernel",
            (rng.normal(size=(4, 5)), rng.normal(size=(3, 2))),
        ),
        Case(
            "a 2x2 upstream gradient, a 3x3 kernel", (rng.normal(size=(2, 2)), rng.random((3, 3)))
        ),
        Case("a one-pixel output, a 3x2 kernel", (np.array([[2.0]]), rng.normal(size=(3, 2)))),
        Case("a 1x1 kernel", (rng.normal(size=(4, 5)), np.array([[-1.5]]))),
    ]
    for _ in range(3):
        oh, ow = (int(v) for v in rng.integers(2, 7, size=2))
        kh, kw = (int(v) for v in rng.integers(2, 5, size=2))
        cases.append(
            Case(
                f"a {oh}x{ow} upstream gradient, a {kh}x{kw} kernel",
                (rng.normal(size=(oh, ow)), rng.normal(size=(kh, kw))),
            )
        )
    return cases


def _padded_short(dy: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Zeros of k - 2 (not k - 1) around dy, then correlation with the flipped kernel."""
    g = np.asarray(g, dtype=float)
    padded = np.pad(np.asarray(dy, dtype=float), [(k - 2, k - 2) for k in g.shape])
    return scipy.signal.correlate2d(padded, g[::-1, ::-1], "valid")


FULL = "the gradient has the input's shape, (H, W) = dy's shape + g's shape - 1: the 'full' mode"

input_gradient = Exercise(
    "The gradient with respect to the input",
    input_gradient_reference,
    _gradient_cases,
    hint=(
        "out[i, j] = sum over (a, b) of g[a, b] f[i + a, j + b]; differentiate "
        "L = sum out * dy by f[p, q]: every output (i, j) with p = i + a, q = j + b contributes "
        "dy[i, j] g[p - i, q - j]. Which operation is that, and in which mode?"
    ),
    mistakes=[
        Mistake(
            "you correlated dy with g: the gradient of a correlation is a *convolution* (the "
            "kernel flipped); dL/df[p, q] = sum of dy[i, j] g[p - i, q - j].",
            lambda dy, g: scipy.signal.correlate2d(dy, g, "full"),
        ),
        Mistake(
            f"{FULL}, not 'same' (nor 'valid').",
            lambda dy, g: scipy.signal.convolve2d(dy, g, "same"),
        ),
        Mistake(
            f"{FULL}, not 'valid': 'valid' keeps only the outputs where the whole kernel lies "
            "on dy, and the gradient reaches every input pixel.",
            lambda dy, g: scipy.signal.convolve2d(dy, g, "valid"),
        ),
        Mistake(
            "correlate(dy, g, 'valid') is the transpose of the *full convolution* (notebook "
            "03's T, whose output is larger than its input). Here the layer is a 'valid' "
            "correlation, whose output is smaller: its transpose goes the other way, the 'full' "
            "convolution of dy with g.",
            lambda dy, g: scipy.signal.correlate2d(dy, g, "valid"),
        ),
        Mistake(
            "your kernel is transposed: g[a, b] is row offset a, column offset b; rows stay rows.",
            lambda dy, g: scipy.signal.convolve2d(dy, np.asarray(g).T, "full"),
        ),
        Mistake(
            "you flipped the kernel along one axis only (the rows, g[::-1, :]): the "
            "convolution flips both, g[::-1, ::-1].",
            lambda dy, g: scipy.signal.convolve2d(dy, np.asarray(g)[::-1, :], "full"),
        ),
        Mistake(
            "you flipped the kernel along one axis only (the columns, g[:, ::-1]): the "
            "convolution flips both, g[::-1, ::-1].",
            lambda dy, g: scipy.signal.convolve2d(dy, np.asarray(g)[:, ::-1], "full"),
        ),
        Mistake(
            "np.rot90(g) turns the kernel a quarter turn; the flip of a convolution is a half "
            "turn, np.rot90(g, 2), which is g[::-1, ::-1].",
            lambda dy, g: scipy.signal.convolve2d(dy, np.rot90(g), "full"),
        ),
        Mistake(
            "one pixel short on every side: to make the 'full' result by padding, pad dy with "
            "k - 1 zeros on each side (kh - 1 rows, kw - 1 columns), not k - 2.",
            _padded_short,
        ),
    ],
)

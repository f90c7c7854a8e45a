"""Exercises of notebook 03: convolution as matrix multiplication.

- :data:`toeplitz_1d`: build the 1-D 'full' convolution matrix of a kernel.
- :data:`toeplitz_shape`: the shape of the 2-D Toeplitz matrix, for any mode.
- :data:`toeplitz_nonzeros`: how many of its entries the kernel fills.
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Case, Exercise, Mistake

MODES = ("full", "same", "valid")


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
            "convolution, output i takes g[i - j] times f[j], so g appears in its natural "
            "order down each column.",
            lambda g, n: toeplitz_1d_reference(np.asarray(g)[::-1], n),
        ),
        Mistake(
            "your matrix is square: that keeps only n outputs. The full convolution has "
            "n + k - 1 outputs, so T needs n + k - 1 rows.",
            lambda g, n: toeplitz_1d_reference(g, n)[:n],
        ),
    ],
)


# --- the shape of the 2-D Toeplitz matrix -------------------------------------------------


def toeplitz_shape_reference(
    f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str
) -> tuple[int, int]:
    """(output pixels, input pixels) of the matrix that convolves an f_shape image."""
    (h, w), (kh, kw) = f_shape, g_shape
    if mode == "full":
        out = (h + kh - 1, w + kw - 1)
    elif mode == "same":
        out = (h, w)
    else:  # valid
        out = (h - kh + 1, w - kw + 1)
    return (out[0] * out[1], h * w)


def _toeplitz_shape_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    cases = [
        Case("a 3x3 kernel on a 4x4 image, 'full'", ((4, 4), (3, 3), "full")),
        Case("a 3x3 kernel on a 4x4 image, 'valid'", ((4, 4), (3, 3), "valid")),
        Case("a 3x3 kernel on a 4x4 image, 'same'", ((4, 4), (3, 3), "same")),
        Case("a 1x1 kernel, 'full'", ((5, 2), (1, 1), "full")),
    ]
    for mode in MODES:
        h, w = (int(v) for v in rng.integers(4, 12, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        cases.append(
            Case(f"a {kh}x{kw} kernel on a {h}x{w} image, {mode!r}", ((h, w), (kh, kw), mode))
        )
    return cases


toeplitz_shape = Exercise(
    "The shape of the 2-D Toeplitz matrix",
    toeplitz_shape_reference,
    _toeplitz_shape_cases,
    hint=(
        "T has one row per output pixel and one column per input pixel: multiply the "
        "output's rows by its columns, then the input's."
    ),
    mistakes=[
        Mistake(
            "rows and columns are swapped: T maps the flattened image (its columns) to the "
            "flattened output (its rows), so it has (output pixels, input pixels).",
            lambda f, g, mode: toeplitz_shape_reference(f, g, mode)[::-1],
        ),
        Mistake(
            "that is the 'full' size for every mode: the number of rows is the number of "
            "output pixels, which depends on the mode.",
            lambda f, g, mode: toeplitz_shape_reference(f, g, "full"),
        ),
        Mistake(
            "off by one in 'valid' mode: a kernel of kh rows fits at H - kh + 1 positions, "
            "not H - kh.",
            lambda f, g, mode: (
                toeplitz_shape_reference(f, g, mode)
                if mode != "valid"
                else ((f[0] - g[0]) * (f[1] - g[1]), f[0] * f[1])
            ),
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
        Case("a 3x3 kernel on a 4x4 image, 'valid'", ((4, 4), (3, 3), "valid")),
        Case("a kernel as large as the image, 'valid'", ((3, 5), (3, 5), "valid")),
    ]
    for mode in ("full", "valid", "full", "valid"):
        h, w = (int(v) for v in rng.integers(5, 30, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
        cases.append(
            Case(f"a {kh}x{kw} kernel on a {h}x{w} image, {mode!r}", ((h, w), (kh, kw), mode))
        )
    return cases


def _dense_entries(f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str) -> int:
    rows, columns = toeplitz_shape_reference(f_shape, g_shape, mode)
    return rows * columns


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
            lambda f, g, mode: toeplitz_shape_reference(f, g, mode)[0] * g[0] * g[1],
        ),
    ],
)

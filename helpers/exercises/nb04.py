"""Exercises of notebook 04: convolution with the FFT.

- :data:`wraparound_size`: how many pixels of a circular convolution wrap around.
- :data:`smallest_period`: the DFT size that makes circular convolution equal linear
  convolution, for each output mode.
- :data:`fft_same`: 'same' convolution through the FFT, even kernels included.
- :data:`response_at`: a kernel's frequency response at any frequency, from the definition.
"""

from __future__ import annotations

import numpy as np
import scipy.fft

from helpers import kernels
from helpers.exercises import Case, Exercise, Mistake

MODES = ("full", "same", "valid")

# --- the size of the wrap-around region --------------------------------------------------


def wraparound_size_reference(f_shape: tuple[int, int], g_shape: tuple[int, int]) -> int:
    """Pixels of the circular convolution (period f_shape) that differ from the linear one.

    Only the 'valid' part, ``(H - kh + 1) x (W - kw + 1)``, escapes the wrap-around; the rest,
    the first kh - 1 rows and kw - 1 columns, is corrupted.
    """
    (h, w), (kh, kw) = f_shape, g_shape
    return h * w - (h - kh + 1) * (w - kw + 1)


def _shape_cases(seed: int) -> list[Case]:
    rng = np.random.default_rng(seed)
    cases = [
        Case("a 3x3 kernel on an 8x8 image", ((8, 8), (3, 3))),
        Case("a 1x1 kernel (nothing wraps)", ((6, 5), (1, 1))),
        Case("a 1x5 kernel on a 7x9 image", ((7, 9), (1, 5))),
        Case("a kernel as large as the image", ((4, 6), (4, 6))),
    ]
    for _ in range(3):
        h, w = (int(v) for v in rng.integers(8, 40, size=2))
        kh, kw = (int(v) for v in rng.integers(2, 8, size=2))
        cases.append(Case(f"a {kh}x{kw} kernel on a {h}x{w} image", ((h, w), (kh, kw))))
    return cases


wraparound_size = Exercise(
    "Predict the size of the wrap-around region",
    wraparound_size_reference,
    lambda: _shape_cases(6),
    hint=(
        "only the output pixels where the kernel lies entirely inside the image (the "
        "'valid' part) escape the wrap-around; count the others."
    ),
    mistakes=[
        Mistake(
            "you counted the kh - 1 rows and the kw - 1 columns separately and added them: the "
            "corner where they meet is then counted twice.",
            lambda f, g: (g[0] - 1) * f[1] + (g[1] - 1) * f[0],
        ),
        Mistake(
            "a k-tap kernel spills k - 1 samples, not k: the tail of the full convolution has "
            "k - 1 samples, and only they wrap.",
            lambda f, g: f[0] * f[1] - max(f[0] - g[0], 0) * max(f[1] - g[1], 0),
        ),
        Mistake(
            "that counts only one direction: the tail wraps around in both rows and columns, "
            "so the corrupted region is an L-shaped band.",
            lambda f, g: (g[0] - 1) * f[1],
        ),
    ],
)


# --- the smallest period for each mode ---------------------------------------------------


def smallest_period_reference(
    f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str
) -> tuple[int, int]:
    """The smallest DFT shape for which circular convolution, cropped to ``mode``'s window
    ``full[s : s + m]``, equals linear convolution: ``max(s + m, n + k - 1 - s)`` per axis.

    The window must fit in one period (``P >= s + m``) and nothing may wrap into it: circular
    sample x is ``full[x] + full[x + P]``, and ``full[x + P]`` vanishes for every ``x >= s``
    once ``s + P >= n + k - 1``.
    """
    period = []
    for n, k in zip(f_shape, g_shape, strict=True):
        if mode == "full":
            s, m = 0, n + k - 1
        elif mode == "same":
            s, m = (k - 1) // 2, n
        else:  # valid
            s, m = k - 1, n - k + 1
        period.append(max(s + m, n + k - 1 - s))
    return tuple(period)


def _period_cases() -> list[Case]:
    rng = np.random.default_rng(9)
    cases = [
        Case("a 3x3 kernel on an 8x8 image, 'full'", ((8, 8), (3, 3), "full")),
        Case("a 3x3 kernel on an 8x8 image, 'same'", ((8, 8), (3, 3), "same")),
        Case("a 3x3 kernel on an 8x8 image, 'valid'", ((8, 8), (3, 3), "valid")),
        Case("a 4x2 kernel (even sizes) on a 9x7 image, 'same'", ((9, 7), (4, 2), "same")),
        Case("a 1x1 kernel, 'full'", ((5, 6), (1, 1), "full")),
    ]
    for mode in MODES:
        h, w = (int(v) for v in rng.integers(8, 40, size=2))
        kh, kw = (int(v) for v in rng.integers(2, 8, size=2))
        cases.append(
            Case(f"a {kh}x{kw} kernel on a {h}x{w} image, {mode!r}", ((h, w), (kh, kw), mode))
        )
    return cases


def _period_for_every_mode(f, g, mode, rule):
    return tuple(rule(n, k) for n, k in zip(f, g, strict=True))


smallest_period = Exercise(
    "The smallest period for each mode",
    smallest_period_reference,
    _period_cases,
    hint=(
        "mode's output is the window full[s : s + m] of the full convolution (n + k - 1 "
        "samples per axis); with period P, circular sample x is full[x] + full[x + P]. "
        "Find the smallest P for which the window fits and nothing lands in it from beyond P."
    ),
    mistakes=[
        Mistake(
            "n + k - 1 is what 'full' needs; a smaller window needs less: 'same' only "
            "n + k // 2 (the tail that wraps lands on the part 'same' crops away), 'valid' "
            "no padding at all.",
            lambda f, g, mode: _period_for_every_mode(f, g, mode, lambda n, k: n + k - 1),
        ),
        Mistake(
            "half the kernel (n + k // 2) is enough for 'same' only: for 'full' the whole "
            "tail of n + k - 1 samples must fit in the period, and 'valid' needs no padding.",
            lambda f, g, mode: _period_for_every_mode(f, g, mode, lambda n, k: n + k // 2),
        ),
        Mistake(
            "one too many: the full convolution has n + k - 1 samples, not n + k.",
            lambda f, g, mode: (
                smallest_period_reference(f, g, mode)
                if mode != "full"
                else _period_for_every_mode(f, g, mode, lambda n, k: n + k)
            ),
        ),
        Mistake(
            "for an even kernel 'same' starts at (k - 1) // 2, so the tail that must not wrap "
            "has k // 2 samples: the period is n + k // 2, not n + (k - 1) // 2.",
            lambda f, g, mode: (
                smallest_period_reference(f, g, mode)
                if mode != "same"
                else _period_for_every_mode(f, g, mode, lambda n, k: n + (k - 1) // 2)
            ),
        ),
        Mistake(
            "without padding the tail wraps around onto the start, except in 'valid' mode: "
            "the period must hold the window and keep the tail out of it.",
            lambda f, g, mode: tuple(f),
        ),
    ],
)


# --- 'same' through the FFT, even kernels included ---------------------------------------


def fft_same_reference(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``convolve(f, g, 'same')`` (as ``scipy.signal.convolve2d``) through the FFT.

    Zero-pad both to a period ``P = n + k // 2`` per axis, multiply the spectra, transform
    back, and crop the window that starts at ``(k - 1) // 2``: for an even kernel the window
    sits half a pixel towards the top left, as scipy's does.
    """
    f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
    period = [n + k // 2 for n, k in zip(f.shape, g.shape, strict=True)]
    circular = scipy.fft.irfft2(scipy.fft.rfft2(f, period) * scipy.fft.rfft2(g, period), period)
    (s0, s1), (rows, cols) = ((k - 1) // 2 for k in g.shape), f.shape
    return circular[s0 : s0 + rows, s1 : s1 + cols]


def _fft_same_cases() -> list[Case]:
    rng = np.random.default_rng(10)
    cases = [
        Case("a 2x2 kernel on a 6x6 image", (rng.normal(size=(6, 6)), rng.normal(size=(2, 2)))),
        Case("a 4x4 kernel on a 9x8 image", (rng.normal(size=(9, 8)), rng.normal(size=(4, 4)))),
        Case("a 4x2 kernel on a 7x10 image", (rng.normal(size=(7, 10)), rng.normal(size=(4, 2)))),
        Case(
            "a 3x3 kernel (odd) on an 8x5 image", (rng.normal(size=(8, 5)), rng.normal(size=(3, 3)))
        ),
        Case("a 1x1 kernel", (rng.normal(size=(5, 5)), np.array([[2.0]]))),
    ]
    for _ in range(2):
        h, w = (int(v) for v in rng.integers(8, 20, size=2))
        kh, kw = (2 * int(v) for v in rng.integers(1, 4, size=2))
        image, kernel = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
        cases.append(Case(f"a {kh}x{kw} kernel on a {h}x{w} image", (image, kernel)))
    return cases


def _crop_start_k_over_2(f, g):
    """Padded well enough, but the window starts at k // 2 (the centre of an odd kernel)."""
    f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
    period = [n + k - 1 for n, k in zip(f.shape, g.shape, strict=True)]
    circular = np.fft.irfft2(np.fft.rfft2(f, period) * np.fft.rfft2(g, period), period)
    (s0, s1), (rows, cols) = (k // 2 for k in g.shape), f.shape
    return circular[s0 : s0 + rows, s1 : s1 + cols]


def _circular_same(f, g):
    """No padding: the circular convolution with period f.shape, shifted to line up."""
    f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
    circular = np.fft.irfft2(np.fft.rfft2(f) * np.fft.rfft2(g, f.shape), f.shape)
    return np.roll(circular, [-((k - 1) // 2) for k in g.shape], axis=(0, 1))


fft_same = Exercise(
    "'same' convolution through the FFT, even kernels included",
    fft_same_reference,
    _fft_same_cases,
    hint=(
        "pad f and g with zeros to a period long enough (see the rule above), multiply their "
        "2-D FFTs, transform back, and keep the f.shape window that starts where 'same' starts "
        "in the full convolution: at (k - 1) // 2 in each direction."
    ),
    mistakes=[
        Mistake(
            "wrong centring: for an even kernel 'same' starts at (k - 1) // 2 of the full "
            "result (as scipy.signal.convolve2d), not at k // 2; the two agree for odd kernels.",
            _crop_start_k_over_2,
        ),
        Mistake(
            "no padding: with period f.shape the tail of the convolution wraps around onto "
            "the opposite border. Pad to at least n + k // 2 before the FFT.",
            _circular_same,
        ),
        Mistake(
            "your kernel is flipped: that is a cross-correlation. The FFT of g, zero-padded at "
            "the end, is what multiplies for a convolution; do not reverse g.",
            lambda f, g: fft_same_reference(f, np.asarray(g)[::-1, ::-1]),
        ),
    ],
)


# --- the frequency response at any frequency -----------------------------------------------


def response_at_reference(g: np.ndarray, u: float, v: float) -> tuple[float, float]:
    """``H(u, v) = sum_{a, b} g[a, b] exp(-2 pi i (u a + v b))`` for frequencies in cycles per
    pixel (``u`` along the rows, ``v`` along the columns), as (real part, imaginary part).

    At ``(0, 0)`` it is ``g.sum()``; elsewhere it is what convolution with g multiplies that
    frequency by.
    """
    g = np.asarray(g, dtype=float)
    a, b = np.meshgrid(np.arange(g.shape[0]), np.arange(g.shape[1]), indexing="ij")
    h = np.sum(g * np.exp(-2j * np.pi * (u * a + v * b)))
    return float(h.real), float(h.imag)


def _response_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    sobel, emboss = kernels.sobel_x(), kernels.emboss()
    lopsided = rng.normal(size=(3, 4))
    return [
        Case("the box 3x3 at zero frequency", (kernels.box(3), 0.0, 0.0)),
        Case("Sobel x at (0, 0.25)", (sobel, 0.0, 0.25)),
        Case("Sobel x at (0.25, 0)", (sobel, 0.25, 0.0)),
        Case("the emboss kernel at (0.5, 0.5)", (emboss, 0.5, 0.5)),
        Case("the emboss kernel at (0.1, 0.3)", (emboss, 0.1, 0.3)),
        Case("a random 3x4 kernel at (0.2, -0.15)", (lopsided, 0.2, -0.15)),
        Case("a random 3x4 kernel at zero frequency", (lopsided, 0.0, 0.0)),
        Case("a 1x5 kernel at (0, 0.4)", (rng.normal(size=(1, 5)), 0.0, 0.4)),
    ]


def _response_with(g, u, v, sign=-1.0, centred=False, transposed=False, per_size=False):
    g = np.asarray(g, dtype=float)
    a, b = np.meshgrid(np.arange(g.shape[0]), np.arange(g.shape[1]), indexing="ij")
    if centred:
        a, b = a - g.shape[0] // 2, b - g.shape[1] // 2
    if transposed:
        u, v = v, u
    if per_size:
        u, v = u / g.shape[0], v / g.shape[1]
    h = np.sum(g * np.exp(sign * 2j * np.pi * (u * a + v * b)))
    return float(h.real), float(h.imag)


response_at = Exercise(
    "The frequency response at any frequency",
    response_at_reference,
    _response_cases,
    hint=(
        "H(u, v) is the sum over every tap of g[a, b] exp(-2 pi i (u a + v b)), with u, v in "
        "cycles per pixel, u going with the row offset a and v with the column offset b. "
        "Return (H.real, H.imag)."
    ),
    mistakes=[
        Mistake(
            "g.sum() is H(0, 0) only: at any other frequency the taps are weighted by "
            "exp(-2 pi i (u a + v b)) before they are summed.",
            lambda g, u, v: (float(np.sum(g)), 0.0),
        ),
        Mistake(
            "the sign of the exponent: the DFT (np.fft.fft2) uses exp(-2 pi i (u a + v b)); "
            "with a plus sign you get the complex conjugate of H.",
            lambda g, u, v: _response_with(g, u, v, sign=1.0),
        ),
        Mistake(
            "u and v are swapped: u is the vertical frequency and goes with the row offset a, "
            "v the horizontal one and goes with the column offset b.",
            lambda g, u, v: _response_with(g, u, v, transposed=True),
        ),
        Mistake(
            "wrong centring: tap g[a, b] sits at offset (a, b) from the origin, as in "
            "np.fft.fft2(g); counting offsets from the kernel's centre changes the phase.",
            lambda g, u, v: _response_with(g, u, v, centred=True),
        ),
        Mistake(
            "u and v are in cycles per pixel: the exponent is -2 pi i (u a + v b), with no "
            "division by the kernel's size (that would be the k-point DFT's index).",
            lambda g, u, v: _response_with(g, u, v, per_size=True),
        ),
    ],
)

"""Exercises of notebook 04: convolution with the FFT.

- :data:`wraparound_size`: how many pixels of a circular convolution wrap around.
- :data:`smallest_period`: the DFT size that makes circular convolution equal the output of
  a layer with any zero padding (not only 'full', 'same' and 'valid').
- :data:`fft_same`: 'same' convolution through the FFT, even kernels included.
- :data:`response_at`: a kernel's frequency response at any frequency, from the definition.
"""

from __future__ import annotations

import numpy as np
import scipy.fft

from helpers import kernels
from helpers.exercises import Case, Exercise, Mistake

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
        Case("a 3x5 kernel on an 8x11 image", ((8, 11), (3, 5))),
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
            "the corrupted band is k - 1 pixels wide in all, not k: the tail of the full "
            "convolution has k - 1 samples, and only they wrap. (Lined up as a 'same' output "
            "the band splits into two strips, (k - 1) // 2 and k // 2 wide, not k // 2 each.)",
            lambda f, g: f[0] * f[1] - max(f[0] - g[0], 0) * max(f[1] - g[1], 0),
        ),
        Mistake(
            "that counts only one direction: the tail wraps around in both rows and columns, "
            "so the corrupted region is an L-shaped band.",
            lambda f, g: (g[0] - 1) * f[1],
        ),
        Mistake(
            "the kernel's shape is (kh, kw), rows first: kh - 1 rows and kw - 1 columns wrap. "
            "You swapped kh and kw.",
            lambda f, g: wraparound_size_reference(f, (g[1], g[0])),
        ),
    ],
)


# --- the smallest period for any padding -------------------------------------------------


def smallest_period_reference(
    f_shape: tuple[int, int], g_shape: tuple[int, int], padding: tuple[int, int]
) -> tuple[int, int]:
    """The smallest DFT shape for which circular convolution, cropped to the output of a layer
    with ``padding`` zeros on each side, equals that output: ``n + p`` per axis.

    Zero-padding ``p`` on each side and keeping the 'valid' part gives the window
    ``full[s : s + m]`` of the full convolution with ``s = k - 1 - p`` and
    ``m = n + 2p - k + 1``. The rule ``P >= max(s + m, n + k - 1 - s)`` gives ``n + p`` for both:
    the image plus the padding on *one* side.
    """
    return tuple(n + p for n, p in zip(f_shape, padding, strict=True))


def _period_cases() -> list[Case]:
    rng = np.random.default_rng(9)
    cases = [
        Case("a 5x6 kernel on a 20x17 image, padding (1, 2)", ((20, 17), (5, 6), (1, 2))),
        Case("a 3x3 kernel on an 8x8 image, padding (2, 2): 'full'", ((8, 8), (3, 3), (2, 2))),
        Case("a 3x3 kernel on an 8x8 image, padding (1, 1): 'same'", ((8, 8), (3, 3), (1, 1))),
        Case("a 3x3 kernel on an 8x8 image, padding (0, 0): 'valid'", ((8, 8), (3, 3), (0, 0))),
        Case("a 4x2 kernel on a 9x7 image, padding (3, 0)", ((9, 7), (4, 2), (3, 0))),
        Case("a 1x1 kernel, padding (0, 0)", ((5, 6), (1, 1), (0, 0))),
    ]
    for _ in range(3):
        h, w = (int(v) for v in rng.integers(8, 40, size=2))
        kh, kw = (int(v) for v in rng.integers(2, 8, size=2))
        ph, pw = int(rng.integers(0, kh)), int(rng.integers(0, kw))
        cases.append(
            Case(
                f"a {kh}x{kw} kernel on a {h}x{w} image, padding ({ph}, {pw})",
                ((h, w), (kh, kw), (ph, pw)),
            )
        )
    return cases


def _per_axis(f, g, padding, rule):
    return tuple(rule(n, k, p) for n, k, p in zip(f, g, padding, strict=True))


smallest_period = Exercise(
    "The smallest period for any padding",
    smallest_period_reference,
    _period_cases,
    hint=(
        "a layer that pads p zeros on each side and keeps the 'valid' part outputs the window "
        "full[s : s + m] of the full convolution: find s and m from n, k and p (check p = 0, "
        "(k - 1) / 2 and k - 1 against 'valid', 'same' and 'full'), then apply the rule "
        "P >= max(s + m, n + k - 1 - s), one axis at a time."
    ),
    mistakes=[
        Mistake(
            "n + 2p works, but it is not the smallest: the window ends at n + p, and what "
            "wraps from beyond P lands on its start only if P < n + p. The period needs the "
            "image and the padding on one side, not both.",
            lambda f, g, padding: _per_axis(f, g, padding, lambda n, k, p: n + 2 * p),
        ),
        Mistake(
            "n + k - 1 is what 'full' needs (p = k - 1); a layer with less padding keeps a "
            "smaller window and needs a shorter period.",
            lambda f, g, padding: _per_axis(f, g, padding, lambda n, k, p: n + k - 1),
        ),
        Mistake(
            "n + k // 2 is the rule for 'same' (p = (k - 1) / 2 for odd k); with another padding "
            "the window starts elsewhere: s = k - 1 - p.",
            lambda f, g, padding: _per_axis(f, g, padding, lambda n, k, p: n + k // 2),
        ),
        Mistake(
            "without padding (period n) the tail of the convolution wraps onto the window "
            "whenever p > 0: the period must reach the window's end, n + p.",
            lambda f, g, padding: tuple(f),
        ),
        Mistake(
            "one short: the window full[s : s + m] ends at s + m = n + p, so the period must "
            "be at least n + p.",
            lambda f, g, padding: _per_axis(f, g, padding, lambda n, k, p: n + p - 1),
        ),
        Mistake(
            "your rows and columns are swapped: return (period along the rows, period along "
            "the columns), from f_shape[0], g_shape[0], padding[0] first.",
            lambda f, g, padding: smallest_period_reference(f, g, padding)[::-1],
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
        Case("a 4x4 kernel on a 9x7 image", (rng.normal(size=(9, 7)), rng.normal(size=(4, 4)))),
        Case("a 2x2 kernel on a 6x6 image", (rng.normal(size=(6, 6)), rng.normal(size=(2, 2)))),
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


def _fft_same_with(f, g, pad=lambda k: k // 2, start=lambda k: (k - 1) // 2, sized=True):
    """'same' through the FFT with a period ``n + pad(k)``, the window starting at ``start(k)``;
    ``sized=False`` forgets to tell irfft2 the period (it then assumes an even last axis)."""
    f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
    period = [n + pad(k) for n, k in zip(f.shape, g.shape, strict=True)]
    product = np.fft.rfft2(f, period) * np.fft.rfft2(g, period)
    circular = np.fft.irfft2(product, period if sized else None)
    (s0, s1), (rows, cols) = (start(k) for k in g.shape), f.shape
    return circular[s0 : s0 + rows, s1 : s1 + cols]


def _crop_start_k_over_2(f, g):
    """Padded well enough, but the window starts at k // 2 (the centre of an odd kernel)."""
    return _fft_same_with(f, g, pad=lambda k: k - 1, start=lambda k: k // 2)


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
        Mistake(
            "one pixel too little padding for an even kernel: the 'same' window starts at "
            "(k - 1) // 2 and ends at (k - 1) // 2 + n, so the tail that must not wrap onto it "
            "has k // 2 samples: the period is n + k // 2, not n + (k - 1) // 2 (the two agree "
            "for odd kernels).",
            lambda f, g: _fft_same_with(f, g, pad=lambda k: (k - 1) // 2),
        ),
        Mistake(
            "your kernel is transposed: g[a, b] is row offset a, column offset b; pad and "
            "transform g as it is.",
            lambda f, g: fft_same_reference(f, np.asarray(g).T),
        ),
        Mistake(
            "irfft2 needs the period: np.fft.irfft2(X, s=period). Without s it assumes the "
            "last axis had an even length, 2 (m - 1) for m coefficients, and an odd period "
            "comes back one sample short, with wrong values.",
            lambda f, g: _fft_same_with(f, g, sized=False),
        ),
        Mistake(
            "you kept the window that starts at 0, the start of 'full': 'same' starts at "
            "(k - 1) // 2 in each direction.",
            lambda f, g: _fft_same_with(f, g, start=lambda k: 0),
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
        Case("the emboss kernel at (0.1, 0.3)", (emboss, 0.1, 0.3)),
        Case("the box 3x3 at zero frequency", (kernels.box(3), 0.0, 0.0)),
        Case("Sobel x at (0.1, 0.25)", (sobel, 0.1, 0.25)),
        Case("Sobel x at (0.25, 0)", (sobel, 0.25, 0.0)),
        Case("the emboss kernel at (0.5, 0.5)", (emboss, 0.5, 0.5)),
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
            "division by the kernel's size (that would be the k-point DFT's bin).",
            lambda g, u, v: _response_with(g, u, v, per_size=True),
        ),
        Mistake(
            "return the pair (H.real, H.imag), two real numbers, not the complex number H.",
            lambda g, u, v: np.asarray(complex(*response_at_reference(g, u, v))),
        ),
        Mistake(
            "that is |H(u, v)|, the gain: the exercise asks for H itself, as (H.real, H.imag); "
            "the phase is in how the two parts share the gain.",
            lambda g, u, v: float(np.hypot(*response_at_reference(g, u, v))),
        ),
        Mistake(
            "your kernel is flipped: tap g[a, b] is weighted by exp(-2 pi i (u a + v b)) with "
            "its own offsets (a, b), counted from g[0, 0], not from the far corner.",
            lambda g, u, v: response_at_reference(np.asarray(g)[::-1, ::-1], u, v),
        ),
    ],
)

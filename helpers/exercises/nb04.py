"""Exercises of notebook 04: convolution with the FFT.

- :data:`wraparound_size`: how many pixels of a circular convolution wrap around.
- :data:`linear_padding`: the DFT size that makes circular convolution linear.
- :data:`dc_gain_from_fft`: a kernel's DC gain read from its spectrum.
"""

from __future__ import annotations

import numpy as np

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


# --- the padding that makes circular equal linear ----------------------------------------


def linear_padding_reference(f_shape: tuple[int, int], g_shape: tuple[int, int]) -> tuple[int, int]:
    """The smallest DFT shape for which circular convolution equals the 'full' convolution."""
    return (f_shape[0] + g_shape[0] - 1, f_shape[1] + g_shape[1] - 1)


linear_padding = Exercise(
    "Choose the padding that makes circular equal linear",
    linear_padding_reference,
    lambda: _shape_cases(7),
    hint=(
        "the full linear convolution has n + k - 1 samples per axis; the circular one "
        "repeats with the DFT's period, so the period must leave room for all of "
        "them."
    ),
    mistakes=[
        Mistake(
            "one too many: n + k works, but the smallest period is n + k - 1, the length of "
            "the full convolution.",
            lambda f, g: (f[0] + g[0], f[1] + g[1]),
        ),
        Mistake(
            "padding by half the kernel is enough for 'same' output only if you then crop; for "
            "circular to equal the full linear convolution the period must hold all n + k - 1 "
            "samples.",
            lambda f, g: (f[0] + g[0] // 2, f[1] + g[1] // 2),
        ),
        Mistake(
            "doubling the image is safe but not the smallest: n + k - 1 is enough.",
            lambda f, g: (2 * f[0], 2 * f[1]),
        ),
        Mistake(
            "without padding the tail wraps around: the period must be n + k - 1.",
            lambda f, g: tuple(f),
        ),
    ],
)


# --- the DC gain from the FFT ------------------------------------------------------------


def dc_gain_from_fft_reference(g: np.ndarray) -> float:
    """H(0, 0): the first entry of the kernel's 2-D DFT, a real number equal to its sum."""
    return float(np.fft.fft2(g)[0, 0].real)


def _kernel_cases() -> list[Case]:
    rng = np.random.default_rng(8)
    return [Case(f"the {name} kernel", (g,)) for name, g in kernels.gallery().items()] + [
        Case("a kernel with a negative sum", (-kernels.box(3),)),
        Case("a random 4x6 kernel", (rng.normal(size=(4, 6)),)),
        Case("a 1x1 kernel", (np.array([[-2.0]]),)),
    ]


dc_gain_from_fft = Exercise(
    "Compute the DC gain from the FFT",
    dc_gain_from_fft_reference,
    _kernel_cases,
    hint=("H(u, v) at u = v = 0 is the first entry of np.fft.fft2(g); keep its real part."),
    mistakes=[
        Mistake(
            "you divided by the number of entries: numpy's forward FFT is not normalized, so "
            "H(0, 0) is the plain sum, not the mean.",
            lambda g: float(np.fft.fft2(g, norm="forward")[0, 0].real),
        ),
        Mistake(
            "you took the magnitude |H(0, 0)|: for a real kernel H(0, 0) is real and keeps its "
            "sign, and a negative DC gain inverts the mean brightness.",
            lambda g: float(abs(np.fft.fft2(g)[0, 0])),
        ),
        Mistake(
            "that is the largest |H| over all frequencies; the DC gain is at frequency (0, 0), "
            "the first entry of np.fft.fft2 (the centre only after np.fft.fftshift).",
            lambda g: float(np.abs(np.fft.fft2(g)).max()),
        ),
        Mistake(
            "you read the centre of the unshifted spectrum: in numpy's order zero frequency is "
            "entry [0, 0]; it moves to the centre only after np.fft.fftshift.",
            lambda g: float(np.fft.fft2(g)[g.shape[0] // 2, g.shape[1] // 2].real),
        ),
    ],
)

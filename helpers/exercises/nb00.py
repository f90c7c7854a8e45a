"""The example exercise of notebook 00, which shows how every exercise of the course works.

- :data:`dc_gain`: the DC gain of a kernel, its frequency response at zero frequency.
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Case, Exercise, Mistake


def reference_dc_gain(g: np.ndarray) -> float:
    """The DC gain of a kernel g of shape (kh, kw): H(0, 0), the sum of its taps g[a, b].

    H(u, v) = sum over a, b of g[a, b] exp(-2 pi i (u a + v b)); at u = v = 0 every
    exponential is 1, so H(0, 0) is the plain sum.
    """
    return float(np.sum(g))


def _dc_cases() -> list[Case]:
    rng = np.random.default_rng(0)  # the same cases at every check
    return [
        Case("a 3x3 box, every tap 1/9", (np.full((3, 3), 1 / 9),)),
        Case("a random 4x5 kernel", (rng.normal(size=(4, 5)),)),
        Case("Sobel's edge kernel, 3x3", (np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),)),
        Case("a random 2x7 kernel of positive taps", (rng.random((2, 7)),)),
    ]


dc_gain = Exercise(
    "the DC gain of a kernel",
    reference_dc_gain,
    _dc_cases,
    hint=(
        "the DC gain is H(0, 0). In H(u, v) = sum of g[a, b] exp(-2 pi i (u a + v b)), what "
        "is each exponential worth when u = v = 0?"
    ),
    mistakes=[
        Mistake(
            "your number is the average tap, the sum divided by the number of taps: a 3x3 box "
            "that keeps the brightness would have a DC gain of 1/9. H(0, 0) adds the taps.",
            lambda g: float(np.mean(g)),
        ),
        Mistake(
            "your number is the sum of the taps' sizes |g[a, b]|: negative taps count as "
            "positive, so an edge kernel would not come out at 0. H(0, 0) adds the signed taps.",
            lambda g: float(np.abs(g).sum()),
        ),
        Mistake(
            "you returned one sum per column (an array), not one number: the sum runs over "
            "both indices a and b.",
            lambda g: np.sum(g, axis=0),
        ),
    ],
)

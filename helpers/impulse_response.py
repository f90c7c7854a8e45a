"""Why convolution: every linear shift-invariant operator is a convolution with its impulse
response.

:func:`black_box` is an image operator given only as a function: it is linear and shift-invariant
(on periodic images: what leaves one side comes back on the other), and nothing outside says how
it works. :func:`impulse_response` feeds it a single bright pixel, and the response is the kernel
that reproduces the operator by convolution. The argument: an image is a sum of impulses,
``f = sum over m, n of f[m, n] delta_(m, n)``; linearity sends the sum to a sum of responses, and
shift invariance makes each response the same picture ``h`` moved to ``(m, n)``, so
``T f = sum f[m, n] h[i - m, j - n] = (f * h)[i, j]``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.validation import as_real_array

# The operator's recipe: (weight, row shift, column shift) of shifted copies of the image.
_RECIPE = ((0.5, 0, 0), (0.25, 1, 2), (0.2, -1, 0), (-0.15, 2, -1), (0.1, 0, 1), (0.1, -2, 2))


def black_box(f: np.ndarray) -> np.ndarray:
    """An image operator: linear and shift-invariant on periodic images, its recipe hidden."""
    f = as_real_array(f, "image f", finite=True)
    if f.ndim != 2:
        raise ValueError(f"image f must be 2-D, got shape {f.shape}")
    out = np.zeros_like(f)
    for weight, down, right in _RECIPE:
        out += weight * np.roll(f, (down, right), axis=(0, 1))
    return out


def impulse_response(
    operator: Callable[[np.ndarray], np.ndarray], shape: tuple[int, int]
) -> np.ndarray:
    """What ``operator`` makes of one pixel of value 1 at the centre of an all-zero image.

    ``shape`` must be odd in both directions, so that the centre is a pixel; the response,
    centred there, is the kernel ``h`` with ``operator(f) == convolve(f, h, "same", "wrap")``
    for a linear shift-invariant operator on periodic images.
    """
    rows, cols = (int(n) for n in shape)
    if rows % 2 == 0 or cols % 2 == 0 or rows < 1 or cols < 1:
        raise ValueError(f"shape must be two odd positive sizes, got {shape}")
    delta = np.zeros((rows, cols))
    delta[rows // 2, cols // 2] = 1.0
    return np.asarray(operator(delta), dtype=float)

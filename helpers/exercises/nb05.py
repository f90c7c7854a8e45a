"""Exercises of notebook 05, what a CNN learns.

- :data:`filter_sums_and_norms`: each filter's sum and L2 norm, from a convolution weight.
- :data:`filter_gradient`: the gradient of the loss with respect to a filter, as the
  cross-correlation of the input with the upstream gradient.
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Case, Exercise, Mistake

SEED = 5


# ------------------------------------------------------------------ filter sums and norms
def reference_sums_and_norms(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum and L2 norm of each output filter of a weight of shape (out, in, h, w)."""
    flat = weight.reshape(weight.shape[0], -1)
    return flat.sum(axis=1), np.sqrt((flat**2).sum(axis=1))


def _weight_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    cases = [
        Case(
            f"a weight of shape {shape}",
            (rng.standard_normal(shape),),
        )
        for shape in [(8, 1, 5, 5), (16, 8, 5, 5), (3, 2, 3, 4)]
    ]
    cases.append(Case("one 3x3 box filter (sum 1)", (np.full((1, 1, 3, 3), 1 / 9),)))
    cases.append(Case("two zero filters", (np.zeros((2, 1, 5, 5)),)))
    return cases


def _squared_norms(weight):
    sums, norms = reference_sums_and_norms(weight)
    return sums, norms**2


def _l1_norms(weight):
    flat = weight.reshape(weight.shape[0], -1)
    return flat.sum(axis=1), np.abs(flat).sum(axis=1)


def _per_input_channel(weight):
    return weight.sum(axis=(2, 3)), np.sqrt((weight**2).sum(axis=(2, 3)))


def _sums_per_input_channel(weight):
    sums, norms = reference_sums_and_norms(weight)
    return weight.sum(axis=(2, 3)), norms


def _norms_per_input_channel(weight):
    sums, _ = reference_sums_and_norms(weight)
    return sums, np.sqrt((weight**2).sum(axis=(2, 3)))


def _channel_norms_added(weight):
    sums, _ = reference_sums_and_norms(weight)
    return sums, np.sqrt((weight**2).sum(axis=(2, 3))).sum(axis=1)


def _first_input_channel_only(weight):
    first = weight[:, 0]
    return first.sum(axis=(1, 2)), np.sqrt((first**2).sum(axis=(1, 2)))


def _over_the_first_axis(weight):
    return weight.sum(axis=0), np.sqrt((weight**2).sum(axis=0))


def _one_number(weight):
    return weight.sum(), np.linalg.norm(weight)


filter_sums_and_norms = Exercise(
    title="Each filter's sum and norm",
    reference=reference_sums_and_norms,
    cases=_weight_cases,
    hint=(
        "filter k is weight[k], a block of shape (in, h, w): it spans every input channel, so "
        "its sum and its norm run over all in * h * w taps. Reshape the weight to "
        "(out, in * h * w), one row per filter, then sum each row and take each row's L2 norm."
    ),
    mistakes=[
        Mistake(
            "your norms are the squares of the expected ones: the L2 norm is the square root "
            "of the sum of squares (the energy is its square).",
            _squared_norms,
        ),
        Mistake(
            "your norms add absolute values: that is the L1 norm; the L2 norm is "
            "sqrt(sum of squares).",
            _l1_norms,
        ),
        Mistake(
            "you reduced over the spatial axes only: a filter of a layer with several input "
            "channels spans all of them, so reduce over axes (1, 2, 3).",
            _per_input_channel,
        ),
        Mistake(
            "your sums are per input channel, shape (out, in): a filter's sum adds over its "
            "input channels too (it is the filter's response to the same constant in every "
            "channel), so reduce over axes (1, 2, 3).",
            _sums_per_input_channel,
        ),
        Mistake(
            "your norms are per input channel, shape (out, in): a filter's norm runs over all "
            "its taps in every input channel, so reduce over axes (1, 2, 3).",
            _norms_per_input_channel,
        ),
        Mistake(
            "you added the norms of the input channels: the L2 norm of a filter is the square "
            "root of the sum of squares over all its channels and taps, which is not the sum of "
            "the channels' norms.",
            _channel_norms_added,
        ),
        Mistake(
            "you used only the first input channel, weight[:, 0]: that is right for one input "
            "channel, but a filter of a layer with several spans them all.",
            _first_input_channel_only,
        ),
        Mistake(
            "you reduced over axis 0, across the filters; each filter is weight[k], so keep "
            "axis 0 and reduce over the others.",
            _over_the_first_axis,
        ),
        Mistake(
            "you returned one number for the whole layer; return one sum and one norm per "
            "filter, arrays of length weight.shape[0].",
            _one_number,
        ),
    ],
)


# ------------------------------------------------------------------------ filter gradient
def reference_filter_gradient(f: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """dL/dg for a valid cross-correlation z = f * g (CNN style), given delta = dL/dz.

    ``f`` has shape (n, H, W), ``delta`` has shape (n, H - h + 1, W - w + 1); the result has
    shape (h, w): ``grad[i, j] = sum over n, y, x of delta[n, y, x] * f[n, y + i, x + j]``.
    """
    n, height, width = f.shape
    out_h, out_w = delta.shape[1:]
    h, w = height - out_h + 1, width - out_w + 1
    grad = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            grad[i, j] = np.sum(delta * f[:, i : i + out_h, j : j + out_w])
    return grad


def _gradient_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 1)
    cases = []
    for n, size, (h, w) in [(4, 12, (5, 5)), (3, 9, (3, 3)), (2, 10, (4, 2)), (1, 7, (3, 5))]:
        f = rng.standard_normal((n, size, size + 1))
        delta = rng.standard_normal((n, size - h + 1, size + 1 - w + 1))
        cases.append(Case(f"{n} images of {size}x{size + 1}, a {h}x{w} filter", (f, delta)))
    f = rng.standard_normal((2, 6, 6))
    cases.append(Case("a 1x1 filter (delta as large as the image)", (f, np.ones((2, 6, 6)))))
    return cases


def _gradient_flipped(f, delta):
    return reference_filter_gradient(f, delta)[::-1, ::-1]


def _gradient_first_image(f, delta):
    return reference_filter_gradient(f[:1], delta[:1])


def _gradient_mean(f, delta):
    return reference_filter_gradient(f, delta) / len(f)


def _gradient_transposed(f, delta):
    return reference_filter_gradient(f, delta).T


filter_gradient = Exercise(
    title="The filter's gradient as a cross-correlation",
    reference=reference_filter_gradient,
    cases=_gradient_cases,
    hint=(
        "each tap g[i, j] multiplies f[y + i, x + j] at every output position (y, x): "
        "its gradient sums delta times those pixels, over the batch as well."
    ),
    mistakes=[
        Mistake(
            "your gradient is flipped: you computed a convolution (which flips); the gradient "
            "of a CNN filter is the cross-correlation of the input with delta, "
            "grad[i, j] = sum delta[y, x] f[y + i, x + j].",
            _gradient_flipped,
        ),
        Mistake(
            "you used only the first image: the loss adds over the batch, so add the "
            "correlations of every image.",
            _gradient_first_image,
        ),
        Mistake(
            "you averaged over the images: delta already carries any 1/n of the loss, so add "
            "over the batch, do not divide.",
            _gradient_mean,
        ),
        Mistake(
            "your gradient is transposed: index i runs over rows (y) and j over columns (x).",
            _gradient_transposed,
        ),
    ],
)

"""Exercises of notebook 05, what a CNN learns.

- :data:`filter_sums_and_norms`: each filter's sum and L2 norm, from a convolution weight.
- :data:`filter_gradient`: the gradient of the loss with respect to a filter, as the
  cross-correlation ``f ⋆ delta`` of the input with the upstream gradient.
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Case, Exercise, Mistake

SEED = 5


# ------------------------------------------------------------------ filter sums and norms
def reference_sums_and_norms(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum and L2 norm of each output filter of a weight of shape (out, in, k_h, k_w)."""
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


def _whole_tensor_norm(weight):
    sums, _ = reference_sums_and_norms(weight)
    return sums, np.full(len(weight), np.linalg.norm(weight))


def _swapped_outputs(weight):
    sums, norms = reference_sums_and_norms(weight)
    return norms, sums


def _means(weight):
    _, norms = reference_sums_and_norms(weight)
    return weight.reshape(len(weight), -1).mean(axis=1), norms


def _root_mean_squares(weight):
    flat = weight.reshape(len(weight), -1)
    return flat.sum(axis=1), np.sqrt((flat**2).mean(axis=1))


def _reshaped_filters_last(weight):
    flat = weight.reshape(-1, len(weight))
    return flat.sum(axis=0), np.sqrt((flat**2).sum(axis=0))


def _spectral_norms(weight):
    sums, _ = reference_sums_and_norms(weight)
    return sums, np.array([np.linalg.norm(g[0], 2) for g in weight])  # one input channel only


def _sums_keep_dimensions(weight):
    sums, norms = reference_sums_and_norms(weight)
    return sums.reshape(-1, 1, 1, 1), norms


filter_sums_and_norms = Exercise(
    title="Each filter's sum and norm",
    reference=reference_sums_and_norms,
    cases=_weight_cases,
    hint=(
        "filter k is weight[k], a block of shape (in, k_h, k_w): it spans every input channel, "
        "so its sum and its norm run over all in * k_h * k_w of its taps, and you return one "
        "number per filter. Which axes of the weight do you reduce over, and which one do you "
        "keep?"
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
        Mistake(
            "every filter got the same norm, that of the whole weight tensor: take one norm per "
            "filter, over the taps of weight[k] only.",
            _whole_tensor_norm,
        ),
        Mistake(
            "your two outputs are swapped: return the sums first, then the norms.",
            _swapped_outputs,
        ),
        Mistake(
            "your sums are means: a filter's sum (its DC gain) adds its taps without dividing by "
            "their number.",
            _means,
        ),
        Mistake(
            "your norms are root mean squares: the L2 norm is sqrt(sum of squares), without "
            "dividing by the number of taps.",
            _root_mean_squares,
        ),
        Mistake(
            "weight.reshape(-1, out) mixes the filters: numpy reshapes in row-major order, so "
            "each column of that array holds taps of several filters. Keep the filter axis "
            "first: weight.reshape(out, -1), one row per filter.",
            _reshaped_filters_last,
        ),
        Mistake(
            "your norms are spectral norms: np.linalg.norm(g, 2) of a 2-D array is its largest "
            "singular value, not the L2 norm of its taps; flatten the filter first, or use "
            "np.linalg.norm(g) (the Frobenius norm).",
            _spectral_norms,
        ),
        Mistake(
            "your sums kept the reduced axes (keepdims): return flat arrays of shape (out,).",
            _sums_keep_dimensions,
        ),
    ],
)


# ------------------------------------------------------------------------ filter gradient
def reference_filter_gradient(f: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """dL/dg for one filter g of a valid cross-correlation z = f ⋆ g, given delta = dL/dz.

    ``f`` has shape (n, H, W), ``delta`` has shape (n, H - k_h + 1, W - k_w + 1); the result
    has the filter's shape (k_h, k_w):
    ``grad[a, b] = sum over n, i, j of delta[n, i, j] * f[n, i + a, j + b]``.
    """
    n, height, width = f.shape
    out_h, out_w = delta.shape[1:]
    kh, kw = height - out_h + 1, width - out_w + 1
    grad = np.zeros((kh, kw))
    for a in range(kh):
        for b in range(kw):
            grad[a, b] = np.sum(delta * f[:, a : a + out_h, b : b + out_w])
    return grad


def _gradient_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 1)
    cases = []
    for n, size, (kh, kw) in [(4, 12, (5, 5)), (3, 9, (3, 3)), (2, 10, (4, 2)), (1, 7, (3, 5))]:
        f = rng.standard_normal((n, size, size + 1))
        delta = rng.standard_normal((n, size - kh + 1, size + 1 - kw + 1))
        described = f"{n} images of {size}x{size + 1}, a {kh}x{kw} filter"
        if (kh, kw) != (5, 5):
            described += " (read k_h and k_w from the shapes: k_h = H - H' + 1)"
        cases.append(Case(described, (f, delta)))
    f = rng.standard_normal((2, 6, 6))
    cases.append(Case("a 1x1 filter (delta as large as the image)", (f, np.ones((2, 6, 6)))))
    return cases


def _convolution_of_each_image(f, delta):  # scipy.signal.convolve2d(f[m], delta[m], "valid")
    kh, kw = f.shape[1] - delta.shape[1] + 1, f.shape[2] - delta.shape[2] + 1
    return reference_filter_gradient(f[:, ::-1, ::-1], delta)[::-1, ::-1][:kh, :kw]


def _convolution_in_three_dimensions(f, delta):  # scipy.signal.convolve(f, delta, "valid")[0]
    return _convolution_of_each_image(f, delta[::-1])


def _gradient_flipped(f, delta):  # scipy.signal.correlate(delta, f, "valid")[0]
    return reference_filter_gradient(f, delta)[::-1, ::-1]


def _gradient_negated(f, delta):
    return -reference_filter_gradient(f, delta)


def _gradient_first_image(f, delta):
    return reference_filter_gradient(f[:1], delta[:1])


def _gradient_mean(f, delta):
    return reference_filter_gradient(f, delta) / len(f)


def _gradient_transposed(f, delta):
    return reference_filter_gradient(f, delta).T


CONVOLUTION_HINT = (
    "you computed a convolution (scipy.signal.convolve or convolve2d), which flips delta "
    "before sliding it: the gradient of a CNN filter is the cross-correlation of the input "
    "with delta, grad[a, b] = sum over n, i, j of delta[n, i, j] f[n, i + a, j + b] "
    "(scipy.signal.correlate)."
)

filter_gradient = Exercise(
    title="The filter's gradient as a cross-correlation",
    reference=reference_filter_gradient,
    cases=_gradient_cases,
    hint=(
        "the gradient has the filter's shape (k_h, k_w), and the shapes of f and delta give "
        "k_h = H - H' + 1 and k_w = W - W' + 1. Tap g[a, b] multiplies one pixel of the patch "
        "under each output position (i, j): which one? The chain rule then adds, over every "
        "position and every image, delta times that pixel."
    ),
    mistakes=[
        Mistake(CONVOLUTION_HINT, _convolution_of_each_image),
        Mistake(
            CONVOLUTION_HINT + " In 3-D, convolve also flips the batch axis, pairing image m "
            "with the delta of image n - 1 - m.",
            _convolution_in_three_dimensions,
        ),
        Mistake(
            "your gradient is flipped in both axes: did you swap the arguments, "
            "correlate(delta, f) instead of correlate(f, delta), or flip the result? "
            "grad[a, b] = sum delta[n, i, j] f[n, i + a, j + b].",
            _gradient_flipped,
        ),
        Mistake(
            "your gradient has the wrong sign: return dL/dg itself; the optimizer takes the "
            "step -lr * dL/dg.",
            _gradient_negated,
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
            "your gradient is transposed: a runs over the rows of the filter, b over its "
            "columns, as i and j run over the rows and columns of delta.",
            _gradient_transposed,
        ),
    ],
)

"""Exercises of notebook 07: a ZCA whitening matrix, a softmax, the high-emphasis filter, a hook."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from helpers.exercises import Case, Exercise, Mistake
from helpers.exercises.hooks import weights_during_training

# --- 1. the ZCA whitening matrix -------------------------------------------------------------


def zca_matrix_reference(patches: np.ndarray, eps: float) -> np.ndarray:
    """The ZCA whitening matrix of patches given as rows: U diag(1/sqrt(lambda + eps)) U^T."""
    centred = patches - patches.mean(axis=0)
    covariance = centred.T @ centred / (len(patches) - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    return eigenvectors @ np.diag(1 / np.sqrt(eigenvalues + eps)) @ eigenvectors.T


def _eig(covariance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.linalg.eigh(covariance)


def _covariance(patches: np.ndarray, centre: bool = True, ddof: int = 1) -> np.ndarray:
    centred = patches - patches.mean(axis=0) if centre else patches
    return centred.T @ centred / (len(patches) - ddof)


def _pca_matrix(patches: np.ndarray, eps: float) -> np.ndarray:
    values, vectors = _eig(_covariance(patches))
    return np.diag(1 / np.sqrt(values + eps)) @ vectors.T


def _inverse_not_square_root(patches: np.ndarray, eps: float) -> np.ndarray:
    values, vectors = _eig(_covariance(patches))
    return vectors @ np.diag(1 / (values + eps)) @ vectors.T


def _not_centred(patches: np.ndarray, eps: float) -> np.ndarray:
    values, vectors = _eig(_covariance(patches, centre=False))
    return vectors @ np.diag(1 / np.sqrt(values + eps)) @ vectors.T


def _divided_by_m(patches: np.ndarray, eps: float) -> np.ndarray:
    values, vectors = _eig(_covariance(patches, ddof=0))
    return vectors @ np.diag(1 / np.sqrt(values + eps)) @ vectors.T


def _no_eps(patches: np.ndarray, eps: float) -> np.ndarray:
    return zca_matrix_reference(patches, 0.0)


def _zca_cases() -> list[Case]:
    rng = np.random.default_rng(7)
    cases = []
    for m, d, eps in [(60, 4, 0.1), (200, 9, 0.01), (40, 2, 1.0)]:
        mixing = rng.normal(size=(d, d)) + 2 * np.eye(d)
        patches = rng.normal(size=(m, d)) @ mixing.T + rng.normal(3, 1, size=d)
        cases.append(
            Case(f"{m} random correlated patches of {d} pixels, eps = {eps}", (patches, eps))
        )
    twins = rng.normal(2, 1, size=(50, 1)) + rng.normal(0, [0.05, 0.01], size=(50, 2))
    cases.append(Case("50 patches of 2 nearly equal pixels, eps = 0.01", (twins, 0.01)))
    return cases


def _covariance_of_the_rows(patches: np.ndarray, eps: float) -> np.ndarray:
    values, vectors = _eig(np.cov(patches))  # rowvar=True: each row taken as a variable
    return vectors @ np.diag(1 / np.sqrt(values + eps)) @ vectors.T


zca_matrix = Exercise(
    "ZCA whitening matrix",
    zca_matrix_reference,
    _zca_cases,
    hint=(
        "centre the patches (rows), take their covariance (np.cov(patches, rowvar=False): "
        "the pixels, the columns, are the variables), diagonalize it with np.linalg.eigh, "
        "and rebuild U diag(1 / sqrt(lambda + eps)) U^T."
    ),
    mistakes=[
        Mistake(
            "this is PCA whitening, diag(1/sqrt(lambda + eps)) U^T: you rotated onto the "
            "principal axes but did not rotate back. ZCA multiplies by U on the left too, "
            "which makes W symmetric.",
            _pca_matrix,
        ),
        Mistake(
            "you scaled by 1 / (lambda + eps), the inverse covariance; whitening needs its "
            "square root, 1 / sqrt(lambda + eps), so that W C W^T = I.",
            _inverse_not_square_root,
        ),
        Mistake(
            "subtract the mean patch before computing the covariance: without it the mean "
            "brightness shows up as a huge extra 'variance'.",
            _not_centred,
        ),
        Mistake(
            "normalize the covariance by m - 1 (as np.cov does), not by m.",
            _divided_by_m,
        ),
        Mistake("add eps to every eigenvalue before the inverse square root.", _no_eps),
        Mistake(
            "np.cov takes each row as a variable by default, so you got the covariance of the "
            "m patches, (m, m). Here the patches are rows and the pixels are the variables: "
            "np.cov(patches, rowvar=False) gives the (d, d) covariance.",
            _covariance_of_the_rows,
        ),
    ],
    rtol=1e-6,
    atol=1e-9,
)


# --- 2. softmax ------------------------------------------------------------------------------


def softmax_reference(z: np.ndarray) -> np.ndarray:
    """Softmax of each row of z, without overflow: subtract the row's maximum first."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_wrong_axis(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _sum_one_without_exp(z: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):  # a row may sum to zero
        return z / z.sum(axis=1, keepdims=True)


def _exp_without_normalizing(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.exp(z)


def _shifted_by(statistic: str):
    """Softmax with the rows shifted by another statistic than their maximum (or not at all)."""

    def wrong(z: np.ndarray) -> np.ndarray:
        shift = {
            "none": 0.0,
            "min": z.min(axis=1, keepdims=True),
            "mean": z.mean(axis=1, keepdims=True),
        }
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z - shift[statistic])
            return e / e.sum(axis=1, keepdims=True)

    return wrong


def _softmax_cases() -> list[Case]:
    rng = np.random.default_rng(8)
    return [
        Case("3 rows of 4 random logits", (rng.normal(size=(3, 4)),)),
        Case("2 rows of 10 positive logits", (rng.uniform(0.5, 3, size=(2, 10)),)),
        Case("one row of a single logit", (np.array([[2.5]]),)),
        Case(
            "logits near 1000 (exp overflows unless you subtract the row's maximum first)",
            (np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1000.0, -1002.0]]),),
        ),
        Case(
            "rows spanning 800 to 2000 (only the row's maximum keeps every exponent <= 0)",
            (np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]]),),
        ),
    ]


softmax = Exercise(
    "softmax of each row",
    softmax_reference,
    _softmax_cases,
    hint=(
        "exponentiate each row after subtracting its maximum (to avoid overflow), "
        "then divide by the row's sum."
    ),
    mistakes=[
        Mistake(
            "each row must sum to one: normalize along axis=1, not axis=0.", _softmax_wrong_axis
        ),
        Mistake(
            "dividing by the sum makes a row sum to one but keeps negative entries: softmax "
            "exponentiates first, so every output is positive.",
            _sum_one_without_exp,
        ),
        Mistake(
            "divide each row of exp(z) by its sum, so it sums to one.", _exp_without_normalizing
        ),
        Mistake(
            "exp(1000) overflows to inf, and inf / inf is NaN. Softmax does not change when a "
            "constant is subtracted from a row: subtract each row's maximum before exp.",
            _shifted_by("none"),
        ),
        Mistake(
            "you subtracted the row's minimum: every exponent is then >= 0, and exp overflows "
            "as soon as a row spans more than about 709. Subtract the row's maximum, so that "
            "every exponent is <= 0 and the largest is exactly 0.",
            _shifted_by("min"),
        ),
        Mistake(
            "you subtracted the row's mean: entries far above it still overflow exp. Subtract "
            "the row's maximum, so that every exponent is <= 0.",
            _shifted_by("mean"),
        ),
    ],
)


# --- 3. the high-emphasis frequency response ------------------------------------------------


def high_emphasis_reference(
    d: np.ndarray, cutoff: float, gamma_low: float, gamma_high: float
) -> np.ndarray:
    """H(D) = (gamma_high - gamma_low) (1 - exp(-D^2 / (2 D0^2))) + gamma_low.

    At D = 0 the bracket is 0, so H(0) = gamma_low: the filter's gain for the mean, its DC
    gain, which is also the sum of the matching kernel (notebook 04: H(0, 0) = sum(g)).
    """
    return (gamma_high - gamma_low) * (1 - np.exp(-(d**2) / (2 * cutoff**2))) + gamma_low


def _swapped_gains(d, cutoff, gamma_low, gamma_high):
    return high_emphasis_reference(d, cutoff, gamma_high, gamma_low)


def _no_factor_two(d, cutoff, gamma_low, gamma_high):
    return (gamma_high - gamma_low) * (1 - np.exp(-(d**2) / cutoff**2)) + gamma_low


def _divided_then_multiplied(d, cutoff, gamma_low, gamma_high):
    return (gamma_high - gamma_low) * (1 - np.exp(-(d**2) / 2 * cutoff**2)) + gamma_low


def _high_gain_not_reduced(d, cutoff, gamma_low, gamma_high):
    return gamma_high * (1 - np.exp(-(d**2) / (2 * cutoff**2))) + gamma_low


def _high_emphasis_cases() -> list[Case]:
    rng = np.random.default_rng(9)
    d = np.linspace(0, 0.5, 11)
    return [
        Case("11 distances from 0 to 0.5, D0 = 0.1, gains 0.5 and 1.5", (d, 0.1, 0.5, 1.5)),
        Case(
            "random distances, D0 = 0.03, gains 0.2 and 2",
            (rng.uniform(0, 0.5, 20), 0.03, 0.2, 2.0),
        ),
        Case(
            "a 2-D grid of distances, D0 = 0.2, gains 0 and 1", (np.outer(d, d) * 4, 0.2, 0.0, 1.0)
        ),
        Case("equal gains 1 and 1 (the identity filter)", (d, 0.05, 1.0, 1.0)),
    ]


high_emphasis = Exercise(
    "Gaussian high-emphasis filter H(D)",
    high_emphasis_reference,
    _high_emphasis_cases,
    hint=(
        "start from a Gaussian low-pass, exp(-D^2 / (2 D0^2)); one minus it is a "
        "high-pass from 0 to 1; scale it to go from gamma_low to gamma_high."
    ),
    mistakes=[
        Mistake(
            "the gains are swapped (or, the same function, you built a low-pass with "
            "exp(...) where 1 - exp(...) belongs): at D = 0 the filter must give gamma_low "
            "(it damps the lighting) and far from zero gamma_high.",
            _swapped_gains,
        ),
        Mistake("the Gaussian is exp(-D^2 / (2 D0^2)): you left out the factor 2.", _no_factor_two),
        Mistake(
            "mind the brackets: -d**2 / 2 * cutoff**2 divides by 2 and then multiplies by D0^2. "
            "Write -d**2 / (2 * cutoff**2).",
            _divided_then_multiplied,
        ),
        Mistake(
            "far from zero the filter must give gamma_high, and yours gives gamma_high + "
            "gamma_low: scale the high-pass by gamma_high - gamma_low.",
            _high_gain_not_reduced,
        ),
    ],
)


# --- 4. an after-step hook: every channel of every filter sums to a value ----------------------

HOOK_STEPS = 4


def _conv(shape: tuple[int, int, int, int], seed: int) -> torch.nn.Conv2d:
    """A Conv2d of weight shape (C_out, C_in, k_h, k_w), float64, drawn from ``seed``."""
    c_out, c_in, k_h, k_w = shape
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return torch.nn.Conv2d(c_in, c_out, (k_h, k_w)).double()


def trained_with(hook: Callable[[torch.nn.Conv2d, float], object]):
    """The harness: a few steps of SGD with momentum on a small Conv2d, ``hook(conv, value)``
    after every ``optimizer.step()``; returns the weights after each step, (steps, *shape)."""

    def run(shape: tuple[int, int, int, int], seed: int, value: float) -> np.ndarray:
        conv = _conv(shape, seed)
        generator = torch.Generator().manual_seed(seed + 1)
        inputs = torch.randn(6, shape[1], 8, 9, generator=generator, dtype=torch.float64)
        return weights_during_training(conv, inputs, lambda: hook(conv, value), HOOK_STEPS, lr=0.1)

    return run


def channel_sums_reference(conv: torch.nn.Conv2d, value: float) -> None:
    """Shift each channel of each filter, ``conv.weight[k, c]``, to sum to ``value``, in place.

    The closest such weight adds the same amount to the k_h k_w taps of each slice.
    """
    with torch.no_grad():
        w = conv.weight
        taps = w.shape[2] * w.shape[3]
        w -= (w.sum(dim=(2, 3), keepdim=True) - value) / taps


def _divides_by_the_sum(conv: torch.nn.Conv2d, value: float) -> None:
    with torch.no_grad():
        conv.weight /= conv.weight.sum(dim=(2, 3), keepdim=True)


def _whole_tensor(conv: torch.nn.Conv2d, value: float) -> None:
    with torch.no_grad():
        w = conv.weight
        w -= (w.sum() - value) / w.numel()


def _per_filter(conv: torch.nn.Conv2d, value: float) -> None:
    with torch.no_grad():
        w = conv.weight
        w -= (w.sum(dim=(1, 2, 3), keepdim=True) - value) / w[0].numel()


def _without_no_grad(conv: torch.nn.Conv2d, value: float) -> None:
    w = conv.weight
    w -= (w.sum(dim=(2, 3), keepdim=True) - value) / (w.shape[2] * w.shape[3])


def _whole_gap_to_each_tap(conv: torch.nn.Conv2d, value: float) -> None:
    with torch.no_grad():
        conv.weight -= conv.weight.sum(dim=(2, 3), keepdim=True) - value


def _returns_a_copy(conv: torch.nn.Conv2d, value: float) -> torch.Tensor:
    w = conv.weight.detach()
    return w - (w.sum(dim=(2, 3), keepdim=True) - value) / (w.shape[2] * w.shape[3])


def _hook_cases() -> list[Case]:
    return [
        Case("4 filters of 3 channels of 3x3, each channel to sum 1", ((4, 3, 3, 3), 0, 1.0)),
        Case("2 filters of 3 channels of 5x5, each channel to sum 0", ((2, 3, 5, 5), 1, 0.0)),
        Case("3 filters of 2 channels of 3x5 (non-square), sum 1", ((3, 2, 3, 5), 2, 1.0)),
        Case("4 filters of a single channel of 3x3, sum 0", ((4, 1, 3, 3), 3, 0.0)),
    ]


channel_sums = Exercise(
    "An after-step hook: every channel of every filter sums to a value",
    channel_sums_reference,
    _hook_cases,
    hint=(
        "inside `with torch.no_grad():`, take the sum of each slice conv.weight[k, c] with "
        "`w.sum(dim=(2, 3), keepdim=True)`, and subtract from every tap of the slice the same "
        "share of the gap, (sum - value) / (k_h * k_w), in place."
    ),
    mistakes=[
        Mistake(
            "you divided by the sum: that aims at sum one whatever the value asked for, is not "
            "the closest weight, and blows up when a sum passes near zero. Shift every tap of "
            "the slice by the same amount instead.",
            _divides_by_the_sum,
        ),
        Mistake(
            "you shifted the whole weight by one amount: the total is right, but each filter's "
            "channels are not. Take one sum per slice weight[k, c], over dims 2 and 3.",
            _whole_tensor,
        ),
        Mistake(
            "you took one sum per filter, over all its channels (the answer's project_filters): "
            "on a multi-channel layer each channel must sum to the value alone. Sum over "
            "dims 2 and 3 only.",
            _per_filter,
        ),
        Mistake(
            "PyTorch refuses an in-place edit of a parameter that requires grad: the edit "
            "would enter the graph of the next backward pass. Wrap it in "
            "`with torch.no_grad():`.",
            _without_no_grad,
        ),
        Mistake(
            "you subtracted the whole gap, sum - value, from every tap, so the sum moved by "
            "k_h * k_w times too much. Share it out: each tap moves by (sum - value) / (k_h k_w).",
            _whole_gap_to_each_tap,
        ),
        Mistake(
            "conv.weight is unchanged: your function computed new weights and returned them. "
            "The optimizer holds that very tensor, so the hook must edit it in place "
            "(`w -= ...` or `w.copy_(...)` under torch.no_grad()); what it returns is ignored.",
            _returns_a_copy,
        ),
    ],
    rtol=1e-5,
    atol=1e-6,
    modifies_arguments=True,
    harness=trained_with,
)

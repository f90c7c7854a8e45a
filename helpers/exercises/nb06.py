"""Exercises of notebook 06: projections of a filter, an after-step hook, Weight Standardization.

The first three functions take one filter ``g`` (a numpy array of any shape, e.g. 5x5) and work
on all its entries at once. The after-step hook takes a layer and edits its weight in place;
it is checked by training with it. The Weight Standardization projection takes a whole weight
``w`` of shape ``(C_out, C_in, k_h, k_w)`` (or ``(C_out, n)``) and works filter by filter, as
the projections of :mod:`helpers.constraints` do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from helpers.exercises import Case, Exercise, Mistake
from helpers.exercises.hooks import weights_during_training


def _filters(seed: int) -> list[Case]:
    """Random filters, and the edge cases that expose the usual mistakes."""
    rng = np.random.default_rng(seed)
    near_zero_sum = rng.normal(size=(5, 5))
    near_zero_sum -= near_zero_sum.mean() - 0.002 / 25
    return [
        Case("a random 5x5 filter", (rng.normal(size=(5, 5)),)),
        Case("a random 3x3 filter with large entries", (40 * rng.normal(size=(3, 3)),)),
        Case("a 3x5 (non-square) filter", (rng.normal(size=(3, 5)),)),
        Case("a filter that already sums to one (a 3x3 box blur)", (np.full((3, 3), 1 / 9),)),
        Case("a 5x5 filter whose sum is 0.002, nearly zero", (near_zero_sum,)),
        Case("a filter with negative sum", (-np.abs(rng.normal(size=(4, 4))),)),
        Case("a 1x1 filter", (np.array([[-2.5]]),)),
        Case("a 1-D filter of 7 taps", (rng.normal(size=7),)),
    ]


def project_sum_one_reference(g: np.ndarray) -> np.ndarray:
    """The closest filter to ``g`` whose entries sum to one: shift every entry equally."""
    g = np.asarray(g, dtype=float)
    return g + (1 - g.sum()) / g.size


def distance_to_sum_one_reference(g: np.ndarray) -> float:
    """The distance from ``g`` to the set of filters that sum to one."""
    g = np.asarray(g, dtype=float)
    return float(abs(1 - g.sum()) / np.sqrt(g.size))


def project_unit_norm_reference(g: np.ndarray) -> np.ndarray:
    """The closest filter to ``g`` of unit L2 norm (``g`` is not zero)."""
    g = np.asarray(g, dtype=float)
    return g / np.sqrt(np.sum(g**2))


project_sum_one = Exercise(
    "Project a filter onto the filters that sum to one",
    project_sum_one_reference,
    lambda: _filters(6),
    hint=(
        "the closest point on a plane is reached along its normal; the normal of 'sum "
        "= 1' is the all-ones filter, so add the same amount to every entry."
    ),
    mistakes=[
        Mistake(
            "you divided by the sum. That lands on the set too, but it scales the filter "
            "instead of moving it by the shortest path, and it blows up when the sum is near "
            "zero. Add the same amount to every entry instead.",
            lambda g: g / g.sum(),
        ),
        Mistake(
            "you added the whole missing amount 1 - sum to every entry, so the sum moved "
            "by n times too much. Share it out: each of the n entries gets (1 - sum) / n.",
            lambda g: g + (1 - g.sum()),
        ),
        Mistake(
            "your filter sums to zero: subtracting the mean removes the DC gain. Shift by "
            "(1 - sum) / n so that the sum becomes one.",
            lambda g: g - g.mean(),
        ),
        Mistake(
            "len(g) counts only the rows of a 2-D filter; the number of entries is g.size.",
            lambda g: g + (1 - g.sum()) / len(g),
        ),
    ],
)

distance_to_sum_one = Exercise(
    "The distance from a filter to the sum-one set",
    distance_to_sum_one_reference,
    lambda: _filters(7),
    hint=(
        "the distance from a point to the plane sum = 1 is |1 - sum| divided by the "
        "length of the normal, the all-ones vector of g.size entries."
    ),
    mistakes=[
        Mistake(
            "that is the gap in the sum, not a distance between filters. The closest point "
            "moves each of the n entries by (1 - sum) / n; the length of that move is "
            "sqrt(n) times |1 - sum| / n.",
            lambda g: abs(1 - g.sum()),
        ),
        Mistake(
            "that is how far one entry moves. The distance is the L2 length of the whole "
            "move, a vector of n equal entries (1 - sum) / n.",
            lambda g: abs(1 - g.sum()) / g.size,
        ),
        Mistake(
            "that is how far the division by the sum moves the filter, which is not the "
            "closest point of the set; measure the move of the projection instead.",
            lambda g: float(np.linalg.norm(g / g.sum() - g)),
        ),
    ],
)

project_unit_norm = Exercise(
    "Project a filter onto the unit sphere",
    project_unit_norm_reference,
    lambda: _filters(8),
    hint=(
        "the closest point of the unit sphere lies on the ray from the origin through "
        "g: divide g by its L2 norm."
    ),
    mistakes=[
        Mistake(
            "you divided by the sum: that makes the sum one, not the energy. Divide by the "
            "L2 norm sqrt(sum of squares).",
            lambda g: g / g.sum(),
        ),
        Mistake(
            "you divided by the sum of squares, the squared norm. Take its square root.",
            lambda g: g / np.sum(g**2),
        ),
        Mistake(
            "you divided by the sum of absolute values, the L1 norm. The unit-energy filter "
            "has unit L2 norm, sqrt(sum of squares).",
            lambda g: g / np.abs(g).sum(),
        ),
        Mistake(
            "you divided by the largest absolute entry. Divide by the L2 norm of the whole filter.",
            lambda g: g / np.abs(g).max(),
        ),
        Mistake(
            "np.linalg.norm(g, axis=0) gives one norm per column; the filter has one norm, "
            "over all its entries: np.linalg.norm(g) or np.sqrt(np.sum(g**2)).",
            lambda g: g / np.linalg.norm(g, axis=0),
        ),
    ],
)


# ---------------------------------------------------------------- an after-step hook

HOOK_STEPS = 6


def _layer(kind: str, seed: int) -> nn.Module:
    """A small layer, its weights drawn from ``seed``: output filters on the first axis."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return {
            "conv2d": lambda: nn.Conv2d(3, 4, 3),
            "conv1d": lambda: nn.Conv1d(2, 5, 4),
            "linear": lambda: nn.Linear(6, 3),
            "one filter": lambda: nn.Conv2d(1, 1, 5),
        }[kind]()


def trained_with(hook: Callable[[nn.Module], object]) -> Callable[[str, int], np.ndarray]:
    """The harness: train a small layer for a few steps of SGD with momentum, calling
    ``hook(layer)`` after every ``optimizer.step()``; return the weights after each step,
    shape (steps, *weight.shape)."""

    def run(kind: str, seed: int) -> np.ndarray:
        layer = _layer(kind, seed)
        generator = torch.Generator().manual_seed(seed + 1)
        shape = {"conv2d": (8, 3, 6, 6), "conv1d": (8, 2, 9), "linear": (8, 6)}
        inputs = torch.randn(shape.get(kind, (8, 1, 7, 7)), generator=generator)
        return weights_during_training(layer, inputs, lambda: hook(layer), HOOK_STEPS, lr=0.2)

    return run


def unit_norm_hook_reference(layer: nn.Module) -> None:
    """Divide each output filter of ``layer.weight`` by its L2 norm, in place."""
    with torch.no_grad():
        w = layer.weight
        norms = w.flatten(1).norm(dim=1)
        w /= norms.reshape(-1, *[1] * (w.ndim - 1))


def _hook_cases() -> list[Case]:
    return [
        Case("a Conv2d with 3 input channels and 4 filters of 3x3", ("conv2d", 0)),
        Case("a Conv1d with 2 input channels and 5 filters of 4 taps", ("conv1d", 1)),
        Case("a Linear layer, 3 outputs of 6 weights each", ("linear", 2)),
        Case("a Conv2d with a single 5x5 filter", ("one filter", 3)),
    ]


def _divides_by_the_sum(layer: nn.Module) -> None:
    with torch.no_grad():
        w = layer.weight
        w /= w.flatten(1).sum(dim=1).reshape(-1, *[1] * (w.ndim - 1))


def _whole_tensor(layer: nn.Module) -> None:
    with torch.no_grad():
        layer.weight /= layer.weight.norm()


def _without_no_grad(layer: nn.Module) -> None:
    w = layer.weight
    w /= w.flatten(1).norm(dim=1).reshape(-1, *[1] * (w.ndim - 1))


def _new_parameter(layer: nn.Module) -> None:
    w = layer.weight.detach()
    layer.weight = nn.Parameter(w / w.flatten(1).norm(dim=1).reshape(-1, *[1] * (w.ndim - 1)))


def _last_axis_only(layer: nn.Module) -> None:
    with torch.no_grad():
        layer.weight /= layer.weight.norm(dim=-1, keepdim=True)


def _four_d_view(layer: nn.Module) -> None:
    with torch.no_grad():
        w = layer.weight
        w /= w.flatten(1).norm(dim=1).view(-1, 1, 1, 1)


def _rebinds(layer: nn.Module) -> None:
    with torch.no_grad():
        w = layer.weight
        w = w / w.flatten(1).norm(dim=1).reshape(-1, *[1] * (w.ndim - 1))  # noqa: F841


def _norm_over_dim_1(layer: nn.Module) -> None:
    with torch.no_grad():
        layer.weight /= layer.weight.norm(dim=1, keepdim=True)


unit_norm_hook = Exercise(
    "An after-step hook that keeps every filter at unit norm",
    unit_norm_hook_reference,
    _hook_cases,
    hint=(
        "inside `with torch.no_grad():`, compute one norm per output filter with "
        "`w.flatten(1).norm(dim=1)`, reshape it so that it broadcasts against `w` (one "
        "number per filter, ones for the other axes), and divide `w` by it in place."
    ),
    mistakes=[
        Mistake(
            "you divided by the sum: that makes each filter sum to one, not have unit norm "
            "(and blows up when a sum is near zero). Divide by the L2 norm.",
            _divides_by_the_sum,
        ),
        Mistake(
            "you divided the whole weight by one norm: the filters together have norm one, "
            "each alone does not. Take one norm per output filter, over dims 1, 2, ...",
            _whole_tensor,
        ),
        Mistake(
            "PyTorch refuses an in-place edit of a parameter that requires grad: the edit "
            "would enter the graph of the next backward pass. Wrap it in "
            "`with torch.no_grad():`.",
            _without_no_grad,
        ),
        Mistake(
            "you replaced layer.weight with a new Parameter: the optimizer still holds the "
            "old one, so from the first step on the filters no longer train. Edit the "
            "weight in place (under torch.no_grad()) instead.",
            _new_parameter,
        ),
        Mistake(
            "you took the norm along the last axis only: that normalizes each row of each "
            "kernel, not each filter. A filter is everything in weight[k], all of its input "
            "channels and taps.",
            _last_axis_only,
        ),
        Mistake(
            "`.view(-1, 1, 1, 1)` assumes a 4-D weight (a Conv2d); a Conv1d weight has 3 axes "
            "and a Linear weight 2. Reshape the norms to `(-1, *[1] * (w.ndim - 1))`.",
            _four_d_view,
        ),
        Mistake(
            "your hook computed the normalized weight but left layer.weight as it was: "
            "`w = w / norms` gives the name w a new tensor, it does not change the layer. "
            "Divide in place, `w /= norms` (under torch.no_grad()).",
            _rebinds,
        ),
        Mistake(
            "`w.norm(dim=1)` takes a norm over the input channels only, one per tap: a "
            "filter's norm is over everything in weight[k]. Use `w.flatten(1).norm(dim=1)`.",
            _norm_over_dim_1,
        ),
    ],
    rtol=1e-5,
    atol=1e-6,
    modifies_arguments=True,
    harness=trained_with,
)


# ---------------------------------------------------------------- Weight Standardization


def standardize_reference(w: np.ndarray) -> np.ndarray:
    """Each output filter ``w[k]`` centred (mean zero) and divided by its L2 norm."""
    w = np.asarray(w, dtype=float)
    rows = w.reshape(len(w), -1)
    centred = rows - rows.mean(axis=1, keepdims=True)
    return (centred / np.linalg.norm(centred, axis=1, keepdims=True)).reshape(w.shape)


def _weights() -> list[Case]:
    rng = np.random.default_rng(11)
    on_the_set = standardize_reference(rng.normal(size=(3, 1, 3, 3)))
    return [
        Case("8 filters of 1x5x5", (rng.normal(size=(8, 1, 5, 5)),)),
        Case("4 filters of 3x3x3 (3 input channels)", (rng.normal(size=(4, 3, 3, 3)),)),
        Case("3 filters of 2x3 with large entries", (300 * rng.normal(size=(3, 2, 3)),)),
        Case("a Linear weight, 5 outputs of 7 inputs", (rng.normal(size=(5, 7)),)),
        Case("filters already standardized", (on_the_set,)),
        Case("filters of positive entries", (rng.uniform(0.5, 1.5, size=(2, 1, 4, 4)),)),
    ]


def _filterwise(
    transform: Callable[[np.ndarray], np.ndarray],
) -> Callable[[np.ndarray], np.ndarray]:
    """A wrong answer that applies ``transform`` to the rows (one per filter) of ``w``."""

    def wrong(w: np.ndarray) -> np.ndarray:
        return transform(np.asarray(w, dtype=float).reshape(len(w), -1)).reshape(np.shape(w))

    return wrong


def _centred(rows: np.ndarray) -> np.ndarray:
    return rows - rows.mean(axis=1, keepdims=True)


def _normalized(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _per_last_two_axes(w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    centred = w - w.mean(axis=(-2, -1), keepdims=True)
    return centred / np.linalg.norm(centred, axis=(-2, -1), keepdims=True)


standardize = Exercise(
    "Weight Standardization: centre each filter, then give it unit norm",
    standardize_reference,
    _weights,
    hint=(
        "work on w.reshape(len(w), -1), one row per output filter: subtract each row's "
        "mean, then divide each row by its L2 norm (keepdims=True makes the shapes "
        "broadcast), and reshape back to w.shape."
    ),
    mistakes=[
        Mistake(
            "you divided by the sum: that aims at sum one, the opposite of Weight "
            "Standardization, whose filters sum to zero. Centre, then divide by the L2 norm.",
            _filterwise(lambda rows: rows / rows.sum(axis=1, keepdims=True)),
        ),
        Mistake(
            "you standardized the whole weight at once: one mean and one norm for all "
            "filters. Each output filter w[k] gets its own mean and its own norm.",
            lambda w: (w - w.mean()) / np.linalg.norm(w - w.mean()),
        ),
        Mistake(
            "you forgot to centre: each filter has unit norm but not mean zero. Subtract "
            "each filter's mean first.",
            _filterwise(_normalized),
        ),
        Mistake(
            "you divided by the standard deviation, as Qiao et al. (2019) do: those filters "
            "have norm sqrt(n), not 1. Divide by the L2 norm of the centred filter.",
            _filterwise(lambda rows: _centred(rows) / rows.std(axis=1, keepdims=True)),
        ),
        Mistake(
            "you normalized first and centred after: subtracting the mean changed the norm. "
            "Centre first, then divide by the norm of the centred filter.",
            _filterwise(lambda rows: _centred(_normalized(rows))),
        ),
        Mistake(
            "you standardized each input channel of a filter on its own (over the last two "
            "axes): a filter is everything in w[k], all of its input channels. Reshape to "
            "one row per output filter, w.reshape(len(w), -1).",
            _per_last_two_axes,
        ),
    ],
)

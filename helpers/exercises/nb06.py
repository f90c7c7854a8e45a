"""Exercises of notebook 06: project a filter onto the sum-one set and the unit sphere.

Each function takes one filter ``g`` (a numpy array of any shape, e.g. 5x5) and works on all
its entries at once, as the projections of :mod:`helpers.constraints` do per output filter.
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Case, Exercise, Mistake


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

"""Timing on a shared, noisy machine: interleaved repeats, medians or minima, and where one
method starts to win.

Absolute times on a loaded machine are pessimistic and vary from run to run. Interleaving the
repeats (method A, B, C, then A, B, C again) spreads a burst of load over all methods; the
median ignores occasional outliers, the minimum (the run least disturbed by other processes)
even frequent ones. What stays robust is the *order* of methods that differ by a large
factor, not a ratio to two digits.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np

STATISTICS = {"median": np.median, "min": np.min}


def time_interleaved(
    functions: Mapping[str, Callable[[], object]], repeats: int = 5, statistic: str = "median"
) -> dict[str, float]:
    """Seconds per call of each function (median or minimum), with the repeats interleaved.

    Parameters
    ----------
    functions : mapping of name to callable
        Callables without arguments (wrap a call in a ``lambda``).
    repeats : int
        Timed calls per function, after one untimed warm-up call each.
    statistic : {"median", "min"}
        How to summarize the repeats: the median, or the minimum (best for a loaded machine).

    Returns
    -------
    dict of name to float
        Wall-clock seconds per call.
    """
    if int(repeats) != repeats or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {list(STATISTICS)}, got {statistic!r}")
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(int(repeats)):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    summarize = STATISTICS[statistic]
    return {name: float(summarize(values)) for name, values in times.items()}


def crossover(
    sizes: Sequence[float], challenger: Sequence[float], incumbent: Sequence[float]
) -> float | None:
    """The smallest size from which ``challenger`` is faster than ``incumbent`` at every
    measured size onward; None if it is not faster at the largest size.

    Parameters
    ----------
    sizes : sequence of numbers
        Increasing sizes (kernel sides, say).
    challenger, incumbent : sequence of float
        Times measured at those sizes.
    """
    sizes = np.asarray(sizes, dtype=float)
    challenger = np.asarray(challenger, dtype=float)
    incumbent = np.asarray(incumbent, dtype=float)
    if not sizes.shape == challenger.shape == incumbent.shape or sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(
            "sizes, challenger and incumbent must be 1-D of the same non-zero length, got "
            f"{sizes.shape}, {challenger.shape}, {incumbent.shape}"
        )
    if np.any(np.diff(sizes) <= 0):
        raise ValueError(f"sizes must increase, got {sizes.tolist()}")
    wins = challenger < incumbent
    if not wins[-1]:
        return None
    losses = np.flatnonzero(~wins)
    first = 0 if losses.size == 0 else int(losses[-1]) + 1
    return float(sizes[first])

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

from helpers.validation import as_integer, as_real_array

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
    repeats = as_integer(repeats, "repeats", low=1)
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {list(STATISTICS)}, got {statistic!r}")
    if not isinstance(functions, Mapping) or not all(map(callable, functions.values())):
        raise TypeError(f"functions must map names to callables, got {functions!r}")
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
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
    sizes, challenger, incumbent = (
        as_real_array(values, name).astype(float)
        for values, name in ((sizes, "sizes"), (challenger, "challenger"), (incumbent, "incumbent"))
    )
    if not sizes.shape == challenger.shape == incumbent.shape or sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(
            "sizes, challenger and incumbent must be 1-D of the same non-zero length, got "
            f"{sizes.shape}, {challenger.shape}, {incumbent.shape}"
        )
    for values, name in ((sizes, "sizes"), (challenger, "challenger"), (incumbent, "incumbent")):
        if not np.isfinite(values).all():
            raise ValueError(f"{name} must hold finite numbers, got {values.tolist()}")
    if np.any(np.diff(sizes) <= 0):
        raise ValueError(f"sizes must increase, got {sizes.tolist()}")
    wins = challenger < incumbent
    if not wins[-1]:
        return None
    losses = np.flatnonzero(~wins)
    first = 0 if losses.size == 0 else int(losses[-1]) + 1
    return float(sizes[first])

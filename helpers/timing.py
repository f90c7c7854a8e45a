"""Timing on a shared, noisy machine: interleaved repeats, medians or minima, and where one
method starts to win.

Absolute times on a loaded machine are pessimistic and vary from run to run. Interleaving the
repeats (method A, B, C, then A, B, C again) spreads a burst of load over all methods; the
median ignores occasional outliers, the minimum (the run least disturbed by other processes)
even frequent ones. What stays robust is the *order* of methods that differ by a large
factor, not a ratio to two digits.
"""

from __future__ import annotations

import functools
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


def time_methods(
    methods: Mapping[str, Callable[[np.ndarray, np.ndarray], object]],
    sides: Sequence[int],
    sizes: Sequence[int],
    repeats: int = 3,
    largest_kernel: Mapping[str, int] | None = None,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Seconds per call of ``method(image, kernel)`` for every image side and kernel size.

    For each (side, size) the methods run interleaved on the same random image and kernel
    (float64), and the minimum of ``repeats`` timed calls is kept (:func:`time_interleaved`).

    Parameters
    ----------
    methods : mapping of name to callable
        Each takes the image and the kernel.
    sides, sizes : sequences of int
        Image sides N (N x N images) and kernel sides k (k x k kernels).
    repeats : int
        Timed calls per method and configuration.
    largest_kernel : mapping of name to int, optional
        A method is timed only for kernels up to this side (NaN beyond): for a slow one.
    seed : int
        Seed of the random images and kernels.

    Returns
    -------
    dict of name to ndarray of shape (len(sides), len(sizes))
    """
    largest_kernel = dict(largest_kernel or {})
    rng = np.random.default_rng(seed)
    times = {name: np.full((len(sides), len(sizes)), np.nan) for name in methods}
    for i, side in enumerate(sides):
        image = rng.random((side, side))
        for j, size in enumerate(sizes):
            kernel = rng.random((size, size))
            calls = {
                name: functools.partial(method, image, kernel)
                for name, method in methods.items()
                if size <= largest_kernel.get(name, size)
            }
            for name, seconds in time_interleaved(calls, repeats, statistic="min").items():
                times[name][i, j] = seconds
    return times


def draw_crossover(
    times: Mapping[str, np.ndarray],
    sides: Sequence[int],
    sizes: Sequence[int],
    direct: Sequence[str],
    fft: Sequence[str],
    float32: tuple[str, str] | None = None,
):
    """Left: time against kernel size at the largest image, every method. Right: the best
    direct method's time over the best FFT's, one line per image side; above 1 the FFT wins.

    ``float32`` names a (direct, FFT) pair timed in single precision, outside ``direct`` and
    ``fft``: its ratio is drawn dashed beside the float64 one of each side.

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    fig, (ax_time, ax_ratio) = plt.subplots(1, 2, figsize=(12.5, 4.8))
    sizes = np.asarray(sizes)
    single = set(float32 or ())
    for name, values in times.items():
        ok = np.isfinite(values[-1])
        line = ":" if name in single else "--" if name in fft else "-"
        ax_time.loglog(sizes[ok], 1e3 * values[-1][ok], marker="o", ls=line, ms=4, label=name)
    ax_time.set_title(f"{sides[-1]}x{sides[-1]} image, 'same' (dashed: FFT; dotted: float32)")
    ax_time.set_ylabel("time per convolution (ms), best of the repeats")
    best_direct = np.fmin.reduce([times[name] for name in direct])
    best_fft = np.fmin.reduce([times[name] for name in fft])
    for i, side in enumerate(sides):
        (line,) = ax_ratio.loglog(
            sizes, best_direct[i] / best_fft[i], "o-", ms=4, label=f"{side}x{side}, float64"
        )
        if float32:
            ratio32 = times[float32[0]][i] / times[float32[1]][i]
            ax_ratio.loglog(sizes, ratio32, "s--", ms=3, color=line.get_color(),
                            label=f"{side}x{side}, float32")  # fmt: skip
    ax_ratio.axhline(1, color="0.3", lw=1)
    ax_ratio.text(sizes[0], 1.15, "above: the FFT is faster", fontsize=8)
    title = "best direct / best FFT (float64)"
    ax_ratio.set_title(title + (f"; dashed: {float32[0]} / {float32[1]}" if float32 else ""),
                       fontsize=9)  # fmt: skip
    ax_ratio.set_ylabel("time ratio")
    for ax in (ax_time, ax_ratio):
        ax.set_xticks(sizes, [str(k) for k in sizes])
        ax.minorticks_off()
        ax.set_xlabel("kernel side k")
        ax.legend(fontsize=7)
    return fig


def dispatched_operators(call: Callable[[], object]) -> set[str]:
    """The names of the ATen operators that run during ``call()``, by ``torch.profiler``.

    Shows which implementation torch picks, e.g. ``aten::mkldnn_convolution`` (oneDNN) or
    ``aten::_slow_conv2d_forward`` (unfold + GEMM) for a ``conv2d``. The profiler's own log
    lines, written by C++ to the process's standard error, are silenced while it runs.
    """
    import os
    import sys

    from torch.profiler import ProfilerActivity, profile

    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                call()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return {event.name for event in prof.events() if event.name.startswith("aten::")}

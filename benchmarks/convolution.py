"""Time every method of helpers.convolution beside scipy and torch, and check the targets.

Run from the repository root:

    python benchmarks/convolution.py            # images 128, 512, 1024; kernels 3 .. 31
    python benchmarks/convolution.py --quick    # images 128 and 256, kernels 3 .. 15

The full run took 5 minutes on a quiet 2-core machine (the quick one about 15 s);
its output is kept in benchmarks/convolution_results.txt.

Every contender computes the same thing: the 'same'-mode convolution of a random N x N image
with a random K x K kernel, zeros outside the image ('same' because scipy.ndimage.convolve and a
padded torch conv2d give an image-sized output natively; 'full' would handicap them). For each
case, all contenders run in the same rounds, in a shuffled order, and we report the median.
Every output is checked against scipy.signal.fftconvolve before it is timed.

Skipped, and shown as '-': a contender whose time, estimated from the previous kernel size
(time grows like K^2 for direct sums), would exceed the time budget; loops beyond the smallest
case; im2col whose patch matrix would exceed 256 MiB; toeplitz beyond 3 million nonzeros.
The machine is shared: we measure the CPU time of this process (time.process_time), which
the load of other programs does not inflate the way it inflates wall-clock time. Absolute times
are still noisy (shared caches); ratios within one run are what to read.

Threads: every contender runs on one thread, as scipy's functions do. torch is set to one
thread too: on the shared 2-core machine, two torch threads paid 10-20 ms per call waiting for
the second core, which would make torch look far slower than it is. BLAS and OpenMP are set to
one thread as well: their idle worker threads spin after each call and that spinning counts in
the process's CPU time, so it was charged to whichever contender ran next.
"""

from __future__ import annotations

import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # before numpy and torch load their thread pools

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
import scipy.ndimage  # noqa: E402
import scipy.signal  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from helpers.convolution import convolve  # noqa: E402

OURS = ("auto", "direct", "fft", "im2col", "toeplitz", "loops")
LIBRARIES = ("convolve2d", "fftconvolve", "ndimage", "torch")
DIRECT_SUMS = ("direct", "im2col", "toeplitz", "loops", "convolve2d", "ndimage", "torch")


def contenders(f: np.ndarray, g: np.ndarray) -> dict[str, Callable[[], np.ndarray]]:
    """Every way to compute convolve(f, g, 'same'), as functions of no arguments."""
    k = g.shape[0]
    image = torch.from_numpy(f)[None, None]
    flipped = torch.from_numpy(g[::-1, ::-1].copy())[None, None]  # conv2d correlates

    def torch_conv() -> np.ndarray:
        with torch.inference_mode():
            return F.conv2d(image, flipped, padding=k // 2)[0, 0].numpy()

    ours = {method: lambda m=method: convolve(f, g, "same", m) for method in OURS}
    return ours | {
        "convolve2d": lambda: scipy.signal.convolve2d(f, g, "same"),
        "fftconvolve": lambda: scipy.signal.fftconvolve(f, g, "same"),
        "ndimage": lambda: scipy.ndimage.convolve(f, g, mode="constant"),
        "torch": torch_conv,
    }


def too_large(name: str, n: int, k: int, itemsize: int) -> bool:
    """Contenders that would not fit in memory or time at this size."""
    if name == "loops":
        return n * n * k * k > 128 * 128 * 9
    if name == "im2col":
        return n * n * k * k * itemsize > 256 * 2**20
    if name == "toeplitz":
        return n * n * k * k > 3_000_000
    return False


def time_once(function: Callable[[], np.ndarray], number: int, warm: bool = False) -> float:
    """CPU seconds per call (the process's CPU time: other programs' load does not count).

    With ``warm``, one untimed call comes first: after a contender that allocated a lot, the
    next one would otherwise pay for fresh memory pages, which is the order's cost, not its own.
    """
    if warm:
        function()
    start = time.process_time()
    for _ in range(number):
        function()
    return (time.process_time() - start) / number


def time_case(
    n: int, k: int, dtype: type, rounds: int, budget: float, previous: dict[str, float], rng
) -> dict[str, float]:
    """Median seconds per contender for one case; NaN where skipped."""
    f = rng.standard_normal((n, n)).astype(dtype)
    g = rng.standard_normal((k, k)).astype(dtype)
    reference = scipy.signal.fftconvolve(f.astype(np.float64), g.astype(np.float64), "same")
    tolerance = 1e-10 if dtype == np.float64 else 1e-4
    scale = np.abs(reference).max()
    functions, numbers = {}, {}
    for name, function in contenders(f, g).items():
        estimate = previous.get(name, 0.0) * (k / previous.get("k", k)) ** 2  # NaN: skipped
        if too_large(name, n, k, f.itemsize) or (name in DIRECT_SUMS and not estimate <= budget):
            continue
        start = time.process_time()
        out = function()  # warm-up (FFT plans, caches), and the correctness check
        first = time.process_time() - start
        error = np.abs(out - reference).max() / scale
        assert error < tolerance, f"{name} is wrong at n={n}, k={k}, {dtype}: {error:.1e}"
        if first > budget:
            continue
        if first < 0.05:  # cheap: time a warm call, so a slow first call does not set the count
            first = time_once(function, 1)
        functions[name] = function
        numbers[name] = max(1, int(0.05 / max(first, 1e-6)))  # about 50 ms per measurement
    times = {name: [] for name in functions}
    order = list(functions)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            times[name].append(time_once(functions[name], numbers[name], warm=True))
    return {
        name: statistics.median(times[name]) if name in times else np.nan
        for name in OURS + LIBRARIES
    }


def best_library(result: dict[str, float]) -> tuple[str, float]:
    timed = {name: result[name] for name in LIBRARIES if not np.isnan(result[name])}
    name = min(timed, key=timed.get)
    return name, timed[name]


def print_table(results: dict[tuple, dict[str, float]]) -> None:
    columns = OURS + LIBRARIES
    print("Ratio of each contender's median time to the best library's ('-': skipped)")
    header = f"{'dtype':>7} {'N':>5} {'K':>3} {'best library':>22} " + " ".join(
        f"{name:>11}" for name in columns
    )
    print(header)
    print("-" * len(header))
    for (dtype, n, k), result in results.items():
        name, best = best_library(result)
        cells = " ".join(
            f"{'-':>11}" if np.isnan(result[c]) else f"{result[c] / best:>10.2f}x" for c in columns
        )
        print(f"{dtype:>7} {n:>5} {k:>3} {name:>12} {best * 1e3:>7.2f} ms {cells}")


def check_targets(results: dict[tuple, dict[str, float]]) -> list[str]:
    """The PASS/FAIL lines for the targets of the issue."""
    lines = []
    fft_ratios = [r["fft"] / r["fftconvolve"] for (_, n, k), r in results.items() if k >= 9]
    if fft_ratios:
        median = statistics.median(fft_ratios)
        verdict = "PASS" if median <= 1.0 else "FAIL"
        lines.append(
            f"{verdict}  fft / fftconvolve, median over N >= 128, K >= 9: {median:.2f}x "
            f"(target <= 1.0x; range {min(fft_ratios):.2f}x .. {max(fft_ratios):.2f}x)"
        )
    direct = {key: r["direct"] / r["convolve2d"] for key, r in results.items() if key[2] <= 9}
    if direct:
        worst_key = max(direct, key=direct.get)
        verdict = "PASS" if direct[worst_key] <= 1.0 else "FAIL"
        lines.append(
            f"{verdict}  direct / convolve2d for K <= 9, every case: "
            f"worst {direct[worst_key]:.2f}x at {worst_key}, "
            f"median {statistics.median(direct.values()):.2f}x (target <= 1.0x)"
        )
    for dtype, limit in (("float64", 1.5), ("float32", 2.0)):
        ratios = {
            key: r["auto"] / best_library(r)[1] for key, r in results.items() if key[0] == dtype
        }
        if not ratios:
            continue
        worst_key = max(ratios, key=ratios.get)
        failing = [
            f"{key[1]}/{key[2]}: {ratio:.2f}x" for key, ratio in ratios.items() if ratio > limit
        ]
        verdict = "PASS" if not failing else "FAIL"
        lines.append(
            f"{verdict}  auto / best library, every {dtype} case: worst {ratios[worst_key]:.2f}x "
            f"at N={worst_key[1]}, K={worst_key[2]} (target <= {limit}x)"
            + (f"; failing N/K: {', '.join(failing)}" if failing else "")
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller images, fewer rounds")
    args = parser.parse_args()
    sizes, kernels = (
        ((128, 256), (3, 5, 9, 15)) if args.quick else ((128, 512, 1024), (3, 5, 9, 15, 31))
    )
    rounds, budget = (5, 0.5) if args.quick else (9, 2.0)
    torch.set_num_threads(1)  # see the module docstring
    rng = np.random.default_rng(0)
    results = {}
    started = time.perf_counter()
    for dtype in (np.float64, np.float32):
        for n in sizes:
            previous = {}
            for k in kernels:
                result = time_case(n, k, dtype, rounds, budget, previous, rng)
                results[(np.dtype(dtype).name, n, k)] = result
                previous = result | {"k": k}
                print(f"timed {np.dtype(dtype).name} N={n} K={k}", flush=True)
    print(
        f"\nAll timings in one run, {rounds} interleaved rounds per case, 'same' mode, "
        f"{time.perf_counter() - started:.0f} s in total.\n"
    )
    print_table(results)
    print()
    for line in check_targets(results):
        print(line)


if __name__ == "__main__":
    main()

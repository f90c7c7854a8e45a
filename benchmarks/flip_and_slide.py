"""How long one update of the flip-and-slide explorer takes, kernel-side.

An update is everything between setting a control and the new PNG being in the image widget:
g(x - tau) and the product on the drawn grid, the area (a Riemann sum), the new data in the
existing artists, the readout, the redraw and the PNG. A shift redraws only the artists that
move over a cached background; a change of pair renders that background again (its full
curve (f * g) is computed once per pair and cached, so the pairs revisited here cost only the
drawing). The target of the course is "well under 100 ms".

Run: ``PYTHONPATH=. python benchmarks/flip_and_slide.py`` (a few seconds). Prints, for each
pair, the median wall-clock and CPU time of a shift update and of a pair change, and the time
of a full drawing (``savefig``) for comparison. On a shared machine the wall time includes
waiting for a core; the CPU time is what the update itself costs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

from helpers.flip_and_slide import PAIRS, FlipAndSlide  # noqa: E402
from helpers.plotting import use_style  # noqa: E402

TARGET_MS = 100.0
REPEATS = 15


def timed(action: Callable[[int], None], repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``action(k)`` for k = 0, 1, ..."""
    walls, cpus = [], []
    for k in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        action(k)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus)


def main() -> None:
    use_style()
    explorer = FlipAndSlide()
    names = list(PAIRS)
    low, high = explorer.shift.min, explorer.shift.max

    def shift(k: int) -> None:
        explorer.shift.value = round(low + (high - low) * ((0.37 * k) % 1.0), 2)

    def pair(k: int) -> None:
        explorer.pair.value = names[(names.index(explorer.pair.value) + 1) % len(names)]

    print(f"{'pair':>28} {'shift wall':>11} {'shift cpu':>10}")
    worst = 0.0
    for name in names:
        explorer.pair.value = name
        wall, cpu = timed(shift)
        worst = max(worst, wall)
        print(f"{name:>28} {wall:9.1f} ms {cpu:8.1f} ms")
    wall, cpu = timed(pair, repeats=len(names) * 2)
    print(f"{'change of pair':>28} {wall:9.1f} ms {cpu:8.1f} ms")
    wall, cpu = timed(lambda k: explorer.live.png())
    print(f"{'full drawing (savefig)':>28} {wall:9.1f} ms {cpu:8.1f} ms")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"slowest median shift update {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()

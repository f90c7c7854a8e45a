"""How long one update of the Toeplitz explorer and of the frequency explorer takes, kernel-side.

An update is everything between setting a control and the new PNG being in the image widget.
Both widgets freeze a background (``LiveFigure.freeze``) and paste it back before drawing only
what moves (``LiveFigure.blit``): in the Toeplitz explorer a new output pixel moves the row of
T, the receptive field and the markers, while a new kernel or mode renders a new background;
in the frequency explorer every update moves the kernel, ``|H|``, the cut and the colorbars.
The target of the course is "well under 100 ms".

Run: ``PYTHONPATH=. python benchmarks/explorers.py`` (a few seconds). Prints the median
wall-clock and CPU time of each kind of update, and of a full drawing (``savefig``) for
comparison. On a shared machine the wall time includes waiting for a core; the CPU time is
what the update itself costs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

from helpers.frequency_explorer import FrequencyExplorer  # noqa: E402
from helpers.plotting import use_style  # noqa: E402
from helpers.toeplitz_explorer import ToeplitzExplorer  # noqa: E402

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
    toeplitz = ToeplitzExplorer()
    frequency = FrequencyExplorer()
    kernels = list(toeplitz.kernels)
    presets = ["box", "gaussian", "sharpen", "sobel x"]
    actions = {
        "Toeplitz: output pixel": lambda k: setattr(toeplitz.col, "value", k % 12),
        "Toeplitz: kernel": lambda k: setattr(toeplitz.kernel, "value", kernels[k % len(kernels)]),
        "Toeplitz: full drawing": lambda k: toeplitz.live.png(),
        "frequency: box size": lambda k: setattr(frequency.size, "value", 3 + 2 * (k % 14)),
        "frequency: preset": lambda k: setattr(frequency.preset, "value", presets[k % 4]),
        "frequency: full drawing": lambda k: frequency.live.png(),
    }
    frequency.preset.value = "box"
    print(f"{'update':>24} {'wall':>9} {'cpu':>9}")
    worst = 0.0
    for name, action in actions.items():
        wall, cpu = timed(action)
        if "drawing" not in name:
            worst = max(worst, cpu)
        print(f"{name:>24} {wall:6.1f} ms {cpu:6.1f} ms")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"slowest median update {worst:.1f} ms CPU: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()

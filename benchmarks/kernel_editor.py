"""How long one update of the kernel editor takes, kernel-side, on the 600 x 512 photo.

An update is everything between setting a control and the new PNG being in the image
widget: the convolution of the whole photo, the new data in the panels that changed (the
kernel, the 256 x 256 full-resolution windows of the photo and of the result), the readouts
and the PNG. The target from issue 3 is at most 50 ms for kernels up to 15 x 15; what a learner
sees end to end in a browser is measured by ``benchmarks/kernel_editor_browser.py``.

Run: ``PYTHONPATH=. python benchmarks/kernel_editor.py`` (a few seconds). Prints the median
wall-clock time and the median CPU time of this process for each control and kernel size, and
the CPU time of the convolution alone. On a shared machine the wall time includes
waiting for a core; the CPU time is what the update itself costs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

from helpers.kernel_editor import KernelEditor  # noqa: E402

TARGET_MS = 50.0
SIZES = (3, 9, 15)
REPEATS = 9


def timed(action: Callable[[int], None], repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``action(k)`` for k = 0, 1, ..."""
    walls, cpus = [], []
    for k in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        action(k)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus)


def controls(editor: KernelEditor) -> dict[str, Callable[[int], None]]:
    """One action per control; each call changes the control's value, so each is an update."""
    boundaries = ("wrap", "symm", "fill")
    operations = ("correlation", "convolution")
    sigmas = (1.5, 2.5)

    def boundary(k: int) -> None:
        editor.boundary.value = boundaries[k % 3]

    def operation(k: int) -> None:
        editor.operation.value = operations[k % 2]

    def entry(k: int) -> None:
        editor.entries[0][0].value = 0.01 * (k + 1)

    def normalize_sum(k: int) -> None:
        editor.entries[0][0].value = 0.5 + 0.01 * k  # so the sum is not one already
        editor.normalize_sum.click()

    def sigma(k: int) -> None:
        editor.sigma.value = sigmas[k % 2]

    def preset(k: int) -> None:
        editor.preset.value = "sharpen" if k % 2 == 0 else "gaussian"

    def view(k: int) -> None:
        editor.view.value = ("signed", "clipped")[k % 2]

    def window(k: int) -> None:
        editor.window_row.value = (100, 200)[k % 2]

    return {
        "boundary": boundary,
        "conv/corr": operation,
        "entry": entry,
        "normalize sum (2 updates)": normalize_sum,
        "sigma (gaussian)": sigma,
        "preset": preset,
        "view clipped/signed": view,
        "window moved": window,
    }


def main() -> None:
    editor = KernelEditor()
    print(f"photo {editor.image.shape}, median of {REPEATS} updates; target {TARGET_MS:.0f} ms")
    print(f"{'size':>4}  {'control':26} {'wall ms':>8} {'cpu ms':>7}  {'conv cpu':>7}  target")
    worst = 0.0
    for size in SIZES:
        editor.preset.value = "box"
        editor.size.value = size
        editor.preset.value = "gaussian"
        _, filter_cpu = timed(lambda _k: editor._filter())
        for name, action in controls(editor).items():
            wall, cpu = timed(action)
            per_update = cpu / 2 if name.startswith("normalize") else cpu
            worst = max(worst, per_update)
            verdict = "ok" if per_update <= TARGET_MS else "OVER"
            print(f"{size:>4}  {name:26} {wall:8.1f} {cpu:7.1f}  {filter_cpu:7.1f}  {verdict}")
    sizes = [SIZES[k % 3] for k in range(REPEATS)]

    def resize(k: int) -> None:
        editor.size.value = sizes[k] if editor.size.value != sizes[k] else 5

    wall, cpu = timed(resize)
    print(f"{'3-15':>4}  {'size (rebuilds the grid)':26} {wall:8.1f} {cpu:7.1f}  {'':7}  "
          f"{'ok' if cpu <= TARGET_MS else 'OVER'}")
    worst = max(worst, cpu)
    print(f"worst median CPU time per update: {worst:.1f} ms (target {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()

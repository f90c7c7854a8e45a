"""How long one update of each widget of the course takes, kernel-side, control by control.

An update is everything between setting a control's value and the new PNG being in the
widget's image: the computation, the new data in the existing artists, the redraw and the
encoding. The course's target is "well under 100 ms" (the kernel editor, with its own
benchmark in ``benchmarks/kernel_editor.py``, has 50 ms).

Each control is moved through its allowed values (every menu option; five evenly spaced
values of a slider, ends included), and the median wall-clock and CPU times are printed. On a
shared machine the wall time includes waiting for a core; the CPU time is what the update
itself costs.

Run: ``python benchmarks/widgets.py`` (about a minute).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib
import numpy as np

matplotlib.use("Agg")

from helpers.flip_and_slide import FlipAndSlide  # noqa: E402
from helpers.frequency_explorer import FrequencyExplorer  # noqa: E402
from helpers.homomorphic_explorer import HomomorphicExplorer  # noqa: E402
from helpers.input_pipelines import light_fields  # noqa: E402
from helpers.photo import grace_hopper  # noqa: E402
from helpers.plotting import use_style  # noqa: E402
from helpers.run_browser import RecordedRun, RunBrowser  # noqa: E402
from helpers.toeplitz_explorer import ToeplitzExplorer  # noqa: E402

TARGET_MS = 100.0
ROUNDS = 3


def allowed_values(control: widgets.Widget) -> list:
    """Every option of a menu, or five evenly spaced values of a slider, ends included."""
    if isinstance(control, widgets.Dropdown):
        return (
            list(control.options)
            if isinstance(control.options[0], str)
            else [value for _, value in control.options]
        )
    if isinstance(control, widgets.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, 5))
    values = np.linspace(control.min, control.max, 5)
    if isinstance(control, widgets.IntSlider):
        step = control.step
        values = control.min + step * np.round((values - control.min) / step)
        return [int(v) for v in values]
    return [float(v) for v in values]


def time_control(control: widgets.Widget) -> tuple[float, float]:
    """Median wall and CPU milliseconds of setting ``control`` to each allowed value."""
    walls, cpus = [], []
    for _ in range(ROUNDS):
        for value in allowed_values(control):
            if control.value == value:
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            control.value = value
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus)


def recorded_run(seed: int, epochs: int = 3, per_epoch: int = 40) -> RecordedRun:
    """A run of the notebook-06 shape (8 filters of 5x5) with random weights."""
    rng = np.random.default_rng(seed)
    steps = np.arange(epochs * per_epoch + 1)
    return RecordedRun(
        steps=steps,
        weights=rng.normal(size=(len(steps), 8, 5, 5)),
        epoch_ends=per_epoch * np.arange(epochs + 1),
        test_accuracy=rng.uniform(0.8, 1.0, size=epochs),
    )


def unevenly_lit_explorer() -> HomomorphicExplorer:
    """The explorer of notebook 07: a 160 x 160 crop of the photo under a smooth, uneven light."""
    photo = grace_hopper()[120:280, 176:336]
    light = light_fields([10.0], size=160, distance=72, width=64, angles=[np.pi / 4])[0]
    return HomomorphicExplorer(photo, photo * light)


WIDGETS: dict[str, tuple[Callable[[], object], list[str]]] = {
    "flip-and-slide": (FlipAndSlide, ["shift", "pair"]),
    "toeplitz-explorer": (ToeplitzExplorer, ["row", "col", "kernel", "mode"]),
    # the Gaussian, so that size and sigma both act; the preset menu last
    "frequency-explorer": (
        lambda: FrequencyExplorer(preset="gaussian"),
        ["size", "sigma", "preset"],
    ),
    "homomorphic-explorer": (unevenly_lit_explorer, ["cutoff", "gamma_low", "gamma_high"]),
    "run-browser": (
        lambda: RunBrowser({name: recorded_run(seed) for seed, name in enumerate("abc")}),
        ["epoch", "variant"],
    ),
}


def main() -> None:
    use_style()
    print(f"{'widget':>21} {'control':>11} {'wall ms':>8} {'cpu ms':>7}")
    worst = 0.0
    for name, (make, controls) in WIDGETS.items():
        widget = make()
        for control in controls:
            wall, cpu = time_control(getattr(widget, control))
            worst = max(worst, cpu)
            flag = "ok" if cpu < TARGET_MS else "OVER"
            print(f"{name:>21} {control:>11} {wall:8.1f} {cpu:7.1f}  {flag}")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"slowest median CPU time per update: {worst:.1f} ms, {verdict} the {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()

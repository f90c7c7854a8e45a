"""Browse recorded training runs: pick a variant and an epoch, see its first-layer filters.

Notebook 06 trains the same CNN several ways (no constraint, projections, reparametrizations)
and records the first-layer filters at every step. :class:`RunBrowser` shows one run at one
epoch: the filters as signed heatmaps with their sums and norms, and the sums and norms of
every filter over training with a marker at that epoch.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.live import LiveFigure
from helpers.plotting import SIGNED_CMAP, label_line_ends, symmetric_limit
from helpers.validation import as_numeric_array

if TYPE_CHECKING:
    from helpers.training import FilterRecorder, History


@dataclass(frozen=True)
class RecordedRun:
    """The filters of one training run, as the browser shows them.

    Attributes
    ----------
    steps : ndarray (T,)
        The optimizer steps at which the filters were recorded, increasing, from 0.
    weights : ndarray (T, out, height, width)
        The filters at those steps.
    epoch_ends : ndarray (E + 1,)
        The step at the end of each epoch; ``epoch_ends[0] = 0`` is the initialization.
    test_accuracy : ndarray (E,) or (0,)
        Test accuracy after each epoch; empty when the run had no test data.
    """

    steps: np.ndarray
    weights: np.ndarray
    epoch_ends: np.ndarray
    test_accuracy: np.ndarray

    def __post_init__(self) -> None:
        steps, weights = np.asarray(self.steps), np.asarray(self.weights)
        epoch_ends, accuracy = np.asarray(self.epoch_ends), np.asarray(self.test_accuracy)
        if weights.ndim != 4 or len(weights) != len(steps) or not len(steps):
            raise ValueError(
                "weights must have shape (T, out, height, width) with T = len(steps) > 0, got "
                f"{weights.shape} for {len(steps)} steps"
            )
        if not np.isfinite(weights).all():
            step = int(steps[np.nonzero(~np.isfinite(weights).all(axis=(1, 2, 3)))[0][0]])
            raise ValueError(
                f"weights hold NaN or infinite values from step {step}: the run diverged, and "
                "its filters cannot be shown"
            )
        if epoch_ends.ndim != 1 or len(epoch_ends) < 2 or epoch_ends[0] != 0:
            raise ValueError(
                f"epoch_ends must list 0 and the last step of each epoch, got {epoch_ends}"
            )
        if len(accuracy) not in (0, len(epoch_ends) - 1):
            raise ValueError(
                f"test_accuracy must hold one value per epoch ({len(epoch_ends) - 1}), or none, "
                f"got {len(accuracy)}"
            )
        if not np.isfinite(accuracy).all():
            raise ValueError(f"test_accuracy must be finite, got {accuracy}")

    @classmethod
    def from_training(cls, recorder: FilterRecorder, history: History) -> RecordedRun:
        """From a ``helpers.training.FilterRecorder`` and the ``History`` of the same run.

        A run trained without ``test_data`` gives a run whose accuracy reads "not measured".
        """
        epochs = len(history.epoch_loss)
        if not recorder.steps.size or not epochs:
            raise ValueError(
                "recorder and history must come from a finished training run (pass the "
                f"recorder to train()), got {recorder.steps.size} records and {epochs} epochs"
            )
        if int(recorder.steps[-1]) != history.steps:
            raise ValueError(
                f"recorder and history are of different runs: the recorder ends at step "
                f"{int(recorder.steps[-1])}, the history after {history.steps} steps"
            )
        per_epoch = history.steps // epochs
        return cls(
            steps=recorder.steps,
            weights=recorder.weights,
            epoch_ends=per_epoch * np.arange(epochs + 1),
            test_accuracy=np.asarray(history.test_accuracy),
        )

    @property
    def epochs(self) -> int:
        return len(self.epoch_ends) - 1

    @property
    def sums(self) -> np.ndarray:
        """Sum of each filter at each recorded step, shape (T, out)."""
        return self.weights.reshape(*self.weights.shape[:2], -1).sum(axis=2)

    @property
    def norms(self) -> np.ndarray:
        """L2 norm of each filter at each recorded step, shape (T, out)."""
        return np.linalg.norm(self.weights.reshape(*self.weights.shape[:2], -1), axis=2)

    def index_at_epoch(self, epoch: int) -> int:
        """The index of the last recorded step at or before the end of ``epoch``."""
        target = self.epoch_ends[int(np.clip(epoch, 0, self.epochs))]
        return max(int(np.searchsorted(self.steps, target, side="right")) - 1, 0)


def mosaic(filters: np.ndarray) -> np.ndarray:
    """Filters (out, height, width) side by side in one array, NaN columns between them.

    Raises ``ValueError`` unless ``filters`` is a non-empty real 3-D array, ``TypeError`` for
    complex or non-numeric input.
    """
    filters = as_numeric_array(filters, "filters")
    if filters.ndim != 3 or filters.size == 0:
        raise ValueError(
            f"filters must be a non-empty array (out, height, width), got shape {filters.shape}"
        )
    out, height, width = filters.shape
    canvas = np.full((height, out * (width + 1) - 1), np.nan)
    for k in range(out):
        canvas[:, k * (width + 1) : k * (width + 1) + width] = filters[k]
    return canvas


class RunBrowser:
    """Pick a variant and an epoch; see the first-layer filters, their sums and norms.

    Parameters
    ----------
    runs : mapping of str to RecordedRun
        One recorded run per variant, in the order the dropdown lists them. Every run must
        have the same number of filters.
    epoch : int
        The epoch shown first (clipped to the runs' range); defaults to the last.

    Controls (attribute: CSS class, what it does)
    ---------------------------------------------
    The top box has ``course-widget`` and ``course-run-browser``.

    - ``variant`` (Dropdown): ``course-run-browser-variant``; the run to show.
    - ``epoch`` (IntSlider, 0 = initialization): ``course-run-browser-epoch``; the filters
      at the end of that epoch.
    - The figure (``live.image``): ``course-run-browser-figure``. Top row: the filters side
      by side as signed heatmaps (one colour scale for all filters of the step, centred on
      zero), each labelled with its sum s and norm n. Bottom: every filter's sum and norm
      over training, with a dashed marker at the step shown.
    - ``readout`` (ipywidgets.HTML): ``course-run-browser-readout``; variant, epoch, step,
      test accuracy, and the range of the sums and norms shown.

    Output data: ``filters`` (out, height, width), ``sums`` and ``norms`` (out,), ``step``,
    ``accuracy`` (None at epoch 0, or for a run without test data), ``message`` (the readout
    text). A value a control cannot take (set from the kernel) is put back, and the readout
    says why.
    """

    name = "run-browser"

    def __init__(self, runs: Mapping[str, RecordedRun], epoch: int | None = None):
        if not isinstance(runs, Mapping) or not runs:
            raise ValueError("runs must map variant names to at least one RecordedRun")
        if not all(isinstance(run, RecordedRun) for run in runs.values()):
            raise TypeError("every value of runs must be a RecordedRun")
        shapes = {run.weights.shape[1:] for run in runs.values()}
        if len(shapes) != 1:
            raise ValueError(f"every run must record filters of one shape, got {sorted(shapes)}")
        if epoch is not None and (isinstance(epoch, bool) or not isinstance(epoch, Integral)):
            raise TypeError(f"epoch must be an integer or None, got {epoch!r}")
        self.runs = dict(runs)
        first = next(iter(self.runs.values()))
        self.variant = widgets.Dropdown(options=list(self.runs), description="variant")
        self.epoch = widgets.IntSlider(
            value=first.epochs if epoch is None else int(np.clip(epoch, 0, first.epochs)),
            min=0,
            max=first.epochs,
            description="epoch",
        )
        self.readout = widgets.HTML()
        self._build_figure(first)
        self.variant.add_class(f"course-{self.name}-variant")
        self.epoch.add_class(f"course-{self.name}-epoch")
        self.live.image.add_class(f"course-{self.name}-figure")
        self.readout.add_class(f"course-{self.name}-readout")
        self.access = Access()
        self.access.name(self.variant, "variant: the training run shown")
        self.access.name(self.epoch, "epoch: the point of training shown")
        self.access.announce(self.readout)
        self.ui = widgets.VBox(
            [widgets.HBox([self.variant, self.epoch]), self.live.image, self.readout, self.access]
        )
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{self.name}")
        # every variant's background drawn now, so switching variants only blits
        for name, run in self.runs.items():
            self._set_curves(run)
            self.live.freeze(self._moving, key=name)
        self.message = ""
        self._show_run(self.variant.value)
        observe_guarded(self.variant, lambda change: self._show_run(change["new"]), self._say)
        observe_guarded(self.epoch, lambda change: self._show_epoch(change["new"]), self._say)

    @property
    def run(self) -> RecordedRun:
        """The run of the selected variant."""
        return self.runs[self.variant.value]

    def _build_figure(self, run: RecordedRun) -> None:
        """One mosaic image of the filters above two line plots of the sums and norms."""
        self.live = LiveFigure(
            figsize=(7.5, 4.4),
            alt=(
                "the run browser: one recorded run's first-layer filters at one epoch, as "
                "signed heatmaps with their sums and norms, over every filter's sum and norm "
                "during training"
            ),
        )
        grid = self.live.figure.add_gridspec(2, 2, height_ratios=(1, 1.5))
        mosaic_axes = self.live.figure.add_subplot(grid[0, :])
        mosaic_axes.set_xticks([])
        mosaic_axes.set_yticks([])
        mosaic_axes.set_frame_on(False)
        cmap = plt.get_cmap(SIGNED_CMAP).with_extremes(bad="0.75")  # grey gaps, not zeros
        self.mosaic = mosaic_axes.imshow(mosaic(run.weights[0]), cmap=cmap, vmin=-1, vmax=1)
        colorbar = self.live.figure.colorbar(self.mosaic, ax=mosaic_axes, shrink=0.9)
        height, width = run.weights.shape[2:]
        self.labels = [
            mosaic_axes.text(
                k * (width + 1) + (width - 1) / 2, height, "", ha="center", va="top", fontsize=8
            )
            for k in range(run.weights.shape[1])
        ]
        mosaic_axes.set_ylim(height + 3.4, -0.5)  # room for three lines of text
        # which run and epoch, in the image; a plain text (an axes title moves when drawn
        # alone), holding a line from the start so that the layout keeps room for it
        self.title = mosaic_axes.text(
            0.5, 1.0, "run, epoch", transform=mosaic_axes.transAxes, ha="center", va="bottom",
            fontsize=9,
        )  # fmt: skip
        self.sum_axes = self.live.figure.add_subplot(grid[1, 0])
        self.norm_axes = self.live.figure.add_subplot(grid[1, 1])
        self._line_labels = []
        self.sum_lines = self.sum_axes.plot(run.steps, run.sums, lw=0.8)
        self.norm_lines = self.norm_axes.plot(run.steps, run.norms, lw=0.8)
        for ax, label in ((self.sum_axes, "sum of each filter"), (self.norm_axes, "L2 norm")):
            ax.set_xlabel("optimizer step")
            ax.set_title(label)
        self.markers = [
            # red and over the frames, so that it shows at the last step, on the right frame
            ax.axvline(0, color="tab:red", ls="--", lw=1.2, zorder=3)
            for ax in (self.sum_axes, self.norm_axes)
        ]
        # what changes with the epoch; the rest is kept as a background (see LiveFigure.blit);
        # the frames too, as a full drawing puts them over the markers
        frames = [s for ax in (self.sum_axes, self.norm_axes) for s in ax.spines.values()]
        self._moving = [
            self.mosaic, colorbar.ax, self.title, *self.labels, *self.markers, *frames
        ]  # fmt: skip

    def _say(self, message: str) -> None:
        """Show why a value was refused, under what the browser still shows."""
        self.readout.value = html.escape(f"{self.message} ({message})")

    def _show_run(self, variant: str | None) -> None:
        """A new variant: its curves and their background, a slider range that fits, the epoch."""
        if variant not in self.runs:
            raise ValueError(f"pick one of the recorded runs, not {variant!r}")
        run = self.run
        self._set_curves(run)
        self.live.freeze(self._moving, key=self.variant.value)  # drawn once per variant
        with self.epoch.hold_trait_notifications():
            self.epoch.max = run.epochs
            self.epoch.value = min(self.epoch.value, run.epochs)
        self._show_epoch()

    def _set_curves(self, run: RecordedRun) -> None:
        """The sums and norms of ``run`` over training, with axis limits that fit them."""
        for lines, values in ((self.sum_lines, run.sums), (self.norm_lines, run.norms)):
            for k, line in enumerate(lines):
                line.set_data(run.steps, values[:, k])
        for ax, values in ((self.sum_axes, run.sums), (self.norm_axes, run.norms)):
            low, high = float(values.min()), float(values.max())
            pad = max(0.05 * (high - low), 0.05)  # a constrained sum keeps readable ticks
            ax.set_xlim(0, max(int(run.steps[-1]), 1))
            ax.set_ylim(low - pad, high + pad)
        # each curve named by its filter's number at its end (the mosaic numbers the filters
        # the same way): colour is not the only key
        for note in self._line_labels:
            note.remove()
        numbers = [f"#{k}" for k in range(len(self.sum_lines))]
        self._line_labels = [
            *label_line_ends(self.sum_axes, self.sum_lines, numbers, gap=0.06),
            *label_line_ends(self.norm_axes, self.norm_lines, numbers, gap=0.06),
        ]

    def _show_epoch(self, epoch: int | None = None) -> None:
        run = self.run
        if epoch is not None and not 0 <= epoch <= run.epochs:
            raise ValueError(f"epoch must be between 0 and {run.epochs}, got {epoch}")
        index = run.index_at_epoch(self.epoch.value)
        self.filters = run.weights[index]
        self.sums = run.sums[index]
        self.norms = run.norms[index]
        self.step = int(run.steps[index])
        epoch = min(self.epoch.value, run.epochs)
        measured = epoch > 0 and len(run.test_accuracy)
        self.accuracy = float(run.test_accuracy[epoch - 1]) if measured else None
        limit = symmetric_limit(run.weights)  # one scale per run: the filters' growth shows
        self.mosaic.set_data(mosaic(self.filters))
        self.mosaic.set_clim(-limit, limit)
        for k, label in enumerate(self.labels):
            label.set_text(f"#{k}\ns={self.sums[k]:.3f}\nn={self.norms[k]:.3f}")
        for marker in self.markers:
            marker.set_xdata([self.step, self.step])
        accuracy = f"{self.accuracy:.2%}" if self.accuracy is not None else "not measured"
        accuracy = "not trained yet" if epoch == 0 else accuracy
        self.message = (
            f"{self.variant.value}, epoch {epoch} (step {self.step}): test accuracy {accuracy}; "
            f"sums {self.sums.min():.4f} to {self.sums.max():.4f}, "
            f"norms {self.norms.min():.4f} to {self.norms.max():.4f}"
        )
        self.readout.value = html.escape(self.message)
        self.title.set_text(
            f"{self.variant.value}, epoch {epoch} (step {self.step}), test accuracy {accuracy}; "
            "colours: one scale for the whole run"
        )
        self.live.describe(
            f"The run browser: the first-layer filters of {self.message}; below, every "
            "filter's sum and norm over the optimizer steps, with a red dashed line at this step."
        )
        self.live.blit()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

"""A paired comparison of ways to train the same CNN: variants over seeds, and what differs.

Notebook 06 trains the course's CNN several ways (:class:`Variant`: no constraint, a projection
after each step, a reparametrization) and asks which differences are real. The design is
*paired*: for each seed, every variant starts from the same initial weights (``make_cnn(seed)``,
its first-layer filters projected onto the variant's set when it has one) and sees the same
batches in the same order (``train(..., seed=seed)``). So a variant's accuracy minus the
baseline's, seed by seed, removes most of the seed-to-seed noise; ``helpers.paired`` gives its
mean with a t-interval and the smallest difference the experiment could detect.

:func:`run_variants` trains every variant on every seed, with a progress bar, and measures for
each run: test accuracy and cross-entropy, accuracy on test images made brighter or of lower
contrast, and how often each first-layer filter fires on training images
(``helpers.activity``), at the start and at the end. :func:`draw_activity` draws the last.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
import torch
from IPython.display import display
from matplotlib.axes import Axes
from torch import nn

from helpers import constraints
from helpers.activity import layer_activity
from helpers.cnn import make_cnn
from helpers.training import (
    Data,
    FilterRecorder,
    History,
    as_tensors,
    evaluate,
    sgd_momentum,
    train,
)


@dataclass(frozen=True)
class Variant:
    """One way to train the first layer ``conv1``.

    Attributes
    ----------
    name : str
        How tables and figures call it.
    projection : str, optional
        A set of :data:`helpers.constraints.KINDS`: the filters are projected onto it before
        training and after every optimizer step.
    reparametrization : str, optional
        One of :data:`helpers.constraints.REPARAMETRIZATIONS`: the weight is computed from a
        trained tensor ``v`` in every forward pass.
    start : str, optional
        A set of :data:`helpers.constraints.KINDS` onto which the initial filters are projected
        (for a reparametrization, this sets the initial ``v``; for an unconstrained variant,
        it is a control: the same start as a constrained variant, without the constraint).
    tangent_state : bool
        With a projection: remove the part of the momentum that points off the set after each
        projection (``Projection(tangent_state=True)``).
    """

    name: str
    projection: str | None = None
    reparametrization: str | None = None
    start: str | None = None
    tangent_state: bool = False

    def __post_init__(self) -> None:
        if self.projection is not None and self.reparametrization is not None:
            raise ValueError(f"{self.name}: a projection or a reparametrization, not both")
        if self.tangent_state and self.projection is None:
            raise ValueError(f"{self.name}: tangent_state needs a projection")
        # checked now rather than in the middle of a run
        for what, kind, kinds in (
            ("projection", self.projection, constraints.KINDS),
            ("start", self.start, constraints.KINDS),
            ("reparametrization", self.reparametrization, constraints.REPARAMETRIZATIONS),
        ):
            if kind is not None and kind not in kinds:
                raise ValueError(f"{self.name}: {what} must be one of {kinds}, got {kind!r}")
        if self.tangent_state and self.projection not in constraints.TANGENT_KINDS:
            raise ValueError(f"{self.name}: no tangent state for {self.projection!r}")

    def build(
        self, seed: int, optimizer: Callable[..., torch.optim.Optimizer] = sgd_momentum
    ) -> tuple[nn.Module, list, Callable[..., torch.optim.Optimizer]]:
        """The model of ``seed`` set up for this variant, its after-step hooks and optimizer
        factory (``optimizer``, tracked by the projection hook when there is one)."""
        model = make_cnn(seed)
        start = self.start or self.projection
        if start is not None:
            constraints.project_(model.conv1, start)
        if self.reparametrization is not None:
            constraints.reparametrize(model.conv1, self.reparametrization)
        if self.projection is None:
            return model, [], optimizer
        tangent = self.tangent_state
        hook = constraints.Projection(model.conv1, self.projection, tangent_state=tangent)
        return model, [hook], hook.track(optimizer)


@dataclass(frozen=True)
class Shift:
    """A change of the test images: ``gain * image + offset`` (a contrast change, then a
    brightness offset), applied to every pixel, without clipping."""

    name: str
    offset: float = 0.0
    gain: float = 1.0

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        return self.gain * images + self.offset


@dataclass
class Run:
    """One variant trained on one seed, and what was measured."""

    history: History
    recorder: FilterRecorder
    model: nn.Module
    accuracy: float
    loss: float
    shifted: dict[str, float]
    activity_start: np.ndarray
    activity_end: np.ndarray
    v_norms: np.ndarray
    """For a reparametrization, the norm of each filter's trained tensor ``v`` at the start
    and after every step, shape (steps + 1, out); empty otherwise."""


def _v_norms(model: nn.Module) -> np.ndarray:
    """The norms of the tensor ``v`` behind a reparametrized ``conv1`` (weight norm: its
    direction tensor)."""
    weight = model.conv1.parametrizations.weight
    v = weight.original1 if hasattr(weight, "original1") else weight.original
    return constraints.filter_norms(v.detach()).numpy()


@dataclass
class Results:
    """Every run of a comparison: ``runs[variant][i]`` is seed ``seeds[i]``."""

    variants: tuple[Variant, ...]
    seeds: tuple[int, ...]
    runs: dict[str, list[Run]] = field(default_factory=dict)
    seconds: float = 0.0

    def values(self, measure: str | Callable[[Run], float]) -> dict[str, np.ndarray]:
        """One array (seeds,) per variant: a measure named by a Run attribute ('accuracy',
        'loss'), or computed by a function of the run."""
        get = measure if callable(measure) else (lambda run: getattr(run, measure))
        return {name: np.array([get(run) for run in runs]) for name, runs in self.runs.items()}


class Progress:
    """A progress bar with a line of text, shown in the notebook; or nothing (``show=False``)."""

    def __init__(self, total: int, show: bool = True):
        self.total, self.done, self.start, self.show = total, 0, time.perf_counter(), show
        self.bar = widgets.IntProgress(value=0, min=0, max=total, description="training")
        self.label = widgets.Label()
        if show:
            display(widgets.HBox([self.bar, self.label]))

    def step(self, what: str) -> None:
        self.done += 1
        self.bar.value = self.done
        elapsed = time.perf_counter() - self.start
        self.label.value = f"{self.done}/{self.total} runs ({what}), {elapsed:.0f} s"

    def finish(self) -> None:
        """Print one line of what was done: a page without the widget shows it (a saved bar's
        text form says value=0)."""
        if self.show:
            elapsed = time.perf_counter() - self.start
            print(f"trained {self.done} runs in {elapsed:.0f} s")


def run_variants(
    variants: Sequence[Variant],
    seeds: Sequence[int],
    train_data: Data,
    test_data: Data,
    shifts: Sequence[Shift] = (),
    *,
    epochs: int,
    lr: float,
    batch_size: int,
    schedule: str = "cosine",
    optimizer: Callable[..., torch.optim.Optimizer] = sgd_momentum,
    browse_seed: int | None = None,
    activity_images: int = 500,
    progress: bool = True,
) -> Results:
    """Train every variant on every seed, paired, and measure each run.

    Parameters
    ----------
    variants : sequence of Variant
        The first is the baseline the others are compared with.
    seeds : sequence of int
        Seed ``s`` fixes the initial weights (``make_cnn(s)``) and the batches, for every
        variant alike.
    train_data, test_data : (images, labels)
    shifts : sequence of Shift
        Changes of the test images; each run's accuracy on the changed test images is kept
        in ``Run.shifted``.
    epochs, lr, batch_size, schedule
        Passed to :func:`helpers.training.train`.
    optimizer : callable
        The optimizer factory of every run, ``optimizer(params, lr=lr)``: SGD with momentum 0.9
        by default, or for example ``torch.optim.Adam``.
    browse_seed : int, optional
        For this seed, test accuracy is also measured after every epoch (for the run browser).
    activity_images : int
        How many training images measure each filter's activity.
    progress : bool
        Show a progress bar.

    Returns
    -------
    Results
    """
    if not variants or len({v.name for v in variants}) != len(variants):
        raise ValueError("variants must be a non-empty sequence of variants with distinct names")
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {list(seeds)}")
    test_images, test_labels = as_tensors(test_data, "test_data")
    probe = as_tensors(train_data)[0][:activity_images]
    results = Results(tuple(variants), tuple(seeds))
    bar = Progress(len(variants) * len(seeds), show=progress)
    start = time.perf_counter()
    for seed in seeds:
        for variant in variants:
            model, hooks, factory = variant.build(seed, optimizer)
            activity_start = layer_activity(model, probe)["activity"]
            v_norms = []
            if variant.reparametrization is not None:
                v_norms.append(_v_norms(model))
                hooks.append(lambda model, step, seen=v_norms: seen.append(_v_norms(model)))
            recorder = FilterRecorder(every=1)
            history = train(
                model,
                train_data,
                epochs=epochs,
                lr=lr,
                batch_size=batch_size,
                seed=seed,
                schedule=schedule,
                optimizer=factory,
                after_step=hooks,
                recorder=recorder,
                test_data=test_data if seed == browse_seed else None,
            )
            accuracy, loss = evaluate(model, (test_images, test_labels))
            shifted = {s.name: evaluate(model, (s(test_images), test_labels))[0] for s in shifts}
            run = Run(
                history,
                recorder,
                model,
                accuracy,
                loss,
                shifted,
                activity_start,
                layer_activity(model, probe)["activity"],
                np.array(v_norms),
            )
            results.runs.setdefault(variant.name, []).append(run)
            bar.step(f"{variant.name}, seed {seed}")
    results.seconds = time.perf_counter() - start
    bar.finish()
    return results


def draw_activity(
    axes: Sequence[Axes], results: Results, names: Sequence[str], baseline: str, dead: float
) -> None:
    """For each variant of ``names``, one panel: every first-layer filter of every seed, at
    its activity in the *baseline's* initialization (the same filter before any projection)
    against its activity after training. Filters below ``dead`` at the start are red
    crosses, the others grey dots; dashed lines mark ``dead`` on both axes."""
    start = np.concatenate([run.activity_start for run in results.runs[baseline]])
    for ax, name in zip(axes, names, strict=True):
        end = np.concatenate([run.activity_end for run in results.runs[name]])
        nearly_dead = start < dead
        ax.scatter(start[~nearly_dead], end[~nearly_dead], s=12, color="0.6", label="the others")
        ax.scatter(
            start[nearly_dead],
            end[nearly_dead],
            s=40,
            marker="x",
            color="tab:red",
            label=f"nearly dead at the start (< {dead:.0%} of positions)",
        )
        ax.plot([0, 1], [0, 1], color="k", lw=0.6, ls=":")
        ax.axhline(dead, color="tab:red", lw=0.8, ls="--")
        ax.axvline(dead, color="tab:red", lw=0.8, ls="--")
        ax.text(
            1.0, dead + 0.01, f"{dead:.0%}", color="tab:red", ha="right", va="bottom", fontsize=8
        )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        still = int(np.sum(end[nearly_dead] < dead))
        ax.set_title(f"{name}:\n{still} of {nearly_dead.sum()} stay nearly dead", fontsize=10)
        ax.set_xlabel("activity at the baseline's initialization")
    axes[0].set_ylabel("activity after training")
    axes[0].legend(fontsize=8, loc="upper left")

"""The effective learning rate of a filter whose scale does not matter.

When the loss does not change if a filter ``w`` is multiplied by a positive number (a filter
followed by a BatchNorm, Ioffe & Szegedy 2015; the ``v`` of a reparametrization ``v / ||v||``),
the gradient is orthogonal to ``w`` and shrinks as ``1 / ||w||``. A step of SGD then turns the
filter by an angle of about ``eta / ||w||**2`` times the gradient at unit norm: the effective
learning rate is ``eta / ||w||**2`` (van Laarhoven 2017). Adam divides each gradient entry by its
own running size, which cancels one factor: its turn goes as ``eta / ||w||``. Weight decay
shrinks ``||w||``, so with such a filter it raises the effective rate rather than regularizing;
a projection onto unit norm undoes the shrinking at every step, so there it does nothing.

:func:`turn_after_one_step` measures the angle directly, :class:`BatchNormCNN` is the course's
CNN with a BatchNorm after its first layer, :func:`first_layer_decay` builds an optimizer
that applies weight decay to the first layer only, and :func:`draw_decay` draws what decay
does to the norms and the turning speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import torch
from matplotlib.axes import Axes
from torch import nn
from torch.nn import functional as F

from helpers.cnn import SmallCNN
from helpers.training import FilterRecorder
from helpers.validation import as_numeric_array


def _directions(x: object, name: str) -> np.ndarray:
    """The rows (last axis) of ``x`` divided by their norms, computed without overflow."""
    x = as_numeric_array(x, name).astype(float)
    if x.ndim == 0 or x.size == 0:
        raise ValueError(f"{name} must hold filters along its last axis, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    scale = np.abs(x).max(axis=-1, keepdims=True)
    if np.any(scale == 0):
        raise ValueError(f"{name} holds a zero filter, which has no direction")
    x = x / scale
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The angle in radians between the filters ``a`` and ``b`` (rows of the last axis),
    accurate for small angles too: ``2 atan2(|a' - b'|, |a' + b'|)`` for unit ``a'``, ``b'``.

    Raises ``ValueError`` for shapes that differ, empty or 0-D input, NaN or infinity, or a
    zero filter (no direction); ``TypeError`` for complex or non-numeric input.
    """
    if np.shape(a) != np.shape(b):
        raise ValueError(f"a and b must have one shape, got {np.shape(a)} and {np.shape(b)}")
    a, b = _directions(a, "a"), _directions(b, "b")
    return 2 * np.arctan2(np.linalg.norm(a - b, axis=-1), np.linalg.norm(a + b, axis=-1))


def turn_after_one_step(
    model: nn.Module,
    weight: nn.Parameter,
    batch: tuple[torch.Tensor, torch.Tensor],
    scales: Sequence[float],
    make_optimizer: Callable[[Iterable[nn.Parameter]], torch.optim.Optimizer],
) -> np.ndarray:
    """How far one optimizer step turns each filter of ``weight``, for ``weight`` scaled by each
    of ``scales`` (the loss must not depend on the scale).

    For each scale ``s``: put ``s`` times the starting ``weight`` in place, build a fresh
    optimizer over ``[weight]`` only, take one step on ``batch``, and measure the angle
    between each filter (row ``weight[k]``) before and after. ``weight`` is put back after.

    Returns
    -------
    ndarray (len(scales), out)
        Angles in radians.
    """
    images, labels = batch
    start = weight.detach().clone()
    turned = []
    try:
        for s in scales:
            with torch.no_grad():
                weight.copy_(s * start)
            before = weight.detach().reshape(len(weight), -1).double().numpy().copy()
            optimizer = make_optimizer([weight])
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()
            after = weight.detach().reshape(len(weight), -1).double().numpy()
            turned.append(angle(before, after))
    finally:
        with torch.no_grad():
            weight.copy_(start)
        model.zero_grad(set_to_none=True)
    return np.array(turned)


class BatchNormCNN(SmallCNN):
    """:class:`helpers.cnn.SmallCNN` with a BatchNorm between ``conv1`` and its ReLU.

    The BatchNorm divides each channel by its standard deviation over the batch, so in
    training mode the network computes the same function whatever the scale of each
    ``conv1`` filter (up to the BatchNorm's epsilon), and ``conv1``'s bias cancels out.
    """

    def __init__(self, filters: int = 8, classes: int = 10):
        super().__init__(filters, classes)
        self.norm1 = nn.BatchNorm2d(filters)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim == 3:
            x = x.unsqueeze(1)
        return self.from_first_layer(self.norm1(self.conv1(x)))


def make_batchnorm_cnn(seed: int = 0) -> BatchNormCNN:
    """A :class:`BatchNormCNN` whose layers shared with ``make_cnn(seed)`` start the same."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = BatchNormCNN()
    return model


WINDOW = 10
"""Steps averaged in the angle panel of :func:`draw_decay`."""


def draw_decay(
    axes: Sequence[Axes], recorders: dict[float, FilterRecorder], equilibrium: float
) -> dict[float, np.ndarray]:
    """Two panels for runs that differ only by weight decay: each filter's norm over the
    steps (left, one solid line per filter, one colour per decay), and the mean angle the
    filters turn per step, averaged over a window of ``WINDOW`` steps (right), with a dashed
    line at ``equilibrium``.

    Returns the angles turned, (steps, filters) per decay, measured from the recorded
    weights.
    """
    left, right = axes
    turns = {}
    for (decay, recorder), colour in zip(recorders.items(), ("C0", "C3", "C2"), strict=False):
        weights = recorder.weights.reshape(len(recorder.steps), recorder.weights.shape[1], -1)
        turns[decay] = angle(weights[:-1], weights[1:])
        lines = left.plot(recorder.steps, recorder.norms, color=colour, lw=0.7, ls="-")
        lines[0].set_label(f"weight decay {decay}")
        smooth = np.convolve(turns[decay].mean(axis=1), np.ones(WINDOW) / WINDOW, "valid")
        right.plot(
            recorder.steps[WINDOW:], smooth, color=colour, ls="-", label=f"weight decay {decay}"
        )
    right.axhline(equilibrium, color="k", ls="--", lw=0.8, label=r"$\sqrt{2\eta\lambda/(1+\mu)}$")
    left.set(xlabel="optimizer step", ylabel="norm of each filter", title="filter norms")
    right.set(
        xlabel="optimizer step",
        ylabel="angle turned per step (radians)",
        title=f"angle per step, mean over filters and {WINDOW} steps",
    )
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    return turns


def first_layer_decay(
    model: nn.Module,
    weight_decay: float,
    momentum: float = 0.9,
    first_lr_factor: float = 1.0,
) -> Callable[..., torch.optim.Optimizer]:
    """An optimizer factory for :func:`helpers.training.train`: SGD with ``momentum``, weight
    decay on ``model.conv1.weight`` only, and a learning rate ``first_lr_factor`` times the
    others' for it (a constant schedule keeps that ratio; a cosine schedule would not)."""
    if not (np.isfinite(weight_decay) and weight_decay >= 0):
        raise ValueError(f"weight_decay must be finite and >= 0, got {weight_decay}")
    first = model.conv1.weight

    def build(params: Iterable[nn.Parameter], lr: float) -> torch.optim.Optimizer:
        rest = [p for p in params if p is not first]
        groups = [
            {"params": [first], "weight_decay": weight_decay, "lr": lr * first_lr_factor},
            {"params": rest},
        ]
        return torch.optim.SGD(groups, lr=lr, momentum=momentum)

    return build

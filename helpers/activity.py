"""Which filters of a convolution fire, and whether that lets them learn.

A filter followed by a ReLU passes gradient only where its pre-activation
``z_k[i, j] = c_k + sum_{a, b} g_k[a, b] f[i + a, j + b]`` is positive. Its **activity** is
the fraction of positions (images x rows x columns of the valid output) where it is. The
gradient of its weights is ``sum over those positions of delta_k[i, j] * patch[i, j]``
(notebook 05), so positions where the image patch is black (zero) teach the weights nothing
either: the **ink activity** is the share of the input's brightness (each position weighted by
the sum of its patch) that falls on positions where the filter is on. A filter with an
activity near zero, or an ink activity near zero, barely moves under gradient descent.

On images whose pixels are never negative, write a patch as its mean brightness ``m`` plus a
pattern of mean zero: the response is ``c_k + m * sum(g_k) + (the filter's match with the
pattern)``. It is its bias ``c_k`` on a black background and about ``c_k + sum(g_k)`` on a
patch full of ink (:func:`uniform_response`): with a negative bias and a negative sum, only a
pattern that puts ink on the positive taps can switch the ReLU on, and the filter barely fires.

Typical use (notebooks 05 and 06)::

    before = activity.layer_activity(model, probe)          # at initialization
    training.train(model, data, ...)
    table = activity.compare(initial_model, model, probe)   # per filter, before and after
    print(table)                                            # one row per filter
    table.dead_before, table.dead_after                     # nearly-dead filters (boolean)

Everything works on a model's layer (``layer_activity``, ``compare``, :class:`ActivityRecorder`,
a training hook) or on a weight and a bias directly (:func:`activity`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from helpers.validation import as_number

DEAD_THRESHOLD = 0.05
"""A filter is called nearly dead when its ReLU is on at fewer than this fraction of positions."""

ArrayLike = np.ndarray | torch.Tensor


def _as_tensor(x: ArrayLike | float, name: str) -> torch.Tensor:
    """``x`` as a float tensor (float64 stays float64, anything else real becomes float32)."""
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.is_complex():
            raise TypeError(f"{name} must be a real numeric array, got {x.dtype}")
    else:
        array = np.asarray(x)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be a real numeric array, got dtype {array.dtype}")
        x = torch.from_numpy(np.ascontiguousarray(array))
    return x.to(torch.float64 if x.dtype == torch.float64 else torch.float32)


def _weight_bias_images(
    weight: ArrayLike, bias: ArrayLike | None, images: ArrayLike
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The weight as (out, in, kh, kw), the bias as (out,), the images as (n, in, H, W)."""
    w = _as_tensor(weight, "weight")
    x = _as_tensor(images, "images")
    if w.ndim == 3:
        w = w.unsqueeze(1)
    if w.ndim != 4 or 0 in w.shape:
        raise ValueError(
            f"weight must have shape (out, kh, kw) or (out, in, kh, kw), got {tuple(w.shape)}"
        )
    if x.ndim == 3:
        x = x.unsqueeze(1)
    if x.ndim != 4 or x.shape[1] != w.shape[1] or len(x) == 0:
        raise ValueError(
            f"images must have shape (n, H, W) or (n, {w.shape[1]}, H, W) with n >= 1, to "
            f"match a weight with {w.shape[1]} input channels; got {tuple(x.shape)}"
        )
    if x.shape[2] < w.shape[2] or x.shape[3] < w.shape[3]:
        raise ValueError(
            f"images ({x.shape[2]} x {x.shape[3]}) must be at least as large as the filters "
            f"({w.shape[2]} x {w.shape[3]})"
        )
    b = torch.zeros(len(w)) if bias is None else _as_tensor(bias, "bias").reshape(-1)
    if len(b) != len(w):
        raise ValueError(f"bias must hold one value per filter ({len(w)}), got {len(b)}")
    dtype = torch.promote_types(torch.promote_types(w.dtype, x.dtype), b.dtype)
    if not (torch.isfinite(w).all() and torch.isfinite(b).all() and torch.isfinite(x).all()):
        raise ValueError("weight, bias and images must be finite (no NaN or infinity)")
    return w.to(dtype), b.to(dtype), x.to(dtype)


@torch.no_grad()
def activity(
    weight: ArrayLike,
    bias: ArrayLike | None,
    images: ArrayLike,
    batch_size: int = 500,
) -> dict[str, np.ndarray]:
    """Activity and ink activity of each filter of a convolution (valid, stride 1) on images.

    Parameters
    ----------
    weight : array (out, kh, kw) or (out, in, kh, kw)
        The filters, as in PyTorch (a cross-correlation).
    bias : array (out,) or None
        The bias of each filter (None: zero).
    images : array (n, H, W) or (n, in, H, W)
        The images the filters see. Ink activity assumes non-negative pixels.
    batch_size : int
        Images convolved at once (memory only; the result does not depend on it).

    Returns
    -------
    dict of arrays of shape (out,), float64
        ``activity``: fraction of the n x (H - kh + 1) x (W - kw + 1) positions where
        ``z > 0``, the ReLU is on. ``ink_activity``: the same positions, each weighted by the
        sum of the image patch under the filter (over its input channels),
        ``sum_on patch_sum / sum_all patch_sum`` (0 when the images are all black).
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    w, b, x = _weight_bias_images(weight, bias, images)
    ones = torch.ones((1, w.shape[1], w.shape[2], w.shape[3]), dtype=w.dtype)
    counted = torch.zeros((len(w), 2), dtype=torch.float64)  # per filter: positions on, ink on
    ink = torch.zeros((), dtype=torch.float64)
    positions = 0
    for start in range(0, len(x), batch_size):
        part = x[start : start + batch_size]
        positive = (F.conv2d(part, w, b) > 0).flatten(2).to(w.dtype)  # (n, out, H' W')
        patch_sums = F.conv2d(part, ones).flatten(2)  # (n, 1, H' W'): brightness under each
        weights = torch.cat([torch.ones_like(patch_sums), patch_sums], dim=1).transpose(1, 2)
        counted += torch.bmm(positive, weights).sum(dim=0, dtype=torch.float64)  # (out, 2)
        ink += patch_sums.sum(dtype=torch.float64)
        positions += positive[:, 0].numel()
    on, ink_on = counted[:, 0], counted[:, 1]
    share = ink_on / ink if ink > 0 else torch.zeros_like(ink_on)
    return {"activity": (on / positions).numpy(), "ink_activity": share.numpy()}


def _layer(model: nn.Module, layer: str) -> nn.Module:
    conv = getattr(model, layer, None)
    if conv is None or not hasattr(conv, "weight"):
        raise ValueError(f"model has no convolution layer named {layer!r}")
    return conv


def layer_activity(
    model: nn.Module, images: ArrayLike, layer: str = "conv1"
) -> dict[str, np.ndarray]:
    """:func:`activity` of the filters of ``model.<layer>`` (its weight and bias) on ``images``.

    Reads ``.weight``, so a parametrized layer is measured as it computes.
    """
    conv = _layer(model, layer)
    return activity(conv.weight, getattr(conv, "bias", None), images)


def uniform_response(weight: ArrayLike, bias: ArrayLike | None, level: float) -> np.ndarray:
    """Each filter's pre-activation on a uniform image of brightness ``level``: bias + level * sum.

    On a digit, ``level = 0`` is the background and ``level = 1`` a patch full of ink: a
    filter with ``bias < 0`` and ``bias + sum(g) < 0`` is off on both, and fires only where a
    pattern of ink matches its positive taps.
    """
    w = _as_tensor(weight, "weight")
    if w.ndim < 2 or 0 in w.shape:
        raise ValueError(
            f"weight must have shape (out, ...) with one filter or more, got {tuple(w.shape)}"
        )
    b = torch.zeros(len(w)) if bias is None else _as_tensor(bias, "bias").reshape(-1)
    if len(b) != len(w):
        raise ValueError(f"bias must hold one value per filter ({len(w)}), got {len(b)}")
    level = as_number(level, "level")
    sums = w.reshape(len(w), -1).to(torch.float64).sum(dim=1)
    response = (b.to(torch.float64) + level * sums).numpy()
    if not np.all(np.isfinite(response)):
        raise ValueError(
            "weight and bias must be finite, and small enough that bias + level * sum is finite"
        )
    return response


def relative_move(initial: ArrayLike, final: ArrayLike) -> np.ndarray:
    """How far each filter moved, relative to its initial norm: |g - g_init| / |g_init|.

    Raises ValueError when an initial filter has norm 0, for which the ratio is undefined.
    """
    a = _as_tensor(initial, "initial").to(torch.float64)
    b = _as_tensor(final, "final").to(torch.float64)
    if a.shape != b.shape or a.ndim < 2:
        raise ValueError(
            f"initial and final must be weights of one shape (out, ...), got "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
        raise ValueError("initial and final must be finite (no NaN or infinity)")
    start = a.reshape(len(a), -1)
    initial_norms = torch.linalg.norm(start, dim=1)
    if not (initial_norms > 0).all():
        zero = torch.nonzero(~(initial_norms > 0)).flatten().tolist()
        raise ValueError(
            f"initial filters {zero} have norm 0 (or too small to measure): a move relative to "
            "their norm is undefined"
        )
    return (torch.linalg.norm(b.reshape(len(b), -1) - start, dim=1) / initial_norms).numpy()


@dataclass(frozen=True)
class ActivityTable:
    """One layer's filters before and after training: sums, biases, activities, moves.

    Every attribute is an array with one entry per filter. Made by :func:`compare`.
    """

    sum_before: np.ndarray
    bias_before: np.ndarray
    activity_before: np.ndarray
    ink_activity_before: np.ndarray
    sum_after: np.ndarray
    bias_after: np.ndarray
    activity_after: np.ndarray
    ink_activity_after: np.ndarray
    moved: np.ndarray
    """|g - g_init| / |g_init| for each filter."""
    threshold: float = DEAD_THRESHOLD

    @property
    def dead_before(self) -> np.ndarray:
        """Filters whose ReLU was on at fewer than ``threshold`` of positions at the start."""
        return self.activity_before < self.threshold

    @property
    def dead_after(self) -> np.ndarray:
        """Filters whose ReLU is on at fewer than ``threshold`` of positions at the end."""
        return self.activity_after < self.threshold

    def __len__(self) -> int:
        return len(self.moved)

    def __str__(self) -> str:
        head = f"{'sum':>6} {'bias':>6} {'activity':>9} {'ink activity':>13}"
        lines = [f" k {head}  -> {head} {'moved':>7}"]
        for k in range(len(self)):
            lines.append(
                f"{k:2d} {self.sum_before[k]:6.2f} {self.bias_before[k]:6.2f} "
                f"{self.activity_before[k]:9.3f} {self.ink_activity_before[k]:13.3f}  -> "
                f"{self.sum_after[k]:6.2f} {self.bias_after[k]:6.2f} "
                f"{self.activity_after[k]:9.3f} {self.ink_activity_after[k]:13.3f} "
                f"{self.moved[k]:7.2f}"
            )
        return "\n".join(lines)


def _sums_and_bias(conv: nn.Module) -> tuple[np.ndarray, np.ndarray]:
    weight = conv.weight.detach().to(torch.float64)
    bias = getattr(conv, "bias", None)
    bias = torch.zeros(len(weight)) if bias is None else bias.detach().to(torch.float64)
    return weight.reshape(len(weight), -1).sum(dim=1).numpy(), bias.numpy()


def compare(
    initial: nn.Module,
    trained: nn.Module,
    images: ArrayLike,
    layer: str = "conv1",
    threshold: float = DEAD_THRESHOLD,
) -> ActivityTable:
    """The filters of ``layer`` in two models (before and after training), side by side.

    Parameters
    ----------
    initial, trained : nn.Module
        The same network at initialization (a ``copy.deepcopy`` taken before training) and
        after training.
    images : array (n, H, W) or (n, in, H, W)
        Probe images, non-negative (for example a few hundred training images).
    layer : str
        The convolution's attribute name.
    threshold : float
        Activity below which a filter counts as nearly dead.
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be a fraction in (0, 1), got {threshold!r}")
    first, last = _layer(initial, layer), _layer(trained, layer)
    if first.weight.shape != last.weight.shape:
        raise ValueError(
            f"initial and trained {layer} weights differ in shape: "
            f"{tuple(first.weight.shape)} and {tuple(last.weight.shape)}"
        )
    before, after = layer_activity(initial, images, layer), layer_activity(trained, images, layer)
    sum_before, bias_before = _sums_and_bias(first)
    sum_after, bias_after = _sums_and_bias(last)
    return ActivityTable(
        sum_before=sum_before,
        bias_before=bias_before,
        activity_before=before["activity"],
        ink_activity_before=before["ink_activity"],
        sum_after=sum_after,
        bias_after=bias_after,
        activity_after=after["activity"],
        ink_activity_after=after["ink_activity"],
        moved=relative_move(first.weight, last.weight),
        threshold=threshold,
    )


@dataclass
class ActivityRecorder:
    """A training hook that measures a layer's activity on fixed probe images every few steps.

    Pass it in ``after_step`` of :func:`helpers.training.train`; call :meth:`record` once
    before training for step 0.

    Parameters
    ----------
    images : array (n, H, W) or (n, in, H, W)
        Probe images (a few hundred keep it cheap).
    layer : str
        The convolution's attribute name.
    every : int
        Measure when ``step`` is a multiple of ``every``.

    Attributes
    ----------
    steps : ndarray (T,)
    activity, ink_activity : ndarray (T, out)
    """

    images: ArrayLike
    layer: str = "conv1"
    every: int = 10
    _steps: list[int] = field(default_factory=list, repr=False)
    _activity: list[np.ndarray] = field(default_factory=list, repr=False)
    _ink: list[np.ndarray] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.every, int) or self.every < 1:
            raise ValueError(f"every must be a positive integer, got {self.every!r}")

    def record(self, model: nn.Module, step: int = 0) -> None:
        """Measure now, labelled with ``step``."""
        measured = layer_activity(model, self.images, self.layer)
        self._steps.append(int(step))
        self._activity.append(measured["activity"])
        self._ink.append(measured["ink_activity"])

    def __call__(self, model: nn.Module, step: int) -> None:
        if step % self.every == 0:
            self.record(model, step)

    @property
    def steps(self) -> np.ndarray:
        return np.array(self._steps, dtype=np.int64)

    @property
    def activity(self) -> np.ndarray:
        return np.stack(self._activity) if self._activity else np.zeros((0, 0))

    @property
    def ink_activity(self) -> np.ndarray:
        return np.stack(self._ink) if self._ink else np.zeros((0, 0))


def plot_study(tables: list[ActivityTable] | tuple[ActivityTable, ...]):
    """Two panels over every filter of every table (one table per seed, say).

    Left: each filter's initial sum against its initial bias, coloured by its initial
    activity; nearly-dead filters ringed; a dashed line where bias + sum = 0. Right: initial
    ink activity against how far the filter moved (relative to its initial norm). Legends sit
    under the panels, off the points. Returns the Figure; show it with
    :func:`helpers.plotting.show_figure`.
    """
    import matplotlib.pyplot as plt

    if not tables:
        raise ValueError("tables must hold at least one ActivityTable")

    def pooled(name: str) -> np.ndarray:
        return np.concatenate([np.asarray(getattr(table, name)) for table in tables])

    dead = pooled("dead_before")
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.9))
    points = left.scatter(
        pooled("sum_before"),
        pooled("bias_before"),
        c=pooled("activity_before"),
        cmap="viridis",
        vmin=0,
        vmax=1,
        s=28,
        edgecolors="none",
    )
    left.scatter(
        pooled("sum_before")[dead],
        pooled("bias_before")[dead],
        s=90,
        facecolors="none",
        edgecolors="crimson",
        linewidths=1.4,
        label=f"nearly dead (active < {tables[0].threshold:g})",
    )
    left.axhline(0, color="k", lw=0.6)
    left.axvline(0, color="k", lw=0.6)
    left.axline(
        (0, 0),
        slope=-1,
        color="k",
        ls="--",
        lw=0.8,
        label="bias + sum = 0 (left of it, a patch full of ink gives z < 0)",
    )
    left.set(
        xlabel="initial sum of the filter",
        ylabel="initial bias",
        title="at initialization: where each filter starts",
    )
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    fig.colorbar(points, ax=left, label="fraction of positions active")
    right.scatter(
        pooled("ink_activity_before")[~dead],
        pooled("moved")[~dead],
        s=24,
        c="0.3",
        label="the others",
    )
    right.scatter(
        pooled("ink_activity_before")[dead],
        pooled("moved")[dead],
        s=60,
        facecolors="none",
        edgecolors="crimson",
        linewidths=1.4,
        label="nearly dead",
    )
    right.set(
        xlabel="initial ink activity",
        ylabel="distance moved / initial norm",
        title="after training: how far each filter moved",
    )
    right.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    return fig

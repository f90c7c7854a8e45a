"""Train a small CNN on the CPU, fast and reproducibly, and watch its first-layer filters.

:func:`train` runs plain minibatch training with cross-entropy. After every
``optimizer.step()`` it calls the ``after_step`` hooks, ``hook(model, step)``, in order (this
is where notebook 06 puts its normalizations), and then the :class:`FilterRecorder`, which
keeps a copy of one layer's filters and their sums, L2 norms and DC gains at chosen steps.
It returns a :class:`History` of the loss and accuracies, ready to plot.

The order inside one step is: forward, loss, backward, ``optimizer.step()``, every hook of
``after_step``, then the recorder, so the recorder sees the weights the hooks left.
"""

from __future__ import annotations

import functools
import math
import numbers
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from helpers.cnn import first_layer_filters
from helpers.validation import as_numeric_array

Hook = Callable[[nn.Module, int], None]
"""A function called as ``hook(model, step)`` after optimizer step number ``step`` (1, 2, ...)."""

Data = tuple[np.ndarray | torch.Tensor, np.ndarray | torch.Tensor]
"""Images (n, 28, 28) or (n, 1, 28, 28) and integer labels (n,)."""

sgd_momentum = functools.partial(torch.optim.SGD, momentum=0.9)
"""The default optimizer factory: SGD, momentum 0.9; called as ``sgd_momentum(params, lr=lr)``."""


def filter_statistics(weight: np.ndarray | torch.Tensor) -> dict[str, np.ndarray]:
    """Sum, L2 norm and DC gain of each output filter of a convolution weight.

    Parameters
    ----------
    weight : array of shape (out, height, width) or (out, in, height, width)
        Real and finite; a tensor is detached.

    Returns
    -------
    dict with ``sums``, ``norms`` and ``dc_gains``, each of shape (out,), float64.
    The DC gain is the 2-D DFT of the filter at frequency (0, 0), taken over the spatial axes
    and added over the input channels; it equals the sum up to rounding, which is the point.
    Each filter is scaled by a power of two (exact) before the sums and squares, so huge and
    tiny filters neither overflow nor underflow on the way.

    Raises
    ------
    ValueError
        For a wrong number of axes, an empty weight, NaN or infinity, or a statistic too large
        for float64.
    TypeError
        For a complex or non-numeric weight.
    """
    w = as_numeric_array(weight.detach() if isinstance(weight, torch.Tensor) else weight, "weight")
    if w.ndim not in (3, 4):
        raise ValueError(f"weight must be 3-D or 4-D (out, [in,] height, width), got {w.shape}")
    if w.size == 0:
        raise ValueError(f"weight must not be empty, got shape {w.shape}")
    w = w.astype(float)
    if not np.isfinite(w).all():
        raise ValueError("weight holds NaN or infinite values")
    flat = w.reshape(len(w), -1)
    exponent = np.frexp(np.abs(flat).max(axis=1))[1]
    scaled = np.ldexp(w, -exponent.reshape((-1,) + (1,) * (w.ndim - 1)))
    scaled_flat = scaled.reshape(len(w), -1)
    dc = np.fft.fft2(scaled)[..., 0, 0].real.reshape(len(w), -1).sum(axis=1)
    statistics = {
        "sums": scaled_flat.sum(axis=1),
        "norms": np.linalg.norm(scaled_flat, axis=1),
        "dc_gains": dc,
    }
    with np.errstate(over="ignore"):
        statistics = {name: np.ldexp(value, exponent) for name, value in statistics.items()}
    for name, value in statistics.items():
        if not np.isfinite(value).all():
            raise ValueError(
                f"the {name} of this weight overflow float64: its entries are too large"
            )
    return statistics


@dataclass
class FilterRecorder:
    """Keeps one layer's filters, and each filter's sum, L2 norm and DC gain, over training.

    :func:`train` records step 0 (the initialization) and the last step, and calls the
    recorder after every step, which records when ``step`` is a multiple of ``every``.
    It reads ``getattr(model, layer).weight``, so a parametrized layer is seen as it computes.

    Parameters
    ----------
    layer : str
        Attribute name of the convolution in the model.
    every : int
        Record every ``every`` optimizer steps.

    Attributes
    ----------
    steps : ndarray (T,)
        The steps recorded.
    weights : ndarray (T, out, height, width) or (T, out, in, height, width)
        Copies of the filters (the channel axis dropped when there is one channel).
    sums, norms, dc_gains : ndarray (T, out)
        Per-filter statistics, see :func:`filter_statistics`.
    """

    layer: str = "conv1"
    every: int = 10
    _steps: list[int] = field(default_factory=list, repr=False)
    _weights: list[np.ndarray] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.every = positive_integer(self.every, "every")

    def clear(self) -> None:
        """Forget every record, so that the recorder can watch a new run."""
        self._steps.clear()
        self._weights.clear()

    def record(self, model: nn.Module, step: int) -> None:
        """Record the filters of ``model`` now, labelled with ``step``."""
        self._steps.append(int(step))
        self._weights.append(first_layer_filters(model, self.layer).cpu().numpy())

    def __call__(self, model: nn.Module, step: int) -> None:
        """Record when ``step`` is a multiple of ``every`` (so the recorder is also a hook)."""
        if step % self.every == 0:
            self.record(model, step)

    @property
    def steps(self) -> np.ndarray:
        return np.array(self._steps, dtype=np.int64)

    @property
    def weights(self) -> np.ndarray:
        return np.stack(self._weights) if self._weights else np.zeros((0,))

    def _statistic(self, name: str) -> np.ndarray:
        if not self._weights:
            return np.zeros((0, 0))
        return np.stack([filter_statistics(w)[name] for w in self._weights])

    @property
    def sums(self) -> np.ndarray:
        return self._statistic("sums")

    @property
    def norms(self) -> np.ndarray:
        return self._statistic("norms")

    @property
    def dc_gains(self) -> np.ndarray:
        return self._statistic("dc_gains")


@dataclass
class History:
    """What :func:`train` measured.

    Attributes
    ----------
    loss : ndarray (steps,)
        Training loss of each minibatch.
    lr : ndarray (steps,)
        Learning rate of each step.
    epoch_loss, train_accuracy : ndarray (epochs,)
        Mean loss and accuracy over each epoch's minibatches (as the weights moved).
    test_accuracy : ndarray (epochs,)
        Accuracy on ``test_data`` after each epoch (empty without test data).
    seconds : float
        Wall time of the training (test evaluation included).
    images_per_second : float
        Training images processed per second of wall time.
    """

    loss: np.ndarray
    lr: np.ndarray
    epoch_loss: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    seconds: float
    images_per_second: float

    @property
    def steps(self) -> int:
        """Number of optimizer steps taken."""
        return len(self.loss)


def positive_integer(value: object, name: str) -> int:
    """``value`` as an int if it is a positive integer (numpy integers too), else a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def as_tensors(data: Data, name: str = "data") -> tuple[torch.Tensor, torch.Tensor]:
    """Images as float32 (n, 1, H, W) and labels as int64 (n,), checked.

    Raises ``ValueError`` (naming ``name``) for a wrong shape, NaN or infinite pixels, labels
    that are not integer class indices 0, 1, ..., or no image at all.
    """
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise ValueError(f"{name} must be a pair (images, labels), got {type(data).__name__}")
    images, labels = (
        part.detach() if torch.is_tensor(part) else torch.as_tensor(as_numeric_array(part, name))
        for part in data
    )
    if images.is_complex() or labels.is_complex():
        raise TypeError(f"{name}: complex images or labels are not supported")
    shape = tuple(images.shape)
    images = images.to(torch.float32)
    if images.ndim == 3:
        images = images.unsqueeze(1)
    if images.ndim != 4 or images.shape[1] != 1:
        raise ValueError(f"{name} images must have shape (n, H, W) or (n, 1, H, W), got {shape}")
    if labels.ndim != 1 or len(labels) != len(images) or labels.is_floating_point():
        raise ValueError(
            f"{name} labels must be integers of shape ({len(images)},), got {labels.dtype} "
            f"{tuple(labels.shape)}"
        )
    if len(images) == 0:
        raise ValueError(f"{name} must hold at least one image")
    if not bool(torch.isfinite(images).all()):
        raise ValueError(f"{name} images hold NaN or infinite values")
    if int(labels.min()) < 0:
        raise ValueError(
            f"{name} labels must be class indices 0, 1, ..., got {int(labels.min())} (a label "
            "of -100, torch's ignore_index, would leave nothing to learn from)"
        )
    return images.contiguous(), labels.to(torch.int64)


@contextmanager
def reproducible(threads: int) -> Iterator[None]:
    """Fix torch's thread count and ask for deterministic algorithms; restore both after."""
    old_threads = torch.get_num_threads()
    old_deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.set_num_threads(old_threads)
        torch.use_deterministic_algorithms(old_deterministic)


def _model_dtype(model: nn.Module) -> torch.dtype:
    """The floating dtype of the model's parameters (float32 unless it was converted)."""
    return next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)


@torch.no_grad()
def evaluate(model: nn.Module, data: Data, batch_size: int = 1000) -> tuple[float, float]:
    """Accuracy and mean cross-entropy of ``model`` on ``data`` (evaluated in eval mode)."""
    images, labels = as_tensors(data)
    images = images.to(_model_dtype(model))
    batch_size = positive_integer(batch_size, "batch_size")
    was_training = model.training
    model.eval()
    correct, loss = 0, 0.0
    try:
        for start in range(0, len(images), batch_size):
            logits = model(images[start : start + batch_size])
            batch = labels[start : start + batch_size]
            _check_classes(logits, batch, "data")
            correct += int((logits.argmax(1) == batch).sum())
            loss += float(F.cross_entropy(logits, batch, reduction="sum"))
    finally:
        model.train(was_training)
    return correct / len(images), loss / len(images)


def accuracy(model: nn.Module, data: Data, batch_size: int = 1000) -> float:
    """Fraction of ``data`` that ``model`` classifies correctly (evaluated in eval mode)."""
    return evaluate(model, data, batch_size)[0]


def _check_classes(logits: torch.Tensor, labels: torch.Tensor, name: str) -> None:
    if int(labels.max()) >= logits.shape[1]:
        raise ValueError(
            f"{name} labels must be below the model's {logits.shape[1]} classes, got "
            f"{int(labels.max())}"
        )


def _hooks(after_step: Hook | Sequence[Hook]) -> list[Hook]:
    """``after_step`` as a list of callables, or a clear error."""
    hooks = [after_step] if callable(after_step) else after_step
    if isinstance(hooks, str) or not isinstance(hooks, Sequence) or not all(map(callable, hooks)):
        raise TypeError(
            "after_step must be a hook called as hook(model, step), or a sequence of hooks, "
            f"got {type(after_step).__name__} {after_step!r}"
        )
    return list(hooks)


def train(
    model: nn.Module,
    data: Data,
    epochs: int = 8,
    lr: float = 0.05,
    batch_size: int = 128,
    seed: int = 0,
    schedule: Literal["constant", "cosine"] = "constant",
    optimizer: Callable[..., torch.optim.Optimizer] = sgd_momentum,
    after_step: Hook | Sequence[Hook] = (),
    recorder: FilterRecorder | None = None,
    test_data: Data | None = None,
    verbose: bool = False,
    threads: int = 1,
) -> History:
    """Train ``model`` on ``data`` with minibatch cross-entropy; hooks run after every step.

    Parameters
    ----------
    model : nn.Module
        Maps images (b, 1, H, W) to logits (b, classes). Trained in place, in the dtype of its
        parameters (the images are converted: ``model.double()`` trains in float64).
    data : (images, labels)
        Training images (n, H, W) or (n, 1, H, W) and integer labels (n,).
    epochs, lr, batch_size : int, float, int
        Passes over the data, learning rate, minibatch size (the last batch may be smaller).
    seed : int
        Seeds the shuffling. The model's initialization is the caller's (see ``make_cnn``).
        The same seed gives the same batches, in the same order, whatever the model.
    schedule : "constant" or "cosine"
        Keep ``lr`` throughout, or decay it along a half cosine from ``lr`` at the first
        step towards 0 after the last, which settles the weights in fewer epochs.
    optimizer : callable
        A factory called as ``optimizer(model.parameters(), lr=lr)`` after the model is
        final, for example ``torch.optim.Adam`` or ``functools.partial(torch.optim.SGD,
        momentum=0.9)`` (the default). Building the optimizer here, not before, means it
        always holds the model's current parameters (a parametrization registered earlier
        is trained, not bypassed).
    after_step : hook or sequence of hooks
        Called as ``hook(model, step)`` after each ``optimizer.step()``, in order, with
        ``step`` counting from 1. Use ``torch.no_grad()`` inside to edit weights.
    recorder : FilterRecorder, optional
        Records step 0, every ``recorder.every`` steps after the hooks, and the last step.
        It must be empty (a new recorder for each run).
    test_data : (images, labels), optional
        Evaluated after every epoch.
    verbose : bool
        Print one line per epoch (epoch, loss, accuracies, time), live in a notebook.
    threads : int
        torch threads while training (restored after); deterministic algorithms are switched
        on too, so the same seed gives the same weights on the same machine. One thread is
        the default because this network is small: on a 2-core machine shared with other
        jobs, two threads trained 10 times slower than one (their OpenMP workers wait for
        each other); on an idle machine, ``threads=2`` may be faster.

    Returns
    -------
    History

    Raises
    ------
    TypeError, ValueError
        For a bad argument (named in the message), checked before training starts; and
        ``ValueError`` as soon as the loss is NaN or infinite (training diverged).
    """
    if isinstance(optimizer, torch.optim.Optimizer) or not callable(optimizer):
        raise TypeError(
            "optimizer must be a factory such as torch.optim.SGD, called as "
            f"optimizer(params, lr=lr), not {type(optimizer).__name__}"
        )
    epochs = positive_integer(epochs, "epochs")
    batch_size = positive_integer(batch_size, "batch_size")
    threads = positive_integer(threads, "threads")
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"lr must be a number, got {type(lr).__name__} {lr!r}")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be finite and positive, got {lr}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer (it fixes the shuffles), got {seed!r}")
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"schedule must be 'constant' or 'cosine', got {schedule!r}")
    hooks = _hooks(after_step)
    if recorder is not None and not isinstance(recorder, FilterRecorder):
        raise TypeError(f"recorder must be a FilterRecorder, got {type(recorder).__name__}")
    if recorder is not None and recorder.steps.size:
        raise ValueError(
            f"recorder already holds {recorder.steps.size} records of another run: pass a new "
            "FilterRecorder, or call recorder.clear() first"
        )
    images, labels = as_tensors(data)
    images = images.to(_model_dtype(model))  # float32, or float64 for a model made .double()
    if test_data is not None:  # checked now, not after the first epoch
        test_images = as_tensors(test_data, "test_data")[0]
        if test_images.shape[1:] != images.shape[1:]:
            raise ValueError(
                f"test_data images must have the training images' shape "
                f"{tuple(images.shape[1:])}, got {tuple(test_images.shape[1:])}"
            )
    generator = torch.Generator().manual_seed(int(seed))
    total = epochs * math.ceil(len(images) / batch_size)
    losses: list[torch.Tensor] = []
    rates: list[float] = []
    epoch_loss, train_accuracy, test_accuracy = [], [], []
    step = 0
    start = time.perf_counter()
    with reproducible(threads):
        opt = optimizer(model.parameters(), lr=lr)
        model.train()
        if recorder is not None:
            recorder.record(model, 0)
        for epoch in range(1, epochs + 1):
            order = torch.randperm(len(images), generator=generator)
            first = len(losses)
            correct = torch.zeros((), dtype=torch.int64)
            for begin in range(0, len(images), batch_size):
                batch = order[begin : begin + batch_size]
                x, y = images[batch], labels[batch]
                if schedule == "cosine":
                    for group in opt.param_groups:
                        group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / total))
                rates.append(opt.param_groups[0]["lr"])
                logits = model(x)
                if step == 0:
                    _check_classes(logits, labels, "data")
                loss = F.cross_entropy(logits, y)
                if not bool(torch.isfinite(loss)):
                    raise ValueError(
                        f"the loss became {float(loss.detach())} at step {step + 1} (epoch "
                        f"{epoch}): training diverged; try a smaller lr (got {lr})"
                    )
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                step += 1
                for hook in hooks:
                    hook(model, step)
                if recorder is not None:
                    recorder(model, step)
                losses.append(loss.detach())
                correct += (logits.detach().argmax(1) == y).sum()
            epoch_loss.append(float(torch.stack(losses[first:]).mean()))
            train_accuracy.append(int(correct) / len(images))
            if test_data is not None:
                test_accuracy.append(accuracy(model, test_data))
                model.train()
            if verbose:
                line = (
                    f"epoch {epoch}/{epochs}  loss {epoch_loss[-1]:.4f}  "
                    f"train accuracy {train_accuracy[-1]:.2%}"
                )
                if test_accuracy:
                    line += f"  test accuracy {test_accuracy[-1]:.2%}"
                print(f"{line}  ({time.perf_counter() - start:.1f} s)", flush=True)
        if recorder is not None and (not recorder.steps.size or recorder.steps[-1] != step):
            recorder.record(model, step)
    seconds = time.perf_counter() - start
    return History(
        loss=torch.stack(losses).numpy() if losses else np.zeros(0),
        lr=np.array(rates),
        epoch_loss=np.array(epoch_loss),
        train_accuracy=np.array(train_accuracy),
        test_accuracy=np.array(test_accuracy),
        seconds=seconds,
        images_per_second=epochs * len(images) / seconds,
    )

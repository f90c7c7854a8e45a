"""What the small CNN is fed: digits raw, ZCA-whitened or homomorphic-filtered, lit evenly or not.

An **input pipeline** maps digit images (white strokes on black, as in notebook 05) to the
network's input: a fixed transformation (none, a ZCA whitening, a homomorphic filter) followed
by a standardization per data set whose mean and standard deviation are measured on the
transformed training images. :func:`train_seeds` trains one network per seed on a pipeline's
training images; every pipeline gets, for a given seed, the same initial weights
(``make_cnn(seed)``) and the same order of batches, so differences between pipelines are
paired.

**Digits under uneven light.** Think of a digit printed in dark ink on white paper and
photographed: the page's reflectance is ``r = 1 - INK d`` (paper 1, ink ``1 - INK``), the camera
sees ``p = L r`` under a light ``L`` that varies slowly across the page, and inverting the page
back to white-on-black gives the network's input

    x = (1 - p) / INK = L d + (1 - L) / INK,

which is the digit ``d`` itself under even light (``L = 1``). Under uneven light the strokes are
dimmed by ``L`` and a grey veil ``(1 - L) / INK`` covers the dark side: a multiplicative and an
additive change at once. :func:`light_fields` draws such lights, :func:`under_light` applies
them, and :func:`homomorphic_digits` undoes them the homomorphic way (filter ``log p``, take
the exponential) with a kernel whose sum, ``gamma_low``, is zero by default: blind to any
constant in ``log p``, that is to the light's strength.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from matplotlib.figure import Figure
from scipy import ndimage

from helpers.cnn import SmallCNN, make_cnn
from helpers.homomorphic import high_emphasis_kernel
from helpers.plotting import show_image
from helpers.training import History, train
from helpers.validation import as_integer, as_number, as_numeric_array, check_memory
from helpers.whitening import Standardization, fit_standardization

INK = 0.9
"""How much light the ink absorbs: the page's reflectance is ``1 - INK`` under a full stroke."""

LOG_EPS = 1e-3
"""Added to a page before its logarithm (as in :func:`helpers.homomorphic.homomorphic_filter`)."""


def _stack(images: np.ndarray, name: str = "images") -> np.ndarray:
    array = as_numeric_array(images, name).astype(float)
    if array.ndim != 3 or array.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty stack (n, H, W), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite values only (found NaN or inf)")
    return array


# --------------------------------------------------------------------------- uneven light


def light_fields(
    ratios: Sequence[float] | np.ndarray,
    rng: np.random.Generator | None = None,
    size: int = 28,
    distance: float = 20.0,
    width: float = 12.0,
    angles: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Smooth lights, one per ratio: a spotlight off to one side over an ambient level.

    Light ``k`` is ``b + (1 - b) s / max(s)`` with ``s`` a Gaussian spot of standard deviation
    ``width`` pixels centred ``distance`` pixels from the image's centre, in the direction
    ``angles[k]`` (counter-clockwise from "to the right", drawn at random when omitted); the
    ambient level ``b`` is chosen so that the brightest pixel gets 1 and the darkest
    ``1 / ratios[k]``.

    Parameters
    ----------
    ratios : sequence of float
        Brightest over darkest pixel of each light, each >= 1 (1 is even light).
    rng : numpy Generator, optional
        Draws the directions when ``angles`` is omitted (``default_rng(0)`` if omitted too).
    size : int
        Side of the square images, at least 1.
    distance, width : float
        Where the spot sits (at most 1e6) and how wide it is (> 0), in pixels.
    angles : sequence of float, optional
        The direction of each spot, in radians.

    Returns
    -------
    ndarray, shape (len(ratios), size, size)
        Values in ``[1 / ratio, 1]``.
    """
    ratios = as_numeric_array(ratios, "ratios").astype(float)
    if ratios.ndim != 1 or not np.all(np.isfinite(ratios)) or np.any(ratios < 1):
        raise ValueError(f"ratios must be a 1-D sequence of finite numbers >= 1, got {ratios}")
    size = as_integer(size, "size", low=1)
    check_memory(5 * 8 * len(ratios) * float(size) ** 2, "the lights", "use a smaller size")
    distance = as_number(distance, "distance", low=0, high=1e6)
    width = as_number(width, "width", low=0, low_open=True)
    if angles is None:
        rng = np.random.default_rng(0) if rng is None else rng
        angles = rng.uniform(0, 2 * np.pi, len(ratios))
    angle = as_numeric_array(angles, "angles").astype(float)
    if angle.shape != ratios.shape or not np.all(np.isfinite(angle)):
        raise ValueError(f"angles must hold one finite angle per ratio, got {angle}")
    centre = (size - 1) / 2
    grid = np.arange(size) - centre
    rows = grid[None, :, None] + distance * np.sin(angle)[:, None, None]
    cols = grid[None, None, :] - distance * np.cos(angle)[:, None, None]
    # the spot over its brightest pixel, as exp(-(d^2 - min d^2) / (2 width^2)): exactly 1
    # there however narrow the spot (exp of each alone underflows to 0 / 0)
    excess = rows**2 + cols**2
    excess -= excess.min(axis=(1, 2), keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        spot = np.where(excess > 0, np.exp(-excess / width / width / 2), 1.0)
    lowest = spot.min(axis=(1, 2), keepdims=True)
    if np.any(1 / ratios[:, None, None] < lowest):
        raise ValueError(f"a ratio above {1 / lowest.max():.1f} needs a narrower or farther spot")
    with np.errstate(invalid="ignore", divide="ignore"):  # a flat spot: only ratio 1 is left
        ambient = np.where(lowest < 1, (1 / ratios[:, None, None] - lowest) / (1 - lowest), 1.0)
    return ambient + (1 - ambient) * spot


def under_light(digits: np.ndarray, light: np.ndarray) -> np.ndarray:
    """The network's view of digits photographed under ``light``: ``L d + (1 - L) / INK``.

    Parameters
    ----------
    digits : ndarray (n, H, W)
        White-on-black digits in [0, 1].
    light : ndarray (n, H, W) or (H, W)
        The light falling on each page, in (0, 1].
    """
    digits = _stack(digits, "digits")
    light = as_numeric_array(light, "light").astype(float)
    if light.shape not in (digits.shape, digits.shape[1:]):
        raise ValueError(f"light must have shape {digits.shape} or {digits.shape[1:]}")
    if not np.all((light > 0) & (light <= 1)):
        raise ValueError("light must hold values in (0, 1]")
    return light * digits + (1 - light) / INK


def pages(images: np.ndarray) -> np.ndarray:
    """The photographed pages behind network inputs: ``p = 1 - INK x`` (the inverse of the view)."""
    return 1 - INK * _stack(images)


# --------------------------------------------------------------------------- corrections


def _high_emphasis(
    stack: np.ndarray, cutoff: float, gamma_low: float, gamma_high: float
) -> np.ndarray:
    """Each image of ``stack`` filtered with the high-emphasis kernel, symmetric boundary.

    The kernel is ``gamma_high delta - (gamma_high - gamma_low) G`` with ``G`` a normalized
    Gaussian, the outer product of its row sums, so the blur runs as two 1-D passes.
    """
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high, max_size=min(stack.shape[1:]))
    filtered = gamma_high * stack
    if gamma_high != gamma_low:
        r = kernel.shape[0] // 2
        blur = -kernel / (gamma_high - gamma_low)
        blur[r, r] += gamma_high / (gamma_high - gamma_low)
        taps = blur.sum(axis=1)
        for axis in (1, 2):  # scipy's "reflect" repeats the edge pixel: a symmetric boundary
            stack = ndimage.correlate1d(stack, taps, axis=axis, mode="reflect")
        filtered = filtered - (gamma_high - gamma_low) * stack
    return filtered


def homomorphic_digits(
    images: np.ndarray, cutoff: float = 0.05, gamma_low: float = 0.0, gamma_high: float = 1.0
) -> np.ndarray:
    """Even out the light of digit images: filter ``log p`` of their pages, exponentiate, invert.

    Each page ``p = 1 - INK x`` becomes ``exp(h * log(LOG_EPS + p)) - LOG_EPS`` with ``h`` the
    high-emphasis kernel of :func:`helpers.homomorphic.high_emphasis_kernel` (symmetric
    boundary, as :func:`helpers.homomorphic.homomorphic_filter` does it one image at a time),
    and goes back to white-on-black by ``(1 - p) / INK``.

    With ``gamma_low = 0`` the kernel sums to zero, and the output does not change when the
    page is multiplied by a constant light ``L``, as long as ``LOG_EPS`` is negligible next to
    the darkest page value under that light, ``L (1 - INK)``.

    Parameters
    ----------
    images : ndarray (n, H, W)
        Network inputs: digits, lit evenly or not.
    cutoff, gamma_low, gamma_high : float
        The filter's D0 (cycles per pixel) and gains; the kernel sums to ``gamma_low``.

    Returns
    -------
    ndarray (n, H, W)
    """
    page = pages(images)
    if np.any(page <= -LOG_EPS):
        raise ValueError(f"images must be at most {1 / INK:.3f} (a page cannot be negative)")
    filtered = _high_emphasis(np.log(LOG_EPS + page), cutoff, gamma_low, gamma_high)
    return (1 - (np.exp(filtered) - LOG_EPS)) / INK


def high_pass_digits(
    images: np.ndarray, cutoff: float = 0.05, gamma_low: float = 0.0, gamma_high: float = 1.0
) -> np.ndarray:
    """The same kernel as :func:`homomorphic_digits`, applied linearly, without the logarithm.

    ``h * x`` for each image ``x``. Filtering the page instead gives the same up to a constant
    when the kernel sums to zero: ``h * (1 - INK x) = -INK (h * x)``. With ``gamma_low = 0`` it
    removes an added constant exactly and an added slow variation (the veil of uneven light)
    nearly, but it keeps the multiplication of the strokes by the light.
    """
    return _high_emphasis(_stack(images), cutoff, gamma_low, gamma_high)


# --------------------------------------------------------------------------- pipelines


@dataclass(frozen=True)
class Pipeline:
    """A transformation of the images, then a standardization fitted on the training images."""

    name: str
    transform: Callable[[np.ndarray], np.ndarray]
    scaler: Standardization

    def __call__(self, images: np.ndarray) -> np.ndarray:
        """Network inputs, float32 (n, H, W), for any images (training, test, lit)."""
        return self.scaler(self.transform(images)).astype(np.float32)


def fit_pipeline(
    name: str, transform: Callable[[np.ndarray], np.ndarray], train_images: np.ndarray
) -> Pipeline:
    """A :class:`Pipeline` whose standardization is measured on ``transform(train_images)``."""
    return Pipeline(name, transform, fit_standardization(transform(train_images)))


def identity(images: np.ndarray) -> np.ndarray:
    """No transformation (the raw pipeline)."""
    return np.asarray(images, dtype=float)


def train_seeds(
    pipeline: Pipeline,
    train_images: np.ndarray,
    labels: np.ndarray,
    seeds: Sequence[int],
    epochs: int = 3,
    batch_size: int = 64,
    lr: float = 0.05,
    schedule: Literal["constant", "cosine"] = "cosine",
) -> list[tuple[SmallCNN, History]]:
    """Train ``make_cnn(seed)`` on the pipeline's inputs, one network per seed.

    For a given seed every pipeline starts from the same weights and sees the same batches.
    The learning rate ``lr`` decays along a cosine over the epochs by default, or stays
    ``"constant"``.
    """
    inputs = pipeline(train_images)
    runs = []
    for seed in seeds:
        model = make_cnn(seed)
        history = train(
            model, (inputs, labels), epochs=epochs, batch_size=batch_size, lr=lr, seed=seed,
            schedule=schedule, threads=1,
        )  # fmt: skip
        runs.append((model, history))
    return runs


@torch.no_grad()
def correct(model: torch.nn.Module, inputs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Whether ``model`` classifies each input right: a boolean array (n,)."""
    model.eval()
    logits = model(torch.from_numpy(np.asarray(inputs, dtype=np.float32)))
    return (logits.argmax(1).numpy() == np.asarray(labels)).astype(bool)


# --------------------------------------------------------------------------- figures


def lighting_figure(
    rows: dict[str, np.ndarray], titles: Sequence[str], share: Sequence[Sequence[str]] = ()
) -> Figure:
    """A grid of digit images: one row per name (raw, lit, corrected ...), one column per image.

    Each row has its grey scale from its 1st to its 99th percentile; the rows named together in
    ``share`` (a sequence of groups of row names) have one scale for the whole group, so they
    can be compared.
    """
    columns = len(titles)
    group_of = {name: tuple(group) for group in share for name in group}
    figure = Figure(figsize=(0.8 * columns + 1.3, 0.85 * len(rows) + 0.3), layout="constrained")
    axes = figure.subplots(len(rows), columns, squeeze=False)
    for row, name in enumerate(rows):
        together = np.stack([rows[other][:columns] for other in group_of.get(name, (name,))])
        low, high = np.percentile(together, [1, 99])
        for k, ax in enumerate(axes[row]):
            show_image(ax, rows[name][k], titles[k] if row == 0 else None, vmin=low, vmax=high)
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    return figure


def accuracy_by_ratio_figure(
    ratios: np.ndarray, accuracy: dict[str, np.ndarray], figsize: tuple[float, float] = (7.6, 3.0)
) -> Figure:
    """Test accuracy against the light's ratio, one line per pipeline (mean and range of seeds).

    Parameters
    ----------
    ratios : ndarray (r,)
        The ratios tested.
    accuracy : dict
        ``{pipeline: array (seeds, r)}``.
    """
    figure = Figure(figsize=figsize, layout="constrained")
    ax = figure.subplots()
    styles = zip("osD^vPX", ["-", "--", "-.", ":"] * 2, strict=False)
    for (name, values), (marker, line) in zip(accuracy.items(), styles, strict=False):
        ax.fill_between(ratios, values.min(axis=0), values.max(axis=0), alpha=0.15)
        ax.plot(ratios, values.mean(axis=0), marker=marker, ls=line, label=name)
    ax.set_xscale("log", base=2)
    ax.set_xticks(ratios, [f"{r:g}" for r in ratios])
    ax.set_xlabel("light ratio, brightest / darkest pixel (1 = even light)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8)
    return figure

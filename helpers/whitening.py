"""Normalizing what goes into a network: standardization, and PCA and ZCA whitening of patches.

Standardization comes in two kinds, and they answer different questions:

- :func:`standardize` works **per image**: each image is shifted and scaled by its own mean
  and standard deviation, so every image has mean 0 and standard deviation 1 whatever its
  lighting and contrast. Nothing is fitted; a test image is treated the same way.
- :func:`fit_standardization` works **per data set**: one mean and one standard deviation
  (``per="dataset"``), or one per pixel position (``per="pixel"``), are measured on the
  training images and then applied unchanged to every image, training or test. Differences
  of brightness between images survive.

Whitening goes further: it removes the correlations between neighbouring pixels. Patches of
``h x w`` pixels are flattened to vectors ``p`` of length ``d = h w``; with their mean ``mu``
and covariance ``C = U diag(lambda) U^T``, a whitening matrix ``W`` makes ``W (p - mu)`` have
identity covariance. PCA whitening is ``W = diag(1/sqrt(lambda + eps)) U^T`` (rotate onto the
principal axes, then scale); ZCA whitening is ``W = U diag(1/sqrt(lambda + eps)) U^T``, the
symmetric one, which rotates back and so stays as close as possible to the input. Each row of
a ZCA matrix, reshaped to ``h x w``, is a filter; the central row applied at every pixel
(:func:`zca_image`) whitens a whole image by one correlation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.figure import Figure
from scipy import ndimage

from helpers.convolution import correlate
from helpers.plotting import annotate_values, show_image, show_signed, symmetric_limit
from helpers.validation import as_integer, as_number, as_numeric_array, as_shape

WHITENING_KINDS = ("pca", "zca")
STANDARDIZATION_KINDS = ("dataset", "pixel")


def _images(images: np.ndarray, name: str = "images") -> np.ndarray:
    """One 2-D image or a stack of them (n, H, W) as a float64 stack, checked."""
    array = as_numeric_array(images, name)
    if array.ndim not in (2, 3):
        raise ValueError(
            f"{name} must be one 2-D image or a 3-D stack (n, H, W), got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite values only (found NaN or inf)")
    return array if array.ndim == 3 else array[None]


def _scaled_moments(values: np.ndarray, axis) -> tuple[np.ndarray, ...]:
    """``values / scale``, its mean and its standard deviation along ``axis``, and ``scale``.

    ``scale`` is a power of two near the largest magnitude, so dividing by it is exact (the
    results are those of the plain formulas, to the last bit) and neither the sum nor the
    squares overflow or underflow. A constant set of values gets its own value as its mean,
    exactly, and a standard deviation of 0 (rounding would leave a tiny one, and +-1 after
    the division).
    """
    top = np.abs(values).max(axis=axis, keepdims=True)
    scale = np.ldexp(1.0, np.frexp(top)[1] - 1)  # at most the largest magnitude: finite
    scaled = values / scale
    low = scaled.min(axis=axis, keepdims=True)
    constant = low == scaled.max(axis=axis, keepdims=True)
    mean = np.where(constant, low, scaled.mean(axis=axis, keepdims=True))
    std = np.where(constant, 0.0, scaled.std(axis=axis, keepdims=True))
    return scaled, mean, std, scale


def standardize(images: np.ndarray, eps: float = 1e-8) -> np.ndarray:
    """Standardize each image by its own statistics: mean 0, standard deviation 1.

    Parameters
    ----------
    images : ndarray
        One image (H, W) or a stack (n, H, W).
    eps : float
        Added to each standard deviation (>= 0). A constant image becomes zeros whatever
        ``eps``: it is only centred.

    Returns
    -------
    ndarray
        The same shape as ``images``, float64.
    """
    eps = as_number(eps, "eps", low=0)
    stack = _images(images)
    scaled, mean, std, scale = _scaled_moments(stack, axis=(1, 2))
    with np.errstate(over="ignore"):  # eps / scale may overflow: the result is then 0
        result = (scaled - mean) / np.where(std > 0, std + eps / scale, 1.0)
    return result.reshape(np.shape(images))


@dataclass(frozen=True)
class Standardization:
    """Statistics measured on a training set, applied unchanged to any images.

    Attributes
    ----------
    mean, std : float or ndarray
        One number each (``per="dataset"``) or one per pixel position, shape (H, W)
        (``per="pixel"``). ``std`` is what the images are divided by: the standard deviation
        plus ``eps``, or 1 where the standard deviation is 0 (constant pixels are only
        centred, as scikit-learn's ``StandardScaler`` does).
    """

    mean: float | np.ndarray
    std: float | np.ndarray

    def __call__(self, images: np.ndarray) -> np.ndarray:
        """Subtract the training mean and divide by the training standard deviation."""
        stack = _images(images)
        if np.ndim(self.mean) == 2 and stack.shape[1:] != np.shape(self.mean):
            raise ValueError(
                f"images must be {np.shape(self.mean)} like the training images, "
                f"got {stack.shape[1:]}"
            )
        with np.errstate(over="ignore"):
            result = (stack - self.mean) / self.std
        if not np.isfinite(result).all():
            raise ValueError("the standardized images overflow float64: scale the images down")
        return result.reshape(np.shape(images))


def fit_standardization(
    images: np.ndarray, per: Literal["dataset", "pixel"] = "dataset", eps: float = 1e-8
) -> Standardization:
    """Measure the mean and standard deviation of a training set.

    Parameters
    ----------
    images : ndarray
        Training images, (n, H, W) (or one image).
    per : {"dataset", "pixel"}
        One mean and standard deviation over all pixels of all images, or one per pixel
        position over the images.
    eps : float
        Added to the standard deviation(s) (>= 0). Pixels constant over the training set
        (standard deviation 0) are only centred, whatever ``eps``.

    Returns
    -------
    Standardization
        Call it on training or test images.
    """
    if per not in STANDARDIZATION_KINDS:
        raise ValueError(f"per must be one of {STANDARDIZATION_KINDS}, got {per!r}")
    eps = as_number(eps, "eps", low=0)
    stack = _images(images)
    _, mean, std, scale = _scaled_moments(stack, axis=None if per == "dataset" else 0)
    mean, divisor = mean * scale, np.where(std > 0, std * scale + eps, 1.0)
    if per == "dataset":
        return Standardization(float(mean.item()), float(divisor.item()))
    return Standardization(mean[0], divisor[0])


def _patch_shape(size: int | tuple[int, int]) -> tuple[int, int]:
    return as_shape(size, "size", ndim=2)


def extract_patches(
    images: np.ndarray,
    size: int | tuple[int, int],
    count: int | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Cut ``size`` patches out of images and flatten each to a row.

    Parameters
    ----------
    images : ndarray
        One image (H, W) or a stack (n, H, W).
    size : int or (int, int)
        Patch height and width (an int for a square patch).
    count : int, optional
        How many patches to draw at random positions (with replacement); all patches at
        every position of every image when omitted.
    rng : numpy Generator, optional
        Where random positions come from; ``np.random.default_rng(0)`` when omitted.

    Returns
    -------
    ndarray
        Shape (number of patches, h * w), each row one patch read row by row.
    """
    stack = _images(images)
    h, w = _patch_shape(size)
    n, height, width = stack.shape
    if h > height or w > width:
        raise ValueError(f"size {(h, w)} is larger than the images ({height}, {width})")
    windows = np.lib.stride_tricks.sliding_window_view(stack, (h, w), axis=(1, 2))
    if count is None:
        return windows.reshape(-1, h * w).copy()
    count = as_integer(count, "count", low=1)
    rng = np.random.default_rng(0) if rng is None else rng
    which = rng.integers(0, n, count)
    rows = rng.integers(0, height - h + 1, count)
    cols = rng.integers(0, width - w + 1, count)
    return windows[which, rows, cols].reshape(count, h * w)


@dataclass(frozen=True)
class Whitening:
    """A whitening fitted on patches: ``transform(p) = (p - mean) @ matrix.T``.

    Attributes
    ----------
    kind : str
        "pca" or "zca".
    mean : ndarray, shape (d,)
        The mean patch.
    eigenvalues : ndarray, shape (d,)
        Eigenvalues of the patch covariance, largest first.
    eigenvectors : ndarray, shape (d, d)
        The matching unit eigenvectors, as columns.
    matrix : ndarray, shape (d, d)
        The whitening matrix W.
    eps : float
        Added to every eigenvalue before the inverse square root.
    patch_shape : (int, int)
        The (h, w) of the patches, so rows of W can be drawn as filters.
    """

    kind: str
    mean: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    matrix: np.ndarray
    eps: float
    patch_shape: tuple[int, int]

    def transform(self, patches: np.ndarray) -> np.ndarray:
        """Whiten patches given as rows, shape (m, d)."""
        patches = np.asarray(patches, dtype=float)
        if patches.ndim != 2 or patches.shape[1] != self.mean.size:
            raise ValueError(f"patches must have shape (m, {self.mean.size}), got {patches.shape}")
        return (patches - self.mean) @ self.matrix.T

    def filters(self) -> np.ndarray:
        """The rows of W reshaped to patches, shape (d, h, w): filter k gives output k."""
        return self.matrix.reshape(-1, *self.patch_shape)

    def central_filter(self) -> np.ndarray:
        """The filter that gives the whitened value of the patch's central pixel."""
        h, w = self.patch_shape
        if h % 2 == 0 or w % 2 == 0:
            raise ValueError(f"the patch needs odd sides to have a centre, got {(h, w)}")
        return self.filters()[(h // 2) * w + w // 2]


def covariance(patches: np.ndarray) -> np.ndarray:
    """The covariance of patches given as rows (normalized by m - 1, as ``np.cov``)."""
    centred = patches - patches.mean(axis=0)
    return centred.T @ centred / (patches.shape[0] - 1)


def _finite_covariance(patches: np.ndarray) -> np.ndarray:
    """The covariance of the patches; a ValueError, before LAPACK sees an inf, if it overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = covariance(patches)
    if not np.isfinite(result).all():
        raise ValueError(
            f"patches are too large: their covariance overflows float64 (largest magnitude "
            f"{np.abs(patches).max():.3g}); scale them down first"
        )
    return result


def fit_whitening(
    patches: np.ndarray,
    kind: Literal["pca", "zca"] = "zca",
    eps: float = 1e-2,
    patch_shape: tuple[int, int] | None = None,
) -> Whitening:
    """Fit a PCA or ZCA whitening on patches given as rows.

    Parameters
    ----------
    patches : ndarray, shape (m, d)
        One patch per row (see :func:`extract_patches`); at least two.
    kind : {"pca", "zca"}
        ``W = diag(1/sqrt(lambda + eps)) U^T`` (PCA) or ``U diag(1/sqrt(lambda + eps)) U^T``
        (ZCA, symmetric).
    eps : float
        Regularizer added to the eigenvalues; it keeps the gain of directions with almost
        no variance (noise) bounded. With ``eps = 0`` the covariance must be full rank.
    patch_shape : (int, int), optional
        The (h, w) of the patches; a square of side sqrt(d) when omitted.

    Returns
    -------
    Whitening
        Its ``transform`` gives patches whose covariance is the identity when ``eps = 0``
        (and ``lambda / (lambda + eps)`` on the principal axes otherwise).
    """
    if kind not in WHITENING_KINDS:
        raise ValueError(f"kind must be one of {WHITENING_KINDS}, got {kind!r}")
    eps = as_number(eps, "eps", low=0)
    patches = as_numeric_array(patches, "patches")
    if patches.ndim != 2:
        raise ValueError(f"patches must be 2-D (one patch per row), got shape {patches.shape}")
    if patches.shape[0] < 2 or patches.shape[1] < 1:
        raise ValueError(f"patches must hold at least 2 rows of 1 value, got {patches.shape}")
    patches = patches.astype(float)
    if not np.all(np.isfinite(patches)):
        raise ValueError("patches must hold finite values only (found NaN or inf)")
    d = patches.shape[1]
    if patch_shape is None:
        side = int(round(np.sqrt(d)))
        if side * side != d:
            raise ValueError(f"patches of length {d} are not square: give patch_shape")
        patch_shape = (side, side)
    patch_shape = as_shape(patch_shape, "patch_shape", ndim=2)
    if patch_shape[0] * patch_shape[1] != d:
        raise ValueError(f"patch_shape {patch_shape} does not hold {d} values")
    eigenvalues, eigenvectors = np.linalg.eigh(_finite_covariance(patches))
    eigenvalues, eigenvectors = eigenvalues[::-1].clip(min=0), eigenvectors[:, ::-1]
    if eps == 0 and eigenvalues[-1] <= 1e-12 * eigenvalues[0]:
        raise ValueError(
            "the patch covariance is singular (fewer independent patches than pixels, or "
            "constant pixels): use eps > 0"
        )
    scaled = eigenvectors / np.sqrt(eigenvalues + eps)
    matrix = scaled.T if kind == "pca" else scaled @ eigenvectors.T
    return Whitening(
        kind,
        patches.mean(axis=0),
        eigenvalues,
        eigenvectors,
        matrix,
        float(eps),
        (int(patch_shape[0]), int(patch_shape[1])),
    )


def zca_image(image: np.ndarray, whitening: Whitening, boundary: str = "symm") -> np.ndarray:
    """Whiten a whole image with a ZCA fitted on patches: one correlation with its central row.

    At every pixel whose patch lies inside the image, the result equals the central component
    of ``whitening.transform`` applied to the patch centred there.

    Parameters
    ----------
    image : ndarray
        A 2-D image.
    whitening : Whitening
        A ZCA whitening with an odd patch shape.
    boundary : str
        How ``helpers.convolution.correlate`` extends the image at its border.

    Returns
    -------
    ndarray
        The whitened image, the same shape as ``image``.
    """
    image = as_numeric_array(image, "image").astype(float)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got shape {image.shape}")
    if not np.isfinite(image).all():
        raise ValueError("image must hold finite values only (found NaN or inf)")
    if whitening.kind != "zca":
        raise ValueError(
            f"whitening must be a ZCA (one filter for every pixel), got {whitening.kind!r}"
        )
    kernel = whitening.central_filter()
    return (
        correlate(image, kernel, mode="same", boundary=boundary) - kernel.ravel() @ whitening.mean
    )


def zca_images(images: np.ndarray, whitening: Whitening) -> np.ndarray:
    """:func:`helpers.whitening.zca_image` for a stack of images, in one call."""
    if np.ndim(images) != 3:
        raise ValueError(f"images must be a stack (n, H, W), got shape {np.shape(images)}")
    images = _images(images)
    if whitening.kind != "zca":
        raise ValueError(f"whitening must be a ZCA, got {whitening.kind!r}")
    kernel = whitening.central_filter()
    # scipy's "reflect" repeats the edge pixel, like the symmetric boundary of zca_image
    return ndimage.correlate(images, kernel[None], mode="reflect") - kernel.ravel() @ whitening.mean


# --------------------------------------------------------------------------- epsilon


def epsilon_sweep(whitening: Whitening, eps_values: np.ndarray) -> dict[str, np.ndarray]:
    """What the regularizer ``eps`` does to a ZCA fitted on the same patches, for each value.

    Parameters
    ----------
    whitening : Whitening
        Any whitening fitted on the patches: only its eigenvalues, eigenvectors and patch
        shape are used (the ZCA matrix is rebuilt for each ``eps``).
    eps_values : array_like
        The values of ``eps`` to try, each >= 0.

    Returns
    -------
    dict of ndarray, one entry per ``eps``
        ``"damped"``: how many directions have variance below ``eps``;
        ``"condition"``: condition number of the whitened patches' covariance,
        ``max(lambda / (lambda + eps)) / min(lambda / (lambda + eps))`` (1 is perfectly white);
        ``"noise_gain"``: the largest gain of the central ZCA filter over all frequencies
        (how much it amplifies fine-grained noise); ``"dc_gain"``: its sum, the gain for the
        mean brightness.
    """
    eps_values = np.asarray(eps_values, dtype=float)
    if eps_values.ndim != 1 or not np.all(np.isfinite(eps_values)) or np.any(eps_values < 0):
        raise ValueError(f"eps_values must be a 1-D array of finite numbers >= 0, got {eps_values}")
    lam, vectors = whitening.eigenvalues, whitening.eigenvectors
    h, w = whitening.patch_shape
    centre = (h // 2) * w + w // 2
    names = ("damped", "condition", "noise_gain", "dc_gain")
    result: dict[str, list[float]] = {name: [] for name in names}
    for eps in eps_values:
        kept = lam / (lam + eps)
        central = ((vectors[centre] / np.sqrt(lam + eps)) @ vectors.T).reshape(h, w)
        response = np.abs(np.fft.fft2(central, (64, 64)))
        result["damped"].append(np.sum(lam < eps))
        result["condition"].append(kept.max() / kept.min())
        result["noise_gain"].append(response.max())
        result["dc_gain"].append(central.sum())
    return {name: np.array(values) for name, values in result.items()}


# --------------------------------------------------------------------------- figures


def standardization_figure(
    dim: np.ndarray, bright: np.ndarray, per_image: np.ndarray, per_dataset: np.ndarray
) -> Figure:
    """Two copies of a photo, what per-image standardization makes of both, and per data set.

    The copies share the 0 to 1 scale; each standardized result has a colorbar in its own
    units (standard deviations from the mean), the two per-data-set panels one for both.
    """
    figure = Figure(figsize=(9.8, 2.4), layout="constrained")
    axes = figure.subplots(1, 5)
    show_image(axes[0], dim, "darker copy", vmin=0, vmax=1)
    show_image(axes[1], bright, "brighter copy\n(both on a 0 to 1 scale)", vmin=0, vmax=1)
    im = show_image(axes[2], per_image, "per image:\nboth give this")
    figure.colorbar(im, ax=axes[2], shrink=0.8)
    limits = {"vmin": per_dataset.min(), "vmax": per_dataset.max()}
    show_image(axes[3], per_dataset[0], "per data set: darker", **limits)
    im = show_image(
        axes[4], per_dataset[1], "per data set: brighter\n(one scale for both)", **limits
    )
    figure.colorbar(im, ax=list(axes[3:]), shrink=0.8)
    return figure


def spectrum_figure(whitenings: dict[str, Whitening]) -> Figure:
    """Eigenvalue spectra of patch covariances, each divided by its largest eigenvalue."""
    figure = Figure(figsize=(5.2, 2.8), layout="constrained")
    ax = figure.subplots()
    for name, fitted in whitenings.items():
        ranks = np.arange(1, fitted.eigenvalues.size + 1)
        ax.semilogy(ranks, fitted.eigenvalues / fitted.eigenvalues[0], marker=".", label=name)
    ax.set_xlabel("rank k")
    ax.set_ylabel(r"$\lambda_k / \lambda_1$")
    ax.set_title("eigenvalue spectrum of the patch covariance")
    ax.legend()
    return figure


def filters_figure(
    pca: Whitening, zca: Whitening, pca_rows: Sequence[int], zca_rows: Sequence[int]
) -> Figure:
    """PCA's rows ``pca_rows`` (top) against ZCA's rows ``zca_rows`` (bottom), titled by index.

    Each row of panels shares one colour scale, centred on zero, with its colorbar, except
    PCA row 0: the constant patch has taps about twenty times smaller than the others' largest
    and would look blank on their scale, so it gets its own scale and its value in its title.
    A ZCA title names the pixel (row, column) that its filter whitens.
    """
    pca_rows, zca_rows = list(pca_rows), list(zca_rows)
    columns = max(len(pca_rows), len(zca_rows))
    figure = Figure(figsize=(1.5 * columns + 1.0, 3.6), layout="constrained")
    axes = figure.subplots(2, columns, squeeze=False)
    w = zca.patch_shape[1]
    for ax_row, filters, numbers, name in (
        (axes[0], pca.filters(), pca_rows, "PCA"),
        (axes[1], zca.filters(), zca_rows, "ZCA"),
    ):
        alone = name == "PCA" and 0 in numbers and len(numbers) > 1
        shared = [k for k in numbers if not (alone and k == 0)]
        limit = symmetric_limit(filters[shared])
        for ax, k in zip(ax_row, numbers, strict=False):
            title = f"{name} row {k}" if name == "PCA" else f"ZCA row {k}\npixel {divmod(k, w)}"
            if alone and k == 0:  # a constant: its value in the title, its own scale
                constant = f"every tap {filters[k].mean():+.3f}"
                show_signed(ax, filters[k], f"{title}, own scale:\n{constant}", colorbar=False)
                continue
            im = show_signed(ax, filters[k], title, colorbar=False, limit=limit)
        for ax in ax_row[len(numbers) :]:
            ax.set_visible(False)
        figure.colorbar(im, ax=[ax for ax in ax_row if ax.get_visible()], shrink=0.8)
    return figure


def central_filters_figure(zcas: dict[str, Whitening]) -> Figure:
    """The central ZCA filter of each whitening (annotated), then the row sums of the first."""
    first = next(iter(zcas.values()))
    figure = Figure(figsize=(3.2 * (len(zcas) + 1), 3.2), layout="constrained")
    axes = figure.subplots(1, len(zcas) + 1)
    for ax, (name, fitted) in zip(axes, zcas.items(), strict=False):
        g = fitted.central_filter()
        show_signed(ax, g, f"{name}: central ZCA filter\nsum {g.sum():.3f}", annotate=True)
    sums = first.matrix.sum(axis=1).reshape(first.patch_shape)
    im = axes[-1].imshow(sums, cmap="Blues", vmin=0, vmax=sums.max())
    annotate_values(axes[-1], sums, fmt="{:.2f}")
    axes[-1].set_title(f"{next(iter(zcas))}: sum of the filter\nthat whitens each pixel")
    axes[-1].set_xticks([])
    axes[-1].set_yticks([])
    figure.colorbar(im, ax=axes[-1], shrink=0.8)
    return figure


def whitened_image_figure(image: np.ndarray, whitened: np.ndarray) -> Figure:
    """A photo and its ZCA-whitened version (signed, centred on zero, 99th-percentile scale)."""
    figure = Figure(figsize=(4.8, 2.4), layout="constrained")
    axes = figure.subplots(1, 2)
    show_image(axes[0], image, "photo (full resolution crop)", vmin=0, vmax=1)
    limit = float(np.percentile(np.abs(whitened), 99))
    show_signed(axes[1], whitened, "ZCA-whitened (clipped at 99%)", limit=limit)
    return figure


def epsilon_figure(
    eps_values: np.ndarray,
    sweep: dict[str, np.ndarray],
    marked: tuple[float, ...] = (),
    marked_label: str = "",
) -> Figure:
    """Against eps: how white the patches get, and how much noise the filter amplifies.

    Dotted lines mark the values ``marked``, each labelled with its value; ``marked_label``
    says what they are (the figure's title).
    """
    figure = Figure(figsize=(8.4, 2.8), layout="constrained")
    axes = figure.subplots(1, 2)
    axes[0].loglog(eps_values, sweep["condition"], marker=".")
    axes[0].set_ylabel("condition number of the\nwhitened patches' covariance")
    axes[1].loglog(eps_values, sweep["noise_gain"], marker=".", label="largest gain (fine detail)")
    axes[1].loglog(eps_values, sweep["dc_gain"], marker=".", label="sum (mean brightness)")
    axes[1].set_ylabel("gain of the central filter")
    axes[1].legend()
    for ax in axes:
        ax.set_xlabel(r"$\varepsilon$")
        for eps in marked:
            ax.axvline(eps, color="gray", linestyle=":")
            ax.annotate(
                f"ε = {eps:g}", (eps, 1), xycoords=("data", "axes fraction"), xytext=(2, -10),
                textcoords="offset points", fontsize=8, color="0.3",
            )  # fmt: skip
    if marked_label:
        figure.suptitle(marked_label, fontsize=9)
    return figure

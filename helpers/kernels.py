"""The classic image kernels, what they sum to, and their frequency responses.

The sum of a kernel is its DC gain: the value of its discrete Fourier transform at zero
frequency. Since ``sum(f * g) = sum(f) * sum(g)``, a kernel that sums to one keeps the mean
brightness of an image and a kernel that sums to zero removes it.

The 3x3 kernels are written as they are used by cross-correlation (the way CNN layers and
most image tools apply them): ``sobel_x`` then responds positively where the image gets
brighter from left to right. Under convolution the kernel is flipped first, which changes
the sign of the antisymmetric ones (Sobel, emboss) and nothing for the symmetric ones.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.validation import as_number, as_real_array, as_shape, check_memory


def _check_size(size: int, name: str = "size", arrays: int = 1) -> int:
    """Return ``size`` as an int if it is an odd positive integer, else raise.

    ``arrays`` is how many ``size`` x ``size`` float64 arrays the kernel's construction holds
    at once: above ``helpers.validation.MEMORY_LIMIT_BYTES`` it is refused before it is built.
    """
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise TypeError(f"{name} must be an odd positive integer, got {size!r}")
    if size < 1 or size % 2 == 0:
        raise ValueError(f"{name} must be an odd positive integer, got {size}")
    check_memory(arrays * 8 * int(size) ** 2, f"a {size}x{size} kernel", f"use a smaller {name}")
    return int(size)


def identity(size: int = 3) -> np.ndarray:
    """A ``size`` x ``size`` kernel with a single 1 in the centre: convolving with it changes
    nothing. It is the discrete delta."""
    size = _check_size(size)
    g = np.zeros((size, size))
    g[size // 2, size // 2] = 1.0
    return g


def box(size: int = 3) -> np.ndarray:
    """The ``size`` x ``size`` moving average: every entry ``1 / size**2``, summing to one."""
    size = _check_size(size)
    return np.full((size, size), 1.0 / size**2)


def gaussian(size: int = 5, sigma: float = 1.0, normalize: bool = True) -> np.ndarray:
    """A Gaussian blur kernel sampled from the continuous 2-D density.

    Parameters
    ----------
    size : int
        Odd side length; the samples sit at integer row and column offsets ``a, b`` from
        ``-(size // 2)`` to ``size // 2``.
    sigma : float
        Standard deviation in pixels, positive.
    normalize : bool
        If True, divide by the sum so the kernel sums to one. If False, keep the sampled
        density values ``exp(-(a**2 + b**2) / (2 sigma**2)) / (2 pi sigma**2)``, which sum to
        *about* one when ``size`` covers several sigmas and the grid resolves the bump, and
        visibly not otherwise: a discrete Gaussian often, but not necessarily, sums to one.

    Returns
    -------
    ndarray of shape (size, size)
        For any positive ``sigma``: a ``sigma`` far below a pixel gives the identity, one far
        above the kernel's size the box (when normalized).

    Raises
    ------
    ValueError
        For ``normalize=False`` with a ``sigma`` so small that the density at the centre,
        ``1 / (2 pi sigma**2)``, exceeds the largest float64.
    """
    size = _check_size(size, arrays=6)
    sigma = as_number(sigma, "sigma", low=0, low_open=True)
    if not isinstance(normalize, bool | np.bool_):
        raise TypeError(f"normalize must be True or False, got {normalize!r}")
    offsets = np.arange(size) - size // 2
    a, b = np.meshgrid(offsets, offsets, indexing="ij")  # row and column offsets
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        variance = np.float64(sigma) ** 2  # a numpy float: inf, not OverflowError, past 1e154
        exponent = (a**2 + b**2) / (2 * variance)
        exponent[size // 2, size // 2] = 0.0  # the centre, even when 2 sigma**2 underflows to 0
        g = np.exp(-exponent)
        density = g / (2 * np.pi * variance)
    if normalize:  # the factor cancels; leave it out only where it overflows or underflows
        usable = np.isfinite(density).all() and density.max() >= np.finfo(float).tiny
        return density / density.sum() if usable else g / g.sum()
    if not np.isfinite(density).all():
        raise ValueError(
            f"sigma = {sigma!r} is too small for normalize=False: the density at the centre, "
            "1 / (2 pi sigma**2), exceeds the largest float64; use normalize=True"
        )
    return density


def sharpen() -> np.ndarray:
    """Identity plus a negative Laplacian: boosts edges and sums to one."""
    return np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])


def sobel_x() -> np.ndarray:
    """Horizontal Sobel derivative: smooths vertically, differentiates left to right.

    Sums to zero.
    """
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def sobel_y() -> np.ndarray:
    """Vertical Sobel derivative (the transpose of :func:`sobel_x`); sums to zero."""
    return sobel_x().T.copy()


def laplacian() -> np.ndarray:
    """The 4-neighbour discrete Laplacian: a second derivative that sums to zero."""
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def emboss() -> np.ndarray:
    """A diagonal derivative plus the identity: a relief effect that sums to one."""
    return np.array([[-2.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 1.0, 2.0]])


def gallery(size: int = 5, sigma: float = 1.0) -> dict[str, np.ndarray]:
    """The course's kernel gallery, in the order the notebooks show it.

    ``size`` and ``sigma`` apply to the box and the (normalized) Gaussian; the others are 3x3.
    """
    return {
        "identity": identity(3),
        "box": box(size),
        "gaussian": gaussian(size, sigma),
        "sharpen": sharpen(),
        "sobel x": sobel_x(),
        "sobel y": sobel_y(),
        "laplacian": laplacian(),
        "emboss": emboss(),
    }


def dc_gain(g: np.ndarray) -> float:
    """The DC gain of a kernel: its sum, which equals its frequency response at zero frequency."""
    return float(as_real_array(g, "kernel g", finite=True).sum())


def frequency_response(g: np.ndarray, shape: int | tuple[int, ...]) -> np.ndarray:
    """The DFT of the kernel zero-padded to ``shape``: what it multiplies each frequency by.

    Parameters
    ----------
    g : ndarray
        A 1-D or 2-D real kernel.
    shape : int or tuple of int
        The size of the transform, at least the kernel's size in every dimension (an int is
        used for every dimension).

    Returns
    -------
    ndarray of complex, of the given shape
        In 2-D, ``H[p, q]`` is the response at the frequency ``(u, v) = (p / rows, q / columns)``
        cycles per pixel (``u`` along the rows, ``v`` along the columns), in numpy's FFT order
        (indices past the middle are negative frequencies); in 1-D, ``H[p]`` at ``p / n``.
        ``H[0, 0]`` is the DC gain, equal to ``g.sum()``. Use ``np.fft.fftshift`` to put zero
        frequency in the centre.
    """
    g = as_real_array(g, "kernel g", finite=True)
    shape = as_shape(shape, "shape", ndim=g.ndim if np.ndim(shape) == 0 else None)
    if len(shape) != g.ndim:
        raise ValueError(f"shape must have {g.ndim} entries for a {g.ndim}-D kernel, got {shape}")
    if any(s < n for s, n in zip(shape, g.shape, strict=True)):
        raise ValueError(f"shape must be at least the kernel's shape {g.shape}, got {shape}")
    check_memory(16 * math.prod(shape), f"a frequency response of shape {shape}", "a smaller shape")
    return np.fft.fftn(g, s=shape, axes=tuple(range(g.ndim)))

"""Convolution seen through the DFT: circular convolution, its wrap-around, the padding that
removes it, and the side lobes of a kernel's frequency response.

The DFT of length ``P`` turns *circular* convolution (indices taken modulo ``P``) into a
product of spectra. Linear convolution of an ``n``-sample signal with a ``k``-sample kernel
has ``n + k - 1`` samples; computed circularly with period ``P = n`` its last ``k - 1``
samples wrap around onto the first ``k - 1``. Padding to ``P >= n + k - 1`` leaves them room,
and then the circular result is the linear one.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.validation import as_integer, as_real_array, as_shape, check_memory


def _check_spectrum_size(shape: tuple[int, ...], what: str) -> None:
    """Refuse a DFT grid whose arrays (complex spectra and a real result) exceed the limit."""
    check_memory(3 * 16 * math.prod(shape), what, "use a smaller period or resolution")


def circular_convolve(
    f: np.ndarray, g: np.ndarray, period: int | tuple[int, ...] | None = None
) -> np.ndarray:
    """Circular convolution of ``f`` and ``g`` with the given period, computed with the DFT.

    ``out[n] = sum_k g[k] f[(n - k) mod P]`` in every dimension, where both arrays are first
    zero-padded (at the end) to the period ``P``.

    Parameters
    ----------
    f, g : ndarray
        Real 1-D or 2-D arrays of the same dimensionality.
    period : int or tuple of int, optional
        The DFT size ``P``, at least ``f.shape`` and ``g.shape`` in every dimension.
        Defaults to ``f.shape``: no padding, the wrap-around shows.

    Returns
    -------
    ndarray of shape ``period``
    """
    f = as_real_array(f, "f", finite=True).astype(float)
    g = as_real_array(g, "g", finite=True).astype(float)
    if f.ndim != g.ndim:
        raise ValueError(
            f"f and g must have the same number of dimensions, got {f.shape}, {g.shape}"
        )
    period = f.shape if period is None else as_shape(period, "period", ndim=f.ndim)
    if any(p < max(nf, ng) for p, nf, ng in zip(period, f.shape, g.shape, strict=True)):
        raise ValueError(
            f"period must be at least the shapes of f {f.shape} and g {g.shape}, got {period}"
        )
    _check_spectrum_size(period, f"a circular convolution of period {period}")
    axes = tuple(range(f.ndim))
    spectrum = np.fft.rfftn(f, period, axes) * np.fft.rfftn(g, period, axes)
    return np.fft.irfftn(spectrum, period, axes)


def linear_period(f_shape: tuple[int, ...], g_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The smallest period for which circular convolution equals linear ('full') convolution:
    ``n + k - 1`` in every dimension."""
    f_shape = as_shape(f_shape, "f_shape")
    g_shape = as_shape(g_shape, "g_shape", ndim=len(f_shape))
    return tuple(int(n) + int(k) - 1 for n, k in zip(f_shape, g_shape, strict=True))


def wraparound_mask(f_shape: tuple[int, ...], g_shape: tuple[int, ...]) -> np.ndarray:
    """Where circular convolution with period ``f_shape`` differs from linear convolution.

    With period ``n`` the circular result is ``out[i] = full[i] + full[i + n]``, and the tail
    ``full[n:]`` is nonzero only for ``i < k - 1``. So the first ``k - 1`` rows and the first
    ``k - 1`` columns are corrupted (an L-shaped band in 2-D); the rest equals the linear
    result, and is exactly the 'valid' convolution.

    Returns
    -------
    ndarray of bool, shape ``f_shape``
        True on the band that wraps around.
    """
    f_shape = as_shape(f_shape, "f_shape")
    g_shape = as_shape(g_shape, "g_shape", ndim=len(f_shape))
    if any(k > n for n, k in zip(f_shape, g_shape, strict=True)):
        raise ValueError(f"the kernel {g_shape} must fit in the period {f_shape}")
    check_memory(math.prod(f_shape), f"a mask of shape {f_shape}", "use a smaller period")
    mask = np.zeros(f_shape, dtype=bool)
    for axis, k in enumerate(g_shape):
        index = [slice(None)] * len(f_shape)
        index[axis] = slice(0, k - 1)
        mask[tuple(index)] = True
    return mask


def magnitude_cut(g: np.ndarray, n: int = 512) -> np.ndarray:
    """``|H|`` along the horizontal frequency axis, from zero frequency to Nyquist.

    The response at vertical frequency zero,
    ``H(0, v) = sum_y (sum_x g[x, y]) e^{-2 pi i v y / n}``,
    is the 1-D DFT of the kernel summed over its rows, so a fine cut costs one short FFT.

    Parameters
    ----------
    g : ndarray
        A real 1-D or 2-D kernel.
    n : int
        DFT length (frequency resolution), at least the kernel's width.

    Returns
    -------
    ndarray of shape (n // 2 + 1,)
        ``|H(0, v)|`` for ``v = 0, 1/n, ..., 1/2`` cycles per pixel.
    """
    g = as_real_array(g, "g", finite=True).astype(float)
    profile = g if g.ndim == 1 else g.sum(axis=0)
    n = as_integer(n, "n", low=1)
    if n < profile.size:
        raise ValueError(f"n must be an integer at least the kernel width {profile.size}, got {n}")
    _check_spectrum_size((n,), f"a frequency cut of {n} samples")
    return np.abs(np.fft.rfft(profile, n))


def largest_side_lobe(cut: np.ndarray) -> float:
    """The largest side lobe of a low-pass magnitude response, relative to its main lobe.

    ``cut`` runs from zero frequency outward (as :func:`magnitude_cut` returns it). The main
    lobe ends at the first local minimum; the largest value after it, divided by the peak of
    the main lobe, is the side-lobe level. A response that falls monotonically has none: 0.

    Returns
    -------
    float
        Between 0 and 1 for a low-pass response (0.217 for a wide box, -13 dB).
    """
    cut = np.asarray(cut, dtype=float)
    if cut.ndim != 1 or cut.size < 3:
        raise ValueError(f"cut must be 1-D with at least 3 samples, got shape {cut.shape}")
    rising = np.flatnonzero(np.diff(cut) > 1e-12 * max(cut.max(), 1e-300))
    if rising.size == 0:
        return 0.0
    first_minimum = int(rising[0])
    peak = cut[: first_minimum + 1].max()
    if peak == 0:
        raise ValueError("the main lobe is zero: side lobes are defined for low-pass responses")
    return float(cut[first_minimum:].max() / peak)

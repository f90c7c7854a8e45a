"""Convolution seen through the DFT: circular convolution, its wrap-around, the padding that
removes it, and the side lobes of a kernel's frequency response.

The DFT of length ``P`` turns *circular* convolution (indices taken modulo ``P``) into a
product of spectra. Linear convolution of an ``n``-sample signal with a ``k``-tap kernel has
``n + k - 1`` samples, ``full[0 .. n + k - 2]``; computed circularly with period ``P`` (both
arrays zero-padded to ``P``), sample ``x`` receives ``full[x] + full[x + P]``: the tail beyond
``P`` wraps around onto the start.

One rule says how much padding each output needs. An output that is the window
``full[s : s + m]`` comes out exact when the window fits in one period, ``P >= s + m``, and
nothing wraps into it, ``full[x + P] = 0`` for every ``x >= s``, that is
``P >= (n + k - 1) - s``. So ``P >= max(s + m, n + k - 1 - s)``:

- 'full' (``s = 0``, ``m = n + k - 1``): ``P >= n + k - 1``;
- 'same' (``s = (k - 1) // 2``, ``m = n``): ``P >= n + k // 2``, half the kernel is enough;
- 'valid' (``s = k - 1``, ``m = n - k + 1``): ``P >= n``, no padding at all.

``helpers.convolution``'s FFT method uses the same rule (then rounds ``P`` up to a fast size);
:func:`linear_period` gives the smallest ``P`` for each mode.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.validation import as_integer, as_real_array, as_shape, check_choice, check_memory

MODES = ("full", "same", "valid")


def _check_spectrum_size(shape: tuple[int, ...], what: str) -> None:
    """Refuse a DFT grid whose arrays (complex spectra and a real result) exceed the limit."""
    check_memory(3 * 16 * math.prod(shape), what, "use a smaller period or resolution")


def circular_convolve(
    f: np.ndarray, g: np.ndarray, period: int | tuple[int, ...] | None = None
) -> np.ndarray:
    """Circular convolution of ``f`` and ``g`` with the given period, computed with the DFT.

    ``out[x] = sum_a g[a] f[(x - a) mod P]`` along every axis (in 2-D,
    ``out[i, j] = sum_{a, b} g[a, b] f[(i - a) mod P0, (j - b) mod P1]``), where both arrays are
    first zero-padded (at the end) to the period ``P``.

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


def linear_period(
    f_shape: tuple[int, ...], g_shape: tuple[int, ...], mode: str = "full"
) -> tuple[int, ...]:
    """The smallest period for which circular convolution, cropped to ``mode``'s window, equals
    linear convolution in that mode: ``max(s + m, n + k - 1 - s)`` per axis (see the module).

    That is ``n + k - 1`` for 'full', ``n + k // 2`` for 'same' (the window starting at
    ``(k - 1) // 2`` of the full result, as in ``scipy.signal.convolve2d``) and ``n`` for
    'valid' (which needs ``k <= n``). Crop the circular result to ``[s : s + m]``. (For an
    image shorter than half the kernel, 'same' gives a period shorter than the kernel: an FFT
    of that length then drops the taps beyond it, which only reach outside the window.)
    """
    f_shape = as_shape(f_shape, "f_shape")
    g_shape = as_shape(g_shape, "g_shape", ndim=len(f_shape))
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    periods = []
    for n, k in zip(f_shape, g_shape, strict=True):
        start, length = mode_window(n, k, mode)
        periods.append(max(start + length, n + k - 1 - start))
    return tuple(periods)


def mode_window(n: int, k: int, mode: str) -> tuple[int, int]:
    """Where ``mode``'s output sits in the full convolution along one axis: (start, length).

    'full' is ``full[0 : n + k - 1]``, 'same' ``full[(k - 1) // 2 : (k - 1) // 2 + n]``,
    'valid' ``full[k - 1 : n]`` (for ``k <= n``).

    Raises
    ------
    TypeError
        If ``n`` or ``k`` is not an integer (``3.0`` included).
    ValueError
        If ``n`` or ``k`` is below 1, ``mode`` is not one of 'full', 'same', 'valid', or
        ``k > n`` in 'valid'.
    """
    n = as_integer(n, "n", low=1)
    k = as_integer(k, "k", low=1)
    check_choice("mode", mode, MODES)
    if mode == "full":
        return 0, n + k - 1
    if mode == "same":
        return (k - 1) // 2, n
    if k > n:  # 'valid'
        raise ValueError(f"'valid' needs the kernel ({k}) no longer than the image ({n})")
    return k - 1, n - k + 1


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
    ``H(0, v) = sum_b (sum_a g[a, b]) e^{-2 pi i v b}`` (v in cycles per pixel),
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


def is_low_pass(cut: np.ndarray) -> bool:
    """Whether a magnitude cut (zero frequency first) is a low-pass response: finite, positive
    at zero frequency, and nowhere larger than there."""
    cut = np.asarray(cut, dtype=float)
    if cut.ndim != 1 or cut.size == 0 or not np.isfinite(cut).all() or cut[0] <= 0:
        return False
    return bool(cut.max() <= cut[0] * (1 + 1e-12))


def largest_side_lobe(cut: np.ndarray) -> float:
    """The largest side lobe of a low-pass magnitude response, relative to its main lobe.

    ``cut`` runs from zero frequency outward (as :func:`magnitude_cut` returns it). The main
    lobe ends at the first local minimum; the largest value after it, divided by the peak at
    zero frequency, is the side-lobe level. A response that falls monotonically has none: 0.

    Returns
    -------
    float
        Between 0 and 1 (0.217 for a wide box, -13 dB).

    Raises
    ------
    ValueError
        When ``cut`` is not a low-pass response (see :func:`is_low_pass`): NaN or infinite
        values, zero or negative at zero frequency, or larger somewhere else (a derivative, a
        sharpening kernel): side lobes are not defined there.
    """
    cut = np.asarray(cut, dtype=float)
    if cut.ndim != 1 or cut.size < 3:
        raise ValueError(f"cut must be 1-D with at least 3 samples, got shape {cut.shape}")
    if not np.isfinite(cut).all():
        raise ValueError("cut must hold finite values, got NaN or infinity")
    if not is_low_pass(cut):
        raise ValueError(
            f"side lobes are defined for low-pass responses, largest at zero frequency; this "
            f"cut is {cut[0]:.3g} there and reaches {cut.max():.3g}"
        )
    rising = np.flatnonzero(np.diff(cut) > 1e-12 * cut[0])
    if rising.size == 0:
        return 0.0
    return float(cut[int(rising[0]) :].max() / cut[0])

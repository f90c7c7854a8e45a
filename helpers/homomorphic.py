"""Homomorphic filtering: even out the lighting of a photo by filtering its logarithm.

A photo is, roughly, illumination times reflectance, ``f = L r``: the lighting ``L`` varies
slowly across the scene, the reflectance ``r`` (the objects) carries the detail. A logarithm
turns the product into a sum, ``log f = log L + log r``, where a linear filter can treat the
two apart: the Gaussian high-emphasis filter

    H(D) = (gamma_high - gamma_low) (1 - exp(-D^2 / (2 D0^2))) + gamma_low

scales low spatial frequencies (the lighting) by ``gamma_low`` and high ones (the detail) by
``gamma_high``; ``D`` is the distance from zero frequency in cycles per pixel and ``D0`` the
cut-off. An exponential undoes the logarithm.

In the image plane ``H`` is ``gamma_high`` times the identity minus ``(gamma_high -
gamma_low)`` times a Gaussian blur whose standard deviation is ``1 / (2 pi D0)`` pixels (the
Fourier transform of a Gaussian is a Gaussian). So the filter is a kernel like any other in
this course, applied with ``helpers.convolution.convolve(..., method="fft")`` and a symmetric
boundary (no wrap-around, no dark border), and its sum, its DC gain ``H(0)``, is
``gamma_low``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from helpers.convolution import convolve
from helpers.kernels import gaussian
from helpers.plotting import show_image, show_signed
from helpers.validation import as_integer, as_number, as_numeric_array, check_memory


def _check_parameters(cutoff: float, gamma_low: float, gamma_high: float) -> None:
    as_number(cutoff, "cutoff", low=0, high=0.5, low_open=True)  # cycles per pixel
    as_number(gamma_low, "gamma_low", low=0)
    as_number(gamma_high, "gamma_high", low=0)


def _check_exponential(filtered: np.ndarray, gamma_high: float) -> None:
    """Refuse a filtered logarithm whose exponential exceeds the largest float64."""
    if filtered.max() > np.log(np.finfo(float).max):
        raise ValueError(
            f"the filtered image overflows float64 (exp of up to {filtered.max():.4g}): "
            f"gamma_high = {gamma_high} amplifies the detail too much; use a smaller gamma_high"
        )


def high_emphasis_response(
    d: np.ndarray | float, cutoff: float, gamma_low: float, gamma_high: float
) -> np.ndarray:
    """The Gaussian high-emphasis transfer function H at frequency distance(s) ``d``.

    Parameters
    ----------
    d : float or ndarray
        Distance from zero frequency, in cycles per pixel.
    cutoff : float
        D0, in cycles per pixel, in (0, 0.5].
    gamma_low, gamma_high : float
        The gains at zero and at high frequency.
    """
    _check_parameters(cutoff, gamma_low, gamma_high)
    d = as_numeric_array(d, "d").astype(float)
    if not np.isfinite(d).all():
        raise ValueError("d must hold finite distances, got NaN or infinity")
    return (gamma_high - gamma_low) * (1 - np.exp(-(d**2) / (2 * cutoff**2))) + gamma_low


def high_emphasis_kernel(
    cutoff: float,
    gamma_low: float,
    gamma_high: float,
    max_size: int | None = None,
    truncate: float = 4.0,
) -> np.ndarray:
    """The image-plane kernel of the high-emphasis filter: ``gamma_high delta - (...) blur``.

    The blur is ``helpers.kernels.gaussian`` with standard deviation ``1 / (2 pi cutoff)``
    pixels, cut at ``truncate`` standard deviations (and at ``max_size``) and normalized to
    sum one, so the kernel sums to ``gamma_low`` exactly.

    Parameters
    ----------
    cutoff, gamma_low, gamma_high : float
        As in :func:`high_emphasis_response`.
    max_size : int, optional
        The largest side allowed (the image's smaller side, so the kernel fits the image).
    truncate : float
        Radius of the kernel in standard deviations.

    Returns
    -------
    ndarray
        A square kernel of odd side.

    Raises
    ------
    ValueError
        When the kernel would need more than ``helpers.validation.MEMORY_LIMIT_BYTES`` (a
        cut-off of 1e-4 cycles per pixel asks for a 12735 x 12735 kernel): pass ``max_size``.
    """
    _check_parameters(cutoff, gamma_low, gamma_high)
    truncate = as_number(truncate, "truncate", low=0, low_open=True)
    sigma = 1 / (2 * np.pi * cutoff)
    radius = max(1.0, np.ceil(truncate * sigma))  # a float: inf for a cut-off of 1e-320
    if max_size is not None:
        radius = min(radius, max(0, (as_integer(max_size, "max_size", low=1) - 1) // 2))
    side = 2 * radius + 1
    check_memory(
        7 * 8 * side**2,  # the kernel and the Gaussian's temporaries
        f"the high-emphasis kernel for cutoff {cutoff} ({side:.0f}x{side:.0f})",
        "raise cutoff, or pass max_size (the image's smaller side)",
    )
    radius = int(radius)
    kernel = -(gamma_high - gamma_low) * gaussian(2 * radius + 1, sigma, normalize=True)
    kernel[radius, radius] += gamma_high
    return kernel


def homomorphic_filter(
    image: np.ndarray,
    cutoff: float = 0.02,
    gamma_low: float = 0.5,
    gamma_high: float = 1.5,
    eps: float = 1e-3,
) -> np.ndarray:
    """Filter ``log(eps + image)`` with the high-emphasis filter, then exponentiate.

    Parameters
    ----------
    image : ndarray
        A 2-D image of values >= 0 (a photo in [0, 1]).
    cutoff : float
        D0 in cycles per pixel: frequencies well below it are scaled by ``gamma_low``.
    gamma_low, gamma_high : float
        Gains at low and high frequencies; ``gamma_low < 1 <= gamma_high`` flattens the
        lighting and sharpens the detail; ``gamma_low = gamma_high = 1`` returns the image.
    eps : float
        Keeps the logarithm finite at black pixels; subtracted again after the exponential.

    Returns
    -------
    ndarray
        ``exp(h * log(eps + image)) - eps``, the same shape as ``image``.

    Raises
    ------
    ValueError
        Also when the result would exceed the largest float64 (a large ``gamma_high``
        multiplies the detail of the logarithm before the exponential).
    """
    image = as_numeric_array(image, "image")
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"image must be a non-empty 2-D array, got shape {image.shape}")
    image = image.astype(float)
    if not np.all(np.isfinite(image)) or image.min() < 0:
        raise ValueError("image must hold finite values >= 0 (its logarithm is taken)")
    eps = as_number(eps, "eps", low=0, low_open=True)
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high, max_size=min(image.shape))
    log_image = np.log(eps + image)
    filtered = convolve(log_image, kernel, mode="same", method="fft", boundary="symm")
    _check_exponential(filtered, gamma_high)
    return np.exp(filtered) - eps


# --------------------------------------------------------------------------- figures


def kernel_response(kernel: np.ndarray, n: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """The frequency response of a centred square kernel along the first row of the DFT grid.

    The kernel's centre sits at ``(r, r)``, not at ``(0, 0)``: the DFT's phase from that shift
    is undone, so a symmetric kernel gives a real response. Returns the frequencies ``D`` in
    cycles per pixel (0 to 0.5) and the response there, along the columns (``u = 0``).
    """
    r = kernel.shape[0] // 2
    frequencies = np.fft.fftfreq(n)
    response = np.fft.fft2(kernel, (n, n))[0] * np.exp(2j * np.pi * frequencies * r)
    return frequencies[: n // 2], response.real[: n // 2]


def kernel_figure(cutoff: float, gamma_low: float, gamma_high: float) -> Figure:
    """The high-emphasis kernel (its blur part, signed) and its response against H(D).

    The response is drawn up to 7.5 D0, where it has reached ``gamma_high`` to within a
    millionth of the step; the rest, up to 0.5 cycle per pixel, is flat.
    """
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high)
    r = kernel.shape[0] // 2
    surround = kernel.copy()
    surround[r, r] -= gamma_high  # take away the gamma_high delta at the centre
    figure = Figure(figsize=(7.6, 2.9), layout="constrained")
    axes = figure.subplots(1, 2)
    show_signed(
        axes[0], surround, f"kernel minus {gamma_high:g} at its centre ({kernel.shape[0]}x"
        f"{kernel.shape[1]})\nsum {surround.sum():.2f}; whole kernel sums to {kernel.sum():.3f}",
    )  # fmt: skip
    d, response = kernel_response(kernel, n=1024)
    axes[1].plot(d, response, label="DFT of the kernel")
    axes[1].plot(d, high_emphasis_response(d, cutoff, gamma_low, gamma_high), "--", label="H(D)")
    axes[1].axvline(cutoff, color="gray", linestyle=":", label=f"D0 = {cutoff:g}")
    shown = min(0.5, 7.5 * cutoff)  # the rise; beyond it H stays at gamma_high
    axes[1].set_xlim(0, shown)
    axes[1].set_xlabel(f"D (cycles per pixel; flat from {shown:g} to 0.5)")
    axes[1].set_ylabel("gain")
    axes[1].set_title("frequency response")
    axes[1].legend()
    return figure


def results_figure(
    truth: np.ndarray, lit: np.ndarray, outputs: dict[str, np.ndarray], scores: dict, fidelity: dict
) -> Figure:
    """The evenly lit truth, the lit input, then each method's output with its two scores.

    ``scores[name]``: the output against the same method applied to the truth (is the light
    gone?); ``fidelity[name]``: the output against the truth itself. The truth and the input
    are drawn on the truth's scale (0 to 1); outputs from their 1st to their 99th percentile.
    """
    figure = Figure(figsize=(1.9 * (len(outputs) + 2), 2.5), layout="constrained")
    axes = figure.subplots(1, len(outputs) + 2)
    show_image(axes[0], truth, "evenly lit (truth)", vmin=0, vmax=1)
    show_image(
        axes[1], lit, f"uneven light\nagainst truth {scores['no correction']:.3f}", vmin=0, vmax=1
    )
    for ax, (name, image) in zip(axes[2:], outputs.items(), strict=True):
        low, high = np.percentile(image, [1, 99])
        title = f"{name}\nlight gone {scores[name]:.3f}\nagainst truth {fidelity[name]:.3f}"
        show_image(ax, image, title, vmin=low, vmax=high)
    return figure


def gamma_sweep_figure(
    gammas: np.ndarray,
    scores: dict[str, np.ndarray],
    fidelity: dict[str, np.ndarray],
    uncorrected: float,
    cutoff: float,
) -> Figure:
    """Both scores of each method against gamma low: light gone (solid), photo kept (dashed)."""
    figure = Figure(figsize=(6.0, 3.0), layout="constrained")
    ax = figure.subplots()
    for (name, values), colour in zip(scores.items(), ("tab:blue", "tab:orange"), strict=False):
        ax.plot(gammas, values, marker="o", color=colour, label=f"{name}: light gone")
        ax.plot(gammas, fidelity[name], "--", color=colour, label=f"{name}: against truth")
    ax.axhline(uncorrected, color="gray", linestyle=":", label="no correction")
    ax.set_xlabel(rf"$\gamma_L$ ($\gamma_H$ = 1, $D_0$ = {cutoff:g})")
    ax.set_ylabel("correlation")
    ax.legend(fontsize=8)
    return figure

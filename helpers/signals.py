"""Continuous 1-D signals, the convolution integral as a Riemann sum, and its exact results.

Every signal is a vectorized function of ``x`` that integrates to one (a probability
density), so the course's thread is easy to read: the convolution of two of them integrates
to one again. Scale a signal to give it another mass. At a jump (the edges of a box, the
start of an exponential) a signal takes the mean of its left and right limits, the value
that a Fourier series and the midpoint rule both converge to.

The convolution integral

.. math:: (f * g)(x) = \\int_{-\\infty}^{\\infty} f(\\tau)\\, g(x - \\tau)\\, d\\tau

is approximated by :func:`convolve_integral` with a Riemann sum over a finite support of
``tau`` cut into cells of width ``step``, sampling each cell at its midpoint (default) or its
left end; :func:`convolution_at` is the same sum at one point, written to be read. The exact
results (:func:`box_conv_box`, :func:`gaussian_conv_gaussian`,
:func:`exponential_conv_exponential`, :func:`box_conv_gaussian`,
:func:`triangle_conv_triangle`) are what it is checked against.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from math import hypot, isfinite

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from helpers.validation import as_number, as_numeric_array, check_memory

Signal = Callable[[np.ndarray], np.ndarray]

RULES = ("midpoint", "left")

# the largest number of (x, tau) pairs evaluated at once by convolve_integral
_CHUNK = 2_000_000


def _positive(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite positive number."""
    return as_number(value, name, low=0, low_open=True)


def _finite(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number."""
    return as_number(value, name)


def _finite_values(function: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Refuse, with a ValueError, parameters whose values overflow float64 (a sigma of 1e-300
    puts a peak of 1e300 / sqrt(2 pi) ... and beyond): no NaN or inf is returned."""

    @functools.wraps(function)
    def checked(*args, **kwargs) -> np.ndarray:
        with np.errstate(all="ignore"):
            try:
                values = function(*args, **kwargs)
            except OverflowError:
                values = np.array(np.inf)
        if not np.all(np.isfinite(values)):
            raise ValueError(
                f"{function.__name__}: the values overflow float64 for these parameters "
                "(a width, sigma or rate too small or too large)"
            )
        return values

    return checked


def _points(x: ArrayLike, name: str = "x") -> np.ndarray:
    """``x`` as a float array of finite values."""
    points = as_numeric_array(x, name).astype(float)
    if not np.all(np.isfinite(points)):
        raise ValueError(f"{name} must hold finite numbers only")
    return points


def _values(signal: Signal, points: np.ndarray, name: str) -> np.ndarray:
    """What a signal returns at ``points``, checked: real, finite, one value per point."""
    try:
        values = as_numeric_array(signal(points), f"{name}'s values")
    except TypeError:
        if np.iscomplexobj(signal(points)):
            raise TypeError(
                f"{name} returned complex values; the convolution integral here is of real "
                "signals (convolve the real and imaginary parts apart)"
            ) from None
        raise
    values = values.astype(float)
    if values.shape != points.shape:
        raise ValueError(
            f"{name} must return one value per point: shape {points.shape}, got {values.shape}"
        )
    if not np.isfinite(values).all():
        bad = points[~np.isfinite(values)].flat[0]
        raise ValueError(f"{name} returned NaN or inf (at {bad:g}); signals must be finite")
    return values


# --- signals --------------------------------------------------------------------------------


@_finite_values
def box(x: ArrayLike, width: float = 1.0, centre: float = 0.0) -> np.ndarray:
    """The box of unit area: ``1 / width`` on ``|x - centre| < width / 2``, 0 outside.

    At the two edges it takes half its height, the mean of the limits on either side.
    """
    width = _positive("width", width)
    distance = np.abs(_points(x) - _finite("centre", centre))
    inside = np.heaviside(width / 2 - distance, 0.5)
    return inside / width


@_finite_values
def triangle(x: ArrayLike, half_width: float = 1.0, centre: float = 0.0) -> np.ndarray:
    """The triangle of unit area: peak ``1 / half_width`` at ``centre``, 0 at ``half_width``."""
    half_width = _positive("half_width", half_width)
    distance = np.abs(_points(x) - _finite("centre", centre))
    return np.maximum(0.0, 1.0 - distance / half_width) / half_width


@_finite_values
def gaussian(x: ArrayLike, sigma: float = 1.0, centre: float = 0.0) -> np.ndarray:
    """The normal density with standard deviation ``sigma`` and mean ``centre``."""
    sigma = _positive("sigma", sigma)
    z = (_points(x) - _finite("centre", centre)) / sigma
    return np.exp(-0.5 * z**2) / (sigma * np.sqrt(2 * np.pi))


@_finite_values
def gaussian_derivative(x: ArrayLike, sigma: float = 1.0, centre: float = 0.0) -> np.ndarray:
    """The derivative of :func:`gaussian` with respect to ``x``: odd, so it integrates to zero."""
    sigma = _positive("sigma", sigma)
    centre = _finite("centre", centre)
    points = _points(x)
    return -(points - centre) / sigma**2 * gaussian(points, sigma, centre)


@_finite_values
def exponential(x: ArrayLike, rate: float = 1.0, start: float = 0.0) -> np.ndarray:
    """The one-sided exponential of unit area: ``rate * exp(-rate (x - start))`` for ``x >= start``.

    Zero before ``start``, ``rate / 2`` exactly at ``start`` (the mean of the jump).
    """
    rate = _positive("rate", rate)
    shifted = _points(x) - _finite("start", start)
    decay = rate * np.exp(-rate * np.maximum(shifted, 0.0))
    return np.heaviside(shifted, 0.5) * decay


# --- the convolution integral, numerically -------------------------------------------------


def riemann_points(support: tuple[float, float], step: float, rule: str = "midpoint") -> np.ndarray:
    """The points ``tau`` where a Riemann sum over ``support`` samples its integrand.

    Parameters
    ----------
    support : (float, float)
        The interval ``(a, b)``, ``a < b``; its length must be a whole number of steps.
    step : float
        The width of each cell, > 0.
    rule : {"midpoint", "left"}
        Sample each cell at its midpoint ``a + (k + 1/2) step`` or its left end ``a + k step``.

    Returns
    -------
    ndarray
        ``n = (b - a) / step`` points, one per cell.
    """
    step = _positive("step", step)
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    try:
        a, b = (float(end) for end in support)
    except (TypeError, ValueError):
        raise TypeError(f"support must be a pair of numbers (a, b), got {support!r}") from None
    if not (isfinite(a) and isfinite(b) and a < b):
        raise ValueError(f"support must be finite with a < b, got {support!r}")
    cells = (b - a) / step
    check_memory(4 * 8 * cells, f"a Riemann sum of {cells:.3g} cells", "use a larger step")
    cells = round(cells)
    if cells < 1 or abs(cells * step - (b - a)) > 1e-9 * (b - a):
        raise ValueError(
            f"the support's length {b - a:g} must be a whole number of steps of {step:g}"
        )
    offset = 0.5 if rule == "midpoint" else 0.0
    return a + (np.arange(cells) + offset) * step


def convolution_at(
    f: Signal, g: Signal, x: float, step: float, support: tuple[float, float]
) -> float:
    """``(f * g)(x)`` at one point as a midpoint Riemann sum: the idea of :func:`convolve_integral`.

    Flip g and slide it to x (that is ``g(x - tau)``), multiply by ``f(tau)``, and add up the
    areas of the strips of width ``step``. :func:`convolve_integral` computes the same sum for
    many x at once.
    """
    if not (callable(f) and callable(g)):
        raise TypeError("f and g must be callables (vectorized functions of an array)")
    x = _finite("x", x)
    tau = riemann_points(support, step)  # the midpoint of every cell of width step
    products = _values(f, tau, "f") * _values(g, x - tau, "g")  # f(tau) g(x - tau), checked
    total = float(np.sum(products) * step)
    if not isfinite(total):
        raise ValueError("the Riemann sum overflows float64: the signals are too large")
    return total


def convolve_integral(
    f: Signal,
    g: Signal,
    x: ArrayLike,
    step: float,
    support: tuple[float, float],
    rule: str = "midpoint",
) -> np.ndarray:
    """The convolution integral ``(f * g)(x)`` as a Riemann sum over ``tau``.

    .. math:: (f * g)(x) \\approx \\sum_k f(\\tau_k)\\, g(x - \\tau_k)\\, \\Delta\\tau

    Parameters
    ----------
    f, g : callable
        Vectorized signals: take an array of points, return an array of values of the same shape.
    x : float or array_like
        Where to evaluate the convolution.
    step : float
        The width ``Delta tau`` of each cell of the sum, > 0.
    support : (float, float)
        The interval of ``tau`` summed over; it should hold all of f's mass (f is taken as
        zero outside it). Its length must be a whole number of steps.
    rule : {"midpoint", "left"}
        Where each cell is sampled, see :func:`riemann_points`.

    Returns
    -------
    ndarray
        ``(f * g)(x)``, with the shape of ``x``.
    """
    if not (callable(f) and callable(g)):
        raise TypeError("f and g must be callables (vectorized functions of an array)")
    points = _points(x)
    tau = riemann_points(support, step, rule)
    f_tau = _values(f, tau, "f")
    flat = points.ravel()
    result = np.empty(flat.shape)
    rows = max(1, _CHUNK // tau.size)
    for first in range(0, flat.size, rows):
        shifts = flat[first : first + rows, None] - tau[None, :]
        result[first : first + rows] = _values(g, shifts, "g") @ f_tau * step
    if not np.isfinite(result).all():
        raise ValueError("the Riemann sum overflows float64: the signals are too large")
    return result.reshape(points.shape)


# --- exact results --------------------------------------------------------------------------


@_finite_values
def box_conv_box(
    x: ArrayLike,
    width_f: float = 1.0,
    width_g: float = 1.0,
    centre_f: float = 0.0,
    centre_g: float = 0.0,
) -> np.ndarray:
    """``box(width_f, centre_f) * box(width_g, centre_g)``, exactly.

    The overlap length of the two intervals, divided by both widths: a trapezoid centred at
    ``centre_f + centre_g``, and the triangle ``triangle(half_width=w)`` when both widths are ``w``.
    """
    width_f = _positive("width_f", width_f)
    width_g = _positive("width_g", width_g)
    shifted = _points(x) - _finite("centre_f", centre_f) - _finite("centre_g", centre_g)
    # g(x - tau) is nonzero for tau in [x - w_g/2, x + w_g/2]; f for tau in [-w_f/2, w_f/2]
    low = np.maximum(-width_f / 2, shifted - width_g / 2)
    high = np.minimum(width_f / 2, shifted + width_g / 2)
    return np.maximum(0.0, high - low) / (width_f * width_g)


@_finite_values
def gaussian_conv_gaussian(
    x: ArrayLike,
    sigma_f: float = 1.0,
    sigma_g: float = 1.0,
    centre_f: float = 0.0,
    centre_g: float = 0.0,
) -> np.ndarray:
    """``gaussian(sigma_f, centre_f) * gaussian(sigma_g, centre_g)``, exactly.

    A Gaussian again: the means add and the variances add,
    ``sigma = sqrt(sigma_f**2 + sigma_g**2)``.
    """
    sigma_f = _positive("sigma_f", sigma_f)
    sigma_g = _positive("sigma_g", sigma_g)
    centre = _finite("centre_f", centre_f) + _finite("centre_g", centre_g)
    return gaussian(x, hypot(sigma_f, sigma_g), centre)


@_finite_values
def exponential_conv_exponential(
    x: ArrayLike, rate_f: float = 1.0, rate_g: float = 1.0
) -> np.ndarray:
    """``exponential(rate_f) * exponential(rate_g)`` (both starting at 0), exactly.

    ``a b (exp(-b x) - exp(-a x)) / (a - b)`` for ``x >= 0`` with ``a != b``, and
    ``a**2 x exp(-a x)`` when the rates are equal (a Gamma density of shape 2).

    The difference of exponentials is computed as ``-exp(-s x) expm1(-(f - s) x)``, with
    ``s`` and ``f`` the slower and the faster rate: no cancellation when the rates are close
    (a plain difference loses 5 digits at rates 1 and 1 + 1e-11), no overflow far out.
    """
    a = _positive("rate_f", rate_f)
    b = _positive("rate_g", rate_g)
    points = _points(x)
    t = np.maximum(points, 0.0)
    slow, fast = min(a, b), max(a, b)
    if fast == slow:  # a (a t exp(-a t)): the bounded factor first, so a * a cannot overflow
        values = a * (a * t * np.exp(-a * t))
    else:
        gap = fast - slow
        values = (slow * np.exp(-slow * t)) * (fast * -np.expm1(-gap * t) / gap)
    return np.where(points > 0, values, 0.0)


@_finite_values
def box_conv_gaussian(
    x: ArrayLike, width: float = 1.0, sigma: float = 1.0, centre: float = 0.0
) -> np.ndarray:
    """``box(width, centre) * gaussian(sigma)``, exactly: a blurred box.

    ``(Phi((x - c + w/2) / sigma) - Phi((x - c - w/2) / sigma)) / w`` with ``Phi`` the normal
    cumulative distribution.
    """
    width = _positive("width", width)
    sigma = _positive("sigma", sigma)
    shifted = _points(x) - _finite("centre", centre)
    return (ndtr((shifted + width / 2) / sigma) - ndtr((shifted - width / 2) / sigma)) / width


@_finite_values
def triangle_conv_triangle(x: ArrayLike, half_width: float = 1.0) -> np.ndarray:
    """``triangle(half_width) * triangle(half_width)``, exactly: the cubic B-spline.

    A triangle of half-width ``h`` is ``box(h) * box(h)``, so this is four boxes in a row:
    with ``u = |x| / h``, ``(2/3 - u**2 + u**3 / 2) / h`` for ``u <= 1``,
    ``(2 - u)**3 / (6 h)`` for ``1 <= u <= 2``, and 0 beyond.
    """
    h = _positive("half_width", half_width)
    u = np.abs(_points(x)) / h
    inner = 2.0 / 3.0 - u**2 + u**3 / 2.0
    outer = np.maximum(2.0 - u, 0.0) ** 3 / 6.0
    return np.where(u <= 1.0, inner, outer) / h

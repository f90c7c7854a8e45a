"""Winograd's minimal filtering: fewer multiplications for small kernels.

CNN libraries compute 3x3 layers (cross-correlations) with Winograd's algorithm F(m, r): m
outputs of an r-tap filter from ``m + r - 1`` inputs with only ``m + r - 1`` general
multiplications (data times filter), instead of ``m * r``. The input tile is transformed with
additions and subtractions only (``B``, entries 0 and +-1), the filter once per layer (``G``,
entries 0, +-1/2 and 1: halvings, which cost no general multiplication), the two are
multiplied elementwise, and the output transform ``A`` again uses additions only. Nested in
2-D, F(2x2, 3x3) makes a 2x2 output tile with ``4 * 4 = 16`` general multiplications instead
of ``2 * 2 * 3 * 3 = 36``.

The transforms add up to nine entries of a tile (and up to three filter taps), so they can
overflow where the correlation itself does not: ``B^T d B`` of a tile holding ``1e308`` and
``-1e308`` is infinite. :func:`winograd_f23`, :func:`winograd_f2x2_3x3` and
:func:`winograd_correlate` therefore scale each tile and the filter by powers of two, so that
their largest entries lie in [0.5, 1), and scale the output back. Multiplying by a power of
two only changes the exponent: it is exact (barring underflow below 1e-308) and costs no
general multiplication. A correlation beyond the float64 range is refused with a ValueError.

:func:`count_multiplications` counts them by running an algorithm on instrumented numbers.

The matrices are those of Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks"
(2016).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.validation import as_numeric_array

# F(2, 3): y = A^T [(G g) * (B^T d)] for a 4-sample input tile d and a 3-tap filter g.
B_T = np.array(
    [[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, -1.0, 1.0, 0.0], [0.0, 1.0, 0.0, -1.0]]
)
G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])
A_T = np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]])


def _check(array, shape: tuple[int, ...], name: str) -> np.ndarray:
    """``array`` as float (or as it is, if it holds :class:`Counted` numbers) after checking
    that it is real, of ``shape`` and finite."""
    if isinstance(array, np.ndarray) and array.dtype == object and array.size > 0:
        if all(isinstance(x, Counted) for x in array.flat):
            if array.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
            return array
    array = as_numeric_array(array, name).astype(float)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite values, got NaN or infinity")
    return array


def _is_counted(array: np.ndarray) -> bool:
    return array.dtype == object


def _normalized(array: np.ndarray) -> tuple[np.ndarray, int]:
    """``(array / 2**e, e)`` with ``e`` such that the largest magnitude lies in [0.5, 1).

    Exact: dividing by a power of two changes only the exponents (``e = 0`` for zeros).
    """
    largest = float(np.max(np.abs(array)))
    if largest == 0.0:
        return array, 0
    exponent = int(np.frexp(largest)[1])
    return np.ldexp(array, -exponent), exponent


def _scaled_back(y: np.ndarray, exponent: int) -> np.ndarray:
    """``y * 2**exponent``, or a ValueError if the correlation exceeds the float64 range."""
    with np.errstate(over="ignore"):
        out = np.ldexp(y, exponent)
    if not np.isfinite(out).all():
        raise ValueError(
            "the correlation exceeds the float64 range (about 1.8e308): "
            "scale the image or the filter down"
        )
    return out


def winograd_f23(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """F(2, 3): two outputs of the 3-tap cross-correlation ``y[i] = sum_a d[i + a] g[a]``
    from a 4-sample tile, with 4 multiplications (``G g`` is computed once per filter).

    Parameters
    ----------
    d : ndarray of shape (4,)
        The input tile.
    g : ndarray of shape (3,)
        The filter.

    Returns
    -------
    ndarray of shape (2,)

    Raises
    ------
    TypeError
        If ``d`` or ``g`` is not a real numeric array (or is a tensor that requires grad).
    ValueError
        For a wrong shape, NaN or infinity, or a correlation beyond the float64 range.
    """
    d = _check(d, (4,), "d")
    g = _check(g, (3,), "g")
    if _is_counted(d) or _is_counted(g):
        return _f23(d, g)
    (d, d_exponent), (g, g_exponent) = _normalized(d), _normalized(g)
    return _scaled_back(_f23(d, g), d_exponent + g_exponent)


def _f23(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    products = (G @ g) * (B_T @ d)  # the only 4 multiplications that depend on the data
    return A_T @ products


def transform_filter(g: np.ndarray) -> np.ndarray:
    """``G g G^T``: the 4x4 transformed filter, computed once per filter (not per tile).

    The bare transform, on the numbers as given (no scaling): taps near the float64 limit
    can overflow here; :func:`winograd_f2x2_3x3` scales them first."""
    return G @ _check(g, (3, 3), "g") @ G.T


def winograd_tile(d: np.ndarray, transformed_g: np.ndarray) -> np.ndarray:
    """One 2x2 output tile from a 4x4 input tile ``d`` and the transformed filter:
    ``A^T [transformed_g * (B^T d B)] A``, whose only general multiplications are the 16 of
    the elementwise product.

    The bare algorithm, on the numbers as given (no scaling, as :func:`count_multiplications`
    counts it): :func:`winograd_f2x2_3x3` scales the tile first."""
    d = _check(d, (4, 4), "d")
    transformed_g = _check(transformed_g, (4, 4), "transformed_g")
    return A_T @ (transformed_g * (B_T @ d @ B_T.T)) @ A_T.T


def winograd_f2x2_3x3(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """F(2x2, 3x3): a 2x2 tile of the 3x3 cross-correlation from a 4x4 input tile, with the 16
    general multiplications of one elementwise product of 4x4 matrices.

    Parameters
    ----------
    d : ndarray of shape (4, 4)
        The input tile.
    g : ndarray of shape (3, 3)
        The filter.

    Returns
    -------
    ndarray of shape (2, 2)
        ``y[i, j] = sum_{a, b} d[i + a, j + b] g[a, b]``.

    Raises
    ------
    TypeError
        If ``d`` or ``g`` is not a real numeric array (or is a tensor that requires grad).
    ValueError
        For a wrong shape, NaN or infinity, or a correlation beyond the float64 range.
    """
    d = _check(d, (4, 4), "d")
    g = _check(g, (3, 3), "g")
    if _is_counted(d) or _is_counted(g):
        return winograd_tile(d, transform_filter(g))
    (d, d_exponent), (g, g_exponent) = _normalized(d), _normalized(g)
    return _scaled_back(winograd_tile(d, transform_filter(g)), d_exponent + g_exponent)


def winograd_correlate(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The 'valid' 3x3 cross-correlation of an image, tile by tile with F(2x2, 3x3).

    Each 2x2 block of the output comes from the overlapping 4x4 input tile under it (tiles
    step by 2). When the output has an odd side, the image is padded with one row or column
    of zeros and the extra output cropped.

    Parameters
    ----------
    f : ndarray
        2-D image, at least 3 x 3.
    g : ndarray of shape (3, 3)
        The filter.

    Returns
    -------
    ndarray of shape ``(f.shape[0] - 2, f.shape[1] - 2)``

    Raises
    ------
    TypeError
        If ``f`` or ``g`` is not a real numeric array (or is a tensor that requires grad).
    ValueError
        For an image that is not 2-D of at least 3 x 3, a filter not 3 x 3, NaN or infinity,
        or a correlation beyond the float64 range.
    """
    f = as_numeric_array(f, "f").astype(float)
    if f.ndim != 2 or min(f.shape) < 3:
        raise ValueError(f"f must be a 2-D image of at least 3 x 3, got shape {f.shape}")
    if not np.isfinite(f).all():
        raise ValueError("f must hold finite values, got NaN or infinity")
    g, g_exponent = _normalized(_check(g, (3, 3), "g"))
    out_shape = (f.shape[0] - 2, f.shape[1] - 2)
    padded = np.pad(f, [(0, s % 2) for s in out_shape])
    transformed_g = transform_filter(g)  # once per filter
    out = np.zeros((out_shape[0] + out_shape[0] % 2, out_shape[1] + out_shape[1] % 2))
    for r in range(0, out.shape[0], 2):
        for c in range(0, out.shape[1], 2):
            tile, exponent = _normalized(padded[r : r + 4, c : c + 4])  # each tile its own
            out[r : r + 2, c : c + 2] = _scaled_back(
                winograd_tile(tile, transformed_g), exponent + g_exponent
            )
    return out[: out_shape[0], : out_shape[1]]


def correlate_tile_direct(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The same 'valid' cross-correlation of a tile, by the definition: each output pixel is
    the sum of ``g``'s taps times the pixels under them (``k_h k_w`` multiplications each)."""
    d, g = np.asarray(d), np.asarray(g)
    rows, cols = d.shape[0] - g.shape[0] + 1, d.shape[1] - g.shape[1] + 1
    out = np.empty((rows, cols), dtype=object if d.dtype == object else float)
    for i in range(rows):
        for j in range(cols):
            out[i, j] = (d[i : i + g.shape[0], j : j + g.shape[1]] * g).sum()
    return out


class Counted:
    """A number that counts the operations done with it, to count an algorithm's work.

    Numbers made by :func:`count_multiplications` from the input tile and the filter are
    *data*; plain Python or numpy numbers (the entries of ``B``, ``G``, ``A``) are constants.
    A product of two data numbers is a *general multiplication* (what Lavin and Gray count);
    a product with a constant is a scaling (by 0, +-1 or +-1/2 here: a sign change or a shift).
    """

    def __init__(self, value: float, tally: dict[str, int]):
        self.value = float(value)
        self.tally = tally

    def _combine(self, other, operation: str, result: float) -> Counted:
        kind = operation
        if operation == "multiplication":
            kind = "general multiplication" if isinstance(other, Counted) else "scaling"
        self.tally[kind] = self.tally.get(kind, 0) + 1
        return Counted(result, self.tally)

    def _other(self, other) -> float:
        return other.value if isinstance(other, Counted) else float(other)

    def __mul__(self, other):
        return self._combine(other, "multiplication", self.value * self._other(other))

    __rmul__ = __mul__

    def __add__(self, other):
        return self._combine(other, "addition", self.value + self._other(other))

    __radd__ = __add__

    def __sub__(self, other):
        return self._combine(other, "addition", self.value - self._other(other))

    def __rsub__(self, other):
        return self._combine(other, "addition", self._other(other) - self.value)

    def __neg__(self):
        return Counted(-self.value, self.tally)

    def __float__(self) -> float:
        return self.value


def count_multiplications(
    algorithm: Callable[[np.ndarray, np.ndarray], np.ndarray],
    d: np.ndarray,
    g: np.ndarray,
    filter_transform: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, dict[str, int]]:
    """Run ``algorithm(d, g)`` on counting numbers; return its result and the operations done.

    Parameters
    ----------
    algorithm : callable
        Takes the tile ``d`` and the filter ``g`` (object arrays of :class:`Counted`).
    d, g : ndarray
        The input tile and the filter.
    filter_transform : callable, optional
        Work done once per filter (Winograd's ``G g G^T``), not once per tile: it runs on
        counting numbers of its own, and what it counts is left out of the tally.

    Returns
    -------
    (ndarray of float, dict)
        The algorithm's output as floats, and counts of "general multiplication", "scaling"
        and "addition".
    """
    tally: dict[str, int] = {}

    def counted(array: np.ndarray, into: dict[str, int]) -> np.ndarray:
        array = np.asarray(array, dtype=float)
        out = np.empty(array.shape, dtype=object)
        for index, value in np.ndenumerate(array):
            out[index] = Counted(value, into)
        return out

    d_counted, g_counted = counted(d, tally), counted(g, tally)
    if filter_transform is not None:
        once: dict[str, int] = {}
        transformed = filter_transform(counted(g, once))
        for x in transformed.flat:  # data again, counted from here on
            x.tally = tally
        g_counted = transformed
    out = algorithm(d_counted, g_counted)
    values = np.vectorize(float, otypes=[float])(out)
    return values, dict(tally)

"""Winograd's minimal filtering: fewer multiplications for small kernels.

CNN libraries compute 3x3 layers (cross-correlations) with Winograd's algorithm F(m, r): m
outputs of an r-tap filter from ``m + r - 1`` inputs with only ``m + r - 1`` multiplications,
instead of ``m * r``. The input tile is transformed with additions only (``B``), the filter
once per layer (``G``), the two are multiplied elementwise, and the output transform ``A``
again uses additions only. Nested in 2-D, F(2x2, 3x3) makes a 2x2 output tile with
``4 * 4 = 16`` multiplications instead of ``2 * 2 * 3 * 3 = 36``.

The matrices are those of Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks"
(2016).
"""

from __future__ import annotations

import numpy as np

# F(2, 3): y = A^T [(G g) * (B^T d)] for a 4-sample input tile d and a 3-tap filter g.
B_T = np.array(
    [[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, -1.0, 1.0, 0.0], [0.0, 1.0, 0.0, -1.0]]
)
G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])
A_T = np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]])


def _check(array: np.ndarray, shape: tuple[int, ...], name: str) -> np.ndarray:
    """Return ``array`` as float after checking its shape."""
    array = np.asarray(array, dtype=float)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array


def winograd_f23(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """F(2, 3): two outputs of the 3-tap cross-correlation ``y[i] = sum_k d[i + k] g[k]``
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
    """
    d = _check(d, (4,), "d")
    g = _check(g, (3,), "g")
    products = (G @ g) * (B_T @ d)  # the only 4 multiplications that depend on the data
    return A_T @ products


def winograd_f2x2_3x3(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """F(2x2, 3x3): a 2x2 tile of the 3x3 cross-correlation from a 4x4 input tile, with the 16
    multiplications of one elementwise product of 4x4 matrices.

    Parameters
    ----------
    d : ndarray of shape (4, 4)
        The input tile.
    g : ndarray of shape (3, 3)
        The filter.

    Returns
    -------
    ndarray of shape (2, 2)
        ``y[i, j] = sum_{k, l} d[i + k, j + l] g[k, l]``.
    """
    d = _check(d, (4, 4), "d")
    g = _check(g, (3, 3), "g")
    products = (G @ g @ G.T) * (B_T @ d @ B_T.T)  # 16 multiplications
    return A_T @ products @ A_T.T


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
    """
    f = np.asarray(f, dtype=float)
    g = _check(g, (3, 3), "g")
    if f.ndim != 2 or min(f.shape) < 3:
        raise ValueError(f"f must be a 2-D image of at least 3 x 3, got shape {f.shape}")
    out_shape = (f.shape[0] - 2, f.shape[1] - 2)
    padded = np.pad(f, [(0, s % 2) for s in out_shape])
    transformed_g = G @ g @ G.T  # once per filter
    out = np.zeros((out_shape[0] + out_shape[0] % 2, out_shape[1] + out_shape[1] % 2))
    for r in range(0, out.shape[0], 2):
        for c in range(0, out.shape[1], 2):
            tile = padded[r : r + 4, c : c + 4]
            out[r : r + 2, c : c + 2] = A_T @ (transformed_g * (B_T @ tile @ B_T.T)) @ A_T.T
    return out[: out_shape[0], : out_shape[1]]

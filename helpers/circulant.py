"""The bridge from the matrix view to the frequency view: circulant matrices and the DFT.

Under the 'wrap' boundary (indices taken modulo the image's size) convolution with ``g`` is
*circular* convolution, and its matrix ``C`` is block circulant with circulant blocks: entry
``C[(i, j), (p, q)] = g[(i - p) mod H, (j - q) mod W]`` (``g`` zero-padded to ``H x W``).
It is an ``H x H`` grid of ``W x W`` blocks: inside each block every row is the one above it
shifted cyclically by one column, and each row of blocks is the one above it shifted
cyclically by one block (a whole row of ``C`` is not, in general, a cyclic shift of the row
above it). The DFT diagonalizes every such matrix:

    W C W^{-1} = diag(H(kappa / H, lambda / W)),    W = W_H (x) W_W,

with ``(x)`` the Kronecker product of the 1-D DFT matrices ``W_N[kappa, p] = exp(-2 pi i
kappa p / N)``: the kernel's frequency response sits on the diagonal. DFT bin
``(kappa, lambda)`` is the frequency ``(u, v) = (kappa / H, lambda / W)`` in cycles per pixel
(bins past half the size are the negative frequencies ``kappa / H - 1``). The Fourier modes
``exp(2 pi i (kappa p / H + lambda q / W))`` are its eigenvectors; the constant image is mode
(0, 0), with eigenvalue ``H(0, 0) = sum(g)``.

Everything here is built from the definitions (index arithmetic, explicit exponentials), so
that it can check numpy's FFT and the course's convolution helpers, not repeat them.
"""

from __future__ import annotations

import numpy as np

from helpers.convolution import BOUNDARIES, convolve
from helpers.validation import as_integer, as_real_array, check_memory

MATRIX_LIMIT = 4096  # pixels: matrices here are dense, (pixels x pixels) entries


def _image_shape(shape: int | tuple[int, int], name: str = "f_shape") -> tuple[int, int]:
    shape = (shape, shape) if isinstance(shape, int | np.integer) else tuple(shape)
    if len(shape) != 2 or any(isinstance(s, bool) or int(s) != s or s < 1 for s in shape):
        raise ValueError(f"{name} must be two positive integers (rows, columns), got {shape}")
    rows, cols = int(shape[0]), int(shape[1])
    if rows * cols > MATRIX_LIMIT:
        raise ValueError(
            f"{name} {shape} has {rows * cols} pixels: its dense matrix would hold "
            f"{(rows * cols) ** 2} entries; use at most {MATRIX_LIMIT} pixels (64 x 64)"
        )
    return rows, cols


def circulant_matrix(g: np.ndarray, f_shape: int | tuple[int, int]) -> np.ndarray:
    """The matrix of circular convolution with ``g`` on ``f_shape`` images (period ``f_shape``).

    ``C @ f.ravel()`` is ``sum_{a, b} g[a, b] f[(i - a) mod H, (j - b) mod W]`` for every
    pixel ``(i, j)``, flattened row by row; this is what ``helpers.fourier.circular_convolve``
    computes with the FFT, and ``convolve(f, g, 'same', boundary='wrap')`` up to a cyclic
    shift of the output by ``(k - 1) // 2``.

    Parameters
    ----------
    g : array_like
        A 2-D kernel, no larger than the image in either direction.
    f_shape : int or (rows, columns)
        The image's shape, at most 4096 pixels.

    Returns
    -------
    ndarray of shape (H W, H W)
    """
    g = as_real_array(g, "g", finite=True)
    if g.ndim != 2:
        raise ValueError(f"g must be a 2-D kernel, got shape {g.shape}")
    rows, cols = _image_shape(f_shape)
    if g.shape[0] > rows or g.shape[1] > cols:
        raise ValueError(f"g of shape {g.shape} must fit in the period {(rows, cols)}")
    padded = np.zeros((rows, cols), dtype=g.dtype)
    padded[: g.shape[0], : g.shape[1]] = g
    i, j = np.divmod(np.arange(rows * cols), cols)  # output pixel of each row of C
    di = (i[:, None] - i[None, :]) % rows  # row offset a = (i - p) mod H
    dj = (j[:, None] - j[None, :]) % cols  # column offset b = (j - q) mod W
    return padded[di, dj]


def boundary_matrix(g: np.ndarray, f_shape: int | tuple[int, int], boundary: str) -> np.ndarray:
    """The matrix of ``convolve(f, g, 'same', boundary=boundary)`` on ``f_shape`` images.

    Built column by column: column ``p`` is the output for the image that is 1 at pixel ``p``
    and 0 elsewhere (the matrix of any linear map, read off its unit inputs).
    """
    g = as_real_array(g, "g", finite=True)
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, got {boundary!r}")
    rows, cols = _image_shape(f_shape)
    columns = []
    for pixel in range(rows * cols):
        unit = np.zeros(rows * cols)
        unit[pixel] = 1.0
        columns.append(convolve(unit.reshape(rows, cols), g, "same", "direct", boundary).ravel())
    return np.stack(columns, axis=1)


def dft_matrix(n: int) -> np.ndarray:
    """The ``n x n`` DFT matrix ``W[kappa, p] = exp(-2 pi i kappa p / n)``, from the definition
    (row ``kappa``: the frequency bin; column ``p``: the sample).

    Raises
    ------
    TypeError
        If ``n`` is not an integer (``3.0`` and ``True`` included).
    ValueError
        If building the matrix would need more than the memory limit of
        ``helpers.validation`` (``n`` above about 3,300), or ``n`` is below 1.
    """
    n = as_integer(n, "n", low=1)
    check_memory(
        48.0 * n**2,  # measured peak: the complex128 matrix and the temporaries of its exponent
        f"the {n} x {n} DFT matrix",
        "use np.fft.fft, which never builds the matrix, or a smaller n",
    )
    kappa, p = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return np.exp(-2j * np.pi * kappa * p / n)


def dft2_matrix(f_shape: int | tuple[int, int]) -> np.ndarray:
    """The 2-D DFT as a matrix on row-major flattened images: ``W_H (x) W_W``.

    ``dft2_matrix(f.shape) @ f.ravel()`` is ``np.fft.fft2(f).ravel()``, because
    ``vec(A X B^T) = (A (x) B) vec(X)`` for row-major flattening.
    """
    rows, cols = _image_shape(f_shape)
    return np.kron(dft_matrix(rows), dft_matrix(cols))


def diagonalize(matrix: np.ndarray, f_shape: int | tuple[int, int]) -> np.ndarray:
    """``W matrix W^{-1}`` with the 2-D DFT matrix ``W`` (``W^{-1} = conj(W) / (H W)``).

    For a block circulant ``matrix`` the result is diagonal, with the kernel's frequency
    response on the diagonal.
    """
    w = dft2_matrix(f_shape)
    matrix = np.asarray(matrix)
    if matrix.shape != w.shape:
        raise ValueError(
            f"matrix must have shape {w.shape} for images {f_shape}, got {matrix.shape}"
        )
    return w @ matrix @ w.conj() / w.shape[0]

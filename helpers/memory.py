"""How many bytes each representation of a convolution holds, measured, as the image grows.

For an N x N image and a k x k kernel ('full' mode):

- the dense Toeplitz matrix has ``(N + k - 1)**2 * N**2`` entries: it grows like ``N**4``;
- the sparse one stores only the ``k**2`` taps of each input pixel's column: ``N**2 k**2``
  values plus their indices;
- the im2col patch matrix (of the zero-padded image, for the 'full' output) has one row of
  ``k**2`` values per output pixel;
- the FFT buffers hold two spectra, their product and the output: about ``4 (N + k - 1)**2``
  real numbers (each spectrum, of a real image, half as many complex ones).

Measured means: ``nbytes`` of the arrays actually built (for a sparse matrix, its data,
indices and index pointers). A dense matrix too large to build is counted from its shape, and
:func:`measure_representations` says which.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft
import scipy.sparse

from helpers.convolution import im2col, toeplitz_matrix
from helpers.validation import as_integer, as_number, as_real_array, as_shape

MODES = ("full", "same", "valid")


def stored_bytes(matrix: np.ndarray | scipy.sparse.sparray | scipy.sparse.spmatrix) -> int:
    """Bytes a dense array or a sparse matrix actually holds.

    A numpy array counts its ``nbytes``; a CSR/CSC/BSR matrix its ``data``, ``indices`` and
    ``indptr``; a COO matrix its ``data`` and coordinate arrays.
    """
    if isinstance(matrix, np.ndarray):
        return int(matrix.nbytes)
    if scipy.sparse.issparse(matrix):
        if matrix.format in ("csr", "csc", "bsr"):
            return int(matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes)
        if matrix.format == "coo":
            return int(matrix.data.nbytes + sum(c.nbytes for c in matrix.coords))
        raise TypeError(f"matrix: sparse format {matrix.format!r} not supported; use csr or coo")
    raise TypeError(f"matrix must be a numpy array or a scipy.sparse matrix, got {type(matrix)}")


def output_shape(
    f_shape: tuple[int, ...], g_shape: tuple[int, ...], mode: str = "full"
) -> tuple[int, ...]:
    """The shape of the convolution of an ``f_shape`` image with a ``g_shape`` kernel.

    As ``helpers.convolution.convolve``: in 'valid' mode the kernel may also be the larger
    array (the two are swapped), as long as one of them holds the other in every dimension.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    f_shape = as_shape(f_shape, "f_shape")
    g_shape = as_shape(g_shape, "g_shape", ndim=len(f_shape))
    if mode == "full":
        return tuple(n + k - 1 for n, k in zip(f_shape, g_shape, strict=True))
    if mode == "same":
        return f_shape
    pairs = list(zip(f_shape, g_shape, strict=True))
    if not (all(k <= n for n, k in pairs) or all(n <= k for n, k in pairs)):
        raise ValueError(
            f"'valid' mode needs the kernel {g_shape} to fit in the image {f_shape}, or the "
            "image in the kernel"
        )
    return tuple(abs(n - k) + 1 for n, k in pairs)


def dense_toeplitz_bytes(
    f_shape: tuple[int, ...], g_shape: tuple[int, ...], mode: str = "full", itemsize: int = 8
) -> int:
    """Bytes of the dense Toeplitz matrix, from its shape: (output pixels) x (input pixels).

    Counted with Python integers, which do not overflow however large the matrix.
    """
    itemsize = as_integer(itemsize, "itemsize", low=1)
    rows = math.prod(output_shape(f_shape, g_shape, mode))
    return rows * math.prod(f_shape) * itemsize


def fft_buffers(f: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
    """The arrays a zero-padded FFT convolution builds: both spectra, their product, the
    output. The padded size is ``scipy.fft.next_fast_len(n + k - 1)`` in every dimension."""
    f, g = _image_and_kernel(f, g)
    shape = [
        scipy.fft.next_fast_len(n + k - 1, real=True) for n, k in zip(f.shape, g.shape, strict=True)
    ]
    f_hat = scipy.fft.rfftn(f, shape)
    g_hat = scipy.fft.rfftn(g, shape)
    product = f_hat * g_hat
    return [f_hat, g_hat, product, scipy.fft.irfftn(product, shape)]


def measure_representations(
    f: np.ndarray, g: np.ndarray, dense_limit: int = 2**26
) -> dict[str, tuple[int, bool]]:
    """Bytes of each representation of ``convolve(f, g, mode="full")``, built and measured.

    Parameters
    ----------
    f, g : ndarray
        The 2-D image and kernel.
    dense_limit : int
        Build the dense Toeplitz matrix only when it needs at most this many bytes; above it,
        count its bytes from the shape.

    Returns
    -------
    dict of name to (bytes, measured)
        Names "dense Toeplitz", "sparse Toeplitz", "im2col", "FFT buffers"; ``measured`` is
        False only for a dense matrix counted from its shape.
    """
    f, g = _image_and_kernel(f, g)
    dense_limit = as_number(dense_limit, "dense_limit", low=0)
    dense = dense_toeplitz_bytes(f.shape, g.shape, "full", f.itemsize)
    if dense <= dense_limit:
        dense_entry = (stored_bytes(toeplitz_matrix(g, f.shape, mode="full")), True)
    else:
        dense_entry = (dense, False)
    return {
        "dense Toeplitz": dense_entry,
        "sparse Toeplitz": (
            stored_bytes(toeplitz_matrix(g, f.shape, mode="full", sparse=True)),
            True,
        ),
        "im2col": (
            stored_bytes(im2col(np.pad(f, [(k - 1, k - 1) for k in g.shape]), g.shape)),
            True,
        ),
        "FFT buffers": (sum(stored_bytes(b) for b in fft_buffers(f, g)), True),
    }


def _image_and_kernel(f: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both 2-D, finite, as float64."""
    f = as_real_array(f, "f", finite=True).astype(float)
    g = as_real_array(g, "g", finite=True).astype(float)
    if f.ndim != 2 or g.ndim != 2:
        raise ValueError(f"f and g must be 2-D, got shapes {f.shape} and {g.shape}")
    return f, g


def growth_exponent(sizes: np.ndarray, values: np.ndarray) -> float:
    """The slope of the least-squares line through ``(log size, log value)``: the ``p`` in
    ``value ~ size**p``. Needs at least two different sizes."""
    sizes = as_real_array(sizes, "sizes").astype(float)
    values = as_real_array(values, "values").astype(float)
    if sizes.shape != values.shape or sizes.ndim != 1 or sizes.size < 2:
        raise ValueError(
            "sizes and values must be 1-D of the same length >= 2, got "
            f"{sizes.shape}, {values.shape}"
        )
    if not (np.isfinite(sizes).all() and np.isfinite(values).all()):
        raise ValueError("sizes and values must be finite, got NaN or infinity")
    if np.any(sizes <= 0) or np.any(values <= 0):
        raise ValueError("sizes and values must be positive to take logarithms")
    if np.all(sizes == sizes[0]):
        raise ValueError(f"sizes must hold at least two different sizes, got {sizes.tolist()}")
    slope, _ = np.polyfit(np.log(sizes), np.log(values), 1)
    return float(slope)


def largest_side_within_budget(
    budget: int, g_shape: tuple[int, int], mode: str = "full", itemsize: int = 8
) -> int:
    """The largest N such that the dense Toeplitz matrix of an N x N image fits in ``budget``
    bytes; 0 if not even a 1 x 1 image does (in 'valid' mode the image must hold the kernel).
    """
    budget = as_number(budget, "budget", low=0)
    g_shape = as_shape(g_shape, "g_shape", ndim=2)
    itemsize = as_integer(itemsize, "itemsize", low=1)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    smallest = max(g_shape) if mode == "valid" else 1

    def fits(n: int) -> bool:
        return dense_toeplitz_bytes((n, n), g_shape, mode, itemsize) <= budget

    if not fits(smallest):
        return 0
    low, high = smallest, smallest + 1
    while fits(high):  # the bytes grow like n**4: doubling finds an upper bound fast
        low, high = high, 2 * high
    while high - low > 1:  # fits(low) and not fits(high)
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low

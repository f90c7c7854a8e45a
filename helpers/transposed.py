"""Strided convolution as a matrix, and its transpose: the transposed convolution that upsamples.

Following Dumoulin and Visin, "A guide to convolution arithmetic for deep learning" (2016),
in the course's notation: a CNN layer (a cross-correlation, as
``torch.nn.functional.conv2d``) with stride ``s`` and padding ``p`` (zeros on each side) maps
an ``n``-pixel side to ``o = (n + 2p - k) // s + 1`` pixels. It is a matrix ``M`` of shape
(output pixels, input pixels). Its transpose maps ``o`` pixels back towards ``n``: with
``s > 1`` it *upsamples*. That map is the transposed convolution
(``torch.nn.functional.conv_transpose2d``), and it can be computed without any matrix:

1. insert ``s - 1`` zeros between the input's pixels (``s (o - 1) + 1`` pixels per side),
2. convolve (flip the kernel: a true convolution) in 'full' mode,
3. drop ``p`` pixels at each end.

The output has ``s (o - 1) + k - 2p`` pixels per side. Since several input sizes ``n`` give
the same ``o`` (the division rounds down), the transpose alone cannot know which ``n`` it
should return: ``output_padding`` (``0 <= output_padding < s``) adds that many pixels at the
end, to get back ``n = s (o - 1) + k - 2p + output_padding``. Without padding the pixels it
adds are ones no window saw, and they are zero; with padding they can be seen, and are not.
"""

from __future__ import annotations

import numpy as np

from helpers.convolution import layer_output_size
from helpers.validation import as_real_array, check_memory


def _count(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _kernel(g) -> np.ndarray:
    g = as_real_array(g, "g", finite=True)
    if g.ndim != 2:
        raise ValueError(f"g must be a 2-D kernel, got shape {g.shape}")
    return g


def layer_matrix(
    g: np.ndarray, f_shape: tuple[int, int], stride: int = 1, padding: int = 0
) -> np.ndarray:
    """The matrix ``M`` of a strided, padded layer: ``M @ f.ravel()`` is
    ``cross_correlate_layer(f, g, stride, padding).ravel()`` (``conv2d`` of one channel).

    Row ``x0 * o1 + x1`` holds ``g`` placed with its top-left tap on input pixel
    ``(s x0 - p, s x1 - p)``; taps that land in the padding are dropped (they meet zeros).
    """
    g = _kernel(g)
    stride, padding = _count(stride, "stride", 1), _count(padding, "padding", 0)
    rows, cols = (_count(n, "f_shape", 1) for n in f_shape)
    out_rows = layer_output_size(rows, g.shape[0], stride, padding)
    out_cols = layer_output_size(cols, g.shape[1], stride, padding)
    if min(out_rows, out_cols) < 1:
        raise ValueError(
            f"g of shape {g.shape} does not fit f_shape {f_shape} with padding {padding}"
        )
    check_memory(
        8.0 * out_rows * out_cols * rows * cols,
        f"the {out_rows * out_cols} x {rows * cols} matrix of this layer",
        "draw it for a small image (the layer itself: helpers.convolution.cross_correlate_layer)",
    )
    matrix = np.zeros((out_rows * out_cols, rows * cols))
    for x0 in range(out_rows):
        for x1 in range(out_cols):
            for (a, b), weight in np.ndenumerate(g):
                i, j = stride * x0 + a - padding, stride * x1 + b - padding
                if 0 <= i < rows and 0 <= j < cols:
                    matrix[x0 * out_cols + x1, i * cols + j] += weight
    return matrix


def transposed_output_size(
    o: int, k: int, stride: int = 1, padding: int = 0, output_padding: int = 0
) -> int:
    """Side of a transposed convolution's output from an ``o``-pixel side:
    ``s (o - 1) + k - 2p + output_padding``."""
    o, k = _count(o, "o", 1), _count(k, "k", 1)
    stride, padding = _count(stride, "stride", 1), _count(padding, "padding", 0)
    output_padding = _count(output_padding, "output_padding", 0)
    if output_padding >= stride:
        raise ValueError(
            f"output_padding must be smaller than stride {stride}, got {output_padding}"
        )
    size = stride * (o - 1) + k - 2 * padding + output_padding
    if size < 1:
        raise ValueError(f"padding {padding} removes the whole output of side {size + 2 * padding}")
    return size


def insert_zeros(y: np.ndarray, stride: int) -> np.ndarray:
    """``y`` with ``stride - 1`` zeros between neighbouring pixels, in both directions."""
    y = as_real_array(y, "y", finite=True)
    stride = _count(stride, "stride", 1)
    if y.ndim != 2:
        raise ValueError(f"y must be 2-D, got shape {y.shape}")
    out = np.zeros((stride * (y.shape[0] - 1) + 1, stride * (y.shape[1] - 1) + 1), dtype=y.dtype)
    out[::stride, ::stride] = y
    return out


def conv_transpose(
    y: np.ndarray, g: np.ndarray, stride: int = 1, padding: int = 0, output_padding: int = 0
) -> np.ndarray:
    """The transposed convolution of ``y`` with ``g``, by zero insertion (one channel of
    ``torch.nn.functional.conv_transpose2d``): insert zeros, convolve 'full', crop.

    Returns
    -------
    ndarray of side ``transposed_output_size(side, k, stride, padding, output_padding)``
    """
    y, g = as_real_array(y, "y", finite=True), _kernel(g)
    shape = [
        transposed_output_size(n, k, stride, padding, output_padding)
        for n, k in zip(y.shape, g.shape, strict=True)
    ]
    spread = insert_zeros(y, stride)
    full = np.zeros((spread.shape[0] + g.shape[0] - 1, spread.shape[1] + g.shape[1] - 1))
    for (a, b), weight in np.ndenumerate(g):  # full convolution: each tap shifts a copy
        full[a : a + spread.shape[0], b : b + spread.shape[1]] += weight * spread
    full = np.pad(full, [(0, output_padding)] * 2)  # the extra pixels of output_padding
    return full[padding : padding + shape[0], padding : padding + shape[1]]

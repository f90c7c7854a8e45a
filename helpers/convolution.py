"""Discrete convolution and cross-correlation of 1-D and 2-D arrays, computed five ways.

The definition, rows first, for an image ``f`` of shape (H, W) and a kernel ``g`` of shape
(kh, kw) with taps ``g[a, b]``::

    (f * g)[i, j] = sum_a sum_b g[a, b] f[i - a, j - b]

summed over the taps of ``g``, with ``f`` taken as zero outside the image. The *full* result has
shape (H + kh - 1, W + kw - 1); 'same' and 'valid' are windows of it. Cross-correlation is
convolution with the flipped filter: ``correlate(f, g) == convolve(f, g[::-1, ::-1])``.

Every method computes the same numbers:

- ``"loops"``: plain Python loops over the defining sum (:func:`convolve_loops`), to be read;
- ``"direct"``: vectorized shift-and-add, one scaled shifted copy of the image per filter entry;
- ``"toeplitz"``: an explicit matrix (scipy.sparse) times the flattened image
  (:func:`toeplitz_matrix`);
- ``"im2col"``: a matrix of image patches times the flattened filter (:func:`im2col`);
- ``"fft"``: the convolution theorem, with zero padding so the result is linear, not circular;
- ``"auto"``: direct for small filters, fft for large ones (by an operation count, see
  ``_choose_method``), and direct whenever the input holds a NaN or an inf.

How a request is computed: every (mode, boundary) is turned into "pad the image (wrap or
symm only), then compute one rectangular window of the full convolution". Each method only has
to know how to compute such a window (the ``_window_*`` functions).

Modes and boundaries follow scipy exactly: ``scipy.signal.convolve``/``correlate`` for 1-D
arrays and ``scipy.signal.convolve2d``/``correlate2d`` for 2-D arrays. Two details worth
knowing: in 'valid' mode the arrays are swapped when the second one is the larger, and for
filters of even size 'same' keeps the window starting at ``(k - 1) // 2`` of the full result,
except for 2-D ``correlate`` which, like ``correlate2d``, starts at ``k // 2``. For 1-D arrays,
``boundary`` (which ``scipy.signal.convolve`` and ``correlate`` lack) extends ``f`` as
``convolve2d`` extends a 1 x n image, and a 1-D correlation keeps the centring of
``scipy.signal.correlate``: correlate(f, g, mode, boundary=b) equals convolve(f, g[::-1], mode,
boundary=b), which for an even-sized ``g`` in 'same' mode is not correlate2d of a 1 x n image.

The representations that grow fast (the dense and the sparse Toeplitz matrix, the im2col
patch matrix) are estimated before they are built and refused above
``helpers.validation.MEMORY_LIMIT_BYTES`` by ``helpers.validation.check_memory``.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft
import scipy.sparse
from numpy.lib.stride_tricks import sliding_window_view

from helpers.validation import (
    MEMORY_LIMIT_BYTES,
    as_integer,
    as_real_array,
    as_shape,
    check_memory,
)

MODES = ("full", "same", "valid")
METHODS = ("auto", "loops", "direct", "toeplitz", "im2col", "fft")
BOUNDARIES = ("fill", "wrap", "symm")
DENSE_LIMIT_BYTES = MEMORY_LIMIT_BYTES
_PAD_MODES = {"wrap": "wrap", "symm": "symmetric"}
_STRIP = 32768  # output pixels the direct method adds up at a time (they stay in cache)

Window = tuple[tuple[int, int], tuple[int, int]]  # (start, shape) of a window of the full result


# ----------------------------------------------------------------------------------- public API


def convolve(
    f: np.ndarray, g: np.ndarray, mode: str = "full", method: str = "auto", boundary: str = "fill"
) -> np.ndarray:
    """Convolve ``f`` with ``g`` (both 1-D or both 2-D, real).

    Parameters
    ----------
    f, g : array_like
        Real arrays of the same dimensionality (1 or 2). Integers and booleans are promoted to
        float64; float32 stays float32 when both arrays are float32.
    mode : {"full", "same", "valid"}
        'full': every position where f and g overlap, shape ``n + k - 1``. 'same': the shape of
        ``f``, centred on the full result. 'valid': only positions where one array lies entirely
        inside the other, shape ``|n - k| + 1`` (one of them must be at least as large as the
        other in every dimension).
    method : {"auto", "loops", "direct", "toeplitz", "im2col", "fft"}
        How to compute it; every method returns the same numbers (to rounding).
    boundary : {"fill", "wrap", "symm"}
        What lies outside ``f``: zeros, the periodic continuation, or the mirror image
        (edge pixel repeated: ``d c b a | a b c d | d c b a``). Has no effect in 'valid' mode.

    Returns
    -------
    numpy.ndarray
        float64, or float32 when both inputs are float32.
    """
    return _filter(f, g, mode, method, boundary, correlation=False)


def correlate(
    f: np.ndarray, g: np.ndarray, mode: str = "full", method: str = "auto", boundary: str = "fill"
) -> np.ndarray:
    """Cross-correlate ``f`` with ``g``: the sum of ``g[a, b] f[i + a, j + b]``, no flip.

    Same parameters as :func:`convolve`; equal to ``convolve(f, g[::-1, ::-1], ...)`` except
    for the centring of 'same' with an even-sized 2-D ``g`` (as in ``scipy.signal.correlate2d``).
    """
    return _filter(f, g, mode, method, boundary, correlation=True)


def convolve_loops(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The full 2-D convolution of f with g, by the definition: four plain loops.

    (f * g)[i, j] = sum over m, n of f[m, n] g[i - m, j - n], where the sum runs over the
    pixels of f for which g[i - m, j - n] exists: 0 <= i - m < kh and 0 <= j - n < kw.
    Written to be read, not to be fast; it expects two 2-D arrays. ``convolve(f, g, mode,
    method="loops")`` checks its input and gives every mode and boundary.
    """
    H, W = f.shape  # the image f has H rows and W columns
    kh, kw = g.shape  # the kernel g has kh rows and kw columns
    out = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(H + kh - 1):
        for j in range(W + kw - 1):
            total = 0.0
            for m in range(max(0, i - kh + 1), min(H, i + 1)):  # rows where 0 <= i - m < kh
                for n in range(max(0, j - kw + 1), min(W, j + 1)):  # columns: 0 <= j - n < kw
                    total += f[m, n] * g[i - m, j - n]
            out[i, j] = total
    return out


def toeplitz_matrix(
    g: np.ndarray, f_shape: int | tuple[int, ...], mode: str = "full", sparse: bool = False
) -> np.ndarray | scipy.sparse.csr_array:
    """The matrix T of convolution with ``g``: ``T @ f.ravel() == convolve(f, g, mode).ravel()``.

    One row per output pixel, one column per input pixel (both in row-major order); the row
    of output pixel x holds the flipped filter placed at x. For 2-D input it is the doubly
    block Toeplitz matrix. Boundary is 'fill' (zeros).

    Parameters
    ----------
    g : array_like
        The filter, 1-D or 2-D.
    f_shape : int or tuple of int
        The shape of the images the matrix acts on (same dimensionality as ``g``).
    mode : {"full", "same", "valid"}
    sparse : bool
        Return a ``scipy.sparse.csr_array`` instead of a dense numpy array.

    Raises
    ------
    ValueError
        When the dense matrix would need more than 512 MiB (use ``sparse=True``), or the
        sparse one more than 512 MiB while it is built.
    """
    g = as_real_array(g, "g")
    _check_finite(g, "g", "toeplitz")
    f_shape = as_shape(f_shape, "f_shape", ndim=g.ndim)
    _check_choice("mode", mode, MODES)
    g2, f2_shape = _as_2d(g), _as_2d_shape(f_shape)
    _check_valid_sizes(mode, f2_shape, g2.shape)
    window = _output_window(f2_shape, g2.shape, mode, same_start=_centre_start)
    if sparse:
        _check_sparse_size(g2, f2_shape, window)
    else:
        _check_dense_size(math.prod(window[1]) * math.prod(f2_shape), g2.dtype)
    return _toeplitz(g2, f2_shape, window, sparse)


def im2col(f: np.ndarray, g_shape: int | tuple[int, ...]) -> np.ndarray:
    """The patch matrix of ``f`` for a filter of shape ``g_shape`` (the 'valid' positions).

    Layout: one row per position of the 'valid' output, in row-major order (row
    ``i * (W - kw + 1) + j`` is the patch whose top-left pixel is ``f[i, j]``), and one column
    per filter entry, in row-major order: the row is ``f[i:i + kh, j:j + kw].ravel()``. So

    - ``im2col(f, g.shape) @ g.ravel()`` is ``correlate(f, g, 'valid').ravel()``, and
    - ``im2col(f, g.shape) @ g[::-1, ::-1].ravel()`` is ``convolve(f, g, 'valid').ravel()``.

    Pad ``f`` first (``np.pad``) to get 'same' or 'full' outputs. The matrix has about
    ``f.size * kh * kw`` entries: each pixel is copied once per filter entry (a NaN or an inf
    too); above 512 MiB it is refused before it is built. (CS231n, Caffe and
    ``torch.nn.functional.unfold`` put each patch in a *column*, hence "image to columns":
    their matrix is this one transposed.)
    """
    f = as_real_array(f, "f")
    g_shape = as_shape(g_shape, "g_shape", ndim=f.ndim)
    if any(k > n for k, n in zip(g_shape, f.shape, strict=True)):
        raise ValueError(
            f"g_shape must be {f.ndim} positive integers no larger than f's shape {f.shape}, "
            f"got {g_shape}"
        )
    rows = math.prod(n - k + 1 for n, k in zip(f.shape, g_shape, strict=True))
    check_memory(
        rows * math.prod(g_shape) * f.itemsize,
        f"the im2col patch matrix ({rows} x {math.prod(g_shape)})",
        "use method='direct' or 'fft', or a smaller image",
    )
    patches = sliding_window_view(f, g_shape)
    return patches.reshape(-1, math.prod(g_shape))


def layer_output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length of a CNN layer along one axis (as in ``torch.nn.Conv2d``).

    A filter of length k with dilation d spans ``d * (k - 1) + 1`` pixels; it fits
    ``n + 2 * padding`` pixels at every ``stride``-th position.

    Raises
    ------
    ValueError
        When the filter does not fit even once (no output, as ``torch.nn.Conv2d`` refuses).
    """
    _check_layer_sizes(n, k, stride, padding, dilation)
    span = dilation * (k - 1) + 1
    return (n + 2 * padding - span) // stride + 1


def cross_correlate_layer(
    f: np.ndarray,
    g: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> np.ndarray:
    """What a CNN layer computes for one channel: ``torch.nn.functional.conv2d``, in numpy.

    ``out[i, j] = sum_{a, b} g[a, b] fp[i * stride + a * dilation, j * stride + b * dilation]``
    where ``fp`` is ``f`` with ``padding`` zeros on every side. Note: no flip of g. This is a
    cross-correlation, even though the layer is called a convolution.

    Parameters
    ----------
    f, g : array_like
        2-D real arrays: the image and the filter.
    stride, padding, dilation : int or pair of int
        Per axis (rows, columns) when a pair. stride >= 1, padding >= 0, dilation >= 1.
    """
    f, g = _check_arrays(f, g)
    if f.ndim != 2:
        raise ValueError(f"f and g must be 2-D for a layer, got shapes {f.shape} and {g.shape}")
    stride = _pair("stride", stride, minimum=1)
    padding = _pair("padding", padding, minimum=0)
    dilation = _pair("dilation", dilation, minimum=1)
    padded = math.prod(n + 2 * p for n, p in zip(f.shape, padding, strict=True))
    check_memory(2 * padded * f.itemsize, "the padded image", "use less padding")
    spans = [d * (k - 1) + 1 for k, d in zip(g.shape, dilation, strict=True)]
    if any(s > n + 2 * p for s, n, p in zip(spans, f.shape, padding, strict=True)):
        raise ValueError(
            f"g of shape {g.shape} with dilation {dilation} does not fit f of shape {f.shape} "
            f"with padding {padding}"
        )
    fp = np.pad(f, [(p, p) for p in padding])
    windows = sliding_window_view(fp, spans)  # windows[i, j] = fp[i:i + span_h, j:j + span_w]
    taken = windows[:: stride[0], :: stride[1], :: dilation[0], :: dilation[1]]
    return np.einsum("ijab,ab->ij", taken, g)


# ---------------------------------------------------------------------------- the request


def _filter(
    f: np.ndarray, g: np.ndarray, mode: str, method: str, boundary: str, correlation: bool
) -> np.ndarray:
    """Validate, then: flip g for a correlation, pad f for the boundary, compute one window."""
    f, g = _check_arrays(f, g)
    _check_choice("mode", mode, MODES)
    _check_choice("method", method, METHODS)
    _check_choice("boundary", boundary, BOUNDARIES)
    _check_valid_sizes(mode, f.shape, g.shape)
    if method in ("fft", "toeplitz"):
        _check_finite(f, "f", method)
        _check_finite(g, "g", method)
    one_d = f.ndim == 1
    f, g = _as_2d(f), _as_2d(g)
    same_start = _centre_start
    if correlation:
        g = g[::-1, ::-1]
        if not one_d:
            same_start = _correlate2d_start
    f, window = _pad_for_boundary(f, g.shape, mode, boundary, same_start)
    if method == "auto":
        method = _choose_method(f, g)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused just below
        out = _WINDOW_METHODS[method](f, g, window)
    _check_no_overflow(out, f, g)
    return out[0] if one_d else out


def _output_window(f_shape, g_shape, mode: str, same_start) -> Window:
    """Which window (start, shape) of the full convolution each mode returns."""
    pairs = list(zip(f_shape, g_shape, strict=True))
    if mode == "full":
        return tuple(0 for _ in pairs), tuple(n + k - 1 for n, k in pairs)
    if mode == "same":
        return tuple(same_start(k) for _, k in pairs), tuple(f_shape)
    return tuple(min(n, k) - 1 for n, k in pairs), tuple(abs(n - k) + 1 for n, k in pairs)


def _centre_start(k: int) -> int:
    """Where 'same' starts in the full result (scipy's convolve, convolve2d and correlate)."""
    return (k - 1) // 2


def _correlate2d_start(k: int) -> int:
    """Where 'same' starts in the full result for scipy.signal.correlate2d (flipped g)."""
    return k // 2


def _pad_for_boundary(
    f, g_shape, mode: str, boundary: str, same_start
) -> tuple[np.ndarray, Window]:
    """Pad f (wrap or symm) so the requested output is a window of the full convolution.

    With zeros outside f ('fill', and every 'valid' request) nothing needs padding: the window
    is taken from the full convolution of f itself. Otherwise f is extended by exactly the
    pixels the window reaches, and the window becomes the 'valid' part of the padded image.
    """
    start, shape = _output_window(f.shape, g_shape, mode, same_start)
    if boundary == "fill" or mode == "valid":
        return f, (start, shape)
    f = np.pad(f, _padding(f.shape, g_shape, (start, shape)), mode=_PAD_MODES[boundary])
    return f, (tuple(k - 1 for k in g_shape), shape)


def _choose_method(f: np.ndarray, g: np.ndarray) -> str:
    """'auto': the FFT when a rough operation count says it is cheaper, else direct.

    Direct costs about (output pixels) x (entries of the smaller array); the FFT about
    2 L log2(L) for L pixels of FFT grid, whatever the filter. As L is about the number of
    output pixels, the FFT wins once the filter has more than 2 log2(L) entries: from 7 x 7 on
    the images of benchmarks/convolution.py, which measured the crossover there. A NaN or an
    inf always goes direct, where it stays local; the FFT would smear it over the whole output.
    """
    fft_pixels = math.prod(n + k - 1 for n, k in zip(f.shape, g.shape, strict=True))
    if min(f.size, g.size) <= 2 * math.log2(fft_pixels):
        return "direct"
    return "fft" if np.isfinite(f).all() and np.isfinite(g).all() else "direct"


# ------------------------------------------------------- one window of the full convolution
#
# Each function returns full[start0:start0 + m0, start1:start1 + m1] of the full 2-D
# convolution of f with g, for a window (start, shape) inside the full result.


def _window_loops(f: np.ndarray, g: np.ndarray, window: Window) -> np.ndarray:
    """By the definition (slow: for small arrays only)."""
    (s0, s1), (m0, m1) = window
    return convolve_loops(f, g)[s0 : s0 + m0, s1 : s1 + m1].astype(f.dtype)


def _window_direct(f: np.ndarray, g: np.ndarray, window: Window) -> np.ndarray:
    """Shift and add: for each filter entry, add a scaled, shifted copy of the image.

    With f zero-padded so that the window is the 'valid' part, output pixel (i, j) is the sum
    over filter entries (p, q) of taps[p, q] fp[i + p, j + q], where taps is g flipped. Two
    details make it fast in numpy. The padded image is flattened, so the copy shifted by (p, q)
    is one contiguous slice starting at p * width + q (the outputs that run past the end of a
    row land in extra columns, cut off at the end). And the output is added up in strips of
    _STRIP pixels, which stay in the CPU cache while every filter entry is added.
    """
    if g.size > f.size and _padding(g.shape, f.shape, window) is not None:
        f, g = g, f  # convolution is commutative: let the smaller array be the filter
    fp = _zero_pad(f, _padding(f.shape, g.shape, window))
    (m0, m1), width = window[1], fp.shape[1]
    taps, flat = g[::-1, ::-1], fp.ravel()
    out = np.zeros(m0 * width, dtype=fp.dtype)  # each output row as wide as the padded image
    length = (m0 - 1) * width + m1  # up to the last pixel we want
    scaled = np.empty(min(_STRIP, length), dtype=fp.dtype)
    for begin in range(0, length, _STRIP):
        end = min(begin + _STRIP, length)
        strip, term = out[begin:end], scaled[: end - begin]
        for (p, q), weight in np.ndenumerate(taps):
            shift = p * width + q
            np.multiply(flat[begin + shift : end + shift], weight, out=term)
            strip += term
    return out.reshape(m0, width)[:, :m1]


def _window_toeplitz(f: np.ndarray, g: np.ndarray, window: Window) -> np.ndarray:
    """A sparse matrix times the flattened image (dense would need n^2 x n^2 numbers)."""
    _check_sparse_size(g, f.shape, window)
    return (_toeplitz(g, f.shape, window, sparse=True) @ f.ravel()).reshape(window[1])


def _window_im2col(f: np.ndarray, g: np.ndarray, window: Window) -> np.ndarray:
    """Zero-pad f so the window is the 'valid' part, then patches times the flipped filter."""
    fp = _zero_pad(f, _padding(f.shape, g.shape, window))
    return (im2col(fp, g.shape) @ g[::-1, ::-1].ravel()).reshape(window[1])


def _window_fft(f: np.ndarray, g: np.ndarray, window: Window) -> np.ndarray:
    """Convolution theorem with real FFTs, long enough that no wrap-around reaches the window.

    The circular convolution of length L adds full[i + L] to full[i] (along each axis). Choosing
    L >= start + m (the window fits) and L >= full_length - start (nothing aliases into it),
    rounded up to a fast FFT size, makes the window exact.
    """
    start, shape = window
    full = [n + k - 1 for n, k in zip(f.shape, g.shape, strict=True)]
    lengths = [
        scipy.fft.next_fast_len(max(s + m, n - s), real=True)
        for s, m, n in zip(start, shape, full, strict=True)
    ]
    spectrum = scipy.fft.rfft2(f, lengths) * scipy.fft.rfft2(g, lengths)
    circular = scipy.fft.irfft2(spectrum, lengths)
    return circular[start[0] : start[0] + shape[0], start[1] : start[1] + shape[1]]


_WINDOW_METHODS = {
    "loops": _window_loops,
    "direct": _window_direct,
    "toeplitz": _window_toeplitz,
    "im2col": _window_im2col,
    "fft": _window_fft,
}


def _toeplitz(
    g: np.ndarray, f_shape: tuple[int, int], window: Window, sparse: bool
) -> np.ndarray | scipy.sparse.csr_array:
    """Matrix of a window of the full 2-D convolution with g; one filter entry at a time."""
    start, shape = window
    out_index = np.arange(math.prod(shape)).reshape(shape)
    in_index = np.arange(math.prod(f_shape)).reshape(f_shape)
    rows, cols, values = [], [], []
    for (p, q), weight in np.ndenumerate(g):  # output (i, j) takes weight * f[i - p, j - q]
        rows_out, rows_in = _overlap(start[0] - p, shape[0], f_shape[0])
        cols_out, cols_in = _overlap(start[1] - q, shape[1], f_shape[1])
        rows.append(out_index[rows_out, cols_out].ravel())
        cols.append(in_index[rows_in, cols_in].ravel())
        values.append(np.full(rows[-1].size, weight, dtype=g.dtype))
    rows, cols, values = np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
    matrix_shape = (math.prod(shape), math.prod(f_shape))
    if sparse:
        return scipy.sparse.csr_array((values, (rows, cols)), shape=matrix_shape)
    dense = np.zeros(matrix_shape, dtype=g.dtype)
    dense[rows, cols] = values
    return dense


def _padding(f_shape, g_shape, window: Window) -> list[tuple[int, int]] | None:
    """Zeros before and after f that make the window the 'valid' part (None if it cannot)."""
    start, shape = window
    before = [k - 1 - s for k, s in zip(g_shape, start, strict=True)]
    after = [s + m - n for s, m, n in zip(start, shape, f_shape, strict=True)]
    if min(before + after) < 0:
        return None
    return list(zip(before, after, strict=True))


def _zero_pad(f: np.ndarray, widths: list[tuple[int, int]]) -> np.ndarray:
    """f in a frame of zeros, (before, after) per axis: np.pad without its overhead."""
    (top, bottom), (left, right) = widths
    fp = np.zeros((top + f.shape[0] + bottom, left + f.shape[1] + right), dtype=f.dtype)
    fp[top : top + f.shape[0], left : left + f.shape[1]] = f
    return fp


def _overlap(first: int, count: int, n: int) -> tuple[slice, slice]:
    """Indices first .. first + count - 1 that fall inside 0 .. n - 1, as (output, input) slices."""
    low, high = max(first, 0), min(first + count, n)
    if low >= high:
        return slice(0, 0), slice(0, 0)
    return slice(low - first, high - first), slice(low, high)


# ------------------------------------------------------------------------------- validation


def _check_arrays(f, g) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays real, non-empty, 1-D or 2-D, of the same dimensionality and a common dtype."""
    f, g = as_real_array(f, "f"), as_real_array(g, "g")
    if f.ndim != g.ndim:
        raise ValueError(
            f"f and g must have the same number of dimensions, got shapes {f.shape} and {g.shape}"
        )
    dtype = np.result_type(f, g)
    return f.astype(dtype, copy=False), g.astype(dtype, copy=False)


def _check_layer_sizes(n: int, k: int, stride: int, padding: int, dilation: int) -> None:
    """Integers in range (n, k, stride, dilation >= 1, padding >= 0), and a filter that fits."""
    n, k = as_integer(n, "n", low=1), as_integer(k, "k", low=1)
    stride = as_integer(stride, "stride", low=1)
    padding = as_integer(padding, "padding", low=0)
    dilation = as_integer(dilation, "dilation", low=1)
    span = dilation * (k - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(
            f"a filter of {k} taps with dilation {dilation} spans {span} pixels and does not fit "
            f"n + 2 * padding = {n + 2 * padding} pixels"
        )


def _check_choice(name: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, valid))}; got {value!r}")


def _check_valid_sizes(mode: str, f_shape, g_shape) -> None:
    """'valid' needs one array at least as large as the other in every dimension."""
    f_larger = all(n >= k for n, k in zip(f_shape, g_shape, strict=True))
    g_larger = all(k >= n for n, k in zip(f_shape, g_shape, strict=True))
    if mode == "valid" and not (f_larger or g_larger):
        raise ValueError(
            f"mode 'valid' needs f or g to be at least as large as the other in every dimension, "
            f"got shapes {tuple(f_shape)} and {tuple(g_shape)}"
        )


def _check_no_overflow(out: np.ndarray, f: np.ndarray, g: np.ndarray) -> None:
    """Refuse a result that overflowed: an inf (or inf - inf) not in the input."""
    if not np.isfinite(out).all() and np.isfinite(f).all() and np.isfinite(g).all():
        raise ValueError(
            "the result overflows float64: f and g are too large for each other "
            f"(largest magnitudes {np.abs(f).max():.3g} and {np.abs(g).max():.3g}); scale one down"
        )


def _check_finite(x: np.ndarray, name: str, method: str) -> None:
    if not np.isfinite(x).all():
        raise ValueError(
            f"{name} contains NaN or inf: method={method!r} would smear it over the whole output; "
            f"use method='direct'"
        )


def _check_dense_size(entries: int, dtype: np.dtype) -> None:
    check_memory(
        entries * np.dtype(dtype).itemsize,
        "the dense Toeplitz matrix",
        "pass sparse=True for a scipy.sparse matrix",
        limit=DENSE_LIMIT_BYTES,
    )


def _toeplitz_nonzeros(g_shape, f_shape, window: Window) -> int:
    """Entries :func:`_toeplitz` stores: for each tap, the output pixels whose input exists.

    Tap (p, q) links output x to input x + start - (p, q) where both exist, so the count
    factorizes into one overlap length per axis, summed over the taps of that axis.
    """
    start, shape = window
    count = 1
    for s, m, n, k in zip(start, shape, f_shape, g_shape, strict=True):
        count *= sum(max(0, min(s - p + m, n) - max(s - p, 0)) for p in range(k))
    return count


def _check_sparse_size(g: np.ndarray, f_shape, window: Window) -> None:
    """Refuse a sparse Toeplitz matrix whose construction would need too many bytes.

    While it is built, each stored entry has a row index, a column index and a value, held
    twice (the per-tap pieces and their concatenation): about 2 (16 + itemsize) bytes each.
    """
    entries = _toeplitz_nonzeros(g.shape, f_shape, window)
    check_memory(
        entries * 2 * (16 + g.itemsize),
        f"the sparse Toeplitz matrix ({entries} stored entries)",
        "use method='direct' or 'fft' for this convolution, or a smaller image or kernel",
    )


def _pair(name: str, value, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints, each >= minimum, as a pair."""
    def is_int(v) -> bool:
        return isinstance(v, int | np.integer) and not isinstance(v, bool)

    pair = (value, value) if is_int(value) else value
    if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(map(is_int, pair))):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(pair[0]), int(pair[1])


def _as_2d(x: np.ndarray) -> np.ndarray:
    return x[np.newaxis, :] if x.ndim == 1 else x


def _as_2d_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    return (1, shape[0]) if len(shape) == 1 else (shape[0], shape[1])

"""helpers.convolution against scipy.signal and torch, the laws of convolution, and bad input."""

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.convolution import (
    BOUNDARIES,
    METHODS,
    MODES,
    convolve,
    convolve_loops,
    correlate,
    cross_correlate_layer,
    im2col,
    layer_output_size,
    toeplitz_matrix,
)

FAST = settings(max_examples=40, deadline=None)
seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 7)
shapes_2d = st.tuples(sizes, sizes)
shapes = st.one_of(st.tuples(st.integers(1, 12)), shapes_2d)


def random(seed: int, *shapes_: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes_]


def fits_valid(f_shape, g_shape) -> bool:
    """scipy's rule: 'valid' needs one array at least as large as the other in every dimension."""
    return all(n >= k for n, k in zip(f_shape, g_shape, strict=True)) or all(
        k >= n for n, k in zip(f_shape, g_shape, strict=True)
    )


def scipy_reference(f, g, mode, boundary, correlation):
    """scipy.signal.convolve/correlate for 1-D (a 1 x n image in convolve2d for wrap and symm),
    scipy.signal.convolve2d/correlate2d for 2-D."""
    if f.ndim == 1 and boundary == "fill":
        function = scipy.signal.correlate if correlation else scipy.signal.convolve
        return function(f, g, mode, method="direct")
    if f.ndim == 1:  # scipy.signal.correlate is convolve with g reversed, in every mode
        g_row = g[::-1] if correlation else g
        return scipy.signal.convolve2d(f[np.newaxis], g_row[np.newaxis], mode, boundary)[0]
    function = scipy.signal.correlate2d if correlation else scipy.signal.convolve2d
    return function(f, g, mode, boundary)


def assert_close(actual, expected, f, g, rtol=1e-10):
    """Agreement relative to the size of the terms summed (so near-zero outputs are fair)."""
    assert actual.shape == expected.shape
    scale = np.abs(f).sum() * np.abs(g).max()
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


# ------------------------------------------------------------------------- against scipy


@FAST
@given(
    seed=seeds,
    dims=st.sampled_from([1, 2]),
    f_size=st.tuples(sizes, sizes),
    g_size=st.tuples(sizes, sizes),
    mode=st.sampled_from(MODES),
    boundary=st.sampled_from(BOUNDARIES),
    correlation=st.booleans(),
)
def test_every_method_matches_scipy(seed, dims, f_size, g_size, mode, boundary, correlation):
    f_shape, g_shape = (f_size, g_size) if dims == 2 else ((f_size[0] * 2,), (g_size[1],))
    f, g = random(seed, f_shape, g_shape)
    function = correlate if correlation else convolve
    if mode == "valid" and not fits_valid(f_shape, g_shape):
        with pytest.raises(ValueError, match="'valid' needs f or g to be at least as large"):
            function(f, g, mode, "direct", boundary)
        return
    expected = scipy_reference(f, g, mode, boundary, correlation)
    for method in METHODS:
        assert_close(function(f, g, mode, method, boundary), expected, f, g)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("correlation", [False, True])
def test_edge_shapes_match_scipy(method, correlation):
    """1x1, 1xN, Nx1, even and non-square kernels, kernels larger than the image."""
    cases = [((1, 1), (1, 1)), ((1, 9), (1, 4)), ((9, 1), (2, 1)), ((6, 5), (4, 2)),
             ((3, 4), (6, 8)), ((2, 2), (5, 7)), ((8, 8), (8, 8)), ((5, 7), (2, 2))]  # fmt: skip
    function = correlate if correlation else convolve
    for seed, (f_shape, g_shape) in enumerate(cases):
        f, g = random(seed, f_shape, g_shape)
        for mode in MODES:
            for boundary in BOUNDARIES:
                expected = scipy_reference(f, g, mode, boundary, correlation)
                assert_close(function(f, g, mode, method, boundary), expected, f, g)


def test_same_centring_for_even_kernels_follows_scipy():
    """The one place where scipy's 1-D and 2-D functions disagree: 'same' for an even filter."""
    f, g = np.arange(6.0), np.array([1.0, 0.0])
    assert np.array_equal(convolve(f, g, "same"), f)  # window starts at (k - 1) // 2 = 0
    # scipy.signal.correlate also starts at (k - 1) // 2 of the full correlation [0, 0, 1, ..]
    assert np.array_equal(correlate(f, g, "same"), [0, 0, 1, 2, 3, 4])
    assert np.array_equal(correlate(f, g, "same"), scipy.signal.correlate(f, g, "same"))
    f2, g2 = f.reshape(1, 6), g.reshape(1, 2)
    assert np.array_equal(convolve(f2, g2, "same"), f2)
    # scipy.signal.correlate2d starts at k // 2 = 1: one pixel further
    assert np.array_equal(correlate(f2, g2, "same"), f2)
    assert np.array_equal(correlate(f2, g2, "same"), scipy.signal.correlate2d(f2, g2, "same"))


def test_valid_swaps_when_g_is_larger():
    f, g = random(3, (2, 3), (5, 6))
    for method in METHODS:
        assert_close(convolve(f, g, "valid", method), convolve(g, f, "valid"), f, g)
        expected = scipy.signal.correlate2d(f, g, "valid")
        assert_close(correlate(f, g, "valid", method), expected, f, g)
        assert_close(correlate(f, g, "valid", method), correlate(g, f, "valid")[::-1, ::-1], f, g)


@pytest.mark.parametrize("method", METHODS)
def test_float32_stays_float32_and_integers_become_float64(method):
    f, g = random(4, (9, 8), (3, 3))
    out32 = convolve(f.astype(np.float32), g.astype(np.float32), "same", method)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, scipy.signal.convolve2d(f, g, "same"), rtol=1e-4, atol=1e-4)
    fi, gi = (f * 10).astype(int), (g * 3).astype(np.int8)
    out = convolve(fi, gi, "full", method)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, scipy.signal.convolve2d(fi, gi.astype(int)), atol=1e-9)
    boolean = convolve(fi > 0, np.ones((2, 2), bool), "valid", method)
    assert boolean.dtype == np.float64
    expected = scipy.signal.convolve2d(fi > 0, np.ones((2, 2)), "valid")
    np.testing.assert_allclose(boolean, expected, atol=1e-9)


@FAST
@given(
    seed=seeds,
    f_shape=shapes_2d,
    g_shape=shapes_2d,
    mode=st.sampled_from(["full", "same"]),
    boundary=st.sampled_from(BOUNDARIES),
    method=st.sampled_from(METHODS),
    kind=st.sampled_from(["float32", "int16", "bool"]),
)
def test_float32_and_integer_input_match_scipy(
    seed, f_shape, g_shape, mode, boundary, method, kind
):
    f, g = random(seed, f_shape, g_shape)
    if kind == "float32":
        f, g = f.astype(np.float32), g.astype(np.float32)
    elif kind == "int16":
        f, g = (f * 100).astype(np.int16), (g * 10).astype(np.int16)
    else:
        f, g = f > 0, g > 0
    out = correlate(f, g, mode, method, boundary)
    assert out.dtype == (np.float32 if kind == "float32" else np.float64)
    expected = scipy.signal.correlate2d(f.astype(float), g.astype(float), mode, boundary)
    rtol = 1e-5 if kind == "float32" else 1e-10
    assert_close(out, expected, f.astype(float), g.astype(float), rtol=rtol)


def test_convolve_loops_is_the_full_convolution():
    f, g = random(5, (4, 6), (3, 2))
    assert_close(convolve_loops(f, g), scipy.signal.convolve2d(f, g), f, g)


def test_large_random_image_all_fast_methods_agree():
    """Large enough for several strips of the direct method (the loops stay on small arrays)."""
    f, g = random(6, (150, 130), (11, 8))
    for mode in MODES:
        expected = scipy.signal.convolve2d(f, g, mode)
        for method in ("direct", "toeplitz", "im2col", "fft", "auto"):
            assert_close(convolve(f, g, mode, method), expected, f, g)
    signal, taps = random(9, (50_000,), (13,))
    for mode in MODES:
        expected = np.convolve(signal, taps, mode)
        for method in ("direct", "fft", "auto"):
            assert_close(convolve(signal, taps, mode, method), expected, signal, taps)


# -------------------------------------------------------------------------- against torch


@FAST
@given(seed=seeds, f_shape=st.tuples(st.integers(1, 9), st.integers(1, 9)), g_shape=shapes_2d)
def test_full_convolution_matches_torch(seed, f_shape, g_shape):
    f, g = random(seed, f_shape, g_shape)
    flipped = torch.from_numpy(g[::-1, ::-1].copy())[None, None]
    padding = (g_shape[0] - 1, g_shape[1] - 1)
    expected = F.conv2d(torch.from_numpy(f)[None, None], flipped, padding=padding)[0, 0].numpy()
    for method in ("direct", "fft", "im2col"):
        assert_close(convolve(f, g, "full", method), expected, f, g)


@FAST
@given(
    seed=seeds,
    f_shape=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    g_shape=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))),
    padding=st.one_of(st.integers(0, 3), st.tuples(st.integers(0, 3), st.integers(0, 3))),
    dilation=st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))),
)
def test_layer_matches_torch_conv2d(seed, f_shape, g_shape, stride, padding, dilation):
    f, g = random(seed, f_shape, g_shape)
    pair = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    try:
        sizes_ = [
            layer_output_size(n, k, s, p, d)
            for n, k, s, p, d in zip(
                f_shape, g_shape, pair(stride), pair(padding), pair(dilation), strict=True
            )
        ]
    except ValueError:  # the filter does not fit along one axis: no output
        with pytest.raises(ValueError, match="does not fit"):
            cross_correlate_layer(f, g, stride, padding, dilation)
        return
    expected = F.conv2d(
        torch.from_numpy(f)[None, None],
        torch.from_numpy(g)[None, None],
        stride=stride,
        padding=padding,
        dilation=dilation,
    )[0, 0].numpy()
    out = cross_correlate_layer(f, g, stride, padding, dilation)
    assert out.shape == tuple(sizes_)
    assert_close(out, expected, f, g)


# ------------------------------------------------------------------------------ the laws


@FAST
@given(seed=seeds, f_shape=shapes, method=st.sampled_from(METHODS), a=st.floats(-3, 3))
def test_linearity(seed, f_shape, method, a):
    g_shape = (3,) if len(f_shape) == 1 else (2, 3)
    f1, f2, g = random(seed, f_shape, f_shape, g_shape)
    left = convolve(a * f1 + f2, g, "full", method)
    right = a * convolve(f1, g, "full", method) + convolve(f2, g, "full", method)
    assert_close(left, right, np.abs(a * f1) + np.abs(f2), g)


@FAST
@given(seed=seeds, f_shape=shapes_2d, g_shape=shapes_2d, method=st.sampled_from(METHODS))
def test_full_convolution_is_commutative(seed, f_shape, g_shape, method):
    f, g = random(seed, f_shape, g_shape)
    assert_close(convolve(f, g, "full", method), convolve(g, f, "full", method), f, g)


@FAST
@given(seed=seeds, shapes_=st.tuples(shapes_2d, shapes_2d, shapes_2d))
def test_full_convolution_is_associative(seed, shapes_):
    f, g, h = random(seed, *shapes_)
    left = convolve(convolve(f, g), h, method="direct")
    right = convolve(f, convolve(g, h), method="fft")
    assert_close(left, right, f, np.abs(g).sum() * np.abs(h))


@FAST
@given(
    seed=seeds,
    f_shape=shapes_2d,
    g_shape=shapes_2d,
    shift=st.tuples(st.integers(0, 4), st.integers(0, 4)),
    method=st.sampled_from(METHODS),
)
def test_shift_equivariance(seed, f_shape, g_shape, shift, method):
    """Shift the image, and the output shifts by the same amount (zero and periodic borders)."""
    f, g = random(seed, f_shape, g_shape)
    moved = np.pad(f, [(shift[0], 0), (shift[1], 0)])
    expected = np.pad(convolve(f, g, "full", method), [(shift[0], 0), (shift[1], 0)])
    assert_close(convolve(moved, g, "full", method), expected, f, g)
    rolled = convolve(np.roll(f, shift, (0, 1)), g, "same", method, boundary="wrap")
    assert_close(rolled, np.roll(convolve(f, g, "same", method, "wrap"), shift, (0, 1)), f, g)


@FAST
@given(seed=seeds, f_shape=shapes_2d, g_shape=shapes_2d, method=st.sampled_from(METHODS))
def test_convolution_theorem(seed, f_shape, g_shape, method):
    """The DFT of the full convolution is the product of the zero-padded DFTs (numpy.fft)."""
    f, g = random(seed, f_shape, g_shape)
    size = (f_shape[0] + g_shape[0] - 1, f_shape[1] + g_shape[1] - 1)
    spectrum = np.fft.fft2(f, size) * np.fft.fft2(g, size)
    assert_close(np.fft.fft2(convolve(f, g, "full", method)), spectrum, f, g * np.prod(size))


@FAST
@given(seed=seeds, f_shape=shapes, k=st.integers(1, 4), mode=st.sampled_from(MODES))
def test_toeplitz_matrix_times_image_is_the_convolution(seed, f_shape, k, mode):
    g_shape = (k,) if len(f_shape) == 1 else (k, max(1, k - 1))
    f, g = random(seed, f_shape, g_shape)
    if mode == "valid" and not fits_valid(f_shape, g_shape):
        return
    expected = convolve(f, g, mode, "direct").ravel()
    dense = toeplitz_matrix(g, f_shape, mode)
    assert isinstance(dense, np.ndarray)
    assert_close(dense @ f.ravel(), expected, f, g)
    sparse = toeplitz_matrix(g, f_shape, mode, sparse=True)
    assert sparse.format == "csr"
    assert_close(sparse @ f.ravel(), expected, f, g)
    assert np.array_equal(sparse.toarray(), dense)


@FAST
@given(seed=seeds, f_shape=shapes_2d, g_shape=shapes_2d)
def test_adjoint_of_convolution_is_correlation(seed, f_shape, g_shape):
    """<T f, y> = <f, T.T y>, and T.T y is correlate(y, g, 'valid') for the full-mode T."""
    n0, n1 = f_shape
    k0, k1 = g_shape
    f, g, y = random(seed, f_shape, g_shape, (n0 + k0 - 1, n1 + k1 - 1))
    T = toeplitz_matrix(g, f_shape, "full")
    transposed = (T.T @ y.ravel()).reshape(f_shape)
    np.testing.assert_allclose(transposed, correlate(y, g, "valid"), atol=1e-10 * np.abs(y).sum())
    np.testing.assert_allclose(
        np.vdot(T @ f.ravel(), y.ravel()), np.vdot(f, transposed), rtol=1e-9, atol=1e-9
    )


def test_im2col_layout():
    f = np.arange(20.0).reshape(4, 5)
    patches = im2col(f, (2, 3))
    assert patches.shape == (3 * 3, 2 * 3)  # one row per 'valid' position, one column per entry
    assert np.array_equal(patches[4], f[1:3, 1:4].ravel())  # row x * 3 + y: top-left f[x, y]
    g = random(7, (2, 3))[0]
    np.testing.assert_allclose(patches @ g.ravel(), correlate(f, g, "valid").ravel())
    np.testing.assert_allclose(patches @ g[::-1, ::-1].ravel(), convolve(f, g, "valid").ravel())
    assert np.array_equal(im2col(np.arange(5.0), 2), [[0, 1], [1, 2], [2, 3], [3, 4]])


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("function", [convolve, correlate])
def test_bad_input_raises_clear_errors(function):
    f, g = np.ones((5, 5)), np.ones((3, 3))
    with pytest.raises(ValueError, match=r"f must be 1-D or 2-D, got shape \(\)"):
        function(np.float64(1.0), g)
    with pytest.raises(ValueError, match=r"g must be 1-D or 2-D, got shape \(3, 3, 3\)"):
        function(f, np.ones((3, 3, 3)))
    with pytest.raises(ValueError, match=r"f must be 1-D or 2-D, got shape \(2, 2, 2\)"):
        function(np.ones((2, 2, 2)), g)
    with pytest.raises(ValueError, match="same number of dimensions"):
        function(f, np.ones(3))
    with pytest.raises(ValueError, match=r"f must not be empty, got shape \(0, 4\)"):
        function(np.ones((0, 4)), g)
    with pytest.raises(ValueError, match=r"g must not be empty"):
        function(f, [])
    with pytest.raises(ValueError, match="mode must be one of 'full', 'same', 'valid'; got 'sam'"):
        function(f, g, mode="sam")
    with pytest.raises(ValueError, match="method must be one of 'auto', 'loops', 'direct', "):
        function(f, g, method="winograd")
    with pytest.raises(ValueError, match="boundary must be one of 'fill', 'wrap', 'symm'"):
        function(f, g, boundary="reflect")
    with pytest.raises(ValueError, match=r"'valid' needs f or g .* shapes \(2, 5\) and \(5, 2\)"):
        function(np.ones((2, 5)), np.ones((5, 2)), mode="valid")
    with pytest.raises(TypeError, match="f: complex input is not supported"):
        function(f + 1j, g)
    with pytest.raises(TypeError, match="g: complex input is not supported"):
        function(f, g.astype(complex))
    with pytest.raises(TypeError, match="f must be a real numeric array"):
        function(np.array([["a", "b"]]), g)


@pytest.mark.parametrize("method", ["fft", "toeplitz"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_refused_by_global_methods(method, bad):
    f, g = np.ones((6, 6)), np.ones((3, 3))
    f[2, 3] = bad
    with pytest.raises(ValueError, match=f"f contains NaN or inf: method='{method}' would smear"):
        convolve(f, g, method=method)
    with pytest.raises(ValueError, match="g contains NaN or inf"):
        correlate(np.ones((6, 6)), np.where(g > 0, bad, 0), method=method)
    with pytest.raises(ValueError, match="g contains NaN or inf"):
        toeplitz_matrix(np.where(g > 0, bad, 0), (6, 6))


def test_auto_keeps_a_nan_local():
    """A large filter would make 'auto' use the FFT; with a NaN it must stay local instead."""
    f, g = random(8, (40, 40), (11, 11))
    f[20, 20] = np.nan
    out = convolve(f, g, "same")
    assert np.isnan(out).sum() == 11 * 11  # exactly the outputs whose window holds the NaN
    f[20, 20] = 0.0
    assert np.array_equal(convolve(f, g, "same"), convolve(f, g, "same", "fft"))  # auto: fft
    assert np.allclose(out[~np.isnan(out)], convolve(f, g, "same", "fft")[~np.isnan(out)])


def test_dense_toeplitz_matrix_too_large_is_refused():
    with pytest.raises(ValueError, match=r"would need 2\.0 GiB .* pass sparse=True"):
        toeplitz_matrix(np.ones((3, 3)), (128, 128), "same")
    with pytest.raises(ValueError, match=r"would need 586\.5 MiB"):
        toeplitz_matrix(np.ones((3, 3)), (80, 112), "valid")  # 78 * 110 * 80 * 112 * 8 bytes
    sparse = toeplitz_matrix(np.ones((3, 3)), (128, 128), "same", sparse=True)
    assert sparse.shape == (128 * 128, 128 * 128)
    assert sparse.nnz == 126 * 126 * 9 + 4 * 126 * 6 + 4 * 4  # inside, edges, corners


def test_toeplitz_and_im2col_shape_errors():
    with pytest.raises(ValueError, match=r"f_shape must be 2 positive integers, got \(4,\)"):
        toeplitz_matrix(np.ones((3, 3)), (4,))
    with pytest.raises(ValueError, match=r"f_shape must be 1 positive integers"):
        toeplitz_matrix(np.ones(3), (0,))
    with pytest.raises(ValueError, match="mode must be one of"):
        toeplitz_matrix(np.ones(3), 5, "circular")
    with pytest.raises(ValueError, match="'valid' needs"):
        toeplitz_matrix(np.ones((3, 1)), (1, 3), "valid")
    with pytest.raises(ValueError, match=r"g_shape must be 2 positive integers no larger"):
        im2col(np.ones((4, 4)), (5, 2))
    with pytest.raises(TypeError, match="complex input is not supported"):
        im2col(np.ones(4, complex), 2)


def test_layer_bad_arguments():
    f, g = np.ones((6, 6)), np.ones((3, 3))
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        cross_correlate_layer(f, g, stride=0)
    with pytest.raises(ValueError, match=r"dilation must be >= 1, got \(1, 0\)"):
        cross_correlate_layer(f, g, dilation=(1, 0))
    with pytest.raises(ValueError, match="padding must be >= 0, got -1"):
        cross_correlate_layer(f, g, padding=-1)
    with pytest.raises(TypeError, match="stride must be an int or a pair of ints, got 1.5"):
        cross_correlate_layer(f, g, stride=1.5)
    with pytest.raises(TypeError, match=r"padding must be an int or a pair of ints, got \(1, 2"):
        cross_correlate_layer(f, g, padding=(1, 2, 3))
    with pytest.raises(ValueError, match="f and g must be 2-D for a layer"):
        cross_correlate_layer(np.ones(6), np.ones(3))
    with pytest.raises(ValueError, match=r"does not fit"):
        cross_correlate_layer(f, g, dilation=3)

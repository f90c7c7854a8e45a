"""Tests of helpers.winograd against scipy's cross-correlation."""

import numpy as np
import pytest
import scipy.signal
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.winograd import (
    A_T,
    B_T,
    G,
    correlate_tile_direct,
    count_multiplications,
    transform_filter,
    winograd_correlate,
    winograd_f2x2_3x3,
    winograd_f23,
    winograd_tile,
)

seeds = st.integers(0, 2**31 - 1)


@settings(max_examples=30, deadline=None)
@given(seeds)
def test_f23_equals_valid_correlation(seed):
    rng = np.random.default_rng(seed)
    d, g = rng.normal(size=4), rng.normal(size=3)
    np.testing.assert_allclose(
        winograd_f23(d, g), scipy.signal.correlate(d, g, "valid"), atol=1e-12
    )


@settings(max_examples=30, deadline=None)
@given(seeds)
def test_f2x2_3x3_equals_valid_correlation(seed):
    rng = np.random.default_rng(seed)
    d, g = rng.normal(size=(4, 4)), rng.normal(size=(3, 3))
    expected = scipy.signal.correlate2d(d, g, "valid")
    np.testing.assert_allclose(winograd_f2x2_3x3(d, g), expected, atol=1e-12)


def test_data_transforms_need_only_additions_and_the_filter_transform_halves():
    for matrix in (B_T, A_T):
        assert set(np.unique(matrix)) <= {-1.0, 0.0, 1.0}
    assert set(np.unique(G)) == {-0.5, 0.0, 0.5, 1.0}  # Lavin and Gray's G: halvings too


def test_general_multiplications_counted_by_instrumenting_them():
    rng = np.random.default_rng(0)
    d, g = rng.normal(size=(4, 4)), rng.normal(size=(3, 3))
    expected = scipy.signal.correlate2d(d, g, "valid")
    values, counts = count_multiplications(winograd_tile, d, g, filter_transform=transform_filter)
    np.testing.assert_allclose(values, expected, atol=1e-12)
    assert counts["general multiplication"] == 16
    values, counts = count_multiplications(correlate_tile_direct, d, g)
    np.testing.assert_allclose(values, expected, atol=1e-12)
    assert counts == {"general multiplication": 36, "addition": 32}
    # without the once-per-filter transform left out, it is counted as scalings only
    _, counts = count_multiplications(winograd_f2x2_3x3, d, g)
    assert counts["general multiplication"] == 16
    _, counts = count_multiplications(winograd_f23, d[0], g[0])
    assert counts["general multiplication"] == 4
    _, counts = count_multiplications(correlate_tile_direct, d[:1], g[:1])
    assert counts["general multiplication"] == 6


def test_an_algorithm_that_multiplies_more_is_counted_so():
    def wasteful(d, g):
        return correlate_tile_direct(d, g) * correlate_tile_direct(d, g)

    _, counts = count_multiplications(wasteful, np.ones((3, 3)), np.ones((2, 2)))
    assert counts["general multiplication"] == 2 * 16 + 4


def test_shapes_are_checked():
    with pytest.raises(ValueError, match=r"d must have shape \(4,\)"):
        winograd_f23(np.ones(5), np.ones(3))
    with pytest.raises(ValueError, match=r"g must have shape \(3, 3\)"):
        winograd_f2x2_3x3(np.ones((4, 4)), np.ones((2, 2)))


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 12), st.integers(3, 12), seeds)
def test_tiled_winograd_equals_valid_correlation(rows, cols, seed):
    rng = np.random.default_rng(seed)
    f, g = rng.normal(size=(rows, cols)), rng.normal(size=(3, 3))
    expected = scipy.signal.correlate2d(f, g, "valid")
    np.testing.assert_allclose(winograd_correlate(f, g), expected, atol=1e-10)


def test_tiled_winograd_rejects_small_images():
    with pytest.raises(ValueError, match="at least 3 x 3"):
        winograd_correlate(np.ones((2, 5)), np.ones((3, 3)))


def test_transforms_do_not_overflow_where_the_correlation_is_finite():
    """Issue 14: B^T d of [1e308, 0, -1e308, 0] and G g of taps of 1.5e308 overflowed to inf
    (then NaN) although every correlation below is finite; scaled tiles give it exactly."""
    d, g = np.array([1e308, 0.0, -1e308, 0.0]), np.array([1.0, 0.0, 0.0])
    np.testing.assert_array_equal(winograd_f23(d, g), scipy.signal.correlate(d, g, "valid"))
    f, e = np.zeros((4, 4)), np.zeros((3, 3))
    f[0, 0], f[0, 2], e[0, 0] = 1e308, -1e308, 1.0
    np.testing.assert_array_equal(winograd_f2x2_3x3(f, e), scipy.signal.correlate2d(f, e, "valid"))
    centre, huge = np.zeros((3, 3)), np.full((3, 3), 1.5e308)
    centre[1, 1] = 1e-10
    np.testing.assert_allclose(winograd_correlate(centre, huge), [[1.5e298]], rtol=1e-15)
    tiny = np.full((5, 6), 5e-324)  # subnormal: scaling by powers of two stays exact
    expected = scipy.signal.correlate2d(tiny, np.ones((3, 3)), "valid")
    np.testing.assert_array_equal(winograd_correlate(tiny, np.ones((3, 3))), expected)


def test_a_correlation_beyond_float64_is_refused():
    # 1e300 * 179769314 = 1.79769314e308 > 1.7976931348623157e308, the largest float64
    f, g = np.pad([[1e300]], ((0, 2), (0, 2))), np.full((3, 3), 179769314.0)
    for function, d in ((winograd_correlate, f), (winograd_f2x2_3x3, np.pad(f, ((0, 1), (0, 1))))):
        with pytest.raises(ValueError, match="exceeds the float64 range"):
            function(d, g)


@pytest.mark.parametrize("function, shape", [(winograd_f23, (4,)), (winograd_f2x2_3x3, (4, 4))])
def test_bad_tiles_are_refused_with_their_names(function, shape):
    """Issue 14: a tensor that requires grad raised RuntimeError; strings were read as numbers."""
    g = np.ones((3,) * len(shape))
    with pytest.raises(TypeError, match="d is a tensor that requires grad"):
        function(torch.ones(shape, requires_grad=True), g)
    with pytest.raises(TypeError, match="d must be a real numeric array"):
        function(np.full(shape, "1"), g)
    with pytest.raises(TypeError, match="g: complex input is not supported"):
        function(np.ones(shape), g + 1j)
    with pytest.raises(ValueError, match="g must hold finite values"):
        function(np.ones(shape), g * np.nan)


def test_bad_images_are_refused_with_their_names():
    with pytest.raises(TypeError, match="f is a tensor that requires grad"):
        winograd_correlate(torch.ones(5, 5, requires_grad=True), np.ones((3, 3)))
    with pytest.raises(TypeError, match="f must be a real numeric array"):
        winograd_correlate(np.full((5, 5), "1"), np.ones((3, 3)))
    with pytest.raises(ValueError, match="f must hold finite values"):
        winograd_correlate(np.full((5, 5), np.inf), np.ones((3, 3)))

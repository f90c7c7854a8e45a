"""Tests of helpers.winograd against scipy's cross-correlation."""

import numpy as np
import pytest
import scipy.signal
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

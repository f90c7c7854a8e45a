"""Tests of helpers.winograd against scipy's cross-correlation."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.winograd import A_T, B_T, winograd_correlate, winograd_f2x2_3x3, winograd_f23

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


def test_data_transforms_need_only_additions():
    for matrix in (B_T, A_T):
        assert set(np.unique(matrix)) <= {-1.0, 0.0, 1.0}


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

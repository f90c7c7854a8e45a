"""Tests of helpers.fourier: circular convolution, wrap-around, padding, side lobes."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import kernels
from helpers.fourier import (
    circular_convolve,
    largest_side_lobe,
    linear_period,
    magnitude_cut,
    wraparound_mask,
)


def circular_by_loops(f, g):
    """The defining sum out[n] = sum_k g[k] f[(n - k) mod N], written out (the oracle)."""
    out = np.zeros_like(f)
    (h, w), (kh, kw) = f.shape, g.shape
    for y in range(h):
        for x in range(w):
            for i in range(kh):
                for j in range(kw):
                    out[y, x] += g[i, j] * f[(y - i) % h, (x - j) % w]
    return out


shapes = st.tuples(st.integers(1, 7), st.integers(1, 7))


@settings(max_examples=30, deadline=None)
@given(shapes, shapes, st.integers(0, 2**31 - 1))
def test_circular_matches_the_defining_sum(f_shape, g_shape, seed):
    rng = np.random.default_rng(seed)
    g_shape = tuple(min(k, n) for k, n in zip(g_shape, f_shape, strict=True))
    f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
    np.testing.assert_allclose(circular_convolve(f, g), circular_by_loops(f, g), atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(shapes, shapes, st.integers(0, 2**31 - 1))
def test_padding_to_linear_period_gives_full_convolution(f_shape, g_shape, seed):
    rng = np.random.default_rng(seed)
    f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
    period = linear_period(f.shape, g.shape)
    expected = scipy.signal.convolve2d(f, g, mode="full")
    np.testing.assert_allclose(circular_convolve(f, g, period), expected, atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(shapes, shapes, st.integers(0, 2**31 - 1))
def test_wraparound_mask_is_exactly_where_circular_differs(f_shape, g_shape, seed):
    rng = np.random.default_rng(seed)
    g_shape = tuple(min(k, n) for k, n in zip(g_shape, f_shape, strict=True))
    f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
    circular = circular_convolve(f, g)
    linear = scipy.signal.convolve2d(f, g, mode="full")[: f.shape[0], : f.shape[1]]
    differs = ~np.isclose(circular, linear, atol=1e-9)
    mask = wraparound_mask(f.shape, g.shape)
    assert np.array_equal(differs, mask)  # random data: every wrapped pixel really differs
    valid = scipy.signal.convolve2d(f, g, mode="valid")
    np.testing.assert_allclose(circular[~mask].reshape(valid.shape), valid, atol=1e-10)


def test_circular_1d_matches_numpy_and_wraps():
    f, g = np.arange(1.0, 6.0), np.array([1.0, 1.0])
    np.testing.assert_allclose(circular_convolve(f, g), [6.0, 3.0, 5.0, 7.0, 9.0])
    assert wraparound_mask((5,), (2,)).tolist() == [True, False, False, False, False]


def test_circular_rejects_bad_input():
    with pytest.raises(ValueError, match="period must be at least"):
        circular_convolve(np.ones((4, 4)), np.ones((3, 3)), (3, 4))
    with pytest.raises(ValueError, match="same number of dimensions"):
        circular_convolve(np.ones((4, 4)), np.ones(3))
    with pytest.raises(TypeError, match="complex"):
        circular_convolve(np.ones(4) * 1j, np.ones(2))
    with pytest.raises(ValueError, match="finite"):
        circular_convolve(np.array([1.0, np.nan]), np.ones(2))
    with pytest.raises(ValueError, match="1-D or 2-D"):
        circular_convolve(np.ones((2, 2, 2)), np.ones((1, 1, 1)))
    with pytest.raises(ValueError, match="must fit"):
        wraparound_mask((3, 3), (4, 1))
    with pytest.raises(ValueError, match="period must be 2 positive integers"):
        circular_convolve(np.ones((4, 4)), np.ones((3, 3)), (5,))


def test_magnitude_cut_is_the_v0_row_of_the_2d_response():
    g = kernels.gallery()["emboss"]
    cut = magnitude_cut(g, 16)
    response = np.abs(kernels.frequency_response(g, (16, 16)))
    np.testing.assert_allclose(cut, response[0, :9], atol=1e-12)
    assert cut[0] == pytest.approx(abs(g.sum()))
    with pytest.raises(ValueError, match="at least the kernel width"):
        magnitude_cut(np.ones((3, 5)), 4)


def test_box_side_lobe_approaches_the_sinc_value_and_gaussian_has_almost_none():
    # |sin(pi K u) / (K sin(pi u))| has its first side lobe at 0.2172 of the peak as K grows.
    assert largest_side_lobe(magnitude_cut(kernels.box(31), 4096)) == pytest.approx(
        0.2172, abs=0.003
    )
    assert (
        largest_side_lobe(magnitude_cut(kernels.gaussian(31, 5.0), 4096)) < 0.01
    )  # truncation only
    assert largest_side_lobe(np.array([3.0, 2.0, 1.0, 0.5])) == 0.0
    assert largest_side_lobe(np.array([4.0, 1.0, 2.0, 0.0])) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="at least 3 samples"):
        largest_side_lobe(np.ones(2))
    with pytest.raises(ValueError, match="low-pass"):
        largest_side_lobe(np.array([0.0, 0.0, 1.0]))

"""Tests of helpers.fourier: circular convolution, wrap-around, padding, side lobes."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import helpers.convolution
from helpers import kernels
from helpers.convolution import convolve
from helpers.fourier import (
    circular_convolve,
    is_low_pass,
    largest_side_lobe,
    linear_period,
    magnitude_cut,
    mode_window,
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


@pytest.mark.parametrize("name", ["sobel x", "sobel y", "laplacian", "sharpen", "emboss"])
def test_kernels_that_are_not_low_pass_have_no_side_lobe(name):
    # Regression (issue 14): Sobel y's horizontal cut is all zeros and was reported as a
    # side lobe of 0.000; the others peak away from zero frequency.
    cut = magnitude_cut(kernels.gallery()[name], 128)
    assert not is_low_pass(cut)
    with pytest.raises(ValueError, match="low-pass"):
        largest_side_lobe(cut)


@pytest.mark.parametrize(
    "cut",
    [np.zeros(8), np.array([1.0, np.nan, 0.5]), np.array([np.inf, 1.0, 0.5]), -np.ones(4)],
    ids=["zeros", "nan", "inf", "negative"],
)
def test_degenerate_cuts_are_refused_not_reported_as_zero(cut):
    with pytest.raises(ValueError, match="low-pass|finite"):
        largest_side_lobe(cut)


@pytest.mark.parametrize("name", ["identity", "box", "gaussian"])
def test_blur_kernels_are_low_pass(name):
    assert is_low_pass(magnitude_cut(kernels.gallery()[name], 64))


@settings(max_examples=40, deadline=None)
@given(shapes, shapes, st.sampled_from(["full", "same", "valid"]), st.integers(0, 2**31 - 1))
def test_linear_period_is_the_smallest_exact_period_for_each_mode(f_shape, g_shape, mode, seed):
    """Cropped to the mode's window, circular equals scipy's linear result at the period, and
    not at one less along an axis (where the window still fits)."""
    if mode == "valid":
        g_shape = tuple(min(k, n) for k, n in zip(g_shape, f_shape, strict=True))
    rng = np.random.default_rng(seed)
    f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
    expected = scipy.signal.convolve2d(f, g, mode)
    windows = [mode_window(n, k, mode) for n, k in zip(f_shape, g_shape, strict=True)]

    def cropped(period):
        circular = circular_convolve(f, g, period)
        return circular[tuple(slice(s, s + m) for s, m in windows)]

    period = linear_period(f_shape, g_shape, mode)
    assume(all(p >= k for p, k in zip(period, g_shape, strict=True)))  # circular_convolve's need
    np.testing.assert_allclose(cropped(period), expected, atol=1e-9)
    for axis in range(2):
        shorter = list(period)
        shorter[axis] -= 1
        fits = shorter[axis] >= max(f_shape[axis], g_shape[axis])
        if fits and windows[axis][0] + windows[axis][1] <= shorter[axis]:
            # data with all taps and pixels nonzero: whatever wraps shows
            assert not np.allclose(cropped(tuple(shorter)), expected, atol=1e-9)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_the_convolution_helpers_fft_uses_the_same_rule(mode, monkeypatch):
    """helpers.convolution's FFT method asks scipy for a fast length of at least the period of
    linear_period (it may round it up): the same rule, in one place each."""
    asked = []

    def record(n, real=False):
        asked.append(n)
        return n

    monkeypatch.setattr(helpers.convolution.scipy.fft, "next_fast_len", record)
    rng = np.random.default_rng(5)
    for f_shape, g_shape in [((20, 17), (5, 4)), ((9, 12), (2, 7)), ((31, 8), (3, 3))]:
        asked.clear()
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        out = convolve(f, g, mode, method="fft")
        np.testing.assert_allclose(out, scipy.signal.convolve2d(f, g, mode), atol=1e-10)
        assert tuple(asked) == linear_period(f_shape, g_shape, mode)


def test_linear_period_refuses_bad_modes_and_kernels_too_long_for_valid():
    with pytest.raises(ValueError, match="mode must be one of"):
        linear_period((5, 5), (3, 3), "wrap")
    with pytest.raises(ValueError, match="no longer than the image"):
        linear_period((5, 5), (6, 3), "valid")


def test_mode_window_refuses_what_is_not_a_size_or_a_mode():
    """Issue 14: mode_window(0, nan, 'full') returned (0, nan)."""
    with pytest.raises(TypeError, match="k must be an integer >= 1, got nan"):
        mode_window(0 + 5, float("nan"), "full")
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        mode_window(0, 3, "full")
    with pytest.raises(TypeError, match="k must be an integer"):
        mode_window(5, 3.0, "same")
    with pytest.raises(ValueError, match="mode must be one of 'full', 'same', 'valid'; got 'sam'"):
        mode_window(5, 3, "sam")
    with pytest.raises(ValueError, match="no longer than the image"):
        mode_window(3, 5, "valid")
    assert mode_window(np.int64(5), np.uint8(3), "valid") == (2, 3)

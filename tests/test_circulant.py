"""Tests of helpers.circulant: the matrix of circular convolution, diagonalized by the DFT."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.circulant import (
    boundary_matrix,
    circulant_matrix,
    dft2_matrix,
    dft_matrix,
    diagonalize,
)
from helpers.fourier import circular_convolve

seeds = st.integers(0, 2**31 - 1)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 3), st.integers(1, 3), seeds)
def test_circulant_matrix_is_circular_convolution_and_diagonal_in_the_fourier_basis(
    rows, cols, kh, kw, seed
):
    kh, kw = min(kh, rows), min(kw, cols)
    rng = np.random.default_rng(seed)
    f, g = rng.normal(size=(rows, cols)), rng.normal(size=(kh, kw))
    C = circulant_matrix(g, f.shape)
    np.testing.assert_allclose(C @ f.ravel(), circular_convolve(f, g).ravel(), atol=1e-10)
    D = diagonalize(C, f.shape)
    np.testing.assert_allclose(D, np.diag(np.diag(D)), atol=1e-10)
    np.testing.assert_allclose(np.diag(D), np.fft.fft2(g, f.shape).ravel(), atol=1e-10)
    np.testing.assert_allclose(C @ np.ones(f.size), g.sum(), atol=1e-12)  # eigenvector
    np.testing.assert_allclose(np.ones(f.size) @ C, g.sum(), atol=1e-12)  # column sums


def test_wrap_boundary_is_the_circulant_matrix_shifted():
    g = np.arange(1.0, 10.0).reshape(3, 3)
    wrap = boundary_matrix(g, (5, 6), "wrap")
    f = np.random.default_rng(0).normal(size=(5, 6))
    expected = scipy.signal.convolve2d(f, g, "same", boundary="wrap")
    np.testing.assert_allclose(wrap @ f.ravel(), expected.ravel(), atol=1e-12)
    shifted = np.roll(circular_convolve(f, g), (-1, -1), axis=(0, 1))
    np.testing.assert_allclose(expected, shifted, atol=1e-12)


@pytest.mark.parametrize("boundary", ["fill", "symm"])
def test_boundary_matrix_matches_scipy(boundary):
    rng = np.random.default_rng(1)
    f, g = rng.normal(size=(6, 4)), rng.normal(size=(3, 2))
    T = boundary_matrix(g, f.shape, boundary)
    expected = scipy.signal.convolve2d(f, g, "same", boundary=boundary)
    np.testing.assert_allclose(T @ f.ravel(), expected.ravel(), atol=1e-12)


def test_dft_matrices_are_numpys_fft():
    f = np.random.default_rng(2).normal(size=(4, 7))
    np.testing.assert_allclose(dft_matrix(7) @ f[0], np.fft.fft(f[0]), atol=1e-12)
    np.testing.assert_allclose(dft2_matrix(f.shape) @ f.ravel(), np.fft.fft2(f).ravel(), atol=1e-12)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="must fit in the period"):
        circulant_matrix(np.ones((4, 2)), (3, 3))
    with pytest.raises(ValueError, match="at most 4096 pixels"):
        circulant_matrix(np.ones((3, 3)), (65, 65))
    with pytest.raises(ValueError, match="two positive integers"):
        circulant_matrix(np.ones((3, 3)), (3.5, 4))
    with pytest.raises(ValueError, match="boundary must be one of"):
        boundary_matrix(np.ones((3, 3)), (4, 4), "reflect")
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        dft_matrix(0)
    with pytest.raises(ValueError, match="must have shape"):
        diagonalize(np.eye(4), (3, 3))


def test_dft_matrix_refuses_floats_and_sizes_it_cannot_hold():
    """Issue 14: dft_matrix(3.0) was accepted, dft_matrix(100001) tried to allocate 74.5 GiB."""
    for n in (3.0, True, "4", None):
        with pytest.raises(TypeError, match="n must be an integer >= 1"):
            dft_matrix(n)
    with pytest.raises(ValueError, match=r"the 100001 x 100001 DFT matrix would need .*np\.fft"):
        dft_matrix(100001)
    np.testing.assert_allclose(dft_matrix(np.int64(4)), np.fft.fft(np.eye(4)), atol=1e-12)

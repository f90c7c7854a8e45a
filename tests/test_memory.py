"""Tests of helpers.memory: bytes measured and predicted, growth exponents, the budget."""

import numpy as np
import pytest
import scipy.signal
import scipy.sparse

from helpers.convolution import DENSE_LIMIT_BYTES, im2col, toeplitz_matrix
from helpers.memory import (
    dense_toeplitz_bytes,
    fft_buffers,
    growth_exponent,
    largest_side_within_budget,
    measure_representations,
    output_shape,
    stored_bytes,
)


def test_stored_bytes_of_dense_and_sparse():
    a = np.zeros((3, 5))
    assert stored_bytes(a) == 120
    csr = scipy.sparse.csr_array(np.eye(4))
    expected = csr.data.nbytes + csr.indices.nbytes + csr.indptr.nbytes
    assert (
        stored_bytes(csr) == expected == 4 * 8 + 4 * csr.indices.itemsize + 5 * csr.indptr.itemsize
    )
    coo = scipy.sparse.coo_array(np.eye(4))
    assert stored_bytes(coo) == 4 * 8 + 2 * 4 * coo.coords[0].itemsize
    with pytest.raises(TypeError, match="not supported"):
        stored_bytes(scipy.sparse.lil_array((3, 3)))
    with pytest.raises(TypeError, match="numpy array or a scipy.sparse"):
        stored_bytes([1.0, 2.0])


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_output_shape_and_dense_bytes_match_what_is_built(mode):
    rng = np.random.default_rng(0)
    for f_shape, g_shape in [((7, 5), (3, 2)), ((4, 4), (1, 1)), ((6, 9), (5, 3))]:
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        assert output_shape(f_shape, g_shape, mode) == scipy.signal.convolve2d(f, g, mode).shape
        T = toeplitz_matrix(g, f_shape, mode=mode)
        assert dense_toeplitz_bytes(f_shape, g_shape, mode) == T.nbytes
    with pytest.raises(ValueError, match="mode must be one of"):
        output_shape((3, 3), (2, 2), "wrap")
    with pytest.raises(ValueError, match="fit in the image"):
        output_shape((3, 3), (4, 2), "valid")


def test_fft_buffers_compute_the_linear_convolution():
    rng = np.random.default_rng(1)
    f, g = rng.normal(size=(10, 13)), rng.normal(size=(4, 3))
    buffers = fft_buffers(f, g)
    assert len(buffers) == 4
    full = scipy.signal.convolve2d(f, g)
    np.testing.assert_allclose(buffers[-1][: full.shape[0], : full.shape[1]], full, atol=1e-10)


def test_measure_representations_builds_what_it_reports():
    rng = np.random.default_rng(2)
    f, g = rng.normal(size=(12, 12)), rng.normal(size=(3, 3))
    small = measure_representations(f, g)
    assert small["dense Toeplitz"] == (toeplitz_matrix(g, f.shape).nbytes, True)
    sparse = toeplitz_matrix(g, f.shape, sparse=True)
    assert small["sparse Toeplitz"] == (stored_bytes(sparse), True)
    assert small["im2col"] == (im2col(np.pad(f, 2), (3, 3)).nbytes, True)
    assert small["FFT buffers"][0] == sum(b.nbytes for b in fft_buffers(f, g))
    # the sizes of the notebook's table, counted by hand: 14 x 14 outputs, float64
    assert small["dense Toeplitz"][0] == (14 * 14) * (12 * 12) * 8
    assert small["im2col"][0] == (14 * 14) * 9 * 8
    assert small["sparse Toeplitz"][0] >= 12 * 12 * 9 * 8  # at least the values themselves
    counted = measure_representations(f, g, dense_limit=0)
    assert counted["dense Toeplitz"] == (dense_toeplitz_bytes(f.shape, g.shape), False)


def test_growth_exponent_recovers_a_power_law():
    sizes = np.array([4.0, 8.0, 16.0, 32.0])
    assert growth_exponent(sizes, 3 * sizes**4) == pytest.approx(4.0)
    assert growth_exponent(sizes, sizes**2) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="same length >= 2"):
        growth_exponent(sizes, sizes[:3])
    with pytest.raises(ValueError, match="positive"):
        growth_exponent(sizes, sizes - 4)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("budget", [0, 10**3, 10**6, 3 * 10**7, 2**29])
def test_largest_side_is_the_last_that_fits(mode, budget):
    n = largest_side_within_budget(budget, (3, 3), mode)
    if n == 0:
        assert dense_toeplitz_bytes((3, 3), (3, 3), mode) > budget
        return
    assert dense_toeplitz_bytes((n, n), (3, 3), mode) <= budget
    assert dense_toeplitz_bytes((n + 1, n + 1), (3, 3), mode) > budget


def test_largest_side_matches_toeplitz_matrix_refusal():
    n = largest_side_within_budget(DENSE_LIMIT_BYTES, (3, 3))
    assert dense_toeplitz_bytes((n, n), (3, 3)) <= DENSE_LIMIT_BYTES
    with pytest.raises(ValueError, match="sparse=True"):
        toeplitz_matrix(np.ones((3, 3)), (n + 1, n + 1))
    with pytest.raises(ValueError, match="budget"):
        largest_side_within_budget(-1, (3, 3))

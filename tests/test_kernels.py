import numpy as np
import pytest
import scipy.fft
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import kernels

odd_sizes = st.sampled_from([1, 3, 5, 7, 9, 15])


def test_sum_one_kernels():
    for g in (kernels.identity(5), kernels.box(7), kernels.gaussian(9, 2.0), kernels.sharpen(),
              kernels.emboss()):
        assert g.sum() == pytest.approx(1.0, abs=1e-12)


def test_edge_kernels_sum_to_zero():
    for g in (kernels.sobel_x(), kernels.sobel_y(), kernels.laplacian()):
        assert g.sum() == 0.0


@given(size=odd_sizes, sigma=st.floats(0.3, 5.0))
@settings(max_examples=40, deadline=None)
def test_normalized_gaussian_sums_to_one(size, sigma):
    assert kernels.gaussian(size, sigma).sum() == pytest.approx(1.0, abs=1e-12)


def test_sampled_gaussian_does_not_sum_to_one_exactly():
    # Too small a window cuts the tails off; too small a sigma undersamples the bump.
    assert kernels.gaussian(3, 1.0, normalize=False).sum() < 0.9
    assert kernels.gaussian(5, 0.4, normalize=False).sum() > 1.1
    # A wide window on a well-resolved bump comes close, but not exactly.
    wide = kernels.gaussian(15, 2.0, normalize=False).sum()
    assert wide == pytest.approx(1.0, abs=1e-3) and wide != 1.0


def test_sampled_gaussian_is_the_continuous_density():
    size, sigma = 7, 1.3
    offsets = np.arange(size) - size // 2
    x, y = np.meshgrid(offsets, offsets)
    density = scipy.stats.multivariate_normal(mean=[0, 0], cov=sigma**2 * np.eye(2))
    expected = density.pdf(np.stack([x, y], axis=-1))
    np.testing.assert_allclose(kernels.gaussian(size, sigma, normalize=False), expected, rtol=1e-12)


def test_shapes_and_symmetries():
    assert kernels.identity(1).shape == (1, 1) and kernels.box(1)[0, 0] == 1.0
    assert kernels.gaussian(15, 3.0).shape == (15, 15)
    np.testing.assert_array_equal(kernels.sobel_y(), kernels.sobel_x().T)
    g = kernels.gaussian(5, 1.0)
    np.testing.assert_allclose(g, g[::-1, ::-1])
    np.testing.assert_allclose(g, g.T)


def test_gallery_names_and_order():
    names = list(kernels.gallery())
    assert names == ["identity", "box", "gaussian", "sharpen", "sobel x", "sobel y",
                     "laplacian", "emboss"]
    assert kernels.gallery(size=7)["box"].shape == (7, 7)


@given(g=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
                elements=st.floats(-10, 10)))
@settings(max_examples=50, deadline=None)
def test_dc_gain_is_sum_and_frequency_response_at_zero(g):
    h = kernels.frequency_response(g, (8, 9))
    assert kernels.dc_gain(g) == pytest.approx(g.sum(), abs=1e-9)
    assert h[0, 0].real == pytest.approx(g.sum(), abs=1e-9)
    assert abs(h[0, 0].imag) < 1e-9
    np.testing.assert_allclose(h, scipy.fft.fft2(g, s=(8, 9)), atol=1e-9)


def test_frequency_response_1d_and_int_shape():
    g = np.array([1.0, 2.0, 1.0]) / 4
    np.testing.assert_allclose(kernels.frequency_response(g, 16), np.fft.fft(g, 16))
    assert kernels.frequency_response(kernels.box(3), 8).shape == (8, 8)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: kernels.box(4), ValueError, "size must be an odd positive integer, got 4"),
        (lambda: kernels.identity(0), ValueError, "size must be an odd positive integer"),
        (lambda: kernels.gaussian(3.0), TypeError, "size must be an odd positive integer"),
        (lambda: kernels.gaussian(5, 0.0), ValueError, "sigma must be a finite number > 0"),
        (lambda: kernels.gaussian(5, np.nan), ValueError, "sigma must be a finite number > 0"),
        (lambda: kernels.dc_gain(np.ones((2, 2, 2))), ValueError,
         r"must be 1-D or 2-D, got shape \(2, 2, 2\)"),
        (lambda: kernels.dc_gain(np.array([])), ValueError, "must not be empty"),
        (lambda: kernels.dc_gain(np.ones(3) * 1j), TypeError, "complex input is not supported"),
        (lambda: kernels.dc_gain([np.nan]), ValueError, "finite"),
        (lambda: kernels.frequency_response(np.ones((5, 5)), (4, 8)), ValueError,
         "at least the kernel's shape"),
        (lambda: kernels.frequency_response(np.ones((3, 3)), (8,)), ValueError,
         "must have 2 entries"),
    ],
)
def test_bad_input_is_refused_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()

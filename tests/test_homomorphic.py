"""Homomorphic filtering: identity at unit gains, the frequency response, lighting removed."""

import numpy as np
import pytest
import scipy.ndimage
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.homomorphic import (
    gamma_sweep_figure,
    high_emphasis_kernel,
    high_emphasis_response,
    homomorphic_filter,
    kernel_figure,
    kernel_response,
    results_figure,
)


def texture(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """A reflectance: positive random detail with the same local mean everywhere."""
    return np.random.default_rng(seed).uniform(0.2, 1.0, size=shape)


def lighting(shape: tuple[int, int]) -> np.ndarray:
    """A smooth illumination: a bright corner fading to a tenth of it across the image."""
    y, x = np.mgrid[0 : shape[0], 0 : shape[1]]
    return 0.1 + 0.9 * np.exp(-((x / shape[1]) ** 2 + (y / shape[0]) ** 2) / 0.5)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@settings(max_examples=20, deadline=None)
@given(
    cutoff=st.floats(0.005, 0.5),
    seed=st.integers(0, 1000),
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
)
def test_unit_gains_return_the_input(cutoff, seed, shape):
    image = texture(shape, seed)
    np.testing.assert_allclose(homomorphic_filter(image, cutoff, 1.0, 1.0), image, atol=1e-12)


@pytest.mark.parametrize("gamma_low, gamma_high", [(0.5, 1.5), (0.0, 1.0), (1.0, 2.0)])
def test_kernel_sums_to_gamma_low_and_its_centre_carries_gamma_high(gamma_low, gamma_high):
    kernel = high_emphasis_kernel(0.05, gamma_low, gamma_high)
    assert kernel.shape[0] == kernel.shape[1] and kernel.shape[0] % 2 == 1
    np.testing.assert_allclose(kernel.sum(), gamma_low, atol=1e-12)
    np.testing.assert_allclose(kernel, kernel.T, atol=1e-15)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1], atol=1e-15)


@pytest.mark.parametrize("cutoff", [0.02, 0.05, 0.1])
def test_kernel_frequency_response_matches_the_high_emphasis_formula(cutoff):
    size = 256
    kernel = high_emphasis_kernel(cutoff, 0.5, 2.0)
    padded = np.zeros((size, size))
    r = kernel.shape[0] // 2
    padded[: 2 * r + 1, : 2 * r + 1] = kernel
    padded = np.roll(padded, (-r, -r), axis=(0, 1))  # centre at the origin: a real response
    response = np.fft.fft2(padded)
    frequency = np.fft.fftfreq(size)
    distance = np.hypot(*np.meshgrid(frequency, frequency, indexing="ij"))
    expected = high_emphasis_response(distance, cutoff, 0.5, 2.0)
    np.testing.assert_allclose(response.imag, 0, atol=1e-12)
    assert np.max(np.abs(response.real - expected)) < 0.02


@pytest.mark.parametrize("cutoff, gamma_low, gamma_high", [(0.02, 0.5, 1.0), (0.1, 0.2, 1.8)])
def test_filter_is_exp_of_the_kernel_on_the_log_against_scipy(cutoff, gamma_low, gamma_high):
    image = texture((40, 52), seed=5) * lighting((40, 52))
    eps = 1e-3
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high, max_size=40)
    # scipy.ndimage's "reflect" mirrors the edge pixel too: scipy.signal's "symm" boundary
    filtered = scipy.ndimage.convolve(np.log(eps + image), kernel, mode="reflect")
    expected = np.exp(filtered) - eps
    got = homomorphic_filter(image, cutoff, gamma_low, gamma_high, eps=eps)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_response_values_at_zero_cutoff_and_far_away():
    assert high_emphasis_response(0.0, 0.1, 0.3, 1.7) == pytest.approx(0.3)
    d0 = high_emphasis_response(0.1, 0.1, 0.3, 1.7)
    assert d0 == pytest.approx(0.3 + 1.4 * (1 - np.exp(-0.5)))
    assert high_emphasis_response(5.0, 0.1, 0.3, 1.7) == pytest.approx(1.7)


def test_a_smooth_multiplicative_lighting_is_mostly_removed():
    shape = (96, 96)
    reflectance = texture(shape, seed=3)
    lit = reflectance * lighting(shape)
    result = homomorphic_filter(lit, cutoff=0.05, gamma_low=0.0, gamma_high=1.0)
    before = correlation(lit, reflectance)
    after = correlation(result, reflectance)
    assert before < 0.7
    assert after > 0.95
    # the lighting's range (ten to one) is gone: the local means across the image agree
    blocks = result.reshape(4, 24, 4, 24).mean(axis=(1, 3))
    assert blocks.max() / blocks.min() < 1.2


def test_homomorphic_beats_a_plain_high_pass_of_the_same_kernel():
    from helpers.convolution import convolve

    shape = (96, 96)
    reflectance = texture(shape, seed=4)
    lit = reflectance * lighting(shape)
    kernel = high_emphasis_kernel(0.05, 0.0, 1.0)
    plain = convolve(lit, kernel, mode="same", boundary="symm")
    homomorphic = homomorphic_filter(lit, cutoff=0.05, gamma_low=0.0, gamma_high=1.0)
    assert correlation(homomorphic, reflectance) > correlation(plain, reflectance) + 0.1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"cutoff": 0.0}, r"cutoff must be a finite number in \(0, 0.5\]"),
        ({"cutoff": 0.6}, r"cutoff must be a finite number in \(0, 0.5\]"),
        ({"cutoff": np.nan}, r"cutoff must be a finite number in \(0, 0.5\]"),
        ({"gamma_low": -0.1}, "gamma_low must be a finite number >= 0"),
        ({"gamma_high": np.inf}, "gamma_high must be a finite number >= 0"),
        ({"eps": 0.0}, "eps must be a finite number > 0"),
    ],
)
def test_parameter_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        homomorphic_filter(np.ones((8, 8)), **kwargs)


@pytest.mark.parametrize(
    "image, message",
    [
        (np.ones(8), "image must be a non-empty 2-D array"),
        (np.ones((0, 3)), "image must be a non-empty 2-D array"),
        (-np.ones((4, 4)), "finite values >= 0"),
        (np.full((4, 4), np.nan), "finite values >= 0"),
    ],
)
def test_image_validation(image, message):
    with pytest.raises(ValueError, match=message):
        homomorphic_filter(image)


def test_complex_image_is_refused():
    with pytest.raises(TypeError, match="complex"):
        homomorphic_filter(np.ones((4, 4), dtype=complex))


def test_kernel_is_cut_to_fit_the_image():
    kernel = high_emphasis_kernel(0.005, 0.5, 1.5, max_size=9)
    assert kernel.shape == (9, 9)
    np.testing.assert_allclose(kernel.sum(), 0.5, atol=1e-12)
    result = homomorphic_filter(texture((9, 12)), cutoff=0.005)
    assert result.shape == (9, 12) and np.all(np.isfinite(result))


@pytest.mark.parametrize("cutoff, gamma_low, gamma_high", [(0.02, 0.5, 1.0), (0.1, 0.0, 2.0)])
def test_kernel_response_is_the_real_dft_along_the_columns(cutoff, gamma_low, gamma_high):
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high)
    d, response = kernel_response(kernel, n=128)
    np.testing.assert_allclose(d, np.arange(64) / 128)
    np.testing.assert_allclose(
        response, high_emphasis_response(d, cutoff, gamma_low, gamma_high), atol=0.02
    )
    assert response[0] == pytest.approx(kernel.sum())  # the DC gain is the sum


def test_figures_draw_what_they_say():
    truth = texture((24, 24))
    lit = truth * lighting((24, 24))
    kernel = kernel_figure(0.05, 0.5, 1.0)
    assert len(kernel.axes) == 3 and "sums to 0.500" in kernel.axes[0].get_title()
    assert kernel.axes[1].get_xlim()[1] == pytest.approx(0.375)  # zoomed on the rise
    outputs = {"homomorphic": truth, "plain high-pass": lit}
    scores = {"homomorphic": 0.9, "plain high-pass": 0.8, "no correction": 0.7}
    results = results_figure(
        truth, lit, outputs, scores, {"homomorphic": 0.6, "plain high-pass": 0.5}
    )
    titles = [ax.get_title() for ax in results.axes]
    assert len(titles) == 4 and "0.700" in titles[1] and "light gone 0.900" in titles[2]
    gammas = np.linspace(0, 1, 3)
    sweep = gamma_sweep_figure(gammas, {"homomorphic": gammas}, {"homomorphic": gammas}, 0.7, 0.02)
    assert len(sweep.axes[0].get_lines()) == 3

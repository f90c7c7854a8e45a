"""Uneven light, its homomorphic correction and the paired training of input pipelines."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from scipy.signal import convolve2d

from helpers.cnn import make_cnn
from helpers.homomorphic import high_emphasis_kernel, homomorphic_filter
from helpers.input_pipelines import (
    INK,
    LOG_EPS,
    accuracy_by_ratio_figure,
    correct,
    fit_pipeline,
    high_pass_digits,
    homomorphic_digits,
    identity,
    light_fields,
    lighting_figure,
    pages,
    train_seeds,
    under_light,
)


def digits(n: int = 6, seed: int = 0) -> np.ndarray:
    """Random white-on-black 'digits': a bright blob on a dark, noisy background."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:28, 0:28]
    centres = rng.uniform(9, 19, size=(n, 2))
    blob = np.exp(-((rows - centres[:, :1, None]) ** 2 + (cols - centres[:, 1:, None]) ** 2) / 18)
    return np.clip(blob + rng.uniform(0, 0.05, size=(n, 28, 28)), 0, 1)


@settings(max_examples=30, deadline=None)
@given(ratios=st.lists(st.floats(1.0, 30.0), min_size=1, max_size=5), seed=st.integers(0, 99))
def test_lights_span_exactly_the_ratios_asked_for(ratios, seed):
    light = light_fields(ratios, np.random.default_rng(seed))
    assert light.shape == (len(ratios), 28, 28)
    np.testing.assert_allclose(light.max(axis=(1, 2)), 1)
    np.testing.assert_allclose(light.max(axis=(1, 2)) / light.min(axis=(1, 2)), ratios, rtol=1e-9)


def test_a_light_at_a_given_angle_is_brightest_on_that_side():
    right, up = light_fields([8.0, 8.0], size=40, distance=30, width=15, angles=[0, np.pi / 2])
    assert right[:, -1].mean() > right[:, 0].mean()  # spot to the right: last column brighter
    assert up[0].mean() > up[-1].mean()  # spot above: first row brighter
    np.testing.assert_array_equal(light_fields([1.0, 1.0]), np.ones((2, 28, 28)))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"ratios": [0.5]}, "ratios"),
        ({"ratios": [np.nan]}, "ratios"),
        ({"ratios": [100.0], "width": 50.0}, "narrower or farther"),
        ({"ratios": [2.0, 3.0], "angles": [0.0]}, "one finite angle per ratio"),
        ({"ratios": [2.0], "angles": [np.nan]}, "one finite angle per ratio"),
        ({"ratios": [2.0], "size": 0}, "size must be an integer >= 1"),
        ({"ratios": [2.0], "size": 100_001}, "the lights would need"),
        ({"ratios": [2.0], "width": 0.0}, "width must be a finite number > 0"),
        ({"ratios": [2.0], "distance": 1e300}, "distance must be a finite number in"),
    ],
)
def test_light_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        light_fields(**kwargs)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"ratios": torch.ones(1, requires_grad=True)}, TypeError, "requires grad"),
        ({"ratios": ["2"]}, TypeError, "ratios must be a real numeric"),
        ({"ratios": [2.0], "size": 28.0}, TypeError, "size must be an integer"),
        ({"ratios": [2.0], "width": "12"}, TypeError, "width must be a finite number"),
    ],
)
def test_light_input_of_the_wrong_kind(kwargs, error, message):
    with pytest.raises(error, match=message):
        light_fields(**kwargs)


@pytest.mark.parametrize("width", [1e-300, 1e-3, 0.1])
def test_a_spot_narrower_than_a_pixel_lights_one_pixel_fully(width):
    """exp(-d^2 / 2 width^2) underflows to 0 everywhere: the brightest pixel still gets 1."""
    light = light_fields([4.0], size=5, distance=0.0, width=width)[0]
    assert np.all(np.isfinite(light)) and light[2, 2] == 1.0
    np.testing.assert_allclose(np.delete(light.ravel(), 12), 0.25)


@pytest.mark.parametrize(
    "size, distance, width", [(1, 0.0, 1.0), (4, 3.0, 1e300), (28, 1e6, 1e150)]
)
def test_a_flat_spot_allows_only_even_light(size, distance, width):
    np.testing.assert_array_equal(
        light_fields([1.0], size=size, distance=distance, width=width), np.ones((1, size, size))
    )
    with pytest.raises(ValueError, match="narrower or farther"):
        light_fields([2.0], size=size, distance=distance, width=width)


def test_the_view_of_a_lit_page_inverts_the_page_and_is_the_digit_under_even_light():
    d = digits()
    light = light_fields(np.full(len(d), 6.0), np.random.default_rng(1))
    np.testing.assert_allclose(under_light(d, np.ones((28, 28))), d)
    np.testing.assert_allclose(pages(under_light(d, light)), light * (1 - INK * d), atol=1e-12)
    with pytest.raises(ValueError, match="shape"):
        under_light(d, np.ones((5, 5)))
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        under_light(d, np.zeros((28, 28)))


@pytest.mark.parametrize(
    "cutoff, gamma_low, gamma_high",
    [(0.05, 0.0, 1.0), (0.02, 0.5, 1.5), (0.1, 0.3, 0.3), (0.3, 1.2, 0.5)],
)
def test_homomorphic_digits_is_homomorphic_filter_page_by_page(cutoff, gamma_low, gamma_high):
    d = under_light(digits(), light_fields(np.full(6, 4.0), np.random.default_rng(2)))
    expected = [
        (1 - homomorphic_filter(p, cutoff, gamma_low, gamma_high, eps=LOG_EPS)) / INK
        for p in pages(d)
    ]
    got = homomorphic_digits(d, cutoff, gamma_low, gamma_high)
    np.testing.assert_allclose(got, np.stack(expected), atol=1e-12)


def test_a_sum_zero_kernel_makes_the_correction_blind_to_the_light_strength():
    d = digits()
    dimmer = under_light(d, np.full((28, 28), 0.5))  # the whole page under half the light
    np.testing.assert_allclose(homomorphic_digits(dimmer), homomorphic_digits(d), atol=5e-3)
    np.testing.assert_allclose(homomorphic_digits(d, gamma_low=1.0), d, atol=1e-12)  # identity


@pytest.mark.parametrize("cutoff, gamma_low, gamma_high", [(0.05, 0.0, 1.0), (0.1, 0.4, 1.5)])
def test_high_pass_digits_is_the_kernel_convolved_with_a_symmetric_boundary(
    cutoff, gamma_low, gamma_high
):
    d = under_light(digits(), light_fields(np.full(6, 4.0), np.random.default_rng(3)))
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high, max_size=28)
    expected = [convolve2d(x, kernel, mode="same", boundary="symm") for x in d]  # scipy
    np.testing.assert_allclose(
        high_pass_digits(d, cutoff, gamma_low, gamma_high), expected, atol=1e-12
    )


def test_the_linear_high_pass_removes_an_added_constant_but_keeps_a_multiplication():
    d = digits()
    np.testing.assert_allclose(high_pass_digits(d + 0.3), high_pass_digits(d), atol=1e-12)
    np.testing.assert_allclose(high_pass_digits(0.5 * d), 0.5 * high_pass_digits(d), atol=1e-12)
    assert np.abs(high_pass_digits(0.5 * d) - high_pass_digits(d)).max() > 0.05
    with pytest.raises(ValueError, match="finite"):
        high_pass_digits(np.full((1, 28, 28), np.nan))


def test_the_correction_is_blind_to_a_uniform_light_only_while_log_eps_is_negligible():
    """The darkest page value under light L is L (1 - INK): the change grows as it nears LOG_EPS."""
    d = digits()
    changes = [
        np.abs(
            homomorphic_digits(under_light(d, np.full((28, 28), light))) - homomorphic_digits(d)
        ).max()
        for light in (0.5, 0.25, 1 / 16)
    ]
    assert changes[0] < changes[1] < changes[2]
    assert changes[0] < 0.1 * changes[2]


def test_homomorphic_digits_refuses_images_whose_page_would_be_negative():
    with pytest.raises(ValueError, match="at most"):
        homomorphic_digits(np.full((1, 28, 28), 2.0))
    with pytest.raises(ValueError, match="finite"):
        homomorphic_digits(np.full((1, 28, 28), np.nan))


def test_a_pipeline_standardizes_with_training_statistics():
    train, test = digits(20, seed=3), digits(5, seed=4)
    pipeline = fit_pipeline("raw", identity, train)
    inputs = pipeline(train)
    assert inputs.dtype == np.float32 and inputs.shape == train.shape
    assert abs(inputs.mean()) < 1e-6 and inputs.std() == pytest.approx(1, abs=1e-5)
    np.testing.assert_allclose(pipeline(test), (test - train.mean()) / train.std(), rtol=1e-5)


def test_paired_seeds_start_alike_and_identical_pipelines_train_alike():
    train, labels = digits(64, seed=5), np.arange(64) % 10
    one = fit_pipeline("a", identity, train)
    two = fit_pipeline("b", lambda x: np.asarray(x, dtype=float), train)
    ((model_a, history_a),) = train_seeds(one, train, labels, [7], epochs=1, batch_size=32)
    ((model_b, history_b),) = train_seeds(two, train, labels, [7], epochs=1, batch_size=32)
    np.testing.assert_array_equal(history_a.loss, history_b.loss)
    for a, b in zip(model_a.parameters(), model_b.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert history_a.steps == 2 and history_a.lr[-1] < history_a.lr[0]  # cosine schedule
    ((_, constant),) = train_seeds(one, train, labels, [7], 1, 32, lr=0.01, schedule="constant")
    np.testing.assert_allclose(constant.lr, [0.01, 0.01])


def test_correct_is_argmax_against_the_labels():
    model = make_cnn(0)
    images, labels = digits(8, seed=6).astype(np.float32), np.arange(8)
    with torch.no_grad():
        predicted = model.eval()(torch.from_numpy(images)).argmax(1).numpy()
    np.testing.assert_array_equal(correct(model, images, labels), predicted == labels)


def test_figures():
    d = digits(4)
    grid = lighting_figure({"a": d, "b": d + 1}, ["w", "x", "y", "z"])
    assert isinstance(grid, Figure) and len(grid.axes) == 8
    assert grid.axes[0].get_title() == "w" and grid.axes[4].get_title() == ""
    own = grid.axes[0].images[0].get_clim(), grid.axes[4].images[0].get_clim()
    assert own[1][0] == pytest.approx(own[0][0] + 1)  # each row its own scale
    shared = lighting_figure({"a": d, "b": d + 1}, ["w", "x", "y", "z"], share=[("a", "b")])
    assert shared.axes[0].images[0].get_clim() == shared.axes[4].images[0].get_clim()
    curve = accuracy_by_ratio_figure(np.array([1.0, 2, 4]), {"raw": np.full((3, 3), 0.9)})
    assert len(curve.axes) == 1 and len(curve.axes[0].get_lines()) == 1


def test_complex_images_are_refused_not_made_real():
    # the fuzz test's complex digits were cast to real with only a ComplexWarning
    with pytest.raises(TypeError, match="complex"):
        under_light(np.ones((1, 4, 4), complex), np.ones((1, 4, 4)))

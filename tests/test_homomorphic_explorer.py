"""The homomorphic-filtering widget, driven from Python: every control value works and is fast."""

import io

import numpy as np
import PIL.Image
import pytest
import torch

from helpers.homomorphic import homomorphic_filter
from helpers.homomorphic_explorer import HomomorphicExplorer, compare_corrections, correlation


@pytest.fixture(scope="module")
def explorer():
    rng = np.random.default_rng(0)
    truth = rng.uniform(0.2, 1.0, size=(48, 40))
    y, x = np.mgrid[0:48, 0:40]
    lit = truth * (0.1 + 0.9 * np.exp(-((x / 40) ** 2 + (y / 48) ** 2) / 0.5))
    return HomomorphicExplorer(truth, lit)


def test_default_state_scores_against_the_truth(explorer):
    np.testing.assert_allclose(explorer.result, homomorphic_filter(explorer.lit, 0.02, 0.5, 1.0))
    assert explorer.scores["no correction"] == pytest.approx(
        correlation(explorer.lit, explorer.truth)
    )
    evenly_lit = homomorphic_filter(explorer.truth, 0.02, 0.5, 1.0)
    assert explorer.scores["homomorphic"] == pytest.approx(
        np.corrcoef(explorer.result.ravel(), evenly_lit.ravel())[0, 1]
    )
    assert explorer.fidelity["homomorphic"] == pytest.approx(
        np.corrcoef(explorer.result.ravel(), explorer.truth.ravel())[0, 1]
    )
    assert explorer.scores["homomorphic"] > explorer.scores["no correction"]
    assert explorer.kernel_sum == pytest.approx(0.5)
    assert "kernel sum (DC gain) = 0.500" in explorer.readout.value
    assert explorer.live.image.value[:4] == b"\x89PNG"


def test_controls_update_the_output(explorer):
    explorer.gamma_low.value = 0.2
    explorer.gamma_high.value = 1.5
    explorer.cutoff.value = 0.05
    np.testing.assert_allclose(explorer.result, homomorphic_filter(explorer.lit, 0.05, 0.2, 1.5))
    assert explorer.kernel_sum == pytest.approx(0.2)
    assert "kernel sum (DC gain) = 0.200" in explorer.readout.value


def test_unit_gains_give_back_the_input(explorer):
    explorer.gamma_low.value = 1.0
    explorer.gamma_high.value = 1.0
    np.testing.assert_allclose(explorer.result, explorer.lit, atol=1e-12)
    assert explorer.scores["homomorphic"] == pytest.approx(explorer.scores["no correction"])


@pytest.mark.parametrize("control", ["cutoff", "gamma_low", "gamma_high"])
def test_every_allowed_value_works(explorer, control):
    slider = getattr(explorer, control)
    ends = (0.005, 0.2) if control == "cutoff" else (slider.min, slider.max)  # log slider
    for value in ends:
        before = bytes(explorer.live.image.value)
        slider.value = value
        assert np.isclose(slider.value, value, rtol=0.05)
        assert np.all(np.isfinite(explorer.result))
        assert all(np.isfinite(v) for v in explorer.scores.values())
        assert bytes(explorer.live.image.value) != before


def test_css_classes(explorer):
    assert {"course-widget", "course-homomorphic-explorer"} <= set(explorer.ui._dom_classes)
    for control, suffix in [
        (explorer.cutoff, "cutoff"),
        (explorer.gamma_low, "gamma-low"),
        (explorer.gamma_high, "gamma-high"),
    ]:
        assert f"course-homomorphic-explorer-{suffix}" in control._dom_classes
    assert "course-homomorphic-explorer-figure" in explorer.live.image._dom_classes
    assert "course-homomorphic-explorer-readout" in explorer.readout._dom_classes
    assert "course-homomorphic-explorer-message" in explorer.message_readout._dom_classes


def test_bad_images():
    with pytest.raises(ValueError, match="same shape"):
        HomomorphicExplorer(np.ones((4, 4)), np.ones((4, 5)))


def test_correlation_of_a_constant_image_is_zero():
    assert correlation(np.ones((3, 3)), np.arange(9.0).reshape(3, 3)) == 0.0
    assert correlation(np.arange(9.0), 2 * np.arange(9.0) + 1) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "a, b, message",
    [
        ([np.nan, 1, 2], [0, 1, 2], "finite"),
        ([0, 1, 2], [0, np.inf, 2], "finite"),
        ([0, 1, 2], [0, 1], "same number of pixels"),
        ([], [], "at least one"),
    ],
)
def test_correlation_refuses_what_has_no_correlation(a, b, message):
    with pytest.raises(ValueError, match=message):
        correlation(np.array(a, dtype=float), np.array(b, dtype=float))


@pytest.mark.parametrize(
    "a, error, message",
    [
        (torch.ones(3, requires_grad=True), TypeError, "requires grad"),
        (np.array(["0", "1", "2"]), TypeError, "real numeric"),
        (np.array([0, 1j, 2]), TypeError, "complex"),
        ([[0.0, 1.0], [2.0]], ValueError, "ragged"),
    ],
)
def test_correlation_refuses_what_is_not_an_image(a, error, message):
    with pytest.raises(error, match=message):
        correlation(a, np.arange(3.0))


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 1e160, 1e300])
def test_correlation_of_huge_or_tiny_pixels_is_that_of_the_pixels_scaled(scale):
    a, b = np.array([0.0, 1.0, 3.0, 2.0]), np.array([1.0, 0.0, 4.0, 4.0])
    expected = np.corrcoef(a, b)[0, 1]
    assert correlation(scale * a, b) == pytest.approx(expected, abs=1e-12)
    assert correlation(scale * a, scale * b) == pytest.approx(expected, abs=1e-12)
    assert correlation(-scale * a, scale * a) == -1.0


def test_the_light_is_gone_when_a_sum_zero_kernel_meets_a_constant_light():
    truth = np.random.default_rng(1).uniform(0.2, 1.0, size=(30, 30))
    found = compare_corrections(truth, 0.3 * truth, 0.05, 0.0, 1.0)
    assert found.scores["homomorphic"] == pytest.approx(1.0, abs=1e-3)
    assert found.kernel.sum() == pytest.approx(0.0, abs=1e-12)
    assert found.scores["no correction"] == pytest.approx(1.0)  # a constant light only scales


@pytest.fixture
def fresh():
    rng = np.random.default_rng(2)
    truth = rng.uniform(0.2, 1.0, size=(24, 20))
    return HomomorphicExplorer(truth, 0.5 * truth)


@pytest.mark.parametrize("control", ["cutoff", "gamma_low", "gamma_high"])
def test_nan_is_put_back_and_explained(fresh, control):
    slider = getattr(fresh, control)
    slider.value = slider.max if control != "cutoff" else 0.1
    good, result, picture = slider.value, fresh.result.copy(), bytes(fresh.live.image.value)
    slider.value = float("nan")
    assert slider.value == good and fresh.message.startswith(f"{slider.description} = nan")
    assert "refused" in fresh.message and fresh.message in fresh.message_readout.value
    np.testing.assert_array_equal(fresh.result, result)
    assert bytes(fresh.live.image.value) == picture
    slider.value = slider.min if control != "cutoff" else 0.01  # a good value clears the message
    assert fresh.message == "" and fresh.message_readout.value == ""


@pytest.mark.parametrize("control", ["cutoff", "gamma_low", "gamma_high"])
@pytest.mark.parametrize("value", [float("inf"), -float("inf"), 1e9, -1e9, 0.0])
def test_values_beyond_the_ends_stop_at_the_ends_and_work(fresh, control, value):
    slider = getattr(fresh, control)
    slider.value = value
    low, high = (0.005, 0.2) if control == "cutoff" else (slider.min, slider.max)
    assert low * (1 - 1e-9) <= slider.value <= high * (1 + 1e-9)
    assert fresh.message == "" and np.all(np.isfinite(fresh.result))
    assert all(np.isfinite(v) for v in (*fresh.scores.values(), *fresh.fidelity.values()))


def test_every_control_says_what_it_is(fresh):
    for control in (fresh.cutoff, fresh.gamma_low, fresh.gamma_high):
        assert control.description.strip()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"lit": np.full((4, 4), np.nan)}, ValueError, "finite"),
        ({"lit": -np.ones((4, 4))}, ValueError, ">= 0"),
        ({"cutoff": 0.5}, ValueError, "cutoff must be a number from 0.005 to 0.2"),
        ({"gamma_low": float("nan")}, ValueError, "gamma_low"),
        ({"gamma_high": 3.0}, ValueError, "gamma_high"),
        ({"gamma_high": True}, TypeError, "gamma_high must be a number"),
        ({"truth": torch.ones(4, 4, requires_grad=True)}, TypeError, "truth is a tensor"),
        ({"lit": np.full((4, 4), "1")}, TypeError, "lit must be a real numeric"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, message):
    arguments = {"truth": np.ones((4, 4)), "lit": np.ones((4, 4)), **kwargs}
    with pytest.raises(error, match=message):
        HomomorphicExplorer(**arguments)


def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing(explorer):
    def decoded(png: bytes) -> np.ndarray:
        return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))

    for control, value in (
        (explorer.cutoff, explorer.cutoff.max),
        (explorer.gamma_low, 0.0),
        (explorer.gamma_high, 2.5),
        (explorer.cutoff, 0.03),
    ):
        control.value = value
        fast = decoded(bytes(explorer.live.image.value))
        full = decoded(explorer.live.png())  # every artist drawn again
        np.testing.assert_array_equal(fast, full)

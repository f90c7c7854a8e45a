"""The homomorphic-filtering widget, driven from Python: every control value works and is fast."""


import numpy as np
import pytest

from helpers.homomorphic import homomorphic_filter
from helpers.homomorphic_explorer import HomomorphicExplorer, correlation


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


def test_bad_images():
    with pytest.raises(ValueError, match="same shape"):
        HomomorphicExplorer(np.ones((4, 4)), np.ones((4, 5)))


def test_correlation_of_a_constant_image_is_zero():
    assert correlation(np.ones((3, 3)), np.arange(9.0).reshape(3, 3)) == 0.0
    assert correlation(np.arange(9.0), 2 * np.arange(9.0) + 1) == pytest.approx(1.0)

"""Kernel-side tests of the frequency explorer: every control, the extremes, the classes."""

import io

import numpy as np
import pytest
from PIL import Image

from helpers import kernels
from helpers.frequency_explorer import FrequencyExplorer


@pytest.fixture(scope="module")
def explorer():
    return FrequencyExplorer()


def check_consistent(w: FrequencyExplorer) -> None:
    g = w.g
    assert w.total == pytest.approx(g.sum())
    assert w.h00.real == pytest.approx(g.sum(), abs=1e-12) and abs(w.h00.imag) < 1e-12
    expected = np.abs(np.fft.fftshift(np.fft.fft2(g, (w.grid, w.grid))))
    np.testing.assert_allclose(w.magnitude, expected, atol=1e-12)
    np.testing.assert_allclose(w.cut, expected[w.grid // 2], atol=1e-12)
    assert w.cut[w.grid // 2] == pytest.approx(abs(g.sum()), abs=1e-12)  # v = 0 in the middle
    assert f"sum(g) = {g.sum():.6f}" in w.message and w.readout.value == w.message
    assert np.isfinite(w.magnitude).all()


def test_default_state_and_css_classes(explorer):
    check_consistent(explorer)
    assert {"course-widget", "course-frequency-explorer"} <= set(explorer.ui._dom_classes)
    for control in ("preset", "size", "sigma"):
        assert f"course-frequency-explorer-{control}" in getattr(explorer, control)._dom_classes
    assert "course-frequency-explorer-figure" in explorer.live.image._dom_classes
    assert "course-frequency-explorer-readout" in explorer.readout._dom_classes


@pytest.mark.parametrize("preset", list(kernels.gallery()))
def test_every_preset(explorer, preset):
    explorer.preset.value = preset
    check_consistent(explorer)
    assert explorer.size.disabled == (preset not in ("box", "gaussian"))
    assert explorer.sigma.disabled == (preset != "gaussian")
    if preset in ("sobel x", "sobel y", "laplacian"):
        assert explorer.total == pytest.approx(0.0, abs=1e-12)  # edge kernels remove the mean


@pytest.mark.parametrize("size", [1, 3, 31])
@pytest.mark.parametrize("sigma", [0.3, 8.0])
def test_gaussian_extremes(explorer, size, sigma):
    explorer.preset.value = "gaussian"
    explorer.size.value, explorer.sigma.value = size, sigma
    check_consistent(explorer)
    np.testing.assert_allclose(explorer.g, kernels.gaussian(size, sigma))
    assert explorer.total == pytest.approx(1.0)


def test_box_side_lobe_is_large_and_gaussian_has_almost_none(explorer):
    explorer.preset.value = "box"
    explorer.size.value = 15
    box_lobe = explorer.side_lobe
    explorer.preset.value = "gaussian"
    explorer.sigma.value = 3.0
    assert box_lobe > 0.2 and explorer.side_lobe < 0.01
    explorer.preset.value = "sobel x"
    assert explorer.side_lobe is None and "not low-pass" in explorer.message


def test_size_of_one_box_is_the_identity(explorer):
    explorer.preset.value = "box"
    explorer.size.value = 1
    np.testing.assert_allclose(explorer.magnitude, 1.0)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="preset must be one of"):
        FrequencyExplorer(preset="blur")
    with pytest.raises(ValueError, match="grid must be"):
        FrequencyExplorer(grid=8)


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing():
    w = FrequencyExplorer()
    for preset, size, sigma in [("box", 15, 1.0), ("sharpen", 3, 1.0), ("gaussian", 1, 8.0),
                                ("gaussian", 31, 0.3), ("sobel y", 3, 1.0)]:
        w.preset.value, w.size.value, w.sigma.value = preset, size, sigma
        fast = decoded(bytes(w.live.image.value))
        full = decoded(w.live.png())  # every artist drawn again
        assert fast.shape == full.shape
        assert np.mean(np.abs(fast - full)) < 0.05  # of 255 grey levels
        assert np.mean(np.max(np.abs(fast - full), axis=2) > 30) < 1e-3

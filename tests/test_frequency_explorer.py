"""Kernel-side tests of the frequency explorer: every control to its ends and to invalid values,
and what it shows checked against independent computations (numpy's FFT, scipy)."""

import io

import numpy as np
import pytest
import scipy.signal
import traitlets
from PIL import Image

from helpers import kernels
from helpers.frequency_explorer import SIZE_MAX, FrequencyExplorer, round_up


@pytest.fixture(scope="module")
def explorer():
    return FrequencyExplorer()


def dirichlet_side_lobe(size: int, n: int) -> float:
    """Largest side lobe over main lobe of a box's cut, |sin(pi k v) / (k sin(pi v))|."""
    v = np.arange(1, n // 2 + 1) / n
    cut = np.concatenate([[1.0], np.abs(np.sin(np.pi * size * v) / (size * np.sin(np.pi * v)))])
    first_minimum = int(np.flatnonzero(np.diff(cut) > 1e-12)[0])
    return float(cut[first_minimum:].max())


def check_consistent(w: FrequencyExplorer) -> None:
    """What the widget shows agrees with numpy's FFT and scipy's convolution."""
    g = w.g
    assert w.total == pytest.approx(g.sum())
    assert w.h00.real == pytest.approx(g.sum(), abs=1e-12) and abs(w.h00.imag) < 1e-12
    expected = np.abs(np.fft.fftshift(np.fft.fft2(g, w.photo.shape)))
    np.testing.assert_allclose(w.magnitude, expected, atol=1e-12)
    np.testing.assert_allclose(w.cut, expected[w.photo.shape[0] // 2], atol=1e-12)
    filtered = scipy.signal.convolve2d(w.photo, g, "same", boundary="wrap")
    np.testing.assert_allclose(w.filtered, filtered, atol=1e-12)
    assert w.mean_out == pytest.approx(g.sum() * w.mean_in, abs=1e-12)
    assert f"sum(g) = {g.sum():.6f}" in w.message and w.readout.value == w.message
    shown = np.array([[entry.value for entry in row] for row in w.entries])
    np.testing.assert_allclose(shown, g, rtol=1e-12)
    assert np.isfinite(w.magnitude).all()


def test_default_state_css_classes_and_descriptions(explorer):
    check_consistent(explorer)
    assert {"course-widget", "course-frequency-explorer"} <= set(explorer.ui._dom_classes)
    for control in ("preset", "size", "sigma"):
        widget = getattr(explorer, control)
        assert f"course-frequency-explorer-{control}" in widget._dom_classes
        assert widget.description
    for (a, b), entry in np.ndenumerate(np.array(explorer.entries, dtype=object)):
        assert entry.description == f"g[{a},{b}]"
        assert "course-frequency-explorer-entry" in entry._dom_classes
    assert "course-frequency-explorer-figure" in explorer.live.image._dom_classes
    assert "course-frequency-explorer-readout" in explorer.readout._dom_classes
    assert "course-frequency-explorer-message" in explorer.note_readout._dom_classes


@pytest.mark.parametrize("preset", list(kernels.gallery()))
def test_every_preset(explorer, preset):
    explorer.preset.value = preset
    check_consistent(explorer)
    assert explorer.size.disabled == (preset not in ("box", "gaussian"))
    assert explorer.sigma.disabled == (preset != "gaussian")
    if preset in ("sobel x", "sobel y", "laplacian"):
        assert explorer.total == pytest.approx(0.0, abs=1e-12)  # edge kernels remove the mean
        assert explorer.mean_out == pytest.approx(0.0, abs=1e-12)
        assert explorer.photo_artist.get_cmap().name == "RdBu_r"  # a signed result
    if preset in ("box", "gaussian"):
        assert explorer.side_lobe is not None
    elif preset == "identity":  # a flat response has no lobes at all (review: it read 0.000)
        assert explorer.side_lobe is None and "none (a flat response" in explorer.message
    else:  # not low-pass (regression, issue 14: Sobel y read "0.000")
        assert explorer.side_lobe is None and "none (not low-pass)" in explorer.message


@pytest.mark.parametrize("size", [1, 3, SIZE_MAX])
@pytest.mark.parametrize("sigma", [0.3, 3.0])
def test_gaussian_to_its_ends(explorer, size, sigma):
    explorer.preset.value = "gaussian"
    explorer.size.value, explorer.sigma.value = size, sigma
    check_consistent(explorer)
    np.testing.assert_allclose(explorer.g, kernels.gaussian(size, sigma))
    assert len(explorer.entries) == size and explorer.total == pytest.approx(1.0)


@pytest.mark.parametrize("size", [3, 5, 7])
def test_box_side_lobe_is_the_dirichlet_kernels(size):
    w = FrequencyExplorer(preset="box", size=size)
    assert w.side_lobe == pytest.approx(dirichlet_side_lobe(size, w.photo.shape[1]), abs=1e-9)
    assert f"{w.side_lobe:.3f}" in w.message


def test_size_refuses_even_values_and_clamps_to_its_range():
    w = FrequencyExplorer(preset="box", size=5)
    w.size.value = 4  # regression (issue 14): the observer raised, the slider kept 4
    assert w.size.value == 5 and w.g.shape == (5, 5)
    assert "size = 4 was refused" in w.note
    w.size.value = 99
    assert w.size.value == SIZE_MAX and w.g.shape == (SIZE_MAX, SIZE_MAX)
    w.size.value = -3
    assert w.size.value == 1 and w.g.shape == (1, 1)
    check_consistent(w)
    w.preset.value = "sobel x"  # 3x3: the size follows and stays
    assert w.size.value == 3 and w.size.disabled
    w.size.value = 5
    assert w.size.value == 3 and "3x3" in w.note and w.g.shape == (3, 3)


def test_sigma_refuses_nan_and_clamps_to_its_range():
    w = FrequencyExplorer(preset="gaussian", size=5, sigma=1.0)
    w.sigma.value = float("nan")
    assert w.sigma.value == 1.0 and "refused" in w.note
    np.testing.assert_allclose(w.g, kernels.gaussian(5, 1.0))
    for value, kept in [(float("inf"), 3.0), (100.0, 3.0), (-1.0, 0.3), (0.0, 0.3)]:
        w.sigma.value = value  # the slider clamps to its ends
        assert w.sigma.value == kept
        np.testing.assert_allclose(w.g, kernels.gaussian(5, kept))
        check_consistent(w)


def test_typed_entries_drive_everything():
    w = FrequencyExplorer(preset="identity")
    w.entries[0][1].value = 0.5
    expected = kernels.identity(3)
    expected[0, 1] = 0.5
    np.testing.assert_allclose(w.g, expected)
    assert w.edited and w.total == pytest.approx(1.5)
    check_consistent(w)
    assert w.mean_out == pytest.approx(1.5 * w.mean_in)
    w.preset.value = "box"  # a preset replaces the edits
    assert not w.edited and w.total == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 1e7, -2e6])
def test_entries_refuse_non_finite_and_huge_values(bad):
    w = FrequencyExplorer(preset="identity")
    w.entries[1][1].value = bad
    assert w.entries[1][1].value == 1.0 and w.g[1, 1] == 1.0
    assert "refused" in w.note
    check_consistent(w)
    w.entries[1][1].value = 1e6  # the largest allowed
    assert w.total == pytest.approx(1e6)


def test_invalid_menu_values_raise_and_change_nothing(explorer):
    before = explorer.g.copy()
    with pytest.raises(traitlets.TraitError):
        explorer.preset.value = "blur"
    with pytest.raises(traitlets.TraitError):
        explorer.entries[0][0].value = "a"
    np.testing.assert_array_equal(explorer.g, before)
    check_consistent(explorer)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="preset must be one of"):
        FrequencyExplorer(preset="blur")
    with pytest.raises(ValueError, match="at least 32 x 32"):
        FrequencyExplorer(image=np.ones((8, 8)))
    with pytest.raises(ValueError, match="odd integer"):
        FrequencyExplorer(size=4)
    with pytest.raises(ValueError, match="sigma must be"):
        FrequencyExplorer(sigma=float("nan"))


def test_round_up():
    assert [round_up(x) for x in (0.7, 1.0, 1.01, 3.0, 9.0, 0.04, 0.0)] == [
        1.0, 1.0, 2.0, 5.0, 10.0, 0.05, 1.0,
    ]  # fmt: skip


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing():
    w = FrequencyExplorer()
    states = [("box", 7, 1.0), ("sharpen", 3, 1.0), ("gaussian", 1, 3.0), ("gaussian", 7, 0.3),
              ("sobel y", 3, 1.0), ("box", 3, 1.0)]  # fmt: skip
    for preset, size, sigma in states:
        w.preset.value = preset
        if preset in ("box", "gaussian"):
            w.size.value, w.sigma.value = size, sigma
        fast = decoded(bytes(w.live.image.value))
        full = decoded(w.live.png())  # every artist drawn again
        assert fast.shape == full.shape
        assert np.mean(np.abs(fast - full)) < 0.05  # of 255 grey levels
        assert np.mean(np.max(np.abs(fast - full), axis=2) > 30) < 1e-3


@pytest.mark.parametrize(
    ("centre", "scale"),
    [(1.0, ("gray", 0.0, 1.0)), (2.0, ("gray", 0.0, 2.0)), (0.5, ("gray", 0.0, 0.5)),
     (-1.0, ("RdBu_r", -1.0, 1.0))],
)  # fmt: skip
def test_the_filtered_photo_gets_a_scale_that_shows_it(centre, scale):
    """A sum of one keeps the photo's grey scale; another positive sum a grey scale up to a
    round number above the result (a sum of 2 was washed out); a negative sum the signed map
    (a sum of -1 was a black square)."""
    w = FrequencyExplorer(preset="identity")
    w.entries[1][1].value = centre
    assert w.photo_scale == scale
    assert w.photo_artist.get_cmap().name == scale[0]
    assert w.photo_artist.get_clim() == scale[1:]
    low, high = scale[1:]
    assert np.mean((w.filtered >= low) & (w.filtered <= high)) > 0.99  # nothing clipped away
    assert f"scale {low:g} to {high:g}" in w.ax_photo.get_title()
    check_consistent(w)


def test_the_static_picture_writes_the_kernel_and_the_live_one_is_unchanged():
    w = FrequencyExplorer(preset="box", size=3)
    before = decoded(bytes(w.live.image.value))
    static = w.static()
    written = [text.get_text() for text in w.kernel_texts if text.get_text()]
    assert written == ["0.11"] * 9  # 1/9, on each of the nine cells
    assert "grid of boxes above the picture" in static.alt and static.alt == w.live.alt
    assert not any(text.get_visible() for text in w.kernel_texts)
    assert not np.array_equal(decoded(static.png), decoded(w.live.png()))  # the numbers
    w.size.value = 5
    w.size.value = 3
    assert np.mean(np.abs(decoded(bytes(w.live.image.value)) - before)) < 0.05

"""Kernel-side tests of the Toeplitz explorer: every control, the extremes, the classes."""

import io
import time

import numpy as np
import pytest
import scipy.signal
import traitlets
from PIL import Image

from helpers import kernels
from helpers.convolution import MODES
from helpers.toeplitz_explorer import ToeplitzExplorer


@pytest.fixture(scope="module")
def explorer():
    return ToeplitzExplorer()


def check_consistent(w: ToeplitzExplorer) -> None:
    """What the widget shows agrees with scipy and with itself."""
    f, g, mode = w.f, w.g, w.mode.value
    expected = scipy.signal.convolve2d(f, g, mode=mode)
    np.testing.assert_allclose(w.output, expected, atol=1e-12)
    assert w.direct == pytest.approx(expected[w.row.value, w.col.value], abs=1e-12)
    assert w.value == pytest.approx(w.direct, abs=1e-12)
    assert w.index == w.row.value * expected.shape[1] + w.col.value
    # The row of T holds only pixels under the footprint, and exactly the nonzero taps there.
    assert not np.any(w.t_row[~w.receptive_field])
    assert w.nonzeros == np.count_nonzero(w.t_row) <= np.count_nonzero(g)
    assert f"row {w.index} of T" in w.message
    assert w.readout.value == w.message


def test_default_state_and_css_classes(explorer):
    check_consistent(explorer)
    assert explorer.kernel.value == "sobel x" and explorer.mode.value == "full"
    assert {"course-widget", "course-toeplitz-explorer"} <= set(explorer.ui._dom_classes)
    for control in ("kernel", "mode", "row", "col"):
        assert f"course-toeplitz-explorer-{control}" in getattr(explorer, control)._dom_classes
    assert "course-toeplitz-explorer-figure" in explorer.live.image._dom_classes
    assert "course-toeplitz-explorer-readout" in explorer.readout._dom_classes
    assert "course-toeplitz-explorer-message" in explorer.note_readout._dom_classes
    assert all(getattr(explorer, c).description for c in ("kernel", "mode", "row", "col"))
    assert bytes(explorer.live.image.value).startswith(b"\x89PNG")


@pytest.mark.parametrize("kernel", list(kernels.gallery()))
def test_every_kernel(explorer, kernel):
    explorer.kernel.value = kernel
    check_consistent(explorer)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_at_opposite_corners(explorer, mode):
    explorer.kernel.value = "gaussian"  # the largest kernel of the gallery (5x5)
    explorer.mode.value = mode
    for row, col in [(0, 0), (explorer.row.max, explorer.col.max)]:
        explorer.row.value, explorer.col.value = row, col
        check_consistent(explorer)


def test_interior_row_is_the_whole_flipped_kernel():
    w = ToeplitzExplorer(kernel="emboss", mode="same")
    w.row.value, w.col.value = 6, 5
    g = w.g
    window = w.t_row[w.receptive_field].reshape(g.shape)
    np.testing.assert_array_equal(window, g[::-1, ::-1])
    assert w.receptive_field.sum() == g.size


def test_border_pixel_sees_the_clipped_kernel():
    w = ToeplitzExplorer(kernel="box", mode="full")
    w.row.value, w.col.value = 0, 0  # only the kernel's corner overlaps the image
    assert w.receptive_field.sum() == 1 and w.nonzeros == 1


def test_mode_change_clamps_the_sliders():
    w = ToeplitzExplorer(mode="full")
    w.row.value, w.col.value = w.row.max, w.col.max
    w.mode.value = "valid"
    assert w.row.value == w.row.max == w.output.shape[0] - 1
    assert w.col.value == w.col.max == w.output.shape[1] - 1
    check_consistent(w)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="kernel must be one of"):
        ToeplitzExplorer(kernel="blur")
    with pytest.raises(ValueError, match="mode must be one of"):
        ToeplitzExplorer(mode="wrap")
    with pytest.raises(ValueError, match="image must be 2-D and at least 5 x 5"):
        ToeplitzExplorer(image=np.ones((3, 8)))
    with pytest.raises(ValueError, match="finite"):
        ToeplitzExplorer(image=np.full((8, 8), np.nan))


@pytest.mark.parametrize("side", [40, 80, 100])
def test_large_images_are_refused_at_once_with_a_way_out(side):
    # Regression (issue 14): a 100x100 image failed with "pass sparse=True" (the widget has no
    # such option) and an 80x80 one took 8.8 s and 3.2 GB.
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"at most about 36 x 36 pixels") as refused:
        ToeplitzExplorer(image=np.zeros((side, side)))
    assert time.perf_counter() - started < 0.5
    assert "sparse" not in str(refused.value) and f"{side} x {side}" in str(refused.value)


def test_the_largest_image_allowed_works():
    w = ToeplitzExplorer(image=np.random.default_rng(0).random((36, 36)), kernel="gaussian")
    check_consistent(w)


def test_sliders_clamp_to_their_ends_and_menus_refuse_unknown_values():
    w = ToeplitzExplorer(mode="same")
    for value, kept in [(-5, 0), (10**6, w.row.max)]:
        w.row.value = value
        assert w.row.value == kept
        check_consistent(w)
    with pytest.raises(traitlets.TraitError):
        w.col.value = "a"
    with pytest.raises(traitlets.TraitError):
        w.kernel.value = "blur"
    with pytest.raises(traitlets.TraitError):
        w.mode.value = "wrap"
    assert (w.kernel.value, w.mode.value) == ("sobel x", "same")
    check_consistent(w)


def test_kernel_change_in_valid_mode_clamps_the_sliders():
    w = ToeplitzExplorer(kernel="sobel x", mode="valid")
    w.row.value, w.col.value = w.row.max, w.col.max
    w.kernel.value = "gaussian"  # 5x5: the valid output shrinks by two rows and columns
    assert (w.row.value, w.col.value) == (w.output.shape[0] - 1, w.output.shape[1] - 1)
    check_consistent(w)


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing():
    w = ToeplitzExplorer(kernel="emboss", mode="same")
    for kernel, mode, row, col in [
        ("emboss", "same", 0, 0),
        ("emboss", "same", 7, 6),
        ("box", "valid", 2, 3),
        ("box", "full", 16, 13),
    ]:
        w.kernel.value, w.mode.value = kernel, mode
        w.row.value, w.col.value = row, col
        fast = decoded(bytes(w.live.image.value))
        full = decoded(w.live.png())  # every artist drawn again
        assert fast.shape == full.shape
        assert np.mean(np.abs(fast - full)) < 0.05  # of 255 grey levels
        assert np.mean(np.max(np.abs(fast - full), axis=2) > 30) < 1e-3


def test_a_start_pixel_at_the_border_shows_the_footprint_past_it():
    w = ToeplitzExplorer(kernel="sobel x", mode="full", pixel=(1, 1))
    check_consistent(w)
    assert (w.row.value, w.col.value) == (1, 1)
    assert w.receptive_field.sum() == 4  # of the 3x3 footprint, rows and columns -1..1
    assert "4 fall on the image and 5 on the zeros outside" in w.message
    for words in ("output pixel (1, 1)", "row 15 of T", "sobel x (3x3)", "4 of its 9 cells"):
        assert words in w.live.alt
    with pytest.raises(ValueError, match="pixel must be"):
        ToeplitzExplorer(pixel=(17, 0))  # the 'full' output has 17 rows: 0..16
    with pytest.raises(ValueError, match="pixel must be"):
        ToeplitzExplorer(pixel=(1.5, 0))

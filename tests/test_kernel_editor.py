"""The kernel editor, driven kernel-side: every control, its extreme values, and what it shows."""

import io

import numpy as np
import pytest
import scipy.signal
from PIL import Image

from helpers import convolution, kernels
from helpers.kernel_editor import (
    ENTRY_LIMIT,
    SIGMA_MAX,
    SIGMA_MIN,
    SIZES,
    KernelEditor,
    centred_window,
    preset_kernel,
)
from helpers.photo import grace_hopper

SMALL = grace_hopper(scale=4)  # 150 x 128: fast enough to try every control and size


def scipy_result(image, kernel, operation="convolution", boundary="wrap"):
    function = scipy.signal.convolve2d if operation == "convolution" else scipy.signal.correlate2d
    return function(image, kernel, mode="same", boundary=boundary)


def assert_consistent(editor, against_scipy=True):
    """What the editor shows agrees with its kernel, its settings and (by default) scipy."""
    n = editor.kernel.shape[0]
    assert editor.kernel.shape == (editor.size.value, editor.size.value)
    if against_scipy:
        expected = scipy_result(
            editor.image, editor.kernel, editor.operation.value, editor.boundary.value
        )
        np.testing.assert_allclose(editor.result, expected, atol=1e-10)
    assert len(editor.grid.children) == n * n
    shown = np.array([[entry.value for entry in row] for row in editor.entries])
    np.testing.assert_array_equal(shown, editor.kernel)
    assert editor.sum == pytest.approx(editor.kernel.sum())
    assert editor.norm == pytest.approx(np.linalg.norm(editor.kernel))
    assert editor.mean_after == pytest.approx(editor.result.mean())
    assert f"{editor.sum:.4g}" in editor.sum_readout.value
    assert f"{editor.norm:.4g}" in editor.norm_readout.value
    assert f"{editor.mean_before:.4f}" in editor.brightness_readout.value
    assert f"{editor.mean_after:.4f}" in editor.brightness_readout.value
    assert bytes(editor.live.image.value[:4]) == b"\x89PNG"
    rows, cols = editor.window
    np.testing.assert_array_equal(editor._photo_im.get_array(), editor.image[rows, cols])
    np.testing.assert_array_equal(editor._result_im.get_array(), editor.result[rows, cols])


@pytest.fixture
def editor():
    return KernelEditor(SMALL)


def test_default_state_on_the_full_photo_matches_scipy_and_helpers_convolution():
    editor = KernelEditor()
    photo = grace_hopper()
    assert editor.image.shape == (600, 512)
    np.testing.assert_array_equal(editor.kernel, kernels.box(3))
    assert editor.boundary.value == "wrap" and editor.view.value == "clipped"
    assert editor.mean_before == pytest.approx(photo.mean())
    assert_consistent(editor)
    ours = convolution.convolve(photo, editor.kernel, mode="same", boundary="wrap")
    np.testing.assert_allclose(editor.result, ours, atol=1e-10)
    # the brightness thread holds on screen: with 'wrap', a kernel summing to one keeps the mean
    assert editor.mean_after == pytest.approx(editor.mean_before, abs=1e-12)


def test_photo_and_result_are_drawn_at_full_resolution():
    """The window is drawn one image pixel per screen pixel: an axes of exactly side x side."""
    editor = KernelEditor()
    assert editor.side == 256
    editor.live.png()  # lay out
    for ax in (editor._photo_ax, editor._result_ax):
        box = ax.get_window_extent()
        assert (round(box.width), round(box.height)) == (256, 256)
    decoded_png = decoded(editor.live.png())
    assert decoded_png.shape[1] == round(editor.live.figure.bbox.width)  # no resampling
    rows, cols = editor.window
    assert (rows.stop - rows.start, cols.stop - cols.start) == (256, 256)


def test_the_window_moves_over_the_photo_to_its_ends():
    editor = KernelEditor(preset="sobel x")
    for row, col in [(0, 0), (editor.window_row.max, editor.window_column.max), (100, 37)]:
        before = editor.live.image.value
        editor.window_row.value, editor.window_column.value = row, col
        assert editor.window == (slice(row, row + 256), slice(col, col + 256))
        assert editor.live.image.value != before
        assert_consistent(editor, against_scipy=False)
    assert editor.window_row.max == 600 - 256 and editor.window_column.max == 512 - 256
    editor.window_row.value = 10_000  # the slider clamps: the window stays inside the photo
    assert editor.window_row.value == editor.window_row.max
    assert editor.message == "sobel x 3x3"  # nothing was refused


def test_full_photo_largest_kernel_every_boundary_and_operation_matches_scipy():
    """Oracle: pad the photo as the boundary says, then scipy's FFT convolution, 'valid'."""
    editor = KernelEditor(preset="gaussian", size=SIZES[-1], sigma=3.0)
    editor.entries[0][0].value = 0.5  # asymmetric, so convolution and correlation differ
    half = SIZES[-1] // 2
    pad_modes = {"fill": "constant", "wrap": "wrap", "symm": "symmetric"}
    for operation in ("convolution", "correlation"):
        editor.operation.value = operation
        g = editor.kernel if operation == "convolution" else editor.kernel[::-1, ::-1]
        for boundary, pad_mode in pad_modes.items():
            editor.boundary.value = boundary
            assert_consistent(editor, against_scipy=False)
            padded = np.pad(editor.image, half, mode=pad_mode)
            expected = scipy.signal.fftconvolve(padded, g, mode="valid")
            np.testing.assert_allclose(editor.result, expected, atol=1e-10)


def test_css_classes_for_the_browser_test(editor):
    assert {"course-widget", "course-kernel-editor"} <= set(editor.ui._dom_classes)
    controls = {
        "preset": editor.preset,
        "size": editor.size,
        "sigma": editor.sigma,
        "normalize-sum": editor.normalize_sum,
        "normalize-norm": editor.normalize_norm,
        "flip": editor.operation,
        "boundary": editor.boundary,
        "figure": editor.live.image,
    }
    for suffix, widget in controls.items():
        assert f"course-kernel-editor-{suffix}" in widget._dom_classes
    for row in editor.entries:
        for entry in row:
            assert "course-kernel-editor-entry" in entry._dom_classes
    readouts = {
        "sum": editor.sum_readout,
        "norm": editor.norm_readout,
        "brightness": editor.brightness_readout,
        "message": editor.message_readout,
    }
    for suffix, readout in readouts.items():
        assert {"course-kernel-editor-readout", f"course-kernel-editor-{suffix}"} <= set(
            readout._dom_classes
        )


def test_every_size(editor):
    for size in SIZES:
        editor.size.value = size
        assert_consistent(editor)
        np.testing.assert_allclose(editor.kernel, kernels.box(size))


@pytest.mark.parametrize("preset", list(kernels.gallery()))
def test_every_preset_at_small_and_large_sizes(editor, preset):
    editor.preset.value = preset
    for size in (1, 5, SIZES[-1]):
        before = editor.live.image.value
        editor.size.value = size
        assert_consistent(editor)
        assert editor.live.image.value != before
        assert editor.message  # says how the preset was made at this size
    editor.size.value = 3
    gallery_kernel = kernels.gallery()[preset] if preset not in ("box", "gaussian") else None
    if gallery_kernel is not None:
        np.testing.assert_array_equal(editor.kernel, gallery_kernel)


def test_fixed_presets_are_embedded_in_zeros_or_cropped_to_their_centre():
    sharpen = kernels.sharpen()
    big, note = preset_kernel("sharpen", 7, 1.0)
    assert big.shape == (7, 7) and np.array_equal(big[2:5, 2:5], sharpen)
    assert big.sum() == pytest.approx(sharpen.sum()) and "window of zeros" in note
    small, note = preset_kernel("sharpen", 1, 1.0)
    assert small.shape == (1, 1) and small[0, 0] == sharpen[1, 1] and "centre" in note
    assert np.array_equal(centred_window(np.ones((3, 5)), 3), np.ones((3, 3)))
    # embedding in zeros does not change the 'same' result
    image = SMALL[:40, :30]
    np.testing.assert_allclose(scipy_result(image, big), scipy_result(image, sharpen), atol=1e-12)


def test_size_one_kernel_scales_the_image(editor):
    editor.preset.value = "identity"
    editor.size.value = 1
    assert editor.kernel.shape == (1, 1)
    np.testing.assert_allclose(editor.result, editor.image)
    editor.entries[0][0].value = 0.5
    np.testing.assert_allclose(editor.result, 0.5 * editor.image)
    assert editor.mean_after == pytest.approx(0.5 * editor.mean_before)
    assert_consistent(editor)


def test_largest_size_has_every_entry(editor):
    editor.preset.value = "box"
    editor.size.value = SIZES[-1]
    assert SIZES[-1] >= 15
    assert len(editor.grid.children) == SIZES[-1] ** 2
    np.testing.assert_allclose(editor.kernel, kernels.box(SIZES[-1]))
    editor.entries[-1][-1].value = 2.0
    assert editor.kernel[-1, -1] == 2.0
    assert_consistent(editor)


def test_sigma_drives_only_the_gaussian(editor):
    assert editor.sigma.disabled  # box by default
    editor.entries[0][0].value = 3.0
    editor.sigma.value = 2.0
    assert editor.kernel[0, 0] == 3.0  # the edit survives: sigma does not apply to a box
    editor.preset.value = "gaussian"
    assert not editor.sigma.disabled
    for size in (1, 9, SIZES[-1]):
        editor.size.value = size
        for sigma in (SIGMA_MIN, 1.3, SIGMA_MAX):
            before = editor.live.image.value
            editor.sigma.value = sigma
            np.testing.assert_allclose(editor.kernel, kernels.gaussian(size, sigma))
            assert editor.sum == pytest.approx(1.0)
            assert np.all(np.isfinite(editor.result))
            if size > 1:
                assert editor.live.image.value != before
            assert_consistent(editor)


def test_sigma_minimum_is_positive_and_gives_almost_the_identity(editor):
    assert SIGMA_MIN > 0
    editor.preset.value = "gaussian"
    editor.sigma.value = editor.sigma.min
    assert editor.sigma.value == SIGMA_MIN
    centre = editor.kernel[editor.kernel.shape[0] // 2, editor.kernel.shape[1] // 2]
    assert centre > 0.99
    editor.sigma.value = -1.0  # the slider clamps, the kernel stays valid
    assert editor.sigma.value == SIGMA_MIN
    assert_consistent(editor)


def test_typing_into_an_entry_updates_kernel_result_and_picture(editor):
    before = editor.live.image.value
    editor.entries[1][2].value = -0.75
    assert editor.kernel[1, 2] == -0.75
    assert "row 1, column 2" in editor.message
    assert editor.live.image.value != before
    assert_consistent(editor)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 10 * ENTRY_LIMIT])
def test_non_finite_or_huge_entries_are_refused(editor, bad):
    kernel = editor.kernel.copy()
    editor.entries[0][1].value = bad
    np.testing.assert_array_equal(editor.kernel, kernel)
    assert editor.entries[0][1].value == kernel[0, 1]
    assert "refused" in editor.message_readout.value
    assert_consistent(editor)


def zero_every_entry(editor):
    for row in editor.entries:
        for entry in row:
            entry.value = 0.0


def test_all_zero_kernel_gives_a_black_image_and_both_normalizations_refuse(editor):
    zero_every_entry(editor)
    assert editor.sum == 0.0 and editor.norm == 0.0
    assert np.all(editor.result == 0.0) and editor.mean_after == 0.0
    assert_consistent(editor)
    editor.normalize_sum.click()
    assert "too close to zero" in editor.message
    assert np.all(editor.kernel == 0.0)
    editor.normalize_norm.click()
    assert "all zeros" in editor.message
    assert np.all(editor.kernel == 0.0)
    assert_consistent(editor)


def test_normalize_sum_divides_by_the_sum(editor):
    editor.entries[1][1].value = 2.0
    total = editor.sum
    before = editor.live.image.value
    editor.normalize_sum.click()
    assert editor.sum == pytest.approx(1.0)
    assert editor.kernel[1, 1] == pytest.approx(2.0 / total)
    assert editor.mean_after == pytest.approx(editor.mean_before, rel=0.05)
    assert "sums to 1" in editor.message
    assert editor.live.image.value != before
    assert_consistent(editor)


@pytest.mark.parametrize("preset", ["laplacian", "sobel x", "sobel y"])
def test_normalize_sum_refuses_a_kernel_that_sums_to_zero(editor, preset):
    editor.preset.value = preset
    kernel = editor.kernel.copy()
    editor.normalize_sum.click()
    np.testing.assert_array_equal(editor.kernel, kernel)
    assert "too close to zero" in editor.message
    assert "too close to zero" in editor.message_readout.value
    assert_consistent(editor)


def test_normalize_sum_refuses_a_sum_near_but_not_at_zero(editor):
    editor.preset.value = "laplacian"
    editor.entries[0][0].value = 1e-6
    assert editor.sum != 0.0
    editor.normalize_sum.click()
    assert "too close to zero" in editor.message
    assert editor.kernel[0, 0] == 1e-6


def test_normalize_norm_gives_unit_norm_and_keeps_the_direction(editor):
    editor.preset.value = "sobel x"
    kernel = editor.kernel.copy()
    editor.normalize_norm.click()
    assert editor.norm == pytest.approx(1.0)
    np.testing.assert_allclose(editor.kernel, kernel / np.linalg.norm(kernel))
    assert "norm 1" in editor.message
    assert_consistent(editor)


def test_convolution_and_correlation_differ_for_an_antisymmetric_kernel(editor):
    editor.preset.value = "sobel x"
    convolved = editor.result.copy()
    before = editor.live.image.value
    editor.operation.value = "correlation"
    assert_consistent(editor)
    np.testing.assert_allclose(editor.result, -convolved, atol=1e-12)
    assert editor.live.image.value != before
    editor.preset.value = "gaussian"  # symmetric: the two coincide
    correlated = editor.result.copy()
    editor.operation.value = "convolution"
    np.testing.assert_allclose(editor.result, correlated, atol=1e-12)


@pytest.mark.parametrize("boundary", ["wrap", "symm", "fill"])
def test_boundary_menu(boundary):
    editor = KernelEditor(SMALL, preset="box", size=9)
    editor.boundary.value = boundary
    assert_consistent(editor)


def test_boundary_changes_the_border_and_the_picture(editor):
    editor.size.value = 9
    editor.boundary.value = "fill"
    filled = editor.result.copy()
    before = editor.live.image.value
    editor.boundary.value = "symm"
    assert editor.live.image.value != before
    interior = (slice(5, -5), slice(5, -5))
    np.testing.assert_allclose(editor.result[interior], filled[interior], atol=1e-12)
    assert editor.result[0, 0] > filled[0, 0]  # zeros outside darken the corner


def test_mean_brightness_follows_the_kernel_sum(editor):
    editor.boundary.value = "wrap"  # no border loss: the mean scales exactly with the sum
    editor.entries[1][1].value = editor.kernel[1, 1] + 1.0
    assert editor.sum == pytest.approx(2.0)
    assert editor.mean_after == pytest.approx(2.0 * editor.mean_before)
    editor.preset.value = "laplacian"
    assert editor.mean_after == pytest.approx(0.0, abs=1e-12)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="preset must be one of"):
        KernelEditor(SMALL, preset="blur")
    with pytest.raises(ValueError, match="size must be one of"):
        KernelEditor(SMALL, size=4)
    with pytest.raises(ValueError, match="image must be 2-D"):
        KernelEditor(np.zeros((4, 4, 3)))
    with pytest.raises(ValueError, match="finite"):
        KernelEditor(np.full((4, 4), np.nan))
    with pytest.raises(ValueError, match="sigma must be a number from 0.2 to 5"):
        KernelEditor(SMALL, sigma=np.nan)
    for window in (0, -1):
        with pytest.raises(ValueError, match="window must be a positive integer"):
            KernelEditor(SMALL, window=window)
    with pytest.raises(TypeError, match="window must be a positive integer"):
        KernelEditor(SMALL, window=2.5)
    # issue 14: display_step=0 or -1 (which mirrored the image) is gone, the photo is never
    # subsampled; the keyword is refused
    for step in (0, -1):
        with pytest.raises(TypeError, match="display_step"):
            KernelEditor(SMALL, display_step=step)


def test_displays_as_its_widget(editor):
    bundle = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert editor.live.static().png.startswith(b"\x89PNG")


@pytest.mark.parametrize("shape", [(1, 1), (5, 4)])
def test_an_image_smaller_than_the_largest_kernel(shape):
    image = np.random.default_rng(0).random(shape)
    editor = KernelEditor(image, preset="emboss", size=SIZES[-1])
    for boundary in ("fill", "wrap", "symm"):
        editor.boundary.value = boundary
        for operation in ("correlation", "convolution"):
            editor.operation.value = operation
            assert editor.result.shape == shape
            assert_consistent(editor)


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing(editor):
    steps = [("box", 3, "clipped"), ("sobel x", 7, "signed"), ("gaussian", SIZES[-1], "signed")]
    steps += [("identity", 1, "clipped"), ("laplacian", 3, "signed")]
    for preset, size, view in steps:
        editor.preset.value, editor.size.value, editor.view.value = preset, size, view
        editor.boundary.value = "symm"
        editor.window_row.value = editor.window_row.max // 2
        editor.entries[0][0].value = -0.25
        fast = decoded(bytes(editor.live.image.value))
        for number in editor._numbers:  # drawn in the still picture only (the grid shows them)
            number.set_visible(False)
        full = decoded(editor.live.png())  # every artist drawn again
        assert fast.shape == full.shape
        assert np.mean(np.abs(fast - full)) < 1.0  # of 255 grey levels (antialiased text)
        assert np.mean(np.max(np.abs(fast - full), axis=2) > 30) < 5e-3


def test_every_control_has_a_description(editor):
    controls = [editor.preset, editor.size, editor.sigma, editor.operation, editor.boundary]
    controls += [editor.view, editor.window_row, editor.window_column]
    controls += [editor.normalize_sum, editor.normalize_norm]
    for control in controls:
        assert control.description.strip(), control
    editor.size.value = 5
    for i, row in enumerate(editor.entries):
        for j, entry in enumerate(row):
            assert entry.description == f"row {i}, column {j}"


def test_signed_view_shows_the_negative_half_on_a_map_centred_on_zero(editor):
    editor.preset.value = "sobel x"
    editor.view.value = "signed"
    shown = editor.result[editor.window]
    low, high = editor._result_im.get_clim()
    assert low == -high == -np.percentile(np.abs(shown), 99.5)  # as the notebook's figures
    assert np.mean(np.abs(shown) > high) == pytest.approx(0.005, abs=1e-3)
    assert editor._result_im.get_cmap().name == "RdBu_r"
    assert np.mean(shown < 0) > 0.3  # the half that the clipped view draws black
    editor.view.value = "clipped"
    assert editor._result_im.get_clim() == (0.0, 1.0)


def test_a_nan_sigma_is_refused_and_the_slider_keeps_its_value(editor):
    """Issue 14: sigma = nan, then size = 7: the slider said 7 while the kernel stayed 3x3."""
    editor.preset.value = "gaussian"
    editor.sigma.value = 1.5
    editor.sigma.value = float("nan")
    assert editor.sigma.value == 1.5
    assert "sigma = nan was refused" in editor.message
    editor.size.value = 7
    assert editor.size.value == 7 and editor.kernel.shape == (7, 7)
    np.testing.assert_allclose(editor.kernel, kernels.gaussian(7, 1.5))
    assert_consistent(editor)
    editor.preset.value = "box"  # also refused while the preset does not use sigma
    editor.sigma.value = float("nan")
    assert editor.sigma.value == 1.5
    editor.preset.value = "gaussian"
    np.testing.assert_allclose(editor.kernel, kernels.gaussian(7, 1.5))


def test_every_control_at_its_ends_and_beyond(editor):
    """Each control driven to its ends, and to values it cannot hold: it never keeps one."""
    import traitlets

    for control, bad in [
        (editor.preset, "blur"),
        (editor.size, 4),
        (editor.operation, "convolve"),
        (editor.boundary, "reflect"),
        (editor.view, "both"),
    ]:
        before = control.value
        with pytest.raises(traitlets.TraitError):
            control.value = bad
        assert control.value == before
    for value in (SIZES[0], SIZES[-1], SIZES[0]):
        editor.size.value = value
        assert_consistent(editor)
    editor.preset.value = "gaussian"
    for value in (SIGMA_MIN, SIGMA_MAX, 100.0, -3.0):
        editor.sigma.value = value
        assert SIGMA_MIN <= editor.sigma.value <= SIGMA_MAX
        assert_consistent(editor)
    for slider in (editor.window_row, editor.window_column):
        for value in (slider.min, slider.max, -50, 10_000):
            slider.value = value
            assert slider.min <= slider.value <= slider.max
            assert_consistent(editor, against_scipy=False)
    for value in (ENTRY_LIMIT, -ENTRY_LIMIT, 0.0):
        editor.entries[0][0].value = value
        assert editor.kernel[0, 0] == value


def test_unit_norm_of_tiny_entries_is_not_called_all_zeros(editor):
    """Issue 14: entries of 1e-300 have a norm (3e-300), which squaring underflowed to 0."""
    for row in editor.entries:
        for entry in row:
            entry.value = 1e-300
    assert editor.norm == pytest.approx(3e-300)
    editor.normalize_norm.click()
    assert "all zeros" not in editor.message
    assert editor.norm == pytest.approx(1.0)
    np.testing.assert_allclose(editor.kernel, np.full((3, 3), 1 / 3))
    assert_consistent(editor)


def test_wrap_keeps_the_mean_exactly_and_fill_darkens_it(editor):
    """The claim the editor's default makes: with 'wrap' a sum-one kernel keeps the mean."""
    editor.preset.value = "gaussian"
    editor.size.value = SIZES[-1]
    assert editor.sum == pytest.approx(1.0)
    means = {}
    for boundary in ("wrap", "symm", "fill"):
        editor.boundary.value = boundary
        means[boundary] = editor.mean_after
    assert means["wrap"] == pytest.approx(editor.mean_before, abs=1e-12)
    assert means["fill"] < editor.mean_before - 1e-3
    # mirroring keeps it too for a kernel symmetric about its centre row and column (each
    # mirrored pixel takes the weight its original lost), not for an asymmetric one
    assert means["symm"] == pytest.approx(editor.mean_before, abs=1e-12)
    editor.preset.value = "emboss"
    assert editor.sum == pytest.approx(1.0)
    assert abs(editor.mean_after - editor.mean_before) > 1e-4
    editor.boundary.value = "wrap"
    assert editor.mean_after == pytest.approx(editor.mean_before, abs=1e-12)


def test_every_text_stays_inside_its_panel():
    """A panel is redrawn alone: a text reaching into a neighbour would be cut or left stale."""
    editor = KernelEditor()
    editor.preset.value, editor.size.value = "gaussian", SIZES[-1]
    editor.entries[0][0].value = -123456.789  # long numbers in the titles
    editor.window_row.value, editor.window_column.value = editor.window_row.max, 0
    for view in ("clipped", "signed"):
        editor.view.value = view
        editor.live.png()
        for name, (box, artists) in editor._panels.items():
            for artist in artists:
                if artist.get_visible() and hasattr(artist, "get_text") and artist.get_text():
                    extent = artist.get_window_extent()
                    assert box[0] <= extent.x0 and extent.x1 <= box[2], (name, artist.get_text())


def test_the_still_picture_carries_the_numbers_and_the_live_one_comes_back():
    editor = KernelEditor(SMALL)
    live_before = bytes(editor.live.image.value)
    still = decoded(editor.live.png())
    shown = [t.get_text() for t in editor._numbers if t.get_visible()]
    assert shown == ["0.11"] * 9
    editor.size.value = 5
    editor.size.value = 3  # the numbers of the 5x5 kernel must not linger
    assert [t.get_text() for t in editor._numbers if t.get_visible()] == ["0.11"] * 9
    editor.window_row.value = 3  # a live update after the still picture: no numbers in it
    live = decoded(bytes(editor.live.image.value))
    kernel_box = editor._panels["kernel"][0]
    left, right = round(kernel_box[0]), round(kernel_box[2])
    np.testing.assert_array_equal(live[:, left:right], decoded(live_before)[:, left:right])
    assert np.abs(still[:, left:right] - live[:, left:right]).max() > 100  # the numbers


def test_reset_undoes_edits_and_normalizations(editor):
    """Choosing the preset already chosen does nothing (a menu reports only changes): the
    reset button loads it again."""
    editor.preset.value = "sharpen"
    editor.entries[0][0].value = 0.5
    editor.normalize_norm.click()
    assert not np.array_equal(editor.kernel, kernels.sharpen())
    editor.preset.value = "sharpen"  # the same value: no event
    assert not np.array_equal(editor.kernel, kernels.sharpen())
    editor.reset.click()
    np.testing.assert_array_equal(editor.kernel, kernels.sharpen())
    assert editor.entries[0][0].value == 0.0 and editor.message.startswith("reset: sharpen")
    assert "course-kernel-editor-reset" in editor.reset._dom_classes and editor.reset.description
    assert_consistent(editor)


def test_a_refusal_does_not_outlive_a_change_of_setting(editor):
    editor.preset.value = "sobel x"
    editor.normalize_sum.click()
    assert editor.message.startswith("not normalized")
    editor.operation.value = "correlation"
    assert editor.message.startswith("correlation: the kernel slides as shown")
    editor.boundary.value = "fill"
    assert editor.message.startswith("boundary fill")


def test_fill_raises_the_mean_for_a_sum_one_kernel_with_negative_taps():
    """The docstring's claim: zeros darken the border only for a non-negative kernel."""
    photo = KernelEditor()
    photo.boundary.value = "fill"
    photo.preset.value = "sharpen"
    assert photo.sum == pytest.approx(1.0) and photo.mean_after > photo.mean_before + 1e-3
    photo.preset.value = "box"
    assert photo.mean_after < photo.mean_before - 1e-4


def test_centred_window_refuses_ragged_non_finite_and_bad_sizes():
    """Regression (fuzz): a ragged list raised AttributeError, a NaN passed through."""
    with pytest.raises(ValueError, match="ragged|g"):
        centred_window([[1.0, 2.0], [3.0]], 3)
    with pytest.raises(ValueError, match="finite"):
        centred_window(np.array([[1.0, np.nan]]), 3)
    with pytest.raises(ValueError, match="2-D"):
        centred_window(np.ones(3), 3)
    for size, error in [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError)]:
        with pytest.raises(error, match="size"):
            centred_window(np.ones((3, 3)), size)
    with pytest.raises(ValueError, match="window"):
        centred_window(np.ones((3, 3)), 10**6)  # 8 TB: refused before it is built
    assert centred_window([[1, 2, 3]], 3).tolist() == [[0, 0, 0], [1, 2, 3], [0, 0, 0]]


def test_preset_kernel_refuses_unknown_names_and_sizes_the_editor_does_not_offer():
    """Regression (fuzz): 'sobel' or None raised KeyError; size 100001 tried 74.5 GiB."""
    for name in ("sobel", None, 3):
        with pytest.raises(ValueError, match="name"):
            preset_kernel(name, 3, 1.0)
    for size in (0, -1, 2, 17, 100001):
        with pytest.raises(ValueError, match="size"):
            preset_kernel("sharpen", size, 1.0)
    with pytest.raises(TypeError, match="size"):
        preset_kernel("box", 3.0, 1.0)
    with pytest.raises(ValueError, match="sigma"):
        preset_kernel("gaussian", 3, 0.0)
    assert preset_kernel("box", 3, 1.0)[0].sum() == pytest.approx(1.0)

"""Kernel-side tests of the flip-and-slide widget: drive every control, check what it shows."""

import io

import numpy as np
import pytest
from PIL import Image

from helpers.flip_and_slide import PAIRS, FlipAndSlide
from helpers.signals import box_conv_box, convolve_integral, exponential_conv_exponential


@pytest.fixture(scope="module")
def widget():
    return FlipAndSlide()


def test_default_state(widget):
    assert widget.pair.value == "box * box"
    assert widget.shift.value == -1.5
    assert widget.area == pytest.approx(0.0, abs=1e-12)  # the boxes do not overlap yet
    assert bytes(widget.live.image.value).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", PAIRS)
def test_every_pair_at_every_extreme_shift(widget, name):
    widget.pair.value = name
    pair = PAIRS[name]
    for x in (widget.shift.min, -0.4, 0.0, 0.55, widget.shift.max):
        widget.shift.value = x
        expected = convolve_integral(pair.f, pair.g, x, widget.step, widget.support)
        assert widget.area == pytest.approx(float(expected), abs=1e-12)
        assert f"{round(widget.area, 4) + 0.0:.4f}" in widget.readout.value  # never -0.0000
        assert f"x = {x:.2f}" in widget.readout.value
        # the drawn product is f(tau) g(x - tau), and the trace ends at (x, area)
        assert np.allclose(widget.product, pair.f(widget.tau) * pair.g(x - widget.tau))
        assert widget.trace_x[-1] == x and widget.trace_y[-1] == widget.area
        assert np.all(np.diff(widget.trace_x) > 0)
        assert np.all(np.isfinite(widget.trace_y))


def test_area_agrees_with_the_exact_results(widget):
    widget.pair.value = "box * box"
    for x in (-0.75, 0.0, 0.3, 1.2):
        widget.shift.value = x
        assert widget.area == pytest.approx(float(box_conv_box(x)), abs=widget.step)
    widget.pair.value = "exponential * exponential"
    for x in (0.5, 2.0):
        widget.shift.value = x
        exact = float(exponential_conv_exponential(x, 1.0, 2.0))
        assert widget.area == pytest.approx(exact, abs=widget.step)


def test_drawn_area_is_the_readout(widget):
    """The shaded product, integrated on the drawn grid, is the area the readout shows."""
    widget.pair.value = "Gaussian * Gaussian"
    widget.shift.value = 1.0
    drawn = np.trapezoid(widget.product, widget.tau)
    assert drawn == pytest.approx(widget.area, rel=1e-4)


def test_moving_the_slider_changes_the_image_and_the_artists(widget):
    widget.pair.value = "box * exponential"
    widget.shift.value = 0.0
    before = bytes(widget.live.image.value)
    g_before = widget.g_line.get_ydata().copy()
    widget.shift.value = 1.0
    assert bytes(widget.live.image.value) != before
    assert not np.array_equal(widget.g_line.get_ydata(), g_before)
    assert widget.bottom.get_title().endswith(f"{widget.area:.4f}")


def test_changing_the_pair_keeps_the_figure_and_its_artists(widget):
    figure, fill, trace = widget.live.figure, widget.product_fill, widget.trace_line
    widget.pair.value = "box * box"
    before = bytes(widget.live.image.value)
    widget.pair.value = "box * Gaussian derivative"
    assert bytes(widget.live.image.value) != before
    assert widget.live.figure is figure
    assert widget.product_fill is fill and widget.trace_line is trace
    assert len(widget.top.collections) == 1
    # the trace is the convolution of the new pair
    pair = PAIRS["box * Gaussian derivative"]
    expected = convolve_integral(pair.f, pair.g, widget.trace_x, widget.step, widget.support)
    assert np.allclose(widget.trace_y, expected)


def test_flipped_g_is_drawn_for_an_asymmetric_signal(widget):
    """In box * exponential, g(x - tau) is the exponential flipped: it runs backwards from x."""
    widget.pair.value = "box * exponential"
    widget.shift.value = 1.0
    tau, g = widget.tau, widget.g_values
    # g(x - tau) is zero for tau > x and largest just below tau = x
    assert np.all(g[tau > 1.0 + 1e-9] == 0)
    assert tau[np.argmax(g)] == pytest.approx(1.0, abs=0.02)


def test_ui_has_the_css_classes(widget):
    assert {"course-widget", "course-flip-and-slide"} <= set(widget.ui._dom_classes)
    assert "course-flip-and-slide-shift" in widget.shift._dom_classes
    assert "course-flip-and-slide-pair" in widget.pair._dom_classes
    assert "course-flip-and-slide-figure" in widget.live.image._dom_classes
    assert "course-flip-and-slide-readout" in widget.readout._dom_classes


def test_bad_pair_is_refused():
    with pytest.raises(ValueError, match="pair must be one of"):
        FlipAndSlide(pair="box * nothing")


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("name", ["box * exponential", "box * Gaussian derivative"])
def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing(widget, name):
    widget.pair.value = name
    for x in (widget.shift.min, 0.35, widget.shift.max):
        widget.shift.value = x
        fast = decoded(bytes(widget.live.image.value))
        full = decoded(widget.live.png())  # every artist drawn again by savefig
        assert fast.shape == full.shape
        assert np.mean(np.abs(fast - full)) < 0.05  # of 255 grey levels
        assert np.mean(np.max(np.abs(fast - full), axis=2) > 30) < 1e-3


def test_legend_names_the_pair(widget):
    for name, pair in PAIRS.items():
        widget.pair.value = name
        texts = [text.get_text() for text in widget.legend.get_texts()]
        assert texts[0].endswith(pair.f_label) and texts[1].endswith(pair.g_label)


def test_a_pair_chosen_again_shows_its_own_full_curve(widget):
    """The full curve is cached per pair; coming back to a pair must not show another's."""
    for name in ("box * box", "exponential * exponential", "box * box"):
        widget.pair.value = name
        pair = PAIRS[name]
        expected = convolve_integral(pair.f, pair.g, widget.shifts, widget.step, widget.support)
        np.testing.assert_allclose(widget.full, expected, atol=1e-12)
        np.testing.assert_allclose(widget.full_line.get_ydata(), expected, atol=1e-12)


def test_every_control_at_its_ends_and_beyond():
    """Issue 14: shift = nan made the observer raise and the slider keep NaN."""
    import traitlets

    widget = FlipAndSlide("box * exponential", shift=0.8)
    widget.shift.value = float("nan")
    assert widget.shift.value == 0.8 and widget.area == pytest.approx(0.468284, abs=1e-5)
    assert "refused" in widget.message and "refused" in widget.readout.value
    for x in (widget.shift.min, widget.shift.max, 100.0, -100.0, float("inf"), -float("inf")):
        widget.shift.value = x  # the slider clamps values beyond its ends
        assert widget.shift.min <= widget.shift.value <= widget.shift.max
        assert np.isfinite(widget.area)
    with pytest.raises(traitlets.TraitError):
        widget.pair.value = "box * triangle"
    assert widget.pair.value == "box * exponential"
    for name in PAIRS:
        widget.pair.value = name
        assert np.all(np.isfinite(widget.full))
    assert widget.shift.description and widget.pair.description


def test_the_description_follows_the_picture():
    widget = FlipAndSlide("box * exponential", shift=0.8)
    assert "x = 0.80" in widget.live.alt and "0.4683" in widget.live.alt
    widget.shift.value = 1.5
    assert "x = 1.50" in widget.live.alt


@pytest.mark.parametrize("shift", [float("nan"), float("inf"), -3.5, 4.5])
def test_a_shift_the_slider_cannot_hold_is_refused_by_the_constructor(shift):
    with pytest.raises(ValueError, match="shift must be a number from -3.0 to 4.0"):
        FlipAndSlide("box * exponential", shift=shift)
    with pytest.raises(TypeError, match="shift must be a number"):
        FlipAndSlide("box * exponential", shift="1")


def test_a_refusal_is_forgotten_after_a_good_value():
    widget = FlipAndSlide("box * exponential", shift=0.8)
    widget.shift.value = float("nan")
    assert "refused" in widget.message
    widget.shift.value = 1.0
    assert widget.message == "" and "refused" not in widget.readout.value


def test_the_legend_says_where_the_flipped_copy_sits_and_what_the_dotted_line_is():
    widget = FlipAndSlide("Gaussian * Gaussian", shift=1.0)
    texts = [text.get_text() for text in widget.legend.get_texts()]
    assert "x − 1" in texts[1] and any(text.startswith("τ = x") for text in texts)
    peak = widget.tau[np.argmax(widget.g_values)]  # the flipped copy peaks at x - 1 = 0
    assert abs(peak - (widget.shift.value - 1.0)) < 0.02
    assert widget.shift_line.get_xdata()[0] == widget.shift.value


def test_a_tiny_negative_area_reads_as_zero_not_minus_zero(widget):
    widget.pair.value = "box * Gaussian derivative"
    for x in np.linspace(widget.x_range[0], widget.x_range[1], 41):
        widget.shift.value = float(x)
        assert "-0.0000" not in widget.readout.value and "-0.0000" not in widget.bottom.get_title()

"""The figures of notebook 02: exact pixel sizes, shared scales, numbers on small kernels."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.signal

from helpers.image_figures import Frame, Panel, Row, draw, worked_example


def images(fig):
    return [image for ax in fig.axes for image in ax.images]


def test_each_panel_is_drawn_at_its_zoom_one_image_pixel_to_zoom_screen_pixels():
    photo = np.random.default_rng(0).random((60, 80))
    fig = draw([Row([Panel(photo), Panel(photo[:30, :40], zoom=2.5), Panel(np.eye(3), zoom=40)])])
    fig.canvas.draw()
    sizes = [tuple(round(v) for v in ax.get_window_extent().size) for ax in fig.axes[:3]]
    assert sizes == [(80, 60), (100, 75), (120, 120)]
    plt.close(fig)


def test_subsampling_is_refused():
    with pytest.raises(ValueError, match="zoom must be at least 1"):
        draw([Row([Panel(np.zeros((4, 4)), zoom=0.5)])])


def test_a_row_shares_one_scale_and_kernels_keep_their_own():
    a, b = np.array([[-1.0, 2.0]]), np.array([[0.5, -4.0]])
    panels = [Panel(a), Panel(b), Panel(np.array([[9.0]]), scale="kernel")]
    fig = draw([Row(panels, scale="signed")])
    clims = [image.get_clim() for image in images(fig)]
    assert clims == [(-4.0, 4.0), (-4.0, 4.0), (-9.0, 9.0)]
    plt.close(fig)
    fig = draw([Row([Panel(a), Panel(b)], scale="gray")])
    assert [image.get_clim() for image in images(fig)] == [(0.0, 1.0), (0.0, 1.0)]
    plt.close(fig)


def test_a_percentile_limit_says_that_values_lie_beyond_it():
    values = np.concatenate([np.linspace(-1, 1, 999), [50.0]])[None, :]
    fig = draw([Row([Panel(values)], scale="signed", percentile=99.0)])
    low, high = images(fig)[0].get_clim()
    assert low == -high and high < 2
    colorbar = fig.axes[-1]._colorbar
    assert colorbar.extend == "both" and fig.axes[-1].get_ylabel() == "signed value"
    plt.close(fig)
    fig = draw([Row([Panel(values)], scale="signed", colorbar="signed response")])
    assert fig.axes[-1]._colorbar.extend == "neither"
    plt.close(fig)
    with pytest.raises(ValueError, match="scale must be"):
        draw([Row([Panel(values)], scale="rainbow")])


def test_small_kernels_carry_their_numbers_without_minus_zero():
    g = np.array([[0.5, -3e-9], [0.0031, 12.0]])
    fig = draw([Row([Panel(g, annotate=True, zoom=40)], scale="signed", colorbar=None)])
    texts = sorted(text.get_text() for text in fig.axes[0].texts)
    assert texts == ["0", "0.003", "0.5", "12"]
    plt.close(fig)


def test_every_axis_is_labelled_and_frames_are_drawn():
    frame = Frame(101, 202, 3, 4, "tab:red", "a window")  # in the photo's rows and columns
    fig = draw([Row([Panel(np.zeros((10, 10)), "t", frames=[frame], origin=(100, 200))])])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "column j" and ax.get_ylabel() == "row i"
    assert ax.patches[0].get_xy() == (201.5, 100.5) and ax.get_legend() is not None
    plt.close(fig)


def test_worked_example_titles_the_sum_that_scipy_computes():
    f = np.arange(16.0).reshape(4, 4) % 5
    g = np.array([[1.0, 2.0], [0.0, -1.0]])
    fig = worked_example(f, g, (2, 3))
    expected = scipy.signal.convolve2d(f, g)[2, 3]
    assert any(f"(f * g)[2, 3] = {expected:g}" in ax.get_title() for ax in fig.axes)
    plt.close(fig)


def test_marks_are_crosses_and_rings_are_circles_where_asked():
    import matplotlib.pyplot as plt

    from helpers.image_figures import Panel, Row, draw

    panel = Panel(np.zeros((20, 30)), "t", zoom=2, origin=(100, 200), marks=[(105, 210)],
                  rings=[(110, 203)])  # fmt: skip
    fig = draw([Row([panel])])
    lines = fig.axes[0].lines
    assert [(line.get_marker(), line.get_xdata()[0], line.get_ydata()[0]) for line in lines] == [
        ("+", 210, 105),
        ("o", 203, 110),
    ]
    plt.close(fig)

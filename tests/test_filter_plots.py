"""Tests of helpers.filter_plots: titles carry sum and norm, compared filters share a scale."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import filter_plots


def test_shared_scale_numbers_and_titles():
    filters = {
        "a": np.array([[0.25, -0.04], [1.0, 0.0]]),
        "b": np.full((3, 3), -2.0),
        "c": np.eye(2),
    }
    fig = filter_plots.draw_filters(filters, columns=2)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.images]
    assert len(panels) == 3
    assert {ax.images[0].get_clim() for ax in panels} == {(-2.0, 2.0)}
    assert panels[0].get_title() == "a\nsum 1.21, norm 1.03"
    # -0.04 is written "0.0", not "-0.0"
    assert sorted(t.get_text() for t in panels[0].texts) == ["0.0", "0.0", "0.2", "1.0"]
    assert sum(1 for ax in fig.axes if ax.get_label() == "<colorbar>") == 1
    plt.close(fig)


def test_own_scales_when_not_shared():
    fig = filter_plots.draw_filters({"a": np.ones((2, 2)), "b": 3 * np.ones((2, 2))}, shared=False)
    clims = [ax.images[0].get_clim() for ax in fig.axes if ax.images and ax.get_title()]
    assert clims == [(-1.0, 1.0), (-3.0, 3.0)]
    plt.close(fig)


def test_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        filter_plots.draw_filters({})
    with pytest.raises(ValueError, match="2-D"):
        filter_plots.draw_filters({"a": np.ones((2, 2, 2))})


def test_traces_draw_every_filter_on_a_symlog_sum_axis_with_the_legend_outside():
    steps = np.arange(0, 50, 10)
    sums = np.stack([np.linspace(-1, 6, 5), np.linspace(0, 0.5, 5)], axis=1)
    norms = np.abs(sums) + 0.5
    fig = filter_plots.draw_traces(steps, sums, norms)
    left, right = fig.axes[:2]
    assert left.get_yscale() == "symlog" and right.get_yscale() == "linear"
    np.testing.assert_array_equal(left.lines[1].get_ydata(), sums[:, 1])
    np.testing.assert_array_equal(right.lines[0].get_ydata(), norms[:, 0])
    labels = [text.get_text() for text in fig.legends[0].get_texts()]
    assert labels == ["g0", "g1", "one"] and not left.get_legend() and not right.get_legend()
    assert "5" in [tick.get_text() for tick in left.get_yticklabels()]
    plt.close(fig)
    with pytest.raises(ValueError, match="sums and norms"):
        filter_plots.draw_traces(steps, sums[:, :1], norms)


def test_learned_sums_split_filled_and_open_by_distance_moved():
    sums = [np.array([0.5, -0.3, 2.0]), np.array([1.0, 4.0, -1.0])]
    moved = [np.array([1.0, 0.1, 0.6]), np.array([0.2, 2.0, 0.3])]
    fig = filter_plots.draw_learned_sums(sums, moved)
    ax = fig.axes[0]
    filled_0, open_0, filled_1, open_1 = (c.get_offsets() for c in ax.collections[:4])
    np.testing.assert_array_equal(filled_0, [[0.5, 0], [2.0, 0]])
    np.testing.assert_array_equal(open_0, [[-0.3, 0]])
    np.testing.assert_array_equal(filled_1, [[4.0, 1]])
    np.testing.assert_array_equal(open_1, [[1.0, 1], [-1.0, 1]])
    assert [text.get_text() for text in fig.legends[0].get_texts()][-1] == "sum one"
    plt.close(fig)
    with pytest.raises(ValueError, match="one array per run"):
        filter_plots.draw_learned_sums(sums, moved[:1])

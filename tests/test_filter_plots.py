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

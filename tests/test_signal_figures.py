"""The figures of notebook 01: labelled axes, shared scales."""

import matplotlib.pyplot as plt
import numpy as np

from helpers import signal_figures as figures
from helpers.signals import box, exponential


def test_curves_labels_its_axes_and_marks_zero_for_signed_values():
    x = np.linspace(-1, 1, 11)
    fig = figures.curves(x, {"a": x, "b": (x, -x)}, "title", points={"dots": (x[::2], x[::2])})
    ax = fig.axes[0]
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "value" and ax.get_title() == "title"
    assert len(ax.get_legend().get_texts()) == 3
    plt.close(fig)


def test_flip_steps_draws_the_mirror_and_the_slide():
    tau = np.linspace(-3, 3, 61)
    fig = figures.flip_steps(exponential, 1.5, tau)
    lines = [ax.lines[0].get_ydata() for ax in fig.axes]
    np.testing.assert_allclose(lines[1], exponential(-tau))
    np.testing.assert_allclose(lines[2], exponential(1.5 - tau))
    assert all(ax.get_xlabel() == "τ" for ax in fig.axes)
    plt.close(fig)


def test_convergence_draws_each_series_with_its_whole_slope():
    steps = 2.0 ** -np.arange(3, 8)
    errors = {"order 1": steps, "order 2": steps**2}
    fig = figures.convergence(steps, errors, steps, steps**3, steps**3)
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert labels == ["order 1", "slope 1", "order 2", "slope 2"]
    plt.close(fig)


def test_plane_panels_share_a_scale_where_asked():
    axis = np.linspace(-1, 1, 5)
    small, big = np.full((5, 5), 0.25), np.full((5, 5), 2.0)
    fig = figures.plane_panels(axis, [("a", small), ("b", big), ("c", small * 0.5)], shared=(0, 2))
    clims = [ax.images[0].get_clim() for ax in fig.axes if ax.images]
    assert clims == [(0, 0.25), (0, 2.0), (0, 0.25)]
    assert box(0.0) == 1.0
    plt.close(fig)

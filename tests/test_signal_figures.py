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


def test_superposition_adds_one_scaled_copy_of_g_per_strip():
    x = np.linspace(-2, 4, 601)
    strips = np.linspace(-0.4, 0.4, 5)  # five strips of width 0.2 over the box
    fig = figures.superposition(x, box, exponential, strips, np.zeros_like(x))
    copies = [line for line in fig.axes[1].lines if line.get_color() == "0.55"]
    assert len(copies) == 5
    np.testing.assert_allclose(copies[2].get_ydata(), 0.2 * exponential(x))  # the strip at 0
    total = next(line for line in fig.axes[1].lines if line.get_label() == "the sum of the copies")
    np.testing.assert_allclose(total.get_ydata(), sum(c.get_ydata() for c in copies))
    assert fig.axes[0].get_xlabel() == "τ" and fig.axes[1].get_xlabel() == "x"
    plt.close(fig)


def test_identity_limit_draws_f_on_top_and_the_error_on_log_axes():
    x = np.linspace(-1, 1, 21)
    widths = np.array([1.0, 0.5, 0.25])
    fig = figures.identity_limit(x, x**2, {1.0: x**2 + 0.1, 0.5: x**2 + 0.03}, widths, widths**2)
    left, right = fig.axes
    assert left.lines[-1].get_label() == "f" and left.lines[-1].get_marker() == "o"  # on top
    assert right.get_xscale() == right.get_yscale() == "log"
    assert right.get_xlabel() == "box width w" and left.get_xlabel() == "x"
    plt.close(fig)


def test_learning_curves_draws_each_error_on_log_log_axes():
    iterations = np.array([1, 10, 100, 1000])
    curves = {
        "|sum - 1|": np.array([1e-1, 1e-3, 1e-4, 1e-5]),
        "tap error": np.array([0.4, 0.38, 0.3, 0.2]),
    }
    fig = figures.learning_curves(iterations, curves, "t")
    ax = fig.axes[0]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == list(curves)
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), curves["tap error"])
    plt.close(fig)

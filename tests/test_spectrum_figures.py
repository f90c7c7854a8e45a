"""The figures of notebook 04: scales, marks and labels, checked on small inputs."""

import matplotlib
import numpy as np

matplotlib.use("Agg")

from helpers import kernels  # noqa: E402
from helpers.spectrum_figures import draw_side_lobes, draw_theorem, draw_wraparound  # noqa: E402


def test_the_theorem_shares_one_span_of_decades_and_says_what_is_black():
    rng = np.random.default_rng(0)
    fig = draw_theorem(rng.random((32, 32)), kernels.gaussian(5, 1.0), decades=8)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    spans = [np.subtract(*image.get_clim()[::-1]) for image in images[1:4]]
    assert np.allclose(spans, 8)
    assert images[1].get_clim() == images[3].get_clim()  # |F| and |F H| on one scale
    assert "8 decades or more below" in fig.texts[0].get_text()  # the suptitle


def test_the_wraparound_difference_is_on_a_log_scale_with_the_strips_marked():
    linear = np.zeros((20, 20))
    circular = linear.copy()
    circular[:3] = 0.5
    fig = draw_wraparound(linear, circular, strip=3)
    difference = fig.axes[2].images[0].get_array()
    assert difference.max() == np.log10(0.5) and difference.min() == -6
    dashed = [p for p in fig.axes[2].patches if p.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_width() == 14


def test_side_lobes_reach_down_to_the_floor():
    v = np.linspace(0, 0.5, 11)
    fig = draw_side_lobes(v, {"a": np.ones(11), "b": np.full(11, 1e-12)}, floor=1e-10)
    assert fig.axes[0].get_ylim()[0] == 1e-10

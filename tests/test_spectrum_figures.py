"""The figures of notebook 04: scales, marks and labels, checked on small inputs."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from helpers import kernels  # noqa: E402
from helpers.spectrum_figures import (  # noqa: E402
    draw_side_lobes,
    draw_theorem,
    draw_wraparound,
    frequency_extent,
)


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


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (5, 4), (17, 64)])
def test_the_extent_puts_pixel_centres_on_numpys_frequencies(shape):
    u, v = (np.fft.fftshift(np.fft.fftfreq(n)) for n in shape)
    left, right, bottom, top = frequency_extent(shape)
    np.testing.assert_allclose([left, right], [v[0] - 0.5 / shape[1], v[-1] + 0.5 / shape[1]])
    np.testing.assert_allclose([top, bottom], [u[0] - 0.5 / shape[0], u[-1] + 0.5 / shape[0]])


def test_the_extent_refuses_shapes_that_are_not_two_positive_integers():
    """Issue 14: frequency_extent((0, 3)) raised ZeroDivisionError."""
    with pytest.raises(ValueError, match=r"shape must be 2 positive integers, got \(0, 3\)"):
        frequency_extent((0, 3))
    for shape in [(3.5, 5), "ab", None, (True, 3)]:
        with pytest.raises(TypeError, match="shape must be 2 positive integers"):
            frequency_extent(shape)
    low, high = -0.5 - 0.5e-9, 0.5 - 0.5e-9  # half a bin beyond the ends; no array built
    assert frequency_extent((10**9, 10**9)) == pytest.approx((low, high, high, low), abs=1e-15)

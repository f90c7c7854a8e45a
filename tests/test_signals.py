"""Tests of helpers.signals: scipy.integrate.quad is the independent oracle, plus exact results."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from helpers.signals import (
    box,
    box_conv_box,
    box_conv_gaussian,
    convolution_at,
    convolve_integral,
    exponential,
    exponential_conv_exponential,
    gaussian,
    gaussian_conv_gaussian,
    gaussian_derivative,
    riemann_points,
    triangle,
    triangle_conv_triangle,
)

SIGNALS = {
    "box": lambda t: box(t, 1.2, 0.3),
    "triangle": lambda t: triangle(t, 0.8, -0.2),
    "gaussian": lambda t: gaussian(t, 0.5, 0.1),
    "gaussian_derivative": lambda t: gaussian_derivative(t, 0.6),
    "exponential": lambda t: exponential(t, 1.5, -0.5),
}
SUPPORT = (-8.0, 12.0)


def quad_convolution(f, g, x, breakpoints=()):
    """(f * g)(x) by adaptive quadrature, told where the integrand may jump."""
    points = [p for p in breakpoints if SUPPORT[0] < p < SUPPORT[1]]

    def integrand(tau):
        return float(f(np.array(tau)) * g(np.array(x - tau)))

    value, _ = quad(integrand, *SUPPORT, points=points or None, limit=400)
    return value


@pytest.mark.parametrize("name", SIGNALS)
def test_every_signal_integrates_to_its_mass(name):
    mass = 0.0 if name == "gaussian_derivative" else 1.0
    value, _ = quad(
        lambda t: float(SIGNALS[name](np.array(t))),
        *SUPPORT,
        limit=400,
        points=[-0.5, -0.3, 0.9, -0.2, 0.6],
    )
    assert value == pytest.approx(mass, abs=1e-7)


def test_signal_values_at_known_points():
    assert box(np.array([0.0, 0.5, 0.6]), 1.0).tolist() == [1.0, 0.5, 0.0]  # half at the edge
    assert triangle(np.array([0.0, 0.5, 1.0]), 1.0).tolist() == [1.0, 0.5, 0.0]
    assert exponential(np.array([-1.0, 0.0, 1.0]), 2.0).tolist() == pytest.approx(
        [0.0, 1.0, 2 * np.exp(-2)]
    )
    assert gaussian(0.0, 1.0) == pytest.approx(1 / np.sqrt(2 * np.pi))
    assert gaussian_derivative(1.0, 1.0) == pytest.approx(-np.exp(-0.5) / np.sqrt(2 * np.pi))


@pytest.mark.parametrize("f_name", ["box", "gaussian", "exponential"])
@pytest.mark.parametrize("g_name", ["triangle", "gaussian", "exponential", "gaussian_derivative"])
def test_convolve_integral_matches_quad(f_name, g_name):
    f, g = SIGNALS[f_name], SIGNALS[g_name]
    jumps_f = {"box": [-0.3, 0.9], "exponential": [-0.5]}.get(f_name, [])
    jumps_g = {"exponential": [-0.5], "triangle": [-1.0, -0.2, 0.6]}.get(g_name, [])
    for x in (-0.7, 0.35, 1.9):
        breakpoints = jumps_f + [x - p for p in jumps_g]
        expected = quad_convolution(f, g, x, breakpoints)
        got = convolve_integral(f, g, x, step=2e-4, support=SUPPORT)
        # a jump costs up to step * (jump height) / 2; smooth pieces converge much faster
        assert got == pytest.approx(expected, abs=5e-4), (f_name, g_name, x)


def test_riemann_points_of_each_rule():
    assert riemann_points((0, 1), 0.25).tolist() == [0.125, 0.375, 0.625, 0.875]
    assert riemann_points((0, 1), 0.25, "left").tolist() == [0.0, 0.25, 0.5, 0.75]
    assert riemann_points((-1, 2), 0.1).size == 30


X = np.linspace(-3.3, 3.3, 61) + 0.0123  # off the grid of tau, so jumps fall inside cells


@pytest.mark.parametrize("width_f,width_g,centre_f,centre_g", [(1, 1, 0, 0), (1, 0.4, 0.5, -1)])
def test_box_conv_box_against_numeric(width_f, width_g, centre_f, centre_g):
    exact = box_conv_box(X, width_f, width_g, centre_f, centre_g)
    numeric = convolve_integral(
        lambda t: box(t, width_f, centre_f), lambda t: box(t, width_g, centre_g), X, 1e-4, (-4, 4)
    )
    assert np.max(np.abs(numeric - exact)) < 1e-3 / min(width_f, width_g)


def test_box_conv_box_equal_widths_is_the_triangle():
    for width in (0.3, 1.0, 2.5):
        assert np.allclose(box_conv_box(X, width, width), triangle(X, width))


def test_gaussian_conv_gaussian_against_numeric():
    exact = gaussian_conv_gaussian(X, 0.4, 0.7, 0.5, -0.3)
    numeric = convolve_integral(
        lambda t: gaussian(t, 0.4, 0.5), lambda t: gaussian(t, 0.7, -0.3), X, 0.01, (-6, 6)
    )
    assert np.max(np.abs(numeric - exact)) < 1e-12


@pytest.mark.parametrize("rate_f,rate_g", [(2.0, 0.5), (1.3, 1.3)])
def test_exponential_conv_exponential_against_numeric(rate_f, rate_g):
    exact = exponential_conv_exponential(X, rate_f, rate_g)
    numeric = convolve_integral(
        lambda t: exponential(t, rate_f), lambda t: exponential(t, rate_g), X, 1e-4, (-1, 30)
    )
    assert np.max(np.abs(numeric - exact)) < 1e-3


def test_exponential_conv_exponential_is_continuous_in_the_rates():
    assert np.allclose(
        exponential_conv_exponential(X, 1.0, 1.0 + 1e-7), exponential_conv_exponential(X, 1.0, 1.0)
    )


def test_box_conv_gaussian_and_triangle_conv_triangle_against_numeric():
    numeric = convolve_integral(box, lambda t: gaussian(t, 0.3), X, 1e-4, (-1, 1))
    assert np.max(np.abs(numeric - box_conv_gaussian(X, 1.0, 0.3))) < 1e-6
    numeric = convolve_integral(
        lambda t: triangle(t, 0.6), lambda t: triangle(t, 0.6), X, 1e-3, (-1, 1)
    )
    assert np.max(np.abs(numeric - triangle_conv_triangle(X, 0.6))) < 1e-5


def test_midpoint_rule_is_second_order_on_continuous_signals():
    exact = triangle_conv_triangle(X)
    errors = [
        np.max(np.abs(convolve_integral(triangle, triangle, X, h, (-2, 2)) - exact))
        for h in (0.08, 0.04, 0.02, 0.01)
    ]
    order = np.polyfit(np.log([0.08, 0.04, 0.02, 0.01]), np.log(errors), 1)[0]
    assert 1.8 < order < 2.3


finite = st.floats(-3, 3, allow_nan=False)
width = st.floats(0.1, 3)


@settings(max_examples=40, deadline=None)
@given(w_f=width, w_g=width, c_f=finite, c_g=finite, x=st.floats(-8, 8))
def test_box_conv_box_is_symmetric_and_keeps_mass(w_f, w_g, c_f, c_g, x):
    assert box_conv_box(x, w_f, w_g, c_f, c_g) == pytest.approx(box_conv_box(x, w_g, w_f, c_g, c_f))
    grid = np.linspace(-15, 15, 30001)
    mass = np.sum(box_conv_box(grid, w_f, w_g, c_f, c_g)) * (grid[1] - grid[0])
    assert mass == pytest.approx(1.0, abs=2e-3)


@settings(max_examples=30, deadline=None)
@given(s_f=st.floats(0.2, 2), s_g=st.floats(0.2, 2), c_f=finite, c_g=finite)
def test_gaussian_conv_gaussian_numeric_for_any_parameters(s_f, s_g, c_f, c_g):
    x = np.array([-1.0, 0.0, 0.7, 2.0])
    numeric = convolve_integral(
        lambda t: gaussian(t, s_f, c_f), lambda t: gaussian(t, s_g, c_g), x, 0.02, (-15, 15)
    )
    assert np.allclose(numeric, gaussian_conv_gaussian(x, s_f, s_g, c_f, c_g), atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(a=finite, b=finite, x=st.floats(-5, 5))
def test_convolve_integral_is_commutative_and_linear(a, b, x):
    f, g = SIGNALS["exponential"], SIGNALS["triangle"]
    fg = convolve_integral(f, g, x, 1e-3, (-10, 10))
    gf = convolve_integral(g, f, x, 1e-3, (-10, 10))
    assert fg == pytest.approx(gf, abs=2e-3)
    h = SIGNALS["gaussian"]
    mixed = convolve_integral(f, lambda t: a * g(t) + b * h(t), x, 1e-3, (-10, 10))
    parts = a * fg + b * convolve_integral(f, h, x, 1e-3, (-10, 10))
    assert mixed == pytest.approx(parts, abs=1e-9)


def test_convolve_integral_keeps_the_shape_of_x():
    x = np.zeros((3, 4))
    assert convolve_integral(box, box, x, 0.1, (-1, 1)).shape == (3, 4)
    assert convolve_integral(box, box, 0.0, 0.1, (-1, 1)).shape == ()


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"step": 0.0}, ValueError, "step must be a finite number > 0"),
        ({"step": -0.1}, ValueError, "step must be"),
        ({"step": float("nan")}, ValueError, "step must be"),
        ({"step": "small"}, TypeError, "step must be a finite number > 0"),
        ({"step": 0.3}, ValueError, "whole number of steps"),
        ({"support": (1.0, -1.0)}, ValueError, "a < b"),
        ({"support": (0.0, float("inf"))}, ValueError, "support must be finite"),
        ({"support": 3.0}, TypeError, "support must be a pair"),
        ({"rule": "right"}, ValueError, "rule must be one of"),
        ({"x": [0.0, np.nan]}, ValueError, "x must hold finite"),
        ({"f": 3.0}, TypeError, "f and g must be callables"),
        ({"f": lambda t: 1.0}, ValueError, "f must return one value per point"),
    ],
)
def test_convolve_integral_bad_input(kwargs, error, match):
    arguments = {"f": box, "g": box, "x": 0.0, "step": 0.1, "support": (-1.0, 1.0)}
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        convolve_integral(**arguments)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: box(0.0, width=0), "width must be a finite number > 0"),
        (lambda: triangle(0.0, half_width=-1), "half_width must be"),
        (lambda: gaussian(0.0, sigma=0), "sigma must be"),
        (lambda: exponential(0.0, rate=np.inf), "rate must be"),
        (lambda: gaussian(0.0, centre=np.nan), "centre must be a finite number"),
        (lambda: box_conv_box(0.0, width_g=0), "width_g must be"),
        (lambda: gaussian_conv_gaussian(0.0, sigma_f=-1), "sigma_f must be"),
        (lambda: exponential_conv_exponential(0.0, rate_g=0), "rate_g must be"),
    ],
)
def test_signal_bad_parameters(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_the_readable_sum_at_one_point_is_the_helper():
    from helpers.signals import convolution_at

    for x in (-0.7, 0.0, 0.3, 2.5):
        readable = convolution_at(box, exponential, x, 1e-3, (-0.5, 0.5))
        batched = float(convolve_integral(box, exponential, x, 1e-3, (-0.5, 0.5)))
        assert readable == pytest.approx(batched, abs=1e-14)
        expected = quad_convolution(box, exponential, x, breakpoints=(-0.5, 0.5, x))
        assert readable == pytest.approx(expected, abs=1e-6)


def test_convolution_at_refuses_what_convolve_integral_refuses():
    """Regression (fuzz): a signal returning NaN gave NaN without a word."""
    nan_signal = lambda t: np.full(np.shape(t), np.nan)  # noqa: E731
    with pytest.raises(ValueError, match="g returned NaN or inf"):
        convolution_at(box, nan_signal, 0.0, 0.1, (-1.0, 1.0))
    with pytest.raises(ValueError, match="f returned NaN or inf"):
        convolution_at(nan_signal, box, 0.0, 0.1, (-1.0, 1.0))
    with pytest.raises(ValueError, match="x"):
        convolution_at(box, box, float("nan"), 0.1, (-1.0, 1.0))
    with pytest.raises(TypeError, match="callables"):
        convolution_at(box, 3.0, 0.0, 0.1, (-1.0, 1.0))
    with pytest.raises(ValueError, match="overflows"):
        convolution_at(lambda t: 1e200 * box(t), lambda t: 1e200 * box(t), 0.0, 0.1, (-1.0, 1.0))
    assert convolution_at(box, box, 0.3, 1e-3, (-0.5, 0.5)) == pytest.approx(
        float(convolve_integral(box, box, 0.3, 1e-3, (-0.5, 0.5))), abs=1e-14
    )

"""The checkers of notebook 01: the reference passes, each typical mistake gets its hint."""

import numpy as np
import pytest
from scipy.signal import convolve

from helpers.exercises import nb01
from helpers.signals import box_conv_box, gaussian

EXERCISES = [
    nb01.sampled_convolution,
    nb01.convolution_support,
    nb01.gaussian_blur,
    nb01.convolution_mass,
]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_each_mistake_fails_with_its_hint(exercise):
    assert len(exercise.mistakes) >= 3
    for mistake in exercise.mistakes:
        report = exercise.check(mistake.wrong)
        assert report.attempted and not report.passed
        assert f"Hint: {mistake.hint}" in report.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_solution_shows_the_reference_source(exercise):
    assert exercise.reference.__name__ in exercise.solution().data


def test_sampled_convolution_reference_matches_scipy():
    """The loop reference against an independent oracle, on every case and random ones."""
    rng = np.random.default_rng(0)
    cases = list(nb01.sampled_convolution.cases())
    cases += [
        nb01.Case("random", (rng.normal(size=n), rng.normal(size=m), 0.7))
        for n, m in [(3, 9), (10, 10), (1, 1)]
    ]
    for case in cases:
        f, g, dx = case.args
        assert np.allclose(nb01.sampled_convolution.reference(f, g, dx), convolve(f, g) * dx)


def test_sampled_convolution_approaches_the_integral():
    """With samples of two exponentials, the sum tends to the exact convolution as dx -> 0."""
    from helpers.signals import exponential, exponential_conv_exponential

    errors = []
    for dx in (0.1, 0.05, 0.025):
        t = np.arange(int(12 / dx)) * dx
        h = nb01.sampled_convolution.reference(exponential(t, 1.0), exponential(t, 2.0), dx)
        x = np.arange(len(h)) * dx
        keep = (x > 0) & (x < 6)
        errors.append(np.max(np.abs(h[keep] - exponential_conv_exponential(x[keep], 1.0, 2.0))))
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.02


def test_a_wrong_answer_without_a_known_mistake_gets_no_hint():
    report = nb01.gaussian_blur.check(lambda m_f, s_f, m, s: (0.0, 1.0))
    assert not report.passed and "Hint" not in report.message
    assert "case 1 of" in report.message


def test_a_learner_that_raises_is_reported():
    report = nb01.convolution_support.check(lambda f, g: 1 / 0)
    assert report.attempted and not report.passed
    assert "ZeroDivisionError" in report.message


def test_convolution_mass_reference_is_the_mass_of_the_sampled_convolution():
    for case in nb01.convolution_mass.cases():
        f, g, dx = case.args
        mass = np.sum(convolve(f, g) * dx) * dx
        assert nb01.convolution_mass.reference(f, g, dx) == pytest.approx(mass, abs=1e-12)


def test_convolution_support_reference_matches_the_exact_box_convolution():
    """Oracle: box * box (a trapezoid, computed by overlap) is > 0 exactly inside the support."""
    for case in nb01.convolution_support.cases():
        (a_f, b_f), (a_g, b_g) = case.args
        start, end = nb01.convolution_support.reference(*case.args)
        widths, centres = (b_f - a_f, b_g - a_g), ((a_f + b_f) / 2, (a_g + b_g) / 2)
        inside = np.linspace(start, end, 203)[1:-1]
        beyond = np.geomspace(1e-6, 3, 20)
        outside = np.concatenate([start - beyond, end + beyond])
        assert np.all(box_conv_box(inside, *widths, *centres) > 0), case.description
        assert np.all(box_conv_box(outside, *widths, *centres) == 0), case.description


def test_gaussian_blur_reference_gives_the_wanted_gaussian_numerically():
    """Oracle: f convolved with the answer's g as a Riemann sum on a grid has the wanted mean
    and standard deviation (and is that Gaussian)."""
    for case in nb01.gaussian_blur.cases():
        mean_f, sigma_f, mean, sigma = case.args
        mean_g, sigma_g = nb01.gaussian_blur.reference(*case.args)
        dx = min(sigma_f, sigma_g) / 10
        half = round((abs(mean_f) + abs(mean_g) + 10 * sigma) / dx)
        x = np.arange(-half, half + 1) * dx  # centred on 0, so that 'same' stays aligned
        h = convolve(gaussian(x, sigma_f, mean_f), gaussian(x, sigma_g, mean_g), "same") * dx
        measured = np.sum(x * h) * dx
        spread = np.sqrt(np.sum((x - measured) ** 2 * h) * dx)
        assert (measured, spread) == pytest.approx((mean, sigma), abs=1e-6), case.description
        assert np.max(np.abs(h - gaussian(x, sigma, mean))) < 1e-6 * h.max(), case.description


def test_exercise_1_right_answers_written_other_ways_pass():
    from scipy.signal import fftconvolve

    def scatter(f, g, dx):  # each f[m] adds a scaled copy of g starting at m
        h = np.zeros(len(f) + len(g) - 1)
        for m, value in enumerate(f):
            h[m : m + len(g)] += value * np.asarray(g) * dx
        return h

    for right in (
        scatter,
        lambda f, g, dx: fftconvolve(f, g) * dx,
        lambda f, g, dx: list(np.convolve(f, g) * dx),
    ):
        assert nb01.sampled_convolution.check(right).passed


def test_exercise_4_trapezoid_areas_get_the_convention_explained():
    report = nb01.convolution_mass.check(
        lambda f, g, dx: np.trapezoid(f, dx=dx) * np.trapezoid(g, dx=dx)
    )
    assert "rectangle sum" in report.message and report.message.count("Hint:") == 1

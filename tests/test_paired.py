"""Paired differences against scipy's paired t-test and against simulation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from scipy import stats

from helpers.paired import (
    differences_figure,
    paired_difference,
    power_at,
    seeds_needed,
    sigma_range,
)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 12), seed=st.integers(0, 10_000), confidence=st.sampled_from([0.9, 0.95]))
def test_interval_is_scipys_paired_t_interval(n, seed, confidence):
    rng = np.random.default_rng(seed)
    baseline = rng.normal(size=n)
    treatment = baseline + rng.normal(0.3, 1.0, size=n)
    d = paired_difference(treatment, baseline, confidence=confidence)
    reference = stats.ttest_rel(treatment, baseline).confidence_interval(confidence)
    assert d.low == pytest.approx(reference.low, abs=1e-12)
    assert d.high == pytest.approx(reference.high, abs=1e-12)
    assert d.mean == pytest.approx(np.mean(treatment - baseline))
    assert d.n == n and d.decided == (stats.ttest_rel(treatment, baseline).pvalue < 1 - confidence)


@pytest.mark.parametrize("n", [4, 5, 8, 20])
def test_detectable_effect_is_found_with_the_promised_power(n):
    """Exactly (noncentral t), and by simulating many experiments with that true effect."""
    rng = np.random.default_rng(n)
    measured = paired_difference(rng.normal(size=n), np.zeros(n))
    sd = measured.differences.std(ddof=1)
    assert power_at(measured.detectable, measured) == pytest.approx(0.8, abs=1e-9)
    critical = stats.t.ppf(0.975, n - 1)
    samples = rng.normal(measured.detectable, sd, size=(20_000, n))  # true effect = detectable
    t = samples.mean(axis=1) / (samples.std(axis=1, ddof=1) / np.sqrt(n))
    assert np.mean(np.abs(t) > critical) == pytest.approx(0.8, abs=0.02)


def test_detectable_is_a_little_above_the_usual_shortcut():
    """(t_{1-a/2} + t_power) s / sqrt(n) gives a power of only 0.78 with 4 seeds."""
    d = paired_difference(np.array([0.3, -0.1, 0.25, 0.05]), np.zeros(4))
    error = d.differences.std(ddof=1) / 2
    shortcut = (stats.t.ppf(0.975, 3) + stats.t.ppf(0.8, 3)) * error
    assert shortcut < d.detectable < 1.05 * shortcut
    assert power_at(shortcut, d) == pytest.approx(0.78, abs=0.01)


def test_sigma_range_covers_sigma_as_often_as_promised():
    low, high = sigma_range(4)
    assert (low, high) == pytest.approx((0.567, 3.73), abs=0.005)
    rng = np.random.default_rng(1)
    s = rng.normal(size=(20_000, 4)).std(axis=1, ddof=1)  # true sigma = 1
    assert np.mean((low * s <= 1) & (1 <= high * s)) == pytest.approx(0.95, abs=0.01)
    with pytest.raises(ValueError, match="at least 2"):
        sigma_range(1)


def test_seeds_needed_is_the_first_count_that_detects_the_effect():
    d = paired_difference(np.array([0.02, -0.01, 0.04, 0.0]), np.zeros(4))
    n = seeds_needed(d, 0.01)
    sd = d.differences.std(ddof=1)
    assert n > 4
    for count, expected in ((n, True), (n - 1, False)):  # the upper tail alone, by scipy
        error = sd / np.sqrt(count)
        power = stats.nct.sf(stats.t.ppf(0.975, count - 1), count - 1, 0.01 / error)
        assert (power + 1e-12 >= 0.8) == expected
    with pytest.raises(ValueError, match="effect"):
        seeds_needed(d, 0.0)


def test_no_effect_is_detected_at_the_test_level():
    d = paired_difference(np.array([1.0, 2.0, 3.0]), np.array([1.5, 1.5, 2.5]))
    assert power_at(0.0, d) == pytest.approx(0.05, abs=1e-9)


def test_identical_measurements_give_a_zero_width_interval():
    d = paired_difference(np.array([0.9, 0.8, 0.7]), np.array([0.9, 0.8, 0.7]))
    assert d.mean == d.low == d.high == d.detectable == 0 and not d.decided
    assert power_at(0.1, d) == 1.0


def test_describe_says_what_was_found_and_what_could_have_been():
    established = paired_difference(np.array([1.0, 1.1, 1.2, 1.05]), np.zeros(4))
    assert (
        "a difference" in established.describe() and "over 4 paired seeds" in established.describe()
    )
    null = paired_difference(np.array([0.1, -0.1, 0.05, -0.02]), np.zeros(4))
    text = null.describe(digits=2)
    assert "no difference established" in text and "it could detect" in text and "80%" in text


@pytest.mark.parametrize(
    "treatment, baseline, kwargs, message",
    [
        (np.ones(3), np.ones(4), {}, "same length"),
        (np.ones((2, 2)), np.ones((2, 2)), {}, "1-D"),
        (np.ones(1), np.ones(1), {}, "at least 2"),
        (np.array([1.0, np.nan]), np.ones(2), {}, "finite"),
        (np.ones(3), np.ones(3), {"confidence": 1.0}, "confidence"),
        (np.ones(3), np.ones(3), {"power": 0.0}, "power"),
    ],
)
def test_bad_input(treatment, baseline, kwargs, message):
    with pytest.raises(ValueError, match=message):
        paired_difference(treatment, baseline, **kwargs)


def test_figure_has_one_panel_per_measure_and_one_row_per_comparison():
    rng = np.random.default_rng(0)
    rows = {name: paired_difference(rng.normal(size=5), rng.normal(size=5)) for name in "ab"}
    figure = differences_figure({"accuracy": rows, "loss": rows})
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["a", "b"]
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "one seed" in labels and any("could go unseen" in label for label in labels)

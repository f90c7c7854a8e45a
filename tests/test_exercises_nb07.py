"""The checkers of notebook 07: references pass, typical mistakes get their hints."""

import numpy as np
import pytest
import torch

from helpers.exercises import nb07
from helpers.homomorphic import high_emphasis_response
from helpers.output_normalization import softmax
from helpers.whitening import fit_whitening


def test_references_agree_with_the_helpers():
    for case in nb07.zca_matrix.cases():
        patches, eps = case.args
        expected = fit_whitening(patches, "zca", eps, patch_shape=(1, patches.shape[1])).matrix
        np.testing.assert_allclose(nb07.zca_matrix_reference(patches, eps), expected, atol=1e-9)
    for case in nb07.softmax.cases():
        np.testing.assert_allclose(nb07.softmax_reference(*case.args), softmax(*case.args))
    for case in nb07.high_emphasis.cases():
        np.testing.assert_allclose(
            nb07.high_emphasis_reference(*case.args), high_emphasis_response(*case.args)
        )


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (nb07._pca_matrix, "this is PCA whitening"),
        (nb07._inverse_not_square_root, "square root"),
        (nb07._not_centred, "subtract the mean patch"),
        (nb07._divided_by_m, "m - 1"),
        (nb07._no_eps, "add eps"),
        (nb07._covariance_of_the_rows, "rowvar=False"),
    ],
)
def test_zca_mistakes(wrong, hint):
    report = nb07.zca_matrix.check(wrong)
    assert report.attempted and not report.passed
    assert hint in report.message


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (nb07._softmax_wrong_axis, "axis=1"),
        (nb07._sum_one_without_exp, "exponentiates first"),
        (nb07._exp_without_normalizing, "divide each row"),
    ],
)
def test_softmax_mistakes(wrong, hint):
    report = nb07.softmax.check(wrong)
    assert not report.passed and hint in report.message


def test_softmax_without_subtracting_the_maximum_fails_on_large_logits():
    def naive(z):
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    with np.errstate(over="ignore", invalid="ignore"):
        report = nb07.softmax.check(naive)
    assert not report.passed
    assert "case 4 of 5" in report.message and "NaN" in report.message
    assert "subtract each row's maximum before exp" in report.message


@pytest.mark.parametrize("statistic, hint", [("min", "minimum"), ("mean", "mean")])
def test_softmax_shifted_by_another_statistic_fails_on_a_wide_row(statistic, hint):
    def shifted(z):
        e = np.exp(z - getattr(z, statistic)(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    with np.errstate(over="ignore", invalid="ignore"):
        report = nb07.softmax.check(shifted)
    assert "case 5 of 5" in report.message and f"you subtracted the row's {hint}" in report.message
    assert report.message.count("Hint:") == 1


def test_softmax_accepts_every_stable_form():
    from scipy.special import logsumexp
    from scipy.special import softmax as scipy_softmax

    for right in (
        lambda z: scipy_softmax(z, axis=1),
        lambda z: np.exp(z - logsumexp(z, axis=1, keepdims=True)),
        lambda z: torch.softmax(torch.from_numpy(z), dim=1),
    ):
        assert nb07.softmax.check(right).passed


def test_zca_accepts_the_routes_of_the_notebook_and_of_torch():
    def with_np_cov(patches, eps):
        values, vectors = np.linalg.eigh(np.cov(patches, rowvar=False))
        return vectors @ np.diag(1 / np.sqrt(values + eps)) @ vectors.T

    def in_float32(patches, eps):
        t = torch.from_numpy(patches).float()
        centred = t - t.mean(0)
        values, vectors = torch.linalg.eigh(centred.T @ centred / (len(t) - 1))
        return vectors @ torch.diag(1 / torch.sqrt(values + eps)) @ vectors.T

    assert nb07.zca_matrix.check(with_np_cov).passed and nb07.zca_matrix.check(in_float32).passed


def test_the_high_emphasis_solution_answers_what_h0_is():
    assert "H(0) = gamma_low" in nb07.high_emphasis.solution().data


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (nb07._swapped_gains, "the gains are swapped"),
        (nb07._no_factor_two, "factor 2"),
        (nb07._divided_then_multiplied, "mind the brackets"),
        (nb07._high_gain_not_reduced, "gamma_high - gamma_low"),
    ],
)
def test_high_emphasis_mistakes(wrong, hint):
    report = nb07.high_emphasis.check(wrong)
    assert not report.passed and hint in report.message


def test_a_low_pass_is_the_same_function_as_swapped_gains_and_gets_that_hint():
    def low_pass(d, cutoff, gamma_low, gamma_high):
        return (gamma_high - gamma_low) * np.exp(-(d**2) / (2 * cutoff**2)) + gamma_low

    report = nb07.high_emphasis.check(low_pass)
    assert not report.passed and "built a low-pass" in report.message


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (nb07._divides_by_the_sum, "you divided by the sum"),
        (nb07._whole_tensor, "the whole weight by one amount"),
        (nb07._per_filter, "one sum per filter"),
        (nb07._without_no_grad, "torch.no_grad()"),
        (nb07._whole_gap_to_each_tap, "the whole gap"),
        (nb07._returns_a_copy, "conv.weight is unchanged"),
    ],
)
def test_channel_sums_hook_mistakes(wrong, hint):
    report = nb07.channel_sums.check(wrong)
    assert report.attempted and not report.passed
    assert hint in report.message and report.message.count("Hint:") == 1


def test_the_hook_reference_makes_every_channel_sum_to_the_value_during_training():
    """Independently of the reference: after every step each slice sums to the value, and
    each slice moved by the same amount on all its taps (the closest point of the set)."""
    for case in nb07.channel_sums.cases():
        shape, seed, value = case.args
        seen = nb07.trained_with(nb07.channel_sums_reference)(shape, seed, value)
        assert seen.shape == (nb07.HOOK_STEPS, *shape)
        np.testing.assert_allclose(seen.sum(axis=(3, 4)), value, atol=1e-12)
        assert np.abs(np.diff(seen, axis=0)).max() > 1e-3  # the weights still train


def test_the_hook_accepts_other_right_answers():
    def with_mean(conv, value):
        with torch.no_grad():
            w = conv.weight
            w.copy_(w - w.mean(dim=(2, 3), keepdim=True) + value / (w.shape[2] * w.shape[3]))

    def in_float32(conv, value):
        with torch.no_grad():
            w = conv.weight
            sums = w.float().sum(dim=(2, 3), keepdim=True).double()
            w.sub_((sums - value) / (w.shape[2] * w.shape[3]))

    assert nb07.channel_sums.check(with_mean).passed and nb07.channel_sums.check(in_float32).passed

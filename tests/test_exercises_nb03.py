"""The exercises of notebook 03: each reference against an independent oracle, and the typical
mistakes named in the notebook get their own hint (the catalogue in test_exercises.py checks
every mistake of every exercise)."""

import copy

import numpy as np
import pytest
import scipy.linalg
import scipy.signal
import torch
import torch.nn.functional as F
from numpy.lib.stride_tricks import sliding_window_view

from helpers.convolution import toeplitz_matrix
from helpers.exercises import Exercise, nb03

EXERCISES = [value for value in vars(nb03).values() if isinstance(value, Exercise)]


def assert_hints_are_exclusive(exercise: Exercise) -> None:
    """Each typical mistake fails with its own hint and with no other mistake's hint: the
    checker's first failing case tells the mistakes apart."""
    for mistake in exercise.mistakes:
        report = exercise.check(copy.deepcopy(mistake.wrong))
        assert not report.passed and mistake.hint in report.message, report.message
        others = [m.hint for m in exercise.mistakes if m.hint != mistake.hint]
        shown = [hint for hint in others if hint in report.message]
        assert not shown, f"{exercise.title}: {mistake.hint!r} also showed {shown}"


def test_toeplitz_1d_reference_matches_numpy_convolve():
    rng = np.random.default_rng(0)
    g, f = rng.normal(size=4), rng.normal(size=7)
    np.testing.assert_allclose(nb03.toeplitz_1d_reference(g, 7) @ f, np.convolve(f, g))


def test_toeplitz_1d_mistakes_get_their_hints():
    def transposed(g, n):
        return nb03.toeplitz_1d_reference(g, n).T

    def correlation(g, n):
        return nb03.toeplitz_1d_reference(np.asarray(g)[::-1], n)

    def square(g, n):
        return nb03.toeplitz_1d_reference(g, n)[:n]

    for wrong, words in [(transposed, "transpose"), (correlation, "reversed"), (square, "square")]:
        report = nb03.toeplitz_1d.check(wrong)
        assert report.attempted and not report.passed
        assert words in report.message


def test_toeplitz_nonzeros_reference_counts_the_built_matrix():
    rng = np.random.default_rng(1)
    for mode in ("full", "valid"):
        f_shape, g = (9, 7), rng.uniform(1, 2, size=(3, 2))  # no zero taps
        T = toeplitz_matrix(g, f_shape, mode=mode)
        assert np.count_nonzero(T) == nb03.toeplitz_nonzeros_reference(f_shape, g.shape, mode)


def test_im2col_channels_reference_is_torch_unfold_and_gives_the_layer():
    for case in nb03.im2col_channels.cases():
        f, kh, kw = case.args
        patches = nb03.im2col_channels_reference(f, kh, kw)
        x = torch.tensor(f)[None]
        unfold = F.unfold(x, (kh, kw))[0].numpy()  # CS231n's layout: one patch per column
        np.testing.assert_array_equal(patches, unfold.T)
        weights = np.random.default_rng(2).normal(size=(4, f.shape[0], kh, kw))
        layer = F.conv2d(x, torch.tensor(weights))[0].numpy()  # (4, H - kh + 1, W - kw + 1)
        np.testing.assert_allclose(
            (patches @ weights.reshape(4, -1).T).T.reshape(layer.shape), layer, atol=1e-12
        )


def test_input_gradient_reference_is_autograd():
    for case in nb03.input_gradient.cases():
        dy, g = case.args
        shape = (dy.shape[0] + g.shape[0] - 1, dy.shape[1] + g.shape[1] - 1)
        f = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        out = F.conv2d(f[None, None], torch.tensor(g)[None, None])[0, 0]  # a CNN layer
        (out * torch.tensor(dy)).sum().backward()
        np.testing.assert_allclose(nb03.input_gradient_reference(dy, g), f.grad.numpy(), atol=1e-12)


def test_new_exercises_name_their_mistakes():
    wrong_layouts = [
        (lambda f, kh, kw: nb03.im2col_channels_reference(f, kh, kw).T, "CS231n"),
        (lambda f, kh, kw: nb03._patches(f, kh, kw, order=(1, 2, 3, 4, 0)), "channels last"),
        (lambda f, kh, kw: nb03._patches(f, kh, kw, short=1), "H - kh + 1"),
    ]
    for wrong, words in wrong_layouts:
        assert words in nb03.im2col_channels.check(wrong).message
    correlation = nb03.input_gradient.check(
        lambda dy, g: np.asarray(
            F.conv_transpose2d(
                torch.tensor(dy)[None, None], torch.flip(torch.tensor(g), (0, 1))[None, None]
            )[0, 0]
        )
    )
    assert "correlated dy with g" in correlation.message


def test_a_crashing_answer_is_reported_in_words():
    def broken(g, n):
        return np.zeros((n, n)) @ np.zeros(n + 1)

    report = nb03.toeplitz_1d.check(broken)
    assert report.attempted and not report.passed and "raised" in report.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_each_mistake_gets_its_own_hint_and_no_other(exercise):
    assert_hints_are_exclusive(exercise)


def test_right_answers_written_other_ways_pass():
    def by_scipy(g, n):
        return scipy.linalg.toeplitz(np.r_[g, np.zeros(n - 1)], np.r_[g[0], np.zeros(n - 1)])

    def by_impulses(g, n):
        return np.column_stack([np.convolve(np.eye(n)[j], g) for j in range(n)])

    def by_unfold(f, kh, kw):
        unfold = F.unfold(torch.tensor(f, dtype=torch.float32)[None], (kh, kw))[0]
        return unfold.T.double()

    def by_autograd(dy, g):
        shape = (dy.shape[0] + g.shape[0] - 1, dy.shape[1] + g.shape[1] - 1)
        f = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        out = F.conv2d(f[None, None], torch.tensor(g)[None, None])[0, 0]
        (out * torch.tensor(dy)).sum().backward()
        return f.grad.numpy()

    def by_flipped_correlation(dy, g):
        return scipy.signal.correlate2d(dy, np.asarray(g)[::-1, ::-1], "full")

    def by_formula(f, g, mode):
        (h, w), (kh, kw) = f, g
        return h * w * kh * kw if mode == "full" else (h - kh + 1) * (w - kw + 1) * kh * kw

    def by_windows(f, kh, kw):
        windows = sliding_window_view(f, (kh, kw), axis=(1, 2)).transpose(1, 2, 0, 3, 4)
        return windows.reshape(-1, f.shape[0] * kh * kw)

    assert nb03.toeplitz_1d.check(by_scipy).passed
    assert nb03.toeplitz_1d.check(by_impulses).passed
    assert nb03.toeplitz_nonzeros.check(by_formula).passed
    assert nb03.im2col_channels.check(by_unfold).passed
    assert nb03.im2col_channels.check(by_windows).passed
    assert nb03.input_gradient.check(by_autograd).passed
    assert nb03.input_gradient.check(by_flipped_correlation).passed


def test_counting_the_built_matrix_fails_where_it_cannot_be_built():
    def by_building(f, g, mode):
        return int(np.count_nonzero(toeplitz_matrix(np.ones(g), f, mode)))

    report = nb03.toeplitz_nonzeros.check(by_building)
    assert not report.passed and "count with a formula" in report.message
    assert "raised `ValueError" in report.message

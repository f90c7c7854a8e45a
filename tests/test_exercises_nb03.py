"""The exercises of notebook 03: each reference against an independent oracle, and the typical
mistakes named in the notebook get their own hint (the catalogue in test_exercises.py checks
every mistake of every exercise)."""

import numpy as np
import torch
import torch.nn.functional as F

from helpers.convolution import toeplitz_matrix
from helpers.exercises import nb03


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

"""Tests of the exercises of notebook 05: references right, mistakes caught with their hint."""

import numpy as np
import pytest
import scipy.signal
import torch
from torch.nn import functional as F

from helpers.exercises import nb05


def test_sums_and_norms_reference_against_numpy():
    w = np.random.default_rng(0).standard_normal((6, 3, 5, 4))
    sums, norms = nb05.reference_sums_and_norms(w)
    np.testing.assert_allclose(sums, [w[k].sum() for k in range(6)])
    np.testing.assert_allclose(norms, [np.linalg.norm(w[k].ravel()) for k in range(6)])


def test_gradient_reference_against_autograd():
    rng = np.random.default_rng(1)
    f = torch.tensor(rng.standard_normal((3, 10, 9)))
    g = torch.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    target = torch.tensor(rng.standard_normal((3, 7, 7)))
    z = F.conv2d(f[:, None], g[None, None])[:, 0]
    loss = ((z - target) ** 2).sum() / 2
    loss.backward()
    delta = (z - target).detach().numpy()
    np.testing.assert_allclose(
        nb05.reference_filter_gradient(f.numpy(), delta), g.grad.numpy(), rtol=1e-10
    )


@pytest.mark.parametrize(
    "exercise, mistake",
    [(nb05.filter_sums_and_norms, m) for m in nb05.filter_sums_and_norms.mistakes]
    + [(nb05.filter_gradient, m) for m in nb05.filter_gradient.mistakes],
    ids=lambda x: getattr(getattr(x, "wrong", None), "__name__", "exercise"),
)
def test_each_typical_mistake_fails_with_its_hint(exercise, mistake):
    report = exercise.check(mistake.wrong)
    assert report.attempted and not report.passed
    assert mistake.hint in report.message, report.message


def test_a_crashing_answer_is_reported():
    report = nb05.filter_gradient.check(lambda f, delta: f @ delta)
    assert report.attempted and not report.passed and "raised" in report.message


def test_per_channel_sums_pass_one_channel_and_get_the_channel_hint_after():
    def per_channel(weight):  # right for one input channel, wrong for several
        sums = weight.sum(axis=(2, 3)).squeeze()
        return sums, np.sqrt((weight**2).reshape(len(weight), -1).sum(axis=1))

    report = nb05.filter_sums_and_norms.check(per_channel)
    assert not report.passed and "case 2 of 5" in report.message
    assert "your sums are per input channel" in report.message


def test_the_first_hint_speaks_of_input_channels():
    assert "every input channel" in nb05.filter_sums_and_norms.hint().data


def _flat(weight):
    return weight.reshape(len(weight), -1)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda w: (_flat(w).sum(1), np.full(len(w), np.linalg.norm(w))), "same norm, that of"),
        (lambda w: (np.linalg.norm(_flat(w), axis=1), _flat(w).sum(1)), "outputs are swapped"),
        (lambda w: (_flat(w).mean(1), np.linalg.norm(_flat(w), axis=1)), "your sums are means"),
        (lambda w: (_flat(w).sum(1), np.sqrt((_flat(w) ** 2).mean(1))), "root mean squares"),
        (
            lambda w: (w.reshape(-1, len(w)).sum(0), np.linalg.norm(w.reshape(-1, len(w)), axis=0)),
            "mixes the filters",
        ),
        (
            lambda w: (_flat(w).sum(1), np.array([np.linalg.norm(g[0], 2) for g in w])),
            "spectral norms",
        ),
        (
            lambda w: (w.sum(axis=(1, 2, 3), keepdims=True), np.linalg.norm(_flat(w), axis=1)),
            "kept the reduced axes",
        ),
    ],
)
def test_sums_and_norms_mistakes_written_as_a_learner_would(answer, hint):
    report = nb05.filter_sums_and_norms.check(answer)
    assert not report.passed and hint in report.message, report.message


def test_float32_answers_pass_and_a_stacked_array_does_not():
    def torch_answer(w):
        t = torch.tensor(w).float()
        return t.sum(dim=(1, 2, 3)), t.flatten(1).norm(dim=1)

    assert nb05.filter_sums_and_norms.check(torch_answer).passed

    def torch_gradient(f, delta):
        return F.conv2d(torch.from_numpy(f).float()[None], torch.from_numpy(delta).float()[None])[
            0, 0
        ]

    assert nb05.filter_gradient.check(torch_gradient).passed
    stacked = nb05.filter_sums_and_norms.check(lambda w: np.stack(nb05.reference_sums_and_norms(w)))
    assert not stacked.passed and "expected 2 values" in stacked.message


def test_the_right_answer_with_scipy_passes():
    answer = nb05.filter_gradient.check(lambda f, d: scipy.signal.correlate(f, d, "valid")[0])
    assert answer.passed, answer.message


@pytest.mark.parametrize(
    "answer, hint, not_hint",
    [
        (
            lambda f, d: sum(
                scipy.signal.convolve2d(a, b, "valid") for a, b in zip(f, d, strict=True)
            ),
            "you computed a convolution",
            "In 3-D",
        ),
        (lambda f, d: scipy.signal.convolve(f, d, "valid")[0], "In 3-D", "swap"),
        (
            lambda f, d: scipy.signal.correlate(d, f, "valid")[0],
            "did you swap the arguments",
            "convolution",
        ),
        (lambda f, d: -scipy.signal.correlate(f, d, "valid")[0], "wrong sign", "flipped"),
    ],
)
def test_gradient_mistakes_written_as_a_learner_would(answer, hint, not_hint):
    report = nb05.filter_gradient.check(answer)
    assert not report.passed and hint in report.message, report.message
    assert not_hint not in report.message, report.message


def test_a_hard_coded_filter_size_is_told_to_read_it_from_the_shapes():
    def five_by_five(f, delta):
        out_h, out_w = delta.shape[1:]
        return np.array(
            [
                [np.sum(delta * f[:, a : a + out_h, b : b + out_w]) for b in range(5)]
                for a in range(5)
            ]
        )

    report = nb05.filter_gradient.check(five_by_five)
    assert not report.passed and "read k_h and k_w from the shapes" in report.message


def test_the_first_hints_do_not_give_the_solution_away():
    assert "reshape" not in nb05.filter_sums_and_norms.hint().data.lower()
    first = nb05.filter_gradient.hint().data
    assert "g[a, b]" in first and "f[i + a, j + b]" not in first and "[y" not in first

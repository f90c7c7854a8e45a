"""Tests of the exercises of notebook 05: references right, mistakes caught with their hint."""

import numpy as np
import pytest
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

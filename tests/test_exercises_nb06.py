"""The exercises of notebook 06: references against the helpers, typical mistakes get their hint."""

import numpy as np
import pytest
import torch

from helpers import constraints
from helpers.exercises import nb06


def test_references_agree_with_the_constraints_helpers():
    for case in nb06.project_sum_one.cases():
        g = case.args[0]
        row = torch.from_numpy(np.asarray(g, dtype=float).reshape(1, -1))
        sum_one = constraints.sum_one(row).numpy().reshape(g.shape)
        np.testing.assert_allclose(nb06.project_sum_one_reference(g), sum_one, atol=1e-12)
        np.testing.assert_allclose(
            nb06.project_unit_norm_reference(g),
            constraints.unit_norm(row).numpy().reshape(g.shape),
            atol=1e-12,
        )
        assert nb06.distance_to_sum_one_reference(g) == pytest.approx(
            np.linalg.norm(sum_one - g), abs=1e-12
        )


def test_the_distance_is_the_smallest_over_random_points_of_the_set():
    rng = np.random.default_rng(0)
    g = rng.normal(size=(5, 5))
    points = rng.normal(size=(5000, 25)) * 3
    points += (1 - points.sum(axis=1, keepdims=True)) / 25
    nearest = np.linalg.norm(points - g.reshape(1, -1), axis=1).min()
    assert nb06.distance_to_sum_one_reference(g) <= nearest


def check_hint(exercise, wrong, words):
    report = exercise.check(wrong)
    assert report.attempted and not report.passed
    assert "Hint" in report.message and words in report.message, report.message


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda g: g / g.sum(), "divided by the sum"),
        (lambda g: g + (1 - g.sum()), "n times too much"),
        (lambda g: g - g.mean(), "sums to zero"),
        (lambda g: g + (1 - g.sum()) / len(g), "g.size"),
    ],
)
def test_project_sum_one_mistakes_get_their_hints(wrong, words):
    check_hint(nb06.project_sum_one, wrong, words)


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda g: abs(1 - g.sum()), "gap in the sum"),
        (lambda g: abs(1 - g.sum()) / g.size, "one entry moves"),
        (lambda g: float(np.linalg.norm(g / g.sum() - g)), "division by the sum"),
    ],
)
def test_distance_mistakes_get_their_hints(wrong, words):
    check_hint(nb06.distance_to_sum_one, wrong, words)


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda g: g / g.sum(), "makes the sum one"),
        (lambda g: g / np.sum(g**2), "square root"),
        (lambda g: g / np.abs(g).sum(), "L1 norm"),
        (lambda g: g / np.abs(g).max(), "largest absolute entry"),
        (lambda g: g / np.linalg.norm(g, axis=0), "one norm per column"),
    ],
)
def test_project_unit_norm_mistakes_get_their_hints(wrong, words):
    check_hint(nb06.project_unit_norm, wrong, words)


def test_a_wrong_answer_without_a_known_mistake_still_fails_in_words():
    report = nb06.project_unit_norm.check(lambda g: 2 * g)
    assert not report.passed and "case 1 of" in report.message and "Hint" not in report.message


def test_the_hook_reference_keeps_unit_norm_at_every_step_and_matches_the_helper():
    for case in nb06.unit_norm_hook.cases():
        seen = nb06.trained_with(nb06.unit_norm_hook_reference)(*case.args)
        rows = seen.reshape(len(seen), seen.shape[1], -1)
        np.testing.assert_allclose(np.linalg.norm(rows, axis=2), 1, atol=1e-6)
        assert np.abs(np.diff(seen, axis=0)).max() > 1e-3  # and the filters train

        def with_the_helper(layer):
            with torch.no_grad():
                layer.weight.copy_(constraints.unit_norm(layer.weight))

        theirs = nb06.trained_with(with_the_helper)(*case.args)
        np.testing.assert_allclose(seen, theirs, rtol=1e-5, atol=1e-6)


def _divide_by_vector_norm(layer):
    with torch.no_grad():
        w = layer.weight
        norms = torch.linalg.vector_norm(w, dim=tuple(range(1, w.ndim)), keepdim=True)
        w.div_(norms)


@pytest.mark.parametrize(
    "hook",
    [
        lambda layer: layer.weight.data.copy_(constraints.unit_norm(layer.weight.data)),
        _divide_by_vector_norm,
    ],
)
def test_other_right_hooks_pass(hook):
    assert nb06.unit_norm_hook.check(hook).passed


def test_forgetting_no_grad_gets_its_hint_although_it_crashes():
    def hook(layer):
        layer.weight.div_(layer.weight.flatten(1).norm(dim=1).reshape(-1, *[1] * 3))

    report = nb06.unit_norm_hook.check(hook)
    assert "raised `RuntimeError" in report.message and "torch.no_grad()" in report.message


def test_standardize_reference_agrees_with_the_helper_and_weight_standardization():
    for case in nb06.standardize.cases():
        w = case.args[0]
        ours = nb06.standardize_reference(w)
        helper = constraints.standardized(torch.from_numpy(np.asarray(w, float))).numpy()
        np.testing.assert_allclose(ours, helper, atol=1e-12)
        rows = ours.reshape(len(w), -1)
        np.testing.assert_allclose(rows.sum(1), 0, atol=1e-12)
        np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-12)

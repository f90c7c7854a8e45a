"""The answer's after-step hook against independent projections, in a training loop."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from torch import nn
from torch.nn import functional as F

from helpers.recipe import TARGETS, project_filters


def conv(seed: int = 0, c_in: int = 3, c_out: int = 4, k: int = 3) -> nn.Conv2d:
    torch.manual_seed(seed)
    return nn.Conv2d(c_in, c_out, k).double()


def simplex_by_bisection(row: np.ndarray) -> np.ndarray:
    """The simplex projection by root finding on theta: sum(max(row - theta, 0)) = 1."""
    theta = optimize.brentq(lambda t: np.maximum(row - t, 0).sum() - 1, row.min() - 1, row.max())
    return np.maximum(row - theta, 0)


def expected(rows: np.ndarray, target: str) -> np.ndarray:
    """Each row's closest point, computed independently (numpy's lstsq, norms, root finding)."""
    if target == "unit norm":
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)
    if target == "simplex":
        return np.stack([simplex_by_bisection(row) for row in rows])
    value = 1.0 if target == "sum one" else 0.0
    ones = np.ones((1, rows.shape[1]))
    return np.stack(
        [row + np.linalg.lstsq(ones, [value - row.sum()], rcond=None)[0] for row in rows]
    )


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), target=st.sampled_from(TARGETS), c_in=st.integers(1, 3))
def test_each_filter_goes_to_its_closest_point(seed, target, c_in):
    layer = conv(seed, c_in)
    with torch.no_grad():
        layer.weight.mul_(torch.linspace(0.1, 30, 4, dtype=torch.float64).view(4, 1, 1, 1))
    before = layer.weight.detach().reshape(4, -1).numpy().copy()
    project_filters(layer, target)
    after = layer.weight.detach().reshape(4, -1).numpy()
    np.testing.assert_allclose(after, expected(before, target), atol=1e-9)


def test_the_simplex_projection_equals_a_constrained_minimizer():
    rng = np.random.default_rng(3)
    row = rng.normal(size=9)
    found = optimize.minimize(
        lambda x: np.sum((x - row) ** 2), np.full(9, 1 / 9), method="SLSQP",
        bounds=[(0, None)] * 9, constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
        options={"ftol": 1e-14},
    )  # fmt: skip
    layer = nn.Linear(9, 1).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(row[None]))
    project_filters(layer, "simplex")
    np.testing.assert_allclose(layer.weight.detach().numpy()[0], found.x, atol=1e-6)


@pytest.mark.parametrize("target", TARGETS)
def test_projecting_twice_changes_nothing_and_works_for_any_layer(target):
    for layer in (conv(1), nn.Conv1d(2, 5, 4).double(), nn.Linear(6, 3).double()):
        project_filters(layer, target)
        once = layer.weight.detach().clone()
        project_filters(layer, target)
        torch.testing.assert_close(layer.weight.detach(), once, rtol=0, atol=1e-12)


@pytest.mark.parametrize("target", TARGETS)
def test_in_a_training_loop_the_constraint_holds_and_the_weights_still_train(target):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
    images, labels = torch.rand(32, 1, 8, 8), torch.arange(32) % 3
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    project_filters(model[0], target)  # once before training
    start = model[0].weight.detach().clone()
    for _ in range(5):
        loss = F.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        project_filters(model[0], target)
        rows = model[0].weight.detach().reshape(4, -1)
        if target == "unit norm":
            torch.testing.assert_close(rows.norm(dim=1), torch.ones(4))
        else:
            value = 0.0 if target == "sum zero" else 1.0
            torch.testing.assert_close(rows.sum(dim=1), torch.full((4,), value), atol=1e-6, rtol=0)
        if target == "simplex":
            assert rows.min() >= 0
    assert model[0].weight.is_leaf and model[0].weight.requires_grad
    assert not torch.equal(model[0].weight, start)


def test_a_zero_filter_stays_zero_under_unit_norm_rather_than_becoming_nan():
    layer = conv(2)
    with torch.no_grad():
        layer.weight[1] = 0
    project_filters(layer, "unit norm")
    assert torch.isfinite(layer.weight).all() and torch.all(layer.weight[1] == 0)


def test_a_sum_zero_layer_is_blind_to_a_constant_added_to_every_channel_without_padding():
    layer = conv(4)
    project_filters(layer, "sum zero")
    x = torch.rand(2, 3, 9, 9, dtype=torch.float64)
    torch.testing.assert_close(layer(x + 0.7), layer(x))
    one_channel = x.clone()
    one_channel[:, 0] += 0.7
    assert (layer(one_channel) - layer(x)).abs().max() > 1e-3  # a constant on one channel only
    padded = nn.Conv2d(3, 4, 3, padding=1).double()
    padded.load_state_dict(layer.state_dict())
    change = (padded(x + 0.7) - padded(x)).abs()
    assert change[..., 1:-1, 1:-1].max() < 1e-12 and change.max() > 1e-3  # the border sees it


def test_refuses_what_it_cannot_project():
    with pytest.raises(ValueError, match="target"):
        project_filters(conv(), "sum two")
    with pytest.raises(TypeError, match="weight tensor"):
        project_filters(nn.ReLU(), "sum one")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the old weight_norm is deprecated
        for layer in (
            torch.nn.utils.parametrizations.weight_norm(conv()),
            torch.nn.utils.weight_norm(conv()),
        ):
            with pytest.raises(TypeError, match="computed"):
                project_filters(layer, "sum one")
    layer = conv()
    with torch.no_grad():
        layer.weight[0, 0, 0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        project_filters(layer, "sum zero")
    for shape in [(4,), (0, 3), (2, 0)]:
        layer = nn.Module()
        layer.weight = nn.Parameter(torch.ones(shape))
        with pytest.raises(ValueError, match="first axis"):
            project_filters(layer, "sum one")
    layer = nn.Module()
    layer.weight = nn.Parameter(torch.tensor([[1.7e308, 1.7e308, -1.7e308]], dtype=torch.float64))
    with pytest.raises(ValueError, match="too large"):
        project_filters(layer, "sum one")  # the last tap would move to -2.3e308


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("scale", [1.5e38, 1e-30])
def test_float32_filters_whose_sums_overflow_or_squares_underflow_still_project(target, scale):
    """In float32, 3e38 + 1.5e38 is inf and (1e-30)^2 is 0: the hook works in float64."""
    rows = np.array([[1.0, 1.0, 0.5], [2.0, -1.0, 0.25]]) * scale
    layer = nn.Module()
    layer.weight = nn.Parameter(torch.tensor(rows, dtype=torch.float32))
    project_filters(layer, target)
    assert layer.weight.dtype == torch.float32
    if target == "simplex" and scale > 1:  # root finding loses the gaps of 1e38: by hand
        closest = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    else:
        closest = expected(rows.astype(np.float32).astype(float), target)
    np.testing.assert_allclose(
        layer.weight.detach().numpy(),
        closest,
        rtol=1e-5,
        atol=1e-6 * (scale if target == "sum zero" else 1),
    )

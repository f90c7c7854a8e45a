"""Tests of helpers.effective_rate: angles, the 1/s^2 (SGD) and 1/s (Adam) laws, BatchNorm's
scale invariance, and weight decay under a unit-norm projection."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from helpers import constraints
from helpers.cnn import make_cnn
from helpers.effective_rate import (
    BatchNormCNN,
    angle,
    first_layer_decay,
    make_batchnorm_cnn,
    turn_after_one_step,
)

torch.set_num_threads(1)
GENERATOR = torch.Generator().manual_seed(0)
IMAGES = torch.rand(64, 1, 28, 28, generator=GENERATOR)
LABELS = torch.randint(0, 10, (64,), generator=GENERATOR)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(1e-6, 3.0))
def test_angle_against_arccos_and_a_rotation(seed, theta):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=5)
    b = rng.normal(size=5)
    b -= (b @ a) / (a @ a) * a  # orthogonal to a
    rotated = np.cos(theta) * a / np.linalg.norm(a) + np.sin(theta) * b / np.linalg.norm(b)
    assert angle(a, 3 * rotated) == pytest.approx(theta, rel=1e-9, abs=1e-12)
    c = rng.normal(size=5)
    cosine = np.clip(a @ c / np.linalg.norm(a) / np.linalg.norm(c), -1, 1)
    assert angle(a, c) == pytest.approx(np.arccos(cosine), abs=1e-7)


@pytest.mark.parametrize(
    ("make_optimizer", "slope"),
    [(lambda p: torch.optim.SGD(p, lr=0.05), -2.0), (lambda p: torch.optim.Adam(p, lr=1e-3), -1.0)],
)
def test_one_step_turns_a_scale_free_filter_as_one_over_its_scale_to_a_power(make_optimizer, slope):
    model = make_cnn(0)
    constraints.reparametrize(model.conv1, "unit_norm")
    v = model.conv1.parametrizations.weight.original
    start = v.detach().clone()
    scales = [1.0, 2.0, 4.0, 8.0]
    turned = turn_after_one_step(model, v, (IMAGES, LABELS), scales, make_optimizer)
    assert turned.shape == (4, 8)
    slopes = np.polyfit(np.log(scales), np.log(turned), 1)[0]
    np.testing.assert_allclose(slopes, slope, atol=0.02)
    assert torch.equal(v.detach(), start)  # put back


def test_batchnorm_cnn_does_not_care_about_the_scale_of_its_first_filters():
    model = make_batchnorm_cnn(3)
    plain = make_cnn(3)
    for name, value in plain.state_dict().items():
        assert torch.equal(model.state_dict()[name], value)
    model.train()
    before = model(IMAGES)
    with torch.no_grad():
        model.conv1.weight *= torch.tensor([3.0, 1.5, 10, 1, 1, 2, 7, 4]).view(-1, 1, 1, 1)
        model.conv1.bias += 5.0  # removed with the mean
    np.testing.assert_allclose(model(IMAGES).detach().numpy(), before.detach().numpy(), atol=2e-4)
    assert isinstance(model, BatchNormCNN)


def test_weight_decay_under_a_unit_norm_projection_is_a_learning_rate_change():
    """Plain SGD: decay lambda at rate eta, then the projection, equals no decay at rate
    eta / (1 - eta lambda), then the projection (the decay is radial; the projection undoes
    every radial move)."""
    eta, decay = 0.05, 0.05
    weights = []
    for weight_decay, factor in ((decay, 1.0), (0.0, 1 / (1 - eta * decay))):
        model = make_cnn(0).double()
        constraints.project_(model.conv1, "unit_norm")
        optimizer = first_layer_decay(model, weight_decay, momentum=0.0, first_lr_factor=factor)(
            model.parameters(), lr=eta
        )
        for step in range(20):
            batch = slice(3 * step, 3 * step + 16)
            optimizer.zero_grad()
            F.cross_entropy(model(IMAGES[batch].double()), LABELS[batch]).backward()
            optimizer.step()
            constraints.project_(model.conv1, "unit_norm")
        weights.append(model.conv1.weight.detach().numpy())
    np.testing.assert_allclose(weights[0], weights[1], atol=1e-12)


def test_first_layer_decay_decays_the_first_layer_only():
    model = make_cnn(0)
    optimizer = first_layer_decay(model, 0.1, first_lr_factor=2.0)(model.parameters(), lr=0.3)
    first, rest = optimizer.param_groups
    assert first["params"] == [model.conv1.weight] and first["weight_decay"] == 0.1
    assert first["lr"] == pytest.approx(0.6) and rest["lr"] == 0.3
    assert rest["weight_decay"] == 0 and len(rest["params"]) == 7
    with pytest.raises(ValueError, match="weight_decay must be finite"):
        first_layer_decay(model, float("nan"))


def test_draw_decay_measures_the_angles_from_the_recorded_weights():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.effective_rate import draw_decay
    from helpers.training import FilterRecorder, train

    recorders = {}
    for decay in (0.0, 0.5):
        model, recorder = make_batchnorm_cnn(0), FilterRecorder(every=1)
        train(
            model,
            (IMAGES, LABELS),
            epochs=2,
            batch_size=4,
            lr=0.05,
            recorder=recorder,
            optimizer=first_layer_decay(model, decay),
        )
        recorders[decay] = recorder
    fig, axes = plt.subplots(1, 2)
    turns = draw_decay(axes, recorders, equilibrium=0.1)
    weights = recorders[0.5].weights.reshape(33, 8, -1)
    np.testing.assert_allclose(turns[0.5][4], angle(weights[4], weights[5]))
    assert len(axes[0].lines) == 16 and len(axes[1].lines) == 3
    assert recorders[0.5].norms[-1].mean() < recorders[0.0].norms[-1].mean()  # decay shrinks
    plt.close(fig)


@pytest.mark.parametrize(
    ("a", "b", "error", "message"),
    [
        (np.zeros(3), np.ones(3), ValueError, "zero filter"),
        (np.ones(3), np.ones(4), ValueError, "one shape"),
        (np.array([1.0, np.nan]), np.ones(2), ValueError, "NaN"),
        (np.ones(0), np.ones(0), ValueError, "last axis"),
        (np.ones(2, complex), np.ones(2), TypeError, "complex"),
    ],
)
def test_angle_refuses_what_has_no_direction(a, b, error, message):
    # Regression: a zero filter or a NaN gave NaN, and shapes that differ were broadcast
    with pytest.raises(error, match=message):
        angle(a, b)


def test_angle_of_huge_and_tiny_filters():
    # Regression: [1e200, 1e200] had an infinite norm, so its angle was NaN
    assert angle(np.array([1e200, 1e200]), np.array([1e-200, 0.0])) == pytest.approx(np.pi / 4)

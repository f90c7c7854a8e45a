"""Tests of helpers.cnn: the small CNN's shapes, its seeded construction, its first layer."""

import pytest
import torch
from torch.nn import functional as F

from helpers import cnn


def test_first_layer_has_eight_5x5_filters_on_one_channel():
    model = cnn.make_cnn(0)
    assert tuple(model.conv1.weight.shape) == (8, 1, 5, 5)
    assert tuple(cnn.first_layer_filters(model).shape) == (8, 5, 5)
    assert tuple(cnn.first_layer_filters(model, "conv2").shape) == (16, 8, 5, 5)


def test_output_and_feature_shapes():
    model = cnn.make_cnn(0)
    x = torch.rand(5, 1, 28, 28)
    assert tuple(model(x).shape) == (5, 10)
    assert torch.equal(model(x), model(x[:, 0]))  # (n, 28, 28) is accepted too
    assert tuple(model.features(x).shape) == (5, 8, 24, 24)
    assert torch.equal(model.from_first_layer(model.conv1(x)), model(x))


def test_features_are_relu_of_a_cross_correlation():
    model = cnn.make_cnn(1)
    x = torch.rand(2, 1, 28, 28, dtype=torch.float64)
    w = model.conv1.weight.detach().double()
    b = model.conv1.bias.detach().double()
    by_hand = torch.zeros(2, 8, 24, 24, dtype=torch.float64)
    for i in range(5):
        for j in range(5):
            by_hand += w[None, :, 0, i, j, None, None] * x[:, :, i : i + 24, j : j + 24]
    by_hand = F.relu(by_hand + b[None, :, None, None])
    torch.testing.assert_close(model.double().features(x), by_hand)


def test_make_cnn_is_seeded_and_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    a, b, c = cnn.make_cnn(7), cnn.make_cnn(7), cnn.make_cnn(8)
    assert torch.equal(torch.rand(1), expected_next)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    assert not torch.equal(a.conv1.weight, c.conv1.weight)


def test_filters_are_a_copy():
    model = cnn.make_cnn(0)
    filters = cnn.first_layer_filters(model)
    filters += 1
    assert not torch.equal(filters, model.conv1.weight[:, 0])


def test_bad_input_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"x must have shape \(n, 1, 28, 28\)"):
        cnn.make_cnn(0)(torch.rand(2, 3, 28, 28))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"filters": 0}, ValueError, "filters must be a positive integer"),
        ({"filters": -1}, ValueError, "filters must be a positive integer"),
        ({"filters": 2.0}, TypeError, "filters must be an integer"),
        ({"seed": -1}, ValueError, "seed must be an integer from 0"),
        ({"seed": True}, TypeError, "seed must be an integer"),
    ],
)
def test_make_cnn_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        cnn.make_cnn(**kwargs)

"""Tests of helpers.activity against brute-force loops over every position."""

import copy

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn.utils import parametrize

from helpers import activity, cnn, digits, training


def brute_force(weight, bias, images):
    """Activity and ink activity by loops: z at every (image, row, column), one filter at a time."""
    out, channels, kh, kw = weight.shape
    n, _, height, width = images.shape
    on = np.zeros(out)
    ink_on = np.zeros(out)
    ink = 0.0
    positions = 0
    for m in range(n):
        for i in range(height - kh + 1):
            for j in range(width - kw + 1):
                patch = images[m, :, i : i + kh, j : j + kw]
                ink += patch.sum()
                positions += 1
                for k in range(out):
                    if bias[k] + np.sum(weight[k] * patch) > 0:
                        on[k] += 1
                        ink_on[k] += patch.sum()
    return on / positions, ink_on / max(ink, 1e-300)


@settings(max_examples=25, deadline=None)
@given(
    out=st.integers(1, 4),
    channels=st.integers(1, 3),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    n=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_activity_equals_brute_force(out, channels, kh, kw, n, seed):
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal((out, channels, kh, kw))
    bias = rng.standard_normal(out) * 0.5
    images = rng.random((n, channels, kh + 4, kw + 3)) * (rng.random((n, channels, 1, 1)) > 0.2)
    got = activity.activity(weight, bias, images, batch_size=2)
    expected_on, expected_ink = brute_force(weight, bias, images)
    np.testing.assert_allclose(got["activity"], expected_on, atol=1e-12)
    if images.sum() > 0:
        np.testing.assert_allclose(got["ink_activity"], expected_ink, atol=1e-12)


def test_single_channel_shapes_and_batch_size_do_not_matter():
    rng = np.random.default_rng(1)
    weight, bias = rng.standard_normal((5, 3, 3)), rng.standard_normal(5)
    images = rng.random((7, 10, 9))
    one = activity.activity(weight, bias, images, batch_size=1)
    all_at_once = activity.activity(weight[:, None], bias, images[:, None], batch_size=100)
    for key in ("activity", "ink_activity"):
        np.testing.assert_allclose(one[key], all_at_once[key], atol=1e-12)
    on, ink = brute_force(weight[:, None], bias, images[:, None])
    np.testing.assert_allclose(one["activity"], on, atol=1e-12)
    np.testing.assert_allclose(one["ink_activity"], ink, atol=1e-12)


def test_a_negative_filter_with_a_negative_bias_never_fires_on_non_negative_images():
    images = digits.make_digits(4, seed=2)[0]  # mostly black, some ink
    weight = -np.abs(np.random.default_rng(3).standard_normal((2, 5, 5)))
    measured = activity.activity(weight, [-0.1, 0.3], images)
    assert measured["activity"][0] == 0 and measured["ink_activity"][0] == 0
    # with a positive bias it fires where the image is dark, which carries little ink
    assert measured["activity"][1] > measured["ink_activity"][1]


def test_ink_activity_of_black_images_is_zero_and_of_a_bias_only_filter_is_one():
    weight = np.zeros((1, 3, 3))
    black = activity.activity(weight, [1.0], np.zeros((2, 6, 6)))
    assert black["activity"][0] == 1 and black["ink_activity"][0] == 0
    lit = activity.activity(weight, [1.0], np.ones((2, 6, 6)))
    assert lit["ink_activity"][0] == 1


def test_uniform_response_is_the_convolution_of_a_uniform_image():
    model = cnn.make_cnn(4)
    for level in (0.0, 0.5, 1.0):
        image = torch.full((1, 1, 28, 28), level)
        z = model.conv1(image)[0, :, 10, 10].detach().numpy()
        got = activity.uniform_response(model.conv1.weight, model.conv1.bias, level)
        np.testing.assert_allclose(got, z, atol=1e-6)
    with pytest.raises(ValueError, match="one value per filter"):
        activity.uniform_response(np.ones((2, 3, 3)), [0.0], 1.0)


def test_relative_move_against_numpy():
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((4, 1, 5, 5)), rng.standard_normal((4, 1, 5, 5))
    expected = [np.linalg.norm(b[k] - a[k]) / np.linalg.norm(a[k]) for k in range(4)]
    np.testing.assert_allclose(activity.relative_move(a, b), expected)
    with pytest.raises(ValueError, match="one shape"):
        activity.relative_move(a, b[:3])
    with pytest.raises(ValueError, match=r"initial filters \[1\] have norm 0"):
        activity.relative_move(np.stack([a[0], 0 * a[1]]), b[:2])
    with pytest.raises(ValueError, match="finite"):
        activity.relative_move(a, np.full_like(b, np.nan))


def test_layer_activity_is_the_fraction_of_positive_features():
    model = cnn.make_cnn(0)
    images = digits.make_digits(64, seed=1)[0]
    features = model.features(torch.from_numpy(images)[:, None]).detach()
    expected = (features > 0).double().mean(dim=(0, 2, 3)).numpy()
    np.testing.assert_allclose(activity.layer_activity(model, images)["activity"], expected)


def test_compare_and_its_table():
    images = digits.make_digits(200, seed=0)
    model = cnn.make_cnn(2)
    initial = copy.deepcopy(model)
    training.train(model, images, epochs=1, batch_size=50)
    table = activity.compare(initial, model, images[0][:100])
    start = activity.layer_activity(initial, images[0][:100])
    np.testing.assert_array_equal(table.activity_before, start["activity"])
    np.testing.assert_allclose(
        table.sum_before, initial.conv1.weight.detach().sum(dim=(1, 2, 3)).numpy(), rtol=1e-6
    )
    np.testing.assert_allclose(table.bias_after, model.conv1.bias.detach().numpy(), rtol=1e-6)
    np.testing.assert_array_equal(table.dead_before, table.activity_before < 0.05)
    assert len(table) == 8 and len(str(table).splitlines()) == 9
    assert np.all(table.moved > 0)
    with pytest.raises(ValueError, match="threshold"):
        activity.compare(initial, model, images[0][:10], threshold=1.5)
    with pytest.raises(ValueError, match="no convolution layer named 'conv9'"):
        activity.compare(initial, model, images[0][:10], layer="conv9")


class Doubled(torch.nn.Module):
    def forward(self, weight):
        return 2 * weight


def test_a_parametrized_layer_is_measured_as_it_computes():
    model = cnn.make_cnn(3)
    images = digits.make_digits(20, seed=2)[0]
    doubled = copy.deepcopy(model)
    parametrize.register_parametrization(doubled.conv1, "weight", Doubled())
    expected = activity.activity(2 * model.conv1.weight, model.conv1.bias, images)
    np.testing.assert_array_equal(
        activity.layer_activity(doubled, images)["activity"], expected["activity"]
    )


def test_recorder_as_a_training_hook():
    data = digits.make_digits(300, seed=0)
    model = cnn.make_cnn(0)
    recorder = activity.ActivityRecorder(data[0][:50], every=2)
    recorder.record(model)
    start = activity.layer_activity(model, data[0][:50])["activity"]
    history = training.train(model, data, epochs=1, batch_size=50, after_step=recorder)
    assert history.steps == 6
    assert recorder.steps.tolist() == [0, 2, 4, 6]
    assert recorder.activity.shape == recorder.ink_activity.shape == (4, 8)
    np.testing.assert_array_equal(recorder.activity[0], start)
    with pytest.raises(ValueError, match="every"):
        activity.ActivityRecorder(data[0], every=0)


@pytest.mark.parametrize(
    "weight, bias, images, match",
    [
        (np.ones((2, 3, 3)), np.ones(3), np.ones((1, 5, 5)), "one value per filter"),
        (np.ones((2, 3)), None, np.ones((1, 5, 5)), "weight must have shape"),
        (np.ones((2, 2, 3, 3)), None, np.ones((1, 5, 5)), "2 input channels"),
        (np.ones((2, 3, 3)), None, np.ones((0, 5, 5)), "n >= 1"),
        (np.ones((2, 6, 6)), None, np.ones((1, 5, 5)), "at least as large"),
        (np.full((2, 3, 3), np.nan), None, np.ones((1, 5, 5)), "finite"),
    ],
)
def test_bad_input_is_a_clear_error(weight, bias, images, match):
    with pytest.raises(ValueError, match=match):
        activity.activity(weight, bias, images)


def test_bad_types_and_batch_size():
    with pytest.raises(TypeError, match="real numeric"):
        activity.activity(np.ones((1, 3, 3), complex), None, np.ones((1, 5, 5)))
    with pytest.raises(ValueError, match="batch_size"):
        activity.activity(np.ones((1, 3, 3)), None, np.ones((1, 5, 5)), batch_size=0)


def test_integer_images_are_accepted_and_strings_refused():
    weight = np.ones((1, 3, 3))
    as_bytes = activity.activity(weight, [-5.0], np.full((1, 5, 5), 1, np.uint8))
    assert as_bytes["activity"][0] == 1  # 9 - 5 > 0 everywhere
    with pytest.raises(TypeError, match="images must be a real numeric array"):
        activity.activity(weight, None, np.array([["a"]]))


@pytest.mark.parametrize(
    ("weight", "level"),
    [
        (np.ones((1, 1)), float("nan")),
        (np.full((1, 2), np.nan), 1.0),
        (np.full((1, 2), 1e308), 1.0),
    ],
)
def test_uniform_response_refuses_what_has_no_finite_response(weight, level):
    # found by the fuzz test: a NaN level (or weight) gave NaN responses without a word
    with pytest.raises((ValueError, TypeError), match="level|finite"):
        activity.uniform_response(weight, None, level)

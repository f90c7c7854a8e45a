"""Tests of helpers.training: determinism, hooks after each step, the filter recorder."""

import functools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import cnn, digits, training


@pytest.fixture(scope="module")
def data():
    return digits.make_digits(640, digits.TRAIN_FONTS, seed=0)


def quick(model, data, **kwargs):
    """One epoch of 10 steps."""
    kwargs.setdefault("epochs", 1)
    kwargs.setdefault("batch_size", 64)
    return training.train(model, data, **kwargs)


def test_same_seed_gives_identical_weights(data):
    a, b, c = cnn.make_cnn(0), cnn.make_cnn(0), cnn.make_cnn(0)
    history_a = quick(a, data, seed=5)
    history_b = quick(b, data, seed=5)
    quick(c, data, seed=6)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    assert np.array_equal(history_a.loss, history_b.loss)
    assert not torch.equal(a.conv1.weight, c.conv1.weight)  # the seed shuffles differently


def test_same_seed_gives_identical_weights_on_two_threads(data):
    a, b = cnn.make_cnn(1), cnn.make_cnn(1)
    for model in (a, b):
        training.train(model, (data[0][:256], data[1][:256]), epochs=1, batch_size=128, threads=2)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)


def test_training_on_a_small_subset_reduces_the_loss(data):
    model = cnn.make_cnn(0)
    history = training.train(model, data, epochs=4, batch_size=32, lr=0.05)
    assert history.epoch_loss[-1] < 0.5 * history.epoch_loss[0]
    assert history.train_accuracy[-1] > history.train_accuracy[0] + 0.3
    assert training.accuracy(model, data) > 0.5
    assert history.steps == 4 * 20 and history.loss.shape == (80,)
    assert history.images_per_second > 0 and history.seconds > 0


def test_hooks_run_in_order_after_each_step_and_see_the_stepped_weights(data):
    model = cnn.make_cnn(0)
    calls, seen = [], []

    def first(m, step):
        calls.append(("first", step))
        seen.append(m.conv1.weight.detach().clone())

    def second(m, step):
        calls.append(("second", step))

    before = model.conv1.weight.detach().clone()
    quick(model, data, after_step=[first, second])
    assert calls == [(name, s) for s in range(1, 11) for name in ("first", "second")]
    assert not torch.equal(seen[0], before)  # called after optimizer.step()
    assert torch.equal(seen[-1], model.conv1.weight)


def test_single_hook_can_project_and_the_recorder_sees_the_projection(data):
    def unit_norm(m, step):
        with torch.no_grad():
            w = m.conv1.weight
            w /= w.flatten(1).norm(dim=1)[:, None, None, None]

    recorder = training.FilterRecorder(every=1)
    quick(cnn.make_cnn(0), data, after_step=unit_norm, recorder=recorder)
    np.testing.assert_allclose(recorder.norms[1:], 1, atol=1e-6)
    assert np.abs(recorder.norms[0] - 1).max() > 0.1  # the initialization is not projected


def test_recorder_records_the_chosen_steps_and_the_true_statistics(data):
    model = cnn.make_cnn(0)
    recorder = training.FilterRecorder(every=4)
    quick(model, data, recorder=recorder)  # 10 steps
    assert recorder.steps.tolist() == [0, 4, 8, 10]
    assert recorder.weights.shape == (4, 8, 5, 5)
    assert recorder.sums.shape == recorder.norms.shape == recorder.dc_gains.shape == (4, 8)
    final = model.conv1.weight.detach().double()[:, 0]
    np.testing.assert_array_equal(recorder.weights[-1], model.conv1.weight.detach()[:, 0])
    np.testing.assert_allclose(recorder.sums[-1], final.sum(dim=(1, 2)), rtol=1e-12)
    np.testing.assert_allclose(recorder.norms[-1], final.flatten(1).norm(dim=1), rtol=1e-12)
    np.testing.assert_allclose(recorder.dc_gains, recorder.sums, atol=1e-12)
    assert not np.array_equal(recorder.weights[0], recorder.weights[-1])


def test_recorder_of_a_multichannel_layer(data):
    recorder = training.FilterRecorder(layer="conv2", every=5)
    model = cnn.make_cnn(0)
    quick(model, data, recorder=recorder)
    assert recorder.weights.shape == (3, 16, 8, 5, 5)
    w = model.conv2.weight.detach().double()
    np.testing.assert_allclose(recorder.sums[-1], w.sum(dim=(1, 2, 3)), rtol=1e-10)
    np.testing.assert_allclose(recorder.dc_gains[-1], recorder.sums[-1], atol=1e-12)


def test_empty_recorder_and_bad_every():
    recorder = training.FilterRecorder()
    assert recorder.steps.shape == (0,) and recorder.sums.shape == (0, 0)
    with pytest.raises(ValueError, match="every must be a positive integer"):
        training.FilterRecorder(every=0)


def test_filter_statistics_against_numpy():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((6, 3, 4, 5))
    stats = training.filter_statistics(torch.from_numpy(w))
    np.testing.assert_allclose(stats["sums"], w.sum(axis=(1, 2, 3)))
    np.testing.assert_allclose(stats["norms"], np.sqrt((w**2).sum(axis=(1, 2, 3))))
    np.testing.assert_allclose(stats["dc_gains"], stats["sums"], atol=1e-12)
    with pytest.raises(ValueError, match="weight must be 3-D or 4-D"):
        training.filter_statistics(np.zeros((3, 3)))


def test_filter_statistics_of_huge_and_tiny_filters():
    # Regression: np.full((1, 2, 2), 1e300) had an infinite norm (np.linalg.norm squared it)
    stats = training.filter_statistics(np.full((1, 2, 2), 1e300))
    np.testing.assert_allclose(
        [stats["sums"], stats["norms"], stats["dc_gains"]], [[4e300], [2e300], [4e300]]
    )
    tiny = training.filter_statistics(np.full((1, 2, 2), 1e-310))  # subnormal squares are 0
    np.testing.assert_allclose(tiny["norms"], [2e-310], rtol=1e-3)  # subnormals: 3 digits
    cancelling = training.filter_statistics(np.array([[[1e308, 1e308], [-1e308, 3.0]]]))
    np.testing.assert_allclose(cancelling["sums"], [1e308], rtol=1e-15)  # 2e308 on the way
    with pytest.raises(ValueError, match="the sums of this weight overflow float64"):
        training.filter_statistics(np.full((1, 2, 2), 1e308))


@pytest.mark.parametrize(
    ("weight", "error", "message"),
    [
        (np.full((1, 2, 2), np.inf), ValueError, "NaN or infinite"),
        (np.full((1, 2, 2), np.nan), ValueError, "NaN or infinite"),
        (np.zeros((0, 2, 2)), ValueError, "must not be empty"),
        (np.ones((1, 2, 2), complex), TypeError, "complex"),
        ([[[1.0, 2.0], [3.0]]], ValueError, "ragged"),
    ],
)
def test_filter_statistics_refuses_bad_weights(weight, error, message):
    # Regression: an inf weight gave inf sums without a word
    with pytest.raises(error, match=message):
        training.filter_statistics(weight)


@pytest.mark.parametrize(
    ("data", "batch_size", "error", "message"),
    [
        ((1, 2), 10, ValueError, r"images must have shape \(n, H, W\) .*got \(\)"),
        (("abc", [0]), 10, TypeError, "real numeric array"),
        ((np.ones((2, 28, 28), complex), np.zeros(2, int)), 10, TypeError, "complex"),
        (
            (np.zeros((2, 28, 28)), np.zeros(2, int)),
            -1,
            ValueError,
            "batch_size must be a positive",
        ),
        (
            (np.zeros((2, 28, 28)), np.zeros(2, int)),
            2.0,
            TypeError,
            "batch_size must be a positive",
        ),
    ],
)
def test_accuracy_refuses_bad_data_and_batch_sizes(data, batch_size, error, message):
    # Regression: data (1, 2) raised AttributeError; batch_size=-1 gave 0.0
    with pytest.raises(error, match=message):
        training.accuracy(cnn.make_cnn(0, 2), data, batch_size)


@settings(max_examples=30, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 6), st.integers(1, 6)),
    c=st.floats(-10, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_filter_statistics_laws(shape, c, seed):
    w = np.random.default_rng(seed).standard_normal(shape)
    stats, scaled = training.filter_statistics(w), training.filter_statistics(c * w)
    np.testing.assert_allclose(stats["dc_gains"], stats["sums"], atol=1e-9)  # DC gain = sum
    np.testing.assert_allclose(scaled["sums"], c * stats["sums"], atol=1e-9)
    np.testing.assert_allclose(scaled["norms"], abs(c) * stats["norms"], rtol=1e-9, atol=1e-12)
    squeezed = training.filter_statistics(w[:, 0]) if shape[1] == 1 else None
    if squeezed is not None:  # a single input channel may be dropped
        np.testing.assert_allclose(squeezed["sums"], stats["sums"], atol=1e-12)


def test_test_accuracy_each_epoch_and_verbose_output(data, capsys):
    history = quick(cnn.make_cnn(0), data, epochs=2, test_data=data)
    assert history.test_accuracy.shape == (2,)
    assert capsys.readouterr().out == ""  # quiet by default
    quick(cnn.make_cnn(0), data, epochs=2, test_data=data, verbose=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("epoch 2/2  loss")
    assert "test accuracy" in lines[1]


def test_accuracy_counts_correct_answers():
    class Fixed(torch.nn.Module):
        def forward(self, x):
            return torch.nn.functional.one_hot(torch.tensor([0, 1, 2, 3]), 10).float()

    images = np.zeros((4, 28, 28), np.float32)
    assert training.accuracy(Fixed(), (images, np.array([0, 1, 9, 3]))) == 0.75


def test_learning_rate_schedules(data):
    constant = quick(cnn.make_cnn(0), data, lr=0.03)
    np.testing.assert_array_equal(constant.lr, np.full(10, 0.03))
    cosine = quick(cnn.make_cnn(0), data, lr=0.03, epochs=2, schedule="cosine")
    expected = 0.03 * 0.5 * (1 + np.cos(np.pi * np.arange(20) / 20))
    np.testing.assert_allclose(cosine.lr, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="schedule must be 'constant' or 'cosine'"):
        quick(cnn.make_cnn(0), data, schedule="linear")


def test_optimizer_factory_such_as_adam(data):
    model = cnn.make_cnn(0)
    history = quick(model, data, optimizer=torch.optim.Adam, lr=1e-3)
    assert np.isfinite(history.loss).all()
    plain_sgd = functools.partial(torch.optim.SGD, momentum=0.0)
    quick(cnn.make_cnn(0), data, optimizer=plain_sgd)


def test_training_restores_threads_and_determinism_flag(data):
    threads = torch.get_num_threads()
    flag = torch.are_deterministic_algorithms_enabled()
    quick(cnn.make_cnn(0), data, threads=threads + 1)
    assert torch.get_num_threads() == threads
    assert torch.are_deterministic_algorithms_enabled() == flag


def test_bad_arguments_are_clear_errors(data):
    model = cnn.make_cnn(0)
    with pytest.raises(TypeError, match="optimizer must be a factory"):
        training.train(model, data, optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match="data must be a pair"):
        training.train(model, data[0])
    with pytest.raises(ValueError, match="images must have shape"):
        training.train(model, (np.zeros((4, 3, 28, 28)), np.zeros(4, int)))
    with pytest.raises(ValueError, match="labels must be integers"):
        training.train(model, (data[0], data[1].astype(float)))
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        training.train(model, data, batch_size=0)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        training.train(model, data, epochs=0)
    with pytest.raises(ValueError, match="at least one image"):
        training.train(model, (np.zeros((0, 28, 28)), np.zeros(0, int)))


# ---------------------------------------------------------------- bad input (issue 14)


@pytest.mark.parametrize(
    ("lr", "error"),
    [
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (0.0, ValueError),
        (-0.1, ValueError),
        ("0.1", TypeError),
        (True, TypeError),
    ],
)
def test_learning_rate_must_be_a_finite_positive_number(data, lr, error):
    # Regression: lr=nan or inf trained to the end with NaN loss and non-finite weights
    with pytest.raises(error, match="lr must be"):
        quick(cnn.make_cnn(0), data, lr=lr)


def test_nan_images_and_ignored_or_unknown_labels_are_refused(data):
    images, labels = data[0].copy(), data[1].copy()
    images[3, 5, 5] = np.nan
    with pytest.raises(ValueError, match="data images hold NaN or infinite values"):
        quick(cnn.make_cnn(0), (images, labels))
    with pytest.raises(ValueError, match=r"class indices 0, 1, \.\.\., got -100"):
        quick(cnn.make_cnn(0), (data[0], np.full(len(labels), -100)))
    with pytest.raises(ValueError, match="below the model's 10 classes, got 12"):
        quick(cnn.make_cnn(0), (data[0], np.where(labels == 3, 12, labels)))


def test_a_diverging_run_stops_with_a_clear_error(data):
    with pytest.raises(ValueError, match=r"the loss became (nan|inf) at step \d+.*smaller lr"):
        quick(cnn.make_cnn(0), data, lr=1e8)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"seed": None}, TypeError, "seed must be an integer"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"after_step": 3}, TypeError, "after_step must be a hook"),
        ({"after_step": [print, 3]}, TypeError, "after_step must be a hook"),
        ({"epochs": 1.0}, TypeError, "epochs must be a positive integer"),
        ({"epochs": True}, TypeError, "epochs must be a positive integer"),
        ({"threads": 0}, ValueError, "threads must be a positive integer"),
        ({"recorder": "conv1"}, TypeError, "recorder must be a FilterRecorder"),
        ({"optimizer": "sgd"}, TypeError, "optimizer must be a factory"),
    ],
)
def test_bad_arguments_are_refused_naming_them(data, kwargs, error, words):
    with pytest.raises(error, match=words):
        quick(cnn.make_cnn(0), data, **kwargs)


def test_numpy_integers_are_integers(data):
    # Regression: epochs=np.int64(1) was refused although it is a positive integer
    history = quick(
        cnn.make_cnn(0), data, epochs=np.int64(1), batch_size=np.int32(64), seed=np.int64(3)
    )
    assert history.steps == 10


def test_bad_test_data_is_caught_before_the_first_step(data):
    # Regression: a wrong test set was found only after the first epoch had trained
    calls = []
    bad = (data[0][:5, :20], data[1][:5])
    words = r"test_data images must have the training images' shape \(1, 28, 28\), got \(1, 20"
    with pytest.raises(ValueError, match=words):
        quick(cnn.make_cnn(0), data, test_data=bad, after_step=lambda m, s: calls.append(s))
    assert calls == []


@pytest.mark.parametrize("batch_size", [-1, 0])
def test_accuracy_refuses_a_batch_size_below_one(data, batch_size):
    # Regression: accuracy(batch_size=-1) returned 0.0
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        training.accuracy(cnn.make_cnn(0), data, batch_size=batch_size)


def test_accuracy_of_no_image_is_an_error_not_zero():
    with pytest.raises(ValueError, match="data must hold at least one image"):
        training.accuracy(cnn.make_cnn(0), (np.zeros((0, 28, 28)), np.zeros(0, int)))


def test_evaluate_gives_accuracy_and_cross_entropy_in_eval_mode(data):
    model = cnn.make_cnn(0)
    quick(model, data)
    images, labels = training.as_tensors(data)
    with torch.no_grad():
        logits = model.eval()(images)
    model.train()
    accuracy, loss = training.evaluate(model, data, batch_size=100)
    assert accuracy == pytest.approx(float((logits.argmax(1) == labels).float().mean()))
    assert loss == pytest.approx(float(torch.nn.functional.cross_entropy(logits, labels)), 1e-5)
    assert model.training  # put back as it was


def test_a_recorder_watches_one_run(data):
    # Regression: reused across two runs it gave steps [0, 3, 4, 0, 3, 4]
    recorder = training.FilterRecorder(every=4)
    quick(cnn.make_cnn(0), data, recorder=recorder)
    with pytest.raises(ValueError, match="recorder already holds 4 records"):
        quick(cnn.make_cnn(0), data, recorder=recorder)
    recorder.clear()
    quick(cnn.make_cnn(1), data, recorder=recorder)
    assert recorder.steps.tolist() == [0, 4, 8, 10]


def test_a_float64_model_trains_and_is_evaluated_in_float64(data):
    model = cnn.make_cnn(0).double()
    history = quick(model, data, test_data=data)
    assert model.conv1.weight.dtype == torch.float64 and np.isfinite(history.loss).all()
    assert 0 <= training.evaluate(model, data)[0] <= 1

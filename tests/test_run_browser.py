"""Tests of helpers.run_browser: the widget shows what its controls select, never crashes."""

import io

import numpy as np
import PIL.Image
import pytest

from helpers.run_browser import RecordedRun, RunBrowser, mosaic


def fake_run(seed: int, epochs: int = 3, per_epoch: int = 5, out: int = 8) -> RecordedRun:
    rng = np.random.default_rng(seed)
    steps = np.arange(epochs * per_epoch + 1)
    return RecordedRun(
        steps=steps,
        weights=rng.normal(size=(len(steps), out, 5, 5)),
        epoch_ends=per_epoch * np.arange(epochs + 1),
        test_accuracy=rng.uniform(0.8, 1.0, size=epochs),
    )


@pytest.fixture
def browser():
    return RunBrowser({"baseline": fake_run(0), "unit norm": fake_run(1, epochs=2)})


def test_recorded_run_statistics_match_numpy():
    run = fake_run(0)
    rows = run.weights.reshape(len(run.steps), 8, -1)
    np.testing.assert_allclose(run.sums, rows.sum(axis=2))
    np.testing.assert_allclose(run.norms, np.sqrt((rows**2).sum(axis=2)))
    assert run.index_at_epoch(0) == 0 and run.index_at_epoch(2) == 10
    sparse = RecordedRun(run.steps[::4], run.weights[::4], run.epoch_ends, run.test_accuracy)
    assert sparse.steps[sparse.index_at_epoch(1)] == 4  # the last record before step 5


def test_recorded_run_refuses_inconsistent_arrays():
    run = fake_run(0)
    with pytest.raises(ValueError, match="weights must have shape"):
        RecordedRun(run.steps[:-1], run.weights, run.epoch_ends, run.test_accuracy)
    with pytest.raises(ValueError, match=r"one value per epoch \(2\), or none, got 3"):
        RecordedRun(run.steps, run.weights, run.epoch_ends[:-1], run.test_accuracy)
    with pytest.raises(ValueError, match="epoch_ends must list 0"):
        RecordedRun(run.steps, run.weights, run.epoch_ends[1:], run.test_accuracy[1:])


def test_browser_starts_at_the_last_epoch_of_the_first_run(browser):
    run = browser.runs["baseline"]
    assert browser.epoch.value == 3 and browser.step == 15
    np.testing.assert_array_equal(browser.filters, run.weights[15])
    np.testing.assert_allclose(browser.sums, run.sums[15])
    assert browser.accuracy == pytest.approx(run.test_accuracy[2])
    assert "baseline, epoch 3 (step 15)" in browser.message


def test_controls_select_what_is_shown(browser):
    browser.epoch.value = 1
    np.testing.assert_array_equal(browser.filters, browser.runs["baseline"].weights[5])
    np.testing.assert_allclose(browser.norms, browser.runs["baseline"].norms[5])
    assert browser.markers[0].get_xdata()[0] == 5
    assert f"s={browser.sums[0]:.3f}" in browser.labels[0].get_text()
    np.testing.assert_array_equal(browser.mosaic.get_array()[:, :5], browser.filters[0])
    browser.variant.value = "unit norm"
    np.testing.assert_array_equal(browser.filters, browser.runs["unit norm"].weights[5])
    np.testing.assert_array_equal(
        browser.sum_lines[3].get_ydata(), browser.runs["unit norm"].sums[:, 3]
    )
    browser.epoch.value = 0
    assert browser.accuracy is None and "not trained yet" in browser.readout.value


def test_a_shorter_run_clips_the_epoch_slider(browser):
    browser.variant.value = "unit norm"
    assert browser.epoch.max == 2 and browser.epoch.value == 2 and browser.step == 10
    browser.variant.value = "baseline"
    assert browser.epoch.max == 3 and browser.epoch.value == 2


def test_every_allowed_value_works(browser):
    for variant in browser.variant.options:
        browser.variant.value = variant
        for epoch in range(browser.epoch.min, browser.epoch.max + 1):
            browser.epoch.value = epoch
            assert np.all(np.isfinite(browser.filters)) and browser.message


def test_recorded_run_from_a_real_training_run():
    import torch

    from helpers.cnn import make_cnn
    from helpers.training import FilterRecorder, train

    images = torch.rand(40, 28, 28, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(40) % 10
    recorder = FilterRecorder(every=1)
    history = train(
        make_cnn(0),
        (images, labels),
        epochs=2,
        batch_size=10,
        recorder=recorder,
        test_data=(images, labels),
    )
    run = RecordedRun.from_training(recorder, history)
    np.testing.assert_array_equal(run.epoch_ends, [0, 4, 8])
    assert run.weights.shape == (9, 8, 5, 5) and run.steps[run.index_at_epoch(1)] == 4
    np.testing.assert_array_equal(run.test_accuracy, history.test_accuracy)


def test_css_classes_for_the_browser_test(browser):
    assert {"course-widget", "course-run-browser"} <= set(browser.ui._dom_classes)
    assert "course-run-browser-variant" in browser.variant._dom_classes
    assert "course-run-browser-epoch" in browser.epoch._dom_classes
    assert "course-run-browser-figure" in browser.live.image._dom_classes
    assert "course-run-browser-readout" in browser.readout._dom_classes
    assert bytes(browser.live.image.value).startswith(b"\x89PNG")


def test_bad_runs_are_refused():
    with pytest.raises(ValueError, match="at least one RecordedRun"):
        RunBrowser({})
    with pytest.raises(TypeError, match="must be a RecordedRun"):
        RunBrowser({"a": fake_run(0).weights})
    with pytest.raises(TypeError, match="epoch must be an integer"):
        RunBrowser({"a": fake_run(0)}, epoch=1.5)
    with pytest.raises(ValueError, match="filters of one shape"):
        RunBrowser({"a": fake_run(0), "b": fake_run(1, out=4)})


def test_redrawing_only_what_moves_shows_the_same_picture_as_a_full_drawing(browser):
    def decoded(png: bytes) -> np.ndarray:
        return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))

    for control, value in (
        (browser.epoch, 1),
        (browser.variant, "unit norm"),
        (browser.epoch, 0),
        (browser.variant, "baseline"),
        (browser.epoch, 3),
    ):
        control.value = value
        fast = decoded(bytes(browser.live.image.value))
        full = decoded(browser.live.png())  # every artist drawn again, curves included
        np.testing.assert_array_equal(fast, full)


def train_small(epochs=2, **kwargs):
    import torch

    from helpers.cnn import make_cnn
    from helpers.training import FilterRecorder, train

    images = torch.rand(40, 28, 28, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(40) % 10
    recorder = FilterRecorder(every=1)
    history = train(
        make_cnn(0), (images, labels), epochs=epochs, batch_size=10, recorder=recorder, **kwargs
    )
    return recorder, history


def test_a_run_without_test_data_is_browsed_with_its_accuracy_not_measured():
    # Regression: from_training without test_data failed with an unrelated message
    run = RecordedRun.from_training(*train_small())
    assert run.epochs == 2 and run.test_accuracy.shape == (0,)
    browser = RunBrowser({"no test data": run})
    assert browser.accuracy is None and "test accuracy not measured" in browser.message
    browser.epoch.value = 0
    assert "not trained yet" in browser.message


def test_a_diverged_run_is_refused_naming_the_cause():
    # Regression: a NaN run failed later with "Axis limits cannot be NaN or Inf"
    run = fake_run(0)
    weights = run.weights.copy()
    weights[7:] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite values from step 7: the run diverged"):
        RecordedRun(run.steps, weights, run.epoch_ends, run.test_accuracy)


def test_from_training_refuses_a_recorder_of_another_run():
    recorder, _ = train_small(epochs=1)
    _, history = train_small(epochs=2)
    with pytest.raises(ValueError, match="of different runs"):
        RecordedRun.from_training(recorder, history)
    from helpers.training import FilterRecorder

    with pytest.raises(ValueError, match="finished training run"):
        RecordedRun.from_training(FilterRecorder(), history)


def test_every_control_survives_its_ends_and_invalid_values(browser):
    from traitlets import TraitError

    browser.epoch.value = -5  # the slider clips to its ends
    assert browser.epoch.value == 0 and browser.step == 0
    browser.epoch.value = 99
    assert browser.epoch.value == 3 and browser.step == 15
    shown = browser.message
    for bad in (float("nan"), None):
        with pytest.raises(TraitError):
            browser.epoch.value = bad
        assert browser.epoch.value == 3 and browser.message == shown
    for bad in ("no such variant", 3):
        with pytest.raises(TraitError):
            browser.variant.value = bad
        assert browser.variant.value == "baseline" and browser.message == shown
    browser.variant.value = None  # a dropdown may be emptied: it is put back
    assert browser.variant.value == "baseline" and "variant = None was refused" in (
        browser.readout.value
    )
    # a slider widened from the kernel: the value the runs cannot show is put back
    browser.epoch.max = 10
    browser.epoch.value = 7
    assert browser.epoch.value == 3 and browser.step == 15
    assert "epoch = 7 was refused: epoch must be between 0 and 3" in browser.readout.value


def test_every_control_has_a_description(browser):
    assert browser.variant.description == "variant" and browser.epoch.description == "epoch"


def test_mosaic_places_the_filters_side_by_side():
    filters = np.arange(12.0).reshape(3, 2, 2)
    canvas = mosaic(filters)
    assert canvas.shape == (2, 8)
    for k in range(3):
        np.testing.assert_array_equal(canvas[:, 3 * k : 3 * k + 2], filters[k])
    assert np.isnan(canvas[:, [2, 5]]).all()


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        (3.0, ValueError, r"\(out, height, width\), got shape \(\)"),
        (np.ones((0, 2, 2)), ValueError, "non-empty"),
        (np.ones((2, 2)), ValueError, r"got shape \(2, 2\)"),
        ([[[1.0, 2.0], [3.0]]], ValueError, "ragged"),
        (np.ones((1, 2, 2), complex), TypeError, "complex"),
        ("abc", TypeError, "real numeric array"),
    ],
)
def test_mosaic_refuses_what_is_not_a_stack_of_filters(filters, error, message):
    # Regression: mosaic(3.0) and mosaic of a list raised AttributeError
    with pytest.raises(error, match=message):
        mosaic(filters)

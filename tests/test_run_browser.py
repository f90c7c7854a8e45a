"""Tests of helpers.run_browser: the widget shows what its controls select, never crashes."""

import time

import numpy as np
import pytest

from helpers.run_browser import RecordedRun, RunBrowser


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
    with pytest.raises(ValueError, match="one more entry than test_accuracy"):
        RecordedRun(run.steps, run.weights, run.epoch_ends[:-1], run.test_accuracy)


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


def test_update_is_fast(browser):
    # processor time, not wall time: on a loaded machine the wall clock measures the others
    times = []
    for epoch in (0, 1, 2, 1, 0, 2):
        start = time.process_time()
        browser.epoch.value = epoch
        times.append(time.process_time() - start)
    assert np.median(times) < 0.1, times
    start = time.process_time()
    browser.variant.value = "unit norm"  # new curves: the background is drawn again
    assert time.process_time() - start < 0.25


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
    with pytest.raises(ValueError, match="at least one recorded run"):
        RunBrowser({})
    with pytest.raises(ValueError, match="filters of one shape"):
        RunBrowser({"a": fake_run(0), "b": fake_run(1, out=4)})

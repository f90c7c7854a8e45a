import importlib

import numpy as np
import pytest

from helpers.exercises import Case, Exercise, Mistake, describe_difference


def reference(a, b):
    return np.convolve(a, b)


def cases():
    rng = np.random.default_rng(0)
    return [
        Case("two short signals", (np.array([1.0, 2.0]), np.array([0.0, 1.0, 0.5]))),
        Case("random signals", (rng.normal(size=5), rng.normal(size=3))),
    ]


EXERCISE = Exercise(
    "1-D convolution",
    reference,
    cases,
    mistakes=[Mistake("did you forget to flip?", lambda a, b: np.correlate(a, b, "full"))],
)


def test_correct_function_passes():
    report = EXERCISE.check(lambda a, b: np.convolve(b, a))
    assert report.passed and report.attempted
    assert "all 2 cases pass" in str(report)


def test_typical_mistake_gets_its_hint():
    report = EXERCISE.check(lambda a, b: np.correlate(a, b, "full"))
    assert not report.passed
    assert "Hint: did you forget to flip?" in report.message
    assert "case 1 of 2 (two short signals)" in report.message


def test_wrong_shape_is_named():
    report = EXERCISE.check(lambda a, b: np.convolve(a, b, "same"))
    assert not report.passed and "expected shape (4,), got shape (3,)" in report.message
    assert "Hint" not in report.message


def test_unsolved_stub_is_not_attempted():
    def stub(a, b):
        raise NotImplementedError

    report = EXERCISE.check(stub)
    assert not report.passed and not report.attempted
    assert "not attempted yet" in report.message


def test_learner_exception_is_reported_in_words():
    report = EXERCISE.check(lambda a, b: a @ np.ones((7, 7)))
    assert not report.passed and "raised `ValueError" in report.message


def test_solution_shows_reference_source():
    assert "np.convolve(a, b)" in EXERCISE.solution().data


def test_describe_difference():
    assert describe_difference((3, 4), (3, 4), 1e-9, 0) is None
    assert describe_difference((3, 4), (4, 3), 1e-9, 0) == "expected (3, 4), got (4, 3)"
    assert describe_difference(1.0, 1.0 + 1e-12, 1e-9, 0) is None
    assert describe_difference(1.0, "1", 1e-9, 0) == "expected a number, got '1'"
    assert "NaN" in describe_difference(np.zeros(2), np.array([0.0, np.nan]), 1e-9, 0)
    assert "largest difference 2 at index (1,)" in describe_difference(
        np.zeros(2), np.array([0.0, 2.0]), 1e-9, 0)


def every_exercise() -> list[Exercise]:
    """Every Exercise of every notebook's module, helpers.exercises.nb00 .. nb09."""
    exercises = []
    for number in range(10):
        try:
            module = importlib.import_module(f"helpers.exercises.nb{number:02d}")
        except ModuleNotFoundError:
            continue
        exercises += [value for value in vars(module).values() if isinstance(value, Exercise)]
    return exercises


EXERCISES = every_exercise()


def test_every_notebook_from_01_has_exercises():
    modules = {exercise.reference.__module__ for exercise in EXERCISES}
    assert modules == {f"helpers.exercises.nb{number:02d}" for number in range(1, 8)}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_reference_passes_and_its_source_can_be_shown(exercise):
    report = exercise.check(exercise.reference)
    assert report.passed and report.attempted, report.message
    assert "correct" in report.message
    assert "def " in exercise.solution().data


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_every_unsolved_stub_is_not_attempted(exercise):
    def stub(*args, **kwargs):
        raise NotImplementedError  # your code here

    report = exercise.check(stub)
    assert not report.passed and not report.attempted
    assert "not attempted yet" in report.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_every_crashing_function_is_reported_in_words(exercise):
    def crashes(*args, **kwargs):
        raise IndexError("index 3 is out of bounds")

    report = exercise.check(crashes)
    assert not report.passed and report.attempted
    assert "raised `IndexError: index 3 is out of bounds`" in report.message

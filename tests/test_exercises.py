import copy
import importlib
import warnings

import numpy as np
import pytest
import torch

from helpers.exercises import IN_PLACE_HINT, Case, Exercise, Mistake, describe_difference


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
    hint="flip one signal and slide it along the other.",
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


def test_a_first_hint_is_there_before_any_attempt():
    assert "flip one signal" in EXERCISE.hint().data
    with pytest.raises(ValueError, match="hint"):
        Exercise("no hint", reference, cases, hint="  ")


def normalize_reference(g):
    """Divide by the sum; return the kernel unchanged when the sum is (nearly) zero."""
    total = g.sum()
    return g.copy() if abs(total) <= 1e-3 * np.abs(g).sum() else g / total


def normalize_cases():
    return [
        Case("a kernel with sum 4", (np.array([1.0, 2.0, 1.0]),)),
        Case("a kernel with sum 0", (np.array([-1.0, 0.0, 1.0]),)),
    ]


NORMALIZE = Exercise("normalize", normalize_reference, normalize_cases, hint="divide by the sum")


def test_a_learner_that_edits_its_argument_cannot_change_what_is_expected():
    # Regression: the reference returned its input for near-zero sums and ran first, so a
    # learner dividing that same array in place changed "expected" and passed.
    def divides_in_place_always(g):
        g /= g.sum()
        return g

    report = NORMALIZE.check(divides_in_place_always)
    assert not report.passed and "case 1 of 2" in report.message
    assert IN_PLACE_HINT in report.message


def test_right_values_but_an_edited_argument_fails_with_the_in_place_hint():
    def right_but_in_place(g):
        result = normalize_reference(g)
        g *= 2
        return result

    report = NORMALIZE.check(right_but_in_place)
    assert not report.passed and "changed `g` in place" in report.message
    assert IN_PLACE_HINT in report.message


def test_an_exercise_about_in_place_edits_may_edit():
    def reference_hook(g):
        g /= np.linalg.norm(g)
        return g.copy()

    exercise = Exercise(
        "hook",
        reference_hook,
        lambda: [Case("3 taps", (np.ones(3),))],
        hint="divide",
        modifies_arguments=True,
    )
    assert exercise.check(reference_hook).passed


@pytest.mark.parametrize(
    "returned",
    [
        torch.tensor([0.25, 0.5, 0.25], requires_grad=True) * 1,
        torch.tensor([1.0, 2.0], requires_grad=True),
        "a string",
        None,
        {"a": 1},
        object(),
        [[1, 2], [3]],
        np.array(["x", "y", "z"]),
        float("nan"),
    ],
    ids=lambda value: type(value).__name__,
)
def test_any_return_value_gets_an_answer_in_words(returned):
    report = NORMALIZE.check(lambda g: returned)
    assert isinstance(report.message, str) and report.attempted
    first = normalize_reference(np.array([1.0, 2.0, 1.0]))
    if isinstance(returned, torch.Tensor) and returned.shape == first.shape:
        assert "case 2 of 2" in report.message  # the first case passed
    else:
        assert not report.passed and "case 1 of 2" in report.message


def test_complex_values_are_not_silently_made_real():
    report = NORMALIZE.check(lambda g: normalize_reference(g) + 5j)
    assert not report.passed and "got complex ones (largest imaginary part 5)" in report.message
    assert "got complex" in describe_difference(1.0, 1 + 2j, 1e-9, 0)
    assert describe_difference(1.0, np.complex128(1 + 0j), 1e-9, 0) is None  # e.g. an FFT's H(0, 0)
    assert describe_difference(np.ones(2), np.ones(2) + 1e-17j, 1e-9, 1e-12) is None
    assert describe_difference(1 + 2j, 1 + 2j, 1e-9, 0) is None
    assert describe_difference(np.array([1 + 2j]), np.array([1 + 3j]), 1e-9, 0) is not None
    assert describe_difference(np.array([1 + 2j]), [1 + 2j], 1e-9, 0) is None


def test_a_tuple_of_arrays_says_which_value_is_wrong():
    expected = (np.zeros(3), np.ones(3))
    message = describe_difference(expected, (np.zeros(3), np.array([1.0, 5.0, 1.0])), 1e-9, 0)
    assert message.startswith("value 2 of 2 returned: right shape, wrong values")
    assert describe_difference(expected, np.zeros((2, 3)), 1e-9, 0) == (
        "expected 2 values (tuple), got ndarray"
    )
    assert describe_difference((3, 4), np.array([3, 4]), 1e-9, 0) is None  # a shape as an array


def test_the_value_named_is_the_one_beyond_the_tolerance():
    expected = np.array([1000.0, 0.0])
    message = describe_difference(expected, np.array([1000.0001, 1e-6]), 1e-6, 1e-9)
    assert "at index (1,)" in message  # 1e-4 off 1000 is within rtol; 1e-6 off 0 is not


def test_infinities_on_both_sides_are_compared_without_a_warning():
    """A learner's overflowing softmax against a mistake that overflows too: words, no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        message = describe_difference(np.array([np.inf, 1.0]), np.array([np.nan, 2.0]), 1e-9, 0)
    assert message.startswith("right shape, wrong values")


def test_a_float32_answer_is_right_to_float32_precision():
    expected = np.array([25.705312, -0.000013, 3.0])
    assert describe_difference(expected, expected.astype(np.float32) + 1e-5, 1e-6, 1e-9) is None
    assert describe_difference(expected, expected + 1e-5, 1e-6, 1e-9) is not None  # float64
    assert describe_difference(expected, expected.astype(np.float32) * 1.001, 1e-6, 1e-9)


def test_a_tensor_that_requires_grad_is_compared_by_value():
    def as_tensor(g):
        return torch.tensor(normalize_reference(g), requires_grad=True) * 1.0

    assert NORMALIZE.check(as_tensor).passed


def test_passing_the_result_instead_of_the_function_is_explained():
    report = NORMALIZE.check(normalize_reference(np.ones(3)))
    assert not report.passed and "pass your function itself" in report.message


def test_solution_shows_reference_source():
    assert "np.convolve(a, b)" in EXERCISE.solution().data


def test_describe_difference():
    assert describe_difference((3, 4), (3, 4), 1e-9, 0) is None
    assert describe_difference((3, 4), (4, 3), 1e-9, 0) == "expected (3, 4), got (4, 3)"
    assert describe_difference(1.0, 1.0 + 1e-12, 1e-9, 0) is None
    assert describe_difference(1.0, "1", 1e-9, 0) == "expected a number, got '1'"
    assert "NaN" in describe_difference(np.zeros(2), np.array([0.0, np.nan]), 1e-9, 0)
    assert "wrong values: difference 2 at index (1,)" in describe_difference(
        np.zeros(2), np.array([0.0, 2.0]), 1e-9, 0
    )


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


def test_every_notebook_has_exercises():
    modules = {exercise.reference.__module__ for exercise in EXERCISES}
    assert modules == {f"helpers.exercises.nb{number:02d}" for number in range(0, 8)}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_reference_passes_and_its_source_can_be_shown(exercise):
    report = exercise.check(exercise.reference)
    assert report.passed and report.attempted, report.message
    assert "correct" in report.message
    assert "def " in exercise.solution().data


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_every_exercise_offers_a_first_hint(exercise):
    assert len(exercise.first_hint) > 20 and exercise.title in exercise.hint().data


def in_place_mutant(exercise: Exercise):
    """The reference, except that it also scales its first array argument in place."""

    def mutant(*args, **kwargs):
        result = exercise.reference(*args, **kwargs)
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, np.ndarray | torch.Tensor) and value.size != 0:
                with torch.no_grad():
                    value *= 3
                break
        return result

    return mutant


def takes_an_array(exercise: Exercise) -> bool:
    return any(
        isinstance(value, np.ndarray | torch.Tensor)
        for case in exercise.cases()
        for value in list(case.args) + list(case.kwargs.values())
    )


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_mutant_catalogue(exercise):
    """Every typical wrong solution fails with its own hint; at least three per exercise."""
    mutants = [(mistake.wrong, mistake.hint) for mistake in exercise.mistakes]
    if takes_an_array(exercise) and not exercise.modifies_arguments:
        mutants.append((in_place_mutant(exercise), IN_PLACE_HINT))
    assert len(mutants) >= 3, f"{exercise.title}: only {len(mutants)} typical wrong solutions"
    for wrong, hint in mutants:
        report = exercise.check(copy.deepcopy(wrong))
        assert not report.passed and report.attempted, f"{exercise.title}: {hint!r} passed"
        assert hint in report.message, f"{exercise.title}: {report.message}"


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


def test_a_typical_mistake_that_raises_gets_its_hint():
    def crashes_like_the_mistake(a, b):
        raise ValueError("operands could not be broadcast")

    exercise = Exercise(
        "crash",
        reference,
        cases,
        hint="flip one signal and slide it along the other.",
        mistakes=[Mistake("broadcast!", crashes_like_the_mistake)],
    )
    report = exercise.check(lambda a, b: crashes_like_the_mistake(a, b))
    assert "raised `ValueError: operands could not be broadcast`" in report.message
    assert "Hint: broadcast!" in report.message
    other = exercise.check(lambda a, b: 1 / 0)
    assert "ZeroDivisionError" in other.message and "Hint" not in other.message


def test_a_harness_checks_what_a_function_does_rather_than_what_it_returns():
    def doubled(f):
        return lambda a, b: 2 * f(a, b)

    exercise = Exercise(
        "harness",
        reference,
        cases,
        hint="flip one signal and slide it along the other.",
        mistakes=[Mistake("did you forget to flip?", lambda a, b: np.correlate(a, b, "full"))],
        harness=doubled,
    )
    assert exercise.check(lambda a, b: np.convolve(b, a)).passed
    report = exercise.check(lambda a, b: np.correlate(a, b, "full"))
    assert "Hint: did you forget to flip?" in report.message

"""Exercises that answer back.

An :class:`Exercise` runs a learner's function on the cases of a reference solution and
answers in plain words: which case failed, what was expected, what came back, and, when the
wrong answer matches a typical mistake (a flipped kernel, transposed axes, an off-by-one
size), a hint for that mistake. The reference stays hidden until :meth:`Exercise.solution`
is called.

Each notebook has its exercises in a module of this package: ``helpers.exercises.nb01`` for
notebook 01, and so on. Typical use in a notebook::

    from helpers.exercises import nb02

    def my_output_shape(f_shape, g_shape, mode):
        raise NotImplementedError  # your code here

    nb02.output_shape.check(my_output_shape)
    # nb02.output_shape.solution()   # run this to see a solution
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from IPython.display import Code


@dataclass(frozen=True)
class Case:
    """One input to try, described in plain words ("a 3x2 kernel on a 5x4 image")."""

    description: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer and the hint that explains it.

    ``wrong`` takes the same arguments as the reference and returns what a learner who makes
    this mistake would return; when the learner's output matches it, the hint is shown.
    """

    hint: str
    wrong: Callable[..., Any]


@dataclass(frozen=True)
class Report:
    """What a check found. ``passed`` is True only when every case matched."""

    passed: bool
    attempted: bool
    message: str

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message


def describe_difference(expected: Any, got: Any, rtol: float, atol: float) -> str | None:
    """Say in words how ``got`` differs from ``expected``; None when they agree.

    Arrays are compared by shape, then by value with ``rtol`` and ``atol``; tuples, lists
    and other values by equality (numbers with the same tolerances).
    """
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        try:
            got_array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return f"expected an array, got {type(got).__name__}"
        expected_array = np.asarray(expected, dtype=float)
        if got_array.shape != expected_array.shape:
            return f"expected shape {expected_array.shape}, got shape {got_array.shape}"
        if not np.all(np.isfinite(got_array)) and np.all(np.isfinite(expected_array)):
            return "the output holds NaN or infinite values"
        if not np.allclose(got_array, expected_array, rtol=rtol, atol=atol):
            error = np.abs(got_array - expected_array)
            where = np.unravel_index(int(np.argmax(error)), error.shape)
            return (
                f"right shape, wrong values: largest difference {error[where]:.3g} at index "
                f"{tuple(int(i) for i in where)} (expected {expected_array[where]:.6g}, "
                f"got {got_array[where]:.6g})"
            )
        return None
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            return f"expected {expected!r}, got {got!r}"
        for e, g in zip(expected, got, strict=True):
            if describe_difference(e, g, rtol, atol) is not None:
                return f"expected {expected!r}, got {got!r}"
        return None
    if isinstance(expected, int | float | np.number) and not isinstance(expected, bool):
        if not isinstance(got, int | float | np.number) or isinstance(got, bool):
            return f"expected a number, got {got!r}"
        if not np.isclose(float(got), float(expected), rtol=rtol, atol=atol):
            return f"expected {expected!r}, got {got!r}"
        return None
    return None if got == expected else f"expected {expected!r}, got {got!r}"


class Exercise:
    """An exercise: a reference solution, the cases it is checked on, and typical mistakes.

    Parameters
    ----------
    title : str
        What the learner is asked to write, in a few words.
    reference : callable
        The reference solution; its source is what :meth:`solution` shows.
    cases : callable returning a sequence of Case
        Builds the cases (random and edge cases), called at each check with a fixed seed.
    mistakes : sequence of Mistake
        Typical wrong answers, tried in order when a case fails.
    rtol, atol : float
        Tolerances for comparing numbers and arrays.
    """

    def __init__(
        self,
        title: str,
        reference: Callable[..., Any],
        cases: Callable[[], Sequence[Case]],
        mistakes: Sequence[Mistake] = (),
        rtol: float = 1e-6,
        atol: float = 1e-9,
    ):
        self.title = title
        self.reference = reference
        self.cases = cases
        self.mistakes = tuple(mistakes)
        self.rtol = rtol
        self.atol = atol

    def hint_for(self, case: Case, got: Any) -> str | None:
        """The hint of the first typical mistake whose output equals ``got``, if any."""
        for mistake in self.mistakes:
            try:
                wrong = mistake.wrong(*case.args, **case.kwargs)
            except Exception:  # a mistake that does not apply to this case
                continue
            if describe_difference(wrong, got, self.rtol, self.atol) is None:
                return mistake.hint
        return None

    def check(self, learner: Callable[..., Any]) -> Report:
        """Run ``learner`` on every case and report, in words, the first that fails.

        A learner that raises ``NotImplementedError`` has not attempted the exercise yet:
        the report says so without failing, so the notebook still runs top to bottom.
        """
        cases = list(self.cases())
        for number, case in enumerate(cases, start=1):
            expected = self.reference(*case.args, **case.kwargs)
            try:
                got = learner(*case.args, **case.kwargs)
            except NotImplementedError:
                return Report(
                    False,
                    False,
                    f"**{self.title}**: not attempted yet. Write your function, then run "
                    "this cell again.",
                )
            except Exception as error:  # the learner's bug, reported in words
                return Report(
                    False,
                    True,
                    f"**{self.title}**: case {number} of {len(cases)} ({case.description}) "
                    f"raised `{type(error).__name__}: {error}`.",
                )
            difference = describe_difference(expected, got, self.rtol, self.atol)
            if difference is not None:
                hint = self.hint_for(case, got)
                message = (
                    f"**{self.title}**: case {number} of {len(cases)} ({case.description}) "
                    f"fails: {difference}."
                )
                if hint:
                    message += f"\n\nHint: {hint}"
                return Report(False, True, message)
        return Report(True, True, f"**{self.title}**: correct, all {len(cases)} cases pass.")

    def solution(self) -> Code:
        """Show the reference solution's source, highlighted."""
        source = textwrap.dedent(inspect.getsource(self.reference))
        return Code(source, language="python")


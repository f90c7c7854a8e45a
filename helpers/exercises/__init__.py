"""Exercises that answer back.

An :class:`Exercise` runs a learner's function on the cases of a reference solution and
answers in plain words: which case failed, what was expected, what came back, and, when the
wrong answer matches a typical mistake (a flipped kernel, transposed axes, an off-by-one
size), a hint for that mistake. A first hint is there on request before any attempt
(:meth:`Exercise.hint`); the reference stays hidden until :meth:`Exercise.solution` is called.

The checker cannot be fooled by what the learner's function does to its input: the reference
and the learner each get their own deep copy of every case, the checker keeps its own copy
of the expected value, and a function that changes its argument in place is told so.

Each notebook has its exercises in a module of this package: ``helpers.exercises.nb01`` for
notebook 01, and so on. Typical use in a notebook::

    from helpers.exercises import nb02

    nb02.output_shape.hint()       # a first hint, before any attempt

    def my_output_shape(f_shape, g_shape, mode):
        raise NotImplementedError  # your code here

    nb02.output_shape.check(my_output_shape)
    # nb02.output_shape.solution()   # run this to see a solution
"""

from __future__ import annotations

import copy
import inspect
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from IPython.display import Code, Markdown

IN_PLACE_HINT = (
    "a function that changes its argument in place surprises its caller, whose array is now "
    "different. Work on a copy: build a new array (`x = x - m`), do not edit the argument "
    "(`x -= m`)."
)


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


def plain(value: Any) -> Any:
    """A torch tensor as a numpy array (detached, on the CPU); any other value unchanged."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return value


def snapshot(value: Any) -> Any:
    """A copy of ``value`` that nothing done later to the original can change."""
    value = plain(value)
    try:
        return copy.deepcopy(value)
    except Exception:  # an object that cannot be copied is kept as it is
        return value


def single_precision(value: Any) -> bool:
    """Whether ``value`` holds float32 (or float16) numbers, the precision of many torch answers."""
    return isinstance(value, np.ndarray | np.floating) and value.dtype in (np.float32, np.float16)


def is_complex(value: Any) -> bool:
    """Whether ``value`` is a complex number, or an array (or flat list) of complex numbers."""
    if isinstance(value, complex | np.complexfloating):
        return True
    if isinstance(value, list):
        return any(isinstance(item, complex | np.complexfloating) for item in value)
    return isinstance(value, np.ndarray) and np.iscomplexobj(value)


def said(value: Any) -> str:
    """A value as a learner reads it: numbers plainly (6 significant digits, no ``np.float64``
    wrapper), tuples and lists of numbers item by item, anything else by its repr."""
    if isinstance(value, bool | np.bool_):
        return repr(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    if isinstance(value, tuple | list) and all(np.ndim(item) == 0 for item in value):
        inner = ", ".join(said(item) for item in value)
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def _expected_got(expected: Any, got: Any) -> str:
    """"expected X, got Y", with every digit when 6 would make the two look the same."""
    shown = said(expected), said(got)
    if shown[0] == shown[1]:
        shown = repr(plain_number(expected)), repr(plain_number(got))
    return f"expected {shown[0]}, got {shown[1]}"


def plain_number(value: Any) -> Any:
    """A numpy number as the Python number it holds (its repr then has no ``np.`` wrapper)."""
    return value.item() if isinstance(value, np.generic) else value


def _compare(expected: Any, got: Any, rtol: float, atol: float) -> str | None:
    expected, got = plain(expected), plain(got)
    if got is None and expected is not None:
        return "got None (does your function `return` its answer?)"
    if is_complex(got) and not is_complex(expected):
        values = np.asarray(got, dtype=complex)
        imaginary = float(np.max(np.abs(values.imag), initial=0.0))
        scale = float(np.max(np.abs(values.real), initial=0.0))
        if imaginary > atol + rtol * scale:
            return (
                f"expected real values, got complex ones (largest imaginary part {imaginary:.3g})"
            )
        got = values.real if isinstance(got, np.ndarray | list) else float(values.real)
    short = isinstance(expected, tuple | list) and all(np.ndim(item) == 0 for item in expected)
    if isinstance(expected, tuple | list) and not (short and isinstance(got, np.ndarray)):
        # a few numbers (a shape) are said whole; several arrays one by one
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            if short:
                return _expected_got(expected, got)
            what = f"{len(got)} values" if isinstance(got, tuple | list) else type(got).__name__
            return f"expected {len(expected)} values ({type(expected).__name__}), got {what}"
        for number, (e, g) in enumerate(zip(expected, got, strict=True), start=1):
            difference = _compare(e, g, rtol, atol)
            if difference is not None:
                if short:
                    return _expected_got(expected, got)
                return f"value {number} of {len(expected)} returned: {difference}"
        return None
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        kind = complex if is_complex(expected) else float
        try:
            got_array = np.asarray(got, dtype=kind)
        except (TypeError, ValueError):
            return f"expected an array, got {type(got).__name__}"
        expected_array = np.asarray(expected, dtype=kind)
        if got_array.shape != expected_array.shape:
            return f"expected shape {expected_array.shape}, got shape {got_array.shape}"
        if not np.all(np.isfinite(got_array)) and np.all(np.isfinite(expected_array)):
            return "the output holds NaN or infinite values"
        if single_precision(got):  # a float32 answer is right to float32's precision
            scale = float(np.max(np.abs(expected_array), initial=0.0))
            rtol, atol = max(rtol, 1e-5), max(atol, 1e-5 * scale)
        if not np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True):
            with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: no warning shown
                error = np.abs(got_array - expected_array)
                error[np.isnan(error)] = np.inf
                excess = error - (atol + rtol * np.abs(expected_array))  # beyond the tolerance
            where = np.unravel_index(int(np.argmax(excess)), error.shape)
            return (
                f"right shape, wrong values: difference {error[where]:.3g} at index "
                f"{tuple(int(i) for i in where)} (expected {expected_array[where]:.6g}, "
                f"got {got_array[where]:.6g})"
            )
        return None
    if isinstance(expected, int | float | np.number) and not isinstance(expected, bool):
        if not isinstance(got, int | float | np.number) or isinstance(got, bool):
            return f"expected a number, got {said(got)}"
        if not np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True):
            return _expected_got(expected, got)
        return None
    if isinstance(expected, bool) and not isinstance(got, bool | np.bool_):
        return _expected_got(expected, got)
    return None if bool(got == expected) else _expected_got(expected, got)


def describe_difference(expected: Any, got: Any, rtol: float, atol: float) -> str | None:
    """Say in words how ``got`` differs from ``expected``; None when they agree.

    Arrays (and torch tensors) are compared by shape, then by value with ``rtol`` and
    ``atol``; tuples, lists and other values by equality (numbers with the same tolerances).
    Whatever ``got`` is, the answer is words: a value that cannot be compared says so.
    """
    try:
        return _compare(expected, got, rtol, atol)
    except Exception as error:  # a value that cannot be compared at all
        return (
            f"expected {type(plain(expected)).__name__} like {expected!r}, got "
            f"{type(got).__name__}, which cannot be compared with it ({error})"
        )


def same_value(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` hold exactly the same values (arrays, tensors, modules, containers).

    Used to tell whether a function changed its argument in place; NaN equals NaN.
    """
    if hasattr(a, "state_dict") and hasattr(b, "state_dict"):
        a, b = a.state_dict(), b.state_dict()
    a, b = plain(a), plain(b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    try:
        return bool(a == b) or (a != a and b != b)  # noqa: PLR0124 -- NaN equals NaN here
    except Exception:  # values that cannot be compared are taken as unchanged
        return True


def _as_it_is(function: Callable[..., Any]) -> Callable[..., Any]:
    """The default harness: compare the function's own outputs."""
    return function


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
    hint : str
        A first hint, shown on request by :meth:`hint` before any attempt.
    mistakes : sequence of Mistake
        Typical wrong answers; when a case fails, the hints of those whose output matches.
    rtol, atol : float
        Tolerances for comparing numbers and arrays.
    modifies_arguments : bool
        True when the exercise asks for a function that changes its argument in place (an
        after-step hook, say); otherwise changing an argument is reported as a mistake.
    harness : callable, optional
        Turns a function of the learner's kind into the function whose outputs are compared,
        applied alike to the learner's function, the reference and every mistake: for an
        after-step hook, a short training run with the hook that returns the weights it saw.
        By default the functions are compared as they are.

    A typical mistake that makes the function raise (an in-place edit of a tensor that
    requires grad, say) is matched too: when the learner's function raises the same error on
    a case, its hint is shown.
    """

    def __init__(
        self,
        title: str,
        reference: Callable[..., Any],
        cases: Callable[[], Sequence[Case]],
        hint: str,
        mistakes: Sequence[Mistake] = (),
        rtol: float = 1e-6,
        atol: float = 1e-9,
        modifies_arguments: bool = False,
        harness: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None,
    ):
        if not hint.strip():
            raise ValueError("hint must say something: it is what a learner sees first")
        self.title = title
        self.reference = reference
        self.cases = cases
        self.first_hint = hint
        self.mistakes = tuple(mistakes)
        self.rtol = rtol
        self.atol = atol
        self.modifies_arguments = modifies_arguments
        self.harness = harness if harness is not None else _as_it_is

    def hint(self) -> Markdown:
        """A first hint, for before any attempt."""
        return Markdown(f"**{self.title}**, a hint: {self.first_hint}")

    def hints_for(self, case: Case, got: Any) -> list[str]:
        """The hints of every typical mistake whose output equals ``got`` on ``case``."""
        hints = []
        for mistake in self.mistakes:
            try:
                wrong = self.harness(mistake.wrong)(
                    *copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)
                )
            except Exception:  # a mistake that does not apply to this case
                continue
            if describe_difference(wrong, got, self.rtol, self.atol) is None:
                hints.append(mistake.hint)
        return hints

    def hints_for_error(self, case: Case, error: Exception) -> list[str]:
        """The hints of every typical mistake that raises the same error on ``case``."""
        hints = []
        for mistake in self.mistakes:
            try:
                self.harness(mistake.wrong)(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            except Exception as theirs:  # any error may be the typical one
                if type(theirs) is type(error) and str(theirs) == str(error):
                    hints.append(mistake.hint)
        return hints

    def _changed_arguments(self, case: Case, args: tuple, kwargs: dict) -> list[str]:
        """The names of the arguments that differ from the case's own (untouched) values."""
        try:
            names = list(inspect.signature(self.reference).parameters)
        except (TypeError, ValueError):
            names = []
        changed = []
        for index, (before, after) in enumerate(zip(case.args, args, strict=True)):
            if not same_value(before, after):
                changed.append(names[index] if index < len(names) else f"argument {index + 1}")
        changed += [name for name in case.kwargs if not same_value(case.kwargs[name], kwargs[name])]
        return changed

    def check(self, learner: Callable[..., Any]) -> Report:
        """Run ``learner`` on every case and report, in words, the first that fails.

        A learner that raises ``NotImplementedError`` has not attempted the exercise yet:
        the report says so without failing, so the notebook still runs top to bottom.
        """
        if not callable(learner):
            return Report(
                False,
                True,
                f"**{self.title}**: pass your function itself, not "
                f"{type(learner).__name__} (write `check(my_function)`, without parentheses).",
            )
        cases = list(self.cases())
        for number, case in enumerate(cases, start=1):
            where = f"**{self.title}**: case {number} of {len(cases)} ({case.description})"
            expected = snapshot(
                self.harness(self.reference)(
                    *copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)
                )
            )
            args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
            try:
                got = self.harness(learner)(*args, **kwargs)
            except NotImplementedError:
                return Report(
                    False,
                    False,
                    f"**{self.title}**: not attempted yet. Write your function, then run "
                    "this cell again.",
                )
            except Exception as error:  # the learner's bug, reported in words
                message = f"{where} raised `{type(error).__name__}: {error}`."
                for hint in self.hints_for_error(case, error):
                    message += f"\n\nHint: {hint}"
                return Report(False, True, message)
            difference = describe_difference(expected, got, self.rtol, self.atol)
            changed = [] if self.modifies_arguments else self._changed_arguments(case, args, kwargs)
            if difference is None and not changed:
                continue
            if difference is None:
                names = ", ".join(f"`{name}`" for name in changed)
                return Report(
                    False,
                    True,
                    f"{where} fails: the output is right, but your function "
                    f"changed {names} in place.\n\nHint: {IN_PLACE_HINT}",
                )
            message = f"{where} fails: {difference}."
            hints = self.hints_for(case, got) + ([IN_PLACE_HINT] if changed else [])
            for hint in hints:
                message += f"\n\nHint: {hint}"
            return Report(False, True, message)
        return Report(True, True, f"**{self.title}**: correct, all {len(cases)} cases pass.")

    def solution(self) -> Code:
        """Show the reference solution's source, highlighted."""
        source = textwrap.dedent(inspect.getsource(self.reference))
        return Code(source, language="python")

"""Checking what learners and notebooks pass in, with errors that say what is wrong.

Every check raises before any work is done: a TypeError for a value of the wrong kind (a
string, a bool or a timedelta where a number belongs, a float where an integer belongs), a
ValueError for a value of the right kind out of its range (NaN, a negative size). Each message
names the argument, what was given and what is expected: "sigma must be a finite number > 0,
got nan".

The size guard :func:`check_memory` is the one place that refuses to build a representation
too large for a laptop: a caller estimates the bytes it is about to allocate, and the guard
refuses above :data:`MEMORY_LIMIT_BYTES`, saying how much and what to do instead.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

MEMORY_LIMIT_BYTES = 512 * 2**20
"""The most bytes one helper call may allocate for one representation (512 MiB).

A dense or sparse Toeplitz matrix, an im2col patch matrix, a kernel built from a cut-off
frequency: each is estimated first and refused above this limit by :func:`check_memory`.
"""


def as_real_array(x, name: str, finite: bool = False) -> np.ndarray:
    """``x`` as a real float array of 1 or 2 dimensions, or a clear error naming ``name``.

    Integers and booleans become float64; float32 stays float32.

    Parameters
    ----------
    x : array_like
        What was passed in.
    name : str
        The argument's name, used in the error messages ("f", "kernel g").
    finite : bool
        Also refuse NaN and infinity (an FFT or a matrix product would smear them over the
        whole output).

    Raises
    ------
    TypeError
        For complex or non-numeric input (strings, timedeltas, objects, torch tensors that
        require grad).
    ValueError
        For ragged nested lists, 0-D or more than 2-D arrays, empty arrays, and (with
        ``finite``) NaN or infinity.
    """
    x = as_numeric_array(x, name)
    if x.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D or 2-D, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {x.shape}")
    x = x.astype(np.float32 if x.dtype == np.float32 else np.float64, copy=False)
    if finite and not np.isfinite(x).all():
        raise ValueError(f"{name} must hold finite values, got NaN or infinity")
    return x


def as_numeric_array(x, name: str) -> np.ndarray:
    """``x`` as a numpy array of real numbers (bool, integer or float), any shape.

    Raises
    ------
    TypeError
        For complex, non-numeric (strings, objects, datetimes, timedeltas) input, and for a
        torch tensor that requires grad (detach it first).
    ValueError
        For a ragged nested list, whose rows differ in length.
    """
    if getattr(x, "requires_grad", False):
        raise TypeError(
            f"{name} is a tensor that requires grad; pass {name}.detach().numpy() instead"
        )
    try:
        x = np.asarray(x)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array, got a ragged nested sequence "
            "(rows of different lengths)"
        ) from None
    if np.iscomplexobj(x):
        raise TypeError(f"{name}: complex input is not supported (got dtype {x.dtype})")
    if x.dtype != bool and not (
        np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)
    ) or np.issubdtype(x.dtype, np.timedelta64):
        raise TypeError(f"{name} must be a real numeric array, got dtype {x.dtype}")
    return x


def _scalar(value):
    """A 0-D numpy array as its scalar (``np.asarray(2.0)`` reads as ``2.0``); else ``value``."""
    return value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value


def _is_real_number(value) -> bool:
    """An int, float or numpy real scalar; not a bool, a string, a timedelta or an array."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _range_text(low, high, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def as_number(
    value,
    name: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite float in the given range, or a clear error naming ``name``.

    Parameters
    ----------
    value : real number
        An int, a float or a numpy real scalar (not a bool, a string or a timedelta).
    name : str
        The argument's name.
    low, high : float, optional
        Bounds of the range; None for none.
    low_open, high_open : bool
        Whether the bound itself is excluded (``low_open=True`` with ``low=0`` means > 0).

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is NaN, infinite or out of the range.
    """
    expected = " ".join(["a finite number", _range_text(low, high, low_open, high_open)]).strip()
    value = _scalar(value)
    if not _is_real_number(value):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    number = float(value)
    if (
        not np.isfinite(number)
        or (low is not None and (number < low or (low_open and number == low)))
        or (high is not None and (number > high or (high_open and number == high)))
    ):
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return number


def as_integer(value, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as a Python int in ``[low, high]``, or a clear error naming ``name``.

    Accepts Python and numpy integers; refuses bools and floats (even ``3.0``) with a
    TypeError, values out of range with a ValueError.
    """
    expected = " ".join(["an integer", _range_text(low, high, False, False)]).strip()
    value = _scalar(value)
    if not isinstance(value, numbers.Integral) or isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return number


def as_shape(value, name: str, ndim: int | None = None, low: int = 1) -> tuple[int, ...]:
    """An int or a sequence of ints, each at least ``low``, as a tuple of ``ndim`` ints.

    An int stands for ``ndim`` equal sides (refused when ``ndim`` is None). Refuses strings,
    floats (``3.5``) and bools with a TypeError; a wrong number of entries or an entry below
    ``low`` with a ValueError: "f_shape must be 2 positive integers, got (4,)".
    """
    kind = {0: "non-negative integers", 1: "positive integers"}.get(low, f"integers >= {low}")
    expected = f"{ndim} {kind}" if ndim is not None else f"a tuple of {kind}"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_):
        if ndim is None:  # how many sides? only the caller knows
            raise TypeError(f"{name} must be {expected}, got {value!r}")
        value = (value,) * ndim
    if (
        isinstance(value, str | bytes)
        or not isinstance(value, Sequence | np.ndarray)
        or any(not isinstance(s, numbers.Integral) or isinstance(s, bool | np.bool_) for s in value)
    ):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    if (ndim is not None and len(value) != ndim) or any(s < low for s in value):
        raise ValueError(f"{name} must be {expected}, got {tuple(value)!r}")
    return tuple(int(s) for s in value)


def check_choice(name: str, value, valid: Sequence[str]) -> str:
    """``value`` if it is one of the strings ``valid``, else a ValueError listing them."""
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, valid))}; got {value!r}")
    return value


def format_bytes(size: float) -> str:
    """A byte count for people: "523.1 MiB", "3.0 GiB", "12.5 KiB", "96 bytes"."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{int(size)} bytes"


def check_memory(nbytes: float, what: str, suggestion: str, limit: float | None = None) -> None:
    """Refuse to build ``what`` when the ``nbytes`` it needs exceed the limit.

    Call it with an estimate made *before* allocating anything (from shapes, not arrays).

    Parameters
    ----------
    nbytes : int or float
        The estimated bytes (a float, so an estimate beyond int64 does not overflow).
    what : str
        What would be built, as the subject of the message: "the sparse Toeplitz matrix".
    suggestion : str
        What to do instead: "use method='fft' or a smaller image".
    limit : int, optional
        Bytes allowed; :data:`MEMORY_LIMIT_BYTES` when omitted.

    Raises
    ------
    ValueError
        "the sparse Toeplitz matrix would need 3.0 GiB (limit 512 MiB); use method='direct' ..."

    Examples
    --------
    A widget that draws the dense Toeplitz matrix of its image refuses a large one before
    building anything (``helpers.memory`` counts the bytes from the shapes)::

        check_memory(
            dense_toeplitz_bytes(image.shape, g.shape, mode),
            f"the Toeplitz matrix of a {image.shape[0]}x{image.shape[1]} image",
            "use an image of at most 40 x 40 pixels",
        )
    """
    limit = MEMORY_LIMIT_BYTES if limit is None else limit
    if nbytes > limit:
        raise ValueError(
            f"{what} would need {format_bytes(nbytes)} "
            f"(limit {format_bytes(limit).replace('.0 ', ' ')}); {suggestion}"
        )

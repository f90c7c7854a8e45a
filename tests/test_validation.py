from datetime import timedelta

import numpy as np
import pytest
import torch

from helpers.validation import (
    MEMORY_LIMIT_BYTES,
    as_integer,
    as_number,
    as_numeric_array,
    as_real_array,
    as_shape,
    check_choice,
    check_memory,
    format_bytes,
)


def test_dtypes_are_promoted_to_float_and_float32_is_kept():
    assert as_real_array([1, 2], "f").dtype == np.float64
    assert as_real_array(np.array([True, False]), "f").dtype == np.float64
    assert as_real_array(np.ones(2, np.float32), "f").dtype == np.float32
    np.testing.assert_array_equal(as_real_array([[1, 2]], "f"), [[1.0, 2.0]])


@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.ones(3, complex), TypeError, r"g: complex input is not supported \(got dtype complex"),
        (np.array(["a"]), TypeError, "g must be a real numeric array, got dtype <U1"),
        (np.float64(1.0), ValueError, r"g must be 1-D or 2-D, got shape \(\)"),
        (np.ones((2, 2, 2)), ValueError, r"g must be 1-D or 2-D, got shape \(2, 2, 2\)"),
        (np.ones((0, 3)), ValueError, r"g must not be empty, got shape \(0, 3\)"),
        (np.array([1.0, np.nan]), ValueError, "g must hold finite values, got NaN or infinity"),
        (np.array([np.inf]), ValueError, "g must hold finite values"),
    ],
)
def test_bad_input_is_named_and_explained(x, error, message):
    with pytest.raises(error, match=message):
        as_real_array(x, "g", finite=True)


def test_non_finite_values_pass_unless_refused():
    assert np.isnan(as_real_array([np.nan, 1.0], "f")[0])


# --- numbers, integers, shapes, choices ----------------------------------------------------------


@pytest.mark.parametrize("value", [2, 2.5, np.float32(2.5), np.int64(2), np.asarray(2.5)])
def test_as_number_takes_real_numbers(value):
    assert as_number(value, "sigma", low=0, low_open=True) == float(value)
    assert type(as_number(value, "sigma")) is float


@pytest.mark.parametrize(
    "value, error, message",
    [
        (True, TypeError, "sigma must be a finite number > 0, got True"),
        ("1", TypeError, "sigma must be a finite number > 0, got '1'"),
        (None, TypeError, "got None"),
        (timedelta(seconds=1), TypeError, "got datetime.timedelta"),
        (1 + 1j, TypeError, r"got \(1\+1j\)"),
        (np.ones(2), TypeError, "got array"),
        (np.nan, ValueError, "sigma must be a finite number > 0, got nan"),
        (np.inf, ValueError, "got inf"),
        (0.0, ValueError, "got 0.0"),
        (-1, ValueError, "got -1"),
    ],
)
def test_as_number_names_the_argument_what_was_given_and_what_is_expected(value, error, message):
    with pytest.raises(error, match=message):
        as_number(value, "sigma", low=0, low_open=True)


def test_as_number_ranges_are_written_as_intervals():
    with pytest.raises(ValueError, match=r"cutoff must be a finite number in \(0, 0.5\], got 0.6"):
        as_number(0.6, "cutoff", low=0, high=0.5, low_open=True)
    assert as_number(0.5, "cutoff", low=0, high=0.5, low_open=True) == 0.5
    with pytest.raises(ValueError, match=r"p must be a finite number < 1, got 1"):
        as_number(1, "p", high=1, high_open=True)


@pytest.mark.parametrize(
    "value, error", [(True, TypeError), (3.0, TypeError), ("3", TypeError), (None, TypeError),
                     (np.bool_(True), TypeError), (0, ValueError), (10, ValueError)]
)  # fmt: skip
def test_as_integer_refuses_bools_floats_and_out_of_range(value, error):
    with pytest.raises(error, match=r"digit must be an integer in \[1, 9\], got"):
        as_integer(value, "digit", low=1, high=9)


def test_as_integer_takes_numpy_integers():
    assert as_integer(np.uint8(7), "n", low=0) == 7 and type(as_integer(np.int64(7), "n")) is int


@pytest.mark.parametrize(
    "value, ndim, expected",
    [
        (3, 2, (3, 3)),
        ((2, 5), 2, (2, 5)),
        ([np.int64(4)], 1, (4,)),
        (np.array([2, 3]), None, (2, 3)),
    ],
)
def test_as_shape_takes_ints_and_sequences_of_ints(value, ndim, expected):
    assert as_shape(value, "shape", ndim=ndim) == expected


@pytest.mark.parametrize(
    "value, ndim, error, message",
    [
        ((3.5, 5), 2, TypeError, r"f_shape must be 2 positive integers, got \(3.5, 5\)"),
        ("ab", 2, TypeError, "f_shape must be 2 positive integers, got 'ab'"),
        ((True, 5), 2, TypeError, "got"),
        (None, 2, TypeError, "got None"),
        (5, None, TypeError, "f_shape must be a tuple of positive integers, got 5"),
        ((4,), 2, ValueError, r"f_shape must be 2 positive integers, got \(4,\)"),
        ((0, 3), 2, ValueError, r"got \(0, 3\)"),
    ],
)
def test_as_shape_refuses_what_is_not_a_shape(value, ndim, error, message):
    with pytest.raises(error, match=message):
        as_shape(value, "f_shape", ndim=ndim)


def test_check_choice():
    assert check_choice("mode", "same", ("full", "same")) == "same"
    with pytest.raises(ValueError, match="mode must be one of 'full', 'same'; got None"):
        check_choice("mode", None, ("full", "same"))


def test_numeric_arrays_refuse_tensors_with_grad_ragged_lists_and_timedeltas():
    with pytest.raises(TypeError, match=r"f is a tensor that requires grad; pass f.detach"):
        as_numeric_array(torch.ones(2, requires_grad=True), "f")
    with pytest.raises(ValueError, match="f must be a rectangular array, got a ragged"):
        as_numeric_array([[1, 2], [3]], "f")
    with pytest.raises(TypeError, match="f must be a real numeric array, got dtype timedelta64"):
        as_numeric_array(np.array([1, 2], "m8[s]"), "f")
    with pytest.raises(TypeError, match="got dtype object"):
        as_numeric_array([None, 1.0], "f")
    assert as_numeric_array(np.ones((2, 2, 2), np.int8), "f").dtype == np.int8


# --- the size guard ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, text",
    [
        (96, "96 bytes"),
        (12.5 * 2**10, "12.5 KiB"),
        (523.1 * 2**20, "523.1 MiB"),
        (2**31, "2.0 GiB"),
    ],
)
def test_format_bytes(size, text):
    assert format_bytes(size) == text


def test_check_memory_refuses_above_the_limit_with_the_size_and_a_suggestion():
    check_memory(MEMORY_LIMIT_BYTES, "a matrix", "use less")  # at the limit: allowed
    with pytest.raises(ValueError) as error:
        check_memory(3 * 2**30, "the sparse Toeplitz matrix", "use method='fft'")
    assert str(error.value) == (
        "the sparse Toeplitz matrix would need 3.0 GiB (limit 512 MiB); use method='fft'"
    )
    with pytest.raises(ValueError, match=r"would need 2.0 KiB \(limit 1 KiB\)"):
        check_memory(2048, "a kernel", "smaller", limit=1024)
    with pytest.raises(ValueError, match="would need"):
        check_memory(float("inf"), "a kernel", "smaller")

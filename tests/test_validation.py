import numpy as np
import pytest

from helpers.validation import as_real_array


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

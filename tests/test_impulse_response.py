"""Every linear shift-invariant operator is a convolution with its impulse response."""

import numpy as np
import pytest
import scipy.signal

from helpers.impulse_response import black_box, impulse_response


@pytest.mark.parametrize("shape", [(9, 9), (31, 17), (600, 512)])
def test_the_black_box_is_a_convolution_with_its_impulse_response(shape):
    rng = np.random.default_rng(1)
    f = rng.random(shape)
    h = impulse_response(black_box, (9, 9))
    expected = scipy.signal.convolve2d(f, h, mode="same", boundary="wrap")
    np.testing.assert_allclose(black_box(f), expected, atol=1e-12)


def test_the_black_box_is_linear_and_shift_invariant():
    rng = np.random.default_rng(2)
    x, y = rng.random((20, 24)), rng.random((20, 24))
    np.testing.assert_allclose(black_box(2 * x - 3 * y), 2 * black_box(x) - 3 * black_box(y))
    moved = np.roll(x, (5, -7), axis=(0, 1))
    np.testing.assert_allclose(black_box(moved), np.roll(black_box(x), (5, -7), axis=(0, 1)))


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="odd"):
        impulse_response(black_box, (8, 9))
    with pytest.raises(ValueError, match="2-D"):
        black_box(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="finite"):
        black_box(np.full((3, 3), np.nan))

"""The exercises of notebook 04: each reference against an independent oracle, and the typical
mistakes named in the notebook get their own hint (the catalogue in test_exercises.py checks
every mistake of every exercise)."""

import numpy as np
import pytest
import scipy.signal

from helpers.exercises import nb04
from helpers.fourier import circular_convolve, linear_period, mode_window, wraparound_mask


def test_wraparound_size_counts_where_circular_differs():
    rng = np.random.default_rng(2)
    for f_shape, g_shape in [((8, 8), (3, 3)), ((7, 9), (1, 5)), ((4, 6), (4, 6))]:
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        full = scipy.signal.convolve2d(f, g)
        differs = ~np.isclose(circular_convolve(f, g), full[: f_shape[0], : f_shape[1]])
        assert differs.sum() == nb04.wraparound_size_reference(f_shape, g_shape)
        assert wraparound_mask(f_shape, g_shape).sum() == differs.sum()


def exact(f, g, period, mode) -> bool:
    """Whether the circular convolution with this period, cropped to mode's window, is linear."""
    circular = circular_convolve(f, g, period)
    windows = [mode_window(n, k, mode) for n, k in zip(f.shape, g.shape, strict=True)]
    crop = circular[tuple(slice(s, s + m) for s, m in windows)]
    expected = scipy.signal.convolve2d(f, g, mode)
    return crop.shape == expected.shape and np.allclose(crop, expected, atol=1e-9)


def test_smallest_period_is_the_smallest_that_works():
    rng = np.random.default_rng(3)
    for case in nb04.smallest_period.cases():
        f_shape, g_shape, mode = case.args
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        period = nb04.smallest_period_reference(f_shape, g_shape, mode)
        assert period == linear_period(f_shape, g_shape, mode)
        assert exact(f, g, period, mode), case.description
        for axis in range(2):  # one less along either axis breaks it
            shorter = list(period)
            shorter[axis] -= 1
            if shorter[axis] >= max(f_shape[axis], g_shape[axis]):
                assert not exact(f, g, tuple(shorter), mode), (case.description, shorter)


def test_fft_same_reference_is_scipy_same():
    for case in nb04.fft_same.cases():
        f, g = case.args
        expected = scipy.signal.convolve2d(f, g, "same")
        np.testing.assert_allclose(nb04.fft_same_reference(f, g), expected, atol=1e-10)


def test_response_at_reference_is_the_dft_at_its_frequencies():
    rng = np.random.default_rng(4)
    g = rng.normal(size=(3, 5))
    spectrum = np.fft.fft2(g, (8, 10))
    for u_index, v_index in [(0, 0), (1, 0), (0, 3), (5, 7), (4, 5)]:
        h = nb04.response_at_reference(g, u_index / 8, v_index / 10)
        assert h == pytest.approx(
            (spectrum[u_index, v_index].real, spectrum[u_index, v_index].imag)
        )
    assert nb04.response_at_reference(g, 0, 0) == pytest.approx((g.sum(), 0.0))


@pytest.mark.parametrize(
    ("exercise", "wrong", "words"),
    [
        (
            nb04.smallest_period,
            lambda f, g, mode: tuple(n + k - 1 for n, k in zip(f, g, strict=True)),
            "'same' only",
        ),
        (nb04.fft_same, nb04._crop_start_k_over_2, "wrong centring"),
        (nb04.fft_same, nb04._circular_same, "no padding"),
        (nb04.response_at, lambda g, u, v: (float(np.sum(g)), 0.0), "H(0, 0) only"),
        (
            nb04.response_at,
            lambda g, u, v: nb04._response_with(g, u, v, transposed=True),
            "swapped",
        ),
    ],
)
def test_typical_mistakes_get_their_hint(exercise, wrong, words):
    report = exercise.check(wrong)
    assert report.attempted and not report.passed and words in report.message, report.message

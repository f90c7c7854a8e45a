"""The exercises of notebook 04: each reference against an independent oracle, and the typical
mistakes named in the notebook get their own hint (the catalogue in test_exercises.py checks
every mistake of every exercise)."""

import numpy as np
import pytest
import scipy.signal
from test_exercises_nb03 import assert_hints_are_exclusive

from helpers.exercises import Exercise, nb04
from helpers.fourier import circular_convolve, linear_period, wraparound_mask

EXERCISES = [value for value in vars(nb04).values() if isinstance(value, Exercise)]


def test_wraparound_size_counts_where_circular_differs():
    rng = np.random.default_rng(2)
    for f_shape, g_shape in [((8, 8), (3, 3)), ((7, 9), (1, 5)), ((4, 6), (4, 6))]:
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        full = scipy.signal.convolve2d(f, g)
        differs = ~np.isclose(circular_convolve(f, g), full[: f_shape[0], : f_shape[1]])
        assert differs.sum() == nb04.wraparound_size_reference(f_shape, g_shape)
        assert wraparound_mask(f_shape, g_shape).sum() == differs.sum()


def layer_output(f, g, padding):
    """What a layer padding ``padding`` zeros on each side outputs: scipy's 'valid' convolution
    of the padded image."""
    return scipy.signal.convolve2d(np.pad(f, [(p, p) for p in padding]), g, "valid")


def exact(f, g, period, padding) -> bool:
    """Whether the circular convolution with this period, cropped to the layer's window (it
    starts at k - 1 - p of the full result), is the layer's output."""
    expected = layer_output(f, g, padding)
    starts = [k - 1 - p for k, p in zip(g.shape, padding, strict=True)]
    circular = circular_convolve(f, g, period)
    crop = circular[tuple(slice(s, s + m) for s, m in zip(starts, expected.shape, strict=True))]
    return crop.shape == expected.shape and np.allclose(crop, expected, atol=1e-9)


def test_smallest_period_is_the_smallest_that_works():
    rng = np.random.default_rng(3)
    for case in nb04.smallest_period.cases():
        f_shape, g_shape, padding = case.args
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        period = nb04.smallest_period_reference(f_shape, g_shape, padding)
        assert exact(f, g, period, padding), case.description
        for axis in range(2):  # one less along either axis breaks it
            shorter = list(period)
            shorter[axis] -= 1
            if shorter[axis] >= max(f_shape[axis], g_shape[axis]):
                assert not exact(f, g, tuple(shorter), padding), (case.description, shorter)


def test_smallest_period_agrees_with_the_modes_rule_and_the_helper_cannot_answer_it():
    for mode, padding in [
        ("full", lambda k: k - 1),
        ("same", lambda k: k // 2),
        ("valid", lambda k: 0),
    ]:
        f_shape, g_shape = (12, 9), (5, 3)  # odd kernels: 'same' is padding (k - 1) / 2
        pads = tuple(padding(k) for k in g_shape)
        assert nb04.smallest_period_reference(f_shape, g_shape, pads) == linear_period(
            f_shape, g_shape, mode
        )
    for mode in ("full", "same", "valid"):  # calling the notebook's helper does not pass
        report = nb04.smallest_period.check(lambda f, g, p, mode=mode: linear_period(f, g, mode))
        assert not report.passed and "case 1 of" in report.message


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
            lambda f, g, padding: tuple(n + k - 1 for n, k in zip(f, g, strict=True)),
            "what 'full' needs",
        ),
        (nb04.fft_same, nb04._crop_start_k_over_2, "wrong centring"),
        (nb04.fft_same, nb04._circular_same, "no padding"),
        (nb04.response_at, lambda g, u, v: (float(np.sum(g)), 0.0), "H(0, 0) only"),
        (
            nb04.response_at,
            lambda g, u, v: nb04._response_with(g, u, v, transposed=True),
            "swapped",
        ),
        (
            nb04.response_at,
            lambda g, u, v: complex(*nb04.response_at_reference(g, u, v)),
            "not the complex number",
        ),
        (
            nb04.fft_same,
            lambda f, g: np.fft.irfft2(
                np.fft.rfft2(f, [n + k // 2 for n, k in zip(f.shape, g.shape, strict=True)])
                * np.fft.rfft2(g, [n + k // 2 for n, k in zip(f.shape, g.shape, strict=True)])
            )[(g.shape[0] - 1) // 2 :, (g.shape[1] - 1) // 2 :][: f.shape[0], : f.shape[1]],
            "irfft2 needs the period",
        ),
    ],
)
def test_typical_mistakes_get_their_hint(exercise, wrong, words):
    report = exercise.check(wrong)
    assert report.attempted and not report.passed and words in report.message, report.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.title)
def test_each_mistake_gets_its_own_hint_and_no_other(exercise):
    assert_hints_are_exclusive(exercise)


def test_right_answers_written_other_ways_pass():
    def response_by_fft(g, u, v):  # a DFT long enough to hold the frequency as a bin
        n = 40
        h = np.fft.fft2(g, (n, n))[round(u * n) % n, round(v * n) % n]
        return h.real, h.imag

    def fft_same_scipy(f, g):
        return scipy.signal.fftconvolve(f, g, "same")

    assert nb04.response_at.check(response_by_fft).passed
    assert nb04.fft_same.check(fft_same_scipy).passed
    assert nb04.smallest_period.check(lambda f, g, p: (f[0] + p[0], f[1] + p[1])).passed

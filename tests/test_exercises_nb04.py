"""The exercises of notebook 04: the references pass, typical mistakes get their hint."""

import numpy as np
import pytest

from helpers.exercises import nb04
from helpers.fourier import circular_convolve, linear_period, wraparound_mask


def test_references_agree_with_the_fourier_helpers():
    rng = np.random.default_rng(2)
    for f_shape, g_shape in [((8, 8), (3, 3)), ((7, 9), (1, 5)), ((4, 6), (4, 6))]:
        f, g = rng.normal(size=f_shape), rng.normal(size=g_shape)
        full = np.real(
            np.fft.ifft2(
                np.fft.fft2(f, linear_period(f_shape, g_shape))
                * np.fft.fft2(g, linear_period(f_shape, g_shape))
            )
        )
        differs = ~np.isclose(circular_convolve(f, g), full[: f_shape[0], : f_shape[1]])
        assert differs.sum() == nb04.wraparound_size_reference(f_shape, g_shape)
        assert wraparound_mask(f_shape, g_shape).sum() == differs.sum()
        assert nb04.linear_padding_reference(f_shape, g_shape) == linear_period(f_shape, g_shape)
        assert nb04.dc_gain_from_fft_reference(g) == pytest.approx(g.sum())


def test_wraparound_mistakes_get_their_hints():
    def added(f, g):
        return (g[0] - 1) * f[1] + (g[1] - 1) * f[0]

    def k_not_k_minus_1(f, g):
        return f[0] * f[1] - max(f[0] - g[0], 0) * max(f[1] - g[1], 0)

    def rows_only(f, g):
        return (g[0] - 1) * f[1]

    assert "counted twice" in nb04.wraparound_size.check(added).message
    assert "k - 1 samples, not k" in nb04.wraparound_size.check(k_not_k_minus_1).message
    assert "L-shaped" in nb04.wraparound_size.check(rows_only).message


def test_padding_mistakes_get_their_hints():
    cases = [
        (lambda f, g: (f[0] + g[0], f[1] + g[1]), "one too many"),
        (lambda f, g: (f[0] + g[0] // 2, f[1] + g[1] // 2), "half the kernel"),
        (lambda f, g: (2 * f[0], 2 * f[1]), "doubling"),
        (lambda f, g: tuple(f), "without padding"),
    ]
    for wrong, words in cases:
        report = nb04.linear_padding.check(wrong)
        assert report.attempted and not report.passed and words in report.message


def test_dc_gain_mistakes_get_their_hints():
    cases = [
        (lambda g: float(np.fft.fft2(g, norm="forward")[0, 0].real), "not normalized"),
        (lambda g: float(abs(np.fft.fft2(g)[0, 0])), "magnitude"),
        (lambda g: float(np.abs(np.fft.fft2(g)).max()), "largest |H|"),
        (lambda g: float(np.fft.fft2(g)[g.shape[0] // 2, g.shape[1] // 2].real), "centre"),
    ]
    for wrong, words in cases:
        report = nb04.dc_gain_from_fft.check(wrong)
        assert report.attempted and not report.passed and words in report.message, report.message

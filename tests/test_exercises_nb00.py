"""The example exercise of notebook 00: its reference against the FFT, its mistakes' hints."""

import numpy as np

from helpers.exercises import nb00


def test_reference_is_the_dft_at_zero_frequency():
    """Oracle: numpy's FFT at index (0, 0), the zero frequency."""
    for case in nb00.dc_gain.cases():
        (g,) = case.args
        assert abs(nb00.reference_dc_gain(g) - np.fft.fft2(g)[0, 0]) < 1e-12, case.description


def test_cases_are_the_same_at_every_check():
    first, second = nb00.dc_gain.cases(), nb00.dc_gain.cases()
    assert all(np.array_equal(a.args[0], b.args[0]) for a, b in zip(first, second, strict=True))


def test_right_answers_written_other_ways_pass():
    for right in (np.sum, lambda g: sum(sum(g)), lambda g: np.fft.fft2(g)[0, 0], lambda g: g.sum()):
        report = nb00.dc_gain.check(right)
        assert report.passed, report.message


def test_the_mean_gets_its_own_hint_at_the_first_case():
    report = nb00.dc_gain.check(lambda g: g.mean())
    assert "case 1 of 4" in report.message and "expected 1, got 0.111111" in report.message
    assert "Hint: your number is the average tap" in report.message
    assert report.message.count("Hint:") == 1

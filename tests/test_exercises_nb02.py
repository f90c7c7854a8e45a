"""The exercises of notebook 02: references are right, typical mistakes get their hint."""

import numpy as np
import pytest
import scipy.signal
import torch

from helpers.exercises import nb02

EXERCISES = [
    nb02.output_shape,
    nb02.convolve_full,
    nb02.convolve_same,
    nb02.normalize_sum,
    nb02.strided_output_size,
    nb02.sharpen_kernel,
    nb02.derivative_kernel,
    nb02.shift_kernel,
]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_solution_shows_reference_source(exercise):
    assert exercise.reference.__name__ in exercise.solution().data


# ----------------------------------------------------------------- references against oracles
def test_output_shape_reference_matches_scipy():
    for case in nb02.output_shape.cases():
        f_shape, g_shape, mode = case.args
        out = scipy.signal.convolve2d(np.ones(f_shape), np.ones(g_shape), mode=mode)
        assert nb02.reference_output_shape(f_shape, g_shape, mode) == out.shape, case


def test_convolve_full_reference_matches_scipy():
    for case in nb02.convolve_full.cases():
        f, g = case.args
        expected = scipy.signal.convolve2d(f, g, mode="full")
        np.testing.assert_allclose(nb02.reference_convolve_full(f, g), expected, atol=1e-12)


def test_convolve_same_reference_matches_scipy():
    cases = nb02.convolve_same.cases()
    assert any(n % 2 == 0 for case in cases for n in case.args[1].shape), "no even kernel"
    for case in cases:
        f, g = case.args
        expected = scipy.signal.convolve2d(f, g, mode="same")
        np.testing.assert_allclose(nb02.reference_convolve_same(f, g), expected, atol=1e-12)


def test_normalize_sum_reference():
    for case in nb02.normalize_sum.cases():
        (g,) = case.args
        out = nb02.reference_normalize_sum(g)
        if abs(g.sum()) <= 1e-3 * np.abs(g).sum():
            assert out is g or np.array_equal(out, g), case
        else:
            assert out.sum() == pytest.approx(1.0), case


def test_strided_output_size_reference_matches_torch():
    for case in nb02.strided_output_size.cases():
        n, k = case.args
        options = {"stride": 1, "padding": 0, "dilation": 1, **case.kwargs}
        out = torch.nn.functional.conv2d(
            torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), **options
        )
        assert nb02.reference_strided_output_size(n, k, **options) == out.shape[-1], case


# ----------------------------------------------------------------- typical mistakes and their hints
def fails_with(exercise, learner, words):
    report = exercise.check(learner)
    assert not report.passed and report.attempted, report.message
    assert "Hint:" in report.message, report.message
    assert words in report.message, report.message
    return report


def test_output_shape_mistakes():
    def full_plus(f_shape, g_shape, mode):
        if mode == "full":
            return (f_shape[0] + g_shape[0], f_shape[1] + g_shape[1])
        return nb02.reference_output_shape(f_shape, g_shape, mode)

    def valid_minus(f_shape, g_shape, mode):
        if mode == "valid":
            return (f_shape[0] - g_shape[0], f_shape[1] - g_shape[1])
        return nb02.reference_output_shape(f_shape, g_shape, mode)

    def valid_no_swap(f_shape, g_shape, mode):
        if mode == "valid":
            return (f_shape[0] - g_shape[0] + 1, f_shape[1] - g_shape[1] + 1)
        return nb02.reference_output_shape(f_shape, g_shape, mode)

    def transposed(f_shape, g_shape, mode):
        rows, cols = nb02.reference_output_shape(f_shape, g_shape, mode)
        return (cols, rows)

    def same_as_kernel(f_shape, g_shape, mode):
        if mode == "same":
            return tuple(g_shape)
        return nb02.reference_output_shape(f_shape, g_shape, mode)

    fails_with(nb02.output_shape, full_plus, "off by one in 'full' mode")
    fails_with(nb02.output_shape, valid_minus, "off by one in 'valid' mode")
    fails_with(nb02.output_shape, valid_no_swap, "scipy swaps the two")
    fails_with(nb02.output_shape, transposed, "transposed axes")
    fails_with(nb02.output_shape, same_as_kernel, "shape of the first array")


def learner_loops(f, g, flipped=True, transposed=False, extra=-1):
    """A learner's loop convolution with the usual slips: no flip, g[j, i], a wrong size."""
    h, w = g.shape
    out = np.zeros((f.shape[0] + h + extra, f.shape[1] + w + extra))
    padded = np.pad(f, ((h - 1, h), (w - 1, w)))  # zeros around f, so no bounds checks
    for y in range(out.shape[0]):
        for x in range(out.shape[1]):
            for i in range(h):
                for j in range(w):
                    weight = g[j, i] if transposed else g[i, j]
                    if flipped:  # convolution: f[y - i, x - j]
                        out[y, x] += weight * padded[y - i + h - 1, x - j + w - 1]
                    else:  # correlation: f[y - (h - 1) + i, x - (w - 1) + j]
                        out[y, x] += weight * padded[y + i, x + j]
    return out


def test_convolve_full_mistakes():
    ex = nb02.convolve_full
    assert ex.check(learner_loops).passed
    fails_with(ex, lambda f, g: learner_loops(f, g, flipped=False), "cross-correlation")
    fails_with(ex, lambda f, g: learner_loops(f, g, transposed=True), "transposed axes")
    fails_with(ex, lambda f, g: learner_loops(f, g, extra=0), "one row and column less")
    fails_with(ex, lambda f, g: learner_loops(f, g, extra=-2), "misses the last row")
    fails_with(ex, lambda f, g: scipy.signal.convolve2d(f, g, mode="valid"), "'valid' part")


def test_convolve_same_mistakes():
    def centred(f, g, top, left):
        full = nb02.reference_convolve_full(f, g)
        return full[top : top + f.shape[0], left : left + f.shape[1]]

    assert nb02.convolve_same.check(
        lambda f, g: centred(f, g, (g.shape[0] - 1) // 2, (g.shape[1] - 1) // 2)
    ).passed
    fails_with(
        nb02.convolve_same,
        lambda f, g: centred(f, g, g.shape[0] // 2, g.shape[1] // 2),
        "wrong 'same' centring for an even kernel",
    )
    report = nb02.convolve_same.check(lambda f, g: centred(f, g, g.shape[0] // 2, g.shape[1] // 2))
    assert "(2, 4)" in report.message or "(3, 2)" in report.message  # an even kernel fails first
    fails_with(nb02.convolve_same, nb02.reference_convolve_full, "returned the full output")
    fails_with(
        nb02.convolve_same,
        lambda f, g: scipy.signal.correlate2d(f, g, mode="same"),
        "cross-correlation",
    )
    fails_with(nb02.convolve_same, lambda f, g: centred(f, g, 0, 0), "upper-left corner")


def test_normalize_sum_mistakes():
    def only_exact_zero(g):
        return g if g.sum() == 0 else g / g.sum()

    def divides_anyway(g):
        return g / g.sum()

    with np.errstate(divide="ignore", invalid="ignore"):
        report = fails_with(nb02.normalize_sum, only_exact_zero, "not only when the sum is exactly")
        assert "near zero but not zero" in report.message
        fails_with(nb02.normalize_sum, divides_anyway, "(nearly) zero")
    fails_with(nb02.normalize_sum, lambda g: g / np.abs(g).sum(), "sum of absolute values")
    fails_with(nb02.normalize_sum, lambda g: g / np.linalg.norm(g), "L2 norm")


def test_strided_output_size_mistakes():
    ex = nb02.strided_output_size
    fails_with(
        ex,
        lambda n, k, stride=1, padding=0, dilation=1: (n + 2 * padding - k) // stride + 1,
        "dilation",
    )
    fails_with(
        ex,
        lambda n, k, stride=1, padding=0, dilation=1: (
            (n + padding - dilation * (k - 1) - 1) // stride + 1
        ),
        "both sides",
    )
    fails_with(
        ex,
        lambda n, k, stride=1, padding=0, dilation=1: (
            (n + 2 * padding - dilation * (k - 1) - 1) // stride
        ),
        "off by one",
    )
    fails_with(
        ex,
        lambda n, k, stride=1, padding=0, dilation=1: (
            (n + 2 * padding - dilation * (k - 1) - 1) / stride + 1
        ),
        "round down",
    )


# ----------------------------------------------------------------- design exercises
PHOTO = np.random.default_rng(5).random((40, 36))


def test_sharpen_reference_sums_to_one_and_adds_the_detail():
    for case in nb02.sharpen_kernel.cases():
        blur, amount = case.args
        g = nb02.reference_sharpen(blur, amount)
        assert g.sum() == pytest.approx(1.0, abs=1e-12)
        sharpened = scipy.signal.convolve2d(PHOTO, g, mode="same", boundary="wrap")
        blurred = scipy.signal.convolve2d(PHOTO, blur, mode="same", boundary="wrap")
        np.testing.assert_allclose(sharpened, PHOTO + amount * (PHOTO - blurred), atol=1e-12)
        assert sharpened.mean() == pytest.approx(PHOTO.mean(), abs=1e-12)


def test_derivative_reference_measures_the_slope_along_the_columns_under_correlation():
    rows, cols = np.mgrid[0:20, 0:30]
    for case in nb02.derivative_kernel.cases():
        (smoothing,) = case.args
        g = nb02.reference_derivative(smoothing)
        assert g.sum() == pytest.approx(0.0, abs=1e-12)
        for c, slope in [(0.0, 1.0), (5.0, -0.3)]:
            ramp = c + slope * cols + 0.7 * rows  # a slope down the rows must not count
            layer = torch.nn.functional.conv2d(
                torch.from_numpy(ramp)[None, None], torch.from_numpy(g)[None, None]
            )
            np.testing.assert_allclose(layer.numpy(), slope, atol=1e-12)


def test_shift_reference_moves_the_image_two_pixels_right():
    for case in nb02.shift_kernel.cases():
        size, operation = case.args
        g = nb02.reference_shift_kernel(size, operation)
        apply = scipy.signal.convolve2d if operation == "convolution" else scipy.signal.correlate2d
        moved = apply(PHOTO, g, mode="same")
        np.testing.assert_array_equal(moved[:, 2:], PHOTO[:, :-2])


def test_design_checkers_pass_other_right_answers():
    """Right answers written another way than the reference."""

    def sharpen(blur, amount):
        identity = np.pad([[1.0]], blur.shape[0] // 2)
        return (1 + amount) * identity - amount * blur

    def derivative(smoothing):
        return np.array([[-w / 2, 0.0, w / 2] for w in smoothing])

    def shift(size, operation):  # by trial: the single tap whose output is the moved image
        apply = scipy.signal.convolve2d if operation == "convolution" else scipy.signal.correlate2d
        for a in range(size):
            for b in range(size):
                g = np.zeros((size, size))
                g[a, b] = 1.0
                if np.array_equal(apply(PHOTO, g, mode="same")[:, 2:], PHOTO[:, :-2]):
                    return g
        raise AssertionError("no single tap moves the image")

    assert nb02.sharpen_kernel.check(sharpen).passed
    assert nb02.derivative_kernel.check(derivative).passed
    report = nb02.shift_kernel.check(shift)
    assert report.passed, report.message


@pytest.mark.parametrize(
    ("exercise", "wrong", "words"),
    [
        (nb02.sharpen_kernel, lambda blur, amount: np.eye(3), "case 1 of 5"),
        (nb02.sharpen_kernel, lambda blur, amount: blur, "it blurs more"),
        (nb02.derivative_kernel, lambda s: np.zeros((3, 3)), "case 1 of 4"),
        (nb02.shift_kernel, lambda size, operation: np.eye(size), "case 1 of 6"),
    ],
)
def test_design_checkers_fail_other_wrong_answers(exercise, wrong, words):
    report = exercise.check(wrong)
    assert not report.passed and report.attempted
    assert words in report.message

"""The exercises of notebook 02: references are right, typical mistakes get their hint."""

import warnings

import numpy as np
import pytest
import scipy.signal
import torch

from helpers.exercises import nb02

EXERCISES = [
    nb02.output_shape,
    nb02.correlate_full,
    nb02.correlate_same,
    nb02.normalize_sum,
    nb02.same_padding,
    nb02.sharpen_kernel,
    nb02.derivative_kernel,
    nb02.shift_kernel,
]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_solution_shows_reference_source(exercise):
    assert exercise.reference.__name__ in exercise.solution().data


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_each_mistake_gets_its_own_hint_alone(exercise):
    """At the first failing case a typical mistake is told its own hint, and no other."""
    for mistake in exercise.mistakes:
        report = exercise.check(mistake.wrong)
        assert f"Hint: {mistake.hint}" in report.message
        assert report.message.count("Hint:") == 1, report.message


# ----------------------------------------------------------------- references against oracles
def test_output_shape_reference_matches_scipy():
    for case in nb02.output_shape.cases():
        f_shape, g_shape, mode = case.args
        out = scipy.signal.convolve2d(np.ones(f_shape), np.ones(g_shape), mode=mode)
        assert nb02.reference_output_shape(f_shape, g_shape, mode) == out.shape, case


def test_output_shape_reference_refuses_mixed_shapes_as_scipy_does():
    with pytest.raises(ValueError):
        scipy.signal.convolve2d(np.ones((3, 8)), np.ones((9, 2)), mode="valid")
    with pytest.raises(ValueError, match="at least as large"):
        nb02.reference_output_shape((3, 8), (9, 2), "valid")


def test_correlate_full_reference_matches_scipy():
    for case in nb02.correlate_full.cases():
        f, g = case.args
        expected = scipy.signal.correlate2d(f, g, mode="full")
        np.testing.assert_allclose(nb02.reference_correlate_full(f, g), expected, atol=1e-12)


def test_correlate_same_reference_matches_scipy():
    cases = nb02.correlate_same.cases()
    assert any(n % 2 == 0 for case in cases for n in case.args[1].shape), "no even kernel"
    for case in cases:
        f, g = case.args
        expected = scipy.signal.correlate2d(f, g, mode="same")
        np.testing.assert_allclose(nb02.reference_correlate_same(f, g), expected, atol=1e-12)


def test_normalize_sum_reference():
    for case in nb02.normalize_sum.cases():
        (g,) = case.args
        out = nb02.reference_normalize_sum(g)
        if abs(g.sum()) <= 1e-3 * np.abs(g).sum():
            assert out is g or np.array_equal(out, g), case
        else:
            assert out.sum() == pytest.approx(1.0), case


def test_normalize_sum_cases_tell_a_relative_test_from_an_absolute_one():
    sums = [abs(case.args[0].sum()) for case in nb02.normalize_sum.cases()]
    sizes = [np.abs(case.args[0]).sum() for case in nb02.normalize_sum.cases()]
    divided = [s > 1e-3 * size for s, size in zip(sums, sizes, strict=True)]
    assert any(d and s <= 1e-3 for d, s in zip(divided, sums, strict=True))  # small, divided
    assert any(not d and s > 1e-3 for d, s in zip(divided, sums, strict=True))  # large, refused


def test_same_padding_reference_matches_torch():
    """Oracle: torch's padding='same' equals padding (before, after) by hand, then no padding."""
    image = torch.randn(1, 1, 11, 13, dtype=torch.float64)
    for case in nb02.same_padding.cases():
        (k,), dilation = case.args, case.kwargs.get("dilation", 1)
        before, after = nb02.reference_same_padding(k, dilation)
        w = torch.randn(1, 1, k, k, dtype=torch.float64)
        with warnings.catch_warnings(action="ignore"):  # torch warns about even kernels
            same = torch.nn.functional.conv2d(image, w, padding="same", dilation=dilation)
        padded = torch.nn.functional.pad(image, (before, after, before, after))
        by_hand = torch.nn.functional.conv2d(padded, w, dilation=dilation)
        assert by_hand.shape == same.shape == image.shape, case
        assert torch.allclose(by_hand, same), case


# ----------------------------------------------------------------- typical mistakes and their hints
def fails_with(exercise, learner, words):
    report = exercise.check(learner)
    assert not report.passed and report.attempted, report.message
    assert "Hint:" in report.message, report.message
    assert words in report.message, report.message
    return report


def test_output_shape_mistakes():
    def valid_clamped(f_shape, g_shape, mode):
        if mode == "valid":
            return tuple(max(0, a - b + 1) for a, b in zip(f_shape, g_shape, strict=True))
        return nb02.reference_output_shape(f_shape, g_shape, mode)

    def transposed(f_shape, g_shape, mode):
        rows, cols = nb02.reference_output_shape(f_shape, g_shape, mode)
        return (cols, rows)

    fails_with(nb02.output_shape, valid_clamped, "empty for a kernel larger")
    fails_with(nb02.output_shape, transposed, "rows and columns swapped")


def learner_loops(f, g, flipped=False, transposed=False, extra=-1):
    """A learner's loop correlation with the usual slips: a flip, g[b, a], a wrong size."""
    h, w = g.shape
    out = np.zeros((f.shape[0] + h + extra, f.shape[1] + w + extra))
    padded = np.pad(f, ((h - 1, h), (w - 1, w)))  # zeros around f, so no bounds checks
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            for a in range(h):
                for b in range(w):
                    weight = g[b, a] if transposed else g[a, b]
                    if flipped:  # convolution: f[i - a, j - b]
                        out[i, j] += weight * padded[i - a + h - 1, j - b + w - 1]
                    else:  # correlation: f[i + a - (h - 1), j + b - (w - 1)]
                        out[i, j] += weight * padded[i + a, j + b]
    return out


def test_correlate_full_mistakes():
    ex = nb02.correlate_full
    assert ex.check(learner_loops).passed
    fails_with(ex, lambda f, g: learner_loops(f, g, flipped=True), "convolution of f with g")
    report = ex.check(lambda f, g: learner_loops(f, g, transposed=True))
    assert not report.passed  # a square kernel first: a learner's g[b, a] fails on values
    fails_with(ex, lambda f, g: learner_loops(f, g, extra=0), "one row and one column too many")
    fails_with(ex, lambda f, g: learner_loops(f, g, extra=-2), "misses the last row")
    fails_with(ex, lambda f, g: scipy.signal.correlate2d(f, g, mode="valid"), "'valid' part")


def test_correlate_same_mistakes():
    def placed(f, g, top, left):
        full = nb02.reference_correlate_full(f, g)
        return full[top : top + f.shape[0], left : left + f.shape[1]]

    ex = nb02.correlate_same
    assert ex.check(lambda f, g: placed(f, g, g.shape[0] // 2, g.shape[1] // 2)).passed
    report = fails_with(
        ex,
        lambda f, g: placed(f, g, (g.shape[0] - 1) // 2, (g.shape[1] - 1) // 2),
        "where convolve2d starts",
    )
    assert "(2, 4)" in report.message or "(3, 2)" in report.message  # an even kernel fails first
    fails_with(ex, lambda f, g: placed(f, g, 0, 0), "upper-left corner")


def test_normalize_sum_mistakes():
    def only_exact_zero(g):
        return g if g.sum() == 0 else g / g.sum()

    with np.errstate(divide="ignore", invalid="ignore"):
        report = fails_with(nb02.normalize_sum, only_exact_zero, "not only an exact zero")
        assert "near zero but not zero" in report.message
    fails_with(nb02.normalize_sum, lambda g: g / np.abs(g).sum(), "sum of absolute values")
    fails_with(nb02.normalize_sum, lambda g: g / np.linalg.norm(g), "L2 norm")
    absolute = fails_with(
        nb02.normalize_sum, lambda g: g if abs(g.sum()) < 1e-3 else g / g.sum(), "fixed number"
    )
    assert "box of 1e-4" in absolute.message


def test_same_padding_mistakes():
    ex = nb02.same_padding
    fails_with(ex, lambda k, dilation=1: ((k - 1) // 2, k // 2), "without its holes")
    fails_with(ex, lambda k, dilation=1: (k // 2, k // 2), "n + 1 pixels")


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
        parabola = torch.from_numpy((cols**2 + 0.0)[None, None])  # f = j squared: slope 2 j
        layer = torch.nn.functional.conv2d(parabola, torch.from_numpy(g)[None, None])
        np.testing.assert_allclose(layer.numpy()[0, 0], 2.0 * cols[1:-1, 1:-1], atol=1e-12)


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
        (nb02.sharpen_kernel, lambda blur, amount: blur, "blurs more"),
        (nb02.derivative_kernel, lambda s: np.zeros((3, 3)), "case 1 of 4"),
        (nb02.shift_kernel, lambda size, operation: np.eye(size), "case 1 of 6"),
    ],
)
def test_design_checkers_fail_other_wrong_answers(exercise, wrong, words):
    report = exercise.check(wrong)
    assert not report.passed and report.attempted
    assert words in report.message

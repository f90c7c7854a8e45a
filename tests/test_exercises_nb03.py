"""The exercises of notebook 03: the references pass, typical mistakes get their hint."""

import numpy as np

from helpers.exercises import nb03


def test_toeplitz_1d_reference_matches_numpy_convolve():
    rng = np.random.default_rng(0)
    g, f = rng.normal(size=4), rng.normal(size=7)
    np.testing.assert_allclose(nb03.toeplitz_1d_reference(g, 7) @ f, np.convolve(f, g))


def test_toeplitz_1d_mistakes_get_their_hints():
    def transposed(g, n):
        return nb03.toeplitz_1d_reference(g, n).T

    def correlation(g, n):
        return nb03.toeplitz_1d_reference(np.asarray(g)[::-1], n)

    def square(g, n):
        return nb03.toeplitz_1d_reference(g, n)[:n]

    for wrong, words in [(transposed, "transpose"), (correlation, "reversed"), (square, "square")]:
        report = nb03.toeplitz_1d.check(wrong)
        assert report.attempted and not report.passed
        assert words in report.message


def test_toeplitz_shape_reference_is_the_shape_of_the_built_matrix():
    from helpers.convolution import toeplitz_matrix

    for case in nb03.toeplitz_shape.cases():
        f_shape, g_shape, mode = case.args
        built = toeplitz_matrix(np.ones(g_shape), f_shape, mode=mode, sparse=True).shape
        assert tuple(nb03.toeplitz_shape_reference(f_shape, g_shape, mode)) == built, case.label


def test_toeplitz_shape_mistakes_get_their_hints():
    def swapped(f, g, mode):
        return nb03.toeplitz_shape_reference(f, g, mode)[::-1]

    def always_full(f, g, mode):
        return nb03.toeplitz_shape_reference(f, g, "full")

    assert "swapped" in nb03.toeplitz_shape.check(swapped).message
    assert "depends on the mode" in nb03.toeplitz_shape.check(always_full).message


def test_toeplitz_nonzeros_reference_counts_the_sparse_matrix():
    from helpers.convolution import toeplitz_matrix

    rng = np.random.default_rng(1)
    for mode in ("full", "valid"):
        f_shape, g = (9, 7), rng.uniform(1, 2, size=(3, 2))  # no zero taps
        T = toeplitz_matrix(g, f_shape, mode=mode)
        assert np.count_nonzero(T) == nb03.toeplitz_nonzeros_reference(f_shape, g.shape, mode)


def test_toeplitz_nonzeros_mistakes_get_their_hints():
    def dense(f, g, mode):
        rows, columns = nb03.toeplitz_shape_reference(f, g, mode)
        return rows * columns

    def full_for_valid(f, g, mode):
        return nb03.toeplitz_nonzeros_reference(f, g, "full")

    def per_output(f, g, mode):
        return nb03.toeplitz_shape_reference(f, g, mode)[0] * g[0] * g[1]

    assert "dense matrix" in nb03.toeplitz_nonzeros.check(dense).message
    assert "each *output* pixel" in nb03.toeplitz_nonzeros.check(full_for_valid).message
    assert "every input pixel meets" in nb03.toeplitz_nonzeros.check(per_output).message


def test_a_crashing_answer_is_reported_in_words():
    def broken(g, n):
        return np.zeros((n, n)) @ np.zeros(n + 1)

    report = nb03.toeplitz_1d.check(broken)
    assert report.attempted and not report.passed and "raised" in report.message

"""Regression tests of issue 14: every bad input gets a right answer or a clear error.

One test (or one parametrized case) per row of the issue, in the issue's order, module by
module. A right answer is checked against an independent oracle; a refusal must be a
ValueError or TypeError whose message names the argument.
"""

import gzip
import math
import struct
import time
from datetime import timedelta

import numpy as np
import pytest
import scipy.signal

from helpers import (
    convolution,
    digits,
    fourier,
    homomorphic,
    kernels,
    memory,
    output_normalization,
    photo,
    signals,
    timing,
    validation,
    whitening,
)

# --- whitening -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.1, 0.3, 1 / 3, 7.7, -2.5, 1e-300, 1e300])
@pytest.mark.parametrize("shape", [(4, 4), (28, 28), (3, 28, 28)])
@pytest.mark.parametrize("eps", [0.0, 1e-8])
def test_standardize_constant_image_gives_zeros(value, shape, eps):
    result = whitening.standardize(np.full(shape, value), eps=eps)
    assert result.shape == shape
    np.testing.assert_array_equal(result, 0.0)


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1.0, 1e150, 1e300])
def test_standardize_is_right_at_any_magnitude(scale):
    image = np.array([[1.0, 2.0], [3.0, 4.0]])
    expected = (image - 2.5) / np.std(image)
    np.testing.assert_allclose(whitening.standardize(image * scale, eps=0), expected, rtol=1e-12)


@pytest.mark.parametrize("per", ["dataset", "pixel"])
@pytest.mark.parametrize("eps", [0.0, 1e-8])
def test_fit_standardization_on_constant_images_only_centres(per, eps):
    train = np.full((5, 6, 6), 0.1)
    scaler = whitening.fit_standardization(train, per=per, eps=eps)
    np.testing.assert_array_equal(scaler(train), 0.0)
    test = np.full((2, 6, 6), 0.3)
    np.testing.assert_allclose(scaler(test), 0.2, rtol=1e-12)  # centred, divided by 1


def test_fit_standardization_per_pixel_with_constant_border_pixels():
    rng = np.random.default_rng(0)
    train = np.zeros((20, 6, 6))
    train[:, 1:-1, 1:-1] = rng.uniform(size=(20, 4, 4))  # the border is 0 in every image
    scaler = whitening.fit_standardization(train, per="pixel", eps=0)
    result = scaler(train)
    assert np.isfinite(result).all()
    np.testing.assert_array_equal(result[:, 0, :], 0.0)
    inner = result[:, 1:-1, 1:-1]
    np.testing.assert_allclose(inner.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(inner.std(axis=0), 1, rtol=1e-12)


@pytest.mark.parametrize(
    "eps, error",
    [
        (np.nan, ValueError),
        (np.inf, ValueError),
        (-1.0, ValueError),
        ("1", TypeError),
        (True, TypeError),
        (None, TypeError),
    ],
)
@pytest.mark.parametrize(
    "call",
    [
        lambda eps: whitening.standardize(np.ones((3, 3)), eps=eps),
        lambda eps: whitening.fit_standardization(np.ones((2, 3, 3)), eps=eps),
        lambda eps: whitening.fit_standardization(np.ones((2, 3, 3)), per="pixel", eps=eps),
        lambda eps: whitening.fit_whitening(np.eye(4), eps=eps),
    ],
)
def test_bad_eps_is_refused_by_name(call, eps, error):
    with pytest.raises(error, match=r"eps must be a finite number >= 0, got"):
        call(eps)


def test_fit_whitening_of_huge_patches_is_a_clear_error_without_lapack_noise(capfd):
    patches = np.random.default_rng(0).normal(size=(50, 9)) * 1e200
    with pytest.raises(ValueError, match=r"patches.*overflow"):
        whitening.fit_whitening(patches)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    "patch_shape, error",
    [((-2, -3), ValueError), ((2, 3, 1), ValueError), ((2.0, 3.0), TypeError), ("23", TypeError)],
)
def test_fit_whitening_refuses_a_bad_patch_shape(patch_shape, error):
    patches = np.random.default_rng(0).normal(size=(50, 6))
    with pytest.raises(error, match="patch_shape must be"):
        whitening.fit_whitening(patches, patch_shape=patch_shape)


# --- digits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("digit", [True, False, 3.0, np.float64(3), "3", None])
def test_render_glyph_refuses_a_digit_that_is_not_an_integer(digit):
    with pytest.raises(TypeError, match=r"digit must be an integer in \[0, 9\], got"):
        digits.render_glyph("cmr10", digit)


def test_render_glyph_accepts_numpy_integers():
    assert np.array_equal(
        digits.render_glyph("cmr10", np.int64(3)), digits.render_glyph("cmr10", 3)
    )


@pytest.mark.parametrize(
    "font, glyph",
    [
        ("cmex10", "parenlefttp"),
        ("cmsy10", "prime"),
        ("LastResortHE-Regular", "lastresortlatin"),
        ("cmmi10", "zerooldstyle"),
    ],
)
def test_fonts_without_proper_digits_are_refused(font, glyph):
    with pytest.raises(ValueError, match=f"font {font!r} has no proper digit 0.*{glyph}"):
        digits.render_glyph(font, 0)
    with pytest.raises(ValueError, match=f"font {font!r} has no proper digit"):
        digits.make_digits(10, (font,))


@pytest.mark.parametrize("n, error", [(True, TypeError), (2.0, TypeError), (-1, ValueError)])
def test_make_digits_refuses_a_bool_or_float_count(n, error):
    with pytest.raises(error, match=r"n must be an integer >= 0, got"):
        digits.make_digits(n)


def test_make_digits_refuses_a_single_font_name_given_as_a_string():
    with pytest.raises(TypeError, match=r"fonts must be a sequence of font names.*\('cmr10',\)"):
        digits.make_digits(10, fonts="cmr10")


@pytest.mark.parametrize("per_class, error", [(-1, ValueError), (0, ValueError), (2.0, TypeError)])
def test_sample_grid_refuses_a_bad_per_class(per_class, error):
    images, labels = digits.make_digits(20)
    with pytest.raises(error, match="per_class must be an integer >= 1, got"):
        digits.sample_grid(images, labels, per_class)


def write_idx(path, array, code=0x08, shape=None):
    """An independent IDX writer (magic, big-endian sizes, big-endian data)."""
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    shape = array.shape if shape is None else shape
    payload = struct.pack(">BBBB", 0, 0, code, len(shape)) + struct.pack(f">{len(shape)}I", *shape)
    payload += np.asarray(array, dtype=dtype).tobytes()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as file:
        file.write(payload)


def mnist_directory(tmp_path, images, labels, image_code=0x08, label_code=0x08):
    for prefix in ("train", "t10k"):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", images, image_code)
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte", labels, label_code)
    return tmp_path


@pytest.mark.parametrize("code", [0x09, 0x0B, 0x0C, 0x0D, 0x0E])
def test_load_mnist_refuses_images_that_are_not_unsigned_bytes(tmp_path, code):
    images = np.full((2, 28, 28), 100 if code != 0x09 else -3)
    mnist_directory(tmp_path, images, np.array([1, 2]), image_code=code)
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte holds .* images; .*0x08"):
        digits.load_mnist(tmp_path)


@pytest.mark.parametrize(
    "labels, code, match",
    [
        (np.array([1.7, 2.0]), 0x0D, "labels must be integers from 0 to 9, got float32 labels"),
        (np.array([1, 12]), 0x08, "labels must be integers from 0 to 9, got 12"),
        (np.array([1, -1]), 0x09, "labels must be integers from 0 to 9, got -1"),
    ],
)
def test_load_mnist_refuses_labels_that_are_not_digits(tmp_path, labels, code, match):
    mnist_directory(tmp_path, np.zeros((2, 28, 28)), labels, label_code=code)
    with pytest.raises(ValueError, match=match):
        digits.load_mnist(tmp_path)


def test_load_mnist_images_are_float32_in_unit_range(tmp_path):
    mnist_directory(tmp_path, np.full((2, 28, 28), 255), np.array([0, 9]))
    (x_train, y_train), _ = digits.load_mnist(tmp_path)
    assert x_train.dtype == np.float32 and x_train.min() == 1.0 and x_train.max() == 1.0


def test_read_idx_of_corrupt_or_truncated_gzip_names_the_path(tmp_path):
    corrupt = tmp_path / "corrupt-idx1-ubyte.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00" + bytes(30))
    with pytest.raises(ValueError, match=r"corrupt-idx1-ubyte\.gz .*gzip"):
        digits.read_idx(corrupt)
    not_gzip = tmp_path / "plain-idx1-ubyte.gz"
    not_gzip.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 1, 7]))
    with pytest.raises(ValueError, match=r"plain-idx1-ubyte\.gz .*gzip"):
        digits.read_idx(not_gzip)
    truncated = tmp_path / "truncated-idx1-ubyte.gz"
    write_idx(truncated, np.arange(100))
    truncated.write_bytes(truncated.read_bytes()[:-8])
    with pytest.raises(ValueError, match=r"truncated-idx1-ubyte\.gz .*gzip"):
        digits.read_idx(truncated)


def test_read_idx_with_a_header_whose_sizes_overflow_names_the_path(tmp_path):
    path = tmp_path / "huge-idx3-ubyte"
    write_idx(path, np.zeros(8), shape=(2**32 - 1, 2**32 - 1, 2**32 - 1))
    with pytest.raises(ValueError, match=rf"{path.name} holds 8 data bytes, expected \d{{20,}}"):
        digits.read_idx(path)


# --- output normalization --------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 1.0, 1e160, 1e200, 1e300])
def test_l2_and_l1_normalize_are_right_at_any_magnitude(scale):
    x = np.array([[1.0, 1.0], [3.0, -4.0]]) * scale
    np.testing.assert_allclose(
        output_normalization.l2_normalize(x, eps=1e-320), [[0.5**0.5] * 2, [0.6, -0.8]], rtol=1e-15
    )
    np.testing.assert_allclose(
        output_normalization.l1_normalize(x, eps=1e-320), [[0.5, 0.5], [3 / 7, -4 / 7]], rtol=1e-15
    )
    np.testing.assert_allclose(output_normalization.l2_normalize([1e200, 1e200]), [0.5**0.5] * 2)


def test_l2_normalize_of_many_huge_entries():
    x = np.full(1000, 1e306)
    np.testing.assert_allclose(output_normalization.l2_normalize(x), np.full(1000, 1000**-0.5))
    np.testing.assert_allclose(output_normalization.l1_normalize(x), np.full(1000, 1e-3))


@pytest.mark.parametrize(
    "function", [output_normalization.l1_normalize, output_normalization.l2_normalize]
)
@pytest.mark.parametrize(
    "eps, error",
    [
        (0.0, ValueError),
        (np.nan, ValueError),
        (-1.0, ValueError),
        (np.inf, ValueError),
        ("1", TypeError),
        (True, TypeError),
    ],
)
def test_normalize_refuses_a_bad_eps(function, eps, error):
    with pytest.raises(error, match=r"eps must be a finite number > 0, got"):
        function(np.zeros(3), eps=eps)


# --- kernels ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sigma", [1e-320, 1e-160, 1e-20])
def test_gaussian_narrower_than_a_pixel_is_the_identity(sigma):
    np.testing.assert_array_equal(kernels.gaussian(5, sigma), kernels.identity(5))


@pytest.mark.parametrize("sigma", [1e20, 1e154, 1e200, 1e308])
def test_gaussian_wider_than_the_kernel_is_the_box(sigma):
    np.testing.assert_allclose(kernels.gaussian(3, sigma), kernels.box(3), rtol=1e-15)


def test_sampled_gaussian_whose_density_overflows_is_refused():
    with pytest.raises(ValueError, match="sigma .* normalize=True"):
        kernels.gaussian(3, 1e-160, normalize=False)
    assert np.isfinite(kernels.gaussian(3, 1e200, normalize=False)).all()


@pytest.mark.parametrize("sigma", ["1", True, None, timedelta(seconds=1)])
def test_gaussian_refuses_a_sigma_that_is_not_a_number(sigma):
    with pytest.raises(TypeError, match="sigma must be a finite number > 0, got"):
        kernels.gaussian(3, sigma)


@pytest.mark.parametrize("shape", [8.0, (8.0, 8.0), "ab", None, (8, True)])
def test_frequency_response_refuses_a_shape_that_is_not_integers(shape):
    with pytest.raises(TypeError, match="shape must be"):
        kernels.frequency_response(np.ones((3, 3)), shape)


# --- homomorphic -----------------------------------------------------------------------------


def test_homomorphic_filter_whose_result_overflows_is_refused():
    image = np.random.default_rng(0).uniform(0, 1, size=(40, 50))
    with pytest.raises(ValueError, match="gamma_high"):
        homomorphic.homomorphic_filter(image, gamma_high=1000)


@pytest.mark.parametrize(
    "kwargs", [{"cutoff": "0.1"}, {"gamma_low": "1"}, {"gamma_high": True}, {"eps": "1e-3"}]
)
def test_homomorphic_filter_refuses_parameters_that_are_not_numbers(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(TypeError, match=f"{name} must be a finite number"):
        homomorphic.homomorphic_filter(np.ones((8, 8)), **kwargs)


def test_high_emphasis_kernel_for_a_tiny_cutoff_is_refused_before_it_is_built():
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"\(12735x12735\) would need .*GiB.*max_size"):
        homomorphic.high_emphasis_kernel(1e-4, 0.5, 1.5)
    assert time.perf_counter() - start < 0.5
    assert homomorphic.high_emphasis_kernel(1e-4, 0.5, 1.5, max_size=31).shape == (31, 31)


# --- convolution -----------------------------------------------------------------------------

G = np.ones((3, 3))


@pytest.mark.parametrize(
    "f_shape, error",
    [
        ((3.5, 5), TypeError),
        ("ab", TypeError),
        ((3, 5.0), TypeError),
        ((True, 5), TypeError),
        ((0, 5), ValueError),
        ((3,), ValueError),
        (None, TypeError),
    ],
)
def test_toeplitz_matrix_refuses_a_shape_that_is_not_positive_integers(f_shape, error):
    with pytest.raises(error, match="f_shape must be"):
        convolution.toeplitz_matrix(G, f_shape)


@pytest.mark.parametrize(
    "args, expected",
    [((5, 5), 1), ((7, 3, 2), 3), ((4, 3, 1, 1), 4), ((2, 3, 1, 0, 1), 0)],
)
def test_layer_output_size_against_torch(args, expected):
    import torch

    n, k, *rest = args
    stride, padding, dilation = rest + [1, 0, 1][len(rest) :]
    if expected > 0:
        layer = torch.nn.Conv1d(1, 1, k, stride, padding, dilation)
        assert layer(torch.zeros(1, 1, n)).shape[-1] == expected
    if expected < 1:
        with pytest.raises(ValueError, match="does not fit"):
            convolution.layer_output_size(*args)
    else:
        assert convolution.layer_output_size(*args) == expected


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n": 2, "k": 5}, ValueError, "does not fit"),
        ({"n": 5, "k": 0}, ValueError, r"k must be an integer >= 1, got 0"),
        ({"n": 5, "k": 3, "stride": 0}, ValueError, r"stride must be an integer >= 1, got 0"),
        ({"n": 0, "k": 1}, ValueError, r"n must be an integer >= 1, got 0"),
        ({"n": 5, "k": 3, "padding": -1}, ValueError, r"padding must be an integer >= 0"),
        ({"n": 5, "k": 3, "dilation": 0}, ValueError, r"dilation must be an integer >= 1"),
        ({"n": 5.0, "k": 3}, TypeError, r"n must be an integer >= 1, got 5.0"),
        ({"n": 5, "k": True}, TypeError, r"k must be an integer >= 1, got True"),
    ],
)
def test_layer_output_size_refuses_bad_sizes(kwargs, error, match):
    with pytest.raises(error, match=match):
        convolution.layer_output_size(**kwargs)


@pytest.mark.parametrize(
    "g_shape, error",
    [((2.5, 2), TypeError), ("ab", TypeError), ((0, 2), ValueError), ((True, 2), TypeError)],
)
def test_im2col_refuses_a_shape_that_is_not_positive_integers(g_shape, error):
    with pytest.raises(error, match="g_shape must be"):
        convolution.im2col(np.ones((4, 4)), g_shape)


@pytest.mark.parametrize("function", [convolution.convolve, convolution.correlate])
def test_convolve_refuses_a_tensor_that_requires_grad_and_a_ragged_list(function):
    import torch

    with pytest.raises(TypeError, match=r"f is a tensor that requires grad.*detach"):
        function(torch.ones(3, 3, requires_grad=True), G)
    with pytest.raises(TypeError, match=r"g is a tensor that requires grad"):
        function(np.ones((3, 3)), torch.ones(2, 2, requires_grad=True))
    with pytest.raises(ValueError, match=r"f must be a rectangular array.*ragged"):
        function([[1, 2, 3], [4, 5]], G)
    np.testing.assert_array_equal(function(torch.ones(3, 3), G), function(np.ones((3, 3)), G))


def test_sparse_toeplitz_too_large_is_refused_before_it_is_built():
    photo_shaped = np.zeros((600, 512))
    start = time.perf_counter()
    with pytest.raises(
        ValueError,
        match=r"sparse Toeplitz matrix \(\d+ stored entries\) would need 3(\.\d)? GiB .*'fft'",
    ):
        convolution.convolve(photo_shaped, kernels.gaussian(15, 3.0), "same", method="toeplitz")
    with pytest.raises(ValueError, match=r"sparse Toeplitz matrix .* would need"):
        convolution.toeplitz_matrix(kernels.gaussian(15, 3.0), (600, 512), "same", sparse=True)
    assert time.perf_counter() - start < 1.0


def test_im2col_too_large_is_refused_before_it_is_built():
    start = time.perf_counter()
    with pytest.raises(
        ValueError, match=r"im2col patch matrix \(1040400 x 441\) would need 3\.4 GiB"
    ):
        convolution.convolve(np.zeros((1000, 1000)), np.ones((21, 21)), method="im2col")
    with pytest.raises(ValueError, match=r"im2col patch matrix .* would need"):
        convolution.im2col(np.zeros((1000, 1000)), (21, 21))
    assert time.perf_counter() - start < 1.0


def test_size_guard_estimates_match_what_is_built(monkeypatch):
    """With a limit of 0 bytes every guard refuses, saying what it counted: exactly what
    the matrix holds (the stored entries of the sparse matrix, the shape of im2col's)."""

    def refusal(call) -> str:
        with monkeypatch.context() as patch:
            patch.setattr(validation, "MEMORY_LIMIT_BYTES", 0)
            with pytest.raises(ValueError, match="would need") as error:
                call()
        return str(error.value)

    rng = np.random.default_rng(0)
    for f_shape, g_shape, mode in [
        ((7, 9), (3, 4), "full"),
        ((7, 9), (3, 4), "same"),
        ((7, 9), (3, 4), "valid"),
        ((2, 3), (5, 5), "valid"),
    ]:
        g = rng.normal(size=g_shape) + 2
        nnz = convolution.toeplitz_matrix(g, f_shape, mode, sparse=True).nnz
        message = refusal(lambda: convolution.toeplitz_matrix(g, f_shape, mode, sparse=True))  # noqa: B023
        assert f"({nnz} stored entries)" in message
    patches = convolution.im2col(np.zeros((9, 8)), (3, 2))
    message = refusal(lambda: convolution.im2col(np.zeros((9, 8)), (3, 2)))
    assert f"({patches.shape[0]} x {patches.shape[1]})" in message


def test_one_d_correlate_docstring_says_what_boundary_does():
    rng = np.random.default_rng(0)
    f, g = rng.normal(size=9), rng.normal(size=4)  # an even g: the centring differs
    for boundary in ("fill", "wrap", "symm"):
        got = convolution.correlate(f, g, "same", boundary=boundary)
        as_stated = convolution.convolve(f, g[::-1], "same", boundary=boundary)
        np.testing.assert_allclose(got, as_stated, atol=1e-12)
        two_d = scipy.signal.correlate2d(f[None], g[None], "same", boundary=boundary)[0]
        assert not np.allclose(got, two_d)
    np.testing.assert_allclose(
        convolution.correlate(f, g, "same"), scipy.signal.correlate(f, g, "same"), atol=1e-12
    )
    doc = " ".join(convolution.__doc__.split())
    assert "correlate(f, g, mode, boundary=b) equals convolve(f, g[::-1], mode, boundary=b)" in doc
    assert "not correlate2d" in doc


# --- fourier ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "f_shape, g_shape, error",
    [
        ((3, 3), (0, 1), ValueError),
        ((3, 3), (-1, 1), ValueError),
        ((3, 3), (1.5, 1), TypeError),
        ((3, 3.0), (1, 1), TypeError),
        ("ab", (1, 1), TypeError),
    ],
)
def test_wraparound_mask_refuses_shapes_that_are_not_positive_integers(f_shape, g_shape, error):
    with pytest.raises(error, match="_shape must be"):
        fourier.wraparound_mask(f_shape, g_shape)


def test_wraparound_mask_of_a_one_row_kernel_marks_only_columns():
    mask = fourier.wraparound_mask((3, 3), (1, 2))
    np.testing.assert_array_equal(mask, [[True, False, False]] * 3)


# --- memory ----------------------------------------------------------------------------------


def test_largest_side_within_a_huge_budget_does_not_overflow():
    n = memory.largest_side_within_budget(1e40, (3, 3))
    assert (n + 2) ** 2 * n**2 * 8 <= 1e40 < (n + 3) ** 2 * (n + 1) ** 2 * 8  # exact integers
    assert memory.dense_toeplitz_bytes((10**6, 10**6), (3, 3)) == (10**6 + 2) ** 2 * 10**12 * 8


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"itemsize": 0}, ValueError, r"itemsize must be an integer >= 1, got 0"),
        ({"itemsize": 8.0}, TypeError, r"itemsize must be an integer"),
        ({"budget": np.nan}, ValueError, r"budget must be a finite number >= 0"),
        ({"budget": np.inf}, ValueError, r"budget must be a finite number >= 0"),
        ({"budget": "1e9"}, TypeError, r"budget must be a finite number >= 0"),
        ({"g_shape": (3, 0)}, ValueError, r"g_shape must be"),
    ],
)
def test_largest_side_within_budget_refuses_bad_arguments_quickly(kwargs, error, match):
    arguments = {"budget": 2**20, "g_shape": (3, 3)} | kwargs
    start = time.perf_counter()
    with pytest.raises(error, match=match):
        memory.largest_side_within_budget(**arguments)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    "sizes, values, match",
    [
        ([2, 2, 2], [1, 2, 3], "at least two different sizes"),
        ([1, np.nan, 3], [1, 2, 3], "finite"),
        ([1, 2, 3], [1, np.inf, 3], "finite"),
    ],
)
def test_growth_exponent_refuses_what_has_no_slope(sizes, values, match):
    with pytest.raises(ValueError, match=match):
        memory.growth_exponent(sizes, values)


def test_output_shape_in_valid_mode_swaps_like_convolve():
    f, g = np.ones((3, 4)), np.ones((5, 7))
    assert (
        memory.output_shape(f.shape, g.shape, "valid") == convolution.convolve(f, g, "valid").shape
    )
    with pytest.raises(ValueError, match="'valid'"):
        memory.output_shape((3, 8), (5, 7), "valid")
    assert memory.dense_toeplitz_bytes((3, 4), (5, 7), "valid") == 3 * 4 * 3 * 4 * 8


# --- signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rate_g", [1 + 1e-11, 1 + 1e-9, 1 - 1e-11, 1.5, 3.0])
def test_exponential_conv_exponential_near_equal_rates(rate_g):
    mpmath = pytest.importorskip("mpmath")  # arbitrary precision (installed with torch's sympy)
    mp, mpf, mexp = mpmath.mp, mpmath.mpf, mpmath.exp

    mp.dps = 50
    x = np.array([0.5, 1.0, 3.0, 10.0])
    got = signals.exponential_conv_exponential(x, 1.0, rate_g)
    a, b = mpf(1), mpf(rate_g)
    exact = [float(a * b * (mexp(-b * mpf(t)) - mexp(-a * mpf(t))) / (a - b)) for t in x]
    np.testing.assert_allclose(got, exact, rtol=1e-13)


def test_exponential_conv_exponential_far_out_does_not_overflow():
    got = signals.exponential_conv_exponential(np.array([1000.0, 1e6]), 1.0, 2.0)
    np.testing.assert_array_equal(np.isfinite(got), True)
    assert got[0] == pytest.approx(2 * math.exp(-1000), rel=1e-12)


def test_convolve_integral_refuses_complex_and_nan_signals():
    support = (-1.0, 1.0)
    with pytest.raises(TypeError, match="f returned complex values"):
        signals.convolve_integral(lambda t: np.exp(1j * t), signals.box, 0.0, 0.01, support)
    with pytest.raises(TypeError, match="g returned complex values"):
        signals.convolve_integral(signals.box, lambda t: t + 0j, 0.0, 0.01, support)
    with pytest.raises(ValueError, match="f returned NaN or inf"):
        signals.convolve_integral(
            lambda t: np.where(t < 0, np.nan, t), signals.box, 0.0, 0.01, support
        )
    with pytest.raises(ValueError, match="g returned NaN or inf"):
        signals.convolve_integral(
            signals.box, lambda t: np.where(t > 0.5, np.inf, t), 0.0, 0.01, support
        )


# --- photo, timing, numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "scale, error",
    [(601, ValueError), (513, ValueError), (0, ValueError), (2.0, TypeError), (True, TypeError)],
)
def test_grace_hopper_refuses_a_scale_that_leaves_no_pixel(scale, error):
    with pytest.raises(error, match=r"scale must be an integer in \[1, 512\], got"):
        photo.grace_hopper(scale)


def test_grace_hopper_largest_scale_is_one_pixel_wide():
    assert photo.grace_hopper(512).shape == (1, 1)


@pytest.mark.parametrize(
    "sizes, challenger, match",
    [
        ([1, np.nan, 3], [1, 1, 1], "sizes must hold finite"),
        ([1, 2, 3], [1, np.nan, 1], "challenger must hold finite"),
        ([1, 2, np.inf], [1, 1, 1], "sizes must hold finite"),
    ],
)
def test_crossover_refuses_nan(sizes, challenger, match):
    with pytest.raises(ValueError, match=match):
        timing.crossover(sizes, challenger, [2, 2, 2])


@pytest.mark.parametrize(
    "call",
    [
        lambda: kernels.box(True),
        lambda: kernels.gaussian(3, timedelta(seconds=1)),
        lambda: signals.gaussian(0.0, sigma=True),
        lambda: signals.box(0.0, width=timedelta(seconds=1)),
        lambda: signals.riemann_points((0, 1), True),
        lambda: homomorphic.high_emphasis_response(0.1, True, 0.5, 1.5),
        lambda: timing.time_interleaved({"a": lambda: None}, repeats=True),
        lambda: fourier.magnitude_cut(np.ones(3), True),
        lambda: memory.largest_side_within_budget(True, (3, 3)),
        lambda: convolution.cross_correlate_layer(np.ones((4, 4)), G, stride=True),
        lambda: convolution.convolve(np.array([1, 2], "m8[s]"), np.ones(1)),
        lambda: kernels.dc_gain(np.array([1, 2], "m8[s]")),
        lambda: whitening.standardize(np.ones((3, 3)), eps=timedelta(0)),
        lambda: output_normalization.l2_normalize(np.array([1, 2], "m8[s]")),
    ],
)
def test_bools_and_timedeltas_are_not_numbers(call):
    with pytest.raises(TypeError):
        call()


# --- the size guard ----------------------------------------------------------------------------


def test_one_size_guard_for_everything_that_can_explode():
    calls = [
        lambda: convolution.toeplitz_matrix(G, (128, 128), "same"),
        lambda: convolution.toeplitz_matrix(np.ones((31, 31)), (600, 600), sparse=True),
        lambda: convolution.im2col(np.zeros((2000, 2000)), (9, 9)),
        lambda: kernels.gaussian(20001, 1.0),
        lambda: kernels.box(20001),
        lambda: kernels.frequency_response(G, (10**5, 10**5)),
        lambda: homomorphic.high_emphasis_kernel(1e-5, 0.5, 1.5),
        lambda: fourier.circular_convolve(G, G, (10**5, 10**5)),
        lambda: fourier.magnitude_cut(G, 10**10),
    ]
    for call in calls:
        start = time.perf_counter()
        with pytest.raises(ValueError, match=r"would need [\d.]+ [GMT]iB \(limit 512 MiB\); "):
            call()
        assert time.perf_counter() - start < 1.0
    assert validation.MEMORY_LIMIT_BYTES == 512 * 2**20


# --- found by the fuzz test (tests/test_fuzz.py) in the modules above ----------------------------


def test_riemann_sum_with_billions_of_cells_is_refused_before_it_is_built():
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"Riemann sum of 2e\+09 cells would need .*larger step"):
        signals.convolve_integral(signals.box, signals.box, 0.0, 1e-9, (-1.0, 1.0))
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: signals.gaussian(0.0, sigma=1e-310),
        lambda: signals.gaussian_derivative(3.0, sigma=5.6e-260, centre=2.4),
        lambda: signals.gaussian_derivative(1e308, sigma=1e308, centre=-2.0),
        lambda: signals.box(0.0, width=1e-310),
        lambda: signals.box_conv_box(0.0, 1e-200, 1e-200),
        lambda: signals.triangle(0.0, half_width=1e-310),
    ],
)
def test_signals_whose_values_overflow_are_refused(call):
    with pytest.raises(ValueError, match="the values overflow float64"):
        call()


def test_exact_results_with_extreme_parameters_are_right():
    x = np.array([0.1, 1.0, 2.0])
    far = signals.exponential_conv_exponential(x, 10.0, 1e308)  # the slow rate alone remains
    np.testing.assert_allclose(far, 10 * np.exp(-10 * x), rtol=1e-12)
    equal = signals.exponential_conv_exponential(np.array([1e-200]), 1e200, 1e200)
    np.testing.assert_allclose(equal, 1e200 * math.exp(-1.0), rtol=1e-12)
    wide = signals.gaussian_conv_gaussian(0.0, 1e308, 1e308)  # sqrt(2) * 1e308 fits
    assert wide == pytest.approx(1 / (math.sqrt(2) * 1e308 * math.sqrt(2 * math.pi)), rel=1e-12)


def test_convolution_whose_result_overflows_is_refused():
    f = np.full((3, 3), 1e300)
    for method in ("direct", "fft", "im2col", "toeplitz", "loops"):
        with pytest.raises(ValueError, match="the result overflows float64"):
            convolution.convolve(f, np.full((2, 2), 1e10), method=method)
    assert np.isnan(convolution.convolve([1.0, np.nan], [1.0], method="direct")[1])  # documented


def test_zca_image_refuses_an_infinite_image():
    zca = whitening.fit_whitening(whitening.extract_patches(np.eye(8) + 1, 3), eps=1.0)
    with pytest.raises(ValueError, match="image must hold finite values"):
        whitening.zca_image(np.full((5, 5), np.inf), zca)


def test_more_size_guards():
    calls = [
        lambda: convolution.cross_correlate_layer(np.ones((3, 3)), G, padding=10**6),
        lambda: fourier.wraparound_mask((10**5, 10**5), (3, 3)),
        lambda: digits.make_digits(10**9),
        lambda: homomorphic.high_emphasis_kernel(1e-320, 0.5, 1.5),
    ]
    for call in calls:
        start = time.perf_counter()
        with pytest.raises(ValueError, match=r"would need [\d.]+ [GMT]iB|would need inf"):
            call()
        assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("f_shape", [5, 5.0])
def test_a_shape_without_a_number_of_dimensions_is_refused(f_shape):
    with pytest.raises(TypeError, match="f_shape must be a tuple of positive integers"):
        memory.output_shape(f_shape, (3, 3))


def test_symmetric_limit_ignores_nan_and_inf():
    from helpers import plotting

    assert plotting.symmetric_limit(np.array([np.inf, -2.0, np.nan])) == 2.0
    assert plotting.symmetric_limit(np.array([np.nan])) == 1.0

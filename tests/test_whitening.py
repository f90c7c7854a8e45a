"""Standardization, patch extraction and PCA/ZCA whitening against numpy oracles."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.whitening import (
    central_filters_figure,
    covariance,
    epsilon_figure,
    epsilon_sweep,
    extract_patches,
    filters_figure,
    fit_standardization,
    fit_whitening,
    spectrum_figure,
    standardization_figure,
    standardize,
    whitened_image_figure,
    zca_image,
    zca_images,
)


def correlated_patches(m: int, d: int, seed: int = 0) -> np.ndarray:
    """Random patches with a full-rank, strongly non-diagonal covariance."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(d, d)) + 3 * np.eye(d)
    return rng.normal(size=(m, d)) @ mixing.T + rng.normal(size=d)


def smooth_image(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """A random image with correlated neighbouring pixels, like a photo."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=shape)
    return scipy.signal.convolve2d(noise, np.ones((3, 3)) / 9, mode="same", boundary="symm") + 0.5


# --- standardization -------------------------------------------------------------------------


def test_standardize_each_image_has_mean_zero_and_std_one():
    rng = np.random.default_rng(1)
    images = rng.uniform(0, 1, size=(5, 8, 7)) * rng.uniform(0.1, 3, size=(5, 1, 1)) + 2
    result = standardize(images, eps=0)
    np.testing.assert_allclose(result.mean(axis=(1, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(result.std(axis=(1, 2)), 1, rtol=1e-12)


def test_standardize_one_image_keeps_its_shape_and_constant_image_gives_zeros():
    image = np.full((4, 6), 3.0)
    result = standardize(image)
    assert result.shape == (4, 6)
    np.testing.assert_array_equal(result, 0)


def test_standardize_is_invariant_to_brightness_and_contrast():
    image = smooth_image((9, 9))
    np.testing.assert_allclose(standardize(3 * image + 7, eps=0), standardize(image, eps=0))


def test_dataset_standardization_uses_training_statistics_on_test_images():
    rng = np.random.default_rng(2)
    train = rng.normal(3, 2, size=(50, 6, 6))
    test = rng.normal(3, 2, size=(10, 6, 6)) + 1
    scaler = fit_standardization(train, per="dataset", eps=0)
    np.testing.assert_allclose(scaler(train).mean(), 0, atol=1e-12)
    np.testing.assert_allclose(scaler(train).std(), 1, rtol=1e-12)
    np.testing.assert_allclose(scaler(test), (test - train.mean()) / train.std())


def test_pixel_standardization_gives_each_position_mean_zero_std_one():
    rng = np.random.default_rng(3)
    train = rng.normal(size=(40, 5, 4)) * np.arange(1, 21).reshape(5, 4) + np.arange(20).reshape(
        5, 4
    )
    scaler = fit_standardization(train, per="pixel", eps=0)
    np.testing.assert_allclose(scaler(train).mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(scaler(train).std(axis=0), 1, rtol=1e-12)
    with pytest.raises(ValueError, match=r"images must be \(5, 4\)"):
        scaler(np.zeros((2, 4, 5)))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: standardize(np.zeros(5)), "images must be one 2-D image or a 3-D stack"),
        (lambda: standardize(np.zeros((1, 2, 2, 2))), "got shape"),
        (lambda: standardize(np.zeros((0, 3))), "must not be empty"),
        (lambda: standardize(np.array([[np.nan, 1.0]])), "finite"),
        (lambda: standardize(np.ones((2, 2)), eps=-1), "eps must be a finite number >= 0"),
        (lambda: fit_standardization(np.ones((2, 2)), per="image"), "per must be one of"),
    ],
)
def test_standardization_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_standardize_refuses_complex():
    with pytest.raises(TypeError, match="complex"):
        standardize(np.ones((2, 2), dtype=complex))


# --- patches ---------------------------------------------------------------------------------


def test_all_patches_match_a_loop():
    image = np.arange(30.0).reshape(5, 6)
    patches = extract_patches(image, (2, 3))
    expected = [image[i : i + 2, j : j + 3].ravel() for i in range(4) for j in range(4)]
    np.testing.assert_array_equal(patches, expected)


def test_random_patches_are_patches_of_the_images():
    rng = np.random.default_rng(4)
    images = rng.normal(size=(3, 7, 8))
    patches = extract_patches(images, 3, count=50, rng=np.random.default_rng(5))
    everything = extract_patches(images, 3)
    assert patches.shape == (50, 9)
    for patch in patches:
        assert np.any(np.all(everything == patch, axis=1))


@pytest.mark.parametrize(
    "size, count, message",
    [
        (0, None, "size must be 2 positive integers"),
        ((2, 2, 2), None, "size must be 2 positive integers"),
        (9, None, "larger than the images"),
        (2, 0, "count must be an integer >= 1"),
    ],
)
def test_patches_bad_input(size, count, message):
    with pytest.raises(ValueError, match=message):
        extract_patches(np.zeros((5, 5)), size, count=count)


# --- whitening -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pca", "zca"])
def test_whitened_covariance_is_the_identity_for_eps_zero(kind):
    patches = correlated_patches(500, 9)
    whitening = fit_whitening(patches, kind=kind, eps=0)
    white = whitening.transform(patches)
    np.testing.assert_allclose(white.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(np.cov(white, rowvar=False), np.eye(9), atol=1e-10)


@pytest.mark.parametrize("kind", ["pca", "zca"])
def test_small_eps_gives_nearly_the_identity_and_shrinks_by_lambda_over_lambda_plus_eps(kind):
    patches = correlated_patches(500, 9, seed=1)
    eps = 1e-3
    whitening = fit_whitening(patches, kind=kind, eps=eps)
    white_cov = np.cov(whitening.transform(patches), rowvar=False)
    assert np.max(np.abs(white_cov - np.eye(9))) < 1e-2
    shrink = whitening.eigenvalues / (whitening.eigenvalues + eps)
    # along the principal axes the covariance is exactly lambda / (lambda + eps)
    rotated = (
        white_cov
        if kind == "pca"
        else whitening.eigenvectors.T @ white_cov @ (whitening.eigenvectors)
    )
    np.testing.assert_allclose(rotated, np.diag(shrink), atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(d=st.integers(1, 6), seed=st.integers(0, 10_000), kind=st.sampled_from(["pca", "zca"]))
def test_whitening_against_numpy_eigh(d, seed, kind):
    patches = correlated_patches(40 + 5 * d, d, seed)
    eps = 0.1
    whitening = fit_whitening(patches, kind=kind, eps=eps, patch_shape=(1, d))
    cov = np.cov(patches, rowvar=False).reshape(d, d)
    np.testing.assert_allclose(covariance(patches), cov, rtol=1e-10, atol=1e-12)
    values, vectors = np.linalg.eigh(cov)
    np.testing.assert_allclose(whitening.eigenvalues, values[::-1], rtol=1e-9, atol=1e-12)
    # eigenvectors are unique up to sign: compare the projectors u u^T
    for k in range(d):
        u, v = whitening.eigenvectors[:, k], vectors[:, d - 1 - k]
        np.testing.assert_allclose(np.outer(u, u), np.outer(v, v), atol=1e-6)
    # the whitening matrix is an inverse square root: W^T W = (C + eps I)^-1 for both kinds
    inverse = np.linalg.inv(cov + eps * np.eye(d))
    np.testing.assert_allclose(
        whitening.matrix.T @ whitening.matrix, inverse, rtol=1e-8, atol=1e-10
    )


def test_zca_is_symmetric_and_pca_is_not():
    patches = correlated_patches(300, 16, seed=2)
    zca = fit_whitening(patches, kind="zca", eps=0.01)
    pca = fit_whitening(patches, kind="pca", eps=0.01)
    np.testing.assert_allclose(zca.matrix, zca.matrix.T, atol=1e-12)
    assert np.max(np.abs(pca.matrix - pca.matrix.T)) > 0.1
    # ZCA is PCA rotated back: W_zca = U W_pca
    np.testing.assert_allclose(zca.matrix, zca.eigenvectors @ pca.matrix, atol=1e-12)


def test_filters_are_rows_of_w_reshaped_and_central_filter_is_the_middle_row():
    patches = correlated_patches(300, 15, seed=3)
    zca = fit_whitening(patches, kind="zca", eps=0.01, patch_shape=(3, 5))
    filters = zca.filters()
    assert filters.shape == (15, 3, 5)
    np.testing.assert_array_equal(filters[7], zca.matrix[7].reshape(3, 5))
    np.testing.assert_array_equal(zca.central_filter(), zca.matrix[7].reshape(3, 5))


def test_zca_image_equals_the_centre_of_each_whitened_patch_inside_the_image():
    image = smooth_image((20, 22), seed=4)
    zca = fit_whitening(extract_patches(image, 5), kind="zca", eps=1e-3)
    whitened = zca_image(image, zca)
    centres = zca.transform(extract_patches(image, 5))[:, 12].reshape(16, 18)
    np.testing.assert_allclose(whitened[2:-2, 2:-2], centres, atol=1e-10)


def test_zca_of_an_image_decorrelates_neighbouring_pixels():
    image = smooth_image((64, 64), seed=5)
    zca = fit_whitening(extract_patches(image, 5), kind="zca", eps=1e-4)
    whitened = zca_image(image, zca)[4:-4, 4:-4]
    before = np.corrcoef(image[:, :-1].ravel(), image[:, 1:].ravel())[0, 1]
    after = np.corrcoef(whitened[:, :-1].ravel(), whitened[:, 1:].ravel())[0, 1]
    assert before > 0.5
    assert abs(after) < 0.1


@pytest.mark.parametrize(
    "patches, kwargs, message",
    [
        (np.zeros((10, 4)), {"kind": "svd"}, "kind must be one of"),
        (np.zeros((10, 4)), {"eps": -1.0}, "eps must be a finite number >= 0"),
        (np.zeros((10, 4)), {"eps": np.nan}, "eps must be a finite number >= 0"),
        (np.zeros(10), {}, "patches must be 2-D"),
        (np.zeros((1, 4)), {}, "at least 2 rows"),
        (np.full((10, 4), np.inf), {}, "finite"),
        (np.zeros((10, 6)), {}, "not square: give patch_shape"),
        (np.zeros((10, 6)), {"patch_shape": (2, 2)}, "does not hold 6 values"),
        (correlated_patches(3, 9), {"eps": 0.0}, "singular"),
    ],
)
def test_whitening_bad_input(patches, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fit_whitening(patches, **kwargs)


def test_whitening_bad_use():
    zca = fit_whitening(correlated_patches(50, 4), patch_shape=(2, 2))
    with pytest.raises(ValueError, match="odd sides"):
        zca.central_filter()
    with pytest.raises(ValueError, match=r"patches must have shape \(m, 4\)"):
        zca.transform(np.zeros((3, 5)))
    pca = fit_whitening(correlated_patches(50, 9), kind="pca")
    with pytest.raises(ValueError, match="must be a ZCA"):
        zca_image(np.zeros((6, 6)), pca)
    with pytest.raises(TypeError, match="complex"):
        fit_whitening(np.ones((3, 4), dtype=complex))


def test_zca_images_is_zca_image_for_each_image_of_a_stack():
    images = np.stack([smooth_image((12, 10), seed) for seed in range(4)])
    fitted = fit_whitening(extract_patches(images, 3), kind="zca", eps=1e-3)
    stacked = zca_images(images, fitted)
    for image, result in zip(images, stacked, strict=True):
        np.testing.assert_allclose(result, zca_image(image, fitted), atol=1e-12)
    with pytest.raises(ValueError, match="stack"):
        zca_images(images[0], fitted)
    with pytest.raises(ValueError, match="ZCA"):
        zca_images(images, fit_whitening(extract_patches(images, 3), kind="pca"))


@pytest.mark.parametrize("eps", [0.0, 1e-3, 0.1, 2.0])
def test_epsilon_sweep_agrees_with_whitenings_fitted_at_each_eps(eps):
    patches = correlated_patches(400, 9, seed=2)
    base = fit_whitening(patches, kind="zca", eps=0.5)
    swept = epsilon_sweep(base, [eps])
    fitted = fit_whitening(patches, kind="zca", eps=eps)
    whitened = np.cov(fitted.transform(patches), rowvar=False)
    assert swept["condition"][0] == pytest.approx(np.linalg.cond(whitened), rel=1e-6)
    g = fitted.central_filter()
    assert swept["dc_gain"][0] == pytest.approx(g.sum())
    assert swept["noise_gain"][0] == pytest.approx(np.abs(np.fft.fft2(g, (64, 64))).max())
    assert swept["damped"][0] == np.sum(fitted.eigenvalues < eps)


def test_epsilon_sweep_bad_input():
    base = fit_whitening(correlated_patches(100, 4), kind="zca")
    for bad in ([-1.0], [np.nan], [[0.1]]):
        with pytest.raises(ValueError, match="eps_values"):
            epsilon_sweep(base, bad)


def test_figures_draw_what_they_say():
    patches = correlated_patches(300, 9)
    zca, pca = fit_whitening(patches, kind="zca"), fit_whitening(patches, kind="pca")
    image = smooth_image((10, 10))
    assert len(spectrum_figure({"a": zca, "b": pca}).axes[0].get_lines()) == 2
    filters = filters_figure(pca, zca, pca_rows=(0, 1, 2), zca_rows=(0, 4, 8))
    assert len(filters.axes) == 6 + 2  # panels and a colorbar per row
    titles = [ax.get_title() for ax in filters.axes[:6]]
    assert "own scale" in titles[0] and "every tap" in titles[0]
    assert titles[4].startswith("ZCA row 4") and "(1, 1)" in titles[4]
    own, shared = filters.axes[0].images[0].get_clim(), filters.axes[1].images[0].get_clim()
    assert (
        own[1] < shared[1]
        and filters.axes[1].images[0].get_clim() == filters.axes[2].images[0].get_clim()
    )
    assert len(standardization_figure(image, image, image, np.stack([image, image])).axes) == 5 + 2
    central = central_filters_figure({"a": zca, "b": zca})
    assert "sum" in central.axes[0].get_title() and len(central.axes[2].texts) == 9
    assert len(whitened_image_figure(image, image - 0.5).axes) == 3  # with a colorbar
    eps = np.logspace(-3, 0, 4)
    figure = epsilon_figure(eps, epsilon_sweep(zca, eps), marked=(0.01,), marked_label="dotted")
    assert len(figure.axes) == 2 and len(figure.axes[1].get_lines()) == 3
    assert figure.get_suptitle() == "dotted" and "0.01" in figure.axes[0].texts[0].get_text()

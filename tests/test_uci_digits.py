"""Tests of helpers.uci_digits: scikit-learn's handwritten digits in the course's format."""

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from helpers import uci_digits


def test_upsampling_equals_pillows_bilinear_resize():
    images = load_digits().images[:20].astype(np.float32) / 16
    got = uci_digits.upsample(images, box=20, size=28)
    expected = np.stack(
        [
            np.asarray(Image.fromarray(im, mode="F").resize((20, 20), Image.BILINEAR))
            for im in images
        ]
    )
    np.testing.assert_allclose(got[:, 4:24, 4:24], expected, atol=1e-6)
    assert not got[:, :4].any() and not got[:, 24:].any()
    assert not got[:, :, :4].any() and not got[:, :, 24:].any()


def test_a_constant_image_stays_constant_in_its_box():
    got = uci_digits.upsample(np.full((1, 8, 8), 0.5), box=28)
    np.testing.assert_allclose(got, 0.5, atol=1e-6)


def test_split_covers_every_image_once_in_the_course_format():
    (x_train, y_train), (x_test, y_test) = uci_digits.load_uci_digits(1400, seed=3)
    assert x_train.shape == (1400, 28, 28) and x_test.shape == (397, 28, 28)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert x_train.min() >= 0 and x_train.max() == 1 and x_test.max() <= 1
    bunch = load_digits()
    assert np.array_equal(
        np.sort(np.concatenate([y_train, y_test])), np.sort(bunch.target.astype(np.int64))
    )
    # every image appears once: compare the 8x8 originals recovered at the pixel centres
    centres = 4 + (np.arange(8) * 2.5 + 0.75).astype(int)
    recovered = np.concatenate([x_train, x_test])[:, centres][:, :, centres]
    assert len(np.unique(np.round(recovered * 16).reshape(1797, -1), axis=0)) == len(
        np.unique(bunch.images.reshape(1797, -1), axis=0)
    )
    again = uci_digits.load_uci_digits(1400, seed=3)
    assert np.array_equal(again[0][0], x_train) and np.array_equal(again[1][1], y_test)
    other = uci_digits.load_uci_digits(1400, seed=4)
    assert not np.array_equal(other[1][1], y_test)


def test_white_digits_on_black_like_the_rendered_ones():
    (x_train, _), _ = uci_digits.load_uci_digits(1400)
    assert x_train[:, 0].max() == 0 and x_train.mean() < 0.25  # black background, white ink


@pytest.mark.parametrize("n_train", [0, 1797, 2.5, "100"])
def test_bad_n_train_is_a_clear_error(n_train):
    with pytest.raises(ValueError, match="n_train must be an integer from 1 to 1796"):
        uci_digits.load_uci_digits(n_train)


@pytest.mark.parametrize(
    "images, box, match",
    [
        (np.ones((8, 8)), 20, "shape"),
        (np.ones((0, 8, 8)), 20, "shape"),
        (np.ones((1, 8, 8)), 29, "box"),
    ],
)
def test_bad_upsampling_input_is_a_clear_error(images, box, match):
    with pytest.raises(ValueError, match=match):
        uci_digits.upsample(images, box)


def test_upsample_refuses_values_float32_cannot_hold():
    # found by the fuzz test: a pixel of 1e150 became inf in float32 without a word
    with pytest.raises(ValueError, match="float32"):
        uci_digits.upsample(np.array([[[1e150, 0.0], [0.0, 0.0]]]), box=2, size=2)

"""Real handwriting, offline: the UCI handwritten digits that scikit-learn ships, as 28x28 images.

``sklearn.datasets.load_digits`` holds 1,797 digits written by hand on forms (E. Alpaydin
and C. Kaynak, 1998; the test part of the UCI "Optical Recognition of Handwritten Digits"
set, written by 13 people). Each 32x32 black-and-white scan was cut into 4x4 blocks and the
ink pixels of each block counted, giving 8x8 images of integers 0-16. Nothing is downloaded:
the file comes inside the scikit-learn package.

:func:`load_uci_digits` turns them into the course's format, like MNIST (LeCun et al.,
1998): the 8x8 image is scaled up bilinearly to fit a 20x20 box (:data:`BOX`), centred in a
28x28 image, values in [0, 1] (16 ink pixels of 16 is 1), white on black, and split at random
into training and test images. The writers are not recorded, so the same person's digits can
be on both sides of the split: test accuracy here measures new digits of known hands, not
new writers.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from helpers.validation import as_numeric_array

SIZE = 28
"""Side of an image in pixels, as in :mod:`helpers.digits` and MNIST."""

BOX = 20
"""Side of the box the 8x8 digit is scaled into, centred in the 28x28 image (as in MNIST)."""

COUNT = 1797
"""Number of images scikit-learn ships."""


def upsample(images: np.ndarray, box: int = BOX, size: int = SIZE) -> np.ndarray:
    """Scale images of shape (n, h, w) to (n, box, box) bilinearly and centre them in size x size.

    The scaling treats pixels as squares (``scipy.ndimage.zoom`` with ``grid_mode=True``):
    the 8 pixels of a row cover the same extent as the ``box`` pixels they become, and a value
    between two pixel centres is the linear blend of the two; beyond the outer centres the edge
    value is kept. It equals Pillow's bilinear resize (tested).
    """
    images = as_numeric_array(images, "images").astype(np.float64)
    if not np.all(np.abs(images) <= np.finfo(np.float32).max):
        raise ValueError("images must be finite and fit in float32 (|value| below 3.4e38)")
    images = images.astype(np.float32)
    if images.ndim != 3 or images.shape[0] == 0 or min(images.shape[1:]) < 2:
        raise ValueError(
            f"images must have shape (n, h, w) with n >= 1, h, w >= 2; got {images.shape}"
        )
    if not isinstance(box, int) or not 2 <= box <= size:
        raise ValueError(f"box must be an integer from 2 to size ({size}), got {box!r}")
    _, h, w = images.shape
    scaled = ndimage.zoom(images, (1, box / h, box / w), order=1, grid_mode=True, mode="nearest")
    out = np.zeros((len(images), size, size), np.float32)
    top = (size - box) // 2
    out[:, top : top + box, top : top + box] = scaled
    return out


def load_uci_digits(
    n_train: int = 1400, seed: int = 0, box: int = BOX
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The 1,797 UCI handwritten digits as 28x28 images, split at random into train and test.

    Parameters
    ----------
    n_train : int
        Training images (from 1 to 1,796); the other ``1797 - n_train`` are the test images.
    seed : int
        Seed of the permutation that splits them.
    box : int
        Side of the box the digit is scaled into (20, as in MNIST; 28 fills the image).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Images (n, 28, 28) float32 in [0, 1], white on black, and labels (n,) int64, like
        :func:`helpers.digits.load_digits`.
    """
    from sklearn.datasets import load_digits  # imported here: only this loader needs it

    if not isinstance(n_train, int | np.integer) or not 1 <= n_train < COUNT:
        raise ValueError(f"n_train must be an integer from 1 to {COUNT - 1}, got {n_train!r}")
    bunch = load_digits()
    images = upsample(bunch.images / 16.0, box)
    labels = bunch.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(images))
    train, test = order[:n_train], order[n_train:]
    return (images[train], labels[train]), (images[test], labels[test])

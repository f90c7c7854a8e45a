"""The course's photograph: the portrait of Grace Hopper that matplotlib ships, in grayscale."""

from __future__ import annotations

import matplotlib.cbook as cbook
import matplotlib.pyplot as plt
import numpy as np

from helpers.validation import as_integer

# ITU-R BT.601 luma weights for red, green and blue.
LUMA = np.array([0.299, 0.587, 0.114])


def grace_hopper(scale: int = 1) -> np.ndarray:
    """The sample photo ``grace_hopper.jpg`` (600 x 512 pixels) as grayscale floats in [0, 1].

    Parameters
    ----------
    scale : int
        Shrink by this integer factor, from 1 to 512, averaging ``scale`` x ``scale`` blocks
        (rows and columns that do not fill a block are dropped). 1 keeps the full size.

    Returns
    -------
    ndarray of float64, shape (600 // scale, 512 // scale)
    """
    scale = as_integer(scale, "scale", low=1, high=512)  # 512 columns: one block at most
    with cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = plt.imread(file, format="jpeg")
    gray = (rgb.astype(float) / 255.0) @ LUMA
    rows, cols = gray.shape[0] // scale, gray.shape[1] // scale
    blocks = gray[: rows * scale, : cols * scale].reshape(rows, scale, cols, scale)
    return blocks.mean(axis=(1, 3))


def grace_hopper_rgb() -> np.ndarray:
    """The same photo in colour, channels first as a CNN takes it: shape (3, 600, 512).

    Red, green and blue, floats in [0, 1]: ``LUMA @`` these channels (over the first axis) is
    :func:`grace_hopper`.
    """
    with cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = plt.imread(file, format="jpeg")
    return np.moveaxis(rgb.astype(float) / 255.0, -1, 0)

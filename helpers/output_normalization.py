"""Normalizing what comes out of a network: feature vectors scaled to sum one, to unit length,
or mapped through a softmax.

Each works along the last axis, one feature vector per row:

- :func:`l1_normalize`: ``x / sum |x_i|``. The absolute values sum to one; when the features
  are non-negative (after a ReLU) the vector itself sums to one and reads as proportions.
  On signed features it is *not* a probability: entries stay negative.
- :func:`l2_normalize`: ``x / sqrt(sum x_i^2)``. Unit length: dot products become cosine
  similarities, the usual choice for comparing embeddings.
- :func:`softmax`: ``exp(x_i) / sum exp(x_j)``. Positive, sums to one, keeps the order of
  the entries and ignores a constant added to all of them: the map from logits to class
  probabilities.
"""

from __future__ import annotations

import numpy as np


def _features(x: np.ndarray) -> np.ndarray:
    array = np.asarray(x)
    if np.iscomplexobj(array):
        raise TypeError("x must be real; complex input is not supported")
    if array.ndim == 0 or array.shape[-1] == 0:
        raise ValueError(f"x must have at least one feature along its last axis, got {array.shape}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError("x must hold finite values only (found NaN or inf)")
    return array


def l1_normalize(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Divide each feature vector by the sum of its absolute values (at least ``eps``).

    A zero vector stays zero, as in ``torch.nn.functional.normalize(x, p=1)``.
    """
    x = _features(x)
    return x / np.maximum(np.abs(x).sum(axis=-1, keepdims=True), eps)


def l2_normalize(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Divide each feature vector by its Euclidean length (at least ``eps``).

    A zero vector stays zero, as in ``torch.nn.functional.normalize(x, p=2)``.
    """
    x = _features(x)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), eps)


def softmax(x: np.ndarray) -> np.ndarray:
    """``exp(x_i) / sum_j exp(x_j)`` along the last axis, computed without overflow.

    Subtracting each row's maximum first changes nothing (softmax ignores a constant added
    to every entry) and keeps every exponential at most one.
    """
    x = _features(x)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)

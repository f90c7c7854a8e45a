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

The L1 and L2 norms are computed on each vector scaled by a power of two (exactly, so the
result is the same to the last bit), which keeps ``[1e200, 1e200]`` from overflowing to an
infinite norm: it normalizes to ``[0.707, 0.707]`` like any other vector.
"""

from __future__ import annotations

import numpy as np

from helpers.validation import as_number, as_numeric_array


def _features(x: np.ndarray) -> np.ndarray:
    array = as_numeric_array(x, "x")
    if array.ndim == 0 or array.shape[-1] == 0:
        raise ValueError(f"x must have at least one feature along its last axis, got {array.shape}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError("x must hold finite values only (found NaN or inf)")
    return array


def _scaled(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each vector divided by a power of two near its largest entry, and that power.

    The division is exact, so norms of the scaled vectors (whose entries are at most 2) are
    the norms of ``x`` divided by the same power, without overflowing on the way.
    """
    _, exponent = np.frexp(np.abs(x).max(axis=-1, keepdims=True))
    scale = np.ldexp(1.0, exponent - 1)  # at most the largest entry: finite
    return x / scale, scale


def l1_normalize(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Divide each feature vector by the sum of its absolute values (at least ``eps`` > 0).

    A zero vector stays zero, as in ``torch.nn.functional.normalize(x, p=1)``.
    """
    x = _features(x)
    eps = as_number(eps, "eps", low=0, low_open=True)
    scaled, scale = _scaled(x)
    with np.errstate(over="ignore"):
        return scaled / np.maximum(np.abs(scaled).sum(axis=-1, keepdims=True), eps / scale)


def l2_normalize(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Divide each feature vector by its Euclidean length (at least ``eps`` > 0).

    A zero vector stays zero, as in ``torch.nn.functional.normalize(x, p=2)``.
    """
    x = _features(x)
    eps = as_number(eps, "eps", low=0, low_open=True)
    scaled, scale = _scaled(x)
    with np.errstate(over="ignore"):
        return scaled / np.maximum(np.linalg.norm(scaled, axis=-1, keepdims=True), eps / scale)


def softmax(x: np.ndarray) -> np.ndarray:
    """``exp(x_i) / sum_j exp(x_j)`` along the last axis, computed without overflow.

    Subtracting each row's maximum first changes nothing (softmax ignores a constant added
    to every entry) and keeps every exponential at most one.
    """
    x = _features(x)
    with np.errstate(over="ignore"):  # x - max may reach -inf, whose exponential is 0
        e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)

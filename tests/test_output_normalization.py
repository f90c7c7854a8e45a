"""L1, L2 and softmax normalization of feature vectors, against torch and by their laws."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.output_normalization import l1_normalize, l2_normalize, softmax

features = arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 8)),
    elements=st.floats(-50, 50, allow_nan=False),
)


@settings(max_examples=50, deadline=None)
@given(x=features)
def test_against_torch(x):
    t = torch.from_numpy(x)
    np.testing.assert_allclose(l1_normalize(x), torch.nn.functional.normalize(t, p=1).numpy())
    np.testing.assert_allclose(l2_normalize(x), torch.nn.functional.normalize(t, p=2).numpy())
    np.testing.assert_allclose(softmax(x), torch.softmax(t, dim=-1).numpy(), atol=1e-15)


@settings(max_examples=50, deadline=None)
@given(x=features, shift=st.floats(-100, 100))
def test_laws(x, shift):
    nonzero = np.abs(x).sum(axis=-1) > 1e-6
    np.testing.assert_allclose(np.abs(l1_normalize(x)).sum(axis=-1)[nonzero], 1)
    np.testing.assert_allclose(np.linalg.norm(l2_normalize(x), axis=-1)[nonzero], 1)
    p = softmax(x)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=-1), 1)
    np.testing.assert_allclose(softmax(x + shift), p, atol=1e-12)


def test_l1_of_non_negative_features_sums_to_one_but_of_signed_features_does_not():
    relu_features = np.array([0.0, 2.0, 1.0, 1.0])
    np.testing.assert_allclose(l1_normalize(relu_features), [0, 0.5, 0.25, 0.25])
    signed = np.array([2.0, -1.0, 1.0])
    normalized = l1_normalize(signed)
    assert normalized.sum() == pytest.approx(0.5)
    assert normalized.min() < 0


def test_softmax_does_not_overflow_and_zero_vectors_stay_zero():
    np.testing.assert_allclose(softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
    np.testing.assert_array_equal(l1_normalize(np.zeros(3)), 0)
    np.testing.assert_array_equal(l2_normalize(np.zeros(3)), 0)


@pytest.mark.parametrize("function", [l1_normalize, l2_normalize, softmax])
def test_bad_input(function):
    with pytest.raises(ValueError, match="at least one feature"):
        function(np.float64(3.0))
    with pytest.raises(ValueError, match="at least one feature"):
        function(np.zeros((2, 0)))
    with pytest.raises(ValueError, match="finite"):
        function(np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match="complex"):
        function(np.array([1j]))

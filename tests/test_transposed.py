"""Tests of helpers.transposed against torch's conv2d and conv_transpose2d."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.transposed import conv_transpose, insert_zeros, layer_matrix, transposed_output_size


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 9),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(0, 2),
    st.integers(0, 2**31),
)
def test_layer_matrix_and_its_transpose_are_torchs_conv2d_and_conv_transpose2d(
    side, k, stride, padding, seed
):
    if side + 2 * padding < k:
        return
    rng = np.random.default_rng(seed)
    f, g = rng.normal(size=(side, side + 1)), rng.normal(size=(k, k))
    M = layer_matrix(g, f.shape, stride, padding)
    forward = F.conv2d(
        torch.tensor(f)[None, None], torch.tensor(g)[None, None], stride=stride, padding=padding
    )
    np.testing.assert_allclose(M @ f.ravel(), forward.numpy().ravel(), atol=1e-12)
    y = rng.normal(size=forward.shape[2:])
    for output_padding in range(stride):
        try:
            theirs = F.conv_transpose2d(
                torch.tensor(y)[None, None], torch.tensor(g)[None, None],
                stride=stride, padding=padding, output_padding=output_padding,
            )[0, 0].numpy()  # fmt: skip
        except RuntimeError:  # the padding removes the whole output: refused by both
            with pytest.raises(ValueError, match="removes the whole output"):
                conv_transpose(y, g, stride, padding, output_padding)
            continue
        ours = conv_transpose(y, g, stride, padding, output_padding)
        np.testing.assert_allclose(ours, theirs, atol=1e-12)
        if ours.shape == f.shape:  # the input size this output padding recovers
            np.testing.assert_allclose(ours.ravel(), M.T @ y.ravel(), atol=1e-12)


def test_dumoulin_visin_example_upsamples_2x2_to_5x5():
    g = np.ones((3, 3))
    M = layer_matrix(g, (5, 5), stride=2)
    assert M.shape == (4, 25)  # 2x2 outputs from 5x5 inputs
    assert transposed_output_size(2, 3, stride=2) == 5
    assert conv_transpose(np.ones((2, 2)), g, stride=2).shape == (5, 5)
    # a 6x6 input gives the same 2x2 output: output_padding picks it back
    assert layer_matrix(g, (6, 6), stride=2).shape == (4, 36)
    assert conv_transpose(np.ones((2, 2)), g, stride=2, output_padding=1).shape == (6, 6)


def test_insert_zeros():
    spread = insert_zeros(np.array([[1.0, 2.0], [3.0, 4.0]]), 3)
    assert spread.shape == (4, 4)
    assert spread[0, 3] == 2.0 and spread[3, 0] == 3.0 and np.count_nonzero(spread) == 4


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="smaller than stride"):
        transposed_output_size(3, 3, stride=2, output_padding=2)
    with pytest.raises(TypeError, match="stride must be an integer"):
        layer_matrix(np.ones((2, 2)), (4, 4), stride=1.5)
    with pytest.raises(ValueError, match="does not fit"):
        layer_matrix(np.ones((5, 5)), (3, 3))
    with pytest.raises(ValueError, match="removes the whole output"):
        conv_transpose(np.ones((1, 1)), np.ones((1, 1)), padding=1)


def test_layer_matrix_refuses_a_matrix_too_large_before_allocating():
    # found by the fuzz test: a 1 x 10^10 matrix (74.5 GiB) was allocated without a word
    with pytest.raises(ValueError, match=r"matrix of this layer would need .*GiB"):
        layer_matrix(np.array([[False]]), (100000, 100000), stride=100001, padding=0)

"""The figures of notebook 03: what they mark and label, checked on small inputs."""

import matplotlib
import numpy as np

matplotlib.use("Agg")

from helpers.circulant import circulant_matrix, diagonalize  # noqa: E402
from helpers.matrix_figures import _cycles, draw_boundary_sums, draw_bridge  # noqa: E402


def test_bins_are_labelled_with_their_frequencies_negative_past_half():
    assert [_cycles(b, 6) for b in range(6)] == ["0", "1/6", "1/3", "1/2", "-1/3", "-1/6"]
    assert [_cycles(b, 5) for b in range(5)] == ["0", "1/5", "2/5", "-2/5", "-1/5"]


def test_the_bridge_labels_the_diagonal_by_frequency():
    g = np.array([[1.0, 2.0], [0.0, 1.0]])
    C = circulant_matrix(g, (4, 4))
    fig = draw_bridge(C, diagonalize(C, (4, 4)), np.fft.fft2(g, (4, 4)), (4, 4))
    labels = [label.get_text() for label in fig.axes[2].get_xticklabels()]  # the third panel
    assert labels == ["0: 0", "1: 1/4", "2: 1/2", "3: -1/4"]


def test_boundary_sums_mark_every_failing_pixel_however_small():
    rows = np.zeros((3, 3))
    columns = np.zeros((3, 3))
    columns[0, 0] = 1e-9  # tiny, but a failure: it gets a dot
    fig = draw_boundary_sums({"a": (rows, columns), "b": (np.ones((5, 5)), columns)})
    dots = [len(ax.collections[0].get_offsets()) for ax in fig.axes[:4]]
    assert dots == [0, 25, 1, 1]  # row by row: a rows, b rows, a columns, b columns
    assert "9 of 9 hold" in fig.axes[0].get_title() and "0 of 25 hold" in fig.axes[1].get_title()

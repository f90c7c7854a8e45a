"""Tests of helpers.timing: interleaved medians and the crossover."""

import time

import numpy as np
import pytest

from helpers.timing import crossover, time_interleaved


def test_time_interleaved_orders_a_slow_and_a_fast_call():
    calls = []
    times = time_interleaved(
        {
            "slow": lambda: (calls.append("slow"), time.sleep(0.02)),
            "fast": lambda: calls.append("f"),
        },
        repeats=3,
    )
    assert set(times) == {"slow", "fast"}
    assert times["slow"] >= 0.02 > times["fast"]
    assert calls == ["slow", "f"] * 4  # one warm-up each, then interleaved repeats
    minima = time_interleaved({"sleep": lambda: time.sleep(0.01)}, repeats=2, statistic="min")
    assert minima["sleep"] >= 0.01
    with pytest.raises(ValueError, match="statistic must be one of"):
        time_interleaved({"a": lambda: None}, statistic="mean")
    with pytest.raises(ValueError, match="repeats"):
        time_interleaved({"a": lambda: None}, repeats=0)


def test_crossover_is_where_the_challenger_stays_ahead():
    sizes = [3, 5, 9, 15]
    assert crossover(sizes, [4, 3, 2, 1], [1, 2, 3, 4]) == 9
    assert crossover(sizes, [0, 3, 2, 1], [1, 2, 3, 4]) == 9  # an early win that does not last
    assert crossover(sizes, [0, 0, 0, 0], [1, 1, 1, 1]) == 3
    assert crossover(sizes, [0, 0, 0, 5], [1, 1, 1, 1]) is None
    with pytest.raises(ValueError, match="same non-zero length"):
        crossover([3, 5], [1], [1, 2])
    with pytest.raises(ValueError, match="increase"):
        crossover([5, 3], [1, 1], [1, 1])


def test_dispatched_operators_name_torchs_implementation_and_stay_quiet(capfd):
    torch = pytest.importorskip("torch")
    from helpers.timing import dispatched_operators

    x, w = (
        torch.rand(1, 1, 32, 32, dtype=torch.float64),
        torch.rand(1, 1, 5, 5, dtype=torch.float64),
    )
    double = dispatched_operators(lambda: torch.conv2d(x, w, padding=2))
    single = dispatched_operators(lambda: torch.conv2d(x.float(), w.float(), padding=2))
    assert "aten::conv2d" in double and "aten::conv2d" in single
    assert "aten::_slow_conv2d_forward" in double  # unfold + GEMM
    assert "aten::mkldnn_convolution" in single  # oneDNN
    assert capfd.readouterr().err == ""  # the profiler's log lines are silenced


def test_draw_crossover_adds_the_float32_ratio():
    import matplotlib

    matplotlib.use("Agg")
    from helpers.timing import draw_crossover

    times = {name: np.full((2, 3), value) for name, value in
             [("d", 2.0), ("f", 1.0), ("d32", 1.0), ("f32", 2.0)]}  # fmt: skip
    fig = draw_crossover(times, [8, 16], [3, 5, 7], ["d"], ["f"], float32=("d32", "f32"))
    ratio = fig.axes[1]
    labels = [line.get_label() for line in ratio.get_lines()]
    assert labels[:4] == ["8x8, float64", "8x8, float32", "16x16, float64", "16x16, float32"]
    np.testing.assert_allclose(ratio.get_lines()[0].get_ydata(), 2.0)
    np.testing.assert_allclose(ratio.get_lines()[1].get_ydata(), 0.5)

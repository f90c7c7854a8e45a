"""Tests of helpers.timing: interleaved medians and the crossover."""

import time

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

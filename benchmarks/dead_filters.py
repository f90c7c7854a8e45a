"""Notebook 05's dead-filter measurements over more seeds than the notebook can afford.

Run from the repository root (about a minute of CPU time on one thread)::

    python benchmarks/dead_filters.py

Trains notebook 05's network with notebook 05's settings on the rendered digits for seeds 0-9
(the notebook runs 0-4), and on the UCI handwritten digits for splits 0-4 with network seeds
5-9 (the notebook runs the first three), and prints, per run: the test accuracy, the filters
nearly dead (active at fewer than 5% of positions) at initialization and after training, the
filters that died during training, and the mean change of the sum of the filters that learned
(moved more than half their initial norm). The last lines pool the runs.

The numbers do not depend on the machine's load; the same seeds give the same numbers on the
same machine (``training.train`` is deterministic).
"""

from __future__ import annotations

import copy

import numpy as np

from helpers import activity, cnn, digits, training, uci_digits
from helpers.notebook import setup

SETTINGS = dict(epochs=3, lr=0.05, batch_size=128, schedule="cosine")
UCI_SETTINGS = dict(epochs=15, lr=0.05, batch_size=64, schedule="cosine")


def describe(name: str, accuracy: float, table: activity.ActivityTable) -> float:
    """Print one run's line; return the mean sum change of the filters that learned."""
    newly = table.dead_after & ~table.dead_before
    learned = table.moved > 0.5
    drift = float(np.mean((table.sum_after - table.sum_before)[learned]))
    died = ", ".join(
        f"{k} (sum {table.sum_before[k]:+.2f} -> {table.sum_after[k]:+.2f}, bias "
        f"{table.bias_before[k]:+.2f} -> {table.bias_after[k]:+.2f})"
        for k in np.flatnonzero(newly)
    )
    print(
        f"{name}: accuracy {accuracy:.2%}; nearly dead {np.flatnonzero(table.dead_before).tolist()}"
        f" -> {np.flatnonzero(table.dead_after).tolist()}; mean sum change of the "
        f"{learned.sum()} that learned {drift:+.2f}"
        + (f"; died in training: {died}" if died else "")
    )
    return drift


def run(name, net, data, test, seed, settings, probe) -> tuple[activity.ActivityTable, float]:
    start = copy.deepcopy(net)
    training.train(net, data, seed=seed, **settings)
    table = activity.compare(start, net, probe)
    return table, describe(name, training.accuracy(net, test), table)


def summary(name: str, tables: list, drifts: list) -> None:
    dead = sum(int(t.dead_before.sum()) for t in tables)
    newly = sum(int((t.dead_after & ~t.dead_before).sum()) for t in tables)
    live = sum(int((~t.dead_before).sum()) for t in tables)
    up = sum(drift > 0 for drift in drifts)
    print(
        f"{name}: {dead} nearly dead at initialization; {newly} of the {live} live filters died in "
        f"training; the sums of the filters that learned rose on average in {up} of "
        f"{len(drifts)} runs"
    )


def main() -> None:
    setup(0)
    (x_train, y_train), test = digits.load_digits(n_train=12_000, n_test=5_000, seed=0)
    fonts, font_drifts = [], []
    for seed in range(10):
        net = cnn.make_cnn(seed)
        table, drift = run(
            f"fonts, seed {seed}", net, (x_train, y_train), test, seed, SETTINGS, x_train[:500]
        )
        fonts.append(table)
        font_drifts.append(drift)
    uci, uci_drifts = [], []
    for split in range(5):
        train_data, test_data = uci_digits.load_uci_digits(n_train=1400, seed=split)
        net = cnn.make_cnn(5 + split)
        name = f"UCI, split {split}, network seed {5 + split}"
        table, drift = run(
            name, net, train_data, test_data, split, UCI_SETTINGS, train_data[0][:500]
        )
        uci.append(table)
        uci_drifts.append(drift)
    summary("fonts, seeds 0-9", fonts, font_drifts)
    summary("UCI, 5 runs", uci, uci_drifts)


if __name__ == "__main__":
    main()

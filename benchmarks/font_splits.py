"""The data card's generalization numbers: test accuracy for each way of holding fonts out.

Run from the repository root (about two minutes of CPU time on one thread)::

    python benchmarks/font_splits.py                 # every table of the data card
    python benchmarks/font_splits.py --part by-font  # one of: splits, notebook, by-font

Prints the rows of the tables in ``data/README.md`` ("Generalization, measured"):

- ``splits``: ``benchmarks/training.py``'s settings (20,000 images, 8 epochs, constant rate
  0.05, batch 128), seeds 0 and 1, for three splits: the first edition's three single fonts,
  the STIX family, the Computer Modern family (the course's split);
- ``notebook``: notebook 05's settings (12,000 images, 3 epochs, cosine), seeds 0 and 1, for
  the first edition's split (notebook 05 itself prints the Computer Modern family's numbers);
- ``by-font``: accuracy on each font of the held-out Computer Modern family (20,000 training
  images, 4 epochs, cosine, seeds 0-2, 1,000 test images a font) and the commonest confusions.

Accuracies do not depend on the machine's load; the same seeds give the same numbers on the
same machine (``training.train`` is deterministic).
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np
import torch

from helpers import cnn, digits, training
from helpers.notebook import setup

SPLITS = {
    "first edition (3 fonts)": ("DejaVuSansMono-Oblique", "STIXGeneralBolIta", "cmb10"),
    "STIX family": digits.FAMILIES["STIX"],
    "Computer Modern family": digits.TEST_FONTS,
}
"""Fonts held out for testing, by split."""

BENCHMARK = dict(epochs=8, lr=0.05, batch_size=128, schedule="constant")
NOTEBOOK = dict(epochs=3, lr=0.05, batch_size=128, schedule="cosine")


def held_out_accuracy(test_fonts, n_train: int, seed: int, settings: dict) -> float:
    """Train a fresh network (``make_cnn(seed)``) with ``test_fonts`` held out; test accuracy."""
    train_data, test_data = digits.load_digits(n_train, 5_000, seed=0, test_fonts=test_fonts)
    model = cnn.make_cnn(seed)
    training.train(model, train_data, seed=seed, **settings)
    return training.accuracy(model, test_data)


def splits() -> None:
    print("benchmarks/training.py settings (20,000 images, 8 epochs, constant rate), seeds 0, 1:")
    for name, fonts in SPLITS.items():
        scores = [held_out_accuracy(fonts, 20_000, seed, BENCHMARK) for seed in (0, 1)]
        print(f"  {name:26s} " + ", ".join(f"{score:.2%}" for score in scores))


def notebook() -> None:
    fonts = SPLITS["first edition (3 fonts)"]
    scores = [held_out_accuracy(fonts, 12_000, seed, NOTEBOOK) for seed in (0, 1)]
    print(
        "notebook 05 settings (12,000 images, 3 epochs, cosine), first edition's split, "
        "seeds 0, 1: " + ", ".join(f"{score:.2%}" for score in scores)
    )


def by_font() -> None:
    train_data, _ = digits.load_digits(20_000, 5_000, seed=0)
    tests = {
        font: digits.make_digits(1_000, (font,), seed=10 + k)
        for k, font in enumerate(digits.TEST_FONTS)
    }
    scores = {font: [] for font in tests}
    confusions: Counter = Counter()
    for seed in range(3):
        model = cnn.make_cnn(seed)
        training.train(
            model, train_data, seed=seed, epochs=4, lr=0.05, batch_size=128, schedule="cosine"
        )
        for font, (x, y) in tests.items():
            scores[font].append(training.accuracy(model, (x, y)))
            with torch.no_grad():
                predicted = model.eval()(torch.from_numpy(x)).argmax(1).numpy()
            confusions.update(
                zip(y[predicted != y].tolist(), predicted[predicted != y].tolist(), strict=True)
            )
    print("by font (20,000 images, 4 epochs, cosine, seeds 0-2, 1,000 images a font):")
    for font in sorted(scores, key=lambda f: -np.mean(scores[f])):
        print(f"  {font:7s} {min(scores[font]):.1%} to {max(scores[font]):.1%}")
    common = ", ".join(
        f"{true} read as {seen} ({count})" for (true, seen), count in confusions.most_common(4)
    )
    print(f"  commonest confusions over the three seeds: {common}")


PARTS = {"splits": splits, "notebook": notebook, "by-font": by_font}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(PARTS), action="append")
    args = parser.parse_args()
    setup(0)
    for part in args.part or list(PARTS):
        PARTS[part]()


if __name__ == "__main__":
    main()

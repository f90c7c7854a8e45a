"""Benchmark: train the course's CNN on 20,000 rendered digits for 8 epochs; target 15 s.

Run from the repository root::

    python benchmarks/training.py            # 1 thread, the default of training.train
    python benchmarks/training.py --threads 2 --epochs 2

Prints the data generation time, the training time against the 15 s target, images per
second (wall and CPU), the test accuracy on the held-out font family (Computer Modern), and
the load average, since on a shared machine the wall time measures the neighbours as much as
the code.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime

from helpers import cnn, digits, training

TARGET_SECONDS = 15.0
"""The issue's budget for 20,000 images x 8 epochs on a 2-core CPU."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} before"
    )
    start = time.perf_counter()
    digits.glyph_stack(digits.TRAIN_FONTS), digits.glyph_stack(digits.TEST_FONTS)
    fonts_seconds = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    train_data, test_data = digits.load_digits(args.images, 5_000, seed=args.seed)
    print(
        f"data: fonts rendered in {fonts_seconds:.2f} s; {args.images} + 5000 images "
        f"generated in {time.perf_counter() - start:.2f} s "
        f"({time.process_time() - cpu:.2f} s CPU)"
    )

    model = cnn.make_cnn(args.seed)
    cpu = time.process_time()
    history = training.train(
        model,
        train_data,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        threads=args.threads,
    )
    cpu = time.process_time() - cpu
    seen = args.images * args.epochs
    scaled = history.seconds * 20_000 * 8 / seen
    print(
        f"training: {args.images} images x {args.epochs} epochs, batch {args.batch_size}, "
        f"{args.threads} threads: {history.seconds:.2f} s wall, {cpu:.2f} s CPU"
    )
    print(
        f"  {history.images_per_second:,.0f} images/s wall, {seen / cpu:,.0f} images/s "
        f"per CPU-second"
    )
    verdict = "meets" if scaled <= TARGET_SECONDS else "misses"
    print(
        f"  20,000 x 8 epochs at this rate: {scaled:.1f} s, {verdict} the "
        f"{TARGET_SECONDS:.0f} s target"
    )
    print(
        f"  test accuracy on the held-out {digits.TEST_FAMILY} family "
        f"{training.accuracy(model, test_data):.2%}, final epoch loss {history.epoch_loss[-1]:.4f}"
    )
    print(f"load average {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()

"""The training loop that checks an after-step hook: the harness of the hook exercises
(notebook 06: unit norm; notebook 07: channel sums)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def weights_during_training(
    layer: nn.Module, inputs: torch.Tensor, after_step: Callable[[], object], steps: int, lr: float
) -> np.ndarray:
    """Train ``layer`` towards outputs of 1 by SGD with momentum 0.9, calling ``after_step()``
    after every ``optimizer.step()``, as a learner's hook is called in a training loop.

    Returns
    -------
    ndarray, shape (steps, *layer.weight.shape)
        The weights after each step (and its hook).
    """
    optimizer = torch.optim.SGD(layer.parameters(), lr=lr, momentum=0.9)
    seen = []
    for _ in range(steps):
        loss = (layer(inputs) - 1).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        after_step()
        seen.append(layer.weight.detach().clone().numpy())
    return np.stack(seen)

"""The course's small CNN: 8 first-layer filters of 5x5 whose sums and norms we watch.

A LeNet-like network for 28x28 grayscale images::

    conv1  1 -> 8 filters 5x5   28x28 -> 24x24, ReLU, 2x2 max-pool -> 12x12
    conv2  8 -> 16 filters 5x5  12x12 -> 8x8,   ReLU, 2x2 max-pool -> 4x4
    fc1    256 -> 64, ReLU
    fc2    64 -> 10 logits

``conv1`` computes, like every CNN layer, a cross-correlation plus a bias:
``z_k[i, j] = c_k + sum_{a, b} g_k[a, b] f[i + a, j + b]`` (row ``i``, column ``j``; tap
``g_k[a, b]`` at row offset ``a``, column offset ``b``). Nothing in the layer, its
initialization or its loss asks the filters ``g_k`` to sum to one. There is no BatchNorm.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class SmallCNN(nn.Module):
    """A LeNet-like CNN whose first layer ``conv1`` has 8 filters of 5x5 on one channel.

    Parameters
    ----------
    filters : int
        Number of first-layer filters.
    classes : int
        Number of output logits.
    """

    def __init__(self, filters: int = 8, classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, filters, 5)
        self.conv2 = nn.Conv2d(filters, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The first layer's feature maps after ReLU: shape (n, filters, 24, 24)."""
        return F.relu(self.conv1(x))

    def from_first_layer(self, z: torch.Tensor) -> torch.Tensor:
        """The rest of the network: logits from ``z = conv1(x)``, the maps before the ReLU."""
        x = F.max_pool2d(F.relu(z), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits for a batch of images of shape (n, 1, 28, 28) or (n, 28, 28)."""
        if x.ndim == 3:
            x = x.unsqueeze(1)
        if x.shape[1:] != (1, 28, 28):
            raise ValueError(
                f"x must have shape (n, 1, 28, 28) or (n, 28, 28), got {tuple(x.shape)}"
            )
        return self.from_first_layer(self.conv1(x))


def make_cnn(seed: int = 0, filters: int = 8) -> SmallCNN:
    """A :class:`SmallCNN` initialized from ``seed``, without touching torch's global generator."""
    for name, value in (("seed", seed), ("filters", filters)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if filters < 1:
        raise ValueError(f"filters must be a positive integer, got {filters}")
    if not 0 <= seed < 2**63:
        raise ValueError(f"seed must be an integer from 0 to 2**63 - 1, got {seed}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return SmallCNN(filters)


def first_layer_filters(model: nn.Module, layer: str = "conv1") -> torch.Tensor:
    """The filters of ``model.<layer>`` as a detached copy, of shape (out, height, width).

    With one input channel the channel axis is dropped; otherwise the shape is
    (out, in, height, width). Works for parametrized layers too (it reads ``.weight``).
    """
    weight = getattr(model, layer).weight.detach().clone()
    return weight[:, 0] if weight.shape[1] == 1 else weight

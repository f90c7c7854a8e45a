"""What every notebook does first, and how it shows a helper's source instead of retyping it."""

from __future__ import annotations

import inspect
import random
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
from IPython.display import Code

from helpers.plotting import use_style


def setup(seed: int = 0) -> np.random.Generator:
    """Fix every seed, set the course's plotting style, and return a seeded numpy generator.

    torch, when installed, is seeded too, limited to one thread (the course's small networks
    ran fastest so on two cores) and asked for deterministic
    algorithms, so a notebook prints the same numbers on every run on a given machine.
    """
    use_style()
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 -- learners' code may use the legacy global generator
    try:
        import torch
    except ImportError:
        return np.random.default_rng(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    return np.random.default_rng(seed)


def show_source(function: Callable[..., Any]) -> Code:
    """Show a function's source with syntax highlighting, so a notebook need not retype it."""
    return Code(textwrap.dedent(inspect.getsource(function)), language="python")

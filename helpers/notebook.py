"""What every notebook does first, how it shows a helper's source instead of retyping it, and
the environment check of notebook 00."""

from __future__ import annotations

import inspect
import random
import re
import sys
import textwrap
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
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


# What the notebooks need to run, with the oldest version requirements.txt allows (the test
# tools of requirements.txt are not needed to run them). tests/test_notebook.py keeps the two
# lists in step.
RUNTIME_REQUIREMENTS = {
    "numpy": "2.0",
    "scipy": "1.13",
    "matplotlib": "3.9",
    "pillow": "10",
    "scikit-learn": "1.4",
    "torch": "2.13.0",
    "ipywidgets": "8.1",
    "anywidget": "0.9",
    "jupyterlab": "4.2",
}
TESTED_TORCH = "2.13.0"


def _release(text: str) -> tuple[int, ...]:
    """The numeric release of a version string: "2.13.0+cpu" -> (2, 13, 0)."""
    match = re.match(r"\d+(\.\d+)*", text)
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def environment_report(
    requirements: dict[str, str] | None = None, find: Callable[[str], str] = version
) -> tuple[list[str], list[str]]:
    """Check Python and the installed packages against what the course needs.

    Returns the lines to print (one per package, with its version and "ok", "too old" or
    "missing") and the problems that must be fixed before the notebooks can run (empty when
    everything is in place). ``find`` looks up an installed version (for tests).
    """
    requirements = RUNTIME_REQUIREMENTS if requirements is None else requirements
    lines, problems = [], []
    python = ".".join(str(n) for n in sys.version_info[:3])
    if _release(python) < (3, 11):  # the notebook says so, even if helpers imported
        problems.append(f"Python 3.11 or newer is needed, this is {python}")
    lines.append(f"{'python':>13} {python:<14} {'ok' if not problems else 'too old'}")
    for package, minimum in requirements.items():
        try:
            found = find(package)
        except PackageNotFoundError:
            lines.append(f"{package:>13} {'-':<14} missing")
            problems.append(f"{package} is missing")
            continue
        if _release(found) < _release(minimum):
            lines.append(f"{package:>13} {found:<14} too old (needs {minimum} or newer)")
            problems.append(f"{package} {found} is older than {minimum}")
        else:
            lines.append(f"{package:>13} {found:<14} ok")
    return lines, problems


def check_environment() -> None:
    """Print the environment report; stop with one clear sentence if something is missing.

    Another torch version than the tested one only gets a note: the notebooks should run, and
    a number may differ in its last digits.
    """
    lines, problems = environment_report()
    print("\n".join(lines))
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        cuda = "a GPU is available" if torch.cuda.is_available() else "no GPU"
        print(
            f"torch {torch.__version__}: {cuda}; the course runs everything on the CPU, with "
            f"{torch.get_num_threads()} thread (setup() sets one: the course's small networks "
            "run fastest so on two cores, and sums add up in the same order on every run)"
        )
        if not torch.__version__.startswith(TESTED_TORCH):
            print(f"note: the course was tested with torch {TESTED_TORCH}; numbers may differ "
                  "in their last digits")  # fmt: skip
    if problems:
        raise RuntimeError(
            "; ".join(problems) + ". Install the course's packages with "
            "`pip install -r requirements.txt` (from the course's folder), then restart the kernel."
        )

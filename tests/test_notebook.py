import numpy as np
import torch

from helpers.notebook import setup, show_source


def test_setup_makes_runs_repeatable():
    a = setup(3).normal(size=3), torch.rand(2)
    b = setup(3).normal(size=3), torch.rand(2)
    np.testing.assert_array_equal(a[0], b[0])
    assert torch.equal(a[1], b[1])
    torch.use_deterministic_algorithms(False)


def test_show_source_highlights_a_function():
    assert "def setup" in show_source(setup).data


def test_the_environment_check_knows_requirements_txt():
    """Every runtime package of requirements.txt is checked, with the same oldest version."""
    import re
    from pathlib import Path

    from helpers.notebook import RUNTIME_REQUIREMENTS

    text = (Path(__file__).resolve().parents[1] / "requirements.txt").read_text()
    runtime = text.split("# tests")[0]
    found = dict(re.findall(r"^([A-Za-z][\w-]*)\s*(?:>=|==)\s*([\d.]+)", runtime, re.MULTILINE))
    assert found == RUNTIME_REQUIREMENTS


def test_the_environment_check_names_what_is_missing_or_too_old():
    from importlib.metadata import PackageNotFoundError

    import pytest

    from helpers.notebook import environment_report

    installed = {"numpy": "2.4.6", "torch": "2.5.1+cu121"}

    def find(package):
        if package not in installed:
            raise PackageNotFoundError(package)
        return installed[package]

    lines, problems = environment_report({"numpy": "2.0", "torch": "2.13.0", "pillow": "10"}, find)
    assert problems == ["torch 2.5.1+cu121 is older than 2.13.0", "pillow is missing"]
    assert any(line.split() == ["numpy", "2.4.6", "ok"] for line in lines)
    assert any("missing" in line and "pillow" in line for line in lines)
    lines, problems = environment_report({"numpy": "1.26"}, lambda package: "1.26.4")
    assert problems == []
    with pytest.raises(RuntimeError, match="pip install -r requirements.txt"):
        import helpers.notebook as notebook

        original = notebook.RUNTIME_REQUIREMENTS
        notebook.RUNTIME_REQUIREMENTS = {"no-such-package-anywhere": "1"}
        try:
            notebook.check_environment()
        finally:
            notebook.RUNTIME_REQUIREMENTS = original

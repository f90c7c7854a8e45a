"""Hygiene of the committed notebooks: executed top to bottom, clean, small, titled.

nbval (run by the same pytest command) executes every notebook again; these tests check the
committed files themselves, which is what a reader on a repository web page sees.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
MAX_BYTES = 2 * 1024 * 1024


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_in_order_in_a_fresh_kernel(path):
    code = [cell for cell in load(path)["cells"] if cell["cell_type"] == "code"]
    counts = [cell["execution_count"] for cell in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: execution counts {counts}; run it top to bottom in a fresh kernel"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_holds_no_error_output(path):
    for number, cell in enumerate(load(path)["cells"]):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", (
                f"{path.name}, cell {number}: {output.get('ename')}: {output.get('evalue')}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_is_small(path):
    size = path.stat().st_size
    assert size < MAX_BYTES, f"{path.name} is {size / 2**20:.2f} MiB, over 2 MiB"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_a_title_cell(path):
    first = load(path)["cells"][0]
    source = "".join(first["source"])
    assert first["cell_type"] == "markdown" and source.startswith("# "), (
        f"{path.name}: the first cell must be a markdown title starting with '# '"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_to_notebooks_point_to_existing_files(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            for target in re.findall(r"\]\(([^)#\s]+\.ipynb)", "".join(cell["source"])):
                assert (path.parent / target).is_file(), f"{path.name}: broken link to {target}"

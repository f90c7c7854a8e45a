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


# ---------------------------------------------------------------- second-edition conventions
# (../shared/course-design.md, "Second edition"; the course's conventions, tested)

# A notebook never has fewer asserts than its first edition had.
FIRST_EDITION_ASSERTS = {
    "00": 6,
    "01": 28,
    "02": 40,
    "03": 26,
    "04": 32,
    "05": 22,
    "06": 20,
    "07": 42,
}
# Non-blank lines of code outside collapsed check cells: at most 200.
VISIBLE_CODE_LIMIT = 200


def number(path: Path) -> str:
    return path.name[:2]


def code_cells(path: Path) -> list[dict]:
    return [cell for cell in load(path)["cells"] if cell["cell_type"] == "code"]


def is_check(cell: dict) -> bool:
    return "check" in cell["metadata"].get("tags", [])


def is_collapsed(cell: dict) -> bool:
    return bool(cell["metadata"].get("jupyter", {}).get("source_hidden"))


def count_asserts(source: str) -> int:
    return len(re.findall(r"^\s*assert\b", source, flags=re.MULTILINE))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_no_fewer_asserts_than_its_first_edition(path):
    asserts = sum(count_asserts("".join(cell["source"])) for cell in code_cells(path))
    first = FIRST_EDITION_ASSERTS[number(path)]
    assert asserts >= first, f"{path.name}: {asserts} asserts, the first edition had {first}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_shows_at_most_200_lines_of_code_outside_check_cells(path):
    visible = sum(
        len([line for line in "".join(cell["source"]).splitlines() if line.strip()])
        for cell in code_cells(path)
        if not (is_check(cell) and is_collapsed(cell))
    )
    limit = VISIBLE_CODE_LIMIT
    assert visible <= limit, f"{path.name}: {visible} visible lines of code, at most {limit}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_check_cells_are_collapsed_tagged_and_print_one_line(path):
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code" or not (is_check(cell) or is_collapsed(cell)):
            continue
        where = f"{path.name}, cell {index}"
        assert is_check(cell) and is_collapsed(cell), f"{where}: a check is tagged and collapsed"
        assert count_asserts("".join(cell["source"])), f"{where}: a check cell asserts"
        text = "".join(
            "".join(output.get("text", ""))
            for output in cell["outputs"]
            if output["output_type"] == "stream"
        )
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) == 1, f"{where}: a check prints one line, this one printed {lines}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_carries_its_description(path):
    for index, cell in enumerate(code_cells(path)):
        for output in cell["outputs"]:
            data = output.get("data", {})
            where = f"{path.name}, code cell {index}"
            assert "image/png" not in data, (
                f"{where}: a bare PNG has no text alternative; show it with "
                "helpers.plotting.show_figure(fig, alt=...)"
            )
            for tag in re.findall(r"<img\b[^>]*>", "".join(data.get("text/html", ""))):
                alt = re.search(r'\balt="([^"]*)"', tag)
                assert alt and len(alt.group(1).split()) >= 4, f"{where}: an image without alt text"

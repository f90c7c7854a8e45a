"""Build the course's website from the committed notebooks and the README: offline, nothing run.

    .venv/bin/python docs/build_site.py          # the site in build/site/html/index.html
    .venv/bin/python docs/build_site.py OUT      # the site in OUT/html/index.html

Sphinx with myst-nb (configured in ``docs/conf.py``) renders each notebook's saved outputs;
no cell is executed. This script first lays out in ``OUT/source`` what Sphinx reads, generated
and never committed: the start page ``docs/index.md`` (the README's overview and the table of
contents), the README, the files they link to, and a copy of each notebook made for a page
without a kernel:

- check cells (tagged ``check``, or collapsed with ``jupyter.source_hidden``) get myst-nb's
  ``hide-input`` tag: their code is folded away, their one printed line shown;
- a widget's output, which needs a kernel to draw, becomes a note that the live widget runs in
  JupyterLab and how to open it there; its static twin, saved just before it, stays;
- the saved widget state is dropped (myst-nb would load a widget manager from the web for it);
- inline math ``$...$`` that runs over a line break is joined into one line: JupyterLab takes
  math out before it reads the Markdown, MyST does not, and a continuation line that starts
  with ``+`` or ``-`` would become a list item there.
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
NOTEBOOKS = "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A Markdown link or image: [text](target) or ![alt](target "title").
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Code that Markdown shows as it is: fenced blocks and `spans`.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`]+`)", re.DOTALL)
# Inline math: from one $ (not $$, not \$) to the next, within a paragraph (no blank line).
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?![ \t]*\n))+?)(?<![\\$])\$(?!\$)")


def is_check_cell(cell: dict) -> bool:
    """Whether a cell is one of the collapsed check cells of the course's convention."""
    collapsed = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden", False)
    return cell.get("cell_type") == "code" and ("check" in tags(cell) or bool(collapsed))


def tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def shows_picture(output: dict) -> bool:
    """Whether an output is a picture: a PNG or JPEG, or HTML with an <img> (a static twin)."""
    data = output.get("data", {})
    html = "".join(data.get("text/html", ""))
    return "image/png" in data or "image/jpeg" in data or "<img" in html


def widget_note(notebook: str, twin_above: bool) -> dict:
    """The output that stands for a live widget on a page without a kernel."""
    still = (
        "The still picture of it above was saved when the notebook was run. " if twin_above else ""
    )
    text = (
        '<p class="course-live-widget-note"><strong>Live widget.</strong> '
        f"{still}The widget itself needs a running Python kernel, so it works in JupyterLab, "
        'not on this page: set the course up as the <a href="../index.html">start page</a> '
        "says, open this notebook with "
        f"<code>.venv/bin/jupyter lab {html.escape(notebook)}</code> "
        "and run all its cells (Run &#9656; Run All Cells).</p>"
    )
    return nbformat.v4.new_output("display_data", data={"text/html": text})


def prepare_notebook(notebook: dict, path: str) -> dict:
    """A copy of ``notebook`` (repository path ``path``) made for a page without a kernel.

    A widget's static twin is, by the course's convention, a picture that a cell calling
    ``.static()`` shows somewhere before the widget; the note mentions it when there is one.
    """
    page = copy.deepcopy(notebook)
    page.get("metadata", {}).pop("widgets", None)
    twin_above = False
    for cell in page.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            cell["source"] = join_inline_math(source)
        if is_check_cell(cell):
            cell.setdefault("metadata", {})["tags"] = [*tags(cell), "hide-input"]
        outputs = []
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output, twin_above = widget_note(path, twin_above), False
            elif ".static()" in source and shows_picture(output):
                twin_above = True
            outputs.append(output)
        if cell.get("cell_type") == "code":
            cell["outputs"] = outputs
    return page


def join_inline_math(markdown: str) -> str:
    """``markdown`` with the line breaks inside inline ``$...$`` math turned into spaces."""
    parts = CODE.split(markdown)
    for index in range(0, len(parts), 2):  # the even parts are outside code
        parts[index] = INLINE_MATH.sub(
            lambda match: match.group(0).replace("\n", " "), parts[index]
        )
    return "".join(parts)


def relative_links(markdown: str) -> list[str]:
    """The relative link and image targets of a Markdown text, without their #anchors."""
    targets = []
    for target in LINK.findall(markdown):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        targets.append(target.split("#")[0])
    return [target for target in targets if target]


def copy_linked_files(markdown: str, base: Path, source: Path) -> None:
    """Copy the repository files that ``markdown`` (a file in folder ``base``) links to.

    Notebooks are left out (they are prepared separately); a linked Markdown file becomes a
    page of its own, reachable by its link but outside the table of contents.
    """
    for target in relative_links(markdown):
        linked = (base / target).resolve()
        if not linked.is_file() or not linked.is_relative_to(REPO) or linked.suffix == ".ipynb":
            continue
        destination = source / linked.relative_to(REPO)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if linked.suffix == ".md":
            destination.write_text("---\norphan: true\n---\n" + linked.read_text())
        else:
            shutil.copyfile(linked, destination)


def lay_out_sources(source: Path) -> list[str]:
    """Write into ``source`` what Sphinx reads; return the notebooks' paths in course order."""
    if source.exists():
        shutil.rmtree(source)
    (source / NOTEBOOKS).mkdir(parents=True)
    shutil.copyfile(DOCS / "index.md", source / "index.md")
    readme = (REPO / "README.md").read_text()
    (source / "README.md").write_text(readme)
    copy_linked_files(readme, REPO, source)
    paths = []
    for path in sorted((REPO / NOTEBOOKS).glob("[0-9]*.ipynb")):
        relative = path.relative_to(REPO).as_posix()
        notebook = nbformat.read(path, as_version=4)
        page = prepare_notebook(notebook, relative)
        nbformat.write(nbformat.from_dict(page), source / relative)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                copy_linked_files(cell.source, path.parent, source)
        paths.append(relative)
    return paths


def build(out: Path, quiet: bool = True) -> Path:
    """Build the site into ``out/html`` (sources in ``out/source``); return its index page.

    Sphinx runs with warnings as errors: a broken link or reference fails the build.
    """
    from sphinx.cmd.build import build_main

    out = out.resolve()
    source, site = out / "source", out / "html"
    lay_out_sources(source)
    arguments = ["-b", "html", "-c", str(DOCS), "-d", str(out / "doctrees"), "-W", "-n"]
    arguments += ["-q"] if quiet else []
    status = build_main([*arguments, str(source), str(site)])
    if status != 0:
        raise RuntimeError(f"sphinx-build failed with status {status} (its messages are above)")
    return site / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = REPO / "build" / "site"
    parser.add_argument("out", nargs="?", type=Path, default=default, help=f"default: {default}")
    arguments = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        index = build(arguments.out)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"site built in {time.perf_counter() - start:.1f} s: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

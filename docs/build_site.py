"""Build the course's website from the committed notebooks and the README: offline, nothing run.

    .venv/bin/python docs/build_site.py          # the site in build/site/html/index.html
    .venv/bin/python docs/build_site.py OUT      # the site in OUT/html/index.html

Sphinx with myst-nb (configured in ``docs/conf.py``) renders each notebook's saved outputs;
no cell is executed. This script first lays out in ``OUT/source`` what Sphinx reads, generated
and never committed: the start page ``docs/index.md`` (the README's overview and the table of
contents), the README, the repository files they link to (a link to a folder, which a static
site cannot show, becomes plain text), and a copy of each notebook made for a page without a
kernel:

- check cells (tagged ``check``, or collapsed with ``jupyter.source_hidden``) get myst-nb's
  ``hide-input`` tag: their code is folded away, their one printed line shown;
- a widget's output, which needs a kernel to draw, becomes a note that the live widget runs in
  JupyterLab and how to open it there; its static twin, shown before it, stays;
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
LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Code that Markdown shows as it is: fenced blocks and `spans`.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`]+`)", re.DOTALL)
# Inline math: from one $ (not $$, not \$) to the next, within a paragraph (no blank line).
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?![ \t]*\n))+?)(?<![\\$])\$(?!\$)")


def is_folded(cell: dict) -> bool:
    """Whether a code cell's source is folded: a check cell, or one collapsed in JupyterLab."""
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
        if is_folded(cell):
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


def local_path(target: str) -> str | None:
    """The path part of a relative link target, or None for a web address or an #anchor."""
    if "://" in target or target.startswith(("#", "mailto:")):
        return None
    return target.split("#")[0] or None


def relative_links(markdown: str) -> list[str]:
    """The relative link and image targets of a Markdown text, without their #anchors."""
    paths = (local_path(match.group(3)) for match in LINK.finditer(markdown))
    return [path for path in paths if path]


def localize_links(markdown: str, base: Path, source: Path) -> str:
    """Make the relative links of ``markdown``, a file in folder ``base``, work on the site.

    A linked repository file is copied into ``source`` (notebooks are prepared separately;
    a Markdown file becomes a page outside the table of contents, its own links made to work
    in turn); a link to a folder, which a static site cannot show, becomes its plain text.
    """

    def localize(match: re.Match) -> str:
        path = local_path(match.group(3))
        linked = (base / path).resolve() if path else None
        if linked is None or not linked.is_relative_to(REPO):
            return match.group(0)
        if linked.is_dir() and not match.group(1):
            return match.group(2)
        if linked.is_file() and linked.suffix != ".ipynb":
            copy_linked_file(linked, source)
        return match.group(0)

    return LINK.sub(localize, markdown)


def copy_linked_file(linked: Path, source: Path) -> None:
    destination = source / linked.relative_to(REPO)
    if destination.exists():
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    if linked.suffix != ".md":
        shutil.copyfile(linked, destination)
        return
    text = localize_links(linked.read_text(), linked.parent, source)
    front = text.startswith("---\n")
    destination.write_text("---\norphan: true\n" + (text[4:] if front else "---\n" + text))


def lay_out_sources(source: Path) -> None:
    """Write into ``source`` what Sphinx reads."""
    (source / NOTEBOOKS).mkdir(parents=True)
    shutil.copyfile(DOCS / "index.md", source / "index.md")
    readme = (REPO / "README.md").read_text()
    (source / "README.md").write_text(localize_links(readme, REPO, source))
    for path in sorted((REPO / NOTEBOOKS).glob("[0-9]*.ipynb")):
        relative = path.relative_to(REPO).as_posix()
        notebook = nbformat.read(path, as_version=4)
        page = nbformat.from_dict(prepare_notebook(notebook, relative))
        for cell in page.cells:
            if cell.cell_type == "markdown":
                cell.source = localize_links(cell.source, path.parent, source)
        nbformat.write(page, source / relative)


def build(out: Path) -> Path:
    """Build the site afresh into ``out/html`` (sources in ``out/source``); return its index.

    Sphinx runs with warnings as errors: a broken link or reference fails the build.
    """
    from sphinx.cmd.build import build_main

    out = out.resolve()
    source, site, doctrees = out / "source", out / "html", out / "doctrees"
    for folder in (source, site, doctrees):
        if folder.exists():
            shutil.rmtree(folder)
    lay_out_sources(source)
    arguments = ["-b", "html", "-c", str(DOCS), "-d", str(doctrees), "-W", "-n", "-q"]
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

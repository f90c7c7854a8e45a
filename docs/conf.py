"""Sphinx configuration of the course's website; build it with ``docs/build_site.py``.

myst-nb shows the notebooks as committed (nothing is executed) in the book theme. Nothing is
fetched from the web, at build time or by the pages: MathJax 3 is copied from the pip package
``sphinx-mathjax-offline`` into the site, and the widgets' JavaScript is not loaded.
"""

from importlib.metadata import distribution
from pathlib import Path

from sphinx.util.fileutil import copy_asset

REPO = Path(__file__).resolve().parents[1]
# The README's first line is the course's title.
project = (REPO / "README.md").read_text().splitlines()[0].lstrip("# ").strip()
html_title = project

extensions = ["myst_nb"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
# The committed outputs are the content: never execute a notebook.
nb_execution_mode = "off"
nb_merge_streams = True
# No widget manager from a CDN: widget outputs are replaced by a note in the page's copy.
nb_ipywidgets_js = {}
nb_render_markdown_format = "myst"
# A notebook may jump from # to ###, as JupyterLab allows.
suppress_warnings = ["myst.header"]

html_theme = "sphinx_book_theme"
# No download button: its "source" entry would point at sources the site does not copy.
html_theme_options = {"home_page_in_toc": True, "show_toc_level": 2, "use_download_button": False}
# The figures and printed sources are drawn for a light page.
html_context = {"default_mode": "light"}
html_favicon = "favicon.svg"
html_static_path = ["site.css"]
html_css_files = ["site.css"]
html_copy_source = False
exclude_patterns = ["README.md"]  # included in index.md, not a page of its own
html_show_sourcelink = False

# MathJax 3 from the site itself: the CHTML bundle and what it loads on demand.
mathjax_path = "mathjax/tex-chtml.js"
MATHJAX_PACKAGE = distribution("sphinx-mathjax-offline")
MATHJAX = Path(str(MATHJAX_PACKAGE.locate_file("sphinx-mathjax-offline/static/mathjax")))
MATHJAX_FILES = ["tex-chtml.js", "a11y", "adaptors", "input", "output", "sre", "ui"]


def copy_mathjax(app, exception) -> None:
    if exception is None:
        target = Path(app.outdir, "_static", "mathjax")
        for name in MATHJAX_FILES:
            copied = MATHJAX / name
            copy_asset(str(copied), str(target / name if copied.is_dir() else target))


def setup(app) -> None:
    app.connect("build-finished", copy_mathjax)

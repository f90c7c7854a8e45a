"""The course's website: how a notebook is prepared for it, and the built site in a real browser.

The browser test runs the README's command (``docs/build_site.py``) into a temporary folder,
serves the site from a local HTTP server (``file://`` would hide missing files) and opens, in
headless Chromium, the start page and three notebook pages: the first, the middle and the last.
Each must have a title, math typeset by the site's own MathJax with no raw ``$...$`` left and
no TeX error, every picture loaded at the size it was committed with its alt text, check cells
folded, widgets replaced by their note, and previous/next links to the neighbours in course
order that work. Any console error, any request answered 4xx/5xx and any request leaving the
local server fails it (such requests are blocked).

Set ``COURSE_SITE_SCREENSHOT=docs/site-notebook.png`` to also save the README's screenshot of
the middle notebook's page.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import importlib.util
import io
import os
import re
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest
from browser_harness import CHROMIUM, CHROMIUM_ARGS, screenshots_on_failure

REPO = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = REPO / "docs" / "build_site.py"
BUILD_TIMEOUT_S = 300
PAGE_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 800}
IMG_ALT = re.compile(r"<img\b[^>]*\balt=\"([^\"]*)\"")
IMG_DATA = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)")


def _load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = _load_build_site()


# --------------------------------------------------------------------------- preparing notebooks


def _widget_output() -> dict:
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    return nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "VBox(...)"},
    )


def _twin_output() -> dict:
    html = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="the kernel editor: sum 1.00">'
    return nbformat.v4.new_output("display_data", data={"text/html": html})


def _notebook() -> dict:
    check = nbformat.v4.new_code_cell("assert 1 + 1 == 2\nprint('checked: 1 + 1 = 2')")
    check.metadata.update(tags=["check"], jupyter={"source_hidden": True})
    hidden = nbformat.v4.new_code_cell("x = 1")
    hidden.metadata.update(jupyter={"source_hidden": True})
    twin = nbformat.v4.new_code_cell("display(editor.live.static())")
    twin.outputs = [_twin_output()]
    widget = nbformat.v4.new_code_cell("editor")
    widget.outputs = [_widget_output()]
    figure = nbformat.v4.new_code_cell("show_figure(fig, alt='a figure, not a twin')")
    figure.outputs = [_twin_output()]
    bare = nbformat.v4.new_code_cell("slider")
    bare.outputs = [_widget_output()]
    cells = [
        nbformat.v4.new_markdown_cell("# A notebook\n\nSee [the next](01_next.ipynb)."),
        nbformat.v4.new_code_cell("print('shown')"),
        check, hidden, twin,
        nbformat.v4.new_markdown_cell("Move the sliders:"),
        widget, figure, bare,
    ]  # fmt: skip
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


def test_check_cells_fold_their_code_and_other_cells_stay_as_they_are():
    page = build_site.prepare_notebook(_notebook(), "notebooks/02_x.ipynb")
    tags = [cell.get("metadata", {}).get("tags", []) for cell in page["cells"]]
    assert tags[2] == ["check", "hide-input"]
    assert tags[3] == ["hide-input"]  # collapsed in JupyterLab, so folded on the page too
    assert tags[1] == [] and tags[4] == [] and tags[6] == []


def test_widgets_become_a_note_on_how_to_open_them_after_their_static_twin():
    notebook = _notebook()
    original = copy.deepcopy(notebook)
    page = build_site.prepare_notebook(notebook, "notebooks/02_x.ipynb")
    assert notebook == original, "prepare_notebook changed the notebook it was given"
    assert "widgets" not in page["metadata"], "saved widget state makes myst-nb load a CDN"
    assert page["cells"][4]["outputs"] == [_twin_output()]
    (note,) = page["cells"][6]["outputs"]
    (lone,) = page["cells"][8]["outputs"]
    for output, still in ((note, True), (lone, False)):
        assert list(output["data"]) == ["text/html"]
        text = output["data"]["text/html"]
        assert "JupyterLab" in text and ".venv/bin/jupyter lab notebooks/02_x.ipynb" in text
        assert ("still picture of it above" in text) == still, text


def test_inline_math_over_a_line_break_is_joined_as_jupyterlab_reads_it():
    # MyST would read "+ b$ ..." as a list item and leave the math raw.
    markdown = "Return $a\n+ b$ for `$d\n` and $$c\n- d$$, not $5\n\nor $6."
    joined = "Return $a + b$ for `$d\n` and $$c\n- d$$, not $5\n\nor $6."
    assert build_site.join_inline_math(markdown) == joined


def test_relative_links_skip_web_addresses_and_anchors():
    markdown = (
        '[a](notebooks/00_start.ipynb) ![shot](docs/shot.png "title") [web](https://x.org/a) '
        "[here](#two-commands) [part](data/README.md#source) [mail](mailto:a@b.c)"
    )
    links = build_site.relative_links(markdown)
    assert links == ["notebooks/00_start.ipynb", "docs/shot.png", "data/README.md"]


def test_linked_files_are_copied_and_folder_links_become_text(tmp_path):
    markdown = "![shot](docs/kernel-editor.png) the [helpers](helpers/) and [card](data/README.md)"
    localized = build_site.localize_links(markdown, REPO, tmp_path)
    assert localized == "![shot](docs/kernel-editor.png) the helpers and [card](data/README.md)"
    shot = tmp_path / "docs" / "kernel-editor.png"
    assert shot.read_bytes() == (REPO / "docs" / "kernel-editor.png").read_bytes()
    card = (tmp_path / "data" / "README.md").read_text()
    assert card.startswith("---\norphan: true\n")  # a page of its own, outside the contents


# --------------------------------------------------------------------------- the site in a browser


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site like a static host; remembers every path it could not serve."""

    missing: list[str]

    def list_directory(self, path):
        """No listings: a static host answers a folder without index.html with 404."""
        self.send_error(404, "no index.html in this folder")

    def send_error(self, code, message=None, explain=None):
        self.missing.append(f"{code} {self.path}")
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:
        """Quiet: what matters is recorded in ``missing``."""


@contextlib.contextmanager
def _serve(root: Path) -> Iterator[tuple[str, list[str]]]:
    missing: list[str] = []
    handler = type("Handler", (_Handler,), {"missing": missing})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", missing
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built by the README's command into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), str(out)], cwd=REPO, capture_output=True,
        text=True, timeout=BUILD_TIMEOUT_S,
    )  # fmt: skip
    assert result.returncode == 0, f"the site build failed:\n{result.stdout}\n{result.stderr}"
    size = sum(path.stat().st_size for path in (out / "html").rglob("*") if path.is_file())
    print(f"site built in {time.monotonic() - started:.1f} s, {size / 2**20:.1f} MiB")
    return out / "html"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.skip(f"the playwright package is not installed ({error}); pip install playwright")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install Debian's package: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


# What a page loads by itself: scripts, stylesheets, icons, images, frames.
LOADED = re.compile(
    r"<(?:script|img|iframe|source)\b[^>]*\ssrc=\"([^\"]*)\"|<link\b[^>]*\shref=\"([^\"]*)\""
)


def test_site_has_a_page_per_notebook_and_loads_nothing_from_the_web(site):
    """Without a browser too: every notebook has its page, and no page loads a remote file."""
    for path in sorted((REPO / "notebooks").glob("[0-9]*.ipynb")):
        assert (site / "notebooks" / f"{path.stem}.html").is_file(), f"no page for {path.name}"
    remote = {
        url
        for page in site.rglob("*.html")
        for match in LOADED.finditer(page.read_text())
        for url in match.groups()
        if url and re.match(r"(https?:)?//", url)
    }
    assert not remote, f"pages load files from the web: {sorted(remote)}"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def committed_figures(notebook) -> tuple[list[tuple[int, int]], list[str]]:
    """The sizes of a notebook's committed pictures, and the alt texts of its <img> outputs."""
    sizes, alts = [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                sizes.append(_png_size(base64.b64decode(data["image/png"])))
            html = "".join(data.get("text/html", ""))
            sizes += [_png_size(base64.b64decode(png)) for png in IMG_DATA.findall(html)]
            alts += [unescape(alt) for alt in IMG_ALT.findall(html)]
    return sizes, alts


def widget_outputs(notebook) -> int:
    return sum(
        build_site.WIDGET_VIEW in output.get("data", {})
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


# What the page shows: title, math, pictures, folded cells, notes, and its neighbours' links.
PAGE_REPORT_JS = """async () => {
    if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    const article = document.querySelector("article.bd-article");
    const prose = article.cloneNode(true);
    prose.querySelectorAll("pre, code, script, style, mjx-container, div.cell")
        .forEach((node) => node.remove());
    const images = [...article.querySelectorAll("img")];
    const link = (selector) => {
        const a = document.querySelector(selector);
        return a ? new URL(a.getAttribute("href"), location.href).href : null;
    };
    const checks = [...article.querySelectorAll("div.cell.tag_check")];
    // Every page or file this page links to on the site answers.
    const targets = new Set([...document.querySelectorAll("a[href]")]
        .map((a) => new URL(a.getAttribute("href"), location.href))
        .filter((url) => url.origin === location.origin)
        .map((url) => url.origin + url.pathname));
    const deadLinks = [];
    for (const target of targets) {
        const response = await fetch(target, {method: "HEAD"});
        if (!response.ok) deadLinks.push(`${response.status} ${target}`);
    }
    const h1 = article.querySelector("h1");
    const heading = h1 ? h1.cloneNode(true) : document.createElement("h1");
    heading.querySelectorAll(".headerlink").forEach((node) => node.remove());
    return {
        title: document.title,
        h1: heading.textContent.trim(),
        prose: prose.textContent,
        math: article.querySelectorAll("mjx-container").length,
        mathErrors: article.querySelectorAll("mjx-merror").length,
        images: images.map((img) => ({
            src: img.currentSrc.slice(0, 80), alt: img.alt, complete: img.complete,
            size: [img.naturalWidth, img.naturalHeight],
            figure: !!img.closest("div.cell_output"),
        })),
        checks: checks.length,
        checksFolded: checks.filter((cell) => {
            // Folded: the code is hidden in a closed <details>, its printed line shows.
            const details = cell.querySelector("details.above-input");
            const input = cell.querySelector(".cell_input");
            const output = cell.querySelector(".cell_output");
            return details && !details.open && input && !input.checkVisibility()
                && details.querySelector("summary").checkVisibility()
                && (!output || output.checkVisibility());
        }).length,
        widgetNotes: article.querySelectorAll(".course-live-widget-note").length,
        widgetReprs: [...article.querySelectorAll(".cell_output")].filter(
            (output) => /\\b[A-Z][A-Za-z]*Box\\(children=/.test(output.textContent)).length,
        links: targets.size,
        deadLinks,
        previous: link("a.left-prev"),
        next: link("a.right-next"),
    };
}"""

RAW_MATH = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[")


class Visit:
    """One browser page on the local site, with everything that went wrong in it recorded."""

    def __init__(self, browser, base: str, missing: list[str]):
        self.base, self.missing, self.problems = base, missing, []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT_MS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _only_local(self, route) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.problems.append(f"request leaving the site (blocked): {route.request.url}")
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, path: str) -> dict:
        response = self.page.goto(f"{self.base}/{path}", wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        return self.page.evaluate(PAGE_REPORT_JS)

    def check_clean(self) -> None:
        problems = self.problems + [f"server could not serve: {path}" for path in self.missing]
        assert not problems, "\n".join(problems)

    def close(self) -> None:
        self.context.close()


def check_page(report: dict, path: str, notebook=None) -> None:
    """What every page must show; for a notebook's page, what its notebook holds."""
    assert report["h1"], f"{path}: no title (h1)"
    assert report["links"] and not report["deadLinks"], f"{path}: dead links {report['deadLinks']}"
    assert report["title"].startswith(report["h1"]), f"{path}: title {report['title']!r}"
    raw = RAW_MATH.findall(report["prose"])
    assert not raw, f"{path}: math left raw (MathJax did not typeset it): {raw[:5]}"
    assert report["mathErrors"] == 0, f"{path}: {report['mathErrors']} TeX errors"
    broken = [image for image in report["images"] if not (image["complete"] and image["size"][0])]
    assert not broken, f"{path}: pictures that did not load: {broken}"
    assert report["images"], f"{path}: no picture"
    if notebook is None:
        return
    sources = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    if "$" in sources:
        assert report["math"] > 0, f"{path}: the notebook has math, the page no typeset math"
    sizes, alts = committed_figures(notebook)
    figures = [image for image in report["images"] if image["figure"]]
    assert len(figures) == len(sizes), f"{path}: {len(figures)} figures shown of {len(sizes)}"
    shown = sorted(tuple(image["size"]) for image in figures)
    assert shown == sorted(sizes), f"{path}: figures not at their committed size"
    lost = set(alts) - {image["alt"] for image in figures}
    assert not lost, f"{path}: alt texts lost: {sorted(lost)[:3]}"
    checks = sum("check" in cell.metadata.get("tags", []) for cell in notebook.cells)
    assert report["checks"] == checks, f"{path}: {report['checks']} check cells of {checks}"
    assert report["checksFolded"] == checks, f"{path}: check cells whose code shows"
    widgets = widget_outputs(notebook)
    assert report["widgetNotes"] == widgets, (
        f"{path}: {report['widgetNotes']} notes, {widgets} widgets"
    )
    assert report["widgetReprs"] == 0, f"{path}: a widget's text repr is shown"


# Scroll to the first section whose heading, math and first figure fit in the window together,
# else to the first figure.
SCROLL_TO_SHOWCASE_JS = """() => {
    const sections = [...document.querySelectorAll("article.bd-article section")];
    for (const section of sections) {
        const heading = section.querySelector("h2, h3");
        const figure = section.querySelector("div.cell_output img");
        const math = section.querySelector("mjx-container");
        if (!heading || !figure || !math) continue;
        const top = heading.getBoundingClientRect().top;
        if (figure.getBoundingClientRect().bottom - top < window.innerHeight - 60) {
            window.scrollBy(0, top - 60);
            return heading.textContent;
        }
    }
    const figure = document.querySelector("div.cell_output img");
    if (figure) figure.scrollIntoView({block: "center"});
    return null;
}"""


def save_screenshot(visit: Visit, target: Path) -> None:
    """The README's picture of a notebook's page, as a small 256-colour PNG."""
    from PIL import Image

    visit.page.evaluate(SCROLL_TO_SHOWCASE_JS)
    visit.page.wait_for_timeout(300)
    image = Image.open(io.BytesIO(visit.page.screenshot()))
    image.convert("RGB").quantize(colors=256).save(target, optimize=True)
    size_kib = target.stat().st_size / 1024
    print(f"screenshot saved: {target} ({size_kib:.0f} KiB)")
    assert size_kib < 300, f"the README screenshot {target} is {size_kib:.0f} KiB, keep it < 300"


@pytest.mark.browser
def test_site_pages_in_a_browser(site, browser):
    """Start page and three notebook pages: content, links, and nothing missing or fetched."""
    notebooks = sorted((REPO / "notebooks").glob("[0-9]*.ipynb"))
    order = ["index.html"] + [f"notebooks/{path.stem}.html" for path in notebooks]
    # Three notebooks with figures: the first, the middle and the last of them.
    illustrated = [
        position for position, path in enumerate(notebooks, start=1)
        if committed_figures(nbformat.read(path, as_version=4))[0]
    ]  # fmt: skip
    assert len(illustrated) >= 3, f"only {len(illustrated)} notebooks with figures"
    picked = [illustrated[0], illustrated[len(illustrated) // 2], illustrated[-1]]
    started = time.monotonic()
    with _serve(site) as (base, missing):
        visit = Visit(browser, base, missing)
        try:
            for position in [0, *picked]:
                path = order[position]
                with screenshots_on_failure(visit.page, f"site-{Path(path).stem}"):
                    report = visit.open(path)
                    notebook = None
                    if position:
                        notebook = nbformat.read(notebooks[position - 1], as_version=4)
                    check_page(report, path, notebook)
                    expected = {
                        "previous": order[position - 1] if position > 0 else None,
                        "next": order[position + 1] if position + 1 < len(order) else None,
                    }
                    for side, target in expected.items():
                        got = report[side]
                        want = f"{base}/{target}" if target else None
                        assert got == want, f"{path}: {side} link to {got}, expected {want}"
                        # Every link answers (deadLinks); follow one of each kind to be sure.
                        first, last = position == 0, position == picked[-1]
                        if target and ((first and side == "next") or (last and side == "previous")):
                            visit.page.click("a.right-next" if side == "next" else "a.left-prev")
                            visit.page.wait_for_url(want)
                            arrived = visit.page.evaluate(PAGE_REPORT_JS)
                            assert arrived["h1"], f"{side} of {path}: page without a title"
                            visit.page.go_back(wait_until="load")
                    if position == picked[1] and os.environ.get("COURSE_SITE_SCREENSHOT"):
                        save_screenshot(visit, REPO / os.environ["COURSE_SITE_SCREENSHOT"])
                    visit.check_clean()
        finally:
            visit.close()
    print(f"site: {len(picked) + 1} pages checked in {time.monotonic() - started:.1f} s")

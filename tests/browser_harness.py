"""JupyterLab in headless Chromium, driven like a learner: the machinery of the browser tests.

One JupyterLab server runs headless on 127.0.0.1 over a temporary copy of the course
(:func:`running_lab`), so autosave rewrites nothing in the repository. :func:`open_notebook`
opens a notebook in a fresh page, waits until its kernel is connected and idle, runs all cells
and fails on any error output; a :class:`Learner` then drives one widget by its CSS classes
(sliders, menus, typing, buttons) and checks what it shows, and a :class:`Session` records
errors in the browser console and in the kernel's widget callbacks.

Used by ``tests/test_browser.py`` (the learner scripts, under pytest) and by
``benchmarks/kernel_editor_browser.py`` (end-to-end timings). Needs Debian's ``chromium``
(``/usr/bin/chromium``) and the ``playwright`` package; :func:`missing_tools` says which is
missing.

Widgets follow the course's CSS conventions: the top box has classes ``course-widget`` and
``course-<name>``, each control ``course-<name>-<control>``, the image ``course-<name>-figure``,
readouts ``course-<name>-<what>``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which
# this machine's closed network refuses; the others are what headless Chromium needs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT_S = 90
KERNEL_READY_TIMEOUT_S = 120
RUN_ALL_TIMEOUT_S = 480  # notebook 06 trains 57 runs: 228 s in JupyterLab at a load of 5
REDRAW_TIMEOUT_S = 20
# What the copy of the course leaves out: version control, the venv, caches, test artifacts.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".ipynb_checkpoints", "artifacts", "*.egg-info",
    ".hypothesis", ".pytest_cache", ".ruff_cache", "build",
)  # fmt: skip


# --------------------------------------------------------------------------- the server


@dataclass
class Lab:
    """A running JupyterLab server over a copy of the course."""

    url: str
    log: Path
    root: Path | None = None

    def shutdown_kernels(self) -> None:
        """Stop every kernel the page started, so the next notebook gets the machine."""
        for session in json.loads(_get(f"{self.url}/api/sessions")):
            request = urllib.request.Request(
                f"{self.url}/api/sessions/{session['id']}", method="DELETE"
            )
            urllib.request.urlopen(request, timeout=30).close()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_course(root: Path) -> None:
    """Copy the course (notebooks, helpers, data, test fixtures) to ``root``."""
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, dirs_exist_ok=True)
    settings = root / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Start the notebook's kernel without asking which one (no kernel-picker dialog).
    tracker = {"autoStartDefaultKernel": True}
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps(tracker))
    # No "get notified about Jupyter news?" toast over the page (and the README's screenshot).
    notification = root / ".settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    no_news = {"fetchNews": "false"}
    (notification / "notification.jupyterlab-settings").write_text(json.dumps(no_news))


def _lab_command(root: Path, port: int) -> list[str]:
    return [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.workspaces_dir={root / '.ws'}",
        f"--LabApp.user_settings_dir={root / '.settings'}",
    ]  # fmt: skip


def _lab_environment(root: Path) -> dict[str, str]:
    """The server's (and so the kernels') environment: the copy's helpers, private Jupyter dirs."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(root),
        JUPYTER_CONFIG_DIR=str(root / ".jupyter" / "config"),
        JUPYTER_DATA_DIR=str(root / ".jupyter" / "data"),
        JUPYTER_RUNTIME_DIR=str(root / ".jupyter" / "runtime"),
        IPYTHONDIR=str(root / ".jupyter" / "ipython"),
    )
    return env


def _wait_for_status(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        with contextlib.suppress(OSError):
            json.loads(_get(f"{url}/api/status"))
            return
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer /api/status in {SERVER_START_TIMEOUT_S} s:\n"
                       f"{log.read_text()[-3000:]}")  # fmt: skip


def _stop(process: subprocess.Popen, url: str) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure it is gone."""
    with contextlib.suppress(OSError):
        request = urllib.request.Request(f"{url}/api/shutdown", method="POST")
        urllib.request.urlopen(request, timeout=10).close()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def missing_tools() -> str | None:
    """Why the browser cannot run here (a missing package or browser), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"the playwright package is not installed ({error}); pip install playwright"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing; install Debian's package: apt-get install -y chromium"
    return None


@contextlib.contextmanager
def running_lab(root: Path | None = None) -> Iterator[Lab]:
    """A JupyterLab server over a copy of the course made in ``root`` (a new directory under a
    temporary one by default); stopped, with its kernels, on leaving the block."""
    with contextlib.ExitStack() as stack:
        if root is None:
            temporary = stack.enter_context(tempfile.TemporaryDirectory(prefix="course-lab-"))
            root = Path(temporary) / "course"
        _copy_course(root)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = root.parent / "jupyterlab.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                _lab_command(root, port), cwd=root, env=_lab_environment(root),
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        try:
            _wait_for_status(url, process, log)
            yield Lab(url=url, log=log, root=root)
        finally:
            _stop(process, url)


@contextlib.contextmanager
def headless_chromium() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright; closed on leaving the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- the page

# The notebook panel in front, its context loaded, its kernel connected and idle.
KERNEL_READY_JS = """(path) => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    if (!panel || !panel.context || !panel.sessionContext) return false;
    if (panel.context.path !== path || !panel.context.isReady) return false;
    const session = panel.sessionContext.session;
    const kernel = session && session.kernel;
    return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
}"""

# Record what the kernel reports outside cells: an exception in a widget callback never reaches a
# cell's output, the kernel sends it as an "error" message whose parent is the widget's comm_msg.
# One message there is harmless (seen once in a few runs): on connecting, ipywidgets' front end
# may open a comm of its own to ask for all widget states at once; a kernel that does not know
# it yet answers "No such comm: <id>" and the front end asks widget by widget instead. It is
# ignored for comms the kernel never opened; for a widget's comm (opened by the kernel) it fails.
WATCH_KERNEL_JS = """() => {
    window.courseKernelErrors = [];
    const kernelComms = new Set();
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    kernel.anyMessage.connect((_, {msg, direction}) => {
        const type = msg.header.msg_type;
        if (direction === "recv" && type === "comm_open") kernelComms.add(msg.content.comm_id);
        const fromWidget = msg.parent_header && msg.parent_header.msg_type === "comm_msg";
        const stderr = type === "stream" && msg.content.name === "stderr";
        if (direction !== "recv" || !fromWidget || !(type === "error" || stderr)) return;
        const text = type === "error" ? msg.content.traceback.join("\\n") : msg.content.text;
        const unknown = text.match(/^No such comm: (\\S+)\\s*$/);
        if (unknown && !kernelComms.has(unknown[1])) return;
        window.courseKernelErrors.push(text.replace(/\\u001b\\[[0-9;]*m/g, ""));
    });
}"""

# Clear the saved outputs (so no execution count is left from the committed notebook), run all
# cells, and resolve when the last has run, or with "timeout". The kernel skips the cells after
# one that raises, even on purpose (tagged "raises-exception"): go on below such a cell.
RUN_ALL_JS = """async (timeoutMs) => {
    const app = window.jupyterapp;
    const notebook = app.shell.currentWidget.content;
    const deadline = Date.now() + timeoutMs;
    const raisesOnPurpose = (cell) =>
        (cell.model.getMetadata("tags") || []).includes("raises-exception");
    await app.commands.execute("notebook:clear-all-cell-outputs");
    let command = "notebook:run-all-cells";
    for (;;) {
        const late = new Promise((resolve) =>
            setTimeout(() => resolve("timeout"), deadline - Date.now()));
        const result = String(await Promise.race([app.commands.execute(command), late]));
        if (result === "timeout") return result;
        const cells = notebook.widgets;
        const isCode = (cell) => cell.model.type === "code";
        const first = cells.findIndex((c) => isCode(c) && c.model.executionCount === null);
        const before = cells.slice(0, Math.max(first, 0)).reverse().find(isCode);
        if (first < 0 || !before || !raisesOnPurpose(before)) return result;
        notebook.activeCellIndex = first;
        command = "notebook:run-all-below";
    }
}"""

# Code cells that never ran, and error outputs of cells not tagged "raises-exception" (the tag
# nbval and JupyterLab honour for cells that show an error on purpose), from the notebook's model.
CELL_REPORT_JS = """() => {
    const all = window.jupyterapp.shell.currentWidget.content.widgets;
    const cells = all.filter((cell) =>
        cell.model.type === "code" && cell.model.sharedModel.getSource().trim() !== "");
    const expectsError = (cell) =>
        (cell.model.getMetadata("tags") || []).includes("raises-exception");
    return {
        unexecuted: cells.filter((cell) => cell.model.executionCount === null)
            .map((cell) => all.indexOf(cell)),
        errors: cells.filter((cell) => !expectsError(cell)).flatMap((cell) =>
            cell.model.outputs.toJSON().filter((output) => output.output_type === "error")
                .map((output) => `cell ${all.indexOf(cell)}: ${output.ename}: ${output.evalue}`)),
        // A traceback printed to stderr (by logging, say) is an error too.
        stderrTracebacks: cells.flatMap((cell) => cell.model.outputs.toJSON()
            .filter((output) => output.output_type === "stream" && output.name === "stderr")
            .map((output) => [output.text].flat().join(""))
            .filter((text) => text.includes("Traceback (most recent call last)"))
            .map((text) => `cell ${all.indexOf(cell)}: ${text}`)),
    };
}"""

# An image's src and its bytes (base64), read again if an update revokes the blob meanwhile.
PICTURE_JS = """async (img) => {
    for (let attempt = 0; attempt < 20; attempt++) {
        const src = img.src;
        try {
            const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
            let text = "";
            for (const byte of bytes) text += String.fromCharCode(byte);
            return {src, data: btoa(text)};
        } catch (error) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
    throw new Error("could not read the image behind " + img.src);
}"""

# How an image is drawn: its own size, the size of its box, and how it fits the box.
IMAGE_FIT_JS = """(img) => ({natural: [img.naturalWidth, img.naturalHeight],
                             shown: [img.clientWidth, img.clientHeight],
                             fit: getComputedStyle(img).objectFit})"""

NUMBER = re.compile(r"[-+\u2212]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_number(text: str, after: str = "") -> float:
    """The first number in ``text`` after the words ``after``; a Unicode minus is fine.

    ``parse_number("mean brightness: before 0.4, after 0.5", after="after")`` is 0.5.
    """
    start = text.find(after)
    match = NUMBER.search(text, start + len(after)) if start >= 0 else None
    if match is None:
        raise AssertionError(f"no number after {after!r} in readout {text!r}")
    return float(match.group().replace("\u2212", "-"))


@dataclass
class Picture:
    src: str
    digest: str


@dataclass
class Learner:
    """Drives one widget in the page by its CSS classes, and checks what it then shows.

    Parameters
    ----------
    session : Session
        The page showing the notebook.
    name : str
        The widget's name: its top box has class ``course-<name>``.
    """

    session: Session
    name: str
    actions: list[str] = field(default_factory=list)

    @property
    def page(self):
        return self.session.page

    @property
    def root(self):
        return self.page.locator(f".course-widget.course-{self.name}").first

    def control(self, suffix: str):
        """The element with class ``course-<name>-<suffix>`` inside the widget."""
        return self.root.locator(f".course-{self.name}-{suffix}")

    def figures(self):
        """The widget's pictures: ``<img>`` elements with class ``course-<name>-figure`` or
        inside an element with it (a ``helpers.live.LiveImage`` holds its ``<img>``)."""
        figure = f"course-{self.name}-figure"
        return self.root.locator(f"img.{figure}, .{figure} img")

    def picture(self) -> Picture:
        img = self.figures().first
        shot = img.evaluate(PICTURE_JS)
        return Picture(shot["src"], hashlib.sha256(base64.b64decode(shot["data"])).hexdigest())

    def check_figures_undistorted(self) -> None:
        """Each figure shows at its own aspect ratio (a flex box can stretch an image)."""
        figures = self.figures()
        assert figures.count(), f"{self.name}: no image with class course-{self.name}-figure"
        for index in range(figures.count()):
            fit = figures.nth(index).evaluate(IMAGE_FIT_JS)
            (width, height), (shown_width, shown_height) = fit["natural"], fit["shown"]
            if fit["fit"] in ("contain", "scale-down"):
                continue
            stretch = (shown_width / shown_height) / (width / height)
            assert abs(stretch - 1) < 0.02, (
                f"{self.name}: figure {index} is distorted: {width}x{height} PNG shown in a "
                f"{shown_width}x{shown_height} box (give the image layout object_fit='contain' "
                "or align_self='flex-start')"
            )

    def text(self, suffix: str) -> str:
        """The text of element ``suffix``, blanks collapsed.

        ``text_content``, not ``inner_text``: JupyterLab skips rendering cells out of view
        (CSS content-visibility), and the rendered text of those is empty.
        """
        return " ".join(self.control(suffix).first.text_content().split())

    def number(self, suffix: str, after: str = "") -> float:
        """The number readout ``suffix`` shows (the first one after the words ``after``)."""
        return parse_number(self.text(suffix), after)

    def numbers(self, suffix: str, pattern: str) -> tuple[float, ...]:
        """The groups of regex ``pattern`` in readout ``suffix``, as numbers."""
        text = self.text(suffix)
        match = re.search(pattern, text)
        if match is None:
            raise AssertionError(f"{pattern!r} not found in readout {text!r}")
        return tuple(float(group.replace("\u2212", "-")) for group in match.groups())

    def wait_until(
        self,
        check: Callable[[], bool],
        what: str | Callable[[], str],
        timeout_s: float = REDRAW_TIMEOUT_S,
    ) -> None:
        """Poll ``check`` (letting the page run) until it holds, else fail saying ``what``."""
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(AssertionError):
                if check():
                    return
            self.session.check_clean()  # a failing callback fails at once, with its traceback
            if time.monotonic() > deadline:
                message = what() if callable(what) else what
                raise AssertionError(f"{self.name}: {message} (waited {timeout_s} s)")
            self.page.wait_for_timeout(100)

    def expect_number(
        self, suffix: str, expected: float, tol: float = 2e-3, after: str = ""
    ) -> float:
        """Wait until readout ``suffix`` shows ``expected`` (within ``tol``) and return it."""
        self.wait_until(
            lambda: abs(self.number(suffix, after) - expected) <= tol,
            lambda: (
                f"readout {suffix} should read {expected:.6g} after {after!r} once "
                f"{self.actions[-1:]}, it reads {self._text_or_none(suffix)!r}"
            ),
        )
        return self.number(suffix, after)

    def expect_text(self, suffix: str, words: str) -> None:
        """Wait until readout ``suffix`` contains ``words``."""
        self.wait_until(
            lambda: words in self.text(suffix),
            lambda: (
                f"readout {suffix} should say {words!r} once {self.actions[-1:]}, "
                f"it reads {self._text_or_none(suffix)!r}"
            ),
        )

    def _text_or_none(self, suffix: str) -> str | None:
        with contextlib.suppress(Exception):
            return self.text(suffix)
        return None

    @contextlib.contextmanager
    def redraws(self, action: str, timeout_s: float = REDRAW_TIMEOUT_S):
        """Check that the block's action redraws the picture: a new image with other bytes."""
        self.actions.append(action)
        before = self.picture()
        started = time.monotonic()
        yield
        self.wait_until(
            lambda: self.figures().first.get_attribute("src") != before.src,
            f"the picture did not change after: {action}",
            timeout_s,
        )
        print(f"{self.name}: {action}: new picture after {time.monotonic() - started:.2f} s")
        # Later updates (a readout, a second redraw) may still come; compare the settled picture.
        self.page.wait_for_timeout(300)
        after = self.picture()
        assert after.digest != before.digest, f"{self.name}: same image bytes after: {action}"

    # Learner gestures ---------------------------------------------------------------------

    def press_slider(self, suffix: str, key: str = "ArrowRight", times: int = 1) -> None:
        """Focus the slider's handle and press an arrow key, as a keyboard user drags it."""
        handle = self.control(suffix).first.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(times):
            handle.press(key)

    def slider_value(self, suffix: str) -> float:
        return parse_number(self.control(suffix).first.locator(".widget-readout").text_content())

    def select(self, suffix: str, label: str) -> None:
        """Pick ``label`` from the dropdown menu ``suffix``."""
        self.control(suffix).first.locator("select").select_option(label=label)

    def options(self, suffix: str) -> list[str]:
        """The labels of the dropdown menu ``suffix`` (ipywidgets shows blanks as nbsp)."""
        menu = self.control(suffix).first.locator("select")
        labels = menu.evaluate("(menu) => [...menu.options].map((option) => option.text)")
        return [" ".join(label.split()) for label in labels]

    def selected(self, suffix: str) -> str:
        """The label the dropdown menu ``suffix`` shows."""
        menu = self.control(suffix).first.locator("select")
        label = menu.evaluate("(menu) => menu.options[menu.selectedIndex].text")
        return " ".join(label.split())

    def type_into(self, box, text: str) -> None:
        """Type ``text`` into a text box (a locator) and press Enter, as a learner does."""
        field_ = box.locator("input").first
        field_.scroll_into_view_if_needed()
        field_.click()
        field_.press("ControlOrMeta+a")
        field_.type(text)
        field_.press("Enter")

    def click(self, suffix: str) -> None:
        button = self.control(suffix).first
        button.scroll_into_view_if_needed()
        button.click()


# Messages the browser console shows as errors that say nothing about the course. Each entry
# is a regex and the reason it is harmless; anything else fails the test.
HARMLESS_CONSOLE_ERRORS: list[tuple[str, str]] = []


@dataclass
class Session:
    """A page showing one notebook, with everything that went wrong in it recorded."""

    page: object
    path: str
    console_errors: list[str] = field(default_factory=list)

    def kernel_errors(self) -> list[str]:
        """Errors and stderr the kernel sent from widget callbacks (see ``WATCH_KERNEL_JS``)."""
        return self.page.evaluate("() => window.courseKernelErrors || []")

    def run_in_kernel(self, code: str) -> None:
        """Run ``code`` in the notebook's kernel, outside any cell."""
        self.page.evaluate(
            """async (code) => {
                const panel = window.jupyterapp.shell.currentWidget;
                await panel.sessionContext.session.kernel.requestExecute({code}).done;
            }""",
            code,
        )

    def kernel_value(self, expression: str) -> str:
        """The kernel's ``repr`` of ``expression`` (evaluated outside any cell)."""
        return self.page.evaluate(
            """async (expression) => {
                const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                const request = {code: "", silent: true, user_expressions: {value: expression}};
                const reply = await kernel.requestExecute(request).done;
                const value = reply.content.user_expressions.value;
                return value.status === "ok" ? value.data["text/plain"] : value.evalue;
            }""",
            expression,
        )

    def check_clean(self) -> None:
        """Fail on errors in the browser console or in the kernel's widget callbacks."""
        assert not self.console_errors, "errors in the browser console:\n" + "\n".join(
            self.console_errors
        )
        errors = self.kernel_errors()
        assert not errors, "a widget callback failed in the kernel:\n" + "\n".join(errors)[-4000:]


def _harmless(message: str) -> bool:
    return any(re.search(pattern, message) for pattern, _reason in HARMLESS_CONSOLE_ERRORS)


def _save_screenshots(page, label: str) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
    paths = [ARTIFACTS / f"{stem}-page.png"]
    page.screenshot(path=str(paths[0]))
    widget = page.locator(".course-widget").first
    with contextlib.suppress(Exception):
        if widget.count():
            paths.append(ARTIFACTS / f"{stem}-widget.png")
            widget.screenshot(path=str(paths[1]), timeout=5000)
    return paths


@contextlib.contextmanager
def screenshots_on_failure(page, label: str):
    """On any failure inside the block, save screenshots and print where they are."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            for path in _save_screenshots(page, label):
                print(f"screenshot saved: {path}", file=sys.stderr)
        raise


@contextlib.contextmanager
def open_notebook(browser, lab: Lab, path: str) -> Iterator[Session]:
    """Open ``path`` in JupyterLab in a fresh page, run all cells, and fail on error outputs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    session = Session(page=page, path=path)

    def on_console(message) -> None:
        if message.type == "error" and not _harmless(message.text):
            session.console_errors.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: session.console_errors.append(f"page error: {error}"))
    try:
        with screenshots_on_failure(page, Path(path).stem):
            page.goto(f"{lab.url}/lab/tree/{path}?reset")
            page.wait_for_function(KERNEL_READY_JS, arg=path, timeout=KERNEL_READY_TIMEOUT_S * 1000)
            page.evaluate(WATCH_KERNEL_JS)
            started = time.monotonic()
            result = page.evaluate(RUN_ALL_JS, RUN_ALL_TIMEOUT_S * 1000)
            report = page.evaluate(CELL_REPORT_JS)
            print(f"{path}: run all cells -> {result} in {time.monotonic() - started:.1f} s")
            assert result != "timeout", f"{path}: run all took more than {RUN_ALL_TIMEOUT_S} s"
            assert not report["errors"], f"{path}: error outputs after run all: {report['errors']}"
            assert not report["unexecuted"], f"{path}: cells never ran: {report['unexecuted']}"
            assert not report["stderrTracebacks"], "\n".join(report["stderrTracebacks"])
            yield session
            session.check_clean()
    except BaseException:
        print(f"JupyterLab's log: {lab.log}", file=sys.stderr)
        raise
    finally:
        context.close()
        with contextlib.suppress(OSError):
            lab.shutdown_kernels()

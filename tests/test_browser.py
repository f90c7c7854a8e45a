"""The course in a real browser: JupyterLab in headless Chromium, driven like a learner.

One JupyterLab server runs headless on 127.0.0.1 over a temporary copy of the course, so
autosave rewrites nothing in the repository. For each notebook with widgets, a fresh page opens
the notebook, waits until its kernel is connected and idle, runs all cells, fails on any error
output, then a *learner script* moves a slider, picks from a menu, types into a box, presses a
button, and checks after each action that the picture changed (a new image, other bytes) and
that the numbers shown are the ones the action implies. Errors in the browser console and
errors raised by widget callbacks in the kernel fail the test too. On failure, screenshots are
saved under ``tests/artifacts/`` and their paths printed.

Run it alone::

    .venv/bin/python -m pytest tests/test_browser.py -m browser

Set ``COURSE_SCREENSHOT=docs/kernel-editor.png`` to also save the README's screenshot of the
kernel editor. Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright``
package; without either the tests are skipped and say why.

Widgets follow the course's CSS conventions: the top box has classes ``course-widget`` and
``course-<name>``, each control ``course-<name>-<control>``, the image ``course-<name>-figure``,
readouts ``course-<name>-<what>``. The machinery (the server, the page, the learner's gestures)
lives in ``tests/browser_harness.py``, which ``benchmarks/kernel_editor_browser.py`` uses too.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from browser_harness import (
    REPO,
    Lab,
    Learner,
    Session,
    headless_chromium,
    missing_tools,
    open_notebook,
    running_lab,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_tools():
    """Nothing, or a skip that says what is missing (the playwright package, Chromium)."""
    reason = missing_tools()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def lab(browser_tools, tmp_path_factory) -> Iterator[Lab]:
    """One JupyterLab server for the whole module, over a temporary copy of the course."""
    with running_lab(tmp_path_factory.mktemp("lab") / "course") as server:
        yield server


@pytest.fixture(scope="module")
def browser(browser_tools):
    """One headless Debian Chromium for the whole module."""
    with headless_chromium() as chromium:
        yield chromium


# --------------------------------------------------------------------------- learner scripts


def drive_fixture(learner: Learner) -> None:
    """The test's own widget: every gesture once, every readout checked against the action."""
    # The box kernel sums to one, so the filtered image keeps f's mean brightness.
    assert learner.number("sum") == pytest.approx(1.0, abs=1e-3)
    mean_f = learner.number("brightness")

    with learner.redraws("gain slider moved three steps right"):
        learner.press_slider("gain", "ArrowRight", 3)
    gain = learner.slider_value("gain")
    assert gain == pytest.approx(1.3, abs=1e-6)
    learner.expect_number("sum", gain)
    learner.expect_number("norm", gain / 3)  # nine entries of 1/9
    learner.expect_number("brightness", gain * mean_f, tol=3e-3)

    with learner.redraws("preset 'identity' picked"):
        learner.select("preset", "identity")
    learner.expect_number("sum", gain)
    learner.expect_number("norm", gain)

    corner = learner.control("entry").nth(0)
    with learner.redraws("0.5 typed into the top-left entry"):
        learner.type_into(corner, "0.5")
    learner.expect_number("sum", gain * 1.5)
    learner.expect_number("norm", gain * (1 + 0.25) ** 0.5)

    with learner.redraws("'normalize to sum 1' pressed"):
        learner.click("normalize-sum")
    learner.expect_number("sum", 1.0)
    learner.expect_number("brightness", mean_f, tol=3e-3)
    centre = learner.control("entry").nth(4).locator("input")
    learner.wait_until(
        lambda: float(centre.input_value()) == pytest.approx(1 / (gain * 1.5), abs=1e-5),
        lambda: (
            f"the centre entry should read {1 / (gain * 1.5):.6f}, it reads {centre.input_value()}"
        ),
    )
    check_failures_are_caught(learner)


def check_failures_are_caught(learner: Learner) -> None:
    """The machinery's own check: a callback that raises, or does nothing, fails a learner step;
    an error in the browser's console or an uncaught one in the page fails the notebook."""
    session = learner.session
    session.run_in_kernel(
        "fixture.gain.unobserve_all('value')\n"
        "fixture.gain.observe(lambda change: 1 / 0, names='value')"
    )
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        with learner.redraws("gain slider moved, its callback raising", timeout_s=10):
            learner.press_slider("gain", "ArrowLeft")
    session.page.evaluate("() => { window.courseKernelErrors = []; }")

    session.run_in_kernel("fixture.gain.unobserve_all('value')")
    with pytest.raises(AssertionError, match="picture did not change"):
        with learner.redraws("gain slider moved, its callback gone", timeout_s=3):
            learner.press_slider("gain", "ArrowLeft")

    for script in (
        "() => console.error('deliberate console error')",
        "() => { setTimeout(() => { throw new Error('deliberate page error'); }); }",
    ):
        session.page.evaluate(script)
        learner.wait_until(lambda: session.console_errors, f"nothing recorded after {script}", 5)
        with pytest.raises(AssertionError, match="deliberate"):
            session.check_clean()
        session.console_errors.clear()


def drive_blur_check(learner: Learner) -> None:
    """Notebook 00: the slider blurs the photo, the mean brightness stays (wrap, box sums to 1)."""
    before = learner.number("readout", after="before")
    size = int(learner.slider_value("size"))
    with learner.redraws("box size slider moved three steps right"):
        learner.press_slider("size", "ArrowRight", 3)
    assert int(learner.slider_value("size")) == size + 6
    learner.expect_text("readout", f"box {size + 6}x{size + 6}")
    learner.expect_number("readout", before, 1e-4, after="after")
    value = learner.session.kernel_value("check.size.value")
    assert value == str(size + 6), f"the kernel sees box size {value}, the page {size + 6}"


def normal_density(x: float, mean: float, sigma: float) -> float:
    return math.exp(-0.5 * ((x - mean) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


# The pairs of notebook 01 whose convolution is known in closed form: box * box (unit area,
# width 1) is the triangle 1 - |x|; N(0, 0.5) * N(1, 0.8) is N(1, sqrt(0.5^2 + 0.8^2)).
EXACT_CONVOLUTIONS = {
    "box * box": lambda x: max(0.0, 1.0 - abs(x)),
    "Gaussian * Gaussian": lambda x: normal_density(x, 1.0, math.hypot(0.5, 0.8)),
}


def drive_flip_and_slide(learner: Learner) -> None:
    """Notebook 01: pick a pair, slide g, and read (f * g)(x) against the exact convolution."""
    first, second = list(EXACT_CONVOLUTIONS)
    if learner.selected("pair") == first:
        first, second = second, first
    area_after = "dτ ="  # the readout: "x = 0.80  (f * g)(x) = ∫ f(τ) g(x − τ) dτ = 0.5000"
    tolerance = 0.011  # a midpoint sum with step 0.01 over a box's jumps, 4 decimals shown

    with learner.redraws(f"pair '{first}' picked"):
        learner.select("pair", first)
    x = learner.number("readout", after="x =")
    learner.expect_number("readout", EXACT_CONVOLUTIONS[first](x), tolerance, after=area_after)

    with learner.redraws("shift slider moved ten steps left"):
        learner.press_slider("shift", "ArrowLeft", 10)
    moved = max(round(x - 10 * 0.05, 2), -3.0)
    assert learner.slider_value("shift") == pytest.approx(moved, abs=1e-9)
    learner.expect_number("readout", moved, 1e-9, after="x =")
    learner.expect_number("readout", EXACT_CONVOLUTIONS[first](moved), tolerance, after=area_after)

    with learner.redraws(f"pair '{second}' picked"):
        learner.select("pair", second)
    learner.expect_number("readout", moved, 1e-9, after="x =")
    learner.expect_number("readout", EXACT_CONVOLUTIONS[second](moved), tolerance, after=area_after)


def normalized_gaussian(size: int, sigma: float) -> np.ndarray:
    offsets = np.arange(size) - size // 2
    g = np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2 * sigma**2))
    return g / g.sum()


def drive_kernel_editor(learner: Learner) -> None:
    """Notebook 02: every kind of control, with the sum, the norm and the mean brightness checked.

    With the 'wrap' boundary, filtering keeps ``mean after = sum(g) * mean before`` exactly,
    so the brightness readout can be checked after each edit.
    """
    sum_of = {"after": "kernel:", "tol": 1e-3}  # the readouts show 4 significant digits
    mean_before = learner.number("brightness", after="before")

    def expect_brightness(kernel_sum: float) -> None:
        learner.expect_number("brightness", kernel_sum * mean_before, 3e-4, after="after")

    if learner.selected("boundary") != "wrap":
        with learner.redraws("boundary 'wrap' picked"):
            learner.select("boundary", "wrap")
    expect_brightness(learner.number("sum", after="kernel:"))

    with learner.redraws("preset 'gaussian' picked"):
        learner.select("preset", "gaussian")
    size, sigma = int(learner.slider_value("size")), learner.slider_value("sigma")
    learner.expect_number("sum", 1.0, **sum_of)
    learner.expect_number("norm", np.linalg.norm(normalized_gaussian(size, sigma)), **sum_of)

    with learner.redraws("sigma slider moved five steps right"):
        learner.press_slider("sigma", "ArrowRight", 5)
    sigma = learner.slider_value("sigma")
    learner.expect_number("norm", np.linalg.norm(normalized_gaussian(size, sigma)), **sum_of)

    with learner.redraws("size slider moved one step right"):
        learner.press_slider("size", "ArrowRight")
    assert int(learner.slider_value("size")) == size + 2
    size += 2
    g = normalized_gaussian(size, sigma)
    learner.expect_number("norm", np.linalg.norm(g), **sum_of)
    learner.expect_number("sum", 1.0, **sum_of)
    expect_brightness(1.0)
    learner.wait_until(
        lambda: learner.control("entry").count() == size**2,
        lambda: f"{size**2} kernel entries expected, {learner.control('entry').count()} shown",
    )
    save_readme_screenshot(learner)

    with learner.redraws("0.5 typed into the top-left kernel entry"):
        learner.type_into(learner.control("entry").nth(0), "0.5")
    g[0, 0] = 0.5
    learner.expect_number("sum", g.sum(), **sum_of)
    learner.expect_number("norm", np.linalg.norm(g), **sum_of)
    expect_brightness(g.sum())

    with learner.redraws("'correlation' picked instead of convolution"):
        learner.control("flip").first.get_by_role("button", name="correlation").click()
    learner.expect_number("sum", g.sum(), **sum_of)
    expect_brightness(g.sum())

    with learner.redraws("'normalize to sum 1' pressed"):
        learner.click("normalize-sum")
    g = g / g.sum()
    learner.expect_number("sum", 1.0, **sum_of)
    learner.expect_number("norm", np.linalg.norm(g), **sum_of)
    expect_brightness(1.0)
    corner = learner.control("entry").nth(0).locator("input")
    learner.wait_until(
        lambda: float(corner.input_value()) == pytest.approx(g[0, 0], rel=1e-4),
        lambda: f"the top-left entry should read {g[0, 0]:.6g}, it reads {corner.input_value()}",
    )

    with learner.redraws("'normalize to unit norm' pressed"):
        learner.click("normalize-norm")
    g = g / np.linalg.norm(g)
    learner.expect_number("norm", 1.0, **sum_of)
    learner.expect_number("sum", g.sum(), **sum_of)

    with learner.redraws("preset 'laplacian' picked"):
        learner.select("preset", "laplacian")
    learner.expect_number("sum", 0.0, **sum_of)
    learner.click("normalize-sum")  # refused: a kernel summing to zero cannot be scaled to one
    learner.expect_text("message", "not normalized")
    learner.expect_number("sum", 0.0, **sum_of)

    with learner.redraws("'signed' view picked"):
        learner.control("view").first.get_by_role("button", name="signed").click()
    with learner.redraws("window moved five rows down"):
        learner.press_slider("window-row", "ArrowRight", 5)
    expect_brightness(0.0)


# The readout of notebook 03's explorer: "Output pixel (r, c) of the 'full' output HxW is row
# i of T (...): n of its N entries are nonzero (of the kernel's K taps, ...). T[i] @ f = v;
# direct sum = d."
TOEPLITZ_PIXEL = r"pixel \((\d+), (\d+)\) of the '(\w+)' output (\d+)x(\d+) is row (\d+)"
TOEPLITZ_TAPS = r"kernel's (\d+) taps"
TOEPLITZ_SUMS = r"@ f = (-?\d+\.?\d*); direct sum = (-?\d+\.?\d*)"
# How much larger than the image each mode's output is, for a k x k kernel.
OUTPUT_GROWTH = {"full": lambda k: k - 1, "same": lambda k: 0, "valid": lambda k: 1 - k}


def drive_toeplitz_explorer(learner: Learner) -> None:
    """Notebook 03: move the output pixel, change the mode and the kernel; check the row of T.

    After each action: the row index is ``r * output_width + c``, the output's size is the
    one the mode implies, and ``T[i] @ f`` equals the direct sum.
    """
    r, c, mode, height, width, _ = re.search(TOEPLITZ_PIXEL, learner.text("readout")).groups()
    k = math.isqrt(int(learner.numbers("readout", TOEPLITZ_TAPS)[0]))  # square kernels
    image = (int(height) - OUTPUT_GROWTH[mode](k), int(width) - OUTPUT_GROWTH[mode](k))

    def expect(row: int, col: int, mode: str, k: int) -> None:
        shape = (image[0] + OUTPUT_GROWTH[mode](k), image[1] + OUTPUT_GROWTH[mode](k))
        row, col = min(row, shape[0] - 1), min(col, shape[1] - 1)
        wanted = (str(row), str(col), mode, str(shape[0]), str(shape[1]), str(row * shape[1] + col))
        learner.wait_until(
            lambda: re.search(TOEPLITZ_PIXEL, learner.text("readout")).groups() == wanted,
            lambda: (
                f"readout should show pixel ({row}, {col}) of the {mode!r} output "
                f"{shape[0]}x{shape[1]}, row {wanted[-1]} of T: {learner.text('readout')!r}"
            ),
        )
        value, direct = learner.numbers("readout", TOEPLITZ_SUMS)
        assert value == pytest.approx(direct, abs=2e-6), learner.text("readout")

    row, col = int(r), int(c)
    with learner.redraws("output row slider moved two steps right"):
        learner.press_slider("row", "ArrowRight", 2)
    row = int(learner.slider_value("row"))
    expect(row, col, mode, k)

    with learner.redraws("output column slider moved three steps left"):
        learner.press_slider("col", "ArrowLeft", 3)
    col = int(learner.slider_value("col"))
    expect(row, col, mode, k)

    mode = "valid" if mode != "valid" else "full"
    with learner.redraws(f"mode '{mode}' picked"):
        learner.select("mode", mode)
    expect(row, col, mode, k)

    kernel = "box" if learner.selected("kernel") != "box" else "sobel x"
    with learner.redraws(f"kernel '{kernel}' picked"):
        learner.select("kernel", kernel)
    k = 5 if kernel == "box" else 3  # the gallery's box is 5x5, Sobel 3x3
    learner.wait_until(
        lambda: learner.numbers("readout", TOEPLITZ_TAPS) == (k * k,),
        lambda: f"readout should count {k * k} taps: {learner.text('readout')!r}",
    )
    expect(int(learner.slider_value("row")), int(learner.slider_value("col")), mode, k)


FREQUENCY_READOUT = r"sum\(g\) = (-?\d+\.?\d*); H\(0, 0\) = (-?\d+\.?\d*)"


def box_side_lobe(size: int, grid: int) -> float:
    """Largest side lobe over main lobe of a box's response, from the Dirichlet kernel."""
    v = np.arange(1, grid // 2 + 1) / grid
    cut = np.abs(np.sin(np.pi * size * v) / (size * np.sin(np.pi * v)))
    cut = np.concatenate([[1.0], cut])
    first_minimum = int(np.flatnonzero(np.diff(cut) > 1e-12)[0])
    return float(cut[first_minimum:].max() / cut[: first_minimum + 1].max())


FREQUENCY_MEANS = r"photo (\d+\.\d+), filtered (-?\d+\.\d+) = sum\(g\)"


def drive_frequency_explorer(learner: Learner) -> None:
    """Notebook 04: pick kernels and sizes, type an entry; H(0, 0) reads the kernel's sum, the
    filtered photo's mean is the sum times the photo's, side lobes move with the box's size."""

    def expect_dc(total: float) -> None:
        learner.wait_until(
            lambda: (
                learner.numbers("readout", FREQUENCY_READOUT)
                == pytest.approx((total, total), abs=1e-6)
            ),
            lambda: f"sum(g) and H(0, 0) should both read {total}: {learner.text('readout')!r}",
        )
        photo, filtered = learner.numbers("readout", FREQUENCY_MEANS)
        assert filtered == pytest.approx(total * photo, abs=2e-4), learner.text("readout")

    zero_sum = "laplacian" if learner.selected("preset") != "laplacian" else "sobel x"
    with learner.redraws(f"kernel '{zero_sum}' picked"):
        learner.select("preset", zero_sum)
    expect_dc(0.0)

    with learner.redraws("kernel 'box' picked"):
        learner.select("preset", "box")
    expect_dc(1.0)
    with learner.redraws("size slider moved two steps right"):
        learner.press_slider("size", "ArrowRight", 2)
    size = int(learner.slider_value("size"))
    grid = 128  # the explorer's DFT size: the photo's width
    learner.expect_number("readout", box_side_lobe(size, grid), 1e-3, after="main lobe:")
    expect_dc(1.0)
    learner.wait_until(
        lambda: learner.control("entry").count() == size**2,
        lambda: f"{size**2} kernel entries expected, {learner.control('entry').count()} shown",
    )

    with learner.redraws("kernel 'identity' picked"):
        learner.select("preset", "identity")
    with learner.redraws("0.5 typed into the top-left kernel entry"):
        learner.type_into(learner.control("entry").nth(0), "0.5")
    expect_dc(1.5)
    with learner.redraws("-1 typed into the entry g[1,0]"):
        learner.type_into(learner.control("entry").nth(3), "-1")
    expect_dc(0.5)  # 0.5 - 1 + 1: a derivative across the columns plus a bit of the photo
    learner.expect_text("readout", "none (not low-pass)")  # |H(0, v)| is 0.5 at 0, 1.5 at 1/2

    with learner.redraws("kernel 'gaussian' picked"):
        learner.select("preset", "gaussian")
    with learner.redraws("sigma slider moved five steps right"):
        learner.press_slider("sigma", "ArrowRight", 5)
    expect_dc(1.0)


# The readout of notebook 06's run browser: "<variant>, epoch E (step S): test accuracy A;
# sums a to b, norms c to d".
RUN_READOUT = (
    r"epoch (\d+) \(step \d+\): test accuracy ([^;]+); "
    r"sums (-?\d+\.\d+) to (-?\d+\.\d+), norms (-?\d+\.\d+) to (-?\d+\.\d+)"
)


def drive_run_browser(learner: Learner) -> None:
    """Notebook 06: step through epochs, switch variants; constrained filters read as such.

    A variant named for a unit-norm constraint must show every norm 1.0000 once trained, one
    named for a sum-one constraint every sum 1.0000 (projection and reparametrization alike).
    """
    variants = learner.options("variant")
    last = int(learner.slider_value("epoch"))

    def expect(variant: str, epoch: int) -> re.Match:
        learner.wait_until(
            lambda: learner.text("readout").startswith(f"{variant}, epoch {epoch} "),
            lambda: f"readout should show {variant}, epoch {epoch}: {learner.text('readout')!r}",
        )
        found = re.search(RUN_READOUT, learner.text("readout"))
        assert found, f"unexpected readout {learner.text('readout')!r}"
        trained = found.group(2) != "not trained yet"
        assert trained == (epoch > 0), f"epoch {epoch}: {learner.text('readout')!r}"
        return found

    with learner.redraws("epoch slider moved one step left"):
        learner.press_slider("epoch", "ArrowLeft")
    expect(learner.selected("variant"), last - 1)
    with learner.redraws("epoch slider moved back one step right"):
        learner.press_slider("epoch", "ArrowRight")
    expect(learner.selected("variant"), last)

    for variant in variants[1:]:
        with learner.redraws(f"variant '{variant}' picked"):
            learner.select("variant", variant)
        epoch = int(learner.slider_value("epoch"))
        sums_low, sums_high, norms_low, norms_high = map(float, expect(variant, epoch).groups()[2:])
        name = variant.lower()
        if "unit" in name and "norm" in name and epoch > 0:
            assert norms_low == norms_high == 1.0, f"{variant}: {learner.text('readout')!r}"
        if re.search(r"sum[ _-]?(to )?(one|1)\b", name) and epoch > 0:
            assert sums_low == sums_high == 1.0, f"{variant}: {learner.text('readout')!r}"


HOMOMORPHIC_SUM = "kernel sum (DC gain) ="


def drive_homomorphic_explorer(learner: Learner) -> None:
    """Notebook 07: the gains and the cut-off; the DC gain reads gamma low, the blur 1/(2 pi D0)."""
    unfiltered = learner.number("readout", after="no correction")

    with learner.redraws("gamma low slider moved two steps right"):
        learner.press_slider("gamma-low", "ArrowRight", 2)
    gamma_low = learner.slider_value("gamma-low")
    learner.expect_number("readout", gamma_low, 1e-3, after=HOMOMORPHIC_SUM)

    with learner.redraws("cut-off slider moved two steps right"):
        learner.press_slider("cutoff", "ArrowRight", 2)
    cutoff = learner.slider_value("cutoff")  # shown with 3 decimals
    sigma = 1 / (2 * math.pi * cutoff)
    learner.expect_number("readout", sigma, 0.05 + sigma * 5e-4 / cutoff, after="blur sigma =")
    learner.expect_number("readout", gamma_low, 1e-3, after=HOMOMORPHIC_SUM)

    with learner.redraws("gamma high slider moved three steps left"):
        learner.press_slider("gamma-high", "ArrowLeft", 3)
    learner.expect_number("readout", gamma_low, 1e-3, after=HOMOMORPHIC_SUM)
    # The input does not depend on the controls: its score stays.
    learner.expect_number("readout", unfiltered, 1e-9, after="no correction")


def save_readme_screenshot(learner: Learner) -> None:
    """If COURSE_SCREENSHOT names a file, save JupyterLab showing this widget there (PNG).

    The README's picture: ``COURSE_SCREENSHOT=docs/kernel-editor.png`` with the kernel editor.
    The page is made tall enough for the whole widget and its cell; the PNG is reduced to 256
    colours so it stays small.
    """
    target = os.environ.get("COURSE_SCREENSHOT")
    if not target:
        return
    from PIL import Image  # matplotlib's dependency

    path = Path(target) if Path(target).is_absolute() else REPO / target
    path.parent.mkdir(parents=True, exist_ok=True)
    page = learner.page
    cell = page.locator(".jp-Cell", has=learner.root).first
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    height = cell.evaluate("(cell) => cell.getBoundingClientRect().height")
    page.set_viewport_size({"width": 1100, "height": min(1400, max(720, round(height) + 140))})
    cell.evaluate("(cell) => cell.scrollIntoView({block: 'start'})")
    page.mouse.move(0, 0)  # no hover highlight
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no focus
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    with Image.open(path) as shot:
        shot.convert("RGB").quantize(colors=256).save(path, optimize=True)
    size_kb = path.stat().st_size / 1024
    print(f"README screenshot saved: {path} ({size_kb:.0f} KB)")
    assert size_kb < 300, f"the README screenshot {path} is {size_kb:.0f} KB, keep it < 300 KB"


# Each widget's learner script, by the widget's name (its class ``course-<name>``).
LEARNER_SCRIPTS: dict[str, Callable[[Learner], None]] = {
    "fixture": drive_fixture,
    "blur-check": drive_blur_check,
    "flip-and-slide": drive_flip_and_slide,
    "kernel-editor": drive_kernel_editor,
    "toeplitz-explorer": drive_toeplitz_explorer,
    "frequency-explorer": drive_frequency_explorer,
    "run-browser": drive_run_browser,
    "homomorphic-explorer": drive_homomorphic_explorer,
}


@dataclass(frozen=True)
class WidgetNotebook:
    """A notebook (a glob, so a renamed notebook is still found) and the widgets it shows.

    ``widgets`` names the course widgets (driven by ``LEARNER_SCRIPTS``); ``drive_page``
    drives anything else the notebook shows.
    """

    pattern: str
    widgets: tuple[str, ...]
    drive_page: Callable[[Session], None] | None = None

    def path(self) -> Path | None:
        found = sorted(REPO.glob(self.pattern))
        return found[0].relative_to(REPO) if found else None


WIDGET_NOTEBOOKS = [
    WidgetNotebook("tests/browser/fixture_widget.ipynb", ("fixture",)),
    WidgetNotebook("notebooks/00_*.ipynb", ("blur-check",)),
    WidgetNotebook("notebooks/01_*.ipynb", ("flip-and-slide",)),
    WidgetNotebook("notebooks/02_*.ipynb", ("kernel-editor",)),
    WidgetNotebook("notebooks/03_*.ipynb", ("toeplitz-explorer",)),
    WidgetNotebook("notebooks/04_*.ipynb", ("frequency-explorer",)),
    WidgetNotebook("notebooks/06_*.ipynb", ("run-browser",)),
    WidgetNotebook("notebooks/07_*.ipynb", ("homomorphic-explorer",)),
]


@pytest.mark.parametrize("notebook", WIDGET_NOTEBOOKS, ids=lambda nb: Path(nb.pattern).stem)
def test_learner_drives_widgets(notebook: WidgetNotebook, lab: Lab, browser) -> None:
    """Run the notebook in JupyterLab, then drive its widgets as a learner would."""
    path = notebook.path()
    if path is None:
        pytest.skip(f"no notebook {notebook.pattern} in this checkout yet")
    path = path.as_posix()
    with open_notebook(browser, lab, path) as session:
        shown = session.page.locator(".course-widget").evaluate_all(
            "(boxes) => boxes.map((box) => [...box.classList]"
            ".filter((c) => c.startsWith('course-') && c !== 'course-widget'))"
        )
        assert shown or not notebook.widgets, f"{path}: no widget with class course-widget"
        undriven = {c for classes in shown for c in classes} - {
            f"course-{name}" for name in notebook.widgets
        }
        assert not undriven, f"{path}: widgets without a learner script: {undriven}"
        for name in notebook.widgets:
            learner = Learner(session, name)
            learner.check_figures_undistorted()
            LEARNER_SCRIPTS[name](learner)
            started = time.monotonic()
            Keyboard(learner).tab_through()
            if name in KEYBOARD_SCRIPTS:
                KEYBOARD_SCRIPTS[name](Learner(session, name, ["keyboard only"]))
            print(f"{name}: keyboard checks took {time.monotonic() - started:.1f} s")
        if notebook.drive_page:
            notebook.drive_page(session)
        AXE_RESULTS[path] = axe_violations(session)  # checked by test_outputs_pass_axe


def shown_widgets(notebook: Path) -> tuple[bool, set[str]]:
    """Whether a committed notebook shows widgets, and the names of course widgets among them.

    Read from its outputs (widget views) and the widget state saved in its metadata, where
    each model's ``_dom_classes`` holds ``course-widget`` and ``course-<name>``.
    """
    content = json.loads(notebook.read_text())
    views = any(
        "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        for cell in content["cells"]
        for output in cell.get("outputs", [])
    )
    saved = content["metadata"].get("widgets", {})
    models = saved.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    names = set()
    for model in models.values():
        classes = model.get("state", {}).get("_dom_classes", [])
        if "course-widget" in classes:
            names |= {c.removeprefix("course-") for c in classes if c != "course-widget"}
    return views, names


def test_every_widget_notebook_has_a_learner_script() -> None:
    """Every committed notebook that shows widgets is driven here, each of its widgets too."""
    listed = {notebook.path(): notebook.widgets for notebook in WIDGET_NOTEBOOKS}
    for path in sorted(REPO.glob("notebooks/*.ipynb")):
        views, names = shown_widgets(path)
        relative = path.relative_to(REPO)
        if views:
            assert relative in listed, f"{relative} shows widgets: add it to WIDGET_NOTEBOOKS"
        for name in names:
            assert name in listed.get(relative, ()), f"{relative}: widget {name} is not driven"
            assert name in LEARNER_SCRIPTS, f"no learner script for widget {name}"


# --------------------------------------------------------------------------- accessibility
# axe-core (the engine of the browsers' accessibility tools, bundled by the PyPI package
# axe-playwright-python, so offline) runs over each notebook's outputs once it has run and its
# widgets have been driven. Scope: the output areas of the notebook's code cells (figures,
# widgets, printed text), which the course makes; not JupyterLab's own chrome (menus, toolbars,
# the file browser, the cell editors), which the course cannot change, nor the rendered
# Markdown, whose few findings (a wide table or formula that scrolls without a tab stop) are
# JupyterLab's way of showing prose. Critical and serious violations fail.

AXE_FAILING_IMPACTS = ("critical", "serious")
AXE_RUN_JS = """async () => {
    const notebook = window.jupyterapp.shell.currentWidget.content.node;
    const include = [...notebook.querySelectorAll(".jp-OutputArea")];
    if (!include.length) return [];
    const results = await axe.run({include}, {resultTypes: ["violations"]});
    return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((node) => node.html.replace(/\\s+/g, " ").slice(0, 200)),
    }));
}"""
# What axe found in each notebook's outputs, filled by test_learner_drives_widgets.
AXE_RESULTS: dict[str, list[dict]] = {}


def axe_violations(session: Session) -> list[dict]:
    """axe-core's violations in the outputs of the notebook the page shows, every impact."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as error:
        pytest.skip(f"axe-playwright-python is not installed ({error}): pip install it")
    started = time.monotonic()
    session.page.evaluate(Axe().axe_script)
    violations = session.page.evaluate(AXE_RUN_JS)
    print(f"{session.path}: axe-core ran in {time.monotonic() - started:.1f} s")
    return violations


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        count = len(violation["nodes"])
        lines.append(f"{violation['impact']}: {violation['id']} ({count}): {violation['help']}")
        lines += [f"    {node}" for node in violation["nodes"][:3]]
    return "\n".join(lines)


AXE_NOTEBOOKS = ["tests/browser/fixture_widget.ipynb", *sorted(
    p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*.ipynb")
)]  # fmt: skip


@pytest.mark.parametrize("path", AXE_NOTEBOOKS, ids=lambda path: Path(path).stem)
def test_outputs_pass_axe(path: str, lab: Lab, browser) -> None:
    """No critical or serious axe-core violation in the notebook's outputs, once it has run.

    Reuses what the learner test found in the same page; runs the notebook itself otherwise
    (a notebook without widgets, or this test run alone).
    """
    if path not in AXE_RESULTS:
        with open_notebook(browser, lab, path) as session:
            AXE_RESULTS[path] = axe_violations(session)
    violations = AXE_RESULTS[path]
    print(f"{path}: axe-core: " + (axe_report(violations) or "no violation"))
    failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
    assert not failing, f"{path}: axe-core found in the outputs:\n{axe_report(failing)}"


# Keyboard only: the learner reaches every control with Tab and changes it with keys.

FOCUSED_JS = """() => {
    const element = document.activeElement;
    if (!element) return null;
    const label = element.labels && element.labels.length ? element.labels[0].textContent : "";
    const name = element.getAttribute("aria-label") || label.trim() || element.textContent.trim();
    return {tag: element.tagName.toLowerCase(), role: element.getAttribute("role") || "",
            name: name.replace(/\\s+/g, " "), pressed: element.getAttribute("aria-pressed"),
            valuetext: element.getAttribute("aria-valuetext"),
            inside: !!element.closest(".course-widget.course-" + %r)};
}"""


# What a learner operates in a widget (enabled ones: Tab may skip a disabled control).
CONTROLS = (
    "select:enabled, input:enabled, button:enabled, .noUi-target:not([disabled]) .noUi-handle"
)


@dataclass
class Keyboard:
    """Tab through one widget as a keyboard-only learner, with the name each stop announces."""

    learner: Learner

    def focused(self) -> dict:
        return self.learner.page.evaluate(FOCUSED_JS % self.learner.name)

    def start(self) -> dict:
        """Put the focus on the widget's first control, as if tabbed into from the cell above."""
        first = self.learner.root.locator(CONTROLS).first
        first.scroll_into_view_if_needed()
        first.focus()
        return self.focused()

    def tab_to(self, pattern: str, backwards: bool = False, limit: int = 400) -> dict:
        """Press Tab (or Shift+Tab) until the focused control's name matches ``pattern``.

        Every stop on the way must be inside the widget and have a name.
        """
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            self.learner.page.keyboard.press(key)
            focused = self.focused()
            assert focused and focused["inside"], (
                f"{self.learner.name}: {key} left the widget before reaching {pattern!r}"
            )
            assert focused["name"], f"{self.learner.name}: a tab stop without a name: {focused}"
            if re.search(pattern, focused["name"]):
                return focused
        raise AssertionError(
            f"{self.learner.name}: no control named {pattern!r} within {limit} tabs"
        )

    def press(self, *keys: str) -> None:
        for key in keys:
            self.learner.page.keyboard.press(key)

    def tab_through(self) -> list[str]:
        """Tab from the widget's first control until the focus leaves the widget; every control
        (menu, text box, button, slider handle) must be reached and named. Returns the names."""
        controls = self.learner.root.locator(CONTROLS)
        total = controls.count()
        controls.evaluate_all(
            "(all) => all.forEach((element, k) => element.setAttribute('data-course-stop', k))"
        )
        first = self.start()
        names, reached = [first["name"]], {self._stop()}
        for _ in range(4 * total + 10):
            self.learner.page.keyboard.press("Tab")
            focused = self.focused()
            if not (focused and focused["inside"]):
                break
            assert focused["name"], f"{self.learner.name}: a tab stop without a name: {focused}"
            names.append(focused["name"])
            reached.add(self._stop())
        missed = set(range(total)) - reached
        assert not missed, f"{self.learner.name}: Tab never reaches controls {sorted(missed)}"
        return names

    def _stop(self) -> int | None:
        return self.learner.page.evaluate(
            "() => { const stop = document.activeElement.getAttribute('data-course-stop');"
            " return stop === null ? null : Number(stop); }"
        )

    def choose(self, label: str) -> None:
        """In the focused menu, move to the option ``label`` with the arrow keys."""
        steps = self.learner.page.evaluate(
            """(label) => {
                const menu = document.activeElement;
                if (!menu || menu.tagName !== "SELECT") return null;
                const labels = [...menu.options].map((o) => o.text.replace(/\\s+/g, " ").trim());
                return labels.indexOf(label) - menu.selectedIndex;
            }""",
            label,
        )
        assert steps is not None, f"{self.learner.name}: no menu has the focus: {self.focused()}"
        self.press(*(["ArrowDown"] * steps if steps > 0 else ["ArrowUp"] * -steps))

    def type(self, text: str) -> None:
        self.press("ControlOrMeta+a")
        self.learner.page.keyboard.type(text)
        self.press("Enter")


def drive_fixture_by_keyboard(learner: Learner) -> None:
    """The fixture by keyboard: an entry typed, the normalize button pressed, the gain moved."""
    keys = Keyboard(learner)
    assert "preset" in keys.start()["name"]
    preset = "identity" if learner.selected("preset") != "identity" else "box"
    with learner.redraws(f"preset '{preset}' picked with the arrow keys"):
        keys.choose(preset)  # JupyterLab's own shortcuts must not take the arrow keys
    assert learner.selected("preset") == preset
    with learner.redraws("typed 2 into entry g[1, 1] and pressed Enter"):
        keys.tab_to(r"row 1, column 1")
        keys.type("2")
    total = learner.number("sum")
    with learner.redraws("'normalize to sum 1' pressed with Enter"):
        keys.tab_to(r"normalize to sum 1")
        keys.press("Enter")
    learner.expect_number("sum", 1.0)
    assert total != pytest.approx(1.0)
    # The learner script's last check took the gain slider's callback away: the slider moves,
    # the picture stays.
    gain = learner.slider_value("gain")
    slider = keys.tab_to(r"^gain", backwards=True)
    assert slider["role"] == "slider"
    keys.press("ArrowLeft", "ArrowLeft")
    learner.wait_until(
        lambda: learner.slider_value("gain") == pytest.approx(gain - 0.2),
        lambda: f"the gain slider should read {gain - 0.2:.1f}: {learner.slider_value('gain')}",
    )


def drive_kernel_editor_by_keyboard(learner: Learner) -> None:
    """Notebook 02 by keyboard alone: Tab to each control, change it, read the readouts.

    A menu (arrow keys), a slider (arrow keys), the convolution/correlation toggle (Space),
    a kernel entry (type, Enter) and both normalize buttons (Enter, Space).
    """
    sum_of = {"after": "kernel:", "tol": 1e-3}
    keys = Keyboard(learner)
    assert "preset" in keys.start()["name"]
    if learner.selected("preset") == "box":
        keys.choose("identity")
    with learner.redraws("preset 'box' picked with the arrow keys"):
        keys.choose("box")
    learner.expect_number("sum", 1.0, **sum_of)
    size = int(learner.slider_value("size"))
    with learner.redraws("size slider moved one step with the arrow keys"):
        slider = keys.tab_to(r"size")
        assert slider["role"] == "slider"
        keys.press("ArrowRight" if size < 15 else "ArrowLeft")
    size = int(learner.slider_value("size"))
    learner.wait_until(  # the size it shows is spoken, not the index of the option
        lambda: keys.focused()["valuetext"] == str(size),
        lambda: f"the size slider should speak {size}: {keys.focused()}",
    )
    learner.expect_number("sum", 1.0, **sum_of)
    learner.expect_number("norm", 1.0 / size, **sum_of)  # a box of size^2 entries 1/size^2

    active = learner.control("flip").first.locator(".mod-active").text_content().strip()
    operation = "convolution" if active == "correlation" else "correlation"
    with learner.redraws(f"'{operation}' pressed with Space"):
        button = keys.tab_to(f"^{operation}")
        assert button["tag"] == "button" and button["pressed"] == "false", button
        keys.press("Space")
    learner.wait_until(
        lambda: keys.focused()["pressed"] == "true",
        lambda: f"the {operation} button should say it is pressed: {keys.focused()}",
    )

    with learner.redraws("typed 1 into entry g[0, 0] and pressed Enter"):
        keys.tab_to(r"row 0, column 0")
        keys.type("1")
    total = 1 + (size * size - 1) / size**2
    learner.expect_number("sum", total, **sum_of)
    mean_before = learner.number("brightness", after="before")

    with learner.redraws("'normalize to sum 1' pressed with Enter"):
        keys.tab_to(r"normalize to sum 1", backwards=True)
        keys.press("Enter")
    learner.expect_number("sum", 1.0, **sum_of)
    if learner.selected("boundary") == "wrap":
        learner.expect_number("brightness", mean_before, 3e-4, after="after")

    with learner.redraws("'normalize to unit norm' pressed with Space"):
        keys.tab_to(r"normalize to unit norm")
        keys.press("Space")
    learner.expect_number("norm", 1.0, **sum_of)


# Each widget's keyboard-only script, run after its learner script in the same page.
KEYBOARD_SCRIPTS: dict[str, Callable[[Learner], None]] = {
    "fixture": drive_fixture_by_keyboard,
    "kernel-editor": drive_kernel_editor_by_keyboard,
}

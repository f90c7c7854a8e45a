"""A live kernel editor on a photo, in the spirit of setosa's "Image kernels explained visually".

Pick a preset from the kernel gallery, change its size (and the Gaussian's sigma), type into
any entry, normalize the kernel, switch between convolution and cross-correlation and between
boundary modes, and see the photo and the filtered photo side by side, the kernel as a signed
heatmap with its sum and norm, and the mean brightness before and after.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
from ipywidgets.widgets.widget_description import DescriptionStyle

from helpers import kernels
from helpers.access import Access
from helpers.convolution import convolve, correlate
from helpers.live import LiveFigure
from helpers.photo import grace_hopper
from helpers.plotting import kernel_title, show_image, show_signed, update_signed

SIZES = tuple(range(1, 16, 2))
SIGMA_MIN = 0.2
SIGMA_MAX = 5.0
ENTRY_LIMIT = 1e6
SUM_TOLERANCE = 1e-3
BOUNDARIES = ("fill", "wrap", "symm")
OPERATIONS = ("convolution", "correlation")
SIZED_PRESETS: dict[str, Callable[[int], np.ndarray]] = {
    "identity": kernels.identity,
    "box": kernels.box,
}


def centred_window(g: np.ndarray, size: int) -> np.ndarray:
    """The kernel ``g`` seen through a ``size`` x ``size`` window centred on it.

    A larger window pads ``g`` with zeros (the same filter in 'same' mode); a smaller one
    keeps only its centre (size 1 keeps the centre entry).
    """
    rows, cols = g.shape
    big_r, big_c = max(rows, size), max(cols, size)
    canvas = np.zeros((big_r, big_c))
    top, left = (big_r - rows) // 2, (big_c - cols) // 2
    canvas[top : top + rows, left : left + cols] = g
    top, left = (big_r - size) // 2, (big_c - size) // 2
    return canvas[top : top + size, left : left + size].copy()


def preset_kernel(name: str, size: int, sigma: float) -> tuple[np.ndarray, str]:
    """The kernel of a preset at a given size, and a sentence saying how it was made.

    Identity, box and Gaussian are built at ``size`` (the Gaussian with ``sigma``, normalized
    to sum one); the fixed presets of the gallery (sharpen, Sobel, Laplacian, emboss) are
    seen through a centred window of that size (see :func:`centred_window`).
    """
    if name in SIZED_PRESETS:
        return SIZED_PRESETS[name](size), f"{name} {size}x{size}"
    if name == "gaussian":
        return kernels.gaussian(size, sigma), f"gaussian {size}x{size}, sigma {sigma:.2f}"
    fixed = np.asarray(kernels.gallery()[name], dtype=float)
    g = centred_window(fixed, size)
    rows, cols = fixed.shape
    if size > max(rows, cols):
        return g, f"{name} is {rows}x{cols}: shown in a {size}x{size} window of zeros (same filter)"
    if size < max(rows, cols):
        return g, f"{name} is {rows}x{cols}: size {size} keeps only its centre"
    return g, f"{name} {rows}x{cols}"


class KernelEditor:
    """Edit a kernel and see what it does to a photo.

    Parameters
    ----------
    image : ndarray, optional
        A grayscale image in [0, 1]; defaults to the course photo (``grace_hopper()``).
    preset : str
        The starting preset, a name of ``helpers.kernels.gallery()``.
    size : int
        The starting kernel size, odd, 1 to 15.
    sigma : float
        The starting sigma of the Gaussian preset.
    display_step : int
        Show every ``display_step``-th pixel of the photo and the result (the result is
        always computed at full resolution); keeps the PNG small and fast.

    Controls (attribute: CSS class, what it does)
    ---------------------------------------------
    The top box has ``course-widget`` and ``course-kernel-editor``.

    - ``preset`` (Dropdown): ``course-kernel-editor-preset``; loads a gallery kernel at the
      current size, replacing any edits.
    - ``size`` (SelectionSlider of 1, 3, ..., 15): ``course-kernel-editor-size``; rebuilds the
      preset at that size and the grid of entries. Identity, box and Gaussian are built at the
      size; the fixed 3x3 presets are embedded in zeros (larger) or cropped to their centre
      (size 1).
    - ``sigma`` (FloatSlider, minimum 0.2): ``course-kernel-editor-sigma``; the Gaussian's
      width, only enabled for the Gaussian preset.
    - ``entries`` (list of rows of FloatText): each has ``course-kernel-editor-entry``; typing
      a number sets that kernel entry. Non-finite values or values beyond +-1e6 are refused.
    - ``normalize_sum`` (Button): ``course-kernel-editor-normalize-sum``; divides the kernel by
      its sum, or refuses when the sum is near zero (``|sum| <= 1e-3 * sum|g|``, which
      includes the all-zero kernel) and says why in ``message``.
    - ``normalize_norm`` (Button): ``course-kernel-editor-normalize-norm``; divides by the L2
      norm, or refuses on an all-zero kernel.
    - ``operation`` (ToggleButtons convolution / correlation): ``course-kernel-editor-flip``.
    - ``boundary`` (Dropdown fill / wrap / symm): ``course-kernel-editor-boundary``, with the
      semantics of ``scipy.signal.convolve2d``.
    - The figure (``live.image``): ``course-kernel-editor-figure``.
    - Readouts (ipywidgets.HTML, each also ``course-kernel-editor-readout``):
      ``sum_readout`` (``-sum``), ``norm_readout`` (``-norm``), ``brightness_readout``
      (``-brightness``), ``message_readout`` (``-message``).

    Output data: ``kernel``, ``result`` (full resolution, mode 'same', unclipped),
    ``sum``, ``norm``, ``mean_before``, ``mean_after``, ``message``.

    Colour scaling: the photo and the result are drawn with one fixed gray scale, 0 black and
    1 white, never rescaled to the data. A kernel that sums to one keeps the picture's
    brightness; one that sums to zero (Sobel, Laplacian) gives a mostly black picture in which
    only positive responses show. Values outside [0, 1] are clipped on screen only, and the
    brightness readout says how many pixels were clipped; the mean brightness readout uses
    the unclipped result.
    """

    name = "kernel-editor"

    def __init__(
        self,
        image: np.ndarray | None = None,
        preset: str = "box",
        size: int = 3,
        sigma: float = 1.0,
        display_step: int = 3,
    ):
        self.image = grace_hopper() if image is None else np.asarray(image, dtype=float)
        if self.image.ndim != 2:
            raise ValueError(f"image must be 2-D (grayscale), got shape {self.image.shape}")
        if size not in SIZES:
            raise ValueError(f"size must be one of {SIZES}, got {size!r}")
        self.display_step = display_step
        self.mean_before = float(self.image.mean())
        self.message = ""
        self._syncing = False

        names = list(kernels.gallery())
        if preset not in names:
            raise ValueError(f"preset must be one of {names}, got {preset!r}")
        self.preset = self._control(widgets.Dropdown(options=names, value=preset), "preset")
        self.preset.description = "preset"
        self.size = self._control(
            widgets.SelectionSlider(options=SIZES, value=size, description="size"), "size"
        )
        self.sigma = self._control(
            widgets.FloatSlider(
                value=sigma, min=SIGMA_MIN, max=SIGMA_MAX, step=0.1, description="sigma"
            ),
            "sigma",
        )
        self.normalize_sum = self._control(
            widgets.Button(description="normalize to sum 1"), "normalize-sum"
        )
        self.normalize_norm = self._control(
            widgets.Button(description="normalize to unit norm"), "normalize-norm"
        )
        self.operation = self._control(
            widgets.ToggleButtons(options=OPERATIONS, value="convolution"), "flip"
        )
        self.boundary = self._control(
            widgets.Dropdown(options=BOUNDARIES, value="fill", description="boundary"),
            "boundary",
        )
        self.access = Access()
        self.access.name(self.preset, "preset kernel")
        self.access.name(self.size, "size: rows and columns of the kernel")
        self.access.name(self.sigma, "sigma of the Gaussian")
        self.access.name(self.operation, "operation: convolution or correlation")
        self.access.name(self.boundary, "boundary mode")
        self.sum_readout = self._readout("sum")
        self.norm_readout = self._readout("norm")
        self.brightness_readout = self._readout("brightness")
        self.message_readout = self._readout("message")

        # Entry widgets are made when a size first needs them and reused after; they share one
        # layout and one style, which keeps the widget state saved in a notebook small.
        self._entry_layout = widgets.Layout(width="64px")
        self._entry_style = DescriptionStyle()
        self._pool: list[list[widgets.FloatText]] = []
        self.grid = widgets.GridBox(layout=widgets.Layout(grid_gap="2px"))

        self.kernel, note = preset_kernel(preset, size, sigma)
        self.result = self._filter()
        self._build_figure()
        self._show_entries()
        self._set_message(note)
        self._redraw()

        self.preset.observe(self._on_preset, names="value")
        self.size.observe(self._on_preset, names="value")
        self.sigma.observe(self._on_sigma, names="value")
        self.operation.observe(self._on_setting, names="value")
        self.boundary.observe(self._on_setting, names="value")
        self.normalize_sum.on_click(self._on_normalize_sum)
        self.normalize_norm.on_click(self._on_normalize_norm)
        self.sigma.disabled = preset != "gaussian"

        controls = widgets.VBox(
            [
                self.preset,
                self.size,
                self.sigma,
                self.operation,
                self.boundary,
                widgets.HBox([self.normalize_sum, self.normalize_norm]),
                self.grid,
            ]
        )
        readouts = widgets.VBox(
            [self.sum_readout, self.norm_readout, self.brightness_readout, self.message_readout]
        )
        self.ui = widgets.VBox([controls, self.live.image, readouts, self.access])
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{self.name}")

    # ----------------------------------------------------------------- output data
    @property
    def sum(self) -> float:
        """The kernel's sum (its DC gain)."""
        return float(self.kernel.sum())

    @property
    def norm(self) -> float:
        """The kernel's L2 norm."""
        return float(np.linalg.norm(self.kernel))

    @property
    def mean_after(self) -> float:
        """The mean brightness of the (unclipped) result."""
        return float(self.result.mean())

    # ----------------------------------------------------------------- building
    def _control(self, widget: widgets.Widget, control: str) -> widgets.Widget:
        widget.add_class(f"course-{self.name}-{control}")
        return widget

    def _readout(self, kind: str) -> widgets.HTML:
        readout = widgets.HTML()
        readout.add_class(f"course-{self.name}-readout")
        readout.add_class(f"course-{self.name}-{kind}")
        return self.access.announce(readout)

    def _entry(self, i: int, j: int) -> widgets.FloatText:
        entry = widgets.FloatText(value=0.0, layout=self._entry_layout, style=self._entry_style)
        entry.add_class(f"course-{self.name}-entry")
        self.access.name(entry, f"kernel entry g[{i}, {j}]: row {i}, column {j}")
        entry.observe(lambda change: self._on_entry(i, j, change["new"]), names="value")
        return entry

    @property
    def entries(self) -> list[list[widgets.FloatText]]:
        """The entry widgets in use, one row of FloatText per kernel row."""
        n = self.kernel.shape[0]
        return [row[:n] for row in self._pool[:n]]

    def _build_figure(self) -> None:
        self.live = LiveFigure(
            figsize=(8.0, 2.9),
            alt=(
                "the kernel editor: the kernel with its sum, the photo, and the photo filtered by"
                " the kernel"
            ),
        )
        self.live.image.add_class(f"course-{self.name}-figure")
        ax_photo, ax_kernel, ax_result = self.live.figure.subplots(
            1, 3, gridspec_kw={"width_ratios": [1, 0.9, 1]}
        )
        step = self.display_step
        gray = {"vmin": 0.0, "vmax": 1.0, "interpolation": "nearest"}
        show_image(
            ax_photo, self.image[::step, ::step], f"photo, mean {self.mean_before:.3f}", **gray
        )
        self._kernel_im = show_signed(ax_kernel, self.kernel)
        self._kernel_ax = ax_kernel
        self._result_im = show_image(ax_result, self.result[::step, ::step], "", **gray)
        self._result_ax = ax_result
        colorbar_ax = self._kernel_im.colorbar.ax
        # What changes on an update; everything else is drawn once, into the background.
        moving = [self._kernel_im, self._result_im, ax_kernel.title, ax_result.title]
        moving += [*ax_kernel.spines.values(), *ax_result.spines.values(), colorbar_ax]
        self.live.freeze(moving)

    def _show_entries(self) -> None:
        n = self.kernel.shape[0]
        for i in range(n):  # grow the pool of entry widgets to n x n
            if i == len(self._pool):
                self._pool.append([])
            row = self._pool[i]
            row.extend(self._entry(i, j) for j in range(len(row), n))
        self._syncing = True
        try:
            for i, row in enumerate(self.entries):
                for j, entry in enumerate(row):
                    entry.value = float(self.kernel[i, j])
        finally:
            self._syncing = False
        self.grid.children = [entry for row in self.entries for entry in row]
        self.grid.layout.grid_template_columns = f"repeat({n}, 64px)"

    # ----------------------------------------------------------------- computing
    def _filter(self) -> np.ndarray:
        operation = convolve if self.operation.value == "convolution" else correlate
        return operation(self.image, self.kernel, mode="same", boundary=self.boundary.value)

    def _set_message(self, text: str) -> None:
        self.message = text
        self.message_readout.value = html.escape(text)

    def _redraw(self) -> None:
        step = self.display_step
        self._result_im.set_data(self.result[::step, ::step])
        update_signed(self._kernel_im, self.kernel)
        limit = self._kernel_im.get_clim()[1]
        ticks = [-limit, 0.0, limit]
        self._kernel_im.colorbar.set_ticks(ticks, labels=[f"{tick:.3g}" for tick in ticks])
        self._kernel_ax.set_title(kernel_title(self.kernel, "kernel"))
        word = "convolution" if self.operation.value == "convolution" else "correlation"
        self._result_ax.set_title(f"{word} ({self.boundary.value}), mean {self.mean_after:.3f}")
        self.live.blit()
        self.sum_readout.value = f"sum of the kernel: <b>{self.sum:.4g}</b>"
        self.norm_readout.value = f"L2 norm of the kernel: <b>{self.norm:.4g}</b>"
        below = float(np.mean(self.result < 0.0)) * 100
        above = float(np.mean(self.result > 1.0)) * 100
        self.brightness_readout.value = (
            f"mean brightness: before <b>{self.mean_before:.4f}</b>, after "
            f"<b>{self.mean_after:.4f}</b> (shown clipped to [0, 1]: {below:.1f}% of pixels "
            f"below 0, {above:.1f}% above 1)"
        )

    def _apply(self, kernel: np.ndarray | None = None, message: str | None = None) -> None:
        """Take a new kernel of the same shape (or only new settings), recompute, redraw."""
        if kernel is not None:
            self.kernel = kernel
        if message is not None:
            self._set_message(message)
        self.result = self._filter()
        self._redraw()

    # ----------------------------------------------------------------- callbacks
    def _on_preset(self, _change: dict) -> None:
        self.sigma.disabled = self.preset.value != "gaussian"
        kernel, note = preset_kernel(self.preset.value, self.size.value, self.sigma.value)
        self.kernel = kernel
        self._show_entries()
        self._apply(message=note)

    def _on_sigma(self, change: dict) -> None:
        if self.preset.value == "gaussian":
            self._on_preset(change)

    def _on_setting(self, _change: dict) -> None:
        self._apply()

    def _on_entry(self, i: int, j: int, value: float) -> None:
        if self._syncing:
            return
        if not np.isfinite(value) or abs(value) > ENTRY_LIMIT:
            self._syncing = True
            try:
                self._pool[i][j].value = float(self.kernel[i, j])
            finally:
                self._syncing = False
            self._set_message(
                f"entry ({i}, {j}) refused: {value!r} is not a finite number within "
                f"+-{ENTRY_LIMIT:g}; kept {self.kernel[i, j]:.4g}"
            )
            return
        kernel = self.kernel.copy()
        kernel[i, j] = value
        self._apply(kernel, f"entry ({i}, {j}) set to {value:.4g}")

    def _on_normalize_sum(self, _button: widgets.Button) -> None:
        total, weight = self.sum, float(np.abs(self.kernel).sum())
        if abs(total) <= SUM_TOLERANCE * weight:
            self._set_message(
                f"not normalized: the sum is {total:.3g}, too close to zero to divide by "
                f"(|sum| <= {SUM_TOLERANCE:g} x sum of |entries| = {SUM_TOLERANCE * weight:.3g}). "
                "A kernel that sums to zero, like an edge detector, removes the mean "
                "brightness; no scaling can make it sum to one."
            )
            return
        self._apply_scaled(total, f"divided by the sum {total:.4g}: the kernel now sums to 1")

    def _on_normalize_norm(self, _button: widgets.Button) -> None:
        norm = self.norm
        if norm == 0.0:
            self._set_message("not normalized: the kernel is all zeros, its norm is 0")
            return
        self._apply_scaled(norm, f"divided by the norm {norm:.4g}: the kernel now has norm 1")

    def _apply_scaled(self, divisor: float, message: str) -> None:
        self.kernel = self.kernel / divisor
        self._show_entries()
        self._apply(message=message)

    # ----------------------------------------------------------------- display
    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)

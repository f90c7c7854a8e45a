"""A live kernel editor on a photo, in the spirit of setosa's "Image kernels explained visually".

Pick a preset from the kernel gallery, change its size (and the Gaussian's sigma), type into
any entry, normalize the kernel, switch between convolution and cross-correlation and between
boundary modes, and see the kernel with its numbers, a full-resolution window of the photo and
the same window of the filtered photo, either on the photo's gray scale (clipped to [0, 1]) or
signed, on a diverging map centred on zero. Two sliders move the window over the photo.

The boundary starts at 'wrap': the image is continued periodically, so every pixel meets every
kernel entry exactly once and the mean brightness after filtering is exactly the kernel's sum
times the mean before, for any kernel. With 'fill' (zeros outside) the taps that reach past the
border meet zeros: a non-negative kernel that sums to one darkens the border and the mean drops,
while one with negative taps (sharpen, emboss) can brighten it and raise the mean. With 'symm'
(mirror) the mean is kept exactly by the editor's odd-sized kernels when they are symmetric
about their centre row and their centre column, and changes a little otherwise.
"""

from __future__ import annotations

import html
import struct
import zlib
from collections.abc import Callable, Hashable, Sequence

import ipywidgets as widgets
import numpy as np
from ipywidgets.widgets.widget_description import DescriptionStyle
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from helpers import kernels
from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.convolution import convolve, correlate
from helpers.live import LiveFigure
from helpers.photo import grace_hopper
from helpers.plotting import DPI, IMAGE_CMAP, SIGNED_CMAP, symmetric_limit
from helpers.validation import as_integer, as_real_array, check_choice, check_memory

SIGNED_PERCENTILE = 99.5  # the signed view's limit: this percentile of the window's magnitudes
SIZES = tuple(range(1, 16, 2))
SIGMA_MIN = 0.2
SIGMA_MAX = 5.0
ENTRY_LIMIT = 1e6
SUM_TOLERANCE = 1e-3
BOUNDARIES = ("wrap", "symm", "fill")
OPERATIONS = ("convolution", "correlation")
VIEWS = ("clipped", "signed")
WINDOW = 256
ANNOTATE_UP_TO = 5  # kernels up to 5 x 5 carry their numbers in the figure
SETTING_NOTES = {  # what the message readout says when the operation or the boundary changes
    "convolution": "convolution: the kernel is flipped before it slides (f * g)",
    "correlation": "correlation: the kernel slides as shown, unflipped (as in CNN layers)",
    "wrap": "boundary wrap: the photo repeats, so the mean after is sum x mean before",
    "symm": "boundary symm: the photo is mirrored at its edges",
    "fill": "boundary fill: zeros outside the photo",
}
SIZED_PRESETS: dict[str, Callable[[int], np.ndarray]] = {
    "identity": kernels.identity,
    "box": kernels.box,
}

# The figure's layout, in pixels at 100 dpi: the kernel, then the photo and the result, each
# window drawn one image pixel per screen pixel.
_KERNEL_PX = 150
_MIN_STRIP = 256  # the photo's and the result's strips are at least this wide
_MARGIN = {"left": 60, "gap": 74, "right": 64, "top": 44, "bottom": 30}
_COLORBAR = (8, 10)  # gap to the colorbar, its width


def centred_window(g: np.ndarray, size: int) -> np.ndarray:
    """The kernel ``g`` seen through a ``size`` x ``size`` window centred on it.

    A larger window pads ``g`` with zeros (the same filter in 'same' mode); a smaller one
    keeps only its centre (size 1 keeps the centre entry).

    Raises
    ------
    ValueError, TypeError
        If ``g`` is not a 2-D array of finite real numbers, or ``size`` not a positive
        integer (or so large that the window would not fit in memory).
    """
    g = as_real_array(g, "g", finite=True)
    if g.ndim != 2:
        raise ValueError(f"g must be a 2-D kernel, got shape {g.shape}")
    size = as_integer(size, "size", low=1)
    rows, cols = g.shape
    check_memory(8.0 * max(rows, size) * max(cols, size), "the window", "use a smaller size")
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

    Raises
    ------
    ValueError, TypeError
        If ``name`` is not a preset of the gallery, ``size`` not one of the editor's
        :data:`SIZES` (odd, 1 to 15), or ``sigma`` not a valid Gaussian width.
    """
    name = check_choice("name", name, list(kernels.gallery()))
    size = as_integer(size, "size", low=1, high=max(SIZES))
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size}")
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


def percentile_limit(values: np.ndarray, percentile: float) -> float:
    """A signed view's colour limit: that percentile of the magnitudes, so that a few strong
    values do not make the rest pale (the largest magnitude when the percentile is 0)."""
    limit = float(np.percentile(np.abs(values), percentile)) if np.size(values) else 0.0
    return limit if limit > 0 else symmetric_limit(values)


def l2_norm(g: np.ndarray) -> float:
    """The L2 norm of ``g``, without underflow: entries of 1e-300 have a norm, not 0."""
    largest = float(np.max(np.abs(g))) if g.size else 0.0
    if largest == 0.0:
        return 0.0
    return largest * float(np.linalg.norm(g / largest))


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


class PanelFigure(LiveFigure):
    """A :class:`LiveFigure` cut into vertical strips (panels) that are redrawn one by one.

    An update pastes the background of the panels that changed and draws their moving artists
    over it; the other panels keep what they showed, so an edit of the kernel does not redraw
    the photo. The figure is laid out in pixels, at 100 dpi, so that images can be drawn one
    image pixel per screen pixel.

    Artists given as ``still_only`` to :meth:`freeze_panels` are drawn in the still picture
    (:meth:`png`, :meth:`LiveFigure.static`) and left out of the live updates: the kernel
    editor's numbers, which its grid of entries shows right above the live picture.
    """

    def __init__(self, size_px: tuple[int, int], alt: str):
        width, height = size_px
        super().__init__((width / DPI, height / DPI), alt=alt, dpi=DPI, layout="none")
        self._panels: dict[str, tuple[tuple[float, float, float, float], list[Artist]]] = {}

    def freeze_panels(
        self, panels: dict, key: Hashable | None = None, still_only: Sequence[Artist] = ()
    ) -> None:
        """Keep everything but the panels' artists (and ``still_only``) as the background: one
        full drawing, or none when a background was kept under ``key`` before (see
        :meth:`LiveFigure.freeze`)."""
        self._panels = panels
        moving = [artist for _, artists in panels.values() for artist in artists]
        self.freeze([*moving, *still_only], key=key)

    def blit_panels(self, names: dict | tuple) -> None:
        """Paste the background of each named panel, draw its artists, show the figure."""
        self._draw_panels(names)
        self.image.value = self._encode()

    def png(self) -> bytes:
        """The still picture: every artist drawn. The live picture is then drawn back."""
        still = super().png()
        self._draw_panels(self._panels)
        return still

    def _draw_panels(self, names: dict | tuple) -> None:
        for name in names:  # xy: where the background's own origin goes
            self.canvas.restore_region(self._background, bbox=self._panels[name][0], xy=(0, 0))
        for name in names:
            for artist in sorted(self._panels[name][1], key=lambda artist: artist.get_zorder()):
                self.figure.draw_artist(artist)

    def _encode(self) -> bytes:
        """The canvas as PNG bytes, unfiltered and zlib level 1: twice as fast as PIL's."""
        return rgba_png(np.asarray(self.canvas.buffer_rgba()))


def rgba_png(rgba: np.ndarray) -> bytes:
    """A PNG file of an RGBA image (uint8, shape (H, W, 4)), rows unfiltered, zlib level 1.

    Half the time of PIL's encoder for a figure-sized image (no per-row filter search), for
    files about 15% larger: what a widget wants, whose picture is encoded on every update.
    """
    height, width, channels = rgba.shape
    if channels != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"rgba must be uint8 of shape (H, W, 4), got {rgba.dtype} {rgba.shape}")
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # each row: filter type 0, pixels
    rows[:, 1:] = rgba.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


class KernelEditor:
    """Edit a kernel and see what it does to a photo.

    Parameters
    ----------
    image : ndarray, optional
        A grayscale image of shape (H, W), values in [0, 1]; defaults to the course photo
        (``grace_hopper()``, 600 x 512).
    preset : str
        The starting preset, a name of ``helpers.kernels.gallery()``.
    size : int
        The starting kernel size, odd, 1 to 15.
    sigma : float
        The starting sigma of the Gaussian preset, 0.2 to 5.
    window : int
        Side of the square window of the photo shown, in pixels (at most the image's sides).
        The photo and the result are drawn at full resolution inside it, one image pixel per
        screen pixel; the result is always computed on the whole image.

    Controls (attribute: CSS class, what it does); each has a ``description``
    -------------------------------------------------------------------------
    The top box has ``course-widget`` and ``course-kernel-editor``.

    - ``preset`` (Dropdown): ``course-kernel-editor-preset``; loads a gallery kernel at the
      current size, replacing any edits.
    - ``size`` (SelectionSlider of 1, 3, ..., 15): ``course-kernel-editor-size``; rebuilds the
      preset at that size and the grid of entries. Identity, box and Gaussian are built at the
      size; the fixed 3x3 presets are embedded in zeros (larger) or cropped to their centre
      (size 1).
    - ``sigma`` (FloatSlider, 0.2 to 5): ``course-kernel-editor-sigma``; the Gaussian's
      width, only enabled for the Gaussian preset.
    - ``entries`` (list of rows of FloatText): each has ``course-kernel-editor-entry``; the
      entry of row ``r``, column ``c`` has the description ``"row r, column c"`` (drawn with no
      width: the grid shows where it is). Typing a number sets that kernel entry; non-finite
      values or values beyond +-1e6 are refused.
    - ``normalize_sum`` (Button): ``course-kernel-editor-normalize-sum``; divides the kernel by
      its sum, or refuses when the sum is near zero (``|sum| <= 1e-3 * sum|g|``, which
      includes the all-zero kernel) and says why in ``message``.
    - ``normalize_norm`` (Button): ``course-kernel-editor-normalize-norm``; divides by the L2
      norm, or refuses on an all-zero kernel.
    - ``reset`` (Button): ``course-kernel-editor-reset``; loads the preset again at the current
      size and sigma, undoing edits and normalizations (choosing the preset already chosen in
      the menu does nothing: a menu only reports changes).
    - ``operation`` (ToggleButtons convolution / correlation): ``course-kernel-editor-flip``.
    - ``boundary`` (Dropdown wrap / symm / fill, 'wrap' by default):
      ``course-kernel-editor-boundary``, with the semantics of ``scipy.signal.convolve2d``.
    - ``view`` (ToggleButtons clipped / signed): ``course-kernel-editor-view``; the result on the
      photo's gray scale (0 black, 1 white, clipped) or signed on a diverging map centred on
      zero, its limit the 99.5th percentile of the magnitudes in the window shown (as the
      notebook's figures; the strongest 0.5% get the end colours).
    - ``window_row``, ``window_column`` (IntSlider): ``course-kernel-editor-window-row`` and
      ``-window-column``; the top row and the left column of the window shown.
    - The figure (``live.image``): ``course-kernel-editor-figure``.
    - Readouts (ipywidgets.HTML, each also ``course-kernel-editor-readout``):
      ``sum_readout`` (``-sum``), ``norm_readout`` (``-norm``), ``brightness_readout``
      (``-brightness``), ``message_readout`` (``-message``).

    A value a control refuses (a NaN sigma, say) is put back to the last good one and the
    message readout says why (:func:`helpers.controls.observe_guarded`).

    Output data: ``kernel``, ``result`` (whole image, mode 'same', unclipped), ``sum``,
    ``norm``, ``mean_before``, ``mean_after``, ``message``, ``window`` (the slices shown).
    """

    name = "kernel-editor"

    def __init__(
        self,
        image: np.ndarray | None = None,
        preset: str = "box",
        size: int = 3,
        sigma: float = 1.0,
        window: int = WINDOW,
    ):
        self.image = grace_hopper() if image is None else np.asarray(image, dtype=float)
        if self.image.ndim != 2 or self.image.size == 0:
            raise ValueError(f"image must be 2-D (grayscale) and not empty, got {self.image.shape}")
        if not np.all(np.isfinite(self.image)):
            raise ValueError("image must hold finite numbers only")
        names = list(kernels.gallery())
        if preset not in names:
            raise ValueError(f"preset must be one of {names}, got {preset!r}")
        if size not in SIZES:
            raise ValueError(f"size must be one of {SIZES}, got {size!r}")
        sigma = self._check_sigma(sigma)
        side = min(_positive_int(window, "window"), *self.image.shape)
        self.mean_before = float(self.image.mean())
        self.message = ""
        self._syncing = False

        rows, cols = self.image.shape
        self.access = Access()  # every control named by its description, readouts announced
        self.preset = self._control(
            widgets.Dropdown(options=names, value=preset, description="preset"), "preset"
        )
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
        self.reset = self._control(widgets.Button(description="reset to the preset"), "reset")
        self.operation = self._control(
            widgets.ToggleButtons(options=OPERATIONS, value="convolution", description="operation"),
            "flip",
        )
        self.boundary = self._control(
            widgets.Dropdown(options=BOUNDARIES, value="wrap", description="boundary"),
            "boundary",
        )
        self.view = self._control(
            widgets.ToggleButtons(options=VIEWS, value="clipped", description="result view"),
            "view",
        )
        self.window_row = self._control(
            widgets.IntSlider(
                value=(rows - side) // 2, min=0, max=rows - side, description="window top row"
            ),
            "window-row",
        )
        self.window_column = self._control(
            widgets.IntSlider(
                value=(cols - side) // 2, min=0, max=cols - side, description="window left column"
            ),
            "window-column",
        )
        for control in (self.operation, self.view):
            control.style.button_width = "auto"
        self.sum_readout = self._readout("sum")
        self.norm_readout = self._readout("norm")
        self.brightness_readout = self._readout("brightness")
        self.message_readout = self._readout("message")

        # Entry widgets are made when a size first needs them and reused after; they share one
        # layout and one style, which keeps the widget state saved in a notebook small.
        self._entry_layout = widgets.Layout(width="64px")
        self._entry_style = DescriptionStyle(description_width="0px")
        self._pool: list[list[widgets.FloatText]] = []
        self.grid = widgets.GridBox(layout=widgets.Layout(grid_gap="2px"))

        self.side = side
        self.kernel, note = preset_kernel(preset, size, sigma)
        self.result = self._filter()
        self._build_figure()
        self._show_entries()
        self._set_message(note)
        self._redraw(layout_changed=True)

        say = self._set_message
        observe_guarded(self.preset, self._on_preset, say)
        observe_guarded(self.size, self._on_preset, say)
        observe_guarded(self.sigma, self._on_sigma, say)
        observe_guarded(self.operation, self._on_setting, say)
        observe_guarded(self.boundary, self._on_setting, say)
        observe_guarded(self.view, self._on_view, say)
        observe_guarded(self.window_row, self._on_window, say)
        observe_guarded(self.window_column, self._on_window, say)
        self.normalize_sum.on_click(self._on_normalize_sum)
        self.normalize_norm.on_click(self._on_normalize_norm)
        self.reset.on_click(self._on_reset)
        self.sigma.disabled = preset != "gaussian"

        for slider in (self.size, self.sigma, self.window_row, self.window_column):
            slider.style.description_width = "initial"  # the whole description, not cut
        for button in (self.normalize_sum, self.normalize_norm, self.reset):
            button.layout.width = "auto"
        kernel = widgets.VBox([self.preset, self.size, self.sigma, self.operation, self.boundary])
        view = widgets.VBox([self.view, self.window_row, self.window_column])
        buttons = widgets.HBox([self.normalize_sum, self.normalize_norm, self.reset])
        readouts = widgets.VBox(
            [self.sum_readout, self.norm_readout, self.brightness_readout, self.message_readout]
        )
        top = widgets.HBox([kernel, view])
        self.ui = widgets.VBox([top, buttons, self.grid, self.live.image, readouts, self.access])
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
        return l2_norm(self.kernel)

    @property
    def mean_after(self) -> float:
        """The mean brightness of the (unclipped) result, over the whole image."""
        return float(self.result.mean())

    @property
    def window(self) -> tuple[slice, slice]:
        """The rows and the columns of the image shown in the figure."""
        top, left = self.window_row.value, self.window_column.value
        return slice(top, top + self.side), slice(left, left + self.side)

    # ----------------------------------------------------------------- building
    def _control(self, widget: widgets.Widget, control: str) -> widgets.Widget:
        widget.add_class(f"course-{self.name}-{control}")
        return self.access.name(widget)

    def _readout(self, kind: str) -> widgets.HTML:
        readout = widgets.HTML()
        readout.add_class(f"course-{self.name}-readout")
        readout.add_class(f"course-{self.name}-{kind}")
        return self.access.announce(readout)

    def _entry(self, i: int, j: int) -> widgets.FloatText:
        entry = widgets.FloatText(
            value=0.0,
            description=f"row {i}, column {j}",
            layout=self._entry_layout,
            style=self._entry_style,
        )
        entry.add_class(f"course-{self.name}-entry")
        observe_guarded(
            entry, lambda change: self._on_entry(i, j, change["new"]), self._set_message
        )
        return entry

    @property
    def entries(self) -> list[list[widgets.FloatText]]:
        """The entry widgets in use, one row of FloatText per kernel row."""
        n = self.kernel.shape[0]
        return [row[:n] for row in self._pool[:n]]

    def _build_figure(self) -> None:
        side, k = self.side, _KERNEL_PX
        margin, (cb_gap, cb_width) = _MARGIN, _COLORBAR
        tall = max(side, k)
        strip = max(side, _MIN_STRIP)  # room for the titles, however small the window
        x_photo = margin["left"] + k + margin["gap"] + (strip - side) / 2
        x_result = x_photo + side + margin["gap"] + (strip - side)
        x_colorbar = x_result + side + cb_gap
        width = round(x_colorbar + cb_width + margin["right"])
        height = margin["top"] + tall + margin["bottom"]
        self.live = PanelFigure((width, height), alt="the kernel editor")
        self.live.image.add_class(f"course-{self.name}-figure")
        figure = self.live.figure

        def axes(left: float, wide: float, high: float) -> Axes:
            bottom = margin["bottom"] + tall - high
            return figure.add_axes((left / width, bottom / height, wide / width, high / height))

        ax_kernel = axes(margin["left"], k, k)
        ax_photo, ax_result = axes(x_photo, side, side), axes(x_result, side, side)
        self._kernel_ax, self._photo_ax, self._result_ax = ax_kernel, ax_photo, ax_result
        self._kernel_im = ax_kernel.imshow(self.kernel, cmap=SIGNED_CMAP)
        self._numbers = [
            ax_kernel.text(0, 0, "", ha="center", va="center") for _ in range(ANNOTATE_UP_TO**2)
        ]
        ax_kernel.set_xlabel("column b")
        ax_kernel.set_ylabel("row a")
        # one image pixel per screen pixel: drawn as it is, no resampling
        gray = {"cmap": IMAGE_CMAP, "vmin": 0.0, "vmax": 1.0, "interpolation": "none"}
        self._photo_im = ax_photo.imshow(self.image[self.window], **gray)
        self._result_im = ax_result.imshow(self.result[self.window], **gray)
        self._result_cb = figure.colorbar(self._result_im, cax=axes(x_colorbar, cb_width, side))
        self._colorbar_shows: tuple = ()
        for ax in (ax_photo, ax_result):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("column j")
        ax_photo.set_ylabel("row i")

        # Each panel is a vertical strip of the figure, redrawn only when what it shows changes;
        # an axes' frame is drawn again over its image, as a full drawing does.
        middle = margin["gap"] / 2 + (strip - side) / 2
        edges = [0, x_photo - middle, x_result - middle, x_colorbar - cb_gap / 2, width]
        artists = {
            "kernel": [self._kernel_im, ax_kernel.title],
            "photo": [self._photo_im, ax_photo.title, *ax_photo.spines.values()],
            "result": [self._result_im, ax_result.title, *ax_result.spines.values()],
            "colorbar": [self._result_cb.ax],
        }
        artists["kernel"] += ax_kernel.spines.values()
        self._panels = {
            name: ((left, 0, right, height), artists[name])
            for name, left, right in zip(artists, edges[:-1], edges[1:], strict=True)
        }

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

    @staticmethod
    def _check_sigma(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise TypeError(f"sigma must be a number, got {value!r}")
        sigma = float(value)
        if not (SIGMA_MIN <= sigma <= SIGMA_MAX):  # False for NaN too
            raise ValueError(f"sigma must be a number from {SIGMA_MIN} to {SIGMA_MAX}, got {sigma}")
        return sigma

    def _update_kernel_panel(self) -> None:
        n = self.kernel.shape[0]
        limit = symmetric_limit(self.kernel)
        self._kernel_im.set_data(self.kernel)
        self._kernel_im.set_extent((-0.5, n - 0.5, n - 0.5, -0.5))
        self._kernel_im.set_clim(-limit, limit)
        self._kernel_ax.set_title(
            f"kernel {n}x{n}\nsum {self.sum:.4g}, norm {self.norm:.3g}", fontsize=9
        )
        for index, text in enumerate(self._numbers):
            row, col = divmod(index, ANNOTATE_UP_TO)
            shown = n <= ANNOTATE_UP_TO and row < n and col < n
            text.set_visible(shown)
            if shown:
                value = self.kernel[row, col]
                text.set_position((col, row))
                text.set_text(f"{round(value, 2 if abs(value) >= 0.1 else 3) + 0.0:g}")
                text.set_color("white" if abs(value) > 0.6 * limit else "black")
                text.set_fontsize(8 if n <= 3 else 6.5)

    def _update_photo_panel(self) -> None:
        rows, cols = self.window
        self._photo_im.set_data(self.image[rows, cols])
        self._photo_ax.set_title(
            f"photo: mean {self.mean_before:.4f}\n"
            f"rows {rows.start}-{rows.stop - 1}, columns {cols.start}-{cols.stop - 1}",
            fontsize=9,
        )

    def _update_result_panel(self) -> bool:
        """Put the window of the result in, on its scale; True when the colorbar changed."""
        shown = self.result[self.window]
        self._result_im.set_data(shown)
        if self.view.value == "signed":
            bound = percentile_limit(shown, SIGNED_PERCENTILE)
            cmap, ticks = SIGNED_CMAP, [-bound, 0.0, bound]
            scale = f"signed value (limit: {SIGNED_PERCENTILE:g}th percentile)"
        else:
            cmap, ticks, scale = IMAGE_CMAP, [0.0, 0.5, 1.0], "gray level, clipped to [0, 1]"
        self._result_ax.set_title(
            f"{self.operation.value}, {self.boundary.value}: mean {self.mean_after:.4f}",
            fontsize=9,
        )
        if (ticks, scale) == self._colorbar_shows:
            return False
        self._result_im.set_cmap(cmap)  # costly (the colorbar follows): only when it changes
        self._result_im.set_clim(ticks[0], ticks[-1])
        self._result_cb.set_ticks(ticks, labels=[f"{tick:.3g}" for tick in ticks])
        self._result_cb.set_label(scale)
        self._colorbar_shows = (ticks, scale)
        return True

    def _redraw(self, panels: tuple[str, ...] = (), layout_changed: bool = False) -> None:
        """Redraw the panels whose content changed (all of them after a change of layout)."""
        if layout_changed:
            panels = tuple(self._panels)
            n = self.kernel.shape[0]
            ticks = range(n) if n <= 7 else range(0, n, 2)
            self._kernel_ax.set_xticks(ticks)
            self._kernel_ax.set_yticks(ticks)
        if "kernel" in panels:
            self._update_kernel_panel()
        if "photo" in panels:
            self._update_photo_panel()
        if "result" in panels and self._update_result_panel():
            panels = (*panels, "colorbar")  # drawn again only when its scale changed
        if layout_changed:  # only the kernel's ticks differ from one size to another
            self.live.freeze_panels(self._panels, self.kernel.shape[0], still_only=self._numbers)
            self._update_kernel_panel()  # freeze showed every hidden number again
        self.live.blit_panels(dict.fromkeys(panels))
        self.live.describe(self._description())
        self._update_readouts()

    def _update_readouts(self) -> None:
        self.sum_readout.value = f"sum of the kernel: <b>{self.sum:.4g}</b>"
        self.norm_readout.value = f"L2 norm of the kernel: <b>{self.norm:.4g}</b>"
        below = float(np.mean(self.result < 0.0)) * 100
        above = float(np.mean(self.result > 1.0)) * 100
        self.brightness_readout.value = (
            f"mean brightness: before <b>{self.mean_before:.4f}</b>, after "
            f"<b>{self.mean_after:.4f}</b> (sum x before = {self.sum * self.mean_before:.4f}; "
            f"boundary {self.boundary.value}). Pixels below 0: {below:.1f}%, above 1: {above:.1f}%"
        )

    def _description(self) -> str:
        n = self.kernel.shape[0]
        rows, cols = self.window
        return (
            f"The kernel editor: a {n}x{n} kernel summing to {self.sum:.3g} (norm "
            f"{self.norm:.3g}); the photo's rows {rows.start}-{rows.stop - 1} and columns "
            f"{cols.start}-{cols.stop - 1} at full resolution, and the same window after "
            f"{self.operation.value} with the {self.boundary.value} boundary, shown "
            f"{self.view.value}; mean brightness {self.mean_before:.4f} before, "
            f"{self.mean_after:.4f} after."
        )

    def _apply(self, kernel: np.ndarray | None = None, message: str | None = None) -> None:
        """Take a new kernel of the same shape (or only new settings), recompute, redraw."""
        if kernel is not None:
            self.kernel = kernel
        if message is not None:
            self._set_message(message)
        self.result = self._filter()
        self._redraw(("kernel", "result"))

    # ----------------------------------------------------------------- callbacks
    # Each raises ValueError or TypeError before changing anything for a value it refuses;
    # observe_guarded then puts the control back and says why.
    def _on_preset(self, _change: dict) -> None:
        self._check_sigma(self.sigma.value)
        kernel, note = preset_kernel(self.preset.value, self.size.value, self.sigma.value)
        self.sigma.disabled = self.preset.value != "gaussian"
        resized = kernel.shape != self.kernel.shape
        self.kernel = kernel
        self._show_entries()
        self._set_message(note)
        self.result = self._filter()
        self._redraw(("kernel", "result"), layout_changed=resized)

    def _on_sigma(self, change: dict) -> None:
        self._check_sigma(change["new"])
        if self.preset.value == "gaussian":
            self._on_preset(change)

    def _on_setting(self, change: dict) -> None:
        self._apply(message=SETTING_NOTES[change["new"]])

    def _on_view(self, _change: dict) -> None:
        self._redraw(("result",))

    def _on_window(self, _change: dict) -> None:
        self._redraw(("photo", "result"))

    def _on_entry(self, i: int, j: int, value: float) -> None:
        if self._syncing:
            return
        if not np.isfinite(value) or abs(value) > ENTRY_LIMIT:
            raise ValueError(
                f"an entry must be a finite number within +-{ENTRY_LIMIT:g}; "
                f"kept {self.kernel[i, j]:.4g}"
            )
        kernel = self.kernel.copy()
        kernel[i, j] = value
        self._apply(kernel, f"entry row {i}, column {j} set to {value:.4g}")

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

    def _on_reset(self, _button: widgets.Button) -> None:
        self._on_preset({})
        self._set_message(f"reset: {self.message}")

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

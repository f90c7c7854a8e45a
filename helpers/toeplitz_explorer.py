"""A widget that shows one row of the Toeplitz matrix: which input pixels an output pixel sees.

Every output pixel of ``convolve(f, g, mode)`` is one row of the matrix ``T`` of
:func:`helpers.convolution.toeplitz_matrix`, a dot product with the flattened image.
Reshaped to the image's shape, that row is the flipped kernel placed at the output pixel and
cut off at the image's border: the pixel's receptive field.

The widget draws the dense matrix, which grows like the fourth power of the image's side: it
refuses images whose matrix would need more than 16 MiB (above about 36 x 36 pixels).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from helpers import kernels
from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.convolution import MODES, convolve, toeplitz_matrix
from helpers.live import LiveFigure
from helpers.memory import dense_toeplitz_bytes, largest_side_within_budget
from helpers.photo import grace_hopper
from helpers.plotting import show_image, show_signed, update_signed

NAME = "toeplitz-explorer"
FIELD_COLOUR = (0.85, 0.1, 0.1)
LIMIT_BYTES = 16 * 2**20  # the dense T of the largest mode and kernel, float64


def check_image(image: np.ndarray, kernel_shape: tuple[int, int]) -> np.ndarray:
    """The image as a float array, or a ValueError saying why the explorer cannot show it.

    The explorer builds T densely for every mode; 'full' with the largest kernel is the
    largest, ``(H + k_h - 1)(W + k_w - 1) x H W`` entries.
    """
    f = np.asarray(image, dtype=float)
    if f.ndim != 2 or min(f.shape) < 5:
        raise ValueError(f"image must be 2-D and at least 5 x 5, got shape {f.shape}")
    if not np.isfinite(f).all():
        raise ValueError("image must hold finite values, got NaN or infinity")
    size = dense_toeplitz_bytes(f.shape, kernel_shape, "full")
    if size > LIMIT_BYTES:
        side = largest_side_within_budget(LIMIT_BYTES, kernel_shape)
        raise ValueError(
            f"image of {f.shape[0]} x {f.shape[1]} pixels: its dense Toeplitz matrix in 'full' "
            f"mode would need {size / 2**20:.0f} MiB (this widget draws it; limit "
            f"{LIMIT_BYTES / 2**20:.0f} MiB); use an image of at most about {side} x {side} "
            "pixels, e.g. a crop, or grace_hopper(scale=40) (15 x 12)"
        )
    return f


class ToeplitzExplorer:
    """Choose an output pixel; see its row of T and its receptive field on the image.

    Controls (attributes), each with a ``description`` and the CSS class given:

    - ``kernel`` (Dropdown, ``course-toeplitz-explorer-kernel``): a kernel of the gallery.
    - ``mode`` (Dropdown, ``course-toeplitz-explorer-mode``): 'full', 'same' or 'valid'; sets
      the output's size, hence the number of rows of T and the sliders' range.
    - ``row``, ``col`` (IntSlider, ``course-toeplitz-explorer-row`` / ``-col``): the output
      pixel (``pixel=(row, col)`` at construction, the output's centre by default); its row of
      T has index ``row * output_width + col``.

    The figure (``course-toeplitz-explorer-figure``) shows the image with the receptive field
    in red and the kernel's footprint outlined (past the border it meets the zero padding),
    the row of T reshaped to the image's shape, the whole of T (its nonzeros) with the row
    marked, and the output with the pixel marked. The readout
    (``course-toeplitz-explorer-readout``) gives the row index, its number of nonzeros, and
    ``T[i] @ f`` beside the direct sum; the message (``course-toeplitz-explorer-message``) says
    why a value set from code was refused (and put back).

    Output data (attributes, updated on every change): ``g``, ``T``, ``output``, ``index``,
    ``t_row`` (the row reshaped to the image's shape), ``receptive_field`` (bool mask of the
    input pixels under the kernel's footprint),
    ``nonzeros``, ``value`` (``T[index] @ f``), ``direct`` (the output pixel's value),
    ``message`` (the readout's text), ``note`` (the message's).
    """

    def __init__(
        self,
        image: np.ndarray | None = None,
        kernel: str = "sobel x",
        mode: str = "full",
        pixel: tuple[int, int] | None = None,
    ):
        self.kernels = kernels.gallery()
        largest = max(
            (g.shape for g in self.kernels.values()), key=lambda shape: shape[0] * shape[1]
        )
        self.f = check_image(grace_hopper(scale=40) if image is None else image, largest)
        if kernel not in self.kernels:
            raise ValueError(f"kernel must be one of {list(self.kernels)}, got {kernel!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.kernel = widgets.Dropdown(
            options=list(self.kernels), value=kernel, description="kernel"
        )
        self.mode = widgets.Dropdown(options=list(MODES), value=mode, description="mode")
        self.row = widgets.IntSlider(value=0, min=0, max=1, description="output row")
        self.col = widgets.IntSlider(value=0, min=0, max=1, description="output col")
        self.readout = widgets.HTML()
        self.note_readout = widgets.HTML()
        self.note = ""
        self.access = Access()
        self.access.name(self.kernel, "kernel: a gallery kernel")
        self.access.name(self.mode, "mode: full, same or valid output")
        self.access.name(self.row, "output row: the row of the output pixel")
        self.access.name(self.col, "output col: the column of the output pixel")
        self.access.announce(self.readout)
        self.access.announce(self.note_readout)
        # A fixed layout: constrained layout would cost a second draw on every update.
        self.live = LiveFigure(
            figsize=(10.5, 3.5),
            alt=(
                "the Toeplitz explorer: one output pixel, its row of the matrix T, and its "
                "receptive field in the image"
            ),
        )
        self.live.figure.set_layout_engine("none")  # the course style turns constrained on
        self._build_figure()
        self._rebuilding = False
        self._rebuild()
        start = (self.output.shape[0] // 2, self.output.shape[1] // 2) if pixel is None else pixel
        if len(start) != 2 or not all(
            isinstance(v, int | np.integer) and 0 <= v < n
            for v, n in zip(start, self.output.shape, strict=True)
        ):
            raise ValueError(
                f"pixel must be (row, column) of the {mode!r} output of shape "
                f"{self.output.shape}, got {pixel!r}"
            )
        self.row.value, self.col.value = int(start[0]), int(start[1])
        observe_guarded(self.kernel, self._on_structure, self._say)
        observe_guarded(self.mode, self._on_structure, self._say)
        observe_guarded(self.row, self._on_pixel, self._say)
        observe_guarded(self.col, self._on_pixel, self._say)
        self._update_pixel()
        self.ui = widgets.VBox(
            [
                widgets.HBox([self.kernel, self.mode]),
                widgets.HBox([self.row, self.col]),
                self.live.image,
                self.readout,
                self.note_readout,
                self.access,
            ]
        )
        self._add_classes()

    def _add_classes(self) -> None:
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{NAME}")
        for control in ("kernel", "mode", "row", "col"):
            getattr(self, control).add_class(f"course-{NAME}-{control}")
        self.live.image.add_class(f"course-{NAME}-figure")
        self.readout.add_class(f"course-{NAME}-readout")
        self.note_readout.add_class(f"course-{NAME}-message")

    def _say(self, text: str) -> None:
        self.note = text
        self.note_readout.value = text

    def _build_figure(self) -> None:
        figure = self.live.figure
        # fixed axes positions, [left, bottom, width, height]
        self.ax_image = figure.add_axes((0.03, 0.12, 0.2, 0.76))
        self.ax_row = figure.add_axes((0.245, 0.12, 0.19, 0.76))
        self.ax_matrix = figure.add_axes((0.53, 0.14, 0.18, 0.74))
        self.ax_output = figure.add_axes((0.74, 0.12, 0.2, 0.76))
        self.image_artist = show_image(self.ax_image, self.f, "image f", vmin=0, vmax=1)
        self.ax_image.set_xlabel("column j")
        self.ax_image.set_ylabel("row i", labelpad=1)
        self.field_artist = self.ax_image.imshow(np.zeros((*self.f.shape, 4)))
        self.footprint = Rectangle((0, 0), 1, 1, fill=False, edgecolor=FIELD_COLOUR, linewidth=2)
        self.ax_image.add_patch(self.footprint)
        self.row_artist = show_signed(self.ax_row, np.zeros_like(self.f), colorbar=False)
        row_bar_ax = figure.add_axes((0.445, 0.2, 0.01, 0.6))
        bar = figure.colorbar(self.row_artist, cax=row_bar_ax)
        bar.locator = MaxNLocator(4)  # few tick labels: text is the slow part of a redraw
        self.matrix_artist = self.ax_matrix.imshow(
            np.zeros((2, 2)), cmap="gray_r", vmin=0, vmax=1, aspect="auto", interpolation="nearest"
        )
        # above the frame (zorder 2.5), as when it is blitted over the background
        self.row_line = self.ax_matrix.axhline(0, color=FIELD_COLOUR, linewidth=1.5, zorder=3)
        self.ax_matrix.set_xticks([])
        self.ax_matrix.set_yticks([])
        self.ax_matrix.set_xlabel("input pixel (column of T)")
        self.ax_matrix.set_ylabel("output pixel (row of T)")
        self.output_artist = show_signed(
            self.ax_output, np.zeros((2, 2)), title="output", colorbar=False
        )
        output_bar = figure.colorbar(
            self.output_artist, cax=figure.add_axes((0.95, 0.2, 0.01, 0.6))
        )
        output_bar.locator = MaxNLocator(4)
        self.ax_output.set_xlabel("output column")
        self.ax_row.set_xlabel("column j")
        self.marker = Rectangle((0, 0), 1, 1, fill=False, edgecolor="black", linewidth=2)
        self.ax_output.add_patch(self.marker)
        # What a new output pixel changes; the rest (the image, T, the output) is a background
        # drawn once per kernel and mode (LiveFigure.freeze) and pasted back (LiveFigure.blit).
        self.moving = [self.row_artist, row_bar_ax, self.field_artist, self.footprint]
        self.moving += [self.ax_image.title, self.ax_row.title, self.row_line, self.marker]
        self.moving += [*self.ax_image.spines.values(), *self.ax_row.spines.values()]

    def _on_structure(self, change: dict) -> None:
        if self.kernel.value not in self.kernels or self.mode.value not in MODES:
            raise ValueError(f"no such kernel or mode: {change['new']!r}")
        self._rebuilding = True
        try:
            self._rebuild()
        finally:
            self._rebuilding = False
        self._update_pixel()

    def _on_pixel(self, change: dict) -> None:
        if self._rebuilding:
            return
        value = change["new"]
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"the output pixel's row and column are integers, got {value!r}")
        self._say("")
        self._update_pixel()

    def _rebuild(self) -> None:
        """New kernel or mode: new T, new output, new slider ranges (values are clamped)."""
        self.g = self.kernels[self.kernel.value]
        mode = self.mode.value
        self.T = toeplitz_matrix(self.g, self.f.shape, mode=mode)
        self.output = convolve(self.f, self.g, mode=mode)
        self.row.max, self.col.max = self.output.shape[0] - 1, self.output.shape[1] - 1
        self.matrix_artist.set_data(self.T != 0)
        self.matrix_artist.set_extent((-0.5, self.T.shape[1] - 0.5, self.T.shape[0] - 0.5, -0.5))
        self.ax_matrix.set_title(f"T {self.T.shape[0]}x{self.T.shape[1]}, black: nonzero")
        update_signed(self.output_artist, self.output)
        self.ax_output.set_title(f"f * g, {mode}: {self.output.shape[0]}x{self.output.shape[1]}")
        kh, kw = self.g.shape
        self.ax_image.set_xlim(-kw + 0.5, self.f.shape[1] + kw - 1.5)
        self.ax_image.set_ylim(self.f.shape[0] + kh - 1.5, -kh + 0.5)
        self._frozen = False  # T, the output and the limits changed: a new background

    def _update_pixel(self) -> None:
        """New output pixel: its row of T, receptive field, footprint, readout; then redraw."""
        r, c = self.row.value, self.col.value
        self.index = r * self.output.shape[1] + c
        self.t_row = self.T[self.index].reshape(self.f.shape)
        self.nonzeros = int(np.count_nonzero(self.t_row))
        self.value = float(self.T[self.index] @ self.f.ravel())
        self.direct = float(self.output[r, c])
        top, left = self._footprint_corner()
        kh, kw = self.g.shape
        self.receptive_field = np.zeros(self.f.shape, dtype=bool)
        self.receptive_field[max(top, 0) : top + kh, max(left, 0) : left + kw] = True
        inside = int(self.receptive_field.sum())
        update_signed(self.row_artist, self.t_row)
        self.ax_row.set_title(f"row {self.index} of T, reshaped")
        overlay = np.zeros((*self.f.shape, 4))
        overlay[self.receptive_field] = (*FIELD_COLOUR, 0.55)
        self.field_artist.set_data(overlay)
        self.footprint.set_bounds(left - 0.5, top - 0.5, kw, kh)
        self.ax_image.set_title(f"f, seen by output ({r}, {c})")
        self.row_line.set_ydata([self.index, self.index])
        self.marker.set_bounds(c - 0.5, r - 0.5, 1, 1)
        self.message = (
            f"Output pixel ({r}, {c}) of the {self.mode.value!r} output "
            f"{self.output.shape[0]}x{self.output.shape[1]} is row {self.index} of T "
            f"({self.T.shape[0]} x {self.T.shape[1]}): nonzero entries {self.nonzeros} of "
            f"{self.T.shape[1]}. Of the kernel's {self.g.size} taps "
            f"({np.count_nonzero(self.g)} nonzero), {inside} fall on the image and "
            f"{self.g.size - inside} on the zeros outside. "
            f"T[{self.index}] @ f = {self.value:.6f}; direct sum = {self.direct:.6f}."
        )
        self.readout.value = self.message
        self.live.describe(
            f"The Toeplitz explorer, kernel {self.kernel.value} ({kh}x{kw}), mode "
            f"{self.mode.value!r}, output pixel ({r}, {c}). Left: the {self.f.shape[0]}x"
            f"{self.f.shape[1]} image with the kernel's footprint outlined, {inside} of its "
            f"{kh * kw} cells on the image, those red, the rest on the zeros outside. Second: "
            f"row {self.index} of T reshaped to the image's shape, the flipped kernel at that "
            f"footprint, {self.nonzeros} nonzero entries. Third: the nonzeros of T, "
            f"{self.T.shape[0]}x{self.T.shape[1]}, with row {self.index} marked. Right: the "
            f"output f * g, {self.output.shape[0]}x{self.output.shape[1]}, pixel ({r}, {c}) "
            f"marked, value {self.direct:.4f}, equal to T[{self.index}] @ f."
        )
        if not self._frozen:
            self.live.freeze(self.moving)
            self._frozen = True
        self.live.blit()

    def _footprint_corner(self) -> tuple[int, int]:
        """Top-left input pixel under the kernel for the current output pixel (may be < 0).

        Output (r, c) is full-convolution pixel (r, c) + start, where the window of the mode
        starts at 0 ('full'), (k - 1) // 2 ('same') or k - 1 ('valid'); full pixel x sees
        inputs x - k + 1 .. x.
        """
        kh, kw = self.g.shape
        starts = {"full": (0, 0), "same": ((kh - 1) // 2, (kw - 1) // 2), "valid": (kh - 1, kw - 1)}
        start = starts[self.mode.value]
        return self.row.value + start[0] - (kh - 1), self.col.value + start[1] - (kw - 1)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

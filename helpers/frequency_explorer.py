"""A widget from one kernel to what it does: its entries, its frequency response, the photo.

The learner picks a kernel of the gallery or types its entries; the same kernel ``g`` then
drives everything shown: its frequency response ``H`` (the DFT of ``g`` zero-padded to the
photo's size), a cut through ``|H|``, and the photo filtered *through* ``H``: the photo's
spectrum times ``H``, transformed back (the convolution theorem, with the 'wrap' boundary).
``H(0, 0)``, read from the FFT, is the kernel's sum, and so the filtered photo's mean
brightness is the photo's times ``sum(g)``, exactly.

The photo is a 128 x 128 crop around the eyes (``default_photo``, mean brightness 0.556). The
filtered photo is drawn on the grey scale 0 to 1 when the kernel sums to one, so brightness
compares with the photo's; on a grey scale from 0 to a round number above its largest value
when the sum is positive but not one; and on the signed map, centred on zero, when the sum is
zero or negative.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from helpers import kernels
from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.fourier import is_low_pass, largest_side_lobe, magnitude_cut
from helpers.live import LiveFigure
from helpers.photo import grace_hopper
from helpers.plotting import SIGNED_CMAP, DescribedImage, show_signed, update_signed

NAME = "frequency-explorer"
SIZED = ("box", "gaussian")  # the presets whose size (and, for the Gaussian, sigma) can change
FIXED_SIZE = 3  # the other presets of the gallery are 3x3
SIZE_MAX = 7  # a grid of 7 x 7 entries still fits beside the picture
SIGMA_RANGE = (0.3, 3.0)
ENTRY_LIMIT = 1e6
ZERO_SUM = 1e-3  # |sum(g)| <= ZERO_SUM * sum(|g|): an edge kernel, its result shown signed
UNIT_SUM = 1e-9  # |sum(g) - 1| below this: the photo's own grey scale, 0 to 1
FLAT = 1e-9  # |H| within FLAT of one value at every frequency: a flat response, no lobes
PHOTO_WINDOW = (slice(180, 308), slice(190, 318))  # 128 x 128 pixels around the eyes


def round_up(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, ... (or 0.1, 0.2, 0.5, ...) at least ``value``: a
    colour scale that changes only when ``value`` crosses one of these round numbers."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    decade = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 5.0, 10.0):
        if value <= step * decade * (1 + 1e-12):
            return step * decade
    return 10.0 * decade


def default_photo() -> np.ndarray:
    """A 128 x 128 crop of the course photo at full resolution (the eyes and the glasses)."""
    return grace_hopper()[PHOTO_WINDOW]


def filter_through_spectrum(photo: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``photo`` filtered by ``g`` through the convolution theorem, and ``H``.

    ``H`` is the DFT of ``g`` zero-padded to the photo's shape (``H[0, 0] = sum(g)``); the
    result is ``ifft2(fft2(photo) * H)``, shifted back by ``(k - 1) // 2`` so that it lines up
    with the photo: ``convolve(photo, g, 'same', boundary='wrap')``.
    """
    response = kernels.frequency_response(g, photo.shape)
    circular = np.fft.ifft2(np.fft.fft2(photo) * response).real
    shift = tuple(-((k - 1) // 2) for k in g.shape)
    return np.roll(circular, shift, axis=(0, 1)), response


class FrequencyExplorer:
    """One kernel, typed or picked, and what it does to each frequency and to a photo.

    Controls (attributes), each with a ``description`` and the CSS class given:

    - ``preset`` (Dropdown, ``course-frequency-explorer-preset``): load a kernel of the
      gallery (replacing any typed entries).
    - ``size`` (IntSlider, odd 1..7, ``course-frequency-explorer-size``): side of the box or
      the Gaussian; the fixed 3x3 presets keep it at 3 (disabled). An even size is refused.
    - ``sigma`` (FloatSlider 0.3..3, ``course-frequency-explorer-sigma``): the Gaussian's
      standard deviation in pixels (enabled for the Gaussian only).
    - ``entries`` (rows of FloatText, each ``course-frequency-explorer-entry``, described
      ``g[a, b]``): the kernel itself; typing a number sets that tap. NaN, infinity and
      magnitudes above 1e6 are refused.

    Every refused value is put back and the message readout (``-message``) says why. The
    figure (``-figure``) shows the kernel (signed colours), ``|H(u, v)|`` with zero frequency
    in the centre, the cut ``|H(0, v)|`` along the horizontal frequency axis, and the photo
    filtered through ``H`` (grey, 0 to 1 for a kernel summing to one, else scaled to the result;
    on a signed map when the sum is zero or negative), with the kernel's values written on
    it. The readout (``-readout``) gives ``sum(g)``, ``H(0, 0)`` read from the FFT, the mean
    brightness before and after, and the largest side lobe of a low-pass kernel (none for a
    flat response, which passes every frequency alike).

    Output data (attributes, updated on every change): ``g``, ``response`` (complex ``H`` in
    numpy's FFT order), ``magnitude`` (``|H|``, centred), ``frequencies`` and ``cut`` (the
    horizontal cut through the centre), ``total`` (``g.sum()``), ``h00`` (``H(0, 0)``, complex),
    ``filtered`` (the photo through ``H``), ``mean_in``, ``mean_out``, ``side_lobe`` (float, or
    None when the kernel is not low-pass or its response is flat), ``photo_scale`` (the map
    and the limits of the filtered photo), ``message`` (the readout), ``note`` (the message).
    """

    def __init__(
        self,
        preset: str = "box",
        size: int = 5,
        sigma: float = 1.0,
        image: np.ndarray | None = None,
    ):
        names = list(kernels.gallery())
        if preset not in names:
            raise ValueError(f"preset must be one of {names}, got {preset!r}")
        photo = default_photo() if image is None else np.asarray(image, dtype=float)
        if photo.ndim != 2 or min(photo.shape) < 32 or not np.isfinite(photo).all():
            raise ValueError(
                f"image must be 2-D, finite, at least 32 x 32, got shape {photo.shape}"
            )
        self.photo = photo
        self.mean_in = float(photo.mean())
        self._check_size(size)
        self._check_sigma(sigma)
        start = size if preset in SIZED else FIXED_SIZE
        self.preset = widgets.Dropdown(options=names, value=preset, description="kernel")
        self.size = widgets.IntSlider(
            value=start, min=1, max=SIZE_MAX, step=2, description="size", continuous_update=False
        )
        self.sigma = widgets.FloatSlider(
            value=sigma,
            min=SIGMA_RANGE[0],
            max=SIGMA_RANGE[1],
            step=0.1,
            description="sigma",
            readout_format=".1f",
            continuous_update=False,
        )
        self.readout = widgets.HTML()
        self.note_readout = widgets.HTML()
        self.access = Access()
        self.access.name(self.preset, "kernel: a gallery kernel")
        self.access.name(self.size, "size: rows and columns of the kernel")
        self.access.name(self.sigma, "sigma of the Gaussian")
        self.access.announce(self.readout)
        self.access.announce(self.note_readout)
        self.entry_grid = widgets.VBox()
        self.entries: list[list[widgets.FloatText]] = []
        self.note = ""
        self._loading = False
        self.edited = False
        self.live = LiveFigure(
            figsize=(11.0, 3.4),
            alt="the frequency explorer: a kernel, the magnitude of its frequency response, a "
            "cut through it, and the photo filtered through it",
        )
        self.live.figure.set_layout_engine("none")  # fixed axes: a second draw costs time
        self.frequencies = np.fft.fftshift(np.fft.fftfreq(photo.shape[1]))
        self._build_figure()
        self.g = self._preset_kernel()
        self._build_entries()
        observe_guarded(self.preset, self._on_preset, self._say)
        observe_guarded(self.size, self._on_size, self._say)
        observe_guarded(self.sigma, self._on_sigma, self._say)
        self.update()
        self.ui = widgets.VBox(
            [
                widgets.HBox([self.preset, self.size, self.sigma]),
                self.entry_grid,
                self.live.image,
                self.readout,
                self.note_readout,
                self.access,
            ]
        )
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{NAME}")
        for control in ("preset", "size", "sigma"):
            getattr(self, control).add_class(f"course-{NAME}-{control}")
        self.live.image.add_class(f"course-{NAME}-figure")
        self.readout.add_class(f"course-{NAME}-readout")
        self.note_readout.add_class(f"course-{NAME}-message")

    # ------------------------------------------------------------------ the figure

    def _build_figure(self) -> None:
        figure = self.live.figure  # fixed axes positions: [left, bottom, width, height]
        rows, cols = self.photo.shape
        ax_kernel = figure.add_axes((0.015, 0.13, 0.15, 0.68))
        ax_response = figure.add_axes((0.32, 0.13, 0.15, 0.68))
        ax_cut = figure.add_axes((0.585, 0.13, 0.15, 0.68))
        ax_photo = figure.add_axes((0.77, 0.13, 0.15, 0.68))
        self.ax_kernel, self.ax_response, self.ax_cut, self.ax_photo = (
            ax_kernel,
            ax_response,
            ax_cut,
            ax_photo,
        )
        self.kernel_artist = show_signed(ax_kernel, np.zeros((3, 3)), title="", colorbar=False)
        self.kernel_bar = figure.colorbar(
            self.kernel_artist, cax=figure.add_axes((0.17, 0.19, 0.009, 0.56))
        )
        # One text per tap of the largest kernel, for the static picture only (see static):
        # live, the grid of entries above the picture shows the values, and drawing 49 texts
        # would double the time of an update.
        self.kernel_texts = [
            ax_kernel.text(0, 0, "", ha="center", va="center", fontsize=7, visible=False)
            for _ in range(SIZE_MAX * SIZE_MAX)
        ]
        half_v, half_u = 0.5, 0.5
        self.response_artist = ax_response.imshow(
            np.zeros(self.photo.shape),
            cmap="magma",
            extent=(
                -half_v - 0.5 / cols,
                half_v - 0.5 / cols,
                half_u - 0.5 / rows,
                -half_u - 0.5 / rows,
            ),
            vmin=0,
            vmax=1,
        )
        self.response_bar = figure.colorbar(
            self.response_artist, cax=figure.add_axes((0.475, 0.19, 0.009, 0.56))
        )
        ax_response.set_xticks([-0.5, 0, 0.5])
        ax_response.set_yticks([-0.5, 0, 0.5])
        ax_response.set_xlabel("v (cycles/pixel)")
        ax_response.set_ylabel("u (cycles/pixel)", labelpad=0)
        (self.cut_line,) = ax_cut.plot(self.frequencies, np.zeros(cols), lw=1.5)
        self.dc_marker = ax_cut.axhline(0, color="0.5", lw=1, ls="--")  # at |H(0, 0)| = |sum(g)|
        ax_cut.set_xlim(-0.5, 0.5)
        ax_cut.set_xticks([-0.5, 0, 0.5])
        ax_cut.yaxis.set_major_locator(MaxNLocator(4))
        ax_cut.set_xlabel("v (cycles/pixel)")
        ax_cut.set_ylabel("|H(0, v)|; dashed: |sum(g)|")
        ax_response.set_title("|H(u, v)|, zero frequency\nin the centre", fontsize=9)
        ax_cut.set_title("cut through |H| at u = 0", fontsize=9)
        self.photo_artist = ax_photo.imshow(np.zeros(self.photo.shape), cmap="gray", vmin=0, vmax=1)
        ax_photo.set_xticks([])
        ax_photo.set_yticks([])
        self.photo_bar = figure.colorbar(
            self.photo_artist, cax=figure.add_axes((0.925, 0.19, 0.009, 0.56))
        )
        for bar in (self.kernel_bar, self.response_bar, self.photo_bar):
            bar.locator = MaxNLocator(4)  # few tick labels: text is the slow part of a redraw
        # What an update changes; the rest is a background (LiveFigure.freeze) pasted back
        # before these are drawn (LiveFigure.blit). The scale of |H| (its colorbar, the cut's
        # y axis) and the photo's colour map and limits are in the background too: one
        # background per scale (a round number above max |H|) and photo scale, kept once drawn.
        self.moving = [self.kernel_artist, self.kernel_bar.ax, self.response_artist]
        self.moving += [self.cut_line, self.dc_marker, self.photo_artist]
        self.moving += [ax_kernel.title, ax_photo.title]
        for ax in (ax_kernel, ax_response, ax_cut, ax_photo):
            self.moving += ax.spines.values()
        self._frozen: tuple | None = None

    # ------------------------------------------------------------------ the entries

    def _build_entries(self) -> None:
        """A grid of one text box per tap, as large as the kernel, holding its values."""
        for row in self.entries:
            for entry in row:
                entry.close()
        self.entries = []
        k = self.g.shape[0]
        for a in range(k):
            row = []
            for b in range(self.g.shape[1]):
                entry = widgets.FloatText(
                    value=float(self.g[a, b]),
                    description=f"g[{a},{b}]",
                    style={"description_width": "3.4em"},
                    layout=widgets.Layout(width="8.4em"),
                )
                entry.add_class(f"course-{NAME}-entry")
                observe_guarded(entry, self._entry_handler(a, b), self._say)
                row.append(entry)
            self.entries.append(row)
        self.entry_grid.children = [widgets.HBox(row) for row in self.entries]

    def _show_entries(self) -> None:
        """Write the kernel's values into the existing boxes (same size)."""
        self._loading = True
        try:
            for (a, b), value in np.ndenumerate(self.g):
                self.entries[a][b].value = float(value)
        finally:
            self._loading = False

    def _entry_handler(self, a: int, b: int):
        def on_entry(change: dict) -> None:
            if self._loading:
                return
            value = change["new"]
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"g[{a}, {b}] must be a finite number")
            if abs(value) > ENTRY_LIMIT:
                raise ValueError(f"g[{a}, {b}] must lie within +-{ENTRY_LIMIT:g}")
            self.g = self.g.copy()
            self.g[a, b] = float(value)
            self.edited = True
            self._say("")
            self.update()

        return on_entry

    # ------------------------------------------------------------------ the controls

    @staticmethod
    def _check_size(size) -> None:
        if isinstance(size, bool) or not isinstance(size, int | np.integer):
            raise TypeError(f"size must be an odd integer from 1 to {SIZE_MAX}, got {size!r}")
        if not 1 <= size <= SIZE_MAX or size % 2 == 0:
            raise ValueError(f"size must be an odd integer from 1 to {SIZE_MAX}, got {size}")

    @staticmethod
    def _check_sigma(sigma) -> None:
        if isinstance(sigma, bool) or not isinstance(sigma, int | float | np.number):
            raise TypeError(f"sigma must be a number, got {sigma!r}")
        low, high = SIGMA_RANGE
        if not (math.isfinite(sigma) and low <= sigma <= high):
            raise ValueError(f"sigma must be a number from {low} to {high}, got {sigma}")

    def _say(self, text: str) -> None:
        self.note = text
        self.note_readout.value = text

    def _preset_kernel(self) -> np.ndarray:
        name = self.preset.value
        if name == "box":
            return kernels.box(self.size.value)
        if name == "gaussian":
            return kernels.gaussian(self.size.value, self.sigma.value)
        return kernels.gallery()[name]

    def _load_preset(self) -> None:
        """The preset's kernel at the current size, in new entry boxes if the size changed."""
        old_shape = self.g.shape
        self.g = self._preset_kernel()
        self.edited = False
        if self.g.shape != old_shape:
            self._build_entries()
        else:
            self._show_entries()
        self._say("")
        self.update()

    def _on_preset(self, change: dict) -> None:
        if change["new"] not in SIZED and self.size.value != FIXED_SIZE:
            self._loading = True
            try:
                self.size.value = FIXED_SIZE  # the fixed presets are 3x3
            finally:
                self._loading = False
        self._load_preset()

    def _on_size(self, change: dict) -> None:
        if self._loading:
            return
        self._check_size(change["new"])
        if self.preset.value not in SIZED and change["new"] != FIXED_SIZE:
            raise ValueError(f"the {self.preset.value} kernel is {FIXED_SIZE}x{FIXED_SIZE}")
        self._load_preset()

    def _on_sigma(self, change: dict) -> None:
        self._check_sigma(change["new"])
        if self.preset.value == "gaussian":
            self._load_preset()

    # ------------------------------------------------------------------ the update

    def update(self) -> None:
        """Recompute everything from the kernel ``g`` and redraw."""
        self.size.disabled = self.preset.value not in SIZED
        self.sigma.disabled = self.preset.value != "gaussian"
        g = self.g
        self.filtered, self.response = filter_through_spectrum(self.photo, g)
        self.magnitude = np.abs(np.fft.fftshift(self.response))
        self.cut = self.magnitude[self.photo.shape[0] // 2]
        self.total = float(g.sum())
        self.h00 = complex(self.response[0, 0])
        self.mean_out = float(self.filtered.mean())
        half_cut = magnitude_cut(g, self.photo.shape[1])
        self.flat = bool(np.ptp(self.magnitude) <= FLAT * max(self.magnitude.max(), 1.0))
        low_pass = is_low_pass(half_cut) and not self.flat
        self.side_lobe = largest_side_lobe(half_cut) if low_pass else None
        name = "edited" if self.edited else self.preset.value
        update_signed(self.kernel_artist, g)
        self.ax_kernel.set_title(f"g: {name} {g.shape[0]}x{g.shape[1]}\nsum {self.total:.3g}")
        top = float(self.magnitude.max())
        self.response_artist.set_data(self.magnitude)
        self.cut_line.set_ydata(self.cut)
        self.dc_marker.set_ydata([abs(self.total)] * 2)
        self._draw_photo()
        self.message = (
            f"sum(g) = {self.total:.6f}; H(0, 0) = {self.h00.real:.6f} {self.h00.imag:+.1e}i "
            f"(from the FFT); mean brightness: photo {self.mean_in:.4f}, filtered "
            f"{self.mean_out:.4f} = sum(g) x {self.mean_in:.4f}; largest side lobe / main lobe: "
            + self._side_lobe_words()
        )
        self.readout.value = self.message
        cmap, low, high = self.photo_scale
        scale = f"{'grey' if cmap == 'gray' else 'a signed map'} from {low:g} to {high:g}"
        self.live.describe(
            f"The frequency explorer, four panels. Left: the kernel {name}, {g.shape[0]}x"
            f"{g.shape[1]}, on a signed colour map, summing to {self.total:.3g} (its values "
            f"are written on it in the static picture, and in the live notebook they sit in a "
            f"grid of boxes above the picture, where they can be typed). Second: |H(u, v)| "
            f"over -1/2 to 1/2 cycle per pixel, zero frequency in "
            f"the centre, peaking at {top:.3g}, with H(0, 0) = {self.h00.real:.3g}. Third: the "
            f"cut |H(0, v)| along the horizontal frequencies, the dashed line at |sum(g)|; "
            f"largest side lobe: {self._side_lobe_words()} Right: the 128x128 crop of the "
            f"photo around the eyes filtered through H, on {scale}, mean brightness "
            f"{self.mean_out:.3g} = sum(g) times "
            f"{self.mean_in:.3g}."
        )
        background = (round_up(top), self.photo_scale)
        if background != self._frozen:  # another scale for |H| or map for the photo
            self.response_artist.set_clim(0, background[0])
            self.ax_cut.set_ylim(0, 1.08 * background[0])
            self.live.freeze(self.moving, key=background)
            self._frozen = background
        self.live.blit()

    def _side_lobe_words(self) -> str:
        if self.flat:
            return "none (a flat response: every frequency passes alike)."
        if self.side_lobe is None:
            return "none (not low-pass)."
        return f"{self.side_lobe:.3f}."

    def static(self) -> DescribedImage:
        """The static twin: the picture as it is now, with the kernel's values written on it
        (live, they are in the grid of entries above the picture)."""
        self._write_kernel(self.g)
        for text in self.kernel_texts:
            text.set_visible(True)
        try:
            return self.live.static()
        finally:
            for text in self.kernel_texts:
                text.set_visible(False)

    def _write_kernel(self, g: np.ndarray) -> None:
        """Write each tap on its cell (two significant digits), light on dark cells."""
        limit = float(np.abs(g).max()) or 1.0
        size = 9 if g.shape[0] <= 3 else 7 if g.shape[0] <= 5 else 6
        for text, index in zip(self.kernel_texts, np.ndindex(SIZE_MAX, SIZE_MAX), strict=True):
            a, b = index
            if a < g.shape[0] and b < g.shape[1]:
                value = g[a, b]
                text.set_position((b, a))
                text.set_text(f"{value:.2g}")
                text.set_color("white" if abs(value) > 0.6 * limit else "black")
                text.set_fontsize(size)
            else:
                text.set_text("")

    def _draw_photo(self) -> None:
        """Grey from 0 to 1 for a kernel summing to one (brightness compares with the photo's);
        grey from 0 to a round number above the largest value for another positive sum; signed,
        centred on zero, for a zero or negative sum (an edge kernel's result has mean zero)."""
        self.photo_artist.set_data(self.filtered)
        if self.total < 0 or abs(self.total) <= ZERO_SUM * np.abs(self.g).sum():
            limit = round_up(float(np.abs(self.filtered).max()))
            self.photo_scale = (SIGNED_CMAP, -limit, limit)
        elif abs(self.total - 1) <= UNIT_SUM:
            self.photo_scale = ("gray", 0.0, 1.0)
        else:
            self.photo_scale = ("gray", 0.0, round_up(float(self.filtered.max())))
        cmap, low, high = self.photo_scale
        self.photo_artist.set_cmap(cmap)
        self.photo_artist.set_clim(low, high)
        self.ax_photo.set_title(
            f"photo (eyes, 128x128) through H\nmean {self.mean_out:.3f}, scale {low:g} to {high:g}",
            fontsize=9,
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

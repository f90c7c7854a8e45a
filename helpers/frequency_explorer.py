"""A widget from a kernel to its frequency response: what it does to each frequency.

The DFT of the zero-padded kernel, ``H``, is what convolution with the kernel multiplies each
frequency of the image by. Its value at zero frequency is the kernel's sum (the DC gain),
which is why a kernel that sums to one keeps the mean and an edge kernel removes it.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from helpers import kernels
from helpers.access import Access
from helpers.fourier import largest_side_lobe, magnitude_cut
from helpers.live import LiveFigure
from helpers.plotting import show_signed, update_signed

NAME = "frequency-explorer"
SIZED = ("box", "gaussian")  # the presets whose size (and, for the Gaussian, sigma) can change


class FrequencyExplorer:
    """Choose a kernel; see ``|H|`` over all frequencies, a cut through it, and ``H(0, 0)``.

    Controls (attributes), with their CSS classes:

    - ``preset`` (Dropdown, ``course-frequency-explorer-preset``): a kernel of the gallery.
    - ``size`` (IntSlider, odd 1..31, ``course-frequency-explorer-size``): side of the box or
      Gaussian (disabled for the fixed 3x3 kernels).
    - ``sigma`` (FloatSlider 0.3..8, ``course-frequency-explorer-sigma``): the Gaussian's
      standard deviation in pixels (disabled for other presets).

    The figure (``course-frequency-explorer-figure``) shows the kernel (signed colours), the
    magnitude ``|H|`` on a ``grid`` x ``grid`` DFT with zero frequency in the centre, and the
    cut ``|H(0, v)|`` along the horizontal frequency axis. The readout
    (``course-frequency-explorer-readout``) gives ``sum(g)``, ``H(0, 0)`` and, for a low-pass
    kernel, its largest side lobe relative to the main lobe.

    Output data (attributes, updated on every change): ``g``, ``response`` (complex ``H`` in
    numpy's FFT order), ``magnitude`` (``|H|``, centred), ``frequencies`` and ``cut`` (the
    horizontal cut through the centre), ``total`` (``g.sum()``), ``h00`` (``H(0, 0)``, complex),
    ``side_lobe`` (float, or None when the kernel is not low-pass), ``message``.
    """

    def __init__(self, preset: str = "box", size: int = 5, sigma: float = 1.0, grid: int = 128):
        names = list(kernels.gallery())
        if preset not in names:
            raise ValueError(f"preset must be one of {names}, got {preset!r}")
        if int(grid) != grid or grid < 32:
            raise ValueError(f"grid must be an integer of at least 32, got {grid!r}")
        self.grid = int(grid)
        self.preset = widgets.Dropdown(options=names, value=preset, description="kernel")
        self.size = widgets.IntSlider(value=size, min=1, max=31, step=2, description="size")
        self.sigma = widgets.FloatSlider(
            value=sigma, min=0.3, max=8.0, step=0.1, description="sigma", readout_format=".1f"
        )
        self.readout = widgets.HTML()
        self.access = Access()
        self.access.name(self.preset, "kernel: a gallery kernel")
        self.access.name(self.size, "size: rows and columns of the box or Gaussian")
        self.access.name(self.sigma, "sigma of the Gaussian")
        self.access.announce(self.readout)
        # A fixed layout: constrained layout would cost a second draw on every update.
        self.live = LiveFigure(
            figsize=(10.0, 3.4),
            alt=(
                "the frequency explorer: a kernel, the magnitude of its frequency response, and "
                "the photo it filtered"
            ),
        )
        self.live.figure.set_layout_engine("none")  # the course style turns constrained on
        self.frequencies = np.fft.fftshift(np.fft.fftfreq(self.grid))
        self._build_figure()
        for control in (self.preset, self.size, self.sigma):
            control.observe(self._on_change, names="value")
        self.update()
        self.ui = widgets.VBox(
            [
                widgets.HBox([self.preset, self.size, self.sigma]),
                self.live.image,
                self.readout,
                self.access,
            ]
        )
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{NAME}")
        for control in ("preset", "size", "sigma"):
            getattr(self, control).add_class(f"course-{NAME}-{control}")
        self.live.image.add_class(f"course-{NAME}-figure")
        self.readout.add_class(f"course-{NAME}-readout")

    def _build_figure(self) -> None:
        figure = self.live.figure  # fixed axes positions: [left, bottom, width, height]
        ax_kernel = figure.add_axes((0.02, 0.14, 0.2, 0.72))
        ax_image = figure.add_axes((0.345, 0.14, 0.2, 0.72))
        ax_cut = figure.add_axes((0.67, 0.14, 0.31, 0.72))
        self.ax_kernel, self.ax_image, self.ax_cut = ax_kernel, ax_image, ax_cut
        self.kernel_artist = show_signed(ax_kernel, np.zeros((3, 3)), colorbar=False)
        self.kernel_bar = figure.colorbar(
            self.kernel_artist, cax=figure.add_axes((0.23, 0.18, 0.01, 0.64))
        )
        half = 0.5
        self.image_artist = ax_image.imshow(
            np.zeros((self.grid, self.grid)),
            cmap="magma",
            extent=(-half, half, half, -half),
            vmin=0,
            vmax=1,
        )
        self.image_bar = figure.colorbar(
            self.image_artist, cax=figure.add_axes((0.555, 0.18, 0.01, 0.64))
        )
        for bar in (self.kernel_bar, self.image_bar):  # few tick labels: text is the slow part
            bar.locator = MaxNLocator(4)
        ax_image.set_xticks([-0.5, 0, 0.5])
        ax_image.set_yticks([-0.5, 0, 0.5])
        ax_image.set_xlabel("v (cycles/pixel); u vertical")
        (self.cut_line,) = ax_cut.plot(self.frequencies, np.zeros(self.grid), lw=1.5)
        self.dc_marker = ax_cut.axhline(0, color="0.5", lw=1, ls="--")  # at |H(0, 0)| = |sum(g)|
        ax_cut.set_xlim(-half, half)
        ax_cut.set_xticks([-0.5, 0, 0.5])
        ax_cut.yaxis.set_major_locator(MaxNLocator(4))
        ax_cut.set_xlabel("horizontal frequency v (cycles/pixel)")
        ax_cut.set_ylabel("|H(0, v)|; dashed: |sum(g)|")
        # What an update changes; the rest is a background (LiveFigure.freeze) pasted back
        # before these are drawn (LiveFigure.blit). The scale of |H| (colorbar, y axis of the
        # cut) is in the background too: it is frozen again only when max |H| changes.
        self.moving = [self.kernel_artist, self.kernel_bar.ax, self.image_artist]
        self.moving += [self.cut_line, self.dc_marker, ax_kernel.title, ax_image.title]
        self.moving += [ax_cut.title]
        for ax in (ax_kernel, ax_image, ax_cut):
            self.moving += ax.spines.values()
        self._frozen_top: float | None = None

    def _on_change(self, change: dict) -> None:
        self.update()

    def kernel(self) -> np.ndarray:
        """The kernel the controls describe."""
        name = self.preset.value
        if name == "box":
            return kernels.box(self.size.value)
        if name == "gaussian":
            return kernels.gaussian(self.size.value, self.sigma.value)
        return kernels.gallery()[name]

    def update(self) -> None:
        """Recompute the response for the current controls and redraw."""
        self.size.disabled = self.preset.value not in SIZED
        self.sigma.disabled = self.preset.value != "gaussian"
        self.g = self.kernel()
        self.response = kernels.frequency_response(self.g, (self.grid, self.grid))
        self.magnitude = np.abs(np.fft.fftshift(self.response))
        self.cut = self.magnitude[self.grid // 2]
        self.total = float(self.g.sum())
        self.h00 = complex(self.response[0, 0])
        half_cut = magnitude_cut(self.g, self.grid)
        self.side_lobe = largest_side_lobe(half_cut) if half_cut.argmax() == 0 else None
        update_signed(self.kernel_artist, self.g)
        self.ax_kernel.set_title(f"g: {self.preset.value} {self.g.shape[0]}x{self.g.shape[1]}")
        top = max(float(self.magnitude.max()), 1e-12)
        self.image_artist.set_data(self.magnitude)
        self.ax_image.set_title(f"|H(u, v)|, max {top:.3g}")
        self.cut_line.set_ydata(self.cut)
        self.dc_marker.set_ydata([abs(self.total)] * 2)
        lobe = "none (not low-pass)" if self.side_lobe is None else f"{self.side_lobe:.3f}"
        short = "n/a" if self.side_lobe is None else lobe
        self.ax_cut.set_title(f"cut at u = 0; largest side lobe {short}")
        self.message = (
            f"sum(g) = {self.total:.6f}; H(0, 0) = {self.h00.real:.6f} "
            f"{self.h00.imag:+.1e}i; largest side lobe / main lobe: {lobe}."
        )
        self.readout.value = self.message
        if top != self._frozen_top:  # a new scale for |H|: a new background
            self.image_artist.set_clim(0, top)
            self.ax_cut.set_ylim(0, 1.08 * top)
            self.live.freeze(self.moving)
            self._frozen_top = top
        self.live.blit()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

"""A matplotlib figure that a widget redraws in place, shown as one PNG image widget.

Widgets in this course keep one figure and update its artists (``set_data``), then show it
again. That needs no JupyterLab extension, does not flicker, and the same figure is the
static picture shown before the widget (:meth:`LiveFigure.static`), so the notebook still
teaches where no kernel runs.

Two ways to show an update:

- :meth:`LiveFigure.refresh` draws the whole figure: simple, and fast enough for a figure
  with few texts.
- :meth:`LiveFigure.freeze` once, then :meth:`LiveFigure.blit` on each update: the layout is
  fixed, everything except the moving artists is kept as a background, and an update only
  pastes the background and draws the moving artists over it (blitting). This keeps a
  widget's update within tens of milliseconds.

Both encode the PNG with light compression, which is several times faster than the default
and costs a few kilobytes.

The picture is shown by :class:`LiveImage`, an ``<img>`` whose ``alt`` is the figure's
description (:meth:`LiveFigure.describe`), so a screen reader reads what the picture shows
now. (``ipywidgets.Image`` has no ``alt``, and setting its ``tooltip`` makes JupyterLab fail
to create its view: ipywidgets 8.1 reads a ``description`` the Image model does not have.)
"""

from __future__ import annotations

import io
from collections.abc import Hashable, Sequence

import anywidget
import numpy as np
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text
from traitlets import Bytes, Unicode

from helpers.plotting import DPI, DescribedImage

# The browser side of LiveImage: one <img> kept for the widget's life (no flicker), its picture
# from the PNG bytes (a blob URL, as ipywidgets.Image does), its alt from the description.
_IMAGE_ESM = r"""
export default {
  render({ model, el }) {
    const img = document.createElement("img");
    img.style.maxWidth = "100%";
    img.style.height = "auto";
    img.style.display = "block";
    el.appendChild(img);
    const show = () => {
      const png = model.get("value");
      const old = img.src;
      if (png && png.byteLength) {
        img.src = URL.createObjectURL(new Blob([png], { type: "image/png" }));
      } else {
        img.removeAttribute("src");
      }
      if (old && old.startsWith("blob:")) URL.revokeObjectURL(old);
    };
    const describe = () => { img.alt = model.get("alt"); };
    describe();
    show();
    model.on("change:alt", describe);
    model.on("change:value", show);
    return () => { if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src); };
  },
};
"""


class LiveImage(anywidget.AnyWidget):
    """A PNG picture with its text alternative, shown as ``<img src=... alt=...>``.

    Attributes
    ----------
    value : bytes
        The PNG.
    alt : str
        What the picture shows and the number that matters; a screen reader reads it.
    """

    _esm = _IMAGE_ESM
    value = Bytes(b"").tag(sync=True)
    alt = Unicode("").tag(sync=True)


class LiveFigure:
    """A figure outside pyplot's state machine, rendered to PNG on demand.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.
    alt : str
        The picture's text alternative: what it shows and the number that matters. A widget
        updates it with :meth:`describe` whenever the picture changes.
    dpi : int
        Pixels per inch of the PNG.
    layout : str
        Matplotlib layout engine; "constrained" keeps colorbars and titles tidy.

    Attributes
    ----------
    figure : Figure
        Draw into it as usual (``figure.add_subplot``), keep the artists, update them.
    image : LiveImage
        The widget that shows the last rendered PNG, with the description as its ``alt``.
    """

    def __init__(
        self,
        figsize: tuple[float, float],
        alt: str,
        dpi: int = DPI,
        layout: str = "constrained",
    ):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout)
        self.canvas = FigureCanvasAgg(self.figure)
        self.image = LiveImage()
        self.alt = ""
        self.describe(alt)
        self.image.layout.max_width = "100%"
        self.image.layout.align_self = "flex-start"  # its own size, not stretched by a box
        self._background = None
        self._backgrounds: dict[Hashable, object] = {}
        self._moving: list[Artist] = []

    def _encode(self) -> bytes:
        """The canvas as it was last drawn, as PNG bytes (light compression: fast)."""
        buffer = io.BytesIO()
        pixels = np.asarray(self.canvas.buffer_rgba())
        PIL.Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def png(self) -> bytes:
        """Draw the whole figure as it is now and return it as PNG bytes."""
        self.canvas.draw()
        return self._encode()

    def refresh(self) -> None:
        """Draw the whole figure and show it in :attr:`image`."""
        self.image.value = self.png()

    def describe(self, alt: str) -> None:
        """Say what the picture now shows: the live image's ``alt`` and its static twin's."""
        alt = " ".join(str(alt).split())
        if not alt:
            raise ValueError(
                "alt must describe the picture: what it shows and the number that matters"
            )
        self.alt = alt
        self.image.alt = alt

    def static(self) -> DescribedImage:
        """The figure as an image with its description, for the static twin before a widget."""
        return DescribedImage(self.png(), self.alt)

    def freeze(self, moving: Sequence[Artist], key: Hashable | None = None) -> None:
        """Fix the layout and keep everything except ``moving`` as the background of :meth:`blit`.

        The first call lays the figure out with every artist in place, then switches the
        layout engine off so later updates cannot move anything. Call it again whenever
        something outside ``moving`` changes (axis limits, labels, legend texts).

        With a ``key``, the background is remembered under it, and a later call with the same
        key reuses it without drawing: the caller promises that everything outside ``moving``
        looks as it did then (e.g. one key per dataset a menu switches between).
        """
        engine = self.figure.get_layout_engine()
        if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
            self.canvas.draw()  # "none" leaves a placeholder engine: this runs only once
            self.figure.set_layout_engine("none")
        self._moving = sorted(moving, key=lambda artist: artist.get_zorder())
        if key is not None and key in self._backgrounds:
            self._background = self._backgrounds[key]
            return
        # A hidden title has an empty extent, and the axes' automatic title placement then
        # pushes it off the figure: texts keep the place they had.
        places = [(text, text.get_position()) for text in self._moving if isinstance(text, Text)]
        for artist in self._moving:
            artist.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in self._moving:
            artist.set_visible(True)
        for text, place in places:
            text.set_position(place)
        if key is not None:
            self._backgrounds[key] = self._background

    def blit(self) -> None:
        """Paste the background, draw the moving artists over it, and show the result."""
        if self._background is None:
            raise RuntimeError("call freeze(moving) once before blit()")
        self.canvas.restore_region(self._background)
        for artist in self._moving:
            self.figure.draw_artist(artist)
        self.image.value = self._encode()

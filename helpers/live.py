"""A matplotlib figure that a widget redraws in place, shown as one PNG image widget.

Widgets in this course keep one figure and update its artists (``set_data``), then call
:meth:`LiveFigure.refresh`, which renders the figure with Agg into a ``widgets.Image``.
That needs no JupyterLab extension, does not flicker, and the same figure is the static
picture shown before the widget (:meth:`LiveFigure.static`), so the notebook still teaches
where no kernel runs.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from IPython.display import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class LiveFigure:
    """A figure outside pyplot's state machine, rendered to PNG on demand.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.
    dpi : int
        Pixels per inch of the PNG.
    layout : str
        Matplotlib layout engine; "constrained" keeps colorbars and titles tidy.

    Attributes
    ----------
    figure : Figure
        Draw into it as usual (``figure.add_subplot``), keep the artists, update them.
    image : ipywidgets.Image
        The widget that shows the last rendered PNG.
    """

    def __init__(self, figsize: tuple[float, float], dpi: int = 72, layout: str = "constrained"):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout)
        FigureCanvasAgg(self.figure)
        self.image = widgets.Image(format="png")
        self.image.layout.max_width = "100%"

    def png(self) -> bytes:
        """Render the figure as it is now to PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def refresh(self) -> None:
        """Render the figure and show it in :attr:`image`."""
        self.image.value = self.png()

    def static(self) -> Image:
        """The figure as a plain image, for the static twin shown before a widget."""
        return Image(data=self.png(), format="png")

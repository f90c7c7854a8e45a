"""The widget check of notebook 00: a slider that blurs the photo, so a learner sees widgets work.

Dragging the slider changes the size k of a k x k box blur applied to a window of the photo.
The blurred window is drawn next to the original, both at full resolution, with their mean
brightness: the box sums to one and the boundary wraps around, so the mean stays exactly the
same while the picture softens. It is the course's thread, seen before it is explained.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.convolution import convolve
from helpers.kernels import box
from helpers.live import LiveFigure
from helpers.photo import grace_hopper
from helpers.plotting import DPI

WINDOW = (slice(150, 342), slice(160, 352))  # 192 x 192 pixels of the photo: the face
SIZES = (1, 15)


class BlurCheck:
    """A box blur of adjustable size on the photo's face, with the mean brightness shown.

    Controls: :attr:`size` (IntSlider of odd sizes 1 to 15, description "box size", CSS class
    ``course-blur-check-size``). Outputs: the figure (``course-blur-check-figure``), the
    original window and the blurred one drawn one image pixel per screen pixel;
    :attr:`readout` (``course-blur-check-readout``). Data: :attr:`image`, :attr:`blurred`.
    """

    name = "blur-check"

    def __init__(self, size: int = 1):
        self.image = grace_hopper()[WINDOW]
        self.size = widgets.IntSlider(
            value=size, min=SIZES[0], max=SIZES[1], step=2, description="box size"
        )
        self.size.add_class(f"course-{self.name}-size")
        self.readout = widgets.HTML()
        self.readout.add_class(f"course-{self.name}-readout")
        self.access = Access()
        self.access.name(self.size, "box size: rows and columns of the blur")
        self.access.announce(self.readout)
        self.message = ""
        self._build_figure()
        self._update(size)
        observe_guarded(self.size, lambda change: self._update(change["new"]), self._say)
        self.ui = widgets.VBox([self.size, self.live.image, self.readout, self.access])
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{self.name}")

    def _build_figure(self) -> None:
        side, gap, top, bottom = self.image.shape[0], 34, 30, 30
        width, height = 2 * side + 3 * gap, side + top + bottom
        self.live = LiveFigure((width / DPI, height / DPI), alt="the blur check", layout="none")
        self.live.image.add_class(f"course-{self.name}-figure")
        axes = []
        for k in range(2):
            rect = ((gap + k * (side + gap)) / width, bottom / height, side / width, side / height)
            ax = self.live.figure.add_axes(rect)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("column j")
            ax.set_ylabel("row i")
            axes.append(ax)
        gray = {"cmap": "gray", "vmin": 0.0, "vmax": 1.0, "interpolation": "nearest"}
        axes[0].imshow(self.image, **gray)
        axes[0].set_title(f"photo, mean {self.image.mean():.4f}")
        self._blurred_im = axes[1].imshow(self.image, **gray)
        self._axes = axes

    def _update(self, size: int) -> None:
        if not (isinstance(size, int) and SIZES[0] <= size <= SIZES[1] and size % 2 == 1):
            raise ValueError(f"the box size must be odd, from {SIZES[0]} to {SIZES[1]}")
        self.blurred = convolve(self.image, box(size), mode="same", boundary="wrap")
        self._blurred_im.set_data(self.blurred)
        self._axes[1].set_title(f"{size}x{size} box blur, mean {self.blurred.mean():.4f}")
        self.live.refresh()
        change = self.blurred.mean() - self.image.mean()
        self.live.describe(
            f"A 192 x 192 crop of the face in matplotlib's portrait of Grace Hopper, and the same "
            f"crop blurred by a {size}x{size} box that sums to one: the mean brightness stays "
            f"{self.blurred.mean():.4f}."
        )
        self.message = ""  # a good value: no refusal to explain any more
        self.readout.value = (
            f"box {size}x{size}: every entry 1/{size * size}, sum 1; mean brightness before "
            f"{self.image.mean():.4f}, after <b>{self.blurred.mean():.4f}</b> (after - before = "
            f"{change:.1e}, rounding)"
        )

    def _say(self, message: str) -> None:
        self.message = message
        self.readout.value += f"<br>{html.escape(message)}"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

"""The flip-and-slide explorer: drag the shift x, watch the product f(tau) g(x - tau) and its area.

The convolution integral at x is the area under the product of f(tau) with g flipped and
slid to x. This widget draws both, shades their product, and traces (f * g) for every shift
up to the current one, so the curve grows as the slider moves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.live import LiveFigure
from helpers.signals import (
    Signal,
    box,
    convolve_integral,
    exponential,
    gaussian,
    gaussian_derivative,
)


@dataclass(frozen=True)
class Pair:
    """Two signals to convolve, with the labels the figure gives them."""

    f: Signal
    g: Signal
    f_label: str
    g_label: str


PAIRS: dict[str, Pair] = {
    "box * box": Pair(box, box, "box, width 1", "box, width 1"),
    "box * exponential": Pair(box, exponential, "box, width 1", "exponential, rate 1"),
    "exponential * box": Pair(exponential, box, "exponential, rate 1", "box, width 1"),
    "Gaussian * Gaussian": Pair(
        lambda t: gaussian(t, 0.5),
        lambda t: gaussian(t, 0.8, 1.0),
        "Gaussian, sigma 0.5",
        "Gaussian, sigma 0.8, centred at 1 (flipped: at x − 1)",
    ),
    "exponential * exponential": Pair(
        exponential,
        lambda t: exponential(t, 2.0),
        "exponential, rate 1",
        "exponential, rate 2",
    ),
    "box * Gaussian derivative": Pair(
        lambda t: box(t, 2.0),
        lambda t: gaussian_derivative(t, 0.3),
        "box, width 2",
        "Gaussian derivative, sigma 0.3",
    ),
}


class FlipAndSlide:
    """Explore the convolution integral of a pair of signals by sliding g over f.

    Controls (each with its CSS class; the top-level box has ``course-widget`` and
    ``course-flip-and-slide``):

    - :attr:`shift` (``course-flip-and-slide-shift``): a slider over the shift x.
    - :attr:`pair` (``course-flip-and-slide-pair``): which pair of signals f, g to convolve.

    A value a control refuses (a NaN shift) is put back to the last good one and the readout
    says why (:func:`helpers.controls.observe_guarded`); :attr:`message` keeps the sentence.

    Outputs:

    - the figure (``course-flip-and-slide-figure``): top, f(tau), g(x - tau) and their
      product shaded, with a dotted line at tau = x (where g's origin, g(0), lands; for a g
      centred at c the flipped copy is centred at x - c); bottom, (f * g) traced from the
      smallest shift up to x, its value at x in the title.
    - :attr:`readout` (``course-flip-and-slide-readout``): x and the area of the product.

    Attributes
    ----------
    area : float
        The area of the product at the current shift, ``(f * g)(x)``, a Riemann sum with
        :attr:`step` over :attr:`support` (midpoint rule).
    tau, f_values, g_values, product : ndarray
        The drawn grid of tau and the values of f(tau), g(x - tau) and their product on it.
    trace_x, trace_y : ndarray
        The traced part of the convolution: shifts up to x and (f * g) at each of them.
    """

    step = 0.01
    support = (-6.0, 26.0)
    x_range = (-3.0, 4.0)
    x_step = 0.05
    tau_range = (-3.5, 5.0)

    def __init__(self, pair: str = "box * box", shift: float = -1.5):
        if pair not in PAIRS:
            raise ValueError(f"pair must be one of {list(PAIRS)}, got {pair!r}")
        low, high = self.x_range
        if isinstance(shift, bool) or not isinstance(shift, int | float | np.number):
            raise TypeError(f"shift must be a number from {low} to {high}, got {shift!r}")
        if not low <= shift <= high:  # False for NaN too
            raise ValueError(f"shift must be a number from {low} to {high}, got {shift}")
        self.shift = widgets.FloatSlider(
            value=shift,
            min=self.x_range[0],
            max=self.x_range[1],
            step=self.x_step,
            description="shift x",
            readout_format=".2f",
            continuous_update=True,
        )
        self.shift.add_class("course-flip-and-slide-shift")
        self.pair = widgets.Dropdown(options=list(PAIRS), value=pair, description="f * g")
        self.pair.add_class("course-flip-and-slide-pair")
        self.readout = widgets.HTML()
        self.readout.add_class("course-flip-and-slide-readout")
        self.access = Access()
        self.access.name(self.shift, "shift x: where g(x − τ) sits")
        self.access.name(self.pair, "f * g: the pair of functions")
        self.access.announce(self.readout)
        self.message = ""

        self._full_curves: dict[str, np.ndarray] = {}  # per pair: (f * g) at every shift
        self.tau = np.linspace(*self.tau_range, 851)
        count = round((self.x_range[1] - self.x_range[0]) / self.x_step) + 1
        self.shifts = np.linspace(*self.x_range, count)
        self._build_figure()

        self.ui = widgets.VBox(
            [widgets.HBox([self.pair, self.shift]), self.live.image, self.readout, self.access]
        )
        self.ui.add_class("course-widget")
        self.ui.add_class("course-flip-and-slide")
        self.live.image.add_class("course-flip-and-slide-figure")

        self._set_pair()
        observe_guarded(self.pair, lambda change: self._set_pair(), self._say)
        observe_guarded(self.shift, self._on_shift, self._say)

    def _build_figure(self) -> None:
        self.live = LiveFigure(
            figsize=(7.0, 4.6),
            alt=(
                "the flip-and-slide explorer: f(tau), the flipped and shifted g(x - tau), their "
                "product with its area shaded, and f*g traced up to the shift x"
            ),
        )
        top, bottom = self.live.figure.subplots(2, 1)
        self.f_line = top.plot([], [], color="C0", lw=2)[0]
        self.g_line = top.plot([], [], color="C1", lw=2, ls="--")[0]  # not by colour alone
        self.product_fill = top.fill_between(
            self.tau,
            np.zeros_like(self.tau),
            color="C2",
            alpha=0.4,
            label="f(τ) g(x − τ), its area is (f * g)(x)",
        )
        self.shift_line = top.axvline(0.0, color="0.5", lw=1, ls=":", label="τ = x")
        top.set_xlim(*self.tau_range)
        top.set_xlabel("τ")
        top.set_ylabel("f(τ), g(x − τ)")
        self.full_line = bottom.plot([], [], color="0.8", lw=1, ls="--")[0]
        self.trace_line = bottom.plot([], [], color="C2", lw=2)[0]
        self.point = bottom.plot([], [], "o", color="C2")[0]
        bottom.set_xlim(*self.tau_range)
        bottom.set_xlabel("x")
        bottom.set_ylabel("(f * g)(x)")
        bottom.set_title(self._title(0.0, 0.0))  # so that the layout leaves room for it
        self.top, self.bottom = top, bottom
        self.legend = top.legend(
            [self.f_line, self.g_line, self.product_fill, self.shift_line],
            ["f", "g", self.product_fill.get_label(), "τ = x: where g's origin lands"],
            loc="lower left",
            bbox_to_anchor=(0.0, 1.02, 1.0, 0.1),
            mode="expand",
            ncols=2,
            fontsize=8,
        )
        # what a new shift changes; the rest (axes, ticks, f, the full curve) is a
        # background rendered once per pair (LiveFigure.freeze) and pasted back before these
        # are drawn (LiveFigure.blit)
        self.moving = [self.f_line, self.g_line, self.product_fill, self.shift_line]
        self.moving += [self.trace_line]
        self.moving += [self.point, bottom.title]

    @property
    def current(self) -> Pair:
        """The pair of signals chosen in the menu."""
        return PAIRS[self.pair.value]

    def convolution(self, x: np.ndarray | float) -> np.ndarray:
        """``(f * g)(x)`` for the current pair, with the widget's step and support."""
        pair = self.current
        return convolve_integral(pair.f, pair.g, x, self.step, self.support)

    def _set_pair(self) -> None:
        pair = self.current
        self.f_values = pair.f(self.tau)
        if self.pair.value not in self._full_curves:  # deterministic: compute once per pair
            self._full_curves[self.pair.value] = self.convolution(self.shifts)
        self.full = self._full_curves[self.pair.value]
        self.f_line.set_data(self.tau, self.f_values)
        self.legend.texts[0].set_text(f"f(τ): {pair.f_label}")
        self.legend.texts[1].set_text(f"g(x − τ): {pair.g_label}")
        self.full_line.set_data(self.shifts, self.full)
        # limits that hold f, g and their product at any shift
        g_all = pair.g(self.tau)
        bound = np.abs(self.f_values).max() * np.abs(g_all).max()
        low = min(self.f_values.min(), g_all.min(), -bound if g_all.min() < 0 else 0.0)
        high = max(self.f_values.max(), g_all.max(), bound)
        self.top.set_ylim(low - 0.08 * (high - low), high + 0.08 * (high - low))
        low, high = min(0.0, self.full.min()), self.full.max()
        self.bottom.set_ylim(low - 0.1 * (high - low), high + 0.1 * (high - low))
        self.live.freeze(self.moving)
        self._set_shift()

    @staticmethod
    def _title(x: float, area: float) -> str:
        return f"(f * g)({x:.2f}) = area of the product = {area:.4f}"

    def _say(self, message: str) -> None:
        """Show a message (why a value was refused) under the readout."""
        self.message = message
        self.readout.value = self.readout.value.split("<br>")[0] + f"<br>{html.escape(message)}"

    def _on_shift(self, change: dict) -> None:
        x = change["new"]
        if not np.isfinite(x):
            raise ValueError(
                f"the shift must be a finite number from {self.x_range[0]} to {self.x_range[1]}"
            )
        self._set_shift()

    def _set_shift(self) -> None:
        x = float(self.shift.value)
        pair = self.current
        self.g_values = pair.g(x - self.tau)
        self.product = self.f_values * self.g_values
        self.area = float(self.convolution(x))
        self.message = ""  # a good value: no refusal to explain any more
        shown = round(self.area, 4) + 0.0  # 0.0000, never -0.0000
        self.g_line.set_data(self.tau, self.g_values)
        self.product_fill.set_data(self.tau, self.product, 0.0)
        self.shift_line.set_xdata([x, x])
        before = self.shifts < x
        self.trace_x = np.append(self.shifts[before], x)
        self.trace_y = np.append(self.full[before], self.area)
        self.trace_line.set_data(self.trace_x, self.trace_y)
        self.point.set_data([x], [self.area])
        self.bottom.set_title(self._title(x, shown))
        self.readout.value = (
            f"x = {x:.2f} &nbsp; (f * g)(x) = ∫ f(τ) g(x − τ) dτ = <b>{shown:.4f}</b>"
        )
        self.live.blit()
        self.live.describe(
            f"The flip-and-slide explorer for {self.pair.value}: f(τ) is the "
            f"{self.current.f_label}, g(x − τ) the {self.current.g_label} flipped and slid to "
            f"x = {x:.2f}; their product is shaded, its area (f * g)(x) = {shown:.4f}, and "
            "the curve of f * g is traced up to x."
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

"""A widget over the cut-off and the gains of homomorphic filtering, on a photo whose lighting
we made ourselves, so every setting is scored against the evenly lit truth.

Two scores answer two questions. *Is the light gone?* The filter's output for the lit photo
is compared with its output for the evenly lit photo: a correlation of 1 means the output no
longer depends on the light. *Is the picture still the photo?* The output is compared with the
evenly lit photo itself: flattening the light also flattens the photo's own shading.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from helpers.access import Access
from helpers.controls import observe_guarded
from helpers.convolution import convolve
from helpers.homomorphic import high_emphasis_kernel, high_emphasis_response, homomorphic_filter
from helpers.live import LiveFigure
from helpers.plotting import show_image
from helpers.validation import as_numeric_array

NAME = "homomorphic-explorer"


CUTOFF_RANGE = (0.005, 0.2)
"""The cut-off slider's ends, in cycles per pixel."""

GAMMA_LOW_RANGE = (0.0, 1.5)
GAMMA_HIGH_RANGE = (0.5, 2.5)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two images' pixels (0 when either is constant).

    Raises ValueError when the images differ in size or hold NaN or infinite values: their
    correlation is not a number, and 0 would read as "unrelated".
    """
    a, b = as_numeric_array(a, "a").astype(float), as_numeric_array(b, "b").astype(float)
    if a.size != b.size or a.size == 0:
        raise ValueError(
            f"a and b must hold the same number of pixels (at least one), got {a.size} and {b.size}"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must hold finite values only (found NaN or inf)")
    # each image over its largest magnitude first: pixels of 1e300 or 1e-300 square to
    # inf or 0, a correlation of such pixels is still a number in [-1, 1]
    a, b = (np.ravel(x) / (np.max(np.abs(x)) or 1.0) for x in (a, b))
    a, b = a - np.mean(a), b - np.mean(b)
    a, b = (x / (np.max(np.abs(x)) or 1.0) for x in (a, b))
    # plain sums rather than BLAS dot products: on a loaded machine BLAS threads cost ms
    scale = np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b))
    return float(np.clip(np.sum(a * b) / scale, -1, 1)) if scale > 0 else 0.0


@dataclass(frozen=True)
class Corrections:
    """The homomorphic filter and the plain high-pass of one kernel, applied to a lit photo.

    Attributes
    ----------
    kernel : ndarray
        The high-emphasis kernel (its sum is ``gamma_low``).
    outputs : dict
        "homomorphic" and "plain high-pass": each method applied to the lit photo.
    scores : dict
        Is the light gone? Each output's correlation with the same method applied to the
        evenly lit photo (1: the output no longer depends on the light); "no correction" is
        the lit photo's correlation with the evenly lit one.
    fidelity : dict
        Is it still the photo? Each output's correlation with the evenly lit photo itself.
    """

    kernel: np.ndarray
    outputs: dict[str, np.ndarray]
    scores: dict[str, float]
    fidelity: dict[str, float]


def compare_corrections(
    truth: np.ndarray,
    lit: np.ndarray,
    cutoff: float,
    gamma_low: float,
    gamma_high: float,
    uncorrected: float | None = None,
) -> Corrections:
    """Filter the lit photo homomorphically and plainly, and score both (see :class:`Corrections`).

    ``uncorrected``, the correlation of ``lit`` with ``truth``, is computed when omitted.
    """
    kernel = high_emphasis_kernel(cutoff, gamma_low, gamma_high, max_size=min(np.shape(lit)))

    def methods(image: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "homomorphic": homomorphic_filter(image, cutoff, gamma_low, gamma_high),
            "plain high-pass": convolve(image, kernel, mode="same", method="fft", boundary="symm"),
        }

    outputs, evenly_lit = methods(lit), methods(truth)
    scores = {name: correlation(outputs[name], evenly_lit[name]) for name in outputs}
    scores["no correction"] = correlation(lit, truth) if uncorrected is None else uncorrected
    fidelity = {name: correlation(output, truth) for name, output in outputs.items()}
    return Corrections(kernel, outputs, scores, fidelity)


class HomomorphicExplorer:
    """Drag the cut-off D0 and the gains; see the corrected photo and how close it is to the truth.

    Parameters
    ----------
    truth : ndarray
        The evenly lit photo (2-D, values >= 0).
    lit : ndarray
        The same photo under uneven lighting, the filter's input.
    cutoff, gamma_low, gamma_high : float
        The starting values of the controls.

    Controls (CSS classes ``course-homomorphic-explorer-<control>``)
    ----------------------------------------------------------------
    cutoff : FloatLogSlider (``-cutoff``)
        D0 in cycles per pixel, 0.005 to 0.2.
    gamma_low : FloatSlider (``-gamma-low``)
        Gain at zero frequency (the lighting), 0 to 1.5.
    gamma_high : FloatSlider (``-gamma-high``)
        Gain at high frequency (the detail), 0.5 to 2.5.

    Output attributes
    -----------------
    result : ndarray
        The homomorphic-filtered photo for the current controls.
    plain : ndarray
        The same kernel applied to the photo itself, without log and exp.
    scores : dict
        Whether the light is gone: the correlation of ``result`` with the homomorphic filter
        of the truth ("homomorphic"), of ``plain`` with the plain high-pass of the truth
        ("plain high-pass"), and of the uncorrected input with the truth ("no correction").
    fidelity : dict
        Whether the picture is still the photo: the correlation of ``result`` ("homomorphic")
        and ``plain`` ("plain high-pass") with the truth itself.
    kernel_sum : float
        The filter's sum, its DC gain, equal to ``gamma_low``.
    readout : ipywidgets.HTML (``course-homomorphic-explorer-readout``)
        Those numbers in words.
    message : str, message_readout : ipywidgets.HTML (``course-homomorphic-explorer-message``)
        Why the last value set on a control was refused (NaN, say), empty otherwise; the
        control is put back to its last good value.
    live : LiveFigure (image ``course-homomorphic-explorer-figure``)
        Input, result and the frequency response H(D) with the cut-off marked.
    ui : ipywidgets.VBox (``course-widget``, ``course-homomorphic-explorer``)
        Everything together.
    """

    def __init__(
        self,
        truth: np.ndarray,
        lit: np.ndarray,
        cutoff: float = 0.02,
        gamma_low: float = 0.5,
        gamma_high: float = 1.0,
    ):
        self.truth = as_numeric_array(truth, "truth").astype(float)
        self.lit = as_numeric_array(lit, "lit").astype(float)
        if self.truth.ndim != 2 or self.truth.shape != self.lit.shape or self.truth.size == 0:
            raise ValueError(
                f"truth and lit must be non-empty 2-D images of the same shape, got "
                f"{self.truth.shape} and {self.lit.shape}"
            )
        for name, image in (("truth", self.truth), ("lit", self.lit)):
            if not np.all(np.isfinite(image)) or image.min() < 0:
                raise ValueError(f"{name} must hold finite values >= 0 (a photo's brightness)")
        for name, value, (low, high) in (
            ("cutoff", cutoff, CUTOFF_RANGE),
            ("gamma_low", gamma_low, GAMMA_LOW_RANGE),
            ("gamma_high", gamma_high, GAMMA_HIGH_RANGE),
        ):
            _check_in_range(name, value, low, high)
        self.cutoff = widgets.FloatLogSlider(
            value=cutoff, base=10, min=np.log10(CUTOFF_RANGE[0]), max=np.log10(CUTOFF_RANGE[1]),
            step=0.05, description="cut-off D0", readout_format=".3f", continuous_update=True,
        )  # fmt: skip
        self.gamma_low = widgets.FloatSlider(
            value=gamma_low, min=GAMMA_LOW_RANGE[0], max=GAMMA_LOW_RANGE[1], step=0.05,
            description="gamma low",
        )  # fmt: skip
        self.gamma_high = widgets.FloatSlider(
            value=gamma_high, min=GAMMA_HIGH_RANGE[0], max=GAMMA_HIGH_RANGE[1], step=0.05,
            description="gamma high",
        )  # fmt: skip
        self.readout = widgets.HTML()
        self.readout.add_class(f"course-{NAME}-readout")
        self.message = ""
        self.message_readout = widgets.HTML()
        self.message_readout.add_class(f"course-{NAME}-message")
        self.access = Access()
        self.access.name(self.cutoff, "cut-off D0 of the high-emphasis filter, cycles per pixel")
        self.access.name(self.gamma_low, "gamma low: the filter's gain at zero frequency")
        self.access.name(self.gamma_high, "gamma high: the filter's gain at high frequencies")
        self.access.announce(self.readout)
        self.access.announce(self.message_readout)
        for control, suffix, (low, high) in (
            (self.cutoff, "cutoff", CUTOFF_RANGE),
            (self.gamma_low, "gamma-low", GAMMA_LOW_RANGE),
            (self.gamma_high, "gamma-high", GAMMA_HIGH_RANGE),
        ):
            control.add_class(f"course-{NAME}-{suffix}")
            observe_guarded(control, self._handler(control.description, low, high), self._say)

        self.live = LiveFigure(
            figsize=(8.4, 3.0),
            alt=(
                "the homomorphic explorer: the unevenly lit photo, its filtered version, and the "
                "high-emphasis filter's curve"
            ),
        )
        axes = self.live.figure.subplots(1, 3)
        self._input = show_image(axes[0], self.lit, "input: uneven lighting", vmin=0, vmax=1)
        self._output = show_image(axes[1], self.lit, "homomorphic result")
        self._frequencies = np.linspace(0, 0.5, 200)
        (self._curve,) = axes[2].plot(self._frequencies, self._frequencies)
        self._marker = axes[2].axvline(cutoff, color="gray", linestyle=":")
        axes[2].set_xlabel("D (cycles per pixel)")
        axes[2].set_ylabel("H(D)")
        axes[2].set_ylim(0, 2.6)
        axes[2].set_title("frequency response")
        self.live.image.add_class(f"course-{NAME}-figure")
        self.ui = widgets.VBox(
            [widgets.HBox([self.cutoff, self.gamma_low, self.gamma_high]), self.live.image,
             self.readout, self.message_readout, self.access]
        )  # fmt: skip
        self.ui.add_class("course-widget")
        self.ui.add_class(f"course-{NAME}")
        self._uncorrected = correlation(self.lit, self.truth)
        self._compute()
        # only the result, the curve and the marker change: the rest is a fixed background (the
        # frames are redrawn too, as a full drawing puts them over the image and the curve)
        frames = [spine for ax in axes[1:] for spine in ax.spines.values()]
        self.live.freeze([self._output, self._curve, self._marker, *frames])
        self.live.blit()

    def _handler(self, name: str, low: float, high: float):
        """The observer of one control: refuse a value outside [low, high], else redraw."""

        def handler(change: dict) -> None:
            _check_in_range(name, change["new"], low, high)
            self._say("")
            self._compute()
            self.live.blit()

        return handler

    def _say(self, text: str) -> None:
        self.message = text
        self.message_readout.value = html.escape(text)

    def _compute(self) -> None:
        """The outputs and the moving artists for the current controls."""
        cutoff, low, high = self.cutoff.value, self.gamma_low.value, self.gamma_high.value
        found = compare_corrections(self.truth, self.lit, cutoff, low, high, self._uncorrected)
        self.kernel_sum = float(found.kernel.sum())
        self.result, self.plain = found.outputs["homomorphic"], found.outputs["plain high-pass"]
        self.scores, self.fidelity = found.scores, found.fidelity
        self._output.set_data(self.result)
        low_clip, high_clip = np.percentile(self.result, [1, 99])
        self._output.set_clim(low_clip, max(high_clip, low_clip + 1e-6))
        self._curve.set_ydata(high_emphasis_response(self._frequencies, cutoff, low, high))
        self._marker.set_xdata([cutoff, cutoff])
        scores = ", ".join(f"{name} {value:.3f}" for name, value in self.scores.items())
        fidelity = ", ".join(f"{name} {value:.3f}" for name, value in self.fidelity.items())
        self.readout.value = (
            f"light gone? output against the same filter of the evenly lit photo (1 = yes): "
            f"{scores}<br>still the photo? output against the evenly lit photo: {fidelity}<br>"
            f"kernel sum (DC gain) = {self.kernel_sum:.3f} = gamma low; blur sigma = "
            f"{1 / (2 * np.pi * cutoff):.1f} px"
        )
        self.live.describe(
            f"The unevenly lit photo, its homomorphic filtering with cut-off {cutoff:.3f}, gamma "
            f"low {low:.2f} and gamma high {high:.2f}, and the filter's curve H(D). Light gone: "
            f"{self.scores['homomorphic']:.3f} (plain high-pass "
            f"{self.scores['plain high-pass']:.3f}, no correction "
            f"{self.scores['no correction']:.3f}); against the evenly lit photo "
            f"{self.fidelity['homomorphic']:.3f}; the kernel sums to {self.kernel_sum:.2f}."
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


def _check_in_range(name: str, value: object, low: float, high: float) -> None:
    """Raise ValueError unless ``value`` is a finite number in ``[low, high]`` (within rounding)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"{name} must be a number, got {value!r}")
    slack = 1e-9 * max(abs(low), abs(high))
    if not np.isfinite(value) or not low - slack <= value <= high + slack:
        raise ValueError(f"{name} must be a number from {low} to {high}, got {value}")

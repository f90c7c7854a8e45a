"""A widget over the cut-off and the gains of homomorphic filtering, on a photo whose lighting
we made ourselves, so every setting is scored against the evenly lit truth."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.access import Access
from helpers.convolution import convolve
from helpers.homomorphic import high_emphasis_kernel, high_emphasis_response, homomorphic_filter
from helpers.live import LiveFigure
from helpers.plotting import show_image

NAME = "homomorphic-explorer"


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two images' pixels (0 when either is constant)."""
    a, b = np.ravel(a) - np.mean(a), np.ravel(b) - np.mean(b)
    # plain sums rather than BLAS dot products: on a loaded machine BLAS threads cost ms
    scale = np.sqrt(np.sum(a * a) * np.sum(b * b))
    return float(np.sum(a * b) / scale) if scale > 0 else 0.0


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
        Correlation with the truth of ``result`` ("homomorphic"), ``plain`` ("plain high-pass")
        and the uncorrected input ("no correction").
    kernel_sum : float
        The filter's sum, its DC gain, equal to ``gamma_low``.
    readout : ipywidgets.HTML (``course-homomorphic-explorer-readout``)
        Those numbers in words.
    live : LiveFigure (image ``course-homomorphic-explorer-figure``)
        Input, result and the transfer function H(D) with the cut-off marked.
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
        self.truth = np.asarray(truth, dtype=float)
        self.lit = np.asarray(lit, dtype=float)
        if self.truth.ndim != 2 or self.truth.shape != self.lit.shape:
            raise ValueError(
                f"truth and lit must be 2-D images of the same shape, got {self.truth.shape} "
                f"and {self.lit.shape}"
            )
        self.cutoff = widgets.FloatLogSlider(
            value=cutoff, base=10, min=np.log10(0.005), max=np.log10(0.2), step=0.05,
            description="cut-off D0", readout_format=".3f", continuous_update=True,
        )  # fmt: skip
        self.gamma_low = widgets.FloatSlider(
            value=gamma_low, min=0.0, max=1.5, step=0.05, description="gamma low"
        )
        self.gamma_high = widgets.FloatSlider(
            value=gamma_high, min=0.5, max=2.5, step=0.05, description="gamma high"
        )
        self.readout = widgets.HTML()
        self.readout.add_class(f"course-{NAME}-readout")
        for control, suffix in (
            (self.cutoff, "cutoff"),
            (self.gamma_low, "gamma-low"),
            (self.gamma_high, "gamma-high"),
        ):
            control.add_class(f"course-{NAME}-{suffix}")
            control.observe(lambda _: self._update(), names="value")
        self.access = Access()
        self.access.name(self.cutoff, "cut-off D0 of the high-emphasis filter, cycles per pixel")
        self.access.name(self.gamma_low, "gamma low: the filter's gain at zero frequency")
        self.access.name(self.gamma_high, "gamma high: the filter's gain at high frequencies")
        self.access.announce(self.readout)

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
        axes[2].set_title("transfer function")
        self.live.image.add_class(f"course-{NAME}-figure")
        self.ui = widgets.VBox(
            [widgets.HBox([self.cutoff, self.gamma_low, self.gamma_high]), self.live.image,
             self.readout, self.access]
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

    def _update(self) -> None:
        self._compute()
        self.live.blit()

    def _compute(self) -> None:
        """The outputs and the moving artists for the current controls."""
        cutoff, low, high = self.cutoff.value, self.gamma_low.value, self.gamma_high.value
        kernel = high_emphasis_kernel(cutoff, low, high, max_size=min(self.lit.shape))
        self.kernel_sum = float(kernel.sum())
        self.result = homomorphic_filter(self.lit, cutoff, low, high)
        self.plain = convolve(self.lit, kernel, mode="same", method="fft", boundary="symm")
        self.scores = {
            "homomorphic": correlation(self.result, self.truth),
            "plain high-pass": correlation(self.plain, self.truth),
            "no correction": self._uncorrected,
        }
        self._output.set_data(self.result)
        low_clip, high_clip = np.percentile(self.result, [1, 99])
        self._output.set_clim(low_clip, max(high_clip, low_clip + 1e-6))
        self._curve.set_ydata(high_emphasis_response(self._frequencies, cutoff, low, high))
        self._marker.set_xdata([cutoff, cutoff])
        scores = ", ".join(f"{name} {value:.3f}" for name, value in self.scores.items())
        self.readout.value = (
            f"correlation with the evenly lit photo: {scores}<br>"
            f"kernel sum (DC gain) = {self.kernel_sum:.3f} = gamma low; blur sigma = "
            f"{1 / (2 * np.pi * cutoff):.1f} px"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)

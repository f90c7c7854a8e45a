"""Paired comparisons over seeds: a difference, its 95% interval, and the effect it could detect.

When two variants of an experiment share each seed (the same initial weights, the same
batches), the noise of a seed cancels in the difference ``treatment - baseline`` measured on
that seed. :func:`paired_difference` summarizes those differences the way a paired t-test
does: their mean, a confidence interval from Student's t distribution, and the smallest true
difference the experiment would detect with a given power,

    detectable = (t_{1 - alpha/2, n-1} + t_{power, n-1}) * s / sqrt(n),

the usual approximation for a two-sided paired t-test (``s`` is the standard deviation of the
differences). An interval that contains zero is a null result: it says nothing larger than
``detectable`` was there to find, not that nothing was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from scipy import stats


@dataclass(frozen=True)
class PairedDifference:
    """Summary of paired differences ``treatment - baseline`` over ``n`` seeds.

    Attributes
    ----------
    differences : ndarray (n,)
        One difference per seed.
    mean : float
        Their mean.
    low, high : float
        The confidence interval of the mean difference.
    detectable : float
        The smallest true difference a two-sided test at this confidence would find with the
        chosen power (0.8 by default).
    confidence, power : float
        As passed to :func:`paired_difference`.
    """

    differences: np.ndarray
    mean: float
    low: float
    high: float
    detectable: float
    confidence: float
    power: float

    @property
    def n(self) -> int:
        """The number of seeds."""
        return len(self.differences)

    @property
    def decided(self) -> bool:
        """Whether the interval excludes zero (a difference is established)."""
        return self.low > 0 or self.high < 0

    def describe(self, unit: str = "", digits: int = 3) -> str:
        """The difference in words, with its interval and what the test could detect."""
        f = f"{{:+.{digits}f}}{unit}"
        g = f"{{:.{digits}f}}{unit}"
        verdict = "a difference" if self.decided else "no difference established"
        return (
            f"{f.format(self.mean)}, {self.confidence:.0%} interval [{f.format(self.low)}, "
            f"{f.format(self.high)}] over {self.n} paired seeds: {verdict} (it could detect "
            f"{g.format(self.detectable)} with power {self.power:.0%})"
        )


def paired_difference(
    treatment: np.ndarray,
    baseline: np.ndarray,
    confidence: float = 0.95,
    power: float = 0.8,
) -> PairedDifference:
    """Mean of ``treatment - baseline`` over paired seeds, its t interval and detectable effect.

    Parameters
    ----------
    treatment, baseline : array_like, shape (n,)
        One measurement per seed; entry ``s`` of both comes from the same seed. At least 2.
    confidence : float
        Level of the two-sided interval, in (0, 1).
    power : float
        Probability of detecting a true difference of ``detectable``, in (0, 1).

    Returns
    -------
    PairedDifference
    """
    treatment = np.asarray(treatment, dtype=float)
    baseline = np.asarray(baseline, dtype=float)
    if treatment.ndim != 1 or treatment.shape != baseline.shape:
        raise ValueError(
            f"treatment and baseline must be 1-D of the same length, got {treatment.shape} "
            f"and {baseline.shape}"
        )
    if len(treatment) < 2:
        raise ValueError(f"need at least 2 paired seeds, got {len(treatment)}")
    if not (np.all(np.isfinite(treatment)) and np.all(np.isfinite(baseline))):
        raise ValueError("treatment and baseline must hold finite values only")
    for name, value in (("confidence", confidence), ("power", power)):
        if not 0 < value < 1:
            raise ValueError(f"{name} must be in (0, 1), got {value}")
    differences = treatment - baseline
    n = len(differences)
    error = differences.std(ddof=1) / np.sqrt(n)
    t_interval = stats.t.ppf(1 - (1 - confidence) / 2, n - 1)
    mean = float(differences.mean())
    return PairedDifference(
        differences=differences,
        mean=mean,
        low=mean - t_interval * error,
        high=mean + t_interval * error,
        detectable=float((t_interval + stats.t.ppf(power, n - 1)) * error),
        confidence=confidence,
        power=power,
    )


def power_at(effect: float, difference: PairedDifference) -> float:
    """The exact power of the two-sided paired t-test of ``difference`` against a true ``effect``.

    Computed from the noncentral t distribution (scipy), with the standard deviation of the
    measured differences taken as the true one: an independent check of ``detectable``.
    """
    n = difference.n
    error = difference.differences.std(ddof=1) / np.sqrt(n)
    if error == 0:
        return 1.0 if effect != 0 else 1 - difference.confidence
    critical = stats.t.ppf(1 - (1 - difference.confidence) / 2, n - 1)
    shift = effect / error
    return float(stats.nct.sf(critical, n - 1, shift) + stats.nct.cdf(-critical, n - 1, shift))


def differences_figure(
    comparisons: dict[str, dict[str, PairedDifference]], figsize: tuple[float, float] = (8.4, 2.6)
) -> Figure:
    """One panel per measure: each comparison's paired differences, mean and interval.

    Parameters
    ----------
    comparisons : dict
        ``{measure: {comparison: PairedDifference}}``, e.g. ``{"final test accuracy":
        {"ZCA eps 0.1 - raw": ...}}``. Panels share nothing but the layout: each measure has
        its own unit.

    Returns
    -------
    Figure
        Per comparison: the seeds' differences as dots, the mean as a bar with its interval,
        and the band of +-``detectable`` shaded; a line at zero.
    """
    figure = Figure(figsize=figsize, layout="constrained")
    axes = figure.subplots(1, len(comparisons), squeeze=False)[0]
    for ax, (measure, rows) in zip(axes, comparisons.items(), strict=True):
        for row, d in enumerate(rows.values()):
            ax.fill_betweenx(
                [row - 0.3, row + 0.3], -d.detectable, d.detectable, color="0.9", zorder=0
            )
            ax.plot(d.differences, np.full(d.n, row), "o", color="tab:gray", ms=3, zorder=2)
            ax.errorbar(
                d.mean, row, xerr=[[d.mean - d.low], [d.high - d.mean]], fmt="D",
                color="tab:red" if d.decided else "black", capsize=4, zorder=3,
            )  # fmt: skip
        ax.axvline(0, color="0.4", lw=0.8, zorder=1)
        ax.set_yticks(range(len(rows)), list(rows))
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel(f"difference in {measure}")
        ax.set_title(f"{measure}: mean, {next(iter(rows.values())).confidence:.0%} interval")
    return figure

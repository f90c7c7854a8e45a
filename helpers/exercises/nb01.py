"""Exercises of notebook 01, the convolution integral.

- :data:`sampled_convolution`: the convolution integral as a Riemann sum over samples.
- :data:`convolution_support`: where f * g can be nonzero, from where f and g are.
- :data:`gaussian_blur`: the Gaussian g that blurs a Gaussian f into a given wider one.
- :data:`convolution_mass`: the area under f * g, without convolving.
"""

from __future__ import annotations

import numpy as np

from helpers.exercises import Case, Exercise, Mistake

# --- 1. the Riemann sum -----------------------------------------------------------------------


def _sampled_convolution(f: np.ndarray, g: np.ndarray, dx: float) -> np.ndarray:
    """Samples h[i] of f * g at x = i dx, from f[m] = f(m dx) (n samples) and g[m] = g(m dx)
    (k taps)."""
    f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
    h = np.zeros(len(f) + len(g) - 1)  # n + k - 1 samples: the two supports added
    for i in range(len(h)):
        for m in range(len(f)):
            if 0 <= i - m < len(g):  # g(x - tau) at x = i dx, tau = m dx: flipped and slid
                h[i] += f[m] * g[i - m]
    return h * dx  # each term is the area of a strip of width dx


def _sampled_cases() -> list[Case]:
    rng = np.random.default_rng(1)
    t = np.arange(12) * 0.25
    exponential = 2.0 * np.exp(-2.0 * t)  # one-sided: the flip shows
    ramp = np.linspace(1.0, 0.0, 5)
    return [
        Case(
            "an exponential (12 samples) and a ramp (5 samples), dx = 0.25",
            (exponential, ramp, 0.25),
        ),
        Case(
            "two random signals of lengths 7 and 4, dx = 0.1",
            (rng.normal(size=7), rng.normal(size=4), 0.1),
        ),
        Case("a ramp and an exponential, dx = 0.5", (ramp, exponential[:6], 0.5)),
        Case("a single sample each, dx = 0.3", (np.array([2.0]), np.array([-1.5]), 0.3)),
        Case("random lengths 1 and 6, dx = 2", (rng.normal(size=1), rng.normal(size=6), 2.0)),
    ]


sampled_convolution = Exercise(
    "the convolution integral as a Riemann sum",
    _sampled_convolution,
    _sampled_cases,
    hint=(
        "replace the integral by a sum over the grid: (f*g)(i dx) is about dx times the "
        "sum over m of f[m] g[i - m], with m running over the samples where both exist."
    ),
    mistakes=[
        Mistake(
            "your values are too large by a factor 1/dx: the Riemann sum multiplies each term "
            "f(tau_m) g(x - tau_m) by the step dx, the width of its strip.",
            lambda f, g, dx: np.convolve(f, g),
        ),
        Mistake(
            "you computed a correlation: g was slid without being flipped. Convolution pairs "
            "f[m] with g[i - m] (index going down as m goes up), not with g[i + m].",
            lambda f, g, dx: np.convolve(f, np.asarray(g)[::-1]) * dx,
        ),
        Mistake(
            "your output is one sample short: i runs from 0 to n + k - 2 inclusive (n = len(f), "
            "k = len(g)), so there are n + k - 1 samples.",
            lambda f, g, dx: np.convolve(f, g)[:-1] * dx,
        ),
        Mistake(
            "your output is one sample too long: f * g has n + k - 1 samples (n = len(f), "
            "k = len(g)), the last one at i = n + k - 2.",
            lambda f, g, dx: np.append(np.convolve(f, g) * dx, 0.0),
        ),
        Mistake(
            "you kept only n = len(f) samples: f * g is longer than f, its support is the two "
            "supports added.",
            lambda f, g, dx: np.convolve(f, g)[: len(f)] * dx,
        ),
        Mistake(
            "your output is the middle of the convolution, as long as the longer input "
            "(np.convolve's mode 'same'): it cuts off both ends, where the two signals overlap "
            "only partly. Every i where the sum can be nonzero counts.",
            lambda f, g, dx: np.convolve(f, g, "same") * dx,
        ),
        Mistake(
            "your output keeps only the shifts where the shorter signal lies entirely inside "
            "the longer one (mode 'valid'): the partial overlaps at both ends are missing.",
            lambda f, g, dx: np.convolve(f, g, "valid") * dx,
        ),
        Mistake(
            "your output starts one sample late: h[0] = dx f[0] g[0] is missing. At i = 0 the "
            "only pair is m = 0, i - m = 0.",
            lambda f, g, dx: np.convolve(f, g)[1:] * dx,
        ),
        Mistake(
            "your values are too small by a factor dx: the Riemann sum multiplies by the step "
            "once, the width of one strip, not dx squared.",
            lambda f, g, dx: np.convolve(f, g) * dx**2,
        ),
    ],
)

# --- 2. the support ---------------------------------------------------------------------------


def _convolution_support(
    f_support: tuple[float, float], g_support: tuple[float, float]
) -> tuple[float, float]:
    """The interval outside which f * g is zero, when f is zero outside f_support and g outside
    g_support."""
    (a_f, b_f), (a_g, b_g) = f_support, g_support
    # f(tau) g(x - tau) needs a_f <= tau <= b_f and a_g <= x - tau <= b_g
    return (a_f + a_g, b_f + b_g)


def _support_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    cases = [
        Case(
            "a box on (-0.5, 0.5) and an exponential cut at 4, on (0, 4)", ((-0.5, 0.5), (0.0, 4.0))
        ),
        Case("(1, 2) and (3, 7)", ((1.0, 2.0), (3.0, 7.0))),
        Case("(-3, -1) and (0.5, 1)", ((-3.0, -1.0), (0.5, 1.0))),
    ]
    for _ in range(3):
        a_f, a_g = rng.uniform(-5, 5, size=2)
        w_f, w_g = rng.uniform(0.1, 4, size=2)
        cases.append(
            Case(
                "random intervals",
                ((float(a_f), float(a_f + w_f)), (float(a_g), float(a_g + w_g))),
            )
        )
    return cases


convolution_support = Exercise(
    "the support of f * g",
    _convolution_support,
    _support_cases,
    hint=(
        "(f * g)(x) can be nonzero only if some tau has f(tau) and g(x - tau) both nonzero. "
        "For which x is there a tau in f's interval with x - tau in g's? Try the smallest "
        "such x, then the largest."
    ),
    mistakes=[
        Mistake(
            "that is the support of g slid without being flipped (a correlation): its ends "
            "are f's minus g's. In f * g, x - tau runs over g's interval, so x = tau + (x - tau).",
            lambda f, g: (f[0] - g[1], f[1] - g[0]),
        ),
        Mistake(
            "f * g is not nonzero only where both are: it spreads f by g, and its support "
            "is longer than either (the lengths add).",
            lambda f, g: (max(f[0], g[0]), min(f[1], g[1])),
        ),
        Mistake(
            "the union of the two supports is too short: the lengths add, and so do the "
            "starts and the ends.",
            lambda f, g: (min(f[0], g[0]), max(f[1], g[1])),
        ),
    ],
)

# --- 3. the Gaussian that blurs f into a given Gaussian ------------------------------------


def _gaussian_blur(mean_f: float, sigma_f: float, mean: float, sigma: float) -> tuple[float, float]:
    """The mean and standard deviation of the Gaussian g with N(mean_f, sigma_f**2) * g =
    N(mean, sigma**2), for sigma > sigma_f."""
    # under convolution the means add and the variances add (both by Fubini), so g supplies
    # what is missing: the rest of the mean and the rest of the variance
    return (mean - mean_f, float(np.sqrt(sigma**2 - sigma_f**2)))


def _blur_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    cases = [
        Case("f of sigma 0.6 at 0, wanted sigma 1 at 0", (0.0, 0.6, 0.0, 1.0)),
        Case("f of sigma 3 at 1, wanted sigma 5 at 4", (1.0, 3.0, 4.0, 5.0)),
        Case("f of sigma 2 at -1, wanted sigma 2.01 at -1.5 (a narrow g)", (-1.0, 2.0, -1.5, 2.01)),
    ]
    for _ in range(3):
        mean_f, mean = (float(v) for v in rng.uniform(-3, 3, size=2))
        sigma_f = float(rng.uniform(0.1, 3))
        sigma = float(sigma_f + rng.uniform(0.1, 3))
        cases.append(Case("random parameters", (mean_f, sigma_f, mean, sigma)))
    return cases


gaussian_blur = Exercise(
    "the Gaussian that blurs f into a given Gaussian",
    _gaussian_blur,
    _blur_cases,
    hint=(
        "convolution adds the means of f and g and adds their variances (section 3). Which "
        "mean and which variance must g bring, so that the sums come out as wanted?"
    ),
    mistakes=[
        Mistake(
            "with your g, f * g comes out too narrow: you subtracted the standard deviations, "
            "but it is the variances, sigma squared, that add.",
            lambda m_f, s_f, m, s: (m - m_f, s - s_f),
        ),
        Mistake(
            "your second number is a variance, sigma_g squared, not a standard deviation: "
            "with it f * g has the wrong width.",
            lambda m_f, s_f, m, s: (m - m_f, s**2 - s_f**2),
        ),
        Mistake(
            "with your g, f * g is centred at mean + 2 mean_f, not at mean: the means add under "
            "convolution, so g must be centred at the difference.",
            lambda m_f, s_f, m, s: (m + m_f, float(np.sqrt(s**2 - s_f**2))),
        ),
        Mistake(
            "with your g, f * g comes out wider than wanted: you added f's variance to the "
            "target's; g must bring only what is missing.",
            lambda m_f, s_f, m, s: (m - m_f, float(np.sqrt(s**2 + s_f**2))),
        ),
    ],
)

# --- 4. the mass ------------------------------------------------------------------------------


def _convolution_mass(f: np.ndarray, g: np.ndarray, dx: float) -> float:
    """The area under f * g, from samples of f and g with step dx, without convolving."""
    mass_f = np.sum(f) * dx  # the Riemann sum of f's area
    mass_g = np.sum(g) * dx
    return float(mass_f * mass_g)  # the integral of f * g is the product of the integrals


def _mass_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    t = np.arange(40) * 0.1
    blur = np.exp(-0.5 * ((t - 2) / 0.5) ** 2)
    blur /= blur.sum() * 0.1  # area one
    edge = np.array([0.5, 0.0, -0.5])  # area zero
    return [
        Case("two random signals, dx = 0.25", (rng.normal(1, 1, 12), rng.normal(2, 1, 5), 0.25)),
        Case(
            "a random signal and a blur of area one, dx = 0.1", (rng.uniform(0, 2, 40), blur, 0.1)
        ),
        Case(
            "a random signal and an edge filter of area zero, dx = 0.5",
            (rng.uniform(0, 2, 9), edge, 0.5),
        ),
        Case("two random signals, dx = 2", (rng.normal(1, 1, 3), rng.normal(-1, 1, 7), 2.0)),
    ]


def _trapezoid(values: np.ndarray, dx: float) -> float:
    values = np.asarray(values, dtype=float)
    return float((values.sum() - (values[0] + values[-1]) / 2) * dx)


convolution_mass = Exercise(
    "the mass of f * g",
    _convolution_mass,
    _mass_cases,
    hint=(
        "write the area under f * g as a double integral, over x outside and tau inside, and "
        "swap the order: what is the inner integral over x of g(x - tau)?"
    ),
    mistakes=[
        Mistake(
            "the masses multiply, they do not add: the integral of f * g is the integral of f "
            "times the integral of g.",
            lambda f, g, dx: float((np.sum(f) + np.sum(g)) * dx),
        ),
        Mistake(
            "your answer is the mass of f alone; the filter's mass counts too (it scales the "
            "output's area).",
            lambda f, g, dx: float(np.sum(f) * dx),
        ),
        Mistake(
            "your answer is off by a factor 1/dx: each of the two areas is a Riemann sum with "
            "its own factor dx, so the product has dx twice.",
            lambda f, g, dx: float(np.sum(f) * np.sum(g) * dx),
        ),
        Mistake(
            "you forgot the step dx: an area is a sum of heights times dx, for f and for g.",
            lambda f, g, dx: float(np.sum(f) * np.sum(g)),
        ),
        Mistake(
            "you added the sizes |f| and |g|: an area is signed, and an edge filter's area is "
            "0, not the sum of |g| dx.",
            lambda f, g, dx: float(np.abs(f).sum() * np.abs(g).sum() * dx * dx),
        ),
        Mistake(
            "your areas are trapezoid sums, which weight the first and last samples by 1/2. "
            "The exercise measures areas as exercise 1's h does, by the rectangle sum "
            "dx times the sum of all samples.",
            lambda f, g, dx: _trapezoid(f, dx) * _trapezoid(g, dx),
        ),
    ],
)

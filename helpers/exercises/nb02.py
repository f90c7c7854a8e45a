"""Exercises of notebook 02, discrete convolution of images.

- :data:`output_shape`: the output shape of a 2-D convolution in full, same and valid mode.
- :data:`convolve_full`: the full 2-D convolution with plain loops.
- :data:`convolve_same`: the 'same' output, centred exactly like ``scipy.signal.convolve2d``.
- :data:`normalize_sum`: scale a kernel to sum one, or refuse when its sum is near zero.
- :data:`strided_output_size`: the output length of a CNN layer with stride, padding, dilation.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from helpers.exercises import Case, Exercise, Mistake

SEED = 2


# ------------------------------------------------------------------------- output shape
def reference_output_shape(
    f_shape: tuple[int, int], g_shape: tuple[int, int], mode: str
) -> tuple[int, int]:
    """The shape of ``convolve(f, g, mode)`` for an image of ``f_shape`` and a kernel of
    ``g_shape`` (both (rows, columns))."""
    if mode == "full":
        return tuple(a + b - 1 for a, b in zip(f_shape, g_shape, strict=True))
    if mode == "same":
        return tuple(f_shape)
    # valid: where one array lies entirely inside the other (scipy swaps them when g is larger)
    return tuple(max(a, b) - min(a, b) + 1 for a, b in zip(f_shape, g_shape, strict=True))


def _shape_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    cases = []
    for mode in ("full", "same", "valid"):
        for _ in range(3):
            f_shape = tuple(int(n) for n in rng.integers(6, 40, size=2))
            g_shape = tuple(int(n) for n in rng.integers(1, 6, size=2))
            cases.append(
                Case(
                    f"a {g_shape} kernel on a {f_shape} image, mode {mode!r}",
                    (f_shape, g_shape, mode),
                )
            )
    cases.append(Case("a 1x1 kernel on a (5, 7) image, mode 'full'", ((5, 7), (1, 1), "full")))
    cases.append(Case("a (4, 6) kernel on a (4, 6) image, mode 'valid'", ((4, 6), (4, 6), "valid")))
    cases.append(
        Case("a (9, 8) kernel on a smaller (3, 2) image, mode 'valid'", ((3, 2), (9, 8), "valid"))
    )
    return cases


def _shape_full_plus(f_shape, g_shape, mode):
    if mode != "full":
        return reference_output_shape(f_shape, g_shape, mode)
    return tuple(a + b for a, b in zip(f_shape, g_shape, strict=True))


def _shape_valid_minus(f_shape, g_shape, mode):
    if mode != "valid":
        return reference_output_shape(f_shape, g_shape, mode)
    return tuple(a - b for a, b in zip(f_shape, g_shape, strict=True))


def _shape_valid_no_swap(f_shape, g_shape, mode):
    if mode != "valid":
        return reference_output_shape(f_shape, g_shape, mode)
    return tuple(a - b + 1 for a, b in zip(f_shape, g_shape, strict=True))


def _shape_transposed(f_shape, g_shape, mode):
    return tuple(reversed(reference_output_shape(f_shape, g_shape, mode)))


def _shape_same_as_kernel(f_shape, g_shape, mode):
    return tuple(g_shape) if mode == "same" else reference_output_shape(f_shape, g_shape, mode)


output_shape = Exercise(
    "output shape for full, same and valid",
    reference_output_shape,
    _shape_cases,
    hint=(
        "count the positions where the kernel touches the image (full), covers the "
        "centre of the output as large as f (same), or lies entirely inside (valid); "
        "do rows and columns separately."
    ),
    mistakes=[
        Mistake(
            "off by one in 'full' mode: the kernel's last row still overlaps the image's "
            "first row when it has slid n + w - 1 positions, not n + w.",
            _shape_full_plus,
        ),
        Mistake(
            "off by one in 'valid' mode: a kernel of w rows fits at n - w + 1 positions "
            "(a kernel as tall as the image fits once).",
            _shape_valid_minus,
        ),
        Mistake(
            "in 'valid' mode, when the kernel is larger than the image in every dimension, "
            "scipy swaps the two: the size is |n - w| + 1.",
            _shape_valid_no_swap,
        ),
        Mistake(
            "transposed axes: shapes are (rows, columns), keep that order in the answer.",
            _shape_transposed,
        ),
        Mistake(
            "'same' mode has the shape of the first array, the image f, not of the kernel.",
            _shape_same_as_kernel,
        ),
    ],
)


# ------------------------------------------------------------------------- full convolution
def reference_convolve_full(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Full 2-D convolution from the filter's side of the definition:
    out[x, y] = sum over x_g, y_g of g[x_g, y_g] f[x - x_g, y - y_g] (zeros outside f)."""
    n, m = f.shape  # the image: n rows, m columns
    w, h = g.shape  # the filter: size (w, h)
    out = np.zeros((n + w - 1, m + h - 1))
    for x in range(n + w - 1):
        for y in range(m + h - 1):
            total = 0.0
            for x_g in range(w):
                for y_g in range(h):
                    if 0 <= x - x_g < n and 0 <= y - y_g < m:
                        total += g[x_g, y_g] * f[x - x_g, y - y_g]
            out[x, y] = total
    return out


def _array_cases(even_last: bool = False) -> list[Case]:
    rng = np.random.default_rng(SEED)
    shapes = [((6, 7), (3, 3)), ((8, 5), (3, 2)), ((5, 9), (2, 4)), ((7, 7), (5, 5))]
    shapes += [((4, 6), (1, 1)), ((3, 4), (5, 6)), ((9, 8), (4, 4))]
    if even_last:
        shapes.sort(key=lambda pair: any(n % 2 == 0 for n in pair[1]))
    cases = []
    for f_shape, g_shape in shapes:
        f = rng.random(f_shape)
        g = rng.standard_normal(g_shape)
        cases.append(Case(f"a random {g_shape} kernel on a random {f_shape} image", (f, g)))
    return cases


def _convolve_cases() -> list[Case]:
    return _array_cases()


convolve_full = Exercise(
    "full 2-D convolution with loops",
    reference_convolve_full,
    _convolve_cases,
    hint=(
        "out[x, y] = sum of g[x_g, y_g] * f[x - x_g, y - y_g] over the taps of g, "
        "skipping the f indices that fall outside the image; the output has (n + w - "
        "1) x (m + h - 1) entries."
    ),
    mistakes=[
        Mistake(
            "your output is the right shape but the kernel is flipped: you computed "
            "cross-correlation (f[x + x_g, y + y_g]). Convolution reads the image at "
            "f[x - x_g, y - y_g].",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="full"),
        ),
        Mistake(
            "transposed axes: the kernel's rows and columns are swapped (g[j, i] instead of "
            "g[i, j]). Index arrays as [row, column].",
            lambda f, g: scipy.signal.convolve2d(f, g.T, mode="full"),
        ),
        Mistake(
            "off by one: the full output has n + w - 1 rows and m + h - 1 columns, "
            "one row and column less than yours.",
            lambda f, g: np.pad(scipy.signal.convolve2d(f, g, mode="full"), ((0, 1), (0, 1))),
        ),
        Mistake(
            "off by one: the full output has n + w - 1 rows and m + h - 1 columns; yours "
            "misses the last row and column.",
            lambda f, g: scipy.signal.convolve2d(f, g, mode="full")[:-1, :-1],
        ),
        Mistake(
            "you computed the 'valid' part only (where the kernel lies inside the image); "
            "'full' also keeps every partial overlap, treating pixels outside f as zeros.",
            lambda f, g: scipy.signal.convolve2d(f, g, mode="valid"),
        ),
    ],
)


# ------------------------------------------------------------------------- same mode
def reference_convolve_same(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The 'same' output: the centre of the full convolution, as large as f.

    For a filter of size (w, h) (w rows, h columns) scipy starts it at row (w - 1) // 2 and
    column (h - 1) // 2 of the full output: for an even size, the upper-left of the two middle
    positions.
    """
    full = scipy.signal.convolve2d(f, g, mode="full")
    top = (g.shape[0] - 1) // 2
    left = (g.shape[1] - 1) // 2
    return full[top : top + f.shape[0], left : left + f.shape[1]]


def _same_cases() -> list[Case]:
    return _array_cases(even_last=True)


def _same_centred_down(f, g):
    full = scipy.signal.convolve2d(f, g, mode="full")
    top, left = g.shape[0] // 2, g.shape[1] // 2
    return full[top : top + f.shape[0], left : left + f.shape[1]]


convolve_same = Exercise(
    "'same' convolution, centred like scipy",
    reference_convolve_same,
    _same_cases,
    hint=(
        "compute the full convolution, then cut out an n x m window starting at row "
        "(w - 1) // 2 and column (h - 1) // 2."
    ),
    mistakes=[
        Mistake(
            "wrong 'same' centring for an even kernel: start the crop of the full output at "
            "row (w - 1) // 2 and column (h - 1) // 2 for a (w, h) kernel, not w // 2 and h // 2.",
            _same_centred_down,
        ),
        Mistake(
            "you returned the full output; 'same' keeps only its centre, as large as f.",
            lambda f, g: scipy.signal.convolve2d(f, g, mode="full"),
        ),
        Mistake(
            "your output is the right shape but the kernel is flipped: you computed "
            "cross-correlation instead of convolution.",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="same"),
        ),
        Mistake(
            "you cropped the upper-left corner of the full output; 'same' is its centre.",
            lambda f, g: scipy.signal.convolve2d(f, g, mode="full")[: f.shape[0], : f.shape[1]],
        ),
    ],
)


# ------------------------------------------------------------------------- normalize to sum one
def reference_normalize_sum(g: np.ndarray) -> np.ndarray:
    """Scale g to sum one; return it unchanged when its sum is too close to zero to divide.

    "Too close" means |sum(g)| <= 1e-3 * sum(|g|), which includes the all-zero kernel: a
    kernel that sums to (nearly) zero, like an edge detector, cannot be made to sum to one.
    """
    total = g.sum()
    if abs(total) <= 1e-3 * np.abs(g).sum():
        return g
    return g / total


def _normalize_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    sobel = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    cases = [
        Case("a 3x3 box of ones", (np.ones((3, 3)),)),
        Case("a random positive 5x5 kernel", (rng.random((5, 5)),)),
        Case("a random 4x3 kernel with both signs", (rng.standard_normal((4, 3)) + 0.5,)),
        Case("a kernel whose sum is negative", (-rng.random((3, 3)),)),
        Case("a 1x1 kernel", (np.array([[2.5]]),)),
        Case("a Sobel kernel plus 1e-6 (its sum is near zero but not zero)", (sobel + 1e-6,)),
        Case("a Sobel kernel (it sums to zero)", (sobel,)),
        Case("an all-zero 3x3 kernel", (np.zeros((3, 3)),)),
    ]
    return cases


def _normalize_divides_anyway(g):
    with np.errstate(divide="ignore", invalid="ignore"):
        return g / g.sum()


def _normalize_by_abs(g):
    weight = np.abs(g).sum()
    return g if weight == 0 else g / weight


def _normalize_by_norm(g):
    norm = np.linalg.norm(g)
    return g if norm == 0 else g / norm


normalize_sum = Exercise(
    "normalize a kernel to sum one, refusing near-zero sums",
    reference_normalize_sum,
    _normalize_cases,
    hint=(
        "divide by the sum, but first test whether the sum is too close to zero "
        "compared with the sum of absolute values; then return the kernel unchanged."
    ),
    mistakes=[
        Mistake(
            "this kernel's sum is (nearly) zero: dividing by it blows the entries up, or "
            "gives NaN. Refuse and return the kernel unchanged when "
            "|sum(g)| <= 1e-3 * sum(|g|) (not only when the sum is exactly zero).",
            _normalize_divides_anyway,
        ),
        Mistake(
            "you divided by the sum of absolute values (the L1 norm); with negative entries "
            "the kernel then does not sum to one. Divide by the plain sum.",
            _normalize_by_abs,
        ),
        Mistake(
            "you divided by the L2 norm (unit energy); summing to one needs the plain sum.",
            _normalize_by_norm,
        ),
    ],
)


# ------------------------------------------------------------------------- stride and dilation
def reference_strided_output_size(
    n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Output length of a CNN layer (torch.nn.functional.conv2d) along one axis.

    A dilated kernel of k taps spans dilation * (k - 1) + 1 pixels; it fits in the padded
    input n + 2 * padding at floor((n + 2 p - span) / stride) + 1 positions.
    """
    span = dilation * (k - 1) + 1
    return (n + 2 * padding - span) // stride + 1


def _strided_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    cases = [Case("n=28, k=5, no stride, padding or dilation", (28, 5))]
    cases.append(Case("n=28, k=3, stride 2", (28, 3), {"stride": 2}))
    cases.append(Case("n=32, k=3, padding 1", (32, 3), {"padding": 1}))
    cases.append(Case("n=32, k=3, dilation 2", (32, 3), {"dilation": 2}))
    for _ in range(8):
        n, k = int(rng.integers(16, 64)), int(rng.integers(1, 6))
        stride, padding, dilation = (int(v) for v in rng.integers(1, 4, size=3))
        cases.append(
            Case(
                f"n={n}, k={k}, stride {stride}, padding {padding}, dilation {dilation}",
                (n, k),
                {"stride": stride, "padding": padding, "dilation": dilation},
            )
        )
    return cases


strided_output_size = Exercise(
    "output size with stride, padding and dilation",
    reference_strided_output_size,
    _strided_cases,
    hint=(
        "a kernel of k taps with dilation d spans d (k - 1) + 1 pixels; count how "
        "many starting positions, s pixels apart, fit in the padded length n + 2p."
    ),
    mistakes=[
        Mistake(
            "you forgot the dilation: a kernel of k taps with dilation d spans "
            "d * (k - 1) + 1 pixels, not k.",
            lambda n, k, stride=1, padding=0, dilation=1: (n + 2 * padding - k) // stride + 1,
        ),
        Mistake(
            "padding is added on both sides: the padded length is n + 2 * padding.",
            lambda n, k, stride=1, padding=0, dilation=1: (
                (n + padding - dilation * (k - 1) - 1) // stride + 1
            ),
        ),
        Mistake(
            "off by one: count the positions, floor((n + 2p - span) / stride) + 1 (the first "
            "position counts too).",
            lambda n, k, stride=1, padding=0, dilation=1: (
                (n + 2 * padding - dilation * (k - 1) - 1) // stride
            ),
        ),
        Mistake(
            "the division must round down (a last partial stride gives no output): use //.",
            lambda n, k, stride=1, padding=0, dilation=1: (
                (n + 2 * padding - dilation * (k - 1) - 1) / stride + 1
            ),
        ),
    ],
)

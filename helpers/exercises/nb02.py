"""Exercises of notebook 02, discrete convolution of images.

- :data:`output_shape`: the output shape of a 2-D convolution in full, same and valid mode.
- :data:`convolve_full`: the full 2-D convolution with plain loops.
- :data:`convolve_same`: the 'same' output, centred exactly like ``scipy.signal.convolve2d``.
- :data:`normalize_sum`: scale a kernel to sum one, or refuse when its sum is near zero.
- :data:`strided_output_size`: the output length of a CNN layer with stride, padding, dilation.
- :data:`sharpen_kernel`: design a sharpening kernel that sums to one (unsharp masking).
- :data:`derivative_kernel`: design a derivative kernel that sums to zero.
- :data:`shift_kernel`: design the kernel that moves the image 2 pixels right, under convolution
  and under correlation.

Notation, rows first: an image f of shape (H, W), a kernel g of shape (kh, kw), taps g[a, b].
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
            "off by one in 'full' mode: a kernel of kh rows overlaps an image of H rows at "
            "H + kh - 1 positions, not H + kh (the same for columns).",
            _shape_full_plus,
        ),
        Mistake(
            "off by one in 'valid' mode: a kernel of kh rows fits in H rows at H - kh + 1 "
            "positions (a kernel as tall as the image fits once).",
            _shape_valid_minus,
        ),
        Mistake(
            "in 'valid' mode, when the kernel is larger than the image in every dimension, "
            "scipy swaps the two: the size is |H - kh| + 1 rows by |W - kw| + 1 columns.",
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
    """Full 2-D convolution from the kernel's side of the definition:
    out[i, j] = sum over a, b of g[a, b] f[i - a, j - b] (zeros outside f)."""
    H, W = f.shape  # the image: H rows, W columns
    kh, kw = g.shape  # the kernel: kh rows, kw columns
    out = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(H + kh - 1):
        for j in range(W + kw - 1):
            total = 0.0
            for a in range(kh):
                for b in range(kw):
                    if 0 <= i - a < H and 0 <= j - b < W:
                        total += g[a, b] * f[i - a, j - b]
            out[i, j] = total
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
        "out[i, j] = sum of g[a, b] * f[i - a, j - b] over the taps of g, skipping the "
        "f indices that fall outside the image; the output has (H + kh - 1) x (W + kw - 1) "
        "entries."
    ),
    mistakes=[
        Mistake(
            "your output is the right shape but the kernel is flipped: you computed "
            "cross-correlation (f[i + a, j + b]). Convolution reads the image at "
            "f[i - a, j - b].",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="full"),
        ),
        Mistake(
            "transposed axes: the kernel's rows and columns are swapped (g[j, i] instead of "
            "g[i, j]). Index arrays as [row, column].",
            lambda f, g: scipy.signal.convolve2d(f, g.T, mode="full"),
        ),
        Mistake(
            "off by one: the full output has H + kh - 1 rows and W + kw - 1 columns, "
            "one row and column less than yours.",
            lambda f, g: np.pad(scipy.signal.convolve2d(f, g, mode="full"), ((0, 1), (0, 1))),
        ),
        Mistake(
            "off by one: the full output has H + kh - 1 rows and W + kw - 1 columns; yours "
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

    For a kernel of shape (kh, kw) scipy starts it at row (kh - 1) // 2 and column
    (kw - 1) // 2 of the full output: for an even size, the upper-left of the two middle
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
        "compute the full convolution, then cut out an H x W window starting at row "
        "(kh - 1) // 2 and column (kw - 1) // 2."
    ),
    mistakes=[
        Mistake(
            "wrong 'same' centring for an even kernel: start the crop of the full output at "
            "row (kh - 1) // 2 and column (kw - 1) // 2 for a (kh, kw) kernel, not kh // 2 and "
            "kw // 2 (that is where correlate2d and torch's padding='same' start).",
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
    """Output length of a CNN layer (torch.nn.functional.conv2d) along one axis of n pixels.

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


# ------------------------------------------------------------------------- design: sharpen
def _centre_delta(shape: tuple[int, int]) -> np.ndarray:
    delta = np.zeros(shape)
    delta[shape[0] // 2, shape[1] // 2] = 1.0
    return delta


def reference_sharpen(blur: np.ndarray, amount: float) -> np.ndarray:
    """Unsharp masking in one kernel: the image plus ``amount`` times its detail.

    The detail is the image minus its blur, ``delta - blur``, with ``delta`` the identity
    kernel (a 1 at the centre). The blur sums to one, so the detail sums to zero and the
    sharpening kernel ``delta + amount * (delta - blur)`` sums to one: it keeps the mean
    brightness, whatever the amount.
    """
    delta = np.zeros(blur.shape)
    delta[blur.shape[0] // 2, blur.shape[1] // 2] = 1.0  # the identity: the image itself
    return delta + amount * (delta - blur)


def _sharpen_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    offsets = np.arange(5) - 2
    gauss = np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / 2.0)
    random_blur = rng.random((3, 3))
    return [
        Case("a 3x3 box blur, amount 1", (np.full((3, 3), 1 / 9), 1.0)),
        Case("a 5x5 Gaussian blur, amount 0.5", (gauss / gauss.sum(), 0.5)),
        Case("a random 3x3 blur summing to one, amount 2", (random_blur / random_blur.sum(), 2.0)),
        Case("a 5x5 box blur, amount 0 (no sharpening)", (np.full((5, 5), 1 / 25), 0.0)),
        Case("a 7x7 box blur, amount 1.5", (np.full((7, 7), 1 / 49), 1.5)),
    ]


def _corner_delta_sharpen(blur, amount):
    delta = np.zeros(blur.shape)
    delta[0, 0] = 1.0
    return delta + amount * (delta - blur)


sharpen_kernel = Exercise(
    "a sharpening kernel that sums to one",
    reference_sharpen,
    _sharpen_cases,
    hint=(
        "the detail of an image is the image minus its blur; as kernels, the image is the "
        "identity (a 1 at the centre) and the detail is identity - blur. Sharpening adds "
        "`amount` times the detail to the image."
    ),
    mistakes=[
        Mistake(
            "your kernel sums to zero: it is only the detail, an edge filter that removes the "
            "mean brightness. Add the image itself, the identity (a 1 at the centre), so that "
            "the kernel sums to one.",
            lambda blur, amount: amount * (_centre_delta(blur.shape) - blur),
        ),
        Mistake(
            "you subtracted the detail: identity - amount * (identity - blur) moves the image "
            "toward its blur, it blurs more. Sharpening adds the detail.",
            lambda blur, amount: (
                _centre_delta(blur.shape) - amount * (_centre_delta(blur.shape) - blur)
            ),
        ),
        Mistake(
            "you added the blur, not the detail: the kernel sums to 1 + amount and brightens "
            "the image. The detail is identity - blur.",
            lambda blur, amount: _centre_delta(blur.shape) + amount * blur,
        ),
        Mistake(
            "your identity has its 1 in the top-left corner: in 'same' mode that moves the "
            "image. The identity has its 1 at the centre, [kh // 2, kw // 2].",
            _corner_delta_sharpen,
        ),
    ],
)


# ------------------------------------------------------------------------- design: derivative
def reference_derivative(smoothing: np.ndarray) -> np.ndarray:
    """A 3x3 kernel that, applied by correlation (as a CNN layer does), measures the slope
    along the columns, df/dj, in gray levels per pixel, smoothing the rows with ``smoothing``.

    Row a of the kernel is ``smoothing[a] * [-1/2, 0, 1/2]``: the central difference
    (f[i, j + 1] - f[i, j - 1]) / 2, averaged over three rows. It sums to zero, so a constant
    image gives 0; on a ramp f[i, j] = c + s j it gives s, whatever c.
    """
    central = np.array([-0.5, 0.0, 0.5])  # correlation reads f[.., j - 1], f[.., j], f[.., j + 1]
    return np.outer(smoothing, central)


def _derivative_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    weights = rng.random(3)
    return [
        Case("no smoothing: weights [0, 1, 0]", (np.array([0.0, 1.0, 0.0]),)),
        Case("Sobel's weights [1, 2, 1] / 4", (np.array([1.0, 2.0, 1.0]) / 4,)),
        Case("Prewitt's weights [1, 1, 1] / 3", (np.full(3, 1 / 3),)),
        Case("random weights summing to one", (weights / weights.sum(),)),
    ]


derivative_kernel = Exercise(
    "a derivative kernel that sums to zero",
    reference_derivative,
    _derivative_cases,
    hint=(
        "the slope along a row is about (f[i, j + 1] - f[i, j - 1]) / 2; under correlation "
        "the kernel's columns 0, 1, 2 meet the image's columns j - 1, j, j + 1. Weight the "
        "three rows by `smoothing`."
    ),
    mistakes=[
        Mistake(
            "your kernel measures minus the slope under correlation: it is the kernel for "
            "convolution, which flips it. Correlation meets column j - 1 with the kernel's "
            "left column: put -1/2 there and +1/2 on the right.",
            lambda s: np.outer(s, [0.5, 0.0, -0.5]),
        ),
        Mistake(
            "your kernel gives twice the slope: f[i, j + 1] - f[i, j - 1] spans two pixels; "
            "divide the difference by 2.",
            lambda s: np.outer(s, [-1.0, 0.0, 1.0]),
        ),
        Mistake(
            "that measures the slope down the rows, df/di: rows come first, so the change "
            "along the columns lies along each row of the kernel. Transpose it.",
            lambda s: np.outer([-0.5, 0.0, 0.5], s),
        ),
        Mistake(
            "a forward difference f[i, j + 1] - f[i, j] sums to zero too, but it measures the "
            "slope half a pixel to the right of j; use the central difference, centred on j.",
            lambda s: np.outer(s, [0.0, -1.0, 1.0]),
        ),
    ],
)


# ------------------------------------------------------------------------- design: shift
def reference_shift_kernel(size: int, operation: str) -> np.ndarray:
    """The size x size kernel (size odd) that moves an image 2 pixels right in 'same' mode:
    out[i, j] = f[i, j - 2], under ``operation`` "convolution" or "correlation".

    In 'same' mode the centre tap (c, c), c = size // 2, leaves the image in place. Convolution
    reads f[i - (a - c), j - (b - c)] at tap (a, b), so the 1 goes to column c + 2; correlation
    reads f[i + (a - c), j + (b - c)], so it goes to column c - 2: the flip.
    """
    g = np.zeros((size, size))
    c = size // 2
    g[c, c + 2 if operation == "convolution" else c - 2] = 1.0
    return g


def _shift_cases() -> list[Case]:
    cases = []
    for size in (5, 7, 9):
        for operation in ("convolution", "correlation"):
            cases.append(Case(f"a {size}x{size} kernel under {operation}", (size, operation)))
    return cases


def _shift_by(size: int, row: int, column: int) -> np.ndarray:
    g = np.zeros((size, size))
    g[size // 2 + row, size // 2 + column] = 1.0
    return g


shift_kernel = Exercise(
    "the kernel that moves the image 2 pixels right",
    reference_shift_kernel,
    _shift_cases,
    hint=(
        "a kernel with a single 1 copies one pixel; in 'same' mode the 1 at the centre "
        "copies f[i, j] itself. Write out which pixel of f tap (a, b) meets in "
        "(f * g)[i, j] and in (f ⋆ g)[i, j], and choose the tap that meets f[i, j - 2]."
    ),
    mistakes=[
        Mistake(
            "your kernel moves the image 2 pixels LEFT under this operation: convolution flips "
            "the kernel and correlation does not, so the two need mirror-image kernels. Under "
            "convolution tap (c, c + 2) meets f[i, j - 2]; under correlation tap (c, c - 2) does.",
            lambda size, operation: reference_shift_kernel(
                size, "correlation" if operation == "convolution" else "convolution"
            ),
        ),
        Mistake(
            "your kernel moves the image up or down: rows come first, [row, column]. A move to "
            "the right changes the column: keep the 1 in the centre row.",
            lambda size, operation: _shift_by(size, 2 if operation == "convolution" else -2, 0),
        ),
        Mistake(
            "your kernel moves the image by 1 pixel, not 2: put the 1 two columns from the centre.",
            lambda size, operation: _shift_by(size, 0, 1 if operation == "convolution" else -1),
        ),
        Mistake(
            "your 1 is in column 2 counted from the kernel's left edge; in 'same' mode offsets "
            "count from the centre tap (size // 2, size // 2), the one that does not move the "
            "image: a move of 2 puts the 1 two columns from the centre.",
            lambda size, operation: _shift_by(size, 0, 2 - size // 2),
        ),
    ],
)

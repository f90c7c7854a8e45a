"""Exercises of notebook 02, discrete convolution of images.

- :data:`output_shape`: the output shape of a 2-D convolution in full, same and valid mode.
- :data:`correlate_full`: the full 2-D cross-correlation with plain loops.
- :data:`correlate_same`: the 'same' correlation, placed exactly like ``scipy.signal.correlate2d``.
- :data:`normalize_sum`: scale a kernel to sum one, or refuse when its sum is near zero.
- :data:`same_padding`: the zeros before and after an axis that keep a layer's output size,
  split as ``torch``'s ``padding='same'`` splits them.
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
    ``g_shape`` (both (rows, columns)), as ``scipy.signal.convolve2d`` gives it."""
    if mode == "full":
        return tuple(a + b - 1 for a, b in zip(f_shape, g_shape, strict=True))
    if mode == "same":
        return tuple(f_shape)
    # valid: where one array lies entirely inside the other; scipy swaps them when g is the
    # larger in every dimension, and refuses a kernel larger in one dimension only
    f_larger = all(a >= b for a, b in zip(f_shape, g_shape, strict=True))
    g_larger = all(a <= b for a, b in zip(f_shape, g_shape, strict=True))
    if not (f_larger or g_larger):
        raise ValueError("in 'valid' mode one array must be at least as large as the other")
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


def _shape_valid_clamped(f_shape, g_shape, mode):
    if mode != "valid":
        return reference_output_shape(f_shape, g_shape, mode)
    return tuple(max(0, a - b + 1) for a, b in zip(f_shape, g_shape, strict=True))


def _shape_transposed(f_shape, g_shape, mode):
    return tuple(reversed(reference_output_shape(f_shape, g_shape, mode)))


def _shape_same_as_kernel(f_shape, g_shape, mode):
    return tuple(g_shape) if mode == "same" else reference_output_shape(f_shape, g_shape, mode)


output_shape = Exercise(
    "output shape for full, same and valid",
    reference_output_shape,
    _shape_cases,
    hint=(
        "slide a kernel of kh rows down an image of H rows: at how many positions do the two "
        "overlap at all (full)? At how many does the kernel lie entirely inside (valid)? As "
        "large as which array is 'same'? Then count the columns the same way."
    ),
    mistakes=[
        Mistake(
            "your 'full' shapes are one row and one column too large. At how many positions "
            "does a kernel of 1 row overlap an image of H rows?",
            _shape_full_plus,
        ),
        Mistake(
            "your 'valid' shapes are one row and one column too small: a kernel as tall as the "
            "image still fits once.",
            _shape_valid_minus,
        ),
        Mistake(
            "your 'valid' shape is negative for a kernel larger than the image: scipy then "
            "swaps the two arrays and slides the image inside the kernel (the table's footnote).",
            _shape_valid_no_swap,
        ),
        Mistake(
            "your 'valid' output is empty for a kernel larger than the image; scipy swaps the "
            "two arrays instead and slides the image inside the kernel (the table's footnote).",
            _shape_valid_clamped,
        ),
        Mistake(
            "your shapes have rows and columns swapped: a shape is (rows, columns).",
            _shape_transposed,
        ),
        Mistake(
            "your 'same' shape is the kernel's; 'same' is as large as the first array, the "
            "image f.",
            _shape_same_as_kernel,
        ),
    ],
)


# ------------------------------------------------------------------------- full correlation
def reference_correlate_full(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Full 2-D cross-correlation, with loops: the kernel slid without a flip,
    out[i, j] = sum over a, b of g[a, b] f[i + a - (kh - 1), j + b - (kw - 1)] (zeros outside f),
    for every position where g and f overlap at all: (H + kh - 1) x (W + kw - 1) outputs."""
    H, W = f.shape  # the image: H rows, W columns
    kh, kw = g.shape  # the kernel: kh rows, kw columns
    out = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(H + kh - 1):
        for j in range(W + kw - 1):
            total = 0.0
            for a in range(kh):
                for b in range(kw):
                    m, n = (
                        i + a - (kh - 1),
                        j + b - (kw - 1),
                    )  # output (0, 0): g's last tap on f[0, 0]
                    if 0 <= m < H and 0 <= n < W:
                        total += g[a, b] * f[m, n]
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


def _correlate_cases() -> list[Case]:
    return _array_cases()


def _correlate_wrapping(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The loops with only the upper bounds checked: numpy reads f[-1] as the last row."""
    H, W = f.shape
    kh, kw = g.shape
    out = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(H + kh - 1):
        for j in range(W + kw - 1):
            for a in range(kh):
                for b in range(kw):
                    m, n = i + a - (kh - 1), j + b - (kw - 1)
                    if m < H and n < W:
                        out[i, j] += g[a, b] * f[m, n]
    return out


def _correlate_unshifted(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Windows starting at f[i, j], as in 'valid' mode, on an output of the full size."""
    kh, kw = g.shape
    full = scipy.signal.correlate2d(f, g, mode="full")
    return np.pad(full[kh - 1 :, kw - 1 :], ((0, kh - 1), (0, kw - 1)))


correlate_full = Exercise(
    "full 2-D cross-correlation with loops",
    reference_correlate_full,
    _correlate_cases,
    hint=(
        "start from the four loops of `convolve_loops`. What changes when the kernel is not "
        "flipped: which pixel of f does tap g[a, b] meet at output (i, j)? At output (0, 0), "
        "which tap lies on f[0, 0]?"
    ),
    mistakes=[
        Mistake(
            "your output is the convolution of f with g: your loops read the kernel backwards "
            "(flipped), as convolution does.",
            lambda f, g: scipy.signal.convolve2d(f, g, mode="full"),
        ),
        Mistake(
            "your output is the correlation with the kernel's rows and columns swapped "
            "(g[b, a] instead of g[a, b]): arrays are indexed [row, column].",
            lambda f, g: scipy.signal.correlate2d(f, g.T, mode="full"),
        ),
        Mistake(
            "your output has one row and one column too many: the full output has "
            "H + kh - 1 rows and W + kw - 1 columns.",
            lambda f, g: np.pad(scipy.signal.correlate2d(f, g, mode="full"), ((0, 1), (0, 1))),
        ),
        Mistake(
            "your output misses the last row and column: it has H + kh - 1 rows and "
            "W + kw - 1 columns, the last where only the kernel's first tap meets f.",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="full")[:-1, :-1],
        ),
        Mistake(
            "your output is only the 'valid' part, where the kernel lies inside the image; "
            "'full' also keeps every partial overlap, with zeros outside f.",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="valid"),
        ),
        Mistake(
            "your output is the right one moved up by kh - 1 rows and left by kw - 1 columns: "
            "each window starts at f[i, j], as in 'valid' mode. In 'full' mode output (0, 0) "
            "already has the kernel's last tap on f[0, 0].",
            _correlate_unshifted,
        ),
        Mistake(
            "near the top and the left border your sums took pixels from the bottom and the "
            "right of f: numpy reads a negative index such as f[-1, n] as the last row. Which "
            "indices lie inside the image?",
            _correlate_wrapping,
        ),
    ],
)


# ------------------------------------------------------------------------- same mode
def reference_correlate_same(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The 'same' correlation of ``scipy.signal.correlate2d``: the H x W window of the full
    correlation that starts at row kh // 2 and column kw // 2 (for an even size the lower-right
    of the two middle positions; convolve2d takes the upper-left one, (kh - 1) // 2)."""
    full = scipy.signal.correlate2d(f, g, mode="full")
    top, left = g.shape[0] // 2, g.shape[1] // 2
    return full[top : top + f.shape[0], left : left + f.shape[1]]


def _same_cases() -> list[Case]:
    return _array_cases(even_last=True)


def _same_started_like_convolve2d(f, g):
    full = scipy.signal.correlate2d(f, g, mode="full")
    top, left = (g.shape[0] - 1) // 2, (g.shape[1] - 1) // 2
    return full[top : top + f.shape[0], left : left + f.shape[1]]


correlate_same = Exercise(
    "'same' correlation, placed like scipy",
    reference_correlate_same,
    _same_cases,
    hint=(
        "the 'same' output is an H x W window of the full correlation (exercise 2). For an odd "
        "kernel it is the centred window. Where does it start for an even kernel? Try a 2 x 2 "
        "kernel on a small image with scipy.signal.correlate2d, and compare."
    ),
    mistakes=[
        Mistake(
            "for an even kernel your window sits one pixel up (even height) or left (even "
            "width) of correlate2d's: you started it at (kh - 1) // 2, where convolve2d starts.",
            _same_started_like_convolve2d,
        ),
        Mistake(
            "you returned the full output; 'same' keeps an H x W window of it.",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="full"),
        ),
        Mistake(
            "your output is the convolution: the kernel was flipped. Correlation slides it as "
            "it is.",
            lambda f, g: scipy.signal.convolve2d(f, g, mode="same"),
        ),
        Mistake(
            "your window is the upper-left corner of the full output, shifted up and left of "
            "the middle.",
            lambda f, g: scipy.signal.correlate2d(f, g, mode="full")[: f.shape[0], : f.shape[1]],
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
    big_sobel = 1000 * sobel
    big_sobel[0, 0] += 0.5  # sums to 0.5, next to entries of 1000 and 2000
    cases = [
        Case("a 3x3 box of ones", (np.ones((3, 3)),)),
        Case("a random positive 5x5 kernel", (rng.random((5, 5)),)),
        Case("a random 4x3 kernel with both signs", (rng.standard_normal((4, 3)) + 0.5,)),
        Case("a kernel whose sum is negative", (-rng.random((3, 3)),)),
        Case("a 1x1 kernel", (np.array([[2.5]]),)),
        Case("a Sobel kernel (it sums to zero)", (sobel,)),
        Case("a Sobel kernel plus 1e-6 (its sum is near zero but not zero)", (sobel + 1e-6,)),
        Case("an all-zero 3x3 kernel", (np.zeros((3, 3)),)),
        Case(
            "a 3x3 box of 1e-4 (its sum 9e-4 is as large as its entries allow)",
            (np.full((3, 3), 1e-4),),
        ),
        Case(
            "Sobel x 1000 with 0.5 added to one entry (its sum 0.5 is tiny beside them)",
            (big_sobel,),
        ),
    ]
    return cases


def _too_small(g: np.ndarray) -> bool:
    return abs(g.sum()) <= 1e-3 * np.abs(g).sum()


def _normalize_divides_anyway(g):
    with np.errstate(divide="ignore", invalid="ignore"):
        return g / g.sum()


def _normalize_by_abs(g):
    weight = np.abs(g).sum()
    return g if weight == 0 else g / weight


def _normalize_by_norm(g):
    norm = np.linalg.norm(g)
    return g if norm == 0 else g / norm


def _normalize_absolute(g):
    return g if abs(g.sum()) <= 1e-3 else g / g.sum()


def _normalize_signed(g):
    return g if g.sum() <= 1e-3 * np.abs(g).sum() else g / g.sum()


normalize_sum = Exercise(
    "normalize a kernel to sum one, refusing near-zero sums",
    reference_normalize_sum,
    _normalize_cases,
    hint=(
        "what does dividing by the sum do to a kernel whose sum is 0, or 1e-9? And is a sum "
        "of 0.001 small for a kernel whose entries are about 1000, or about 0.0001?"
    ),
    mistakes=[
        Mistake(
            "your function divided a kernel whose sum is (nearly) zero by that sum: its entries "
            "blew up, or became NaN. The test |sum(g)| <= 1e-3 * sum(|g|) catches near-zero "
            "sums, not only an exact zero.",
            _normalize_divides_anyway,
        ),
        Mistake(
            "your kernel does not sum to one: you divided by the sum of absolute values (the "
            "L1 norm), which differs from the sum when entries are negative.",
            _normalize_by_abs,
        ),
        Mistake(
            "your kernel has unit energy (you divided by the L2 norm), but it does not sum to one.",
            _normalize_by_norm,
        ),
        Mistake(
            "your test of 'too close to zero' compares the sum with a fixed number, 1e-3: it "
            "refused a kernel of tiny entries whose sum is as large as they allow, or divided a "
            "kernel of huge entries by a sum that is nothing beside them. Compare the sum with "
            "the kernel's own size, sum(|g|).",
            _normalize_absolute,
        ),
        Mistake(
            "your function refused a kernel whose sum is negative: that sum is far from zero, "
            "only below it. Is 'too close to zero' about the sum's sign, or its size?",
            _normalize_signed,
        ),
        Mistake(
            "to refuse, return the kernel itself, unchanged, not None: the caller still needs "
            "a kernel to use.",
            lambda g: None if _too_small(g) else g / g.sum(),
        ),
    ],
)


# ------------------------------------------------------------------------- padding 'same'
def reference_same_padding(k: int, dilation: int = 1) -> tuple[int, int]:
    """The zeros (before, after) to add along one axis so that a layer with stride 1, a kernel
    of k taps and ``dilation`` outputs as many pixels as it gets, split as torch's
    ``padding='same'`` splits them: half before (rounded down), the rest after.

    With P zeros in all, n + P - span + 1 positions fit (span = dilation * (k - 1) + 1), so
    P = span - 1 = dilation * (k - 1).
    """
    total = dilation * (k - 1)
    return (total // 2, total - total // 2)


def _padding_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    cases = [
        Case("k = 3", (3,)),
        Case("k = 4 (even)", (4,)),
        Case("k = 1", (1,)),
        Case("k = 2, dilation 3", (2,), {"dilation": 3}),
        Case("k = 3, dilation 2", (3,), {"dilation": 2}),
        Case("k = 6, dilation 1", (6,), {"dilation": 1}),
    ]
    for _ in range(4):
        k, dilation = int(rng.integers(1, 8)), int(rng.integers(1, 5))
        cases.append(Case(f"k = {k}, dilation {dilation}", (k,), {"dilation": dilation}))
    return cases


def _padding_split(total: int) -> tuple[int, int]:
    return (total // 2, total - total // 2)


same_padding = Exercise(
    "the padding that keeps the size, split like torch",
    reference_same_padding,
    _padding_cases,
    hint=(
        "with P zeros in all, how many positions does a stride-1 layer fit in n + P pixels "
        "(the formula above, with s = 1)? Which P makes that n? And when P is odd, where does "
        "torch put the extra zero (the section on even kernels)?"
    ),
    mistakes=[
        Mistake(
            "your padding fits the kernel without its holes: with dilation d the k taps span "
            "d (k - 1) + 1 pixels, and the layer's output would be smaller than its input.",
            lambda k, dilation=1: _padding_split(k - 1),
        ),
        Mistake(
            "for an odd total your extra zero goes before the image (top, left); torch puts it "
            "after (bottom, right), the correlate2d choice of the even-kernel section.",
            lambda k, dilation=1: tuple(reversed(_padding_split(dilation * (k - 1)))),
        ),
        Mistake(
            "with your padding the layer outputs n + 1 pixels: your zeros add up to the whole "
            "span (or half the span on each side of an even one), but a kernel that spans that "
            "many pixels fits n + P - span + 1 times in n + P pixels.",
            lambda k, dilation=1: _padding_split(dilation * (k - 1) + 1),
        ),
        Mistake(
            "with your padding the layer's output is not n pixels: a dilated kernel of k taps "
            "spans d (k - 1) + 1 pixels, not d k.",
            lambda k, dilation=1: _padding_split(dilation * k - 1),
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


def _diagonal_sharpen(blur, amount):
    eye = np.eye(blur.shape[0])
    return eye + amount * (eye - blur)


sharpen_kernel = Exercise(
    "a sharpening kernel that sums to one",
    reference_sharpen,
    _sharpen_cases,
    hint=(
        "which kernel gives back the image unchanged, and which gives the blurred image? "
        "Kernels add like the images they make, so the detail, image - blurred image, is a "
        "kernel too. What kernel is image + amount x detail?"
    ),
    mistakes=[
        Mistake(
            "your kernel sums to zero: on a photo it would keep only the edges, on a black "
            "background, and drop the image itself. Where is the image in your kernel?",
            lambda blur, amount: amount * (_centre_delta(blur.shape) - blur),
        ),
        Mistake(
            "your kernel blurs more: identity - amount * (identity - blur) moves the image "
            "toward its blur instead of away from it.",
            lambda blur, amount: (
                _centre_delta(blur.shape) - amount * (_centre_delta(blur.shape) - blur)
            ),
        ),
        Mistake(
            "your kernel sums to 1 + amount: it adds the blurred image, not the detail, and "
            "makes the photo brighter by that factor.",
            lambda blur, amount: _centre_delta(blur.shape) + amount * blur,
        ),
        Mistake(
            "your kernel moves the image: its 1 sits in the top-left corner, and in 'same' mode "
            "a tap off the centre copies a pixel from up and to the left.",
            _corner_delta_sharpen,
        ),
        Mistake(
            "your 'identity' is a diagonal of ones (np.eye): as a kernel it adds up the pixels "
            "along a diagonal, smearing the image and multiplying its brightness by the "
            "kernel's sum, which is not one.",
            _diagonal_sharpen,
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
        "under correlation the kernel's columns 0, 1, 2 meet the image's columns j - 1, j, "
        "j + 1. Which combination of f at those three columns gives s on a ramp c + s j, and "
        "2 j on f = j squared?"
    ),
    mistakes=[
        Mistake(
            "on a ramp of slope s your kernel answers -s: it is the kernel for convolution, "
            "which flips it before use.",
            lambda s: np.outer(s, [0.5, 0.0, -0.5]),
        ),
        Mistake(
            "on a ramp of slope s your kernel answers 2 s: the difference f[i, j + 1] - "
            "f[i, j - 1] spans two pixels.",
            lambda s: np.outer(s, [-1.0, 0.0, 1.0]),
        ),
        Mistake(
            "your kernel answers 0 on a ramp along the columns: it measures the slope down the "
            "rows, df/di (rows come first).",
            lambda s: np.outer([-0.5, 0.0, 0.5], s),
        ),
        Mistake(
            "on f = j squared your kernel answers 2 j + 1, not 2 j: it measures the slope half a "
            "pixel to the right of j (a forward difference).",
            lambda s: np.outer(s, [0.0, -1.0, 1.0]),
        ),
        Mistake(
            "on f = j squared your kernel answers 2 j - 1, not 2 j: it measures the slope half a "
            "pixel to the left of j (a backward difference).",
            lambda s: np.outer(s, [-1.0, 1.0, 0.0]),
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
        "in 'same' mode the 1 at the centre tap copies f[i, j] itself. Which pixel of f does a "
        "1 two columns right of the centre copy under convolution, (f * g)[i, j]? And under "
        "correlation, (f ⋆ g)[i, j]?"
    ),
    mistakes=[
        Mistake(
            "under this operation your kernel moves the image 2 pixels LEFT: out[i, j] = "
            "f[i, j + 2]. Which of the two operations flips the kernel?",
            lambda size, operation: reference_shift_kernel(
                size, "correlation" if operation == "convolution" else "convolution"
            ),
        ),
        Mistake(
            "your kernel moves the image 2 pixels up or down, along the rows: its 1 is off the "
            "centre row. Rows come first, [row, column].",
            lambda size, operation: _shift_by(size, 2 if operation == "convolution" else -2, 0),
        ),
        Mistake(
            "your kernel moves the image by 1 pixel, not 2.",
            lambda size, operation: _shift_by(size, 0, 1 if operation == "convolution" else -1),
        ),
        Mistake(
            "your 1 is in column 2 counted from the kernel's left edge. In 'same' mode a tap "
            "moves the image by its distance from the centre tap (size // 2, size // 2): a 5 x 5 "
            "kernel with its 1 in column 2 does not move the image at all.",
            lambda size, operation: _shift_by(size, 0, 2 - size // 2),
        ),
    ],
)

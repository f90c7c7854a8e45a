"""A digits data set made here, offline: 28x28 grayscale digits rendered from matplotlib's fonts.

Each digit 0-9 is rendered once per font with FreeType (``matplotlib.ft2font``) at high
resolution, cropped, centred on a square canvas, and prepared in a few stroke thicknesses
(grey erosion and dilation). Every image then takes one of these glyphs through its own random
affine map (rotation, shear, scale, translation) sampled straight onto the 28x28 grid by one
vectorized ``scipy.ndimage.map_coordinates`` call, is blurred by a random Gaussian, rescaled to
a peak of one, and gets Gaussian noise. Everything is drawn from one seeded generator, so the
same arguments give the same images on every machine with the same fonts.

Digits are white (1) on black (0), like MNIST. :func:`load_digits` splits the fonts by
family: the test images use the whole Computer Modern family (:data:`TEST_FAMILY`), of which
no training image uses any font, so test accuracy measures how well a network generalizes to a
family of typefaces it has never seen. :func:`load_mnist` reads the MNIST files in the IDX
format into the same arrays, so a notebook switches data sets by changing one line.

Run ``python -m helpers.digits`` to redraw the sample grid of the data card (``data/``).
"""

from __future__ import annotations

import gzip
import math
import os
import warnings
import zlib
from functools import cache
from pathlib import Path

import numpy as np
from matplotlib import get_data_path
from matplotlib.ft2font import FT2Font
from scipy import ndimage

from helpers.validation import MEMORY_LIMIT_BYTES, as_integer, check_memory

SIZE = 28
"""Side of an image in pixels."""

FONTS = (
    "DejaVuSans",
    "DejaVuSans-Bold",
    "DejaVuSans-Oblique",
    "DejaVuSans-BoldOblique",
    "DejaVuSansMono",
    "DejaVuSansMono-Bold",
    "DejaVuSansMono-Oblique",
    "DejaVuSansMono-BoldOblique",
    "DejaVuSerif",
    "DejaVuSerif-Bold",
    "DejaVuSerif-Italic",
    "DejaVuSerif-BoldItalic",
    "STIXGeneral",
    "STIXGeneralBol",
    "STIXGeneralItalic",
    "STIXGeneralBolIta",
    "cmr10",
    "cmb10",
    "cmss10",
    "cmti10",
    "cmtt10",
)
"""The fonts shipped with matplotlib whose digit code points hold proper lining digits.

Left out: the DejaVu Display fonts, STIXNonUni and STIXSiz (no digits), LastResortHE
(placeholder boxes), cmex10 and cmsy10 (symbols), cmmi10 (old-style figures).
"""

FAMILIES = {
    "DejaVu": tuple(font for font in FONTS if font.startswith("DejaVu")),
    "STIX": tuple(font for font in FONTS if font.startswith("STIX")),
    "Computer Modern": tuple(font for font in FONTS if font.startswith("cm")),
}
"""The font families of :data:`FONTS`: DejaVu (Sans, Sans Mono, Serif), STIX General, and
Computer Modern (BaKoMa); the fonts of one family share their design."""

TEST_FAMILY = "Computer Modern"
"""The family held out of training by :func:`load_digits`: roman, bold, sans serif, italic and
typewriter, five designs of one typeface family that no training image uses."""

TEST_FONTS = FAMILIES[TEST_FAMILY]
"""The fonts held out of training by :func:`load_digits`: the whole :data:`TEST_FAMILY`."""

TRAIN_FONTS = tuple(font for font in FONTS if font not in TEST_FONTS)
"""The fonts the training images of :func:`load_digits` are drawn from."""

CANVAS = 64
"""Side of the square canvas a glyph is rendered on, in high-resolution pixels."""

GLYPH_HEIGHT = 40
"""Height of the rendered digit "0" in high-resolution pixels."""

THICKNESS = (-1, 0, 1, 2, 3)
"""Stroke changes, in high-resolution pixels: negative erodes, positive dilates."""

CHUNK = 1024
"""Images transformed at once by :func:`make_digits` (small enough to stay in the cache)."""

BLUR_SIGMAS = (0.0, 0.2, 0.4, 0.6, 0.8)
"""Standard deviations of the final Gaussian blur, in output pixels (one drawn per image)."""

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
"""The PostScript glyph names of the digits, which a font with proper digits uses."""


def family(font: str) -> str:
    """The family of :data:`FAMILIES` a font of :data:`FONTS` belongs to."""
    for name, fonts in FAMILIES.items():
        if font in fonts:
            return name
    raise ValueError(f"font must be one of FONTS, got {font!r}")


def font_path(font: str) -> str:
    """The path of one of matplotlib's bundled TrueType fonts, given its file name stem."""
    path = os.path.join(get_data_path(), "fonts", "ttf", f"{font}.ttf")
    if not os.path.exists(path):
        raise ValueError(f"font must be one of matplotlib's bundled fonts, got {font!r}")
    return path


def render_glyph(font: str, digit: int) -> np.ndarray:
    """Render one digit in one font: a float array in [0, 1], cropped to the ink.

    The font size is chosen so that the digit "0" of every font is :data:`GLYPH_HEIGHT`
    pixels high; the other digits keep their size relative to it (a descender, like that of
    the "4" of cmti10, makes a glyph taller).

    Raises
    ------
    ValueError
        When the font's code point for the digit holds no glyph, or a glyph that is not the
        digit (a symbol font like cmex10, the placeholder boxes of LastResortHE, the
        old-style figures of cmmi10): the data set would label a non-digit as a digit.
    """
    digit = as_integer(digit, "digit", low=0, high=9)
    face = FT2Font(font_path(font))
    for shown in sorted({0, digit}):  # "0" sets the size: it must be a digit too
        _check_digit_glyph(face, font, shown)
    face.set_size(GLYPH_HEIGHT, 72)
    with warnings.catch_warnings():  # a missing glyph warns, then draws nothing: raise instead
        warnings.simplefilter("ignore", UserWarning)
        face.set_text("0")
        zero_height = _ink(face, font, 0).shape[0]
        face.set_size(GLYPH_HEIGHT * GLYPH_HEIGHT / zero_height, 72)
        face.set_text(str(digit))
        return _ink(face, font, digit)


def _check_digit_glyph(face: FT2Font, font: str, digit: int) -> None:
    """Refuse a font whose glyph for ``digit`` is missing or is named as something else."""
    index = face.get_char_index(ord(str(digit)))
    if index == 0:
        raise ValueError(f"font {font!r} draws nothing for the digit {digit} (it has no glyph)")
    name = face.get_glyph_name(index)
    if name != DIGIT_NAMES[digit] and not name.startswith(DIGIT_NAMES[digit] + "."):
        raise ValueError(
            f"font {font!r} has no proper digit {digit}: its character {str(digit)!r} is the "
            f"glyph {name!r}; use fonts from FONTS"
        )


def _ink(face: FT2Font, font: str, digit: int) -> np.ndarray:
    """The bitmap of the text set in ``face``, cropped to its nonzero pixels, in [0, 1]."""
    face.draw_glyphs_to_bitmap(antialiased=True)
    image = np.asarray(face.get_image(), dtype=np.float32) / 255
    if not image.any():
        raise ValueError(f"font {font!r} draws nothing for the digit {digit}")
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _disk(radius: int) -> np.ndarray:
    """A boolean disk footprint of the given radius."""
    y, x = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    return x**2 + y**2 <= radius**2 + 0.5


@cache
def glyph_stack(fonts: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Every digit of every font in every stroke thickness, centred on a square canvas.

    Returns
    -------
    glyphs : ndarray, shape (len(fonts), 10, len(THICKNESS), CANVAS, CANVAS), float32
        The glyph images in [0, 1], lightly pre-blurred so sampling them does not alias,
        with a border of zeros.
    centres : ndarray, shape (len(fonts), 10, 2)
        Row and column of each glyph's ink centre on the canvas.
    """
    glyphs = np.zeros((len(fonts), 10, len(THICKNESS), CANVAS, CANVAS), np.float32)
    centres = np.zeros((len(fonts), 10, 2))
    for f, font in enumerate(fonts):
        for digit in range(10):
            ink = render_glyph(font, digit)
            h, w = ink.shape
            if max(h, w) + 2 * max(THICKNESS) + 2 > CANVAS:
                raise ValueError(f"glyph {digit} of {font} is too large: {ink.shape}")
            top, left = (CANVAS - h) // 2, (CANVAS - w) // 2
            canvas = np.zeros((CANVAS, CANVAS), np.float32)
            canvas[top : top + h, left : left + w] = ink
            centres[f, digit] = (top + (h - 1) / 2, left + (w - 1) / 2)
            for t, change in enumerate(THICKNESS):
                if change > 0:
                    thick = ndimage.grey_dilation(canvas, footprint=_disk(change))
                elif change < 0:
                    thick = ndimage.grey_erosion(canvas, footprint=_disk(-change))
                else:
                    thick = canvas
                glyphs[f, digit, t] = ndimage.gaussian_filter(thick, 1.0)
    glyphs[..., [0, -1], :] = 0  # a zero border: points off the canvas read zero
    glyphs[..., :, [0, -1]] = 0
    return glyphs, centres


def sample_bilinear(
    stack: np.ndarray, which: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Sample images of ``stack`` at real-valued points by bilinear interpolation.

    Equal to ``scipy.ndimage.map_coordinates(stack, (which, rows, cols), order=1)`` for images
    whose border pixels are zero (a point outside an image reads zero), without building the
    float64 array of all coordinates that ``map_coordinates`` needs: the image index is an
    integer, so four gathers and three blends do.

    Parameters
    ----------
    stack : ndarray, shape (m, H, W)
        The images; their first and last rows and columns must be zero.
    which : ndarray of int, shape (n,)
        Which image each output samples.
    rows, cols : ndarray, shape (n, p)
        The points, in pixel coordinates of the image.

    Returns
    -------
    ndarray, shape (n, p), in the dtype of ``stack`` and the points
    """
    _, height, width = stack.shape
    flat = stack.reshape(-1)
    index = np.int32 if flat.size < 2**31 else np.int64
    rows = np.clip(rows, 0, height - 1)  # points off the image land on its zero border
    cols = np.clip(cols, 0, width - 1)
    r0 = np.minimum(np.floor(rows), height - 2)
    c0 = np.minimum(np.floor(cols), width - 2)
    fr, fc = rows - r0, cols - c0
    base = (which[:, None] * (height * width)).astype(index)
    base = base + r0.astype(index) * width + c0.astype(index)
    top = flat[base] * (1 - fc) + flat[base + 1] * fc
    bottom = flat[base + width] * (1 - fc) + flat[base + width + 1] * fc
    return top * (1 - fr) + bottom * fr


def make_digits(
    n: int, fonts: tuple[str, ...] | list[str] = FONTS, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Make ``n`` random digit images from the given fonts.

    Each image: a digit (balanced: every class appears ``n // 10`` or ``n // 10 + 1`` times,
    shuffled), a font, a stroke thickness, a rotation of up to 15 degrees, a shear of up to
    0.3, a height of 15 to 21 pixels for the font's "0" (the other digits keep their size
    relative to it), a shift of up to 2 pixels, a Gaussian blur of sigma up to 0.8 pixel, a
    peak of one, and Gaussian noise of sigma up to 0.1, then clipped to [0, 1].

    Parameters
    ----------
    n : int
        Number of images (0 or more).
    fonts : sequence of str
        Font file stems from :data:`FONTS` (or any of matplotlib's bundled fonts).
    seed : int
        Seed of the generator that draws everything.

    Returns
    -------
    images : ndarray, shape (n, 28, 28), float32
        White digits on black, values in [0, 1].
    labels : ndarray, shape (n,), int64
        The digit shown in each image.
    """
    n = as_integer(n, "n", low=0)
    seed = as_integer(seed, "seed", low=0)
    check_memory(  # the images, their noise and two copies at the end: 4 float32 arrays
        4 * 4 * SIZE * SIZE * n,
        f"{n} digit images",
        "make fewer images at a time",
        limit=4 * MEMORY_LIMIT_BYTES,
    )
    fonts = _font_names(fonts, "fonts")
    if not fonts:
        raise ValueError("fonts must name at least one font, got an empty sequence")
    glyphs, centres = glyph_stack(fonts)
    rng = np.random.default_rng(seed)

    labels = rng.permutation(np.arange(n) % 10).astype(np.int64)
    font = rng.integers(len(fonts), size=n)
    thickness = rng.integers(len(THICKNESS), size=n)
    angle = np.deg2rad(rng.uniform(-15, 15, size=n))
    shear = rng.uniform(-0.3, 0.3, size=n)
    height = rng.uniform(15, 21, size=n)
    shift = rng.uniform(-2, 2, size=(n, 2))
    blur = rng.integers(len(BLUR_SIGMAS), size=n)
    noise = rng.uniform(0, 0.1, size=n).astype(np.float32)

    # Output pixel (row, col) -> canvas point: centre + A (out - out_centre - shift), with
    # A = scale * rotation @ shear mapping output offsets to canvas offsets.
    scale = GLYPH_HEIGHT / height
    cos, sin = np.cos(angle), np.sin(angle)
    a = (scale * np.stack([cos - sin * shear, -sin, sin + cos * shear, cos])).astype(np.float32)
    centre = centres[font, labels].astype(np.float32)
    which = np.ravel_multi_index((font, labels, thickness), glyphs.shape[:3])
    stack = glyphs.reshape(-1, CANVAS, CANVAS)
    grid_rows, grid_cols = np.mgrid[0:SIZE, 0:SIZE].reshape(2, 1, -1) - (SIZE - 1) / 2
    images = np.empty((n, SIZE * SIZE), np.float32)
    for start in range(0, n, CHUNK):  # chunks keep the temporaries in the cache
        part = slice(start, start + CHUNK)
        d_rows = (grid_rows - shift[part, :1]).astype(np.float32)
        d_cols = (grid_cols - shift[part, 1:]).astype(np.float32)
        rows = centre[part, :1] + a[0, part, None] * d_rows + a[1, part, None] * d_cols
        cols = centre[part, 1:] + a[2, part, None] * d_rows + a[3, part, None] * d_cols
        images[part] = sample_bilinear(stack, which[part], rows, cols)
    images = images.reshape(n, SIZE, SIZE)

    for b, sigma in enumerate(BLUR_SIGMAS):
        chosen = np.flatnonzero(blur == b)
        if sigma > 0 and chosen.size:
            images[chosen] = ndimage.gaussian_filter(images[chosen], (0, sigma, sigma))
    peak = images.reshape(n, SIZE * SIZE).max(axis=1, initial=0)
    images /= np.maximum(peak, 1e-6)[:, None, None]
    images += noise[:, None, None] * rng.standard_normal((n, SIZE, SIZE), dtype=np.float32)
    return np.clip(images, 0, 1).astype(np.float32), labels


def _font_names(fonts, name: str) -> tuple[str, ...]:
    """A sequence of font names as a tuple; a single string is refused, not split into letters."""
    if isinstance(fonts, str):
        raise TypeError(
            f"{name} must be a sequence of font names, got the string {fonts!r}: "
            f"write ({fonts!r},)"
        )
    fonts = tuple(fonts)
    if not all(isinstance(font, str) for font in fonts):
        raise TypeError(f"{name} must be a sequence of font names (strings), got {fonts!r}")
    return fonts


def load_digits(
    n_train: int = 20_000,
    n_test: int = 5_000,
    seed: int = 0,
    test_fonts: tuple[str, ...] | list[str] = TEST_FONTS,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The course's data set: training images from some fonts, test images from the others.

    Parameters
    ----------
    n_train, n_test : int
        Numbers of training and test images.
    seed : int
        Seed; the test set uses ``seed + 1`` so the two splits draw independent variations.
    test_fonts : sequence of str
        Fonts of :data:`FONTS` used only by the test set.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Images (n, 28, 28) float32 in [0, 1] and labels (n,) int64, like :func:`load_mnist`.
    """
    test_fonts = _font_names(test_fonts, "test_fonts")
    unknown = [font for font in test_fonts if font not in FONTS]
    if unknown:
        raise ValueError(f"test_fonts must be fonts of FONTS, got unknown {unknown}")
    train_fonts = tuple(font for font in FONTS if font not in test_fonts)
    if not test_fonts or not train_fonts:
        raise ValueError("test_fonts must hold out at least one font and leave one for training")
    return make_digits(n_train, train_fonts, seed), make_digits(n_test, test_fonts, seed + 1)


IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
"""The IDX format's type codes (third byte of the magic number) and their big-endian dtypes."""


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an array stored in the IDX format of the MNIST files (gzipped or not).

    The file starts with a magic number: two zero bytes, a type code (0x08 unsigned byte,
    0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) and the number of
    dimensions; then one big-endian 32-bit size per dimension; then the data, big-endian,
    in C order. A path ending in ``.gz`` is decompressed.

    Raises
    ------
    ValueError
        If the magic number, the type code or the data length is wrong, or a ``.gz`` file is
        not a complete gzip stream; the message names the file.
    """
    path = Path(path)
    if path.suffix == ".gz":
        try:
            with gzip.open(path, "rb") as file:
                raw = file.read()
        except (OSError, EOFError, zlib.error) as error:
            if isinstance(error, FileNotFoundError):
                raise
            raise ValueError(f"{path} is not a complete gzip file: {error}") from None
    else:
        raw = path.read_bytes()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(
            f"{path} is not an IDX file: its magic number must start with two zero bytes, "
            f"got {raw[:4].hex() or 'an empty file'}"
        )
    code, ndim = raw[2], raw[3]
    if code not in IDX_DTYPES:
        raise ValueError(
            f"{path} has IDX type code {code:#04x}; expected one of "
            f"{', '.join(f'{c:#04x}' for c in IDX_DTYPES)}"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path} is truncated: its header needs {header} bytes")
    shape = tuple(int(s) for s in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[code]
    expected = math.prod(shape) * dtype.itemsize  # Python integers: no overflow
    if len(raw) - header != expected:
        raise ValueError(
            f"{path} holds {len(raw) - header} data bytes, expected {expected} for shape {shape}"
        )
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _find(directory: Path, stem: str) -> Path:
    """The MNIST file ``stem`` in ``directory``, gzipped or not (both common namings)."""
    for name in (stem, stem.replace("-idx", ".idx")):
        for suffix in ("", ".gz"):
            candidate = directory / f"{name}{suffix}"
            if candidate.exists():
                return candidate
    raise FileNotFoundError(f"no {stem} or {stem}.gz in {directory}")


def load_mnist(
    directory: str | os.PathLike,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read MNIST (or Fashion-MNIST) from its four IDX files in ``directory``.

    Looks for ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (each possibly ``.gz``).
    Returns the same arrays as :func:`load_digits`: images (n, 28, 28) float32 in [0, 1]
    and labels (n,) int64.

    Raises
    ------
    ValueError
        Naming the file, when the images are not unsigned bytes (IDX type 0x08, as in MNIST:
        no other type says how to map its values to [0, 1]) or the labels are not integers
        from 0 to 9.
    """
    directory = Path(directory)
    splits = []
    for prefix in ("train", "t10k"):
        image_path = _find(directory, f"{prefix}-images-idx3-ubyte")
        label_path = _find(directory, f"{prefix}-labels-idx1-ubyte")
        images, labels = read_idx(image_path), read_idx(label_path)
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(
                f"{prefix} files in {directory} must hold images (n, rows, cols) and labels (n,), "
                f"got shapes {images.shape} and {labels.shape}"
            )
        if images.dtype != np.uint8:
            raise ValueError(
                f"{image_path} holds {images.dtype} images; MNIST images are unsigned bytes "
                "(IDX type 0x08), divided by 255 to lie in [0, 1]"
            )
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"{label_path}: labels must be integers from 0 to 9, got {labels.dtype} labels"
            )
        outside = labels[(labels < 0) | (labels > 9)]
        if outside.size:
            raise ValueError(
                f"{label_path}: labels must be integers from 0 to 9, got {int(outside[0])}"
            )
        splits.append((images.astype(np.float32) / 255, labels.astype(np.int64)))
    return splits[0], splits[1]


def sample_grid(images: np.ndarray, labels: np.ndarray, per_class: int = 10) -> np.ndarray:
    """Tile ``per_class`` images of each digit into one array: one row per digit 0-9."""
    per_class = as_integer(per_class, "per_class", low=1)
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or labels.shape != images.shape[:1]:
        raise ValueError(
            f"images must be (n, H, W) and labels (n,), got shapes {images.shape} and "
            f"{labels.shape}"
        )
    rows = []
    for digit in range(10):
        chosen = images[labels == digit][:per_class]
        if len(chosen) < per_class:
            raise ValueError(f"need {per_class} images of digit {digit}, got {len(chosen)}")
        rows.append(np.concatenate(list(chosen), axis=1))
    return np.concatenate(rows, axis=0)


def main() -> None:
    """Draw the data card's sample grid; print the generation time and the class balance."""
    import time

    from PIL import Image

    glyph_stack(TRAIN_FONTS), glyph_stack(TEST_FONTS)  # rendering the fonts, once
    start = time.perf_counter()
    (x_train, y_train), (x_test, y_test) = load_digits()
    seconds = time.perf_counter() - start
    print(f"load_digits(): {len(x_train)} + {len(x_test)} images in {seconds:.2f} s")
    for name, labels in (("train", y_train), ("test", y_test)):
        print(f"{name} class counts:", np.bincount(labels, minlength=10).tolist())
    gap = np.ones((SIZE * 10, 4))
    grid = np.concatenate(
        [sample_grid(x_train, y_train, 8), gap, sample_grid(x_test, y_test, 4)], axis=1
    )
    out = Path(__file__).resolve().parent.parent / "data" / "digits_samples.png"
    out.parent.mkdir(exist_ok=True)
    Image.fromarray(np.round(grid * 255).astype(np.uint8)).save(out, optimize=True)
    print(f"wrote {out} ({grid.shape[1]}x{grid.shape[0]} px, {out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

"""Tests of helpers.digits: the rendered data set, the bilinear sampler, and the IDX reader."""

import gzip
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.ft2font import FT2Font
from scipy import ndimage

from helpers import digits


def write_idx(path, array, code=0x08):
    """An independent IDX writer: magic (0, 0, code, ndim), big-endian sizes, big-endian data."""
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    payload = struct.pack(">BBBB", 0, 0, code, array.ndim)
    payload += struct.pack(f">{array.ndim}I", *array.shape)
    payload += np.asarray(array, dtype=dtype).tobytes()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as file:
        file.write(payload)


@pytest.fixture(scope="module")
def sample():
    return digits.make_digits(500, digits.FONTS, seed=3)


def test_images_are_28x28_floats_in_unit_range(sample):
    images, labels = sample
    assert images.shape == (500, 28, 28) and images.dtype == np.float32
    assert labels.shape == (500,) and labels.dtype == np.int64
    assert images.min() >= 0 and images.max() <= 1
    assert np.all(images.reshape(500, -1).max(axis=1) > 0.9)  # every image has ink


def test_classes_are_balanced(sample):
    counts = np.bincount(sample[1], minlength=10)
    assert counts.tolist() == [50] * 10
    odd = np.bincount(digits.make_digits(23, seed=0)[1], minlength=10)
    assert odd.min() == 2 and odd.max() == 3


def test_same_seed_same_images_other_seed_other_images(sample):
    again = digits.make_digits(500, digits.FONTS, seed=3)
    other = digits.make_digits(500, digits.FONTS, seed=4)
    assert np.array_equal(sample[0], again[0]) and np.array_equal(sample[1], again[1])
    assert not np.array_equal(sample[0], other[0])


def test_digits_sit_near_the_centre(sample):
    images = sample[0]
    rows = np.arange(28)
    mass = images.sum(axis=(1, 2))
    centre_row = (images.sum(axis=2) * rows).sum(axis=1) / mass
    centre_col = (images.sum(axis=1) * rows).sum(axis=1) / mass
    assert np.all(np.abs(centre_row - 13.5) < 6) and np.all(np.abs(centre_col - 13.5) < 6)


def same_digit_pairs(font):
    """Pairs of digits that ``font`` renders identically (a placeholder box, for instance)."""
    glyphs = [digits.render_glyph(font, d) for d in range(10)]
    return [
        (a, b)
        for a in range(10)
        for b in range(a + 1, 10)
        if glyphs[a].shape == glyphs[b].shape and np.allclose(glyphs[a], glyphs[b])
    ]


def test_every_font_has_ten_different_digits():
    for font in digits.FONTS:
        assert same_digit_pairs(font) == [], font


def test_placeholder_font_is_caught():
    # LastResortHE draws the same box for every digit: render_glyph refuses its glyph names.
    with pytest.raises(ValueError, match="has no proper digit 0"):
        same_digit_pairs("LastResortHE-Regular")


def test_font_without_digits_is_a_clear_error():
    with pytest.raises(ValueError, match="draws nothing for the digit 0"):
        digits.render_glyph("STIXNonUni", 0)
    with pytest.raises(ValueError, match=r"digit must be an integer in \[0, 9\]"):
        digits.render_glyph("cmr10", 10)


def test_unknown_font_is_a_clear_error():
    with pytest.raises(ValueError, match="font must be one of"):
        digits.render_glyph("Comic Sans", 3)


@pytest.mark.parametrize("n, error", [(-1, ValueError), (2.5, TypeError), ("10", TypeError)])
def test_bad_n_is_a_clear_error(n, error):
    with pytest.raises(error, match="n must be an integer >= 0"):
        digits.make_digits(n)


def test_zero_images():
    images, labels = digits.make_digits(0)
    assert images.shape == (0, 28, 28) and labels.shape == (0,)


def test_split_holds_test_fonts_out():
    assert set(digits.TRAIN_FONTS).isdisjoint(digits.TEST_FONTS)
    assert set(digits.TRAIN_FONTS) | set(digits.TEST_FONTS) == set(digits.FONTS)
    (x_train, y_train), (x_test, y_test) = digits.load_digits(100, 40, seed=1)
    assert x_train.shape == (100, 28, 28) and x_test.shape == (40, 28, 28)
    assert np.array_equal(x_train, digits.make_digits(100, digits.TRAIN_FONTS, 1)[0])
    assert np.array_equal(x_test, digits.make_digits(40, digits.TEST_FONTS, 2)[0])


def test_the_families_partition_the_fonts():
    members = [font for fonts in digits.FAMILIES.values() for font in fonts]
    assert sorted(members) == sorted(digits.FONTS)
    assert [digits.family(font) for font in digits.TEST_FONTS] == [digits.TEST_FAMILY] * 5
    assert {digits.family(font) for font in digits.TRAIN_FONTS} == {"DejaVu", "STIX"}
    with pytest.raises(ValueError, match="one of FONTS"):
        digits.family("Arial")


def test_no_held_out_font_has_a_sibling_in_training():
    # FreeType's own family name, read from each font file: the first edition held out
    # DejaVuSansMono-Oblique while three other "DejaVu Sans Mono" fonts trained.
    def family_name(font):
        return FT2Font(digits.font_path(font)).family_name

    trained = {family_name(font) for font in digits.TRAIN_FONTS}
    assert not trained & {family_name(font) for font in digits.TEST_FONTS}
    assert all(name.startswith(("DejaVu", "STIX")) for name in trained)


def test_the_held_out_fonts_and_no_training_font_are_computer_modern_by_their_copyright():
    # FreeType gives each BaKoMa font its own family name (cmr10, cmb10, ...), so a split that
    # held out cmb10 alone would pass the test above; the copyright notice (sfnt name ID 0)
    # names the family's author in all five, and in no training font.
    def copyright_notice(font):
        sfnt = FT2Font(digits.font_path(font)).get_sfnt()
        return " ".join(
            text.decode("utf-16-be" if key[0] == 3 else "latin-1")
            for key, text in sfnt.items()
            if key[3] == 0
        )

    assert all("Basil K. Malyshev" in copyright_notice(font) for font in digits.TEST_FONTS)
    assert not any("Malyshev" in copyright_notice(font) for font in digits.TRAIN_FONTS)
    assert len(digits.TEST_FONTS) == 5


def test_bad_test_fonts_are_clear_errors():
    with pytest.raises(ValueError, match="unknown"):
        digits.load_digits(10, 10, test_fonts=("NoSuchFont",))
    with pytest.raises(ValueError, match="hold out at least one"):
        digits.load_digits(10, 10, test_fonts=())
    with pytest.raises(ValueError, match="leave one for training"):
        digits.load_digits(10, 10, test_fonts=digits.FONTS)


def test_bilinear_sampler_equals_map_coordinates():
    rng = np.random.default_rng(0)
    stack = rng.random((4, 9, 11))
    stack[:, [0, -1], :] = 0
    stack[:, :, [0, -1]] = 0
    which = rng.integers(4, size=50)
    rows = rng.uniform(-3, 12, size=(50, 7))
    cols = rng.uniform(-3, 14, size=(50, 7))
    got = digits.sample_bilinear(stack, which, rows, cols)
    coordinates = np.stack([np.repeat(which, 7), rows.ravel(), cols.ravel()]).astype(float)
    expected = ndimage.map_coordinates(stack, coordinates, order=1, cval=0.0).reshape(50, 7)
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_glyph_canvas_has_zero_border():
    glyphs, _ = digits.glyph_stack(digits.TEST_FONTS)
    assert not glyphs[..., [0, -1], :].any() and not glyphs[..., :, [0, -1]].any()


def test_sample_grid_tiles_one_row_per_digit(sample):
    grid = digits.sample_grid(*sample, per_class=3)
    assert grid.shape == (280, 84)
    images, labels = sample
    np.testing.assert_array_equal(grid[28:56, :28], images[labels == 1][0])
    with pytest.raises(ValueError, match="need 60 images"):
        digits.sample_grid(*sample, per_class=60)


@pytest.mark.parametrize("code", [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_read_idx_round_trip(tmp_path, code, suffix):
    rng = np.random.default_rng(code)
    array = (
        rng.integers(-100, 100, size=(3, 4, 5))
        if code != 0x08
        else rng.integers(0, 256, size=(3, 4, 5))
    )
    if code in (0x0D, 0x0E):
        array = rng.standard_normal((3, 4, 5))
    path = tmp_path / f"a-idx3{suffix}"
    write_idx(path, array, code)
    got = digits.read_idx(path)
    assert got.shape == (3, 4, 5)
    np.testing.assert_allclose(got, array, rtol=1e-6)


def test_read_idx_one_dimension(tmp_path):
    write_idx(tmp_path / "labels", np.arange(7))
    np.testing.assert_array_equal(digits.read_idx(tmp_path / "labels"), np.arange(7))


def test_read_idx_bad_magic(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"\x1f\x8b\x08\x03" + bytes(20))
    with pytest.raises(ValueError, match="magic number must start with two zero bytes"):
        digits.read_idx(path)


def test_read_idx_bad_type_code_and_truncation(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(bytes([0, 0, 0x07, 1]) + struct.pack(">I", 2) + bytes(2))
    with pytest.raises(ValueError, match="type code 0x07"):
        digits.read_idx(path)
    write_idx(path, np.zeros((4, 4), np.uint8))
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match="expected 16"):
        digits.read_idx(path)


def test_load_mnist_reads_four_files(tmp_path):
    rng = np.random.default_rng(1)
    train_images = rng.integers(0, 256, size=(6, 28, 28))
    test_images = rng.integers(0, 256, size=(2, 28, 28))
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", train_images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.arange(6))
    write_idx(tmp_path / "t10k-images.idx3-ubyte", test_images)
    write_idx(tmp_path / "t10k-labels.idx1-ubyte", np.array([3, 9]))
    (x_train, y_train), (x_test, y_test) = digits.load_mnist(tmp_path)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    np.testing.assert_allclose(x_train, train_images / 255, rtol=1e-6)
    np.testing.assert_allclose(x_test, test_images / 255, rtol=1e-6)
    assert y_train.tolist() == list(range(6)) and y_test.tolist() == [3, 9]


def test_load_mnist_missing_or_mismatched_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        digits.load_mnist(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((3, 28, 28), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match="must hold images"):
        digits.load_mnist(tmp_path)


@settings(max_examples=25, deadline=None)
@given(
    images=st.integers(1, 4),
    height=st.integers(3, 12),
    width=st.integers(3, 12),
    seed=st.integers(0, 2**32 - 1),
)
def test_bilinear_sampler_equals_map_coordinates_property(images, height, width, seed):
    rng = np.random.default_rng(seed)
    stack = np.zeros((images, height, width))
    stack[:, 1:-1, 1:-1] = rng.random((images, height - 2, width - 2))
    which = rng.integers(images, size=6)
    rows = rng.uniform(-2, height + 1, size=(6, 5))
    cols = rng.uniform(-2, width + 1, size=(6, 5))
    got = digits.sample_bilinear(stack, which, rows, cols)
    coordinates = np.stack([np.repeat(which, 5), rows.ravel(), cols.ravel()]).astype(float)
    expected = ndimage.map_coordinates(stack, coordinates, order=1, cval=0.0).reshape(6, 5)
    np.testing.assert_allclose(got, expected, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    code=st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E]),
    gz=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_read_idx_round_trip_property(tmp_path_factory, shape, code, gz, seed):
    array = np.random.default_rng(seed).integers(0, 100, size=shape)
    path = tmp_path_factory.mktemp("idx") / ("a.gz" if gz else "a")
    write_idx(path, array, code)
    got = digits.read_idx(path)
    assert got.shape == tuple(shape)
    np.testing.assert_array_equal(got, array)

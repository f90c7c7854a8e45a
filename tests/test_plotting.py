import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plotting import (
    LINE_COLOURS,
    SIGNED_CMAP,
    DescribedImage,
    kernel_title,
    show_figure,
    show_image,
    show_signed,
    symmetric_limit,
    update_signed,
)


def test_signed_map_is_centred_on_zero():
    fig, ax = plt.subplots()
    im = show_signed(ax, np.array([[-1.0, 3.0]]))
    assert im.get_clim() == (-3.0, 3.0)
    assert ax.get_title() == "sum = 2.000, norm = 3.162"
    update_signed(im, np.zeros((3, 3)))
    assert im.get_clim() == (-1.0, 1.0) and im.get_array().shape == (3, 3)
    show_image(ax, np.zeros((2, 2)), title="photo")
    plt.close(fig)


def test_helpers_of_titles_and_limits():
    assert kernel_title(np.ones(4) / 4, "box") == "box\nsum = 1.000, norm = 0.500"
    assert symmetric_limit(np.array([-2.0, 1.0])) == pytest.approx(2.0)
    assert symmetric_limit(np.zeros(3)) == 1.0


def test_small_kernels_carry_their_numbers_and_compared_panels_share_a_limit():
    fig, (a, b) = plt.subplots(1, 2)
    show_signed(a, np.array([[0.25, -0.5], [1.0, 0.0]]), annotate=True)
    assert sorted(text.get_text() for text in a.texts) == ["-0.5", "0", "0.25", "1"]
    im = show_signed(b, np.ones((9, 9)), limit=4.0)
    assert not b.texts and im.get_clim() == (-4.0, 4.0)
    plt.close(fig)


def test_a_figure_is_shown_with_its_description(capsys):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    show_figure(fig, "a falling line\nfrom 1 to 0")
    assert not plt.fignum_exists(fig.number)
    image = DescribedImage(b"png", 'a "quoted" <b> & line')
    assert 'alt="a &quot;quoted&quot; &lt;b&gt; &amp; line"' in image._repr_html_()
    assert repr(image) == '[figure] a "quoted" <b> & line'


def test_a_figure_without_a_description_is_refused():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt must describe"):
        show_figure(fig, "  ")
    plt.close(fig)


# ------------------------------------------------------------- colour-vision deficiencies
# Each palette is seen through a simulation of protanopia, deuteranopia and tritanopia
# (Machado, Oliveira & Fernandes 2009, severity 1, as implemented by colour-science) and the
# colours that must stay apart are compared by their CIEDE2000 difference (about 2 is just
# noticeable; 10 and more is plainly different).

DEFICIENCIES = ("Protanomaly", "Deuteranomaly", "Tritanomaly")
# colour-science reminds that Machado's tritan simulation is an approximation (it is the
# one its authors give; the README says so).
pytestmark = pytest.mark.filterwarnings("ignore:.*simulation of tritanomaly")


def seen_as(rgb, deficiency: str | None) -> np.ndarray:
    """CIELAB of sRGB colours (rows) as a dichromat of the given kind sees them."""
    colour = pytest.importorskip("colour")
    linear = colour.cctf_decoding(np.atleast_2d(np.asarray(rgb, dtype=float)))
    if deficiency is not None:
        matrix = colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0)
        linear = np.clip(linear @ matrix.T, 0.0, 1.0)
    xyz = colour.sRGB_to_XYZ(colour.cctf_encoding(linear))
    return colour.XYZ_to_Lab(xyz)


def delta_e(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    colour = pytest.importorskip("colour")
    return colour.delta_E(a, b, method="CIE 2000")


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_the_signed_map_keeps_its_two_signs_apart(deficiency):
    import matplotlib as mpl

    cmap = mpl.colormaps[SIGNED_CMAP]
    magnitudes = np.array([0.1, 0.25, 0.5, 0.75, 1.0])
    positive = seen_as(cmap(0.5 + magnitudes / 2)[:, :3], deficiency)
    negative = seen_as(cmap(0.5 - magnitudes / 2)[:, :3], deficiency)
    apart = delta_e(positive, negative)
    assert apart[0] > 5 and np.all(apart[1:] > 15), f"{deficiency}: +v and -v differ by {apart}"
    # The size of a value reads without hue: lightness falls with |value| on both sides.
    for side in (positive, negative):
        assert np.all(np.diff(side[:, 0]) < 0), f"{deficiency}: lightness {side[:, 0]}"


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_line_colours_stay_apart(deficiency):
    import itertools

    import matplotlib as mpl

    labs = seen_as([mpl.colors.to_rgb(c) for c in LINE_COLOURS[:8]], deficiency)
    pairs = {
        (i, j): float(delta_e(labs[i], labs[j])) for i, j in itertools.combinations(range(8), 2)
    }
    first_three = min(d for (i, j), d in pairs.items() if j < 3)
    assert first_three > 25, f"{deficiency}: the first three lines differ by only {first_three:.1f}"
    assert min(pairs.values()) > 10, f"{deficiency}: closest pair {min(pairs, key=pairs.get)}"


def test_matplotlibs_default_lines_would_fail_for_a_protanope():
    """The check can fail: matplotlib's default C1 (orange) and C2 (green) look alike."""
    import matplotlib as mpl

    default = mpl.rcParamsDefault["axes.prop_cycle"].by_key()["color"]
    labs = seen_as([mpl.colors.to_rgb(c) for c in default[1:3]], "Protanomaly")
    assert delta_e(labs[0], labs[1]) < 3


def test_the_course_style_draws_lines_in_the_safe_palette():
    import matplotlib as mpl

    from helpers.plotting import use_style

    with mpl.rc_context():
        use_style()
        cycle = mpl.rcParams["axes.prop_cycle"].by_key()
        assert tuple(cycle["color"]) == LINE_COLOURS
        styles = [str(style) for style in cycle["linestyle"]]
        assert len(set(styles)) == len(styles) == len(LINE_COLOURS)  # a dash pattern each
        fig, ax = plt.subplots()
        lines = ax.plot(np.zeros((2, 3)))  # lines without a style of their own
        (given,) = ax.plot([0, 1], color="k")  # a colour given: the dash pattern still moves on
        # (matplotlib keeps a line's dash pattern in a private attribute only)
        patterns = [str(line._unscaled_dash_pattern) for line in [*lines, given]]
        assert len(set(patterns)) == 4, patterns
        plt.close(fig)


def test_line_ends_are_labelled_in_their_colour_and_kept_apart():
    from helpers.plotting import label_line_ends, readable_on_white

    fig, ax = plt.subplots(figsize=(3, 2))
    x = np.arange(5.0)
    lines = ax.plot(x, np.c_[x, x + 0.01, -x, np.r_[x[:4], np.nan]])
    ax.set_ylim(-5, 5)
    notes = label_line_ends(ax, lines, ["a", "b", "c", "d"])
    assert [n.get_text() for n in notes] == ["a", "b", "c", "d"]
    for note, line in zip(notes, lines, strict=True):  # the line's hue, readable on white
        assert note.get_color() == readable_on_white(line.get_color())
    assert notes[3].xy[0] == 3.0  # the last finite point
    assert notes[2].xy[1] == pytest.approx(0.1)  # -4 on a -5..5 axis
    fig.canvas.draw()
    boxes = [n.get_window_extent() for n in notes]
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(4) for j in range(i + 1, 4))
    with pytest.raises(ValueError, match="one label per line"):
        label_line_ends(ax, lines, ["a"])
    plt.close(fig)


def test_label_colours_are_darkened_to_a_readable_contrast():
    import matplotlib as mpl

    from helpers.plotting import readable_on_white

    def contrast(rgb):
        rgb = np.asarray(rgb)
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return 1.05 / (linear @ [0.2126, 0.7152, 0.0722] + 0.05)

    for colour in LINE_COLOURS:
        text = readable_on_white(colour)
        assert contrast(text) >= 4.5
        hsv, original = (
            mpl.colors.rgb_to_hsv(text),
            mpl.colors.rgb_to_hsv(mpl.colors.to_rgb(colour)),
        )
        assert hsv[0] == pytest.approx(original[0], abs=1e-6) or original[1] == 0
    assert readable_on_white("black") == (0.0, 0.0, 0.0)

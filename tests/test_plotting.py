import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plotting import (
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

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plotting import kernel_title, show_image, show_signed, symmetric_limit, update_signed


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

import numpy as np
import pytest

from helpers.photo import grace_hopper


def test_full_size_grayscale_in_unit_range():
    photo = grace_hopper()
    assert photo.shape == (600, 512) and photo.dtype == np.float64
    assert 0.0 <= photo.min() < 0.1 and 0.9 < photo.max() <= 1.0


def test_scale_averages_blocks():
    full, small = grace_hopper(), grace_hopper(scale=4)
    assert small.shape == (150, 128)
    assert small[10, 20] == pytest.approx(full[40:44, 80:84].mean())
    assert small.mean() == pytest.approx(full.mean(), abs=1e-12)


@pytest.mark.parametrize("scale, error", [(0, ValueError), (-2, ValueError), (1.5, TypeError),
                                          (True, TypeError)])
def test_bad_scale_is_refused(scale, error):
    with pytest.raises(error, match=r"scale must be an integer in \[1, 512\]"):
        grace_hopper(scale)


def test_the_colour_photo_is_channels_first_and_its_luma_is_the_gray_photo():
    from helpers.photo import LUMA, grace_hopper_rgb

    rgb = grace_hopper_rgb()
    assert rgb.shape == (3, 600, 512) and rgb.min() >= 0 and rgb.max() <= 1
    np.testing.assert_allclose(np.tensordot(LUMA, rgb, axes=1), grace_hopper(), atol=1e-12)

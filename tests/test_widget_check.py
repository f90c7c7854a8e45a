"""The widget check of notebook 00, driven kernel-side: its slider, its ends and bad values."""

import numpy as np
import pytest
import traitlets

from helpers.convolution import convolve
from helpers.kernels import box
from helpers.widget_check import SIZES, BlurCheck


@pytest.fixture(scope="module")
def check():
    return BlurCheck()


def test_every_size_blurs_and_keeps_the_mean(check):
    pictures = set()
    for size in range(SIZES[0], SIZES[1] + 1, 2):
        check.size.value = size
        expected = convolve(check.image, box(size), mode="same", boundary="wrap")
        np.testing.assert_allclose(check.blurred, expected)
        assert check.blurred.mean() == pytest.approx(check.image.mean(), abs=1e-12)
        assert f"{check.blurred.mean():.4f}" in check.readout.value
        assert f"{size}x{size}" in check.live.alt
        pictures.add(bytes(check.live.image.value))
    assert len(pictures) == (SIZES[1] - SIZES[0]) // 2 + 1  # a new picture for each size
    np.testing.assert_allclose(BlurCheck(1).blurred, check.image)  # 1x1: the photo itself


def test_the_slider_refuses_what_it_cannot_show(check):
    check.size.value = 5
    check.size.value = 4  # even: no centre
    assert check.size.value == 5 and "refused" in check.message
    for value in (-3, 100):  # beyond the ends: the slider clamps
        check.size.value = value
        assert check.size.value in (SIZES[0], SIZES[1])
    with pytest.raises(traitlets.TraitError):
        check.size.value = float("nan")
    assert check.size.description == "box size"
    assert {"course-widget", "course-blur-check"} <= set(check.ui._dom_classes)


def test_the_readout_shows_the_change_of_the_mean_and_forgets_a_refusal(check):
    check.size.value = 5
    check.size.value = 4
    assert "refused" in check.message
    check.size.value = 9
    assert check.message == "" and "refused" not in check.readout.value
    change = check.blurred.mean() - check.image.mean()
    assert f"after - before = {change:.1e}" in check.readout.value and abs(change) < 1e-12
    assert "Grace Hopper" in check.live.alt

import ipywidgets as widgets
import pytest

from helpers.controls import observe_guarded


def widget_with_a_guarded_slider():
    slider = widgets.FloatText(value=3.0, description="size")
    shown, messages = [], []

    def handler(change):
        value = change["new"]
        if value != value or value < 1:  # NaN, or too small
            raise ValueError(f"size must be a number >= 1, got {value}")
        shown.append(value)

    observe_guarded(slider, handler, messages.append)
    return slider, shown, messages


def test_a_good_value_is_kept_and_used():
    slider, shown, messages = widget_with_a_guarded_slider()
    slider.value = 7.0
    assert slider.value == 7.0 and shown == [7.0] and messages == []


@pytest.mark.parametrize("bad", [float("nan"), 0.0, -5.0])
def test_a_refused_value_is_put_back_and_explained(bad):
    slider, shown, messages = widget_with_a_guarded_slider()
    slider.value = 5.0
    slider.value = bad
    assert slider.value == 5.0 and shown == [5.0]
    assert len(messages) == 1 and messages[0].startswith(f"size = {bad!r} was refused: size must")


def test_errors_other_than_refusals_are_not_hidden():
    slider = widgets.IntSlider(value=1)

    def handler(change):
        raise RuntimeError("a bug")

    observe_guarded(slider, handler, print)
    with pytest.raises(RuntimeError, match="a bug"):
        slider.value = 2

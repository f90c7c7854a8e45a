import ipywidgets as widgets
import pytest

from helpers.access import Access


def test_a_named_control_is_marked_and_its_name_synced():
    access = Access()
    slider = widgets.IntSlider(description="size")
    assert access.name(slider, "  kernel size:\n rows and columns ") is slider
    (key,) = [c for c in slider._dom_classes if c.startswith("course-access-")]
    assert access.names == {key: "kernel size: rows and columns"}
    access.name(slider, "kernel size")  # renaming keeps one class and one entry
    assert [c for c in slider._dom_classes if c.startswith("course-access-")] == [key]
    assert access.names == {key: "kernel size"}
    other = access.name(widgets.FloatText(), "entry g[0, 1]: row 0, column 1")
    assert len(access.names) == 2 and other._dom_classes[0] != key
    menu = access.name(widgets.Dropdown(options=["wrap"], description="boundary mode"))
    assert access.names[menu._dom_classes[0]] == "boundary mode"  # its visible label


def test_announced_readouts_are_listed_once():
    access = Access()
    readout = widgets.HTML()
    assert access.announce(readout) is readout
    access.announce(readout)
    assert access.announced == [readout._dom_classes[0]]


def test_access_shows_nothing_and_refuses_what_it_cannot_name():
    access = Access()
    assert access.layout.display == "none"
    with pytest.raises(ValueError, match="name must say"):
        access.name(widgets.IntSlider(), " \n ")
    with pytest.raises(ValueError, match="no description"):
        access.name(widgets.IntSlider())
    with pytest.raises(TypeError, match="control must be an ipywidgets DOMWidget"):
        access.name("slider", "size")
    with pytest.raises(TypeError, match="readout must be an ipywidgets DOMWidget"):
        access.announce(None)


def test_names_and_live_regions_reach_the_saved_widget_state():
    """The names travel with the widget's state, so a notebook saved with its widgets keeps them."""
    access = Access()
    slider = access.name(widgets.FloatSlider(), "sigma of the Gaussian")
    readout = access.announce(widgets.HTML())
    state = access.get_state()
    assert state["names"] == {slider._dom_classes[0]: "sigma of the Gaussian"}
    assert state["announced"] == [readout._dom_classes[0]]

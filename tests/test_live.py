import numpy as np
import pytest

from helpers.live import LiveFigure


def test_refresh_renders_the_current_artists():
    live = LiveFigure(figsize=(2, 2), alt="a test picture")
    ax = live.figure.add_subplot()
    im = ax.imshow(np.zeros((4, 4)), vmin=0, vmax=1)
    live.refresh()
    before = bytes(live.image.value)
    assert before.startswith(b"\x89PNG")
    im.set_data(np.eye(4))
    live.refresh()
    assert bytes(live.image.value) != before
    assert live.static().png.startswith(b"\x89PNG")
    assert live.static().alt == "a test picture"
    live.describe("now a line")
    assert 'alt="now a line"' in live.static()._repr_html_()


def test_the_live_image_carries_the_description():
    live = LiveFigure(figsize=(2, 2), alt="a  test\npicture")
    assert live.image.alt == "a test picture"
    live.describe("the picture, now summing to 1.000")
    assert live.image.alt == live.alt == "the picture, now summing to 1.000"
    with pytest.raises(ValueError, match="alt must describe"):
        live.describe("  ")
    assert live.image.alt == "the picture, now summing to 1.000"
    live.figure.add_subplot().plot([0, 1])
    live.refresh()
    state = live.image.get_state()
    assert state["alt"] == live.alt and bytes(state["value"]).startswith(b"\x89PNG")


def test_blit_draws_the_moving_artists_over_the_frozen_background():
    live = LiveFigure(figsize=(2, 2), alt="a test picture")
    ax = live.figure.add_subplot()
    ax.set_title("fixed")
    (line,) = ax.plot([0, 1], [0, 1])
    with pytest.raises(RuntimeError, match="call freeze"):
        live.blit()
    live.freeze([line])
    line.set_data([0, 1], [1, 0])
    live.blit()
    fast = bytes(live.image.value)
    assert fast == live.png(), "blitting must show what a full drawing shows"
    line.set_data([0, 1], [0.5, 0.5])
    live.blit()
    assert bytes(live.image.value) != fast


def test_a_keyed_background_is_reused_without_drawing():
    live = LiveFigure(figsize=(2, 2), alt="a test picture")
    ax = live.figure.add_subplot()
    (line,) = ax.plot([0, 1], [0, 1])
    title = ax.set_title("first")
    live.freeze([line], key="first")
    title.set_text("second")
    live.freeze([line], key="second")
    live.freeze([line], key="first")  # the remembered background, with the first title
    live.blit()
    title.set_text("first")
    assert bytes(live.image.value) == live.png()


def test_freeze_lays_out_once_then_draws_once(monkeypatch):
    live = LiveFigure(figsize=(2, 2), alt="a test picture")
    (line,) = live.figure.add_subplot().plot([0, 1], [0, 1])
    draws = []
    original = live.canvas.draw
    monkeypatch.setattr(live.canvas, "draw", lambda: draws.append(1) or original())
    live.freeze([line])
    assert len(draws) == 2  # the layout, then the background
    live.freeze([line])
    assert len(draws) == 3  # the layout is fixed now: the background only


def test_a_moving_title_stays_where_a_full_drawing_puts_it():
    live = LiveFigure(figsize=(2, 2), alt="a test picture")
    live.figure.set_layout_engine("none")  # as the widgets with fixed axes positions do
    ax = live.figure.add_subplot()
    ax.imshow(np.eye(4))
    ax.set_xticks([])
    title = ax.set_title("moving")
    live.freeze([title])
    title.set_text("moved")
    live.blit()
    assert bytes(live.image.value) == live.png()

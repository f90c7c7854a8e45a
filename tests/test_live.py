import numpy as np

from helpers.live import LiveFigure


def test_refresh_renders_the_current_artists():
    live = LiveFigure(figsize=(2, 2))
    ax = live.figure.add_subplot()
    im = ax.imshow(np.zeros((4, 4)), vmin=0, vmax=1)
    live.refresh()
    before = bytes(live.image.value)
    assert before.startswith(b"\x89PNG")
    im.set_data(np.eye(4))
    live.refresh()
    assert bytes(live.image.value) != before
    assert live.static().data.startswith(b"\x89PNG")

"""Widget controls that never keep a value they refused.

A widget's observer computes something from a control's new value. When the value is invalid
(a NaN typed into a box, a size the kernel cannot have), the observer raises ValueError or
TypeError before it changes anything; :func:`observe_guarded` then puts the control back to
its last good value and says why in the widget's message readout, so a slider never shows 7
while the kernel is still 3x3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets


def observe_guarded(
    control: widgets.ValueWidget,
    handler: Callable[[dict[str, Any]], None],
    say: Callable[[str], None],
) -> None:
    """Call ``handler(change)`` on each new value of ``control``; undo the values it refuses.

    Parameters
    ----------
    control : ValueWidget
        A slider, a dropdown, a text box: anything with a ``value`` trait.
    handler : callable
        Takes the traitlets change (``change["new"]`` is the new value) and updates the widget.
        It raises ValueError or TypeError, before changing anything, for a value it refuses.
    say : callable
        Shows a message to the learner (the widget's message readout); called with why the
        value was refused.
    """
    state = {"good": control.value, "undoing": False}

    def on_change(change: dict[str, Any]) -> None:
        if state["undoing"]:
            return
        try:
            handler(change)
        except (ValueError, TypeError) as error:
            state["undoing"] = True
            try:
                control.value = state["good"]
            finally:
                state["undoing"] = False
            name = control.description or "the value"
            say(f"{name} = {change['new']!r} was refused: {error}")
            return
        state["good"] = change["new"]

    control.observe(on_change, names="value")

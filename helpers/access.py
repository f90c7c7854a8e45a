"""Accessible widgets: every control has a name a screen reader says, every readout is announced.

ipywidgets 8.1 names a text box or a menu by its ``description`` (a ``<label for=...>``), but
not a slider: its handle is a ``div`` with ``role="slider"`` that the label does not name, and
there is no attribute to give it one. Nor can a readout be made an ARIA live region, or a row
of toggle buttons say which one is pressed. :class:`Access` does these three things in the
browser, for the controls of one widget; the widget puts it (it shows nothing) into its top
box and calls one line per control::

    access = Access()
    access.name(size_slider, "kernel size: rows and columns, odd, 1 to 15")
    access.name(entry, "kernel entry g[0, 1]: row 0, column 1")
    access.announce(sum_readout)   # a screen reader says its new text after each change
    ui = widgets.VBox([..., access])

In the page it finds each control by a CSS class that :meth:`Access.name` gives it, and sets
``aria-label`` on the element that takes the keyboard focus (a slider's handle, a text box's
``input``, a menu's ``select``; a row of toggle buttons becomes a named ``group`` whose pressed
button says ``aria-pressed="true"``). A slider's spoken value (``aria-valuetext``) is what
its readout shows (for a ``SelectionSlider``, the option rather than its index; for a
``FloatLogSlider``, the value rather than its exponent); a disabled slider, whose handle still
takes the focus, says so (``aria-disabled``). Announced readouts get ``role="status"`` (a
polite, atomic live region). It keeps doing this while the widget's views change (a grid of
entries rebuilt, a readout rewritten).

Named menus and slider handles also get ``data-lm-suppress-shortcuts``: in JupyterLab 4.6 a
focused ``<select>`` in an output is not a text field, so the notebook's own shortcuts take
the arrow keys (ArrowDown moves to the next cell, and the focus leaves the menu) and letters
(``b`` inserts a cell); Lumino, JupyterLab's toolkit, skips its shortcuts for an element with
this attribute, so the arrow keys change the menu or the slider, as they should.

It relies on the page structure of ipywidgets 8 (``.noUi-handle``, ``.widget-readout``,
``.widget-toggle-button`` with ``.mod-active``); ``tests/test_browser.py`` runs axe-core and a
keyboard-only learner over every widget, so a change there fails the tests rather than going
unnoticed.
"""

from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

# The browser side. The observer watches the widget's top box for new elements (views are
# rendered asynchronously, grids rebuilt) and class changes (a toggle button pressed), and
# sets attributes only when they differ, so its own changes do not feed it.
_ESM = r"""
const FOCUSABLE = ".noUi-handle, input, select, textarea";

function setAttr(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function apply(root, model) {
  const names = model.get("names");
  for (const control of root.querySelectorAll("[class*='course-access-']")) {
    const key = [...control.classList].find((c) => c.startsWith("course-access-"));
    const name = names[key];
    if (name === undefined) continue;
    const buttons = control.querySelectorAll(".widget-toggle-button");
    if (buttons.length) {
      const group = control.querySelector(".widget-toggle-buttons") || control;
      setAttr(group, "role", "group");
      setAttr(group, "aria-label", name);
      for (const button of buttons)
        setAttr(button, "aria-pressed", String(button.classList.contains("mod-active")));
      continue;
    }
    const inner = control.querySelectorAll(FOCUSABLE);
    for (const target of inner.length ? inner : [control]) {
      setAttr(target, "aria-label", name);
      // JupyterLab's notebook shortcuts take the arrow keys (and letters) from a focused menu
      // or slider handle, which are not text fields; Lumino skips them under this attribute.
      if (target.matches("select, .noUi-handle"))
        setAttr(target, "data-lm-suppress-shortcuts", "true");
    }
    const readout = control.querySelector(".widget-readout");
    const handle = control.querySelector(".noUi-handle");
    if (control.classList.contains("widget-slider") && readout && handle) {
      setAttr(handle, "aria-valuetext", readout.textContent.trim());
      // a disabled slider's handle still takes the focus: say that it is disabled
      const off = !!handle.closest(".noUi-target[disabled]");
      setAttr(handle, "aria-disabled", String(off));
    }
  }
  for (const key of model.get("announced")) {
    for (const readout of root.querySelectorAll("." + key)) {
      setAttr(readout, "role", "status");
      setAttr(readout, "aria-live", "polite");
      setAttr(readout, "aria-atomic", "true");
    }
  }
}

export default {
  render({ model, el }) {
    let observer = null;
    let frame = 0;
    const start = () => {
      if (!el.isConnected) {
        frame = requestAnimationFrame(start);
        return;
      }
      const root = el.closest(".course-widget") || el.parentElement || el;
      const update = () => apply(root, model);
      observer = new MutationObserver(update);
      observer.observe(root, {
        subtree: true, childList: true, characterData: true,
        attributes: true, attributeFilter: ["class", "aria-valuetext", "disabled"],
      });
      update();
      model.on("change:names", update);
      model.on("change:announced", update);
    };
    start();
    return () => {
      cancelAnimationFrame(frame);
      if (observer) observer.disconnect();
    };
  },
};
"""


class Access(anywidget.AnyWidget):
    """Accessible names for a widget's controls and live regions for its readouts.

    Put it (it shows nothing) into the widget's top box, which should have the class
    ``course-widget``; it acts on the controls inside that box.

    Attributes
    ----------
    names : dict of str to str
        Accessible name of each named control, keyed by the CSS class :meth:`name` gave it.
    announced : list of str
        The CSS classes of the readouts a screen reader announces when their text changes.
    """

    _esm = _ESM
    names = traitlets.Dict(key_trait=traitlets.Unicode(), value_trait=traitlets.Unicode()).tag(
        sync=True
    )
    announced = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.layout.display = "none"

    def name(self, control: widgets.DOMWidget, name: str | None = None) -> widgets.DOMWidget:
        """Give ``control`` the accessible name ``name``: what it sets, in a few words.

        Without ``name``, the control's ``description`` (its visible label) is its name. A name
        that differs from the visible label should contain it, so that what a screen reader
        says and what a sighted learner reads agree. Returns the control.
        """
        if not isinstance(control, widgets.DOMWidget):
            raise TypeError(f"control must be an ipywidgets DOMWidget, got {type(control)!r}")
        if name is None:
            name = getattr(control, "description", "")
        name = " ".join(str(name).split())
        if not name:
            raise ValueError(
                "name must say what the control sets, in a few words (the control has no "
                "description to use)"
            )
        key = _key(control)
        control.add_class(key)
        self.names = {**self.names, key: name}
        return control

    def announce(self, readout: widgets.DOMWidget) -> widgets.DOMWidget:
        """Make ``readout`` a polite live region: a screen reader says its new text."""
        if not isinstance(readout, widgets.DOMWidget):
            raise TypeError(f"readout must be an ipywidgets DOMWidget, got {type(readout)!r}")
        key = _key(readout)
        readout.add_class(key)
        if key not in self.announced:
            self.announced = [*self.announced, key]
        return readout


def _key(control: widgets.DOMWidget) -> str:
    """The CSS class that marks ``control`` for :class:`Access` (unique on the page)."""
    return f"course-access-{control.model_id}"

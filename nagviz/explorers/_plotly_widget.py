"""A plotly ``FigureWidget`` whose JavaScript bundle is evaluated once per page.

plotly's ``FigureWidget`` is an anywidget: its ``_esm`` trait holds plotly's whole
front-end bundle (~5 MB), and anywidget's front end turns the ``_esm`` of *every*
model into its own blob-URL module, so each figure on a page parses and evaluates
the bundle again.  anywidget also gives each model 2 s (``AbortSignal.timeout(2000)``
in its runtime) to load its module; a model that misses this deadline still draws,
but from then on ignores every update from Python (its ``_handle_comm_msg`` awaits
the rejected promise), so its sliders stop moving the figure.  Voila creates all the
models of a page at once, and a handful of figures load for several seconds.

:class:`FigureWidget` changes only how the bundle reaches the browser.  Its
``_esm`` is a small loader; plotly's bundle travels in a separate trait,
``_nagviz_bundle``, with its SHA-256 in ``_nagviz_bundle_key``.  The loader turns the
bundle into a module once per page and keeps that module's promise on
``globalThis`` under the key, so every further figure on the page (and every figure
created while the first is still loading) reuses it.  The loader then hands each
model to plotly's own widget code, unchanged.  Nothing is fetched from any URL, so
this works the same in JupyterLab, Voila and anywhere else anywidget runs.  Should
even the one import take too long (a slow machine), the loader stops waiting before
anywidget's deadline; see ``_LOADER_ESM``.

Examples
--------
>>> import plotly.graph_objects as go
>>> w = FigureWidget(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
>>> isinstance(w, go.FigureWidget), w.data[0].type
(True, 'bar')
>>> len(w._esm) < 5_000 < len(w._nagviz_bundle), len(w._nagviz_bundle_key)
(True, 64)
"""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
import traitlets

__all__ = ["FigureWidget", "shared_bundle_available"]

# plotly's own front-end module (text), as its FigureWidget would send it.
_PLOTLY_ESM = str(getattr(go.FigureWidget, "_esm", "") or "")


def shared_bundle_available() -> bool:
    """Whether plotly's widget module is inline text that the loader can share.

    Examples
    --------
    >>> shared_bundle_available()      # plotly >= 6 ships its widget code inline
    True
    """
    text = _PLOTLY_ESM.lstrip()
    return bool(text) and not text.startswith(("http://", "https://"))


_BUNDLE_KEY = hashlib.sha256(_PLOTLY_ESM.encode("utf-8")).hexdigest()

# The module anywidget loads for each figure.  anywidget calls the default export
# (a factory) once per model and awaits ``initialize`` before it lets the model
# take updates from Python; every model awaits the same, page-wide import of the
# bundle.  Should that import still run close to anywidget's deadline (a slow
# machine, a busy page), ``initialize`` stops waiting after WAIT_MS, so that the
# model keeps taking updates, and plotly's code takes the model over when the
# bundle arrives.  Updates sent in that window are missed (the figure shows them
# with the next one), where a model that misses the deadline would miss them all.
_LOADER_ESM = """\
const REGISTRY = Symbol.for("nagviz.plotly-widget-bundles");
const WAIT_MS = 1200;  // anywidget gives up on a model after 2000 ms

function loadBundle(model) {
  const bundles = (globalThis[REGISTRY] ??= new Map());
  const key = model.get("_nagviz_bundle_key");
  let bundle = bundles.get(key);
  if (!bundle) {
    const url = URL.createObjectURL(
      new Blob([model.get("_nagviz_bundle")], { type: "text/javascript" }));
    bundle = import(/* webpackIgnore: true */ /* @vite-ignore */ url);
    bundle.then(() => URL.revokeObjectURL(url), () => {
      URL.revokeObjectURL(url);
      bundles.delete(key);  // let the next model try again
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

export default () => {
  let figure = null;  // plotly's widget for this model, once initialized
  return {
    initialize(context) {
      figure = loadBundle(context.model).then(async (bundle) => {
        const widget = typeof bundle.default === "function" ? await bundle.default() : bundle.default;
        await widget.initialize?.(context);
        return widget;
      });
      figure.catch((error) => console.error("[nagviz] plotly's widget failed to load", error));
      let timer;
      const waited = new Promise((resolve) => { timer = setTimeout(resolve, WAIT_MS); });
      return Promise.race([figure.then(() => undefined), waited]).finally(() => clearTimeout(timer));
    },
    async render(context) {
      return (await figure).render?.(context);
    },
  };
};
"""


class FigureWidget(go.FigureWidget):
    """``plotly.graph_objects.FigureWidget`` with its bundle shared by all figures of a page.

    Same constructor, properties and behaviour as plotly's class; see the module
    docstring for what differs in the browser.
    """

    _esm = _LOADER_ESM
    _nagviz_bundle = traitlets.Unicode(_PLOTLY_ESM).tag(sync=True)
    _nagviz_bundle_key = traitlets.Unicode(_BUNDLE_KEY).tag(sync=True)

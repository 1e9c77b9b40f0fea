"""A plotly ``FigureWidget`` whose JavaScript bundle reaches the browser once per page.

plotly's ``FigureWidget`` is an anywidget: its ``_esm`` trait holds plotly's whole
front-end bundle (~5 MB), so every figure carries it in its state: over the wire, in
a notebook saved with its widget state (JupyterLab, nbclient), and in every Voila page
(six figures, 30 MB).  anywidget's front end also turns the ``_esm`` of *every* model
into its own module, so each figure parses and evaluates the bundle again, and gives
each model 2 s (``AbortSignal.timeout(2000)`` in its runtime) to load it; a model that
misses this deadline still draws, but from then on ignores every update from Python,
so its sliders stop moving the figure.

Here the bundle is sent by one widget per kernel, :class:`PlotlyBundle`, and only to
a page that asks for it, gzip-compressed (1.5 MB instead of 5 MB) as the binary
buffer of a custom message; :func:`plotly_bundle` creates the widget on first use
and keeps it open. Its state is only the bundle's SHA-256, so the bundle is in no
saved widget state. :class:`FigureWidget` carries only a small loader as its
``_esm``, the bundle's SHA-256 and a reference to that widget. In the browser the
carrier's module asks its kernel for the bundle, unless the page already has it
(from an earlier carrier: a reloaded kernel, another notebook), and leaves the
answer in a registry on ``globalThis``, under its key; the first figure that asks
has it decompressed (``DecompressionStream``) and imported, once per page, and every
figure, whether its model arrives before or after the carrier's, awaits that one
import and then hands its model to plotly's own widget code, with two changes: the view
reports no defaults back to Python (:func:`without_deltas`), and where the browser draws
WebGL in software (no graphics driver: a virtual machine, a thin client, a headless
browser; told by the WebGL renderer's name) 3-D scenes are drawn at the screen's
resolution rather than at plotly's default of twice it (``plotGlPixelRatio``, 2). That
default draws four times the pixels, which software WebGL does on the page's only thread:
in headless Chromium, notebook 01's cone explorer took a median 70 ms instead of 25 ms to
apply a change of width (16 moves each), and notebook 03's two-neuron fiber 50 to 75 ms
more per control until painted (one run of ``benchmarks/redraw.py --pixel-ratio 2`` and one
of ``--pixel-ratio 1``, medians of six moves per control). The
price: there, 3-D lines lose plotly's supersampling and look a little more jagged. A
figure whose config sets ``plotGlPixelRatio`` keeps it.
Nothing is fetched from any URL, so this works the same offline, in JupyterLab, in Voila
and in any front end that runs anywidget with a live kernel. Should the import take long (a
slow machine, a kernel still busy with a cell when the request comes), a figure
stops waiting before anywidget's deadline; see ``_LOADER_ESM``.

What this costs. The kernel answers a request between cells, like every comm
message: after "Run all" in JupyterLab a page's first figures draw when the kernel
has run all the queued cells (a fresh kernel ran notebook 05 in 19 s here), not as
each cell finishes; run cell by cell, or in Voila (which runs the notebook before
the page connects), they draw at once. A notebook saved with its widget state
(JupyterLab, nbclient's ``store_widget_state``) holds the figures' data and layout
but not plotly's code, so reopened *without a kernel* (no kernel started, nbviewer,
ipywidgets' ``embed``) its live figures draw nothing and, after a few seconds, say
that their kernel sends plotly's code. With a kernel, running the cell draws them
again; the explorers' ``text/html`` fallback serves front ends without the widget
renderer.

The compressed bundle is kept in nagviz's disk cache (compressing takes about a
second), checked against the key whenever it is read back.

Examples
--------
>>> import plotly.graph_objects as go
>>> w = FigureWidget(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
>>> isinstance(w, go.FigureWidget), w.data[0].type
(True, 'bar')
>>> len(w._esm) < 10_000, w._nagviz_bundle is plotly_bundle(), len(w._nagviz_bundle_key)
(True, True, 64)
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

import anywidget
import numpy as np
import plotly.graph_objects as go
import traitlets
from ipywidgets import widget_serialization
from plotly.serializers import custom_serializers

from ..cache import memoize

__all__ = ["FigureWidget", "PlotlyBundle", "plotly_bundle", "compressed_bundle",
           "shared_bundle_available", "BUNDLE_REQUEST", "BUNDLE_REPLY"]

# the methods of plotly's view that report the figure's defaults back to Python
_DELTA_SENDERS = ("_sendTraceDeltas", "_sendLayoutDelta")


def _method_definitions(esm: str, name: str) -> list:
    """Where ``esm`` defines the class method ``name``: a ``}`` (the end of the method
    before it), the name, one parameter and ``{`` (7 ms for plotly's 5 MB module)."""
    return list(re.finditer(r"\}" + re.escape(name) + r"\([\w$]+\)\{", esm))


def without_deltas(esm: str) -> str:
    """plotly's widget module with the defaults it reports back to Python left unsent.

    After every change to a figure (the first draw, an update from Python, a resize)
    plotly's view merges the full data and layout of the figure, diffs them against
    what Python sent and sends the difference ("deltas") to Python. With plotly 7.1 this
    never helps and costs much. The layout's deltas go to a trait that plotly's Python side
    does not have (``_js2py_widget_layoutDelta``; Python observes ``_js2py_layoutDelta``),
    so they are dropped on arrival; the traces' deltas make Python fail with "The truth
    value of an array ... is ambiguous" whenever a trace holds a NumPy array (plotly.py
    issue 4160): after every update the kernel formatted that traceback, and took no
    slider value meanwhile (``benchmarks/drag.py`` counts the values a drag lost). Here
    both methods return at once, which also spares the browser the merge. The one thing
    lost: Python learns no defaults that plotly.js filled in (``fig.layout.xaxis.range``
    after an autorange stays unset in Python, as without a browser). A module without
    exactly one definition of each method (another plotly version) is returned unchanged.

    Examples
    --------
    >>> view = ("_sendLayoutDelta(ne){var ge=1;this.touch()}"
    ...         "_sendTraceDeltas(ne){for(;;){}}},x=1")
    >>> without_deltas("}" + view)
    '}_sendLayoutDelta(ne){return;var ge=1;this.touch()}_sendTraceDeltas(ne){return;for(;;){}}},x=1'
    >>> without_deltas("no such code")
    'no such code'
    """
    spots = [_method_definitions(esm, name) for name in _DELTA_SENDERS]
    if any(len(found) != 1 for found in spots):
        return esm
    for at in sorted((found[0].end() for found in spots), reverse=True):
        esm = esm[:at] + "return;" + esm[at:]
    return esm


# plotly's own front-end module (text), as its FigureWidget would send it, with
# without_deltas applied.
_PLOTLY_ESM = without_deltas(str(getattr(go.FigureWidget, "_esm", "") or ""))
_BUNDLE_KEY = hashlib.sha256(_PLOTLY_ESM.encode("utf-8")).hexdigest()


def shared_bundle_available() -> bool:
    """Whether plotly's widget module is inline text that the loader can share.

    Examples
    --------
    >>> shared_bundle_available()      # plotly >= 6 ships its widget code inline
    True
    """
    text = _PLOTLY_ESM.lstrip()
    return bool(text) and not text.startswith(("http://", "https://"))


def _bundle_matches(value, key):
    return isinstance(value, bytes) and hashlib.sha256(gzip.decompress(value)).hexdigest() == key


@memoize("nagviz.plotly_bundle", disk=True, maxsize=1,
         encode=lambda value: base64.b64encode(value).decode("ascii"),
         decode=base64.b64decode, validate=_bundle_matches)
def compressed_bundle(key: str = _BUNDLE_KEY) -> bytes:
    """plotly's widget bundle, gzip-compressed; ``key`` is the SHA-256 of the bundle.

    Examples
    --------
    >>> import gzip, hashlib
    >>> data = compressed_bundle()
    >>> len(data) < 2_000_000 < len(gzip.decompress(data))
    True
    >>> hashlib.sha256(gzip.decompress(data)).hexdigest() == _BUNDLE_KEY
    True
    """
    if key != _BUNDLE_KEY:
        raise ValueError(f"no plotly bundle with key {key!r}; this plotly's is {_BUNDLE_KEY!r}")
    return gzip.compress(_PLOTLY_ESM.encode("utf-8"), compresslevel=6, mtime=0)


#: The front end's request for the bundle, and the kernel's answer (custom messages).
BUNDLE_REQUEST = "nagviz-plotly-bundle-request"
BUNDLE_REPLY = "nagviz-plotly-bundle"

# Shared by both front-end modules: one entry per bundle key on globalThis, whose
# promise the carrier resolves (with the imported bundle) and the figures await.
_REGISTRY_JS = """\
const REGISTRY = Symbol.for("nagviz.plotly-widget-bundles");

function bundleEntry(key) {
  const bundles = (globalThis[REGISTRY] ??= new Map());
  let entry = bundles.get(key);
  if (!entry) {
    entry = { data: null, requested: false, started: false };
    entry.promise = new Promise((resolve) => { entry.resolve = resolve; });
    bundles.set(key, entry);
  }
  return entry;
}

async function importBundle(data) {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
  const code = await new Response(stream).arrayBuffer();
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  try {
    return await import(/* webpackIgnore: true */ /* @vite-ignore */ url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

// Import once the carrier has delivered the bundle AND a figure has asked for it,
// when the page is next idle: models whose small loaders are still arriving get to
// start their timers before plotly's evaluation holds the page's only thread.
const whenIdle = (run) => (globalThis.requestIdleCallback
  ? requestIdleCallback(run, { timeout: 500 }) : setTimeout(run, 50));

function startImport(entry) {
  if (entry.started || !entry.requested || entry.data === null) return;
  entry.started = true;
  const bundle = new Promise((resolve) => whenIdle(resolve)).then(() => importBundle(entry.data));
  bundle.catch((error) => {
    console.error("[nagviz] plotly's bundle failed to load", error);
    entry.started = false;  // let the next figure try again
    entry.promise = new Promise((resolve) => { entry.resolve = resolve; });
  });
  entry.resolve(bundle);
}
"""

# The module of the PlotlyBundle model: ask the kernel for the compressed bundle,
# unless this page already has it (another carrier, another notebook's kernel), and
# hand it to the page's registry.  It does not import it: evaluating plotly's bundle
# holds the page's only thread for a second or more, and a figure whose model was
# created before that block, but which has not yet started its own wait (below),
# would miss anywidget's deadline.  So the first figure that asks starts the import,
# after its timer is set.  The bundle comes as a custom message, never as a trait,
# so it is in no widget state that a front end or nbclient saves.
_CARRIER_ESM = _REGISTRY_JS + """
export default {
  initialize({ model }) {
    const key = model.get("key");
    const entry = bundleEntry(key);
    if (entry.data !== null) return;
    const receive = (msg, buffers) => {
      if (msg?.type !== "%(reply)s" || msg.key !== key || !buffers?.length) return;
      model.off("msg:custom", receive);
      entry.data ??= buffers[0];
      startImport(entry);
    };
    model.on("msg:custom", receive);
    model.send({ type: "%(request)s", key });
  },
};
""" % {"request": BUNDLE_REQUEST, "reply": BUNDLE_REPLY}

# The module anywidget loads for each figure.  anywidget calls the default export
# (a factory) once per model and awaits ``initialize`` before it lets the model
# take updates from Python; every model awaits the same, page-wide import of the
# bundle.  Should that import still run close to anywidget's deadline (a slow
# machine, a busy page), ``initialize`` stops waiting after WAIT_MS, so that the
# model keeps taking updates, and plotly's code takes the model over when the
# bundle arrives.  Updates sent in that window are missed (the figure shows them
# with the next one), where a model that misses the deadline would miss them all.
_LOADER_ESM = _REGISTRY_JS + """
const WAIT_MS = 1200;  // anywidget gives up on a model after 2000 ms
const NOTE_MS = 8000;  // a view still without plotly's code then says why

// Whether this page's WebGL is drawn in software (no graphics driver: a virtual
// machine, a thin client, a headless browser), asked once per page.
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;
function softwareWebGL() {
  const key = Symbol.for("nagviz.software-webgl");
  if (globalThis[key] === undefined) {
    let software = false;
    try {
      const gl = document.createElement("canvas").getContext("webgl");
      if (gl) {
        const info = gl.getExtension("WEBGL_debug_renderer_info");
        const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
        software = SOFTWARE_GL.test(renderer);
        gl.getExtension("WEBGL_lose_context")?.loseContext();
      }
    } catch (error) {
      software = false;
    }
    globalThis[key] = software;
  }
  return globalThis[key];
}

// plotly draws 3-D scenes at twice the screen's resolution (its plotGlPixelRatio, 2),
// four times the pixels. With software WebGL that costs tens of milliseconds per
// update, on the page's only thread: there scenes are drawn at the screen's own
// resolution instead, unless the figure's config says otherwise.
function withPixelRatio(model) {
  if (!softwareWebGL()) return model;
  const ratio = Math.max(1, Math.min(2, globalThis.devicePixelRatio || 1));
  return {
    ...model,
    get(name) {
      const value = model.get(name);
      return name === "_config" ? { plotGlPixelRatio: ratio, ...(value || {}) } : value;
    },
  };
}

export default () => {
  let figure = null;  // plotly's widget for this model, once initialized
  return {
    initialize(context) {
      let timer;  // first, so that it comes due before anywidget's deadline
      const waited = new Promise((resolve) => { timer = setTimeout(resolve, WAIT_MS); });
      const entry = bundleEntry(context.model.get("_nagviz_bundle_key"));
      figure = entry.promise.then(async (bundle) => {
        const widget = typeof bundle.default === "function" ? await bundle.default() : bundle.default;
        await widget.initialize?.({ ...context, model: withPixelRatio(context.model) });
        return widget;
      });
      figure.catch((error) => console.error("[nagviz] plotly's widget failed to load", error));
      entry.requested = true;
      startImport(entry);
      return Promise.race([figure.then(() => undefined), waited]).finally(() => clearTimeout(timer));
    },
    async render(context) {
      // Without a kernel (a notebook reopened with its saved widget state) no bundle
      // comes: say so in the view rather than leave it blank.
      const note = setTimeout(() => {
        context.el.dataset.nagvizWaiting = "";
        context.el.textContent = "This figure waits for plotly's code, which its kernel sends: run its cell.";
      }, NOTE_MS);
      const widget = await figure;
      clearTimeout(note);
      if ("nagvizWaiting" in context.el.dataset) {
        delete context.el.dataset.nagvizWaiting;
        context.el.textContent = "";
      }
      return widget.render?.(context);
    },
  };
};
"""


class PlotlyBundle(anywidget.AnyWidget):
    """The widget that sends plotly's bundle (gzip) to a page that asks; never displayed.

    Its state is only the bundle's key; the bundle itself goes out as a custom message
    with one binary buffer, in answer to each request (one per page).  Use
    :func:`plotly_bundle`, which keeps one per kernel.

    Examples
    --------
    >>> carrier = PlotlyBundle()
    >>> sent = []
    >>> carrier.send = lambda content, buffers=None: sent.append((content, buffers))
    >>> carrier.answer({"type": BUNDLE_REQUEST, "key": carrier.key})
    True
    >>> sent[0][0] == {"type": BUNDLE_REPLY, "key": carrier.key}, sent[0][1] == [compressed_bundle()]
    (True, True)
    >>> carrier.answer({"type": "something else"}), len(sent)
    (False, 1)
    >>> carrier.close()
    """

    _esm = _CARRIER_ESM
    key = traitlets.Unicode(_BUNDLE_KEY).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(lambda _widget, content, _buffers: self.answer(content))

    def answer(self, content) -> bool:
        """Send the compressed bundle if ``content`` is a front end's request for it.

        Returns whether it was one (other custom messages are left to other handlers).
        """
        if not (isinstance(content, dict) and content.get("type") == BUNDLE_REQUEST):
            return False
        if content.get("key") != self.key:  # a page built for another plotly
            raise ValueError(f"a front end asked for plotly bundle {content.get('key')!r}; "
                             f"this kernel has {self.key!r}")
        self.send({"type": BUNDLE_REPLY, "key": self.key}, buffers=[compressed_bundle(self.key)])
        return True


_CARRIER: PlotlyBundle | None = None


def plotly_bundle() -> PlotlyBundle:
    """This kernel's :class:`PlotlyBundle`, created on first use (again if it was closed).

    Examples
    --------
    >>> carrier = plotly_bundle()
    >>> carrier is plotly_bundle(), "bundle" in carrier.get_state(), len(carrier.key)
    (True, False, 64)
    """
    global _CARRIER
    if _CARRIER is None or _CARRIER.comm is None:
        _CARRIER = PlotlyBundle()
    return _CARRIER


def _rows_to_js(value, widget_manager):
    """plotly's serializer, but a numeric array of two or more dimensions
    goes as a list of rows, each a binary buffer: plotly sends only one-dimensional arrays
    as buffers and turns the others into nested lists, which ipywidgets then walks element
    by element (a 150 x 150 heatmap: ~20 ms a move, and 10x the bytes).

    Examples
    --------
    >>> import numpy as np
    >>> out = _rows_to_js({"z": np.zeros((2, 3), dtype=np.uint8)}, None)
    >>> [(row["dtype"], row["shape"]) for row in out["z"]]
    [('uint8', (3,)), ('uint8', (3,))]
    """
    return custom_serializers["to_json"](_split_rows(value), widget_manager)


def _split_rows(value):
    if isinstance(value, dict):
        return {k: _split_rows(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_split_rows(v) for v in value]
    if isinstance(value, np.ndarray) and value.ndim >= 2 and value.dtype.kind in "uif" \
            and value.dtype.itemsize <= 8 and value.dtype not in (np.int64, np.uint64):
        return [_split_rows(row) for row in np.ascontiguousarray(value)]
    return value


_ROW_SERIALIZERS = dict(custom_serializers, to_json=_rows_to_js)


class FigureWidget(go.FigureWidget):
    """``plotly.graph_objects.FigureWidget`` with its bundle sent once per page.

    Same constructor, properties and behaviour as plotly's class; see the module
    docstring for what differs in the browser. Numeric arrays of two dimensions (a
    heatmap's ``z``) travel as rows of binary buffers (:func:`_rows_to_js`). The browser
    reports no defaults back (:func:`without_deltas`), so callbacks registered with
    ``on_edit_completed`` wait for ever: nagviz uses none.
    """

    _esm = _LOADER_ESM
    _widget_data = traitlets.List().tag(sync=True, **_ROW_SERIALIZERS)
    _py2js_addTraces = traitlets.Dict(allow_none=True).tag(sync=True, **_ROW_SERIALIZERS)
    _py2js_restyle = traitlets.Dict(allow_none=True).tag(sync=True, **_ROW_SERIALIZERS)
    _py2js_update = traitlets.Dict(allow_none=True).tag(sync=True, **_ROW_SERIALIZERS)
    _py2js_animate = traitlets.Dict(allow_none=True).tag(sync=True, **_ROW_SERIALIZERS)
    _nagviz_bundle_key = traitlets.Unicode(_BUNDLE_KEY).tag(sync=True)
    _nagviz_bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **widget_serialization)

    @traitlets.default("_nagviz_bundle")
    def _default_bundle(self):
        return plotly_bundle()

    @traitlets.observe("_js2py_traceDeltas")
    def _handler_js2py_traceDeltas(self, change):
        """Drop the trace defaults a front end reports (none does with this module's
        bundle, see :func:`without_deltas`; a page holding another plotly's code might):
        plotly's own handler fails on traces that hold NumPy arrays (plotly.py issue 4160).
        """
        if change["new"]:
            self._trace_edit_in_process = False
            self._js2py_traceDeltas = None

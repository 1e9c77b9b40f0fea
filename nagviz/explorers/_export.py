"""Static figures that survive export: plotly's JSON plus a self-contained HTML form.

Front ends that render plotly's own mimetype (JupyterLab, VS Code) use the JSON; those
that only render HTML (a page exported with nbconvert or JupyterLab, the course website,
Colab) use the HTML form. plotly.js is written into the HTML of the first figure a kernel
displays and only referenced by the later ones, so a page carries the bundle once, not
once per figure, and works offline. It is written gzip-compressed and base64-encoded
(1.9 MB instead of 4.7 MB, also in the saved notebook); the page decompresses it with
``DecompressionStream`` and runs it, and every figure's own script waits for that
(``window.nagvizPlotly``, a promise) before it draws. A page that already has plotly.js
draws at once. In Colab, where every output lives in its own frame, each figure loads
plotly.js itself (Colab is online).

``nagviz.theme.apply()`` registers the renderer ``"nagviz"`` built on this, and makes it
plotly's default while the display mode is static, so plain figures returned by notebook
cells get the same treatment as the explorers.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import re
import sys

__all__ = ["figure_mimebundle", "reset_plotlyjs", "register_renderer", "plotlyjs_loader"]

_PLOTLYJS_SENT = False

# Runs plotly.js from its gzip + base64 text, once per page; hides an AMD ``define``
# (RequireJS) while it runs, so that plotly.js sets ``window.Plotly`` as in a page
# without one.
_LOADER = """<!-- plotly.js v%(version)s, gzip + base64 (nagviz) -->
<script type="text/javascript">
window.nagvizPlotly = window.nagvizPlotly || (async function () {
  if (window.Plotly) return window.Plotly;
  const text = document.getElementById("nagviz-plotlyjs").textContent.trim();
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  const script = document.createElement("script");
  script.textContent = "window.PlotlyConfig = {MathJaxConfig: 'local'};\\n"
    + await new Response(stream).text();
  const define = window.define;
  try { window.define = undefined; document.head.appendChild(script); }
  finally { window.define = define; }
  return window.Plotly;
})();
</script>"""

# the script plotly writes to draw a figure: run it once plotly.js is there
_FIGURE_SCRIPT = re.compile(r"<script type=\"text/javascript\">(.*?)</script>|<script>(.*?)</script>", re.S)


@functools.lru_cache(maxsize=1)
def plotlyjs_loader() -> str:
    """HTML that runs plotly.js (gzip + base64 inside it) once per page.

    Examples
    --------
    >>> html = plotlyjs_loader()
    >>> 1_000_000 < len(html) < 2_500_000, html.count("DecompressionStream")
    (True, 1)
    """
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    data = base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), compresslevel=9, mtime=0))
    return ('<script type="application/octet-stream" id="nagviz-plotlyjs">'
            + data.decode("ascii") + "</script>\n"
            + _LOADER % {"version": get_plotlyjs_version()})


def _after_plotlyjs(html: str) -> str:
    """``html`` (plotly's, without plotly.js) with its scripts run once plotly.js is there."""
    def wait(match):
        body = match.group(1) if match.group(1) is not None else match.group(2)
        return ('<script type="text/javascript">(window.nagvizPlotly || Promise.resolve())'
                f".then(function () {{{body}}});</script>")

    return _FIGURE_SCRIPT.sub(wait, html)


def reset_plotlyjs() -> None:
    """Forget that plotly.js was sent (the next figure carries it again).

    Examples
    --------
    >>> reset_plotlyjs()
    """
    global _PLOTLYJS_SENT
    _PLOTLYJS_SENT = False


def figure_mimebundle(fig) -> dict:
    """``{"application/vnd.plotly.v1+json": ..., "text/html": ...}`` for a plotly figure.

    Parameters
    ----------
    fig : plotly Figure or its dict

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> reset_plotlyjs()
    >>> first = figure_mimebundle(go.Figure(go.Scatter(y=[1, 2])))
    >>> second = figure_mimebundle(go.Figure(go.Scatter(y=[2, 1])))
    >>> len(first["text/html"]) > 1_000_000 > len(second["text/html"])   # plotly.js once
    True
    >>> sorted(second)
    ['application/vnd.plotly.v1+json', 'text/html']
    """
    global _PLOTLYJS_SENT
    import plotly.graph_objects as go
    import plotly.io as pio

    if isinstance(fig, dict):
        fig = go.Figure(fig)
    config = {"displaylogo": False, "responsive": True}
    if "google.colab" in sys.modules:  # one frame per output: each needs its own plotly.js
        html = fig.to_html(full_html=False, include_plotlyjs="cdn", config=config)
    else:
        html = _after_plotlyjs(fig.to_html(full_html=False, include_plotlyjs=False, config=config))
        if not _PLOTLYJS_SENT:
            html = plotlyjs_loader() + html
            _PLOTLYJS_SENT = True
    return {"application/vnd.plotly.v1+json": json.loads(pio.to_json(fig, validate=False)),
            "text/html": html}


def register_renderer(static: bool) -> None:
    """Register plotly's ``"nagviz"`` renderer; make it the default when ``static``.

    Examples
    --------
    >>> import plotly.io as pio
    >>> register_renderer(static=False); "nagviz" in pio.renderers
    True
    """
    import plotly.io as pio
    from plotly.io.base_renderers import MimetypeRenderer

    class NagvizRenderer(MimetypeRenderer):
        """plotly's JSON and an HTML form that carries plotly.js once per page."""

        def to_mimebundle(self, fig_dict):
            return figure_mimebundle(fig_dict)

    if "nagviz" not in pio.renderers:
        pio.renderers["nagviz"] = NagvizRenderer()
    if static:
        pio.renderers.default = "nagviz"

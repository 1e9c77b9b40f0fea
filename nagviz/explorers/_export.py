"""Static figures that survive export: plotly's JSON plus a self-contained HTML form.

Front ends that render plotly's own mimetype (JupyterLab, VS Code) use the JSON; those
that only render HTML (a page exported with nbconvert or JupyterLab, the course website,
Colab) use the HTML form. plotly.js is written into the HTML of the first figure a kernel
displays and only referenced by the later ones, so a page carries the 4.6 MB bundle once,
not once per figure, and works offline. In Colab, where every output lives in its own
frame, each figure loads plotly.js itself (Colab is online).

``nagviz.theme.apply()`` registers the renderer ``"nagviz"`` built on this, and makes it
plotly's default while the display mode is static, so plain figures returned by notebook
cells get the same treatment as the explorers.
"""

from __future__ import annotations

import json
import sys

__all__ = ["figure_mimebundle", "reset_plotlyjs", "register_renderer"]

_PLOTLYJS_SENT = False


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
    if "google.colab" in sys.modules:
        include = "cdn"  # one frame per output: each needs its own plotly.js
    else:
        include = not _PLOTLYJS_SENT
    html = fig.to_html(full_html=False, include_plotlyjs=include,
                       config={"displaylogo": False, "responsive": True})
    if include is True:
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

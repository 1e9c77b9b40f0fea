"""One look for every figure of the companion.

Large fonts that stay readable on a projector, and the colour-blind-safe Okabe–Ito
palette with **one colour per kind of object** in every notebook:

============  =========================================================
``manifold``  the neuromanifold / neurovariety (blue)
``singular``  singular points, subnetworks (vermillion)
``data``      data points and targets (bluish green)
``path``      gradient paths, training trajectories (reddish purple)
``teacher``   a teacher network or the best fit (orange)
``boundary``  boundaries of real neuromanifolds, fibers (sky blue)
``neutral``   axes helpers, reference lines (grey)
============  =========================================================

``import nagviz.theme`` itself imports neither plotly nor matplotlib; the functions
that need them import them when called.

Examples
--------
>>> COLORS["singular"]
'#D55E00'
"""

from __future__ import annotations

__all__ = ["COLORS", "FONT_SIZE", "FIGURE_HEIGHT", "FIGURE_WIDTH", "plotly_template", "apply", "mpl_rc"]

#: Okabe & Ito (2008) colour-blind-safe palette, one role per colour.
COLORS = {
    "manifold": "#0072B2",
    "singular": "#D55E00",
    "data": "#009E73",
    "path": "#CC79A7",
    "teacher": "#E69F00",
    "boundary": "#56B4E9",
    "neutral": "#7F7F7F",
    "highlight": "#F0E442",
}
#: A colour scale for surfaces (loss landscapes, heat maps) that is colour-blind safe.
COLORSCALE = "Cividis"
#: Base font size in points: readable from the back of a lecture hall.
FONT_SIZE = 17
#: Default figure height in pixels.
FIGURE_HEIGHT = 560
#: Width of live figures in pixels (plotly's widget would otherwise use 700 px).
FIGURE_WIDTH = 980

_registered = False


def plotly_template():
    """The ``nagviz`` plotly template (large fonts, white background, the palette).

    Examples
    --------
    >>> plotly_template().layout.font.size
    17
    """
    import plotly.graph_objects as go

    axis = dict(showline=True, linecolor="#444", ticks="outside", gridcolor="#E5E5E5",
                zerolinecolor="#BBBBBB", title_font=dict(size=FONT_SIZE + 1))
    scene_axis = dict(backgroundcolor="white", gridcolor="#DDDDDD", zerolinecolor="#AAAAAA",
                      showbackground=True, title_font=dict(size=FONT_SIZE))
    return go.layout.Template(layout=dict(
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=FONT_SIZE, color="#222"),
        title=dict(font=dict(size=FONT_SIZE + 4), x=0.02, xanchor="left"),
        paper_bgcolor="white", plot_bgcolor="white",
        colorway=[COLORS[k] for k in ("manifold", "singular", "data", "path", "teacher",
                                      "boundary", "neutral")],
        xaxis=axis, yaxis=axis,
        scene=dict(xaxis=scene_axis, yaxis=scene_axis, zaxis=scene_axis),
        legend=dict(font=dict(size=FONT_SIZE - 2), bgcolor="rgba(255,255,255,0.8)"),
        hoverlabel=dict(font=dict(size=FONT_SIZE - 1)),
        margin=dict(l=70, r=30, t=70, b=60),
        height=FIGURE_HEIGHT,
        colorscale=dict(sequential=COLORSCALE),
    ))


def mpl_rc() -> dict:
    """matplotlib rcParams matching the plotly template.

    Examples
    --------
    >>> mpl_rc()["font.size"]
    17
    """
    from cycler import cycler

    return {
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 3,
        "axes.labelsize": FONT_SIZE + 1,
        "xtick.labelsize": FONT_SIZE - 2,
        "ytick.labelsize": FONT_SIZE - 2,
        "legend.fontsize": FONT_SIZE - 2,
        "figure.figsize": (10, 6),
        "figure.dpi": 100,
        "axes.prop_cycle": cycler(color=[COLORS[k] for k in ("manifold", "singular", "data",
                                                              "path", "teacher", "boundary")]),
        "axes.grid": True,
        "grid.color": "#E5E5E5",
        "image.cmap": "cividis",
    }


def apply() -> None:
    """Make the nagviz look the default for plotly and matplotlib in this session.

    The explorers call it; notebooks may call it once at the top.

    Examples
    --------
    >>> import plotly.io as pio
    >>> apply(); pio.templates.default
    'nagviz'
    """
    global _registered
    import plotly.io as pio

    if not _registered:
        pio.templates["nagviz"] = plotly_template()
        _registered = True
    pio.templates.default = "nagviz"
    # where the explorers are static (a rendered page, Colab, VS Code without widgets),
    # every plotly figure also carries an HTML form with plotly.js once per page
    from .explorers._base import display_mode
    from .explorers._export import register_renderer

    register_renderer(static=display_mode() == "static")
    try:
        import matplotlib as mpl
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return
    mpl.rcParams.update(mpl_rc())

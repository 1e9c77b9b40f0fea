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

**Lecture mode** (``make present``, which sets ``NAGVIZ_LECTURE=1280x720``): every
explorer is laid out for that screen, controls in a column beside a figure that fits
it (:func:`lecture_layout`), legends and axis titles at least
:data:`LECTURE_MIN_FONT` px (:func:`fit_for_lecture`).

Examples
--------
>>> COLORS["singular"]
'#D55E00'
"""

from __future__ import annotations

__all__ = ["COLORS", "FONT_SIZE", "FIGURE_HEIGHT", "FIGURE_WIDTH", "plotly_template", "apply", "mpl_rc",
           "LECTURE_MIN_FONT", "LectureLayout", "lecture_screen", "lecture_layout",
           "fit_for_lecture", "lecture_overrides", "merge_layout", "style_matplotlib",
           "style_matplotlib_if_applied"]

import os
import re
import sys
from dataclasses import dataclass

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

#: Smallest font (px) of legends, axis titles and tick labels in lecture mode.
LECTURE_MIN_FONT = 18

_registered = False
_mpl_pending = False  # apply() ran, matplotlib not styled yet


@dataclass(frozen=True)
class LectureLayout:
    """Pixel sizes of an explorer on a lecture screen: a controls column beside the figure.

    ``page_margin`` is what Voila's page and the lecture style sheet take from the
    width (paddings, a scroll bar); ``header`` is the explorer's title line.
    """

    screen_width: int
    screen_height: int
    controls_width: int
    figure_width: int
    figure_height: int

    page_margin = 120
    header = 60
    gap = 16


def lecture_screen():
    """The lecture screen ``(width, height)`` from ``NAGVIZ_LECTURE`` (e.g. ``1280x720``),
    or ``None`` outside lecture mode.

    Examples
    --------
    >>> import os; os.environ["NAGVIZ_LECTURE"] = "1280x720"; lecture_screen()
    (1280, 720)
    >>> del os.environ["NAGVIZ_LECTURE"]; lecture_screen() is None
    True
    """
    text = os.environ.get("NAGVIZ_LECTURE", "").strip().lower()
    if not text or text in ("0", "off", "no", "false"):
        return None
    match = re.fullmatch(r"(\d{3,5})\s*x\s*(\d{3,5})", text)
    if match is None:
        raise ValueError(f"NAGVIZ_LECTURE must look like 1280x720, got {text!r}")
    return int(match[1]), int(match[2])


def lecture_layout(screen):
    """How an explorer fills a ``(width, height)`` screen: controls in a column of about a
    quarter of the width (260-380 px), the figure beside it, title and figure within the
    screen's height.

    Examples
    --------
    >>> lecture_layout((1280, 720))
    LectureLayout(screen_width=1280, screen_height=720, controls_width=290, figure_width=854, figure_height=660)
    """
    width, height = screen
    usable = width - LectureLayout.page_margin
    controls = max(260, min(380, usable // 4))
    figure_width = usable - controls - LectureLayout.gap
    figure_height = height - LectureLayout.header
    if figure_width < 400 or figure_height < 300:
        raise ValueError(f"a lecture screen of {width}x{height} is too small for an explorer")
    return LectureLayout(width, height, controls, figure_width, figure_height)


def fit_for_lecture(fig, layout: LectureLayout):
    """Resize ``fig`` (in place) to ``layout`` and raise its legends, axis titles and tick
    labels to at least :data:`LECTURE_MIN_FONT` px; returns ``fig``.

    A figure drawn taller than the screen allows is shortened to it; its width is the
    layout's figure width (:func:`lecture_overrides` says what changes).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(layout=dict(height=900, legend=dict(font=dict(size=14))))
    >>> fig = fit_for_lecture(fig, lecture_layout((1280, 720)))
    >>> fig.layout.width, fig.layout.height, fig.layout.legend.font.size
    (854, 660, 18)
    """
    fig.update_layout(lecture_overrides(fig.layout.to_plotly_json(), fig.data, layout))
    return fig


def lecture_overrides(layout: dict, traces, lecture: LectureLayout) -> dict:
    """The layout changes (a plain dict, for ``layout.update``) that fit a figure with
    layout ``layout`` (plain dict) and ``traces`` to a lecture screen: width and height,
    fonts of at least :data:`LECTURE_MIN_FONT` px, axes that make room for their tick
    labels, the title at the top and a top legend's wrapped rows above the plot.

    Examples
    --------
    >>> o = lecture_overrides({"xaxis2": {"title": {"font": {"size": 12}}}}, [],
    ...                       lecture_layout((1280, 720)))
    >>> o["width"], o["xaxis2"]["title"]["font"]["size"], o["legend"]["font"]["size"]
    (854, 18, 18)
    """
    low = LECTURE_MIN_FONT

    def size(d, *path):
        for key in path:
            d = d.get(key) if isinstance(d, dict) else None
        return d or 0

    out = {"width": lecture.figure_width,
           "height": min(layout.get("height") or FIGURE_HEIGHT, lecture.figure_height)}
    axes = [k for k in layout if re.fullmatch(r"[xy]axis\d*", k)] or ["xaxis", "yaxis"]
    for key in axes:
        axis = layout.get(key) or {}
        out[key] = {"automargin": True,  # larger tick labels must not be cut off
                    "title": {"font": {"size": max(size(axis, "title", "font", "size"), low)}},
                    "tickfont": {"size": max(size(axis, "tickfont", "size"), low)}}
    for key in (k for k in layout if re.fullmatch(r"scene\d*", k)):
        out[key] = {name: {"title": {"font": {"size": max(size(layout[key], name, "title",
                                                                "font", "size"), low)}},
                           "tickfont": {"size": max(size(layout[key], name, "tickfont",
                                                         "size"), low - 2)}}
                    for name in ("xaxis", "yaxis", "zaxis")}
    for key in [k for k in layout if k.startswith("legend")] or ["legend"]:
        out[key] = {"font": {"size": max(size(layout.get(key), "font", "size"), low)}}
    # the title at the top of the figure (plotly centres it in the top margin otherwise)
    title = layout.get("title") or {}
    out["title"] = {"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 10}}
    legend = layout.get("legend") or {}
    y = legend.get("y")
    if legend.get("orientation") != "h" or y is None or y < 1:
        return out
    margin = {"l": 70, "r": 30, "t": 70, "b": 60, **(layout.get("margin") or {})}
    title_h = int(1.5 * (size(title, "font", "size") or FONT_SIZE + 4)) + 12 \
        if title.get("text") else 10
    font = out["legend"]["font"]["size"]
    legend_h = _legend_rows(traces, font, out["width"] - margin["l"] - margin["r"]) \
        * int(1.5 * font)
    # the legend's bottom sits at paper y, i.e. (y - 1) * plot height above the plot
    need = (title_h + legend_h + (y - 1) * (out["height"] - margin["b"])) / y
    if need > margin["t"]:
        out["margin"] = {"t": int(need) + 1}
    return out


def _legend_rows(traces, size, width) -> int:
    """Rows a horizontal legend of ``traces`` takes at font ``size``, wrapped to ``width``."""
    from .explorers._base import label_width

    items = []
    for t in traces:
        name, shown, which = (t.get("name"), t.get("showlegend"), t.get("legend")) \
            if isinstance(t, dict) else (t.name, t.showlegend, t.legend)
        if name and shown is not False and which in (None, "legend"):
            items.append(label_width(name, size) + 46)
    if not items:
        return 0
    if sum(items) <= width:
        return 1
    # a wrapped legend aligns its entries in columns as wide as the widest one
    per_row = max(1, int(width // max(items)))
    return -(-len(items) // per_row)


def merge_layout(layout: dict, changes: dict) -> dict:
    """``layout`` (a plain dict) with ``changes`` merged in recursively, in place.

    Examples
    --------
    >>> merge_layout({"legend": {"x": 0, "font": {"size": 14}}}, {"legend": {"font": {"size": 18}}})
    {'legend': {'x': 0, 'font': {'size': 18}}}
    """
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            merge_layout(layout[key], value)
        else:
            layout[key] = value
    return layout


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


def _skip_slow_iri_checker() -> None:
    """Spare the kernel 2-4 s at its first plotly figure (issue 15: notebooks up in seconds).

    plotly's renderers import nbformat, nbformat imports jsonschema, and jsonschema's format
    checkers import ``rfc3987_syntax`` when it is installed (JupyterLab's dependencies bring
    it), which compiles about 35 Earley parsers at import: 2.5 s here (jsonschema issue
    #1428). Only the ``iri`` and ``iri-reference`` formats use it, and no notebook schema
    does. Marking it absent before jsonschema loads makes jsonschema skip those two
    checkers in this process; nothing else changes. ``NAGVIZ_IRI_CHECKS=1`` keeps them.
    """
    import os
    import sys

    if os.environ.get("NAGVIZ_IRI_CHECKS") or "jsonschema._format" in sys.modules:
        return
    sys.modules.setdefault("rfc3987_syntax", None)  # `import` of a None entry: ImportError


def apply() -> None:
    """Make the nagviz look the default for plotly and matplotlib in this session.

    The explorers call it; notebooks may call it once at the top. It imports no more than
    plotly needs: matplotlib is styled now if already imported, otherwise when
    :mod:`nagviz.plotting` first draws (or call :func:`style_matplotlib`); plotly's
    ``"nagviz"`` HTML renderer is registered only where explorers are static.

    Examples
    --------
    >>> import plotly.io as pio
    >>> apply(); pio.templates.default
    'nagviz'
    """
    global _registered
    _skip_slow_iri_checker()
    import plotly.io as pio

    if not _registered:
        pio.templates["nagviz"] = plotly_template()
        _registered = True
    pio.templates.default = "nagviz"
    # where the explorers are static (a rendered page, Colab, VS Code without widgets),
    # every plotly figure also carries an HTML form with plotly.js once per page
    from .explorers._base import display_mode
    from .explorers._export import register_renderer

    if display_mode() == "static":  # plotly's renderers import nbformat: 0.5 s, so only here
        register_renderer(static=True)
    # matplotlib costs 0.4 s to import and no notebook draws with it: style it now if it is
    # loaded, otherwise when nagviz.plotting first draws (style_matplotlib)
    global _mpl_pending
    _mpl_pending = True
    if "matplotlib" in sys.modules:
        style_matplotlib()


def style_matplotlib() -> None:
    """Give matplotlib the nagviz rcParams now (:func:`apply` does, or defers it).

    :func:`apply` styles matplotlib at once when it is already imported; otherwise the
    first figure drawn by :mod:`nagviz.plotting` calls this. A notebook that draws with
    matplotlib itself after :func:`apply` can call it directly.

    Examples
    --------
    >>> import matplotlib
    >>> style_matplotlib(); matplotlib.rcParams["font.size"]
    17.0
    """
    global _mpl_pending
    import matplotlib as mpl

    mpl.rcParams.update(mpl_rc())
    _mpl_pending = False


def style_matplotlib_if_applied() -> None:
    """:func:`style_matplotlib`, if :func:`apply` ran and matplotlib is not styled yet.

    Examples
    --------
    >>> import matplotlib
    >>> apply(); style_matplotlib_if_applied(); matplotlib.rcParams["font.size"]
    17.0
    """
    if _mpl_pending:
        style_matplotlib()

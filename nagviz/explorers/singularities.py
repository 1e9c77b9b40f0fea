"""Explorers of notebook 05: singular points and subnetworks.

* :class:`RankPathExplorer` -- the exact rank of the differential of the
  parameterization along a path that switches a neuron off or merges two neurons: it
  drops exactly at the subnetwork (and, for a CNN, does not drop at a sparse filter);
* :class:`SingularSliceExplorer` -- a 3-D slice of the (2, 2, 1), ``z^3 + z^2``
  neuromanifold (a cubic hypersurface in R^7) that is singular along a line of
  one-neuron networks, with its cross-sections (nodes and an isolated point);
* :class:`VoronoiExplorer` -- which targets in the plane have the singular point of a
  curve as nearest point: a fat region behind a cusp or a corner, nothing but the point
  itself for a node or two crossing lines.

The training views of the same notebook live in :mod:`nagviz.explorers.training` and are
importable from here too, as are the experiments and their presets
(:mod:`nagviz.experiments`: :data:`PATH_CASES`, :func:`prewarm`, ...) and
:func:`tqdm_progress`, so that the notebook needs one ``views`` module.

Every number comes from :mod:`nagviz.experiments` and the modules it calls; the
explorers only arrange it. Colours by role (:data:`nagviz.theme.COLORS`): neuromanifolds
blue, singular points and subnetworks vermillion, targets green, training paths purple,
best fits orange, reference lines grey.

>>> from nagviz.explorers.singularities import RankPathExplorer
>>> data = RankPathExplorer().compute(case="(3,2,1) off", seed=0)
>>> data["ranks"][0], data["ranks"][-1], data["generic"]
(5, 3, 5)
"""

from __future__ import annotations


import numpy as np

from ..cache import memoize
from .._progress import tqdm_progress
from .. import experiments as _experiments
from ..experiments import (DISTRIBUTIONS, EXPERIMENTS, PATH_CASES, SLICE_ALPHAS, VORONOI_CURVES,
                           VORONOI_WINDOW, rank_path_case,
                           slice_section, training_experiments, voronoi_cell)
from ..singularities import nearest_point_on_curve, singular_slice_221
from ..theme import COLORS
from ..voronoi import VoronoiGrid
from ._base import (STYLE, Explorer, KeepStaticTraces, flat_colorscale, from_record,
                    log_floor, panel_title, plain_figure as _figure, title as _title, to_record)
from .training import (CriticalVersusBestExplorer, TrainingExplorer, dead_neuron_figure,
                       experiment_figure, stuck_neuron_figure)
from ._mesh import surface_mesh

__all__ = [
    "RankPathExplorer",
    "SingularSliceExplorer",
    "VoronoiExplorer",
    "CriticalVersusBestExplorer",
    "TrainingExplorer",
    "PATH_CASES",
    "DISTRIBUTIONS",
    "dead_neuron_data",
    "dead_neuron_figure",
    "experiment_figure",
    "stuck_neuron_figure",
    "EXPERIMENTS",
    "training_experiments",
    "prewarm",
    "tqdm_progress",
    "spot_check_lines",
    "spot_check_panel",
]


# the dead neuron's best fit, Hessian and escape direction (about 1 s): kept on disk
dead_neuron_data = memoize("explorers.dead_neuron_data", disk=True, maxsize=8,
                           encode=to_record, decode=from_record)(_experiments.dead_neuron_data)


# --------------------------------------------------------------------------- prewarm

def prewarm(progress=None, experiments: bool = True) -> int:
    """:func:`nagviz.experiments.prewarm` through the explorers' disk caches.

    The ranks along the paths, the slice's cross-sections and the Voronoi cells are
    kept on disk by the explorers (:func:`_rank_path`, :func:`_section`,
    :func:`_voronoi`); computed through them, a notebook's second run reads them
    instead of computing them again (about 2 s).

    Examples
    --------
    >>> prewarm(experiments=False)
    5
    """
    return _experiments.prewarm(progress, experiments, rank_path=_rank_path,
                                section=_section, voronoi=_voronoi)


# --------------------------------------------------------------------------- shipped runs, again

def spot_check_lines(checks) -> list:
    """The lines that report :func:`nagviz.shipped.spot_check`'s ``(experiment, run, ok)`` rows.

    Examples
    --------
    >>> spot_check_lines([("CNN, gradient descent", 570, True), ("MLP, gradient descent", 3, False)])
    ['trained again now: 1 of 2 random runs reproduce their shipped records', '  CNN, gradient descent, run 570: reproduced', '  MLP, gradient descent, run 3: NOT reproduced']
    """
    lines = [f"trained again now: {sum(ok for *_, ok in checks)} of {len(checks)} random runs "
             "reproduce their shipped records"]
    lines += [f"  {experiment}, run {run}: {'reproduced' if ok else 'NOT reproduced'}"
              for experiment, run, ok in checks]
    return lines


def spot_check_panel(runs_per_experiment: int = 1, seed=None):
    """A button that trains random shipped runs again, now, and says whether they reproduce.

    :func:`nagviz.shipped.spot_check` takes about five seconds (six runs of up to 5,000
    gradient steps), too long for a notebook that opens in seconds, so the notebook offers
    it as a button. Where widgets cannot run, the panel says which call does the same.

    Examples
    --------
    >>> panel = spot_check_panel()
    >>> panel.children[0].description
    'train 1 random run per experiment again'
    """
    import ipywidgets as widgets

    from .. import shipped

    plural = "run" if runs_per_experiment == 1 else "runs"
    button = widgets.Button(description=f"train {runs_per_experiment} random {plural} per "
                            "experiment again", layout=widgets.Layout(width="max-content"),
                            button_style="primary", tooltip="nagviz.shipped.spot_check()")
    result = widgets.HTML(f"<i>or, where widgets do not run: "
                          f"<code>nagviz.shipped.spot_check({runs_per_experiment})</code></i>")

    def run(_):
        button.disabled = True
        result.value = "<i>training ...</i>"
        try:
            lines = spot_check_lines(shipped.spot_check(runs_per_experiment, seed=seed))
            result.value = "<pre>" + "\n".join(lines) + "</pre>"
        finally:
            button.disabled = False

    button.on_click(run)
    return widgets.VBox([button, result])


# --------------------------------------------------------------------------- ranks along paths

# exact ranks at 21 points take 0.1-0.5 s a path: kept on disk, a revisited path is instant
_rank_path = memoize("explorers.rank_path", disk=True, maxsize=256, encode=to_record,
                     decode=from_record)(rank_path_case)


class RankPathExplorer(Explorer):
    """The tangent space dimension (exact rank of ``d phi``) along a path in parameter space.

    Each path starts at a random point with small integer weights (the slider ``seed``)
    and ends, at ``t = 1``, at a subnetwork: a neuron switched off, two neurons merged, the
    vertex of the cone, a lower-rank matrix; or, for contrast, a CNN filter with one entry
    zero. Left: the exact rank (modulo a large prime, at rational points) against ``t``.
    Right: the singular values of the float Jacobian (of the coefficients) as ``t -> 1``,
    against ``1 - t`` on log scales, a cross-check: those that go to zero (vermillion)
    are the directions the tangent space loses; their slope is the order at which they
    vanish.

    Examples
    --------
    >>> e = RankPathExplorer()
    >>> cases = ("(3,2,1) merge", "cone: v → 0", "linear off")
    >>> [e.compute(case=c, seed=0)["ranks"][-1] for c in cases]
    [3, 1, 5]
    >>> e.compute(case="CNN entry", seed=0)["ranks"][-1]     # a sparse CNN filter: no drop
    4
    """

    title = "Singular points are subnetworks: the tangent space along a path"
    question = ("along the path the weights change smoothly. Does the dimension of the tangent "
                "space (the rank of the Jacobian) shrink gradually, or all at once? Where?")
    static_control = "case"
    static_values = tuple(PATH_CASES)

    def static_label(self, state):  # short enough for plotly to label all eight steps
        return super().static_label(state).replace("out-weight", "out-w.")

    def make_controls(self):
        import ipywidgets as w

        return {
            "case": w.Dropdown(options=[(v[0], k) for k, v in PATH_CASES.items()],
                               value="(3,2,1) off", description="path", style=STYLE,
                               layout=w.Layout(width="480px")),
            "seed": w.IntSlider(value=0, min=0, max=9, description="start point (seed)",
                                style=STYLE),
        }

    def defaults(self):
        return dict(case="(3,2,1) off", seed=0)

    def compute(self, case, seed):
        return _rank_path(case, int(seed))

    def figure(self, data):
        ts, ranks, g = data["ts"], data["ranks"], data["generic"]
        S, gaps = data["singular_values"], data["gaps"]
        top = float(np.nanmax(S)) if np.isfinite(S).any() else 1.0
        tiny = np.nan_to_num(S, nan=0.0) < 1e-9 * top
        groups = {"keep": ([], []), "lost": ([], []), "zero": ([], [])}
        for j in range(S.shape[1]):
            kind = "zero" if tiny[0, j] else "lost" if tiny[-1, j] or S[-1, j] < 1e-6 * top \
                else "keep"
            xs, ys = groups[kind]
            xs += gaps.tolist() + [None]
            ys += log_floor(S[:, j]).tolist() + [None]
        drops = [i for i, r in enumerate(ranks) if r < g]
        traces = [
            dict(type="scatter", x=[0, 1], y=[g, g], mode="lines", name=f"generic rank {g}",
                 line=dict(color=COLORS["neutral"], dash="dash", width=2), hoverinfo="skip"),
            dict(type="scatter", x=list(ts), y=list(ranks), mode="lines+markers",
                 name="exact rank of dφ", line=dict(color=COLORS["manifold"], width=3, shape="hv"),
                 marker=dict(size=8, color=COLORS["manifold"]),
                 hovertemplate="t = %{x:.2f}: rank %{y}<extra></extra>"),
            dict(type="scatter", x=[ts[i] for i in drops] or [None],
                 y=[ranks[i] for i in drops] or [None], mode="markers+text",
                 text=[f"rank {ranks[i]}" for i in drops] or [None],
                 textposition="middle left", name="the subnetwork: rank drops",
                 textfont=dict(color=COLORS["singular"], size=15),
                 marker=dict(size=16, color=COLORS["singular"], symbol="diamond",
                             line=dict(color="black", width=1))),
            dict(type="scatter", x=groups["keep"][0] or [None], y=groups["keep"][1] or [None],
                 mode="lines", name="singular values (float)", xaxis="x2", yaxis="y2",
                 line=dict(color=COLORS["manifold"], width=2), hoverinfo="skip"),
            dict(type="scatter", x=groups["lost"][0] or [None], y=groups["lost"][1] or [None],
                 mode="lines", name="→ 0 at the subnetwork", xaxis="x2", yaxis="y2",
                 line=dict(color=COLORS["singular"], width=3), hoverinfo="skip"),
            dict(type="scatter", x=groups["zero"][0] or [None], y=groups["zero"][1] or [None],
                 mode="lines", name="zero everywhere (rounding)", xaxis="x2", yaxis="y2",
                 line=dict(color=COLORS["neutral"], width=2, dash="dot"), hoverinfo="skip"),
        ]
        lo = min(min(ranks), g) - 1
        return _figure(
            traces,
            title=_title(f"{data['label']}: rank {ranks[0]} → {ranks[-1]}", y=0.97),
            xaxis=dict(domain=[0, 0.44], range=[-0.03, 1.05], title=_title("path parameter t")),
            yaxis=dict(range=[max(lo, -0.5), g + 1], dtick=1,
                       title=_title("dim of tangent image")),
            xaxis2=dict(domain=[0.58, 1], type="log", range=[0.2, -8.2], anchor="y2",
                        title=_title("1 − t  (distance to t = 1)"), exponentformat="power"),
            yaxis2=dict(type="log", anchor="x2", range=[-17.5, 3],
                        title=_title("singular values"), exponentformat="power"),
            annotations=[panel_title("exact rank", 0.22),
                         panel_title("float singular values, log–log", 0.79)],
            legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=70, r=20, t=140, b=60), height=560)

    def info(self, data):
        g, r = data["generic"], data["ranks"][-1]
        before = sorted(set(data["ranks"][:-1]))
        same = ("the rank stays " + str(before[0]) + " for every t < 1"
                if len(before) == 1 else f"ranks before t = 1: {before}")
        return (f"{data['arch']}: {same}; at t = 1 it is <b>{r}</b> (generic {g}, drop "
                f"{g - r}). {data['note']}.<br><small>start θ(0) = ({', '.join(data['start'])}),"
                f" end θ(1) = ({', '.join(data['end'])}); exact ranks modulo a prime at "
                "rational points, two trials.</small>")


# --------------------------------------------------------------------------- the 3-D slice

@memoize(maxsize=1)
def _slice_mesh():
    s = singular_slice_221()
    sheets = []
    for (X, Y, Z), R in zip(s.sheets, s.real):  # blue where real: colour 1, grey 0
        sheets.append(surface_mesh(X, Y, Z, surfacecolor=R.astype(float), decimals=4))
    return s, sheets


def _panel_text(alpha) -> str:
    return f"cross-section α = {alpha:.2f}"


# one cross-section per slider stop (45 of them): each computed once, kept on disk
@memoize("explorers.slice_section", disk=True, maxsize=64, encode=to_record,
         decode=from_record)
def _section(alpha):
    return {k: v for k, v in slice_section(alpha).items() if k != "slice"}


class SingularSliceExplorer(KeepStaticTraces):
    """A slice of the (2, 2, 1), ``z^3 + z^2`` neuromanifold through a line of subnetworks.

    The neuromanifold is a cubic hypersurface ``det = 0`` in the 7-dimensional space of
    quadratic-plus-cubic binary forms (:func:`nagviz.singularities.apolarity_matrix_221`).
    The 3-space ``x^2 + alpha x^3 + beta (y^2 + x y^2) + gamma (x y + y^3)`` meets it in a
    surface that is singular exactly along the ``alpha``-axis, the one-neuron networks
    ``v sigma(a x)``. Blue: computed by real networks; grey: only by complex weights (on
    the neurovariety, not on the real neuromanifold). The slider moves a cross-section.

    Examples
    --------
    >>> e = SingularSliceExplorer()
    >>> e.compute(alpha=-0.5)["kind"], e.compute(alpha=0.2)["kind"]
    ('node', 'isolated point')
    >>> e.compute(alpha=0.5)["rank"], e.compute(alpha=0.5)["generic"]
    (3, 6)
    """

    title = "A singular neuromanifold you can see: a slice of (2, 2, 1) with σ = z³ + z²"
    question = ("the red-orange line is made of one-neuron networks. Sliding along it, does the "
                "surface always look the same near the line? What does a cross-section look "
                "like at a singular point?")
    static_control = "alpha"
    static_values = SLICE_ALPHAS

    def make_controls(self):
        import ipywidgets as w

        return {"alpha": w.FloatSlider(value=-0.5, min=-1.0, max=1.2, step=0.05,
                                       description="cross-section α", style=STYLE)}

    def defaults(self):
        return dict(alpha=-0.5)

    def compute(self, alpha):
        data = _section(round(float(alpha), 6))
        s, sheets = _slice_mesh()
        return dict(data, sheets=sheets, radius=s.radius, equation=s.equation,
                    alpha_range=(float(s.alphas[0]), float(s.alphas[-1])),
                    pinch=s.pinch_points)

    def figure(self, data):
        a, R = data["alpha"], data["radius"]
        blue, grey = COLORS["manifold"], "#B8B8B8"
        scale = [[0.0, grey], [0.5, grey], [0.5, blue], [1.0, blue]]
        traces = []
        for k, sh in enumerate(data["sheets"]):
            traces.append(dict(sh, cmin=0, cmax=1, colorscale=scale,
                               showscale=False, opacity=0.8, hoverinfo="skip",
                               name="slice (blue: real networks, grey: complex weights only)",
                               showlegend=k == 0,
                               meta="static:slice",
                               lighting=dict(ambient=0.7, diffuse=0.5, specular=0.05)))
        lo, hi = data["alpha_range"]
        sx, sy, sz = [], [], []
        real_x, real_y, cplx_x, cplx_y = [], [], [], []
        for pts, real in data["lines"]:
            sx += [a] * len(pts) + [None]
            sy += pts[:, 0].tolist() + [None]
            sz += pts[:, 1].tolist() + [None]
            for xs, ys, mask in ((real_x, real_y, real), (cplx_x, cplx_y, ~real)):
                xs += [float(p) if m else None for p, m in zip(pts[:, 0], mask)] + [None]
                ys += [float(p) if m else None for p, m in zip(pts[:, 1], mask)] + [None]
        plane = surface_mesh([[a, a], [a, a]], [[-R, R], [-R, R]], [[-R, -R], [R, R]],
                             color="#888888", opacity=0.18, hoverinfo="skip",
                             name="cross-section plane", showlegend=False)
        traces += [
            plane,
            dict(type="scatter3d", x=[lo, hi], y=[0, 0], z=[0, 0], mode="lines",
                 name="one-neuron networks (singular)",
                 line=dict(color=COLORS["singular"], width=9), hoverinfo="skip"),
            dict(type="scatter3d", x=list(data["pinch"]), y=[0, 0], z=[0, 0], mode="markers",
                 name="pinch points α = 0, 1/3",
                 marker=dict(size=6, color="black", symbol="diamond")),
            dict(type="scatter3d", x=sx or [None], y=sy or [None], z=sz or [None], mode="lines",
                 name="cross-section", line=dict(color="black", width=6), hoverinfo="skip",
                 showlegend=False),
            dict(type="scatter3d", x=[a], y=[0], z=[0], mode="markers", showlegend=False,
                 marker=dict(size=7, color=COLORS["singular"], line=dict(color="black", width=1)),
                 hovertemplate=f"α = {a:.2f}: {data['network']}<extra></extra>"),
            dict(type="scatter", x=real_x or [None], y=real_y or [None], mode="lines",
                 xaxis="x", yaxis="y", name="section: real networks",
                 line=dict(color=blue, width=5), showlegend=False),
            dict(type="scatter", x=cplx_x or [None], y=cplx_y or [None], mode="lines",
                 name="only complex weights", line=dict(color=grey, width=5)),
            dict(type="scatter", x=[0], y=[0], mode="markers", name="the subnetwork",
                 showlegend=False,
                 marker=dict(size=16, color=COLORS["singular"], line=dict(color="black", width=1))),
        ]
        kind = {"node": "two sheets cross (a node)",
                "isolated point": "the line alone: an isolated point",
                "double line": "a pinch point: the sheets fold together"}[data["kind"]]
        ax = dict(range=[-R * 1.05, R * 1.05], autorange=False, tickvals=[-1, 0, 1])
        return _figure(
            traces,
            title=_title(f"cross-section at α = {a:.2f}: {kind}", y=0.97),
            scene=dict(domain=dict(x=[0, 0.6], y=[0, 1]),
                       xaxis=dict(title=_title("α  (x³)"), range=[lo, hi], autorange=False,
                                  tickvals=[-1, 0, 1]),
                       yaxis=dict(title=_title("β"), **ax), zaxis=dict(title=_title("γ"), **ax),
                       aspectmode="manual", aspectratio=dict(x=1.4, y=1, z=1),
                       camera=dict(eye=dict(x=0.55, y=-2.1, z=1.0), center=dict(x=0, y=0, z=-0.1))),
            xaxis=dict(domain=[0.68, 1], range=[-R * 1.05, R * 1.05], title=_title("β"),
                       zeroline=False, constrain="domain"),
            yaxis=dict(range=[-R * 1.05, R * 1.05], title=_title("γ"), zeroline=False,
                       scaleanchor="x", scaleratio=1),
            annotations=[panel_title("the slice (3-D)", 0.3),
                         panel_title(_panel_text(a), 0.84)],
            legend=dict(orientation="h", x=0, y=1.06, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=10, r=20, t=130, b=50), height=640)

    def static_figure(self, frames: bool = True):
        """The static fallback; each slider step also retitles the cross-section panel
        (an annotation, which the generic steps leave alone)."""
        fig = super().static_figure(frames)
        if not fig.layout.sliders:
            return fig
        (k,) = [i for i, note in enumerate(fig.layout.annotations)
                if (note.text or "").startswith(_panel_text(0)[:-4])]
        steps = list(fig.layout.sliders[0].steps)
        for step in steps:
            step.args[1].update({f"annotations[{k}].text": _panel_text(float(step.label))})
        fig.layout.sliders[0].steps = steps
        return fig

    def info(self, data):
        return (f"On this slice the cubic equation reads ${_tex(data['equation'])}$. At "
                f"$\\alpha = {data['alpha']:.2f}$ the axis point is {data['network']}; the exact "
                f"rank of $d\\varphi$ there is <b>{data['rank']}</b> of {data['generic']}. "
                + {"node": "Near it the slice is two smooth sheets crossing: a line of nodes.",
                   "isolated point": "No other real point of the slice is near it: in this "
                   "slice the subnetwork is an isolated point of the section.",
                   "double line": "Here the two sheets fold onto each other: a pinch point."}
                [data["kind"]])


def _tex(equation):
    return (equation.replace("alpha", "\\alpha").replace("beta", "\\beta")
            .replace("gamma", "\\gamma").replace(" ", "\\,"))


# --------------------------------------------------------------------------- Voronoi cells

_LIM = VORONOI_WINDOW


def _grid_record(value):
    grid, *lists = value
    return to_record([[grid.curve, grid.xs, grid.ys, grid.mask, grid.fraction, grid.area,
                       grid.tolerance]] + lists)


def _grid_from_record(record):
    (fields, *lists) = from_record(record)
    return (VoronoiGrid(*fields), *lists)


# a cell takes about 0.5 s to classify (161 x 161 targets): kept on disk
@memoize("explorers.voronoi", disk=True, maxsize=8, encode=_grid_record,
         decode=_grid_from_record)
def _voronoi(curve):
    """The cell of :func:`nagviz.experiments.voronoi_cell` and the curve, as plot lists."""
    c = VORONOI_CURVES[curve][0]
    grid = voronoi_cell(curve)
    # an array (NaN: not in the cell, a gap in the heat map), not nested lists, which
    # plotly checks and copies element by element (a second show(): 0.19 s -> 0.04 s)
    region = np.where(grid.mask, 1.0, np.nan).astype(np.float32)  # as rows of 4-byte floats
    t = np.linspace(-2.2, 2.2, 441)
    xs, ys = [], []
    for pts in c.sample(t):
        inside = (np.abs(pts[0]) <= _LIM * 1.1) & (np.abs(pts[1]) <= _LIM * 1.1)
        xs += np.where(inside, np.round(pts[0], 4), None).tolist() + [None]
        ys += np.where(inside, np.round(pts[1], 4), None).tolist() + [None]
    return grid, region, xs, ys


class VoronoiExplorer(KeepStaticTraces):
    """Targets whose nearest point on a plane curve is the singular point.

    The shaded region is the Voronoi cell of the singular point on a grid of targets
    (:func:`nagviz.singularities.singular_voronoi_grid`); the sliders move one target,
    whose nearest point (orange) is computed exactly from the real roots of the
    derivative of the squared distance.

    Examples
    --------
    >>> e = VoronoiExplorer()
    >>> d = e.compute(curve="cusp", x=-1.0, y=0.3)
    >>> d["is_singular"], d["fraction"] > 0.3
    (True, True)
    >>> e.compute(curve="node", x=-1.0, y=0.3)["fraction"] < 1e-3    # the node alone
    True
    """

    title = "Critical exposure: which targets does a singular point attract?"
    question = ("for the cusp, put the target behind the tip (x < 0). Is the tip still the "
                "nearest point when you move the target up or down? Now switch to the node: "
                "which targets have the node as their nearest point?")
    static_control = "curve"
    static_values = tuple(VORONOI_CURVES)

    def make_controls(self):
        import ipywidgets as w

        return {
            "curve": w.Dropdown(options=[(v[1], k) for k, v in VORONOI_CURVES.items()],
                                value="cusp", description="curve", style=STYLE,
                                layout=w.Layout(width="420px")),
            "x": w.FloatSlider(value=-0.8, min=-2.0, max=2.0, step=0.05, description="target x",
                               style=STYLE),
            "y": w.FloatSlider(value=0.4, min=-2.0, max=2.0, step=0.05, description="target y",
                               style=STYLE),
        }

    def defaults(self):
        return dict(curve="cusp", x=-0.8, y=0.4)

    def compute(self, curve, x, y):
        grid, region, cx, cy = _voronoi(curve)
        near = nearest_point_on_curve(VORONOI_CURVES[curve][0], (float(x), float(y)))
        return dict(curve=curve, label=VORONOI_CURVES[curve][1], xs=grid.xs, ys=grid.ys,
                    region=region, curve_x=cx, curve_y=cy, target=(float(x), float(y)),
                    point=near.point, distance=near.distance, is_singular=near.is_singular,
                    fraction=grid.fraction, resolution=len(grid.xs))

    def figure(self, data):
        tx, ty = data["target"]
        px, py = data["point"]
        where = "the singular point" if data["is_singular"] else "a smooth point"
        traces = [
            dict(type="heatmap", x=np.round(data["xs"], 4), y=np.round(data["ys"], 4),
                 z=data["region"], colorscale=flat_colorscale(COLORS["singular"]), opacity=0.3,
                 showscale=False, hoverinfo="skip", name="Voronoi cell of the singular point",
                 meta=f"static:{data['curve']}"),
            dict(type="scatter", x=data["curve_x"], y=data["curve_y"], mode="lines",
                 name=data["label"], line=dict(color=COLORS["manifold"], width=4),
                 meta=f"static:{data['curve']}"),
            dict(type="scatter", x=[tx, px], y=[ty, py], mode="lines", showlegend=False,
                 line=dict(color=COLORS["neutral"], width=2, dash="dash"), hoverinfo="skip"),
            dict(type="scatter", x=[0], y=[0], mode="markers", name="singular point",
                 marker=dict(size=19, color=COLORS["singular"], line=dict(color="black", width=1))),
            dict(type="scatter", x=[tx], y=[ty], mode="markers", name="target",
                 marker=dict(size=15, symbol="diamond", color=COLORS["data"],
                             line=dict(color="black", width=1))),
            dict(type="scatter", x=[px], y=[py], mode="markers", name="nearest point",
                 marker=dict(size=10, color=COLORS["teacher"], line=dict(color="black", width=1))),
            dict(type="scatter", x=[None], y=[None], mode="markers",
                 name="targets attracted by the singular point",
                 marker=dict(symbol="square", size=14, color=COLORS["singular"], opacity=0.35)),
        ]
        return _figure(
            traces,
            title=_title(f"{data['label']}: nearest point is {where}", y=0.97),
            xaxis=dict(range=[-_LIM, _LIM], title=_title("x"), zeroline=False,
                       constrain="domain"),
            yaxis=dict(range=[-_LIM, _LIM], title=_title("y"), zeroline=False, scaleanchor="x",
                       scaleratio=1),
            legend=dict(x=1.02, y=1.0, xanchor="left", font=dict(size=14)),
            margin=dict(l=70, r=20, t=70, b=60), height=600)

    def info(self, data):
        n = data["resolution"]
        share = data["fraction"]
        cell = ("a region of positive area" if share > 1e-3 else
                "no grid point but the singular point itself")
        return (f"The singular point is the nearest point for <b>{100 * share:.1f}%</b> of a "
                f"{n} × {n} grid of targets in the window: {cell}. Your target is at distance "
                f"{data['distance']:.3f} from the curve.")

"""Explorers of notebook 05: singular points, subnetworks and the implicit bias of training.

* :class:`RankPathExplorer` -- the exact rank of the differential of the
  parameterization along a path that switches a neuron off or merges two neurons: it
  drops exactly at the subnetwork (and, for a CNN, does not drop at a sparse filter);
* :class:`SingularSliceExplorer` -- a 3-D slice of the (2, 2, 1), ``z^3 + z^2``
  neuromanifold (a cubic hypersurface in R^7) that is singular along a line of
  one-neuron networks, with its cross-sections (nodes and an isolated point);
* :class:`VoronoiExplorer` -- which targets in the plane have the singular point of a
  curve as nearest point: a fat region behind a cusp or a corner, nothing but the point
  itself for a node or two crossing lines;
* :class:`CriticalVersusBestExplorer` -- for the (2, 2, 1), ``z^3 + z^2`` network and a
  choice of data distribution: how often a subnetwork is critical, a trap, or the best
  fit (slow, cached, with a progress bar);
* :class:`TrainingExplorer` -- gradient descent on the quadratic network (2, 2, 1), drawn
  in its 3-D function space, where the one-neuron networks form the cone ``b^2 = 4ac``
  (slow, cached, with a progress bar);
* plain figures: the gradient, Hessian and escape direction at a dead neuron
  (:func:`dead_neuron_data`, :func:`dead_neuron_figure`) and the MLP-versus-CNN
  training experiment (:func:`experiment_figure`).

Every number comes from :mod:`nagviz.singularities` and :mod:`nagviz.training`; the
explorers only arrange it. Colours by role (:data:`nagviz.theme.COLORS`): neuromanifolds
blue, singular points and subnetworks vermillion, targets green, training paths purple,
best fits orange, reference lines grey.

>>> from nagviz.explorers.singularities import RankPathExplorer
>>> data = RankPathExplorer().compute(case="(3,2,1) off", seed=0)
>>> data["ranks"][0], data["ranks"][-1], data["generic"]
(5, 3, 5)
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..architecture import Architecture
from ..cnn import CNNArchitecture
from ..singularities import (CORNER, CROSSING_LINES, CUBIC_221, CUSP, NODE, QUADRATIC_221,
                             ParameterPath, _decompose_221, best_fit_is_subnetwork_fraction,
                             cone_coordinates,
                             dead_neuron_point, escape_direction, loss_gradient, loss_hessian,
                             merge_path, nearest_point_on_curve, rank_one_trap_experiment,
                             singular_slice_221, singular_voronoi_grid, slice_cross_section_221,
                             switch_off_path, tangent_rank)
from ..theme import COLORS
from ..training import best_fit, hidden_units, sample_targets
from ._base import Explorer, ProgressExplorer, plain_figure as _figure, title as _title

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
]

_STYLE = {"description_width": "initial"}
_FLOOR = 1e-17  # log-scale plots put exact zeros here


# --------------------------------------------------------------------------- helpers





def _json(a, decimals=5):
    """Nested lists with ``None`` for NaN (the widget comm needs valid JSON), rounded."""
    a = np.round(np.asarray(a, dtype=float), decimals)
    return np.where(np.isfinite(a), a, None).tolist()


def _floor(a):
    return np.maximum(np.nan_to_num(np.abs(np.asarray(a, dtype=float)), nan=_FLOOR), _FLOOR)


def _panel_title(text, x, y=1.0):
    return dict(text=text, x=x, y=y, xref="paper", yref="paper", showarrow=False,
                xanchor="center", yanchor="bottom", font=dict(size=16, color="#444"))


def _flat(color):
    return [[0.0, color], [1.0, color]]


class _KeepStaticTraces(Explorer):
    """In-place updates that skip heavy traces which did not change.

    A trace whose ``meta`` is ``"static:<key>"`` depends only on ``<key>`` (a curve, a
    mesh); when the live trace carries the same ``meta`` it is left alone, so that moving
    a target does not resend a 160 x 160 heat map or a surface.
    """

    def _update(self, target, new):
        same = len(target.data) == len(new.data) and all(
            a.type == b.type for a, b in zip(target.data, new.data))
        if not same:
            return Explorer._update(target, new)
        with target.batch_update():
            for old, fresh in zip(target.data, new.data):
                meta = fresh.meta
                if isinstance(meta, str) and meta.startswith("static:") and old.meta == meta:
                    continue
                old.update(fresh.to_plotly_json(), overwrite=True)
            layout = new.layout.to_plotly_json()
            for key in ("template", "scene", "scene2", "scene3"):
                layout.pop(key, None)
            target.layout.update(layout)


class _ProgressExplorer(ProgressExplorer, _KeepStaticTraces):
    """An explorer whose ``compute`` accepts ``progress=``: a bar in widget mode."""


# --------------------------------------------------------------------------- ranks along paths

#: Paths of the rank explorer: ``key -> (label, architecture, note)``.
PATH_CASES = {
    "(3,2,1) off": ("(3,2,1), z²: switch neuron 2 off", Architecture((3, 2, 1), 2),
                "one-neuron network: a singular point of the hypersurface of rank ≤ 2 "
                "quadrics"),
    "(3,2,1) merge": ("(3,2,1), z²: merge the two neurons", Architecture((3, 2, 1), 2),
                  "both neurons compute the same square: again a one-neuron network"),
    "(3,2,1) out-weight": ("(3,2,1), z²: only neuron 2's out-weight → 0",
                           Architecture((3, 2, 1), 2),
                "the same function as switching the neuron off, reached with its in-weights "
                "still on: a smaller drop"),
    "cone: v → 0": ("(2,1,1), z²: out-weight → 0 (the cone's vertex)", Architecture((2, 1, 1), 2),
                "the zero function, the vertex of the cone b² = 4ac"),
    "cone: w → 0": ("(2,1,1), z²: in-weights → 0 (the cone's vertex)", Architecture((2, 1, 1), 2),
               "the zero function again, now with nothing left to move"),
    "linear merge": ("linear (3,2,3): merge the two neurons", Architecture((3, 2, 3), 1),
                  "W₁ drops to rank 1: a 3×3 matrix of rank 1, singular on rank ≤ 2"),
    "linear off": ("linear (3,2,3): switch neuron 1 off", Architecture((3, 2, 3), 1),
                "both factors drop to rank 1"),
    "CNN entry": ("CNN (2,2), z³+z²: one filter entry → 0", CNNArchitecture((2, 2), "z^3 + z^2"),
                "a sparse filter: for this CNN it is NOT a rank drop"),
}


def _start_point(arch, seed):
    """A start point with small nonzero integer entries and the generic rank."""
    for k in range(20):
        rng = np.random.default_rng(1000 * seed + k)
        theta = rng.integers(1, 4, arch.n_parameters) * rng.choice([-1, 1], arch.n_parameters)
        if tangent_rank(arch, theta.tolist()).drop == 0:
            return [int(x) for x in theta]
    raise RuntimeError(f"no generic start point found for {arch!r}")  # pragma: no cover


def _path(case, seed):
    label, arch, note = PATH_CASES[case]
    theta = _start_point(arch, seed)
    if case in ("(3,2,1) off", "linear off"):
        path = switch_off_path(arch, theta, 1, 1 if case == "(3,2,1) off" else 0)
    elif case in ("(3,2,1) merge", "linear merge"):
        path = merge_path(arch, theta, 1, 0, 1)
    else:
        end = list(theta)
        if case == "(3,2,1) out-weight":
            end[hidden_units(arch)[1].outgoing[0]] = 0
        elif case == "cone: v → 0":
            end[2] = 0
        elif case == "cone: w → 0":
            end[0] = end[1] = 0
        elif case == "CNN entry":
            end[0] = 0
        path = ParameterPath(tuple(theta), tuple(end), label)
    return arch, path, label, note


@lru_cache(maxsize=64)
def _rank_path(case, seed, n=21):
    arch, path, label, note = _path(case, seed)
    ts = np.linspace(0.0, 1.0, n)
    ranks = [tangent_rank(arch, path(Fraction(i, n - 1))).rank for i in range(n)]
    # float cross-check, approaching the subnetwork geometrically: 1 - t = 1, ..., 1e-8
    gaps = np.logspace(0, -8, 33)
    sv = [tangent_rank(arch, np.array([float(x) for x in path(1.0 - h)]),
                       exact=False).singular_values for h in gaps]
    at_end = tangent_rank(arch, np.array([float(x) for x in path(1)]), exact=False)
    width = max(len(x) for x in sv)
    S = np.full((len(gaps), width), np.nan)
    for i, x in enumerate(sv):
        S[i, :len(x)] = x
    end = [str(x) for x in path(1)]
    start = [str(x) for x in path(0)]
    generic = tangent_rank(arch, path(0)).generic_rank
    return dict(case=case, label=label, note=note, arch=repr(arch), ts=ts, ranks=ranks,
                generic=generic, gaps=gaps, singular_values=S, float_rank_at_end=at_end.rank,
                start=start, end=end, parameters=arch.n_parameters)


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

    def make_controls(self):
        import ipywidgets as w

        return {
            "case": w.Dropdown(options=[(v[0], k) for k, v in PATH_CASES.items()],
                               value="(3,2,1) off", description="path", style=_STYLE,
                               layout=w.Layout(width="480px")),
            "seed": w.IntSlider(value=0, min=0, max=9, description="start point (seed)",
                                style=_STYLE),
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
            ys += _floor(S[:, j]).tolist() + [None]
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
            annotations=[_panel_title("exact rank", 0.22),
                         _panel_title("float singular values, log–log", 0.79)],
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

@lru_cache(maxsize=1)
def _slice_mesh():
    s = singular_slice_221()
    sheets = []
    for (X, Y, Z), R in zip(s.sheets, s.real):
        sheets.append(dict(x=_json(X, 4), y=_json(Y, 4), z=_json(Z, 4),
                           real=np.where(np.isfinite(X), R.astype(float), None).tolist()))
    return s, sheets


@lru_cache(maxsize=64)
def _slice_rank(alpha):
    from fractions import Fraction

    a = Fraction(alpha).limit_denominator(1000)
    if a == 0:  # two opposite neurons: sigma(x) + sigma(-x) = 2 x^2
        theta = [1, 0, -1, 0, Fraction(1, 2), Fraction(1, 2)]
        network = "σ(x)/2 + σ(−x)/2 (two opposite neurons)"
    else:
        theta = [a, 0, 0, 0, 1 / a ** 2, 0]
        network = f"{float(1 / a ** 2):.3g}·σ({float(a):.3g}·x) (one neuron)"
    r = tangent_rank(CUBIC_221, theta)
    return r.rank, r.generic_rank, network


class SingularSliceExplorer(_KeepStaticTraces):
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
    static_values = (-0.8, -0.3, 0.1, 0.25, 0.5, 1.0)

    def make_controls(self):
        import ipywidgets as w

        return {"alpha": w.FloatSlider(value=-0.5, min=-1.0, max=1.2, step=0.05,
                                       description="cross-section α", style=_STYLE)}

    def defaults(self):
        return dict(alpha=-0.5)

    def compute(self, alpha):
        alpha = round(float(alpha), 6)
        s, sheets = _slice_mesh()
        sec = slice_cross_section_221(alpha)
        rho = np.linspace(-s.radius, s.radius, 41)
        lines = []
        base, dirs = np.array(s.base), np.array(s.directions)
        for d in sec["directions"]:
            pts = np.outer(rho, d)
            coeffs = base + np.column_stack([np.full(len(rho), alpha), pts]) @ dirs
            real = _decompose_221(coeffs, 1e-7)[1]
            lines.append((pts, real))
        rank, generic, network = _slice_rank(alpha)
        return dict(alpha=alpha, sheets=sheets, kind=sec["kind"], lines=lines,
                    radius=s.radius, equation=s.equation, rank=rank, generic=generic,
                    network=network, alpha_range=(float(s.alphas[0]), float(s.alphas[-1])),
                    pinch=s.pinch_points)

    def figure(self, data):
        a, R = data["alpha"], data["radius"]
        blue, grey = COLORS["manifold"], "#B8B8B8"
        scale = [[0.0, grey], [0.5, grey], [0.5, blue], [1.0, blue]]
        traces = []
        for k, sh in enumerate(data["sheets"]):
            traces.append(dict(type="surface", x=sh["x"], y=sh["y"], z=sh["z"],
                               surfacecolor=sh["real"], cmin=0, cmax=1, colorscale=scale,
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
        plane = dict(type="surface", x=[[a, a], [a, a]], y=[[-R, R], [-R, R]],
                     z=[[-R, -R], [R, R]], surfacecolor=[[0, 0], [0, 0]],
                     colorscale=_flat("#888888"), opacity=0.18, showscale=False,
                     hoverinfo="skip", name="cross-section plane", showlegend=False)
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
            annotations=[_panel_title("the slice (3-D)", 0.3),
                         _panel_title(f"cross-section α = {a:.2f}", 0.84)],
            legend=dict(orientation="h", x=0, y=1.06, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=10, r=20, t=130, b=50), height=640)

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

_CURVES = {"cusp": CUSP, "node": NODE, "crossing lines": CROSSING_LINES, "corner": CORNER}
_CURVE_LABELS = {
    "cusp": "cusp  y² = x³",
    "node": "node  y² = x²(x + 1)",
    "crossing lines": "two crossing lines  y² = x²",
    "corner": "corner: one nappe of the cone, slice b = 0",
}
_LIM = 2.0


@lru_cache(maxsize=8)
def _voronoi(curve):
    c = _CURVES[curve]
    grid = singular_voronoi_grid(c, (-_LIM, _LIM), (-_LIM, _LIM), resolution=161)
    region = np.where(grid.mask, 1.0, None).tolist()
    t = np.linspace(-2.2, 2.2, 441)
    xs, ys = [], []
    for pts in c.sample(t):
        inside = (np.abs(pts[0]) <= _LIM * 1.1) & (np.abs(pts[1]) <= _LIM * 1.1)
        xs += np.where(inside, np.round(pts[0], 4), None).tolist() + [None]
        ys += np.where(inside, np.round(pts[1], 4), None).tolist() + [None]
    return grid, region, xs, ys


class VoronoiExplorer(_KeepStaticTraces):
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
    static_values = tuple(_CURVES)

    def make_controls(self):
        import ipywidgets as w

        return {
            "curve": w.Dropdown(options=[(v, k) for k, v in _CURVE_LABELS.items()],
                                value="cusp", description="curve", style=_STYLE,
                                layout=w.Layout(width="420px")),
            "x": w.FloatSlider(value=-0.8, min=-2.0, max=2.0, step=0.05, description="target x",
                               style=_STYLE),
            "y": w.FloatSlider(value=0.4, min=-2.0, max=2.0, step=0.05, description="target y",
                               style=_STYLE),
        }

    def defaults(self):
        return dict(curve="cusp", x=-0.8, y=0.4)

    def compute(self, curve, x, y):
        grid, region, cx, cy = _voronoi(curve)
        near = nearest_point_on_curve(_CURVES[curve], (float(x), float(y)))
        return dict(curve=curve, label=_CURVE_LABELS[curve], xs=grid.xs, ys=grid.ys,
                    region=region, curve_x=cx, curve_y=cy, target=(float(x), float(y)),
                    point=near.point, distance=near.distance, is_singular=near.is_singular,
                    fraction=grid.fraction, resolution=len(grid.xs))

    def figure(self, data):
        tx, ty = data["target"]
        px, py = data["point"]
        where = "the singular point" if data["is_singular"] else "a smooth point"
        traces = [
            dict(type="heatmap", x=np.round(data["xs"], 4), y=np.round(data["ys"], 4),
                 z=data["region"], colorscale=_flat(COLORS["singular"]), opacity=0.3,
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


# --------------------------------------------------------------------------- critical vs best

#: Data distributions of the critical-versus-best explorer: label -> (inner product, input scale).
DISTRIBUTIONS = {
    "Euclidean": ("euclidean", 1.0),
    "Bombieri–Weyl": ("bombieri", 1.0),
    "Gaussian, σ = 0.5": ("gaussian", 0.5),
    "Gaussian, σ = 1": ("gaussian", 1.0),
    "Gaussian, σ = 2": ("gaussian", 2.0),
}
_N_TARGETS, _RESTARTS = 40, 12


class CriticalVersusBestExplorer(_ProgressExplorer):
    """Is a subnetwork critical, a trap, or the best fit? The (2, 2, 1), ``z^3 + z^2`` network.

    For ``40`` Gaussian targets (standard for the chosen inner product, seed 0) the best
    fit of the full network and of its one-neuron subnetworks are found by
    Levenberg–Marquardt restarts (:func:`nagviz.singularities.best_fit_is_subnetwork_fraction`).
    Left: how often the best subnetwork fit is a critical point of the full loss, a trap
    (switching the neuron back on raises the loss to second order), and the best fit.
    Right: subnetwork loss against full-network loss per target; a point on the diagonal
    would be a target whose best fit is a subnetwork.

    Examples
    --------
    >>> d = CriticalVersusBestExplorer().compute(distribution="Bombieri–Weyl")
    >>> d["n"], d["best"]
    (40, 0)
    >>> d["critical"] > d["n"] // 2
    True
    """

    title = "Critical is not best: subnetworks of (2, 2, 1) with σ = z³ + z²"
    question = ("a subnetwork is a critical point of the full loss for every target. Will it "
                "often be the global best fit? Does the answer depend on how the data is "
                "distributed?")
    static_control = "distribution"
    static_values = ("Euclidean", "Bombieri–Weyl", "Gaussian, σ = 1")
    progress_label = "fitting networks and subnetworks"
    slow = True  # a distribution not yet computed takes 1-3 s

    def make_controls(self):
        import ipywidgets as w

        return {"distribution": w.SelectionSlider(options=list(DISTRIBUTIONS),
                                                  value="Euclidean",
                                                  description="data distribution",
                                                  style=_STYLE, layout=w.Layout(width="520px"))}

    def defaults(self):
        return dict(distribution="Euclidean")

    def compute(self, distribution, progress=None):
        ip, scale = DISTRIBUTIONS[distribution]
        r = best_fit_is_subnetwork_fraction(CUBIC_221, _N_TARGETS, _RESTARTS, inner_product=ip,
                                            input_scale=scale, seed=0, progress=progress)
        ok = ~r.full_at_infinity & ~r.subnetwork_at_infinity
        return dict(distribution=distribution, n=r.n_targets, critical=int(r.critical.sum()),
                    trap=int(r.second_order_minimum.sum()), best=int(r.best_is_subnetwork.sum()),
                    full_loss=r.full_loss, sub_loss=r.subnetwork_loss, is_critical=r.critical,
                    finite=ok, gap_median=float(np.median(r.relative_gap)),
                    gap_min=float(r.relative_gap.min()), restarts=r.restarts,
                    infinity=int((~ok).sum()))

    def figure(self, data):
        n = data["n"]
        names = ["critical for the full loss", "a trap (2nd-order minimum)",
                 "the best fit of the full network"]
        values = [data["critical"], data["trap"], data["best"]]
        colors = [COLORS["singular"], COLORS["path"], COLORS["teacher"]]
        full, sub = _floor(data["full_loss"]), _floor(data["sub_loss"])
        crit = np.asarray(data["is_critical"])
        lo = float(min(full.min(), sub.min())) / 2
        hi = float(max(full.max(), sub.max())) * 2
        traces = [
            dict(type="bar", x=[v / n for v in values], y=names, orientation="h",
                 marker=dict(color=colors), text=[f"{v} of {n}" for v in values],
                 textposition="outside", cliponaxis=False, showlegend=False,
                 hovertemplate="%{y}: %{text}<extra></extra>"),
            dict(type="scatter", x=[lo, hi], y=[lo, hi], mode="lines", xaxis="x2", yaxis="y2",
                 name="subnetwork = best fit", line=dict(color=COLORS["neutral"], dash="dash")),
            dict(type="scatter", x=full[crit].tolist() or [None], y=sub[crit].tolist() or [None],
                 mode="markers", xaxis="x2", yaxis="y2", name="best subnetwork fit is critical",
                 marker=dict(size=9, color=COLORS["singular"], line=dict(color="black", width=1))),
            dict(type="scatter", x=full[~crit].tolist() or [None],
                 y=sub[~crit].tolist() or [None], mode="markers", xaxis="x2", yaxis="y2",
                 name="not critical (or a fit at infinity)",
                 marker=dict(size=9, color="white", line=dict(color=COLORS["singular"], width=2))),
        ]
        return _figure(
            traces,
            title=_title(f"{data['distribution']} loss: best fit is a subnetwork for "
                         f"{data['best']} of {n} targets", y=0.97),
            xaxis=dict(domain=[0.3, 0.52], range=[0, 1.35], title=_title("fraction of targets"),
                       tickformat=".0%"),
            yaxis=dict(autorange="reversed"),
            xaxis2=dict(domain=[0.64, 1], type="log", range=[math.log10(lo), math.log10(hi)],
                        anchor="y2", title=_title("best loss, full network"),
                        exponentformat="power"),
            yaxis2=dict(type="log", range=[math.log10(lo), math.log10(hi)], anchor="x2",
                        title=_title("best loss, subnetwork"), exponentformat="power"),
            legend=dict(orientation="h", x=0.3, y=1.08, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=20, r=20, t=130, b=60), height=520)

    def info(self, data):
        return (f"{data['n']} Gaussian targets, {data['restarts']} Levenberg–Marquardt restarts "
                "per fit, seed 0. The best subnetwork fit is critical for the full loss for "
                f"{data['critical']} targets and a trap for {data['trap']}, yet it is the global "
                f"best fit for <b>{data['best']}</b>: its loss is higher by a factor "
                f"{1 + data['gap_median']:.2g} (median; smallest {1 + data['gap_min']:.2g}). "
                f"For {data['infinity']} targets some best fit runs off to infinity.")


# --------------------------------------------------------------------------- training

_TARGET_POOL = 20
_RUN_COLOR = "#8E3B74"  # the run shown in detail: a darker shade of the path colour
_INIT_SCALES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
_LEARNING_RATES = (0.002, 0.005, 0.01, 0.02, 0.04)
_RUNS, _STEPS, _POPULATION = 8, 5000, 100


@lru_cache(maxsize=1)
def _target_pool():
    return sample_targets(QUADRATIC_221, _TARGET_POOL, "bombieri", seed=2025)


@lru_cache(maxsize=1)
def _cone_mesh(h=2.2, n=49):
    th = np.linspace(0, 2 * np.pi, n)
    p = np.linspace(-h, h, 23)
    P, TH = np.meshgrid(p, th)
    return (np.round(P * np.cos(TH), 4).tolist(), np.round(P * np.sin(TH), 4).tolist(),
            np.round(P, 4).tolist())


@lru_cache(maxsize=1)
def _cone_generators(h=2.2, n=12):
    xs, ys, zs = [], [], []
    for th in np.linspace(0, 2 * np.pi, n, endpoint=False):
        xs += [round(-h * math.cos(th), 4), round(h * math.cos(th), 4), None]
        ys += [round(-h * math.sin(th), 4), round(h * math.sin(th), 4), None]
        zs += [-h, h, None]
    return xs, ys, zs


class TrainingExplorer(_ProgressExplorer):
    """Gradient descent on the quadratic network (2, 2, 1), drawn in its function space.

    ``f = v_1 (w_1 . x)^2 + v_2 (w_2 . x)^2`` fills the 3-dimensional space of binary
    quadratic forms, so every target is fitted exactly; the forms of rank one (one-neuron
    networks, or two parallel neurons) are the cone, drawn round in the coordinates of
    :func:`nagviz.singularities.cone_coordinates`. Eight runs of plain gradient descent
    (Bombieri loss, 5000 steps) from random initializations approach one target (green).
    Right: the relative loss of every run, and for the chosen run the norms of each
    neuron's in-weights and out-weight and the distance to the cone, on log scales.

    Examples
    --------
    >>> d = TrainingExplorer().compute(target=0, init_scale=1.0, lr=0.01, run=1)
    >>> len(d["outcomes"]), d["trajectories"].shape[1:]
    (8, (8, 3))
    """

    title = "Gradient descent is drawn to subnetworks: the quadratic network (2, 2, 1)"
    question = ("the network can fit every target exactly. Will all eight runs reach the "
                "green target? If some stop early, where in function space do they stop? "
                "Try a small initialization.")
    static_control = "init_scale"
    static_values = (0.1, 1.0)
    progress_label = "training"
    slow = True  # 8 runs plus 100 more for the statistics: about a second

    def make_controls(self):
        import ipywidgets as w

        return {
            "target": w.IntSlider(value=1, min=0, max=_TARGET_POOL - 1, description="target",
                                  style=_STYLE),
            "init_scale": w.SelectionSlider(options=list(_INIT_SCALES), value=1.0,
                                            description="init scale", style=_STYLE),
            "lr": w.SelectionSlider(options=list(_LEARNING_RATES), value=0.01,
                                    description="learning rate", style=_STYLE),
            "run": w.IntSlider(value=2, min=1, max=_RUNS, description="run shown in detail",
                               style=_STYLE),
        }

    def defaults(self):
        return dict(target=1, init_scale=1.0, lr=0.01, run=2)

    def compute(self, target, init_scale, lr, run, progress=None):
        t = _target_pool()[int(target)]

        def part(offset, share):
            if progress is None:
                return None
            return lambda done, total: progress(offset + int(share * done / max(total, 1)), 100)

        res = rank_one_trap_experiment(_RUNS, float(init_scale), float(lr), _STEPS,
                                       seed=int(target), targets=t, progress=part(0, 30))
        pop = rank_one_trap_experiment(_POPULATION, float(init_scale), float(lr), _STEPS,
                                       seed=0, progress=part(30, 70))
        if progress is not None:
            progress(100, 100)
        k = int(run) - 1
        near = pop.steps_near_cone()
        fitted = pop.outcome == "fit"
        return dict(
            target=int(target), init_scale=float(init_scale), lr=float(lr), run=int(run),
            target_point=cone_coordinates(t), eigen=res.target_eigenvalues[0],
            trajectories=res.trajectory, outcomes=res.outcome.tolist(),
            steps=res.steps_recorded, loss=res.loss_history, cone=res.cone_distance[:, k],
            in_norms=res.in_norms[:, k], out_weights=res.out_weights[:, k],
            conserved=res.conserved[k], relative_loss=res.relative_loss,
            counts=pop.counts, population=pop.n_runs, trapped=int(pop.trapped.sum()),
            near_median=int(np.median(near[fitted])) if fitted.any() else 0,
            near_share=float(near[fitted].sum() / max(fitted.sum() * pop.steps, 1)),
            steps_total=_STEPS)

    def figure(self, data):
        k = data["run"] - 1
        T = data["trajectories"]  # (K, runs, 3)
        cx, cy, cz = _cone_mesh()
        gx, gy, gz = _cone_generators()
        px, py, pz = [], [], []
        for j in range(T.shape[1]):
            if j == k:
                continue
            px += np.round(T[:, j, 0], 4).tolist() + [None]
            py += np.round(T[:, j, 1], 4).tolist() + [None]
            pz += np.round(T[:, j, 2], 4).tolist() + [None]
        ends = np.round(T[-1], 4).tolist()
        fit = [o == "fit" for o in data["outcomes"]]
        stuck = [o in ("one neuron off", "parallel neurons", "zero function")
                 for o in data["outcomes"]]
        tq, tr, tp = data["target_point"]
        steps = data["steps"]
        lx, ly = [], []
        for j in range(T.shape[1]):
            if j == k:
                continue
            lx += steps.tolist() + [None]
            ly += _floor(data["loss"][:, j]).tolist() + [None]
        w, v = data["in_norms"], np.abs(data["out_weights"])
        n1, n2 = COLORS["manifold"], COLORS["boundary"]
        traces = [
            dict(type="surface", x=cx, y=cy, z=cz,
                 surfacecolor=np.zeros((len(cx), len(cx[0]))).tolist(),
                 colorscale=_flat(COLORS["singular"]), opacity=0.1, showscale=False,
                 hoverinfo="skip", name="one-neuron networks: the cone b² = 4ac",
                 showlegend=True, meta="static:cone"),
            dict(type="scatter3d", x=gx, y=gy, z=gz, mode="lines", showlegend=False,
                 line=dict(color=COLORS["singular"], width=2), opacity=0.5, hoverinfo="skip",
                 meta="static:cone"),
            dict(type="scatter3d", x=px or [None], y=py or [None], z=pz or [None], mode="lines",
                 name="other runs", line=dict(color=COLORS["path"], width=4), opacity=0.8,
                 hoverinfo="skip"),
            dict(type="scatter3d", x=np.round(T[:, k, 0], 4).tolist(),
                 y=np.round(T[:, k, 1], 4).tolist(), z=np.round(T[:, k, 2], 4).tolist(),
                 mode="lines", name=f"run {data['run']}", line=dict(color=_RUN_COLOR, width=10),
                 hoverinfo="skip"),
            dict(type="scatter3d", x=[e[0] for e, f in zip(ends, fit) if f] or [None],
                 y=[e[1] for e, f in zip(ends, fit) if f] or [None],
                 z=[e[2] for e, f in zip(ends, fit) if f] or [None], mode="markers",
                 name="run reached the target",
                 marker=dict(size=6, color=COLORS["teacher"], line=dict(color="black", width=1)),
                 hoverinfo="skip"),
            dict(type="scatter3d", x=[e[0] for e, f in zip(ends, stuck) if f] or [None],
                 y=[e[1] for e, f in zip(ends, stuck) if f] or [None],
                 z=[e[2] for e, f in zip(ends, stuck) if f] or [None], mode="markers",
                 name="run stopped on the cone",
                 marker=dict(size=7, color=COLORS["singular"], symbol="square",
                             line=dict(color="black", width=1)), hoverinfo="skip"),
            dict(type="scatter3d", x=[tq], y=[tr], z=[tp], mode="markers", name="target",
                 marker=dict(size=8, symbol="diamond", color=COLORS["data"],
                             line=dict(color="black", width=1))),
            dict(type="scatter", x=lx or [None], y=ly or [None], mode="lines", xaxis="x",
                 yaxis="y", showlegend=False, line=dict(color="#BBBBBB", width=1.5),
                 hoverinfo="skip"),
            dict(type="scatter", x=steps.tolist(), y=_floor(data["loss"][:, k]).tolist(),
                 mode="lines", xaxis="x", yaxis="y", showlegend=False,
                 line=dict(color=_RUN_COLOR, width=3), name="relative loss"),
            dict(type="scatter", x=steps.tolist(), y=_floor(w[:, 0]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="‖w₁‖ (in)", legend="legend2",
                 line=dict(color=n1, width=3)),
            dict(type="scatter", x=steps.tolist(), y=_floor(v[:, 0]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="|v₁| (out)", legend="legend2",
                 line=dict(color=n1, width=3, dash="dash")),
            dict(type="scatter", x=steps.tolist(), y=_floor(w[:, 1]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="‖w₂‖ (in)", legend="legend2",
                 line=dict(color=n2, width=3)),
            dict(type="scatter", x=steps.tolist(), y=_floor(v[:, 1]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="|v₂| (out)", legend="legend2",
                 line=dict(color=n2, width=3, dash="dash")),
            dict(type="scatter", x=steps.tolist(), y=_floor(data["cone"]).tolist(), mode="lines",
                 xaxis="x2", yaxis="y2", name="distance to the cone", legend="legend2",
                 line=dict(color=COLORS["singular"], width=3, dash="dot")),
        ]
        outcome = data["outcomes"][k]
        lim = 2.2
        ax = dict(range=[-lim, lim], autorange=False, tickvals=[-2, 0, 2])
        return _figure(
            traces,
            title=_title(f"init scale {data['init_scale']:g}, learning rate {data['lr']:g}: "
                         f"run {data['run']} → {outcome}", y=0.98),
            scene=dict(domain=dict(x=[0, 0.5], y=[0, 1]),
                       xaxis=dict(title=_title("(a − c)/2"), **ax),
                       yaxis=dict(title=_title("b/2"), **ax),
                       zaxis=dict(title=_title("(a + c)/2"), **ax), aspectmode="cube",
                       camera=dict(eye=dict(x=1.9, y=-1.75, z=0.8))),
            xaxis=dict(domain=[0.6, 1], anchor="y", title=_title(""), showticklabels=False),
            yaxis=dict(domain=[0.56, 1], type="log", range=[-12.5, 1], anchor="x",
                       title=_title("‖f − t‖² / ‖t‖²"), exponentformat="power"),
            xaxis2=dict(domain=[0.6, 1], anchor="y2", title=_title("gradient descent step")),
            yaxis2=dict(domain=[0, 0.44], type="log", range=[-17.5, 1.2], anchor="x2",
                        title=_title("size"), exponentformat="power"),
            annotations=[_panel_title("function space: forms a x² + bxy + c y²", 0.25),
                         _panel_title("loss of all runs (this run in purple)", 0.8),
                         _panel_title(f"run {data['run']}: weights and distance to the cone",
                                      0.8, 0.45)],
            legend=dict(orientation="h", x=0, y=1.03, yanchor="bottom", font=dict(size=14)),
            legend2=dict(x=1.01, y=0.0, xanchor="left", yanchor="bottom", font=dict(size=13)),
            margin=dict(l=30, r=170, t=150, b=60), height=740)

    def info(self, data):
        k = data["run"] - 1
        l1, l2 = data["eigen"]
        kind = ("indefinite" if l1 > 0 > l2 else
                "positive definite" if l2 > 0 else "negative definite")
        kappa = data["conserved"]
        v0, v1 = data["out_weights"][0], data["out_weights"][-1]
        locks = []
        for j in range(2):
            if kappa[j] < 0:
                locks.append(f"neuron {j + 1}: κ = {kappa[j]:.2f} < 0, so |v{j + 1}| ≥ "
                             f"{math.sqrt(-kappa[j] / 2):.2f} forever and v{j + 1} keeps its sign "
                             f"({'+' if v0[j] > 0 else '−'})")
            else:
                locks.append(f"neuron {j + 1}: κ = {kappa[j]:.2f} ≥ 0, so ‖w{j + 1}‖ ≥ "
                             f"{math.sqrt(kappa[j]):.2f} forever: only v{j + 1} can switch it off")
        c = data["counts"]
        return (f"Target eigenvalues {l1:.2f}, {l2:.2f} ({kind}). Run {data['run']}: "
                f"<b>{data['outcomes'][k]}</b>, relative loss {data['relative_loss'][k]:.2g}; "
                f"out-weights {v0[0]:+.2f}, {v0[1]:+.2f} → {v1[0]:+.2f}, {v1[1]:+.2f}. "
                "The quantity κ = ‖w‖² − 2v² of each neuron is conserved by gradient flow: "
                + "; ".join(locks) + ".<br>"
                f"<b>Over {data['population']} random targets</b> with these settings: fitted "
                f"{c['fit']}, stuck on the cone {data['trapped']} (one neuron off "
                f"{c['one neuron off']}, parallel neurons {c['parallel neurons']}, zero "
                f"function {c['zero function']}), still moving {c['still moving']}, diverged "
                f"{c['diverged']}. Runs that did fit spent a median of {data['near_median']} of "
                f"{data['steps_total']} steps within 5% of the cone before leaving it.")


# --------------------------------------------------------------------------- plain figures

def dead_neuron_data(seed: int = 5, restarts: int = 8, n_directions: int = 60) -> dict:
    """Gradient, Hessian and escape direction at a dead neuron of (2, 2, 1), ``z^3 + z^2``.

    The point: the best fit of the one-neuron subnetwork to a Gaussian target (seed
    ``seed``), with neuron 2 added switched off (in- and out-weights zero). It is
    critical for the full loss; the Hessian vanishes in neuron 2's directions; the loss
    decreases along a direction only at third order
    (:func:`nagviz.singularities.escape_direction`).

    Examples
    --------
    >>> d = dead_neuron_data()
    >>> d["gradient"][[2, 3, 5]].tolist(), d["order"]
    ([0.0, 0.0, 0.0], 3)
    """
    t = sample_targets(CUBIC_221, 1, seed=seed)[0]
    sub = best_fit(Architecture((2, 1, 1), "z^3 + z^2"), t, restarts=restarts, seed=seed)
    theta = dead_neuron_point(CUBIC_221, sub.theta[0], 1, 1)
    unit = hidden_units(CUBIC_221)[1]
    g = loss_gradient(CUBIC_221, theta, target=t)
    H = loss_hessian(CUBIC_221, theta, target=t)
    esc = escape_direction(CUBIC_221, theta, unit, target=t, n_directions=n_directions, seed=0)
    s = np.linspace(-0.4, 0.4, 161)
    poly = np.polynomial.Polynomial(esc.loss_polynomial)
    return dict(seed=seed, target=t, theta=theta, gradient=g, hessian=H,
                dead=list(unit.parameters), names=["w₁₁", "w₁₂", "w₂₁", "w₂₂", "v₁", "v₂"],
                order=esc.order, coefficient=esc.coefficient, direction=esc.direction,
                s=s, change=poly(s) - poly(0.0), cubic=esc.coefficient * s ** 3,
                loss=float(poly(0.0)),
                restricted=np.array(esc.restricted_eigenvalues),
                eigenvalues=np.array(esc.hessian_eigenvalues))


def dead_neuron_figure(data):
    """Three panels: ``|gradient|`` per weight, the Hessian, the loss along the escape direction.

    Examples
    --------
    >>> fig = dead_neuron_figure(dead_neuron_data())
    >>> [t.type for t in fig.data]
    ['bar', 'heatmap', 'scatter', 'scatter']
    """
    g = np.abs(data["gradient"])
    dead = set(data["dead"])
    colors = [COLORS["singular"] if i in dead else COLORS["manifold"] for i in range(len(g))]
    text = ["exactly 0" if (i in dead and g[i] == 0) else f"{g[i]:.0e}" for i in range(len(g))]
    H = data["hessian"]
    big = float(np.abs(H).max())
    H = np.where(np.abs(H) < 1e-10 * big, 0.0, H)
    traces = [
        dict(type="bar", x=data["names"], y=_floor(g).tolist(), marker=dict(color=colors),
             text=text, textposition="outside", cliponaxis=False, showlegend=False,
             hovertemplate="%{x}: %{text}<extra></extra>"),
        dict(type="heatmap", z=np.round(H[::-1], 4).tolist(), x=data["names"],
             y=data["names"][::-1], xaxis="x2", yaxis="y2", zmin=-big, zmax=big, zmid=0,
             colorscale="RdBu", reversescale=True, showscale=False,
             text=[[f"{v:.2g}" if v else "0" for v in row] for row in H[::-1]],
             texttemplate="%{text}",
             textfont=dict(size=11), hovertemplate="%{y}, %{x}: %{z:.3g}<extra></extra>"),
        dict(type="scatter", x=data["s"].tolist(), y=np.round(data["cubic"], 7).tolist(),
             mode="lines", xaxis="x3", yaxis="y3", name=f"{data['coefficient']:.2f} s³",
             line=dict(color=COLORS["neutral"], dash="dash", width=2), hoverinfo="skip"),
        dict(type="scatter", x=data["s"].tolist(), y=np.round(data["change"], 7).tolist(),
             mode="lines", xaxis="x3", yaxis="y3", name="L(θ + s u) − L(θ)",
             line=dict(color=COLORS["path"], width=4),
             hovertemplate="s = %{x:.2f}: ΔL = %{y:.3g}<extra></extra>"),
    ]
    return _figure(
        traces,
        title=_title(f"neuron 2 switched off: gradient 0, Hessian 0 in its directions, "
                     f"escape at order {data['order']}", y=0.97),
        xaxis=dict(domain=[0, 0.28], title=_title("weight")),
        yaxis=dict(type="log", range=[-17.5, 1.5], title=_title("|∂L/∂w|", standoff=4),
                   exponentformat="power"),
        xaxis2=dict(domain=[0.37, 0.65], anchor="y2", side="bottom", title=_title("")),
        yaxis2=dict(anchor="x2"),
        xaxis3=dict(domain=[0.74, 1], anchor="y3", title=_title("step s along u")),
        yaxis3=dict(anchor="x3", title=_title("change of the loss"), exponentformat="power"),
        annotations=[_panel_title("gradient (vermillion: neuron 2)", 0.14),
                     _panel_title("Hessian", 0.51),
                     _panel_title("loss along the escape direction u", 0.87)],
        legend=dict(x=0.75, y=0.02, xanchor="left", yanchor="bottom", font=dict(size=13)),
        margin=dict(l=80, r=20, t=110, b=70), height=470)


def experiment_figure(results: dict):
    """Grouped bars: runs ending at a subnetwork above the best fit, per model and optimizer.

    Parameters
    ----------
    results : dict
        ``{label: SubnetworkExperimentResult}`` (:func:`nagviz.training.gd_subnetwork_experiment`).

    Examples
    --------
    >>> from nagviz.training import gd_subnetwork_experiment
    >>> r = gd_subnetwork_experiment(CUBIC_221, n_runs=4, steps=200, restarts=3)
    >>> [t.type for t in experiment_figure({"MLP, GD": r}).data]
    ['bar', 'bar']
    """
    labels = list(results)
    proper = [100 * results[k].fraction_proper for k in labels]
    zero = [100 * results[k].fraction_zero for k in labels]
    traces = [
        dict(type="bar", x=labels, y=proper, name="a unit off, the rest still on",
             marker=dict(color=COLORS["singular"])),
        dict(type="bar", x=labels, y=zero, name="the zero function",
             marker=dict(color=COLORS["neutral"])),
    ]
    top = max([p + z for p, z in zip(proper, zero)] + [1.0])
    notes = [dict(x=k, y=p + z, yshift=14, showarrow=False, font=dict(size=15),
                  text=f"{results[k].n_stuck} of {results[k].n_valid}")
             for k, p, z in zip(labels, proper, zero)]
    return _figure(
        traces,
        title=_title("runs that end at a subnetwork although the full network fits better",
                     y=0.96),
        barmode="stack", annotations=notes,
        yaxis=dict(title=_title("% of runs"), range=[0, 1.3 * top]),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", font=dict(size=14),
                    traceorder="normal"),
        margin=dict(l=70, r=20, t=110, b=80), height=440)


def stuck_neuron_figure(result, run=None):
    """The in-weights and out-weights of the unit that switched off in one training run.

    Parameters
    ----------
    result : SubnetworkExperimentResult
        From :func:`nagviz.training.gd_subnetwork_experiment`.
    run : int, optional
        Which run; default: the first one stuck at a proper subnetwork (some unit off, the
        function nonzero), else the first stuck run.

    Examples
    --------
    >>> from nagviz.training import gd_subnetwork_experiment
    >>> r = gd_subnetwork_experiment(CUBIC_221, n_runs=4, steps=200, restarts=3)
    >>> [t.name for t in stuck_neuron_figure(r, run=0).data][:2]
    ['‖incoming weights‖', '‖outgoing weights‖']
    """
    tr = result.training
    if run is None:
        proper = [i for i in result.stuck_runs if not result.at_zero_network[i]]
        run = (proper or result.stuck_runs or [0])[0]
    u = int(np.argmin(tr.final_units[run]))
    unit = tr.units[u]
    H = tr.history_theta[:, run, :]
    w_in = np.linalg.norm(H[:, list(unit.incoming)], axis=1)
    w_out = (np.linalg.norm(H[:, list(unit.outgoing)], axis=1) if unit.outgoing
             else np.zeros(len(H)))
    steps = tr.history_steps.tolist()
    loss = tr.history_loss[:, run]
    traces = [
        dict(type="scatter", x=steps, y=_floor(w_in).tolist(), mode="lines",
             name="‖incoming weights‖", line=dict(color=COLORS["singular"], width=4)),
        dict(type="scatter", x=steps, y=_floor(w_out).tolist(), mode="lines",
             name="‖outgoing weights‖", line=dict(color=COLORS["singular"], width=4, dash="dash")),
        dict(type="scatter", x=steps, y=_floor(loss).tolist(), mode="lines", name="loss",
             line=dict(color=COLORS["path"], width=3)),
        dict(type="scatter", x=[steps[0], steps[-1]], y=[max(result.best_loss[run], _FLOOR)] * 2,
             mode="lines", name="best fit of the full network",
             line=dict(color=COLORS["teacher"], width=2, dash="dot")),
    ]
    return _figure(
        traces,
        title=_title(f"run {run}: {unit.label} switches off, loss stays above the best fit",
                     y=0.96),
        xaxis=dict(title=_title("gradient descent step")),
        yaxis=dict(type="log", title=_title("size", standoff=6), exponentformat="power",
                   range=[-17.5, 1.5]),
        legend=dict(x=1.01, y=1.0, xanchor="left", font=dict(size=14)),
        margin=dict(l=90, r=20, t=70, b=60), height=420)


#: The training experiment of notebook 05: ``label -> (architecture, keyword arguments of
#: gd_subnetwork_experiment)``. Plain gradient descent and Levenberg–Marquardt on the MLP
#: (2, 2, 1) with ``z^3 + z^2``, and plain gradient descent on the CNN with filter sizes
#: (2, 2) and the same activation, with the same targets distribution, initialization,
#: learning rate, steps and tolerances.
EXPERIMENTS = {
    "MLP, gradient descent": (CUBIC_221, dict(method="gd", lr=4e-3, steps=5000)),
    "MLP, Levenberg–Marquardt": (CUBIC_221, dict(method="lm", steps=300)),
    "CNN, gradient descent": (CNNArchitecture((2, 2), "z^3 + z^2"),
                              dict(method="gd", lr=4e-3, steps=5000)),
}


def training_experiments(n_runs: int = 60, seed: int = 0, progress=None) -> dict:
    """Run :data:`EXPERIMENTS` (cached by :func:`nagviz.training.gd_subnetwork_experiment`).

    Returns ``{label: SubnetworkExperimentResult}``.

    Examples
    --------
    >>> r = training_experiments(n_runs=2, seed=1)
    >>> list(r) == list(EXPERIMENTS), all(x.n_runs == 2 for x in r.values())
    (True, True)
    """
    from ..training import gd_subnetwork_experiment

    out = {}
    for i, (label, (arch, kwargs)) in enumerate(EXPERIMENTS.items()):
        def sub(done, total, i=i):
            if progress is not None:
                progress(i * 100 + int(100 * done / max(total, 1)), 100 * len(EXPERIMENTS))
        out[label] = gd_subnetwork_experiment(arch, n_runs, seed=seed, progress=sub, **kwargs)
    if progress is not None:
        progress(100 * len(EXPERIMENTS), 100 * len(EXPERIMENTS))
    return out


def prewarm(progress=None, experiments: bool = True) -> int:
    """Compute what notebook 05 shows, so that its explorers open instantly.

    The explorers' first views and static fallbacks, and with ``experiments=True`` the
    training experiments (:func:`training_experiments`, and the statistics of the
    quadratic network with plain gradient descent and Levenberg–Marquardt). Returns
    the number of jobs, reported to ``progress(done, total)``.

    Examples
    --------
    >>> calls = []
    >>> prewarm(lambda done, total: calls.append((done, total)), experiments=False)
    8
    >>> calls[-1]
    (8, 8)
    """
    jobs = [lambda: [RankPathExplorer().compute(case=c, seed=0) for c in PATH_CASES],
            lambda: [SingularSliceExplorer().compute(alpha=a)
                     for a in SingularSliceExplorer.static_values],
            lambda: [VoronoiExplorer().compute(curve=c, x=0.0, y=0.0) for c in _CURVES]]
    for v in TrainingExplorer.static_values:
        jobs.append(lambda v=v: TrainingExplorer(init_scale=v).data())
    for d in CriticalVersusBestExplorer.static_values:
        jobs.append(lambda d=d: CriticalVersusBestExplorer().compute(distribution=d))
    if experiments:
        jobs.append(lambda: rank_one_trap_experiment(200, seed=0))
        jobs.append(lambda: rank_one_trap_experiment(200, init_scale=0.1, seed=0))
        jobs.append(lambda: rank_one_trap_experiment(200, seed=0, method="lm", steps=300))
        jobs.append(lambda: training_experiments())
    total = len(jobs)
    for i, job in enumerate(jobs):
        if progress is not None:
            progress(i, total)
        job()
    if progress is not None:
        progress(total, total)
    return total

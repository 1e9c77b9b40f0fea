"""Explorers of notebook 03: fibers you can see, and symmetry orbits you can slide along.

* :class:`HyperbolaFiberExplorer`: ``f(x) = w_2 w_1 x``; the fibers are hyperbolas, the
  rescaling orbit is a branch, the reflection ``w -> -w`` swaps the branches, and
  ``w = 0`` is a critical point of the parameterization (the function space, a line, is
  smooth there).
* :class:`TwoNeuronFiberExplorer`: one input, two hidden neurons, ``r = 2``; a 3-D slice of
  the fiber (a hypersurface of ``R^4``) with the function fixed by a slider.
* :class:`SymmetryOrbitExplorer`: pick an architecture, a point and a direction in the
  fiber (a symmetry, or an extra direction of a defective architecture); slide along it.
  The plotted function does not move; the weights do.
* :func:`level_set_figure`, :func:`drift_figure`: static figures of the conserved
  quantities (a gradient path on its hyperboloid, drift against step size).

Colours follow :mod:`nagviz.theme`: fibers sky blue, the current parameters and paths
reddish purple, critical points vermillion.
"""

from __future__ import annotations


import numpy as np

from ..architecture import Architecture
from ..cnn import CNNArchitecture
from ..fibers import (fiber_directions, follow_fiber, function_change, symmetry_flow,
                      two_neuron_fiber_slice)
from ..neuromanifolds import fiber_curves
from ..parameterization import evaluate
from ..theme import COLORS
from ._base import Explorer, plain_figure, title
from ..cache import memoize

__all__ = ["HyperbolaFiberExplorer", "TwoNeuronFiberExplorer", "SymmetryOrbitExplorer",
           "ORBIT_MODELS", "drift_figure", "level_set_figure", "quantity_figure"]

_STYLE = {"description_width": "initial"}
_LIM = 3.0


def _r(values, decimals=4):
    return np.round(np.asarray(values, dtype=float), decimals)


def _list(values, decimals=4):
    """Rounded values as nested lists, NaN as None (plotly's gap, and valid JSON for the
    live widget, which rejects NaN)."""
    a = _r(values, decimals)
    return np.where(np.isnan(a), None, a).tolist()


def _polyline(branches):
    xs, ys = [], []
    for b in branches:
        xs += _list(b[:, 0]) + [None]
        ys += _list(b[:, 1]) + [None]
    return xs, ys


# --------------------------------------------------------------------------- w2 w1 x

class HyperbolaFiberExplorer(Explorer):
    """``f(x) = w_2 w_1 x``: the fiber over ``c x``, its symmetries and the critical point.

    Examples
    --------
    >>> d = HyperbolaFiberExplorer().compute(c=2.0, u=0.5)
    >>> w1, w2 = d["point"]
    >>> round(float(w1 * w2), 12), d["reflection"].tolist() == (-d["point"]).tolist()
    (2.0, True)
    """

    title = "The fibers of f(x) = w₂·w₁·x"
    question = ("which parameters compute 2x? What happens to that set as c goes to 0, and "
                "is the function space singular there?")
    static_control = "c"
    static_values = (-1.5, -0.5, 0.0, 0.5, 1.5)

    def make_controls(self):
        import ipywidgets as w

        return {
            "c": w.FloatSlider(value=1.0, min=-2.0, max=2.0, step=0.1,
                               description="function f(x) = c·x, c", style=_STYLE),
            "u": w.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.05,
                               description="along the orbit: w₁ = eᵘ", style=_STYLE),
        }

    def defaults(self):
        return dict(c=1.0, u=0.0)

    def compute(self, c, u):
        c, u = round(float(c), 10), float(u)
        point = np.array([np.exp(u), c * np.exp(-u)])
        ts = np.linspace(-1.2, 1.2, 60)
        orbit = np.column_stack([np.exp(u + ts), c * np.exp(-u - ts)])
        orbit = orbit[np.all(np.abs(orbit) <= _LIM, axis=1)]
        return dict(c=c, u=u, point=point, reflection=-point, orbit=orbit,
                    branches=fiber_curves(c, lim=_LIM, n=120),
                    others=[fiber_curves(float(k), lim=_LIM, n=40) for k in (-4, -2, 2, 4)])

    def figure(self, data):
        ox, oy = _polyline([b for bs in data["others"] for b in bs])
        fx, fy = _polyline(data["branches"])
        (w1, w2), (r1, r2) = data["point"], data["reflection"]
        c = data["c"]
        traces = [
            dict(type="scatter", x=ox, y=oy, mode="lines", hoverinfo="skip", name="other fibers",
                 line=dict(color="#CCCCCC", width=1)),
            dict(type="scatter", x=fx, y=fy, mode="lines", name=f"fiber over c = {c:g}",
                 line=dict(color=COLORS["boundary"], width=5)),
            dict(type="scatter", x=_list(data["orbit"][:, 0]),
                 y=_list(data["orbit"][:, 1]), mode="lines",
                 name="rescaling orbit (w₁t, w₂/t)", line=dict(color=COLORS["path"], width=3,
                                                              dash="dot")),
            dict(type="scatter", x=[0], y=[0], mode="markers+text",
                 name="critical point of φ (w = 0)", text=["  dφ = 0"], textposition="middle right",
                 marker=dict(size=13, color=COLORS["singular"], symbol="x")),
            dict(type="scatter", x=[float(w1)], y=[float(w2)], mode="markers",
                 name="parameters (w₁, w₂)",
                 marker=dict(size=15, color=COLORS["path"], line=dict(color="black", width=1))),
            dict(type="scatter", x=[float(r1)], y=[float(r2)], mode="markers",
                 name="reflection (−w₁, −w₂)",
                 marker=dict(size=13, color="white", line=dict(color=COLORS["path"], width=3))),
            dict(type="scatter", x=[-2.2, 2.2], y=[0, 0], mode="lines", xaxis="x2", yaxis="y2",
                 name="M: all slopes c (a line, smooth)",
                 line=dict(color=COLORS["manifold"], width=4)),
            dict(type="scatter", x=[c], y=[0], mode="markers", xaxis="x2", yaxis="y2",
                 name="the function c·x", marker=dict(size=15, color=COLORS["path"])),
        ]
        return plain_figure(
            traces,
            title=title(f"(w₁, w₂) = ({w1:.2f}, {w2:.2f}) computes f(x) = {c:g}·x"),
            xaxis=dict(domain=[0, 0.55], range=[-_LIM, _LIM], title=title("w₁")),
            yaxis=dict(range=[-_LIM, _LIM], title=title("w₂"), scaleanchor="x", scaleratio=1),
            xaxis2=dict(domain=[0.68, 1], range=[-2.3, 2.3], title=title("c"), anchor="y2"),
            yaxis2=dict(range=[-1, 1], visible=False, anchor="x2"),
            legend=dict(orientation="h", x=0, y=-0.18, yanchor="top", font=dict(size=14)),
            margin=dict(l=70, r=20, t=70, b=150), height=640)

    def info(self, data):
        if data["c"] == 0:
            return ("Over $c = 0$ the fiber is the two axes, crossing at $w = 0$. There "
                    "$d\\varphi = (w_2, w_1) = 0$: $w = 0$ is a **critical point of the "
                    "parameterization**. The function space, the line of slopes, is smooth "
                    "at $0$: nothing is singular in $\\mathcal M$; the fiber changes shape "
                    "because $\\varphi$ drops rank.")
        return ("Sliding along the orbit multiplies $w_1$ by $t$ and $w_2$ by $1/t$; the "
                "reflection $(-w_1, -w_2)$ ($t = -1$) jumps to the other branch. Both keep "
                "$f$ fixed.")


# --------------------------------------------------------------------------- one input, two neurons

class TwoNeuronFiberExplorer(Explorer):
    """``f(x) = (v_1 w_1^2 + v_2 w_2^2) x^2``: a 3-D slice ``v_2 = s`` of the fiber over ``c x^2``.

    Examples
    --------
    >>> d = TwoNeuronFiberExplorer().compute(c=1.0, s=0.5, w2=0.5, u=0.0)
    >>> w1, w2, v1 = d["point"]
    >>> round(float(v1 * w1 ** 2 + 0.5 * w2 ** 2), 12)
    1.0
    """

    title = "A fiber in R⁴, sliced: f(x) = (v₁w₁² + v₂w₂²)·x²"
    question = ("for c = 1 the fiber is a smooth surface; what happens to it at c = 0, and "
                "where does it meet the critical points of φ (w₁ = w₂ = 0)?")
    static_control = "c"
    static_values = (-1.0, -0.5, 0.0, 0.5, 1.0)
    slow = False

    def make_controls(self):
        import ipywidgets as w

        return {
            "c": w.FloatSlider(value=1.0, min=-1.5, max=1.5, step=0.1,
                               description="function c·x², c", style=_STYLE),
            "s": w.FloatSlider(value=0.5, min=-1.0, max=1.0, step=0.1,
                               description="slice v₂ =", style=_STYLE),
            "w2": w.FloatSlider(value=0.5, min=-1.5, max=1.5, step=0.1,
                                description="point: w₂", style=_STYLE),
            "u": w.FloatSlider(value=0.0, min=-0.8, max=0.8, step=0.05,
                               description="along neuron 1's orbit: w₁ = eᵘ", style=_STYLE),
        }

    def defaults(self):
        return dict(c=1.0, s=0.5, w2=0.5, u=0.0)

    def compute(self, c, s, w2, u):
        c, s, w2, u = (round(float(v), 10) for v in (c, s, w2, u))
        sl = two_neuron_fiber_slice(c, s, lim=2.0, n=41)
        w1 = float(np.exp(u))
        v1 = (c - s * w2 ** 2) / w1 ** 2
        ts = np.linspace(-0.8, 0.8, 40)
        orbit = np.column_stack([w1 * np.exp(ts), np.full_like(ts, w2), v1 * np.exp(-2 * ts)])
        orbit[np.abs(orbit[:, 2]) > 2.0] = np.nan
        return dict(c=c, s=s, slice=sl, point=np.array([w1, w2, v1]), orbit=orbit,
                    mirror=np.array([-w1, w2, v1]))

    def figure(self, data):
        sl = data["slice"]
        flat = lambda color: [[0, color], [1, color]]
        p, m, o = data["point"], data["mirror"], data["orbit"]
        # The grids go as NumPy arrays (NaN marks the gaps): a live figure sends them as
        # binary rows. As nested lists, plotly's validation and the serializer walked
        # every number: an update of the live figure took a median 10 ms, now 2 ms.
        traces = [
            dict(type="surface", x=_r(sl["w1"]), y=_r(sl["w2"]),
                 z=_r(sl["v1"]), colorscale=flat(COLORS["boundary"]), showscale=False,
                 opacity=0.75, name="fiber (slice v₂ = s)", showlegend=True, hoverinfo="skip"),
            dict(type="surface", x=_r(sl["plane"]["w1"]), y=_r(sl["plane"]["w2"]),
                 z=_r(sl["plane"]["v1"]), colorscale=flat(COLORS["boundary"]),
                 showscale=False, opacity=0.45, name="fiber: the plane w₁ = 0",
                 showlegend=False, hoverinfo="skip"),
            dict(type="scatter3d", x=sl["critical"][:, 0].tolist(), y=sl["critical"][:, 1].tolist(),
                 z=sl["critical"][:, 2].tolist(), mode="lines",
                 name="critical points of φ (w₁ = w₂ = 0)",
                 line=dict(color=COLORS["singular"], width=9)),
            dict(type="scatter3d", x=_list(o[:, 0]), y=_list(o[:, 1]),
                 z=_list(o[:, 2]), mode="lines", name="rescaling orbit of neuron 1",
                 line=dict(color=COLORS["path"], width=6)),
            dict(type="scatter3d", x=[float(p[0])], y=[float(p[1])], z=[float(p[2])],
                 mode="markers", name="parameters", marker=dict(size=7, color=COLORS["path"],
                                                                line=dict(color="black", width=1))),
            dict(type="scatter3d", x=[float(m[0])], y=[float(m[1])], z=[float(m[2])],
                 mode="markers", name="reflection w₁ → −w₁",
                 marker=dict(size=6, color="white", line=dict(color=COLORS["path"], width=3))),
        ]
        axis = dict(range=[-2, 2])
        return plain_figure(
            traces,
            title=title(f"fiber over {data['c']:g}·x², slice v₂ = {data['s']:g}"),
            scene=dict(xaxis=dict(title=dict(text="w₁"), **axis),
                       yaxis=dict(title=dict(text="w₂"), **axis),
                       zaxis=dict(title=dict(text="v₁"), **axis), aspectmode="cube",
                       camera=dict(eye=dict(x=1.6, y=-1.5, z=0.8))),
            legend=dict(x=0, y=1.0, font=dict(size=14)), margin=dict(l=0, r=0, t=60, b=0),
            height=620)

    def info(self, data):
        text = ("The fiber over $c\\,x^2$ is the hypersurface $v_1 w_1^2 + v_2 w_2^2 = c$ of "
                "$\\mathbb R^4$: three dimensions, two from the rescalings of the neurons, one "
                "more because this network fills its one-dimensional function space with room "
                "to spare. ")
        text += ("Swapping the neurons, $(w_1, w_2, v_1, v_2) \\mapsto (w_2, w_1, v_2, v_1)$, "
                 "maps the fiber to itself but leaves this slice (unless $v_1 = s$). ")
        if data["c"] == 0:
            text += ("Over $c = 0$ the fiber contains the critical points $w_1 = w_2 = 0$ of "
                     "$\\varphi$ (where $d\\varphi = 0$) and is not smooth there. The function "
                     "space, the line of all $c\\,x^2$, is smooth at $0$.")
        return text


# --------------------------------------------------------------------------- orbits

#: The architectures of :class:`SymmetryOrbitExplorer`.
ORBIT_MODELS = {
    "(2, 2, 1), z²": Architecture((2, 2, 1), 2),
    "(3, 2, 1), z² (defective)": Architecture((3, 2, 1), 2),
    "(2, 1, 2, 1), z² (bottleneck)": Architecture((2, 1, 2, 1), 2),
    "(2, 2, 2), z (linear)": Architecture((2, 2, 2), 1),
    "CNN (3, 3), z²": CNNArchitecture((3, 3), 2),
}
_FOLLOW_STEP = 0.05


@memoize(maxsize=32)
def _analysis(key, point):
    model = ORBIT_MODELS[key]
    return fiber_directions(model, seed=point)


@memoize(maxsize=64)
def _extra_path(key, point, index):
    """Points of the fiber along extra direction ``index``, for t = -1..1 in steps of 0.05."""
    model = ORBIT_MODELS[key]
    fd = _analysis(key, point)
    steps = int(round(1.0 / _FOLLOW_STEP))
    fwd = follow_fiber(model, fd.theta, fd.extra[index], steps=steps, step_size=_FOLLOW_STEP)
    bwd = follow_fiber(model, fd.theta, -fd.extra[index], steps=steps, step_size=_FOLLOW_STEP)
    return np.vstack([bwd.points[::-1], fwd.points[1:]])


class SymmetryOrbitExplorer(Explorer):
    """Slide a parameter point along a direction of its fiber: the function stays, weights move.

    Directions ``0 .. s-1`` are the model's symmetry generators (moved exactly with
    :func:`nagviz.fibers.symmetry_flow`); the next ones are the extra kernel directions of
    a defective or over-parameterized architecture (followed by continuation,
    :func:`nagviz.fibers.follow_fiber`).

    Examples
    --------
    >>> d = SymmetryOrbitExplorer().compute(model="(3, 2, 1), z² (defective)", point=0,
    ...                                     direction=2, t=0.5)
    >>> d["kind"], d["change"] < 1e-9, bool(d["moved"] > 0.1)
    ('extra', True, True)
    """

    title = "Slide along a fiber"
    question = ("moving along a symmetry orbit, which weights change, and by how much can they "
                "change while the function stays exactly the same?")
    static_control = "t"
    static_values = (-1.0, -0.5, 0.0, 0.5, 1.0)

    def make_controls(self):
        import ipywidgets as w

        return {
            "model": w.Dropdown(options=list(ORBIT_MODELS), value="(3, 2, 1), z² (defective)",
                                description="architecture", style=_STYLE),
            "point": w.IntSlider(value=0, min=0, max=5, description="random point (seed)",
                                 style=_STYLE),
            "direction": w.IntSlider(value=0, min=0, max=8, description="direction",
                                     style=_STYLE),
            "t": w.FloatSlider(value=0.5, min=-1.0, max=1.0, step=0.05,
                               description="move t", style=_STYLE),
        }

    def defaults(self):
        return dict(model="(3, 2, 1), z² (defective)", point=0, direction=0, t=0.5)

    def compute(self, model, point, direction, t):
        arch = ORBIT_MODELS[model]
        fd = _analysis(model, int(point))
        n_sym, n_extra = fd.symmetry_dimension, fd.extra_dimension
        n_dir = n_sym + n_extra
        direction = min(int(direction), n_dir - 1)
        theta0 = fd.theta
        if direction < n_sym:
            kind = "symmetry"
            theta = symmetry_flow(arch, theta0, direction, float(t))
        else:
            kind = "extra"
            path = _extra_path(model, int(point), direction - n_sym)
            mid = (len(path) - 1) // 2
            theta = path[mid + int(round(float(t) / _FOLLOW_STEP))]
        rng = np.random.default_rng(11)
        p, q = rng.standard_normal((2, arch.input_dimension))
        s = np.linspace(-1.0, 1.0, 60)
        X = p[None, :] * 0.5 + s[:, None] * q[None, :]
        f0 = evaluate(arch, theta0, X)[:, 0]
        f1 = evaluate(arch, theta, X)[:, 0]
        labels = []
        for name, shape in arch.parameter_shapes:
            for idx in np.ndindex(*shape):
                labels.append(f"{name}[{','.join(str(i + 1) for i in idx)}]")
        return dict(model=model, kind=kind, direction=direction, n_symmetry=n_sym,
                    n_extra=n_extra, fiber_dimension=fd.kernel_dimension, t=float(t),
                    theta0=theta0, theta=theta, labels=labels, s=s, f0=f0, f1=f1,
                    change=function_change(arch, theta0, theta),
                    moved=float(np.linalg.norm(theta - theta0)))

    def figure(self, data):
        traces = [
            dict(type="bar", x=data["labels"], y=_list(data["theta0"]), name="weights at t = 0",
                 marker=dict(color="#BBBBBB")),
            dict(type="bar", x=data["labels"], y=_list(data["theta"]),
                 name=f"weights at t = {data['t']:g}", marker=dict(color=COLORS["path"])),
            dict(type="scatter", x=_list(data["s"]), y=_list(data["f0"], 6),
                 mode="lines", xaxis="x2", yaxis="y2", name="f at t = 0",
                 line=dict(color="#999999", width=8)),
            dict(type="scatter", x=_list(data["s"]), y=_list(data["f1"], 6),
                 mode="lines", xaxis="x2", yaxis="y2", name=f"f at t = {data['t']:g}",
                 line=dict(color=COLORS["path"], width=3, dash="dash")),
        ]
        what = ("a symmetry" if data["kind"] == "symmetry" else "an extra direction")
        return plain_figure(
            traces,
            title=title(f"{data['model']}: direction {data['direction']} ({what}), "
                        f"function change {data['change']:.1e}"),
            barmode="group",
            xaxis=dict(domain=[0, 0.58], tickangle=-60, tickfont=dict(size=11)),
            yaxis=dict(title=title("weight"), range=[-3.5, 3.5]),
            xaxis2=dict(domain=[0.7, 1], title=title("s (input x = p + s q)"), anchor="y2"),
            yaxis2=dict(title=title("f(x)"), anchor="x2"),
            legend=dict(orientation="h", x=0, y=-0.3, yanchor="top", font=dict(size=14)),
            margin=dict(l=70, r=20, t=70, b=150), height=560)

    def info(self, data):
        n_sym = data["n_symmetry"]
        sym = (f"{n_sym} symmetry direction(s) (0 to {n_sym - 1})" if n_sym
               else "no symmetry direction")
        return (f"Fiber dimension {data['fiber_dimension']}: {sym} and {data['n_extra']} extra "
                f"direction(s). The weights moved by {data['moved']:.2f} (Euclidean norm); "
                f"the largest coefficient of the function changed by {data['change']:.1e}.")


# --------------------------------------------------------------------------- static figures

def level_set_figure(run, kappa: float, mesh, run_index: int = 0):
    """A gradient path of ``v (p x + q y)^2`` in ``(p, q, v)`` space on its level set
    ``p^2 + q^2 - 2 v^2 = kappa`` (``mesh`` from :func:`nagviz.conservation.hyperboloid_mesh`).

    Examples
    --------
    >>> import nagviz
    >>> from nagviz.conservation import gradient_flow, hyperboloid_mesh
    >>> run = gradient_flow(nagviz.Architecture((2, 1, 1), 2), [1.0, 0.0, 0.5], np.eye(3),
    ...                     [1.0, 0.0, 0.0], time=1.0, samples=5)
    >>> fig = level_set_figure(run, 0.5, hyperboloid_mesh(0.5, n=6))
    >>> [t.type for t in fig.data]
    ['surface', 'scatter3d', 'scatter3d', 'scatter3d']
    """
    P, Q, V = mesh
    path = run.thetas[:, run_index, :]
    flat = [[0, COLORS["boundary"]], [1, COLORS["boundary"]]]
    traces = [
        dict(type="surface", x=_list(P), y=_list(Q), z=_list(V),
             colorscale=flat, showscale=False, opacity=0.5, hoverinfo="skip",
             name=f"level set p² + q² − 2v² = {kappa:.2f}", showlegend=True),
        dict(type="scatter3d", x=_list(path[:, 0]), y=_list(path[:, 1]),
             z=_list(path[:, 2]), mode="lines", name="gradient path",
             line=dict(color=COLORS["path"], width=7)),
        dict(type="scatter3d", x=[float(path[0, 0])], y=[float(path[0, 1])], z=[float(path[0, 2])],
             mode="markers", name="start", marker=dict(size=6, color="black")),
        dict(type="scatter3d", x=[float(path[-1, 0])], y=[float(path[-1, 1])],
             z=[float(path[-1, 2])], mode="markers", name="end",
             marker=dict(size=7, color=COLORS["teacher"])),
    ]
    return plain_figure(
        traces, title=title("A gradient path stays on its level set"),
        scene=dict(xaxis=dict(title=dict(text="p")), yaxis=dict(title=dict(text="q")),
                   zaxis=dict(title=dict(text="v")), aspectmode="cube",
                   camera=dict(eye=dict(x=1.5, y=-1.5, z=0.7))),
        legend=dict(x=0, y=1.0, font=dict(size=14)), margin=dict(l=0, r=0, t=60, b=0),
        height=560)


def drift_figure(study):
    """Relative drift of the conserved quantities against the step size (log-log), with
    the median and the 10% to 90% range over all runs (:func:`nagviz.conservation.drift_study`).

    Examples
    --------
    >>> import nagviz
    >>> from nagviz.conservation import drift_study
    >>> st = drift_study(nagviz.Architecture((1, 1, 1), 2), [0.01, 0.001], time=0.1,
    ...                  runs_per_seed=3, seeds=(0,))
    >>> drift_figure(st).layout.xaxis.type
    'log'
    """
    lrs = np.asarray(study.lrs)
    med = np.nanmedian(study.drifts, axis=1)
    lo, hi = np.nanquantile(study.drifts, 0.1, axis=1), np.nanquantile(study.drifts, 0.9, axis=1)
    ref = med[-1] * lrs / lrs[-1]
    traces = [
        dict(type="scatter", x=lrs.tolist(), y=hi.tolist(), mode="lines", line=dict(width=0),
             showlegend=False, hoverinfo="skip"),
        dict(type="scatter", x=lrs.tolist(), y=lo.tolist(), mode="lines", line=dict(width=0),
             fill="tonexty", fillcolor="rgba(204,121,167,0.25)", name="10% to 90% of runs"),
        dict(type="scatter", x=lrs.tolist(), y=med.tolist(), mode="lines+markers",
             name="median drift", line=dict(color=COLORS["path"], width=4),
             marker=dict(size=10)),
        dict(type="scatter", x=lrs.tolist(), y=ref.tolist(), mode="lines",
             name="slope 1 (drift ∝ step size)", line=dict(color=COLORS["neutral"], dash="dash")),
    ]
    return plain_figure(
        traces, title=title(f"Drift after training time {study.time:g} "
                            f"({study.drifts.shape[1]} runs per step size)"),
        xaxis=dict(type="log", title=title("step size η")),
        yaxis=dict(type="log", title=title("relative change of Q")),
        legend=dict(x=0.02, y=0.98), height=480)


def quantity_figure(curves):
    """Conserved quantity and loss over training time, one line per run.

    ``curves``: a list of dicts with ``label``, ``time`` (array), ``drift`` (relative change
    of the conserved quantity, array) and ``loss`` (array), as the notebook builds them from
    :func:`nagviz.conservation.gradient_descent` and :func:`~nagviz.conservation.gradient_flow`.

    Examples
    --------
    >>> fig = quantity_figure([dict(label="run", time=[0.0, 1.0], drift=[0.0, 1e-3],
    ...                             loss=[1.0, 0.1])])
    >>> fig.layout.yaxis.type, len(fig.data)
    ('log', 2)
    """
    palette = [COLORS["neutral"], COLORS["manifold"], COLORS["path"], COLORS["singular"],
               COLORS["teacher"], COLORS["data"]]
    traces = []
    for i, c in enumerate(curves):
        color = palette[i % len(palette)]
        drift = np.maximum(np.asarray(c["drift"], dtype=float), 1e-17)
        traces.append(dict(type="scatter", x=_list(c["time"], 5), y=drift.tolist(),
                           mode="lines", name=c["label"], legendgroup=c["label"],
                           line=dict(color=color, width=3)))
        traces.append(dict(type="scatter", x=_list(c["time"], 5),
                           y=np.asarray(c["loss"], dtype=float).tolist(), mode="lines",
                           name=c["label"], legendgroup=c["label"], showlegend=False,
                           xaxis="x2", yaxis="y2", line=dict(color=color, width=3)))
    return plain_figure(
        traces, title=title("Conserved quantity (left) and loss (right) during training"),
        xaxis=dict(domain=[0, 0.45], title=title("training time η·steps")),
        yaxis=dict(type="log", title=title("relative change of Q"), exponentformat="power"),
        xaxis2=dict(domain=[0.58, 1], title=title("training time η·steps"), anchor="y2"),
        yaxis2=dict(type="log", title=title("loss"), anchor="x2", exponentformat="power"),
        legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"),
        margin=dict(l=80, r=20, t=70, b=120), height=500)

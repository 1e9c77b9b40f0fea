"""Explorers of notebook 04: loss landscapes with every critical point, data discriminants.

* :class:`CriticalLandscapeExplorer` -- the loss of ``f = (p x + q y)^2`` over the parameter
  plane with *all* its critical points (solved exactly, by :mod:`nagviz.landscapes`),
  marked by Hessian type and coloured pure or spurious; beside it the nappe of the cone
  ``b^2 = 4ac`` (the neuromanifold), the target and the functions of the critical points.
* :class:`DiscriminantExplorer` -- the slice ``a + c = 1`` of target space coloured by the
  number of real critical points of the distance to the cone, for the inner product a data
  distribution induces; the data discriminant where the colour changes; a target and its
  real critical points on the cone.

Colours follow :data:`nagviz.theme.COLORS`: the neuromanifold blue, targets green, pure
critical points orange (the best-fit colour), spurious ones vermillion (the colour of
singular points and rank drops).

>>> data = DiscriminantExplorer().compute(inner_product="data", kurtosis=1.8, x=0.05, y=0.05)
>>> data["count"], len(data["points"])
(4, 4)
"""

from __future__ import annotations


import numpy as np

from ..cache import memoize
from ..critical_points import (
    QuadricCriticalPoints,
    cone_slice_target,
    gram_matrix,
    kurtosis_gram_matrix,
)
from ..landscapes import NAPPE, landscape_critical_points, loss_grid
from ..neuromanifolds import quadratic_cone_mesh
from ..theme import COLORS, COLORSCALE
from ._base import Explorer, plain_figure as _figure, title as _title
from ._mesh import level_curves, surface_mesh

__all__ = ["CriticalLandscapeExplorer", "DiscriminantExplorer"]

_STYLE = {"description_width": "initial"}
KINDS = ("minimum", "saddle", "maximum", "degenerate")
#: one marker per Hessian type, available in 2-D and 3-D plotly scatters
SYMBOLS = {"minimum": "circle", "saddle": "x", "maximum": "square", "degenerate": "diamond"}
_PURE, _SPURIOUS = COLORS["teacher"], COLORS["singular"]
_Q_CONE = np.array([[0.0, 0.0, -2.0], [0.0, 1.0, 0.0], [-2.0, 0.0, 0.0]])   # b^2 - 4ac


def _r(a, d=4):
    return np.round(np.asarray(a, dtype=float), d)


def _segments(starts, ends):
    xs, ys, zs = [], [], []
    for a, b in zip(starts, ends):
        xs += [float(a[0]), float(b[0]), None]
        ys += [float(a[1]), float(b[1]), None]
        zs += [float(a[2]), float(b[2]), None]
    return xs, ys, zs


def _panel_titles(left, right):
    return [dict(text=text, x=x, y=1.0, xref="paper", yref="paper", showarrow=False,
                 xanchor="center", yanchor="bottom", font=dict(size=16, color="#444"))
            for text, x in ((left, 0.22), (right, 0.78))]


@memoize(maxsize=4)
def _nappe_mesh(height=2.2, sign=1):
    a, b, c = quadratic_cone_mesh(height=height, n_angles=49, n_heights=25)
    keep = slice(a.shape[0] // 2, None) if sign > 0 else slice(None)
    return tuple(_r(m[keep], 3) for m in (a, b, c))


def _surface_scene(top, lim=1.6):
    axis = lambda t, r, ticks: dict(title=_title(t), range=r, autorange=False,  # noqa: E731
                                    tickvals=ticks)
    return dict(domain=dict(x=[0.53, 1.0], y=[0, 1]), xaxis=axis("p", [-lim, lim], [-1, 0, 1]),
                yaxis=axis("q", [-lim, lim], [-1, 0, 1]),
                zaxis=axis("loss", [0, top * 1.05], [0, round(top / 2, 2), round(top, 2)]),
                aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.7),
                camera=dict(eye=dict(x=1.4, y=-1.4, z=1.1)))


def _scene(lim=2.2):
    axis = lambda t: dict(title=_title(t), range=[-lim, lim], autorange=False,  # noqa: E731
                          tickvals=[-2, -1, 0, 1, 2])
    return dict(domain=dict(x=[0.53, 1.0], y=[0, 1]), xaxis=axis("a (x²)"),
                yaxis=axis("b (xy)"), zaxis=axis("c (y²)"), aspectmode="cube",
                camera=dict(eye=dict(x=1.9, y=-1.0, z=-0.3)))


# --------------------------------------------------------------------------- landscapes
class CriticalLandscapeExplorer(Explorer):
    """The loss of one quadratic neuron ``f = (p x + q y)^2`` with all its critical points.

    Left, the contour map of the loss over the parameters ``(p, q)``; right, with
    ``view="functions"`` (default) the nappe of the cone with the target and the functions of
    the critical points, with ``view="surface"`` the loss as a surface over ``(p, q)``.

    Examples
    --------
    >>> data = CriticalLandscapeExplorer().compute(a=-1.0, b=0.5, c=-1.0,
    ...                                            inner_product="bombieri")
    >>> [(p["kind"], p["pure"]) for p in data["points"]]        # negative definite target
    [('minimum', False)]
    """

    title = "Every critical point of a loss: one quadratic neuron f = (p x + q y)²"
    question = ("make the target negative definite (a < 0, c < 0, b² < 4ac). The network can "
                "only output positive semidefinite forms. Where is the minimum, and is it pure "
                "or spurious?")
    static_control = "c"
    static_values = (-1.0, -0.5, 0.0, 0.5, 1.0)
    # each target is solved exactly (a Gröbner basis, its lex form, certified real roots;
    # nagviz.landscapes, memoized): 18 ms median, 71 ms p95 a move on an idle 2-core
    # machine (benchmarks/widgets.py), so it updates while the slider is dragged

    def make_controls(self):
        import ipywidgets as w

        sliders = {name: w.FloatSlider(value=value, min=-2.0, max=2.0, step=0.1,
                                       description=f"target {name}", style=_STYLE)
                   for name, value in (("a", 1.0), ("b", 0.5), ("c", 0.5))}
        sliders["inner_product"] = w.Dropdown(options=[("Bombieri", "bombieri"),
                                                       ("plain coefficients", "coefficient")],
                                              value="bombieri", description="inner product",
                                              style=_STYLE)
        return sliders          # ``view`` is chosen once, when the explorer is made

    def defaults(self):
        return dict(a=1.0, b=0.5, c=0.5, inner_product="bombieri", view="functions")

    def compute(self, a, b, c, inner_product, view="functions"):
        if view not in ("functions", "surface"):
            raise ValueError(f"view must be 'functions' or 'surface', got {view!r}")
        target = (round(float(a), 6), round(float(b), 6), round(float(c), 6))
        try:
            result = landscape_critical_points(NAPPE, target, inner_product)
            points = [dict(w=p.parameters, f=p.function, kind=p.kind, pure=p.pure, loss=p.loss,
                           eig=p.hessian_eigenvalues, rank=p.jacobian_rank)
                      for p in result.points]
            n_complex, error = result.n_complex, None
        except ValueError as exc:        # a non-generic target: a curve of critical points
            points, n_complex, error = [], None, str(exc)
        w1, w2, L = loss_grid(NAPPE, target, inner_product, lim=1.6, n=81)
        return dict(target=target, inner_product=inner_product, w1=w1, w2=w2, L=L,
                    points=points, n_complex=n_complex, error=error, view=view)

    def figure(self, data):
        L = data["L"]
        top = float(np.quantile(L, 0.9))
        # the loss as a heat map (smoothed by the browser) and its level curves below the
        # colour scale's top, every top / 24, traced here (contourpy): plotly's contour
        # trace recomputed both on every slider move (about 60 ms of redraw, benchmarks/redraw.py)
        lx, ly = level_curves(data["w1"], data["w2"], L, np.arange(1, 24) * top / 24,
                              decimals=3)[:2]
        traces = [dict(type="heatmap", x=_r(data["w1"], 6), y=_r(data["w2"], 6), z=_r(L),
                       colorscale=COLORSCALE, zmin=0, zmax=top, zsmooth="fast",
                       showscale=False, name="loss",
                       hovertemplate="p=%{x:.2f}, q=%{y:.2f}<br>loss %{z:.3f}<extra></extra>"),
                  dict(type="scatter", x=lx, y=ly, mode="lines", showlegend=False,
                       line=dict(color="rgba(0,0,0,0.3)", width=1), hoverinfo="skip",
                       name="level curves of the loss")]
        for kind in KINDS:                           # 2-D markers, one trace per Hessian type
            pts = [p for p in data["points"] if p["kind"] == kind]
            traces.append(dict(
                type="scatter", mode="markers", name=kind, legendgroup=kind,
                x=[p["w"][0] for p in pts], y=[p["w"][1] for p in pts],
                text=[f"{kind}, {'pure' if p['pure'] else 'spurious'}, loss {p['loss']:.3f}"
                      for p in pts], hoverinfo="text",
                marker=dict(symbol=SYMBOLS[kind], size=15,
                            color=[_PURE if p["pure"] else _SPURIOUS for p in pts],
                            line=dict(color="black", width=1.5))))
        traces += [dict(type="scatter", x=[None], y=[None], mode="markers", name=name,
                        marker=dict(symbol="circle", size=12, color=color,
                                    line=dict(color="black", width=1)))
                   for name, color in (("pure", _PURE), ("spurious (rank drop)", _SPURIOUS))]
        # the surface is cut lower than the map, just above the highest critical point
        losses = [p["loss"] for p in data["points"]]
        cut = max(1.5 * max(losses, default=0.0), float(np.quantile(L, 0.3)), 1e-6)
        traces += (self._function_traces(data) if data["view"] == "functions"
                   else self._surface_traces(data, cut))
        counts = {k: sum(p["kind"] == k for p in data["points"]) for k in KINDS}
        head = (data["error"] or
                f"{len(data['points'])} real critical point"
                f"{'s' * (len(data['points']) != 1)}: " + ", ".join(
                    f"{n} {k}{'s' if n != 1 and k != 'maximum' else ''}".replace("maximums",
                                                                                "maxima").replace(
                        "minimums", "minima") for k, n in counts.items() if n))
        return _figure(
            traces, title=_title(head, y=0.97),
            xaxis=dict(domain=[0, 0.44], range=[-1.6, 1.6], title=_title("p"),
                       scaleanchor="y", constrain="domain"),
            yaxis=dict(range=[-1.6, 1.6], title=_title("q")),
            scene=_scene() if data["view"] == "functions" else _surface_scene(cut),
            annotations=_panel_titles(
                "parameters (p, q): the loss",
                "functions (a, b, c): the nappe b² = 4ac, a, c ≥ 0"
                if data["view"] == "functions" else "the loss surface over (p, q)"),
            legend=dict(orientation="h", x=0, y=1.08, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=60, r=10, t=130, b=50), height=600)

    @staticmethod
    def _function_traces(data):
        """The nappe, the target and the functions of the critical points (scene 1)."""
        a, b, c = _nappe_mesh()
        u = np.array(data["target"])
        F = [p["f"] for p in data["points"]]
        sx, sy, sz = _segments([u] * len(F), F)
        traces = [
            surface_mesh(a, b, c, color=COLORS["manifold"], opacity=0.45,
                         name="neuromanifold (one nappe)", hoverinfo="skip", scene="scene"),
            dict(type="scatter3d", x=sx, y=sy, z=sz, mode="lines", scene="scene",
                 line=dict(color=COLORS["neutral"], width=3), showlegend=False,
                 hoverinfo="skip", name="target to critical functions"),
            dict(type="scatter3d", x=[u[0]], y=[u[1]], z=[u[2]], mode="markers", scene="scene",
                 name="target t", marker=dict(size=7, color=COLORS["data"], symbol="circle"))]
        for kind in KINDS:
            pts = [p for p in data["points"] if p["kind"] == kind]
            traces.append(dict(
                type="scatter3d", mode="markers", scene="scene", legendgroup=kind,
                showlegend=False, name=f"{kind} (function)",
                x=[p["f"][0] for p in pts], y=[p["f"][1] for p in pts],
                z=[p["f"][2] for p in pts],
                marker=dict(symbol=SYMBOLS[kind], size=6,
                            color=[_PURE if p["pure"] else _SPURIOUS for p in pts],
                            line=dict(color="black", width=1))))
        return traces

    @staticmethod
    def _surface_traces(data, top):
        """The loss surface with the critical points lifted onto it (same trace types)."""
        L = np.minimum(data["L"], top)
        lift = 0.03 * top
        traces = [
            surface_mesh(data["w1"], data["w2"], L, cmin=0, cmax=top, decimals=4,
                         colorscale=COLORSCALE, showscale=False, opacity=0.75, scene="scene",
                         name="loss surface", hoverinfo="skip"),
            dict(type="scatter3d", x=[], y=[], z=[], mode="lines", scene="scene",
                 showlegend=False, name="target to critical functions"),
            dict(type="scatter3d", x=[], y=[], z=[], mode="markers", scene="scene",
                 showlegend=False, name="target t")]
        for kind in KINDS:
            pts = [p for p in data["points"] if p["kind"] == kind]
            traces.append(dict(
                type="scatter3d", mode="markers", scene="scene", legendgroup=kind,
                showlegend=False, name=f"{kind} (function)",
                x=[p["w"][0] for p in pts], y=[p["w"][1] for p in pts],
                z=[min(p["loss"], top) + lift for p in pts],
                marker=dict(symbol=SYMBOLS[kind], size=8,
                            color=[_PURE if p["pure"] else _SPURIOUS for p in pts],
                            line=dict(color="black", width=1))))
        return traces

    def info(self, data):
        if data["error"]:
            return f"<b>Not generic:</b> {data['error']}"
        pure = sum(p["pure"] for p in data["points"])
        return (f"Target $t = {data['target'][0]:g}\\,x^2 {data['target'][1]:+g}\\,xy "
                f"{data['target'][2]:+g}\\,y^2$, {data['inner_product']} inner product: "
                f"{data['n_complex']} complex critical points (with multiplicity), "
                f"{len(data['points'])} real: {pure} pure (orange), "
                f"{len(data['points']) - pure} spurious (vermillion, where "
                "$d\\varphi$ drops rank).")


# --------------------------------------------------------------------------- discriminant
_GRID_LIM, _GRID_N = 1.5, 150


def _gram_for(inner_product, kurtosis):
    if inner_product == "data":
        return np.array(kurtosis_gram_matrix(kurtosis), dtype=float)
    if inner_product in ("coefficient", "bombieri"):
        return np.array(gram_matrix(inner_product), dtype=float)
    raise ValueError(f"inner product must be 'data', 'coefficient' or 'bombieri', "
                     f"got {inner_product!r}")


@memoize(maxsize=32)
def _count_grid(inner_product, kurtosis):
    """Real counts and the sign-carrying discriminant of ``P`` on the slice grid."""
    qc = QuadricCriticalPoints(_Q_CONE, _gram_for(inner_product, kurtosis))
    s = np.linspace(-_GRID_LIM, _GRID_LIM, _GRID_N)       # even n: no grid point on an axis
    X, Y = np.meshgrid(s, s)
    T = cone_slice_target(X, Y).reshape(-1, 3)
    counts = qc.real_counts(T)
    d = qc.discriminant(T)
    disc = np.sign(d) * np.abs(d) ** (1 / max(1, 2 * qc.degree))   # same zeros, tamer range
    return s, counts.reshape(X.shape), disc.reshape(X.shape), qc


class DiscriminantExplorer(Explorer):
    """Targets coloured by their number of real critical points on the cone ``b^2 = 4ac``.

    Examples
    --------
    >>> e = DiscriminantExplorer()
    >>> e.compute(inner_product="data", kurtosis=3.0, x=0.05, y=0.05)["count"]   # Gaussian
    2
    """

    title = "The data discriminant: how many real critical points does a target have?"
    question = ("Gaussian inputs (kurtosis 3) give every target exactly 2 real critical points "
                "on the cone. Move the kurtosis away from 3: which targets gain two more, and "
                "what happens to that region as the kurtosis approaches 3?")
    static_control = "kurtosis"
    static_values = (1.4, 1.8, 2.4, 3.0, 4.0, 6.0)

    def make_controls(self):
        import ipywidgets as w

        return {
            "inner_product": w.Dropdown(options=[("data E[m(x) m(x)ᵀ]", "data"),
                                                 ("plain coefficients", "coefficient"),
                                                 ("Bombieri", "bombieri")],
                                        value="data", description="inner product",
                                        style=_STYLE),
            "kurtosis": w.FloatSlider(value=1.8, min=1.2, max=6.0, step=0.1,
                                      description="data: kurtosis E[x⁴]", style=_STYLE),
            "x": w.FloatSlider(value=0.1, min=-1.5, max=1.5, step=0.05,
                               description="target x = a − c", style=_STYLE),
            "y": w.FloatSlider(value=0.05, min=-1.5, max=1.5, step=0.05,
                               description="target y = b", style=_STYLE),
        }

    def defaults(self):
        return dict(inner_product="data", kurtosis=1.8, x=0.1, y=0.05)

    def compute(self, inner_product, kurtosis, x, y):
        s, counts, disc, qc = _count_grid(inner_product, round(float(kurtosis), 6))
        # targets on the axes x = 0 or y = 0 are symmetric, hence not generic (two critical
        # points meet there without the count changing): move them off by 0.001
        nudged = abs(float(x)) < 1e-9 or abs(float(y)) < 1e-9
        x = 1e-3 if abs(float(x)) < 1e-9 else float(x)
        y = 1e-3 if abs(float(y)) < 1e-9 else float(y)
        target = cone_slice_target(float(x), float(y))
        points = qc.critical_points(target)
        return dict(inner_product=inner_product, kurtosis=float(kurtosis), s=s,
                    counts=counts, disc=disc, target=target, x=float(x), y=float(y),
                    points=points, count=len(points), degree=qc.degree, nudged=nudged)

    def figure(self, data):
        s, counts = data["s"], data["counts"]
        t = np.linspace(0, 2 * np.pi, 181)
        colors = [[0.0, "#F2F2F2"], [0.5, "#F2F2F2"], [0.5, "#F6C98A"], [1.0, "#F6C98A"]]
        dx, dy = level_curves(s, s, data["disc"], [0.0])[:2]
        traces = [
            # numpy grids (small types) reach the live figure as binary buffers
            # evenly spaced to 1e-6 (not 1e-3): plotly then paints one pixel per cell
            # instead of one rectangle per cell (rounded to 1e-3, the spacing varied by 4%,
            # beyond plotly's 1% test for an evenly spaced axis)
            dict(type="heatmap", x=_r(s, 6), y=_r(s, 6), z=counts.astype(np.uint8), zmin=1, zmax=5,
                 colorscale=colors, showscale=False, name="number of real critical points",
                 hovertemplate="x=%{x:.2f}, y=%{y:.2f}: %{z} real<extra></extra>"),
            # the zero set of the discriminant, traced here (contourpy) and not by plotly's
            # contour trace, which plotly would recompute on every slider move
            dict(type="scatter", x=dx, y=dy, mode="lines",
                 line=dict(color=COLORS["path"], width=3), name="data discriminant",
                 showlegend=True, hoverinfo="skip"),
            dict(type="scatter", x=_r(np.cos(t)).tolist(), y=_r(np.sin(t)).tolist(),
                 mode="lines", name="the cone (b² = 4ac)",
                 line=dict(color=COLORS["manifold"], width=3)),
            dict(type="scatter", x=[data["x"]], y=[data["y"]], mode="markers", name="target t",
                 marker=dict(symbol="star", size=16, color=COLORS["data"],
                             line=dict(color="black", width=1)))]
        a, b, c = _nappe_mesh(height=1.6, sign=0)
        u = data["target"]
        P = data["points"]
        sx, sy, sz = _segments([u] * len(P), P)
        traces += [
            surface_mesh(a, b, c, color=COLORS["manifold"], opacity=0.35, scene="scene",
                         hoverinfo="skip", name="cone"),
            dict(type="scatter3d", x=sx, y=sy, z=sz, mode="lines", scene="scene",
                 line=dict(color=COLORS["neutral"], width=4), showlegend=False,
                 hoverinfo="skip", name="target to critical points"),
            dict(type="scatter3d", x=[float(u[0])], y=[float(u[1])], z=[float(u[2])],
                 mode="markers", scene="scene", showlegend=False, name="target",
                 marker=dict(size=6, color=COLORS["data"])),
            dict(type="scatter3d", x=_r(P[:, 0]).tolist(), y=_r(P[:, 1]).tolist(),
                 z=_r(P[:, 2]).tolist(), mode="markers", scene="scene",
                 name="critical points of the target", marker=dict(size=6, color=COLORS["teacher"],
                                                          line=dict(color="black", width=1)))]
        ip = {"data": f"data with kurtosis {data['kurtosis']:.1f}",
              "coefficient": "plain coefficients", "bombieri": "Bombieri"}[data["inner_product"]]
        scene = _scene(1.6)
        scene["xaxis"]["tickvals"] = scene["yaxis"]["tickvals"] = scene["zaxis"]["tickvals"] = \
            [-1, 0, 1]
        return _figure(
            traces,
            title=_title(f"{ip}: ED degree {data['degree']}; this target has "
                         f"{data['count']} real critical points", y=0.97),
            xaxis=dict(domain=[0, 0.44], range=[-_GRID_LIM, _GRID_LIM], scaleanchor="y",
                       constrain="domain", title=_title("x = a − c   (slice a + c = 1)")),
            yaxis=dict(range=[-_GRID_LIM, _GRID_LIM], title=_title("y = b")),
            scene=scene,
            annotations=_panel_titles("targets: grey 2 real, orange 4 real",
                                      "the cone, the target, its real critical points"),
            legend=dict(orientation="h", x=0, y=1.08, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=60, r=10, t=130, b=50), height=600)

    def info(self, data):
        return (f"Target $t = ({data['target'][0]:.3f},\\ {data['target'][1]:.3f},\\ "
                f"{data['target'][2]:.3f})$: {data['count']} real critical points of "
                f"{data['degree']} complex. Crossing the purple curve changes the real count "
                "by two."
                + (" (A target on an axis is not generic; it was moved off by 0.001.)"
                   if data["nudged"] else ""))

"""Explorers of notebook 01: small neuromanifolds, a real boundary, fibers, loss landscapes.

Each explorer is sliders -> one pure ``compute`` (calling :mod:`nagviz.neuromanifolds`)
-> a plotly figure drawn from the returned data. Colours follow their roles in
:data:`nagviz.theme.COLORS`: the neuromanifold is blue, singular points vermillion,
targets green, gradient paths purple, best fits orange, boundaries and fibers sky blue.

The figures are written as plain dictionaries and handed to plotly without its
property validation, which would otherwise cost more time than the mathematics at
every slider move.

>>> from nagviz.explorers.neuromanifolds import ConeExplorer
>>> ConeExplorer().compute(width=1, seed=0)["reached"]
0
>>> ConeExplorer().compute(width=2, seed=0)["reached"]
4
"""

from __future__ import annotations


import numpy as np

from ..cache import memoize
from ..architecture import Architecture
from ..neuromanifolds import (
    ScalarRegression,
    binary_form_parameters,
    fiber_curves,
    fiber_point,
    format_form,
    nearest_rank_one_form,
    quadratic_cone_mesh,
    rank_one_slice_mesh,
    reachability_222,
    reachability_slice,
    sample_neuromanifold,
    sample_rank_one_slice,
)
from ..loss_landscape import clip_path_to_box
from ..parameterization import coefficients
from ..theme import COLORS, COLORSCALE
from ._base import Explorer, plain_figure as _figure, title as _title
from ._mesh import level_curves, surface_mesh

__all__ = ["ConeExplorer", "RealBoundaryExplorer", "RankOneExplorer", "FiberExplorer",
           "LossLandscapeExplorer"]

_STYLE = {"description_width": "initial"}
#: a legend at the right of a 3-D scene whose domain ends at x = 0.76
_SIDE_LEGEND = dict(x=0.77, y=0.5, yanchor="middle", font=dict(size=14))
_N_TARGETS = 4


# --------------------------------------------------------------------------- helpers



def _compact(values, decimals=4):
    """Values rounded for drawing: four decimals are invisible on screen and halve the
    size of a figure (and of its static fallback, which holds every slider position)."""
    return np.round(np.asarray(values, dtype=float), decimals)




def _flat_colorscale(color):
    return [[0.0, color], [1.0, color]]


def _segments(starts, ends):
    """Coordinates of line segments ``starts[i] -> ends[i]`` separated by ``None`` (one trace)."""
    xs, ys, zs = [], [], []
    for a, b in zip(starts, ends):
        xs += [a[0], b[0], None]
        ys += [a[1], b[1], None]
        zs += [a[2], b[2], None]
    return xs, ys, zs


def _scene_axis(title, lim, ticks=(-1, 0, 1)):
    return dict(title=_title(title), range=[-lim, lim], tickvals=list(ticks), autorange=False)


def _panel_titles(left, right, left_ref="x", right_ref="x2"):
    """Titles centred above two panels; a reference is an axis (``"x"``) or a paper x."""
    out = []
    for text, ref in ((left, left_ref), (right, right_ref)):
        where = (dict(xref=f"{ref} domain", x=0.5) if isinstance(ref, str)
                 else dict(xref="paper", x=ref))
        out.append(dict(text=text, y=1.0, yref="paper", showarrow=False, yanchor="bottom",
                        font=dict(size=16, color="#444"), **where))
    return out


# --------------------------------------------------------------------------- the cone

@memoize(maxsize=2)
def _cone_mesh():
    return tuple(_compact(m) for m in quadratic_cone_mesh(height=1.2, n_angles=73, n_heights=13))


class ConeExplorer(Explorer):
    """Binary quadratic forms ``a x^2 + b xy + c y^2`` as points of ``R^3``, and the forms
    reached by the network (2, width, 1) with ``sigma = z^2``.

    Width 1 gives the cone ``b^2 = 4ac`` (singular at the zero network); width 2
    already fills all of ``R^3``. Four random target forms are fitted: by the nearest
    point of the cone at width 1, exactly (spectral theorem) at width 2 or more.

    Examples
    --------
    >>> data = ConeExplorer().compute(width=1, seed=0)
    >>> a, b, c = data["points"].T
    >>> bool(np.allclose(b**2, 4 * a * c)), data["reached"]
    (True, 0)
    """

    title = "The function space of a quadratic network (2, width, 1)"
    question = ("with one hidden neuron the reachable forms make up a cone. Will two hidden "
                "neurons give a thicker surface, or fill all of space?")
    static_control = "width"
    static_values = (1, 2, 3)

    def make_controls(self):
        import ipywidgets as w

        return {
            "width": w.IntSlider(value=1, min=1, max=3, description="hidden width", style=_STYLE),
            "seed": w.IntSlider(value=0, min=0, max=9, description="random draw", style=_STYLE),
        }

    def defaults(self):
        return dict(width=1, seed=0)

    def compute(self, width, seed):
        arch = Architecture((2, width, 1), 2)
        points = sample_neuromanifold(arch, n=300, seed=seed, radius=(0.15, 1.4))
        rng = np.random.default_rng(1000 + seed)
        targets = rng.standard_normal((_N_TARGETS, 3))
        targets *= (1.1 / np.linalg.norm(targets, axis=1))[:, None]
        if width == 1:
            fits = nearest_rank_one_form(targets).points
        else:  # exact parameters, checked by evaluating the network
            theta = binary_form_parameters(targets, width=width)
            fits = coefficients(arch, theta)[:, 0, :]
        distance = np.linalg.norm(fits - targets, axis=1)
        return dict(width=width, points=points, targets=targets, fits=fits, distance=distance,
                    reached=int(np.sum(distance < 1e-9)), parameters=arch.n_parameters)

    def figure(self, data):
        a, b, c = _cone_mesh()
        pts, tg, fit = _compact(data["points"]), data["targets"], data["fits"]
        xs, ys, zs = _segments(tg, fit)
        traces = [
            surface_mesh(a, b, c, color=COLORS["manifold"], opacity=0.28,
                         name="cone b² = 4ac", showlegend=True, hoverinfo="skip",
                         lighting=dict(ambient=0.8, diffuse=0.4, specular=0.05)),
            dict(type="scatter3d", x=pts[:, 0], y=pts[:, 1], z=pts[:, 2], mode="markers",
                 name=f"networks, width {data['width']}",
                 marker=dict(size=3, color=COLORS["manifold"], opacity=0.85),
                 hovertemplate="a=%{x:.2f}, b=%{y:.2f}, c=%{z:.2f}<extra></extra>"),
            dict(type="scatter3d", x=xs, y=ys, z=zs, mode="lines", name="target → fit",
                 line=dict(color=COLORS["neutral"], width=5, dash="dash"), hoverinfo="skip"),
            dict(type="scatter3d", x=tg[:, 0], y=tg[:, 1], z=tg[:, 2], mode="markers",
                 name="targets", marker=dict(size=7, symbol="diamond", color=COLORS["data"])),
            dict(type="scatter3d", x=fit[:, 0], y=fit[:, 1], z=fit[:, 2], mode="markers",
                 name="best fits",
                 marker=dict(size=5, color=COLORS["teacher"], line=dict(color="black", width=1))),
            dict(type="scatter3d", x=[0], y=[0], z=[0], mode="markers+text",
                 text=["zero network"], textposition="top left",
                 # the vertex of the cone is singular; once M fills R^3 it is a smooth point
                 name="singular point" if data["width"] == 1 else "zero network (smooth: M = R³)",
                 textfont=dict(color=COLORS["singular"] if data["width"] == 1
                               else COLORS["neutral"], size=15),
                 marker=dict(size=9, color=COLORS["singular"] if data["width"] == 1
                             else COLORS["neutral"])),
        ]
        verdict = ("a cone, dimension 2" if data["width"] == 1
                   else "fills R³, every form is reached")
        lim = 1.6
        return _figure(
            traces,
            title=_title(f"(2, {data['width']}, 1), σ = z²: {verdict}"),
            scene=dict(domain=dict(x=[0, 0.76], y=[0, 1]),
                       xaxis=_scene_axis("a  (x²)", lim), yaxis=_scene_axis("b  (xy)", lim),
                       zaxis=_scene_axis("c  (y²)", lim), aspectmode="cube",
                       camera=dict(eye=dict(x=-1.15, y=-1.65, z=0.5), center=dict(x=0, y=0, z=-0.12))),
            legend=_SIDE_LEGEND, margin=dict(l=10, r=10, t=60, b=10), height=660)

    def info(self, data):
        n = len(data["distance"])
        if data["width"] == 1:
            dists = ", ".join(f"{d:.2f}" for d in data["distance"])
            return ("One neuron computes $v\\,(w_1 x + w_2 y)^2$, with coefficients "
                    "$(a, b, c) = (v w_1^2,\\ 2 v w_1 w_2,\\ v w_2^2)$, so $b^2 = 4ac$: "
                    f"{data['reached']} of {n} random targets are reached "
                    f"(distances to the cone: {dists}).")
        return (f"{data['parameters']} parameters. Every symmetric matrix is diagonalizable, so "
                "$a x^2 + b xy + c y^2 = \\lambda_1 (e_1\\cdot x)^2 + \\lambda_2 (e_2\\cdot x)^2$: "
                f"{data['reached']} of {n} random targets are reached exactly "
                f"(largest residual {data['distance'].max():.1e}).")


# --------------------------------------------------------------------------- (2, 2, 2)

@memoize(maxsize=2)
def _boundary_slice():
    """The slice on an 81 x 81 grid, rounded for compact figures (None where not drawn)."""
    sl = reachability_slice(n=81)
    blank = np.full(sl.reached.shape, None, dtype=object)
    distance = np.where(sl.reached, blank, np.round(sl.distance, 4))   # no NaN: the widget
    region = np.where(sl.reached, 1, blank)                            # comm needs valid JSON
    return sl, distance, region, [np.round(b, 4) for b in sl.boundary()]


class RealBoundaryExplorer(Explorer):
    """A plane of pairs ``(f1, f2) = (x^2 - y^2 + s xy, xy + t (x^2 + y^2))``: which pairs does
    the real network (2, 2, 2) with ``sigma = z^2`` compute?

    The neuromanifold fills ``R^6`` (dimension 6) yet misses an open set: here the band
    ``t^2 (4 + s^2) < 1`` around ``(x^2 - y^2, xy)`` (at ``s = t = 0``). The colour shows
    the distance to the neuromanifold; the sky-blue curve is its boundary.

    Examples
    --------
    >>> e = RealBoundaryExplorer()
    >>> e.compute(s=0.0, t=0.0)["reached"], e.compute(s=0.0, t=1.0)["reached"]
    (False, True)
    """

    title = "A real neuromanifold with a boundary: widths (2, 2, 2), σ(z) = z²"
    question = ("the dimension count says this network fills R⁶. Is the pair (x² − y², xy), "
                "at s = t = 0, computed by some real network? What about nearby pairs?")
    static_control = "t"
    static_values = (-0.8, -0.4, 0.0, 0.4, 0.8)

    def make_controls(self):
        import ipywidgets as w

        return {
            "s": w.FloatSlider(value=0.0, min=-3.0, max=3.0, step=0.1, description="s",
                               style=_STYLE),
            "t": w.FloatSlider(value=0.0, min=-1.5, max=1.5, step=0.05, description="t",
                               style=_STYLE),
        }

    def defaults(self):
        return dict(s=0.0, t=0.0)

    def compute(self, s, t):
        sl, distance, region, boundary = _boundary_slice()
        result = reachability_222(sl.pair(s, t))
        return dict(s=float(s), t=float(t), grid_s=sl.s, grid_t=sl.t, distance=distance,
                    region=region, boundary=boundary, max_distance=float(sl.distance.max()),
                    reached=result.reached, pair=result.pair, jacobian=result.jacobian,
                    parameters=result.parameters, point_distance=result.distance,
                    rank=result.rank)

    def figure(self, data):
        gs, gt = data["grid_s"], data["grid_t"]
        bx, by = [], []
        for curve in data["boundary"]:
            bx += curve[:, 0].tolist() + [None]
            by += curve[:, 1].tolist() + [None]
        reached_name = "reached"
        traces = [
            dict(type="heatmap", x=gs, y=gt, z=data["region"], showscale=False,
                 colorscale=_flat_colorscale(COLORS["manifold"]), opacity=0.22,
                 hoverinfo="skip", name=reached_name),
            dict(type="heatmap", x=gs, y=gt, z=data["distance"], colorscale=COLORSCALE,
                 reversescale=True, zmin=0, zmax=data["max_distance"], name="not reached",
                 colorbar=dict(title=dict(text="distance<br>to M", side="top"), len=0.8,
                               thickness=16),
                 hovertemplate="s=%{x:.2f}, t=%{y:.2f}<br>distance %{z:.3f}<extra></extra>"),
            dict(type="scatter", x=bx, y=by, mode="lines", hoverinfo="skip", name="boundary",
                 line=dict(color=COLORS["boundary"], width=4)),
            dict(type="scatter", x=[0], y=[0], mode="markers+text", text=["(x² − y², xy)"],
                 textposition="bottom right", textfont=dict(color="white"),
                 name="(x² − y², xy)", hoverinfo="skip", showlegend=False,
                 marker=dict(symbol="x", size=13, color="white",
                             line=dict(color="black", width=1))),
            dict(type="scatter", x=[data["s"]], y=[data["t"]], mode="markers",
                 name="your pair",
                 marker=dict(size=16, color=COLORS["data"], line=dict(color="black", width=2))),
            dict(type="scatter", x=[None], y=[None], mode="markers", name=reached_name,
                 marker=dict(symbol="square", size=14, color=COLORS["manifold"], opacity=0.35)),
        ]
        verdict = "reached" if data["reached"] else "NOT reached"
        return _figure(
            traces,
            title=_title(f"s = {data['s']:.1f}, t = {data['t']:.2f}: {verdict}", y=0.97),
            xaxis=dict(title=_title("s    in  f₁ = x² − y² + s·xy"), range=[gs[0], gs[-1]],
                       showgrid=False, zeroline=False),
            yaxis=dict(title=_title("t    in  f₂ = xy + t·(x² + y²)"), range=[gt[0], gt[-1]],
                       showgrid=False, zeroline=False),
            legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", font=dict(size=15)),
            margin=dict(l=70, r=20, t=110, b=60), height=600)

    def info(self, data):
        f1, f2 = (format_form(f, latex=True) for f in data["pair"])
        jac = format_form(data["jacobian"], latex=True)
        head = (f"$f_1 = {f1}$, $f_2 = {f2}$; Jacobian "
                f"$\\det \\partial(f_1, f_2)/\\partial(x, y) = {jac}$. ")
        if data["rank"] < 2:
            return head + ("The two forms are proportional, and one output of width two "
                           "reaches every form.")
        if data["reached"]:
            W1 = data["parameters"][:4].reshape(2, 2)
            V = data["parameters"][4:].reshape(2, 2)
            ls = [f"{p:.2f}x {'+' if q >= 0 else '-'} {abs(q):.2f}y" for p, q in W1]
            return (head + "It has two real roots, which give the hidden neurons "
                    f"$\\ell_1 = {ls[0]}$, $\\ell_2 = {ls[1]}$: "
                    f"$f_1 = {V[0, 0]:.2f}\\,\\ell_1^2 {V[0, 1]:+.2f}\\,\\ell_2^2$, "
                    f"$f_2 = {V[1, 0]:.2f}\\,\\ell_1^2 {V[1, 1]:+.2f}\\,\\ell_2^2$.")
        return (head + "It does not have two distinct real roots, so no real network computes "
                f"this pair; its distance to the neuromanifold is {data['point_distance']:.3f}.")


# --------------------------------------------------------------------------- linear networks

class RankOneExplorer(Explorer):
    """2 x 2 matrices of rank at most one: the function space of the linear network (2, 1, 2).

    In coordinates ``M = [[p + q, r + s], [r - s, p - q]]`` the determinant is
    ``p^2 + s^2 - q^2 - r^2``. The slider fixes the antisymmetric part ``s``; the slice is
    a round cone through the zero matrix for ``s = 0`` and a smooth hyperboloid otherwise.
    Points are end-to-end matrices ``W2 W1`` of random networks.

    Examples
    --------
    >>> data = RankOneExplorer().compute(s=0.0)
    >>> q, r, p = data["points"].T
    >>> bool(np.allclose(q**2 + r**2, p**2)), data["singular"]
    (True, True)
    """

    title = "Linear networks: 2×2 matrices of rank ≤ 1"
    question = ("the zero matrix is the only singular point of the rank-one matrices. What does "
                "a slice look like when it passes through it (s = 0), and when it misses it?")
    static_control = "s"
    static_values = (-0.8, -0.4, 0.0, 0.4, 0.8)

    def make_controls(self):
        import ipywidgets as w

        return {"s": w.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.1,
                                   description="antisymmetric part s", style=_STYLE)}

    def defaults(self):
        return dict(s=0.0)

    def compute(self, s):
        s = round(float(s), 10)
        mesh = rank_one_slice_mesh(s, radius=1.5, n_angles=49, n_heights=21)
        points = sample_rank_one_slice(s, n=200, seed=0, radius=1.5)
        return dict(s=s, mesh=mesh, points=points, singular=(s == 0))

    def figure(self, data):
        q, r, p = (_compact(m) for m in data["mesh"])
        pts = _compact(data["points"])
        # off the cone, one undrawn point (None), not an empty trace: plotly.js leaves a 3-D
        # trace restyled to zero points on screen (the lecture screenshot showed it)
        vertex = [0] if data["singular"] else [None]
        traces = [
            surface_mesh(q, r, p, color=COLORS["manifold"], opacity=0.35,
                         name="rank ≤ 1", showlegend=True, hoverinfo="skip",
                         lighting=dict(ambient=0.8, diffuse=0.4, specular=0.05)),
            dict(type="scatter3d", x=pts[:, 0], y=pts[:, 1], z=pts[:, 2], mode="markers",
                 name="W₂W₁ of networks", marker=dict(size=3, color=COLORS["manifold"])),
            dict(type="scatter3d", x=vertex, y=vertex, z=vertex, mode="markers+text",
                 text=["zero matrix"] if data["singular"] else [""], textposition="middle right",
                 name="singular point", textfont=dict(color=COLORS["singular"], size=15),
                 marker=dict(size=9, color=COLORS["singular"])),
        ]
        shape = ("a cone, singular at 0" if data["singular"]
                 else "a hyperboloid, smooth")
        lim = 2.2
        return _figure(
            traces,
            title=_title(f"slice s = {data['s']:.1f}: {shape}"),
            scene=dict(domain=dict(x=[0, 0.78], y=[0, 1]),
                       xaxis=_scene_axis("q = (a−d)/2", lim, (-2, 0, 2)),
                       yaxis=_scene_axis("r = (b+c)/2", lim, (-2, 0, 2)),
                       zaxis=_scene_axis("p = (a+d)/2", 1.6), aspectmode="manual",
                       aspectratio=dict(x=1, y=1, z=0.8),
                       camera=dict(eye=dict(x=1.45, y=-1.45, z=0.55), center=dict(x=0, y=0, z=-0.1))),
            legend=_SIDE_LEGEND, margin=dict(l=10, r=10, t=60, b=10), height=600)

    def info(self, data):
        return ("$M = \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} = "
                "\\begin{pmatrix} p + q & r + s \\\\ r - s & p - q \\end{pmatrix}$ has "
                "$\\det M = p^2 + s^2 - q^2 - r^2$, so rank $\\le 1$ means "
                f"$q^2 + r^2 = p^2 + {data['s'] ** 2:.2f}$ on this slice.")


# --------------------------------------------------------------------------- f(x) = w2 w1 x

@memoize(maxsize=1)
def _other_fibers():
    """The hyperbolas ``w1 w2 = k``, ``k = -4..4``, as one polyline with gaps."""
    xs, ys = [], []
    for k in range(-4, 5):
        for branch in fiber_curves(float(k), lim=3.0, n=30):
            xs += _compact(branch[:, 0]).tolist() + [None]
            ys += _compact(branch[:, 1]).tolist() + [None]
    return xs, ys


class FiberExplorer(Explorer):
    """The tiny network ``f(x) = w2 w1 x``: parameter plane, fibers, function.

    All parameters on the hyperbola ``w1 w2 = c`` (the fiber over ``c``) compute the same
    function ``c x``. For ``c = 0`` the fiber is the two axes, crossing at the singular
    point ``w = 0``.

    Examples
    --------
    >>> data = FiberExplorer().compute(c=1.5, u=0.3)
    >>> w1, w2 = data["point"]
    >>> round(float(w1 * w2), 12)
    1.5
    """

    title = "Fibers of f(x) = w₂·w₁·x"
    question = ("if you slide the parameters along the curve w₁w₂ = c, does the function change? "
                "What does the curve look like for c = 0?")
    static_control = "c"
    static_values = (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5)

    def make_controls(self):
        import ipywidgets as w

        return {
            "c": w.FloatSlider(value=1.0, min=-2.0, max=2.0, step=0.1, description="function c",
                               style=_STYLE),
            "u": w.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.05,
                               description="slide along the fiber (log w₁)", style=_STYLE),
        }

    def defaults(self):
        return dict(c=1.0, u=0.0)

    def compute(self, c, u):
        c = round(float(c), 10)
        point = fiber_point(c, u)
        x = np.array([-1.0, 1.0])
        return dict(c=c, u=float(u), branches=fiber_curves(c, lim=3.0, n=80), point=point,
                    x=x, y=point[1] * point[0] * x)

    def figure(self, data):
        other_x, other_y = _other_fibers()
        fx, fy = [], []
        for branch in data["branches"]:      # both branches in one trace, split by a gap
            fx += _compact(branch[:, 0]).tolist() + [None]
            fy += _compact(branch[:, 1]).tolist() + [None]
        w1, w2 = data["point"]
        fiber = dict(color=COLORS["boundary"], width=5)
        traces = [
            dict(type="scatter", x=other_x, y=other_y, mode="lines", hoverinfo="skip",
                 line=dict(color="#C8C8C8", width=1), name="other fibers w₁w₂ = k"),
            dict(type="scatter", x=fx, y=fy, mode="lines", line=fiber,
                 name=f"fiber w₁w₂ = {data['c']:g}"),
            dict(type="scatter", x=[0], y=[0], mode="markers",
                 name="w = 0: critical point of φ",
                 marker=dict(size=12, color=COLORS["singular"])),
            dict(type="scatter", x=[w1], y=[w2], mode="markers", name="parameters (w₁, w₂)",
                 marker=dict(size=15, color=COLORS["path"], line=dict(color="black", width=1))),
            dict(type="scatter", x=data["x"], y=data["y"], mode="lines", xaxis="x2", yaxis="y2",
                 name="its function f", line=dict(color=COLORS["path"], width=5)),
        ]
        return _figure(
            traces,
            title=_title(f"(w₁, w₂) = ({w1:.2f}, {w2:.2f}) computes f(x) = {data['c']:g}·x", y=0.97),
            xaxis=dict(domain=[0, 0.48], range=[-3, 3], title=_title("w₁"), constrain="domain"),
            yaxis=dict(range=[-3, 3], title=_title("w₂"), scaleanchor="x", scaleratio=1,
                       constrain="domain"),
            xaxis2=dict(domain=[0.62, 1], range=[-1, 1], title=_title("x"), anchor="y2"),
            yaxis2=dict(range=[-2.2, 2.2], title=_title("f(x)"), anchor="x2"),
            annotations=_panel_titles("parameter space", "function space"),
            legend=dict(orientation="h", x=0, y=1.09, yanchor="bottom", font=dict(size=15)),
            margin=dict(l=70, r=20, t=130, b=60), height=600)

    def info(self, data):
        w1, w2 = data["point"]
        if data["c"] == 0:
            return ("For $c = 0$ the fiber is the union of the two axes $w_1 = 0$ and $w_2 = 0$. "
                    "They cross at $w = 0$, where the differential of "
                    "$(w_1, w_2) \\mapsto w_1 w_2$ vanishes: a critical point of the "
                    "parameterization. The function space, the line of all $c\\,x$, is smooth at "
                    "$c = 0$: the special point is in parameter space, not in function space.")
        return (f"$(w_1, w_2) = ({w1:.2f}, {w2:.2f})$ and $w_1 w_2 = {w1 * w2:.2f}$. Sliding along "
                "the hyperbola multiplies $w_1$ by $t$ and $w_2$ by $1/t$ and leaves the function "
                "unchanged; the other branch, $(-w_1, -w_2)$, gives the same function too.")


# --------------------------------------------------------------------------- loss landscapes

_LIM = 2.0
_STEPS = 60
_Z_RANGE = (-1.5, 5.0)
#: how far the level curves of the loss are drawn above its surface
LEVEL_LIFT = 0.04
_C_RANGE = (-3.0, 3.0)  # the function-space panel's slopes


class LossLandscapeExplorer(Explorer):
    """The squared loss of ``f(x) = w2 w1 x`` on parameters and on functions, with gradient descent.

    Left: ``L(w1, w2) = l(w1 w2)`` over the parameter plane, a saddle at ``w = 0`` and a
    valley of global minima along ``w1 w2 = c*``. Right: the convex parabola ``l(c)`` on
    the function space, with the slopes ``w1 w2`` visited by gradient descent on the
    parameters and, for comparison, gradient descent on ``l`` itself.

    Examples
    --------
    >>> data = LossLandscapeExplorer().compute(slope=1.5, lr=0.1, w1_init=1.0, w2_init=-1.0)
    >>> bool(np.allclose(data["path"].final, 0, atol=1e-3))      # stuck at the saddle
    True
    """

    title = "Loss landscapes, first look: f(x) = w₂·w₁·x fitted to data"
    question = ("start at w = (1, −1) with a positive data slope. Gradient descent on the "
                "function space goes straight to the best slope. Where does gradient descent "
                "on the parameters end up?")
    static_control = "lr"
    static_values = (0.05, 0.1, 0.2, 0.4, 0.6, 0.8)
    # the initialization the prompt asks for, on the antidiagonal, at two rates
    static_presets = (dict(w1_init=1.0, w2_init=-1.0, lr=0.1),
                      dict(w1_init=1.0, w2_init=-1.0, lr=0.4))
    static_skip_unchanged = True  # the loss surface is the same in every step

    def static_label(self, state):
        start = (state["w1_init"], state["w2_init"])
        own = (self.values["w1_init"], self.values["w2_init"])
        return f"{state['lr']}" + ("" if start == own else
                                   f" at ({start[0]:g}, {start[1]:g})")

    def make_controls(self):
        import ipywidgets as w

        return {
            "slope": w.FloatSlider(value=1.5, min=-2.0, max=2.0, step=0.1,
                                   description="data: slope", style=_STYLE),
            "lr": w.FloatSlider(value=0.1, min=0.05, max=0.8, step=0.05,
                                description="learning rate", style=_STYLE),
            "w1_init": w.FloatSlider(value=1.5, min=-2.0, max=2.0, step=0.1,
                                     description="initial w₁", style=_STYLE),
            "w2_init": w.FloatSlider(value=-0.5, min=-2.0, max=2.0, step=0.1,
                                     description="initial w₂", style=_STYLE),
        }

    def defaults(self):
        return dict(slope=1.5, lr=0.1, w1_init=1.5, w2_init=-0.5)

    def compute(self, slope, lr, w1_init, w2_init):
        data = ScalarRegression.from_slope(slope, noise=0.3, seed=0)
        w1, w2, L = data.landscape(lim=_LIM, n=41)
        path = data.gradient_descent([w1_init, w2_init], lr=lr, steps=_STEPS)
        fpath = data.function_space_descent(w1_init * w2_init, lr=lr, steps=_STEPS)
        cs = np.linspace(-4.0, 4.0, 161)
        valley = fiber_curves(data.best_slope, lim=_LIM, n=60)
        return dict(slope=float(slope), lr=float(lr), w1=w1, w2=w2, L=L, path=path, fpath=fpath,
                    cs=cs, ell=data.function_loss(cs), best=data.best_slope,
                    min_loss=data.min_loss, saddle_loss=float(data.loss(0.0, 0.0)),
                    n_data=len(data.x), m=data.second_moment,
                    valley=[np.column_stack([v, data.loss(v[:, 0], v[:, 1])]) for v in valley])

    def figure(self, data):
        path, fpath = data["path"], data["fpath"]
        top, floor = _Z_RANGE[1], _Z_RANGE[0]
        P = path.points
        lift = 0.03 * (top - floor)
        # A diverging path is drawn up to where it leaves the plotted box, and marked there:
        # its far points would otherwise stretch the scene and flatten the surface.
        box3 = clip_path_to_box(np.column_stack([P, path.losses]),
                                [-_LIM, -_LIM, floor], [_LIM, _LIM, top])
        c_path = P.prod(axis=1)
        box_c = clip_path_to_box(np.column_stack([c_path, path.losses]),
                                 [_C_RANGE[0], 0.0], [_C_RANGE[1], top])
        box_f = clip_path_to_box(np.column_stack([fpath.points[:, 0], fpath.losses]),
                                 [_C_RANGE[0], 0.0], [_C_RANGE[1], top])
        exits_c = np.vstack([box_c.exits, box_f.exits])
        vx, vy, vz = [], [], []
        for v in data["valley"]:
            vx += list(v[:, 0]) + [None]
            vy += list(v[:, 1]) + [None]
            vz += list(v[:, 2] + lift) + [None]
        # level curves L = 0.25, 0.75, ... just above the (opaque) surface and projected on
        # the floor; a translucent mesh clipped by the box shows its triangles
        levels = np.arange(0.25, top, 0.5)
        sx, sy, sz, sc = level_curves(data["w1"], data["w2"], data["L"], levels)
        lx, ly, lz, lc = (np.concatenate(pair) for pair in zip(
            (sx, sy, sz + LEVEL_LIFT, sc),
            level_curves(data["w1"], data["w2"], data["L"], levels, at=floor)))
        path_style = dict(color=COLORS["path"], width=6)
        leave_marker = dict(symbol="x", size=6, color=COLORS["path"])
        traces = [
            surface_mesh(data["w1"], data["w2"], data["L"], decimals=4, cmin=0, cmax=top,
                         colorscale=COLORSCALE, showscale=False,
                         name="loss L(w₁, w₂)", hoverinfo="skip"),
            dict(type="scatter3d", x=lx, y=ly, z=lz, mode="lines", hoverinfo="skip",
                 name="level curves of L", showlegend=False,
                 line=dict(color=lc, colorscale=COLORSCALE, cmin=0, cmax=top, width=2)),
            dict(type="scatter3d", x=vx, y=vy, z=vz, mode="lines",
                 name="minima w₁w₂ = c*", line=dict(color=COLORS["teacher"], width=7)),
            dict(type="scatter3d", x=[0], y=[0], z=[data["saddle_loss"] + lift],
                 mode="markers", name="saddle w = 0",
                 marker=dict(size=7, color=COLORS["singular"])),
            dict(type="scatter3d", x=box3.points[:, 0], y=box3.points[:, 1],
                 z=box3.points[:, 2] + lift, mode="lines+markers",
                 name="descent on w", legendgroup="w", line=path_style,
                 marker=dict(size=3, color=COLORS["path"])),
            dict(type="scatter3d", x=box3.exits[:, 0], y=box3.exits[:, 1],
                 z=box3.exits[:, 2] + lift, mode="markers",
                 name="descent on w leaves the plotted box", legendgroup="w",
                 showlegend=False, marker=leave_marker),
            dict(type="scatter", x=data["cs"], y=data["ell"], mode="lines", name="loss ℓ(c)",
                 showlegend=False, line=dict(color=COLORS["neutral"], width=3)),
            dict(type="scatter", x=box_f.points[:, 0], y=box_f.points[:, 1],
                 mode="lines+markers", name="descent on c",
                 line=dict(color=COLORS["boundary"], width=2, dash="dash"),
                 marker=dict(size=8, symbol="square-open", color=COLORS["boundary"])),
            dict(type="scatter", x=box_c.points[:, 0], y=box_c.points[:, 1],
                 mode="lines+markers",
                 name="c = w₁w₂ along the descent on w", legendgroup="w", showlegend=False,
                 line=dict(color=COLORS["path"], width=3), marker=dict(size=6)),
            dict(type="scatter", x=exits_c[:, 0], y=exits_c[:, 1],
                 mode="markers", name="descent leaves the plotted range", showlegend=False,
                 marker=dict(leave_marker, size=12), cliponaxis=False),
            dict(type="scatter", x=[data["best"]], y=[data["min_loss"]], mode="markers",
                 name="best fit c*", marker=dict(symbol="star", size=16, color=COLORS["teacher"],
                                                line=dict(color="black", width=1))),
        ]
        stuck = np.linalg.norm(path.final) < 1e-2 and abs(data["best"]) > 1e-6
        state = ("stuck at the saddle w = 0" if stuck else f"ends at w₁w₂ = {c_path[-1]:.2f}")
        if path.diverged:
            state = "diverges"
        if box3.leaves:
            k = box3.first_exit + 1
            state += f", leaves the box at step {k} (×)"
        return _figure(
            traces,
            title=_title(f"rate {data['lr']:.2f}: {state}; c* = {data['best']:.2f}", y=0.97),
            scene=dict(domain=dict(x=[0, 0.55], y=[0, 1]),
                       xaxis=dict(title=_title("w₁"), range=[-_LIM, _LIM], autorange=False,
                                  tickvals=[-2, 0, 2]),
                       yaxis=dict(title=_title("w₂"), range=[-_LIM, _LIM], autorange=False,
                                  tickvals=[-2, 0, 2]),
                       zaxis=dict(title=_title("loss"), range=list(_Z_RANGE), autorange=False,
                                  tickvals=[0, 2, 4]),
                       aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.75),
                       camera=dict(eye=dict(x=1.2, y=1.2, z=1.4),
                                   center=dict(x=0, y=0, z=-0.15))),
            xaxis=dict(domain=[0.67, 1.0], range=list(_C_RANGE), title=_title("slope c = w₁w₂")),
            yaxis=dict(range=[0, top], title=_title("loss ℓ(c)")),
            annotations=_panel_titles("parameter space", "function space", 0.275, "x"),
            legend=dict(orientation="h", x=0, y=1.08, yanchor="bottom", font=dict(size=14)),
            margin=dict(l=10, r=20, t=150, b=60), height=660)

    def info(self, data):
        path, m, best = data["path"], data["m"], data["best"]
        return (f"{data['n_data']} data points $y_i \\approx {data['slope']:.1f}\\,x_i$, so "
                f"$L(w_1, w_2) = {m:.2f}\\,(w_1 w_2 - {best:.2f})^2 + {data['min_loss']:.2f}$. "
                "At $w = 0$ the Hessian is "
                f"$\\begin{{pmatrix}} 0 & {-2 * m * best:.2f} \\\\ {-2 * m * best:.2f} & 0 "
                "\\end{pmatrix}$: a saddle. "
                + (f"The iterates diverge: after {len(path.points) - 1} steps the loss is "
                   f"{path.losses[-1]:.3g}; the path is drawn until it leaves the plotted box "
                   "(×). At a minimum $w$ the Hessian has the eigenvalues 0 and "
                   "$2m\\,(w_1^2 + w_2^2)$, so descent can settle there only when the rate is "
                   "below $1/(m\\,(w_1^2 + w_2^2))$."
                   if path.diverged else
                   f"After {len(path.points) - 1} steps the loss is {path.losses[-1]:.3f} "
                   f"(best possible {data['min_loss']:.3f})."))

"""Explorers of notebook 06: convolutional filters, lightning attention, ReLU regions,
polynomial approximation."""

from __future__ import annotations


import numpy as np

from ..cache import memoize
from ..approximation import approximate, approximation_errors
from ..attention import LightningAttention, attention_dimension_formula
from ..cnn import lcn_fills_reals, real_factorization
from ..jacobian_rank import ArchitectureTooLargeError, dimension
from ..relu import ReLUNetwork, arrangement_bound, grid_region_count, linear_regions
from ..shipped import relu_region_counts
from ..theme import COLORS
from ._base import Explorer, from_record, plain_figure, title, to_record
from ._mesh import level_curves

__all__ = ["FilterFactorExplorer", "AttentionExplorer", "ReLURegionsExplorer",
           "ApproximationExplorer", "target_filter"]

_STYLE = {"description_width": "initial"}
_FACTOR_COLORS = [COLORS["manifold"], COLORS["singular"], COLORS["data"], COLORS["path"]]
# soft, distinguishable colours for neighbouring regions (a discrete, cyclic colour scale)
_REGION_COLORS = ["#8DD3C7", "#FFFFB3", "#BEBADA", "#FB8072", "#80B1D3", "#FDB462", "#B3DE69",
                  "#FCCDE5", "#D9D9D9", "#BC80BD", "#CCEBC5", "#FFED6F"]
_REGION_SCALE = [[(i + e) / len(_REGION_COLORS), c] for i, c in enumerate(_REGION_COLORS)
                 for e in (0, 1)]
_TOP_LEGEND = dict(orientation="h", x=0, y=1.02, yanchor="bottom")


def target_filter(degree: int, complex_pairs: int, seed: int = 0) -> np.ndarray:
    """A random real filter of ``degree`` with exactly ``complex_pairs`` non-real root pairs.

    Examples
    --------
    >>> w = target_filter(4, 1, seed=0)
    >>> len(w), int(np.sum(np.abs(np.roots(w[::-1]).imag) > 1e-9))
    (5, 2)
    """
    if not 0 <= 2 * complex_pairs <= degree:
        raise ValueError(f"a filter of degree {degree} has at most {degree // 2} complex pairs, "
                         f"got {complex_pairs}")
    rng = np.random.default_rng(seed)
    coeffs = np.array([1.0])
    for _ in range(complex_pairs):
        r, angle = rng.uniform(0.5, 1.4), rng.uniform(0.35, np.pi - 0.35)
        root = r * np.exp(1j * angle)
        coeffs = np.convolve(coeffs, [abs(root) ** 2, -2 * root.real, 1.0])
    for x in rng.uniform(-1.4, 1.4, degree - 2 * complex_pairs):
        coeffs = np.convolve(coeffs, [-x, 1.0])
    return coeffs


class FilterFactorExplorer(Explorer):
    """Filter sizes of a stride-one LCN and a target filter: can the network compute it?

    The target's roots are drawn in the complex plane; when it factors over the reals
    with factors of degrees ``k_i - 1``, each root is coloured by the filter it goes to.

    Examples
    --------
    >>> d = FilterFactorExplorer().compute(k1=3, k2=2, k3=4, complex_pairs=3, seed=0)
    >>> d["degree"], d["capacity"], d["reachable"], d["fills"]
    (6, 2, False, False)
    """

    title = "Which filters does a linear convolutional network compute?"
    question = ("with filter sizes (3, 2, 4), the end-to-end filter has degree 6. Can the network "
                "compute a real filter of degree 6 none of whose roots is real?")
    static_control = "complex_pairs"
    static_values = (0, 1, 2, 3)

    def make_controls(self):
        import ipywidgets as w

        return {
            "k1": w.IntSlider(value=3, min=1, max=5, description="filter size k₁", style=_STYLE),
            "k2": w.IntSlider(value=2, min=1, max=5, description="k₂", style=_STYLE),
            "k3": w.IntSlider(value=4, min=1, max=5, description="k₃", style=_STYLE),
            "complex_pairs": w.IntSlider(value=1, min=0, max=6,
                                         description="target: complex root pairs", style=_STYLE),
            "seed": w.IntSlider(value=0, min=0, max=9, description="target seed", style=_STYLE),
        }

    def defaults(self):
        return dict(k1=3, k2=2, k3=4, complex_pairs=1, seed=0)

    def compute(self, k1, k2, k3, complex_pairs, seed):
        sizes = (k1, k2, k3)
        degree = sum(sizes) - 3
        pairs = min(complex_pairs, degree // 2)
        target = target_filter(degree, pairs, seed)
        roots = np.roots(target[::-1]) if degree else np.zeros(0, dtype=complex)
        factors = real_factorization(target, sizes)
        owner = np.full(len(roots), -1)
        if factors is not None:
            for i, w in enumerate(factors):
                for r in (np.roots(w[::-1]) if len(w) > 1 else []):
                    free = [j for j in np.argsort(np.abs(roots - r)) if owner[j] < 0]
                    owner[free[0]] = i
        capacity = sum((k - 1) // 2 for k in sizes)
        return dict(sizes=sizes, degree=degree, complex_pairs=pairs, requested=complex_pairs,
                    roots=roots, owner=owner, reachable=factors is not None, capacity=capacity,
                    fills=lcn_fills_reals(sizes), dimension=degree + 1, target=target)

    def figure(self, data):
        roots, owner = data["roots"], data["owner"]
        t = np.linspace(0, 2 * np.pi, 200)
        traces = [dict(type="scatter", x=np.cos(t).tolist(), y=np.sin(t).tolist(), mode="lines",
                       line=dict(color="#CCCCCC", dash="dot"), name="unit circle", hoverinfo="skip")]
        for i, k in enumerate(data["sizes"]):
            mine = roots[owner == i]
            traces.append(dict(type="scatter", x=mine.real.tolist(), y=mine.imag.tolist(),
                               mode="markers", name=f"factor {i + 1} (degree {k - 1})",
                               marker=dict(size=16, color=_FACTOR_COLORS[i],
                                           line=dict(color="white", width=1))))
        lost = roots[owner < 0]
        traces.append(dict(type="scatter", x=lost.real.tolist(), y=lost.imag.tolist(), mode="markers",
                           name="no real factorization", marker=dict(size=16, symbol="x",
                                                                     color=COLORS["neutral"])))
        verdict = ("reachable over R" if data["reachable"] else
                   f"NOT reachable over R: {data['complex_pairs']} complex pairs, room for "
                   f"{data['capacity']}")
        return plain_figure(
            traces, title=title(f"filter sizes {data['sizes']}, target of degree {data['degree']}: "
                                f"{verdict}"),
            xaxis=dict(title=dict(text="Re"), range=[-1.8, 1.8], zeroline=True),
            yaxis=dict(title=dict(text="Im"), range=[-1.6, 1.6], scaleanchor="x", zeroline=True),
            height=520, legend=dict(x=1.02, y=1))

    def info(self, data):
        fill = ("at most one filter size is even, so almost every real filter of this length is "
                "reachable: the function space fills its space over R" if data["fills"] else
                "two or more filter sizes are even: every real factorization needs that many real "
                "roots, so an open set of real filters is out of reach")
        note = ""
        if data["requested"] > data["complex_pairs"]:
            note = f" (a degree-{data['degree']} filter has at most {data['complex_pairs']} pairs)"
        return (f"Dimension {data['dimension']} = Σkᵢ − (L − 1), the whole space of filters of "
                f"degree {data['degree']} over C. Over R: {fill}. Complex pairs the factors can "
                f"hold: Σ⌊(kᵢ − 1)/2⌋ = {data['capacity']}{note}.")


@memoize(maxsize=512)
def _attention_dimension(l, d, a, T):
    try:
        return dimension(LightningAttention(l, d, a, tokens=T), max_work=3 * 10**6).dimension
    except ArchitectureTooLargeError:
        return None


class AttentionExplorer(Explorer):
    """Layers, token dimension, attention dimension: the dimension of lightning attention
    for 1 to 4 tokens, against the parameter count and the formula.

    Examples
    --------
    >>> d = AttentionExplorer().compute(layers=1, d=3, a=2, tokens=3)
    >>> d["parameters"], d["formula"], d["dimensions"]
    (21, 16, [14, 16, 16, 16])
    """

    title = "Lightning self-attention: how many functions, and how many tokens to see them?"
    question = ("one layer with d = 3 and a = 2 has 21 parameters. What is the dimension of its "
                "function space, and does it change with a single token?")
    static_control = "a"
    static_values = (1, 2, 3)
    max_tokens = 4

    def make_controls(self):
        import ipywidgets as w

        return {
            "layers": w.IntSlider(value=1, min=1, max=2, description="layers l", style=_STYLE),
            "d": w.IntSlider(value=3, min=1, max=3, description="token dimension d", style=_STYLE),
            "a": w.IntSlider(value=2, min=1, max=3, description="attention dimension a", style=_STYLE),
            "tokens": w.IntSlider(value=3, min=1, max=self.max_tokens, description="tokens T",
                                  style=_STYLE),
        }

    def defaults(self):
        return dict(layers=1, d=3, a=2, tokens=3)

    def compute(self, layers, d, a, tokens):
        T = list(range(1, self.max_tokens + 1))
        dims = [_attention_dimension(layers, d, a, t) for t in T]
        m = LightningAttention(layers, d, a, tokens=tokens)
        return dict(layers=layers, d=d, a=a, tokens=tokens, token_counts=T, dimensions=dims,
                    parameters=m.n_parameters, formula=attention_dimension_formula(layers, d, a),
                    symmetry=m.symmetry_dimension, ambient=m.ambient_dimension)

    def figure(self, data):
        T, dims = data["token_counts"], data["dimensions"]
        colors = [COLORS["singular"] if (v is not None and v < data["formula"]) else COLORS["manifold"]
                  for v in dims]
        line = [0.5, T[-1] + 0.5]
        traces = [
            dict(type="bar", x=T, y=[v if v is not None else 0 for v in dims], name="dimension (exact)",
                 marker=dict(color=colors, line=dict(width=[4 if t == data["tokens"] else 0 for t in T],
                                                     color="#222")),
                 text=[str(v) if v is not None else "too large" for v in dims], textposition="outside"),
            dict(type="scatter", x=line, y=[data["formula"]] * 2, mode="lines", name="formula",
                 line=dict(color=COLORS["teacher"], dash="dash", width=3)),
            dict(type="scatter", x=line, y=[data["parameters"]] * 2, mode="lines", name="parameters",
                 line=dict(color=COLORS["neutral"], dash="dot", width=3)),
        ]
        return plain_figure(
            traces, title=title(f"l = {data['layers']}, d = {data['d']}, a = {data['a']}: "
                                f"formula {data['formula']}, {data['parameters']} parameters"),
            xaxis=dict(title=dict(text="number of tokens T"), tickmode="linear", dtick=1,
                       range=line),
            yaxis=dict(title=dict(text="dimension"), range=[0, 1.15 * data["parameters"] + 1]),
            height=460, bargap=0.35, legend=dict(x=1.02, y=1))

    def info(self, data):
        chosen = data["dimensions"][data["tokens"] - 1]
        return (f"{data['parameters']} = l(2ad + d²) parameters, {data['symmetry']} dimensions of "
                f"symmetries (GL(a) and a rescaling per layer, GL(d) between layers), so "
                f"l(a(2d − a) + d²) − (l − 1)d² − l = {data['formula']}. With T = {data['tokens']} "
                f"token(s) the exact dimension is {chosen if chosen is not None else 'too large to compute live'}"
                f"; the ambient space has dimension {data['ambient']:,}.")


@memoize(maxsize=64)
def _growth(depth, max_width, seeds, box):
    return np.array([[linear_regions(ReLUNetwork.random((2,) + (n,) * depth + (1,), seed=s), box).count
                      for s in range(seeds)] for n in range(1, max_width + 1)])


def _region_counts(depth, max_width, seeds, box):
    """Exact region counts (widths 1..max_width, seeds 0..seeds-1) of the explorer's networks:
    the shipped table (:func:`nagviz.shipped.relu_region_counts`) when it holds them, or
    ``None``."""
    table = relu_region_counts(depth, box)
    if table is None or table.shape[0] < max_width or table.shape[1] < seeds:
        return None
    return table[:max_width, :seeds]


class ReLURegionsExplorer(Explorer):
    """A random ReLU network with two inputs: its linear regions, and their count as the
    width grows.

    Examples
    --------
    >>> d = ReLURegionsExplorer().compute(width=4, depth=1, seed=0)
    >>> d["exact"] == d["grid"] <= d["bound"]
    True
    """

    title = "ReLU networks are piecewise linear"
    question = ("a ReLU network with two inputs and one hidden layer of width 8: how many "
                "linear pieces can it have? And with two hidden layers of width 8?")
    static_control = "width"
    static_values = (1, 2, 4, 6, 8, 10)
    box = (-3.0, 3.0, -3.0, 3.0)
    resolution = 150  # grid points per side: the static page carries six such grids
    max_width = 10
    seeds = 3

    def make_controls(self):
        import ipywidgets as w

        return {
            "width": w.IntSlider(value=4, min=1, max=self.max_width, description="width",
                                 style=_STYLE),
            "depth": w.IntSlider(value=1, min=1, max=3, description="hidden layers", style=_STYLE),
            "seed": w.IntSlider(value=0, min=0, max=9, description="seed", style=_STYLE),
        }

    def defaults(self):
        return dict(width=4, depth=1, seed=0)

    def compute(self, width, depth, seed):
        net = ReLUNetwork.random((2,) + (width,) * depth + (1,), seed=seed)
        # the exact counts come from the shipped table (the explorer's 300 networks, counted
        # by linear_regions once), else from linear_regions now (0.01-0.3 s a network)
        table = _region_counts(depth, self.max_width, max(self.seeds, seed + 1), self.box)
        exact = (int(table[width - 1, seed]) if table is not None and width <= self.max_width
                 else linear_regions(net, self.box).count)
        grid = grid_region_count(net, self.box, self.resolution)
        # shuffle region labels so that neighbouring regions get different colours
        perm = np.random.default_rng(1).permutation(grid.count)
        xs = np.linspace(self.box[0], self.box[1], self.resolution)
        values = net(np.column_stack([g.ravel() for g in np.meshgrid(xs, xs)]))[:, 0]
        growth = (table[:, :self.seeds] if table is not None
                  else _growth(depth, self.max_width, self.seeds, self.box))
        # numpy arrays (small types) reach the live figure as binary buffers; nested lists
        # would cost plotly's validator ~0.5 s a move (two 150 x 150 grids, element by element)
        return dict(width=width, depth=depth, seed=seed, exact=exact, grid=grid.count,
                    labels=(perm[grid.labels] % len(_REGION_COLORS)).astype(np.uint8), xs=xs,
                    values=np.round(values.reshape(grid.labels.shape), 3),
                    bound=arrangement_bound(width) if depth == 1 else None,
                    widths=list(range(1, self.max_width + 1)), growth=growth.mean(axis=1),
                    growth_bound=[arrangement_bound(n) for n in range(1, self.max_width + 1)])

    def figure(self, data):
        xs = data["xs"].tolist()
        values = data["values"]  # 20 levels strictly between the extremes, as plotly's ncontours
        levels = np.linspace(values.min(), values.max(), 22)[1:-1]
        lx, ly = level_curves(data["xs"], data["xs"], values, levels, decimals=3)[:2]
        traces = [
            dict(type="heatmap", x=xs, y=xs, z=data["labels"], colorscale=_REGION_SCALE,
                 zmin=-0.5, zmax=len(_REGION_COLORS) - 0.5, showscale=False, xaxis="x", yaxis="y", name="regions", hoverinfo="skip", opacity=0.85),
            # traced here (contourpy), not by plotly's contour trace, which plotly would
            # recompute on every slider move (30-40 ms, benchmarks/redraw.py)
            dict(type="scatter", x=lx, y=ly, mode="lines",
                 line=dict(color="rgba(0,0,0,0.35)", width=1),
                 xaxis="x", yaxis="y", name="level sets of f", hoverinfo="skip"),
            dict(type="scatter", x=data["widths"], y=data["growth"].tolist(), mode="lines+markers",
                 name=f"mean regions, {data['depth']} hidden layer(s)", xaxis="x2", yaxis="y2",
                 line=dict(color=COLORS["manifold"], width=3)),
            dict(type="scatter", x=data["widths"], y=data["growth_bound"], mode="lines",
                 name="1 + n + n(n−1)/2 (one layer, whole plane)", xaxis="x2", yaxis="y2",
                 line=dict(color=COLORS["teacher"], dash="dash")),
            dict(type="scatter", x=[data["width"]], y=[data["exact"]], mode="markers",
                 name="this network", xaxis="x2", yaxis="y2",
                 marker=dict(size=14, color=COLORS["singular"])),
        ]
        return plain_figure(
            traces,
            title=title(f"widths {(2,) + (data['width'],) * data['depth'] + (1,)}: {data['exact']} "
                        f"linear regions in the box (grid sees {data['grid']})"),
            xaxis=dict(domain=[0, 0.46], title=dict(text="x₁"), range=list(self.box[:2])),
            yaxis=dict(title=dict(text="x₂"), scaleanchor="x", range=list(self.box[2:])),
            xaxis2=dict(domain=[0.58, 1], title=dict(text="hidden width n"), anchor="y2",
                        range=[0.5, self.max_width + 0.5]),
            yaxis2=dict(title=dict(text="linear regions"), anchor="x2", type="log", dtick=1,
                        range=[0, np.log10(max(200, float(data["growth"].max()) * 1.5))]),
            height=560, legend=_TOP_LEGEND, margin=dict(t=130))

    def info(self, data):
        bound = (f" At most 1 + n + n(n − 1)/2 = {data['bound']} in the whole plane."
                 if data["bound"] is not None else "")
        return (f"{data['exact']} regions counted exactly by cutting the box along each neuron's "
                f"zero line; the {self.resolution} × {self.resolution} grid sees {data['grid']}."
                f"{bound}")


@memoize(maxsize=1)
def _gap_network():
    net = ReLUNetwork.random((2, 8, 1), seed=3)
    X = np.stack(np.meshgrid(np.linspace(-1, 1, 41), np.linspace(-1, 1, 41)), -1).reshape(-1, 2)
    return net, X, net.preactivation_range(X)


@memoize(maxsize=16)
def _errors(target, max_degree):
    return approximation_errors(target, range(1, max_degree + 1))


class ApproximationExplorer(Explorer):
    """A degree slider: polynomial approximations of ReLU or tanh on [-1, 1] and their errors.

    Examples
    --------
    >>> d = ApproximationExplorer().compute(target="relu", degree=8)
    >>> round(d["max_error"]["chebyshev"], 4), round(d["max_error"]["least squares"], 4)
    (0.0335, 0.0336)
    """

    title = "Polynomials that look like ReLU"
    question = ("a degree-8 polynomial is within about 0.03 of ReLU on [−1, 1]. Which degree "
                "brings the error below 0.003? And for tanh?")
    static_control = "degree"
    static_values = (1, 2, 4, 8, 16, 32)
    max_degree = 40

    def make_controls(self):
        import ipywidgets as w

        return {
            "target": w.Dropdown(options=["relu", "tanh"], value="relu", description="target",
                                 style=_STYLE),
            "degree": w.IntSlider(value=8, min=1, max=self.max_degree, description="degree",
                                  style=_STYLE),
        }

    def defaults(self):
        return dict(target="relu", degree=8)

    def compute(self, target, degree):
        return _approximation_data(target, int(degree), self.max_degree)

    @staticmethod
    def _compute(target, degree, max_degree):
        x = np.linspace(-1, 1, 401)
        fits = {m: approximate(target, degree, m) for m in ("least squares", "chebyshev")}
        curve = _errors(target, max_degree)
        f = np.maximum(x, 0) if target == "relu" else np.tanh(x)
        # a small network with this activation, against the same weights with the polynomial
        net, X, reach = _gap_network()
        sigma = None if target == "relu" else np.tanh
        exact = net(X, activation=sigma)
        poly = approximate(target, degree, "chebyshev", interval=(-reach, reach))
        gap = float(np.abs(exact - net(X, activation=poly)).max())
        return dict(target=target, degree=degree, x=x, f=f, network_gap=gap,
                    network_size=float(np.abs(exact).max()), network_widths=net.widths,
                    fits={m: a(x) for m, a in fits.items()},
                    max_error={m: a.max_error for m, a in fits.items()},
                    degrees=list(curve.degrees), curves={m: e for m, e in curve.max_errors.items()},
                    error_floor=float(np.floor(np.log10(min(e.min() for e in curve.max_errors.values())))))

    def figure(self, data):
        x = data["x"].tolist()
        colors = {"least squares": COLORS["manifold"], "chebyshev": COLORS["singular"]}
        traces = [dict(type="scatter", x=x, y=data["f"].tolist(), mode="lines", name=data["target"],
                       line=dict(color="#222", width=5))]
        for m, y in data["fits"].items():
            traces.append(dict(type="scatter", x=x, y=y.tolist(), mode="lines",
                               name=f"{m}, degree {data['degree']}",
                               line=dict(color=colors[m], width=2.5, dash="dash" if m == "chebyshev" else "solid")))
        for m, e in data["curves"].items():
            traces.append(dict(type="scatter", x=data["degrees"], y=e.tolist(), mode="lines",
                               name=f"max error, {m}", xaxis="x2", yaxis="y2",
                               line=dict(color=colors[m], width=2.5)))
        traces.append(dict(type="scatter", x=[data["degree"]] * 2,
                           y=[data["max_error"][m] for m in ("least squares", "chebyshev")],
                           mode="markers", name="this degree", xaxis="x2", yaxis="y2",
                           marker=dict(size=12, color=COLORS["teacher"], line=dict(color="#222", width=1))))
        return plain_figure(
            traces,
            title=title(f"{data['target']} on [−1, 1], degree {data['degree']}: max error "
                        f"{data['max_error']['chebyshev']:.2g} (Chebyshev), "
                        f"{data['max_error']['least squares']:.2g} (least squares)"),
            xaxis=dict(domain=[0, 0.46], title=dict(text="z")),
            yaxis=dict(title=dict(text="σ(z)"), range=[-1.2, 1.2]),
            xaxis2=dict(domain=[0.58, 1], anchor="y2", **(
                dict(title=dict(text="degree (log scale)"), type="log") if data["target"] == "relu"
                else dict(title=dict(text="degree"), type="linear"))),
            yaxis2=dict(title=dict(text="max error on [−1, 1]"), type="log", anchor="x2",
                        dtick=1 if data["error_floor"] > -7 else 3, exponentformat="power",
                        range=[data["error_floor"], 0.3]),
            height=540, legend=_TOP_LEGEND, margin=dict(t=130))

    def info(self, data):
        if data["target"] == "relu":
            shape = ("ReLU has a kink at 0, so the error only falls like 1/degree: a straight line "
                     "of slope −1 on these logarithmic axes.")
        else:
            shape = ("tanh is analytic near [−1, 1], so the error falls geometrically: a straight "
                     "line on this semi-logarithmic plot, down to rounding.")
        net = (f"A {data['network_widths']} network with random weights and activation "
               f"{data['target']}, against the same weights with the degree-{data['degree']} "
               f"Chebyshev polynomial (on the range of its pre-activations): they differ by at "
               f"most {data['network_gap']:.3g} on [−1, 1]², "
               f"{data['network_gap'] / data['network_size']:.1%} of the largest output.")
        return (shape + " " + net + " The degree of the activation sets the degree of the "
                "network's output polynomials, and with it the size of the ambient space.")


# 2 targets x 40 degrees: each state computed once (the first visit of a target fits all
# 40 degrees for the error curve, about 1.5 s), then read from memory or disk
_approximation_data = memoize("explorers.approximation", disk=True, maxsize=128,
                              encode=to_record, decode=from_record)(
    ApproximationExplorer._compute)

"""Plain figures of notebook 02's last sections: the sample size ``N = dim`` and degrees.

* :func:`interpolants_data` and :func:`interpolants_figure` -- students fitted at
  ``N = dim - 1, dim, dim + 1`` samples against the exact list of functions of ``V``
  through ``dim`` samples (finitely many: the degree of ``V`` counts them);
* :func:`slice_figure` -- the equation of a hypersurface along a random real line;
* :func:`covering_figure` -- covering-number curves: the dimension sets the slope.

The numbers come from :mod:`nagviz.sample_complexity` and :mod:`nagviz.degree`; these
functions only draw. Re-exported by :mod:`nagviz.explorers.dimension`.
"""

from __future__ import annotations

import numpy as np

from ..sample_complexity import interpolants_at_dimension, recovery_experiment
from ..theme import COLORS
from ._base import plain_figure as _figure, title as _title

__all__ = ["interpolants_data", "interpolants_figure", "slice_figure", "covering_figure",
           "ERROR_FLOOR"]

#: Errors are plotted on a log scale; exact zeros sit here.
ERROR_FLOOR = 1e-17


# --------------------------------------------------------------------------- N = dim

def interpolants_data(widths=(3, 2, 1), r=2, *, seed: int = 0, restarts: int = 24,
                      cache_dir=None) -> dict:
    """Students fitted at ``N = dim - 1, dim, dim + 1`` against the exact interpolants.

    Runs every restart (``stop_after = restarts``) of
    :func:`nagviz.sample_complexity.recovery_experiment` at the three sample sizes, and
    :func:`nagviz.sample_complexity.interpolants_at_dimension` for the exact list of
    functions of ``V`` through ``dim`` samples (so ``V`` must be a hypersurface).

    Examples
    --------
    >>> d = interpolants_data(restarts=6, cache_dir=False)
    >>> d["dimension"], d["degree"], len(d["exact_errors"])
    (5, 3, 3)
    """
    exact = interpolants_at_dimension(widths, r, seed=seed)
    dim = exact.n_samples
    res = recovery_experiment(widths, [dim - 1, dim, dim + 1], r, seed=seed, restarts=restarts,
                              stop_after=restarts, cache_dir=cache_dir)
    groups = []
    for n, losses, errors in zip(res.sample_sizes, res.restart_losses, res.restart_errors):
        ok = [e for e, l in zip(errors, losses) if l < res.interpolation_tol]
        groups.append(dict(N=n, errors=ok, failed=len(errors) - len(ok)))
    return dict(widths=tuple(widths), r=r, dimension=dim, degree=exact.degree,
                n_real=exact.n_real, exact_errors=exact.real_errors.tolist(), groups=groups,
                seed=seed, restarts=restarts, interpolation_tol=res.interpolation_tol)


def interpolants_figure(data):
    """Strip plot: interpolating students at ``dim - 1, dim, dim + 1`` and the exact list.

    ``data`` comes from :func:`interpolants_data`.

    Examples
    --------
    >>> fig = interpolants_figure(interpolants_data(restarts=4, cache_dir=False))
    >>> [t.name for t in fig.data][-1]
    'the 3 real functions of V through the samples (of 3 over ℂ)'
    """
    traces = []
    labels = []
    for k, g in enumerate(data["groups"]):
        offset = g["N"] - data["dimension"]
        sign = {-1: " − 1", 0: "", 1: " + 1"}.get(offset, f" {offset:+d}")
        labels.append(f"N = dim{sign} = {g['N']}")
        e = np.maximum(np.asarray(g["errors"], float), ERROR_FLOOR)
        jitter = np.linspace(-0.18, 0.18, max(len(e), 1))[: len(e)]
        traces.append(dict(type="scatter", x=(k + jitter).tolist(), y=e.tolist(),
                           mode="markers", name="students that fit the samples",
                           showlegend=k == 0, legendgroup="students",
                           hovertemplate="error %{y:.2e}<extra></extra>",
                           marker=dict(size=10, color=COLORS["path"], opacity=0.7,
                                       line=dict(color="white", width=1))))
    k = [g["N"] for g in data["groups"]].index(data["dimension"])
    ex = np.maximum(np.asarray(data["exact_errors"], float), ERROR_FLOOR)
    traces.append(dict(type="scatter", x=[k + 0.3] * len(ex), y=ex.tolist(),
                       mode="markers+text", text=[f"{v:.3g}" if v > 1e-10 else "teacher"
                                                  for v in data["exact_errors"]],
                       textposition="middle right", textfont=dict(size=14,
                                                                   color=COLORS["manifold"]),
                       name=f"the {data['n_real']} real functions of V through the samples "
                            f"(of {data['degree']} over ℂ)",
                       hovertemplate="exact interpolant: error %{y:.3g}<extra></extra>",
                       marker=dict(symbol="line-ew-open", size=26, color=COLORS["manifold"],
                                   line=dict(width=4))))
    return _figure(
        traces,
        title=_title(f"widths {data['widths']}, σ(z) = z<sup>{data['r']}</sup>: "
                     f"{data['restarts']} restarts per N", y=0.97),
        xaxis=dict(tickvals=list(range(len(labels))), ticktext=labels, range=[-0.5, 2.8],
                   showgrid=False, zeroline=False),
        yaxis=dict(title=_title("error against the teacher"), type="log", dtick=4,
                   exponentformat="power", range=[-17.3, 2]),
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", font=dict(size=14)),
        margin=dict(l=90, r=20, t=110, b=60), height=480)


# --------------------------------------------------------------------------- degree

def slice_figure(result, n: int = 400):
    """The equation of a hypersurface along a random real line, with its roots.

    ``result`` is a :class:`nagviz.degree.SliceResult`. Along the line the equation is
    a polynomial of degree ``deg V`` in ``t``, drawn up to a constant factor (the product
    of ``t - t_i`` over its complex roots); its real roots are the real intersection points.

    Examples
    --------
    >>> from nagviz.degree import slice_hypersurface
    >>> slice_figure(slice_hypersurface((3, 2, 1), 2, seed=5)).data[1].name   # det = 0
    '3 real intersection point(s)'
    """
    roots = np.asarray(result.parameters)
    real = np.abs(roots.imag) <= 1e-8 * np.maximum(1.0, np.abs(roots))
    span = np.concatenate([roots.real, [0.0]])
    a, b = span.min(), span.max()
    pad = 0.25 * (b - a) + 0.5
    t = np.linspace(a - pad, b + pad, n)
    g = np.real(np.prod(t[:, None] - roots[None, :], axis=1))
    scale = np.max(np.abs(g)) or 1.0
    complex_text = ", ".join(f"{z.real:.2f} {'+' if z.imag >= 0 else '−'} {abs(z.imag):.2f}i"
                             for z in roots[~real])
    traces = [
        dict(type="scatter", x=t.tolist(), y=(g / scale).tolist(), mode="lines",
             name="the equation of V along the line (up to a constant)",
             hoverinfo="skip", line=dict(color=COLORS["manifold"], width=3)),
        dict(type="scatter", x=roots.real[real].tolist(), y=[0.0] * int(real.sum()),
             mode="markers", name=f"{int(real.sum())} real intersection point(s)",
             hovertemplate="t = %{x:.3f}<extra></extra>",
             marker=dict(size=14, color=COLORS["singular"], line=dict(color="black", width=1))),
    ]
    a_ = result.architecture
    note = f"; complex: {complex_text}" if complex_text else ""
    return _figure(
        traces,
        title=_title(f"A random line meets V of {a_.widths} in {result.count} points over ℂ"
                     f"{note}", y=0.97, font=dict(size=17)),
        xaxis=dict(title=_title("t  (position on the line p + t v)")),
        yaxis=dict(title=_title("equation (scaled)"), zeroline=True, zerolinewidth=2),
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", font=dict(size=14)),
        margin=dict(l=80, r=20, t=110, b=60), height=420)


def covering_figure(curves):
    """Covering-number curves ``log N_eps`` against ``log10(1 / eps)``.

    ``curves`` is a list of ``(label, CoveringBound)`` pairs (see
    :func:`nagviz.degree.covering_number_bound`); a bound with ``degree 1`` and the
    ambient dimension is drawn grey and dashed as the whole space.

    Examples
    --------
    >>> from nagviz.degree import covering_number_bound
    >>> covering_figure([("cone", covering_number_bound(2, 2, [0.1, 0.01]))]).data[0].name
    'cone: m = 2, deg = 2'
    """
    palette = [COLORS["manifold"], COLORS["teacher"], COLORS["data"], COLORS["path"],
               COLORS["singular"], COLORS["boundary"]]
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    traces = []
    k = 0
    for label, b in curves:
        x = (-np.log10(b.eps)).tolist()
        whole = b.degree == 1
        color = COLORS["neutral"] if whole else palette[k % len(palette)]
        dash = "dash" if whole else dashes[k % len(dashes)]
        if not whole:
            k += 1
        traces.append(dict(type="scatter", x=x, y=np.asarray(b.log_covering).tolist(),
                           mode="lines", name=f"{label}: m = {b.dimension}, deg = {b.degree}",
                           hovertemplate="log N<sub>ε</sub> = %{y:.0f}<extra></extra>",
                           line=dict(color=color, dash=dash, width=3)))
    return _figure(
        traces,
        title=_title("Covering numbers: the dimension sets the slope, the degree the offset",
                     y=0.97),
        xaxis=dict(title=_title("log₁₀(1/ε)")),
        yaxis=dict(title=_title("log N<sub>ε</sub>   (bound, up to constants)"), rangemode="tozero"),
        legend=dict(x=0.01, y=0.99, font=dict(size=14)),
        margin=dict(l=80, r=20, t=70, b=60), height=480)

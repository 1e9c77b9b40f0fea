"""Figures for slides and papers: result objects drawn with matplotlib.

The scikit-learn *Display* pattern: a result that has a natural picture gets a
``.plot(ax=None)`` method that calls a function here and returns the matplotlib axes,
so a lecturer gets a PDF or SVG without a browser::

    ax = nagviz.dimension((3, 5, 1), 4).plot()
    ax.figure.savefig("clebsch.pdf")

The functions only draw what the result holds; they compute nothing of their own.
This module imports matplotlib, so the pure modules import it only inside ``.plot``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_dimension", "plot_atlas", "plot_threshold", "plot_recovery", "plot_rank_path",
           "plot_drift", "plot_eckart_young", "plot_descent_outcomes", "plot_region_growth",
           "plot_error_curve", "new_axes"]

#: the course palette (Okabe-Ito, colour-blind safe), as in nagviz.theme
_BLUE, _ORANGE, _GREEN, _VERMILLION, _GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999"


def new_axes(ax=None, figsize=(6.4, 4.0)):
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> new_axes().figure.get_size_inches().tolist()
    [6.4, 4.0]
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    from .theme import style_matplotlib_if_applied

    style_matplotlib_if_applied()  # nagviz.theme.apply() leaves matplotlib to its first figure

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_dimension(result, ax=None):
    """Bars of parameters, expected dimension, dimension and ambient dimension.

    Parameters
    ----------
    result : nagviz.DimensionResult
    ax : matplotlib axes, optional

    Returns
    -------
    matplotlib axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import nagviz
    >>> ax = nagviz.dimension((3, 5, 1), 4).plot()
    >>> [round(b.get_height()) for b in ax.patches]
    [20, 15, 14, 15]
    """
    ax = new_axes(ax)
    labels = ["parameters", "expected", "dimension", "ambient"]
    values = [result.parameters, result.expected_dimension, result.dimension,
              result.ambient_dimension]
    colors = [_GREY, _ORANGE, _VERMILLION if result.defect else _BLUE, _GREEN]
    bars = ax.bar(labels, values, color=colors)
    ax.bar_label(bars, padding=2)
    ax.set_ylabel("dimension / count")
    status = f"defect {result.defect}" if result.defect else (
        "filling" if result.filling else "as expected")
    ax.set_title(f"{result.architecture.describe()}: {status}")
    ax.set_ylim(0, max(values) * 1.15 + 1)
    return ax


def plot_atlas(atlas, quantity: str = "defect", ax=None, annotate: bool = True):
    """A heat map of one quantity of an atlas, one cell per architecture.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nagviz.atlas import shallow_atlas
    >>> ax = shallow_atlas([2, 3, 4], [1, 2, 3], 2, cache_dir=False).plot()
    >>> ax.images[0].get_array().tolist()
    [[0, 0, 0], [0, 1, 0], [0, 1, 1]]
    """
    ax = new_axes(ax, figsize=(1.0 + 0.55 * len(atlas.column_values),
                                1.2 + 0.45 * len(atlas.row_values)))
    values = np.asarray(atlas.quantity(quantity))
    image = ax.imshow(values, cmap="Oranges" if quantity == "defect" else "viridis",
                      origin="lower", aspect="auto")
    ax.set_xticks(range(len(atlas.column_values)), [str(v) for v in atlas.column_values])
    ax.set_yticks(range(len(atlas.row_values)), [str(v) for v in atlas.row_values])
    ax.set_xlabel(f"${atlas.column_label}$")
    ax.set_ylabel(f"${atlas.row_label}$")
    ax.set_title(f"{quantity} of {atlas.description}, $\\sigma = {atlas.activation}$")
    if annotate and values.size <= 400:
        top = values.max() if values.size else 0
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                    color="white" if top and v > 0.6 * top else "black")
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return ax


def plot_threshold(result, ax=None):
    """Dimension and expected dimension against the activation degree ``r``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nagviz.atlas import degree_threshold
    >>> ax = degree_threshold((3, 3, 3, 1), r_max=4, cache_dir=False).plot()
    >>> ax.lines[1].get_ydata().tolist()        # the dimension for r = 2, 3, 4
    [12, 15, 15]
    """
    ax = new_axes(ax)
    r = np.asarray(result.degrees)
    ax.plot(r, result.expected, "s--", color=_ORANGE, label="expected dimension")
    ax.plot(r, result.dimension, "o-", color=_BLUE, label="dimension")
    ax.plot(r, result.ambient, ":", color=_GREEN, label="ambient dimension")
    if result.threshold is not None:
        ax.axvline(result.threshold, color=_GREY, lw=0.8)
    ax.set_xlabel("activation degree $r$")
    ax.set_ylabel("dimension")
    ax.set_xticks(r)
    ax.set_title(f"widths {tuple(result.widths)}: expected from r = {result.threshold}")
    ax.legend()
    return ax


def plot_recovery(result, ax=None):
    """Distance of the learnt function from the teacher against the number of samples.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nagviz.sample_complexity import recovery_experiment
    >>> ax = recovery_experiment((3, 2, 1), [4, 5, 6, 7], seed=0, cache=False).plot()
    >>> ax.get_xlabel()
    'number of samples $N$'
    """
    ax = new_axes(ax)
    N = np.asarray(result.sample_sizes)
    floor = 1e-17
    ax.semilogy(N, np.maximum(result.best_error, floor), "o-", color=_BLUE,
                label="student kept (best training loss)")
    ax.semilogy(N, np.maximum(result.median_error, floor), ".--", color=_GREY,
                label="median over restarts")
    ax.axvline(result.dimension, color=_VERMILLION, lw=1, label=f"dim = {result.dimension}")
    ax.axvline(result.parameters, color=_ORANGE, lw=1, ls=":",
               label=f"parameters = {result.parameters}")
    ax.set_xlabel("number of samples $N$")
    ax.set_ylabel("relative distance to the teacher")
    ax.set_title(f"{result.architecture.describe()}: recovered from N = {result.transition}")
    ax.legend(fontsize=8)
    return ax


def plot_rank_path(result, ax=None):
    """The rank of the differential along a path in parameter space, against the generic rank.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> from nagviz import Architecture
    >>> from nagviz.tangent_space import rank_along_path, switch_off_path
    >>> a = Architecture((3, 2, 1), 2)
    >>> path = switch_off_path(a, a.random_parameters(seed=0), layer=1, neuron=0)
    >>> ax = rank_along_path(a, path, ts=[0, 0.5, 1]).plot()
    >>> ax.lines[0].get_ydata().tolist()          # rank 5, then 3 at the subnetwork
    [5, 5, 3]
    """
    ax = new_axes(ax)
    ts = np.asarray(result.ts, dtype=float)
    ax.step(ts, result.ranks, where="mid", color=_BLUE, marker="o", label="rank of dphi")
    ax.axhline(result.generic_rank, color=_ORANGE, ls="--",
               label=f"generic rank = dim = {result.generic_rank}")
    for t in result.drops:
        ax.axvline(float(t), color=_VERMILLION, lw=0.8, alpha=0.6)
    ax.set_xlabel("path parameter $t$")
    ax.set_ylabel("rank")
    ax.set_ylim(min(result.ranks) - 1, result.generic_rank + 1)
    ax.set_title(f"{result.architecture.describe()}: {result.label}")
    ax.legend()
    return ax


def plot_drift(study, ax=None):
    """Notebook 03: the drift of the conserved quantities against the step size, log-log,
    every run as a dot and the median per step size as a line (slope about 1).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import nagviz
    >>> from nagviz.conservation import drift_study
    >>> st = drift_study(nagviz.Architecture((2, 1, 1), 2), [0.01, 0.001], time=0.5,
    ...                  runs_per_seed=10, seeds=(0,))
    >>> ax = st.plot()
    >>> ax.lines[0].get_xdata().tolist()
    [0.01, 0.001]
    """
    ax = new_axes(ax)
    lrs = np.asarray(study.lrs, dtype=float)
    for lr, row in zip(lrs, study.drifts):
        finite = row[np.isfinite(row)]
        ax.scatter(np.full(len(finite), lr), finite, s=8, color=_BLUE, alpha=0.3, lw=0)
    ax.loglog(lrs, study.medians(), "o-", color=_VERMILLION,
              label=f"median of {study.drifts.shape[1]} runs (slope {study.slope:.2f})")
    ax.set_xlabel("step size (learning rate)")
    ax.set_ylabel("relative drift of the conserved quantities")
    ax.set_title(f"{study.model.describe()}: drift after time {study.time:g}")
    ax.legend()
    return ax


def plot_eckart_young(result, ax=None):
    """Notebook 04: the distance ``||X - T||_F`` of every critical point of the rank-``k``
    approximation problem, sorted, the global minimum (Eckart-Young) marked.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> from nagviz.critical_points import eckart_young
    >>> ax = eckart_young(np.diag([3.0, 2.0, 1.0]), 1).plot()
    >>> [round(float(b.get_height()) ** 2, 6) for b in ax.patches]   # 1+4, 1+9, 4+9
    [5.0, 10.0, 13.0]
    """
    ax = new_axes(ax)
    order = np.argsort(result.distances, kind="stable")
    labels = ["{" + ", ".join(str(i + 1) for i in result.subsets[j]) + "}" for j in order]
    heights = np.asarray(result.distances, dtype=float)[order]
    colors = [_BLUE] + [_GREY] * (len(heights) - 1)
    bars = ax.bar(labels, heights, color=colors)
    ax.bar_label(bars, fmt="%.3g", padding=2)
    ax.set_xlabel("singular triples kept by the critical point")
    ax.set_ylabel(r"$\|X - T\|_F$")
    m, n = result.target.shape
    ax.set_title(f"rank <= {result.k} approximation of a {m}x{n} target:\n"
                 f"{result.count} critical points, the best (Eckart-Young) in blue")
    ax.set_ylim(0, heights.max() * 1.15 if len(heights) and heights.max() > 0 else 1)
    return ax


def plot_descent_outcomes(outcomes, ax=None):
    """Notebook 04: where gradient descent ends, as the fraction of all runs per outcome
    with 95% Wilson intervals (pooled over the seeds).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nagviz.landscapes import NAPPE, descent_outcomes
    >>> out = descent_outcomes(NAPPE, (-1, 0.5, -1), "bombieri", n_runs=20, seeds=(0, 1),
    ...                        steps=500)
    >>> ax = out.plot()
    >>> [round(b.get_width() * out.n_runs) for b in ax.patches] == out.totals.tolist()
    True
    """
    ax = new_axes(ax, figsize=(8.5, 0.55 * len(outcomes.labels) + 2.0))
    n = outcomes.n_runs
    fractions = np.asarray(outcomes.totals, dtype=float) / n
    lo, hi = np.array(outcomes.intervals(), dtype=float).T
    y = np.arange(len(fractions))[::-1]
    bars = ax.barh(y, fractions, color=_BLUE, xerr=[fractions - lo, hi - fractions],
                   error_kw=dict(ecolor="#222222", capsize=4))
    ax.bar_label(bars, labels=[f"{int(k)}/{n}" for k in outcomes.totals], padding=14)
    ax.set_yticks(y, outcomes.labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"fraction of {n} runs ({len(outcomes.seeds)} seeds), 95% Wilson intervals")
    ax.set_title(f"where gradient descent ends\n{outcomes.landscape.network.name}")
    return ax


def plot_region_growth(growth, ax=None):
    """Notebook 06: linear regions of random ReLU networks against the width, every seed
    as a dot, the mean as a line, and the one-layer arrangement bound.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nagviz.relu import region_growth
    >>> g = region_growth([1, 2, 4], seeds=3)
    >>> ax = g.plot()
    >>> ax.lines[0].get_ydata().tolist() == g.mean.tolist()
    True
    """
    ax = new_axes(ax)
    widths = np.asarray(growth.widths, dtype=float)
    for n, row in zip(widths, growth.counts):
        ax.scatter(np.full(len(row), n), row, s=14, color=_BLUE, alpha=0.4, lw=0)
    ax.plot(widths, growth.mean, "o-", color=_BLUE, label=f"mean over {growth.seeds} seeds")
    if growth.depth == 1:
        ax.plot(widths, growth.bound, "--", color=_ORANGE,
                label=r"bound $1 + n + \binom{n}{2}$")
    ax.set_xlabel("width $n$ of each hidden layer")
    ax.set_ylabel("linear regions in the box")
    ax.set_title(f"ReLU networks, {growth.depth} hidden layer(s): regions in {list(growth.box)}")
    ax.legend()
    return ax


def plot_error_curve(curve, ax=None, kind: str = "max"):
    """Notebook 06: the error of each polynomial approximation method against the degree,
    log scale (``kind`` is ``"max"`` or ``"l2"``).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from nagviz.approximation import approximation_errors
    >>> c = approximation_errors("relu", [2, 4, 8])
    >>> ax = c.plot()
    >>> ax.lines[0].get_ydata().tolist() == list(c.max_errors.values())[0].tolist()
    True
    """
    if kind not in ("max", "l2"):
        raise ValueError(f"kind must be 'max' or 'l2', got {kind!r}")
    ax = new_axes(ax)
    errors = curve.max_errors if kind == "max" else curve.l2_errors
    colors = [_BLUE, _VERMILLION, _GREEN, _ORANGE, _GREY]
    for (method, values), color in zip(errors.items(), colors):
        ax.semilogy(curve.degrees, values, "o-", color=color, label=method)
    ax.set_xlabel("polynomial degree")
    ax.set_ylabel("maximum error" if kind == "max" else "$L^2$ error")
    ax.set_title(f"approximating {curve.target} on {list(curve.interval)}")
    ax.legend()
    return ax

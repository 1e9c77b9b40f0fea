"""``.plot()`` of the results of notebooks 03, 04 and 06: the drawn data are the result's
numbers, and those numbers are recomputed here a second way."""

from math import comb, sqrt

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nagviz import Architecture  # noqa: E402
from nagviz.approximation import approximate, approximation_errors  # noqa: E402
from nagviz.conservation import drift_study  # noqa: E402
from nagviz.critical_points import eckart_young  # noqa: E402
from nagviz.landscapes import NAPPE, descent_outcomes  # noqa: E402
from nagviz.relu import region_growth  # noqa: E402


def wilson_by_hand(k, n, z=1.959964):  # the 97.5% normal quantile, as nagviz.statistics
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_drift_plot_draws_the_medians_and_their_slope():
    st = drift_study(Architecture((2, 1, 1), 2), [0.02, 0.01, 0.005], time=0.5,
                     runs_per_seed=8, seeds=(0, 1))
    ax = st.plot()
    line = ax.lines[0]
    assert line.get_xdata().tolist() == [0.02, 0.01, 0.005]
    medians = [float(np.median(row[np.isfinite(row)])) for row in st.drifts]
    assert np.allclose(line.get_ydata(), medians)
    # the slope in the legend is the least-squares slope of the drawn points
    slope = np.polyfit(np.log(line.get_xdata()), np.log(line.get_ydata()), 1)[0]
    assert slope == pytest.approx(st.slope, rel=1e-9)
    assert f"slope {st.slope:.2f}" in ax.get_legend().get_texts()[0].get_text()
    dots = np.vstack([c.get_offsets() for c in ax.collections])
    assert len(dots) == np.isfinite(st.drifts).sum()
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_eckart_young_plot_bars_are_the_discarded_singular_values():
    T = np.random.default_rng(3).normal(size=(4, 3))
    res = eckart_young(T, 2)
    ax = res.plot()
    heights = [b.get_height() for b in ax.patches]
    s = np.linalg.svd(T, compute_uv=False)
    by_hand = sorted(sqrt(sum(s[i] ** 2 for i in range(3) if i not in kept))
                     for kept in [(0, 1), (0, 2), (1, 2)])
    assert len(heights) == res.count == comb(3, 2)
    assert np.allclose(heights, by_hand)
    # the first (blue) bar is Eckart-Young's best approximation, sqrt of the smallest s^2
    assert heights[0] == pytest.approx(s[2])
    assert heights[0] == pytest.approx(np.linalg.norm(T - res.best))
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "{1, 2}"


def test_descent_outcomes_plot_fractions_and_wilson_intervals():
    out = descent_outcomes(NAPPE, (1, 0.5, 0.5), "bombieri", n_runs=30, seeds=(0, 1),
                           steps=400)
    ax = out.plot()
    n = out.n_runs
    assert n == 60
    widths = [b.get_width() for b in ax.patches]
    assert [round(w * n) for w in widths] == out.totals.tolist()
    assert sum(widths) == pytest.approx(1.0)
    bars = next(c for c in ax.containers if getattr(c, "errorbar", None) is not None)
    segments = bars.errorbar.lines[2][0].get_segments()
    for seg, k in zip(segments, out.totals):
        lo, hi = sorted(seg[:, 0])
        assert (lo, hi) == pytest.approx(wilson_by_hand(int(k), n), abs=1e-12)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(out.labels)
    assert [t.get_text() for t in ax.texts] == [f"{int(k)}/60" for k in out.totals]


def test_region_growth_plot_mean_and_bound():
    g = region_growth([1, 2, 3, 5], seeds=3)
    ax = g.plot()
    mean_line, bound_line = ax.lines
    assert mean_line.get_xdata().tolist() == [1, 2, 3, 5]
    assert np.allclose(mean_line.get_ydata(), g.counts.sum(axis=1) / 3)
    assert bound_line.get_ydata().tolist() == [1 + n + n * (n - 1) // 2 for n in (1, 2, 3, 5)]
    # one generic line cuts the plane in two; regions never exceed the bound
    assert g.counts[0].tolist() == [2, 2, 2] or max(g.counts[0]) <= 2
    assert (mean_line.get_ydata() <= bound_line.get_ydata()).all()


def test_error_curve_plot_draws_each_method():
    c = approximation_errors("relu", [2, 4, 8])
    ax = c.plot()
    assert [line.get_label() for line in ax.lines] == list(c.max_errors)
    for line, method in zip(ax.lines, c.max_errors):
        assert line.get_xdata().tolist() == [2, 4, 8]
        again = [approximate("relu", n, method).max_error for n in (2, 4, 8)]
        assert np.allclose(line.get_ydata(), again)
    ax2 = c.plot(kind="l2")
    assert np.allclose(ax2.lines[0].get_ydata(), list(c.l2_errors.values())[0])
    with pytest.raises(ValueError, match="kind must be"):
        c.plot(kind="sup")

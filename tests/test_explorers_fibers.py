"""The explorers of notebook 03, without a kernel: move sliders, look at the figure data."""

from __future__ import annotations

import numpy as np
import pytest

import nagviz
from nagviz.explorers import HyperbolaFiberExplorer, SymmetryOrbitExplorer, TwoNeuronFiberExplorer
from nagviz.explorers.fibers import ORBIT_MODELS, drift_figure, level_set_figure
from nagviz.theme import COLORS

ALL = [HyperbolaFiberExplorer, TwoNeuronFiberExplorer, SymmetryOrbitExplorer]


def trace(fig, name):
    for t in fig.data:
        if (t.name or "").startswith(name):
            return t
    raise KeyError(f"no trace named {name!r}: {[t.name for t in fig.data]}")


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_explorer_has_a_question_and_a_static_slider(cls):
    e = cls()
    assert e.question and e.title
    fig = e.static_figure()
    assert len(fig.layout.sliders[0].steps) == len(cls.static_values)


def test_hyperbola_sliders_move_the_point_along_the_fiber():
    e = HyperbolaFiberExplorer()
    e.widget()
    fig = e.figure_widget
    e.controls["c"].value = 1.5
    e.controls["u"].value = 0.4
    (w1,), (w2,) = trace(fig, "parameters").x, trace(fig, "parameters").y
    assert w1 == pytest.approx(np.exp(0.4)) and w1 * w2 == pytest.approx(1.5)
    refl = trace(fig, "reflection")
    assert (refl.x[0], refl.y[0]) == pytest.approx((-w1, -w2))
    orbit = trace(fig, "rescaling orbit")
    assert np.allclose(np.array(orbit.x) * np.array(orbit.y), 1.5, atol=1e-3)
    assert trace(fig, "critical point of φ").x == (0,)
    assert "M: all slopes" in trace(fig, "M:").name
    e.controls["c"].value = 0.0
    assert "critical point of the parameterization" in e._info.value
    assert "smooth" in e._info.value


def test_two_neuron_slice_is_on_the_fiber_and_shows_the_critical_line():
    e = TwoNeuronFiberExplorer()
    e.widget()
    fig = e.figure_widget
    e.controls["c"].value = 1.0
    e.controls["s"].value = 0.5
    surf = fig.data[0]
    W1, W2, V1 = (np.array(a, dtype=float) for a in (surf.x, surf.y, surf.z))
    assert np.nanmax(np.abs(V1 * W1 ** 2 + 0.5 * W2 ** 2 - 1.0)) < 1e-2   # drawn with 4 decimals
    assert np.all(np.isnan(np.array(fig.data[1].z, dtype=float)))          # no plane w1 = 0
    crit = trace(fig, "critical points of φ")
    assert list(crit.x) == [0, 0] and list(crit.y) == [0, 0]
    p = trace(fig, "parameters")
    assert p.z[0] * p.x[0] ** 2 + 0.5 * p.y[0] ** 2 == pytest.approx(1.0)
    e.controls["c"].value = 0.0
    e.controls["s"].value = 0.0
    assert not np.all(np.isnan(np.array(fig.data[1].z, dtype=float)))      # the plane appears
    assert "critical points" in e._info.value


def test_orbit_slider_keeps_the_function_and_moves_the_weights():
    e = SymmetryOrbitExplorer()
    e.widget()
    fig = e.figure_widget
    for model in ORBIT_MODELS:
        e.controls["model"].value = model
        for direction in (0, 8):                   # the first symmetry; the last direction
            e.controls["direction"].value = direction
            e.controls["t"].value = 0.8
            f0, f1 = (np.array(trace(fig, n).y, dtype=float) for n in ("f at t = 0", "f at t = 0.8"))
            np.testing.assert_allclose(f1, f0, atol=1e-5)
            w0, w1 = (np.array(fig.data[i].y, dtype=float) for i in (0, 1))
            assert np.abs(w1 - w0).max() > 0.05
            assert "function change" in fig.layout.title.text
    e.controls["model"].value = "(3, 2, 1), z² (defective)"
    assert "1 extra direction" in e._info.value
    e.controls["direction"].value = 2
    assert "an extra direction" in fig.layout.title.text


def test_orbit_compute_reports_small_change_for_every_direction():
    e = SymmetryOrbitExplorer()
    for model in ORBIT_MODELS:
        d = e.compute(model=model, point=1, direction=0, t=-0.6)
        n = d["n_symmetry"] + d["n_extra"]
        assert n == d["fiber_dimension"] == nagviz.dimension(ORBIT_MODELS[model]).fiber_dimension
        for k in range(n):
            d = e.compute(model=model, point=1, direction=k, t=-0.6)
            assert d["change"] < 1e-9 and d["moved"] > 0.01


def test_static_figures():
    from nagviz.conservation import drift_study, gradient_flow, hyperboloid_mesh

    a = nagviz.Architecture((2, 1, 1), 2)
    theta0 = np.array([[1.0, 0.5, 0.8]])
    run = gradient_flow(a, theta0, np.eye(3), [1.0, -2.0, 0.5], time=2.0, samples=30)
    kappa = 1.0 + 0.25 - 2 * 0.64
    fig = level_set_figure(run, kappa, hyperboloid_mesh(kappa, lim=2.0))
    path = trace(fig, "gradient path")
    p, q, v = (np.array(path[k], dtype=float) for k in ("x", "y", "z"))
    assert np.abs(p ** 2 + q ** 2 - 2 * v ** 2 - kappa).max() < 1e-3
    st = drift_study(a, [0.01, 0.001], time=0.2, runs_per_seed=5, seeds=(0,))
    fig = drift_figure(st)
    assert fig.layout.xaxis.type == "log"
    assert list(trace(fig, "median").y) == pytest.approx(list(st.medians()))
    assert trace(fig, "median").line.color == COLORS["path"]

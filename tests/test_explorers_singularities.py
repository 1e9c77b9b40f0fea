"""Explorers of notebook 05 without a kernel: pure data, slider moves, static fallbacks."""

import numpy as np
import pytest

from nagviz.explorers import (CriticalVersusBestExplorer, RankPathExplorer, SingularSliceExplorer,
                              TrainingExplorer, VoronoiExplorer)
from nagviz.explorers.singularities import (PATH_CASES, dead_neuron_data, dead_neuron_figure,
                                            experiment_figure, stuck_neuron_figure)


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


# --------------------------------------------------------------------------- ranks along paths

@pytest.mark.parametrize("case, generic, end", [
    ("(3,2,1) off", 5, 3), ("(3,2,1) merge", 5, 3), ("(3,2,1) out-weight", 5, 4),
    ("cone: v → 0", 2, 1), ("cone: w → 0", 2, 0), ("linear merge", 8, 7), ("linear off", 8, 5),
])
def test_rank_drops_exactly_at_the_subnetwork(case, generic, end):
    for seed in (0, 3):
        data = RankPathExplorer().compute(case=case, seed=seed)
        ranks = data["ranks"]
        assert data["generic"] == generic
        assert ranks[:-1] == [generic] * (len(ranks) - 1)  # generic for every t < 1 ...
        assert ranks[-1] == end                             # ... and drops exactly at t = 1


def test_rank_of_a_sparse_cnn_filter_does_not_drop():
    data = RankPathExplorer().compute(case="CNN entry", seed=0)
    assert data["ranks"] == [4] * len(data["ranks"])


def test_rank_figure_marks_the_drop_and_updates_in_place():
    e = RankPathExplorer()
    e.widget()
    fig = e.figure_widget
    rank = _trace(fig, "exact rank of dφ")
    assert min(rank.y) == 3 and rank.x[int(np.argmin(rank.y))] == 1.0  # (3,2,1): 3 at t = 1
    assert list(_trace(fig, "the subnetwork: rank drops").x) == [1.0]
    e.controls["case"].value = "linear merge"
    assert e.figure_widget is fig
    assert min(_trace(fig, "exact rank of dφ").y) == 7
    # float cross-check: exactly one singular value goes to zero when merging
    lost = _trace(fig, "→ 0 at the subnetwork").y
    assert sum(v is None for v in lost) == 1
    assert "drop 1" in e._info.value


def test_rank_static_fallback_steps_through_every_path():
    explorer = RankPathExplorer()
    fig = explorer.static_figure()
    labels = [s.label for s in fig.layout.sliders[0].steps]
    assert labels == [explorer.static_label({**explorer.values, "case": case})
                      for case in PATH_CASES]
    assert len(set(labels)) == len(PATH_CASES)


# --------------------------------------------------------------------------- the 3-D slice

def test_slice_cross_sections_are_nodes_or_isolated_points():
    e = SingularSliceExplorer()
    assert e.compute(alpha=-0.5)["kind"] == "node"
    assert e.compute(alpha=0.2)["kind"] == "isolated point"
    assert e.compute(alpha=0.8)["kind"] == "node"
    d = e.compute(alpha=0.5)
    assert (d["rank"], d["generic"]) == (3, 6)   # the subnetwork is a singular point


def test_slice_static_steps_carry_their_own_titles():
    """Every static slider step retitles the figure and the cross-section panel with its α."""
    from nagviz.experiments import SLICE_ALPHAS

    fig = SingularSliceExplorer().static_figure()
    steps = fig.layout.sliders[0].steps
    assert [float(s.label) for s in steps] == [float(a) for a in SLICE_ALPHAS]
    panel = [i for i, note in enumerate(fig.layout.annotations)
             if note.text.startswith("cross-section α")]
    assert len(panel) == 1
    titles, panels = set(), set()
    for step in steps:
        relayout = step.args[1]
        a = float(step.label)
        assert f"α = {a:.2f}" in relayout["title.text"]
        assert relayout[f"annotations[{panel[0]}].text"] == f"cross-section α = {a:.2f}"
        titles.add(relayout["title.text"])
        panels.add(relayout[f"annotations[{panel[0]}].text"])
    assert len(titles) == len(panels) == len(steps)       # no two steps share a title
    active = steps[fig.layout.sliders[0].active]
    assert fig.layout.annotations[panel[0]].text == active.args[1][f"annotations[{panel[0]}].text"]


def test_slice_figure_has_the_subnetwork_line_and_moves_the_section():
    e = SingularSliceExplorer()
    e.widget()
    fig = e.figure_widget
    line = _trace(fig, "one-neuron networks (singular)")
    assert list(line.y) == [0, 0] and list(line.z) == [0, 0]
    section = _trace(fig, "cross-section")
    assert {x for x in section.x if x is not None} == {-0.5}
    e.controls["alpha"].value = 0.2
    assert all(x is None for x in _trace(fig, "cross-section").x)  # isolated point
    assert "isolated point" in fig.layout.title.text
    assert "rank of" in e._info.value and "<b>3</b>" in e._info.value


# --------------------------------------------------------------------------- Voronoi

def test_voronoi_cusp_attracts_a_region_node_only_itself():
    e = VoronoiExplorer()
    cusp = e.compute(curve="cusp", x=-1.0, y=0.5)
    assert cusp["is_singular"] and cusp["fraction"] > 0.3
    assert not e.compute(curve="cusp", x=1.0, y=0.5)["is_singular"]
    for curve in ("node", "crossing lines"):
        assert e.compute(curve=curve, x=-1.0, y=0.5)["fraction"] < 1e-3
    corner = e.compute(curve="corner", x=-1.0, y=-0.5)
    assert corner["is_singular"] and abs(corner["fraction"] - 0.25) < 0.02


def test_voronoi_slider_moves_the_nearest_point():
    e = VoronoiExplorer(curve="node")
    e.widget()
    fig = e.figure_widget
    e.controls["x"].value = 1.0
    e.controls["y"].value = 0.0
    (px,), (py,) = _trace(fig, "nearest point").x, _trace(fig, "nearest point").y
    assert np.hypot(px - 1.0, py) == pytest.approx(e.data()["distance"])
    assert "smooth point" in fig.layout.title.text
    node_cell = [list(row) for row in _trace(fig, "Voronoi cell of the singular point").z]
    e.controls["curve"].value = "cusp"      # the heavy heat map is resent only now
    cusp_cell = [list(row) for row in _trace(fig, "Voronoi cell of the singular point").z]
    assert node_cell != cusp_cell
    e.controls["x"].value = -1.0
    assert _trace(fig, "nearest point").x[0] == pytest.approx(0.0)
    assert "singular point" in fig.layout.title.text


# --------------------------------------------------------------------------- critical vs best

def test_critical_versus_best_counts_on_the_figure():
    e = CriticalVersusBestExplorer()
    data = e.data()
    fig = e.figure(data)
    bars = fig.data[0]
    assert list(bars.text) == [f"{data['critical']} of 40", f"{data['trap']} of 40",
                               f"{data['best']} of 40"]
    assert data["critical"] > 20 and data["trap"] > 0 and data["best"] == 0
    crit = _trace(fig, "best subnetwork fit is critical")
    # every target sits above the diagonal: the subnetwork is never the best fit
    assert all(y > x for x, y in zip(crit.x, crit.y))


# --------------------------------------------------------------------------- training

def test_training_explorer_shows_runs_stopping_on_the_cone():
    e = TrainingExplorer()           # target 1, run 2: parallel neurons
    e.widget()
    fig = e.figure_widget
    data = e.data()
    assert data["outcomes"][1] == "parallel neurons"
    assert data["relative_loss"][1] > 0.5          # far from the target ...
    assert data["cone"][-1] < 1e-9                 # ... but on the cone
    stuck = _trace(fig, "run stopped on the cone")
    assert sum(x is not None and np.isfinite(x) for x in stuck.x) == \
        sum(o != "fit" for o in data["outcomes"]) > 0
    assert "stuck on the cone" in e._info.value
    # a neuron whose in-weights die while its out-weight stays (target 15, run 4)
    e.controls["target"].value = 15
    e.controls["run"].value = 4
    w2 = _trace(fig, "‖w₂‖ (in)").y
    v2 = _trace(fig, "|v₂| (out)").y
    assert w2[-1] < 1e-12 and v2[-1] > 0.5
    assert "one neuron off" in fig.layout.title.text


def test_training_explorer_reports_progress(monkeypatch, tmp_path):
    """Shipped states answer at once; a state computed here reports its progress."""
    calls = []
    TrainingExplorer().compute(target=2, init_scale=0.5, lr=0.02, run=1,
                               progress=lambda d, t: calls.append((d, t)))
    assert calls == []
    monkeypatch.setenv("NAGVIZ_NO_SHIPPED", "1")
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    TrainingExplorer().compute(target=2, init_scale=0.5, lr=0.02, run=1,
                               progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (100, 100)


# --------------------------------------------------------------------------- plain figures

def test_dead_neuron_figure_marks_the_exact_zeros():
    d = dead_neuron_data()
    dead = d["dead"]
    fig = dead_neuron_figure(d)
    assert [fig.data[0].text[i] for i in dead] == ["exactly 0"] * 3
    change = np.asarray(_trace(fig, "L(θ + s u) − L(θ)").y)
    assert change[-1] < 0 < change[0]           # the loss goes down on one side only


def test_experiment_figures():
    from nagviz.singularities import CUBIC_221
    from nagviz.statistics import wilson_interval
    from nagviz.training import gd_subnetwork_experiment

    r = gd_subnetwork_experiment(CUBIC_221, n_runs=4, steps=200, restarts=3)
    fig = experiment_figure({"MLP": r})
    assert fig.data[0].text[0] == f"{r.n_stuck} of {r.n_valid}"
    lo, hi = wilson_interval(r.n_stuck, r.n_valid)
    p = r.n_stuck / r.n_valid
    assert np.allclose([fig.data[0].error_y.arrayminus[0], fig.data[0].error_y.array[0]],
                       [100 * (p - lo), 100 * (hi - p)])
    assert stuck_neuron_figure(r, run=0).data[0].name == "‖incoming weights‖"


def test_spot_check_panel_trains_on_a_click(monkeypatch):
    from nagviz import shipped
    from nagviz.explorers import singularities as views

    calls = []

    def fake(runs, seed=None):
        calls.append((runs, seed))
        return [("CNN, gradient descent", 570, True), ("quadratic network, gd, init 1", 4, True)]

    monkeypatch.setattr(shipped, "spot_check", fake)
    panel = views.spot_check_panel(seed=3)
    button, result = panel.children
    assert calls == [] and "spot_check(1)" in result.value   # nothing trained until asked
    button.click()
    assert calls == [(1, 3)] and not button.disabled
    assert "trained again now: 2 of 2 random runs reproduce" in result.value
    assert "CNN, gradient descent, run 570: reproduced" in result.value

"""The explorers of notebook 02, tested without a kernel.

Slider moves are simulated by setting ``controls[name].value`` and the assertions read
the ``FigureWidget`` that the explorer updates in place. The numbers are the ones the
notebook shows.

Tolerances of the recovery checks (seed 0, the presets of ``RECOVERY_PRESETS``): the
teacher counts as recovered when the kept student interpolates (relative training loss
< 1e-20) and its relative error on fresh inputs is < 1e-6 (observed ~1e-15); the
transition must sit at ``dim`` or ``dim + 1`` (theory: at ``N = dim`` finitely many
functions fit, the teacher among them; from ``dim + 1`` only the teacher); below
``dim`` every student that fits the samples must still be off by more than 1e-3
(observed 2e-2 and more).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import nagviz.explorers.dimension as dm
from nagviz.atlas import clear_cache
from nagviz.degree import covering_number_bound, slice_hypersurface
from nagviz.explorers import AtlasExplorer, DegreeThresholdExplorer, RecoveryExplorer
from nagviz.explorers._base import ProgressBar


@pytest.fixture(autouse=True)
def _no_disk_cache(monkeypatch):
    """Keep the explorers' caches in memory: tests write nothing to the working folder."""
    monkeypatch.setattr(dm._ProgressExplorer, "cache_dir", False)


def _cell(data_or_trace, d0, w, rows=range(2, 7), cols=range(1, 16)):
    z = data_or_trace["z"] if isinstance(data_or_trace, dict) else data_or_trace.z
    return z[list(rows).index(d0)][list(cols).index(w)]


# --------------------------------------------------------------------------- the atlas

def test_atlas_r_slider_shows_the_clebsch_defect():
    e = AtlasExplorer()
    e.widget()
    fig = e.figure_widget
    heat = fig.data[0]
    assert _cell(heat, 3, 5) == 0                       # r = 3: (3, 5, 1) is fine
    assert _cell(heat, 5, 7) == 1                       # ... and (5, 7, 1) is the r = 3 exception
    e.controls["r"].value = 4
    assert e.figure_widget is fig
    assert _cell(fig.data[0], 3, 5) == 1                # the AH cell (3, 5), r = 4: defect 1
    assert _cell(fig.data[0], 5, 7) == 0
    stars = sorted(zip(np.round(np.array(fig.data[2].x)).astype(int),
                       np.round(np.array(fig.data[2].y)).astype(int)))
    assert stars == [(5, 3), (9, 4), (14, 5)]           # (d_1, d_0) of the sporadic cases
    assert "z<sup>4</sup>" in fig.layout.title.text
    assert "agrees with the Alexander–Hirschowitz theorem" in e._info.value
    assert "3 of 75 architectures are defective" in e._info.value


@pytest.mark.parametrize("r", [2, 3, 4, 5])
def test_atlas_agrees_with_alexander_hirschowitz(r):
    data = AtlasExplorer().compute(family="shallow", r=r, quantity="dimension")
    assert data["ah_agrees"] is True
    frames = {tuple(c) for c in data["defective_cells"]}
    assert frames == {tuple(c) for c in data["ah_cells"]}


def test_atlas_quantities_and_hover_text():
    e = AtlasExplorer(r=4, quantity="dimension")
    data = e.data()
    assert _cell(data, 3, 5) == 14 and data["n_defective"] == 3
    hover = data["hover"][1][4]
    for fragment in ("widths (3, 5, 1)", "parameters 20", "ambient 15", "expected 15",
                     "dimension 14", "defect 1", "fiber 6", "Alexander–Hirschowitz"):
        assert fragment in hover
    filling = e.compute(family="shallow", r=4, quantity="filling")
    assert filling["text"][1][4] == "" and filling["text"][1][5] == "fills"   # Clebsch: w = 6
    assert e.compute(family="shallow", r=4, quantity="fiber")["z"][1][4] == 6


def test_atlas_deep_families():
    e = AtlasExplorer(family="deep2", r=2, quantity="dimension")
    e.widget()
    data = e.data()
    deep = dict(rows=range(2, 7), cols=range(1, 9))
    assert _cell(data, 3, 3, **deep) == 12                # (3, 3, 3, 1): 12, not 15
    e.controls["quantity"].value = "defect"
    assert _cell(e.figure_widget.data[0], 3, 3, **deep) == 3
    assert not e.figure_widget.data[2].showlegend         # no AH stars for deep networks
    e.controls["r"].value = 3
    assert np.all(np.asarray(e.figure_widget.data[0].z) == 0)   # (d, w, w, 1) fine at r = 3
    e.controls["family"].value = "bottleneck"
    data = e.data()
    # (d_0, 1, w, 1): c * l(x)^D whatever w >= 2, so the defect is the count beyond d_0
    assert _cell(data, 2, 2, **deep) == 1 and _cell(data, 2, 1, **deep) == 0


def test_atlas_cell_click_writes_the_numbers():
    e = AtlasExplorer(r=4)
    e.widget()
    e._clicked(e.figure_widget.data[0], SimpleNamespace(xs=[5], ys=[3]))
    assert "widths (3, 5, 1)" in e._info.value and "<b>14</b>" in e._info.value
    e._clicked(e.figure_widget.data[0], SimpleNamespace(xs=[], ys=[]))   # a miss: unchanged
    assert "widths (3, 5, 1)" in e._info.value


def test_atlas_cached_slider_move_redraws_in_place():
    # benchmarks/timings.py measures how fast a cached move is; unit tests assert no wall time.
    AtlasExplorer.prewarm(families=["shallow"])
    e = AtlasExplorer()
    e.widget()
    fig, shown = e.figure_widget, {}
    for r in (1, 2, 3, 4, 5, 4, 3, 2):
        e.controls["r"].value = r
        assert e.figure_widget is fig
        z = np.asarray(fig.data[0].z, dtype=float).tolist()
        assert shown.setdefault(r, z) == z                # a cached move shows what the first one did
    assert shown[1] != shown[2]


def test_atlas_progress_bar_shows_for_an_uncached_sweep(tmp_path, monkeypatch):
    monkeypatch.setattr(dm._ProgressExplorer, "cache_dir", tmp_path / "fresh")
    monkeypatch.setenv("NAGVIZ_NO_DISK_CACHE", "1")
    clear_cache()
    e = AtlasExplorer()
    e.widget()
    e._bar.delay = 0.0
    assert e._bar.widget in e.widget().children
    e.controls["r"].value = 5
    assert e._bar.shown                                   # it appeared while computing
    assert e._bar.widget.layout.visibility == "hidden"    # and went away at the end


def test_atlas_static_fallback_steps_through_r():
    fig = AtlasExplorer().static_figure()
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["1", "2", "3", "4", "5"]
    assert steps[3].args[0]["z"][0][1][4] == 1            # r = 4, cell (3, 5)


# --------------------------------------------------------------------------- thresholds

@pytest.mark.parametrize("widths, threshold", [
    ((3, 3, 3), 2), ((4, 4, 4), 2),                       # equi-width: from r = 2
    ((3, 3, 3, 1), 3), ((4, 4, 4, 1), 3),                 # one output: defective at r = 2
    ((3, 5, 1), 5),                                       # Clebsch at r = 4
    ((2, 1, 2, 1), None), ((3, 1, 3, 1), None),           # width-one bottleneck: never
])
def test_degree_thresholds(widths, threshold):
    data = DegreeThresholdExplorer().compute(widths=widths, r_max=6)
    assert data["threshold"] == threshold
    assert data["bottleneck"] == (threshold is None)


def test_threshold_slider_moves():
    e = DegreeThresholdExplorer()
    e.widget()
    fig = e.figure_widget
    assert list(fig.data[5].y) == [3, 12, 15, 15, 15, 15]     # (3, 3, 3, 1), r = 1..6
    assert list(fig.data[6].x) == [3, 3]                      # threshold line at r = 3
    assert "from r = 3" in fig.layout.title.text
    e.controls["widths"].value = (2, 1, 2, 1)
    assert list(fig.data[5].y) == [2, 2, 2, 2, 2, 2]
    assert list(fig.data[4].y) == [2, 3, 3, 3, 3, 3]
    assert "defective up to r = 6" in fig.layout.title.text
    assert "width-one layer" in e._info.value
    e.controls["r_max"].value = 8
    assert list(fig.data[5].x) == list(range(1, 9))
    assert list(fig.data[0].y) == [2, 5]                      # ambient, on the chart
    assert list(fig.data[1].text) == ["10", "17", "26", "37", "50", "65"]   # off the chart


# --------------------------------------------------------------------------- recovery

# the numbers the notebook shows: (dimension, parameters, ambient)
RECOVERY_NUMBERS = {
    "(3, 2, 1) z²": (5, 8, 6),
    "(5, 2, 1) z³": (10, 12, 35),
    "(3, 2, 2, 1) z²": (7, 12, 15),
    "(4, 6, 1) z²": (10, 30, 10),
}


@pytest.mark.parametrize("key", list(RECOVERY_NUMBERS))
def test_recovery_transition_at_the_dimension(key):
    data = RecoveryExplorer().compute(architecture=key, show_restarts=True)
    dim, params, ambient = RECOVERY_NUMBERS[key]
    assert (data["dimension"], data["parameters"], data["ambient"]) == (dim, params, ambient)
    # At N = dim the data leave finitely many functions and the kept student is one of them,
    # chosen by training losses that all sit at rounding level (~1e-30): which one wins can
    # change from run to run. From dim + 1 on only the teacher fits.
    transition = data["transition"]
    assert transition in (dim, dim + 1)
    assert data["local_rank"] == [min(n, dim) for n in data["N"]]
    best = dict(zip(data["N"], data["best_error"]))
    assert all(best[n] < 1e-6 for n in data["N"] if n >= data["transition"])
    assert all(best[n] > 1e-3 for n in data["N"] if n < dim)
    reg = dict(zip(data["N"], data["regression_error"]))
    assert all((reg[n] < 1e-6) == (n >= ambient) for n in data["N"])   # regression: ambient
    assert transition <= ambient                          # never more than regression needs
    assert data["restart_y"] and max(data["restart_x"]) < max(data["N"]) + 0.5


def test_recovery_dropdown_updates_the_figure():
    e = RecoveryExplorer()
    e.widget()
    fig = e.figure_widget
    assert list(fig.data[4].x) == [10, 10, 10]            # the dimension of (5, 2, 1), z^3
    e.controls["architecture"].value = "(3, 2, 1) z²"
    assert list(fig.data[4].x) == [5, 5, 5]
    assert list(fig.data[5].x) == [8, 8, 8] and list(fig.data[6].x) == [6, 6, 6]
    assert "recovered from N = 6" in fig.layout.title.text
    e.controls["show_restarts"].value = False
    assert list(fig.data[0].x) == [None]
    assert "min(N, dim)" in e._info.value


def test_recovery_precompute_leaves_every_move_a_lookup(monkeypatch):
    import nagviz.sample_complexity as sc

    assert RecoveryExplorer.precompute() == len(dm.RECOVERY_PRESETS) == 4

    def no_more_fits(*args, **kwargs):
        raise AssertionError("a slider move fitted a student: precompute missed a preset")

    monkeypatch.setattr(sc, "fit_student", no_more_fits)
    e = RecoveryExplorer()
    e.widget()
    for key in dm.RECOVERY_PRESETS:
        e.controls["architecture"].value = key
        assert list(e.figure_widget.data[4].x)[0] == RECOVERY_NUMBERS[key][0]


def test_students_at_n_equals_dim_are_the_exact_interpolants():
    data = dm.interpolants_data((3, 2, 1), 2, seed=0, restarts=12, cache_dir=False)
    assert (data["dimension"], data["degree"], data["n_real"]) == (5, 3, 3)
    exact = np.array(data["exact_errors"])
    at_dim = next(g for g in data["groups"] if g["N"] == 5)
    assert len(at_dim["errors"]) >= 6
    for e in at_dim["errors"]:
        assert np.min(np.abs(exact - e)) < 1e-6 * max(1.0, e)
    above = next(g for g in data["groups"] if g["N"] == 6)
    assert max(above["errors"]) < 1e-6                    # N = dim + 1: only the teacher
    below = next(g for g in data["groups"] if g["N"] == 4)
    gaps = np.diff(np.sort(below["errors"]))             # a continuum: all different
    assert np.all(gaps > 1e-6)
    fig = dm.interpolants_figure(data)
    assert len(fig.data) == 4 and "3 real" in fig.data[-1].name


# --------------------------------------------------------------------------- the rest

def test_prewarm_reports_progress():
    calls = []
    total = AtlasExplorer.prewarm(lambda done, total: calls.append((done, total)),
                                  families=["bottleneck"], degrees=(2, 3))
    assert total == 2 * 5 * 8 and calls[0] == (0, total) and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_slice_and_covering_figures():
    fig = dm.slice_figure(slice_hypersurface((3, 2, 1), 2, seed=0))
    assert "in 3 points" in fig.layout.title.text
    curves = [(f"rank ≤ {k}", covering_number_bound(k * (10 - k), d, np.logspace(-1, -6, 20)))
              for k, d in ((1, 70), (4, 5))] + [("all 5 × 5", covering_number_bound(25, 1,
                                                np.logspace(-1, -6, 20)))]
    fig = dm.covering_figure(curves)
    assert [t.line.dash for t in fig.data][-1] == "dash"
    assert fig.data[0].name.startswith("rank ≤ 1: m = 9, deg = 70")
    title = fig.layout.yaxis.title.text
    assert "N<sub>ε</sub>" in title and "N_" not in title     # a subscript, not a literal N_eps


def test_progress_bar_stays_hidden_for_quick_jobs():
    bar = ProgressBar(delay=10.0)
    bar(0, 3)
    bar(1, 3)
    assert bar.widget.layout.visibility == "hidden" and not bar.shown


# --------------------------------------------------------------------------- exercises

def _check(exercise, answer):
    from nagviz.exercises import check

    return check(exercise, answer)


@pytest.mark.parametrize("exercise, answers", [
    ("02.1", [(18, 15, 40), [18.0, "15", np.int64(40)]]),
    ("02.2", ["C", "c", " C "]),
    ("02.2b", [3, 3.0, "3"]),
    ("02.3", [(9, 10), [9, 10]]),
    ("02.4", ["(3*x*y - 4*x*z + y*z)^2", "-2*(y*z - 4*x*z + 3*x*y)**2"]),
    ("02.5", [(14, 7), ["14", 7.0]]),
    ("02.6", [(3, 6), ("3", "binomial(4, 2)")]),
    ("02.7", [(9, 3), [9, 3]]),
])
def test_exercise_checks_accept_the_solutions(exercise, answers):
    for answer in answers:
        result = _check(exercise, answer)
        assert result.correct, (answer, result.message)


@pytest.mark.parametrize("exercise, wrong, fragment", [
    ("02.1", (18, 18, 40), "rescaling symmetry"),
    ("02.1", (18, 15, 20), "two outputs"),
    ("02.1", (18, 15, 440), "not $r^L$"),
    ("02.1", (18, 15, 70), "homogeneous"),
    ("02.2", "A", "fill its ambient space"),
    ("02.2", "D", "Alexander–Hirschowitz"),
    ("02.2b", 5, "expected dimension"),
    ("02.2b", 4, "rescaling"),
    ("02.3", (10, 11), "expected dimension"),
    ("02.3", (12, 13), "parameter counts"),
    ("02.3", (15, 16), "polynomial regression"),
    ("02.3", (9, 9), "one more sample"),
    ("02.4", "3*x*y - 4*x*z + y*z", "What does squaring do"),
    ("02.4", "x**4", "not zero at every one"),
    ("02.5", (18, 7), "GL(2)"),
    ("02.5", (14, 8), "rotation"),
    ("02.6", (3, 9), "two factors"),
    ("02.6", (2, 6), "degree 3"),
    ("02.7", (6, 0), "fiber is bigger"),
])
def test_exercise_checks_explain_wrong_answers(exercise, wrong, fragment):
    result = _check(exercise, wrong)
    assert not result.correct and result.status == "incorrect"
    assert fragment in result.message, result.message


@pytest.mark.parametrize("exercise", ["02.1", "02.2", "02.3", "02.4", "02.5", "02.6", "02.7"])
def test_exercise_checks_survive_junk(exercise):
    assert _check(exercise, ...).status == "unanswered"
    assert _check(exercise, None).status in ("unanswered", "invalid")
    assert _check(exercise, "not an answer").status in ("invalid", "incorrect")

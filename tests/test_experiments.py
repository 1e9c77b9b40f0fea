"""The experiments of notebook 05 and their presets (nagviz.experiments), without views."""

from fractions import Fraction

import numpy as np
import pytest

from nagviz.experiments import (CRITICAL_DISTRIBUTIONS_SHOWN, DISTRIBUTIONS, PATH_CASES,
                                TRAP_RUNS, critical_versus_best, dead_neuron_data, path_case,
                                prewarm, rank_path_case, slice_section, training_experiments,
                                trap_runs, trap_targets, voronoi_cell)
from nagviz.singularities import tangent_rank


# --------------------------------------------------------------------------- ranks along paths

@pytest.mark.parametrize("case", ["(3,2,1) merge", "cone: v → 0", "CNN entry"])
def test_rank_path_case_matches_tangent_rank_point_by_point(case):
    arch, path, _, _ = path_case(case, seed=3)
    data = rank_path_case(case, 3, n=5)
    assert data["ranks"] == [tangent_rank(arch, path(Fraction(i, 4))).rank for i in range(5)]
    assert data["generic"] == tangent_rank(arch, path(0)).generic_rank


@pytest.mark.parametrize("case, lost", [("(3,2,1) off", 2), ("linear merge", 1),
                                        ("cone: w → 0", 2)])
def test_float_singular_values_lost_at_the_end_match_the_exact_drop(case, lost):
    data = rank_path_case(case, 0)
    S = data["singular_values"]
    top = np.nanmax(S)
    nonzero_at_start = S[0] > 1e-9 * top
    vanishing = nonzero_at_start & (S[-1] < 1e-6 * top)
    assert int(vanishing.sum()) == lost == data["generic"] - data["ranks"][-1]
    assert data["float_rank_at_end"] == data["ranks"][-1]


def test_path_cases_start_generic_with_small_integer_weights():
    for case in PATH_CASES:
        arch, path, _, _ = path_case(case, seed=1)
        start = path(0)
        assert all(x.denominator == 1 and 1 <= abs(x) <= 3 for x in start)
        assert tangent_rank(arch, start).drop == 0


def test_unknown_presets_are_refused_in_one_line():
    for call in (lambda: path_case("nope"), lambda: critical_versus_best("nope"),
                 lambda: voronoi_cell("nope")):
        with pytest.raises(ValueError, match="unknown .*'nope'; choose one of") as err:
            call()
        assert "\n" not in str(err.value)


# --------------------------------------------------------------------------- slice and Voronoi

def test_slice_sections_kinds_and_rank_on_the_singular_line():
    node, point, double = slice_section(-0.5), slice_section(0.2), slice_section(0.0)
    assert (node["kind"], point["kind"], double["kind"]) == ("node", "isolated point",
                                                              "double line")
    assert len(node["lines"]) == 2 and point["lines"] == []
    # one neuron: rank 3 of 6; two opposite neurons (alpha = 0): rank 4
    assert (node["rank"], point["rank"], double["rank"], node["generic"]) == (3, 3, 4, 6)
    # near the singular point the node's branches are computed by real networks
    for pts, real in node["lines"]:
        assert real.shape == (len(pts),) and real.any()


def test_voronoi_cell_of_the_cusp_has_area_the_node_none():
    assert voronoi_cell("cusp", 61).fraction > 0.3
    assert voronoi_cell("crossing lines", 61).fraction < 1e-3


# --------------------------------------------------------------------------- training presets

def test_trap_runs_report_progress_to_100_and_use_the_chosen_target():
    calls = []
    runs, population = trap_runs(3, 0.5, 0.02, progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert done == sorted(done) and calls[-1] == (100, 100)
    assert runs.n_runs == TRAP_RUNS and population.n_runs == 100
    assert np.allclose(runs.targets[0], trap_targets()[3])


def test_critical_versus_best_presets():
    assert set(CRITICAL_DISTRIBUTIONS_SHOWN) <= set(DISTRIBUTIONS)
    r = critical_versus_best("Euclidean")
    assert (r.n_targets, r.restarts, r.seed) == (40, 12, 0)
    assert int(r.critical.sum()) > r.n_targets // 2 and int(r.best_is_subnetwork.sum()) == 0


def test_prewarm_reports_each_job():
    calls = []
    assert prewarm(lambda done, total: calls.append((done, total)), experiments=False) == 8
    assert calls == [(i, 8) for i in range(9)]


# --------------------------------------------------------------------------- dead neuron

def test_dead_neuron_gradient_and_hessian_vanish_in_its_directions():
    d = dead_neuron_data()
    dead = d["dead"]
    assert np.all(d["gradient"][dead] == 0.0)
    H = d["hessian"]
    assert np.abs(H[np.ix_(dead, dead)]).max() < 1e-12 * np.abs(H).max()
    assert d["order"] == 3 and d["coefficient"] < 0
    assert d["change"][-1] < 0 < d["change"][0]      # the loss goes down on one side only


# --------------------------------------------------------------------------- MLP versus CNN

def test_notebook_experiment_mlp_gd_ends_at_subnetworks_cnn_only_at_zero():
    """The settings notebook 05 shows (seed 0): plain gradient descent on the MLP ends at a
    proper subnetwork above the best fit in a positive fraction of runs; LM in none; the CNN,
    on the same targets distribution, inits, learning rate, steps and tolerances, never at a
    sparse filter (only at the zero function)."""
    r = training_experiments()
    mlp, lm, cnn = (r["MLP, gradient descent"], r["MLP, Levenberg–Marquardt"],
                    r["CNN, gradient descent"])
    assert mlp.fraction_proper > 0 and mlp.n_stuck >= 2
    assert all(mlp.final_loss[i] > 1.5 * mlp.best_loss[i] for i in mlp.stuck_runs)
    assert lm.fraction < mlp.fraction
    assert cnn.fraction_proper == 0.0 and np.all(cnn.at_zero_network[cnn.stuck_runs])
    assert (cnn.n_runs, cnn.steps, cnn.learning_rate, cnn.seed, cnn.dead_tolerance) == \
        (mlp.n_runs, mlp.steps, mlp.learning_rate, mlp.seed, mlp.dead_tolerance)

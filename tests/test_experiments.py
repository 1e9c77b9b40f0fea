"""The experiments of notebook 05 and their presets (nagviz.experiments), without views."""

from fractions import Fraction

import numpy as np
import pytest

import nagviz

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
    assert prewarm(lambda done, total: calls.append((done, total)), experiments=False) == 5
    assert calls == [(i, 5) for i in range(6)]


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


# --------------------------------------------------------------------------- batched, over seeds

def _wilson_by_roots(k, n, z=1.959964):
    """The Wilson interval a second way: the two roots p of (k/n - p)^2 = z^2 p (1 - p) / n."""
    phat = k / n
    a = 1 + z * z / n
    b = -(2 * phat + z * z / n)
    c = phat * phat
    roots = np.sort(np.roots([a, b, c]).real)
    return (0.0 if k == 0 else roots[0], 1.0 if k == n else roots[1])


def test_subnetwork_rate_for_one_seed_is_the_single_experiment():
    """The batched experiment over seeds reproduces gd_subnetwork_experiment run by run."""
    from nagviz.experiments import EXPERIMENTS
    from nagviz.subnetwork_experiment import subnetwork_rate

    arch, kwargs = EXPERIMENTS["CNN, gradient descent"]
    one = training_experiments()["CNN, gradient descent"]
    rate = subnetwork_rate(arch, 60, (0,), **kwargs)
    assert np.array_equal(rate.stuck, one.at_subnetwork & one.above_best & ~one.diverged)
    assert np.array_equal(rate.diverged, one.diverged)
    assert np.allclose(rate.final_loss[~one.diverged], one.final_loss[~one.diverged])
    assert np.allclose(rate.best_loss, one.best_loss)


def test_the_400_run_contrast_recounted_from_the_runs():
    """Notebook 05's contrast: >= 400 runs per arm and seed, three seeds; every count and
    interval recomputed from the per-run losses, and the statements the notebook makes."""
    from nagviz.experiments import CONTRAST_RUNS, CONTRAST_SEEDS, training_contrast
    from nagviz.statistics import wilson_interval

    assert CONTRAST_RUNS >= 400 and len(CONTRAST_SEEDS) >= 3
    results = training_contrast()
    for r in results.values():
        assert r.n_runs == CONTRAST_RUNS and r.seeds == CONTRAST_SEEDS
        above = r.final_loss > r.best_loss * (1 + r.loss_tolerance) + 1e-9
        stuck = r.at_subnetwork & above & ~r.diverged
        assert np.array_equal(stuck, r.stuck)
        k, n = int(stuck.sum()), int((~r.diverged).sum())
        assert (k, n) == (r.n_stuck, r.n_valid)
        assert np.allclose(r.interval, _wilson_by_roots(k, n), atol=1e-9)
        assert np.allclose(r.interval, wilson_interval(k, n))
        assert sum(x[1] for x in r.seed_counts()) == k
        assert sum(x[2] for x in r.seed_counts()) == n
        conv = (r.gradient_norm < r.gradient_tolerance) & ~r.diverged
        assert np.array_equal(conv, r.converged)
    mlp, lm, cnn = (results["MLP, gradient descent"], results["MLP, Levenberg–Marquardt"],
                    results["CNN, gradient descent"])
    # a proper subnetwork: the MLP's interval lies above the CNN's
    assert mlp.interval_proper[0] > cnn.interval_proper[1]
    assert cnn.n_stuck_proper == 0 and lm.n_stuck == 0
    # gradient descent has mostly not converged after 5000 steps; the notebook says so
    assert int(mlp.converged.sum()) < 0.05 * mlp.n_valid
    # the MLP's best fits run off to infinity for many targets (an infimum)
    assert int(mlp.best_at_infinity.sum()) > 0.2 * mlp.best_at_infinity.size


def test_batched_trap_experiments_equal_the_separate_ones():
    from nagviz.rank_one_trap import rank_one_trap_batch, rank_one_trap_experiment

    settings = [dict(n_runs=5, init_scale=1.0, lr=0.01, seed=7),
                dict(n_runs=4, init_scale=0.1, lr=0.02, seed=8)]
    batched = rank_one_trap_batch(settings, steps=600)
    nagviz.clear_cache()                  # memory only: the runs below are trained alone
    for st, b in zip(settings, batched):
        alone = rank_one_trap_experiment(st["n_runs"], st["init_scale"], st["lr"], 600,
                                         seed=st["seed"])
        assert alone is not b
        assert np.array_equal(alone.final_theta, b.final_theta)
        assert list(alone.outcome) == list(b.outcome)


def test_trap_fractions_over_seeds_and_the_polar_cone_count():
    """The trapped fraction of the quadratic network over three seeds with its interval,
    and the one-nappe mechanism checked a third way: sampling directions delta."""
    from nagviz.experiments import trap_fractions
    from nagviz.rank_one_trap import form_matrix, rank_one_trap_experiment
    from nagviz.statistics import wilson_interval

    st = trap_fractions(1.0)
    assert st.seeds == (0, 1, 2) and st.n_runs == 200
    parts = [rank_one_trap_experiment(200, 1.0, 0.01, 5000, seed=s) for s in st.seeds]
    k = sum(int(p.trapped.sum()) for p in parts)
    n = sum(int((p.outcome != "diverged").sum()) for p in parts)
    assert (k, n) == (st.n_trapped, st.n_valid)
    assert np.allclose(st.interval, _wilson_by_roots(k, n), atol=1e-9)
    assert np.allclose(st.interval, wilson_interval(k, n))
    assert sum(st.in_polar_cone) == sum(st.projection) == sum(st.one_nappe) > 0
    # sign(v_j) d^T (f - t) d >= 0 for every sampled direction d at each one-nappe trap
    angles = np.linspace(0, np.pi, 721)
    D = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for p in parts:
        check = p.nappe_check()
        for i in np.nonzero(check["one_nappe"])[0]:
            v = p.final_theta[i, 4:]
            W = p.final_theta[i, :4].reshape(2, 2)
            j = int(np.argmin((W * W).sum(axis=1) / np.abs(v)))
            R = form_matrix(p.final_coefficients[i] - p.targets[i])
            q = np.sign(v[j]) * np.einsum("ni,ij,nj->n", D, R, D)
            assert q.min() >= -1e-3 * np.linalg.norm(form_matrix(p.targets[i]))

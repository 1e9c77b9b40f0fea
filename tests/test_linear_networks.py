"""Linear networks: singular points, Eckart-Young, incremental learning and its time scales."""

import math

import numpy as np
import pytest

from nagviz.critical_points import eckart_young
from nagviz.linear_networks import (lower_rank_improvement, plateau_scaling, saddle_points,
                                    tangent_space_dimension, target_matrix,
                                    theoretical_slopes, train_linear)

S = (4.0, 2.0, 1.0, 0.5)


# ----------------------------------------------------------------------------- singular points
@pytest.mark.parametrize("m, n, k", [(3, 3, 1), (3, 3, 2), (2, 3, 1), (3, 4, 2)])
def test_tangent_space_jumps_exactly_below_rank_k(m, n, k):
    rng = np.random.default_rng(m * 10 + n + k)
    for r in range(0, k + 1):
        X = rng.integers(-3, 4, (m, r)) @ rng.integers(-3, 4, (r, n))
        if np.linalg.matrix_rank(X) != r:
            continue
        dim = tangent_space_dimension(X.tolist(), k)
        # independent source: dim of the determinantal variety (MATH.md section 1)
        expected = k * (m + n - k) if r == k else m * n
        assert dim == expected, (r, dim)


def test_tangent_space_of_the_determinant_is_the_cofactor_kernel():
    X = np.array([[1, 2, 0], [0, 1, 1], [1, 3, 1]])          # det = 0, rank 2
    assert round(np.linalg.det(X)) == 0 and np.linalg.matrix_rank(X) == 2
    assert tangent_space_dimension(X, 2) == 8                # one equation, gradient != 0
    assert tangent_space_dimension([[0.5, 0, 0], [0, 0, 0], [0, 0, 0]], 2) == 9


def test_tangent_space_dimension_is_kept_on_disk(tmp_path, monkeypatch):
    """Exact entries are the key: an int array, its list and its float copy share one entry."""
    from nagviz import linear_networks as ln

    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    X = np.array([[1, 2, 3], [2, 4, 6], [0, 0, 0]])
    ln._tangent_space_dimension.cache_clear()
    assert tangent_space_dimension(X, 2) == 9                # rank 1 < 2: singular
    ln._tangent_space_dimension.cache_clear()                # memory only: the disk stays
    assert ln._tangent_space_dimension.cache_file(((1, 2, 3), (2, 4, 6), (0, 0, 0)), 2)
    assert tangent_space_dimension(X.tolist(), 2) == tangent_space_dimension(X * 1.0, 2) == 9
    assert ln._tangent_space_dimension.cache_info().misses == 0


@pytest.mark.parametrize("entry", [float("nan"), float("inf"), "x", None])
def test_tangent_space_dimension_rejects_non_numbers(entry):
    with pytest.raises(ValueError, match="finite numeric entries"):
        tangent_space_dimension([[1, 0, 0], [0, entry, 0], [0, 0, 0]], 2)


# ----------------------------------------------------------------------------- Eckart-Young
def test_saddles_are_truncated_svds_from_numpy():
    T = target_matrix(S, seed=3)
    U, s, Vt = np.linalg.svd(T)
    assert np.allclose(s, S)
    for i, P in enumerate(saddle_points(T, 3)):
        assert np.allclose(P, (U[:, :i] * s[:i]) @ Vt[:i])
        assert math.isclose(np.linalg.norm(T - P) ** 2, sum(v * v for v in S[i:]), rel_tol=1e-12)


def test_best_rank_k_beats_every_other_critical_point_and_random_matrices():
    T = target_matrix(S, (4, 4), seed=1)
    best = eckart_young(T, 2).best
    d_best = np.linalg.norm(T - best)
    rng = np.random.default_rng(0)
    for _ in range(300):                                      # random rank-2 matrices near best
        X = best + 0.3 * rng.standard_normal((4, 2)) @ rng.standard_normal((2, 4))
        X = eckart_young(X, 2).best                           # keep rank <= 2
        assert np.linalg.norm(T - X) >= d_best - 1e-12
    assert math.isclose(d_best, math.hypot(1.0, 0.5), rel_tol=1e-12)


@pytest.mark.parametrize("subset", [(), (0,), (1,), (2,), (0, 2)])
def test_lower_rank_point_is_never_best(subset):
    T = target_matrix(S, seed=2)
    U, s, Vt = np.linalg.svd(T)
    X = sum((s[i] * np.outer(U[:, i], Vt[i]) for i in subset), np.zeros((4, 4)))
    step = lower_rank_improvement(X, T, 3)
    # recomputed a second way: the norm at the new point, and the rank stays <= k
    after = np.linalg.norm(T - step.new_point) ** 2
    assert math.isclose(after, step.loss_after, rel_tol=1e-10, abs_tol=1e-12)
    assert math.isclose(step.decrease, step.step ** 2, rel_tol=1e-10)
    assert np.linalg.matrix_rank(step.new_point, tol=1e-9) <= len(subset) + 1
    largest_missing = max(S[i] for i in range(4) if i not in subset)
    assert math.isclose(step.step, largest_missing, rel_tol=1e-10)


def test_lower_rank_improvement_from_an_arbitrary_point():
    rng = np.random.default_rng(5)
    T = target_matrix(S, seed=0)
    X = rng.standard_normal((4, 1)) @ rng.standard_normal((1, 4))
    step = lower_rank_improvement(X, T, 2)
    assert step.decrease > 0 and step.rank == 1
    assert np.linalg.norm(T - step.new_point) < np.linalg.norm(T - X)


# ----------------------------------------------------------------------------- training
def test_modes_are_learned_one_at_a_time_in_order_of_singular_value():
    run = train_linear((4, 3, 4), S, init_scale=1e-4, n_runs=40, seed=7)
    ls = run.learn_steps
    assert np.all(ls >= 0) and np.all(np.diff(ls, axis=1) > 0)
    assert run.learned_in_order == 40
    # ends at the Eckart-Young best fit, never learning s_4 (the bottleneck has width 3)
    assert run.final_distance.max() < run.delta
    assert np.all(run.trajectory[:, -1, :] > 0.9 * np.array(S[:3]))
    # plateaus: the loss sits at the saddle values 1/2 sum_{j > i} s_j^2 between increments
    T = target_matrix(S, seed=0)
    for i, P in enumerate(saddle_points(T, 2)):
        level = 0.5 * np.linalg.norm(T - P) ** 2
        assert np.all(np.min(np.abs(run.loss - level), axis=1) < 0.02 * level), i
        assert np.all(run.saddle_steps[:, i] > 0)


def test_deep_network_also_learns_in_order():
    run = train_linear((3, 3, 3, 3), (2.0, 1.0, 0.5), init_scale=0.1, n_runs=10, seed=1,
                       lr=0.05)
    assert run.learned_in_order == 10 and run.final_distance.max() < run.delta


def test_learning_step_matches_the_linearized_growth():
    """One run at two scales: the difference of learning steps is the slope times ln(100)."""
    th = theoretical_slopes((4, 3, 4), S, lr=0.05)
    r = plateau_scaling((4, 3, 4), S, (1e-4, 1e-6), n_runs=30, seeds=(0,), cache_dir=False)
    diff = np.median(r.learn_steps[0, 1] - r.learn_steps[0, 0], axis=0)
    expected = np.array(th["learn"]) * math.log(100)
    assert np.all(np.abs(diff - expected) <= 0.03 * expected + 1), (diff, expected)


def test_plateau_scaling_slopes_agree_with_theory():
    r = plateau_scaling((4, 3, 4), S, (1e-3, 1e-4, 1e-5, 1e-6), n_runs=20, seeds=(0, 1, 2),
                        cache_dir=False)
    th = r.theory()
    learn, saddle = r.slope_interval("learn"), r.slope_interval("saddle")
    assert np.allclose(learn[:, 0], th["learn"], rtol=0.02)
    assert np.allclose(saddle[:, 0], th["saddle"], rtol=0.05)
    # the plateau near P_i grows with ln(1/eps): every seed agrees on the sign and size
    assert np.all(r.seed_slopes("saddle") > 0.8 * np.array(th["saddle"]))
    assert all(k == n for k, n in r.in_order_counts())
    assert all(k == n for k, n in r.best_fit_counts())
    # gradient flow is the lr -> 0 limit of the per-step slope
    assert all(f * 0.05 * v > 1 for f, v in zip(th["learn"], S))


def test_depth_three_grows_like_a_power():
    r = plateau_scaling((3, 3, 3, 3), (2.0, 1.0, 0.5), (0.2, 0.1, 0.05), n_runs=8, seeds=(0,),
                        cache_dir=False)
    assert r.theory()["exponent"] == 1
    exponents = r.slope_interval("learn")[:, 0]
    assert np.all(np.abs(exponents - 1) < 0.15), exponents


def test_scaling_is_cached_on_disk(tmp_path):
    args = ((3, 2, 3), (2.0, 1.0, 0.5), (1e-2, 1e-3))
    a = plateau_scaling(*args, n_runs=3, seeds=(0,), cache_dir=tmp_path)
    plateau_scaling.cache_clear()
    b = plateau_scaling(*args, n_runs=3, seeds=(0,), cache_dir=tmp_path)
    assert plateau_scaling.cache_info().disk_hits == 1
    assert np.array_equal(a.learn_steps, b.learn_steps) and np.array_equal(a.saddle_steps,
                                                                           b.saddle_steps)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, message", [
    (lambda: target_matrix((1.0, 1.0)), "distinct"),
    (lambda: target_matrix((1.0, -2.0)), "positive"),
    (lambda: target_matrix((2.0, 1.0), shape=(3, 3)), "singular values"),
    (lambda: train_linear((4, 3), S), "at least three"),
    (lambda: train_linear((3, 3, 4), S), "singular values"),
    (lambda: train_linear((4, 3, 4), S, init_scale=0.0), "init_scale"),
    (lambda: train_linear((4, 3, 4), S, n_runs=2.5), "n_runs"),
    (lambda: train_linear((4, 3, 4), S, lr=0.5), "too large"),
    (lambda: tangent_space_dimension([[1, 0], [0, 1]], 2), "k must be"),
    (lambda: tangent_space_dimension([1, 2, 3], 1), "matrix"),
    (lambda: lower_rank_improvement(np.eye(3), np.diag([3.0, 2, 1]), 2), "rank 3"),
    (lambda: lower_rank_improvement(np.zeros((2, 2)), np.zeros((2, 2)), 1), "target itself"),
    (lambda: lower_rank_improvement(np.zeros((2, 2)), np.zeros((3, 2)), 1), "one shape"),
    (lambda: plateau_scaling((4, 3, 4), S, (1e-3,), cache_dir=False), "two distinct"),
])
def test_bad_input_gives_one_clear_error(call, message):
    with pytest.raises(ValueError, match=message) as info:
        call()
    assert "\n" not in str(info.value)


def test_explorer_data_and_figure():
    from nagviz.explorers import LinearIncrementalExplorer

    e = LinearIncrementalExplorer()
    small, large = e.compute(init_scale=1e-6, seed=0), e.compute(init_scale=1e-2, seed=0)
    assert all(a > b for a, b in zip(small["learn_steps"], large["learn_steps"]))
    fig = e.figure(small)
    sv = [t for t in fig.data if t.name and t.name.startswith("s") and "(W)" in t.name]
    assert len(sv) == 3 and fig.layout.xaxis.type == "log"
    assert np.allclose(sv[0].y[-1], 4.0, atol=0.05)
    static = e.static_figure()
    assert len(static.layout.sliders[0].steps) == 6
    titles = {s.args[1]["title.text"] for s in static.layout.sliders[0].steps}
    assert len(titles) == 6                                  # every step retitles the panel


# ----------------------------------------------------------------------------- notebook 05's numbers
def test_notebook_tangent_dimensions_from_the_determinantal_formula():
    """The three matrices printed in notebook 05: 2(3 + 3 - 2) = 8 at rank 2, 9 below."""
    for X, rank in (([[1, 0, 0], [0, 1, 0], [0, 0, 0]], 2), ([[1, 2, 3], [2, 4, 6], [0, 0, 0]], 1),
                    ([[0] * 3] * 3, 0)):
        assert np.linalg.matrix_rank(X) == rank
        assert tangent_space_dimension(X, 2) == (8 if rank == 2 else 9)


def test_notebook_lower_rank_steps_are_sums_of_squared_singular_values():
    from nagviz.linear_networks import SHALLOW_SCALING

    s = SHALLOW_SCALING["singular_values"]
    T = target_matrix(s, seed=0)
    for j, P in enumerate(saddle_points(T, 3)[:3]):
        step = lower_rank_improvement(P, T, 3)
        assert math.isclose(step.loss_before, sum(v * v for v in s[j:]), rel_tol=1e-12)
        assert math.isclose(step.loss_after, sum(v * v for v in s[j + 1:]), rel_tol=1e-12)
        assert math.isclose(step.step, s[j], rel_tol=1e-12)
    assert [sum(v * v for v in s[j:]) for j in range(3)] == [21.25, 5.25, 1.25]


def test_notebook_scaling_experiment_recomputed_from_medians():
    """The printed slopes, recomputed by a different estimator: a line through the medians."""
    from nagviz.linear_networks import DEEP_SCALING, SHALLOW_SCALING

    r = plateau_scaling(**SHALLOW_SCALING)
    assert r.in_order_counts() == [(180, 180)] * 4 and r.best_fit_counts() == [(180, 180)] * 4
    x = np.log(1 / np.array(SHALLOW_SCALING["init_scales"]))
    th = r.theory()
    for which, rtol in (("learn", 0.01), ("saddle", 0.02)):
        medians = np.median(np.moveaxis(r.learn_steps if which == "learn" else r.saddle_steps,
                                        1, 0).reshape(4, -1, 3), axis=1)
        slopes = [np.polyfit(x, medians[:, i], 1)[0] for i in range(3)]
        assert np.allclose(slopes, th[which], rtol=rtol), (which, slopes)
        assert np.allclose(slopes, r.slope_interval(which)[:, 0], rtol=0.01)
    lo, hi = r.slope_interval("learn")[:, 1], r.slope_interval("learn")[:, 2]
    assert np.all((lo <= th["learn"]) & (np.array(th["learn"]) <= hi))     # as printed
    lo, hi = r.slope_interval("saddle")[:, 1], r.slope_interval("saddle")[:, 2]
    assert np.all((np.array(th["saddle"]) < lo) | (np.array(th["saddle"]) > hi))
    assert np.all(np.abs(r.slope_interval("saddle")[:, 0] / th["saddle"] - 1) < 0.015)
    d = plateau_scaling(**DEEP_SCALING)
    xd = np.log(1 / np.array(DEEP_SCALING["init_scales"]))
    med = np.median(np.moveaxis(d.learn_steps, 1, 0).reshape(3, -1, 3), axis=1)
    exponents = [np.polyfit(xd, np.log(med[:, i]), 1)[0] for i in range(3)]
    assert all(1.0 < e < 1.1 for e in exponents), exponents         # near 1, above it
    means = d.slope_interval("learn")[:, 0]
    assert np.all((means > 1.035) & (means < 1.065)), means                # "1.04 to 1.06"


# ----------------------------------------------------------------------------- exercise 05.11
def test_exercise_05_11_expected_answer_from_numpy():
    from nagviz.exercises.ex05_singularities import rank_one_case_05_11

    T, X = rank_one_case_05_11()
    R = T - X
    # the best rank-one step, by brute force over random unit pairs, never beats rho^2 = 4
    rng = np.random.default_rng(0)
    u = rng.standard_normal((2000, 3))
    v = rng.standard_normal((2000, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    best_lambda = np.einsum("ni,ij,nj->n", u, R, v)          # optimal scale for each pair
    assert np.max(best_lambda ** 2) <= 4 + 1e-9
    assert math.isclose(np.linalg.eigvalsh(R.T @ R)[-1], 4.0, rel_tol=1e-10)   # rho^2
    assert np.linalg.matrix_rank(X) == 1
    assert math.isclose(np.linalg.norm(R) ** 2, 5.0, rel_tol=1e-12)


@pytest.mark.parametrize("answer, fragment", [
    (2.0, "top singular value"), (5, "rank-two step"), (1, "smallest singular value"),
    (9, "already fitted"), (0, "not a minimum"), (-4, "sign"), (3.5, "not the expected"),
])
def test_exercise_05_11_wrong_answers_get_a_reason(answer, fragment):
    from nagviz.exercises import check

    result = check("05.11", answer)
    assert not result and fragment in result.message


@pytest.mark.parametrize("answer", [4, 4.0, "4", "2**2", np.float64(4.0000001)])
def test_exercise_05_11_accepts_equivalent_forms(answer):
    from nagviz.exercises import check

    assert check("05.11", answer)

"""The fast paths and disk caches behind notebooks 03 and 04 (issue 15, cold start).

Each fast path is checked against an independent computation (the generic FFT coefficient
map, one row at a time, a plain per-run gradient loop), and each disk cache by reading its
entry back in a fresh memory state and comparing with the computed value.
"""

import numpy as np
import pytest
import sympy

import nagviz
from nagviz._coefficient_map import CoefficientMap, LinearKernel
from nagviz._polynomial_systems import solve_zero_dimensional
from nagviz.conservation import _balanced_runs, balance, balanced_initialization_experiment
from nagviz.critical_points import ed_degree, gram_matrix
from nagviz.fiber_search import _search, search_fiber
from nagviz.fibers import _from_exact, _solve_fiber, _to_exact, finite_fiber
from nagviz.landscapes import BENT_NEURON, NAPPE, _descent_runs, descent_outcomes


def _from_disk(memoized, call):
    """Run ``call`` with the memory cache emptied: the value must come from the disk."""
    memoized.memo.clear()
    before = memoized.cache_info().disk_hits
    value = call()
    assert memoized.cache_info().disk_hits == before + 1
    return value


@pytest.mark.parametrize("widths, act", [((1, 1, 1, 1), 1), ((2, 3, 2, 2), 1),
                                         ((3, 2, 4, 1, 2), "2*z"), ((2, 2, 2, 2), "-z/3")])
def test_linear_kernel_agrees_with_the_fft_route(widths, act):
    arch = nagviz.Architecture(widths, act)
    fast, generic = arch.coefficient_map(), CoefficientMap(arch)
    assert isinstance(fast, LinearKernel)
    rng = np.random.default_rng(1)
    theta = rng.standard_normal((5, arch.n_parameters))
    A = rng.standard_normal((arch.ambient_dimension, arch.ambient_dimension))
    b = rng.standard_normal(arch.ambient_dimension)
    c1, J1 = fast.coefficients_and_jacobian(theta)
    c2, J2 = generic.coefficients_and_jacobian(theta)
    np.testing.assert_allclose(c1, c2, atol=1e-12)
    np.testing.assert_allclose(J1, J2, atol=1e-12)
    L1, g1 = fast.loss_gradient(theta, A, b)
    L2, g2 = generic.loss_gradient(theta, A, b)
    np.testing.assert_allclose(L1, L2, rtol=1e-12)
    np.testing.assert_allclose(g1, g2, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(fast.coefficients(theta + 0.5j), generic.coefficients(theta + 0.5j),
                               atol=1e-12)


def test_linear_kernel_is_the_matrix_product():
    arch = nagviz.Architecture((2, 3, 2), 1)           # shallow: the closed-form kernel stays
    assert not isinstance(arch.coefficient_map(), LinearKernel)
    deep = nagviz.Architecture((2, 1, 3, 2), 1)
    theta = np.arange(1.0, deep.n_parameters + 1)
    W = deep.split(theta)
    np.testing.assert_array_equal(deep.coefficient_map().coefficients(theta[None])[0],
                                  (W["W3"] @ W["W2"] @ W["W1"]).ravel())


@pytest.mark.parametrize("widths, r", [((1, 1, 1, 1), 1), ((2, 2, 1), 2), ((2, 2, 2, 1), 3),
                                       ((2, 2, 2), 1)])
def test_batched_balance_is_row_by_row_balance(widths, r):
    arch = nagviz.Architecture(widths, r)
    theta = np.random.default_rng(0).standard_normal((30, arch.n_parameters))
    rows = np.array([balance(arch, t) for t in theta])
    np.testing.assert_array_equal(balance(arch, theta), rows)
    cq = nagviz.conservation.conserved_quantities(arch)
    if r >= 2:
        assert np.abs(cq.values(rows)).max() < 1e-9 * np.abs(cq.scales(rows)).max()


def test_balanced_experiment_runs_come_back_from_disk_unchanged():
    arch = nagviz.Architecture((1, 1, 1, 1), 1)
    kwargs = dict(runs=40, lr=0.01, steps=300, init_scale=0.5, seed=3)
    ex = balanced_initialization_experiment(arch, **kwargs)
    again = _from_disk(_balanced_runs,
                       lambda: balanced_initialization_experiment(arch, **kwargs))
    assert again.fit_rate == ex.fit_rate and again.median_steps == ex.median_steps
    for name in ("Gaussian", "balanced"):
        np.testing.assert_array_equal(again.finals[name], ex.finals[name])
        np.testing.assert_array_equal(again.starts[name], ex.starts[name])
        np.testing.assert_array_equal(again.steps_to_fit[name], ex.steps_to_fit[name])
    np.testing.assert_array_equal(again.targets, ex.targets)


def test_balanced_experiment_is_two_separate_descents():
    """One loop for both starts gives what two separate loops give."""
    arch = nagviz.Architecture((2, 2, 1), 2)
    ex = balanced_initialization_experiment(arch, runs=20, lr=0.01, steps=200, seed=1)
    for name in ("Gaussian", "balanced"):
        run = nagviz.conservation.gradient_descent(arch, ex.starts[name], np.eye(3), ex.targets,
                                                   lr=0.01, steps=200, record_every=10)
        np.testing.assert_allclose(run.final, ex.finals[name], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(run.losses[-1], ex.final_losses[name], rtol=1e-9, atol=1e-15)


def test_exact_numbers_round_trip():
    for v in (sympy.Rational(-3, 7), sympy.sqrt(2), 1 - sympy.sqrt(3) / 2, sympy.Integer(5)):
        back = _from_exact(_to_exact(v))
        assert sympy.simplify(back - v) == 0 or abs(float(back) - float(v)) < 1e-30


def test_finite_fiber_comes_back_from_disk_unchanged():
    arch = nagviz.Architecture((2, 2, 1), "z^3 + z")
    theta = [1, 2, -1, 3, 2, -1]
    ff = finite_fiber(arch, theta)
    assert (ff.complex_count, ff.real_count, ff.permutation_images) == (8, 8, 2)
    again = _from_disk(_solve_fiber, lambda: finite_fiber(arch, theta))
    assert again.points == ff.points and again.complex_count == ff.complex_count
    # each point computes the function of theta (checked with exact coefficients)
    coeffs, t = nagviz.fibers.symbolic_coefficients(arch)
    value = [c.subs(dict(zip(t, theta))) for c in coeffs]
    for point in again.points:
        assert [sympy.expand(c.subs(dict(zip(t, point)))) for c in coeffs] == value


def test_fiber_search_comes_back_from_disk_unchanged():
    arch = nagviz.Architecture((2, 2, 1), "z^3 + z^2")
    s = search_fiber(arch, [1, 2, -1, 3, 2, -1], restarts=40, seed=0)
    again = _from_disk(_search, lambda: search_fiber(arch, [1, 2, -1, 3, 2, -1], restarts=40,
                                                     seed=0))
    assert (again.points, again.exact, again.converged, again.permutation_images) == \
        (s.points, s.exact, s.converged, s.permutation_images)


def test_ed_degree_is_read_back_from_disk_in_a_new_process_state():
    a, b, c, d = sympy.symbols("a b c d")
    G = gram_matrix("random", 4, seed=1)
    r = ed_degree(a * d - b * c, (a, b, c, d), G, seed=1)
    assert r.n_complex == 6
    again = _from_disk(solve_zero_dimensional,
                       lambda: ed_degree(a * d - b * c, (a, b, c, d), G, seed=1))
    assert (again.n_complex, again.n_distinct, again.real_points) == \
        (r.n_complex, r.n_distinct, r.real_points)


def test_ed_degree_multiplier_does_not_clash_with_the_variables():
    lam, x = sympy.symbols("lam_ x")
    r = ed_degree(lam * x - 1, (lam, x), target=(1, 2))      # a hyperbola: ED degree 4
    assert r.n_complex == 4


def _plain_descent(f, grad_phi, G, t, W, lr, steps):
    """Gradient descent one run at a time, from the hand-written gradient."""
    out = []
    for w in W:
        w = w.copy()
        for _ in range(steps):
            r = f(w) - t
            w = w - lr * 2 * grad_phi(w).T @ (G @ r)
        out.append(w)
    return np.array(out)


def test_descent_runs_match_a_plain_per_run_loop():
    G = np.array(gram_matrix("bombieri"), dtype=float)
    t = np.array([1.0, 0.5, 0.5])
    f = lambda w: np.array([w[0] ** 2, 2 * w[0] * w[1], w[1] ** 2])  # noqa: E731
    J = lambda w: np.array([[2 * w[0], 0], [2 * w[1], 2 * w[0]], [0, 2 * w[1]]])  # noqa: E731
    runs = _descent_runs(NAPPE, tuple(sympy.Rational(x) for x in ("1", "1/2", "1/2")),
                         tuple(tuple(row) for row in gram_matrix("bombieri").tolist()),
                         5, (0,), 0.02, 200, 1.0)
    W0 = np.random.default_rng(0).normal(0.0, 1.0, size=(5, 2))
    np.testing.assert_allclose(runs["final"], _plain_descent(f, J, G, t, W0, 0.02, 200),
                               rtol=1e-10, atol=1e-12)


def test_descent_outcomes_come_back_from_disk_unchanged():
    out = descent_outcomes(BENT_NEURON, (1, -0.5), "gaussian", n_runs=30, seeds=(0, 1),
                           lr=0.01, steps=300)
    again = _from_disk(_descent_runs, lambda: descent_outcomes(
        BENT_NEURON, (1, -0.5), "gaussian", n_runs=30, seeds=(0, 1), lr=0.01, steps=300))
    np.testing.assert_array_equal(again.counts, out.counts)
    np.testing.assert_array_equal(again.final, out.final)


def test_drift_study_comes_back_from_disk_unchanged():
    from nagviz.conservation import _drift_runs, drift_study

    arch = nagviz.Architecture((2, 1, 1), 2)
    st = drift_study(arch, [0.01, 0.001], time=0.5, runs_per_seed=10, seeds=(0, 1))
    again = _from_disk(_drift_runs, lambda: drift_study(arch, [0.01, 0.001], time=0.5,
                                                        runs_per_seed=10, seeds=(0, 1)))
    np.testing.assert_array_equal(again.drifts, st.drifts)
    np.testing.assert_array_equal(again.diverged, st.diverged)
    assert again.slope == st.slope and 0.8 < st.slope < 1.2

"""The quadratic network (2, 2, 1): training stops on the cone (nagviz.rank_one_trap)."""

import numpy as np
import pytest

from nagviz.rank_one_trap import (binary_quadratic_eigenvalues, cone_coordinates,
                                  rank_one_trap_experiment)


def test_cone_coordinates_and_eigenvalues():
    f = np.array([[1.0, 2.0, 1.0], [1.0, 0.0, -1.0], [2.0, 1.0, 3.0]])
    q, r, p = cone_coordinates(f).T
    on_cone = np.isclose(f[:, 1] ** 2, 4 * f[:, 0] * f[:, 2])
    assert np.array_equal(np.isclose(p**2, q**2 + r**2), on_cone)
    lam = binary_quadratic_eigenvalues(f)
    for row, (l1, l2) in zip(f, lam):
        S = np.array([[row[0], row[1] / 2], [row[1] / 2, row[2]]])
        np.testing.assert_allclose(np.linalg.eigvalsh(S)[::-1], [l1, l2])


@pytest.fixture(scope="module")
def traps():
    return {"gd": rank_one_trap_experiment(n_runs=120, seed=0),
            "lm": rank_one_trap_experiment(n_runs=120, seed=0, method="lm", steps=300)}


def test_gradient_descent_stops_on_the_cone_short_of_an_exact_fit(traps):
    r = traps["gd"]
    assert r.fraction_trapped > 0.1                 # the network always fits exactly
    trapped = r.trapped
    assert np.all(r.relative_loss[trapped] > 10 * r.fit_tolerance)   # short of the target
    assert np.median(r.relative_loss[trapped]) > 0.2
    assert np.all(r.cone_distance[-1, trapped] < 1e-3)   # ... and on the cone
    assert np.all(r.relative_loss[r.outcome == "fit"] < 1e-3)
    assert sum(r.counts.values()) == r.n_runs
    # both ways to stop: a neuron switched off, and two parallel (merged) neurons
    assert r.counts["one neuron off"] > 0 and r.counts["parallel neurons"] > 0


def test_sign_locking_by_the_conserved_quantity_is_a_sufficient_condition(traps):
    """||w_j||^2 - 2 v_j^2 < 0 keeps v_j's sign; when the locked signs cannot match the
    signs of the target's eigenvalues, the run is trapped (on seed 0: every such run)."""
    r = traps["gd"]
    predicted = r.sign_locked
    # by hand for one run: both neurons locked with the same sign, target indefinite
    lam, v0, kappa = r.target_eigenvalues, r.out_weights[0], r.conserved
    by_hand = (kappa < 0).all(axis=1) & (np.sign(v0[:, 0]) == np.sign(v0[:, 1])) & \
        (lam[:, 0] > 0) & (lam[:, 1] < 0)
    assert np.all(predicted[by_hand])
    assert predicted.sum() > 5
    assert np.all(r.trapped[predicted])
    # conserved by gradient flow; gradient descent drifts by O(step size)
    drift = {}
    for lr, steps in ((0.01, 5000), (0.002, 25000)):
        run = r if lr == 0.01 else rank_one_trap_experiment(n_runs=120, seed=0, lr=lr,
                                                            steps=steps)
        W, v = run.in_norms, run.out_weights
        kappa = W**2 - 2 * v**2
        drift[lr] = np.abs(kappa[-1] - kappa[0]) / (W[0] ** 2 + 2 * v[0] ** 2)
    assert np.median(drift[0.01]) < 0.01 and np.median(drift[0.002]) < 0.2 * np.median(drift[0.01])


def test_levenberg_marquardt_also_stops_at_parallel_neurons(traps):
    lm = traps["lm"]
    assert lm.counts["parallel neurons"] > 0 and lm.counts["one neuron off"] == 0

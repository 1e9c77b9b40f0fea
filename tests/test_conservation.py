"""Conserved quantities of gradient flow (nagviz.conservation)."""

from __future__ import annotations

import numpy as np
import pytest

import nagviz
from nagviz.cnn import CNNArchitecture
from nagviz.conservation import (balance, balanced_initialization_experiment,
                                 conserved_quantities, drift_study, gradient_descent,
                                 gradient_flow, hyperboloid_mesh, relative_drift)


def _neuron_balances(arch, theta):
    """||w_in||^2 - r ||w_out||^2 per hidden neuron, from the weight matrices directly."""
    blocks = arch.split(np.asarray(theta, dtype=float))
    r = arch.activation.degree
    out = []
    for layer in range(1, arch.depth):
        W_in, W_out = blocks[f"W{layer}"], blocks[f"W{layer + 1}"]
        for j in range(W_in.shape[0]):
            out.append(W_in[j] @ W_in[j] - r * W_out[:, j] @ W_out[:, j])
    return np.array(out)


@pytest.mark.parametrize("widths, r", [((2, 3, 1), 3), ((2, 2, 2, 1), 2), ((3, 2, 2), 4)])
def test_monomial_networks_conserve_the_neuron_balance(widths, r):
    arch = nagviz.Architecture(widths, r)
    theta = arch.random_parameters(seed=3)
    cq = conserved_quantities(arch)
    assert len(cq) == arch.hidden_neurons
    np.testing.assert_allclose(cq.values(theta), _neuron_balances(arch, theta), rtol=1e-12)


def test_linear_network_conserves_the_layer_imbalance_matrix():
    arch = nagviz.Architecture((3, 2, 2), 1)
    theta = arch.random_parameters(seed=1)
    W1, W2 = (arch.split(theta)[k] for k in ("W1", "W2"))
    M = W1 @ W1.T - W2.T @ W2                      # = -(W_2^T W_2 - W_1 W_1^T)
    cq = conserved_quantities(arch)
    assert len(cq) == 3                            # a symmetric 2 x 2 matrix
    expected = sorted([M[0, 0], M[0, 1], M[1, 1]])
    np.testing.assert_allclose(sorted(cq.values(theta)), expected, rtol=1e-12)


def test_cnn_conserves_filter_balance():
    cnn = CNNArchitecture((3, 2), 2)
    theta = cnn.random_parameters(seed=0)
    (q,) = conserved_quantities(cnn).values(theta)
    assert q == pytest.approx(theta[:3] @ theta[:3] - 2 * theta[3:] @ theta[3:])


def test_generic_activation_has_no_quadratic_conserved_quantity():
    assert len(conserved_quantities(nagviz.Architecture((2, 2, 1), "z^3 + z^2"))) == 0
    with pytest.raises(ValueError, match="no quadratic conserved quantity"):
        drift_study(nagviz.Architecture((2, 2, 1), "z^3 + z^2"), [0.01])


def _setup(seed=0, runs=40):
    arch = nagviz.Architecture((2, 2, 1), 2)
    rng = np.random.default_rng(seed)
    return arch, rng.standard_normal((runs, 6)), rng.standard_normal((runs, 3))


def test_gradient_flow_conserves_to_one_part_in_a_million_while_the_loss_drops():
    arch, theta0, b = _setup()
    flow = gradient_flow(arch, theta0, np.eye(3), b, time=1.0)
    drift = relative_drift(conserved_quantities(arch), theta0, flow.final)
    assert drift.max() < 1e-6
    assert np.median(flow.losses[-1]) < 0.05 * np.median(flow.losses[0])


def test_small_steps_conserve_and_large_steps_do_not():
    arch, theta0, b = _setup()
    cq = conserved_quantities(arch)
    small = gradient_descent(arch, theta0, np.eye(3), b, lr=1e-7, steps=2000)
    assert relative_drift(cq, theta0, small.final).max() < 1e-6
    assert np.all(small.losses[-1] < small.losses[0])            # it did train
    large = gradient_descent(arch, theta0, np.eye(3), b, lr=0.02, steps=50)
    drift = relative_drift(cq, theta0, large.final)
    assert np.median(drift[~large.diverged]) > 1e-2


def test_one_step_changes_q_by_exactly_lr_squared_g_s_g():
    arch, theta0, b = _setup(runs=10)
    cq = conserved_quantities(arch)
    lr = 0.05
    _, g = arch.coefficient_map().loss_gradient(theta0, np.eye(3), b)
    theta1 = theta0 - lr * g
    predicted = lr ** 2 * np.einsum("bp,kpq,bq->bk", g, cq.matrices, g)
    np.testing.assert_allclose(cq.values(theta1) - cq.values(theta0), predicted,
                               rtol=1e-9, atol=1e-12)
    # ... because the gradient is orthogonal to every symmetry direction (Noether)
    for t, gt in zip(theta0, g):
        assert np.abs(arch.symmetry_directions(t) @ gt).max() < 1e-10 * np.abs(gt).max()


def test_drift_is_proportional_to_the_step_size_over_seeds():
    st = drift_study(nagviz.Architecture((2, 2, 1), 2), [0.01, 0.003, 0.001], time=1.0,
                     runs_per_seed=50, seeds=(0, 1, 2, 3))
    assert st.drifts.shape == (3, 200)
    assert 0.85 < st.slope < 1.25
    med = st.medians()
    assert med[0] > med[1] > med[2] > 0
    assert "log-log slope" in repr(st)


def test_balance_keeps_the_function_and_zeroes_the_quantities():
    for arch in (nagviz.Architecture((2, 3, 1), 2), nagviz.Architecture((2, 2, 2, 1), 3),
                 CNNArchitecture((2, 3, 2), 2)):
        theta = arch.random_parameters(seed=4)
        bal = balance(arch, theta)
        cq = conserved_quantities(arch)
        assert np.abs(cq.values(bal)).max() < 1e-9 * cq.scales(bal).max()
        c0, c1 = nagviz.coefficients(arch, theta), nagviz.coefficients(arch, bal)
        assert np.abs(c0 - c1).max() < 1e-9 * max(1.0, np.abs(c0).max())
        assert np.abs(bal - theta).max() > 1e-3
    with pytest.raises(ValueError, match="no rescaling symmetry"):
        balance(nagviz.Architecture((2, 2, 1), "z^3 + z^2"), np.ones(6))


def test_balanced_start_fits_less_often():
    ex = balanced_initialization_experiment(nagviz.Architecture((2, 2, 1), 2), runs=200,
                                            steps=2000, lr=0.01, seed=0)
    (g, (g_lo, g_hi)), (bl, (b_lo, b_hi)) = ex.fit_rate["Gaussian"], ex.fit_rate["balanced"]
    assert g_lo > b_hi                       # disjoint 95% Wilson intervals
    assert 0.3 < bl < g < 0.9
    assert "Wilson" in repr(ex)


def test_hyperboloid_mesh_lies_on_the_level_set():
    for kappa in (1.0, 0.0, -0.5):
        P, Q, V = hyperboloid_mesh(kappa, r=2, n=12)
        err = np.nanmax(np.abs(P ** 2 + Q ** 2 - 2 * V ** 2 - kappa))
        assert err < 1e-12


def test_bad_inputs_give_clear_errors():
    arch = nagviz.Architecture((2, 2, 1), 2)
    with pytest.raises(ValueError, match="shape"):
        gradient_descent(arch, np.ones(5), np.eye(3), np.zeros(3), lr=0.1, steps=1)
    with pytest.raises(ValueError, match="lr must be positive"):
        gradient_descent(arch, np.ones(6), np.eye(3), np.zeros(3), lr=-1, steps=1)
    with pytest.raises(ValueError, match="parameters"):
        conserved_quantities(arch).values(np.ones(4))


def test_balanced_scalar_linear_network_locks_the_sign_of_the_slope():
    ex = balanced_initialization_experiment(nagviz.Architecture((1, 1, 1, 1), 1), runs=200,
                                            lr=0.01, steps=1500, init_scale=0.5, seed=0)
    same = np.sign(ex.starts["balanced"].prod(axis=1)) == np.sign(ex.targets[:, 0])
    fitted = ex.final_losses["balanced"] < ex.fit_tol
    assert not fitted[~same].any()                       # the other sign is never reached
    assert fitted[same].mean() > 0.8
    assert ex.fit_rate["Gaussian"][1][0] > ex.fit_rate["balanced"][1][1]
    assert ex.median_steps["balanced"] < ex.median_steps["Gaussian"]
    # the starts have the same functions
    for name in ("Gaussian", "balanced"):
        assert ex.starts[name].shape == (200, 3)
    np.testing.assert_allclose(ex.starts["Gaussian"].prod(axis=1),
                               ex.starts["balanced"].prod(axis=1), rtol=1e-9)

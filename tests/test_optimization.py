"""Gradient descent and Levenberg-Marquardt in function space (nagviz.optimization)."""

import numpy as np

from nagviz import Architecture, coefficients
from nagviz.optimization import gradient_descent, levenberg_marquardt, train, unit_contributions
from nagviz.units import hidden_units

MLP = Architecture((2, 2, 1), "z^3 + z^2")


def test_unit_contributions_see_a_switched_off_neuron():
    u = unit_contributions(MLP, [[1.0, 2.0, 0.0, 0.0, 1.0, 3.0], [1.0, 2.0, 1.0, -1.0, 1.0, 0.0],
                                 [1.0, 2.0, 1.0, -1.0, 1.0, 2.0]])
    assert u[0, 1] == 0.0 and u[1, 1] == 0.0 and u[2].min() > 0.1


def test_gradient_descent_decreases_the_loss_and_conserves_balance():
    """sigma = z^2: each hidden neuron conserves ||w_in||^2 - 2 ||w_out||^2 under gradient
    flow (MATH.md); small steps conserve it approximately."""
    arch = Architecture((2, 2, 1), 2)
    run = gradient_descent(arch, n_runs=3, lr=1e-4, steps=3000, seed=1, init_scale=0.7)
    assert np.all(np.diff(run.history_loss, axis=0) <= 1e-12)
    for unit in hidden_units(arch):
        def balance(th):
            return (th[..., list(unit.incoming)] ** 2).sum(-1) \
                - 2 * (th[..., list(unit.outgoing)] ** 2).sum(-1)
        drift = np.abs(balance(run.theta) - balance(run.theta_init))
        assert drift.max() < 0.02 * np.abs(run.theta_init).max() ** 2


def test_levenberg_marquardt_fits_a_realizable_target():
    star = np.array([1.0, -0.5, 0.3, 1.2, 0.8, -1.1])
    target = coefficients(MLP, star)[0]
    run = levenberg_marquardt(MLP, target, n_runs=5, steps=200, seed=0)
    assert run.loss.min() < 1e-16


def test_training_records_trajectories_and_reports_progress():
    calls = []
    run = train(MLP, n_runs=2, steps=400, record_every=100, lr=1e-3, seed=3,
                progress=lambda done, total: calls.append((done, total)))
    assert run.history_steps.tolist() == [0, 100, 200, 300, 400]
    assert run.history_coefficients.shape == (5, 2, 7)
    assert run.history_units.shape == (5, 2, 2)
    assert calls[-1] == (400, 400)
    assert "gradient descent" in repr(run) and "seed 3" in repr(run)

"""Best fits by Levenberg-Marquardt restarts (nagviz.best_approximation)."""

import numpy as np

from nagviz import Architecture
from nagviz.best_approximation import best_fit
from nagviz.inner_products import sample_targets

MLP = Architecture((2, 2, 1), "z^3 + z^2")


def test_best_fit_of_a_subnetwork_is_never_better_than_the_full_network():
    targets = sample_targets(MLP, 6, seed=2)
    full = best_fit(MLP, targets, restarts=8)
    sub = best_fit(MLP, targets, restarts=8, frozen_units=[1])
    assert np.all(full.loss <= sub.loss * (1 + 1e-6))
    assert np.all(sub.theta[:, [2, 3, 5]] == 0.0)

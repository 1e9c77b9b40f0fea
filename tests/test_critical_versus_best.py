"""Critical is not best (nagviz.critical_versus_best)."""

import numpy as np

from nagviz import Architecture
from nagviz.cnn import CNNArchitecture
from nagviz.critical_versus_best import best_fit_is_subnetwork_fraction


def test_mlp_subnetworks_are_critical_and_traps_but_never_the_best_fit():
    r = best_fit_is_subnetwork_fraction(Architecture((2, 2, 1), "z^3 + z^2"), n_targets=20,
                                        restarts=10)
    assert r.fraction_best_fit == 0.0
    assert r.fraction_critical >= 0.75  # the rest: subnetwork fits drifting to infinity
    assert r.fraction_second_order_minimum > 0.0
    assert np.all(r.relative_gap > 0.1)
    assert "critical" in repr(r)


def test_cnn_sparse_filters_are_not_critical():
    r = best_fit_is_subnetwork_fraction(CNNArchitecture((2, 2), "z^3 + z^2"), n_targets=12,
                                        restarts=8)
    assert r.fraction_critical == 0.0
    assert r.fraction_second_order_minimum == 0.0

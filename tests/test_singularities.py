"""Singular points, subnetworks, Voronoi cells and critical exposure (nagviz.singularities)."""

import math

import numpy as np
import pytest

from nagviz import Architecture
from nagviz.cnn import CNNArchitecture
from nagviz.dimension import jacobian_mod_p
from nagviz.singularities import (CROSSING_LINES, CUSP, NODE, best_fit_is_subnetwork_fraction,
                                  cone_vertex_voronoi, dead_neuron_point, escape_direction,
                                  loss_gradient, loss_hessian, merge_path,
                                  nearest_point_on_curve, rank_along_path,
                                  singular_voronoi_grid, switch_off_path, tangent_rank)
from nagviz.training import hidden_units, sample_targets

TS = [0, 0.25, 0.5, 0.75, 1]


# ---------------------------------------------------------------------------------
# tangent ranks: the rank drops exactly at the subnetworks
# ---------------------------------------------------------------------------------
def test_321_rank_drops_exactly_at_one_neuron_networks():
    arch = Architecture((3, 2, 1), 2)
    theta = [1, 2, 3, 1, -1, 2, 1, 1]
    assert tangent_rank(arch, theta).rank == 5 == tangent_rank(arch, theta).generic_rank
    off = rank_along_path(arch, switch_off_path(arch, theta, 1, 1), ts=TS)
    assert off.ranks == (5, 5, 5, 5, 3) and off.drops == [1.0]
    merged = rank_along_path(arch, merge_path(arch, theta, 1, 0, 1), ts=TS)
    assert merged.ranks == (5, 5, 5, 5, 3)
    # only the outgoing weight zero: the neuron is off, but its direction still moves
    assert tangent_rank(arch, [1, 2, 3, 1, -1, 2, 1, 0]).rank == 4


def test_cone_211_ranks_at_the_vertex():
    """v (a x + b y)^2: generic rank 2; the vertex (zero function) is reached with rank 1
    (v = 0, (a, b) != 0) or rank 0 (a = b = 0)."""
    cone = Architecture((2, 1, 1), 2)
    ranks = [tangent_rank(cone, t).rank for t in ([1, 2, 3], [1, 2, 0], [0, 0, 3], [0, 0, 0])]
    assert ranks == [2, 1, 0, 0]


def test_linear_network_rank_drops_at_lower_rank_matrices():
    """(3, 2, 3) linear: 3x3 matrices of rank <= 2, a hypersurface of dimension 8, singular
    at rank <= 1. Merging the two hidden neurons makes W1 rank 1; switching one off makes
    both factors rank 1."""
    arch = Architecture((3, 2, 3), 1)
    theta = [2, -1, 3, 1, 4, -2, 1, 0, 2, -3, 1, 1]
    assert tangent_rank(arch, theta).rank == 8
    assert rank_along_path(arch, merge_path(arch, theta, 1, 0, 1), ts=TS).ranks == (8,) * 4 + (7,)
    assert rank_along_path(arch, switch_off_path(arch, theta, 1, 0), ts=TS).ranks[-1] == 5


def test_filling_linear_network_has_no_rank_drop_when_merging():
    # (3, 2, 2): all 2x3 matrices (smooth); W2 invertible keeps the differential onto
    arch = Architecture((3, 2, 2), 1)
    theta = [2, -1, 3, 1, 4, -2, 1, 2, -1, 3]
    assert rank_along_path(arch, merge_path(arch, theta, 1, 0, 1), ts=[0, 1]).ranks == (6, 6)


def test_float_rank_agrees_with_exact_at_generic_and_special_points():
    arch = Architecture((3, 2, 1), 2)
    for theta in ([1, 2, 3, 1, -1, 2, 1, 1], [1, 2, 3, 0, 0, 0, 1, 0]):
        assert tangent_rank(arch, theta, exact=False).rank == tangent_rank(arch, theta).rank


def test_deep_network_rank_drops_when_a_neuron_is_switched_off():
    arch = Architecture((2, 2, 2, 1), 2)
    theta = [1, 2, -1, 1, 3, -2, 1, 1, 2, -1]
    for layer, neuron in ((1, 1), (2, 0)):
        ranks = rank_along_path(arch, switch_off_path(arch, theta, layer, neuron), ts=[0, 0.5, 1])
        assert ranks.ranks[0] == ranks.ranks[1] == ranks.generic_rank > ranks.ranks[2]


def test_cnn_rank_does_not_drop_at_sparse_filters_only_at_the_zero_filter():
    cnn = CNNArchitecture((2, 2), "z^3 + z^2")
    theta = [1, 2, 3, -1]
    assert tangent_rank(cnn, theta).rank == 4
    for i in range(4):
        sparse = list(theta)
        sparse[i] = 0
        assert tangent_rank(cnn, sparse).rank == 4
    assert tangent_rank(cnn, [0, 0, 3, -1]).rank == 0


def test_exact_points_accept_fractions_and_reject_garbage():
    from fractions import Fraction

    arch = Architecture((2, 1, 1), 2)
    assert tangent_rank(arch, [Fraction(1, 3), Fraction(2, 7), 5]).rank == 2
    with pytest.raises(TypeError):
        tangent_rank(arch, ["a", 1, 2])
    with pytest.raises(ValueError, match="hidden layer"):
        switch_off_path(arch, [1, 2, 3], 2, 0)


# ---------------------------------------------------------------------------------
# Voronoi cells in the plane and of the cone
# ---------------------------------------------------------------------------------
def test_cusp_voronoi_cell_has_positive_area_node_and_lines_do_not():
    cusp = singular_voronoi_grid(CUSP, resolution=121)
    assert cusp.fraction > 0.2 and cusp.mask.shape == (121, 121)
    for curve in (NODE, CROSSING_LINES):
        grid = singular_voronoi_grid(curve, resolution=121)
        assert grid.fraction < 1e-3  # the singular point alone (one grid point at most)


def test_cusp_cell_contains_the_targets_behind_the_cusp():
    # behind the cusp (x < 0, y = 0) the cusp is nearest; in front of it it is not
    for a in (-0.1, -1.0, -3.0):
        assert nearest_point_on_curve(CUSP, (a, 0.0)).is_singular
    for a in (0.05, 1.0):
        assert not nearest_point_on_curve(CUSP, (a, 0.0)).is_singular


@pytest.mark.parametrize("curve", [CUSP, NODE, CROSSING_LINES], ids=lambda c: c.name)
def test_nearest_points_agree_with_brute_force(curve):
    rng = np.random.default_rng(0)
    ts = np.linspace(-3, 3, 60001)
    points = np.concatenate(curve.sample(ts), axis=1)
    for target in rng.uniform(-2, 2, (40, 2)):
        got = nearest_point_on_curve(curve, target)
        brute = np.hypot(*(points - target[:, None])).min()
        assert got.distance <= brute + 1e-9
        assert got.distance >= brute - 1e-3  # the brute force grid is only so fine


def test_cone_vertex_voronoi_double_cone_vs_one_nappe():
    assert cone_vertex_voronoi("double", n_samples=4000).fraction == 0.0
    nappe = cone_vertex_voronoi("nappe", "bombieri", n_samples=40000, seed=1)
    # a 2x2 GOE matrix is negative semidefinite with probability (2 - sqrt 2) / 4
    assert nappe.exact_fraction == pytest.approx((2 - math.sqrt(2)) / 4)
    assert abs(nappe.fraction - nappe.exact_fraction) < 0.01
    assert cone_vertex_voronoi("nappe", "euclidean", n_samples=4000).fraction > 0.05


def test_cone_vertex_voronoi_nappe_is_the_polar_cone():
    # -(x^2 + y^2) is negative definite: nearest point of the psd nappe is the vertex;
    # x^2 - y^2 is indefinite: it is not
    r = cone_vertex_voronoi("nappe", targets=[[-1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])
    assert r.is_vertex.tolist() == [True, False]


# ---------------------------------------------------------------------------------
# dead neurons: gradient and Hessian vanish in their directions
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("widths, act, layer", [
    ((2, 2, 1), "z^3 + z^2", 1), ((3, 3, 1), 2, 1), ((2, 3, 2, 1), 2, 1), ((2, 3, 2, 1), 2, 2),
])
def test_gradient_vanishes_in_a_switched_off_neuron_for_every_target(widths, act, layer):
    arch = Architecture(widths, act)
    sub_widths = list(widths)
    sub_widths[layer] -= 1
    sub = Architecture(tuple(sub_widths), act)
    unit = [u for u in hidden_units(arch) if u.layer == layer][0]
    for seed in range(3):
        rng = np.random.default_rng(seed)
        theta = dead_neuron_point(arch, sub.random_parameters(seed=seed), layer, 0)
        X, Y = rng.standard_normal((15, widths[0])), rng.standard_normal((15, widths[-1]))
        g = loss_gradient(arch, theta, X, Y)
        assert np.all(g[list(unit.parameters)] == 0.0)
        assert np.abs(g).max() > 0  # the other coordinates are not critical
        t = sample_targets(arch, 1, seed=seed)[0]
        g = loss_gradient(arch, theta, target=t, inner_product="gaussian")
        assert np.all(g[list(unit.parameters)] == 0.0)


def test_switched_off_neuron_columns_of_the_exact_jacobian_vanish():
    arch = Architecture((2, 2, 1), "z^3 + z^2")
    theta = [3, -1, 0, 0, 2, 0]
    X = np.random.default_rng(0).integers(1, 10**6, (12, 2))
    J = jacobian_mod_p(arch, theta, X)
    assert not J[:, [2, 3, 5]].any() and J[:, [0, 1, 4]].any()


def test_hessian_matches_finite_differences_and_is_degenerate_at_a_dead_neuron():
    arch = Architecture((2, 2, 1), "z^3 + z^2")
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((20, 2)), rng.standard_normal(20)
    theta = dead_neuron_point(arch, [0.6, -0.8, 1.3], 1, 1)
    H = loss_hessian(arch, theta, X, Y)
    h = 1e-5
    fd = np.stack([(loss_gradient(arch, theta + h * e, X, Y)
                    - loss_gradient(arch, theta - h * e, X, Y)) / (2 * h) for e in np.eye(6)])
    np.testing.assert_allclose(H, fd, atol=1e-5 * np.abs(H).max())
    dead = [2, 3, 5]
    assert np.abs(H[np.ix_(dead, dead)]).max() < 1e-12 * np.abs(H).max()
    assert np.abs(H[np.ix_(dead, [0, 1, 4])]).max() < 1e-12 * np.abs(H).max()


def test_escape_from_a_dead_neuron_is_third_order():
    arch = Architecture((2, 2, 1), "z^3 + z^2")
    t = sample_targets(arch, 1, seed=5)[0]
    from nagviz.training import best_fit

    sub = best_fit(Architecture((2, 1, 1), "z^3 + z^2"), t, restarts=8)
    theta = dead_neuron_point(arch, sub.theta[0], 1, 1)
    r = escape_direction(arch, theta, hidden_units(arch)[1], target=t)
    assert r.gradient_norm == 0.0
    assert r.order == 3 and r.coefficient < 0
    assert max(abs(e) for e in r.restricted_eigenvalues) < 1e-8 * max(r.hessian_eigenvalues)
    # the loss really goes down along the direction, and only like s^3
    base = float(np.sum((np.asarray(r.loss_polynomial))[:1]))
    poly = np.polynomial.Polynomial(r.loss_polynomial)
    for s in (1e-2, 3e-2):
        assert poly(s) < base
        assert abs(poly(s) - base - r.coefficient * s ** 3) < 0.1 * abs(r.coefficient) * s ** 3


# ---------------------------------------------------------------------------------
# critical is not best
# ---------------------------------------------------------------------------------
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

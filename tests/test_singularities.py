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


# ---------------------------------------------------------------------------------
# (2, 2, 1) with z^3 + z^2: the cubic hypersurface and a slice through subnetworks
# ---------------------------------------------------------------------------------
from nagviz import coefficients  # noqa: E402
from nagviz.singularities import (CORNER, CUBIC_221, QUADRATIC_221,  # noqa: E402
                                  apolarity_matrix_221, binary_quadratic_eigenvalues,
                                  cone_coordinates, network_221_parameters,
                                  neurovariety_221_equation, rank_one_trap_experiment,
                                  singular_slice_221, slice_cross_section_221)


def test_neurovariety_221_is_the_determinant_cubic():
    rng = np.random.default_rng(0)
    f = coefficients(CUBIC_221, rng.standard_normal((50, 6)))[:, 0, :]
    assert np.abs(neurovariety_221_equation(f)).max() < 1e-8
    generic = rng.standard_normal((50, 7))
    assert np.abs(neurovariety_221_equation(generic)).min() > 1e-6
    # a cubic: homogeneous of degree 3 in the coefficients
    assert neurovariety_221_equation(2 * generic[0]) == pytest.approx(
        8 * neurovariety_221_equation(generic[0]))


def test_slice_equation_by_sympy():
    import sympy

    a, b, g = sympy.symbols("alpha beta gamma")
    A, B, C, k0, k1, k2, k3 = 1, g, b, a, 0, b, g   # x^2 + a x^3 + b (y^2 + xy^2) + g (xy + y^3)
    M = sympy.Matrix([[2 * A, B, 2 * C], [6 * k0, 2 * k1, 2 * k2], [2 * k1, 2 * k2, 6 * k3]])
    assert sympy.expand(M.det() - 4 * (6 * a * b**2 - 2 * b**2 - 9 * a * g**2)) == 0
    assert "6 alpha beta^2 - 2 beta^2 - 9 alpha gamma^2" in singular_slice_221().equation


def test_apolarity_rank_drops_exactly_at_subnetworks():
    rng = np.random.default_rng(1)
    for _ in range(10):
        w = rng.standard_normal(2)
        one = coefficients(CUBIC_221, [*w, 0, 0, rng.standard_normal(), 0])[0]
        parallel = coefficients(CUBIC_221, [*w, *(rng.standard_normal() * w),
                                            *rng.standard_normal(2)])[0]
        generic = coefficients(CUBIC_221, rng.standard_normal(6))[0]
        assert [np.linalg.matrix_rank(apolarity_matrix_221(f), tol=1e-9)
                for f in (one, parallel, generic)] == [1, 1, 2]
    # the tangent space there is smaller: exact Jacobian rank 3 of 6 at one neuron
    assert tangent_rank(CUBIC_221, [2, 0, 0, 0, Fraction_(1, 4), 0]).rank == 3
    assert tangent_rank(CUBIC_221, [1, 2, 3, -1, 2, 1]).rank == 6


def Fraction_(p, q):
    from fractions import Fraction

    return Fraction(p, q)


def test_network_221_parameters_finds_real_weights_or_none():
    rng = np.random.default_rng(2)
    for theta in rng.standard_normal((20, 6)):
        f = coefficients(CUBIC_221, theta)[0]
        back = network_221_parameters(f)
        assert back is not None
        np.testing.assert_allclose(coefficients(CUBIC_221, back)[0], f, atol=1e-8)
    # conjugate complex neurons give real coefficients that no real network computes
    w = np.array([1.0, 0.5 + 1.0j])
    theta = np.array([*w, *w.conj(), 0.7 - 0.2j, 0.7 + 0.2j])
    f = coefficients(CUBIC_221, theta[None])[0, 0]
    assert np.abs(f.imag).max() < 1e-12
    assert abs(neurovariety_221_equation(f.real)) < 1e-9
    assert network_221_parameters(f.real) is None
    assert network_221_parameters([1, 0, 1, 0, 1, 0, 0]) is None  # not on the neurovariety


def test_singular_slice_is_singular_along_the_line_of_one_neuron_networks():
    s = singular_slice_221()
    base, dirs = np.array(s.base), np.array(s.directions)
    for X, Y, Z in s.sheets:
        ok = np.isfinite(X)
        pts = s.coefficients(X[ok], Y[ok], Z[ok])
        assert np.abs(neurovariety_221_equation(pts)).max() < 1e-9

    def grad(a, b, g, h=1e-6):
        out = []
        for e in np.eye(3):
            p = np.array([a, b, g]) + h * e
            m = np.array([a, b, g]) - h * e
            out.append((neurovariety_221_equation(base + p @ dirs)
                        - neurovariety_221_equation(base + m @ dirs)) / (2 * h))
        return np.array(out)

    for a in (-0.8, 0.2, 0.9):  # on the axis: F = 0 and grad F = 0 (singular)
        assert abs(neurovariety_221_equation(base + a * dirs[0])) < 1e-12
        assert np.abs(grad(a, 0.0, 0.0)).max() < 1e-6
    sec = slice_cross_section_221(-0.8)
    d = sec["directions"][0]
    assert np.abs(grad(-0.8, 0.5 * d[0], 0.5 * d[1])).max() > 0.1  # smooth off the axis
    assert [slice_cross_section_221(a)["kind"] for a in (-0.5, 0.1, 0.25, 0.6)] == \
        ["node", "isolated point", "isolated point", "node"]
    assert slice_cross_section_221(1 / 3)["kind"] == "double line"


def test_slice_points_marked_real_are_computed_by_real_networks():
    s = singular_slice_221()
    X, Y, Z = s.sheets[0]
    real, ok = s.real[0], np.isfinite(X)
    assert 0.5 < real[ok].mean() < 1.0  # mostly real, with a part only complex weights reach
    for idx in list(zip(*np.nonzero(real)))[::97]:
        f = s.coefficients(X[idx], Y[idx], Z[idx])
        theta = network_221_parameters(f, tolerance=1e-7)
        np.testing.assert_allclose(coefficients(CUBIC_221, theta)[0], f, atol=1e-7)
    # the part only complex weights reach sits next to the pinch point alpha = 1/3; at the
    # pinch point alpha = 0 the double line is a limit of networks, not a network
    alphas = X[ok & ~real & (np.hypot(Y, Z) > 0.1)]
    assert np.all((alphas == 0) | ((alphas > 1 / 3) & (alphas < 0.6)))


def test_corner_is_one_nappe_with_a_fat_cell():
    grid = singular_voronoi_grid(CORNER, resolution=101)
    assert abs(grid.fraction - 0.25) < 0.02          # the quadrant x, y <= 0
    assert nearest_point_on_curve(CORNER, (-0.3, -1.0)).is_singular
    assert not nearest_point_on_curve(CORNER, (0.3, -1.0)).is_singular


# ---------------------------------------------------------------------------------
# the quadratic network (2, 2, 1): training stops on the cone of one-neuron networks
# ---------------------------------------------------------------------------------
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

"""Dead neurons: gradient and Hessian vanish in their directions (nagviz.loss_landscape)."""

import numpy as np
import pytest

from nagviz import Architecture
from nagviz.jacobian_rank import jacobian_mod_p
from nagviz.inner_products import sample_targets
from nagviz.loss_landscape import dead_neuron_point, escape_direction, loss_gradient, loss_hessian
from nagviz.units import hidden_units


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


# --------------------------------------------------------------------------- clip_path_to_box

from nagviz.loss_landscape import clip_path_to_box  # noqa: E402


def test_clip_keeps_a_path_inside_the_box_unchanged():
    P = np.array([[0.0, 0.0], [0.5, -1.0], [1.9, 1.9]])
    clipped = clip_path_to_box(P, [-2, -2], [2, 2])
    assert np.array_equal(clipped.points, P) and not clipped.leaves and clipped.first_exit is None


def test_clip_cuts_a_diverging_path_at_the_boundary():
    # gradient descent on (w1 w2 - 2)^2 with a rate far too large, iterated here by hand
    w, P = np.array([1.5, -0.5]), []
    for _ in range(6):
        P.append(w)
        w = w - 0.8 * 2 * (w[0] * w[1] - 2) * np.array([w[1], w[0]])
    P = np.array(P)
    assert np.abs(P).max() > 1e6                    # it diverges
    clipped = clip_path_to_box(P, [-2, -2], [2, 2])
    finite = clipped.points[np.all(np.isfinite(clipped.points), axis=1)]
    assert np.all(np.abs(finite) <= 2) and clipped.leaves
    k = clipped.first_exit
    assert np.all(np.abs(P[: k + 1]) <= 2) and np.any(np.abs(P[k + 1]) > 2)
    exit_point = clipped.exits[0]
    assert np.isclose(np.abs(exit_point).max(), 2.0)  # on the boundary
    # and on the segment from the last vertex inside to the first outside
    a, b = P[k], P[k + 1]
    t = (exit_point - a) / (b - a)
    assert np.allclose(t, t[0]) and 0 <= t[0] <= 1


def test_clip_breaks_the_line_where_the_path_leaves_and_comes_back():
    clipped = clip_path_to_box([[0, 0], [4, 0], [1, 1], [1, 5]], [-2, -2], [2, 2])
    assert clipped.exits.tolist() == [[2.0, 0.0], [1.0, 2.0]]
    assert np.isnan(clipped.points[2]).all()          # the break in the drawn line
    assert clipped.points[-1].tolist() == [1.0, 2.0]


def test_clip_stops_at_an_overflow_and_refuses_bad_shapes():
    clipped = clip_path_to_box([[0, 0], [1, 1], [np.inf, 0]], [-2, -2], [2, 2])
    assert clipped.points.tolist() == [[0, 0], [1, 1]]
    assert clip_path_to_box([[5, 5], [6, 6]], [-2, -2], [2, 2]).points.shape == (0, 2)
    with pytest.raises(ValueError, match="shape"):
        clip_path_to_box([[0, 0, 0]], [-2, -2], [2, 2])
    with pytest.raises(ValueError, match="lower <= upper"):
        clip_path_to_box([[0, 0]], [2, 2], [-2, -2])

"""Small neuromanifolds (nagviz.neuromanifolds) and the checks of exercises 01.

Independent sources for the expected values: the parameterizations written out by
hand below (not nagviz.coefficients), brute-force grids, and numerical fitting with
restarts (scipy.optimize.least_squares), which can only approach a pair from the
neuromanifold, never beat the computed distance.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import least_squares

from nagviz import Architecture, coefficients
from nagviz.exercises import check, get_exercise, topic_exercises
from nagviz.neuromanifolds import (
    UNREACHED_PAIR,
    ScalarRegression,
    binary_form_parameters,
    distance_to_neuromanifold_222,
    fiber_curves,
    fiber_point,
    format_form,
    jacobian_form,
    matrix_from_slice_coordinates,
    nearest_rank_one_form,
    quadratic_cone_mesh,
    rank_one_slice_mesh,
    reachability_222,
    reachability_margin,
    reachability_slice,
    sample_neuromanifold,
    sample_rank_one_slice,
    slice_coordinates,
)

finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


def network_222(theta):
    """Coefficients of (2, 2, 2) with sigma = z^2, written out by hand: f_i = sum_j V_ij l_j^2."""
    P, V = np.asarray(theta[:4]).reshape(2, 2), np.asarray(theta[4:]).reshape(2, 2)
    U = np.stack([P[:, 0] ** 2, 2 * P[:, 0] * P[:, 1], P[:, 1] ** 2], axis=1)
    return V @ U


def best_fit_222(F, restarts=4, seed=0, max_nfev=400):
    """The smallest residual reached by least squares from random starts."""
    rng = np.random.default_rng(seed)
    best = np.inf
    for _ in range(restarts):
        res = least_squares(lambda th: (network_222(th) - F).ravel(), rng.standard_normal(8),
                            xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=max_nfev)
        best = min(best, float(np.linalg.norm(res.fun)))
    return best


# --------------------------------------------------------------------------- (2, 1, 1) and (2, 2, 1)

def test_sampled_cone_points_satisfy_the_equation():
    pts = sample_neuromanifold(Architecture((2, 1, 1), 2), n=500, seed=3, radius=(0.2, 1.0))
    a, b, c = pts.T
    assert np.allclose(b**2, 4 * a * c, atol=1e-12)
    norms = np.linalg.norm(pts, axis=1)
    assert norms.min() >= 0.2 - 1e-12 and norms.max() <= 1.0 + 1e-12
    # both nappes (v > 0 and v < 0) appear: real networks have output weights of both signs
    assert (a + c > 0).any() and (a + c < 0).any()


def test_width_two_samples_leave_the_cone():
    pts = sample_neuromanifold(Architecture((2, 2, 1), 2), n=500, seed=3)
    a, b, c = pts.T
    off = np.abs(b**2 - 4 * a * c) / np.sum(pts**2, axis=1)
    assert np.mean(off > 0.05) > 0.5
    # definite (b^2 < 4ac) and indefinite (b^2 > 4ac) forms are both reached
    assert (b**2 < 4 * a * c).any() and (b**2 > 4 * a * c).any()


def test_cone_mesh_lies_on_the_cone_and_has_both_nappes():
    a, b, c = quadratic_cone_mesh(height=1.0)
    assert np.allclose(b**2, 4 * a * c)
    assert np.isclose((a + c).min(), -1.0) and np.isclose((a + c).max(), 1.0)


@settings(max_examples=60, deadline=None)
@given(st.tuples(finite, finite, finite), st.integers(2, 4))
def test_width_two_reaches_every_binary_quadratic(form, width):
    theta = binary_form_parameters(np.array(form), width=width)
    got = coefficients(Architecture((2, width, 1), 2), theta)[0]
    assert np.allclose(got, form, atol=1e-12)


def test_random_targets_are_reached_at_width_two_not_one():
    rng = np.random.default_rng(7)
    targets = rng.standard_normal((50, 3))
    theta = binary_form_parameters(targets)
    assert np.allclose(coefficients(Architecture((2, 2, 1), 2), theta)[:, 0], targets)
    res = nearest_rank_one_form(targets)
    off_cone = np.abs(targets[:, 1] ** 2 - 4 * targets[:, 0] * targets[:, 2]) > 1e-3
    assert np.all(res.distance[off_cone] > 1e-6)


def test_nearest_point_of_the_cone_against_a_brute_force_grid():
    rng = np.random.default_rng(11)
    targets = rng.standard_normal((20, 3))
    res = nearest_rank_one_form(targets)
    t = np.linspace(0, np.pi, 200_001)
    U = np.stack([np.cos(t) ** 2, 2 * np.cos(t) * np.sin(t), np.sin(t) ** 2], axis=1)
    d2 = np.sum(targets**2, 1)[:, None] - (targets @ U.T) ** 2 / np.sum(U**2, 1)
    assert np.allclose(res.distance, np.sqrt(d2.min(axis=1)), atol=1e-8)
    assert np.all(res.distance <= np.sqrt(d2.min(axis=1)) + 1e-12)  # never worse than the grid
    # the returned parameters (p, q, v) compute the returned point
    p, q, v = res.parameters.T
    assert np.allclose(np.stack([v * p**2, 2 * v * p * q, v * q**2], 1), res.points)
    assert np.allclose(coefficients(Architecture((2, 1, 1), 2), res.parameters)[:, 0], res.points)


def test_points_on_the_cone_are_their_own_nearest_point():
    pts = sample_neuromanifold(Architecture((2, 1, 1), 2), n=30, seed=5)
    assert np.all(nearest_rank_one_form(pts).distance < 1e-9)


# --------------------------------------------------------------------------- (2, 2, 2)

def test_the_famous_pair_is_not_reached_and_the_identity_pair_is():
    res = reachability_222(UNREACHED_PAIR)
    assert not res.reached and res.rank == 2 and res.margin < 0
    assert res.parameters is None
    assert np.isclose(res.distance, 1 / np.sqrt(3))
    assert "NOT reached" in repr(res) and "no real root" in repr(res)
    near_identity = reachability_222([1.1, 0.1, 0.0], [0.05, -0.1, 0.9])   # near (x^2, y^2)
    assert near_identity.reached and near_identity.residual < 1e-12
    assert np.allclose(coefficients(Architecture((2, 2, 2), 2), near_identity.parameters),
                       near_identity.pair)


def test_jacobian_is_the_determinant_of_the_gradients():
    x, y = sympy.symbols("x y")
    rng = np.random.default_rng(2)
    F = rng.integers(-5, 6, size=(2, 3))
    f1, f2 = (a * x**2 + b * x * y + c * y**2 for a, b, c in F.tolist())
    J = sympy.Poly(sympy.expand(sympy.diff(f1, x) * sympy.diff(f2, y)
                                - sympy.diff(f1, y) * sympy.diff(f2, x)), x, y)
    expected = [J.coeff_monomial(x**2), J.coeff_monomial(x * y), J.coeff_monomial(y**2)]
    assert jacobian_form(F[0], F[1]).tolist() == [float(v) for v in expected]


def test_criterion_agrees_with_the_sign_of_the_jacobian_discriminant():
    F = np.random.default_rng(4).standard_normal((2000, 2, 3))
    J = jacobian_form(F)
    disc = J[:, 1] ** 2 - 4 * J[:, 0] * J[:, 2]
    margin = reachability_margin(F)
    assert np.all(np.sign(margin) == np.sign(disc))
    assert 0.6 < np.mean(margin > 0) < 0.9  # most random pairs are reached, not all


@pytest.mark.parametrize("seed", range(3))
def test_not_reached_pairs_cannot_be_fitted_better_than_their_distance(seed):
    rng = np.random.default_rng(seed)
    F = rng.standard_normal((2, 3))
    while reachability_margin(F) > -0.05:
        F = rng.standard_normal((2, 3))
    d = float(distance_to_neuromanifold_222(F))
    fit = best_fit_222(F, restarts=3, seed=seed)
    assert d > 1e-3
    assert fit >= d - 1e-9            # no real network is closer than the distance
    assert fit <= d + 2e-2            # and fitting gets close to it (the infimum)


def test_famous_pair_fit_stalls_at_one_over_sqrt_three():
    fit = best_fit_222(UNREACHED_PAIR, restarts=3, seed=1)
    assert 1 / np.sqrt(3) - 1e-9 <= fit <= 1 / np.sqrt(3) + 2e-2


def test_reached_pairs_get_checked_witnesses():
    rng = np.random.default_rng(8)
    count = 0
    for _ in range(300):
        F = rng.standard_normal((2, 3))
        res = reachability_222(F)
        if res.reached:
            count += 1
            assert res.residual < 1e-9 and res.distance == 0.0
            assert np.allclose(network_222(res.parameters), F)
    assert count > 150


def test_dependent_and_zero_pairs_are_reached():
    g = np.array([1.0, 0.0, 1.0])                        # x^2 + y^2: positive definite
    for F in ([g, 2 * g], [g, 0 * g], [0 * g, 0 * g], [[1, 0, -1], [-3, 0, 3]]):
        res = reachability_222(F)
        assert res.reached and res.rank < 2 and res.residual < 1e-12
        assert "dimension" in repr(res)


def test_tangent_pair_is_on_the_boundary_not_reached():
    res = reachability_222([1, 0, 0], [0, 1, 0])          # (x^2, xy): J = 2x^2, double root
    assert not res.reached and abs(res.margin) < 1e-12 and res.distance < 1e-9


def test_reachability_is_invariant_under_recombining_the_outputs():
    # (f1, f2) -> A (f1, f2) with A invertible: same plane, same answer
    rng = np.random.default_rng(9)
    for _ in range(50):
        F, A = rng.standard_normal((2, 3)), rng.standard_normal((2, 2))
        assert np.isclose(reachability_margin(F), reachability_margin(A @ F))


def test_distance_is_zero_exactly_on_the_reached_part_of_a_slice():
    sl = reachability_slice(n=41)
    assert np.all(sl.distance[sl.reached] == 0)
    assert np.all(sl.distance[~sl.reached] >= 0)
    S, T = np.meshgrid(sl.s, sl.t)
    assert np.array_equal(sl.reached, T**2 * (4 + S**2) > 1)   # derived by hand
    assert np.allclose(sl.pair(0, 0), UNREACHED_PAIR)


def test_distance_fast_grid_agrees_with_refined():
    F = np.random.default_rng(12).standard_normal((300, 2, 3))
    fine = distance_to_neuromanifold_222(F)
    fast = distance_to_neuromanifold_222(F, n_grid=360, refine=False)
    assert np.all(fast >= fine - 1e-12) and np.allclose(fast, fine, atol=5e-3)


def test_pairs_must_be_pairs_of_triples():
    with pytest.raises(ValueError, match="two binary quadratic forms"):
        reachability_222([1, 0, 0, 1], [0, 1, 0, 1])


# --------------------------------------------------------------------------- linear networks

def test_slice_coordinates_round_trip_and_determinant():
    M = np.random.default_rng(1).standard_normal((100, 2, 2))
    p, q, r, s = slice_coordinates(M).T
    assert np.allclose(matrix_from_slice_coordinates(p, q, r, s), M)
    assert np.allclose(np.linalg.det(M), p**2 + s**2 - q**2 - r**2)


@pytest.mark.parametrize("s", [0.0, 0.3, -0.7])
def test_rank_one_slice_mesh_and_samples_have_rank_one(s):
    q, r, p = rank_one_slice_mesh(s)
    assert np.allclose(np.linalg.det(matrix_from_slice_coordinates(p, q, r, s)), 0)
    pts = sample_rank_one_slice(s, n=200, seed=2)
    assert len(pts) > 20
    M = matrix_from_slice_coordinates(pts[:, 2], pts[:, 0], pts[:, 1], s)
    assert np.allclose(np.linalg.det(M), 0, atol=1e-10)
    assert np.all(np.linalg.matrix_rank(M, tol=1e-9) == 1)


# --------------------------------------------------------------------------- f(x) = w2 w1 x

@pytest.mark.parametrize("c", [2.0, -0.5, 0.0])
def test_fiber_points_all_give_the_same_function(c):
    x = np.linspace(-2, 2, 7)
    for branch in fiber_curves(c, n=40):
        functions = (branch[:, 1] * branch[:, 0])[:, None] * x[None, :]
        assert np.allclose(functions, c * x[None, :])
    for u in np.linspace(-1, 1, 9):
        w1, w2 = fiber_point(c, u)
        assert np.isclose(w1 * w2, c) and w1 > 0


def test_fiber_point_is_balanced_at_half_log_c():
    w = fiber_point(4.0, np.log(4.0) / 2)
    assert np.allclose(w, [2.0, 2.0])


def test_regression_loss_factors_through_the_slope():
    data = ScalarRegression.from_slope(1.3, n=11, noise=0.4, seed=5)
    rng = np.random.default_rng(0)
    w1, w2 = rng.standard_normal(50), rng.standard_normal(50)
    direct = np.mean((np.outer(w1 * w2, data.x) - data.y) ** 2, axis=1)
    assert np.allclose(data.loss(w1, w2), direct)
    c_star = np.polyfit(data.x, data.y, 1, w=None)  # unconstrained fit, for comparison
    assert abs(data.best_slope - np.sum(data.x * data.y) / np.sum(data.x**2)) < 1e-12
    assert np.isfinite(c_star).all()
    # the gradient matches finite differences
    h = 1e-6
    for a, b in zip(w1[:5], w2[:5]):
        fd = [(data.loss(a + h, b) - data.loss(a - h, b)) / (2 * h),
              (data.loss(a, b + h) - data.loss(a, b - h)) / (2 * h)]
        assert np.allclose(data.gradient(a, b), fd, atol=1e-6)


def test_gradient_descent_converges_and_the_loss_decreases():
    data = ScalarRegression.from_slope(1.5)
    path = data.gradient_descent([1.5, -0.5], lr=0.1, steps=300)
    assert path.converged and not path.diverged
    assert np.all(np.diff(path.losses) <= 1e-12)
    assert np.isclose(path.final.prod(), data.best_slope, atol=1e-6)
    assert np.isclose(path.losses[-1], data.min_loss)
    assert "converged" in repr(path)


def test_gradient_descent_from_the_antidiagonal_ends_at_the_saddle():
    data = ScalarRegression.from_slope(1.5)
    path = data.gradient_descent([1.0, -1.0], lr=0.1, steps=400)
    assert np.allclose(path.points[:, 0], -path.points[:, 1])     # stays on the line w1 = -w2
    assert np.allclose(path.final, 0, atol=1e-8)
    assert path.losses[-1] > data.min_loss + 1.0
    fpath = data.function_space_descent(-1.0, lr=0.1, steps=400)
    assert np.isclose(fpath.final[0], data.best_slope)


def test_gradient_descent_diverges_for_a_large_learning_rate():
    data = ScalarRegression.from_slope(1.5)
    path = data.gradient_descent([1.5, 1.5], lr=2.0, steps=100)
    assert path.diverged and not path.converged and len(path.points) < 101
    assert data.function_space_descent(0.0, lr=1.2 / data.second_moment, steps=200).diverged


# --------------------------------------------------------------------------- printing

def test_format_form():
    assert format_form([1, -2, 1]) == "x^2 - 2xy + y^2"
    assert format_form([-1, 0, 0]) == "-x^2"
    assert format_form([0, 1.5, 0], latex=True) == "1.5xy"
    assert format_form([2, 0, 3], latex=True) == "2x^{2} + 3y^{2}"


# --------------------------------------------------------------------------- exercises 01

def test_topic_01_has_at_least_five_exercises():
    ids = [e.id for e in topic_exercises(1)]
    assert len(ids) >= 5 and ids[0] == "01.1"
    for exercise in topic_exercises(1):
        assert exercise.hints, exercise.id
        assert exercise.topic == "01_neuromanifolds"


def test_01_1_counts():
    assert check("01.1", (10, 12))
    assert check("01.1", ["10", 12.0])
    r = check("01.1", (10, 6))
    assert not r and "output" in r.message
    r = check("01.1", (14, 12))
    assert not r and "bias" in r.message
    r = check("01.1", (7, 12))
    assert not r and "neuron" in r.message
    assert check("01.1", ...).status == "unanswered"
    assert check("01.1", "ten").status == "invalid"


def test_01_2_cone_equation():
    a, b, c = sympy.symbols("a b c")
    for answer in (b**2 - 4 * a * c, 4 * a * c - b**2, "b^2 = 4*a*c", sympy.Eq(b**2, 4 * a * c),
                   "2*b**2 - 8*a*c"):
        assert check("01.2", answer), answer
    r = check("01.2", b**2 - a * c)
    assert not r and "cross term" in r.message
    r = check("01.2", a * (b**2 - 4 * a * c))
    assert not r and "factor" in r.message
    r = check("01.2", b**2 + 4 * a * c)
    assert not r and "sign" in r.message.lower()
    r = check("01.2", "b**2 - 4*a*c*x")
    assert not r and "x" in r.message
    r = check("01.2", "b^2 = 4ac")                     # read as a symbol named ac
    assert not r and "a*c" in r.message


def test_01_3_membership():
    expected = get_exercise("01.3").expected
    assert check("01.3", expected)
    assert check("01.3", ["yes" if v else "no" for v in expected])
    flipped = list(expected)
    flipped[1] = not flipped[1]
    r = check("01.3", flipped)
    assert not r and "negative" in r.message
    flipped = list(expected)
    flipped[2] = not flipped[2]
    r = check("01.3", flipped)
    assert not r and "square" in r.message
    flipped = list(expected)
    flipped[4] = not flipped[4]
    r = check("01.3", flipped)
    assert not r and "zero" in r.message


def test_01_4_fiber():
    w1, w2 = sympy.symbols("w1 w2")
    assert check("01.4", w1 * w2 - 3)
    assert check("01.4", "w1*w2 = 3")
    assert check("01.4", "3 - w1 w2")
    r = check("01.4", w1 + w2 - 3)
    assert not r and "multiplies" in r.message
    r = check("01.4", w1 * w2 + 3)
    assert not r and "sign" in r.message.lower()
    r = check("01.4", "w1*w2*x - 3*x")
    assert not r and "x" in r.message


def test_01_5_saddle():
    assert check("01.5", (0, 0))
    assert check("01.5", np.zeros(2))
    r = check("01.5", (np.sqrt(2), np.sqrt(2)))
    assert not r and "line" in r.message
    r = check("01.5", (1, -1))
    assert not r and "moves" in r.message


def test_01_6_reachability_function():
    from nagviz.neuromanifolds import reachability_222 as reference

    def good(f1, f2):
        n = np.cross(f1, f2)
        if np.allclose(n, 0):
            return True
        return n[1] ** 2 > n[0] * n[2]

    assert check("01.6", good)
    assert check("01.6", lambda f1, f2: reference(f1, f2).reached)
    r = check("01.6", lambda f1, f2: True)
    assert not r and "every" in r.message
    r = check("01.6", lambda f1, f2: bool(np.cross(f1, f2)[1] ** 2 >= np.cross(f1, f2)[0] * np.cross(f1, f2)[2]))
    assert not r and "boundary" in r.message

    def forgets_dependent(f1, f2):
        n = np.cross(f1, f2)
        return bool(n[1] ** 2 > n[0] * n[2])

    r = check("01.6", forgets_dependent)
    assert not r and "proportional" in r.message.lower()

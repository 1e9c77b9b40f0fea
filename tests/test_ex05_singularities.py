"""Checks of exercises 05: equivalent forms accepted, each mistake named, junk harmless."""

import numpy as np
import pytest
import sympy

from nagviz.exercises import check, get_exercise
from nagviz.exercises.ex05_singularities import step_05_10

w1, w2, v = sympy.symbols("w1 w2 v")


@pytest.mark.parametrize("exercise, answer", [
    ("05.1", (2, 1, 0)), ("05.1", ["2", 1.0, np.int64(0)]),
    ("05.9", "w1^2 + w2^2 - 3*v^2"), ("05.9", "3 v^2 - w1^2 - w2^2"),
    ("05.9", w1**2 + w2**2 - 3 * v**2), ("05.9", sympy.Rational(1, 3) * (w1**2 + w2**2) - v**2),
    ("05.9", sympy.Symbol("w1", real=True)**2 + w2**2 - 3 * v**2),
    ("05.10", (1, 2)), ("05.10", [1.0, "2"]), ("05.10", (np.float64(1), 2.0000000001)),
])
def test_correct_answers_in_equivalent_forms(exercise, answer):
    assert check(exercise, answer).correct


@pytest.mark.parametrize("exercise, answer, fragment", [
    ("05.9", "w1^2 + w2^2 - 2*v^2", "quantity for $\\sigma(z) = z^2$"),
    ("05.9", "2*v^2 - w1^2 - w2^2", "quantity for $\\sigma(z) = z^2$"),
    ("05.9", "w1^2 + w2^2 - v^2", "degree of $\\sigma$"),
    ("05.9", "w1^2 + w2^2 + 3*v^2", "Check the sign"),
    ("05.9", "3*w1^2 + 3*w2^2 - v^2", "factor 3 belongs to $v^2$"),
    ("05.10", (2, 4), "Divide by"),
    ("05.10", (1, 4), "squared distance of $P$ itself"),
    ("05.10", (1, 2 ** 0.5), "its square"),
    ("05.10", (0.5, 2.5), "sum of the squared coefficients"),
])
def test_mistakes_get_targeted_hints(exercise, answer, fragment):
    result = check(exercise, answer)
    assert not result.correct and fragment in result.message


@pytest.mark.parametrize("exercise, answer", [
    ("05.9", 3), ("05.9", "x + y"), ("05.9", [1, 2]), ("05.10", "one"), ("05.10", (1,)),
    ("05.10", None), ("05.9", ...),
])
def test_junk_does_not_crash(exercise, answer):
    assert not check(exercise, answer).correct


def test_05_1_explanation_counts_two_drops():
    text = get_exercise("05.1").explanation
    assert "All three" not in text and "other two points" in text


def test_05_6_discussion_separates_voronoi_cell_and_critical_exposure():
    text = get_exercise("05.6").explanation
    assert "Voronoi cell" in text and "not the vertex's critical exposure" in text


def test_05_6_critical_exposure_claim_the_jacobian_vanishes_at_the_vertex():
    """The 05.6 discussion says: at p = q = 0 the loss gradient vanishes for every target."""
    from nagviz.architecture import Architecture
    from nagviz.loss_landscape import loss_gradient

    cone = Architecture((2, 1, 1), 2)
    for t in np.random.default_rng(0).standard_normal((5, 3)):
        for theta in ([0.0, 0.0, 3.0], [0.0, 0.0, -1.0]):
            assert np.abs(loss_gradient(cone, theta, target=t, inner_product="bombieri")).max() == 0


def test_05_9_expected_answer_is_conserved_by_gradient_flow_numerically():
    """Second way: integrate the flow of a random loss and watch |w|^2 - 3 v^2."""
    from scipy.integrate import solve_ivp

    x, y = sympy.symbols("x y")
    f = sympy.Poly(sympy.expand(v * (w1 * x + w2 * y) ** 3), x, y)
    t = np.random.default_rng(1).standard_normal(4)
    loss = sum((c - tk) ** 2 for c, tk in zip(f.coeffs(), t))
    grad = sympy.lambdify((w1, w2, v), [sympy.diff(loss, s) for s in (w1, w2, v)])
    sol = solve_ivp(lambda _, z: [-g for g in grad(*z)], (0, 0.2), [0.6, -0.4, 0.5],
                    rtol=1e-11, atol=1e-12)
    q = sol.y[0] ** 2 + sol.y[1] ** 2 - 3 * sol.y[2] ** 2
    assert np.ptp(q) < 1e-7 and np.ptp(sol.y[2]) > 1e-3        # the weights did move
    assert check("05.9", w1**2 + w2**2 - 3 * v**2).correct


def test_05_10_second_way_by_hand_and_by_minimizing():
    s, d2, before, P = step_05_10()
    assert np.allclose(P, [1, 0, 0, 1, 0, 0, 0])                 # x^2 + x^3, in nagviz's order
    # by hand: r = 2 y^2, q = y^2 + y^3: <r, q> = 2, |q|^2 = 2
    assert (s, round(d2, 12), before) == (1.0, 2.0, 4.0)
    grid = np.linspace(-3, 3, 6001)
    g = 4 - 4 * grid + 2 * grid ** 2
    assert np.isclose(grid[np.argmin(g)], s) and np.isclose(g.min(), d2)

"""Polynomial approximation of ReLU and tanh (nagviz.approximation)."""

import numpy as np
import pytest

import nagviz
from nagviz.approximation import approximate, approximation_errors, degree_for_accuracy


def test_least_squares_is_the_legendre_projection_by_hand():
    # relu on [-1, 1]: <relu, P0> = 1/2, <relu, P1> = 1/3, <relu, P2> = 1/8, ||P_k||^2 = 2/(2k+1)
    a = approximate("relu", 2, "least squares")
    np.testing.assert_allclose(a.coefficients, [3 / 32, 1 / 2, 15 / 32], atol=1e-14)
    # Legendre coefficients c = (1/4, 1/2, 5/16); L2 error^2 = ||relu||^2 - sum c_k^2 ||P_k||^2
    # = 1/3 - (1/8 + 1/6 + 5/128) = 1/384
    assert a.l2_error == pytest.approx(np.sqrt(1 / 384), rel=1e-10)
    assert a.max_error == pytest.approx(3 / 32)            # at x = 0


def test_least_squares_residual_is_orthogonal_to_polynomials():
    a = approximate("tanh", 5, "least squares", interval=(-2.0, 1.0))
    x, w = np.polynomial.legendre.leggauss(200)
    x = -0.5 + 1.5 * x
    w = 1.5 * w
    r = np.tanh(x) - a(x)
    for k in range(6):
        assert abs(np.dot(w, r * x ** k)) < 1e-12


def test_chebyshev_interpolates_at_the_chebyshev_points():
    n = 9
    a = approximate("relu", n, "chebyshev")
    pts = np.cos(np.pi * (np.arange(n + 1) + 0.5) / (n + 1))
    np.testing.assert_allclose(a(pts), np.maximum(pts, 0), atol=1e-13)


def test_errors_fall_like_one_over_n_for_relu_and_geometrically_for_tanh():
    relu = approximation_errors("relu", [8, 16, 32, 64])
    for m in ("least squares", "chebyshev"):
        ratios = relu.max_errors[m][:-1] / relu.max_errors[m][1:]
        assert np.all((ratios > 1.7) & (ratios < 2.3))   # doubling the degree halves the error
    tanh = approximation_errors("tanh", [3, 5, 7, 9, 11])
    ratios = tanh.max_errors["chebyshev"][:-1] / tanh.max_errors["chebyshev"][1:]
    assert np.all(ratios > 8)                            # two degrees: a factor ~ 3.4^2 each time
    assert np.all(np.diff(relu.l2_errors["least squares"]) < 0)


def test_degree_for_accuracy():
    n = degree_for_accuracy("relu", 0.01)
    assert approximate("relu", n).max_error <= 0.01 < approximate("relu", n - 1).max_error
    assert degree_for_accuracy("tanh", 1e-6, "least squares") < 15
    with pytest.raises(ValueError, match="tolerance"):
        degree_for_accuracy("relu", 0)
    with pytest.raises(ValueError, match="no degree up to 5"):
        degree_for_accuracy("relu", 1e-3, max_degree=5)


def test_the_approximation_as_an_activation_for_the_exact_engine():
    act = approximate("tanh", 3, "least squares").to_activation(4)
    assert act.degree == 3 and act.coefficients[0] == 0      # tanh is odd: no even terms
    # a generic (non-homogeneous) cubic activation: the shallow network is identifiable,
    # unlike the ReLU network with its positive rescalings
    r = nagviz.dimension(nagviz.Architecture((2, 2, 1), act))
    assert r.dimension == r.parameters == 6


@pytest.mark.parametrize("kwargs, match", [
    (dict(target="sigmoid", degree=3), "target"),
    (dict(target="relu", degree=-1), "degree"),
    (dict(target="relu", degree=3, method="pade"), "method"),
    (dict(target="relu", degree=3, interval=(1, 0)), "a < b"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        approximate(**kwargs)

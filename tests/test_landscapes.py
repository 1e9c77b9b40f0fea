"""Tiny loss landscapes: every critical point, its Hessian type, pure or spurious; descent."""

import numpy as np
import pytest
import sympy

from nagviz.critical_points import QuadricCriticalPoints, gram_matrix
from nagviz.landscapes import (BENT_NEURON, NAPPE, classify_hessian, descent_outcomes,
                               landscape_critical_points, loss_grid)


def _kinds(result):
    return sorted((p.kind, p.pure) for p in result.points)


def _numeric_hessian(network, target, gram, w, h=1e-4):
    G = np.array(gram_matrix(gram, network.exponents), dtype=float)
    f = sympy.lambdify(network.parameters, list(network.coefficients))
    t = np.asarray(target, dtype=float)

    def L(v):
        r = np.array(f(*v), dtype=float) - t
        return r @ G @ r

    n = len(w)
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (L(w + e_i + e_j) - L(w + e_i - e_j) - L(w - e_i + e_j)
                       + L(w - e_i - e_j)) / (4 * h * h)
    return H


def test_positive_definite_target_on_the_nappe():
    r = landscape_critical_points(NAPPE, (1, 0.5, 0.5), "bombieri")
    assert r.n_complex == 5                      # 1 (w = 0) + 2 preimages x ED degree 2
    assert _kinds(r) == [("maximum", False), ("minimum", True), ("minimum", True),
                         ("saddle", True), ("saddle", True)]
    top = [p for p in r.points if p.kind == "maximum"][0]
    assert np.allclose(top.parameters, 0) and top.jacobian_rank == 0
    for p in r.points:
        assert (p.jacobian_rank == 2) == p.pure
        H = _numeric_hessian(NAPPE, (1, 0.5, 0.5), "bombieri", np.array(p.parameters))
        assert np.allclose(np.linalg.eigvalsh(H), p.hessian_eigenvalues, atol=1e-5)
        assert classify_hessian(np.linalg.eigvalsh(H)) == p.kind


def test_pure_points_map_to_the_ed_critical_points_on_the_nappe():
    for gram in ("bombieri", "coefficient"):
        t = (1, 0.5, 0.5)
        r = landscape_critical_points(NAPPE, t, gram)
        qc = QuadricCriticalPoints(np.array([[0, 0, -2], [0, 1, 0], [-2, 0, 0]]),
                                   np.array(gram_matrix(gram), dtype=float))
        on_nappe = [x for x in qc.critical_points(t) if x[0] + x[2] > 0]
        pure = {tuple(np.round(p.function, 7)) for p in r.points if p.pure}
        assert pure == {tuple(np.round(x, 7)) for x in on_nappe}
    assert landscape_critical_points(NAPPE, (1, 0.5, 0.5), "coefficient").n_complex == 9


def test_indefinite_and_negative_definite_targets():
    r = landscape_critical_points(NAPPE, (1, 0.5, -1), "bombieri")
    assert _kinds(r) == [("minimum", True), ("minimum", True), ("saddle", False)]
    r = landscape_critical_points(NAPPE, (-1, 0.5, -1), "bombieri")
    assert _kinds(r) == [("minimum", False)]     # a spurious local (and global) minimum
    assert r.points[0].loss == pytest.approx(float(1 + 0.25 / 2 + 1))


def test_target_on_the_cone_makes_w0_degenerate():
    r = landscape_critical_points(NAPPE, (1, 2, 1), "bombieri")
    assert _kinds(r) == [("degenerate", False), ("minimum", True), ("minimum", True)]
    assert r.n_complex == 5


def test_bent_neuron_has_one_pure_minimum_and_two_spurious_saddles():
    r = landscape_critical_points(BENT_NEURON, (1, -0.5), "gaussian")
    got = [(tuple(np.round(p.parameters, 9)), p.kind, p.pure, p.jacobian_rank)
           for p in r.points]
    # w* = -(G t)_1 / (G t)_2 = -1 / (3 * -0.5) = 2/3 on the line v = 0
    assert got == [((-0.5, -2.0), "minimum", True, 2), ((0.0, 0.0), "saddle", False, 0),
                   ((round(2 / 3, 9), 0.0), "saddle", False, 1)]


def test_bad_input():
    with pytest.raises(ValueError, match="needs 2 coefficients"):
        landscape_critical_points(BENT_NEURON, (1, 2, 3))
    with pytest.raises(TypeError):
        landscape_critical_points("nappe", (1, 2, 3))
    with pytest.raises(ValueError, match="infinitely many"):
        landscape_critical_points(BENT_NEURON, (0, 1), "gaussian")
    with pytest.raises(ValueError):
        descent_outcomes(NAPPE, (1, 0, 1), lr=-1)


def test_loss_grid_values():
    w1, w2, L = loss_grid(NAPPE, (1, 0.5, 0.5), "bombieri", lim=1.0, n=3)
    # at (p, q) = (1, 1): phi = (1, 2, 1), residual (0, 1.5, 0.5), Bombieri 1.5^2/2 + 0.25
    assert L[2, 2] == pytest.approx(1.5 ** 2 / 2 + 0.25)
    assert L[1, 1] == pytest.approx(1 + 0.125 + 0.25)


def test_descent_never_ends_at_saddles_or_the_maximum():
    out = descent_outcomes(NAPPE, (1, 0.5, 0.5), "bombieri", n_runs=200, seeds=(0, 1, 2),
                           steps=1500)
    assert out.n_runs == 600 and out.counts.shape == (3, 7)
    kinds = [p.kind for p in out.landscape.points]
    for j, kind in enumerate(kinds):
        if kind != "minimum":
            assert out.totals[j] == 0
        else:
            assert np.all(out.counts[:, j] > 60)       # both minima attract, every seed
            lo, hi = out.intervals()[j]
            assert lo < 0.5 < hi                       # by the symmetry w -> -w
    assert out.totals[-1] == 0                         # nothing diverges
    again = descent_outcomes(NAPPE, (1, 0.5, 0.5), "bombieri", n_runs=200, seeds=(0, 1, 2),
                             steps=1500)
    assert np.array_equal(again.counts, out.counts)   # seeded


def test_spurious_minimum_attracts_every_run():
    out = descent_outcomes(NAPPE, (-1, 0.5, -1), "bombieri", n_runs=100, seeds=(0, 1, 2),
                           steps=1500)
    assert out.totals[0] == 300 and not out.landscape.points[0].pure


def test_fitted_to_samples_the_nappe_has_nine_complex_critical_points():
    from nagviz.critical_points import data_inner_product
    X = np.random.default_rng(0).normal(size=(50, 2))
    y = X[:, 0] ** 2 + 0.5 * X[:, 0] * X[:, 1] + 0.5 * X[:, 1] ** 2 \
        + 0.3 * np.random.default_rng(1).normal(size=50)
    t, G = data_inner_product(X, y)
    r = landscape_critical_points(NAPPE, t, G)
    assert r.n_complex == 9                      # 1 + 2 x (ED degree 4)
    assert _kinds(r) == [("maximum", False), ("minimum", True), ("minimum", True),
                         ("saddle", True), ("saddle", True)]

"""Critical points of the squared distance: Eckart-Young, exact ED degrees, discriminants."""

import math

import numpy as np
import pytest
import sympy

from nagviz.critical_points import (CONE_EQUATION, CONE_VARIABLES, QuadricCriticalPoints,
                                    cone_slice_target, eckart_young, ed_degree, ed_discriminant,
                                    gram_matrix, kurtosis_gram_matrix, quadric_ed_degree,
                                    rank_k_normal_residual, real_counts_along_path)

A, B, C, D = sympy.symbols("a b c d")
DET = A * D - B * C
Q_CONE = np.array([[0, 0, -2], [0, 1, 0], [-2, 0, 0]], dtype=float)
Q_DET = np.array([[0, 0, 0, 1], [0, 0, -1, 0], [0, -1, 0, 0], [1, 0, 0, 0]]) / 2.0


# --------------------------------------------------------------------------- Eckart-Young
@pytest.mark.parametrize("m, n, k", [(2, 2, 1), (3, 2, 1), (2, 3, 1), (3, 3, 1), (3, 3, 2),
                                     (4, 3, 2), (5, 4, 2), (4, 4, 3)])
def test_eckart_young_counts_and_criticality(m, n, k):
    T = np.random.default_rng(m * 100 + n * 10 + k).normal(size=(m, n))
    r = eckart_young(T, k)
    assert r.count == math.comb(min(m, n), k)
    for X in r.points:
        assert np.linalg.matrix_rank(X) == k
        assert rank_k_normal_residual(X, T, k) < 1e-10       # critical, checked without the SVD
    U, s, Vt = np.linalg.svd(T)
    truncated = (U[:, :k] * s[:k]) @ Vt[:k]
    assert np.allclose(r.best, truncated)
    assert np.isclose(r.distances.min(), np.linalg.norm(T - truncated))
    # a rank-k matrix that is not a sum of singular triples is not critical
    other = truncated + 0.1 * np.outer(U[:, 0], Vt[-1])
    assert rank_k_normal_residual(other, T, k) > 1e-3


def test_eckart_young_rejects_bad_input():
    with pytest.raises(ValueError, match="k must be"):
        eckart_young(np.eye(2), 3)
    with pytest.raises(ValueError, match="not generic"):
        eckart_young(np.eye(2), 1)
    with pytest.raises(ValueError, match="2-D"):
        eckart_young([1.0, 2.0], 1)


# --------------------------------------------------------------------------- ED degrees
def test_rank_one_2x2_frobenius_ed_degree_is_2_and_matches_eckart_young():
    target = (sympy.Rational(3), sympy.Rational(1, 2), sympy.Rational(-1), sympy.Rational(2))
    r = ed_degree(DET, (A, B, C, D), target=target)
    assert (r.n_complex, r.n_distinct, r.n_real) == (2, 2, 2)
    ey = eckart_young(np.array(target, dtype=float).reshape(2, 2), 1)
    got = sorted(np.round(np.array(r.real_points), 8).tolist())
    want = sorted(np.round([X.ravel() for X in ey.points], 8).tolist())
    assert got == want


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rank_one_2x2_generic_ed_degree_is_6(seed):
    G = gram_matrix("random", 4, seed=seed)
    r = ed_degree(DET, (A, B, C, D), G, seed=seed)
    assert r.n_complex == 6 and r.n_distinct == 6
    assert r.n_real in (2, 4, 6)
    assert quadric_ed_degree(Q_DET, np.array(G, dtype=float)) == 6      # closed form
    qc = QuadricCriticalPoints(Q_DET, np.array(G, dtype=float))           # Sturm (degree 6)
    assert qc.degree == 6
    assert int(qc.real_counts(np.array(r.target, dtype=float))[0]) == r.n_real
    assert quadric_ed_degree(Q_DET) == 2


@pytest.mark.parametrize("kind, expected", [("coefficient", 4), ("bombieri", 2),
                                            ("gaussian", 2), ("uniform", 4)])
def test_cone_ed_degrees_three_ways(kind, expected):
    G = gram_matrix(kind)
    exact = ed_degree(CONE_EQUATION, CONE_VARIABLES, G, seed=4)
    assert exact.n_complex == expected                                   # Groebner basis
    assert quadric_ed_degree(Q_CONE, np.array(G, dtype=float)) == expected   # closed form
    assert ed_discriminant(G).lagrange_degree == expected                # eliminated multiplier
    # the real critical points agree with the vectorised computation
    qc = QuadricCriticalPoints(Q_CONE, np.array(G, dtype=float))
    numeric = qc.critical_points(np.array(exact.target, dtype=float))
    assert len(numeric) == exact.n_real
    assert sorted(np.round(numeric, 7).tolist()) == sorted(
        np.round(exact.real_points, 7).tolist())
    for x in numeric:
        assert abs(x[1] ** 2 - 4 * x[0] * x[2]) < 1e-9


def test_data_inner_products_are_moment_matrices():
    assert gram_matrix("gaussian") == sympy.Matrix([[3, 0, 1], [0, 1, 0], [1, 0, 3]])
    assert gram_matrix("uniform") == sympy.Matrix([[sympy.Rational(1, 5), 0, sympy.Rational(1, 9)],
                                                   [0, sympy.Rational(1, 9), 0],
                                                   [sympy.Rational(1, 9), 0, sympy.Rational(1, 5)]])
    # E[m(x) m(x)^T] from samples of Gaussian inputs
    X = np.random.default_rng(0).normal(size=(400_000, 2))
    m = np.stack([X[:, 0] ** 2, X[:, 0] * X[:, 1], X[:, 1] ** 2], axis=1)
    assert np.allclose(m.T @ m / len(X), np.array(gram_matrix("gaussian"), dtype=float),
                       atol=0.06)
    assert gram_matrix("bombieri") == sympy.diag(1, sympy.Rational(1, 2), 1)
    assert kurtosis_gram_matrix(3) == gram_matrix("gaussian")
    # a real data distribution has E[x^2 y^2] in two places; neither plain nor Bombieri does
    for kind in ("coefficient", "bombieri"):
        G = gram_matrix(kind)
        assert G[0, 2] != G[1, 1]


@pytest.mark.parametrize("kurtosis, expected", [(1.5, 4), (2.9, 4), (3, 2), (4.5, 4)])
def test_only_kurtosis_3_gives_ed_degree_2(kurtosis, expected):
    assert quadric_ed_degree(Q_CONE, np.array(kurtosis_gram_matrix(kurtosis), dtype=float)) \
        == expected


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="unknown inner product"):
        gram_matrix("frobenius")
    with pytest.raises(ValueError, match="kurtosis"):
        kurtosis_gram_matrix(1)
    with pytest.raises(ValueError, match="positive definite"):
        ed_degree(CONE_EQUATION, CONE_VARIABLES, sympy.diag(1, -1, 1))
    with pytest.raises(ValueError, match="lies on the variety"):
        ed_degree(CONE_EQUATION, CONE_VARIABLES, target=(1, 2, 1))
    with pytest.raises(ValueError, match="needs 3"):
        ed_degree(CONE_EQUATION, CONE_VARIABLES, target=(1, 2))


# --------------------------------------------------------------------------- discriminant
def test_plain_discriminant_is_an_astroid_with_cusps_at_one_third_and_one_quarter():
    d = ed_discriminant()
    x, y = sympy.symbols("x y")
    assert len(d.walls) == 1
    wall = d.walls[0]
    assert sympy.factor(wall.subs(y, 0)) == (3 * x - 1) ** 3 * (3 * x + 1) ** 3
    assert sympy.factor(wall.subs(x, 0)) == (4 * y - 1) ** 3 * (4 * y + 1) ** 3
    assert set(d.other_factors) == {x, y}


def test_real_counts_on_both_sides_of_the_discriminant_along_the_worked_path():
    qc = QuadricCriticalPoints(Q_CONE)
    start, end = cone_slice_target(0.1, 0.05), cone_slice_target(0.6, 0.3)
    path = real_counts_along_path(qc, start, end, n=401)
    assert path["counts"][0] == 4 and path["counts"][-1] == 2
    assert [(b, a) for _, b, a in path["changes"]] == [(4, 2)]
    # the change happens where the exact wall polynomial vanishes on the path
    x, y, s = sympy.symbols("x y s")
    wall = ed_discriminant().walls[0]
    on_path = sympy.Poly(wall.subs({x: sympy.Rational(1, 10) + s / 2,
                                    y: sympy.Rational(1, 20) + s / 4}), s)
    roots = [float(r) for r in on_path.real_roots() if 0 <= r <= 1]
    assert len(set(np.round(roots, 9))) == 1
    assert abs(path["changes"][0][0] - roots[0]) < 1 / 400
    # the exact Groebner count agrees on both sides
    for sv, want in ((0.0, 4), (1.0, 2)):
        t = [sympy.Rational(str(round(v, 6))) for v in (1 - sv) * start + sv * end]
        assert ed_degree(CONE_EQUATION, CONE_VARIABLES, target=t).n_real == want


def test_grid_counts_match_eigenvalues_and_discriminant_sign():
    rng = np.random.default_rng(0)
    for G in (np.eye(3), np.array(kurtosis_gram_matrix(1.8), dtype=float)):
        qc = QuadricCriticalPoints(Q_CONE, G)
        T = cone_slice_target(rng.uniform(-1, 1, 3000), rng.uniform(-1, 1, 3000))
        r = qc.roots(T)
        by_roots = (np.abs(r.imag) <= 1e-7 * np.maximum(1, np.abs(r))).sum(axis=1)
        counts = qc.real_counts(T)
        assert np.array_equal(counts, by_roots)
        assert set(np.unique(counts)) == {2, 4}
        assert np.array_equal(qc.discriminant(T) < 0, counts == 2)


def test_bombieri_and_gaussian_always_give_two_real_critical_points():
    rng = np.random.default_rng(1)
    T = rng.normal(size=(5000, 3))
    for kind in ("bombieri", "gaussian"):
        qc = QuadricCriticalPoints(Q_CONE, np.array(gram_matrix(kind), dtype=float))
        assert np.all(qc.real_counts(T) == 2)


def test_samples_induce_a_generic_inner_product():
    from nagviz.critical_points import data_inner_product
    X = np.random.default_rng(0).normal(size=(50, 2))
    y = X[:, 0] ** 2 + 0.5 * X[:, 0] * X[:, 1] + 0.5 * X[:, 1] ** 2 \
        + 0.3 * np.random.default_rng(1).normal(size=50)
    t, G = data_inner_product(X, y)
    M = np.stack([X[:, 0] ** 2, X[:, 0] * X[:, 1], X[:, 1] ** 2], axis=1)
    assert np.allclose(np.array(G, dtype=float), M.T @ M / 50, atol=1e-6)
    assert np.allclose(np.array(t, dtype=float), np.linalg.lstsq(M, y, rcond=None)[0], atol=1e-6)
    # 50 Gaussian samples: not rotation invariant any more, so the ED degree is the generic 4
    assert ed_degree(CONE_EQUATION, CONE_VARIABLES, G).n_complex == 4
    with pytest.raises(ValueError, match="singular"):
        data_inner_product(X[:2], y[:2])


def test_sturm_counts_agree_with_eigenvalues_for_degree_6():
    G = np.array(gram_matrix("random", 4, seed=2), dtype=float)
    qc = QuadricCriticalPoints(Q_DET, G)
    assert qc.degree == 6
    T = np.random.default_rng(3).normal(size=(2000, 4))
    r = qc.roots(T)
    by_roots = (np.abs(r.imag) <= 1e-7 * np.maximum(1, np.abs(r))).sum(axis=1)
    counts = qc.real_counts(T)
    assert np.mean(counts == by_roots) > 0.999            # rounding near the discriminant
    assert set(np.unique(counts)) <= {2, 4, 6} and len(np.unique(counts)) >= 2
    # the Sylvester-matrix discriminant is negative exactly for an odd number of complex pairs
    pairs = (6 - counts) // 2
    assert np.mean((qc.discriminant(T) < 0) == (pairs % 2 == 1)) > 0.999

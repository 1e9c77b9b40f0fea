"""Degrees: closed formulas against known values, slicing against the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nagviz import Architecture
from nagviz.degree import (
    covering_number_bound,
    determinantal_degree,
    ed_degree_linear,
    implicit_equation,
    line_slice,
    linear_network_degree,
    shallow_quadratic_degree,
    slice_hypersurface,
    symmetric_determinantal_degree,
)


def test_determinantal_degree_known_values():
    assert determinantal_degree(2, 3, 1) == 3          # Segre P^1 x P^2
    assert determinantal_degree(2, 2, 1) == 2          # the determinant of a 2 x 2 matrix
    assert determinantal_degree(3, 3, 1) == 6          # Segre P^2 x P^2
    assert determinantal_degree(3, 3, 2) == 3          # the determinant of a 3 x 3 matrix
    for m in range(1, 6):
        for n in range(1, 7):
            # rank <= 1: the Segre variety P^{m-1} x P^{n-1}
            assert determinantal_degree(m, n, 1) == math.comb(m + n - 2, m - 1)
            assert determinantal_degree(m, n, 2) == determinantal_degree(n, m, 2)
            assert determinantal_degree(m, n, min(m, n)) == 1   # everything: a linear space
            assert determinantal_degree(m, n, 0) == 1           # the origin
        if m > 1:
            assert determinantal_degree(m, m, m - 1) == m       # the determinant
    with pytest.raises(ValueError):
        determinantal_degree(2, 3, -1)


def test_symmetric_determinantal_degree():
    assert symmetric_determinantal_degree(2, 1) == 2      # the cone b^2 = 4ac
    assert symmetric_determinantal_degree(3, 2) == 3      # the symmetric determinant
    assert symmetric_determinantal_degree(4, 2) == 10
    for n in range(2, 8):
        assert symmetric_determinantal_degree(n, 1) == 2 ** (n - 1)   # Veronese v_2(P^{n-1})
        assert symmetric_determinantal_degree(n, n - 1) == n
        assert symmetric_determinantal_degree(n, n) == 1
    assert shallow_quadratic_degree(3, 2) == 3


def test_linear_networks():
    assert linear_network_degree((3, 1, 2)) == 3
    assert ed_degree_linear((3, 1, 2)) == 2              # Eckart–Young: binom(2, 1)
    assert ed_degree_linear((2, 1, 2)) == 2              # 2 x 2 rank one, Frobenius
    assert linear_network_degree((5, 3, 2, 5)) == determinantal_degree(5, 5, 2)
    assert ed_degree_linear((4, 2, 4)) == 6
    assert ed_degree_linear((3, 4, 2)) == 1              # no bottleneck: all of the space


def test_line_slice_of_a_determinant():
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((2, 4, 4))
    ts = line_slice(lambda P: np.linalg.det(P.reshape(-1, 4, 4)), A.ravel(), B.ravel(), 4)
    assert ts.size == 4
    for t in ts:
        assert abs(np.linalg.det(A + t * B)) < 1e-8 * np.abs(np.linalg.det(A + B))


def test_cone_slice_and_equation():
    eq = implicit_equation((2, 1, 1), 2)
    c = eq.coefficients / eq.coefficients[3]               # a^2 ab ac b^2 bc c^2
    np.testing.assert_allclose(c, [0, 0, -4, 1, 0, 0], atol=1e-9)
    s = slice_hypersurface((2, 1, 1), 2, seed=3)
    assert s.count == s.degree == 2 and s.residual < 1e-10


@pytest.mark.parametrize("widths, activation, degree", [
    ((2, 1, 1), 2, 2),               # the cone
    ((3, 2, 1), 2, 3),               # symmetric 3 x 3 determinant
    ((2, 2, 1), "z^3 + z^2", 3),     # found by the computation, no formula used
])
def test_slicing_counts_the_degree(widths, activation, degree):
    if activation == 2:
        assert degree == shallow_quadratic_degree(widths[0], widths[1])
    for seed in range(3):
        s = slice_hypersurface(widths, activation, seed=seed)
        assert s.degree == degree and s.count == degree
        assert s.residual < 1e-8
        # a real line meets the hypersurface in conjugate pairs plus real points
        assert s.n_real <= s.count and (s.count - s.n_real) % 2 == 0
        # the points lie on the line
        np.testing.assert_allclose(s.points, s.point + np.outer(s.parameters, s.direction))
    assert "complex points" in repr(s) and "seed" in s._repr_html_()


def test_not_a_hypersurface():
    with pytest.raises(ValueError, match="not a hypersurface"):
        implicit_equation((3, 1, 1), 2)
    with pytest.raises(ValueError, match="biases"):
        implicit_equation(Architecture((2, 1, 1), 2, bias=True))


def test_covering_number_bound():
    eps = np.logspace(-4, -1, 7)
    b = covering_number_bound(12, 3, eps)
    np.testing.assert_allclose(b.log_covering, 12 * np.log(3 / eps))
    assert np.all(np.diff(b.log_covering) < 0)                       # smaller eps, more balls
    doubled = covering_number_bound(24, 3, eps).log_covering
    np.testing.assert_allclose(doubled, 2 * b.log_covering)           # linear in the dimension
    deg9 = covering_number_bound(12, 9, eps).log_covering
    np.testing.assert_allclose(deg9 - b.log_covering, 12 * np.log(3))  # log in the degree
    assert covering_number_bound(3, 1, [10.0]).log_covering.tolist() == [0.0]
    assert "up to constants" in repr(b) and "2501.18915" in repr(b)
    with pytest.raises(ValueError):
        covering_number_bound(3, 1, [0.0])
    with pytest.raises(ValueError):
        covering_number_bound(3, 0, [0.1])

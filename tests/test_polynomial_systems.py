"""Exact solutions of zero-dimensional systems: counts with multiplicity, distinct, real."""

import pytest
import sympy

from nagviz._polynomial_systems import as_rational, solve_zero_dimensional, standard_monomials

X, Y = sympy.symbols("x y")


@pytest.mark.parametrize("equations, expected", [
    ([X**2 + Y**2 - 2, X - Y], (2, 2, [(-1.0, -1.0), (1.0, 1.0)])),
    ([X**2, Y**2], (4, 1, [(0.0, 0.0)])),                                   # non-radical
    ([X**2 - 2 * X + 1, (Y - 3)**2 * (Y + 1)], (6, 2, [(1.0, -1.0), (1.0, 3.0)])),
    ([X**2 + 1, Y - X], (2, 2, [])),                                        # no real solution
    ([X * Y, X + Y - 1, X**2 + 1], (0, 0, [])),                             # inconsistent
])
def test_counts_and_real_solutions(equations, expected):
    n, distinct, real, _ = solve_zero_dimensional(equations, (X, Y))
    assert (n, distinct, sorted(real)) == expected


def test_positive_dimensional_systems_are_refused():
    with pytest.raises(ValueError, match="infinitely many"):
        solve_zero_dimensional([X * Y], (X, Y))


def test_helpers():
    assert standard_monomials([(3,), ], 1) == [(0,), (1,), (2,)]
    assert as_rational(0.25) == sympy.Rational(1, 4)
    with pytest.raises(ValueError, match="finite"):
        as_rational(float("nan"))

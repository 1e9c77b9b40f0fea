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


@pytest.mark.parametrize("factors", [
    "(x - 1/3)*(x**2 - 2)*(7*x + 3)",
    "8*x**5 - 176*x**3 + 7*x",                  # 0 is a root and an end of its neighbours' intervals
    "x*(x - 1)*(x + 1)*(x - 1/2)",              # every root rational
    "x**5 - 3*x**3 + x - 1/7",
    "(x**2 - 10**-12)*(x - 10**6)",             # close roots and a large one
])
def test_real_roots_agree_with_sympy_to_40_digits(factors):
    import mpmath
    import sympy

    from nagviz._polynomial_systems import _real_roots

    x = sympy.Symbol("x")
    poly = sympy.Poly(sympy.sympify(factors, rational=True), x).sqf_part()
    exact = [sympy.N(r, 45) for r in poly.real_roots()]
    with mpmath.workdps(50):
        ours = _real_roots(poly, 40)
        assert len(ours) == len(exact)
        for a, b in zip(ours, exact):
            assert abs(a - mpmath.mpf(str(b))) <= mpmath.mpf(10) ** -38 * (1 + abs(a))

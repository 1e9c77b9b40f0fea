"""Shared internals: exact solutions of zero-dimensional polynomial systems (sympy).

Used by :mod:`nagviz.critical_points` and :mod:`nagviz.landscapes`.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy

from .cache import memoize

__all__ = ["as_rational", "solve_zero_dimensional", "standard_monomials"]


def as_rational(x) -> sympy.Rational:
    """A float (slider value) as the rational it was typed as: 0.1 -> 1/10.

    Examples
    --------
    >>> as_rational(0.1), as_rational(3)
    (1/10, 3)
    """
    if isinstance(x, (sympy.Rational, int)):
        return sympy.Rational(x)
    if isinstance(x, sympy.Basic) and not x.is_number:
        raise ValueError(f"expected a number, got {x!r}")
    return sympy.Rational(repr(float(x))) if np.isfinite(x) else _not_finite(x)


def _not_finite(x):
    raise ValueError(f"a target coordinate must be a finite number, got {x!r}")



def standard_monomials(leading, n_vars):
    """Monomials not divisible by any leading monomial (``None`` if infinitely many).

    Examples
    --------
    >>> standard_monomials([(2, 0), (0, 2)], 2)       # leading terms x^2, y^2
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    >>> standard_monomials([(1, 1)], 2) is None
    True
    """
    bounds = []
    for i in range(n_vars):
        pure = [m[i] for m in leading if all(m[j] == 0 for j in range(n_vars) if j != i)]
        if not pure:
            return None
        bounds.append(min(pure))
    return [e for e in itertools.product(*(range(b) for b in bounds))
            if not any(all(e[j] >= m[j] for j in range(n_vars)) for m in leading)]


def _solves_for(g, v, variables, s):
    """Whether ``g = c v + h(s)`` with a constant ``c != 0`` (a shape-position generator)."""
    P = sympy.Poly(g, *variables)
    c = P.coeff_monomial(v)
    return (c != 0 and not getattr(c, "free_symbols", set())
            and all(sum(m) == 0 for m in (P - sympy.Poly(c * v, *variables)).monoms()))


def _real_roots(poly, digits):
    """The real roots of a square-free rational polynomial, to ``digits`` digits, ascending,
    as mpmath numbers (the caller's precision context must hold ``digits + 10`` digits).

    sympy isolates each root exactly in an open rational interval (an end may be a
    neighbouring rational root); bisection on the sign change narrows it to a relative width 1e-8 and Newton's method
    (quadratic convergence) refines the midpoint; a step that leaves the bracket falls
    back to bisection, and the result is certified by a sign change across +-10**-digits.
    Much faster than refining sympy's ``CRootOf`` with ``evalf``.
    """
    import mpmath

    coeffs = [mpmath.mpf(int(c)) for c in poly.clear_denoms()[1].all_coeffs()]
    slope = [c * k for c, k in zip(coeffs[:-1], range(len(coeffs) - 1, 0, -1))]
    tol = mpmath.mpf(10) ** (-digits)
    roots = []
    for (a, b), _ in poly.intervals():
        lo, hi = mpmath.mpf(a.p) / a.q, mpmath.mpf(b.p) / b.q
        if lo == hi:
            roots.append(lo)
            continue
        # the sign of f just below hi (hi may itself be a neighbouring root, a simple one)
        f_hi = mpmath.polyval(coeffs, hi)
        top_positive = f_hi > 0 if f_hi != 0 else mpmath.polyval(slope, hi) < 0
        for _ in range(8 * digits + 64):
            mid = (lo + hi) / 2
            if hi - lo <= 1e-8 * (1 + abs(mid)):
                x = mid                                  # Newton from here
                for _ in range(12):
                    step = mpmath.polyval(coeffs, x) / mpmath.polyval(slope, x)
                    x -= step
                    if not lo <= x <= hi:
                        break
                    if abs(step) <= tol * (1 + abs(x)):
                        d = tol * (1 + abs(x))
                        if mpmath.polyval(coeffs, x - d) * mpmath.polyval(coeffs, x + d) <= 0:
                            roots.append(x)
                            lo = hi = None
                        break
                if lo is None:
                    break
            f_mid = mpmath.polyval(coeffs, mid)
            if f_mid == 0:
                roots.append(mid)
                break
            if (f_mid > 0) == top_positive:
                hi = mid
            else:
                lo = mid
            if hi - lo <= tol * (1 + abs(mid)):
                roots.append((lo + hi) / 2)
                break
    return roots


def _encode_solution(value):
    n, distinct, real, leading = value
    return {"n": n, "distinct": distinct, "real": [list(p) for p in real],
            "leading": [list(m) for m in leading]}


def _decode_solution(record):
    return (int(record["n"]), int(record["distinct"]),
            tuple(tuple(float(x) for x in p) for p in record["real"]),
            tuple(tuple(int(e) for e in m) for m in record["leading"]))


def _valid_solution(value, equations, variables, seed=0):
    n, distinct, real, leading = value
    k = len(tuple(variables))
    return (0 <= distinct <= n and all(len(p) == k for p in real)
            and all(len(m) == k for m in leading) and len(real) <= distinct)


@memoize("polynomial_systems.solve_zero_dimensional", disk=True, maxsize=64,
         encode=_encode_solution, decode=_decode_solution, validate=_valid_solution)
def solve_zero_dimensional(equations, variables, seed=0):
    """Exact solutions of a zero-dimensional polynomial system with rational coefficients.

    Returns ``(n_with_multiplicity, n_distinct, real_points, leading)``, the last two as
    tuples of tuples. Memoized, on disk too (:func:`nagviz.cache.memoize`; the key holds
    the exact equations, so give the system deterministic symbols, not ``Dummy`` ones). The number of
    complex solutions counted with multiplicity is the number of standard monomials of a
    grevlex Groebner basis; the distinct ones are the roots of the eliminant of a random
    linear form ``s``, and a lex basis in shape position ``x_i = g_i(s)`` carries every real
    root of the eliminant (isolated exactly) to a real solution.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> n, distinct, real, _ = solve_zero_dimensional([x**2 + y**2 - 2, x - y], (x, y))
    >>> n, distinct, sorted(real)
    (2, 2, [(-1.0, -1.0), (1.0, 1.0)])
    """
    variables = list(variables)
    gb = sympy.groebner(equations, *variables, order="grevlex")
    if list(gb.exprs) == [1]:
        return 0, 0, (), ()
    leading = [sympy.Poly(g, *variables).monoms(order="grevlex")[0] for g in gb.exprs]
    standard = standard_monomials(leading, len(variables))
    if standard is None:
        raise ValueError("the critical equations have infinitely many solutions (the target "
                         "or the inner product is not generic)")
    rng = np.random.default_rng(seed)
    s = sympy.Dummy("s")
    for _ in range(5):
        form = [int(c) for c in rng.integers(-5, 6, size=len(variables))]
        lex = sympy.groebner(list(gb.exprs) + [s - sum(c * v for c, v in zip(form, variables))],
                             *variables, s, order="grevlex").fglm("lex")
        exprs = list(lex.exprs)
        eliminant = sympy.Poly(exprs[-1], s)
        shape = len(exprs) == len(variables) + 1 and all(
            _solves_for(g, v, variables, s) for g, v in zip(exprs, variables))
        if shape:
            break
    else:  # non-radical or no separating form found: fall back on sympy's solver
        points = sympy.solve_poly_system(equations, *variables)
        real = []
        for point in points:
            z = [complex(sympy.N(x, 30)) for x in point]
            if all(abs(x.imag) < 1e-12 for x in z) and not any(
                    np.allclose([x.real for x in z], r, atol=1e-12) for r in real):
                real.append(tuple(x.real for x in z))
        return len(standard), len(set(points)), tuple(real), tuple(leading)
    substitutions = [sympy.expand(v - g / sympy.Poly(g, *variables).coeff_monomial(v))
                     for g, v in zip(exprs, variables)]
    real = []
    eliminant = eliminant.sqf_part()         # a non-radical ideal repeats roots
    import mpmath

    with mpmath.workdps(50):                 # 40 digits certified, 10 to spare
        polys = [[mpmath.mpf(c.p) / c.q for c in sympy.Poly(g, s).all_coeffs()]
                 for g in substitutions]
        for value in _real_roots(eliminant, 40):
            real.append(tuple(float(mpmath.polyval(c, value)) for c in polys))
    return len(standard), eliminant.degree(), tuple(real), tuple(leading)



"""The claims of notebooks 01 and 02, each recomputed a second way.

Every number or statement a notebook prints or asserts in its prose is checked here by a
route that does not share code with the cell that prints it: a closed formula against
the exact engine, a symbolic identity against numerical sampling, a hand-built witness
against the library's decision procedure.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math

import numpy as np
import pytest
import sympy as sp

import nagviz
from nagviz.__main__ import main
from nagviz.atlas import (
    alexander_hirschowitz_dimension,
    cached_dimension,
    deep_atlas,
    degree_threshold,
    grid_atlas,
    minimal_filling_width,
    shallow_atlas,
)
from nagviz.degree import covering_number_bound, determinantal_degree, implicit_equation
from nagviz.neuromanifolds import jacobian_form, reachability_222

NO_DISK = {"cache_dir": False}


# ==================================================================================
# notebook 01, section 3: the real boundary of (2, 2, 2)
# ==================================================================================
def resultant(f1, f2) -> float:
    """Res of two binary quadratics ``(a, b, c)``, from the closed formula (Sylvester 4 x 4)."""
    a1, b1, c1 = f1
    a2, b2, c2 = f2
    return (a1 * c2 - a2 * c1) ** 2 - (a1 * b2 - a2 * b1) * (b1 * c2 - b2 * c1)


def has_definite_combination(f1, f2, n: int = 20001) -> bool:
    """Whether some ``cos(t) f1 + sin(t) f2`` is definite (then +- it is positive definite)."""
    t = np.linspace(0.0, np.pi, n)
    g = np.outer(np.cos(t), f1) + np.outer(np.sin(t), f2)
    return bool(np.any(g[:, 1] ** 2 - 4 * g[:, 0] * g[:, 2] < 0))


def test_discriminant_of_the_jacobian_is_16_times_the_resultant():
    rng = np.random.default_rng(1)
    for _ in range(200):
        f1, f2 = rng.standard_normal((2, 3))
        a, b, c = jacobian_form(f1, f2)
        assert np.isclose(b * b - 4 * a * c, 16 * resultant(f1, f2), rtol=1e-10, atol=1e-10)
    # the notebook's example: (x^2 - y^2, xy) has Res = -1
    assert resultant((1, 0, -1), (0, 1, 0)) == -1
    # and sympy's resultant (generic leading coefficients) is the same polynomial
    x, *c = sp.symbols("x a1 b1 c1 a2 b2 c2")
    res = sp.resultant(c[0] * x**2 + c[1] * x + c[2], c[3] * x**2 + c[4] * x + c[5], x)
    assert sp.expand(res - resultant(c[:3], c[3:])) == 0


def test_independent_pair_is_reached_iff_a_combination_is_positive_definite():
    rng = np.random.default_rng(2)
    counts = {True: 0, False: 0}
    for _ in range(600):
        f1, f2 = rng.standard_normal((2, 3))
        reached = reachability_222(f1, f2).reached
        assert reached == (resultant(f1, f2) > 0) == has_definite_combination(f1, f2)
        counts[reached] += 1
    assert min(counts.values()) > 100          # both sides of the boundary were sampled


def test_boundary_points_in_and_out_of_the_neuromanifold():
    arch = nagviz.Architecture((2, 2, 2), 2)
    # (x^2, x^2) is computed by l1 = x, v11 = v21 = 1, everything else 0 ...
    theta = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    assert np.allclose(nagviz.coefficients(arch, theta), [[1, 0, 0], [1, 0, 0]])
    assert reachability_222([1, 0, 0], [1, 0, 0]).reached
    # ... yet (x^2, x^2 + eps xy) is not, for small eps of either sign: on the boundary
    for eps in (1e-1, 1e-3, -1e-3):
        assert not reachability_222([1, 0, 0], [1, eps, 0]).reached
        assert resultant([1, 0, 0], [1, eps, 0]) == 0          # J = 2 eps x^2, a double root
    # (x^2, xy) is not computed, but (x^2, xy + delta y^2) is, for every delta != 0
    assert not reachability_222([1, 0, 0], [0, 1, 0]).reached
    for delta in (1e-1, 1e-3, -1e-3):
        assert reachability_222([1, 0, 0], [0, 1, delta]).reached
    # (x^2 + y^2, x^2 + y^2) is interior: every nearby pair is computed
    rng = np.random.default_rng(3)
    base = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]])
    assert all(reachability_222(base + 1e-2 * rng.standard_normal((2, 3))).reached
               for _ in range(200))


def test_filling_is_not_convexity_for_222():
    plus, minus = ([1, 0, -1], [1, 1, 1]), ([1, 0, -1], [-1, 1, -1])
    mid = ([1, 0, -1], [0, 1, 0])
    assert np.allclose(np.add(plus, minus) / 2, mid)
    assert resultant(*plus) > 0 and resultant(*minus) > 0 and resultant(*mid) < 0
    assert reachability_222(*plus).reached and reachability_222(*minus).reached
    assert not reachability_222(*mid).reached
    assert cached_dimension((2, 2, 2), 2, **NO_DISK).dimension == 6     # and it fills


# ==================================================================================
# notebook 02, section 1: by hand first; the r = 1 convention; a generic activation
# ==================================================================================
def test_jacobian_of_211_by_hand_has_rank_two():
    rng = np.random.default_rng(4)
    w1, w2, v = rng.standard_normal(3)
    J = np.array([[2 * v * w1, 0, w1**2], [2 * v * w2, 2 * v * w1, 2 * w1 * w2],
                  [0, 2 * v * w2, w2**2]])
    assert np.linalg.matrix_rank(J) == 2
    assert np.allclose(J @ [w1, w2, -2 * v], 0)
    # the same Jacobian from the library's own parameterization, by finite differences
    arch = nagviz.Architecture((2, 1, 1), 2)
    theta = np.array([w1, w2, v])
    h = 1e-6
    fd = np.column_stack([(nagviz.coefficients(arch, theta + h * e)[0]
                           - nagviz.coefficients(arch, theta - h * e)[0]) / (2 * h)
                          for e in np.eye(3)])
    assert np.allclose(fd, J, atol=1e-6)
    assert nagviz.dimension((2, 1, 1), 2).dimension == 2


def test_linear_expected_dimension_is_determinantal():
    arch = nagviz.Architecture((4, 2, 4), 1)
    k, m, n = 2, 4, 4
    assert arch.n_parameters - arch.hidden_neurons == 14      # the rescaling count
    assert arch.expected_dimension == k * (m + n - k) == 12
    assert cached_dimension((4, 2, 4), 1, **NO_DISK).dimension == 12


def test_generic_activation_221_has_no_rescaling():
    res = nagviz.dimension((2, 2, 1), "z^3 + z^2")
    assert (res.parameters, res.ambient_dimension, res.dimension) == (6, 7, 6)
    # second way: the exact rank of the symbolic Jacobian at a random integer point
    x, y = sp.symbols("x y")
    w = sp.symbols("w11 w12 w21 w22 v1 v2")
    sigma = lambda z: z**3 + z**2
    f = sp.expand(w[4] * sigma(w[0] * x + w[1] * y) + w[5] * sigma(w[2] * x + w[3] * y))
    coeffs = sp.Matrix([sp.Poly(f, x, y).coeff_monomial(x**i * y**j)
                        for i, j in [(2, 0), (1, 1), (0, 2), (3, 0), (2, 1), (1, 2), (0, 3)]])
    point = dict(zip(w, [3, -2, 5, 7, -4, 11]))
    assert coeffs.jacobian(w).subs(point).rank() == 6


# ==================================================================================
# notebook 02, sections 2-5: defects and their ranges
# ==================================================================================
def test_deep_family_dimension_formula_for_every_width():
    a = deep_atlas(range(2, 7), range(1, 16), 2, **NO_DISK)
    for i, d0 in enumerate(a.row_values):
        for j, w in enumerate(a.column_values):
            formula = min(w * (d0 - 1) + math.comb(w + 1, 2), math.comb(d0 + 3, 4))
            assert a.dimension[i, j] == formula, (d0, w)
            # the defect is binom(w, 2) as long as the rescaling count is below the ambient
            count = d0 * w + w * w + w - 2 * w
            if count < a.ambient[i, j]:
                assert a.defect[i, j] == math.comb(w, 2)
    # the ranges the notebook states: defective for 2 <= w <= w_max(d0), never for d0 = 2
    last_defective = {d0: max([w for j, w in enumerate(a.column_values) if a.defect[i, j] > 0],
                              default=None) for i, d0 in enumerate(a.row_values)}
    assert last_defective == {2: None, 3: 3, 4: 5, 5: 8, 6: 11}
    for i, d0 in enumerate(a.row_values[1:], start=1):
        assert all(a.defect[i, j] > 0 for j, w in enumerate(a.column_values)
                   if 2 <= w <= last_defective[d0])
    # the formula first reaches the ambient dimension at w = 4 (d0 = 3) and w = 12 (d0 = 6)
    first_full = lambda d0: next(w for w in range(1, 30) if w * (d0 - 1) + math.comb(w + 1, 2)
                                 >= math.comb(d0 + 3, 4))
    assert (first_full(3), first_full(6)) == (4, 12)


def test_deep_family_at_r3_and_bottlenecks():
    assert not np.any(deep_atlas(range(2, 7), range(1, 9), 3, **NO_DISK).defect)
    for r in (1, 2, 3):
        b = grid_atlas(lambda d0, w: (d0, 1, w, 1), range(2, 7), range(1, 9), r, **NO_DISK)
        if r == 1:
            assert not np.any(b.defect)
        else:
            assert np.all(b.defect[:, 1:] > 0) and np.all(b.dimension == np.array(b.row_values)[:, None])


def test_quadrics_of_rank_three_in_four_variables():
    # the predict-first prompt of section 3: (4, 3, 1) counts 10 and has dimension 9
    assert cached_dimension((4, 3, 1), 2, **NO_DISK).dimension == 4 * 3 - math.comb(3, 2) == 9


def test_thresholds_printed_in_section_4():
    expected = {(3, 3, 3): 2, (4, 4, 4): 2, (3, 3, 3, 1): 3, (4, 4, 4, 1): 3, (3, 5, 1): 5,
                (2, 1, 2, 1): None}
    for widths, threshold in expected.items():
        t = degree_threshold(widths, r_max=6, **NO_DISK)
        assert t.threshold == threshold, widths
        # second way: from the threshold on, the dimension is the rescaling count (capped)
        for r, dim in zip(t.degrees, t.dimension):
            arch = nagviz.Architecture(widths, r)
            count = min(arch.n_parameters - arch.hidden_neurons, arch.ambient_dimension)
            if threshold is not None and r >= threshold:
                assert dim == count
            elif threshold is None or r == threshold - 1:   # the last defective degree
                assert dim < count
    # (3, 5, 1) is fine at r = 3, defective at r = 4 (Clebsch): the threshold is about every
    # larger r
    assert degree_threshold((3, 5, 1), r_max=6, **NO_DISK).defect.tolist() == [0, 0, 1, 0, 0]


def test_filling_width_of_quartics_in_four_variables():
    # the predict-first prompt of section 5: counting says 9, Alexander-Hirschowitz says 10
    assert math.ceil(math.comb(4 + 3, 4) / 4) == 9
    assert alexander_hirschowitz_dimension(4, 9, 4) == 34 < 35
    assert alexander_hirschowitz_dimension(4, 10, 4) == 35
    assert minimal_filling_width(4, 4, **NO_DISK).width == 10
    assert minimal_filling_width(4, 2, **NO_DISK).width == 4


def test_recovery_notes_filling_versus_luck():
    # (4, 6, 1) fills (degree 1, one candidate at N = dim); (3, 2, 2, 1) does not
    assert cached_dimension((4, 6, 1), 2, **NO_DISK).dimension == math.comb(5, 2)
    d = cached_dimension((3, 2, 2, 1), 2, **NO_DISK)
    assert d.dimension == 7 < d.ambient_dimension == 15


# ==================================================================================
# notebook 02, section 7: degrees and covering numbers
# ==================================================================================
def test_the_cone_has_degree_two():
    assert implicit_equation((2, 1, 1), 2).degree == 2
    # second way: a random line p + t q meets b^2 = 4ac in the roots of a quadratic in t
    rng = np.random.default_rng(5)
    p, q = rng.standard_normal((2, 3))
    poly = np.polynomial.Polynomial
    a, b, c = (poly([p[i], q[i]]) for i in range(3))
    eq = b * b - 4 * a * c
    assert eq.degree() == 2 and abs(eq.coef[-1]) > 1e-6


def catalecticant(coeffs, monomials):
    """The 6 x 6 catalecticant of a ternary quartic given by its coefficients."""
    F = {m: c / math.factorial(4) * math.prod(math.factorial(e) for e in m)
         for m, c in zip(monomials, coeffs)}
    quad = [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 2, 0), (0, 1, 1), (0, 0, 2)]
    return np.array([[F[tuple(i + j for i, j in zip(u, v))] for v in quad] for u in quad])


def test_clebsch_hypersurface_is_cut_out_by_a_sextic():
    # sums of five fourth powers: the 6 x 6 catalecticant is singular (its determinant, of
    # degree 6 in the coefficients, vanishes on V); six powers give a nonsingular one
    for width, rank in ((5, 5), (6, 6)):
        arch = nagviz.Architecture((3, width, 1), 4)
        for seed in range(3):
            coeffs = nagviz.coefficients(arch, arch.random_parameters(seed=seed))[0]
            sv = np.linalg.svd(catalecticant(coeffs, arch.monomials()), compute_uv=False)
            assert int(np.sum(sv > 1e-9 * sv[0])) == rank, (width, seed, sv)


def test_covering_curves_and_their_cap():
    crossing = 5.0 ** -24
    for eps, above in ((crossing * 1.5, True), (crossing / 1.5, False)):
        raw = covering_number_bound(24, determinantal_degree(5, 5, 4), eps).log_covering[0]
        whole = covering_number_bound(25, 1, eps).log_covering[0]
        assert (raw > whole) == above
    assert math.isclose(-24 * math.log10(5), -16.775, abs_tol=1e-3)     # "about 10^-16.8"
    # the notebook's cap keeps every curve at or below the whole space's
    eps = np.logspace(0, -12, 100)
    whole = covering_number_bound(25, 1, eps)
    for k in (1, 2, 3, 4):
        b = covering_number_bound(k * (10 - k), determinantal_degree(5, 5, k), eps)
        capped = dataclasses.replace(b, log_covering=np.minimum(b.log_covering,
                                                                whole.log_covering))
        assert np.all(capped.log_covering <= whole.log_covering)
        assert capped.dimension == k * (10 - k)
    assert determinantal_degree(5, 5, 4) == 5


# ==================================================================================
# the command line prints notebook 02's atlas (moved out of the notebook)
# ==================================================================================
def test_command_line_table_is_the_notebook_table():
    atlas = shallow_atlas(range(2, 7), range(1, 16), 4, **NO_DISK)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = main(["table", "--d0", "2:6", "--d1", "1:15", "--degree", "4",
                       "--quantity", "defect"])
    assert status in (0, None)
    assert atlas.to_text("defect") in out.getvalue()


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_quadric_defect_formula_of_section_3a(n):
    for k in range(1, n + 1):
        assert cached_dimension((n, k, 1), 2, **NO_DISK).dimension == k * n - math.comb(k, 2)

"""(2, 2, 1) with z^3 + z^2: the cubic hypersurface and a slice (nagviz.neurovariety_221)."""

import numpy as np
import pytest

from nagviz import coefficients
from nagviz.neurovariety_221 import (CUBIC_221, apolarity_matrix_221, network_221_parameters,
                                     neurovariety_221_equation, singular_slice_221,
                                     slice_cross_section_221)
from nagviz.tangent_space import tangent_rank


def test_neurovariety_221_is_the_determinant_cubic():
    rng = np.random.default_rng(0)
    f = coefficients(CUBIC_221, rng.standard_normal((50, 6)))[:, 0, :]
    assert np.abs(neurovariety_221_equation(f)).max() < 1e-8
    generic = rng.standard_normal((50, 7))
    assert np.abs(neurovariety_221_equation(generic)).min() > 1e-6
    # a cubic: homogeneous of degree 3 in the coefficients
    assert neurovariety_221_equation(2 * generic[0]) == pytest.approx(
        8 * neurovariety_221_equation(generic[0]))


def test_slice_equation_by_sympy():
    import sympy

    a, b, g = sympy.symbols("alpha beta gamma")
    A, B, C, k0, k1, k2, k3 = 1, g, b, a, 0, b, g   # x^2 + a x^3 + b (y^2 + xy^2) + g (xy + y^3)
    M = sympy.Matrix([[2 * A, B, 2 * C], [6 * k0, 2 * k1, 2 * k2], [2 * k1, 2 * k2, 6 * k3]])
    assert sympy.expand(M.det() - 4 * (6 * a * b**2 - 2 * b**2 - 9 * a * g**2)) == 0
    assert "6 alpha beta^2 - 2 beta^2 - 9 alpha gamma^2" in singular_slice_221().equation


def test_apolarity_rank_drops_exactly_at_subnetworks():
    rng = np.random.default_rng(1)
    for _ in range(10):
        w = rng.standard_normal(2)
        one = coefficients(CUBIC_221, [*w, 0, 0, rng.standard_normal(), 0])[0]
        parallel = coefficients(CUBIC_221, [*w, *(rng.standard_normal() * w),
                                            *rng.standard_normal(2)])[0]
        generic = coefficients(CUBIC_221, rng.standard_normal(6))[0]
        assert [np.linalg.matrix_rank(apolarity_matrix_221(f), tol=1e-9)
                for f in (one, parallel, generic)] == [1, 1, 2]
    # the tangent space there is smaller: exact Jacobian rank 3 of 6 at one neuron
    assert tangent_rank(CUBIC_221, [2, 0, 0, 0, Fraction_(1, 4), 0]).rank == 3
    assert tangent_rank(CUBIC_221, [1, 2, 3, -1, 2, 1]).rank == 6


def Fraction_(p, q):
    from fractions import Fraction

    return Fraction(p, q)


def test_network_221_parameters_finds_real_weights_or_none():
    rng = np.random.default_rng(2)
    for theta in rng.standard_normal((20, 6)):
        f = coefficients(CUBIC_221, theta)[0]
        back = network_221_parameters(f)
        assert back is not None
        np.testing.assert_allclose(coefficients(CUBIC_221, back)[0], f, atol=1e-8)
    # conjugate complex neurons give real coefficients that no real network computes
    w = np.array([1.0, 0.5 + 1.0j])
    theta = np.array([*w, *w.conj(), 0.7 - 0.2j, 0.7 + 0.2j])
    f = coefficients(CUBIC_221, theta[None])[0, 0]
    assert np.abs(f.imag).max() < 1e-12
    assert abs(neurovariety_221_equation(f.real)) < 1e-9
    assert network_221_parameters(f.real) is None
    assert network_221_parameters([1, 0, 1, 0, 1, 0, 0]) is None  # not on the neurovariety


def test_singular_slice_is_singular_along_the_line_of_one_neuron_networks():
    s = singular_slice_221()
    base, dirs = np.array(s.base), np.array(s.directions)
    for X, Y, Z in s.sheets:
        ok = np.isfinite(X)
        pts = s.coefficients(X[ok], Y[ok], Z[ok])
        assert np.abs(neurovariety_221_equation(pts)).max() < 1e-9

    def grad(a, b, g, h=1e-6):
        out = []
        for e in np.eye(3):
            p = np.array([a, b, g]) + h * e
            m = np.array([a, b, g]) - h * e
            out.append((neurovariety_221_equation(base + p @ dirs)
                        - neurovariety_221_equation(base + m @ dirs)) / (2 * h))
        return np.array(out)

    for a in (-0.8, 0.2, 0.9):  # on the axis: F = 0 and grad F = 0 (singular)
        assert abs(neurovariety_221_equation(base + a * dirs[0])) < 1e-12
        assert np.abs(grad(a, 0.0, 0.0)).max() < 1e-6
    sec = slice_cross_section_221(-0.8)
    d = sec["directions"][0]
    assert np.abs(grad(-0.8, 0.5 * d[0], 0.5 * d[1])).max() > 0.1  # smooth off the axis
    assert [slice_cross_section_221(a)["kind"] for a in (-0.5, 0.1, 0.25, 0.6)] == \
        ["node", "isolated point", "isolated point", "node"]
    assert slice_cross_section_221(1 / 3)["kind"] == "double line"


def test_slice_points_marked_real_are_computed_by_real_networks():
    s = singular_slice_221()
    X, Y, Z = s.sheets[0]
    real, ok = s.real[0], np.isfinite(X)
    assert 0.5 < real[ok].mean() < 1.0  # mostly real, with a part only complex weights reach
    for idx in list(zip(*np.nonzero(real)))[::97]:
        f = s.coefficients(X[idx], Y[idx], Z[idx])
        theta = network_221_parameters(f, tolerance=1e-7)
        np.testing.assert_allclose(coefficients(CUBIC_221, theta)[0], f, atol=1e-7)
    # the part only complex weights reach sits next to the pinch point alpha = 1/3; at the
    # pinch point alpha = 0 the double line is a limit of networks, not a network
    alphas = X[ok & ~real & (np.hypot(Y, Z) > 0.1)]
    assert np.all((alphas == 0) | ((alphas > 1 / 3) & (alphas < 0.6)))

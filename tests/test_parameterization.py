import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from nagviz import (Architecture, coefficients, evaluate, flatten, monomial_labels,
                    output_polynomials, unflatten)
from nagviz.parameterization import polynomials_latex
from nagviz.parameterization import variables


def test_cone_coordinates():
    # f = v (a x + b y)^2 has coefficients (v a^2, 2 v a b, v b^2): on the cone b^2 = 4ac
    arch = Architecture((2, 1, 1), 2)
    theta = np.random.default_rng(1).standard_normal((50, 3))
    A, B, C = np.moveaxis(coefficients(arch, theta)[:, 0, :], -1, 0)
    np.testing.assert_allclose(B ** 2, 4 * A * C, rtol=1e-9, atol=1e-12)


def test_round_trip_flatten():
    arch = Architecture((3, 4, 2), 2, bias=True)
    theta = arch.random_parameters(seed=3)
    np.testing.assert_array_equal(flatten(arch, unflatten(arch, theta)), theta)


@pytest.mark.parametrize("widths, act, bias", [((2, 2, 1), 2, False), ((2, 2, 2), 3, True),
                                               ((3, 2, 1), "z^3 + z^2", False),
                                               ((2, 2, 2, 1), 2, False), ((2, 3, 1), 1, True)])
def test_coefficients_match_sympy(widths, act, bias):
    arch = Architecture(widths, act, bias=bias)
    theta = np.random.default_rng(0).integers(-3, 4, arch.n_parameters)
    exact = output_polynomials(arch, [int(t) for t in theta])
    xs = variables(arch.widths[0])
    numeric = coefficients(arch, theta.astype(float))
    for j, poly in enumerate(exact):
        p = sympy.Poly(poly, *xs)
        want = [float(p.coeff_monomial(e)) for e in arch.monomials()]
        np.testing.assert_allclose(numeric[j], want, rtol=1e-9, atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(widths=st.lists(st.integers(1, 3), min_size=3, max_size=4), r=st.integers(1, 3),
       seed=st.integers(0, 10**6))
def test_coefficients_reproduce_evaluation(widths, r, seed):
    arch = Architecture(widths, r)
    rng = np.random.default_rng(seed)
    theta = arch.random_parameters(seed=seed, scale=0.7)
    X = rng.standard_normal((6, widths[0]))
    c = coefficients(arch, theta)
    basis = np.stack([np.prod(X ** np.array(e), axis=1) for e in arch.monomials()], axis=1)
    np.testing.assert_allclose(basis @ c.T, evaluate(arch, theta, X), rtol=1e-8, atol=1e-8)


def test_batches_and_labels():
    arch = Architecture((2, 2, 1), 2)
    assert coefficients(arch, np.zeros((4, 5, 6))).shape == (4, 5, 1, 3)
    assert monomial_labels(arch) == ["x^2", "x*y", "y^2"]
    assert evaluate(arch, np.ones(6), np.ones((3, 2))).shape == (3, 1)


def test_symbolic_and_latex():
    (poly,) = output_polynomials(Architecture((2, 1, 1)))
    assert poly.free_symbols >= set(sympy.symbols("w1_11 w1_12 w2_11"))
    (tex,) = polynomials_latex(Architecture((2, 1, 1)))
    assert "W^{(1)}_{11}" in tex and "W^{(2)}_{11}" in tex


@pytest.mark.parametrize("call", [
    lambda a: evaluate(a, np.ones(5), np.ones((2, 2))),
    lambda a: evaluate(a, np.ones(6), np.ones((2, 3))),
    lambda a: coefficients(a, "abc"),
    lambda a: output_polynomials(a, [1, 2]),
])
def test_shape_errors_are_clear(call):
    with pytest.raises((ValueError, TypeError)) as err:
        call(Architecture((2, 2, 1), 2))
    assert "parameters" in str(err.value) or "inputs" in str(err.value) or "dtype" in str(err.value)


def test_too_large_refused():
    with pytest.raises(ValueError, match="limit"):
        coefficients(Architecture((6, 6, 6, 6), 3), np.zeros(108))
    with pytest.raises(ValueError, match="limited"):
        output_polynomials(Architecture((5, 5, 5, 5), 3))

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nagviz import Architecture, InvalidArchitectureError, evaluate
from nagviz.architecture import monomial_exponents

# (widths, activation) -> (ambient, expected): MATH.md section 3
MATH_FACTS = {
    ((2, 1, 1), 2): (3, 2),
    ((2, 2, 1), 2): (3, 3),
    ((2, 2, 2), 2): (6, 6),
    ((3, 2, 1), 2): (6, 6),
    ((3, 5, 1), 4): (15, 15),
    ((3, 3, 3), 2): (18, 15),
    ((2, 1, 2, 1), 2): (5, 3),
}


@pytest.mark.parametrize("key", MATH_FACTS)
def test_counts_from_math_md(key):
    widths, r = key
    a = Architecture(widths, r)
    assert (a.ambient_dimension, a.expected_dimension) == MATH_FACTS[key]


def test_parameter_and_neuron_counts():
    a = Architecture((3, 5, 1), 4)
    assert a.n_parameters == 20 and a.hidden_neurons == 5 and a.output_degree == 4
    b = Architecture((3, 5, 1), 4, bias=True)
    assert b.n_parameters == 26 and b.output_degrees == (0, 1, 2, 3, 4)
    assert b.ambient_dimension == math.comb(4 + 3, 3)
    assert Architecture((2, 3, 3, 3, 1), 3).output_degree == 27


def test_general_activation_ambient():
    a = Architecture((2, 2, 1), "z^3 + z^2")
    assert a.output_degrees == (2, 3) and a.ambient_dimension == 7
    assert a.expected_dimension == a.n_parameters == 6
    deep = Architecture((2, 2, 2, 1), "z^3 + z^2")
    # degrees of sigma(p) with p of degrees {2,3}: sums of 2 or 3 of them
    assert deep.output_degrees == (4, 5, 6, 7, 8, 9)


@pytest.mark.parametrize("widths", [(3, 1, 2), (2, 3, 2), (4, 2, 3, 5), (5, 5), (3, 4, 4, 2)])
def test_linear_expected_dimension_is_determinantal(widths):
    a = Architecture(widths, 1)
    k, d0, dl = min(widths), widths[0], widths[-1]
    assert a.ambient_dimension == d0 * dl
    assert a.expected_dimension == k * (d0 + dl - k)
    assert Architecture(widths, 1, bias=True).expected_dimension == k * (d0 + dl - k) + dl


@pytest.mark.parametrize("bad, fragment", [
    ((3, 0, 1), "at least 1"), ((3,), "input and an output"), ("3,,1", "empty entry"),
    ((3, -2, 1), "at least 1"), ((3, 2.5, 1), "positive integer"), ("abc", "whole numbers"),
    (None, "sequence"), ((3, "x", 1), "positive integer")])
def test_bad_widths(bad, fragment):
    with pytest.raises(InvalidArchitectureError, match=fragment):
        Architecture(bad)


def test_bad_degree_and_bias():
    with pytest.raises(InvalidArchitectureError, match="integer >= 1"):
        Architecture((2, 2, 1), -1)
    with pytest.raises(InvalidArchitectureError, match="True or False"):
        Architecture((2, 2, 1), 2, bias="yes")


def test_monomial_order():
    assert monomial_exponents(3, 2) == [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 2, 0), (0, 1, 1),
                                        (0, 0, 2)]


def _rescale(arch, theta, layer, neuron, t):
    """Multiply the incoming weights (and bias) of a hidden neuron by t, outgoing by t^-r."""
    from nagviz import flatten, unflatten
    layers = [(W.copy(), None if b is None else b.copy()) for W, b in unflatten(arch, theta)]
    W, b = layers[layer]
    W[neuron] *= t
    if b is not None:
        b[neuron] *= t
    layers[layer + 1][0][:, neuron] *= t ** (-arch.activation.degree)
    return flatten(arch, layers)


@settings(max_examples=40, deadline=None)
@given(widths=st.lists(st.integers(1, 4), min_size=3, max_size=4), r=st.integers(1, 4),
       bias=st.booleans(), t=st.floats(0.3, 3.0).filter(lambda t: abs(t - 1) > 0.05),
       seed=st.integers(0, 10**6))
def test_rescaling_a_hidden_neuron_keeps_the_function(widths, r, bias, t, seed):
    arch = Architecture(widths, r, bias=bias)
    rng = np.random.default_rng(seed)
    theta = arch.random_parameters(seed=seed)
    X = rng.standard_normal((5, widths[0]))
    layer = int(rng.integers(0, arch.depth - 1))
    neuron = int(rng.integers(0, widths[layer + 1]))
    moved = _rescale(arch, theta, layer, neuron, t)
    assert not np.allclose(moved, theta)
    np.testing.assert_allclose(evaluate(arch, moved, X), evaluate(arch, theta, X),
                               rtol=1e-9, atol=1e-9)


# -- degrees, counts and limits --------------------------------------------------------
from nagviz.architecture import (jacobian_minor_degree, parse_widths,  # noqa: E402
                                 symbolic_expansion_work)


def _brute_force_degrees(exps, bias, depth):
    """The definition, enumerated: S_1 = {1} (or {0, 1}), S_{i+1} = U_k k-fold sums of S_i."""
    degrees = {0, 1} if bias else {1}
    for _ in range(depth - 1):
        sums = [{0}]
        for _k in range(max(exps)):
            sums.append({a + b for a in sums[-1] for b in degrees})
        degrees = set().union(*(sums[k] for k in exps)) | ({0} if bias else set())
    return tuple(sorted(degrees))


@settings(max_examples=120, deadline=None)
@given(exps=st.sets(st.integers(0, 9), min_size=1, max_size=4).filter(lambda s: max(s) >= 1),
       bias=st.booleans(), depth=st.integers(1, 4), d0=st.integers(1, 4))
def test_output_degrees_match_the_definition(exps, bias, depth, d0):
    text = " + ".join(f"z^{k}" for k in sorted(exps))
    arch = Architecture((d0,) + (2,) * (depth - 1) + (1,), text, bias=bias)
    degrees = _brute_force_degrees(sorted(exps), bias, depth)
    assert arch.output_degrees == degrees
    assert arch.output_degree == max(degrees)
    assert arch.monomials_per_output == sum(math.comb(e + d0 - 1, d0 - 1) for e in degrees)
    if arch.monomials_per_output < 5000:
        assert len(arch.monomials()) == arch.monomials_per_output


def test_counts_with_gaps_use_exact_sums():
    # z^7 + z: degrees 1 modulo 6; three inputs make the Lagrange-interpolated sum nontrivial
    arch = Architecture((3, 2, 2, 2, 1), "z^7 + z")
    degrees = _brute_force_degrees([1, 7], False, 4)
    assert arch.output_degrees == degrees and len(degrees) > 2 * 3 + 2
    assert arch.monomials_per_output == sum(math.comb(e + 2, 2) for e in degrees)


@pytest.mark.parametrize("bad, fragment", [
    (b"3,2,1", "not bytes"), ({3: 1, 2: 1}, "ordered"), (np.array([[3, 2, 1]]), "flat"),
    ((3, 2, 10**7), "too large"), ((3,) * 1002, "at most 1000 layers"),
])
def test_more_bad_widths(bad, fragment):
    with pytest.raises(InvalidArchitectureError, match=fragment):
        Architecture(bad)


def test_widths_accept_numpy_and_integral_floats():
    assert parse_widths(np.array([3, 2, 1])) == (3, 2, 1)
    assert parse_widths([3.0, np.int64(2), 1]) == (3, 2, 1)
    assert parse_widths(iter([2, 2, 1])) == (2, 2, 1)


def test_monomial_exponents_many_variables_and_limits():
    exps = monomial_exponents(3000, 1)  # the recursive version overflowed the stack
    assert len(exps) == 3000 and exps[0][0] == 1 and exps[-1][-1] == 1
    assert monomial_exponents(4, 0) == [(0, 0, 0, 0)]
    with pytest.raises(ValueError, match="exhaust memory"):
        monomial_exponents(50, 10)
    with pytest.raises(ValueError, match="n_vars"):
        monomial_exponents(0, 2)


def test_long_repr_fits_on_a_screen():
    text = repr(Architecture((3,) + (2,) * 500 + (1,)))
    assert len(text) < 120 and "494 more" in text  # 502 widths, 8 shown


@pytest.mark.parametrize("widths, r, bias", [((1, 1, 1), 2, False), ((2, 1, 1), 3, True),
                                             ((1, 1, 1, 1), 2, False), ((1, 2, 1), "z^3+z", True)])
def test_jacobian_minor_degree_bounds_the_true_entry_degree(widths, r, bias):
    """Against sympy: the total degree of the output in weights and inputs, minus one."""
    import sympy

    from nagviz import output_polynomials

    arch = Architecture(widths, r, bias=bias)
    (f,) = output_polynomials(arch)
    total = sympy.Poly(f, *sorted(f.free_symbols, key=str)).total_degree()
    # no cancellation in these small cases: the bound is attained
    assert jacobian_minor_degree(arch, 1) == total - 1
    assert jacobian_minor_degree(arch, 3, sketched=True) == 3 * (total - 1 + 2)


def test_symbolic_work_grows_with_the_network():
    small, deep = Architecture((2, 2, 1)), Architecture((2, 2, 2, 1))
    assert symbolic_expansion_work(small) < symbolic_expansion_work(deep)
    assert symbolic_expansion_work(deep, symbolic=False) <= symbolic_expansion_work(deep)

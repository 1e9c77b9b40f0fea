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

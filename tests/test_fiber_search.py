"""Fiber search by restarts with exact verification (nagviz.fiber_search)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

import nagviz
from nagviz.fiber_search import search_fiber
from nagviz.fibers import finite_fiber


def test_search_agrees_with_the_exact_groebner_count():
    a = nagviz.Architecture((2, 2, 1), "z^3 + z^2")
    theta = [1, 2, -1, 3, 2, -1]
    s = search_fiber(a, theta, restarts=100, seed=0)
    ff = finite_fiber(a, theta)
    assert s.verified == len(s.points) == ff.real_count == 2
    assert {tuple(sympy.Rational(v.numerator, v.denominator) for v in p) for p in s.points} \
        == set(ff.points)
    assert s.others == ()


def test_biases_add_a_reflection_of_each_neuron_about_the_inflection_point():
    z = sympy.Symbol("z")
    sigma = z ** 3 + z ** 2
    assert sympy.expand(sigma + sigma.subs(z, -z - sympy.Rational(2, 3))) == sympy.Rational(4, 27)
    a = nagviz.Architecture((2, 2, 1), "z^3 + z^2", bias=True)
    theta = [1, 2, -1, 3, 1, -2, 2, -1, 1]       # W1, b1, W2, b2
    s = search_fiber(a, theta, restarts=200, seed=0)
    assert s.verified == len(s.points) == 8 and s.permutation_images == 2
    # the reflection of neuron 1: (w, b, v) -> (-w, -b - 2/3, -v), b2 -> b2 + 4 v / 27
    F = Fraction
    reflected = (F(-1), F(-2), F(-1), F(3), F(-5, 3), F(-2), F(-2), F(-1), F(1) + F(8, 27))
    assert reflected in s.points
    assert len(s.others) == 6


def test_a_rounded_point_off_the_fiber_is_not_verified():
    a = nagviz.Architecture((2, 2, 1), "z^3 + z^2")
    theta = [Fraction(1, 3), 2, -1, 3, 2, -1]
    s = search_fiber(a, theta, restarts=100, seed=0, max_denominator=1)   # rounds 1/3 to 0
    assert len(s.points) == 2 and s.verified == 0 and not any(s.exact)
    s = search_fiber(a, theta, restarts=100, seed=0)                       # 1/3 is kept
    assert s.verified == 2


def test_bad_input():
    a = nagviz.Architecture((2, 2, 1), "z^3 + z^2")
    with pytest.raises(ValueError, match="6 parameters"):
        search_fiber(a, [1, 2, 3])
    with pytest.raises(ValueError, match="restarts"):
        search_fiber(a, np.ones(6), restarts=0)

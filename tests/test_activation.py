from fractions import Fraction

import pytest
import sympy

from nagviz.activation import Activation, InvalidActivationError


def test_monomial_and_parse_agree():
    assert Activation.monomial(3) == Activation.parse("z^3") == Activation.parse("z**3")
    assert Activation.coerce("4") == Activation.monomial(4)
    assert Activation.coerce(sympy.Symbol("z") ** 2) == Activation.monomial(2)


def test_general_polynomial():
    s = Activation.parse("z^3 + z^2")
    assert s.exponents == (2, 3) and s.degree == 3
    assert not s.is_monomial and not s.is_linear
    assert s(3) == 36
    assert str(s) == "z^3 + z^2"
    assert str(Activation.parse("2*z^2 - z/3 + 1")) == "2*z^2 - (1/3)*z + 1"
    assert Activation.parse("z/2").coefficients == (0, Fraction(1, 2))


@pytest.mark.parametrize("bad", [0, -1, 1.5, "sin(z)", "", "x^2", "__import__('os')", None,
                                 [1, 2], "3", "z**100"])
def test_bad_activations_say_what_to_do(bad):
    if bad == "3":  # a bare number string means z^3, which is fine
        assert Activation.coerce(bad).degree == 3
        return
    with pytest.raises(InvalidActivationError) as err:
        Activation.coerce(bad)
    assert "z" in str(err.value)


def test_constant_activation_rejected():
    with pytest.raises(InvalidActivationError, match="constant"):
        Activation.parse("5")


def test_mod_p_coefficients():
    assert Activation.parse("z^2/2 + 3").integer_coefficients_mod(7) == (3, 0, 4)


# -- the grammar and its limits ------------------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

from nagviz.activation import is_prime, schwartz_zippel_bound  # noqa: E402


@pytest.mark.parametrize("text, coefficients", [
    ("(z+1)^3", (1, 3, 3, 1)),
    ("-z^2", (0, 0, -1)),           # the power binds tighter than the sign, as in Python
    ("2^3^2*z", (0, 512)),           # right associative: 2^(3^2)
    ("z*2/4", (0, Fraction(1, 2))),
    ("1.25*z + .5", (Fraction(1, 2), Fraction(5, 4))),
    ("3e-2*z", (0, Fraction(3, 100))),
    ("z**2**1", (0, 0, 1)),
    ("(z-1)*(z+1)", (-1, 0, 1)),
])
def test_grammar(text, coefficients):
    assert Activation.parse(text).coefficients == tuple(Fraction(c) for c in coefficients)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fractions(max_denominator=10**6).filter(lambda f: abs(f) < 10**12),
                min_size=2, max_size=8).filter(lambda c: c[-1] != 0))
def test_what_is_printed_is_read_back(coefficients):
    sigma = Activation(tuple(coefficients))
    assert Activation.parse(str(sigma)) == sigma
    assert Activation.coerce(sympy.sympify(str(sigma).replace("^", "**"))) == sigma


@pytest.mark.parametrize("bad, fragment", [
    ((0,) * 66 + (1,), "degree 66"), ((float("nan"), 1), "rational"), ((0, 10**100), "digits"),
    (("abc", 1), "rational"),
])
def test_constructor_limits(bad, fragment):
    with pytest.raises(InvalidActivationError, match=fragment):
        Activation(bad)


def test_huge_degree_string_is_refused_not_converted():
    with pytest.raises(InvalidActivationError, match="too large"):
        Activation.coerce("9" * 5000)
    with pytest.raises(InvalidActivationError, match="too large"):
        Activation.monomial(10**5000)


def test_faithful_reduction():
    p = 2_147_483_647
    assert Activation.parse("z^3 + z^2").reduces_faithfully(p)
    assert not Activation.parse(f"{p}*z^3 + z^2").reduces_faithfully(p)   # drops z^3
    assert not Activation.parse(f"z^3 + {2 * p}*z").reduces_faithfully(p)  # drops z
    assert not Activation.parse(f"z^3/{p}").reduces_faithfully(p)          # undefined
    assert Activation.parse("z^2/2 + 3").reduces_faithfully(7)
    assert not Activation.parse("z^2/2 + 3").reduces_faithfully(3)
    assert Activation.parse(f"{p}*z^3 + z").faithful_prime() == 2_147_483_629
    with pytest.raises(ValueError, match="no prime below 3"):
        Activation.parse("2*z").faithful_prime(below=3)


def test_is_prime_agrees_with_sympy():
    assert [n for n in range(-3, 2000) if is_prime(n)] == list(sympy.primerange(0, 2000))
    for n in (2**31 - 1, 2**61 - 1, 2**31 - 19, 3_215_031_751, 2**71 - 1, 10**24 + 7):
        assert is_prime(n) == bool(sympy.isprime(n))


def test_schwartz_zippel_bound():
    assert schwartz_zippel_bound(3, 10) == pytest.approx(0.3)
    assert schwartz_zippel_bound(3, 10, trials=2) == pytest.approx(0.09)
    assert schwartz_zippel_bound(10, 10) == 1.0 and schwartz_zippel_bound(0, 10) == 1e-300
    for bad in (dict(degree=-1, sample_size=3), dict(degree=1, sample_size=0),
                dict(degree=1, sample_size=3, trials=0), dict(degree=1.5, sample_size=3)):
        with pytest.raises(ValueError):
            schwartz_zippel_bound(**bad)

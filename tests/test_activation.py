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

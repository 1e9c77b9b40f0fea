"""Polynomial activation functions.

An :class:`Activation` is a univariate polynomial ``sigma(z)`` with rational
coefficients. The monomial ``z^r`` is the main case of neuroalgebraic geometry
(``r = 1`` gives linear networks); a general polynomial such as ``z^3 + z^2``
breaks the rescaling symmetry of hidden neurons.

This module is pure mathematics: it imports neither plotting nor widget libraries,
and sympy only when a string has to be parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

__all__ = ["Activation", "InvalidActivationError"]


class InvalidActivationError(ValueError):
    """An activation could not be understood; the message says what to write instead."""


_HINT = "write a polynomial in z with rational coefficients, such as 'z^2' or 'z^3 + z^2'"


@dataclass(frozen=True)
class Activation:
    """A polynomial activation ``sigma(z) = sum_k c_k z^k``.

    Parameters
    ----------
    coefficients : tuple of fractions.Fraction
        ``coefficients[k]`` is the coefficient of ``z^k``. Trailing zeros are not
        allowed; the leading coefficient is nonzero.

    Use :meth:`monomial` or :meth:`parse` rather than the constructor.

    Examples
    --------
    >>> Activation.monomial(3)
    Activation('z^3')
    >>> sigma = Activation.parse("z^3 + z^2")
    >>> sigma.degree, sigma.is_monomial, sigma.exponents
    (3, False, (2, 3))
    >>> sigma(2)
    12
    """

    coefficients: tuple[Fraction, ...]

    def __post_init__(self):
        coeffs = tuple(Fraction(c) for c in self.coefficients)
        if not coeffs or coeffs[-1] == 0:
            raise InvalidActivationError(
                "the activation must be a nonzero, non-constant polynomial; " + _HINT
            )
        if len(coeffs) < 2:
            raise InvalidActivationError(
                "a constant activation makes every network constant; " + _HINT
            )
        object.__setattr__(self, "coefficients", coeffs)

    # -- construction ---------------------------------------------------------------
    @classmethod
    def monomial(cls, r) -> "Activation":
        """The monomial activation ``z^r`` for an integer ``r >= 1``.

        Examples
        --------
        >>> Activation.monomial(1).is_linear
        True
        >>> Activation.monomial(0)
        Traceback (most recent call last):
        ...
        nagviz.activation.InvalidActivationError: the degree r of the activation z^r must be an integer >= 1, got 0
        """
        if isinstance(r, bool) or not isinstance(r, Integral):
            if isinstance(r, float) and r.is_integer():
                r = int(r)
            else:
                raise InvalidActivationError(
                    f"the degree r of the activation z^r must be an integer >= 1, got {r!r}"
                )
        r = int(r)
        if r < 1:
            raise InvalidActivationError(
                f"the degree r of the activation z^r must be an integer >= 1, got {r}"
            )
        if r > 64:
            raise InvalidActivationError(
                f"the degree r = {r} is too large for this companion; use r <= 64"
            )
        return cls(tuple([Fraction(0)] * r + [Fraction(1)]))

    @classmethod
    def parse(cls, text: str) -> "Activation":
        """Parse a polynomial in ``z`` such as ``"z^3+z^2"`` or ``"2*z**2 - z/3"``.

        Both ``^`` and ``**`` are accepted for powers.

        Examples
        --------
        >>> Activation.parse("z**4")
        Activation('z^4')
        >>> Activation.parse("z^2 - z/3").coefficients
        (Fraction(0, 1), Fraction(-1, 3), Fraction(1, 1))
        >>> Activation.parse("sin(z)")
        Traceback (most recent call last):
        ...
        nagviz.activation.InvalidActivationError: 'sin(z)' is not a polynomial in z; write a polynomial in z with rational coefficients, such as 'z^2' or 'z^3 + z^2'
        """
        if not isinstance(text, str) or not text.strip():
            raise InvalidActivationError(f"empty or non-text activation {text!r}; " + _HINT)
        # A cheap whitelist keeps sympify away from arbitrary code.
        if not re.fullmatch(r"[\sz0-9+\-*/^().]+", text):
            raise InvalidActivationError(f"{text!r} is not a polynomial in z; " + _HINT)
        import sympy

        z = sympy.Symbol("z")
        try:
            expr = sympy.sympify(text.replace("^", "**"), locals={"z": z}, rational=True)
            poly = sympy.Poly(expr, z)
        except (sympy.SympifyError, sympy.PolynomialError, SyntaxError, TypeError) as exc:
            raise InvalidActivationError(f"{text!r} is not a polynomial in z; " + _HINT) from exc
        coeffs = poly.all_coeffs()[::-1]
        if any(not c.is_Rational for c in coeffs):
            raise InvalidActivationError(f"{text!r} has non-rational coefficients; " + _HINT)
        if poly.degree() > 64:
            raise InvalidActivationError(f"{text!r} has degree {poly.degree()}; use degree <= 64")
        return cls(tuple(Fraction(int(c.p), int(c.q)) for c in coeffs))

    @classmethod
    def coerce(cls, value) -> "Activation":
        """Turn an int ``r`` (meaning ``z^r``), a string or an Activation into an Activation.

        Examples
        --------
        >>> Activation.coerce(2) == Activation.parse("z^2")
        True
        """
        if isinstance(value, Activation):
            return value
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"\d+", text):
                return cls.monomial(int(text))
            return cls.parse(text)
        if isinstance(value, (Integral, float)) and not isinstance(value, bool):
            return cls.monomial(value)
        if type(value).__module__.startswith("sympy"):
            return cls.parse(str(value))
        raise InvalidActivationError(
            f"cannot use {value!r} (a {type(value).__name__}) as an activation; "
            "pass an integer r for z^r, or " + _HINT
        )

    # -- properties -------------------------------------------------------------
    @property
    def degree(self) -> int:
        """The degree of the polynomial ``sigma``."""
        return len(self.coefficients) - 1

    @property
    def exponents(self) -> tuple[int, ...]:
        """The exponents ``k`` with a nonzero coefficient, in increasing order."""
        return tuple(k for k, c in enumerate(self.coefficients) if c != 0)

    @property
    def is_monomial(self) -> bool:
        """Whether ``sigma(z) = c z^r`` (then hidden neurons have a rescaling symmetry)."""
        return len(self.exponents) == 1

    @property
    def is_linear(self) -> bool:
        """Whether ``sigma(z) = c z``: the network is a linear network."""
        return self.exponents == (1,)

    def __call__(self, z):
        """Evaluate ``sigma`` (Horner's rule); works on numbers, numpy arrays, sympy."""
        result = 0
        for c in reversed(self.coefficients):
            result = result * z + _as_number(c)
        return result

    def integer_coefficients_mod(self, p: int) -> tuple[int, ...]:
        """The coefficients reduced modulo the prime ``p``.

        Examples
        --------
        >>> Activation.parse("z^2/2").integer_coefficients_mod(7)
        (0, 0, 4)
        """
        out = []
        for c in self.coefficients:
            if c.denominator % p == 0:
                raise ValueError(f"the coefficient {c} is not defined modulo {p}")
            out.append(c.numerator * pow(c.denominator, -1, p) % p)
        return tuple(out)

    def __str__(self) -> str:
        terms = []
        for k in reversed(range(len(self.coefficients))):
            c = self.coefficients[k]
            if c == 0:
                continue
            mono = "" if k == 0 else ("z" if k == 1 else f"z^{k}")
            mag = abs(c)
            if mono and mag == 1:
                body = mono
            elif mono:
                body = f"{mag}*{mono}" if mag.denominator == 1 else f"({mag})*{mono}"
            else:
                body = str(mag)
            sign = "-" if c < 0 else "+"
            terms.append((sign, body))
        first_sign, first = terms[0]
        text = ("-" if first_sign == "-" else "") + first
        for sign, body in terms[1:]:
            text += f" {sign} {body}"
        return text

    def __repr__(self) -> str:
        return f"Activation({str(self)!r})"

    def latex(self) -> str:
        """LaTeX for ``sigma(z)``.

        Examples
        --------
        >>> Activation.parse("z^3+z^2").latex()
        'z^{3} + z^{2}'
        """
        import sympy

        z = sympy.Symbol("z")
        return sympy.latex(sum(sympy.Rational(c.numerator, c.denominator) * z**k
                               for k, c in enumerate(self.coefficients)))


def _as_number(c: Fraction):
    """A Fraction as an int when integral (keeps numpy arrays in integer/float dtype)."""
    if c.denominator == 1:
        return int(c.numerator)
    return float(c)

"""Polynomial activation functions.

An :class:`Activation` is a univariate polynomial ``sigma(z)`` with rational
coefficients. The monomial ``z^r`` is the main case of neuroalgebraic geometry
(``r = 1`` gives linear networks); a general polynomial such as ``z^3 + z^2``
breaks the rescaling symmetry of hidden neurons.

Strings are read by a small grammar of nagviz's own (:mod:`nagviz._polyparse`), never
evaluated; its limits (length, degree, digits) are checked before anything is expanded.

The module also holds the arithmetic that keeps modular computations honest:
:meth:`Activation.reduces_faithfully` (does reduction modulo ``p`` keep the polynomial?),
:meth:`Activation.faithful_prime` and :func:`schwartz_zippel_bound` (the probability that
random points all miss a nonzero polynomial's non-roots).

This module is pure mathematics: it imports neither plotting nor widget libraries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

from ._polyparse import MAX_DEGREE, MAX_DIGITS, ParseError, parse_polynomial
from ._quote import quote

__all__ = ["Activation", "InvalidActivationError", "schwartz_zippel_bound", "is_prime"]


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
        try:
            coeffs = tuple(Fraction(c) for c in self.coefficients)
        except (TypeError, ValueError, OverflowError):
            raise InvalidActivationError(
                f"the coefficients {quote(self.coefficients)} are not all rational numbers; "
                + _HINT) from None
        if len(coeffs) > MAX_DEGREE + 1:
            raise InvalidActivationError(
                f"the activation has degree {len(coeffs) - 1}; use degree <= {MAX_DEGREE}")
        limit = 10 ** MAX_DIGITS
        if any(abs(c.numerator) >= limit or c.denominator >= limit for c in coeffs):
            raise InvalidActivationError(
                f"a coefficient of the activation has more than {MAX_DIGITS} digits")
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
                    f"the degree r of the activation z^r must be an integer >= 1, got {quote(r)}"
                )
        r = int(r)
        if r < 1:
            raise InvalidActivationError(
                f"the degree r of the activation z^r must be an integer >= 1, got {r}"
            )
        if r > MAX_DEGREE:
            raise InvalidActivationError(
                f"the degree r = {quote(r)} is too large for this companion; use r <= {MAX_DEGREE}"
            )
        return cls(tuple([Fraction(0)] * r + [Fraction(1)]))

    @classmethod
    def parse(cls, text: str) -> "Activation":
        """Parse a polynomial in ``z`` such as ``"z^3+z^2"`` or ``"2*z**2 - z/3"``.

        Both ``^`` and ``**`` are accepted for powers; numbers may be integers,
        decimals (``0.5``, ``1e-3``) or quotients (``z/3``). The text is read by a small
        grammar of nagviz's own (never evaluated as code), with limits checked before
        any expansion: at most 2,000 characters, degree at most 64 (for every
        intermediate result too), at most 100 digits in a number or coefficient.

        Examples
        --------
        >>> Activation.parse("z**4")
        Activation('z^4')
        >>> Activation.parse("z^2 - z/3").coefficients
        (Fraction(0, 1), Fraction(-1, 3), Fraction(1, 1))
        >>> Activation.parse("(z + 1)^2 - 1")
        Activation('z^2 + 2*z')
        >>> Activation.parse("sin(z)")
        Traceback (most recent call last):
        ...
        nagviz.activation.InvalidActivationError: 'sin(z)' is not a polynomial in z (unknown name 'sin' at position 1); write a polynomial in z with rational coefficients, such as 'z^2' or 'z^3 + z^2'
        >>> Activation.parse("z^(10^10)")
        Traceback (most recent call last):
        ...
        nagviz.activation.InvalidActivationError: 'z^(10^10)' is not a polynomial in z (a power has degree 10000000000; the limit is 64); write a polynomial in z with rational coefficients, such as 'z^2' or 'z^3 + z^2'
        """
        if not isinstance(text, str) or not text.strip():
            raise InvalidActivationError(f"empty or non-text activation {quote(text)}; " + _HINT)
        try:
            coeffs = parse_polynomial(text)
        except ParseError as exc:
            raise InvalidActivationError(
                f"{quote(text)} is not a polynomial in z ({exc}); " + _HINT) from None
        if not coeffs:
            raise InvalidActivationError(f"{quote(text)} is zero; " + _HINT)
        return cls(tuple(coeffs))

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
            if text.isascii() and text.isdigit():
                if len(text.lstrip("0")) > 6:
                    raise InvalidActivationError(
                        f"the degree r = {quote(text)} is too large for this companion; "
                        f"use r <= {MAX_DEGREE}")
                return cls.monomial(int(text))
            return cls.parse(text)
        if isinstance(value, (Integral, float)) and not isinstance(value, bool):
            return cls.monomial(value)
        if type(value).__module__.startswith("sympy"):
            return cls.parse(str(value))
        raise InvalidActivationError(
            f"cannot use {quote(value)} (a {type(value).__name__}) as an activation; "
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

        Check :meth:`reduces_faithfully` first: the reduction may drop terms.

        Examples
        --------
        >>> Activation.parse("z^2/2").integer_coefficients_mod(7)
        (0, 0, 4)
        """
        p = _modulus(p)
        out = []
        for c in self.coefficients:
            if c.denominator % p == 0:
                raise ValueError(f"the coefficient {c} is not defined modulo {p}")
            out.append(c.numerator * pow(c.denominator, -1, p) % p)
        return tuple(out)

    def reduces_faithfully(self, p: int) -> bool:
        """Whether reduction modulo ``p`` keeps the degree and every nonzero term.

        That is: ``p`` divides neither the numerator nor the denominator of any nonzero
        coefficient. Only then is a computation modulo ``p`` a computation with this
        activation; ``2147483647*z^2`` is the zero polynomial modulo ``2^31 - 1``.

        Examples
        --------
        >>> sigma = Activation.parse("2147483647*z^2 + z")
        >>> sigma.reduces_faithfully(2147483647), sigma.reduces_faithfully(2147483629)
        (False, True)
        >>> Activation.parse("z^3/7 + z").reduces_faithfully(7)
        False
        """
        p = _modulus(p)
        return all(c.numerator % p != 0 and c.denominator % p != 0
                   for c in self.coefficients if c != 0)

    def faithful_prime(self, below: int = 2**31) -> int:
        """The largest prime ``p < below`` modulo which the activation :meth:`reduces_faithfully`.

        Only the finitely many primes dividing a coefficient are skipped, so for the
        default this is ``2^31 - 1`` unless a coefficient is a multiple of it.

        Examples
        --------
        >>> Activation.parse("z^2").faithful_prime()
        2147483647
        >>> Activation.parse("2147483647*z^2").faithful_prime()
        2147483629
        """
        if isinstance(below, bool) or not isinstance(below, Integral) or not 3 <= below <= _MR_LIMIT:
            raise ValueError(f"below must be an integer between 3 and {_MR_LIMIT:.2e}, "
                             f"got {quote(below)}")
        for p in range(int(below) - 1, 1, -1):
            if is_prime(p) and self.reduces_faithfully(p):
                return p
        raise ValueError(f"no prime below {below} reduces {self} faithfully")

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


# deterministic Miller-Rabin: these bases decide primality of every n < 3.3e24
_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
_MR_LIMIT = 3_317_044_064_679_887_385_961_981


def is_prime(n: int) -> bool:
    """Whether ``n`` is a prime (deterministic for ``n < 3.3e24``).

    Examples
    --------
    >>> is_prime(2**31 - 1), is_prime(2**31 + 1), is_prime(2)
    (True, False, True)
    """
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise ValueError(f"expected an integer, got {quote(n)}")
    n = int(n)
    if n > _MR_LIMIT:
        raise ValueError(f"{quote(n)} is too large for this primality test (limit 3.3e24)")
    if n < 2:
        return False
    for q in _MR_BASES:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _modulus(p) -> int:
    if isinstance(p, bool) or not isinstance(p, Integral) or p < 2:
        raise ValueError(f"the modulus must be an integer >= 2, got {quote(p)}")
    return int(p)


def schwartz_zippel_bound(degree: int, sample_size: int, trials: int = 1) -> float:
    """Probability bound that ``trials`` random points are all roots of a polynomial.

    Schwartz-Zippel: a nonzero polynomial of total degree ``degree`` over a field
    vanishes at a point drawn uniformly from ``S^n`` with probability at most
    ``degree / |S|``; independent trials all vanish with probability at most
    ``(degree / |S|)^trials``. With ``|S| = p - 1`` (nonzero residues) and ``degree`` the
    degree of a Jacobian minor (:func:`nagviz.architecture.jacobian_minor_degree`) this is
    the chance that :func:`nagviz.dimension` reports a rank below the generic
    rank **of the reduction modulo p**. It says nothing when ``degree >= |S|`` (returns
    1.0). Bounds below ``1e-300`` are returned as ``1e-300`` (still a true bound).

    Parameters
    ----------
    degree : int
        Total degree of the polynomial (``>= 0``).
    sample_size : int
        Size of the set each coordinate is drawn from (``>= 1``).
    trials : int, default 1
        Independent points.

    Examples
    --------
    >>> schwartz_zippel_bound(112, 2**31 - 2)           # (3, 5, 1) with z^4, one trial
    5.215406...e-08
    >>> schwartz_zippel_bound(112, 1)                   # the prime 2: no guarantee at all
    1.0
    >>> f"{schwartz_zippel_bound(10, 100, trials=3):.1e}"
    '1.0e-03'
    >>> schwartz_zippel_bound(1, 2**31 - 2, trials=10**6)
    1e-300
    """
    for name, value, low in (("degree", degree, 0), ("sample_size", sample_size, 1),
                             ("trials", trials, 1)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {quote(value)}")
    if degree >= sample_size:
        return 1.0
    if degree == 0:
        return 1e-300
    if int(trials) * math.log2(int(sample_size) / int(degree)) > 996:
        return 1e-300
    return max((int(degree) / int(sample_size)) ** int(trials), 1e-300)


def _as_number(c: Fraction):
    """A Fraction as an int when integral (keeps numpy arrays in integer/float dtype)."""
    if c.denominator == 1:
        return int(c.numerator)
    return float(c)

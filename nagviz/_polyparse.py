"""A small, safe parser for polynomials in ``z`` (internal; used by :mod:`nagviz.activation`).

No string is ever evaluated as code or handed to sympy. A tokenizer and a recursive
descent parser read the grammar ::

    sum     := ['+' | '-'] product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := ('+' | '-') unary | power
    power   := atom [('^' | '**') unary]          (right associative, like Python)
    atom    := NUMBER | 'z' | '(' sum ')'
    NUMBER  := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]  (exact rationals)

and every limit is checked **before** the work it bounds: the length of the text, the
digits of a number, the nesting depth, the degree of a product or a power
(``deg(a b) = deg a + deg b``, ``deg(a^k) = k deg a``) and the size of every
coefficient (a constant power ``c^k`` is refused from ``k`` and the size of ``c``).
A polynomial is a list of :class:`fractions.Fraction`, ``p[k]`` the coefficient of
``z^k``, without trailing zeros (``[]`` is zero).
"""

from __future__ import annotations

from fractions import Fraction

from ._quote import quote

#: the longest activation text accepted
MAX_LENGTH = 2000
#: the largest degree of the polynomial, and of every intermediate result
MAX_DEGREE = 64
#: the most decimal digits in a number or in the numerator/denominator of a coefficient
MAX_DIGITS = 100
#: the deepest nesting of parentheses, powers and signs
MAX_NESTING = 50

_MAX_BITS = int(MAX_DIGITS * 3.3219280948873626) + 1  # 10^100 < 2^333
_DIGITS = "0123456789"


class ParseError(ValueError):
    """Raised with the reason only; :mod:`nagviz.activation` words the full message."""


_LIMIT = 10 ** MAX_DIGITS


def _too_big(c: Fraction) -> bool:
    return abs(c.numerator) >= _LIMIT or c.denominator >= _LIMIT


def _trim(p: list) -> list:
    while p and p[-1] == 0:
        p.pop()
    return p


def _check_size(p: list) -> list:
    if any(_too_big(c) for c in p):
        raise ParseError(f"a coefficient has more than {MAX_DIGITS} digits")
    return p


def _degree(p: list) -> int:
    return len(p) - 1


def _add(a: list, b: list, sign: int = 1) -> list:
    out = list(a) + [Fraction(0)] * max(0, len(b) - len(a))
    for k, c in enumerate(b):
        out[k] += sign * c
    return _check_size(_trim(out))


def _mul(a: list, b: list) -> list:
    if not a or not b:
        return []
    degree = _degree(a) + _degree(b)
    if degree > MAX_DEGREE:
        raise ParseError(f"a product has degree {degree}; the limit is {MAX_DEGREE}")
    out = [Fraction(0)] * (degree + 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return _check_size(_trim(out))


def _power(base: list, k: Fraction) -> list:
    if k.denominator != 1:
        raise ParseError(f"the exponent {k} is not a whole number")
    k = k.numerator
    if _degree(base) >= 1:
        if k < 0:
            raise ParseError("a negative power of z is not a polynomial")
        if k * _degree(base) > MAX_DEGREE:
            raise ParseError(f"a power has degree {quote(k * _degree(base))}; the limit is "
                             f"{MAX_DEGREE}")
        out, sq = [Fraction(1)], base
        while k:
            if k & 1:
                out = _mul(out, sq)
            k >>= 1
            if k:
                sq = _mul(sq, sq)
        return out
    c = base[0] if base else Fraction(0)
    if c == 0:
        if k < 0:
            raise ParseError("division by zero")
        return [] if k > 0 else [Fraction(1)]
    if abs(c.numerator) == 1 and c.denominator == 1:
        return [c ** (k % 2)]
    size = max(c.numerator.bit_length(), c.denominator.bit_length()) - 1
    if abs(k) * size > _MAX_BITS:
        raise ParseError(f"a power of a number has more than {MAX_DIGITS} digits")
    return _check_size([c ** k])


def _tokens(text: str) -> list[tuple[str, object, int]]:
    """``(kind, value, position)`` with kind one of ``num z + - * / ^ ( ) end``."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        start = i
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            while i < n and text[i] in _DIGITS:
                i += 1
            whole, frac = text[start:i], ""
            if i < n and text[i] == ".":
                i += 1
                j = i
                while i < n and text[i] in _DIGITS:
                    i += 1
                frac = text[j:i]
            exp = "0"
            if i < n and text[i] in "eE":
                j = i + 1
                if j < n and text[j] in "+-":
                    j += 1
                k = j
                while k < n and text[k] in _DIGITS:
                    k += 1
                if k == j:
                    raise ParseError(f"a number ends in {text[i]!r} at position {i + 1}")
                exp, i = text[i + 1:k], k
            digits = (whole + frac).lstrip("0")
            if len(digits) > MAX_DIGITS or len(exp.lstrip("+-").lstrip("0")) > 4:
                raise ParseError(f"the number at position {start + 1} has more than "
                                 f"{MAX_DIGITS} digits")
            shift = int(exp) - len(frac)
            if len(digits) + shift > MAX_DIGITS or -shift > MAX_DIGITS:
                raise ParseError(f"the number at position {start + 1} has more than "
                                 f"{MAX_DIGITS} digits")
            value = Fraction(int(whole + frac or "0")) * Fraction(10) ** shift
            out.append(("num", value, start + 1))
            continue
        if ch == "*" and text.startswith("**", i):
            out.append(("^", None, i + 1))
            i += 2
            continue
        if ch in "z+-*/^()":
            out.append((ch, None, i + 1))
            i += 1
            continue
        if ch.isalpha() or ch == "_":
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            raise ParseError(f"unknown name {quote(text[start:i], 20)} at position {start + 1}")
        raise ParseError(f"unexpected {quote(ch)} at position {i + 1}")
    out.append(("end", None, n + 1))
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i, self.depth = tokens, 0, 0

    @property
    def kind(self) -> str:
        return self.tokens[self.i][0]

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def enter(self):
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ParseError(f"nested more than {MAX_NESTING} levels deep")

    def sum(self) -> list:
        self.enter()
        sign = 1
        if self.kind in ("+", "-"):
            sign = -1 if self.take()[0] == "-" else 1
        total = _add([], self.product(), sign)
        while self.kind in ("+", "-"):
            sign = -1 if self.take()[0] == "-" else 1
            total = _add(total, self.product(), sign)
        self.depth -= 1
        return total

    def product(self) -> list:
        value = self.unary()
        while self.kind in ("*", "/"):
            op, _, pos = self.take()
            right = self.unary()
            if op == "*":
                value = _mul(value, right)
            elif _degree(right) >= 1:
                raise ParseError(f"division by a polynomial in z at position {pos}")
            elif not right:
                raise ParseError(f"division by zero at position {pos}")
            else:
                value = _check_size([c / right[0] for c in value])
        return value

    def unary(self) -> list:
        sign = 1
        while self.kind in ("+", "-"):
            if self.take()[0] == "-":
                sign = -sign
        value = self.power()
        return value if sign == 1 else [-c for c in value]

    def power(self) -> list:
        self.enter()
        base = self.atom()
        if self.kind == "^":
            pos = self.take()[2]
            exponent = self.unary()
            if _degree(exponent) >= 1:
                raise ParseError(f"the exponent at position {pos} contains z")
            base = _power(base, exponent[0] if exponent else Fraction(0))
        if self.kind in ("num", "z", "("):
            raise ParseError(f"a '*' is missing before position {self.tokens[self.i][2]}")
        self.depth -= 1
        return base

    def atom(self) -> list:
        kind, value, pos = self.take()
        if kind == "num":
            return _trim([value])
        if kind == "z":
            return [Fraction(0), Fraction(1)]
        if kind == "(":
            inner = self.sum()
            if self.kind != ")":
                raise ParseError(f"a ')' is missing at position {self.tokens[self.i][2]}")
            self.take()
            return inner
        if kind == "end":
            raise ParseError("the text ends where a number, z or '(' should follow")
        raise ParseError(f"unexpected {kind!r} at position {pos}")


def parse_polynomial(text: str) -> list:
    """The coefficients ``[c_0, c_1, ...]`` of a polynomial in ``z`` written in ``text``.

    Raises :class:`ParseError` (a ``ValueError``) with a short reason.

    Examples
    --------
    >>> parse_polynomial("(z+1)^2 - 1/2")
    [Fraction(1, 2), Fraction(2, 1), Fraction(1, 1)]
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"it is longer than {MAX_LENGTH:,} characters")
    parser = _Parser(_tokens(text))
    value = parser.sum()
    if parser.kind != "end":
        kind, _, pos = parser.tokens[parser.i]
        raise ParseError(f"unexpected {kind!r} at position {pos}")
    return value

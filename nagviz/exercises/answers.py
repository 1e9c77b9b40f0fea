"""Answer kinds: how a student's answer is read and compared with the expected one.

An *answer kind* knows three things about one sort of answer (a whole number, a
formula, a set of numbers, ...):

* how to **read** whatever the student typed into a canonical value
  (:meth:`AnswerKind.normalize`), so that ``6``, ``6.0``, ``numpy.int64(6)`` and
  ``"6"`` all become ``6``;
* when two canonical values are **the same answer** (:meth:`AnswerKind.equal`);
* optionally, a **generic diagnosis** of a wrong answer that does not give the
  answer away (:meth:`AnswerKind.diagnose`), e.g. "right entries, wrong order".

Reading never crashes on a surprising value: it raises :class:`AnswerFormatError`
whose message is meant for the student, and :meth:`AnswerKind.equivalent` turns
that into ``False``.

Nothing here imports sympy until a formula has to be read, so importing this
module stays cheap.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from ._reading import (
    AnswerFormatError,
    describe,
    entries,
    has_ellipsis,
    is_sympy,
    parse_formula,
    perfect_matching,
    read_number,
    safe,
    sequence_items,
)

__all__ = [
    "AnswerFormatError",
    "AnswerKind",
    "Array",
    "Boolean",
    "Choice",
    "Collection",
    "Expression",
    "Function",
    "Integer",
    "Real",
    "Tuple",
    "describe",
    "has_ellipsis",
    "parse_formula",
]


# --------------------------------------------------------------------------- kinds


class AnswerKind:
    """Base class of answer kinds.

    Subclasses implement :meth:`normalize` and :meth:`equal`, and may refine
    :meth:`diagnose` and :meth:`is_unanswered`.

    Examples
    --------
    >>> Integer().equivalent(6.0, 6)
    True
    >>> Integer().equivalent("not a number", 6)
    False
    """

    #: What the kind reads, for messages ("a whole number").
    description: ClassVar[str] = "an answer"
    #: The same in the plural, for lists of answers ("whole numbers").
    plural: ClassVar[str] = "answers"

    def normalize(self, value: Any, like: Any = None) -> Any:
        """Read ``value`` into canonical form.

        Parameters
        ----------
        value
            The raw answer.
        like
            The (already normalized) expected answer, when reading a student's
            answer; ``None`` when reading the expected answer itself. Kinds use it
            for context only (e.g. which names are symbols), never to accept.

        Raises
        ------
        AnswerFormatError
            When ``value`` is not of this kind.
        """
        raise NotImplementedError

    def equal(self, answer: Any, expected: Any) -> bool:
        """Whether two normalized values are the same answer."""
        raise NotImplementedError

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        """A generic, non-revealing remark on a wrong normalized answer, or ``None``."""
        return None

    def misordered(self, answer: Any, expected: Any) -> str | None:
        """A remark when a wrong normalized answer holds the right values in a wrong order.

        Checked before the exercise's own ``when=`` mistake rules, whose predicates
        often look at one entry at a time and would misread a swap; ``None`` by default.
        """
        return None

    def is_unanswered(self, value: Any) -> bool:
        """Whether a raw answer is still (partly) the ``...`` stub."""
        return has_ellipsis(value)

    def equivalent(self, answer: Any, expected: Any) -> bool:
        """Read both values and compare them; ``False`` when ``answer`` cannot be read.

        Examples
        --------
        >>> Collection(Integer()).equivalent((3, 1, 2.0), {1, 2, 3})
        True
        """
        expected = self.normalize(expected)
        try:
            answer = self.normalize(answer, like=expected)
        except AnswerFormatError:
            return False
        return safe(self.equal, answer, expected)


@dataclass(frozen=True)
class Integer(AnswerKind):
    """A whole number.

    Accepts Python and numpy integers, floats that are whole numbers (``6.0``),
    integral fractions and sympy numbers, and strings such as ``"6"`` or
    ``"binomial(4, 2)"``. Refuses ``True``/``False``.

    Examples
    --------
    >>> kind = Integer()
    >>> kind.normalize(6.0), kind.normalize("binomial(4, 2)")
    (6, 6)
    >>> kind.normalize(5.5)
    Traceback (most recent call last):
    ...
    nagviz.exercises.answers.AnswerFormatError: 5.5 is not a whole number.
    """

    description: ClassVar[str] = "a whole number"
    plural: ClassVar[str] = "whole numbers"

    def normalize(self, value: Any, like: Any = None) -> int:
        number = read_number(value)
        if isinstance(number, int):
            return number
        if isinstance(number, Fraction) and number.denominator == 1:
            return int(number)
        if isinstance(number, float) and abs(number - round(number)) <= 1e-9 * max(1.0, abs(number)):
            return int(round(number))
        shown = str(number) if isinstance(number, Fraction) else f"{number:g}"
        raise AnswerFormatError(f"{shown} is not a whole number.")

    def equal(self, answer: int, expected: int) -> bool:
        return answer == expected

    def diagnose(self, answer: int, expected: int) -> str | None:
        if answer == -expected:
            return "Check the sign of your answer."
        return None


@dataclass(frozen=True)
class Real(AnswerKind):
    """A real number, compared within a tolerance.

    Parameters
    ----------
    rtol, atol
        Relative and absolute tolerance, as in :func:`math.isclose`.

    Examples
    --------
    >>> Real(rtol=1e-3).equivalent(3.1416, "pi")
    True
    >>> Real().equivalent(0.5, "1/3")
    False
    """

    rtol: float = 1e-6
    atol: float = 1e-9
    description: ClassVar[str] = "a real number"
    plural: ClassVar[str] = "real numbers"

    def normalize(self, value: Any, like: Any = None) -> float:
        return float(read_number(value))

    def equal(self, answer: float, expected: float) -> bool:
        return math.isclose(answer, expected, rel_tol=self.rtol, abs_tol=self.atol)

    def diagnose(self, answer: float, expected: float) -> str | None:
        if expected != 0 and self.equal(-answer, expected):
            return "Check the sign of your answer."
        return None


def _symbol_names(value: Any) -> set[str]:
    """Names of the free symbols in a sympy object or a (nested) container of them."""
    if value is None:
        return set()
    if is_sympy(value):
        return {str(s) for s in getattr(value, "free_symbols", ())}
    if isinstance(value, list | tuple | set | frozenset):
        return set().union(*(_symbol_names(v) for v in value)) if value else set()
    return set()


def _is_zero(difference: Any) -> bool:
    """Whether a sympy expression is identically zero (symbolically, else numerically)."""
    import sympy

    if sympy.expand(difference) == 0:
        return True
    try:
        if sympy.simplify(difference) == 0:
            return True
    except Exception:
        pass
    if not difference.atoms(sympy.Float):
        return False
    # Floating-point coefficients: compare values at a few random points instead.
    rng = random.Random(20250118)
    symbols = sorted(difference.free_symbols, key=str)
    for _ in range(4):
        point = {s: sympy.Rational(rng.randint(-97, 97), rng.randint(1, 13)) for s in symbols}
        value = complex(difference.subs(point).evalf())
        scale = max(1.0, max((abs(complex(v)) for v in point.values()), default=1.0))
        if abs(value) > 1e-8 * scale:
            return False
    return True


def _defining_polynomial(expr: Any) -> Any:
    """The simplest equation with the same solutions as ``expr = 0``: the numerator over a
    common denominator, without repeated factors (unchanged when that is not a polynomial)."""
    import sympy

    numerator, denominator = sympy.fraction(sympy.together(expr))
    if denominator.free_symbols:
        expr = numerator
    symbols = sorted(expr.free_symbols, key=str)
    if not symbols:
        return expr
    try:
        sympy.Poly(expr, *symbols)
    except sympy.PolynomialError:
        return expr
    return sympy.sqf_part(sympy.expand(expr), *symbols)


@dataclass(frozen=True)
class Expression(AnswerKind):
    """A sympy expression (or matrix), compared symbolically.

    Accepts sympy expressions, polynomials and matrices, plain numbers, and
    strings such as ``"(a*x + b*y)^2"``. Symbols are matched by *name*, so a
    student's ``Symbol("x", real=True)`` counts as the ``x`` of the exercise.

    Parameters
    ----------
    up_to_constant
        Accept any nonzero constant multiple of the expected expression (for
        implicit equations, which are only defined up to scale). Equations
        ``Eq(lhs, rhs)`` and strings ``"lhs = rhs"`` are then read as
        ``lhs - rhs``.
    symbols
        Extra names that must be read as symbols in string answers (the
        names occurring in the expected expression always are).
    equation
        The answer is an implicit equation, and every equivalent equation is
        right: besides constant multiples (``up_to_constant`` is implied),
        denominators are cleared and repeated factors dropped, so
        ``w2 = 3/w1``, ``w1*w2 = 3`` and ``(w1*w2 - 3)**2 = 0`` are one answer.

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> Expression().equivalent("(x + y)^2", x**2 + 2*x*y + y**2)
    True
    >>> Expression(up_to_constant=True).equivalent("b^2 = 4 a c", sympy.sympify("4*a*c - b**2"))
    True
    >>> Expression(equation=True).equivalent("y = 3/x", x*y - 3)
    True
    """

    up_to_constant: bool = False
    symbols: tuple[str, ...] = ()
    equation: bool = False
    description: ClassVar[str] = "a formula"
    plural: ClassVar[str] = "formulas"

    def normalize(self, value: Any, like: Any = None) -> Any:
        import sympy

        names = _symbol_names(like) | set(self.symbols)
        implicit = self.up_to_constant or self.equation
        if isinstance(value, str):
            text = value
            if implicit and text.count("=") == 1 and "==" not in text:
                lhs, rhs = text.split("=")
                value = parse_formula(lhs, names) - parse_formula(rhs, names)
            else:
                value = parse_formula(text, names)
        elif isinstance(value, bool | np.bool_) or value is None:
            raise AnswerFormatError(f"expected a formula, got {describe(value)}.")
        elif isinstance(value, int | float | Fraction | np.integer | np.floating):
            value = sympy.nsimplify(value) if isinstance(value, Fraction) else sympy.sympify(value)
        elif isinstance(value, sympy.Poly):
            value = value.as_expr()
        if isinstance(value, sympy.Equality):
            if not implicit:
                raise AnswerFormatError("expected an expression, got an equation.")
            value = value.lhs - value.rhs
        if like is not None and is_sympy(like) and isinstance(value, sympy.MatrixBase) != isinstance(like, sympy.MatrixBase):
            wanted = "a matrix" if isinstance(like, sympy.MatrixBase) else "a single formula"
            raise AnswerFormatError(f"expected {wanted}, got {describe(value)}.")
        if isinstance(value, sympy.MatrixBase):
            value = sympy.ImmutableMatrix(value)
        elif not isinstance(value, sympy.Expr):
            raise AnswerFormatError(f"expected a formula, got {describe(value)}.")
        by_name = {}
        if like is not None and is_sympy(like):
            by_name = {str(s): s for s in like.free_symbols}
        renames = {s: by_name[str(s)] for s in value.free_symbols if str(s) in by_name and s != by_name[str(s)]}
        value = value.xreplace(renames) if renames else value
        if self.equation and isinstance(value, sympy.Expr):
            value = _defining_polynomial(value)
        return value

    def equal(self, answer: Any, expected: Any) -> bool:
        import sympy

        answer_is_matrix = isinstance(answer, sympy.MatrixBase)
        if answer_is_matrix != isinstance(expected, sympy.MatrixBase):
            return False
        if answer_is_matrix:
            return answer.shape == expected.shape and all(
                _is_zero(a - e) for a, e in zip(answer, expected, strict=True)
            )
        if not (self.up_to_constant or self.equation):
            return _is_zero(answer - expected)
        if _is_zero(expected):
            return _is_zero(answer)
        if _is_zero(answer):
            return False
        ratio = sympy.simplify(answer / expected)
        return bool(ratio.is_number) and ratio != 0 and bool(ratio.is_finite)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        import sympy

        if isinstance(answer, sympy.MatrixBase) or isinstance(expected, sympy.MatrixBase):
            if isinstance(answer, sympy.MatrixBase) and isinstance(expected, sympy.MatrixBase):
                if answer.shape != expected.shape:
                    return f"Your matrix has shape {answer.shape}, which is not the shape asked for."
            return None
        allowed = _symbol_names(expected) | set(self.symbols)
        extra = sorted(_symbol_names(answer) - allowed)
        if extra:
            return (
                f"Your formula contains {'the symbol' if len(extra) == 1 else 'the symbols'} "
                f"{', '.join(extra)}, which {'does' if len(extra) == 1 else 'do'} not occur in this exercise."
            )
        if self.up_to_constant or self.equation or _is_zero(expected):
            return None
        ratio = sympy.simplify(answer / expected)
        if ratio == -1:
            return "Your formula has the wrong sign."
        if ratio.is_number and ratio != 0:
            return "Your formula is off by a constant factor."
        if sympy.simplify(answer - expected).is_number:
            return "Your formula is off by an additive constant."
        return None


@dataclass(frozen=True, init=False)
class Collection(AnswerKind):
    """A list of answers of one kind, in a fixed order or in any order.

    Accepts lists, tuples, sets, numpy arrays and sympy sets/tuples alike.
    Without order, the entries are compared as a multiset (the same entries,
    counted with multiplicity).

    Parameters
    ----------
    element
        The kind of every entry.
    ordered
        Whether the order of the entries matters.

    Examples
    --------
    >>> Collection(Integer()).equivalent([3, 1, 2], {1, 2, 3})
    True
    >>> Collection(Integer(), ordered=True).equivalent([3, 1, 2], (1, 2, 3))
    False
    >>> kind = Collection(Integer(), ordered=True)
    >>> kind.diagnose(kind.normalize([3, 1, 2]), kind.normalize([1, 2, 3]))
    'You have the right entries, but in the wrong order.'
    >>> kind.description, Collection(Boolean()).description
    ('a list of whole numbers', 'a collection of True/False values')
    """

    element: AnswerKind
    ordered: bool

    def __init__(self, element: AnswerKind, ordered: bool = False) -> None:
        object.__setattr__(self, "element", element)
        object.__setattr__(self, "ordered", ordered)

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"a {'list' if self.ordered else 'collection'} of {self.element.plural}"

    @property
    def plural(self) -> str:  # type: ignore[override]
        return f"{'lists' if self.ordered else 'collections'} of {self.element.plural}"

    def normalize(self, value: Any, like: Any = None) -> tuple[Any, ...]:
        items = sequence_items(value, self.description)
        read = []
        for position, item in enumerate(items, start=1):
            try:
                read.append(self.element.normalize(item, like=like))
            except AnswerFormatError as err:
                where = f"entry {position}" if self.ordered else "one of the entries"
                raise AnswerFormatError(f"{where}: {err}") from None
        return tuple(read)

    def equal(self, answer: tuple[Any, ...], expected: tuple[Any, ...]) -> bool:
        if len(answer) != len(expected):
            return False
        if self.ordered:
            return all(safe(self.element.equal, a, e) for a, e in zip(answer, expected, strict=True))
        return perfect_matching(answer, expected, self.element.equal) == len(expected)

    def diagnose(self, answer: tuple[Any, ...], expected: tuple[Any, ...]) -> str | None:
        if len(answer) != len(expected):
            return f"Your answer has {entries(len(answer))}, which is not the right number."
        matched = perfect_matching(answer, expected, self.element.equal)
        if self.ordered:
            if matched == len(expected) and not isinstance(self.element, Boolean):
                # (for yes/no answers a count of Trues says nothing about order)
                return "You have the right entries, but in the wrong order."
            wrong = [i for i, (a, e) in enumerate(zip(answer, expected, strict=True), 1) if not safe(self.element.equal, a, e)]
            places = ", ".join(str(i) for i in wrong)
            return f"Check {'entry' if len(wrong) == 1 else 'entries'} {places} (counting from 1)."
        if 0 < matched < len(expected):
            return f"{matched} of your {len(answer)} entries {'is' if matched == 1 else 'are'} right."
        return None


@dataclass(frozen=True, init=False)
class Tuple(AnswerKind):
    """A fixed number of answers, each of its own kind, in order.

    Parameters
    ----------
    *kinds
        The kind of each entry.
    names
        Optional names of the entries, used in messages ("check the ambient
        dimension").

    Examples
    --------
    >>> kind = Tuple(Integer(), Integer(), Integer(), names=("ambient", "expected", "true"))
    >>> kind.equivalent([6, 6.0, "5"], (6, 6, 5))
    True
    >>> kind.diagnose(kind.normalize((6, 6, 6)), kind.normalize((6, 6, 5)))
    'Check your value of “true”.'
    >>> kind.misordered((6, 5, 6), (6, 6, 5))
    'You have swapped “expected” and “true”: both values are right, in the wrong places.'
    """

    kinds: tuple[AnswerKind, ...]
    names: tuple[str, ...] | None

    def __init__(self, *kinds: AnswerKind, names: Sequence[str] | None = None) -> None:
        if names is not None and len(names) != len(kinds):
            raise ValueError("give one name per entry")
        object.__setattr__(self, "kinds", tuple(kinds))
        object.__setattr__(self, "names", None if names is None else tuple(names))

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"a tuple of {entries(len(self.kinds))}"

    def _name(self, i: int) -> str:
        """How messages refer to entry ``i``: its name in quotes (names are free text,
        "fiber dimension" or "only the teacher fits"), else its position."""
        return f"“{self.names[i]}”" if self.names else f"entry {i + 1}"

    def _names(self, positions: Sequence[int]) -> str:
        shown = [self._name(i) for i in positions]
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

    def normalize(self, value: Any, like: Any = None) -> tuple[Any, ...]:
        items = sequence_items(value, self.description)
        if len(items) != len(self.kinds):
            wanted = f" ({', '.join(self.names)})" if self.names else ""
            raise AnswerFormatError(
                f"expected {entries(len(self.kinds))}{wanted}, got {len(items)}."
            )
        read = []
        for i, (kind, item) in enumerate(zip(self.kinds, items, strict=True)):
            context = like[i] if isinstance(like, tuple) and len(like) == len(self.kinds) else None
            try:
                read.append(kind.normalize(item, like=context))
            except AnswerFormatError as err:
                where = f"the value of {self._name(i)}" if self.names else self._name(i)
                raise AnswerFormatError(f"{where}: {err}") from None
        return tuple(read)

    def equal(self, answer: tuple[Any, ...], expected: tuple[Any, ...]) -> bool:
        return all(safe(k.equal, a, e) for k, a, e in zip(self.kinds, answer, expected, strict=True))

    def misordered(self, answer: tuple[Any, ...], expected: tuple[Any, ...]) -> str | None:
        """Two numeric entries exchanged (and everything else right): say which."""
        if not all(isinstance(k, Integer | Real) for k in self.kinds):
            return None
        wrong = [i for i, (k, a, e) in enumerate(zip(self.kinds, answer, expected, strict=True))
                 if not safe(k.equal, a, e)]
        if len(wrong) != 2:
            return None
        i, j = wrong
        if not (safe(self.kinds[i].equal, answer[i], expected[j])
                and safe(self.kinds[j].equal, answer[j], expected[i])):
            return None
        return (f"You have swapped {self._names(wrong)}: both values are right, "
                "in the wrong places.")

    def diagnose(self, answer: tuple[Any, ...], expected: tuple[Any, ...]) -> str | None:
        wrong = [i for i, (k, a, e) in enumerate(zip(self.kinds, answer, expected, strict=True)) if not safe(k.equal, a, e)]
        if not wrong:
            return None
        if not self.names:
            return f"Check {'entry' if len(wrong) == 1 else 'entries'} {', '.join(str(i + 1) for i in wrong)} (counting from 1)."
        return f"Check your {'value' if len(wrong) == 1 else 'values'} of {self._names(wrong)}."


@dataclass(frozen=True)
class Array(AnswerKind):
    """A numeric array (vector or matrix), compared entrywise within a tolerance.

    Accepts numpy arrays, nested lists and tuples, and numeric sympy matrices.

    Parameters
    ----------
    rtol, atol
        Tolerances, as in :func:`numpy.allclose`.

    Examples
    --------
    >>> import numpy as np
    >>> Array().equivalent([[1, 0], [0, 1]], np.eye(2))
    True
    >>> kind = Array()
    >>> kind.diagnose(kind.normalize([[1, 2, 3]]), kind.normalize([[1], [2], [3]]))
    'Your array is the transpose of the one asked for.'
    """

    rtol: float = 1e-6
    atol: float = 1e-9
    description: ClassVar[str] = "an array of numbers"
    plural: ClassVar[str] = "arrays of numbers"

    def normalize(self, value: Any, like: Any = None) -> np.ndarray:
        if value is None or isinstance(value, str | bytes | dict):
            raise AnswerFormatError(f"expected an array of numbers, got {describe(value)}.")
        if is_sympy(value):
            import sympy

            if isinstance(value, sympy.MatrixBase):
                value = value.tolist()
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise AnswerFormatError(
                f"could not read {describe(value)} as an array of numbers "
                "(are all rows the same length, and all entries numbers?)."
            ) from None
        if not np.all(np.isfinite(array)):
            raise AnswerFormatError("your array contains nan or infinite entries.")
        return array

    def equal(self, answer: np.ndarray, expected: np.ndarray) -> bool:
        return answer.shape == expected.shape and bool(np.allclose(answer, expected, rtol=self.rtol, atol=self.atol))

    def diagnose(self, answer: np.ndarray, expected: np.ndarray) -> str | None:
        if answer.shape != expected.shape:
            if answer.ndim == 2 and answer.T.shape == expected.shape and self.equal(answer.T, expected):
                return "Your array is the transpose of the one asked for."
            return f"Your array has shape {answer.shape}, which is not the shape asked for."
        if self.equal(-answer, expected):
            return "Your array has the wrong sign."
        return None


_TRUE_WORDS = {"true", "yes", "y", "t"}
_FALSE_WORDS = {"false", "no", "n", "f"}


@dataclass(frozen=True)
class Boolean(AnswerKind):
    """A yes/no answer: ``True``/``False``, also ``1``/``0`` and ``"yes"``/``"no"``.

    Examples
    --------
    >>> Boolean().equivalent("yes", True), Boolean().equivalent(0, False)
    (True, True)
    >>> Boolean().normalize(2)
    Traceback (most recent call last):
    ...
    nagviz.exercises.answers.AnswerFormatError: expected True or False (or 1 or 0), got 2 (of type int).
    """

    description: ClassVar[str] = "True or False"
    plural: ClassVar[str] = "True/False values"

    def normalize(self, value: Any, like: Any = None) -> bool:
        if isinstance(value, bool | np.bool_):
            return bool(value)
        if isinstance(value, int | np.integer | float | np.floating) and value in (0, 1):
            return bool(value)  # the 0/1 convention of truth tables and numpy masks
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE_WORDS or word == "1":
                return True
            if word in _FALSE_WORDS or word == "0":
                return False
        if is_sympy(value):
            import sympy

            if value in (sympy.true, sympy.false):
                return bool(value)
        raise AnswerFormatError(f"expected True or False (or 1 or 0), got {describe(value)}.")

    def equal(self, answer: bool, expected: bool) -> bool:
        return answer == expected


@dataclass(frozen=True, init=False)
class Choice(AnswerKind):
    """One option out of a fixed list of words (case and spaces do not matter).

    Examples
    --------
    >>> kind = Choice("filling", "defective")
    >>> kind.equivalent("  Filling ", "filling")
    True
    >>> kind.normalize("full")
    Traceback (most recent call last):
    ...
    nagviz.exercises.answers.AnswerFormatError: 'full' is not one of the options: 'filling', 'defective'.
    """

    options: tuple[str, ...]

    def __init__(self, *options: str) -> None:
        if not options:
            raise ValueError("give at least one option")
        object.__setattr__(self, "options", tuple(options))

    description: ClassVar[str] = "one of the options"
    plural: ClassVar[str] = "options"

    def normalize(self, value: Any, like: Any = None) -> str:
        listed = ", ".join(repr(o) for o in self.options)
        if not isinstance(value, str):
            raise AnswerFormatError(f"expected one of {listed}, got {describe(value)}.")
        word = " ".join(value.split()).lower()
        for option in self.options:
            if word == option.lower():
                return option
        raise AnswerFormatError(f"{value.strip()!r} is not one of the options: {listed}.")

    def equal(self, answer: str, expected: str) -> bool:
        return answer == expected


@dataclass(frozen=True, init=False)
class Function(AnswerKind):
    """A Python function, compared with a reference function on test inputs.

    The expected answer is the reference function. Each entry of ``cases`` is a
    tuple of positional arguments; both functions are called on it and the
    results are compared as answers of kind ``result``. A function whose body is
    still the stub (returns ``...`` or raises :class:`NotImplementedError`)
    counts as not answered yet.

    Parameters
    ----------
    cases
        The argument tuples to try.
    result
        The kind of the function's return value.

    Examples
    --------
    >>> from math import comb
    >>> kind = Function([(2, 2), (3, 2), (3, 4)], result=Integer())
    >>> kind.equivalent(lambda n, d: comb(n + d - 1, d), lambda n, d: comb(n + d - 1, n - 1))
    True
    >>> kind.diagnose(kind.normalize(lambda n, d: n**d), kind.normalize(lambda n, d: comb(n + d - 1, d)))
    'For the input (2, 2) your function returns 4, which is not right.'
    """

    cases: tuple[tuple[Any, ...], ...]
    result: AnswerKind

    def __init__(self, cases: Iterable[tuple[Any, ...]], result: AnswerKind) -> None:
        cases = tuple(tuple(case) for case in cases)
        if not cases:
            raise ValueError("give at least one test input")
        object.__setattr__(self, "cases", cases)
        object.__setattr__(self, "result", result)

    description: ClassVar[str] = "a function"
    plural: ClassVar[str] = "functions"

    def normalize(self, value: Any, like: Any = None) -> Callable[..., Any]:
        if not callable(value) or isinstance(value, type):
            raise AnswerFormatError(f"expected a function (def ...), got {describe(value)}.")
        return value

    def is_unanswered(self, value: Any) -> bool:
        if value is Ellipsis:
            return True
        if not callable(value):
            return False
        try:
            return value(*self.cases[0]) is Ellipsis
        except NotImplementedError:
            return True
        except Exception:
            return False

    def _first_failure(self, answer: Callable[..., Any], expected: Callable[..., Any]) -> str | None:
        for case in self.cases:
            shown = f"({', '.join(repr(a) for a in case)})" if len(case) != 1 else f"{case[0]!r}"
            target = self.result.normalize(expected(*case))
            try:
                raw = answer(*case)
            except Exception as err:
                return f"For the input {shown} your function raised {type(err).__name__}: {err}"
            try:
                got = self.result.normalize(raw, like=target)
            except AnswerFormatError as err:
                return f"For the input {shown} your function returns {describe(raw)}: {err}"
            if not safe(self.result.equal, got, target):
                return f"For the input {shown} your function returns {raw!r}, which is not right."
        return None

    def equal(self, answer: Callable[..., Any], expected: Callable[..., Any]) -> bool:
        return self._first_failure(answer, expected) is None

    def diagnose(self, answer: Callable[..., Any], expected: Callable[..., Any]) -> str | None:
        return self._first_failure(answer, expected)

"""Reading raw answers: numbers, formulas, sequences (internals of the answer kinds).

Shared by :mod:`nagviz.exercises.answers` (the answer kinds) and
:mod:`nagviz.exercises.checking` (the checks). The public names are re-exported
from :mod:`nagviz.exercises.answers`, which is where to import them from.
"""

from __future__ import annotations

import math
import numbers
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "AnswerFormatError",
    "describe",
    "entries",
    "has_ellipsis",
    "is_sympy",
    "parse_formula",
    "perfect_matching",
    "read_number",
    "safe",
    "sequence_items",
]


class AnswerFormatError(ValueError):
    """An answer cannot be read as the sort of object the exercise asks for.

    The message is written for the student and is shown to them verbatim.

    Import it from :mod:`nagviz.exercises.answers` (or :mod:`nagviz.exercises`),
    under which name it is documented and shown in tracebacks.

    Examples
    --------
    >>> read_number("seven")
    Traceback (most recent call last):
    ...
    nagviz.exercises.answers.AnswerFormatError: could not read 'seven' as a number.
    """


# The public home of the class (re-exported there): what tracebacks and reprs show.
AnswerFormatError.__module__ = "nagviz.exercises.answers"


# --------------------------------------------------------------------------- helpers


def describe(value: Any, limit: int = 40) -> str:
    """Describe a value in a few words, for messages to the student.

    Parameters
    ----------
    value
        Anything a student may pass as an answer.
    limit
        Longest representation quoted before it is shortened.

    Returns
    -------
    str
        A short phrase such as ``"the string 'abc'"`` or ``"a list of 3 entries"``.

    Examples
    --------
    >>> describe("abc")
    "the string 'abc'"
    >>> describe([1, 2, 3])
    'a list of 3 entries'
    >>> describe(None)
    'None'
    """
    if value is None:
        return "None"
    if value is Ellipsis:
        return "`...`"
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 3] + "..."
        return f"the string {text!r}"
    if isinstance(value, list | tuple | set | frozenset):
        return f"a {type(value).__name__} of {entries(len(value))}"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    text = " ".join(repr(value).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} (of type {type(value).__name__})"


def has_ellipsis(value: Any) -> bool:
    """Whether ``...`` (Ellipsis) occurs in a value, looking inside containers.

    A stub in a student notebook reads ``answer = ...``; a value that still holds
    an Ellipsis anywhere has not been fully answered yet.

    Examples
    --------
    >>> has_ellipsis(...)
    True
    >>> has_ellipsis((3, ..., 5))
    True
    >>> has_ellipsis([1, 2])
    False
    """
    if value is Ellipsis:
        return True
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_ellipsis(item) for item in value)
    if isinstance(value, dict):
        return any(has_ellipsis(item) for item in value.values())
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(has_ellipsis(item) for item in value.ravel())
    return False


def is_sympy(value: Any) -> bool:
    """True for sympy objects, without importing sympy when nobody else has.

    Examples
    --------
    >>> is_sympy(3), is_sympy("x")
    (False, False)
    """
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(value, sympy.Basic | sympy.MatrixBase | sympy.Poly)


_FORBIDDEN = re.compile(r"__|\bimport\b|\blambda\b|;")


def parse_formula(text: str, names: Iterable[str] = ()) -> Any:
    """Read a formula typed as a string into a sympy object.

    The text is parsed with sympy's parser (``^`` means power, ``2x`` means
    ``2*x``) with Python builtins switched off. Dunder names, ``import``,
    ``lambda`` and ``;`` are refused, as are very long strings.

    Parameters
    ----------
    text
        The formula, e.g. ``"(a*x + b*y)^2"``.
    names
        Symbol names that must be read as plain symbols even if sympy knows them
        as something else (``"N"``, ``"E"``, ``"S"``, ...).

    Returns
    -------
    sympy.Basic
        The parsed formula.

    Raises
    ------
    AnswerFormatError
        With a student-facing message when the text is not a formula.

    Examples
    --------
    >>> parse_formula("(x + y)^2")
    (x + y)**2
    >>> parse_formula("2x y")
    2*x*y
    >>> parse_formula("N + 1", names=["N"])
    N + 1
    >>> parse_formula("x +")
    Traceback (most recent call last):
    ...
    nagviz.exercises.answers.AnswerFormatError: could not read 'x +' as a formula. ...
    """
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication,
        parse_expr,
        standard_transformations,
    )

    text = text.strip()
    example = "write it in Python syntax, for example '3*x**2 + x*y'"
    if not text:
        raise AnswerFormatError(f"the answer is an empty string; {example}.")
    if len(text) > 2000:
        raise AnswerFormatError("the formula is too long to read (over 2000 characters).")
    if _FORBIDDEN.search(text):
        raise AnswerFormatError(f"could not read {text!r} as a formula; {example}.")
    global_dict: dict[str, Any] = {name: getattr(sympy, name) for name in sympy.__all__}
    global_dict["__builtins__"] = {}
    local_dict = {name: sympy.Symbol(name) for name in names}
    try:
        value = parse_expr(
            text,
            local_dict=local_dict,
            global_dict=global_dict,
            transformations=standard_transformations + (implicit_multiplication, convert_xor),
        )
    except Exception as err:  # the parser raises many different types
        raise AnswerFormatError(f"could not read {text!r} as a formula. Please {example}.") from err
    if not isinstance(value, sympy.Basic | sympy.MatrixBase):
        raise AnswerFormatError(f"could not read {text!r} as a formula; {example}.")
    return value


def read_number(value: Any, allow_complex: bool = False) -> int | Fraction | float | complex:
    """Read one number from a Python, numpy, sympy or string value.

    Examples
    --------
    >>> read_number(np.int64(7)), read_number(np.float64(2.5)), read_number(Fraction(6, 4))
    (7, 2.5, Fraction(3, 2))
    >>> read_number("binomial(4, 2)") == 6
    True
    """
    if value is None or value is Ellipsis:
        raise AnswerFormatError(f"expected a number, got {describe(value)}.")
    if isinstance(value, bool | np.bool_):
        raise AnswerFormatError(f"expected a number, got the truth value {bool(value)}.")
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float | np.floating | Decimal):
        number = float(value)
        if not math.isfinite(number):
            raise AnswerFormatError(f"expected a finite number, got {number}.")
        return number
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):
        return read_number(float(value))
    if isinstance(value, complex | np.complexfloating):
        number = complex(value)
        if number.imag == 0:
            return read_number(number.real)
        if allow_complex:
            return number
        raise AnswerFormatError(f"expected a real number, got the complex number {number}.")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return read_number(value.item(), allow_complex)
        raise AnswerFormatError(f"expected a single number, got {describe(value)}.")
    if isinstance(value, str):
        try:
            formula = parse_formula(value)
            return read_number(formula, allow_complex)
        except AnswerFormatError:
            raise AnswerFormatError(f"could not read {value!r} as a number.") from None
    if is_sympy(value):
        import sympy

        if isinstance(value, sympy.Basic) and value.is_Integer:
            return int(value)
        if isinstance(value, sympy.Basic) and value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        if isinstance(value, sympy.Basic) and value.is_number:
            try:
                number = complex(value.evalf())
            except (TypeError, ValueError):
                raise AnswerFormatError(f"could not evaluate {value} to a number.") from None
            return read_number(number, allow_complex)
        if isinstance(value, sympy.Basic) and value.free_symbols:
            names = ", ".join(sorted(str(s) for s in value.free_symbols))
            raise AnswerFormatError(
                f"expected a number, but your answer still contains the symbol(s) {names}."
            )
    raise AnswerFormatError(f"expected a number, got {describe(value)}.")


def sequence_items(value: Any, what: str) -> list[Any]:
    """The items of a list-like answer (list, tuple, set, array, sympy set/tuple).

    Examples
    --------
    >>> sequence_items(np.array([1, 2]), "a list"), sequence_items((3,), "a list")
    ([np.int64(1), np.int64(2)], [3])
    >>> sequence_items("12", "a list of numbers")
    Traceback (most recent call last):
    ...
    nagviz.exercises.answers.AnswerFormatError: expected a list of numbers, got the string '12'.
    """
    if isinstance(value, str | bytes):
        raise AnswerFormatError(f"expected {what}, got {describe(value)}.")
    if isinstance(value, dict):
        raise AnswerFormatError(f"expected {what}, got a dict; use a list or a tuple.")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            raise AnswerFormatError(f"expected {what}, got a single number.")
        return list(value)
    if is_sympy(value):
        import sympy

        if isinstance(value, sympy.FiniteSet | sympy.Tuple):
            return list(value.args)
        if isinstance(value, sympy.MatrixBase) and 1 in value.shape:
            return list(value)
        raise AnswerFormatError(f"expected {what}, got {describe(value)}.")
    if isinstance(value, Iterable):
        return list(value)
    raise AnswerFormatError(f"expected {what}, got {describe(value)}.")


def perfect_matching(left: Sequence[Any], right: Sequence[Any], same: Callable[[Any, Any], bool]) -> int:
    """Size of a maximum matching between two lists, matching items that are ``same``.

    Examples
    --------
    >>> perfect_matching([1, 2, 2], [2, 1, 3], lambda a, b: a == b)
    2
    """
    adjacency = [[j for j, b in enumerate(right) if safe(same, a, b)] for a in left]
    match_of_right: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_of_right or augment(match_of_right[j], seen):
                match_of_right[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(left)))


def safe(predicate: Callable[..., Any], *args: Any) -> bool:
    """Call a predicate, treating any exception as ``False``.

    Examples
    --------
    >>> safe(lambda a, b: a < b, 1, 2), safe(lambda a, b: a < b, 1, "2")
    (True, False)
    """
    try:
        return bool(predicate(*args))
    except Exception:
        return False


def entries(n: int) -> str:
    """``"1 entry"``, ``"2 entries"``: a count of entries in words.

    Examples
    --------
    >>> entries(1), entries(3)
    ('1 entry', '3 entries')
    """
    return f"{n} entry" if n == 1 else f"{n} entries"

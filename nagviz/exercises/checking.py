"""Exercises, the registry of exercises, answer checks and progressive hints.

An :class:`Exercise` bundles an id such as ``"01.2"``, the *kind* of answer it
expects (see :mod:`nagviz.exercises.answers`), a function computing the expected
answer, hints, and :class:`Mistake` rules that recognise common wrong answers.
Exercises are registered with the :func:`exercise` decorator in one module per
topic, ``nagviz/exercises/exNN_<topic>.py``; that module is imported the first
time one of its exercises is looked up.

:func:`check` returns a :class:`CheckResult`, which a notebook shows as a green
or orange box. It never raises because of the answer, so "Run All" always runs
to the end. :func:`hint` shows the hints one at a time.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from ._reading import AnswerFormatError, describe, safe
from .answers import AnswerKind

__all__ = [
    "REGISTRY",
    "CheckResult",
    "Exercise",
    "Hint",
    "Mistake",
    "Registry",
    "check",
    "exercise",
    "get_exercise",
    "hint",
    "hint_details",
    "normalize_id",
    "reset_hints",
    "topic_exercises",
]

Status = Literal["correct", "incorrect", "unanswered", "invalid"]

_ID = re.compile(r"^\s*(\d{1,2})\.0*(\d{1,2}[a-z]?)\s*$")
_TOPIC_MODULE = re.compile(r"(?:^|\.)ex(\d\d)_(\w+)$")


def normalize_id(exercise_id: str) -> str:
    """Canonical form ``"NN.k"`` of an exercise id.

    Parameters
    ----------
    exercise_id
        An id such as ``"01.2"``, ``"1.2"`` or ``"01.02"``; a letter may follow
        the number (``"01.3b"``).

    Returns
    -------
    str
        The id with a two-digit topic number and no leading zeros in the
        exercise number.

    Raises
    ------
    ValueError
        If the id is not of that form.

    Examples
    --------
    >>> normalize_id("1.2"), normalize_id("01.02"), normalize_id("05.3b")
    ('01.2', '01.2', '05.3b')
    """
    match = _ID.match(exercise_id) if isinstance(exercise_id, str) else None
    if match is None:
        raise ValueError(f"{exercise_id!r} is not an exercise id like '01.2'")
    return f"{int(match.group(1)):02d}.{match.group(2)}"


def _inline_html(text: str) -> str:
    """Escape text for HTML, turning `backtick spans` into <code> elements."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


def _box(css_class: str, colour: str, background: str, heading: str, body: str) -> str:
    style = (
        f"border-left: 6px solid {colour}; background: {background}; color: #1f1f1f; "
        "padding: 0.55em 0.9em; margin: 0.3em 0; border-radius: 4px; line-height: 1.45"
    )
    return (
        f'<div class="nagviz-exercise {css_class}" style="{style}">'
        f'<strong style="color: {colour}">{html.escape(heading)}</strong> {_inline_html(body)}</div>'
    )


# --------------------------------------------------------------------------- results

_LOOK: dict[str, tuple[str, str, str, str]] = {
    # status: (symbol, headline, colour, background)
    "correct": ("\u2714", "Correct!", "#1e7b34", "#e7f5ea"),
    "incorrect": ("\u2718", "Not quite.", "#b35900", "#fff2e0"),
    "invalid": ("\u2718", "Cannot check this answer:", "#b35900", "#fff2e0"),
    "unanswered": ("\u2026", "Not answered yet.", "#4a6694", "#edf1f8"),
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one answer.

    Truthy exactly when the answer is correct. A notebook shows it as a coloured
    box (green: correct; orange: try again; blue: not answered yet); elsewhere it
    prints as one line of text.

    Attributes
    ----------
    exercise
        The exercise id, e.g. ``"01.2"``.
    correct
        Whether the answer is right.
    message
        Feedback for the student; never contains the expected answer.
    status
        ``"correct"``, ``"incorrect"``, ``"unanswered"`` (still ``...``) or
        ``"invalid"`` (an answer of the wrong type, or an unknown exercise).

    Examples
    --------
    >>> result = CheckResult("00.1", False, "You counted ordered pairs.")
    >>> bool(result), result.status
    (False, 'incorrect')
    >>> result
    ✘ Exercise 00.1: Not quite. You counted ordered pairs.
    """

    exercise: str
    correct: bool
    message: str
    status: Status = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.status is None:
            object.__setattr__(self, "status", "correct" if self.correct else "incorrect")
        if self.status not in _LOOK:
            raise ValueError(f"unknown status {self.status!r}")
        if self.correct != (self.status == "correct"):
            raise ValueError("`correct` must be True exactly when the status is 'correct'")

    def __bool__(self) -> bool:
        return self.correct

    @property
    def headline(self) -> str:
        """A short verdict such as ``"Correct!"`` or ``"Not quite."``."""
        return _LOOK[self.status][1]

    def __str__(self) -> str:
        symbol, headline, _, _ = _LOOK[self.status]
        return f"{symbol} Exercise {self.exercise}: {headline} {self.message}".rstrip()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        symbol, headline, colour, background = _LOOK[self.status]
        return _box(f"nagviz-{self.status}", colour, background, f"{symbol} Exercise {self.exercise}: {headline}", self.message)


@dataclass(frozen=True)
class Hint:
    """One hint for an exercise, as returned by :func:`hint`.

    Attributes
    ----------
    exercise
        The exercise id.
    number
        Which hint this is (counting from 1), or ``None`` once all hints have
        been shown; ``message`` then says where the solution is.
    total
        How many hints the exercise has.
    message
        The hint.

    Examples
    --------
    >>> Hint("00.1", 1, 2, "A monomial of degree 2 is a product of two variables.")
    Hint 1 of 2 for exercise 00.1: A monomial of degree 2 is a product of two variables.
    """

    exercise: str
    number: int | None
    total: int
    message: str

    @property
    def heading(self) -> str:
        """``"Hint 1 of 2 for exercise 00.1"``, or the no-more-hints heading."""
        if self.number is None:
            return f"No {'more ' if self.total else ''}hints for exercise {self.exercise}:"
        return f"Hint {self.number} of {self.total} for exercise {self.exercise}:"

    def __str__(self) -> str:
        return f"{self.heading} {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return _box("nagviz-hint", "#6a4c93", "#f3eefa", "\U0001f4a1 " + self.heading, self.message)


# --------------------------------------------------------------------------- exercises

_UNSET: Any = type("Unset", (), {"__repr__": lambda self: "<unset>"})()


@dataclass(frozen=True)
class Mistake:
    """A common mistake: how to recognise it, and what to tell the student.

    Give exactly one of ``equals`` (a literal wrong answer, compared like the
    answer itself, so ``9.0`` matches ``equals=9``) and ``when`` (a predicate on
    the student's answer, already read into canonical form; exceptions count as
    "no match").

    The message should name the likely misunderstanding without giving the
    answer away.

    Examples
    --------
    >>> from nagviz.exercises.answers import Integer
    >>> rule = Mistake("You counted ordered pairs.", equals=9)
    >>> rule.matches(9, Integer(), expected=6)
    True
    >>> Mistake("Too big.", when=lambda n: n > 100).matches(7, Integer(), expected=6)
    False
    """

    message: str
    equals: Any = _UNSET
    when: Callable[[Any], bool] | None = None

    def __post_init__(self) -> None:
        if (self.equals is _UNSET) == (self.when is None):
            raise ValueError("give exactly one of `equals=` and `when=`")

    def matches(self, answer: Any, kind: AnswerKind, expected: Any = None) -> bool:
        """Whether a normalized answer shows this mistake."""
        try:
            if self.when is not None:
                return bool(self.when(answer))
            return bool(kind.equal(answer, kind.normalize(self.equals, like=expected)))
        except Exception:
            return False


@dataclass(frozen=True, eq=False, repr=False)
class Exercise:
    """One exercise: how to read an answer, the expected answer, hints and mistakes.

    Usually made with the :func:`exercise` decorator.

    Parameters
    ----------
    id
        ``"NN.k"``: topic number and exercise number.
    kind
        How answers are read and compared (an :class:`~nagviz.exercises.answers.AnswerKind`).
    reference
        A function of no arguments returning the expected answer. It runs on the
        first check, so it may compute the answer with nagviz.
    title
        A few words naming the exercise.
    hints
        Hints shown one at a time by :func:`hint`, from gentle to specific.
    mistakes
        Rules recognising common wrong answers, tried in order.
    explanation
        Shown after a correct answer (a remark, the bigger picture).
    fallback
        Shown for a wrong answer that no rule recognises.
    topic
        The topic slug, e.g. ``"01_neuromanifolds"``; names the solution notebook.

    Examples
    --------
    >>> from nagviz.exercises.answers import Integer
    >>> ex = Exercise("99.1", Integer(), reference=lambda: 6,
    ...               mistakes=[Mistake("You counted ordered pairs.", equals=9)])
    >>> ex.check(6.0)
    ✔ Exercise 99.1: Correct!
    >>> ex.check(9).message
    'You counted ordered pairs.'
    >>> ex.check(...).status
    'unanswered'
    """

    id: str
    kind: AnswerKind
    reference: Callable[[], Any]
    title: str = ""
    hints: tuple[str, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    explanation: str = ""
    fallback: str = ""
    topic: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", normalize_id(self.id))
        if isinstance(self.hints, str):
            raise TypeError("`hints` must be a list of strings, not one string")
        object.__setattr__(self, "hints", tuple(self.hints))
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
        if not isinstance(self.kind, AnswerKind):
            raise TypeError(f"`kind` must be an AnswerKind, got {self.kind!r}")
        if self.topic is not None and not self.topic.startswith(self.id[:2] + "_"):
            raise ValueError(f"exercise {self.id} does not belong to topic {self.topic!r}")

    def __repr__(self) -> str:
        parts = [repr(self.id), repr(self.kind)]
        if self.title:
            parts.append(f"title={self.title!r}")
        parts.append(f"{len(self.hints)} hint{'' if len(self.hints) == 1 else 's'}, "
                     f"{len(self.mistakes)} mistake rule{'' if len(self.mistakes) == 1 else 's'}")
        return f"Exercise({', '.join(parts)})"

    @cached_property
    def expected(self) -> Any:
        """The expected answer, read into canonical form (computed once)."""
        return self.kind.normalize(self.reference())

    @property
    def solution_notebook(self) -> str | None:
        """Path of the solution notebook from the repository root, if known."""
        return None if self.topic is None else f"exercises/solutions/{self.topic}.ipynb"

    def _result(self, correct: bool, message: str, status: Status) -> CheckResult:
        return CheckResult(self.id, correct, message, status)

    def check(self, answer: Any) -> CheckResult:
        """Check an answer and explain the verdict.

        Never raises because of the answer: ``...``, ``None``, or a value of the
        wrong type give a result with status ``"unanswered"`` or ``"invalid"``.

        Parameters
        ----------
        answer
            The student's answer.

        Returns
        -------
        CheckResult
            Truthy exactly when the answer is correct.
        """
        stuck = f" Stuck? Run `hint(\"{self.id}\")`." if self.hints else ""
        if safe(self.kind.is_unanswered, answer):
            what = "replace every `...`" if answer is not Ellipsis else "replace `...`"
            return self._result(False, f"{what[0].upper()}{what[1:]} with your answer, then run the cell again.", "unanswered")
        if answer is None:
            return self._result(
                False,
                "your answer is `None`. Did you forget to assign a value, or to `return` one from a function?",
                "invalid",
            )
        expected = self.expected
        try:
            value = self.kind.normalize(answer, like=expected)
        except AnswerFormatError as err:
            return self._result(False, f"{err} This exercise asks for {self.kind.description}.", "invalid")
        except Exception as err:  # a kind that failed in an unforeseen way
            return self._result(False, f"could not read {describe(answer)} ({type(err).__name__}).", "invalid")
        if safe(self.kind.equal, value, expected):
            return self._result(True, self.explanation, "correct")
        try:
            swapped = self.kind.misordered(value, expected)
        except Exception:
            swapped = None
        if isinstance(swapped, str) and not any(m.when is None and m.matches(value, self.kind, expected)
                               for m in self.mistakes):
            # right values in the wrong places: say so, unless the exercise has a message
            # of its own for exactly this answer
            return self._result(False, swapped + stuck, "incorrect")
        for mistake in self.mistakes:
            if mistake.matches(value, self.kind, expected):
                return self._result(False, mistake.message + stuck, "incorrect")
        try:
            remark = self.kind.diagnose(value, expected)
        except Exception:
            remark = None
        message = remark or self.fallback or "That is not the expected answer yet; try again."
        return self._result(False, message + stuck, "incorrect")

    def __call__(self, answer: Any) -> CheckResult:
        """Same as :meth:`check`."""
        return self.check(answer)


# --------------------------------------------------------------------------- registry


class Registry:
    """Exercises by id, with the state of the hints shown so far.

    Parameters
    ----------
    package
        A package whose modules ``exNN_<topic>`` register the exercises of topic
        ``NN``; they are imported on first use. ``None``: nothing is imported.

    Examples
    --------
    >>> from nagviz.exercises.answers import Integer
    >>> registry = Registry()
    >>> ex = registry.register(Exercise("99.1", Integer(), lambda: 6, hints=["Count squares too."]))
    >>> registry.check("99.1", 6)
    ✔ Exercise 99.1: Correct!
    >>> registry.hint("99.1")
    Hint 1 of 1 for exercise 99.1: Count squares too.
    """

    def __init__(self, package: str | None = None) -> None:
        self._package = package
        self._exercises: dict[str, Exercise] = {}
        self._hints_shown: dict[str, int] = {}
        self._loaded_topics: set[str] = set()

    def register(self, exercise: Exercise) -> Exercise:
        """Add an exercise; re-registering from the same place (a reload) replaces it."""
        old = self._exercises.get(exercise.id)
        if old is not None and (old.topic, _origin(old.reference)) != (exercise.topic, _origin(exercise.reference)):
            raise ValueError(f"exercise {exercise.id} is registered twice ({old!r} and {exercise!r})")
        self._exercises[exercise.id] = exercise
        return exercise

    def _load_topic(self, number: str) -> None:
        if self._package is None or number in self._loaded_topics:
            return
        self._loaded_topics.add(number)
        package = importlib.import_module(self._package)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name.startswith(f"ex{number}_"):
                importlib.import_module(f"{self._package}.{module.name}")

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id (``KeyError`` if there is none)."""
        key = normalize_id(exercise_id)
        self._load_topic(key[:2])
        try:
            return self._exercises[key]
        except KeyError:
            known = ", ".join(e.id for e in self.topic(key[:2])) or "none"
            raise KeyError(f"no exercise {key} (exercises of topic {key[:2]}: {known})") from None

    def topic(self, number: str | int) -> tuple[Exercise, ...]:
        """The exercises of one topic, in order of their ids."""
        number = f"{int(number):02d}"
        self._load_topic(number)
        found = [e for e in self._exercises.values() if e.id.startswith(number + ".")]
        return tuple(sorted(found, key=lambda e: _id_sort_key(e.id)))

    def check(self, exercise_id: str, answer: Any) -> CheckResult:
        """Check an answer to the exercise with this id (never raises)."""
        try:
            exercise = self.get(exercise_id)
        except (KeyError, ValueError) as err:
            return CheckResult(str(exercise_id), False, str(err.args[0]), "invalid")
        return exercise.check(answer)

    def hint(self, exercise_id: str) -> Hint:
        """The next hint for this exercise; after the last, where the solution is."""
        exercise = self.get(exercise_id)
        total = len(exercise.hints)
        shown = self._hints_shown.get(exercise.id, 0)
        if shown < total:
            self._hints_shown[exercise.id] = shown + 1
            return Hint(exercise.id, shown + 1, total, exercise.hints[shown])
        where = (
            f"the solution notebook `{exercise.solution_notebook}`"
            if exercise.solution_notebook
            else "the solution notebook"
        )
        seen = ("you have seen the only one. A" if total == 1 else f"you have seen all {total}. A") if total else "a"
        return Hint(exercise.id, None, total, f"{seen} reference solution is in {where}.")

    def reset_hints(self, exercise_id: str | None = None) -> None:
        """Start the hints over, for one exercise or for all."""
        if exercise_id is None:
            self._hints_shown.clear()
        else:
            self._hints_shown.pop(normalize_id(exercise_id), None)


def _origin(function: Callable[..., Any]) -> tuple[str, str]:
    return getattr(function, "__module__", ""), getattr(function, "__qualname__", "")


def _id_sort_key(exercise_id: str) -> tuple[int, int, str]:
    topic, rest = exercise_id.split(".")
    number = re.match(r"\d+", rest)
    return int(topic), int(number.group()) if number else 0, rest


#: The registry used by :func:`check` and :func:`hint`.
REGISTRY = Registry(package=__package__)


def exercise(
    exercise_id: str,
    kind: AnswerKind,
    *,
    title: str = "",
    hints: Iterable[str] = (),
    mistakes: Iterable[Mistake] = (),
    explanation: str = "",
    fallback: str = "",
    topic: str | None = None,
    registry: Registry | None = None,
) -> Callable[[Callable[[], Any]], Exercise]:
    """Register an exercise whose expected answer the decorated function computes.

    The decorated function takes no arguments and returns the expected answer;
    it runs on the first check. The decorator returns the :class:`Exercise`.
    In a module ``nagviz/exercises/exNN_<name>.py`` the topic is ``"NN_<name>"``
    unless given.

    Parameters
    ----------
    exercise_id, kind, title, hints, mistakes, explanation, fallback, topic
        As for :class:`Exercise`.
    registry
        Where to register; the global :data:`REGISTRY` by default.

    Returns
    -------
    callable
        The decorator.

    Examples
    --------
    >>> from math import comb
    >>> from nagviz.exercises.answers import Integer
    >>> @exercise("99.2", Integer(), hints=["Think of multisets."], registry=Registry())
    ... def quadrics_in_three_variables():
    ...     return comb(4, 2)
    >>> quadrics_in_three_variables.check(6)
    ✔ Exercise 99.2: Correct!
    """

    def decorate(reference: Callable[[], Any]) -> Exercise:
        inferred = topic
        if inferred is None:
            match = _TOPIC_MODULE.search(getattr(reference, "__module__", "") or "")
            inferred = f"{match.group(1)}_{match.group(2)}" if match else None
        made = Exercise(
            exercise_id,
            kind,
            reference,
            title=title,
            hints=tuple(hints),
            mistakes=tuple(mistakes),
            explanation=explanation,
            fallback=fallback,
            topic=inferred,
        )
        return (registry or REGISTRY).register(made)

    return decorate


def check(exercise_id: str, answer: Any) -> CheckResult:
    """Check an answer: a green box when it is right, a targeted hint when not.

    Never raises because of the answer, so a notebook always runs to the end;
    the result is truthy exactly when the answer is correct.

    Parameters
    ----------
    exercise_id
        The exercise, e.g. ``"00.1"``.
    answer
        Your answer. ``...`` means "not answered yet".

    Returns
    -------
    CheckResult
        The verdict and a message.

    Examples
    --------
    >>> check("00.1", 6)
    ✔ Exercise 00.1: Correct! ...
    >>> check("00.1", ...)
    … Exercise 00.1: Not answered yet. Replace `...` with your answer, then run the cell again.
    >>> check("00.1", "six").status
    'invalid'
    """
    return REGISTRY.check(exercise_id, answer)


def hint(exercise_id: str) -> Hint:
    """Show the next hint for an exercise.

    The first call shows hint 1, the next hint 2, and so on; after the last hint
    it tells where the reference solution is. :func:`reset_hints` starts over.
    An unknown id gives a message, not an error.

    Parameters
    ----------
    exercise_id
        The exercise, e.g. ``"00.1"``.

    Returns
    -------
    Hint
        Displayed as a box in a notebook.

    Examples
    --------
    >>> reset_hints("00.1")
    >>> hint("00.1").number, hint("00.1").number, hint("00.1").number
    (1, 2, None)
    >>> hint("00.1")
    No more hints for exercise 00.1: you have seen all 2. A reference solution is in the solution notebook `exercises/solutions/00_demo.ipynb`.
    >>> reset_hints("00.1")
    >>> hint("00.9")
    No hints for exercise 00.9: there is no exercise 00.9 (exercises of topic 00: 00.1, 00.2).
    """
    try:
        return REGISTRY.hint(exercise_id)
    except (KeyError, ValueError) as err:
        return Hint(str(exercise_id), None, 0, f"there is {err.args[0]}.")


def reset_hints(exercise_id: str | None = None) -> None:
    """Start the hints over for one exercise (or for all when no id is given).

    Examples
    --------
    >>> reset_hints()
    """
    REGISTRY.reset_hints(exercise_id)


def get_exercise(exercise_id: str) -> Exercise:
    """The registered exercise with this id.

    Raises
    ------
    KeyError
        If there is no such exercise.

    Examples
    --------
    >>> get_exercise("00.1").title
    'Counting quadratic monomials'
    """
    return REGISTRY.get(exercise_id)


def topic_exercises(number: str | int) -> tuple[Exercise, ...]:
    """All registered exercises of a topic, in order.

    Examples
    --------
    >>> [e.id for e in topic_exercises(0)]
    ['00.1', '00.2']
    """
    return REGISTRY.topic(number)


def hint_details(exercise_id: str) -> str:
    """All hints of an exercise as collapsible HTML ``<details>`` blocks.

    Meant for a Markdown cell (the notebook generator expands
    a ``<!-- hints -->`` line under the heading of exercise 00.1 into this), so
    hints work without a running kernel.
    Hint texts are Markdown; the blank lines let Jupyter render it.

    Examples
    --------
    >>> print(hint_details("00.1").splitlines()[0])
    <details><summary><b>Hint 1</b> (click to open)</summary>
    """
    exercise = REGISTRY.get(exercise_id)
    blocks = [
        f"<details><summary><b>Hint {i}</b> (click to open)</summary>\n\n{text}\n\n</details>"
        for i, text in enumerate(exercise.hints, start=1)
    ]
    return "\n".join(blocks)

"""The checks of exercises/02_dimension (the probes of issue 13): swapped entries are named,
the messages are grammatical, and 02.4 asks for a derivation, checked against an
independent computation."""

from __future__ import annotations

import pytest
import sympy

import nagviz
from nagviz.exercises import check, get_exercise
from nagviz.exercises.answers import Tuple
from nagviz.exercises.checking import topic_exercises

x, y, z = sympy.symbols("x y z")
POINTS = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (1, 2, 3)]
CONIC = 3 * x * y - 4 * x * z + y * z      # through the five points, solved by hand


@pytest.mark.parametrize("exercise, swapped, names", [
    ("02.5", (7, 14), ("4 x 5 matrices", "symmetric 4 x 4")),
    ("02.6", (6, 3), ("rank <= 2", "rank <= 1")),
    ("02.3", (10, 9), ("finitely many", "only the teacher")),
    ("02.7", (3, 9), ("fiber dimension", "excess over the rescalings")),
])
def test_swapped_entries_are_named(exercise, swapped, names):
    assert check(exercise, tuple(reversed(swapped))).correct
    result = check(exercise, swapped)
    assert not result.correct and "You have swapped" in result.message, result.message
    for name in names:
        assert name in result.message


def test_the_specific_swap_message_of_an_exercise_wins():
    assert "which of the two inner products" in check("04.2", (2, 4)).message


@pytest.mark.parametrize("topic", [0, 1, 2, 3, 4, 6])
def test_tuple_messages_are_grammatical_for_every_exercise(topic):
    for exercise in topic_exercises(topic):
        if not isinstance(exercise.kind, Tuple):
            continue
        expected = exercise.expected
        entries = list(expected)
        entries[-1] = (not entries[-1]) if isinstance(entries[-1], bool) else (
            entries[-1] + 1017 if isinstance(entries[-1], int | float) else None)
        if entries[-1] is None:
            continue
        message = exercise.check(tuple(entries)).message
        if message.startswith("Check"):
            assert message.startswith(("Check your value of \u201c", "Check entry ")), message
        assert "Check the " not in message.replace("Check the sign", ""), message


def test_the_probes_of_issue_13_read_well():
    message = check("02.3", (5, 5)).message + check("02.7", (9, 4)).message
    assert "the only the" not in message and "Check the beyond" not in message
    assert "Check your value of \u201cexcess over the rescalings\u201d." in check("02.7", (9, 4)).message


def test_02_4_expected_quartic_is_the_square_of_the_conic():
    expected = get_exercise("02.4").expected            # exact kernel of the 15 x 15 system
    assert sympy.simplify(expected / sympy.expand(CONIC**2)).is_number
    for p in POINTS:                                      # the conic by hand: through the points
        assert CONIC.subs(dict(zip((x, y, z), p))) == 0
    # Terracini: one singular quartic = one missing dimension of (3, 5, 1) with z^4
    assert nagviz.dimension((3, 5, 1), 4).dimension == 15 - 1
    assert nagviz.atlas.minimal_filling_width(3, 4, cache_dir=False).width == 6


@pytest.mark.parametrize("answer", [
    CONIC**2, sympy.expand(CONIC**2), -7 * CONIC**2, "(3*x*y - 4*x*z + y*z)^2",
    "(y*z - 4*x*z + 3*x*y)**2 / 5",
])
def test_02_4_accepts_the_singular_quartic_in_any_form(answer):
    result = check("02.4", answer)
    assert result.correct, (answer, result.message)


@pytest.mark.parametrize("answer, fragment", [
    (CONIC, "What does squaring do"),
    (CONIC * (x - y) * (x + y), "not singular at all of them"),
    (CONIC * x, "quartic *form*"),
    (x**4 + y**4 + z**4, "not zero at every one"),
    (0, "nonzero quartic"),
    ([3, 6, 10, 15], None),                # the old answer, one library call: no longer asked
])
def test_02_4_rejects_with_the_reason(answer, fragment):
    result = check("02.4", answer)
    assert not result.correct
    if fragment:
        assert fragment in result.message, result.message

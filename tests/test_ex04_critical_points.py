"""Checks of exercises 04: equivalent forms accepted, each mistake named, junk harmless."""

import numpy as np
import pytest
import sympy

from nagviz.exercises import check

X1 = np.array([[1.5, 1.5], [1.5, 1.5]])
X2 = np.array([[0.5, -0.5], [-0.5, 0.5]])


@pytest.mark.parametrize("answer", [[X1, X2], [X2, X1], (X1.tolist(), X2.tolist()),
                                    [sympy.Matrix([[1.5, 1.5], [1.5, 1.5]]), X2]])
def test_04_1_accepts_both_critical_points_in_any_form(answer):
    assert check("04.1", answer).correct


@pytest.mark.parametrize("answer, fragment", [
    ([X1], "only the nearest"),
    ([X1 / 3, X2], "carry its singular value"),
    ([np.array([[2.0, 1.0], [1.0, 2.0]]), X1], "rank one"),
])
def test_04_1_mistakes(answer, fragment):
    result = check("04.1", answer)
    assert not result.correct and fragment in result.message


@pytest.mark.parametrize("exercise, answer", [
    ("04.2", (4, 2)), ("04.2", ["4", 2.0]), ("04.2", (np.int64(4), sympy.Integer(2))),
    ("04.3", ("maximum", "minimum", "minimum", "saddle", "saddle")),
    ("04.3", ("Maximum", "MINIMUM", "minimum", "saddle", "saddle")),
    ("04.4", ("spurious", "pure", "pure", "pure", "pure")),
    ("04.5", (4, 2, 2, 4)), ("04.5", [4.0, "2", 2, 4]),
    ("04.6", [2, 4, 2]), ("04.6", np.array([2, 4, 2])),
])
def test_correct_answers_in_equivalent_forms(exercise, answer):
    assert check(exercise, answer).correct


@pytest.mark.parametrize("exercise, answer, fragment", [
    ("04.2", (2, 2), "not invariant under rotations"),
    ("04.2", (4, 4), "Frobenius inner product of symmetric"),
    ("04.2", (2, 4), "wrong order"),
    ("04.2", (6, 2), "generic inner product"),
    ("04.3", ("minimum",) * 5, "Not every critical point"),
    ("04.3", ("maximum", "minimum", "minimum", "minimum", "saddle"), "one eigenvalue is negative"),
    ("04.3", ("saddle", "minimum", "minimum", "saddle", "saddle"), "matrix of the target"),
    ("04.4", ("spurious", "pure", "pure", "spurious", "spurious"), "not a minimum"),
    ("04.4", ("pure",) * 5, "vertex of the cone"),
    ("04.5", (4, 4, 4, 4), "complex critical points"),
    ("04.5", (3, 2, 2, 4), "never odd"),
    ("04.5", (2, 2, 2, 4), "more real critical points"),
    ("04.5", (4, 2, 4, 4), "cusps"),
    ("04.6", [2, 4], "does it stay there"),
    ("04.6", [2], "does change"),
    ("04.6", [2, 3, 2], "by two"),
])
def test_mistakes_get_targeted_hints(exercise, answer, fragment):
    result = check(exercise, answer)
    assert not result.correct
    assert fragment in result.message, result.message


@pytest.mark.parametrize("exercise", ["04.1", "04.2", "04.3", "04.4", "04.5", "04.6"])
@pytest.mark.parametrize("junk", [None, ..., "nonsense", 3.5, [[1, 2], "x"], {"a": 1}])
def test_junk_never_raises(exercise, junk):
    result = check(exercise, junk)
    assert not result.correct

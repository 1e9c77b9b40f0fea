"""The checks of exercises/03_fibers: equivalent answers pass, each mistake is recognised."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from nagviz.exercises import check

RIGHT = {
    "03.1": ["v1*w1 + v2*w2 = 3", "2*v1*w1 + 2*v2*w2 - 6",
             sympy.Eq(sympy.Symbol("w1") * sympy.Symbol("v1") + sympy.Symbol("w2") * sympy.Symbol("v2"), 3)],
    "03.2": [(2, -1), [2.0, -1.0], np.array([2, -1])],
    "03.3": [3, 3.0, "3", np.int64(3)],
    "03.4": [math.sqrt(4.625), "sqrt(37/8)"],
    "03.5": [(1, 4), [1, 4]],
    "03.6": [(True, 2), ("yes", 2.0)],
}

WRONG = [
    ("03.1", "v1*w1 + v2*w2", "fiber over the zero function"),
    ("03.1", "v1 + w1 + v2 + w2 - 3", "product of its two weights"),
    ("03.2", (0.5, -1), "You inverted"),
    ("03.2", (2, 1), "signs of neuron 2"),
    ("03.2", (0.25, -1), "out-weight"),
    ("03.3", 2, "only the two rescalings"),
    ("03.3", 7, "dimension of the neuromanifold"),
    ("03.3", 10, "number of parameters"),
    ("03.3", 0, "never finite"),
    ("03.4", -math.sqrt(4.625), "sign is locked"),
    ("03.4", math.sqrt(5.25), "factor $r = 2$"),
    ("03.5", (2, 8), "up to permutation"),
    ("03.5", (1, 2), "is odd"),
    ("03.5", (1, 8), "permutations too"),
    ("03.6", (True, 1), "first-order term"),
    ("03.6", (False, 2), "exactly"),
]


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_equivalent_right_answers_pass(exercise_id):
    for answer in RIGHT[exercise_id]:
        result = check(exercise_id, answer)
        assert result.correct, (answer, result.message)


@pytest.mark.parametrize("exercise_id, answer, phrase", WRONG)
def test_each_mistake_gives_its_advice(exercise_id, answer, phrase):
    result = check(exercise_id, answer)
    assert not result.correct and phrase in result.message


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
@pytest.mark.parametrize("junk", [..., None, "???", (1,), {"a": 1}])
def test_junk_never_raises(exercise_id, junk):
    result = check(exercise_id, junk)
    assert not result.correct

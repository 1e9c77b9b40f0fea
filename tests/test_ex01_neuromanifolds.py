"""The checks of exercises/01_neuromanifolds (the probes of issue 13): every correct
equivalent form is accepted, wrong answers get the message aimed at their mistake."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from nagviz.exercises import check, get_exercise

w1, w2 = sympy.symbols("w1 w2")


def _descent(steps, start=(1.0, -1.0), lr=0.05):
    """Gradient descent on (w1 w2 - 2)^2, written out here independently of nagviz."""
    w = np.array(start, dtype=float)
    for _ in range(steps):
        w = w - lr * 2 * (w[0] * w[1] - 2) * np.array([w[1], w[0]])
    return w


@pytest.mark.parametrize("answer", [
    "w2 = 3/w1", "w1 = 3/w2", sympy.Eq(w2, 3 / w1), w2 - 3 / w1, "w1*w2 = 3", "w1*w2/3 = 1",
    "3 = w2*w1", sympy.Eq(w1 * w2, 3), 3 - w1 * w2, "2*w1*w2 - 6", "(w1*w2 - 3)**2 = 0",
    "3/(w1*w2) = 1",
])
def test_01_4_accepts_every_equivalent_equation(answer):
    result = check("01.4", answer)
    assert result.correct, (answer, result.message)


@pytest.mark.parametrize("answer, fragment", [
    ("w1 + w2 = 3", "multiplies"),
    ("w2 = 3*w1", "multiplies"),
    ("w1*w2 = -3", "sign"),
    ("w1*w2 = 2", "at another value"),
    ("w1*w2", "at another value"),
    ("w1*(w1*w2 - 3)", None),       # adds the line w1 = 0: not the fiber
    ("w2 = 3/w1 + 1", None),
])
def test_01_4_rejects_other_curves(answer, fragment):
    result = check("01.4", answer)
    assert not result.correct and result.status == "incorrect", answer
    if fragment:
        assert fragment in result.message, result.message


def test_01_3_reads_0_and_1_as_truth_values():
    expected = get_exercise("01.3").expected
    assert expected == (True, True, False, False, True)   # b^2 = 4ac on the five forms
    for answer in ([1, 1, 0, 0, 1], (1, 1, 0, 0, 1), np.array([1, 1, 0, 0, 1]),
                   [True, 1, 0, False, np.int64(1)], ["yes", "1", "0", "no", True], [1.0, 1, 0, 0, 1]):
        assert check("01.3", answer).correct, answer
    flipped = check("01.3", [1, 0, 0, 0, 1])      # the negative multiple of a square
    assert not flipped and "negative" in flipped.message
    two_wrong = check("01.3", [1, 0, 0, 1, 1])
    assert not two_wrong and "Check entries 2, 4" in two_wrong.message
    assert "wrong order" not in two_wrong.message   # a count of Trues says nothing about order
    junk = check("01.3", [1, 1, 0, 0, 2])
    assert junk.status == "invalid" and "(or 1 or 0)" in junk.message
    assert "True/False values" in junk.message and "Falses" not in junk.message


def test_01_5_says_run_longer_before_the_iterates_settle():
    limit = _descent(2000)
    assert np.allclose(limit, 0, atol=1e-12)
    assert check("01.5", limit).correct
    for steps in (3, 10, 30):
        early = _descent(steps)
        assert np.linalg.norm(early) > 1e-4      # not yet at the limit
        result = check("01.5", early)
        assert not result.correct and "run longer" in result.message, (steps, result.message)
    assert "stopped" not in check("01.5", [1.0, -1.0]).message   # the start has its own rule
    assert "global minimum" in check("01.5", [1.0, 2.0]).message

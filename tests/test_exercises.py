"""Tests for nagviz.exercises: answer kinds, checks and hints, the notebook generator.

The expected answers of the demo topic (00) are computed independently of nagviz
(a binomial coefficient, a sympy expansion), so they double as fixtures.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from nagviz.exercises import (
    Array,
    Boolean,
    CheckResult,
    Choice,
    Collection,
    Exercise,
    Expression,
    Function,
    Hint,
    Integer,
    Mistake,
    Real,
    Registry,
    Tuple,
    check,
    exercise,
    get_exercise,
    hint,
    hint_details,
    normalize_id,
    reset_hints,
    topic_exercises,
)
from nagviz.exercises.answers import AnswerFormatError, has_ellipsis, parse_formula
from nagviz.exercises._authoring import (
    SourceError,
    build,
    fill_ids,
    parse_source,
    render_lines,
    render_notebook,
    solution_code,
    source_files,
    student_code,
    validate_source,
)

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "exercises" / "build.py"
a, b, c, x, y = sympy.symbols("a b c x y")
EXPECTED_00_2 = sympy.expand(c * (a * x + b * y) ** 2)


@pytest.fixture(autouse=True)
def _fresh_hints():
    reset_hints()
    yield
    reset_hints()


# --------------------------------------------------------------------------- import hygiene


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_importing_exercises_loads_no_plotting_widgets_sympy_or_topics():
    loaded = _modules_after("import nagviz.exercises")
    for heavy in ("matplotlib", "plotly", "ipywidgets", "sympy", "nbformat"):
        assert heavy not in loaded, heavy
    assert "nagviz.exercises.ex00_demo" not in loaded


def test_importing_exercises_leaves_the_authoring_tools_out():
    loaded = _modules_after("from nagviz.exercises import check, hint")
    assert "nagviz.exercises" in loaded
    assert not [name for name in loaded if name.startswith("nagviz.exercises._authoring")]
    # Checking an answer loads the topic's checks, still without the authoring tools.
    loaded = _modules_after("from nagviz.exercises import check; assert check('00.1', 6)")
    assert "nagviz.exercises.ex00_demo" in loaded
    assert not [name for name in loaded if name.startswith("nagviz.exercises._authoring")]


def test_importing_nagviz_does_not_import_exercises():
    assert "nagviz.exercises" not in _modules_after("import nagviz")


# --------------------------------------------------------------------------- answer kinds


@pytest.mark.parametrize(
    "value",
    [6, 6.0, np.int64(6), np.float32(6.0), "6", " 6 ", "6.0", "binomial(4, 2)", sympy.Integer(6),
     sympy.Float(6.0), Fraction(12, 2), 6 + 0j, np.array(6), sympy.sqrt(36)],
)
def test_integer_accepts_equivalent_forms(value):
    assert Integer().equivalent(value, 6)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(5.5, "not a whole number"), ("six", "could not read"), (True, "truth value"), ([6], "list of 1 entry"),
     (None, "got None"), (float("inf"), "finite"), (2 + 1j, "complex"), (x + 1, "symbol(s) x"),
     (np.array([6, 6]), "single number"), ({6}, "set of 1 entry")],
)
def test_integer_refuses_other_types_with_a_reason(value, fragment):
    with pytest.raises(AnswerFormatError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        Integer().normalize(value)


def test_real_uses_tolerances():
    assert Real().equivalent(0.1 + 0.2, 0.3)
    assert Real(rtol=1e-3).equivalent("pi", 3.1416)
    assert Real().equivalent(sympy.sqrt(2) / 2, 2**-0.5)
    assert not Real().equivalent(0.3001, 0.3)
    assert Real(atol=1e-3).equivalent(1e-4, 0)
    assert Real().diagnose(-2.0, 2.0) == "Check the sign of your answer."


@pytest.mark.parametrize(
    "value",
    [
        EXPECTED_00_2,
        c * (a * x + b * y) ** 2,
        "c*(a*x + b*y)**2",
        "c*(a*x+b*y)^2",
        "c (a x + b y)^2",
        "a^2 c x^2 + 2 a b c x y + b^2 c y^2",
        1.0 * c * (a * x + b * y) ** 2,
        sympy.Poly(EXPECTED_00_2, x, y),
        c * (a * sympy.Symbol("x", real=True) + b * y) ** 2,  # symbols match by name
    ],
)
def test_expression_accepts_equivalent_forms(value):
    assert Expression().equivalent(value, EXPECTED_00_2)


def test_expression_numbers_matrices_and_constant_multiples():
    assert Expression().equivalent(3, sympy.Integer(3))
    assert Expression().equivalent(0.5, sympy.Rational(1, 2))
    assert Expression().equivalent(sympy.Matrix([[x, 0], [0, x]]), x * sympy.eye(2))
    assert not Expression().equivalent(sympy.Matrix([[x, 0]]), x * sympy.eye(2))
    cone = b**2 - 4 * a * c
    kind = Expression(up_to_constant=True)
    for form in ("b^2 - 4 a c", "4*a*c - b**2", "b^2 = 4 a c", sympy.Eq(b**2, 4 * a * c), 3 * cone):
        assert kind.equivalent(form, cone), form
    assert not kind.equivalent(0, cone)
    assert not kind.equivalent(b**2 + 4 * a * c, cone)
    assert not Expression().equivalent(3 * cone, cone)


def test_expression_refuses_equations_unless_up_to_constant():
    with pytest.raises(AnswerFormatError, match="equation"):
        Expression().normalize(sympy.Eq(x, 1))


@pytest.mark.parametrize(
    ("answer", "remark"),
    [
        (-EXPECTED_00_2, "wrong sign"),
        (2 * EXPECTED_00_2, "constant factor"),
        (EXPECTED_00_2 + 1, "additive constant"),
        (EXPECTED_00_2 + sympy.Symbol("z"), "symbol z"),
    ],
)
def test_expression_diagnoses_without_revealing(answer, remark):
    message = Expression().diagnose(answer, EXPECTED_00_2)
    assert remark in message
    assert str(EXPECTED_00_2) not in message


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "x; y", "lambda: 0", "import os", "", "x" * 3000])
def test_parse_formula_refuses_unsafe_or_empty_text(text):
    with pytest.raises(AnswerFormatError):
        parse_formula(text)


def test_parse_formula_reads_listed_names_as_symbols():
    assert parse_formula("N + E", names=["N", "E"]).free_symbols == {sympy.Symbol("N"), sympy.Symbol("E")}


def test_collections_in_any_order_or_in_order():
    unordered, ordered = Collection(Integer()), Collection(Integer(), ordered=True)
    for form in ([1, 2, 3], (3, 2, 1), {2, 1, 3}, np.array([3, 1, 2]), [1.0, "2", np.int64(3)], sympy.FiniteSet(1, 2, 3)):
        assert unordered.equivalent(form, [3, 1, 2]), form
    assert ordered.equivalent((1, 2, 3), [1, 2, 3])
    assert ordered.equivalent(np.array([1, 2, 3]), (1, 2, 3))
    assert not ordered.equivalent([3, 2, 1], [1, 2, 3])
    assert not unordered.equivalent([1, 1, 2], [1, 2, 2])  # multisets
    assert not unordered.equivalent([1, 2], [1, 2, 3])
    assert not unordered.equivalent("123", [1, 2, 3])


def test_collection_of_floats_matches_within_tolerance():
    assert Collection(Real(rtol=1e-6)).equivalent([0.3000000001, 1 / 3], ["1/3", 0.3])


def test_collection_diagnoses():
    ordered = Collection(Integer(), ordered=True)
    assert ordered.diagnose((2, 1), (1, 2)) == "You have the right entries, but in the wrong order."
    assert ordered.diagnose((1, 5, 3), (1, 2, 4)) == "Check entries 2, 3 (counting from 1)."
    assert "not the right number" in Collection(Integer()).diagnose((1,), (1, 2))
    assert Collection(Integer()).diagnose((1, 5), (1, 2)) == "1 of your 2 entries is right."
    assert Collection(Integer()).diagnose((1, 2, 5), (1, 2, 3)) == "2 of your 3 entries are right."


def test_collection_reports_which_entry_cannot_be_read():
    with pytest.raises(AnswerFormatError, match="entry 2"):
        Collection(Integer(), ordered=True).normalize([1, "two"])


def test_tuple_of_named_entries():
    kind = Tuple(Integer(), Integer(), Integer(), names=("ambient dimension", "expected dimension", "dimension"))
    assert kind.equivalent([6, 6.0, "5"], (6, 6, 5))
    assert kind.equivalent(np.array([6, 6, 5]), (6, 6, 5))
    assert kind.diagnose((6, 5, 5), (6, 6, 5)) == "Check your value of “expected dimension”."
    assert kind.diagnose((5, 5, 5), (6, 6, 5)) == (
        "Check your values of “ambient dimension” and “expected dimension”.")
    assert Tuple(Integer(), Integer()).diagnose((1, 1), (2, 2)) == "Check entries 1, 2 (counting from 1)."
    assert kind.misordered((6, 5, 6), (6, 6, 5)) == (
        "You have swapped “expected dimension” and “dimension”: both values are "
        "right, in the wrong places.")
    assert kind.misordered((5, 6, 6), (6, 6, 5)) is not None
    assert kind.misordered((6, 6, 6), (6, 6, 5)) is None          # one wrong entry, no swap
    assert kind.misordered((5, 5, 6), (6, 6, 5)) is None          # three wrong entries
    assert Tuple(Choice("a", "b"), Choice("a", "b")).misordered(("b", "a"), ("a", "b")) is None
    with pytest.raises(AnswerFormatError, match="^the value of “dimension”: "):
        kind.normalize((6, 6, "five"))
    with pytest.raises(AnswerFormatError, match="expected 3 entries"):
        kind.normalize((6, 6))
    mixed = Tuple(Integer(), Expression())
    assert mixed.equivalent((2, "b^2 - 4 a c"), (2, b**2 - 4 * a * c))


def test_arrays():
    kind = Array()
    assert kind.equivalent([[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert kind.equivalent(sympy.Matrix([[1, 2], [3, 4]]), ((1, 2), (3, 4)))
    assert kind.equivalent([1e-12, 1], [0, 1])
    assert not kind.equivalent([1, 2], [[1, 2]])
    assert kind.diagnose(kind.normalize([[1, 2]]), kind.normalize([[1, 3]])) is None
    assert kind.diagnose(kind.normalize([[-1, -2]]), kind.normalize([[1, 2]])) == "Your array has the wrong sign."
    for junk in ([[1, 2], [3]], "12", None, [["a", "b"]], [np.nan]):
        with pytest.raises(AnswerFormatError):
            kind.normalize(junk)


def test_booleans_and_choices():
    assert Boolean().equivalent(np.bool_(True), True)
    assert Boolean().equivalent(" No ", False)
    with pytest.raises(AnswerFormatError):
        Boolean().normalize("maybe")
    kind = Choice("filling", "defective")
    assert kind.equivalent("DEFECTIVE", "defective")
    with pytest.raises(AnswerFormatError, match="not one of the options"):
        kind.normalize("full")
    with pytest.raises(AnswerFormatError):
        kind.normalize(1)


def test_function_answers():
    kind = Function([(2, 2), (3, 2), (3, 4)], result=Integer())

    def reference(n, d):
        return math.comb(n + d - 1, d)

    assert kind.equivalent(lambda n, d: math.comb(n + d - 1, n - 1), reference)
    assert kind.is_unanswered(lambda n, d: ...)

    def stub(n, d):
        raise NotImplementedError

    assert kind.is_unanswered(stub)
    assert "raised ZeroDivisionError" in kind.diagnose(lambda n, d: 1 // 0, reference)
    assert "returns the string 'x'" in kind.diagnose(lambda n, d: "x", reference)
    with pytest.raises(AnswerFormatError, match="expected a function"):
        kind.normalize(6)


def test_has_ellipsis_looks_inside_containers():
    assert has_ellipsis(...) and has_ellipsis([1, (2, ...)]) and has_ellipsis({"k": ...})
    assert not has_ellipsis([1, 2]) and not has_ellipsis(np.array([1.0]))


# --------------------------------------------------------------------------- demo exercises


@pytest.mark.parametrize("value", [6, 6.0, np.int64(6), "6", "binomial(4,2)", sympy.binomial(4, 2), math.comb(4, 2)])
def test_demo_1_accepts_the_solution_in_several_forms(value):
    result = check("00.1", value)
    assert result and result.correct and result.status == "correct"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (9, "You counted ordered pairs of variables"),
        (9.0, "You counted ordered pairs of variables"),
        (3, "only one of the two sorts of monomials"),
        (10, "You also counted monomials of lower degree"),
        (0, "cannot be zero or negative"),
        (-4, "cannot be zero or negative"),
        (7, "not the expected answer"),
    ],
)
def test_demo_1_rejects_wrong_answers_with_a_specific_hint(value, fragment):
    result = check("00.1", value)
    assert not result and result.status == "incorrect"
    assert fragment in result.message
    assert 'hint("00.1")' in result.message
    assert "6" not in result.message


@pytest.mark.parametrize(
    "value",
    [EXPECTED_00_2, c * (a * x + b * y) ** 2, "c*(a*x + b*y)^2", "c*a^2*x^2 + 2*a*b*c*x*y + c*b^2*y^2",
     c * (a * sympy.Symbol("x", positive=True) + b * y) ** 2],
)
def test_demo_2_accepts_the_solution_in_several_forms(value):
    assert check("00.2", value).correct


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ((a * x + b * y) ** 2, "You left out the output weight"),
        ("(a x + b y)^2", "You left out the output weight"),
        (c * (a * x + b * y), "You forgot the activation"),
        (c * (a**2 * x**2 + b**2 * y**2), "You squared each term separately"),
        ((c * (a * x + b * y)) ** 2, "after the output layer as well"),
        (-(c * (a * x + b * y) ** 2), "wrong sign"),
        (5 * x, "not the expected answer"),
    ],
)
def test_demo_2_rejects_wrong_answers_with_a_specific_hint(value, fragment):
    result = check("00.2", value)
    assert result.status == "incorrect"
    assert fragment in result.message


@pytest.mark.parametrize("exercise_id", ["00.1", "00.2"])
@pytest.mark.parametrize(
    "value",
    [None, "", "not a formula +", [1, 2, 3], (), {}, {"a": 1}, object(), True, float("nan"), b"6", np.array([[1, 2]]),
     sympy.Matrix([1, 2]), print, Integer, 1e400],
)
def test_wrong_types_do_not_crash(exercise_id, value):
    result = check(exercise_id, value)
    assert isinstance(result, CheckResult)
    assert not result
    assert result.status in {"invalid", "incorrect"}
    assert result.message


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.just(...),
        lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=2), inner, max_size=2),
        max_leaves=6,
    )
)
@settings(max_examples=150, deadline=None)
def test_checks_never_raise_on_arbitrary_values(value):
    for exercise_id in ("00.1", "00.2"):
        result = check(exercise_id, value)
        assert isinstance(result, CheckResult)
        assert result.status in {"correct", "incorrect", "unanswered", "invalid"}


@pytest.mark.parametrize("value", [..., [..., 2], (1, ...)])
def test_ellipsis_is_reported_as_not_answered(value):
    result = check("00.1", value)
    assert result.status == "unanswered" and not result
    assert "`...`" in result.message
    assert "not answered yet" in str(result).lower()


def test_unknown_or_malformed_ids_do_not_crash():
    assert "no exercise 00.9" in check("00.9", 1).message
    assert "no exercise 00.9" in hint("00.9").message
    assert "00.1, 00.2" in check("00.9", 1).message
    assert check("nonsense", 1).status == "invalid"
    with pytest.raises(KeyError):
        get_exercise("00.9")


def test_hints_are_revealed_one_at_a_time_then_point_to_the_solution():
    first, second, third = hint("00.1"), hint("00.1"), hint("00.1")
    assert (first.number, second.number, third.number) == (1, 2, None)
    assert first.message == get_exercise("00.1").hints[0]
    assert second.message == get_exercise("00.1").hints[1]
    assert "exercises/solutions/00_demo.ipynb" in third.message
    assert "exercises/solutions/00_demo.ipynb" in hint("00.1").message  # and stays there
    assert hint("00.2").number == 1  # separate counters
    reset_hints("00.1")
    assert hint("00.1").number == 1
    assert hint("0.1").number == 2  # ids are normalized


def test_hints_do_not_reveal_the_answers():
    for text in get_exercise("00.1").hints:
        assert "6" not in text
    for text in get_exercise("00.2").hints:
        assert "c*(a*x + b*y)" not in text.replace(" ", "") and "(a*x+b*y)**2" not in text.replace(" ", "")


def test_hint_details_are_collapsible_html():
    html = hint_details("00.2")
    assert html.count("<details>") == html.count("</details>") == 2
    assert "<summary><b>Hint 2</b>" in html


def test_topic_registry_is_loaded_lazily_and_ordered():
    assert [e.id for e in topic_exercises("00")] == ["00.1", "00.2"]
    assert topic_exercises(42) == ()
    ex = get_exercise("00.2")
    assert ex.topic == "00_demo" and ex.solution_notebook == "exercises/solutions/00_demo.ipynb"
    assert ex.expected == EXPECTED_00_2
    assert get_exercise("00.1").expected == math.comb(4, 2)


# --------------------------------------------------------------------------- results and registry


def test_check_result_is_a_frozen_truthy_dataclass_with_html():
    good = CheckResult("00.1", True, "Well done.")
    bad = CheckResult("00.1", False, "Try `x*y`.")
    todo = CheckResult("00.1", False, "Replace `...`.", "unanswered")
    assert bool(good) and not bad and not todo
    assert (good.status, bad.status) == ("correct", "incorrect")
    with pytest.raises(AttributeError):
        good.correct = False  # type: ignore[misc]
    assert str(good) == "✔ Exercise 00.1: Correct! Well done."
    assert "#1e7b34" in good._repr_html_() and "nagviz-correct" in good._repr_html_()
    assert "#b35900" in bad._repr_html_() and "<code>x*y</code>" in bad._repr_html_()
    assert "nagviz-unanswered" in todo._repr_html_()
    with pytest.raises(ValueError):
        CheckResult("00.1", True, "", "incorrect")
    assert "&lt;script&gt;" in CheckResult("00.1", False, "<script>")._repr_html_()


def test_hint_object_repr():
    shown = Hint("00.1", 1, 2, "Look at `x*y`.")
    assert str(shown) == "Hint 1 of 2 for exercise 00.1: Look at `x*y`."
    assert "<code>x*y</code>" in shown._repr_html_()
    assert str(Hint("00.1", None, 2, "See the solutions.")).startswith("No more hints")


def test_normalize_id():
    assert normalize_id("1.2") == normalize_id("01.02") == "01.2"
    for bad in ("1", "a.b", "001.2", 1.2):
        with pytest.raises(ValueError):
            normalize_id(bad)  # type: ignore[arg-type]


def test_private_registry_mistake_rules_and_fallback():
    registry = Registry()

    @exercise(
        "42.1",
        Integer(),
        hints=["first", "second"],
        mistakes=[
            Mistake("forgot the rescaling symmetry", when=lambda n: n == 2 * ex_params()),
            Mistake("broken rule is skipped", when=lambda n: 1 / 0),
            Mistake("off by one", equals=4),
        ],
        fallback="Count again.",
        explanation="Yes!",
        registry=registry,
    )
    def answer():
        return 5

    def ex_params():
        return 5

    assert registry.check("42.1", 5.0) and registry.check("42.1", 5).message == "Yes!"
    assert registry.check("42.1", 10).message.startswith("forgot the rescaling symmetry")
    assert registry.check("42.1", 4.0).message.startswith("off by one")
    assert registry.check("42.1", 7).message.startswith("Count again.")
    assert answer.topic is None  # not defined in an exNN_ module
    assert registry.hint("42.1").message == "first"
    assert "the solution notebook" in (registry.hint("42.1"), registry.hint("42.1"))[1].message
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Exercise("42.1", Integer(), lambda: 1))


def test_messages_agree_in_number():
    registry = Registry()
    made = registry.register(Exercise("42.5", Tuple(Integer()), lambda: (1,), hints=["only"], mistakes=[Mistake("m", equals=(2,))]))
    assert repr(made).endswith("1 hint, 1 mistake rule)")
    assert registry.hint("42.5").number == 1
    assert registry.hint("42.5").message.startswith("you have seen the only one. A reference solution is in")
    with pytest.raises(AnswerFormatError, match=r"^expected 1 entry, got 2\.$"):
        Tuple(Integer()).normalize((1, 2))
    assert Tuple(Integer()).description == "a tuple of 1 entry"


def test_exercise_validation():
    with pytest.raises(ValueError):
        Mistake("needs a rule")
    with pytest.raises(ValueError):
        Mistake("both", equals=1, when=bool)
    with pytest.raises(TypeError):
        Exercise("42.1", Integer(), lambda: 1, hints="one string")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Exercise("42.1", int, lambda: 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Exercise("42.1", Integer(), lambda: 1, topic="01_other")


def test_topic_is_inferred_from_the_module_name():
    def reference():
        return 1

    reference.__module__ = "nagviz.exercises.ex42_fake_topic"
    made = exercise("42.3", Integer(), registry=Registry())(reference)
    assert made.topic == "42_fake_topic"


# --------------------------------------------------------------------------- sources and notebooks

MINIMAL = """\
# ---
# title: Warm-up
# practises:
#   - counting
#   - expanding
# topic: notebooks/01_neuromanifolds.ipynb
# ---

# %% [markdown]
# ## Exercise 00.1: counting
#
# Prompt.
#
# <!-- hints -->

# %%
from nagviz.exercises import check

# %%
# BEGIN SOLUTION
n_monomials = 6
# END SOLUTION
check(n_monomials)

# %% [markdown] solution-only
# Discussion.

# %% student-only
# scratch space

# %% [markdown]
# ## Exercise 00.2 (challenge): expanding

# %%
for _ in range(1):
    # BEGIN SOLUTION
    f = "c*(a*x + b*y)^2"
    # END SOLUTION
    pass
check(f)
"""


def test_parse_and_render_a_source():
    source = parse_source(MINIMAL, "00_demo", "exercises/source/00_demo.py")
    assert source.practises == ("counting", "expanding")
    assert source.exercise_ids() == source.checked_ids() == ("00.1", "00.2") and source.hint_ids() == ("00.1",)
    assert [(h.title, h.line) for h in source.exercises] == [("counting", 10), ("expanding", 32)]
    validate_source(source)
    student = json.loads(render_notebook(source, "student"))
    solution = json.loads(render_notebook(source, "solution"))
    import nbformat  # slow to import (seconds, for jsonschema's format checkers): only here

    for copy in ("student", "solution"):  # valid nbformat 4.5, in the layout nbformat itself writes
        text = render_notebook(source, copy)
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
        assert nbformat.writes(notebook) + "\n" == text
    student_text = "".join("".join(cell["source"]) for cell in student["cells"])
    solution_text = "".join("".join(cell["source"]) for cell in solution["cells"])
    assert "n_monomials = ...  # your answer here" in student_text
    assert '    f = ...  # your answer here' in student_text  # indentation kept
    assert "n_monomials = 6" in solution_text and "n_monomials = 6" not in student_text
    assert 'check("00.1", n_monomials)' in student_text and 'check("00.2", f)' in solution_text  # ids filled in
    assert 'hint("00.1")' in student_text  # the first cell names the first exercise
    assert "Discussion." in solution_text and "Discussion." not in student_text
    assert "scratch space" in student_text and "scratch space" not in solution_text
    assert "<details>" in student_text and "<details>" in solution_text
    assert "[notebooks/01_neuromanifolds.ipynb](../notebooks/01_neuromanifolds.ipynb)" in student_text
    assert "(../../notebooks/01_neuromanifolds.ipynb)" in solution_text
    assert "(solutions/00_demo.ipynb)" in student_text and "(../00_demo.ipynb)" in solution_text
    # Stable ids: a cell keeps its id (its position in the source) in both copies.
    assert [cell["id"] for cell in student["cells"]][:4] == ["00_demo-intro", "00_demo-01", "00_demo-02", "00_demo-03"]
    assert "00_demo-04" in [cell["id"] for cell in solution["cells"]]
    assert "00_demo-04" not in [cell["id"] for cell in student["cells"]]
    assert render_notebook(source, "student") == render_notebook(parse_source(MINIMAL, "00_demo"), "student")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("# %%\nx = 1\n", "must start with a '# ---' header"),
        ("# ---\n# title: T\n# ---\n# %%\nx = 1\n", "needs practises"),
        ("# ---\n# title: T\n# practises: p\n# colour: red\n# ---\n", "unknown header key"),
        ("# ---\n# title: T\n# practises: p\n", "not closed"),
        ("# ---\n# title: T\n# practises: p\n# ---\nx = 1\n# %%\ny = 2\n", "before the first"),
        ("# ---\n# title: T\n# practises: p\n# ---\n# %% [markdown]\nnot a comment\n", "must start with '# '"),
        ("# ---\n# title: T\n# practises: p\n# ---\n# %% [raw]\nx\n", "unknown cell option"),
        ("# ---\n# title: T\n# practises: p\n# ---\n# %%\n\n# %%\nx = 1\n", "empty cell"),
    ],
)
def test_parse_errors_name_the_problem(text, fragment):
    with pytest.raises(SourceError, match=fragment):
        parse_source(text, "00_demo")


def test_parse_errors_give_the_line():
    with pytest.raises(SourceError) as info:
        parse_source("# ---\n# title: T\n# practises: p\n# ---\n# %% [markdown]\n# fine\nbad\n", "00_demo", "s.py")
    assert str(info.value).startswith("s.py:7:")


def test_bad_file_names_are_refused():
    with pytest.raises(SourceError, match="NN_topic"):
        parse_source("", "demo")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("# BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n# END SOLUTION\n", "without '# BEGIN SOLUTION'"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n", "inside another"),
        ("# BEGIN SOLUTION\n\n# END SOLUTION\n", "empty solution block"),
        ("# STUB: x = ...\n", "outside a solution block"),
        ("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION\n", "cannot guess the student stub"),
        ("# BEGIN SOLUTION\nx = (\n# END SOLUTION\n", "not valid Python"),
        ("if True:\n    # BEGIN SOLUTION\n    x = 1\n# END SOLUTION\n", "not indented like"),
    ],
)
def test_solution_block_errors(code, fragment):
    with pytest.raises(SourceError, match=fragment):
        student_code(code)


def test_stub_inference():
    assert student_code("# BEGIN SOLUTION\nn: int = 6\n# END SOLUTION") == "n: int = ...  # your answer here"
    assert student_code("# BEGIN SOLUTION\na, b = 1, 2\n# END SOLUTION") == "a, b = ..., ...  # your answer here"
    function = '# BEGIN SOLUTION\ndef ambient(n, d):\n    """Doc."""\n    return n + d\n# END SOLUTION'
    assert student_code(function) == 'def ambient(n, d):\n    """Doc."""\n    return ...  # your answer here'
    assert solution_code(function) == function.split("\n", 1)[1].rsplit("\n", 1)[0]
    explicit = "# BEGIN SOLUTION\n# STUB: # two lines\n# STUB: f = ...\nf = 1\n# END SOLUTION"
    assert student_code(explicit) == "# two lines\nf = ..."
    assert solution_code(explicit) == "f = 1"


HEAD = "# ---\n# title: T\n# practises: p\n# ---\n"


def _exercise(exercise_id: str, code: str = "check(6)", prompt: str = "") -> str:
    return f"# %% [markdown]\n# ## Exercise {exercise_id}: a title\n{prompt}# %%\n{code}\n"


def test_check_must_be_the_last_line_of_its_cell():
    text = HEAD + _exercise("00.1", "check(6)\nx = 1")
    with pytest.raises(SourceError, match=r"<source>:8: a cell may call check\(...\) once, as its last line"):
        render_notebook(parse_source(text, "00_demo"), "student")


def test_the_heading_gives_the_id_to_check_hint_and_hints_markers():
    code = 'x = [check(1), hint()]\nprint("check(", x)  # check(y)\ncheck(\n    x)'
    assert fill_ids(code, "02.2b") == 'x = [check("02.2b", 1), hint("02.2b")]\nprint("check(", x)  # check(y)\ncheck(\n    "02.2b", x)'
    assert fill_ids('check("c*x^2")', "00.2") == 'check("00.2", "c*x^2")'  # a string answer is not an id
    assert fill_ids("é = 'ü'; check(é)", "00.1") == "é = 'ü'; check(\"00.1\", é)"  # columns are counted in characters
    source = parse_source(HEAD + _exercise("00.2", prompt="# <!-- hints -->\n"), "00_demo")
    assert source.hint_ids() == source.checked_ids() == ("00.2",)


@pytest.mark.parametrize(
    ("body", "fragment", "line"),
    [
        (_exercise("00.1", 'check("00.1", 6)'), 'write check(answer) without the id "00.1"', 8),
        (_exercise("00.1", 'hint("00.1")'), "write hint() without the id", 8),
        (_exercise("00.1", "check(6, 7)"), "call check(answer) here", 8),
        (_exercise("00.1", "check()"), "call check(answer) here", 8),
        (_exercise("00.1", "hint(1)"), "call hint() here", 8),
        (_exercise("00.1", prompt="# <!-- hints 00.1 -->\n"), "write '<!-- hints -->' without an id", 7),
        ("# %%\ncheck(6)\n", "check(answer) outside an exercise", 6),
        ("# %% [markdown]\n# <!-- hints -->\n", "'<!-- hints -->' outside an exercise", 6),
        (_exercise("00.1") + "# %% [markdown]\n# ## Summary\n# %%\ncheck(1)\n", "outside an exercise", 12),
        (_exercise("00.1") + _exercise("00.1"), "exercise 00.1 has a second heading", 10),
        (_exercise("01.1"), "exercise 01.1 belongs to topic 01, not 00", 6),
        (_exercise("00.01"), "must look like 'NN.k'", 6),
        ("# %% [markdown] solution-only\n# ## Exercise 00.1: hidden\n", "is in a solution-only cell; both copies need it", 6),
    ],
)
def test_ids_are_written_once_in_the_heading(body, fragment, line):
    with pytest.raises(SourceError, match=re.escape(fragment)) as info:
        parse_source(HEAD + body, "00_demo")
    assert str(info.value).startswith(f"<source>:{line}: ")


def test_sources_are_validated_against_the_registry():
    validate_source(parse_source(HEAD + _exercise("00.1") + _exercise("00.2"), "00_demo"))
    message = "exercise 00.2 is registered (nagviz/exercises/ex00_demo.py) but the source has no '## Exercise 00.2: ...' heading"
    with pytest.raises(SourceError, match=re.escape(message)):
        validate_source(parse_source(HEAD + _exercise("00.1"), "00_demo"))
    with pytest.raises(SourceError, match=r"<source>:10: exercise 00\.7 has no registered check: add @exercise\(\"00\.7\""):
        validate_source(parse_source(HEAD + _exercise("00.1") + _exercise("00.7") + _exercise("00.2"), "00_demo"))
    with pytest.raises(SourceError, match=r"<source>:6: exercise 00\.1 is never checked"):
        validate_source(parse_source(HEAD + _exercise("00.1", "x = 1") + _exercise("00.2"), "00_demo"))


def test_every_registered_exercise_has_exactly_one_heading_in_its_source():
    """The ids of the checker modules and of the sources agree (each written once in each)."""
    for path in SOURCES:
        source = parse_source(path.read_text(), path.stem, str(path))
        assert list(source.exercise_ids()) == [e.id for e in topic_exercises(path.stem[:2])]
        assert source.checked_ids() == source.exercise_ids()
        assert not re.search(r"""\b(check|hint)\(\s*["']\d|<!--\s*hints\s+\d""", path.read_text())


def test_rendered_lines_remember_their_source_lines():
    code = "x = 1\n# BEGIN SOLUTION\n# STUB: n = ...\nn = 6\n# END SOLUTION\ncheck(n)"
    assert render_lines(code, "solution", first_line=20) == [("x = 1", 20), ("n = 6", 23), ("check(n)", 25)]
    assert render_lines(code, "student", first_line=20) == [("x = 1", 20), ("n = ...", 21), ("check(n)", 25)]


# --------------------------------------------------------------------------- the generator


def _fake_root(tmp_path: Path) -> Path:
    (tmp_path / "exercises" / "source").mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "source" / "00_demo.py", tmp_path / "exercises" / "source" / "00_demo.py")
    return tmp_path


def _run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True, cwd=ROOT)


def _build_main(*args: str, capsys) -> tuple[int, str, str]:
    """Run ``exercises/build.py`` in this process; return (exit status, stdout, stderr)."""
    spec = importlib.util.spec_from_file_location("exercises_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    capsys.readouterr()
    status = module.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_committed_notebooks_are_up_to_date_and_every_solution_passes(capsys):
    status, out, err = _build_main("--check", capsys=capsys)
    assert status == 0, out + err
    assert "0 stale, 0 without a source" in out
    registered = sum(len(topic_exercises(path.stem[:2])) for path in SOURCES)
    assert f"solutions: {len(SOURCES)} sources, {registered} checks correct, 0 failures" in out
    for path in SOURCES:
        assert f"ran exercises/source/{path.name}: " in out


def _broken_root(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A root with the demo source changed (and its notebooks rebuilt); the line of ``new``."""
    root = _fake_root(tmp_path)
    source = root / "exercises" / "source" / "00_demo.py"
    text = source.read_text()
    assert old in text
    source.write_text(text.replace(old, new))
    assert build(root).written
    line = next(i for i, s in enumerate(source.read_text().splitlines(), 1) if new.splitlines()[-1] in s)
    return root, line


def test_check_fails_on_a_wrong_reference_solution_with_its_line(tmp_path, capsys):
    root, line = _broken_root(tmp_path, "n_monomials = math.comb(2 + 3 - 1, 2)", "n_monomials = math.comb(3, 2)")
    status, out, err = _build_main("--check", "--root", str(root), capsys=capsys)
    assert status == 1
    expected = (
        f"exercises/source/00_demo.py:{line + 2}: the reference solution does not pass its check: "
        "✘ Exercise 00.1: Not quite. That counts only one of the two sorts of monomials"
    )
    assert expected in err, err
    assert "1 of 2 checks correct" in out and "1 failure (" in out
    assert "--no-run" not in out and _build_main("--check", "--no-run", "--root", str(root), capsys=capsys)[0] == 0


def test_check_fails_on_a_solution_that_raises_with_its_line(tmp_path, capsys):
    root, line = _broken_root(tmp_path, "hidden = (a * x + b * y) ** 2", "hidden = (a * x + b * y) ** 2 + 1 // 0")
    status, _, err = _build_main("--check", "--root", str(root), capsys=capsys)
    assert status == 1
    assert f"exercises/source/00_demo.py:{line}: the solution raised ZeroDivisionError" in err, err


def test_check_fails_when_a_solution_is_never_checked(tmp_path, capsys):
    root, _ = _broken_root(tmp_path, "# %%\n# BEGIN SOLUTION\nhidden", "# %% student-only\n# BEGIN SOLUTION\nhidden")
    status, _, err = _build_main("--check", "--root", str(root), capsys=capsys)
    assert status == 1
    assert "exercises/source/00_demo.py:48: exercise 00.2 is never checked in the solution copy" in err, err


def test_solutions_run_where_the_notebook_runs(tmp_path, capsys):
    root, _ = _broken_root(
        tmp_path,
        "n_monomials = math.comb(2 + 3 - 1, 2)",
        "import os\nn_monomials = 6 if os.path.basename(os.getcwd()) == 'solutions' else 0",
    )
    before = Path.cwd()
    status, out, err = _build_main("--check", "--root", str(root), capsys=capsys)
    assert status == 0, out + err
    assert Path.cwd() == before


def test_check_fails_on_a_stale_copy_and_passes_after_a_build(tmp_path):
    root = _fake_root(tmp_path)
    assert build(root, check=True).stale == ("exercises/00_demo.ipynb", "exercises/solutions/00_demo.ipynb")
    assert _run_build("--root", str(root)).returncode == 0
    assert build(root, check=True).up_to_date
    # The generated notebooks match the committed ones byte for byte.
    for relative in ("exercises/00_demo.ipynb", "exercises/solutions/00_demo.ipynb"):
        assert (root / relative).read_bytes() == (ROOT / relative).read_bytes()
    source = root / "exercises" / "source" / "00_demo.py"
    source.write_text(source.read_text().replace("## Summary", "## In short"))
    stale = _run_build("--check", "--root", str(root))
    assert stale.returncode == 1
    assert "stale" in stale.stdout and "exercises/00_demo.ipynb" in stale.stdout
    assert "exercises/solutions/00_demo.ipynb" in stale.stdout


def test_build_reports_orphans_and_source_errors(tmp_path):
    root = _fake_root(tmp_path)
    assert build(root).written
    assert build(root).unchanged and not build(root).written  # idempotent
    (root / "exercises" / "99_gone.ipynb").write_text("{}")
    report = build(root, check=True)
    assert report.orphans == ("exercises/99_gone.ipynb",) and not report.up_to_date
    (root / "exercises" / "source" / "00_demo.py").write_text("# %%\nx = 1\n")
    broken = _run_build("--check", "--root", str(root))
    assert broken.returncode == 2 and "00_demo.py:1:" in broken.stderr


# --------------------------------------------------------------------------- committed notebooks

SOURCES = source_files(ROOT)


def _cells(relative: str) -> list[dict]:
    return json.loads((ROOT / relative).read_text())["cells"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_copies_are_clean(source):
    student = _cells(f"exercises/{source.stem}.ipynb")
    solution = _cells(f"exercises/solutions/{source.stem}.ipynb")
    student_text = "".join("".join(cell["source"]) for cell in student)
    solution_text = "".join("".join(cell["source"]) for cell in solution)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "# STUB:"):
        assert marker not in student_text and marker not in solution_text
    assert "# your answer here" not in solution_text
    assert "# your answer here" in student_text
    # No line of a solution block survives in the student copy.
    inside, solution_lines = False, []
    for line in source.read_text().splitlines():
        if line.strip() == "# BEGIN SOLUTION":
            inside = True
        elif line.strip() == "# END SOLUTION":
            inside = False
        elif inside and line.strip() and not line.strip().startswith("# STUB:"):
            solution_lines.append(line.strip())
    assert solution_lines
    student_lines = {line.strip() for line in student_text.splitlines()}
    assert not [line for line in solution_lines if line in student_lines]
    for cell in student + solution:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    for cells, folder, heading in ((student, "exercises", "Exercises"), (solution, "exercises/solutions", "Solutions")):
        first = "".join(cells[0]["source"])
        assert first.startswith(f"# {heading} {source.stem[:2]}:") and "hint(" in first
        links = [part.split(")")[0] for part in first.split("](")[1:]]
        assert len(links) >= 2
        for target in links:
            assert (ROOT / folder / target).exists(), f"broken link {target} in {folder}/{source.stem}.ipynb"


@pytest.mark.notebooks
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_solution_notebook_runs_and_every_check_is_correct(source):
    import nbformat
    from nbclient import NotebookClient

    path = ROOT / "exercises" / "solutions" / f"{source.stem}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    verdicts = {}
    for cell in notebook.cells:
        for exercise_id in re.findall(r'\bcheck\("([^"]+)"', cell.source) if cell.cell_type == "code" else ():
            text = "".join(out.get("data", {}).get("text/plain", "") for out in cell.outputs)
            verdicts[exercise_id] = f"Exercise {exercise_id}: Correct!" in text
    registered = {e.id for e in topic_exercises(source.stem[:2])}
    assert set(verdicts) == registered
    assert all(verdicts.values()), verdicts


@pytest.mark.notebooks
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_notebook_runs_with_the_stubs(source):
    import nbformat
    from nbclient import NotebookClient

    path = ROOT / "exercises" / f"{source.stem}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = "".join(
        out.get("data", {}).get("text/plain", "") for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs
    )
    assert "Correct!" not in shown
    assert shown.count("Not answered yet.") == len(topic_exercises(source.stem[:2]))


def _names_assigned_per_exercise(source: Path) -> dict[str, set[str]]:
    """Top-level names each exercise's code cells assign (comprehension variables excluded)."""
    import ast

    parts = re.split(r"^# ## Exercise (\d\d\.\d+)[^\n]*\n", source.read_text(), flags=re.M)
    assigned = {}
    for label, chunk in zip(parts[1::2], parts[2::2]):
        code = "\n".join(line for line in chunk.splitlines() if not line.startswith("#"))
        tree = ast.parse(code)
        hidden = {id(t) for node in ast.walk(tree)
                  if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
                  for g in node.generators for t in ast.walk(g.target)}
        assigned[label] = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                           and isinstance(n.ctx, ast.Store) and id(n) not in hidden}
    return assigned


@pytest.mark.parametrize("source", sorted((ROOT / "exercises" / "source").glob("*.py")),
                         ids=lambda p: p.stem)
def test_no_exercise_rebinds_a_name_of_an_earlier_one(source):
    """A student who goes back to an earlier exercise and reruns its cell must find its names
    as that exercise left them (notebook 05's 05.10 once rebound 05.1's symbol q to an array,
    and rerunning 05.1's solution raised a sympy error)."""
    same_value = {"05_singularities": {"v"}}   # 05.1 and 05.9 both bind sympy.Symbol("v")
    first = {}
    clashes = []
    for label, names in _names_assigned_per_exercise(source).items():
        for name in sorted(names):
            if name in first and name not in same_value.get(source.stem, ()):
                clashes.append(f"{name} (exercise {first[name]}, again in {label})")
            first.setdefault(name, label)
    assert not clashes, f"{source.name}: " + ", ".join(clashes)

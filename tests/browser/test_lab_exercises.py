"""A student at work: wrong answer, advice, right answer, green box.

For each student notebook ``exercises/NN_topic.ipynb``: run all cells (every
check says "not answered yet"), then take its first exercise for which a wrong
answer can be typed (a ``Mistake(equals=...)`` value, else the right answer
perturbed), type it into the student's stub cell and run it (an orange box
with the advice ``check`` gives for it must appear), then
type the reference solution from ``exercises/solutions/NN_topic.ipynb`` and run
it (a green box must appear).  ``exercises/00_demo.ipynb``, the permanent
demonstration of the exercise machinery, doubles as the harness's self-test.

The answers are typed *after* Run All, as exercises/README.md tells students to
work: run everything, then fill in the stubs one by one.  So a later cell that
rebinds a name an earlier exercise uses makes this test fail, as it would
confuse a student.

The boxes come from ``nagviz.exercises.CheckResult._repr_html_``: class
``nagviz-exercise`` plus ``nagviz-correct``, ``nagviz-incorrect``,
``nagviz-unanswered`` or ``nagviz-invalid``.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import dataclass
from pathlib import PurePosixPath

import nbformat
import pytest

from browser_harness import (
    REPO_ROOT,
    artifact_path,
    assert_no_cell_errors,
    lab_cell_report,
    lab_open_notebook,
    lab_run_all,
    lab_screenshot,
    lab_shutdown_kernel,
    lab_type_into_cell,
)

pytestmark = pytest.mark.browser

BOX = ".nagviz-exercise"
STUDENT_NOTEBOOKS = sorted(
    p.relative_to(REPO_ROOT).as_posix() for p in REPO_ROOT.glob("exercises/*.ipynb")
) or [pytest.param("exercises/*.ipynb", marks=pytest.mark.skip(reason="no exercises/*.ipynb yet"))]

_CHECK_CALL = re.compile(r"""^\s*check\(\s*["'](?P<id>[^"']+)["']\s*,\s*(?P<arg>.*?)\s*\)\s*$""", re.MULTILINE)
# A stub line written by exercises/build.py: "name = ...  # your answer here",
# "a, b = ..., ...  # your answer here".
_STUB = re.compile(r"^(?P<indent>\s*)(?P<names>[\w\s,]+?)\s*=\s*\.\.\.(?:\s*,\s*\.\.\.)*\s*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class ExerciseCase:
    """One exercise to try in the browser."""

    exercise_id: str
    cell_index: int  # of the student's cell, counting every cell
    wrong_source: str
    wrong_advice: str  # the beginning of the advice the orange box must show
    right_source: str


def _checked_id(source):
    match = _CHECK_CALL.search(source)
    return match and match.group("id")


def _literal(value):
    """Python source for a wrong answer, or None when there is no plain literal for it."""
    if type(value).__module__.startswith("sympy"):
        return repr(str(value))  # Expression answers accept strings
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        value = value.tolist()
    text = repr(value)
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return text


def _perturbed(value, kind):
    """A value of the expected answer's shape that is not the expected answer, or None."""
    options = getattr(kind, "options", None)
    if isinstance(value, str) and options:
        return next((o for o in options if o != value), None)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, tuple | list) and value:
        kinds = getattr(kind, "kinds", None) or [getattr(kind, "kind", None)] * len(value)
        first = _perturbed(value[0], kinds[0])
        return None if first is None else type(value)([first, *value[1:]])
    if type(value).__module__.startswith(("sympy", "numpy")):
        return value + 1
    return None  # functions and the like


def _plain_prefix(message, length=40):
    """The start of a message, cut before any `code` or $math$ (rendered differently)."""
    return re.split(r"[`$]", message, maxsplit=1)[0].strip()[:length]


def _wrong_answers(exercise):
    """Candidate wrong answers: the literal common mistakes, then a perturbed right answer."""
    for mistake in exercise.mistakes:
        if mistake.when is None:
            yield mistake.equals
    yield _perturbed(exercise.expected, exercise.kind)


def exercise_case(student_relpath):
    """The first exercise of a student notebook for which a wrong answer can be typed.

    The registry is the oracle: ``check`` runs here on each candidate wrong
    answer, must say "incorrect", and its message is what the orange box in
    the browser must show.
    """
    from nagviz.exercises import get_exercise

    student = nbformat.read(REPO_ROOT / student_relpath, as_version=4)
    solution_path = REPO_ROOT / "exercises" / "solutions" / PurePosixPath(student_relpath).name
    solution = nbformat.read(solution_path, as_version=4)
    solutions = {_checked_id(c.source): c.source for c in solution.cells if c.cell_type == "code"}
    for index, cell in enumerate(student.cells):
        exercise_id = cell.cell_type == "code" and _checked_id(cell.source)
        if not exercise_id or exercise_id not in solutions:
            continue
        stubs = list(_STUB.finditer(cell.source))
        checked = _CHECK_CALL.search(cell.source).group("arg").strip("() ").replace(" ", "")
        if len(stubs) != 1 or stubs[0].group("names").replace(" ", "") != checked:
            continue  # only cells that check exactly the one name they stub
        stub = stubs[0]
        exercise = get_exercise(exercise_id)
        for value in _wrong_answers(exercise):
            literal = None if value is None else _literal(value)
            if literal is None:
                continue
            verdict = exercise.check(ast.literal_eval(literal))  # what the typed cell will check
            if verdict.status != "incorrect":
                continue
            wrong_line = f"{stub.group('indent')}{stub.group('names').strip()} = {literal}"
            wrong = cell.source[: stub.start()] + wrong_line + cell.source[stub.end():]
            advice = _plain_prefix(verdict.message) or verdict.headline
            return ExerciseCase(exercise_id, index, wrong, advice, solutions[exercise_id])
    return None


def _shown(pg, relpath, cell_index):
    """What the cell's output shows, for failure messages: boxes, errors, text."""
    return pg.evaluate(
        """([path, i]) => {
          for (const w of window.jupyterapp.shell.widgets('main')) {
            if (!(w.context && w.context.path === path)) continue;
            const outputs = w.content.widgets[i].model.toJSON().outputs || [];
            return outputs.map((o) => o.output_type === 'error' ? o.ename + ': ' + o.evalue
              : String((o.data && (o.data['text/plain'] || o.data['text/html'])) || o.text || '')
            ).join(' | ').slice(0, 600);
          }
          return '';
        }""",
        [relpath, cell_index],
    )


def _expect_box(pg, relpath, case, cell, status):
    box = cell.locator(f"{BOX}.nagviz-{status}")
    try:
        box.wait_for(state="visible", timeout=30_000)
    except Exception:
        raise AssertionError(
            f"{relpath}, exercise {case.exercise_id} (cell {case.cell_index}): no '{status}' box; "
            f"the cell shows: {_shown(pg, relpath, case.cell_index)!r}"
        ) from None
    return box.inner_text()


def try_exercise(pg, relpath, case):
    """Wrong answer first, then the right one; assert on the boxes each time."""
    cell = lab_type_into_cell(pg, relpath, case.cell_index, case.wrong_source)
    text = _expect_box(pg, relpath, case, cell, "incorrect")
    assert case.wrong_advice in text, f"{case.exercise_id}: expected advice {case.wrong_advice!r}, got {text!r}"
    assert cell.locator(f"{BOX}.nagviz-correct").count() == 0
    print(f"  [{relpath}] {case.exercise_id} wrong answer -> {' '.join(text.split())[:90]!r}")

    cell = lab_type_into_cell(pg, relpath, case.cell_index, case.right_source)
    text = _expect_box(pg, relpath, case, cell, "correct")
    assert cell.locator(f"{BOX}.nagviz-incorrect").count() == 0
    print(f"  [{relpath}] {case.exercise_id} right answer -> {' '.join(text.split())[:90]!r}")


@pytest.mark.parametrize("relpath", STUDENT_NOTEBOOKS, ids=lambda p: PurePosixPath(p).stem)
def test_student_notebook(page, lab, record_property, relpath):
    pg, console = page
    case = exercise_case(relpath)
    start = time.monotonic()
    try:
        lab_open_notebook(pg, lab, relpath)
        lab_run_all(pg, relpath)
        assert_no_cell_errors(lab_cell_report(pg, relpath), relpath)
        unanswered = pg.locator(f"{BOX}.nagviz-unanswered").count()
        answered = pg.locator(f"{BOX}.nagviz-correct, {BOX}.nagviz-incorrect").count()
        assert unanswered > 0 and answered == 0, (
            f"{relpath}: after Run All the student copy should only say 'not answered yet' "
            f"({unanswered} unanswered, {answered} answered boxes)"
        )
        console.assert_clean(relpath)
        if case is None:
            pytest.skip(f"{relpath}: no exercise whose wrong answer can be typed as a literal")
        try_exercise(pg, relpath, case)
        console.assert_clean(relpath + " after answering")
    finally:
        lab_screenshot(pg, relpath, artifact_path(f"exercise-{PurePosixPath(relpath).stem}.png"))
        lab_shutdown_kernel(pg, relpath)
    record_property("wall_time_s", time.monotonic() - start)

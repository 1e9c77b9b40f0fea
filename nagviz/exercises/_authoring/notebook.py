"""Render a parsed exercise source as a student notebook or a solution notebook.

The output is deterministic: no outputs, no execution counts, cell ids derived
from the position of the cell in the source, sorted JSON keys. Building twice
gives identical bytes, which is what ``build.py --check`` relies on.

:func:`validate_source` matches the exercise headings of a source with the
checks registered in ``nagviz/exercises/exNN_topic.py``.

The JSON is written directly in the layout nbformat 4.5 uses (sorted keys, one-space
indent, sources split into lines), so building needs no nbformat, whose import is slow;
the tests validate the output with nbformat.
"""

from __future__ import annotations

import ast
import json
import posixpath
from collections.abc import Callable
from typing import Any

from .source import (
    BUILD_COMMAND,
    CHECK_CALL,
    HINTS_LINE,
    SOLUTION_DIR,
    SOURCE_DIR,
    STUDENT_DIR,
    Copy,
    ExerciseSource,
    SourceError,
    magic_free,
    parse_source,  # noqa: F401  (used by the doctests)
    render_lines,
)

__all__ = ["check_cell", "render_notebook", "validate_source"]


def _link(target: str, notebook_dir: str) -> str:
    return posixpath.relpath(target, notebook_dir)


def _intro(source: ExerciseSource, copy: Copy, first_id: str) -> str:
    student_path = f"{STUDENT_DIR}/{source.slug}.ipynb"
    solution_path = f"{SOLUTION_DIR}/{source.slug}.ipynb"
    here = STUDENT_DIR if copy == "student" else SOLUTION_DIR
    lines = [f"# {'Exercises' if copy == 'student' else 'Solutions'} {source.number}: {source.title}", ""]
    if copy == "solution":
        lines += [
            f"This is the **solution copy** of [the exercises]({_link(student_path, here)}): "
            "the same notebook with the reference solutions filled in. Every check below "
            "should show a green box.",
            "",
        ]
    lines += ["**What you practise**", ""] + [f"- {item}" for item in source.practises] + [""]
    notes = []
    if source.prerequisites:
        notes.append(f"**Before you start:** {source.prerequisites}")
    if source.time:
        notes.append(f"**Time:** {source.time}")
    if notes:
        lines += ["  \n".join(notes), ""]
    links = []
    if source.topic:
        links.append(f"**Topic notebook:** [{source.topic}]({_link(source.topic, here)})")
    if copy == "student":
        links.append(f"**Solutions:** [{solution_path}]({_link(solution_path, here)})")
    else:
        links.append(f"**Exercises:** [{student_path}]({_link(student_path, here)})")
    lines += ["  \n".join(links), ""]
    lines += [
        "**How the checks and hints work**",
        "",
        f"- Replace each `...` with your answer and run the cell. `check(\"{first_id}\", answer)` "
        "shows a green box when the answer is right, and an orange box with advice aimed at the "
        "likely mistake when it is not. It never stops the notebook, so *Run All* always works.",
        f"- Stuck? Open the **Hint** boxes under an exercise, or run `hint(\"{first_id}\")`: "
        "each call shows the next hint, and after the last one it tells you where the "
        "solution is.",
        "- Try each exercise before you look at the solutions: checking a wrong answer costs nothing.",
        "",
        f"<small>Generated from `{SOURCE_DIR}/{source.slug}.py` by `{BUILD_COMMAND}`; "
        "edit the source, not this notebook.</small>",
    ]
    return "\n".join(lines)


def _expand_hints(text: str, hints: Callable[[str], str]) -> str:
    out = []
    for line in text.splitlines():
        match = HINTS_LINE.match(line)
        out.append(hints(match.group("id")) if match else line)
    return "\n".join(out)


def check_cell(lines: list[tuple[str, int]], where: str) -> None:
    """Raise SourceError unless a rendered code cell is valid Python (magics allowed)
    whose ``check(...)`` call, if any, is its last statement (so that it is displayed).

    ``lines`` are the rendered lines with their source lines (:func:`render_lines`).

    Examples
    --------
    >>> check_cell([('check("00.1", n)', 7)], "s.py")
    >>> check_cell([('check("00.1", n)', 7), ("n = 1", 8)], "s.py")
    Traceback (most recent call last):
    ...
    nagviz.exercises._authoring.source.SourceError: s.py:7: a cell may call check(...) once, as its last line (so the result is shown)
    """
    if not lines:
        return
    code = "\n".join(line for line, _ in lines)
    try:
        tree = ast.parse(magic_free(code.splitlines()))
    except SyntaxError as err:
        line = lines[min(max((err.lineno or 1) - 1, 0), len(lines) - 1)][1]
        raise SourceError(f"the generated code is not valid Python: {err.msg}", where, line) from None
    calls = len(CHECK_CALL.findall(code))
    if calls == 0:
        return
    last = tree.body[-1] if tree.body else None
    is_check = (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Name)
        and last.value.func.id == "check"
    )
    if calls > 1 or not is_check:
        first = next(number for line, number in lines if CHECK_CALL.search(line))
        raise SourceError("a cell may call check(...) once, as its last line (so the result is shown)", where, first)


def render_notebook(source: ExerciseSource, copy: Copy, hints: Callable[[str], str] | None = None) -> str:
    """The notebook text (nbformat 4 JSON) of the student or solution copy.

    Parameters
    ----------
    source
        The parsed source.
    copy
        ``"student"`` (stubs) or ``"solution"`` (reference solutions).
    hints
        Expands the ``<!-- hints -->`` lines; by default the registered hints
        as collapsible ``<details>`` blocks (:func:`~nagviz.exercises.hint_details`).

    Returns
    -------
    str
        Deterministic JSON ending with a newline.

    Examples
    --------
    >>> text = '''# ---
    ... # title: Warm-up
    ... # practises: counting
    ... # ---
    ... # %% [markdown]
    ... # ## Exercise 99.1: monomials
    ... # %%
    ... # BEGIN SOLUTION
    ... n = 6
    ... # END SOLUTION
    ... check(n)
    ... '''
    >>> notebook = render_notebook(parse_source(text, "99_warmup"), "student")
    >>> "n = ...  # your answer here" in notebook, "n = 6" in notebook
    (True, False)
    >>> notebook == render_notebook(parse_source(text, "99_warmup"), "student")
    True
    """
    if hints is None:
        from ..checking import hint_details as hints
    ids = source.exercise_ids()
    first_id = ids[0] if ids else f"{source.number}.1"
    cells = [_cell("markdown", _intro(source, copy, first_id), f"{source.slug}-intro")]
    for index, cell in enumerate(source.cells, start=1):
        if cell.only is not None and cell.only != copy:
            continue
        cell_id = f"{source.slug}-{index:02d}"
        if cell.kind == "markdown":
            cells.append(_cell("markdown", _expand_hints(cell.text, hints), cell_id))
        else:
            lines = render_lines(cell.text, copy, source.path, cell.first_line)
            check_cell(lines, source.path)
            cells.append(_cell("code", "\n".join(line for line, _ in lines), cell_id))
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "nagviz": {"copy": copy, "generated_by": BUILD_COMMAND, "source": f"{SOURCE_DIR}/{source.slug}.py"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    # The layout nbformat writes (so the files do not change when written by Jupyter).
    return json.dumps(notebook, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False) + "\n"


def _cell(kind: str, text: str, cell_id: str) -> dict[str, Any]:
    """A notebook cell (nbformat 4.5) without outputs, its source split into lines."""
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": text.splitlines(True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def validate_source(source: ExerciseSource, registry: Any = None) -> None:
    """Match the exercises of a source with the checks registered for its topic.

    Every ``## Exercise NN.k`` heading must have a registered check and a code
    cell ending in ``check(answer)``, and every exercise registered for the
    topic must have a heading.

    Parameters
    ----------
    source
        The parsed source.
    registry
        Where the checks are registered (default: the global registry, which
        imports ``nagviz/exercises/exNN_*.py`` for topic ``NN``).

    Raises
    ------
    SourceError
        At the line of the first exercise that does not match.

    Examples
    --------
    >>> text = '# ---\\n# title: Demo\\n# practises: x\\n# ---\\n# %% [markdown]\\n# ## Exercise 00.1: count\\n# %%\\ncheck(6)\\n'
    >>> validate_source(parse_source(text, "00_demo"))
    Traceback (most recent call last):
    ...
    nagviz.exercises._authoring.source.SourceError: <source>: exercise 00.2 is registered (nagviz/exercises/ex00_demo.py) but the source has no '## Exercise 00.2: ...' heading
    """
    if registry is None:
        from ..checking import REGISTRY as registry

    registered = {e.id: e for e in registry.topic(source.number)}
    checked = set(source.checked_ids())
    for heading in source.exercises:
        if heading.id not in registered:
            raise SourceError(
                f"exercise {heading.id} has no registered check: add @exercise(\"{heading.id}\", ...) "
                f"to nagviz/exercises/ex{source.number}_*.py",
                source.path,
                heading.line,
            )
        if heading.id not in checked:
            raise SourceError(
                f"exercise {heading.id} is never checked: end a code cell under its heading with check(answer)",
                source.path,
                heading.line,
            )
    headings = set(source.exercise_ids())
    for exercise_id, exercise in registered.items():
        if exercise_id not in headings:
            module = getattr(exercise.reference, "__module__", "") or ""
            where = f" ({module.replace('.', '/')}.py)" if module.startswith("nagviz.") else ""
            raise SourceError(
                f"exercise {exercise_id} is registered{where} but the source has no "
                f"'## Exercise {exercise_id}: ...' heading",
                source.path,
            )

"""Run the solution copy of exercise sources in-process and collect every check.

``python exercises/build.py --check`` calls :func:`run_solutions`: each source's
solution cells run in order, in a fresh namespace, with the working directory of
the solution notebook (``exercises/solutions/``), the way a kernel would run
them. The value of each cell's last expression is kept when it is a
``check(...)`` call, and a reference solution whose check is not green, a cell
that raises, or an exercise whose check never runs is a failure reported as
``path:line: message`` with the line in the source.

No kernel is started, so a whole run takes seconds; the notebook tests still run
the generated notebooks in real kernels.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .source import CHECK_CALL, SOLUTION_DIR, ExerciseSource, magic_free, render_lines

__all__ = ["SolutionFailure", "SolutionReport", "SolutionRun", "run_solution", "run_solutions"]


@dataclass(frozen=True)
class SolutionFailure:
    """A reference solution that does not pass, at a line of its source.

    Examples
    --------
    >>> SolutionFailure("exercises/source/00_demo.py", 39, "exercise 00.1 fails its check")
    exercises/source/00_demo.py:39: exercise 00.1 fails its check
    """

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"

    __repr__ = __str__


@dataclass(frozen=True)
class SolutionRun:
    """The outcome of running the solution copy of one source.

    Attributes
    ----------
    path
        The source, from the repository root.
    checks
        ``(exercise id, status)`` of every check that ran, in order; the status
        is that of :class:`~nagviz.exercises.CheckResult` (``"correct"``, ...).
    failures
        What went wrong, if anything.
    seconds
        Wall time of the run.
    """

    path: str
    checks: tuple[tuple[str, str], ...]
    failures: tuple[SolutionFailure, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        """True when every exercise was checked and every check is correct."""
        return not self.failures

    def __str__(self) -> str:
        correct = sum(status == "correct" for _, status in self.checks)
        return f"ran {self.path}: {correct} of {len(self.checks)} checks correct ({self.seconds:.2f} s)"

    __repr__ = __str__


@dataclass(frozen=True)
class SolutionReport:
    """The runs of :func:`run_solutions`, one per source.

    Examples
    --------
    >>> report = SolutionReport(())
    >>> report.ok, str(report)
    (True, 'solutions: 0 sources, 0 checks correct, 0 failures (0.00 s)')
    """

    runs: tuple[SolutionRun, ...]

    @property
    def ok(self) -> bool:
        """True when every run is."""
        return all(run.ok for run in self.runs)

    @property
    def failures(self) -> tuple[SolutionFailure, ...]:
        """The failures of all runs, in order."""
        return tuple(failure for run in self.runs for failure in run.failures)

    def __str__(self) -> str:
        lines = [str(run) for run in self.runs]
        lines += [str(failure) for failure in self.failures]
        correct = sum(status == "correct" for run in self.runs for _, status in run.checks)
        seconds = sum(run.seconds for run in self.runs)
        lines.append(
            f"solutions: {len(self.runs)} sources, {correct} checks correct, "
            f"{len(self.failures)} failure{'' if len(self.failures) == 1 else 's'} ({seconds:.2f} s)"
        )
        return "\n".join(lines)

    __repr__ = __str__


def _compile_cell(lines: list[tuple[str, int]], filename: str) -> tuple[Any, Any]:
    """Compile a rendered cell with source line numbers: (body, last expression or None)."""
    tree = ast.parse(magic_free([line for line, _ in lines]))
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) is not None:
            first, end = node.lineno, node.end_lineno
            node.lineno = lines[first - 1][1]
            if end is not None:
                node.end_lineno = lines[end - 1][1]
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def _line_of(error: BaseException, filename: str) -> int | None:
    """The deepest line of ``filename`` in the traceback of ``error``."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    return frames[-1].lineno if frames else None


def run_solution(source: ExerciseSource, root: Path) -> SolutionRun:
    """Run the solution cells of one source and check every exercise.

    Parameters
    ----------
    source
        The parsed source (its ``path`` is used in messages and tracebacks).
    root
        The repository root; the cells run in ``root/exercises/solutions`` (or
        in ``root`` when that folder does not exist).

    Returns
    -------
    SolutionRun

    Examples
    --------
    >>> from pathlib import Path
    >>> from nagviz.exercises._authoring import parse_source
    >>> text = "# ---\\n# title: T\\n# practises: p\\n# ---\\n# %% [markdown]\\n# ## Exercise 00.1: t\\n# %%\\nn = 1 // 0\\n"
    >>> run_solution(parse_source(text, "00_demo", "demo.py"), Path(".")).failures
    (demo.py:8: the solution raised ZeroDivisionError: integer division or modulo by zero,)
    """
    from ..checking import CheckResult

    start = time.perf_counter()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    checks: list[tuple[str, str]] = []
    failures: list[SolutionFailure] = []
    stopped = False
    folder = Path(root) / SOLUTION_DIR
    previous = os.getcwd()
    os.chdir(folder if folder.is_dir() else Path(root))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in source.cells:
                if cell.kind != "code" or cell.only == "student":
                    continue
                lines = render_lines(cell.text, "solution", source.path, cell.first_line)
                if not lines:
                    continue
                checked = [(m.group("id"), number) for line, number in lines for m in CHECK_CALL.finditer(line)]
                try:
                    body, last = _compile_cell(lines, source.path)
                    exec(body, namespace)
                    value = eval(last, namespace) if last is not None else None
                    if value is not None and not checked:
                        repr(value)  # what the notebook would display
                except Exception as err:
                    line = _line_of(err, source.path) or cell.first_line
                    failures.append(SolutionFailure(source.path, line, f"the solution raised {type(err).__name__}: {err}"))
                    stopped = True
                    break  # the cells after it may need what it failed to define
                for exercise_id, line in checked:
                    if not isinstance(value, CheckResult) or value.exercise != exercise_id:
                        failures.append(SolutionFailure(source.path, line, f"exercise {exercise_id}: check(...) gave {value!r}"))
                        continue
                    checks.append((exercise_id, value.status))
                    if not value.correct:
                        failures.append(
                            SolutionFailure(source.path, line, f"the reference solution does not pass its check: {value}")
                        )
        if not stopped:  # after a crash, the unchecked exercises say nothing new
            seen = {exercise_id for exercise_id, _ in checks}
            for heading in source.exercises:
                if heading.id not in seen:
                    failures.append(
                        SolutionFailure(
                            source.path,
                            heading.line,
                            f"exercise {heading.id} is never checked in the solution copy (is its check cell student-only?)",
                        )
                    )
    finally:
        os.chdir(previous)
    return SolutionRun(source.path, tuple(checks), tuple(failures), time.perf_counter() - start)


def run_solutions(sources: Iterable[ExerciseSource], root: Path) -> SolutionReport:
    """Run the solution copy of each source (see :func:`run_solution`).

    Examples
    --------
    >>> from pathlib import Path
    >>> from nagviz.exercises._authoring import parse_source
    >>> text = '''# ---
    ... # title: Demo
    ... # practises: counting
    ... # ---
    ... # %% [markdown]
    ... # ## Exercise 00.1: monomials
    ... # %%
    ... from nagviz.exercises import check
    ... n = 1 + 2 + 3
    ... check(n)
    ... # %% [markdown]
    ... # ## Exercise 00.2: a function
    ... # %%
    ... check("c*(a*x + b*y)**2")
    ... '''
    >>> report = run_solutions([parse_source(text, "00_demo", "demo.py")], Path("."))
    >>> report.ok, report.runs[0].checks
    (True, (('00.1', 'correct'), ('00.2', 'correct')))
    >>> broken = text.replace("1 + 2 + 3", "3")
    >>> print(run_solutions([parse_source(broken, "00_demo", "demo.py")], Path(".")).failures[0])
    demo.py:10: the reference solution does not pass its check: ✘ Exercise 00.1: Not quite. That counts only one ...
    """
    return SolutionReport(tuple(run_solution(source, root) for source in sources))

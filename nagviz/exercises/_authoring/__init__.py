"""Authoring tools for the exercise notebooks: maintainers only, never imported by students.

``from nagviz.exercises import check, hint`` (what the exercise notebooks run)
does not import this package; ``exercises/build.py`` and the tests do. It turns
each source ``exercises/source/NN_topic.py`` into a student notebook and a
solution notebook, and runs the reference solutions in-process
(``exercises/README.md`` describes the format).

Modules
-------
:mod:`.source`
    Parse a source: header, cells, exercise headings (ids filled into
    ``check(answer)``, ``hint()`` and ``<!-- hints -->``), solution blocks and stubs.
:mod:`.notebook`
    Render a parsed source as a notebook; match its exercises with the registry.
:mod:`.run`
    Run the solution cells of a source in-process and collect every check.
:mod:`.generate`
    Build or check all notebooks (what ``exercises/build.py`` calls).
"""

from .generate import BuildReport, build, expected_notebooks, load_sources, source_files
from .notebook import check_cell, render_notebook, validate_source
from .run import SolutionFailure, SolutionReport, SolutionRun, run_solution, run_solutions
from .source import (
    ExerciseHeading,
    ExerciseSource,
    SourceCell,
    SourceError,
    fill_ids,
    parse_source,
    render_code,
    render_lines,
    solution_code,
    student_code,
)

__all__ = [
    "BuildReport",
    "ExerciseHeading",
    "ExerciseSource",
    "SolutionFailure",
    "SolutionReport",
    "SolutionRun",
    "SourceCell",
    "SourceError",
    "build",
    "check_cell",
    "expected_notebooks",
    "fill_ids",
    "load_sources",
    "parse_source",
    "render_code",
    "render_lines",
    "render_notebook",
    "run_solution",
    "run_solutions",
    "solution_code",
    "source_files",
    "student_code",
    "validate_source",
]

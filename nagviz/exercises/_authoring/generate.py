"""Build the exercise notebooks from their sources, or check that they are up to date.

:func:`build` is what ``exercises/build.py`` runs: it parses every source in
``exercises/source/``, matches its exercises with the registered checks, writes
(or, with ``check=True``, compares) the student and solution notebooks, and
optionally runs every reference solution in-process (:mod:`.run`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .notebook import render_notebook, validate_source
from .run import SolutionReport
from .run import run_solutions as _run_solutions
from .source import BUILD_COMMAND, SOLUTION_DIR, SOURCE_DIR, STUDENT_DIR, ExerciseSource, parse_source

__all__ = ["BuildReport", "build", "expected_notebooks", "load_sources", "source_files"]


@dataclass(frozen=True)
class BuildReport:
    """What :func:`build` did or, with ``check=True``, would do.

    Attributes
    ----------
    written
        Notebooks written (paths from the root).
    unchanged
        Notebooks already up to date.
    stale
        With ``check=True``: notebooks missing or different from what the
        sources give.
    orphans
        Notebooks in the output folders without a source.
    solutions
        With ``run_solutions=True``: the outcome of running every reference
        solution; ``None`` otherwise.
    """

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    solutions: SolutionReport | None = None

    @property
    def up_to_date(self) -> bool:
        """True when nothing is stale and there are no orphans."""
        return not self.stale and not self.orphans

    @property
    def ok(self) -> bool:
        """True when the notebooks are up to date and every solution that ran passes its checks."""
        return self.up_to_date and (self.solutions is None or self.solutions.ok)

    def __str__(self) -> str:
        lines = [f"wrote {p}" for p in self.written]
        lines += [f"stale (run {BUILD_COMMAND}): {p}" for p in self.stale]
        lines += [f"no source for: {p}" for p in self.orphans]
        lines.append(
            f"{len(self.written) + len(self.unchanged) + len(self.stale)} notebooks: "
            f"{len(self.written)} written, {len(self.unchanged)} up to date, {len(self.stale)} stale, "
            f"{len(self.orphans)} without a source"
        )
        if self.solutions is not None:
            lines.append(str(self.solutions))
        return "\n".join(lines)


def source_files(root: Path) -> list[Path]:
    """The exercise sources under ``root/exercises/source``, sorted (``_*.py`` skipped).

    Examples
    --------
    >>> from pathlib import Path
    >>> [p.name for p in source_files(Path("/nonexistent"))]
    []
    """
    folder = Path(root) / SOURCE_DIR
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_")) if folder.is_dir() else []


def load_sources(root: Path, sources: Sequence[Path] | None = None, registry: Any = None) -> list[ExerciseSource]:
    """Parse the exercise sources and match each with its registered checks.

    Parameters
    ----------
    root
        The repository root (holding ``exercises/source/``).
    sources
        The source files (default: all of them).
    registry
        Registry to validate against (default: the global one).

    Returns
    -------
    list of ExerciseSource
        In the order of the files.

    Raises
    ------
    SourceError
        For the first mistake found, as ``path:line: message``.

    Examples
    --------
    >>> from pathlib import Path
    >>> import nagviz
    >>> root = Path(nagviz.__file__).resolve().parent.parent
    >>> [source.exercise_ids() for source in load_sources(root, [root / "exercises" / "source" / "00_demo.py"])]
    [('00.1', '00.2')]
    """
    root = Path(root)
    parsed = []
    for path in sources if sources is not None else source_files(root):
        path = Path(path)
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        source = parse_source(path.read_text(encoding="utf-8"), path.stem, shown)
        validate_source(source, registry)
        parsed.append(source)
    return parsed


def expected_notebooks(root: Path, sources: Sequence[Path] | None = None, registry: Any = None) -> dict[str, str]:
    """Map each output path (from ``root``) to the notebook text its source gives.

    Parameters
    ----------
    root
        The repository root (holding ``exercises/source/``).
    sources
        The source files to render (default: all of them).
    registry
        Registry to validate against (default: the global one).

    Returns
    -------
    dict
        ``{"exercises/NN_topic.ipynb": text, "exercises/solutions/NN_topic.ipynb": text, ...}``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "exercises" / "source").mkdir(parents=True)
    >>> cells = ["# %% [markdown]\\n# ## Exercise 00." + k + ": demo\\n# %%\\ncheck(6)\\n" for k in "12"]
    >>> text = "# ---\\n# title: Demo\\n# practises: counting\\n# ---\\n" + "".join(cells)
    >>> _ = (root / "exercises" / "source" / "00_demo.py").write_text(text)
    >>> sorted(expected_notebooks(root))
    ['exercises/00_demo.ipynb', 'exercises/solutions/00_demo.ipynb']
    """
    return _render(load_sources(root, sources, registry))


def _render(parsed: Iterable[ExerciseSource]) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for source in parsed:
        outputs[f"{STUDENT_DIR}/{source.slug}.ipynb"] = render_notebook(source, "student")
        outputs[f"{SOLUTION_DIR}/{source.slug}.ipynb"] = render_notebook(source, "solution")
    return outputs


def build(
    root: Path,
    *,
    check: bool = False,
    sources: Iterable[Path] | None = None,
    registry: Any = None,
    run_solutions: bool = False,
) -> BuildReport:
    """Generate the student and solution notebooks from the exercise sources.

    Parameters
    ----------
    root
        The repository root (holding ``exercises/source/``).
    check
        Only compare: write nothing, report stale notebooks.
    sources
        Build only these source files (default: all of them; orphans are only
        looked for then).
    registry
        Registry to validate against (default: the global one).
    run_solutions
        Also run every reference solution in-process and collect its checks
        (:func:`~nagviz.exercises._authoring.run.run_solutions`); the report is
        then ``ok`` only if every check is correct.

    Returns
    -------
    BuildReport

    Examples
    --------
    >>> from pathlib import Path
    >>> build(Path("/nonexistent"), check=True).up_to_date
    True
    """
    root = Path(root)
    parsed = load_sources(root, None if sources is None else list(sources), registry)
    outputs = _render(parsed)
    written, unchanged, stale = [], [], []
    for relative, text in outputs.items():
        target = root / relative
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            unchanged.append(relative)
        elif check:
            stale.append(relative)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(relative)
    orphans: list[str] = []
    if sources is None:
        for folder in (STUDENT_DIR, SOLUTION_DIR):
            for notebook in sorted((root / folder).glob("*.ipynb")):
                relative = f"{folder}/{notebook.name}"
                if relative not in outputs:
                    orphans.append(relative)
    solutions = _run_solutions(parsed, root) if run_solutions else None
    return BuildReport(tuple(written), tuple(unchanged), tuple(stale), tuple(orphans), solutions)


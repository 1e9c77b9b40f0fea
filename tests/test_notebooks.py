"""Every notebook runs top to bottom, headless, and is committed clean.

* ``notebooks/*.ipynb`` and ``exercises/solutions/*.ipynb`` must run without
  any error output.
* Student copies ``exercises/*.ipynb`` run with errors allowed, and every
  error must be the ``NotImplementedError`` of an unfinished stub.
* A cell tagged ``raises-exception`` (nbclient's convention) may show an
  error on purpose; it is not counted.

Each notebook runs in a fresh ``python3`` kernel whose working folder is the
notebook's folder and whose environment has ``NAGVIZ_TESTING=1``. The whole
notebook gets ``NAGVIZ_NB_TIMEOUT`` seconds (default 60).
"""

from __future__ import annotations

import math
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TIMEOUT_S = 60.0
STUB_ERROR = "NotImplementedError"
EXPECTED_ERROR_TAG = "raises-exception"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def notebook_timeout() -> float:
    """Seconds allowed for one whole notebook (env var ``NAGVIZ_NB_TIMEOUT``)."""
    return float(os.environ.get("NAGVIZ_NB_TIMEOUT", DEFAULT_TIMEOUT_S))


# -- discovery ---------------------------------------------------------------


def reader_notebooks() -> list[Path]:
    """Notebooks that must run without any error: lectures and exercise solutions."""
    return sorted(REPO_ROOT.glob("notebooks/*.ipynb")) + sorted(
        REPO_ROOT.glob("exercises/solutions/*.ipynb")
    )


def student_notebooks() -> list[Path]:
    """Exercise notebooks as handed to students, with stubs still to fill in."""
    return sorted(REPO_ROOT.glob("exercises/*.ipynb"))


def committed_notebooks() -> list[Path]:
    return sorted(
        path
        for folder in ("notebooks", "exercises")
        for path in (REPO_ROOT / folder).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


def as_params(paths: list[Path]) -> list:
    return [pytest.param(path, id=path.relative_to(REPO_ROOT).as_posix()) for path in paths]


# -- the executor ------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One error raised while a notebook ran."""

    cell_index: int | None
    source: str
    ename: str
    evalue: str
    traceback: str

    def describe(self) -> str:
        where = "notebook" if self.cell_index is None else f"cell {self.cell_index}"
        source = self.source.rstrip() or "(no source)"
        return (
            f"--- {where}: {self.ename}: {self.evalue}\n"
            f"{source}\n"
            f"--- traceback\n{self.traceback.rstrip()}\n"
        )


@dataclass(frozen=True)
class NotebookRun:
    """What happened when a notebook ran headless."""

    path: Path
    student: bool
    seconds: float
    errors: tuple[CellError, ...]

    @property
    def unexpected(self) -> tuple[CellError, ...]:
        """Errors the notebook must not show: any, or for a student copy any but a stub's."""
        if self.student:
            return tuple(e for e in self.errors if e.ename != STUB_ERROR)
        return self.errors

    def report(self) -> str:
        kind = "student notebook" if self.student else "notebook"
        head = f"{kind} {self.path} ran in {self.seconds:.1f} s"
        if not self.unexpected:
            return head + " without unexpected errors"
        allowed = f" (only {STUB_ERROR} is allowed in a student notebook)" if self.student else ""
        body = "\n".join(error.describe() for error in self.unexpected)
        return f"{head} with {len(self.unexpected)} unexpected error(s){allowed}:\n{body}"


def _strip_ansi(text: str) -> str:
    return ANSI_ESCAPE.sub("", text)


def _error_outputs(nb: nbformat.NotebookNode) -> list[CellError]:
    errors = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if EXPECTED_ERROR_TAG in cell.metadata.get("tags", ()):
            continue
        for output in cell.get("outputs", ()):
            if output.get("output_type") == "error":
                errors.append(
                    CellError(
                        cell_index=index,
                        source=cell.source,
                        ename=output.get("ename", "?"),
                        evalue=output.get("evalue", ""),
                        traceback=_strip_ansi("\n".join(output.get("traceback", ()))),
                    )
                )
    return errors


def run_notebook(path: Path, *, student: bool = False, timeout: float | None = None) -> NotebookRun:
    """Execute the notebook at ``path`` in a fresh kernel and collect its errors.

    The notebook file is not modified. ``timeout`` (seconds, default
    :func:`notebook_timeout`) bounds the whole notebook, not each cell.
    """
    path = Path(path)
    budget = notebook_timeout() if timeout is None else timeout
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    deadline = start + budget

    def remaining(cell) -> int:
        return max(1, math.ceil(deadline - time.perf_counter()))

    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout_func=remaining,
        allow_errors=student,
        resources={"metadata": {"path": str(path.parent)}},
    )
    env = dict(os.environ, NAGVIZ_TESTING="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    problems: list[CellError] = []
    try:
        client.execute(env=env)
    except CellExecutionError:
        pass  # the error output is in the cell; _error_outputs picks it up
    except CellTimeoutError as exc:
        problems.append(_run_failure(nb, "Timeout", f"notebook exceeded {budget:g} s", exc))
    except DeadKernelError as exc:
        problems.append(_run_failure(nb, "DeadKernelError", "the kernel died", exc))
    seconds = time.perf_counter() - start
    errors = _error_outputs(nb)
    if problems:  # stopping the kernel interrupts the running cell: not a finding
        errors = [e for e in errors if e.ename != "KeyboardInterrupt"]
    errors += problems
    return NotebookRun(path=path, student=student, seconds=seconds, errors=tuple(errors))


def _run_failure(nb, ename: str, evalue: str, exc: Exception) -> CellError:
    """An error of the run itself, attributed to the last cell that started."""
    started = [
        (index, cell)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and cell.metadata.get("execution", {}).get("iopub.execute_input")
    ]
    index, cell = started[-1] if started else (None, None)
    source = cell.source if cell is not None else ""
    return CellError(index, source, ename, evalue, _strip_ansi(str(exc)))


# -- the notebooks of the project ----------------------------------------------


@pytest.mark.notebooks
@pytest.mark.parametrize("path", as_params(reader_notebooks()))
def test_notebook_runs(path, record_property):
    run = run_notebook(path)
    record_property("wall_time_s", run.seconds)
    print(run.report())
    assert not run.unexpected, run.report()


@pytest.mark.notebooks
@pytest.mark.parametrize("path", as_params(student_notebooks()))
def test_student_notebook_only_raises_stubs(path, record_property):
    run = run_notebook(path, student=True)
    record_property("wall_time_s", run.seconds)
    print(run.report())
    assert not run.unexpected, run.report()


def test_committed_notebooks_are_clean():
    dirty = []
    for path in committed_notebooks():
        nb = nbformat.read(path, as_version=4)
        problems = []
        if "widgets" in nb.metadata:
            problems.append("saved widget state")
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if cell.get("outputs"):
                problems.append(f"cell {index} has outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"cell {index} has execution count {cell.execution_count}")
        if problems:
            dirty.append(f"{path.relative_to(REPO_ROOT)}: " + ", ".join(problems))
    assert not dirty, "notebooks with outputs (run `make clean-notebooks`):\n" + "\n".join(dirty)


# -- the executor itself, on notebooks made here -------------------------------


def _write_notebook(folder: Path, name: str, *sources: str, tags: dict[int, list[str]] | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    for index, cell_tags in (tags or {}).items():
        nb.cells[index].metadata["tags"] = cell_tags
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.mark.notebooks
def test_executor_catches_errors(tmp_path):
    path = _write_notebook(tmp_path, "broken.ipynb", "x = 1", "y = x + 1\n1/0", "z = 3")
    run = run_notebook(path)
    assert [e.ename for e in run.unexpected] == ["ZeroDivisionError"]
    error = run.unexpected[0]
    assert error.cell_index == 1
    report = run.report()
    assert "y = x + 1\n1/0" in report and "ZeroDivisionError" in report
    assert "\x1b[" not in report  # tracebacks are printed without colour codes
    # a fresh read shows the file was not modified
    assert not any(c.get("outputs") for c in nbformat.read(path, as_version=4).cells)


@pytest.mark.notebooks
def test_executor_student_mode_allows_only_stubs(tmp_path):
    stub = "def f():\n    raise NotImplementedError('your code here')\nf()"
    ok = _write_notebook(tmp_path, "student_ok.ipynb", stub, "raise NotImplementedError")
    run = run_notebook(ok, student=True)
    assert [e.ename for e in run.errors] == ["NotImplementedError", "NotImplementedError"]
    assert run.unexpected == ()

    bad = _write_notebook(tmp_path, "student_bad.ipynb", stub, "raise ValueError('not a stub')")
    run = run_notebook(bad, student=True)
    assert [e.ename for e in run.unexpected] == ["ValueError"]
    assert "not a stub" in run.report()

    # outside student mode the stub is an error like any other
    assert [e.ename for e in run_notebook(ok).unexpected] == ["NotImplementedError"]


@pytest.mark.notebooks
def test_executor_kernel_environment(tmp_path):
    check = (
        "import os, pathlib\n"
        "assert os.environ['NAGVIZ_TESTING'] == '1'\n"
        f"assert pathlib.Path.cwd().resolve() == pathlib.Path({str(tmp_path.resolve())!r})"
    )
    deliberate = "raise RuntimeError('shown on purpose')"
    path = _write_notebook(tmp_path, "env.ipynb", check, deliberate, "import nagviz", tags={1: ["raises-exception"]})
    run = run_notebook(path)
    assert run.unexpected == (), run.report()


@pytest.mark.notebooks
def test_executor_enforces_notebook_timeout(tmp_path):
    path = _write_notebook(tmp_path, "slow.ipynb", "import time", "time.sleep(1.5)", "time.sleep(30)")
    run = run_notebook(path, timeout=3)
    assert [e.ename for e in run.unexpected] == ["Timeout"]
    assert run.unexpected[0].cell_index == 2
    assert "time.sleep(30)" in run.report()
    assert run.seconds < 20

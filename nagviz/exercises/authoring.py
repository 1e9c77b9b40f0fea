"""Turn one exercise source into a student notebook and a solution notebook.

An exercise source ``exercises/source/NN_topic.py`` is a percent-format Python
file (the format jupytext calls "percent"): a small header, then cells opened by
``# %%`` lines. Code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` is the
reference solution: the solution notebook keeps it, the student notebook gets a
stub ``name = ...  # your answer here`` instead. ``exercises/README.md`` is the
full description of the format; ``exercises/build.py`` is the command line.

The output is deterministic: no outputs, no execution counts, cell ids derived
from the position of the cell in the source, sorted JSON keys. Building twice
gives identical bytes, which is what ``build.py --check`` relies on.

This module needs :mod:`nbformat` only to write notebooks (imported on use).
"""

from __future__ import annotations

import ast
import posixpath
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "BuildReport",
    "ExerciseSource",
    "SourceCell",
    "SourceError",
    "build",
    "expected_notebooks",
    "parse_source",
    "render_notebook",
    "solution_code",
    "source_files",
    "student_code",
    "validate_source",
]

Copy = Literal["student", "solution"]

SOURCE_DIR = "exercises/source"
STUDENT_DIR = "exercises"
SOLUTION_DIR = "exercises/solutions"
STUB_COMMENT = "# your answer here"
BUILD_COMMAND = "python exercises/build.py"

_HEADER_KEYS = ("title", "practises", "topic", "prerequisites", "time")
_CELL = re.compile(r"^# %%(?P<rest>.*)$")
_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
_END = re.compile(r"^(?P<indent>\s*)# END SOLUTION\s*$")
_STUB = re.compile(r"^(?P<indent>\s*)# STUB:(?P<code> ?.*)$")
_HINTS = re.compile(r"^\s*<!--\s*hints\s+(?P<id>\S+)\s*-->\s*$")
_CHECK_CALL = re.compile(r"""\bcheck\(\s*(["'])(?P<id>\d{1,2}\.\d{1,2}[a-z]?)\1""")
_SLUG = re.compile(r"^(?P<number>\d\d)_[a-z0-9_]+$")


class SourceError(ValueError):
    """A mistake in an exercise source, reported as ``path:line: message``.

    Examples
    --------
    >>> str(SourceError("unclosed solution block", "00_demo.py", 12))
    '00_demo.py:12: unclosed solution block'
    """

    def __init__(self, message: str, path: str = "<source>", line: int | None = None) -> None:
        self.path, self.line, self.reason = path, line, message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceCell:
    """One cell of an exercise source.

    Attributes
    ----------
    kind
        ``"markdown"`` or ``"code"``.
    text
        The cell text; for Markdown the leading ``# `` is already removed, and
        code may still contain solution markers.
    only
        ``"student"`` or ``"solution"`` for a cell that appears in one copy only,
        ``None`` for a cell in both.
    line
        Line of the ``# %%`` marker in the source, for error messages.
    """

    kind: Literal["markdown", "code"]
    text: str
    only: Copy | None = None
    line: int = 0


@dataclass(frozen=True)
class ExerciseSource:
    """A parsed exercise source: its header and its cells.

    Attributes
    ----------
    slug
        ``"NN_topic"``, the file name without ``.py``; also the notebook name.
    title
        The title after "Exercises NN:".
    practises
        What the exercises practise, one item per entry.
    topic
        Path (from the repository root) of the notebook that teaches the topic.
    prerequisites, time
        Optional one-line notes for the first cell.
    cells
        The cells in order.
    path
        Where the source lives, for messages and notebook metadata.
    """

    slug: str
    title: str
    practises: tuple[str, ...]
    topic: str | None
    cells: tuple[SourceCell, ...]
    prerequisites: str = ""
    time: str = ""
    path: str = "<source>"

    @property
    def number(self) -> str:
        """The two-digit topic number, e.g. ``"00"``."""
        return self.slug[:2]

    def checked_ids(self) -> tuple[str, ...]:
        """Exercise ids passed to ``check("NN.k", ...)`` in code cells, in order of appearance."""
        found: list[str] = []
        for cell in self.cells:
            if cell.kind == "code":
                for match in _CHECK_CALL.finditer(cell.text):
                    if match.group("id") not in found:
                        found.append(match.group("id"))
        return tuple(found)

    def hint_ids(self) -> tuple[str, ...]:
        """Exercise ids named by ``<!-- hints NN.k -->`` lines in Markdown cells."""
        return tuple(
            match.group("id")
            for cell in self.cells
            if cell.kind == "markdown"
            for match in map(_HINTS.match, cell.text.splitlines())
            if match
        )


# --------------------------------------------------------------------------- parsing


def _strip_blank_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _parse_header(lines: list[str], path: str) -> tuple[dict[str, Any], int]:
    """Read the ``# ---`` header; return its fields and the index of the line after it."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or lines[index].rstrip() != "# ---":
        raise SourceError("a source must start with a '# ---' header (title, practises, ...)", path, index + 1)
    fields: dict[str, Any] = {}
    key = None
    for number in range(index + 1, len(lines)):
        line = lines[number].rstrip()
        if line == "# ---":
            missing = [k for k in ("title", "practises") if not fields.get(k)]
            if missing:
                raise SourceError(f"the header needs {' and '.join(missing)}", path, index + 1)
            return fields, number + 1
        item = re.match(r"^#\s+-\s+(.+)$", line)
        entry = re.match(r"^# (\w+):(.*)$", line)
        if item and key == "practises":
            fields[key].append(item.group(1).strip())
        elif entry:
            key, value = entry.group(1), entry.group(2).strip()
            if key not in _HEADER_KEYS:
                raise SourceError(f"unknown header key {key!r}; use {', '.join(_HEADER_KEYS)}", path, number + 1)
            fields[key] = [value] if key == "practises" and value else ([] if key == "practises" else value)
        elif line.strip() not in ("", "#"):
            raise SourceError(f"cannot read header line {line!r}", path, number + 1)
    raise SourceError("the header is not closed by '# ---'", path, index + 1)


def _parse_marker(rest: str, path: str, line: int) -> tuple[Literal["markdown", "code"], Copy | None]:
    kind: Literal["markdown", "code"] = "code"
    only: Copy | None = None
    for token in rest.split():
        if token in ("[markdown]", "[md]"):
            kind = "markdown"
        elif token == "solution-only":
            only = "solution"
        elif token == "student-only":
            only = "student"
        else:
            raise SourceError(
                f"unknown cell option {token!r}; a cell line is '# %%' optionally followed by "
                "'[markdown]' and 'solution-only' or 'student-only'",
                path,
                line,
            )
    return kind, only


def parse_source(text: str, slug: str, path: str = "<source>") -> ExerciseSource:
    """Parse the text of an exercise source.

    Parameters
    ----------
    text
        The whole source file.
    slug
        ``"NN_topic"``: the file name without the extension.
    path
        Shown in error messages.

    Returns
    -------
    ExerciseSource

    Raises
    ------
    SourceError
        With the line of the problem.

    Examples
    --------
    >>> text = '''# ---
    ... # title: Warm-up
    ... # practises: counting
    ... # ---
    ...
    ... # %% [markdown]
    ... # How many monomials?
    ...
    ... # %%
    ... # BEGIN SOLUTION
    ... n = 6
    ... # END SOLUTION
    ... check("99.1", n)
    ... '''
    >>> source = parse_source(text, "99_warmup")
    >>> [cell.kind for cell in source.cells], source.checked_ids()
    (['markdown', 'code'], ('99.1',))
    """
    if not _SLUG.match(slug):
        raise SourceError(f"the file name must look like 'NN_topic.py' (two digits, lower case), not {slug!r}", path)
    lines = text.splitlines()
    header, start = _parse_header(lines, path)
    cells: list[SourceCell] = []
    current: tuple[Literal["markdown", "code"], Copy | None, int] | None = None
    body: list[str] = []

    def close() -> None:
        if current is None:
            return
        kind, only, line = current
        content = _strip_blank_edges(body)
        if kind == "markdown":
            stripped = []
            for offset, raw in enumerate(body):
                if raw.strip() and not (raw == "#" or raw.startswith("# ")):
                    raise SourceError("every line of a Markdown cell must start with '# '", path, line + 1 + offset)
                stripped.append(raw[2:] if raw.startswith("# ") else "")
            content = _strip_blank_edges(stripped)
        if not content:
            raise SourceError("empty cell", path, line)
        cells.append(SourceCell(kind, "\n".join(content), only, line))

    for number in range(start, len(lines)):
        marker = _CELL.match(lines[number])
        if marker:
            close()
            kind, only = _parse_marker(marker.group("rest"), path, number + 1)
            current, body = (kind, only, number + 1), []
        elif current is None:
            if lines[number].strip():
                raise SourceError("text before the first '# %%' cell marker", path, number + 1)
        else:
            body.append(lines[number].rstrip())
    close()
    if not cells:
        raise SourceError("the source has no cells", path)
    practises = header["practises"]
    return ExerciseSource(
        slug=slug,
        title=header["title"],
        practises=tuple(practises),
        topic=header.get("topic") or None,
        cells=tuple(cells),
        prerequisites=header.get("prerequisites", ""),
        time=header.get("time", ""),
        path=path,
    )


# --------------------------------------------------------------------------- solution blocks


@dataclass(frozen=True)
class _Block:
    indent: str
    code: list[str]  # solution lines, without markers or stubs
    stub: list[str] | None  # explicit student lines from `# STUB:`, already indented
    line: int  # line of `# BEGIN SOLUTION` within the cell (1-based)


def _segments(code: str, where: str) -> list[str | _Block]:
    """Split cell code into plain lines and solution blocks."""
    out: list[str | _Block] = []
    block: _Block | None = None
    for number, line in enumerate(code.splitlines(), start=1):
        begin, end, stub = _BEGIN.match(line), _END.match(line), _STUB.match(line)
        if begin:
            if block is not None:
                raise SourceError("'# BEGIN SOLUTION' inside another solution block", where, number)
            block = _Block(begin.group("indent"), [], None, number)
        elif end:
            if block is None:
                raise SourceError("'# END SOLUTION' without '# BEGIN SOLUTION'", where, number)
            if end.group("indent") != block.indent:
                raise SourceError("'# END SOLUTION' is not indented like its '# BEGIN SOLUTION'", where, number)
            if not any(s.strip() for s in block.code):
                raise SourceError("empty solution block", where, block.line)
            out.append(block)
            block = None
        elif stub:
            if block is None:
                raise SourceError("'# STUB:' outside a solution block", where, number)
            lines = block.stub if block.stub is not None else []
            code_text = stub.group("code")
            lines.append(stub.group("indent") + (code_text[1:] if code_text.startswith(" ") else code_text))
            block = _Block(block.indent, block.code, lines, block.line)
        elif block is not None:
            block.code.append(line)
        else:
            out.append(line)
    if block is not None:
        raise SourceError("'# BEGIN SOLUTION' is never closed by '# END SOLUTION'", where, block.line)
    return out


def _inferred_stub(block: _Block, where: str) -> list[str]:
    """``name = ...  # your answer here`` for the last statement of a solution block."""
    code = textwrap.dedent("\n".join(block.code))
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        raise SourceError(f"the solution block is not valid Python: {err.msg}", where, block.line) from None
    if not tree.body:
        raise SourceError("the solution block has no statement", where, block.line)
    last = tree.body[-1]
    if isinstance(last, ast.Assign) and len(last.targets) == 1:
        target = last.targets[0]
        if isinstance(target, ast.Tuple | ast.List):
            stub = f"{', '.join(ast.unparse(t) for t in target.elts)} = {', '.join(['...'] * len(target.elts))}"
        else:
            stub = f"{ast.unparse(target)} = ..."
        lines = [f"{stub}  {STUB_COMMENT}"]
    elif isinstance(last, ast.AnnAssign) and last.value is not None:
        lines = [f"{ast.unparse(last.target)}: {ast.unparse(last.annotation)} = ...  {STUB_COMMENT}"]
    elif isinstance(last, ast.FunctionDef):
        docstring = ast.get_docstring(last, clean=False)
        body: list[ast.stmt] = [ast.Expr(ast.Constant(docstring))] if docstring is not None else []
        body.append(ast.Return(ast.Constant(Ellipsis)))
        stub_def = ast.FunctionDef(
            name=last.name,
            args=last.args,
            body=body,
            decorator_list=last.decorator_list,
            returns=last.returns,
            type_comment=None,
            type_params=getattr(last, "type_params", []),
        )
        lines = ast.unparse(ast.fix_missing_locations(stub_def)).splitlines()
        lines[-1] += f"  {STUB_COMMENT}"
    else:
        raise SourceError(
            "cannot guess the student stub (the block does not end with an assignment "
            "or a function definition); add '# STUB: <code>' lines to the block",
            where,
            block.line,
        )
    return [block.indent + line if line else line for line in lines]


def _render_code(code: str, copy: Copy, where: str) -> str:
    lines: list[str] = []
    for segment in _segments(code, where):
        if isinstance(segment, str):
            lines.append(segment)
        elif copy == "solution":
            lines.extend(segment.code)
        else:
            lines.extend(segment.stub if segment.stub is not None else _inferred_stub(segment, where))
    return "\n".join(_strip_blank_edges(lines))


def student_code(code: str, where: str = "<cell>") -> str:
    """The student version of a code cell: solution blocks replaced by stubs.

    Unless the block gives ``# STUB:`` lines, the stub assigns ``...`` to the
    names assigned by the block's last statement (or, for a function, keeps the
    signature and docstring and returns ``...``).

    Examples
    --------
    >>> print(student_code('''# BEGIN SOLUTION
    ... d0, r = 3, 2
    ... n = math.comb(d0 + r - 1, r)
    ... # END SOLUTION
    ... check("00.1", n)'''))
    n = ...  # your answer here
    check("00.1", n)
    >>> print(student_code('''# BEGIN SOLUTION
    ... # STUB: ambient, expected = ..., ...
    ... ambient, expected = 6, 5
    ... # END SOLUTION'''))
    ambient, expected = ..., ...
    """
    return _render_code(code, "student", where)


def solution_code(code: str, where: str = "<cell>") -> str:
    """The solution version of a code cell: markers and stubs removed.

    Examples
    --------
    >>> print(solution_code('''# BEGIN SOLUTION
    ... # STUB: n = ...
    ... n = 6
    ... # END SOLUTION
    ... check("00.1", n)'''))
    n = 6
    check("00.1", n)
    """
    return _render_code(code, "solution", where)


# --------------------------------------------------------------------------- notebooks


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
        match = _HINTS.match(line)
        out.append(hints(match.group("id")) if match else line)
    return "\n".join(out)


def _check_code(code: str, where: str, line: int) -> None:
    """Raise SourceError unless a rendered code cell is valid Python (magics allowed)
    whose ``check(...)`` call, if any, is the last statement (so that it is displayed)."""
    lines = [("pass" if re.match(r"^\s*[%!]", s) else s) for s in code.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as err:
        raise SourceError(f"generated code is not valid Python: {err.msg} (cell line {err.lineno})", where, line) from None
    calls = len(_CHECK_CALL.findall(code))
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
        raise SourceError("a cell may call check(...) once, as its last line (so the result is shown)", where, line)


def render_notebook(source: ExerciseSource, copy: Copy, hints: Callable[[str], str] | None = None) -> str:
    """The notebook text (nbformat 4 JSON) of the student or solution copy.

    Parameters
    ----------
    source
        The parsed source.
    copy
        ``"student"`` (stubs) or ``"solution"`` (reference solutions).
    hints
        Expands ``<!-- hints NN.k -->`` lines; by default the registered hints
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
    ... # %%
    ... # BEGIN SOLUTION
    ... n = 6
    ... # END SOLUTION
    ... check("99.1", n)
    ... '''
    >>> notebook = render_notebook(parse_source(text, "99_warmup"), "student")
    >>> "n = ...  # your answer here" in notebook, "n = 6" in notebook
    (True, False)
    >>> notebook == render_notebook(parse_source(text, "99_warmup"), "student")
    True
    """
    import nbformat
    from nbformat import v4

    if hints is None:
        from .checking import hint_details as hints
    checked = source.checked_ids()
    first_id = checked[0] if checked else f"{source.number}.1"
    cells = [v4.new_markdown_cell(_intro(source, copy, first_id), id=f"{source.slug}-intro")]
    for index, cell in enumerate(source.cells, start=1):
        if cell.only is not None and cell.only != copy:
            continue
        cell_id = f"{source.slug}-{index:02d}"
        if cell.kind == "markdown":
            cells.append(v4.new_markdown_cell(_expand_hints(cell.text, hints), id=cell_id))
        else:
            code = _render_code(cell.text, copy, source.path)
            _check_code(code, source.path, cell.line)
            cells.append(v4.new_code_cell(code, id=cell_id))
    notebook = v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "nagviz": {"copy": copy, "generated_by": BUILD_COMMAND, "source": f"{SOURCE_DIR}/{source.slug}.py"},
        },
    )
    nbformat.validate(notebook)
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def validate_source(source: ExerciseSource, registry: Any = None) -> None:
    """Check a source against the registered exercises of its topic.

    Every ``check("NN.k", ...)`` and ``<!-- hints NN.k -->`` must name a
    registered exercise of this topic, and every registered exercise of the
    topic must be checked somewhere in the source.

    Raises
    ------
    SourceError
        Naming the ids that do not match.

    Examples
    --------
    >>> text = '# ---\\n# title: Demo\\n# practises: x\\n# ---\\n# %%\\ncheck("00.1", 6)\\n'
    >>> validate_source(parse_source(text, "00_demo"))
    Traceback (most recent call last):
    ...
    nagviz.exercises.authoring.SourceError: <source>: exercise 00.2 is registered but never checked in the source
    """
    if registry is None:
        from .checking import REGISTRY as registry
    from .checking import normalize_id

    registered = {e.id for e in registry.topic(source.number)}
    for exercise_id in source.checked_ids() + source.hint_ids():
        key = normalize_id(exercise_id)
        if key[:2] != source.number:
            raise SourceError(f"exercise {exercise_id} belongs to another topic than {source.slug}", source.path)
        if key not in registered:
            raise SourceError(
                f"exercise {exercise_id} is not registered; add it to nagviz/exercises/ex{source.number}_*.py",
                source.path,
            )
    checked = {normalize_id(i) for i in source.checked_ids()}
    for missing in sorted(registered - checked):
        raise SourceError(f"exercise {missing} is registered but never checked in the source", source.path)


# --------------------------------------------------------------------------- build


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
    """

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()

    @property
    def up_to_date(self) -> bool:
        """True when nothing is stale and there are no orphans."""
        return not self.stale and not self.orphans

    def __str__(self) -> str:
        lines = [f"wrote {p}" for p in self.written]
        lines += [f"stale (run {BUILD_COMMAND}): {p}" for p in self.stale]
        lines += [f"no source for: {p}" for p in self.orphans]
        lines.append(
            f"{len(self.written) + len(self.unchanged) + len(self.stale)} notebooks: "
            f"{len(self.written)} written, {len(self.unchanged)} up to date, {len(self.stale)} stale, "
            f"{len(self.orphans)} without a source"
        )
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
    >>> text = '# ---\\n# title: Demo\\n# practises: counting\\n# ---\\n# %%\\ncheck("00.1", 6)\\n# %%\\ncheck("00.2", 1)\\n'
    >>> _ = (root / "exercises" / "source" / "00_demo.py").write_text(text)
    >>> sorted(expected_notebooks(root))
    ['exercises/00_demo.ipynb', 'exercises/solutions/00_demo.ipynb']
    """
    root = Path(root)
    outputs: dict[str, str] = {}
    for path in sources if sources is not None else source_files(root):
        path = Path(path)
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        source = parse_source(path.read_text(encoding="utf-8"), path.stem, shown)
        validate_source(source, registry)
        outputs[f"{STUDENT_DIR}/{source.slug}.ipynb"] = render_notebook(source, "student")
        outputs[f"{SOLUTION_DIR}/{source.slug}.ipynb"] = render_notebook(source, "solution")
    return outputs


def build(root: Path, *, check: bool = False, sources: Iterable[Path] | None = None, registry: Any = None) -> BuildReport:
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
    outputs = expected_notebooks(root, None if sources is None else list(sources), registry)
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
    return BuildReport(tuple(written), tuple(unchanged), tuple(stale), tuple(orphans))


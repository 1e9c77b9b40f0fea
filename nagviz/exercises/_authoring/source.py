"""Read an exercise source: its header, cells, exercises and solution blocks.

An exercise source ``exercises/source/NN_topic.py`` is a percent-format Python
file (the format jupytext calls "percent"): a small header, then cells opened by
``# %%`` lines. A Markdown heading ``## Exercise NN.k: title`` starts an
exercise and is the only place its id is written: under it, ``check(answer)``,
``hint()`` and ``<!-- hints -->`` get the id from the heading. Code between
``# BEGIN SOLUTION`` and ``# END SOLUTION`` is the reference solution: the
solution notebook keeps it, the student notebook gets a stub
``name = ...  # your answer here`` instead. ``exercises/README.md`` is the full
description of the format; ``exercises/build.py`` is the command line.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "BUILD_COMMAND",
    "CHECK_CALL",
    "HINTS_LINE",
    "SOLUTION_DIR",
    "SOURCE_DIR",
    "STUDENT_DIR",
    "Copy",
    "ExerciseHeading",
    "ExerciseSource",
    "SourceCell",
    "SourceError",
    "fill_ids",
    "magic_free",
    "parse_source",
    "render_code",
    "render_lines",
    "solution_code",
    "student_code",
]

Copy = Literal["student", "solution"]

SOURCE_DIR = "exercises/source"
STUDENT_DIR = "exercises"
SOLUTION_DIR = "exercises/solutions"
STUB_COMMENT = "# your answer here"
BUILD_COMMAND = "python exercises/build.py"

#: ``<!-- hints NN.k -->`` after :func:`parse_source` has filled in the id.
HINTS_LINE = re.compile(r"^\s*<!--\s*hints\s+(?P<id>\S+)\s*-->\s*$")
#: ``check("NN.k", ...)`` after :func:`parse_source` has filled in the id.
CHECK_CALL = re.compile(r"""\bcheck\(\s*(["'])(?P<id>\d{1,2}\.\d{1,2}[a-z]?)\1""")

_HEADER_KEYS = ("title", "practises", "topic", "prerequisites", "time")
_CELL = re.compile(r"^# %%(?P<rest>.*)$")
_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
_END = re.compile(r"^(?P<indent>\s*)# END SOLUTION\s*$")
_STUB = re.compile(r"^(?P<indent>\s*)# STUB:(?P<code> ?.*)$")
_HINTS_MARKER = re.compile(r"^\s*<!--\s*hints\b(?P<rest>.*?)-->\s*$")
_SECTION = re.compile(r"^##(?!#)\s*(?P<text>.*)$")
_EXERCISE = re.compile(r"^Exercise\s+(?P<id>\d+\.\d+[a-z]?)(?=[\s:(]|$)\s*(?:\([^)]*\))?\s*:?\s*(?P<title>.*)$")
_MAGIC = re.compile(r"^(?P<indent>\s*)[%!]")
_SLUG = re.compile(r"^(?P<number>\d\d)_[a-z0-9_]+$")
_FILLED = ("check", "hint")


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
        code may still contain solution markers. Exercise ids are filled in:
        ``check("NN.k", answer)``, ``hint("NN.k")``, ``<!-- hints NN.k -->``.
    only
        ``"student"`` or ``"solution"`` for a cell that appears in one copy only,
        ``None`` for a cell in both.
    line
        Line of the ``# %%`` marker in the source, for error messages.
    exercise
        The id of the exercise whose heading the cell is under (at its start),
        or ``None`` outside exercises.
    first_line
        Line in the source of the first line of ``text``.
    """

    kind: Literal["markdown", "code"]
    text: str
    only: Copy | None = None
    line: int = 0
    exercise: str | None = None
    first_line: int = 0


@dataclass(frozen=True)
class ExerciseHeading:
    """An exercise of a source: the ``## Exercise NN.k: title`` heading that defines it.

    Attributes
    ----------
    id
        The exercise id, e.g. ``"02.2b"``.
    title
        The rest of the heading.
    line
        Line of the heading in the source.

    Examples
    --------
    >>> ExerciseHeading("02.2b", "and its dimension", 81)
    ExerciseHeading(id='02.2b', title='and its dimension', line=81)
    """

    id: str
    title: str
    line: int


@dataclass(frozen=True)
class ExerciseSource:
    """A parsed exercise source: its header, its exercises and its cells.

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
    cells
        The cells in order.
    exercises
        The exercise headings, in order.
    prerequisites, time
        Optional one-line notes for the first cell.
    path
        Where the source lives, for messages and notebook metadata.
    """

    slug: str
    title: str
    practises: tuple[str, ...]
    topic: str | None
    cells: tuple[SourceCell, ...]
    exercises: tuple[ExerciseHeading, ...] = ()
    prerequisites: str = ""
    time: str = ""
    path: str = "<source>"

    @property
    def number(self) -> str:
        """The two-digit topic number, e.g. ``"00"``."""
        return self.slug[:2]

    def exercise_ids(self) -> tuple[str, ...]:
        """The ids of the exercise headings, in order."""
        return tuple(heading.id for heading in self.exercises)

    def checked_ids(self) -> tuple[str, ...]:
        """Exercise ids with a ``check(...)`` call in a code cell, in order of appearance."""
        found: list[str] = []
        for cell in self.cells:
            if cell.kind == "code":
                for match in CHECK_CALL.finditer(cell.text):
                    if match.group("id") not in found:
                        found.append(match.group("id"))
        return tuple(found)

    def hint_ids(self) -> tuple[str, ...]:
        """Exercise ids with a ``<!-- hints -->`` line in a Markdown cell."""
        return tuple(
            match.group("id")
            for cell in self.cells
            if cell.kind == "markdown"
            for match in map(HINTS_LINE.match, cell.text.splitlines())
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


def _markdown_exercises(
    lines: list[str], first_line: int, current: str | None, number: str, path: str
) -> tuple[list[str], list[ExerciseHeading], str | None]:
    """Find exercise headings in Markdown lines and fill ids into ``<!-- hints -->`` lines.

    Returns the lines (hints markers filled), the headings found, and the
    exercise in effect after the last line.
    """
    out: list[str] = []
    headings: list[ExerciseHeading] = []
    for offset, text in enumerate(lines):
        line = first_line + offset
        section = _SECTION.match(text)
        hints = _HINTS_MARKER.match(text)
        if section:
            exercise = _EXERCISE.match(section.group("text"))
            current = None
            if exercise:
                exercise_id = exercise.group("id")
                canonical = re.fullmatch(r"(\d\d)\.([1-9]\d?[a-z]?)", exercise_id)
                if canonical is None:
                    raise SourceError(
                        f"exercise id {exercise_id!r} must look like 'NN.k' (two-digit topic, then 1, 2, ... "
                        "and maybe a letter, as in '02.2b')",
                        path,
                        line,
                    )
                if canonical.group(1) != number:
                    raise SourceError(f"exercise {exercise_id} belongs to topic {canonical.group(1)}, not {number}", path, line)
                current = exercise_id
                headings.append(ExerciseHeading(exercise_id, exercise.group("title").strip(), line))
        elif hints:
            if hints.group("rest").strip():
                raise SourceError(
                    f"write '<!-- hints -->' without an id ({hints.group('rest').strip()!r}): "
                    "the exercise heading above it gives the id",
                    path,
                    line,
                )
            if current is None:
                raise SourceError("'<!-- hints -->' outside an exercise: put it under a '## Exercise NN.k: title' heading", path, line)
            text = f"<!-- hints {current} -->"
        out.append(text)
    return out, headings, current


def magic_free(lines: list[str]) -> str:
    """The code with IPython magics and shell escapes replaced by ``pass``, for :mod:`ast`.

    Examples
    --------
    >>> print(magic_free(["%time x = 1", "    !ls", "y = 2"]))
    pass
        pass
    y = 2
    """
    return "\n".join((m.group("indent") + "pass") if (m := _MAGIC.match(s)) else s for s in lines)


def fill_ids(code: str, exercise: str | None, path: str = "<source>", first_line: int = 1) -> str:
    """Write the exercise id into the ``check(answer)`` and ``hint()`` calls of a code cell.

    Parameters
    ----------
    code
        The code of a source cell (solution markers are comments, so it is Python).
    exercise
        The id from the heading the cell is under, or ``None``.
    path, first_line
        Where the code is, for error messages.

    Returns
    -------
    str
        The code with ``check("NN.k", answer)`` and ``hint("NN.k")``.

    Raises
    ------
    SourceError
        If a call already names an id, takes other arguments, or is outside an
        exercise.

    Examples
    --------
    >>> print(fill_ids("x = 6\\ncheck(x)", "00.1"))
    x = 6
    check("00.1", x)
    >>> fill_ids('check("00.1", x)', "00.1")
    Traceback (most recent call last):
    ...
    nagviz.exercises._authoring.source.SourceError: <source>:1: write check(answer) without the id "00.1": the '## Exercise 00.1: ...' heading gives it
    """
    lines = code.splitlines()
    try:
        tree = ast.parse(magic_free(lines))
    except SyntaxError as err:
        raise SourceError(f"the cell is not valid Python: {err.msg}", path, first_line + (err.lineno or 1) - 1) from None
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FILLED
    ]
    edits: list[tuple[int, int, str]] = []  # (row, byte column, text to insert)
    for call in calls:
        name, line = call.func.id, first_line + call.lineno - 1
        usage = "check(answer)" if name == "check" else "hint()"
        first = call.args[0] if call.args else None
        named = len(call.args) == (2 if name == "check" else 1)  # check("NN.k", answer), hint("NN.k")
        if named and isinstance(first, ast.Constant) and isinstance(first.value, str):
            heading = f"## Exercise {exercise or 'NN.k'}: ..."
            raise SourceError(f'write {usage} without the id "{first.value}": the {heading!r} heading gives it', path, line)
        if exercise is None:
            raise SourceError(f"{usage} outside an exercise: put the cell under a '## Exercise NN.k: title' heading", path, line)
        if call.keywords or len(call.args) != (1 if name == "check" else 0):
            raise SourceError(f"call {usage} here: the generator adds the exercise id", path, line)
        if first is not None:  # before the answer: check("NN.k", answer)
            edits.append((first.lineno - 1, first.col_offset, f'"{exercise}", '))
        else:  # inside the parentheses: hint("NN.k")
            row = lines[call.func.end_lineno - 1].encode("utf-8")
            edits.append((call.func.end_lineno - 1, row.index(b"(", call.func.end_col_offset) + 1, f'"{exercise}"'))
    for row, column, text in sorted(edits, reverse=True):
        encoded = lines[row].encode("utf-8")
        lines[row] = (encoded[:column] + text.encode("utf-8") + encoded[column:]).decode("utf-8")
    return "\n".join(lines)


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
        With the exercise ids filled in from the headings.

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
    ... # ## Exercise 99.1: monomials
    ... #
    ... # How many monomials?
    ... #
    ... # <!-- hints -->
    ...
    ... # %%
    ... # BEGIN SOLUTION
    ... n = 6
    ... # END SOLUTION
    ... check(n)
    ... '''
    >>> source = parse_source(text, "99_warmup")
    >>> [cell.kind for cell in source.cells], source.exercise_ids(), source.checked_ids()
    (['markdown', 'code'], ('99.1',), ('99.1',))
    >>> print(source.cells[1].text.splitlines()[-1])
    check("99.1", n)
    """
    if not _SLUG.match(slug):
        raise SourceError(f"the file name must look like 'NN_topic.py' (two digits, lower case), not {slug!r}", path)
    lines = text.splitlines()
    header, start = _parse_header(lines, path)
    cells: list[SourceCell] = []
    headings: list[ExerciseHeading] = []
    exercise: str | None = None
    current: tuple[Literal["markdown", "code"], Copy | None, int] | None = None
    body: list[str] = []

    def close() -> None:
        nonlocal exercise
        if current is None:
            return
        kind, only, line = current
        if kind == "markdown":
            for offset, raw in enumerate(body):
                if raw.strip() and not (raw == "#" or raw.startswith("# ")):
                    raise SourceError("every line of a Markdown cell must start with '# '", path, line + 1 + offset)
            content = [raw[2:] if raw.startswith("# ") else "" for raw in body]
        else:
            content = list(body)
        leading = next((i for i, s in enumerate(content) if s.strip()), None)
        if leading is None:
            raise SourceError("empty cell", path, line)
        content = _strip_blank_edges(content)
        first_line = line + 1 + leading
        at_start = exercise
        if kind == "markdown":
            content, found, exercise = _markdown_exercises(content, first_line, exercise, slug[:2], path)
            if found and only is not None:
                raise SourceError(
                    f"the heading of exercise {found[0].id} is in a {only}-only cell; both copies need it",
                    path,
                    found[0].line,
                )
            for heading in found:
                if heading.id in {h.id for h in headings}:
                    raise SourceError(f"exercise {heading.id} has a second heading", path, heading.line)
                headings.append(heading)
            cell_text = "\n".join(content)
        else:
            cell_text = fill_ids("\n".join(content), exercise, path, first_line)
        cells.append(SourceCell(kind, cell_text, only, line, at_start, first_line))

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
        exercises=tuple(headings),
        prerequisites=header.get("prerequisites", ""),
        time=header.get("time", ""),
        path=path,
    )


# --------------------------------------------------------------------------- solution blocks


@dataclass(frozen=True)
class _Block:
    indent: str
    code: list[tuple[str, int]]  # solution lines and their line numbers, without markers or stubs
    stub: list[str] | None  # explicit student lines from `# STUB:`, already indented
    line: int  # line of `# BEGIN SOLUTION`


def _segments(code: str, where: str, first_line: int) -> list[tuple[str, int] | _Block]:
    """Split cell code into plain lines (with their line numbers) and solution blocks."""
    out: list[tuple[str, int] | _Block] = []
    block: _Block | None = None
    for number, line in enumerate(code.splitlines(), start=first_line):
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
            if not any(s.strip() for s, _ in block.code):
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
            block.code.append((line, number))
        else:
            out.append((line, number))
    if block is not None:
        raise SourceError("'# BEGIN SOLUTION' is never closed by '# END SOLUTION'", where, block.line)
    return out


def _inferred_stub(block: _Block, where: str) -> list[str]:
    """``name = ...  # your answer here`` for the last statement of a solution block."""
    code = textwrap.dedent("\n".join(s for s, _ in block.code))
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


def render_lines(code: str, copy: Copy, where: str = "<cell>", first_line: int = 1) -> list[tuple[str, int]]:
    """The lines of one copy of a code cell, each with the source line it comes from.

    A stub line comes from the ``# BEGIN SOLUTION`` line of its block. Blank
    lines at both ends are dropped.

    Examples
    --------
    >>> render_lines("x = 1\\n# BEGIN SOLUTION\\nn = 6\\n# END SOLUTION\\ncheck(n)", "solution", first_line=10)
    [('x = 1', 10), ('n = 6', 12), ('check(n)', 14)]
    """
    lines: list[tuple[str, int]] = []
    for segment in _segments(code, where, first_line):
        if isinstance(segment, tuple):
            lines.append(segment)
        elif copy == "solution":
            lines.extend(segment.code)
        else:
            stub = segment.stub if segment.stub is not None else _inferred_stub(segment, where)
            lines.extend((line, segment.line) for line in stub)
    while lines and not lines[0][0].strip():
        lines.pop(0)
    while lines and not lines[-1][0].strip():
        lines.pop()
    return lines


def render_code(code: str, copy: Copy, where: str = "<cell>", first_line: int = 1) -> str:
    """The code of one copy of a cell: :func:`student_code` or :func:`solution_code`.

    Examples
    --------
    >>> print(render_code("# BEGIN SOLUTION\\nn = 6\\n# END SOLUTION\\ncheck(n)", "student"))
    n = ...  # your answer here
    check(n)
    """
    return "\n".join(line for line, _ in render_lines(code, copy, where, first_line))


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
    return render_code(code, "student", where)


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
    return render_code(code, "solution", where)



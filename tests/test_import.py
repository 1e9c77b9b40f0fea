"""`import nagviz` pulls in no plotting or widget library.

Checked in a fresh interpreter, so nothing imported by pytest or by other tests
can hide a heavy import. How fast the import is (target 0.5 s) is measured by
``benchmarks/timings.py``: unit tests do not assert wall time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "plotly", "ipywidgets")

PROBE = """
import json, sys, time
start = time.perf_counter()
import nagviz
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "modules": sorted(sys.modules)}))
"""


def import_nagviz_in_subprocess() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"`import nagviz` failed:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_does_not_load_plotting_or_widgets():
    modules = import_nagviz_in_subprocess()["modules"]
    loaded = sorted(
        name for name in modules if any(name == top or name.startswith(top + ".") for top in HEAVY)
    )
    assert not loaded, (
        "`import nagviz` must not import plotting or widget libraries "
        f"(import them inside the functions that draw); loaded: {', '.join(loaded)}"
    )


# --------------------------------------------------------------------------- package structure
# Issue 9: modules that follow the mathematics. Read statically (``ast``), so that these
# tests see every module, including those nothing imports yet.

import ast  # noqa: E402

PACKAGE = REPO_ROOT / "nagviz"
MAX_LINES = 800

#: Over the line limit: none.
LONG_MODULES_ALLOWED: set = set()

#: ``(importing module, imported module, name)`` still crossing a module boundary, in
#: modules that the work on input parsing and exercises rewrites.
PRIVATE_IMPORTS_ALLOWED = {
    ("nagviz.__main__", "nagviz.architecture", "_parse_widths"),
}

#: Modules defining a function of their own name, which ``nagviz/__init__.py`` would then
#: bind in place of the module. None: the dimension engine lives in
#: ``nagviz.jacobian_rank``, and ``nagviz.dimension`` is its function.
SELF_NAMED_ALLOWED: set = set()


def _modules():
    """``{dotted name: (path, ast)}`` for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(top_level_only: bool):
    """``(importer, imported module, name)`` for every ``from nagviz... import name``."""
    found = []
    for module, (path, tree) in _modules().items():
        nodes = tree.body if top_level_only else ast.walk(tree)
        for node in nodes:
            if isinstance(node, ast.ImportFrom):
                source = _resolve(module, path.name == "__init__.py", node)
                if source.split(".")[0] == "nagviz":
                    found += [(module, source, alias.name) for alias in node.names]
    return found


def test_no_module_imports_another_modules_private_names():
    modules = _modules()
    offending = set()
    for importer, source, name in _imports(top_level_only=False):
        submodule = f"{source}.{name}"
        if submodule in modules:  # ``from . import _base`` imports a module, not a name
            source, name = submodule, ""
        private_module = any(part.startswith("_") for part in source.split(".")[1:])
        if name.startswith("_") and not name.startswith("__") and not private_module:
            offending.add((importer, source, name))
    assert offending <= PRIVATE_IMPORTS_ALLOWED, (
        "shared internals belong in a module whose name starts with '_': "
        f"{sorted(offending - PRIVATE_IMPORTS_ALLOWED)}")


def test_no_module_is_longer_than_800_lines():
    long = {str(path.relative_to(REPO_ROOT)): len(path.read_text(encoding="utf-8").splitlines())
            for path, _ in _modules().values()}
    long = {k: n for k, n in long.items() if n > MAX_LINES}
    assert set(long) <= LONG_MODULES_ALLOWED, f"split by topic: {long}"


def test_module_level_imports_have_no_cycle():
    modules, graph = _modules(), {}
    for importer, source, name in _imports(top_level_only=True):
        target = f"{source}.{name}" if f"{source}.{name}" in modules else source
        if target != importer and target in modules and not importer.startswith(target + "."):
            graph.setdefault(importer, set()).add(target)
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, f"import cycles: {cycles}"


def test_pure_modules_import_no_plotting_or_widgets():
    views = ("nagviz.explorers", "nagviz.theme", "nagviz.plotting")  # the views
    offending = []
    for module, (_, tree) in _modules().items():
        if module.startswith(views):
            continue
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            offending += [(module, n) for n in names if n.split(".")[0] in HEAVY]
    assert not offending, f"mathematics imports no plotting or widget library: {offending}"


def test_no_module_defines_a_function_named_like_itself():
    named = [module for module, (_, tree) in _modules().items()
             for node in tree.body
             if isinstance(node, (ast.FunctionDef, ast.ClassDef))
             and node.name == module.rsplit(".", 1)[-1]]
    assert set(named) <= SELF_NAMED_ALLOWED, (
        f"a function shadows its module's name in the parent package: {named}")

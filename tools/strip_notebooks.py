"""Strip outputs, execution counts and saved widget state from notebooks.

Usage::

    python tools/strip_notebooks.py [--check] [PATH ...]

Each PATH is a notebook or a folder searched recursively for ``*.ipynb``
(``.ipynb_checkpoints`` folders are skipped). Without PATH the folders
``notebooks`` and ``exercises`` next to this script's parent are used.

Only notebooks that actually change are rewritten, so clean files keep their
exact bytes. With ``--check`` nothing is written and the exit status is 1 when
some notebook is not clean (handy in a pre-commit hook).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = ("notebooks", "exercises")

# Cell metadata that JupyterLab records while running a notebook.
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled")


def find_notebooks(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the notebooks named by ``paths`` (files or folders), sorted per folder."""
    for path in paths:
        if path.is_dir():
            for nb in sorted(path.rglob("*.ipynb")):
                if ".ipynb_checkpoints" not in nb.parts:
                    yield nb
        elif path.suffix == ".ipynb" and path.exists():
            yield path


def strip(nb: nbformat.NotebookNode) -> bool:
    """Remove outputs and run-time metadata from ``nb`` in place; return True if it changed."""
    changed = False
    if "widgets" in nb.metadata:
        del nb.metadata["widgets"]
        changed = True
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            cell.outputs = []
            changed = True
        if cell.get("execution_count") is not None:
            cell.execution_count = None
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks or folders")
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args(argv)

    paths = args.paths or [ROOT / name for name in DEFAULT_FOLDERS]
    dirty = []
    total = 0
    for path in find_notebooks(paths):
        total += 1
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if strip(nb):
            dirty.append(path)
            if not args.check:
                nbformat.write(nb, path)

    verb = "not clean" if args.check else "stripped"
    for path in dirty:
        print(f"{verb}: {path}")
    print(f"{len(dirty)} of {total} notebooks {verb}.")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())

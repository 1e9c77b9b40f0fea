"""Give every topic notebook the cell that installs nagviz where it is missing (Colab, VS Code).

Usage::

    python tools/install_cell.py            # add or refresh the cell in notebooks/*.ipynb
    python tools/install_cell.py --check    # exit 1 if a notebook lacks it or has an old copy

The cell is the notebook's first code cell. It is a no-op where nagviz is importable (after
``make lab``, in JupyterLab, on Binder) and otherwise installs nagviz by name from the
package index, saying so. ``tests/test_install_cell.py`` runs it both ways.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CELL_ID = "install-nagviz"
SOURCE = """\
# Colab, VS Code or any kernel without nagviz: install it first. Where nagviz is already
# installed (after `make lab`, in JupyterLab, on Binder) this cell does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nagviz") is None:
    print("nagviz is not installed in this kernel: installing it from the package index ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "nagviz"], check=True)
    print("done: nagviz is installed")"""


def ensure(path: Path, check: bool) -> bool:
    """Whether ``path`` already had the current cell (adds or refreshes it unless ``check``)."""
    nb = nbformat.read(path, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first = nb.cells[code[0]] if code else None
    if first is not None and first.get("id") == CELL_ID and first.source == SOURCE:
        return True
    if check:
        return False
    if first is not None and first.get("id") == CELL_ID:
        first.source = SOURCE
    else:
        cell = nbformat.v4.new_code_cell(SOURCE)
        cell.id = CELL_ID
        nb.cells.insert(code[0] if code else len(nb.cells), cell)
    nbformat.write(nb, path)
    return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = [p for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")) if not ensure(p, args.check)]
    for p in stale:
        print(f"{'missing or old' if args.check else 'updated'}: {p.relative_to(ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())

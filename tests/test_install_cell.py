"""Each topic notebook's first code cell installs nagviz where it is missing, and only there."""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tools"))
import install_cell  # noqa: E402

TOPIC_NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9]*.ipynb"))


def _first_code_cell(path):
    nb = nbformat.read(path, as_version=4)
    return next(c for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", TOPIC_NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_install_cell(path):
    cell = _first_code_cell(path)
    assert cell.get("id") == install_cell.CELL_ID
    assert cell.source == install_cell.SOURCE  # one copy: tools/install_cell.py --check


def _run(source, nagviz_found: bool):
    calls = []
    spec = object() if nagviz_found else None
    with mock.patch("importlib.util.find_spec", lambda name: spec if name == "nagviz" else None), \
            mock.patch("subprocess.run", lambda *a, **k: calls.append((a, k))):
        exec(compile(source, "install-cell", "exec"), {})
    return calls


def test_install_cell_does_nothing_where_nagviz_is_installed(capsys):
    assert _run(install_cell.SOURCE, nagviz_found=True) == []
    assert capsys.readouterr().out == ""


def test_install_cell_installs_nagviz_by_name_where_it_is_missing(capsys):
    calls = _run(install_cell.SOURCE, nagviz_found=False)
    assert len(calls) == 1
    (argv,), kwargs = calls[0]
    assert argv[1:] == ["-m", "pip", "install", "--quiet", "nagviz"] and kwargs == {"check": True}
    out = capsys.readouterr().out
    assert "installing it from the package index" in out and "done" in out


def test_install_cell_check_passes():
    assert install_cell.main(["--check"]) == 0

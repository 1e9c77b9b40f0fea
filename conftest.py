"""Test-session settings for every test path (``tests/`` and the doctests in ``nagviz/``).

nagviz's disk cache goes to a temporary folder for the whole session, through the
environment, so that notebook kernels started by the tests inherit it: a test run
neither reads a warm cache (which could hide a regression of the engine) nor leaves
``.nagviz-cache/`` in the working tree. The run fails if it leaves one anyway.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
CACHE_FOLDER = ".nagviz-cache"  # nagviz's default disk cache, in the working directory
_SESSION: dict = {}


def stray_caches() -> set[Path]:
    """Default cache folders in the repository and its top-level folders."""
    folders = [REPO_ROOT] + [p for p in REPO_ROOT.iterdir() if p.is_dir() and p.name != ".venv"]
    return {f / CACHE_FOLDER for f in folders if (f / CACHE_FOLDER).exists()}


def pytest_configure(config):
    _SESSION["saved"] = os.environ.get("NAGVIZ_CACHE_DIR")
    _SESSION["folder"] = tempfile.mkdtemp(prefix="nagviz-test-cache-")
    _SESSION["stray_before"] = stray_caches()
    os.environ["NAGVIZ_CACHE_DIR"] = _SESSION["folder"]


def pytest_sessionfinish(session, exitstatus):
    new = sorted(stray_caches() - _SESSION.get("stray_before", set()))
    if new:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write("\n")
            reporter.write_line("ERROR: the tests left nagviz cache folders in the working "
                                f"tree: {', '.join(map(str, new))}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    folder = _SESSION.pop("folder", None)
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    if _SESSION.get("saved") is None:
        os.environ.pop("NAGVIZ_CACHE_DIR", None)
    else:
        os.environ["NAGVIZ_CACHE_DIR"] = _SESSION["saved"]

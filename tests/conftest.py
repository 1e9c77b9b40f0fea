"""Fixtures shared by the whole test suite (keep this file small)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repository root (screenshots etc.), created on demand.

    ``make test`` prints this path at the end of the run.
    """
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


def pytest_ignore_collect(collection_path, config):
    """Keep ``--doctest-modules`` away from conftest files.

    They are loaded as plugins anyway; collecting them again as doctest modules
    makes pytest 9 import every ``conftest.py`` under the one module name
    ``conftest``, which fails as soon as a second one exists (tests/browser/).
    """
    if collection_path.name == "conftest.py":
        return True
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """List the wall times that tests recorded with ``record_property("wall_time_s", t)``."""
    rows = [
        (report.nodeid, dict(report.user_properties)["wall_time_s"])
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        and "wall_time_s" in dict(getattr(report, "user_properties", ()))
    ]
    if rows:
        terminalreporter.section("wall times")
        for nodeid, seconds in sorted(rows, key=lambda row: -row[1]):
            terminalreporter.write_line(f"{seconds:8.2f} s  {nodeid}")

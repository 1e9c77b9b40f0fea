"""Fixtures for the browser tests: one Chromium and one JupyterLab per session.

The browser tests need Debian's Chromium at /usr/bin/chromium and the
``playwright`` Python package (never ``playwright install``).  Without them
the tests are skipped, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from browser_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURE_DIR_IN_ROOT,
    FIXTURES,
    REPO_ROOT,
    SERVER_LOGS,
    VIEWPORT,
    ConsoleLog,
    LabServer,
    ServerProcess,
    copy_tree_contents,
    free_port,
    lab_command,
    prepare_lab_home,
    server_env,
)


def _round_trip_files():
    from browser_harness import ARTIFACTS

    return sorted(ARTIFACTS.glob("round-trips-*.json"))


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the main process: forget an earlier run's
        for old in _round_trip_files():
            old.unlink()


def pytest_sessionfinish(session):
    """A pytest-xdist worker leaves its round trips for the main process's summary."""
    import json

    from browser_harness import ROUND_TRIPS, artifact_path

    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if worker and ROUND_TRIPS:
        artifact_path(f"round-trips-{worker}.json").write_text(json.dumps(ROUND_TRIPS))


def pytest_terminal_summary(terminalreporter):
    """Issue 15: the median and the worst slider round trip of the whole browser run."""
    import json

    from browser_harness import ROUND_TRIPS, round_trip_summary

    trips = [tuple(t) for f in _round_trip_files() for t in json.loads(f.read_text())]
    line = round_trip_summary(trips + ROUND_TRIPS)
    if line:
        terminalreporter.write_sep("-", "slider round trips")
        for text in line.splitlines():
            terminalreporter.write_line(text)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("browser"):
        for name, process in SERVER_LOGS.items():
            tail = process.log_tail(30)
            if tail:
                report.sections.append((f"{name} log", tail))


def _unavailable(problem, remedy):
    """Skip the browser tests, or fail them under CI=true where they must run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem}: CI=true, so the browser tests must run ({remedy})", pytrace=False)
    pytest.skip(f"{problem}: browser tests skipped ({remedy})")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's, never a download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            "the playwright Python package is not importable", "pip install -e '.[test]' to run them"
        )
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}", "apt-get install chromium to run them")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory):
    """A scratch copy of notebooks/, exercises/ and the fixture notebooks.

    JupyterLab serves this copy, so nothing a test does (or an accidental save)
    can touch the notebooks in the repository.
    """
    root = tmp_path_factory.mktemp("lab-root")
    for name in ("notebooks", "exercises"):
        copy_tree_contents(REPO_ROOT / name, root / name)
    copy_tree_contents(FIXTURES, root / FIXTURE_DIR_IN_ROOT)
    return root


@pytest.fixture(scope="session")
def lab(browser, lab_root, tmp_path_factory):
    """A real JupyterLab server on a free loopback port, stopped at the end."""
    home = tmp_path_factory.mktemp("lab-home")
    port = free_port()
    token = secrets.token_hex(16)
    process = ServerProcess(
        "JupyterLab",
        lab_command(lab_root, port, token),
        cwd=lab_root,
        env=server_env(prepare_lab_home(home)),
        probe_url=f"http://127.0.0.1:{port}/api/status?token={token}",
        log_path=home / "jupyterlab.log",
    )
    print(f"\nJupyterLab on port {port}, serving {lab_root}; log: {process.log_path}")
    SERVER_LOGS["JupyterLab"] = process
    process.start()
    try:
        yield LabServer(process, port, token, Path(lab_root))
    finally:
        process.stop()


@pytest.fixture
def page(browser):
    """A fresh browser context and page with a console watcher attached.

    Yields ``(page, console)``; the context is closed afterwards without
    running ``beforeunload`` handlers, so unsaved notebooks never block.
    """
    context = browser.new_context(viewport=dict(VIEWPORT))
    context.set_default_timeout(60_000)
    pg = context.new_page()
    console = ConsoleLog().attach(pg)
    try:
        yield pg, console
    finally:
        report = console.report()
        if report:
            print("\n" + report)
        context.close()


@pytest.fixture(scope="session")
def lab_results():
    """What the JupyterLab tests measured, by notebook path, for the Voila tests.

    The JupyterLab tests run first (file order) and fill this in.  A Voila test
    compares its figures with JupyterLab's, and uses the sliders that worked
    there to tell a broken page from a broken notebook.  Without an entry (the
    notebook was not run in JupyterLab this session) both are skipped.
    """
    return {}

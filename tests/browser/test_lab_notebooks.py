"""Every notebook, run top to bottom in a real JupyterLab and looked at.

For each notebook: open it, run all cells, and check that no cell raised, the
page logged no JavaScript error, every widget rendered, every slider moves its
figure, and a screenshot lands in test-artifacts/browser/<stem>.png.

The fixture notebook ``fixtures/harness_selftest.ipynb`` (an IntSlider driving
a plotly FigureWidget, plus a matplotlib figure) runs first, so the harness
itself is tested even before the course has notebooks.
"""

from __future__ import annotations

import time
from pathlib import PurePosixPath

import pytest

from browser_harness import (
    FIXTURE_DIR_IN_ROOT,
    REPO_ROOT,
    VOILA_COURSE_NOTEBOOKS,
    artifact_path,
    check_notebook_in_lab,
)

pytestmark = pytest.mark.browser
# test_voila.py compares Voila's figures with the ones JupyterLab drew here (the
# lab_results fixture): under `make test` (pytest-xdist) the Lab tests of the notebooks
# Voila shows run in the same process as test_voila.py, before it
WITH_VOILA = pytest.mark.xdist_group("lab-then-voila")

SELFTEST = f"{FIXTURE_DIR_IN_ROOT}/harness_selftest.ipynb"
COURSE_NOTEBOOKS = [
    pytest.param(p, marks=WITH_VOILA) if i < VOILA_COURSE_NOTEBOOKS else p
    for i, p in enumerate(sorted(
        p.relative_to(REPO_ROOT).as_posix() for p in REPO_ROOT.glob("notebooks/*.ipynb")))
] or [pytest.param("notebooks/*.ipynb", marks=pytest.mark.skip(reason="no notebooks/*.ipynb yet"))]


@WITH_VOILA
@pytest.mark.harness_selftest
def test_harness_selftest_in_lab(page, lab, lab_results, record_property):
    """The harness finds the fixture's slider and figure and sees them move together."""
    pg, console = page
    start = time.monotonic()
    result = check_notebook_in_lab(pg, console, lab, SELFTEST, artifact_path("harness_selftest.png"))
    record_property("wall_time_s", time.monotonic() - start)
    lab_results[SELFTEST] = result
    assert (result.sliders, result.plots) == (1, 1)
    assert len(result.moves) == 1 and result.moves[0].scope == "cell"
    assert float(result.moves[0].after) == 3  # 1 + two ArrowRight presses


@pytest.mark.parametrize("relpath", COURSE_NOTEBOOKS, ids=lambda p: PurePosixPath(p).stem)
def test_notebook_in_lab(page, lab, lab_results, record_property, relpath):
    pg, console = page
    start = time.monotonic()
    result = check_notebook_in_lab(
        pg, console, lab, relpath, artifact_path(f"{PurePosixPath(relpath).stem}.png")
    )
    record_property("wall_time_s", time.monotonic() - start)
    lab_results[relpath] = result

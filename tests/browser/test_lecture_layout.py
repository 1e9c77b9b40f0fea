"""Lecture mode fits a 1280x720 projector (``make present``; issue 14).

Two Voila pages (through tools/present.py, which lays the explorers out for
``NAGVIZ_LECTURE=1280x720``) show one of every explorer class of nagviz.explorers
(fixtures/lecture_explorers_1.ipynb and _2, twelve each), opened in a 1280x720 window. For every explorer:
no horizontal scrolling, its title, controls and whole figure inside the window at once
(scrolled to its title), legends, axis titles and tick labels of at least 18 px.
Screenshots of each explorer as the audience sees it go to
test-artifacts/browser/lecture-<notebook>-<n>.png. Two course notebooks get the same
check inside test_voila.py, on the Voila page that test already runs.
"""

from __future__ import annotations

import pytest

from browser_harness import (
    FIXTURE_DIR_IN_ROOT,
    FIXTURES,
    RUN_ALL_TIMEOUT,
    start_voila,
    voila_errors,
    voila_wait_for_widgets,
    voila_wait_rendered,
)
from lecture_checks import SCREEN, lecture_problems

pytestmark = pytest.mark.browser

PAGES = (1, 2)  # fixtures/lecture_explorers_<k>.ipynb: each half of the explorer classes


def _expected(k):
    import nagviz.explorers as explorers

    names = [n for n in explorers.__all__ if n.endswith("Explorer") and n != "Explorer"]
    half = (len(names) + 1) // 2
    return names[:half] if k == 1 else names[half:]


def test_the_pages_hold_every_explorer_class():
    fixtures = [(FIXTURES / f"lecture_explorers_{k}.ipynb").read_text() for k in PAGES]
    for k, text in zip(PAGES, fixtures):
        for name in _expected(k):
            assert f"explorers.{name}()" in text, f"lecture_explorers_{k}.ipynb lacks {name}"


@pytest.mark.parametrize("k", PAGES)
def test_every_explorer_fits_1280x720_in_lecture_mode(browser, lab_root, tmp_path, k):
    expected = _expected(k)
    relpath = f"{FIXTURE_DIR_IN_ROOT}/lecture_explorers_{k}.ipynb"
    context = browser.new_context(viewport=dict(SCREEN))
    context.set_default_timeout(60_000)
    page = context.new_page()
    server, url = start_voila(lab_root / relpath, tmp_path / "voila-home")
    try:
        # Voila runs the notebook before it answers
        page.goto(url, wait_until="domcontentloaded", timeout=3 * RUN_ALL_TIMEOUT * 1000)
        voila_wait_rendered(page)
        assert not voila_errors(page), f"Voila {relpath}: error outputs"
        voila_wait_for_widgets(page)
        page.wait_for_timeout(1000)  # plotly lays out after the widgets arrive
        shown = page.evaluate("document.querySelectorAll('.nagviz-explorer').length")
        problems = lecture_problems(page, f"explorers-{k}")
    finally:
        server.stop()
        context.close()
    assert shown == len(expected), f"{shown} explorers on the page, expected {len(expected)}"
    assert not problems, "lecture mode at 1280x720:\n  " + "\n  ".join(problems)

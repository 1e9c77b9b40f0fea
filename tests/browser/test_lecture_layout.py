"""Lecture mode fits a 1280x720 projector (``make present``; issue 14).

Each notebook is served by Voila through tools/present.py (which lays the explorers
out for ``NAGVIZ_LECTURE=1280x720``) and opened in a 1280x720 window.  For every
explorer on the page: no horizontal scrolling, its title, controls and whole figure
inside the window at once (scrolled to its title), legends, axis titles and tick labels
of at least 18 px.  Screenshots of each explorer as the audience sees it go to
test-artifacts/browser/lecture-<notebook>-<n>.png.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from browser_harness import (
    REPO_ROOT,
    RUN_ALL_TIMEOUT,
    artifact_path,
    start_voila,
    voila_errors,
    voila_wait_for_widgets,
    voila_wait_rendered,
)

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 720}
MIN_FONT_PX = 18
NOTEBOOKS = sorted(p.relative_to(REPO_ROOT).as_posix() for p in REPO_ROOT.glob("notebooks/*.ipynb"))

# Everything measured in the page, per explorer, in CSS px of the window.
MEASURE = """
() => {
  const box = (el) => { if (!el) return null; const b = el.getBoundingClientRect();
    return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  const fonts = (root, selector) => [...root.querySelectorAll(selector)]
    .filter((t) => (t.textContent || '').trim() && t.getBoundingClientRect().width > 0)
    .map((t) => parseFloat(getComputedStyle(t).fontSize));
  const doc = document.documentElement;
  const scroller = document.querySelector('#rendered_cells') || document.scrollingElement;
  return {
    windowWidth: doc.clientWidth,
    horizontalScroll: Math.max(doc.scrollWidth - doc.clientWidth,
                               scroller.scrollWidth - scroller.clientWidth),
    explorers: [...document.querySelectorAll('.nagviz-explorer')].map((ex) => ({
      title: (ex.querySelector('h3') || {}).textContent || '',
      explorer: box(ex),
      controls: box(ex.querySelector('.nagviz-controls')),
      figure: box(ex.querySelector('.js-plotly-plot .main-svg')),
      legendFonts: fonts(ex, '.legend text'),
      axisTitleFonts: fonts(ex, '.infolayer text[class$="title"]:not(.gtitle)'),
      tickFonts: fonts(ex, '.xtick text, .ytick text'),
    })),
  };
}
"""


def scroll_to(page, index):
    """Scroll Voila's page so that explorer ``index`` starts at the top of the window."""
    page.evaluate(
        """(i) => {
          const ex = document.querySelectorAll('.nagviz-explorer')[i];
          const scroller = document.querySelector('#rendered_cells') || document.scrollingElement;
          scroller.scrollTop += ex.getBoundingClientRect().top - 4;
        }""",
        index,
    )
    page.wait_for_timeout(300)


def lecture_problems(page, stem):
    """What does not fit, explorer by explorer (empty when the page fits)."""
    problems = []
    first = page.evaluate(MEASURE)
    if first["horizontalScroll"] > 0:
        problems.append(f"the page scrolls sideways by {first['horizontalScroll']} px")
    if not first["explorers"]:
        problems.append("no explorer (.nagviz-explorer) on the page")
    for i in range(len(first["explorers"])):
        scroll_to(page, i)
        ex = page.evaluate(MEASURE)["explorers"][i]
        name = f"explorer {i + 1} ({ex['title'] or 'untitled'})"
        page.screenshot(path=str(artifact_path(f"lecture-{stem}-{i + 1}.png")))
        width, height = SCREEN["width"], SCREEN["height"]
        for part in ("controls", "figure"):
            rect = ex[part]
            if rect is None:
                problems.append(f"{name}: no {part}")
                continue
            if rect["left"] < 0 or rect["right"] > first["windowWidth"] + 0.5:
                problems.append(f"{name}: {part} spans x = {rect['left']:.0f}..{rect['right']:.0f}, "
                                f"outside the {first['windowWidth']} px window")
            if rect["top"] < 0 or rect["bottom"] > height + 0.5:
                problems.append(f"{name}: {part} spans y = {rect['top']:.0f}..{rect['bottom']:.0f}, "
                                f"not inside the {height} px window with the title at its top")
        for kind in ("legendFonts", "axisTitleFonts", "tickFonts"):
            small = [f for f in ex[kind] if f < MIN_FONT_PX - 0.01]
            if small:
                problems.append(f"{name}: {kind} as small as {min(small)} px (< {MIN_FONT_PX})")
        if not ex["legendFonts"] and not ex["axisTitleFonts"]:
            pass  # a figure without legend and axes (a 3-D scene only) has nothing to check
    return problems


@pytest.mark.parametrize("relpath", NOTEBOOKS, ids=lambda p: PurePosixPath(p).stem)
def test_lecture_mode_fits_1280x720(browser, lab_root, tmp_path, relpath):
    stem = PurePosixPath(relpath).stem
    context = browser.new_context(viewport=dict(SCREEN))
    context.set_default_timeout(60_000)
    page = context.new_page()
    server, url = start_voila(lab_root / relpath, tmp_path / "voila-home")
    try:
        # Voila runs the notebook before it answers: a slow notebook needs minutes on 2 cores
        page.goto(url, wait_until="domcontentloaded", timeout=3 * RUN_ALL_TIMEOUT * 1000)
        voila_wait_rendered(page)
        assert not voila_errors(page), f"Voila {relpath}: error outputs"
        voila_wait_for_widgets(page)
        page.wait_for_timeout(1000)  # plotly lays out after the widgets arrive
        problems = lecture_problems(page, stem)
    finally:
        server.stop()
        context.close()
    assert not problems, f"lecture mode, {relpath} at 1280x720:\n  " + "\n  ".join(problems)

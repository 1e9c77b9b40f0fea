"""Lecture mode at 1280x720, measured in the page: what does not fit, explorer by explorer.

Used by test_lecture_layout.py (every explorer class on one Voila page) and test_voila.py
(two course notebooks, looked at in a 1280x720 window after their Voila checks).
"""

from __future__ import annotations

from browser_harness import artifact_path

SCREEN = {"width": 1280, "height": 720}
MIN_FONT_PX = 18

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

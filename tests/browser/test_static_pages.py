"""Static pages drawn in Chromium with the network cut off: an nbconvert export and a page of
the course website. Every request that is not for a local file is refused, and the test
counts the figures plotly actually drew.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def _offline_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    blocked = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, context.new_page(), blocked


_DRAWN = "Array.from(document.querySelectorAll('.js-plotly-plot')).filter(d => d._fullLayout).length"


def _count_drawn(page, expected: int) -> int:
    """The number of figures plotly drew (a drawn figure has its ``_fullLayout``)."""
    page.wait_for_function(f"{_DRAWN} >= {expected}", timeout=90_000)
    return page.evaluate(_DRAWN)


def test_nbconvert_export_draws_every_figure_offline(browser, tmp_path, artifacts_dir):
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "import nagviz\nnagviz.theme.apply()\nfrom nagviz.explorers import ArchitectureExplorer, ConeExplorer",
        "ArchitectureExplorer()",
        "ConeExplorer()",
        "import plotly.graph_objects as go\ngo.Figure(go.Scatter(y=[1, 3, 2]))",
    )]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    old = os.environ.get("NAGVIZ_DISPLAY")
    os.environ["NAGVIZ_DISPLAY"] = "static"
    try:
        NotebookClient(nb, timeout=240, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.pop("NAGVIZ_DISPLAY") if old is None else os.environ.update(NAGVIZ_DISPLAY=old)
    html = tmp_path / "export.html"
    html.write_text(HTMLExporter().from_notebook_node(nb)[0])
    context, page, blocked = _offline_page(browser)
    try:
        page.goto(html.as_uri())
        assert _count_drawn(page, 3) == 3
        page.screenshot(path=str(artifacts_dir / "static-export-offline.png"), full_page=False)
    finally:
        context.close()


def test_course_website_page_draws_its_figures_offline(browser, tmp_path, artifacts_dir):
    """Build notebook 00's page of the site with tools/build_book.py, then open it offline."""
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "build_book.py"), "--quiet", "--out", str(out),
         "--only", "notebooks/00_start_here.ipynb"],
        capture_output=True, text=True, timeout=900, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page_file = out / "notebooks" / "00_start_here.html"
    text = page_file.read_text()
    expected = text.count("Plotly.newPlot(")
    assert expected >= 1 and text.count("plotly.js v") == 1  # plotly.js once on the page
    assert page_file.stat().st_size < 8 * 1024 * 1024
    context, page, blocked = _offline_page(browser)
    try:
        page.goto(page_file.as_uri())
        assert _count_drawn(page, expected) == expected
        assert page.evaluate("typeof MathJax") == "object"  # the local MathJax loaded
        page.screenshot(path=str(artifacts_dir / "site-00-offline.png"), full_page=False)
    finally:
        context.close()
    assert not [u for u in blocked if "plot" in u or "mathjax" in u.lower()]

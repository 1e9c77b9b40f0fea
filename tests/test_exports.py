"""The companion outside a live JupyterLab: static fallbacks and exported pages.

* Without ipywidgets (a plain ``pip install nagviz``) every explorer still shows its
  static figure, and says once why the sliders are missing.
* In static mode every figure also carries an HTML form with plotly.js once per page
  (gzip + base64, decompressed in the page), so an nbconvert HTML export of an executed
  notebook draws every figure offline.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NAGVIZ_DISPLAY": "", **env}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300, env=full_env, cwd=REPO_ROOT)


def test_every_explorer_falls_back_without_ipywidgets():
    result = _run("""
        import sys
        sys.modules["ipywidgets"] = None     # as if it were not installed
        sys.modules["anywidget"] = None
        import nagviz.explorers as ex
        from nagviz.explorers._base import static_reason
        print("mode", ex.display_mode(), "|", static_reason())
        for name in ex.__all__:
            cls = getattr(ex, name)
            if isinstance(cls, type) and issubclass(cls, ex.Explorer) and cls is not ex.Explorer:
                fig = cls().static_figure()
                print("ok", name, len(fig.data), len(fig.layout.sliders[0].steps))
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("mode static | ipywidgets and anywidget are not installed")
    assert 'pip install "nagviz[widgets]"' in lines[0]
    drawn = [line.split() for line in lines[1:]]
    assert len(drawn) >= 14  # every explorer of notebooks 00-05
    assert all(int(traces) > 0 and int(steps) >= 2 for _, _, traces, steps in drawn)


def _executed_static_notebook(tmp_path) -> Path:
    """A small notebook with two explorers and a plain figure, executed in static mode."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "import nagviz\nnagviz.theme.apply()\nfrom nagviz.explorers import ArchitectureExplorer, ConeExplorer",
        "ArchitectureExplorer()",
        "ConeExplorer()",
        "import plotly.graph_objects as go\ngo.Figure(go.Scatter(y=[1, 3, 2]))",
    )]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    env_before = os.environ.get("NAGVIZ_DISPLAY")
    os.environ["NAGVIZ_DISPLAY"] = "static"
    try:
        NotebookClient(nb, timeout=240, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_before is None:
            os.environ.pop("NAGVIZ_DISPLAY", None)
        else:
            os.environ["NAGVIZ_DISPLAY"] = env_before
    path = tmp_path / "static.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from nbconvert import HTMLExporter

    tmp = tmp_path_factory.mktemp("export")
    path = _executed_static_notebook(tmp)
    body, _ = HTMLExporter().from_filename(str(path))
    html = tmp / "static.html"
    html.write_text(body)
    return nbformat.read(path, as_version=4), html


def test_static_outputs_carry_html_with_plotlyjs_once(exported):
    nb, _ = exported
    bundles = [out["data"] for cell in nb.cells for out in cell.get("outputs", [])
               if "application/vnd.plotly.v1+json" in out.get("data", {})]
    assert len(bundles) == 3  # two explorers and one plain figure
    assert all("text/html" in b for b in bundles)
    with_bundle = [b for b in bundles if len(b["text/html"]) > 1_000_000]
    assert len(with_bundle) == 1 and with_bundle[0] is bundles[0]  # the first figure only


def test_the_first_figure_carries_plotlyjs_gzip_base64_and_every_figure_waits_for_it(exported):
    import base64
    import gzip

    from plotly.offline import get_plotlyjs

    nb, _ = exported
    htmls = [out["data"]["text/html"] for cell in nb.cells for out in cell.get("outputs", [])
             if "application/vnd.plotly.v1+json" in out.get("data", {})]
    (data,) = re.findall(r'<script type="application/octet-stream" id="nagviz-plotlyjs">([^<]*)</script>',
                         "".join(htmls))
    plotlyjs = get_plotlyjs().encode("utf-8")
    assert gzip.decompress(base64.b64decode(data)) == plotlyjs
    assert len(htmls[0]) < 0.45 * len(plotlyjs)  # 1.97 of 4.82 MB with plotly.js 4.1
    for html in htmls:  # each figure draws once plotly.js runs, none before
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
        drawing = [s for s in scripts if "Plotly.newPlot(" in s]
        assert drawing and all(
            s.startswith("(window.nagvizPlotly || Promise.resolve()).then(function () {") for s in drawing)


def test_nbconvert_export_has_every_figure_and_no_network_script(exported):
    _, html = exported
    text = html.read_text()
    assert len(re.findall(r"Plotly\.newPlot\(", text)) >= 3
    plotly_js = [m.start() for m in re.finditer(r"plotly\.js v\d", text)]
    assert len(plotly_js) == 1  # the bundle is written once
    assert not re.search(r"<script[^>]+src=[\"']https?://cdn\.plot\.ly", text)

"""theme.apply() keeps a kernel's first plotly figure fast (issue 15), and says how not to."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import sys, time
from nagviz import theme
theme.apply()
start = time.perf_counter()
import nbformat, jsonschema._format
import plotly.graph_objects as go
go.Figure()._repr_mimebundle_()
print(sys.modules.get("rfc3987_syntax", "missing") is None,
      "iri" in jsonschema.FormatChecker.checkers, round(time.perf_counter() - start, 2))
"""


def _probe(**env):
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env={**os.environ, **env}, timeout=120)
    assert out.returncode == 0, out.stderr
    marked, iri, _ = out.stdout.split()
    return marked == "True", iri == "True"


def test_apply_skips_the_iri_checker_that_costs_seconds():
    assert _probe() == (True, False)


def test_the_iri_checker_stays_when_asked():
    pytest.importorskip("rfc3987_syntax")
    assert _probe(NAGVIZ_IRI_CHECKS="1") == (False, True)


LIGHT = """
import sys
import nagviz
from nagviz.explorers import ArchitectureExplorer, set_display_mode
set_display_mode("widget")          # as in a kernel: no static renderer needed
nagviz.theme.apply()
heavy = [m for m in ("sympy", "matplotlib", "nbformat", "scipy") if m in sys.modules]
print(",".join(heavy) or "-")
import matplotlib
matplotlib.use("Agg")
from nagviz.plotting import new_axes
before = matplotlib.rcParams["font.size"]
new_axes()
print(before, matplotlib.rcParams["font.size"], nagviz.theme.FONT_SIZE)
"""


def test_the_first_cell_imports_only_what_it_shows():
    """Notebook 00's first cell loads no sympy, matplotlib, nbformat or scipy (1.5 s of
    imports in a kernel); matplotlib gets the theme when nagviz.plotting first draws."""
    out = subprocess.run([sys.executable, "-c", LIGHT], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    heavy, sizes = out.stdout.splitlines()
    assert heavy == "-"
    before, after, theme_size = (float(v) for v in sizes.split())
    assert before == 10.0 and after == theme_size == 17.0


def test_static_mode_registers_the_html_renderer():
    code = ("import plotly.io as pio\nfrom nagviz import theme\n"
            "from nagviz.explorers import set_display_mode\n"
            "set_display_mode('static'); theme.apply(); print(pio.renderers.default)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "nagviz"

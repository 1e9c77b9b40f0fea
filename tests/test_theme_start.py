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

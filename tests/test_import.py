"""`import nagviz` pulls in no plotting or widget library.

Checked in a fresh interpreter, so nothing imported by pytest or by other tests
can hide a heavy import. How fast the import is (target 0.5 s) is measured by
``benchmarks/timings.py``: unit tests do not assert wall time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "plotly", "ipywidgets")

PROBE = """
import json, sys, time
start = time.perf_counter()
import nagviz
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "modules": sorted(sys.modules)}))
"""


def import_nagviz_in_subprocess() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"`import nagviz` failed:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_does_not_load_plotting_or_widgets():
    modules = import_nagviz_in_subprocess()["modules"]
    loaded = sorted(
        name for name in modules if any(name == top or name.startswith(top + ".") for top in HEAVY)
    )
    assert not loaded, (
        "`import nagviz` must not import plotting or widget libraries "
        f"(import them inside the functions that draw); loaded: {', '.join(loaded)}"
    )

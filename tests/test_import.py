"""`import nagviz` is fast and pulls in no plotting or widget library.

Both are measured in a fresh interpreter, so nothing imported by pytest or by
other tests can hide a slow or heavy import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.5  # what we aim for
LIMIT_S = 1.0  # what fails the test: generous, for slow or busy machines
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


def test_import_is_fast(record_property):
    import_nagviz_in_subprocess()  # warm-up: writes the bytecode caches
    seconds = min(import_nagviz_in_subprocess()["seconds"] for _ in range(3))
    record_property("wall_time_s", seconds)
    print(f"import nagviz: {seconds:.3f} s (target {TARGET_S} s, limit {LIMIT_S} s)")
    assert seconds < LIMIT_S, (
        f"`import nagviz` took {seconds:.2f} s (target {TARGET_S} s); "
        f"find the culprit with: python -X importtime -c 'import nagviz'"
    )


def test_import_does_not_load_plotting_or_widgets():
    modules = import_nagviz_in_subprocess()["modules"]
    loaded = sorted(
        name for name in modules if any(name == top or name.startswith(top + ".") for top in HEAVY)
    )
    assert not loaded, (
        "`import nagviz` must not import plotting or widget libraries "
        f"(import them inside the functions that draw); loaded: {', '.join(loaded)}"
    )

"""Benchmark: the responsiveness targets that unit tests must not assert.

A unit test that asserts wall time fails on a busy machine for no fault of the code,
so the suite checks what these operations *do* and this script checks how *fast* they
are. Each row is the best (or the median) of a few repeats, with its target:

* ``import nagviz``        -- a fresh interpreter, best of 3 after a warm-up (target 0.5 s);
* ``refuse too large``     -- :func:`nagviz.dimension` refusing widths (40, 40, 40, 40, 40),
  r = 5, with ``ArchitectureTooLargeError`` before any work (target 0.5 s);
* ``cached atlas``         -- :func:`nagviz.atlas.shallow_atlas` again for the same r, the
  answer held in memory (target 0.1 s per call);
* ``atlas explorer move``  -- moving the r slider of ``AtlasExplorer`` over prewarmed
  degrees, median of 8 moves (target 0.1 s);
* ``exercise solutions``   -- ``exercises/build.py --check`` running every reference
  solution in-process (target 5 s; it is part of the fast test suite).

Slider latency of every explorer is measured by ``benchmarks/widgets.py``.

    python benchmarks/timings.py            # table; "<-- misses its target" marks a miss
    python benchmarks/timings.py --json     # one object per line
    python benchmarks/timings.py --strict   # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
IMPORT_PROBE = "import time; t = time.perf_counter(); import nagviz; print(time.perf_counter() - t)"


def import_time() -> float:
    """Best of 3 fresh-interpreter imports, after one that writes the bytecode caches."""
    runs = []
    for _ in range(4):
        out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], cwd=REPO_ROOT, capture_output=True,
                             text=True, check=True, timeout=120)
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return min(runs[1:])


def refuse_too_large(repeat: int = 5) -> float:
    from nagviz import dimension
    from nagviz.jacobian_rank import ArchitectureTooLargeError

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            dimension((40, 40, 40, 40, 40), 5)
        except ArchitectureTooLargeError:
            times.append(time.perf_counter() - start)
        else:
            raise AssertionError("dimension((40, 40, 40, 40, 40), 5) was not refused")
    return min(times)


def cached_atlas(repeat: int = 3) -> float:
    from nagviz.atlas import shallow_atlas

    shallow_atlas(range(2, 7), range(1, 9), 3, cache_dir=False)  # computes and keeps it in memory
    start = time.perf_counter()
    for _ in range(repeat):
        shallow_atlas(range(2, 7), range(1, 9), 3, cache_dir=False)
    return (time.perf_counter() - start) / repeat


def atlas_explorer_move() -> float:
    from nagviz.explorers import AtlasExplorer

    AtlasExplorer.prewarm(families=["shallow"])
    explorer = AtlasExplorer()
    explorer.widget()
    times = []
    for r in (1, 2, 3, 4, 5, 4, 3, 2):
        start = time.perf_counter()
        explorer.controls["r"].value = r
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def exercise_solutions() -> float:
    spec = importlib.util.spec_from_file_location("exercises_build", REPO_ROOT / "exercises" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        status = module.main(["--check"])
    seconds = time.perf_counter() - start
    if status != 0:
        raise AssertionError(f"exercises/build.py --check failed:\n{err.getvalue()}")
    return seconds


BENCHMARKS = [
    ("import nagviz", import_time, 0.5),
    ("refuse too large", refuse_too_large, 0.5),
    ("cached atlas", cached_atlas, 0.1),
    ("atlas explorer move", atlas_explorer_move, 0.1),
    ("exercise solutions", exercise_solutions, 5.0),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("names", nargs="*", help="run only these benchmarks (default: all)")
    args = parser.parse_args(argv)
    os.environ["NAGVIZ_NO_DISK_CACHE"] = "1"  # measure the caches in memory; write nothing to disk
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    ok = True
    if not args.json:
        print(f"{'operation':<22}{'seconds':>10}{'target':>10}")
    for name, measure, target in BENCHMARKS:
        if args.names and name not in args.names:
            continue
        try:
            seconds, error = measure(), None
        except Exception as exc:  # report and go on with the others
            seconds, error = None, f"{type(exc).__name__}: {exc}"
        met = seconds is not None and seconds < target
        ok &= met
        if args.json:
            print(json.dumps({"operation": name, "seconds": seconds, "target_s": target,
                              "meets_target": met, "error": error}))
        elif error:
            print(f"{name:<22}{'error':>10}{target:>10.2f}  <-- {error}")
        else:
            print(f"{name:<22}{seconds:>10.3f}{target:>10.2f}{'' if met else '  <-- misses its target'}")
    if not args.json:
        print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())

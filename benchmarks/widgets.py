"""Benchmark: kernel-side latency from a slider move to the figure being updated.

Every explorer exported by :mod:`nagviz.explorers` is built in widget mode (no browser
needed), then each of its controls is swept over a spread of values; for each move
the time from ``control.value = v`` to the end of the in-place ``FigureWidget`` update
is recorded (the update runs synchronously in the observer).

    python benchmarks/widgets.py          # table of median / 95th percentile per explorer
    python benchmarks/widgets.py --json   # [{"explorer": ..., "median_ms": ..., "p95_ms": ...}]

    python benchmarks/widgets.py --only TrainingExplorer CriticalVersusBestExplorer

Targets (issue 6): median < 50 ms and 95th percentile < 150 ms for every explorer.
Explorers marked ``slow`` (experiments, exact sweeps) update on release only
(``continuous_update=False``) behind a progress bar; they are listed with their numbers
but the targets apply to the live explorers. An explorer with a ``precompute()``
class method (notebook 05's experiments: every slider state computed once, in batches,
and kept in memory and in the disk cache) is precomputed first; the time that took is
printed separately (it is paid once per machine, not per slider move).
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import sys
import time

import numpy as np

MEDIAN_TARGET_MS, P95_TARGET_MS = 50.0, 150.0


def _values(control, n):
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return values[:n]
    lo, hi = control.min, control.max
    if isinstance(control.value, int):
        return sorted(set(np.linspace(lo, hi, n).round().astype(int).tolist()))
    return np.linspace(lo, hi, n).tolist()


def explorer_classes():
    import nagviz.explorers as ex

    out = []
    for name in getattr(ex, "__all__", dir(ex)):
        obj = getattr(ex, name)
        if inspect.isclass(obj) and issubclass(obj, ex.Explorer) and obj is not ex.Explorer:
            out.append(obj)
    return out


def measure(cls, positions=6):
    prepared = None
    if hasattr(cls, "precompute"):
        t0 = time.perf_counter()
        cls.precompute()
        prepared = round(time.perf_counter() - t0, 2)
    explorer = cls()
    explorer.widget()
    times = []
    for name, control in explorer.controls.items():
        if not hasattr(control, "value") or getattr(control, "disabled", False):
            continue
        try:
            values = _values(control, positions)
        except AttributeError:
            continue  # text boxes, buttons: not sliders
        start_value = control.value
        for v in values + [start_value]:
            if v == control.value:
                continue
            t0 = time.perf_counter()
            control.value = v
            times.append(1000 * (time.perf_counter() - t0))
    if not times:
        return None
    times.sort()
    return {"explorer": cls.__name__, "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(float(np.percentile(times, 95)), 2), "moves": len(times),
            "slow": bool(cls.slow), "precompute_s": prepared}


def main(argv=None):
    parser = argparse.ArgumentParser(description="slider-to-figure latency per explorer")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--positions", type=int, default=6, help="values per control")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", nargs="+", metavar="EXPLORER", help="measure only these")
    args = parser.parse_args(argv)
    classes = [c for c in explorer_classes() if not args.only or c.__name__ in args.only]
    rows = [r for r in (measure(cls, args.positions) for cls in classes) if r]
    def meets(r):
        return r["median_ms"] < MEDIAN_TARGET_MS and r["p95_ms"] < P95_TARGET_MS

    # Explorers marked slow recompute on release only, behind a progress bar (issue 6
    # allows that for heavy work); the targets apply to the live ones.
    ok = all(meets(r) for r in rows if not r["slow"])
    if args.json:
        print(json.dumps([{k: r[k] for k in ("explorer", "median_ms", "p95_ms")} for r in rows]))
    else:
        print(f"{'explorer':<34}{'moves':>6}{'median ms':>11}{'p95 ms':>9}")
        for r in rows:
            flag = "" if meets(r) or r["slow"] else "  <-- over target"
            slow = " (slow: updates on release, with a progress bar)" if r["slow"] else ""
            if r["precompute_s"] is not None:
                slow += f" (all states precomputed first: {r['precompute_s']:.1f} s)"
            print(f"{r['explorer']:<34}{r['moves']:>6}{r['median_ms']:>11.1f}{r['p95_ms']:>9.1f}"
                  f"{flag}{slow}")
        print(f"\ntargets for live explorers: median < {MEDIAN_TARGET_MS:.0f} ms, "
              f"p95 < {P95_TARGET_MS:.0f} ms: " + ("all met" if ok else "NOT all met"))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())

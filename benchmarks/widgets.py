"""Benchmark: kernel-side latency from a slider move to the figure being updated.

Every explorer class defined in the modules of :mod:`nagviz.explorers` is found by walking
the package (so a new explorer cannot be forgotten), built in widget mode (no browser
needed), and each of its controls is dragged through its range: every slider stop in
order (at most ``--positions`` of them, evenly spread), then back to where it started;
dropdowns and toggles visit every option. For each move the time from
``control.value = v`` to the end of the in-place ``FigureWidget`` update is recorded
(the update runs synchronously in the observer). Controls move one at a time, the others
staying at their defaults, and the whole drag is repeated ``--rounds`` times, so
revisited states count as often as a reader revisits them.

    python benchmarks/widgets.py                 # table of median / 95th percentile
    python benchmarks/widgets.py --json          # one JSON object per explorer
    python benchmarks/widgets.py --only Voronoi  # explorers whose name contains a string

The disk cache goes to a fresh temporary folder unless ``--warm`` is given (then the
reader's ``.nagviz-cache`` or ``$NAGVIZ_CACHE_DIR``), so a cold first visit is measured
too. Targets (issue 15): median < 50 ms and 95th percentile < 150 ms per move for every
explorer. A miss is flagged in the table and in the last line, ``misses: ...``; it does
not fail the run unless ``--strict`` is given. Explorers marked ``slow`` update on release
only (``continuous_update=False``); the table says so. An explorer with a ``precompute()``
class method has it run first, and the time it took is printed separately (paid once per
machine, not per slider move).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import pkgutil
import statistics
import sys
import tempfile
import time

import numpy as np

MEDIAN_TARGET_MS, P95_TARGET_MS = 50.0, 150.0


def _values(control, n):
    """The stops of a drag over ``control``: at most ``n`` values in order, ends included."""
    options = getattr(control, "options", None)
    if options:
        return [o[1] if isinstance(o, tuple) else o for o in options]
    lo, hi = control.min, control.max
    step = getattr(control, "step", None) or (1 if isinstance(control.value, int) else None)
    if step is not None:
        stops = int(round((hi - lo) / step)) + 1
        index = np.unique(np.linspace(0, stops - 1, min(n, stops)).round().astype(int))
        values = [lo + int(i) * step for i in index]
        if isinstance(control.value, int):
            return [int(v) for v in values]
        return [round(float(v), 10) for v in values]
    return np.linspace(lo, hi, n).tolist()


def explorer_classes():
    """Every concrete explorer class defined in a module of :mod:`nagviz.explorers`.

    Concrete: it defines (or inherits from a non-base class) its own ``compute``,
    ``figure`` and ``make_controls``; the shared bases of ``_base`` are left out.
    """
    import nagviz.explorers as package
    from nagviz.explorers._base import Explorer

    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if not (inspect.isclass(obj) and issubclass(obj, Explorer)):
                continue
            if obj.__module__.endswith("._base") or obj.__name__.startswith("_"):
                continue
            if any(getattr(obj, m) is getattr(Explorer, m)
                   for m in ("compute", "figure", "make_controls")):
                continue
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found, key=lambda k: (found[k].__module__, k))]


def measure(cls, positions=12, rounds=2):
    prepared = None
    if hasattr(cls, "precompute"):
        t0 = time.perf_counter()
        cls.precompute()
        prepared = round(time.perf_counter() - t0, 2)
    explorer = cls()
    explorer.widget()
    times, per_control = [], {}
    for _ in range(rounds):
        for name, control in explorer.controls.items():
            if not hasattr(control, "value") or getattr(control, "disabled", False):
                continue
            try:
                values = _values(control, positions)
            except (AttributeError, TypeError):
                continue  # text boxes, buttons: not sliders
            start_value = control.value
            for v in values + [start_value]:
                if v == control.value:
                    continue
                t0 = time.perf_counter()
                control.value = v
                ms = 1000 * (time.perf_counter() - t0)
                times.append(ms)
                per_control.setdefault(name, []).append(ms)
    if not times:
        return None
    worst = max(per_control, key=lambda k: float(np.percentile(per_control[k], 95)))
    return {"explorer": cls.__name__, "module": cls.__module__.rsplit(".", 1)[-1],
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(float(np.percentile(times, 95)), 2),
            "max_ms": round(max(times), 2), "moves": len(times),
            "slowest_control": worst, "slow": bool(cls.slow),
            "slow_reason": cls.slow if isinstance(cls.slow, str) else None,
            "precompute_s": prepared}


def meets(row):
    return row["median_ms"] < MEDIAN_TARGET_MS and row["p95_ms"] < P95_TARGET_MS


def main(argv=None):
    parser = argparse.ArgumentParser(description="slider-to-figure latency per explorer")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--positions", type=int, default=12, help="stops per slider drag")
    parser.add_argument("--rounds", type=int, default=2, help="drags per control")
    parser.add_argument("--only", action="append", default=[],
                        help="measure explorers whose name contains this (repeatable)")
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out explorers whose name contains this (repeatable)")
    parser.add_argument("--warm", action="store_true",
                        help="use the reader's disk cache instead of an empty temporary one")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.positions < 2 or args.rounds < 1:
        parser.error("--positions must be at least 2 and --rounds at least 1")
    with tempfile.TemporaryDirectory(prefix="nagviz-bench-") as folder:
        if not args.warm:
            os.environ["NAGVIZ_CACHE_DIR"] = folder
        classes = [c for c in explorer_classes()
                   if (not args.only or any(s in c.__name__ for s in args.only))
                   and not any(s in c.__name__ for s in args.skip)]
        if not classes:
            parser.error("no explorer matches --only/--skip")
        rows = []
        if not args.json:
            print(_header(), flush=True)
        for cls in classes:
            row = measure(cls, args.positions, args.rounds)
            if row is None:
                row = {"explorer": cls.__name__, "module": cls.__module__.rsplit(".", 1)[-1],
                       "moves": 0, "slow": bool(cls.slow)}
            rows.append(row)
            if not args.json:
                print(_line(row), flush=True)
    measured = [r for r in rows if r["moves"]]
    misses = [r["explorer"] for r in measured if not meets(r)]
    if args.json:
        print(json.dumps(rows))
    else:
        print(f"\ntargets: median < {MEDIAN_TARGET_MS:.0f} ms and p95 < {P95_TARGET_MS:.0f} ms"
              f" per move; {len(measured) - len(misses)} of {len(measured)} explorers meet them"
              f" ({'warm' if args.warm else 'empty'} disk cache)")
        print("misses: " + (", ".join(misses) if misses else "none"))
    return 1 if misses and args.strict else 0


def _header():
    return (f"{'explorer':<30}{'module':<17}{'moves':>6}{'median ms':>11}{'p95 ms':>9}"
            f"{'max ms':>9}  slowest control / notes")


def _line(r):
    if not r["moves"]:
        return f"{r['explorer']:<30}{r['module']:<17}{0:>6}  (no slider to move)"
    notes = [r["slowest_control"]]
    if not meets(r):
        notes.append("<-- MISS")
    if r["slow"]:
        why = r.get("slow_reason")
        notes.append(f"(updates on release: {why})" if why else "(slow: updates on release)")
    if r.get("precompute_s") is not None:
        notes.append(f"(precompute first: {r['precompute_s']:.2f} s)")
    return (f"{r['explorer']:<30}{r['module']:<17}{r['moves']:>6}{r['median_ms']:>11.1f}"
            f"{r['p95_ms']:>9.1f}{r['max_ms']:>9.1f}  " + " ".join(notes))


if __name__ == "__main__":
    sys.exit(main())

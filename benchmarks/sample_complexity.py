"""Benchmark: the recovery experiment of notebook 02, at notebook size.

Run ``python benchmarks/sample_complexity.py``. For each architecture it runs
:func:`nagviz.sample_complexity.recovery_experiment` for ``N = 1, ..., dim + 3`` with the
default settings (no cache) and prints the dimension, the parameter count, the ambient
dimension, the measured transition (the smallest ``N`` from which the teacher is
recovered), the restarts used and the wall time.

Target (issue 4): the notebook-sized run (the first four architectures) under 10 s on a
2-core machine, with the transition at ``dim`` or ``dim + 1`` for every one of them.
``--all`` adds deeper and higher-degree architectures, where optimization is harder;
``--json`` prints one object per line.
"""

from __future__ import annotations

import argparse
import json
import time

from nagviz.sample_complexity import recovery_experiment

NOTEBOOK = [((3, 2, 1), 2), ((2, 5, 1), 3), ((5, 2, 1), 3), ((5, 3, 1), 2)]
EXTRA = [((4, 2, 1), 2), ((3, 3, 1), 3), ((6, 2, 1), 3), ((3, 2, 2, 1), 2),
         ((2, 2, 1), "z^3 + z^2"), ((3, 3, 3, 1), 2)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also the harder architectures")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    total = 0.0
    for widths, act in NOTEBOOK + (EXTRA if args.all else []):
        start = time.perf_counter()
        r = recovery_experiment(widths, None, act, seed=args.seed, cache=False)
        seconds = time.perf_counter() - start
        if (widths, act) in NOTEBOOK:
            total += seconds
        row = {"widths": list(widths), "activation": str(r.architecture.activation),
               "dimension": r.dimension, "parameters": r.parameters,
               "ambient": r.ambient_dimension, "transition": r.transition,
               "restarts": int(r.restarts_run.sum()), "seconds": round(seconds, 2)}
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{str(widths):<14} {row['activation']:<10} dim {r.dimension:>3}  params "
                  f"{r.parameters:>3}  ambient {r.ambient_dimension:>3}  recovered from N = "
                  f"{r.transition}  ({row['restarts']} restarts, {seconds:.2f} s)", flush=True)
    if not args.json:
        print(f"notebook-sized run: {total:.2f} s (target < 10 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the computations behind notebook 05 (singularities and training).

Run ``python benchmarks/training.py`` (``--json`` for one object per line). Each row is
the wall time of one uncached call with its default settings, and the numbers it
measured, so that a change in speed or in the measurements shows up here.

Targets (issue 5): every default call under 5 s on a 2-core machine; the notebook's
whole set under 60 s (it caches the long experiments).
"""

from __future__ import annotations

import argparse
import json
import time

from nagviz import Architecture
from nagviz.cnn import CNNArchitecture
from nagviz.singularities import (CUSP, NODE, best_fit_is_subnetwork_fraction,
                                  cone_vertex_voronoi, rank_along_path,
                                  singular_voronoi_grid, switch_off_path)
from nagviz.subnetwork_experiment import _experiment_cached, gd_subnetwork_experiment

MLP = Architecture((2, 2, 1), "z^3 + z^2")
CNN = CNNArchitecture((2, 2), "z^3 + z^2")


def _rank_path():
    arch = Architecture((3, 2, 1), 2)
    r = rank_along_path(arch, switch_off_path(arch, [1, 2, 3, 1, -1, 2, 1, 1], 1, 1))
    return {"ranks": list(r.ranks)}


def _experiment(arch, method):
    _experiment_cached.cache_clear()
    kwargs = {"steps": 300} if method == "lm" else {}
    r = gd_subnetwork_experiment(arch, method=method, **kwargs)
    return {"stuck": r.n_stuck, "valid": r.n_valid, "fraction": round(r.fraction, 4),
            "proper": round(r.fraction_proper, 4), "zero": round(r.fraction_zero, 4)}


def _fractions(arch):
    r = best_fit_is_subnetwork_fraction(arch, seed=11)  # a seed the cache has not seen
    return {"best_fit": r.fraction_best_fit, "critical": round(r.fraction_critical, 3),
            "trap": round(r.fraction_second_order_minimum, 3),
            "full_fit_at_infinity": int(r.full_at_infinity.sum())}


def _grid(curve):
    return {"fraction": round(singular_voronoi_grid(curve).fraction, 5)}


CASES = [
    ("rank along a switch-off path (3,2,1)", _rank_path),
    ("Voronoi grid, cusp (201^2)", lambda: _grid(CUSP)),
    ("Voronoi grid, node (201^2)", lambda: _grid(NODE)),
    ("cone vertex, one nappe (20000)",
     lambda: {"fraction": round(cone_vertex_voronoi("nappe").fraction, 4)}),
    ("GD experiment, MLP (60 runs)", lambda: _experiment(MLP, "gd")),
    ("LM experiment, MLP (60 runs)", lambda: _experiment(MLP, "lm")),
    ("GD experiment, CNN (60 runs)", lambda: _experiment(CNN, "gd")),
    ("best fit vs subnetworks, MLP (60 targets)", lambda: _fractions(MLP)),
    ("best fit vs subnetworks, CNN (60 targets)", lambda: _fractions(CNN)),
]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    for name, case in CASES:
        start = time.perf_counter()
        numbers = case()
        seconds = time.perf_counter() - start
        if args.json:
            print(json.dumps({"case": name, "seconds": round(seconds, 3), **numbers}))
        else:
            print(f"{seconds:7.2f} s  {name:45s} {numbers}")


if __name__ == "__main__":
    main()

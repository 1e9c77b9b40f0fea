"""Shipped recovery experiments: notebook 02's four presets, computed once.

Notebook 02's :class:`~nagviz.explorers.RecoveryExplorer` and its closing table run
:func:`nagviz.sample_complexity.recovery_experiment` on four architectures, (3, 2, 1) z²,
(5, 2, 1) z³, (3, 2, 2, 1) z² and (4, 6, 1) z², at every sample size up to a little past
the parameter count: 96 sample sizes, up to 12 Levenberg–Marquardt restarts each, about
ten seconds of a fresh kernel's run-all; its figure of the students at ``N = dim - 1, dim,
dim + 1`` runs 72 more restarts (two seconds). The package therefore carries these results
(:data:`FILE`, 28 kB), written by

    python -m nagviz.shipped_recovery --regenerate

and :func:`~nagviz.sample_complexity.recovery_experiment` answers from it when called with
exactly the shipped settings (architecture, sample sizes, seed, restarts, method, inputs,
tolerances); any other call computes as usual. ``NAGVIZ_NO_SHIPPED=1`` ignores the file
(as for notebook 05's shipped results, :mod:`nagviz.shipped`). The tests recompute all
five and compare every exact quantity (dimension, Jacobian ranks, interpolating restarts
found, the recovery threshold) with the file.

It also holds the JSON form of a :class:`~nagviz.sample_complexity.RecoveryResult`
(:func:`encode_recovery`, :func:`decode_recovery`), which the disk cache uses too.
Pure Python and numpy: no plotting or widget imports.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from .activation import Activation
from .architecture import Architecture
from .cache import canonical, memoize
from .shipped import DATA_DIRECTORY, FORMAT, enabled, read_file, write_file

__all__ = ["FILE", "PRESETS", "ALL_RESTARTS", "preset_sample_sizes", "lookup", "load",
           "encode_recovery", "decode_recovery", "regenerate", "main"]

#: The shipped file.
FILE = DATA_DIRECTORY / "recovery.json"
#: ``(widths, r)`` of the shipped presets (notebook 02's RecoveryExplorer); seed 0.
PRESETS = (((3, 2, 1), 2), ((5, 2, 1), 3), ((3, 2, 2, 1), 2), ((4, 6, 1), 2))
#: ``(widths, r, sample sizes, restarts)`` run with every restart (``stop_after =
#: restarts``): the students of notebook 02's figure at ``N = dim - 1, dim, dim + 1``
#: (:func:`nagviz.explorers.degree.interpolants_data`); seed 0.
ALL_RESTARTS = (((3, 2, 1), 2, (4, 5, 6), 24),)
_NAME = "recovery"


def preset_sample_sizes(widths, r) -> tuple:
    """``1, 2, ..., max(parameters, monomials per output) + 2``: the sizes a preset tries.

    Examples
    --------
    >>> preset_sample_sizes((3, 2, 1), 2)[-1]       # 8 parameters, 6 quadrics in 3 variables
    10
    """
    a = Architecture(tuple(widths), r)
    return tuple(range(1, max(a.n_parameters, a.monomials_per_output) + 3))


def _read_only(a):
    a.setflags(write=False)
    return a


def encode_recovery(r) -> dict:
    """A :class:`~nagviz.sample_complexity.RecoveryResult` as plain JSON data (the disk
    cache's and the shipped file's form).

    Examples
    --------
    >>> from nagviz.sample_complexity import recovery_experiment
    >>> r = recovery_experiment((2, 1, 1), [1, 2, 3], cache=False)
    >>> d = encode_recovery(r)
    >>> d["widths"], d["dimension"], decode_recovery(d).transition == r.transition
    ([2, 1, 1], 2, True)
    """
    d = r.to_dict()
    d["activation"] = [str(c) for c in r.architecture.activation.coefficients]
    return d


def decode_recovery(d: dict):
    """The :class:`~nagviz.sample_complexity.RecoveryResult` that :func:`encode_recovery` wrote.

    Examples
    --------
    >>> from nagviz.sample_complexity import recovery_experiment
    >>> r = recovery_experiment((2, 1, 1), [1, 2, 3], cache=False)
    >>> back = decode_recovery(encode_recovery(r))
    >>> back.local_rank.tolist() == r.local_rank.tolist(), back.architecture == r.architecture
    (True, True)
    """
    from .sample_complexity import RecoveryResult  # it imports this module

    act = Activation(tuple(Fraction(str(c)) for c in d["activation"]))
    arch = Architecture(tuple(d["widths"]), act, bias=bool(d["bias"]))
    arr = {k: _read_only(np.array(d[k], dtype=int if k in ("interpolating", "restarts_run",
                                                    "local_rank") else float))
           for k in ("best_error", "median_error", "train_loss", "interpolating",
                     "restarts_run", "local_rank", "regression_error")}
    return RecoveryResult(
        architecture=arch, dimension=int(d["dimension"]), parameters=int(d["parameters"]),
        ambient_dimension=int(d["ambient_dimension"]),
        sample_sizes=tuple(int(n) for n in d["sample_sizes"]),
        restart_losses=tuple(tuple(float(v) for v in x) for x in d["restart_losses"]),
        restart_errors=tuple(tuple(float(v) for v in x) for x in d["restart_errors"]),
        method=str(d["method"]), inputs=str(d["inputs"]), seed=int(d["seed"]),
        restarts=int(d["restarts"]), stop_after=int(d["stop_after"]),
        max_nfev=int(d["max_nfev"]), n_test=int(d["n_test"]),
        interpolation_tol=float(d["interpolation_tol"]), recovery_tol=float(d["recovery_tol"]),
        seconds=float(d["seconds"]), **arr)


def _key(args) -> str:
    """The canonical text of ``recovery_experiment``'s internal arguments."""
    return json.dumps(canonical(list(args)), sort_keys=True)


@memoize(maxsize=1)
def load(path: str = str(FILE)) -> dict:
    """The shipped file: provenance, settings and ``records`` (``key -> encoded result``).

    Examples
    --------
    >>> d = load()
    >>> d["name"], len(d["records"])
    ('recovery', 5)
    """
    return read_file(Path(path), _NAME, "python -m nagviz.shipped_recovery --regenerate")


def lookup(args):
    """The shipped :class:`~nagviz.sample_complexity.RecoveryResult` for ``args``, or None.

    ``args`` are :func:`~nagviz.sample_complexity.recovery_experiment`'s internal
    arguments ``(arch, sizes, restarts, stop_after, seed, method, inputs, n_test,
    interpolation_tol, recovery_tol, max_nfev, dim)``; only exactly these settings match.

    Examples
    --------
    >>> from nagviz.sample_complexity import recovery_experiment
    >>> r = recovery_experiment((3, 2, 1), preset_sample_sizes((3, 2, 1), 2), 2)  # shipped
    >>> r.dimension, r.transition
    (5, 6)
    """
    if not enabled() or not FILE.exists():
        return None
    record = load()["records"].get(_key(args))
    return None if record is None else decode_recovery(record)


def regenerate(progress=print) -> int:
    """Run the four presets from scratch (seed 0, default settings) and rewrite :data:`FILE`.

    Returns the bytes written. About twelve seconds on one core.

    Examples
    --------
    It rewrites the package's data file, so the example only names the file and its command:

    >>> FILE.name, load()["command"]
    ('recovery.json', 'python -m nagviz.shipped_recovery --regenerate')
    """
    from . import __version__
    from .sample_complexity import recovery_experiment

    start = time.perf_counter()
    records = {}
    calls = [(w, r, preset_sample_sizes(w, r), {}) for w, r in PRESETS]
    calls += [(w, r, sizes, dict(restarts=k, stop_after=k)) for w, r, sizes, k in ALL_RESTARTS]
    for widths, r, sizes, settings in calls:
        result = recovery_experiment(widths, sizes, r, cache=False, **settings)
        args = (result.architecture, sizes, result.restarts, result.stop_after, result.seed,
                result.method, result.inputs, result.n_test, result.interpolation_tol,
                result.recovery_tol, result.max_nfev, result.dimension)
        records[_key(args)] = encode_recovery(result)
        progress(f"{widths} z^{r}: sample sizes {sizes[0]}..{sizes[-1]}, {result.restarts} "
                 f"restarts, recovered from N = {result.transition}")
    body = dict(format=FORMAT, name=_NAME, command="python -m nagviz.shipped_recovery --regenerate",
                description="notebook 02's recovery presets " + ", ".join(
                    f"{w} z^{r}" for w, r in PRESETS) + " (seed 0, default settings) and "
                    "the students of its figure at N = dim - 1, dim, dim + 1",
                nagviz_version=__version__,
                written=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                seconds=round(time.perf_counter() - start, 1), records=records)
    size = write_file(FILE, body)
    load.cache_clear()
    return size


def main(argv=None) -> int:
    """``python -m nagviz.shipped_recovery [--regenerate]``: what is shipped, or write it again.

    Examples
    --------
    >>> main([])                                  # doctest: +ELLIPSIS
    recovery.json: notebook 02's recovery presets ... written ...
    0
    """
    parser = argparse.ArgumentParser(prog="python -m nagviz.shipped_recovery",
                                     description="notebook 02's shipped recovery experiments")
    parser.add_argument("--regenerate", action="store_true", help="recompute and rewrite the file")
    args = parser.parse_args(argv)
    if args.regenerate:
        size = regenerate(progress=lambda m: print(m, flush=True))
        print(f"wrote {FILE} ({size / 1e6:.2f} MB)")
    d = load()
    print(f"{FILE.name}: {d['description']}; written {d['written']} by nagviz "
          f"{d['nagviz_version']} in {d['seconds']:.0f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Many dimensions at once: :func:`nagviz.dimension`, memoized, over lists of architectures.

:func:`cached_dimension` is :func:`nagviz.dimension` with the default prime, remembered
by :mod:`nagviz.cache` in memory (an LRU of 8192 results, so a slider that revisits an
architecture answers at once) and on disk as JSON (``.nagviz-cache/`` in the working
directory; ``NAGVIZ_CACHE_DIR`` or ``cache_dir=`` moves it, ``cache_dir=False`` or
``NAGVIZ_NO_DISK_CACHE=1`` turns it off). A record read back from disk is checked
before it is served: it must belong to the architecture asked for, its dimension must
lie between 0 and the expected dimension, and its defect, fiber dimension, filling flag,
counts, ranks and certificate must agree with each other and with the architecture;
otherwise it is discarded with a warning and recomputed. The disk entries carry a
version derived from the source of the engine, so editing the engine invalidates them.

:func:`sweep` computes a list of architectures, checks the size of the whole job before
computing anything, and reports progress through a ``progress(done, total)`` callback;
:mod:`nagviz.atlas` lays sweeps out on grids. Pure mathematics: no plotting or widgets.
"""

from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ._sweep_common import (
    METHOD,
    as_activation,
    as_architecture,
    check_seed_trials,
    status_line,
)
from .activation import Activation
from .architecture import Architecture
from .cache import canonical, memoize
from .jacobian_rank import (
    DEFAULT_PRIME,
    ArchitectureTooLargeError,
    DimensionResult,
    default_prime,
    dimension,
    estimated_work,
    failure_bound,
    max_work as _default_max_work,
)

__all__ = ["cached_dimension", "sweep", "SweepResult", "dimension_record_is_valid",
           "shipped_dimension", "DIMENSION_TABLE", "regenerate_dimension_table"]


# ----------------------------------------------------------------------------------
# the memoized engine, and what a record on disk must satisfy
# ----------------------------------------------------------------------------------
def _to_record(r: DimensionResult) -> dict:
    a = r.architecture
    return {"widths": list(a.widths), "activation": [str(c) for c in a.activation.coefficients],
            "bias": a.bias, "seed": r.seed, "dimension": r.dimension,
            "expected": r.expected_dimension, "ambient": r.ambient_dimension,
            "parameters": r.parameters, "defect": r.defect, "filling": r.filling,
            "fiber": r.fiber_dimension, "certified": r.certified, "trials": r.trials,
            "sample_points": r.sample_points, "ranks": list(r.ranks), "prime": r.prime,
            "method": r.method}


def _exact_int(v, name) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"{name} is not an integer: {v!r:.40}")
    return v


def _exact_bool(v, name) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"{name} is not true or false: {v!r:.40}")
    return v


def _from_record(rec: dict) -> DimensionResult:
    act = Activation(tuple(Fraction(str(c)) for c in rec["activation"]))
    arch = Architecture(tuple(_exact_int(w, "a width") for w in rec["widths"]), act,
                        bias=_exact_bool(rec["bias"], "bias"))
    i = {k: _exact_int(rec[k], k) for k in ("seed", "dimension", "expected", "ambient",
                                            "parameters", "defect", "fiber", "trials",
                                            "sample_points", "prime")}
    return DimensionResult(
        architecture=arch, parameters=i["parameters"], ambient_dimension=i["ambient"],
        expected_dimension=i["expected"], dimension=i["dimension"], defect=i["defect"],
        filling=_exact_bool(rec["filling"], "filling"), fiber_dimension=i["fiber"],
        certified=_exact_bool(rec["certified"], "certified"), method=str(rec["method"]),
        prime=i["prime"], seed=i["seed"], trials=i["trials"], sample_points=i["sample_points"],
        ranks=tuple(_exact_int(x, "a rank") for x in rec["ranks"]),
        failure_probability=(0.0 if i["dimension"] == i["expected"] else
                             failure_bound(arch, i["expected"], i["prime"], i["trials"])))


def dimension_record_is_valid(result: DimensionResult, arch: Architecture, seed: int,
                              trials: int, *args, **kwargs) -> bool:
    """Whether a :class:`~nagviz.DimensionResult` read back from a cache can be served.

    It must be the result for ``arch``, ``seed`` and at most ``trials`` trials with the
    default prime; ``0 <= dimension <= expected``; its counts must be those of ``arch``;
    defect, fiber dimension and filling must follow from the dimension; the ranks must
    be one per trial with the dimension as their maximum; and it is certified exactly
    when the dimension meets the expected dimension (the proven upper bound).

    Examples
    --------
    >>> import dataclasses
    >>> arch = Architecture((3, 2, 1), 2)
    >>> r = dimension(arch)
    >>> dimension_record_is_valid(r, arch, 0, 2)
    True
    >>> dimension_record_is_valid(dataclasses.replace(r, dimension=999), arch, 0, 2)
    False
    """
    d, e = result.dimension, arch.expected_dimension
    checks = (
        result.architecture == arch, result.seed == seed, result.prime == default_prime(arch),
        result.parameters == arch.n_parameters, result.ambient_dimension == arch.ambient_dimension,
        result.expected_dimension == e, 0 <= d <= e,
        result.defect == e - d, result.fiber_dimension == arch.n_parameters - d,
        result.filling == (d == arch.ambient_dimension),
        result.certified == (d == e),
        result.certified or result.trials == trials,
        1 <= result.trials <= trials, len(result.ranks) == result.trials,
        bool(result.ranks) and max(result.ranks) == d and min(result.ranks) >= 0,
        result.sample_points >= 1,
    )
    return all(checks)


@memoize("dimension", disk=True, maxsize=8192, encode=_to_record, decode=_from_record,
         validate=dimension_record_is_valid, ignore=("max_work",))
def _dimension(arch: Architecture, seed: int, trials: int, max_work=None, cache_dir=None):
    return dimension(arch, seed=seed, trials=trials, max_work=max_work)


def _is_cached(arch, seed, trials, cache_dir) -> bool:
    return (shipped_dimension(arch, seed, trials) is not None
            or _dimension.cache_lookup(arch, seed, trials, cache_dir=cache_dir)[0])


# ----------------------------------------------------------------------------------
# the shipped table: the dimensions notebook 02's explorers show
# ----------------------------------------------------------------------------------
def _dimension_table_path():
    from .shipped import DATA_DIRECTORY

    return DATA_DIRECTORY / "dimensions.json.gz"


#: The shipped table of dimensions (gzip JSON records, as on disk); written by
#: :func:`nagviz.explorers.dimension.ship_dimension_table`.
DIMENSION_TABLE = _dimension_table_path()
_RECORDER = None  # a list while ship_dimension_table collects what the explorers compute


def _table_key(arch, seed, trials) -> str:
    return json.dumps(canonical([arch, int(seed), int(trials)]), sort_keys=True,
                      separators=(",", ":"))


@functools.lru_cache(maxsize=1)
def _table() -> dict:
    from .shipped import ShippedDataError, read_file

    try:
        return read_file(DIMENSION_TABLE, "dimensions").get("records", {})
    except (ShippedDataError, EOFError):  # no table: every dimension is computed
        return {}


def shipped_dimension(arch, seed: int = 0, trials: int = 2):
    """The :class:`~nagviz.DimensionResult` of ``arch`` from the package's table, or None.

    Notebook 02's explorers and its deep atlas show 1,328 dimensions (every atlas family
    at every degree, every threshold curve): exact ranks that took 10 to 16 s to compute
    here (``python -m nagviz.sweeps --regenerate``). The package ships them (:data:`DIMENSION_TABLE`, records as the disk
    cache writes them); every record is checked by :func:`dimension_record_is_valid`
    before it is served, and the tests recompute a sample and compare the records.
    ``NAGVIZ_NO_SHIPPED=1`` ignores the table.

    Examples
    --------
    >>> shipped_dimension(Architecture((3, 5, 1), 4)).dimension      # the Clebsch defect
    14
    >>> shipped_dimension(Architecture((9, 9, 9, 9, 1), 7)) is None  # not in the table
    True
    """
    from .shipped import enabled

    if not enabled():
        return None
    return _shipped(as_architecture(arch, 2), int(seed), int(trials))


@functools.lru_cache(maxsize=8192)
def _shipped(arch, seed, trials):
    """Looked up, decoded and validated once per architecture and process (3 ms)."""
    record = _table().get(_table_key(arch, seed, trials))
    if record is None:
        return None
    result = _from_record(record)
    return result if dimension_record_is_valid(result, arch, seed, trials) else None


def _dimension_or_shipped(arch, seed, trials, max_work=None, cache_dir=None):
    result = shipped_dimension(arch, seed, trials)
    if result is None:
        result = _dimension(arch, seed, trials, max_work=max_work, cache_dir=cache_dir)
    if _RECORDER is not None:
        _RECORDER.append((arch, seed, trials, result))
    return result


def cached_dimension(arch, activation=None, *, seed: int = 0, trials: int = 2,
                     cache_dir=None, max_work: int | None = None) -> DimensionResult:
    """:func:`nagviz.dimension`, remembered in memory and (optionally) on disk.

    Same arguments and result as :func:`nagviz.dimension` (with the default prime);
    the cache key is ``(architecture, seed, trials)`` and, on disk, the version of the
    engine's code. Records read from disk are checked by
    :func:`dimension_record_is_valid` before they are served.

    Parameters
    ----------
    arch : Architecture or sequence of int
    activation : int or str, optional
        Only with bare widths; default ``2``.
    seed, trials : int
        Passed to :func:`nagviz.dimension`.
    cache_dir : str, Path, bool or None
        See :func:`nagviz.cache.cache_directory`.
    max_work : int, optional
        Refuse architectures above this estimated work (see :func:`nagviz.dimension`).

    Returns
    -------
    DimensionResult

    Examples
    --------
    >>> cached_dimension((3, 5, 1), 4, cache_dir=False).dimension   # the Clebsch defect
    14
    """
    if isinstance(arch, Architecture) and activation is not None:
        raise TypeError("give the activation inside the Architecture, not twice")
    arch = as_architecture(arch, 2 if activation is None else activation)
    check_seed_trials(seed, trials)
    return _dimension_or_shipped(arch, int(seed), int(trials), max_work=max_work,
                                 cache_dir=cache_dir)


# ----------------------------------------------------------------------------------
# the sweep engine
# ----------------------------------------------------------------------------------
def _check_sweep_size(archs, seed, trials, cache_dir, max_work, max_total_work):
    limit = _default_max_work() if max_work is None else int(max_work)
    total_limit = 20 * limit if max_total_work is None else int(max_total_work)
    total = 0
    for arch in archs:
        work = estimated_work(arch, trials)
        cached = _is_cached(arch, seed, trials, cache_dir)
        if work > limit and not cached:
            raise ArchitectureTooLargeError(
                f"the sweep contains {arch!r}, too large to compute here: about {work:.2e} "
                f"operations against a limit of {limit:.2e}. Shrink the ranges, or raise the "
                "limit with max_work= (or NAGVIZ_MAX_WORK).")
        if not cached:
            total += work
    if total > total_limit:
        raise ArchitectureTooLargeError(
            f"the sweep of {len(archs)} architectures needs about {total:.2e} operations "
            f"against a limit of {total_limit:.2e} for a whole sweep. Shrink the ranges, or "
            "raise the limit with max_total_work=.")
    return total


def _run(archs, seed, trials, progress, cache_dir, max_work, max_total_work):
    check_seed_trials(seed, trials)
    seed, trials = int(seed), int(trials)
    _check_sweep_size(archs, seed, trials, cache_dir, max_work, max_total_work)
    total = len(archs)
    if progress is not None:
        progress(0, total)
    results = []
    for i, arch in enumerate(archs, start=1):
        results.append(_dimension_or_shipped(arch, seed, trials, max_work=max_work,
                                             cache_dir=cache_dir))
        if progress is not None:
            progress(i, total)
    return results


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Exact dimensions of a list of architectures.

    Attributes
    ----------
    results : tuple of DimensionResult
        One per architecture, in the order given.
    seed, trials : int
    method : str
    prime : int
    """

    results: tuple
    seed: int
    trials: int
    method: str = METHOD
    prime: int = DEFAULT_PRIME

    def __len__(self):
        return len(self.results)

    def __iter__(self):
        return iter(self.results)

    def __getitem__(self, i):
        return self.results[i]

    @property
    def dimensions(self) -> np.ndarray:
        """The dimensions, as an int array."""
        return np.array([r.dimension for r in self.results], dtype=int)

    def to_records(self) -> list[dict]:
        """One dict per architecture with the keys of ``python -m nagviz dim --json``.

        Examples
        --------
        >>> sweep([(2, 1, 1), (3, 2, 1)], cache_dir=False).to_records()[1]["dimension"]
        5
        """
        return [r.to_dict() for r in self.results]

    def __repr__(self) -> str:
        rows = [f"SweepResult: {len(self.results)} architecture(s)"]
        for r in self.results:
            a = r.architecture
            rows.append(f"  {str(a.widths):<18} {str(a.activation):<10} dim {r.dimension:>4}"
                        f"  expected {r.expected_dimension:>4}  ambient {r.ambient_dimension:>5}"
                        + (f"  defect {r.defect}" if r.defect else ""))
        rows.append("  " + status_line(self.method, self.prime, self.seed, self.trials,
                                        all(r.certified for r in self.results)))
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        head = ("<tr><th>widths</th><th>activation</th><th>params</th><th>ambient</th>"
                "<th>expected</th><th>dim</th><th>defect</th></tr>")
        body = "".join(
            f"<tr><td>{r.architecture.widths}</td><td>{html.escape(str(r.architecture.activation))}"
            f"</td><td>{r.parameters}</td><td>{r.ambient_dimension}</td>"
            f"<td>{r.expected_dimension}</td><td><b>{r.dimension}</b></td><td>{r.defect}</td></tr>"
            for r in self.results)
        foot = status_line(self.method, self.prime, self.seed, self.trials,
                            all(r.certified for r in self.results))
        return (f"<div class='nagviz-result'><table>{head}{body}</table>"
                f"<small>{html.escape(foot)}</small></div>")


def sweep(architectures, activation=None, *, seed: int = 0, trials: int = 2, progress=None,
          cache_dir=None, max_work: int | None = None,
          max_total_work: int | None = None) -> SweepResult:
    """Exact dimensions of many architectures, cached, with progress reports.

    Parameters
    ----------
    architectures : iterable of Architecture or widths
    activation : int or str, optional
        Applied to entries given as bare widths (default ``2``).
    seed, trials : int
        Passed to :func:`nagviz.dimension`; part of the cache key.
    progress : callable, optional
        Called as ``progress(done, total)`` before the first and after every architecture.
    cache_dir : str, Path, bool or None
        See :func:`nagviz.cache.cache_directory`.
    max_work : int, optional
        Per-architecture limit (default :func:`nagviz.jacobian_rank.max_work`).
    max_total_work : int, optional
        Limit for the uncached part of the whole sweep (default ``20 * max_work``). Both
        limits are checked before anything is computed.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> s = sweep([(3, 2, 1), (3, 3, 3, 1)], activation=2, cache_dir=False)
    >>> s.dimensions.tolist()
    [5, 12]
    """
    act = as_activation(2 if activation is None else activation)
    archs = [as_architecture(a, act) for a in architectures]
    results = _run(archs, seed, trials, progress, cache_dir, max_work, max_total_work)
    return SweepResult(tuple(results), int(seed), int(trials))


# ----------------------------------------------------------------------------------
# writing the shipped table
# ----------------------------------------------------------------------------------
def regenerate_dimension_table(progress=print) -> int:
    """Compute every dimension notebook 02's explorers can show, afresh, and ship them.

    Runs the explorers' own precomputation (:func:`nagviz.explorers.dimension.prewarm`
    with every atlas family; it imports no plotting or widget library) and notebook 02's
    deep atlas, with the table ignored and no disk cache, records every result and
    writes :data:`DIMENSION_TABLE`. About 15 s. Returns the number of records.

    Examples
    --------
    It rewrites the package's data file, so the example only names the file:

    >>> DIMENSION_TABLE.name
    'dimensions.json.gz'
    """
    global _RECORDER
    import datetime
    import os
    import time

    from . import __version__
    from .atlas import deep_atlas
    from .explorers.dimension import prewarm
    from .shipped import FORMAT, write_file

    previous = os.environ.get("NAGVIZ_NO_SHIPPED")
    os.environ["NAGVIZ_NO_SHIPPED"] = "1"
    _RECORDER, start = [], time.perf_counter()
    try:
        prewarm(parts=("atlas", "thresholds"), families=None, cache_dir=False)
        deep_atlas(range(2, 7), range(1, 16), 2, cache_dir=False)
        records = {_table_key(arch, seed, trials): _to_record(r)
                   for arch, seed, trials, r in _RECORDER}
    finally:
        _RECORDER = None
        if previous is None:
            os.environ.pop("NAGVIZ_NO_SHIPPED", None)
        else:
            os.environ["NAGVIZ_NO_SHIPPED"] = previous
    body = dict(format=FORMAT, name="dimensions", command="python -m nagviz.sweeps --regenerate",
                description="every dimension of notebook 02's atlas (all families, degrees "
                            "1-5), threshold curves (r up to 8) and deep atlas; seed 0, 2 trials",
                nagviz_version=__version__, seconds=round(time.perf_counter() - start, 1),
                written=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                records=dict(sorted(records.items())))
    write_file(DIMENSION_TABLE, body, compress=True)
    _table.cache_clear()
    _shipped.cache_clear()
    progress(f"wrote {len(records)} dimensions to {DIMENSION_TABLE} "
             f"({DIMENSION_TABLE.stat().st_size / 1e3:.0f} kB) in {body['seconds']:.0f} s")
    return len(records)


if __name__ == "__main__":  # pragma: no cover
    import sys

    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python -m nagviz.sweeps --regenerate")
    from nagviz import sweeps  # this file runs as __main__: use the module the others import

    sweeps.regenerate_dimension_table()

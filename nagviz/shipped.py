"""Shipped results: notebook 05's long experiments and 06's region counts, carried by the package.

Notebook 05's statistics rest on thousands of training runs: the MLP-versus-CNN contrast
(3 arms x 3 seeds x 400 runs, and 48,000 Levenberg–Marquardt restarts for the best fits),
the quadratic network's trapped fraction (3 settings x 3 seeds x 200 runs), the 30 slider
states of the training explorer (7,800 runs), the five data distributions of the
critical-versus-best explorer and the plateau scaling of linear networks; and notebook 06's
ReLU explorer, the exact region counts of its 300 networks. Computed from
scratch they take about twenty minutes on a small machine. The package therefore carries
their **per-run records** (counts, labels, final losses; no trajectories but the few the
notebook draws) as JSON files in ``nagviz/data/``, written by

    python -m nagviz.shipped --regenerate             # every experiment, from scratch
    python -m nagviz.shipped --regenerate contrast    # one of them
    python -m nagviz.shipped                          # what is shipped: files, sizes, dates

Every file states its settings, the nagviz version, the date and the command that wrote
it. The functions of :mod:`nagviz.experiments` (and
:func:`nagviz.linear_networks.plateau_scaling`) answer from these files when called with
the shipped settings, so the notebook opens in seconds; it says that it shows shipped
results and reruns a few runs live. The tests rerun a fixed subset of the runs of every
experiment and check that they reproduce the records, and recount every statistic from
the records. ``NAGVIZ_NO_SHIPPED=1`` ignores the files: then everything is computed (and
cached as usual).

Pure Python and numpy: no plotting or widget imports.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import gzip
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from .cache import memoize

__all__ = ["DATA_DIRECTORY", "SHIPPED", "ShippedDataError", "read_file", "write_file", "enabled", "load",
           "describe", "regenerate", "trap_state_file", "shipped_trap_state",
           "contrast_results", "contrast_again", "trap_fraction_results",
           "trap_fractions_again", "critical_view", "plateau_record", "relu_region_counts",
           "spot_check", "encode_trap_state", "decode_trap_state", "main"]

#: Version of the file layout; a file of another version is refused.
FORMAT = 1
#: Where the files live (package data: the wheel carries them).
DATA_DIRECTORY = Path(__file__).with_name("data")
#: ``name -> what it holds``.
SHIPPED = {
    "contrast": "MLP against CNN, gradient descent against Levenberg–Marquardt: "
                "3 arms x 3 seeds x 400 runs (notebook 05, Section 4)",
    "trap_fractions": "the quadratic network's trapped fraction: gradient descent at init "
                      "scales 1 and 0.1, Levenberg–Marquardt, 3 seeds x 200 runs each "
                      "(notebook 05, Section 4)",
    "trap_states": "the 30 slider states of the training explorer, 260 runs each "
                   "(notebook 05, Section 4)",
    "critical_versus_best": "the critical-versus-best explorer: 5 data distributions x 40 "
                            "targets (notebook 05, Section 3)",
    "linear_plateaus": "plateau scaling of linear networks, depth 2 and 3 "
                       "(notebook 05, Section 6)",
    "relu_regions": "exact linear-region counts of the ReLU explorer's 300 networks: "
                    "depths 1-3 x widths 1-10 x seeds 0-9 (notebook 06)",
}
_TRAP_STATE_DIR = "trap_states"


class ShippedDataError(RuntimeError):
    """A shipped file is missing, unreadable or of another format."""


def enabled() -> bool:
    """Whether shipped results are used (``NAGVIZ_NO_SHIPPED`` unset, empty or ``0``).

    Examples
    --------
    >>> isinstance(enabled(), bool)
    True
    """
    return os.environ.get("NAGVIZ_NO_SHIPPED", "") in ("", "0")


def _path(name: str) -> Path:
    if name not in SHIPPED:
        raise ValueError(f"unknown shipped result {name!r}; choose one of {list(SHIPPED)}")
    return DATA_DIRECTORY / f"{name}.json"


def read_file(path: Path, name: str, command: str | None = None) -> dict:
    """The shipped JSON file ``path`` (gzip if ``.gz``) of format :data:`FORMAT`, named
    ``name``; else a :class:`ShippedDataError` that says which ``command`` writes it again.

    Examples
    --------
    >>> read_file(DATA_DIRECTORY / "contrast.json", "contrast")["format"] == FORMAT
    True
    """
    command = command or f"python -m nagviz.shipped --regenerate {name}"
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        d = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ShippedDataError(f"cannot read shipped results {path}: {exc}; rerun "
                               f"`{command}`") from None
    if not isinstance(d, dict) or d.get("format") != FORMAT or d.get("name") != name:
        raise ShippedDataError(f"{path} is not a format-{FORMAT} file of {name!r}; rerun "
                               f"`{command}`")
    return d


@memoize(maxsize=8)
def load(name: str) -> dict:
    """The shipped file ``name`` of :data:`SHIPPED`: settings, provenance and ``records``.

    Examples
    --------
    >>> d = load("contrast")
    >>> d["name"], d["command"]
    ('contrast', 'python -m nagviz.shipped --regenerate contrast')
    """
    index = DATA_DIRECTORY / _TRAP_STATE_DIR / "index.json"
    return read_file(index if name == "trap_states" else _path(name), name)


def describe(name: str) -> str:
    """One line for a notebook: which shipped results these are and how to regenerate them.

    Examples
    --------
    >>> describe("contrast").startswith("shipped: MLP against CNN")
    True
    """
    d = load(name)
    took = d["seconds"]
    took = f"{took / 60:.1f} min" if took >= 60 else f"{took:.0f} s"
    return (f"shipped: {SHIPPED[name]}; computed {d['written'][:10]} by nagviz "
            f"{d['nagviz_version']} in {took}; regenerate: `{d['command']}`")


# --------------------------------------------------------------------------- the training explorer

#: Records per run kept in a slider state of the training explorer (every 50th step).
STATE_RECORDS = 101
_LOG = 100.0      # log-coded series: round(100 log10 x), so 2.3% relative resolution
_LIN = 1000.0     # coordinates of the cone picture: 0.001 absolute resolution


_ZERO = -30 * _LOG  # an exact zero is kept as 1e-30, below every axis of the explorer


def _log_code(a):
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        q = np.round(_LOG * np.log10(np.abs(a)))
    q = np.where(a == 0, _ZERO, np.maximum(q, _ZERO))
    return np.where(np.isfinite(a), q, np.nan)


_MISSING = -(10 ** 6)


def _ints(q) -> dict:
    """Integer codes (NaN as ``-10**6``), differenced along the records and stored as
    little-endian int32 in base64: ``{"shape": [...], "delta": "..."}``."""
    q = np.asarray(q, dtype=float)
    codes = np.where(np.isfinite(q), q, _MISSING).astype(np.int64)
    delta = np.diff(codes, axis=0, prepend=0).astype("<i4")
    return dict(shape=list(codes.shape), delta=base64.b64encode(delta.tobytes()).decode())


def _unints(d, scale, log):
    codes = np.cumsum(np.frombuffer(base64.b64decode(d["delta"]), dtype="<i4")
                      .astype(np.int64).reshape(d["shape"]), axis=0)
    q = np.where(codes <= _MISSING, np.nan, codes.astype(float))
    return 10.0 ** (q / scale) if log else q / scale


def _round(a, digits=6) -> list:
    a = np.asarray(a, dtype=float)
    return np.where(np.isfinite(a), np.round(a, digits), np.nan).tolist()


def encode_trap_state(init_scale: float, lr: float, results) -> dict:
    """One slider state of the training explorer, compact: integer codes for every series.

    ``results``: the :class:`nagviz.rank_one_trap.RankOneTrapResult` of the 20 targets'
    runs followed by the population of random targets (as computed by
    :func:`nagviz.experiments.trap_state`). The cone coordinates are kept to 0.001; loss,
    distance to the cone and weight norms (drawn on log scales) as ``round(100 log10 x)``
    (zero as ``1e-30``; NaN, for a diverged run, as ``-10**6``); each series is stored as
    the differences of its codes along the records, as int32 in base64 (a state reads in
    milliseconds);
    :data:`STATE_RECORDS` records per run; outcomes, conserved quantities and the first
    and last out-weights to six decimals.

    Examples
    --------
    >>> from nagviz.rank_one_trap import rank_one_trap_experiment
    >>> runs = rank_one_trap_experiment(8, steps=200, seed=0)
    >>> d = encode_trap_state(1.0, 0.01, [runs, runs])
    >>> len(d["steps"]), len(d["runs"]), d["population"]["outcomes"] == runs.outcome.tolist()
    (101, 1, True)
    """
    results = list(results)
    K = len(results[0].steps_recorded)
    keep = np.unique(np.linspace(0, K - 1, STATE_RECORDS).round().astype(int))
    runs = []
    for res in results[:-1]:
        runs.append(dict(
            eigen=_round(res.target_eigenvalues[0]), outcomes=res.outcome.tolist(),
            trajectories=_ints(np.round(_LIN * res.trajectory[keep])),
            loss=_ints(_log_code(res.loss_history[keep])),
            cone=_ints(_log_code(res.cone_distance[keep])),
            in_norms=_ints(_log_code(res.in_norms[keep])),
            out_norms=_ints(_log_code(res.out_weights[keep])),
            out_start=_round(res.out_weights[0]), out_end=_round(res.out_weights[-1]),
            conserved=_round(res.conserved), relative_loss=_round(res.relative_loss, 12)))
    pop = results[-1]
    near = pop.steps_near_cone()
    return dict(init_scale=float(init_scale), lr=float(lr),
                steps=results[0].steps_recorded[keep].tolist(), runs=runs,
                population=dict(outcomes=pop.outcome.tolist(), near=np.asarray(near).tolist()))


def decode_trap_state(d: dict) -> dict:
    """The state of :func:`encode_trap_state` as arrays, with the population's counts.

    Examples
    --------
    >>> from nagviz.experiments import trap_state
    >>> s = trap_state(1.0, 0.01)
    >>> s["runs"][0]["trajectories"].shape, s["population"]["n"]
    ((101, 8, 3), 100)
    """
    from .rank_one_trap import TRAP_OUTCOMES

    runs = []
    for r in d["runs"]:
        runs.append(dict(
            eigen=np.array(r["eigen"], dtype=float), outcomes=list(r["outcomes"]),
            trajectories=_unints(r["trajectories"], _LIN, False),
            loss=_unints(r["loss"], _LOG, True), cone=_unints(r["cone"], _LOG, True),
            in_norms=_unints(r["in_norms"], _LOG, True),
            out_norms=_unints(r["out_norms"], _LOG, True),
            out_start=np.array(r["out_start"], dtype=float),
            out_end=np.array(r["out_end"], dtype=float),
            conserved=np.array(r["conserved"], dtype=float),
            relative_loss=np.array(r["relative_loss"], dtype=float)))
    outcome = np.array(d["population"]["outcomes"])
    near = np.array(d["population"]["near"], dtype=int)
    fitted = outcome == "fit"
    trapped = np.isin(outcome, ("one neuron off", "parallel neurons", "zero function"))
    population = dict(
        n=int(outcome.size), counts={k: int(np.sum(outcome == k)) for k in TRAP_OUTCOMES},
        trapped=int(trapped.sum()), valid=int((outcome != "diverged").sum()),
        near_median=int(np.median(near[fitted])) if fitted.any() else 0,
        near_count=int(((near > 0) & fitted).sum()), fitted=int(fitted.sum()),
        outcomes=outcome, near=near)
    return dict(init_scale=float(d["init_scale"]), lr=float(d["lr"]),
                steps=np.array(d["steps"], dtype=int), runs=runs, population=population)


def trap_state_file(init_scale: float, lr: float) -> Path:
    """The shipped file of one slider state (gzip-compressed JSON).

    Examples
    --------
    >>> trap_state_file(1.0, 0.01).name
    'init_1_lr_0.01.json.gz'
    """
    return DATA_DIRECTORY / _TRAP_STATE_DIR / f"init_{float(init_scale):g}_lr_{float(lr):g}.json.gz"


def shipped_trap_state(init_scale: float, lr: float):
    """The shipped compact state ``(init_scale, lr)``, or ``None`` when none is shipped
    (or :func:`enabled` is false).

    Examples
    --------
    >>> shipped_trap_state(1.0, 0.01)["lr"], shipped_trap_state(1.0, 0.5)
    (0.01, None)
    """
    return _state_from_file(float(init_scale), float(lr)) if enabled() else None


@memoize(maxsize=64)
def _state_from_file(init_scale, lr):
    path = trap_state_file(init_scale, lr)
    if not path.is_file():
        return None
    return read_file(path, "trap_states")["state"]


# --------------------------------------------------------------------------- MLP versus CNN

#: Per-run records of the contrast: everything :class:`SubnetworkRateResult` holds per run
#: but the targets and initializations (drawn again from the seeds).
CONTRAST_FIELDS = ("seed_of_run", "stuck", "stuck_zero", "at_subnetwork", "above_best",
                   "diverged", "at_infinity", "converged", "best_at_infinity", "final_loss",
                   "best_loss", "gradient_norm", "plateau_steps",
                   "plateau_steps_near_subnetwork")
_RATE_SETTINGS = ("method", "learning_rate", "steps", "init_scale", "restarts",
                  "inner_product", "dead_tolerance", "loss_tolerance", "gradient_tolerance")


def _arm_settings(arch, kwargs) -> dict:
    """The settings of one arm of :data:`nagviz.experiments.EXPERIMENTS`, as shipped."""
    lr = kwargs.get("lr") if kwargs.get("method", "gd") == "gd" else None
    return dict(architecture=repr(arch), method=kwargs.get("method", "gd"), learning_rate=lr,
                steps=int(kwargs["steps"]), init_scale=1.0, restarts=20,
                inner_product="euclidean", dead_tolerance=1e-4, loss_tolerance=1e-3,
                gradient_tolerance=1e-6)


def _contrast_matches(d) -> bool:
    from .experiments import CONTRAST_RUNS, CONTRAST_SEEDS, EXPERIMENTS

    st = d["settings"]
    return (st["n_runs"] == CONTRAST_RUNS and tuple(st["seeds"]) == CONTRAST_SEEDS
            and list(d["records"]) == list(EXPERIMENTS)
            and all(d["records"][k]["settings"] == _arm_settings(*EXPERIMENTS[k])
                    for k in EXPERIMENTS))


@memoize(maxsize=1)
def _contrast_results():
    from .experiments import EXPERIMENTS
    from .subnetwork_experiment import SubnetworkRateResult, rate_inputs

    d = load("contrast")
    n_runs, seeds = int(d["settings"]["n_runs"]), tuple(d["settings"]["seeds"])
    out = {}
    for label, rec in d["records"].items():
        arch = EXPERIMENTS[label][0]
        st = rec["settings"]
        inputs = rate_inputs(arch, n_runs, seeds, st["init_scale"], st["restarts"],
                             st["inner_product"])
        runs = rec["runs"]
        arrays = {k: np.asarray(runs[k], dtype=bool if isinstance(runs[k][0], bool) else
                                int if k in ("seed_of_run", "plateau_steps",
                                             "plateau_steps_near_subnetwork") else float)
                  for k in CONTRAST_FIELDS}
        out[label] = SubnetworkRateResult(
            architecture=arch, method=st["method"], n_runs=n_runs, seeds=seeds,
            init_scale=st["init_scale"], learning_rate=st["learning_rate"], steps=st["steps"],
            restarts=st["restarts"], inner_product=st["inner_product"],
            dead_tolerance=st["dead_tolerance"], loss_tolerance=st["loss_tolerance"],
            gradient_tolerance=st["gradient_tolerance"], targets=inputs["targets"],
            theta_init=inputs["theta_init"], example=rec["example"], **arrays)
    return out


def contrast_results():
    """The shipped MLP-versus-CNN contrast, ``{label: SubnetworkRateResult}``, or ``None``
    when shipped results are off or were written for other settings.

    Examples
    --------
    >>> r = contrast_results()
    >>> [x.n_runs * len(x.seeds) for x in r.values()]
    [1200, 1200, 1200]
    """
    if not enabled() or not _contrast_matches(load("contrast")):
        return None
    return _contrast_results()


def contrast_again(label: str, runs) -> dict:
    """Runs of one arm of the contrast trained again alone: their per-run records.

    Examples
    --------
    >>> again = contrast_again("MLP, Levenberg–Marquardt", [0])
    >>> bool(again["final_loss"][0] == contrast_results()["MLP, Levenberg–Marquardt"].final_loss[0])
    True
    """
    from .experiments import CONTRAST_RUNS, CONTRAST_SEEDS, EXPERIMENTS
    from .subnetwork_experiment import subnetwork_rate_runs

    if label not in EXPERIMENTS:
        raise ValueError(f"unknown arm {label!r}; choose one of {list(EXPERIMENTS)}")
    arch, kwargs = EXPERIMENTS[label]
    return subnetwork_rate_runs(arch, runs, CONTRAST_RUNS, CONTRAST_SEEDS, **kwargs)


def _compute_contrast(progress):
    from .experiments import CONTRAST_RUNS, CONTRAST_SEEDS, EXPERIMENTS, training_contrast

    results = training_contrast()
    records = {}
    for label, r in results.items():
        runs = {k: np.asarray(getattr(r, k)).tolist() for k in CONTRAST_FIELDS}
        records[label] = dict(settings=_arm_settings(*EXPERIMENTS[label]), runs=runs,
                              example=r.example)
    return dict(n_runs=CONTRAST_RUNS, seeds=list(CONTRAST_SEEDS)), records


# --------------------------------------------------------------------------- trapped fractions

#: The shipped trap statistics: ``key -> (method, init scale)``; 3 seeds x 200 runs,
#: learning rate 0.01, 5000 steps (gradient descent) or 300 iterations (LM).
TRAP_CONFIGS = {"gd, init 1": ("gd", 1.0), "gd, init 0.1": ("gd", 0.1), "lm, init 1": ("lm", 1.0)}
_TRAP_N, _TRAP_SEEDS, _TRAP_LR, _TRAP_TOL = 200, (0, 1, 2), 0.01, 1e-6
TRAP_FIELDS = ("seed", "outcome", "gradient_norm", "sign_locked", "one_nappe", "in_polar_cone",
               "is_projection", "relative_loss")


def _trap_steps(method):
    return 5000 if method == "gd" else 300


def _trap_records(res) -> dict:
    check = res.nappe_check()
    return dict(seed=[int(res.seed)] * res.n_runs, outcome=res.outcome.tolist(),
                gradient_norm=res.gradient_norm.tolist(), sign_locked=res.sign_locked.tolist(),
                one_nappe=check["one_nappe"].tolist(),
                in_polar_cone=check["in_polar_cone"].tolist(),
                is_projection=check["is_projection"].tolist(),
                relative_loss=res.relative_loss.tolist())


def _statistics(settings, runs):
    """A :class:`nagviz.rank_one_trap.TrapStatistics` counted from per-run records."""
    from .rank_one_trap import TrapStatistics

    seed = np.asarray(runs["seed"])
    outcome = np.asarray(runs["outcome"])
    grad = np.asarray(runs["gradient_norm"], dtype=float)
    flags = {k: np.asarray(runs[k], dtype=bool)
             for k in ("sign_locked", "one_nappe", "in_polar_cone", "is_projection")}
    trapped = np.isin(outcome, ("one neuron off", "parallel neurons", "zero function"))
    valid = outcome != "diverged"
    seeds = tuple(settings["seeds"])

    def per(mask):
        return tuple(int((mask & (seed == s)).sum()) for s in seeds)

    return TrapStatistics(
        settings["method"], int(settings["n_runs"]), seeds, float(settings["init_scale"]),
        settings["learning_rate"], int(settings["steps"]), per(trapped), per(valid),
        per(outcome == "fit"), per((grad < settings["gradient_tolerance"]) & valid),
        per(flags["sign_locked"]), per(flags["sign_locked"] & trapped), per(flags["one_nappe"]),
        per(flags["in_polar_cone"]), per(flags["is_projection"]),
        per(outcome == "parallel neurons"), float(settings["gradient_tolerance"]))


def _trap_settings(method, init_scale):
    return dict(method=method, n_runs=_TRAP_N, seeds=list(_TRAP_SEEDS),
                init_scale=float(init_scale), learning_rate=_TRAP_LR if method == "gd" else None,
                steps=_trap_steps(method), gradient_tolerance=_TRAP_TOL)


def trap_fraction_results(init_scale: float = 1.0, method: str = "gd"):
    """The shipped :class:`nagviz.rank_one_trap.TrapStatistics` of
    :func:`nagviz.experiments.trap_fractions`, or ``None`` if not shipped.

    Examples
    --------
    >>> st = trap_fraction_results(1.0)
    >>> st.seeds, st.n_runs
    ((0, 1, 2), 200)
    """
    if not enabled():
        return None
    key = next((k for k, c in TRAP_CONFIGS.items() if c == (method, float(init_scale))), None)
    if key is None:
        return None
    rec = load("trap_fractions")["records"].get(key)
    if rec is None or rec["settings"] != _trap_settings(method, init_scale):
        return None
    return _statistics(rec["settings"], rec["runs"])


def trap_fractions_again(key: str, seed: int, runs) -> dict:
    """Runs of one shipped trap statistic trained again alone: their per-run records.

    Examples
    --------
    >>> again = trap_fractions_again("lm, init 1", 0, [3])
    >>> again["outcome"] == [load("trap_fractions")["records"]["lm, init 1"]["runs"]["outcome"][3]]
    True
    """
    from .rank_one_trap import trap_runs_again

    if key not in TRAP_CONFIGS:
        raise ValueError(f"unknown trap statistic {key!r}; choose one of {list(TRAP_CONFIGS)}")
    method, v = TRAP_CONFIGS[key]
    res = trap_runs_again(runs, _TRAP_N, v, _TRAP_LR, _trap_steps(method), seed=int(seed),
                          method=method)
    out = _trap_records(res)
    out["seed"] = [int(seed)] * len(out["outcome"])
    return out


def _compute_trap_fractions(progress):
    from .rank_one_trap import rank_one_trap_batch, rank_one_trap_experiment

    gd = [dict(n_runs=_TRAP_N, init_scale=v, lr=_TRAP_LR, seed=s)
          for m, v in TRAP_CONFIGS.values() if m == "gd" for s in _TRAP_SEEDS]
    rank_one_trap_batch(gd, 5000)             # one loop; the experiments below read the cache
    records = {}
    for key, (method, v) in TRAP_CONFIGS.items():
        runs = {k: [] for k in TRAP_FIELDS}
        for s in _TRAP_SEEDS:
            res = rank_one_trap_experiment(_TRAP_N, v, _TRAP_LR, _trap_steps(method), seed=s,
                                           method=method)
            for k, val in _trap_records(res).items():
                runs[k] += val
        records[key] = dict(settings=_trap_settings(method, v), runs=runs)
    return dict(configs={k: list(c) for k, c in TRAP_CONFIGS.items()}), records


# --------------------------------------------------------------------------- explorer states

def _compute_trap_states(progress):
    from .experiments import (TRAP_INIT_SCALES, TRAP_LEARNING_RATES, trap_state_compact,
                              trap_states)

    pairs = [(v, lr) for v in TRAP_INIT_SCALES for lr in TRAP_LEARNING_RATES]
    states = []
    for i in range(0, len(pairs), 6):
        trap_states(pairs[i:i + 6])
        states += [trap_state_compact(v, lr) for v, lr in pairs[i:i + 6]]
        progress(f"  trap states: {len(states)} of {len(pairs)}")
    from .experiments import TRAP_POPULATION, TRAP_RUNS, TRAP_STEPS

    return dict(init_scales=list(TRAP_INIT_SCALES), learning_rates=list(TRAP_LEARNING_RATES),
                runs=TRAP_RUNS, population=TRAP_POPULATION, steps=TRAP_STEPS,
                records=STATE_RECORDS), states


# --------------------------------------------------------------------------- critical vs best

def critical_view(distribution: str):
    """The shipped view of :func:`nagviz.experiments.critical_versus_best_view`, or ``None``.

    Examples
    --------
    >>> critical_view("Bombieri–Weyl")["best"]
    0
    """
    if not enabled():
        return None
    return load("critical_versus_best")["records"].get(distribution)


def _compute_critical(progress):
    from .experiments import DISTRIBUTIONS, critical_view_computed

    return (dict(distributions=list(DISTRIBUTIONS), targets=40, restarts=12, seed=0),
            {d: critical_view_computed(d) for d in DISTRIBUTIONS})


# --------------------------------------------------------------------------- linear networks

def plateau_record(settings: dict):
    """The shipped record of :func:`nagviz.linear_networks.plateau_scaling` with these
    settings (:func:`nagviz.linear_networks.plateau_settings`), or ``None``.

    Examples
    --------
    >>> from nagviz.linear_networks import SHALLOW_SCALING, plateau_settings
    >>> plateau_record(plateau_settings(**SHALLOW_SCALING))["n_runs"]
    60
    """
    if not enabled():
        return None
    for rec in load("linear_plateaus")["records"].values():
        if rec["settings"] == settings:
            return rec["result"]
    return None


def _compute_linear(progress):
    from .linear_networks import DEEP_SCALING, SHALLOW_SCALING, plateau_scaling, plateau_settings

    records = {}
    for key, st in (("shallow", SHALLOW_SCALING), ("deep", DEEP_SCALING)):
        r = plateau_scaling(**st, cache_dir=False)
        records[key] = dict(settings=plateau_settings(**st), result=r.to_record())
    return {}, records


# --------------------------------------------------------------------------- ReLU regions

#: The networks ``ReLUNetwork.random((2,) + (n,) * depth + (1,), seed)`` whose regions are shipped.
RELU_REGIONS = dict(depths=[1, 2, 3], widths=list(range(1, 11)), seeds=list(range(10)),
                    box=[-3.0, 3.0, -3.0, 3.0])


def relu_region_counts(depth: int, box) -> np.ndarray | None:
    """Shipped exact region counts (:func:`nagviz.relu.linear_regions`) in ``box`` of the
    networks of :data:`RELU_REGIONS` with ``depth`` hidden layers: an int array
    (widths, seeds), or ``None`` when not shipped.

    Examples
    --------
    >>> relu_region_counts(1, (-3, 3, -3, 3)).shape
    (10, 10)
    """
    if not enabled() or [float(v) for v in box] != RELU_REGIONS["box"] \
            or depth not in RELU_REGIONS["depths"]:
        return None
    return np.array(load("relu_regions")["records"][str(depth)], dtype=int)


def _compute_relu(progress):
    from .relu import ReLUNetwork, linear_regions

    st = RELU_REGIONS
    return st, {str(d): [[linear_regions(ReLUNetwork.random((2,) + (n,) * d + (1,), seed=s),
                                         st["box"]).count for s in st["seeds"]]
                         for n in st["widths"]] for d in st["depths"]}


_COMPUTE = {"contrast": _compute_contrast, "trap_fractions": _compute_trap_fractions,
            "trap_states": _compute_trap_states, "critical_versus_best": _compute_critical,
            "linear_plateaus": _compute_linear, "relu_regions": _compute_relu}


# --------------------------------------------------------------------------- spot checks

def spot_check(runs_per_experiment: int = 2, seed=None) -> list:
    """Rerun a few random runs of the shipped contrast and trap statistics, live.

    For each arm of the contrast and each trap statistic, ``runs_per_experiment`` runs
    chosen at random (``seed``) are trained again alone and compared with their shipped
    records: the labels exactly, the final losses to a relative ``1e-9``.

    Returns
    -------
    list of tuple
        ``(experiment, run, reproduced)``.

    Examples
    --------
    >>> rows = spot_check(1, seed=0)
    >>> len(rows), all(ok for _, _, ok in rows)
    (6, True)
    """
    rng = np.random.default_rng(seed)
    rows = []
    contrast = load("contrast")["records"]
    for label, rec in contrast.items():
        runs = sorted(rng.choice(len(rec["runs"]["stuck"]), runs_per_experiment, replace=False))
        again = contrast_again(label, runs)
        for j, i in enumerate(runs):
            ok = all(bool(again[k][j]) == rec["runs"][k][i] for k in
                     ("stuck", "stuck_zero", "at_subnetwork", "above_best", "diverged"))
            ok &= bool(np.isclose(again["final_loss"][j], rec["runs"]["final_loss"][i],
                                  rtol=1e-9, atol=1e-12))
            rows.append((label, int(i), ok))
    traps = load("trap_fractions")["records"]
    for key, rec in traps.items():
        runs = sorted(rng.choice(len(rec["runs"]["outcome"]), runs_per_experiment, replace=False))
        for i in runs:
            seed_i, local = rec["runs"]["seed"][i], i % _TRAP_N
            again = trap_fractions_again(key, seed_i, [local])
            ok = again["outcome"][0] == rec["runs"]["outcome"][i]
            ok &= bool(np.isclose(again["relative_loss"][0], rec["runs"]["relative_loss"][i],
                                  rtol=1e-9, atol=1e-12))
            rows.append((f"quadratic network, {key}", int(i), ok))
    return rows


# --------------------------------------------------------------------------- writing

def _provenance(name: str, seconds: float, settings) -> dict:
    from . import __version__

    return dict(format=FORMAT, name=name, description=SHIPPED[name],
                command=f"python -m nagviz.shipped --regenerate {name}",
                nagviz_version=__version__,
                written=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                seconds=round(float(seconds), 1), settings=settings)


def write_file(path: Path, d: dict, compress: bool = False) -> int:
    """Write ``d`` as compact JSON (gzip with ``compress``) atomically; return the bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "x.json.gz"
    ...     n = write_file(path, {"format": FORMAT, "name": "x"}, compress=True)
    ...     read_file(path, "x")["name"], n == path.stat().st_size
    ('x', True)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(d, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    data = gzip.compress(text.encode(), mtime=0) if compress else (text + "\n").encode()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return len(data)


def regenerate(names=None, progress=print) -> dict:
    """Run the experiments again from scratch (shipped files ignored) and rewrite the files.

    Returns ``{name: bytes written}``. ``progress(message)`` reports each step. Every
    experiment runs from scratch (about six minutes in all on a 2-core machine; the disk
    cache is used as usual).

    Examples
    --------
    >>> regenerate(["nope"])
    Traceback (most recent call last):
    ...
    ValueError: unknown shipped result 'nope'; choose one of ['contrast', 'trap_fractions', 'trap_states', 'critical_versus_best', 'linear_plateaus', 'relu_regions']
    """
    names = list(SHIPPED) if not names else list(names)
    for name in names:
        _path(name)  # checks the name
    previous = os.environ.get("NAGVIZ_NO_SHIPPED")
    os.environ["NAGVIZ_NO_SHIPPED"] = "1"
    out = {}
    try:
        for name in names:
            t0 = time.perf_counter()
            progress(f"{name}: {SHIPPED[name]} ...")
            settings, records = _COMPUTE[name](progress)
            seconds = time.perf_counter() - t0
            if name == "trap_states":
                total = 0
                for state in records:
                    body = _provenance(name, seconds, settings)
                    body["state"] = state
                    total += write_file(trap_state_file(state["init_scale"], state["lr"]), body,
                                    compress=True)
                index = _provenance(name, seconds, settings)
                index["records"] = [[s["init_scale"], s["lr"]] for s in records]
                total += write_file(DATA_DIRECTORY / _TRAP_STATE_DIR / "index.json", index)
                out[name] = total
            else:
                body = _provenance(name, seconds, settings)
                body["records"] = records
                out[name] = write_file(_path(name), body)
            progress(f"{name}: {seconds:.0f} s, {out[name] / 1e6:.2f} MB")
    finally:
        if previous is None:
            os.environ.pop("NAGVIZ_NO_SHIPPED", None)
        else:
            os.environ["NAGVIZ_NO_SHIPPED"] = previous
        load.cache_clear()
        _state_from_file.cache_clear()
    return out


def _summary() -> list:
    lines = []
    for name in SHIPPED:
        try:
            d = load(name)
        except ShippedDataError as exc:
            lines.append(f"{name:<22} MISSING ({exc})")
            continue
        files = ([DATA_DIRECTORY / _TRAP_STATE_DIR / f for f in
                  os.listdir(DATA_DIRECTORY / _TRAP_STATE_DIR)]
                 if name == "trap_states" else [_path(name)])
        size = sum(f.stat().st_size for f in files)
        lines.append(f"{name:<22} {size / 1e6:6.2f} MB in {len(files):>2} file(s), written "
                     f"{d['written']}, {d['seconds'] / 60:.1f} min: {SHIPPED[name]}")
    return lines


def main(argv=None) -> int:
    """The command line: ``python -m nagviz.shipped [--regenerate [NAME ...]]``.

    Examples
    --------
    >>> main([])                                         # doctest: +ELLIPSIS
    contrast ... MB in  1 file(s), written ...
    0
    """
    parser = argparse.ArgumentParser(prog="python -m nagviz.shipped",
                                     description="notebooks 05 and 06: shipped results")
    parser.add_argument("--regenerate", nargs="*", metavar="NAME",
                        help=f"recompute and rewrite these (default: all of {list(SHIPPED)})")
    args = parser.parse_args(argv)
    if args.regenerate is not None:
        bad = [n for n in args.regenerate if n not in SHIPPED]
        if bad:
            parser.error(f"unknown shipped result {bad[0]!r}; choose from {list(SHIPPED)}")
        regenerate(args.regenerate, progress=lambda m: print(m, flush=True))
    print("\n".join(_summary()))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

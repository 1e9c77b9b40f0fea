"""How often gradient descent ends at a subnetwork although the full network fits better.

:func:`gd_subnetwork_experiment` trains a network on random targets
(:func:`nagviz.optimization.train`) and compares where each run ends with the best fit
of the full network (Levenberg–Marquardt restarts): the runs that end at a subnetwork
(a unit switched off, :func:`nagviz.optimization.unit_contributions`) with a loss above
the best fit are the implicit bias of notebook 05. Results are kept in a small in-memory
cache.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .model import as_model
from ._fitting import _best_fit, _fmt_ip, _problem
from ._models import _model
from .cache import memoize
from ._results import LinesRepr
from .architecture import Architecture  # noqa: F401  (the Examples use it)
from .inner_products import sample_targets
from .optimization import TrainingResult, train
from .statistics import wilson_interval

__all__ = [
    "gd_subnetwork_experiment",
    "SubnetworkExperimentResult",
    "subnetwork_rate",
    "SubnetworkRateResult",
    "rate_inputs",
    "subnetwork_rate_runs",
]


@dataclass(frozen=True, repr=False)
class SubnetworkExperimentResult(LinesRepr):
    """How often training ends at a subnetwork although the full network fits better.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    method : str
    n_runs : int
        One Gaussian target and one random initialization per run.
    init_scale, learning_rate, steps, restarts, seed, inner_product
        The settings.
    dead_tolerance : float
        Relative unit contribution below which a run counts as ending at a subnetwork.
    loss_tolerance : float
        Relative gap: a run's loss is "above the best full fit" when
        ``loss > best * (1 + loss_tolerance) + 1e-9``.
    fraction : float
        Runs ending at a subnetwork with a loss above the best full fit, divided by
        the runs that did not diverge.
    fraction_proper : float
        The same, counting only proper subnetworks (some unit off, the function nonzero).
    fraction_zero : float
        The same, counting only runs that ended at the zero function.
    at_subnetwork, at_zero_network, above_best, diverged : numpy.ndarray of bool, (n_runs,)
    final_loss, best_loss : numpy.ndarray, (n_runs,)
        The run's final loss and the best fit of its target over ``restarts``
        Levenberg–Marquardt restarts (or the run itself, if better).
    min_unit_contribution : numpy.ndarray, (n_runs,)
    in_norms, out_norms : numpy.ndarray, (n_runs,)
        Norms of the incoming and outgoing parameters of the smallest unit at the end.
    plateau_steps : numpy.ndarray of int, (n_runs,)
    training : TrainingResult
        The runs themselves (trajectories included).
    """

    architecture: object
    method: str
    n_runs: int
    init_scale: float
    learning_rate: float | None
    steps: int
    restarts: int
    seed: int
    inner_product: str
    dead_tolerance: float
    loss_tolerance: float
    fraction: float
    fraction_proper: float
    fraction_zero: float
    at_subnetwork: np.ndarray = field(repr=False)
    at_zero_network: np.ndarray = field(repr=False)
    above_best: np.ndarray = field(repr=False)
    diverged: np.ndarray = field(repr=False)
    final_loss: np.ndarray = field(repr=False)
    best_loss: np.ndarray = field(repr=False)
    min_unit_contribution: np.ndarray = field(repr=False)
    in_norms: np.ndarray = field(repr=False)
    out_norms: np.ndarray = field(repr=False)
    plateau_steps: np.ndarray = field(repr=False)
    training: TrainingResult = field(repr=False)

    @property
    def n_stuck(self) -> int:
        """Runs ending at a subnetwork with a loss above the best full fit."""
        return int((self.at_subnetwork & self.above_best & ~self.diverged).sum())

    @property
    def n_valid(self) -> int:
        return int((~self.diverged).sum())

    @property
    def stuck_runs(self) -> list:
        """Indices of the runs that ended at a subnetwork above the best full fit."""
        return np.nonzero(self.at_subnetwork & self.above_best & ~self.diverged)[0].tolist()

    def _lines(self):
        lr = f", learning rate {self.learning_rate:g}" if self.learning_rate is not None else ""
        at = self.at_subnetwork & ~self.diverged
        zero = self.at_zero_network & self.above_best & ~self.diverged
        return [
            f"SubnetworkExperimentResult: {self.method} on {self.architecture!r}",
            f"  ended at a subnetwork with loss above the best full fit: {self.n_stuck} of "
            f"{self.n_valid} runs (fraction {self.fraction:.3f}); of these at the zero "
            f"function: {int(zero.sum())}",
            f"  ended at a subnetwork at all: {int(at.sum())}; "
            f"diverged: {int(self.diverged.sum())}; parameters running off to infinity: "
            f"{int(self.training.at_infinity.sum())}; "
            f"above the best full fit at all: {int((self.above_best & ~self.diverged).sum())}",
            f"  {self.n_runs} runs x {self.steps} steps{lr}, init scale {self.init_scale:g}; best "
            f"fits from {self.restarts} LM restarts; inner product {self.inner_product}; seed "
            f"{self.seed}",
            f"  tolerances: unit contribution < {self.dead_tolerance:g} (relative), loss gap > "
            f"{self.loss_tolerance:g} (relative)",
        ]


def gd_subnetwork_experiment(arch, n_runs: int = 60, init_scale: float = 1.0,
                             lr: float = 1e-3, steps: int = 20_000, seed: int = 0, *,
                             method: str = "gd", restarts: int = 20,
                             inner_product="euclidean", input_scale: float = 1.0,
                             dead_tolerance: float = 1e-4, loss_tolerance: float = 1e-3,
                             progress=None) -> SubnetworkExperimentResult:
    """Train on many Gaussian targets; count runs stuck at a subnetwork that is not the best fit.

    Each run has its own target (:func:`sample_targets`) and initialization. A run counts
    when, at the end, some hidden unit contributes less than ``dead_tolerance`` (relative)
    to the learned function, *and* its loss exceeds the best fit of the full network
    (Levenberg–Marquardt, ``restarts`` random starts) by more than ``loss_tolerance``.
    Results are cached: calling again with the same arguments is free.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    n_runs, init_scale, lr, steps, seed
        The runs.
    method : {"gd", "lm"}
        Plain gradient descent or Levenberg–Marquardt for the runs themselves.
    restarts : int
        Restarts for the best full fit of each target.
    inner_product, input_scale
        The inner product of the loss and of the target distribution.
    dead_tolerance, loss_tolerance : float
    progress : callable, optional
        ``progress(done, total)``; not called when the result comes from the cache.

    Returns
    -------
    SubnetworkExperimentResult

    Examples
    --------
    >>> r = gd_subnetwork_experiment(Architecture((2, 2, 1), "z^3 + z^2"), n_runs=4,
    ...                              steps=300, restarts=4)
    >>> r.n_runs, 0.0 <= r.fraction <= 1.0
    (4, True)
    """
    arch = as_model(arch)
    ip = inner_product if isinstance(inner_product, str) else \
        tuple(map(tuple, np.asarray(inner_product, dtype=float)))
    return _experiment_cached(arch, int(n_runs), float(init_scale), float(lr), int(steps),
                              int(seed), method, int(restarts), ip, float(input_scale),
                              float(dead_tolerance), float(loss_tolerance), progress)


@memoize(maxsize=32, ignore=("progress",))
def _experiment_cached(arch, n_runs, init_scale, lr, steps, seed, method, restarts, ip,
                       input_scale, dead_tolerance, loss_tolerance, progress):
    inner_product = ip if isinstance(ip, str) else np.array(ip)
    targets = sample_targets(arch, n_runs, inner_product, input_scale, seed=seed)
    total = steps + 100

    def train_progress(done, _total):
        if progress is not None:
            progress(done, total)

    run = train(arch, targets, method=method, lr=lr, steps=steps, init_scale=init_scale,
                inner_product=inner_product, input_scale=input_scale,
                dead_tolerance=dead_tolerance, seed=seed + 1, progress=train_progress)
    model = _model(arch)
    A, b = _problem(arch, targets, inner_product, input_scale)
    best = _best_fit(model, A, b, restarts, init_scale, seed + 2, None)["loss"]
    best = np.minimum(best, np.where(run.diverged, np.inf, run.loss))
    if progress is not None:
        progress(total, total)
    above = run.loss > best * (1 + loss_tolerance) + 1e-9
    valid = ~run.diverged
    stuck = run.at_subnetwork & above & valid
    n_valid = max(int(valid.sum()), 1)
    fraction = float(stuck.sum() / n_valid)
    fraction_zero = float((stuck & run.at_zero_network).sum() / n_valid)
    smallest = np.argmin(run.final_units, axis=1)
    in_norms = np.array([np.linalg.norm(run.theta[i, list(model.units[u].incoming)])
                         for i, u in enumerate(smallest)])
    out_norms = np.array([np.linalg.norm(run.theta[i, list(model.units[u].outgoing)])
                          if model.units[u].outgoing else 0.0 for i, u in enumerate(smallest)])
    result = SubnetworkExperimentResult(
        architecture=arch, method=run.method, n_runs=n_runs, init_scale=init_scale,
        learning_rate=run.learning_rate, steps=steps, restarts=restarts, seed=seed,
        inner_product=_fmt_ip(inner_product, input_scale), dead_tolerance=dead_tolerance,
        loss_tolerance=loss_tolerance, fraction=fraction,
        fraction_proper=fraction - fraction_zero, fraction_zero=fraction_zero,
        at_subnetwork=run.at_subnetwork, at_zero_network=run.at_zero_network,
        above_best=above, diverged=run.diverged, final_loss=run.loss, best_loss=best,
        min_unit_contribution=run.final_units.min(axis=1), in_norms=in_norms,
        out_norms=out_norms, plateau_steps=run.plateau_steps, training=run)
    return result


# --------------------------------------------------------------------------- over seeds

@dataclass(frozen=True, repr=False)
class SubnetworkRateResult(LinesRepr):
    """:func:`gd_subnetwork_experiment` over several seeds: counts, fractions, intervals.

    Every run has its own Gaussian target and initialization; the runs of all seeds move
    in one vectorized loop and the best fits of all targets in another. Seed ``s`` draws
    the same targets and initializations as ``gd_subnetwork_experiment(..., seed=s)``.

    Attributes
    ----------
    architecture, method, n_runs (per seed), seeds, init_scale, learning_rate, steps,
    restarts, inner_product, dead_tolerance, loss_tolerance
        As in :class:`SubnetworkExperimentResult`.
    gradient_tolerance : float
        A run has *converged* when ``||grad L|| / max(1, ||t||^2)`` is below it at the end.
    seed_of_run : numpy.ndarray of int, (runs,)
    stuck, stuck_zero : numpy.ndarray of bool, (runs,)
        Ended at a subnetwork with a loss above the best full fit (and did not diverge);
        of these, at the zero function.
    at_subnetwork, above_best, diverged, at_infinity, converged : numpy.ndarray of bool
        ``at_infinity``: the run's parameters ended beyond ``ESCAPE_NORM``.
    best_at_infinity : numpy.ndarray of bool, (runs,)
        The best full fit found runs off to infinity: the neuromanifold is not closed and
        the best loss is an infimum, approached but not attained.
    final_loss, best_loss, gradient_norm : numpy.ndarray, (runs,)
    plateau_steps, plateau_steps_near_subnetwork : numpy.ndarray of int, (runs,)
        As in :class:`nagviz.optimization.TrainingResult` (gradient descent).
    targets, theta_init : numpy.ndarray
    example : dict
        The trajectory of one stuck run (the first at a proper subnetwork, else the first
        stuck one, else run 0): ``run``, ``steps``, ``theta`` (records x parameters),
        ``loss`` and the index ``unit`` of its smallest unit at the end.
    """

    architecture: object
    method: str
    n_runs: int
    seeds: tuple
    init_scale: float
    learning_rate: float | None
    steps: int
    restarts: int
    inner_product: str
    dead_tolerance: float
    loss_tolerance: float
    gradient_tolerance: float
    seed_of_run: np.ndarray = field(repr=False)
    stuck: np.ndarray = field(repr=False)
    stuck_zero: np.ndarray = field(repr=False)
    at_subnetwork: np.ndarray = field(repr=False)
    above_best: np.ndarray = field(repr=False)
    diverged: np.ndarray = field(repr=False)
    at_infinity: np.ndarray = field(repr=False)
    converged: np.ndarray = field(repr=False)
    best_at_infinity: np.ndarray = field(repr=False)
    final_loss: np.ndarray = field(repr=False)
    best_loss: np.ndarray = field(repr=False)
    gradient_norm: np.ndarray = field(repr=False)
    plateau_steps: np.ndarray = field(repr=False)
    plateau_steps_near_subnetwork: np.ndarray = field(repr=False)
    targets: np.ndarray = field(repr=False)
    theta_init: np.ndarray = field(repr=False)
    example: dict = field(repr=False, default=None)

    @property
    def valid(self) -> np.ndarray:
        return ~self.diverged

    @property
    def n_valid(self) -> int:
        return int(self.valid.sum())

    @property
    def n_stuck(self) -> int:
        return int(self.stuck.sum())

    @property
    def n_stuck_proper(self) -> int:
        """Stuck at a subnetwork that is not the zero function."""
        return int((self.stuck & ~self.stuck_zero).sum())

    @property
    def fraction(self) -> float:
        return self.n_stuck / max(self.n_valid, 1)

    @property
    def interval(self) -> tuple:
        """95% Wilson interval of the stuck fraction (all seeds pooled)."""
        return wilson_interval(self.n_stuck, self.n_valid)

    @property
    def interval_proper(self) -> tuple:
        """95% Wilson interval of the fraction stuck at a proper subnetwork."""
        return wilson_interval(self.n_stuck_proper, self.n_valid)

    def seed_counts(self) -> list:
        """``(seed, stuck, valid, low, high)`` per seed."""
        out = []
        for s in self.seeds:
            here = self.seed_of_run == s
            k, n = int((self.stuck & here).sum()), int((self.valid & here).sum())
            out.append((s, k, n) + wilson_interval(k, n))
        return out

    def converged_counts(self) -> tuple:
        """``(stuck and converged, converged)``: the fraction among converged runs only."""
        ok = self.converged & self.valid
        return int((self.stuck & ok).sum()), int(ok.sum())

    def retrain(self, run: int):
        """Train run number ``run`` again alone, with its trajectory (a TrainingResult)."""
        kwargs = dict(method="gd" if self.learning_rate is not None else "lm",
                      lr=self.learning_rate or 1e-3, steps=self.steps,
                      theta0=self.theta_init[run], dead_tolerance=self.dead_tolerance)
        ip, scale = self._ip
        return train(self.architecture, self.targets[run], inner_product=ip,
                     input_scale=scale, **kwargs)

    @property
    def _ip(self):
        name = self.inner_product
        if name.startswith("gaussian"):
            return "gaussian", float(name.split("input scale ")[1].rstrip(")"))
        return name, 1.0

    def _lines(self):
        lo, hi = self.interval
        lr = f", learning rate {self.learning_rate:g}" if self.learning_rate is not None else ""
        k_c, n_c = self.converged_counts()
        per = "; ".join(f"seed {s}: {k}/{n}" for s, k, n, _, _ in self.seed_counts())
        return [
            f"SubnetworkRateResult: {self.method} on {self.architecture!r}",
            f"  ended at a subnetwork above the best full fit: {self.n_stuck} of "
            f"{self.n_valid} runs ({100 * self.fraction:.1f}%, 95% Wilson interval "
            f"[{100 * lo:.1f}%, {100 * hi:.1f}%]); at the zero function "
            f"{int(self.stuck_zero.sum())}, at a proper subnetwork {self.n_stuck_proper}",
            f"  per seed: {per}",
            f"  converged (gradient norm < {self.gradient_tolerance:g}): {n_c} of "
            f"{self.n_valid}, of these stuck {k_c}; diverged {int(self.diverged.sum())}; "
            f"parameters running off to infinity {int(self.at_infinity.sum())}",
            f"  targets whose best full fit runs off to infinity (best loss an infimum): "
            f"{int(self.best_at_infinity.sum())}",
            f"  {len(self.seeds)} seeds x {self.n_runs} runs x {self.steps} steps{lr}, init "
            f"scale {self.init_scale:g}; best fits from {self.restarts} LM restarts; "
            f"{self.inner_product}",
        ]


_RATE_FIELDS = ("seed_of_run", "stuck", "stuck_zero", "at_subnetwork", "above_best",
                "diverged", "at_infinity", "converged", "best_at_infinity", "final_loss",
                "best_loss", "gradient_norm", "plateau_steps", "plateau_steps_near_subnetwork",
                "targets", "theta_init")


def subnetwork_rate(arch, n_runs: int = 400, seeds=(0, 1, 2), init_scale: float = 1.0,
                    lr: float = 1e-3, steps: int = 20_000, *, method: str = "gd",
                    restarts: int = 20, inner_product: str = "euclidean",
                    input_scale: float = 1.0, dead_tolerance: float = 1e-4,
                    loss_tolerance: float = 1e-3, gradient_tolerance: float = 1e-6,
                    progress=None) -> SubnetworkRateResult:
    """How often training ends at a subnetwork above the best fit, over several seeds.

    The experiment of :func:`gd_subnetwork_experiment` with ``n_runs`` runs for each
    seed, batched: one vectorized training loop for all runs of all seeds, one
    Levenberg–Marquardt loop for all best fits. Cached in memory and on disk (JSON).

    Examples
    --------
    >>> r = subnetwork_rate(Architecture((2, 2, 1), "z^3 + z^2"), n_runs=4, seeds=(0, 1),
    ...                     steps=300, restarts=4)
    >>> r.n_valid + int(r.diverged.sum()), len(r.seed_counts())
    (8, 2)
    """
    arch = as_model(arch)
    if not isinstance(inner_product, str):
        raise TypeError("subnetwork_rate takes a named inner product")
    seeds = tuple(int(s) for s in seeds)
    if not seeds or int(n_runs) < 1:
        raise ValueError("give at least one seed and one run")
    d = _rate_cached(arch, int(n_runs), seeds, float(init_scale), float(lr), int(steps), method,
                     int(restarts), inner_product, float(input_scale), float(dead_tolerance),
                     float(loss_tolerance), float(gradient_tolerance), progress)
    arrays = {k: np.asarray(d[k], dtype=bool if k in _BOOL else
                            int if k in _INT else float) for k in _RATE_FIELDS}
    return SubnetworkRateResult(
        architecture=arch, method=d["method"], n_runs=int(n_runs), seeds=seeds,
        init_scale=float(init_scale), learning_rate=d["learning_rate"], steps=int(steps),
        restarts=int(restarts), inner_product=_fmt_ip(inner_product, input_scale),
        dead_tolerance=float(dead_tolerance), loss_tolerance=float(loss_tolerance),
        gradient_tolerance=float(gradient_tolerance), example=d["example"], **arrays)


_INT = {"seed_of_run", "plateau_steps", "plateau_steps_near_subnetwork"}
_BOOL = {"stuck", "stuck_zero", "at_subnetwork", "above_best", "diverged", "at_infinity",
         "converged", "best_at_infinity"}


def _valid_rate(value, arch, n_runs, seeds, *args, **kwargs):
    return isinstance(value, dict) and len(value.get("stuck", ())) == n_runs * len(seeds)


def _rate_targets(arch, n_runs, seeds, ip, input_scale):
    return np.concatenate([sample_targets(arch, n_runs, ip, input_scale, seed=s) for s in seeds])


def _rate_initial(arch, n_runs, seeds, init_scale):
    # as train(seed=s + 1) draws them for one seed
    return np.concatenate([init_scale * np.random.default_rng(
        np.random.SeedSequence(s + 1).spawn(2)[1]).standard_normal((n_runs, arch.n_parameters))
        for s in seeds])


def _rate_starts(arch, n_runs, seeds, init_scale, restarts):
    # as _best_fit(seed=s + 2) draws them for one seed: target i's restarts are rows
    # i * restarts, ..., (i + 1) * restarts - 1
    return np.concatenate([init_scale * np.random.default_rng(s + 2).standard_normal(
        (n_runs * restarts, arch.n_parameters)) for s in seeds])


def rate_inputs(arch, n_runs: int, seeds, init_scale: float = 1.0, restarts: int = 20,
                inner_product: str = "euclidean", input_scale: float = 1.0) -> dict:
    """The random inputs of :func:`subnetwork_rate`, run by run (all seeds, in order).

    Returns ``targets`` (runs, coefficients), ``theta_init`` (runs, parameters) and
    ``starts`` (runs, restarts, parameters): the Levenberg–Marquardt starts of each
    target's best fit. Run ``i`` of seed ``seeds[k]`` is row ``k * n_runs + i``.

    Examples
    --------
    >>> d = rate_inputs(Architecture((2, 2, 1), "z^3 + z^2"), 3, (0, 1), restarts=2)
    >>> d["targets"].shape, d["theta_init"].shape, d["starts"].shape
    ((6, 7), (6, 6), (6, 2, 6))
    """
    arch = as_model(arch)
    seeds = tuple(int(s) for s in seeds)
    n_runs, restarts = int(n_runs), int(restarts)
    starts = _rate_starts(arch, n_runs, seeds, float(init_scale), restarts)
    return dict(targets=_rate_targets(arch, n_runs, seeds, inner_product, float(input_scale)),
                theta_init=_rate_initial(arch, n_runs, seeds, float(init_scale)),
                starts=starts.reshape(n_runs * len(seeds), restarts, arch.n_parameters))


@memoize(maxsize=4)
def _rate_best_fits(arch, n_runs, seeds, init_scale, restarts, ip, input_scale):
    """The best full fits of the targets of all seeds, in one Levenberg–Marquardt batch
    (shared by the experiments that train the same model on the same targets)."""
    T = _rate_targets(arch, n_runs, seeds, ip, input_scale)
    starts = _rate_starts(arch, n_runs, seeds, init_scale, restarts)
    A, b = _problem(arch, T, ip, input_scale)
    fit = _best_fit(_model(arch), A, b, restarts, init_scale, None, None, starts=starts)
    return fit["loss"], fit["best_far"]


def _rate_records(arch, T, th0, fit_loss, fit_far, method, lr, steps, ip, input_scale,
                  dead_tolerance, loss_tolerance, gradient_tolerance, progress=None):
    """Train the runs (targets ``T``, starts ``th0``) and classify them: per-run records."""
    run = train(arch, T, method=method, lr=lr, steps=steps, theta0=th0,
                inner_product=ip, input_scale=input_scale, dead_tolerance=dead_tolerance,
                progress=progress)
    _, b = _problem(arch, T, ip, input_scale)
    best = np.minimum(fit_loss, np.where(run.diverged, np.inf, run.loss))
    above = run.loss > best * (1 + loss_tolerance) + 1e-9
    stuck = run.at_subnetwork & above & ~run.diverged
    grad = run.gradient_norm / np.maximum(1.0, np.einsum("bm,bm->b", b, b))
    out = dict(stuck=stuck, stuck_zero=stuck & run.at_zero_network,
               at_subnetwork=run.at_subnetwork, above_best=above, diverged=run.diverged,
               at_infinity=run.at_infinity, converged=(grad < gradient_tolerance) & ~run.diverged,
               best_at_infinity=np.asarray(fit_far, dtype=bool), final_loss=run.loss,
               best_loss=best, gradient_norm=grad, plateau_steps=run.plateau_steps,
               plateau_steps_near_subnetwork=run.plateau_steps_near_subnetwork)
    return run, out


def subnetwork_rate_runs(arch, runs, n_runs: int = 400, seeds=(0, 1, 2),
                         init_scale: float = 1.0, lr: float = 1e-3, steps: int = 20_000, *,
                         method: str = "gd", restarts: int = 20,
                         inner_product: str = "euclidean", input_scale: float = 1.0,
                         dead_tolerance: float = 1e-4, loss_tolerance: float = 1e-3,
                         gradient_tolerance: float = 1e-6) -> dict:
    """Some runs of :func:`subnetwork_rate`, trained again alone: their per-run records.

    ``runs`` are indices into all runs of all seeds (as in :func:`rate_inputs`); each run
    gets the target, initialization and best-fit starts it gets in the full experiment,
    so its records (``stuck``, ``final_loss``, ``best_loss``, ...: the arrays of
    :class:`SubnetworkRateResult`, one entry per run asked for) are the same. This is how
    shipped results are checked (:mod:`nagviz.shipped`).

    Examples
    --------
    >>> arch = Architecture((2, 2, 1), "z^3 + z^2")
    >>> part = subnetwork_rate_runs(arch, [1, 5], n_runs=4, seeds=(0, 1), steps=300, restarts=4)
    >>> full = subnetwork_rate(arch, n_runs=4, seeds=(0, 1), steps=300, restarts=4)
    >>> bool(np.allclose(part["final_loss"], full.final_loss[[1, 5]], rtol=1e-9))
    True
    """
    arch = as_model(arch)
    runs = np.asarray(runs, dtype=int).reshape(-1)
    inputs = rate_inputs(arch, n_runs, seeds, init_scale, restarts, inner_product, input_scale)
    total = len(inputs["targets"])
    if runs.size == 0 or runs.min() < 0 or runs.max() >= total:
        raise ValueError(f"runs must be indices in 0..{total - 1}")
    T, th0 = inputs["targets"][runs], inputs["theta_init"][runs]
    A, b = _problem(arch, T, inner_product, float(input_scale))
    starts = inputs["starts"][runs].reshape(-1, arch.n_parameters)
    fit = _best_fit(_model(arch), A, b, int(restarts), float(init_scale), None, None,
                    starts=starts)
    _, out = _rate_records(arch, T, th0, fit["loss"], fit["best_far"], method, float(lr),
                           int(steps), inner_product, float(input_scale),
                           float(dead_tolerance), float(loss_tolerance),
                           float(gradient_tolerance))
    return out


@memoize(maxsize=16, disk=True, ignore=("progress",), validate=_valid_rate)
def _rate_cached(arch, n_runs, seeds, init_scale, lr, steps, method, restarts, ip, input_scale,
                 dead_tolerance, loss_tolerance, gradient_tolerance, progress):
    T = _rate_targets(arch, n_runs, seeds, ip, input_scale)
    th0 = _rate_initial(arch, n_runs, seeds, init_scale)
    total = steps + 100

    def train_progress(done, _total):
        if progress is not None:
            progress(done, total)

    fit_loss, fit_far = _rate_best_fits(arch, n_runs, seeds, init_scale, restarts, ip,
                                        input_scale)
    run, out = _rate_records(arch, T, th0, fit_loss, fit_far, method, lr, steps, ip,
                             input_scale, dead_tolerance, loss_tolerance, gradient_tolerance,
                             train_progress)
    if progress is not None:
        progress(total, total)
    stuck = out["stuck"]
    proper = np.nonzero(stuck & ~run.at_zero_network)[0].tolist()
    i = (proper or np.nonzero(stuck)[0].tolist() or [0])[0]
    example = dict(run=int(i), steps=run.history_steps.tolist(),
                   theta=run.history_theta[:, i, :].tolist(),
                   loss=run.history_loss[:, i].tolist(),
                   unit=int(np.argmin(run.final_units[i])))
    out.update(method=run.method, learning_rate=run.learning_rate,
               seed_of_run=np.repeat(seeds, n_runs), targets=T, theta_init=th0)
    out = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in out.items()}
    out["example"] = example
    return out

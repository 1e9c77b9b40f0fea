"""Training polynomial networks: gradient descent and Levenberg–Marquardt in function space.

The loss is the squared distance in function space,

    ``L(w) = || f_w - t ||_G^2 = (c(w) - t)^T G (c(w) - t)``,

where ``c(w)`` is the coefficient vector of ``f_w`` (:func:`nagviz.coefficients`), ``t``
the coefficient vector of a target and ``G`` an inner product on the ambient space
(:func:`nagviz.inner_products.inner_product_matrix`). Two optimizers share one engine
(:func:`train`):

* **plain gradient descent**: ``w <- w - lr * grad L(w)``, fixed learning rate,
  vectorized over a batch of runs;
* **Levenberg–Marquardt**: damped Gauss–Newton steps ``(J^T J + mu D) dw = -J^T r``.

A run *ends at a subnetwork* when removing one hidden unit
(:class:`nagviz.units.Unit`) changes the learned function by less than a relative
tolerance (:func:`unit_contributions`).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from .model import as_model
from ._fitting import (ESCAPE_NORM, _contributions, _fmt_ip, _initial, _plateau_steps,
                       _problem, _run)
from ._models import _model
from ._results import LinesRepr
from .architecture import Architecture  # noqa: F401  (the Examples use it)
from .inner_products import gram_factor, inner_product_matrix, sample_targets

__all__ = [
    "train",
    "gradient_descent",
    "levenberg_marquardt",
    "unit_contributions",
    "TrainingResult",
]


def unit_contributions(arch, theta, inner_product="euclidean", input_scale: float = 1.0,
                       relative=True) -> np.ndarray:
    """How much each hidden unit contributes to the function: the distance to a subnetwork.

    For unit ``u``, ``||f_theta - f_theta'||_G`` where ``theta'`` sets the unit's
    parameters to zero. This bounds the distance from ``f_theta`` to the subnetwork locus
    from above, and it is zero exactly when the unit is switched off (in-weights zero,
    or out-weights zero).

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta : array_like, shape (..., n_parameters)
    inner_product, input_scale
        As in :func:`inner_product_matrix`.
    relative : bool, default True
        Divide by ``||f_theta||_G``.

    Returns
    -------
    numpy.ndarray, shape (..., n_units)

    Examples
    --------
    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> unit_contributions(a, [1.0, 0.0, 0.0, 0.0, 2.0, 5.0]).round(6).tolist()  # neuron 2 is off
    [1.0, 0.0]
    """
    arch = as_model(arch)
    theta = np.asarray(theta, dtype=float)
    flat = theta.reshape(-1, arch.n_parameters)
    model = _model(arch)
    A = gram_factor(inner_product_matrix(arch, inner_product, input_scale))
    if relative:
        scale = np.linalg.norm(model.coefficients(flat) @ A.T, axis=-1)
        scale = np.where(scale > 0, scale, 1.0)
    else:
        scale = np.ones(flat.shape[0])
    return _contributions(model, flat, A, scale).reshape(theta.shape[:-1] + (-1,))


@dataclass(frozen=True, repr=False)
class TrainingResult(LinesRepr):
    """A batch of training runs and their trajectories.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    method : str
        ``"gradient descent"`` or ``"Levenberg-Marquardt"``.
    learning_rate : float or None
        For gradient descent (``None`` for Levenberg–Marquardt, or when the runs of the
        batch use different rates: see ``learning_rates``).
    steps : int
    init_scale : float
        Standard deviation of the Gaussian initialization.
    inner_product : str
    seed : int or None
    targets : numpy.ndarray, (runs, ambient)
    theta_init, theta : numpy.ndarray, (runs, n_parameters)
        Initial and final parameters.
    loss_init, loss : numpy.ndarray, (runs,)
        Initial and final loss ``||f - t||_G^2`` (a sum of squares).
    diverged : numpy.ndarray of bool, (runs,)
    history_steps : numpy.ndarray, (K,)
        The steps at which the trajectory was recorded.
    history_loss : numpy.ndarray, (K, runs)
    history_theta : numpy.ndarray, (K, runs, n_parameters)
    history_coefficients : numpy.ndarray, (K, runs, ambient)
        The trajectory in function space.
    history_units : numpy.ndarray, (K, runs, n_units)
        Relative contribution of each hidden unit (:func:`unit_contributions`) over time:
        the distance to the subnetwork without that unit.
    units : tuple of Unit
    final_units : numpy.ndarray, (runs, n_units)
    dead_tolerance : float
    at_subnetwork : numpy.ndarray of bool, (runs,)
        Whether some unit's contribution is below ``dead_tolerance`` at the end, relative
        to the larger of ``||f||_G`` and ``||t||_G`` (runs at infinity excluded).
    at_infinity : numpy.ndarray of bool, (runs,)
        Runs whose parameters ended beyond ``ESCAPE_NORM``: they approach a point of the
        closure of the neuromanifold that no finite parameter reaches, and small
        parameters there say nothing about subnetworks.
    at_zero_network : numpy.ndarray of bool, (runs,)
        Runs at a subnetwork whose learned function is itself small (relative size below
        ``near_tolerance``): the trivial subnetwork, the zero function.
    plateau_steps : numpy.ndarray of int, (runs,)
        Steps spent on plateaus that were later left (relative loss decrease per step
        below ``plateau_rate`` while the loss still fell by more than 1% afterwards).
    plateau_steps_near_subnetwork : numpy.ndarray of int, (runs,)
        The part of those steps spent within relative distance ``near_tolerance`` of a
        subnetwork (measured at the recorded steps).
    plateau_rate, near_tolerance : float
    gradient_norm : numpy.ndarray, (runs,)
        ``||grad L||`` at the end of each run: a run has *converged* (to a critical point
        of the loss) when it is below a tolerance (:meth:`converged`).
    learning_rates : numpy.ndarray, (runs,) or None
        The learning rate of each run (gradient descent).
    """

    architecture: object
    method: str
    learning_rate: float | None
    steps: int
    init_scale: float
    inner_product: str
    seed: int | None
    targets: np.ndarray = field(repr=False)
    theta_init: np.ndarray = field(repr=False)
    theta: np.ndarray = field(repr=False)
    loss_init: np.ndarray = field(repr=False)
    loss: np.ndarray = field(repr=False)
    diverged: np.ndarray = field(repr=False)
    history_steps: np.ndarray = field(repr=False)
    history_loss: np.ndarray = field(repr=False)
    history_theta: np.ndarray = field(repr=False)
    history_coefficients: np.ndarray = field(repr=False)
    history_units: np.ndarray = field(repr=False)
    units: tuple = field(repr=False)
    final_units: np.ndarray = field(repr=False)
    dead_tolerance: float = 1e-4
    at_subnetwork: np.ndarray = field(repr=False, default=None)
    at_zero_network: np.ndarray = field(repr=False, default=None)
    at_infinity: np.ndarray = field(repr=False, default=None)
    plateau_steps: np.ndarray = field(repr=False, default=None)
    plateau_steps_near_subnetwork: np.ndarray = field(repr=False, default=None)
    plateau_rate: float = 1e-5
    near_tolerance: float = 1e-2
    gradient_norm: np.ndarray = field(repr=False, default=None)
    learning_rates: np.ndarray = field(repr=False, default=None)

    @property
    def n_runs(self) -> int:
        return int(self.theta.shape[0])

    def converged(self, tolerance: float = 1e-6) -> np.ndarray:
        """Runs whose final gradient norm is below ``tolerance`` (and that did not diverge).

        Examples
        --------
        >>> run = levenberg_marquardt(Architecture((2, 2, 1), 2), [1.0, 0.0, -1.0], steps=100)
        >>> run.converged().tolist()
        [True]
        """
        return (self.gradient_norm < tolerance) & ~self.diverged

    def select(self, runs) -> "TrainingResult":
        """The same result restricted to some runs (indices or a boolean mask), in order.

        An experiment batches many settings into one call of :func:`train` and reads
        each setting back with ``select``.

        Examples
        --------
        >>> run = train(Architecture((2, 2, 1), 2), n_runs=4, lr=[0.01, 0.01, 0.02, 0.02],
        ...             steps=50, seed=0)
        >>> part = run.select([2, 3])
        >>> part.n_runs, part.learning_rate, bool((part.loss == run.loss[2:]).all())
        (2, 0.02, True)
        """
        idx = np.arange(self.n_runs)[runs if isinstance(runs, slice) else np.asarray(runs)]
        axis1 = {"history_loss", "history_theta", "history_coefficients", "history_units"}
        changes = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, np.ndarray) or f.name == "history_steps":
                continue
            changes[f.name] = value[:, idx] if f.name in axis1 else value[idx]
        lr = self.learning_rate
        if self.learning_rates is not None:
            rates = np.unique(self.learning_rates[idx])
            lr = float(rates[0]) if len(rates) == 1 else None
        return replace(self, learning_rate=lr, **changes)

    def dead_units(self, run: int) -> list:
        """The units of one run whose contribution is below ``dead_tolerance`` at the end."""
        return [u for u, s in zip(self.units, self.final_units[run]) if s < self.dead_tolerance]

    def _lines(self):
        lr = f", learning rate {self.learning_rate:g}" if self.learning_rate is not None else ""
        ok = ~self.diverged
        med = float(np.median(self.loss[ok])) if ok.any() else float("nan")
        low = float(self.loss[ok].min()) if ok.any() else float("nan")
        return [
            f"TrainingResult: {self.n_runs} run(s) of {self.method} on {self.architecture!r}",
            f"  {self.steps} steps{lr}, init scale {self.init_scale:g}, inner product "
            f"{self.inner_product}, seed {self.seed}",
            f"  final loss (sum of squares): median {med:.4g}, min {low:.4g}; "
            f"diverged {int(self.diverged.sum())}",
            f"  ended at a subnetwork (a unit's relative contribution < {self.dead_tolerance:g}): "
            f"{int(self.at_subnetwork.sum())} of {self.n_runs}, of which at the zero function: "
            f"{int(self.at_zero_network.sum())}; parameters running off to infinity: "
            f"{int(self.at_infinity.sum())}",
            f"  plateau steps (median): {int(np.median(self.plateau_steps))}, near a subnetwork: "
            f"{int(np.median(self.plateau_steps_near_subnetwork))}",
        ]


def train(arch, targets=None, *, n_runs: int | None = None, method: str = "gd",
          lr: float = 1e-3, steps: int = 20_000, init_scale: float = 1.0, theta0=None,
          record_every: int | None = None, inner_product="euclidean", input_scale: float = 1.0,
          dead_tolerance: float = 1e-4, plateau_rate: float = 1e-5,
          near_tolerance: float = 1e-2, seed=0, progress=None) -> TrainingResult:
    """Train a batch of networks on the squared loss in function space.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    targets : array_like, shape (ambient,) or (runs, ambient), optional
        Target coefficient vectors; default: ``n_runs`` Gaussian targets
        (:func:`sample_targets`, seeded by ``seed``).
    n_runs : int, optional
        Number of runs (default: the number of targets, or 1).
    method : {"gd", "lm"}
        Plain gradient descent with fixed learning rate, or Levenberg–Marquardt.
    lr : float or array_like, shape (runs,)
        Learning rate of gradient descent: one for all runs, or one per run (all runs
        still move in one vectorized loop).
    steps : int
        Iterations.
    init_scale : float
        Standard deviation of the Gaussian initialization.
    theta0 : array_like, optional
        Initial parameters (one vector for all runs, or one per run).
    record_every : int, optional
        Record the trajectory every so many steps (default: about 200 records).
    inner_product, input_scale
        The inner product of the loss (:func:`inner_product_matrix`).
    dead_tolerance : float
        A run ends at a subnetwork when some unit's relative contribution is below this.
    plateau_rate, near_tolerance : float
        See :class:`TrainingResult`.
    seed : int
        Seeds the targets (if not given) and the initialization.
    progress : callable, optional
        Called as ``progress(done, total)`` during the run.

    Returns
    -------
    TrainingResult

    Examples
    --------
    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> run = train(a, n_runs=2, lr=1e-3, steps=200, seed=0)
    >>> run.history_coefficients.shape[1:], run.diverged.tolist()   # a fixed step can blow up
    ((2, 7), [True, False])
    >>> bool(run.loss[1] < run.loss_init[1])
    True
    """
    arch = as_model(arch)
    if method not in ("gd", "lm"):
        raise ValueError(f"method must be 'gd' or 'lm', got {method!r}")
    model = _model(arch)
    target_seed, init_seed = np.random.SeedSequence(seed).spawn(2)
    if targets is None:
        k = 1 if n_runs is None else int(n_runs)
        targets = sample_targets(arch, k, inner_product, input_scale, seed=target_seed)
    t = np.atleast_2d(np.asarray(targets, dtype=float))
    n_runs = t.shape[0] if n_runs is None else int(n_runs)
    if t.shape[0] == 1 and n_runs > 1:
        t = np.repeat(t, n_runs, axis=0)
    if t.shape[0] != n_runs:
        raise ValueError(f"{t.shape[0]} targets for {n_runs} runs")
    A, b = _problem(arch, t, inner_product, input_scale)
    th0 = _initial(arch, n_runs, init_scale, init_seed, theta0)
    rates = None
    if method == "gd":
        rates = np.broadcast_to(np.asarray(lr, dtype=float), (n_runs,)).copy()
        if not np.all(rates > 0):
            raise ValueError("learning rates must be positive")
        lr = rates if len(np.unique(rates)) > 1 else float(rates[0])
    steps = int(steps)
    record_every = max(1, steps // 200) if record_every is None else int(record_every)
    out = _run(model, A, b, th0, method=method, lr=lr, steps=steps, record_every=record_every,
               progress=progress)
    H = out["history_theta"]
    K = H.shape[0]
    flat = H.reshape(-1, arch.n_parameters)
    with np.errstate(all="ignore"):
        coeffs = model.coefficients(np.nan_to_num(flat)).reshape(K, n_runs, -1)
        # relative to the larger of ||f||_G and ||t||_G
        f_norm = np.linalg.norm(coeffs.reshape(K * n_runs, -1) @ A.T, axis=-1)
        scale = np.maximum(f_norm, np.tile(np.linalg.norm(b, axis=-1), K))
        scale = np.where(scale > 0, scale, 1.0)
        units = _contributions(model, np.nan_to_num(flat), A, scale).reshape(K, n_runs, -1)
        f_rel = (f_norm / scale).reshape(K, n_runs)
    final_units = units[-1]
    with np.errstate(all="ignore"):
        grad_norm = np.linalg.norm(model.loss_gradient(np.nan_to_num(out["theta"]), A, b)[1],
                                   axis=1)
    at_infinity = (np.linalg.norm(out["theta"], axis=1) > ESCAPE_NORM) & ~out["diverged"]
    at_sub = (final_units.min(axis=1) < dead_tolerance) & ~out["diverged"] & ~at_infinity
    at_zero = at_sub & (f_rel[-1] < near_tolerance)
    plateau = _plateau_steps(out["history_loss"], out["history_steps"], out["loss"], plateau_rate)
    near = np.zeros(n_runs, dtype=int)
    L = out["history_loss"]
    for k in range(1, K):
        n = out["history_steps"][k] - out["history_steps"][k - 1]
        dec = (L[k - 1] - L[k]) / np.maximum(L[k - 1], 1e-300) / max(n, 1)
        flat_here = (dec < plateau_rate) & (out["loss"] < 0.99 * L[k])
        near += np.where(flat_here & (units[k].min(axis=1) < near_tolerance), n, 0)
    return TrainingResult(
        architecture=arch,
        method="gradient descent" if method == "gd" else "Levenberg-Marquardt",
        learning_rate=float(lr) if method == "gd" and np.ndim(lr) == 0 else None,
        steps=steps, init_scale=float(init_scale),
        inner_product=_fmt_ip(inner_product, input_scale),
        seed=None if seed is None else int(seed),
        targets=t, theta_init=th0, theta=out["theta"], loss_init=L[0], loss=out["loss"],
        diverged=out["diverged"], history_steps=out["history_steps"], history_loss=L,
        history_theta=H, history_coefficients=coeffs, history_units=units,
        units=model.units, final_units=final_units, dead_tolerance=float(dead_tolerance),
        at_subnetwork=at_sub, at_zero_network=at_zero, at_infinity=at_infinity,
        plateau_steps=plateau, plateau_steps_near_subnetwork=near,
        plateau_rate=float(plateau_rate), near_tolerance=float(near_tolerance),
        gradient_norm=grad_norm, learning_rates=rates,
    )


def gradient_descent(arch, targets=None, **kwargs) -> TrainingResult:
    """Plain gradient descent with a fixed learning rate: :func:`train` with ``method="gd"``.

    Examples
    --------
    >>> run = gradient_descent(Architecture((2, 1, 1), 2), [1.0, 0.0, 1.0], steps=300,
    ...                        lr=0.01, seed=1)
    >>> run.method, run.n_runs
    ('gradient descent', 1)
    """
    return train(arch, targets, method="gd", **kwargs)


def levenberg_marquardt(arch, targets=None, **kwargs) -> TrainingResult:
    """Levenberg–Marquardt (damped Gauss–Newton): :func:`train` with ``method="lm"``.

    Examples
    --------
    >>> run = levenberg_marquardt(Architecture((2, 2, 1), 2), [1.0, 0.0, -1.0], steps=100)
    >>> bool(run.loss[0] < 1e-12)        # (2,2,1) with z^2 fills the plane of quadratics
    True
    """
    return train(arch, targets, method="lm", **kwargs)

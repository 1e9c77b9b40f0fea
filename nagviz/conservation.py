"""Quantities that gradient flow conserves, from the symmetries of the parameterization.

**Noether's theorem for gradient flow.** Let ``g_t`` be a one-parameter group acting on
parameters with ``phi(g_t theta) = phi(theta)``, so every loss ``L = l o phi`` satisfies
``L(g_t theta) = L(theta)``. Differentiating at ``t = 0`` gives ``<grad L(theta), v(theta)> = 0``
with ``v`` the generator's vector field: *the gradient is orthogonal to the orbits*. When
``v(theta) = S theta`` with a symmetric matrix ``S``, ``v`` is half the gradient of
``Q(theta) = theta^T S theta``, and along gradient flow ``theta' = -grad L``

    ``dQ/dt = 2 theta^T S theta' = -2 <v(theta), grad L(theta)> = 0``.

* ``sigma = z^r``: rescaling hidden neuron ``j`` (incoming weights times ``e^t``,
  outgoing times ``e^(-r t)``) has the diagonal ``S = diag(1 on w_in, -r on w_out)``:
  ``Q_j = ||w_in||^2 - r ||w_out||^2``.
* linear networks: ``GL(d_l)`` acts by ``W_l -> G W_l``, ``W_{l+1} -> W_{l+1} G^{-1}``; the
  symmetric generators give the entries of ``W_l W_l^T - W_{l+1}^T W_{l+1}``.

:func:`conserved_quantities` reads these off any :class:`nagviz.model.Model` through its
symmetry directions. Gradient *descent* with step ``eta`` conserves them only
approximately: since ``theta^T S g = 0``, one step changes ``Q`` by exactly
``eta^2 g^T S g``, so over a fixed training time the drift shrinks linearly with ``eta``
(:func:`drift_study` measures it). :func:`gradient_descent` is a small batched gradient
descent for the squared loss ``||A c(theta) - b||^2`` in coefficient space,
:func:`balance` moves a point along its rescaling orbits (same function) to ``Q = 0``,
and :func:`balanced_initialization_experiment` compares training from both.

Pure mathematics: numpy and scipy only.

Examples
--------
>>> import nagviz
>>> cq = conserved_quantities(nagviz.Architecture((2, 2, 1), 2))
>>> cq.values([1.0, 2.0, 0.0, 1.0, 3.0, -1.0]).tolist()    # 1 + 4 - 2 * 9, 0 + 1 - 2 * 1
[-13.0, -1.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._results import LinesRepr
from .cache import memoize
from .fibers import symmetry_generators
from .statistics import wilson_interval
from .model import Model, as_model

__all__ = [
    "BalancedExperiment",
    "ConservedQuantities",
    "DescentRun",
    "DriftStudy",
    "balance",
    "balanced_initialization_experiment",
    "conserved_quantities",
    "drift_study",
    "gradient_descent",
    "gradient_flow",
    "hyperboloid_mesh",
    "relative_drift",
]


# --------------------------------------------------------------------------- the quantities

@dataclass(frozen=True, repr=False)
class ConservedQuantities(LinesRepr):
    """Quadratic forms ``Q_k(theta) = theta^T S_k theta`` that gradient flow conserves.

    Attributes
    ----------
    model : Model
    matrices : numpy.ndarray, shape (m, P, P)
        Symmetric matrices ``S_k``; each is itself a symmetry generator of the model.
    generators : tuple of int
        For each ``S_k``, the symmetry direction it was read from.
    """

    model: Model
    matrices: np.ndarray = field(repr=False)
    generators: tuple

    def __len__(self) -> int:
        return int(self.matrices.shape[0])

    def values(self, theta) -> np.ndarray:
        """``Q_k(theta)`` for one vector (shape (m,)) or a batch (shape (..., m))."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.model.n_parameters:
            raise ValueError(f"{self.model.describe()} has {self.model.n_parameters} "
                             f"parameters; got shape {theta.shape}")
        return np.einsum("...p,kpq,...q->...k", theta, self.matrices, theta)

    def scales(self, theta) -> np.ndarray:
        """``theta^T |S_k| theta``: the size of the terms that cancel in ``Q_k``."""
        theta = np.asarray(theta, dtype=float)
        return np.einsum("...p,kpq,...q->...k", np.abs(theta), np.abs(self.matrices),
                         np.abs(theta))

    def _lines(self):
        return [f"Conserved quantities of {self.model.describe()}",
                f"  {len(self)} quadratic forms theta^T S theta, S symmetric generators of "
                f"the symmetry group (from directions {list(self.generators)})"]


def conserved_quantities(model) -> ConservedQuantities:
    """The quadratic conserved quantities of gradient flow that the symmetries give.

    For each linear symmetry field ``v_k(theta) = A_k theta`` of the model (see
    :func:`nagviz.fibers.symmetry_generators`) whose symmetric part ``S = (A_k + A_k^T)/2``
    is again in the span of the generators, ``theta^T S theta`` is conserved (module
    docstring). Linearly dependent forms are dropped. Affine fields (translations of
    biases) give no quadratic quantity and are skipped.

    Examples
    --------
    A linear network ``(2, 2, 2)``: the three entries of the symmetric 2x2 matrix
    ``W_1 W_1^T - W_2^T W_2``.

    >>> import nagviz
    >>> len(conserved_quantities(nagviz.Architecture((2, 2, 2), 1)))
    3
    """
    model = as_model(model)
    A, b = symmetry_generators(model)
    P = model.n_parameters
    span = A.reshape(A.shape[0], -1).T if A.shape[0] else np.zeros((P * P, 0))
    kept, idx, flat = [], [], np.zeros((0, P * P))
    for k in range(A.shape[0]):
        if np.any(np.abs(b[k]) > 1e-12):
            continue
        S = 0.5 * (A[k] + A[k].T)
        if not np.any(S):
            continue
        coef = np.linalg.lstsq(span, S.reshape(-1), rcond=None)[0]
        if np.linalg.norm(span @ coef - S.reshape(-1)) > 1e-9 * np.linalg.norm(S):
            continue
        trial = np.vstack([flat, S.reshape(1, -1)])
        if np.linalg.matrix_rank(trial, tol=1e-9) > flat.shape[0]:
            flat = trial
            kept.append(S)
            idx.append(k)
    mats = np.array(kept) if kept else np.zeros((0, P, P))
    return ConservedQuantities(model, mats, tuple(idx))


def relative_drift(quantities: ConservedQuantities, start, end) -> np.ndarray:
    """``max_k |Q_k(end) - Q_k(start)| / theta_0^T |S_k| theta_0`` per run.

    Relative to the size of the terms that cancel, so a quantity that starts near zero
    (a balanced point) is not divided by zero.

    Examples
    --------
    >>> import nagviz
    >>> cq = conserved_quantities(nagviz.Architecture((1, 1, 1), 2))    # w^2 - 2 v^2
    >>> relative_drift(cq, [1.0, 1.0], [1.0, 1.1]).round(6).tolist()    # 0.42 / 3
    0.14
    """
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    dq = np.abs(quantities.values(end) - quantities.values(start))
    scale = np.maximum(quantities.scales(start), 1e-300)
    return np.max(dq / scale, axis=-1)


# --------------------------------------------------------------------------- training

@dataclass(frozen=True, repr=False)
class DescentRun(LinesRepr):
    """A batch of gradient-descent runs on ``L = ||A c(theta) - b||^2``.

    Attributes
    ----------
    thetas : numpy.ndarray, shape (R, B, P)
        Parameters at the recorded steps ``recorded`` (step 0 first, the last step last).
    losses : numpy.ndarray, shape (R, B)
    recorded : numpy.ndarray of int, shape (R,)
    diverged : numpy.ndarray of bool, shape (B,)
        Runs whose parameters overflowed; they are frozen at their last finite point.
    lr, steps : float, int
    """

    model: Model
    thetas: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    recorded: np.ndarray = field(repr=False)
    diverged: np.ndarray = field(repr=False)
    lr: float
    steps: int

    @property
    def final(self) -> np.ndarray:
        return self.thetas[-1]

    def _lines(self):
        return [f"Gradient descent on {self.model.describe()}",
                f"  {self.thetas.shape[1]} runs, {self.steps} steps of size {self.lr:g}, "
                f"{int(self.diverged.sum())} diverged",
                f"  final loss: median {np.median(self.losses[-1]):.2e}"]


def gradient_descent(model, theta0, A, b, *, lr: float, steps: int,
                     record_every: int = 1) -> DescentRun:
    """Plain gradient descent ``theta <- theta - lr * grad L``, vectorised over runs.

    ``L(theta) = ||A c(theta) - b||^2`` with ``c`` the coefficient map of the model
    (:meth:`~nagviz.model.Model.coefficient_map`).

    Parameters
    ----------
    model : Model
    theta0 : array_like, shape (B, P) or (P,)
    A : array_like, shape (m, ambient)
    b : array_like, shape (m,) or (B, m)
        One target for all runs, or one per run.
    lr : float
    steps : int
    record_every : int
        Record the parameters every this many steps (and at the last step).

    Examples
    --------
    >>> import nagviz
    >>> a = nagviz.Architecture((1, 1, 1), 2)                # f = v w^2 x^2
    >>> run = gradient_descent(a, [1.0, 1.0], [[1.0]], [2.0], lr=0.01, steps=2000)
    >>> round(float(run.losses[-1, 0]), 8)
    0.0
    """
    model = as_model(model)
    theta = np.array(theta0, dtype=float, ndmin=2)
    if theta.shape[-1] != model.n_parameters or theta.ndim != 2:
        raise ValueError(f"theta0 must have shape (B, {model.n_parameters}), got {np.shape(theta0)}")
    if not lr > 0 or int(steps) < 0 or int(record_every) < 1:
        raise ValueError("lr must be positive, steps >= 0 and record_every >= 1")
    A = np.asarray(A, dtype=float)
    b = np.broadcast_to(np.asarray(b, dtype=float), (theta.shape[0], A.shape[0]))
    cmap = model.coefficient_map()
    steps = int(steps)
    diverged = np.zeros(theta.shape[0], dtype=bool)
    thetas, losses, recorded = [], [], []
    every = int(record_every)
    with np.errstate(all="ignore"):
        for step in range(steps + 1):
            loss, grad = cmap.loss_gradient(theta, A, b)
            diverged |= ~np.isfinite(loss) | ~np.isfinite(grad).all(axis=1)
            if step % every == 0 or step == steps:
                thetas.append(theta.copy())
                losses.append(np.where(diverged, np.inf, loss))
                recorded.append(step)
            if step == steps:
                break
            any_diverged = diverged.any()     # usually none: skip the masking
            new = theta - lr * (np.where(diverged[:, None], 0.0, grad) if any_diverged else grad)
            diverged |= ~(np.abs(new).max(axis=1) <= 1e12)      # also inf and NaN
            theta = np.where(diverged[:, None], theta, new) if diverged.any() else new
    return DescentRun(model, np.array(thetas), np.array(losses), np.array(recorded),
                      diverged, float(lr), steps)


def gradient_flow(model, theta0, A, b, *, time: float, samples: int = 50,
                  rtol: float = 1e-10) -> DescentRun:
    """The gradient flow ``theta' = -grad L`` itself, by an adaptive Runge-Kutta method.

    The same loss as :func:`gradient_descent`; integrated with scipy's ``DOP853`` at
    relative tolerance ``rtol`` (all runs as one system), recorded at ``samples`` equally
    spaced times. The result is a :class:`DescentRun` with ``lr = 0`` and ``steps`` the
    number of right-hand-side evaluations.

    Examples
    --------
    >>> import nagviz
    >>> a = nagviz.Architecture((1, 1, 1), 2)
    >>> flow = gradient_flow(a, [1.0, 1.0], [[1.0]], [2.0], time=1.0)
    >>> q = flow.thetas[:, 0, 0] ** 2 - 2 * flow.thetas[:, 0, 1] ** 2      # w^2 - 2 v^2
    >>> bool(np.abs(q - q[0]).max() < 1e-8), bool(flow.losses[-1, 0] < 0.1)
    (True, True)
    """
    from scipy.integrate import solve_ivp

    model = as_model(model)
    theta = np.array(theta0, dtype=float, ndmin=2)
    if theta.shape[-1] != model.n_parameters or theta.ndim != 2:
        raise ValueError(f"theta0 must have shape (B, {model.n_parameters}), got {np.shape(theta0)}")
    if not time > 0:
        raise ValueError(f"time must be positive, got {time!r}")
    A = np.asarray(A, dtype=float)
    B, P = theta.shape
    b = np.broadcast_to(np.asarray(b, dtype=float), (B, A.shape[0]))
    cmap = model.coefficient_map()

    def rhs(_, y):
        return -cmap.loss_gradient(y.reshape(B, P), A, b)[1].reshape(-1)

    ts = np.linspace(0.0, float(time), int(samples))
    sol = solve_ivp(rhs, (0.0, float(time)), theta.reshape(-1), method="DOP853", t_eval=ts,
                    rtol=rtol, atol=rtol * 1e-2)
    thetas = sol.y.T.reshape(-1, B, P)
    losses = np.array([cmap.loss_gradient(t, A, b)[0] for t in thetas])
    return DescentRun(model, thetas, losses, ts, np.zeros(B, dtype=bool), 0.0, int(sol.nfev))


# --------------------------------------------------------------------------- drift vs step size

@dataclass(frozen=True, repr=False)
class DriftStudy(LinesRepr):
    """Relative drift of the conserved quantities after a fixed training time, per step size.

    Attributes
    ----------
    lrs : tuple of float
    drifts : numpy.ndarray, shape (len(lrs), runs)
        :func:`relative_drift` of each run at time ``time`` (``steps = time / lr``);
        NaN for diverged runs.
    diverged : numpy.ndarray, shape (len(lrs),)
        Number of diverged runs per step size.
    slope : float
        Least-squares slope of ``log median drift`` against ``log lr``: about 1 when the
        drift is the accumulated ``lr^2 g^T S g`` of ``time / lr`` steps.
    time : float
    seeds : tuple of int
    """

    model: Model
    lrs: tuple
    drifts: np.ndarray = field(repr=False)
    diverged: np.ndarray = field(repr=False)
    slope: float
    time: float
    seeds: tuple

    def plot(self, ax=None):
        """Drift against step size, log-log, with matplotlib (:func:`nagviz.plotting.plot_drift`); returns the matplotlib axes."""
        from .plotting import plot_drift

        return plot_drift(self, ax=ax)

    def medians(self) -> np.ndarray:
        return np.nanmedian(self.drifts, axis=1)

    def _lines(self):
        lines = [f"Drift of the conserved quantities, {self.model.describe()}",
                 f"  training time {self.time:g}, {self.drifts.shape[1]} runs per step size "
                 f"(seeds {list(self.seeds)})",
                 "  step size   median rel. drift   90% quantile   diverged"]
        for lr, row, div in zip(self.lrs, self.drifts, self.diverged):
            lines.append(f"  {lr:<10g}  {np.nanmedian(row):<18.2e}  "
                         f"{np.nanquantile(row, 0.9):<13.2e}  {int(div)}")
        lines.append(f"  log-log slope {self.slope:.2f} (drift proportional to the step size)")
        return lines


def drift_study(model, lrs, *, time: float = 1.0, runs_per_seed: int = 50,
                seeds=(0, 1, 2, 3), init_scale: float = 1.0) -> DriftStudy:
    """Train for a fixed time ``time`` with several step sizes and measure the drift.

    For each seed: ``runs_per_seed`` Gaussian initial points (scale ``init_scale``) and
    Gaussian targets in coefficient space (``A = I``); the same runs for every step size.

    Examples
    --------
    >>> import nagviz
    >>> st = drift_study(nagviz.Architecture((2, 1, 1), 2), [0.01, 0.001], time=0.5,
    ...                  runs_per_seed=10, seeds=(0,))
    >>> bool(0.8 < st.slope < 1.2)
    True
    """
    model = as_model(model)
    if not len(conserved_quantities(model)):
        raise ValueError(f"{model.describe()} has no quadratic conserved quantity")
    lrs = tuple(float(x) for x in lrs)
    seeds = tuple(int(s) for s in seeds)
    data = _drift_runs(model, lrs, float(time), int(runs_per_seed), seeds, float(init_scale))
    drifts, diverged = data["drifts"].copy(), data["diverged"].copy()
    med = np.nanmedian(drifts, axis=1)
    ok = np.isfinite(med) & (med > 0)
    slope = float(np.polyfit(np.log(np.asarray(lrs)[ok]), np.log(med[ok]), 1)[0]) \
        if ok.sum() >= 2 else float("nan")
    return DriftStudy(model, lrs, drifts, diverged, slope, float(time), seeds)


def _valid_drifts(data, model, lrs, time, runs_per_seed, seeds, init_scale):
    return (set(data) == {"drifts", "diverged"}
            and data["drifts"].shape == (len(lrs), runs_per_seed * len(seeds))
            and data["diverged"].shape == (len(lrs),))


@memoize("conservation.drift_runs", disk=True, maxsize=8, encode=lambda d: _encode_runs(d),
         decode=lambda r: _decode_runs(r), validate=_valid_drifts)
def _drift_runs(model, lrs, time, runs_per_seed, seeds, init_scale):
    """The runs of :func:`drift_study` (memoized, on disk too): the relative drift of every
    run per step size (NaN if it diverged) and the number of diverged runs."""
    cq = conserved_quantities(model)
    m = model.ambient_dimension
    starts, targets = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        starts.append(init_scale * rng.standard_normal((runs_per_seed, model.n_parameters)))
        targets.append(rng.standard_normal((runs_per_seed, m)))
    theta0, b = np.vstack(starts), np.vstack(targets)
    drifts, diverged = [], []
    for lr in lrs:
        steps = max(1, int(round(time / lr)))
        run = gradient_descent(model, theta0, np.eye(m), b, lr=lr, steps=steps,
                               record_every=steps)
        d = relative_drift(cq, theta0, run.final)
        drifts.append(np.where(run.diverged, np.nan, d))
        diverged.append(int(run.diverged.sum()))
    return {"drifts": np.array(drifts), "diverged": np.array(diverged)}


# --------------------------------------------------------------------------- balancing

def balance(model, theta, *, tol: float = 1e-12, sweeps: int = 200) -> np.ndarray:
    """The point of the rescaling orbit of ``theta`` where the rescalings' quantities vanish.

    Moves ``theta`` along the diagonal symmetry generators (rescalings of ``z^r``
    neurons, or of CNN filters) only, so the function does not change. Along the orbit of
    generator ``k`` the quantity ``Q_k`` is increasing, so each has one root; for deep
    networks the roots are found in sweeps until all ``|Q_k|`` are below
    ``tol * theta^T |S_k| theta``. For ``r >= 2`` these are all the conserved quantities;
    for a linear network with a hidden layer wider than one, only the diagonal entries of
    ``W_i W_i^T - W_{i+1}^T W_{i+1}`` are zeroed. ``theta`` may be one point (shape (P,))
    or a batch (shape (B, P)), balanced together, each row as if alone.

    Examples
    --------
    >>> import nagviz
    >>> a = nagviz.Architecture((1, 1, 1), 2)
    >>> t = balance(a, [1.0, 4.0])                         # w^2 = 2 v^2, w^2 v fixed
    >>> bool(abs(t[0] ** 2 - 2 * t[1] ** 2) < 1e-9), round(float(t[0] ** 2 * t[1]), 9)
    (True, 4.0)
    >>> balance(a, [[1.0, 4.0], [2.0, 1.0]]).round(6).tolist()[1] == balance(a, [2.0, 1.0]).round(6).tolist()
    True
    """
    from scipy.optimize import brentq

    model = as_model(model)
    theta = np.array(theta, dtype=float)
    single = theta.ndim == 1
    T = np.atleast_2d(theta).copy()
    A, b = symmetry_generators(model)
    diag = [k for k in range(A.shape[0])
            if not np.any(b[k]) and np.allclose(A[k], np.diag(np.diag(A[k])))]
    if not diag:
        raise ValueError(f"{model.describe()} has no rescaling symmetry to balance with")
    for _ in range(int(sweeps)):
        worst = np.zeros(T.shape[0])
        for k in diag:
            a = np.diag(A[k])
            sq = T ** 2
            q0 = np.sum(a * sq, axis=1)
            scale = np.sum(np.abs(a) * sq, axis=1)
            active = (scale != 0) & ~(np.abs(q0) <= tol * scale)
            if not active.any():
                continue
            worst[active] = np.maximum(worst[active], np.abs(q0[active]) / scale[active])
            rates = np.unique(a[a != 0])
            if len(rates) == 2 and rates[0] < 0 < rates[1]:
                # a rescaling: rates alpha = rates[1] on one side, -beta = rates[0] on the other,
                # so Q(t) = alpha P e^{2 alpha t} - beta N e^{-2 beta t} has one explicit root
                alpha, beta = rates[1], -rates[0]
                P, N = np.sum(sq[:, a == alpha], axis=1), np.sum(sq[:, a == -beta], axis=1)
                for i in np.flatnonzero(active & (P != 0) & (N != 0)):  # else no finite point
                    t = math.log(beta * N[i] / (alpha * P[i])) / (2 * (alpha + beta))
                    T[i] = T[i] * np.exp(a * t)
                continue
            for i in np.flatnonzero(active):
                sq_i = sq[i]

                def q(t):
                    return float(np.sum(a * np.exp(2 * a * t) * sq_i))

                lo, hi = -1.0, 1.0
                while q(lo) > 0 and lo > -200:
                    lo *= 2
                while q(hi) < 0 and hi < 200:
                    hi *= 2
                if q(lo) > 0 or q(hi) < 0:  # a side is zero: no finite balancing point
                    continue
                t = brentq(q, lo, hi, xtol=1e-15)
                T[i] = T[i] * np.exp(a * t)   # the flow of the diagonal field A_k: exp(t A_k)
        if np.all(worst <= tol):
            break
    return T[0] if single else T


@dataclass(frozen=True, repr=False)
class BalancedExperiment(LinesRepr):
    """Training from Gaussian and from balanced starts with the *same* initial functions.

    Attributes
    ----------
    fit_rate : dict
        ``{"Gaussian": (fraction, (low, high)), "balanced": ...}``: runs whose final loss
        is below ``fit_tol``, with a 95% Wilson interval.
    median_steps : dict
        Median number of steps to reach ``fit_tol`` among the runs that did.
    final_losses : dict of arrays
    starts, finals : dict of arrays, shape (runs, P)
        Initial and final parameters of every run.
    targets : numpy.ndarray, shape (runs, ambient)
    runs, steps, lr, fit_tol, seed
    """

    model: Model
    fit_rate: dict
    median_steps: dict
    final_losses: dict = field(repr=False)
    steps_to_fit: dict = field(repr=False)
    starts: dict = field(repr=False)
    finals: dict = field(repr=False)
    targets: np.ndarray = field(repr=False)
    runs: int
    steps: int
    lr: float
    fit_tol: float
    seed: int

    def _lines(self):
        lines = [f"Gaussian vs balanced initialization, {self.model.describe()}",
                 f"  {self.runs} targets, one run each per start; {self.steps} steps of size "
                 f"{self.lr:g}; fitted = loss below {self.fit_tol:g}; seed {self.seed}"]
        for name in self.fit_rate:
            frac, (lo, hi) = self.fit_rate[name]
            lines.append(f"  {name:<9} fitted {frac:6.1%} (95% Wilson {lo:.1%} to {hi:.1%}), "
                         f"median steps to fit {self.median_steps[name]:.0f}")
        return lines


def balanced_initialization_experiment(model, *, runs: int = 200, lr: float = 0.01,
                                       steps: int = 3000, init_scale: float = 1.0,
                                       fit_tol: float = 1e-6, seed: int = 0) -> BalancedExperiment:
    """Fit Gaussian targets from Gaussian starts and from their balanced versions.

    Each Gaussian start is moved by :func:`balance` to the point of its rescaling orbit
    where every conserved quantity is zero: the same function, so any difference in
    training comes from the position on the fiber alone. Both sets of runs move together
    in one vectorised gradient-descent loop; the runs are memoized on disk
    (:func:`nagviz.cache.memoize`).

    Examples
    --------
    >>> import nagviz
    >>> ex = balanced_initialization_experiment(nagviz.Architecture((2, 2, 1), 2), runs=8,
    ...                                         steps=500, seed=0)
    >>> sorted(ex.fit_rate)
    ['Gaussian', 'balanced']
    """
    model = as_model(model)
    data = _balanced_runs(model, int(runs), float(lr), int(steps), float(init_scale),
                          float(fit_tol), int(seed))
    fit_rate, med, finals, to_fit, first_points, last_points = {}, {}, {}, {}, {}, {}
    for name in ("Gaussian", "balanced"):
        first, final_loss = data[f"{name}.first"].copy(), data[f"{name}.loss"].copy()
        reached = first >= 0
        k = int((final_loss < fit_tol).sum())
        fit_rate[name] = (k / runs, wilson_interval(k, runs))
        med[name] = float(np.median(first[reached])) if reached.any() else float("nan")
        finals[name] = final_loss
        to_fit[name] = first
        first_points[name] = data[f"{name}.start"].copy()
        last_points[name] = data[f"{name}.final"].copy()
    return BalancedExperiment(model, fit_rate, med, finals, to_fit, first_points, last_points,
                              data["targets"].copy(), int(runs), int(steps),
                              float(lr), float(fit_tol), int(seed))


def _encode_runs(data):
    return {k: {"shape": list(v.shape), "kind": v.dtype.kind, "values": v.ravel().tolist()}
            for k, v in data.items()}


def _decode_runs(record):
    return {k: np.array(v["values"], dtype=int if v["kind"] in "iu" else float).reshape(
        v["shape"]) for k, v in record.items()}


def _valid_runs(data, model, runs, lr, steps, init_scale, fit_tol, seed):
    P, m = model.n_parameters, model.ambient_dimension
    want = {"targets": (runs, m)}
    for name in ("Gaussian", "balanced"):
        want.update({f"{name}.start": (runs, P), f"{name}.final": (runs, P),
                     f"{name}.loss": (runs,), f"{name}.first": (runs,)})
    return set(data) == set(want) and all(data[k].shape == s for k, s in want.items())


@memoize("conservation.balanced_runs", disk=True, maxsize=8, encode=_encode_runs,
         decode=_decode_runs, validate=_valid_runs)
def _balanced_runs(model, runs, lr, steps, init_scale, fit_tol, seed):
    """The runs of :func:`balanced_initialization_experiment`, as plain arrays: for each
    start, the initial and final parameters, final losses, and the first recorded step
    (every 10th) with loss below ``fit_tol`` (-1 if none)."""
    rng = np.random.default_rng(seed)
    m = model.ambient_dimension
    theta0 = init_scale * rng.standard_normal((runs, model.n_parameters))
    balanced = balance(model, theta0)
    b = rng.standard_normal((runs, m))
    run = gradient_descent(model, np.vstack([theta0, balanced]), np.eye(m), np.vstack([b, b]),
                           lr=lr, steps=steps, record_every=10)
    fitted = run.losses < fit_tol
    reached = fitted.any(axis=0)
    first = np.where(reached, run.recorded[np.argmax(fitted, axis=0)], -1)
    data = {"targets": b}
    for i, (name, start) in enumerate((("Gaussian", theta0), ("balanced", balanced))):
        part = slice(i * runs, (i + 1) * runs)
        data.update({f"{name}.start": start, f"{name}.final": run.final[part],
                     f"{name}.loss": run.losses[-1, part], f"{name}.first": first[part]})
    return data


# --------------------------------------------------------------------------- pictures

def hyperboloid_mesh(kappa: float, r: int = 2, lim: float = 2.0, n: int = 40):
    """The level set ``p^2 + q^2 - r v^2 = kappa`` in ``(p, q, v)`` space, as a mesh.

    The conserved quantity of the network ``v (p x + q y)^r`` (widths ``(2, 1, 1)``):
    a hyperboloid of one sheet for ``kappa > 0``, of two sheets for ``kappa < 0``, a cone
    for ``kappa = 0``. Returns ``(P, Q, V)`` arrays of shape (sheets * n, n) with NaN
    separating the sheets, clipped to ``|v| <= lim``.

    Examples
    --------
    >>> P, Q, V = hyperboloid_mesh(1.0, n=5)
    >>> bool(np.nanmax(np.abs(P ** 2 + Q ** 2 - 2 * V ** 2 - 1.0)) < 1e-12)
    True
    """
    phi = np.linspace(0, 2 * np.pi, n)
    if kappa >= 0:
        v = np.linspace(-lim, lim, n)
        V, PH = np.meshgrid(v, phi, indexing="ij")
        R = np.sqrt(kappa + r * V ** 2)
        return R * np.cos(PH), R * np.sin(PH), V
    v0 = math.sqrt(-kappa / r)
    parts = []
    for sign in (1, -1):
        v = sign * np.linspace(v0, max(lim, v0 * 1.01), n)
        V, PH = np.meshgrid(v, phi, indexing="ij")
        R = np.sqrt(np.maximum(kappa + r * V ** 2, 0.0))
        parts.append((R * np.cos(PH), R * np.sin(PH), V))
    gap = np.full((1, n), np.nan)
    return tuple(np.vstack([parts[0][i], gap, parts[1][i]]) for i in range(3))

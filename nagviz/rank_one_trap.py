"""Where training stops: gradient descent on the quadratic network (2, 2, 1).

``v_1 (w_1 . x)^2 + v_2 (w_2 . x)^2`` (:data:`QUADRATIC_221`) fills the 3-dimensional
space of binary quadratic forms ``a x^2 + b xy + c y^2``, so every target is fitted
exactly; its one-neuron networks form the cone ``b^2 = 4ac`` of forms of rank one
(drawn round in :func:`cone_coordinates`; the eigenvalues of a form are
:func:`binary_quadratic_eigenvalues`). :func:`rank_one_trap_experiment` trains it from
random initializations and classifies the runs (:data:`TRAP_OUTCOMES`) that stop on
the cone: a neuron off, two parallel neurons, the zero function. The quantity
``||w_j||^2 - 2 v_j^2`` of each neuron is conserved by gradient flow and locks some runs
near the cone. Results are kept in a small in-memory cache.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .cache import memoize
from ._fitting import _initial
from ._results import LinesRepr
from .architecture import Architecture
from .inner_products import inner_product_matrix, sample_targets
from .optimization import train
from .statistics import wilson_interval

__all__ = [
    "QUADRATIC_221",
    "TRAP_OUTCOMES",
    "binary_quadratic_eigenvalues",
    "cone_coordinates",
    "RankOneTrapResult",
    "rank_one_trap_experiment",
    "trap_runs_again",
    "rank_one_trap_batch",
    "TrapStatistics",
    "trap_statistics",
    "trap_statistics_settings",
    "form_matrix",
]


#: ``v1 (w1 . x)^2 + v2 (w2 . x)^2``: it fills the space of binary quadratic forms, so
#: every target is fitted exactly; its one-neuron networks form the cone ``b^2 = 4ac``.
QUADRATIC_221 = Architecture((2, 2, 1), 2)


#: Outcomes of a training run of :data:`QUADRATIC_221`.
TRAP_OUTCOMES = ("fit", "one neuron off", "parallel neurons", "zero function",
                 "still moving", "diverged")


def binary_quadratic_eigenvalues(coeffs) -> np.ndarray:
    """Eigenvalues ``l1 >= l2`` of ``[[a, b/2], [b/2, c]]`` for ``a x^2 + b xy + c y^2``.

    The Bombieri norm of the form is the Frobenius norm of this matrix, so the distance
    from the form to the cone ``b^2 = 4ac`` (rank at most one) is ``min |lambda_i|``.

    Examples
    --------
    >>> binary_quadratic_eigenvalues([1.0, 0.0, -1.0]).tolist()     # x^2 - y^2
    [1.0, -1.0]
    """
    c = np.asarray(coeffs, dtype=float)
    a, b, cc = c[..., 0], c[..., 1], c[..., 2]
    mid, rad = (a + cc) / 2, np.hypot((a - cc) / 2, b / 2)
    return np.stack([mid + rad, mid - rad], axis=-1)


def form_matrix(coeffs) -> np.ndarray:
    """The symmetric matrix ``[[a, b/2], [b/2, c]]`` of ``a x^2 + b xy + c y^2``, shape (..., 2, 2).

    The Bombieri inner product of two forms is the Frobenius inner product of their
    matrices, and ``<Q, (d . x)^2> = d^T Q d``.

    Examples
    --------
    >>> form_matrix([1.0, 2.0, 3.0]).tolist()
    [[1.0, 1.0], [1.0, 3.0]]
    """
    c = np.asarray(coeffs, dtype=float)
    a, b, cc = c[..., 0], c[..., 1], c[..., 2]
    return np.stack([np.stack([a, b / 2], -1), np.stack([b / 2, cc], -1)], -2)


def cone_coordinates(coeffs) -> np.ndarray:
    """``(q, r, p) = ((a - c)/2, b/2, (a + c)/2)``: coordinates in which the cone
    ``b^2 = 4ac`` is the round cone ``p^2 = q^2 + r^2`` around the ``p`` axis (the
    trace), and the Bombieri distance is ``sqrt 2`` times the Euclidean one.

    Examples
    --------
    >>> cone_coordinates([1.0, 2.0, 1.0]).tolist()                   # (x + y)^2
    [0.0, 1.0, 1.0]
    """
    c = np.asarray(coeffs, dtype=float)
    a, b, cc = c[..., 0], c[..., 1], c[..., 2]
    return np.stack([(a - cc) / 2, b / 2, (a + cc) / 2], axis=-1)


@dataclass(frozen=True, repr=False)
class RankOneTrapResult(LinesRepr):
    """Training runs of the quadratic network (2, 2, 1) and where they end.

    The loss is the squared Bombieri distance ``||f - t||^2``. The network fills the
    plane of binary quadratics, so the best fit is always exact; any run that stops
    short of its target is stuck at a spurious critical point, and every such point
    lies on the cone of one-neuron networks (if ``f != t``, the critical equations
    ``v_j R w_j = 0`` and ``w_j^T R w_j = 0`` with residual ``R`` force both neurons into
    the kernel of ``R``, or one neuron off).

    Attributes
    ----------
    method : str
    n_runs, steps, seed : int
    init_scale : float
    learning_rate : float or None
    targets : numpy.ndarray, (n_runs, 3)
    outcome : numpy.ndarray of str, (n_runs,)
        One of :data:`TRAP_OUTCOMES`: ``"fit"`` (relative residual below
        ``fit_tolerance``), ``"one neuron off"``, ``"parallel neurons"`` (two neurons
        computing multiples of the same square: a merged network) or ``"zero function"``
        (the three ways to stop on the cone), ``"still moving"`` (neither: not yet
        converged), ``"diverged"``.
    target_eigenvalues, final_eigenvalues : numpy.ndarray, (n_runs, 2)
    relative_loss : numpy.ndarray, (n_runs,)
        ``||f - t|| / ||t||`` at the end.
    steps_recorded : numpy.ndarray, (K,)
    loss_history : numpy.ndarray, (K, n_runs)
    cone_distance : numpy.ndarray, (K, n_runs)
        Distance from ``f`` to the cone over time, relative to ``||t||``.
    in_norms, out_weights : numpy.ndarray, (K, n_runs, 2)
        ``||w_j||`` and ``v_j`` over time.
    trajectory : numpy.ndarray, (K, n_runs, 3)
        ``f`` over time in :func:`cone_coordinates`.
    conserved : numpy.ndarray, (n_runs, 2)
        ``||w_j||^2 - 2 v_j^2`` at the start: constant along gradient flow. When it is
        negative, ``v_j`` can never change sign.
    fit_tolerance, cone_tolerance, dead_tolerance : float
    final_theta : numpy.ndarray, (n_runs, 6)
    final_coefficients : numpy.ndarray, (n_runs, 3)
    gradient_norm : numpy.ndarray, (n_runs,)
        ``||grad L||`` at the end (of the loss relative to ``||t||^2``).
    """

    method: str
    n_runs: int
    init_scale: float
    learning_rate: float | None
    steps: int
    seed: int
    targets: np.ndarray = field(repr=False)
    outcome: np.ndarray = field(repr=False)
    target_eigenvalues: np.ndarray = field(repr=False)
    final_eigenvalues: np.ndarray = field(repr=False)
    relative_loss: np.ndarray = field(repr=False)
    steps_recorded: np.ndarray = field(repr=False)
    loss_history: np.ndarray = field(repr=False)
    cone_distance: np.ndarray = field(repr=False)
    in_norms: np.ndarray = field(repr=False)
    out_weights: np.ndarray = field(repr=False)
    trajectory: np.ndarray = field(repr=False)
    conserved: np.ndarray = field(repr=False)
    fit_tolerance: float = 1e-3
    cone_tolerance: float = 1e-3
    dead_tolerance: float = 1e-3
    final_theta: np.ndarray = field(repr=False, default=None)
    final_coefficients: np.ndarray = field(repr=False, default=None)
    gradient_norm: np.ndarray = field(repr=False, default=None)

    @property
    def counts(self) -> dict:
        """``{outcome: number of runs}`` over :data:`TRAP_OUTCOMES`."""
        return {k: int(np.sum(self.outcome == k)) for k in TRAP_OUTCOMES}

    @property
    def trapped(self) -> np.ndarray:
        """Runs that stopped on the cone of one-neuron networks, short of the target."""
        return np.isin(self.outcome, ("one neuron off", "parallel neurons", "zero function"))

    @property
    def sign_locked(self) -> np.ndarray:
        """Runs that the conservation law alone condemns to stop on the cone.

        A neuron with ``||w_j||^2 - 2 v_j^2 < 0`` at the start keeps the sign of ``v_j``
        under gradient flow. When the locked signs cannot match the signs of the target's
        eigenvalues (each neuron contributes ``v_j (w_j . x)^2``, a form of the sign of
        ``v_j``), an exact fit is out of reach: a sufficient condition for being trapped,
        not a necessary one.
        """
        v0, lam = self.out_weights[0], self.target_eigenvalues
        out = np.zeros(self.n_runs, dtype=bool)
        for i in range(self.n_runs):
            need = sorted(np.sign(lam[i]))
            signs = [np.sign(v0[i, j]) for j in range(2) if self.conserved[i, j] < 0]
            if len(signs) == 2:
                out[i] = sorted(signs) != need
            elif len(signs) == 1:
                out[i] = signs[0] not in need
        return out

    def steps_near_cone(self, near: float = 0.05) -> np.ndarray:
        """Steps each run spent within ``near`` (relative) of the cone while its loss still
        had to fall by more than 1%: time on plateaus near one-neuron networks.

        Examples
        --------
        >>> r = rank_one_trap_experiment(n_runs=4, init_scale=0.1, steps=2000, seed=0)
        >>> bool(r.steps_near_cone().max() > 0)          # small inits start at the vertex
        True
        """
        steps = np.diff(self.steps_recorded, prepend=0)
        final = self.loss_history[-1]
        close = (self.cone_distance < near) & (self.loss_history > 1.01 * final + 1e-12)
        return (close * steps[:, None]).sum(axis=0)

    def nappe_check(self, tolerance: float = 1e-3) -> dict:
        """The mechanism of a trap: the residual lies in the polar cone of one nappe.

        At a run that stopped with neuron ``j``'s in-weights dead (``w_j = 0``, out-weight
        ``v_j != 0``), moving ``w_j`` by ``e d`` changes ``f`` by ``e^2 v_j (d . x)^2``
        only: the reachable perturbations form one nappe ``N = {s (d . x)^2 : s v_j > 0}``
        of the cone, and the loss changes by ``2 e^2 v_j d^T R d`` with ``R`` the matrix
        of ``f - t``. No such move lowers the loss exactly when ``t - f`` lies in the
        polar cone of ``N``: ``sign(v_j) (t - f)`` is negative semidefinite. Equivalently,
        ``f`` is the (Bombieri) projection of ``t`` onto the convex cone ``f + conv N``.
        Both are checked, the first from the eigenvalues, the second by projecting.

        Parameters
        ----------
        tolerance : float
            Relative to ``||t||``: an eigenvalue up to this counts as ``<= 0``, a
            projection this close to ``f`` counts as ``f``.

        Returns
        -------
        dict
            ``one_nappe`` (bool per run: trapped with some neuron's in-weights dead,
            ``||w_j||^2 < tolerance |v_j|``, so its reachable set is one nappe),
            ``in_polar_cone`` and ``is_projection`` (bool per run, ``False`` outside
            ``one_nappe``), ``largest_eigenvalue`` (of ``sign(v_j)(t - f)``, relative)
            and the counts ``n_one_nappe``, ``n_in_polar_cone``, ``n_projection``,
            ``n_parallel`` (trapped at two parallel neurons: not a dead neuron, outside
            this picture).

        Examples
        --------
        >>> r = rank_one_trap_experiment(n_runs=40, steps=3000, seed=0)
        >>> c = r.nappe_check()
        >>> c["n_in_polar_cone"] == c["n_projection"] <= c["n_one_nappe"]
        True
        """
        W = self.final_theta[:, :4].reshape(-1, 2, 2)
        v = self.final_theta[:, 4:]
        t_norm = np.linalg.norm(form_matrix(self.targets), axis=(1, 2))
        w2 = np.sum(W * W, axis=2)
        dead_in = (w2 < tolerance * np.abs(v)) & (v != 0)  # (runs, 2)
        one = self.trapped & dead_in.any(axis=1)
        resid = form_matrix(self.targets - self.final_coefficients)  # t - f
        top = np.full(self.n_runs, -np.inf)
        proj = np.zeros(self.n_runs)
        for j in range(2):
            sig = np.sign(v[:, j])[:, None, None]
            M = sig * resid
            lam, U = np.linalg.eigh(M)
            top = np.where(dead_in[:, j], np.maximum(top, lam[:, -1]), top)
            # projection of t onto f + sign * PSD moves f by sign * (M)_+
            plus = np.einsum("nik,nk,njk->nij", U, np.maximum(lam, 0.0), U)
            dist = np.linalg.norm(plus, axis=(1, 2))
            proj = np.where(dead_in[:, j], np.maximum(proj, dist), proj)
        scale = np.maximum(t_norm, 1e-300)
        in_polar = one & (top / scale <= tolerance)
        is_proj = one & (proj / scale <= tolerance)
        return dict(one_nappe=one, in_polar_cone=in_polar, is_projection=is_proj,
                    largest_eigenvalue=np.where(one, top / scale, np.nan),
                    n_one_nappe=int(one.sum()), n_in_polar_cone=int(in_polar.sum()),
                    n_projection=int(is_proj.sum()),
                    n_parallel=int(np.sum(self.outcome == "parallel neurons")))

    @property
    def fraction_trapped(self) -> float:
        """Trapped runs among those that did not diverge."""
        valid = self.outcome != "diverged"
        return float(self.trapped.sum() / max(int(valid.sum()), 1))

    def _lines(self):
        lr = f", learning rate {self.learning_rate:g}" if self.learning_rate is not None else ""
        c = self.counts
        return [
            f"RankOneTrapResult: {self.method} on {QUADRATIC_221!r}, Bombieri loss",
            f"  {self.n_runs} runs x {self.steps} steps{lr}, init scale {self.init_scale:g}, "
            f"seed {self.seed}",
            f"  fitted the target: {c['fit']}; stuck on the cone of one-neuron networks: "
            f"{int(self.trapped.sum())} (one neuron off {c['one neuron off']}, parallel neurons "
            f"{c['parallel neurons']}, zero function {c['zero function']}); still moving "
            f"{c['still moving']}; diverged {c['diverged']}",
            ("  condemned from the start by the conserved ||w_j||^2 - 2 v_j^2 (locked signs): "
             if self.learning_rate is not None else
             "  runs whose signs gradient flow would lock (Levenberg-Marquardt conserves "
             "nothing): ")
            + f"{int(self.sign_locked.sum())}, of which trapped: "
            f"{int((self.sign_locked & self.trapped).sum())}",
            f"  tolerances (relative to ||t||): fit {self.fit_tolerance:g}, cone "
            f"{self.cone_tolerance:g}, neuron off {self.dead_tolerance:g}",
        ]


def _classify_quadratic(theta, coeffs, targets, diverged, fit_tol, cone_tol, dead_tol):
    """Outcome per run and the quantities it is read from."""
    G = inner_product_matrix(QUADRATIC_221, "bombieri")
    t_norm = np.sqrt(np.einsum("na,ab,nb->n", targets, G, targets))
    t_norm = np.maximum(t_norm, 1e-300)
    r = coeffs - targets
    rel = np.sqrt(np.einsum("na,ab,nb->n", r, G, r)) / t_norm
    lam = binary_quadratic_eigenvalues(coeffs)
    dist = np.abs(lam).min(axis=1) / t_norm
    f_norm = np.linalg.norm(lam, axis=1) / t_norm
    W = theta[:, :4].reshape(-1, 2, 2)
    v = theta[:, 4:]
    contrib = np.abs(v) * np.sum(W * W, axis=2) / t_norm[:, None]   # ||v_j (w_j.x)^2||_B
    out = np.full(theta.shape[0], "still moving", dtype=object)
    on_cone = dist < cone_tol
    out[on_cone & (contrib.min(axis=1) >= dead_tol)] = "parallel neurons"
    out[on_cone & (contrib.min(axis=1) < dead_tol)] = "one neuron off"
    out[on_cone & (f_norm < dead_tol)] = "zero function"
    out[rel < fit_tol] = "fit"
    out[diverged] = "diverged"
    return out.astype(str), rel, lam


def rank_one_trap_experiment(n_runs: int = 100, init_scale: float = 1.0, lr: float = 1e-2,
                             steps: int = 5000, seed: int = 0, *, method: str = "gd",
                             targets=None, fit_tolerance: float = 1e-3,
                             cone_tolerance: float = 1e-3, dead_tolerance: float = 1e-3,
                             progress=None) -> RankOneTrapResult:
    """Train :data:`QUADRATIC_221` and classify where each run ends (cached).

    Parameters
    ----------
    n_runs : int
        Runs, each from its own Gaussian initialization.
    init_scale, lr, steps
        Standard deviation of the initialization, learning rate (gradient descent) and
        number of steps.
    seed : int
        Seeds the targets (when not given) and the initializations.
    method : {"gd", "lm"}
        Plain gradient descent or Levenberg–Marquardt (:func:`nagviz.training.train`).
    targets : array_like, optional
        One target form ``(a, b, c)`` for every run, or one per run. Default: Gaussian
        targets, standard for the Bombieri inner product, one per run.
    fit_tolerance, cone_tolerance, dead_tolerance : float
        Relative to ``||t||``: residual of a fit, distance to the cone, and contribution
        ``||v_j (w_j . x)^2||`` of a neuron that is off.
    progress : callable, optional
        ``progress(done, total)``.

    Returns
    -------
    RankOneTrapResult

    Examples
    --------
    >>> r = rank_one_trap_experiment(n_runs=20, steps=3000, seed=0)
    >>> r.counts["fit"] + int(r.trapped.sum()) + r.counts["still moving"] + r.counts["diverged"]
    20
    >>> bool(r.trapped.any())          # some runs stop on the cone, short of the target
    True
    """
    if method not in ("gd", "lm"):
        raise ValueError(f"method must be 'gd' or 'lm', got {method!r}")
    T = _settings_targets(n_runs, seed, targets)
    return _trap_experiment(int(n_runs), float(init_scale), float(lr), int(steps), int(seed),
                            method, tuple(map(tuple, T.tolist())), float(fit_tolerance),
                            float(cone_tolerance), float(dead_tolerance), progress)


def trap_runs_again(runs, n_runs: int = 200, init_scale: float = 1.0, lr: float = 1e-2,
                    steps: int = 5000, seed: int = 0, *, method: str = "gd",
                    fit_tolerance: float = 1e-3, cone_tolerance: float = 1e-3,
                    dead_tolerance: float = 1e-3) -> RankOneTrapResult:
    """Some runs of :func:`rank_one_trap_experiment` (random targets), trained again alone.

    Run ``i`` gets the target and the initialization it gets among ``n_runs`` runs with
    this ``seed``; the result has one entry per index in ``runs``, equal to those runs of
    the full experiment. This is how shipped results are checked (:mod:`nagviz.shipped`).

    Examples
    --------
    >>> part = trap_runs_again([2, 5], n_runs=8, steps=500)
    >>> full = rank_one_trap_experiment(8, steps=500)
    >>> bool(np.array_equal(part.final_theta, full.final_theta[[2, 5]]))
    True
    """
    if method not in ("gd", "lm"):
        raise ValueError(f"method must be 'gd' or 'lm', got {method!r}")
    runs = np.asarray(runs, dtype=int).reshape(-1)
    if runs.size == 0 or runs.min() < 0 or runs.max() >= int(n_runs):
        raise ValueError(f"runs must be indices in 0..{int(n_runs) - 1}")
    T = _settings_targets(n_runs, int(seed), None)[runs]
    init_seed = np.random.SeedSequence(int(seed) + 1).spawn(2)[1]  # as train(seed=seed + 1)
    theta0 = _initial(QUADRATIC_221, int(n_runs), float(init_scale), init_seed, None)[runs]
    run = train(QUADRATIC_221, T, method=method, lr=float(lr), steps=int(steps), theta0=theta0,
                inner_product="bombieri")
    return _trap_result(run, T, runs.size, init_scale, lr, steps, seed, fit_tolerance,
                        cone_tolerance, dead_tolerance)


def _settings_targets(n_runs, seed, targets):
    if targets is None:
        return sample_targets(QUADRATIC_221, int(n_runs), "bombieri", seed=seed)
    T = np.atleast_2d(np.asarray(targets, dtype=float))
    if T.shape[-1] != 3:
        raise ValueError(f"targets are binary quadratic forms (a, b, c), got shape {T.shape}")
    if T.shape[0] == 1:
        T = np.repeat(T, int(n_runs), axis=0)
    if T.shape[0] != int(n_runs):
        raise ValueError(f"{T.shape[0]} targets for {n_runs} runs")
    return T


def _trap_result(run, T, n_runs, init_scale, lr, steps, seed, fit_tolerance, cone_tolerance,
                 dead_tolerance):
    """A :class:`RankOneTrapResult` from the training runs ``run`` towards targets ``T``."""
    outcome, rel, lam = _classify_quadratic(run.theta, run.history_coefficients[-1], T,
                                            run.diverged, fit_tolerance, cone_tolerance,
                                            dead_tolerance)
    H = run.history_theta  # (K, n, 6)
    Hc = run.history_coefficients
    G = inner_product_matrix(QUADRATIC_221, "bombieri")
    t_norm = np.maximum(np.sqrt(np.einsum("na,ab,nb->n", T, G, T)), 1e-300)
    with np.errstate(all="ignore"):
        cone_dist = np.abs(binary_quadratic_eigenvalues(Hc)).min(axis=-1) / t_norm
        in_norms = np.linalg.norm(H[..., :4].reshape(H.shape[0], H.shape[1], 2, 2), axis=-1)
    W0 = run.theta_init[:, :4].reshape(-1, 2, 2)
    conserved = np.sum(W0 * W0, axis=2) - 2 * run.theta_init[:, 4:] ** 2
    return RankOneTrapResult(
        run.method, int(n_runs), float(init_scale), run.learning_rate, int(steps), int(seed),
        T, outcome, binary_quadratic_eigenvalues(T), lam, rel, run.history_steps,
        run.history_loss / t_norm ** 2, cone_dist, in_norms, H[..., 4:],
        cone_coordinates(Hc), conserved, float(fit_tolerance), float(cone_tolerance),
        float(dead_tolerance), run.theta, Hc[-1], run.gradient_norm / t_norm ** 2)


@memoize(maxsize=256, ignore=("progress",))
def _trap_experiment(n_runs, init_scale, lr, steps, seed, method, targets, fit_tolerance,
                     cone_tolerance, dead_tolerance, progress):
    T = np.array(targets, dtype=float)
    run = train(QUADRATIC_221, T, method=method, lr=lr, steps=steps, init_scale=init_scale,
                inner_product="bombieri", seed=seed + 1, progress=progress)
    return _trap_result(run, T, n_runs, init_scale, lr, steps, seed, fit_tolerance,
                        cone_tolerance, dead_tolerance)


def rank_one_trap_batch(settings, steps: int = 5000, *, fit_tolerance: float = 1e-3,
                        cone_tolerance: float = 1e-3, dead_tolerance: float = 1e-3,
                        progress=None) -> list:
    """Several gradient-descent experiments on :data:`QUADRATIC_221` in ONE vectorized loop.

    Each setting is a dict with ``n_runs``, ``init_scale``, ``lr``, ``seed`` and
    optionally ``targets``, as in :func:`rank_one_trap_experiment`; every run of every
    setting gets the same targets and initialization it would get there, all runs move
    together (one learning rate per run), and each result is stored in the cache of
    :func:`rank_one_trap_experiment`, so that calling it afterwards is free.

    Returns
    -------
    list of RankOneTrapResult
        One per setting, equal to what :func:`rank_one_trap_experiment` computes.

    Examples
    --------
    >>> a, b = rank_one_trap_batch([dict(n_runs=3, init_scale=1.0, lr=0.01, seed=0),
    ...                             dict(n_runs=2, init_scale=0.1, lr=0.02, seed=1)],
    ...                            steps=400)
    >>> b is rank_one_trap_experiment(2, 0.1, 0.02, 400, seed=1)     # now cached
    True
    """
    keys, todo = [], []
    for st in settings:
        n, v, lr, seed = int(st["n_runs"]), float(st["init_scale"]), float(st["lr"]), \
            int(st["seed"])
        T = _settings_targets(n, seed, st.get("targets"))
        args = (n, v, lr, int(steps), seed, "gd", tuple(map(tuple, T.tolist())),
                float(fit_tolerance), float(cone_tolerance), float(dead_tolerance), None)
        keys.append(args)
        hit, _ = _trap_experiment.cache_lookup(*args)
        if not hit:
            todo.append((args, T))
    if todo:
        targets = np.concatenate([T for _, T in todo])
        theta0, rates = [], []
        for args, T in todo:
            n, v, lr, _, seed = args[:5]
            init_seed = np.random.SeedSequence(seed + 1).spawn(2)[1]  # as train(seed=seed + 1)
            theta0.append(_initial(QUADRATIC_221, n, v, init_seed, None))
            rates.append(np.full(n, lr))
        run = train(QUADRATIC_221, targets, lr=np.concatenate(rates), steps=int(steps),
                    theta0=np.concatenate(theta0), inner_product="bombieri", progress=progress)
        start = 0
        memo = _trap_experiment.memo
        for args, T in todo:
            n = args[0]
            part = run.select(slice(start, start + n))
            start += n
            value = _trap_result(part, T, *args[:5], *args[7:10])
            memo.remember(memo.bind(args, {})[2], value)
    return [_trap_experiment(*args) for args in keys]


@dataclass(frozen=True, repr=False)
class TrapStatistics(LinesRepr):
    """The trapped fraction of :data:`QUADRATIC_221` over several seeds, with intervals.

    Attributes
    ----------
    method : str
    n_runs : int
        Runs per seed (one Gaussian target and one initialization each).
    seeds : tuple of int
    init_scale, learning_rate, steps
    trapped, valid, fitted, converged : tuple of int
        Per seed: runs stopped on the cone short of the target, runs that did not
        diverge, runs that fitted, runs whose final (relative) gradient norm is below
        ``gradient_tolerance``.
    sign_locked, sign_locked_trapped : tuple of int
        Per seed: runs condemned from the start by the conserved quantity, and of these
        the trapped ones.
    one_nappe, in_polar_cone, projection, parallel : tuple of int
        Per seed, from :meth:`RankOneTrapResult.nappe_check`.
    gradient_tolerance : float
    """

    method: str
    n_runs: int
    seeds: tuple
    init_scale: float
    learning_rate: float | None
    steps: int
    trapped: tuple
    valid: tuple
    fitted: tuple
    converged: tuple
    sign_locked: tuple
    sign_locked_trapped: tuple
    one_nappe: tuple
    in_polar_cone: tuple
    projection: tuple
    parallel: tuple
    gradient_tolerance: float

    @property
    def n_trapped(self) -> int:
        return int(sum(self.trapped))

    @property
    def n_valid(self) -> int:
        return int(sum(self.valid))

    @property
    def fraction(self) -> float:
        return self.n_trapped / max(self.n_valid, 1)

    @property
    def interval(self) -> tuple:
        """95% Wilson interval of the trapped fraction, all seeds pooled."""
        return wilson_interval(self.n_trapped, self.n_valid)

    def seed_intervals(self) -> list:
        """``(seed, trapped, valid, low, high)`` for every seed."""
        return [(s, k, n) + wilson_interval(k, n)
                for s, k, n in zip(self.seeds, self.trapped, self.valid)]

    def _lines(self):
        lo, hi = self.interval
        lr = f", learning rate {self.learning_rate:g}" if self.learning_rate is not None else ""
        per = "; ".join(f"seed {s}: {k}/{n} [{a:.2f}, {b:.2f}]"
                        for s, k, n, a, b in self.seed_intervals())
        return [
            f"TrapStatistics: {self.method} on {QUADRATIC_221!r}, Bombieri loss",
            f"  stopped on the cone short of the target: {self.n_trapped} of {self.n_valid} "
            f"runs, fraction {self.fraction:.3f}, 95% Wilson interval [{lo:.3f}, {hi:.3f}]",
            f"  per seed ({self.n_runs} runs each): {per}",
            f"  fitted {sum(self.fitted)}; converged (relative gradient norm < "
            f"{self.gradient_tolerance:g}) {sum(self.converged)} of {self.n_runs * len(self.seeds)}",
            f"  sign-locked from the start: {sum(self.sign_locked)}, of which trapped "
            f"{sum(self.sign_locked_trapped)}",
            f"  trapped with a dead neuron (one nappe reachable): {sum(self.one_nappe)}; residual "
            f"in the nappe's polar cone: {sum(self.in_polar_cone)}; endpoint = projection of the "
            f"target onto f + nappe: {sum(self.projection)}; trapped at parallel neurons: "
            f"{sum(self.parallel)}",
            f"  {self.steps} steps{lr}, init scale {self.init_scale:g}",
        ]


def trap_statistics(n_runs: int = 200, seeds=(0, 1, 2), init_scale: float = 1.0,
                    lr: float = 1e-2, steps: int = 5000, *, method: str = "gd",
                    gradient_tolerance: float = 1e-6, progress=None) -> TrapStatistics:
    """:func:`rank_one_trap_experiment` over several seeds, counted with intervals.

    Gradient descent runs all seeds in one batch (:func:`rank_one_trap_batch`).

    Examples
    --------
    >>> st = trap_statistics(20, seeds=(0, 1), steps=2000)
    >>> sum(st.valid), 0 <= st.interval[0] <= st.fraction <= st.interval[1] <= 1
    (40, True)
    """
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("give at least one seed")
    if method not in ("gd", "lm"):
        raise ValueError(f"method must be 'gd' or 'lm', got {method!r}")
    d = _trap_statistics(int(n_runs), seeds, float(init_scale), float(lr), int(steps), method,
                         float(gradient_tolerance), progress)
    return TrapStatistics(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def trap_statistics_settings(n_runs: int = 200, seeds=(0, 1, 2), init_scale: float = 1.0,
                             lr: float = 1e-2, steps: int = 5000, *,
                             gradient_tolerance: float = 1e-6) -> list:
    """The settings of :func:`rank_one_trap_batch` that gradient-descent
    :func:`trap_statistics` still needs: none when its result is cached (memory or disk).

    A caller can run them in one batch with other experiments of the same network.

    Examples
    --------
    >>> len(trap_statistics_settings(20, (5, 6), steps=100))
    2
    """
    seeds = tuple(int(s) for s in seeds)
    if _trap_statistics.cache_lookup(int(n_runs), seeds, float(init_scale), float(lr),
                                     int(steps), "gd", float(gradient_tolerance), None)[0]:
        return []
    return [dict(n_runs=int(n_runs), init_scale=float(init_scale), lr=float(lr), seed=s)
            for s in seeds]


def _valid_statistics(value, n_runs, seeds, *args, **kwargs):
    return isinstance(value, dict) and len(value.get("trapped", ())) == len(seeds)


@memoize(maxsize=16, disk=True, ignore=("progress",), validate=_valid_statistics)
def _trap_statistics(n_runs, seeds, init_scale, lr, steps, method, gradient_tolerance,
                     progress):
    if method == "gd":
        results = rank_one_trap_batch([dict(n_runs=n_runs, init_scale=init_scale, lr=lr, seed=s)
                                       for s in seeds], steps=steps, progress=progress)
    else:
        results = [rank_one_trap_experiment(n_runs, init_scale, lr, steps, seed=s,
                                            method=method) for s in seeds]
    checks = [r.nappe_check() for r in results]
    st = TrapStatistics(
        results[0].method, int(n_runs), seeds, float(init_scale), results[0].learning_rate,
        int(steps),
        tuple(int(r.trapped.sum()) for r in results),
        tuple(int((r.outcome != "diverged").sum()) for r in results),
        tuple(r.counts["fit"] for r in results),
        tuple(int(((r.gradient_norm < gradient_tolerance) & (r.outcome != "diverged")).sum())
              for r in results),
        tuple(int(r.sign_locked.sum()) for r in results),
        tuple(int((r.sign_locked & r.trapped).sum()) for r in results),
        tuple(c["n_one_nappe"] for c in checks), tuple(c["n_in_polar_cone"] for c in checks),
        tuple(c["n_projection"] for c in checks), tuple(c["n_parallel"] for c in checks),
        float(gradient_tolerance))
    return {f.name: (list(v) if isinstance(v := getattr(st, f.name), tuple) else v)
            for f in fields(st)}

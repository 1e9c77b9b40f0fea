"""The least-squares engine shared by training, best fits and the singularity experiments.

Shared internals (no public API). Writing ``G = R^T R``, the loss
``(c(w) - t)^T G (c(w) - t)`` is ``||R c(w) - R t||^2``, a nonlinear least-squares
problem in a matrix ``A = R`` and right-hand sides ``b = R t`` (:func:`_problem`).
:func:`_run` runs plain gradient descent or Levenberg–Marquardt on a batch of
parameter vectors, :func:`_best_fit` restarts Levenberg–Marquardt, :func:`_contributions`
measures how far a network is from each of its subnetworks, and :class:`_Loss` gives the
loss with its gradient and Hessian at one point. :func:`_fmt_ip` names an inner product
in a result's ``repr``.
"""

from __future__ import annotations

import numpy as np

from ._models import _model
from .jacobian_rank import jacobian_float
from .inner_products import gram_factor, inner_product_matrix
from .parameterization import evaluate


#: parameter vectors beyond this norm count as diverged
DIVERGENCE_NORM = 1e6
#: runs whose parameters end beyond this norm count as escaping to infinity (a heuristic
#: for targets of unit scale: the fits that converge have parameters of norm below ~10)
ESCAPE_NORM = 30.0
#: a loss this many times above the initial loss (plus one) counts as diverged
DIVERGENCE_LOSS = 1e6


def _problem(arch, targets, inner_product, input_scale):
    """``A`` and the right-hand sides ``b`` (B, m) of the least-squares problems."""
    R = gram_factor(inner_product_matrix(arch, inner_product, input_scale))
    t = np.atleast_2d(np.asarray(targets, dtype=float))
    if t.shape[-1] != arch.ambient_dimension:
        raise ValueError(f"targets must have {arch.ambient_dimension} coefficients, "
                         f"got shape {t.shape}")
    return R, t @ R.T


def _contributions(model, theta, A, scale):
    """Relative size ``||A (c(theta) - c(theta without unit))|| / scale`` for each unit."""
    B = theta.shape[0]
    c = model.coefficients(theta)
    out = np.empty((B, len(model.units)))
    for u, unit in enumerate(model.units):
        th = theta.copy()
        th[:, list(unit.parameters)] = 0.0
        out[:, u] = np.linalg.norm((c - model.coefficients(th)) @ A.T, axis=-1)
    return out / scale[:, None]


def _lm_step(H, g, mu, frozen):
    P = H.shape[-1]
    diag = np.diagonal(H, axis1=1, axis2=2)
    floor = 1e-9 * np.maximum(diag.max(axis=1), 1e-300)
    damp = mu[:, None] * (diag + floor[:, None])
    Hd = H + damp[:, :, None] * np.eye(P)
    if frozen is not None:
        Hd[:, frozen, :] = 0.0
        Hd[:, :, frozen] = 0.0
        Hd[:, frozen, frozen] = 1.0
        g = g.copy()
        g[:, frozen] = 0.0
    try:
        return -np.linalg.solve(Hd, g[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.zeros_like(g)
        for i in range(H.shape[0]):
            out[i] = -np.linalg.lstsq(Hd[i], g[i], rcond=None)[0]
        return out


def _run(model, A, b, theta0, *, method, lr, steps, record_every, frozen=None,
         progress=None, record=True, tol=1e-13):
    """Run up to ``steps`` iterations of GD or LM on a batch; returns a dict of arrays.

    The whole batch moves in one vectorized loop: one call of the model's batched loss
    and gradient per step, whatever the number of runs (initializations, targets, seeds
    and learning rates of an experiment all go in one batch).

    Gradient descent: ``theta <- theta - lr * grad``, every step accepted; ``lr`` is one
    number or one per run. A run whose loss stops being finite or exceeds
    ``DIVERGENCE_LOSS * (initial loss + 1)``, or whose parameters exceed
    ``DIVERGENCE_NORM``, is frozen at its last good point and marked diverged.
    Levenberg–Marquardt: a step is accepted when it does not raise the loss; the damping
    ``mu`` shrinks after a success and grows after a failure; a run stops when the
    relative decrease falls below ``tol``.
    """
    theta = np.array(theta0, dtype=float)
    B = theta.shape[0]
    frozen_idx = None if frozen is None or len(frozen) == 0 else np.asarray(frozen, dtype=int)
    if frozen_idx is not None:
        theta[:, frozen_idx] = 0.0
    with np.errstate(all="ignore"):
        if method == "gd":
            loss, g = model.loss_gradient(theta, A, b)
        else:
            c, J = model.coefficients_and_jacobian(theta)
            r = c @ A.T - b
            loss = np.einsum("bm,bm->b", r, r)
    loss0 = loss.copy()
    limit = DIVERGENCE_LOSS * (loss0 + 1.0)
    diverged = ~np.isfinite(loss)
    active = ~diverged
    mu = np.full(B, 1e-2)
    last_iter = np.zeros(B, dtype=int)
    hist_steps, hist_loss, hist_theta = [], [], []
    if method == "gd":
        rate = np.broadcast_to(np.asarray(lr, dtype=float), (B,)).reshape(B, 1).copy()
        rate[~active] = 0.0  # a frozen run does not move
        stopped_at = np.full(B, -1)  # the last accepted step of a run that diverged

    def snapshot(k):
        hist_steps.append(k)
        hist_loss.append(loss.copy())
        hist_theta.append(theta.copy())

    if record:
        snapshot(0)
    report = max(1, steps // 50)
    k = 0
    for k in range(1, steps + 1):
        if not active.any():
            break
        if method == "gd":
            with np.errstate(all="ignore"):
                if frozen_idx is not None:
                    g[:, frozen_idx] = 0.0
                new = theta - rate * g
                loss_new, g_new = model.loss_gradient(new, A, b)
                bad = ~(loss_new <= limit)  # also catches nan
                bad |= np.einsum("bp,bp->b", new, new) > DIVERGENCE_NORM ** 2
            bad &= active
            if bad.any():  # rare: freeze those runs at their last good point
                new[bad], loss_new[bad], g_new[bad] = theta[bad], loss[bad], g[bad]
                diverged |= bad
                active &= ~bad
                rate[bad] = 0.0
                stopped_at[bad] = k - 1
            theta, loss, g = new, loss_new, g_new
        else:
            with np.errstate(all="ignore"):
                # only the runs still active are computed (most converge early)
                idx = np.nonzero(active)[0]
                AJ = A @ J[idx]  # (n, m, P)
                grad = 2.0 * np.einsum("bmp,bm->bp", AJ, r[idx])
                H = 2.0 * np.einsum("bmp,bmq->bpq", AJ, AJ)
                new = theta.copy()
                new[idx] = theta[idx] + _lm_step(H, grad, mu[idx], frozen_idx)
                c_i, J_i = model.coefficients_and_jacobian(new[idx])
                r_new, J_new, loss_new = r.copy(), J.copy(), loss.copy()
                r_new[idx] = c_i @ A.T - b[idx]
                J_new[idx] = J_i
                loss_new[idx] = np.einsum("bm,bm->b", r_new[idx], r_new[idx])
                bad = ~np.isfinite(loss_new) | (np.linalg.norm(new, axis=1) > DIVERGENCE_NORM)
                bad |= loss_new > limit
            accept = active & ~bad & (loss_new <= loss)
            mu = np.where(active, np.where(accept, np.maximum(mu / 3.0, 1e-12),
                                           np.minimum(mu * 4.0, 1e12)), mu)
            rel = (loss - loss_new) / np.maximum(loss, 1e-300)
            done = (accept & (rel < tol)) | (active & (mu >= 1e12))
            done |= accept & (loss_new < 1e-28 * np.maximum(loss0, 1.0))
            active &= ~done
            r = np.where(accept[:, None], r_new, r)
            J = np.where(accept[:, None, None], J_new, J)
            theta = np.where(accept[:, None], new, theta)
            loss = np.where(accept, loss_new, loss)
            last_iter = np.where(accept, k, last_iter)
        if record and k % record_every == 0:
            snapshot(k)
        if progress is not None and (k % report == 0 or k == steps):
            progress(k, steps)
    if method == "gd":
        last_iter = np.where(stopped_at >= 0, stopped_at, k)
        last_iter[~np.isfinite(loss0)] = 0
    if record and hist_steps[-1] != k:
        snapshot(k)
    return dict(theta=theta, loss=loss, diverged=diverged, iterations=last_iter,
                history_steps=np.array(hist_steps), history_loss=np.array(hist_loss),
                history_theta=np.array(hist_theta))


def _plateau_steps(loss_per_record, steps_per_record, final, rate):
    """Steps on plateaus that were later left: recorded intervals whose relative decrease
    per step is below ``rate`` while the loss still had to fall by more than 1%."""
    L = loss_per_record
    out = np.zeros(L.shape[1], dtype=int)
    for k in range(1, L.shape[0]):
        n = steps_per_record[k] - steps_per_record[k - 1]
        if n <= 0:
            continue
        dec = (L[k - 1] - L[k]) / np.maximum(L[k - 1], 1e-300) / n
        out += np.where((dec < rate) & (final < 0.99 * L[k]), n, 0)
    return out


def _fmt_ip(inner_product, input_scale):
    if isinstance(inner_product, str):
        return inner_product + (f" (input scale {input_scale:g})"
                                if inner_product == "gaussian" else "")
    return "custom matrix"


def _initial(arch, n_runs, init_scale, seed, theta0):
    if theta0 is not None:
        th = np.atleast_2d(np.asarray(theta0, dtype=float))
        if th.shape[1] != arch.n_parameters:
            raise ValueError(f"theta0 must have {arch.n_parameters} entries per run")
        return np.broadcast_to(th, (n_runs, arch.n_parameters)).copy()
    rng = np.random.default_rng(seed)
    return init_scale * rng.standard_normal((n_runs, arch.n_parameters))


def _best_fit(model, A, b, restarts, init_scale, seed, frozen, iters=300, progress=None,
              starts=None):
    """LM from ``restarts`` Gaussian starts per target (or the given ``starts``, shape
    (targets * restarts, P)); a dict with the best and all fits."""
    T = b.shape[0]
    if starts is None:
        rng = np.random.default_rng(seed)
        th0 = init_scale * rng.standard_normal((T * restarts, model.n_parameters))
    else:
        th0 = np.asarray(starts, dtype=float)
    bb = np.repeat(b, restarts, axis=0)
    out = _run(model, A, bb, th0, method="lm", lr=None, steps=iters, record_every=iters,
               frozen=frozen, record=False, progress=progress)
    loss = out["loss"].reshape(T, restarts)
    loss = np.where(out["diverged"].reshape(T, restarts), np.inf, loss)
    theta = out["theta"].reshape(T, restarts, -1)
    best = np.argmin(loss, axis=1)
    best_loss = loss[np.arange(T), best]
    hits = (loss <= best_loss[:, None] * (1 + 1e-6) + 1e-12).sum(axis=1)
    far = np.linalg.norm(theta, axis=-1) > ESCAPE_NORM
    return dict(theta=theta[np.arange(T), best], loss=best_loss, all_losses=loss,
                all_theta=theta, hits=hits, escaped=far.sum(axis=1), far=far,
                best_far=far[np.arange(T), best])


class _Loss:
    """``L(theta) = ||out(theta) - y||^2`` for data (``out = f_theta(X)``) or coefficients
    (``out = R c(theta)``, ``y = R t``)."""

    def __init__(self, arch, X=None, Y=None, target=None, inner_product="euclidean",
                 input_scale=1.0):
        self.arch = arch
        if target is not None:
            A, b = _problem(arch, target, inner_product, input_scale)
            self.A, self.y = A, b[0]
            self.mode = "coefficients"
        else:
            if X is None or Y is None:
                raise ValueError("give data X and Y, or a target coefficient vector target=")
            X = np.asarray(X, dtype=float)
            Y = np.asarray(Y, dtype=float).reshape(-1)
            self.X, self.y = X, Y
            self.mode = "data"

    def outputs(self, theta):
        """(B, m), complex parameters allowed."""
        theta = np.atleast_2d(theta)
        if self.mode == "coefficients":
            return _model(self.arch).coefficients(theta) @ self.A.T
        return evaluate(self.arch, theta, self.X).reshape(theta.shape[0], -1)

    def jacobian(self, theta):
        """(m, P) at one real point."""
        theta = np.asarray(theta, dtype=float)
        if self.mode == "coefficients":
            _, J = _model(self.arch).coefficients_and_jacobian(theta[None])
            return self.A @ J[0]
        return jacobian_float(self.arch, theta, self.X)

    def value(self, theta):
        r = self.outputs(theta) - self.y
        return np.einsum("bm,bm->b", r, r)

    def gradient(self, theta):
        theta = np.asarray(theta, dtype=float)
        r = self.outputs(theta[None])[0] - self.y
        return 2.0 * self.jacobian(theta).T @ r

    def _taylor(self, theta, directions, degree, radius=1.0):
        """Taylor coefficients in ``s`` of ``outputs(theta + s u)`` for each direction ``u``:
        exact interpolation on ``degree + 1`` roots of unity. Returns (K, degree + 1, m)."""
        n = degree + 1
        s = radius * np.exp(2j * np.pi * np.arange(n) / n)
        U = np.asarray(directions, dtype=float)
        pts = theta[None, None, :] + s[None, :, None] * U[:, None, :]
        vals = self.outputs(pts.reshape(-1, theta.size)).reshape(U.shape[0], n, -1)
        coeff = np.fft.fft(vals, axis=1) / n
        return (coeff / radius ** np.arange(n)[None, :, None]).real

    def hessian(self, theta):
        theta = np.asarray(theta, dtype=float)
        P = theta.size
        deg = _model(self.arch).parameter_degree
        J = self.jacobian(theta)
        r = self.outputs(theta[None])[0] - self.y
        # second derivatives of the outputs by polarization of second Taylor coefficients
        dirs, pairs = [], []
        for i in range(P):
            e = np.zeros(P)
            e[i] = 1.0
            dirs.append(e)
            pairs.append((i, i))
        for i in range(P):
            for j in range(i + 1, P):
                e = np.zeros(P)
                e[i] = e[j] = 1.0
                dirs.append(e)
                pairs.append((i, j))
        scale = max(1.0, float(np.abs(theta).max()))
        a2 = self._taylor(theta, dirs, deg, radius=scale)[:, 2, :]  # (K, m)
        D2 = np.zeros((P, P, a2.shape[1]))
        for k, (i, j) in enumerate(pairs):
            if i == j:
                D2[i, i] = 2.0 * a2[k]
        for k, (i, j) in enumerate(pairs):
            if i != j:
                D2[i, j] = D2[j, i] = a2[k] - 0.5 * D2[i, i] - 0.5 * D2[j, j]
        return 2.0 * J.T @ J + 2.0 * np.einsum("pqm,m->pq", D2, r)

    def along(self, theta, direction):
        """The loss ``L(theta + s u)`` as a polynomial in ``s`` (coefficients, ascending)."""
        deg = _model(self.arch).parameter_degree
        a = self._taylor(np.asarray(theta, float), [direction], deg,
                         radius=max(1.0, float(np.abs(theta).max())))[0]  # (deg+1, m)
        a = a.copy()
        a[0] -= self.y
        out = np.zeros(2 * deg + 1)
        for i in range(deg + 1):
            for j in range(deg + 1):
                out[i + j] += a[i] @ a[j]
        return out

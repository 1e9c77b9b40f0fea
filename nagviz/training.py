"""Training polynomial networks, and how gradient descent is drawn to subnetworks.

The loss is the squared distance in function space,

    ``L(w) = || f_w - t ||_G^2 = (c(w) - t)^T G (c(w) - t)``,

where ``c(w)`` is the coefficient vector of ``f_w`` (:func:`nagviz.coefficients`), ``t``
the coefficient vector of a target and ``G`` an inner product on the ambient space
(:func:`inner_product_matrix`): the Euclidean one on coefficients, the Bombieri–Weyl
one, or the one of a data distribution (``G = E[m(x) m(x)^T]`` for Gaussian inputs, so
that ``L`` is the expected squared error). Writing ``G = R^T R``, the loss is
``||R c(w) - R t||^2``, a nonlinear least-squares problem: every routine below works
with a matrix ``A = R`` and right-hand side ``b = R t``.

Two optimizers share one engine (:func:`train`):

* **plain gradient descent**: ``w <- w - lr * grad L(w)``, fixed learning rate,
  vectorized over a batch of runs;
* **Levenberg–Marquardt**: damped Gauss–Newton steps ``(J^T J + mu D) dw = -J^T r``.

A hidden *unit* (:class:`Unit`) is a neuron of an MLP (its incoming row, bias and
outgoing column) or a filter entry of a CNN. Setting its parameters to zero gives a
*subnetwork*. A run *ends at a subnetwork* when removing one unit changes the learned
function by less than a relative tolerance (:func:`unit_contributions`).
:func:`gd_subnetwork_experiment` counts the runs that end at a subnetwork although the
best fit of the full network (found by Levenberg–Marquardt restarts) is strictly better.

Supported models: :class:`nagviz.Architecture` (MLPs; a fast exact kernel for shallow
networks without biases, the general FFT route otherwise) and
:class:`nagviz.cnn.CNNArchitecture`.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ._results import LinesRepr
from .architecture import Architecture
from .cnn import CNNArchitecture, _cnn_jacobian, _grid, _values_to_coefficients, cnn_coefficients
from .dimension import _Floats, _jacobian
from .parameterization import coefficients as _mlp_coefficients

__all__ = [
    "Unit",
    "hidden_units",
    "inner_product_matrix",
    "sample_targets",
    "unit_contributions",
    "train",
    "gradient_descent",
    "levenberg_marquardt",
    "best_fit",
    "gd_subnetwork_experiment",
    "TrainingResult",
    "BestFitResult",
    "SubnetworkExperimentResult",
]

#: parameter vectors beyond this norm count as diverged
DIVERGENCE_NORM = 1e6
#: runs whose parameters end beyond this norm count as escaping to infinity (a heuristic
#: for targets of unit scale: the fits that converge have parameters of norm below ~10)
ESCAPE_NORM = 30.0
#: a loss this many times above the initial loss (plus one) counts as diverged
DIVERGENCE_LOSS = 1e6


# ----------------------------------------------------------------------------------
# hidden units
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """A hidden unit whose removal gives a subnetwork.

    Attributes
    ----------
    kind : str
        ``"neuron"`` (an MLP neuron) or ``"tap"`` (one entry of a CNN filter).
    layer : int
        1-based layer of the neuron, or 1-based filter index.
    index : int
        0-based index of the neuron in its layer, or of the entry in its filter.
    incoming, outgoing : tuple of int
        Flat parameter indices of the incoming weights (and bias) and outgoing weights.
        For a filter entry, ``incoming`` is the entry itself and ``outgoing`` is empty.
    """

    kind: str
    layer: int
    index: int
    incoming: tuple
    outgoing: tuple

    @property
    def parameters(self) -> tuple:
        """All flat parameter indices of the unit."""
        return self.incoming + self.outgoing

    @property
    def label(self) -> str:
        if self.kind == "neuron":
            return f"neuron {self.index + 1} of hidden layer {self.layer}"
        return f"entry {self.index} of filter {self.layer}"

    def __repr__(self) -> str:
        return f"Unit({self.label})"


def hidden_units(arch) -> tuple:
    """The hidden units of a network: MLP neurons or CNN filter entries.

    Examples
    --------
    >>> units = hidden_units(Architecture((2, 2, 1), 2))
    >>> units
    (Unit(neuron 1 of hidden layer 1), Unit(neuron 2 of hidden layer 1))
    >>> units[1].incoming, units[1].outgoing      # W1[1, :] and W2[:, 1]
    ((2, 3), (5,))
    >>> len(hidden_units(CNNArchitecture((3, 2), 2)))
    5
    """
    arch = _coerce(arch)
    if isinstance(arch, CNNArchitecture):
        out, pos = [], 0
        for i, k in enumerate(arch.filter_sizes):
            for m in range(k):
                out.append(Unit("tap", i + 1, m, (pos + m,), ()))
            pos += k
        return tuple(out)
    offsets, pos = [], 0
    for rows, cols in arch.layer_shapes:
        offsets.append(pos)
        pos += rows * cols + (rows if arch.bias else 0)
    units = []
    for layer in range(1, arch.depth):
        rows, cols = arch.layer_shapes[layer - 1]
        nrows, ncols = arch.layer_shapes[layer]
        for j in range(rows):
            inc = tuple(offsets[layer - 1] + j * cols + c for c in range(cols))
            if arch.bias:
                inc += (offsets[layer - 1] + rows * cols + j,)
            out = tuple(offsets[layer] + k * ncols + j for k in range(nrows))
            units.append(Unit("neuron", layer, j, inc, out))
    return tuple(units)


def _coerce(arch):
    if isinstance(arch, (Architecture, CNNArchitecture)):
        return arch
    return Architecture(arch)


# ----------------------------------------------------------------------------------
# models: coefficients and their exact Jacobian, batched
# ----------------------------------------------------------------------------------
class _Model:
    """``theta -> (c(theta), dc/dtheta)`` for a batch of parameter vectors."""

    def __init__(self, arch):
        self.arch = arch
        self.n_parameters = arch.n_parameters
        self.ambient_dimension = arch.ambient_dimension
        self.units = hidden_units(arch)
        act = arch.activation
        self.activation_coefficients = np.array([float(c) for c in act.coefficients])
        deg = 1
        for _ in range(arch.depth - 1):
            deg = act.degree * deg + 1
        #: degree of the coefficients as polynomials in the parameters
        self.parameter_degree = deg
        self._kernel = None
        self._tie = None
        if isinstance(arch, Architecture) and arch.depth == 2 and not arch.bias:
            self._kernel = _ShallowKernel(arch.widths[0], arch.widths[1], arch.widths[2],
                                          self.activation_coefficients, arch.monomials())
        elif isinstance(arch, CNNArchitecture) and arch.depth == 2:
            # a two-layer CNN is a shallow MLP whose weights are tied along shifts
            k1, k2 = arch.filter_sizes
            n, m = arch.input_length, arch.output_length
            hidden = arch.layer_lengths[1]
            E = np.zeros((hidden * n + m * hidden, k1 + k2))
            for j in range(hidden):
                for a in range(k1):
                    E[j * n + j + a, a] = 1.0
            for o in range(m):
                for b in range(k2):
                    E[hidden * n + o * hidden + o + b, k1 + b] = 1.0
            self._tie = E
            self._kernel = _ShallowKernel(n, hidden, m, self.activation_coefficients,
                                          arch.monomials())

    # the generic route: backpropagation at roots of unity, then an FFT
    def _generic(self, theta):
        arch, B = self.arch, theta.shape[0]
        n = arch.input_length if isinstance(arch, CNNArchitecture) else arch.widths[0]
        D = arch.output_degree
        grid = _grid(n, D)
        Xb = np.broadcast_to(grid, (B,) + grid.shape)
        thc = theta.astype(complex)
        if isinstance(arch, CNNArchitecture):
            m = arch.output_length
            J = _cnn_jacobian(arch, thc, Xb, _Floats(arch.activation))
            vals = _cnn_jacobian(arch, thc, Xb, _Floats(arch.activation), values_only=True)
        else:
            m = arch.widths[-1]
            J = _jacobian(arch, thc, Xb, _Floats(arch.activation))
            from .parameterization import evaluate

            vals = evaluate(arch, thc, grid)
        N = grid.shape[0]
        stacked = np.concatenate([vals.reshape(B, N, m, 1), J.reshape(B, N, m, -1)], axis=-1)
        C = _values_to_coefficients(stacked.reshape(B, N, -1), n, D, arch.monomials())
        C = C.reshape(B, m, 1 + self.n_parameters, -1).real  # (B, m, 1 + P, M)
        c = C[:, :, 0, :].reshape(B, -1)
        Jc = np.moveaxis(C[:, :, 1:, :], -1, -2).reshape(B, -1, self.n_parameters)
        return c, Jc

    def coefficients(self, theta):
        """(B, ambient) coefficient vectors (complex parameters allowed)."""
        theta = np.asarray(theta)
        if self._kernel is not None:
            return self._kernel.coefficients(self._expand(theta))
        B = theta.shape[0]
        if isinstance(self.arch, CNNArchitecture):
            return cnn_coefficients(self.arch, theta).reshape(B, -1)
        return _mlp_coefficients(self.arch, theta).reshape(B, -1)

    def coefficients_and_jacobian(self, theta):
        """``(c, J)`` with shapes (B, ambient) and (B, ambient, P)."""
        theta = np.asarray(theta, dtype=float)
        if self._kernel is None:
            return self._generic(theta)
        c, J = self._kernel.coefficients_and_jacobian(self._expand(theta))
        if self._tie is not None:
            J = J @ self._tie
        return c, J

    def loss_gradient(self, theta, A, b):
        """``(L, grad L)`` for ``L = ||A c(theta) - b||^2``, batched."""
        theta = np.asarray(theta, dtype=float)
        if self._kernel is not None:
            L, g = self._kernel.loss_gradient(self._expand(theta), A, b)
            return L, (g if self._tie is None else g @ self._tie)
        c, J = self._generic(theta)
        r = c @ A.T - b
        return np.einsum("bm,bm->b", r, r), 2.0 * np.einsum("bmp,bm->bp", J, r @ A)

    def _expand(self, theta):
        return theta if self._tie is None else theta @ self._tie.T


class _ShallowKernel:
    """Exact coefficients of ``V sigma(W x)`` and their derivatives, from monomial powers.

    ``c[o, e] = sum_j V[o, j] K[e] prod_i W[j, i]^e_i`` with ``K[e] = a_|e| multinomial(e)``,
    and ``d/dW[j, i] prod_i' W[j, i']^e_i' = e_i * (the monomial e - unit_i)``.
    """

    def __init__(self, d0, d1, d2, act, monomials):
        from .architecture import monomial_exponents

        self.d0, self.d1, self.d2 = d0, d1, d2
        E = np.array(monomials, dtype=int)  # (M, d0)
        self.E = E
        deg = E.sum(axis=1)
        mult = np.array([math.factorial(int(s)) / math.prod(math.factorial(int(x)) for x in e)
                         for s, e in zip(deg, E)])
        self.K = act[deg] * mult  # (M,)
        self.max_exp = int(E.max()) if E.size else 0
        low = sorted({s - 1 for s in deg.tolist() if s >= 1})
        E_low = [e for s in low for e in monomial_exponents(d0, s)] or [(0,) * d0]
        index = {tuple(e): k for k, e in enumerate(E_low)}
        self.E_low = np.array(E_low, dtype=int)
        self.low = np.zeros(E.shape, dtype=int)  # low[e, i] = index of e - unit_i
        for m, e in enumerate(E):
            for i in range(d0):
                if e[i] > 0:
                    f = e.copy()
                    f[i] -= 1
                    self.low[m, i] = index[tuple(f)]
        self.EK = E * self.K[:, None]  # (M, d0)

    def _split(self, theta):
        B = theta.shape[0]
        W = theta[:, :self.d0 * self.d1].reshape(B, self.d1, self.d0)
        V = theta[:, self.d0 * self.d1:].reshape(B, self.d2, self.d1)
        return W, V

    def _powers(self, W):
        pw = np.ones(W.shape + (self.max_exp + 1,), dtype=W.dtype)
        for k in range(1, self.max_exp + 1):
            pw[..., k] = pw[..., k - 1] * W
        return pw

    @staticmethod
    def _monomials(pw, E):
        # out[b, j, e] = prod_i W[b, j, i]^E[e, i]
        out = pw[:, :, 0, E[:, 0]]
        for i in range(1, E.shape[1]):
            out = out * pw[:, :, i, E[:, i]]
        return out

    def coefficients(self, theta):
        W, V = self._split(theta)
        P = self._monomials(self._powers(W), self.E)
        return (V @ (P * self.K)).reshape(theta.shape[0], -1)

    def _dmonomials(self, pw):
        # dP[b, j, e, i] = K[e] * d/dW[j, i] of the monomial e
        return self._monomials(pw, self.E_low)[:, :, self.low] * self.EK

    def coefficients_and_jacobian(self, theta):
        B = theta.shape[0]
        W, V = self._split(theta)
        pw = self._powers(W)
        PK = self._monomials(pw, self.E) * self.K  # (B, d1, M)
        c = (V @ PK).reshape(B, -1)
        dP = self._dmonomials(pw)  # (B, d1, M, d0)
        M = self.E.shape[0]
        dW = np.einsum("boj,bjmi->bomji", V, dP).reshape(B, self.d2 * M, -1)
        dV = np.einsum("op,bjm->bomp j".replace(" ", ""), np.eye(self.d2), PK)
        J = np.concatenate([dW, dV.reshape(B, self.d2 * M, -1)], axis=-1)
        return c, J

    def loss_gradient(self, theta, A, b):
        """Loss ``||A c - b||^2`` and its gradient, without forming the Jacobian."""
        B = theta.shape[0]
        W, V = self._split(theta)
        pw = self._powers(W)
        PK = self._monomials(pw, self.E) * self.K
        c = (V @ PK).reshape(B, -1)
        r = c @ A.T - b
        s = (r @ A).reshape(B, self.d2, -1)  # A^T r
        gV = np.einsum("bom,bjm->boj", s, PK)
        u = np.einsum("boj,bom->bjm", V, s)
        gW = np.einsum("bjm,bjmi->bji", u, self._dmonomials(pw))
        g = 2.0 * np.concatenate([gW.reshape(B, -1), gV.reshape(B, -1)], axis=1)
        return np.einsum("bm,bm->b", r, r), g


@lru_cache(maxsize=64)
def _model(arch) -> _Model:
    return _Model(arch)


# ----------------------------------------------------------------------------------
# inner products and targets
# ----------------------------------------------------------------------------------
def _gaussian_moment(k: int, s: float) -> float:
    return 0.0 if k % 2 else float(math.prod(range(k - 1, 0, -2))) * s ** k


@lru_cache(maxsize=64)
def _inner_product_cached(arch, kind: str, input_scale: float) -> np.ndarray:
    E = np.array(arch.monomials(), dtype=int)
    M = E.shape[0]
    if kind in ("euclidean", "identity"):
        block = np.eye(M)
    elif kind == "bombieri":
        deg = E.sum(axis=1)
        block = np.diag([math.prod(math.factorial(int(x)) for x in e) / math.factorial(int(s))
                         for s, e in zip(deg, E)])
    elif kind == "gaussian":
        block = np.empty((M, M))
        for a in range(M):
            for b in range(M):
                block[a, b] = math.prod(_gaussian_moment(int(x), input_scale)
                                        for x in E[a] + E[b])
    else:
        raise ValueError(f"unknown inner product {kind!r}; use 'euclidean', 'bombieri', "
                         "'gaussian' or a positive-definite matrix")
    outputs = arch.ambient_dimension // M
    G = np.kron(np.eye(outputs), block)
    G.setflags(write=False)
    return G


def inner_product_matrix(arch, inner_product="euclidean", input_scale: float = 1.0) -> np.ndarray:
    """The Gram matrix ``G`` of an inner product on the ambient space of coefficient vectors.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    inner_product : str or array_like
        * ``"euclidean"``: the standard inner product of coefficient vectors;
        * ``"bombieri"``: the Bombieri–Weyl inner product, ``<x^a, x^a> = a! / |a|!``
          (invariant under rotations of the inputs, within each degree);
        * ``"gaussian"``: the data inner product ``E[f(x) g(x)]`` for inputs
          ``x ~ N(0, input_scale^2 I)``: the loss is then the expected squared error;
        * a symmetric positive-definite matrix.
    input_scale : float, default 1
        Standard deviation of the inputs for ``"gaussian"``: a slider for the data
        distribution (larger inputs weigh high-degree monomials more).

    Examples
    --------
    >>> a = Architecture((1, 1, 1), "z^3 + z^2")       # monomials x^2, x^3
    >>> inner_product_matrix(a, "gaussian").tolist()    # E[x^4] = 3, E[x^5] = 0, E[x^6] = 15
    [[3.0, 0.0], [0.0, 15.0]]
    >>> inner_product_matrix(Architecture((2, 1, 1), 2), "bombieri").diagonal().tolist()
    [1.0, 0.5, 1.0]
    """
    arch = _coerce(arch)
    if isinstance(inner_product, str):
        return _inner_product_cached(arch, inner_product.lower(), float(input_scale))
    G = np.asarray(inner_product, dtype=float)
    n = arch.ambient_dimension
    if G.shape != (n, n) or not np.allclose(G, G.T):
        raise ValueError(f"the inner product must be a symmetric {n} x {n} matrix")
    if np.linalg.eigvalsh(G).min() <= 0:
        raise ValueError("the inner product matrix must be positive definite")
    return G


def _factor(G) -> np.ndarray:
    """``R`` with ``G = R^T R`` (upper Cholesky factor)."""
    return np.linalg.cholesky(G).T


def sample_targets(arch, n_targets: int, inner_product="euclidean", input_scale: float = 1.0,
                   seed=0) -> np.ndarray:
    """Gaussian targets in the ambient space, standard for the chosen inner product.

    ``t = R^{-1} z`` with ``z ~ N(0, I)`` and ``G = R^T R``: the coordinates of ``t`` in
    a ``G``-orthonormal basis are independent standard normals.

    Returns
    -------
    numpy.ndarray, shape (n_targets, ambient_dimension)

    Examples
    --------
    >>> sample_targets(Architecture((2, 2, 1), "z^3 + z^2"), 3, seed=0).shape
    (3, 7)
    """
    arch = _coerce(arch)
    R = _factor(inner_product_matrix(arch, inner_product, input_scale))
    z = np.random.default_rng(seed).standard_normal((int(n_targets), arch.ambient_dimension))
    return np.linalg.solve(R, z.T).T


def _problem(arch, targets, inner_product, input_scale):
    """``A`` and the right-hand sides ``b`` (B, m) of the least-squares problems."""
    R = _factor(inner_product_matrix(arch, inner_product, input_scale))
    t = np.atleast_2d(np.asarray(targets, dtype=float))
    if t.shape[-1] != arch.ambient_dimension:
        raise ValueError(f"targets must have {arch.ambient_dimension} coefficients, "
                         f"got shape {t.shape}")
    return R, t @ R.T


# ----------------------------------------------------------------------------------
# unit contributions (how far a network is from a subnetwork)
# ----------------------------------------------------------------------------------
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
    arch = _coerce(arch)
    theta = np.asarray(theta, dtype=float)
    flat = theta.reshape(-1, arch.n_parameters)
    model = _model(arch)
    A = _factor(inner_product_matrix(arch, inner_product, input_scale))
    if relative:
        scale = np.linalg.norm(model.coefficients(flat) @ A.T, axis=-1)
        scale = np.where(scale > 0, scale, 1.0)
    else:
        scale = np.ones(flat.shape[0])
    return _contributions(model, flat, A, scale).reshape(theta.shape[:-1] + (-1,))


# ----------------------------------------------------------------------------------
# the engine
# ----------------------------------------------------------------------------------
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

    Gradient descent: ``theta <- theta - lr * grad``, every step accepted; a run whose
    loss stops being finite or exceeds ``DIVERGENCE_LOSS * (initial loss + 1)``, or whose
    parameters exceed ``DIVERGENCE_NORM``, is frozen and marked diverged.
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
    diverged = ~np.isfinite(loss)
    active = ~diverged
    mu = np.full(B, 1e-2)
    last_iter = np.zeros(B, dtype=int)
    hist_steps, hist_loss, hist_theta = [], [], []

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
        with np.errstate(all="ignore"):
            if method == "gd":
                if frozen_idx is not None:
                    g[:, frozen_idx] = 0.0
                new = np.where(active[:, None], theta - lr * g, theta)
                loss_new, g_new = model.loss_gradient(new, A, b)
            else:
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
            bad |= loss_new > DIVERGENCE_LOSS * (loss0 + 1.0)
        if method == "gd":
            accept = active & ~bad
            diverged |= active & bad
            active &= ~bad
            g = np.where(accept[:, None], g_new, g)
        else:
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


# ----------------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------------
def _fmt_ip(inner_product, input_scale):
    if isinstance(inner_product, str):
        return inner_product + (f" (input scale {input_scale:g})"
                                if inner_product == "gaussian" else "")
    return "custom matrix"


@dataclass(frozen=True, repr=False)
class TrainingResult(LinesRepr):
    """A batch of training runs and their trajectories.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    method : str
        ``"gradient descent"`` or ``"Levenberg-Marquardt"``.
    learning_rate : float or None
        For gradient descent.
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

    @property
    def n_runs(self) -> int:
        return int(self.theta.shape[0])

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


def _initial(arch, n_runs, init_scale, seed, theta0):
    if theta0 is not None:
        th = np.atleast_2d(np.asarray(theta0, dtype=float))
        if th.shape[1] != arch.n_parameters:
            raise ValueError(f"theta0 must have {arch.n_parameters} entries per run")
        return np.broadcast_to(th, (n_runs, arch.n_parameters)).copy()
    rng = np.random.default_rng(seed)
    return init_scale * rng.standard_normal((n_runs, arch.n_parameters))


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
    lr : float
        Learning rate of gradient descent.
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
    arch = _coerce(arch)
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
        learning_rate=float(lr) if method == "gd" else None,
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


# ----------------------------------------------------------------------------------
# best fits by restarts
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BestFitResult:
    """The best fit found by Levenberg–Marquardt from many random starts, per target.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    restarts : int
    init_scale : float
    inner_product : str
    seed : int
    frozen_units : tuple of Unit
        Units held at zero (a subnetwork), if any.
    targets : numpy.ndarray, (n_targets, ambient)
    theta : numpy.ndarray, (n_targets, n_parameters)
    loss : numpy.ndarray, (n_targets,)
        The smallest loss over the restarts (an upper bound for the infimum).
    all_losses : numpy.ndarray, (n_targets, restarts)
    hits : numpy.ndarray of int, (n_targets,)
        Restarts within relative ``1e-6`` of the best: how reproducible the best fit is.
    escaped : numpy.ndarray of int, (n_targets,)
        Restarts whose parameters ended beyond ``ESCAPE_NORM`` (30) in norm: the infimum of the loss
        may be approached only at infinity (neuromanifolds need not be closed).
    """

    architecture: object
    restarts: int
    init_scale: float
    inner_product: str
    seed: int
    frozen_units: tuple
    targets: np.ndarray = field(repr=False)
    theta: np.ndarray = field(repr=False)
    loss: np.ndarray = field(repr=False)
    all_losses: np.ndarray = field(repr=False)
    hits: np.ndarray = field(repr=False)
    escaped: np.ndarray = field(repr=False)

    def __repr__(self) -> str:
        sub = f", units held at zero: {list(self.frozen_units)}" if self.frozen_units else ""
        return (f"BestFitResult: Levenberg-Marquardt, {self.restarts} restarts per target on "
                f"{self.architecture!r}{sub}\n  {len(self.loss)} target(s), best losses "
                f"{np.array2string(self.loss[:6], precision=4)}"
                f"{' ...' if len(self.loss) > 6 else ''}"
                f"\n  init scale {self.init_scale:g}, inner product {self.inner_product}, "
                f"seed {self.seed}")

    def _repr_html_(self) -> str:
        return "<pre class='nagviz-result'>" + repr(self) + "</pre>"


def _best_fit(model, A, b, restarts, init_scale, seed, frozen, iters=300, progress=None):
    """LM from ``restarts`` Gaussian starts per target; a dict with the best and all fits."""
    T = b.shape[0]
    rng = np.random.default_rng(seed)
    th0 = init_scale * rng.standard_normal((T * restarts, model.n_parameters))
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


def best_fit(arch, targets, *, restarts: int = 30, init_scale: float = 1.0, frozen_units=(),
             inner_product="euclidean", input_scale: float = 1.0, iterations: int = 300,
             seed=0, progress=None) -> BestFitResult:
    """The best fit of each target over many Levenberg–Marquardt restarts.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    targets : array_like, shape (ambient,) or (n_targets, ambient)
    restarts : int
        Random starts per target (Gaussian, standard deviation ``init_scale``).
    frozen_units : sequence of Unit or int
        Units (or indices into :func:`hidden_units`) held at zero: the best fit of that
        subnetwork.
    inner_product, input_scale
        The inner product of the loss.
    iterations : int
        Levenberg–Marquardt iterations per start.
    seed : int
    progress : callable, optional
        ``progress(done, total)``.

    Returns
    -------
    BestFitResult

    Examples
    --------
    >>> a = Architecture((2, 1, 1), 2)                # the cone b^2 = 4ac
    >>> fit = best_fit(a, [1.0, 0.0, 1.0], restarts=5)  # x^2 + y^2: rank 2, not on the cone
    >>> round(float(fit.loss[0]), 6)                   # best rank-1 fit: x^2 (or y^2)
    1.0
    """
    arch = _coerce(arch)
    model = _model(arch)
    A, b = _problem(arch, targets, inner_product, input_scale)
    units = tuple(model.units[u] if isinstance(u, (int, np.integer)) else u for u in frozen_units)
    frozen = sorted({i for u in units for i in u.parameters})
    fit = _best_fit(model, A, b, int(restarts), init_scale, seed, frozen, iters=iterations,
                    progress=progress)
    return BestFitResult(arch, int(restarts), float(init_scale),
                         _fmt_ip(inner_product, input_scale), seed, units,
                         np.atleast_2d(np.asarray(targets, dtype=float)), fit["theta"],
                         fit["loss"], fit["all_losses"], fit["hits"], fit["escaped"])


# ----------------------------------------------------------------------------------
# the experiment: how often does training end at a subnetwork it should not?
# ----------------------------------------------------------------------------------
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
    arch = _coerce(arch)
    ip = inner_product if isinstance(inner_product, str) else \
        tuple(map(tuple, np.asarray(inner_product, dtype=float)))
    return _experiment_cached(arch, int(n_runs), float(init_scale), float(lr), int(steps),
                              int(seed), method, int(restarts), ip, float(input_scale),
                              float(dead_tolerance), float(loss_tolerance), progress)


def _experiment_cached(arch, n_runs, init_scale, lr, steps, seed, method, restarts, ip,
                       input_scale, dead_tolerance, loss_tolerance, progress):
    key = (arch, n_runs, init_scale, lr, steps, seed, method, restarts, ip, input_scale,
           dead_tolerance, loss_tolerance)
    if key in _EXPERIMENT_CACHE:
        return _EXPERIMENT_CACHE[key]
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
    if len(_EXPERIMENT_CACHE) > 32:
        _EXPERIMENT_CACHE.pop(next(iter(_EXPERIMENT_CACHE)))
    _EXPERIMENT_CACHE[key] = result
    return result


_EXPERIMENT_CACHE: dict = {}

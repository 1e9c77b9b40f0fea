"""Loss landscapes of tiny networks with every critical point, and where gradient descent ends.

For a network with two parameters the loss ``L(w) = (phi(w) - t)^T G (phi(w) - t)`` is a
polynomial, and its critical points are the solutions of ``grad L = 0``: a polynomial
system that sympy solves *exactly* (Groebner bases), so that the list is complete, not a
list of the places some descent happened to stop. Each critical point is classified

* by its **Hessian**: minimum, saddle, maximum, or degenerate (semidefinite and singular);
* as **pure** (its function ``phi(w)`` is a critical point of the distance from ``t`` on the
  neuromanifold ``M``) or **spurious** (it is critical only because the Jacobian of
  ``phi`` drops rank there).

:func:`descent_outcomes` then runs plain gradient descent from hundreds of random
initialisations (all runs in one vectorised loop), over several seeds, and reports where
the runs end against the list of critical points, with 95% Wilson intervals.

Pure mathematics (numpy, sympy): nothing here draws.

Examples
--------
>>> r = landscape_critical_points(NAPPE, (-1, 0.5, -1))       # a negative definite target
>>> [(p.kind, p.pure) for p in r.points]                      # w = 0 is all there is
[('minimum', False)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from ._polynomial_systems import as_rational, solve_zero_dimensional
from ._results import LinesRepr
from .critical_points import CONE_EQUATION, CONE_EXPONENTS, CONE_VARIABLES, gram_matrix
from .statistics import wilson_interval
from .cache import memoize

__all__ = ["TinyNetwork", "NAPPE", "BENT_NEURON", "CriticalPoint", "LandscapeResult",
           "DescentOutcomes", "landscape_critical_points", "descent_outcomes", "loss_grid",
           "classify_hessian"]


@dataclass(frozen=True)
class TinyNetwork:
    """A network with a handful of parameters, written out as polynomials.

    Attributes
    ----------
    name : str
    parameters : tuple of sympy.Symbol
        The weights ``theta``.
    coefficients : tuple of sympy.Expr
        ``phi(theta)``: the coefficients of the network's function in ``monomials``.
    monomials : tuple of str
    exponents : tuple of tuple of int
        The monomials as exponent vectors (for :func:`nagviz.critical_points.gram_matrix`).
    equation : sympy.Expr or None
        The equation of the neurovariety ``V`` in the coordinates ``coordinates`` (a
        hypersurface), or ``None`` when the network fills its ambient space.
    coordinates : tuple of sympy.Symbol
    """

    name: str
    parameters: tuple
    coefficients: tuple
    monomials: tuple
    exponents: tuple
    equation: object = None
    coordinates: tuple = ()

    def __repr__(self):
        return f"TinyNetwork({self.name})"

    @property
    def n_parameters(self) -> int:
        return len(self.parameters)

    @property
    def ambient_dimension(self) -> int:
        return len(self.coefficients)


_p, _q = sympy.symbols("p q")
_w, _v = sympy.symbols("w v")

#: one quadratic neuron with out-weight fixed to +1: ``f = (p x + q y)^2``; its
#: neuromanifold is one nappe of the cone ``b^2 = 4ac`` (the positive semidefinite forms)
NAPPE = TinyNetwork("f = (p x + q y)^2, one nappe of the cone b^2 = 4ac", (_p, _q),
                    (_p ** 2, 2 * _p * _q, _q ** 2), ("x^2", "xy", "y^2"), CONE_EXPONENTS,
                    CONE_EQUATION, CONE_VARIABLES)
#: one neuron with ``sigma(z) = z + z^2`` on a scalar input: ``f = v w x + v w^2 x^2``; it
#: fills the plane of coefficients (all but the line of pure quadratics ``c_1 = 0``)
BENT_NEURON = TinyNetwork("f(x) = v σ(w x), σ(z) = z + z², filling", (_w, _v),
                          (_v * _w, _v * _w ** 2), ("x", "x^2"), ((1,), (2,)))


def _gram(network: TinyNetwork, gram):
    if gram is None:
        gram = "coefficient"
    if isinstance(gram, str):
        return gram_matrix(gram, network.exponents)
    G = sympy.Matrix(gram).applyfunc(as_rational)      # exact: floats as the decimals they print
    n = network.ambient_dimension
    if G.shape != (n, n) or G != G.T:
        raise ValueError(f"the Gram matrix must be a symmetric {n} x {n} matrix")
    return G


@memoize(maxsize=16)
def _symbolic(network: TinyNetwork):
    """Lambdified phi, its Jacobian, and the Hessian pieces of the loss."""
    th = network.parameters
    phi = sympy.Matrix(network.coefficients)
    J = phi.jacobian(th)
    H = [[sympy.Matrix([sympy.diff(c, a, b) for c in network.coefficients])
          for b in th] for a in th]
    f_phi = sympy.lambdify(th, list(phi), "numpy")
    f_J = sympy.lambdify(th, J.tolist(), "numpy")
    f_H = sympy.lambdify(th, [[list(h) for h in row] for row in H], "numpy")
    grad_F = None
    if network.equation is not None:
        grad_F = sympy.lambdify(network.coordinates,
                                [sympy.diff(network.equation, c) for c in network.coordinates],
                                "numpy")
    return f_phi, f_J, f_H, grad_F


def _as_array(values, shape_tail, n):
    """Broadcast a lambdified nested list (constants come back as scalars) to an array."""
    leaves = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        else:
            leaves.append(np.broadcast_to(np.asarray(v, dtype=float), (n,)))

    walk(values)
    return np.stack(leaves, axis=-1).reshape((n,) + shape_tail)


def classify_hessian(eigenvalues, tol: float = 1e-8) -> str:
    """``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"`` from Hessian eigenvalues.

    Indefinite means saddle even with a zero eigenvalue; semidefinite and singular is
    degenerate (the second derivative test says nothing there).

    Examples
    --------
    >>> classify_hessian([2.0, 1.0]), classify_hessian([2.0, -1.0]), classify_hessian([0.0, 1.0])
    ('minimum', 'saddle', 'degenerate')
    """
    e = np.asarray(eigenvalues, dtype=float)
    t = tol * max(1.0, float(np.abs(e).max(initial=0.0)))
    if np.any(e > t) and np.any(e < -t):
        return "saddle"
    if np.all(e > t):
        return "minimum"
    if np.all(e < -t):
        return "maximum"
    return "degenerate"


@dataclass(frozen=True)
class CriticalPoint:
    """One real critical point of a tiny network's loss.

    Attributes
    ----------
    parameters : tuple of float
    function : tuple of float
        ``phi(parameters)``, the coefficients of its function.
    loss : float
    hessian_eigenvalues : tuple of float
    kind : str
        ``"minimum"``, ``"saddle"``, ``"maximum"`` or ``"degenerate"``.
    pure : bool
        Its function is critical for the distance on the neuromanifold.
    jacobian_rank : int
        Rank of ``d phi`` there (spurious points sit where it drops).
    """

    parameters: tuple
    function: tuple
    loss: float
    hessian_eigenvalues: tuple
    kind: str
    pure: bool
    jacobian_rank: int

    def __repr__(self):
        w = ", ".join(f"{x:+.4f}" for x in self.parameters)
        return (f"CriticalPoint(θ = ({w}), {self.kind}, {'pure' if self.pure else 'spurious'}, "
                f"loss {self.loss:.4f}, rank dphi = {self.jacobian_rank})")


@dataclass(frozen=True, repr=False)
class LandscapeResult(LinesRepr):
    """Every critical point of ``L(w) = (phi(w) - t)^T G (phi(w) - t)`` for a tiny network.

    Attributes
    ----------
    network : TinyNetwork
    target : tuple of sympy.Rational
    gram : sympy.Matrix
    points : tuple of CriticalPoint
        The real critical points, by increasing loss.
    n_complex : int
        Complex solutions of ``grad L = 0`` counted with multiplicity.
    """

    network: TinyNetwork
    target: tuple
    gram: object
    points: tuple
    n_complex: int

    def count(self, kind=None, pure=None) -> int:
        """How many real critical points have the given kind and/or purity."""
        return sum(1 for p in self.points if (kind is None or p.kind == kind)
                   and (pure is None or p.pure == pure))

    def _lines(self):
        return ([f"LandscapeResult: {self.network.name}",
                 f"  target {tuple(str(t) for t in self.target)}, Gram matrix "
                 f"{self.gram.tolist()}",
                 f"  {len(self.points)} real critical point{'s' * (len(self.points) != 1)} "
                 f"of {self.n_complex} complex "
                 "(exact: sympy Groebner basis)"]
                + [f"  {p!r}" for p in self.points])


def _loss_expression(network, target, G):
    r = sympy.Matrix(network.coefficients) - sympy.Matrix(target)
    return sympy.expand((r.T * G * r)[0])


def landscape_critical_points(network: TinyNetwork, target, gram=None,
                              tol: float = 1e-8) -> LandscapeResult:
    """All critical points of the squared loss of a tiny network, solved exactly.

    Parameters
    ----------
    network : TinyNetwork
    target : sequence of numbers
        Coefficients of the target function (floats are read as the decimals they print
        as, so slider values are exact rationals).
    gram : str or matrix, optional
        The inner product (see :func:`nagviz.critical_points.gram_matrix`; default the plain
        coefficient one).
    tol : float
        Relative tolerance for a zero Hessian eigenvalue and for the purity test.

    Examples
    --------
    >>> r = landscape_critical_points(NAPPE, (1, 0.5, 0.5), "bombieri")   # positive definite
    >>> sorted((p.kind, p.pure) for p in r.points)
    [('maximum', False), ('minimum', True), ('minimum', True), ('saddle', True), ('saddle', True)]
    """
    if not isinstance(network, TinyNetwork):
        raise TypeError(f"network must be a TinyNetwork, got {type(network).__name__}")
    target = tuple(as_rational(t) for t in np.asarray(target, dtype=object).ravel())
    if len(target) != network.ambient_dimension:
        raise ValueError(f"the target needs {network.ambient_dimension} coefficients "
                         f"({', '.join(network.monomials)}), got {len(target)}")
    G = _gram(network, gram)
    L = _loss_expression(network, target, G)
    th = network.parameters
    grad = [sympy.expand(sympy.diff(L, a)) for a in th]
    n_complex, _, real, _ = solve_zero_dimensional(grad, th)
    f_phi, f_J, f_H, grad_F = _symbolic(network)
    Gf = np.array(G, dtype=float)
    t = np.array(target, dtype=float)
    points = []
    for w in real:
        phi = np.array(f_phi(*w), dtype=float)
        J = np.array(f_J(*w), dtype=float)
        r = phi - t
        # Hessian of L = 2 J^T G J + 2 sum_k (G r)_k Hess(phi_k)
        Hphi = np.array(f_H(*w), dtype=float)                    # (n, n, m)
        H = 2 * J.T @ Gf @ J + 2 * np.einsum("abk,k->ab", Hphi, Gf @ r)
        eig = np.linalg.eigvalsh((H + H.T) / 2)
        rank = int(np.linalg.matrix_rank(J, tol=1e-9 * max(1.0, np.abs(J).max())))
        scale = max(1.0, float(np.abs(t).max()))
        if np.linalg.norm(r) < tol * scale:
            pure = True                                    # a perfect fit
        elif grad_F is None:
            pure = False                                   # filling: only t is critical
        else:
            n = np.array(grad_F(*phi), dtype=float)
            g = Gf @ r
            smooth = np.linalg.norm(n) > tol * scale
            parallel = np.linalg.matrix_rank(np.stack([n, g]), tol=1e-7 * scale * max(
                1.0, np.linalg.norm(n))) <= 1
            pure = bool(smooth and parallel)
        points.append(CriticalPoint(tuple(float(x) for x in w), tuple(float(x) for x in phi),
                                    float(r @ Gf @ r), tuple(float(e) for e in eig),
                                    classify_hessian(eig, tol), pure, rank))
    points.sort(key=lambda p: (p.loss, p.parameters))
    return LandscapeResult(network, target, G, tuple(points), n_complex)


def loss_grid(network: TinyNetwork, target, gram=None, lim: float = 2.0, n: int = 81):
    """The loss on an ``n x n`` grid of the parameter square ``[-lim, lim]^2``.

    Returns ``(w1, w2, L)`` with ``L[i, j]`` the loss at ``(w1[j], w2[i])``.

    Examples
    --------
    >>> w1, w2, L = loss_grid(NAPPE, (1, 0, 1), n=5)
    >>> float(L[2, 2])                   # at w = 0 the loss is |t|^2
    2.0
    """
    if network.n_parameters != 2:
        raise ValueError("a loss grid needs a network with exactly two parameters")
    f_phi, _, _, _ = _symbolic(network)
    G = np.array(_gram(network, gram), dtype=float)
    w = np.linspace(-lim, lim, int(n))
    W1, W2 = np.meshgrid(w, w)
    phi = _as_array(f_phi(W1.ravel(), W2.ravel()), (network.ambient_dimension,), W1.size)
    r = phi - np.asarray(target, dtype=float)
    return w, w, np.einsum("ri,ij,rj->r", r, G, r).reshape(W1.shape)


# ----------------------------------------------------------------------------- descent
@dataclass(frozen=True, repr=False)
class DescentOutcomes(LinesRepr):
    """Where gradient descent from many random initialisations ends.

    Attributes
    ----------
    landscape : LandscapeResult
        The exact critical points the runs are compared with.
    labels : tuple of str
        One per critical point, then ``"elsewhere"`` (not within ``tol`` of any critical
        point after ``steps`` steps, e.g. still crawling) and ``"diverged"``.
    counts : ndarray
        ``counts[s, j]``: runs of seed ``s`` ending at outcome ``j``.
    seeds : tuple of int
    final : ndarray
        Final parameters of every run, ``(n_seeds, n_runs, n_parameters)``.
    lr, steps, init_scale, tol : float, int, float, float
    """

    landscape: LandscapeResult
    labels: tuple
    counts: np.ndarray
    seeds: tuple
    final: np.ndarray
    lr: float
    steps: int
    init_scale: float
    tol: float

    def plot(self, ax=None):
        """Fractions of runs per outcome with 95% intervals, with matplotlib (:func:`nagviz.plotting.plot_descent_outcomes`); returns the matplotlib axes."""
        from .plotting import plot_descent_outcomes

        return plot_descent_outcomes(self, ax=ax)

    @property
    def n_runs(self) -> int:
        return int(self.counts.sum())

    @property
    def totals(self) -> np.ndarray:
        return self.counts.sum(axis=0)

    def intervals(self) -> list:
        """95% Wilson intervals of the fraction of runs ending at each outcome (pooled)."""
        return [wilson_interval(int(k), self.n_runs) for k in self.totals]

    def _lines(self):
        lines = [f"DescentOutcomes: {self.landscape.network.name}",
                 f"  {self.n_runs} runs ({len(self.seeds)} seeds {list(self.seeds)} x "
                 f"{self.final.shape[1]}), lr {self.lr}, "
                 f"{self.steps} steps, init N(0, {self.init_scale}^2), tolerance {self.tol}"]
        for label, k, (lo, hi), row in zip(self.labels, self.totals, self.intervals(),
                                          self.counts.T):
            lines.append(f"  {label:<44} {int(k):>5}  {k / self.n_runs:6.1%} "
                         f"[{lo:.1%}, {hi:.1%}]  per seed {row.tolist()}")
        return lines


def _label(p: CriticalPoint) -> str:
    w = ", ".join(f"{x:+.2f}" for x in p.parameters)
    return f"({w}) {p.kind}, {'pure' if p.pure else 'spurious'}"


@memoize(maxsize=16)
def _phi_and_jacobian(network: TinyNetwork):
    """``W -> (phi(W), dphi(W))`` for a batch ``W`` of shape (R, n): one lambdified call."""
    th = network.parameters
    phi = list(network.coefficients)
    J = sympy.Matrix(phi).jacobian(th)
    m, n = len(phi), len(th)
    flat = sympy.lambdify(th, phi + list(J), "numpy")

    def evaluate(W):
        R = W.shape[0]
        out = np.empty((R, m + m * n))
        for k, v in enumerate(flat(*W.T)):
            out[:, k] = v                              # constants broadcast
        return out[:, :m], out[:, m:].reshape(R, m, n)

    return evaluate


def _encode_runs(runs):
    return {"final": runs["final"].tolist(), "alive": runs["alive"].tolist()}


def _decode_runs(record):
    return {"final": np.array(record["final"], dtype=float).reshape(len(record["final"]), -1),
            "alive": np.array(record["alive"], dtype=bool)}


def _valid_runs(runs, network, target, gram, n_runs, seeds, *args):
    R = n_runs * len(seeds)
    return (runs["final"].shape == (R, network.n_parameters) and runs["alive"].shape == (R,)
            and bool(np.all(np.isfinite(runs["final"]))))


@memoize("landscapes.descent_runs", disk=True, maxsize=16, encode=_encode_runs,
         decode=_decode_runs, validate=_valid_runs)
def _descent_runs(network, target, gram, n_runs, seeds, lr, steps, init_scale):
    """Final parameters of every run of :func:`descent_outcomes` (memoized, on disk too).

    ``target`` and ``gram`` are exact (rationals); the runs are one vectorised loop of
    plain gradient descent on ``L = (phi - t)^T G (phi - t)``, ``grad L = 2 J^T G (phi - t)``.
    """
    evaluate = _phi_and_jacobian(network)
    G = np.array(gram, dtype=float)
    t = np.array(target, dtype=float)
    n = network.n_parameters
    W = np.concatenate([np.random.default_rng(s).normal(0.0, init_scale, size=(n_runs, n))
                        for s in seeds])
    alive = np.ones(len(W), dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            phi, J = evaluate(W)
            g = 2 * np.einsum("rmn,rm->rn", J, (phi - t) @ G.T)
            W = W - lr * g
            alive &= np.abs(W).max(axis=1) <= 1e6        # False for inf and NaN too
            W[~alive] = 0.0
    return {"final": W, "alive": alive}


def descent_outcomes(network: TinyNetwork, target, gram=None, n_runs: int = 300,
                     seeds=(0, 1, 2), lr: float = 0.02, steps: int = 3000,
                     init_scale: float = 1.0, tol: float = 0.05) -> DescentOutcomes:
    """Plain gradient descent from ``n_runs`` Gaussian initialisations per seed.

    All runs of all seeds move together in one vectorised loop, whose final points are
    memoized on disk (:func:`nagviz.cache.memoize`). A run *ends at* a critical point when
    its final parameters lie within ``tol`` of it.

    Examples
    --------
    >>> out = descent_outcomes(NAPPE, (-1, 0.5, -1), "bombieri", n_runs=50, seeds=(0, 1),
    ...                        steps=2000)
    >>> out.labels[0], int(out.totals[0])         # every run ends at the spurious minimum
    ('(+0.00, +0.00) minimum, spurious', 100)
    """
    if n_runs < 1 or steps < 1 or lr <= 0 or init_scale <= 0:
        raise ValueError("need n_runs >= 1, steps >= 1, lr > 0 and init_scale > 0")
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("give at least one seed")
    landscape = landscape_critical_points(network, target, gram)
    n = network.n_parameters
    gram_key = tuple(tuple(row) for row in landscape.gram.tolist())
    runs = _descent_runs(network, landscape.target, gram_key, int(n_runs), seeds, float(lr),
                         int(steps), float(init_scale))
    W, alive = runs["final"].copy(), runs["alive"].copy()      # the cache keeps its own
    R = len(W)
    P = np.array([p.parameters for p in landscape.points]).reshape(-1, n)
    labels = tuple(_label(p) for p in landscape.points) + ("elsewhere", "diverged")
    outcome = np.full(R, len(P))
    if len(P):
        d = np.linalg.norm(W[:, None, :] - P[None], axis=2)
        near = d.min(axis=1) < tol
        outcome[near] = d.argmin(axis=1)[near]
    outcome[~alive] = len(P) + 1
    counts = np.stack([np.bincount(outcome[i * n_runs:(i + 1) * n_runs],
                                   minlength=len(labels)) for i in range(len(seeds))])
    return DescentOutcomes(landscape, labels, counts, seeds, W.reshape(len(seeds), n_runs, n),
                           float(lr), int(steps), float(init_scale), float(tol))

"""Critical points of the squared distance: ED degrees, Eckart-Young, data discriminants.

Training with the squared loss is a nearest-point problem: find the point of the
neuromanifold ``M`` nearest to a target ``u`` for an inner product ``<f, g> = f^T G g`` on
coefficient vectors. This module counts and computes the critical points of that problem
exactly.

* :func:`eckart_young` -- matrices of rank ``<= k`` under the Frobenius inner product: the
  critical points are the sums of ``k`` singular triples of the target, ``binom(min(m, n), k)``
  of them, all real.
* :func:`ed_degree` -- for a hypersurface ``F = 0``, the critical equations solved with
  sympy Groebner bases: the number of complex solutions is the dimension of the quotient
  ring (counted from the leading monomials), the real ones are isolated exactly.
* :func:`quadric_ed_degree` -- the closed form for a quadric cone ``x^T Q x = 0``:
  ``2 (k - 1)`` with ``k`` the number of distinct non-zero eigenvalues of ``Q`` relative to
  ``G``; a second, independent way to the same counts.
* :class:`QuadricCriticalPoints` -- the same critical points, vectorised over many targets
  (a grid of targets in a few milliseconds), and :func:`ed_discriminant`, the polynomial in
  the target whose zero set separates regions with different numbers of real critical
  points (the *data discriminant*).
* :func:`gram_matrix` -- exact Gram matrices: the plain coefficient inner product, the
  Bombieri inner product, the moment matrix ``E[m(x) m(x)^T]`` that a data distribution
  induces, and random positive-definite ones.

Loss landscapes of tiny networks live in :mod:`nagviz.landscapes`.
Pure mathematics (numpy, scipy, sympy): nothing here draws.

Examples
--------
>>> import sympy
>>> a, b, c, d = sympy.symbols("a b c d")
>>> ed_degree(a * d - b * c, (a, b, c, d)).n_complex       # 2x2 rank one, Frobenius
2
>>> ed_degree(a * d - b * c, (a, b, c, d), gram_matrix("random", 4, seed=1)).n_complex
6
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy

from ._polynomial_systems import as_rational, solve_zero_dimensional
from ._results import LinesRepr
from .cache import memoize
# Eckart-Young is numpy alone: it lives in nagviz.low_rank (no sympy import) and is
# offered here too, beside the other critical-point counts
from .low_rank import EckartYoungResult, eckart_young, rank_k_normal_residual

__all__ = [
    "CONE", "CONE_EQUATION", "CONE_VARIABLES", "EckartYoungResult", "EDDegreeResult",
    "QuadricCriticalPoints", "DiscriminantResult", "cone_slice_target", "eckart_young",
    "data_inner_product", "ed_degree", "ed_discriminant", "gram_matrix",
    "kurtosis_gram_matrix", "quadric_ed_degree",
    "rank_k_normal_residual", "real_counts_along_path",
]

#: coefficients ``(a, b, c)`` of a binary quadratic ``a x^2 + b xy + c y^2``
CONE_VARIABLES = sympy.symbols("a b c")
#: the cone of the network (2, 1, 1) with ``sigma(z) = z^2``: forms ``v (w . x)^2``
CONE_EQUATION = CONE_VARIABLES[1] ** 2 - 4 * CONE_VARIABLES[0] * CONE_VARIABLES[2]
#: exponents of the monomials ``x^2, xy, y^2`` (the order of ``nagviz.monomial_labels``)
CONE_EXPONENTS = ((2, 0), (1, 1), (0, 2))
CONE = (CONE_EQUATION, CONE_VARIABLES)


# ----------------------------------------------------------------------------- helpers
# ----------------------------------------------------------------------------- Gram matrices
def _moment(k: int, distribution: str) -> sympy.Rational:
    if k % 2:
        return sympy.Integer(0)
    if distribution == "gaussian":
        return sympy.Integer(math.prod(range(k - 1, 0, -2)))
    if distribution == "uniform":           # uniform on [-1, 1]
        return sympy.Rational(1, k + 1)
    raise ValueError(f"unknown distribution {distribution!r}; use 'gaussian' or 'uniform'")


def gram_matrix(kind: str, size_or_exponents=CONE_EXPONENTS, seed: int = 0) -> sympy.Matrix:
    """An exact Gram matrix ``G`` of an inner product ``<f, g> = f^T G g`` on coefficients.

    Parameters
    ----------
    kind : {"coefficient", "bombieri", "gaussian", "uniform", "random"}
        * ``"coefficient"``: the plain inner product of coefficient vectors (``G = I``; for
          matrices this is the Frobenius inner product);
        * ``"bombieri"``: ``<x^a, x^b> = 0`` for ``a != b`` and ``<x^a, x^a> = a! / |a|!``
          (multi-index factorials): for quadratic forms it is the Frobenius inner product
          of their symmetric matrices, and it is invariant under rotations of the inputs;
        * ``"gaussian"``, ``"uniform"``: the moment matrix ``E[m(x) m(x)^T]`` of the
          monomials ``m`` for inputs with independent standard Gaussian coordinates, or
          coordinates uniform on ``[-1, 1]``. This is the inner product a data distribution
          induces: ``E[(f(x) - g(x))^2] = (f - g)^T G (f - g)``;
        * ``"random"``: a random positive-definite matrix with small rational entries.
    size_or_exponents : int or sequence of exponent tuples
        The monomials (default: ``x^2, xy, y^2``); an integer ``n`` for ``"coefficient"``
        and ``"random"`` on an abstract ``n``-dimensional space.
    seed : int
        For ``"random"``.

    Examples
    --------
    >>> gram_matrix("bombieri").diagonal().tolist()
    [[1, 1/2, 1]]
    >>> gram_matrix("gaussian").tolist()        # E[x^4] = 3, E[x^2 y^2] = 1
    [[3, 0, 1], [0, 1, 0], [1, 0, 3]]
    """
    if isinstance(size_or_exponents, (int, np.integer)):
        n, exponents = int(size_or_exponents), None
    else:
        exponents = [tuple(int(e) for e in row) for row in size_or_exponents]
        n = len(exponents)
    if n < 1:
        raise ValueError(f"the space must have dimension >= 1, got {n}")
    kind = str(kind).lower()
    if kind == "coefficient":
        return sympy.eye(n)
    if kind == "random":
        rng = np.random.default_rng(seed)
        A = sympy.Matrix(n, n, lambda i, j: sympy.Rational(int(rng.integers(-4, 5)), 4))
        return A * A.T + sympy.eye(n) / 2
    if exponents is None:
        raise ValueError(f"the {kind!r} inner product needs monomial exponents, not a size")
    if kind == "bombieri":
        return sympy.diag(*[sympy.Rational(math.prod(math.factorial(e) for e in a),
                                           math.factorial(sum(a))) for a in exponents])
    if kind in ("gaussian", "uniform"):
        return sympy.Matrix(n, n, lambda i, j: math.prod(
            _moment(x + y, kind) for x, y in zip(exponents[i], exponents[j])))
    raise ValueError(f"unknown inner product {kind!r}; use 'coefficient', 'bombieri', "
                     "'gaussian', 'uniform' or 'random'")


def kurtosis_gram_matrix(kurtosis) -> sympy.Matrix:
    """The inner product ``E[f(x) g(x)]`` on binary quadratics for inputs ``(x, y)`` with
    independent, symmetric coordinates of variance 1 and kurtosis ``E[x^4] = kurtosis``.

    ``[[k, 0, 1], [0, 1, 0], [1, 0, k]]`` in the basis ``x^2, xy, y^2``: Gaussian inputs have
    ``k = 3``, uniform ones ``k = 9/5``; it is positive definite exactly when ``k > 1``.

    Examples
    --------
    >>> kurtosis_gram_matrix(3) == gram_matrix("gaussian")
    True
    >>> kurtosis_gram_matrix(1.8) == 9 * gram_matrix("uniform")     # rescaled inputs
    True
    """
    k = as_rational(kurtosis)
    if not k > 1:
        raise ValueError(f"the kurtosis of a non-constant |x| is > 1 here, got {kurtosis}")
    return sympy.Matrix([[k, 0, 1], [0, 1, 0], [1, 0, k]])


def data_inner_product(inputs, outputs, exponents=CONE_EXPONENTS, decimals: int = 6):
    """The target and the inner product that ``N`` samples ``(x_i, y_i)`` induce.

    With the monomials ``m(x)`` and the empirical moment matrix
    ``G = (1/N) sum_i m(x_i) m(x_i)^T``, the mean squared error of a function ``f^T m(x)`` is
    ``(f - t)^T G (f - t) + const`` with ``t = G^{-1} (1/N) sum_i y_i m(x_i)``, the least-squares
    fit. Both are returned as exact rationals, rounded to ``decimals`` digits, so that they
    can be used in the exact computations of this module.

    Parameters
    ----------
    inputs : array_like, shape (N, n)
    outputs : array_like, shape (N,)
    exponents : sequence of exponent tuples
        The monomials (default ``x^2, xy, y^2``).
    decimals : int

    Returns
    -------
    target : tuple of sympy.Rational
    gram : sympy.Matrix

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(200, 2))
    >>> t, G = data_inner_product(X, X[:, 0] ** 2 - X[:, 1] ** 2)
    >>> [float(v) for v in t]          # the data are exactly x^2 - y^2
    [1.0, 0.0, -1.0]
    """
    X = np.atleast_2d(np.asarray(inputs, dtype=float))
    y = np.asarray(outputs, dtype=float).ravel()
    E = np.array(exponents, dtype=int)
    if X.shape[1] != E.shape[1] or len(X) != len(y):
        raise ValueError(f"need inputs of shape (N, {E.shape[1]}) and N outputs, got "
                         f"{X.shape} and {y.shape}")
    M = np.prod(X[:, None, :] ** E[None], axis=2)          # N x (number of monomials)
    G = M.T @ M / len(X)
    if np.linalg.matrix_rank(G) < len(E):
        raise ValueError("too few or too special samples: the moment matrix is singular")
    t = np.linalg.solve(G, M.T @ y / len(X))
    r = lambda v: as_rational(round(float(v), decimals))   # noqa: E731
    return tuple(r(v) for v in t), sympy.Matrix(len(E), len(E), lambda i, j: r(G[i, j]))


# ----------------------------------------------------------------------------- ED degree
@dataclass(frozen=True, repr=False)
class EDDegreeResult(LinesRepr):
    """The critical points of ``(x - u)^T G (x - u)`` on a hypersurface ``F = 0``.

    Attributes
    ----------
    equation : sympy.Expr
    variables : tuple of sympy.Symbol
    gram : sympy.Matrix
    target : tuple of sympy.Rational
    n_complex : int
        Complex critical points, counted as the dimension of the quotient ring (with
        multiplicity; for a generic target this is the ED degree).
    n_distinct : int
        Distinct complex critical points (the degree of the eliminant).
    real_points : tuple of tuple of float
        The real critical points (isolated exactly, printed as floats).
    n_standard_monomials : int
    seed : int
    """

    equation: object
    variables: tuple
    gram: object
    target: tuple
    n_complex: int
    n_distinct: int
    real_points: tuple
    seed: int = 0

    @property
    def n_real(self) -> int:
        return len(self.real_points)

    def _lines(self):
        return [f"EDDegreeResult: {self.equation} = 0 in {len(self.variables)} variables",
                f"  target {tuple(str(t) for t in self.target)}, Gram matrix "
                f"{self.gram.tolist()}",
                f"  {self.n_complex} complex critical points (dimension of the quotient ring, "
                f"Groebner basis), {self.n_real} real",
                f"  exact: sympy Groebner bases, real roots isolated; random target seed "
                f"{self.seed}"]


def ed_degree(equation, variables, gram=None, target=None, seed: int = 0) -> EDDegreeResult:
    """Critical points of the squared distance to the hypersurface ``equation = 0``, exactly.

    The critical equations (Lagrange) are ``F(x) = 0`` and ``G (x - u) = lam * grad F(x)``.
    At a singular point of the hypersurface ``grad F = 0`` would force ``x = u``, which is
    impossible for a target ``u`` off the hypersurface, so the singular locus drops out
    without saturation. The number of complex solutions (with multiplicity) is the
    dimension of the quotient ring, counted from the leading monomials of a Groebner
    basis; for a generic target it is the **Euclidean distance degree**. Real solutions are
    isolated exactly (Sturm sequences on an eliminant).

    Parameters
    ----------
    equation : sympy expression
    variables : sequence of sympy symbols
    gram : sympy Matrix, optional
        The inner product (default the identity: plain coefficients, or Frobenius).
    target : sequence of numbers, optional
        Default: random rationals from ``seed`` (generic with probability one).
    seed : int

    Examples
    --------
    >>> a, b, c = CONE_VARIABLES
    >>> ed_degree(CONE_EQUATION, CONE_VARIABLES).n_complex, ed_degree(
    ...     CONE_EQUATION, CONE_VARIABLES, gram_matrix("bombieri")).n_complex
    (4, 2)
    """
    variables = tuple(variables)
    n = len(variables)
    G = sympy.eye(n) if gram is None else sympy.Matrix(gram)
    if G.shape != (n, n) or G != G.T:
        raise ValueError(f"the Gram matrix must be a symmetric {n} x {n} matrix")
    if any(ev <= 0 for ev in np.linalg.eigvalsh(np.array(G.evalf(), dtype=float))):
        raise ValueError("the Gram matrix must be positive definite")
    if target is None:
        rng = np.random.default_rng(seed)
        target = [sympy.Rational(int(x), 7) for x in rng.integers(-20, 21, size=n)]
    target = tuple(as_rational(t) for t in target)
    if len(target) != n:
        raise ValueError(f"the target needs {n} coordinates, got {len(target)}")
    if equation.subs(dict(zip(variables, target))) == 0:
        raise ValueError("the target lies on the variety: its distance is zero")
    # the multiplier: a fixed symbol (not a Dummy), so the memoized solver's key is the same
    # in every process; a name the variables do not use
    lam = sympy.Symbol("lam" + "_" * (1 + max((len(str(v)) for v in variables), default=0)))
    grad = [sympy.diff(equation, v) for v in variables]
    eqs = [sympy.expand(equation)] + [
        sympy.expand(sum(G[i, j] * (variables[j] - target[j]) for j in range(n))
                     - lam * grad[i]) for i in range(n)]
    total, distinct, real, _ = solve_zero_dimensional(eqs, variables + (lam,), seed)
    real = tuple(tuple(p[:n]) for p in real)
    return EDDegreeResult(equation, variables, G, target, total, distinct, real, seed)


# ----------------------------------------------------------------------------- quadric cones
def _quadric_matrix(equation, variables) -> sympy.Matrix:
    Q = sympy.hessian(equation, variables) / 2
    if any(sympy.diff(q, v) != 0 for q in Q for v in variables):
        raise ValueError("the equation must be a quadratic form (a quadric cone)")
    if sympy.expand(sympy.Matrix(variables).T * Q * sympy.Matrix(variables))[0] \
            != sympy.expand(equation):
        raise ValueError("the equation must be a homogeneous quadratic form")
    return Q


def _eigen_groups(Q, G, tol=1e-9):
    """Distinct non-zero eigenvalues of ``Q`` relative to ``G`` and the projection onto each
    eigenspace in ``G``-orthonormal coordinates ``L^T u`` (``G = L L^T``)."""
    L = np.linalg.cholesky(G)
    Linv = np.linalg.inv(L)
    mu, R = np.linalg.eigh(Linv @ Q @ Linv.T)
    groups = []
    for value, vec in zip(mu, R.T):
        if abs(value) < tol * max(1.0, np.abs(mu).max()):
            continue
        for g in groups:
            if abs(g[0] - value) < tol * max(1.0, abs(value)):
                g[1].append(vec)
                break
        else:
            groups.append([value, [vec]])
    return L, Linv, R, mu, [(m, np.array(v)) for m, v in groups]


def quadric_ed_degree(Q, gram=None) -> int:
    """ED degree of the quadric cone ``x^T Q x = 0`` in closed form: ``2 (k - 1)``.

    With ``G = L L^T`` and ``mu_1, ..., mu_k`` the distinct non-zero eigenvalues of
    ``L^{-1} Q L^{-T}``, the critical points are ``x(lam) = (G + lam Q)^{-1} G u`` for the
    roots ``lam`` of ``sum_j mu_j w_j prod_{l != j} (1 + lam mu_l)^2`` (``w_j`` the squared
    length of the target's part in the ``j``-th eigenspace), a polynomial of degree
    ``2 (k - 1)``. An independent check of :func:`ed_degree`.

    Examples
    --------
    >>> Q = np.array([[0, 0, -2], [0, 1, 0], [-2, 0, 0]])      # b^2 - 4ac
    >>> quadric_ed_degree(Q), quadric_ed_degree(Q, np.diag([1, 0.5, 1]))
    (4, 2)
    """
    Q = np.asarray(np.array(Q, dtype=float))
    G = np.eye(len(Q)) if gram is None else np.array(np.array(gram, dtype=float))
    return 2 * (len(_eigen_groups(Q, G)[4]) - 1)


class QuadricCriticalPoints:
    """The critical points of ``(x - u)^T G (x - u)`` on ``x^T Q x = 0``, for many targets.

    Computes, for a whole array of targets ``u`` at once, the polynomial ``P(lam)`` of
    :func:`quadric_ed_degree`, its roots (eigenvalues of stacked companion matrices) and the
    critical points ``x = (G + lam Q)^{-1} G u`` of its real roots. Fast enough for a
    slider: a 161 x 161 grid of targets takes a few milliseconds.

    Parameters
    ----------
    Q, gram : array_like
        The quadric and the inner product (default: the identity).

    Examples
    --------
    >>> Q = np.array([[0, 0, -2], [0, 1, 0], [-2, 0, 0]])
    >>> qc = QuadricCriticalPoints(Q)
    >>> qc.degree, qc.real_counts(cone_slice_target([0.1, 0.6], [0.05, 0.3])).tolist()
    (4, [4, 2])
    """

    def __init__(self, Q, gram=None):
        self.Q = np.array(np.array(Q, dtype=float))
        n = len(self.Q)
        self.G = np.eye(n) if gram is None else np.array(np.array(gram, dtype=float))
        if self.Q.shape != (n, n) or self.G.shape != (n, n):
            raise ValueError("Q and the Gram matrix must be square of the same size")
        self.L, _, _, _, groups = _eigen_groups(self.Q, self.G)
        self.eigenvalues = np.array([m for m, _ in groups])
        self._projections = [P for _, P in groups]       # rows: orthonormal eigenvectors
        k = len(groups)
        self.degree = 2 * (k - 1)
        coeffs = []
        for j, (m, _) in enumerate(groups):
            poly = np.array([m])
            for l, (ml, _) in enumerate(groups):
                if l != j:
                    poly = np.polymul(poly, np.polymul([ml, 1.0], [ml, 1.0]))
            coeffs.append(np.pad(poly, (self.degree + 1 - len(poly), 0)))
        self._coeffs = np.array(coeffs)                 # k x (degree + 1), highest first

    def polynomial(self, targets) -> np.ndarray:
        """Coefficients of ``P(lam)`` (highest degree first), one row per target."""
        U = np.atleast_2d(np.asarray(targets, dtype=float))
        V = U @ self.L                                   # G-orthonormal coordinates L^T u
        W = np.stack([((V @ P.T) ** 2).sum(axis=1) for P in self._projections], axis=1)
        return W @ self._coeffs

    def roots(self, targets) -> np.ndarray:
        """All ``degree`` complex roots ``lam`` per target (rows)."""
        C = self.polynomial(targets)
        lead = C[:, :1]
        lead = np.where(np.abs(lead) < 1e-300, 1e-300, lead)
        C = C / lead
        d = self.degree
        if d == 0:
            return np.zeros((len(C), 0), dtype=complex)
        comp = np.zeros((len(C), d, d))
        comp[:, 0, :] = -C[:, 1:]
        comp[:, np.arange(1, d), np.arange(d - 1)] = 1.0
        return np.linalg.eigvals(comp)

    def real_counts(self, targets) -> np.ndarray:
        """The number of real critical points of each target (vectorised).

        Counts the distinct real roots of ``P``: by the classical sign conditions on the
        discriminant for degrees 2 and 4, otherwise from the signs of the leading
        coefficients of its Sturm sequence at ``-inf`` and ``+inf``. Right for every target
        off the discriminant up to rounding, a few microseconds per target.
        """
        C = self.polynomial(targets)
        if self.degree == 0:
            return np.zeros(len(C), dtype=int)
        C = C / np.abs(C).max(axis=1, keepdims=True)
        if self.degree in (2, 4):           # closed forms: the same answer, 20 times faster
            return _real_roots_low_degree(C)
        chain = [C, C[:, :-1] * np.arange(self.degree, 0, -1)]
        while chain[-1].shape[1] > 1:
            a, b = chain[-2].copy(), chain[-1]
            n = b.shape[1] - 1
            for i in range(a.shape[1] - n):
                a[:, i:i + n + 1] -= (a[:, i] / b[:, 0])[:, None] * b
            r = -a[:, a.shape[1] - n:]
            chain.append(r / np.maximum(np.abs(r).max(axis=1, keepdims=True), 1e-300))
        lead = np.stack([p[:, 0] for p in chain], axis=1)
        degrees = np.array([p.shape[1] - 1 for p in chain])
        at_minus = lead * np.where(degrees % 2, -1.0, 1.0)

        def changes(signs):
            signs = np.sign(signs)
            return (signs[:, 1:] * signs[:, :-1] < 0).sum(axis=1)

        return changes(at_minus) - changes(lead)

    def discriminant(self, targets) -> np.ndarray:
        """The discriminant of ``P`` in ``lam`` for each target (vectorised): negative
        where an odd number of pairs of critical points is complex, zero where two meet."""
        C = self.polynomial(targets)
        d = self.degree
        if d < 2:
            return np.ones(len(C))
        if d in (2, 4):
            return _discriminant_low_degree(C)
        D = C[:, :-1] * np.arange(d, 0, -1)
        S = np.zeros((len(C), 2 * d - 1, 2 * d - 1))
        for i in range(d - 1):
            S[:, i, i:i + d + 1] = C
        for i in range(d):
            S[:, d - 1 + i, i:i + d] = D
        sign = (-1) ** (d * (d - 1) // 2)
        return sign * np.linalg.det(S) / C[:, 0]

    def critical_points(self, target, tol: float = 1e-7) -> np.ndarray:
        """The real critical points of one target (rows), sorted by distance."""
        u = np.asarray(target, dtype=float)
        lams = self.roots(u[None])[0]
        lams = np.sort(lams[np.abs(lams.imag) <= tol * np.maximum(1, np.abs(lams))].real)
        # a root where G + lam Q is singular belongs to a non-generic target: skipped
        X = np.array([np.linalg.solve(self.G + lam * self.Q, self.G @ u) for lam in lams
                      if np.linalg.cond(self.G + lam * self.Q) < 1e12])
        if len(X) == 0:
            return np.zeros((0, len(u)))
        d = np.einsum("ij,jk,ik->i", X - u, self.G, X - u)
        return X[np.argsort(d)]

    def __repr__(self):
        return (f"QuadricCriticalPoints(degree {self.degree}, relative eigenvalues "
                f"{np.round(self.eigenvalues, 4).tolist()})")


def _discriminant_low_degree(C):
    if C.shape[1] == 3:
        a, b, c = C.T
        return b * b - 4 * a * c
    a, b, c, d, e = np.ascontiguousarray(C.T)      # products, not **: pow is slow here
    a2, b2, c2, d2, e2 = a * a, b * b, c * c, d * d, e * e
    return (256 * a2 * a * e2 * e - 192 * a2 * b * d * e2 - 128 * a2 * c2 * e2
            + 144 * a2 * c * d2 * e - 27 * a2 * d2 * d2 + 144 * a * b2 * c * e2
            - 6 * a * b2 * d2 * e - 80 * a * b * c2 * d * e + 18 * a * b * c * d2 * d
            + 16 * a * c2 * c2 * e - 4 * a * c2 * c * d2 - 27 * b2 * b2 * e2
            + 18 * b2 * b * c * d * e - 4 * b2 * b * d2 * d - 4 * b2 * c2 * c * e + b2 * c2 * d2)


def _real_roots_low_degree(C):
    """Distinct real roots of quadratics or quartics (rows of ``C``), from the classical
    discriminant conditions: a quartic with negative discriminant has 2 real roots; with
    positive discriminant 4 when ``8ac - 3b^2 < 0`` and ``64a^3e - 16a^2c^2 + 16ab^2c -
    16a^2bd - 3b^4 < 0``, none otherwise."""
    disc = _discriminant_low_degree(C)
    if C.shape[1] == 3:
        return np.where(disc > 0, 2, np.where(disc == 0, 1, 0))
    a, b, c, d, e = np.ascontiguousarray(C.T)
    P = 8 * a * c - 3 * b * b
    D = 64 * a * a * a * e - 16 * a * a * c * c + 16 * a * b * b * c - 16 * a * a * b * d \
        - 3 * b * b * b * b
    return np.where(disc < 0, 2, np.where((P < 0) & (D < 0), 4, 0))


def cone_slice_target(x, y) -> np.ndarray:
    """The binary quadratic with ``a + c = 1``, ``a - c = x``, ``b = y``: the plane slice of
    target space in which the cone ``b^2 = 4ac`` is the unit circle ``x^2 + y^2 = 1``.

    Examples
    --------
    >>> cone_slice_target(0.6, 0.8).tolist()        # on the cone: 0.8^2 = 4 * 0.8 * 0.2
    [0.8, 0.8, 0.2]
    """
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.stack([(1 + x) / 2, y, (1 - x) / 2], axis=-1)


def real_counts_along_path(qc: QuadricCriticalPoints, start, end, n: int = 201) -> dict:
    """Real critical-point counts along the segment of targets from ``start`` to ``end``.

    Returns ``{"s": parameters in [0, 1], "counts": ..., "changes": [(s, before, after)]}``.

    Examples
    --------
    >>> qc = QuadricCriticalPoints(np.array([[0, 0, -2], [0, 1, 0], [-2, 0, 0]]))
    >>> path = real_counts_along_path(qc, cone_slice_target(0.1, 0.05),
    ...                               cone_slice_target(0.6, 0.3), n=101)
    >>> [(b, a) for _, b, a in path["changes"]]
    [(4, 2)]
    """
    if n < 2:
        raise ValueError(f"a path needs n >= 2 points, got {n}")
    s = np.linspace(0.0, 1.0, int(n))
    P = (1 - s)[:, None] * np.asarray(start, float) + s[:, None] * np.asarray(end, float)
    counts = qc.real_counts(P)
    jumps = np.nonzero(np.diff(counts))[0]
    return dict(s=s, targets=P, counts=counts,
                changes=[(float((s[i] + s[i + 1]) / 2), int(counts[i]), int(counts[i + 1]))
                         for i in jumps])


# ----------------------------------------------------------------------------- discriminant
@dataclass(frozen=True, repr=False)
class DiscriminantResult(LinesRepr):
    """The ED discriminant of a quadric cone on a plane slice of target space.

    Attributes
    ----------
    polynomial : sympy.Expr
        In the slice coordinates ``x, y``: real counts change only where it vanishes.
    walls : tuple of sympy.Expr
        Its irreducible factors of odd multiplicity: the number of real critical points
        can change only across their real zero sets.
    other_factors : tuple of sympy.Expr
        Factors of even multiplicity (targets where two critical points meet without the
        count changing on either side, e.g. targets symmetric under a reflection).
    lagrange_degree : int
        The degree in ``lam`` of the reduced critical equation (the ED degree, a third way).
    """

    polynomial: object
    walls: tuple
    other_factors: tuple
    lagrange_degree: int
    slice_description: str

    def _lines(self):
        return [f"DiscriminantResult: ED discriminant on the slice {self.slice_description}",
                f"  critical equation of degree {self.lagrange_degree} in the multiplier",
                "  walls (odd multiplicity): " + ("; ".join(f"{f} = 0" for f in self.walls)
                                                  or "none"),
                "  other factors: " + ("; ".join(str(f) for f in self.other_factors)
                                       or "none")]


@memoize(maxsize=16)
def _discriminant_cached(gram_key: tuple) -> DiscriminantResult:
    n = 3
    G = sympy.Matrix(n, n, list(gram_key))
    Q = _quadric_matrix(CONE_EQUATION, CONE_VARIABLES)
    x, y, lam = sympy.symbols("x y lam")
    u = sympy.Matrix([(1 + x) / 2, y, (1 - x) / 2])
    A = G + lam * Q
    adj = A.adjugate()
    det = sympy.expand(A.det())
    # x(lam) = adj(A) G u / det(A); the constraint x^T Q x = 0, denominators cleared
    num = sympy.expand(((adj * G * u).T * Q * (adj * G * u))[0])
    common = sympy.gcd(sympy.Poly(num, lam), sympy.Poly(det ** 2, lam))
    reduced = sympy.Poly(sympy.quo(sympy.Poly(num, lam), common), lam)
    disc = sympy.factor(sympy.discriminant(reduced.as_expr(), lam))
    factors = [(f, k) for f, k in sympy.factor_list(disc)[1]
               if not f.free_symbols.isdisjoint({x, y})]
    return DiscriminantResult(disc, tuple(f for f, k in factors if k % 2),
                              tuple(f for f, k in factors if k % 2 == 0), reduced.degree(),
                              "a + c = 1: x = a - c, y = b")


def ed_discriminant(gram=None) -> DiscriminantResult:
    """The data discriminant of the cone ``b^2 = 4ac`` on the slice ``a + c = 1``.

    Eliminates the critical points exactly: the constraint along ``x(lam)`` is a
    polynomial in ``lam`` with coefficients polynomial in the target; after removing the
    factors that vanish for every target, its discriminant in ``lam`` vanishes exactly
    where two critical points meet. Crossing its zero set (generically) changes the number
    of real critical points by two.

    Examples
    --------
    >>> d = ed_discriminant()
    >>> d.lagrange_degree
    4
    >>> ed_discriminant(gram_matrix("bombieri")).lagrange_degree
    2
    """
    G = sympy.eye(3) if gram is None else sympy.Matrix(gram)
    if G.shape != (3, 3):
        raise ValueError("the Gram matrix of binary quadratics is 3 x 3")
    return _discriminant_cached(tuple(sympy.Rational(g) if not isinstance(g, sympy.Basic)
                                      else g for g in G))

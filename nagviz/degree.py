"""The degree of a neurovariety, and what it says about covering numbers.

The **degree** of a variety ``V`` of dimension ``m`` in ``C^n`` counts the points in which
a generic affine space of the complementary dimension ``n - m`` meets it. For a
hypersurface (``m = n - 1``) that is a generic line, and the count is the degree of the
defining equation. Degree measures how curved ``V`` is; with the dimension it enters
bounds on covering numbers, and through them on generalization (:func:`covering_number_bound`).

This module has

* closed formulas: determinantal varieties (linear networks; :func:`determinantal_degree`),
  symmetric determinantal varieties (shallow quadratic networks;
  :func:`symmetric_determinantal_degree`), and the Euclidean distance degree of linear
  networks (:func:`ed_degree_linear`, Eckart–Young);
* a computation for hypersurfaces, independent of any formula: find the equation of
  ``V`` by interpolation through points of the neuromanifold, then cut ``V`` with a
  random line and count the intersection points (:func:`slice_hypersurface`).

Sources: Marchetti, Shahverdi, Mereta, Trager, Kohn, *Algebra Unveils Deep Learning: An
Invitation to Neuroalgebraic Geometry*, ICML 2025 (arXiv:2501.18915), and the papers it
builds on; the symmetric determinantal degree is due to Harris and Tu (1984); covering
numbers of varieties: Yomdin and Comte (2004), Zhang and Kileel (arXiv:2311.05116).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .architecture import Architecture, monomial_exponents
from .sweeps import cached_dimension

__all__ = [
    "determinantal_degree",
    "symmetric_determinantal_degree",
    "linear_network_degree",
    "ed_degree_linear",
    "shallow_quadratic_degree",
    "line_slice",
    "implicit_equation",
    "slice_hypersurface",
    "SliceResult",
    "ImplicitEquation",
    "covering_number_bound",
    "CoveringBound",
]


def _nonneg_int(v, name) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {v!r}")
    return int(v)


# ----------------------------------------------------------------------------------
# closed formulas
# ----------------------------------------------------------------------------------
def determinantal_degree(m: int, n: int, k: int) -> int:
    """Degree of the variety of ``m x n`` matrices of rank at most ``k``.

    With ``m <= n`` (the formula is symmetric in the two sides):
    ``prod_{i=0}^{m-k-1} binom(n + i, k) / binom(k + i, k)``, an empty product (degree 1,
    a linear space) when ``k >= m``. Computed with exact fractions.

    Examples
    --------
    >>> determinantal_degree(2, 3, 1)      # 2 x 3 matrices of rank <= 1
    3
    >>> determinantal_degree(3, 3, 2)      # the determinant, a cubic
    3
    >>> determinantal_degree(3, 3, 1)
    6
    """
    m, n, k = (_nonneg_int(v, name) for v, name in ((m, "m"), (n, "n"), (k, "k")))
    if m < 1 or n < 1:
        raise ValueError(f"a matrix needs at least one row and column, got {m} x {n}")
    m, n = min(m, n), max(m, n)
    if k >= m:
        return 1
    out = Fraction(1)
    for i in range(m - k):
        out *= Fraction(math.comb(n + i, k), math.comb(k + i, k))
    assert out.denominator == 1, out
    return int(out)


def symmetric_determinantal_degree(n: int, k: int) -> int:
    """Degree of the variety of symmetric ``n x n`` matrices of rank at most ``k``.

    Harris–Tu: ``prod_{a=0}^{n-k-1} binom(n + a, n - k - a) / binom(2a + 1, a)``. These
    are the quadratic forms in ``n`` variables of rank ``<= k``: the neurovariety of the
    shallow network ``(n, k, 1)`` with ``sigma = z^2``.

    Examples
    --------
    >>> symmetric_determinantal_degree(2, 1)   # the cone b^2 = 4ac
    2
    >>> symmetric_determinantal_degree(3, 1)   # the Veronese surface
    4
    >>> symmetric_determinantal_degree(4, 2)
    10
    """
    n, k = _nonneg_int(n, "n"), _nonneg_int(k, "k")
    if n < 1:
        raise ValueError("n must be at least 1")
    if k >= n:
        return 1
    out = Fraction(1)
    for a in range(n - k):
        out *= Fraction(math.comb(n + a, n - k - a), math.comb(2 * a + 1, a))
    assert out.denominator == 1, out
    return int(out)


def _linear_widths(widths) -> tuple[int, ...]:
    arch = widths if isinstance(widths, Architecture) else Architecture(widths, 1)
    if isinstance(widths, Architecture) and not arch.is_linear:
        raise ValueError(f"{arch!r} is not a linear network")
    return arch.widths


def linear_network_degree(widths) -> int:
    """Degree of the neurovariety of a linear network (no biases).

    A linear network with widths ``(d_0, ..., d_L)`` computes the ``d_L x d_0`` matrices
    of rank at most ``k = min(d_i)``: :func:`determinantal_degree` ``(d_L, d_0, k)``.

    Examples
    --------
    >>> linear_network_degree((3, 1, 2))     # 2 x 3 matrices of rank <= 1
    3
    >>> linear_network_degree((4, 2, 4))
    20
    """
    w = _linear_widths(widths)
    return determinantal_degree(w[-1], w[0], min(w))


def ed_degree_linear(widths) -> int:
    """Euclidean distance degree of a linear network's neurovariety (Frobenius norm).

    By Eckart–Young the critical points of the distance from a generic matrix to the
    matrices of rank ``<= k`` are its truncated singular value decompositions: one for
    each choice of ``k`` of its ``m = min(d_0, d_L)`` singular triples, ``binom(m, k)``.

    Examples
    --------
    >>> ed_degree_linear((3, 1, 2))
    2
    >>> ed_degree_linear((4, 2, 4))
    6
    """
    w = _linear_widths(widths)
    m, k = min(w[0], w[-1]), min(w)
    return math.comb(m, k)


def shallow_quadratic_degree(d0: int, d1: int) -> int:
    """Degree of the neurovariety of ``(d0, d1, 1)`` with ``sigma = z^2``.

    Its functions are the quadratic forms of rank ``<= d1``: see
    :func:`symmetric_determinantal_degree`.

    Examples
    --------
    >>> shallow_quadratic_degree(3, 2)     # the symmetric 3 x 3 determinant
    3
    """
    return symmetric_determinantal_degree(d0, d1)


# ----------------------------------------------------------------------------------
# counting points on a line
# ----------------------------------------------------------------------------------
def line_slice(equation, point, direction, degree: int) -> np.ndarray:
    """The parameters ``t`` where ``equation(point + t direction) = 0``.

    The restriction of a polynomial of degree ``degree`` to a line is a univariate
    polynomial of that degree; it is interpolated exactly from its values at the
    ``degree + 1`` complex roots of unity (a discrete Fourier transform) and solved with
    :func:`numpy.roots`.

    Parameters
    ----------
    equation : callable
        Takes an array of shape (k, n) of complex points, returns k values.
    point, direction : array_like, shape (n,)
    degree : int

    Returns
    -------
    numpy.ndarray of complex
        All complex roots (with multiplicity).

    Examples
    --------
    The cone ``b^2 = 4ac`` met by the line ``(a, b, c) = (1, t, 1)``: ``t = +-2``.

    >>> cone = lambda P: P[:, 1] ** 2 - 4 * P[:, 0] * P[:, 2]
    >>> sorted(np.round(line_slice(cone, [1, 0, 1], [0, 1, 0], 2).real, 10).tolist())
    [-2.0, 2.0]
    """
    d = _nonneg_int(degree, "degree")
    point = np.asarray(point, dtype=complex)
    direction = np.asarray(direction, dtype=complex)
    nodes = np.exp(2j * np.pi * np.arange(d + 1) / (d + 1))
    values = np.asarray(equation(point[None, :] + nodes[:, None] * direction[None, :]))
    coeffs = np.fft.fft(values) / (d + 1)  # coeffs[j] multiplies t^j
    coeffs = coeffs[::-1]
    coeffs = np.trim_zeros(np.where(np.abs(coeffs) < 1e-14 * np.abs(coeffs).max(), 0, coeffs),
                           "f")
    return np.roots(coeffs) if coeffs.size > 1 else np.array([], dtype=complex)


@dataclass(frozen=True, eq=False)
class ImplicitEquation:
    """The equation of a hypersurface neurovariety, found by interpolation.

    Attributes
    ----------
    architecture : Architecture
    degree : int
        The smallest degree of a nonzero polynomial vanishing on the sampled points.
    exponents : tuple of tuple of int
        Monomials in the ambient coordinates (the coefficients of the network's output
        polynomial, in the order of :meth:`Architecture.monomials`).
    coefficients : numpy.ndarray
        The equation, normalized to unit length.
    singular_values : tuple of float
        The three smallest singular values of the interpolation matrix at that degree:
        one near zero (the equation) and a clear gap.
    n_points, seed : int
    method : str
    """

    architecture: Architecture
    degree: int
    exponents: tuple
    coefficients: np.ndarray
    singular_values: tuple
    n_points: int
    seed: int
    method: str = "interpolation through random points of the neuromanifold (float SVD)"

    def __call__(self, points) -> np.ndarray:
        """Evaluate the equation at points of the ambient space (shape (k, n))."""
        P = np.asarray(points)
        E = np.asarray(self.exponents)
        return np.prod(P[:, None, :] ** E[None], axis=-1) @ self.coefficients

    def __repr__(self) -> str:
        s = ", ".join(f"{v:.1e}" for v in self.singular_values)
        return (f"ImplicitEquation of degree {self.degree} for {self.architecture!r}: "
                f"{len(self.exponents)} monomials; smallest singular values {s}; "
                f"{self.method}, {self.n_points} points, seed = {self.seed}")


def _points_on_variety(arch: Architecture, n_points: int, rng) -> np.ndarray:
    from .parameterization import coefficients

    theta = rng.standard_normal((n_points, arch.n_parameters))
    pts = coefficients(arch, theta).reshape(n_points, -1)
    return pts / np.linalg.norm(pts, axis=1, keepdims=True)


def implicit_equation(arch, activation=None, *, max_degree: int = 6, seed: int = 0,
                      max_monomials: int = 600) -> ImplicitEquation:
    """The lowest-degree equation of a hypersurface neurovariety, by interpolation.

    For ``d = 1, 2, ...`` evaluate all monomials of degree ``d`` in the ambient
    coordinates at random points of the neuromanifold; the first ``d`` at which this
    matrix has a kernel is the degree of the hypersurface, and the kernel is its
    equation. The variety must be a cone (no biases), so its equation is homogeneous.

    Parameters
    ----------
    arch : Architecture or widths
    activation : int or str, optional
        Only with bare widths (default ``2``).
    max_degree : int, default 6
    seed : int, default 0
    max_monomials : int, default 600
        Give up rather than build a larger interpolation matrix.

    Returns
    -------
    ImplicitEquation

    Examples
    --------
    >>> eq = implicit_equation((2, 1, 1), 2)     # the cone b^2 - 4ac
    >>> eq.degree
    2
    >>> (np.round(eq.coefficients / eq.coefficients[3], 6) + 0.0).tolist()  # a^2 ab ac b^2 bc c^2
    [0.0, 0.0, -4.0, 1.0, 0.0, 0.0]
    """
    if isinstance(arch, Architecture):
        if activation is not None:
            raise TypeError("give the activation inside the Architecture, not twice")
    else:
        arch = Architecture(arch, 2 if activation is None else activation)
    if arch.bias:
        raise ValueError("implicit_equation needs a network without biases (a cone)")
    dim = cached_dimension(arch, seed=seed, cache_dir=False).dimension
    if dim != arch.ambient_dimension - 1:
        raise ValueError(
            f"{arch!r} is not a hypersurface: its neurovariety has dimension {dim} in an "
            f"ambient space of dimension {arch.ambient_dimension}")
    rng = np.random.default_rng(seed)
    n = arch.ambient_dimension
    for d in range(1, int(max_degree) + 1):
        exps = monomial_exponents(n, d)
        M = len(exps)
        if M > max_monomials:
            raise ValueError(
                f"{arch!r}: degree {d} has {M} monomials in {n} ambient coordinates (limit "
                f"{max_monomials}); no equation of degree < {d} was found")
        n_points = M + 20
        pts = _points_on_variety(arch, n_points, rng)
        E = np.array(exps)
        A = np.prod(pts[:, None, :] ** E[None], axis=-1)
        A /= np.linalg.norm(A, axis=1, keepdims=True)
        _, s, Vt = np.linalg.svd(A, full_matrices=False)
        if s.size == M and s[-1] < 1e-9 * s[0]:
            coeffs = Vt[-1] / np.linalg.norm(Vt[-1])
            coeffs[np.abs(coeffs) < 1e-12] = 0.0
            k = int(np.argmax(np.abs(coeffs)))
            coeffs = coeffs * np.sign(coeffs[k])
            return ImplicitEquation(arch, d, tuple(map(tuple, exps)), coeffs,
                                    tuple(float(v) for v in s[-3:]), n_points, int(seed))
    raise ValueError(f"{arch!r}: no equation of degree <= {max_degree} vanishes on the "
                     "neuromanifold; raise max_degree")


@dataclass(frozen=True, eq=False)
class SliceResult:
    """The points in which a random line meets a hypersurface neurovariety.

    Attributes
    ----------
    architecture : Architecture
    degree : int
        The degree of the hypersurface (of its equation).
    parameters : numpy.ndarray of complex
        The roots ``t`` along the line ``p + t v``.
    points : numpy.ndarray of complex, shape (degree, ambient)
        The intersection points.
    n_real : int
        How many of them are real (a line can miss real points: the count is complex).
    residual : float
        Largest ``|equation|`` at the points relative to its size on the line.
    point, direction : numpy.ndarray
        The random line.
    seed : int
    method : str
    """

    architecture: Architecture
    degree: int
    parameters: np.ndarray
    points: np.ndarray
    n_real: int
    residual: float
    point: np.ndarray
    direction: np.ndarray
    seed: int
    method: str

    @property
    def count(self) -> int:
        """The number of complex intersection points."""
        return int(self.parameters.size)

    def __repr__(self) -> str:
        ts = ", ".join(f"{t.real:.3g}{t.imag:+.3g}i" if abs(t.imag) > 1e-9 else f"{t.real:.3g}"
                       for t in self.parameters)
        return "\n".join([
            f"SliceResult for widths {self.architecture.widths}, activation "
            f"{self.architecture.activation}",
            f"  a random line meets the neurovariety in {self.count} complex points "
            f"({self.n_real} real): degree {self.degree}",
            f"  t = {ts}",
            f"  largest relative residual {self.residual:.1e}",
            f"  {self.method}; seed = {self.seed}",
        ])

    def _repr_html_(self) -> str:
        return (f"<div class='nagviz-result'><b>A random line meets the neurovariety of "
                f"{self.architecture.widths} in {self.count} complex points ({self.n_real} "
                f"real)</b>: its degree is {self.degree}.<br><small>"
                f"{html.escape(self.method)}; residual {self.residual:.1e}; seed = {self.seed}"
                f"</small></div>")


def slice_hypersurface(arch, activation=None, *, seed: int = 0, max_degree: int = 6,
                       max_monomials: int = 600) -> SliceResult:
    """Cut a hypersurface neurovariety with a random real line and count the points.

    The equation comes from :func:`implicit_equation`; the line ``p + t v`` has
    Gaussian ``p`` and ``v``; the roots are found by :func:`line_slice`. The number of
    complex roots is the degree; how many are real depends on the line.

    Examples
    --------
    >>> s = slice_hypersurface((2, 1, 1), 2, seed=0)     # the cone b^2 = 4ac
    >>> s.count, s.degree
    (2, 2)
    >>> slice_hypersurface((3, 2, 1), 2).count           # rank-2 ternary quadrics: det = 0
    3
    """
    eq = implicit_equation(arch, activation, max_degree=max_degree, seed=seed,
                           max_monomials=max_monomials)
    rng = np.random.default_rng([int(seed), 1])
    n = eq.architecture.ambient_dimension
    p, v = rng.standard_normal(n), rng.standard_normal(n)
    ts = line_slice(eq, p, v, eq.degree)
    pts = p[None, :] + ts[:, None] * v[None, :]
    scale = float(np.max(np.abs(eq(p[None, :] + np.exp(2j * np.pi * np.arange(eq.degree + 1)
                                                        / (eq.degree + 1))[:, None] * v))))
    residual = float(np.max(np.abs(eq(pts))) / scale) if ts.size else 0.0
    n_real = int(np.sum(np.abs(ts.imag) <= 1e-8 * np.maximum(1.0, np.abs(ts))))
    return SliceResult(
        architecture=eq.architecture, degree=eq.degree, parameters=ts, points=pts,
        n_real=n_real, residual=residual, point=p, direction=v, seed=int(seed),
        method="equation by interpolation, then roots along a random real line")


# ----------------------------------------------------------------------------------
# covering numbers
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class CoveringBound:
    """The shape of a covering-number bound, ``log N_eps <= m log(C deg R / eps)``.

    Attributes
    ----------
    dimension : int
        ``m``, the dimension of the variety.
    degree : int
    eps : numpy.ndarray
        The radii ``eps``.
    log_covering : numpy.ndarray
        ``m log(C deg R / eps)``, clipped at 0 (one ball suffices for large ``eps``).
    constant : float
        ``C``. The theorems behind this curve hold *up to constants*: only the
        shape in ``eps``, ``m`` and ``deg`` is meaningful, not the absolute height.
    radius : float
        ``R``: the variety is intersected with the ball of radius ``R``.
    formula, reference : str
    """

    dimension: int
    degree: int
    eps: np.ndarray
    log_covering: np.ndarray
    constant: float
    radius: float
    formula: str = "log N_ε ≤ m · log(C · deg · R / ε), up to constants"
    reference: str = ("Marchetti et al., ICML 2025 (arXiv:2501.18915), after Yomdin-Comte "
                      "(2004) and Zhang-Kileel (arXiv:2311.05116)")

    def __repr__(self) -> str:
        return (f"CoveringBound(m = {self.dimension}, deg = {self.degree}, C = {self.constant}, "
                f"R = {self.radius}; eps from {self.eps.min():.2g} to {self.eps.max():.2g}; "
                f"log N from {self.log_covering.min():.3g} to {self.log_covering.max():.3g})\n"
                f"  {self.formula}\n  {self.reference}")

    def _repr_html_(self) -> str:
        return (f"<div class='nagviz-result'><b>Covering-number bound</b>: m = "
                f"{self.dimension}, deg = {self.degree}<br><small>"
                f"{html.escape(self.formula)}; {html.escape(self.reference)}</small></div>")


def covering_number_bound(dimension: int, degree: int, eps, *, constant: float = 1.0,
                          radius: float = 1.0) -> CoveringBound:
    """``log N_eps`` of a variety of dimension ``m`` and degree ``deg``, up to constants.

    The number of balls of radius ``eps`` needed to cover a real algebraic variety of
    dimension ``m`` and degree ``deg`` inside a ball of radius ``R`` grows like
    ``(C deg R / eps)^m``, that is ``log N_eps = O(m log(deg / eps))`` (the form used
    in the position paper of Marchetti et al., ICML 2025, which builds on the bounds of
    Yomdin–Comte and Zhang–Kileel). Generalization bounds for a model whose function
    space is the variety grow with ``log N_eps``: the dimension multiplies, the degree
    only enters through a logarithm. This function returns the curve
    ``m log(C deg R / eps)`` (clipped at 0); the constant ``C`` is not determined here.
    For comparison, the whole ball of an ``n``-dimensional space is the case
    ``m = n, deg = 1``.

    Parameters
    ----------
    dimension : int
    degree : int
    eps : float or array_like
        Positive radii.
    constant : float, default 1.0
    radius : float, default 1.0

    Returns
    -------
    CoveringBound

    Examples
    --------
    >>> b = covering_number_bound(5, 3, [0.1, 0.01])
    >>> np.round(b.log_covering, 3).tolist()        # 5 log(30), 5 log(300)
    [17.006, 28.519]
    """
    m, deg = _nonneg_int(dimension, "dimension"), _nonneg_int(degree, "degree")
    if deg < 1:
        raise ValueError("the degree of a nonempty variety is at least 1")
    eps = np.atleast_1d(np.asarray(eps, dtype=float))
    if np.any(eps <= 0):
        raise ValueError("eps must be positive")
    if constant <= 0 or radius <= 0:
        raise ValueError("constant and radius must be positive")
    log_n = np.maximum(0.0, m * np.log(constant * deg * radius / eps))
    eps.setflags(write=False)
    log_n.setflags(write=False)
    return CoveringBound(m, deg, eps, log_n, float(constant), float(radius))

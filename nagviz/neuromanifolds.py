"""Small neuromanifolds you can see: sampling, real reachability, fibers, loss landscapes.

The mathematics behind notebook 01 ("networks as polynomial maps"), as pure numpy
functions that return plain arrays and small frozen result objects. The explorers in
:mod:`nagviz.explorers.neuromanifolds` draw what these functions return; nothing here
plots.

Binary quadratic forms ``a x^2 + b xy + c y^2`` are stored as coefficient vectors
``(a, b, c)``, the coordinate order of :func:`nagviz.coefficients`. Distances are
Euclidean in these coordinates.

* **(2, 1, 1), r = 2.** ``f = v (p x + q y)^2`` has coefficients ``(v p^2, 2 v p q, v q^2)``:
  the neuromanifold is the cone ``b^2 = 4ac`` (:func:`quadratic_cone_mesh`,
  :func:`nearest_rank_one_form`). Its vertex, the zero network, is its singular point.
* **(2, 2, 1), r = 2.** Width two fills all of ``R^3``: by the spectral theorem every
  real binary quadratic form is ``lambda_1 (e_1 . x)^2 + lambda_2 (e_2 . x)^2``
  (:func:`binary_form_parameters`).
* **(2, 2, 2), r = 2.** Filling (dimension 6), yet not every pair ``(f1, f2)`` is reached
  over the reals: :func:`reachability_222` decides it with the Jacobian criterion
  below, :func:`distance_to_neuromanifold_222` measures how far a pair is.
* **Linear networks.** ``2 x 2`` matrices of rank at most one, in coordinates in which
  the determinant reads ``p^2 + s^2 - q^2 - r^2`` (:func:`slice_coordinates`,
  :func:`rank_one_slice_mesh`).
* **The tiny network f(x) = w2 w1 x.** Fibers are hyperbolas ``w1 w2 = c``
  (:func:`fiber_curves`); its squared loss is non-convex in the parameters although it
  is convex in the function (:class:`ScalarRegression`, :class:`GradientPath`).

The Jacobian criterion for (2, 2, 2)
------------------------------------
A pair is reached exactly when both forms lie in a span ``<l1^2, l2^2>`` of two squares
of real linear forms. If ``f1, f2`` are linearly independent this plane is
``<f1, f2>`` itself, and it contains the square ``l^2`` exactly when ``l`` divides the
Jacobian ``J = det d(f1, f2)/d(x, y)`` (a binary quadratic form). Hence: *a pair of
independent forms is reached over the reals if and only if J has two distinct real
roots*, i.e. its discriminant is positive; pairs of dependent forms are always reached
(one output of width two is filling). In coefficients, ``J = 2 (n_c x^2 - 2 n_b xy +
n_a y^2)`` with ``n = f1 x f2`` (cross product), so the criterion reads
``n_b^2 > n_a n_c``. The pair ``(x^2 - y^2, xy)`` has ``J = 2 x^2 + 2 y^2`` and is not
reached; it is at distance ``1/sqrt(3)`` from the neuromanifold.

References: Kileel, Trager, Bruna, "On the expressive power of deep polynomial neural
networks" (NeurIPS 2019); Marchetti, Shahverdi, Mereta, Trager, Kohn, "Algebra unveils
deep learning" (ICML 2025, arXiv 2501.18915), section on neuromanifolds.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._binary_forms import binary_form_parameters, format_form
from ._binary_forms import quadratic_rays as _quadratic_rays
from .architecture import Architecture
from .parameterization import coefficients
from .real_reachability import (UNREACHED_PAIR, Reachability, ReachabilitySlice,
                                distance_to_neuromanifold_222, jacobian_form, reachability_222,
                                reachability_margin, reachability_slice)

__all__ = [
    "sample_neuromanifold",
    "quadratic_cone_mesh",
    "nearest_rank_one_form",
    "NearestRankOne",
    "binary_form_parameters",
    "jacobian_form",
    "Reachability",
    "reachability_222",
    "reachability_margin",
    "distance_to_neuromanifold_222",
    "ReachabilitySlice",
    "reachability_slice",
    "slice_coordinates",
    "matrix_from_slice_coordinates",
    "rank_one_slice_mesh",
    "sample_rank_one_slice",
    "fiber_curves",
    "fiber_point",
    "ScalarRegression",
    "GradientPath",
    "format_form",
    "UNREACHED_PAIR",
]




# --------------------------------------------------------------------------- sampling

def sample_neuromanifold(arch, n: int = 200, seed=0, radius=(0.3, 1.5)) -> np.ndarray:
    """Points of a neuromanifold: coefficient vectors of random networks.

    Parameters are i.i.d. standard Gaussians. Every neuromanifold is a cone (scaling the
    last layer by ``t`` scales the function by ``t``), so each point is then moved
    along its ray to a norm drawn uniformly from ``radius``: the points stay on the
    neuromanifold and the picture stays bounded.

    Parameters
    ----------
    arch : Architecture
    n : int
        Number of networks.
    seed : int or numpy Generator
    radius : (float, float)
        Range of the norms of the returned points.

    Returns
    -------
    numpy.ndarray, shape (n, ambient_dimension)

    Examples
    --------
    >>> pts = sample_neuromanifold(Architecture((2, 1, 1), 2), n=5, seed=1)
    >>> a, b, c = pts.T
    >>> bool(np.allclose(b**2, 4 * a * c))          # on the cone b^2 = 4ac
    True
    """
    arch = arch if isinstance(arch, Architecture) else Architecture(arch)
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal((n, arch.n_parameters))
    points = coefficients(arch, theta).reshape(n, -1)
    norms = np.linalg.norm(points, axis=1)
    norms[norms == 0] = 1.0
    target = rng.uniform(radius[0], radius[1], size=n)
    return points * (target / norms)[:, None]


def quadratic_cone_mesh(height: float = 1.2, n_angles: int = 73, n_heights: int = 21):
    """A mesh of the cone ``b^2 = 4ac`` of rank-one binary quadratic forms.

    The rank-one forms ``v (cos t x + sin t y)^2`` have ``a + c = v``: the mesh runs over
    ``t`` in ``[0, pi]`` and ``v`` in ``[-height, height]``, so both nappes are drawn
    (``v > 0`` and ``v < 0``), cut off by the planes ``a + c = +-height``.

    Returns
    -------
    (a, b, c) : three arrays of shape (n_heights, n_angles)

    Examples
    --------
    >>> a, b, c = quadratic_cone_mesh(n_angles=5, n_heights=3)
    >>> a.shape, bool(np.allclose(b**2, 4 * a * c)), float((a + c).max())
    ((3, 5), True, 1.2)
    """
    t = np.linspace(0.0, np.pi, n_angles)
    rays = np.stack([np.cos(t) ** 2, np.sin(2 * t), np.sin(t) ** 2], axis=-1)
    v = np.linspace(-height, height, n_heights)
    mesh = v[:, None, None] * rays[None, :, :]
    return mesh[..., 0], mesh[..., 1], mesh[..., 2]


@dataclass(frozen=True)
class NearestRankOne:
    """The nearest points of the cone ``b^2 = 4ac`` (the (2, 1, 1) neuromanifold).

    Attributes
    ----------
    targets, points : numpy.ndarray, shape (..., 3)
        The forms asked about and their nearest rank-one forms.
    parameters : numpy.ndarray, shape (..., 3)
        ``(p, q, v)`` with ``point = v (p x + q y)^2``: parameters of a (2, 1, 1) network.
    distance : numpy.ndarray, shape (...)
        Euclidean distance in coefficient coordinates.
    method : str
    """

    targets: np.ndarray
    points: np.ndarray
    parameters: np.ndarray
    distance: np.ndarray
    method: str = "grid over the rays of the cone, then bisection on the derivative"

    def __repr__(self):
        d = np.atleast_1d(self.distance)
        return (f"NearestRankOne({d.size} target(s), distances {np.round(d, 6).tolist()}; "
                f"method: {self.method})")


def nearest_rank_one_form(targets, n_grid: int = 720) -> NearestRankOne:
    """The nearest point of the (2, 1, 1) neuromanifold (the cone ``b^2 = 4ac``).

    For a unit ray ``u(t)`` of the cone the best multiple of it is the projection
    ``(T . u) u``, so the squared distance is ``|T|^2 - max_t (T . u(t))^2``: a
    one-dimensional search over the angle ``t``, done on a grid and refined by
    bisection on the sign of the derivative. Vectorized over targets.

    Parameters
    ----------
    targets : array_like, shape (..., 3)
    n_grid : int
        Grid points in ``[0, pi)`` before refinement.

    Examples
    --------
    >>> res = nearest_rank_one_form([1.0, 0.0, -1.0])        # x^2 - y^2: nearest is x^2
    >>> round(float(res.distance), 9), (res.points.round(9) + 0.0).tolist()
    (1.0, [1.0, 0.0, 0.0])
    >>> float(nearest_rank_one_form([1.0, 2.0, 1.0]).distance) < 1e-12   # (x + y)^2
    True
    """
    T = np.asarray(targets, dtype=float)
    flat = T.reshape(-1, 3)
    grid = np.linspace(0.0, np.pi, n_grid, endpoint=False)
    rays, _ = _quadratic_rays(grid)
    best = np.argmax((flat @ rays.T) ** 2, axis=1)
    h = np.pi / n_grid
    lo, hi = grid[best] - h, grid[best] + h

    def slope(t):
        # sign of d/dt (T.u)^2 / |u|^2 where N = T.u: that of N (2 N' D - N D')
        cos2, sin2 = np.cos(2 * t), np.sin(2 * t)
        u = np.stack([(1 + cos2) / 2, sin2, (1 - cos2) / 2], axis=-1)
        du = np.stack([-sin2, 2 * cos2, sin2], axis=-1)
        N, dN = np.einsum("ij,ij->i", flat, u), np.einsum("ij,ij->i", flat, du)
        D, dD = np.einsum("ij,ij->i", u, u), 2 * np.einsum("ij,ij->i", u, du)
        return N * (2 * dN * D - N * dD)

    for _ in range(60):  # bisection: the slope is positive before the maximum, negative after
        mid = (lo + hi) / 2
        rising = slope(mid) > 0
        lo, hi = np.where(rising, mid, lo), np.where(rising, hi, mid)
    t = (lo + hi) / 2
    u, norm = _quadratic_rays(t)
    v = np.einsum("ij,ij->i", flat, u)
    points = v[:, None] * u
    params = np.stack([np.cos(t), np.sin(t), v / norm], axis=1)
    dist = np.linalg.norm(flat - points, axis=1)
    shape = T.shape[:-1]
    return NearestRankOne(T, points.reshape(T.shape), params.reshape(T.shape),
                          dist.reshape(shape))


# --------------------------------------------------------------------------- linear networks

def slice_coordinates(M) -> np.ndarray:
    """Coordinates ``(p, q, r, s)`` of a 2 x 2 matrix in which ``det M = p^2 + s^2 - q^2 - r^2``.

    ``M = p I + q [[1, 0], [0, -1]] + r [[0, 1], [1, 0]] + s [[0, 1], [-1, 0]]``: ``p, q, r``
    describe the symmetric part and ``s`` the antisymmetric part. The matrices of rank at
    most one (the function space of the linear network (2, 1, 2)) form the cone
    ``p^2 + s^2 = q^2 + r^2`` in ``R^4``; the slice ``s = 0`` (symmetric matrices) is a
    round cone, and every slice ``s != 0`` is a hyperboloid of one sheet.

    Examples
    --------
    >>> slice_coordinates([[1, 2], [2, 4]]).tolist()              # rank one, symmetric
    [2.5, -1.5, 2.0, 0.0]
    >>> p, q, r, s = slice_coordinates([[1, 2], [3, 4]])
    >>> float(p**2 + s**2 - q**2 - r**2)                          # = det = -2
    -2.0
    """
    M = np.asarray(M, dtype=float)
    a, b, c, d = M[..., 0, 0], M[..., 0, 1], M[..., 1, 0], M[..., 1, 1]
    return np.stack([(a + d) / 2, (a - d) / 2, (b + c) / 2, (b - c) / 2], axis=-1)


def matrix_from_slice_coordinates(p, q, r, s) -> np.ndarray:
    """Inverse of :func:`slice_coordinates`.

    Examples
    --------
    >>> matrix_from_slice_coordinates(2.5, -1.5, 2.0, 0.0).tolist()
    [[1.0, 2.0], [2.0, 4.0]]
    """
    p, q, r, s = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (p, q, r, s)))
    return np.stack([np.stack([p + q, r + s], -1), np.stack([r - s, p - q], -1)], -2)


def rank_one_slice_mesh(s: float, radius: float = 1.5, n_angles: int = 61, n_heights: int = 31):
    """The slice ``s = const`` of the rank-one 2 x 2 matrices, as a mesh in ``(q, r, p)``.

    ``q^2 + r^2 = p^2 + s^2``: a circle of radius ``sqrt(p^2 + s^2)`` at height ``p``.

    Returns
    -------
    (q, r, p) : three arrays of shape (n_heights, n_angles)

    Examples
    --------
    >>> q, r, p = rank_one_slice_mesh(0.5, n_angles=7, n_heights=5)
    >>> M = matrix_from_slice_coordinates(p, q, r, 0.5)
    >>> bool(np.allclose(np.linalg.det(M), 0))
    True
    """
    p = np.linspace(-radius, radius, n_heights)
    alpha = np.linspace(0.0, 2 * np.pi, n_angles)
    rho = np.sqrt(p**2 + s**2)[:, None]
    return rho * np.cos(alpha)[None, :], rho * np.sin(alpha)[None, :], np.repeat(p[:, None], n_angles, 1)


def sample_rank_one_slice(s: float, n: int = 150, seed=0, radius: float = 1.5) -> np.ndarray:
    """End-to-end matrices ``W2 W1`` of random linear networks (2, 1, 2), on the slice ``s``.

    Each product is rescaled (scaling ``W2``) so that its antisymmetric coordinate is
    ``s``; for ``s = 0`` the networks are drawn with ``W2 = +-W1^T`` (symmetric
    products). Points outside ``|p|, |q|, |r| <= radius`` are dropped.

    Returns
    -------
    numpy.ndarray, shape (m, 3)
        Rows ``(q, r, p)``, ``m <= n``.

    Examples
    --------
    >>> pts = sample_rank_one_slice(0.4, n=50, seed=0)
    >>> q, r, p = pts.T
    >>> bool(np.allclose(q**2 + r**2, p**2 + 0.4**2))
    True
    """
    rng = np.random.default_rng(seed)
    w1 = rng.standard_normal((n, 1, 2))
    if s == 0:
        w2 = rng.choice([-1.0, 1.0], size=(n, 1, 1)) * np.swapaxes(w1, 1, 2)
    else:
        w2 = rng.standard_normal((n, 2, 1))
    M = w2 @ w1
    coords = slice_coordinates(M)
    if s != 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            coords = coords * (s / coords[:, 3])[:, None]
    pts = coords[:, [1, 2, 0]]
    keep = np.all(np.isfinite(pts), axis=1) & np.all(np.abs(pts) <= radius, axis=1)
    return pts[keep]


# --------------------------------------------------------------------------- f(x) = w2 w1 x

def fiber_curves(c: float, lim: float = 3.0, n: int = 200) -> list[np.ndarray]:
    """The fiber ``{(w1, w2) : w1 w2 = c}`` of ``f(x) = w2 w1 x`` inside the box ``[-lim, lim]^2``.

    Two branches of a hyperbola for ``c != 0``; for ``c = 0`` the two axes, which cross
    at the singular point ``w = 0`` of the parameterization.

    Returns
    -------
    list of two arrays of shape (m, 2)

    Examples
    --------
    >>> branches = fiber_curves(2.0, n=20)
    >>> all(np.allclose(b[:, 0] * b[:, 1], 2.0) for b in branches)
    True
    >>> [b.shape for b in fiber_curves(0.0, n=5)]
    [(5, 2), (5, 2)]
    """
    if c == 0:
        line = np.linspace(-lim, lim, n)
        zero = np.zeros(n)
        return [np.column_stack([line, zero]), np.column_stack([zero, line])]
    lo = abs(c) / lim
    w1 = np.geomspace(lo, lim, n)
    w2 = c / w1
    return [np.column_stack([w1, w2]), np.column_stack([-w1, -w2])]


def fiber_point(c: float, u: float) -> np.ndarray:
    """The point ``(e^u, c e^-u)`` of the fiber over ``c`` (its positive branch).

    Moving ``u`` slides along the fiber; the point is *balanced* (``|w1| = |w2|``) at
    ``u = log(|c|) / 2``.

    Examples
    --------
    >>> w = fiber_point(2.0, 0.0)
    >>> w.tolist(), float(w[0] * w[1])
    ([1.0, 2.0], 2.0)
    """
    return np.array([np.exp(u), c * np.exp(-u)])


@dataclass(frozen=True)
class GradientPath:
    """A run of gradient descent.

    Attributes
    ----------
    points : numpy.ndarray, shape (k, d)
        The iterates, starting with the initialization (fewer than ``steps + 1`` if it
        diverged).
    losses : numpy.ndarray, shape (k,)
    lr : float
    space : str
        ``"parameters"`` or ``"functions"``.
    diverged : bool
        The iterates left every bounded region (norm above 1e6 or not finite).
    converged : bool
        The gradient at the last iterate is below ``1e-6``.
    """

    points: np.ndarray
    losses: np.ndarray
    lr: float
    space: str
    diverged: bool
    converged: bool

    @property
    def final(self) -> np.ndarray:
        return self.points[-1]

    def __repr__(self):
        state = "diverged" if self.diverged else ("converged" if self.converged else "still moving")
        return (f"GradientPath(in {self.space} space, lr={self.lr:g}, {len(self.points) - 1} steps, "
                f"{state}; final point {np.round(self.final, 4).tolist()}, "
                f"final loss {self.losses[-1]:.4g})")

    def _repr_html_(self):
        return f"<code>{html.escape(repr(self))}</code>"


@dataclass(frozen=True)
class ScalarRegression:
    """Least squares for the tiny network ``f(x) = w2 w1 x`` on data ``(x_i, y_i)``.

    The loss on parameters is ``L(w1, w2) = mean((w2 w1 x_i - y_i)^2)``, which equals
    ``m (w1 w2 - c*)^2 + L_min`` with ``m = mean(x^2)`` and the least-squares slope
    ``c* = mean(x y) / m``. On the function space (the slopes ``c``) the same loss is the
    convex parabola ``l(c) = m (c - c*)^2 + L_min``; composed with the parameterization
    ``(w1, w2) -> w1 w2`` it gets a saddle at ``w = 0`` and a valley of minima along the
    hyperbola ``w1 w2 = c*``.

    Examples
    --------
    >>> data = ScalarRegression.from_slope(2.0, noise=0.0)
    >>> round(data.best_slope, 12), round(float(data.loss(1.0, 2.0)), 12)
    (2.0, 0.0)
    >>> bool(np.all(data.gradient(0.0, 0.0) == 0))                # w = 0 is critical
    True
    """

    x: np.ndarray
    y: np.ndarray

    @classmethod
    def from_slope(cls, slope: float, n: int = 9, noise: float = 0.3, seed=0) -> ScalarRegression:
        """Data ``y = slope * x + noise``, ``x`` evenly spaced in ``[-1.5, 1.5]``.

        Examples
        --------
        >>> ScalarRegression.from_slope(1.0, n=3, noise=0.0).y.tolist()
        [-1.5, 0.0, 1.5]
        """
        x = np.linspace(-1.5, 1.5, n)
        y = slope * x + noise * np.random.default_rng(seed).standard_normal(n)
        return cls(x, y)

    @cached_property
    def second_moment(self) -> float:
        """``m = mean(x^2)``, the curvature of the loss in function space (halved)."""
        return float(np.mean(self.x**2))

    @cached_property
    def best_slope(self) -> float:
        """The least-squares slope ``c* = mean(xy) / mean(x^2)``."""
        return float(np.mean(self.x * self.y) / self.second_moment)

    @cached_property
    def min_loss(self) -> float:
        """The smallest possible loss, ``l(c*)``."""
        return float(np.mean((self.best_slope * self.x - self.y) ** 2))

    def function_loss(self, c):
        """The loss ``l(c) = mean((c x_i - y_i)^2)`` of the function ``f(x) = c x``."""
        c = np.asarray(c, dtype=float)
        return self.second_moment * (c - self.best_slope) ** 2 + self.min_loss

    def loss(self, w1, w2):
        """The loss ``L(w1, w2) = l(w1 w2)`` on parameters (vectorized)."""
        return self.function_loss(np.asarray(w1, dtype=float) * np.asarray(w2, dtype=float))

    def gradient(self, w1, w2) -> np.ndarray:
        """``grad L = 2 m (w1 w2 - c*) (w2, w1)``."""
        factor = 2 * self.second_moment * (w1 * w2 - self.best_slope)
        return np.array([factor * w2, factor * w1], dtype=float)

    def landscape(self, lim: float = 2.5, n: int = 61):
        """``(w1, w2, L)`` on an ``n x n`` grid of ``[-lim, lim]^2`` (rows: ``w2``)."""
        w = np.linspace(-lim, lim, n)
        W1, W2 = np.meshgrid(w, w)
        return w, w, self.loss(W1, W2)

    def _descend(self, start, grad, loss, lr, steps, space):
        point = np.asarray(start, dtype=float)
        points, losses = [point], [float(loss(point))]
        diverged = False
        for _ in range(steps):
            point = point - lr * grad(point)
            if not np.all(np.isfinite(point)) or np.linalg.norm(point) > 1e6:
                diverged = True
                break
            points.append(point)
            losses.append(float(loss(point)))
        converged = (not diverged) and float(np.linalg.norm(grad(points[-1]))) < 1e-6
        return GradientPath(np.array(points), np.array(losses), float(lr), space, diverged,
                            converged)

    def gradient_descent(self, w0, lr: float = 0.1, steps: int = 60) -> GradientPath:
        """Gradient descent on ``L(w1, w2)`` from ``w0``.

        Examples
        --------
        >>> data = ScalarRegression.from_slope(2.0)
        >>> path = data.gradient_descent([0.5, 0.3], lr=0.1, steps=200)
        >>> path.converged, bool(np.isclose(path.final.prod(), data.best_slope))
        (True, True)
        >>> data.gradient_descent([1.0, -1.0], lr=0.1, steps=300).final.round(6).tolist()
        [0.0, -0.0]
        """
        return self._descend(w0, lambda w: self.gradient(w[0], w[1]),
                             lambda w: self.loss(w[0], w[1]), lr, steps, "parameters")

    def function_space_descent(self, c0: float, lr: float = 0.1, steps: int = 60) -> GradientPath:
        """Gradient descent on ``l(c)`` directly in function space, from the slope ``c0``.

        Converges for every ``lr < 1/m`` and from every start: the loss is a convex
        parabola there.

        Examples
        --------
        >>> data = ScalarRegression.from_slope(2.0)
        >>> path = data.function_space_descent(-1.0, lr=0.3, steps=100)
        >>> path.converged, bool(np.isclose(path.final[0], data.best_slope))
        (True, True)
        """
        return self._descend(
            [c0], lambda c: 2 * self.second_moment * (c - self.best_slope),
            lambda c: float(self.function_loss(c[0])), lr, steps, "functions")

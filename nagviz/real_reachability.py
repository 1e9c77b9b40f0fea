"""Which pairs of binary quadratics the real network (2, 2, 2) with sigma = z^2 reaches.

The network fills its 6-dimensional ambient space (over the complex numbers every pair
is a limit of network functions), yet over the reals it misses an open set of pairs.
:func:`reachability_222` decides reachability with the Jacobian criterion explained in
:mod:`nagviz.neuromanifolds`, :func:`distance_to_neuromanifold_222` measures how far a
pair is, and :func:`reachability_slice` draws a 2-D slice. The mathematics of notebook 01.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from ._binary_forms import binary_form_parameters, format_form, golden_minimize as _golden_minimize
from .architecture import Architecture
from .parameterization import coefficients

__all__ = [
    "UNREACHED_PAIR",
    "jacobian_form",
    "Reachability",
    "reachability_222",
    "reachability_margin",
    "distance_to_neuromanifold_222",
    "ReachabilitySlice",
    "reachability_slice",
]

#: the pair of binary quadratics that the real (2, 2, 2) network does not reach
UNREACHED_PAIR = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])

# --------------------------------------------------------------------------- (2, 2, 2)

def _pair_array(f1, f2=None) -> np.ndarray:
    if f2 is None:
        F = np.asarray(f1, dtype=float)
    else:
        F = np.stack([np.asarray(f1, dtype=float), np.asarray(f2, dtype=float)], axis=-2)
    if F.shape[-2:] != (2, 3):
        raise ValueError("give two binary quadratic forms as coefficient triples "
                         f"(a, b, c) of a x^2 + b xy + c y^2; got shape {F.shape}")
    return F


def jacobian_form(f1, f2=None) -> np.ndarray:
    """The Jacobian ``det d(f1, f2)/d(x, y)`` of two binary quadratics, as ``(a, b, c)``.

    Parameters
    ----------
    f1, f2 : array_like, shape (..., 3)
        Coefficients; or ``f1`` of shape ``(..., 2, 3)`` holding both.

    Examples
    --------
    >>> jacobian_form([1, 0, -1], [0, 1, 0]).tolist()          # (x^2 - y^2, xy)
    [2.0, 0.0, 2.0]
    >>> jacobian_form([1, 0, 0], [0, 0, 1]).tolist()           # (x^2, y^2)
    [0.0, 4.0, 0.0]
    """
    F = _pair_array(f1, f2)
    n = np.cross(F[..., 0, :], F[..., 1, :])
    return np.stack([2 * n[..., 2], -4 * n[..., 1], 2 * n[..., 0]], axis=-1)


def reachability_margin(f1, f2=None) -> np.ndarray:
    """``(n_b^2 - n_a n_c) / |n|^2`` for ``n = f1 x f2``: positive exactly where reached.

    It is a quarter of the discriminant of the Jacobian form divided by its squared
    size, so it depends only on the plane ``<f1, f2>``; it is ``nan`` for dependent
    pairs (which are always reached). Vectorized.

    Examples
    --------
    >>> float(reachability_margin([1, 0, -1], [0, 1, 0]))     # (x^2 - y^2, xy): not reached
    -0.5
    >>> float(reachability_margin([1, 0, 0], [0, 0, 1]))      # (x^2, y^2): reached
    1.0
    """
    F = _pair_array(f1, f2)
    n = np.cross(F[..., 0, :], F[..., 1, :])
    size = np.einsum("...i,...i->...", n, n)
    scale = np.einsum("...ij,...ij->...", F, F)
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = (n[..., 1] ** 2 - n[..., 0] * n[..., 2]) / size
    return np.where(size > (1e-12 * scale) ** 2 + 1e-300, margin, np.nan)


def _tangent_normals(phi):
    """Unit normals of the planes tangent to the cone along ``(cos phi x + sin phi y)^2``."""
    cos, sin = np.cos(phi), np.sin(phi)
    n = np.stack([cos**2, cos * sin, sin**2], axis=-1)
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


def distance_to_neuromanifold_222(pairs, n_grid: int = 720, refine: bool = True) -> np.ndarray:
    """Euclidean distance (in coefficient coordinates) from pairs to the real (2, 2, 2) neuromanifold.

    A pair ``F`` (rows ``f1, f2``) is in the closure of the neuromanifold exactly when
    some plane whose normal ``n`` satisfies ``n_b^2 >= n_a n_c`` contains both rows, and
    the squared distance to such planes is ``min |F n|^2`` over those unit normals. The
    only local minimum of ``|F n|^2`` on the sphere is the normal of ``<f1, f2>``, so
    for a pair that is not reached the minimum lies on the boundary
    ``n_b^2 = n_a n_c``: the normals of the planes tangent to the cone, a circle. The
    distance is thus a one-dimensional search (grid, then golden section); reached
    pairs get exactly 0. Vectorized over leading axes.

    Parameters
    ----------
    pairs : array_like, shape (..., 2, 3)
    n_grid : int
    refine : bool
        Refine the grid minimum by golden section. ``False`` is faster, for heat maps:
        the grid value is then an upper bound, off by a few thousandths for pairs of
        size about one with ``n_grid = 360``.

    Examples
    --------
    >>> d = distance_to_neuromanifold_222([[1, 0, -1], [0, 1, 0]])      # (x^2 - y^2, xy)
    >>> bool(np.isclose(d, 1 / np.sqrt(3)))
    True
    >>> float(distance_to_neuromanifold_222([[1, 0, 0], [0, 0, 1]]))   # (x^2, y^2)
    0.0
    """
    F = _pair_array(pairs)
    shape = F.shape[:-2]
    flat = F.reshape(-1, 2, 3)
    margin = reachability_margin(flat)
    outside = margin <= 0  # nan (dependent pairs) compares False: reached
    dist = np.zeros(flat.shape[0])
    if not outside.any():
        return dist.reshape(shape)
    G = np.einsum("kia,kib->kab", flat[outside], flat[outside])  # F^T F
    grid = np.linspace(0.0, np.pi, n_grid, endpoint=False)
    normals = _tangent_normals(grid)
    values = np.einsum("ga,kab,gb->kg", normals, G, normals)
    best = np.argmin(values, axis=1)
    d2 = values[np.arange(len(best)), best]
    if refine:
        h = np.pi / n_grid
        lo, hi = grid[best] - h, grid[best] + h

        def score(phi):
            n = _tangent_normals(phi)
            return np.einsum("ka,kab,kb->k", n, G, n)

        d2 = np.minimum(d2, score(_golden_minimize(score, lo, hi)))
    dist[outside] = np.sqrt(np.maximum(d2, 0.0))
    return dist.reshape(shape)


@dataclass(frozen=True)
class Reachability:
    """Whether a pair of binary quadratics is the output of a real (2, 2, 2) network, ``sigma = z^2``.

    Attributes
    ----------
    pair : numpy.ndarray, shape (2, 3)
        The coefficients of ``f1`` and ``f2``.
    reached : bool
    rank : int
        The dimension of ``<f1, f2>`` (0, 1 or 2).
    margin : float or None
        ``(n_b^2 - n_a n_c) / |n|^2`` for rank 2 (:func:`reachability_margin`); ``None``
        otherwise.
    jacobian : numpy.ndarray, shape (3,)
        The Jacobian form ``det d(f1, f2)/d(x, y)``.
    parameters : numpy.ndarray or None, shape (8,)
        When reached: flat parameters of ``Architecture((2, 2, 2), 2)`` computing the pair.
    residual : float or None
        ``|coefficients(parameters) - pair|``: the witness, checked.
    distance : float
        Distance to the neuromanifold (0 when reached).
    tol : float
        Relative tolerance for ranks and for the sign of the margin.
    method : str
    """

    pair: np.ndarray
    reached: bool
    rank: int
    margin: float | None
    jacobian: np.ndarray
    parameters: np.ndarray | None
    residual: float | None
    distance: float
    tol: float
    method: str = "Jacobian criterion: sign of the discriminant of det d(f1, f2)/d(x, y)"

    def _lines(self):
        f1, f2 = (format_form(f) for f in self.pair)
        head = f"({f1}, {f2}) by the real (2, 2, 2) network with sigma = z^2: "
        head += "reached" if self.reached else "NOT reached"
        lines = [head]
        if self.rank < 2:
            lines.append(f"the two forms span a space of dimension {self.rank}; "
                         "one output of width two reaches every form, so they are reached")
        else:
            roots = "two distinct real roots" if self.margin > self.tol else (
                "a double root (boundary)" if abs(self.margin) <= self.tol else "no real root")
            lines.append(f"Jacobian J = {format_form(self.jacobian)} has {roots} "
                         f"(margin {self.margin:+.4g})")
        if self.reached:
            lines.append(f"witness parameters checked: residual {self.residual:.1e}")
        else:
            lines.append(f"distance to the neuromanifold {self.distance:.4g} "
                         "(Euclidean, coefficient coordinates)")
        lines.append(f"method: {self.method}; tol = {self.tol:g}")
        return lines

    def __repr__(self):
        first, *rest = self._lines()
        return "Reachability of " + first + "".join(f"\n  {line}" for line in rest)

    def _repr_html_(self):
        first, *rest = (html.escape(line) for line in self._lines())
        items = "".join(f"<li>{line}</li>" for line in rest)
        return f"<div><b>Reachability</b> of {first}<ul style='margin:2px 0'>{items}</ul></div>"

    def __bool__(self):
        return self.reached


def reachability_222(f1, f2=None, tol: float = 1e-9) -> Reachability:
    """Decide whether ``(f1, f2)`` is computed by a real (2, 2, 2) network with ``sigma = z^2``.

    Uses the Jacobian criterion of the module docstring and, when the answer is yes,
    builds parameters that compute the pair (the two real linear factors ``l1, l2`` of
    the Jacobian as hidden weights, output weights by solving a 2 x 2 system) and
    checks them with :func:`nagviz.coefficients`.

    Parameters
    ----------
    f1, f2 : array_like, shape (3,)
        Coefficients ``(a, b, c)`` of ``a x^2 + b xy + c y^2``; or ``f1`` of shape (2, 3).
    tol : float
        Relative tolerance. Pairs within ``tol`` of the boundary count as not reached
        (on the boundary itself they are not), with ``margin`` close to 0.

    Examples
    --------
    >>> reachability_222([1, 0, -1], [0, 1, 0]).reached         # (x^2 - y^2, xy)
    False
    >>> res = reachability_222([1, 0, 0], [0, 0, 1])            # (x^2, y^2)
    >>> res.reached, res.residual < 1e-12
    (True, True)
    >>> reachability_222([1, 0, 0], [0, 1, 0]).reached          # (x^2, xy): tangent, boundary
    False
    """
    F = _pair_array(f1, f2)
    if F.ndim != 2:
        raise ValueError("reachability_222 takes one pair; use reachability_margin for many")
    arch = Architecture((2, 2, 2), 2)
    jac = jacobian_form(F)
    sv = np.linalg.svd(F, compute_uv=False)
    scale = max(sv[0], 1e-300)
    rank = 0 if sv[0] <= tol else (1 if sv[1] <= tol * scale else 2)
    margin = None
    W1 = V = None
    if rank == 0:
        W1, V = np.eye(2), np.zeros((2, 2))
    elif rank == 1:
        g = F[np.argmax(np.linalg.norm(F, axis=1))]
        theta = binary_form_parameters(g)          # g = lam_1 (e_1.x)^2 + lam_2 (e_2.x)^2
        W1, lam = theta[:4].reshape(2, 2), theta[4:]
        alpha = F @ g / (g @ g)                     # f_i = alpha_i g
        V = np.outer(alpha, lam)
    else:
        margin = float(reachability_margin(F))
        if margin > tol:
            n = np.cross(F[0], F[1])
            n = n / np.linalg.norm(n)
            N = np.array([[n[0], n[1]], [n[1], n[2]]])   # n . u(p, q) = (p, q) N (p, q)^T
            mu, E = np.linalg.eigh(N)                    # mu[0] < 0 < mu[1]
            w1 = np.sqrt(mu[1]) * E[:, 0] + np.sqrt(-mu[0]) * E[:, 1]
            w2 = np.sqrt(mu[1]) * E[:, 0] - np.sqrt(-mu[0]) * E[:, 1]
            W1 = np.array([w1 / np.linalg.norm(w1), w2 / np.linalg.norm(w2)])
            U = np.stack([[p * p, 2 * p * q, q * q] for p, q in W1])   # rows: the two squares
            V = np.linalg.lstsq(U.T, F.T, rcond=None)[0].T             # F = V U
    if W1 is not None:
        theta = np.concatenate([W1.ravel(), V.ravel()])
        residual = float(np.linalg.norm(coefficients(arch, theta) - F))
        return Reachability(F, True, rank, margin, jac, theta, residual, 0.0, tol)
    distance = float(distance_to_neuromanifold_222(F))
    return Reachability(F, False, rank, margin, jac, None, None, distance, tol)


@dataclass(frozen=True)
class ReachabilitySlice:
    """A 2-D slice ``base + s * d1 + t * d2`` of the space of pairs, on a grid.

    Attributes
    ----------
    s, t : numpy.ndarray
        Grid coordinates (1-D).
    margin, distance : numpy.ndarray, shape (len(t), len(s))
        :func:`reachability_margin` and :func:`distance_to_neuromanifold_222` on the grid
        (rows: ``t``, columns: ``s``, the layout of a heat map).
    reached : numpy.ndarray of bool, same shape
    base, d1, d2 : numpy.ndarray, shape (2, 3)
    """

    s: np.ndarray
    t: np.ndarray
    margin: np.ndarray
    distance: np.ndarray
    reached: np.ndarray
    base: np.ndarray
    d1: np.ndarray
    d2: np.ndarray

    def pair(self, s, t) -> np.ndarray:
        """The pair at slice coordinates ``(s, t)``, shape (2, 3)."""
        return self.base + s * self.d1 + t * self.d2

    def boundary(self) -> list[np.ndarray]:
        """Where the margin changes sign along each column ``s = const``, by linear interpolation.

        Returns the crossings sorted into curves by their rank from the bottom: enough for
        slices where the boundary is a union of graphs over ``s`` (as in the default slice,
        where it is ``t = +-1/sqrt(4 + s^2)``).

        Returns
        -------
        list of arrays of shape (m, 2)
            Points ``(s, t)``; one array per curve.
        """
        curves: dict[int, list] = {}
        for j, s in enumerate(self.s):
            col = np.nan_to_num(self.margin[:, j], nan=1.0)
            k = 0
            for i in np.nonzero(np.sign(col[:-1]) != np.sign(col[1:]))[0]:
                t = self.t[i] - col[i] * (self.t[i + 1] - self.t[i]) / (col[i + 1] - col[i])
                curves.setdefault(k, []).append((s, t))
                k += 1
        return [np.array(points) for _, points in sorted(curves.items())]


def reachability_slice(base=UNREACHED_PAIR, d1=((0, 1, 0), (0, 0, 0)), d2=((0, 0, 0), (1, 0, 1)),
                       s=None, t=None, n: int = 121) -> ReachabilitySlice:
    """Reached or not, and the distance, on a grid in a plane of pairs of binary quadratics.

    The default plane passes through ``(x^2 - y^2, xy)`` (at ``s = t = 0``) along
    ``(xy, 0)`` and ``(0, x^2 + y^2)``: the pair ``(x^2 - y^2 + s xy, xy + t (x^2 + y^2))``.
    There the criterion reads ``t^2 (4 + s^2) > 1``: a band around ``t = 0`` is not reached.

    Examples
    --------
    >>> sl = reachability_slice(n=5)
    >>> bool(sl.reached[2, 2]), bool(sl.distance[2, 2] > 0.5)          # the centre is (x^2 - y^2, xy)
    (False, True)
    >>> bool(sl.reached[0, 2])                                      # t = -1.5 is reached
    True
    >>> lower, upper = reachability_slice(n=41).boundary()              # t = -+1/sqrt(4 + s^2)
    >>> bool(np.allclose(upper[:, 1], 1 / np.sqrt(4 + upper[:, 0]**2), atol=5e-3))
    True
    """
    s = np.linspace(-3.0, 3.0, n) if s is None else np.asarray(s, dtype=float)
    t = np.linspace(-1.5, 1.5, n) if t is None else np.asarray(t, dtype=float)
    base, d1, d2 = (np.asarray(a, dtype=float) for a in (base, d1, d2))
    pairs = base + s[None, :, None, None] * d1 + t[:, None, None, None] * d2
    margin = reachability_margin(pairs)
    reached = ~(margin <= 0)
    distance = distance_to_neuromanifold_222(pairs, n_grid=360, refine=False)
    return ReachabilitySlice(s, t, margin, distance, reached, base, d1, d2)



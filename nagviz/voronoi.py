"""Voronoi cells of singular points: which targets have the singular point as nearest point.

For a plane curve (:class:`PlaneCurve`: :data:`CUSP`, :data:`NODE`,
:data:`CROSSING_LINES`, :data:`CORNER`) the targets whose nearest point on the curve is
its singular point form a region of positive area behind a cusp or a corner, and only
the point itself for a node or two crossing lines (:func:`nearest_point_on_curve`,
:func:`singular_voronoi_grid`). For the (2,1,1) cone ``b^2 = 4ac`` of one-neuron
quadratic networks the cell of the vertex is the polar cone for one nappe and only the
vertex for the double cone (:func:`cone_vertex_voronoi`).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._fitting import _fmt_ip
from .architecture import Architecture
from .inner_products import inner_product_matrix, sample_targets

__all__ = [
    "PlaneCurve",
    "CUSP",
    "NODE",
    "CROSSING_LINES",
    "NearestPoint",
    "nearest_point_on_curve",
    "VoronoiGrid",
    "singular_voronoi_grid",
    "ConeVoronoiResult",
    "cone_vertex_voronoi",
    "CORNER",
]


@dataclass(frozen=True)
class PlaneCurve:
    """A real plane curve given by polynomial parameterizations of its branches.

    Attributes
    ----------
    name : str
    equation : str
    branches : tuple of (tuple, tuple)
        For each branch the coefficients (constant term first) of ``x(t)`` and ``y(t)``,
        ``t`` ranging over the real line.
    singular_point : tuple of float
    singular_parameters : tuple of tuple
        For each branch, the parameters at which it passes through the singular point.
    """

    name: str
    equation: str
    branches: tuple
    singular_point: tuple
    singular_parameters: tuple

    def sample(self, t) -> list:
        """Points of every branch at the parameters ``t``: a list of ``(x, y)`` arrays.

        Examples
        --------
        >>> [p.tolist() for p in CUSP.sample([0.0, 1.0])]
        [[[0.0, 1.0], [0.0, 1.0]]]
        """
        t = np.asarray(t, dtype=float)
        P = np.polynomial.polynomial.polyval
        return [np.stack([P(t, bx), P(t, by)]) for bx, by in self.branches]


#: The cusp ``y^2 = x^3``, parameterized by ``(t^2, t^3)``; singular at the origin.
CUSP = PlaneCurve("cusp", "y^2 = x^3", (((0, 0, 1), (0, 0, 0, 1)),), (0.0, 0.0), ((0.0,),))


#: The nodal cubic ``y^2 = x^2 (x + 1)``, parameterized by ``(t^2 - 1, t^3 - t)``.
NODE = PlaneCurve("node", "y^2 = x^2 (x + 1)", (((-1, 0, 1), (0, -1, 0, 1)),), (0.0, 0.0),
                  ((-1.0, 1.0),))


#: Two lines crossing at the origin, ``y^2 = x^2``.
CROSSING_LINES = PlaneCurve("crossing lines", "y^2 = x^2",
                            (((0, 1), (0, 1)), ((0, 1), (0, -1))), (0.0, 0.0),
                            ((0.0,), (0.0,)))


#: Two half-axes meeting at a right angle, ``xy = 0`` with ``x, y >= 0``: the slice ``b = 0``
#: of one nappe ``{v (p x + q y)^2 : v >= 0}`` of the (2,1,1) cone, in coordinates
#: ``(a, c)`` (the diagonal forms ``a x^2 + c y^2``).
CORNER = PlaneCurve("corner", "xy = 0, x >= 0, y >= 0",
                    (((0, 0, 1), (0, 0)), ((0, 0), (0, 0, 1))), (0.0, 0.0),
                    ((0.0,), (0.0,)))


def _nearest_batch(curve: PlaneCurve, targets: np.ndarray):
    """Nearest points of the curve to many targets: critical points of the squared
    distance along each branch are the real roots of a polynomial whose coefficients are
    affine in the target; all roots at once from batched companion matrices."""
    P = np.polynomial.polynomial
    targets = np.asarray(targets, dtype=float).reshape(-1, 2)
    T = targets.shape[0]
    best_d = np.full(T, np.inf)
    best_pt = np.zeros((T, 2))
    best_t = np.zeros(T)
    best_branch = np.zeros(T, dtype=int)
    sing = np.asarray(curve.singular_point, dtype=float)
    d_sing = np.linalg.norm(targets - sing, axis=1)
    for k, (bx, by) in enumerate(curve.branches):
        bx, by = np.asarray(bx, float), np.asarray(by, float)
        dx, dy = P.polyder(bx), P.polyder(by)
        base = P.polyadd(P.polymul(bx, dx), P.polymul(by, dy))  # x x' + y y'
        deg = len(base) - 1
        coeffs = np.zeros((T, deg + 1))
        coeffs[:] = base
        coeffs[:, :len(dx)] -= targets[:, :1] * dx
        coeffs[:, :len(dy)] -= targets[:, 1:] * dy
        lead = coeffs[:, -1]
        comp = np.zeros((T, deg, deg))
        if deg > 1:
            comp[:, np.arange(1, deg), np.arange(deg - 1)] = 1.0
        comp[:, :, -1] = -coeffs[:, :-1] / lead[:, None]
        roots = np.linalg.eigvals(comp)  # (T, deg)
        cand = np.where(np.abs(roots.imag) < 1e-6 * (1 + np.abs(roots.real)), roots.real, np.nan)
        extra = np.broadcast_to(np.array(curve.singular_parameters[k], dtype=float),
                                (T, len(curve.singular_parameters[k])))
        cand = np.concatenate([cand, extra], axis=1)
        xs, ys = P.polyval(cand, bx), P.polyval(cand, by)
        d = np.hypot(xs - targets[:, :1], ys - targets[:, 1:])
        d = np.where(np.isnan(d), np.inf, d)
        j = np.argmin(d, axis=1)
        dj = d[np.arange(T), j]
        better = dj < best_d
        best_d = np.where(better, dj, best_d)
        best_t = np.where(better, cand[np.arange(T), j], best_t)
        best_pt = np.where(better[:, None], np.stack([xs[np.arange(T), j], ys[np.arange(T), j]], 1),
                           best_pt)
        best_branch = np.where(better, k, best_branch)
    return best_pt, best_d, best_t, best_branch, d_sing


@dataclass(frozen=True)
class NearestPoint:
    """The nearest point of a plane curve to a target.

    Attributes
    ----------
    curve : str
    target, point : tuple of float
    distance : float
    parameter : float
        The branch parameter ``t`` of the nearest point.
    branch : int
    is_singular : bool
        Whether the singular point is a nearest point (within ``tolerance``).
    tolerance : float
    """

    curve: str
    target: tuple
    point: tuple
    distance: float
    parameter: float
    branch: int
    is_singular: bool
    tolerance: float

    def __repr__(self) -> str:
        where = "the singular point" if self.is_singular else "a smooth point"
        return (f"NearestPoint on the {self.curve}: {tuple(round(v, 6) for v in self.point)} "
                f"({where}) at distance {self.distance:.6g} from {self.target}; "
                f"real roots of the distance derivative, tolerance {self.tolerance:g}")


def nearest_point_on_curve(curve: PlaneCurve, target, tolerance: float = 1e-9) -> NearestPoint:
    """The point of ``curve`` nearest to ``target`` (Euclidean distance in the plane).

    The squared distance to a point of a branch is a polynomial in the parameter ``t``;
    the nearest point is among the real roots of its derivative (and the singular
    parameters). All roots are found at once as companion-matrix eigenvalues.

    Examples
    --------
    Behind the cusp, the cusp itself is nearest; in front of it, a smooth point:

    >>> nearest_point_on_curve(CUSP, (-0.5, 0.1)).is_singular
    True
    >>> nearest_point_on_curve(CUSP, (0.5, 0.1)).is_singular
    False
    """
    pt, d, t, br, d_sing = _nearest_batch(curve, np.asarray(target, dtype=float)[None])
    is_sing = bool(d_sing[0] <= d[0] * (1 + tolerance) + tolerance)
    return NearestPoint(curve.name, tuple(map(float, np.ravel(target))), tuple(map(float, pt[0])),
                        float(d[0]), float(t[0]), int(br[0]), is_sing, float(tolerance))


@dataclass(frozen=True)
class VoronoiGrid:
    """Which targets on a grid have the singular point as their nearest point.

    Attributes
    ----------
    curve : str
    xs, ys : numpy.ndarray
        Grid coordinates; ``mask[i, j]`` belongs to ``(xs[j], ys[i])``.
    mask : numpy.ndarray of bool
        True where the singular point is a nearest point of the curve.
    fraction : float
        Fraction of grid points in the cell: an estimate of its area fraction.
    area : float
        ``fraction`` times the area of the window.
    tolerance : float
    """

    curve: str
    xs: np.ndarray = field(repr=False)
    ys: np.ndarray = field(repr=False)
    mask: np.ndarray = field(repr=False)
    fraction: float
    area: float
    tolerance: float

    def __repr__(self) -> str:
        return (f"VoronoiGrid for the {self.curve}: the singular point is nearest for "
                f"{self.fraction:.4f} of a {self.mask.shape[1]} x {self.mask.shape[0]} grid on "
                f"[{self.xs[0]:g}, {self.xs[-1]:g}] x [{self.ys[0]:g}, {self.ys[-1]:g}] "
                f"(area {self.area:.4g}); tolerance {self.tolerance:g}")

    def _repr_html_(self) -> str:
        return "<div class='nagviz-result'>" + repr(self) + "</div>"


def singular_voronoi_grid(curve: PlaneCurve, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
                          resolution: int = 201, tolerance: float = 1e-9) -> VoronoiGrid:
    """Classify a grid of targets by whether their nearest point is the singular point.

    Returns the boolean grid for a heat map and the fraction of the window it covers.

    Examples
    --------
    >>> singular_voronoi_grid(CUSP, resolution=41).fraction > 0.1      # a fat region
    True
    >>> singular_voronoi_grid(NODE, resolution=40).fraction             # only the node
    0.0
    """
    xs = np.linspace(*xlim, int(resolution))
    ys = np.linspace(*ylim, int(resolution))
    X, Y = np.meshgrid(xs, ys)
    targets = np.stack([X.ravel(), Y.ravel()], axis=1)
    _, d, _, _, d_sing = _nearest_batch(curve, targets)
    mask = (d_sing <= d * (1 + tolerance) + tolerance).reshape(X.shape)
    fraction = float(mask.mean())
    area = fraction * (xlim[1] - xlim[0]) * (ylim[1] - ylim[0])
    return VoronoiGrid(curve.name, xs, ys, mask, fraction, area, float(tolerance))


@dataclass(frozen=True)
class ConeVoronoiResult:
    """How many targets have the vertex of the cone ``b^2 = 4ac`` as nearest point.

    The real neuromanifold of widths (2,1,1) with ``z^2`` is the set of
    ``v (a x + b y)^2``: the whole double cone (both nappes, ``v`` of either sign). One
    nappe (``v >= 0``) is the boundary of the convex cone of nonnegative binary quadratics.

    Attributes
    ----------
    kind : str
        ``"double"`` or ``"nappe"``.
    inner_product : str
    fraction : float
        Fraction of ``n_samples`` Gaussian targets (standard for the inner product)
        whose nearest point is the vertex.
    exact_fraction : float or None
        The exact value where known: 0 for the double cone;
        ``(2 - sqrt 2) / 4`` for one nappe with the Bombieri inner product (the
        probability that a 2x2 GOE matrix is negative semidefinite).
    n_samples, seed, n_angles : int
    is_vertex : numpy.ndarray of bool
    targets : numpy.ndarray
    """

    kind: str
    inner_product: str
    fraction: float
    exact_fraction: float | None
    n_samples: int
    seed: int
    n_angles: int
    is_vertex: np.ndarray = field(repr=False)
    targets: np.ndarray = field(repr=False)

    def __repr__(self) -> str:
        exact = "" if self.exact_fraction is None else f" (exact {self.exact_fraction:.4f})"
        return (f"ConeVoronoiResult ({self.kind}, {self.inner_product} inner product): the "
                f"vertex is nearest for {self.fraction:.4f}{exact} of {self.n_samples} Gaussian "
                f"targets; seed {self.seed}, {self.n_angles} directions")

    def _repr_html_(self) -> str:
        return "<div class='nagviz-result'>" + repr(self) + "</div>"


def cone_vertex_voronoi(kind: str = "double", inner_product="euclidean", n_samples: int = 20000,
                        seed: int = 0, n_angles: int = 720, targets=None) -> ConeVoronoiResult:
    """Monte Carlo estimate of the Voronoi cell of the vertex of the (2,1,1) cone.

    The vertex ``0`` is the nearest point of a cone ``C`` to ``t`` exactly when
    ``<t, u>_G <= 0`` for every ``u`` in ``C`` (otherwise moving from ``0`` along ``u``
    gets closer). For one nappe, ``{(a^2, 2ab, b^2)}``, these ``t`` form the polar cone:
    a set of positive volume (the negative semidefinite forms, for the Bombieri inner
    product). For the double cone, ``u`` and ``-u`` both lie in ``C``, so
    ``<t, u>_G = 0`` for all ``u``, which forces ``t = 0``: the cell is the vertex alone.

    Parameters
    ----------
    kind : {"double", "nappe"}
    inner_product : str or array_like
        As in :func:`nagviz.training.inner_product_matrix` for the architecture (2,1,1).
    n_samples, seed
        Gaussian targets, standard for the inner product (ignored if ``targets`` given).
    n_angles : int
        Directions ``(a, b) = (cos phi, sin phi)`` checked.
    targets : array_like, optional
        Targets to classify instead, shape (n, 3).

    Examples
    --------
    >>> cone_vertex_voronoi("double", n_samples=2000).fraction
    0.0
    >>> r = cone_vertex_voronoi("nappe", "bombieri", n_samples=20000)
    >>> abs(r.fraction - r.exact_fraction) < 0.01
    True
    """
    if kind not in ("double", "nappe"):
        raise ValueError(f"kind must be 'double' or 'nappe', got {kind!r}")
    if isinstance(n_angles, bool) or not isinstance(n_angles, (int, np.integer)) or n_angles < 1:
        raise ValueError(f"n_angles must be a positive integer (720 is the default), got "
                         f"{n_angles!r}")
    arch = Architecture((2, 1, 1), 2)
    G = inner_product_matrix(arch, inner_product)
    if targets is None:
        t = sample_targets(arch, n_samples, inner_product, seed=seed)
    else:
        t = np.atleast_2d(np.asarray(targets, dtype=float))
    phi = np.linspace(0, np.pi, int(n_angles), endpoint=False)
    U = np.stack([np.cos(phi) ** 2, 2 * np.cos(phi) * np.sin(phi), np.sin(phi) ** 2], axis=1)
    U = U / np.sqrt(np.einsum("ka,ab,kb->k", U, G, U))[:, None]
    scale = np.sqrt(np.einsum("na,ab,nb->n", t, G, t))
    tol = 1e-12 * np.maximum(scale, 1e-300)
    tG = t @ G

    def beyond(proj, bound):  # <t, u>_G above the bound in some direction: not the vertex
        value = proj if kind == "nappe" else np.abs(proj)
        return (value > bound[:, None]).any(axis=1)

    # Eight of the directions first (with a margin for rounding) settle most targets;
    # the rest are checked in every direction: the same answer in a fraction of the time.
    few = np.arange(0, len(phi), max(len(phi) // 8, 1))
    is_vertex = ~beyond(tG @ U[few].T, tol + 1e-9 * scale)
    left = np.flatnonzero(is_vertex)
    is_vertex[left] = ~beyond(tG[left] @ U.T, tol[left])
    exact = 0.0 if kind == "double" else (
        (2 - math.sqrt(2)) / 4 if isinstance(inner_product, str)
        and inner_product == "bombieri" else None)
    return ConeVoronoiResult(kind, _fmt_ip(inner_product, 1.0) if isinstance(inner_product, str)
                             else "custom matrix", float(is_vertex.mean()),
                             exact if targets is None else None, int(t.shape[0]), int(seed),
                             int(n_angles), is_vertex, t)

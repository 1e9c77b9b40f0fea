"""Singular points of neuromanifolds: subnetworks, Voronoi cells, and critical exposure.

Small computations the notebook draws:

* **Tangent rank.** The rank of the Jacobian of the parameterization at a given
  parameter point (:func:`tangent_rank`), exactly (modulo a large prime, at rational
  points) or in floating point. Along a path that switches a neuron off or merges two
  neurons (:func:`switch_off_path`, :func:`merge_path`) the rank is the generic one
  until the path reaches the subnetwork, where it drops (:func:`rank_along_path`).
* **Voronoi cells in the plane and of a cone.** The targets whose nearest point is
  the singular point: a region of positive area behind a cusp, only the point itself
  for a node or two crossing lines (:func:`singular_voronoi_grid`); for the (2,1,1)
  cone ``b^2 = 4ac``, the polar cone for one nappe, only the vertex for the double cone
  (:func:`cone_vertex_voronoi`).
* **Dead neurons are critical.** At a parameter point whose hidden neuron has zero
  incoming and outgoing weights (:func:`dead_neuron_point`) the loss gradient in that
  neuron's coordinates vanishes for every target (:func:`loss_gradient`), the Hessian
  there is zero (:func:`loss_hessian`), and the loss decreases only at third order
  (:func:`escape_direction`).
* **Critical is not best.** :func:`best_fit_is_subnetwork_fraction` samples targets and
  compares the best fit of the full network with the best fit of its subnetworks:
  how often a subnetwork is critical, a second-order local minimum, or the best fit.
* **A singular neuromanifold to draw.** (2,2,1) with ``z^3 + z^2`` is the cubic
  hypersurface ``det = 0`` of a 3 x 3 apolarity matrix (:func:`apolarity_matrix_221`),
  singular where the matrix has rank one; :func:`singular_slice_221` meshes a 3-D slice
  through a line of one-neuron networks, :func:`network_221_parameters` recovers weights.
* **Where training stops.** :func:`rank_one_trap_experiment` trains the quadratic network
  (2,2,1), which fits every target exactly, and classifies the runs that stop on the cone
  of one-neuron networks (a neuron off, or two parallel neurons).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ._results import LinesRepr
from .architecture import Architecture
from .cnn import CNNArchitecture, _to_residues, cnn_dimension, cnn_evaluate, cnn_jacobian_mod_p
from .dimension import DEFAULT_PRIME, _check_prime, _Floats, _jacobian, dimension, jacobian_mod_p
from .dimension import rank_mod_p
from .parameterization import coefficients, evaluate, flatten, unflatten
from .training import (_best_fit, _coerce, _fmt_ip, _model, _problem, hidden_units,
                       inner_product_matrix, sample_targets, train)

__all__ = [
    "TangentRankResult",
    "PathRankResult",
    "ParameterPath",
    "tangent_rank",
    "rank_along_path",
    "switch_off_path",
    "merge_path",
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
    "loss_gradient",
    "loss_hessian",
    "dead_neuron_point",
    "EscapeResult",
    "escape_direction",
    "SubnetworkFitResult",
    "best_fit_is_subnetwork_fraction",
    "CORNER",
    "CUBIC_221",
    "apolarity_matrix_221",
    "neurovariety_221_equation",
    "network_221_parameters",
    "SingularSlice",
    "singular_slice_221",
    "slice_cross_section_221",
    "QUADRATIC_221",
    "TRAP_OUTCOMES",
    "binary_quadratic_eigenvalues",
    "cone_coordinates",
    "RankOneTrapResult",
    "rank_one_trap_experiment",
]


# ==================================================================================
# tangent rank
# ==================================================================================
def _fraction(x) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, (float, np.floating)):
        return Fraction(float(x)).limit_denominator(10**9)
    try:  # sympy Rational and friends
        return Fraction(str(x))
    except (TypeError, ValueError):
        raise TypeError(f"cannot read {x!r} as a rational number") from None


def _as_fractions(theta) -> np.ndarray:
    return np.array([_fraction(x) for x in np.ravel(np.asarray(theta, dtype=object))],
                    dtype=object)


@lru_cache(maxsize=128)
def _generic_rank(arch) -> int:
    if isinstance(arch, CNNArchitecture):
        return cnn_dimension(arch).dimension
    return dimension(arch).dimension


def _n_points(arch) -> int:
    return arch.monomials_per_output + 3


@dataclass(frozen=True)
class TangentRankResult:
    """The rank of the Jacobian of ``w -> f_w`` at one parameter point.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    theta : tuple
        The parameter point (fractions when exact).
    rank : int
        The rank of the differential at ``theta``: the dimension of the image of the
        tangent space of parameter space.
    generic_rank : int
        The rank at a generic point: the dimension of the neuromanifold.
    drop : int
        ``generic_rank - rank``; positive at special points such as subnetworks.
    exact : bool
    method : str
    prime : int or None
    seed : int
    trials : int
    sample_points : int
        Input points of the exact Jacobian (at least the monomials per output).
    singular_values : tuple of float
        Of the coefficient Jacobian, for the float method (empty when exact).
    tolerance : float or None
        Relative singular-value threshold of the float method.
    """

    architecture: object
    theta: tuple = field(repr=False)
    rank: int
    generic_rank: int
    drop: int
    exact: bool
    method: str
    prime: int | None
    seed: int
    trials: int
    sample_points: int
    singular_values: tuple = field(repr=False, default=())
    tolerance: float | None = None

    def _status(self):
        if self.exact:
            return (f"{self.method}, p = {self.prime}, seed = {self.seed}, {self.trials} "
                    f"trial(s) of {self.sample_points} points (each trial a lower bound; "
                    "wrong with probability < 1e-6)")
        return f"{self.method}, relative tolerance {self.tolerance:g}"

    def __repr__(self) -> str:
        return (f"TangentRankResult: rank {self.rank} at this point, generic rank "
                f"{self.generic_rank} (drop {self.drop}) for {self.architecture!r}\n"
                f"  {self._status()}")

    def _repr_html_(self) -> str:
        return (f"<div class='nagviz-result'><b>tangent rank {self.rank}</b> (generic "
                f"{self.generic_rank}, drop {self.drop}) for {self.architecture!r}<br>"
                f"<small>{self._status()}</small></div>")


def _exact_rank(arch, theta_frac, seed, trials, prime):
    p = _check_prime(prime)
    th = _to_residues(theta_frac, p)
    rng = np.random.default_rng(seed)
    n_in = arch.input_length if isinstance(arch, CNNArchitecture) else arch.widths[0]
    ranks = []
    for _ in range(trials):
        X = rng.integers(1, p, size=(_n_points(arch), n_in), dtype=np.int64)
        if isinstance(arch, CNNArchitecture):
            J = cnn_jacobian_mod_p(arch, th, X, p)
        else:
            J = jacobian_mod_p(arch, th, X, p)
        ranks.append(rank_mod_p(J, p))
    return max(ranks)


def tangent_rank(arch, theta, exact: bool = True, *, seed: int = 0, trials: int = 2,
                 prime: int = DEFAULT_PRIME, tolerance: float = 1e-9) -> TangentRankResult:
    """The rank of the differential of the parameterization at ``theta``.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta : array_like
        The parameter point. For ``exact=True`` its entries are read as rationals
        (ints, :class:`fractions.Fraction`, sympy rationals; floats are replaced by the
        nearest fraction with denominator at most ``1e9``), so special points such as
        zeros and equal neurons are hit exactly.
    exact : bool, default True
        ``True``: the rank over ``F_p`` of the Jacobian of ``w -> (f_w(x_1..x_N))`` with
        ``N = monomials per output + 3`` random input points, the largest over
        ``trials`` (each is a lower bound for the true rank, equal to it with high
        probability). ``False``: a floating-point SVD of the coefficient Jacobian,
        counting singular values above ``tolerance * s_max``.
    seed, trials, prime
        Of the exact method.
    tolerance : float
        Of the float method.

    Returns
    -------
    TangentRankResult

    Examples
    --------
    The cone ``v (a x + b y)^2``: rank 2 at a generic point, 1 at ``v = 0`` (the zero
    function, reached with a nonzero ``(a, b)``), 0 at ``a = b = 0``.

    >>> cone = Architecture((2, 1, 1), 2)
    >>> [tangent_rank(cone, t).rank for t in ([1, 2, 3], [1, 2, 0], [0, 0, 3])]
    [2, 1, 0]
    """
    arch = _coerce(arch)
    if exact:
        frac = _as_fractions(theta)
        if frac.shape != (arch.n_parameters,):
            raise ValueError(f"theta must have {arch.n_parameters} entries, got {frac.shape}")
        rank = _exact_rank(arch, frac, seed, int(trials), prime)
        generic = _generic_rank(arch)
        return TangentRankResult(arch, tuple(frac), rank, generic, generic - rank, True,
                                 "exact Jacobian rank modulo a prime", int(prime), int(seed),
                                 int(trials), _n_points(arch))
    th = np.asarray(theta, dtype=float)
    if th.shape != (arch.n_parameters,):
        raise ValueError(f"theta must have {arch.n_parameters} entries, got {th.shape}")
    _, J = _model(arch).coefficients_and_jacobian(th[None])
    s = np.linalg.svd(J[0], compute_uv=False)
    rank = int(np.sum(s > tolerance * s.max())) if s.size and s.max() > 0 else 0
    generic = _generic_rank(arch)
    return TangentRankResult(arch, tuple(th.tolist()), rank, generic, generic - rank, False,
                             "floating-point SVD of the coefficient Jacobian", None, int(seed),
                             1, 0, tuple(map(float, s)), float(tolerance))


@dataclass(frozen=True)
class ParameterPath:
    """The straight path ``theta(t) = (1 - t) start + t end`` in parameter space.

    Attributes
    ----------
    start, end : tuple
        Endpoints (fractions, so that ``theta(1)`` is exactly the special point).
    label : str
        What happens at ``t = 1``.
    """

    start: tuple
    end: tuple
    label: str

    def __call__(self, t) -> np.ndarray:
        """The point at parameter ``t`` (exact fractions when ``t`` is rational).

        Examples
        --------
        >>> ParameterPath((0, 2), (2, 0), "demo")(Fraction(1, 2)).tolist()
        [Fraction(1, 1), Fraction(1, 1)]
        """
        t = _fraction(t)
        return np.array([(1 - t) * _fraction(a) + t * _fraction(b)
                         for a, b in zip(self.start, self.end)], dtype=object)


def _neuron_indices(arch, layer, neuron):
    units = [u for u in hidden_units(arch) if u.kind == "neuron" and u.layer == layer]
    if not units:
        raise ValueError(f"{arch!r} has no hidden layer {layer} (hidden layers are "
                         f"1..{arch.depth - 1})")
    if not 0 <= neuron < len(units):
        raise ValueError(f"hidden layer {layer} has neurons 0..{len(units) - 1}, got {neuron}")
    return units[neuron]


def switch_off_path(arch, theta, layer: int, neuron: int) -> ParameterPath:
    """The path that scales one neuron's incoming and outgoing weights by ``1 - t``.

    At ``t = 1`` the neuron is off and the network computes a subnetwork.

    Parameters
    ----------
    arch : Architecture
    theta : array_like
        The starting point (read as rationals).
    layer : int
        Hidden layer, 1-based.
    neuron : int
        Neuron index, 0-based.

    Examples
    --------
    >>> path = switch_off_path(Architecture((2, 2, 1), 2), [1, 2, 3, 4, 5, 6], 1, 1)
    >>> [str(x) for x in path(1)]
    ['1', '2', '0', '0', '5', '0']
    """
    arch = _coerce(arch)
    start = _as_fractions(theta)
    unit = _neuron_indices(arch, layer, neuron)
    end = start.copy()
    end[list(unit.parameters)] = Fraction(0)
    return ParameterPath(tuple(start), tuple(end),
                         f"neuron {neuron} of hidden layer {layer} switched off at t = 1")


def merge_path(arch, theta, layer: int, i: int, j: int) -> ParameterPath:
    """The path that moves neuron ``j``'s incoming weights (and bias) onto neuron ``i``'s.

    At ``t = 1`` both neurons compute the same thing, so the network equals a
    subnetwork with one neuron fewer (outgoing weights added).

    Examples
    --------
    >>> path = merge_path(Architecture((2, 2, 1), 2), [1, 2, 3, 4, 5, 6], 1, 0, 1)
    >>> [str(x) for x in path(1)]
    ['1', '2', '1', '2', '5', '6']
    """
    arch = _coerce(arch)
    start = _as_fractions(theta)
    ui, uj = _neuron_indices(arch, layer, i), _neuron_indices(arch, layer, j)
    end = start.copy()
    end[list(uj.incoming)] = start[list(ui.incoming)]
    return ParameterPath(tuple(start), tuple(end),
                         f"neurons {i} and {j} of hidden layer {layer} merged at t = 1")


@dataclass(frozen=True)
class PathRankResult:
    """Tangent ranks along a path in parameter space.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    label : str
    ts : tuple of float
    ranks : tuple of int
    generic_rank : int
    exact : bool
    method : str
    prime : int or None
    seed : int
    """

    architecture: object
    label: str
    ts: tuple
    ranks: tuple
    generic_rank: int
    exact: bool
    method: str
    prime: int | None
    seed: int

    @property
    def drops(self) -> list:
        """The path parameters where the rank is below the generic rank."""
        return [t for t, r in zip(self.ts, self.ranks) if r < self.generic_rank]

    def __repr__(self) -> str:
        pairs = ", ".join(f"{t:g}: {r}" for t, r in zip(self.ts, self.ranks))
        prime = f", p = {self.prime}" if self.prime else ""
        return (f"PathRankResult for {self.architecture!r} ({self.label})\n"
                f"  generic rank {self.generic_rank}; rank at t = {{{pairs}}}\n"
                f"  rank drops at t = {[float(t) for t in self.drops]}\n"
                f"  {self.method}{prime}, seed {self.seed}")

    def _repr_html_(self) -> str:
        return "<pre class='nagviz-result'>" + repr(self) + "</pre>"


def rank_along_path(arch, theta0, theta1=None, ts=None, *, exact: bool = True, seed: int = 0,
                    trials: int = 2, prime: int = DEFAULT_PRIME,
                    tolerance: float = 1e-9) -> PathRankResult:
    """Tangent rank (:func:`tangent_rank`) at points along a path in parameter space.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta0 : array_like, ParameterPath or callable
        A start point (then ``theta1`` is the end of a straight path), a
        :class:`ParameterPath`, or a function ``t -> theta``.
    theta1 : array_like, optional
    ts : sequence of float, optional
        Path parameters; default ``0, 0.1, ..., 1``. For exact ranks they are read as
        fractions (``0.1`` is ``1/10``).
    exact, seed, trials, prime, tolerance
        As in :func:`tangent_rank`.

    Returns
    -------
    PathRankResult

    Examples
    --------
    >>> arch = Architecture((3, 2, 1), 2)
    >>> r = rank_along_path(arch, switch_off_path(arch, [1, 2, 3, 1, -1, 2, 1, 1], 1, 1),
    ...                     ts=[0, 0.5, 1])
    >>> r.ranks, r.generic_rank, r.drops
    ((5, 5, 3), 5, [1.0])
    """
    arch = _coerce(arch)
    if isinstance(theta0, ParameterPath):
        path, label = theta0, theta0.label
    elif callable(theta0):
        path, label = theta0, getattr(theta0, "__name__", "custom path")
    else:
        if theta1 is None:
            raise ValueError("give theta1 (the end of a straight path), a ParameterPath "
                             "or a function t -> theta")
        path = ParameterPath(tuple(_as_fractions(theta0)), tuple(_as_fractions(theta1)),
                             "straight path")
        label = path.label
    ts = [i / 10 for i in range(11)] if ts is None else list(ts)
    ranks = []
    for t in ts:
        point = path(_fraction(t) if exact else float(t))
        if not exact:
            point = np.array([float(x) for x in point])
        ranks.append(tangent_rank(arch, point, exact, seed=seed, trials=trials, prime=prime,
                                  tolerance=tolerance).rank)
    method = ("exact Jacobian rank modulo a prime" if exact
              else f"floating-point SVD, relative tolerance {tolerance:g}")
    return PathRankResult(arch, label, tuple(float(t) for t in ts), tuple(ranks),
                          _generic_rank(arch), bool(exact), method,
                          int(prime) if exact else None, int(seed))


# ==================================================================================
# Voronoi cells of singular points in the plane
# ==================================================================================
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


# ==================================================================================
# the (2,1,1) cone b^2 = 4ac
# ==================================================================================
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
    arch = Architecture((2, 1, 1), 2)
    G = inner_product_matrix(arch, inner_product)
    if targets is None:
        t = sample_targets(arch, n_samples, inner_product, seed=seed)
    else:
        t = np.atleast_2d(np.asarray(targets, dtype=float))
    phi = np.linspace(0, np.pi, int(n_angles), endpoint=False)
    U = np.stack([np.cos(phi) ** 2, 2 * np.cos(phi) * np.sin(phi), np.sin(phi) ** 2], axis=1)
    U = U / np.sqrt(np.einsum("ka,ab,kb->k", U, G, U))[:, None]
    proj = t @ G @ U.T  # <t, u>_G for every direction
    scale = np.sqrt(np.einsum("na,ab,nb->n", t, G, t))
    tol = 1e-12 * np.maximum(scale, 1e-300)
    if kind == "nappe":
        is_vertex = proj.max(axis=1) <= tol
    else:
        is_vertex = np.abs(proj).max(axis=1) <= tol
    exact = 0.0 if kind == "double" else (
        (2 - math.sqrt(2)) / 4 if isinstance(inner_product, str)
        and inner_product == "bombieri" else None)
    return ConeVoronoiResult(kind, _fmt_ip(inner_product, 1.0) if isinstance(inner_product, str)
                             else "custom matrix", float(is_vertex.mean()),
                             exact if targets is None else None, int(t.shape[0]), int(seed),
                             int(n_angles), is_vertex, t)


# ==================================================================================
# the loss, its gradient and Hessian
# ==================================================================================
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
        if isinstance(self.arch, CNNArchitecture):
            return cnn_evaluate(self.arch, theta, self.X).reshape(theta.shape[0], -1)
        return evaluate(self.arch, theta, self.X).reshape(theta.shape[0], -1)

    def jacobian(self, theta):
        """(m, P) at one real point."""
        theta = np.asarray(theta, dtype=float)
        if self.mode == "coefficients":
            _, J = _model(self.arch).coefficients_and_jacobian(theta[None])
            return self.A @ J[0]
        if isinstance(self.arch, CNNArchitecture):
            from .cnn import cnn_jacobian_float

            return cnn_jacobian_float(self.arch, theta, self.X)
        return _jacobian(self.arch, theta[None], self.X[None], _Floats(self.arch.activation))[0]

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


def loss_gradient(arch, theta, X=None, Y=None, *, target=None, inner_product="euclidean",
                  input_scale: float = 1.0) -> np.ndarray:
    """Gradient of the squared loss, by backpropagation (exact formulas, float arithmetic).

    Either on data, ``L = sum_n ||f_theta(x_n) - y_n||^2``, or in function space,
    ``L = ||f_theta - t||_G^2`` for a target coefficient vector ``target``.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta : array_like, shape (n_parameters,)
    X : array_like, shape (N, d_0), optional
    Y : array_like, shape (N, d_L) or (N,), optional
    target : array_like, shape (ambient,), optional
    inner_product, input_scale
        For ``target``: see :func:`nagviz.training.inner_product_matrix`.

    Examples
    --------
    Neuron 2 is off (zero in- and out-weights): its four coordinates of the gradient are
    exactly zero, whatever the data.

    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    >>> g = loss_gradient(a, [1.0, -2.0, 0.0, 0.0, 0.5, 0.0], X, Y)
    >>> g[[2, 3, 5]].tolist()
    [0.0, 0.0, 0.0]
    """
    arch = _coerce(arch)
    return _Loss(arch, X, Y, target, inner_product, input_scale).gradient(theta)


def loss_hessian(arch, theta, X=None, Y=None, *, target=None, inner_product="euclidean",
                 input_scale: float = 1.0) -> np.ndarray:
    """Hessian of the squared loss: ``2 J^T J + 2 sum_k r_k (second derivative of output k)``.

    The second derivatives of the outputs come from exact polynomial interpolation along
    lines (the outputs are polynomials in the parameters, evaluated on complex roots of
    unity and read off with an FFT), so the only error is floating-point rounding.

    Parameters
    ----------
    As in :func:`loss_gradient`.

    Returns
    -------
    numpy.ndarray, shape (n_parameters, n_parameters)

    Examples
    --------
    ``L(a, v) = (v a^2 - 1)^2`` for one data point ``x = 1``, ``y = 1`` with ``z^2``:

    >>> H = loss_hessian(Architecture((1, 1, 1), 2), [1.0, 2.0], [[1.0]], [1.0])
    >>> H.round(8).tolist()
    [[40.0, 12.0], [12.0, 2.0]]
    """
    arch = _coerce(arch)
    return _Loss(arch, X, Y, target, inner_product, input_scale).hessian(
        np.asarray(theta, dtype=float))


def dead_neuron_point(arch, theta_sub, layer: int, neuron: int) -> np.ndarray:
    """Embed a subnetwork's parameters in ``arch`` with one extra neuron that is off.

    Parameters
    ----------
    arch : Architecture
        The full architecture.
    theta_sub : array_like
        Parameters of the architecture with one neuron fewer in hidden layer ``layer``.
    layer : int
        Hidden layer (1-based) that receives the dead neuron.
    neuron : int
        Its index (0-based) in the full layer.

    Returns
    -------
    numpy.ndarray, shape (arch.n_parameters,)
        Incoming weights, bias and outgoing weights of the new neuron are zero.

    Examples
    --------
    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> dead_neuron_point(a, [1.0, -2.0, 0.5], 1, 1).tolist()
    [1.0, -2.0, 0.0, 0.0, 0.5, 0.0]
    """
    arch = _coerce(arch)
    if not 1 <= layer < arch.depth:
        raise ValueError(f"hidden layers are 1..{arch.depth - 1}, got {layer}")
    widths = list(arch.widths)
    if not 0 <= neuron < widths[layer]:
        raise ValueError(f"layer {layer} has neurons 0..{widths[layer] - 1}, got {neuron}")
    if widths[layer] == 1:
        raise ValueError("the layer has a single neuron: the subnetwork without it is empty; "
                         "the zero parameter vector is the corresponding point")
    widths[layer] -= 1
    sub = Architecture(tuple(widths), arch.activation, arch.bias)
    sub_layers = unflatten(sub, np.asarray(theta_sub, dtype=float))
    layers = []
    for i, (W, b) in enumerate(sub_layers):
        W = np.array(W)
        b = None if b is None else np.array(b)
        if i == layer - 1:  # incoming: insert a zero row (and bias)
            W = np.insert(W, neuron, 0.0, axis=0)
            if b is not None:
                b = np.insert(b, neuron, 0.0)
        if i == layer:  # outgoing: insert a zero column
            W = np.insert(W, neuron, 0.0, axis=1)
        layers.append((W, b) if arch.bias else W)
    return flatten(arch, layers)


@dataclass(frozen=True)
class EscapeResult:
    """How the loss can decrease from a critical point, in a set of coordinates.

    Attributes
    ----------
    coordinates : tuple of int
        The parameter coordinates examined (e.g. a dead neuron's).
    gradient_norm : float
        Norm of the gradient in those coordinates.
    hessian_eigenvalues : tuple of float
        Eigenvalues of the full Hessian.
    restricted_eigenvalues : tuple of float
        Eigenvalues of the Hessian restricted to ``coordinates``.
    order : int or None
        The order of the first term of ``L(theta + s u) - L(theta)`` that can be made
        negative: 1 (gradient), 2 (negative curvature) or 3 (cubic term); None if no
        decrease was found up to third order.
    direction : numpy.ndarray
        A unit descent direction in parameter space, supported on ``coordinates``.
    coefficient : float
        ``L(theta + s u) = L(theta) + coefficient * s^order + O(s^(order + 1))``.
    loss_polynomial : tuple of float
        The loss along ``direction`` as an exact polynomial in ``s`` (ascending).
    method : str
    seed : int
    tolerance : float
    """

    coordinates: tuple
    gradient_norm: float
    hessian_eigenvalues: tuple
    restricted_eigenvalues: tuple
    order: int | None
    direction: np.ndarray = field(repr=False)
    coefficient: float = 0.0
    loss_polynomial: tuple = field(repr=False, default=())
    method: str = ""
    seed: int = 0
    tolerance: float = 1e-9

    def __repr__(self) -> str:
        ev = ", ".join(f"{x:.3g}" for x in self.restricted_eigenvalues)
        what = ("no decrease found up to third order" if self.order is None else
                f"the loss decreases at order {self.order}: L(theta + s u) - L = "
                f"{self.coefficient:.4g} s^{self.order} + ...")
        return (f"EscapeResult in coordinates {list(self.coordinates)}\n"
                f"  gradient there: norm {self.gradient_norm:.3g}\n"
                f"  Hessian there: eigenvalues [{ev}]; smallest eigenvalue of the full "
                f"Hessian {min(self.hessian_eigenvalues):.3g}\n  {what}\n"
                f"  {self.method}; seed {self.seed}, tolerance {self.tolerance:g}")

    def _repr_html_(self) -> str:
        return "<pre class='nagviz-result'>" + repr(self) + "</pre>"


def escape_direction(arch, theta, coordinates, X=None, Y=None, *, target=None,
                     inner_product="euclidean", input_scale: float = 1.0, seed: int = 0,
                     n_directions: int = 400, tolerance: float = 1e-9) -> EscapeResult:
    """Find a direction in ``coordinates`` along which the loss decreases, and its order.

    First order: the gradient. Second order: a negative eigenvalue of the Hessian
    restricted to the coordinates. Third order: at a dead neuron the Hessian vanishes
    there, and ``L(theta + s u) - L(theta) = c_3(u) s^3 + ...`` with a cubic form
    ``c_3``; a cubic form is odd, so it takes negative values unless it is identically
    zero. ``c_3`` is maximized in absolute value over ``n_directions`` random unit
    directions and then refined by a local optimizer; every coefficient comes from the
    exact polynomial of the loss along the line.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta : array_like
    coordinates : sequence of int or Unit
        Parameter indices (or a unit from :func:`nagviz.training.hidden_units`).
    X, Y, target, inner_product, input_scale
        The loss, as in :func:`loss_gradient`.
    seed, n_directions, tolerance

    Returns
    -------
    EscapeResult

    Examples
    --------
    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> rng = np.random.default_rng(1)
    >>> X, Y = rng.standard_normal((12, 2)), rng.standard_normal(12)
    >>> theta = dead_neuron_point(a, [0.3, -0.4, 1.2], 1, 1)
    >>> r = escape_direction(a, theta, [2, 3, 5], X, Y)
    >>> r.gradient_norm, bool(max(abs(e) for e in r.restricted_eigenvalues) < 1e-9), r.order
    (0.0, True, 3)
    """
    from scipy.optimize import minimize

    arch = _coerce(arch)
    if hasattr(coordinates, "parameters"):
        coordinates = coordinates.parameters
    coords = tuple(int(c) for c in coordinates)
    theta = np.asarray(theta, dtype=float)
    loss = _Loss(arch, X, Y, target, inner_product, input_scale)
    g = loss.gradient(theta)
    H = loss.hessian(theta)
    Hs = H[np.ix_(coords, coords)]
    eig_full = np.linalg.eigvalsh(H)
    eig = np.linalg.eigvalsh(Hs)
    P = theta.size
    scale = max(1.0, float(np.abs(H).max()))

    def embed(u):
        d = np.zeros(P)
        d[list(coords)] = u / np.linalg.norm(u)
        return d

    gs = g[list(coords)]
    gnorm = float(np.linalg.norm(gs))
    method = "exact loss polynomial along lines (FFT interpolation), float arithmetic"
    if gnorm > tolerance * max(1.0, float(np.abs(g).max())):
        d = embed(-gs)
        poly = loss.along(theta, d)
        return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), 1, d, float(poly[1]),
                            tuple(poly), method, seed, tolerance)
    if eig.min() < -tolerance * scale:
        w, V = np.linalg.eigh(Hs)
        d = embed(V[:, 0])
        poly = loss.along(theta, d)
        return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), 2, d, float(poly[2]),
                            tuple(poly), method, seed, tolerance)
    rng = np.random.default_rng(seed)
    k = len(coords)

    def cubic(u):
        return loss.along(theta, embed(u))[3]

    cands = rng.standard_normal((n_directions, k))
    vals = np.array([cubic(u) for u in cands])
    best = cands[np.argmin(vals)]
    res = minimize(lambda u: cubic(u), best, method="Nelder-Mead",
                   options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 2000})
    u = res.x if res.fun < vals.min() else best
    d = embed(u)
    poly = loss.along(theta, d)
    if poly[3] < -tolerance * max(1.0, abs(poly[0])):
        return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), 3, d, float(poly[3]),
                            tuple(poly), method, seed, tolerance)
    return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), None, d, 0.0, tuple(poly),
                        method, seed, tolerance)


# ==================================================================================
# critical versus best: how often is a subnetwork the best fit?
# ==================================================================================
@dataclass(frozen=True, repr=False)
class SubnetworkFitResult(LinesRepr):
    """Subnetworks as critical points, local minima and best fits of Gaussian targets.

    For each target ``t``, the best fit of the full network (``restarts`` LM restarts)
    and the best fit of each subnetwork (one unit held at zero) are computed. The best
    subnetwork fit, seen as a point of the full parameter space, is then classified:

    * **critical**: the gradient of the full loss vanishes there: in the subnetwork's
      coordinates and in the removed unit's, each measured as the cosine between the
      residual and those tangent directions (below ``critical_tolerance``); not counted
      when the best subnetwork fit runs off to infinity (the infimum is not attained);
    * **trap** (MLP neurons): at some local minimum of the subnetwork (any restart, not
      only the best; possibly one approached only at infinity), with the unit's incoming
      weights zero and its outgoing weights ``+1`` or ``-1``, the Hessian restricted to
      the incoming weights is positive definite. The mixed second derivatives vanish
      there, so switching the neuron back on raises the loss to second order: a
      spurious local minimum (up to the flat outgoing direction) where gradient descent
      drives the incoming weights to zero exponentially fast;
    * **best fit**: its loss is within ``loss_tolerance`` (relative) of the best fit of
      the full network.

    Attributes
    ----------
    architecture : Architecture or CNNArchitecture
    n_targets, restarts, seed : int
    inner_product : str
    loss_tolerance, critical_tolerance : float
    fraction_best_fit, fraction_critical, fraction_second_order_minimum : float
    full_loss, subnetwork_loss : numpy.ndarray, (n_targets,)
    best_unit : numpy.ndarray of int, (n_targets,)
        Index (into :func:`nagviz.training.hidden_units`) of the best subnetwork.
    relative_gap : numpy.ndarray, (n_targets,)
        ``(subnetwork_loss - full_loss) / full_loss``.
    critical, second_order_minimum, best_is_subnetwork : numpy.ndarray of bool
    subnetwork_at_infinity, full_at_infinity : numpy.ndarray of bool
        Whether the best fit found has parameters beyond ``ESCAPE_NORM`` (30): the neuromanifold is
        not closed, and the infimum is then only approached.
    targets : numpy.ndarray
    full_theta, subnetwork_theta : numpy.ndarray, (n_targets, n_parameters)
        The best fits found (the subnetwork's as a point of the full parameter space).
    """

    architecture: object
    n_targets: int
    restarts: int
    seed: int
    inner_product: str
    loss_tolerance: float
    critical_tolerance: float
    fraction_best_fit: float
    fraction_critical: float
    fraction_second_order_minimum: float
    full_loss: np.ndarray = field(repr=False)
    subnetwork_loss: np.ndarray = field(repr=False)
    best_unit: np.ndarray = field(repr=False)
    relative_gap: np.ndarray = field(repr=False)
    critical: np.ndarray = field(repr=False)
    second_order_minimum: np.ndarray = field(repr=False)
    best_is_subnetwork: np.ndarray = field(repr=False)
    subnetwork_at_infinity: np.ndarray = field(repr=False)
    full_at_infinity: np.ndarray = field(repr=False)
    targets: np.ndarray = field(repr=False)
    full_theta: np.ndarray = field(repr=False)
    subnetwork_theta: np.ndarray = field(repr=False)

    def _lines(self):
        n = self.n_targets
        return [
            f"SubnetworkFitResult for {self.architecture!r}: {n} Gaussian targets "
            f"({self.inner_product} inner product)",
            f"  best subnetwork fit is critical for the full loss:   "
            f"{int(self.critical.sum())} of {n} ({self.fraction_critical:.3f})",
            f"  a subnetwork local minimum traps the dead neuron (second order): "
            f"{int(self.second_order_minimum.sum())} of {n} "
            f"({self.fraction_second_order_minimum:.3f})",
            f"  best subnetwork fit is the best fit of the full network: "
            f"{int(self.best_is_subnetwork.sum())} of {n} ({self.fraction_best_fit:.3f})",
            f"  median relative gap (subnetwork - full) / full: {np.median(self.relative_gap):.3g}"
            f", smallest {self.relative_gap.min():.3g}",
            f"  best fits running off to infinity: subnetwork "
            f"{int(self.subnetwork_at_infinity.sum())}, full network "
            f"{int(self.full_at_infinity.sum())}",
            f"  Levenberg-Marquardt, {self.restarts} restarts per fit; seed {self.seed}; loss "
            f"tolerance {self.loss_tolerance:g}, gradient tolerance {self.critical_tolerance:g}",
        ]


def _distinct_units(arch, units):
    """One representative per class of units exchanged by permuting neurons."""
    if isinstance(arch, CNNArchitecture):
        return list(range(len(units)))
    seen, out = set(), []
    for k, u in enumerate(units):
        if u.layer not in seen:
            seen.add(u.layer)
            out.append(k)
    return out


def best_fit_is_subnetwork_fraction(arch, n_targets: int = 60, restarts: int = 20, *,
                                    inner_product="euclidean", input_scale: float = 1.0,
                                    seed: int = 0, loss_tolerance: float = 1e-8,
                                    critical_tolerance: float = 1e-4,
                                    progress=None) -> SubnetworkFitResult:
    """How often is a subnetwork critical, a local minimum, or the best fit of a target?

    Targets are Gaussian in the ambient space, standard for the inner product
    (:func:`nagviz.training.sample_targets`); changing ``inner_product`` and
    ``input_scale`` changes both the loss and the target distribution. See
    :class:`SubnetworkFitResult` for the three classifications. Cached.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    n_targets, restarts, seed
    inner_product, input_scale
    loss_tolerance, critical_tolerance : float
    progress : callable, optional
        ``progress(done, total)`` over the fits.

    Returns
    -------
    SubnetworkFitResult

    Examples
    --------
    >>> r = best_fit_is_subnetwork_fraction(Architecture((2, 2, 1), "z^3 + z^2"),
    ...                                     n_targets=5, restarts=5)
    >>> r.fraction_best_fit, r.fraction_critical > 0.5
    (0.0, True)
    """
    arch = _coerce(arch)
    ip = inner_product if isinstance(inner_product, str) else \
        tuple(map(tuple, np.asarray(inner_product, dtype=float)))
    key = (arch, int(n_targets), int(restarts), ip, float(input_scale), int(seed),
           float(loss_tolerance), float(critical_tolerance))
    if key in _FIT_CACHE:
        return _FIT_CACHE[key]
    ipm = inner_product if isinstance(inner_product, str) else np.array(ip)
    model = _model(arch)
    targets = sample_targets(arch, n_targets, ipm, input_scale, seed=seed)
    A, b = _problem(arch, targets, ipm, input_scale)
    units = model.units
    reps = _distinct_units(arch, units)
    total = 1 + len(reps)
    done = 0
    full = _best_fit(model, A, b, restarts, 1.0, seed + 1, None)
    full_loss = full["loss"]
    done += 1
    if progress is not None:
        progress(done, total)
    sub_loss = np.full(n_targets, np.inf)
    sub_theta = np.zeros((n_targets, arch.n_parameters))
    sub_unit = np.zeros(n_targets, dtype=int)
    sub_far = np.zeros(n_targets, dtype=bool)
    candidates = [[] for _ in range(n_targets)]  # (unit, theta) of distinct local minima
    for k in reps:
        fit = _best_fit(model, A, b, restarts, 1.0, seed + 2 + k, sorted(units[k].parameters))
        better = fit["loss"] < sub_loss
        sub_loss = np.where(better, fit["loss"], sub_loss)
        sub_theta = np.where(better[:, None], fit["theta"], sub_theta)
        sub_unit = np.where(better, k, sub_unit)
        sub_far = np.where(better, fit["best_far"], sub_far)
        for i in range(n_targets):
            seen = []
            for L, th in zip(fit["all_losses"][i], fit["all_theta"][i]):
                if np.isfinite(L) and not any(abs(L - x) <= 1e-7 * (1 + x) for x in seen):
                    seen.append(L)
                    candidates[i].append((k, th))
        done += 1
        if progress is not None:
            progress(done, total)
    full_loss = np.minimum(full_loss, sub_loss)  # the subnetwork is part of the network

    def is_critical(th, i, unit):
        """Both the subnetwork's own gradient and the gradient in the unit's coordinates
        vanish, each measured as the cosine between the residual and the corresponding
        tangent directions (so that fits drifting to infinity are not judged by size)."""
        c, J = model.coefficients_and_jacobian(th[None])
        r = c[0] @ A.T - b[i]
        AJ = A @ J[0]
        rn = max(np.linalg.norm(r), 1e-300)
        inside = [p for p in range(arch.n_parameters) if p not in unit.parameters]
        for cols in (inside, list(unit.parameters)):
            block = AJ[:, cols]
            size = np.linalg.norm(block)
            if size > 0 and np.linalg.norm(block.T @ r) > critical_tolerance * size * rn:
                return False
        return True

    critical = np.array([not sub_far[i] and is_critical(sub_theta[i], i, units[sub_unit[i]])
                         for i in range(n_targets)])
    # a trap at a subnetwork: at a local minimum of the subnetwork (found by some restart;
    # possibly one approached at infinity), the unit's incoming weights zero and outgoing
    # weights +-1, the Hessian restricted to the incoming weights is positive definite, so
    # switching the neuron back on raises the loss to second order (cross terms vanish)
    second = np.zeros(n_targets, dtype=bool)
    for i in range(n_targets):
        loss = None
        for k, th0 in candidates[i]:
            unit = units[k]
            if unit.kind != "neuron":
                continue
            loss = loss or _Loss(arch, target=targets[i], inner_product=ipm,
                                 input_scale=input_scale)
            inc = list(unit.incoming)
            for sign in (1.0, -1.0):
                th = th0.copy()
                th[list(unit.outgoing)] = sign
                H = loss.hessian(th)
                ev = np.linalg.eigvalsh(H[np.ix_(inc, inc)])
                # the block is 4 v <r, d^2 q>: its scale is that of the residual, O(||t||)
                if ev.min() > 1e-9 * (1.0 + float(b[i] @ b[i])):
                    second[i] = True
                    break
            if second[i]:
                break
    best = sub_loss <= full_loss * (1 + loss_tolerance) + 1e-12
    gap = (sub_loss - full_loss) / np.maximum(full_loss, 1e-300)
    result = SubnetworkFitResult(
        arch, int(n_targets), int(restarts), int(seed), _fmt_ip(ipm, input_scale),
        float(loss_tolerance), float(critical_tolerance), float(best.mean()),
        float(critical.mean()), float(second.mean()), full_loss, sub_loss, sub_unit, gap,
        critical, second, best, sub_far, full["best_far"], targets, full["theta"], sub_theta)
    if len(_FIT_CACHE) > 32:
        _FIT_CACHE.pop(next(iter(_FIT_CACHE)))
    _FIT_CACHE[key] = result
    return result


_FIT_CACHE: dict = {}


# ==================================================================================
# a singular neuromanifold you can draw: (2, 2, 1) with sigma = z^3 + z^2
# ==================================================================================
#: The network ``v1 sigma(l1) + v2 sigma(l2)``, ``sigma(z) = z^3 + z^2``, ``l_j`` linear forms
#: in ``x, y``: a hypersurface of dimension 6 in the 7-dimensional space of
#: ``Q + K`` (``Q`` a binary quadratic, ``K`` a binary cubic).
CUBIC_221 = Architecture((2, 2, 1), "z^3 + z^2")


def apolarity_matrix_221(coeffs) -> np.ndarray:
    """The 3 x 3 matrix whose determinant cuts out the (2,2,1), ``z^3 + z^2`` neurovariety.

    Write ``f = Q + K`` with ``Q = A x^2 + B xy + C y^2`` and
    ``K = k0 x^3 + k1 x^2 y + k2 x y^2 + k3 y^3`` (nagviz's coefficient order). A network
    computes ``Q = sum_j a_j m_j^2`` and ``K = sum_j b_j m_j^3`` for two directions
    ``m_1, m_2``. A quadratic differential operator ``q(d) = q0 d_x^2 + q1 d_x d_y +
    q2 d_y^2`` kills both exactly when its factors are the lines dual to ``m_1, m_2``
    (apolarity), and ``q(d) Q = 0``, ``q(d) K = 0`` are three linear conditions on
    ``(q0, q1, q2)``: the rows of this matrix. So ``det = 0`` on the neuromanifold (a
    cubic equation), the matrix has rank at most 1 exactly at the singular points
    (``Q = A m^2, K = B m^3``: every neuron along one direction, a subnetwork; or
    ``K = 0``, reached only in the limit of unbounded weights), and the kernel gives the
    hidden neurons (:func:`network_221_parameters`).

    Parameters
    ----------
    coeffs : array_like, shape (..., 7)

    Returns
    -------
    numpy.ndarray, shape (..., 3, 3)

    Examples
    --------
    One neuron ``sigma(x + y)``: rank one.

    >>> f = coefficients(CUBIC_221, [1.0, 1.0, 0.0, 0.0, 1.0, 0.0])[0]
    >>> int(np.linalg.matrix_rank(apolarity_matrix_221(f)))
    1
    >>> f = coefficients(CUBIC_221, [1.0, 2.0, -1.0, 0.5, 1.0, -2.0])[0]   # two neurons
    >>> int(np.linalg.matrix_rank(apolarity_matrix_221(f)))
    2
    """
    c = np.asarray(coeffs, dtype=float)
    if c.shape[-1] != 7:
        raise ValueError(f"coefficients of (2,2,1) with z^3 + z^2 have 7 entries, got {c.shape}")
    A, B, C, k0, k1, k2, k3 = np.moveaxis(c, -1, 0)
    rows = [np.stack([2 * A, B, 2 * C], axis=-1),
            np.stack([6 * k0, 2 * k1, 2 * k2], axis=-1),
            np.stack([2 * k1, 2 * k2, 6 * k3], axis=-1)]
    return np.stack(rows, axis=-2)


def neurovariety_221_equation(coeffs) -> np.ndarray:
    """``det`` of :func:`apolarity_matrix_221`: zero exactly on the neurovariety.

    A cubic polynomial in the 7 coefficients, linear in the quadratic part and quadratic
    in the cubic part.

    Examples
    --------
    >>> theta = np.random.default_rng(0).standard_normal(6)
    >>> abs(float(neurovariety_221_equation(coefficients(CUBIC_221, theta)[0]))) < 1e-9
    True
    >>> round(float(neurovariety_221_equation([1, 0, 1, 0, 1, 0, 0])), 9)   # x^2 + y^2 + x^2 y
    -8.0
    """
    return np.linalg.det(apolarity_matrix_221(coeffs))


def network_221_parameters(coeffs, tolerance: float = 1e-9):
    """Real weights of (2,2,1), ``z^3 + z^2`` computing ``coeffs``, or None.

    The kernel ``q`` of :func:`apolarity_matrix_221` factors as
    ``(b_1 d_x - a_1 d_y)(b_2 d_x - a_2 d_y)``; its real roots are the directions
    ``m_j = a_j x + b_j y`` of the hidden neurons. Solving ``Q = sum a_j m_j^2`` and
    ``K = sum b_j m_j^3`` gives each neuron's scale ``t_j = b_j / a_j`` and out-weight
    ``v_j = a_j / t_j^2``. None when the roots are not real and distinct (only complex
    weights reach the point), when the point is not on the neurovariety, or when some
    ``a_j`` or ``b_j`` vanishes (a limit of networks, not a network).

    Returns
    -------
    numpy.ndarray of shape (6,) or None
        ``(w_11, w_12, w_21, w_22, v_1, v_2)``.

    Examples
    --------
    >>> theta = [1.0, 2.0, -1.0, 0.5, 1.0, -2.0]
    >>> f = coefficients(CUBIC_221, theta)[0]
    >>> back = network_221_parameters(f)
    >>> bool(np.allclose(coefficients(CUBIC_221, back)[0], f))
    True
    >>> network_221_parameters([1, 0, 1, 0, 1, 0, 0]) is None        # not on the variety
    True
    """
    c = np.asarray(coeffs, dtype=float)
    theta, ok = _decompose_221(c.reshape(1, 7), tolerance)
    return theta[0] if ok[0] else None


def _decompose_221(C, tolerance):
    """Batched :func:`network_221_parameters`: ``(theta (N, 6), ok (N,))``."""
    C = np.asarray(C, dtype=float)
    N = C.shape[0]
    M = apolarity_matrix_221(C)
    scale = np.maximum(np.abs(M).reshape(N, -1).max(axis=1), 1e-300)
    _, s, vt = np.linalg.svd(M)
    ok = (s[:, 2] <= tolerance * scale) & (s[:, 1] > tolerance * scale)
    q0, q1, q2 = vt[:, 2, 0], vt[:, 2, 1], vt[:, 2, 2]
    disc = q1 * q1 - 4 * q0 * q2
    ok &= disc > tolerance
    root = np.sqrt(np.maximum(disc, 0.0))
    first = np.abs(q0) >= np.abs(q2)  # directions (r, 1) from q0 r^2 + q1 r + q2 = 0
    dirs = np.empty((N, 2, 2))
    with np.errstate(all="ignore"):
        for j, sign in enumerate((1.0, -1.0)):
            r0 = (-q1 + sign * root) / (2 * q0)
            r2 = (-q1 + sign * root) / (2 * q2)
            dirs[:, j, 0] = np.where(first, r0, 1.0)
            dirs[:, j, 1] = np.where(first, 1.0, r2)
    finite = np.all(np.isfinite(dirs), axis=(1, 2))
    ok &= finite
    dirs = np.where(finite[:, None, None], dirs, 1.0)
    dirs /= np.maximum(np.linalg.norm(dirs, axis=-1, keepdims=True), 1e-300)
    p, q = dirs[..., 0], dirs[..., 1]  # (N, 2)
    sq = np.stack([p * p, 2 * p * q, q * q], axis=1)                      # (N, 3, 2)
    cu = np.stack([p ** 3, 3 * p * p * q, 3 * p * q * q, q ** 3], axis=1)  # (N, 4, 2)
    a = np.einsum("nij,nj->ni", np.linalg.pinv(sq), C[:, :3])
    b = np.einsum("nij,nj->ni", np.linalg.pinv(cu), C[:, 3:])
    size = np.maximum(np.abs(C).max(axis=1), 1e-300)
    ok &= np.all(np.abs(a) > tolerance * size[:, None], axis=1)
    ok &= np.all(np.abs(b) > tolerance * size[:, None], axis=1)
    with np.errstate(all="ignore"):
        t = np.where(ok[:, None], b / a, 1.0)
        v = np.where(ok[:, None], a / t ** 2, 0.0)
    theta = np.concatenate([(t[:, :, None] * dirs).reshape(N, 4), v], axis=1)
    back = coefficients(CUBIC_221, np.where(ok[:, None], theta, 0.0)).reshape(N, 7)
    ok &= np.abs(back - C).max(axis=1) <= 1e-6 * size
    theta[~ok] = np.nan
    return theta, ok


@dataclass(frozen=True)
class SingularSlice:
    """A 3-dimensional slice of the (2,2,1), ``z^3 + z^2`` neuromanifold through a line
    of one-neuron networks.

    The slice is the affine space of functions
    ``x^2 + alpha x^3 + beta (y^2 + x y^2) + gamma (x y + y^3)``. Its points on the
    neurovariety satisfy ``equation``; the ``alpha``-axis (``beta = gamma = 0``) is the
    line of one-neuron networks ``v sigma(a x)`` (``a = alpha``, ``v = 1 / alpha^2``; at
    ``alpha = 0`` two opposite neurons) and the surface is singular exactly there. Each
    cross-section ``alpha = const`` is a pair of lines through the axis: two real lines
    crossing (a node) for ``alpha < 0`` or ``alpha > 1/3``, only the point on the axis
    (isolated) in between; ``alpha = 0`` and ``alpha = 1/3`` are pinch points.

    Attributes
    ----------
    base, directions : tuple
        The slice ``base + alpha d_1 + beta d_2 + gamma d_3`` in coefficient coordinates.
    equation : str
    alphas : numpy.ndarray
    sheets : tuple of (X, Y, Z) arrays
        Two sheets, meshes over (alpha, distance from the axis) with NaN where there is no
        real point, clipped to ``|(beta, gamma)| <= radius``.
    real : tuple of numpy.ndarray of bool
        Per mesh point: computed by a real network (True) or only by complex weights.
    pinch_points : tuple of float
    radius : float
    """

    base: tuple
    directions: tuple
    equation: str
    alphas: np.ndarray = field(repr=False)
    sheets: tuple = field(repr=False)
    real: tuple = field(repr=False)
    pinch_points: tuple = (0.0, 1.0 / 3.0)
    radius: float = 1.0

    def coefficients(self, alpha, beta, gamma) -> np.ndarray:
        """The coefficient vector (x^2, xy, y^2, x^3, x^2 y, x y^2, y^3) of a slice point.

        Examples
        --------
        >>> singular_slice_221(n_alpha=5, n_radius=3).coefficients(2.0, 0.0, 0.0).tolist()
        [1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
        """
        b = np.asarray(self.base, dtype=float)
        d1, d2, d3 = (np.asarray(d, dtype=float) for d in self.directions)
        return (b + np.multiply.outer(alpha, d1) + np.multiply.outer(beta, d2)
                + np.multiply.outer(gamma, d3))

    def __repr__(self) -> str:
        return (f"SingularSlice of {CUBIC_221!r}: {self.equation} in the slice "
                "x^2 + alpha x^3 + beta (y^2 + x y^2) + gamma (x y + y^3); singular along "
                f"the alpha-axis (one-neuron networks), pinch points alpha = 0 and 1/3")


_SLICE_BASE = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)                 # x^2
_SLICE_DIRECTIONS = ((0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0),          # x^3
                     (0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0),          # y^2 + x y^2
                     (0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0))          # x y + y^3


def slice_cross_section_221(alpha: float) -> dict:
    """The cross-section ``alpha = const`` of :func:`singular_slice_221` in the
    ``(beta, gamma)`` plane.

    On the slice the equation is a quadratic form in ``(beta, gamma)`` whose coefficients
    depend on ``alpha`` (read off from :func:`neurovariety_221_equation`), so the
    section is two lines through the origin, one double line, or the origin alone.

    Returns
    -------
    dict
        ``kind`` ("node", "isolated point" or "double line"), ``directions`` (unit
        vectors of the real lines), ``form`` (the 2 x 2 matrix of the quadratic form).

    Examples
    --------
    >>> slice_cross_section_221(-1.0)["kind"], slice_cross_section_221(0.2)["kind"]
    ('node', 'isolated point')
    """
    base, dirs = np.array(_SLICE_BASE), [np.array(d) for d in _SLICE_DIRECTIONS]

    def F(beta, gamma):
        return float(neurovariety_221_equation(base + alpha * dirs[0] + beta * dirs[1]
                                               + gamma * dirs[2]))

    h11, h22 = F(1.0, 0.0), F(0.0, 1.0)
    h12 = (F(1.0, 1.0) - h11 - h22) / 2
    H = np.array([[h11, h12], [h12, h22]])
    det = h11 * h22 - h12 * h12
    size = max(float(np.abs(H).max()), 1e-300)
    if abs(det) <= 1e-12 * size * size:
        w, V = np.linalg.eigh(H)
        k = int(np.argmin(np.abs(w)))
        return dict(kind="double line", directions=[V[:, k]], form=H)
    if det > 0:
        return dict(kind="isolated point", directions=[], form=H)
    # null directions of an indefinite form
    w, V = np.linalg.eigh(H)
    # u = s V_0 + t V_1 is null when w_0 s^2 + w_1 t^2 = 0
    lo, hi = V[:, 0] * math.sqrt(w[1]), V[:, 1] * math.sqrt(-w[0])
    out = [u / np.linalg.norm(u) for u in (lo + hi, lo - hi)]
    return dict(kind="node", directions=out, form=H)


@lru_cache(maxsize=4)
def singular_slice_221(alpha_range=(-1.0, 1.2), radius: float = 1.0, n_alpha: int = 89,
                       n_radius: int = 25) -> SingularSlice:
    """The surface ``V cap L`` of :class:`SingularSlice`, meshed for drawing.

    Each real line of each cross-section (:func:`slice_cross_section_221`) is sampled at
    ``n_radius`` distances in ``[-radius, radius]`` from the axis; every sample is
    classified as computed by a real network (:func:`network_221_parameters`) or not.

    Examples
    --------
    >>> s = singular_slice_221(n_alpha=21, n_radius=5)
    >>> X, Y, Z = s.sheets[0]
    >>> pts = s.coefficients(X, Y, Z)[np.isfinite(X)]
    >>> bool(np.abs(neurovariety_221_equation(pts)).max() < 1e-9)
    True
    """
    lo, hi = alpha_range
    alphas = np.unique(np.concatenate([np.linspace(lo, hi, n_alpha),
                                       [-1e-3, 1e-3, 1 / 3 - 1e-3, 1 / 3 + 1e-3]]))
    alphas = alphas[(alphas >= lo) & (alphas <= hi)]
    rho = np.linspace(-radius, radius, n_radius)
    sheets, reals = [], []
    meshes = [tuple(np.full((len(alphas), n_radius), np.nan) for _ in range(3)) for _ in range(2)]
    for i, a in enumerate(alphas):
        dirs = slice_cross_section_221(float(a))["directions"]
        if not dirs:
            continue
        # orient each line with beta >= 0 and order the two by slope, so that each sheet
        # varies continuously with alpha
        dirs = [d if (d[0] > 0 or (d[0] == 0 and d[1] > 0)) else -d for d in dirs]
        dirs = sorted(dirs, key=lambda d: -math.atan2(d[1], d[0]))
        for k, (X, Y, Z) in enumerate(meshes):
            d = dirs[min(k, len(dirs) - 1)]
            X[i], Y[i], Z[i] = a, rho * d[0], rho * d[1]
    sheets.extend(meshes)
    base, dirs = np.array(_SLICE_BASE), np.array(_SLICE_DIRECTIONS)
    for X, Y, Z in sheets:
        R = np.zeros(X.shape, dtype=bool)
        finite = np.isfinite(X)
        pts = base + np.stack([X[finite], Y[finite], Z[finite]], axis=1) @ dirs
        R[finite] = _decompose_221(pts, 1e-7)[1]
        reals.append(R)
    return SingularSlice(_SLICE_BASE, _SLICE_DIRECTIONS,
                         "6 alpha beta^2 - 2 beta^2 - 9 alpha gamma^2 = 0", alphas,
                         tuple(sheets), tuple(reals), (0.0, 1.0 / 3.0), float(radius))


# ==================================================================================
# the quadratic network (2, 2, 1): where training gets stuck, drawn in R^3
# ==================================================================================
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
    if targets is None:
        T = sample_targets(QUADRATIC_221, int(n_runs), "bombieri", seed=seed)
    else:
        T = np.atleast_2d(np.asarray(targets, dtype=float))
        if T.shape[-1] != 3:
            raise ValueError(f"targets are binary quadratic forms (a, b, c), got shape {T.shape}")
        if T.shape[0] == 1:
            T = np.repeat(T, int(n_runs), axis=0)
        if T.shape[0] != int(n_runs):
            raise ValueError(f"{T.shape[0]} targets for {n_runs} runs")
    key = (int(n_runs), float(init_scale), float(lr), int(steps), int(seed), method,
           T.tobytes(), float(fit_tolerance), float(cone_tolerance), float(dead_tolerance))
    if key in _TRAP_CACHE:
        return _TRAP_CACHE[key]
    run = train(QUADRATIC_221, T, method=method, lr=lr, steps=steps, init_scale=init_scale,
                inner_product="bombieri", seed=seed + 1, progress=progress)
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
    result = RankOneTrapResult(
        run.method, int(n_runs), float(init_scale), run.learning_rate, int(steps), int(seed),
        T, outcome, binary_quadratic_eigenvalues(T), lam, rel, run.history_steps,
        run.history_loss / t_norm ** 2, cone_dist, in_norms, H[..., 4:],
        cone_coordinates(Hc), conserved, float(fit_tolerance), float(cone_tolerance),
        float(dead_tolerance))
    if len(_TRAP_CACHE) > 64:
        _TRAP_CACHE.pop(next(iter(_TRAP_CACHE)))
    _TRAP_CACHE[key] = result
    return result


_TRAP_CACHE: dict = {}

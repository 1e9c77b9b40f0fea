"""The tangent space of a neuromanifold: ranks of the differential along paths to subnetworks.

:func:`tangent_rank` is the rank of the Jacobian of the parameterization ``w -> f_w`` at
one parameter point, exactly (modulo a large prime, at rational points) or in floating
point. Along a path that switches a neuron off or merges two neurons
(:func:`switch_off_path`, :func:`merge_path`, :class:`ParameterPath`) the rank is the
generic one (the dimension of the neuromanifold) until the path reaches the subnetwork,
where it drops (:func:`rank_along_path`): subnetworks are where singular points live.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ._models import _model
from .architecture import Architecture  # noqa: F401  (the Examples use it)
from .cache import memoize
from .jacobian_rank import (DEFAULT_PRIME, check_prime, dimension, jacobian_mod_p, prime_problem,
                        rank_mod_p, to_residues)
from .model import as_model
from .units import hidden_units

__all__ = [
    "TangentRankResult",
    "PathRankResult",
    "ParameterPath",
    "tangent_rank",
    "rank_along_path",
    "singular_values_along_path",
    "switch_off_path",
    "merge_path",
]


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


@memoize(maxsize=128)
def _generic_rank(arch) -> int:
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
    failure_probability: float = 0.0

    def _status(self):
        if self.exact:
            return (f"{self.method}, p = {self.prime}, seed = {self.seed}, {self.trials} "
                    f"trial(s) of {self.sample_points} points (each trial a lower bound; too "
                    f"low with probability <= {self.failure_probability:.1e} over the random "
                    "inputs, unless p divides every maximal minor at this rational point)")
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
    p = check_prime(prime)
    problem = prime_problem(arch, p)
    if problem:
        raise ValueError(f"cannot compute the tangent rank modulo {p}: {problem}")
    th = to_residues(theta_frac, p)
    rng = np.random.default_rng(seed)
    ranks = []
    for _ in range(trials):
        X = rng.integers(1, p, size=(_n_points(arch), arch.input_dimension), dtype=np.int64)
        ranks.append(rank_mod_p(jacobian_mod_p(arch, th, X, p), p))
    return max(ranks)


def _input_failure_bound(arch, rank, prime, trials) -> float:
    """Schwartz-Zippel over the random inputs: a maximal minor of the Jacobian at a fixed
    point has degree at most ``rank * D`` in the inputs."""
    delta = max(rank, 1) * arch.output_degree
    return float(min(1.0, delta / (prime - 1)) ** trials)


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
    arch = as_model(arch)
    if exact:
        frac = _as_fractions(theta)
        if frac.shape != (arch.n_parameters,):
            raise ValueError(f"theta must have {arch.n_parameters} entries, got {frac.shape}")
        rank = _exact_rank(arch, frac, seed, int(trials), prime)
        generic = _generic_rank(arch)
        return TangentRankResult(arch, tuple(frac), rank, generic, generic - rank, True,
                                 "exact Jacobian rank modulo a prime", int(prime), int(seed),
                                 int(trials), _n_points(arch), failure_probability=(
                                     _input_failure_bound(arch, generic, prime, int(trials))))
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
    arch = as_model(arch)
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
    arch = as_model(arch)
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

    def plot(self, ax=None):
        """The rank along the path, with matplotlib (:func:`nagviz.plotting.plot_rank_path`)."""
        from .plotting import plot_rank_path

        return plot_rank_path(self, ax=ax)

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
    arch = as_model(arch)
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


def singular_values_along_path(arch, path, ts) -> np.ndarray:
    """Singular values of the float coefficient Jacobian at points ``path(t)``.

    A floating-point cross-check of :func:`rank_along_path`: approaching a subnetwork,
    the singular values of the directions the tangent space loses go to zero, at a rate
    that shows the order at which they vanish.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    path : ParameterPath or callable
        ``t -> theta``.
    ts : sequence of float

    Returns
    -------
    numpy.ndarray, shape (len(ts), k)
        Row ``i``: the singular values at ``path(ts[i])``, largest first (NaN-padded).

    Examples
    --------
    >>> arch = Architecture((2, 1, 1), 2)
    >>> S = singular_values_along_path(arch, ParameterPath((1, 2, 1), (1, 2, 0), "v -> 0"),
    ...                                [0.0, 0.999, 1.0])
    >>> S.shape, bool(S[0, 2] < 1e-12 * S[0, 0])    # 2 = dim of the cone: one is always 0
    ((3, 3), True)
    >>> np.round(S[:, 1], 4).tolist()                  # the second goes to 0 like v = 1 - t
    [3.5348, 0.0036, 0.0]
    """
    rows = [tangent_rank(arch, np.array([float(x) for x in path(t)]), exact=False).singular_values
            for t in ts]
    width = max((len(r) for r in rows), default=0)
    S = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        S[i, :len(r)] = r
    return S
